/* kb_refdef.h: a document's link reference definitions, carried into the
 * sections that use them.
 *
 * Older Azure docs write links as "[SSMS][]" or "[text][label]" and define
 * every label once, at the end of the document ("[SSMS]: https://..."). A
 * section is Markdown cut out of its document, so without the definitions
 * its links would show as "[SSMS][]" and lead nowhere. The splitter hands
 * over the lines cmark consumed without a block (the definitions), and each
 * section gets, appended after a blank line, the definitions whose labels it
 * writes in brackets. Labels match as CommonMark matches them: Unicode case
 * folded, inner whitespace collapsed. Appending a definition no link uses
 * changes no rendering, so a bracketed word that is no link costs only bytes.
 *
 * Of several definitions of one label, the first counts, as in CommonMark.
 * The sections of a document get at most KB_REFDEF_BUDGET_FACTOR times the
 * bytes of its definitions, plus KB_REFDEF_BUDGET_EXTRA, in all: a real
 * document's definitions are used about once each, and a hostile one (a
 * long definition used by thousands of short sections) is not multiplied.
 *
 * Not seen: definitions inside a list item or a quote, or at the start of a
 * paragraph that goes on with text (the splitter sees top-level gaps only). */
#ifndef KB_REFDEF_H
#define KB_REFDEF_H

#include <stddef.h>

struct kb_buf;

#define KB_REFDEF_BUDGET_FACTOR 4
#define KB_REFDEF_BUDGET_EXTRA (64 * 1024)

typedef struct kb_refdefs {
    struct kb_refdef {
        char *label;    /* normalized */
        const char *z;  /* the definition's lines as written, in the caller's buffer */
        size_t n;       /* without the last newline */
        int line;       /* first line in the splitter's numbering */
        int lineEnd;    /* last line */
    } *a;             /* in document order */
    int n, cap;
    /* A label and what it leads to: tables sorted by label, then value. */
    struct kb_refdef_key {
        char *label;
        int value;
    } *aByLabel;      /* value: index into a; built when first needed */
    int nByLabel;
    struct kb_refdef_key *aStray; /* value: line of a line that looks like a
                                     definition but is text or code (owns label) */
    int nStray, capStray;
    int nStraySorted; /* aStray is sorted up to here */
    size_t nText;     /* bytes of all definitions */
    size_t nCarried;  /* bytes appended to sections so far */
} kb_refdefs;

/* Takes one line (without its newline) that cmark left outside every
 * top-level block. A line that opens a definition ("[label]: ...") starts
 * one; the line right after a definition continues it (a destination or a
 * title on its own line); any other line is ignored. The lines are not
 * copied: they must be the lines of one buffer, which outlives d. */
void kb_refdefs_add_line(kb_refdefs *d, int line, const char *z, size_t n);

/* Takes one line (without its newline) inside a block. One that looks
 * like a definition is recorded: cmark read it as text or code, and a
 * reference to its label is what --check will want to explain. */
void kb_refdefs_add_stray(kb_refdefs *d, int line, const char *z, size_t n);

/* The line of a stray definition of the label that the reference ref
 * ("[text][label]", as kb_reflink_each_undefined found it) uses; 0 when
 * there is none. */
int kb_refdefs_stray_line(kb_refdefs *d, const char *ref, size_t n);

/* Appends to out (a section's Markdown, lines [lineFrom, lineTo)) the
 * definitions from outside those lines whose labels it uses, after a blank
 * line. Appends nothing when none is used. */
void kb_refdefs_append_used(kb_refdefs *d, int lineFrom, int lineTo, struct kb_buf *out);

void kb_refdefs_free(kb_refdefs *d);

#endif
