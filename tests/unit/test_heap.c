/* test_heap.c: the heap a question is given up front. */
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kb_heap.h"
#include "kb_test.h"

#if defined(__SANITIZE_ADDRESS__)
#define S_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define S_ASAN 1
#endif
#endif
#ifndef S_ASAN
#define S_ASAN 0
#endif

/* Whether every whole page of [p, p+n) is resident. */
static int S_all_resident(void *p, size_t n) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)p + page - 1) & ~(page - 1);
    size_t nPage = ((uintptr_t)p + n - from) / page;
    unsigned char vec[1024];
    if (nPage > sizeof vec || mincore((void *)from, nPage * page, vec) != 0) return 0;
    for (size_t i = 0; i < nPage; i++)
        if (!(vec[i] & 1)) return 0;
    return 1;
}

/* Whether this kernel populates memory on request (Linux 5.14 and later). */
static int S_kernel_populates(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 0;
    int ok = madvise(p, page, MADV_POPULATE_WRITE) == 0;
    munmap(p, page);
    return ok;
}

static void test_prefaulted_heap_is_resident_when_malloc_hands_it_out(void) {
    if (S_ASAN) return; /* ASan's allocator quarantines freed blocks: malloc does not hand them out again */
    int how = kb_heap_prefault(512 * 1024);
    if (S_kernel_populates()) CHECK(how != KB_HEAP_AS_IS);
    /* Blocks above glibc's default mmap threshold (128 KB): without the
     * prefault each would be fresh pages from mmap(), none resident yet. */
    char *a = malloc(300 * 1024), *b = malloc(200 * 1024);
    if (how == KB_HEAP_POPULATED || how == KB_HEAP_HUGE_PAGE) {
        CHECK(S_all_resident(a, 300 * 1024));
        CHECK(S_all_resident(b, 200 * 1024));
    }
    if (how == KB_HEAP_HUGE_PAGE) { /* the whole 2 MB, more than was asked for */
        char *c = malloc(1200 * 1024);
        CHECK(S_all_resident(c, 1200 * 1024));
        free(c);
    }
    free(b);
    free(a);
    /* Freed heap stays: asked again, malloc serves resident pages. */
    char *d = malloc(400 * 1024);
    if (how != KB_HEAP_AS_IS) CHECK(S_all_resident(d, 400 * 1024));
    free(d);
    printf("  (kb_heap_prefault took path %d)\n", how);
}

KB_TEST_MAIN(test_prefaulted_heap_is_resident_when_malloc_hands_it_out)
