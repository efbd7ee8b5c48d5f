/* kb_pack.c: see kb_pack.h. */
#include "kb_pack.h"

#include <stdlib.h>
#include <string.h>

#include <zdict.h>
#include <zstd.h>

#include "kb_msg.h"
#include "kb_util.h"

/* Level 6: within a few percent of level 19's size on sections, and fast
 * enough that packing stays a small part of indexing. */
#define KB_PACK_LEVEL 5
/* No stored text is larger: a bigger size in a frame header means damage. */
#define KB_PACK_MAX (64u << 20)
/* Fewer samples than this teach a dictionary nothing useful. */
#define KB_PACK_MIN_SAMPLES 16

unsigned kb_pack_train(const char *samples, const size_t *aSize, unsigned nSample, size_t cap, kb_buf *dict) {
    if (nSample < KB_PACK_MIN_SAMPLES || cap < 1024) return 0;
    char *buf = kb_xmalloc(cap);
    size_t n = ZDICT_trainFromBuffer(buf, cap, samples, aSize, nSample);
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
    if (dict && nDict) p->cdict = ZSTD_createCDict(dict, nDict, KB_PACK_LEVEL);
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
    size_t got = p->cdict ? ZSTD_compress_usingCDict(p->cctx, dst, cap, z, n, p->cdict)
                          : ZSTD_compressCCtx(p->cctx, dst, cap, z, n, KB_PACK_LEVEL);
    /* cannot fail with a bound-sized buffer; an empty blob reads back as "" */
    if (!ZSTD_isError(got)) kb_buf_add(out, dst, got);
    free(dst);
}

struct kb_unpacker {
    sqlite3 *db;
    ZSTD_DCtx *dctx;
    unsigned dictId;   /* the dictionary loaded, 0 when none */
    ZSTD_DDict *ddict;
};

kb_unpacker *kb_unpacker_new(sqlite3 *db) {
    kb_unpacker *u = kb_xcalloc(1, sizeof *u);
    u->db = db;
    u->dctx = kb_xcheck(ZSTD_createDCtx());
    return u;
}

void kb_unpacker_free(kb_unpacker *u) {
    if (!u) return;
    ZSTD_freeDDict(u->ddict);
    ZSTD_freeDCtx(u->dctx);
    free(u);
}

/* An index holds one dictionary (a rebuild trains a new one), so keeping
 * the last one loaded is enough. */
static int S_load_dict(kb_unpacker *u, unsigned id) {
    if (u->ddict && u->dictId == id) return KB_OK;
    sqlite3_stmt *st = NULL;
    int rc = KB_EDB;
    if (sqlite3_prepare_v2(u->db, "SELECT dict FROM dicts WHERE id = ?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_bytes(st, 0) > 0) {
            ZSTD_freeDDict(u->ddict);
            u->ddict = ZSTD_createDDict(sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
            u->dictId = u->ddict ? id : 0;
            if (u->ddict) rc = KB_OK;
        }
    }
    sqlite3_finalize(st);
    return rc == KB_OK ? KB_OK : kb_fail(KB_EDB, _("database: compression dictionary %u is missing; rebuild the index with kb-index --full"), id);
}

int kb_unpacker_unpack(kb_unpacker *u, const void *blob, size_t n, char **pz, size_t *pn) {
    *pz = NULL;
    *pn = 0;
    int rc = KB_OK;
    unsigned long long len = blob && n ? ZSTD_getFrameContentSize(blob, n) : 0;
    if (!blob || n == 0) {
        len = 0; /* an empty text packs to nothing */
    } else if (len == ZSTD_CONTENTSIZE_ERROR || len == ZSTD_CONTENTSIZE_UNKNOWN || len > KB_PACK_MAX) {
        rc = kb_fail(KB_EDB, _("database: a stored section is damaged; rebuild the index with kb-index --full"));
    } else {
        unsigned id = ZSTD_getDictID_fromFrame(blob, n);
        if (id) rc = S_load_dict(u, id);
        if (rc == KB_OK) {
            char *out = kb_xmalloc((size_t)len + 1);
            size_t got = id ? ZSTD_decompress_usingDDict(u->dctx, out, (size_t)len, blob, n, u->ddict)
                            : ZSTD_decompressDCtx(u->dctx, out, (size_t)len, blob, n);
            if (ZSTD_isError(got) || got != len) {
                free(out);
                rc = kb_fail(KB_EDB, _("database: a stored section is damaged; rebuild the index with kb-index --full"));
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
