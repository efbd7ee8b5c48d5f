/* kb_pack.c: see kb_pack.h. */
#include "kb_pack.h"

#include <stdlib.h>
#include <string.h>

/* For ZDICT_trainFromBuffer_fastCover and its parameters, exported by
 * libzstd but declared among its experimental functions. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
/* For ZSTD_createDDict_byReference, which libzstd exports (static and
 * shared) but documents among its experimental functions. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "kb_msg.h"
#include "kb_util.h"

/* zstd's default: level 6 packs es-ES 3% smaller (71.1 MB index instead of
 * 73.5) and indexes about 10% slower. */
#define KB_PACK_LEVEL 3
/* No stored text is larger: a bigger size in a frame header means damage. */
#define KB_PACK_MAX (64u << 20)
/* Fewer samples than this teach a dictionary nothing useful. */
#define KB_PACK_MIN_SAMPLES 16
/* The segment size fastCover trains with. ZDICT_trainFromBuffer searches for
 * it: it trains four dictionaries, on three quarters of the samples, and
 * compresses the last quarter with each. On es-ES + zh-TW that search took
 * 0.57 s of a full build, before any document could be packed, and chose
 * 50; one training on all the samples with k = 80 takes 0.12-0.17 s and
 * packs the views 0.5% smaller (48.61 MB against 48.86; k = 20, 50, 150,
 * 300, 1000 gave 49.32, 48.72, 48.86, 49.04, 49.65 MB). d = 8 is the
 * search's own. */
#define KB_PACK_DICT_K 80
#define KB_PACK_DICT_D 8

unsigned kb_pack_train(const char *samples, const size_t *aSize, unsigned nSample, size_t cap, kb_buf *dict) {
    if (nSample < KB_PACK_MIN_SAMPLES || cap < 1024) return 0;
    char *buf = kb_xmalloc(cap);
    ZDICT_fastCover_params_t params = {.k = KB_PACK_DICT_K, .d = KB_PACK_DICT_D};
    params.zParams.compressionLevel = KB_PACK_LEVEL;
    size_t n = ZDICT_trainFromBuffer_fastCover(buf, cap, samples, aSize, nSample, params);
    unsigned id = ZDICT_isError(n) ? 0 : ZDICT_getDictID(buf, n);
    if (id) {
        kb_buf_reset(dict);
        kb_buf_add(dict, buf, n);
    }
    free(buf);
    return id;
}

struct kb_packer {
    ZSTD_CCtx *cctx;
    ZSTD_CDict *cdict; /* NULL: no dictionary */
};

kb_packer *kb_packer_new(const void *dict, size_t nDict) {
    kb_packer *p = kb_xcalloc(1, sizeof *p);
    p->cctx = kb_xcheck(ZSTD_createCCtx());
    ZSTD_CCtx_setParameter(p->cctx, ZSTD_c_compressionLevel, KB_PACK_LEVEL);
    /* 4 bytes a frame, so that a damaged view is an error rather than
     * wrong text (zstd checks it when decompressing) */
    ZSTD_CCtx_setParameter(p->cctx, ZSTD_c_checksumFlag, 1);
    if (dict && nDict) p->cdict = ZSTD_createCDict(dict, nDict, KB_PACK_LEVEL);
    if (p->cdict) ZSTD_CCtx_refCDict(p->cctx, p->cdict);
    return p;
}

void kb_packer_free(kb_packer *p) {
    if (!p) return;
    ZSTD_freeCDict(p->cdict);
    ZSTD_freeCCtx(p->cctx);
    free(p);
}

void kb_packer_pack(kb_packer *p, const char *z, size_t n, kb_buf *out) {
    size_t cap = ZSTD_compressBound(n);
    kb_buf_reset(out);
    char *dst = kb_xmalloc(cap);
    size_t got = ZSTD_compress2(p->cctx, dst, cap, z, n);
    /* cannot fail with a bound-sized buffer; an empty blob reads back as "" */
    if (!ZSTD_isError(got)) kb_buf_add(out, dst, got);
    free(dst);
}

/* An index holds a dictionary per language: a page of results needs one
 * or two, a few more with --all-locales. */
#define KB_UNPACK_DICTS 8

struct kb_unpacker {
    sqlite3 *db;
    ZSTD_DCtx *dctx;
    unsigned aId[KB_UNPACK_DICTS]; /* dictionaries loaded (0: free slot) */
    ZSTD_DDict *aDDict[KB_UNPACK_DICTS];
    void *aDict[KB_UNPACK_DICTS];  /* the bytes each DDict refers to */
    int iNext;                     /* the slot a new dictionary takes when all are used */
};

kb_unpacker *kb_unpacker_new(sqlite3 *db) {
    kb_unpacker *u = kb_xcalloc(1, sizeof *u);
    u->db = db;
    u->dctx = kb_xcheck(ZSTD_createDCtx());
    return u;
}

void kb_unpacker_free(kb_unpacker *u) {
    if (!u) return;
    for (int i = 0; i < KB_UNPACK_DICTS; i++) {
        ZSTD_freeDDict(u->aDDict[i]);
        free(u->aDict[i]);
    }
    ZSTD_freeDCtx(u->dctx);
    free(u);
}

/* The dictionary of id, loaded from the index the first time; NULL (with
 * the error recorded) when the index lacks it. Its bytes are read once,
 * straight from the blob's pages into the buffer the DDict refers to: as
 * a column value, SQLite assembled a copy and zstd made another, 32 KB of
 * fresh memory each (page faults are much of a one-question process). */
static ZSTD_DDict *S_dict(kb_unpacker *u, unsigned id) {
    for (int i = 0; i < KB_UNPACK_DICTS; i++)
        if (u->aId[i] == id && u->aDDict[i]) return u->aDDict[i];
    ZSTD_DDict *ddict = NULL;
    void *bytes = NULL;
    sqlite3_blob *blob = NULL;
    if (sqlite3_blob_open(u->db, "main", "dicts", "dict", (sqlite3_int64)id, 0, &blob) == SQLITE_OK) {
        int n = sqlite3_blob_bytes(blob);
        bytes = n > 0 ? kb_xmalloc((size_t)n) : NULL;
        if (bytes && sqlite3_blob_read(blob, bytes, n, 0) == SQLITE_OK)
            ddict = ZSTD_createDDict_byReference(bytes, (size_t)n);
    }
    sqlite3_blob_close(blob);
    if (!ddict) {
        free(bytes);
        kb_fail(KB_EDB, _("database: compression dictionary %u is missing; rebuild the index with kb-index --full"), id);
        return NULL;
    }
    int slot = u->iNext;
    u->iNext = (u->iNext + 1) % KB_UNPACK_DICTS;
    ZSTD_freeDDict(u->aDDict[slot]);
    free(u->aDict[slot]);
    u->aDDict[slot] = ddict;
    u->aDict[slot] = bytes;
    u->aId[slot] = id;
    return ddict;
}

int kb_pack_damaged(void) {
    return kb_fail(KB_EDB, _("database: a stored section is damaged; rebuild the index with kb-index --full"));
}

int kb_unpacker_unpack(kb_unpacker *u, const void *blob, size_t n, char **pz, size_t *pn) {
    *pz = NULL;
    *pn = 0;
    int rc = KB_OK;
    unsigned long long len = blob && n ? ZSTD_getFrameContentSize(blob, n) : 0;
    if (!blob || n == 0) {
        len = 0; /* an empty text packs to nothing */
    } else if (len == ZSTD_CONTENTSIZE_ERROR || len == ZSTD_CONTENTSIZE_UNKNOWN || len > KB_PACK_MAX) {
        rc = kb_pack_damaged();
    } else {
        unsigned id = ZSTD_getDictID_fromFrame(blob, n);
        ZSTD_DDict *ddict = id ? S_dict(u, id) : NULL;
        if (id && !ddict) rc = KB_EDB;
        if (rc == KB_OK) {
            char *out = kb_xmalloc((size_t)len + 1);
            size_t got = ddict ? ZSTD_decompress_usingDDict(u->dctx, out, (size_t)len, blob, n, ddict)
                               : ZSTD_decompressDCtx(u->dctx, out, (size_t)len, blob, n);
            if (ZSTD_isError(got) || got != len) {
                free(out);
                rc = kb_pack_damaged();
            } else {
                out[len] = '\0';
                *pz = out;
                *pn = (size_t)len;
            }
        }
    }
    if (!*pz) *pz = kb_xstrdup("");
    return rc;
}
