/* test_qparse.c: what users type becomes quoted terms and valid FTS5. */
#include <sqlite3.h>

#include "kb_qparse.h"
#include "kb_test.h"
#include "kb_tok.h"
#include "kb_util.h"

static char *S_fts(const char *text, int mode) {
    kb_query q;
    kb_qparse(text, &q);
    char *z = kb_query_fts(&q, mode, NULL);
    kb_query_free(&q);
    return z;
}

static void test_words_are_quoted_and_anded(void) {
    char *z = S_fts("credenciales almacén", KB_QALL);
    CHECK_STR(z, "\"credenciales\" AND \"almacén\"");
    free(z);
    z = S_fts("credenciales almacén", KB_QANY);
    CHECK_STR(z, "\"credenciales\" OR \"almacén\"");
    free(z);
}

static void test_fts5_syntax_is_literal(void) {
    char *z = S_fts("NEAR( a* col:x", KB_QALL);
    CHECK_STR(z, "\"NEAR(\" AND \"a*\" AND \"col:x\"");
    free(z);
    z = S_fts("say \"hi", KB_QALL); /* an unbalanced quote is just a character */
    CHECK_STR(z, "\"say\" AND \"\"\"hi\"");
    free(z);
}

static void test_phrase_exclusion_and_or(void) {
    kb_query q;
    kb_qparse("\"credenciales de almacén\" -linux agent OR agente", &q);
    CHECK_INT(q.n, 4);
    CHECK(q.a[0].phrase && !q.a[0].negated);
    CHECK_STR(q.a[0].text, "credenciales de almacén");
    CHECK(q.a[1].negated);
    CHECK(q.a[2].orWithNext);
    CHECK(!kb_query_in_group(&q, 0) && !kb_query_in_group(&q, 1));
    CHECK(kb_query_in_group(&q, 2) && kb_query_in_group(&q, 3));
    CHECK_INT(kb_query_positive(&q), 3);
    char *z = kb_query_fts(&q, KB_QALL, NULL);
    CHECK_STR(z, "(\"credenciales de almacén\" AND (\"agent\" OR \"agente\")) NOT \"linux\"");
    free(z);
    kb_query_free(&q);
}

/* kb_rank is told which phrases of the expression are one word of the
 * question: the alternatives of an OR share a slot, an exclusion has none,
 * and a term left out of the expression leaves out its number too. */
static void test_slots_follow_the_expression(void) {
    kb_query q;
    kb_qparse("\"credenciales de almacén\" -linux agent OR agente OR agentes MARS", &q);
    char *z = kb_query_slots(&q, NULL);
    CHECK_STR(z, "0,1,1,1,2,-1");
    free(z);
    int keep[] = {0, 1, 1, 0, 1, 1};
    z = kb_query_slots(&q, keep);
    CHECK_STR(z, "0,0,1,-1");
    free(z);
    kb_query_free(&q);
}

/* A search leaves terms out of the expression (stop words, repeats): an
 * OR group keeps its other alternatives, and a group whose last one is
 * left out ends there instead of taking in the next word. */
static void test_left_out_alternative_keeps_the_group(void) {
    kb_query q;
    kb_qparse("conectar OR conexión almacén", &q);
    int keepFirst[] = {1, 0, 1};
    char *z = kb_query_fts(&q, KB_QALL, keepFirst);
    CHECK_STR(z, "\"conectar\" AND \"almacén\"");
    free(z);
    z = kb_query_slots(&q, keepFirst);
    CHECK_STR(z, "0,1");
    free(z);
    kb_query_free(&q);
    kb_qparse("a OR b OR c d", &q);
    int keepOuter[] = {1, 0, 1, 1};
    z = kb_query_fts(&q, KB_QALL, keepOuter);
    CHECK_STR(z, "(\"a\" OR \"c\") AND \"d\"");
    free(z);
    z = kb_query_slots(&q, keepOuter);
    CHECK_STR(z, "0,0,1");
    free(z);
    z = kb_query_fts(&q, KB_QANY, keepOuter);
    CHECK_STR(z, "\"a\" OR \"c\" OR \"d\"");
    free(z);
    kb_query_free(&q);
}

static void test_punctuation_only_terms_are_dropped(void) {
    kb_query q;
    kb_qparse("  ... -- ??? ", &q);
    CHECK_INT(q.n, 0);
    CHECK(kb_query_fts(&q, KB_QALL, NULL) == NULL);
    kb_query_free(&q);
}

static void test_cjk_runs_become_bigram_terms(void) {
    kb_query q;
    kb_qparse("VMエージェント", &q);
    CHECK_INT(q.n, 6); /* VM + 5 bigrams of エージェント */
    CHECK_STR(q.a[0].text, "VM");
    CHECK_STR(q.a[1].text, "エー");
    kb_query_free(&q);
    /* A run of three or four characters is a word, searched as a phrase of
     * its bigrams: "マウント" (mount) is not "アカウント" (account). */
    kb_qparse("マウント 儲存體 備份", &q);
    CHECK_INT(q.n, 3);
    CHECK(q.n == 3 && strcmp(q.a[0].text, "マウント") == 0 && q.a[0].phrase && q.a[0].joined);
    CHECK(q.n == 3 && strcmp(q.a[1].text, "儲存體") == 0 && q.a[1].phrase);
    CHECK(q.n == 3 && strcmp(q.a[2].text, "備份") == 0 && !q.a[2].phrase);
    char *fts = kb_query_fts(&q, KB_QALL, NULL);
    CHECK(fts && strstr(fts, "\"マウント\"") != NULL);
    free(fts);
    kb_query_free(&q);
}

static void test_term_count_is_bounded(void) {
    kb_buf b = {0};
    for (int i = 0; i < 10000; i++) kb_buf_addf(&b, "w%d ", i);
    kb_query q;
    kb_qparse(kb_buf_str(&b), &q);
    CHECK_INT(q.n, KB_QPARSE_MAX_TERMS);
    kb_query_free(&q);
    kb_buf_free(&b);
}

/* A term of more than KB_QPARSE_MAX_TERM_TOKENS tokens (a dotted name of
 * thousands of parts, a quoted paragraph) is cut after that many, at a
 * token's end; a shorter one is kept whole. */
static void test_term_tokens_are_bounded(void) {
    kb_buf b = {0};
    kb_buf_adds(&b, "https://");
    for (int i = 0; i < 5000; i++) kb_buf_adds(&b, "a.");
    kb_buf_adds(&b, "com/ \"");
    for (int i = 0; i < 100; i++) kb_buf_addf(&b, "w%d ", i);
    kb_buf_adds(&b, "\" short.dotted.name");
    kb_query q;
    kb_qparse(kb_buf_str(&b), &q);
    CHECK_INT(q.n, 3);
    /* "https", then 31 "a": 32 tokens, ending at a token */
    CHECK(q.n == 3 && strlen(q.a[0].text) == strlen("https://") + 31 * 2 - 1);
    CHECK(q.n == 3 && q.a[1].phrase && strncmp(q.a[1].text, "w0 w1 ", 6) == 0);
    CHECK(q.n == 3 && strstr(q.a[1].text, "w31") != NULL && strstr(q.a[1].text, "w32") == NULL);
    CHECK(q.n == 3 && strcmp(q.a[2].text, "short.dotted.name") == 0);
    kb_query_free(&q);
    kb_buf_free(&b);
}

static void test_every_expression_is_valid_fts5(void) {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(kb_tok_register_fts5(db) == KB_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(x, content='', tokenize='kb es')", 0, 0, 0) == SQLITE_OK);
    static const char *aQuery[] = {"a OR b c OR d", "\"x\" -y OR z", "OR OR", "-a -b c", "(((", "a\" b", "エラー OR 0x8007"};
    int nExpr = 0;
    for (size_t i = 0; i < sizeof aQuery / sizeof aQuery[0]; i++)
        for (int mode = KB_QALL; mode <= KB_QANY; mode++) {
            char *expr = S_fts(aQuery[i], mode);
            if (!expr) continue; /* "OR OR" and "(((": nothing to search */
            nExpr++;
            sqlite3_stmt *st = NULL;
            int rc = sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?", -1, &st, NULL);
            sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
            rc = sqlite3_step(st);
            if (rc != SQLITE_DONE) fprintf(stderr, "  %s -> %s: %s\n", aQuery[i], expr, sqlite3_errmsg(db));
            CHECK(rc == SQLITE_DONE);
            sqlite3_finalize(st);
            free(expr);
        }
    CHECK_INT(nExpr, 10); /* every query in both modes, but the two with nothing to search */
    sqlite3_close(db);
}

/* Joined words are one phrase term: quoted as one, the OR of the last kept. */
static void test_join_makes_words_one_phrase(void) {
    kb_query q;
    kb_qparse("ejecutar migración tras error OR failover -prueba", &q);
    CHECK_INT(q.n, 6);
    kb_query_join(&q, 1, 3);
    CHECK_INT(q.n, 4);
    CHECK(q.a[1].phrase && q.a[1].orWithNext);
    CHECK_STR(q.a[1].text, "migración tras error");
    CHECK_STR(q.a[2].text, "failover");
    CHECK(q.a[3].negated);
    char *z = kb_query_fts(&q, KB_QALL, NULL);
    CHECK_STR(z, "(\"ejecutar\" AND (\"migración tras error\" OR \"failover\")) NOT \"prueba\"");
    free(z);
    kb_query_join(&q, 0, 0); /* one word: a phrase of one */
    CHECK_INT(q.n, 4);
    CHECK(q.a[0].phrase);
    kb_query_free(&q);
}

/* Words too common to select rows rank the rows the others select: the
 * expression ANDs the selecting terms with all of them, and kb_rank is told
 * that the first copies rank nothing. An OR group keeps its alternatives
 * together; an exclusion stays last. */
static void test_ranking_terms_select_nothing(void) {
    kb_query q;
    kb_qparse("servidor windows correr backup OR copia -linux", &q);
    int keep[] = {KB_KEEP_RANKS, KB_KEEP_RANKS, 1, 1, KB_KEEP_RANKS, 1};
    CHECK_INT(kb_query_selecting_phrases(&q, keep), 2);
    char *z = kb_query_fts(&q, KB_QANY, keep);
    CHECK_STR(z, "((\"correr\" OR \"backup\") AND (\"servidor\" OR \"windows\" OR \"correr\" OR \"backup\" OR "
                 "\"copia\")) NOT \"linux\"");
    free(z);
    z = kb_query_slots(&q, keep);
    CHECK_STR(z, "-1,-1,0,1,2,3,3,-1");
    free(z);
    /* without a ranking-only term, the plain OR */
    int plain[] = {1, 1, 1, 0, 0, 1};
    CHECK_INT(kb_query_selecting_phrases(&q, plain), 0);
    z = kb_query_fts(&q, KB_QANY, plain);
    CHECK_STR(z, "(\"servidor\" OR \"windows\" OR \"correr\") NOT \"linux\"");
    free(z);
    kb_query_free(&q);
}

/* Exit codes and HRESULTs are quoted in decimal with a minus: "-106" is
 * the number, while "-linux" excludes a word. */
static void test_negative_number_is_no_exclusion(void) {
    kb_query q;
    kb_qparse("codigo de salida -106 -linux", &q);
    CHECK_INT(q.n, 5);
    CHECK(q.n == 5 && !q.a[3].negated && q.a[4].negated);
    CHECK(q.n == 5 && strcmp(q.a[3].text, "-106") == 0);
    kb_query_free(&q);
    /* no one writes a hex code negative: "-0x80070570" excludes it */
    kb_qparse("backup -0x80070570", &q);
    CHECK(q.n == 2 && q.a[1].negated && strcmp(q.a[1].text, "0x80070570") == 0);
    kb_query_free(&q);
}

/* Each term knows the bytes it was typed as, its '-' and quotes too: the
 * search tells an excluded error ID by them. */
static void test_terms_know_where_they_were_typed(void) {
    kb_query q;
    const char *text = "a  -\"x y\" -Sal 0x1 aa";
    kb_qparse(text, &q);
    CHECK_INT(q.n, 5);
    if (q.n == 5) {
        CHECK(q.a[0].from == 0 && q.a[0].to == 1);
        CHECK(q.a[1].negated && q.a[1].phrase && q.a[1].from == 3 && q.a[1].to == 9); /* -"x y" */
        CHECK(q.a[2].negated && q.a[2].from == 10 && q.a[2].to == 14);
        CHECK(q.a[3].from == 15 && q.a[3].to == 18);
        kb_query_join(&q, 3, 4); /* "0x1 aa" */
        CHECK(q.a[3].from == 15 && q.a[3].to == 21);
    }
    kb_query_free(&q);
}

KB_TEST_MAIN(test_join_makes_words_one_phrase, test_words_are_quoted_and_anded, test_fts5_syntax_is_literal, test_phrase_exclusion_and_or,
             test_slots_follow_the_expression, test_left_out_alternative_keeps_the_group,
             test_punctuation_only_terms_are_dropped, test_cjk_runs_become_bigram_terms, test_term_count_is_bounded,
             test_every_expression_is_valid_fts5, test_term_tokens_are_bounded, test_ranking_terms_select_nothing,
             test_negative_number_is_no_exclusion, test_terms_know_where_they_were_typed)
