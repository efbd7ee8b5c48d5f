/* kb_inline.c: see kb_inline.h. */
#define _GNU_SOURCE /* memmem */
#include "kb_inline.h"
#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_links.h"
#include "kb_util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int S_urls_add(kb_inline_urls *u, const char *z) {
    for (int i = 0; i < u->n && i < 256; i++)
        if (strcmp(u->a[i], z) == 0) return i + 1;
    if (u->n == u->nAlloc) {
        u->nAlloc = u->nAlloc ? 2 * u->nAlloc : 8;
        u->a = kb_xrealloc(u->a, (size_t)u->nAlloc * sizeof *u->a);
    }
    u->a[u->n++] = kb_xstrdup(z);
    return u->n;
}

void kb_inline_urls_free(kb_inline_urls *u) {
    for (int i = 0; i < u->n; i++) free(u->a[i]);
    free(u->a);
    memset(u, 0, sizeof *u);
}

/* How S_escape treats text. */
enum { S_ESC_PROSE = 0, S_ESC_VERBATIM, S_ESC_CELL };

/* Escapes text for kb_html_to_text. Verbatim (inline code) keeps its
 * spaces. On a line of prose that reads as a table row the author broke
 * (S_row_line_at: a list inside a row ends the table), a '|' next to a
 * space is a column boundary: it becomes a line break, so no table pipe
 * reaches the reader; "(y|n)" stays. Anywhere else a '|' is the author's:
 * "Tasks | Stretch | Monitor", "x || y", and in a table cell an escaped "\|". */
static void S_escape(kb_buf *b, const char *z, size_t n, int mode) {
    int verbatim = mode == S_ESC_VERBATIM;
    size_t s = 0;
    for (size_t i = 0; i < n; i++) {
        const char *zRep = NULL;
        if (z[i] == '&') zRep = "&amp;";
        else if (z[i] == '<') zRep = "&lt;";
        else if (verbatim && z[i] == ' ') zRep = "&#32;";
        else if (mode == S_ESC_PROSE && z[i] == '|' && (i == 0 || i + 1 == n || z[i - 1] == ' ' || z[i + 1] == ' '))
            zRep = "<br>";
        if (!zRep) continue;
        kb_buf_add(b, z + s, i - s);
        kb_buf_adds(b, zRep);
        s = i + 1;
    }
    kb_buf_add(b, z + s, n - s);
}

/* 1 if the inline line that starts at x (up to the next break) reads as a
 * row of a table the author broke ("| a | b |" after a list ended the
 * table): its text starts or ends with '|', or it has a "<br>", which
 * authors write where a cell cannot break its line ("* Cause: <br>Fix it.
 * | Read more", a row a list item took over). */
static int S_row_line_at(cmark_node *x) {
    char first = 0, last = 0;
    int lineEnd = 0, br = 0;
    for (; x && !lineEnd; x = cmark_node_next(x)) {
        cmark_iter *it = cmark_iter_new(x); /* emphasis and links hold text too */
        cmark_event_type ev;
        while (!lineEnd && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
            cmark_node *cur = cmark_iter_get_node(it);
            cmark_node_type t = cmark_node_get_type(cur);
            const char *z = cmark_node_get_literal(cur);
            size_t a = 0, e = z ? strlen(z) : 0;
            if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) lineEnd = 1;
            if (t == CMARK_NODE_HTML_INLINE && z && strncasecmp(z, "<br", 3) == 0) br = 1;
            if (ev != CMARK_EVENT_ENTER || (t != CMARK_NODE_TEXT && t != CMARK_NODE_CODE)) continue;
            while (a < e && z[a] == ' ') a++;
            while (e > a && z[e - 1] == ' ') e--;
            if (e == a) continue;
            if (!first) first = t == CMARK_NODE_TEXT ? z[a] : '`';
            last = t == CMARK_NODE_TEXT ? z[e - 1] : '`';
        }
        cmark_iter_free(it);
    }
    return first == '|' || last == '|' || br;
}

/* 1 if the inline line that starts at x (up to the next break) is a DocFX
 * directive: "::: zone pivot=...", ":::image ...:::". cmark-gfm may cut
 * the colons into text nodes of their own (':' starts an autolink). */
static int S_docfx_line_at(cmark_node *x) {
    char a[3];
    size_t n = 0;
    for (; x && n < 3 && cmark_node_get_type(x) == CMARK_NODE_TEXT; x = cmark_node_next(x)) {
        const char *z = cmark_node_get_literal(x);
        for (; z && *z && n < 3; z++) a[n++] = *z;
    }
    return n == 3 && memcmp(a, ":::", 3) == 0;
}

/* Appends where a link goes after its text (out from linkStart on):
 * " (→ doc#anchor)" for an internal link; for an external one whose text
 * is not its URL, " [n]", its number in the list of URLs (the URL itself
 * first when the link has no text). */
static void S_link_ref(kb_buf *out, const kb_inline_linkmode *lm, cmark_node *link, size_t linkStart) {
    int external = 0;
    char *zTarget = kb_links_resolve(lm->docPath, cmark_node_get_url(link), &external);
    if (!zTarget) return;
    size_t nText = out->n - linkStart;
    const char *zText = out->z ? out->z + linkStart : "";
    int same = nText == strlen(zTarget) && memcmp(zText, zTarget, nText) == 0;
    const char *zUrl = cmark_node_get_url(link);
    if (!same && zUrl) same = nText == strlen(zUrl) && memcmp(zText, zUrl, nText) == 0;
    if (!external) {
        kb_buf_adds(out, nText ? " (\xe2\x86\x92 " : "(\xe2\x86\x92 ");
        S_escape(out, zTarget, strlen(zTarget), S_ESC_PROSE);
        kb_buf_addc(out, ')');
    } else if (!same) {
        if (!nText) S_escape(out, zTarget, strlen(zTarget), S_ESC_PROSE);
        kb_buf_addf(out, " [%d]", S_urls_add(lm->pUrls, zTarget));
    }
    free(zTarget);
}

/* Serialises the inline children of node to HTML-like text in out. A DocFX
 * directive line of a paragraph keeps line breaks around it, so that the
 * text renderer drops that line, not the paragraph's other lines ("::: zone
 * pivot" directly above the text it shows is one paragraph to CommonMark). */
static void S_inline_html(cmark_node *node, const kb_inline_linkmode *lm, kb_buf *out) {
    cmark_iter *it = cmark_iter_new(node);
    cmark_event_type ev;
    size_t linkStart = 0;
    /* a heading is no table row either: "## A | B testing" keeps its '|' */
    int textMode = kb_cmark_is(node, "table_cell") || cmark_node_get_type(node) == CMARK_NODE_HEADING ? S_ESC_CELL
                                                                                                      : S_ESC_PROSE;
    int paragraph = cmark_node_get_type(node) == CMARK_NODE_PARAGRAPH;
    int directive = paragraph && S_docfx_line_at(cmark_node_first_child(node)); /* the current line is one */
    cmark_node *lineStart = cmark_node_first_child(node);
    int rowLine = -1; /* whether the current line reads as a table row (S_row_line_at); -1: not asked yet */
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *cur = cmark_iter_get_node(it);
        if (cur == node) continue;
        cmark_node_type t = cmark_node_get_type(cur);
        const char *z;
        if (ev == CMARK_EVENT_ENTER) {
            switch (t) {
            case CMARK_NODE_TEXT: {
                z = cmark_node_get_literal(cur);
                int mode = textMode;
                /* asked only of a line with a '|': most have none */
                if (z && mode == S_ESC_PROSE && strchr(z, '|')) {
                    if (rowLine < 0) rowLine = S_row_line_at(lineStart);
                    if (!rowLine) mode = S_ESC_CELL;
                }
                if (z) S_escape(out, z, strlen(z), mode);
                break;
            }
            case CMARK_NODE_CODE:
                z = cmark_node_get_literal(cur);
                if (z) S_escape(out, z, strlen(z), S_ESC_VERBATIM);
                break;
            case CMARK_NODE_SOFTBREAK: {
                int next = paragraph && S_docfx_line_at(cmark_node_next(cur));
                if (directive || next) kb_buf_adds(out, "<br>");
                else kb_buf_addc(out, ' ');
                directive = next;
                lineStart = cmark_node_next(cur), rowLine = -1;
                break;
            }
            case CMARK_NODE_LINEBREAK:
                kb_buf_adds(out, "<br>");
                directive = paragraph && S_docfx_line_at(cmark_node_next(cur));
                lineStart = cmark_node_next(cur), rowLine = -1;
                break;
            case CMARK_NODE_HTML_INLINE:
                z = cmark_node_get_literal(cur);
                if (z) kb_buf_adds(out, z);
                break;
            case CMARK_NODE_LINK:
                linkStart = out->n;
                break;
            case CMARK_NODE_IMAGE:
                kb_buf_adds(out, "[image: ");
                linkStart = out->n;
                break;
            default:
                break;
            }
        } else if (t == CMARK_NODE_IMAGE) {
            if (out->n == linkStart) out->n -= 2, out->z[out->n] = 0; /* "[image" */
            kb_buf_addc(out, ']');
        } else if (t == CMARK_NODE_LINK && lm && lm->pUrls) {
            S_link_ref(out, lm, cur, linkStart);
        }
    }
    cmark_iter_free(it);
}

void kb_inline_text(cmark_node *node, const kb_inline_linkmode *lm, kb_buf *scratch, kb_buf *out) {
    kb_buf_reset(scratch);
    S_inline_html(node, lm, scratch);
    kb_html_to_text(kb_buf_str(scratch), scratch->n, out);
}

char *kb_inline_one_line(const char *z, size_t n) {
    kb_buf b = {0};
    kb_buf_add(&b, "", 0);
    size_t i = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && z[i] != '\n') i++;
        size_t a = s, e = i;
        while (a < e && z[a] == ' ') a++;
        while (e > a && z[e - 1] == ' ') e--;
        if (e > a) {
            if (b.n) kb_buf_addc(&b, ' ');
            kb_buf_add(&b, z + a, e - a);
        }
        if (i < n) i++;
    }
    return kb_buf_detach(&b);
}

void kb_inline_line_parts(const char *z, size_t n, size_t *pIndent, size_t *pBullet) {
    size_t i = 0;
    while (i < n && z[i] == ' ') i++;
    *pIndent = i;
    *pBullet = 0;
    if (i + 1 < n && z[i] == '-' && z[i + 1] == ' ') {
        *pBullet = 2;
    } else {
        size_t k = i;
        while (k < n && k - i < 9 && z[k] >= '0' && z[k] <= '9') k++;
        if (k > i && k + 1 < n && z[k] == '.' && z[k + 1] == ' ') *pBullet = k - i + 2;
    }
}

int kb_inline_docfx_image(const char *z, size_t n, kb_buf *out) {
    const char *p = memmem(z, n, "alt-text=\"", 10);
    if (!p) return 0;
    p += 10;
    const char *e = memchr(p, '"', (size_t)(z + n - p));
    if (!e || e == p) return 0;
    kb_buf_adds(out, "[image: ");
    kb_buf_add(out, p, (size_t)(e - p));
    kb_buf_addc(out, ']');
    return 1;
}
