/* kb_table.h: a Markdown table as cells of text lines, and what its columns
 * hold: an error, its causes, the actions recommended.
 *
 * Columns are recognised from their header words in any locale
 * (i18n/vocab.tsv: error / cause / recommended action). A table with a
 * cause or an action column holds a remediation record per row; one whose
 * first column labels its rows ("Error message", "Possible causes") holds
 * one record. The text renderer shows both as labelled blocks and kb_remedy
 * reads its records from them; any other table is plain. */
#ifndef KB_TABLE_H
#define KB_TABLE_H

#include <cmark-gfm.h>
#include <stddef.h>

#include "kb_inline.h"

struct kb_buf;

/* What a column holds, or a line that labels what follows it. */
enum { KB_TABLE_ROLE_NONE = 0, KB_TABLE_ROLE_ERROR, KB_TABLE_ROLE_CAUSE, KB_TABLE_ROLE_ACTION };
/* A plain table, a record per row, or one record with the labels in its first column. */
enum { KB_TABLE_PLAIN = 0, KB_TABLE_REMEDY, KB_TABLE_KEYVALUE };

typedef struct kb_table {
    int nCol, nRow;   /* nRow includes the header row */
    char **aCell;     /* nRow * nCol text lines (kb_html_to_text), never NULL */
    int *aRole;       /* nCol */
    int kind;
} kb_table;

/* Reads a "table" node's cells (links as lm says: kb_inline_text), the
 * roles of its columns and its kind into t. */
void kb_table_read(cmark_node *table, const kb_inline_linkmode *lm, struct kb_buf *scratch, kb_table *t);
void kb_table_free(kb_table *t);

/* The role z[0..n) names as a header word or label, in any locale
 * ("Causa", "Error code", "推奨アクション"); KB_TABLE_ROLE_NONE if none. */
int kb_table_role(const char *z, size_t n);

#endif
