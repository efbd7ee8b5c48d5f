/* kb_render.h: a section's Markdown as something a person or a bot can use.
 *
 * Everything is rendered from the cmark-gfm tree, never from regexes over
 * Markdown. The same plain-text renderer produces the text that is indexed
 * (width 0: no wrapping, no colour; kb_render_index_text) and the text
 * shown in a terminal, so what is searched is what is shown.
 *
 * Remediation: tables whose columns are recognised from header words in any
 * locale (i18n/vocab.tsv: error / cause / recommended action) and
 * "**Error message**: ..." paragraphs become kb_remedy records; text output
 * shows them as labelled blocks, JSON as {"error","error_ids","causes","actions"}. */
#ifndef KB_RENDER_H
#define KB_RENDER_H

#include <stddef.h>

struct kb_buf;

/* Marks in aBold (zeroed, n bytes) the bytes of a paragraph of the
 * rendered text to highlight. A paragraph is asked as a whole, before it
 * is wrapped: wrapping cuts CJK text between any two characters. */
typedef void (*kb_render_mark_fn)(void *ctx, const char *text, size_t n, unsigned char *aBold);

typedef struct kb_render_opts {
    int width;                   /* wrap column; 0 = do not wrap */
    int color;                   /* 1: ANSI bold for highlighted words and headings */
    kb_render_mark_fn markMatches; /* NULL: highlight nothing */
    void *matchCtx;
    const char *docPath;         /* "es-es/backup-azure-mars-troubleshoot.md": resolves relative links */
    int forIndex;                /* the text to index: labels stay in English whatever the locale */
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

typedef struct kb_remedy {
    char *error;     /* the error / message text, plain */
    char **aCause;   /* plain-text causes */
    int nCause;
    char **aAction;  /* plain-text recommended actions */
    int nAction;
} kb_remedy;

/* Remediation records of a section, in document order. */
void kb_remedy_extract(const char *md, size_t n, kb_remedy **paRemedy, int *pnRemedy);
void kb_remedy_free(kb_remedy *a, int n);

typedef struct kb_link {
    char *text;
    char *target;   /* "doc.md#anchor" for internal links, the URL for external ones */
    int external;
} kb_link;

/* Links of a section; relative targets resolved against docPath. */
void kb_links_extract(const char *md, size_t n, const char *docPath, kb_link **paLink, int *pnLink);
void kb_links_free(kb_link *a, int n);

/* 1 when the UI language translates the labels text output adds ("Cause",
 * "Note", "Links"): text stored at index time has the English ones. */
int kb_render_labels_translated(void);

/* A section parsed once, for several renderings of it (kb-query renders
 * text, Markdown, remediation and links of every result). The *_doc
 * functions leave the parsed section as they found it. */
typedef struct kb_section_doc kb_section_doc;
kb_section_doc *kb_section_parse(const char *md, size_t n);
void kb_section_free(kb_section_doc *d);
void kb_render_text_doc(const kb_section_doc *d, const kb_render_opts *o, struct kb_buf *out);
void kb_render_markdown_doc(const kb_section_doc *d, const kb_render_opts *o, struct kb_buf *out);
/* forIndex: labels in English, as kb_render_opts.forIndex (kb_remedy_extract
 * uses the reader's language). */
void kb_remedy_extract_doc(const kb_section_doc *d, int forIndex, kb_remedy **paRemedy, int *pnRemedy);
void kb_links_extract_doc(const kb_section_doc *d, const char *docPath, kb_link **paLink, int *pnLink);

#endif
