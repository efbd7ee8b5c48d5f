/* kb_search_match.h: one full-text query of a question against the
 * language tables (fts_<lang>_idx), each matching row ranked by kb_rank.
 *
 * Which terms each table's MATCH holds: in KB_QALL every one but stop
 * words and symptoms (of a long question, its rarest); in KB_QANY the
 * rarest first while together they stay within a budget of sections, so
 * that common words never make a question rank most of the index; when no
 * section holds the whole question, its rows are ranked on its common
 * words too (s->rankOnCommonWords): FTS5 walks their lists for the rows
 * the rare words select, and ranks no row that holds common words alone.
 * What kb_rank is told of each term: its document frequency, an IDF floor
 * shared across languages, its OR group. A table that the terms table
 * shows cannot match is not opened. */
#ifndef KB_SEARCH_MATCH_H
#define KB_SEARCH_MATCH_H

#include "kb_search_state.h"

/* Which language tables a text query searches: every one, those where
 * sections with every term were found, or (>= 0) one alone. */
enum { SEARCH_EVERY_TABLE = -1, SEARCH_MATCHED_TABLES = -2 };

/* Runs the query, in mode KB_QALL or KB_QANY (budget: KB_QANY's, in
 * sections), against the language tables `tables` names, for the best
 * `want` sections, adding each row's score times factor to s->r. With
 * s->within set, only the rows that match that expression too. */
int search_text_query(search_state *s, const kb_query *q, int mode, long budget, double factor, int want,
                      int tables);

/* Rows a query keeps from language l's table to show `want` sections (a
 * document's copies in several locales of l fold into one hit). */
int search_table_pool(const search_state *s, int l, int want);

/* Term i's IDF in language l as kb_rank computes it (floored). */
double search_term_idf(search_state *s, int l, const kb_query *q, int i);

/* Whether a term of the query is so common in some language that the
 * KB_QALL query would search headings first. */
int search_too_common(search_state *s, const kb_query *q);

#endif
