/* kb_search_unknown.c: see kb_search_unknown.h. */
#include "kb_search_unknown.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kb_qparse.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_spell.h"
#include "kb_util.h"

/* Marks in aUnknown the words of the query that no section holds, in any
 * language of the index ("kubectl", or the bigrams of "魔法咒語"): why no
 * section has every word. Stop words, exclusions and optional words are
 * never marked, nor the mainland's words, which the docs hold in Taiwan's
 * ("探测超时": 探查, 逾時). */
void search_mark_unknown(search_state *s, const kb_query *q, int *aUnknown) {
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        aUnknown[i] = !t->negated && !t->optional && !s->aInTaiwanWords[i] && !search_any_stopword(s, t->text) &&
                      !search_known_anywhere(s, q, i);
    }
}

/* The parts of a CamelCase or letter/digit code as kb-index cuts them
 * (kb_tok's DOCUMENT mode: "FsFreezeFailed" -> "Fs" "Freeze" "Failed",
 * "MSOnline" -> "MS" "Online"), those of two characters or more, into
 * aPart (copies); how many. */
static int S_code_parts(const char *z, char **aPart, int max) {
    int n = 0;
    size_t len = strlen(z), start = 0;
    for (size_t k = 1; k <= len && n < max; k++) {
        int boundary = k == len;
        if (!boundary) {
            unsigned char a = (unsigned char)z[k - 1], b = (unsigned char)z[k], c = (unsigned char)z[k + 1];
            boundary = (islower(a) && isupper(b)) || (isupper(a) && isupper(b) && islower(c)) ||
                       (isdigit(a) != 0) != (isdigit(b) != 0);
        }
        if (!boundary) continue;
        if (k - start >= 2) aPart[n++] = kb_xstrndup(z + start, k - start);
        start = k;
    }
    return n;
}

/* z[0..n) into the words no section holds, once. */
static void S_add_unknown(kb_results *r, const char *z, size_t n) {
    for (int k = 0; k < r->nUnknown; k++)
        if (strlen(r->aUnknown[k]) == n && memcmp(r->aUnknown[k], z, n) == 0) return;
    r->aUnknown = kb_xrealloc(r->aUnknown, (size_t)(r->nUnknown + 1) * sizeof *r->aUnknown);
    r->aUnknown[r->nUnknown++] = kb_xstrndup(z, n);
}

/* Whether an error ID of the index holds code ("FsFreezeFailed" inside
 * "UserErrorFsFreezeFailed"); a failed lookup says it does. */
static int S_code_inside_an_id(search_state *s, const char *code) {
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM error_ids WHERE instr(key, lower(?1)) > 0 LIMIT 1", -1, &st,
                           NULL) != SQLITE_OK)
        return 1;
    sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    sqlite3_finalize(st);
    return step != SQLITE_DONE;
}

/* Term i of q replaced by the nPart words aPart (taken), marked as
 * searched in place of what was typed where aKnown says so (NULL: every
 * part); returns nPart. */
static int S_replace_term(kb_query *q, int i, char **aPart, const int *aKnown, int nPart, int *aUnknown,
                          int *aCorrected) {
    kb_qterm term = q->a[i];
    free(term.text);
    free(term.typed);
    memmove(&q->a[i + nPart], &q->a[i + 1], (size_t)(q->n - i - 1) * sizeof *q->a);
    memmove(&aUnknown[i + nPart], &aUnknown[i + 1], (size_t)(q->n - i - 1) * sizeof *aUnknown);
    memmove(&aCorrected[i + nPart], &aCorrected[i + 1], (size_t)(q->n - i - 1) * sizeof *aCorrected);
    for (int k = 0; k < nPart; k++) {
        q->a[i + k] = (kb_qterm){.text = aPart[k], .orWithNext = k == nPart - 1 && term.orWithNext};
        int known = !aKnown || aKnown[k];
        aUnknown[i + k] = !known;
        aCorrected[i + k] = known ? SEARCH_SPLIT : SEARCH_KEPT;
    }
    q->n += nPart - 1;
    return nPart;
}

/* Whether some language knows z as a token of its own. */
static int S_known_anywhere(search_state *s, const char *z) {
    int known = 0;
    for (int l = 0; l < s->nLang && !known; l++) known = kb_spell_known(search_spell(s, l), z);
    return known;
}

/* A code no section holds is often part of one that sections do hold: a
 * log writes "FsFreezeFailed" where the docs name
 * "UserErrorFsFreezeFailed", whose parts kb-index indexed with it. Each
 * such word of the question whose parts some language knows, all of them or
 * all but one, is searched as those parts (marked corrected: the question
 * shown is the one searched; an unknown part stays marked unknown, for the
 * corrector). A code of known parts that no error ID holds either
 * ("UserErrorVmNotFound") is listed as a word no section holds: a bot is
 * told the docs do not name it; "FsFreezeFailed", the tail of one, is not.
 * 1 if the query changed. */
int search_split_codes(search_state *s, kb_query *q, int *aUnknown, int *aCorrected) {
    int changed = 0;
    for (int i = 0; i < q->n; i++) {
        char code[64], *aPart[8];
        if (!aUnknown[i] || q->a[i].phrase || q->a[i].negated || !search_code_of(q->a[i].text, code, sizeof code))
            continue;
        /* A stack trace names a class with its namespace, which the docs
         * leave out ("System.Fabric.FabricConnectionDeniedException"): the
         * class, if some language knows it, is what to search. */
        if (strchr(q->a[i].text, '.') && S_known_anywhere(s, code)) {
            aPart[0] = kb_xstrdup(code);
            S_replace_term(q, i, aPart, NULL, 1, aUnknown, aCorrected);
            changed = 1;
            continue;
        }
        int nPart = S_code_parts(code, aPart, 8), aKnown[8], nKnown = 0;
        for (int k = 0; k < nPart; k++) {
            aKnown[k] = S_known_anywhere(s, aPart[k]);
            nKnown += aKnown[k];
        }
        /* One part unknown is left to the corrector ("UserErrorFsFreezeFaild") */
        if (nPart < 2 || nKnown < nPart - 1 || nKnown < 2 || q->n + nPart - 1 > KB_QPARSE_MAX_TERMS) {
            for (int k = 0; k < nPart; k++) free(aPart[k]);
            continue;
        }
        if (nKnown == nPart && !S_code_inside_an_id(s, code)) S_add_unknown(s->r, code, strlen(code));
        i += S_replace_term(q, i, aPart, aKnown, nPart, aUnknown, aCorrected) - 1;
        changed = 1;
    }
    return changed;
}

/* A known CJK word of four characters that two known words make ("啟動配置"
 * of "VM無法啟動配置失敗", its symptoms blanked out; "超過配額"), where no
 * section has every word of the question: its halves, which the docs write
 * apart ("超過配置的配額"), into aHalf (copies). 0 if it is none. */
static int S_cjk_halves(search_state *s, const kb_qterm *t, char **aHalf) {
    const char *z = t->text;
    if (!t->joined || t->negated || !search_cjk_term(z)) return 0;
    size_t aEnd[5], n = 0, len = strlen(z);
    for (size_t i = 0; i < len && n < 5; n++) aEnd[n] = i += search_first_char_len(z + i);
    if (n != 4 || aEnd[3] != len) return 0;
    aHalf[0] = kb_xstrndup(z, aEnd[1]);
    aHalf[1] = kb_xstrdup(z + aEnd[1]);
    if (S_known_anywhere(s, aHalf[0]) && S_known_anywhere(s, aHalf[1])) return 2;
    free(aHalf[0]);
    free(aHalf[1]);
    return 0;
}

/* A CJK word of three or four characters is searched whole
 * (kb_qparse.h), and one the docs lack is a word no section holds: "LED
 * 不閃爍" (does not blink) lost "閃爍" (blink), which they hold, as "不" (not)
 * goes before any verb. Such a word is searched as the bigrams of it that
 * some language knows, if any: "閃爍"; the others are left out. A known
 * word of four characters is searched as its halves (S_cjk_halves). */
int search_split_cjk_words(search_state *s, kb_query *q, int *aUnknown, int *aCorrected) {
    int changed = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        char *aHalf[2];
        if (!aUnknown[i] && q->n < KB_QPARSE_MAX_TERMS && S_cjk_halves(s, t, aHalf)) {
            i += S_replace_term(q, i, aHalf, NULL, 2, aUnknown, aCorrected) - 1;
            changed = 1;
            continue;
        }
        if (!aUnknown[i] || !t->joined || t->negated || !search_cjk_term(t->text)) continue;
        char *aPart[3]; /* the bigrams some language knows */
        int nPart = 0;
        const char *z = t->text;
        for (size_t a = 0, b; z[a] && nPart < 3; a = b) {
            b = a + search_first_char_len(z + a);
            if (!z[b]) break;
            char *bigram = kb_xstrndup(z + a, b - a + search_first_char_len(z + b));
            if (S_known_anywhere(s, bigram)) aPart[nPart++] = bigram;
            else free(bigram);
        }
        if (nPart == 0 || q->n + nPart - 1 > KB_QPARSE_MAX_TERMS) {
            for (int k = 0; k < nPart; k++) free(aPart[k]);
            continue;
        }
        /* the word no section holds is still named, as a split code's is */
        S_add_unknown(s->r, t->text, strlen(t->text));
        i += S_replace_term(q, i, aPart, NULL, nPart, aUnknown, aCorrected) - 1;
        changed = 1;
    }
    return changed;
}

/* Whether the n bytes at z, what is left of a run of unknown bigrams once
 * the known words beside it took their characters (cut), are one character
 * that starts bigrams the docs hold: of "压力大", where "压力" is known and
 * "力大" is not, the docs lack the pair, not "大". */
static int S_straddled_char(search_state *s, const char *z, size_t n, int cut) {
    char one[8];
    if (!cut || n != search_first_char_len(z) || n >= sizeof one) return 0;
    memcpy(one, z, n);
    one[n] = '\0';
    return search_char_prefix_df(s, one) > 0;
}

/* The marked words as typed into r, each once, without the quotes and
 * sentence punctuation around them ("'janedo@contoso.com'", "kubectl,"). */
void search_list_unknown(search_state *s, const kb_query *q, const int *aUnknown, kb_results *r) {
    for (int i = 0; i < q->n; i++) {
        if (!aUnknown[i]) continue;
        size_t n;
        const char *z = search_strip_around(q->a[i].typed ? q->a[i].typed : q->a[i].text, &n);
        kb_buf run = {0};
        if (search_cjk_term(q->a[i].text)) {
            /* A run of unknown bigrams is the text they were cut from ("资料",
             * "料库": "资料库"), less a character a known word beside it
             * holds: of "叢集魔法咒語", where "叢集" (cluster) is known, "魔法咒語". */
            int first = i;
            kb_buf_add(&run, z, n);
            while (i + 1 < q->n && aUnknown[i + 1] && search_bigram_follows(&q->a[i], &q->a[i + 1])) {
                i++;
                kb_buf_adds(&run, q->a[i].text + search_first_char_len(q->a[i].text));
            }
            size_t from = 0, to = run.n;
            if (first > 0 && !aUnknown[first - 1] && search_bigram_follows(&q->a[first - 1], &q->a[first]))
                from = search_first_char_len(run.z);
            if (i + 1 < q->n && !aUnknown[i + 1] && search_bigram_follows(&q->a[i], &q->a[i + 1]))
                to -= search_first_char_len(q->a[i + 1].text);
            if (from >= to || S_straddled_char(s, run.z + from, to - from, to - from < run.n)) {
                kb_buf_free(&run);
                continue;
            }
            z = run.z + from, n = to - from;
        }
        S_add_unknown(r, z, n);
        kb_buf_free(&run);
    }
}
