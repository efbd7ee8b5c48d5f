/* kb_walk.c: see kb_walk.h. */
#include "kb_walk.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "kb_msg.h"
#include "kb_util.h"

/* A directory, by device and inode. */
typedef struct S_visit {
    dev_t dev;
    ino_t ino;
} S_visit;

/* A symbolic link to a directory, walked once every real directory has
 * been (S_walk_links), with the directories that held it. */
typedef struct S_link {
    char *path;
    int rootIndex, inIncludes, depth;
    S_visit *aPath; /* the root's ancestors, the root, ..., the link's folder */
    int nPath;
} S_link;

typedef struct S_walker {
    kb_file_list *list;
    char **aRoot;       /* each root as given, without a trailing '/' */
    const char *const *aPrefix;
    int rootIndex;      /* the root being walked, and its length and prefix */
    size_t rootLen;
    const char *prefix;
    kb_walk_warn_fn warn;
    void *ctx;
    S_visit *aVisit; /* the directories on the current path, to tell a loop */
    int nVisit, capVisit;
    S_visit *aSeen;  /* every directory walked, an open-addressing hash set */
    size_t nSeen, capSeen;
    S_link *aLink;   /* links to directories, waiting their turn */
    int nLink, capLink;
} S_walker;

static int S_ends_with_md(const char *name) {
    size_t n = strlen(name);
    return n > 3 && strcmp(name + n - 3, ".md") == 0;
}

static int S_cmp_file(const void *a, const void *b) {
    const kb_file *x = a, *y = b;
    return x->rootIndex != y->rootIndex ? (x->rootIndex > y->rootIndex) - (x->rootIndex < y->rootIndex)
                                        : strcmp(x->relPath, y->relPath);
}

/* Makes root i the one files and warnings are named under. */
static void S_enter_root(S_walker *w, int i) {
    w->rootIndex = i;
    w->rootLen = strlen(w->aRoot[i]);
    w->prefix = w->aPrefix ? w->aPrefix[i] : NULL;
}

static int S_on_path(S_walker *w, const struct stat *st) {
    for (int i = 0; i < w->nVisit; i++)
        if (w->aVisit[i].dev == st->st_dev && w->aVisit[i].ino == st->st_ino) return 1;
    return 0;
}

static size_t S_visit_hash(S_visit v) {
    return (size_t)((((uint64_t)v.dev << 32) ^ (uint64_t)v.ino) * UINT64_C(0x9E3779B97F4A7C15) >> 17);
}

/* Adds the directory to the set of those walked; 0 if it was there. */
static int S_first_visit(S_walker *w, const struct stat *st) {
    if (2 * (w->nSeen + 1) > w->capSeen) {
        S_visit *aOld = w->aSeen;
        size_t capOld = w->capSeen;
        w->capSeen = capOld ? capOld * 2 : 256;
        w->aSeen = kb_xcalloc(w->capSeen, sizeof *w->aSeen);
        w->nSeen = 0;
        for (size_t i = 0; i < capOld; i++)
            if (aOld[i].ino) {
                size_t k = S_visit_hash(aOld[i]) & (w->capSeen - 1);
                while (w->aSeen[k].ino) k = (k + 1) & (w->capSeen - 1);
                w->aSeen[k] = aOld[i];
                w->nSeen++;
            }
        free(aOld);
    }
    /* inode 0 marks an empty slot: no directory has it on Linux */
    S_visit v = {st->st_dev, st->st_ino ? st->st_ino : 1};
    size_t k = S_visit_hash(v) & (w->capSeen - 1);
    for (; w->aSeen[k].ino; k = (k + 1) & (w->capSeen - 1))
        if (w->aSeen[k].dev == v.dev && w->aSeen[k].ino == v.ino) return 0;
    w->aSeen[k] = v;
    w->nSeen++;
    return 1;
}

static void S_push_visit(S_walker *w, S_visit v) {
    if (w->nVisit == w->capVisit) {
        w->capVisit = w->capVisit ? w->capVisit * 2 : 16;
        w->aVisit = kb_xrealloc(w->aVisit, (size_t)w->capVisit * sizeof *w->aVisit);
    }
    w->aVisit[w->nVisit++] = v;
}

/* Puts off a link to a directory until every real directory is walked. */
static void S_defer_link(S_walker *w, const char *path, int inIncludes, int depth) {
    if (w->nLink == w->capLink) {
        w->capLink = w->capLink ? w->capLink * 2 : 8;
        w->aLink = kb_xrealloc(w->aLink, (size_t)w->capLink * sizeof *w->aLink);
    }
    S_link *l = &w->aLink[w->nLink++];
    *l = (S_link){kb_xstrdup(path), w->rootIndex, inIncludes, depth, kb_xcalloc((size_t)w->nVisit + 1, sizeof(S_visit)),
                  w->nVisit};
    memcpy(l->aPath, w->aVisit, (size_t)w->nVisit * sizeof(S_visit));
}

static void S_add_file(S_walker *w, const char *path, const struct stat *st, int inIncludes) {
    kb_file_list *l = w->list;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->a = kb_xrealloc(l->a, (size_t)l->cap * sizeof *l->a);
    }
    kb_file *f = &l->a[l->n++];
    f->absPath = kb_xstrdup(path);
    const char *rel = path + w->rootLen + 1;
    f->relPath = w->prefix ? kb_xasprintf("%s/%s", w->prefix, rel) : kb_xstrdup(rel);
    f->rootRelOffset = w->prefix ? (int)strlen(w->prefix) + 1 : 0;
    f->rootIndex = w->rootIndex;
    f->size = st->st_size;
    f->stampNs = kb_file_stamp(st);
    f->isInclude = inIncludes;
}

#define S_STAMP_MIX_MASK ((UINT64_C(1) << 20) - 1)

int64_t kb_file_stamp(const struct stat *st) {
    uint64_t mtimeNs = (uint64_t)st->st_mtim.tv_sec * 1000000000 + (uint64_t)st->st_mtim.tv_nsec;
    uint64_t ctimeNs = (uint64_t)st->st_ctim.tv_sec * 1000000000 + (uint64_t)st->st_ctim.tv_nsec;
    /* Fibonacci hashing: the high bits of the product depend on every bit of the key */
    uint64_t mix = ((ctimeNs ^ (uint64_t)st->st_ino * UINT64_C(0xC2B2AE3D27D4EB4F)) * UINT64_C(0x9E3779B97F4A7C15)) >> 44;
    return (int64_t)((mtimeNs & ~S_STAMP_MIX_MASK) | (mix & S_STAMP_MIX_MASK));
}

/* strerror() follows the UI language (kb_msg_init hands it to gettext, and
 * glibc's own catalog translates errno texts), but a walk warning also ends up
 * in kb-index --check lines that tools parse: the C locale's English. */
static locale_t S_cLocale;
static pthread_once_t S_cLocaleOnce = PTHREAD_ONCE_INIT;

static void S_make_c_locale(void) { S_cLocale = newlocale(LC_ALL_MASK, "C", (locale_t)0); }

static const char *S_strerror_en(int err) {
    pthread_once(&S_cLocaleOnce, S_make_c_locale);
    return S_cLocale ? strerror_l(err, S_cLocale) : strerror(err);
}

/* Warns about path (absolute, under the root) as documents are named: by
 * its relPath, shown escaped (kb_shown), the root as given. */
static void S_warn(S_walker *w, const char *path, const char *message) {
    if (!w->warn) return;
    const char *rel = strlen(path) > w->rootLen ? path + w->rootLen + 1 : NULL;
    char *zPath = rel && w->prefix ? kb_xasprintf("%s/%s", w->prefix, rel) : kb_xstrdup(rel ? rel : path);
    char *zShown = kb_shown(zPath);
    w->warn(w->ctx, w->rootIndex, zShown, message);
    free(zShown);
    free(zPath);
}

/* Appends path's relPath (its root's prefix first) to *paList. */
static void S_add_rel_path(S_walker *w, const char *path, char ***paList, int *pn, int *pCap) {
    if (*pn == *pCap) {
        *pCap = *pCap ? *pCap * 2 : 8;
        *paList = kb_xrealloc(*paList, (size_t)*pCap * sizeof **paList);
    }
    const char *rel = path + w->rootLen + 1;
    (*paList)[(*pn)++] = w->prefix ? kb_xasprintf("%s/%s", w->prefix, rel) : kb_xstrdup(rel);
}

/* A folder or entry the walk found but cannot read: what the index holds
 * from it is kept (kb_build), so it is remembered by its relPath. */
static void S_unread(S_walker *w, const char *path, int err) {
    S_warn(w, path, S_strerror_en(err));
    S_add_rel_path(w, path, &w->list->aUnread, &w->list->nUnread, &w->list->capUnread);
}

/* A document (not an include), or a folder too deep to walk, that the
 * walk passes by with a warning: the summary counts it skipped, unless
 * the index held it (kb_build). */
static void S_skipped(S_walker *w, const char *path) {
    S_add_rel_path(w, path, &w->list->aSkipped, &w->list->nSkipped, &w->list->capSkipped);
}

/* A name that is not UTF-8 (a Latin-1 "a\xf1o" copied from an old share)
 * would become a document path that no JSON answer, --check report or
 * terminal line can carry: the walk skips it, naming it escaped. */
static int S_name_ok(S_walker *w, const char *path, const char *name) {
    if (kb_utf8_valid(name, strlen(name), NULL)) return 1;
    S_warn(w, path, KB_WALK_NAME_NOT_UTF8);
    return 0;
}

/* Depth is bounded by the visit stack check and PATH_MAX-sized paths.
 * Warnings go out in English, marked N_(): kb-index --check prints them in
 * lines tools parse, and kb-index translates them where it prints them.
 * Returns 0, or the errno of the root (depth 0) that cannot be opened:
 * an unreadable DIR is the caller's failure, not a tree with no files. */
static int S_walk_dir(S_walker *w, const char *dir, const struct stat *dirSt, int inIncludes, int depth) {
    if (depth > 64) {
        /* counted skipped, as a document passed by is: the summary had
         * said "0 skipped" of a tree whose deepest documents it left out */
        S_warn(w, dir, N_("directory nesting deeper than 64 levels, skipped"));
        if (!inIncludes) S_skipped(w, dir);
        return 0;
    }
    DIR *d = opendir(dir);
    if (!d) {
        if (depth == 0) return errno;
        S_unread(w, dir, errno);
        return 0;
    }
    S_push_visit(w, (S_visit){dirSt->st_dev, dirSt->st_ino});
    struct dirent *e;
    while ((errno = 0, e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .., .git and other hidden entries */
        char *path = kb_xasprintf("%s/%s", dir, e->d_name);
        int isDoc = S_ends_with_md(e->d_name) && !(depth == 0 && strcasecmp(e->d_name, "README.md") == 0);
        struct stat st;
        int statErr = stat(path, &st) != 0 ? errno : 0;
        int docSkipped = isDoc && !inIncludes && (statErr || !S_ISDIR(st.st_mode));
        if ((statErr || isDoc || S_ISDIR(st.st_mode)) && !S_name_ok(w, path, e->d_name)) {
            /* warned: neither walked nor listed */
            if (docSkipped) S_skipped(w, path);
        } else if (statErr) {
            struct stat lst;
            /* A link to nothing is no file of the tree: nothing to keep. */
            if (statErr == ENOENT && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
                S_warn(w, path, KB_WALK_BROKEN_LINK);
                if (docSkipped) S_skipped(w, path);
            } else {
                S_unread(w, path, statErr);
            }
        } else if (S_ISDIR(st.st_mode)) {
            int inc = inIncludes || strcmp(e->d_name, "includes") == 0;
            struct stat lst;
            if (S_on_path(w, &st)) S_warn(w, path, KB_WALK_LINK_LOOP);
            else if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) S_defer_link(w, path, inc, depth + 1);
            else if (S_first_visit(w, &st)) S_walk_dir(w, path, &st, inc, depth + 1);
        } else if (isDoc) {
            if (S_ISREG(st.st_mode)) {
                S_add_file(w, path, &st, inIncludes);
            } else {
                S_warn(w, path, N_("not a regular file, skipped"));
                if (docSkipped) S_skipped(w, path);
            }
        }
        free(path);
    }
    /* readdir gives NULL at the end and on an error alike: a listing cut
     * short would make the files after the error look deleted. */
    int readErr = errno;
    closedir(d);
    w->nVisit--;
    if (readErr && readErr != ENOENT) {
        if (depth == 0) return readErr;
        S_unread(w, dir, readErr);
    }
    return 0;
}

/* The directories above the root, on the path of everything under it: a
 * link to one of them ("/", "..", /proc/self/root) holds the tree itself. */
static void S_push_root_ancestors(S_walker *w, const char *root) {
    char *up = kb_xasprintf("%s/..", root);
    struct stat st, prev = {0};
    for (int i = 0; i < 256 && stat(up, &st) == 0 && !(st.st_dev == prev.st_dev && st.st_ino == prev.st_ino); i++) {
        S_push_visit(w, (S_visit){st.st_dev, st.st_ino});
        prev = st;
        char *next = kb_xasprintf("%s/..", up);
        free(up);
        up = next;
    }
    free(up);
}

static int S_cmp_link(const void *a, const void *b) {
    const S_link *x = a, *y = b;
    return x->rootIndex != y->rootIndex ? (x->rootIndex > y->rootIndex) - (x->rootIndex < y->rootIndex)
                                        : strcmp(x->path, y->path);
}

/* Walks the links to directories the walk put off, root by root in path
 * order, and those they hold in turn. A directory is walked once: by its
 * own path when a root holds it, else through the first link to it. Two
 * links to one folder in each of 20 nested folders had made 2^20 paths to
 * walk; a link from one root into another, a second copy of its files. */
static void S_walk_links(S_walker *w) {
    while (w->nLink > 0) {
        S_link *aLink = w->aLink;
        int nLink = w->nLink;
        w->aLink = NULL, w->nLink = w->capLink = 0;
        qsort(aLink, (size_t)nLink, sizeof *aLink, S_cmp_link);
        for (int i = 0; i < nLink; i++) {
            S_link *l = &aLink[i];
            struct stat st;
            S_enter_root(w, l->rootIndex);
            w->nVisit = 0;
            for (int k = 0; k < l->nPath; k++) S_push_visit(w, l->aPath[k]);
            /* and the folders that hold the target where it is: a ".." in
             * it holds it too (ext/P/up -> ext had pulled ext/Q in) */
            S_push_root_ancestors(w, l->path);
            if (stat(l->path, &st) != 0) S_unread(w, l->path, errno); /* gone since */
            else if (S_on_path(w, &st)) S_warn(w, l->path, KB_WALK_LINK_LOOP);
            else if (!S_first_visit(w, &st)) S_warn(w, l->path, KB_WALK_LINK_SEEN);
            else S_walk_dir(w, l->path, &st, l->inIncludes, l->depth);
            free(l->path);
            free(l->aPath);
        }
        free(aLink);
    }
}

/* Walks root i's own directories (links put off); 0 or the errno of the
 * root itself. */
static int S_walk_root(S_walker *w, int i) {
    struct stat st;
    S_enter_root(w, i);
    const char *root = w->aRoot[i];
    if (stat(root, &st) != 0) return errno;
    if (!S_ISDIR(st.st_mode)) return ENOTDIR;
    if (w->prefix && !kb_utf8_valid(w->prefix, strlen(w->prefix), NULL)) {
        S_name_ok(w, root, w->prefix); /* every path of the tree would start with it */
        return 0;
    }
    w->nVisit = 0;
    S_push_root_ancestors(w, root);
    /* kb_walk_distinct_roots tells most repeats; a bind mount is another path */
    if (!S_first_visit(w, &st)) {
        S_warn(w, root, N_("the same directory as an earlier one, indexed once"));
        return 0;
    }
    return S_walk_dir(w, root, &st, 0, 0);
}

int kb_walk(const char *const *aRoot, const char *const *aPrefix, int nRoot, kb_file_list *list,
            kb_walk_warn_fn warn, void *ctx) {
    S_walker w = {.list = list, .aPrefix = aPrefix, .warn = warn, .ctx = ctx};
    w.aRoot = kb_xcalloc((size_t)nRoot + 1, sizeof *w.aRoot);
    for (int i = 0; i < nRoot; i++) {
        size_t len = strlen(aRoot[i]);
        while (len > 1 && aRoot[i][len - 1] == '/') len--;
        w.aRoot[i] = kb_xstrndup(aRoot[i], len);
    }
    int first = list->n, err = 0, i = 0;
    for (; i < nRoot && !err; i++) err = S_walk_root(&w, i);
    if (!err) S_walk_links(&w);
    for (int k = 0; k < w.nLink; k++) free(w.aLink[k].path), free(w.aLink[k].aPath); /* a root cut short */
    free(w.aLink);
    free(w.aVisit);
    free(w.aSeen);
    for (int k = 0; k < nRoot; k++) free(w.aRoot[k]);
    free(w.aRoot);
    if (err == ENOTDIR) return kb_fail(KB_EIO, _("%s: not a directory"), aRoot[i - 1]);
    if (err) return kb_fail(KB_EIO, "%s: %s", aRoot[i - 1], strerror(err));
    if (list->n - first > 1) qsort(list->a + first, (size_t)(list->n - first), sizeof *list->a, S_cmp_file);
    return KB_OK;
}

void kb_file_list_free(kb_file_list *list) {
    for (int i = 0; i < list->n; i++) {
        free(list->a[i].absPath);
        free(list->a[i].relPath);
    }
    free(list->a);
    for (int i = 0; i < list->nUnread; i++) free(list->aUnread[i]);
    free(list->aUnread);
    for (int i = 0; i < list->nSkipped; i++) free(list->aSkipped[i]);
    free(list->aSkipped);
    memset(list, 0, sizeof *list);
}

/* 1 if directory a is b or lies inside it (both resolved by realpath). */
static int S_within(const char *a, const char *b) {
    size_t n = strlen(b);
    return strncmp(a, b, n) == 0 && (a[n] == 0 || a[n] == '/' || (n > 0 && b[n - 1] == '/'));
}

int kb_walk_distinct_roots(const char **aRoot, int nRoot, kb_walk_warn_fn warn, void *ctx) {
    char **aReal = kb_xcalloc((size_t)nRoot + 1, sizeof *aReal);
    for (int i = 0; i < nRoot; i++) aReal[i] = realpath(aRoot[i], NULL);
    int nKept = 0;
    for (int i = 0; i < nRoot; i++) {
        const char *why = NULL;
        for (int k = 0; aReal[i] && k < nRoot && !why; k++) {
            if (k == i || !aReal[k] || !S_within(aReal[i], aReal[k])) continue;
            if (strcmp(aReal[i], aReal[k]) != 0) why = N_("inside another directory given, indexed from there");
            else if (k < i) why = N_("the same directory as an earlier one, indexed once");
        }
        if (why && warn) warn(ctx, i, aRoot[i], why);
        if (!why) aRoot[nKept++] = aRoot[i];
    }
    for (int i = 0; i < nRoot; i++) free(aReal[i]);
    free(aReal);
    return nKept;
}
