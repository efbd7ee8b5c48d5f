/* kb_check.c: kb-index --check, the documentation linter.
 *
 * Two passes: the first reads and parses every Markdown file of every root
 * (problems of the file itself, its anchors, its links), the second resolves
 * each link against the files and anchors the first pass found. Nothing here
 * touches a database. */
#include "kb_check.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "kb_cli.h"
#include "kb_cmark.h"
#include "kb_include.h"
#include "kb_md.h"
#include "kb_msg.h"
#include "kb_util.h"
#include "kb_walk.h"

/* The indexer's default --max-file-size: a larger file is not indexed. */

typedef struct S_link {
    char *target;
    int line;
} S_link;

typedef struct S_doc {
    char **aAnchor;  /* sorted once parsing is done */
    int nAnchor, capAnchor;
    kb_strset seen;  /* aAnchor's, while they are collected */
    S_link *aLink;
    int nLink;
    int parsed;      /* anchors are known */
} S_doc;

typedef struct S_check {
    const char *const *aRoot;
    int nRoot;
    char **aRootReal;
    int *aRootStart;     /* first file of each root in files; nRoot+1 entries */
    kb_file_list files;  /* sorted by relPath within each root */
    S_doc *aDoc;         /* parallel to files.a */
    kb_check_report *r;
    size_t maxBytes;     /* kb-index --max-file-size */
} S_check;

/* ------------------------------------------------------------ problems */

static void S_add(kb_check_report *r, int root, const char *file, int line, int severity, const char *code,
                  const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void S_add(kb_check_report *r, int root, const char *file, int line, int severity, const char *code,
                  const char *fmt, ...) {
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 32;
        r->a = kb_xrealloc(r->a, (size_t)r->cap * sizeof *r->a);
    }
    kb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    kb_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    kb_check_problem *p = &r->a[r->n++];
    p->file = kb_xstrdup(file);
    p->root = root;
    p->line = line;
    p->severity = severity;
    p->code = code;
    p->message = b.z ? kb_buf_detach(&b) : kb_xstrdup("");
    if (severity == KB_CHECK_ERROR) r->nError++;
    else r->nWarning++;
}

static int S_problem_cmp(const void *a, const void *b) {
    const kb_check_problem *p = a, *q = b;
    if (p->root != q->root) return p->root < q->root ? -1 : 1;
    int c = strcmp(p->file, q->file);
    if (c) return c;
    if (p->line != q->line) return p->line < q->line ? -1 : 1;
    /* by code before message, which is in the UI language: a CI diff of two
     * runs under two LANGs had 16 lines of es-ES swapped */
    c = strcmp(p->code, q->code);
    return c ? c : strcmp(p->message, q->message);
}

/* Sorts the problems and drops repeats: the same broken link twice on a
 * line is one thing to fix. */
static void S_sort_unique(kb_check_report *r) {
    if (r->n > 1) qsort(r->a, (size_t)r->n, sizeof *r->a, S_problem_cmp);
    int w = 0;
    for (int i = 0; i < r->n; i++) {
        kb_check_problem *p = &r->a[i];
        if (w > 0 && S_problem_cmp(&r->a[w - 1], p) == 0) {
            if (p->severity == KB_CHECK_ERROR) r->nError--;
            else r->nWarning--;
            free(p->file);
            free(p->message);
            continue;
        }
        r->a[w++] = *p;
    }
    r->n = w;
}

void kb_check_report_free(kb_check_report *r) {
    for (int i = 0; i < r->n; i++) {
        free(r->a[i].file);
        free(r->a[i].message);
    }
    free(r->a);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------- anchors */

static int S_str_cmp(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int S_anchor_has(const S_doc *d, const char *z) { return kb_strset_has(&d->seen, z); }

static void S_anchor_add(S_doc *d, const char *z, size_t n) {
    if (n == 0) return;
    if (d->nAnchor == d->capAnchor) {
        d->capAnchor = d->capAnchor ? d->capAnchor * 2 : 16;
        d->aAnchor = kb_xrealloc(d->aAnchor, (size_t)d->capAnchor * sizeof *d->aAnchor);
    }
    d->aAnchor[d->nAnchor] = kb_xstrndup(z, n);
    kb_strset_add(&d->seen, d->aAnchor[d->nAnchor++]);
}

/* Anchors named in an HTML fragment: id="X" on any tag, name="X" on <a>. */
static void S_anchor_html(S_doc *d, const char *z) {
    for (const char *lt = strchr(z, '<'); lt; lt = strchr(lt + 1, '<')) {
        int isA = (lt[1] == 'a' || lt[1] == 'A') && (lt[2] == ' ' || lt[2] == '\t' || lt[2] == '\n');
        for (const char *p = lt + 1; *p && *p != '>' && *p != '<'; p++) {
            if (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\n') continue;
            /* HTML allows blanks around '=': <a name ="x"> is an anchor. */
            const char *v;
            if (strncasecmp(p, "id", 2) == 0) v = p + 2;
            else if (isA && strncasecmp(p, "name", 4) == 0) v = p + 4;
            else continue;
            v += strspn(v, " \t");
            if (*v != '=') continue;
            v++;
            v += strspn(v, " \t");
            size_t n;
            if (*v == '"' || *v == '\'') {
                const char *e = strchr(v + 1, *v);
                if (!e) break;
                v++;
                n = (size_t)(e - v);
            } else {
                n = strcspn(v, " \t\n/>");
            }
            S_anchor_add(d, v, n);
        }
    }
}

static void S_heading_text(cmark_node *heading, kb_buf *b) {
    cmark_iter *it = cmark_iter_new(heading);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) kb_buf_adds(b, cmark_node_get_literal(node));
        else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) kb_buf_addc(b, ' ');
    }
    cmark_iter_free(it);
}

/* Anchors DocFX renders that kb_md does not give: slugs of headings below
 * level 3 or inside a block (a repeated one gets -1, -2... as GitHub numbers
 * them), slugs of headings that carry an explicit anchor, and anchors in
 * running text. The slug function is kb_md's. */
static void S_anchor_extra(S_doc *d, const char *md) {
    cmark_node *root = kb_cmark_parse(md, strlen(md));
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_HTML_INLINE || t == CMARK_NODE_HTML_BLOCK) {
            S_anchor_html(d, cmark_node_get_literal(node));
        } else if (t == CMARK_NODE_HEADING) {
            /* A section heading's slug is kb_md's anchor unless the heading
             * names one explicitly; DocFX renders the slug as well. */
            int cuts = cmark_node_get_heading_level(node) <= 3 && cmark_node_parent(node) == root;
            kb_buf b = {0};
            S_heading_text(node, &b);
            const char *z = kb_buf_str(&b);
            size_t n = b.n;
            while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
            while (n > 0 && (*z == ' ' || *z == '\t')) z++, n--;
            char *slug = kb_md_slug(z, n);
            if (!S_anchor_has(d, slug)) S_anchor_add(d, slug, strlen(slug));
            else if (!cuts) {
                for (int k = 1; k < 1000; k++) {
                    char *alt = kb_xasprintf("%s-%d", slug, k);
                    int had = S_anchor_has(d, alt);
                    if (!had) S_anchor_add(d, alt, strlen(alt));
                    free(alt);
                    if (!had) break;
                }
            }
            free(slug);
            kb_buf_free(&b);
        }
    }
    cmark_iter_free(it);
    cmark_node_free(root);
}

static void S_anchor_collect(S_doc *d, const kb_doc *doc) {
    for (int i = 0; i < doc->nSection; i++) {
        const kb_section *s = &doc->aSection[i];
        if (s->anchor) S_anchor_add(d, s->anchor, strlen(s->anchor));
        for (int k = 0; k < s->nAlias; k++) S_anchor_add(d, s->aAlias[k], strlen(s->aAlias[k]));
    }
    for (int i = 0; i < doc->nSection; i++)
        if (doc->aSection[i].markdown) S_anchor_extra(d, doc->aSection[i].markdown);
    kb_strset_free(&d->seen);
    if (d->nAnchor > 1) qsort(d->aAnchor, (size_t)d->nAnchor, sizeof *d->aAnchor, S_str_cmp);
    d->parsed = 1;
}

static int S_anchor_find(const S_doc *d, const char *z) {
    return d->nAnchor > 0 && bsearch(&z, d->aAnchor, (size_t)d->nAnchor, sizeof *d->aAnchor, S_str_cmp) != NULL;
}

static const char *S_anchor_find_ci(const S_doc *d, const char *z) {
    for (int i = 0; i < d->nAnchor; i++)
        if (strcasecmp(d->aAnchor[i], z) == 0) return d->aAnchor[i];
    return NULL;
}

/* ------------------------------------------------------------ includes */

typedef struct S_inc {
    const char *rootReal;
    const char *docPath;
    size_t maxBytes;
} S_inc;

/* The indexer's include rule, with one difference: a failing include nested
 * in another included file reads as empty, because that file is checked on
 * its own and reports the problem at its real line. */
static int S_read_include(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                          kb_diag_code *pWhy) {
    S_inc *ic = ctx;
    int rc = kb_include_read(ic->rootReal, fromDoc, path, ic->maxBytes, pz, pn, NULL, pWhy);
    if (rc && fromDoc && strcmp(fromDoc, ic->docPath) != 0) {
        *pz = kb_xstrdup("");
        *pn = 0;
        return KB_OK;
    }
    return rc;
}

/* Marks the lines of src that are include directives (1-based, aIsInc[0]
 * unused): kb_md reports problems of included text at those lines. */
static unsigned char *S_include_lines(const char *src, size_t n, int *pnLine) {
    int nLine = 1;
    for (size_t i = 0; i < n; i++)
        if (src[i] == '\n') nLine++;
    unsigned char *a = kb_xcalloc((size_t)nLine + 1, 1);
    int line = 1;
    for (size_t i = 0; i < n;) {
        const char *e = memchr(src + i, '\n', n - i);
        size_t len = e ? (size_t)(e - (src + i)) : n - i;
        for (size_t k = 0; k + 9 <= len; k++) {
            if (src[i + k] == '[' && (strncasecmp(src + i + k, "[!INCLUDE", 9) == 0 ||
                                     (k + 14 <= len && strncasecmp(src + i + k, "[AZURE.INCLUDE", 14) == 0))) {
                a[line] = 1;
                break;
            }
        }
        i += len + 1;
        line++;
    }
    *pnLine = nLine;
    return a;
}

/* ------------------------------------------------------- first pass */

/* Sorts one kb_md diagnostic into a problem, or drops it when another file
 * reports it better. */
static void S_diag(S_check *c, const kb_file *f, const kb_diag *dg, const unsigned char *aIsInc, int nLine) {
    int atInclude = dg->line >= 1 && dg->line <= nLine && aIsInc[dg->line];
    int sev = dg->severity == KB_DIAG_ERROR ? KB_CHECK_ERROR : KB_CHECK_WARNING;
    switch (dg->code) {
    case KB_DIAG_TABLE_CELLS:
        if (atInclude) return; /* a table of the included file: reported there */
        break;
    case KB_DIAG_INCLUDE_CYCLE:
        /* Reported by every file of the cycle, not by the files that
         * merely include one of them: the chain "a.md → b.md → a.md"
         * starts at the file the cycle returns to. */
        if (!dg->cycleFile || strcmp(dg->cycleFile, f->relPath) != 0) return;
        sev = KB_CHECK_ERROR;
        break;
    case KB_DIAG_INCLUDE_DEPTH:
        if (f->isInclude) return; /* depth is counted from the page */
        sev = KB_CHECK_WARNING;
        break;
    case KB_DIAG_INCLUDE_TOO_LARGE:
        if (f->isInclude) return; /* the size is counted from the page */
        sev = KB_CHECK_ERROR;
        break;
    case KB_DIAG_UNDEFINED_REFERENCE: /* a link that leads nowhere, as a broken anchor */
    case KB_DIAG_INCLUDE_MISSING:
    case KB_DIAG_INCLUDE_OUTSIDE:
    case KB_DIAG_INCLUDE_INVALID:
    case KB_DIAG_FRONT_MATTER:
        sev = KB_CHECK_ERROR;
        break;
    default:
        break;
    }
    S_add(c->r, f->rootIndex, f->relPath, dg->line, sev, kb_diag_code_name(dg->code), "%s", dg->message);
}

static int S_line_of(const char *z, size_t off) {
    int line = 1;
    for (size_t i = 0; i < off; i++)
        if (z[i] == '\n') line++;
    return line;
}

static void S_check_file(S_check *c, int iFile) {
    const kb_file *f = &c->files.a[iFile];
    S_doc *d = &c->aDoc[iFile];
    char *src = NULL;
    size_t n = 0;
    int rc = kb_file_read(f->absPath, c->maxBytes, &src, &n);
    if (rc == KB_ELIMIT) {
        S_add(c->r, f->rootIndex, f->relPath, 0, KB_CHECK_WARNING, "too-large",
              _("file larger than %g MB, not indexed"), kb_megabytes(c->maxBytes));
        return;
    }
    if (rc) {
        /* the problem names the file already */
        S_add(c->r, f->rootIndex, f->relPath, 0, KB_CHECK_ERROR, "unreadable", "%s", kb_errmsg_after(f->absPath));
        return;
    }
    size_t off;
    int problem = kb_text_problem(src, n, &off);
    if (problem == KB_TEXT_UTF16) {
        S_add(c->r, f->rootIndex, f->relPath, 0, KB_CHECK_ERROR, "utf8",
              "%s", _("UTF-16 text (byte order mark): convert the file to UTF-8"));
    } else if (problem == KB_TEXT_UTF32) {
        S_add(c->r, f->rootIndex, f->relPath, 0, KB_CHECK_ERROR, "utf8",
              "%s", _("UTF-32 text (byte order mark): convert the file to UTF-8"));
    } else if (problem == KB_TEXT_BINARY) {
        S_add(c->r, f->rootIndex, f->relPath, S_line_of(src, off), KB_CHECK_ERROR, "binary",
              _("binary file (NUL byte at offset %zu)"), off);
    } else if (problem == KB_TEXT_NOT_UTF8) {
        S_add(c->r, f->rootIndex, f->relPath, S_line_of(src, off), KB_CHECK_ERROR, "utf8",
              _("invalid UTF-8 at byte offset %zu"), off);
    } else {
        S_inc ic = {c->aRootReal[f->rootIndex], f->relPath, c->maxBytes};
        kb_md_opts mo = {.docPath = f->relPath, .readInclude = S_read_include, .includeCtx = &ic, .anchorsOnly = 1,
                         .maxBytes = c->maxBytes};
        kb_doc doc;
        kb_md_parse(src, n, &mo, &doc);
        int nLine = 0;
        unsigned char *aIsInc = S_include_lines(src, n, &nLine);
        for (int i = 0; i < doc.nDiag; i++) S_diag(c, f, &doc.aDiag[i], aIsInc, nLine);
        free(aIsInc);
        /* not parsed: its anchors are unknown, as a too large file's (the
         * links to it had all been called broken) */
        if (!doc.tooCostly) S_anchor_collect(d, &doc);
        d->aLink = kb_xcalloc((size_t)doc.nLink + 1, sizeof *d->aLink);
        for (int i = 0; i < doc.nLink; i++) {
            d->aLink[i].target = doc.aLink[i].target;
            d->aLink[i].line = doc.aLink[i].line;
            doc.aLink[i].target = NULL; /* moved */
        }
        d->nLink = doc.nLink;
        kb_doc_free(&doc);
    }
    free(src);
}

/* ------------------------------------------------------ second pass */

static int S_find_doc(const S_check *c, int root, const char *relPath) {
    int lo = c->aRootStart[root], hi = c->aRootStart[root + 1] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int cmp = strcmp(c->files.a[mid].relPath, relPath);
        if (cmp == 0) return mid;
        if (cmp < 0) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

static int S_has_suffix_ci(const char *z, const char *suffix) {
    size_t n = strlen(z), m = strlen(suffix);
    return n >= m && strcasecmp(z + n - m, suffix) == 0;
}

static void S_check_anchor(S_check *c, const kb_file *f, const S_link *l, const S_doc *target, const char *where,
                           const char *frag) {
    if (!target->parsed || !*frag || S_anchor_find(target, frag)) return;
    const char *near = S_anchor_find_ci(target, frag);
    if (near)
        S_add(c->r, f->rootIndex, f->relPath, l->line, KB_CHECK_ERROR, "broken-anchor",
              _("broken link \"%s\": no anchor \"%s\" in %s (did you mean \"%s\"?)"), l->target, frag, where, near);
    else
        S_add(c->r, f->rootIndex, f->relPath, l->line, KB_CHECK_ERROR, "broken-anchor",
              _("broken link \"%s\": no anchor \"%s\" in %s"), l->target, frag, where);
}

static void S_check_link(S_check *c, int iFile, const S_link *l) {
    const kb_file *f = &c->files.a[iFile];
    const char *t = l->target;
    const char *hash = strchr(t, '#');
    size_t nPath = hash ? (size_t)(hash - t) : strlen(t);
    const char *q = memchr(t, '?', nPath);
    if (q) nPath = (size_t)(q - t);
    char *frag = hash ? kb_url_decode(hash + 1, strlen(hash + 1)) : kb_xstrdup("");
    if (nPath == 0) {
        /* "#x" in an included file names an anchor of whatever page
         * includes it: nothing to check here. */
        if (!f->isInclude) S_check_anchor(c, f, l, &c->aDoc[iFile], _("this document"), frag);
        free(frag);
        return;
    }
    char *path = kb_url_decode(t, nPath);
    char *rel = kb_path_resolve(f->relPath, path);
    if (!rel) {
        S_add(c->r, f->rootIndex, f->relPath, l->line, KB_CHECK_WARNING, "link-outside",
              _("link \"%s\" leaves the documentation tree"), t);
    } else {
        int k = S_find_doc(c, f->rootIndex, rel);
        if (k < 0 && !strrchr(strrchr(rel, '/') ? strrchr(rel, '/') : rel, '.')) {
            /* DocFX also accepts a page's URL: "foo" for foo.md. */
            char *withMd = kb_xasprintf("%s.md", rel);
            k = S_find_doc(c, f->rootIndex, withMd);
            free(withMd);
        }
        if (k >= 0) {
            S_check_anchor(c, f, l, &c->aDoc[k], c->files.a[k].relPath, frag);
        } else {
            char *abs = kb_xasprintf("%s/%s", c->aRootReal[f->rootIndex], rel);
            struct stat st;
            if (*rel && stat(abs, &st) != 0)
                S_add(c->r, f->rootIndex, f->relPath, l->line, KB_CHECK_ERROR, "missing-target",
                      S_has_suffix_ci(rel, ".md") ? _("broken link \"%s\": document %s does not exist")
                                                  : _("broken link \"%s\": file %s does not exist"),
                      t, rel);
            free(abs);
        }
    }
    free(rel);
    free(path);
    free(frag);
}

/* ----------------------------------------------------------------- run */

/* message is the walk's, English (N_): translated as kb-index translates it
 * (kb_msg_english). */
static void S_walk_warn(void *ctx, int rootIndex, const char *path, const char *message) {
    S_check *c = ctx;
    const char *root = c->aRoot[rootIndex];
    size_t n = strlen(root);
    const char *rel = path;
    if (strncmp(path, root, n) == 0 && path[n] == '/') rel = path + n + 1;
    /* A name that is not UTF-8 is a file kb-index leaves out (the walk
     * gives it escaped): an error to fix, as invalid UTF-8 inside a file. */
    const char *text = kb_msg_english(message);
    if (strcmp(message, KB_WALK_NAME_NOT_UTF8) == 0)
        S_add(c->r, rootIndex, rel, 0, KB_CHECK_ERROR, "utf8", "%s", text);
    else
        S_add(c->r, rootIndex, rel, 0, KB_CHECK_WARNING, "walk", "%s", text);
}

int kb_check_collect(const char *const *aRoot, int nRoot, size_t maxBytes, kb_check_report *r) {
    memset(r, 0, sizeof *r);
    S_check c = {.aRoot = aRoot, .nRoot = nRoot, .r = r, .maxBytes = maxBytes};
    c.aRootReal = kb_xcalloc((size_t)nRoot + 1, sizeof *c.aRootReal);
    c.aRootStart = kb_xcalloc((size_t)nRoot + 1, sizeof *c.aRootStart);
    int rc = KB_OK;
    for (int i = 0; rc == KB_OK && i < nRoot; i++) {
        char real[PATH_MAX];
        if (!realpath(aRoot[i], real)) rc = kb_fail(KB_EIO, "%s: %s", aRoot[i], strerror(errno));
        else c.aRootReal[i] = kb_xstrdup(real);
    }
    if (rc == KB_OK) rc = kb_walk(aRoot, NULL, nRoot, &c.files, S_walk_warn, &c);
    if (rc == KB_OK) {
        for (int i = 0, k = 0; i <= nRoot; i++) { /* the list is sorted by root */
            while (k < c.files.n && c.files.a[k].rootIndex < i) k++;
            c.aRootStart[i] = k;
        }
        c.aDoc = kb_xcalloc((size_t)c.files.n + 1, sizeof *c.aDoc);
        for (int i = 0; i < c.files.n; i++) S_check_file(&c, i);
        for (int i = 0; i < c.files.n; i++)
            for (int k = 0; k < c.aDoc[i].nLink; k++) S_check_link(&c, i, &c.aDoc[i].aLink[k]);
        r->nFile = c.files.n;
        S_sort_unique(r);
    }
    for (int i = 0; c.aDoc && i < c.files.n; i++) {
        S_doc *d = &c.aDoc[i];
        for (int k = 0; k < d->nAnchor; k++) free(d->aAnchor[k]);
        free(d->aAnchor);
        for (int k = 0; k < d->nLink; k++) free(d->aLink[k].target);
        free(d->aLink);
    }
    free(c.aDoc);
    for (int i = 0; i < nRoot; i++) free(c.aRootReal[i]);
    free(c.aRootReal);
    free(c.aRootStart);
    kb_file_list_free(&c.files);
    if (rc) kb_check_report_free(r);
    return rc;
}

/* With several roots, each problem's file is named as kb-index names
 * documents: after its root's folder name ("es-ES/a.md", a second root of
 * the same name "es-ES-2/a.md"), or two trees' "a.md" read alike. NULL
 * entries with one root. */
static char **S_root_names(const char *const *aRoot, int nRoot) {
    char **aName = kb_xcalloc((size_t)nRoot + 1, sizeof *aName);
    for (int i = 0; nRoot > 1 && i < nRoot; i++) {
        char real[PATH_MAX];
        const char *base = realpath(aRoot[i], real) ? strrchr(real, '/') : NULL;
        base = base && base[1] ? base + 1 : "root";
        aName[i] = kb_xstrdup(base);
        for (int n = 2, clash = 1; clash; n++) {
            clash = 0;
            for (int k = 0; k < i && !clash; k++) clash = strcmp(aName[k], aName[i]) == 0;
            if (clash) {
                free(aName[i]);
                aName[i] = kb_xasprintf("%s-%d", base, n);
            }
        }
    }
    return aName;
}

static const char *S_severity(int s) {
    return s == KB_CHECK_ERROR ? "error" : "warning";
}

static void S_print_json(const kb_check_report *r) {
    json_t *root = json_object();
    json_object_set_new(root, "schema", json_integer(1));
    json_t *a = json_array();
    for (int i = 0; i < r->n; i++) {
        const kb_check_problem *p = &r->a[i];
        json_t *o = json_object();
        /* Paths come from the walk, which skips names that are not UTF-8;
         * a root given so is escaped here, never dropped from the problem. */
        json_t *file = json_string(p->file);
        if (!file) {
            char *zFile = kb_utf8_escape(p->file);
            file = json_string(zFile);
            free(zFile);
        }
        json_object_set_new(o, "file", file);
        json_object_set_new(o, "line", json_integer(p->line));
        json_object_set_new(o, "severity", json_string(S_severity(p->severity)));
        json_object_set_new(o, "code", json_string(p->code));
        /* Messages quote link targets, which are UTF-8 (the file was
         * checked); json_string refuses anything else. */
        json_t *msg = json_string(p->message);
        json_object_set_new(o, "message", msg ? msg : json_string("(message not UTF-8)"));
        json_array_append_new(a, o);
    }
    json_object_set_new(root, "problems", a);
    json_object_set_new(root, "files", json_integer(r->nFile));
    json_object_set_new(root, "errors", json_integer(r->nError));
    json_object_set_new(root, "warnings", json_integer(r->nWarning));
    json_dumpf(root, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(root);
}

/* A CI step must not read a lost report with exit 0 as "no errors": exit
 * 4 with a line on stderr, as kb-query does (kb_cli.h). */
static int S_stdout_written(void) {
    if (kb_cli_answer_written(stdout, 0) == KB_OK) return KB_OK;
    fprintf(stderr, "kb-index: %s\n", kb_errmsg());
    return KB_EIO;
}

int kb_check(const char *const *aRoot, int nRoot, size_t maxBytes, int json) {
    kb_check_report r;
    if (kb_check_collect(aRoot, nRoot, maxBytes, &r)) {
        fprintf(stderr, "kb-index: %s\n", kb_errmsg());
        /* a CI step reading stdout gets a document saying why, not nothing */
        if (json) {
            char *zWhy = kb_utf8_escape(kb_errmsg());
            json_t *err = json_pack("{s:i, s:s, s:s}", "schema", 1, "error", "unreadable-dir", "message", zWhy);
            free(zWhy);
            if (err) json_dumpf(err, stdout, JSON_INDENT(2));
            fputc('\n', stdout);
            json_decref(err);
        }
        return KB_EUSAGE;
    }
    char **aName = S_root_names(aRoot, nRoot);
    for (int i = 0; i < r.n; i++) {
        if (!aName[r.a[i].root]) continue;
        char *zFile = kb_xasprintf("%s/%s", aName[r.a[i].root], r.a[i].file);
        free(r.a[i].file);
        r.a[i].file = zFile;
    }
    for (int i = 0; i < nRoot; i++) free(aName[i]);
    free(aName);
    if (json) {
        S_print_json(&r);
    } else {
        for (int i = 0; i < r.n; i++) {
            const kb_check_problem *p = &r.a[i];
            /* one line per problem: a newline or ESC in a name or a link
             * is written escaped; the code last, as linters write it, so
             * that "include-missing", which kb-index's count of warnings
             * not shown names, can be found in the list */
            char *zFile = kb_shown(p->file), *zMessage = kb_shown(p->message);
            if (p->line > 0) printf("%s:%d: %s: %s [%s]\n", zFile, p->line, S_severity(p->severity), zMessage, p->code);
            else printf("%s: %s: %s [%s]\n", zFile, S_severity(p->severity), zMessage, p->code);
            free(zFile);
            free(zMessage);
        }
    }
    int exitCode = S_stdout_written() == KB_OK ? (r.nError > 0 ? 1 : 0) : KB_EIO;
    if (!json) {
        /* each count in its own plural: "1 archivo revisado: 2 errores, 1 advertencia" */
        fprintf(stderr, P_("%d file checked", "%d files checked", r.nFile), r.nFile);
        /* TRANSLATORS: between the files checked and the errors found */
        fputs(_(": "), stderr);
        fprintf(stderr, P_("%d error", "%d errors", r.nError), r.nError);
        /* TRANSLATORS: between the errors and the warnings found */
        fputs(_(", "), stderr);
        fprintf(stderr, P_("%d warning", "%d warnings", r.nWarning), r.nWarning);
        fputc('\n', stderr);
    }
    kb_check_report_free(&r);
    return exitCode;
}
