/* fuzz_qparse.c: the query parser (kb_qparse, kb_query_fts).
 *
 * The input is what a user types (a C string: argv cannot hold NUL). Every
 * MATCH expression kb_query_fts builds, in both modes and with a keep mask
 * taken from the input, is run against an in-memory contentless FTS5 table
 * with the kb tokenizer, as kb-query would: the header promises user text
 * can never produce an FTS5 syntax error, so any error from SQLite aborts. */
#include <sqlite3.h>

#include "fuzz_common.h"
#include "kb_qparse.h"
#include "kb_tok.h"

static sqlite3 *fuzz_db(void) {
    static sqlite3 *db;
    if (db) return db;
    FUZZ_ASSERT(sqlite3_open(":memory:", &db) == SQLITE_OK, "open");
    FUZZ_ASSERT(kb_tok_register_fts5(db) == SQLITE_OK, "register: %s", sqlite3_errmsg(db));
    char *zErr = NULL;
    int rc = sqlite3_exec(db,
                          "CREATE VIRTUAL TABLE fts_en USING fts5(heading, breadcrumb, errtext, body, content='', "
                          "tokenize='kb en');"
                          "INSERT INTO fts_en(rowid, heading, breadcrumb, errtext, body) VALUES"
                          " (1, 'Error 0x80070570', 'Backup', 'The file is corrupt', 'Run chkdsk on the volume'),"
                          " (2, 'Near and not', 'or', 'heading:x', 'NEAR( AND OR NOT * ^ : quotes \"\"'),"
                          " (3, 'エラー 错误', 'バックアップ', '', 'ディスク 磁盘 error de copia de seguridad');",
                          NULL, NULL, &zErr);
    FUZZ_ASSERT(rc == SQLITE_OK, "setup: %s", zErr ? zErr : "?");
    return db;
}

static void fuzz_match(const char *zMatch) {
    sqlite3 *db = fuzz_db();
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "SELECT rowid, bm25(fts_en) FROM fts_en WHERE fts_en MATCH ?1 ORDER BY rank LIMIT 5",
                                -1, &st, NULL);
    FUZZ_ASSERT(rc == SQLITE_OK, "prepare: %s", sqlite3_errmsg(db));
    sqlite3_bind_text(st, 1, zMatch, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    FUZZ_ASSERT(rc == SQLITE_DONE, "MATCH %s\n  -> %s", zMatch, sqlite3_errmsg(db));
    sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 64 * 1024) return -1;
    char *z = fuzz_cstr(data, size);
    kb_query q;
    kb_qparse(z, &q);
    FUZZ_ASSERT(q.n >= 0 && q.n <= KB_QPARSE_MAX_TERMS, "%d terms", q.n);
    int nPos = 0;
    for (int i = 0; i < q.n; i++) {
        FUZZ_ASSERT(q.a[i].text && q.a[i].text[0], "term %d empty", i);
        /* Not necessarily a substring of the input: CJK runs become folded bigrams. */
        size_t bad;
        FUZZ_ASSERT(kb_utf8_valid(q.a[i].text, strlen(q.a[i].text), &bad) || !kb_utf8_valid(z, strlen(z), &bad),
                    "term %d not UTF-8 though the query is", i);
        nPos += !q.a[i].negated;
    }
    FUZZ_ASSERT(kb_query_positive(&q) == nPos, "kb_query_positive");

    int aKeep[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < KB_QPARSE_MAX_TERMS; i++)
        aKeep[i] = i < (int)size ? (data[size - 1 - (size_t)i] & 1) : 1;
    for (int mode = KB_QALL; mode <= KB_QANY; mode++) {
        for (int k = 0; k < 2; k++) {
            char *zMatch = kb_query_fts(&q, mode, k ? aKeep : NULL);
            if (!k) FUZZ_ASSERT((zMatch == NULL) == (nPos == 0), "NULL expression iff no positive term");
            if (zMatch) fuzz_match(zMatch);
            free(zMatch);
        }
    }
    kb_query_free(&q);
    free(z);
    return 0;
}
