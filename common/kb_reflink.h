/* kb_reflink.h: reference links cmark leaves as text.
 *
 * "[SSMS][]" and "[text][label]" are links only if the document defines the
 * label. When it does not (translated docs often turned "[Install the
 * toolkit][]" into "[Instalar el kit][]" and kept the English definition),
 * cmark leaves the brackets as text, and a reader sees "[Instalar el
 * kit][]" where a link was meant. kb-index --check reports each one; what
 * a result shows of it is its text alone. A shortcut "[word]" is left as
 * written: bracketed words are often just that. */
#ifndef KB_REFLINK_H
#define KB_REFLINK_H

#include <cmark-gfm.h>
#include <stddef.h>

/* The end of the label that opens at z[i] == '[': the index of its
 * closing ']', or 0 when there is none (an unescaped '[' inside, the end of
 * the text, or longer than CommonMark allows). */
size_t kb_reflink_label_end(const char *z, size_t n, size_t i);

/* A full or collapsed reference at z[i] == '[' ("[text][label]",
 * "[label][]"): its end (one past the second ']') and the bytes of the
 * label it uses, or 0 when there is none or the label is blank. */
size_t kb_reflink_at(const char *z, size_t n, size_t i, const char **pzLabel, size_t *pnLabel);

/* Called with each reference found as text: run[start, end) is
 * "[text][label]", in run, the text of the inlines it was found in. */
typedef void (*kb_reflink_fn)(void *ctx, const char *run, size_t start, size_t end);

/* Finds the references left as text in the inlines of block (a paragraph,
 * heading or table cell). Its text is read in runs: emphasis goes on with
 * the run, code and links end it; a line break is a space. "a[0][1]" (an
 * index after a word) is not a reference. */
void kb_reflink_each_undefined(cmark_node *block, kb_reflink_fn fn, void *ctx);

/* Removes the brackets and label of every reference left as text under
 * root: "[Instalar el kit][]" becomes "Instalar el kit". */
void kb_reflink_unbracket(cmark_node *root);

#endif
