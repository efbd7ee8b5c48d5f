/* kb_stopwords.h: words too common to decide a search, per language.
 *
 * The lists are Snowball's, generated into the binary at build time. They
 * do not remove anything from the index: the query path leaves stop words
 * out of the terms a section must contain, so "tengo un servidor y desde
 * ayer..." is decided by "servidor", not by "un". */
#ifndef KB_STOPWORDS_H
#define KB_STOPWORDS_H

#include <stddef.h>

/* 1 if word (any case, accents as typed) is a stop word of lang ("es"). */
int kb_stopword(const char *lang, const char *word, size_t n);

#endif
