/* test_termdf.c: the changes in each term's count of sections that an
 * incremental kb-index run applies to the terms table. */
#include "kb_test.h"

#include <sqlite3.h>

#include "kb_db.h"
#include "kb_termdf.h"
#include "kb_tok.h"
#include "kb_util.h"

static void add(kb_termdf *d, const char *z) { kb_termdf_add(d, z, (int)strlen(z)); }
static int delta(const kb_termdf *d, const char *z) { return kb_termdf_delta(d, z, (int)strlen(z)); }

static void test_a_term_counts_once_per_row_whatever_its_columns_hold(void) {
    kb_termdf *d = kb_termdf_new();
    kb_termdf_row(d, +1);
    add(d, "copia"), add(d, "copia"), add(d, "almacen");
    kb_termdf_row(d, +1);
    add(d, "copia");
    CHECK_INT(delta(d, "copia"), 2);
    CHECK_INT(delta(d, "almacen"), 1);
    kb_termdf_row(d, -1);
    add(d, "copia"), add(d, "copia");
    CHECK_INT(delta(d, "copia"), 1);
    CHECK_INT(delta(d, "never"), 0);
    CHECK_INT(delta(d, "copi"), 0); /* a prefix is another term */
    kb_termdf_free(d);
}

/* Far more terms than the table starts with: every count survives its growing. */
static void test_counts_survive_the_table_growing(void) {
    kb_termdf *d = kb_termdf_new();
    char z[32];
    for (int row = 0; row < 3; row++) {
        kb_termdf_row(d, row < 2 ? +1 : -1);
        for (int i = 0; i < 5000; i += row < 2 ? 1 : 2) {
            snprintf(z, sizeof z, "t%d", i);
            add(d, z);
        }
    }
    int bad = 0;
    for (int i = 0; i < 5000; i++) {
        snprintf(z, sizeof z, "t%d", i);
        bad += delta(d, z) != (i % 2 ? 2 : 1);
    }
    CHECK_INT(bad, 0);
    kb_termdf_free(d);
}

static int df_of(sqlite3 *db, const char *lang, const char *term) {
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(db, "SELECT df FROM terms WHERE lang = ? AND term = ?", -1, &st, NULL);
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, term, -1, SQLITE_STATIC);
    int df = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return df;
}

static void test_write_moves_counts_and_drops_terms_no_section_holds(void) {
    sqlite3 *db = NULL;
    CHECK_INT(kb_db_open_write(":memory:", &db), KB_OK);
    CHECK_INT(kb_db_exec(db, "INSERT INTO terms(lang, term, df) VALUES('es', 'copia', 3), ('es', 'agente', 1),"
                             " ('en', 'copia', 5)"),
              KB_OK);
    kb_termdf *d = kb_termdf_new();
    kb_termdf_row(d, -1); /* an old section goes */
    add(d, "copia"), add(d, "agente"), add(d, "vault");
    kb_termdf_row(d, +1); /* its new text comes */
    add(d, "vault"), add(d, "boveda");
    kb_termdf_row(d, +1);
    add(d, "boveda");
    CHECK_INT(kb_termdf_write(d, db, "es"), KB_OK);
    CHECK_INT(df_of(db, "es", "copia"), 2);
    CHECK_INT(df_of(db, "es", "agente"), -1); /* gone */
    CHECK_INT(df_of(db, "es", "boveda"), 2);
    CHECK_INT(df_of(db, "es", "vault"), -1); /* it came and went: never written */
    CHECK_INT(df_of(db, "en", "copia"), 5);  /* another language's row is left alone */
    kb_termdf_free(d);
    sqlite3_close(db);
}

static void count_token(void *ctx, const char *z, int n) { kb_termdf_add(ctx, z, n); }

/* What the tokenizer shows its observer is what FTS5 indexes: after rows
 * are inserted, every term fts5vocab lists has the count fts5vocab gives,
 * and deleting them brings every count back to 0. */
static void test_observed_tokens_are_the_terms_fts5_counts(void) {
    static const char *const aRow[][2] = {
        {"No se puede conectar al almacén de Recovery Services", "Error 0x80070570 al hacer copia de seguridad"},
        {"El agente MARS no puede conectar con Azure", "Copias de seguridad de SalChecksumStoreInitializationFailed"},
        {"CBengine.exe se detuvo", "Errores del agente"},
    };
    sqlite3 *db = NULL;
    CHECK_INT(kb_db_open_write(":memory:", &db), KB_OK);
    CHECK_INT(kb_db_ensure_lang(db, "es"), KB_OK);
    sqlite3_stmt *ins = NULL, *del = NULL;
    kb_db_prepare(db, "INSERT INTO fts_es(rowid, body, heading, breadcrumb, errtext) VALUES(?, ?, ?, ?, '')", &ins);
    kb_db_prepare(db, "INSERT INTO fts_es(fts_es, rowid, body, heading, breadcrumb, errtext)"
                      " VALUES('delete', ?, ?, ?, ?, '')", &del);
    kb_termdf *d = kb_termdf_new();
    for (int pass = 0; pass < 2; pass++) {
        sqlite3_stmt *st = pass == 0 ? ins : del;
        for (int i = 0; i < 3; i++) {
            kb_termdf_row(d, pass == 0 ? +1 : -1);
            kb_tok_observe(count_token, d);
            sqlite3_bind_int(st, 1, i + 1);
            sqlite3_bind_text(st, 2, aRow[i][0], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, aRow[i][1], -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, aRow[i][1], -1, SQLITE_STATIC); /* the same words in two columns */
            CHECK_INT(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
            kb_tok_observe(NULL, NULL);
        }
        sqlite3_stmt *vocab = NULL;
        kb_db_exec(db, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.v USING fts5vocab(main, fts_es, 'row')");
        kb_db_prepare(db, "SELECT term, doc FROM temp.v", &vocab);
        int nTerm = 0, nWrong = 0, nSeveral = 0;
        while (sqlite3_step(vocab) == SQLITE_ROW) {
            const char *term = (const char *)sqlite3_column_text(vocab, 0);
            nTerm++;
            nWrong += delta(d, term) != sqlite3_column_int(vocab, 1);
            nSeveral += sqlite3_column_int(vocab, 1) > 1;
        }
        sqlite3_finalize(vocab);
        CHECK_INT(nWrong, 0);
        CHECK(pass == 0 ? nTerm > 20 && nSeveral > 0 : nTerm == 0);
    }
    CHECK_INT(delta(d, "agent"), 0);
    CHECK_INT(delta(d, "0x80070570"), 0);
    kb_termdf_row(d, +1);
    kb_tok_observe(NULL, NULL); /* not observing: inserting counts nothing */
    sqlite3_bind_int(ins, 1, 9);
    sqlite3_bind_text(ins, 2, "agente", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, "", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, "", -1, SQLITE_STATIC);
    CHECK_INT(sqlite3_step(ins), SQLITE_DONE);
    CHECK_INT(delta(d, "agent"), 0);
    sqlite3_finalize(ins);
    sqlite3_finalize(del);
    kb_termdf_free(d);
    sqlite3_close(db);
}

KB_TEST_MAIN(test_a_term_counts_once_per_row_whatever_its_columns_hold, test_counts_survive_the_table_growing,
             test_write_moves_counts_and_drops_terms_no_section_holds, test_observed_tokens_are_the_terms_fts5_counts)
