/* kb_search_state.h: what one search keeps while it runs, shared by the
 * modules that make up kb_search (kb_search.h).
 *
 * kb_search reads a question (kb_search_question.h), looks its error IDs up
 * (kb_search_errid.h), runs full-text passes (kb_search_pass.h, each a
 * query built by kb_search_match.h from the terms' counts,
 * kb_search_terms.h), searches the question in its docs' words too
 * (kb_search_reword.h), corrects or completes it (kb_search_relax.h) and
 * lists the words no section holds (kb_search_unknown.h) when the passes
 * find no section with every word, and turns the hits into a page
 * (kb_search_page.h). All of them work on one search_state: the index's
 * languages, the question's per-language counts, and the statements,
 * tokenizers and vocabularies each language needed so far, made when
 * first needed and released at the end (search_release_langs). */
#ifndef KB_SEARCH_STATE_H
#define KB_SEARCH_STATE_H

#include <sqlite3.h>

#include "kb_db.h"
#include "kb_pack.h"
#include "kb_qparse.h"
#include "kb_render.h"
#include "kb_search.h"
#include "kb_spell.h"
#include "kb_tok.h"
#include "kb_util.h"

/* Hits that match only some terms come after every hit matching all. */
#define KB_SCORE_PARTIAL_FACTOR 0.001

/* Sections in the user's language rank a little above other languages. */
#define KB_SCORE_LANG_FACTOR 1.3

/* The OR pass takes terms, rarest first, while together they occur in at
 * most this many sections of all the language tables (each one matched is
 * ranked). Known items on es-ES+zh-TW (1,800 questions) score the same
 * MRR@10 with 4000 as with 6000 (0.617, 0.616), while the 40 slowest bench
 * questions run 14% fewer instructions; at 3000 the long Chinese ones
 * start to lose (0.660 -> 0.651). */
#define KB_ANY_BUDGET 4000

/* The results whose words show a corrected question, on every page. */
#define KB_CORRECTION_PAGE 10

/* Statements a search runs once per hit or per term, prepared once per
 * search (search_sql). */
enum {
    SEARCH_SQL_KEY,
    SEARCH_SQL_BODY,
    SEARCH_SQL_COPY_IN_LANG,
    SEARCH_SQL_COPIES,
    SEARCH_SQL_SUBSECTIONS,
    SEARCH_SQL_TERM_DF,
    SEARCH_SQL_TERMS_FROM,
    SEARCH_SQL_LEXICON,
    SEARCH_SQL_COUNT
};

typedef struct search_stmts {
    sqlite3 *db;
    sqlite3_stmt *a[SEARCH_SQL_COUNT];
    kb_unpacker *unpacker;   /* created on the first view read */
    kb_labels labels;        /* what the views' label marks become: the UI language's when shown (JSON) */
    int rc;                  /* KB_EDB once a statement could not be prepared (search_sql) */
} search_stmts;

/* Statement `which` (SEARCH_SQL_*) of c, prepared on first use, reset and
 * unbound; NULL (c->rc KB_EDB) if it cannot be prepared. */
sqlite3_stmt *search_sql(search_stmts *c, int which);
void search_stmts_free(search_stmts *c);

/* The labels a result's text and remediation records are shown with: the
 * UI language's in JSON (o->viewLabels), else English, as indexed. */
kb_labels search_view_labels(const kb_query_opts *o);

/* The words a question excludes, as one FTS5 expression that matches a
 * section holding any of them; and a statement per language that asks it
 * of one section. */
typedef struct search_excluded {
    char *expr; /* NULL: the question excludes nothing */
    sqlite3_stmt *aStmt[KB_DB_MAX_LANGS];
} search_excluded;

typedef struct search_state search_state;

/* Reads q's excluded words (-word) into x; search_excluded_free releases it. */
void search_excluded_init(search_excluded *x, const kb_query *q);
void search_excluded_free(search_excluded *x);

/* Whether the section, of language lang, holds a word x excludes: an error
 * ID's sections had been shown whatever it excluded ("0x80070570 -backup"),
 * and so had a section's copy in the reader's language. */
int search_excluded_has(search_state *s, search_excluded *x, sqlite3_int64 section, const char *lang);

struct search_state {
    sqlite3 *db;
    const kb_query_opts *o;
    const char *prefLang;    /* the copy to show: o->lang, or the query's own language */
    const char *fallbackLang; /* ...where a section has no copy in prefLang: the other of the two */
    kb_results *r;
    char aLang[KB_DB_MAX_LANGS][8];
    double aBest[KB_DB_MAX_LANGS];  /* best score of a section with every term, per language */
    int bWordsLeftOut;           /* the pass running leaves words of the question out: not every term */
    int aAllRows[KB_DB_MAX_LANGS];  /* rows with every term one MATCH returned, per language */
    int aRows[KB_DB_MAX_LANGS];     /* sections per language */
    int aCopies[KB_DB_MAX_LANGS];   /* the most copies (locales) of one document per language */
    int aUnordered[KB_DB_MAX_LANGS]; /* its ids no longer in its documents' order (kb_search_match.c) */
    int aFilter[KB_DB_MAX_LANGS];   /* what the filters leave of its sections (SEARCH_ROWS_ALL...) */
    int nId;                     /* hits an error ID found, before any text pass */
    int idWords;                 /* ...and the question has words besides its IDs (kb_search_errid.c) */
    int pasted;                  /* the question was pasted, not typed (search_pasted) */
    int kanaTyped;               /* the question as typed has kana: Japanese, whatever its terms keep */
    int everyCopy;               /* each section's copies in every locale are shown (search_choose_language) */
    int rcRead;                  /* KB_EDB once a lookup's read failed (search_stepped) */
    const char *idLang;          /* the language whose ID hits are the reader's (search_errid_lookup) */
    kb_spell *aSpell[KB_DB_MAX_LANGS]; /* vocabulary per language, opened when needed */
    sqlite3_stmt *aMatch[KB_DB_MAX_LANGS]; /* MATCH statement per language, prepared when needed */
    sqlite3_stmt *aMatchWithin[KB_DB_MAX_LANGS]; /* ...keeping only the sections that match `within` too */
    const char *within;                 /* a MATCH expression every hit must also match, or NULL */
    int rankOnCommonWords;              /* the OR pass ranks its rows on words too common to select them */
    sqlite3_stmt *aCount[KB_DB_MAX_LANGS]; /* counts a term's sections per language, prepared when needed */
    kb_tok *aTok[KB_DB_MAX_LANGS];     /* query tokenizer per language, created when needed */
    kb_tok *enTok;                  /* ...and English's, for its word list (kb_search_relax.c) */
    int *aDf[KB_DB_MAX_LANGS];         /* each query term's document frequency per language, looked up when needed */
    int *aCost[KB_DB_MAX_LANGS];       /* ...the sections FTS5 walks to find it (search_term_df) */
    int *aDup[KB_DB_MAX_LANGS];        /* ...1 if an earlier term has the same tokens */
    kb_buf problems;                /* the 'problem' section set, when the question names a symptom */
    int favourProblems;             /* ...and the pass running favours it */
    kb_query reworded;              /* the question in its docs' words, when searched so (search_synonym_pass) */
    int bMainlandWords;          /* the question says mainland words, reworded in Taiwan's (kb_search_reword.c) */
    unsigned char aInTaiwanWords[KB_QPARSE_MAX_TERMS]; /* its terms wholly reworded so */
    kb_query completed;             /* the question with its last word's completion, when searched so */
    int nLang;
    search_stmts stmts;
    search_excluded excluded;       /* what the page may not show (search_finish) */
};

/* How a word of the question was changed, in aCorrected: a correction is a
 * stem, shown as the results write it (kb_search_relax.h); a code's part is
 * shown as the code writes it (kb_search_unknown.h). */
enum { SEARCH_KEPT = 0, SEARCH_CORRECTED = 1, SEARCH_SPLIT = 2 };

/* What --locale-only and --doc-prefix leave of a language's sections:
 * all of them, none, or those whose documents pass (each row is tested). */
enum { SEARCH_ROWS_ALL = 0, SEARCH_ROWS_NONE = 1, SEARCH_ROWS_FILTERED = 2 };

/* The index's languages that have sections into s: aLang, aRows, aCopies,
 * aUnordered, aFilter, nLang. */
int search_load_langs(search_state *s);

/* Language l's tokenizer and vocabulary, made when first asked for and
 * kept for the whole search (a Snowball stemmer is not free to create). */
kb_tok *search_tok(search_state *s, int l);
kb_spell *search_spell(search_state *s, int l);

/* What the search keeps per language, released; a read its spelling
 * lookups failed is kept in s->rcRead. */
void search_release_langs(search_state *s);

/* Forgets the counts of the query's terms (s->aDf, aCost, aDup), which
 * kb_search_terms.h looks up again: the terms changed. */
void search_forget_dfs(search_state *s);

/* Whether db's last error is FTS5's about a query, taken for "no result"
 * rather than for a damaged index. */
int search_fts_query_error(sqlite3 *db);

/* sqlite3_step for a lookup whose failure must not pass for "no row": it
 * is remembered in s->rcRead, which kb_search reports. Returns the step. */
int search_stepped(search_state *s, sqlite3_stmt *st);

/* The SQL that restricts rows of docs d to a locale ("es-es"), or to
 * every locale of a language ("es"), in parameter LOCALE, and to a
 * document subtree, named as stored ("es-es/backup-") or without its
 * locale folder ("backup-", every locale's), in PREFIX; shared by every
 * query, --show and --toc too. The path's prefix ignores ASCII case: a
 * locale folder written "zh-TW" on disk is "zh-tw" as a locale, and a
 * prefix from either finds it. */
#define SEARCH_FILTER_SQL(LOCALE, PREFIX)                                                                        \
    " AND (" LOCALE " IS NULL OR d.locale = " LOCALE " OR substr(d.locale, 1, length(" LOCALE ") + 1) = " LOCALE \
    " || '-') AND (" PREFIX " IS NULL OR lower(substr(d.path, 1, length(" PREFIX "))) = lower(" PREFIX ")"      \
    " OR substr(d.dkey, 1, length(" PREFIX ")) = " PREFIX ")"

/* SEARCH_FILTER_SQL of o->localeOnly (?2) and o->docPrefix (?3);
 * search_bind_filters binds them. */
extern const char search_filter_sql[];
void search_bind_filters(sqlite3_stmt *st, const kb_query_opts *o);

#endif
