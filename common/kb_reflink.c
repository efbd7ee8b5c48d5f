/* kb_reflink.c: see kb_reflink.h. */
#include "kb_reflink.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kb_cmark.h"
#include "kb_tok.h"
#include "kb_util.h"

/* CommonMark refuses longer labels. */
#define S_LABEL_MAX 999

size_t kb_reflink_label_end(const char *z, size_t n, size_t i) {
    for (size_t k = i + 1; k < n && k - i <= S_LABEL_MAX; k++) {
        if (z[k] == '\\' && k + 1 < n) {
            k++;
            continue;
        }
        if (z[k] == '[') return 0;
        if (z[k] == ']') return k;
    }
    return 0;
}

static int S_is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t kb_reflink_at(const char *z, size_t n, size_t i, const char **pzLabel, size_t *pnLabel) {
    size_t end1 = kb_reflink_label_end(z, n, i);
    if (!end1 || end1 + 1 >= n || z[end1 + 1] != '[') return 0;
    size_t end2 = kb_reflink_label_end(z, n, end1 + 1);
    if (!end2) return 0;
    *pzLabel = end2 > end1 + 2 ? z + end1 + 2 : z + i + 1;
    *pnLabel = end2 > end1 + 2 ? end2 - end1 - 2 : end1 - i - 1;
    for (size_t k = 0; k < *pnLabel; k++)
        if (!S_is_space((*pzLabel)[k])) return end2 + 1;
    return 0;
}

/* Whether z[0..i) ends with what makes a following "[0][1]" an index: a
 * letter, digit, '_', ')' or ']' ("a[0][1]", "f()[0]"). Not a CJK character:
 * that text has no spaces, and "請參閱[安裝指南][]" is a reference. */
static int S_ends_word(const char *z, size_t i) {
    unsigned char c = (unsigned char)z[i - 1];
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ')' ||
               c == ']';
    size_t start = i - 1;
    while (start > 0 && i - start < 4 && ((unsigned char)z[start] & 0xC0) == 0x80) start--;
    int32_t cp = -1;
    utf8proc_ssize_t len = (utf8proc_ssize_t)(i - start);
    if (utf8proc_iterate((const utf8proc_uint8_t *)z + start, len, &cp) != len) return 1; /* not UTF-8: a word */
    if (kb_tok_is_cjk(cp)) return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO; /* letters, marks, numbers */
}

/* The next reference in z[from..n): 1 and its bytes [*pStart, *pEnd), or 0. */
static int S_next(const char *z, size_t n, size_t from, size_t *pStart, size_t *pEnd) {
    for (size_t i = from; i < n; i++) {
        const char *zLabel;
        size_t nLabel, end;
        if (z[i] != '[' || (i > 0 && S_ends_word(z, i))) continue;
        if (!(end = kb_reflink_at(z, n, i, &zLabel, &nLabel))) continue;
        *pStart = i;
        *pEnd = end;
        return 1;
    }
    return 0;
}

/* A node of a run (a text node, or a line break read as a space) and where
 * it starts in the run's text. */
typedef struct S_piece {
    cmark_node *node;
    size_t at, n;
} S_piece;

/* Bytes of a run to remove: [from, to). */
typedef struct S_cut {
    size_t from, to;
} S_cut;

typedef struct S_run S_run;
struct S_run {
    kb_buf text;
    S_piece *aPiece;
    int nPiece, capPiece;
    void (*found)(S_run *r, size_t start, size_t end);
    kb_reflink_fn fn; /* kb_reflink_each_undefined's caller */
    void *ctx;
    S_cut *aCut;      /* kb_reflink_unbracket's */
    int nCut, capCut;
};

static void S_run_add(S_run *r, cmark_node *node, const char *z, size_t n) {
    if (r->nPiece == r->capPiece) {
        r->capPiece = r->capPiece ? r->capPiece * 2 : 16;
        r->aPiece = kb_xrealloc(r->aPiece, (size_t)r->capPiece * sizeof *r->aPiece);
    }
    r->aPiece[r->nPiece++] = (S_piece){node, r->text.n, n};
    kb_buf_add(&r->text, z, n);
}

static void S_apply_cuts(S_run *r);

/* Ends the run: finds its references, cuts them if asked to. */
static void S_run_end(S_run *r) {
    size_t from = 0, start, end;
    for (; r->text.n && S_next(r->text.z, r->text.n, from, &start, &end); from = end) r->found(r, start, end);
    if (r->nCut) S_apply_cuts(r);
    kb_buf_reset(&r->text);
    r->nPiece = r->nCut = 0;
}

/* Reads parent's inlines into runs. */
static void S_walk(S_run *r, cmark_node *parent) {
    for (cmark_node *node = cmark_node_first_child(parent); node; node = cmark_node_next(node)) {
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_TEXT) {
            const char *z = cmark_node_get_literal(node);
            S_run_add(r, node, z ? z : "", z ? strlen(z) : 0);
        } else if (t == CMARK_NODE_SOFTBREAK) {
            S_run_add(r, node, " ", 1);
        } else if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || kb_cmark_is(node, "strikethrough")) {
            S_walk(r, node);
        } else {
            S_run_end(r);
        }
    }
}

static void S_walk_block(S_run *r, cmark_node *block) {
    S_walk(r, block);
    S_run_end(r);
}

static void S_found_call(S_run *r, size_t start, size_t end) { r->fn(r->ctx, r->text.z, start, end); }

void kb_reflink_each_undefined(cmark_node *block, kb_reflink_fn fn, void *ctx) {
    S_run r = {.found = S_found_call, .fn = fn, .ctx = ctx};
    S_walk_block(&r, block);
    kb_buf_free(&r.text);
    free(r.aPiece);
}

static void S_add_cut(S_run *r, size_t from, size_t to) {
    if (r->nCut == r->capCut) {
        r->capCut = r->capCut ? r->capCut * 2 : 8;
        r->aCut = kb_xrealloc(r->aCut, (size_t)r->capCut * sizeof *r->aCut);
    }
    r->aCut[r->nCut++] = (S_cut){from, to};
}

/* "[text][label]": the opening bracket and "][label]" go. */
static void S_found_cut(S_run *r, size_t start, size_t end) {
    size_t close = kb_reflink_label_end(r->text.z, r->text.n, start);
    S_add_cut(r, start, start + 1);
    S_add_cut(r, close, end);
}

/* Frees node and, up from it, each emphasis it leaves empty. The run ends
 * on a node that is not in it, or after the block: what is freed is
 * behind the walk. */
static void S_free_piece(cmark_node *node) {
    while (node) {
        cmark_node *parent = cmark_node_parent(node);
        cmark_node_free(node);
        int emphasis = parent && (cmark_node_get_type(parent) == CMARK_NODE_EMPH ||
                                  cmark_node_get_type(parent) == CMARK_NODE_STRONG ||
                                  kb_cmark_is(parent, "strikethrough"));
        node = emphasis && !cmark_node_first_child(parent) ? parent : NULL;
    }
}

/* Rewrites the run's pieces without the bytes its cuts (in order, apart)
 * remove. */
static void S_apply_cuts(S_run *r) {
    kb_buf kept = {0};
    for (int i = 0, c = 0; i < r->nPiece; i++) {
        const S_piece *p = &r->aPiece[i];
        while (c < r->nCut && r->aCut[c].to <= p->at) c++;
        if (c == r->nCut || r->aCut[c].from >= p->at + p->n) continue; /* untouched */
        kb_buf_reset(&kept);
        for (size_t k = p->at; k < p->at + p->n; k++) {
            while (c < r->nCut && r->aCut[c].to <= k) c++;
            if (c == r->nCut || k < r->aCut[c].from) kb_buf_addc(&kept, r->text.z[k]);
        }
        if (kept.n == 0) S_free_piece(p->node);
        else if (cmark_node_get_type(p->node) == CMARK_NODE_TEXT) cmark_node_set_literal(p->node, kb_buf_str(&kept));
    }
    kb_buf_free(&kept);
}

void kb_reflink_unbracket(cmark_node *root) {
    S_run r = {.found = S_found_cut};
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH || cmark_node_get_type(node) == CMARK_NODE_HEADING ||
            kb_cmark_is(node, "table_cell")) {
            S_walk_block(&r, node);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT); /* its inlines are read */
        }
    }
    cmark_iter_free(it);
    kb_buf_free(&r.text);
    free(r.aPiece);
    free(r.aCut);
}
