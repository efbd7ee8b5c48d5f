/* kb_sqlmem.c: see kb_sqlmem.h.
 *
 * A block is an 8-byte header holding its usable size, then the memory
 * SQLite sees (8-byte aligned, as SQLite requires). Sizes up to 1 KB (parse
 * nodes, expressions, opcodes: most calls) round up to a class, in steps of
 * 16 bytes; a freed one goes on its class's list, linked through its first
 * bytes. Larger blocks (page buffers, record buffers) stay with malloc():
 * served from classes too, memory freed in one size could not serve
 * another, and each extra page a question touches is a page fault. */
#include "kb_sqlmem.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define KB_SQLMEM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KB_SQLMEM_ASAN 1
#endif
#endif
#ifdef KB_SQLMEM_ASAN
/* A freed block stays poisoned until it is handed out again, so ASan still
 * sees SQLite's use-after-free in a sanitizer build. */
#include <sanitizer/asan_interface.h>
#define S_POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define S_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define S_POISON(p, n) ((void)(p), (void)(n))
#define S_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define S_HEADER 8
#define S_STEP 16
#define S_SMALL_MAX 1024 /* larger blocks come from malloc() */
#define S_NCLASS (S_SMALL_MAX / S_STEP)
#define S_CHUNK (64 * 1024)

typedef struct S_free {
    struct S_free *next;
} S_free;

static S_free *aFree[S_NCLASS];
static char *zChunk;        /* where the next new block is carved */
static size_t nChunkLeft;
/* Every chunk, linked through its first 8 bytes. Chunks are never freed,
 * but a chunk whose blocks are all free is pointed at only from inside
 * freed blocks: without the list a leak checker reports it lost (LSan
 * did, once a test freed 3,000 blocks). */
static void *pChunks;

static int S_class(size_t n) { return (int)((n + S_STEP - 1) / S_STEP) - 1; }

static size_t S_class_size(int c) { return (size_t)(c + 1) * S_STEP; }

static size_t *S_header(void *p) { return (size_t *)((char *)p - S_HEADER); }

static void *S_carve(size_t size) {
    size_t need = S_HEADER + size;
    if (nChunkLeft < need) {
        /* The rest of the old chunk is dropped: at most one block's worth. */
        zChunk = malloc(S_CHUNK);
        if (!zChunk) {
            nChunkLeft = 0;
            return NULL;
        }
        *(void **)zChunk = pChunks;
        pChunks = zChunk;
        zChunk += S_HEADER; /* a header's 8 bytes keep the blocks 8-byte aligned */
        nChunkLeft = S_CHUNK - S_HEADER;
    }
    size_t *h = (size_t *)zChunk;
    zChunk += need;
    nChunkLeft -= need;
    *h = size;
    return (char *)h + S_HEADER;
}

static void *S_malloc(int nByte) {
    size_t n = nByte > 0 ? (size_t)nByte : 1;
    if (n > S_SMALL_MAX) {
        size_t *h = malloc(S_HEADER + n);
        if (!h) return NULL;
        *h = n;
        return (char *)h + S_HEADER;
    }
    int c = S_class(n);
    S_free *f = aFree[c];
    if (!f) return S_carve(S_class_size(c));
    S_UNPOISON(f, S_class_size(c));
    aFree[c] = f->next;
    return f;
}

static void S_release(void *p) {
    if (!p) return;
    size_t size = *S_header(p);
    if (size > S_SMALL_MAX) {
        free(S_header(p));
        return;
    }
    int c = S_class(size);
    S_free *f = p;
    f->next = aFree[c];
    aFree[c] = f;
    S_POISON(f, size);
}

static int S_size(void *p) { return p ? (int)*S_header(p) : 0; }

static int S_roundup(int nByte) {
    size_t n = nByte > 0 ? (size_t)nByte : 1;
    if (n > S_SMALL_MAX) return (int)((n + 7) & ~(size_t)7);
    return (int)S_class_size(S_class(n));
}

static void *S_realloc(void *p, int nByte) {
    if (!p) return S_malloc(nByte);
    int old = S_size(p);
    if (S_roundup(nByte) == old) return p;
    if (old > S_SMALL_MAX && nByte > S_SMALL_MAX) {
        size_t *h = realloc(S_header(p), S_HEADER + (size_t)nByte);
        if (!h) return NULL;
        *h = (size_t)nByte;
        return (char *)h + S_HEADER;
    }
    void *q = S_malloc(nByte);
    if (!q) return NULL;
    memcpy(q, p, (size_t)(old < nByte ? old : nByte));
    S_release(p);
    return q;
}

static int S_init(void *unused) {
    (void)unused;
    return SQLITE_OK;
}

static void S_shutdown(void *unused) { (void)unused; }

int kb_sqlmem_install(void) {
    static const sqlite3_mem_methods methods = {S_malloc, S_release, S_realloc, S_size,
                                                S_roundup, S_init, S_shutdown, NULL};
    return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
