/* test_lang.c: locale tags, the user's language and stemmer names. */
#include "kb_test.h"

#include "kb_lang.h"

#include <libstemmer.h>

static const char *norm(const char *z)
{
    static char out[32];
    snprintf(out, sizeof out, "(untouched)");
    if (!kb_locale_normalize(z, out, sizeof out)) return "(rejected)";
    return out;
}

static void test_locale_normalize_accepts_tags_in_any_spelling(void)
{
    CHECK_STR(norm("es-ES"), "es-es");
    CHECK_STR(norm("es_ES.UTF-8"), "es-es");
    CHECK_STR(norm("ES"), "es");
    CHECK_STR(norm("ja-jp"), "ja-jp");
    CHECK_STR(norm("zh-Hant"), "zh-hant");
    CHECK_STR(norm("de_DE@euro"), "de-de");
    CHECK_STR(norm("fr_CA.ISO-8859-1@latin"), "fr-ca");
    CHECK_STR(norm("es-419"), "es-419");
    CHECK_STR(norm("ast"), "ast");
    CHECK_STR(norm("ja_JP.eucJP"), "ja-jp");
    /* BCP 47 with a script, as browsers send it: the script is dropped */
    CHECK_STR(norm("zh-Hant-TW"), "zh-tw");
    CHECK_STR(norm("sr-Latn-RS"), "sr-rs");
    CHECK_STR(norm("zh_Hans_CN.UTF-8"), "zh-cn");
}

static void test_locale_normalize_rejects_words_that_are_not_tags(void)
{
    static const char *const az[] = {"articles", "backup", "includes", "media", "e", "", "es-", "es-ES-x",
                                     "es_ES.", "es@", "C", "POSIX", "es-abcdef", "e5", "es es", "toc.yml", "faq.md",
                                     "zh-Hant-", "zh-Hant-T", "zh-Hant-TWN1", "zh-TW-Hant"};
    for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
        char out[16] = "keep";
        CHECK(kb_locale_normalize(az[i], out, sizeof out) == 0);
        CHECK_STR(out, "keep"); /* out untouched on rejection */
    }
    char small[4] = "abc";
    CHECK_INT(kb_locale_normalize("es-es", small, sizeof small), 0); /* does not fit */
    CHECK_INT(kb_locale_normalize(NULL, small, sizeof small), 0);
}

static void test_locale_lang_is_the_language_part(void)
{
    char out[8];
    kb_locale_lang("es-es", out, sizeof out);
    CHECK_STR(out, "es");
    kb_locale_lang("ja", out, sizeof out);
    CHECK_STR(out, "ja");
    kb_locale_lang("zh-hant", out, sizeof out);
    CHECK_STR(out, "zh");
    kb_locale_lang("PT_br", out, sizeof out);
    CHECK_STR(out, "pt");
}

static const char *from_env(const char *lcAll, const char *lcMessages, const char *lang)
{
    static char out[8];
    if (lcAll) setenv("LC_ALL", lcAll, 1); else unsetenv("LC_ALL");
    if (lcMessages) setenv("LC_MESSAGES", lcMessages, 1); else unsetenv("LC_MESSAGES");
    if (lang) setenv("LANG", lang, 1); else unsetenv("LANG");
    kb_lang_from_env(out, sizeof out);
    return out;
}

static void test_lang_from_env_follows_posix_precedence(void)
{
    CHECK_STR(from_env(NULL, NULL, NULL), "en");
    CHECK_STR(from_env(NULL, NULL, "es_ES.UTF-8"), "es");
    CHECK_STR(from_env(NULL, "ja_JP.UTF-8", "es_ES.UTF-8"), "ja");
    CHECK_STR(from_env("de_DE.UTF-8", "ja_JP.UTF-8", "es_ES.UTF-8"), "de");
    CHECK_STR(from_env("", "", "pt_BR"), "pt"); /* empty variables do not count */
    CHECK_STR(from_env("C", NULL, "es_ES.UTF-8"), "en");
    CHECK_STR(from_env(NULL, NULL, "POSIX"), "en");
    CHECK_STR(from_env(NULL, NULL, "C.UTF-8"), "en");
    from_env(NULL, NULL, NULL);
}

static void test_lang_stemmer_maps_iso_codes_to_snowball(void)
{
    CHECK_STR(kb_lang_stemmer("es"), "spanish");
    CHECK_STR(kb_lang_stemmer("en"), "english");
    CHECK_STR(kb_lang_stemmer("de"), "german");
    CHECK_STR(kb_lang_stemmer("fr"), "french");
    CHECK_STR(kb_lang_stemmer("pt"), "portuguese");
    CHECK_STR(kb_lang_stemmer("nb"), "norwegian");
    CHECK_STR(kb_lang_stemmer("no"), "norwegian");
    CHECK_STR(kb_lang_stemmer("es-es"), "spanish");
    CHECK(kb_lang_stemmer("ja") == NULL);
    CHECK(kb_lang_stemmer("zh") == NULL);
    CHECK(kb_lang_stemmer("") == NULL);
    CHECK(kb_lang_stemmer(NULL) == NULL);
}

static void test_every_mapped_stemmer_exists_in_libstemmer(void)
{
    static const char *const az[] = {"ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "el", "hi", "hu",
                                     "id", "ga", "it", "lt", "ne", "no", "pt", "ro", "ru", "sr", "es", "sv", "ta",
                                     "tr", "yi", "nb", "nn"};
    for (size_t i = 0; i < sizeof az / sizeof az[0]; i++) {
        const char *zAlgo = kb_lang_stemmer(az[i]);
        CHECK(zAlgo != NULL);
        if (!zAlgo) { fprintf(stderr, "no stemmer for %s\n", az[i]); continue; }
        struct sb_stemmer *s = sb_stemmer_new(zAlgo, "UTF_8");
        CHECK(s != NULL);
        if (s) sb_stemmer_delete(s);
    }
}

KB_TEST_MAIN(test_locale_normalize_accepts_tags_in_any_spelling, test_locale_normalize_rejects_words_that_are_not_tags,
             test_locale_lang_is_the_language_part, test_lang_from_env_follows_posix_precedence,
             test_lang_stemmer_maps_iso_codes_to_snowball, test_every_mapped_stemmer_exists_in_libstemmer)
