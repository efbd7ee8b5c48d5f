/* kb_search_terms.c: see kb_search_terms.h. */
#include "kb_search_terms.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_qparse.h"
#include "kb_search_state.h"
#include "kb_spell.h"
#include "kb_stopwords.h"
#include "kb_tok.h"
#include "kb_util.h"

/* Whether z is a stop word of an index language, or of English, which
 * error messages and commands are mostly written in. */
int search_any_stopword(const search_state *s, const char *z) {
    int stop = kb_stopword("en", z, strlen(z));
    for (int l = 0; l < s->nLang && !stop; l++) stop = kb_stopword(s->aLang[l], z, strlen(z));
    return stop;
}

typedef struct S_df_probe {
    search_state *s;
    int l;
    int nToken;
    int minDf;  /* fewest sections any token of the term is in */
    int failed; /* a lookup failed: the count is unknown */
    kb_buf key; /* the tokens, each followed by U+001F */
} S_df_probe;

/* Looks one token of a term up in the terms table; stops the tokenizer at
 * the first token the language lacks. */
static int S_probe_token(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)flags; (void)iStart; (void)iEnd;
    S_df_probe *p = ctx;
    sqlite3_stmt *st = search_sql(&p->s->stmts, SEARCH_SQL_TERM_DF);
    if (!st) return p->failed = 1;
    sqlite3_bind_text(st, 1, p->s->aLang[p->l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tok, nTok, SQLITE_STATIC);
    int step = search_stepped(p->s, st);
    int df = step == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE) return p->failed = 1;
    if (p->nToken++ == 0 || df < p->minDf) p->minDf = df;
    kb_buf_add(&p->key, tok, (size_t)nTok);
    kb_buf_addc(&p->key, '\x1f');
    return df == 0;
}

/* In how many sections of language l a term occurs, from the terms table
 * (every indexed token is listed): 0 when one of its tokens is in none,
 * so no section of that language can match it; otherwise, for a term of
 * one token, its count; for a phrase the search made (a CJK word such as
 * "資料庫", kb_qparse.h), the count of its rarest token, which bounds it
 * and is near it ("料庫" is seldom anything but "資料庫"): counted
 * exactly, kb_rank walked the rows of the phrase's tokens in every
 * search, 10M instructions for that word; and -1 (unknown) for a phrase
 * the user quoted or a prefix, which kb_rank then counts itself, or when
 * the table cannot be read.
 *
 * *pCost is what finding the term costs FTS5: the sections of its rarest
 * token, whose list (and the others' from there) it walks, 0 unknown.
 * "2.1" is in 307 Spanish sections but costs the walk of "2" and "1". The
 * term's tokens go to key (NULL when the term has none or is a prefix). */
int search_term_df(search_state *s, int l, kb_tok *t, const kb_qterm *term, int *pCost, char **pKey) {
    *pCost = 0;
    *pKey = NULL;
    if (term->prefix) return -1;
    S_df_probe p = {s, l, 0, 0, 0, {0}};
    kb_tok_run(t, KB_TOK_QUERY, term->text, (int)strlen(term->text), &p, S_probe_token);
    if (p.failed || p.nToken == 0) {
        kb_buf_free(&p.key);
        return -1;
    }
    *pCost = p.minDf;
    *pKey = kb_buf_detach(&p.key);
    if (p.minDf == 0) return 0;
    return (p.nToken == 1 && !term->phrase) || term->joined ? p.minDf : -1;
}

/* Whether term i searches exactly what an earlier term does in language l
 * (same tokens, both plain or both quoted): a pasted message repeats its
 * words ("Azure SDK 2.1 ... Azure SDK 2.1."), and FTS5 would walk each
 * repeat's lists again. Terms of an OR group are left alone. */
static int S_repeats(const kb_query *q, char *const *aKey, int i) {
    const kb_qterm *t = &q->a[i];
    if (!aKey[i] || t->negated || kb_query_in_group(q, i)) return 0;
    for (int j = 0; j < i; j++) {
        const kb_qterm *u = &q->a[j];
        if (aKey[j] && !u->negated && !kb_query_in_group(q, j) && u->phrase == t->phrase &&
            strcmp(aKey[j], aKey[i]) == 0)
            return 1;
    }
    return 0;
}

/* Each query term's document frequency in language l (-1 unknown), what
 * it costs to find, and whether it repeats an earlier term; looked up once
 * per search: every pass needs them. */
void search_term_stats(search_state *s, int l, const kb_query *q) {
    if (s->aDf[l]) return;
    s->aDf[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aDf[l]);
    s->aCost[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aCost[l]);
    s->aDup[l] = kb_xcalloc((size_t)q->n + 1, sizeof *s->aDup[l]);
    char **aKey = kb_xcalloc((size_t)q->n + 1, sizeof *aKey);
    for (int i = 0; i < q->n; i++)
        s->aDf[l][i] =
            q->a[i].negated ? -1 : search_term_df(s, l, search_tok(s, l), &q->a[i], &s->aCost[l][i], &aKey[i]);
    for (int i = 0; i < q->n; i++) s->aDup[l][i] = S_repeats(q, aKey, i);
    for (int i = 0; i < q->n; i++) free(aKey[i]);
    free(aKey);
}

int *search_term_dfs(search_state *s, int l, const kb_query *q) {
    search_term_stats(s, l, q);
    return s->aDf[l];
}

/* A word without the quotes and sentence punctuation around it
 * ("'janedo@contoso.com'", "kubectl,", "(0x80070005)."): its start, and
 * its length in *pn; the word itself if nothing else is left. */
const char *search_strip_around(const char *z, size_t *pn) {
    static const char kAround[] = "'\"`,;:.!?()[]{}<>";
    size_t n = strlen(z);
    const char *w = z;
    while (n > 0 && strchr(kAround, w[n - 1])) n--;
    while (n > 0 && strchr(kAround, *w)) w++, n--;
    if (n == 0) w = z, n = strlen(z);
    *pn = n;
    return w;
}

/* Whether any language's index has the query's word i, as that language
 * reads it: from the counts the search looked up already, or from the FTS
 * table when the word is several tokens there. */
int search_known_anywhere(search_state *s, const kb_query *q, int i) {
    for (int l = 0; l < s->nLang; l++) {
        int df = search_term_dfs(s, l, q)[i];
        if (df > 0 || (df < 0 && kb_spell_known(search_spell(s, l), q->a[i].text))) return 1;
    }
    return 0;
}

/* The code a word of the question names, into out (cap bytes): the word
 * itself ("AuthorizationFailed:") or the last part of a dotted name
 * ("System.IO.FileNotFoundException:"), the punctuation around it set
 * aside. A code has a lower-case letter followed by a capital, 8 characters
 * or more, letters and digits only. 0 if the word names none. */
int search_code_of(const char *z, char *out, size_t cap) {
    while (*z && ispunct((unsigned char)*z)) z++;
    size_t n = strlen(z);
    while (n > 0 && ispunct((unsigned char)z[n - 1])) n--;
    for (size_t i = n; i > 0; i--)
        if (z[i - 1] == '.') {
            n -= i;
            z += i;
            break;
        }
    int camel = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)z[i])) return 0;
        camel |= i > 0 && islower((unsigned char)z[i - 1]) && isupper((unsigned char)z[i]);
    }
    if (!camel || n < 8 || n >= cap || !isalpha((unsigned char)z[0])) return 0;
    memcpy(out, z, n);
    out[n] = 0;
    return 1;
}

/* Character z as language l's questions read it, into out (cap bytes):
 * "網" is "网" in Chinese. 0 if it makes no one token. */
static int S_char_folded(search_state *s, int l, const char *z, char *out, size_t cap) {
    return kb_tok_one(search_tok(s, l), z, (int)strlen(z), out, cap);
}

/* How many sections hold character z as a token of its own, in every
 * language. */
sqlite3_int64 search_char_df(search_state *s, const char *z) {
    sqlite3_int64 sum = 0;
    char folded[16];
    for (int l = 0; l < s->nLang; l++)
        if (S_char_folded(s, l, z, folded, sizeof folded)) sum += search_token_df(s, l, folded);
    return sum;
}

/* How many sections, at most, hold a token that starts with character z,
 * in every language: the sum of those tokens' document frequencies, z
 * read as each language's questions are (it had been looked up as typed:
 * "網" started no term, "网" thousands). */
sqlite3_int64 search_char_prefix_df(search_state *s, const char *z) {
    sqlite3_stmt *st = NULL;
    sqlite3_int64 sum = 0;
    char folded[16];
    if (kb_db_prepare(s->db, "SELECT sum(df) FROM terms WHERE lang = ?2 AND term >= ?1 AND term < ?1 || char(1114111)",
                      &st) != KB_OK)
        return 0;
    for (int l = 0; l < s->nLang; l++) {
        if (!S_char_folded(s, l, z, folded, sizeof folded)) continue;
        sqlite3_bind_text(st, 1, folded, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, s->aLang[l], -1, SQLITE_STATIC);
        if (search_stepped(s, st) == SQLITE_ROW) sum += sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return sum;
}

/* Whether a term holds Han, kana or Hangul: a bigram the question's CJK
 * text was cut into ("魔法咒語" is "魔法", "法咒", "咒語"), not a word a
 * reader typed. */
int search_cjk_term(const char *z) {
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len)
        if (kb_tok_is_cjk(cp)) return 1;
    return 0;
}

int search_any_cjk_term(const kb_query *q) {
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated && search_cjk_term(q->a[i].text)) return 1;
    return 0;
}

/* The sections of language l that hold token tok (0 if none or unread). */
long search_token_df(search_state *s, int l, const char *tok) {
    sqlite3_stmt *st = search_sql(&s->stmts, SEARCH_SQL_TERM_DF);
    if (!st) return 0;
    sqlite3_bind_text(st, 1, s->aLang[l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, tok, -1, SQLITE_STATIC);
    long df = search_stepped(s, st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return df;
}

/* The length of z's first character (UTF-8). */
size_t search_first_char_len(const char *z) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
    return len > 0 ? (size_t)len : 1;
}

/* Whether CJK bigram b follows a in the text they were cut from: "料库"
 * after "资料" shares its first character with a's last. */
int search_bigram_follows(const kb_qterm *a, const kb_qterm *b) {
    size_t nA = strlen(a->text), nFirst = search_first_char_len(b->text);
    return search_cjk_term(b->text) && !a->negated && !b->negated && nA > nFirst &&
           memcmp(a->text + nA - nFirst, b->text, nFirst) == 0;
}

/* How many of the question's words, stop words included, some section of
 * language l holds. */
int search_known_words(search_state *s, int l, const kb_query *q) {
    const int *aDf = search_term_dfs(s, l, q);
    int known = 0;
    for (int i = 0; i < q->n; i++) known += aDf[i] > 0;
    return known;
}

/* Whether a CJK term holds kana: Japanese, not Chinese. */
int search_kana_term(const char *z) {
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len)
        if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xFF66 && cp <= 0xFF9F)) return 1;
    return 0;
}
