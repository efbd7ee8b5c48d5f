/* kb_remedy.h: a section's remediation records: an error, its causes and
 * the actions recommended for it.
 *
 * Tables whose columns are recognised from header words in any locale
 * (i18n/vocab.tsv: error / cause / recommended action; kb_table.h) and
 * "**Error message**: ..." paragraphs become kb_remedy records; text output
 * shows them as labelled blocks, JSON as {"error","error_ids","causes","actions"}. */
#ifndef KB_REMEDY_H
#define KB_REMEDY_H

#include <stddef.h>

#include "kb_render.h"
#include "kb_mdtree.h"

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

/* kb_remedy_extract of a section parsed once (kb_mdtree.h), which it
 * leaves as it found it. labels as kb_render_opts.labels, for the alerts a
 * record's text holds ("Note: ..."); kb_remedy_extract: the UI language's. */
void kb_remedy_extract_doc(const kb_mdtree *d, kb_labels labels, kb_remedy **paRemedy, int *pnRemedy);

#endif
