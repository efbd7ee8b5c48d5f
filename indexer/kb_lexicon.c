/* kb_lexicon.c: see kb_lexicon.h.
 *
 * One pass over a language's sections numbers every word it meets and
 * counts the sections that hold each English anchor word, each heading
 * word, each pair of the two and each spelling of a heading word; pairs
 * are then scored and the best kept. Words are numbered, and pairs counted
 * by their numbers, because a section pairs each of its anchor's words
 * with each of its heading's (zh-TW's headings are read as bigrams, a
 * dozen a heading). A word written the same way is looked up once
 * (whether it is a stop word, how it folds): counted by their strings, the
 * pairs of es-ES + zh-TW took 1.07 s to learn, numbered 0.61 s (a busy
 * machine both times; about 0.3 s of an idle full build). */
#include "kb_lexicon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_stopwords.h"
#include "kb_tok.h"
#include "kb_util.h"

/* A pair counts when this many sections hold both words: fewer is chance. */
#define KB_LEXICON_MIN_SECTIONS 3

/* The least Dice coefficient of a translation. "status" and "estado" score
 * 0.44 on es-ES, "key" and "depósito" (of "depósito de claves", a key
 * vault) 0.31, below "clave"'s 0.92. */
#define KB_LEXICON_MIN_DICE 0.3

/* A second translation scores at least this share of the first's. */
#define KB_LEXICON_SECOND_SHARE 0.6

/* Words read of one anchor or heading: a long one pairs each of its words
 * with every word of the other, and says little about any of them. */
#define KB_LEXICON_ROW_WORDS 16

/* Strings numbered in the order first seen: an open-addressing table of
 * their numbers over one buffer of their bytes, with a value per number:
 * a token's sections, or what a word as written tells (S_tells). */
typedef struct S_names {
    kb_buf bytes;
    uint32_t *aOff, *aLen, *aValue;
    uint32_t n, cap;
    uint32_t *aSlot, nSlot; /* number + 1; 0: free. A power of two, at most half used */
} S_names;

static const char *S_name(const S_names *t, uint32_t id) { return t->bytes.z + t->aOff[id]; }

static uint32_t *S_slot(const S_names *t, const char *z, uint32_t n) {
    for (uint32_t i = kb_hash(z, n) & (t->nSlot - 1);; i = (i + 1) & (t->nSlot - 1)) {
        uint32_t id = t->aSlot[i];
        if (!id || (t->aLen[id - 1] == n && memcmp(S_name(t, id - 1), z, n) == 0)) return &t->aSlot[i];
    }
}

/* z[0..n)'s number (a new one's value 0); *pNew, if not NULL, says
 * whether it was new. */
static uint32_t S_number(S_names *t, const char *z, uint32_t n, int *pNew) {
    if ((t->n + 1) * 2 > t->nSlot) {
        uint32_t *aOld = t->aSlot, nOld = t->nSlot;
        t->nSlot = nOld ? nOld * 2 : 1024;
        t->aSlot = kb_xcalloc(t->nSlot, sizeof *t->aSlot);
        for (uint32_t i = 0; i < nOld; i++)
            if (aOld[i]) *S_slot(t, S_name(t, aOld[i] - 1), t->aLen[aOld[i] - 1]) = aOld[i];
        free(aOld);
    }
    uint32_t *slot = S_slot(t, z, n);
    if (pNew) *pNew = !*slot;
    if (*slot) return *slot - 1;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 1024;
        t->aOff = kb_xrealloc(t->aOff, t->cap * sizeof *t->aOff);
        t->aLen = kb_xrealloc(t->aLen, t->cap * sizeof *t->aLen);
        t->aValue = kb_xrealloc(t->aValue, t->cap * sizeof *t->aValue);
    }
    t->aOff[t->n] = (uint32_t)t->bytes.n;
    t->aLen[t->n] = n;
    t->aValue[t->n] = 0;
    kb_buf_add(&t->bytes, z, n);
    kb_buf_addc(&t->bytes, 0);
    *slot = t->n + 1;
    return t->n++;
}

static void S_names_free(S_names *t) {
    kb_buf_free(&t->bytes);
    free(t->aOff), free(t->aLen), free(t->aValue), free(t->aSlot);
}

/* Counts of pairs of numbers (a << 32 | b), in an open-addressing table. */
typedef struct S_pairs {
    uint64_t *aKey; /* key + 1; 0: free */
    uint32_t *aCount;
    uint32_t used, cap;
} S_pairs;

static uint32_t S_pair_slot(const S_pairs *p, uint64_t key) {
    uint64_t h = (key + 1) * 0x9E3779B97F4A7C15ull;
    for (uint32_t i = (uint32_t)(h >> 32) & (p->cap - 1);; i = (i + 1) & (p->cap - 1))
        if (!p->aKey[i] || p->aKey[i] == key + 1) return i;
}

static void S_pair_add(S_pairs *p, uint32_t a, uint32_t b) {
    if ((p->used + 1) * 2 > p->cap) {
        S_pairs old = *p;
        p->cap = old.cap ? old.cap * 2 : 4096;
        p->aKey = kb_xcalloc(p->cap, sizeof *p->aKey);
        p->aCount = kb_xcalloc(p->cap, sizeof *p->aCount);
        for (uint32_t i = 0; i < old.cap; i++)
            if (old.aKey[i]) {
                uint32_t k = S_pair_slot(p, old.aKey[i] - 1);
                p->aKey[k] = old.aKey[i], p->aCount[k] = old.aCount[i];
            }
        free(old.aKey), free(old.aCount);
    }
    uint64_t key = (uint64_t)a << 32 | b;
    uint32_t k = S_pair_slot(p, key);
    if (!p->aKey[k]) p->aKey[k] = key + 1, p->used++;
    p->aCount[k]++;
}

static uint32_t S_pair_count(const S_pairs *p, uint32_t a, uint32_t b) {
    if (p->cap == 0) return 0;
    uint32_t k = S_pair_slot(p, (uint64_t)a << 32 | b);
    return p->aKey[k] ? p->aCount[k] : 0;
}

static void S_pairs_free(S_pairs *p) { free(p->aKey), free(p->aCount); }

/* A word as written is numbered once, and what it tells looked up once:
 * whether it is a stop word (S_WORD_STOP), else, of a heading's word, its
 * spelling's number, and of an anchor's, the docs' token it makes, which
 * the language's table finds by it already ("instrumentation" would find
 * "instrumentación" in an English table, not in the Spanish one). */
enum { S_WORD_STOP = 0xFFFFFFFFu };

/* What one language's pass keeps. Anchor words are the English
 * tokenizer's tokens, heading words the language's; a heading word's
 * spellings are folded in case only (the stemmer needs the accents). */
typedef struct S_learn {
    const char *lang;
    kb_tok *enTok, *docsTok;
    S_names enWritten, docsWritten; /* words as written, valued by what they tell */
    S_names en, docs, spellings; /* tokens, valued by their sections; spellings */
    S_pairs both;                /* (en token, docs token): sections with both */
    S_pairs linked;              /* ...where the docs token's best partner was the en token */
    S_pairs spelled;             /* (docs token, spelling): sections that spell it so */
    kb_buf sections;             /* per section: uint32 nEn, nDocs, en tokens, docs tokens to translate */
} S_learn;

/* The numbers of one text's distinct tokens, and what their words tell. */
typedef struct S_row {
    S_learn *l;
    const char *text;
    int bDocs;
    uint32_t aToken[KB_LEXICON_ROW_WORDS], aTells[KB_LEXICON_ROW_WORDS];
    int n;
} S_row;

/* Whether a token says something: not a number, nor a problem's word
 * marked as naming none (kb_tok.h), nor a single byte. */
static int S_worth(const char *tok, int nTok) {
    if (nTok < 2 || tok[0] == KB_TOK_NOT_PROBLEM_MARK) return 0;
    for (int i = 0; i < nTok; i++)
        if (tok[i] < '0' || tok[i] > '9') return 1;
    return 0;
}

/* What a heading's word tells: its case-folded spelling's number. */
static uint32_t S_spelling(S_learn *l, const char *word, size_t n) {
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t nFolded = utf8proc_map((const utf8proc_uint8_t *)word, (utf8proc_ssize_t)n, &folded,
                                            UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_STABLE);
    uint32_t id = nFolded > 0 ? S_number(&l->spellings, (const char *)folded, (uint32_t)nFolded, NULL) : S_WORD_STOP;
    free(folded);
    return id;
}

/* What an anchor's word tells: the docs' token it makes. */
static uint32_t S_as_docs(S_learn *l, const char *word, size_t n) {
    char tok[128];
    if (!kb_tok_one(l->docsTok, word, (int)n, tok, sizeof tok)) return S_WORD_STOP;
    return S_number(&l->docs, tok, (uint32_t)strlen(tok), NULL);
}

/* What the written word tells (S_learn), looked up once. */
static uint32_t S_tells(S_learn *l, int bDocs, const char *word, size_t n) {
    S_names *t = bDocs ? &l->docsWritten : &l->enWritten;
    int isNew;
    uint32_t id = S_number(t, word, (uint32_t)n, &isNew);
    if (isNew)
        t->aValue[id] = kb_stopword(bDocs ? l->lang : "en", word, n) ? S_WORD_STOP
                        : bDocs                                      ? S_spelling(l, word, n)
                                                                     : S_as_docs(l, word, n);
    return t->aValue[id];
}

static int S_collect(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    S_row *r = ctx;
    S_learn *l = r->l;
    if ((flags & KB_TOK_COLOCATED) || !S_worth(tok, nTok)) return 0;
    uint32_t tells = S_tells(l, r->bDocs, r->text + iStart, (size_t)(iEnd - iStart));
    if (tells == S_WORD_STOP) return 0;
    uint32_t id = S_number(r->bDocs ? &l->docs : &l->en, tok, (uint32_t)nTok, NULL);
    for (int i = 0; i < r->n; i++)
        if (r->aToken[i] == id) return 0;
    r->aToken[r->n] = id;
    r->aTells[r->n++] = tells;
    return r->n == KB_LEXICON_ROW_WORDS;
}

/* The words of an anchor (its hyphens part them: "register-an-app") or of
 * a heading, as a question's are read. */
static void S_read(S_learn *l, int bDocs, const char *text, S_row *r) {
    char *copy = kb_xstrdup(text);
    if (!bDocs)
        for (char *p = copy; *p; p++)
            if (*p == '-' || *p == '_') *p = ' ';
    *r = (S_row){.l = l, .text = copy, .bDocs = bDocs};
    kb_tok_run(bDocs ? l->docsTok : l->enTok, KB_TOK_QUERY, copy, (int)strlen(copy), r, S_collect);
    free(copy);
    r->text = NULL;
}

/* Counts one section. A heading's word that an anchor's word makes in
 * the docs' tokenizer ("Azure", "SQL", or any word of an anchor made from
 * the heading itself) needs no translation, and translates none of the
 * others: "Recovery Services" in a Spanish heading had made "recovery"
 * what "microsoft" means. */
static void S_count_section(S_learn *l, const char *anchor, const char *heading) {
    S_row en, docs;
    S_read(l, 0, anchor, &en);
    if (en.n == 0) return;
    S_read(l, 1, heading, &docs);
    if (docs.n == 0) return;
    uint32_t aKept[KB_LEXICON_ROW_WORDS], nKept = 0;
    for (int i = 0; i < en.n; i++) l->en.aValue[en.aToken[i]]++;
    for (int j = 0; j < docs.n; j++) {
        int asTyped = 0;
        for (int i = 0; i < en.n && !asTyped; i++) asTyped = en.aTells[i] == docs.aToken[j];
        l->docs.aValue[docs.aToken[j]]++;
        if (asTyped) continue;
        aKept[nKept++] = docs.aToken[j];
        S_pair_add(&l->spelled, docs.aToken[j], docs.aTells[j]);
        for (int i = 0; i < en.n; i++) S_pair_add(&l->both, en.aToken[i], docs.aToken[j]);
    }
    uint32_t aHead[2] = {(uint32_t)en.n, nKept};
    kb_buf_add(&l->sections, (const char *)aHead, sizeof aHead);
    kb_buf_add(&l->sections, (const char *)en.aToken, en.n * sizeof *en.aToken);
    kb_buf_add(&l->sections, (const char *)aKept, nKept * sizeof *aKept);
}

static double S_dice(const S_learn *l, uint32_t nBoth, uint32_t e, uint32_t s) {
    return 2.0 * nBoth / (l->en.aValue[e] + l->docs.aValue[s]);
}

/* Each heading word translates one anchor word at most: in each section,
 * the one it goes with most often over the whole language. "storage
 * account" is "cuenta de almacenamiento": "cuenta" goes with "account",
 * though it is as often beside "storage"; "Solución de problemas de Azure
 * Backup" (troubleshoot-azure-backup) made "solución" a word for "azure"
 * on the bundled corpus. A word may still take several heading words
 * ("backup", "copia de seguridad"). */
static void S_link(S_learn *l) {
    const char *p = l->sections.z, *end = p + l->sections.n;
    while (p < end) {
        uint32_t aHead[2];
        memcpy(aHead, p, sizeof aHead);
        const char *aEn = p + sizeof aHead, *aDocs = aEn + aHead[0] * sizeof(uint32_t);
        p = aDocs + aHead[1] * sizeof(uint32_t);
        for (uint32_t j = 0; j < aHead[1]; j++) {
            uint32_t s, best = 0;
            double bestDice = 0;
            memcpy(&s, aDocs + j * sizeof s, sizeof s);
            for (uint32_t i = 0; i < aHead[0]; i++) {
                uint32_t e;
                memcpy(&e, aEn + i * sizeof e, sizeof e);
                double dice = S_dice(l, S_pair_count(&l->both, e, s), e, s);
                if (dice > bestDice) best = e, bestDice = dice;
            }
            if (bestDice > 0) S_pair_add(&l->linked, best, s);
        }
    }
}

typedef struct S_choice {
    const char *en, *docs; /* tokens */
    uint32_t docsId;
    double dice;
} S_choice;

/* By English word, best first; ties by the docs' word, so that every
 * build keeps the same. */
static int S_by_word(const void *a, const void *b) {
    const S_choice *x = a, *y = b;
    int c = strcmp(x->en, y->en);
    if (c) return c;
    if (x->dice != y->dice) return x->dice > y->dice ? -1 : 1;
    return strcmp(x->docs, y->docs);
}

/* The pairs worth keeping, each English word's best and those nearly as
 * good, KB_LEXICON_MAX_WORDS in all; *pn receives how many. */
static S_choice *S_choose(const S_learn *l, size_t *pn) {
    S_choice *a = NULL;
    size_t n = 0, cap = 0;
    for (uint32_t k = 0; k < l->linked.cap; k++) {
        if (!l->linked.aKey[k] || l->linked.aCount[k] < KB_LEXICON_MIN_SECTIONS) continue;
        uint64_t key = l->linked.aKey[k] - 1;
        uint32_t e = (uint32_t)(key >> 32), s = (uint32_t)key;
        double dice = S_dice(l, l->linked.aCount[k], e, s);
        if (dice < KB_LEXICON_MIN_DICE) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 1024;
            a = kb_xrealloc(a, cap * sizeof *a);
        }
        a[n++] = (S_choice){S_name(&l->en, e), S_name(&l->docs, s), s, dice};
    }
    if (n > 0) qsort(a, n, sizeof *a, S_by_word);
    size_t nKept = 0;
    for (size_t i = 0, first = 0, rank = 0; i < n; i++) {
        if (i == 0 || strcmp(a[i].en, a[first].en) != 0) first = i, rank = 0;
        if (rank < KB_LEXICON_MAX_WORDS && a[i].dice >= KB_LEXICON_SECOND_SHARE * a[first].dice) {
            a[nKept++] = a[i];
            rank++;
        }
    }
    *pn = nKept;
    return a;
}

/* Each docs token's most frequent spelling (ties: the first in byte
 * order), as aBest[token] (UINT32_MAX: none). */
static uint32_t *S_best_spellings(const S_learn *l) {
    uint32_t *aBest = kb_xmalloc((l->docs.n + 1) * sizeof *aBest), *aCount = kb_xcalloc(l->docs.n + 1, sizeof *aCount);
    memset(aBest, 0xFF, (l->docs.n + 1) * sizeof *aBest);
    for (uint32_t k = 0; k < l->spelled.cap; k++) {
        if (!l->spelled.aKey[k]) continue;
        uint64_t key = l->spelled.aKey[k] - 1;
        uint32_t s = (uint32_t)(key >> 32), sp = (uint32_t)key, c = l->spelled.aCount[k];
        if (c > aCount[s] ||
            (c == aCount[s] && strcmp(S_name(&l->spellings, sp), S_name(&l->spellings, aBest[s])) < 0))
            aBest[s] = sp, aCount[s] = c;
    }
    free(aCount);
    return aBest;
}

static int S_write(sqlite3 *db, const S_learn *l) {
    size_t n = 0;
    S_choice *a = S_choose(l, &n);
    uint32_t *aBest = S_best_spellings(l);
    sqlite3_stmt *ins = NULL;
    int rc = kb_db_prepare(db, "INSERT OR REPLACE INTO lexicon(lang, word, docs_word, score) VALUES(?, ?, ?, ?)", &ins);
    for (size_t i = 0; rc == KB_OK && i < n; i++) {
        if (aBest[a[i].docsId] == UINT32_MAX) continue;
        sqlite3_bind_text(ins, 1, l->lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, a[i].en, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, S_name(&l->spellings, aBest[a[i].docsId]), -1, SQLITE_STATIC);
        sqlite3_bind_double(ins, 4, a[i].dice);
        if (sqlite3_step(ins) != SQLITE_DONE) rc = kb_db_fail(db);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    free(aBest);
    free(a);
    return rc;
}

static int S_learn_lang(sqlite3 *db, const char *lang) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(db, "SELECT anchor, heading FROM sections WHERE lang = ?", &st);
    if (rc != KB_OK) return rc;
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    S_learn l = {.lang = lang, .enTok = kb_tok_new("en"), .docsTok = kb_tok_new(lang)};
    int step;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *anchor = (const char *)sqlite3_column_text(st, 0);
        const char *heading = (const char *)sqlite3_column_text(st, 1);
        if (anchor && heading) S_count_section(&l, anchor, heading);
    }
    if (step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    if (rc == KB_OK) S_link(&l);
    if (rc == KB_OK) rc = S_write(db, &l);
    S_names_free(&l.enWritten), S_names_free(&l.docsWritten);
    S_names_free(&l.en), S_names_free(&l.docs), S_names_free(&l.spellings);
    S_pairs_free(&l.both), S_pairs_free(&l.linked), S_pairs_free(&l.spelled);
    kb_buf_free(&l.sections);
    kb_tok_free(l.enTok), kb_tok_free(l.docsTok);
    return rc;
}

int kb_lexicon_build(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_exec(db, "DELETE FROM lexicon");
    if (rc == KB_OK) rc = kb_db_prepare(db, "SELECT lang FROM langs WHERE lang <> 'en' ORDER BY lang", &st);
    int step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        char lang[8];
        snprintf(lang, sizeof lang, "%s", (const char *)sqlite3_column_text(st, 0));
        rc = S_learn_lang(db, lang);
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    return rc;
}
