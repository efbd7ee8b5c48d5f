/* kb_search_page.c: see kb_search_page.h. */
#include "kb_search_page.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_db.h"
#include "kb_msg.h"
#include "kb_qparse.h"
#include "kb_render.h"
#include "kb_search_state.h"
#include "kb_util.h"

/* A section's stored view from column i of st. */
static int S_view_column(search_stmts *c, sqlite3_stmt *st, int i, kb_view *v) {
    if (!c->unpacker) c->unpacker = kb_unpacker_new(c->db);
    kb_view_free(v);
    return kb_view_unpack(c->unpacker, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i), v);
}

/* The hits are found by id through a hash index, open addressing at most
 * half full: a search was quadratic in its hits, and a bot asking for
 * --offset 32000 of "azure" waited 4.7 s. */
static unsigned S_by_id_slot(const kb_results *r, sqlite3_int64 id) {
    return (unsigned)(((uint64_t)id * 0x9E3779B97F4A7C15ULL) >> 32) & (unsigned)(r->nById - 1);
}

static void S_index_hit(kb_results *r, int i) {
    unsigned k = S_by_id_slot(r, r->a[i].id);
    while (r->aById[k]) k = (k + 1) & (unsigned)(r->nById - 1);
    r->aById[k] = i + 1;
}

static kb_hit *S_hit_find(kb_results *r, sqlite3_int64 id) {
    for (unsigned k = r->nById ? S_by_id_slot(r, id) : 0; r->nById && r->aById[k]; k = (k + 1) & (unsigned)(r->nById - 1))
        if (r->a[r->aById[k] - 1].id == id) return &r->a[r->aById[k] - 1];
    return NULL;
}

int search_hit_has_id(kb_results *r, sqlite3_int64 id) {
    const kb_hit *h = S_hit_find(r, id);
    return h && h->match == KB_MATCH_ERRID;
}

/* Room for one more hit in the index, rebuilt twice as large when it would
 * be more than half full. */
static void S_index_grow(kb_results *r) {
    if (2 * (r->n + 1) <= r->nById) return;
    free(r->aById);
    if (r->nById == 0) r->nById = 64;
    while (2 * (r->n + 1) > r->nById) r->nById *= 2;
    r->aById = kb_xcalloc((size_t)r->nById, sizeof *r->aById);
    for (int i = 0; i < r->n; i++) S_index_hit(r, i);
}

/* Sorting the hits moves them: the index is dropped, hits are added no more. */
static void S_index_drop(kb_results *r) {
    free(r->aById);
    r->aById = NULL;
    r->nById = 0;
}

/* Adds evidence for a section: error-ID and text evidence add up (an ID hit
 * that also matches the query's words ranks above one that does not);
 * evidence of the same kind keeps its best value. */
kb_hit *search_hit_add(kb_results *r, sqlite3_int64 id, double score, int match) {
    kb_hit *h = S_hit_find(r, id);
    if (!h) {
        if (r->n == r->cap) {
            r->cap = r->cap ? r->cap * 2 : 32;
            r->a = kb_xrealloc(r->a, (size_t)r->cap * sizeof *r->a);
        }
        S_index_grow(r);
        h = &r->a[r->n++];
        memset(h, 0, sizeof *h);
        h->id = id;
        h->match = match;
        S_index_hit(r, r->n - 1);
    }
    if (match == KB_MATCH_ERRID) {
        h->match = KB_MATCH_ERRID;
        if (score > h->idScore) h->idScore = score;
    } else if (score > h->textScore) {
        h->textScore = score;
    }
    h->score = h->idScore + h->textScore;
    return h;
}

static int S_cmp_hit(const void *a, const void *b) {
    const kb_hit *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? 1 : -1;
    return x->id < y->id ? -1 : x->id > y->id;
}

static char *S_col_dup(sqlite3_stmt *st, int i) {
    const unsigned char *z = sqlite3_column_text(st, i);
    return kb_xstrdup(z ? (const char *)z : "");
}

static void S_set(char **pField, char *z) {
    free(*pField);
    *pField = z;
}

/* A section a search found is not in the sections table, or SQLite could
 * not read it. */
static int S_section_missing(sqlite3 *db, sqlite3_stmt *st, sqlite3_int64 id) {
    int step = sqlite3_reset(st);
    if (step != SQLITE_OK) return kb_db_fail(db);
    char why[64];
    snprintf(why, sizeof why, _("section %lld is missing"), (long long)id);
    return kb_db_damaged(sqlite3_db_filename(db, "main"), why);
}

/* Loads where a hit lives: doc, anchor, locale, language, section key. */
int search_load_key(search_stmts *c, kb_hit *h) {
    sqlite3_stmt *st = search_sql(c, SEARCH_SQL_KEY);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    if (sqlite3_step(st) != SQLITE_ROW) return S_section_missing(c->db, st, h->id);
    S_set(&h->doc, S_col_dup(st, 0));
    S_set(&h->anchor, S_col_dup(st, 1));
    S_set(&h->locale, S_col_dup(st, 2));
    S_set(&h->lang, S_col_dup(st, 3));
    S_set(&h->dkey, S_col_dup(st, 4));
    S_set(&h->skey, kb_xasprintf("%s#%s", h->dkey, h->anchor));
    h->ord = sqlite3_column_int(st, 5);
    sqlite3_reset(st);
    return KB_OK;
}

/* The Markdown of the subsections (the deeper levels that follow), after
 * the section's own. */
static int S_append_subsections(search_stmts *c, const kb_hit *h, int level, kb_buf *md) {
    sqlite3_stmt *st = search_sql(c, SEARCH_SQL_SUBSECTIONS);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    int rc = KB_OK, step;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_int(st, 0) > level) {
        kb_view sub = {0};
        rc = S_view_column(c, st, 1, &sub);
        kb_buf_addc(md, '\n');
        kb_buf_adds(md, sub.source);
        kb_view_free(&sub);
    }
    /* damaged: --show --full had ended the section there, silently */
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

/* Loads what is shown: title, heading, breadcrumb and the section's view,
 * as stored unless the view must be computed: with its subsections, or
 * with the labels of a UI language that translates them. */
static int S_load_body(search_stmts *c, kb_hit *h, int full) {
    sqlite3_stmt *st = search_sql(c, SEARCH_SQL_BODY);
    if (!st) return KB_EDB;
    sqlite3_bind_int64(st, 1, h->id);
    if (sqlite3_step(st) != SQLITE_ROW) return S_section_missing(c->db, st, h->id);
    S_set(&h->title, S_col_dup(st, 0));
    S_set(&h->heading, S_col_dup(st, 1));
    S_set(&h->breadcrumb, S_col_dup(st, 2));
    int rc = S_view_column(c, st, 3, &h->view);
    int level = h->level = sqlite3_column_int(st, 4);
    sqlite3_reset(st);
    if (rc) return rc;
    if (!full) {
        kb_view_fill_labels(&h->view, c->labels);
        return KB_OK;
    }
    kb_buf md = {0};
    kb_buf_adds(&md, h->view.source);
    rc = S_append_subsections(c, h, level, &md);
    kb_view_free(&h->view);
    kb_view_build(kb_buf_str(&md), h->doc, c->labels, &h->view);
    kb_buf_free(&md);
    return rc;
}

int search_load_hit(search_stmts *c, kb_hit *h, int full) {
    int rc = search_load_key(c, h);
    return rc ? rc : S_load_body(c, h, full);
}

/* The copy of a section in the preferred language into *pId, -1 if the
 * index has none that o's filters keep; KB_EDB when it cannot be read (a
 * damaged index had shown the copy in another language). */
static int S_preferred_copy(search_stmts *c, const kb_hit *h, const kb_query_opts *o, const char *lang,
                            sqlite3_int64 *pId) {
    sqlite3_stmt *st = search_sql(c, SEARCH_SQL_COPY_IN_LANG);
    *pId = -1;
    if (!st) return KB_EDB;
    search_bind_filters(st, o);
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, h->dkey, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->anchor, -1, SQLITE_STATIC);
    int rc = KB_OK, step = sqlite3_step(st);
    if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) *pId = sqlite3_column_int64(st, 0);
    else if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

void search_hit_clear(kb_hit *h) {
    char **aField[] = {&h->doc,        &h->anchor,  &h->locale, &h->lang, &h->title,
                       &h->heading,    &h->breadcrumb, &h->skey, &h->dkey};
    for (size_t k = 0; k < sizeof aField / sizeof aField[0]; k++) {
        free(*aField[k]);
        *aField[k] = NULL;
    }
    kb_view_free(&h->view);
}

/* Ids of the other locales' copies of a section, at most max, into aId;
 * how many into *pn. KB_EDB when the index cannot be read. */
static int S_copies(search_stmts *c, const kb_hit *h, const kb_query_opts *o, sqlite3_int64 *aId, int max, int *pn) {
    sqlite3_stmt *st = search_sql(c, SEARCH_SQL_COPIES);
    *pn = 0;
    if (!st) return KB_EDB;
    search_bind_filters(st, o);
    sqlite3_bind_int64(st, 4, h->id);
    sqlite3_bind_text(st, 5, h->dkey, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, h->anchor, -1, SQLITE_STATIC);
    int rc = KB_OK, step = SQLITE_DONE;
    while (*pn < max && (step = sqlite3_step(st)) == SQLITE_ROW) aId[(*pn)++] = sqlite3_column_int64(st, 0);
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(c->db);
    sqlite3_reset(st);
    return rc;
}

typedef struct S_page {
    kb_hit *a;
    int n, skipped;
    char **aSkippedKey; /* the skey of each hit the offset skipped */
    int nSkippedAlloc;
    kb_strset keys;     /* the skeys of both: a scan of them went quadratic (--offset 100000: 23 s) */
} S_page;

/* Whether the page, or the part of it the offset skipped, has h's section:
 * a section found in two languages is one result, on whichever page. */
static int S_page_has(const S_page *p, const kb_hit *h) {
    for (int k = 0; k < p->n; k++)
        if (p->a[k].id == h->id) return 1;
    return kb_strset_has(&p->keys, h->skey);
}

/* Takes ownership of h's fields unless it falls before the offset, and
 * loads what is shown only for the hits that are. */
static int S_page_add(S_page *p, search_stmts *c, const kb_query_opts *o, kb_hit *h) {
    if (p->skipped < o->offset) {
        /* Grown as needed: with --all-locales a hit's copies are skipped too. */
        if (p->skipped == p->nSkippedAlloc) {
            p->nSkippedAlloc = p->nSkippedAlloc ? 2 * p->nSkippedAlloc : 16;
            p->aSkippedKey = kb_xrealloc(p->aSkippedKey, (size_t)p->nSkippedAlloc * sizeof *p->aSkippedKey);
        }
        p->aSkippedKey[p->skipped++] = h->skey;
        kb_strset_add(&p->keys, h->skey);
        h->skey = NULL;
        search_hit_clear(h);
        return KB_OK;
    }
    int rc = S_load_body(c, h, o->full);
    p->a[p->n++] = *h;
    kb_strset_add(&p->keys, p->a[p->n - 1].skey);
    memset(h, 0, sizeof *h);
    return rc;
}

/* Sections in the order of their documents' paths, then of their place
 * in the document. */
static int S_cmp_place(const void *a, const void *b) {
    const kb_hit *x = a, *y = b;
    int c = strcmp(x->doc, y->doc);
    return c ? c : (x->ord > y->ord) - (x->ord < y->ord);
}

/* Hits of equal score in the order of the sections' places (S_cmp_place),
 * not of their ids. A full build numbers sections so, but a document
 * indexed again gets new ids: an index updated in place listed three
 * identical pages b, c, a where one built whole lists a, b, c. Only ties
 * among the first `need` hits are read for it (their keys, which the page
 * reads anyway; a tie that starts among them is read whole). */
static int S_order_ties(search_state *s, int need) {
    kb_results *r = s->r;
    for (int i = 0; i < r->n && i < need;) {
        int j = i + 1;
        while (j < r->n && r->a[j].score == r->a[i].score) j++;
        if (j - i > 1) {
            for (int k = i; k < j; k++) {
                int rc = search_load_key(&s->stmts, &r->a[k]);
                if (rc) return rc;
            }
            qsort(r->a + i, (size_t)(j - i), sizeof *r->a, S_cmp_place);
        }
        i = j;
    }
    return KB_OK;
}

/* Sorts and pages. One copy per section, in the preferred language when
 * the index has it; with --all-locales, each section's copies follow it. */
int search_finish(search_state *s) {
    kb_results *r = s->r;
    const kb_query_opts *o = s->o;
    S_index_drop(r);
    S_page page = {.a = kb_xcalloc((size_t)o->limit + 1, sizeof *page.a)};
    /* Each hit fills one place at most unless its copies are shown too:
     * an offset past them all reads nothing (--offset 100000 of "azure"
     * had read every hit's key and preferred copy to print none, 1.7G
     * instructions). */
    int copiesShown = (o->allLocales || s->everyCopy) && !o->localeOnly;
    if (!copiesShown && r->n <= o->offset) {
        for (int i = 0; i < r->n; i++) search_hit_clear(&r->a[i]);
        r->n = 0;
    }
    if (r->n > 1) qsort(r->a, (size_t)r->n, sizeof *r->a, S_cmp_hit);
    search_stmts *c = &s->stmts;
    /* the page skips the copies of a section it has, one per language
     * at most and more in --all-locales: room for them (two had been
     * allowed: with three languages, a tie past them kept id order) */
    int rc = S_order_ties(s, (s->nLang + 1) * (o->offset + o->limit) + 16);
    for (int i = 0; rc == KB_OK && i < r->n && page.n < o->limit; i++) {
        kb_hit *h = &r->a[i];
        if (!h->doc) rc = search_load_key(c, h); /* a tie's is read (S_order_ties) */
        if (rc || S_page_has(&page, h)) continue;
        if (s->prefLang && !o->localeOnly && !o->allLocales && strcmp(h->lang, s->prefLang) != 0) {
            sqlite3_int64 id;
            const char *lang = s->prefLang;
            rc = S_preferred_copy(c, h, o, lang, &id);
            if (rc == KB_OK && id < 0 && s->fallbackLang && strcmp(h->lang, s->fallbackLang) != 0)
                rc = S_preferred_copy(c, h, o, lang = s->fallbackLang, &id);
            /* the copy found, not one with a word the question excludes */
            if (rc == KB_OK && id >= 0 && !search_excluded_has(s, &s->excluded, id, lang)) {
                h->id = id;
                rc = search_load_key(c, h);
            }
        }
        sqlite3_int64 aCopy[16];
        int nCopy = 0;
        if (rc == KB_OK && copiesShown)
            rc = S_copies(c, h, o, aCopy, 16, &nCopy);
        kb_hit base = *h;
        if (rc == KB_OK) rc = S_page_add(&page, c, o, h);
        for (int k = 0; rc == KB_OK && k < nCopy && page.n < o->limit; k++) {
            kb_hit copy = {.id = aCopy[k], .score = base.score, .idScore = base.idScore,
                           .textScore = base.textScore, .match = base.match};
            memcpy(copy.errid, base.errid, sizeof copy.errid);
            rc = search_load_key(c, &copy);
            int shown = rc == KB_OK && !search_excluded_has(s, &s->excluded, copy.id, copy.lang);
            if (shown) rc = S_page_add(&page, c, o, &copy);
            else search_hit_clear(&copy);
        }
    }
    for (int i = 0; i < r->n; i++) search_hit_clear(&r->a[i]);
    kb_strset_free(&page.keys);
    for (int k = 0; k < page.skipped; k++) free(page.aSkippedKey[k]);
    free(page.aSkippedKey);
    free(r->a);
    r->a = page.a;
    r->n = r->cap = page.n;
    return rc;
}

/* The words a result shows as matches: the question's, and those of the
 * other questions searched for it (its rewording in the docs' words, its
 * last word completed), which found sections that say none of the
 * question's ("copia de seguridad" for "backup", "windows" for "wind"). */
void search_collect_terms(const kb_query *q, const kb_query *const *aAlso, int nAlso, kb_results *r) {
    int n = q->n;
    for (int k = 0; k < nAlso; k++) n += aAlso[k]->n;
    r->aTerm = kb_xcalloc((size_t)n + 1, sizeof *r->aTerm);
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) r->aTerm[r->nTerm++] = kb_xstrdup(q->a[i].text);
    for (int k = 0; k < nAlso; k++)
        for (int i = 0; i < aAlso[k]->n; i++) {
            const kb_qterm *t = &aAlso[k]->a[i];
            int seen = t->negated;
            for (int j = 0; j < r->nTerm && !seen; j++) seen = strcmp(r->aTerm[j], t->text) == 0;
            if (!seen) r->aTerm[r->nTerm++] = kb_xstrdup(t->text);
        }
}

void kb_results_free(kb_results *r) {
    for (int i = 0; i < r->n; i++) search_hit_clear(&r->a[i]);
    free(r->a);
    free(r->aById);
    free(r->decoded);
    free(r->note);
    free(r->corrected);
    free(r->missingLang);
    free(r->indexLangs);
    for (int i = 0; i < r->nTerm; i++) free(r->aTerm[i]);
    free(r->aTerm);
    for (int i = 0; i < r->nUnknown; i++) free(r->aUnknown[i]);
    free(r->aUnknown);
    for (int i = 0; i < r->nCommon; i++) free(r->aCommon[i]);
    free(r->aCommon);
    memset(r, 0, sizeof *r);
}
