/* kb_rank.h: the ranking function, an FTS5 auxiliary function.
 *
 * kb_rank(fts, wBody, wHeading, wBreadcrumb, wErrtext, wAnchor [, limit [, 'df0,df1,...' [, any
 *         [, 'floor0,floor1,...' [, favoured, favour [, 'slot0,slot1,...']]]]]]) is
 *
 *     (BM25F + 2 * proximity) * coverage [* favour]
 *
 * BM25F: each column's term frequency normalized by that column's length,
 * then weighted and saturated, so a heading match counts fully however long
 * the body is. proximity: for each pair of neighbouring query terms that
 * also stand next to each other in the section (a pasted message, a set
 * phrase), the IDF of the pair's rarer half. coverage: the IDF-weighted
 * share of the query's terms the section contains, so a section with most
 * of the words beats one with a single rare word. Higher is better.
 *
 * A term is a word of the question: the slots argument gives each phrase
 * its word (kb_query_slots), and the alternatives of "a OR b" are one word,
 * weighed as the commonest of them, their frequencies added up. A section
 * holding either covers the word; holding both covers it no better.
 * Without slots each phrase is a word of its own. A phrase of slot -1 (an
 * excluded word; a copy that only selects rows, KB_KEEP_RANKS in
 * kb_qparse.h) is no word: never looked for, nor counted.
 *
 * The search runs sections with every term before sections with some, so
 * coverage matters most for long questions, where no section has them all.
 * The proximity weight and the linear coverage were chosen on the dev set
 * from a plateau (coverage exponent 0.75-1, weight 1.5-3 give the same
 * figures), not from a single best point.
 *
 * limit is the query's LIMIT: a row whose best possible score (each
 * column's length taken as its last match's offset + 1, the least it can
 * be) cannot enter the best `limit` seen so far gets 0 without its lengths
 * being read. The 'df0,df1,...' list (the sixth argument) gives each
 * phrase's document frequency (-1 when unknown), so common terms need not
 * be counted row by row; it is one text, as are the floors and the slots,
 * so that one prepared statement serves queries of any number of terms. any = 1 says the query is an OR of its terms: most rows hold few
 * of them, and the function then lists each term's rows once rather than
 * ask, in every row, about every term (the scores are the same). The
 * floors are the least document frequency each phrase's IDF assumes (0:
 * its own): a search over several language tables gives a word the
 * frequency it has where it is commonest, so that scores of two tables
 * compare (kb_search_match.c). favoured is a bitmap by rowid (bit i of byte
 * i / 8), favour a factor: a row in the bitmap scores favour times as much
 * (kb_search_match.c favours sections about a problem when the question names a
 * symptom). */
#ifndef KB_RANK_H
#define KB_RANK_H

/* The phrases of an expression kb_rank ranks on: those past it are not
 * looked at. */
#define KB_RANK_MAX_PHRASE 64

#include <sqlite3.h>

int kb_rank_register(sqlite3 *db);

#endif
