/* kb_spell.c: see kb_spell.h. */
#include "kb_spell.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_stopwords.h"
#include "kb_util.h"

#define KB_SPELL_MAX_CP 48
/* Longer words (one of 14 letters less one) are not searched for a letter
 * left out: each place and letter is a word to stem and look up (25,000
 * instructions), and a long word is mostly a code typed in lower case
 * ("targetfilesharenotfound", 6.6M -> 26.5M instructions), no typo. */
#define KB_SPELL_INSERT_MAX_CP 13

struct kb_spell {
    sqlite3 *db;
    char lang[8];
    sqlite3_stmt *known;   /* SELECT 1 FROM fts_LL WHERE fts_LL MATCH '"word"' LIMIT 1 */
    sqlite3_stmt *range;   /* terms of the language in [lo, hi) */
    sqlite3_stmt *df;      /* one term's df */
    int rc;                /* KB_EDB once a read failed (kb_spell_failed) */
};

/* A statement's step, a failed one (a damaged page) remembered: the
 * answers that follow are guesses, which kb_spell_failed says. */
static int S_step(kb_spell *s, sqlite3_stmt *st) {
    int step = sqlite3_step(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE && s->rc == KB_OK) s->rc = kb_db_fail(s->db);
    return step;
}

/* A statement prepared, or the failure remembered as a failed read is. */
static sqlite3_stmt *S_prepare(kb_spell *s, const char *sql, sqlite3_stmt **pSt) {
    if (!*pSt && sqlite3_prepare_v2(s->db, sql, -1, pSt, NULL) != SQLITE_OK && s->rc == KB_OK)
        s->rc = kb_db_fail(s->db);
    return *pSt;
}

int kb_spell_failed(const kb_spell *s) { return s ? s->rc : KB_OK; }

kb_spell *kb_spell_open(sqlite3 *db, const char *lang) {
    kb_spell *s = kb_xcalloc(1, sizeof *s);
    s->db = db;
    snprintf(s->lang, sizeof s->lang, "%s", lang);
    return s;
}

void kb_spell_close(kb_spell *s) {
    if (!s) return;
    sqlite3_finalize(s->known);
    sqlite3_finalize(s->range);
    sqlite3_finalize(s->df);
    free(s);
}

/* Each statement is prepared when first needed: most questions that get
 * here correct nothing (an unknown error code has digits), and connecting
 * to an FTS table compiles its schema, a tenth of such a question's work. */
static sqlite3_stmt *S_known_stmt(kb_spell *s) {
    if (!s->known) {
        char fts[32], sql[256];
        kb_db_fts_name(s->lang, fts, sizeof fts);
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s MATCH ? LIMIT 1", fts, fts);
        S_prepare(s, sql, &s->known);
    }
    return s->known;
}

static sqlite3_stmt *S_range_stmt(kb_spell *s) {
    return S_prepare(s,
                     "SELECT term, df FROM terms WHERE lang = ?1 AND term >= ?2 AND term < ?3 AND df >= 2 "
                     "AND length(term) BETWEEN ?4 AND ?5",
                     &s->range);
}

int kb_spell_known(kb_spell *s, const char *word) {
    sqlite3_stmt *known = S_known_stmt(s);
    if (!known) return 0;
    kb_buf q = {0};
    kb_buf_addc(&q, '"');
    for (const char *p = word; *p; p++) {
        if (*p == '"') kb_buf_addc(&q, '"');
        kb_buf_addc(&q, *p);
    }
    kb_buf_addc(&q, '"');
    sqlite3_reset(known);
    sqlite3_bind_text(known, 1, kb_buf_str(&q), -1, SQLITE_TRANSIENT);
    int found = S_step(s, known) == SQLITE_ROW;
    sqlite3_reset(known);
    kb_buf_free(&q);
    return found;
}

/* The code points of z[0..len), at most cap; -1 if z is not UTF-8. */
static int S_codepoints(const char *z, size_t len, int32_t *out, int cap) {
    int n = 0;
    for (size_t i = 0; i < len && n < cap;) {
        int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)z + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) return -1;
        out[n++] = cp;
        i += (size_t)k;
    }
    return n;
}

/* Optimal string alignment distance of x[0..n) and y[0..m), or max + 1. */
static int S_distance(const int32_t *x, int n, const int32_t *y, int m, int max) {
    if (abs(n - m) > max) return max + 1;
    /* Three rows of the optimal-string-alignment matrix. */
    int rows[3][KB_SPELL_MAX_CP + 1];
    int *prev2 = rows[0], *prev = rows[1], *cur = rows[2];
    for (int j = 0; j <= m; j++) prev[j] = j;
    for (int i = 1; i <= n; i++) {
        cur[0] = i;
        int rowMin = cur[0];
        for (int j = 1; j <= m; j++) {
            int cost = x[i - 1] != y[j - 1];
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
            if (v < rowMin) rowMin = v;
        }
        if (rowMin > max) return max + 1;
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[m] > max ? max + 1 : prev[m];
}

int kb_spell_distance(const char *a, const char *b, int max) {
    int32_t x[KB_SPELL_MAX_CP], y[KB_SPELL_MAX_CP];
    int n = S_codepoints(a, strlen(a), x, KB_SPELL_MAX_CP), m = S_codepoints(b, strlen(b), y, KB_SPELL_MAX_CP);
    if (n < 0 || m < 0) return max + 1;
    return S_distance(x, n, y, m, max);
}

/* Scans the terms sharing the token's first character (UTF-8 bytes): some
 * 5,000 of them for a common letter. The statement leaves out those whose
 * length or section count rules them out: of the 6,700 terms that
 * "vssadmin resize shadowstorage" scans, 990 reach C (40.2M -> 38.0M
 * instructions).
 * Candidates are words: a term of one section is as likely a typo of the
 * docs as a word, and one with a digit is a name or a number. A 3-letter
 * word is no typo of a 2-letter one ("aks" is not "as"). */
static void S_scan(kb_spell *s, const char *token, const int32_t *cps, int n, size_t prefixLen, int maxDist, int *pBest,
                   int *pBestDoc, char *out, size_t cap) {
    sqlite3_stmt *range = s->range;
    const char *lang = s->lang;
    char lo[8], hi[8];
    memcpy(lo, token, prefixLen);
    lo[prefixLen] = 0;
    memcpy(hi, token, prefixLen);
    hi[prefixLen - 1]++;
    hi[prefixLen] = 0;
    sqlite3_reset(range);
    sqlite3_bind_text(range, 1, lang, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(range, 2, lo, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(range, 3, hi, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(range, 4, n - maxDist > KB_SPELL_MIN_CP ? n - maxDist : KB_SPELL_MIN_CP);
    /* A longer term is decoded up to KB_SPELL_MAX_CP code points, as the token was. */
    sqlite3_bind_int(range, 5, n + maxDist >= KB_SPELL_MAX_CP ? INT_MAX : n + maxDist);
    while (S_step(s, range) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(range, 0);
        size_t len = (size_t)sqlite3_column_bytes(range, 0);
        int doc = sqlite3_column_int(range, 1);
        /* a stop word is no correction: "qued" (of "queda") is not "que" */
        if (!term || strpbrk(term, "0123456789") || kb_stopword(lang, term, len)) continue;
        int32_t y[KB_SPELL_MAX_CP];
        int m = S_codepoints(term, len, y, KB_SPELL_MAX_CP);
        if (m < 0) continue;
        int d = S_distance(cps, n, y, m, maxDist);
        if (d == 0 || d > maxDist) continue;
        if (d < *pBest || (d == *pBest && doc > *pBestDoc)) {
            *pBest = d;
            *pBestDoc = doc;
            snprintf(out, cap, "%s", term);
        }
    }
}

int kb_spell_nearest(kb_spell *s, const char *token, char *out, size_t cap) {
    sqlite3_stmt *range = strpbrk(token, "0123456789") ? NULL : S_range_stmt(s);
    if (!range) return 0;
    int32_t cps[KB_SPELL_MAX_CP];
    int n = S_codepoints(token, strlen(token), cps, KB_SPELL_MAX_CP);
    if (n < KB_SPELL_MIN_CP) return 0;
    int maxDist = n <= 5 ? 1 : 2;
    int best = maxDist + 1, bestDoc = 0;
    /* Typos rarely hit the first letter: scan the terms that share it. */
    size_t firstLen = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)token, -1, &cps[0]);
    if (firstLen < 1 || firstLen > 4 || (unsigned char)token[firstLen - 1] == 0xFF) return 0;
    S_scan(s, token, cps, n, firstLen, maxDist, &best, &bestDoc, out, cap);
    return best <= maxDist;
}

/* In how many sections of s's language t's token of word z is; 0 if it is
 * in none, z is not one token, or its token is a stop word: "queda", which
 * the docs never write, swapped to "quead", stems to "que" and was shown as
 * the correction. */
static int S_word_df(kb_spell *s, kb_tok *t, const char *z) {
    char token[128];
    if (!kb_tok_one(t, z, (int)strlen(z), token, sizeof token) || kb_stopword(s->lang, token, strlen(token))) return 0;
    if (!S_prepare(s, "SELECT df FROM terms WHERE lang = ?1 AND term = ?2", &s->df)) return 0;
    sqlite3_reset(s->df);
    sqlite3_bind_text(s->df, 1, s->lang, -1, SQLITE_STATIC); /* both outlive the step: reset below */
    sqlite3_bind_text(s->df, 2, token, -1, SQLITE_STATIC);
    int df = S_step(s, s->df) == SQLITE_ROW ? sqlite3_column_int(s->df, 0) : 0;
    sqlite3_reset(s->df);
    return df;
}

/* Code points a[0..n) as UTF-8 into out (room for 4 * n + 1). */
static void S_encode(const int32_t *a, int n, char *out) {
    size_t k = 0;
    for (int i = 0; i < n; i++) k += (size_t)utf8proc_encode_char(a[i], (utf8proc_uint8_t *)out + k);
    out[k] = 0;
}

/* The letters a typo may have left out of a word of lang:
 * a-z and the accented letters of the language's own words (its stemmer
 * reads them: Spanish stems "almacén" and "almacen" apart). */
static const char *S_alphabet(const char *lang) {
    static const struct {
        const char *lang, *letters;
    } aAlphabet[] = {
        {"es", "abcdefghijklmnopqrstuvwxyzáéíóúñü"}, {"pt", "abcdefghijklmnopqrstuvwxyzáâãàçéêíóôõú"},
        {"fr", "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿœ"}, {"de", "abcdefghijklmnopqrstuvwxyzäöüß"},
        {"it", "abcdefghijklmnopqrstuvwxyzàèéìíîòóùú"},
    };
    for (size_t i = 0; i < sizeof aAlphabet / sizeof aAlphabet[0]; i++)
        if (strcmp(lang, aAlphabet[i].lang) == 0) return aAlphabet[i].letters;
    return "abcdefghijklmnopqrstuvwxyz";
}

/* The most frequent word one edit from a typed one, so far. */
typedef struct S_best_word {
    kb_spell *s;
    kb_tok *t;
    int df;
    char *out;
    size_t cap;
} S_best_word;

static void S_try_word(S_best_word *b, const int32_t *cps, int n) {
    char candidate[4 * (KB_SPELL_MAX_CP + 1) + 1];
    S_encode(cps, n, candidate);
    int df = S_word_df(b->s, b->t, candidate);
    if (df > b->df && strlen(candidate) < b->cap) {
        b->df = df;
        memcpy(b->out, candidate, strlen(candidate) + 1);
    }
}

/* The words one edit from cps[0..n) that typos make most: two
 * neighbouring letters swapped, a letter doubled ("restaurarr"), a letter
 * left out ("segridad"). Not a letter mistyped, nor any letter deleted:
 * kb_spell_nearest finds those near the stem, and here they mostly made
 * words that are none but stem as a common one does ("creació" became
 * "creaió", which stems as "crea"). The first letter stays: typos rarely
 * hit it. Where two edits make the same token the first is kept, so
 * the doubled and the missing letter go first: "softwarre" is "software",
 * not "softwarer". */
static void S_try_edits(S_best_word *b, int32_t *cps, int n, int typos, const int32_t *aLetter, int nLetter) {
    int32_t edit[KB_SPELL_MAX_CP + 1];
    for (int k = 1; k < n && (typos & KB_SPELL_DOUBLED); k++) {
        if (cps[k] != cps[k - 1]) continue;
        memcpy(edit, cps, (size_t)k * sizeof *cps);
        memcpy(edit + k, cps + k + 1, (size_t)(n - k - 1) * sizeof *cps);
        S_try_word(b, edit, n - 1);
    }
    for (int k = 1; k <= n && n <= KB_SPELL_INSERT_MAX_CP && (typos & KB_SPELL_LEFT_OUT); k++)
        for (int c = 0; c < nLetter; c++) {
            memcpy(edit, cps, (size_t)k * sizeof *cps);
            edit[k] = aLetter[c];
            memcpy(edit + k + 1, cps + k, (size_t)(n - k) * sizeof *cps);
            S_try_word(b, edit, n + 1);
        }
    for (int k = 0; k + 1 < n && (typos & KB_SPELL_SWAPPED); k++) {
        if (cps[k] == cps[k + 1]) continue;
        memcpy(edit, cps, (size_t)n * sizeof *cps);
        edit[k] = cps[k + 1];
        edit[k + 1] = cps[k];
        S_try_word(b, edit, n);
    }
}

static int S_front_vowel(int32_t c) { return c == 'e' || c == 'i' || c == 0xE9 || c == 0xED; }

/* cps[0..n) with cps[k] replaced by the one or two letters of z, tried. */
static void S_try_replaced(S_best_word *b, const int32_t *cps, int n, int k, int nOld, const char *z) {
    int32_t edit[KB_SPELL_MAX_CP + 1];
    int nNew = (int)strlen(z);
    if (n - nOld + nNew > KB_SPELL_MAX_CP) return;
    memcpy(edit, cps, (size_t)k * sizeof *cps);
    for (int i = 0; i < nNew; i++) edit[k + i] = (unsigned char)z[i];
    memcpy(edit + k + nNew, cps + k + nOld, (size_t)(n - k - nOld) * sizeof *cps);
    S_try_word(b, edit, n - nOld + nNew);
}

/* Spanish writes one sound several ways, and people type the sound: s, z
 * and c before e or i ("sertificado", "almasen"); b and v ("birtual"); y
 * and ll; j and g before e or i; a silent h at the start ("abilitar").
 * Unlike other typos these hit the first letter as often as any. */
static void S_try_sounds_alike(S_best_word *b, const int32_t *cps, int n) {
    for (int k = 0; k < n; k++) {
        int32_t c = cps[k];
        int front = k + 1 < n && S_front_vowel(cps[k + 1]);
        if (c == 's' || c == 'z' || (c == 'c' && front)) {
            if (c != 's') S_try_replaced(b, cps, n, k, 1, "s");
            if (c != 'z') S_try_replaced(b, cps, n, k, 1, "z");
            if (c != 'c' && front) S_try_replaced(b, cps, n, k, 1, "c");
        } else if (c == 'b' || c == 'v') {
            S_try_replaced(b, cps, n, k, 1, c == 'b' ? "v" : "b");
        } else if (c == 'y') {
            S_try_replaced(b, cps, n, k, 1, "ll");
        } else if (c == 'l' && k + 1 < n && cps[k + 1] == 'l') {
            S_try_replaced(b, cps, n, k, 2, "y");
        } else if ((c == 'j' || c == 'g') && front) {
            S_try_replaced(b, cps, n, k, 1, c == 'j' ? "g" : "j");
        }
    }
    if (cps[0] == 'h') S_try_replaced(b, cps, n, 0, 1, "");
    else S_try_replaced(b, cps, n, 0, 0, "h");
}

int kb_spell_nearest_word(kb_spell *s, kb_tok *t, const char *word, int typos, char *out, size_t cap) {
    int32_t cps[KB_SPELL_MAX_CP], aLetter[64];
    int n = S_codepoints(word, strlen(word), cps, KB_SPELL_MAX_CP);
    const char *alphabet = S_alphabet(s->lang);
    int nLetter = S_codepoints(alphabet, strlen(alphabet), aLetter, 64);
    if (n <= KB_SPELL_MIN_CP || n == KB_SPELL_MAX_CP || nLetter < 0 || strpbrk(word, "0123456789")) return 0;
    /* a candidate more sections hold than the word itself: of two or more */
    int own = S_word_df(s, t, word), least = own > 1 ? own : 1;
    for (int k = 0; k < n; k++) cps[k] = utf8proc_tolower(cps[k]); /* caps lock: "SEGRIDAD" */
    S_best_word b = {s, t, least, out, cap};
    S_try_edits(&b, cps, n, typos, aLetter, nLetter);
    if ((typos & KB_SPELL_SOUNDS_ALIKE) && strcmp(s->lang, "es") == 0) S_try_sounds_alike(&b, cps, n);
    return b.df > least ? b.df : 0;
}
