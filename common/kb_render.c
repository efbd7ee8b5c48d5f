/* kb_render.c: a section's Markdown as text and as Markdown, and the
 * labels they add. See kb_render.h.
 *
 * Everything starts from the cmark-gfm tree (kb_mdtree.h); inline content
 * is read as text lines (kb_inline.h). Block structure (lists, quotes,
 * alerts, tables) is walked with cmark_iter, never by recursion, so a
 * 10,000-deep list cannot overflow the stack. The walk decides what each
 * block says; where its lines break and how they start is kb_layout.h's. */
#define _GNU_SOURCE /* memmem */
#include "kb_render.h"
#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_inline.h"
#include "kb_layout.h"
#include "kb_links.h"
#include "kb_msg.h"
#include "kb_mdtree.h"
#include "kb_table.h"
#include "kb_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* Labels                                                             */
/* ------------------------------------------------------------------ */

/* Labels are in the reader's language on a terminal, but always English
 * in the indexed text (width 0): the index must not depend on the locale
 * kb-index ran under, and removing a section re-renders its text. */
enum { S_LABEL_ERROR, S_LABEL_CAUSE, S_LABEL_ACTIONS, S_LABEL_NOTE, S_LABEL_TIP, S_LABEL_IMPORTANT,
       S_LABEL_WARNING, S_LABEL_CAUTION, S_LABEL_LINKS, S_LABEL_COUNT };

/* Every label the renderers add, as msgids. */
static const char *const S_azLabel[S_LABEL_COUNT] = {
    [S_LABEL_ERROR] = N_("Error"),      [S_LABEL_CAUSE] = N_("Cause"),   [S_LABEL_ACTIONS] = N_("Recommended actions"),
    [S_LABEL_NOTE] = N_("Note"),        [S_LABEL_TIP] = N_("Tip"),       [S_LABEL_IMPORTANT] = N_("Important"),
    [S_LABEL_WARNING] = N_("Warning"),  [S_LABEL_CAUTION] = N_("Caution"), [S_LABEL_LINKS] = N_("Links")};

/* KB_LABELS_MARKED: label i is the noncharacter U+FDD0 + i, which Unicode
 * keeps for a program's internal use. */
#define S_MARK_LEAD0 0xEF
#define S_MARK_LEAD1 0xB7
#define S_MARK_FIRST 0x90
static const char *const S_azMark[S_LABEL_COUNT] = {"\xEF\xB7\x90", "\xEF\xB7\x91", "\xEF\xB7\x92",
                                                    "\xEF\xB7\x93", "\xEF\xB7\x94", "\xEF\xB7\x95",
                                                    "\xEF\xB7\x96", "\xEF\xB7\x97", "\xEF\xB7\x98"};

static const char *S_label_text(kb_labels labels, int label) {
    switch (labels) {
    case KB_LABELS_ENGLISH: return S_azLabel[label];
    case KB_LABELS_MARKED: return S_azMark[label];
    default: return _(S_azLabel[label]);
    }
}

int kb_render_label_mark(const char *z, size_t n) {
    const unsigned char *u = (const unsigned char *)z;
    if (n < 3 || u[0] != S_MARK_LEAD0 || u[1] != S_MARK_LEAD1) return -1;
    unsigned k = (unsigned)u[2] - S_MARK_FIRST;
    return k < S_LABEL_COUNT ? (int)k : -1;
}

static void S_add_json_escaped(kb_buf *out, const char *z) {
    for (; *z; z++) {
        unsigned char c = (unsigned char)*z;
        if (c == '"' || c == '\\') kb_buf_addc(out, '\\');
        if (c < 0x20) kb_buf_addf(out, "\\u%04x", c);
        else kb_buf_addc(out, (char)c);
    }
}

int kb_render_fill_labels(const char *z, size_t n, kb_labels labels, int json, kb_buf *out) {
    int nMark = 0;
    size_t from = 0;
    for (const char *p = z; (p = memchr(p, S_MARK_LEAD0, (size_t)(z + n - p))) != NULL;) {
        int label = kb_render_label_mark(p, (size_t)(z + n - p));
        if (label < 0) {
            p++;
            continue;
        }
        kb_buf_add(out, z + from, (size_t)(p - z) - from);
        const char *zLabel = S_label_text(labels == KB_LABELS_MARKED ? KB_LABELS_ENGLISH : labels, label);
        if (json) S_add_json_escaped(out, zLabel);
        else kb_buf_adds(out, zLabel);
        p += 3;
        from = (size_t)(p - z);
        nMark++;
    }
    kb_buf_add(out, z + from, n - from);
    return nMark;
}

const char *kb_render_alert_label(kb_labels labels, const char *z, size_t n, size_t *pSkip) {
    static const struct { const char *zKey; int label; } a[] = {
        {"NOTE", S_LABEL_NOTE},       {"TIP", S_LABEL_TIP},         {"IMPORTANT", S_LABEL_IMPORTANT},
        {"WARNING", S_LABEL_WARNING}, {"CAUTION", S_LABEL_CAUTION},
    };
    size_t k;
    if (n >= 2 && z[0] == '[' && z[1] == '!') k = 2;
    else if (n >= 7 && strncasecmp(z, "[AZURE.", 7) == 0) k = 7;
    else return NULL;
    const char *e = memchr(z, ']', n < 64 ? n : 64);
    if (!e) return NULL;
    size_t nKey = (size_t)(e - z) - k;
    *pSkip = (size_t)(e - z) + 1;
    while (*pSkip < n && (z[*pSkip] == ' ' || z[*pSkip] == '\n')) (*pSkip)++;
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (strlen(a[i].zKey) == nKey && strncasecmp(z + k, a[i].zKey, nKey) == 0) return S_label_text(labels, a[i].label);
    return ""; /* a DocFX marker we have no label for ("[!div ...]"): just drop it */
}

/* ------------------------------------------------------------------ */
/* Text renderer                                                      */
/* ------------------------------------------------------------------ */

enum { S_FRAME_LIST = 1, S_FRAME_ITEM, S_FRAME_QUOTE, S_FRAME_ALERT };

typedef struct S_frame {
    int kind;
    kb_layout_depth depth; /* indentation to restore when the frame closes */
    int tight;             /* blocks inside need no blank line between them */
    int ordered, next;
} S_frame;

typedef struct S_r {
    kb_layout L;
    kb_labels labels;
    kb_render_mark_fn markMatches;
    void *matchCtx;
    kb_inline_linkmode lm;
    kb_inline_urls urls;
    S_frame *aFrame;
    int nFrame, nFrameAlloc;
    kb_buf scratch, text;
    cmark_node *cachedNode; /* paragraph whose text an alert check already computed */
    kb_buf cached;
} S_r;

static const char *S_role_label(const S_r *R, int role) {
    switch (role) {
    case KB_TABLE_ROLE_ERROR: return S_label_text(R->labels, S_LABEL_ERROR);
    case KB_TABLE_ROLE_CAUSE: return S_label_text(R->labels, S_LABEL_CAUSE);
    case KB_TABLE_ROLE_ACTION: return S_label_text(R->labels, S_LABEL_ACTIONS);
    default: return NULL;
    }
}

#define S_REF_OPEN "(\xe2\x86\x92 " /* "(→ " before an internal link's doc#anchor */
#define S_REF_MAX 8192 /* longer is no doc#anchor: a path is at most PATH_MAX */

/* The length of the link reference at z[i] (with the space before it),
 * 0 if none starts there: " (→ doc#anchor)", or " [k]" for one of the
 * nUrl listed URLs. */
static size_t S_ref_at(const char *z, size_t n, size_t i, int nUrl) {
    size_t k = i + (z[i] == ' ');
    if (n - k > sizeof S_REF_OPEN - 1 && memcmp(z + k, S_REF_OPEN, sizeof S_REF_OPEN - 1) == 0) {
        /* only as far as the reference can go: looking for the line's end
         * from each of a line's 125,000 links made a 1.5 MB page take 3 s */
        size_t end = k + sizeof S_REF_OPEN - 1;
        while (end < n && end - k < S_REF_MAX && z[end] != ')' && z[end] != '\n') end++;
        return end < n && z[end] == ')' ? end + 1 - i : 0;
    }
    if (z[i] != ' ' || k >= n || z[k] != '[' || nUrl == 0) return 0;
    int v = 0;
    size_t j = k + 1;
    while (j < n && j - k <= 6 && z[j] >= '0' && z[j] <= '9') v = v * 10 + (z[j++] - '0');
    return j > k + 1 && j < n && z[j] == ']' && v >= 1 && v <= nUrl ? j + 1 - i : 0;
}

/* The layout's kb_layout_mark_fn: what the caller's markMatches marks,
 * less where an internal link goes, "(→ doc#anchor)", which matched
 * nothing: its words are not indexed (kb_render_index_text). */
static void S_mark_matches(void *ctx, const char *z, size_t n, unsigned char *aBold) {
    const S_r *R = ctx;
    R->markMatches(R->matchCtx, z, n, aBold);
    for (size_t i = 0; i < n; i++) {
        size_t nRef = z[i] == '(' ? S_ref_at(z, n, i, 0) : 0;
        if (!nRef) continue;
        memset(aBold + i, 0, nRef);
        i += nRef - 1;
    }
}

static S_frame *S_top(S_r *R) { return R->nFrame ? &R->aFrame[R->nFrame - 1] : NULL; }

static int S_tight(S_r *R) {
    S_frame *f = S_top(R);
    return f && f->tight;
}

static S_frame *S_push(S_r *R, int kind) {
    if (R->nFrame == R->nFrameAlloc) {
        R->nFrameAlloc = R->nFrameAlloc ? 2 * R->nFrameAlloc : 16;
        R->aFrame = kb_xrealloc(R->aFrame, (size_t)R->nFrameAlloc * sizeof *R->aFrame);
    }
    S_frame *f = &R->aFrame[R->nFrame++];
    memset(f, 0, sizeof *f);
    f->kind = kind;
    f->depth = kb_layout_save(&R->L);
    return f;
}

static void S_pop(S_r *R) {
    S_frame *f = S_top(R);
    if (!f) return;
    if (f->kind == S_FRAME_ITEM || f->kind == S_FRAME_ALERT) kb_layout_flush_lead(&R->L);
    kb_layout_restore(&R->L, f->depth);
    R->nFrame--;
}

/* Emits text lines from kb_html_to_text as paragraphs: "- " and "1. " lines
 * hang under their bullet, an empty line becomes a blank line. */
static void S_emit_lines(S_r *R, const char *z, size_t n, int bold) {
    size_t i = 0;
    int emitted = 0;
    kb_buf img = {0};
    while (i < n) {
        size_t s = i;
        while (i < n && z[i] != '\n') i++;
        size_t e = i;
        if (i < n) i++;
        while (e > s && z[e - 1] == ' ') e--;
        if (e == s) {
            if (emitted) kb_layout_blank(&R->L);
            continue;
        }
        const char *zLine = z + s;
        size_t nLine = e - s;
        size_t nIndent, nBullet;
        kb_inline_line_parts(zLine, nLine, &nIndent, &nBullet);
        if (nLine - nIndent >= 3 && memcmp(zLine + nIndent, ":::", 3) == 0) {
            /* DocFX block extensions: images keep their alt text, the rest go.
             * A paragraph's directive is a line of its own (kb_inline.c). */
            kb_buf_reset(&img);
            if (!kb_inline_docfx_image(zLine, nLine, &img)) continue;
            zLine = img.z;
            nLine = img.n;
            nIndent = nBullet = 0;
        }
        kb_layout_line(&R->L, zLine, nLine, nIndent, nBullet, bold);
        emitted = 1;
    }
    kb_buf_free(&img);
}

static void S_block_start(S_r *R) {
    if (!S_tight(R)) kb_layout_blank(&R->L);
}

static void S_paragraph(S_r *R, cmark_node *node, int bold) {
    kb_buf_reset(&R->text);
    if (node == R->cachedNode) {
        kb_buf_add(&R->text, kb_buf_str(&R->cached), R->cached.n);
        R->cachedNode = NULL;
    } else {
        kb_inline_text(node, &R->lm, &R->scratch, &R->text);
    }
    const char *z = kb_buf_str(&R->text);
    if (strncasecmp(z, "[!INCLUDE", 9) == 0) return; /* DocFX include: not part of this doc */
    S_emit_lines(R, z, R->text.n, bold);
}

static void S_code_block(S_r *R, cmark_node *node) {
    const char *z = cmark_node_get_literal(node);
    size_t n = z ? strlen(z) : 0;
    kb_layout_flush_lead(&R->L);
    kb_layout_begin(&R->L);
    while (n && z[n - 1] == '\n') n--;
    size_t i = 0;
    while (i <= n) {
        size_t s = i;
        while (i < n && z[i] != '\n') i++;
        size_t e = i;
        if (e > s && z[e - 1] == '\r') e--;
        kb_layout_line_start(&R->L);
        if (e > s) kb_buf_adds(R->L.out, "    ");
        for (size_t k = s; k < e; k++) /* no control character reaches a terminal */
            if ((unsigned char)z[k] >= 0x20 || z[k] == '\t') kb_buf_addc(R->L.out, z[k]);
        kb_buf_addc(R->L.out, '\n'); /* a code line keeps its trailing blanks */
        i++;
    }
    kb_layout_blank(&R->L);
}

/* "Label: text" when the text is one line, else the label on its own line
 * and the text indented under it. */
static void S_labelled(S_r *R, const char *zLabel, const char *z) {
    size_t n = strlen(z);
    int nLines = 0, bullet = 0;
    for (size_t i = 0; i < n;) {
        size_t s = i;
        while (i < n && z[i] != '\n') i++;
        if (i > s) {
            size_t a, b;
            kb_inline_line_parts(z + s, i - s, &a, &b);
            nLines++;
            bullet |= b != 0 || a != 0;
        }
        if (i < n) i++;
    }
    if (!nLines) return;
    kb_layout_depth save = kb_layout_save(&R->L);
    if (zLabel && zLabel[0]) {
        char *zLead = kb_xasprintf(nLines == 1 && !bullet ? "%s: " : "%s:", zLabel);
        kb_layout_set_lead(&R->L, zLead, 2, 1);
        free(zLead);
        if (nLines > 1 || bullet) kb_layout_flush_lead(&R->L);
    }
    S_emit_lines(R, z, n, 0);
    kb_layout_drop_lead(&R->L);
    kb_layout_restore(&R->L, save);
}

static void S_table_blocks(S_r *R, kb_table *t) {
    if (t->kind == KB_TABLE_KEYVALUE) {
        S_block_start(R);
        kb_buf v = {0};
        for (int c = 1; c < t->nCol; c++) {
            if (v.n && t->aCell[c][0]) kb_buf_addc(&v, '\n');
            kb_buf_adds(&v, t->aCell[c]);
        }
        S_labelled(R, S_role_label(R, KB_TABLE_ROLE_ERROR), kb_buf_str(&v));
        for (int r = 1; r < t->nRow; r++) {
            kb_buf_reset(&v);
            for (int c = 1; c < t->nCol; c++) {
                const char *z = t->aCell[r * t->nCol + c];
                if (v.n && z[0]) kb_buf_addc(&v, '\n');
                kb_buf_adds(&v, z);
            }
            char *zKey = kb_inline_one_line(t->aCell[r * t->nCol], strlen(t->aCell[r * t->nCol]));
            const char *zLabel = S_role_label(R, kb_table_role(zKey, strlen(zKey)));
            S_labelled(R, zLabel ? zLabel : zKey, kb_buf_str(&v));
            free(zKey);
        }
        kb_buf_free(&v);
        return;
    }
    for (int r = 1; r < t->nRow; r++) {
        kb_layout_blank(&R->L);
        for (int c = 0; c < t->nCol; c++) {
            const char *zLabel = t->kind == KB_TABLE_REMEDY ? S_role_label(R, t->aRole[c]) : NULL;
            char *zHead = NULL;
            if (!zLabel) zLabel = zHead = kb_inline_one_line(t->aCell[c], strlen(t->aCell[c]));
            S_labelled(R, zLabel, t->aCell[r * t->nCol + c]);
            free(zHead);
        }
    }
}

/* An aligned grid, for small tables of short cells when the width allows. */
static int S_table_grid(S_r *R, kb_table *t) {
    kb_layout *L = &R->L;
    if (L->width <= 0 || t->nCol > 64) return 0;
    int aW[64] = {0};
    int total = L->prefixCols + 2 * (t->nCol - 1);
    for (int c = 0; c < t->nCol; c++) {
        for (int r = 0; r < t->nRow; r++) {
            const char *z = t->aCell[r * t->nCol + c];
            if (strchr(z, '\n')) return 0;
            int w = kb_layout_columns(z, strlen(z));
            if (w > aW[c]) aW[c] = w;
        }
        total += aW[c];
    }
    if (total > L->width) return 0;
    kb_layout_begin(L);
    kb_buf *o = L->out;
    for (int r = 0; r < t->nRow; r++) {
        kb_layout_line_start(L);
        for (int c = 0; c < t->nCol; c++) {
            const char *z = t->aCell[r * t->nCol + c];
            size_t n = strlen(z);
            kb_layout_put_words(L, z, n);
            if (c + 1 < t->nCol)
                for (int k = kb_layout_columns(z, n); k < aW[c] + 2; k++) kb_buf_addc(o, ' ');
        }
        kb_layout_line_end(L);
        if (r == 0) {
            kb_layout_line_start(L);
            for (int c = 0; c < t->nCol; c++) {
                for (int k = 0; k < aW[c]; k++) kb_buf_addc(o, '-');
                if (c + 1 < t->nCol) kb_buf_adds(o, "  ");
            }
            kb_buf_addc(o, '\n');
        }
    }
    return 1;
}

static void S_table_render(S_r *R, cmark_node *node) {
    kb_table t;
    kb_table_read(node, &R->lm, &R->scratch, &t);
    kb_layout_flush_lead(&R->L);
    kb_layout_blank(&R->L);
    if (t.kind != KB_TABLE_PLAIN || !S_table_grid(R, &t)) S_table_blocks(R, &t);
    kb_layout_blank(&R->L);
    kb_table_free(&t);
}

static void S_quote_enter(S_r *R, cmark_node *node) {
    cmark_node *first = cmark_node_first_child(node);
    size_t skip = 0;
    const char *zLabel = NULL;
    if (first && cmark_node_get_type(first) == CMARK_NODE_PARAGRAPH) {
        kb_buf_reset(&R->cached);
        kb_inline_text(first, &R->lm, &R->scratch, &R->cached);
        zLabel = kb_render_alert_label(R->labels, kb_buf_str(&R->cached), R->cached.n, &skip);
        if (zLabel) {
            memmove(R->cached.z, R->cached.z + skip, R->cached.n - skip + 1);
            R->cached.n -= skip;
        }
        R->cachedNode = first;
    }
    kb_layout_flush_lead(&R->L);
    S_block_start(R);
    if (zLabel && zLabel[0]) {
        S_push(R, S_FRAME_ALERT);
        char *zLead = kb_xasprintf("%s: ", zLabel);
        kb_layout_set_lead(&R->L, zLead, 2, 1);
        free(zLead);
    } else {
        S_push(R, S_FRAME_QUOTE);
        kb_layout_indent(&R->L, "> ");
    }
}

/* An HTML block, as the text a browser would show. */
static void S_html_block(S_r *R, cmark_node *node) {
    const char *z = cmark_node_get_literal(node);
    kb_buf_reset(&R->text);
    if (z) kb_html_to_text(z, strlen(z), &R->text);
    if (R->text.n) {
        S_block_start(R);
        S_emit_lines(R, R->text.z, R->text.n, 0);
    }
}

static void S_list_enter(S_r *R, cmark_node *node) {
    int inTight = S_tight(R);
    S_frame *f = S_push(R, S_FRAME_LIST);
    f->tight = cmark_node_get_list_tight(node);
    f->ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST;
    f->next = cmark_node_get_list_start(node);
    if (!inTight) kb_layout_blank(&R->L);
}

/* A list item: its bullet or number leads its first line. */
static void S_item_enter(S_r *R) {
    S_frame *list = S_top(R);
    char zBullet[24] = "- ";
    int tight = 0;
    if (list && list->kind == S_FRAME_LIST) {
        tight = list->tight;
        if (list->ordered) snprintf(zBullet, sizeof zBullet, "%d. ", list->next++);
    }
    if (!tight) kb_layout_blank(&R->L);
    S_frame *f = S_push(R, S_FRAME_ITEM);
    f->tight = tight;
    kb_layout_set_lead(&R->L, zBullet, (int)strlen(zBullet), 0);
}

static void S_render_tree(S_r *R, cmark_node *doc) {
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_EXIT) {
            if (type == CMARK_NODE_LIST || type == CMARK_NODE_ITEM || type == CMARK_NODE_BLOCK_QUOTE) {
                S_pop(R);
                if (type != CMARK_NODE_ITEM && !S_tight(R)) kb_layout_blank(&R->L);
            }
            continue;
        }
        switch (type) {
        case CMARK_NODE_PARAGRAPH:
            S_block_start(R);
            S_paragraph(R, node, 0);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_HEADING:
            kb_layout_flush_lead(&R->L);
            kb_layout_blank(&R->L);
            S_paragraph(R, node, 1);
            kb_layout_blank(&R->L);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
            break;
        case CMARK_NODE_CODE_BLOCK:
            S_block_start(R);
            S_code_block(R, node);
            break;
        case CMARK_NODE_HTML_BLOCK:
            S_html_block(R, node);
            break;
        case CMARK_NODE_THEMATIC_BREAK:
            kb_layout_blank(&R->L);
            break;
        case CMARK_NODE_LIST:
            S_list_enter(R, node);
            break;
        case CMARK_NODE_ITEM:
            S_item_enter(R);
            break;
        case CMARK_NODE_BLOCK_QUOTE:
            S_quote_enter(R, node);
            break;
        default:
            if (kb_cmark_is(node, "table")) {
                S_table_render(R, node);
                cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
            }
            break;
        }
    }
    cmark_iter_free(it);
}

void kb_render_text(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out) {
    kb_mdtree *d = kb_mdtree_parse(md, n);
    kb_render_text_doc(d, o, out);
    kb_mdtree_free(d);
}

void kb_render_text_doc(const kb_mdtree *d, const kb_render_opts *o, struct kb_buf *out) {
    S_r R;
    memset(&R, 0, sizeof R);
    R.labels = o ? o->labels : KB_LABELS_UI;
    R.markMatches = o ? o->markMatches : NULL;
    R.matchCtx = o ? o->matchCtx : NULL;
    R.lm.docPath = o ? o->docPath : NULL;
    R.lm.pUrls = &R.urls;
    kb_layout_init(&R.L, out, o ? o->width : 0, o ? o->color : 0, R.markMatches ? S_mark_matches : NULL, &R);

    S_render_tree(&R, kb_mdtree_root(d));
    while (R.nFrame) S_pop(&R);

    if (R.urls.n) {
        kb_layout_blank(&R.L);
        char *zHead = kb_xasprintf("%s:", S_label_text(R.labels, S_LABEL_LINKS));
        kb_layout_set_lead(&R.L, zHead, 0, 1); /* in bold, on a line of its own */
        kb_layout_flush_lead(&R.L);
        free(zHead);
        for (int i = 0; i < R.urls.n; i++) kb_buf_addf(out, "[%d] %s\n", i + 1, R.urls.a[i]);
    }
    kb_inline_urls_free(&R.urls);
    kb_layout_free(&R.L);
    kb_buf_free(&R.scratch);
    kb_buf_free(&R.text);
    kb_buf_free(&R.cached);
    free(R.aFrame);
}

/* ------------------------------------------------------------------ */
/* The text to index                                                  */
/* ------------------------------------------------------------------ */

/* Where the closing list of URLs ("Links:\n[1] url\n[2] url\n", after a
 * blank line) starts in a rendering of width 0, with the number of URLs in
 * *pnUrl; n and 0 when the rendering ends otherwise. */
static size_t S_url_list_at(const char *z, size_t n, int *pnUrl) {
    char zHead[64];
    int nHead = snprintf(zHead, sizeof zHead, "%s:\n[1] ", S_label_text(KB_LABELS_ENGLISH, S_LABEL_LINKS));
    const char *list = NULL;
    for (const char *p = z; (p = memmem(p, (size_t)(z + n - p), zHead, (size_t)nHead)) != NULL; p++)
        if (p == z || (p - z >= 2 && p[-1] == '\n' && p[-2] == '\n')) list = p;
    *pnUrl = 0;
    if (!list) return n;
    int nUrl = 0;
    for (const char *p = (const char *)memchr(list, '\n', (size_t)(z + n - list)) + 1; p < z + n; nUrl++) {
        char want[24];
        int nWant = snprintf(want, sizeof want, "[%d] ", nUrl + 1);
        const char *eol = memchr(p, '\n', (size_t)(z + n - p));
        if (!eol || eol - p <= nWant || memcmp(p, want, (size_t)nWant) != 0) return n;
        p = eol + 1;
    }
    *pnUrl = nUrl;
    return (size_t)(list - z);
}

void kb_render_index_text(const char *z, size_t n, kb_buf *out) {
    int nUrl;
    size_t end = S_url_list_at(z, n, &nUrl), from = 0;
    for (size_t i = 0; i < end;) {
        size_t nRef = (z[i] == ' ' || z[i] == '(') ? S_ref_at(z, end, i, nUrl) : 0;
        if (!nRef) {
            i++;
            continue;
        }
        kb_buf_add(out, z + from, i - from);
        from = i += nRef;
    }
    kb_buf_add(out, z + from, end - from);
}

/* ------------------------------------------------------------------ */
/* Markdown                                                           */
/* ------------------------------------------------------------------ */

/* The CommonMark renderer escapes DocFX's "[!NOTE]" (or "[!note]", which
 * DocFX reads alike) into "\\[\\!NOTE\\]"; DocFX readers need the marker
 * as written. */
static void S_unescape_alerts(const char *z, kb_buf *out) {
    static const char zOpen[] = "\\[\\!";
    while (*z) {
        const char *p = strstr(z, zOpen);
        const char *close = p ? strstr(p, "\\]") : NULL;
        int ok = close && close - p < 24;
        for (const char *k = p ? p + 4 : NULL; ok && k < close; k++)
            ok = (*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '_';
        if (!ok) {
            size_t upto = p ? (size_t)(p - z) + 1 : strlen(z);
            kb_buf_add(out, z, upto);
            z += upto;
            continue;
        }
        kb_buf_add(out, z, (size_t)(p - z));
        kb_buf_adds(out, "[!");
        kb_buf_add(out, p + 4, (size_t)(close - p - 4));
        kb_buf_addc(out, ']');
        z = close + 2;
    }
}

void kb_render_markdown(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out) {
    kb_mdtree *d = kb_mdtree_parse(md, n);
    kb_render_markdown_doc(d, o, out);
    kb_mdtree_free(d);
}

/* cmark's CommonMark renderer numbers an ordered list's item by walking
 * back over the items before it: a list of 200,000 items took 410 s.
 * Split into lists of this many, numbered on, it walks at most these. */
#define KB_RENDER_LIST_RUN 500

/* An ordered list of more than KB_RENDER_LIST_RUN items. */
static int S_long_ordered_list(cmark_node *node) {
    if (cmark_node_get_type(node) != CMARK_NODE_LIST || cmark_node_get_list_type(node) != CMARK_ORDERED_LIST) return 0;
    int n = 0;
    for (cmark_node *item = cmark_node_first_child(node); item && n <= KB_RENDER_LIST_RUN; item = cmark_node_next(item)) n++;
    return n > KB_RENDER_LIST_RUN;
}

/* Splits each ordered list of more than KB_RENDER_LIST_RUN items into
 * lists of that many that number on where the one before stopped; the
 * text renderings number them alike. */
static void S_split_long_lists(cmark_node *root) {
    size_t nList = 0;
    cmark_node **aList = kb_cmark_collect(root, S_long_ordered_list, &nList);
    for (size_t i = 0; i < nList; i++) {
        cmark_node *list = aList[i], *after = list;
        int start = cmark_node_get_list_start(list), n = 0;
        cmark_node *item = cmark_node_first_child(list);
        for (; item && n < KB_RENDER_LIST_RUN; item = cmark_node_next(item)) n++;
        while (item) {
            cmark_node *run = cmark_node_new(CMARK_NODE_LIST);
            cmark_node_set_list_type(run, CMARK_ORDERED_LIST);
            cmark_node_set_list_delim(run, cmark_node_get_list_delim(list));
            cmark_node_set_list_tight(run, cmark_node_get_list_tight(list));
            cmark_node_set_list_start(run, start + n);
            cmark_node_insert_after(after, run);
            after = run;
            for (int k = 0; item && k < KB_RENDER_LIST_RUN; k++, n++) {
                cmark_node *next = cmark_node_next(item);
                cmark_node_append_child(run, item);
                item = next;
            }
        }
    }
    free(aList);
}

/* The next link or image of the walk, NULL at its end. */
static cmark_node *S_next_link_or_image(cmark_iter *it) {
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE)) return node;
    }
    return NULL;
}

/* Relative links and images are rewritten to paths from the corpus root
 * (doc#anchor) for the rendering, then put back: the parsed section may
 * serve other renderings after this one. An image had kept its path from
 * its document ("./media/x.png") beside links from the root. */
void kb_render_markdown_doc(const kb_mdtree *d, const kb_render_opts *o, struct kb_buf *out) {
    typedef struct { cmark_node *node; char *url; } S_saved;
    S_saved *aSaved = NULL;
    int nSaved = 0, nAlloc = 0;
    cmark_iter *it = cmark_iter_new(kb_mdtree_root(d));
    for (cmark_node *node; (node = S_next_link_or_image(it)) != NULL;) {
        int external = 0;
        char *zTarget = kb_links_resolve(o ? o->docPath : NULL, cmark_node_get_url(node), &external);
        if (zTarget && !external) {
            if (nSaved == nAlloc) {
                nAlloc = nAlloc ? nAlloc * 2 : 16;
                aSaved = kb_xrealloc(aSaved, (size_t)nAlloc * sizeof *aSaved);
            }
            const char *url = cmark_node_get_url(node);
            aSaved[nSaved++] = (S_saved){node, kb_xstrdup(url ? url : "")};
            cmark_node_set_url(node, zTarget);
        }
        free(zTarget);
    }
    cmark_iter_free(it);
    S_split_long_lists(kb_mdtree_root(d));
    char *z = cmark_render_commonmark(kb_mdtree_root(d), CMARK_OPT_UNSAFE, 0);
    S_unescape_alerts(z, out);
    free(z);
    for (int i = 0; i < nSaved; i++) {
        cmark_node_set_url(aSaved[i].node, aSaved[i].url);
        free(aSaved[i].url);
    }
    free(aSaved);
}
