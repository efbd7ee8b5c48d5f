/* kb_tok.c: the text pipeline shared by the indexer and the query path, and
 * its FTS5 tokenizer "kb".
 *
 * Segmentation. Every code point is classified by its Unicode properties
 * (utf8proc): letters, numbers and marks (L*, N*, M*) are word characters;
 * Han, Hiragana, Katakana and Hangul code points (decided by range) form CJK
 * runs; default-ignorable characters (soft hyphen, zero-width joiners) are
 * skipped inside a word; everything else, including invalid UTF-8 (read as
 * U+FFFD), separates words. Bytes below 0x80 are classified through a table
 * that kb_tok_new fills from the same utf8proc properties, so the ASCII fast
 * path cannot disagree with the Unicode path.
 *
 * Token stream (one position per token unless marked "colocated"):
 *  - A word is one token: NFKC + case fold, stemmed in the table's language
 *    unless it holds a digit, then diacritics stripped. Stemming comes before
 *    stripping because Snowball's Spanish (and others) need the accents:
 *    "configuración" -> "configur", whereas "configuracion" is left alone.
 *  - DOCUMENT mode adds colocated tokens at the word's position:
 *      * for an accented word, the token of the unaccented spelling, so that a
 *        query typed without accents ("configuracion") still finds it;
 *      * the parts of a CamelCase or letter/digit word ("MSOnlineBackup" ->
 *        "ms", "online", "backup"; "KB4012345" -> "kb", "4012345"), parts of
 *        at least two code points, each through the same word pipeline;
 *      * the digits of a hex code ("0x80070570" -> "80070570").
 *    The whole word keeps exactly one position, so a phrase containing an
 *    identifier ("Microsoft.Azure.OnlineBackup.dll", "Stop MSOnlineBackup
 *    now") matches whatever the casing typed. The price: the parts of one word
 *    share its position, so "online backup" matches MSOnlineBackup as two
 *    terms (AND, NEAR) but not as the strict phrase "online backup".
 *  - Dotted identifiers and paths are word sequences: "CBengine.exe" is
 *    "cbengin" "exe", which a query for the same text reproduces as a phrase.
 *  - CJK runs become overlapping bigrams (one token for a one-character run).
 *    A run continues across a single space between two CJK characters, so
 *    "エラー メッセージ" and "エラーメッセージ" give the same bigrams.
 *  - QUERY mode emits only the main tokens; with FTS5's prefix flag the word
 *    is folded but not stemmed.
 */
#include "kb_tok.h"

#include "kb_han.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_util.h"
#include "kb_vocab.h"

#include <libstemmer.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#ifdef KB_SQLITE_EXTENSION
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#else
#include <sqlite3.h>
#endif

#define KB_TOK_MAX_CP 64                         /* longer words are truncated */
#define KB_TOK_CP_CAP (KB_TOK_MAX_CP * 18 + 64)  /* NFKD expands a code point to at most 18 */
#define KB_TOK_OUT_CAP (KB_TOK_CP_CAP * 4 + 8)
#define KB_TOK_MAX_PART 16

enum { KB_C_SEP = 0, KB_C_WORD, KB_C_CJK, KB_C_JOIN };

/* Case shape of a word character, for CamelCase splitting. */
enum { KB_S_OTHER = 0, KB_S_UPPER, KB_S_LOWER, KB_S_DIGIT, KB_S_MARK };

#define KB_TOK_FOLD_OPTS \
    (UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_IGNORE)

/* Stemming dominates the cost of tokenizing (Snowball is ~60% of the time),
 * and word frequencies are Zipfian: a small direct-mapped cache of word ->
 * token makes most words cost a hash and a compare. */
#define KB_TOK_MAX_TARGETS 64         /* one bit each in a uint64_t */
#define KB_TOK_TARGET_LEAD 6   /* leading letters a matching word shares with its token, at most */
#define KB_TOK_CACHE_SIZE 4096 /* entries, a power of two */
#define KB_TOK_CACHE_AFTER 512 /* words stemmed without a cache first */
#define KB_TOK_TARGET_CACHE_SIZE 128 /* entries, a power of two: the words that pass the target filter */
#define KB_TOK_CACHE_KEY 24
#define KB_TOK_CACHE_TOK 32
#define KB_TOK_NOT_PROBLEM_CAP 24 /* a longer token is no problem's word */
/* The most words, and bytes, a not-problem phrase may start before its
 * problem word: the vocabulary's longest phrase says how many words it
 * needs ("dominios de actualización y errores": four). test_tok checks
 * every phrase of vocab.tsv, so one past these bounds fails there, not
 * silently. */
#define KB_TOK_PHRASE_BACK_MAX 8
#define KB_TOK_PHRASE_BACK_BYTES 96
typedef struct S_cache {
    unsigned char nKey, nMain, nAlt; /* nKey 0: empty */
    char zKey[KB_TOK_CACHE_KEY];
    char zMain[KB_TOK_CACHE_TOK];
    char zAlt[KB_TOK_CACHE_TOK];
} S_cache;

struct kb_tok {
    char zLang[8];                    /* the language asked for ("zh"), stemmed or not */
    S_cache *aCache;             /* only when stemming, allocated once a text proves long */
    S_cache *aTargetCache;       /* with targets: the words the filter lets through */
    unsigned nUncached;               /* words stemmed before the cache was allocated */
    struct sb_stemmer *pStem;
    int bFast;                        /* ASCII fast paths enabled (tests turn them off) */
    int bSpanish;                     /* S_es_accented applies */
    int bSimplify;                    /* Chinese: Han characters read in Simplified (kb_han.h) */
    int bTargets;                     /* kb_tok_set_targets: stem only words that may match */
    int nTarget;
    char aTarget[KB_TOK_MAX_TARGETS][KB_TOK_TARGET_LEAD]; /* leading letters of each token */
    unsigned char aTargetLead[KB_TOK_MAX_TARGETS];       /* how many of them a word must share */
    uint64_t aTargetByFirst[0x80];    /* bit i: target i starts with this letter, or compares none */
    int bWUnmatched;                  /* the word just folded was skipped by the target filter */
    /* the word being tokenized */
    int nWCp;                         /* code points recorded (<= KB_TOK_MAX_CP) */
    int aWOff[KB_TOK_MAX_CP + 1];     /* byte offset of each code point, and the end */
    unsigned char aWShape[KB_TOK_MAX_CP];
    int bWDigit;                      /* a recorded code point is a digit */
    int bWInnerUpper;                 /* one after the first is upper-case */
    /* scratch, so tokenizing allocates nothing; always written before it
     * is read, so kb_tok_new leaves it as malloc gives it (30 KB) */
    int32_t aCp[KB_TOK_CP_CAP];
    char zFold[KB_TOK_OUT_CAP];       /* case-folded, accents kept: stemmer input */
    char zTok[KB_TOK_OUT_CAP];        /* the token being emitted */
    char zMain[KB_TOK_OUT_CAP];       /* the word's main token, to skip duplicates */
    char zUnit[2][16];                /* folded CJK units: previous and current */
    int nUnit[2];
    int aPart[KB_TOK_MAX_PART][2];    /* emitted parts: offset in zParts, length */
    char zParts[KB_TOK_OUT_CAP];
    char zAltTmp[KB_TOK_OUT_CAP];
};

/* ---- code points ---------------------------------------------------------------- */

/* Decodes one code point at z[i] (i < n). Invalid or truncated sequences are
 * U+FFFD of length 1, so the caller always advances and never reads past n. */
static inline __attribute__((always_inline)) int S_decode(const unsigned char *z, int n, int i, int32_t *pCp)
{
    unsigned c = z[i];
    int len;
    int32_t cp;
    unsigned lo = 0x80, hi = 0xBF;
    if (c < 0x80) { *pCp = (int32_t)c; return 1; }
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = (int32_t)(c & 0x1F); }
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; cp = (int32_t)(c & 0x0F);
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; cp = (int32_t)(c & 0x07);
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
    } else { *pCp = 0xFFFD; return 1; }
    if (i + len > n) { *pCp = 0xFFFD; return 1; }
    for (int k = 1; k < len; k++) {
        unsigned b = z[i + k];
        if (b < lo || b > hi) { *pCp = 0xFFFD; return 1; }
        lo = 0x80; hi = 0xBF;
        cp = (cp << 6) | (int32_t)(b & 0x3F);
    }
    *pCp = cp;
    return len;
}

/* Han (unified, extensions, compatibility), kana and Hangul, plus the
 * ideographic iteration and closing marks. */
static int S_is_cjk_range(int32_t cp)
{
    if (cp < 0x1100) return 0;
    return (cp >= 0x1100 && cp <= 0x11FF)     /* Hangul Jamo */
        || (cp >= 0x3005 && cp <= 0x3007)     /* 々 〆 〇 */
        || (cp >= 0x3021 && cp <= 0x3029)     /* Hangzhou numerals */
        || (cp >= 0x3040 && cp <= 0x309F)     /* Hiragana */
        || (cp >= 0x30A0 && cp <= 0x30FF)     /* Katakana, incl. ー U+30FC */
        || (cp >= 0x3130 && cp <= 0x318F)     /* Hangul compatibility Jamo */
        || (cp >= 0x31F0 && cp <= 0x31FF)     /* Katakana phonetic extensions */
        || (cp >= 0x3400 && cp <= 0x4DBF)     /* CJK extension A */
        || (cp >= 0x4E00 && cp <= 0x9FFF)     /* CJK unified ideographs */
        || (cp >= 0xA960 && cp <= 0xA97F)     /* Hangul Jamo extended A */
        || (cp >= 0xAC00 && cp <= 0xD7FF)     /* Hangul syllables, Jamo extended B */
        || (cp >= 0xF900 && cp <= 0xFAFF)     /* CJK compatibility ideographs */
        || (cp >= 0xFF66 && cp <= 0xFF9F)     /* halfwidth Katakana */
        || (cp >= 0xFFA0 && cp <= 0xFFDC)     /* halfwidth Hangul */
        || (cp >= 0x1B000 && cp <= 0x1B16F)   /* Kana supplement, extended A */
        || (cp >= 0x20000 && cp <= 0x323AF);  /* extensions B..H, compatibility supplement */
}

int kb_tok_is_cjk(int32_t cp)
{
    return S_is_cjk_range(cp);
}

static int S_is_mark_cat(utf8proc_category_t cat)
{
    return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

static int S_class_slow(int32_t cp)
{
    utf8proc_category_t cat = utf8proc_category(cp);
    int bWord = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO);
    if (bWord && S_is_cjk_range(cp)) return KB_C_CJK;
    if (bWord) return KB_C_WORD;
    /* Soft hyphen, joiners: invisible inside a word. Zero-width space is a
     * word break (Thai, Khmer), not a joiner. */
    if (cp != 0x200B && utf8proc_get_property(cp)->ignorable) return KB_C_JOIN;
    return KB_C_SEP;
}

static int S_shape_slow(int32_t cp)
{
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return KB_S_UPPER;
    case UTF8PROC_CATEGORY_LL: return KB_S_LOWER;
    case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO: return KB_S_DIGIT;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME: return KB_S_MARK;
    default: return KB_S_OTHER;
    }
}

/* The class and shape of each ASCII code point, from the same properties,
 * computed once per process: every tokenizer reads them. */
static unsigned char aAsciiClass[0x80], aAsciiShape[0x80];
static pthread_once_t asciiOnce = PTHREAD_ONCE_INIT;

static void S_ascii_init(void)
{
    for (int32_t cp = 0; cp < 0x80; cp++) {
        aAsciiClass[cp] = (unsigned char)S_class_slow(cp);
        aAsciiShape[cp] = (unsigned char)S_shape_slow(cp);
    }
}

/* Han ideographs and Hangul syllables, the bulk of CJK text: every code
 * point of these blocks is a letter (Lo), never a mark. */
static int S_is_cjk_letter(int32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3);
}

static int S_class(int32_t cp)
{
    if (cp < 0x80) return aAsciiClass[cp];
    return S_is_cjk_letter(cp) ? KB_C_CJK : S_class_slow(cp);
}

/* Diacritics are stripped after bases of alphabetic scripts whose accents
 * are optional in search (Latin, Greek, Cyrillic, Armenian, Hebrew points,
 * Arabic harakat). Elsewhere (Devanagari, Tamil, kana dakuten...) a mark is
 * a vowel or a distinct letter, and removing it would merge unrelated words. */
static int S_strips_after(int32_t base)
{
    return base < 0x0700 || (base >= 0x1E00 && base <= 0x1FFF) || (base >= 0x2C60 && base <= 0x2C7F)
        || (base >= 0xA720 && base <= 0xA7FF) || (base >= 0xAB30 && base <= 0xAB6F);
}

/* ---- folding ------------------------------------------------------------------ */

static int S_encode(const int32_t *a, int n, char *zOut, int cap)
{
    int k = 0;
    for (int i = 0; i < n && k + 4 < cap; i++)
        k += (int)utf8proc_encode_char(a[i], (utf8proc_uint8_t *)zOut + k);
    zOut[k] = '\0';
    return k;
}

/* Removes strippable marks from a decomposed sequence; returns the new length.
 * *pbStripped is set if anything was removed. */
static int S_strip(int32_t *a, int n, int *pbStripped)
{
    int32_t base = 0;
    int k = 0;
    for (int i = 0; i < n; i++) {
        utf8proc_category_t cat = utf8proc_category(a[i]);
        if (S_is_mark_cat(cat)) {
            if (cat != UTF8PROC_CATEGORY_MC && S_strips_after(base)) { *pbStripped = 1; continue; }
        } else {
            base = a[i];
        }
        a[k++] = a[i];
    }
    return k;
}

static int S_has_strippable(const int32_t *a, int n)
{
    int32_t base = 0;
    for (int i = 0; i < n; i++) {
        utf8proc_category_t cat = utf8proc_category(a[i]);
        if (!S_is_mark_cat(cat)) base = a[i];
        else if (cat != UTF8PROC_CATEGORY_MC && S_strips_after(base)) return 1;
    }
    return 0;
}

/* z[0..n) -> NFKD + case fold into a[]; -1 if it does not fit (or is invalid). */
static int S_decompose(const char *z, int n, int32_t *a, int cap, int opts)
{
    utf8proc_ssize_t r = utf8proc_decompose((const utf8proc_uint8_t *)z, n, a, cap, (utf8proc_option_t)opts);
    if (r < 0 || r > cap) return -1;
    return (int)r;
}

static int S_compose(int32_t *a, int n)
{
    utf8proc_ssize_t r = utf8proc_normalize_utf32(a, n, (utf8proc_option_t)(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    return r < 0 ? 0 : (int)r;
}

static int S_is_ascii(const char *z, int n)
{
    for (int i = 0; i < n; i++)
        if ((unsigned char)z[i] >= 0x80) return 0;
    return 1;
}

/* A Spanish word typed without the accent of a suffix the Snowball stemmer
 * finds only with it, into buf with the accent ("configuracion" ->
 * "configuración"), its length into *pn; NULL for any other word. Typed
 * so, "configuracion" stayed whole and found "configuración" (whose
 * unaccented spelling is indexed too) but not "configuraciones". */
static const char *S_es_accented(const char *z, int n, char *buf, int cap, int *pn)
{
    static const struct { const char *zPlain, *zAccented; } aSuffix[] = {
        {"acion", "ación"}, {"ucion", "ución"}, {"logia", "logía"}, {"logias", "logías"}};
    for (size_t i = 0; i < sizeof aSuffix / sizeof aSuffix[0]; i++) {
        int nPlain = (int)strlen(aSuffix[i].zPlain), nAccented = (int)strlen(aSuffix[i].zAccented);
        if (n <= nPlain || memcmp(z + n - nPlain, aSuffix[i].zPlain, (size_t)nPlain) != 0) continue;
        if (n - nPlain + nAccented > cap) return NULL;
        memcpy(buf, z, (size_t)(n - nPlain));
        memcpy(buf + n - nPlain, aSuffix[i].zAccented, (size_t)nAccented);
        *pn = n - nPlain + nAccented;
        return buf;
    }
    return NULL;
}

/* Stems z[0..n) (lower-case UTF-8); returns the stem and its length, or z. */
static const char *S_stem(kb_tok *t, const char *z, int n, int *pn)
{
    char aAccented[64];
    int nAccented;
    const char *zAccented = t->bSpanish ? S_es_accented(z, n, aAccented, (int)sizeof aAccented, &nAccented) : NULL;
    const sb_symbol *p = zAccented ? sb_stemmer_stem(t->pStem, (const sb_symbol *)zAccented, nAccented)
                                   : sb_stemmer_stem(t->pStem, (const sb_symbol *)z, n);
    if (!p) { *pn = n; return z; }
    *pn = sb_stemmer_length(t->pStem);
    return (const char *)p;
}

/* Strips the marks of UTF-8 z[0..n) into zOut (NFC). */
static int S_strip_utf8(kb_tok *t, const char *z, int n, char *zOut, int *pbStripped)
{
    int nc = S_decompose(z, n, t->aCp, KB_TOK_CP_CAP, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE);
    if (nc < 0) { zOut[0] = '\0'; return 0; }
    nc = S_strip(t->aCp, nc, pbStripped);
    nc = S_compose(t->aCp, nc);
    return S_encode(t->aCp, nc, zOut, KB_TOK_OUT_CAP);
}

static char S_ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

/* The base letter of the Latin-1 letter whose UTF-8 second byte (after
 * 0xC3) is b, lower-case, or 0: the letters that decompose into an ASCII
 * letter and a mark, which folding strips ("É" -> 'e', "ñ" -> 'n'); not
 * "æ", "ø" or "ß", which fold to something else. */
static char S_latin1_base(unsigned char b)
{
    static const char aBase[64] = "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0\0aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y";
    return b >= 0x80 && b <= 0xBF ? aBase[b - 0x80] : 0;
}

/* 0 if the word z[0..n) cannot stem into a target token: its leading
 * letters, lower-cased and without accents, differ from every token's (a
 * 'y' counts as any letter: English turns "dying" into "die"). Letters
 * from the first one that is neither ASCII nor an accented Latin-1 letter
 * on are not compared: folding may change their bytes. */
static int S_may_match(const kb_tok *t, const char *z, int n)
{
    char aLead[KB_TOK_TARGET_LEAD];
    int nLead = 0;
    for (int i = 0; nLead < KB_TOK_TARGET_LEAD && i < n; i++) {
        unsigned char c = (unsigned char)z[i];
        char base = c < 0x80 ? S_ascii_lower((char)c)
                    : c == 0xC3 && i + 1 < n ? S_latin1_base((unsigned char)z[++i]) : 0;
        if (!base) break;
        aLead[nLead++] = base;
    }
    if (nLead == 0) return t->nTarget > 0;
    /* Only the targets that start with the word's first letter (any, for
     * a 'y') can match: every word of a section is asked. */
    uint64_t cand = t->aTargetByFirst[aLead[0] == 'y' ? 0 : (unsigned char)aLead[0]];
    while (cand) {
        int i = __builtin_ctzll(cand);
        cand &= cand - 1;
        const char *a = t->aTarget[i];
        int k = 1, nCmp = t->aTargetLead[i] < nLead ? t->aTargetLead[i] : nLead;
        while (k < nCmp && (a[k] == aLead[k] || aLead[k] == 'y')) k++;
        if (k >= nCmp) return 1;
    }
    return 0;
}

/* The word pipeline: case fold (accents kept), stem, strip accents.
 * z[0..n) is valid UTF-8. Writes the token into zOut. If zAlt is given and
 * the word had accents, also writes the token of its unaccented spelling
 * (strip, then stem) there when it differs, else zAlt = "". */
static int S_fold_word_uncached(kb_tok *t, const char *z, int n, int bStem, char *zOut, char *zAlt)
{
    int nOut, bStripped = 0;
    if (zAlt) zAlt[0] = '\0';
    if (!t->pStem) bStem = 0;

    if (t->bFast && S_is_ascii(z, n)) {
        /* ASCII: NFKC is the identity and case folding is A-Z -> a-z. */
        for (int i = 0; i < n; i++) zOut[i] = S_ascii_lower(z[i]);
        zOut[n] = '\0';
        if (!bStem) return n;
        if (t->bTargets && !S_may_match(t, zOut, n)) {
            t->bWUnmatched = 1;
            return n;
        }
        int nStem;
        const char *zStem = S_stem(t, zOut, n, &nStem);
        if (S_is_ascii(zStem, nStem)) {
            memmove(zOut, zStem, (size_t)nStem);
            zOut[nStem] = '\0';
            return nStem;
        }
        memcpy(t->zFold, zStem, (size_t)nStem);
        return S_strip_utf8(t, t->zFold, nStem, zOut, &bStripped);
    }

    if (bStem && t->bTargets && n < KB_TOK_OUT_CAP && !S_may_match(t, z, n)) {
        /* matches nothing whatever its token: skip folding and stemming */
        for (int i = 0; i < n; i++) zOut[i] = S_ascii_lower(z[i]);
        zOut[n] = '\0';
        t->bWUnmatched = 1;
        return n;
    }
    int nc = S_decompose(z, n, t->aCp, KB_TOK_CP_CAP, KB_TOK_FOLD_OPTS);
    if (nc < 0) { zOut[0] = '\0'; return 0; }
    if (!bStem) {
        nc = S_strip(t->aCp, nc, &bStripped);
        nc = S_compose(t->aCp, nc);
        return S_encode(t->aCp, nc, zOut, KB_TOK_OUT_CAP);
    }

    /* Case-folded with accents: what the stemmer expects. */
    int bAccented = zAlt && S_has_strippable(t->aCp, nc);
    nc = S_compose(t->aCp, nc);
    int nFold = S_encode(t->aCp, nc, t->zFold, KB_TOK_OUT_CAP);
    int nStem;
    const char *zStem = S_stem(t, t->zFold, nFold, &nStem);
    /* zStem lives in the stemmer; copy before reusing the stemmer. */
    memcpy(zOut, zStem, (size_t)nStem);
    zOut[nStem] = '\0';
    memcpy(t->zFold, zOut, (size_t)nStem + 1);
    nOut = S_strip_utf8(t, t->zFold, nStem, zOut, &bStripped);

    if (zAlt && bAccented) {
        int bAltStripped = 0;
        nc = S_decompose(z, n, t->aCp, KB_TOK_CP_CAP, KB_TOK_FOLD_OPTS);
        nc = S_strip(t->aCp, nc < 0 ? 0 : nc, &bAltStripped);
        nc = S_compose(t->aCp, nc);
        nFold = S_encode(t->aCp, nc, t->zFold, KB_TOK_OUT_CAP);
        zStem = S_stem(t, t->zFold, nFold, &nStem);
        if (bAltStripped && (nStem != nOut || memcmp(zStem, zOut, (size_t)nOut) != 0)) {
            memcpy(zAlt, zStem, (size_t)nStem);
            zAlt[nStem] = '\0';
        }
    }
    return nOut;
}

/* The token of z[0..n) (n <= KB_TOK_CACHE_KEY) through the direct-mapped
 * cache aCache of nCache entries (a power of two); see S_fold_word. */
static int S_fold_cached(kb_tok *t, S_cache *aCache, uint32_t nCache, const char *z, int n, char *zOut,
                              char *zAlt)
{
    S_cache *e = &aCache[kb_hash(z, (size_t)n) & (nCache - 1)];
    if (e->nKey != n || memcmp(e->zKey, z, (size_t)n) != 0) {
        /* miss: compute with the alternative token too, so one entry serves both modes */
        int nMain = S_fold_word_uncached(t, z, n, 1, zOut, t->zAltTmp);
        int nAlt = (int)strlen(t->zAltTmp);
        if (nMain >= KB_TOK_CACHE_TOK || nAlt >= KB_TOK_CACHE_TOK) {
            if (zAlt) memcpy(zAlt, t->zAltTmp, (size_t)nAlt + 1);
            return nMain;
        }
        e->nKey = (unsigned char)n;
        memcpy(e->zKey, z, (size_t)n);
        e->nMain = (unsigned char)nMain;
        memcpy(e->zMain, zOut, (size_t)nMain);
        e->nAlt = (unsigned char)nAlt;
        memcpy(e->zAlt, t->zAltTmp, (size_t)nAlt);
    }
    memcpy(zOut, e->zMain, e->nMain);
    zOut[e->nMain] = '\0';
    if (zAlt) {
        memcpy(zAlt, e->zAlt, e->nAlt);
        zAlt[e->nAlt] = '\0';
    }
    return e->nMain;
}

/* With targets, a word the filter rules out is only lower-cased. The words
 * it lets through are mostly the query's own, over and over ("volumen" in
 * every paragraph of a section on volumes): they are stemmed once each,
 * through a cache small enough to cost no page fault. */
static int S_fold_target(kb_tok *t, const char *z, int n, char *zOut, char *zAlt)
{
    if (!S_may_match(t, z, n)) {
        for (int i = 0; i < n; i++) zOut[i] = S_ascii_lower(z[i]);
        zOut[n] = '\0';
        if (zAlt) zAlt[0] = '\0';
        t->bWUnmatched = 1;
        return n;
    }
    if (!t->aTargetCache) t->aTargetCache = kb_xcalloc(KB_TOK_TARGET_CACHE_SIZE, sizeof *t->aTargetCache);
    return S_fold_cached(t, t->aTargetCache, KB_TOK_TARGET_CACHE_SIZE, z, n, zOut, zAlt);
}

static int S_fold_word(kb_tok *t, const char *z, int n, int bStem, char *zOut, char *zAlt)
{
    /* The caches serve the fast path. */
    t->bWUnmatched = 0;
    if (!bStem || !t->bFast || !t->pStem || n > KB_TOK_CACHE_KEY)
        return S_fold_word_uncached(t, z, n, bStem, zOut, zAlt);
    if (t->bTargets) return S_fold_target(t, z, n, zOut, zAlt);
    /* A query stems a handful of words: the 370 KB cache (and its page
     * faults) pays off only for documents. */
    if (!t->aCache) {
        if (++t->nUncached <= KB_TOK_CACHE_AFTER) return S_fold_word_uncached(t, z, n, bStem, zOut, zAlt);
        t->aCache = kb_xcalloc(KB_TOK_CACHE_SIZE, sizeof *t->aCache);
    }
    return S_fold_cached(t, t->aCache, KB_TOK_CACHE_SIZE, z, n, zOut, zAlt);
}

/* Composed kana, Han and Hangul syllables are their own NFKC case fold. */
static int S_cjk_is_stable(int32_t cp)
{
    return (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30F6) || cp == 0x30FC
        || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3);
}

/* Folds one CJK unit (a character and its voicing marks) into zOut (cap 16):
 * NFKC only, no mark stripping (ガ is not カ); in Chinese, Han characters
 * in their Simplified form. */
static int S_fold_unit(kb_tok *t, const char *z, int n, int32_t cpFirst, char *zOut)
{
    int32_t a[16];
    if (t->bFast && n <= 4 && S_cjk_is_stable(cpFirst)) {
        int32_t cp;
        if (S_decode((const unsigned char *)z, n, 0, &cp) == n) {
            if (t->bSimplify && (cp = kb_han_simplify(cp)) != cpFirst) return S_encode(&cp, 1, zOut, 16);
            memcpy(zOut, z, (size_t)n);
            zOut[n] = '\0';
            return n;
        }
    }
    int nc = S_decompose(z, n, a, 3, KB_TOK_FOLD_OPTS); /* bounded: 3 code points fit in zOut */
    if (nc < 0) { zOut[0] = '\0'; return 0; }
    nc = S_compose(a, nc);
    if (t->bSimplify)
        for (int i = 0; i < nc; i++) a[i] = kb_han_simplify(a[i]);
    return S_encode(a, nc, zOut, 16);
}

/* ---- tokenizing ----------------------------------------------------------------- */

typedef struct S_run_ctx {
    kb_tok *t;
    int mode;
    int bPrefix;
    const char *z;
    int nText;
    void *ctx;
    kb_tok_fn fn;
} S_run_ctx;

/* 1 if the part zTok[0..n) was not emitted yet for this word (and records it). */
static int S_part_is_new(kb_tok *t, int *pnPart, const char *zTok, int n)
{
    if (n == (int)strlen(t->zMain) && memcmp(zTok, t->zMain, (size_t)n) == 0) return 0;
    for (int i = 0; i < *pnPart; i++)
        if (t->aPart[i][1] == n && memcmp(t->zParts + t->aPart[i][0], zTok, (size_t)n) == 0) return 0;
    int iOff = *pnPart ? t->aPart[*pnPart - 1][0] + t->aPart[*pnPart - 1][1] : 0;
    if (*pnPart >= KB_TOK_MAX_PART || iOff + n > KB_TOK_OUT_CAP) return 0;
    memcpy(t->zParts + iOff, zTok, (size_t)n);
    t->aPart[*pnPart][0] = iOff;
    t->aPart[*pnPart][1] = n;
    (*pnPart)++;
    return 1;
}

/* Emits the part made of the word's code points [i, j) as a colocated token. */
static int S_emit_part(S_run_ctx *p, int i, int j, int *pnPart)
{
    kb_tok *t = p->t;
    int nCp = 0, bDigit = 0;
    for (int k = i; k < j; k++) {
        if (t->aWShape[k] != KB_S_MARK) nCp++;
        if (t->aWShape[k] == KB_S_DIGIT) bDigit = 1;
    }
    if (nCp < 2) return 0;
    int iStart = t->aWOff[i], iEnd = t->aWOff[j];
    int n = S_fold_word(t, p->z + iStart, iEnd - iStart, !bDigit, t->zTok, NULL);
    if (n == 0 || !S_part_is_new(t, pnPart, t->zTok, n)) return 0;
    return p->fn(p->ctx, KB_TOK_COLOCATED | (t->bWUnmatched ? KB_TOK_UNMATCHED : 0), t->zTok, n, iStart, iEnd);
}

/* Shape of code point k, a mark taking the shape of its base. */
static int S_shape_at(const kb_tok *t, int k)
{
    while (k > 0 && t->aWShape[k] == KB_S_MARK) k--;
    return t->aWShape[k];
}

/* Emits the CamelCase and letter/digit parts of the recorded word. */
static int S_emit_parts(S_run_ctx *p)
{
    kb_tok *t = p->t;
    int rc = 0, nPart = 0, iPart = 0, nBoundary = 0;
    const char *zMain = t->zMain;

    /* A hex code: its digits alone, so "80070570" finds "0x80070570". */
    size_t nMain = strlen(zMain);
    if (nMain > 2 && zMain[0] == '0' && zMain[1] == 'x' && strspn(zMain + 2, "0123456789abcdef") == nMain - 2) {
        if (t->nWCp < 3) return 0;
        return p->fn(p->ctx, KB_TOK_COLOCATED, zMain + 2, (int)nMain - 2, t->aWOff[2], t->aWOff[t->nWCp]);
    }
    for (int k = 1; rc == 0 && k <= t->nWCp; k++) {
        int bBoundary = 0;
        if (k < t->nWCp && t->aWShape[k] != KB_S_MARK) {
            int prev = S_shape_at(t, k - 1), cur = t->aWShape[k];
            int next = k + 1 < t->nWCp ? S_shape_at(t, k + 1) : KB_S_OTHER;
            if (prev == KB_S_LOWER && cur == KB_S_UPPER) bBoundary = 1;                      /* oB */
            else if (prev == KB_S_UPPER && cur == KB_S_UPPER && next == KB_S_LOWER) bBoundary = 1; /* MSOn */
            else if ((prev == KB_S_DIGIT) != (cur == KB_S_DIGIT)) bBoundary = 1;             /* kb4 */
        }
        if (k == t->nWCp && nBoundary == 0) break; /* one part: the word itself */
        if (bBoundary || k == t->nWCp) {
            nBoundary++;
            rc = S_emit_part(p, iPart, k, &nPart);
            iPart = k;
        }
    }
    return rc;
}

/* For S_phrase_starts: any byte but ASCII punctuation and spaces. */
static int S_is_letter_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Where the phrase holding the word at iStart may start: the word itself
 * and up to nBack words before it, found by walking back over at most
 * KB_TOK_PHRASE_BACK_BYTES bytes (phrases are short). Non-ASCII bytes
 * count as letters, so a start may be a "¿", which kb_vocab_starts skips as
 * markup. Returns how many, the nearest first. */
static int S_phrase_starts(const char *z, int iStart, int nBack, int *aStart)
{
    const unsigned char *u = (const unsigned char *)z;
    int n = 0, floor = iStart > KB_TOK_PHRASE_BACK_BYTES ? iStart - KB_TOK_PHRASE_BACK_BYTES : 0;
    aStart[n++] = iStart;
    for (int i = iStart - 1; i >= floor && n <= nBack; i--)
        if (S_is_letter_byte(u[i]) && (i == 0 || !S_is_letter_byte(u[i - 1]))) aStart[n++] = i;
    return n;
}

/* 1 if the word [iStart, iEnd) is the problem's word of a phrase that
 * names no problem ("error" of "migración tras error"). Only such a word
 * (kb_vocab_is_not_problem_word), one of a hundred, reads the words
 * before it. */
static int S_in_not_problem(S_run_ctx *p, int iStart, int iEnd)
{
    if (!kb_vocab_is_not_problem_word(p->z + iStart, (size_t)(iEnd - iStart))) return 0;
    int aStart[KB_TOK_PHRASE_BACK_MAX + 1];
    int nBack = kb_vocab_max_words(KB_VOCAB_NOT_PROBLEM) - 1;
    if (nBack > KB_TOK_PHRASE_BACK_MAX) nBack = KB_TOK_PHRASE_BACK_MAX;
    int nStart = S_phrase_starts(p->z, iStart, nBack, aStart);
    for (int k = 0; k < nStart; k++) {
        int s = aStart[k];
        size_t end = 0;
        if (kb_vocab_starts(KB_VOCAB_NOT_PROBLEM, p->z + s, (size_t)(p->nText - s), &end) && s + (int)end >= iEnd)
            return 1;
    }
    return 0;
}

/* Emits the word of code points recorded in t (text bytes [iStart, iEnd)). */
static int S_emit_word(S_run_ctx *p, int iStart, int iEnd)
{
    kb_tok *t = p->t;
    int bDoc = p->mode == KB_TOK_DOCUMENT;
    int bStem = !p->bPrefix && !t->bWDigit;
    int nFold = t->aWOff[t->nWCp] - iStart; /* bytes of the first KB_TOK_MAX_CP code points */
    int n = S_fold_word(t, p->z + iStart, nFold, bStem, t->zMain, bDoc ? t->zTok : NULL);
    if (n == 0) return 0;
    if (!t->bWUnmatched && n < KB_TOK_NOT_PROBLEM_CAP && S_in_not_problem(p, iStart, iEnd)) {
        memmove(t->zMain + 1, t->zMain, (size_t)n + 1);
        t->zMain[0] = KB_TOK_NOT_PROBLEM_MARK;
        return p->fn(p->ctx, 0, t->zMain, n + 1, iStart, iEnd);
    }
    int rc = p->fn(p->ctx, t->bWUnmatched ? KB_TOK_UNMATCHED : 0, t->zMain, n, iStart, iEnd);
    if (rc || !bDoc) return rc;
    if (t->zTok[0]) rc = p->fn(p->ctx, KB_TOK_COLOCATED, t->zTok, (int)strlen(t->zTok), iStart, iEnd);
    /* Parts start at a digit or an inner capital: most words have neither. */
    if (rc == 0 && (t->bWDigit || t->bWInnerUpper)) rc = S_emit_parts(p);
    return rc;
}

/* Emits the bigrams of a CJK run starting at byte i; returns the byte just past it. */
static int S_cjk_run(S_run_ctx *p, int i, int nText, int *pRc)
{
    kb_tok *t = p->t;
    const unsigned char *z = (const unsigned char *)p->z;
    int nUnits = 0, iPrevStart = 0, iEnd = i;
    int32_t cp;
    *pRc = 0;
    while (i < nText) {
        /* a unit: one CJK character and the voicing marks that follow it */
        int iUnit = i, len = S_decode(z, nText, i, &cp);
        int32_t cpFirst = cp, cpNext;
        if (S_class(cp) != KB_C_CJK) break;
        i += len;
        while (i < nText) {
            int l2 = S_decode(z, nText, i, &cpNext);
            if (S_is_cjk_letter(cpNext)) break; /* the next unit */
            if (S_class(cpNext) != KB_C_CJK || !S_is_mark_cat(utf8proc_category(cpNext))) {
                if (cpNext != 0xFF9E && cpNext != 0xFF9F) break; /* halfwidth voiced sound marks */
            }
            i += l2;
        }
        if (i - iUnit > 12) continue; /* a character with a pile of marks: not indexed */
        int cur = nUnits & 1;
        t->nUnit[cur] = S_fold_unit(t, (const char *)z + iUnit, i - iUnit, cpFirst, t->zUnit[cur]);
        if (t->nUnit[cur] == 0) continue; /* folds to nothing (or too much): not indexed */
        if (nUnits > 0) {
            int prev = cur ^ 1;
            char zBi[32];
            memcpy(zBi, t->zUnit[prev], (size_t)t->nUnit[prev]);
            memcpy(zBi + t->nUnit[prev], t->zUnit[cur], (size_t)t->nUnit[cur]);
            *pRc = p->fn(p->ctx, 0, zBi, t->nUnit[prev] + t->nUnit[cur], iPrevStart, i);
            if (*pRc) return i;
        }
        iPrevStart = iUnit;
        iEnd = i;
        nUnits++;
        /* one space between two CJK characters does not end the run */
        if (i < nText && (z[i] == ' ' || (i + 3 <= nText && z[i] == 0xE3 && z[i + 1] == 0x80 && z[i + 2] == 0x80))) {
            int iNext = i + (z[i] == ' ' ? 1 : 3);
            if (iNext < nText) {
                S_decode(z, nText, iNext, &cpNext);
                if (S_class(cpNext) == KB_C_CJK) i = iNext;
            }
        }
    }
    if (nUnits == 1) *pRc = p->fn(p->ctx, 0, t->zUnit[0], t->nUnit[0], iPrevStart, iEnd);
    return i;
}

static int S_run_impl(S_run_ctx *p, int nText)
{
    kb_tok *t = p->t;
    const unsigned char *z = (const unsigned char *)p->z;
    int i = 0, rc = 0;
    while (rc == 0 && i < nText) {
        int32_t cp;
        int len = S_decode(z, nText, i, &cp);
        int cls = S_class(cp);
        if (cls == KB_C_CJK) {
            i = S_cjk_run(p, i, nText, &rc);
            continue;
        }
        if (cls != KB_C_WORD) { i += len; continue; }

        /* A word: word characters, and ignorables between two of them. */
        int iStart = i, iEnd = i;
        t->nWCp = 0;
        t->bWDigit = t->bWInnerUpper = 0;
        while (i < nText) {
            if (z[i] < 0x80) { /* most text: no decoding */
                cp = z[i];
                len = 1;
                cls = aAsciiClass[cp];
            } else {
                len = S_decode(z, nText, i, &cp);
                cls = S_class(cp);
            }
            if (cls == KB_C_JOIN) {
                int iNext = i + len;
                int32_t cpNext;
                if (iNext >= nText) break;
                S_decode(z, nText, iNext, &cpNext);
                if (S_class(cpNext) != KB_C_WORD) break;
                i = iNext;
                continue;
            }
            if (cls != KB_C_WORD) break;
            if (t->nWCp < KB_TOK_MAX_CP) { /* longer words: the rest is not folded */
                int shape = cp < 0x80 ? aAsciiShape[cp] : S_shape_slow(cp);
                t->bWDigit |= shape == KB_S_DIGIT;
                t->bWInnerUpper |= shape == KB_S_UPPER && t->nWCp > 0;
                t->aWOff[t->nWCp] = i;
                t->aWShape[t->nWCp] = (unsigned char)shape;
                t->nWCp++;
                t->aWOff[t->nWCp] = i + len;
            }
            i += len;
            iEnd = i;
        }
        rc = S_emit_word(p, iStart, iEnd);
    }
    return rc;
}

/* ---- public API ----------------------------------------------------------------- */

kb_tok *kb_tok_new(const char *lang)
{
    kb_tok *t = kb_xmalloc(sizeof *t);
    memset(t, 0, offsetof(kb_tok, aCp));
    const char *zAlgo = kb_lang_stemmer(lang);
    t->bFast = 1;
    if (lang) kb_locale_lang(lang, t->zLang, sizeof t->zLang);
    /* Chinese and Japanese docs write English words among their own
     * ("執行 runbook", "VMs"), which their readers inflect as they please:
     * read as English, "runbooks" finds "runbook". */
    if (!zAlgo && (strcmp(t->zLang, "zh") == 0 || strcmp(t->zLang, "ja") == 0)) zAlgo = kb_lang_stemmer("en");
    if (zAlgo) t->pStem = sb_stemmer_new(zAlgo, "UTF_8");
    t->bSimplify = strcmp(t->zLang, "zh") == 0;
    t->bSpanish = strcmp(t->zLang, "es") == 0;
    pthread_once(&asciiOnce, S_ascii_init);
    return t;
}

void kb_tok_free(kb_tok *t)
{
    if (!t) return;
    if (t->pStem) sb_stemmer_delete(t->pStem);
    free(t->aCache);
    free(t->aTargetCache);
    free(t);
}

const char *kb_tok_lang(const kb_tok *t) { return t->pStem ? t->zLang : ""; }

void kb_tok_set_fast_path(kb_tok *t, int bOn)
{
    t->bFast = bOn;
    /* The slow path is the reference: no cache either. */
    free(t->aCache);
    t->aCache = NULL;
}

/* How many leading letters a word shares with its stem, in the language of
 * t, accents aside. Six in Spanish: its stemmer deletes endings, and the
 * one rewrite ("encia" -> "ente") lies in R2, which starts at the 5th
 * letter at the earliest, so the first letter it changes is the 7th
 * ("emergencia" -> "emergent"). Four where the Snowball stemmer only
 * rewrites endings; elsewhere two: the Finnish
 * stemmer undoubles consonants before the final vowels ("issue" -> "isue"),
 * the Serbian one rewrites "ije" inside a word. The Indonesian and Irish
 * ones strip prefixes: none. */
static int S_target_lead(const kb_tok *t)
{
    static const char *const aSuffixOnly[] = {"ca", "da", "de", "en", "eu", "fr", "hu", "it", "lt",
                                              "nb", "nl", "nn", "no", "pt", "ro", "sv", "tr"};
    if (strcmp(t->zLang, "id") == 0 || strcmp(t->zLang, "ga") == 0) return 0;
    if (strcmp(t->zLang, "es") == 0) return 6;
    for (size_t i = 0; i < sizeof aSuffixOnly / sizeof aSuffixOnly[0]; i++)
        if (strcmp(t->zLang, aSuffixOnly[i]) == 0) return 4;
    return 2;
}

void kb_tok_set_targets(kb_tok *t, char *const *aToken, int nToken)
{
    int lead = S_target_lead(t);
    int bWholeStem = strcmp(t->zLang, "es") == 0;
    t->bTargets = nToken >= 0 && nToken <= KB_TOK_MAX_TARGETS && lead > 0;
    t->nTarget = t->bTargets ? nToken : 0;
    for (int i = 0; i < t->nTarget; i++) {
        /* The token's last letter is not compared: stemmers rewrite it
         * ("happy" -> "happi", "skies" -> "sky"); nor anything from a
         * non-ASCII byte on (tokens have no accents). Spanish stems are
         * the word's first letters but for accents ("dejó" -> "dej");
         * where the stemmer rewrites letters ("encia" -> "ente") they lie
         * past a short stem's. Comparing all of "dej", not "de", spares
         * stemming most words of a section. */
        const char *zToken = aToken[i] + (aToken[i][0] == KB_TOK_NOT_PROBLEM_MARK);
        int n = (int)strlen(zToken), k = 0;
        int nCmp = n <= 1 || bWholeStem ? (n < lead ? n : lead) : (n - 1 < lead ? n - 1 : lead);
        while (k < nCmp && (unsigned char)zToken[k] < 0x80) {
            t->aTarget[i][k] = zToken[k];
            k++;
        }
        t->aTargetLead[i] = (unsigned char)k;
    }
    /* Index 0 (never a letter) lists every target: what a 'y' may match. */
    uint64_t anyFirst = 0;
    memset(t->aTargetByFirst, 0, sizeof t->aTargetByFirst);
    for (int i = 0; i < t->nTarget; i++) {
        t->aTargetByFirst[0] |= 1ULL << i;
        if (t->aTargetLead[i] == 0) anyFirst |= 1ULL << i;
        else t->aTargetByFirst[(unsigned char)t->aTarget[i][0]] |= 1ULL << i;
    }
    for (int c = 1; c < 0x80; c++) t->aTargetByFirst[c] |= anyFirst;
    /* the few words still stemmed do not pay for the cache's page faults */
    free(t->aCache);
    t->aCache = NULL;
}

static int S_run_mode(kb_tok *t, int mode, int bPrefix, const char *text, int nText, void *ctx, kb_tok_fn fn)
{
    S_run_ctx c = {t, mode, bPrefix, text, nText, ctx, fn};
    if (!text || nText <= 0) return 0;
    return S_run_impl(&c, nText);
}

int kb_tok_run(kb_tok *t, int mode, const char *text, int nText, void *ctx, kb_tok_fn fn)
{
    return S_run_mode(t, mode, 0, text, nText, ctx, fn);
}

/* What kb_tok_one's callback keeps. */
typedef struct S_one_ctx {
    char *out;
    size_t cap;
    int n;
} S_one_ctx;

static int S_take_one(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd)
{
    (void)flags; (void)iStart; (void)iEnd;
    S_one_ctx *one = ctx;
    if (++one->n > 1 || (size_t)nToken >= one->cap) return 1;
    memcpy(one->out, token, (size_t)nToken);
    one->out[nToken] = '\0';
    return 0;
}

int kb_tok_one(kb_tok *t, const char *z, int n, char *out, size_t cap)
{
    S_one_ctx one = {out, cap, 0};
    return kb_tok_run(t, KB_TOK_QUERY, z, n, &one, S_take_one) == 0 && one.n == 1;
}

/* FNV-1a, 64 bits, over each token and a U+001F after it. */
static int S_hash_token(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd)
{
    (void)iStart; (void)iEnd;
    if (flags & KB_TOK_COLOCATED) return 0;
    uint64_t *h = ctx;
    for (int i = 0; i <= nToken; i++) {
        *h ^= i < nToken ? (unsigned char)token[i] : 0x1F;
        *h *= 0x100000001B3ULL;
    }
    return 0;
}

uint64_t kb_tok_words_key(kb_tok *t, const char *z, int n)
{
    /* The language goes first: Chinese and Japanese tokenize alike, and
     * "Azure Backup" is the same words in most languages, yet a question's
     * key must find only its own language's headings, so that the rows a
     * lookup reads are the ones it keeps. */
    uint64_t h = 0xCBF29CE484222325ULL;
    S_hash_token(&h, 0, t->zLang, (int)strlen(t->zLang), 0, 0);
    const uint64_t empty = h;
    kb_tok_run(t, KB_TOK_QUERY, z, n, &h, S_hash_token);
    return h == empty ? 0 : h ? h : 1;
}

/* Folds arbitrary text: NFKC, case fold, diacritics stripped, no stemming,
 * invalid UTF-8 read as U+FFFD. Processed in chunks cut before an ASCII
 * character (which never composes with what precedes it), so memory stays
 * bounded whatever the input length. */
size_t kb_tok_fold(const char *z, size_t n, char *out, size_t cap)
{
    /* Its callers fold words: 64 code points a chunk keep the buffers at
     * 10 KB of stack (each new page of stack is a page fault). */
    enum { CHUNK = 64 };
    char zChunk[CHUNK * 4 + 8];
    int32_t a[CHUNK * 18 + 64];
    char zEnc[(CHUNK * 18 + 64) * 4 + 8];
    size_t k = 0, i = 0;
    if (!cap) return 0;
    out[0] = '\0';
    if (!z) return 0;
    while (i < n && k + 1 < cap) {
        int nChunk = 0, nCp = 0;
        while (i < n && nCp < CHUNK) {
            int32_t cp;
            int len = S_decode((const unsigned char *)z + i, (int)(n - i < 8 ? n - i : 8), 0, &cp);
            if (nCp > 0 && cp < 0x80 && nCp >= CHUNK - 16) break;
            nChunk += (int)utf8proc_encode_char(cp, (utf8proc_uint8_t *)zChunk + nChunk);
            i += (size_t)len;
            nCp++;
        }
        if (S_is_ascii(zChunk, nChunk)) { /* NFKC is the identity, case fold is A-Z */
            for (int j = 0; j < nChunk && k + 1 < cap; j++) {
                char c = zChunk[j];
                out[k++] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
            }
            out[k] = '\0';
            continue;
        }
        int bStripped = 0;
        int nc = S_decompose(zChunk, nChunk, a, (int)(sizeof a / sizeof a[0]), KB_TOK_FOLD_OPTS);
        if (nc < 0) break;
        nc = S_strip(a, nc, &bStripped);
        nc = S_compose(a, nc);
        int nEnc = S_encode(a, nc, zEnc, (int)sizeof zEnc);
        size_t nCopy = (size_t)nEnc;
        if (k + nCopy + 1 > cap) {
            nCopy = cap - 1 - k;
            while (nCopy > 0 && ((unsigned char)zEnc[nCopy] & 0xC0) == 0x80) nCopy--; /* whole characters */
        }
        memcpy(out + k, zEnc, nCopy);
        k += nCopy;
        out[k] = '\0';
        if (nCopy < (size_t)nEnc) break;
    }
    return k;
}

/* ---- recorded token streams ------------------------------------------------------ */

typedef struct S_rec {
    int32_t flags, iStart, iEnd, nToken;
} S_rec;

static int S_record_one(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd)
{
    kb_tok_stream *s = ctx;
    S_rec r = {flags, iStart, iEnd, nToken};
    size_t need = s->n + sizeof r + (size_t)nToken;
    if (need > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < need) cap *= 2;
        s->z = kb_xrealloc(s->z, cap);
        s->cap = cap;
    }
    memcpy(s->z + s->n, &r, sizeof r);
    memcpy(s->z + s->n + sizeof r, token, (size_t)nToken);
    s->n = need;
    return 0;
}

void kb_tok_record(kb_tok *t, const char *text, int nText, kb_tok_stream *out)
{
    out->n = 0;
    kb_tok_run(t, KB_TOK_DOCUMENT, text, nText, out, S_record_one);
}

void kb_tok_stream_free(kb_tok_stream *s)
{
    free(s->z);
    memset(s, 0, sizeof *s);
}

/* Armed replays of this thread (the indexer's writer). */
static _Thread_local struct {
    const char *text;
    int nText;
    const kb_tok_stream *s;
} kb_tok_aReplay[KB_TOK_REPLAY_MAX];

void kb_tok_replay_next(const char *text, int nText, const kb_tok_stream *s)
{
    for (int i = 0; i < KB_TOK_REPLAY_MAX; i++)
        if (!kb_tok_aReplay[i].s) {
            kb_tok_aReplay[i].text = text;
            kb_tok_aReplay[i].nText = nText;
            kb_tok_aReplay[i].s = s;
            return;
        }
}

void kb_tok_replay_clear(void)
{
    memset(kb_tok_aReplay, 0, sizeof kb_tok_aReplay);
}

/* Replays the armed stream recorded for exactly this text, if any. SQLite
 * may hand over its own copy of the text, so bytes are compared, not
 * pointers; returns -1 when nothing was armed for it. */
static int S_replay(const char *pText, int nText, void *pCtx,
                         int (*xToken)(void *, int, const char *, int, int, int))
{
    for (int i = 0; i < KB_TOK_REPLAY_MAX; i++) {
        const kb_tok_stream *s = kb_tok_aReplay[i].s;
        if (!s || kb_tok_aReplay[i].nText != nText ||
            (kb_tok_aReplay[i].text != pText && memcmp(kb_tok_aReplay[i].text, pText, (size_t)nText) != 0))
            continue;
        kb_tok_aReplay[i].s = NULL;
        int rc = 0;
        for (size_t off = 0; rc == 0 && off < s->n;) {
            S_rec r;
            memcpy(&r, s->z + off, sizeof r);
            rc = xToken(pCtx, r.flags, s->z + off + sizeof r, r.nToken, r.iStart, r.iEnd);
            off += sizeof r + (size_t)r.nToken;
        }
        return rc;
    }
    return -1;
}

/* ---- FTS5 ----------------------------------------------------------------------- */

typedef struct kb_tok_fts5 {
    kb_tok *t;
} kb_tok_fts5;

static int S_fts5_create(void *pUnused, const char **azArg, int nArg, Fts5Tokenizer **ppOut)
{
    kb_tok_fts5 *p = sqlite3_malloc(sizeof *p);
    if (!p) return SQLITE_NOMEM;
    p->t = kb_tok_new(nArg > 0 ? azArg[0] : NULL);
    *ppOut = (Fts5Tokenizer *)p;
    return SQLITE_OK;
}

static void S_fts5_delete(Fts5Tokenizer *pTok)
{
    kb_tok_fts5 *p = (kb_tok_fts5 *)pTok;
    if (!p) return;
    kb_tok_free(p->t);
    sqlite3_free(p);
}

/* This thread's observer (kb_tok_observe), and the FTS5 callback that
 * tokens go on to while it watches. */
static _Thread_local struct {
    kb_tok_observer fn;
    void *ctx;
} kb_tok_observing;

typedef struct S_observed {
    void *pCtx;
    int (*xToken)(void *, int, const char *, int, int, int);
} S_observed;

void kb_tok_observe(kb_tok_observer fn, void *ctx)
{
    kb_tok_observing.fn = fn;
    kb_tok_observing.ctx = ctx;
}

static int S_observe_one(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd)
{
    S_observed *o = ctx;
    kb_tok_observing.fn(kb_tok_observing.ctx, token, nToken);
    return o->xToken(o->pCtx, flags, token, nToken, iStart, iEnd);
}

static int S_fts5_tokenize(Fts5Tokenizer *pTok, void *pCtx, int flags, const char *pText, int nText,
                                int (*xToken)(void *, int, const char *, int, int, int))
{
    kb_tok_fts5 *p = (kb_tok_fts5 *)pTok;
    S_observed observed = {pCtx, xToken};
    if (flags == FTS5_TOKENIZE_DOCUMENT && kb_tok_observing.fn) {
        pCtx = &observed;
        xToken = S_observe_one;
    }
    /* FTS5_TOKENIZE_AUX (highlight, snippet) must see the document's tokens. */
    int bQuery = (flags & FTS5_TOKENIZE_QUERY) != 0;
    int bPrefix = bQuery && (flags & FTS5_TOKENIZE_PREFIX) != 0;
    if (flags == FTS5_TOKENIZE_DOCUMENT) {
        int rc = S_replay(pText, nText, pCtx, xToken);
        if (rc >= 0) return rc;
    }
    return S_run_mode(p->t, bQuery ? KB_TOK_QUERY : KB_TOK_DOCUMENT, bPrefix, pText, nText, pCtx, xToken);
}

fts5_api *kb_tok_fts5_api(sqlite3 *db)
{
    fts5_api *pApi = NULL;
    sqlite3_stmt *pStmt = NULL;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, NULL) != SQLITE_OK) return NULL;
    sqlite3_bind_pointer(pStmt, 1, (void *)&pApi, "fts5_api_ptr", NULL);
    sqlite3_step(pStmt);
    sqlite3_finalize(pStmt);
    return pApi && pApi->iVersion >= 2 ? pApi : NULL;
}

int kb_tok_register_fts5(struct sqlite3 *db)
{
    static fts5_tokenizer tokenizer = {S_fts5_create, S_fts5_delete, S_fts5_tokenize};
    fts5_api *pApi = kb_tok_fts5_api(db);
    if (!pApi) return kb_fail(KB_EDB, _("cannot register the kb tokenizer: %s"), "SQLite has no FTS5");
    int rc = pApi->xCreateTokenizer(pApi, "kb", NULL, &tokenizer, NULL);
    if (rc != SQLITE_OK) return kb_fail(KB_EDB, _("cannot register the kb tokenizer: %s"), sqlite3_errstr(rc));
    return KB_OK;
}
