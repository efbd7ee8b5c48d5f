/* test_rank.c: kb_rank scores a row the same whichever way it learns which
 * phrases the row holds, and scores a question's words, not its phrases. */
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
    CHECK_INT(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(body, heading, breadcrumb, errtext, anchor)", 0, 0, 0),
              SQLITE_OK);
    CHECK_INT(kb_rank_register(db), KB_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "INSERT INTO f(rowid, body, heading, breadcrumb, errtext, anchor) VALUES (?, ?, ?, '', '', '')",
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

/* "rowid:score " of each row the statement returns; finalizes it. */
static char *S_rows_text(sqlite3_stmt *st) {
    kb_buf out = {0};
    while (sqlite3_step(st) == SQLITE_ROW)
        kb_buf_addf(&out, "%lld:%.17g ", sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
    sqlite3_finalize(st);
    return kb_buf_detach(&out);
}

/* "rowid:score " of every row matching expr, kb_rank given dfs, any, the
 * IDF floors and the slots (NULL: none). */
static char *S_scores_with(sqlite3 *db, const char *expr, const char *dfs, int any, const char *order,
                           const char *floors, const char *slots) {
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT rowid, kb_rank(f, 1.0, 6.0, 2.0, 3.0, 2.0, 0, ?2, ?3, ?4, NULL, 1.0, ?5) FROM f WHERE f MATCH ?1"
             " ORDER BY rowid %s",
             order);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dfs, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, any);
    if (floors) sqlite3_bind_text(st, 4, floors, -1, SQLITE_STATIC);
    if (slots) sqlite3_bind_text(st, 5, slots, -1, SQLITE_STATIC);
    return S_rows_text(st);
}

static char *S_scores(sqlite3 *db, const char *expr, const char *dfs, int any, const char *order) {
    return S_scores_with(db, expr, dfs, any, order, NULL, NULL);
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
    char *none = S_scores_with(db, expr, dfs, 0, "ASC", "0,0", NULL);
    char *own = S_scores_with(db, expr, dfs, 0, "ASC", dfs, NULL);
    char *common = S_scores_with(db, expr, dfs, 0, "ASC", "300,0", NULL);
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

/* Row -> score, from S_scores's text: aScore[rowid], 0 where the row did
 * not match. */
static void S_score_by_row(const char *z, double *aScore, int nRow) {
    memset(aScore, 0, (size_t)nRow * sizeof *aScore);
    for (const char *p = z; *p;) {
        char *end = NULL;
        long id = strtol(p, &end, 10);
        double v = strtod(end + 1, &end);
        if (id > 0 && id < nRow) aScore[id] = v;
        p = *end ? end + 1 : end;
    }
}

/* "cert OR cuota" given one slot is one word of the question, as common
 * as the commoner of the two: a row holding one of them scores exactly
 * what the question with that one word scores, given that frequency; a
 * row holding both is covered no better, only its frequency adds up. */
static void test_alternatives_are_one_word(void) {
    static const char *const aTerm[] = {"certificado", "cuota", "snapshot"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 3);
    long dfCert = strtol(dfs, NULL, 10), dfCuota = strtol(strchr(dfs, ',') + 1, NULL, 10);
    long dfSnap = strtol(strrchr(dfs, ',') + 1, NULL, 10), dfWord = dfCert > dfCuota ? dfCert : dfCuota;
    char *dfsOne = kb_xasprintf("%ld,%ld", dfWord, dfSnap);
    char *grouped = S_scores_with(db, "(certificado OR cuota) AND snapshot", dfs, 0, "ASC", NULL, "0,0,1");
    char *cert = S_scores_with(db, "certificado AND snapshot", dfsOne, 0, "ASC", NULL, NULL);
    char *cuota = S_scores_with(db, "cuota AND snapshot", dfsOne, 0, "ASC", NULL, NULL);
    enum { ROWS = 401 };
    static double aGrouped[ROWS], aCert[ROWS], aCuota[ROWS];
    S_score_by_row(grouped, aGrouped, ROWS);
    S_score_by_row(cert, aCert, ROWS);
    S_score_by_row(cuota, aCuota, ROWS);
    int nCertOnly = 0, nCuotaOnly = 0, nBoth = 0;
    for (int id = 1; id < ROWS; id++) {
        if (aCert[id] > 0 && aCuota[id] > 0) {
            nBoth++;
            CHECK(aGrouped[id] >= aCert[id] && aGrouped[id] >= aCuota[id]);
            CHECK(aGrouped[id] < aCert[id] + aCuota[id]);
        } else if (aCert[id] > 0 || aCuota[id] > 0) {
            double want = aCert[id] > 0 ? aCert[id] : aCuota[id];
            nCertOnly += aCert[id] > 0;
            nCuotaOnly += aCuota[id] > 0;
            CHECK(fabs(aGrouped[id] - want) < 1e-9 * want);
        } else {
            CHECK(aGrouped[id] == 0);
        }
    }
    CHECK(nCertOnly > 0 && nCuotaOnly > 0 && nBoth > 0);
    /* Without slots, each alternative is a word the other rows lack. */
    char *ungrouped = S_scores_with(db, "(certificado OR cuota) AND snapshot", dfs, 0, "ASC", NULL, NULL);
    CHECK(strcmp(ungrouped, grouped) != 0);
    free(ungrouped);
    free(grouped);
    free(cert);
    free(cuota);
    free(dfsOne);
    free(dfs);
    sqlite3_close(db);
}

/* Each row `scored` holds ("rowid:score ") scores what `reference`
 * gives it; returns how many it holds, and into *pnMore how many rows of
 * `reference` it lacks. */
static int S_scores_agree(const char *scored, const char *reference, int *pnMore) {
    enum { ROWS = 401 };
    static double aScored[ROWS], aReference[ROWS];
    S_score_by_row(scored, aScored, ROWS);
    S_score_by_row(reference, aReference, ROWS);
    int n = 0, nMore = 0;
    for (int id = 1; id < ROWS; id++) {
        nMore += aReference[id] > 0 && aScored[id] == 0;
        if (aScored[id] <= 0) continue;
        n++;
        CHECK(fabs(aScored[id] - aReference[id]) < 1e-9 * aReference[id]);
    }
    if (pnMore) *pnMore = nMore;
    return n;
}

/* An excluded word (slot -1) is no word a row could lack: the rows left
 * score what the question without the exclusion gives them. */
static void test_excluded_word_is_not_scored(void) {
    static const char *const aTerm[] = {"certificado", "snapshot", "cuota"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 3);
    char *without = S_scores_with(db, "(certificado AND snapshot) NOT cuota", dfs, 0, "ASC", NULL, "0,1,-1");
    char *plain = S_scores_with(db, "certificado AND snapshot", dfs, 0, "ASC", NULL, "0,1");
    CHECK(S_scores_agree(without, plain, NULL) > 0);
    free(without);
    free(plain);
    free(dfs);
    sqlite3_close(db);
}

/* The best `limit` rowids of expr, kb_rank pruning, with the rows in bits
 * favoured by favour: "rowid:score ". */
static char *S_top_favoured(sqlite3 *db, const char *expr, const char *dfs, int limit, const unsigned char *bits,
                            int nBits, double favour) {
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db,
                                 "SELECT rowid, kb_rank(f, 1.0, 6.0, 2.0, 3.0, 2.0, ?2, ?3, 0, NULL, ?4, ?5) AS score"
                                 " FROM f WHERE f MATCH ?1 ORDER BY score DESC, rowid LIMIT ?2",
                                 -1, &st, NULL),
              SQLITE_OK);
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, limit);
    sqlite3_bind_text(st, 3, dfs, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, bits, nBits, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, favour);
    return S_rows_text(st);
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

/* A table of the given bodies, rows 1..n, with 20 rows of filler after
 * them so that the words of the bodies are rare. */
static sqlite3 *S_small_table(const char *const *aBody, int n) {
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open(":memory:", &db), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE VIRTUAL TABLE f USING fts5(body, heading, breadcrumb, errtext, anchor)", 0, 0, 0),
              SQLITE_OK);
    CHECK_INT(kb_rank_register(db), KB_OK);
    for (int row = 1; row <= n + 20; row++) {
        char *sql = sqlite3_mprintf("INSERT INTO f(rowid, body, heading, breadcrumb, errtext, anchor) VALUES (%d, %Q, '', '', '', '')",
                                    row, row <= n ? aBody[row - 1] : "filler words only");
        CHECK_INT(sqlite3_exec(db, sql, 0, 0, 0), SQLITE_OK);
        sqlite3_free(sql);
    }
    return db;
}

/* Score of each row 1..n (of at most 8) for expr, kb_rank given limit. */
static void S_row_scores(sqlite3 *db, const char *expr, int limit, double *aScore, int n) {
    char *z = S_scores_with(db, expr, "", 0, "ASC", NULL, NULL);
    if (limit > 0) { /* the same, with kb_rank told the page's size */
        free(z);
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT rowid, kb_rank(f, 1.0, 6.0, 2.0, 3.0, 2.0, %d) FROM f WHERE f MATCH ?1 ORDER BY rowid",
                 limit);
        sqlite3_stmt *st = NULL;
        CHECK_INT(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
        sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
        z = S_rows_text(st);
    }
    double a[9];
    S_score_by_row(z, a, 9);
    for (int i = 0; i < n; i++) aScore[i] = a[i + 1];
    free(z);
}

/* Proximity: the question's next word standing at most two tokens after
 * the one before it (an identifier's extra token between them) counts; three
 * tokens after, or before it, does not. The rows are alike otherwise. */
static void test_neighbouring_words_score_proximity(void) {
    static const char *const aBody[] = {"alpha beta pad pad", "alpha pad beta pad", "alpha pad pad beta",
                                        "beta pad pad alpha"};
    sqlite3 *db = S_small_table(aBody, 4);
    double a[4];
    S_row_scores(db, "alpha AND beta", 0, a, 4);
    CHECK(a[0] > 0 && a[0] == a[1]);
    CHECK(a[2] == a[3]);
    CHECK(a[1] > a[2]);
    sqlite3_close(db);
}

/* A row that ties the page's last score is scored, not cut: ties are then
 * ordered by the search (by place), not by which row FTS5 read first.
 * Each body ends with its match, so the bound kb_rank prunes by is exact. */
static void test_a_row_tying_the_page_is_scored(void) {
    static const char *const aBody[] = {"pad alpha", "pad alpha", "pad alpha", "pad alpha"};
    sqlite3 *db = S_small_table(aBody, 4);
    double a[4];
    S_row_scores(db, "alpha", 2, a, 4);
    CHECK(a[0] > 0 && a[1] == a[0] && a[2] == a[0] && a[3] == a[0]);
    sqlite3_close(db);
}

/* The selecting copies of a `(selecting) AND (every term)` expression
 * (kb_qparse.h, KB_KEEP_RANKS) rank nothing: each row the rare term
 * selects scores what the OR of every term gives it. */
static void test_selecting_copies_rank_nothing(void) {
    static const char *const aTerm[] = {"volumen", "disco", "cuota"};
    sqlite3 *db = S_table();
    char *dfs = S_dfs(db, aTerm, 3);
    char *copyDfs = kb_xasprintf("-1,%s", dfs); /* unknown: kb_rank must not count it either */
    char *ranked = S_scores_with(db, "(cuota) AND (volumen OR disco OR cuota)", copyDfs, 1, "ASC", NULL, "-1,0,1,2");
    char *plain = S_scores_with(db, "volumen OR disco OR cuota", dfs, 1, "ASC", NULL, "0,1,2");
    int nMore = 0;
    CHECK(S_scores_agree(ranked, plain, &nMore) > 0 && nMore > 0); /* cuota selects some of the OR's rows */
    free(ranked);
    free(plain);
    free(copyDfs);
    free(dfs);
    sqlite3_close(db);
}

KB_TEST_MAIN(test_or_query_scores_the_same_with_listed_phrases, test_understated_df_does_not_hide_a_phrase,
             test_idf_floor_lowers_a_rare_phrase, test_favoured_rows_score_the_factor_more,
             test_alternatives_are_one_word, test_excluded_word_is_not_scored, test_neighbouring_words_score_proximity,
             test_a_row_tying_the_page_is_scored, test_selecting_copies_rank_nothing)
