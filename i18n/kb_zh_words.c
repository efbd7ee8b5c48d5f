/* kb_zh_words.c: rewriting by binary search of the generated table
 * (kb_zh_words_table.c), each position's longest word first. */
#include "kb_zh_words.h"

#include "kb_han.h"
#include "kb_util.h"
#include "kb_zh_words_table.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define S_MAX_CHARS 64 /* a longer run is not rewritten (and one bit each in a uint64_t) */

/* The table's entry for the mainland word key (NUL-terminated), or NULL. */
static const struct kb_zh_word *S_find(const char *key) {
    unsigned lo = 0, hi = kb_zh_words_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        int c = strcmp(kb_zh_words_table[mid].mainland, key);
        if (c == 0) return &kb_zh_words_table[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

/* How many characters word has. */
static int S_chars(const char *word) { return (int)kb_utf8_chars(word, strlen(word)); }

/* Whether the Simplified characters a[0..n) start with word, read in Simplified. */
static int S_starts_with(const int32_t *a, int n, const char *word) {
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)word;
    int i = 0;
    for (utf8proc_int32_t cp; *p; i++) {
        utf8proc_ssize_t len = utf8proc_iterate(p, -1, &cp);
        if (len <= 0 || i >= n || kb_han_simplify(cp) != a[i]) return 0;
        p += len;
    }
    return 1;
}

/* The longest mainland word that starts a[0..n), or NULL; in text typed
 * in Taiwan's characters (bTaiwan), only a word Taiwan types too. */
static const struct kb_zh_word *S_longest_at(const int32_t *a, int n, int bTaiwan) {
    char key[S_MAX_CHARS * 4 + 1];
    int longest = n < (int)kb_zh_words_longest ? n : (int)kb_zh_words_longest;
    for (int len = longest; len >= 2; len--) {
        int k = 0;
        for (int i = 0; i < len; i++) k += (int)utf8proc_encode_char(a[i], (utf8proc_uint8_t *)key + k);
        key[k] = '\0';
        const struct kb_zh_word *w = S_find(key);
        if (w && (!bTaiwan || w->typedInTaiwan)) return w;
    }
    return NULL;
}

/* Appends the word z[0..n) of nChar characters to out; apart, with a
 * space before it if out has text, and not at all if it is a character
 * alone: the index holds one only in bigrams, which its neighbours,
 * rewritten, no longer make. */
static void S_add_word(kb_buf *out, const char *z, size_t n, int nChar, int bApart) {
    if (bApart && nChar < 2) return;
    if (bApart && out->n) kb_buf_addc(out, ' ');
    kb_buf_add(out, z, n);
}

char *kb_zh_words_taiwan(const char *z, size_t n, int bApart, uint64_t *pRewritten) {
    uint64_t rewritten = 0;
    if (pRewritten) *pRewritten = 0;
    int32_t a[S_MAX_CHARS];         /* the text's characters, all Simplified */
    size_t aOff[S_MAX_CHARS + 1];   /* where each starts in z, and the end */
    int nChar = 0, bTaiwan = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)z + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0 || nChar == S_MAX_CHARS) return NULL;
        bTaiwan |= kb_han_is_traditional(cp);
        aOff[nChar] = i;
        a[nChar++] = kb_han_simplify(cp); /* a variant (账) as the table spells it */
        i += (size_t)len;
    }
    aOff[nChar] = n;
    kb_buf out = {0};
    int bRewritten = 0, iSame = 0; /* the text as written since iSame */
    for (int i = 0; i < nChar;) {
        const struct kb_zh_word *w = S_longest_at(a + i, nChar - i, bTaiwan);
        int nSame = w && S_starts_with(a + i, nChar - i, w->taiwan) ? S_chars(w->taiwan) : !w;
        if (nSame) { /* no word here, or Taiwan's already: as written */
            i += nSame;
            continue;
        }
        S_add_word(&out, z + aOff[iSame], aOff[i] - aOff[iSame], i - iSame, bApart);
        S_add_word(&out, w->taiwan, strlen(w->taiwan), 2, bApart);
        for (int end = i + S_chars(w->mainland); i < end; i++) rewritten |= (uint64_t)1 << i;
        iSame = i;
        bRewritten = 1;
    }
    if (!bRewritten) {
        kb_buf_free(&out);
        return NULL;
    }
    if (pRewritten) *pRewritten = rewritten;
    S_add_word(&out, z + aOff[iSame], n - aOff[iSame], nChar - iSame, bApart);
    return kb_buf_detach(&out);
}
