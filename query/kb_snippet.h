/* kb_snippet.h: which words of a section match the query, and the passage
 * that shows them best.
 *
 * A word matches when the tokenizer of the section's language turns it into
 * the same token as one of the query's words (so "copias" matches a query
 * for "copia" in Spanish), which is exactly how the index matched it. */
#ifndef KB_SNIPPET_H
#define KB_SNIPPET_H

#include <stddef.h>

typedef struct kb_matcher kb_matcher;

kb_matcher *kb_matcher_new(char *const *aTerm, int nTerm);
void kb_matcher_free(kb_matcher *m);

/* Selects the language for the following calls ("es"). */
void kb_matcher_lang(kb_matcher *m, const char *lang);

/* Marks in aBold the bytes of text[0..n) that make a matching token: a
 * word, a part of one ("Snapshot" of "ExtensionSnapshotFailedCOM"), or
 * two CJK characters. Usable as kb_render_mark_fn. */
void kb_matcher_mark(void *m, const char *text, size_t n, unsigned char *aBold);

/* The passage of text (about maxWords words) with the most distinct
 * matching tokens, in Markdown: matches wrapped in open/close, "…" where
 * cut; the text's own characters of open and close, and what Markdown
 * would read as markup (\ < ` [ &, a '_' outside a word), are escaped with
 * a backslash, so that the markers are the only markup. Malloc'd. */
char *kb_snippet(kb_matcher *m, const char *text, const char *open, const char *close, int maxWords);

#endif
