/* kb_build.c: see kb_build.h. */
#include "kb_build.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "kb_db.h"
#include "kb_include.h"
#include "kb_lexicon.h"
#include "kb_lang.h"
#include "kb_layout.h"
#include "kb_md.h"
#include "kb_msg.h"
#include "kb_pipeline_id.h"
#include "kb_store.h"
#include "kb_swap.h"
#include "kb_util.h"
#include "kb_walk.h"

#define KB_BUILD_WINDOW 64 /* parsed documents waiting for the writer, at most */
/* Each language's views are packed with a dictionary trained on up to this
 * much of its documents (and this much in all), cut in pieces about the
 * size of a section's view. A query reads the dictionaries of the languages
 * it shows: 32 KB packs es-ES as small as 64 KB did. */
#define KB_DICT_SAMPLE_BYTES (4 << 20)
#define KB_DICT_SAMPLE_TOTAL (16 << 20)
#define KB_DICT_PIECE 4096
#define KB_DICT_MAX (32 << 10)
#define KB_MAX_DICTS 64

/* What the index already holds about a document. */
typedef struct S_old_doc {
    char *path;
    int64_t size, stampNs;
    char hash[20];
    char xhash[20];   /* of its text with its includes, as read */
    char locale[24];
    int seen;         /* still present in the tree */
    int nProblem;     /* problems shown when it was parsed (S_shown_while_indexing) */
    int stale;        /* same text, other inputs: an include it read, or the locale it would default to, changed */
    int staleLocale;  /* ...the locale */
} S_old_doc;

/* A warning that is not a problem of a document's Markdown (a skipped
 * file...), in S_job.warnCodes. */
#define S_NOT_A_DIAG 0xFF
/* Of each kind of Markdown problem (kb_diag_code), the most a run shows:
 * a tree whose includes folder is missing had 2,238 lines of "include ...:
 * not found" (es-ES + zh-TW), and the rest of what kb-index said was lost
 * among them. The others are counted (S_print_hidden); --check lists the
 * tree's problems. */
#define S_DIAGS_SHOWN 20
/* The walk's warnings, too, each message S_DIAGS_SHOWN times at most: a
 * link to /proc had printed 178,774. Messages past this many kinds are
 * all shown. */
#define S_WALK_WARNING_KINDS 16

/* doc_includes rows of includes that could not be read (S_read_include). */
#define S_INC_MISSING (-1) /* size and stamp of a path that did not exist */
#define S_INC_TOO_BIG (-1) /* stamp of a file over --max-file-size: its size alone decides */

/* JOB_SKIP: not a document (too large, binary...), and one the index held
 * is removed, as a full build would leave it out; JOB_KEEP: a document the
 * index holds that cannot be read now (permissions) keeps its indexed
 * version: it is not gone, and the next run reads it again. */
enum { JOB_PENDING = 0, JOB_PUT, JOB_TOUCH, JOB_TOUCH_INCLUDES, JOB_SKIP, JOB_KEEP };

typedef struct S_job {
    const kb_file *file;
    S_old_doc *old;
    int action;       /* written by the worker, read by the writer once done is set */
    int unreadable;   /* its file could not be read (not: was read, and is no document) */
    int gone;         /* its file was deleted or moved since the walk listed it */
    int includeUnreadable; /* an include's file is there but could not be read (S_read_include) */
    int done;         /* guarded by S_build.mu */
    kb_doc doc;
    kb_store_section *aPrep; /* each section packed and tokenized by the worker */
    char hash[20];
    uint64_t xh;      /* FNV state of its text, then each include as read (S_read_include) */
    char xhash[20];
    char locale[24];
    char lang[8];
    kb_buf warnings;  /* "path: message\n" and "path:line: message\n" lines */
    kb_buf warnCodes; /* per line of warnings: its kb_diag_code, or S_NOT_A_DIAG */
    int nProblem;     /* of its Markdown's problems, those shown (S_shown_while_indexing) */
    char **aIncPath;
    int64_t *aIncSize, *aIncStamp;
    int nInc, capInc;
} S_job;

typedef struct S_build {
    const kb_build_opts *o;
    kb_build_stats *stats;
    kb_file_list files;
    char **aRootReal;     /* realpath of each root: includes must stay inside */
    char (*aRootLocale)[24]; /* locale of a root named like a locale, else the default */
    char **aRootPrefix;   /* with several roots, each one's folder name leads its documents' paths */
    char *zRootLocales;   /* meta 'root_locales' of this run (S_setup) */
    char *zOldRootLocales;/* the old index's, NULL if it has none */
    S_old_doc *aOld;
    int nOld;
    S_job *aJob;          /* one per file to parse */
    int nJob;
    int incremental;      /* updating an index, not writing a new one */
    char **aUnreadable;   /* relPaths of the files that could not be read (S_write_job) */
    int nUnreadable;
    int damaged;          /* the old index, copied, proved damaged */
    int diskFull;         /* writing the new index failed for want of space (ENOSPC, SQLITE_FULL) */
    int64_t racyFromNs;   /* files changed since are stored with stamp 0 (S_stored_stamp) */
    struct { char lang[8]; kb_buf dict; } aDict[KB_MAX_DICTS]; /* packing dictionaries */
    int nDict;
    char aChanged[2 * KB_DB_MAX_LANGS][8]; /* languages whose sections this run changed (kb_store) */
    int nChanged;
    char aLang[KB_DB_MAX_LANGS][8]; /* languages the new index holds sections in (S_lang_room) */
    int nLang;
    sqlite3 *db;          /* the new index, while S_write_all writes it */
    /* worker coordination */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int nextJob;          /* next job a worker takes */
    int written;          /* jobs the writer has finished */
    int stop;
    /* the progress line (S_progress) */
    int progressShown;    /* drawn, and not ended by a newline */
    int progressCleared;  /* wiped for a warning: to draw again */
    /* Markdown problems of each kind shown, and not shown (S_DIAGS_SHOWN) */
    int aDiagShown[KB_DIAG_CODE_COUNT], aDiagHidden[KB_DIAG_CODE_COUNT];
    int nUnchangedBroken;     /* unchanged documents, not parsed again, that had problems shown (S_print_hidden) */
    /* the walk's warnings of each message shown, and not shown (S_warn) */
    struct S_walk_warning {
        char *message;
        int shown, hidden;
    } aWalkWarning[S_WALK_WARNING_KINDS];
    int nWalkWarning;
} S_build;

/* message is English: an N_() text (kb_walk's, S_plan's) or an errno text
 * from the C locale, translated when shown (kb_msg_english), as kb-index
 * --check does. */
static void S_warn(void *ctx, int rootIndex, const char *path, const char *message) {
    (void)rootIndex; /* the path names it */
    S_build *b = ctx;
    struct S_walk_warning *kind = NULL;
    for (int i = 0; i < b->nWalkWarning && !kind; i++)
        if (strcmp(b->aWalkWarning[i].message, message) == 0) kind = &b->aWalkWarning[i];
    if (!kind && b->nWalkWarning < S_WALK_WARNING_KINDS) {
        kind = &b->aWalkWarning[b->nWalkWarning++];
        *kind = (struct S_walk_warning){kb_xstrdup(message), 0, 0};
    }
    if (kind && kind->shown >= S_DIAGS_SHOWN) {
        kind->hidden++;
        return;
    }
    if (kind) kind->shown++;
    fputs(_("kb-index: warning: "), stderr);
    fprintf(stderr, "%s: %s\n", path, kb_msg_english(message));
}

/* ---- change detection ------------------------------------------------- */

static int S_cmp_old(const void *a, const void *b) {
    return strcmp(((const S_old_doc *)a)->path, ((const S_old_doc *)b)->path);
}

static S_old_doc *S_find_old(S_build *b, const char *path) {
    S_old_doc key = {.path = (char *)path};
    return b->nOld ? bsearch(&key, b->aOld, (size_t)b->nOld, sizeof key, S_cmp_old) : NULL;
}

/* By relPath, then by position in the list: each root's files are sorted,
 * the list of several roots is not. */
static int S_cmp_file_ptr(const void *a, const void *b) {
    const kb_file *x = *(const kb_file *const *)a, *y = *(const kb_file *const *)b;
    int c = strcmp(x->relPath, y->relPath);
    return c ? c : (x < y ? -1 : x > y);
}

/* The first file of the list with this relPath, in aByPath (S_cmp_file_ptr order). */
static const kb_file *S_find_file(const kb_file *const *aByPath, int n, const char *relPath) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(aByPath[mid]->relPath, relPath) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && strcmp(aByPath[lo]->relPath, relPath) == 0 ? aByPath[lo] : NULL;
}

/* Where an include is now: its size and stamp, 0 if it is gone. A listed
 * file is known from the walk; others are stat'ed where they are: a .txt
 * snippet, a file under a hidden folder, a tree's top-level README.md (which
 * kb_walk does not list) or a path written with "..". */
static int S_include_now(const S_build *b, const kb_file *const *aByPath, const char *path, int64_t *pSize,
                         int64_t *pStamp) {
    const kb_file *f = S_find_file(aByPath, b->files.n, path);
    if (f) {
        *pSize = f->size;
        *pStamp = f->stampNs;
        return 1;
    }
    int root = b->aRootPrefix[0] ? -1 : 0;
    for (int i = 0; root < 0 && i < b->o->nRoot; i++) {
        size_t n = strlen(b->aRootPrefix[i]);
        if (strncmp(path, b->aRootPrefix[i], n) == 0 && path[n] == '/') {
            root = i;
            path += n + 1;
        }
    }
    if (root < 0) return 0;
    char *abs = kb_xasprintf("%s/%s", b->aRootReal[root], path);
    struct stat st;
    int found = stat(abs, &st) == 0;
    free(abs);
    if (!found) return 0;
    *pSize = st.st_size;
    *pStamp = kb_file_stamp(&st);
    return 1;
}

/* 1 if an include a document read (or failed to read: S_read_include)
 * would now read otherwise. */
static int S_include_stale(const S_build *b, const kb_file *const *aByPath, const char *path, int64_t size,
                           int64_t stamp) {
    int64_t nowSize = 0, nowStamp = 0;
    int found = S_include_now(b, aByPath, path, &nowSize, &nowStamp);
    if (size == S_INC_MISSING) return found;
    if (!found) return 1;
    if (stamp == S_INC_TOO_BIG) return nowSize != size || nowSize <= b->o->maxFileBytes;
    return nowSize != size || nowStamp != stamp || nowSize > b->o->maxFileBytes;
}

/* Opens the previous index for S_load_old. *pDb stays NULL where there is
 * nothing to reuse: a missing index, or one of another format, version or
 * text pipeline, means a full build. A damaged one that cannot say which
 * documents it holds is an error: rebuilding it silently would hide the
 * damage. */
static int S_open_old(const S_build *b, sqlite3 **pDb) {
    sqlite3 *db = NULL;
    struct stat file;
    *pDb = NULL;
    /* none, or an empty file (touched, or left by a crash before SQLite
     * wrote a page): a new index, without a word */
    if (stat(b->o->dbPath, &file) != 0 || file.st_size == 0) return KB_OK;
    int format = kb_db_format(b->o->dbPath);
    if (format >= 0 && format != KB_SCHEMA_VERSION) {
        fprintf(stderr,
                _("kb-index: %s has index format %d, this kb-index writes format %d; "
                  "rebuilding it from scratch\n"),
                b->o->dbPath, format, KB_SCHEMA_VERSION);
        return KB_OK;
    }
    /* Its header is a kb index's (S_check_replaceable): one that cannot
     * be opened is damaged (truncated), and left as it is, as one found
     * damaged while it is updated; the message says to rebuild it with
     * --full. It had been rebuilt, exit 0, saying both. */
    if (kb_db_open_read(b->o->dbPath, &db) != KB_OK) return KB_EDB;
    /* Removing a section from a contentless FTS table means presenting the
     * tokens it was indexed with: an index that another text pipeline wrote
     * (another renderer, tokenizer or vocabulary, even of the same kb
     * version: kb_pipeline_id.h) is rebuilt from scratch. */
    char version[64], pipeline[64];
    /* unreadable, it is damaged: not an index of another version to rebuild */
    if (kb_db_meta(db, "kb_version", version, sizeof version) != KB_OK ||
        kb_db_meta(db, "pipeline", pipeline, sizeof pipeline) != KB_OK) {
        sqlite3_close(db);
        return KB_EDB;
    }
    int otherVersion = strcmp(version, KB_VERSION) != 0;
    if (otherVersion || strcmp(pipeline, KB_PIPELINE_ID) != 0) {
        const char *why = otherVersion ? _("kb-index: %s was built by kb %s; rebuilding it from scratch\n")
                                       : _("kb-index: %s was built by kb %s with another text pipeline; "
                                           "rebuilding it from scratch\n");
        fprintf(stderr, why, b->o->dbPath, version[0] ? version : _("(unknown)"));
        sqlite3_close(db);
        return KB_OK;
    }
    /* Updated in place, a table dropped would be made again, empty: the
     * index left as it is, to be rebuilt with --full. */
    if (kb_db_check_complete(db, b->o->dbPath) != KB_OK) {
        sqlite3_close(db);
        return KB_EDB;
    }
    *pDb = db;
    return KB_OK;
}

/* A text column, "" for NULL. */
static const char *S_column_text(sqlite3_stmt *st, int i) {
    const unsigned char *z = sqlite3_column_text(st, i);
    return z ? (const char *)z : "";
}

/* The locales the previous run found at the tree's root, and what it knew
 * of each document, into b->aOld in path order. */
static int S_read_old_docs(S_build *b, sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT value FROM meta WHERE key = 'root_locales'", &st);
    int step = SQLITE_DONE;
    if (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) b->zOldRootLocales = kb_xstrdup(S_column_text(st, 0));
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    st = NULL;
    /* ORDER BY uses SQLite's BINARY collation, the same order as strcmp. */
    if (rc == KB_OK)
        rc = kb_db_prepare(db, "SELECT path, size, stamp, hash, locale, nproblem, xhash FROM docs ORDER BY path", &st);
    int cap = 0;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (b->nOld == cap) {
            cap = cap ? cap * 2 : 1024;
            b->aOld = kb_xrealloc(b->aOld, (size_t)cap * sizeof *b->aOld);
        }
        S_old_doc *d = &b->aOld[b->nOld++];
        memset(d, 0, sizeof *d);
        d->path = kb_xstrdup(S_column_text(st, 0));
        d->size = sqlite3_column_int64(st, 1);
        d->stampNs = sqlite3_column_int64(st, 2);
        snprintf(d->hash, sizeof d->hash, "%s", S_column_text(st, 3));
        snprintf(d->locale, sizeof d->locale, "%s", S_column_text(st, 4));
        d->nProblem = sqlite3_column_int(st, 5);
        snprintf(d->xhash, sizeof d->xhash, "%s", S_column_text(st, 6));
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    return rc;
}

/* Marks stale each old document one of whose includes changed since. */
static int S_read_old_includes(S_build *b, sqlite3 *db) {
    /* A page and its includes are read up to --max-file-size: under
     * another limit, each page with includes is read again (and counted
     * changed only if the limit changes what it keeps, S_hash_left_out). Each
     * file alone fitting either limit, a page whose includes the old one
     * left out had kept them out. */
    char old[32] = "";
    if (kb_db_meta(db, "max_file_bytes", old, sizeof old) != KB_OK) return KB_EDB;
    int limitChanged = strtoll(old, NULL, 10) != b->o->maxFileBytes;
    const kb_file **aByPath = kb_xcalloc((size_t)b->files.n + 1, sizeof *aByPath);
    for (int i = 0; i < b->files.n; i++) aByPath[i] = &b->files.a[i];
    qsort(aByPath, (size_t)b->files.n, sizeof *aByPath, S_cmp_file_ptr);
    sqlite3_stmt *st = NULL;
    int step = SQLITE_DONE;
    int rc = kb_db_prepare(
        db, "SELECT d.path, i.path, i.size, i.stamp FROM doc_includes i JOIN docs d ON d.id=i.doc_id", &st);
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        S_old_doc *d = S_find_old(b, S_column_text(st, 0));
        if (d && !d->stale &&
            (limitChanged ||
             S_include_stale(b, aByPath, S_column_text(st, 1), sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3))))
            d->stale = 1;
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    free(aByPath);
    return rc;
}

/* Loads what the previous index knows, if it can be updated in place. */
static int S_load_old(S_build *b) {
    sqlite3 *db = NULL;
    int rc = S_open_old(b, &db);
    if (rc != KB_OK || !db) return rc;
    rc = S_read_old_docs(b, db);
    if (rc == KB_OK) rc = S_read_old_includes(b, db);
    sqlite3_close(db);
    return rc;
}

/* ---- one document, on a worker thread ---------------------------------- */

/* FNV-1a: change detection, not security. */
#define S_FNV_START 1469598103934665603ULL
static uint64_t S_fnv(uint64_t h, const char *z, size_t n) {
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)z[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static void S_hash_text(uint64_t h, char out[20]) { snprintf(out, 20, "%016llx", (unsigned long long)h); }

/* Adds "path: message" to the job's warnings, or "path:line: message" as
 * kb-index --check and compilers write it, which editors jump to; code:
 * the kb_diag_code of a problem of its Markdown, else S_NOT_A_DIAG. */
static void S_job_add_warning(S_job *j, int code, int line, const char *message) {
    /* a newline or ESC in a name, or in an include path a document
     * writes, stays out of the terminal */
    char *zLine = line > 0 ? kb_xasprintf("%s:%d: %s", j->file->relPath, line, message)
                           : kb_xasprintf("%s: %s", j->file->relPath, message);
    char *zShown = kb_shown(zLine);
    kb_buf_adds(&j->warnings, zShown);
    kb_buf_addc(&j->warnings, '\n');
    kb_buf_addc(&j->warnCodes, (char)code);
    free(zShown);
    free(zLine);
}

/* A warning about the document: it was skipped, or kept as indexed. */
static void S_job_warn(S_job *j, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void S_job_warn(S_job *j, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kb_buf text = {0};
    kb_buf_vaddf(&text, fmt, ap);
    va_end(ap);
    S_job_add_warning(j, S_NOT_A_DIAG, 0, kb_buf_str(&text));
    kb_buf_free(&text);
}

/* A problem of its Markdown, at its line: past the first S_DIAGS_SHOWN of
 * a kind in a run, only counted (S_print_warnings). */
static void S_job_warn_diag(S_job *j, const kb_diag *d) {
    S_job_add_warning(j, (int)d->code, d->line, d->message);
}

/* Locale from the path: a directory named like "es-es", "zh-TW" or
 * "zh-hant". Other shapes are product folders ("iot-hub", "end-user", "sql"). */
static int S_is_path_locale(const char *z, size_t n) {
    if (n != 5 && n != 7) return 0;
    for (size_t i = 0; i < n; i++) {
        int letter = (z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' && z[i] <= 'Z');
        if (i == 2 ? (z[i] != '-' && z[i] != '_') : !letter) return 0;
    }
    return n == 5 || strncasecmp(z + 3, "han", 3) == 0;
}

static int S_locale_from_path(const char *path, char *out, size_t cap) {
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, '/');
        if (!end) break;
        size_t n = (size_t)(end - p);
        char comp[8];
        if (S_is_path_locale(p, n)) {
            memcpy(comp, p, n);
            comp[n] = 0;
            if (kb_locale_normalize(comp, out, cap)) return 1;
        }
        p = end + 1;
    }
    return 0;
}

static int S_read_include(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                          kb_diag_code *pWhy);

typedef struct S_inc_ctx {
    S_build *b;
    S_job *job;
} S_inc_ctx;

/* A worker's tokenizers, one per language met (a kb_tok is not thread-safe
 * and its stem cache is worth keeping across documents). */
typedef struct S_worker_state {
    kb_tok *aTok[16];
    kb_packer *aPacker[16];
    char aLang[16][8];
    int nTok;
} S_worker_state;

/* The packing dictionary of a language, or NULL. */
static const kb_buf *S_dict_of(const S_build *b, const char *lang) {
    for (int i = 0; i < b->nDict; i++)
        if (strcmp(b->aDict[i].lang, lang) == 0) return &b->aDict[i].dict;
    return NULL;
}

/* A worker's tokenizer and packer for a language (slot i of w). */
static int S_worker_lang(const S_build *b, S_worker_state *w, const char *lang) {
    for (int i = 0; i < w->nTok; i++)
        if (strcmp(w->aLang[i], lang) == 0) return i;
    if (w->nTok == 16) { /* more than 16 languages: reuse the last slot */
        w->nTok--;
        kb_tok_free(w->aTok[w->nTok]);
        kb_packer_free(w->aPacker[w->nTok]);
    }
    int i = w->nTok++;
    snprintf(w->aLang[i], sizeof w->aLang[i], "%s", lang);
    w->aTok[i] = kb_tok_new(lang);
    const kb_buf *dict = S_dict_of(b, lang);
    w->aPacker[i] = kb_packer_new(dict ? dict->z : NULL, dict ? dict->n : 0);
    return i;
}

/* Reads a job's file into *pz; a file that cannot be a document (too
 * large, binary, not UTF-8) is instead JOB_SKIP, one that cannot be read
 * JOB_KEEP if the index holds it (else JOB_SKIP), with a warning saying
 * why, and 0 is returned. */
static int S_read_doc(const S_build *b, S_job *j, char **pz, size_t *pn) {
    int rc = kb_file_read(j->file->absPath, (size_t)b->o->maxFileBytes, pz, pn);
    if (rc == KB_ELIMIT) {
        S_job_warn(j, _("file larger than the size limit (%g MB), skipped"), kb_megabytes((uint64_t)b->o->maxFileBytes));
        j->action = JOB_SKIP;
        return 0;
    }
    struct stat st;
    if (rc && stat(j->file->absPath, &st) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
        /* Deleted or moved since the walk listed it (a git pull during the
         * run), or the file a link names: gone, as the next walk will find
         * it (a link to nothing is skipped), not unreadable, which kept its
         * indexed version, and made --full refuse to replace an index for
         * files that are no more. */
        j->action = JOB_SKIP;
        j->gone = 1;
        return 0;
    }
    if (rc) {
        /* the warning names the file already */
        const char *why = kb_errmsg_after(j->file->absPath);
        if (j->old) S_job_warn(j, _("cannot read the file (%s); the version indexed before is kept"), why);
        else S_job_warn(j, _("cannot read the file (%s), skipped"), why);
        j->action = j->old ? JOB_KEEP : JOB_SKIP;
        j->unreadable = 1;
        return 0;
    }
    size_t off;
    switch (kb_text_problem(*pz, *pn, &off)) {
    case KB_TEXT_UTF16:
        S_job_warn(j, "%s", _("UTF-16 text (byte order mark): convert the file to UTF-8; skipped"));
        break;
    case KB_TEXT_UTF32:
        S_job_warn(j, "%s", _("UTF-32 text (byte order mark): convert the file to UTF-8; skipped"));
        break;
    case KB_TEXT_BINARY: S_job_warn(j, _("binary file (NUL byte at offset %zu), skipped"), off); break;
    case KB_TEXT_NOT_UTF8: S_job_warn(j, _("not valid UTF-8 (byte offset %zu), skipped"), off); break;
    default: return 1;
    }
    j->action = JOB_SKIP;
    free(*pz);
    *pz = NULL;
    return 0;
}

/* Whether kb-index shows a document's diagnostic as it indexes: include
 * problems, and front matter that does not parse (its fields after the
 * error are lost), what --check reports as errors. The rest is left to
 * --check. */
static int S_shown_while_indexing(const kb_diag *d) {
    switch (d->code) {
    case KB_DIAG_FRONT_MATTER:
    case KB_DIAG_INCLUDE_MISSING:
    case KB_DIAG_INCLUDE_OUTSIDE:
    case KB_DIAG_INCLUDE_INVALID:
    case KB_DIAG_INCLUDE_CYCLE:
    case KB_DIAG_INCLUDE_DEPTH:
    case KB_DIAG_INCLUDE_TOO_LARGE:
        return 1;
    default:
        return 0;
    }
}

/* The limit decides which includes a page keeps, as their text does: one
 * read, then left out as too much with the rest, is back under a larger
 * one (S_read_old_includes reads such pages again). */
static void S_hash_left_out(S_job *j) {
    for (int i = 0; i < j->doc.nDiag; i++)
        if (j->doc.aDiag[i].code == KB_DIAG_INCLUDE_TOO_LARGE)
            j->xh = S_fnv(j->xh, (const char *)&j->doc.aDiag[i].line, sizeof j->doc.aDiag[i].line);
}

static void S_job_run(S_build *b, S_worker_state *w, S_job *j) {
    const kb_file *f = j->file;
    char *src = NULL;
    size_t n = 0;
    /* A job S_only_new_skips already found bad has its warning. */
    if (j->action == JOB_SKIP || j->action == JOB_KEEP || !S_read_doc(b, j, &src, &n)) return;
    j->xh = S_fnv(S_FNV_START, src, n);
    S_hash_text(j->xh, j->hash);
    if (j->old && strcmp(j->old->hash, j->hash) == 0 && !j->old->stale && !b->o->full) {
        j->action = JOB_TOUCH;
        free(src);
        return;
    }
    S_inc_ctx ic = {b, j};
    kb_md_opts mo = {.docPath = f->relPath, .readInclude = S_read_include, .includeCtx = &ic,
                     .maxBytes = (size_t)b->o->maxFileBytes};
    kb_md_parse(src, n, &mo, &j->doc);
    free(src);
    S_hash_left_out(j);
    S_hash_text(j->xh, j->xhash);
    if (j->doc.tooCostly) { /* no document, as a binary file is none */
        S_job_warn(j, _("%s, skipped"), _(j->doc.tooCostly));
        j->action = JOB_SKIP;
        return;
    }
    /* An include touched, or dated too recently to trust when it was last
     * read (S_stored_stamp), made the page stale: read again, the same,
     * it is unchanged, not "changed" (a fresh copy of a tree had counted
     * every page with includes changed on its second run). */
    if (j->old && !b->o->full && !j->old->staleLocale && strcmp(j->old->hash, j->hash) == 0 &&
        strcmp(j->old->xhash, j->xhash) == 0 && !j->includeUnreadable) {
        j->action = JOB_TOUCH_INCLUDES;
        return;
    }
    for (int i = 0; i < j->doc.nDiag; i++)
        if (S_shown_while_indexing(&j->doc.aDiag[i])) {
            S_job_warn_diag(j, &j->doc.aDiag[i]);
            j->nProblem++;
        }
    if (j->includeUnreadable) {
        /* Parsed without it, the page would lose the include's text as if
         * it were gone: it is kept as indexed, as an unreadable page is. */
        if (j->old) S_job_warn(j, "%s", _("an include cannot be read; the version indexed before is kept"));
        else S_job_warn(j, "%s", _("an include cannot be read, skipped"));
        j->action = j->old ? JOB_KEEP : JOB_SKIP;
        j->unreadable = 1;
        return;
    }
    if (j->doc.locale && *j->doc.locale) snprintf(j->locale, sizeof j->locale, "%s", j->doc.locale);
    else if (!S_locale_from_path(f->relPath, j->locale, sizeof j->locale))
        snprintf(j->locale, sizeof j->locale, "%s", b->aRootLocale[f->rootIndex]);
    kb_locale_lang(j->locale, j->lang, sizeof j->lang);
    int slot = S_worker_lang(b, w, j->lang);
    j->aPrep = kb_xcalloc((size_t)j->doc.nSection + 1, sizeof *j->aPrep);
    for (int i = 0; i < j->doc.nSection; i++)
        kb_store_prepare(w->aTok[slot], w->aPacker[slot], j->lang, &j->doc.aSection[i], &j->aPrep[i]);
    j->action = JOB_PUT;
}

static void *S_worker(void *arg) {
    S_build *b = arg;
    S_worker_state w = {0};
    for (;;) {
        pthread_mutex_lock(&b->mu);
        while (!b->stop && b->nextJob < b->nJob && b->nextJob >= b->written + KB_BUILD_WINDOW)
            pthread_cond_wait(&b->cv, &b->mu);
        if (b->stop || b->nextJob >= b->nJob) {
            pthread_mutex_unlock(&b->mu);
            for (int i = 0; i < w.nTok; i++) {
                kb_tok_free(w.aTok[i]);
                kb_packer_free(w.aPacker[i]);
            }
            return NULL;
        }
        S_job *j = &b->aJob[b->nextJob++];
        pthread_mutex_unlock(&b->mu);
        S_job_run(b, &w, j);
        pthread_mutex_lock(&b->mu);
        j->done = 1;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
}

static void S_add_include(S_job *j, char *relPath, int64_t size, int64_t stampNs) {
    if (j->nInc == j->capInc) {
        j->capInc = j->capInc ? j->capInc * 2 : 4;
        j->aIncPath = kb_xrealloc(j->aIncPath, (size_t)j->capInc * sizeof *j->aIncPath);
        j->aIncSize = kb_xrealloc(j->aIncSize, (size_t)j->capInc * sizeof *j->aIncSize);
        j->aIncStamp = kb_xrealloc(j->aIncStamp, (size_t)j->capInc * sizeof *j->aIncStamp);
    }
    j->aIncPath[j->nInc] = relPath;
    j->aIncSize[j->nInc] = size;
    j->aIncStamp[j->nInc] = stampNs;
    j->nInc++;
}

/* An include that could not be read is recorded too, or its includer would
 * keep the gap once it can be read: a missing file (S_INC_MISSING) until it
 * exists, a file over --max-file-size (S_INC_TOO_BIG) until its size or the
 * limit changes, any other (not UTF-8, a directory) until it changes
 * (S_include_stale). The path is recorded as written, from the includer's
 * folder, read lexically with symbolic links not followed
 * ("en-us/includes/current.md", a link to v2.md): pointing the link
 * elsewhere then changes the page, where its old target would have been
 * recorded and stayed the same. An absolute path, or one that leaves the
 * tree, can never be read: nothing to watch. */
static void S_add_failed_include(const S_build *b, S_job *j, const char *fromDoc, const char *path, int rc) {
    char *rel = kb_include_watch_path(b->aRootReal[j->file->rootIndex], fromDoc, path);
    if (!rel) return;
    char *abs = kb_xasprintf("%s/%s", b->aRootReal[j->file->rootIndex], rel);
    struct stat st;
    int64_t size = S_INC_MISSING, stamp = S_INC_MISSING;
    if (stat(abs, &st) == 0) {
        size = st.st_size;
        stamp = rc == KB_ELIMIT ? S_INC_TOO_BIG : kb_file_stamp(&st);
    }
    free(abs);
    const char *prefix = b->aRootPrefix[j->file->rootIndex];
    if (prefix) {
        char *withPrefix = kb_xasprintf("%s/%s", prefix, rel);
        free(rel);
        rel = withPrefix;
    }
    S_add_include(j, rel, size, stamp);
}

/* Includes are read by the one rule --check also applies (kb_include.h);
 * what was read, or could not be, is recorded so that a changed include
 * re-indexes its includers. */
static int S_read_include(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                          kb_diag_code *pWhy) {
    S_inc_ctx *ic = ctx;
    S_job *j = ic->job;
    kb_include_info info = {0};
    /* Document paths may carry the root's prefix; include paths are resolved
     * against the root itself. */
    const char *prefix = ic->b->aRootPrefix[j->file->rootIndex];
    size_t nPrefix = prefix ? strlen(prefix) : 0;
    if (fromDoc && prefix && strncmp(fromDoc, prefix, nPrefix) == 0 && fromDoc[nPrefix] == '/') fromDoc += nPrefix + 1;
    int rc = kb_include_read(ic->b->aRootReal[j->file->rootIndex], fromDoc, path, (size_t)ic->b->o->maxFileBytes,
                             pz, pn, &info, pWhy);
    /* What it includes, as written and as read, or that it could not */
    j->xh = S_fnv(j->xh, path, strlen(path) + 1);
    if (rc) {
        /* kb_fail() is not called: kb_md reports kb_errmsg(), the reason. */
        S_add_failed_include(ic->b, j, fromDoc, path, rc);
        j->includeUnreadable |= info.unreadable;
        j->xh = S_fnv(j->xh, "", 1);
        return rc;
    }
    j->xh = S_fnv(j->xh, *pz, *pn);
    if (prefix) {
        char *withPrefix = kb_xasprintf("%s/%s", prefix, info.relPath);
        free(info.relPath);
        info.relPath = withPrefix;
    }
    S_add_include(j, info.relPath, info.size, info.stampNs);
    return KB_OK;
}

static void S_job_free(S_job *j) {
    for (int i = 0; j->aPrep && i < j->doc.nSection; i++) kb_store_section_free(&j->aPrep[i]);
    free(j->aPrep);
    kb_doc_free(&j->doc);
    kb_buf_free(&j->warnings);
    kb_buf_free(&j->warnCodes);
    for (int i = 0; i < j->nInc; i++) free(j->aIncPath[i]);
    free(j->aIncPath);
    free(j->aIncSize);
    free(j->aIncStamp);
}

/* ---- the writer -------------------------------------------------------- */

static double S_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Up to a filesystem's timestamp granularity (2 s on FAT). */
#define S_RACY_MARGIN_NS (2 * INT64_C(1000000000))

static int64_t S_wall_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The stamp to store for a file read by this run. A file changed just
 * before or during the run can be changed again within the same timestamp
 * tick, keeping its size and stamp, and the next run would never see the
 * change: it is stored with stamp 0, so the next run reads it again (as git
 * treats a "racily clean" file). A stamp in the future is no sign of a
 * change now, and is stored as it is. */
static int64_t S_stored_stamp(const S_build *b, int64_t stampNs) {
    int racy = stampNs >= b->racyFromNs && stampNs <= S_wall_ns() + S_RACY_MARGIN_NS;
    return racy ? 0 : stampNs;
}

static void S_progress(S_build *b, int done, int64_t bytes, double t0, int final) {
    if (!b->o->progress || b->o->quiet) return;
    double dt = S_now() - t0;
    double mbs = dt > 0 ? (double)bytes / 1e6 / dt : 0;
    double eta = done > 0 ? dt * (b->nJob - done) / done : 0;
    fputs("\r\033[K", stderr);
    /* TRANSLATORS: progress of kb-index, redrawn in place on one terminal
     * line: files done/total, parse speed, seconds left. Keep it short. */
    fprintf(stderr, _("kb-index: %d/%d files  %.1f MB/s  ETA %.0fs"), done, b->nJob, mbs, eta);
    if (final) fputc('\n', stderr);
    b->progressShown = !final;
    b->progressCleared = 0;
}

/* A document's warnings, each line prefixed, in one write: stderr is
 * unbuffered, and a character at a time cost es-ES's build 168K system
 * calls. A progress line on the terminal has no newline: it is wiped
 * first, or the warning would continue it ("ETA 18skb-index: warning:"),
 * and drawn again below the warnings (S_write_all). codes (one byte per
 * line, S_job.warnCodes) may be NULL: every line is shown. */
static void S_print_warnings(S_build *b, const char *warnings, const char *codes) {
    const char *prefix = _("kb-index: warning: ");
    kb_buf out = {0};
    if (b->progressShown) kb_buf_adds(&out, "\r\033[K");
    size_t wipe = out.n;
    for (int i = 0; *warnings; i++) {
        const char *end = strchr(warnings, '\n');
        size_t n = end ? (size_t)(end - warnings) + 1 : strlen(warnings);
        int code = codes ? (unsigned char)codes[i] : S_NOT_A_DIAG;
        if (code < KB_DIAG_CODE_COUNT && b->aDiagShown[code] >= S_DIAGS_SHOWN) {
            b->aDiagHidden[code]++;
        } else {
            if (code < KB_DIAG_CODE_COUNT) b->aDiagShown[code]++;
            kb_buf_adds(&out, prefix);
            kb_buf_add(&out, warnings, n);
        }
        warnings += n;
    }
    if (out.n > wipe) {
        fwrite(out.z, 1, out.n, stderr);
        if (wipe) b->progressShown = 0, b->progressCleared = 1;
    }
    kb_buf_free(&out);
}

/* How many Markdown problems of each kind were not shown, and how many
 * documents this run did not parse again still have problems: a maintainer
 * who runs kb-index again to see what is broken would otherwise hear
 * nothing of them. */
static void S_print_hidden_kind(int n, const char *kind) {
    fputs(_("kb-index: warning: "), stderr);
    fprintf(stderr,
            P_("%d more \"%s\" warning not shown; kb-index --check lists the tree's problems\n",
               "%d more \"%s\" warnings not shown; kb-index --check lists the tree's problems\n", n),
            n, kind);
}

static void S_print_hidden(S_build *b) {
    for (int i = 0; i < b->nWalkWarning; i++) {
        const struct S_walk_warning *w = &b->aWalkWarning[i];
        if (w->hidden) S_print_hidden_kind(w->hidden, kb_msg_english(w->message));
    }
    for (int code = 0; code < KB_DIAG_CODE_COUNT; code++)
        if (b->aDiagHidden[code]) S_print_hidden_kind(b->aDiagHidden[code], kb_diag_code_name((kb_diag_code)code));
    if (b->nUnchangedBroken > 0) {
        fputs(_("kb-index: warning: "), stderr);
        fprintf(stderr,
                P_("%d unchanged document still has the problems shown when it was indexed; "
                   "kb-index --check lists the tree's problems\n",
                   "%d unchanged documents still have the problems shown when they were indexed; "
                   "kb-index --check lists the tree's problems\n",
                   b->nUnchangedBroken),
                b->nUnchangedBroken);
    }
}

/* The languages the index holds sections in, as far as this run has
 * written it: those of its documents' locales (a document's sections are
 * all in its locale's language). A language whose documents this run
 * moved or removed is one no more; documents not written yet still count
 * theirs, so the index never holds more than KB_DB_MAX_LANGS. */
static int S_load_langs(S_build *b, sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT DISTINCT locale FROM docs WHERE nsection > 0", &st);
    int step = SQLITE_DONE;
    b->nLang = 0;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char lang[8];
        int known = 0;
        kb_locale_lang((const char *)sqlite3_column_text(st, 0), lang, sizeof lang);
        for (int i = 0; i < b->nLang && !known; i++) known = strcmp(b->aLang[i], lang) == 0;
        if (!known && b->nLang < KB_DB_MAX_LANGS) snprintf(b->aLang[b->nLang++], sizeof b->aLang[0], "%s", lang);
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    return rc;
}

/* 1 if the index can take sections in lang: a language it holds, or one
 * more while it holds fewer than KB_DB_MAX_LANGS (one FTS table each,
 * and kb-query searches no more). A stray ms.contentlocale then costs its
 * document, skipped with a warning like any bad file, not the whole run.
 * At the limit the languages are counted again: documents this run moved
 * to other locales may have left some. */
static int S_lang_room(S_build *b, const char *lang) {
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < b->nLang; i++)
            if (strcmp(b->aLang[i], lang) == 0) return 1;
        if (b->nLang < KB_DB_MAX_LANGS) {
            snprintf(b->aLang[b->nLang++], sizeof b->aLang[0], "%s", lang);
            return 1;
        }
        if (pass == 0 && (!b->db || S_load_langs(b, b->db) != KB_OK)) return 0;
    }
    return 0;
}

static int S_write_job(S_build *b, kb_store *store, S_job *j) {
    if (j->action == JOB_PUT && j->doc.nSection > 0 && !S_lang_room(b, j->lang)) {
        S_job_warn(j, _("locale %s: its language would be one more than the %d an index holds, skipped"), j->locale,
                   KB_DB_MAX_LANGS);
        j->action = JOB_SKIP;
    }
    /* A file the index held that is no document now (binary, too large) is
     * left out as a full build would leave it: removed, and said so. */
    if (j->action == JOB_SKIP && j->old && !j->gone) S_job_warn(j, "%s", _("the version indexed before is removed"));
    if (j->warnings.n) S_print_warnings(b, kb_buf_str(&j->warnings), j->warnCodes.z);
    if (j->unreadable) {
        b->aUnreadable = kb_xrealloc(b->aUnreadable, (size_t)(b->nUnreadable + 1) * sizeof *b->aUnreadable);
        b->aUnreadable[b->nUnreadable++] = kb_xstrdup(j->file->relPath);
    }
    switch (j->action) {
    case JOB_TOUCH:
        b->stats->unchanged++;
        b->nUnchangedBroken += j->old->nProblem > 0;
        return kb_store_touch(store, j->file->relPath, j->file->size, S_stored_stamp(b, j->file->stampNs));
    case JOB_TOUCH_INCLUDES: {
        b->stats->unchanged++;
        b->nUnchangedBroken += j->old->nProblem > 0;
        for (int i = 0; i < j->nInc; i++) j->aIncStamp[i] = S_stored_stamp(b, j->aIncStamp[i]);
        kb_store_doc d = {.path = j->file->relPath, .size = j->file->size,
                          .stampNs = S_stored_stamp(b, j->file->stampNs), .aIncludePath = (const char *const *)j->aIncPath,
                          .aIncludeSize = j->aIncSize, .aIncludeStamp = j->aIncStamp, .nInclude = j->nInc};
        return kb_store_touch_includes(store, &d);
    }
    case JOB_KEEP:
        b->stats->skipped++;
        return KB_OK;
    case JOB_SKIP:
        if (!j->old) {
            b->stats->skipped += !j->gone;
            return KB_OK;
        }
        b->stats->removed++;
        return kb_store_remove(store, j->file->relPath);
    default: {
        if (j->old) b->stats->changed++;
        else b->stats->added++;
        for (int i = 0; i < j->nInc; i++) j->aIncStamp[i] = S_stored_stamp(b, j->aIncStamp[i]);
        kb_store_doc d = {.path = j->file->relPath, .locale = j->locale, .lang = j->lang,
                          .size = j->file->size, .stampNs = S_stored_stamp(b, j->file->stampNs), .hash = j->hash,
                          .xhash = j->xhash, .doc = &j->doc, .aPrep = j->aPrep,
                          .aIncludePath = (const char *const *)j->aIncPath, .aIncludeSize = j->aIncSize,
                          .aIncludeStamp = j->aIncStamp, .nInclude = j->nInc, .nProblem = j->nProblem};
        return kb_store_put(store, &d);
    }
    }
}

static int S_write_all(S_build *b, sqlite3 *db) {
    kb_store *store = NULL;
    int rc = kb_store_open(db, &store);
    if (rc == KB_OK && b->incremental) kb_store_count_terms(store);
    if (rc == KB_OK && b->incremental) rc = S_load_langs(b, db);
    b->db = db;
    for (int i = 0; rc == KB_OK && i < b->nOld; i++)
        if (!b->aOld[i].seen) {
            rc = kb_store_remove(store, b->aOld[i].path);
            b->stats->removed++;
        }
    /* One per core, up to 16 (one writer keeps up with no more), unless
     * --jobs says how many. */
    int nThread = b->o->jobs;
    if (nThread <= 0) {
        nThread = (int)sysconf(_SC_NPROCESSORS_ONLN);
        if (nThread > 16) nThread = 16;
    }
    if (nThread < 1) nThread = 1;
    pthread_t *aThread = kb_xcalloc((size_t)nThread, sizeof *aThread);
    /* A thread the system refuses (a container's process limit) is one
     * parser fewer; with none, no job would ever be done. */
    int nStarted = 0, err = 0;
    for (int t = 0; t < nThread; t++)
        if ((err = pthread_create(&aThread[nStarted], NULL, S_worker, b)) == 0) nStarted++;
    /* the index cannot be written (exit 3): exit 4 says a DIR cannot be read */
    if (nStarted == 0) rc = kb_fail(KB_EDB, _("cannot start a thread to parse documents: %s"), strerror(err));
    double t0 = S_now();
    int64_t bytes = 0;
    for (int i = 0; rc == KB_OK && i < b->nJob; i++) {
        S_job *j = &b->aJob[i];
        pthread_mutex_lock(&b->mu);
        while (!j->done) pthread_cond_wait(&b->cv, &b->mu);
        pthread_mutex_unlock(&b->mu);
        if (rc == KB_OK) rc = S_write_job(b, store, j);
        bytes += j->file->size;
        S_job_free(j);
        pthread_mutex_lock(&b->mu);
        b->written = i + 1;
        if (rc) b->stop = 1;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
        if ((i & 31) == 0 || b->progressCleared) S_progress(b, i + 1, bytes, t0, 0);
        if (rc) break;
    }
    pthread_mutex_lock(&b->mu);
    b->stop = 1;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    for (int t = 0; t < nStarted; t++) pthread_join(aThread[t], NULL);
    free(aThread);
    /* Jobs a worker finished after an error are freed here. */
    for (int i = b->written; i < b->nJob; i++) S_job_free(&b->aJob[i]);
    S_progress(b, b->nJob, bytes, t0, 1);
    for (int i = 0; store && i < kb_store_lang_count(store); i++)
        snprintf(b->aChanged[b->nChanged++], sizeof b->aChanged[0], "%s", kb_store_lang_at(store, i));
    if (rc == KB_OK && b->incremental) rc = kb_store_write_terms(store);
    kb_store_close(store);
    b->db = NULL;
    return rc;
}

/* ---- the new file ------------------------------------------------------ */

/* A language's row of langs (kb_db.c): its sections, and the most
 * documents of one dkey it holds. Read from docs, a twentieth of the size
 * of sections: a document's sections are all in the language of its
 * locale (kb_locale_lang), and docs counts them. Joining sections to docs
 * took 0.15 s of a run that changed one es-ES file. */
static int S_count_lang(sqlite3 *db, const char *lang, int64_t *pnSection) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT dkey, locale, nsection FROM docs WHERE nsection > 0 ORDER BY dkey", &st);
    int64_t nSection = 0;
    int nCopy = 1, nRun = 0;
    char *zRun = NULL, aLang[8]; /* zRun: the dkey of the last nRun documents */
    int step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        kb_locale_lang((const char *)sqlite3_column_text(st, 1), aLang, sizeof aLang);
        if (strcmp(aLang, lang) != 0) continue;
        const char *dkey = (const char *)sqlite3_column_text(st, 0);
        if (zRun && strcmp(dkey, zRun) == 0) {
            nRun++;
        } else {
            free(zRun);
            zRun = kb_xstrdup(dkey);
            nRun = 1;
        }
        if (nRun > nCopy) nCopy = nRun;
        nSection += sqlite3_column_int64(st, 2);
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    free(zRun);
    sqlite3_finalize(st);
    if (rc == KB_OK) rc = kb_db_prepare(db, "UPDATE langs SET nsection = ?, ncopy = ? WHERE lang = ?", &st);
    if (rc == KB_OK) {
        sqlite3_bind_int64(st, 1, nSection);
        sqlite3_bind_int(st, 2, nCopy);
        sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = kb_db_fail(db);
        sqlite3_finalize(st);
    }
    *pnSection = nSection;
    return rc;
}

/* Brings a language whose sections changed up to date: its row of langs;
 * its FTS index merged into one b-tree (queries then read one segment);
 * and, after a full build, its terms, each with the number of sections
 * holding it (a query then knows, without opening the FTS table, that a
 * word is not in the language at all; an incremental run counted what
 * changed instead, kb_store_count_terms). The others are left as they
 * are: on es-ES + zh-TW, refreshing zh-TW took 0.32 s of a run that
 * changed one es-ES file. lang is safe to quote: kb_db_ensure_lang
 * accepted it. */
static int S_finish_lang(sqlite3 *db, const char *lang, int recountTerms) {
    char fts[32], sql[1024];
    kb_db_fts_name(lang, fts, sizeof fts);
    int64_t nSection = 0;
    int rc = S_count_lang(db, lang, &nSection);
    if (rc == KB_OK && nSection == 0) {
        /* No section left: the language is gone, as a full build would
         * never have made it, and no longer counts against the limit. */
        snprintf(sql, sizeof sql,
                 "DROP TABLE %s; DELETE FROM langs WHERE lang = '%s'; DELETE FROM terms WHERE lang = '%s';"
                 "DELETE FROM dicts WHERE lang = '%s';",
                 fts, lang, lang, lang);
        return kb_db_exec(db, sql);
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s(%s) VALUES('optimize');", fts, fts);
    if (rc == KB_OK) rc = kb_db_exec(db, sql);
    if (rc == KB_OK && recountTerms) {
        snprintf(sql, sizeof sql,
                 "DELETE FROM terms WHERE lang = '%s';"
                 "CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, %s, 'row');"
                 "INSERT INTO terms(lang, term, df) SELECT '%s', term, doc FROM temp.vocab;"
                 "DROP TABLE temp.vocab;",
                 lang, fts, lang);
        rc = kb_db_exec(db, sql);
    }
    return rc;
}

/* meta 'unordered_langs': the languages whose sections' ids no longer
 * follow their documents' order, space-separated. A full build numbers
 * sections in that order, which kb-query's pages rely on where scores tie
 * (S_match in query/kb_search_match.c); an incremental run gives each
 * document it indexes again ids after all the others. */
static int S_write_unordered_langs(S_build *b, sqlite3 *db) {
    char old[1024] = "", aLang[KB_DB_MAX_LANGS][8];
    int nLang = 0;
    int rc = b->incremental ? kb_db_meta(db, "unordered_langs", old, sizeof old) : KB_OK;
    char *save = NULL;
    for (char *w = strtok_r(old, " ", &save); w && nLang < KB_DB_MAX_LANGS; w = strtok_r(NULL, " ", &save))
        snprintf(aLang[nLang++], sizeof aLang[0], "%s", w);
    for (int i = 0; b->incremental && i < b->nChanged && nLang < KB_DB_MAX_LANGS; i++) {
        int seen = 0;
        for (int k = 0; k < nLang && !seen; k++) seen = strcmp(aLang[k], b->aChanged[i]) == 0;
        if (!seen) snprintf(aLang[nLang++], sizeof aLang[0], "%s", b->aChanged[i]);
    }
    kb_buf langs = {0};
    for (int k = 0; k < nLang; k++) kb_buf_addf(&langs, "%s%s", k ? " " : "", aLang[k]);
    sqlite3_stmt *st = NULL;
    if (rc == KB_OK)
        rc = kb_db_prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('unordered_langs', ?)", &st);
    if (rc == KB_OK) {
        sqlite3_bind_text(st, 1, langs.z ? langs.z : "", (int)langs.n, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = kb_db_fail(db);
    }
    sqlite3_finalize(st);
    kb_buf_free(&langs);
    return rc;
}

/* meta 'locales': the locales of the documents that have sections, in
 * order, separated by spaces. A query filtered to a locale (--locale-only)
 * reads it to know which language tables hold none of its documents, and
 * which hold nothing else, so that neither looks up each row's document. */
static int S_write_locales(sqlite3 *db) {
    return kb_db_exec(db, "INSERT OR REPLACE INTO meta(key, value) SELECT 'locales', coalesce(group_concat(locale, ' '), '')"
                          " FROM (SELECT DISTINCT locale FROM docs WHERE nsection > 0 ORDER BY locale)");
}

static int S_finish_db(S_build *b, sqlite3 *db) {
    char stamp[32];
    time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('built_at', ?), ('kb_version', ?), "
                               "('pipeline', ?), ('root_locales', ?), ('max_file_bytes', ?)", &st);
    if (rc == KB_OK) {
        sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, KB_VERSION, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, KB_PIPELINE_ID, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, b->zRootLocales, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 5, b->o->maxFileBytes);
        if (sqlite3_step(st) != SQLITE_DONE) rc = kb_db_fail(db);
    }
    sqlite3_finalize(st);
    for (int i = 0; rc == KB_OK && i < b->nChanged; i++) rc = S_finish_lang(db, b->aChanged[i], !b->incremental);
    if (rc == KB_OK) rc = S_write_unordered_langs(b, db);
    if (rc == KB_OK) rc = S_write_locales(db);
    if (rc == KB_OK) rc = kb_store_section_sets(db);
    if (rc == KB_OK) rc = kb_store_errid_text(db);
    /* Learned from the whole corpus, as the dictionaries are: an
     * incremental run keeps it (a run that changed one es-ES file would
     * spend 0.3 s learning it again). */
    if (rc == KB_OK && !b->incremental) rc = kb_lexicon_build(db);
    /* Merging and rewriting leave free pages (5% of an es-ES index): the
     * index is written once and read many times, so give them back. */
    if (rc == KB_OK) rc = kb_db_exec(db, "PRAGMA incremental_vacuum");
    return rc;
}

/* The language a document is probably in, before it is parsed (its front
 * matter may still say otherwise): from its path, else its root's locale. */
static void S_guess_lang(const S_build *b, const kb_file *f, char *out, size_t cap) {
    char locale[24];
    if (!S_locale_from_path(f->relPath, locale, sizeof locale))
        snprintf(locale, sizeof locale, "%s", b->aRootLocale[f->rootIndex]);
    kb_locale_lang(locale, out, cap);
}

/* Pieces of the documents of one language (aGuess: each job's guessed
 * language), evenly spread over them, as samples to train its dictionary on. */
static void S_dict_samples(S_build *b, char (*aGuess)[8], const char *lang, size_t budget, kb_buf *samples,
                           size_t **paSize, unsigned *pn) {
    int64_t total = 0;
    for (int i = 0; i < b->nJob; i++)
        if (strcmp(aGuess[i], lang) == 0) total += b->aJob[i].file->size;
    int64_t step = total > (int64_t)budget ? total / (int64_t)budget + 1 : 1, seen = 0;
    size_t cap = 0;
    for (int i = 0; i < b->nJob && samples->n < budget; i++) {
        if (strcmp(aGuess[i], lang) != 0 || seen++ % step != 0) continue;
        char *z = NULL;
        size_t n = 0;
        if (kb_file_read(b->aJob[i].file->absPath, (size_t)b->o->maxFileBytes, &z, &n) != KB_OK) continue;
        for (size_t off = 0; off < n; off += KB_DICT_PIECE) {
            if (*pn == cap) {
                cap = cap ? cap * 2 : 1024;
                *paSize = kb_xrealloc(*paSize, cap * sizeof **paSize);
            }
            size_t piece = n - off < KB_DICT_PIECE ? n - off : KB_DICT_PIECE;
            kb_buf_add(samples, z + off, piece);
            (*paSize)[(*pn)++] = piece;
        }
        free(z);
    }
}

/* Trains the dictionary of one language and stores it. A language with too
 * little text to learn from gets none. */
static int S_dict_train(S_build *b, sqlite3 *db, char (*aGuess)[8], const char *lang, size_t budget) {
    kb_buf samples = {0}, dict = {0};
    size_t *aSize = NULL;
    unsigned nSample = 0;
    S_dict_samples(b, aGuess, lang, budget, &samples, &aSize, &nSample);
    size_t cap = samples.n / 20 < KB_DICT_MAX ? samples.n / 20 : KB_DICT_MAX;
    unsigned id = kb_pack_train(samples.z, aSize, nSample, cap, &dict);
    kb_buf_free(&samples);
    free(aSize);
    if (!id || b->nDict == KB_MAX_DICTS) {
        kb_buf_free(&dict);
        return KB_OK;
    }
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "INSERT OR REPLACE INTO dicts(id, lang, dict) VALUES(?, ?, ?)", &st);
    if (rc == KB_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, lang, -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 3, dict.z, (int)dict.n, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) rc = kb_db_fail(db);
    }
    sqlite3_finalize(st);
    snprintf(b->aDict[b->nDict].lang, sizeof b->aDict[0].lang, "%.7s", lang); /* a language code */
    b->aDict[b->nDict++].dict = dict;
    return rc;
}

/* The dictionaries views are packed with, one per language: an incremental
 * run keeps those the index was built with (its views must stay readable),
 * a full one trains new ones on the corpus. */
static int S_dict_setup(S_build *b, sqlite3 *db) {
    int rc = KB_OK;
    if (b->incremental) {
        sqlite3_stmt *st = NULL;
        rc = kb_db_prepare(db, "SELECT lang, dict FROM dicts", &st);
        while (rc == KB_OK && sqlite3_step(st) == SQLITE_ROW && b->nDict < KB_MAX_DICTS) {
            snprintf(b->aDict[b->nDict].lang, sizeof b->aDict[0].lang, "%s", (const char *)sqlite3_column_text(st, 0));
            kb_buf_add(&b->aDict[b->nDict++].dict, sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1));
        }
        sqlite3_finalize(st);
        return rc;
    }
    char aLang[KB_MAX_DICTS][8];
    char (*aGuess)[8] = kb_xcalloc((size_t)b->nJob + 1, sizeof *aGuess);
    int nLang = 0;
    for (int i = 0; i < b->nJob; i++) {
        S_guess_lang(b, b->aJob[i].file, aGuess[i], sizeof aGuess[i]);
        int known = 0;
        for (int k = 0; k < nLang && !known; k++) known = strcmp(aLang[k], aGuess[i]) == 0;
        if (!known && nLang < KB_MAX_DICTS) snprintf(aLang[nLang++], sizeof aLang[0], "%s", aGuess[i]);
    }
    size_t budget = nLang ? KB_DICT_SAMPLE_TOTAL / (size_t)nLang : 0;
    if (budget > KB_DICT_SAMPLE_BYTES) budget = KB_DICT_SAMPLE_BYTES;
    for (int k = 0; rc == KB_OK && k < nLang; k++) rc = S_dict_train(b, db, aGuess, aLang[k], budget);
    free(aGuess);
    return rc;
}

/* Writes the whole new index into this run's temporary file, whose name
 * *pTmpPath receives (kb_swap.h). */
static int S_build_tmp(S_build *b, char **pTmpPath) {
    int rc = kb_swap_create(b->o->dbPath, b->incremental, pTmpPath, &b->diskFull);
    if (rc != KB_OK) return rc;
    const char *tmpPath = *pTmpPath;
    sqlite3 *db = NULL;
    rc = kb_db_open_write(tmpPath, &db);
    if (rc == KB_OK) rc = kb_db_exec(db, "BEGIN");
    if (rc == KB_OK) rc = S_dict_setup(b, db);
    if (rc == KB_OK) rc = S_write_all(b, db);
    if (rc == KB_OK) rc = S_finish_db(b, db);
    if (rc == KB_OK) rc = kb_db_exec(db, "COMMIT");
    /* The copy is the old index byte for byte: damage SQLite finds in it is
     * the old index's, which only a full build can replace (kb_db_fail
     * named the copy). The failure's code is kept by kb_db_fail: closing
     * the statements since has reset the connection's. */
    const char *why = "";
    int sysErr = 0;
    int code = rc == KB_EDB ? kb_db_last_error(&why, &sysErr) : SQLITE_OK;
    if (rc == KB_EDB && b->incremental && (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)) {
        char *zWhy = kb_xstrdup(why);
        rc = kb_db_damaged(b->o->dbPath, zWhy);
        free(zWhy);
        b->damaged = 1;
    }
    if (code == SQLITE_FULL || (code == SQLITE_IOERR && (kb_swap_errno_full(sysErr) || kb_swap_no_room(tmpPath))))
        b->diskFull = 1;
    if (db && sqlite3_close(db) != SQLITE_OK && rc == KB_OK) rc = kb_fail(KB_EDB, _("cannot close %s"), tmpPath);
    if (rc == KB_OK) {
        int fd = open(tmpPath, O_RDONLY);
        if (fd < 0 || fsync(fd) != 0) {
            b->diskFull = kb_swap_errno_full(errno);
            rc = kb_fail(KB_EDB, "%s: %s", tmpPath, strerror(errno));
        }
        if (fd >= 0) close(fd);
    }
    return rc;
}


/* The folders of the index's path that are missing, made; a folder that
 * cannot be is the error, not the lock file that then cannot be created. */
static int S_mkdir_parent(const char *path) {
    char *dir = kb_xstrdup(path);
    int rc = KB_OK;
    for (char *p = dir + 1; *p && rc == KB_OK; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            rc = kb_fail(KB_EDB, _("cannot create the folder %s for the index: %s"), dir, strerror(errno));
        *p = '/';
    }
    free(dir);
    return rc;
}

static void S_root_locale(const char *real, const char *dflt, char *out, size_t cap) {
    const char *base = strrchr(real, '/');
    base = base ? base + 1 : real;
    char *withSlash = kb_xasprintf("%s/", base);
    if (!S_locale_from_path(withSlash, out, cap) && !kb_locale_normalize(dflt, out, cap))
        snprintf(out, cap, "en-us");
    free(withSlash);
}

/* "es-ES" for /tmp/x/es-ES; a second root of the same name gets "es-ES-2". */
static char *S_root_prefix(S_build *b, int i) {
    const char *base = strrchr(b->aRootReal[i], '/');
    base = base && base[1] ? base + 1 : "root";
    char *prefix = kb_xstrdup(base);
    for (int n = 2, clash = 1; clash; n++) {
        clash = 0;
        for (int k = 0; k < i && !clash; k++) clash = strcmp(b->aRootPrefix[k], prefix) == 0;
        if (clash) {
            free(prefix);
            prefix = kb_xasprintf("%s-%d", base, n);
        }
    }
    return prefix;
}

static int S_setup(S_build *b) {
    const kb_build_opts *o = b->o;
    b->aRootReal = kb_xcalloc((size_t)o->nRoot, sizeof *b->aRootReal);
    b->aRootLocale = kb_xcalloc((size_t)o->nRoot, sizeof *b->aRootLocale);
    b->aRootPrefix = kb_xcalloc((size_t)o->nRoot, sizeof *b->aRootPrefix);
    for (int i = 0; i < o->nRoot; i++) {
        char real[4096];
        if (!realpath(o->aRoot[i], real)) return kb_fail(KB_EIO, "%s: %s", o->aRoot[i], strerror(errno));
        b->aRootReal[i] = kb_xstrdup(real);
        S_root_locale(real, o->defaultLocale, b->aRootLocale[i], sizeof b->aRootLocale[i]);
        if (o->nRoot > 1) b->aRootPrefix[i] = S_root_prefix(b, i);
    }
    int rc = kb_walk(o->aRoot, (const char *const *)b->aRootPrefix, o->nRoot, &b->files, S_warn, b);
    /* "locale prefix" lines, one per root (prefix empty with one root): the
     * locale a document defaults to, by its path's prefix (S_locale_stale). */
    kb_buf locales = {0};
    for (int i = 0; rc == KB_OK && i < o->nRoot; i++)
        kb_buf_addf(&locales, "%s %s\n", b->aRootLocale[i], b->aRootPrefix[i] ? b->aRootPrefix[i] : "");
    b->zRootLocales = kb_buf_detach(&locales);
    return rc;
}

/* The locale the old index's run gave the documents of root i (by its
 * prefix) that name none, from meta 'root_locales'; 0 if unknown. */
static int S_old_root_locale(const S_build *b, int i, char *out, size_t cap) {
    const char *prefix = b->aRootPrefix[i] ? b->aRootPrefix[i] : "";
    size_t nPrefix = strlen(prefix);
    for (const char *line = b->zOldRootLocales; line && *line;) {
        const char *end = strchr(line, '\n'), *space = strchr(line, ' ');
        if (!end) end = line + strlen(line);
        if (space && space < end && (size_t)(end - space - 1) == nPrefix && strncmp(space + 1, prefix, nPrefix) == 0) {
            snprintf(out, cap, "%.*s", (int)(space - line), line);
            return 1;
        }
        line = *end ? end + 1 : end;
    }
    return 0;
}

/* 1 if an unchanged document would now get another locale: its path names
 * none, and its root's (S_root_locale: the root's folder name, else
 * --default-locale) has changed since it was parsed. One whose locale
 * differs from that old default had its front matter name it, and keeps it. */
static int S_locale_stale(const S_build *b, const S_old_doc *old, const kb_file *f) {
    if (b->zOldRootLocales && strcmp(b->zOldRootLocales, b->zRootLocales) == 0) return 0;
    char fromPath[24], was[24];
    if (S_locale_from_path(f->relPath, fromPath, sizeof fromPath)) return 0;
    if (!S_old_root_locale(b, f->rootIndex, was, sizeof was)) return 1;
    return strcmp(was, b->aRootLocale[f->rootIndex]) != 0 && strcmp(old->locale, was) == 0;
}

static void S_plan(S_build *b) {
    b->aJob = kb_xcalloc((size_t)b->files.n + 1, sizeof *b->aJob);
    const char *prevPath = NULL;
    for (int i = 0; i < b->files.n; i++) {
        const kb_file *f = &b->files.a[i];
        if (f->isInclude) continue;
        if (prevPath && strcmp(prevPath, f->relPath) == 0) {
            char *zShown = kb_shown(f->absPath); /* S_warn prints paths as kb_walk gives them: shown */
            S_warn(b, f->rootIndex, zShown, N_("same relative path as a file of an earlier directory, skipped"));
            free(zShown);
            continue;
        }
        prevPath = f->relPath;
        S_old_doc *old = S_find_old(b, f->relPath);
        if (old) old->seen = 1;
        if (old && !b->o->full) old->stale |= old->staleLocale = S_locale_stale(b, old, f);
        /* A file now over --max-file-size (the limit was lowered) is read,
         * to be removed as a full build would leave it out. */
        if (old && !b->o->full && !old->stale && old->size == f->size && old->stampNs == f->stampNs &&
            f->size <= b->o->maxFileBytes) {
            b->stats->unchanged++;
            b->nUnchangedBroken += old->nProblem > 0;
            continue;
        }
        b->aJob[b->nJob++] = (S_job){.file = f, .old = old};
    }
    /* The walk's own skips (a name not UTF-8, a broken link) are counted
     * skipped, as a binary file the index never held is; one it held is
     * gone from the tree, and counted removed. */
    for (int k = 0; k < b->files.nSkipped; k++) b->stats->skipped += S_find_old(b, b->files.aSkipped[k]) == NULL;
    /* A document under a folder the walk could not read is not gone: it
     * keeps its indexed version, counted skipped, and the folder says so. */
    for (int k = 0; k < b->files.nUnread; k++) {
        const char *dir = b->files.aUnread[k];
        int nKept = 0;
        for (int i = 0; i < b->nOld; i++) {
            S_old_doc *old = &b->aOld[i];
            size_t n = strlen(dir);
            if (old->seen || strncmp(old->path, dir, n) != 0 || (old->path[n] != 0 && old->path[n] != '/')) continue;
            old->seen = 1;
            nKept++;
        }
        b->stats->skipped += nKept;
        if (nKept) {
            char *zShown = kb_shown(dir);
            fputs(_("kb-index: warning: "), stderr);
            fprintf(stderr, _("%s: cannot be read; documents indexed from it, kept as they were: %d\n"), zShown,
                    nKept);
            free(zShown);
        }
    }
}

static int S_has_removals(S_build *b) {
    for (int i = 0; i < b->nOld; i++)
        if (!b->aOld[i].seen) return 1;
    return 0;
}

/* 1 if every job is a file the index does not hold that is skipped, or
 * one it holds that cannot be read now (JOB_KEEP): a bad file (binary, not
 * UTF-8, too large) stays bad from run to run, and skipping it again must
 * not rewrite the index. Reads jobs until the first that is not; the
 * workers read that one again, and keep the verdicts. */
static int S_only_new_skips(S_build *b) {
    for (int i = 0; i < b->nJob; i++) {
        S_job *j = &b->aJob[i];
        char *src = NULL;
        size_t n = 0;
        if (S_read_doc(b, j, &src, &n)) {
            free(src);
            return 0;
        }
        if (j->action != JOB_KEEP && j->old) return 0;
    }
    return 1;
}

static void S_free(S_build *b) {
    for (int i = 0; i < b->nWalkWarning; i++) free(b->aWalkWarning[i].message);
    for (int i = 0; i < b->nUnreadable; i++) free(b->aUnreadable[i]);
    free(b->aUnreadable);
    for (int i = 0; i < b->nOld; i++) free(b->aOld[i].path);
    free(b->aOld);
    for (int i = 0; b->aRootReal && i < b->o->nRoot; i++) {
        free(b->aRootReal[i]);
        free(b->aRootPrefix[i]);
    }
    free(b->aRootReal);
    free(b->aRootPrefix);
    free(b->aRootLocale);
    free(b->zRootLocales);
    free(b->zOldRootLocales);
    free(b->aJob);
    for (int i = 0; i < b->nDict; i++) kb_buf_free(&b->aDict[i].dict);
    kb_file_list_free(&b->files);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
}

/* The file a --db that is a symbolic link names (a link to a link too),
 * resolved even when it does not exist yet: the index is written there,
 * next to it its temp file and lock, not over the link. Malloc'd; NULL for
 * links that make a loop. */
static char *S_resolve_db(const char *path) {
    char *z = kb_xstrdup(path);
    for (int hop = 0;; hop++) {
        if (hop == 40) { /* a loop: renaming the new index over it would end it silently */
            free(z);
            return NULL;
        }
        struct stat st;
        char target[4096];
        ssize_t n;
        if (lstat(z, &st) != 0 || !S_ISLNK(st.st_mode) || (n = readlink(z, target, sizeof target - 1)) <= 0) break;
        target[n] = 0;
        const char *slash = strrchr(z, '/');
        char *next = target[0] == '/' || !slash ? kb_xstrdup(target)
                                                : kb_xasprintf("%.*s/%s", (int)(slash - z), z, target);
        free(z);
        z = next;
    }
    /* SQLite reads a name that starts "file:" as a URI (Debian builds it
     * so) and ":memory:" as no file: kb-index had written its index under
     * one name and renamed an empty file over --db. "./" makes either a
     * plain path, for the run's temporary file too. */
    if (strncmp(z, "file:", 5) == 0 || strcmp(z, ":memory:") == 0) {
        char *plain = kb_xasprintf("./%s", z);
        free(z);
        z = plain;
    }
    return z;
}

/* Why a new index was not written, after the failure's own words: the
 * disk only when the system said so, the previous index only if there
 * was one. */
static int S_write_failed(const S_build *b, int rc, int hadIndex) {
    char *why = kb_xstrdup(kb_errmsg()); /* kb_fail rewrites the message buffer */
    /* SQLite's own words added nothing: "database: database or disk is full" */
    if (b->diskFull)
        rc = kb_fail(KB_EDB, hadIndex ? _("%s: disk full: the previous index is unchanged")
                                      : _("%s: disk full: no index was written"), b->o->dbPath);
    else
        rc = kb_fail(KB_EDB, hadIndex ? _("%s; the new index could not be written; the previous index is unchanged")
                                      : _("%s; the new index could not be written"), why);
    free(why);
    return rc;
}

/* How many of paths (files and folders; "" is the whole tree) the index
 * at dbPath holds documents from, and into *pnDocs (if not NULL) how many
 * documents that is; 0 when it cannot be read (damaged: --full is its
 * repair), or holds none. */
static int S_held_from(const char *dbPath, const char *const *aPath, int nPath, int *pnDocs) {
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int nHeld = 0, nDocs = 0;
    /* Two ranges the path index seeks (0.03 ms a path on es-ES + zh-TW);
     * "?1 = ''" in the statement had made it a scan (1.8 ms). "" is every
     * path: any text sorts below a blob. */
    if (kb_db_open_read(dbPath, &db) == KB_OK &&
        kb_db_prepare(db, "SELECT count(*) FROM docs WHERE path = ?1 OR (path > ?1 || ?2 AND path < ?3)", &st) ==
            KB_OK)
        for (int i = 0; i < nPath; i++) {
            int whole = aPath[i][0] == 0;
            char *zEnd = whole ? NULL : kb_xasprintf("%s0", aPath[i]); /* '0' follows '/' */
            sqlite3_bind_text(st, 1, aPath[i], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, whole ? "" : "/", -1, SQLITE_STATIC);
            if (whole) sqlite3_bind_blob(st, 3, "\xff", 1, SQLITE_STATIC);
            else sqlite3_bind_text(st, 3, zEnd, -1, SQLITE_STATIC);
            int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
            nHeld += n > 0;
            nDocs += n;
            sqlite3_reset(st);
            free(zEnd);
        }
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (pnDocs) *pnDocs = nDocs;
    return nHeld;
}

/* A DIR with no file at all, where the index holds documents from it, is
 * a folder not mounted or a checkout gone, not docs deleted: the run is
 * refused (KB_EIO) and the index left as it was. It had emptied the index,
 * exit 0. Docs gone for good leave with their DIR off the command line
 * (and a whole index with its file). */
static int S_empty_root_refused(S_build *b) {
    if (b->files.nUnread || b->files.nSkipped) return KB_OK; /* no empty folder: said and counted so */
    for (int i = 0; i < b->o->nRoot; i++) {
        int nFile = 0;
        for (int k = 0; k < b->files.n && !nFile; k++) nFile = b->files.a[k].rootIndex == i;
        if (nFile) continue;
        const char *prefix = b->aRootPrefix[i] ? b->aRootPrefix[i] : "";
        int nHeld = 0;
        S_held_from(b->o->dbPath, &prefix, 1, &nHeld);
        if (nHeld > 0)
            return kb_fail(KB_EIO,
                           P_("%s holds no file, and the index holds %d document from it: %s is left as it was "
                              "(a folder not mounted? if its documents are gone for good, leave it off the "
                              "command line)",
                              "%s holds no file, and the index holds %d documents from it: %s is left as it was "
                              "(a folder not mounted? if its documents are gone for good, leave it off the "
                              "command line)",
                              nHeld),
                           b->o->aRoot[i], nHeld, b->o->dbPath);
    }
    return KB_OK;
}

/* A new index written whole holds nothing of the files and folders it
 * could not read, which an update keeps as they were indexed. Whether
 * asked for (--full) or made so by an index of another kb or pipeline, it
 * is refused when the old index holds documents from them: the old index
 * is left as it was, KB_EIO. An automatic rebuild had dropped them with
 * exit 0, though the old index still answers. */
static int S_unread_lost(S_build *b) {
    if (b->nUnreadable + b->files.nUnread == 0) return KB_OK;
    int nHeld = S_held_from(b->o->dbPath, (const char *const *)b->aUnreadable, b->nUnreadable, NULL) +
                S_held_from(b->o->dbPath, (const char *const *)b->files.aUnread, b->files.nUnread, NULL);
    if (nHeld == 0) return KB_OK; /* each file said why it was skipped */
    return kb_fail(KB_EIO,
                   P_("%d file or folder cannot be read, and a full rebuild would drop the documents the "
                      "index holds from it: %s is left as it was (make it readable, or move it out "
                      "of the tree)",
                      "%d files or folders cannot be read, and a full rebuild would drop the documents the "
                      "index holds from them: %s is left as it was (make them readable, or move them out "
                      "of the tree)",
                      nHeld),
                   nHeld, b->o->dbPath);
}

int kb_build(const kb_build_opts *opts, kb_build_stats *stats) {
    double t0 = S_now();
    memset(stats, 0, sizeof *stats);
    kb_build_opts resolved = *opts;
    char *zDb = S_resolve_db(opts->dbPath);
    if (!zDb) return kb_fail(KB_EDB, _("%s: symbolic links that make a loop"), opts->dbPath);
    resolved.dbPath = zDb;
    const kb_build_opts *o = &resolved;
    S_build b = {.o = o, .stats = stats, .racyFromNs = S_wall_ns() - S_RACY_MARGIN_NS};
    pthread_mutex_init(&b.mu, NULL);
    pthread_cond_init(&b.cv, NULL);
    size_t nDb = strlen(o->dbPath);
    /* "new.db/" names a folder: its parent folders were made, then it. */
    int rc = nDb > 0 && o->dbPath[nDb - 1] == '/'
                 ? kb_fail(KB_EDB, _("%s ends with '/'; --db names the index file to write"), o->dbPath)
                 : S_mkdir_parent(o->dbPath);
    int lockFd = -1;
    if (rc == KB_OK) rc = kb_db_path_fits(o->dbPath, KB_SWAP_TMP_EXTRA);
    if (rc == KB_OK) rc = kb_swap_check_replaceable(o->dbPath);
    if (rc == KB_OK) rc = kb_swap_lock(o->dbPath, o->wait, o->quiet, &lockFd);
    /* Looked at once the lock is ours: the kb-index this run waited for may
     * have made the index, which --full must then not lose pages of. */
    int hadIndex = rc == KB_OK && access(o->dbPath, F_OK) == 0;
    double waited = S_now() - t0; /* for another kb-index: not this run's time */
    char *tmpPath = NULL;
    if (rc == KB_OK) kb_swap_remove_stale(o->dbPath, o->quiet);
    if (rc == KB_OK) rc = S_setup(&b);
    if (rc == KB_OK && hadIndex) rc = S_empty_root_refused(&b);
    if (rc == KB_OK && !o->full) rc = S_load_old(&b);
    if (rc == KB_OK) {
        S_plan(&b);
        b.incremental = b.nOld > 0 && !o->full;
        if (b.incremental && !S_has_removals(&b) && S_only_new_skips(&b)) {
            /* Nothing to write; the skipped files still say why. */
            for (int i = 0; i < b.nJob; i++) {
                rc = S_write_job(&b, NULL, &b.aJob[i]); /* KB_OK: a skip of a file not held */
                S_job_free(&b.aJob[i]);
            }
        } else {
            rc = S_build_tmp(&b, &tmpPath);
            if (rc == KB_EDB && !b.damaged) rc = S_write_failed(&b, rc, hadIndex);
            if (rc == KB_OK && hadIndex && !b.incremental) rc = S_unread_lost(&b);
            if (rc == KB_OK) rc = kb_swap_lock_held(lockFd, o->dbPath);
            if (rc == KB_OK) rc = kb_swap_install(tmpPath, o->dbPath);
            else if (tmpPath) kb_swap_discard(tmpPath);
        }
    }
    S_print_hidden(&b);
    struct stat st;
    if (rc == KB_OK && stat(o->dbPath, &st) == 0) stats->dbBytes = st.st_size;
    stats->seconds = S_now() - t0 - waited;
    free(tmpPath);
    S_free(&b);
    if (lockFd >= 0) close(lockFd);
    free(zDb);
    return rc;
}

/* The per-locale table: its columns' titles, translated, over numbers
 * aligned to their right edge, so that no number stands beside a noun
 * whose plural it would need ("1 documents"). A column is at least as wide
 * as the words of a large docs set (es-ES: 6,572,741) with room to spare. */
enum { S_SUMMARY_COLUMNS = 5, S_SUMMARY_MIN_WIDTH = 9 };

static void S_summary_widths(const char *const *aTitle, int *aWidth) {
    for (int c = 0; c < S_SUMMARY_COLUMNS; c++) {
        int w = kb_layout_columns(aTitle[c], strlen(aTitle[c]));
        aWidth[c] = w > S_SUMMARY_MIN_WIDTH ? w : S_SUMMARY_MIN_WIDTH;
    }
}

static void S_summary_cell(kb_buf *out, const char *z, int width, int left) {
    int pad = width - kb_layout_columns(z, strlen(z));
    kb_buf_adds(out, "  ");
    for (int i = 0; !left && i < pad; i++) kb_buf_addc(out, ' ');
    kb_buf_adds(out, z);
    for (int i = 0; left && i < pad; i++) kb_buf_addc(out, ' ');
}

static void S_summary_row(kb_buf *out, const char *const *aCell, const int *aWidth) {
    for (int c = 0; c < S_SUMMARY_COLUMNS; c++) S_summary_cell(out, aCell[c], aWidth[c], c == 0);
    while (out->n && out->z[out->n - 1] == ' ') out->n--;
    kb_buf_addc(out, '\n');
}

/* The last line: totals, seconds, what changed since the last run, the
 * index and its size, each count in its own plural. */
static void S_summary_totals(kb_buf *out, long long docs, long long secs, long long ids, int nLocale,
                             const char *dbPath, const kb_build_stats *s) {
    /* TRANSLATORS: between two counts of kb-index's last line */
    const char *comma = _(", ");
    kb_buf_adds(out, "kb-index: ");
    kb_buf_addf(out, P_("%lld document", "%lld documents", docs), docs);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%lld section", "%lld sections", secs), secs);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%lld error ID", "%lld error IDs", ids), ids);
    kb_buf_adds(out, comma);
    /* TRANSLATORS: the locales and the seconds the run took, "1 locale in 0.03 s" */
    kb_buf_addf(out, P_("%d locale in %.2f s", "%d locales in %.2f s", nLocale), nLocale, s->seconds);
    /* TRANSLATORS: opens the counts of what changed, which "); %s %.1f MB" closes */
    kb_buf_adds(out, _(" ("));
    /* TRANSLATORS: documents this run added, changed... since the last */
    kb_buf_addf(out, P_("%d added", "%d added", s->added), s->added);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%d changed", "%d changed", s->changed), s->changed);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%d removed", "%d removed", s->removed), s->removed);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%d unchanged", "%d unchanged", s->unchanged), s->unchanged);
    kb_buf_adds(out, comma);
    kb_buf_addf(out, P_("%d skipped", "%d skipped", s->skipped), s->skipped);
    /* TRANSLATORS: after the counts: the index file and its size */
    kb_buf_addf(out, _("); %s %.1f MB\n"), dbPath, (double)s->dbBytes / 1e6);
}

int kb_build_print_summary(const char *dbPath, const kb_build_stats *s) {
    sqlite3 *db = NULL;
    int rc = kb_db_open_read(dbPath, &db);
    if (rc) return rc;
    sqlite3_stmt *st = NULL;
    rc = kb_db_prepare(db,
                       "SELECT d.locale, count(*), sum(d.nsection),"
                       " (SELECT count(DISTINCT e.key) FROM error_ids e JOIN sections x ON x.id=e.section_id"
                       "  WHERE x.locale=d.locale),"
                       " sum(d.nword) FROM docs d GROUP BY d.locale ORDER BY d.locale",
                       &st);
    /* TRANSLATORS: the titles of the columns of the per-locale table
     * kb-index prints after indexing */
    const char *aTitle[S_SUMMARY_COLUMNS] = {_("locale"), _("documents"), _("sections"), _("error IDs"), _("words")};
    int aWidth[S_SUMMARY_COLUMNS];
    S_summary_widths(aTitle, aWidth);
    kb_buf out = {0};
    S_summary_row(&out, aTitle, aWidth);
    long long docs = 0, secs = 0, ids = 0;
    int nLocale = 0, step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char aNum[S_SUMMARY_COLUMNS - 1][24]; /* the row's counts, in the table's order */
        for (int k = 0; k < S_SUMMARY_COLUMNS - 1; k++)
            snprintf(aNum[k], sizeof aNum[k], "%lld", (long long)sqlite3_column_int64(st, k + 1));
        const char *zLocale = (const char *)sqlite3_column_text(st, 0);
        const char *aCell[S_SUMMARY_COLUMNS] = {zLocale ? zLocale : "", aNum[0], aNum[1], aNum[2], aNum[3]};
        S_summary_row(&out, aCell, aWidth);
        docs += sqlite3_column_int64(st, 1);
        secs += sqlite3_column_int64(st, 2);
        nLocale++;
    }
    /* The totals of an index that cannot be read to the end would be wrong. */
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    /* Each ID once, however many sections and locales name it: the
     * sections naming one had been counted (274 on the bundled corpus,
     * of 153 IDs). */
    st = NULL;
    if (rc == KB_OK) rc = kb_db_prepare(db, "SELECT count(DISTINCT key) FROM error_ids", &st);
    if (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) ids = sqlite3_column_int64(st, 0);
    else if (rc == KB_OK) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    sqlite3_close(db);
    if (rc == KB_OK) {
        S_summary_totals(&out, docs, secs, ids, nLocale, dbPath, s);
        fwrite(out.z, 1, out.n, stdout);
    }
    kb_buf_free(&out);
    return rc;
}
