/* kb_lang.h: locales and languages.
 *
 * A locale is stored normalized as lowercase "ll-rr" ("es-es", "zh-tw"); its
 * language is "ll". Languages decide the stemmer and the FTS table a section
 * is indexed in. */
#ifndef KB_LANG_H
#define KB_LANG_H

#include <stddef.h>

/* Normalizes a locale tag ("es-ES", "es_ES.UTF-8", "ES") into out ("es-es",
 * "es"). Returns 1 if z looks like a locale tag, 0 otherwise (out untouched). */
int kb_locale_normalize(const char *z, char *out, size_t cap);

/* The language part of a normalized locale: "es-es" -> "es". */
void kb_locale_lang(const char *locale, char *out, size_t cap);

/* The user's language from LC_ALL, LC_MESSAGES, LANG (in that order), as
 * "ll"; "en" when unset or "C"/"POSIX". */
void kb_lang_from_env(char *out, size_t cap);

/* Snowball algorithm name for a language code, or NULL if none. */
const char *kb_lang_stemmer(const char *lang);

#endif
