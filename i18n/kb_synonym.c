/* kb_synonym.c: see kb_synonym.h.
 *
 * A question has a few words and a language a few dozen pairs, so each call
 * reads both through the tokenizer: a pair matches where its typed words'
 * tokens are the question words' tokens, one for one. Only the pairs whose
 * typed form could start where a question word does are read (S_may_start):
 * reading every Spanish and Chinese pair cost a question 0.16M of its 8.4M
 * instructions (a word costs the tokenizer some 3,000). */
#include "kb_synonym.h"
#include "kb_synonym_table.h"
#include "kb_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define SYN_MAX_WORDS 6 /* the most words a typed form may have ("se agotó el tiempo de espera") */
#define SYN_TOKEN_CAP 64

typedef struct S_tokens {
    char a[SYN_MAX_WORDS][SYN_TOKEN_CAP];
    int n;        /* tokens seen (may exceed SYN_MAX_WORDS: then no match) */
} S_tokens;

static int S_take(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)iStart; (void)iEnd;
    S_tokens *s = ctx;
    if (flags & KB_TOK_COLOCATED) return 0;
    if (s->n < SYN_MAX_WORDS) snprintf(s->a[s->n], SYN_TOKEN_CAP, "%.*s", nTok, tok);
    s->n++;
    return 0;
}

static void S_tokenize(kb_tok *t, const char *z, S_tokens *out) {
    out->n = 0;
    kb_tok_run(t, KB_TOK_QUERY, z, (int)strlen(z), out, S_take);
}

static int S_ascii_lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Whether a question word's tokens are the one token tok. */
static int S_is_token(const S_tokens *word, const char *tok) { return word->n == 1 && strcmp(word->a[0], tok) == 0; }

/* Whether a question word's tokens are all of the typed form's, in order:
 * a word the search joined from several ("fail over", kb_query_join). */
static int S_is_tokens(const S_tokens *word, const S_tokens *typed) {
    if (word->n != typed->n || word->n > SYN_MAX_WORDS) return 0;
    for (int j = 0; j < word->n; j++)
        if (strcmp(word->a[j], typed->a[j]) != 0) return 0;
    return 1;
}

/* How many words from word i the typed form spans, 0 if it does not match
 * there. A word matches as read (aTok) or, unless aSing is NULL, as its
 * English singular; a word of several tokens matches only a typed form of
 * exactly those. */
static int S_match_at(const S_tokens *typed, const S_tokens *aTok, const S_tokens *aSing, int nWord, int i) {
    if (typed->n > 1 && i < nWord && S_is_tokens(&aTok[i], typed)) return 1;
    if (typed->n == 0 || typed->n > SYN_MAX_WORDS || i + typed->n > nWord) return 0;
    for (int j = 0; j < typed->n; j++)
        if (!S_is_token(&aTok[i + j], typed->a[j]) && !(aSing && S_is_token(&aSing[i + j], typed->a[j]))) return 0;
    return typed->n;
}

/* The singular of an English plural in out ("balancers" -> "balancer",
 * "policies" -> "policy", "VMs" -> "VM"); 0 if word is none. The typed
 * forms are English names in the singular, and the stemmer of the docs'
 * language, Spanish say, does not take an English plural's "s" off. */
static int S_english_singular(const char *word, char *out, size_t cap) {
    size_t n = strlen(word);
    for (size_t k = 0; k < n; k++)
        if ((unsigned char)word[k] >= 0x80) return 0;
    if (n < 3 || n >= cap || S_ascii_lower(word[n - 1]) != 's' || S_ascii_lower(word[n - 2]) == 's') return 0;
    memcpy(out, word, n - 1);
    out[n - 1] = 0;
    if (n > 4 && strcmp(out + n - 3, "ie") == 0) strcpy(out + n - 3, "y");
    return 1;
}

/* Whether the tokenizer reads the code point as part of a word. */
static int S_is_word_char(int32_t c) {
    if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    utf8proc_category_t cat = utf8proc_category(c);
    return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO; /* letters, marks, numbers */
}

/* A word's first two letters as the tokenizer folds them, in lead (NUL
 * padded), after what it skips before a word: "(VM)" and "¿backup" too. */
static void S_lead(const char *word, char lead[4]) {
    const utf8proc_uint8_t *w = (const utf8proc_uint8_t *)word, *end = w + strlen(word);
    utf8proc_int32_t c = 0;
    utf8proc_ssize_t len;
    while (w < end && (len = utf8proc_iterate(w, end - w, &c)) > 0 && !S_is_word_char(c)) w += len;
    memset(lead, 0, 4);
    if (w[0] < 0x80 && (w[0] == 0 || w[1] < 0x80)) { /* the common case: folding changes only the case */
        lead[0] = (char)S_ascii_lower(w[0]);
        lead[1] = w[0] ? (char)S_ascii_lower(w[1]) : 0;
    } else { /* two code points fold to at least two letters, whatever follows */
        size_t n = 0;
        for (int k = 0; k < 2 && w[n]; k++)
            do n++; while ((w[n] & 0xC0) == 0x80);
        kb_tok_fold((const char *)w, n, lead, 3);
    }
}

/* Whether the typed form may be a run starting at some word, whose first
 * two letters as folded are in aLead. Snowball stemmers rewrite a word's
 * ending and keep its first two letters (their regions start after a vowel
 * and a consonant); test_synonym checks that of every typed form. */
static int S_may_start(const char *typed, char (*aLead)[4], int nWord) {
    char lead[4];
    S_lead(typed, lead);
    for (int i = 0; i < nWord; i++)
        if (memcmp(aLead[i], lead, 2) == 0) return 1;
    return 0;
}

/* The question's words and the pairs' typed forms as English reads them,
 * into *paTok and *paTyped, made on first need: the typed forms are
 * English, and the docs' stemmer does not take "resizing" to "resize" nor
 * "restored" to "restore". 0 for English docs, whose stemmer did. */
static int S_english_forms(const char *lang, const char *const *aWord, int nWord, const unsigned *aPair, int nPair,
                           S_tokens **paTok, S_tokens **paTyped) {
    if (nPair == 0 || strcmp(lang, "en") == 0) return 0;
    if (*paTok) return 1;
    kb_tok *en = kb_tok_new("en");
    *paTok = kb_xcalloc((size_t)nWord, sizeof **paTok);
    *paTyped = kb_xcalloc((size_t)nPair + 1, sizeof **paTyped);
    for (int i = 0; i < nWord; i++)
        if (aWord[i]) S_tokenize(en, aWord[i], &(*paTok)[i]);
    for (int k = 0; k < nPair; k++) S_tokenize(en, kb_synonym_table[aPair[k]].typed, &(*paTyped)[k]);
    kb_tok_free(en);
    return 1;
}

int kb_synonym_find(const char *lang, kb_tok *t, const char *const *aWord, int nWord, kb_synonym_span *aSpan,
                    int max) {
    if (nWord <= 0 || max <= 0) return 0;
    char (*aLead)[4] = kb_xcalloc((size_t)nWord, sizeof *aLead);
    for (int i = 0; i < nWord; i++)
        if (aWord[i]) S_lead(aWord[i], aLead[i]);
    /* The pairs that may match, then their tokens: zeroing room for every
     * pair's was most of a question's cost here. */
    unsigned *aPair = kb_xcalloc(kb_synonym_table_count + 1, sizeof *aPair);
    int nPair = 0;
    for (unsigned k = 0; k < kb_synonym_table_count; k++)
        if (strcmp(kb_synonym_table[k].lang, lang) == 0 && S_may_start(kb_synonym_table[k].typed, aLead, nWord))
            aPair[nPair++] = k;
    S_tokens *aTyped = kb_xcalloc((size_t)nPair + 1, sizeof *aTyped);
    char (*aPairLead)[4] = kb_xcalloc((size_t)nPair + 1, sizeof *aPairLead);
    for (int k = 0; k < nPair; k++) {
        S_tokenize(t, kb_synonym_table[aPair[k]].typed, &aTyped[k]);
        S_lead(kb_synonym_table[aPair[k]].typed, aPairLead[k]);
    }
    S_tokens *aTok = kb_xcalloc((size_t)nWord, sizeof *aTok);
    S_tokens *aSing = kb_xcalloc((size_t)nWord, sizeof *aSing);
    char singular[SYN_TOKEN_CAP];
    for (int i = 0; nPair > 0 && i < nWord; i++) {
        if (!aWord[i]) continue;
        S_tokenize(t, aWord[i], &aTok[i]);
        if (S_english_singular(aWord[i], singular, sizeof singular)) S_tokenize(t, singular, &aSing[i]);
    }
    S_tokens *aTokEn = NULL, *aTypedEn = NULL;
    int nSpan = 0;
    for (int i = 0; i < nWord && nSpan < max;) {
        /* A word as read before its singular: "logs" is "registros", not
         * "log" (which Spanish reads as "login"); then as English reads it. */
        int best = 0, bestPair = 0;
        for (int pass = 0; pass < 3 && best == 0; pass++) {
            int english = pass == 2;
            /* the English stemmer is made only where a pair may start */
            if (english && (!aWord[i] || !S_may_start(aWord[i], aPairLead, nPair) ||
                            !S_english_forms(lang, aWord, nWord, aPair, nPair, &aTokEn, &aTypedEn)))
                break;
            for (int k = 0; k < nPair; k++) {
                int n = S_match_at(english ? &aTypedEn[k] : &aTyped[k], english ? aTokEn : aTok,
                                   pass == 1 ? aSing : NULL, nWord, i);
                if (n > best) best = n, bestPair = k;
            }
        }
        if (best > 0) aSpan[nSpan++] = (kb_synonym_span){i, best, kb_synonym_table[aPair[bestPair]].docs};
        i += best > 0 ? best : 1;
    }
    free(aTokEn);
    free(aTypedEn);
    free(aPairLead);
    free(aSing);
    free(aTok);
    free(aTyped);
    free(aPair);
    free(aLead);
    return nSpan;
}
