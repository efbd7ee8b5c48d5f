/* STUB so other modules link: ASCII-only placeholder, to be replaced. */
#include "kb_tok.h"
#include "kb_util.h"
#include <ctype.h>
#include <sqlite3.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
struct kb_tok { char lang[8]; };
kb_tok *kb_tok_new(const char *lang) { kb_tok *t = kb_xcalloc(1, sizeof *t); if (lang) snprintf(t->lang, sizeof t->lang, "%s", lang); return t; }
void kb_tok_free(kb_tok *t) { free(t); }
const char *kb_tok_lang(const kb_tok *t) { return t->lang; }
int kb_tok_run(kb_tok *t, int mode, const char *text, int nText, void *ctx, kb_tok_fn fn) {
    int i = 0;
    while (i < nText) {
        while (i < nText && !isalnum((unsigned char)text[i]) && !((unsigned char)text[i] & 0x80)) i++;
        int s = i; char buf[256]; int k = 0;
        while (i < nText && (isalnum((unsigned char)text[i]) || ((unsigned char)text[i] & 0x80))) { if (k < 255) buf[k++] = (char)tolower((unsigned char)text[i]); i++; }
        if (k) { int rc = fn(ctx, 0, buf, k, s, i); if (rc) return rc; }
    }
    return 0;
}
size_t kb_tok_fold(const char *z, size_t n, char *out, size_t cap) { size_t k = 0; for (size_t i = 0; i < n && k + 1 < cap; i++) out[k++] = (char)tolower((unsigned char)z[i]); if (cap) out[k] = 0; return k; }
int kb_tok_register_fts5(struct sqlite3 *db) { return 0; }
