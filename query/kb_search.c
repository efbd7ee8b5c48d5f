/* kb_search.c: see kb_search.h. */
#include "kb_search.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_msg.h"
#include "kb_qparse.h"
#include "kb_rank.h"
#include "kb_search_errid.h"
#include "kb_search_match.h"
#include "kb_search_page.h"
#include "kb_search_pass.h"
#include "kb_search_question.h"
#include "kb_search_relax.h"
#include "kb_search_reword.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_search_unknown.h"
#include "kb_tok.h"
#include "kb_util.h"

/* A section whose heading the question says word for word comes first
 * (S_favour_exact_headings), unless more sections than this have it... */
#define KB_EXACT_HEADING_MAX 3
#define KB_EXACT_HEADING_ROWS 16 /* ...counting the copies of each in its locales */

/* A question longer than this is no heading. */
#define KB_EXACT_HEADING_MAX_BYTES 300

/* Pages SQLite caches for a connection that answers one question. */
#define KB_ONE_QUESTION_CACHE "32"

/* A section whose heading a question's key found (S_heading_matches). */
typedef struct S_named {
    sqlite3_int64 id;
    int preferred; /* in the preferred language */
    char *skey;
    char lang[8];
} S_named;

/* The order of the sections a heading names: the preferred language's
 * first, then by key and language, as the index holds them whatever ids
 * an incremental run gave them (by id, editing one document had changed
 * the order of "Basic troubleshooting"). */
static int S_named_before(const S_named *a, const S_named *b) {
    if (a->preferred != b->preferred) return a->preferred > b->preferred;
    int c = strcmp(a->skey, b->skey);
    return c ? c < 0 : strcmp(a->lang, b->lang) < 0;
}

/* The sections whose heading has the question's words, in any language,
 * into aFound (at most KB_EXACT_HEADING_ROWS rows: copies of a section in
 * several locales are rows of their own); returns how many sections they
 * are, counting each one's copies once, and stops past KB_EXACT_HEADING_MAX. */
static int S_heading_matches(search_state *s, const char *query, S_named *aFound, int *pnFound, int *pRc) {
    /* Joined only to filter: compiling the joins cost more than the lookup. */
    int bFilter = s->o->localeOnly || s->o->docPrefix;
    char sql[512];
    snprintf(sql, sizeof sql, "SELECT h.section_id FROM heading_keys h%s WHERE h.key = ?4%s",
             bFilter ? " JOIN sections s ON s.id = h.section_id JOIN docs d ON d.id = s.doc_id" : "",
             bFilter ? search_filter_sql : "");
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db, sql, &st), nSkey = 0;
    for (int l = 0; rc == KB_OK && l < s->nLang && nSkey <= KB_EXACT_HEADING_MAX; l++) {
        uint64_t key = kb_tok_words_key(search_tok(s, l), query, (int)strlen(query));
        if (!key) continue;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)key);
        search_bind_filters(st, s->o);
        int step = SQLITE_DONE;
        while (rc == KB_OK && nSkey <= KB_EXACT_HEADING_MAX && *pnFound < KB_EXACT_HEADING_ROWS &&
               (step = sqlite3_step(st)) == SQLITE_ROW) {
            kb_hit h = {.id = sqlite3_column_int64(st, 0)};
            rc = search_load_key(&s->stmts, &h);
            if (rc == KB_OK && strcmp(h.lang, s->aLang[l]) == 0) { /* keys of two languages differ, bar collisions */
                int seen = 0;
                for (int i = 0; i < *pnFound && !seen; i++) seen = strcmp(aFound[i].skey, h.skey) == 0;
                nSkey += !seen;
                S_named *f = &aFound[(*pnFound)++];
                *f = (S_named){h.id, s->prefLang && strcmp(h.lang, s->prefLang) == 0, kb_xstrdup(h.skey), ""};
                snprintf(f->lang, sizeof f->lang, "%s", h.lang);
            }
            search_hit_clear(&h);
        }
        if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    }
    sqlite3_finalize(st);
    *pRc = rc;
    return nSkey;
}

/* A question that says a section's heading word for word ("Crear un
 * clúster de Service Fabric en Azure", typed or pasted) asks for that
 * section, yet its subsections, whose breadcrumbs hold the same words and
 * whose bodies add some, can outrank it, and so can a section that says the
 * words more often. So the sections whose heading has the question's words
 * (kb_tok_words_key: case, accents, punctuation and endings aside; keys are
 * 64-bit hashes, whose collisions are too rare to check) come first, those
 * in the preferred language first. They are found by key, not among the
 * ranked rows, so a page of 5 and one of 20 agree. A heading more sections
 * share ("Pasos siguientes") names none of them; a question an error ID
 * answered keeps the order that ID gives. */
static int S_favour_exact_headings(search_state *s, const char *query) {
    kb_results *r = s->r;
    if (r->n == 0 || s->nId > 0 || strlen(query) > KB_EXACT_HEADING_MAX_BYTES) return KB_OK;
    S_named aFound[KB_EXACT_HEADING_ROWS];
    int nFound = 0, rc = KB_OK;
    int nSection = S_heading_matches(s, query, aFound, &nFound, &rc);
    if (rc == KB_OK && nFound > 0 && nSection <= KB_EXACT_HEADING_MAX) {
        double best = r->a[0].score;
        for (int i = 1; i < r->n; i++)
            if (r->a[i].score > best) best = r->a[i].score;
        double step = fabs(best) * 1e-9 + 1e-12;
        for (int i = 0; i < nFound; i++) {
            int above = 0; /* found sections that go before this one */
            for (int k = 0; k < nFound; k++) above += S_named_before(&aFound[k], &aFound[i]);
            search_hit_add(r, aFound[i].id, best + step * (nFound - above), KB_MATCH_TEXT);
        }
    }
    for (int i = 0; i < nFound; i++) free(aFound[i].skey);
    return rc;
}

int kb_search_open(const char *path, int use, sqlite3 **pDb) {
    int rc = kb_db_open_read(path, pDb);
    if (rc != KB_OK) return rc;
    /* One question reads most pages once, and every page SQLite caches is
     * fresh heap: with a cache of a few pages, their buffers are reused (a
     * long question's faults 634 -> 304 when each was a page fault), while
     * a page read again comes from the OS's cache. With the heap given up
     * front (kb_heap.h) a larger cache costs no faults, but 128 or 300
     * pages instead of 32 saved only 1-2% of the median of the 80 slowest
     * questions, within this VM's noise. Many questions share pages: they
     * keep SQLite's default. */
    if (use == KB_SEARCH_ONE_QUESTION) rc = kb_db_exec(*pDb, "PRAGMA cache_size=" KB_ONE_QUESTION_CACHE);
    if (rc == KB_OK) rc = kb_rank_register(*pDb);
    if (rc != KB_OK) {
        sqlite3_close(*pDb);
        *pDb = NULL;
    }
    return rc;
}

/* The typeset forms of what a keyboard types: the minus sign is '-', and
 * the right single quotation mark (which phones and word processors type
 * for an apostrophe) and the modifier letter apostrophe are '\''. */
static utf8proc_int32_t S_typeset_as_typed(utf8proc_int32_t cp, void *data) {
    (void)data;
    if (cp == 0x2212) return '-';
    return cp == 0x2019 || cp == 0x02BC ? '\'' : cp;
}

/* The question in NFKC, as the index's text is (kb_tok.h): a code typed
 * in full-width characters ("０ｘ８００７０５７０", "ERROR＿FILE＿CORRUPT")
 * is the code, and an ideographic or no-break space is a space. Typeset
 * characters are typed ones (S_typeset_as_typed): "−2147024891" is a
 * number, and "it’s" the stop word "it's". NULL if the question is not
 * UTF-8. */
static char *S_fold_question(const char *query) {
    utf8proc_uint8_t *folded = NULL;
    int options = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;
    if (utf8proc_map_custom((const utf8proc_uint8_t *)query, 0, &folded, options, S_typeset_as_typed, NULL) < 0)
        return NULL;
    return (char *)folded;
}

/* "corrected" as the first KB_CORRECTION_PAGE results say it, whatever
 * page was asked for: the words are written as the results write them,
 * and a bot paging through one question, or asking for fewer results,
 * must see one question searched. Searches again only for a corrected
 * question asked for a later page, or for a shorter one whose results do
 * not settle how every corrected word is written (kb_search). */
static int S_first_page_correction(sqlite3 *db, const char *typed, const kb_query_opts *asked, kb_results *r) {
    kb_query_opts first = *asked;
    first.offset = 0;
    first.limit = KB_CORRECTION_PAGE;
    kb_results firstPage;
    int rc = kb_search(db, typed, &first, &firstPage);
    if (rc == KB_OK) {
        r->corrected = firstPage.corrected;
        firstPage.corrected = NULL;
    }
    kb_results_free(&firstPage);
    return rc;
}

/* A typed question whose every word is a stop word ("de la el en",
 * "the") names nothing to look for: the sections that share its words are
 * noise, and ranking them walked most of the index (339M instructions on
 * es-ES + zh-TW). Its words go to r->aCommon instead, for the reader to be
 * told. A quoted phrase is something to look for. Words with aSkip[i] set
 * (no section has them) are left out; aSkip may be NULL. */
static int S_only_common_words(const search_state *s, const kb_query *q, const int *aSkip, kb_results *r) {
    int n = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (t->negated || (aSkip && aSkip[i])) continue;
        if ((t->phrase && !t->joined) || !search_any_stopword(s, t->text)) return 0;
        n++;
    }
    if (n == 0) return 0;
    r->aCommon = kb_xcalloc((size_t)n, sizeof *r->aCommon);
    for (int i = 0; i < q->n; i++) {
        int seen = q->a[i].negated || (aSkip && aSkip[i]);
        for (int k = 0; k < r->nCommon && !seen; k++) seen = strcmp(r->aCommon[k], q->a[i].text) == 0;
        if (!seen) r->aCommon[r->nCommon++] = kb_xstrdup(q->a[i].text);
    }
    return 1;
}

/* The full-text passes, once neither an error ID's stored search nor a
 * question of stop words alone settled the question: every word, then
 * ways to find more when no section has them all (a mistyped, split or
 * unfinished word), then any word. aCorrected says how each word was
 * corrected (SEARCH_KEPT, SEARCH_CORRECTED...). */
static int S_text_passes(search_state *s, kb_query *q, const char *query, int cjkSymptom, int *aCorrected) {
    const kb_query_opts *o = s->o;
    int pasted = s->pasted, nId = s->nId, nAll = 0, nLiteral = 0, rc = KB_OK;
    int aUnknown[KB_QPARSE_MAX_TERMS] = {0};
    int rareTypos = !o->exact && !pasted && nId == 0 && search_correct_rare_typos(s, q, aCorrected);
    if (rareTypos) search_forget_dfs(s); /* of the words as typed */
    if (rareTypos || search_words_left_out(q, cjkSymptom)) rc = search_literal_pass(s, query, pasted, &nLiteral);
    if (rc == KB_OK) rc = search_all_pass(s, q, SEARCH_EVERY_TABLE, &nAll);
    int nSynonym = 0;
    if (rc == KB_OK && !o->exact) rc = search_synonym_pass(s, q, &nSynonym);
    if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll > 0) rc = search_completion_pass(s, q, &nAll);
    nAll += nLiteral + nSynonym;
    /* Marked as typed: a word completed as a prefix is still unknown
     * if that finds no section with every word. */
    if (rc == KB_OK && nId == 0 && nAll == 0) search_mark_unknown(s, q, aUnknown);
    int split = 0;
    if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll == 0) {
        split = search_split_codes(s, q, aUnknown, aCorrected);
        split |= search_split_cjk_words(s, q, aUnknown, aCorrected);
    }
    if (split) {
        search_forget_dfs(s); /* of the terms before the split */
        rc = search_all_pass(s, q, SEARCH_EVERY_TABLE, &nAll);
    }
    /* No section has every word: a word may be mistyped, or still being
     * typed. Relaxed before the second pass, which would otherwise run
     * once for nothing. Pasted text is not relaxed: a second search
     * would also double its cost. */
    if (rc == KB_OK && !o->exact && !pasted && nId == 0 && nAll == 0 && search_relax(s, q, aCorrected)) {
        search_forget_dfs(s); /* no hit to drop: nothing has matched yet */
        rc = search_all_pass(s, q, SEARCH_EVERY_TABLE, &nAll);
    }
    if (rc == KB_OK && nId == 0 && nAll == 0) rc = search_code_pass(s, q);
    /* "kubectl the": with its unknown words left out, a question of stop
     * words, which the OR pass had answered with noise, exit 0 */
    int aGone[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) aGone[i] = aUnknown[i] && !aCorrected[i];
    if (rc == KB_OK && nId == 0 && nAll == 0 && s->r->n == 0 && S_only_common_words(s, q, aGone, s->r)) {
        search_list_unknown(s, q, aGone, s->r);
        return rc;
    }
    if (rc == KB_OK) rc = search_any_pass(s, q, nAll);
    /* Pasted text too when the OR pass found nothing: its known word
     * may be too common to select by itself there ("kubectl helm
     * terraform pulumi ansible backup" on the bundled corpus). */
    if (rc == KB_OK && !o->exact && nId == 0 && nAll == 0 && (!pasted || s->r->n == 0))
        rc = search_known_words_pass(s, q);
    if (rc == KB_OK && nAll == 0) {
        for (int i = 0; i < q->n; i++) aUnknown[i] &= !aCorrected[i];
        search_list_unknown(s, q, aUnknown, s->r);
    }
    return rc;
}

/* r->corrected, the question as the results write its corrected words.
 * This page tells it when it is the first page and holds
 * KB_CORRECTION_PAGE results, or its start holds every word's final form
 * (the reading of the first page stops there), or it is all there is.
 * Otherwise the first page is searched for it: a second search had cost a
 * corrected question at the default --limit 5 half its instructions. */
static int S_tell_correction(sqlite3 *db, const char *typed, const kb_query_opts *asked, const char *query,
                             const kb_query *q, const int *aCorrected, kb_results *r) {
    int nCorrected = 0;
    for (int i = 0; i < q->n; i++) nCorrected += aCorrected[i] != SEARCH_KEPT;
    if (nCorrected == 0) return KB_OK;
    int settled = asked->offset == 0 && (asked->limit >= KB_CORRECTION_PAGE || r->n < asked->limit);
    if (asked->offset == 0 && r->n > 0) {
        int final = 1;
        for (int i = 0; i < q->n; i++) /* a completion too is a stem ("cuent") */
            if (aCorrected[i] == SEARCH_CORRECTED || q->a[i].typed)
                final &= search_surface_form(r, &q->a[i], aCorrected[i] != SEARCH_CORRECTED);
        if (settled || final) r->corrected = search_corrected_question(query, q, aCorrected);
    }
    return settled || r->corrected ? KB_OK : S_first_page_correction(db, typed, asked, r);
}

/* A question --locale-only or --doc-prefix left no document to search
 * answers "No results." as a question nothing matched does, which sent the
 * reader looking for other words: the note (KB_ENOTFOUND) says why. */
static int S_tell_filtered_out(sqlite3 *db, const kb_query_opts *o, kb_results *r) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT 1 FROM docs d WHERE 1" SEARCH_FILTER_SQL("?2", "?3") " LIMIT 1", &st);
    if (rc != KB_OK) return rc;
    search_bind_filters(st, o);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    if (step == SQLITE_ROW) return KB_OK;
    if (step != SQLITE_DONE) return kb_db_fail(db);
    rc = kb_fail(KB_ENOTFOUND, _("no document of the index is in the locale or under the prefix asked for; "
                                 "kb-query --version lists its locales"));
    r->note = kb_xstrdup(kb_errmsg());
    return rc;
}

int kb_search(sqlite3 *db, const char *typed, const kb_query_opts *asked, kb_results *r) {
    char *folded = S_fold_question(typed);
    const char *query = folded ? folded : typed;
    memset(r, 0, sizeof *r);
    kb_query_opts opts = *asked;
    const kb_query_opts *o = &opts;
    search_state s = {.db = db, .o = o, .r = r, .stmts = {.db = db, .labels = search_view_labels(o)}};
    int rc = search_load_langs(&s);
    search_indexed_lang(&s, &opts);
    kb_query q;
    int cjkSymptom = 0;
    s.kanaTyped = search_kana_term(query);
    int symptom = search_parse_question(query, &q, &cjkSymptom);
    int pasted = s.pasted = search_pasted(&s, &q, query);
    search_note_missing_lang(&s, asked, &q);
    char *message = pasted ? search_message_of(&q, query, &symptom, &cjkSymptom) : NULL;
    if (message) query = message;
    if (rc == KB_OK) rc = search_errid_lookup(&s, query, &q);
    int nId = s.nId = r->n;
    if (symptom && rc == KB_OK) {
        rc = search_load_problems(&s);
        s.favourProblems = 1;
    }
    if (pasted)
        for (int i = 0; i < q.n; i++) q.a[i].negated = 0;
    else if (rc == KB_OK)
        search_mark_lone_cjk(&s, &q);
    if (rc == KB_OK && !o->exact) search_translate(&s, &q);
    /* An index of no documents (kb-index of an empty tree) has no table to
     * search, nor a language for the reader's to default to (slot 0,
     * S_pref_lang in kb_search_question.c): its slot 0 was filled, and
     * never released (a leak per question of --serve). */
    int done = s.nLang == 0;
    if (rc == KB_OK && !pasted && nId == 0 && !done) done = S_only_common_words(&s, &q, NULL, r);
    if (rc == KB_OK && nId > 0 && !done) rc = search_errid_text(&s, &q, nId, &done);
    int aCorrected[KB_QPARSE_MAX_TERMS] = {0};
    if (rc == KB_OK && !done) rc = S_text_passes(&s, &q, query, cjkSymptom, aCorrected);
    const kb_query *aAlso[] = {&s.reworded, &s.completed};
    search_collect_terms(&q, aAlso, 2, r);
    search_choose_language(&s, &q, query, nId);
    if (rc == KB_OK) rc = S_favour_exact_headings(&s, query);
    search_release_langs(&s);
    if (rc == KB_OK) rc = s.rcRead ? s.rcRead : s.stmts.rc;
    search_excluded_init(&s.excluded, &q);
    if (rc == KB_OK) rc = search_finish(&s);
    search_excluded_free(&s.excluded);
    search_stmts_free(&s.stmts);
    kb_buf_free(&s.problems);
    kb_query_free(&s.reworded);
    kb_query_free(&s.completed);
    if (rc == KB_OK) rc = S_tell_correction(db, typed, asked, query, &q, aCorrected, r);
    if (rc == KB_OK && r->n == 0 && (o->localeOnly || o->docPrefix)) rc = S_tell_filtered_out(db, o, r);
    kb_query_free(&q);
    free(message);
    free(folded);
    return rc;
}
