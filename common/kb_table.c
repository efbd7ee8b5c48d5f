/* kb_table.c: see kb_table.h. */
#include "kb_table.h"
#include "kb_util.h"
#include "kb_vocab.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

int kb_table_role(const char *z, size_t n) {
    if (!n) return KB_TABLE_ROLE_NONE;
    if (kb_vocab_is(KB_VOCAB_COL_ERROR, z, n)) return KB_TABLE_ROLE_ERROR;
    if (kb_vocab_is(KB_VOCAB_COL_CAUSE, z, n)) return KB_TABLE_ROLE_CAUSE;
    if (kb_vocab_is(KB_VOCAB_COL_ACTION, z, n)) return KB_TABLE_ROLE_ACTION;
    return KB_TABLE_ROLE_NONE;
}

/* Whether a header names the problems a table lists: "Problema",
 * "Problem", "Issue", "問題". */
static int S_problem_header(const char *zCell) {
    char *z = kb_inline_one_line(zCell, strlen(zCell));
    size_t n = strlen(z);
    /* one word: "Solución de problemas" is no column of problems */
    int yes = strcasecmp(z, "issue") == 0 || strcasecmp(z, "issues") == 0 ||
              (kb_vocab_is(KB_VOCAB_PROBLEM, z, n) && strchr(z, ' ') == NULL);
    free(z);
    return yes;
}

/* A remediation table's cell that opens with its column's own label on a
 * line of its own ("| **エラー** </br>*セキュリティで保護された...* |" under
 * "エラーの詳細") says the label once: the record shows it already, and
 * read "Error: エラー セキュリティで..." */
static void S_drop_cell_labels(kb_table *t) {
    for (int r = 1; r < t->nRow; r++)
        for (int c = 0; c < t->nCol; c++) {
            char *z = t->aCell[r * t->nCol + c], *nl = strchr(z, '\n');
            if (!nl || t->aRole[c] == KB_TABLE_ROLE_NONE) continue;
            size_t n = (size_t)(nl - z);
            int label = kb_table_role(z, n) == t->aRole[c] ||
                        (t->aRole[c] == KB_TABLE_ROLE_ERROR && kb_vocab_is(KB_VOCAB_WORD_ERROR, z, n));
            if (label && nl[1]) memmove(z, nl + 1, strlen(nl + 1) + 1);
        }
}

/* The cells of table into t, as text lines; a row's missing cells are empty. */
static void S_read_cells(cmark_node *table, const kb_inline_linkmode *lm, kb_buf *scratch, kb_table *t) {
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
        if (t->nRow == 0)
            for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c)) t->nCol++;
        t->nRow++;
    }
    if (t->nCol == 0) t->nCol = 1;
    t->aCell = kb_xcalloc((size_t)t->nRow * (size_t)t->nCol, sizeof *t->aCell);
    int r = 0;
    kb_buf cell = {0};
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row), r++) {
        int c = 0;
        for (cmark_node *x = cmark_node_first_child(row); x && c < t->nCol; x = cmark_node_next(x), c++) {
            kb_buf_reset(&cell);
            kb_inline_text(x, lm, scratch, &cell);
            t->aCell[r * t->nCol + c] = kb_xstrdup(kb_buf_str(&cell));
        }
        for (; c < t->nCol; c++) t->aCell[r * t->nCol + c] = kb_xstrdup("");
    }
    kb_buf_free(&cell);
}

void kb_table_read(cmark_node *table, const kb_inline_linkmode *lm, kb_buf *scratch, kb_table *t) {
    memset(t, 0, sizeof t[0]);
    S_read_cells(table, lm, scratch, t);

    /* Column roles from the header words, in any locale. */
    t->aRole = kb_xcalloc((size_t)t->nCol, sizeof *t->aRole);
    int nCause = 0, nAction = 0;
    for (int c = 0; c < t->nCol; c++) {
        char *z = kb_inline_one_line(t->aCell[c], strlen(t->aCell[c]));
        t->aRole[c] = kb_table_role(z, strlen(z));
        /* a message right after its error's column is part of the error */
        if (!t->aRole[c] && c > 0 && t->aRole[c - 1] == KB_TABLE_ROLE_ERROR &&
            kb_vocab_is(KB_VOCAB_COL_MESSAGE, z, strlen(z)))
            t->aRole[c] = KB_TABLE_ROLE_ERROR;
        free(z);
        nCause += t->aRole[c] == KB_TABLE_ROLE_CAUSE;
        nAction += t->aRole[c] == KB_TABLE_ROLE_ACTION;
    }
    /* "| Problema | Resolución |": a first column of problems, before their
     * fixes, is the error column (a "| Problema | Descripción |" of release
     * notes has no fix, and stays a plain table). */
    if (nAction && t->nCol >= 2 && t->aRole[0] == KB_TABLE_ROLE_NONE && S_problem_header(t->aCell[0]))
        t->aRole[0] = KB_TABLE_ROLE_ERROR;
    /* "| **Error message** | `text` |" over rows "| **Possible causes** | ... |":
     * the labels are in the first column, one record per table. */
    if (t->nCol >= 2 && t->nRow >= 2 && t->aRole[0] == KB_TABLE_ROLE_ERROR) {
        int labelled = 1, nRemedy = 0;
        for (int i = 1; i < t->nRow && labelled; i++) {
            char *z = kb_inline_one_line(t->aCell[i * t->nCol], strlen(t->aCell[i * t->nCol]));
            int role = kb_table_role(z, strlen(z));
            free(z);
            labelled = role != KB_TABLE_ROLE_NONE;
            nRemedy += role == KB_TABLE_ROLE_CAUSE || role == KB_TABLE_ROLE_ACTION;
        }
        if (labelled && nRemedy) {
            t->kind = KB_TABLE_KEYVALUE;
            return;
        }
    }
    if (nCause || nAction) {
        t->kind = KB_TABLE_REMEDY;
    } else if (t->aRole[0] == KB_TABLE_ROLE_ERROR && t->nCol >= 2) {
        /* "Error code | Reasons | Recommendations", "Error code | Message |
         * Resolution": error columns first and one or two unrecognised
         * columns after them are, in troubleshooting docs, the cause and the
         * fix; with none ("Error code | Message"), a list of errors. */
        int nError = 1, others = 0;
        while (nError < t->nCol && t->aRole[nError] == KB_TABLE_ROLE_ERROR) nError++;
        for (int c = nError; c < t->nCol; c++) others += t->aRole[c] != KB_TABLE_ROLE_NONE;
        if (!others && t->nCol - nError <= 2) {
            t->kind = KB_TABLE_REMEDY;
            if (t->nCol - nError == 2) t->aRole[nError] = KB_TABLE_ROLE_CAUSE;
            if (t->nCol > nError) t->aRole[t->nCol - 1] = KB_TABLE_ROLE_ACTION;
        }
    }
    if (t->kind == KB_TABLE_REMEDY) S_drop_cell_labels(t);
}

void kb_table_free(kb_table *t) {
    for (int i = 0; i < t->nRow * t->nCol; i++) free(t->aCell[i]);
    free(t->aCell);
    free(t->aRole);
    memset(t, 0, sizeof t[0]);
}
