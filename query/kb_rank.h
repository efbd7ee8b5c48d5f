/* kb_rank.h: the ranking function, an FTS5 auxiliary function.
 *
 * kb_rank(fts, wHeading, wBreadcrumb, wErrtext, wBody) is BM25F over the
 * weighted columns (as FTS5's bm25()), multiplied by how much of the query
 * the row covers (IDF-weighted share of the query terms it contains,
 * squared: a section with all the terms beats one with a single rare term)
 * and by a proximity factor (query terms adjacent in order, as in a pasted
 * message). Higher is better. */
#ifndef KB_RANK_H
#define KB_RANK_H

#include <sqlite3.h>

int kb_rank_register(sqlite3 *db);

#endif
