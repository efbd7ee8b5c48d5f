/* kb_view.h: what a search result shows of a section, computed once, when
 * the section is indexed, and stored with it (packed, kb_pack.h).
 *
 * Answering a question then parses no Markdown: a bot's JSON result is the
 * stored text, normalized Markdown, remediation records and links, and only
 * a terminal, which wants the text wrapped to its width and its matches in
 * bold, renders the source again. The labels a rendering adds ("Cause:",
 * "Note:") are stored as marks (KB_LABELS_MARKED), which the reader's
 * language fills in when the view is shown (kb_view_fill_labels) and English
 * when it is indexed: filling them in is a copy, where rendering a view again
 * for a Spanish reader cost a quarter of a question's instructions. A
 * --full section, which joins its subsections, is computed when asked. */
#ifndef KB_VIEW_H
#define KB_VIEW_H

#include <stddef.h>

#include "kb_pack.h"
#include "kb_render.h"

struct kb_buf;

typedef struct kb_view {
    char *buf;               /* owns the fields below, NUL-separated */
    size_t n;
    const char *source;      /* the section's Markdown as written */
    const char *text;        /* plain text, not wrapped (kb_render_text, width 0) */
    const char *markdown;    /* normalized by cmark-gfm, relative links as doc#anchor */
    const char *remediation; /* JSON array of {"error","error_ids","causes","actions"} */
    const char *links;       /* JSON array of {"text","target","external"} */
} kb_view;

/* Computes every field from a section's Markdown, with labels as labels
 * says. docPath resolves its relative links. A mark the Markdown itself holds
 * is rendered as U+FFFD, so that the view's marks are its labels. */
void kb_view_build(const char *source, const char *docPath, kb_labels labels, kb_view *v);

/* Replaces the label marks of v's text and remediation records with labels
 * in the UI language (KB_LABELS_UI) or English. */
void kb_view_fill_labels(kb_view *v, kb_labels labels);

/* The error texts of the view's remediation records, one per line
 * (malloc'd), labels in English: what the indexer searches as error
 * messages. */
char *kb_view_errtext(const kb_view *v);

/* The words of the view's text, what the indexer searches as its body:
 * the text, labels in English, less where its links go
 * (kb_render_index_text). Replaces out's
 * content; out->z is a string even when empty. */
void kb_view_words(const kb_view *v, struct kb_buf *out);

/* Packs a view into out (one frame). */
void kb_view_pack(const kb_view *v, kb_packer *p, struct kb_buf *out);

/* Reads a packed view. KB_EDB when the blob is damaged: v then holds empty
 * fields, so it can still be freed and shown. */
int kb_view_unpack(kb_unpacker *u, const void *blob, size_t n, kb_view *v);

void kb_view_free(kb_view *v);

#endif
