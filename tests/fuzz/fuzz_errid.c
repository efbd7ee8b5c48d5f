/* fuzz_errid.c: error-ID extraction, normalization, query keys, decoding.
 *
 * Byte 0 picks the block role and small parameters; for a table cell the
 * first line of the rest is the column header. Checks: keys are terminated,
 * non-empty, lowercase-canonical (normalizing a key gives the key back), of
 * a known kind; query-key byte ranges lie inside the query; decode output is
 * terminated within its buffer. */
#include <ctype.h>

#include "fuzz_common.h"
#include "kb_errid.h"

static void fuzz_check_key(const char *key, int kind) {
    FUZZ_ASSERT(memchr(key, 0, KB_ERRID_KEY_MAX) != NULL, "key not terminated");
    FUZZ_ASSERT(key[0] != 0, "empty key");
    FUZZ_ASSERT(kind >= KB_ERRID_HEX && kind <= KB_ERRID_SYMBOLIC, "kind %d", kind);
    for (const char *p = key; *p; p++) FUZZ_ASSERT(!isupper((unsigned char)*p), "key '%s' not lowercase", key);
    char key2[KB_ERRID_KEY_MAX];
    int kind2 = kb_errid_normalize(key, strlen(key), key2, sizeof key2);
    FUZZ_ASSERT(kind2 == kind && strcmp(key, key2) == 0, "normalize('%s') = %d '%s', expected %d itself", key, kind2,
                kind2 >= 0 ? key2 : "", kind);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1 || size > 64 * 1024) return -1;
    int role = data[0] & 3;
    size_t cap = 1 + (size_t)(data[0] >> 2) * 3; /* 1..190: sometimes below KEY_MAX */
    char *z = fuzz_cstr(data + 1, size - 1);
    size_t n = size - 1;

    /* Extraction over raw bytes (the indexer passes rendered UTF-8 text, but
     * nothing may read outside n). */
    const char *zText = z, *zHeader = NULL;
    char *zHeaderCopy = NULL;
    size_t nText = n;
    if (role == KB_BLOCK_CELL) {
        const char *nl = memchr(z, '\n', n);
        size_t nh = nl ? (size_t)(nl - z) : 0;
        zHeaderCopy = kb_xstrndup(z, nh);
        zHeader = zHeaderCopy;
        zText = nl ? nl + 1 : z;
        nText = n - (size_t)(zText - z);
    }
    kb_errid_list list = {0};
    kb_errid_extract(&list, role, zText, nText, zHeader);
    kb_errid_extract(&list, KB_BLOCK_PARAGRAPH, zText, nText, NULL); /* merging into a non-empty list */
    for (int i = 0; i < list.n; i++) {
        fuzz_check_key(list.a[i].key, list.a[i].kind);
        FUZZ_ASSERT(memchr(list.a[i].raw, 0, KB_ERRID_KEY_MAX) != NULL, "raw not terminated");
        for (int k = 0; k < i; k++)
            FUZZ_ASSERT(strcmp(list.a[i].key, list.a[k].key) != 0, "duplicate key '%s'", list.a[i].key);
        char out[256];
        kb_errid_decode(list.a[i].key, out, sizeof out);
    }
    kb_errid_list_free(&list);
    free(zHeaderCopy);

    /* Normalization of the whole input and of each space-separated token,
     * into a buffer that is sometimes too small. */
    char *key = kb_xmalloc(cap);
    int kind = kb_errid_normalize(z, n, key, cap);
    if (kind >= 0) FUZZ_ASSERT(memchr(key, 0, cap) != NULL, "normalize: key not terminated in cap %zu", cap);
    for (size_t i = 0; i < n;) {
        while (i < n && (z[i] == ' ' || z[i] == '\n')) i++;
        size_t s = i;
        while (i < n && z[i] != ' ' && z[i] != '\n') i++;
        if (i > s) {
            char k2[KB_ERRID_KEY_MAX];
            int kd = kb_errid_normalize(z + s, i - s, k2, sizeof k2);
            if (kd >= 0) fuzz_check_key(k2, kd);
        }
    }
    free(key);

    /* Query keys: the query is a C string. */
    int maxKeys = 1 + (data[0] & 15);
    kb_errid_qkey aKey[16];
    int nKey = kb_errid_query_keys(z, aKey, maxKeys);
    size_t len = strlen(z);
    FUZZ_ASSERT(nKey >= 0 && nKey <= maxKeys, "%d keys for max %d", nKey, maxKeys);
    for (int i = 0; i < nKey; i++) {
        FUZZ_ASSERT(memchr(aKey[i].key, 0, KB_ERRID_KEY_MAX) != NULL && aKey[i].key[0], "query key %d", i);
        FUZZ_ASSERT(aKey[i].iStart <= aKey[i].iEnd && aKey[i].iEnd <= len, "query key %d range %zu..%zu of %zu", i,
                    aKey[i].iStart, aKey[i].iEnd, len);
        char out[128];
        kb_errid_decode(aKey[i].key, out, sizeof out);
    }

    /* Decoding whatever was typed, into a buffer of varying size. */
    char *out = kb_xmalloc(cap);
    if (kb_errid_decode(z, out, cap)) FUZZ_ASSERT(memchr(out, 0, cap) != NULL, "decode: not terminated");
    free(out);
    free(z);
    return 0;
}
