/* kb_msg.c: see kb_msg.h. */
#include "kb_msg.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

void kb_msg_init(const char *argv0, const char *lang) {
    char dir[PATH_MAX], localedir[PATH_MAX + 32];
    /* LC_MESSAGES from the environment; an explicit --lang overrides it
     * through LANGUAGE, which GNU gettext consults first. */
    /* Only messages and character classes follow the environment: numbers in
     * JSON must keep "." as the decimal point whatever the locale says. */
    setlocale(LC_CTYPE, "");
    if (lang && *lang) setenv("LANGUAGE", lang, 1);
    if (!setlocale(LC_MESSAGES, "") || strcmp(setlocale(LC_MESSAGES, NULL), "C") == 0) {
        /* gettext ignores LANGUAGE in the C locale; C.UTF-8 is always there. */
        if (lang && *lang) setlocale(LC_MESSAGES, "C.UTF-8");
    }
    if (S_exe_dir(argv0, dir, sizeof dir)) {
        snprintf(localedir, sizeof localedir, "%s/%s", dir, KB_LOCALEDIR_REL);
        bindtextdomain("kb", localedir);
    }
    bind_textdomain_codeset("kb", "UTF-8");
}
