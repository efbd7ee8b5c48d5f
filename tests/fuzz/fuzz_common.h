/* fuzz_common.h: small helpers shared by the fuzz targets. */
#ifndef KB_FUZZ_COMMON_H
#define KB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_util.h"

/* An invariant of the code under test: a violation is a finding, so abort
 * with a message libFuzzer shows next to the crash input. */
#define FUZZ_ASSERT(c, ...)                                                   \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "FUZZ_ASSERT %s:%d: %s: ", __FILE__, __LINE__, #c); \
            fprintf(stderr, __VA_ARGS__);                                     \
            fputc('\n', stderr);                                              \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* A NUL-terminated copy of the input (embedded NULs end the string early, as
 * they would in argv). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size) {
    char *z = kb_xmalloc(size + 1);
    memcpy(z, data, size);
    z[size] = 0;
    return z;
}

/* What kb-index accepts as a document: no NUL, valid UTF-8 (it skips the rest
 * with a warning before parsing). */
static inline int fuzz_is_doc_text(const uint8_t *data, size_t size) {
    size_t bad;
    return memchr(data, 0, size) == NULL && kb_utf8_valid((const char *)data, size, &bad);
}

#endif
