/* kb_test_doc.h: corpus documents and their sections, for unit tests that
 * render or extract from real docs (test_render.c, test_remedy.c). */
#ifndef KB_TEST_DOC_H
#define KB_TEST_DOC_H

#include "kb_test.h"
#include "kb_util.h"

/* The file at rel (from the source tree), or "" if it cannot be read. */
static inline char *kb_test_read(const char *rel, size_t *pn) {
    char *z = NULL;
    *pn = 0;
    if (kb_file_read(kb_test_path(rel), 1 << 24, &z, pn) != KB_OK) {
        fprintf(stderr, "cannot read %s: %s\n", rel, kb_errmsg());
        return kb_xstrdup("");
    }
    return z;
}

/* A heading line of level 1-3 starts a section. */
static inline int kb_test_is_heading(const char *z) {
    int k = 0;
    while (z[k] == '#') k++;
    return k >= 1 && k <= 3 && z[k] == ' ';
}

/* The Markdown of the section of rel whose heading carries
 * <a name="anchor">, or "" if there is none. Malloc'd. */
static inline char *kb_test_section(const char *rel, const char *anchor) {
    size_t n;
    char *z = kb_test_read(rel, &n);
    char want[256];
    snprintf(want, sizeof want, "name=\"%s\"", anchor);
    char *r = NULL;
    for (char *p = z; p && *p;) {
        char *eol = strchr(p, '\n');
        if (kb_test_is_heading(p) && strstr(p, want) && (!eol || strstr(p, want) < eol)) {
            char *e = eol;
            while (e && e[1] && !kb_test_is_heading(e + 1)) e = strchr(e + 1, '\n');
            r = kb_xstrndup(p, e ? (size_t)(e + 1 - p) : strlen(p));
            break;
        }
        p = eol ? eol + 1 : NULL;
    }
    free(z);
    if (!r) fprintf(stderr, "no section %s in %s\n", anchor, rel);
    return r ? r : kb_xstrdup("");
}

#endif
