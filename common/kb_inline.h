/* kb_inline.h: inline content (a paragraph, a heading, a table cell) as
 * text lines, which the text renderer, the remediation records and the
 * link list read.
 *
 * Inline content is first serialised to a small HTML-like string -- text
 * escaped, raw inline HTML kept, links followed by their reference -- and
 * then read by kb_html_to_text, so "<br>" and "<ul><li>" inside a cell and a
 * hard line break in a paragraph go through one code path. The lines that
 * come out are text, "- item" / "1. item" for list items, and a DocFX
 * directive (":::image ...") on a line of its own. */
#ifndef KB_INLINE_H
#define KB_INLINE_H

#include <cmark-gfm.h>
#include <stddef.h>

struct kb_buf;

/* External URLs of a rendering, numbered in order of first appearance. */
typedef struct kb_inline_urls {
    char **a;
    int n, nAlloc;
} kb_inline_urls;

void kb_inline_urls_free(kb_inline_urls *u);

/* How links are shown: in text renderings, internal ones get "(→ ref)" and
 * external ones a "[n]" pointing into the list at the end; in plain mode
 * (remediation records, link texts) only the link text remains. */
typedef struct kb_inline_linkmode {
    const char *docPath;
    kb_inline_urls *pUrls; /* NULL: plain mode */
} kb_inline_linkmode;

/* The text lines of node's inline content, appended to out; lm NULL is
 * plain mode. scratch is working space the caller keeps between calls. */
void kb_inline_text(cmark_node *node, const kb_inline_linkmode *lm, struct kb_buf *scratch, struct kb_buf *out);

/* Text on one line: lines joined with spaces, list bullets kept (malloc'd). */
char *kb_inline_one_line(const char *z, size_t n);

/* Splits a line into indentation, bullet ("- ", "12. ") and text. */
void kb_inline_line_parts(const char *z, size_t n, size_t *pIndent, size_t *pBullet);

/* Image text from a DocFX ":::image type=... alt-text="..." :::" line:
 * appends "[image: alt text]" to out and returns 1; 0 if it has none. */
int kb_inline_docfx_image(const char *z, size_t n, struct kb_buf *out);

#endif
