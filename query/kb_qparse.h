/* kb_qparse.h: what the user typed -> terms, and terms -> FTS5 expressions.
 *
 * The only syntax is what a person expects from a search box: "quoted
 * phrases", -excluded words (not -106, a negative number), and OR between
 * alternatives. Everything else is literal text: each term is
 * double-quoted (quotes doubled) before it reaches MATCH, so `NEAR(`, `AND
 * OR`, `col:x`, `*` or an unbalanced quote can never produce an FTS5
 * syntax error. Terms with no word characters are dropped; at most
 * KB_QPARSE_MAX_TERMS are kept. */
#ifndef KB_QPARSE_H
#define KB_QPARSE_H

#define KB_QPARSE_MAX_TERMS 48
/* A term of more tokens (a phrase, a dotted name) is cut after this many. */
#define KB_QPARSE_MAX_TERM_TOKENS 32

typedef struct kb_qterm {
    char *text;       /* the term as typed, without quotes or '-' */
    char *typed;      /* the word as typed when the search completed it into text, else NULL */
    int phrase;       /* was quoted, or joined (kb_query_join) */
    int joined;       /* words the search made one phrase, not quoted by the user */
    int negated;      /* -word */
    int orWithNext;   /* "a OR b": a has orWithNext = 1 */
    int prefix;       /* match as a prefix (set by the search, never by the user) */
    int symptom;      /* part of a symptom: "no puedo", "falla" (set by the search) */
    int optional;     /* "después", "tras": need not be in a section (set by the search) */
    int from, to;     /* the bytes of the query it was typed as, with its '-' and quotes */
} kb_qterm;

typedef struct kb_query {
    kb_qterm *a;
    int n;
} kb_query;

enum kb_qmode {
    KB_QALL = 0,  /* every positive term (OR groups as alternatives) */
    KB_QANY       /* any positive term */
};

void kb_qparse(const char *text, kb_query *q);
void kb_query_free(kb_query *q);

/* keep[i] of a term that ranks the rows of a KB_QANY expression without
 * selecting any: a word too common to walk the rows of on its own. The
 * expression is then `(selecting) AND (selecting OR ranking-only)`, so
 * that each row FTS5 yields holds the positions of every kept term. */
#define KB_KEEP_RANKS 2

/* The FTS5 MATCH expression, malloc'd; NULL when the query has no positive
 * term. Only the terms with keep[i] != 0 are used when keep is non-NULL. */
char *kb_query_fts(const kb_query *q, int mode, const int *keep);

/* The phrases that open that expression only to select its rows, ranked
 * by none (0 unless a term is KB_KEEP_RANKS): the selecting terms, once
 * more. */
int kb_query_selecting_phrases(const kb_query *q, const int *keep);

/* kb_rank's slots argument for that expression: "s,s,...", one number per
 * phrase in the order FTS5 numbers them (the selecting copies, -1 each;
 * the kept positive terms; the excluded ones). The alternatives of an OR
 * group share a slot, as they stand for one word of the question; an
 * excluded term is -1. */
char *kb_query_slots(const kb_query *q, const int *keep);

/* The query written back as a user would type it (after corrections). */
char *kb_query_format(const kb_query *q);

/* Makes the plain words i..j (i <= j) of q one phrase term, as if they
 * had been quoted: "dominios de error" names one thing. The term is marked
 * joined. */
void kb_query_join(kb_query *q, int i, int j);

/* Number of positive (not negated) terms. */
int kb_query_positive(const kb_query *q);

/* 1 if term i is one of the alternatives of an OR group ("a OR b"). */
int kb_query_in_group(const kb_query *q, int i);

#endif
