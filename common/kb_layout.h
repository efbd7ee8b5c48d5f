/* kb_layout.h: lines of terminal text: wrapping, indentation, bullets, bold.
 *
 * The text renderer (kb_render.c) walks a section's blocks and decides what
 * each one says; a kb_layout decides where its lines break and how they
 * start. It wraps to a width (0: never, for the text that is indexed),
 * breaks CJK text between characters where Japanese line breaking
 * (kinsoku) allows, starts every line with the indentation of the current
 * depth, puts a pending bullet or label before the next line and hangs the
 * lines after it under it, keeps a blank line between blocks, and writes in
 * bold what the caller marks. Keeping that apart lets the walk read as a
 * walk, and lets the rules of a line be tested on plain strings. */
#ifndef KB_LAYOUT_H
#define KB_LAYOUT_H

#include <stddef.h>

#include "kb_util.h"

/* Marks in aBold (zeroed, n bytes) the bytes of a paragraph to write in
 * bold. A paragraph is asked as a whole, before it is wrapped: wrapping
 * cuts CJK text between any two characters. */
typedef void (*kb_layout_mark_fn)(void *ctx, const char *text, size_t n, unsigned char *aBold);

/* A depth of indentation, to go back to when a block closes. */
typedef struct kb_layout_depth {
    size_t n;  /* bytes of the prefix */
    int cols;  /* its columns */
} kb_layout_depth;

/* A writer of lines. Callers read width, prefixCols and out; only the
 * kb_layout_* functions change it. */
typedef struct kb_layout {
    kb_buf *out;
    int width, color;    /* wrap column (0 = do not wrap); 1: ANSI bold */
    kb_layout_mark_fn markMatches; /* NULL: highlight nothing */
    void *matchCtx;
    kb_buf prefix;       /* what starts every line at the current depth */
    int prefixCols;
    int prefixCap;
    kb_buf lead;         /* bullet or label waiting for the next block's first line */
    int leadCols, leadHang, leadBold;
    int needBlank, wroteAny;
    int col;             /* the column the next byte of a wrapped line lands in */
    int on;              /* 1 while a highlight's bold escape is open */
} kb_layout;

/* A writer appending to out; markMatches (with ctx) marks what to highlight
 * when color is 1. */
void kb_layout_init(kb_layout *L, kb_buf *out, int width, int color, kb_layout_mark_fn markMatches, void *ctx);
void kb_layout_free(kb_layout *L);

/* The terminal columns n bytes of UTF-8 take: 2 for a CJK character, 0
 * for a combining accent. */
int kb_layout_columns(const char *z, size_t n);

/* The next block starts after a blank line (none before the first). */
void kb_layout_blank(kb_layout *L);

/* Writes one text line (no newline) as a paragraph wrapped to the width.
 * Its first nIndent bytes are blanks that indent it; the nBullet bytes after
 * them ("- ", "1. ") are its bullet, under which its other lines hang. A
 * pending lead starts the line (one before a bullet gets a line of its
 * own), and the lines after it hang under the lead until the indentation
 * is restored. bold: a heading, all of it in bold. */
void kb_layout_line(kb_layout *L, const char *z, size_t n, size_t nIndent, size_t nBullet, int bold);

/* Makes z (a bullet "- ", a label "Note: ") the lead of the next line,
 * hang the columns the lines after it hang by, bold whether it is in bold. */
void kb_layout_set_lead(kb_layout *L, const char *z, int hang, int bold);
/* Writes the pending lead, if any, on a line of its own. */
void kb_layout_flush_lead(kb_layout *L);
/* Forgets the pending lead. */
void kb_layout_drop_lead(kb_layout *L);

/* Adds z ("> " of a quote) to the prefix of the lines that follow; deep
 * nesting stops indenting at 40 columns or half the width. */
void kb_layout_indent(kb_layout *L, const char *z);
/* The current depth, and going back to one saved before. */
kb_layout_depth kb_layout_save(const kb_layout *L);
void kb_layout_restore(kb_layout *L, kb_layout_depth d);

/* Lines the caller writes itself (code, a grid): kb_layout_begin writes the
 * blank line due before them, kb_layout_line_start a line's prefix,
 * kb_layout_line_end ends a line without its trailing blanks. */
void kb_layout_begin(kb_layout *L);
void kb_layout_line_start(kb_layout *L);
void kb_layout_line_end(kb_layout *L);

/* Writes z[0..n) on the current line, highlighting what markMatches marks. */
void kb_layout_put_words(kb_layout *L, const char *z, size_t n);

#endif
