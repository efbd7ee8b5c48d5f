/* kb_search_page.h: hits, and the page of results made of them.
 *
 * A hit is a section some pass found, with its evidence (search_hit_add:
 * error-ID and text scores add up). The page sorts them, shows each
 * section once, in the preferred language's copy when the index has one
 * (with --all-locales, each copy after it), skips the offset, and reads
 * what is shown (title, heading, the stored view) for the hits on it
 * alone. kb_results_free (kb_search.h) is here too. */
#ifndef KB_SEARCH_PAGE_H
#define KB_SEARCH_PAGE_H

#include "kb_search_state.h"

/* Adds evidence for a section to r: error-ID and text evidence add up (an
 * ID hit that also matches the question's words ranks above one that does
 * not); evidence of one kind keeps its best value. Returns the hit. */
kb_hit *search_hit_add(kb_results *r, sqlite3_int64 id, double score, int match);

/* Whether an error ID found the section. */
int search_hit_has_id(kb_results *r, sqlite3_int64 id);

/* Reads where a hit lives (doc, anchor, locale, language, section key);
 * and that, then what is shown of it (full: with its subsections). */
int search_load_key(search_stmts *c, kb_hit *h);
int search_load_hit(search_stmts *c, kb_hit *h, int full);

/* Frees what a hit holds. */
void search_hit_clear(kb_hit *h);

/* Turns s->r's hits into the page s->o asks for, read to be shown. */
int search_finish(search_state *s);

/* The words a result shows as matches into r: q's, and those of the other
 * questions searched for it (aAlso: its rewording, its completion). */
void search_collect_terms(const kb_query *q, const kb_query *const *aAlso, int nAlso, kb_results *r);

#endif
