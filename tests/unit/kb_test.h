/* kb_test.h: the smallest test harness that reports well.
 *
 * A test file defines `static void test_something(void)` functions and lists
 * them in KB_TEST_MAIN(test_a, test_b, ...). CHECK records a failure and goes
 * on, so one run shows every broken expectation; the exit code is non-zero
 * if any check failed. */
#ifndef KB_TEST_H
#define KB_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kb_test_failures;
static const char *kb_test_current;

#define CHECK(cond) do { if (!(cond)) { kb_test_failures++; \
    fprintf(stderr, "%s:%d: %s: CHECK(%s) failed\n", __FILE__, __LINE__, kb_test_current, #cond); } } while (0)

#define CHECK_STR(got, want) do { const char *g_ = (got), *w_ = (want); \
    if (!g_ || !w_ || strcmp(g_, w_) != 0) { kb_test_failures++; \
    fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, kb_test_current, \
            g_ ? g_ : "(null)", w_ ? w_ : "(null)"); } } while (0)

#define CHECK_INT(got, want) do { long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { kb_test_failures++; \
    fprintf(stderr, "%s:%d: %s: %s = %lld, want %lld\n", __FILE__, __LINE__, kb_test_current, #got, g_, w_); } } while (0)

typedef void (*kb_test_fn)(void);
struct kb_test_case { const char *name; kb_test_fn fn; };

#define KB_TEST_ENTRY(fn) { #fn, fn },
#define KB_TEST_MAIN(...) \
    int main(void) { \
        static const kb_test_fn fns[] = { __VA_ARGS__ }; \
        static const char *names = #__VA_ARGS__; \
        char buf[4096]; snprintf(buf, sizeof buf, "%s", names); \
        char *save = NULL, *tok = strtok_r(buf, ", \n\t", &save); \
        size_t n = sizeof fns / sizeof fns[0]; \
        for (size_t i = 0; i < n; i++) { \
            kb_test_current = tok ? tok : "?"; \
            int before = kb_test_failures; \
            fns[i](); \
            printf("%s %s\n", kb_test_failures == before ? "ok  " : "FAIL", kb_test_current); \
            tok = strtok_r(NULL, ", \n\t", &save); \
        } \
        printf("%d failed\n", kb_test_failures); \
        return kb_test_failures ? 1 : 0; \
    }

/* Path of a file in the source tree (tests run with KB_SOURCE_DIR set). */
static inline const char *kb_test_path(const char *rel) {
    static char buf[4096];
    const char *root = getenv("KB_SOURCE_DIR");
    snprintf(buf, sizeof buf, "%s/%s", root ? root : ".", rel);
    return buf;
}

#endif
