/* kb_heap.c: see kb_heap.h.
 *
 * The huge page. glibc's malloc serves all but the largest blocks from its
 * main heap, a brk() region that it grows upwards and carves from the low
 * end of its free "top" block. A transparent huge page needs a 2 MB-aligned
 * range, marked with madvise(MADV_HUGEPAGE), that nothing has touched yet.
 * So S_huge_page allocates a filler that ends just below the next 2 MB
 * boundary, then a block across the 2 MB above it, which makes malloc grow
 * the heap past them without writing inside; marks the 2 MB; writes one
 * byte there (one fault: the kernel maps the whole huge page); and frees
 * the block. The top block now starts at the boundary, so the next 2 MB of
 * allocations land in the huge page. The filler stays allocated and
 * untouched: address space, not memory. Each step checks that glibc did
 * what this expects (blocks at the computed addresses, the far end of the
 * 2 MB resident); on any surprise it backs out, and the 4 KB pages are
 * populated instead. */
#include "kb_heap.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Freed heap up to this size stays in the heap (not trimmed), and blocks
 * up to it come from the heap (not from mmap(): fresh pages every time). */
#define S_KEEP (8 << 20)

#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
#define S_HUGE ((uintptr_t)2 << 20)
#define S_CHUNK_HEADER 16 /* glibc's bytes before each block (two size_t) */
#define S_BELOW 64        /* the big block starts this far below the boundary */

static void *heapFiller; /* kept allocated, never touched */

static int S_resident(uintptr_t page) {
    unsigned char v = 0;
    return mincore((void *)page, 4096, &v) == 0 && (v & 1);
}

static int S_huge_page(void) {
    if (sysconf(_SC_PAGESIZE) != 4096) return 0; /* 2 MB is the huge page of 4 KB-page x86-64 and arm64 */
    void *volatile first = malloc(1); /* a heap that malloc has not set up yet has no top block to measure */
    free(first);
    uintptr_t top = (uintptr_t)sbrk(0) - mallinfo2().keepcost; /* the heap's end minus its free top block */
    /* The page below the boundary holds the big block's header: not ours to keep clean. */
    uintptr_t boundary = (top + 4096 + S_BELOW + S_HUGE - 1) & ~(S_HUGE - 1);
    uintptr_t blockAt = boundary - S_BELOW;
    /* A request of n bytes takes a chunk of (n + 8 + 15) & ~15: both ends
     * are 16-aligned, so this request fills [top, blockAt) exactly. */
    char *filler = malloc(blockAt - top - S_CHUNK_HEADER);
    char *volatile block = NULL; /* volatile: a block freed unread is no block to the compiler */
    int ok = filler == (char *)top + S_CHUNK_HEADER;
    if (ok) block = malloc(S_HUGE + 64 * 1024);
    ok = ok && block == (char *)blockAt + S_CHUNK_HEADER;
    ok = ok && madvise((void *)boundary, S_HUGE, MADV_HUGEPAGE) == 0;
    if (ok) block[boundary - blockAt - S_CHUNK_HEADER] = 1;
    ok = ok && S_resident(boundary + S_HUGE - 4096); /* 4 KB pages: only the first one is */
    free(block);
    if (ok) heapFiller = filler;
    else free(filler);
    return ok;
}
#endif

/* The first `bytes` malloc hands out next, populated in one call. */
static int S_populate(size_t bytes) {
    char *volatile block = malloc(bytes);
    int ok = 0;
#ifdef MADV_POPULATE_WRITE
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    uintptr_t from = ((uintptr_t)block + page - 1) & ~(page - 1), to = ((uintptr_t)block + bytes) & ~(page - 1);
    /* fails on kernels before 5.14: the pages then fault in one by one, as without this */
    ok = block && to > from && madvise((void *)from, to - from, MADV_POPULATE_WRITE) == 0;
#endif
    free(block);
    return ok ? KB_HEAP_POPULATED : KB_HEAP_AS_IS;
}

int kb_heap_prefault(size_t bytes) {
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, S_KEEP);
    mallopt(M_TRIM_THRESHOLD, S_KEEP);
#endif
#ifdef S_HUGE
    if (S_huge_page()) return KB_HEAP_HUGE_PAGE;
#endif
    return S_populate(bytes);
}
