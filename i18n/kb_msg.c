/* kb_msg.c: see kb_msg.h.
 *
 * Choosing the language, in order: --lang; else LANGUAGE (GNU gettext's own
 * list, "de:fr"); else the first of LC_ALL, LC_MESSAGES, LANG that is set.
 * "C" / "POSIX" there means English, and then LANGUAGE is ignored too, as
 * GNU gettext does.
 *
 * glibc translates only when the LC_MESSAGES locale is installed, and minimal
 * systems (containers, CI images) have just C, C.UTF-8 and POSIX: with
 * LANG=de_DE.UTF-8, setlocale() fails and every message would stay English.
 * So the language is handed to gettext through LANGUAGE instead, with
 * LC_MESSAGES set to the built-in C.UTF-8, which (unlike "C") does not make
 * gettext ignore LANGUAGE (checked on glibc 2.36). The catalogs are UTF-8 and
 * so is the output, whatever LC_CTYPE says. */
#include "kb_msg.h"

#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_lang.h"

/* The directory of the running binary, so catalogs are found relative to it. */
static int S_exe_dir(const char *argv0, char *out, size_t cap) {
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = 0;
    } else if (argv0 && realpath(argv0, path)) {
        /* path filled by realpath */
    } else {
        return 0;
    }
    char *slash = strrchr(path, '/');
    if (!slash) return 0;
    *slash = 0;
    snprintf(out, cap, "%s", path);
    return 1;
}

/* The catalogs to try for a locale tag, as a LANGUAGE value: "es-ES" ->
 * "es_ES:es", "zh-HK" -> "zh_TW:zh". zh.po is Simplified Chinese, so the
 * Traditional regions (TW, HK, MO) and script (Hant) read zh_TW.po. Returns 0
 * when z is not a locale tag ("C", "POSIX", "C.UTF-8", garbage). */
static int S_catalogs(const char *z, char *out, size_t cap) {
    char norm[16], lang[8];
    if (!kb_locale_normalize(z, norm, sizeof norm)) return 0;
    kb_locale_lang(norm, lang, sizeof lang);
    const char *region = strchr(norm, '-');
    if (!region) {
        snprintf(out, cap, "%s", lang);
        return 1;
    }
    region++;
    /* a four-letter subtag is a script ("Hant"), else a region ("TW", "419") */
    char sub[8];
    size_t n = strlen(region);
    if (n >= sizeof sub) return 0;
    for (size_t i = 0; i <= n; i++) sub[i] = (n != 4 || i == 0) ? (char)toupper((unsigned char)region[i]) : region[i];
    int traditional = strcmp(lang, "zh") == 0 && (strcmp(sub, "TW") == 0 || strcmp(sub, "HK") == 0 ||
                                                  strcmp(sub, "MO") == 0 || strcmp(sub, "Hant") == 0);
    /* not "zh_HK:zh_TW": gettext tries "zh" (Simplified) right after "zh_HK" */
    if (traditional) snprintf(out, cap, "zh_TW:zh");
    else snprintf(out, cap, "%s_%s:%s", lang, sub, lang);
    return 1;
}

/* The locale the environment asks for messages, as setlocale() reads it. */
static const char *S_env_locale(void) {
    static const char *const azVar[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof azVar / sizeof azVar[0]; i++) {
        const char *z = getenv(azVar[i]);
        if (z && *z) return z;
    }
    return NULL;
}

static int S_is_c(const char *z) {
    return !z || strcmp(z, "C") == 0 || strcmp(z, "POSIX") == 0;
}

void kb_msg_init(const char *argv0, const char *lang) {
    char dir[PATH_MAX], localedir[PATH_MAX + 32], list[64];
    const char *env = S_env_locale();
    const char *language = getenv("LANGUAGE");
    int translate;
    if (lang && S_catalogs(lang, list, sizeof list)) {
        /* --lang wins over everything, LANGUAGE included */
        setenv("LANGUAGE", list, 1);
        translate = 1;
    } else if (S_is_c(env)) {
        translate = 0; /* an explicit C locale (or none): English */
    } else if (language && *language) {
        translate = 1; /* the user's own list, as GNU gettext would read it */
    } else if (S_catalogs(env, list, sizeof list)) {
        setenv("LANGUAGE", list, 1);
        translate = 1;
    } else {
        translate = 0; /* "C.UTF-8" and the like: English */
    }

    /* English needs no locale at all: the program's text is UTF-8, and
     * loading the environment's locale (locale.alias, the LC_CTYPE tables,
     * gconv) was a fifth of a --version's time. Translated messages follow
     * the environment's LC_MESSAGES; LC_CTYPE is C.UTF-8 whatever the
     * environment says, since the catalogs are read as UTF-8
     * (bind_textdomain_codeset) and the character classes kb asks of
     * bytes (isalnum, isspace: ASCII letters and digits of codes and
     * commands) must not take an 8-bit locale's "é" for a letter of them.
     * LC_NUMERIC always stays "C", so numbers in JSON and in the summary
     * keep "." as the decimal point. */
    if (!translate) {
        setlocale(LC_MESSAGES, "C"); /* built in: nothing is read (a request of --serve may follow a translated one) */
        return;
    }
    setlocale(LC_CTYPE, "C.UTF-8");
    const char *loc = setlocale(LC_MESSAGES, "");
    if (!loc || S_is_c(loc)) setlocale(LC_MESSAGES, "C.UTF-8");

    if (S_exe_dir(argv0, dir, sizeof dir)) {
        snprintf(localedir, sizeof localedir, "%s/%s", dir, KB_LOCALEDIR_REL);
        bindtextdomain("kb", localedir);
    }
    bind_textdomain_codeset("kb", "UTF-8");
    kb_msg_changed();
}

/* gettext caches each translation under the LC_MESSAGES locale's name, not
 * $LANGUAGE: where the environment's locale is not installed both
 * languages run in "C.UTF-8", and a --serve request's "lang" got the
 * translations of the one before. Setting the text domain, even to the
 * one in force, is glibc's and GNU gettext's documented way to say the
 * catalogs changed. */
void kb_msg_changed(void) {
    textdomain(textdomain(NULL));
}

const char *kb_msg_english(const char *message) {
    const char *text = _(message);
    /* dgettext returns its argument itself when it has no translation */
    return text != message ? text : dgettext("libc", message);
}
