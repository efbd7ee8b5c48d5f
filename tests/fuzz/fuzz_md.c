/* fuzz_md.c: Markdown -> sections (kb_md_parse), front matter and includes.
 *
 * The input is a small file tree: parts separated by a line "%%%%". Part 0 is
 * the document "docs/topic/doc.md"; every further part starts with its path
 * (relative to the tree root) on its first line, e.g. "includes/a.md". The
 * include reader resolves an include against the including file the way
 * kb-index does, refuses paths that leave the tree, and serves a part by
 * name. Checks: every section is well-formed (fields set, level 0-3, text
 * and heading valid UTF-8, error-ID keys terminated). */
#include "fuzz_common.h"
#include "kb_md.h"

#define FUZZ_MAX_PARTS 8

typedef struct fuzz_tree {
    const char *azName[FUZZ_MAX_PARTS];
    size_t anName[FUZZ_MAX_PARTS];
    const char *azBody[FUZZ_MAX_PARTS];
    size_t anBody[FUZZ_MAX_PARTS];
    int n;
} fuzz_tree;

/* Lexical resolution of rel against the directory of from; NULL when it
 * climbs above the root or is absolute (outside the tree). */
static char *fuzz_resolve(const char *from, const char *rel) {
    if (rel[0] == '/') return NULL;
    kb_buf b = {0};
    const char *slash = from ? strrchr(from, '/') : NULL;
    if (slash) kb_buf_add(&b, from, (size_t)(slash - from) + 1);
    kb_buf_adds(&b, rel);
    kb_buf out = {0};
    const char *z = kb_buf_str(&b);
    while (*z) {
        const char *e = strchr(z, '/');
        size_t len = e ? (size_t)(e - z) : strlen(z);
        if (len == 2 && z[0] == '.' && z[1] == '.') {
            if (out.n == 0) {
                kb_buf_free(&b);
                kb_buf_free(&out);
                return NULL;
            }
            while (out.n > 0 && out.z[out.n - 1] != '/') out.n--;
            if (out.n > 0) out.n--; /* the slash */
            out.z[out.n] = 0;
        } else if (len > 0 && !(len == 1 && z[0] == '.')) {
            if (out.n) kb_buf_addc(&out, '/');
            kb_buf_add(&out, z, len);
        }
        z += len;
        if (*z == '/') z++;
    }
    kb_buf_free(&b);
    return kb_buf_detach(&out);
}

static int fuzz_read_include(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                             kb_diag_code *pWhy) {
    fuzz_tree *t = ctx;
    FUZZ_ASSERT(path != NULL, "include path is NULL");
    char *zPath = fuzz_resolve(fromDoc ? fromDoc : "docs/topic/doc.md", path);
    *pWhy = KB_DIAG_INCLUDE_OUTSIDE;
    if (!zPath) return kb_fail(KB_EIO, "%s: outside the tree", path);
    *pWhy = KB_DIAG_INCLUDE_MISSING;
    for (int i = 1; i < t->n; i++) {
        if (t->anName[i] == strlen(zPath) && memcmp(t->azName[i], zPath, t->anName[i]) == 0) {
            free(zPath);
            *pz = kb_xmalloc(t->anBody[i] + 1);
            memcpy(*pz, t->azBody[i], t->anBody[i]);
            (*pz)[t->anBody[i]] = 0;
            *pn = t->anBody[i];
            return KB_OK;
        }
    }
    int rc = kb_fail(KB_EIO, "%s: no such file", zPath);
    free(zPath);
    return rc;
}

static void fuzz_split(const char *z, size_t n, fuzz_tree *t) {
    static const char sep[] = "\n%%%%\n";
    const size_t nSep = sizeof sep - 1;
    const char *end = z + n;
    t->n = 0;
    while (t->n < FUZZ_MAX_PARTS) {
        const char *e = NULL;
        for (const char *p = z; p + nSep <= end; p++)
            if (memcmp(p, sep, nSep) == 0) { e = p; break; }
        const char *partEnd = (e && t->n < FUZZ_MAX_PARTS - 1) ? e : end;
        if (t->n == 0) {
            t->azName[0] = "docs/topic/doc.md";
            t->anName[0] = strlen(t->azName[0]);
            t->azBody[0] = z;
            t->anBody[0] = (size_t)(partEnd - z);
        } else {
            const char *nl = memchr(z, '\n', (size_t)(partEnd - z));
            const char *nameEnd = nl ? nl : partEnd;
            t->azName[t->n] = z;
            t->anName[t->n] = (size_t)(nameEnd - z);
            t->azBody[t->n] = nl ? nl + 1 : partEnd;
            t->anBody[t->n] = (size_t)(partEnd - t->azBody[t->n]);
        }
        t->n++;
        if (partEnd == end) break;
        z = partEnd + nSep;
    }
}

static void fuzz_check_doc(const kb_doc *d) {
    FUZZ_ASSERT(d->nSection >= 0 && d->nDiag >= 0 && d->nLink >= 0, "negative counts");
    for (int i = 0; i < d->nSection; i++) {
        const kb_section *s = &d->aSection[i];
        FUZZ_ASSERT(s->level >= 0 && s->level <= 3, "section %d level %d", i, s->level);
        FUZZ_ASSERT(s->line >= 0, "section %d line %d", i, s->line);
        FUZZ_ASSERT(s->anchor && s->heading && s->markdown && s->view.text, "section %d has a NULL field", i);
        for (int k = 0; k < s->nAlias; k++) FUZZ_ASSERT(s->aAlias[k], "NULL alias");
        size_t bad;
        FUZZ_ASSERT(kb_utf8_valid(s->view.text, strlen(s->view.text), &bad), "section %d text not UTF-8 at %zu", i, bad);
        FUZZ_ASSERT(kb_utf8_valid(s->heading, strlen(s->heading), &bad), "section %d heading not UTF-8", i);
        for (int k = 0; k < s->ids.n; k++) {
            FUZZ_ASSERT(memchr(s->ids.a[k].key, 0, KB_ERRID_KEY_MAX), "errid key not terminated");
            FUZZ_ASSERT(s->ids.a[k].key[0], "empty errid key");
        }
    }
    for (int i = 0; i < d->nDiag; i++) {
        FUZZ_ASSERT(d->aDiag[i].message && d->aDiag[i].line >= 0, "bad diagnostic %d", i);
        FUZZ_ASSERT((int)d->aDiag[i].code >= 0 && d->aDiag[i].code < KB_DIAG_CODE_COUNT, "diagnostic %d: no code", i);
        FUZZ_ASSERT(!d->aDiag[i].cycleFile || d->aDiag[i].code == KB_DIAG_INCLUDE_CYCLE,
                    "diagnostic %d: a cycle's file on another code", i);
    }
    for (int i = 0; i < d->nLink; i++) FUZZ_ASSERT(d->aLink[i].target, "NULL link target");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 256 * 1024 || !fuzz_is_doc_text(data, size)) return -1; /* kb-index skips those */
    fuzz_tree t;
    fuzz_split((const char *)data, size, &t);
    kb_md_opts o = {.docPath = t.azName[0], .readInclude = fuzz_read_include, .includeCtx = &t};
    kb_doc d;
    memset(&d, 0, sizeof d);
    int rc = kb_md_parse(t.azBody[0], t.anBody[0], &o, &d);
    FUZZ_ASSERT(rc == KB_OK, "kb_md_parse returned %d", rc);
    fuzz_check_doc(&d);
    kb_doc_free(&d);

    /* Without a reader, includes stay text. */
    kb_md_opts o2 = {.docPath = NULL};
    memset(&d, 0, sizeof d);
    rc = kb_md_parse(t.azBody[0], t.anBody[0], &o2, &d);
    FUZZ_ASSERT(rc == KB_OK, "kb_md_parse (no reader) returned %d", rc);
    kb_doc_free(&d);

    char *slug = kb_md_slug((const char *)data, size < 4096 ? size : 4096);
    FUZZ_ASSERT(slug, "kb_md_slug returned NULL");
    free(slug);
    return 0;
}
