/* kb_render.h: a section's Markdown as something a person or a bot can use.
 *
 * Everything is rendered from the cmark-gfm tree, never from regexes over
 * Markdown. The same plain-text renderer produces the text that is indexed
 * (width 0: no wrapping, no colour; kb_render_index_text) and the text
 * shown in a terminal, so what is searched is what is shown. Its lines
 * (wrapping, indentation, bold) are laid out by kb_layout.h.
 *
 * A section's remediation records are kb_remedy.h's and its links
 * kb_links.h's; kb_mdtree.h parses a section once for all of them. */
#ifndef KB_RENDER_H
#define KB_RENDER_H

#include <stddef.h>

#include "kb_mdtree.h"

struct kb_buf;

/* Marks in aBold (zeroed, n bytes) the bytes of a paragraph of the
 * rendered text to highlight. A paragraph is asked as a whole, before it
 * is wrapped: wrapping cuts CJK text between any two characters. */
typedef void (*kb_render_mark_fn)(void *ctx, const char *text, size_t n, unsigned char *aBold);

/* Which words the labels that renderers add ("Cause", "Note", "Links") are. */
typedef enum kb_labels {
    KB_LABELS_UI,      /* the UI language's (gettext) */
    KB_LABELS_ENGLISH, /* English, as kb indexes them: the index must not depend on kb-index's locale */
    KB_LABELS_MARKED,  /* a mark each, filled in when shown (kb_render_fill_labels): what kb_view stores */
} kb_labels;

typedef struct kb_render_opts {
    int width;                   /* wrap column; 0 = do not wrap */
    int color;                   /* 1: ANSI bold for highlighted words and headings */
    kb_render_mark_fn markMatches; /* NULL: highlight nothing */
    void *matchCtx;
    const char *docPath;         /* "es-es/backup-azure-mars-troubleshoot.md": resolves relative links */
    kb_labels labels;
} kb_render_opts;

/* Readable plain text: paragraphs wrapped, lists indented, code verbatim,
 * DocFX alerts as labelled notes, images as alt text, links as their text
 * (internal ones followed by "→ doc#anchor"), remediation tables as labelled
 * blocks, other tables as grids or blocks. Appends to out. */
void kb_render_text(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out);

/* The words of a text rendering of width 0, to index: the rendering less
 * what it adds to say where links go ("(→ doc#anchor)" after an internal
 * link, " [n]" after an external one and the closing list of URLs). Paths
 * and URLs are not words of the section: indexed, a Spanish section that
 * links to an English-anchored one matched an English question better
 * than the English section itself. Appends to out. */
void kb_render_index_text(const char *text, size_t n, struct kb_buf *out);

/* CommonMark normalized by cmark-gfm, relative links rewritten to doc#anchor. */
void kb_render_markdown(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out);

/* A label's mark (KB_LABELS_MARKED) is the Unicode noncharacter U+FDD0 +
 * the label's number: 3 bytes, which a program may use internally. The
 * label a mark at z (n bytes left) stands for, or -1 if none starts there. */
int kb_render_label_mark(const char *z, size_t n);

/* Appends z[0..n) to out with each mark replaced by its label in the UI
 * language or in English (KB_LABELS_MARKED: English), escaped for a JSON
 * string if json. Returns how many marks it replaced. */
int kb_render_fill_labels(const char *z, size_t n, kb_labels labels, int json, struct kb_buf *out);

/* A section parsed once (kb_mdtree.h), for several renderings of it. The
 * *_doc functions leave the parsed section as they found it. */
void kb_render_text_doc(const kb_mdtree *d, const kb_render_opts *o, struct kb_buf *out);
void kb_render_markdown_doc(const kb_mdtree *d, const kb_render_opts *o, struct kb_buf *out);

/* The label of the DocFX alert marker that opens z[0..n) ("[!NOTE]",
 * "[!TIP]", ... and the older "[AZURE.NOTE]"), in the words labels says,
 * with *pSkip the bytes of the marker and the blanks after it; "" for a
 * marker with no label ("[!div ...]"), NULL if none opens z. */
const char *kb_render_alert_label(kb_labels labels, const char *z, size_t n, size_t *pSkip);

#endif
