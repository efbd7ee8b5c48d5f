/* kb_rank.c: see kb_rank.h. Modelled on fts5_aux.c's bm25 implementation. */
#include "kb_rank.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kb_msg.h"
#include "kb_util.h"
#include <sqlite3.h> /* declares the FTS5 extension API too */

#define KB_RANK_MAX_PHRASE 64
#define KB_RANK_COLUMNS 4
#define KB_RANK_PROXIMITY_WEIGHT 2.0

/* Per-query data, computed for the first row and cached with xSetAuxdata. */
typedef struct S_query_stats {
    int nPhrase;
    double aIdf[KB_RANK_MAX_PHRASE];
    double idfTotal;
    double aAvgLen[KB_RANK_COLUMNS]; /* average length in tokens of each column */
} S_stats;

static int S_count_rows_cb(const Fts5ExtensionApi *api, Fts5Context *fts, void *ctx) {
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)ctx)++;
    return SQLITE_OK;
}

/* Arguments after the column weights, when given, are each phrase's
 * document frequency (-1: unknown); known ones spare a walk of the phrase's
 * whole doclist, which is what a common term costs. */
static int S_query_stats(const Fts5ExtensionApi *api, Fts5Context *fts, int nVal, sqlite3_value **apVal,
                         S_stats **pStats) {
    S_stats *qs = api->xGetAuxdata(fts, 0);
    if (qs) {
        *pStats = qs;
        return SQLITE_OK;
    }
    qs = sqlite3_malloc(sizeof *qs);
    if (!qs) return SQLITE_NOMEM;
    memset(qs, 0, sizeof *qs);
    sqlite3_int64 nRow = 0;
    int rc = api->xRowCount(fts, &nRow);
    for (int c = 0; rc == SQLITE_OK && c < KB_RANK_COLUMNS && c < api->xColumnCount(fts); c++) {
        sqlite3_int64 nToken = 0;
        rc = api->xColumnTotalSize(fts, c, &nToken);
        qs->aAvgLen[c] = nRow > 0 && nToken > 0 ? (double)nToken / (double)nRow : 1.0;
    }
    qs->nPhrase = api->xPhraseCount(fts);
    if (qs->nPhrase > KB_RANK_MAX_PHRASE) qs->nPhrase = KB_RANK_MAX_PHRASE;
    for (int i = 0; rc == SQLITE_OK && i < qs->nPhrase; i++) {
        sqlite3_int64 nHit = KB_RANK_COLUMNS + i < nVal ? sqlite3_value_int64(apVal[KB_RANK_COLUMNS + i]) : -1;
        if (nHit < 0) {
            nHit = 0;
            rc = api->xQueryPhrase(fts, i, &nHit, S_count_rows_cb);
        }
        /* BM25 IDF, floored so very common terms still count a little. */
        double idf = log(((double)nRow - (double)nHit + 0.5) / ((double)nHit + 0.5));
        if (idf <= 1e-6) idf = 1e-6;
        qs->aIdf[i] = idf;
        qs->idfTotal += idf;
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, qs, sqlite3_free);
    if (rc != SQLITE_OK) {
        sqlite3_free(qs);
        return rc;
    }
    *pStats = qs;
    return SQLITE_OK;
}

static void S_kb_rank(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nVal,
                      sqlite3_value **apVal) {
    S_stats *qs = NULL;
    int rc = S_query_stats(api, fts, nVal, apVal, &qs);
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double aWeight[KB_RANK_COLUMNS] = {1, 1, 1, 1};
    for (int c = 0; c < nVal && c < KB_RANK_COLUMNS; c++) aWeight[c] = sqlite3_value_double(apVal[c]);

    /* BM25F: each column's term frequency is normalized by that column's
     * length before the columns are weighted and summed, so a heading match
     * counts fully however long the body under it is. */
    double aNorm[KB_RANK_COLUMNS];
    const double k1 = 1.2, b = 0.75;
    for (int c = 0; c < KB_RANK_COLUMNS; c++) {
        int len = 0;
        if (c < api->xColumnCount(fts) && api->xColumnSize(fts, c, &len) != SQLITE_OK) len = 0;
        aNorm[c] = aWeight[c] / (1 - b + b * (double)len / qs->aAvgLen[c]);
    }
    double aFreq[KB_RANK_MAX_PHRASE] = {0};
    /* Query neighbours (phrase i, phrase i+1) found next to each other, in
     * order, somewhere in the row: one bit per pair. */
    uint64_t adjacentPairs = 0;
    int nInst = 0;
    rc = api->xInstCount(fts, &nInst);
    int prevPhrase = -1, prevCol = -1, prevOff = -10;
    for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int iPhrase, iCol, iOff;
        rc = api->xInst(fts, i, &iPhrase, &iCol, &iOff);
        if (rc != SQLITE_OK || iPhrase >= KB_RANK_MAX_PHRASE || iCol >= KB_RANK_COLUMNS) continue;
        aFreq[iPhrase] += aNorm[iCol];
        /* Instances come sorted by column then offset. */
        if (iCol == prevCol && iPhrase == prevPhrase + 1 && iOff <= prevOff + 2) adjacentPairs |= 1ULL << (iPhrase % 64);
        prevPhrase = iPhrase;
        prevCol = iCol;
        prevOff = iOff;
    }
    if (rc != SQLITE_OK) {
        sqlite3_result_error_code(ctx, rc);
        return;
    }
    double bm25 = 0, covered = 0;
    for (int i = 0; i < qs->nPhrase; i++) {
        if (aFreq[i] <= 0) continue;
        covered += qs->aIdf[i];
        bm25 += qs->aIdf[i] * (aFreq[i] * (k1 + 1)) / (aFreq[i] + k1);
    }
    double coverage = qs->idfTotal > 0 ? covered / qs->idfTotal : 1.0;
    /* Query neighbours written next to each other, as in a pasted message or
     * a set phrase ("estado transitorio"), count like an extra term of
     * their own, as informative as the pair's rarer half. */
    double proximity = 0;
    for (int i = 1; i < qs->nPhrase && i < 64; i++)
        if (adjacentPairs & (1ULL << i)) proximity += qs->aIdf[i] > qs->aIdf[i - 1] ? qs->aIdf[i] : qs->aIdf[i - 1];
    sqlite3_result_double(ctx, (bm25 + KB_RANK_PROXIMITY_WEIGHT * proximity) * coverage);
}

static fts5_api *S_fts5_api(sqlite3 *db) {
    fts5_api *api = NULL;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
    sqlite3_step(st);
    sqlite3_finalize(st);
    return api;
}

int kb_rank_register(sqlite3 *db) {
    fts5_api *api = S_fts5_api(db);
    if (!api) return kb_fail(KB_EDB, "%s", _("this SQLite has no FTS5"));
    if (api->xCreateFunction(api, "kb_rank", NULL, S_kb_rank, NULL) != SQLITE_OK)
        return kb_fail(KB_EDB, "%s", _("cannot register the ranking function"));
    return KB_OK;
}
