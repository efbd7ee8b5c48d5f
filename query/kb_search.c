/* kb_search.c: see kb_search.h. */
#include "kb_search.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_dict.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_paste.h"
#include "kb_qparse.h"
#include "kb_rank.h"
#include "kb_spell.h"
#include "kb_tok.h"
#include "kb_render.h"
#include "kb_stopwords.h"
#include "kb_synonym.h"
#include "kb_zh_words.h"
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
/* Hits that match only some terms come after every hit matching all. */
#define KB_SCORE_PARTIAL_FACTOR 0.001
/* ...but those that hold every code word of the question
 * ("AuthorizationFailed") rank as if they had every word (S_code_pass),
 * if it is in at most KB_CODE_MAX_DF sections of some language. 20 and 10
 * score alike on tests/quality/code_words.py and the known items; 50 puts
 * one more of 289 questions in the top 3 (none more first) and loses a
 * known item whose span ran "Visual Studio" together into one word. */
#define KB_SCORE_CODE_FACTOR 1.0
#define KB_CODE_MAX_DF 20
#define KB_MAX_LANGS 64
/* Sections in the user's language rank a little above other languages. */
#define KB_SCORE_LANG_FACTOR 1.3
#define KB_SCORE_LANG_BONUS 50.0
/* The OR pass takes terms, rarest first, while together they occur in at
 * most this many sections of all the language tables (each one matched is
 * ranked). Known items on es-ES+zh-TW (1,800 questions) score the same
 * MRR@10 with 4000 as with 6000 (0.617, 0.616), while the 40 slowest bench
 * questions run 14% fewer instructions; at 3000 the long Chinese ones
 * start to lose (0.660 -> 0.651). */
#define KB_ANY_BUDGET 4000
/* ...and at most this many when sections with every term were found: the
 * OR pass then only fills the page up. */
#define KB_FILL_BUDGET 1500
/* A question of very common words is answered from headings alone when
 * they hold at least this many of its sections (or the page, if deeper):
 * a number of its own, not the page's, so that pages of 5 add up to the
 * page of 20. */
#define KB_HEADINGS_ENOUGH 20
#define KB_COMMON_SHARE 0.5
/* A section whose heading the question says word for word comes first
 * (S_favour_exact_headings), unless more sections than this have it... */
#define KB_EXACT_HEADING_MAX 3
#define KB_EXACT_HEADING_ROWS 16 /* ...counting the copies of each in its locales */
/* A CJK character typed alone is searched as the start of the bigrams it
 * starts when they are in at most this many sections (S_mark_lone_cjk). */
#define KB_LONE_CJK_MAX_DF 10000
/* A question longer than this is no heading. */
#define KB_EXACT_HEADING_MAX_BYTES 300
/* Pages SQLite caches for a connection that answers one question. */
#define KB_ONE_QUESTION_CACHE "32"
/* More words than this besides stop words: a pasted message or command,
 * not a typed question (S_pasted). */
#define KB_PASTED_WORDS 5
/* The results whose words show a corrected question, on every page. */
#define KB_CORRECTION_PAGE 10
/* A last word that no section with the question's other words holds is
 * completed as one still being typed when the words it starts are in this
 * many times more sections than it is ("vir", "virtual": S_complete_last). */
#define KB_COMPLETE_RARER 10
/* A long question's sections "with every term" need only its rarest words. */
#define KB_ALL_MAX_TERMS 12
/* A question that names a symptom ("no puedo iniciar la VM") favours
 * sections about a problem by this factor (S_mark_symptoms). */
#define KB_SCORE_PROBLEM_FAVOUR 1.5

/* Which language tables a text pass searches: every one, those where
 * sections with every term were found, or (>= 0) one alone. */
enum { S_EVERY_TABLE = -1, S_MATCHED_TABLES = -2 };

/* Statements a search runs once per hit or per term, prepared once per search. */
enum { SQL_KEY, SQL_BODY, SQL_COPY_IN_LANG, SQL_COPIES, SQL_SUBSECTIONS, SQL_TERM_DF, SQL_TERMS_FROM, SQL_COUNT };

static const char *const kb_search_sql[SQL_COUNT] = {
    /* what ranking and de-duplication need: no Markdown is read */
    [SQL_KEY] = "SELECT d.path, s.anchor, s.locale, s.lang, d.dkey, s.ord FROM sections s JOIN docs d ON d.id = s.doc_id"
                " WHERE s.id = ?",
    [SQL_BODY] = "SELECT coalesce(d.title, ''), s.heading, s.breadcrumb, v.view, s.level FROM sections s"
                 " JOIN docs d ON d.id = s.doc_id JOIN section_view v ON v.id = s.id WHERE s.id = ?",
    /* min() takes the id from the row of the first locale (SQLite's rule for
     * a bare column beside min()); ORDER BY ... LIMIT 1 built an ephemeral
     * index, whose pager's page cache is fresh memory on every run. */
    [SQL_COPY_IN_LANG] = "SELECT s.id, min(s.locale) FROM docs d JOIN sections s ON s.doc_id = d.id"
                         " WHERE d.dkey = ?1 AND s.anchor = ?2 AND s.lang = ?3",
    [SQL_COPIES] = "SELECT s.id FROM docs d JOIN sections s ON s.doc_id = d.id"
                   " WHERE d.dkey = ?5 AND s.anchor = ?6 AND s.id <> ?4"
                   " AND (?2 IS NULL OR s.locale = ?2 OR s.lang = ?2)"
                   " AND (?3 IS NULL OR substr(d.path, 1, length(?3)) = ?3 OR substr(d.dkey, 1, length(?3)) = ?3)"
                   " ORDER BY s.locale",
    [SQL_SUBSECTIONS] = "SELECT n.level, v.view FROM sections s JOIN sections n ON n.doc_id = s.doc_id"
                        " AND n.ord > s.ord JOIN section_view v ON v.id = n.id WHERE s.id = ? ORDER BY n.ord",
    [SQL_TERM_DF] = "SELECT df FROM terms WHERE lang = ? AND term = ?",
    /* stepped only as far as the rows start with ?2 */
    [SQL_TERMS_FROM] = "SELECT term, df FROM terms WHERE lang = ? AND term >= ? ORDER BY term",
};

typedef struct S_stmts {
    sqlite3 *db;
    sqlite3_stmt *a[SQL_COUNT];
    kb_unpacker *unpacker;   /* created on the first view read */
    kb_labels labels;        /* what the views' label marks become: the UI language's when shown (JSON) */
    int rc;                  /* KB_EDB once a statement could not be prepared (S_sql) */
} S_stmts;

/* The labels of a result as shown: the UI language's when its text and
 * remediation records are (JSON), else English, as indexed. */
static kb_labels S_view_labels(const kb_query_opts *o) { return o->viewLabels ? KB_LABELS_UI : KB_LABELS_ENGLISH; }

static sqlite3_stmt *S_sql(S_stmts *c, int which) {
    if (!c->a[which] && kb_db_prepare(c->db, kb_search_sql[which], &c->a[which]) != KB_OK) {
        if (c->rc == KB_OK) c->rc = KB_EDB; /* a table gone: the index is damaged, said by kb_db_prepare */
        return NULL;
    }
    sqlite3_reset(c->a[which]);
    sqlite3_clear_bindings(c->a[which]);
    return c->a[which];
}

static void S_stmts_free(S_stmts *c) {
    for (int i = 0; i < SQL_COUNT; i++) sqlite3_finalize(c->a[i]);
    memset(c->a, 0, sizeof c->a);
    kb_unpacker_free(c->unpacker);
    c->unpacker = NULL;
}

/* A section's stored view from column i of st. */
static int S_view_column(S_stmts *c, sqlite3_stmt *st, int i, kb_view *v) {
    if (!c->unpacker) c->unpacker = kb_unpacker_new(c->db);
    kb_view_free(v);
    return kb_view_unpack(c->unpacker, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i), v);
}

typedef struct S_search {
    sqlite3 *db;
    const kb_query_opts *o;
    const char *prefLang;    /* the copy to show: o->lang, or the query's own language */
    const char *fallbackLang; /* ...where a section has no copy in prefLang: the other of the two */
    kb_results *r;
    char aLang[KB_MAX_LANGS][8];
    double aBest[KB_MAX_LANGS];  /* best score of a section with every term, per language */
    int bWordsLeftOut;           /* the pass running leaves words of the question out: not every term */
    int aAllRows[KB_MAX_LANGS];  /* rows with every term one MATCH returned, per language */
    int aRows[KB_MAX_LANGS];     /* sections per language */
    int aCopies[KB_MAX_LANGS];   /* the most copies (locales) of one document per language */
    int nId;                     /* hits an error ID found, before any text pass */
    int idWords;                 /* ...and the question has words besides its IDs (S_words_besides_ids) */
    int pasted;                  /* the question was pasted, not typed (S_pasted) */
    int everyCopy;               /* each section's copies in every locale are shown (S_choose_language) */
    int rcRead;                  /* KB_EDB once a lookup's read failed (S_stepped) */
    const char *idLang;          /* the language whose ID hits are the reader's (S_errid_lookup) */
    kb_spell *aSpell[KB_MAX_LANGS]; /* vocabulary per language, opened when needed */
    sqlite3_stmt *aMatch[KB_MAX_LANGS]; /* MATCH statement per language, prepared when needed */
    sqlite3_stmt *aMatchWithin[KB_MAX_LANGS]; /* ...keeping only the sections that match `within` too */
    const char *within;                 /* a MATCH expression every hit must also match, or NULL */
    sqlite3_stmt *aCount[KB_MAX_LANGS]; /* counts a term's sections per language, prepared when needed */
    kb_tok *aTok[KB_MAX_LANGS];     /* query tokenizer per language, created when needed */
    kb_tok *enTok;                  /* ...and English's, for its word list (S_dictionary_word) */
    int *aDf[KB_MAX_LANGS];         /* each query term's document frequency per language, looked up when needed */
    int *aCost[KB_MAX_LANGS];       /* ...the sections FTS5 walks to find it (S_term_df) */
    int *aDup[KB_MAX_LANGS];        /* ...1 if an earlier term has the same tokens */
    kb_buf problems;                /* the 'problem' section set, when the question names a symptom */
    int favourProblems;             /* ...and the pass running favours it */
    kb_query reworded;              /* the question in its docs' words, when searched so (S_synonym_pass) */
    int bMainlandWords;          /* the question says mainland words, reworded in Taiwan's (S_in_docs_words) */
    unsigned char aInTaiwanWords[KB_QPARSE_MAX_TERMS]; /* its terms wholly reworded so */
    kb_query completed;             /* the question with its last word's completion, when searched so */
    int nLang;
    S_stmts stmts;
} S_search;

/* Language l's tokenizer, kept for the whole search (a Snowball stemmer
 * is not free to create). */
static kb_tok *S_tok(S_search *s, int l) {
    if (!s->aTok[l]) s->aTok[l] = kb_tok_new(s->aLang[l]);
    return s->aTok[l];
}

static kb_spell *S_spell(S_search *s, int l) {
    if (!s->aSpell[l]) s->aSpell[l] = kb_spell_open(s->db, s->aLang[l]);
    return s->aSpell[l];
}

static kb_hit *S_hit_find(kb_results *r, sqlite3_int64 id) {
    for (int i = 0; i < r->n; i++)
        if (r->a[i].id == id) return &r->a[i];
    return NULL;
}

/* Adds evidence for a section: error-ID and text evidence add up (an ID hit
 * that also matches the query's words ranks above one that does not);
 * evidence of the same kind keeps its best value. */
static kb_hit *S_hit_add(kb_results *r, sqlite3_int64 id, double score, int match) {
    kb_hit *h = S_hit_find(r, id);
    if (!h) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 32;
            r->a = kb_xrealloc(r->a, (size_t)r->cap * sizeof *r->a);
        }
        h = &r->a[r->n++];
        memset(h, 0, sizeof *h);
        h->id = id;
        h->match = match;
    }
    if (match == KB_MATCH_ERRID) {
        h->match = KB_MATCH_ERRID;
        if (score > h->idScore) h->idScore = score;
    } else if (score > h->textScore) {
        h->textScore = score;
    }
    h->score = h->idScore + h->textScore;
    return h;
}

static int S_load_langs(S_search *s) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db, "SELECT lang, nsection, ncopy FROM langs WHERE nsection > 0 ORDER BY lang", &st);
    int step = SQLITE_DONE;
    while (rc == KB_OK && s->nLang < KB_MAX_LANGS && (step = sqlite3_step(st)) == SQLITE_ROW) {
        s->aRows[s->nLang] = sqlite3_column_int(st, 1);
        s->aCopies[s->nLang] = sqlite3_column_int(st, 2) > 1 ? sqlite3_column_int(st, 2) : 1;
        snprintf(s->aLang[s->nLang++], sizeof s->aLang[0], "%s", (const char *)sqlite3_column_text(st, 0));
    }
    /* a damaged table is no index of fewer languages */
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    sqlite3_finalize(st);
    return rc;
}

/* Whether z is a stop word of an index language, or of English, which
 * error messages and commands are mostly written in. */
static int S_any_stopword(const S_search *s, const char *z) {
    int stop = kb_stopword("en", z, strlen(z));
    for (int l = 0; l < s->nLang && !stop; l++) stop = kb_stopword(s->aLang[l], z, strlen(z));
    return stop;
}

/* Whether db's last error is FTS5's about a query ("fts5: syntax
 * error..."), which should not happen (every term is quoted) and is taken
 * for "no result"; any other failure ("SQL logic error" of a dropped
 * fts_es_idx, a damaged page) is the index's. */
static int S_fts_query_error(sqlite3 *db) {
    return sqlite3_errcode(db) == SQLITE_ERROR && strncmp(sqlite3_errmsg(db), "fts5:", 5) == 0;
}

/* A lookup's step (a word's sections, a completion), its failure (a
 * damaged page) remembered: the lookup answers "none", and kb_search then
 * reports the damage rather than a page ranked as if the rows were not
 * there. Returns step. */
static int S_stepped(S_search *s, sqlite3_stmt *st) {
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE && s->rcRead == KB_OK && !S_fts_query_error(s->db))
        s->rcRead = kb_db_fail(s->db);
    return step;
}

/* Restriction to a locale ("es-es"), or to every locale of a language
 * ("es", which a section's language equals), and to a
 * document subtree, named as stored ("es-es/backup-") or without its
 * locale folder ("backup-", every locale's), shared by every query. The
 * path's prefix ignores ASCII case: a locale folder written "zh-TW" on
 * disk is "zh-tw" as a locale, and a prefix from either finds it. */
static const char kb_filter_sql[] =
    " AND (?2 IS NULL OR s.locale = ?2 OR s.lang = ?2)"
    " AND (?3 IS NULL OR lower(substr(d.path, 1, length(?3))) = lower(?3) OR substr(d.dkey, 1, length(?3)) = ?3)";

static void S_bind_filters(sqlite3_stmt *st, const kb_query_opts *o) {
    if (o->localeOnly) sqlite3_bind_text(st, 2, o->localeOnly, -1, SQLITE_STATIC);
    if (o->docPrefix) sqlite3_bind_text(st, 3, o->docPrefix, -1, SQLITE_STATIC);
}

typedef struct S_df_probe {
    S_search *s;
    int l;
    int nToken;
    int minDf;  /* fewest sections any token of the term is in */
    int failed; /* a lookup failed: the count is unknown */
    kb_buf key; /* the tokens, each followed by U+001F */
} S_df_probe;

/* Looks one token of a term up in the terms table; stops the tokenizer at
 * the first token the language lacks. */
static int S_probe_token(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)flags; (void)iStart; (void)iEnd;
    S_df_probe *p = ctx;
    sqlite3_stmt *st = S_sql(&p->s->stmts, SQL_TERM_DF);
    if (!st) return p->failed = 1;
    sqlite3_bind_text(st, 1, p->s->aLang[p->l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tok, nTok, SQLITE_STATIC);
    int step = S_stepped(p->s, st);
    int df = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return p->failed = 1;
    if (p->nToken++ == 0 || df < p->minDf) p->minDf = df;
    kb_buf_add(&p->key, tok, (size_t)nTok);
    kb_buf_addc(&p->key, '\x1f');
    return df == 0;
}

/* In how many sections of language l a term occurs, from the terms table
 * (every indexed token is listed): 0 when one of its tokens is in none,
 * so no section of that language can match it; otherwise, for a term of
 * one token, its count; for a phrase the search made (a CJK word such as
 * "資料庫", kb_qparse.h), the count of its rarest token, which bounds it
 * and is near it ("料庫" is seldom anything but "資料庫"): counted
 * exactly, kb_rank walked the rows of the phrase's tokens in every
 * search, 10M instructions for that word; and -1 (unknown) for a phrase
 * the user quoted or a prefix, which kb_rank then counts itself, or when
 * the table cannot be read.
 *
 * *pCost is what finding the term costs FTS5: the sections of its rarest
 * token, whose list (and the others' from there) it walks, 0 unknown.
 * "2.1" is in 307 Spanish sections but costs the walk of "2" and "1". The
 * term's tokens go to key (NULL when the term has none or is a prefix). */
static int S_term_df(S_search *s, int l, kb_tok *t, const kb_qterm *term, int *pCost, char **pKey) {
    *pCost = 0;
    *pKey = NULL;
    if (term->prefix) return -1;
    S_df_probe p = {s, l, 0, 0, 0, {0}};
    kb_tok_run(t, KB_TOK_QUERY, term->text, (int)strlen(term->text), &p, S_probe_token);
    if (p.failed || p.nToken == 0) {
        kb_buf_free(&p.key);
        return -1;
    }
    *pCost = p.minDf;
    *pKey = kb_buf_detach(&p.key);
    if (p.minDf == 0) return 0;
    return (p.nToken == 1 && !term->phrase) || term->joined ? p.minDf : -1;
}

/* Whether term i searches exactly what an earlier term does in language l
 * (same tokens, both plain or both quoted): a pasted message repeats its
 * words ("Azure SDK 2.1 ... Azure SDK 2.1."), and FTS5 would walk each
 * repeat's lists again. Terms of an OR group are left alone. */
static int S_repeats(const kb_query *q, char *const *aKey, int i) {
    const kb_qterm *t = &q->a[i];
    if (!aKey[i] || t->negated || kb_query_in_group(q, i)) return 0;
    for (int j = 0; j < i; j++) {
        const kb_qterm *u = &q->a[j];
        if (aKey[j] && !u->negated && !kb_query_in_group(q, j) && u->phrase == t->phrase &&
            strcmp(aKey[j], aKey[i]) == 0)
            return 1;
    }
    return 0;
}

/* Each query term's document frequency in language l (-1 unknown), what
 * it costs to find, and whether it repeats an earlier term; looked up once
 * per search: every pass needs them. */
static void S_term_stats(S_search *s, int l, const kb_query *q) {
    if (s->aDf[l]) return;
    s->aDf[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aDf[l]);
    s->aCost[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aCost[l]);
    s->aDup[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aDup[l]);
    char **aKey = kb_xcalloc((size_t)q->n + 1, sizeof *aKey);
    for (int i = 0; i < q->n; i++)
        s->aDf[l][i] = q->a[i].negated ? -1 : S_term_df(s, l, S_tok(s, l), &q->a[i], &s->aCost[l][i], &aKey[i]);
    for (int i = 0; i < q->n; i++) s->aDup[l][i] = S_repeats(q, aKey, i);
    for (int i = 0; i < q->n; i++) free(aKey[i]);
    free(aKey);
}

static int *S_term_dfs(S_search *s, int l, const kb_query *q) {
    S_term_stats(s, l, q);
    return s->aDf[l];
}

/* Which terms go into language l's MATCH before any budget: phrases the
 * user quoted and exclusions always, a repeated term never; a phrase the
 * search made (a CJK word, kb_qparse.h) is a word like any other, which
 * KB_QANY takes within its budget: taken always, "資料庫" (database, in
 * thousands of Chinese sections) made a short question rank each of them,
 * 47M instructions instead of 8M; in KB_QALL every term but the
 * language's stop words and the symptoms (all of them if that leaves
 * none), and of a long question only the KB_ALL_MAX_TERMS cheapest to
 * find, for a word its
 * rarest: their AND is as selective, while every common word more is one
 * more long list the AND has to walk (a 40-bigram Chinese question spent
 * 2 ms there finding nothing; "2.1" walks the lists of "2" and "1"). */
static void S_keep_terms(S_search *s, int l, const kb_query *q, int mode, int *keep) {
    S_term_stats(s, l, q);
    const int *aDup = s->aDup[l], *aCost = s->aCost[l];
    int nKept = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *term = &q->a[i];
        if (aDup[i]) keep[i] = mode == KB_QANY ? -1 : 0; /* -1: never taken by S_budget_terms */
        /* a CJK word (joined) is optional where the docs lack it (S_known_words_pass) */
        else if (term->optional && !term->negated) keep[i] = mode == KB_QANY ? -1 : 0;
        else if ((term->phrase && !(term->joined && mode == KB_QANY)) || term->negated) keep[i] = 1;
        else if (mode == KB_QALL)
            keep[i] = !term->symptom && !kb_stopword(s->aLang[l], term->text, strlen(term->text));
        /* the OR pass takes the rarest words first: a rare optional word
         * ("Hola" of a chat message) found its own sections */
        else keep[i] = 0;
        nKept += keep[i] > 0 && !term->negated;
    }
    if (mode == KB_QALL && nKept == 0)
        for (int i = 0; i < q->n; i++) keep[i] = !aDup[i];
    if (mode == KB_QALL && nKept > KB_ALL_MAX_TERMS) {
        /* The dearest to walk go first: for a word, its sections. */
        while (nKept > KB_ALL_MAX_TERMS) {
            int worst = -1;
            for (int i = 0; i < q->n; i++) {
                const kb_qterm *t = &q->a[i];
                if (keep[i] && !t->phrase && !t->negated && !kb_query_in_group(q, i) && aCost[i] > 0 &&
                    (worst < 0 || aCost[i] > aCost[worst]))
                    worst = i;
            }
            if (worst < 0) break;
            keep[worst] = 0;
            nKept--;
        }
    }
}

/* The sections of language l that contain the term, counted in its FTS
 * table: for terms of several tokens (phrases, CJK words), whose tokens'
 * counts only bound theirs; -1 if the count fails. */
static int S_count_term(S_search *s, int l, const kb_qterm *term) {
    if (!s->aCount[l]) {
        char sql[256], fts[32];
        kb_db_fts_name(s->aLang[l], fts, sizeof fts);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s MATCH ?", fts, fts);
        if (kb_db_prepare(s->db, sql, &s->aCount[l]) != KB_OK) return -1;
    }
    kb_qterm one = *term;
    one.negated = one.orWithNext = 0;
    kb_query q1 = {&one, 1};
    char *expr = kb_query_fts(&q1, KB_QALL, NULL);
    int df = -1;
    sqlite3_stmt *st = s->aCount[l];
    sqlite3_reset(st);
    if (expr && sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC) == SQLITE_OK && S_stepped(s, st) == SQLITE_ROW)
        df = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    free(expr);
    return df;
}

/* KB_QANY: sections may contain any term, and every section that matches
 * is ranked, so common words (whose IDF is low anyway) must not make a long
 * question visit most of a large index. Terms are taken rarest first, in
 * whichever language table they are rarest, while together they occur in
 * at most `budget` sections of all the tables: a Chinese question that
 * mentions ".NET" ranks Chinese sections, not every Spanish section about
 * .NET. A term in more than KB_COMMON_SHARE of a table's sections selects
 * nothing there and is not taken. A term a table lacks costs nothing and is
 * taken: kb_rank counts what it weighs among the words a section misses.
 * A term of several tokens ("HTTP/1.1", "a/datos"), which the terms table
 * does not count, is counted in the FTS table, so kb_rank need not count it
 * and one no section holds costs nothing; but only when its rarest token
 * is in at most `budget` sections. FTS5 walks that token's list to find
 * it, however few sections hold it: a dearer one is priced at that list,
 * and counting it would walk it twice (a pasted Spanish paragraph with
 * "a/datos": 54M instructions, 14M without the walks of "a" and "datos").
 * The rarest term is always taken; a table left with no term is not
 * searched. */
static void S_budget_terms(S_search *s, const kb_query *q, long budget, const int *aOn,
                           int (*keep)[KB_QPARSE_MAX_TERMS]) {
    long spent = 0;
    int nKept = 0;
    for (int l = 0; l < s->nLang; l++) {
        if (!aOn[l]) continue;
        int *aDf = S_term_dfs(s, l, q);
        for (int i = 0; i < q->n; i++) {
            nKept += keep[l][i] > 0 && !q->a[i].negated;
            if (!keep[l][i] && aDf[i] < 0 && !q->a[i].prefix && s->aCost[l][i] <= budget)
                aDf[i] = S_count_term(s, l, &q->a[i]);
        }
    }
    for (;;) {
        int bestL = -1, bestI = -1;
        long bestDf = 0;
        for (int l = 0; l < s->nLang; l++) {
            if (!aOn[l]) continue;
            const int *aDf = S_term_dfs(s, l, q);
            for (int i = 0; i < q->n; i++) {
                long df = aDf[i] >= 0 ? aDf[i] : s->aCost[l][i];
                if (!keep[l][i] && (bestL < 0 || df < bestDf)) bestL = l, bestI = i, bestDf = df;
            }
        }
        if (bestL < 0) break;
        int nRows = s->aRows[bestL] > 0 ? s->aRows[bestL] : 1;
        if (nKept > 0 && spent + bestDf > budget) break;
        if (nKept > 0 && (double)bestDf / nRows > KB_COMMON_SHARE) {
            keep[bestL][bestI] = -1; /* not taken, never again looked at */
            continue;
        }
        keep[bestL][bestI] = 1;
        spent += bestDf;
        nKept++;
    }
    for (int l = 0; l < s->nLang; l++)
        for (int i = 0; aOn[l] && i < q->n; i++)
            if (keep[l][i] < 0) keep[l][i] = 0;
}

/* "df,df,..." for kb_rank, in the order kb_query_fts writes the phrases:
 * kept positive terms, then the excluded ones. */
static void S_df_args(const kb_query *q, const int *keep, const int *aDf, kb_buf *out) {
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < q->n; i++)
            if (keep[i] && q->a[i].negated == pass) kb_buf_addf(out, "%s%d", out->n ? "," : "", pass ? -1 : aDf[i]);
    kb_buf_add(out, "", 0);
}

/* Term i's least document frequency in language l, for kb_rank's IDF:
 * the share of sections it is in where that share is highest, times l's
 * sections. An English word that a few Spanish
 * sections quote ("operation", "failed" in BackUpOperationFailed) is rare
 * in the Spanish table, and BM25 there made it worth more than in any
 * English section: an English reader asking "operation failed" got
 * Spanish sections first. As common as in English, it weighs alike in
 * both tables. A word of l's own language keeps its IDF. */
static long long S_idf_floor(S_search *s, int l, const kb_query *q, int i) {
    double share = 0;
    for (int k = 0; k < s->nLang; k++) {
        if (k == l || s->aRows[k] <= 0) continue;
        int df = S_term_dfs(s, k, q)[i];
        if (df < 0) df = s->aCost[k][i]; /* a phrase: its rarest token's, which bounds it */
        if (df > 0 && (double)df / s->aRows[k] > share) share = (double)df / s->aRows[k];
    }
    return (long long)(share * s->aRows[l]);
}

/* For kb_rank, each phrase's S_idf_floor in S_df_args's order (exclusions: 0). */
static void S_idf_floor_args(S_search *s, int l, const kb_query *q, const int *keep, kb_buf *out) {
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < q->n; i++)
            if (keep[i] && q->a[i].negated == pass)
                kb_buf_addf(out, "%s%lld", out->n ? "," : "", pass ? 0LL : S_idf_floor(s, l, q, i));
    kb_buf_add(out, "", 0);
}

/* Term i's IDF in language l as kb_rank computes it (floored). */
static double S_term_idf(S_search *s, int l, const kb_query *q, int i) {
    long long df = S_term_dfs(s, l, q)[i], floor = S_idf_floor(s, l, q, i);
    if (df < 0) df = s->aCost[l][i];
    if (floor > df) df = floor;
    double idf = log(((double)s->aRows[l] - (double)df + 0.5) / ((double)df + 0.5));
    return idf > 1e-6 ? idf : 1e-6;
}

/* The MATCH statement of language l, prepared once per search: every pass
 * (all terms, some terms, headings first) binds its own expression. With
 * s->within, a second statement keeps the rows that match ?10 too: FTS5
 * then looks each of those few rows up in the other terms' lists. */
static sqlite3_stmt *S_match_stmt(S_search *s, int l) {
    sqlite3_stmt **pSt = s->within ? &s->aMatchWithin[l] : &s->aMatch[l];
    if (*pSt) {
        sqlite3_reset(*pSt);
        return *pSt;
    }
    char sql[2048], fts[32], within[160] = "";
    kb_db_fts_name(s->aLang[l], fts, sizeof fts);
    int filtered = s->o->localeOnly || s->o->docPrefix;
    if (s->within)
        snprintf(within, sizeof within, " AND %s IN (SELECT rowid FROM %s WHERE %s MATCH ?10)",
                 filtered ? "f.rowid" : "rowid", fts, fts);
    /* Joined to sections and docs only to filter: every matching row is
     * ranked before the LIMIT, and a join would look each one up. */
    if (filtered)
        snprintf(sql, sizeof sql,
                 "SELECT f.rowid, kb_rank(%s, " KB_DB_COLUMN_WEIGHTS ", ?4, ?5, ?6, ?7, ?8, ?9, ?11) AS score"
                 " FROM %s f JOIN sections s ON s.id = f.rowid JOIN docs d ON d.id = s.doc_id"
                 " WHERE %s MATCH ?1%s%s ORDER BY score DESC LIMIT ?4",
                 fts, fts, fts, within, kb_filter_sql);
    else
        snprintf(sql, sizeof sql,
                 "SELECT rowid, kb_rank(%s, " KB_DB_COLUMN_WEIGHTS ", ?4, ?5, ?6, ?7, ?8, ?9, ?11) AS score FROM %s"
                 " WHERE %s MATCH ?1%s AND ?2 IS NULL AND ?3 IS NULL ORDER BY score DESC LIMIT ?4",
                 fts, fts, fts, within);
    if (kb_db_prepare(s->db, sql, pSt) != KB_OK) return NULL;
    return *pSt;
}

/* What kb_rank is told of a query's phrases in one language. */
typedef struct S_rank_args {
    const char *dfs;    /* S_df_args */
    const char *floors; /* S_idf_floor_args */
    const char *slots;  /* kb_query_slots */
} S_rank_args;

/* Runs one MATCH expression against language l's table and adds its hits;
 * *pn receives the number of rows returned. */
static int S_match(S_search *s, int l, int mode, const char *expr, const S_rank_args *ra, double factor, int limit,
                   int *pn) {
    sqlite3_stmt *st = S_match_stmt(s, l);
    if (!st) return KB_EDB;
    int rc = KB_OK;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    if (s->within) sqlite3_bind_text(st, 10, s->within, -1, SQLITE_STATIC);
    S_bind_filters(st, s->o);
    sqlite3_bind_int(st, 4, limit);
    sqlite3_bind_text(st, 5, ra->dfs, -1, SQLITE_STATIC);
    /* kb_rank lists each term's rows once for an OR, where most rows hold
     * few terms; the few rows `within` leaves are cheaper asked one by one. */
    sqlite3_bind_int(st, 6, mode == KB_QANY && !s->within);
    sqlite3_bind_text(st, 7, ra->floors, -1, SQLITE_STATIC);
    int favour = s->favourProblems && s->problems.n > 0;
    sqlite3_bind_blob(st, 8, favour ? s->problems.z : NULL, favour ? (int)s->problems.n : 0, SQLITE_STATIC);
    sqlite3_bind_double(st, 9, favour ? KB_SCORE_PROBLEM_FAVOUR : 1.0);
    sqlite3_bind_text(st, 11, ra->slots, -1, SQLITE_STATIC);
    double langFactor = s->o->lang && strcmp(s->o->lang, s->aLang[l]) == 0 ? KB_SCORE_LANG_FACTOR : 1.0;
    int step;
    *pn = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        double score = sqlite3_column_double(st, 1);
        if (mode == KB_QALL && !s->bWordsLeftOut && score > s->aBest[l]) s->aBest[l] = score;
        S_hit_add(s->r, sqlite3_column_int64(st, 0), score * factor * langFactor, KB_MATCH_TEXT);
        (*pn)++;
    }
    if (mode == KB_QALL && *pn > s->aAllRows[l]) s->aAllRows[l] = *pn;
    if (step != SQLITE_DONE && !S_fts_query_error(s->db)) rc = kb_db_fail(s->db);
    sqlite3_reset(st);
    return rc;
}

/* The fewest sections any required term of the query occurs in (-1 unknown). */
static long S_min_df(const kb_query *q, const int *keep, const int *aDf) {
    long minDf = -1;
    for (int i = 0; i < q->n; i++)
        if (keep[i] && !q->a[i].negated && (minDf < 0 || aDf[i] < minDf)) minDf = aDf[i];
    return minDf;
}

/* Whether no section of language l can match, as the terms table tells:
 * in KB_QALL a term every match must contain is in none of its sections,
 * in KB_QANY all of them are. Its FTS table is then not opened: a Spanish
 * question skips the Chinese table, whose Spanish words are few. */
static int S_matches_nothing(S_search *s, int l, const kb_query *q, int mode, const int *keep) {
    const int *aDf = S_term_dfs(s, l, q);
    int nMaybe = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (!keep[i] || t->negated) continue;
        if (mode == KB_QALL && !kb_query_in_group(q, i) && aDf[i] == 0) return 1;
        nMaybe += aDf[i] != 0;
    }
    return nMaybe == 0;
}

/* Rows a pass keeps from language l's table to show `want` sections.
 * Copies of one document in several locales of the language (es-es,
 * es-mx) fold into one hit: as many times more. With one locale, exactly
 * `want`: a row above a shown section's best copy is a section shown above
 * it, so the best `want` rows of every table hold the page. Fewer rows
 * kept also prune harder in kb_rank (10 instead of 30: a question's
 * column-length lookups 520 -> 213). */
static int S_table_pool(const S_search *s, int l, int want) { return want * s->aCopies[l]; }

/* Runs the query, in mode KB_QALL or KB_QANY, against the language tables
 * `tables` names (S_EVERY_TABLE, S_MATCHED_TABLES or one), for the best
 * `want` sections. */
static int S_text_query(S_search *s, const kb_query *q, int mode, long budget, double factor, int want,
                        int tables) {
    int rc = KB_OK;
    int aOn[KB_MAX_LANGS];
    /* 12 KB: on the heap, which a question is given up front, not on the
     * stack, whose every page is one more fault (kb_heap.h). */
    int (*keep)[KB_QPARSE_MAX_TERMS] = kb_xcalloc((size_t)s->nLang + 1, sizeof *keep);
    for (int l = 0; l < s->nLang; l++) {
        aOn[l] = tables == S_EVERY_TABLE || (tables == S_MATCHED_TABLES ? s->aBest[l] > 0 : tables == l);
        if (aOn[l]) S_keep_terms(s, l, q, mode, keep[l]);
    }
    if (mode == KB_QANY) S_budget_terms(s, q, budget, aOn, keep);
    for (int l = 0; rc == KB_OK && l < s->nLang; l++) {
        if (!aOn[l] || S_matches_nothing(s, l, q, mode, keep[l])) continue;
        char *expr = kb_query_fts(q, mode, keep[l]);
        if (!expr) continue;
        const int *aDf = S_term_dfs(s, l, q);
        kb_buf dfs = {0}, floors = {0};
        S_df_args(q, keep[l], aDf, &dfs);
        S_idf_floor_args(s, l, q, keep[l], &floors);
        char *slots = kb_query_slots(q, keep[l]);
        S_rank_args ra = {kb_buf_str(&dfs), kb_buf_str(&floors), slots};
        int n = 0, pool = S_table_pool(s, l, want);
        /* A query whose every term is very common ("backup") would rank
         * most of the table: the sections that have it in their heading or
         * breadcrumb come first, and the rest only if they are too few. A
         * word alone is looked for in the section's own heading first:
         * "Azure" is in the breadcrumb of 46,000 sections of es-ES + zh-TW,
         * and in the heading of 11,000 (97M -> 53M instructions). Two words
         * or more are in far fewer breadcrumbs that their headings lack, and
         * there the headings' scores, many the same ("Pasos siguientes"),
         * prune fewer rows by themselves (18.5M -> 24.6M). */
        static const char *const aHeadingColumns[] = {"{heading}", "{heading breadcrumb}"};
        int enough = pool;
        if (mode == KB_QALL && S_min_df(q, keep[l], aDf) > KB_ANY_BUDGET) {
            enough = pool > KB_HEADINGS_ENOUGH ? pool : KB_HEADINGS_ENOUGH;
            int nWord = 0;
            for (int i = 0; i < q->n; i++) nWord += keep[l][i] > 0 && !q->a[i].negated;
            for (int c = nWord == 1 ? 0 : 1; rc == KB_OK && n < enough && c < 2; c++) {
                char *inHeadings = kb_xasprintf("%s : (%s)", aHeadingColumns[c], expr);
                rc = S_match(s, l, mode, inHeadings, &ra, factor, enough, &n);
                free(inHeadings);
            }
        }
        if (rc == KB_OK && n < enough) rc = S_match(s, l, mode, expr, &ra, factor, pool, &n);
        kb_buf_free(&dfs);
        kb_buf_free(&floors);
        free(slots);
        free(expr);
    }
    free(keep);
    return rc;
}

/* A word without the quotes and sentence punctuation around it
 * ("'janedo@contoso.com'", "kubectl,", "(0x80070005)."): its start, and
 * its length in *pn; the word itself if nothing else is left. */
static const char *S_strip_around(const char *z, size_t *pn) {
    static const char kAround[] = "'\"`,;:.!?()[]{}<>";
    size_t n = strlen(z);
    const char *w = z;
    while (n > 0 && strchr(kAround, w[n - 1])) n--;
    while (n > 0 && strchr(kAround, *w)) w++, n--;
    if (n == 0) w = z, n = strlen(z);
    *pn = n;
    return w;
}

/* Whether a word only says "error": "error", "HTTP", "errorcode". */
static int S_says_error(const char *z, size_t n) {
    return strcasecmp(z, "http") == 0 || kb_vocab_is(KB_VOCAB_WORD_ERROR, z, n) ||
           kb_vocab_is(KB_VOCAB_PROBLEM, z, n) || kb_vocab_is(KB_VOCAB_LABEL_ERRCODE, z, n);
}

/* Whether the question has words besides its error IDs: not the IDs as
 * typed, nor stop words, symptoms, or words that only say "error" ("error",
 * "HTTP", "código de error"). */
static int S_words_besides_ids(const S_search *s, const char *query, const kb_query *q, const kb_errid_qkey *aKey,
                               int nKey) {
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        size_t n;
        const char *word = S_strip_around(t->text, &n); /* "0x80070005." is the ID */
        int idWord = 0;
        for (int k = 0; k < nKey && !idWord; k++)
            idWord = aKey[k].iEnd - aKey[k].iStart == n && strncasecmp(query + aKey[k].iStart, word, n) == 0;
        /* The vocabulary last: each kind is read the first time it is asked
         * for, which an ID typed alone never needs (0.12M instructions). */
        if (!idWord && !t->negated && !t->symptom && !t->optional && !S_any_stopword(s, t->text) &&
            !S_says_error(t->text, n))
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
static int S_errid_rows(S_search *s, sqlite3_stmt *st, const kb_errid_qkey *key, int k, int pass, int words,
                        int *pFound) {
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite3_bind_text(st, 1, key->key, -1, SQLITE_STATIC);
    S_bind_filters(st, s->o);
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
        n++;
    }
    int rc = step == SQLITE_DONE ? KB_OK : kb_db_fail(s->db);
    int shared = words && S_id_spread(a, n) >= (s->pasted ? KB_ERRID_SHARED_PASTED : KB_ERRID_SHARED_DOCS);
    /* In a pasted message, a shared ID ("HTTP/1.1 500 Internal Server
     * Error" under it) is one word among many, and no section holds them
     * all: ranked above the sections with some words, each of its
     * sections had come before the one that explains the message. */
    double factor = shared && s->pasted ? KB_SCORE_PARTIAL_FACTOR : 1.0;
    for (int i = 0; i < n; i++) {
        kb_hit *h = S_hit_add(s->r, a[i].section, factor * S_id_score(&a[i], k, pass, shared), KB_MATCH_ERRID);
        if (!h->errid[0]) snprintf(h->errid, sizeof h->errid, "%s", a[i].key);
    }
    *pFound = n > 0;
    free(a);
    return rc;
}

static int S_question_lang(S_search *s, const kb_query *q);
static int S_any_cjk_term(const kb_query *q);

static int S_errid_lookup(S_search *s, const char *query, const kb_query *q) {
    kb_errid_qkey aKey[16];
    int nKey = kb_errid_query_keys(query, aKey, 16);
    if (nKey == 0) return KB_OK; /* nothing ID-like: spare the statements */
    int words = s->idWords = S_words_besides_ids(s, query, q, aKey, nKey);
    /* An ID's hits in the reader's language come first; where the
     * environment states none (C.UTF-8, a bot's usual), the words around
     * the ID say it, as a CJK word that only says "error" does ("エラー
     * 34506", S_choose_language): "パスフレーズ 34506" had the English
     * section first. */
    s->idLang = s->o->lang;
    if ((words || S_any_cjk_term(q)) && !s->o->langExplicit && s->nLang > 0)
        s->idLang = s->aLang[S_question_lang(s, q)];
    sqlite3_stmt *exact = NULL, *prefix = NULL;
    char sqlExact[512], sqlPrefix[512];
    /* Joined to docs only to filter: unused, the join still cost compiling it
     * (66K of an ID lookup's 3.9M instructions). */
    int bFilter = s->o->localeOnly || s->o->docPrefix;
    const char *join = bFilter ? " JOIN docs d ON d.id = s.doc_id" : "", *filter = bFilter ? kb_filter_sql : "";
    const char *columns = "SELECT e.section_id, e.defining, e.key, s.lang = ?5, s.doc_id, s.lang"
                          " FROM error_ids e JOIN sections s ON s.id = e.section_id";
    /* Only a question with other words asks how widely an ID is shared
     * (S_id_spread): sorting the rows cost an ID typed alone 1.7% more
     * instructions (0x80070570: 912K sorted, 897K not). */
    const char *order = words ? " ORDER BY s.lang, s.doc_id" : "";
    snprintf(sqlExact, sizeof sqlExact, "%s%s WHERE e.key = ?1%s%s", columns, join, filter, order);
    snprintf(sqlPrefix, sizeof sqlPrefix, "%s%s WHERE e.key > ?1 AND e.key < ?1 || '~' AND e.kind = %d%s%s", columns,
             join, KB_ERRID_SYMBOLIC, filter, order);
    int rc = kb_db_prepare(s->db, sqlExact, &exact);
    for (int k = 0; rc == KB_OK && k < nKey; k++) {
        int found = 0;
        for (int pass = 0; rc == KB_OK && !found && pass < (aKey[k].isPrefix ? 2 : 1); pass++) {
            /* the prefix statement only for the long symbolic keys that need it */
            if (pass == 1 && !prefix && (rc = kb_db_prepare(s->db, sqlPrefix, &prefix)) != KB_OK) break;
            rc = S_errid_rows(s, pass == 0 ? exact : prefix, &aKey[k], k, pass, words, &found);
        }
        if (!s->r->decoded && aKey[k].kind == KB_ERRID_HEX && (found || !aKey[k].isGuess)) {
            char expl[256];
            if (kb_errid_decode(aKey[k].key, expl, sizeof expl)) s->r->decoded = kb_xstrdup(expl);
        }
    }
    sqlite3_finalize(exact);
    sqlite3_finalize(prefix);
    return rc;
}

static int S_cmp_hit(const void *a, const void *b) {
    const kb_hit *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static char *S_col_dup(sqlite3_stmt *st, int i) {
    const unsigned char *z = sqlite3_column_text(st, i);
    return kb_xstrdup(z ? (const char *)z : "");
}

static void S_set(char **pField, char *z) {
    free(*pField);
    *pField = z;
}

/* A section a search found is not in the sections table, or SQLite could
 * not read it. */
static int S_section_missing(sqlite3 *db, sqlite3_stmt *st, sqlite3_int64 id) {
    int step = sqlite3_reset(st);
    if (step != SQLITE_OK) return kb_db_fail(db);
    char why[64];
    snprintf(why, sizeof why, _("section %lld is missing"), (long long)id);
    return kb_db_damaged(sqlite3_db_filename(db, "main"), why);
}

/* Loads where a hit lives: doc, anchor, locale, language, section key. */
static int S_load_key(S_stmts *c, kb_hit *h) {
    sqlite3_stmt *st = S_sql(c, SQL_KEY);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    if (sqlite3_step(st) != SQLITE_ROW) return S_section_missing(c->db, st, h->id);
    S_set(&h->doc, S_col_dup(st, 0));
    S_set(&h->anchor, S_col_dup(st, 1));
    S_set(&h->locale, S_col_dup(st, 2));
    S_set(&h->lang, S_col_dup(st, 3));
    S_set(&h->dkey, S_col_dup(st, 4));
    S_set(&h->skey, kb_xasprintf("%s#%s", h->dkey, h->anchor));
    h->ord = sqlite3_column_int(st, 5);
    sqlite3_reset(st);
    return KB_OK;
}

/* The Markdown of the subsections (the deeper levels that follow), after
 * the section's own. */
static int S_append_subsections(S_stmts *c, const kb_hit *h, int level, kb_buf *md) {
    sqlite3_stmt *st = S_sql(c, SQL_SUBSECTIONS);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    int rc = KB_OK, step;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) > level) {
        kb_view sub = {0};
        rc = S_view_column(c, st, 1, &sub);
        kb_buf_addc(md, '\n');
        kb_buf_adds(md, sub.source);
        kb_view_free(&sub);
    }
    /* damaged: --show --full had ended the section there, silently */
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

/* Loads what is shown: title, heading, breadcrumb and the section's view,
 * as stored unless the view must be computed: with its subsections, or
 * with the labels of a UI language that translates them. */
static int S_load_body(S_stmts *c, kb_hit *h, int full) {
    sqlite3_stmt *st = S_sql(c, SQL_BODY);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    if (sqlite3_step(st) != SQLITE_ROW) return S_section_missing(c->db, st, h->id);
    S_set(&h->title, S_col_dup(st, 0));
    S_set(&h->heading, S_col_dup(st, 1));
    S_set(&h->breadcrumb, S_col_dup(st, 2));
    int rc = S_view_column(c, st, 3, &h->view);
    int level = h->level = sqlite3_column_int(st, 4);
    sqlite3_reset(st);
    if (rc) return rc;
    if (!full) {
        kb_view_fill_labels(&h->view, c->labels);
        return KB_OK;
    }
    kb_buf md = {0};
    kb_buf_adds(&md, h->view.source);
    rc = S_append_subsections(c, h, level, &md);
    kb_view_free(&h->view);
    kb_view_build(kb_buf_str(&md), h->doc, c->labels, &h->view);
    kb_buf_free(&md);
    return rc;
}

static int S_load_hit(S_stmts *c, kb_hit *h, int full) {
    int rc = S_load_key(c, h);
    return rc ? rc : S_load_body(c, h, full);
}

/* The copy of a section in the preferred language into *pId, -1 if the
 * index has none; KB_EDB when it cannot be read (a damaged index had shown
 * the copy in another language). */
static int S_preferred_copy(S_stmts *c, const kb_hit *h, const char *lang, sqlite3_int64 *pId) {
    sqlite3_stmt *st = S_sql(c, SQL_COPY_IN_LANG);
    *pId = -1;
    if (!st) return KB_EDB;
    sqlite3_bind_text(st, 1, h->dkey, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, h->anchor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, lang, -1, SQLITE_STATIC);
    int rc = KB_OK, step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) *pId = sqlite3_column_int64(st, 0);
    else if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

static void S_hit_clear(kb_hit *h) {
    char **aField[] = {&h->doc,        &h->anchor,  &h->locale, &h->lang, &h->title,
                       &h->heading,    &h->breadcrumb, &h->skey, &h->dkey};
    for (size_t k = 0; k < sizeof aField / sizeof aField[0]; k++) {
        free(*aField[k]);
        *aField[k] = NULL;
    }
    kb_view_free(&h->view);
}

/* Ids of the other locales' copies of a section, at most max, into aId;
 * how many into *pn. KB_EDB when the index cannot be read. */
static int S_copies(S_stmts *c, const kb_hit *h, const kb_query_opts *o, sqlite3_int64 *aId, int max, int *pn) {
    sqlite3_stmt *st = S_sql(c, SQL_COPIES);
    *pn = 0;
    if (!st) return KB_EDB;
    S_bind_filters(st, o);
    sqlite3_bind_int64(st, 4, h->id);
    sqlite3_bind_text(st, 5, h->dkey, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->anchor, -1, SQLITE_STATIC);
    int rc = KB_OK, step = SQLITE_DONE;
    while (*pn < max && (step = sqlite3_step(st)) == SQLITE_ROW) aId[(*pn)++] = sqlite3_column_int64(st, 0);
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

typedef struct S_page {
    kb_hit *a;
    int n, skipped;
    char **aSkippedKey; /* the skey of each hit the offset skipped */
    int nSkippedAlloc;
    kb_strset keys;     /* the skeys of both: a scan of them went quadratic (--offset 100000: 23 s) */
} S_page;

/* Whether the page, or the part of it the offset skipped, has h's section:
 * a section found in two languages is one result, on whichever page. */
static int S_page_has(const S_page *p, const kb_hit *h) {
    for (int k = 0; k < p->n; k++)
        if (p->a[k].id == h->id) return 1;
    return kb_strset_has(&p->keys, h->skey);
}

/* Takes ownership of h's fields unless it falls before the offset, and
 * loads what is shown only for the hits that are. */
static int S_page_add(S_page *p, S_stmts *c, const kb_query_opts *o, kb_hit *h) {
    if (p->skipped < o->offset) {
        /* Grown as needed: with --all-locales a hit's copies are skipped too. */
        if (p->skipped == p->nSkippedAlloc) {
            p->nSkippedAlloc = p->nSkippedAlloc ? 2 * p->nSkippedAlloc : 16;
            p->aSkippedKey = kb_xrealloc(p->aSkippedKey, (size_t)p->nSkippedAlloc * sizeof *p->aSkippedKey);
        }
        p->aSkippedKey[p->skipped++] = h->skey;
        kb_strset_add(&p->keys, h->skey);
        h->skey = NULL;
        S_hit_clear(h);
        return KB_OK;
    }
    int rc = S_load_body(c, h, o->full);
    p->a[p->n++] = *h;
    kb_strset_add(&p->keys, p->a[p->n - 1].skey);
    memset(h, 0, sizeof *h);
    return rc;
}

/* A section whose heading a question's key found (S_heading_matches). */
typedef struct S_named {
    sqlite3_int64 id;
    int preferred; /* in the preferred language */
    char *skey;
} S_named;

/* The sections whose heading has the question's words, in any language,
 * into aFound (at most KB_EXACT_HEADING_ROWS rows: copies of a section in
 * several locales are rows of their own); returns how many sections they
 * are, counting each one's copies once, and stops past KB_EXACT_HEADING_MAX. */
static int S_heading_matches(S_search *s, const char *query, S_named *aFound, int *pnFound, int *pRc) {
    /* Joined only to filter: compiling the joins cost more than the lookup. */
    int bFilter = s->o->localeOnly || s->o->docPrefix;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT h.section_id FROM heading_keys h%s WHERE h.key = ?4%s",
             bFilter ? " JOIN sections s ON s.id = h.section_id JOIN docs d ON d.id = s.doc_id" : "",
             bFilter ? kb_filter_sql : "");
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db, sql, &st), nSkey = 0;
    for (int l = 0; rc == KB_OK && l < s->nLang && nSkey <= KB_EXACT_HEADING_MAX; l++) {
        uint64_t key = kb_tok_words_key(S_tok(s, l), query, (int)strlen(query));
        if (!key) continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)key);
        S_bind_filters(st, s->o);
        int step = SQLITE_DONE;
        while (rc == KB_OK && nSkey <= KB_EXACT_HEADING_MAX && *pnFound < KB_EXACT_HEADING_ROWS &&
               (step = sqlite3_step(st)) == SQLITE_ROW) {
            kb_hit h = {.id = sqlite3_column_int64(st, 0)};
            rc = S_load_key(&s->stmts, &h);
            if (rc == KB_OK && strcmp(h.lang, s->aLang[l]) == 0) { /* keys of two languages differ, bar collisions */
                int seen = 0;
                for (int i = 0; i < *pnFound && !seen; i++) seen = strcmp(aFound[i].skey, h.skey) == 0;
                nSkey += !seen;
                aFound[(*pnFound)++] = (S_named){h.id, s->prefLang && strcmp(h.lang, s->prefLang) == 0,
                                                 kb_xstrdup(h.skey)};
            }
            S_hit_clear(&h);
        }
        if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    }
    sqlite3_finalize(st);
    *pRc = rc;
    return nSkey;
}

/* A question that says a section's heading word for word ("Crear un
 * clúster de Service Fabric en Azure", typed or pasted) asks for that
 * section, yet its subsections, whose breadcrumbs hold the same words and
 * whose bodies add some, can outrank it, and so can a section that says the
 * words more often. So the sections whose heading has the question's words
 * (kb_tok_words_key: case, accents, punctuation and endings aside; keys are
 * 64-bit hashes, whose collisions are too rare to check) come first, those
 * in the preferred language first. They are found by key, not among the
 * ranked rows, so a page of 5 and one of 20 agree. A heading more sections
 * share ("Pasos siguientes") names none of them; a question an error ID
 * answered keeps the order that ID gives. */
static int S_favour_exact_headings(S_search *s, const char *query) {
    kb_results *r = s->r;
    if (r->n == 0 || s->nId > 0 || strlen(query) > KB_EXACT_HEADING_MAX_BYTES) return KB_OK;
    S_named aFound[KB_EXACT_HEADING_ROWS];
    int nFound = 0, rc = KB_OK;
    int nSection = S_heading_matches(s, query, aFound, &nFound, &rc);
    if (rc == KB_OK && nFound > 0 && nSection <= KB_EXACT_HEADING_MAX) {
        double best = r->a[0].score;
        for (int i = 1; i < r->n; i++)
            if (r->a[i].score > best) best = r->a[i].score;
        double step = fabs(best) * 1e-9 + 1e-12;
        for (int i = 0; i < nFound; i++) {
            int above = 0; /* found sections that go before this one */
            for (int k = 0; k < nFound; k++)
                above += aFound[k].preferred > aFound[i].preferred ||
                         (aFound[k].preferred == aFound[i].preferred && aFound[k].id < aFound[i].id);
            S_hit_add(r, aFound[i].id, best + step * (nFound - above), KB_MATCH_TEXT);
        }
    }
    for (int i = 0; i < nFound; i++) free(aFound[i].skey);
    return rc;
}

/* Sections in the order of their documents' paths, then of their place
 * in the document. */
static int S_cmp_place(const void *a, const void *b) {
    const kb_hit *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    return c ? c : (x->ord > y->ord) - (x->ord < y->ord);
}

/* Hits of equal score in the order of the sections' places (S_cmp_place),
 * not of their ids. A full build numbers sections so, but a document
 * indexed again gets new ids: an index updated in place listed three
 * identical pages b, c, a where one built whole lists a, b, c. Only ties
 * among the first `need` hits are read for it (their keys, which the page
 * reads anyway; a tie that starts among them is read whole). */
static int S_order_ties(S_search *s, int need) {
    kb_results *r = s->r;
    for (int i = 0; i < r->n && i < need;) {
        int j = i + 1;
        while (j < r->n && r->a[j].score == r->a[i].score) j++;
        if (j - i > 1) {
            for (int k = i; k < j; k++) {
                int rc = S_load_key(&s->stmts, &r->a[k]);
                if (rc) return rc;
            }
            qsort(r->a + i, (size_t)(j - i), sizeof *r->a, S_cmp_place);
        }
        i = j;
    }
    return KB_OK;
}

/* Sorts and pages. One copy per section, in the preferred language when
 * the index has it; with --all-locales, each section's copies follow it. */
static int S_finish(S_search *s) {
    kb_results *r = s->r;
    const kb_query_opts *o = s->o;
    if (r->n > 1) qsort(r->a, (size_t)r->n, sizeof *r->a, S_cmp_hit);
    S_page page = {.a = kb_xcalloc((size_t)o->limit + 1, sizeof *page.a)};
    S_stmts *c = &s->stmts;
    /* the page skips the copies of a section it has: room for them */
    int rc = S_order_ties(s, 2 * (o->offset + o->limit) + 16);
    for (int i = 0; rc == KB_OK && i < r->n && page.n < o->limit; i++) {
        kb_hit *h = &r->a[i];
        if (!h->doc) rc = S_load_key(c, h); /* a tie's is read (S_order_ties) */
        if (rc || S_page_has(&page, h)) continue;
        if (s->prefLang && !o->localeOnly && !o->allLocales && strcmp(h->lang, s->prefLang) != 0) {
            sqlite3_int64 id;
            rc = S_preferred_copy(c, h, s->prefLang, &id);
            if (rc == KB_OK && id < 0 && s->fallbackLang && strcmp(h->lang, s->fallbackLang) != 0)
                rc = S_preferred_copy(c, h, s->fallbackLang, &id);
            if (rc == KB_OK && id >= 0) {
                h->id = id;
                rc = S_load_key(c, h);
            }
        }
        sqlite3_int64 aCopy[16];
        int nCopy = 0;
        if (rc == KB_OK && (o->allLocales || s->everyCopy) && !o->localeOnly)
            rc = S_copies(c, h, o, aCopy, 16, &nCopy);
        kb_hit base = *h;
        if (rc == KB_OK) rc = S_page_add(&page, c, o, h);
        for (int k = 0; rc == KB_OK && k < nCopy && page.n < o->limit; k++) {
            kb_hit copy = {.id = aCopy[k], .score = base.score, .idScore = base.idScore,
                           .textScore = base.textScore, .match = base.match};
            memcpy(copy.errid, base.errid, sizeof copy.errid);
            rc = S_load_key(c, &copy);
            if (rc == KB_OK) rc = S_page_add(&page, c, o, &copy);
            else S_hit_clear(&copy);
        }
    }
    for (int i = 0; i < r->n; i++) S_hit_clear(&r->a[i]);
    kb_strset_free(&page.keys);
    for (int k = 0; k < page.skipped; k++) free(page.aSkippedKey[k]);
    free(page.aSkippedKey);
    free(r->a);
    r->a = page.a;
    r->n = r->cap = page.n;
    return rc;
}

/* The words a result shows as matches: the question's, and those of the
 * other questions searched for it (its rewording in the docs' words, its
 * last word completed), which found sections that say none of the
 * question's ("copia de seguridad" for "backup", "windows" for "wind"). */
static void S_collect_terms(const kb_query *q, const kb_query *const *aAlso, int nAlso, kb_results *r) {
    int n = q->n;
    for (int k = 0; k < nAlso; k++) n += aAlso[k]->n;
    r->aTerm = kb_xcalloc((size_t)n + 1, sizeof *r->aTerm);
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) r->aTerm[r->nTerm++] = kb_xstrdup(q->a[i].text);
    for (int k = 0; k < nAlso; k++)
        for (int i = 0; i < aAlso[k]->n; i++) {
            const kb_qterm *t = &aAlso[k]->a[i];
            int seen = t->negated;
            for (int j = 0; j < r->nTerm && !seen; j++) seen = strcmp(r->aTerm[j], t->text) == 0;
            if (!seen) r->aTerm[r->nTerm++] = kb_xstrdup(t->text);
        }
}

/* The sections a full-text pass looks for: every one up to the page
 * shown. When an error ID found sections, each adds the text score the
 * pass gives it, wherever it ranks there: more rows are kept, so that
 * most of them find theirs. */
static int S_want(const S_search *s) {
    int page = s->o->offset + s->o->limit;
    return s->nId > 0 ? page * 2 + 10 : page;
}

/* The first full-text pass: sections with every term, in the language
 * tables `tables` names (S_text_query). Returns the number found in *pnAll. */
static int S_all_pass(S_search *s, const kb_query *q, int tables, int *pnAll) {
    int before = s->r->n;
    int rc = S_text_query(s, q, KB_QALL, 0, 1.0, S_want(s), tables);
    *pnAll = s->r->n - before;
    return rc;
}

/* Whether the text passes so far found `need` distinct sections. Hits are
 * rows: the same section found in two languages' tables is two hits and
 * one result, so counting hits once left a page one short of full, and
 * the pages of one question repeated or skipped a section. */
static int S_found_sections(S_search *s, int need) {
    int nText = 0;
    for (int i = 0; i < s->r->n; i++) nText += s->r->a[i].textScore > 0;
    if (nText < need) return 0;
    /* The common case, told without reading a key: one table alone found
     * them, and its rows are distinct sections (one locale per document). */
    for (int l = 0; l < s->nLang; l++)
        if (s->aAllRows[l] >= need && s->aCopies[l] == 1) return 1;
    const char **aKey = kb_xcalloc((size_t)nText, sizeof *aKey);
    int nKey = 0;
    for (int i = 0; i < s->r->n && nKey < need; i++) {
        kb_hit *h = &s->r->a[i];
        if (h->textScore <= 0 || S_load_key(&s->stmts, h) != KB_OK) continue;
        int seen = 0;
        for (int k = 0; k < nKey && !seen; k++) seen = strcmp(aKey[k], h->skey) == 0;
        if (!seen) aKey[nKey++] = h->skey;
    }
    free(aKey);
    return nKey >= need;
}

/* The second: if the first found too few, sections with some terms. */
static int S_any_pass(S_search *s, const kb_query *q, int nAll) {
    if (kb_query_positive(q) <= 1 || S_found_sections(s, s->o->offset + s->o->limit)) return KB_OK;
    /* Filling a page found in one language stays in that language: a
     * Spanish question is not padded with Chinese sections that share a
     * product name with it. */
    return S_text_query(s, q, KB_QANY, nAll > 0 ? KB_FILL_BUDGET : KB_ANY_BUDGET, KB_SCORE_PARTIAL_FACTOR,
                        S_want(s), nAll > 0 ? S_MATCHED_TABLES : S_EVERY_TABLE);
}

/* When no section has every word of the question, and some of its words
 * are in no section of a language (a typo the corrector could not mend,
 * a word the docs never use), that language's sections with every other
 * word, however few. The OR pass would take the rarest words first within its budget:
 * the unknown word, then one or two others, ranking whatever holds those.
 * They rank among the OR pass's sections as that pass would have:
 * kb_rank's coverage, over the words searched, is scaled to the share of
 * the whole question's IDF they hold (an unknown word's is high). Leaving
 * out each known word in turn as well put 1-3% more typo questions first
 * (tests/quality/typos.py), at a fifth more instructions over questions
 * with one word too many, twice as many for some. */
static int S_known_words_pass(S_search *s, kb_query *q) {
    int aWord[KB_QPARSE_MAX_TERMS], n = 0, rc = KB_OK;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (!t->negated && !t->symptom && !t->optional && !kb_query_in_group(q, i) && !S_any_stopword(s, t->text))
            aWord[n++] = i;
    }
    for (int l = 0; rc == KB_OK && l < s->nLang; l++) {
        const int *aDf = S_term_dfs(s, l, q);
        int nKnown = 0;
        for (int k = 0; k < n; k++) nKnown += aDf[aWord[k]] != 0;
        /* One known word is searched too: "kubectl backup" shows the backup
         * sections, with kubectl listed unknown, not nothing. */
        if (nKnown == 0 || nKnown == n) continue;
        double total = 0, known = 0;
        for (int k = 0; k < n; k++) {
            double idf = S_term_idf(s, l, q, aWord[k]);
            total += idf;
            known += aDf[aWord[k]] != 0 ? idf : 0;
            q->a[aWord[k]].optional = aDf[aWord[k]] == 0;
        }
        /* Its sections match no question whole, and so say nothing of
         * its language: "重設Azure虛擬機器密碼" holds one word of Spanish. */
        s->bWordsLeftOut = 1;
        rc = S_text_query(s, q, KB_QALL, 0, KB_SCORE_PARTIAL_FACTOR * known / total, S_want(s), l);
        s->bWordsLeftOut = 0;
        for (int k = 0; k < n; k++) q->a[aWord[k]].optional = 0;
    }
    return rc;
}

/* The code a word of the question names, into out (cap bytes): the word
 * itself ("AuthorizationFailed:") or the last part of a dotted name
 * ("System.IO.FileNotFoundException:"), the punctuation around it set
 * aside. A code has a lower-case letter followed by a capital, 8 characters
 * or more, letters and digits only. 0 if the word names none. */
static int S_code_of(const char *z, char *out, size_t cap) {
    while (*z && ispunct((unsigned char)*z)) z++;
    size_t n = strlen(z);
    while (n > 0 && ispunct((unsigned char)z[n - 1])) n--;
    for (size_t i = n; i > 0; i--)
        if (z[i - 1] == '.') {
            n -= i;
            z += i;
            break;
        }
    int camel = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)z[i])) return 0;
        camel |= i > 0 && islower((unsigned char)z[i - 1]) && isupper((unsigned char)z[i]);
    }
    if (!camel || n < 8 || n >= cap || !isalpha((unsigned char)z[0])) return 0;
    memcpy(out, z, n);
    out[n] = 0;
    return 1;
}

static int S_kana_term(const char *z);
static int S_cjk_term(const char *z);

/* The language whose stop words the question has most of ("las", "no":
 * Spanish), among the index's and English; else, for CJK text (Chinese
 * has no stop word list), Japanese if it has kana, else Chinese; NULL on
 * a tie or none. Unlike the words the docs know, which count every
 * English word of a Spanish guide's code samples, this tells the language
 * a message is written in. */
static const char *S_written_in(const S_search *s, const kb_query *q) {
    const char *aCandidate[KB_MAX_LANGS + 1];
    int n = 0, best = -1, bestCount = 0, tie = 0;
    aCandidate[n++] = "en";
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], "en") != 0) aCandidate[n++] = s->aLang[l];
    for (int c = 0; c < n; c++) {
        int count = 0;
        for (int i = 0; i < q->n; i++) count += kb_stopword(aCandidate[c], q->a[i].text, strlen(q->a[i].text));
        if (count > bestCount) best = c, bestCount = count, tie = 0;
        else if (count == bestCount && count > 0) tie = 1;
    }
    if (best >= 0) return tie ? NULL : aCandidate[best];
    int cjk = 0, kana = 0;
    for (int i = 0; i < q->n; i++) {
        cjk |= S_cjk_term(q->a[i].text);
        kana |= S_kana_term(q->a[i].text);
    }
    return kana ? "ja" : cjk ? "zh" : NULL;
}

/* Whether the question is written in a language the index has sections
 * of that the filters let through: its words then find their sections
 * there, and a code word they share with an unrelated one ("RDP ...
 * AuthorizationFailed las credenciales no funcionaron" and a log
 * integration FAQ) is no reason to rank that one as if it held them all. */
static int S_own_table_shown(const S_search *s, const kb_query *q) {
    const char *lang = S_written_in(s, q);
    if (!lang) return 0;
    char only[8] = "";
    if (s->o->localeOnly) kb_locale_lang(s->o->localeOnly, only, sizeof only);
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], lang) == 0) return !*only || strcmp(only, lang) == 0;
    return 0;
}

/* Before the OR pass, when no section has every word: the sections that
 * hold every code the question names, ranked on all its words. A message
 * pasted in the user's language shares few words with docs in another,
 * while its code is the same in all (a Spanish guide quotes
 * "AuthorizationFailed: el cliente ... no tiene autorización"). Not when
 * the docs shown have its language (S_own_table_shown): 164 pasted
 * messages, hit@1 0.82 -> 0.85, those with a code and the service's words
 * 0.56 -> 0.68; code_words.py, a Chinese message on Spanish docs, as
 * before. A code counts if some language has it in 1 to KB_CODE_MAX_DF
 * sections; more, and it is a name ("PowerShell"), not a code. Only the
 * tables that hold every code are searched, with the fill budget: the few sections left are
 * ranked on the question's rarer words, and each common word more is a
 * long list FTS5 walks for each of them ("System.IO.FileNotFoundException:
 * Could not load file or assembly": 43.6M instructions with the OR pass's
 * budget, 32.4M with this one, 25.6M without the pass). */
static int S_code_pass(S_search *s, const kb_query *q) {
    if (S_own_table_shown(s, q)) return KB_OK;
    char (*aText)[64] = kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *aText);
    int (*aDf)[KB_QPARSE_MAX_TERMS] = kb_xcalloc((size_t)s->nLang + 1, sizeof *aDf);
    kb_qterm aCode[KB_QPARSE_MAX_TERMS];
    kb_query codes = {aCode, 0};
    for (int i = 0; i < q->n; i++) {
        kb_qterm *c = &aCode[codes.n];
        if (q->a[i].negated || q->a[i].phrase || !S_code_of(q->a[i].text, aText[codes.n], sizeof *aText)) continue;
        *c = (kb_qterm){.text = aText[codes.n]};
        int specific = 0;
        for (int l = 0; l < s->nLang; l++) {
            int cost;
            char *key;
            aDf[l][codes.n] = S_term_df(s, l, S_tok(s, l), c, &cost, &key);
            free(key);
            specific |= aDf[l][codes.n] > 0 && aDf[l][codes.n] <= KB_CODE_MAX_DF;
        }
        codes.n += specific;
    }
    int rc = KB_OK;
    char *within = codes.n ? kb_query_fts(&codes, KB_QALL, NULL) : NULL;
    s->within = within;
    for (int l = 0; within && rc == KB_OK && l < s->nLang; l++) {
        int all = 1;
        for (int k = 0; k < codes.n; k++) all &= aDf[l][k] > 0;
        if (all) rc = S_text_query(s, q, KB_QANY, KB_FILL_BUDGET, KB_SCORE_CODE_FACTOR, S_want(s), l);
    }
    s->within = NULL;
    free(within);
    free(aDf);
    free(aText);
    return rc;
}

/* A word the user could have mistyped: letters only, one token (into
 * token, 128 bytes). */
static int S_correctable(kb_tok *t, const kb_qterm *term, char *token) {
    if (term->phrase || term->negated || strpbrk(term->text, "0123456789")) return 0;
    return kb_tok_one(t, term->text, (int)strlen(term->text), token, 128);
}

/* Whether a term the search writes into a question (a correction, a
 * completion: an indexed token) comes back from t, as the FTS tokenizer
 * will read it, unchanged: a stem that stems to itself. */
static int S_reads_as_itself(kb_tok *t, const char *token) {
    char again[128];
    kb_qterm probe = {.text = (char *)token};
    return S_correctable(t, &probe, again) && strcmp(again, token) == 0;
}

/* A word typed in capitals, of 2-5 letters ("AKS", "NSG"): a name the
 * user typed on purpose, which no edit of it would mean. Longer ones are
 * more likely a question typed with caps lock on. */
static int S_acronym(const char *z) {
    size_t n = 0;
    for (; z[n]; n++)
        if (z[n] < 'A' || z[n] > 'Z') return 0;
    return n >= 2 && n <= 5;
}

/* Whether any language's index has the query's word i, as that language
 * reads it: from the counts the search looked up already, or from the FTS
 * table when the word is several tokens there. */
static int S_known_anywhere(S_search *s, const kb_query *q, int i) {
    for (int l = 0; l < s->nLang; l++) {
        int df = S_term_dfs(s, l, q)[i];
        if (df > 0 || (df < 0 && kb_spell_known(S_spell(s, l), q->a[i].text))) return 1;
    }
    return 0;
}

/* Whether a term holds Han, kana or Hangul: a bigram the question's CJK
 * text was cut into ("魔法咒語" is "魔法", "法咒", "咒語"), not a word a
 * reader typed. */
static int S_cjk_term(const char *z) {
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len)
        if (kb_tok_is_cjk(cp)) return 1;
    return 0;
}

static int S_any_cjk_term(const kb_query *q) {
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated && S_cjk_term(q->a[i].text)) return 1;
    return 0;
}

/* The sections of language l that hold token tok (0 if none or unread). */
static long S_token_df(S_search *s, int l, const char *tok) {
    sqlite3_stmt *st = S_sql(&s->stmts, SQL_TERM_DF);
    if (!st) return 0;
    sqlite3_bind_text(st, 1, s->aLang[l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tok, -1, SQLITE_STATIC);
    long df = S_stepped(s, st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return df;
}

/* Character z as language l's questions read it, into out (cap bytes):
 * "網" is "网" in Chinese. 0 if it makes no one token. */
static int S_char_folded(S_search *s, int l, const char *z, char *out, size_t cap) {
    return kb_tok_one(S_tok(s, l), z, (int)strlen(z), out, cap);
}

/* How many sections hold character z as a token of its own, in every
 * language. */
static sqlite3_int64 S_char_df(S_search *s, const char *z) {
    sqlite3_int64 sum = 0;
    char folded[16];
    for (int l = 0; l < s->nLang; l++)
        if (S_char_folded(s, l, z, folded, sizeof folded)) sum += S_token_df(s, l, folded);
    return sum;
}

/* How many sections, at most, hold a token that starts with character z,
 * in every language: the sum of those tokens' document frequencies, z
 * read as each language's questions are (it had been looked up as typed:
 * "網" started no term, "网" thousands). */
static sqlite3_int64 S_char_prefix_df(S_search *s, const char *z) {
    sqlite3_stmt *st = NULL;
    sqlite3_int64 sum = 0;
    char folded[16];
    if (kb_db_prepare(s->db, "SELECT sum(df) FROM terms WHERE lang = ?2 AND term >= ?1 AND term < ?1 || char(1114111)",
                      &st) != KB_OK)
        return 0;
    for (int l = 0; l < s->nLang; l++) {
        if (!S_char_folded(s, l, z, folded, sizeof folded)) continue;
        sqlite3_bind_text(st, 1, folded, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->aLang[l], -1, SQLITE_STATIC);
        if (S_stepped(s, st) == SQLITE_ROW) sum += sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return sum;
}

/* Marks in aUnknown the words of the query that no section holds, in any
 * language of the index ("kubectl", or the bigrams of "魔法咒語"): why no
 * section has every word. Stop words, exclusions and optional words are
 * never marked, nor the mainland's words, which the docs hold in Taiwan's
 * ("探测超时": 探查, 逾時). */
static void S_mark_unknown(S_search *s, const kb_query *q, int *aUnknown) {
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        aUnknown[i] = !t->negated && !t->optional && !s->aInTaiwanWords[i] && !S_any_stopword(s, t->text) &&
                      !S_known_anywhere(s, q, i);
    }
}

/* How a word of the question was changed, in aCorrected: a correction is a
 * stem, shown as the results write it (S_surface_form); a code's part is
 * shown as the code writes it. */
enum { S_KEPT = 0, S_CORRECTED = 1, S_SPLIT = 2 };

/* The parts of a CamelCase or letter/digit code as kb-index cuts them
 * (kb_tok's DOCUMENT mode: "FsFreezeFailed" -> "Fs" "Freeze" "Failed",
 * "MSOnline" -> "MS" "Online"), those of two characters or more, into
 * aPart (copies); how many. */
static int S_code_parts(const char *z, char **aPart, int max) {
    int n = 0;
    size_t len = strlen(z), start = 0;
    for (size_t k = 1; k <= len && n < max; k++) {
        int boundary = k == len;
        if (!boundary) {
            unsigned char a = (unsigned char)z[k - 1], b = (unsigned char)z[k], c = (unsigned char)z[k + 1];
            boundary = (islower(a) && isupper(b)) || (isupper(a) && isupper(b) && islower(c)) ||
                       (isdigit(a) != 0) != (isdigit(b) != 0);
        }
        if (!boundary) continue;
        if (k - start >= 2) aPart[n++] = kb_xstrndup(z + start, k - start);
        start = k;
    }
    return n;
}

/* z[0..n) into the words no section holds, once. */
static void S_add_unknown(kb_results *r, const char *z, size_t n) {
    for (int k = 0; k < r->nUnknown; k++)
        if (strlen(r->aUnknown[k]) == n && memcmp(r->aUnknown[k], z, n) == 0) return;
    r->aUnknown = kb_xrealloc(r->aUnknown, (size_t)(r->nUnknown + 1) * sizeof *r->aUnknown);
    r->aUnknown[r->nUnknown++] = kb_xstrndup(z, n);
}

/* Whether an error ID of the index holds code ("FsFreezeFailed" inside
 * "UserErrorFsFreezeFailed"); a failed lookup says it does. */
static int S_code_inside_an_id(S_search *s, const char *code) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM error_ids WHERE instr(key, lower(?1)) > 0 LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return 1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step != SQLITE_DONE;
}

/* A code no section holds is often part of one that sections do hold: a
 * log writes "FsFreezeFailed" where the docs name
 * "UserErrorFsFreezeFailed", whose parts kb-index indexed with it. Each
 * such word of the question whose parts some language knows, all of them or
 * all but one, is searched as those parts (marked corrected: the question
 * shown is the one searched; an unknown part stays marked unknown, for the
 * corrector). A code of known parts that no error ID holds either
 * ("UserErrorVmNotFound") is listed as a word no section holds: a bot is
 * told the docs do not name it; "FsFreezeFailed", the tail of one, is not.
 * 1 if the query changed. */
static int S_split_codes(S_search *s, kb_query *q, int *aUnknown, int *aCorrected) {
    int changed = 0;
    for (int i = 0; i < q->n; i++) {
        char code[64], *aPart[8];
        /* a dotted name is left whole to S_code_pass, which reads its last part */
        if (!aUnknown[i] || q->a[i].phrase || q->a[i].negated || strchr(q->a[i].text, '.') ||
            !S_code_of(q->a[i].text, code, sizeof code))
            continue;
        int nPart = S_code_parts(code, aPart, 8), aKnown[8], nKnown = 0;
        for (int k = 0; k < nPart; k++) {
            aKnown[k] = 0;
            for (int l = 0; l < s->nLang && !aKnown[k]; l++) aKnown[k] = kb_spell_known(S_spell(s, l), aPart[k]);
            nKnown += aKnown[k];
        }
        /* One part unknown is left to the corrector ("UserErrorFsFreezeFaild") */
        if (nPart < 2 || nKnown < nPart - 1 || nKnown < 2 || q->n + nPart - 1 > KB_QPARSE_MAX_TERMS) {
            for (int k = 0; k < nPart; k++) free(aPart[k]);
            continue;
        }
        kb_qterm term = q->a[i];
        if (nKnown == nPart && !S_code_inside_an_id(s, code)) S_add_unknown(s->r, code, strlen(code));
        free(term.text);
        free(term.typed);
        memmove(&q->a[i + nPart], &q->a[i + 1], (size_t)(q->n - i - 1) * sizeof *q->a);
        memmove(&aUnknown[i + nPart], &aUnknown[i + 1], (size_t)(q->n - i - 1) * sizeof *aUnknown);
        memmove(&aCorrected[i + nPart], &aCorrected[i + 1], (size_t)(q->n - i - 1) * sizeof *aCorrected);
        for (int k = 0; k < nPart; k++) {
            q->a[i + k] = (kb_qterm){.text = aPart[k], .orWithNext = k == nPart - 1 && term.orWithNext};
            aUnknown[i + k] = !aKnown[k];
            aCorrected[i + k] = aKnown[k] ? S_SPLIT : S_KEPT;
        }
        q->n += nPart - 1;
        i += nPart - 1;
        changed = 1;
    }
    return changed;
}

/* The length of z's first character (UTF-8). */
static size_t S_first_char_len(const char *z) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
    return len > 0 ? (size_t)len : 1;
}

/* Whether CJK bigram b follows a in the text they were cut from: "料库"
 * after "资料" shares its first character with a's last. */
static int S_bigram_follows(const kb_qterm *a, const kb_qterm *b) {
    size_t nA = strlen(a->text), nFirst = S_first_char_len(b->text);
    return S_cjk_term(b->text) && !a->negated && !b->negated && nA > nFirst &&
           memcmp(a->text + nA - nFirst, b->text, nFirst) == 0;
}

/* Whether the n bytes at z, what is left of a run of unknown bigrams once
 * the known words beside it took their characters (cut), are one character
 * that starts bigrams the docs hold: of "压力大", where "压力" is known and
 * "力大" is not, the docs lack the pair, not "大". */
static int S_straddled_char(S_search *s, const char *z, size_t n, int cut) {
    char one[8];
    if (!cut || n != S_first_char_len(z) || n >= sizeof one) return 0;
    memcpy(one, z, n);
    one[n] = '\0';
    return S_char_prefix_df(s, one) > 0;
}

/* The marked words as typed into r, each once, without the quotes and
 * sentence punctuation around them ("'janedo@contoso.com'", "kubectl,"). */
static void S_list_unknown(S_search *s, const kb_query *q, const int *aUnknown, kb_results *r) {
    for (int i = 0; i < q->n; i++) {
        if (!aUnknown[i]) continue;
        size_t n;
        const char *z = S_strip_around(q->a[i].typed ? q->a[i].typed : q->a[i].text, &n);
        kb_buf run = {0};
        if (S_cjk_term(q->a[i].text)) {
            /* A run of unknown bigrams is the text they were cut from ("资料",
             * "料库": "资料库"), less a character a known word beside it
             * holds: of "叢集魔法咒語", where "叢集" (cluster) is known, "魔法咒語". */
            int first = i;
            kb_buf_add(&run, z, n);
            while (i + 1 < q->n && aUnknown[i + 1] && S_bigram_follows(&q->a[i], &q->a[i + 1])) {
                i++;
                kb_buf_adds(&run, q->a[i].text + S_first_char_len(q->a[i].text));
            }
            size_t from = 0, to = run.n;
            if (first > 0 && !aUnknown[first - 1] && S_bigram_follows(&q->a[first - 1], &q->a[first]))
                from = S_first_char_len(run.z);
            if (i + 1 < q->n && !aUnknown[i + 1] && S_bigram_follows(&q->a[i], &q->a[i + 1]))
                to -= S_first_char_len(q->a[i + 1].text);
            if (from >= to || S_straddled_char(s, run.z + from, to - from, to - from < run.n)) {
                kb_buf_free(&run);
                continue;
            }
            z = run.z + from, n = to - from;
        }
        S_add_unknown(r, z, n);
        kb_buf_free(&run);
    }
}

/* Forgets the document frequencies of the query's terms (they changed). */
static void S_forget_dfs(S_search *s) {
    for (int l = 0; l < s->nLang; l++) {
        free(s->aDf[l]);
        free(s->aCost[l]);
        free(s->aDup[l]);
        s->aDf[l] = s->aCost[l] = s->aDup[l] = NULL;
    }
}

/* Whether the query's last word is worth completing as a prefix: three
 * characters or more, none CJK. A Latin-script word is often still being
 * typed ("credenc"); CJK text is indexed as bigrams already, and the prefix
 * of one Han character merges the lists of every bigram it starts (60% of
 * a query's 64M instructions on es-ES+zh-TW). */
static int S_prefix_worthy(const char *z) {
    int nChar = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len) {
        if (kb_tok_is_cjk(cp)) return 0;
        nChar++;
    }
    return nChar >= 3;
}

/* The index of the user's language: o->lang's, else the first. */
static int S_pref_lang(const S_search *s) {
    for (int l = 0; l < s->nLang; l++)
        if (s->o->lang && strcmp(s->aLang[l], s->o->lang) == 0) return l;
    return 0;
}

/* Whether the query was pasted (an error message, a command line) rather
 * than typed: more than KB_PASTED_WORDS words besides stop words (of the
 * index's languages, and of English, which error messages and commands are
 * mostly written in). Pasted text is searched as it is: its unknown words
 * are names and identifiers far more often than typos ("WSB" is not
 * "web"), and "-JobName" in a PowerShell line is a word of it, not an
 * exclusion. */
static int S_pasted(const S_search *s, const kb_query *q) {
    /* counted in halves: a CJK bigram is about half a word ("刪除儲存體帳戶"
     * is three words and six bigrams) */
    int nHalf = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        /* A symptom ("no se puede", "falla") and an optional word
         * ("después") are how a person asks: "no se puede conectar a la
         * máquina virtual por esritorio remoto" was typed, and is corrected. */
        if (!t->symptom && !t->optional && !S_any_stopword(s, t->text)) nHalf += S_cjk_term(t->text) ? 1 : 2;
    }
    return nHalf > 2 * KB_PASTED_WORDS;
}

/* CJK text has no spaces, and the query parser turns it into overlapping
 * bigrams, two of which straddle a symptom's edges ("無法連接": "無法",
 * "法連", "連接"): a symptom written in CJK is blanked out of the question
 * text before it is parsed instead (outside quotes), which leaves the
 * bigrams of the words around it. Returns a copy of the question; *pFound
 * is set when something was blanked. */
static char *S_blank_cjk_symptoms(const char *query, int *pFound) {
    char *z = kb_xstrdup(query);
    size_t n = strlen(z), off = 0, end = 0;
    int inQuote = 0;
    while (off < n) {
        int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const uint8_t *)z + off, (utf8proc_ssize_t)(n - off), &c);
        if (len <= 0) len = 1;
        if (c == '"') inQuote = !inQuote;
        if (!inQuote && kb_tok_is_cjk(c) && kb_vocab_starts(KB_VOCAB_SYMPTOM, z + off, n - off, &end)) {
            memset(z + off, ' ', end);
            *pFound = 1;
            off += end;
        } else {
            off += (size_t)len;
        }
    }
    return z;
}

/* The last word of the longest phrase of the vocabulary kind that starts
 * at word i of q, or -1. */
static int S_phrase_end(const kb_query *q, int i, int kind) {
    kb_buf words = {0};
    int last = -1, maxWords = kb_vocab_max_words(kind);
    for (int j = i; j < q->n && j < i + maxWords; j++) {
        const kb_qterm *u = &q->a[j];
        if (u->phrase || u->negated || kb_query_in_group(q, j)) break;
        if (j > i) kb_buf_addc(&words, ' ');
        kb_buf_adds(&words, u->text);
        if (kb_vocab_is(kind, words.z, words.n)) last = j;
    }
    kb_buf_free(&words);
    return last;
}

/* 1 if term z, punctuation aside, is the problem's word of a phrase that
 * names no problem ("error" of "migración tras error"). */
static int S_is_not_problem_word(const char *z) {
    size_t n = strlen(z);
    while (n > 0 && ispunct((unsigned char)z[n - 1])) n--;
    while (n > 0 && ispunct((unsigned char)*z)) z++, n--;
    return kb_vocab_is_not_problem_word(z, n);
}

/* The first word of the not-problem phrase that holds term i, a problem's
 * word ("migración" for the "error" of "migración tras error"), its last
 * in *pLast; -1 if none does. */
static int S_not_problem_at(const kb_query *q, int i, int *pLast) {
    if (q->a[i].phrase || !S_is_not_problem_word(q->a[i].text)) return -1;
    int maxWords = kb_vocab_max_words(KB_VOCAB_NOT_PROBLEM);
    for (int j = i >= maxWords ? i - maxWords + 1 : 0; j <= i; j++) {
        *pLast = S_phrase_end(q, j, KB_VOCAB_NOT_PROBLEM);
        if (*pLast >= i) return j;
    }
    return -1;
}

/* A failover or a fault domain the question names ("migración tras
 * error", "dominios de error") is searched as the phrase it is: the index
 * keeps that "error" apart from the errors (kb_tok.h), so its words one by
 * one would find neither. Only a question with such a word reads the
 * phrases. */
static void S_join_not_problems(kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        int last, first = S_not_problem_at(q, i, &last);
        if (first < 0) continue;
        kb_query_join(q, first, last);
        i = first;
    }
}

/* In the docs' words for what a user typed ("migración tras error" for
 * "failover"), the problem's word of a phrase that names no problem is
 * optional: as a phrase the rewording weighs one word, outweighed by
 * "failover" as typed in English text, and as loose words it asks for an
 * error besides the failover's "error" (the index marks that one apart,
 * kb_tok.h). */
static void S_loosen_not_problems(kb_query *q) {
    int last;
    for (int i = 0; i < q->n; i++)
        if (S_not_problem_at(q, i, &last) >= 0) q->a[i].optional = 1;
}

/* A question that says something goes wrong ("no puedo iniciar la máquina
 * virtual", "backup fails", "无法连接") wants the section about that
 * failure, which seldom uses the same words ("Error al iniciar una máquina
 * virtual detenida"): its symptom words are marked, to be left out of the
 * words a section must hold, and the search favours the sections the index
 * marks as about a problem (kb_store.h). A quoted phrase is taken as
 * written, and so is one that only looks like a symptom ("fail over"),
 * which S_join_not_problems made a phrase. Returns 1 if the question
 * names a symptom. */
static int S_mark_symptoms(kb_query *q) {
    int found = 0;
    for (int i = 0; i < q->n; i++) {
        int last = S_phrase_end(q, i, KB_VOCAB_SYMPTOM);
        if (last < i) continue;
        for (int j = i; j <= last; j++) q->a[j].symptom = 1;
        found = 1;
        i = last;
    }
    return found;
}

/* Sections with every word of q, its symptoms and optional words
 * included, in `tables`, none favoured. */
static int S_as_typed_pass(S_search *s, kb_query *q, int tables, int *pnAll) {
    int favour = s->favourProblems, aSymptom[KB_QPARSE_MAX_TERMS], aOptional[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) {
        aSymptom[i] = q->a[i].symptom, aOptional[i] = q->a[i].optional;
        q->a[i].symptom = q->a[i].optional = 0;
    }
    s->favourProblems = 0;
    int rc = S_all_pass(s, q, tables, pnAll);
    s->favourProblems = favour;
    for (int i = 0; i < q->n; i++) q->a[i].symptom = aSymptom[i], q->a[i].optional = aOptional[i];
    return rc;
}

/* For a question that names a symptom, the sections with every word as
 * typed are found too, as if it named none: a section that says "備份失敗"
 * or "no se puede conectar" in so many words stays a candidate, so the
 * symptom only ever adds sections. Favouring sections about a problem here
 * as well cost questions cut from other sections a fifth of their first
 * places (tests/quality/symptoms.py). *pnAll receives those found. */
static int S_literal_pass(S_search *s, const char *query, int pasted, int *pnAll) {
    S_forget_dfs(s); /* of the other query's terms, which an ID lookup may have read */
    kb_query lit;
    kb_qparse(query, &lit);
    S_join_not_problems(&lit);
    for (int i = 0; pasted && i < lit.n; i++) lit.a[i].negated = 0;
    int rc = S_as_typed_pass(s, &lit, S_EVERY_TABLE, pnAll);
    S_forget_dfs(s); /* they belong to this query's terms */
    kb_query_free(&lit);
    return rc;
}

/* Whether leaving the symptoms and optional words out changed what a
 * section must hold: a symptom was blanked from CJK text, or some words are
 * left out and some are not (a question of such words alone keeps them). */
static int S_words_left_out(const kb_query *q, int cjkSymptom) {
    int nOut = 0;
    for (int i = 0; i < q->n; i++) nOut += q->a[i].symptom || q->a[i].optional;
    return cjkSymptom || (nOut > 0 && nOut < q->n);
}

/* The 'problem' section set into s->problems (empty if the index has none). */
static int S_load_problems(S_search *s) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db, "SELECT bits FROM section_sets WHERE name = 'problem'", &st);
    int step = rc == KB_OK ? sqlite3_step(st) : SQLITE_DONE;
    if (step == SQLITE_ROW)
        kb_buf_add(&s->problems, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    else if (step != SQLITE_DONE)
        rc = kb_db_fail(s->db);
    sqlite3_finalize(st);
    return rc;
}

/* Marks the question's optional words ("después", "tras"; kind optional of
 * i18n/vocab.tsv): left out of what a section must hold, as a symptom is,
 * and searched as typed too (S_literal_pass), so a section that says them
 * still ranks above one that does not. Snowball's Spanish stop words have
 * "antes" but not "después"; as required words they kept "la VM no
 * arranca tras cambiar el tamaño" from its answer, which says "después". */
static void S_mark_optional(kb_query *q) {
    /* One word is all a section can be asked for: the kind's phrases are
     * not even read (2% of an error-ID lookup's instructions). */
    for (int i = 0; q->n > 1 && i < q->n; i++) {
        kb_qterm *t = &q->a[i];
        if (!t->phrase && !t->negated && !kb_query_in_group(q, i))
            t->optional = kb_vocab_is(KB_VOCAB_OPTIONAL, t->text, strlen(t->text));
    }
}

/* A CJK character typed alone ("閘" of "閘道") is no bigram: the index
 * holds it inside the bigrams it starts, so it is searched as their
 * prefix (the bigram that ends with it is not found: FTS5 matches
 * prefixes only). Not a character that starts too many: "的" (of) starts
 * a thousand bigrams in 240,000 sections of the Chinese Azure docs, and
 * merging their lists took 620M instructions. Such a character is
 * searched as itself, which the index holds where it stands alone
 * ("runbook 時，"), and left optional, as "después" is, where it never
 * does: "器" had found nothing and been named a word the docs lack. The
 * counts read the character as the index does: "網" was looked up
 * unfolded, found to start nothing, and merged its lists as "网" never
 * did (54M instructions, now 1.1M). Nor in pasted text, where a lone
 * character is where the paste cut a word: "大" ending a pasted paragraph
 * cost 41M instructions of its 56M. */
static void S_mark_lone_cjk(S_search *s, kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        kb_qterm *t = &q->a[i];
        if (t->phrase || !S_cjk_term(t->text) || strlen(t->text) != S_first_char_len(t->text)) continue;
        if (S_char_prefix_df(s, t->text) <= KB_LONE_CJK_MAX_DF) t->prefix = 1;
        else t->optional = S_char_df(s, t->text) == 0;
    }
}

/* The question's terms into *q, its symptoms and optional words marked (a
 * CJK symptom blanked out instead: *pCjkSymptom = 1). Returns 1 if it
 * names a symptom. */
static int S_parse_question(const char *query, kb_query *q, int *pCjkSymptom) {
    char *blanked = S_blank_cjk_symptoms(query, pCjkSymptom);
    kb_qparse(blanked, q);
    free(blanked);
    if (q->n == 0) { /* nothing but a symptom: "失敗" */
        kb_query_free(q);
        kb_qparse(query, q);
        *pCjkSymptom = 0;
    }
    S_join_not_problems(q);
    S_mark_optional(q);
    return S_mark_symptoms(q) || *pCjkSymptom;
}

/* The message of pasted text (kb_paste.h), parsed again into *q; NULL,
 * q as it was, when the text is all message, or has nothing else. */
static char *S_message_of(kb_query *q, const char *query, int *pSymptom, int *pCjkSymptom) {
    char *message = kb_paste_message(query);
    if (!message) return NULL;
    kb_query clean;
    int cjkSymptom = 0, symptom = S_parse_question(message, &clean, &cjkSymptom);
    if (clean.n == 0) {
        kb_query_free(&clean);
        free(message);
        return NULL;
    }
    kb_query_free(q);
    *q = clean;
    *pSymptom = symptom;
    *pCjkSymptom = cjkSymptom;
    return message;
}

/* The language to correct a question's typos in: the user's when stated
 * (--lang, or a locale that names one); else the index language that knows
 * most of its words, stop words included ("de" says Spanish as much as
 * "almacen"), the user's on a tie. In a C locale, "credencales de almacén"
 * is corrected in Spanish, where English knows neither word. */
static int S_known_words(S_search *s, int l, const kb_query *q) {
    const int *aDf = S_term_dfs(s, l, q);
    int known = 0;
    for (int i = 0; i < q->n; i++) known += aDf[i] > 0;
    return known;
}

static int S_question_lang(S_search *s, const kb_query *q) {
    int best = S_pref_lang(s);
    if (s->o->langExplicit) return best;
    int bestKnown = S_known_words(s, best, q);
    for (int l = 0; l < s->nLang; l++) {
        int known = S_known_words(s, l, q);
        if (known > bestKnown) best = l, bestKnown = known;
    }
    return best;
}

/* Appends a copy of term t to out, if it has room; the copy, else NULL. */
static kb_qterm *S_append_copy(kb_query *out, const kb_qterm *t) {
    if (out->n >= KB_QPARSE_MAX_TERMS) return NULL;
    kb_qterm *copy = &out->a[out->n++];
    *copy = *t;
    copy->text = kb_xstrdup(t->text);
    copy->typed = NULL;
    return copy;
}

/* The CJK run of the question's words that starts at term i, into run:
 * a word typed whole (three or four characters, or two) and the bigrams
 * cut from a longer one, each following the one before ("资料", "料库":
 * "资料库"). aWord[j] NULL: term j is part of no run. Returns how many
 * terms it spans, 0 when term i is no CJK word. */
static int S_cjk_run(const kb_query *q, const char *const *aWord, int i, kb_buf *run) {
    const kb_qterm *t = &q->a[i];
    if (!aWord[i] || t->prefix || !S_cjk_term(t->text)) return 0;
    kb_buf_reset(run);
    kb_buf_adds(run, t->text);
    int j = i + 1;
    for (; j < q->n && aWord[j] && !q->a[j].prefix && S_bigram_follows(&q->a[j - 1], &q->a[j]); j++)
        kb_buf_adds(run, q->a[j].text + S_first_char_len(q->a[j].text));
    return j - i;
}

/* Whether every character of a term of a CJK run (S_cjk_run), which
 * starts at the run's character first, was rewritten (bit i: character
 * i). A bigram half in a rewritten word ("书魔" of "证书魔法") is the
 * question's own. */
static int S_term_rewritten(const kb_qterm *t, int first, uint64_t rewritten) {
    int nChar = (int)kb_utf8_chars(t->text, strlen(t->text));
    for (int i = first; i < first + nChar; i++)
        if (i >= 64 || !(rewritten >> i & 1)) return 0;
    return nChar > 0;
}

/* Text as the question parser makes it terms. */
static void S_parse_docs_words(const char *text, kb_query *docs) {
    kb_qparse(text, docs);
    S_loosen_not_problems(docs);
}

/* Moves the terms of docs to the end of out (at most KB_QPARSE_MAX_TERMS
 * in all) and frees docs. */
static void S_append_terms(kb_query *out, kb_query *docs) {
    for (int j = 0; j < docs->n; j++) {
        if (out->n < KB_QPARSE_MAX_TERMS) out->a[out->n++] = docs->a[j];
        else free(docs->a[j].text);
    }
    free(docs->a);
}

/* The question in the words language l's docs use: each run of words a
 * user may type for what they name otherwise becomes what they say, as if
 * typed instead (kb_synonym.h), at most KB_QPARSE_MAX_TERMS terms in all;
 * in Chinese, each run of CJK words in Taiwan's words (kb_zh_words.h:
 * "存储帐户" as "儲存帳戶"). Loose words, not a phrase: a phrase weighs as
 * one word, and the question as typed, searched too, would outrank its own
 * rewording. Quoted phrases, exclusions and OR groups stay as typed.
 *
 * One word the docs say as one other word is searched as either ("conectar
 * OR conexión"), which kb_rank weighs as one word: a verb and the noun
 * Snowball stems apart name the same act, and the docs use both. Replaced,
 * the sections with the word as typed met the rewording's only in the
 * merge, and lost places to it: on the synonym cost set (headings that use
 * the typed word) hit@1 0.866 -> 0.848, known es headings hit@10 0.858 ->
 * 0.825; as alternatives 0.854 and 0.850, for a gain of 0.30 -> 0.80 hit@1
 * on the verb/noun pairs' questions (tests/quality/synonyms.py). A question
 * with such a word costs a second search: some 3.5M instructions more.
 * Returns 0, with *out empty, when nothing was reworded. */
static int S_in_docs_words(S_search *s, int l, const kb_query *q, int bApart, kb_query *out) {
    const char *aWord[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        aWord[i] = (t->phrase && !t->joined) || t->negated || kb_query_in_group(q, i) ? NULL : t->text;
    }
    kb_synonym_span aSpan[KB_QPARSE_MAX_TERMS];
    int nSpan = kb_synonym_find(s->aLang[l], S_tok(s, l), aWord, q->n, aSpan, KB_QPARSE_MAX_TERMS);
    int bChinese = strcmp(s->aLang[l], "zh") == 0 && S_any_cjk_term(q);
    if (nSpan == 0 && !bChinese) return 0;
    out->a = kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *out->a);
    out->n = 0;
    int bReworded = nSpan > 0;
    kb_buf run = {0};
    for (int i = 0, k = 0; i < q->n;) {
        int nRun = 0;
        kb_query docs;
        if (k < nSpan && aSpan[k].first == i) {
            S_parse_docs_words(aSpan[k].docs, &docs);
            if (aSpan[k].n == 1 && docs.n == 1 && out->n < KB_QPARSE_MAX_TERMS - 1)
                S_append_copy(out, &q->a[i])->orWithNext = 1;
            S_append_terms(out, &docs);
            i += aSpan[k++].n;
        } else if (bChinese && (nRun = S_cjk_run(q, aWord, i, &run)) > 0) {
            uint64_t rewritten;
            char *taiwan = kb_zh_words_taiwan(run.z, run.n, bApart, &rewritten);
            if (taiwan) S_parse_docs_words(taiwan, &docs), S_append_terms(out, &docs), s->bMainlandWords = 1;
            for (int j = i; j < i + nRun; j++) {
                if (!taiwan) S_append_copy(out, &q->a[j]);
                s->aInTaiwanWords[j] = S_term_rewritten(&q->a[j], j - i, rewritten);
            }
            bReworded |= taiwan != NULL;
            free(taiwan);
            i += nRun;
        } else {
            S_append_copy(out, &q->a[i++]);
        }
    }
    kb_buf_free(&run);
    if (!bReworded) kb_query_free(out);
    return bReworded;
}

/* Whether a CJK term holds kana: Japanese, not Chinese. */
static int S_kana_term(const char *z) {
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len)
        if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F)) return 1;
    return 0;
}

/* The Chinese table's language, for a question of CJK text without kana
 * that was not read as Chinese (l): a question in mainland words, which
 * the zh-TW docs do not know ("存储帐户"), is read in the environment's
 * language. -1 when it is Chinese already, or not Chinese at all. */
static int S_chinese_lang(S_search *s, const kb_query *q, int l) {
    if (!S_any_cjk_term(q) || strcmp(s->aLang[l], "zh") == 0) return -1;
    for (int i = 0; i < q->n; i++)
        if (S_kana_term(q->a[i].text)) return -1;
    for (int k = 0; k < s->nLang; k++)
        if (strcmp(s->aLang[k], "zh") == 0) return k;
    return -1;
}

/* Sections with every word of the question in the words of its
 * language's docs, searched in that language's table alone: "backup de
 * VM" is, in Spanish, "copia de seguridad de máquina virtual". Only in the
 * question's language (S_question_lang): in Japanese "snapshot" is
 * "スナップショット", whose seven bigrams outweighed every English section
 * of an English question. The question as typed is searched too (its own
 * pass), so a section that says "backup" stays a candidate. A rewording
 * that leaves symptoms out is also searched with them, as the question is
 * (S_literal_pass; a CJK symptom, blanked before the rewording, is not).
 * *pnAll receives the sections found. */
static int S_synonym_pass(S_search *s, const kb_query *q, int *pnAll) {
    *pnAll = 0;
    int l = S_question_lang(s, q);
    kb_query inDocs, apart;
    if (!S_in_docs_words(s, l, q, 0, &inDocs)) {
        l = S_chinese_lang(s, q, l);
        if (l < 0 || !S_in_docs_words(s, l, q, 0, &inDocs)) return KB_OK;
    }
    S_forget_dfs(s); /* of the question's terms; both passes share the rewording's */
    int rc = KB_OK, n = 0, nLiteral = 0;
    if (S_words_left_out(&inDocs, 0)) rc = S_as_typed_pass(s, &inDocs, l, &nLiteral);
    if (rc == KB_OK) rc = S_all_pass(s, &inDocs, l, &n);
    /* Taiwan's words joined as a heading writes them find what it says
     * ("程式碼范例"); where no section does, the words apart, as a question
     * is not a heading ("云服务证书过期" has no "務憑"). A helper's 48
     * mainland questions found 15 answers first with the words joined
     * only, 19 apart only, 18 so (19 since d3c521e); 300 headings asked
     * in the mainland's words (tests/quality/chinese_scripts.py) hit@1
     * 0.967, 0.923, 0.960. */
    if (rc == KB_OK && n == 0 && s->bMainlandWords && S_in_docs_words(s, l, q, 1, &apart)) {
        kb_query_free(&inDocs);
        inDocs = apart;
        S_forget_dfs(s);
        rc = S_all_pass(s, &inDocs, l, &n);
    }
    *pnAll = n + nLiteral;
    s->reworded = inDocs; /* its words are matches to show too */
    S_forget_dfs(s); /* they belong to the question's terms */
    return rc;
}

/* The indexed terms of one language that a prefix query for a word reads
 * (they start with the word folded, not stemmed). */
#define S_COMPLETIONS_READ 256
typedef struct S_completions {
    int n;           /* how many, up to S_COMPLETIONS_READ */
    long total;      /* their sections, added up */
    int bestDf;      /* the most common one's sections */
    char best[128];  /* ...and its term */
} S_completions;

static void S_completions_read(S_search *s, int l, const char *word, S_completions *c) {
    char folded[128];
    size_t n = kb_tok_fold(word, strlen(word), folded, sizeof folded);
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = S_sql(&s->stmts, SQL_TERMS_FROM);
    if (!st) return;
    sqlite3_bind_text(st, 1, s->aLang[l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, folded, (int)n, SQLITE_STATIC);
    while (c->n < S_COMPLETIONS_READ && S_stepped(s, st) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        int df = sqlite3_column_int(st, 1);
        if (!term || strncmp(term, folded, n) != 0) break;
        c->n++;
        c->total += df;
        if (df > c->bestDf && strlen(term) < sizeof c->best) {
            c->bestDf = df;
            strcpy(c->best, term);
        }
    }
    sqlite3_reset(st);
}

/* Whether a prefix query for the word finds anything in some language. */
static int S_completes_anywhere(S_search *s, const char *word) {
    for (int l = 0; l < s->nLang; l++) {
        S_completions c;
        S_completions_read(s, l, word, &c);
        if (c.n > 0) return 1;
    }
    return 0;
}

/* Whether the most common completion can stand for them all: it holds two
 * thirds of their sections, and language l's tokenizer reads it back as
 * itself. */
static int S_completion_dominates(S_search *s, int l, const S_completions *c) {
    return c->n > 0 && 3 * (long)c->bestDf >= 2 * c->total && S_reads_as_itself(S_tok(s, l), c->best);
}

/* Whether word i, which language l knows, is far rarer there than the
 * words it starts (KB_COMPLETE_RARER): "vir" is in 3 Spanish sections, the
 * words it starts in 7,811. */
static int S_rarer_than_completions(S_search *s, int l, const kb_query *q, int i, const S_completions *c) {
    long own = S_term_dfs(s, l, q)[i];
    return c->n >= 2 && (own > 0 ? own : 0) * KB_COMPLETE_RARER < c->total;
}

/* A word cut while being typed past its stem: "almacenam" of
 * "almacenamiento", whose token is "almacen", starts no common token (the
 * tokens it starts are the docs' oddities, "almacenamientoy" of
 * "**almacenamiento**y"). The word less its last one to three letters is
 * then searched, into out (cap bytes), when its token is in
 * KB_COMPLETE_RARER times more sections than those it starts together
 * (`started`). 1 if it is. Only for a word that starts some token: one
 * that starts none is a typo ("Databse"), which the corrector mends. */
static int S_cut_to_stem(S_search *s, int l, const char *word, long started, char *out, size_t cap) {
    kb_tok *t = S_tok(s, l);
    size_t n = strlen(word);
    for (size_t cut = 1; cut <= 3 && n > cut + 3 && n - cut < cap; cut++) {
        size_t k = n - cut;
        while (k > 0 && ((unsigned char)word[k] & 0xC0) == 0x80) k--; /* whole characters */
        char token[128];
        memcpy(out, word, k);
        out[k] = '\0';
        long df = kb_tok_one(t, out, (int)k, token, sizeof token) ? S_token_df(s, l, token) : 0;
        if (df >= 2 && df > KB_COMPLETE_RARER * started) return 1;
    }
    return 0;
}

/* Completes the question's last word i as one still being typed, in
 * language l (the question's), when no section has every word: a word no
 * section holds that starts indexed ones ("credenc"), or one far fewer
 * sections hold than the words it starts (KB_COMPLETE_RARER). A completion
 * that dominates replaces it: a prefix query merges the lists of every
 * term it starts, twice ("Azu": 256 and more, 87M instructions). Else the
 * word becomes a prefix, if some language has a word it starts. Returns 1
 * if the word changed. */
static int S_complete_last(S_search *s, int l, kb_query *q, int i, int known) {
    kb_qterm *term = &q->a[i];
    if (!S_prefix_worthy(term->text)) return 0;
    S_completions c;
    S_completions_read(s, l, term->text, &c);
    if (known && !S_rarer_than_completions(s, l, q, i, &c)) return 0;
    char cut[128];
    if (!known && c.n > 0 && S_cut_to_stem(s, l, term->text, c.total, cut, sizeof cut)) {
        term->typed = term->text;
        term->text = kb_xstrdup(cut);
        return 1;
    }
    if (S_completion_dominates(s, l, &c)) {
        term->typed = term->text;
        term->text = kb_xstrdup(c.best);
        return 1;
    }
    if (c.n == 0 && !S_completes_anywhere(s, term->text)) return 0;
    term->prefix = 1;
    return 1;
}

/* The question's last word, when it is a plain word: the index of it, else -1. */
static int S_last_word(const kb_query *q) {
    int iLast = -1;
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) iLast = i;
    if (iLast < 0) return -1;
    const kb_qterm *t = &q->a[iLast];
    return t->phrase || t->prefix || kb_query_in_group(q, iLast) ? -1 : iLast;
}

/* When sections hold every word, the last may still be one being typed
 * all the same: "máquinas virtuales de wind" found the sections that say
 * "wind". If the word is far rarer than the words it starts and one of
 * them dominates (S_complete_last's tests), the question is searched once
 * more with that one as the word's alternative ("wind" OR "windows"),
 * which kb_rank weighs as one word, and both passes' sections compete. On
 * headings cut to 4 letters (tests/quality/typos.py "cut"), hit@1 0.560 ->
 * 0.583, hit@10 0.657 -> 0.687; no other measure moved. */
static int S_completion_pass(S_search *s, const kb_query *q, int *pnAll) {
    int i = S_last_word(q);
    if (i < 0 || q->n >= KB_QPARSE_MAX_TERMS || !S_prefix_worthy(q->a[i].text)) return KB_OK;
    int l = S_question_lang(s, q);
    S_completions c;
    S_completions_read(s, l, q->a[i].text, &c);
    if (!S_rarer_than_completions(s, l, q, i, &c) || !S_completion_dominates(s, l, &c)) return KB_OK;
    kb_query completed = {kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *completed.a), 0};
    for (int k = 0; k < q->n; k++) {
        S_append_copy(&completed, &q->a[k]);
        if (k != i) continue;
        completed.a[completed.n - 1].orWithNext = 1;
        kb_qterm *alt = S_append_copy(&completed, &q->a[k]);
        free(alt->text);
        alt->text = kb_xstrdup(c.best);
        alt->orWithNext = 0;
    }
    S_forget_dfs(s); /* of the question's terms; the pass reads the completed ones' */
    int n = 0, rc = S_all_pass(s, &completed, S_EVERY_TABLE, &n);
    S_forget_dfs(s);
    *pnAll += n;
    s->completed = completed; /* its words are matches to show too */
    return rc;
}

/* A question typed with caps lock on ("COPAI DE SEGURIDAD"): every word
 * with letters is in capitals, and there are two or more, so that a short
 * one is no acronym the user meant (S_acronym). */
static int S_caps_lock(const kb_query *q) {
    int nWord = 0;
    for (int i = 0; i < q->n; i++) {
        int letters = 0;
        for (const char *z = q->a[i].text; *z; z++) {
            if (*z >= 'a' && *z <= 'z') return 0;
            letters |= *z >= 'A' && *z <= 'Z';
        }
        nWord += letters;
    }
    return nWord >= 2;
}

/* The shortest typo (in bytes) corrected in a language the question gives
 * no sign of. */
#define S_ANY_LANG_TYPO_MIN 6

/* Term i corrected to the nearest indexed word of language l, into best
 * (128 bytes): a swap first, its word read as typed; else the nearest
 * token, which the FTS tokenizer will read again. */
static int S_correct_in(S_search *s, int l, const kb_qterm *term, char *best) {
    kb_tok *t = S_tok(s, l);
    kb_spell *spell = S_spell(s, l);
    char tok[128];
    if (!S_correctable(t, term, tok)) return 0;
    return kb_spell_nearest_word(spell, t, term->text, best, 128) ||
           (kb_spell_nearest(spell, tok, best, 128) && S_reads_as_itself(t, best));
}

/* A word typed in hiragana, as katakana (into out, cap bytes): the docs
 * write a loanword in katakana, and an IME not asked to convert leaves it
 * in hiragana ("まうんと" for "マウント"). 0 unless every character is
 * hiragana (or the prolonged sound mark). */
static int S_as_katakana(const char *z, char *out, size_t cap) {
    size_t n = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z; z += len) {
        len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
        if (len <= 0 || !((cp >= 0x3041 && cp <= 0x3096) || cp == 0x30FC) || n + 4 >= cap) return 0;
        n += (size_t)utf8proc_encode_char(cp == 0x30FC ? cp : cp + 0x60, (utf8proc_uint8_t *)out + n);
    }
    out[n] = 0;
    return n > 0;
}

/* Whether term i of q, written as z, is in some section. */
static int S_in_docs_as(S_search *s, const kb_query *q, int i, char *z) {
    kb_qterm as = q->a[i];
    as.text = z;
    int known = 0;
    for (int l = 0; l < s->nLang && !known; l++) {
        int cost;
        char *key;
        known = S_term_df(s, l, S_tok(s, l), &as, &cost, &key) > 0;
        free(key);
    }
    return known;
}

/* Whether term i in katakana (into out, 128 bytes) is in some section. */
static int S_katakana_in_docs(S_search *s, const kb_query *q, int i, char *out) {
    const char *z = q->a[i].text;
    if (q->a[i].negated || q->a[i].symptom || strlen(z) == S_first_char_len(z) || !S_as_katakana(z, out, 128))
        return 0; /* a lone character is a particle ("の"), not a word */
    return S_in_docs_as(s, q, i, out);
}

/* Whether term i, a word no section has, is a word of the question's
 * language l or of English, which engineers type in every language
 * (kb_dict.h): "really" is no typo of "relies", nor "forgot" of "format".
 * token is its token in l. */
static int S_dictionary_word(S_search *s, int l, const kb_qterm *term, const char *token) {
    if (kb_dict_has_token(s->aLang[l], token)) return 1;
    if (strcmp(s->aLang[l], "en") == 0) return 0;
    if (!s->enTok) s->enTok = kb_tok_new("en");
    char enToken[128];
    return S_correctable(s->enTok, term, enToken) && kb_dict_has_token("en", enToken);
}

/* Term i, a British spelling no section has, in the American one some
 * section has (into out, 128 bytes): "organisation" as "organization". */
static int S_us_spelling_in_docs(S_search *s, const kb_query *q, int i, char *out) {
    return kb_dict_us_spelling_of(q->a[i].text, out, 128) && S_in_docs_as(s, q, i, out);
}

/* A word typed in hiragana that the docs know in katakana, and not as
 * typed, is read so: "まうんと できない" finds the sections on "マウント".
 * A word of three or four characters is one term; a longer one, the
 * bigrams it was cut into ("ばっくあっぷ": "ばっ", "っく"...), each of which
 * must be in the docs in katakana, while one at least is not as typed.
 * Returns 1 if the query changed. */
static int S_katakana_words(S_search *s, kb_query *q, int *aCorrected) {
    int changed = 0;
    char (*aKana)[128] = kb_xcalloc((size_t)q->n + 1, sizeof *aKana);
    for (int i = 0; i < q->n;) {
        int j = i;
        while (j + 1 < q->n && S_bigram_follows(&q->a[j], &q->a[j + 1])) j++;
        int all = 1, unknown = 0;
        for (int k = i; k <= j && all; k++) {
            all = S_katakana_in_docs(s, q, k, aKana[k]);
            unknown |= all && !S_known_anywhere(s, q, k);
        }
        for (int k = i; k <= j && all && unknown; k++) {
            free(q->a[k].typed);
            q->a[k].typed = q->a[k].text;
            q->a[k].text = kb_xstrdup(aKana[k]);
            aCorrected[k] = S_CORRECTED;
            changed = 1;
        }
        i = j + 1;
    }
    free(aKana);
    return changed;
}

/* When the strict search of a typed question is weak: a trailing partial
 * word is completed (S_complete_last), and words the index does not know
 * are corrected to the nearest indexed words of the question's language,
 * or, when the question has no word of it and no language was asked for,
 * of the first language that has one ("almacenamietno" alone, in a C
 * locale, is Spanish). A British spelling is read in the American one the
 * docs use; a real word (S_dictionary_word) is left as typed unless one
 * common typo makes it a word of the docs. Returns 1 if the query changed. */
static int S_relax(S_search *s, kb_query *q, int *aCorrected) {
    int iLang = S_question_lang(s, q), changed = S_katakana_words(s, q, aCorrected);
    int anyLang = !s->o->langExplicit && S_known_words(s, iLang, q) == 0, capsLock = S_caps_lock(q);
    kb_tok *t = S_tok(s, iLang);
    int iLast = -1;
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) iLast = i;
    for (int i = 0; i < q->n; i++) {
        kb_qterm *term = &q->a[i];
        char tok[128];
        if (aCorrected[i] == S_CORRECTED) continue; /* read in katakana */
        /* a symptom's word is in the vocabulary, not a typo ("stuck" is not
         * "stack"), also where no phrase marked it: a code's part ("Stuck"
         * of "ExtensionStuckInDeletionState") */
        const char *w = term->text;
        if (term->symptom || term->optional || kb_vocab_is(KB_VOCAB_SYMPTOM, w, strlen(w)) ||
            kb_vocab_is(KB_VOCAB_OPTIONAL, w, strlen(w)) || !S_correctable(t, term, tok))
            continue;
        int known = S_known_anywhere(s, q, i);
        /* A last word that starts no indexed one is a typo, not a word
         * still being typed ("crear cuenat"). */
        if (i == iLast && S_complete_last(s, iLang, q, i, known)) {
            changed = 1;
            continue;
        }
        if (known || (!capsLock && S_acronym(term->text))) continue;
        char best[128];
        int found = S_us_spelling_in_docs(s, q, i, best);
        /* A real word is read as another only one common typo away
         * ("cuneta" for "cuenta"), never as the nearest stem. */
        if (!found && S_dictionary_word(s, iLang, term, tok)) {
            if (!kb_spell_nearest_word(S_spell(s, iLang), t, term->text, best, sizeof best)) continue;
            found = 1;
        }
        if (!found) found = S_correct_in(s, iLang, term, best);
        /* in another language only a long word: every language has some
         * word one letter from "aks" */
        for (int l = 0; anyLang && !found && strlen(term->text) >= S_ANY_LANG_TYPO_MIN && l < s->nLang; l++)
            if (l != iLang) found = S_correct_in(s, l, term, best);
        if (!found) continue;
        free(term->typed); /* the word as typed, which the question shown replaces */
        term->typed = term->text;
        term->text = kb_xstrdup(best);
        aCorrected[i] = S_CORRECTED;
        changed = 1;
    }
    return changed;
}

/* A word of at most KB_RARE_WORD_DF sections, in every language, is as
 * likely a typo the docs made as a word: "virutal" and "eror" are in one
 * Spanish section each, so "maquina virutal" found that one section (a
 * Chinese one, in a list of misspellings). Such a word one typo from a
 * word KB_RARE_TYPO_FACTOR times commoner is read as that word. A word
 * with a capital inside it or a digit is a name or a code: left as typed. */
#define KB_RARE_WORD_DF 2
#define KB_RARE_TYPO_FACTOR 50

static int S_rare_typo(S_search *s, const kb_query *q, int i) {
    const kb_qterm *t = &q->a[i];
    if (t->phrase || t->negated || t->symptom || t->optional || t->prefix || strlen(t->text) < 4 ||
        strpbrk(t->text, "0123456789"))
        return 0;
    for (const char *z = t->text + 1; *z; z++)
        if (isupper((unsigned char)*z)) return 0;
    int maxDf = 0;
    for (int l = 0; l < s->nLang; l++) {
        int df = S_term_dfs(s, l, q)[i];
        if (df < 0 || df > KB_RARE_WORD_DF) return 0;
        if (df > maxDf) maxDf = df;
    }
    return maxDf;
}

/* Reads the question's rare words that are typos (S_rare_typo) as the
 * words they mistype, in the question's language; not a last word that
 * starts far commoner ones, which is still being typed ("nodos no regi").
 * 1 if one was. */
static int S_correct_rare_typos(S_search *s, kb_query *q, int *aCorrected) {
    int iLang = S_question_lang(s, q), changed = 0, iLast = S_last_word(q);
    for (int i = 0; i < q->n; i++) {
        int df = S_rare_typo(s, q, i);
        if (df == 0) continue;
        S_completions c = {0};
        if (i == iLast) S_completions_read(s, iLang, q->a[i].text, &c);
        char best[128];
        if (c.total > (long)KB_COMPLETE_RARER * df ||
            kb_spell_nearest_word(S_spell(s, iLang), S_tok(s, iLang), q->a[i].text, best, sizeof best) <
                KB_RARE_TYPO_FACTOR * df)
            continue;
        kb_qterm *term = &q->a[i];
        free(term->typed);
        term->typed = term->text;
        term->text = kb_xstrdup(best);
        aCorrected[i] = S_CORRECTED;
        changed = 1;
    }
    return changed;
}

typedef struct S_surface {
    const char *text;   /* the body being scanned */
    char *const *aToken; /* the corrected word's tokens: as searched, and as its word reads */
    int nToken;
    char typed[128];    /* the word as typed, folded */
    char *best;         /* the written word nearest the typed one so far */
    int bestDistance;
    int bestWhole;      /* best is a word of its own, not a variant or a code's part */
    int bCompletion;    /* typed is a word being typed, completed, not corrected */
} S_surface;

/* Added to the distance of a written word that does not start with a
 * word being typed (S_find_surface). */
#define KB_SURFACE_NOT_STARTED 100

/* A corrected word was typed as no written one, so the first word of its
 * own one edit away ends the search: reading the ten results to their end
 * cost 3-5M instructions more. */
static int S_surface_final(const S_surface *f) {
    return f->best && f->bestDistance <= 1 && f->bestWhole;
}

/* Every written word that makes the token is a candidate: for a word
 * being typed, the nearest of those that start with it ("almacenamiento"
 * for "almacenam", "cuenta" for "cuen"); else the one nearest it wins
 * ("instalr" is "instalar", not "instalado" or "instalación", which share
 * its stem), then a word of its own over a code's part ("snapshot", not
 * "Snapshot" of "VMSnapshot"), then the first. */
static int S_find_surface(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    S_surface *f = ctx;
    int match = 0;
    for (int i = 0; i < f->nToken && !match; i++)
        match = (int)strlen(f->aToken[i]) == nTok && memcmp(tok, f->aToken[i], (size_t)nTok) == 0;
    if ((flags & KB_TOK_UNMATCHED) || !match) return 0;
    char folded[128];
    kb_tok_fold(f->text + iStart, (size_t)(iEnd - iStart), folded, sizeof folded);
    /* a word that starts with the one being typed is what it was to be */
    int started = !f->bCompletion || strncmp(folded, f->typed, strlen(f->typed)) == 0;
    int distance = kb_spell_distance(f->typed, folded, 8) + (started ? 0 : KB_SURFACE_NOT_STARTED);
    int whole = !(flags & KB_TOK_COLOCATED);
    if (f->best && (distance > f->bestDistance || (distance == f->bestDistance && (f->bestWhole || !whole))))
        return 0;
    free(f->best);
    f->best = kb_xstrndup(f->text + iStart, (size_t)(iEnd - iStart));
    f->bestDistance = distance;
    f->bestWhole = whole;
    return S_surface_final(f);
}

/* word in lower case if typed has no capital ("Restaurar" of a heading,
 * for "restaurr"). */
static void S_case_as_typed(const char *typed, char *word) {
    utf8proc_int32_t cp;
    for (const char *z = typed; *z; z += kb_utf8_seq_len(z, strlen(z))) {
        utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
        if (cp >= 0 && utf8proc_tolower(cp) != cp) return;
    }
    kb_buf b = {0};
    for (const char *z = word; *z;) {
        size_t n = kb_utf8_seq_len(z, strlen(z));
        utf8proc_uint8_t enc[4];
        if (utf8proc_iterate((const utf8proc_uint8_t *)z, (utf8proc_ssize_t)n, &cp) > 0)
            kb_buf_add(&b, (const char *)enc, (size_t)utf8proc_encode_char(utf8proc_tolower(cp), enc));
        else
            kb_buf_add(&b, z, n);
        z += n;
    }
    /* lower case is never longer in the scripts a typo is corrected in */
    if (b.n <= strlen(word)) memcpy(word, b.z, b.n + 1);
    kb_buf_free(&b);
}

/* A correction is a stem ("descarg") or a word one typo away; show the
 * user the word as the results write it ("descargar"). The results are
 * read as the index read them, variants included: "almac", the nearest
 * stem to "almasen", is the unaccented variant of "almacén", never a
 * word's own token. The results may all lack it (an OR pass): only the
 * words that could make it are stemmed, with one tokenizer per language
 * in a row ("nodos ... no registardos" read ten sections in full, 27M
 * instructions, 62% of the question). */
static void S_surface_form(const kb_results *r, kb_qterm *term, int bCompletion) {
    kb_tok *t = NULL;
    const char *tokLang = NULL;
    char token[128];
    char *aTarget[2] = {term->text, token};
    S_surface f = {.aToken = aTarget, .nToken = 1, .bCompletion = bCompletion};
    kb_tok_fold(term->typed ? term->typed : term->text, strlen(term->typed ? term->typed : term->text), f.typed,
                sizeof f.typed);
    for (int i = 0; i < r->n && i < KB_CORRECTION_PAGE && !S_surface_final(&f); i++) {
        if (!t || strcmp(tokLang, r->a[i].lang) != 0) {
            kb_tok_free(t);
            t = kb_tok_new(tokLang = r->a[i].lang);
            /* A correction made of a whole word ("creaer", one letter from
             * "craer") is found as the docs write its token ("crear"). */
            f.nToken = kb_tok_one(t, term->text, (int)strlen(term->text), token, sizeof token) &&
                               strcmp(token, term->text) != 0 ? 2 : 1;
            kb_tok_set_targets(t, aTarget, f.nToken);
        }
        f.text = r->a[i].view.text;
        kb_tok_run(t, KB_TOK_DOCUMENT, f.text, (int)strlen(f.text), &f, S_find_surface);
    }
    kb_tok_free(t);
    if (!f.best) return;
    S_case_as_typed(term->typed ? term->typed : term->text, f.best);
    free(term->text);
    term->text = f.best;
}

/* Whether z[0..n) stands as a word at z + i of text: no letter or digit
 * of the text runs into it. */
static int S_word_at(const char *text, const char *at, size_t n) {
    unsigned char before = at > text ? (unsigned char)at[-1] : ' ', after = (unsigned char)at[n];
    return !isalnum(before) && !isalnum(after);
}

/* The question as the search ran it, for "corrected": the question as
 * typed, each corrected or completed word replaced by what was searched,
 * so that what was not changed reads as typed (CJK text, not its bigrams;
 * a symptom, not left out). A code searched as its parts is shown as
 * those parts ("Fs Freeze Failed"), the rest as the terms searched. */
static char *S_corrected_question(const char *query, const kb_query *q, const int *aCorrected) {
    for (int i = 0; i < q->n; i++)
        if (aCorrected[i] == S_SPLIT) return kb_query_format(q);
    kb_buf b = {0};
    const char *pos = query;
    for (int i = 0; i < q->n; i++) {
        const char *typed = q->a[i].typed;
        if (!typed || strcmp(typed, q->a[i].text) == 0) continue;
        size_t n = strlen(typed);
        const char *at = pos;
        while ((at = strstr(at, typed)) != NULL && !S_word_at(query, at, n)) at++;
        if (!at) continue;
        kb_buf_add(&b, pos, (size_t)(at - pos));
        kb_buf_adds(&b, q->a[i].text);
        pos = at + n;
    }
    kb_buf_adds(&b, pos);
    return kb_buf_detach(&b);
}

/* How ordinary the question's words are in language l: the mean log share
 * of l's sections that hold each word. "error" is in many English sections
 * and few Japanese ones (which write エラー), so it reads as English; BM25
 * says the opposite, as its IDF rewards a word rare in its table, and the
 * scores of two tables do not compare anyway. */
static double S_ordinariness(S_search *s, int l, const kb_query *q) {
    const int *aDf = S_term_dfs(s, l, q);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < q->n; i++) {
        if (q->a[i].negated) continue;
        sum += log((aDf[i] + 0.5) / (s->aRows[l] + 1.0));
        n++;
    }
    return n > 0 ? sum / n : 0;
}

/* The language the question is written in, judged by the sections that
 * match it in full: the one where its words are most ordinary, language
 * `except` aside; -1 if no section matches it in full. */
static int S_own_lang(S_search *s, const kb_query *q, int except) {
    int best = -1;
    double bestOrdinary = 0;
    for (int l = 0; l < s->nLang; l++) {
        if (s->aBest[l] <= 0 || l == except) continue;
        double ordinary = S_ordinariness(s, l, q);
        if (best < 0 || ordinary > bestOrdinary) best = l, bestOrdinary = ordinary;
    }
    return best;
}

/* Which copy of a section to show: the reader's language (--lang, else the
 * environment's) when it is stated and some section of it matches the
 * question in full, else the question's own language (S_own_lang; when no
 * section matches in full, the one that knows more of its words than the
 * reader's, S_question_lang). Where a section has no copy in that
 * language, the other of the two (the reader's own aside, the question's
 * is the next most ordinary): a Japanese reader asking "Restore" gets
 * the English copy of a section the Japanese docs lack, not the Spanish
 * one that happened to score higher. */
static void S_choose_language(S_search *s, const kb_query *q, int nId) {
    s->prefLang = s->o->lang;
    s->fallbackLang = NULL;
    /* An error code is no language: "0x80070570" says nothing about the
     * reader, but the words of a message pasted around it do, and so does
     * a word of Chinese or Japanese that only says "error" ("エラー 34506"). */
    if (nId > 0 && !s->idWords && !S_any_cjk_term(q)) {
        /* A section the reader's docs lack is shown in English, as to a
         * reader of a language the index has none of (S_indexed_lang). */
        for (int l = 0; l < s->nLang && s->o->lang; l++)
            if (strcmp(s->aLang[l], "en") == 0 && strcmp(s->o->lang, "en") != 0) s->fallbackLang = "en";
        /* No language at all (LANG=C on docs with no English): which copy
         * ranks first is a quirk of each table's BM25, and the Chinese one
         * came first for a Spanish reader. Every copy is shown. */
        s->everyCopy = !s->o->lang;
        return;
    }
    int reader = s->o->lang ? S_pref_lang(s) : -1;
    if (s->o->langExplicit || (reader >= 0 && s->aBest[reader] > 0)) {
        int own = S_own_lang(s, q, reader);
        if (own >= 0) s->fallbackLang = s->aLang[own];
        return;
    }
    int best = S_own_lang(s, q, -1);
    if (best < 0 && s->r->n > 0) {
        int l = S_question_lang(s, q);
        /* With no reader's language among the index's (LANG=C, a bot's
         * usual), the question's decides: else a Spanish question shows
         * the Chinese copies of the sections its rarer words found there. */
        if (l != reader) best = l;
    }
    if (best >= 0) {
        s->prefLang = s->aLang[best];
        s->fallbackLang = s->o->lang;
    }
}

/* What kb_search keeps per language, released; a read its spelling
 * lookups failed is kept in s->rcRead. */
static void S_release_langs(S_search *s) {
    for (int l = 0; l < s->nLang; l++) {
        if (s->rcRead == KB_OK) s->rcRead = kb_spell_failed(s->aSpell[l]);
        kb_spell_close(s->aSpell[l]);
        sqlite3_finalize(s->aMatch[l]);
        sqlite3_finalize(s->aMatchWithin[l]);
        sqlite3_finalize(s->aCount[l]);
        kb_tok_free(s->aTok[l]);
        s->aSpell[l] = NULL, s->aMatch[l] = s->aMatchWithin[l] = s->aCount[l] = NULL, s->aTok[l] = NULL;
    }
    kb_tok_free(s->enTok);
    s->enTok = NULL;
    S_forget_dfs(s);
}

/* Whether a term of the query is so common in some language that the AND
 * pass would search headings first (S_text_query). */
static int S_too_common(S_search *s, const kb_query *q) {
    int keep[KB_QPARSE_MAX_TERMS];
    for (int l = 0; l < s->nLang; l++) {
        S_keep_terms(s, l, q, KB_QALL, keep);
        if (S_min_df(q, keep, S_term_dfs(s, l, q)) > KB_ANY_BUDGET) return 1;
    }
    return 0;
}

int kb_search_errid_text(sqlite3 *db, const char *key, kb_results *r) {
    memset(r, 0, sizeof *r);
    kb_query_opts o = {.limit = KB_ERRID_TEXT_POOL};
    S_search s = {.db = db, .o = &o, .r = r, .stmts = {.db = db}};
    kb_query q;
    kb_qparse(key, &q);
    int rc = S_load_langs(&s);
    if (rc == KB_OK && S_too_common(&s, &q)) rc = KB_ELIMIT;
    if (rc == KB_OK) rc = S_text_query(&s, &q, KB_QALL, 0, 1.0, KB_ERRID_TEXT_POOL, S_EVERY_TABLE);
    S_release_langs(&s);
    if (rc == KB_OK) rc = s.rcRead ? s.rcRead : s.stmts.rc;
    S_stmts_free(&s.stmts);
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
 * a question. Per language the best rows S_text_query would keep.
 * *pDone is 0 when the table cannot stand in for the pass: another query,
 * a filter, a page deeper than the stored rows, or a key too common to
 * store (a row of section 0). A quoted ID takes the full-text pass: the
 * tests compare the two. */
static int S_errid_text(S_search *s, const kb_query *q, int nId, int *pDone) {
    const kb_query_opts *o = s->o;
    int want = S_want(s);
    *pDone = 0;
    if (q->n != 1 || q->a[0].negated || q->a[0].phrase || o->localeOnly || o->docPrefix || want > KB_ERRID_TEXT_POOL)
        return KB_OK;
    char key[KB_ERRID_KEY_MAX];
    size_t nWord;
    const char *word = S_strip_around(q->a[0].text, &nWord);
    snprintf(key, sizeof key, "%.*s", (int)nWord, word);
    for (char *c = key; *c; c++)
        if (*c >= 'A' && *c <= 'Z') *c = (char)(*c - 'A' + 'a');
    int isKey = 0;
    for (int i = 0; i < nId && !isKey; i++) isKey = strcmp(s->r->a[i].errid, key) == 0;
    if (!isKey) return KB_OK;
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db,
                           "SELECT t.section_id, t.score, coalesce(s.lang, '') FROM error_text t"
                           " LEFT JOIN sections s ON s.id = t.section_id WHERE t.key = ?1"
                           " ORDER BY 3, t.score DESC, t.section_id",
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
        if (inLang < (l < s->nLang ? S_table_pool(s, l, want) : want)) S_hit_add(s->r, a[i].id, a[i].score * langFactor, KB_MATCH_TEXT);
    }
    free(a);
    *pDone = rc == KB_OK && complete;
    return rc;
}

int kb_search_open(const char *path, int use, sqlite3 **pDb) {
    int rc = kb_db_open_read(path, pDb);
    if (rc != KB_OK) return rc;
    /* One question reads most pages once, and every page SQLite caches is
     * fresh heap: with a cache of a few pages, their buffers are reused (a
     * long question's faults 634 -> 304 when each was a page fault), while
     * a page read again comes from the OS's cache. With the heap given up
     * front (kb_heap.h) a larger cache costs no faults, but 128 or 300
     * pages instead of 32 saved only 1-2% of the median of the 80 slowest
     * questions, within this VM's noise. Many questions share pages: they
     * keep SQLite's default. */
    if (use == KB_SEARCH_ONE_QUESTION) rc = kb_db_exec(*pDb, "PRAGMA cache_size=" KB_ONE_QUESTION_CACHE);
    if (rc == KB_OK) rc = kb_rank_register(*pDb);
    if (rc != KB_OK) {
        sqlite3_close(*pDb);
        *pDb = NULL;
    }
    return rc;
}

/* A language the index lacks (--lang fr, or LANG=fr_FR, on Spanish and
 * English docs) is read as none stated: the reader is served as one in a
 * C locale, in English where the index has it. Kept as asked, it would
 * favour no table and name a copy that does not exist, leaving the order
 * to BM25 scores of different tables, which do not compare: an untranslated
 * English page among Japanese ones came first for "backup". */
static void S_indexed_lang(const S_search *s, kb_query_opts *o) {
    int has = 0, hasEnglish = 0;
    for (int l = 0; l < s->nLang; l++) {
        has |= o->lang && strcmp(s->aLang[l], o->lang) == 0;
        hasEnglish |= strcmp(s->aLang[l], "en") == 0;
    }
    if (has || !o->lang) return;
    o->lang = hasEnglish ? "en" : NULL;
    o->langExplicit = 0;
}

/* The question in NFKC, as the index's text is (kb_tok.h): a code typed
 * in full-width characters ("０ｘ８００７０５７０", "ERROR＿FILE＿CORRUPT")
 * is the code, and an ideographic or no-break space is a space. NULL if
 * the question is not UTF-8. */
static char *S_fold_question(const char *query) {
    return (char *)utf8proc_NFKC((const utf8proc_uint8_t *)query);
}

/* "corrected" as the first KB_CORRECTION_PAGE results say it, whatever
 * page was asked for: the words are written as the results write them,
 * and a bot paging through one question, or asking for fewer results,
 * must see one question searched. Searches again only for a corrected
 * question asked for a later page or a shorter one. */
static int S_first_page_correction(sqlite3 *db, const char *typed, const kb_query_opts *asked, kb_results *r) {
    kb_query_opts first = *asked;
    first.offset = 0;
    first.limit = KB_CORRECTION_PAGE;
    kb_results firstPage;
    int rc = kb_search(db, typed, &first, &firstPage);
    if (rc == KB_OK) {
        r->corrected = firstPage.corrected;
        firstPage.corrected = NULL;
    }
    kb_results_free(&firstPage);
    return rc;
}

int kb_search(sqlite3 *db, const char *typed, const kb_query_opts *asked, kb_results *r) {
    char *folded = S_fold_question(typed);
    const char *query = folded ? folded : typed;
    memset(r, 0, sizeof *r);
    kb_query_opts opts = *asked;
    const kb_query_opts *o = &opts;
    S_search s = {.db = db, .o = o, .r = r, .stmts = {.db = db, .labels = S_view_labels(o)}};
    int rc = S_load_langs(&s);
    S_indexed_lang(&s, &opts);
    kb_query q;
    int cjkSymptom = 0;
    int symptom = S_parse_question(query, &q, &cjkSymptom);
    int pasted = s.pasted = S_pasted(&s, &q);
    char *message = pasted ? S_message_of(&q, query, &symptom, &cjkSymptom) : NULL;
    if (message) query = message;
    if (rc == KB_OK) rc = S_errid_lookup(&s, query, &q);
    int nId = s.nId = r->n, nAll = 0;
    if (symptom && rc == KB_OK) {
        rc = S_load_problems(&s);
        s.favourProblems = 1;
    }
    if (pasted)
        for (int i = 0; i < q.n; i++) q.a[i].negated = 0;
    else if (rc == KB_OK)
        S_mark_lone_cjk(&s, &q);
    /* An index of no documents (kb-index of an empty tree) has no table to
     * search, nor a language for S_pref_lang to name: its slot 0 was
     * filled, and never released (a leak per question of --serve). */
    int done = s.nLang == 0;
    if (rc == KB_OK && nId > 0 && !done) rc = S_errid_text(&s, &q, nId, &done);
    int aCorrected[KB_QPARSE_MAX_TERMS] = {0}, nCorrected = 0, aUnknown[KB_QPARSE_MAX_TERMS] = {0};
    if (rc == KB_OK && !done) {
        int nLiteral = 0;
        int rareTypos = !o->exact && !pasted && nId == 0 && S_correct_rare_typos(&s, &q, aCorrected);
        if (rareTypos) S_forget_dfs(&s); /* of the words as typed */
        if (rareTypos || S_words_left_out(&q, cjkSymptom)) rc = S_literal_pass(&s, query, pasted, &nLiteral);
        if (rc == KB_OK) rc = S_all_pass(&s, &q, S_EVERY_TABLE, &nAll);
        int nSynonym = 0;
        if (rc == KB_OK && !o->exact) rc = S_synonym_pass(&s, &q, &nSynonym);
        if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll > 0) rc = S_completion_pass(&s, &q, &nAll);
        nAll += nLiteral + nSynonym;
        /* Marked as typed: a word completed as a prefix is still unknown
         * if that finds no section with every word. */
        if (rc == KB_OK && nId == 0 && nAll == 0) S_mark_unknown(&s, &q, aUnknown);
        if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll == 0 &&
            S_split_codes(&s, &q, aUnknown, aCorrected)) {
            S_forget_dfs(&s); /* of the terms before the split */
            rc = S_all_pass(&s, &q, S_EVERY_TABLE, &nAll);
        }
        /* No section has every word: a word may be mistyped, or still being
         * typed. Relaxed before the second pass, which would otherwise run
         * once for nothing. Pasted text is not relaxed: a second search
         * would also double its cost. */
        if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll == 0 && S_relax(&s, &q, aCorrected)) {
            S_forget_dfs(&s); /* no hit to drop: nothing has matched yet */
            rc = S_all_pass(&s, &q, S_EVERY_TABLE, &nAll);
        }
        if (rc == KB_OK && nId == 0 && nAll == 0) rc = S_code_pass(&s, &q);
        if (rc == KB_OK) rc = S_any_pass(&s, &q, nAll);
        /* Pasted text too when the OR pass found nothing: its known word
         * may be too common to select by itself there ("kubectl helm
         * terraform pulumi ansible backup" on the bundled corpus). */
        if (rc == KB_OK && !o->exact && nId == 0 && nAll == 0 && (!pasted || r->n == 0))
            rc = S_known_words_pass(&s, &q);
        if (rc == KB_OK && nAll == 0) {
            for (int i = 0; i < q.n; i++) aUnknown[i] &= !aCorrected[i];
            S_list_unknown(&s, &q, aUnknown, r);
        }
    }
    const kb_query *aAlso[] = {&s.reworded, &s.completed};
    S_collect_terms(&q, aAlso, 2, r);
    S_choose_language(&s, &q, nId);
    if (rc == KB_OK) rc = S_favour_exact_headings(&s, query);
    S_release_langs(&s);
    if (rc == KB_OK) rc = s.rcRead ? s.rcRead : s.stmts.rc;
    if (rc == KB_OK) rc = S_finish(&s);
    S_stmts_free(&s.stmts);
    kb_buf_free(&s.problems);
    kb_query_free(&s.reworded);
    kb_query_free(&s.completed);
    for (int i = 0; i < q.n; i++) nCorrected += aCorrected[i] != S_KEPT;
    if (rc == KB_OK && nCorrected > 0 && (o->offset > 0 || o->limit < KB_CORRECTION_PAGE)) {
        rc = S_first_page_correction(db, typed, asked, r);
    } else if (rc == KB_OK && nCorrected > 0 && r->n > 0) {
        for (int i = 0; i < q.n; i++) /* a completion too is a stem ("cuent") */
            if (aCorrected[i] == S_CORRECTED || q.a[i].typed)
                S_surface_form(r, &q.a[i], aCorrected[i] != S_CORRECTED);
        r->corrected = S_corrected_question(query, &q, aCorrected);
    }
    kb_query_free(&q);
    free(message);
    free(folded);
    return rc;
}

/* Runs sql with up to three text parameters (?1..?3) and an integer ?4;
 * the first column of its first maxRows rows is a section id, kept in order. */
static int S_select_into(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3, int flag,
                         const kb_query_opts *o, int full, int maxRows, kb_results *r) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, sql, &st);
    if (rc) return rc;
    const char *aParam[] = {p1, p2, p3};
    for (int i = 0; i < 3; i++)
        if (aParam[i]) sqlite3_bind_text(st, i + 1, aParam[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, flag);
    int step = SQLITE_DONE;
    while (r->n < maxRows && (step = sqlite3_step(st)) == SQLITE_ROW)
        S_hit_add(r, sqlite3_column_int64(st, 0), 0, KB_MATCH_TEXT);
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(db); /* damaged: no "not found" */
    sqlite3_finalize(st);
    S_stmts c = {.db = db, .labels = S_view_labels(o)};
    for (int i = 0; rc == KB_OK && i < r->n; i++) rc = S_load_hit(&c, &r->a[i], full);
    S_stmts_free(&c);
    return rc;
}

/* A document ?1 named as stored ("es-es/x.md") or without its locale folder
 * ("x.md", the key every locale's copy shares): --show and --toc. */
#define S_DOC_NAMED_SQL "(d.path = ?1 OR d.dkey = ?1 OR d.dkey = (SELECT dkey FROM docs WHERE path = ?1))"

/* The options with a language the index lacks read as none stated
 * (S_indexed_lang), for --show and --toc, which search no language table. */
static kb_query_opts S_usable_opts(sqlite3 *db, const kb_query_opts *asked) {
    S_search s = {.db = db};
    kb_query_opts o = *asked;
    if (S_load_langs(&s) == KB_OK) S_indexed_lang(&s, &o);
    return o;
}

/* The section doc#anchor: the doc as stored, or without its locale folder
 * (the section key); anchors include the heading's aliases. The copy in
 * the preferred language first, then the one asked for, unless every copy
 * is wanted. */
static int S_show_anchor(sqlite3 *db, const char *doc, const char *anchor, const kb_query_opts *o, kb_results *r) {
    return S_select_into(db,
                         "SELECT s.id FROM anchors a JOIN sections s ON s.id = a.section_id"
                         " JOIN docs d ON d.id = s.doc_id"
                         " WHERE a.anchor = ?2 AND " S_DOC_NAMED_SQL
                         " ORDER BY CASE WHEN ?4 THEN s.lang <> ?3 ELSE d.path <> ?1 END,"
                         " s.lang <> ?3, d.path <> ?1, s.locale",
                         doc, anchor, o->lang ? o->lang : "", o->langExplicit, o, o->full,
                         o->allLocales ? INT_MAX : 1, r);
}

/* How many names a "did you mean" shows. */
#define S_NAMES_SHOWN 5

/* The names a statement lists (its first column, ?1 to ?3 bound), up to
 * one more than are shown: enough to tell one from several, and whether
 * the list goes on. -1 (kb_db_fail) when the index cannot be read: a
 * damaged index had answered that it held no such document. */
static int S_names3(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3, char **aName) {
    sqlite3_stmt *st = NULL;
    int n = 0, step = SQLITE_DONE;
    if (kb_db_prepare(db, sql, &st) != KB_OK) return -1;
    sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
    if (p2) sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
    if (p3) sqlite3_bind_text(st, 3, p3, -1, SQLITE_STATIC);
    while (n <= S_NAMES_SHOWN && (step = sqlite3_step(st)) == SQLITE_ROW)
        aName[n++] = kb_xstrdup((const char *)sqlite3_column_text(st, 0));
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        kb_db_fail(db);
        while (n > 0) free(aName[--n]);
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

static int S_names(sqlite3 *db, const char *sql, const char *p1, const char *p2, char **aName) {
    return S_names3(db, sql, p1, p2, NULL, aName);
}

/* "doc#a, doc#b, …" for a "did you mean": each name after prefix. Frees
 * the names. */
static char *S_names_join(char **aName, int n, const char *prefix) {
    kb_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (i < S_NAMES_SHOWN) kb_buf_addf(&b, "%s%s%s", i ? ", " : "", prefix, aName[i]);
        else kb_buf_adds(&b, ", …");
        free(aName[i]);
    }
    return kb_buf_detach(&b);
}

/* The document a name means: itself when it names one (S_DOC_NAMED_SQL),
 * else the one document whose path, or path without its locale folder,
 * starts with it ("backup-azure-mars"). Returns how many it could mean;
 * with one, *pResolved is its name (malloc'd); with none or several, the
 * error says so; -1 when the index cannot be read (kb_db_fail). */
static int S_resolve_doc(sqlite3 *db, const char *doc, char **pResolved) {
    char *aName[S_NAMES_SHOWN + 1];
    *pResolved = NULL;
    int n = S_names(db, "SELECT ?1 FROM docs d WHERE " S_DOC_NAMED_SQL " LIMIT 1", doc, NULL, aName);
    if (n == 0)
        n = S_names(db,
                    "SELECT DISTINCT CASE WHEN substr(d.dkey, 1, length(?1)) = ?1 THEN d.dkey ELSE d.path END"
                    " FROM docs d WHERE substr(d.dkey, 1, length(?1)) = ?1 OR substr(d.path, 1, length(?1)) = ?1"
                    " ORDER BY 1",
                    doc, NULL, aName);
    /* The file's own name, wherever its folders put it: "backup-azure-vms"
     * in an index of es-ES/articles/backup/... (any folder of the path
     * that starts so, for a name the path's start did not match). */
    if (n == 0 && !strchr(doc, '/'))
        n = S_names(db, "SELECT DISTINCT d.dkey FROM docs d WHERE instr(d.dkey, '/' || ?1) > 0 ORDER BY 1", doc,
                    NULL, aName);
    if (n == 1) {
        *pResolved = aName[0];
    } else if (n == 0) {
        kb_fail(KB_ENOTFOUND, _("no document %s in the index"), doc);
    } else if (n < 0) {
        return n;
    } else {
        char *names = S_names_join(aName, n, "");
        kb_fail(KB_ENOTFOUND, _("no document %s in the index; did you mean %s?"), doc, names);
        free(names);
    }
    return n;
}

/* An anchor that names no section of doc may be the start of one: anchors
 * are long slugs ("usererrorsqlpodoesnotexist--sql-database-does-not-exist"),
 * and "#usererrorsqlpo" is what a person types. One section that starts so
 * is shown; several are named in the error, as is --toc when none is. */
static int S_show_prefix(sqlite3 *db, const char *ref, const char *doc, const char *prefix, const kb_query_opts *o,
                         kb_results *r) {
    char *aName[S_NAMES_SHOWN + 1];
    /* ?3: only the copies in one language, when the copies' anchors differ
     * (a translated <a name>): "#invalid-vault" is one Spanish section
     * with --lang es, though the Japanese copy's anchor starts so too */
    static const char sql[] = "SELECT DISTINCT s.anchor FROM docs d JOIN sections s ON s.doc_id = d.id"
                              " JOIN anchors a ON a.section_id = s.id AND a.anchor >= ?2 AND a.anchor < ?2 || char(1114111)"
                              " WHERE " S_DOC_NAMED_SQL " AND (?3 IS NULL OR s.lang = ?3) ORDER BY s.ord";
    int n = S_names3(db, sql, doc, prefix, NULL, aName);
    if (n > 1 && o->lang) {
        char *aInLang[S_NAMES_SHOWN + 1];
        int nInLang = S_names3(db, sql, doc, prefix, o->lang, aInLang);
        if (nInLang < 0) {
            for (int i = 0; i < n; i++) free(aName[i]);
            return KB_EDB;
        }
        if (nInLang == 1) {
            for (int i = 0; i < n; i++) free(aName[i]);
            aName[0] = aInLang[0];
            n = 1;
        } else {
            for (int i = 0; i < nInLang; i++) free(aInLang[i]);
        }
    }
    int rc;
    if (n < 0) {
        rc = KB_EDB;
    } else if (n == 1) {
        rc = S_show_anchor(db, doc, aName[0], o, r);
        free(aName[0]);
    } else if (n == 0) {
        rc = kb_fail(KB_ENOTFOUND, _("no section %s in the index; list the sections with: kb-query --toc %s"), ref, doc);
    } else {
        char *docHash = kb_xasprintf("%s#", doc), *names = S_names_join(aName, n, docHash);
        rc = kb_fail(KB_ENOTFOUND, _("several sections start with %s; did you mean %s?"), ref, names);
        free(names);
        free(docHash);
    }
    return rc;
}

/* Whether name is a document's name as written (S_DOC_NAMED_SQL), not
 * the start of one (-1: the index cannot be read). */
static int S_doc_named(sqlite3 *db, const char *name) {
    char *aName[S_NAMES_SHOWN + 1];
    int n = S_names(db, "SELECT ?1 FROM docs d WHERE " S_DOC_NAMED_SQL " LIMIT 1", name, NULL, aName);
    for (int i = 0; i < n; i++) free(aName[i]);
    return n < 0 ? -1 : n > 0;
}

/* The last '#' of ref before `before`, or NULL. */
static const char *S_hash_before(const char *ref, const char *before) {
    while (before > ref)
        if (*--before == '#') return before;
    return NULL;
}

static int S_show_ref(sqlite3 *db, const char *ref, const kb_query_opts *asked, kb_results *r) {
    memset(r, 0, sizeof *r);
    kb_query_opts opts = S_usable_opts(db, asked);
    const kb_query_opts *o = &opts;
    /* A file name may hold a '#' ("c#sharp.md"), and so may an anchor
     * (<a name="#offlinesync">, printed "doc.md##offlinesync"): the
     * document is the longest part before a '#' that names one. An empty
     * anchor is a section under an empty heading ("### "), whose ref the
     * results print as "doc#". */
    const char *usage = _("expected DOC#ANCHOR, got '%s'; list a document's sections with --toc DOC");
    const char *hash = strrchr(ref, '#');
    if (!hash || hash == ref) return kb_fail(KB_EUSAGE, usage, ref);
    char *named = kb_xstrndup(ref, (size_t)(hash - ref)), *doc = NULL;
    int n = S_resolve_doc(db, named, &doc);
    int rc = n == 1 ? KB_OK : n < 0 ? KB_EDB : KB_ENOTFOUND;
    if (rc == KB_ENOTFOUND) {
        char *why = kb_xstrdup(kb_errmsg()); /* the longest name's: what the user most likely meant */
        for (const char *h = hash; rc == KB_ENOTFOUND && (h = S_hash_before(ref, h)) != NULL;) {
            char *shorter = kb_xstrndup(ref, (size_t)(h - ref));
            int isDoc = S_doc_named(db, shorter);
            if (isDoc < 0 || (isDoc && (n = S_resolve_doc(db, shorter, &doc)) < 0)) rc = KB_EDB;
            else if (isDoc && n == 1) hash = h, rc = KB_OK;
            free(shorter);
        }
        if (rc == KB_ENOTFOUND) kb_fail(KB_ENOTFOUND, "%s", why);
        free(why);
    }
    if (rc == KB_OK) rc = S_show_anchor(db, doc, hash + 1, o, r);
    if (rc == KB_OK && r->n == 0 && !hash[1]) rc = kb_fail(KB_EUSAGE, usage, ref);
    if (rc == KB_OK && r->n == 0) {
        char *full = kb_xasprintf("%s#%s", doc, hash + 1);
        rc = S_show_prefix(db, full, doc, hash + 1, o, r);
        free(full);
    }
    if (rc == KB_ENOTFOUND) r->note = kb_xstrdup(kb_errmsg());
    free(named);
    free(doc);
    return rc;
}

/* A ref as a link writes it may not be as the index holds it: escaped
 * ("sub%20dir/page%20one.md", "#50%25off"), or its anchor in capitals
 * ("#ContactPatchItem" for the heading's "contactpatchitem"). Each such
 * reading is tried in turn; the ref as given answers first, and its
 * message is the one kept when none does. */
int kb_search_show(sqlite3 *db, const char *ref, const kb_query_opts *asked, kb_results *r) {
    int rc = S_show_ref(db, ref, asked, r);
    if (rc != KB_ENOTFOUND) return rc;
    char *decoded = kb_url_decode(ref, strlen(ref));
    const char *aTry[2] = {decoded, NULL};
    char *lower = NULL, *hash = strrchr(decoded, '#');
    if (hash && hash[1]) {
        lower = kb_xstrdup(decoded);
        for (char *z = lower + (hash - decoded); *z; z++) *z = (char)tolower((unsigned char)*z);
        aTry[1] = lower;
    }
    for (int k = 0; k < 2 && rc == KB_ENOTFOUND; k++) {
        if (!aTry[k] || strcmp(aTry[k], k == 0 ? ref : decoded) == 0) continue;
        char *why = kb_xstrdup(kb_errmsg());
        kb_results again;
        int rcAgain = S_show_ref(db, aTry[k], asked, &again);
        if (rcAgain == KB_ENOTFOUND) {
            kb_results_free(&again);
            kb_fail(KB_ENOTFOUND, "%s", why);
        } else {
            kb_results_free(r);
            *r = again;
            rc = rcAgain;
        }
        free(why);
    }
    free(lower);
    free(decoded);
    return rc;
}

int kb_search_toc(sqlite3 *db, const char *named, const kb_query_opts *asked, kb_results *r) {
    memset(r, 0, sizeof *r);
    char *doc = NULL;
    int n = S_resolve_doc(db, named, &doc);
    if (n < 0) return KB_EDB;
    if (n != 1) {
        r->note = kb_xstrdup(kb_errmsg());
        return KB_ENOTFOUND;
    }
    kb_query_opts toc = S_usable_opts(db, asked);
    const kb_query_opts *o = &toc;
    toc.viewLabels = 0; /* a table of contents shows headings only */
    /* The copy as for --show, by the document's locale ("es-es", or a bare
     * "es" from --default-locale) since no section is chosen yet. */
    int rc = S_select_into(db,
                           "SELECT s.id FROM sections s WHERE s.doc_id = ("
                           "  SELECT d.id FROM docs d WHERE " S_DOC_NAMED_SQL
                           "  ORDER BY CASE WHEN ?4 THEN substr(d.locale || '-', 1, length(?3) + 1) <> ?3 || '-'"
                           "    ELSE d.path <> ?1 END,"
                           "  substr(d.locale || '-', 1, length(?3) + 1) <> ?3 || '-', d.path <> ?1, d.locale LIMIT 1)"
                           " ORDER BY s.ord",
                           doc, NULL, o->lang ? o->lang : "", o->langExplicit, &toc, 0, INT_MAX, r);
    /* A document with no section (a blank page): indexed, with none to list. */
    if (rc == KB_OK && r->n == 0) {
        rc = kb_fail(KB_ENOTFOUND, _("%s is in the index but has no section: its text is blank"), doc);
        r->note = kb_xstrdup(kb_errmsg());
    }
    free(doc);
    return rc;
}

void kb_results_free(kb_results *r) {
    for (int i = 0; i < r->n; i++) S_hit_clear(&r->a[i]);
    free(r->a);
    free(r->decoded);
    free(r->note);
    free(r->corrected);
    for (int i = 0; i < r->nTerm; i++) free(r->aTerm[i]);
    free(r->aTerm);
    for (int i = 0; i < r->nUnknown; i++) free(r->aUnknown[i]);
    free(r->aUnknown);
    memset(r, 0, sizeof *r);
}
