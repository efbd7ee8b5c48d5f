/* kb_md.h: one Markdown document -> metadata and sections.
 *
 * A section starts at each heading of level 1-3 and runs to the next one;
 * deeper headings stay inside (they are usually its cause or solution). Text
 * before the first heading belongs to the first section. Headings inside code
 * blocks are not headings. DocFX quirks are handled as DocFX renders them:
 * headings without a space after the hashes ("##<a name="x"></a>Title"),
 * [!INCLUDE]/[AZURE.INCLUDE] expanded in place (through a caller-supplied
 * reader so the tree boundary is the caller's), [AZURE.SELECTOR] lists
 * dropped, old <properties/> and <tags/> metadata read like YAML front
 * matter.
 *
 * Anchors: the first <a name="X"></a> / id="X" in the heading (further ones
 * become aliases), else a GitHub-style slug of the heading text. A line of
 * nothing but anchors right above a heading ("<a id="cause1"></a>", older
 * docs) adds aliases and moves with its heading. Duplicates get -1, -2...
 *
 * Only top-level headings cut sections: a heading inside a list item or a
 * blockquote is part of that block. A document whose body is blank has no
 * section; one with text but no heading has one section of level 0 whose
 * heading is the title, else the file name ("nohead" for nohead.md).
 *
 * Line numbers (sections, diags, links) are lines of the original document;
 * text that came from an include reports the line of the include.
 * aLink holds internal targets written in the document itself ("#a",
 * "x.md#a", "../x.md"): not links with a scheme (http:, mailto:), not
 * site-absolute "/path", not links inside included files (those are relative
 * to the included file). */
#ifndef KB_MD_H
#define KB_MD_H

#include <stddef.h>

#include "kb_errid.h"
#include "kb_view.h"

/* What a problem found while parsing is, whatever language its message
 * is written in: kb-index --check reports it under this code's name
 * (kb_diag_code_name), and kb-index shows the include and front matter
 * ones as it indexes. */
typedef enum kb_diag_code {
    KB_DIAG_FRONT_MATTER,        /* "front-matter": YAML that cannot be read */
    KB_DIAG_TOO_COSTLY,          /* "too-costly": not parsed (KB_MD_MAX_CELLS and the others) */
    KB_DIAG_DUPLICATE_ANCHOR,    /* "duplicate-anchor" */
    KB_DIAG_UNDEFINED_REFERENCE, /* "undefined-reference": [text][label] with no definition */
    KB_DIAG_CODE_FENCE,          /* "code-fence": a fence never closed */
    KB_DIAG_TABLE_CELLS,         /* "table-cells": a row whose cells are not the header's */
    KB_DIAG_INCLUDE_MISSING,     /* "include-missing": no such file */
    KB_DIAG_INCLUDE_OUTSIDE,     /* "include-outside": a path out of the indexed tree */
    KB_DIAG_INCLUDE_INVALID,     /* "include-invalid": absolute, no regular file, not UTF-8 */
    KB_DIAG_INCLUDE_CYCLE,       /* "include-cycle" */
    KB_DIAG_INCLUDE_DEPTH,       /* "include-depth": nested deeper than maxIncludeDepth */
    KB_DIAG_INCLUDE_TOO_LARGE,   /* "include-too-large": past maxBytes or KB_MD_MAX_INCLUDES */
    KB_DIAG_CODE_COUNT
} kb_diag_code;

const char *kb_diag_code_name(kb_diag_code code);

/* A problem found while parsing: reported by kb-index and kb-index --check. */
typedef struct kb_diag {
    int line;          /* 1-based line in the document, 0 if unknown */
    int severity;      /* KB_DIAG_WARNING or KB_DIAG_ERROR */
    kb_diag_code code;
    char *message;     /* in the UI language */
    char *cycleFile;   /* KB_DIAG_INCLUDE_CYCLE: the file the cycle returns to; else NULL */
} kb_diag;
enum { KB_DIAG_WARNING = 1, KB_DIAG_ERROR = 2 };

typedef struct kb_section {
    char *anchor;
    char **aAlias;      /* further anchors of the heading */
    int nAlias;
    char *heading;      /* heading text, plain */
    int level;          /* 1..3; 0 for a document with no heading at all */
    char *breadcrumb[3];/* texts of the H1, H2, H3 down to its own heading (NULL where absent) */
    int line;           /* 1-based line of the heading in the document */
    char *markdown;     /* the section's Markdown, includes expanded, DocFX quirks normalized,
                           the reference definitions it uses appended (kb_refdef.h) */
    kb_view view;       /* what a result shows of it, stored with it (kb_view.h); view.text is indexed */
    char *errtext;      /* error-message text: table error cells, "Error message:" lines */
    kb_errid_list ids;  /* error IDs of the section */
} kb_section;

typedef struct kb_doc {
    char *title, *description, *topic, *date; /* metadata, NULL when absent */
    char *locale;       /* ms.contentlocale normalized, NULL when absent */
    kb_section *aSection;
    int nSection;
    kb_diag *aDiag;
    int nDiag;
    /* Links for --check: internal link targets with their line. */
    struct kb_md_link { char *target; int line; } *aLink;
    int nLink;
    const char *tooCostly; /* why the document was not parsed (English, N_), else NULL */
} kb_doc;

/* Markdown that would cost far more than its size to parse is not parsed:
 * more '|' (table cells) than this in the document and its includes. The
 * Azure docs hold at most 2,269 in a file. (Deep nesting, which would cost
 * as much to render, is flattened: kb_cmark_parse.) */
#define KB_MD_MAX_CELLS 100000
/* ...nor more list items than this (lines that start one, about 1.5 KB
 * each: 16 MB of "- x" took 5.8 GB). The Azure docs hold at most 305. */
#define KB_MD_MAX_ITEMS 100000
/* ...nor more headings than this (ATX lines, and the '=' and '-' lines
 * that underline one): a section costs about 4 KB to cut, pack and index,
 * and 1,000,000 one-line headings (7 MB) took 4 GB; 100,000 take 8 s. The
 * Azure docs hold at most 148 in a file. */
#define KB_MD_MAX_HEADINGS 100000
/* ...nor more lines that are not blank than this
 * (about 900 bytes each to cmark: 3 MB of "a" lines, one paragraph or a
 * paragraph each, took 1.0-1.3 GB), nor more of the marks that make
 * inline nodes (* _ ` [ < & \ ~ and autolinks: up to 1.4 KB each; 15 MB
 * of links took 1.7 GB, of emphasis 4 GB; an e-mail address counts 10,
 * a byte that only ends a text node, ! ] w :, a quarter) and block quotes
 * or list items a line opens (3 MB of "- " took 775 MB).
 * The Azure docs hold at most 2,437 such lines and 5,736 marks in a file. */
#define KB_MD_MAX_LINES 200000
#define KB_MD_MAX_MARKS 200000
/* ...nor, between two blank lines, as in one paragraph, more pairs of an
 * emphasis mark ('*', '_') and a link ('[') than this: cmark's matching of
 * the two costs their product (660 KB of a paragraph that mixes them took
 * 17 s; either alone is fast). The Azure docs' most is 133,574. */
#define KB_MD_MAX_PARAGRAPH_PAIRS 100000000
/* ...nor a heading longer than this: its text is the section's title,
 * anchor, breadcrumb and heading key, looked up word by word in the
 * vocabulary (a 15 MB heading took 1.1 GB and 15 s). The Azure docs'
 * longest is 1,759 bytes, counting a setext heading's lines. */
#define KB_MD_MAX_HEADING_BYTES 65536

/* Reads an included file. path is as written in the include, relative to the
 * including document; the reader resolves it, refuses paths outside the
 * indexed tree, and returns KB_OK with a malloc'd buffer, or an error code
 * with kb_fail() set to the reason and *pWhy to KB_DIAG_INCLUDE_MISSING,
 * KB_DIAG_INCLUDE_OUTSIDE or KB_DIAG_INCLUDE_INVALID. */
typedef int (*kb_md_include_fn)(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                                kb_diag_code *pWhy);

typedef struct kb_md_opts {
    const char *docPath;           /* relative path, for diagnostics and links */
    kb_md_include_fn readInclude;  /* NULL: includes are left as text */
    void *includeCtx;
    int maxIncludeDepth;           /* 0: default (8) */
    size_t maxBytes;               /* the most the document and its includes may add up to; 0: no bound */
    int anchorsOnly;               /* sections without view, text or error IDs (kb-index --check) */
} kb_md_opts;

/* Parses src (UTF-8, n bytes, need not be NUL-terminated). o may be NULL.
 * Never fails on malformed Markdown: problems become diagnostics (broken
 * front matter, a document too costly to parse (tooCostly, no section):
 * KB_DIAG_ERROR; failed, cyclic or too deep includes, includes
 * past maxBytes (ten includes of ten includes... grow without bound),
 * duplicate explicit anchors, table rows whose cell count differs from the
 * header, reference links to labels the document does not define:
 * KB_DIAG_WARNING). Always returns KB_OK; free doc with kb_doc_free. */
int kb_md_parse(const char *src, size_t n, const kb_md_opts *o, kb_doc *doc);
void kb_doc_free(kb_doc *doc);

/* GitHub-style slug: Unicode lowercase; everything but letters, marks,
 * digits, '-' and '_' dropped; each space to '-' (not collapsed, as GitHub).
 * Returns a malloc'd string. */
char *kb_md_slug(const char *text, size_t n);

#endif
