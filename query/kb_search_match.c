/* kb_search_match.c: see kb_search_match.h. */
#include "kb_search_match.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_db.h"
#include "kb_qparse.h"
#include "kb_rank.h"
#include "kb_search_page.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_stopwords.h"
#include "kb_util.h"

/* The OR pass of a question no section holds whole ranks its rows on its
 * words too common to select them as well (S_ranking_terms), rarest first
 * while together they are in at most this many sections of a table, when
 * the question has at most KB_RANKING_MAX_TERMS terms besides stop words
 * (each alternative of a translated word counts): a longer one has rare
 * words enough to rank on, and walking the lists of its common ones had
 * doubled its instructions. 15,000 sections instead ranked the 80 blind
 * questions of es_engineer_heldout2.tsv worse in a trial (MRR 0.487 against
 * 0.512), 100,000 no better. */
#define KB_RANKING_BUDGET 40000
#define KB_RANKING_MAX_TERMS 14

/* A question of very common words is answered from headings alone when
 * they hold at least this many of its sections (S_match_by_columns): a
 * number of its own, not the page's, so that pages of 5 add up to the
 * page of 20. */
#define KB_HEADINGS_ENOUGH 20

/* What a later stage's sections weigh against those of the stage that
 * held enough (S_match_by_columns): less than any of them, more than the
 * OR pass's (KB_SCORE_PARTIAL_FACTOR). */
#define KB_STAGE_FACTOR 0.01

/* A term in more than this share of a table's sections selects nothing
 * there (S_budget_terms). */
#define KB_COMMON_SHARE 0.5

/* A stop word weighs at most what a word in this share of a table's
 * sections weighs (S_idf_floor). The Spanish docs address the reader as
 * "usted": "me" is in 93 of their 40,000 sections, and weighed more than
 * any other word of "app de node me tira error 500 nomas al iniciar",
 * which then opened with connector pages that show "/trigger/me/feed".
 * 0.05 and 0.1 score alike on the engineer sets (held out: hit@1 0.412
 * -> 0.425, hit@3 0.525 -> 0.550); 0.5 weighed stop words as nothing and
 * lost dev questions that quote a message ("otra operación en curso"). */
#define KB_STOPWORD_SHARE 0.05

/* A long question's sections "with every term" need only its rarest words. */
#define KB_ALL_MAX_TERMS 12

/* A question that names a symptom ("no puedo iniciar la VM") favours
 * sections about a problem by this factor (kb_search_question.c). */
#define KB_SCORE_PROBLEM_FAVOUR 1.5

/* Which terms go into language l's MATCH before any budget: phrases the
 * user quoted and exclusions always, a repeated term never; a phrase the
 * search made (a CJK word, kb_qparse.h) is a word like any other, which
 * KB_QANY takes within its budget: taken always, "資料庫" (database, in
 * thousands of Chinese sections) made a short question rank each of them,
 * 47M instructions instead of 8M; in KB_QALL every term but the
 * language's stop words and the symptoms (all of them if that leaves
 * none), and of a long question only the KB_ALL_MAX_TERMS cheapest to
 * find, for a word its
 * rarest: their AND is as selective, while every common word more is one
 * more long list the AND has to walk (a 40-bigram Chinese question spent
 * 2 ms there finding nothing; "2.1" walks the lists of "2" and "1"). */
static void S_keep_terms(search_state *s, int l, const kb_query *q, int mode, int *keep) {
    search_term_stats(s, l, q);
    const int *aDup = s->aDup[l], *aCost = s->aCost[l];
    int nKept = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *term = &q->a[i];
        if (aDup[i]) keep[i] = mode == KB_QANY ? -1 : 0; /* -1: never taken by S_budget_terms */
        /* a CJK word (joined) is optional where the docs lack it (search_known_words_pass) */
        else if (term->optional && !term->negated) keep[i] = mode == KB_QANY ? -1 : 0;
        else if ((term->phrase && !(term->joined && mode == KB_QANY)) || term->negated) keep[i] = 1;
        else if (mode == KB_QALL)
            keep[i] = !term->symptom && !kb_stopword(s->aLang[l], term->text, strlen(term->text));
        /* the OR pass takes the rarest words first: a rare optional word
         * ("Hola" of a chat message) found its own sections */
        else keep[i] = 0;
        /* a group counts once: it stands for one word of the question */
        nKept += keep[i] > 0 && !term->negated && !(i > 0 && q->a[i - 1].orWithNext);
    }
    if (mode == KB_QALL && nKept == 0)
        for (int i = 0; i < q->n; i++) keep[i] = !aDup[i];
    if (mode == KB_QALL && nKept > KB_ALL_MAX_TERMS) {
        /* The dearest to walk go first: for a word, its sections. */
        while (nKept > KB_ALL_MAX_TERMS) {
            int worst = -1;
            for (int i = 0; i < q->n; i++) {
                const kb_qterm *t = &q->a[i];
                if (keep[i] && !t->phrase && !t->negated && !kb_query_in_group(q, i) && aCost[i] > 0 &&
                    (worst < 0 || aCost[i] > aCost[worst]))
                    worst = i;
            }
            if (worst < 0) break;
            keep[worst] = 0;
            nKept--;
        }
    }
}

/* The sections of language l that contain the term, counted in its FTS
 * table: for terms of several tokens (phrases, CJK words), whose tokens'
 * counts only bound theirs; -1 if the count fails. */
static int S_count_term(search_state *s, int l, const kb_qterm *term) {
    if (!s->aCount[l]) {
        char sql[256], fts[32];
        kb_db_fts_name(s->aLang[l], fts, sizeof fts);
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE %s MATCH ?", fts, fts);
        if (kb_db_prepare(s->db, sql, &s->aCount[l]) != KB_OK) return -1;
    }
    kb_qterm one = *term;
    one.negated = one.orWithNext = 0;
    kb_query q1 = {&one, 1};
    char *expr = kb_query_fts(&q1, KB_QALL, NULL);
    int df = -1;
    sqlite3_stmt *st = s->aCount[l];
    sqlite3_reset(st);
    if (expr && sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC) == SQLITE_OK && search_stepped(s, st) == SQLITE_ROW)
        df = sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    free(expr);
    return df;
}

/* KB_QANY: sections may contain any term, and every section that matches
 * is ranked, so common words (whose IDF is low anyway) must not make a long
 * question visit most of a large index. Terms are taken rarest first, in
 * whichever language table they are rarest, while together they occur in
 * at most `budget` sections of all the tables: a Chinese question that
 * mentions ".NET" ranks Chinese sections, not every Spanish section about
 * .NET. A term in more than KB_COMMON_SHARE of a table's sections selects
 * nothing there and is not taken. A term a table lacks costs nothing and is
 * taken: kb_rank counts what it weighs among the words a section misses.
 * A term of several tokens ("HTTP/1.1", "a/datos"), which the terms table
 * does not count, is counted in the FTS table, so kb_rank need not count it
 * and one no section holds costs nothing; but only when its rarest token
 * is in at most `budget` sections. FTS5 walks that token's list to find
 * it, however few sections hold it: a dearer one is priced at that list,
 * and counting it would walk it twice (a pasted Spanish paragraph with
 * "a/datos": 54M instructions, 14M without the walks of "a" and "datos").
 * The rarest term is always taken; a table left with no term is not
 * searched. */
static void S_budget_terms(search_state *s, const kb_query *q, long budget, const int *aOn,
                           int (*keep)[KB_QPARSE_MAX_TERMS]) {
    long spent = 0;
    int nKept = 0;
    for (int l = 0; l < s->nLang; l++) {
        if (!aOn[l]) continue;
        int *aDf = search_term_dfs(s, l, q);
        for (int i = 0; i < q->n; i++) {
            nKept += keep[l][i] > 0 && !q->a[i].negated;
            if (!keep[l][i] && aDf[i] < 0 && !q->a[i].prefix && s->aCost[l][i] <= budget)
                aDf[i] = S_count_term(s, l, &q->a[i]);
        }
    }
    for (;;) {
        int bestL = -1, bestI = -1;
        long bestDf = 0;
        for (int l = 0; l < s->nLang; l++) {
            if (!aOn[l]) continue;
            const int *aDf = search_term_dfs(s, l, q);
            for (int i = 0; i < q->n; i++) {
                long df = aDf[i] >= 0 ? aDf[i] : s->aCost[l][i];
                if (!keep[l][i] && (bestL < 0 || df < bestDf)) bestL = l, bestI = i, bestDf = df;
            }
        }
        if (bestL < 0) break;
        int nRows = s->aRows[bestL] > 0 ? s->aRows[bestL] : 1;
        if (nKept > 0 && spent + bestDf > budget) break;
        if (nKept > 0 && (double)bestDf / nRows > KB_COMMON_SHARE) {
            keep[bestL][bestI] = -1; /* not taken, never again looked at */
            continue;
        }
        keep[bestL][bestI] = 1;
        spent += bestDf;
        nKept++;
    }
    for (int l = 0; l < s->nLang; l++)
        for (int i = 0; aOn[l] && i < q->n; i++)
            if (keep[l][i] < 0) keep[l][i] = 0;
}

/* Words of the question a table's OR pass ranks its rows on without
 * walking their rows (KB_KEEP_RANKS), as s->rankOnCommonWords asks.
 * Ranked on its rarest words alone, "cambie el nombre del servidor windows
 * y el backup a azure dejo de correr" (es-ES + zh-TW) found "correr" and
 * "dejo" in the sections it ranked, not the one that renames a Windows
 * server backed up to Azure, whose heading holds every other word: those
 * are in thousands of sections each, past the OR pass's budget. Its rows
 * are now ranked on them too, which FTS5 tells of the terms of the MATCH
 * expression alone. The Spanish engineer's questions (MRR over the first
 * 5): es_engineer.tsv 0.725 -> 0.741, its held-out sets 0.533 -> 0.541 and
 * 0.426 -> 0.515, and 0.411 -> 0.446 on 80 questions written for this
 * change and never tuned on (symptoms 0.239 -> 0.292). Of the bench's 348
 * questions on es-ES + zh-TW that are not error IDs, the 26 it changes run
 * a third more instructions (3.8% more over all 348): the common words'
 * lists are walked to the rows the rare ones select. */
static void S_ranking_terms(search_state *s, int l, const kb_query *q, int *keep) {
    const int *aDf = search_term_dfs(s, l, q);
    int nRows = s->aRows[l] > 0 ? s->aRows[l] : 1, nTerms = 0, aCandidate[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        int stop = kb_stopword(s->aLang[l], t->text, strlen(t->text));
        nTerms += !t->negated && !s->aDup[l][i] && !stop;
        aCandidate[i] = !keep[i] && !t->negated && !t->prefix && !t->optional && !s->aDup[l][i] && !stop &&
                        aDf[i] > 0 && (double)aDf[i] / nRows <= KB_COMMON_SHARE;
    }
    if (nTerms > KB_RANKING_MAX_TERMS) return;
    /* The selecting terms are written twice: kb_rank must see them all. */
    int nPhrase = 0;
    for (int i = 0; i < q->n; i++) nPhrase += q->a[i].negated ? 1 : 2 * (keep[i] > 0);
    for (long spent = 0;; nPhrase++) {
        int rarest = -1;
        for (int i = 0; i < q->n; i++)
            if (aCandidate[i] && (rarest < 0 || aDf[i] < aDf[rarest])) rarest = i;
        if (rarest < 0 || spent + aDf[rarest] > KB_RANKING_BUDGET || nPhrase + 1 > KB_RANK_MAX_PHRASE) break;
        aCandidate[rarest] = 0;
        keep[rarest] = KB_KEEP_RANKS;
        spent += aDf[rarest];
    }
}

/* "df,df,..." for kb_rank, in the order kb_query_fts writes the phrases:
 * the selecting terms' copies that no row is ranked on (0: kb_rank asks
 * nothing of them), kept positive terms, then the excluded ones. */
static void S_df_args(const kb_query *q, const int *keep, const int *aDf, kb_buf *out) {
    for (int k = kb_query_selecting_phrases(q, keep); k > 0; k--) kb_buf_adds(out, out->n ? ",0" : "0");
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < q->n; i++)
            if (keep[i] && q->a[i].negated == pass) kb_buf_addf(out, "%s%d", out->n ? "," : "", pass ? -1 : aDf[i]);
    kb_buf_add(out, "", 0);
}

/* Term i's least document frequency in language l, for kb_rank's IDF:
 * the share of sections it is in where that share is highest, times l's
 * sections. An English word that a few Spanish
 * sections quote ("operation", "failed" in BackUpOperationFailed) is rare
 * in the Spanish table, and BM25 there made it worth more than in any
 * English section: an English reader asking "operation failed" got
 * Spanish sections first. As common as in English, it weighs alike in
 * both tables. A word of l's own language keeps its IDF, unless it is one
 * of l's stop words (KB_STOPWORD_SHARE). */
static long long S_idf_floor(search_state *s, int l, const kb_query *q, int i) {
    const char *z = q->a[i].text;
    double share = kb_stopword(s->aLang[l], z, strlen(z)) ? KB_STOPWORD_SHARE : 0;
    for (int k = 0; k < s->nLang; k++) {
        if (k == l || s->aRows[k] <= 0) continue;
        int df = search_term_dfs(s, k, q)[i];
        if (df < 0) df = s->aCost[k][i]; /* a phrase: its rarest token's, which bounds it */
        if (df > 0 && (double)df / s->aRows[k] > share) share = (double)df / s->aRows[k];
    }
    return (long long)(share * s->aRows[l]);
}

/* For kb_rank, each phrase's S_idf_floor in S_df_args's order (exclusions
 * and the selecting copies: 0). */
static void S_idf_floor_args(search_state *s, int l, const kb_query *q, const int *keep, kb_buf *out) {
    for (int k = kb_query_selecting_phrases(q, keep); k > 0; k--) kb_buf_adds(out, out->n ? ",0" : "0");
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < q->n; i++)
            if (keep[i] && q->a[i].negated == pass)
                kb_buf_addf(out, "%s%lld", out->n ? "," : "", pass ? 0LL : S_idf_floor(s, l, q, i));
    kb_buf_add(out, "", 0);
}

/* Term i's IDF in language l as kb_rank computes it (floored). */
double search_term_idf(search_state *s, int l, const kb_query *q, int i) {
    long long df = search_term_dfs(s, l, q)[i], floor = S_idf_floor(s, l, q, i);
    if (df < 0) df = s->aCost[l][i];
    if (floor > df) df = floor;
    double idf = log(((double)s->aRows[l] - (double)df + 0.5) / ((double)df + 0.5));
    return idf > 1e-6 ? idf : 1e-6;
}

/* The MATCH statement of language l, prepared once per search: every pass
 * (all terms, some terms, headings first) binds its own expression. With
 * s->within, a second statement keeps the rows that match ?10 too: FTS5
 * then looks each of those few rows up in the other terms' lists. */
static sqlite3_stmt *S_match_stmt(search_state *s, int l) {
    sqlite3_stmt **pSt = s->within ? &s->aMatchWithin[l] : &s->aMatch[l];
    if (*pSt) {
        sqlite3_reset(*pSt);
        return *pSt;
    }
    char sql[2048], fts[32], within[160] = "";
    kb_db_fts_name(s->aLang[l], fts, sizeof fts);
    int filtered = s->aFilter[l] == SEARCH_ROWS_FILTERED;
    if (s->within)
        snprintf(within, sizeof within, " AND %s IN (SELECT rowid FROM %s WHERE %s MATCH ?10)",
                 filtered ? "f.rowid" : "rowid", fts, fts);
    /* Joined to sections and docs only to filter: every matching row is
     * ranked before the LIMIT, and a join would look each one up. */
    if (filtered)
        snprintf(sql, sizeof sql,
                 "SELECT f.rowid, kb_rank(%s, " KB_DB_COLUMN_WEIGHTS ", ?4, ?5, ?6, ?7, ?8, ?9, ?11) AS score"
                 " FROM %s f JOIN sections s ON s.id = f.rowid JOIN docs d ON d.id = s.doc_id"
                 " WHERE %s MATCH ?1%s%s ORDER BY score DESC LIMIT ?4",
                 fts, fts, fts, within, search_filter_sql);
    else
        snprintf(sql, sizeof sql,
                 "SELECT rowid, kb_rank(%s, " KB_DB_COLUMN_WEIGHTS ", ?4, ?5, ?6, ?7, ?8, ?9, ?11) AS score FROM %s"
                 " WHERE %s MATCH ?1%s AND ?2 IS NULL AND ?3 IS NULL ORDER BY score DESC LIMIT ?4",
                 fts, fts, fts, within);
    if (kb_db_prepare(s->db, sql, pSt) != KB_OK) return NULL;
    return *pSt;
}

/* What kb_rank is told of a query's phrases in one language. */
typedef struct S_rank_args {
    const char *dfs;    /* S_df_args */
    const char *floors; /* S_idf_floor_args */
    const char *slots;  /* kb_query_slots */
} S_rank_args;

/* Reads the rows of a bound MATCH statement, best first, and adds them as
 * hits: the first `limit`, and with wholeTie those after that tie the
 * last of them too. *pn receives the number added; *pTie is set when a
 * row past them ties the last added (*pTieScore). */
static int S_match_rows(search_state *s, sqlite3_stmt *st, int l, int mode, double factor, int limit, int wholeTie,
                        int *pn, int *pTie, double *pTieScore) {
    double langFactor = s->o->lang && strcmp(s->o->lang, s->aLang[l]) == 0 ? KB_SCORE_LANG_FACTOR : 1.0;
    /* An error ID's sections take their words' evidence from the rows the
     * stored pass holds (search_errid_text), however deep the page: a
     * deeper page's rows had given more of them theirs, and reordered the
     * first pages ("400" at --limit 5 and 60). */
    int evidenceRows = s->nId > 0 ? search_table_pool(s, l, KB_ERRID_TEXT_POOL) : INT_MAX;
    double evidenceLast = 0; /* the last such row's score: the rows that tie it count too, as stored */
    int step;
    *pn = *pTie = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        double score = sqlite3_column_double(st, 1);
        if (*pn >= limit && (score != *pTieScore || !wholeTie)) {
            *pTie = score == *pTieScore;
            break;
        }
        *pTieScore = score;
        if (mode == KB_QALL && !s->bWordsLeftOut && score > s->aBest[l]) s->aBest[l] = score;
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (*pn < evidenceRows) evidenceLast = score;
        if (*pn < evidenceRows || score == evidenceLast || !search_hit_has_id(s->r, id))
            search_hit_add(s->r, id, score * factor * langFactor, KB_MATCH_TEXT);
        (*pn)++;
    }
    if (step != SQLITE_DONE && step != SQLITE_ROW && !search_fts_query_error(s->db)) return kb_db_fail(s->db);
    return KB_OK;
}

/* Rows a tie that straddles a table's `limit` may add: sections of equal
 * score come in their documents' order (search_finish), which the rows'
 * ids, renumbered when a document is indexed again, do not keep. */
#define KB_TIE_ROWS 256

/* Runs one MATCH expression against language l's table and adds its hits;
 * *pn receives the number of rows returned. FTS5 yields rows in id order,
 * so of rows that tie at the LIMIT, SQLite keeps those of lowest id: the
 * first in their documents' order after a full build, but not once an
 * incremental run gave a document new ids (s->aUnordered), when a page
 * differed from a full build's. There one row more is read, and when it
 * ties the last, the statement runs again for the whole tie (up to
 * KB_TIE_ROWS more), which search_finish puts in order. */
static int S_match(search_state *s, int l, int mode, const char *expr, const S_rank_args *ra, double factor, int limit,
                   int *pn) {
    *pn = 0;
    if (s->aFilter[l] == SEARCH_ROWS_NONE) return KB_OK;
    sqlite3_stmt *st = S_match_stmt(s, l);
    if (!st) return KB_EDB;
    sqlite3_bind_text(st, 1, expr, -1, SQLITE_STATIC);
    if (s->within) sqlite3_bind_text(st, 10, s->within, -1, SQLITE_STATIC);
    if (s->aFilter[l] == SEARCH_ROWS_FILTERED) search_bind_filters(st, s->o);
    sqlite3_bind_int(st, 4, limit + s->aUnordered[l]);
    sqlite3_bind_text(st, 5, ra->dfs, -1, SQLITE_STATIC);
    /* kb_rank lists each term's rows once for an OR, where most rows hold
     * few terms; the few rows `within` leaves are cheaper asked one by one. */
    sqlite3_bind_int(st, 6, mode == KB_QANY && !s->within);
    sqlite3_bind_text(st, 7, ra->floors, -1, SQLITE_STATIC);
    int favour = s->favourProblems && s->problems.n > 0;
    sqlite3_bind_blob(st, 8, favour ? s->problems.z : NULL, favour ? (int)s->problems.n : 0, SQLITE_STATIC);
    sqlite3_bind_double(st, 9, favour ? KB_SCORE_PROBLEM_FAVOUR : 1.0);
    sqlite3_bind_text(st, 11, ra->slots, -1, SQLITE_STATIC);
    int tie = 0;
    double tieScore = 0;
    int rc = S_match_rows(s, st, l, mode, factor, limit, 0, pn, &tie, &tieScore);
    if (rc == KB_OK && tie && s->aUnordered[l]) { /* the rows read again add nothing twice (search_hit_add) */
        sqlite3_reset(st);
        sqlite3_bind_int(st, 4, limit + KB_TIE_ROWS);
        rc = S_match_rows(s, st, l, mode, factor, limit, 1, pn, &tie, &tieScore);
    }
    if (mode == KB_QALL && *pn > s->aAllRows[l]) s->aAllRows[l] = *pn;
    sqlite3_reset(st);
    return rc;
}

/* The AND pass of a question of very common words, stage by stage: the
 * sections with its words in their heading (from stage `first`: 0 for a
 * word alone), then in heading or breadcrumb, then anywhere. Once a stage
 * holds KB_HEADINGS_ENOUGH sections, a page of 20 is answered from it;
 * a deeper page goes on, and the next stages' sections come after its
 * sections (KB_STAGE_FACTOR), as they do after the page of 20. The next
 * stage had ranked them among the first ones, which it scored again on
 * more columns: "Operaciones registradas" had one first section at
 * --limit 51 and another at 52, and pages of 10 repeated 15 sections. */
static int S_match_by_columns(search_state *s, int l, const char *expr, const S_rank_args *ra, double factor,
                              int pool, int first) {
    static const char *const aColumns[] = {"{heading} : ", "{heading breadcrumb} : ", ""};
    int reach = pool > KB_HEADINGS_ENOUGH ? pool : KB_HEADINGS_ENOUGH, n = 0, rc = KB_OK;
    for (int c = first; rc == KB_OK && n < reach && c < 3; c++) {
        if (n >= KB_HEADINGS_ENOUGH) factor *= KB_STAGE_FACTOR;
        char *staged = kb_xasprintf("%s(%s)", aColumns[c], expr);
        rc = S_match(s, l, KB_QALL, staged, ra, factor, c < 2 ? reach : pool, &n);
        free(staged);
    }
    return rc;
}

/* The fewest sections any required term of the query occurs in (-1 unknown). */
static long S_min_df(const kb_query *q, const int *keep, const int *aDf) {
    long minDf = -1;
    for (int i = 0; i < q->n; i++)
        if (keep[i] && !q->a[i].negated && (minDf < 0 || aDf[i] < minDf)) minDf = aDf[i];
    return minDf;
}

/* Whether no section of language l can match, as the terms table tells:
 * in KB_QALL a term every match must contain is in none of its sections,
 * in KB_QANY all of them are. Its FTS table is then not opened: a Spanish
 * question skips the Chinese table, whose Spanish words are few. */
static int S_matches_nothing(search_state *s, int l, const kb_query *q, int mode, const int *keep) {
    const int *aDf = search_term_dfs(s, l, q);
    int nMaybe = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (!keep[i] || keep[i] == KB_KEEP_RANKS || t->negated) continue;
        if (mode == KB_QALL && !kb_query_in_group(q, i) && aDf[i] == 0) return 1;
        nMaybe += aDf[i] != 0;
    }
    return nMaybe == 0;
}

/* Rows a pass keeps from language l's table to show `want` sections.
 * Copies of one document in several locales of the language (es-es,
 * es-mx) fold into one hit: as many times more. With one locale, exactly
 * `want`: a row above a shown section's best copy is a section shown above
 * it, so the best `want` rows of every table hold the page. Fewer rows
 * kept also prune harder in kb_rank (10 instead of 30: a question's
 * column-length lookups 520 -> 213). */
int search_table_pool(const search_state *s, int l, int want) { return want * s->aCopies[l]; }

/* Runs the query, in mode KB_QALL or KB_QANY, against the language tables
 * `tables` names (SEARCH_EVERY_TABLE, SEARCH_MATCHED_TABLES or one), for
 * the best `want` sections. */
int search_text_query(search_state *s, const kb_query *q, int mode, long budget, double factor, int want,
                      int tables) {
    int rc = KB_OK;
    int aOn[KB_DB_MAX_LANGS];
    /* 12 KB: on the heap, which a question is given up front, not on the
     * stack, whose every page is one more fault (kb_heap.h). */
    int (*keep)[KB_QPARSE_MAX_TERMS] = kb_xcalloc((size_t)s->nLang + 1, sizeof *keep);
    for (int l = 0; l < s->nLang; l++) {
        aOn[l] = tables == SEARCH_EVERY_TABLE || (tables == SEARCH_MATCHED_TABLES ? s->aBest[l] > 0 : tables == l);
        if (aOn[l]) S_keep_terms(s, l, q, mode, keep[l]);
    }
    if (mode == KB_QANY) S_budget_terms(s, q, budget, aOn, keep);
    for (int l = 0; mode == KB_QANY && s->rankOnCommonWords && !s->within && l < s->nLang; l++)
        if (aOn[l]) S_ranking_terms(s, l, q, keep[l]);
    for (int l = 0; rc == KB_OK && l < s->nLang; l++) {
        if (!aOn[l] || S_matches_nothing(s, l, q, mode, keep[l])) continue;
        char *expr = kb_query_fts(q, mode, keep[l]);
        if (!expr) continue;
        const int *aDf = search_term_dfs(s, l, q);
        kb_buf dfs = {0}, floors = {0};
        S_df_args(q, keep[l], aDf, &dfs);
        S_idf_floor_args(s, l, q, keep[l], &floors);
        char *slots = kb_query_slots(q, keep[l]);
        S_rank_args ra = {kb_buf_str(&dfs), kb_buf_str(&floors), slots};
        int n = 0, pool = search_table_pool(s, l, want);
        /* A query whose every term is very common ("backup") would rank
         * most of the table: the sections that have it in their heading or
         * breadcrumb come first, and the rest only if they are too few. A
         * word alone is looked for in the section's own heading first:
         * "Azure" is in the breadcrumb of 46,000 sections of es-ES + zh-TW,
         * and in the heading of 11,000 (97M -> 53M instructions). Two words
         * or more are in far fewer breadcrumbs that their headings lack, and
         * there the headings' scores, many the same ("Pasos siguientes"),
         * prune fewer rows by themselves (18.5M -> 24.6M). */
        if (mode == KB_QALL && S_min_df(q, keep[l], aDf) > KB_ANY_BUDGET) {
            int nWord = 0;
            for (int i = 0; i < q->n; i++) nWord += keep[l][i] > 0 && !q->a[i].negated;
            rc = S_match_by_columns(s, l, expr, &ra, factor, pool, nWord == 1 ? 0 : 1);
        } else {
            rc = S_match(s, l, mode, expr, &ra, factor, pool, &n);
        }
        kb_buf_free(&dfs);
        kb_buf_free(&floors);
        free(slots);
        free(expr);
    }
    free(keep);
    return rc;
}

/* Whether a term of the query is so common in some language that the AND
 * pass would search headings first (search_text_query). */
int search_too_common(search_state *s, const kb_query *q) {
    int keep[KB_QPARSE_MAX_TERMS];
    for (int l = 0; l < s->nLang; l++) {
        S_keep_terms(s, l, q, KB_QALL, keep);
        if (S_min_df(q, keep, search_term_dfs(s, l, q)) > KB_ANY_BUDGET) return 1;
    }
    return 0;
}
