/* kb_snippet.c: see kb_snippet.h. */
#include "kb_snippet.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_stopwords.h"
#include "kb_tok.h"
#include "kb_util.h"

#define KB_MATCHER_MAX 128
#define KB_MATCHER_SLOTS 256 /* a power of two, twice KB_MATCHER_MAX: probes stay short */
#define KB_SNIPPET_SCAN 16384

struct kb_matcher {
    char *const *aTerm;
    int nTerm;
    kb_tok *tok;
    char lang[8];
    char *aToken[KB_MATCHER_MAX]; /* query tokens in the current language */
    int aLen[KB_MATCHER_MAX];     /* their lengths: every word of a section is compared with them */
    int nToken;
    /* Every word of a section is looked up among the tokens: a hash set,
     * open addressing, slot = token index + 1 (0: empty). A long Chinese
     * question has a hundred bigrams, most starting with the same bytes. */
    unsigned char aSlot[KB_MATCHER_SLOTS];
    uint64_t aFirst[4];           /* bit b: a token starts with byte b (most words do not) */
};

static unsigned S_first_slot(const char *tok, int nTok) {
    return kb_hash(tok, (size_t)nTok) & (KB_MATCHER_SLOTS - 1);
}

static int S_is_token(const kb_matcher *m, int i, const char *tok, int nTok) {
    return m->aLen[i] == nTok && memcmp(m->aToken[i], tok, (size_t)nTok) == 0;
}

/* The index of the query token tok is, or -1. */
static int S_find(const kb_matcher *m, const char *tok, int nTok) {
    unsigned char first = nTok > 0 ? (unsigned char)tok[0] : 0;
    if (!(m->aFirst[first >> 6] >> (first & 63) & 1)) return -1;
    for (unsigned k = S_first_slot(tok, nTok); m->aSlot[k]; k = (k + 1) & (KB_MATCHER_SLOTS - 1))
        if (S_is_token(m, m->aSlot[k] - 1, tok, nTok)) return m->aSlot[k] - 1;
    return -1;
}

static int S_collect(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)iStart; (void)iEnd;
    kb_matcher *m = ctx;
    if ((flags & KB_TOK_COLOCATED) || m->nToken >= KB_MATCHER_MAX) return 0;
    if (S_find(m, tok, nTok) >= 0) return 0; /* distinct: a window's score counts each once */
    unsigned k = S_first_slot(tok, nTok);
    while (m->aSlot[k]) k = (k + 1) & (KB_MATCHER_SLOTS - 1);
    m->aSlot[k] = (unsigned char)(m->nToken + 1);
    if (nTok > 0) m->aFirst[(unsigned char)tok[0] >> 6] |= 1ULL << ((unsigned char)tok[0] & 63);
    m->aLen[m->nToken] = nTok;
    m->aToken[m->nToken++] = kb_xstrndup(tok, (size_t)nTok);
    return 0;
}

static void S_clear_tokens(kb_matcher *m) {
    for (int i = 0; i < m->nToken; i++) free(m->aToken[i]);
    m->nToken = 0;
    memset(m->aSlot, 0, sizeof m->aSlot);
    memset(m->aFirst, 0, sizeof m->aFirst);
}

kb_matcher *kb_matcher_new(char *const *aTerm, int nTerm) {
    kb_matcher *m = kb_xcalloc(1, sizeof *m);
    m->aTerm = aTerm;
    m->nTerm = nTerm;
    m->lang[0] = '?'; /* forces the first kb_matcher_lang to tokenize */
    return m;
}

void kb_matcher_free(kb_matcher *m) {
    if (!m) return;
    S_clear_tokens(m);
    kb_tok_free(m->tok);
    free(m);
}

void kb_matcher_lang(kb_matcher *m, const char *lang) {
    if (strcmp(m->lang, lang ? lang : "") == 0) return;
    snprintf(m->lang, sizeof m->lang, "%s", lang ? lang : "");
    kb_tok_free(m->tok);
    m->tok = kb_tok_new(m->lang);
    S_clear_tokens(m);
    /* Stop words are not what the user is looking for: not highlighted,
     * unless the query has nothing else. */
    int nContent = 0;
    for (int i = 0; i < m->nTerm; i++) nContent += !kb_stopword(m->lang, m->aTerm[i], strlen(m->aTerm[i]));
    for (int i = 0; i < m->nTerm; i++)
        if (nContent == 0 || !kb_stopword(m->lang, m->aTerm[i], strlen(m->aTerm[i])))
            kb_tok_run(m->tok, KB_TOK_QUERY, m->aTerm[i], (int)strlen(m->aTerm[i]), m, S_collect);
    kb_tok_set_targets(m->tok, m->aToken, m->nToken);
}

typedef struct S_word_match {
    kb_matcher *m;
    int found;
} S_word_match;

static int S_check(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)iStart; (void)iEnd;
    S_word_match *w = ctx;
    const kb_matcher *m = w->m;
    if ((flags & KB_TOK_UNMATCHED) || nTok == 0) return 0;
    int found = S_find(m, tok, nTok);
    if (found < 0) return 0;
    w->found = found + 1;
    return 1;
}

typedef struct S_marks {
    kb_matcher *m;
    unsigned char *aBold;
} S_marks;

static int S_mark(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    S_marks *k = ctx;
    S_word_match w = {k->m, 0};
    if (S_check(&w, flags, tok, nTok, 0, 0)) memset(k->aBold + iStart, 1, (size_t)(iEnd - iStart));
    return 0;
}

/* Whether a match ending at byte end and the next starting at start read
 * as one word: nothing between them, or one apostrophe or hyphen. */
static int S_joined(const char *text, int end, int start) {
    if (start == end) return 1;
    if (start == end + 1) return text[end] == '\'' || text[end] == '-';
    return start == end + 3 && memcmp(text + end, "\xE2\x80\x99", 3) == 0; /* ’ */
}

/* Document mode: a word matches through any of its indexed variants (the
 * unaccented spelling of "almacén" matches a query typed "almacen"). */
void kb_matcher_mark(void *ctx, const char *text, size_t n, unsigned char *aBold) {
    kb_matcher *m = ctx;
    if (!m || !m->tok || m->nToken == 0 || n > INT_MAX) return;
    S_marks k = {m, aBold};
    kb_tok_run(m->tok, KB_TOK_DOCUMENT, text, (int)n, &k, S_mark);
    /* the apostrophe or hyphen inside a word both of whose parts match,
     * as kb_snippet marks it */
    for (size_t i = 1; i + 1 < n; i++) {
        if (aBold[i] || !aBold[i - 1]) continue;
        size_t len = text[i] == '\'' || text[i] == '-' ? 1 : 3;
        if (i + len < n && aBold[i + len] && S_joined(text, (int)i, (int)(i + len)))
            memset(aBold + i, aBold[i - 1], len);
    }
}

/* Word spans of the text with the query token each matches (0 = none). */
typedef struct S_span {
    int start, end, match;
    int halves; /* its length in half words: 1 for a CJK character, else 2 */
} S_span;

typedef struct S_spans {
    kb_matcher *m;
    S_span *a;
    int n, cap;
    int maxWords;
    int halvesLeft; /* half words to read before stopping; -1 until a window has every query token */
    int bStopped; /* text was left unread */
    unsigned long long seen; /* the tokens matched so far anywhere (bit match % 64) */
    int nSeen;
} S_spans;

/* 1 if the last maxWords words match every query token: no later window
 * can score more, so the text need not be read further than the windows
 * that start before this one end. */
static int S_window_complete(const S_spans *s) {
    unsigned long long seen = 0;
    int nSeen = 0, halves = 0;
    for (int i = s->n - 1; i >= 0 && (halves += s->a[i].halves) <= 2 * s->maxWords; i--) {
        int match = s->a[i].match;
        if (match && !(seen & (1ULL << (match % 64)))) {
            seen |= 1ULL << (match % 64);
            nSeen++;
        }
    }
    return nSeen >= s->m->nToken;
}

/* Records that query token `match` occurs in the text read so far. */
static void S_seen(S_spans *s, int match) {
    if (match && !(s->seen & (1ULL << (match % 64)))) {
        s->seen |= 1ULL << (match % 64);
        s->nSeen++;
    }
}

/* Adds a token that shares its first character with the previous span,
 * as each CJK bigram does with the one before ("バッ", "ック", "クア"):
 * the snippet copies each span's text once, so spans must not overlap.
 * The shared character becomes a span of its own, matching if either
 * bigram does, and the token adds only its new character. Room for two
 * more spans is there. */
static void S_add_overlapping(S_spans *s, int iStart, int iEnd, int match) {
    S_span *prev = &s->a[s->n - 1];
    int shared = prev->match ? prev->match : match;
    if (iStart > prev->start) {
        s->a[s->n++] = (S_span){iStart, prev->end, shared, 1};
        prev->end = iStart;
        prev->halves = 1;
    } else {
        prev->match = shared;
    }
    int end = s->a[s->n - 1].end;
    if (iEnd > end) s->a[s->n++] = (S_span){end, iEnd, match, 1};
}

static int S_add_span(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    S_spans *s = ctx;
    if (flags & KB_TOK_COLOCATED) {
        /* A variant of the previous word: it may be the one that matches. */
        S_word_match w = {s->m, 0};
        S_check(&w, flags, tok, nTok, 0, 0);
        if (s->n > 0 && w.found && !s->a[s->n - 1].match) {
            s->a[s->n - 1].match = w.found;
            S_seen(s, w.found);
        }
        return 0;
    }
    if (s->halvesLeft == 0) {
        s->bStopped = 1;
        return 1;
    }
    if (s->n + 2 > s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->a = kb_xrealloc(s->a, (size_t)s->cap * sizeof *s->a);
    }
    S_word_match w = {s->m, 0};
    S_check(&w, flags, tok, nTok, 0, 0);
    int overlaps = s->n > 0 && iStart < s->a[s->n - 1].end;
    if (overlaps) S_add_overlapping(s, iStart, iEnd, w.found);
    else s->a[s->n++] = (S_span){iStart, iEnd, w.found, 2};
    S_seen(s, w.found);
    int added = overlaps ? 1 : 2; /* a bigram after the first adds one character */
    if (s->halvesLeft > 0) s->halvesLeft = s->halvesLeft > added ? s->halvesLeft - added : 0;
    /* No window can hold every token before the text has shown them all. */
    if (w.found && s->halvesLeft < 0 && s->nSeen >= s->m->nToken && S_window_complete(s))
        s->halvesLeft = 2 * s->maxWords;
    return 0;
}

/* One past the last span of the window of maxWords words from span start:
 * a CJK character is half a word, so that CJK passages read about as long
 * as others. */
static int S_window_end(const S_span *a, int n, int start, int maxWords) {
    int end = start, halves = 0;
    while (end < n && (halves += a[end].halves) <= 2 * maxWords) end++;
    return end;
}

/* Whether byte c of a word: ASCII letters and digits, and any byte of a
 * UTF-8 sequence (CommonMark's flanking rules aside, close enough). */
static int S_word_byte(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80;
}

/* Adds c, text[i] as shown (a newline shown as a space), to out, with a
 * backslash before it where Markdown would read it as markup: the markers
 * open and close (a document's own "**" had unbalanced the bold: "按一
 * 下**[確定"), a backslash, what starts HTML, code, a link or an entity
 * (a code span's "<img onerror=...>" reached a bot's page as HTML), and a
 * '_' that is not inside a word ("ERROR_FILE_CORRUPT" stays as it is). */
static void S_add_shown(kb_buf *out, const char *text, int nText, int i, char c, const char *open, const char *close) {
    int markup = c == '\\' || c == '<' || c == '`' || c == '[' || c == '&';
    markup |= c && (strchr(open, c) || strchr(close, c));
    if (c == '_') markup = !(i > 0 && S_word_byte(text[i - 1]) && i + 1 < nText && S_word_byte(text[i + 1]));
    if (markup) kb_buf_addc(out, '\\');
    kb_buf_addc(out, c);
}

/* The window of maxWords words with the most distinct matches, earliest on ties. */
static int S_best_window(const S_span *a, int n, int maxWords) {
    int best = 0, bestScore = -1;
    for (int start = 0; start < n; start++) {
        if (start > 0 && !a[start].match) continue;
        unsigned long long seen = 0;
        int score = 0;
        for (int i = start, halves = 0; i < n && (halves += a[i].halves) <= 2 * maxWords; i++)
            if (a[i].match && !(seen & (1ULL << (a[i].match % 64)))) {
                seen |= 1ULL << (a[i].match % 64);
                score++;
            }
        if (score > bestScore) {
            bestScore = score;
            best = start;
        }
    }
    return best;
}

char *kb_snippet(kb_matcher *m, const char *text, const char *open, const char *close, int maxWords) {
    S_spans s = {.m = m, .maxWords = maxWords, .halvesLeft = -1};
    /* The passage is looked for in the first KB_SNIPPET_SCAN bytes: a
     * section's answer is rarely further down, and a 100 KB section would
     * otherwise cost more than the whole search. */
    int nText = (int)strlen(text), nFull = nText;
    if (nText > KB_SNIPPET_SCAN) {
        nText = KB_SNIPPET_SCAN;
        while (nText > 0 && ((unsigned char)text[nText] & 0xC0) == 0x80) nText--; /* whole characters */
    }
    if (m->tok) kb_tok_run(m->tok, KB_TOK_DOCUMENT, text, nText, &s, S_add_span);
    kb_buf out = {0};
    if (s.n == 0) {
        free(s.a);
        return kb_buf_detach(&out);
    }
    int first = S_best_window(s.a, s.n, maxWords);
    /* Start a little before the first match, for context. */
    first = first > 3 ? first - 3 : 0;
    int last = S_window_end(s.a, s.n, first, maxWords) - 1;
    if (first > 0) kb_buf_adds(&out, "…");
    int pos = s.a[first].start;
    for (int i = first; i <= last; i++) {
        /* Whitespace runs (newlines from lists and tables) become one space. */
        for (int k = pos; k < s.a[i].start; k++) {
            char c = text[k];
            if (c == '\n' || c == '\t' || c == '\r') c = ' ';
            if (c == ' ' && out.n && out.z[out.n - 1] == ' ') continue;
            S_add_shown(&out, text, nText, k, c, open, close);
        }
        /* Matching spans that touch (the characters of a CJK word), or
         * that one apostrophe or hyphen joins ("writer's", "time-out"),
         * share one pair of markers: "**writer**'**s**" had cut the word. */
        int joinsPrev = i > first && s.a[i - 1].match && S_joined(text, s.a[i - 1].end, s.a[i].start);
        int joinsNext = i < last && s.a[i + 1].match && S_joined(text, s.a[i].end, s.a[i + 1].start);
        if (s.a[i].match && !joinsPrev) kb_buf_adds(&out, open);
        for (int k = s.a[i].start; k < s.a[i].end; k++) S_add_shown(&out, text, nText, k, text[k], open, close);
        if (s.a[i].match && !joinsNext) kb_buf_adds(&out, close);
        pos = s.a[i].end;
    }
    if (last < s.n - 1 || nText < nFull || s.bStopped) kb_buf_adds(&out, "…");
    free(s.a);
    return kb_buf_detach(&out);
}
