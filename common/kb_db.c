/* kb_db.c: see kb_db.h. */
#include "kb_db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_msg.h"
#include "kb_tok.h"
#include "kb_util.h"

static const char kb_schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS docs(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  path TEXT NOT NULL UNIQUE,   -- relative to the indexed directory, '/' separators\n"
    "  dkey TEXT NOT NULL,          -- path without its locale folder: the same document across locales\n"
    "  locale TEXT NOT NULL,        -- 'es-es'\n"
    "  title TEXT, description TEXT, topic TEXT, date TEXT,\n"
    "  size INTEGER, stamp INTEGER, hash TEXT, -- change detection (stamp: kb_file_stamp)\n"
    "  xhash TEXT,                  -- ...of the text with its includes, as read\n"
    "  nsection INTEGER, nword INTEGER,\n"
    "  nproblem INTEGER NOT NULL DEFAULT 0 -- problems kb-index showed when it parsed it (include, front matter)\n"
    ");\n"
    "CREATE TABLE IF NOT EXISTS doc_includes(\n"
    "  doc_id INTEGER NOT NULL, path TEXT NOT NULL, size INTEGER, stamp INTEGER,\n"
    "  PRIMARY KEY(doc_id, path)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS sections(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  doc_id INTEGER NOT NULL,\n"
    "  ord INTEGER NOT NULL,        -- position in the document\n"
    "  anchor TEXT NOT NULL,\n"

    "  level INTEGER NOT NULL, line INTEGER NOT NULL,\n"
    "  locale TEXT NOT NULL, lang TEXT NOT NULL,\n"
    "  heading TEXT NOT NULL,\n"
    "  breadcrumb TEXT NOT NULL,    -- heading path, parts separated by U+001F\n"
    "  problem INTEGER NOT NULL DEFAULT 0, -- 1: about something going wrong (kb_store.h)\n"
    "  aliases TEXT                 -- the heading's further anchors, separated by U+001F; NULL: none\n"
    ");\n"
    "-- Kept apart so that ranking and lookups, which read sections rows, never\n"
    "-- page through text they do not show.\n"
    "CREATE TABLE IF NOT EXISTS section_view(\n"
    "  id INTEGER PRIMARY KEY,      -- sections.id\n"
    "  view BLOB NOT NULL           -- kb_view: Markdown, text, normalized Markdown, remediation, links; packed\n"
    ");\n"
    "-- The zstd dictionaries the views are packed with, one per language, trained\n"
    "-- on the corpus; a view's frame names its dictionary by id.\n"
    "CREATE TABLE IF NOT EXISTS dicts(id INTEGER PRIMARY KEY, lang TEXT NOT NULL, dict BLOB NOT NULL);\n"
    "CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id, ord);\n"
    "CREATE INDEX IF NOT EXISTS docs_dkey ON docs(dkey);\n"
    "-- Every anchor of a section, its own and its aliases. kb-index forgets a\n"
    "-- section's rows here and in heading_keys by their keys, which the\n"
    "-- section's row gives: neither table has an index on section_id.\n"
    "CREATE TABLE IF NOT EXISTS anchors(anchor TEXT NOT NULL, section_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY(anchor, section_id)) WITHOUT ROWID;\n"
    "-- Each heading's words as a question reads them (kb_tok_words_key): the\n"
    "-- sections a question names word for word.\n"
    "CREATE TABLE IF NOT EXISTS heading_keys(key INTEGER NOT NULL, section_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY(key, section_id)) WITHOUT ROWID;\n"
    "CREATE TABLE IF NOT EXISTS error_ids(\n"
    "  key TEXT NOT NULL, section_id INTEGER NOT NULL, raw TEXT, kind INTEGER, defining INTEGER,\n"
    "  PRIMARY KEY(key, section_id)) WITHOUT ROWID;\n"
    "CREATE INDEX IF NOT EXISTS error_ids_section ON error_ids(section_id);\n"
    "-- What the full-text pass of a query that is just an error key finds: the\n"
    "-- best sections of each language and their scores, stored by kb-index so\n"
    "-- that such a query opens no FTS table. Section 0: a key too common to store.\n"
    "CREATE TABLE IF NOT EXISTS error_text(key TEXT NOT NULL, section_id INTEGER NOT NULL, score REAL NOT NULL,\n"
    "  PRIMARY KEY(key, section_id)) WITHOUT ROWID;\n"
    "-- Per language: its sections, and the most copies of one document it\n"
    "-- holds (one per locale, es-es and es-mx): a query takes that many times\n"
    "-- the rows it shows from the language's FTS table, since copies fold into one.\n"
    "CREATE TABLE IF NOT EXISTS langs(lang TEXT PRIMARY KEY, nsection INTEGER NOT NULL DEFAULT 0,\n"
    "  ncopy INTEGER NOT NULL DEFAULT 1) WITHOUT ROWID;\n"
    "-- How many sections hold each indexed term (as the tokenizer writes it),\n"
    "-- every term of every language: for ranking statistics, typo correction,\n"
    "-- and to know that a language lacks a word without opening its FTS table.\n"
    "-- fts5vocab would walk a term's whole doclist to count it.\n"
    "CREATE TABLE IF NOT EXISTS terms(lang TEXT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL,\n"
    "  PRIMARY KEY(lang, term)) WITHOUT ROWID;\n"
    "-- Sets of sections as bitmaps (bit i of byte i / 8: section id i), which the\n"
    "-- ranking function is given whole: 'problem', the sections with problem = 1.\n"
    "CREATE TABLE IF NOT EXISTS section_sets(name TEXT PRIMARY KEY, bits BLOB NOT NULL) WITHOUT ROWID;\n"
    "-- English words and the words of a language's docs that translate them,\n"
    "-- learned from the docs' English anchors (kb_lexicon.h): word as the\n"
    "-- English tokenizer writes it, docs_word as the docs spell it.\n"
    "CREATE TABLE IF NOT EXISTS lexicon(lang TEXT NOT NULL, word TEXT NOT NULL, docs_word TEXT NOT NULL,\n"
    "  score REAL NOT NULL, PRIMARY KEY(word, lang, docs_word)) WITHOUT ROWID;\n";

int kb_db_default_path(const char *explicitPath, char *out, size_t cap) {
    const char *env = getenv("KB_DB");
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    int n;
    /* XDG_DATA_HOME and HOME count only as absolute paths (the XDG spec
     * says to ignore a relative one): unset HOME had put the index in
     * ./.local/share/kb under whatever the current folder was. */
    if (explicitPath && *explicitPath) n = snprintf(out, cap, "%s", explicitPath);
    else if (env && *env) n = snprintf(out, cap, "%s", env);
    else if (xdg && xdg[0] == '/') n = snprintf(out, cap, "%s/kb/kb.sqlite", xdg);
    else if (home && home[0] == '/') n = snprintf(out, cap, "%s/.local/share/kb/kb.sqlite", home);
    else
        return kb_fail(KB_EUSAGE,
                       _("no index path: give --db or set KB_DB (neither XDG_DATA_HOME nor HOME is an absolute path)"));
    /* cut short, it would name another file, which may exist */
    if (n < 0 || (size_t)n >= cap) return kb_fail(KB_EDB, _("the index path is too long (at most %zu bytes)"), cap - 1);
    return KB_OK;
}

int kb_db_damaged(const char *path, const char *why) {
    if (!path || !*path) return kb_fail(KB_EDB, _("database: %s"), why);
    return kb_fail(KB_EDB, _("the index %s is damaged (%s); rebuild it with: kb-index --full --db %s DIR"), path, why,
                   path);
}

static _Thread_local int S_lastCode;
static _Thread_local char S_lastWhy[256];
static _Thread_local int S_lastErrno;

int kb_db_last_error(const char **pWhy, int *pErrno) {
    if (pWhy) *pWhy = S_lastWhy;
    if (pErrno) *pErrno = S_lastErrno;
    return S_lastCode;
}

/* Why an index reads as damaged, in words, not SQLite's: "no such table:
 * error_text" of a table a damaged schema lost, "SQL logic error" of an
 * FTS table without its parts, "database disk image is malformed". */
static const char *S_damage_why(sqlite3 *db, char *buf, size_t cap) {
    static const struct {
        const char *prefix, *what;
    } aMissing[] = {{"no such table: ", N_("its table %s is missing")},
                    {"no such column: ", N_("its column %s is missing")},
                    {"no such index: ", N_("its index %s is missing")}};
    const char *why = sqlite3_errmsg(db);
    for (size_t i = 0; i < sizeof aMissing / sizeof aMissing[0]; i++) {
        size_t n = strlen(aMissing[i].prefix);
        if (strncmp(why, aMissing[i].prefix, n) == 0) {
            snprintf(buf, cap, _(aMissing[i].what), why + n);
            return buf;
        }
    }
    switch (sqlite3_errcode(db) & 0xff) {
    case SQLITE_CORRUPT: return _("a page of it does not read back");
    case SQLITE_NOTADB: return _("it is not a database file");
    default: return _("its tables do not read as kb's");
    }
}

int kb_db_fail(sqlite3 *db) {
    int code = sqlite3_errcode(db) & 0xff;
    S_lastCode = code;
    S_lastErrno = sqlite3_system_errno(db);
    snprintf(S_lastWhy, sizeof S_lastWhy, "%s", sqlite3_errmsg(db));
    char why[256];
    if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB ||
        (code == SQLITE_ERROR && sqlite3_db_readonly(db, "main") == 1))
        return kb_db_damaged(sqlite3_db_filename(db, "main"), S_damage_why(db, why, sizeof why));
    return kb_fail(KB_EDB, _("database: %s"), sqlite3_errmsg(db));
}

int kb_db_exec(sqlite3 *db, const char *sql) {
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? KB_OK : kb_db_fail(db);
}

int kb_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **pStmt) {
    return sqlite3_prepare_v2(db, sql, -1, pStmt, NULL) == SQLITE_OK ? KB_OK : kb_db_fail(db);
}

void kb_db_fts_name(const char *lang, char *out, size_t cap) { snprintf(out, cap, "fts_%s", lang); }

int kb_db_lang_ok(const char *lang) {
    size_t n = lang ? strlen(lang) : 0;
    if (n < 2 || n > 3) return 0;
    for (size_t i = 0; i < n; i++)
        if (lang[i] < 'a' || lang[i] > 'z') return 0;
    return 1;
}

int kb_db_ensure_lang(sqlite3 *db, const char *lang) {
    if (!kb_db_lang_ok(lang)) return kb_fail(KB_EUSAGE, _("invalid language code '%s'"), lang);
    char sql[512];
    snprintf(sql, sizeof sql,
             "CREATE VIRTUAL TABLE IF NOT EXISTS fts_%s USING fts5("
             KB_DB_FTS_COLUMNS ", content='', "
             "tokenize='kb %s');"
             "INSERT OR IGNORE INTO langs(lang) VALUES('%s');",
             lang, lang, lang);
    int rc = kb_db_exec(db, sql);
    /* Headings and breadcrumbs weigh most, then error-message text, then
     * the body. Stored in the table, so `ORDER BY rank` applies it. */
    if (rc == KB_OK) {
        snprintf(sql, sizeof sql, "INSERT INTO fts_%s(fts_%s, rank) VALUES('rank', 'bm25(%s)')", lang, lang,
                 KB_DB_COLUMN_WEIGHTS);
        rc = kb_db_exec(db, sql);
    }
    return rc;
}

int kb_db_meta(sqlite3 *db, const char *key, char *out, size_t cap) {
    sqlite3_stmt *st = NULL;
    out[0] = 0;
    int rc = kb_db_prepare(db, "SELECT value FROM meta WHERE key=?", &st);
    if (rc != KB_OK) return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_text(st, 0))
        snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    return rc;
}

/* "file:" URI for a path, so we can ask for immutable=1: the file is only
 * ever replaced by rename, never written in place. */
static char *S_uri(const char *path) {
    kb_buf b = {0};
    kb_buf_adds(&b, "file:");
    /* "file://tmp/x" would name the host "tmp": "//" is "/" to Linux, and
     * a HOME of "/" makes the default path "//.local/share/kb/kb.sqlite" */
    while (path[0] == '/' && path[1] == '/') path++;
    /* a relative path as one: "file::memory:" would be no file at all */
    if (path[0] != '/') kb_buf_adds(&b, "./");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#' || *p < 0x20) kb_buf_addf(&b, "%%%02X", *p);
        else kb_buf_addc(&b, (char)*p);
    }
    kb_buf_adds(&b, "?mode=ro&immutable=1");
    return kb_buf_detach(&b);
}

/* An integer PRAGMA's value into *pValue; 0 if it cannot be read (not a
 * database). */
static int S_pragma_int(sqlite3 *db, const char *sql, int *pValue) {
    sqlite3_stmt *st = NULL;
    int ok = sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW;
    if (ok) *pValue = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return ok;
}

int kb_db_header(const char *path) {
    unsigned char head[72];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(head, 1, sizeof head, f) : 0;
    if (f) fclose(f);
    if (n == 0) return -1;
    unsigned long appId = n == sizeof head ? (unsigned long)head[68] << 24 | head[69] << 16 | head[70] << 8 | head[71] : 0;
    return n == sizeof head && memcmp(head, "SQLite format 3", 16) == 0 && appId == KB_APPLICATION_ID;
}

static int S_check_schema(sqlite3 *db, const char *path) {
    int appId = 0, version = -1;
    /* random bytes, or a kb index whose header or schema is damaged: kb-index
     * will not write over a file whose header names no kb index (kb_db_header),
     * where --full alone would not do */
    if (!S_pragma_int(db, "PRAGMA application_id", &appId)) {
        if (kb_db_header(path) == 1)
            return kb_fail(KB_EDB, _("%s is not a kb index, or a damaged one (%s); rebuild it with: kb-index --full --db %s DIR"),
                           path, sqlite3_errmsg(db), path);
        return kb_fail(KB_EDB, _("%s is not a kb index, or a damaged one (%s); if it is your index, delete it and "
                                 "build it again: kb-index --db %s DIR"),
                       path, sqlite3_errmsg(db), path);
    }
    /* SQLite takes an empty file for an empty database; kb-index takes it
     * for no index yet (touched, or a crash before the first page). */
    if (appId == 0 && kb_db_header(path) == -1)
        return kb_fail(KB_EDB, _("%s is empty: no index was built there yet; build one with: kb-index --db %s DIR"),
                       path, path);
    if (appId != KB_APPLICATION_ID)
        return kb_fail(KB_EDB, _("%s is an SQLite database but not a kb index; point --db at a kb index "
                                 "or build one with: kb-index --db FILE DIR"), path);
    S_pragma_int(db, "PRAGMA user_version", &version);
    if (version != KB_SCHEMA_VERSION)
        return kb_fail(KB_EDB, _("%s has index format %d, this kb-query reads format %d; "
                                 "rebuild it with: kb-index --full --db %s DIR"),
                       path, version, KB_SCHEMA_VERSION, path);
    return KB_OK;
}

/* Whether db has the object named z (a table or index): SQLITE_ROW if
 * so, SQLITE_DONE if not, else the error that kept it from being told. */
static int S_has_object(sqlite3_stmt *st, const char *z, size_t n) {
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, z, (int)n, SQLITE_TRANSIENT);
    return sqlite3_step(st);
}

/* Notes the object named z[0..n) in missing (cap bytes) if db lacks it;
 * KB_EDB when that cannot be told. */
static int S_note_missing(sqlite3 *db, sqlite3_stmt *st, const char *z, size_t n, char *missing, size_t cap) {
    int step = S_has_object(st, z, n);
    if (step == SQLITE_DONE) snprintf(missing, cap, "%.*s", (int)n, z);
    return step == SQLITE_ROW || step == SQLITE_DONE ? KB_OK : kb_db_fail(db);
}

/* The first object of the schema db lacks, into missing (cap bytes); a
 * language code no index can hold, into *pBadLang. */
static int S_find_missing(sqlite3 *db, sqlite3_stmt *st, char *missing, size_t cap, int *pBadLang) {
    int rc = KB_OK;
    /* the schema's own tables and indexes, by the names it creates */
    static const char *const aKind[] = {"CREATE TABLE IF NOT EXISTS ", "CREATE INDEX IF NOT EXISTS "};
    for (int k = 0; k < 2 && rc == KB_OK && !missing[0]; k++)
        for (const char *z = kb_schema_sql; rc == KB_OK && !missing[0] && (z = strstr(z, aKind[k])) != NULL;) {
            z += strlen(aKind[k]);
            rc = S_note_missing(db, st, z, strcspn(z, "( "), missing, cap);
        }
    /* each language's FTS table and the tables FTS5 keeps it in */
    static const char *const aFts[] = {"", "_data", "_idx", "_docsize", "_config"};
    sqlite3_stmt *langs = NULL;
    if (rc == KB_OK && !missing[0]) rc = kb_db_prepare(db, "SELECT lang FROM langs", &langs);
    int step = SQLITE_DONE;
    while (rc == KB_OK && !missing[0] && !*pBadLang && (step = sqlite3_step(langs)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(langs, 0);
        *pBadLang = !kb_db_lang_ok(lang);
        for (int k = 0; k < 5 && rc == KB_OK && !missing[0] && !*pBadLang; k++) {
            char name[16];
            snprintf(name, sizeof name, "fts_%s%s", lang, aFts[k]);
            rc = S_note_missing(db, st, name, strlen(name), missing, cap);
        }
    }
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(langs);
    return rc;
}

int kb_db_check_complete(sqlite3 *db, const char *path) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT 1 FROM sqlite_master WHERE name = ?1", &st);
    char missing[96] = "";
    int badLang = 0;
    if (rc == KB_OK) rc = S_find_missing(db, st, missing, sizeof missing, &badLang);
    sqlite3_finalize(st);
    if (rc == KB_OK && (missing[0] || badLang)) {
        char why[160];
        if (badLang) snprintf(why, sizeof why, "%s", _("table langs names a language no index can hold"));
        else snprintf(why, sizeof why, _("table %s is missing"), missing);
        rc = kb_db_damaged(path, why);
    }
    return rc;
}

/* The last step of opening: the kb tokenizer on the connection, or the
 * connection closed if anything failed. */
static int S_open_finish(sqlite3 *db, int rc, sqlite3 **pDb) {
    if (rc == KB_OK) rc = kb_tok_register_fts5(db); /* KB_EDB with its own reason */
    if (rc) {
        sqlite3_close(db);
        return rc;
    }
    *pDb = db;
    return KB_OK;
}

int kb_db_format(const char *path) {
    char *uri = S_uri(path);
    sqlite3 *db = NULL;
    int appId = 0, version = -1;
    if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK ||
        !S_pragma_int(db, "PRAGMA application_id", &appId) || appId != KB_APPLICATION_ID ||
        !S_pragma_int(db, "PRAGMA user_version", &version))
        version = -1;
    sqlite3_close(db);
    free(uri);
    return version;
}

int kb_db_path_fits(const char *path, size_t extra) {
    sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);
    size_t max = vfs ? (size_t)vfs->mxPathname : 512, n = strlen(path) + extra;
    char cwd[4096];
    /* a relative path is made absolute from the working folder */
    if (path[0] != '/') n += getcwd(cwd, sizeof cwd) ? strlen(cwd) + 1 : sizeof cwd;
    if (n < max) return KB_OK;
    return kb_fail(KB_EDB, _("%s: the path is too long for SQLite (%zu bytes with the working folder, at most %zu); "
                             "give --db a shorter one"),
                   path, n - extra, max - extra - 1);
}

int kb_db_open_read(const char *path, sqlite3 **pDb) {
    *pDb = NULL;
    if (kb_db_path_fits(path, 0) != KB_OK) return KB_EDB;
    struct stat st;
    if (stat(path, &st) != 0)
        return kb_fail(KB_EDB, _("no index at %s; build one first: kb-index --db %s DIR"), path, path);
    if (S_ISDIR(st.st_mode))
        return kb_fail(KB_EDB, _("%s is a directory; --db names the index file (kb-index --db FILE DIR builds one)"),
                       path);
    if (!S_ISREG(st.st_mode) || access(path, R_OK) != 0)
        return kb_fail(KB_EDB, _("cannot read the index %s; check its permissions or rebuild it"), path);
    char *uri = S_uri(path);
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
    free(uri);
    if (rc != SQLITE_OK) {
        rc = kb_fail(KB_EDB, _("cannot open the index %s (%s); rebuild it with: kb-index --full --db %s DIR"), path,
                     db ? sqlite3_errmsg(db) : _("out of memory"), path);
        sqlite3_close(db);
        return rc;
    }
    return S_open_finish(db, S_check_schema(db, path), pDb);
}

int kb_db_open_write(const char *path, sqlite3 **pDb) {
    *pDb = NULL;
    if (kb_db_path_fits(path, strlen("-journal")) != KB_OK) return KB_EDB;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        int rc = kb_fail(KB_EDB, _("cannot create %s: %s"), path, db ? sqlite3_errmsg(db) : _("out of memory"));
        sqlite3_close(db);
        return rc;
    }
    char sql[256];
    /* auto_vacuum: kb-index gives free pages back once the index is written. */
    snprintf(sql, sizeof sql,
             "PRAGMA journal_mode=OFF; PRAGMA auto_vacuum=INCREMENTAL; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536;"
             "PRAGMA application_id=%d; PRAGMA user_version=%d;",
             KB_APPLICATION_ID, KB_SCHEMA_VERSION);
    int rc = kb_db_exec(db, sql);
    if (rc == KB_OK) rc = kb_db_exec(db, kb_schema_sql);
    return S_open_finish(db, rc, pDb);
}

