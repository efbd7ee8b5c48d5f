/* fuzz_tok.c: the tokenizer (kb_tok_run) in every language libstemmer ships,
 * plus ja, zh and no language, in DOCUMENT and QUERY mode.
 *
 * Byte 0 picks the language (low bits) and the mode (top bit); the rest is
 * the text, raw bytes (invalid UTF-8 must be read as U+FFFD, never past the
 * end). Checks: offsets lie inside the text and do not run backwards for
 * non-colocated tokens, tokens are non-empty valid UTF-8, and the ASCII fast
 * paths give exactly the same tokens as the general path. */
#include "fuzz_common.h"
#include "kb_tok.h"

static const char *const fuzz_azLang[] = {
    "ar", "hy", "eu", "ca", "da", "nl", "en", "fi", "fr", "de", "el", "hi", "hu", "id", "ga", "it",
    "lt", "ne", "no", "pt", "ro", "ru", "sr", "es", "sv", "ta", "tr", "yi", "ja", "zh", "ko", "",
};
#define FUZZ_NLANG ((int)(sizeof fuzz_azLang / sizeof fuzz_azLang[0]))

typedef struct fuzz_toks {
    kb_buf all;   /* every token with flags and offsets, for comparison */
    int nText;
    int lastStart;
    int n;
} fuzz_toks;

static int fuzz_on_token(void *ctx, int flags, const char *token, int nToken, int iStart, int iEnd) {
    fuzz_toks *t = ctx;
    FUZZ_ASSERT(token != NULL && nToken > 0, "empty token (n=%d)", nToken);
    FUZZ_ASSERT(nToken < 1 << 20, "huge token %d", nToken);
    FUZZ_ASSERT(0 <= iStart && iStart <= iEnd && iEnd <= t->nText, "offsets %d..%d outside 0..%d", iStart, iEnd,
                t->nText);
    FUZZ_ASSERT((flags & ~KB_TOK_COLOCATED) == 0, "unknown flags %x", flags);
    size_t bad;
    FUZZ_ASSERT(kb_utf8_valid(token, (size_t)nToken, &bad), "token not UTF-8 at %zu", bad);
    FUZZ_ASSERT(memchr(token, 0, (size_t)nToken) == NULL, "token contains NUL");
    if (!(flags & KB_TOK_COLOCATED)) {
        FUZZ_ASSERT(iStart >= t->lastStart, "token starts at %d before previous %d", iStart, t->lastStart);
        t->lastStart = iStart;
    } else {
        FUZZ_ASSERT(t->n > 0, "first token is colocated");
    }
    kb_buf_addf(&t->all, "%d %d %d ", flags, iStart, iEnd);
    kb_buf_add(&t->all, token, (size_t)nToken);
    kb_buf_addc(&t->all, '\n');
    t->n++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* One tokenizer per language and path: each has its own stem cache, so
     * a cached result of one path cannot hide a difference of the other. */
    static kb_tok *aFast[FUZZ_NLANG], *aSlow[FUZZ_NLANG];
    if (size < 1 || size > 64 * 1024) return -1;
    int iLang = (data[0] & 0x7f) % FUZZ_NLANG;
    int mode = (data[0] & 0x80) ? KB_TOK_QUERY : KB_TOK_DOCUMENT;
    if (!aFast[iLang]) {
        aFast[iLang] = kb_tok_new(fuzz_azLang[iLang]);
        aSlow[iLang] = kb_tok_new(fuzz_azLang[iLang]);
        kb_tok_set_fast_path(aSlow[iLang], 0);
    }
    const char *z = (const char *)data + 1;
    int n = (int)size - 1;

    fuzz_toks fast = {.nText = n}, slow = {.nText = n};
    int rc = kb_tok_run(aFast[iLang], mode, z, n, &fast, fuzz_on_token);
    FUZZ_ASSERT(rc == 0, "kb_tok_run returned %d", rc);
    rc = kb_tok_run(aSlow[iLang], mode, z, n, &slow, fuzz_on_token);
    FUZZ_ASSERT(rc == 0, "kb_tok_run (no fast path) returned %d", rc);
    FUZZ_ASSERT(strcmp(kb_buf_str(&fast.all), kb_buf_str(&slow.all)) == 0,
                "lang '%s' mode %d: fast path tokens differ\n--- fast:\n%s--- slow:\n%s", fuzz_azLang[iLang], mode,
                kb_buf_str(&fast.all), kb_buf_str(&slow.all));

    /* Query mode must never emit colocated variants. */
    if (mode == KB_TOK_QUERY) FUZZ_ASSERT(strstr(kb_buf_str(&fast.all), "\n1 ") == NULL && strncmp(kb_buf_str(&fast.all), "1 ", 2) != 0, "colocated token in QUERY mode");

    kb_buf_free(&fast.all);
    kb_buf_free(&slow.all);

    char out[64];
    size_t nOut = kb_tok_fold(z, (size_t)(n < 256 ? n : 256), out, (size_t)(1 + data[0] % sizeof out));
    FUZZ_ASSERT(nOut < sizeof out && out[nOut] == 0, "kb_tok_fold wrote %zu", nOut);
    return 0;
}
