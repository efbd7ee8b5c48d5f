/* kb_db.h: the kb database - where it is, its schema, opening it.
 *
 * One SQLite file. Sections live in `sections`; each language has its own
 * FTS5 table `fts_LL` (tokenize='kb LL') over the sections of that language,
 * because FTS5 in SQLite 3.40 gives a tokenizer no per-row locale. The FTS
 * tables are contentless: what a section shows (kb_view.h: its Markdown,
 * text, remediation and links) is stored once, packed with a dictionary
 * trained on the corpus (kb_pack.h), in `section_view`. Error IDs have
 * their own exact-lookup table.
 *
 * The file is never modified in place: kb-index builds a new file beside it
 * and renames it over the old one, so kb-query opens it read-only and
 * immutable (no locks, no journal), and a reader always sees a whole index. */
#ifndef KB_DB_H
#define KB_DB_H

#include <sqlite3.h>
#include <stddef.h>

#define KB_SCHEMA_VERSION 19
/* The FTS columns, in table order. The body comes first: FTS5 writes no
 * column marker for column 0, and most terms of a section occur only in its
 * body (two bytes of every such entry: the bundled index's FTS data was
 * 418 KB with the heading first, 344 KB with the body first). */
#define KB_DB_FTS_COLUMNS "body, heading, breadcrumb, errtext, anchor"
#define KB_DB_FTS_NCOLUMNS 5
/* bm25 weights of the FTS columns, in that order. The anchor's words count
 * as a breadcrumb's: an English anchor is the heading the page had in
 * English. */
#define KB_DB_COLUMN_WEIGHTS "1.0, 6.0, 2.0, 3.0, 2.0"
#define KB_APPLICATION_ID 0x6B620001 /* "kb" + format generation, in the SQLite header */

/* The database path: explicit (from --db) when non-NULL, else $KB_DB, else
 * $XDG_DATA_HOME/kb/kb.sqlite, else ~/.local/share/kb/kb.sqlite, of an
 * absolute XDG_DATA_HOME or HOME only. KB_EUSAGE when none names one,
 * KB_EDB when it does not fit in cap bytes. */
int kb_db_default_path(const char *explicitPath, char *out, size_t cap);

/* KB_OK if SQLite can open path, and the names it makes of it with up to
 * extra more bytes ("-journal"): its unix VFS takes absolute paths of at
 * most 512 bytes. KB_EDB, saying so, when it cannot: the error SQLite
 * gives, "unable to open database file", had asked for a rebuild that
 * could not help. */
int kb_db_path_fits(const char *path, size_t extra);

/* Opens an existing index read-only and checks that it is a kb index of
 * this schema version. Registers the kb tokenizer. KB_EDB with a message
 * saying what to do when missing, unreadable, corrupt or of another version. */
int kb_db_open_read(const char *path, sqlite3 **pDb);

/* KB_OK if db holds every table and index of the schema, and each
 * language's FTS tables; else KB_EDB, the index at path damaged (a table
 * dropped: an update in place would have made it again, empty, and kept
 * the loss). */
int kb_db_check_complete(sqlite3 *db, const char *path);

/* What the first bytes of the file at path say: 1 a kb index (SQLite's
 * header with KB_APPLICATION_ID), 0 something else, -1 nothing (no file,
 * or an empty one). kb-index replaces no file that says something else. */
int kb_db_header(const char *path);

/* The index format (KB_SCHEMA_VERSION when it was written) of the kb index
 * at path; -1 if there is none or the file is not one. */
int kb_db_format(const char *path);

/* Opens (creating if needed) a database file for writing and makes sure the
 * kb schema exists in it. Registers the kb tokenizer. */
int kb_db_open_write(const char *path, sqlite3 **pDb);

/* Creates the FTS table of a language if it does not exist yet. */
int kb_db_ensure_lang(sqlite3 *db, const char *lang);

/* KB_EDB for db's last error, in words that say what to do: an index
 * SQLite finds damaged, or any error of kb's own SQL on an index opened
 * read-only (a damaged FTS table fails as "vtable constructor failed"), is
 * to be rebuilt with kb-index --full; other errors keep SQLite's words. */
int kb_db_fail(sqlite3 *db);

/* The SQLite primary result code (SQLITE_CORRUPT, SQLITE_FULL...) of the
 * last kb_db_fail on this thread, and SQLite's words for it in *pWhy when
 * pWhy is not NULL, the errno under it (sqlite3_system_errno: EFBIG,
 * ENOSPC under an I/O error) in *pErrno when not NULL; SQLITE_OK if there
 * was none. A caller that decides
 * on the failure after closing its statements, which resets
 * sqlite3_errcode, reads it here. */
int kb_db_last_error(const char **pWhy, int *pErrno);

/* KB_EDB: the index at path is damaged (`why`: SQLite's words, or "section
 * 241 is missing" where SQLite cannot see it); the message says how to
 * rebuild it. */
int kb_db_damaged(const char *path, const char *why);

/* Runs SQL with no result rows; KB_EDB (kb_db_fail) on failure. */
int kb_db_exec(sqlite3 *db, const char *sql);

/* Prepares a statement; KB_EDB (kb_db_fail) on failure. */
int kb_db_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **pStmt);

/* A meta value (build date, version...) into out; "" when absent.
 * KB_EDB (kb_db_fail) when the table cannot be read. */
int kb_db_meta(sqlite3 *db, const char *key, char *out, size_t cap);

/* Languages (FTS tables) one index holds at most. */
#define KB_DB_MAX_LANGS 64

/* Whether lang is a language code an index may hold: [a-z]{2,3}, the
 * only text pasted into SQL, as a table's name. */
int kb_db_lang_ok(const char *lang);

/* The FTS table name of a language: "fts_es". lang must be [a-z]{2,3}. */
void kb_db_fts_name(const char *lang, char *out, size_t cap);

#endif
