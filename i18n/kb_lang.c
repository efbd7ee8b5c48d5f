/* STUB so other modules link: to be replaced. */
#include "kb_lang.h"
#include <stdio.h>
#include <string.h>
#include <ctype.h>
int kb_locale_normalize(const char *z, char *out, size_t cap) { snprintf(out, cap, "%s", z); for (char *p = out; *p; p++) *p = (char)tolower((unsigned char)*p); return 1; }
void kb_locale_lang(const char *locale, char *out, size_t cap) { snprintf(out, cap, "%.2s", locale); }
void kb_lang_from_env(char *out, size_t cap) { snprintf(out, cap, "en"); }
const char *kb_lang_stemmer(const char *lang) { return NULL; }
