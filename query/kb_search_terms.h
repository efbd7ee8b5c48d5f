/* kb_search_terms.h: the question's terms as the index sees them.
 *
 * How many sections of each language hold a term, read from the index's
 * terms table (every indexed token with its document frequency) once per
 * search and kept in search_state (aDf, aCost, aDup) until the terms
 * change (search_forget_dfs); and what kind of word a term is (a stop
 * word, CJK text, kana), which every stage of a search asks. */
#ifndef KB_SEARCH_TERMS_H
#define KB_SEARCH_TERMS_H

#include "kb_search_state.h"

/* In how many sections of language l a term occurs (tokenized by t): 0
 * when no section can match it, -1 when unknown (a phrase the user quoted,
 * a prefix, a failed read), which kb_rank then counts itself. *pCost is
 * what finding it costs FTS5 (the sections of its rarest token, 0
 * unknown); *pKey its tokens, to free (NULL for none or a prefix). */
int search_term_df(search_state *s, int l, kb_tok *t, const kb_qterm *term, int *pCost, char **pKey);

/* Each term's document frequency in language l (search_term_df), what it
 * costs to find, and whether it repeats an earlier term, into s->aDf[l],
 * s->aCost[l] and s->aDup[l]; looked up once per search. */
void search_term_stats(search_state *s, int l, const kb_query *q);

/* s->aDf[l], looked up first if need be (search_term_stats). */
int *search_term_dfs(search_state *s, int l, const kb_query *q);

/* The sections of language l that hold token tok (0 if none or unread). */
long search_token_df(search_state *s, int l, const char *tok);

/* How many sections hold character z as a token of its own, in every
 * language; how many, at most, hold a token that starts with it. z is
 * read as each language's questions are ("網" is "网" in Chinese). */
sqlite3_int64 search_char_df(search_state *s, const char *z);
sqlite3_int64 search_char_prefix_df(search_state *s, const char *z);

/* Whether any language's index has the query's word i, as that language reads it. */
int search_known_anywhere(search_state *s, const kb_query *q, int i);

/* How many of the question's words, stop words included, some section of
 * language l holds. */
int search_known_words(search_state *s, int l, const kb_query *q);

/* Whether z is a stop word of an index language, or of English, which
 * error messages and commands are mostly written in. */
int search_any_stopword(const search_state *s, const char *z);

/* A word without the quotes and sentence punctuation around it
 * ("'janedo@contoso.com'", "kubectl,", "(0x80070005)."): its start, its
 * length in *pn; the word itself if nothing else is left. */
const char *search_strip_around(const char *z, size_t *pn);

/* The code a word of the question names, into out (cap bytes): the word
 * ("AuthorizationFailed:") or the last part of a dotted name, punctuation
 * aside; CamelCase, 8 characters or more. 0 if it names none. */
int search_code_of(const char *z, char *out, size_t cap);

/* Whether a term holds Han, kana or Hangul (a CJK bigram, not a word a
 * reader typed); whether any positive term of q does; whether a term
 * holds kana (Japanese, not Chinese). */
int search_cjk_term(const char *z);
int search_any_cjk_term(const kb_query *q);
int search_kana_term(const char *z);

/* The length of z's first character (UTF-8). */
size_t search_first_char_len(const char *z);

/* Whether CJK bigram b follows a in the text they were cut from: "料库"
 * after "资料". */
int search_bigram_follows(const kb_qterm *a, const kb_qterm *b);

#endif
