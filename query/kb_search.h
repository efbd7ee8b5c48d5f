/* kb_search.h: a question -> ranked sections.
 *
 * Error IDs first: any ID-like token of the query (hex, HRESULT decimals,
 * Windows error names, symbolic codes, "Id.: N") is looked up exactly in the
 * error_ids table, and sections that define it rank above everything else;
 * but a number that many documents give as an ID ("HTTP 503"), typed with
 * other words, lets the words decide (kb_search_errid.h).
 * Then full text: the query is analysed in every indexed language (one FTS5
 * table per language; one whose vocabulary, the terms table, shows it
 * cannot match is not opened), sections matching all terms (of a long
 * question, its twelve rarest; a repeated word counts once) before sections
 * matching some (kb_search_pass.h, kb_search_match.h). User input never
 * reaches MATCH raw: every term is quoted, so FTS5 syntax in a query is
 * just text; pasted text (more than five words besides stop words) is
 * searched as written, its "-words" included and nothing corrected. A
 * question that names a symptom ("no puedo...", "falla", "無法") also finds
 * sections without the symptom's words, and favours sections about a
 * problem; "después" and "tras" need not be in a section at all
 * (kb_search_question.h). A typed question is also searched in its docs'
 * words ("backup" as "copia de seguridad", "conectar" as "conectar OR
 * conexión": kb_search_reword.h); a word no section holds is corrected,
 * and a last word still being typed completed (kb_search_relax.h), or
 * listed as unknown (kb_search_unknown.h). A question that says a section's heading word for
 * word opens with it. The same section in several locales is shown once,
 * in the reader's language or the question's own, else as found
 * (kb_search_page.h).
 *
 * kb_search.c runs those stages in turn on one search_state
 * (kb_search_state.h, which maps the modules); kb_search_show.c answers
 * --show and --toc. */
#ifndef KB_SEARCH_H
#define KB_SEARCH_H

#include <sqlite3.h>

#include "kb_errid.h"
#include "kb_view.h"

typedef struct kb_query_opts {
    const char *lang;        /* preferred language, "es" */
    int langExplicit;        /* lang was stated (--lang, or an environment that names one), not C's */
    int langAsked;           /* ...by --lang (or a serve request's "lang"), not the environment */
    int limit, offset;
    int allLocales;          /* list every locale's copy of a section */
    const char *localeOnly;  /* only this locale ("es-es"), or NULL */
    const char *docPrefix;   /* only documents under this path prefix, or NULL */
    int exact;               /* no typo correction, no prefix fallback, no synonyms */
    int full;                /* a section's Markdown includes its subsections */
    int viewLabels;          /* the views' text and remediation are shown (JSON): in the UI language's labels */
} kb_query_opts;

enum kb_match { KB_MATCH_TEXT = 0, KB_MATCH_ERRID };

typedef struct kb_hit {
    sqlite3_int64 id;        /* sections.id */
    double score;            /* higher is better: idScore + textScore */
    double idScore;          /* error-ID evidence (0 for text-only hits) */
    double textScore;        /* full-text evidence (best over languages and passes) */
    int match;               /* enum kb_match */
    char errid[KB_ERRID_KEY_MAX];
    char *doc, *anchor, *locale, *lang, *title, *heading, *breadcrumb;
    int level;               /* of its heading: 1-3 (0 for a document's text before any) */
    int ord;                 /* its place in its document (sections.ord) */
    char *dkey;              /* the document's path without its locale folder */
    char *skey;              /* dkey#anchor: the same section in every locale */
    kb_view view;            /* what is shown: Markdown, text, remediation, links */
} kb_hit;

typedef struct kb_results {
    kb_hit *a;
    int n, cap;
    int *aById;              /* a's positions + 1 by section id, 0 empty: search_hit_add's hash index */
    int nById;               /* its slots, a power of two (0: none yet) */
    char *decoded;           /* "0x80070570 = HRESULT_FROM_WIN32(...)", or NULL */
    char *corrected;         /* the query actually run after typo correction, or NULL */
    char *note;              /* --show, --toc: why nothing was found, what to try; or NULL */
    char **aTerm;            /* folded query terms, for highlighting */
    int nTerm;
    char **aUnknown;         /* words as typed that no section holds, when none has every word */
    int nUnknown;
    char **aCommon;          /* the question's words when every one is a stop word ("de la"): */
    int nCommon;             /* ...then nothing is searched */
    char *missingLang;       /* the language --lang asks for, or the question is written in, when the
                                index has no document in it ("en"); else NULL */
    char *indexLangs;        /* ...and then the languages it has: "es, zh" */
} kb_results;

/* How many questions a connection will answer. */
enum kb_search_use { KB_SEARCH_ONE_QUESTION = 0, KB_SEARCH_MANY_QUESTIONS };

/* Opens the index at path for searching: read-only (kb_db_open_read), with
 * the ranking function registered on the connection. A connection for one
 * question keeps a small page cache (use: enum kb_search_use). */
int kb_search_open(const char *path, int use, sqlite3 **pDb);

/* Runs a query on a connection from kb_search_open. KB_OK with r->n
 * possibly 0; KB_EDB if the database fails. (kb_search.c) */
int kb_search(sqlite3 *db, const char *query, const kb_query_opts *o, kb_results *r);

/* One section by reference "doc#anchor" (doc with or without its locale
 * folder), in o->lang when the index has that copy. KB_ENOTFOUND if none. */
int kb_search_show(sqlite3 *db, const char *ref, const kb_query_opts *o, kb_results *r);

/* Every section of a document, in order (for --toc). */
int kb_search_toc(sqlite3 *db, const char *doc, const kb_query_opts *o, kb_results *r);

/* What the full-text pass of a query that is nothing but this error key
 * finds (r->a[i].id and textScore; the best KB_ERRID_TEXT_POOL sections of
 * each language), for kb-index to store in error_text, where kb_search
 * reads it instead of searching. KB_ELIMIT when the key is too common a
 * term for the pass to be stored. The connection needs kb_rank
 * (kb_rank_register) and the index's terms table. (kb_search_errid.c) */
#define KB_ERRID_TEXT_POOL 50
int kb_search_errid_text(sqlite3 *db, const char *key, kb_results *r);

/* (kb_search_page.c) */
void kb_results_free(kb_results *r);

#endif
