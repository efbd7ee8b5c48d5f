/* kb_refdef.c: link reference definitions carried into sections. */
#include "kb_refdef.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_reflink.h"
#include "kb_util.h"

static int S_is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* A label as CommonMark compares it: inner whitespace runs as one space,
 * none at the ends, Unicode case folded. Malloc'd. */
static char *S_label_fold(const char *z, size_t n) {
    kb_buf b = {0};
    int space = 0;
    for (size_t i = 0; i < n; i++) {
        if (S_is_space(z[i])) {
            space = 1;
            continue;
        }
        if (space && b.n) kb_buf_addc(&b, ' ');
        space = 0;
        kb_buf_addc(&b, z[i]);
    }
    if (!b.z) return kb_xstrdup("");
    utf8proc_uint8_t *pFolded = NULL;
    if (utf8proc_map((const utf8proc_uint8_t *)b.z, (utf8proc_ssize_t)b.n, &pFolded, UTF8PROC_CASEFOLD) >= 0) {
        kb_buf_free(&b);
        return (char *)pFolded;
    }
    /* Not UTF-8: ASCII is all that can be folded. */
    for (size_t i = 0; i < b.n; i++)
        if (b.z[i] >= 'A' && b.z[i] <= 'Z') b.z[i] = (char)(b.z[i] - 'A' + 'a');
    return kb_buf_detach(&b);
}

/* The folded label of a line that opens a definition ("[label]: ..."
 * after at most maxLead spaces), or NULL. */
static char *S_def_label(const char *z, size_t n, size_t maxLead) {
    size_t lead = 0;
    while (lead < n && lead <= maxLead && (z[lead] == ' ' || z[lead] == '\t')) lead++;
    size_t end = lead <= maxLead && lead < n && z[lead] == '[' ? kb_reflink_label_end(z, n, lead) : 0;
    if (end <= lead + 1 || end + 1 >= n || z[end + 1] != ':') return NULL;
    char *zLabel = S_label_fold(z + lead + 1, end - lead - 1);
    if (*zLabel) return zLabel;
    free(zLabel);
    return NULL;
}

void kb_refdefs_add_line(kb_refdefs *d, int line, const char *z, size_t n) {
    char *zLabel = S_def_label(z, n, 3); /* 4 spaces: code */
    if (zLabel) {
        if (d->n == d->cap) {
            d->cap = d->cap ? d->cap * 2 : 16;
            d->a = kb_xrealloc(d->a, (size_t)d->cap * sizeof *d->a);
        }
        d->a[d->n++] = (struct kb_refdef){.label = zLabel, .z = z, .n = n, .line = line, .lineEnd = line};
        d->nText += n + 1;
        return;
    }
    struct kb_refdef *last = d->n ? &d->a[d->n - 1] : NULL;
    if (!last || last->lineEnd != line - 1) return;
    last->n = (size_t)(z + n - last->z);
    last->lineEnd = line;
    d->nText += n + 1;
}

/* Every bracketed run of z, folded: the labels its links may use
 * ("[text][label]" gives both). */
static char **S_bracketed(const char *z, size_t n, int *pn) {
    char **a = NULL;
    int nA = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (z[i] == '\\') {
            i++;
            continue;
        }
        size_t end = z[i] == '[' ? kb_reflink_label_end(z, n, i) : 0;
        if (end <= i + 1) continue;
        if (nA == cap) {
            cap = cap ? cap * 2 : 16;
            a = kb_xrealloc(a, (size_t)cap * sizeof *a);
        }
        a[nA++] = S_label_fold(z + i + 1, end - i - 1);
        i = end; /* "[a][b]": the loop goes on at the second '[' */
    }
    *pn = nA;
    return a;
}

static int S_cmp_key(const void *pa, const void *pb) {
    const struct kb_refdef_key *a = pa, *b = pb;
    int c = strcmp(a->label, b->label);
    return c ? c : a->value - b->value;
}

static int S_cmp_int(const void *pa, const void *pb) { return *(const int *)pa - *(const int *)pb; }

/* The value of label's first key in a (n keys, sorted), or -1. */
static int S_lookup(const struct kb_refdef_key *a, int n, const char *label) {
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(a[mid].label, label) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && strcmp(a[lo].label, label) == 0 ? a[lo].value : -1;
}

/* The first definition of label, or -1. */
static int S_first_def(kb_refdefs *d, const char *label) {
    if (d->nByLabel != d->n) {
        d->aByLabel = kb_xrealloc(d->aByLabel, (size_t)d->n * sizeof *d->aByLabel);
        for (int k = 0; k < d->n; k++) d->aByLabel[k] = (struct kb_refdef_key){d->a[k].label, k};
        qsort(d->aByLabel, (size_t)d->n, sizeof *d->aByLabel, S_cmp_key);
        d->nByLabel = d->n;
    }
    return S_lookup(d->aByLabel, d->nByLabel, label);
}

void kb_refdefs_append_used(kb_refdefs *d, int lineFrom, int lineTo, kb_buf *out) {
    if (d->n == 0 || out->n == 0) return;
    int nUsed = 0;
    char **aLabel = S_bracketed(out->z, out->n, &nUsed);
    int *aDef = nUsed ? kb_xmalloc((size_t)nUsed * sizeof *aDef) : NULL;
    int nDef = 0;
    for (int i = 0; i < nUsed; i++) {
        int k = S_first_def(d, aLabel[i]);
        if (k >= 0 && !(d->a[k].line >= lineFrom && d->a[k].lineEnd < lineTo)) aDef[nDef++] = k;
        free(aLabel[i]);
    }
    free(aLabel);
    if (nDef > 1) qsort(aDef, (size_t)nDef, sizeof *aDef, S_cmp_int);
    size_t budget = d->nText * KB_REFDEF_BUDGET_FACTOR + KB_REFDEF_BUDGET_EXTRA;
    int added = 0;
    for (int i = 0; i < nDef; i++) {
        if (i > 0 && aDef[i] == aDef[i - 1]) continue;
        const struct kb_refdef *def = &d->a[aDef[i]];
        if (d->nCarried + def->n + 1 > budget) break;
        /* A definition cannot interrupt a paragraph: a blank line first. */
        if (!added) kb_buf_adds(out, out->z[out->n - 1] == '\n' ? "\n" : "\n\n");
        kb_buf_add(out, def->z, def->n);
        kb_buf_addc(out, '\n');
        d->nCarried += def->n + 1;
        added = 1;
    }
    free(aDef);
}

void kb_refdefs_add_stray(kb_refdefs *d, int line, const char *z, size_t n) {
    size_t lead = 0;
    while (lead < n && (z[lead] == ' ' || z[lead] == '\t')) lead++;
    if (lead == n || z[lead] != '[') return; /* most lines: no parse */
    char *zLabel = S_def_label(z + lead, n - lead, 0);
    if (!zLabel) return;
    if (d->nStray == d->capStray) {
        d->capStray = d->capStray ? d->capStray * 2 : 8;
        d->aStray = kb_xrealloc(d->aStray, (size_t)d->capStray * sizeof *d->aStray);
    }
    d->aStray[d->nStray++] = (struct kb_refdef_key){zLabel, line};
}

int kb_refdefs_stray_line(kb_refdefs *d, const char *ref, size_t n) {
    const char *zLabel;
    size_t nLabel;
    if (d->nStray == 0 || n < 1 || ref[0] != '[' || !kb_reflink_at(ref, n, 0, &zLabel, &nLabel)) return 0;
    if (d->nStraySorted != d->nStray) {
        qsort(d->aStray, (size_t)d->nStray, sizeof *d->aStray, S_cmp_key);
        d->nStraySorted = d->nStray;
    }
    char *zFolded = S_label_fold(zLabel, nLabel);
    int line = S_lookup(d->aStray, d->nStray, zFolded);
    free(zFolded);
    return line < 0 ? 0 : line;
}

void kb_refdefs_free(kb_refdefs *d) {
    for (int k = 0; k < d->n; k++) free(d->a[k].label);
    free(d->a);
    free(d->aByLabel);
    for (int k = 0; k < d->nStray; k++) free(d->aStray[k].label);
    free(d->aStray);
    memset(d, 0, sizeof *d);
}
