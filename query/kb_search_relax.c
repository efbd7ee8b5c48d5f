/* kb_search_relax.c: see kb_search_relax.h. */
#include "kb_search_relax.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_dict.h"
#include "kb_qparse.h"
#include "kb_search_match.h"
#include "kb_search_pass.h"
#include "kb_search_question.h"
#include "kb_search_reword.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_spell.h"
#include "kb_tok.h"
#include "kb_util.h"
#include "kb_vocab.h"

/* A last word that no section with the question's other words holds is
 * completed as one still being typed when the words it starts are in this
 * many times more sections than it is ("vir", "virtual": S_complete_last). */
#define KB_COMPLETE_RARER 10

/* A word the user could have mistyped: letters only, one token (into
 * token, 128 bytes). */
static int S_correctable(kb_tok *t, const kb_qterm *term, char *token) {
    if (term->phrase || term->negated || strpbrk(term->text, "0123456789")) return 0;
    return kb_tok_one(t, term->text, (int)strlen(term->text), token, 128);
}

/* Whether a term the search writes into a question (a correction, a
 * completion: an indexed token) comes back from t, as the FTS tokenizer
 * will read it, unchanged: a stem that stems to itself. */
static int S_reads_as_itself(kb_tok *t, const char *token) {
    char again[128];
    kb_qterm probe = {.text = (char *)token};
    return S_correctable(t, &probe, again) && strcmp(again, token) == 0;
}

/* A word typed in capitals, of 2-5 letters ("AKS", "NSG"): a name the
 * user typed on purpose, which no edit of it would mean. Longer ones are
 * more likely a question typed with caps lock on. */
static int S_acronym(const char *z) {
    size_t n = 0;
    for (; z[n]; n++)
        if (z[n] < 'A' || z[n] > 'Z') return 0;
    return n >= 2 && n <= 5;
}

/* Whether the query's last word is worth completing as a prefix: three
 * characters or more, none CJK. A Latin-script word is often still being
 * typed ("credenc"); CJK text is indexed as bigrams already, and the prefix
 * of one Han character merges the lists of every bigram it starts (60% of
 * a query's 64M instructions on es-ES+zh-TW). */
static int S_prefix_worthy(const char *z) {
    int nChar = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z && (len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp)) > 0; z += len) {
        if (kb_tok_is_cjk(cp)) return 0;
        nChar++;
    }
    return nChar >= 3;
}

/* The indexed terms of one language that a prefix query for a word reads
 * (they start with the word folded, not stemmed). */
#define S_COMPLETIONS_READ 256
typedef struct S_completions {
    int n;           /* how many, up to S_COMPLETIONS_READ */
    long total;      /* their sections, added up */
    int bestDf;      /* the most common one's sections */
    char best[128];  /* ...and its term */
} S_completions;

static void S_completions_read(search_state *s, int l, const char *word, S_completions *c) {
    char folded[128];
    size_t n = kb_tok_fold(word, strlen(word), folded, sizeof folded);
    memset(c, 0, sizeof *c);
    sqlite3_stmt *st = search_sql(&s->stmts, SEARCH_SQL_TERMS_FROM);
    if (!st) return;
    sqlite3_bind_text(st, 1, s->aLang[l], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, folded, (int)n, SQLITE_STATIC);
    while (c->n < S_COMPLETIONS_READ && search_stepped(s, st) == SQLITE_ROW) {
        const char *term = (const char *)sqlite3_column_text(st, 0);
        int df = sqlite3_column_int(st, 1);
        if (!term || strncmp(term, folded, n) != 0) break;
        c->n++;
        c->total += df;
        if (df > c->bestDf && strlen(term) < sizeof c->best) {
            c->bestDf = df;
            strcpy(c->best, term);
        }
    }
    sqlite3_reset(st);
}

/* Whether a prefix query for the word finds anything in some language. */
static int S_completes_anywhere(search_state *s, const char *word) {
    for (int l = 0; l < s->nLang; l++) {
        S_completions c;
        S_completions_read(s, l, word, &c);
        if (c.n > 0) return 1;
    }
    return 0;
}

/* Whether the most common completion can stand for them all: it holds two
 * thirds of their sections, and language l's tokenizer reads it back as
 * itself. */
static int S_completion_dominates(search_state *s, int l, const S_completions *c) {
    return c->n > 0 && 3 * (long)c->bestDf >= 2 * c->total && S_reads_as_itself(search_tok(s, l), c->best);
}

/* Whether word i, which language l knows, is far rarer there than the
 * words it starts (KB_COMPLETE_RARER): "vir" is in 3 Spanish sections, the
 * words it starts in 7,811. */
static int S_rarer_than_completions(search_state *s, int l, const kb_query *q, int i, const S_completions *c) {
    long own = search_term_dfs(s, l, q)[i];
    return c->n >= 2 && (own > 0 ? own : 0) * KB_COMPLETE_RARER < c->total;
}

/* A word cut while being typed past its stem: "almacenam" of
 * "almacenamiento", whose token is "almacen", starts no common token (the
 * tokens it starts are the docs' oddities, "almacenamientoy" of
 * "**almacenamiento**y"). The word less its last one to three letters is
 * then searched, into out (cap bytes), when its token is in
 * KB_COMPLETE_RARER times more sections than those it starts together
 * (`started`). 1 if it is. Only for a word that starts some token: one
 * that starts none is a typo ("Databse"), which the corrector mends. */
static int S_cut_to_stem(search_state *s, int l, const char *word, long started, char *out, size_t cap) {
    kb_tok *t = search_tok(s, l);
    size_t n = strlen(word);
    for (size_t cut = 1; cut <= 3 && n > cut + 3 && n - cut < cap; cut++) {
        size_t k = n - cut;
        while (k > 0 && ((unsigned char)word[k] & 0xC0) == 0x80) k--; /* whole characters */
        char token[128];
        memcpy(out, word, k);
        out[k] = '\0';
        long df = kb_tok_one(t, out, (int)k, token, sizeof token) ? search_token_df(s, l, token) : 0;
        if (df >= 2 && df > KB_COMPLETE_RARER * started) return 1;
    }
    return 0;
}

/* Completes the question's last word i as one still being typed, in
 * language l (the question's), when no section has every word: a word no
 * section holds that starts indexed ones ("credenc"), or one far fewer
 * sections hold than the words it starts (KB_COMPLETE_RARER). A completion
 * that dominates replaces it: a prefix query merges the lists of every
 * term it starts, twice ("Azu": 256 and more, 87M instructions). Else the
 * word becomes a prefix, if some language has a word it starts. Returns 1
 * if the word changed. */
static int S_complete_last(search_state *s, int l, kb_query *q, int i, int known) {
    kb_qterm *term = &q->a[i];
    if (!S_prefix_worthy(term->text)) return 0;
    S_completions c;
    S_completions_read(s, l, term->text, &c);
    if (known && !S_rarer_than_completions(s, l, q, i, &c)) return 0;
    char cut[128];
    if (!known && c.n > 0 && S_cut_to_stem(s, l, term->text, c.total, cut, sizeof cut)) {
        term->typed = term->text;
        term->text = kb_xstrdup(cut);
        return 1;
    }
    if (S_completion_dominates(s, l, &c)) {
        term->typed = term->text;
        term->text = kb_xstrdup(c.best);
        return 1;
    }
    if (c.n == 0 && !S_completes_anywhere(s, term->text)) return 0;
    term->prefix = 1;
    return 1;
}

/* The question's last word, when it is a plain word: the index of it, else -1. */
static int S_last_word(const kb_query *q) {
    int iLast = -1;
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) iLast = i;
    if (iLast < 0) return -1;
    const kb_qterm *t = &q->a[iLast];
    return t->phrase || t->prefix || kb_query_in_group(q, iLast) ? -1 : iLast;
}

/* When sections hold every word, the last may still be one being typed
 * all the same: "máquinas virtuales de wind" found the sections that say
 * "wind". If the word is far rarer than the words it starts and one of
 * them dominates (S_complete_last's tests), the question is searched once
 * more with that one as the word's alternative ("wind" OR "windows"),
 * which kb_rank weighs as one word, and both passes' sections compete. On
 * headings cut to 4 letters (tests/quality/typos.py "cut"), hit@1 0.560 ->
 * 0.583, hit@10 0.657 -> 0.687; no other measure moved. */
int search_completion_pass(search_state *s, const kb_query *q, int *pnAll) {
    int i = S_last_word(q);
    if (i < 0 || q->n >= KB_QPARSE_MAX_TERMS || !S_prefix_worthy(q->a[i].text)) return KB_OK;
    int l = search_question_lang(s, q);
    S_completions c;
    S_completions_read(s, l, q->a[i].text, &c);
    if (!S_rarer_than_completions(s, l, q, i, &c) || !S_completion_dominates(s, l, &c)) return KB_OK;
    kb_query completed = {kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *completed.a), 0};
    for (int k = 0; k < q->n; k++) {
        search_append_copy(&completed, &q->a[k]);
        if (k != i) continue;
        completed.a[completed.n - 1].orWithNext = 1;
        kb_qterm *alt = search_append_copy(&completed, &q->a[k]);
        free(alt->text);
        alt->text = kb_xstrdup(c.best);
        alt->orWithNext = 0;
    }
    search_forget_dfs(s); /* of the question's terms; the pass reads the completed ones' */
    int n = 0, rc = search_all_pass(s, &completed, SEARCH_EVERY_TABLE, &n);
    search_forget_dfs(s);
    *pnAll += n;
    s->completed = completed; /* its words are matches to show too */
    return rc;
}

/* A question typed with caps lock on ("COPAI DE SEGURIDAD"): every word
 * with letters is in capitals, and there are two or more, so that a short
 * one is no acronym the user meant (S_acronym). */
static int S_caps_lock(const kb_query *q) {
    int nWord = 0;
    for (int i = 0; i < q->n; i++) {
        int letters = 0;
        for (const char *z = q->a[i].text; *z; z++) {
            if (*z >= 'a' && *z <= 'z') return 0;
            letters |= *z >= 'A' && *z <= 'Z';
        }
        nWord += letters;
    }
    return nWord >= 2;
}

/* The typos a real word (S_dictionary_word) is read through as another:
 * not a letter put in, which can make a stem of a word that is none
 * ("eternidad": "externidad", "externa"'s stem). */
#define S_REAL_WORD_TYPOS (KB_SPELL_DOUBLED | KB_SPELL_SWAPPED)

/* The shortest typo (in bytes) corrected in a language the question gives
 * no sign of. */
#define S_ANY_LANG_TYPO_MIN 6

/* The most unknown words of a question searched for a correction: each
 * costs 10-25M instructions (some 250 spellings stemmed and looked up,
 * then the nearest stems scanned), and a question of 48 made-up words had
 * cost 1,230M. A person's question holds a few typos; more unknown words
 * are names, codes, or another language. */
#define S_MAX_WORDS_CORRECTED 8

/* Term i corrected to the nearest indexed word of language l, into best
 * (128 bytes): a swap first, its word read as typed; else the nearest
 * token, which the FTS tokenizer will read again. */
static int S_correct_in(search_state *s, int l, const kb_qterm *term, char *best) {
    kb_tok *t = search_tok(s, l);
    kb_spell *spell = search_spell(s, l);
    char tok[128];
    if (!S_correctable(t, term, tok)) return 0;
    return kb_spell_nearest_word(spell, t, term->text, KB_SPELL_ANY_TYPO, best, 128) ||
           (kb_spell_nearest(spell, tok, best, 128) && S_reads_as_itself(t, best));
}

/* A word typed in hiragana, as katakana (into out, cap bytes): the docs
 * write a loanword in katakana, and an IME not asked to convert leaves it
 * in hiragana ("まうんと" for "マウント"). 0 unless every character is
 * hiragana (or the prolonged sound mark). */
static int S_as_katakana(const char *z, char *out, size_t cap) {
    size_t n = 0;
    utf8proc_int32_t cp;
    for (utf8proc_ssize_t len; *z; z += len) {
        len = utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
        if (len <= 0 || !((cp >= 0x3041 && cp <= 0x3096) || cp == 0x30FC) || n + 4 >= cap) return 0;
        n += (size_t)utf8proc_encode_char(cp == 0x30FC ? cp : cp + 0x60, (utf8proc_uint8_t *)out + n);
    }
    out[n] = 0;
    return n > 0;
}

/* Whether term i of q, written as z, is in some section. */
static int S_in_docs_as(search_state *s, const kb_query *q, int i, char *z) {
    kb_qterm as = q->a[i];
    as.text = z;
    int known = 0;
    for (int l = 0; l < s->nLang && !known; l++) {
        int cost;
        char *key;
        known = search_term_df(s, l, search_tok(s, l), &as, &cost, &key) > 0;
        free(key);
    }
    return known;
}

/* Whether term i in katakana (into out, 128 bytes) is in some section. */
static int S_katakana_in_docs(search_state *s, const kb_query *q, int i, char *out) {
    const char *z = q->a[i].text;
    if (q->a[i].negated || q->a[i].symptom || strlen(z) == search_first_char_len(z) || !S_as_katakana(z, out, 128))
        return 0; /* a lone character is a particle ("の"), not a word */
    return S_in_docs_as(s, q, i, out);
}

/* Whether term i, a word no section has, is a word of the question's
 * language l or of English, which engineers type in every language
 * (kb_dict.h): "really" is no typo of "relies", nor "forgot" of "format".
 * token is its token in l. */
static int S_dictionary_word(search_state *s, int l, const kb_qterm *term, const char *token) {
    if (kb_dict_has_token(s->aLang[l], token)) return 1;
    if (strcmp(s->aLang[l], "en") == 0) return 0;
    if (!s->enTok) s->enTok = kb_tok_new("en");
    char enToken[128];
    return S_correctable(s->enTok, term, enToken) && kb_dict_has_token("en", enToken);
}

/* Term i, a British spelling no section has, in the American one some
 * section has (into out, 128 bytes): "organisation" as "organization". */
static int S_us_spelling_in_docs(search_state *s, const kb_query *q, int i, char *out) {
    return kb_dict_us_spelling_of(q->a[i].text, out, 128) && S_in_docs_as(s, q, i, out);
}

/* A word typed in hiragana that the docs know in katakana, and not as
 * typed, is read so: "まうんと できない" finds the sections on "マウント".
 * A word of three or four characters is one term; a longer one, the
 * bigrams it was cut into ("ばっくあっぷ": "ばっ", "っく"...), each of which
 * must be in the docs in katakana, while one at least is not as typed.
 * Returns 1 if the query changed. */
static int S_katakana_words(search_state *s, kb_query *q, int *aCorrected) {
    int changed = 0;
    char (*aKana)[128] = kb_xcalloc((size_t)q->n + 1, sizeof *aKana);
    for (int i = 0; i < q->n;) {
        int j = i;
        while (j + 1 < q->n && search_bigram_follows(&q->a[j], &q->a[j + 1])) j++;
        int all = 1, unknown = 0;
        for (int k = i; k <= j && all; k++) {
            all = S_katakana_in_docs(s, q, k, aKana[k]);
            unknown |= all && !search_known_anywhere(s, q, k);
        }
        for (int k = i; k <= j && all && unknown; k++) {
            free(q->a[k].typed);
            q->a[k].typed = q->a[k].text;
            q->a[k].text = kb_xstrdup(aKana[k]);
            aCorrected[k] = SEARCH_CORRECTED;
            changed = 1;
        }
        i = j + 1;
    }
    free(aKana);
    return changed;
}

/* When the strict search of a typed question is weak: a trailing partial
 * word is completed (S_complete_last), and words the index does not know
 * are corrected to the nearest indexed words of the question's language,
 * or, when the question has no word of it and no language was asked for,
 * of the first language that has one ("almacenamietno" alone, in a C
 * locale, is Spanish). A British spelling is read in the American one the
 * docs use; a real word (S_dictionary_word) is left as typed unless one
 * common typo makes it a word of the docs. Returns 1 if the query changed. */
int search_relax(search_state *s, kb_query *q, int *aCorrected) {
    int iLang = search_question_lang(s, q), changed = S_katakana_words(s, q, aCorrected);
    int anyLang = !s->o->langExplicit && search_known_words(s, iLang, q) == 0, capsLock = S_caps_lock(q);
    kb_tok *t = search_tok(s, iLang);
    int iLast = -1;
    for (int i = 0; i < q->n; i++)
        if (!q->a[i].negated) iLast = i;
    for (int i = 0, nTried = 0; i < q->n; i++) {
        kb_qterm *term = &q->a[i];
        char tok[128];
        if (aCorrected[i] == SEARCH_CORRECTED) continue; /* read in katakana */
        /* a symptom's word is in the vocabulary, not a typo ("stuck" is not
         * "stack"), also where no phrase marked it: a code's part ("Stuck"
         * of "ExtensionStuckInDeletionState") */
        const char *w = term->text;
        if (term->symptom || term->optional || kb_vocab_is(KB_VOCAB_SYMPTOM, w, strlen(w)) ||
            kb_vocab_is(KB_VOCAB_OPTIONAL, w, strlen(w)) || !S_correctable(t, term, tok))
            continue;
        int known = search_known_anywhere(s, q, i);
        /* A last word that starts no indexed one is a typo, not a word
         * still being typed ("crear cuenat"). */
        if (i == iLast && S_complete_last(s, iLang, q, i, known)) {
            changed = 1;
            continue;
        }
        if (known || (!capsLock && S_acronym(term->text)) || nTried++ >= S_MAX_WORDS_CORRECTED) continue;
        char best[128];
        int found = S_us_spelling_in_docs(s, q, i, best);
        /* A real word is read as another only one common typo away
         * ("cuneta" for "cuenta"), never as the nearest stem. */
        if (!found && S_dictionary_word(s, iLang, term, tok)) {
            if (!kb_spell_nearest_word(search_spell(s, iLang), t, term->text, S_REAL_WORD_TYPOS, best, sizeof best))
                continue;
            found = 1;
        }
        if (!found) found = S_correct_in(s, iLang, term, best);
        /* in another language only a long word: every language has some
         * word one letter from "aks" */
        for (int l = 0; anyLang && !found && strlen(term->text) >= S_ANY_LANG_TYPO_MIN && l < s->nLang; l++)
            if (l != iLang) found = S_correct_in(s, l, term, best);
        if (!found) continue;
        free(term->typed); /* the word as typed, which the question shown replaces */
        term->typed = term->text;
        term->text = kb_xstrdup(best);
        aCorrected[i] = SEARCH_CORRECTED;
        changed = 1;
    }
    return changed;
}

/* A word of at most KB_RARE_WORD_DF sections, in every language, is as
 * likely a typo the docs made as a word: "virutal" and "eror" are in one
 * Spanish section each, so "maquina virutal" found that one section (a
 * Chinese one, in a list of misspellings). Such a word one typo from a
 * word KB_RARE_TYPO_FACTOR times commoner is read as that word (a real
 * word only one swap or doubled letter from it: "cuneta" for "cuenta").
 * A word with a capital inside it or a digit is a name or a code: left as
 * typed. */
#define KB_RARE_WORD_DF 2
#define KB_RARE_TYPO_FACTOR 50

static int S_rare_typo(search_state *s, const kb_query *q, int i) {
    const kb_qterm *t = &q->a[i];
    if (t->phrase || t->negated || t->symptom || t->optional || t->prefix || strlen(t->text) < 4 ||
        strpbrk(t->text, "0123456789"))
        return 0;
    for (const char *z = t->text + 1; *z; z++)
        if (isupper((unsigned char)*z)) return 0;
    int maxDf = 0;
    for (int l = 0; l < s->nLang; l++) {
        int df = search_term_dfs(s, l, q)[i];
        if (df < 0 || df > KB_RARE_WORD_DF) return 0;
        if (df > maxDf) maxDf = df;
    }
    return maxDf;
}

/* Reads the question's rare words that are typos (S_rare_typo) as the
 * words they mistype, in the question's language; not a last word that
 * starts far commoner ones, which is still being typed ("nodos no regi").
 * 1 if one was. */
int search_correct_rare_typos(search_state *s, kb_query *q, int *aCorrected) {
    int iLang = search_question_lang(s, q), changed = 0, iLast = S_last_word(q);
    for (int i = 0; i < q->n; i++) {
        int df = S_rare_typo(s, q, i);
        if (df == 0) continue;
        char tok[128], best[128];
        int typos = S_correctable(search_tok(s, iLang), &q->a[i], tok) && S_dictionary_word(s, iLang, &q->a[i], tok)
                        ? S_REAL_WORD_TYPOS
                        : KB_SPELL_ANY_TYPO;
        S_completions c = {0};
        if (i == iLast) S_completions_read(s, iLang, q->a[i].text, &c);
        if (c.total > (long)KB_COMPLETE_RARER * df ||
            kb_spell_nearest_word(search_spell(s, iLang), search_tok(s, iLang), q->a[i].text, typos, best, sizeof best) <
                KB_RARE_TYPO_FACTOR * df)
            continue;
        kb_qterm *term = &q->a[i];
        free(term->typed);
        term->typed = term->text;
        term->text = kb_xstrdup(best);
        aCorrected[i] = SEARCH_CORRECTED;
        changed = 1;
    }
    return changed;
}

typedef struct S_surface {
    const char *text;   /* the body being scanned */
    char *const *aToken; /* the corrected word's tokens: as searched, and as its word reads */
    int nToken;
    char typed[128];    /* the word as typed, folded */
    char *best;         /* the written word nearest the typed one so far */
    int bestDistance;
    int bestWhole;      /* best is a word of its own, not a variant or a code's part */
    int bCompletion;    /* typed is a word being typed, completed, not corrected */
} S_surface;

/* Added to the distance of a written word that does not start with a
 * word being typed (S_find_surface). */
#define KB_SURFACE_NOT_STARTED 100

/* A corrected word was typed as no written one, so the first word of its
 * own one edit away ends the search: reading the ten results to their end
 * cost 3-5M instructions more. */
static int S_surface_final(const S_surface *f) {
    return f->best && f->bestDistance <= 1 && f->bestWhole;
}

/* Every written word that makes the token is a candidate: for a word
 * being typed, the nearest of those that start with it ("almacenamiento"
 * for "almacenam", "cuenta" for "cuen"); else the one nearest it wins
 * ("instalr" is "instalar", not "instalado" or "instalación", which share
 * its stem), then a word of its own over a code's part ("snapshot", not
 * "Snapshot" of "VMSnapshot"), then the first. */
static int S_find_surface(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    S_surface *f = ctx;
    int match = 0;
    for (int i = 0; i < f->nToken && !match; i++)
        match = (int)strlen(f->aToken[i]) == nTok && memcmp(tok, f->aToken[i], (size_t)nTok) == 0;
    if ((flags & KB_TOK_UNMATCHED) || !match) return 0;
    char folded[128];
    kb_tok_fold(f->text + iStart, (size_t)(iEnd - iStart), folded, sizeof folded);
    /* a word that starts with the one being typed is what it was to be */
    int started = !f->bCompletion || strncmp(folded, f->typed, strlen(f->typed)) == 0;
    int distance = kb_spell_distance(f->typed, folded, 8) + (started ? 0 : KB_SURFACE_NOT_STARTED);
    int whole = !(flags & KB_TOK_COLOCATED);
    if (f->best && (distance > f->bestDistance || (distance == f->bestDistance && (f->bestWhole || !whole))))
        return 0;
    free(f->best);
    f->best = kb_xstrndup(f->text + iStart, (size_t)(iEnd - iStart));
    f->bestDistance = distance;
    f->bestWhole = whole;
    return S_surface_final(f);
}

/* word in lower case if typed has no capital ("Restaurar" of a heading,
 * for "restaurr"). */
static void S_case_as_typed(const char *typed, char *word) {
    utf8proc_int32_t cp;
    for (const char *z = typed; *z; z += kb_utf8_seq_len(z, strlen(z))) {
        utf8proc_iterate((const utf8proc_uint8_t *)z, -1, &cp);
        if (cp >= 0 && utf8proc_tolower(cp) != cp) return;
    }
    kb_buf b = {0};
    for (const char *z = word; *z;) {
        size_t n = kb_utf8_seq_len(z, strlen(z));
        utf8proc_uint8_t enc[4];
        if (utf8proc_iterate((const utf8proc_uint8_t *)z, (utf8proc_ssize_t)n, &cp) > 0)
            kb_buf_add(&b, (const char *)enc, (size_t)utf8proc_encode_char(utf8proc_tolower(cp), enc));
        else
            kb_buf_add(&b, z, n);
        z += n;
    }
    /* lower case is never longer in the scripts a typo is corrected in */
    if (b.n <= strlen(word)) memcpy(word, b.z, b.n + 1);
    kb_buf_free(&b);
}

/* A correction is a stem ("descarg") or a word one typo away; show the
 * user the word as the results write it ("descargar"). The results are
 * read as the index read them, variants included: "almac", the nearest
 * stem to "almasen", is the unaccented variant of "almacén", never a
 * word's own token. The results may all lack it (an OR pass): only the
 * words that could make it are stemmed, with one tokenizer per language
 * in a row ("nodos ... no registardos" read ten sections in full, 27M
 * instructions, 62% of the question). */
int search_surface_form(const kb_results *r, kb_qterm *term, int bCompletion) {
    kb_tok *t = NULL;
    const char *tokLang = NULL;
    char token[128];
    char *aTarget[2] = {term->text, token};
    S_surface f = {.aToken = aTarget, .nToken = 1, .bCompletion = bCompletion};
    kb_tok_fold(term->typed ? term->typed : term->text, strlen(term->typed ? term->typed : term->text), f.typed,
                sizeof f.typed);
    for (int i = 0; i < r->n && i < KB_CORRECTION_PAGE && !S_surface_final(&f); i++) {
        if (!t || strcmp(tokLang, r->a[i].lang) != 0) {
            kb_tok_free(t);
            t = kb_tok_new(tokLang = r->a[i].lang);
            /* A correction made of a whole word ("creaer", one letter from
             * "craer") is found as the docs write its token ("crear"). */
            f.nToken = kb_tok_one(t, term->text, (int)strlen(term->text), token, sizeof token) &&
                               strcmp(token, term->text) != 0 ? 2 : 1;
            kb_tok_set_targets(t, aTarget, f.nToken);
        }
        f.text = r->a[i].view.text;
        kb_tok_run(t, KB_TOK_DOCUMENT, f.text, (int)strlen(f.text), &f, S_find_surface);
    }
    kb_tok_free(t);
    if (!f.best) return 0;
    int final = S_surface_final(&f);
    S_case_as_typed(term->typed ? term->typed : term->text, f.best);
    free(term->text);
    term->text = f.best;
    return final;
}

/* Whether z[0..n) stands as a word at z + i of text: no letter or digit
 * of the text runs into it. */
static int S_word_at(const char *text, const char *at, size_t n) {
    unsigned char before = at > text ? (unsigned char)at[-1] : ' ', after = (unsigned char)at[n];
    return !isalnum(before) && !isalnum(after);
}

/* Whether the terms from i on begin a run of CJK bigrams cut from one
 * piece of the question as typed; returns how many terms it spans (1: no
 * run), its text (the first bigram, then each next one's last character)
 * into run. */
static int S_typed_bigram_run(const char *query, const kb_query *q, int i, kb_buf *run) {
    int j = i;
    run->n = 0;
    kb_buf_adds(run, q->a[i].text);
    while (j + 1 < q->n && !q->a[j].phrase && !q->a[j].orWithNext && !q->a[j + 1].phrase &&
           search_bigram_follows(&q->a[j], &q->a[j + 1])) {
        j++;
        kb_buf_adds(run, q->a[j].text + search_first_char_len(q->a[j].text));
    }
    return j > i && strstr(query, kb_buf_str(run)) ? j - i + 1 : 1;
}

/* The terms searched, as kb_query_format writes them, but a run of CJK
 * bigrams as the text they were cut from: "屬性值重複", not "屬性 性值 值重
 * 重複", which are no words. */
static char *S_format_searched(const char *query, const kb_query *q) {
    kb_buf b = {0}, run = {0};
    for (int i = 0; i < q->n; i++) {
        int span = search_cjk_term(q->a[i].text) ? S_typed_bigram_run(query, q, i, &run) : 1;
        if (span == 1) {
            kb_query one = {.a = (kb_qterm *)&q->a[i], .n = 1};
            char *z = kb_query_format(&one);
            if (b.n) kb_buf_addc(&b, ' ');
            kb_buf_adds(&b, z);
            free(z);
            continue;
        }
        if (b.n) kb_buf_addc(&b, ' ');
        kb_buf_adds(&b, kb_buf_str(&run));
        i += span - 1;
    }
    kb_buf_free(&run);
    return kb_buf_detach(&b);
}

/* The question as the search ran it, for "corrected": the question as
 * typed, each corrected or completed word replaced by what was searched,
 * so that what was not changed reads as typed (CJK text, not its bigrams;
 * a symptom, not left out). A code searched as its parts is shown as
 * those parts ("Fs Freeze Failed"), the rest as the terms searched. */
char *search_corrected_question(const char *query, const kb_query *q, const int *aCorrected) {
    for (int i = 0; i < q->n; i++)
        if (aCorrected[i] == SEARCH_SPLIT) return S_format_searched(query, q);
    kb_buf b = {0};
    const char *pos = query;
    for (int i = 0; i < q->n; i++) {
        const char *typed = q->a[i].typed;
        if (!typed || strcmp(typed, q->a[i].text) == 0) continue;
        size_t n = strlen(typed);
        const char *at = pos;
        while ((at = strstr(at, typed)) != NULL && !S_word_at(query, at, n)) at++;
        if (!at) continue;
        kb_buf_add(&b, pos, (size_t)(at - pos));
        kb_buf_adds(&b, q->a[i].text);
        pos = at + n;
    }
    kb_buf_adds(&b, pos);
    /* one line to show: a tab or newline typed between words is a space */
    for (size_t i = 0; i < b.n; i++)
        if (b.z[i] == '\t' || b.z[i] == '\n' || b.z[i] == '\r' || b.z[i] == '\v' || b.z[i] == '\f') b.z[i] = ' ';
    return kb_buf_detach(&b);
}
