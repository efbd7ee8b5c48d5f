/* kb_search_errid.h: the question's error IDs, looked up in the index.
 *
 * Every ID-like token of the question (kb_errid.h: hex, HRESULT decimals,
 * Windows error names, symbolic codes) is looked up exactly in the
 * error_ids table; a long symbolic key also as a prefix. The sections that
 * give it rank above every text hit, those that define it first, unless
 * the ID is shared by many documents and the question has other words,
 * which then decide. A question that is one ID alone reads the full-text
 * pass kb-index stored for it (error_text) instead of searching. */
#ifndef KB_SEARCH_ERRID_H
#define KB_SEARCH_ERRID_H

#include "kb_search_state.h"

/* Adds the sections of the IDs in query (q: its terms) to s->r, and
 * s->r->decoded for a hex code; sets s->idWords and s->idLang. */
int search_errid_lookup(search_state *s, const char *query, const kb_query *q);

/* The full-text pass of a question that is nothing but an ID found in the
 * lookup (nId: its hits), read from error_text into s->r. *pDone is 0 when
 * the stored rows cannot stand in for the pass (another question, a
 * filter, a deeper page, a key too common to store). */
int search_errid_text(search_state *s, const kb_query *q, int nId, int *pDone);

#endif
