/* kb_search_pass.h: the full-text passes kb_search runs in turn.
 *
 * First the sections with every word (search_all_pass); when those are
 * too few, the sections with some (search_any_pass, the OR pass), ranked
 * below them. For a question no section answers whole, the sections with
 * every code it names come before the OR pass (search_code_pass), and
 * those with every word the docs know after it (search_known_words_pass).
 * A question that names a symptom, or has optional words, is also
 * searched as typed (search_literal_pass). Each pass adds hits to s->r. */
#ifndef KB_SEARCH_PASS_H
#define KB_SEARCH_PASS_H

#include "kb_search_state.h"

/* The sections a pass looks for: the page and those before it, more when
 * an error ID found sections (each then adds the text score it gets). */
int search_want(const search_state *s);

/* Sections with every term, in the language tables `tables` names
 * (SEARCH_EVERY_TABLE...). *pnAll receives the hits found. */
int search_all_pass(search_state *s, const kb_query *q, int tables, int *pnAll);

/* Sections with some terms, if the passes so far found fewer than the page
 * and the question has two terms or more; nAll: the sections with every
 * term found (the pass then only fills the page, in their languages). */
int search_any_pass(search_state *s, const kb_query *q, int nAll);

/* When no section has every word of the question: each language's
 * sections with every word it knows, ranked as the share of the
 * question's IDF those words hold. */
int search_known_words_pass(search_state *s, kb_query *q);

/* When no section has every word: the sections that hold every code the
 * question names ("AuthorizationFailed"), ranked on all its words, unless
 * the question is in a language the docs shown have. */
int search_code_pass(search_state *s, const kb_query *q);

/* Sections with every word of q, its symptoms and optional words
 * included, in `tables`, none favoured. */
int search_as_typed_pass(search_state *s, kb_query *q, int tables, int *pnAll);

/* The question parsed again as typed (pasted: no word an exclusion) and
 * searched so (search_as_typed_pass): a section that says the symptom in
 * so many words stays a candidate. */
int search_literal_pass(search_state *s, const char *query, int pasted, int *pnAll);

#endif
