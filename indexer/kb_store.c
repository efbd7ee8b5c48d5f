/* kb_store.c: see kb_store.h. */
#include "kb_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb_db.h"
#include "kb_md.h"
#include "kb_msg.h"
#include "kb_rank.h"
#include "kb_search.h"
#include "kb_termdf.h"
#include "kb_util.h"
#include "kb_view.h"
#include "kb_vocab.h"

enum {
    ST_DOC_ID, ST_DOC_INSERT, ST_DOC_DELETE, ST_DOC_TOUCH, ST_SEC_OF_DOC, ST_SEC_INSERT,
    ST_SEC_DELETE, ST_ANCHOR_INSERT, ST_ANCHOR_DELETE, ST_HEADING_INSERT, ST_HEADING_DELETE,
    ST_ERRID_INSERT, ST_ERRID_DELETE, ST_INCLUDE_INSERT, ST_INCLUDE_DELETE, ST_VIEW_INSERT,
    ST_VIEW_DELETE, ST_COUNT
};

static const char *const kb_store_sql[ST_COUNT] = {
    [ST_DOC_ID] = "SELECT id FROM docs WHERE path=?",
    [ST_DOC_INSERT] = "INSERT INTO docs(path, locale, title, description, topic, date, size, stamp, hash, "
                      "nsection, nword, dkey, nproblem, xhash) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [ST_DOC_DELETE] = "DELETE FROM docs WHERE id=?",
    [ST_DOC_TOUCH] = "UPDATE docs SET size=?, stamp=? WHERE path=?",
    [ST_SEC_OF_DOC] = "SELECT s.id, s.lang, s.heading, s.breadcrumb, v.view, s.anchor, s.aliases FROM sections s "
                      "JOIN section_view v ON v.id = s.id WHERE s.doc_id=?",
    [ST_SEC_INSERT] = "INSERT INTO sections(doc_id, ord, anchor, level, line, locale, lang, heading, "
                      "breadcrumb, problem, aliases) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
    [ST_SEC_DELETE] = "DELETE FROM sections WHERE doc_id=?",
    [ST_ANCHOR_INSERT] = "INSERT OR IGNORE INTO anchors(anchor, section_id) VALUES(?,?)",
    [ST_ANCHOR_DELETE] = "DELETE FROM anchors WHERE anchor=? AND section_id=?",
    [ST_HEADING_INSERT] = "INSERT OR IGNORE INTO heading_keys(key, section_id) VALUES(?,?)",
    [ST_HEADING_DELETE] = "DELETE FROM heading_keys WHERE key=? AND section_id=?",
    [ST_ERRID_INSERT] = "INSERT INTO error_ids(key, section_id, raw, kind, defining) VALUES(?,?,?,?,?) "
                        "ON CONFLICT(key, section_id) DO UPDATE SET defining=max(defining, excluded.defining)",
    [ST_ERRID_DELETE] = "DELETE FROM error_ids WHERE section_id IN (SELECT id FROM sections WHERE doc_id=?)",
    [ST_INCLUDE_INSERT] = "INSERT OR IGNORE INTO doc_includes(doc_id, path, size, stamp) VALUES(?,?,?,?)",
    [ST_INCLUDE_DELETE] = "DELETE FROM doc_includes WHERE doc_id=?",
    [ST_VIEW_INSERT] = "INSERT INTO section_view(id, view) VALUES(?,?)",
    [ST_VIEW_DELETE] = "DELETE FROM section_view WHERE id IN (SELECT id FROM sections WHERE doc_id=?)",
};

struct kb_store {
    sqlite3 *db;
    kb_unpacker *unpacker; /* reads the views of documents being replaced */
    sqlite3_stmt *aStmt[ST_COUNT];
    /* Per language, created on first use: FTS insert and delete
     * statements, the changes in its terms' counts when counted, and a
     * tokenizer for the heading keys of sections being forgotten. */
    /* A run may forget the sections of every language the index holds and
     * write those of as many others (every document's locale changed). */
    struct S_lang { char lang[8]; sqlite3_stmt *ins, *del; kb_termdf *df; kb_tok *tok; } aLang[2 * KB_DB_MAX_LANGS];
    int nLang;
    int countTerms; /* kb_store_count_terms */
};

int kb_store_open(sqlite3 *db, kb_store **pStore) {
    kb_store *s = kb_xcalloc(1, sizeof *s);
    s->db = db;
    s->unpacker = kb_unpacker_new(db);
    int rc = KB_OK;
    for (int i = 0; rc == KB_OK && i < ST_COUNT; i++) rc = kb_db_prepare(db, kb_store_sql[i], &s->aStmt[i]);
    if (rc) {
        kb_store_close(s);
        return rc;
    }
    *pStore = s;
    return KB_OK;
}

void kb_store_count_terms(kb_store *s) { s->countTerms = 1; }

int kb_store_write_terms(kb_store *s) {
    int rc = KB_OK;
    for (int i = 0; rc == KB_OK && i < s->nLang; i++)
        if (s->aLang[i].df) rc = kb_termdf_write(s->aLang[i].df, s->db, s->aLang[i].lang);
    return rc;
}

int kb_store_lang_count(const kb_store *s) { return s->nLang; }

const char *kb_store_lang_at(const kb_store *s, int i) { return i >= 0 && i < s->nLang ? s->aLang[i].lang : NULL; }

void kb_store_close(kb_store *s) {
    if (!s) return;
    for (int i = 0; i < ST_COUNT; i++) sqlite3_finalize(s->aStmt[i]);
    kb_unpacker_free(s->unpacker);
    for (int i = 0; i < s->nLang; i++) {
        sqlite3_finalize(s->aLang[i].ins);
        sqlite3_finalize(s->aLang[i].del);
        kb_termdf_free(s->aLang[i].df);
        kb_tok_free(s->aLang[i].tok);
    }
    free(s);
}

static sqlite3_stmt *S_stmt(kb_store *s, int which) {
    sqlite3_stmt *st = s->aStmt[which];
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

static int S_step_done(kb_store *s, sqlite3_stmt *st) {
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return kb_db_fail(s->db);
    return KB_OK;
}

/* The FTS statements of a language; creates its table on first use. */
static int S_lang(kb_store *s, const char *lang, struct S_lang **pLang) {
    for (int i = 0; i < s->nLang; i++) {
        if (strcmp(s->aLang[i].lang, lang) == 0) {
            *pLang = &s->aLang[i];
            return KB_OK;
        }
    }
    if (s->nLang == (int)(sizeof s->aLang / sizeof s->aLang[0]))
        return kb_fail(KB_ELIMIT, _("more than %d languages in one index"), s->nLang);
    int rc = kb_db_ensure_lang(s->db, lang);
    if (rc) return rc;
    char fts[32], sql[256];
    kb_db_fts_name(lang, fts, sizeof fts);
    int i = s->nLang;
    snprintf(s->aLang[i].lang, sizeof s->aLang[i].lang, "%s", lang);
    snprintf(sql, sizeof sql, "INSERT INTO %s(rowid, " KB_DB_FTS_COLUMNS ") VALUES(?,?,?,?,?,?)", fts);
    rc = kb_db_prepare(s->db, sql, &s->aLang[i].ins);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s(%s, rowid, " KB_DB_FTS_COLUMNS ") VALUES('delete',?,?,?,?,?,?)", fts, fts);
    if (rc == KB_OK) rc = kb_db_prepare(s->db, sql, &s->aLang[i].del);
    if (rc) {
        sqlite3_finalize(s->aLang[i].ins);
        return rc;
    }
    if (s->countTerms) s->aLang[i].df = kb_termdf_new();
    s->nLang++;
    *pLang = &s->aLang[i];
    return KB_OK;
}

static void S_count_token(void *ctx, const char *token, int nToken) { kb_termdf_add(ctx, token, nToken); }

/* Runs a language's FTS insert (sign > 0) or delete (sign < 0) of one row,
 * its terms counted when they are. */
static int S_fts_step(kb_store *s, struct S_lang *l, sqlite3_stmt *st, int sign) {
    if (l->df) {
        kb_termdf_row(l->df, sign);
        kb_tok_observe(S_count_token, l->df);
    }
    int rc = S_step_done(s, st);
    kb_tok_observe(NULL, NULL);
    return rc;
}

/* The words of a section's anchor, for a section not in English whose
 * anchor is not its heading's slug, into out: translated docs keep the
 * English original's anchors ("#the-remote-session-was-disconnected..."),
 * the only English left of a message a reader pastes from an English
 * dialog. Words of letters only: a GUID's pieces are no words. A column
 * of their own: in the breadcrumb's, they made every breadcrumb longer,
 * and its Spanish words weigh less. */
static void S_anchor_words(const char *lang, const char *anchor, const char *heading, kb_buf *out) {
    if (!anchor || !*anchor || strcmp(lang, "en") == 0) return;
    char *slug = kb_md_slug(heading ? heading : "", heading ? strlen(heading) : 0);
    int own = strcmp(slug, anchor) == 0;
    free(slug);
    if (own) return;
    for (const char *z = anchor; *z;) {
        size_t n = strcspn(z, "-_.");
        int letters = n >= 2;
        for (size_t i = 0; i < n && letters; i++)
            letters = (z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' && z[i] <= 'Z');
        if (letters) {
            if (out->n) kb_buf_addc(out, ' ');
            kb_buf_add(out, z, n);
        }
        z += n + (z[n] != 0);
    }
}

/* The texts of a section's FTS columns in table order (KB_DB_FTS_COLUMNS),
 * the one place that knows it: FTS5 tokenizes the columns in that order,
 * replaying what the worker recorded in it, and a contentless table
 * forgets a row only when shown the same texts again. The anchor's words
 * (S_anchor_words) are made into words, which must outlive aText. */
static void S_fts_texts(const char *body, const char *heading, const char *crumb, const char *errtext,
                        const char *lang, const char *anchor, kb_buf *words,
                        const char *aText[KB_DB_FTS_NCOLUMNS]) {
    kb_buf_reset(words);
    S_anchor_words(lang, anchor, heading, words);
    aText[0] = body ? body : "";
    aText[1] = heading ? heading : "";
    aText[2] = crumb ? crumb : "";
    aText[3] = errtext ? errtext : "";
    aText[4] = kb_buf_str(words);
}

static int S_forget_anchor(kb_store *s, sqlite3_int64 secId, const char *z, int n) {
    sqlite3_stmt *st = S_stmt(s, ST_ANCHOR_DELETE);
    sqlite3_bind_text(st, 1, z, n, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, secId);
    return S_step_done(s, st);
}

/* Deletes a section's anchors (its own, and its aliases, which
 * S_put_section joined with U+001F) and its heading key, each by its
 * table's key: the heading's is computed again, as the worker computed it
 * from the same text. */
static int S_forget_names(kb_store *s, struct S_lang *l, sqlite3_int64 secId, const char *anchor, const char *aliases,
                          const char *heading) {
    int rc = S_forget_anchor(s, secId, anchor, -1);
    for (const char *z = aliases; rc == KB_OK && z;) {
        const char *end = strchr(z, '\x1f');
        rc = S_forget_anchor(s, secId, z, end ? (int)(end - z) : -1);
        z = end ? end + 1 : NULL;
    }
    if (!l->tok) l->tok = kb_tok_new(l->lang);
    uint64_t key = kb_tok_words_key(l->tok, heading, (int)strlen(heading));
    if (rc == KB_OK && key) {
        sqlite3_stmt *st = S_stmt(s, ST_HEADING_DELETE);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)key);
        sqlite3_bind_int64(st, 2, secId);
        rc = S_step_done(s, st);
    }
    return rc;
}

/* Contentless FTS5 tables must be shown the old text to forget it: the
 * stored view holds it, as it was indexed. */
static int S_forget_sections(kb_store *s, sqlite3_int64 docId) {
    sqlite3_stmt *st = S_stmt(s, ST_SEC_OF_DOC);
    sqlite3_bind_int64(st, 1, docId);
    int rc = KB_OK, step;
    kb_buf body = {0}, words = {0};
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct S_lang *l;
        rc = S_lang(s, (const char *)sqlite3_column_text(st, 1), &l);
        if (rc) break;
        kb_view view = {0};
        rc = kb_view_unpack(s->unpacker, sqlite3_column_blob(st, 4), (size_t)sqlite3_column_bytes(st, 4), &view);
        if (rc) {
            kb_view_free(&view);
            break;
        }
        char *errtext = kb_view_errtext(&view);
        const char *aText[KB_DB_FTS_NCOLUMNS];
        kb_view_words(&view, &body);
        S_fts_texts(body.z, (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
                    errtext, l->lang, (const char *)sqlite3_column_text(st, 5), &words, aText);
        sqlite3_reset(l->del);
        sqlite3_bind_int64(l->del, 1, sqlite3_column_int64(st, 0));
        for (int c = 0; c < KB_DB_FTS_NCOLUMNS; c++) sqlite3_bind_text(l->del, 2 + c, aText[c], -1, SQLITE_STATIC);
        rc = S_fts_step(s, l, l->del, -1);
        if (rc == KB_OK)
            rc = S_forget_names(s, l, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 5),
                                (const char *)sqlite3_column_text(st, 6), (const char *)sqlite3_column_text(st, 2));
        free(errtext);
        kb_view_free(&view);
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(s->db);
    kb_buf_free(&body);
    kb_buf_free(&words);
    sqlite3_reset(st);
    /* Rows that name the sections go before the sections themselves. */
    static const int aDelete[] = {ST_ERRID_DELETE, ST_VIEW_DELETE, ST_SEC_DELETE, ST_INCLUDE_DELETE, ST_DOC_DELETE};
    for (size_t i = 0; rc == KB_OK && i < sizeof aDelete / sizeof aDelete[0]; i++) {
        sqlite3_stmt *d = S_stmt(s, aDelete[i]);
        sqlite3_bind_int64(d, 1, docId);
        rc = S_step_done(s, d);
    }
    return rc;
}

int kb_store_remove(kb_store *s, const char *path) {
    sqlite3_stmt *st = S_stmt(s, ST_DOC_ID);
    sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
    /* a failed read is no document not held: counted removed, it was then
     * added again and failed on UNIQUE(path) */
    int step = sqlite3_step(st);
    sqlite3_int64 id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    int rc = step == SQLITE_ROW || step == SQLITE_DONE ? KB_OK : kb_db_fail(s->db);
    sqlite3_reset(st);
    return rc != KB_OK || id < 0 ? rc : S_forget_sections(s, id);
}

int kb_store_touch(kb_store *s, const char *path, int64_t size, int64_t stampNs) {
    sqlite3_stmt *st = S_stmt(s, ST_DOC_TOUCH);
    sqlite3_bind_int64(st, 1, size);
    sqlite3_bind_int64(st, 2, stampNs);
    sqlite3_bind_text(st, 3, path, -1, SQLITE_TRANSIENT);
    return S_step_done(s, st);
}

/* DocFX page titles end with the site's name ("... | Microsoft Docs"): the
 * title of the page is what comes before. Translations write the bar
 * without one of its spaces ("Azure 自動化錯誤處理 |Microsoft Azure": 3,500 of
 * the zh-TW docs) or full-width ("｜"). A last part of more than three words
 * is the page's own ("... | Servicio de nube hospedado de búsqueda"). */
static char *S_page_title(const char *z) {
    if (!z) return NULL;
    const char *bar = NULL, *after = NULL;
    for (const char *p = z; *p; p++) {
        /* "(||)" and "a|b" are the title's own: a bar needs a space beside it */
        if (*p == '|' && ((p > z && p[-1] == ' ') || p[1] == ' ')) bar = p, after = p + 1;
        else if (strncmp(p, "\xEF\xBD\x9C", 3) == 0) bar = p, after = p + 3; /* U+FF5C */
    }
    if (!bar) return kb_xstrdup(z);
    const char *end = bar;
    while (end > z && end[-1] == ' ') end--;
    while (*after == ' ') after++;
    int words = 1;
    for (const char *p = after; *p; p++) words += *p == ' ' && p[1] && p[1] != ' ';
    return end > z && words <= 3 ? kb_xstrndup(z, (size_t)(end - z)) : kb_xstrdup(z);
}

/* The page's title, else its first top-level heading: an old document
 * whose metadata is a <properties/> element names none, and results showed
 * it as " · en-us". NULL when it has neither. */
static char *S_doc_title(const kb_doc *doc) {
    if (doc->title && *doc->title) return S_page_title(doc->title);
    for (int i = 0; i < doc->nSection; i++)
        if (doc->aSection[i].level == 1 && doc->aSection[i].heading[0]) return kb_xstrdup(doc->aSection[i].heading);
    return NULL;
}

static void S_bind_opt(sqlite3_stmt *st, int i, const char *z) {
    if (z) sqlite3_bind_text(st, i, z, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

/* "es-es/a/b.md" -> "a/b.md" when the first component is the locale. */
static const char *S_path_without_locale(const char *path, const char *locale) {
    size_t n = strlen(locale);
    const char *slash = strchr(path, '/');
    if (slash && (size_t)(slash - path) == n && strncasecmp(path, locale, n) == 0) return slash + 1;
    return path;
}

/* The heading path, parts separated by U+001F; one a heading holds itself
 * is a space, or it would read as two parts. */
static void S_join_breadcrumb(const kb_section *sec, kb_buf *b) {
    kb_buf_reset(b);
    for (int k = 0; k < 3; k++) {
        if (!sec->breadcrumb[k] || !*sec->breadcrumb[k]) continue;
        if (b->n) kb_buf_addc(b, '\x1f');
        for (const char *z = sec->breadcrumb[k]; *z; z++) kb_buf_addc(b, *z == '\x1f' ? ' ' : *z);
    }
}

static int64_t S_count_words(const char *z) {
    /* A word count for the summary, not a token count. */
    int64_t n = 0;
    int inWord = 0;
    for (; *z; z++) {
        int space = (*z == ' ' || *z == '\n' || *z == '\t');
        if (!space && !inWord) n++;
        inWord = !space;
    }
    return n;
}

/* What the section itself says of being about a problem (kb_store.h);
 * its document's path is looked at when it is written. The breadcrumb
 * ends with the section's own heading. */
static int S_is_problem(const kb_section *sec, const char *crumb) {
    if (sec->ids.n > 0) return 1;
    if (sec->view.remediation && strcmp(sec->view.remediation, "[]") != 0) return 1;
    size_t n = crumb ? strlen(crumb) : 0;
    return kb_vocab_contains(KB_VOCAB_SYMPTOM, crumb, n) || kb_vocab_contains(KB_VOCAB_PROBLEM, crumb, n);
}

void kb_store_prepare(kb_tok *t, kb_packer *p, const char *lang, const kb_section *sec, kb_store_section *out) {
    kb_view_pack(&sec->view, p, &out->packed);
    S_join_breadcrumb(sec, &out->crumb);
    out->problem = S_is_problem(sec, out->crumb.z);
    out->headingKey = sec->heading ? kb_tok_words_key(t, sec->heading, (int)strlen(sec->heading)) : 0;
    kb_view_words(&sec->view, &out->body);
    const char *aText[KB_DB_FTS_NCOLUMNS];
    kb_buf words = {0};
    S_fts_texts(out->body.z, sec->heading, out->crumb.z, sec->errtext, lang, sec->anchor, &words, aText);
    for (int c = 0; c < KB_DB_FTS_NCOLUMNS; c++) kb_tok_record(t, aText[c], (int)strlen(aText[c]), &out->aTok[c]);
    kb_buf_free(&words);
}

void kb_store_section_free(kb_store_section *p) {
    kb_buf_free(&p->packed);
    kb_buf_free(&p->crumb);
    kb_buf_free(&p->body);
    for (int c = 0; c < KB_DB_FTS_NCOLUMNS; c++) kb_tok_stream_free(&p->aTok[c]);
}

/* An alias holding U+001F, which joins a section's aliases, is no link
 * target a document could name: it is not stored. */
static int S_alias_ok(const char *z) { return strchr(z, '\x1f') == NULL; }

/* The section's row and its stored view; *pSecId its new id. */
static int S_put_section_row(kb_store *s, const kb_store_doc *d, sqlite3_int64 docId, int ord, sqlite3_int64 *pSecId) {
    const kb_section *sec = &d->doc->aSection[ord];
    const kb_store_section *prep = &d->aPrep[ord];
    sqlite3_stmt *st = S_stmt(s, ST_SEC_INSERT);
    sqlite3_bind_int64(st, 1, docId);
    sqlite3_bind_int(st, 2, ord);
    sqlite3_bind_text(st, 3, sec->anchor, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, sec->level);
    sqlite3_bind_int(st, 5, sec->line);
    sqlite3_bind_text(st, 6, d->locale, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, sec->heading ? sec->heading : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 9, prep->crumb.z ? prep->crumb.z : "", -1, SQLITE_STATIC);
    int problem = prep->problem || strstr(d->path, "troubleshoot") != NULL; /* a troubleshooting guide */
    sqlite3_bind_int(st, 10, problem);
    if (sec->nAlias > 0) {
        kb_buf aliases = {0};
        for (int a = 0; a < sec->nAlias; a++) {
            if (!S_alias_ok(sec->aAlias[a])) continue;
            if (aliases.n) kb_buf_addc(&aliases, '\x1f');
            kb_buf_adds(&aliases, sec->aAlias[a]);
        }
        if (aliases.n) sqlite3_bind_text(st, 11, kb_buf_detach(&aliases), -1, free);
        kb_buf_free(&aliases);
    }
    int rc = S_step_done(s, st);
    if (rc) return rc;
    *pSecId = sqlite3_last_insert_rowid(s->db);
    sqlite3_stmt *view = S_stmt(s, ST_VIEW_INSERT);
    sqlite3_bind_int64(view, 1, *pSecId);
    sqlite3_bind_blob(view, 2, prep->packed.z ? prep->packed.z : "", (int)prep->packed.n, SQLITE_STATIC);
    return S_step_done(s, view);
}

/* The section's row of its language's FTS table. */
static int S_put_section_fts(kb_store *s, const kb_store_doc *d, int ord, sqlite3_int64 secId) {
    const kb_section *sec = &d->doc->aSection[ord];
    const kb_store_section *prep = &d->aPrep[ord];
    struct S_lang *l;
    int rc = S_lang(s, d->lang, &l);
    if (rc) return rc;
    const char *aText[KB_DB_FTS_NCOLUMNS];
    kb_buf words = {0};
    S_fts_texts(prep->body.z, sec->heading, prep->crumb.z, sec->errtext, d->lang, sec->anchor, &words, aText);
    sqlite3_reset(l->ins);
    sqlite3_bind_int64(l->ins, 1, secId);
    for (int c = 0; c < KB_DB_FTS_NCOLUMNS; c++) {
        sqlite3_bind_text(l->ins, 2 + c, aText[c], -1, SQLITE_STATIC);
        /* The worker already tokenized the column: FTS5 replays its tokens. */
        kb_tok_replay_next(aText[c], (int)strlen(aText[c]), &prep->aTok[c]);
    }
    rc = S_fts_step(s, l, l->ins, +1);
    kb_tok_replay_clear();
    kb_buf_free(&words);
    return rc;
}

/* What finds the section without the FTS table: its anchors, its
 * heading's key and its error IDs. */
static int S_put_section_keys(kb_store *s, const kb_store_doc *d, int ord, sqlite3_int64 secId) {
    const kb_section *sec = &d->doc->aSection[ord];
    const kb_store_section *prep = &d->aPrep[ord];
    int rc = KB_OK;
    for (int a = -1; rc == KB_OK && a < sec->nAlias; a++) {
        if (a >= 0 && !S_alias_ok(sec->aAlias[a])) continue;
        sqlite3_stmt *an = S_stmt(s, ST_ANCHOR_INSERT);
        sqlite3_bind_text(an, 1, a < 0 ? sec->anchor : sec->aAlias[a], -1, SQLITE_STATIC);
        sqlite3_bind_int64(an, 2, secId);
        rc = S_step_done(s, an);
    }
    if (rc == KB_OK && prep->headingKey) {
        sqlite3_stmt *hk = S_stmt(s, ST_HEADING_INSERT);
        sqlite3_bind_int64(hk, 1, (sqlite3_int64)prep->headingKey);
        sqlite3_bind_int64(hk, 2, secId);
        rc = S_step_done(s, hk);
    }
    for (int i = 0; rc == KB_OK && i < sec->ids.n; i++) {
        const kb_errid *id = &sec->ids.a[i];
        sqlite3_stmt *ei = S_stmt(s, ST_ERRID_INSERT);
        sqlite3_bind_text(ei, 1, id->key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ei, 2, secId);
        sqlite3_bind_text(ei, 3, id->raw, -1, SQLITE_STATIC);
        sqlite3_bind_int(ei, 4, id->kind);
        sqlite3_bind_int(ei, 5, id->defining);
        rc = S_step_done(s, ei);
    }
    return rc;
}

static int S_put_section(kb_store *s, const kb_store_doc *d, sqlite3_int64 docId, int ord) {
    sqlite3_int64 secId = 0;
    int rc = S_put_section_row(s, d, docId, ord, &secId);
    if (rc == KB_OK) rc = S_put_section_fts(s, d, ord, secId);
    if (rc == KB_OK) rc = S_put_section_keys(s, d, ord, secId);
    return rc;
}

/* The rows of the includes document docId read. */
static int S_put_includes(kb_store *s, const kb_store_doc *d, sqlite3_int64 docId) {
    int rc = KB_OK;
    for (int i = 0; rc == KB_OK && i < d->nInclude; i++) {
        sqlite3_stmt *inc = S_stmt(s, ST_INCLUDE_INSERT);
        sqlite3_bind_int64(inc, 1, docId);
        sqlite3_bind_text(inc, 2, d->aIncludePath[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(inc, 3, d->aIncludeSize[i]);
        sqlite3_bind_int64(inc, 4, d->aIncludeStamp[i]);
        rc = S_step_done(s, inc);
    }
    return rc;
}

int kb_store_put(kb_store *s, const kb_store_doc *d) {
    int rc = kb_store_remove(s, d->path);
    if (rc) return rc;
    int64_t nword = 0; /* of the words indexed: link targets are none */
    for (int i = 0; i < d->doc->nSection; i++) nword += S_count_words(kb_buf_str(&d->aPrep[i].body));
    sqlite3_stmt *st = S_stmt(s, ST_DOC_INSERT);
    sqlite3_bind_text(st, 1, d->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->locale, -1, SQLITE_STATIC);
    char *title = S_doc_title(d->doc);
    if (title) sqlite3_bind_text(st, 3, title, -1, free);
    else sqlite3_bind_null(st, 3);
    S_bind_opt(st, 4, d->doc->description);
    S_bind_opt(st, 5, d->doc->topic);
    S_bind_opt(st, 6, d->doc->date);
    sqlite3_bind_int64(st, 7, d->size);
    sqlite3_bind_int64(st, 8, d->stampNs);
    sqlite3_bind_text(st, 9, d->hash, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 10, d->doc->nSection);
    sqlite3_bind_int64(st, 11, nword);
    sqlite3_bind_text(st, 12, S_path_without_locale(d->path, d->locale), -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 13, d->nProblem);
    S_bind_opt(st, 14, d->xhash);
    rc = S_step_done(s, st);
    if (rc) return rc;
    sqlite3_int64 docId = sqlite3_last_insert_rowid(s->db);
    for (int i = 0; rc == KB_OK && i < d->doc->nSection; i++) rc = S_put_section(s, d, docId, i);
    return rc == KB_OK ? S_put_includes(s, d, docId) : rc;
}

int kb_store_touch_includes(kb_store *s, const kb_store_doc *d) {
    int rc = kb_store_touch(s, d->path, d->size, d->stampNs);
    sqlite3_stmt *st = S_stmt(s, ST_DOC_ID);
    sqlite3_bind_text(st, 1, d->path, -1, SQLITE_STATIC);
    int step = rc == KB_OK ? sqlite3_step(st) : SQLITE_DONE;
    sqlite3_int64 docId = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    if (rc == KB_OK && step != SQLITE_ROW) rc = step == SQLITE_DONE ? KB_OK : kb_db_fail(s->db);
    sqlite3_reset(st);
    /* no row: the run that loaded the old index is the one writing it, so
     * a document it found cannot be gone */
    if (rc != KB_OK || docId < 0) return rc;
    sqlite3_stmt *del = S_stmt(s, ST_INCLUDE_DELETE);
    sqlite3_bind_int64(del, 1, docId);
    rc = S_step_done(s, del);
    return rc == KB_OK ? S_put_includes(s, d, docId) : rc;
}

static int S_put_errid_row(sqlite3 *db, sqlite3_stmt *ins, const char *key, sqlite3_int64 id, double score) {
    sqlite3_reset(ins);
    sqlite3_bind_text(ins, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(ins, 2, id);
    sqlite3_bind_double(ins, 3, score);
    return sqlite3_step(ins) == SQLITE_DONE ? KB_OK : kb_db_fail(db);
}

/* One key's rows: its full-text hits, or the row of section 0 when the key
 * is too common a term to store. */
static int S_put_errid_text(sqlite3 *db, sqlite3_stmt *ins, const char *key) {
    kb_results r;
    int rc = kb_search_errid_text(db, key, &r);
    if (rc == KB_ELIMIT) rc = S_put_errid_row(db, ins, key, 0, 0.0);
    for (int i = 0; rc == KB_OK && i < r.n; i++) rc = S_put_errid_row(db, ins, key, r.a[i].id, r.a[i].textScore);
    kb_results_free(&r);
    return rc;
}

int kb_store_errid_text(sqlite3 *db) {
    sqlite3_stmt *keys = NULL, *ins = NULL;
    int rc = kb_rank_register(db);
    if (rc == KB_OK) rc = kb_db_exec(db, "DELETE FROM error_text");
    if (rc == KB_OK) rc = kb_db_prepare(db, "SELECT DISTINCT key FROM error_ids ORDER BY key", &keys);
    if (rc == KB_OK) rc = kb_db_prepare(db, "INSERT INTO error_text(key, section_id, score) VALUES(?, ?, ?)", &ins);
    int step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(keys)) == SQLITE_ROW)
        rc = S_put_errid_text(db, ins, (const char *)sqlite3_column_text(keys, 0));
    /* A key left out would make its queries read incomplete evidence. */
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(keys);
    sqlite3_finalize(ins);
    return rc;
}

int kb_store_section_sets(sqlite3 *db) {
    sqlite3_stmt *st = NULL, *ins = NULL;
    kb_buf bits = {0};
    int rc = kb_db_exec(db, "DELETE FROM section_sets");
    if (rc == KB_OK) rc = kb_db_prepare(db, "SELECT id FROM sections WHERE problem ORDER BY id", &st);
    int step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        size_t byte = (size_t)(id / 8);
        while (bits.n <= byte) kb_buf_addc(&bits, 0);
        bits.z[byte] |= (char)(1 << (id % 8));
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    if (rc == KB_OK) rc = kb_db_prepare(db, "INSERT INTO section_sets(name, bits) VALUES('problem', ?)", &ins);
    if (rc == KB_OK) {
        sqlite3_bind_blob(ins, 1, bits.z ? bits.z : "", (int)bits.n, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) rc = kb_db_fail(db);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    kb_buf_free(&bits);
    return rc;
}
