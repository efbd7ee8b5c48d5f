/* kb_search_errid.c: see kb_search_errid.h. */
#include "kb_search_errid.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb_db.h"
#include "kb_errid.h"
#include "kb_qparse.h"
#include "kb_search_match.h"
#include "kb_search_page.h"
#include "kb_search_pass.h"
#include "kb_search_question.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_util.h"
#include "kb_vocab.h"

/* ID hits rank above every text hit; among them defining sections first. */
#define KB_SCORE_ERRID 1000000.0
#define KB_SCORE_DEFINING 100000.0

/* An ID in the sections of this many documents of one language is shared
 * ("HTTP 404" is in 18 Spanish documents, each about its own service):
 * when the question has words besides it, they decide. A shared ID's hit
 * then ranks among the text hits, above those with some of the question's
 * words and below those with all of them, the number included (S_id_score). */
#define KB_ERRID_SHARED_DOCS 3

/* ...and of a pasted message, in two: "System.TimeoutException" heads
 * sections of the Event Hubs and Relay docs, while the words of a message
 * pasted around it name the service whose section explains it (Redis). */
#define KB_ERRID_SHARED_PASTED 2
#define KB_SCORE_SHARED_ID 0.5
#define KB_SCORE_SHARED_DEFINING 0.25

/* An ID's hit in the reader's language ranks a little above its copies. */
#define KB_SCORE_LANG_BONUS 50.0

/* Whether a word only says "error": "error", "HTTP", "errorcode". */
static int S_says_error(const char *z, size_t n) {
    return strcasecmp(z, "http") == 0 || kb_vocab_is(KB_VOCAB_WORD_ERROR, z, n) ||
           kb_vocab_is(KB_VOCAB_PROBLEM, z, n) || kb_vocab_is(KB_VOCAB_LABEL_ERRCODE, z, n);
}

/* Whether z[0..n) is the text of one of the question's ID keys. */
static int S_is_id_text(const char *query, const kb_errid_qkey *aKey, int nKey, const char *z, size_t n) {
    for (int k = 0; k < nKey; k++)
        if (aKey[k].iEnd - aKey[k].iStart == n && strncasecmp(query + aKey[k].iStart, z, n) == 0) return 1;
    return 0;
}

/* Whether a term is only an ID in a tool's report of it: "Number:40613,",
 * "State:1,Class:17", "Level": each of its words an ID, a number, a word
 * that says "error" or one of the frame (KB_VOCAB_REPORT_FRAME). */
static int S_report_frame(const char *query, const kb_errid_qkey *aKey, int nKey, const char *z) {
    for (size_t i = 0; z[i];) {
        size_t j = i;
        while (z[j] && (isalnum((unsigned char)z[j]) || (unsigned char)z[j] >= 0x80)) j++;
        if (j == i) {
            i++;
            continue;
        }
        int number = 1;
        for (size_t k = i; k < j; k++) number &= isdigit((unsigned char)z[k]) != 0;
        if (!number && !S_is_id_text(query, aKey, nKey, z + i, j - i) && !S_says_error(z + i, j - i) &&
            !kb_vocab_is(KB_VOCAB_REPORT_FRAME, z + i, j - i))
            return 0;
        i = j;
    }
    return 1;
}

/* Whether the question has words besides its error IDs: not the IDs as
 * typed, nor stop words, symptoms, words that only say "error" ("error",
 * "HTTP", "código de error"), or the frame a tool prints around a code
 * ("Msg 40613, Level 16, State 1, Line 1"). */
static int S_words_besides_ids(const search_state *s, const char *query, const kb_query *q, const kb_errid_qkey *aKey,
                               int nKey) {
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        size_t n;
        const char *word = search_strip_around(t->text, &n); /* "0x80070005." is the ID */
        /* The vocabulary last: each kind is read the first time it is asked
         * for, which an ID typed alone never needs (0.12M instructions). */
        if (!S_is_id_text(query, aKey, nKey, word, n) && !t->negated && !t->symptom && !t->optional &&
            !search_any_stopword(s, t->text) && !S_says_error(t->text, n) &&
            !S_report_frame(query, aKey, nKey, t->text))
            return 1;
    }
    return 0;
}

/* One section an error-ID key found. */
typedef struct S_id_row {
    sqlite3_int64 section, doc;
    int defining, inUserLang;
    char lang[8];
    char key[KB_ERRID_KEY_MAX];   /* as stored: a prefix finds longer keys */
} S_id_row;

/* The most documents of one language among a key's rows, which come
 * ordered by language, then document. */
static int S_id_spread(const S_id_row *a, int n) {
    int most = 0;
    for (int i = 0, docs = 0; i < n; i++) {
        int newLang = i == 0 || strcmp(a[i].lang, a[i - 1].lang) != 0;
        docs = newLang ? 1 : docs + (a[i].doc != a[i - 1].doc);
        if (docs > most) most = docs;
    }
    return most;
}

/* The ID evidence of a row of the question's key k (earlier keys are more
 * specific; exact beats prefix), or of a shared ID, which the question's
 * other words outweigh (KB_ERRID_SHARED_DOCS). */
static double S_id_score(const S_id_row *row, int k, int pass, int shared) {
    if (shared)
        return (KB_SCORE_SHARED_ID + row->defining * KB_SCORE_SHARED_DEFINING) *
               (row->inUserLang ? KB_SCORE_LANG_FACTOR : 1.0);
    return KB_SCORE_ERRID + row->defining * KB_SCORE_DEFINING - k * 1000 - pass * 500 +
           row->inUserLang * KB_SCORE_LANG_BONUS;
}

/* Runs one lookup of key k and adds its hits; *pFound is set when any. */
static int S_errid_rows(search_state *s, sqlite3_stmt *st, const kb_errid_qkey *key, int k, int pass, int words,
                        search_excluded *x, int *pFound) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_text(st, 1, key->key, -1, SQLITE_STATIC);
    search_bind_filters(st, s->o);
    sqlite3_bind_text(st, 5, s->idLang ? s->idLang : "", -1, SQLITE_STATIC);
    S_id_row *a = NULL;
    int n = 0, cap = 0, step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) a = kb_xrealloc(a, (size_t)(cap = cap ? cap * 2 : 16) * sizeof *a);
        S_id_row *row = &a[n];
        row->section = sqlite3_column_int64(st, 0);
        row->defining = sqlite3_column_int(st, 1);
        snprintf(row->key, sizeof row->key, "%s", (const char *)sqlite3_column_text(st, 2));
        row->inUserLang = sqlite3_column_int(st, 3);
        row->doc = sqlite3_column_int64(st, 4);
        snprintf(row->lang, sizeof row->lang, "%s", (const char *)sqlite3_column_text(st, 5));
        n += !search_excluded_has(s, x, row->section, row->lang);
    }
    int rc = step == SQLITE_DONE ? KB_OK : kb_db_fail(s->db);
    int shared = words && S_id_spread(a, n) >= (s->pasted ? KB_ERRID_SHARED_PASTED : KB_ERRID_SHARED_DOCS);
    /* In a pasted message, a shared ID ("HTTP/1.1 500 Internal Server
     * Error" under it) is one word among many, and no section holds them
     * all: ranked above the sections with some words, each of its
     * sections had come before the one that explains the message. */
    double factor = shared && s->pasted ? KB_SCORE_PARTIAL_FACTOR : 1.0;
    for (int i = 0; i < n; i++) {
        kb_hit *h = search_hit_add(s->r, a[i].section, factor * S_id_score(&a[i], k, pass, shared), KB_MATCH_ERRID);
        if (!h->errid[0]) snprintf(h->errid, sizeof h->errid, "%s", a[i].key);
    }
    *pFound = n > 0;
    free(a);
    return rc;
}

/* Drops the keys of IDs the question excludes ("-SalBitmapError",
 * -"error 0x80070570"): looked up, they had put first what was asked away.
 * Returns how many keys are left. */
static int S_drop_excluded(const kb_query *q, kb_errid_qkey *aKey, int nKey) {
    int nKept = 0;
    for (int k = 0; k < nKey; k++) {
        int excluded = 0;
        for (int i = 0; i < q->n && !excluded; i++)
            excluded = q->a[i].negated && aKey[k].iStart >= (size_t)q->a[i].from && aKey[k].iEnd <= (size_t)q->a[i].to;
        if (!excluded) aKey[nKept++] = aKey[k];
    }
    return nKept;
}

int search_errid_lookup(search_state *s, const char *query, const kb_query *q) {
    kb_errid_qkey aKey[16];
    int nKey = S_drop_excluded(q, aKey, kb_errid_query_keys(query, aKey, 16));
    if (nKey == 0) return KB_OK; /* nothing ID-like: spare the statements */
    int words = s->idWords = S_words_besides_ids(s, query, q, aKey, nKey);
    /* An ID's hits in the reader's language come first; where the
     * environment states none (C.UTF-8, a bot's usual), the words around
     * the ID say it, as a CJK word that only says "error" does ("エラー
     * 34506", search_choose_language): "パスフレーズ 34506" had the English
     * section first. */
    s->idLang = s->o->lang;
    if ((words || search_any_cjk_term(q)) && !s->o->langExplicit && s->nLang > 0)
        s->idLang = s->aLang[search_question_lang(s, q)];
    sqlite3_stmt *exact = NULL, *prefix = NULL;
    char sqlExact[512], sqlPrefix[512];
    /* Joined to docs only to filter: unused, the join still cost compiling it
     * (66K of an ID lookup's 3.9M instructions). */
    int bFilter = s->o->localeOnly || s->o->docPrefix;
    const char *join = bFilter ? " JOIN docs d ON d.id = s.doc_id" : "", *filter = bFilter ? search_filter_sql : "";
    const char *columns = "SELECT e.section_id, e.defining, e.key, s.lang = ?5, s.doc_id, s.lang"
                          " FROM error_ids e JOIN sections s ON s.id = e.section_id";
    /* Only a question with other words asks how widely an ID is shared
     * (S_id_spread): sorting the rows cost an ID typed alone 1.7% more
     * instructions (0x80070570: 912K sorted, 897K not). */
    const char *order = words ? " ORDER BY s.lang, s.doc_id" : "";
    snprintf(sqlExact, sizeof sqlExact, "%s%s WHERE e.key = ?1%s%s", columns, join, filter, order);
    snprintf(sqlPrefix, sizeof sqlPrefix, "%s%s WHERE e.key > ?1 AND e.key < ?1 || '~' AND e.kind = %d%s%s", columns,
             join, KB_ERRID_SYMBOLIC, filter, order);
    search_excluded x;
    search_excluded_init(&x, q);
    int rc = kb_db_prepare(s->db, sqlExact, &exact);
    for (int k = 0; rc == KB_OK && k < nKey; k++) {
        int found = 0;
        for (int pass = 0; rc == KB_OK && !found && pass < (aKey[k].isPrefix ? 2 : 1); pass++) {
            /* the prefix statement only for the long symbolic keys that need it */
            if (pass == 1 && !prefix && (rc = kb_db_prepare(s->db, sqlPrefix, &prefix)) != KB_OK) break;
            rc = S_errid_rows(s, pass == 0 ? exact : prefix, &aKey[k], k, pass, words, &x, &found);
        }
        if (!s->r->decoded && aKey[k].kind == KB_ERRID_HEX && (found || !aKey[k].isGuess)) {
            char expl[256];
            if (kb_errid_decode(aKey[k].key, expl, sizeof expl)) s->r->decoded = kb_xstrdup(expl);
        }
    }
    sqlite3_finalize(exact);
    sqlite3_finalize(prefix);
    search_excluded_free(&x);
    return rc;
}

int kb_search_errid_text(sqlite3 *db, const char *key, kb_results *r) {
    memset(r, 0, sizeof *r);
    kb_query_opts o = {.limit = KB_ERRID_TEXT_POOL};
    search_state s = {.db = db, .o = &o, .r = r, .stmts = {.db = db}};
    kb_query q;
    kb_qparse(key, &q);
    int rc = search_load_langs(&s);
    if (rc == KB_OK && search_too_common(&s, &q)) rc = KB_ELIMIT;
    if (rc == KB_OK) rc = search_text_query(&s, &q, KB_QALL, 0, 1.0, KB_ERRID_TEXT_POOL, SEARCH_EVERY_TABLE);
    search_release_langs(&s);
    if (rc == KB_OK) rc = s.rcRead ? s.rcRead : s.stmts.rc;
    search_stmts_free(&s.stmts);
    kb_query_free(&q);
    return rc;
}

typedef struct S_stored_hit {
    sqlite3_int64 id;
    double score;
    char lang[8];
} S_stored_hit;

/* The full-text pass of a query that is one error ID, typed as its key
 * ("0x80070005", "SalChecksumStoreInitializationFailed"), read from the
 * error_text table, where kb-index stored what the same pass found
 * (kb_search_errid_text): no FTS table is opened, which is a fifth of such
 * a question. Per language the best rows search_text_query would keep.
 * *pDone is 0 when the table cannot stand in for the pass: another query,
 * a filter, a page deeper than the stored rows, or a key too common to
 * store (a row of section 0). A quoted ID takes the full-text pass: the
 * tests compare the two. */
int search_errid_text(search_state *s, const kb_query *q, int nId, int *pDone) {
    const kb_query_opts *o = s->o;
    int want = search_want(s);
    *pDone = 0;
    if (q->n != 1 || q->a[0].negated || q->a[0].phrase || o->localeOnly || o->docPrefix || want > KB_ERRID_TEXT_POOL)
        return KB_OK;
    char key[KB_ERRID_KEY_MAX];
    size_t nWord;
    const char *word = search_strip_around(q->a[0].text, &nWord);
    snprintf(key, sizeof key, "%.*s", (int)nWord, word);
    for (char *c = key; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    int isKey = 0;
    for (int i = 0; i < nId && !isKey; i++) isKey = strcmp(s->r->a[i].errid, key) == 0;
    if (!isKey) return KB_OK;
    sqlite3_stmt *st = NULL;
    /* Ties in their documents' order, as search_finish puts them: an
     * incremental run stores each whole (S_match), under new ids. */
    int rc = kb_db_prepare(s->db,
                           "SELECT t.section_id, t.score, coalesce(s.lang, '') FROM error_text t"
                           " LEFT JOIN sections s ON s.id = t.section_id LEFT JOIN docs d ON d.id = s.doc_id"
                           " WHERE t.key = ?1 ORDER BY 3, t.score DESC, d.path, s.ord",
                           &st);
    S_stored_hit *a = NULL;
    int n = 0, cap = 0, complete = 1, step = SQLITE_DONE;
    if (rc == KB_OK) sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) a = kb_xrealloc(a, (size_t)(cap = cap ? cap * 2 : 32) * sizeof *a);
        a[n].id = sqlite3_column_int64(st, 0);
        a[n].score = sqlite3_column_double(st, 1);
        snprintf(a[n].lang, sizeof a[n].lang, "%s", (const char *)sqlite3_column_text(st, 2));
        complete &= a[n++].id != 0;
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    sqlite3_finalize(st);
    for (int i = 0, inLang = 0; rc == KB_OK && complete && i < n; i++) {
        inLang = i > 0 && strcmp(a[i].lang, a[i - 1].lang) == 0 ? inLang + 1 : 0;
        double langFactor = o->lang && strcmp(o->lang, a[i].lang) == 0 ? KB_SCORE_LANG_FACTOR : 1.0;
        int l = 0;
        while (l < s->nLang && strcmp(s->aLang[l], a[i].lang) != 0) l++;
        if (inLang < (l < s->nLang ? search_table_pool(s, l, want) : want))
            search_hit_add(s->r, a[i].id, a[i].score * langFactor, KB_MATCH_TEXT);
    }
    free(a);
    *pDone = rc == KB_OK && complete;
    return rc;
}
