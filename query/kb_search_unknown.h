/* kb_search_unknown.h: the question's words no section holds.
 *
 * Listed in the results (kb_results.aUnknown) when no section has every
 * word, so a reader or a bot sees why ("kubectl", "魔法咒語"). A code that
 * no section holds is often the tail of one that sections do
 * ("FsFreezeFailed" of "UserErrorFsFreezeFailed"): it is searched as the
 * parts kb-index cut the longer one into. */
#ifndef KB_SEARCH_UNKNOWN_H
#define KB_SEARCH_UNKNOWN_H

#include "kb_search_state.h"

/* Marks in aUnknown the words of q that no section of any language holds;
 * never stop words, exclusions, optional words, or mainland words the
 * docs hold in Taiwan's. */
void search_mark_unknown(search_state *s, const kb_query *q, int *aUnknown);

/* Each unknown code word whose parts the docs know, replaced in q by its
 * parts (aUnknown and aCorrected follow: SEARCH_SPLIT), and a dotted name
 * by its last part where some language knows it; a code no error ID
 * holds either goes to s->r->aUnknown whole. 1 if q changed. */
int search_split_codes(search_state *s, kb_query *q, int *aUnknown, int *aCorrected);

/* Each unknown CJK word of three or four characters, replaced in q by its
 * bigrams that some language knows, if any, and each known word of four
 * characters whose two halves some language knows, by those halves
 * (marked as search_split_codes marks parts). For a question no section
 * has every word of. 1 if q changed. */
int search_split_cjk_words(search_state *s, kb_query *q, int *aUnknown, int *aCorrected);

/* The marked words as typed into r->aUnknown, each once, without the
 * punctuation around them; a run of CJK bigrams as the text it was cut
 * from. */
void search_list_unknown(search_state *s, const kb_query *q, const int *aUnknown, kb_results *r);

#endif
