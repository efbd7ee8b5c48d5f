/* kb_rank.c: see kb_rank.h. Modelled on fts5_aux.c's bm25 implementation. */
#include "kb_rank.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb_msg.h"
#include "kb_tok.h"
#include "kb_util.h"
#include <sqlite3.h> /* declares the FTS5 extension API too */

#define KB_RANK_COLUMNS 5
#define KB_RANK_PROXIMITY_WEIGHT 2.0
#define KB_RANK_ARG_LIMIT KB_RANK_COLUMNS        /* argument: rows the query keeps */
#define KB_RANK_ARG_DF (KB_RANK_COLUMNS + 1)     /* argument: "df,df,..." of the phrases */
#define KB_RANK_ARG_ANY (KB_RANK_COLUMNS + 2)    /* argument: 1 when a row need hold only some phrases */
#define KB_RANK_ARG_FLOOR (KB_RANK_COLUMNS + 3)  /* argument: "df,df,..." the least each phrase's IDF assumes */
#define KB_RANK_ARG_FAVOURED (KB_RANK_COLUMNS + 4) /* argument: bitmap of the rows to favour, by rowid */
#define KB_RANK_ARG_FAVOUR (KB_RANK_COLUMNS + 5)   /* argument: the factor their scores are multiplied by */
#define KB_RANK_ARG_SLOTS (KB_RANK_COLUMNS + 6)    /* argument: "s,s,..." each phrase's word of the question */
/* An OR query lists its phrases' rows when it has at least this many
 * phrases, and their rows number at most KB_RANK_MAX_LISTED. */
#define KB_RANK_MIN_LISTED 6
#define KB_RANK_MAX_LISTED 32768

/* Per-query data, computed for the first row and cached with xSetAuxdata. */
typedef struct S_query_stats {
    int nPhrase;
    /* The question's words: a phrase stands for one, or for none (an
     * excluded word, -1); the alternatives of an OR stand for the same. */
    int nSlot;
    int aSlot[KB_RANK_MAX_PHRASE];
    double aIdf[KB_RANK_MAX_PHRASE]; /* by slot */
    double idfTotal;
    uint64_t absent;     /* bit i: phrase i is in no row (its df is 0) */
    double aAvgLen[KB_RANK_COLUMNS]; /* average length in tokens of each column */
    double aWeight[KB_RANK_COLUMNS]; /* the column weights given */
    double *aTop;        /* min-heap of the best exact scores so far */
    int nTop, nTopCap;   /* nTopCap: the query's LIMIT (0: no pruning) */
    /* In an OR query, the rows of each listed phrase, ascending (S_list_rows). */
    uint64_t listed;     /* bit i: phrase i's rows are aRowid[aFrom[i] .. aFrom[i + 1]) */
    sqlite3_int64 *aRowid;
    int aFrom[KB_RANK_MAX_PHRASE + 1];
    int aNext[KB_RANK_MAX_PHRASE]; /* phrase i's first row not below the last row ranked */
    sqlite3_int64 lastRowid;
} S_stats;

static void S_stats_free(void *p) {
    S_stats *qs = p;
    sqlite3_free(qs->aRowid);
    sqlite3_free(qs);
}

static int S_count_rows_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

/* The next number of a "df0,df1,..." list; -1 once it runs out. */
static sqlite3_int64 S_next_df(const char **pz) {
    const char *z = *pz;
    if (!z || !*z) return -1;
    char *end = NULL;
    long long v = strtoll(z, &end, 10);
    if (end == z) {
        *pz = NULL;
        return -1;
    }
    *pz = *end == ',' ? end + 1 : end;
    return v;
}

typedef struct S_rows {
    sqlite3_int64 *a;
    int n, cap;
    int bCut; /* more rows than the document frequency said: the list is incomplete */
} S_rows;

static int S_add_row_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
    S_rows *r = ctx;
    if (r->n == r->cap) {
        r->bCut = 1;
        return SQLITE_DONE; /* stops the walk; xQueryPhrase returns SQLITE_OK */
    }
    r->a[r->n++] = api->xRowid(fts);
    return SQLITE_OK;
}

/* An OR query ranks rows that hold one or two of its phrases, and asking
 * FTS5 for each phrase's positions in each row (117 instructions when the
 * phrase is not there) cost a pasted question 65,000 calls for 3,100 rows:
 * a third of its instructions. So the rows of each phrase are listed once,
 * one walk of its doclist, and a row then asks only about the phrases it
 * holds. Lists only one-token phrases whose document frequency is known,
 * when the query has enough of them and their rows are not too many; any
 * other phrase is asked about in every row. */
static int S_list_rows(const Fts5ExtensionApi *api, Fts5Context *fts, S_stats *qs, const sqlite3_int64 *aDf) {
    /* A phrase of several tokens ("2.1": "2" "1") would walk their long
     * lists once more for a few rows: not listed. */
    uint64_t listable = 0;
    int nListable = 0;
    sqlite3_int64 total = 0;
    for (int i = 0; i < qs->nPhrase && i < 64; i++)
        if (aDf[i] > 0 && api->xPhraseSize(fts, i) == 1) {
            listable |= 1ULL << i;
            nListable++;
            total += aDf[i];
        }
    if (nListable < KB_RANK_MIN_LISTED || total > KB_RANK_MAX_LISTED) return SQLITE_OK;
    qs->aRowid = sqlite3_malloc64((sqlite3_uint64)total * sizeof *qs->aRowid);
    if (!qs->aRowid) return SQLITE_NOMEM;
    int rc = SQLITE_OK, n = 0;
    for (int i = 0; rc == SQLITE_OK && i < qs->nPhrase; i++) {
        qs->aFrom[i] = n;
        if (!(listable >> i & 1)) continue;
        S_rows r = {qs->aRowid + n, 0, (int)aDf[i], 0};
        rc = api->xQueryPhrase(fts, i, &r, S_add_row_cb);
        /* a list cut short would hide rows: such a phrase is asked about */
        if (rc == SQLITE_OK && !r.bCut) qs->listed |= 1ULL << i;
        n += r.n;
    }
    qs->aFrom[qs->nPhrase] = n;
    memcpy(qs->aNext, qs->aFrom, sizeof qs->aNext);
    qs->lastRowid = LLONG_MIN;
    return rc;
}

/* The listed phrases that do not occur in the row: one bit each. Each
 * list's cursor moves up to the row (rows come in rowid order; if not,
 * the cursors start over). */
static uint64_t S_listed_not_in_row(S_stats *qs, sqlite3_int64 rowid) {
    if (rowid < qs->lastRowid) memcpy(qs->aNext, qs->aFrom, sizeof qs->aNext);
    qs->lastRowid = rowid;
    uint64_t notIn = 0;
    for (uint64_t m = qs->listed; m; m &= m - 1) {
        int i = __builtin_ctzll(m), k = qs->aNext[i], end = qs->aFrom[i + 1];
        while (k < end && qs->aRowid[k] < rowid) k++;
        qs->aNext[i] = k;
        if (k == end || qs->aRowid[k] != rowid) notIn |= 1ULL << i;
    }
    return notIn;
}

/* Each phrase's slot, from the slots argument ("s,s,..."; NULL: each
 * phrase a word of its own). The slots of the words must run 0, 1, 2...
 * in phrase order, alternatives side by side, for S_score to meet each
 * word's phrases in a row; a number that breaks that order starts a word
 * of its own. */
static void S_read_slots(S_stats *qs, const char *z) {
    int last = -1;
    for (int i = 0; i < qs->nPhrase; i++) {
        int v = last + 1; /* a word of its own */
        if (z && *z) {
            char *end;
            long given = strtol(z, &end, 10);
            if (end == z) {
                z = NULL;
            } else {
                z = *end == ',' ? end + 1 : end;
                if (given == -1 || (given >= 0 && (given == last || given == last + 1))) v = (int)given;
            }
        }
        qs->aSlot[i] = v;
        if (v >= 0) last = v;
    }
    qs->nSlot = last + 1;
}

/* The argument after the limit, when given, lists each phrase's document
 * frequency (-1: unknown); known ones spare a walk of the phrase's whole
 * doclist, which is what a common term costs. */
static int S_query_stats(const Fts5ExtensionApi *api, Fts5Context *fts, int nVal, sqlite3_value **apVal,
                         S_stats **pStats) {
    S_stats *qs = api->xGetAuxdata(fts, 0);
    if (qs) {
        *pStats = qs;
        return SQLITE_OK;
    }
    int nTopCap = KB_RANK_ARG_LIMIT < nVal ? sqlite3_value_int(apVal[KB_RANK_ARG_LIMIT]) : 0;
    if (nTopCap < 0 || nTopCap > 4096) nTopCap = 0;
    /* The heap lives in the same allocation, freed with it by FTS5. */
    qs = sqlite3_malloc((int)(sizeof *qs + (size_t)nTopCap * sizeof(double)));
    if (!qs) return SQLITE_NOMEM;
    memset(qs, 0, sizeof *qs);
    qs->aTop = (double *)(qs + 1);
    qs->nTopCap = nTopCap;
    for (int c = 0; c < KB_RANK_COLUMNS; c++) qs->aWeight[c] = c < nVal ? sqlite3_value_double(apVal[c]) : 1.0;
    sqlite3_int64 nRow = 0;
    int rc = api->xRowCount(fts, &nRow);
    for (int c = 0; rc == SQLITE_OK && c < KB_RANK_COLUMNS && c < api->xColumnCount(fts); c++) {
        sqlite3_int64 nToken = 0;
        rc = api->xColumnTotalSize(fts, c, &nToken);
        qs->aAvgLen[c] = nRow > 0 && nToken > 0 ? (double)nToken / (double)nRow : 1.0;
    }
    qs->nPhrase = api->xPhraseCount(fts);
    if (qs->nPhrase > KB_RANK_MAX_PHRASE) qs->nPhrase = KB_RANK_MAX_PHRASE;
    const char *zDf = KB_RANK_ARG_DF < nVal && sqlite3_value_type(apVal[KB_RANK_ARG_DF]) == SQLITE_TEXT
                          ? (const char *)sqlite3_value_text(apVal[KB_RANK_ARG_DF])
                          : NULL;
    const char *zFloor = KB_RANK_ARG_FLOOR < nVal && sqlite3_value_type(apVal[KB_RANK_ARG_FLOOR]) == SQLITE_TEXT
                             ? (const char *)sqlite3_value_text(apVal[KB_RANK_ARG_FLOOR])
                             : NULL;
    S_read_slots(qs, KB_RANK_ARG_SLOTS < nVal && sqlite3_value_type(apVal[KB_RANK_ARG_SLOTS]) == SQLITE_TEXT
                         ? (const char *)sqlite3_value_text(apVal[KB_RANK_ARG_SLOTS])
                         : NULL);
    sqlite3_int64 aDf[KB_RANK_MAX_PHRASE], aSlotDf[KB_RANK_MAX_PHRASE] = {0};
    for (int i = 0; rc == SQLITE_OK && i < qs->nPhrase; i++) {
        sqlite3_int64 nHit = aDf[i] = S_next_df(&zDf);
        sqlite3_int64 floor = S_next_df(&zFloor);
        /* A phrase no row is ranked on (an excluded word; a copy that only
         * selects rows) is never looked for: counting it walked its list. */
        if (qs->aSlot[i] < 0) {
            if (i < 64) qs->absent |= 1ULL << i;
            aDf[i] = 0;
            continue;
        }
        if (nHit < 0) {
            nHit = 0;
            rc = api->xQueryPhrase(fts, i, &nHit, S_count_rows_cb);
        }
        if (nHit == 0 && i < 64) qs->absent |= 1ULL << i;
        if (floor > nHit) nHit = floor;
        /* A word's alternatives weigh as one term as common as the
         * commonest of them (Lucene's SynonymQuery does the same), so a
         * section is not worth more for holding two spellings of a word. */
        int slot = qs->aSlot[i];
        if (slot >= 0 && nHit > aSlotDf[slot]) aSlotDf[slot] = nHit;
    }
    for (int k = 0; k < qs->nSlot; k++) {
        /* BM25 IDF, floored so very common terms still count a little. */
        double idf = log(((double)nRow - (double)aSlotDf[k] + 0.5) / ((double)aSlotDf[k] + 0.5));
        if (idf <= 1e-6) idf = 1e-6;
        qs->aIdf[k] = idf;
        qs->idfTotal += idf;
    }
    int bAny = KB_RANK_ARG_ANY < nVal && sqlite3_value_int(apVal[KB_RANK_ARG_ANY]) == 1;
    if (rc == SQLITE_OK && bAny) rc = S_list_rows(api, fts, qs, aDf);
    if (rc != SQLITE_OK) {
        S_stats_free(qs);
        return rc;
    }
    /* When this fails (out of memory), some SQLite versions free qs
     * themselves and others do not: a leak then, rather than a double free. */
    rc = api->xSetAuxdata(fts, qs, S_stats_free);
    if (rc != SQLITE_OK) return rc;
    *pStats = qs;
    return SQLITE_OK;
}

/* Top-K bookkeeping: a row whose best possible score cannot beat the K-th
 * best exact score seen so far will not be returned, so its column lengths
 * (one docsize lookup per row, the dearest part) are never read. */
static int S_cannot_win(const S_stats *qs, double upperBound) {
    return qs->nTop == qs->nTopCap && qs->nTopCap > 0 && upperBound < qs->aTop[0];
}

static void S_top_push(S_stats *qs, double score) {
    if (qs->nTopCap == 0) return;
    if (qs->nTop < qs->nTopCap) { /* sift up */
        int i = qs->nTop++;
        while (i > 0 && qs->aTop[(i - 1) / 2] > score) {
            qs->aTop[i] = qs->aTop[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        qs->aTop[i] = score;
        return;
    }
    if (score <= qs->aTop[0]) return;
    int i = 0; /* replace the minimum, sift down */
    for (;;) {
        int c = 2 * i + 1;
        if (c >= qs->nTop) break;
        if (c + 1 < qs->nTop && qs->aTop[c + 1] < qs->aTop[c]) c++;
        if (qs->aTop[c] >= score) break;
        qs->aTop[i] = qs->aTop[c];
        i = c;
    }
    qs->aTop[i] = score;
}

/* A phrase position as one sortable number: column, then offset. */
static int64_t S_pos(int iCol, int iOff) { return (int64_t)iCol << 32 | (uint32_t)iOff; }

/* 1 if phrase b occurs in the same column as phrase a, at most two tokens
 * after it (colocated tokens share a position): a merge of the two
 * position lists, which FTS5 keeps sorted. */
static int S_adjacent(const Fts5ExtensionApi *api, Fts5Context *fts, int a, int b) {
    Fts5PhraseIter itA, itB;
    int colA, offA, colB, offB;
    api->xPhraseFirst(fts, a, &itA, &colA, &offA);
    api->xPhraseFirst(fts, b, &itB, &colB, &offB);
    while (colA >= 0 && colB >= 0) {
        int64_t p = S_pos(colA, offA), q = S_pos(colB, offB);
        if (p + 2 < q) api->xPhraseNext(fts, &itA, &colA, &offA);
        else if (q < p) api->xPhraseNext(fts, &itB, &colB, &offB);
        else return 1;
    }
    return 0;
}

/* Each present phrase's frequency: its columns' counts, each times its
 * column's weight and length normalization. */
_Static_assert(KB_RANK_COLUMNS == 5, "S_weigh sums five columns");
static void S_weigh(int aTf[][KB_RANK_COLUMNS], const int *aPresent, int nPresent, const double *aNorm,
                    double *aFreq) {
    for (int k = 0; k < nPresent; k++) {
        const int *tf = aTf[aPresent[k]];
        aFreq[aPresent[k]] =
            tf[0] * aNorm[0] + tf[1] * aNorm[1] + tf[2] * aNorm[2] + tf[3] * aNorm[3] + tf[4] * aNorm[4];
    }
}

/* BM25 over the words of the phrases present (aPresent, nPresent, in
 * phrase order), a word's frequency the sum of its alternatives'
 * weighted frequencies; proximity; coverage. */
static double S_score(const S_stats *qs, const int *aPresent, int nPresent, const double *aFreq,
                      uint64_t adjacentSlots) {
    const double k1 = 1.2;
    double bm25 = 0, covered = 0, freq = 0;
    int slot = -1;
    for (int k = 0; k <= nPresent; k++) {
        int next = k < nPresent ? qs->aSlot[aPresent[k]] : -1;
        if (next != slot && slot >= 0) { /* the word `slot` ends */
            covered += qs->aIdf[slot];
            bm25 += qs->aIdf[slot] * (freq * (k1 + 1)) / (freq + k1);
            freq = 0;
        }
        slot = next;
        if (slot >= 0) freq += aFreq[aPresent[k]];
    }
    double coverage = qs->idfTotal > 0 ? covered / qs->idfTotal : 1.0;
    /* Query neighbours written next to each other, as in a pasted message or
     * a set phrase ("estado transitorio"), count like an extra term of
     * their own, as informative as the pair's rarer half. */
    double proximity = 0;
    for (int k = 1; k < qs->nSlot && k < 64; k++)
        if (adjacentSlots & (1ULL << k)) proximity += qs->aIdf[k] > qs->aIdf[k - 1] ? qs->aIdf[k] : qs->aIdf[k - 1];
    return (bm25 + KB_RANK_PROXIMITY_WEIGHT * proximity) * coverage;
}

/* Neighbouring words of the question (slot k-1, slot k) found next to
 * each other, in order, through any of their alternatives present: one
 * bit per pair. */
static uint64_t S_adjacent_slots(const Fts5ExtensionApi *api, Fts5Context *fts, const S_stats *qs,
                                 const int *aPresent, int nPresent) {
    uint64_t adjacent = 0;
    for (int k = 1; k < nPresent; k++) {
        int b = aPresent[k], slot = qs->aSlot[b];
        if (slot <= 0 || slot >= 64 || (adjacent >> slot & 1)) continue;
        for (int j = k - 1; j >= 0 && qs->aSlot[aPresent[j]] >= slot - 1; j--)
            if (qs->aSlot[aPresent[j]] == slot - 1 && S_adjacent(api, fts, aPresent[j], b)) {
                adjacent |= 1ULL << slot;
                break;
            }
    }
    return adjacent;
}

/* The factor of the row's score: the favour argument when the row is in
 * the favoured bitmap, else 1. Read per row from the arguments, which
 * SQLite hands over without copying the bound bitmap. */
static double S_favour(const Fts5ExtensionApi *api, Fts5Context *fts, int nVal, sqlite3_value **apVal) {
    if (KB_RANK_ARG_FAVOUR >= nVal) return 1.0;
    double factor = sqlite3_value_double(apVal[KB_RANK_ARG_FAVOUR]);
    if (!(factor > 0) || factor == 1.0) return 1.0;
    const unsigned char *bits = sqlite3_value_blob(apVal[KB_RANK_ARG_FAVOURED]);
    sqlite3_int64 n = sqlite3_value_bytes(apVal[KB_RANK_ARG_FAVOURED]), rowid = api->xRowid(fts);
    int in = bits && rowid >= 0 && rowid / 8 < n && (bits[rowid / 8] >> (rowid % 8) & 1);
    return in ? factor : 1.0;
}

static void S_kb_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal,
                      sqlite3_value **apVal) {
    S_stats *qs = NULL;
    int rc = S_query_stats(api, fts, nVal, apVal, &qs);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }

    /* Each phrase's frequency per column, read from its own position list:
     * FTS5's instance array (xInst) merges every phrase's list for every
     * row, which for a question of twenty CJK bigrams cost more than the
     * rest of the query. */
    int aTf[KB_RANK_MAX_PHRASE][KB_RANK_COLUMNS];
    int aLenAtLeast[KB_RANK_COLUMNS] = {0}; /* a column is longer than its last match's offset */
    int aPresent[KB_RANK_MAX_PHRASE], nPresent = 0;
    uint64_t skip = qs->absent | (qs->listed ? S_listed_not_in_row(qs, api->xRowid(fts)) : 0);
    for (int i = 0; i < qs->nPhrase; i++) {
        if (i < 64 && (skip >> i & 1)) continue; /* its positions would be looked up for nothing */
        Fts5PhraseIter it;
        int iCol, iOff;
        rc = api->xPhraseFirst(fts, i, &it, &iCol, &iOff);
        if (rc != SQLITE_OK) {
            sqlite3_result_error_code(ctx, rc);
            return;
        }
        if (iCol < 0) continue;
        memset(aTf[i], 0, sizeof aTf[i]);
        for (; iCol >= 0; api->xPhraseNext(fts, &it, &iCol, &iOff))
            if (iCol < KB_RANK_COLUMNS) {
                aTf[i][iCol]++;
                if (iOff >= aLenAtLeast[iCol]) aLenAtLeast[iCol] = iOff + 1;
            }
        aPresent[nPresent++] = i;
    }
    uint64_t adjacentSlots = S_adjacent_slots(api, fts, qs, aPresent, nPresent);

    /* BM25F: each column's term frequency is normalized by that column's
     * length before the columns are weighted and summed, so a heading match
     * counts fully however long the body under it is. A column holds at
     * least as many tokens as its last match's offset + 1 (FTS5 counts a
     * column's positions): normalizing with that length bounds the score
     * from above, and the bound is tight enough that most rows of a
     * common term never have their lengths read. */
    const double b = 0.75;
    double aNorm[KB_RANK_COLUMNS], aFreq[KB_RANK_MAX_PHRASE];
    for (int c = 0; c < KB_RANK_COLUMNS; c++)
        aNorm[c] = qs->aWeight[c] / (1 - b + b * (double)aLenAtLeast[c] / qs->aAvgLen[c]);
    S_weigh(aTf, aPresent, nPresent, aNorm, aFreq);
    double favour = S_favour(api, fts, nVal, apVal);
    if (S_cannot_win(qs, favour * S_score(qs, aPresent, nPresent, aFreq, adjacentSlots))) {
        sqlite3_result_double(ctx, 0);
        return;
    }
    for (int c = 0; c < KB_RANK_COLUMNS; c++) {
        int len = 0;
        if (c < api->xColumnCount(fts) && api->xColumnSize(fts, c, &len) != SQLITE_OK) len = 0;
        aNorm[c] = qs->aWeight[c] / (1 - b + b * (double)len / qs->aAvgLen[c]);
    }
    S_weigh(aTf, aPresent, nPresent, aNorm, aFreq);
    double score = favour * S_score(qs, aPresent, nPresent, aFreq, adjacentSlots);
    S_top_push(qs, score);
    sqlite3_result_double(ctx, score);
}

int kb_rank_register(sqlite3 *db) {
    fts5_api *api = kb_tok_fts5_api(db);
    if (!api) return kb_fail(KB_EDB, "%s", _("this SQLite has no FTS5"));
    if (api->xCreateFunction(api, "kb_rank", NULL, S_kb_rank, NULL) != SQLITE_OK)
        return kb_fail(KB_EDB, "%s", _("cannot register the ranking function"));
    return KB_OK;
}
