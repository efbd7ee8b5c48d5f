/* kb_vocab.c: matching text against the per-locale vocabulary.
 *
 * Both sides are folded the same way, one code point at a time: compatibility
 * decomposition (so "：" is ":" and "ｴﾗｰ" is "エラー"), case folding, marks
 * stripped ("Código" is "codigo"), look-alike punctuation lumped (’ is ').
 * Comparing decomposed forms needs no recomposition: whatever a side was
 * written in, it reduces to the same base letters. Runs of white space are one
 * space, and a space next to a CJK character is dropped, because Japanese
 * writers put one in "エラー メッセージ" or not.
 *
 * A kind's phrases are folded into code point arrays the first time the kind
 * is asked for; a call folds only as much of the text as the longest phrase
 * of the kind could need, so a long table cell costs a few dozen code points. */
#include "kb_vocab.h"
#include "kb_vocab_table.h"
#include "kb_util.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define VOCAB_MAXCP 64 /* longest folded phrase we keep, in code points */

typedef struct S_phrase {
    const int32_t *aCp;    /* folded, in its kind's pool */
    int nCp;
} S_phrase;

typedef struct S_kind_words {
    S_phrase *aPhrase;
    int32_t *aPool;        /* every phrase's code points, end to end */
    int nPhrase;
    int maxCp;             /* longest phrase of the kind */
    int maxWords;          /* most words of a phrase of the kind */
    int32_t aFirst[32];    /* distinct first code points: a cheap reject */
    uint64_t aFirstSet[32]; /* the phrases that begin with each (bit i: phrase i) */
    int nFirst;            /* -1: too many to list */
} S_kind_words;

static const char *const vocabKindName[KB_VOCAB_KIND_COUNT] = {
    "col-error", "col-cause", "col-action", "label-errmsg", "label-errcode", "word-error", "connector",
    "symptom", "problem", "optional", "not-problem", "contraction", "col-message", "report-frame",
    "label-syserror"};

/* Each kind is folded the first time it is asked for: kb-query asks for
 * symptoms only, and folding every kind cost it 0.42M instructions. */
static S_kind_words vocabKinds[KB_VOCAB_KIND_COUNT];
static _Atomic int vocabReady[KB_VOCAB_KIND_COUNT];
static pthread_mutex_t vocabLock = PTHREAD_MUTEX_INITIALIZER;

static int S_is_cjk(int32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF00 && c <= 0xFFEF) ||
           (c >= 0x20000 && c <= 0x3FFFF);
}

static int S_is_space(int32_t c) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (c < 0x80) return 0;
    return utf8proc_category(c) == UTF8PROC_CATEGORY_ZS;
}

/* Punctuation, symbols and spaces: what may surround a phrase as markup. */
static int S_is_junk(int32_t c) {
    if (c < 0x80) return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    switch (utf8proc_category(c)) {
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC:
    case UTF8PROC_CATEGORY_SK: case UTF8PROC_CATEGORY_SO: case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: case UTF8PROC_CATEGORY_CC:
        return 1;
    default:
        return 0;
    }
}

/* Letters and digits: a Latin phrase must not end inside a word. */
static int S_is_word_char(int32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (S_is_cjk(c)) return 0;
    utf8proc_category_t cat = utf8proc_category(c);
    return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) || cat == UTF8PROC_CATEGORY_ND ||
           cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
}

/* Folds one code point into aOut (room for 8); returns how many. */
static int S_fold_cp(int32_t c, int32_t *aOut) {
    if (c < 0x80) {
        aOut[0] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        return 1;
    }
    int32_t aTmp[24];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(c, aTmp, 24, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                 UTF8PROC_STRIPMARK | UTF8PROC_LUMP, &last);
    if (k < 0 || k > 8) { /* unassigned or absurdly long: compare as is */
        aOut[0] = c;
        return 1;
    }
    memcpy(aOut, aTmp, (size_t)k * sizeof(int32_t));
    return (int)k;
}

/* The folding state of one left-to-right pass: pending space, last char. */
typedef struct S_folder {
    int32_t *aCp;
    int nCp, cap;
    int pendingSpace;
    int32_t prev;         /* last code point emitted, 0 at the start */
} S_folder;

/* Emits the folded form of c; returns 0 when the output is full. Leading
 * spaces are dropped; a space is emitted lazily, only between two non-CJK
 * characters. */
static int S_folder_push(S_folder *f, int32_t c) {
    int32_t aOut[8];
    int k = S_fold_cp(c, aOut);
    for (int i = 0; i < k; i++) {
        int32_t d = aOut[i];
        if (S_is_space(d)) {
            if (f->nCp > 0) f->pendingSpace = 1;
            continue;
        }
        if (f->pendingSpace) {
            f->pendingSpace = 0;
            if (!S_is_cjk(f->prev) && !S_is_cjk(d)) {
                if (f->nCp >= f->cap) return 0;
                f->aCp[f->nCp++] = ' ';
            }
        }
        if (f->nCp >= f->cap) return 0;
        f->aCp[f->nCp++] = d;
        f->prev = d;
    }
    return 1;
}

/* Folds phrase z into aCp (room for VOCAB_MAXCP); returns its length. */
static int S_fold_phrase(const char *z, int32_t *aCp) {
    S_folder f = {aCp, 0, VOCAB_MAXCP, 0, 0};
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(z), off = 0;
    while (off < n) {
        int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const uint8_t *)z + off, n - off, &c);
        if (len <= 0) break;
        off += len;
        if (!S_folder_push(&f, c)) break;
    }
    return f.nCp;
}

/* Lists phrase i's first code point among the kind's, for the cheap rejects. */
static void S_note_first(S_kind_words *pKind, const S_phrase *p, int i) {
    if (pKind->nFirst < 0) return;
    int j = 0;
    while (j < pKind->nFirst && pKind->aFirst[j] != p->aCp[0]) j++;
    if (j == (int)(sizeof pKind->aFirst / sizeof pKind->aFirst[0])) {
        pKind->nFirst = -1; /* too many to filter: never reject early */
        return;
    }
    if (j == pKind->nFirst) pKind->aFirst[pKind->nFirst++] = p->aCp[0];
    if (i < 64) pKind->aFirstSet[j] |= (uint64_t)1 << i;
}

static void S_init_kind(int k) {
    S_kind_words *pKind = &vocabKinds[k];
    const char *name = vocabKindName[k];
    int count = 0;
    size_t cap = 0, nPool = 0;
    for (unsigned i = 0; i < kb_vocab_table_count; i++)
        if (strcmp(kb_vocab_table[i].kind, name) == 0) {
            count++;
            cap += strlen(kb_vocab_table[i].phrase); /* folding seldom makes more code points than bytes */
        }
    pKind->aPhrase = kb_xcalloc(count ? (size_t)count : 1, sizeof(S_phrase));
    pKind->aPool = kb_xcalloc(cap ? cap : 1, sizeof(int32_t));
    for (unsigned i = 0; i < kb_vocab_table_count; i++) {
        if (strcmp(kb_vocab_table[i].kind, name) != 0) continue;
        int32_t aCp[VOCAB_MAXCP];
        int nCp = S_fold_phrase(kb_vocab_table[i].phrase, aCp);
        if (nCp == 0) continue;
        if (nPool + (size_t)nCp > cap) {
            cap = 2 * cap + (size_t)nCp;
            pKind->aPool = kb_xrealloc(pKind->aPool, cap * sizeof(int32_t));
        }
        memcpy(pKind->aPool + nPool, aCp, (size_t)nCp * sizeof(int32_t));
        pKind->aPhrase[pKind->nPhrase++].nCp = nCp;
        nPool += (size_t)nCp;
    }
    /* The phrases lie end to end in the pool, which has stopped moving. */
    const int32_t *at = pKind->aPool;
    for (int i = 0; i < pKind->nPhrase; i++) {
        S_phrase *p = &pKind->aPhrase[i];
        p->aCp = at;
        at += p->nCp;
        if (p->nCp > pKind->maxCp) pKind->maxCp = p->nCp;
        int nWord = 0; /* runs between spaces and punctuation: "pós-falha" may be two words of a question */
        for (int j = 0; j < p->nCp; j++) nWord += !S_is_junk(p->aCp[j]) && (j == 0 || S_is_junk(p->aCp[j - 1]));
        if (nWord > pKind->maxWords) pKind->maxWords = nWord;
        S_note_first(pKind, p, i);
    }
}

static const S_kind_words *S_kind(int kind) {
    if (kind < 0 || kind >= KB_VOCAB_KIND_COUNT) return NULL;
    if (!atomic_load_explicit(&vocabReady[kind], memory_order_acquire)) {
        pthread_mutex_lock(&vocabLock);
        if (!atomic_load_explicit(&vocabReady[kind], memory_order_relaxed)) {
            S_init_kind(kind);
            atomic_store_explicit(&vocabReady[kind], 1, memory_order_release);
        }
        pthread_mutex_unlock(&vocabLock);
    }
    return &vocabKinds[kind];
}

static int S_first_ok(const S_kind_words *pKind, int32_t c) {
    if (pKind->nFirst < 0) return 1;
    for (int j = 0; j < pKind->nFirst; j++)
        if (pKind->aFirst[j] == c) return 1;
    return 0;
}

/* The phrases that begin with c (bit i: phrase i), for a kind of at most
 * 64 phrases whose first code points are listed. */
static uint64_t S_starting_with(const S_kind_words *pKind, int32_t c) {
    for (int j = 0; j < pKind->nFirst; j++)
        if (pKind->aFirst[j] == c) return pKind->aFirstSet[j];
    return 0;
}

/* Decodes one code point of z[0..n); invalid bytes read as U+FFFD, length 1. */
static int S_next(const char *z, size_t n, size_t off, int32_t *pc) {
    utf8proc_ssize_t len = utf8proc_iterate((const uint8_t *)z + off, (utf8proc_ssize_t)(n - off), pc);
    if (len <= 0) {
        *pc = 0xFFFD;
        return 1;
    }
    return (int)len;
}

int kb_vocab_max_words(int kind) {
    const S_kind_words *pKind = S_kind(kind);
    return pKind ? pKind->maxWords : 0;
}

int kb_vocab_is(int kind, const char *z, size_t n) {
    const S_kind_words *pKind = S_kind(kind);
    if (!pKind || !z || pKind->nPhrase == 0) return 0;

    /* Fold with surrounding junk trimmed: junk is buffered and only counts
     * once a word character follows it, i.e. when it is inside the text. */
    int32_t aBuf[VOCAB_MAXCP + 16];
    S_folder f = {aBuf, 0, (int)(sizeof aBuf / sizeof aBuf[0]), 0, 0};
    int nCore = 0; /* folded length up to the last non-junk code point */
    size_t off = 0;
    while (off < n) {
        int32_t c;
        off += (size_t)S_next(z, n, off, &c);
        int junk = S_is_junk(c);
        if (junk && f.nCp == 0) continue; /* leading markup */
        if (junk && S_is_space(c)) {
            f.pendingSpace = f.nCp > 0;
            continue;
        }
        if (!S_folder_push(&f, c)) {
            if (!junk) return 0; /* a word char beyond every phrase */
            continue;
        }
        if (!junk) {
            nCore = f.nCp;
            if (nCore > pKind->maxCp) return 0;
        }
    }
    if (nCore == 0 || !S_first_ok(pKind, aBuf[0])) return 0;
    for (int i = 0; i < pKind->nPhrase; i++) {
        const S_phrase *p = &pKind->aPhrase[i];
        if (p->nCp == nCore && memcmp(p->aCp, aBuf, (size_t)nCore * sizeof(int32_t)) == 0) return 1;
    }
    return 0;
}

/* Skips markup and spaces, then one ':' / '：', then markup and spaces. */
static size_t S_skip_colon(const char *z, size_t n, size_t off) {
    int colon = 0;
    while (off < n) {
        unsigned char ch = (unsigned char)z[off];
        if (ch == ' ' || ch == '\t' || ch == '*' || ch == '_' || ch == '`') {
            off++;
        } else if (ch == ':' && !colon) {
            colon = 1;
            off++;
        } else if (!colon && n - off >= 3 && memcmp(z + off, "\xEF\xBC\x9A", 3) == 0) { /* ： */
            colon = 1;
            off += 3;
        } else if (n - off >= 2 && memcmp(z + off, "\xC2\xA0", 2) == 0) { /* no-break space */
            off += 2;
        } else if (n - off >= 3 && memcmp(z + off, "\xE3\x80\x80", 3) == 0) { /* ideographic space */
            off += 3;
        } else {
            break;
        }
    }
    return off;
}

/* Of the phrases in the set `alive` (bit i: phrase i), which all begin
 * with aCp[0..from), those longer than nCp code points that begin with
 * aCp[0..nCp): the phrases that folding further could still match. */
static uint64_t S_longer(const S_kind_words *pKind, uint64_t alive, const int32_t *aCp, int from, int nCp) {
    for (uint64_t rest = alive; rest; rest &= rest - 1) {
        int i = __builtin_ctzll(rest);
        const S_phrase *p = &pKind->aPhrase[i];
        int same = p->nCp > nCp;
        for (int k = from; same && k < nCp; k++) same = p->aCp[k] == aCp[k]; /* a code point or two: no memcmp */
        if (!same) alive &= ~((uint64_t)1 << i);
    }
    return alive;
}

int kb_vocab_starts(int kind, const char *z, size_t n, size_t *pEnd) {
    const S_kind_words *pKind = S_kind(kind);
    if (!pKind || !z || pKind->nPhrase == 0) return 0;

    size_t off = 0;
    while (off < n) { /* leading markup: "**", "- ", "> " */
        int32_t c;
        int len = S_next(z, n, off, &c);
        if (!S_is_junk(c)) break;
        off += (size_t)len;
    }
    if (off >= n) return 0;
    /* Most calls start on a word that begins no phrase: for ASCII, folding
     * is lower-casing, so that is seen without folding anything. */
    unsigned char c0 = (unsigned char)z[off];
    if (c0 < 0x80 && !S_first_ok(pKind, c0 >= 'A' && c0 <= 'Z' ? c0 + 32 : c0)) return 0;

    /* Fold as far as the longest phrase, remembering where in z each folded
     * position ends so a match maps back to original bytes; or only while a
     * longer phrase still begins with what is folded: most words that pass
     * the first-letter check part from every phrase within a few letters
     * ("en", "con", "mensual"), and folding is most of the cost. */
    int32_t aBuf[VOCAB_MAXCP + 8];
    size_t aEnd[VOCAB_MAXCP + 8]; /* byte offset after the source of aBuf[i], 0 inside a char */
    S_folder f = {aBuf, 0, pKind->maxCp + 1, 0, 0};
    int narrow = pKind->nPhrase <= 64 && pKind->nFirst >= 0;
    uint64_t alive = 0;
    while (off < n && f.nCp <= pKind->maxCp) {
        int32_t c;
        int len = S_next(z, n, off, &c);
        int before = f.nCp;
        int ok = S_folder_push(&f, c);
        if (before == 0) { /* the first letter: the phrases that begin with it, if any */
            if (f.nCp == 0) return 0;
            if (narrow) alive = S_starting_with(pKind, aBuf[0]);
            if (narrow ? alive == 0 : !S_first_ok(pKind, aBuf[0])) return 0;
        }
        off += (size_t)len;
        for (int i = before; i < f.nCp; i++) aEnd[i] = i == f.nCp - 1 ? off : 0;
        if (!ok) break;
        if (narrow && (alive = S_longer(pKind, alive, aBuf, before > 0 ? before : 1, f.nCp)) == 0) break;
    }

    int best = -1;
    for (int i = 0; i < pKind->nPhrase; i++) {
        const S_phrase *p = &pKind->aPhrase[i];
        int m = p->nCp;
        if (m > f.nCp || m <= best) continue;
        if (memcmp(p->aCp, aBuf, (size_t)m * sizeof(int32_t)) != 0) continue;
        if (aEnd[m - 1] == 0) continue; /* the phrase ends inside one source char */
        /* A Latin phrase must end at a word boundary: "error" is not "errores". */
        if (S_is_word_char(p->aCp[m - 1]) && aEnd[m - 1] < n) {
            int32_t next;
            S_next(z, n, aEnd[m - 1], &next);
            if (S_is_word_char(next)) continue;
        }
        best = m;
    }
    if (best < 0) return 0;
    if (pEnd) *pEnd = S_skip_colon(z, n, aEnd[best - 1]);
    return 1;
}

/* kb_vocab_contains, skipping the phrases of kind `except` (-1: none). */
static int S_contains(int kind, int except, const char *z, size_t n) {
    int32_t prev = ' ';
    size_t off = 0;
    while (off < n) {
        int32_t c;
        int len = S_next(z, n, off, &c);
        int atStart = S_is_cjk(c) || (S_is_word_char(c) && !S_is_word_char(prev));
        size_t end = 0;
        if (atStart && except >= 0 && kb_vocab_starts(except, z + off, n - off, &end) && end > 0) {
            off += end;
            prev = ' ';
            continue;
        }
        if (atStart && kb_vocab_starts(kind, z + off, n - off, NULL)) return 1;
        prev = c;
        off += (size_t)len;
    }
    return 0;
}

int kb_vocab_contains(int kind, const char *z, size_t n) {
    if (!z) return 0;
    /* The phrases whose words do not count: "tras error" is not an error.
     * Skipping one only takes away places where a phrase may start, so a
     * text that holds no phrase at all, as most do, is told without looking
     * for them: a third of the cost of marking sections. */
    int except = kind == KB_VOCAB_SYMPTOM || kind == KB_VOCAB_PROBLEM ? KB_VOCAB_NOT_PROBLEM : -1;
    if (except >= 0 && !S_contains(kind, -1, z, n)) return 0;
    return S_contains(kind, except, z, n);
}

/* The words kb_vocab_is_not_problem_word knows, read from the raw table,
 * not the folded kinds: every tokenizer asks, and folding two kinds would
 * cost more than comparing the few dozen words of the not-problem phrases
 * with the problem words. */
#define VOCAB_MAX_NOT_PROBLEM_WORDS 16
static const char *vocabNotProblemWords[VOCAB_MAX_NOT_PROBLEM_WORDS];
static char vocabNotProblemPool[VOCAB_MAX_NOT_PROBLEM_WORDS * 32];
static int vocabNotProblemCount;
static uint64_t vocabNotProblemFirst; /* bit c % 64: a word starts with byte c (lower case) */
static pthread_once_t vocabNotProblemOnce = PTHREAD_ONCE_INIT;

/* 1 if w[0..n) is the whole of phrase. */
static int S_is_word(const char *phrase, const char *w, size_t n) {
    return phrase[0] == w[0] && strncmp(phrase, w, n) == 0 && phrase[n] == '\0';
}

static void S_add_not_problem_word(const char *w, size_t n, size_t *pUsed) {
    for (int i = 0; i < vocabNotProblemCount; i++)
        if (S_is_word(vocabNotProblemWords[i], w, n)) return;
    if (vocabNotProblemCount == VOCAB_MAX_NOT_PROBLEM_WORDS || *pUsed + n + 1 > sizeof vocabNotProblemPool) return;
    char *at = vocabNotProblemPool + *pUsed;
    memcpy(at, w, n);
    at[n] = '\0';
    *pUsed += n + 1;
    vocabNotProblemWords[vocabNotProblemCount++] = at;
    vocabNotProblemFirst |= (uint64_t)1 << ((unsigned char)at[0] & 63);
}

static void S_init_not_problem_words(void) {
    const struct kb_vocab_table_entry *aProblem[256], *aNot[128];
    int nProblem = 0, nNot = 0;
    for (unsigned i = 0; i < kb_vocab_table_count; i++) {
        const struct kb_vocab_table_entry *e = &kb_vocab_table[i];
        char k0 = e->kind[0]; /* most kinds are told by their first letter */
        int problem = (k0 == 's' && strcmp(e->kind, "symptom") == 0) || (k0 == 'p' && strcmp(e->kind, "problem") == 0);
        if (problem && nProblem < 256) aProblem[nProblem++] = e;
        else if (k0 == 'n' && strcmp(e->kind, "not-problem") == 0 && nNot < 128) aNot[nNot++] = e;
    }
    size_t used = 0;
    for (int i = 0; i < nNot; i++) {
        for (const char *w = aNot[i]->phrase; *w;) { /* words end at a space or a hyphen ("pós-falha") */
            size_t n = strcspn(w, " -");
            for (int j = 0; n > 0 && j < nProblem; j++) {
                if (!S_is_word(aProblem[j]->phrase, w, n) || strcmp(aProblem[j]->locale, aNot[i]->locale) != 0)
                    continue;
                S_add_not_problem_word(w, n, &used);
                break;
            }
            w += n + (w[n] != '\0');
        }
    }
}

int kb_vocab_is_not_problem_word(const char *z, size_t n) {
    pthread_once(&vocabNotProblemOnce, S_init_not_problem_words);
    if (n == 0) return 0;
    unsigned char c0 = (unsigned char)z[0];
    if (c0 >= 'A' && c0 <= 'Z') c0 += 32;
    if (!(vocabNotProblemFirst >> (c0 & 63) & 1)) return 0;
    for (int i = 0; i < vocabNotProblemCount; i++)
        if (strncasecmp(vocabNotProblemWords[i], z, n) == 0 && vocabNotProblemWords[i][n] == '\0') return 1;
    return 0;
}

/* The contractions, read from the raw table once, with the last letters
 * they end in: most words a question holds are rejected on that. */
#define VOCAB_MAX_CONTRACTIONS 64
static const char *vocabContractions[VOCAB_MAX_CONTRACTIONS];
static int vocabContractionCount;
static uint64_t vocabContractionLast; /* bit c % 64: one ends in byte c (lower case) */
static pthread_once_t vocabContractionOnce = PTHREAD_ONCE_INIT;

static void S_init_contractions(void) {
    for (unsigned i = 0; i < kb_vocab_table_count && vocabContractionCount < VOCAB_MAX_CONTRACTIONS; i++) {
        const struct kb_vocab_table_entry *e = &kb_vocab_table[i];
        size_t n = strlen(e->phrase);
        if (e->kind[0] != 'c' || strcmp(e->kind, "contraction") != 0 || n == 0) continue;
        vocabContractions[vocabContractionCount++] = e->phrase;
        vocabContractionLast |= (uint64_t)1 << ((unsigned char)e->phrase[n - 1] & 63);
    }
}

/* 1 if w[0..n) is phrase without its one apostrophe, ASCII case aside. */
static int S_is_without_apostrophe(const char *phrase, const char *w, size_t n) {
    const char *apostrophe = strchr(phrase, '\'');
    if (!apostrophe || strlen(phrase) != n + 1) return 0;
    size_t before = (size_t)(apostrophe - phrase);
    return strncasecmp(phrase, w, before) == 0 && strncasecmp(apostrophe + 1, w + before, n - before) == 0;
}

const char *kb_vocab_contraction(const char *z, size_t n) {
    pthread_once(&vocabContractionOnce, S_init_contractions);
    if (n == 0) return NULL;
    unsigned char last = (unsigned char)z[n - 1];
    if (last >= 'A' && last <= 'Z') last += 32;
    if (!(vocabContractionLast >> (last & 63) & 1)) return NULL;
    for (int i = 0; i < vocabContractionCount; i++)
        if (S_is_without_apostrophe(vocabContractions[i], z, n)) return vocabContractions[i];
    return NULL;
}
