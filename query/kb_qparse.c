/* kb_qparse.c: see kb_qparse.h. */
#include "kb_qparse.h"

#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kb_tok.h"
#include "kb_util.h"

/* A term's tokens, counted up to KB_QPARSE_MAX_TERM_TOKENS, and where the
 * last of those ends. */
typedef struct S_token_count {
    int n;
    int end;
} S_token_count;

static int S_count_token(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)tok; (void)nTok; (void)iStart;
    S_token_count *c = ctx;
    if (flags & KB_TOK_COLOCATED) return 0;
    if (c->n == KB_QPARSE_MAX_TERM_TOKENS) return 1; /* one more: the term is cut at c->end */
    c->n++;
    c->end = iEnd;
    return 0;
}

/* How much of z[0, n) is the term: none if the tokenizer finds no word in
 * it, else up to the end of its KB_QPARSE_MAX_TERM_TOKENS-th token. A
 * dotted name of thousands of parts ("https://a.a.a...", 64 KB) made one
 * FTS5 phrase of as many tokens: 33 s and 286 MB. */
static size_t S_term_length(kb_tok *t, const char *z, size_t n) {
    S_token_count c = {0, 0};
    kb_tok_run(t, KB_TOK_QUERY, z, (int)n, &c, S_count_token);
    return c.n == 0 ? 0 : c.n == KB_QPARSE_MAX_TERM_TOKENS ? (size_t)c.end : n;
}

static int S_is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static void S_add_term(kb_query *q, kb_tok *t, const char *z, size_t n, int phrase, int negated) {
    if (q->n >= KB_QPARSE_MAX_TERMS || n == 0 || (n = S_term_length(t, z, n)) == 0) return;
    if (n == 2 && memcmp(z, "OR", 2) == 0 && !phrase && !negated) {
        if (q->n > 0) q->a[q->n - 1].orWithNext = 1;
        return;
    }
    q->a[q->n++] = (kb_qterm){.text = kb_xstrndup(z, n), .phrase = phrase, .negated = negated};
}

typedef struct S_cjk_ctx {
    kb_query *q;
    int negated;
} S_cjk_ctx;

/* Called from inside kb_tok_run: must not run the same tokenizer again,
 * so the bigram (a word by construction) is added without S_term_length. */
static int S_add_bigram(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)iStart; (void)iEnd;
    S_cjk_ctx *c = ctx;
    kb_query *q = c->q;
    if (!(flags & KB_TOK_COLOCATED) && q->n < KB_QPARSE_MAX_TERMS)
        q->a[q->n++] = (kb_qterm){.text = kb_xstrndup(tok, (size_t)nTok), .negated = c->negated};
    return 0;
}

/* A CJK run of three or four characters is a word ("マウント", "儲存體",
 * "虛擬機器"): its bigrams must stand together, or "マウント" (mount) finds
 * "アカウント" (account) beside "マウス" (mouse). Loose, its middle bigram
 * already asks for the run verbatim but for the order. */
static int S_is_word_run(const char *z, size_t n) {
    size_t nChar = kb_utf8_chars(z, n);
    return nChar >= 3 && nChar <= 4;
}

/* Japanese and Chinese are typed without spaces: a longer CJK run in an
 * unquoted word is split into its bigrams, each a term of its own, so the
 * section does not need the whole run verbatim (as a phrase would). */
static void S_add(kb_query *q, kb_tok *t, const char *z, size_t n, int phrase, int negated) {
    if (phrase) {
        S_add_term(q, t, z, n, phrase, negated);
        return;
    }
    size_t i = 0, segStart = 0;
    int segCjk = -1;
    while (i <= n) {
        int32_t cp = 0;
        utf8proc_ssize_t len = i < n ? utf8proc_iterate((const utf8proc_uint8_t *)z + i, (utf8proc_ssize_t)(n - i), &cp) : 1;
        if (len <= 0) len = 1, cp = 0xFFFD;
        int cjk = i < n ? kb_tok_is_cjk(cp) : -2;
        if (cjk != segCjk) {
            if (segCjk == 1 && S_is_word_run(z + segStart, i - segStart)) {
                S_add_term(q, t, z + segStart, i - segStart, 1, negated);
                if (q->n > 0) q->a[q->n - 1].joined = 1;
            } else if (segCjk == 1) {
                S_cjk_ctx c = {q, negated};
                kb_tok_run(t, KB_TOK_QUERY, z + segStart, (int)(i - segStart), &c, S_add_bigram);
            } else if (segCjk == 0) {
                S_add_term(q, t, z + segStart, i - segStart, 0, negated);
            }
            segStart = i;
            segCjk = cjk;
        }
        i += (size_t)len;
    }
}

void kb_qparse(const char *text, kb_query *q) {
    memset(q, 0, sizeof *q);
    q->a = kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *q->a);
    kb_tok *t = kb_tok_new(NULL);
    const char *p = text;
    while (*p && q->n < KB_QPARSE_MAX_TERMS) {
        while (S_is_space(*p)) p++;
        if (!*p) break;
        /* A minus before a digit makes a negative number, not an exclusion:
         * exit codes and HRESULTs are quoted in decimal ("código de salida
         * -106", "-2147024891"); no one writes a hex code negative. */
        const char *typed = p;
        int first = q->n, negated = 0;
        int hex = p[1] == '0' && (p[2] == 'x' || p[2] == 'X');
        if (*p == '-' && p[1] && !S_is_space(p[1]) && (!(p[1] >= '0' && p[1] <= '9') || hex)) {
            negated = 1;
            p++;
        }
        const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (end) { /* a balanced quote is a phrase; an unbalanced one is just a character */
            S_add(q, t, p + 1, (size_t)(end - p - 1), 1, negated);
            p = end + 1;
        } else {
            const char *start = p;
            while (*p && !S_is_space(*p)) p++;
            S_add(q, t, start, (size_t)(p - start), 0, negated);
        }
        for (int k = first; k < q->n; k++) q->a[k].from = (int)(typed - text), q->a[k].to = (int)(p - text);
    }
    kb_tok_free(t);
    /* A trailing OR joins nothing. */
    if (q->n > 0) q->a[q->n - 1].orWithNext = 0;
}

void kb_query_free(kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        free(q->a[i].text);
        free(q->a[i].typed);
    }
    free(q->a);
    memset(q, 0, sizeof *q);
}

void kb_query_join(kb_query *q, int i, int j) {
    kb_buf b = {0};
    for (int k = i; k <= j; k++) {
        if (k > i) kb_buf_addc(&b, ' ');
        kb_buf_adds(&b, q->a[k].text);
        free(q->a[k].text);
    }
    q->a[i].text = kb_buf_detach(&b);
    q->a[i].phrase = q->a[i].joined = 1;
    q->a[i].orWithNext = q->a[j].orWithNext;
    q->a[i].to = q->a[j].to;
    memmove(&q->a[i + 1], &q->a[j + 1], (size_t)(q->n - j - 1) * sizeof q->a[0]);
    q->n -= j - i;
}

int kb_query_positive(const kb_query *q) {
    int n = 0;
    for (int i = 0; i < q->n; i++) n += !q->a[i].negated;
    return n;
}

int kb_query_in_group(const kb_query *q, int i) {
    return q->a[i].orWithNext || (i > 0 && q->a[i - 1].orWithNext);
}

static void S_quote(kb_buf *b, const char *z) {
    kb_buf_addc(b, '"');
    for (; *z; z++) {
        if (*z == '"') kb_buf_addc(b, '"');
        kb_buf_addc(b, *z);
    }
    kb_buf_addc(b, '"');
}

/* Each term's word of the question (aSlot[i]; -1: excluded, or not in
 * keep). A kept term is an alternative of the kept term before it when
 * OR links every term from that one to it: a dropped alternative ("a OR
 * b OR c" without b) leaves the group whole, and a dropped last one
 * leaves it closed. */
static void S_slots(const kb_query *q, const int *keep, int *aSlot) {
    int slot = -1, prev = -1;
    for (int i = 0; i < q->n; i++) {
        aSlot[i] = -1;
        if (q->a[i].negated || (keep && !keep[i])) continue;
        int joins = prev >= 0;
        for (int k = prev; joins && k < i; k++) joins = q->a[k].orWithNext;
        aSlot[i] = joins ? slot : ++slot;
        prev = i;
    }
}

/* The positive terms of keep (all if NULL) into b, joined as mode says. */
static void S_add_terms(kb_buf *b, const kb_query *q, int mode, const int *keep) {
    int aSlot[KB_QPARSE_MAX_TERMS];
    S_slots(q, keep, aSlot);
    int prev = -1;
    for (int i = 0; i < q->n; i++) {
        if (aSlot[i] < 0) continue;
        int next = i + 1;
        while (next < q->n && aSlot[next] < 0) next++;
        /* alternatives of the term before it, of the term after it */
        int orPrev = prev >= 0 && aSlot[prev] == aSlot[i], orNext = next < q->n && aSlot[next] == aSlot[i];
        /* Explicit AND: FTS5's implicit AND joins phrases only, so
         * `"a" ("b" OR "c")` would be a syntax error. */
        if (prev >= 0) kb_buf_adds(b, mode == KB_QANY || orPrev ? " OR " : " AND ");
        if (mode == KB_QALL && orNext && !orPrev) kb_buf_addc(b, '(');
        S_quote(b, q->a[i].text);
        if (q->a[i].prefix) kb_buf_adds(b, " *");
        if (mode == KB_QALL && orPrev && !orNext) kb_buf_addc(b, ')');
        prev = i;
    }
}

/* The terms of keep that select rows (all but KB_KEEP_RANKS) into
 * aSelect; how many of them are positive. */
static int S_selecting(const kb_query *q, const int *keep, int *aSelect) {
    int n = 0;
    for (int i = 0; i < q->n; i++) {
        aSelect[i] = keep[i] == KB_KEEP_RANKS ? 0 : keep[i];
        n += aSelect[i] && !q->a[i].negated;
    }
    return n;
}

int kb_query_selecting_phrases(const kb_query *q, const int *keep) {
    int ranks = 0, aSelect[KB_QPARSE_MAX_TERMS];
    for (int i = 0; keep && i < q->n; i++) ranks |= keep[i] == KB_KEEP_RANKS && !q->a[i].negated;
    return ranks ? S_selecting(q, keep, aSelect) : 0;
}

char *kb_query_fts(const kb_query *q, int mode, const int *keep) {
    kb_buf b = {0};
    if (mode == KB_QANY && kb_query_selecting_phrases(q, keep) > 0) {
        int aSelect[KB_QPARSE_MAX_TERMS];
        S_selecting(q, keep, aSelect);
        kb_buf_addc(&b, '(');
        S_add_terms(&b, q, mode, aSelect);
        kb_buf_adds(&b, ") AND (");
        S_add_terms(&b, q, mode, keep);
        kb_buf_addc(&b, ')');
    } else {
        S_add_terms(&b, q, mode, keep);
    }
    if (b.n == 0) {
        kb_buf_free(&b);
        return NULL;
    }
    /* Exclusions apply in both modes: FTS5 has a binary NOT only. */
    int wrapped = 0;
    for (int i = 0; i < q->n; i++) {
        if (!q->a[i].negated) continue;
        if (!wrapped) {
            kb_buf b2 = {0};
            kb_buf_addc(&b2, '(');
            kb_buf_adds(&b2, kb_buf_str(&b));
            kb_buf_addc(&b2, ')');
            kb_buf_free(&b);
            b = b2;
            wrapped = 1;
        }
        kb_buf_adds(&b, " NOT ");
        S_quote(&b, q->a[i].text);
    }
    return kb_buf_detach(&b);
}

char *kb_query_slots(const kb_query *q, const int *keep) {
    int aSlot[KB_QPARSE_MAX_TERMS];
    S_slots(q, keep, aSlot);
    kb_buf b = {0};
    for (int k = kb_query_selecting_phrases(q, keep); k > 0; k--) kb_buf_adds(&b, b.n ? ",-1" : "-1");
    for (int i = 0; i < q->n; i++)
        if (aSlot[i] >= 0) kb_buf_addf(&b, "%s%d", b.n ? "," : "", aSlot[i]);
    for (int i = 0; i < q->n; i++)
        if (q->a[i].negated) kb_buf_adds(&b, b.n ? ",-1" : "-1");
    kb_buf_add(&b, "", 0);
    return kb_buf_detach(&b);
}

char *kb_query_format(const kb_query *q) {
    kb_buf b = {0};
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (b.n) kb_buf_addc(&b, ' ');
        if (t->negated) kb_buf_addc(&b, '-');
        if (t->phrase) kb_buf_addc(&b, '"');
        kb_buf_adds(&b, t->text);
        if (t->phrase) kb_buf_addc(&b, '"');
        if (t->orWithNext) kb_buf_adds(&b, " OR");
    }
    return kb_buf_detach(&b);
}
