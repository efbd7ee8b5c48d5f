/* kb_termdf.c: changes in each term's count of sections, in an
 * open-addressing hash table whose terms live end to end in one buffer. */
#include "kb_termdf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb_db.h"
#include "kb_msg.h"
#include "kb_util.h"

typedef struct S_entry {
    uint32_t hash;
    uint32_t row;   /* the last row that counted the term: a row counts it once */
    int32_t delta;
    uint32_t off;   /* of the term in the terms buffer; 0: the slot is free */
    uint32_t n;
} S_entry;

struct kb_termdf {
    S_entry *a;
    uint32_t cap, used; /* cap a power of two, kept at most half used */
    uint32_t row;       /* rows seen, the current one included */
    int sign;
    kb_buf terms;       /* starts with one byte, so that no term is at 0 */
};

kb_termdf *kb_termdf_new(void) {
    kb_termdf *d = kb_xcalloc(1, sizeof *d);
    d->cap = 1024;
    d->a = kb_xcalloc(d->cap, sizeof *d->a);
    kb_buf_addc(&d->terms, 0);
    return d;
}

void kb_termdf_free(kb_termdf *d) {
    if (!d) return;
    free(d->a);
    kb_buf_free(&d->terms);
    free(d);
}

void kb_termdf_row(kb_termdf *d, int sign) {
    d->row++;
    d->sign = sign > 0 ? 1 : -1;
}

/* The slot of z[0..n) with hash h: its entry, or the free slot it would take. */
static S_entry *S_slot(const kb_termdf *d, const char *z, uint32_t n, uint32_t h) {
    for (uint32_t i = h & (d->cap - 1);; i = (i + 1) & (d->cap - 1)) {
        S_entry *e = &d->a[i];
        if (!e->off || (e->hash == h && e->n == n && memcmp(d->terms.z + e->off, z, n) == 0)) return e;
    }
}

static void S_grow(kb_termdf *d) {
    S_entry *aOld = d->a;
    uint32_t capOld = d->cap;
    d->cap *= 2;
    d->a = kb_xcalloc(d->cap, sizeof *d->a);
    for (uint32_t i = 0; i < capOld; i++)
        if (aOld[i].off) *S_slot(d, d->terms.z + aOld[i].off, aOld[i].n, aOld[i].hash) = aOld[i];
    free(aOld);
}

void kb_termdf_add(kb_termdf *d, const char *z, int n) {
    if (n <= 0) return;
    uint32_t h = kb_hash(z, (size_t)n);
    S_entry *e = S_slot(d, z, (uint32_t)n, h);
    if (!e->off) {
        *e = (S_entry){.hash = h, .off = (uint32_t)d->terms.n, .n = (uint32_t)n};
        kb_buf_add(&d->terms, z, (size_t)n);
        if (++d->used * 2 > d->cap) {
            S_grow(d);
            e = S_slot(d, z, (uint32_t)n, h);
        }
    }
    if (e->row != d->row) {
        e->row = d->row;
        e->delta += d->sign;
    }
}

int kb_termdf_delta(const kb_termdf *d, const char *z, int n) {
    if (n <= 0) return 0;
    const S_entry *e = S_slot(d, z, (uint32_t)n, kb_hash(z, (size_t)n));
    return e->off ? e->delta : 0;
}

int kb_termdf_write(const kb_termdf *d, sqlite3 *db, const char *lang) {
    sqlite3_stmt *up = NULL, *gone = NULL;
    int rc = kb_db_prepare(db,
                           "INSERT INTO terms(lang, term, df) VALUES(?1, ?2, ?3)"
                           " ON CONFLICT(lang, term) DO UPDATE SET df = df + excluded.df",
                           &up);
    if (rc == KB_OK) rc = kb_db_prepare(db, "DELETE FROM terms WHERE lang = ?1 AND term = ?2 AND df <= 0", &gone);
    for (uint32_t i = 0; rc == KB_OK && i < d->cap; i++) {
        const S_entry *e = &d->a[i];
        if (!e->off || e->delta == 0) continue;
        sqlite3_stmt *st = up;
        for (int pass = 0; rc == KB_OK && pass < (e->delta < 0 ? 2 : 1); pass++, st = gone) {
            sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, d->terms.z + e->off, (int)e->n, SQLITE_STATIC);
            if (st == up) sqlite3_bind_int(st, 3, e->delta);
            if (sqlite3_step(st) != SQLITE_DONE) rc = kb_db_fail(db);
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(up);
    sqlite3_finalize(gone);
    return rc;
}
