/* test_rank.c: kb_rank scores a row the same whichever way it learns which
 * phrases the row holds. */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_rank.h"
#include "kb_test.h"
#include "kb_util.h"

/* A table of 400 sections whose words come from a small vocabulary, in a
 * fixed pseudo-random mix: most words are in a few dozen rows. */
static sqlite3 *S_table(void) {
    static const char *const aWord[] = {"volumen", "disco", "copia", "almacen", "error", "agente", "red",
                                        "clave", "cuenta", "tarea", "nodo", "cluster", "puerto", "firewall",
                                        "certificado", "registro", "servicio", "instancia", "snapshot", "cuota"};
    const int nWord = (int)(sizeof aWord / sizeof aWord[0]);
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(body, heading, breadcrumb, errtext)", 0, 0, 0),
              SQLITE_OK);
    CHECK_INT(kb_rank_register(db), KB_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO f(rowid, body, heading, breadcrumb, errtext) VALUES (?, ?, ?, '', '')",
                                 -1, &st, NULL),
              SQLITE_OK);
    unsigned seed = 12345;
    for (int row = 1; row <= 400; row++) {
        kb_buf body = {0}, heading = {0};
        int nBody = 3 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 30;
        for (int k = 0; k < nBody; k++) {
            seed = seed * 1103515245u + 12345u;
            /* squared: the first words are common, the last ones rare */
            int r = (int)(seed >> 16) % 100;
            kb_buf_addf(&body, "%s%s", k ? " " : "", aWord[r * r * nWord / 10000]);
        }
        seed = seed * 1103515245u + 12345u;
        kb_buf_addf(&heading, "%s", aWord[(seed >> 16) % (unsigned)nWord]);
        sqlite3_bind_int(st, 1, row);
        sqlite3_bind_text(st, 2, kb_buf_str(&body), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, kb_buf_str(&heading), -1, SQLITE_TRANSIENT);
        CHECK_INT(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        kb_buf_free(&body);
        kb_buf_free(&heading);
    }
    sqlite3_finalize(st);
    return db;
}

/* "rowid:score " of every row matching expr, kb_rank given dfs, any and
 * the IDF floors (NULL: none). */
static char *S_scores_floored(sqlite3 *db, const char *expr, const char *dfs, int any, const char *order,
                              const char *floors) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT rowid, kb_rank(f, 1.0, 6.0, 2.0, 3.0, 0, ?2, ?3, ?4) FROM f WHERE f MATCH ?1 ORDER BY rowid %s",
             order);
    sqlite3_stmt *st = NULL;
    kb_buf out = {0};
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dfs, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, any);
    if (floors) sqlite3_bind_text(st, 4, floors, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW)
        kb_buf_addf(&out, "%lld:%.17g ", sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
    sqlite3_finalize(st);
    return kb_buf_detach(&out);
}

static char *S_scores(sqlite3 *db, const char *expr, const char *dfs, int any, const char *order) {
    return S_scores_floored(db, expr, dfs, any, order, NULL);
}

/* "df,df,..." of the terms, counted. */
static char *S_dfs(sqlite3 *db, const char *const *aTerm, int n) {
    kb_buf out = {0};
    for (int i = 0; i < n; i++) {
        sqlite3_stmt *st = NULL;
        sqlite3_prepare_v2(db, "SELECT count(*) FROM f WHERE f MATCH ?", -1, &st, NULL);
        sqlite3_bind_text(st, 1, aTerm[i], -1, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(st), SQLITE_ROW);
        kb_buf_addf(&out, "%s%d", i ? "," : "", sqlite3_column_int(st, 0));
        sqlite3_finalize(st);
    }
    return kb_buf_detach(&out);
}

/* An OR of many one-token phrases makes kb_rank list each phrase's rows
 * (any = 1): every row's score must be what asking FTS5 phrase by phrase
 * gives (any = 0), rows read forwards or backwards. */
static void test_or_query_scores_the_same_with_listed_phrases(void) {
    static const char *const aTerm[] = {"volumen", "disco", "copia", "almacen", "tarea", "nodo", "cluster",
                                        "certificado", "cuota"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 9);
    const char *expr = "volumen OR disco OR copia OR almacen OR tarea OR nodo OR cluster OR certificado OR cuota";
    for (int desc = 0; desc < 2; desc++) {
        char *plain = S_scores(db, expr, dfs, 0, desc ? "DESC" : "ASC");
        char *listed = S_scores(db, expr, dfs, 1, desc ? "DESC" : "ASC");
        CHECK(strlen(plain) > 2000); /* most rows match */
        CHECK_STR(listed, plain);
        free(plain);
        free(listed);
    }
    free(dfs);
    sqlite3_close(db);
}

/* A document frequency below the truth would cut a phrase's list short and
 * hide rows that hold it: that phrase is then asked about row by row. */
static void test_understated_df_does_not_hide_a_phrase(void) {
    static const char *const aTerm[] = {"volumen", "disco", "copia", "almacen", "tarea", "nodo"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 6);
    const char *expr = "volumen OR disco OR copia OR almacen OR tarea OR nodo";
    char *plain = S_scores(db, expr, dfs, 0, "ASC");
    char *wrong = kb_xasprintf("3,%s", strchr(dfs, ',') + 1); /* "volumen" is in far more than 3 rows */
    char *listed = S_scores(db, expr, wrong, 1, "ASC");
    char *plainWrong = S_scores(db, expr, wrong, 0, "ASC");
    CHECK_STR(listed, plainWrong);
    CHECK(strcmp(plain, plainWrong) != 0); /* the df does weigh in the score */
    free(plain);
    free(wrong);
    free(listed);
    free(plainWrong);
    free(dfs);
    sqlite3_close(db);
}

/* The score of each row, in rowid order, from S_scores's text. */
static int S_parse_scores(const char *z, double *a, int cap) {
    int n = 0;
    for (const char *p = z; n < cap && (p = strchr(p, ':')) != NULL; p++) a[n++] = strtod(p + 1, NULL);
    return n;
}

/* A floor above a phrase's own document frequency makes the phrase as
 * common as the floor says (another language's table, where the word is
 * common): it weighs less in every row. A floor at or below its own
 * frequency changes nothing. */
static void test_idf_floor_lowers_a_rare_phrase(void) {
    static const char *const aTerm[] = {"cuota", "volumen"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 2);
    const char *expr = "cuota AND volumen";
    char *plain = S_scores(db, expr, dfs, 0, "ASC");
    char *none = S_scores_floored(db, expr, dfs, 0, "ASC", "0,0");
    char *own = S_scores_floored(db, expr, dfs, 0, "ASC", dfs);
    char *common = S_scores_floored(db, expr, dfs, 0, "ASC", "300,0");
    CHECK(strlen(plain) > 20);
    CHECK_STR(none, plain);
    CHECK_STR(own, plain);
    double aPlain[400], aCommon[400];
    int n = S_parse_scores(plain, aPlain, 400);
    CHECK_INT(S_parse_scores(common, aCommon, 400), n);
    for (int i = 0; i < n; i++) CHECK(aCommon[i] < aPlain[i]);
    free(plain);
    free(none);
    free(own);
    free(common);
    free(dfs);
    sqlite3_close(db);
}

/* The best `limit` rowids of expr, kb_rank pruning, with the rows in bits
 * favoured by favour: "rowid:score ". */
static char *S_top_favoured(sqlite3 *db, const char *expr, const char *dfs, int limit, const unsigned char *bits,
                            int nBits, double favour) {
    sqlite3_stmt *st = NULL;
    kb_buf out = {0};
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "SELECT rowid, kb_rank(f, 1.0, 6.0, 2.0, 3.0, ?2, ?3, 0, NULL, ?4, ?5) AS score"
                                 " FROM f WHERE f MATCH ?1 ORDER BY score DESC, rowid LIMIT ?2",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_text(st, 3, dfs, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, bits, nBits, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, favour);
    while (sqlite3_step(st) == SQLITE_ROW)
        kb_buf_addf(&out, "%lld:%.17g ", sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
    sqlite3_finalize(st);
    return kb_buf_detach(&out);
}

/* Favoured rows (here every row whose id is a multiple of 3) score the
 * factor times their plain score, others their plain score, and pruning
 * the rows that cannot make the page still keeps the true best ones. */
static void test_favoured_rows_score_the_factor_more(void) {
    static const char *const aTerm[] = {"error"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 1);
    unsigned char bits[401 / 8 + 1] = {0};
    for (int id = 3; id <= 400; id += 3) bits[id / 8] |= (unsigned char)(1 << (id % 8));
    char *plain = S_scores(db, "error", dfs, 0, "ASC");
    double aPlain[400];
    sqlite3_int64 aId[400];
    int n = 0;
    for (const char *p = plain; n < 400 && *p; n++) {
        char *end = NULL;
        aId[n] = strtoll(p, &end, 10);
        aPlain[n] = strtod(end + 1, &end);
        p = end + 1;
    }
    CHECK(n > 100);
    /* The expected page: every row's favoured score, best first. */
    double aWant[400];
    for (int i = 0; i < n; i++) aWant[i] = aPlain[i] * (aId[i] % 3 == 0 ? 1.5 : 1.0);
    double aTop[10];
    int nTop = 0;
    for (int k = 0; k < 10 && k < n; k++) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (aWant[i] >= 0 && (best < 0 || aWant[i] > aWant[best])) best = i;
        aTop[nTop++] = aWant[best];
        aWant[best] = -1;
    }
    char *top = S_top_favoured(db, "error", dfs, 10, bits, (int)sizeof bits, 1.5);
    double aGot[10];
    CHECK_INT(S_parse_scores(top, aGot, 10), nTop);
    for (int k = 0; k < nTop; k++) CHECK(fabs(aGot[k] - aTop[k]) < 1e-9 * aTop[k]);
    /* Without a factor, the bitmap changes nothing. */
    char *same = S_top_favoured(db, "error", dfs, 10, bits, (int)sizeof bits, 1.0);
    char *none = S_top_favoured(db, "error", dfs, 10, NULL, 0, 1.5);
    CHECK_STR(same, none);
    free(plain);
    free(top);
    free(same);
    free(none);
    free(dfs);
    sqlite3_close(db);
}

KB_TEST_MAIN(test_or_query_scores_the_same_with_listed_phrases, test_understated_df_does_not_hide_a_phrase,
             test_idf_floor_lowers_a_rare_phrase, test_favoured_rows_score_the_factor_more)
