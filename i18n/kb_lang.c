/* kb_lang.c: locale tags, the user's language, and Snowball stemmer names.
 *
 * Locale tags come from file paths ("articles/es-es/...") and from the
 * environment ("es_ES.UTF-8"), so recognizing them must be strict: a path
 * component such as "backup" or "includes" is not a locale. */
#include "kb_lang.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>

static int S_is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int S_is_alnum(char c) { return S_is_alpha(c) || (c >= '0' && c <= '9'); }
static char S_lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* A codeset names a digit ("UTF-8", "ISO-8859-1", "GB18030") or is one of
 * the few that do not; anything else after a dot is a file extension. */
static int S_is_codeset(const char *z, size_t n)
{
    static const char *const azNoDigit[] = {"eucjp", "euckr", "euctw", "euccn", "sjis", "shiftjis", "big5hkscs"};
    char zNorm[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (z[i] >= '0' && z[i] <= '9') return 1;
        if (z[i] == '-' || z[i] == '_') continue;
        if (k + 1 >= sizeof zNorm) return 0;
        zNorm[k++] = S_lower(z[i]);
    }
    zNorm[k] = '\0';
    for (size_t i = 0; i < sizeof azNoDigit / sizeof azNoDigit[0]; i++)
        if (strcmp(zNorm, azNoDigit[i]) == 0) return 1;
    return 0;
}

/* Accepts [a-z]{2,3}([-_][a-z0-9]{2,4})?(\.codeset)?(@modifier)?, case-insensitively,
 * and BCP 47's language-script-region ("zh-Hant-TW", "sr-Latn-RS": what a
 * browser's Accept-Language passes to a bot), its script dropped. */
int kb_locale_normalize(const char *z, char *out, size_t cap)
{
    size_t i = 0, nLang, nRegion = 0, iRegion = 0;
    if (!z) return 0;
    while (S_is_alpha(z[i])) i++;
    nLang = i;
    if (nLang < 2 || nLang > 3) return 0;
    if (z[i] == '-' || z[i] == '_') {
        iRegion = ++i;
        while (S_is_alnum(z[i])) i++;
        nRegion = i - iRegion;
        if (nRegion < 2 || nRegion > 4) return 0;
        if (nRegion == 4 && (z[i] == '-' || z[i] == '_')) { /* a script, then the region */
            iRegion = ++i;
            while (S_is_alnum(z[i])) i++;
            nRegion = i - iRegion;
            if (nRegion < 2 || nRegion > 3) return 0;
        }
    }
    if (z[i] == '.') { /* codeset: "UTF-8", "utf8", "ISO-8859-1" */
        size_t iStart = ++i;
        while (S_is_alnum(z[i]) || z[i] == '-' || z[i] == '_') i++;
        if (!S_is_codeset(z + iStart, i - iStart)) return 0; /* "toc.yml" is a file */
    }
    if (z[i] == '@') { /* modifier: "euro", "latin" */
        size_t iStart = ++i;
        while (S_is_alnum(z[i])) i++;
        if (i == iStart) return 0;
    }
    if (z[i] != '\0') return 0;
    if (cap < nLang + (nRegion ? nRegion + 1 : 0) + 1) return 0;

    size_t k = 0;
    for (size_t j = 0; j < nLang; j++) out[k++] = S_lower(z[j]);
    if (nRegion) {
        out[k++] = '-';
        for (size_t j = 0; j < nRegion; j++) out[k++] = S_lower(z[iRegion + j]);
    }
    out[k] = '\0';
    return 1;
}

void kb_locale_lang(const char *locale, char *out, size_t cap)
{
    size_t k = 0;
    if (!cap) return;
    for (size_t i = 0; locale && locale[i] && locale[i] != '-' && locale[i] != '_' && locale[i] != '.'
                       && locale[i] != '@' && k + 1 < cap; i++)
        out[k++] = S_lower(locale[i]);
    out[k] = '\0';
}

void kb_lang_from_env(char *out, size_t cap)
{
    static const char *const azVar[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    char zNorm[16];
    if (!cap) return;
    for (size_t i = 0; i < sizeof azVar / sizeof azVar[0]; i++) {
        const char *z = getenv(azVar[i]);
        if (!z || !*z) continue; /* an empty variable does not override the next one */
        /* The first set variable decides, as in setlocale(): "C" means English. */
        if (kb_locale_normalize(z, zNorm, sizeof zNorm)) {
            kb_locale_lang(zNorm, out, cap);
            return;
        }
        break;
    }
    kb_locale_lang("en", out, cap);
}

/* ISO 639-1 code -> Snowball algorithm. Only algorithms this libstemmer
 * lists are returned (checked in kb_lang_stemmer). */
static const struct {
    const char *zLang;
    const char *zAlgo;
} kb_lang_aStemmer[] = {
    {"ar", "arabic"},     {"hy", "armenian"},   {"eu", "basque"},    {"ca", "catalan"},
    {"da", "danish"},     {"nl", "dutch"},      {"en", "english"},   {"fi", "finnish"},
    {"fr", "french"},     {"de", "german"},     {"el", "greek"},     {"hi", "hindi"},
    {"hu", "hungarian"},  {"id", "indonesian"}, {"ga", "irish"},     {"it", "italian"},
    {"lt", "lithuanian"}, {"ne", "nepali"},     {"no", "norwegian"}, {"nb", "norwegian"},
    {"nn", "norwegian"},  {"pt", "portuguese"}, {"ro", "romanian"},  {"ru", "russian"},
    {"sr", "serbian"},    {"es", "spanish"},    {"sv", "swedish"},   {"ta", "tamil"},
    {"tr", "turkish"},    {"yi", "yiddish"},
};

const char *kb_lang_stemmer(const char *lang)
{
    char zLang[8];
    if (!lang || !*lang) return NULL;
    kb_locale_lang(lang, zLang, sizeof zLang); /* tolerate "es-es" */
    for (size_t i = 0; i < sizeof kb_lang_aStemmer / sizeof kb_lang_aStemmer[0]; i++) {
        if (strcmp(zLang, kb_lang_aStemmer[i].zLang) != 0) continue;
        for (const char **az = sb_stemmer_list(); *az; az++)
            if (strcmp(*az, kb_lang_aStemmer[i].zAlgo) == 0) return kb_lang_aStemmer[i].zAlgo;
        return NULL;
    }
    return NULL;
}
