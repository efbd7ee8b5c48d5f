/* kb_synonym.h: what a user types for what the docs name otherwise.
 *
 * Spanish docs say "copia de seguridad" and "máquina virtual"; the engineer
 * reading them types "backup de VM". The section that answers holds none of
 * the typed words, and "backup", rare in Spanish docs, ranks code samples
 * that quote it first. kb-query therefore also searches a question in the
 * words of its language's docs (a word the docs say as one other word, as
 * either: kb_search_reword.h). The pairs are data, i18n/synonyms.tsv (language,
 * what the docs say, what a user may type), compiled into the binaries at
 * build time. */
#ifndef KB_SYNONYM_H
#define KB_SYNONYM_H

#include "kb_tok.h"

typedef struct kb_synonym_span {
    int first;        /* the first word of the run */
    int n;            /* how many words it spans */
    const char *docs; /* what the docs say instead */
} kb_synonym_span;

/* Finds the runs of aWord[0..nWord) that a user may type for what the docs
 * of language lang (ISO 639-1) say otherwise: left to right, at each word
 * the longest. Words compare as t, lang's tokenizer, reads them, so
 * "arranca" is "arrancar" in Spanish, and a word in Latin letters that ends
 * in "s" also as its English singular ("VMs", "load balancers", "policies"),
 * when nothing matches it as typed. A word of several tokens ("fail over"
 * as one phrase, "storage-account") matches a typed form of exactly those
 * tokens; a NULL word (a quoted phrase, an exclusion) is part of no run.
 * Writes at most max spans; returns how many. */
int kb_synonym_find(const char *lang, kb_tok *t, const char *const *aWord, int nWord, kb_synonym_span *aSpan,
                    int max);

#endif
