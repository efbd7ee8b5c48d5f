/* kb_search_show.c: see kb_search.h. */
#include "kb_search.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kb_db.h"
#include "kb_msg.h"
#include "kb_qparse.h"
#include "kb_search_page.h"
#include "kb_search_question.h"
#include "kb_search_state.h"
#include "kb_util.h"

/* Runs sql with up to three text parameters (?1..?3) and an integer ?4;
 * the first column of its first maxRows rows is a section id, kept in order. */
static int S_select_into(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3, int flag,
                         const kb_query_opts *o, int full, int maxRows, kb_results *r) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, sql, &st);
    if (rc) return rc;
    const char *aParam[] = {p1, p2, p3, NULL, o->localeOnly, o->docPrefix};
    for (int i = 0; i < 6; i++)
        if (aParam[i]) sqlite3_bind_text(st, i + 1, aParam[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, flag);
    int step = SQLITE_DONE;
    while (r->n < maxRows && (step = sqlite3_step(st)) == SQLITE_ROW)
        search_hit_add(r, sqlite3_column_int64(st, 0), 0, KB_MATCH_TEXT);
    if (step != SQLITE_ROW && step != SQLITE_DONE) rc = kb_db_fail(db); /* damaged: no "not found" */
    sqlite3_finalize(st);
    search_stmts c = {.db = db, .labels = search_view_labels(o)};
    for (int i = 0; rc == KB_OK && i < r->n; i++) rc = search_load_hit(&c, &r->a[i], full);
    search_stmts_free(&c);
    return rc;
}

/* A document ?1 named as stored ("es-es/x.md") or without its locale folder
 * ("x.md", the key every locale's copy shares): --show and --toc. */
#define S_DOC_NAMED_SQL "(d.path = ?1 OR d.dkey = ?1 OR d.dkey = (SELECT dkey FROM docs WHERE path = ?1))"

/* --locale-only (?5) and --doc-prefix (?6), as a search reads them:
 * --show and --toc had shown another locale's copy. */
#define S_FILTER_SQL SEARCH_FILTER_SQL("?5", "?6")

/* What --show and --toc say of a section or document that has copies,
 * none of which --locale-only and --doc-prefix keep. */
static int S_filtered_out(const char *name) {
    return kb_fail(KB_ENOTFOUND, _("%s has no copy in the locale or under the prefix asked for"), name);
}

/* The options with a language the index lacks read as none stated
 * (search_indexed_lang), for --show and --toc, which search no language table. */
static kb_query_opts S_usable_opts(sqlite3 *db, const kb_query_opts *asked) {
    search_state s = {.db = db};
    kb_query_opts o = *asked;
    if (search_load_langs(&s) == KB_OK) search_indexed_lang(&s, &o);
    return o;
}

/* Whether --show and --toc prefer the copy in o's language to the stored
 * path named: only when --lang (or a serve request's "lang") says so. A
 * language from the environment had moved a bot, in an English locale, off
 * the es-es ref a Spanish search gave it. */
static int S_lang_outranks_path(const kb_query_opts *o) {
    return o->langExplicit && o->langAsked;
}

/* The section doc#anchor: the doc as stored, or without its locale folder
 * (the section key); anchors include the heading's aliases. The copy named
 * first, or the one in the language --lang names (S_lang_outranks_path),
 * then the one in the preferred language, unless every copy is wanted. */
static int S_show_anchor(sqlite3 *db, const char *doc, const char *anchor, const kb_query_opts *o, kb_results *r) {
    return S_select_into(db,
                         "SELECT s.id FROM anchors a JOIN sections s ON s.id = a.section_id"
                         " JOIN docs d ON d.id = s.doc_id"
                         " WHERE a.anchor = ?2 AND " S_DOC_NAMED_SQL S_FILTER_SQL
                         " ORDER BY CASE WHEN ?4 THEN s.lang <> ?3 ELSE d.path <> ?1 END,"
                         " s.lang <> ?3, d.path <> ?1, s.locale",
                         doc, anchor, o->lang ? o->lang : "", S_lang_outranks_path(o), o, o->full,
                         o->allLocales ? INT_MAX : 1, r);
}

/* How many names a "did you mean" shows. */
#define S_NAMES_SHOWN 5

/* The names a statement lists (its first column, ?1 to ?3 bound), up to
 * one more than are shown: enough to tell one from several, and whether
 * the list goes on. -1 (kb_db_fail) when the index cannot be read: a
 * damaged index had answered that it held no such document. */
static int S_names3(sqlite3 *db, const char *sql, const char *p1, const char *p2, const char *p3, char **aName) {
    sqlite3_stmt *st = NULL;
    int n = 0, step = SQLITE_DONE;
    if (kb_db_prepare(db, sql, &st) != KB_OK) return -1;
    sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
    if (p2) sqlite3_bind_text(st, 2, p2, -1, SQLITE_STATIC);
    if (p3) sqlite3_bind_text(st, 3, p3, -1, SQLITE_STATIC);
    while (n <= S_NAMES_SHOWN && (step = sqlite3_step(st)) == SQLITE_ROW)
        aName[n++] = kb_xstrdup((const char *)sqlite3_column_text(st, 0));
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        kb_db_fail(db);
        while (n > 0) free(aName[--n]);
        n = -1;
    }
    sqlite3_finalize(st);
    return n;
}

static int S_names(sqlite3 *db, const char *sql, const char *p1, const char *p2, char **aName) {
    return S_names3(db, sql, p1, p2, NULL, aName);
}

/* "doc#a, doc#b, …" for a "did you mean": each name after prefix. Frees
 * the names. */
static char *S_names_join(char **aName, int n, const char *prefix) {
    kb_buf b = {0};
    for (int i = 0; i < n; i++) {
        if (i < S_NAMES_SHOWN) kb_buf_addf(&b, "%s%s%s", i ? ", " : "", prefix, aName[i]);
        else kb_buf_adds(&b, ", …");
        free(aName[i]);
    }
    return kb_buf_detach(&b);
}

/* The document a name means: itself when it names one (S_DOC_NAMED_SQL),
 * else the one document whose path, or path without its locale folder,
 * starts with it ("backup-azure-mars"). Returns how many it could mean;
 * with one, *pResolved is its name (malloc'd); with none or several, the
 * error says so; -1 when the index cannot be read (kb_db_fail). */
static int S_resolve_doc(sqlite3 *db, const char *doc, char **pResolved) {
    char *aName[S_NAMES_SHOWN + 1];
    *pResolved = NULL;
    /* Tried in turn, until one names some document: */
    static const char *const aSql[] = {
        /* the name itself (S_DOC_NAMED_SQL) */
        "SELECT ?1 FROM docs d WHERE " S_DOC_NAMED_SQL " LIMIT 1",
        /* its name without ".md", which wins over longer names that start
         * so ("backup-azure-vms-troubleshoot", beside "...-classic"): the
         * path, or its end from a folder on ("backup/backup-azure-vms") */
        "SELECT DISTINCT CASE WHEN d.path = ?1 || '.md' THEN d.path ELSE d.dkey END FROM docs d"
        " WHERE d.dkey = ?1 || '.md' OR d.path = ?1 || '.md'"
        " OR substr(d.dkey, -length(?1) - 4) = '/' || ?1 || '.md' ORDER BY 1",
        /* the start of its path, with or without its locale folder */
        "SELECT DISTINCT CASE WHEN substr(d.dkey, 1, length(?1)) = ?1 THEN d.dkey ELSE d.path END"
        " FROM docs d WHERE substr(d.dkey, 1, length(?1)) = ?1 OR substr(d.path, 1, length(?1)) = ?1"
        " ORDER BY 1",
        /* the start of the file's own name, wherever its folders put it:
         * "backup-azure-vms" in an index of es-ES/articles/backup/... (any
         * folder of the path that starts so); only for a name without one */
        "SELECT DISTINCT d.dkey FROM docs d WHERE instr(d.dkey, '/' || ?1) > 0 ORDER BY 1",
    };
    int nSql = strchr(doc, '/') ? 3 : 4, n = 0;
    for (int i = 0; i < nSql && n == 0; i++) n = S_names(db, aSql[i], doc, NULL, aName);
    if (n == 1) {
        *pResolved = aName[0];
    } else if (n == 0) {
        kb_fail(KB_ENOTFOUND, _("no document %s in the index"), doc);
    } else if (n < 0) {
        return n;
    } else {
        char *names = S_names_join(aName, n, "");
        kb_fail(KB_ENOTFOUND, _("%s names several documents; did you mean %s?"), doc, names);
        free(names);
    }
    return n;
}

/* An anchor that names no section of doc may be the start of one: anchors
 * are long slugs ("usererrorsqlpodoesnotexist--sql-database-does-not-exist"),
 * and "#usererrorsqlpo" is what a person types. One section that starts so
 * is shown; several are named in the error, as is --toc when none is. */
static int S_show_prefix(sqlite3 *db, const char *ref, const char *doc, const char *prefix, const kb_query_opts *o,
                         kb_results *r) {
    char *aName[S_NAMES_SHOWN + 1];
    /* ?3: only the copies in one language, when the copies' anchors differ
     * (a translated <a name>): "#invalid-vault" is one Spanish section
     * with --lang es, though the Japanese copy's anchor starts so too */
    static const char sql[] = "SELECT DISTINCT s.anchor FROM docs d JOIN sections s ON s.doc_id = d.id"
                              " JOIN anchors a ON a.section_id = s.id AND a.anchor >= ?2 AND a.anchor < ?2 || char(1114111)"
                              " WHERE " S_DOC_NAMED_SQL " AND (?3 IS NULL OR s.lang = ?3) ORDER BY s.ord";
    int n = S_names3(db, sql, doc, prefix, NULL, aName);
    if (n > 1 && o->lang) {
        char *aInLang[S_NAMES_SHOWN + 1];
        int nInLang = S_names3(db, sql, doc, prefix, o->lang, aInLang);
        if (nInLang < 0) {
            for (int i = 0; i < n; i++) free(aName[i]);
            return KB_EDB;
        }
        if (nInLang == 1) {
            for (int i = 0; i < n; i++) free(aName[i]);
            aName[0] = aInLang[0];
            n = 1;
        } else {
            for (int i = 0; i < nInLang; i++) free(aInLang[i]);
        }
    }
    int rc;
    if (n < 0) {
        rc = KB_EDB;
    } else if (n == 1) {
        rc = S_show_anchor(db, doc, aName[0], o, r);
        free(aName[0]);
    } else if (n == 0) {
        rc = kb_fail(KB_ENOTFOUND, _("no section %s in the index; list the sections with: kb-query --toc %s"), ref, doc);
    } else {
        char *docHash = kb_xasprintf("%s#", doc), *names = S_names_join(aName, n, docHash);
        rc = kb_fail(KB_ENOTFOUND, _("several sections start with %s; did you mean %s?"), ref, names);
        free(names);
        free(docHash);
    }
    return rc;
}

/* Whether name is a document's name as written (S_DOC_NAMED_SQL), not
 * the start of one (-1: the index cannot be read). */
static int S_doc_named(sqlite3 *db, const char *name) {
    char *aName[S_NAMES_SHOWN + 1];
    int n = S_names(db, "SELECT ?1 FROM docs d WHERE " S_DOC_NAMED_SQL " LIMIT 1", name, NULL, aName);
    for (int i = 0; i < n; i++) free(aName[i]);
    return n < 0 ? -1 : n > 0;
}

/* The last '#' of ref before `before`, or NULL. */
static const char *S_hash_before(const char *ref, const char *before) {
    while (before > ref)
        if (*--before == '#') return before;
    return NULL;
}

static int S_show_ref(sqlite3 *db, const char *ref, const kb_query_opts *asked, kb_results *r) {
    memset(r, 0, sizeof *r);
    kb_query_opts opts = S_usable_opts(db, asked);
    const kb_query_opts *o = &opts;
    /* A file name may hold a '#' ("c#sharp.md"), and so may an anchor
     * (<a name="#offlinesync">, printed "doc.md##offlinesync"): the
     * document is the longest part before a '#' that names one. An empty
     * anchor is a section under an empty heading ("### "), whose ref the
     * results print as "doc#". */
    const char *usage = _("expected DOC#ANCHOR, got '%s'; list a document's sections with --toc DOC");
    const char *hash = strrchr(ref, '#');
    if (!hash || hash == ref) return kb_fail(KB_EUSAGE, usage, ref);
    char *named = kb_xstrndup(ref, (size_t)(hash - ref)), *doc = NULL;
    int n = S_resolve_doc(db, named, &doc);
    int rc = n == 1 ? KB_OK : n < 0 ? KB_EDB : KB_ENOTFOUND;
    if (rc == KB_ENOTFOUND) {
        char *why = kb_xstrdup(kb_errmsg()); /* the longest name's: what the user most likely meant */
        for (const char *h = hash; rc == KB_ENOTFOUND && (h = S_hash_before(ref, h)) != NULL;) {
            char *shorter = kb_xstrndup(ref, (size_t)(h - ref));
            int isDoc = S_doc_named(db, shorter);
            if (isDoc < 0 || (isDoc && (n = S_resolve_doc(db, shorter, &doc)) < 0)) rc = KB_EDB;
            else if (isDoc && n == 1) hash = h, rc = KB_OK;
            free(shorter);
        }
        if (rc == KB_ENOTFOUND) kb_fail(KB_ENOTFOUND, "%s", why);
        free(why);
    }
    if (rc == KB_OK) rc = S_show_anchor(db, doc, hash + 1, o, r);
    if (rc == KB_OK && r->n == 0 && !hash[1]) rc = kb_fail(KB_EUSAGE, usage, ref);
    if (rc == KB_OK && r->n == 0) {
        char *full = kb_xasprintf("%s#%s", doc, hash + 1);
        rc = S_show_prefix(db, full, doc, hash + 1, o, r);
        if (rc == KB_OK && r->n == 0 && (o->localeOnly || o->docPrefix)) rc = S_filtered_out(full);
        free(full);
    }
    if (rc == KB_ENOTFOUND) r->note = kb_xstrdup(kb_errmsg());
    free(named);
    free(doc);
    return rc;
}

/* A ref as a link writes it may not be as the index holds it: escaped
 * ("sub%20dir/page%20one.md", "#50%25off"), or its anchor in capitals
 * ("#ContactPatchItem" for the heading's "contactpatchitem"). Each such
 * reading is tried in turn; the ref as given answers first, and its
 * message is the one kept when none does. */
int kb_search_show(sqlite3 *db, const char *ref, const kb_query_opts *asked, kb_results *r) {
    int rc = S_show_ref(db, ref, asked, r);
    if (rc != KB_ENOTFOUND) return rc;
    char *decoded = kb_url_decode(ref, strlen(ref));
    const char *aTry[2] = {decoded, NULL};
    char *lower = NULL, *hash = strrchr(decoded, '#');
    if (hash && hash[1]) {
        lower = kb_xstrdup(decoded);
        for (char *z = lower + (hash - decoded); *z; z++) *z = (char)tolower((unsigned char)*z);
        aTry[1] = lower;
    }
    for (int k = 0; k < 2 && rc == KB_ENOTFOUND; k++) {
        if (!aTry[k] || strcmp(aTry[k], k == 0 ? ref : decoded) == 0) continue;
        char *why = kb_xstrdup(kb_errmsg());
        kb_results again;
        int rcAgain = S_show_ref(db, aTry[k], asked, &again);
        if (rcAgain == KB_ENOTFOUND) {
            kb_results_free(&again);
            kb_fail(KB_ENOTFOUND, "%s", why);
        } else {
            kb_results_free(r);
            *r = again;
            rc = rcAgain;
        }
        free(why);
    }
    free(lower);
    free(decoded);
    return rc;
}

int kb_search_toc(sqlite3 *db, const char *named, const kb_query_opts *asked, kb_results *r) {
    memset(r, 0, sizeof *r);
    char *doc = NULL;
    int n = S_resolve_doc(db, named, &doc);
    if (n < 0) return KB_EDB;
    if (n != 1) {
        r->note = kb_xstrdup(kb_errmsg());
        return KB_ENOTFOUND;
    }
    kb_query_opts toc = S_usable_opts(db, asked);
    const kb_query_opts *o = &toc;
    toc.viewLabels = 0; /* a table of contents shows headings only */
    /* The copy as for --show, by the document's locale ("es-es", or a bare
     * "es" from --default-locale) since no section is chosen yet. */
    int rc = S_select_into(db,
                           "SELECT s.id FROM sections s WHERE s.doc_id = ("
                           "  SELECT d.id FROM docs d WHERE " S_DOC_NAMED_SQL S_FILTER_SQL
                           "  ORDER BY CASE WHEN ?4 THEN substr(d.locale || '-', 1, length(?3) + 1) <> ?3 || '-'"
                           "    ELSE d.path <> ?1 END,"
                           "  substr(d.locale || '-', 1, length(?3) + 1) <> ?3 || '-', d.path <> ?1, d.locale LIMIT 1)"
                           " ORDER BY s.ord",
                           doc, NULL, o->lang ? o->lang : "", S_lang_outranks_path(o), &toc, 0, INT_MAX, r);
    if (rc == KB_OK && r->n == 0 && (o->localeOnly || o->docPrefix)) {
        rc = S_filtered_out(doc);
        r->note = kb_xstrdup(kb_errmsg());
    }
    /* A document with no section (a blank page): indexed, with none to list. */
    if (rc == KB_OK && r->n == 0) {
        rc = kb_fail(KB_ENOTFOUND, _("%s is in the index but has no section: its text is blank"), doc);
        r->note = kb_xstrdup(kb_errmsg());
    }
    free(doc);
    return rc;
}
