/* kb_search_state.c: see kb_search_state.h. */
#include "kb_search_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_db.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_pack.h"
#include "kb_qparse.h"
#include "kb_render.h"
#include "kb_spell.h"
#include "kb_tok.h"

static const char *const S_stmt_sql[SEARCH_SQL_COUNT] = {
    /* what ranking and de-duplication need: no Markdown is read */
    [SEARCH_SQL_KEY] = "SELECT d.path, s.anchor, s.locale, s.lang, d.dkey, s.ord FROM sections s"
                       " JOIN docs d ON d.id = s.doc_id WHERE s.id = ?",
    [SEARCH_SQL_BODY] = "SELECT coalesce(d.title, ''), s.heading, s.breadcrumb, v.view, s.level FROM sections s"
                        " JOIN docs d ON d.id = s.doc_id JOIN section_view v ON v.id = s.id WHERE s.id = ?",
    /* min() takes the id from the row of the first locale (SQLite's rule for
     * a bare column beside min()); ORDER BY ... LIMIT 1 built an ephemeral
     * index, whose pager's page cache is fresh memory on every run. Both
     * keep to the filters (?2, ?3): a Spanish question on --doc-prefix
     * en-us/ had been shown the es-es copies of what it found. */
    [SEARCH_SQL_COPY_IN_LANG] = "SELECT s.id, min(s.locale) FROM docs d JOIN sections s ON s.doc_id = d.id"
                                " WHERE d.dkey = ?5 AND s.anchor = ?6 AND s.lang = ?1" SEARCH_FILTER_SQL("?2", "?3"),
    [SEARCH_SQL_COPIES] = "SELECT s.id FROM docs d JOIN sections s ON s.doc_id = d.id"
                          " WHERE d.dkey = ?5 AND s.anchor = ?6 AND s.id <> ?4" SEARCH_FILTER_SQL("?2", "?3")
                          " ORDER BY s.locale",
    [SEARCH_SQL_SUBSECTIONS] = "SELECT n.level, v.view FROM sections s JOIN sections n ON n.doc_id = s.doc_id"
                               " AND n.ord > s.ord JOIN section_view v ON v.id = n.id WHERE s.id = ? ORDER BY n.ord",
    [SEARCH_SQL_TERM_DF] = "SELECT df FROM terms WHERE lang = ? AND term = ?",
    /* stepped only as far as the rows start with ?2 */
    [SEARCH_SQL_TERMS_FROM] = "SELECT term, df FROM terms WHERE lang = ? AND term >= ? ORDER BY term",
    [SEARCH_SQL_LEXICON] = "SELECT docs_word FROM lexicon WHERE word = ?", /* in key order: no sort */
};

/* The labels of a result as shown: the UI language's when its text and
 * remediation records are (JSON), else English, as indexed. */
kb_labels search_view_labels(const kb_query_opts *o) { return o->viewLabels ? KB_LABELS_UI : KB_LABELS_ENGLISH; }

sqlite3_stmt *search_sql(search_stmts *c, int which) {
    if (!c->a[which] && kb_db_prepare(c->db, S_stmt_sql[which], &c->a[which]) != KB_OK) {
        if (c->rc == KB_OK) c->rc = KB_EDB; /* a table gone: the index is damaged, said by kb_db_prepare */
        return NULL;
    }
    sqlite3_reset(c->a[which]);
    sqlite3_clear_bindings(c->a[which]);
    return c->a[which];
}

void search_stmts_free(search_stmts *c) {
    for (int i = 0; i < SEARCH_SQL_COUNT; i++) sqlite3_finalize(c->a[i]);
    memset(c->a, 0, sizeof c->a);
    kb_unpacker_free(c->unpacker);
    c->unpacker = NULL;
}

/* Language l's tokenizer, kept for the whole search (a Snowball stemmer
 * is not free to create). */
kb_tok *search_tok(search_state *s, int l) {
    if (!s->aTok[l]) s->aTok[l] = kb_tok_new(s->aLang[l]);
    return s->aTok[l];
}

kb_spell *search_spell(search_state *s, int l) {
    if (!s->aSpell[l]) s->aSpell[l] = kb_spell_open(s->db, s->aLang[l]);
    return s->aSpell[l];
}

/* Whether a document of locale `locale` passes --locale-only `only`, as
 * SEARCH_FILTER_SQL tests it: the locale, or one of its own ("es": es-es). */
static int S_locale_passes(const char *locale, size_t n, const char *only) {
    size_t nOnly = strlen(only);
    return (n == nOnly || (n > nOnly && locale[nOnly] == '-')) && strncmp(locale, only, nOnly) == 0;
}

/* s->aFilter from the index's locales (meta 'locales', "es-es zh-tw"):
 * with --locale-only, a language none of whose locales pass holds no row
 * to read, and one all of whose locales pass needs none tested, unless
 * --doc-prefix is given too. An index without the list (written before
 * it) has each row tested. The list is read for --locale-only alone: read
 * with the languages, it had cost every question 19K instructions. */
static void S_load_filters(search_state *s) {
    const kb_query_opts *o = s->o;
    char locales[4096] = "";
    int known = o && o->localeOnly && kb_db_meta(s->db, "locales", locales, sizeof locales) == KB_OK &&
                locales[0] && strlen(locales) < sizeof locales - 1; /* a list cut short is none */
    for (int l = 0; o && l < s->nLang; l++) {
        int nPass = 0, nFail = 0;
        for (const char *z = locales; known && *z;) {
            size_t n = strcspn(z, " ");
            char locale[32], lang[8];
            snprintf(locale, sizeof locale, "%.*s", (int)n, z);
            kb_locale_lang(locale, lang, sizeof lang);
            if (strcmp(lang, s->aLang[l]) == 0) S_locale_passes(z, n, o->localeOnly) ? nPass++ : nFail++;
            z += n + (z[n] == ' ');
        }
        if (!o->localeOnly && !o->docPrefix) s->aFilter[l] = SEARCH_ROWS_ALL;
        else if (!known) s->aFilter[l] = SEARCH_ROWS_FILTERED;
        else if (nPass == 0) s->aFilter[l] = SEARCH_ROWS_NONE;
        else s->aFilter[l] = nFail == 0 && !o->docPrefix ? SEARCH_ROWS_ALL : SEARCH_ROWS_FILTERED;
    }
}

int search_load_langs(search_state *s) {
    sqlite3_stmt *st = NULL;
    /* unordered: the language's ids no longer follow its documents' order (S_match) */
    int rc = kb_db_prepare(s->db,
                           "SELECT lang, nsection, ncopy, instr(' ' || (SELECT value FROM meta WHERE key = "
                           "'unordered_langs') || ' ', ' ' || lang || ' ') > 0 FROM langs WHERE nsection > 0 "
                           "ORDER BY lang",
                           &st);
    int step = SQLITE_DONE;
    while (rc == KB_OK && s->nLang < KB_DB_MAX_LANGS && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *lang = (const char *)sqlite3_column_text(st, 0);
        /* pasted into the names of the tables a question reads */
        if (!kb_db_lang_ok(lang)) {
            rc = kb_db_damaged(sqlite3_db_filename(s->db, "main"), _("table langs names a language no index can hold"));
            break;
        }
        s->aRows[s->nLang] = sqlite3_column_int(st, 1);
        /* a document has a copy per locale, and an index at most
         * KB_DB_MAX_LANGS languages' worth of them: a pool this many
         * times a page (search_table_pool) cannot overflow */
        int copies = sqlite3_column_int(st, 2);
        s->aCopies[s->nLang] = copies < 1 ? 1 : copies > KB_DB_MAX_LANGS ? KB_DB_MAX_LANGS : copies;
        s->aUnordered[s->nLang] = sqlite3_column_int(st, 3);
        snprintf(s->aLang[s->nLang++], sizeof s->aLang[0], "%s", lang);
    }
    /* a damaged table is no index of fewer languages */
    if (rc == KB_OK && step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    sqlite3_finalize(st);
    if (rc == KB_OK) S_load_filters(s);
    return rc;
}

/* Whether db's last error is FTS5's about a query ("fts5: syntax
 * error..."), which should not happen (every term is quoted) and is taken
 * for "no result"; any other failure ("SQL logic error" of a dropped
 * fts_es_idx, a damaged page) is the index's. */
int search_fts_query_error(sqlite3 *db) {
    return sqlite3_errcode(db) == SQLITE_ERROR && strncmp(sqlite3_errmsg(db), "fts5:", 5) == 0;
}

/* A lookup's step (a word's sections, a completion), its failure (a
 * damaged page) remembered: the lookup answers "none", and kb_search then
 * reports the damage rather than a page ranked as if the rows were not
 * there. Returns step. */
int search_stepped(search_state *s, sqlite3_stmt *st) {
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE && s->rcRead == KB_OK && !search_fts_query_error(s->db))
        s->rcRead = kb_db_fail(s->db);
    return step;
}

const char search_filter_sql[] = SEARCH_FILTER_SQL("?2", "?3");

void search_bind_filters(sqlite3_stmt *st, const kb_query_opts *o) {
    if (o->localeOnly) sqlite3_bind_text(st, 2, o->localeOnly, -1, SQLITE_STATIC);
    if (o->docPrefix) sqlite3_bind_text(st, 3, o->docPrefix, -1, SQLITE_STATIC);
}

/* Forgets the document frequencies of the query's terms (they changed). */
void search_forget_dfs(search_state *s) {
    for (int l = 0; l < s->nLang; l++) {
        free(s->aDf[l]);
        free(s->aCost[l]);
        free(s->aDup[l]);
        s->aDf[l] = s->aCost[l] = s->aDup[l] = NULL;
    }
}

/* What kb_search keeps per language, released; a read its spelling
 * lookups failed is kept in s->rcRead. */
void search_release_langs(search_state *s) {
    for (int l = 0; l < s->nLang; l++) {
        if (s->rcRead == KB_OK) s->rcRead = kb_spell_failed(s->aSpell[l]);
        kb_spell_close(s->aSpell[l]);
        sqlite3_finalize(s->aMatch[l]);
        sqlite3_finalize(s->aMatchWithin[l]);
        sqlite3_finalize(s->aCount[l]);
        kb_tok_free(s->aTok[l]);
        s->aSpell[l] = NULL, s->aMatch[l] = s->aMatchWithin[l] = s->aCount[l] = NULL, s->aTok[l] = NULL;
    }
    kb_tok_free(s->enTok);
    s->enTok = NULL;
    search_forget_dfs(s);
}

void search_excluded_init(search_excluded *x, const kb_query *q) {
    memset(x, 0, sizeof *x);
    int any = 0;
    for (int i = 0; i < q->n && !any; i++) any = q->a[i].negated;
    if (!any) return; /* most questions: nothing to allocate */
    kb_query words = {kb_xcalloc((size_t)q->n + 1, sizeof *words.a), 0};
    for (int i = 0; i < q->n; i++) /* shallow copies, positive: freed with the question */
        if (q->a[i].negated) {
            words.a[words.n] = q->a[i];
            words.a[words.n].negated = words.a[words.n].orWithNext = 0;
            words.n++;
        }
    x->expr = kb_query_fts(&words, KB_QANY, NULL);
    free(words.a);
}

void search_excluded_free(search_excluded *x) {
    for (int l = 0; l < KB_DB_MAX_LANGS; l++) sqlite3_finalize(x->aStmt[l]);
    free(x->expr);
}

int search_excluded_has(search_state *s, search_excluded *x, sqlite3_int64 section, const char *lang) {
    if (!x->expr) return 0;
    int l = 0;
    while (l < s->nLang && strcmp(s->aLang[l], lang) != 0) l++;
    if (l == s->nLang) return 0;
    if (!x->aStmt[l]) {
        char fts[32], sql[160];
        kb_db_fts_name(lang, fts, sizeof fts);
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s MATCH ?1 AND rowid = ?2", fts, fts);
        if (kb_db_prepare(s->db, sql, &x->aStmt[l]) != KB_OK) return 0;
    }
    sqlite3_stmt *st = x->aStmt[l];
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, x->expr, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, section);
    return sqlite3_step(st) == SQLITE_ROW;
}
