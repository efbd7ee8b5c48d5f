/* kb_layout.c: lines of terminal text. See kb_layout.h.
 *
 * A paragraph is laid out word by word: a word ends at a space, or between
 * two CJK characters where kinsoku allows a break. Highlights are marked
 * on the whole paragraph first and written as escapes around runs of
 * marked bytes, never inside a character. */
#include "kb_layout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define S_BOLD "\033[1m"
#define S_RESET "\033[0m"
#define S_INDENT_CAP 40 /* columns of indentation we stop adding at (and width/2) */

void kb_layout_init(kb_layout *L, kb_buf *out, int width, int color, kb_layout_mark_fn markMatches, void *ctx) {
    memset(L, 0, sizeof *L);
    L->out = out;
    L->width = width;
    L->color = color;
    L->markMatches = markMatches;
    L->matchCtx = ctx;
    L->prefixCap = width > 0 && width / 2 < S_INDENT_CAP ? width / 2 : S_INDENT_CAP;
    kb_buf_add(&L->prefix, "", 0);
    kb_buf_add(out, "", 0);
}

void kb_layout_free(kb_layout *L) {
    kb_buf_free(&L->prefix);
    kb_buf_free(&L->lead);
}

static int S_cp_width(int32_t cp) {
    int w = utf8proc_charwidth(cp);
    return w < 0 ? 0 : w;
}

static size_t S_next_cp(const char *z, size_t n, size_t i, int32_t *pcp) {
    utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)z + i, (utf8proc_ssize_t)(n - i), pcp);
    if (k <= 0) {
        *pcp = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

int kb_layout_columns(const char *z, size_t n) {
    int w = 0;
    for (size_t i = 0; i < n;) {
        int32_t cp;
        i += S_next_cp(z, n, i, &cp);
        w += S_cp_width(cp);
    }
    return w;
}

/* The small kana, which close the sound of the character before them
 * ("ショ", "バッ"): ぁぃぅぇぉっゃゅょゎゕゖ, ァィゥェォッャュョヮヵヶ and
 * the Ainu ones (U+31F0..31FF). */
static int S_small_kana(int32_t cp) {
    static const int32_t a[] = {0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E,
                                0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
                                0x30E7, 0x30EE, 0x30F5, 0x30F6};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (a[i] == cp) return 1;
    return cp >= 0x31F0 && cp <= 0x31FF;
}

/* Japanese line breaking (kinsoku), the minimum: no line starts with a
 * closing mark, a small kana, a prolonged sound mark or an iteration mark
 * ("スナップシ / ョット" read as two words), or ends with an opening one. */
static int S_no_start(int32_t cp) {
    static const int32_t a[] = {0x3001, 0x3002, 0xFF0C, 0xFF0E, 0xFF1A, 0xFF1B, 0xFF1F, 0xFF01, 0xFF09,
                                0x300D, 0x300F, 0x3011, 0x3015, 0x3009, 0x300B, 0x30FB, 0x30FC, 0x3005,
                                0x309D, 0x309E, 0x30FD, 0x30FE, 0x2026, 0x2025,
                                /* Taiwan's colon "︰" and the small forms ("﹐") */
                                0xFE30, 0xFE50, 0xFE51, 0xFE52, 0xFE54, 0xFE55, 0xFE56, 0xFE57,
                                ')', ']', '}', '.', ',', ':', ';', '!', '?', '%'};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (a[i] == cp) return 1;
    return S_small_kana(cp);
}

static int S_no_end(int32_t cp) {
    static const int32_t a[] = {0xFF08, 0x300C, 0x300E, 0x3010, 0x3014, 0x3008, 0x300A, '(', '[', '{'};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (a[i] == cp) return 1;
    return 0;
}

/* Marks in aBold the bytes of z[0..n) to highlight, whole characters (a
 * character any byte of which the callback marked): an escape never lands
 * inside one. */
static void S_mark_matches(const kb_layout *L, const char *z, size_t n, unsigned char *aBold) {
    memset(aBold, 0, n);
    L->markMatches(L->matchCtx, z, n, aBold);
    for (size_t i = 0; i < n;) {
        int32_t cp;
        size_t end = i + S_next_cp(z, n, i, &cp), j;
        for (j = i; j < end && !aBold[j]; j++) {}
        memset(aBold + i, j < end, end - i);
        i = end;
    }
}

/* Writes z[0..n) on the current line, the bytes marked in aBold in bold;
 * L->on says whether bold is on, before and after, so that the characters
 * of one CJK word, written one by one, share one pair of escapes. */
static void S_put_marked(kb_layout *L, const char *z, size_t n, const unsigned char *aBold) {
    for (size_t i = 0; i < n;) {
        size_t a = i;
        while (i < n && aBold[i] == aBold[a]) i++;
        if (aBold[a] != L->on) kb_buf_adds(L->out, aBold[a] ? S_BOLD : S_RESET);
        L->on = aBold[a];
        kb_buf_add(L->out, z + a, i - a);
    }
}

/* Ends the bold S_put_marked left on: before a space, and at a line's end. */
static void S_bold_off(kb_layout *L) {
    if (L->on) kb_buf_adds(L->out, S_RESET);
    L->on = 0;
}

void kb_layout_put_words(kb_layout *L, const char *z, size_t n) {
    if (!L->color || !L->markMatches) {
        kb_buf_add(L->out, z, n);
        return;
    }
    unsigned char *aBold = kb_xmalloc(n + 1);
    S_mark_matches(L, z, n, aBold);
    S_put_marked(L, z, n, aBold);
    S_bold_off(L);
    free(aBold);
}

void kb_layout_blank(kb_layout *L) { L->needBlank = 1; }

static void S_blank_if_needed(kb_layout *L) {
    if (L->needBlank && L->wroteAny) kb_buf_addc(L->out, '\n');
    L->needBlank = 0;
}

void kb_layout_begin(kb_layout *L) {
    S_blank_if_needed(L);
    L->wroteAny = 1;
}

void kb_layout_line_start(kb_layout *L) { kb_buf_add(L->out, L->prefix.z, L->prefix.n); }

static void S_trim_blanks(kb_buf *o) {
    while (o->n && o->z[o->n - 1] == ' ') o->n--;
}

void kb_layout_line_end(kb_layout *L) {
    S_trim_blanks(L->out);
    kb_buf_addc(L->out, '\n');
}

static void S_prefix_add(kb_layout *L, const char *z, size_t n, int cols) {
    if (L->prefixCols + cols > L->prefixCap) return; /* deep nesting stops indenting */
    kb_buf_add(&L->prefix, z, n);
    L->prefixCols += cols;
}

static void S_prefix_spaces(kb_layout *L, int cols) {
    static const char zSp[] = "                                        ";
    if (cols > (int)sizeof zSp - 1) cols = (int)sizeof zSp - 1;
    if (cols > 0) S_prefix_add(L, zSp, (size_t)cols, cols);
}

void kb_layout_indent(kb_layout *L, const char *z) {
    size_t n = strlen(z);
    S_prefix_add(L, z, n, kb_layout_columns(z, n));
}

kb_layout_depth kb_layout_save(const kb_layout *L) { return (kb_layout_depth){L->prefix.n, L->prefixCols}; }

void kb_layout_restore(kb_layout *L, kb_layout_depth d) {
    L->prefix.n = d.n;
    if (L->prefix.z) L->prefix.z[d.n] = 0;
    L->prefixCols = d.cols;
}

/* The end of the word that starts at z[a], *pw its columns: a word ends at
 * a space, or before a CJK character where the kinsoku rules allow it. */
static size_t S_word_end(const char *z, size_t n, size_t a, int *pw) {
    size_t i = a;
    int w = 0, prevW = 0;
    int32_t prev = 0;
    while (i < n && z[i] != ' ') {
        int32_t cp;
        size_t k = S_next_cp(z, n, i, &cp);
        int cw = S_cp_width(cp);
        if (i > a && (cw == 2 || prevW == 2) && !S_no_start(cp) && !S_no_end(prev)) break;
        w += cw;
        prev = cp;
        prevW = cw;
        i += k;
        /* "(→ ref)" stays together: an arrow alone at a line end points nowhere */
        if (i - a == 4 && i < n && z[i] == ' ' && memcmp(z + a, "(\xe2\x86\x92", 4) == 0) {
            w++;
            i++;
            prevW = 0;
        }
    }
    *pw = w;
    return i;
}

/* Ends a wrapped line, without its trailing blanks, and starts the next
 * after the prefix; a heading's bold is closed at the line's end and opened
 * again on the next line. */
static void S_break_line(kb_layout *L, int bold) {
    kb_buf *o = L->out;
    S_trim_blanks(o);
    S_bold_off(L);
    if (bold) kb_buf_adds(o, S_RESET);
    kb_buf_addc(o, '\n');
    kb_buf_add(o, L->prefix.z, L->prefix.n);
    if (bold) kb_buf_adds(o, S_BOLD);
    L->col = L->prefixCols;
}

/* Writes z[0..n) from L->col on, word by word, breaking lines at the width;
 * the bytes marked in aBold (NULL: none) in bold. */
static void S_put_wrapped(kb_layout *L, const char *z, size_t n, const unsigned char *aBold, int lineHas, int bold) {
    kb_buf *o = L->out;
    size_t i = 0;
    while (i < n) {
        int sp = 0;
        while (i < n && z[i] == ' ') i++, sp = 1;
        if (i >= n) break;
        size_t a = i;
        int w;
        i = S_word_end(z, n, a, &w);
        int need = lineHas && sp;
        if (L->width > 0 && lineHas && L->col + need + w > L->width) {
            S_break_line(L, bold);
            need = 0;
        }
        if (need) {
            S_bold_off(L);
            kb_buf_addc(o, ' ');
            L->col++;
        }
        if (aBold) S_put_marked(L, z + a, i - a, aBold + a);
        else kb_buf_add(o, z + a, i - a);
        L->col += w;
        lineHas = 1;
    }
}

/* Writes one paragraph of text (no newlines) wrapped to the width. The first
 * line starts with prefix[0..firstN) and lead; the others with the whole
 * prefix. Words longer than a line stand alone on theirs. */
static void S_wrap(kb_layout *L, const char *z, size_t n, size_t firstN, int firstCols, const char *zLead,
                   size_t nLead, int leadCols, int leadBold, int bold) {
    kb_buf *o = L->out;
    S_blank_if_needed(L);
    L->wroteAny = 1;
    bold = bold && L->color;
    leadBold = leadBold && L->color;
    kb_buf_add(o, L->prefix.z, firstN);
    if (nLead) {
        if (leadBold) kb_buf_adds(o, S_BOLD);
        kb_buf_add(o, zLead, nLead);
        if (leadBold) kb_buf_adds(o, S_RESET);
    }
    L->col = firstCols + leadCols;
    if (bold) kb_buf_adds(o, S_BOLD);
    if (L->width <= 0 && (!L->color || !L->markMatches || bold)) {
        kb_buf_add(o, z, n);
        if (bold) kb_buf_adds(o, S_RESET);
        kb_buf_addc(o, '\n');
        return;
    }
    /* Matches are found in the whole paragraph before it is cut into
     * lines: a CJK word is cut into characters, which match nothing alone. */
    unsigned char *aBold = NULL;
    if (L->color && L->markMatches && !bold) {
        aBold = kb_xmalloc(n + 1);
        S_mark_matches(L, z, n, aBold);
    }
    /* a long token goes under a label ("Recommended actions:"), not after it;
     * after a bullet it stays */
    S_put_wrapped(L, z, n, aBold, leadCols > 4, bold);
    S_bold_off(L);
    free(aBold);
    if (bold) kb_buf_adds(o, S_RESET);
    kb_buf_addc(o, '\n');
}

/* A line with only the pending lead ("- " of an item whose first block is a
 * code block or a table, "Note:" of an empty alert). */
void kb_layout_flush_lead(kb_layout *L) {
    if (!L->lead.n) return;
    size_t firstN = L->prefix.n;
    int firstCols = L->prefixCols;
    kb_buf lead = L->lead;
    /* trailing blank of "- " is not worth a line of its own */
    size_t nLead = lead.n;
    while (nLead && lead.z[nLead - 1] == ' ') nLead--;
    S_wrap(L, "", 0, firstN, firstCols, lead.z, nLead, L->leadCols, L->leadBold, 0);
    S_prefix_spaces(L, L->leadHang);
    kb_buf_reset(&L->lead);
}

void kb_layout_set_lead(kb_layout *L, const char *z, int hang, int bold) {
    kb_layout_flush_lead(L);
    kb_buf_reset(&L->lead);
    kb_buf_adds(&L->lead, z);
    L->leadCols = kb_layout_columns(z, strlen(z));
    L->leadHang = hang;
    L->leadBold = bold;
}

void kb_layout_drop_lead(kb_layout *L) { L->lead.n = 0; }

void kb_layout_line(kb_layout *L, const char *z, size_t n, size_t nIndent, size_t nBullet, int bold) {
    if (nBullet) kb_layout_flush_lead(L);
    kb_layout_depth save = kb_layout_save(L);
    if (L->lead.n) {
        /* the item's bullet: later lines of the item hang under it */
        kb_buf lead = L->lead;
        L->lead = (kb_buf){0};
        S_prefix_spaces(L, L->leadHang); /* the hang stays until the enclosing block restores the depth */
        S_wrap(L, z + nIndent, n - nIndent, save.n, save.cols, lead.z, lead.n, L->leadCols, L->leadBold, bold);
        kb_buf_free(&lead);
    } else {
        S_prefix_spaces(L, (int)nIndent);
        size_t firstN = L->prefix.n;
        int firstCols = L->prefixCols;
        S_prefix_spaces(L, kb_layout_columns(z + nIndent, nBullet));
        S_wrap(L, z + nIndent + nBullet, n - nIndent - nBullet, firstN, firstCols, z + nIndent, nBullet,
               (int)nBullet, 0, bold);
        kb_layout_restore(L, save);
    }
}
