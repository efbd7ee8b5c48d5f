/* kb_search_pass.c: see kb_search_pass.h. */
#include "kb_search_pass.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kb_qparse.h"
#include "kb_search_match.h"
#include "kb_search_page.h"
#include "kb_search_question.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_util.h"

/* Sections with some terms that hold every code word of the question
 * ("AuthorizationFailed") rank as if they had every word (search_code_pass),
 * if it is in at most KB_CODE_MAX_DF sections of some language. 20 and 10
 * score alike on tests/quality/code_words.py and the known items; 50 puts
 * one more of 289 questions in the top 3 (none more first) and loses a
 * known item whose span ran "Visual Studio" together into one word. */
#define KB_SCORE_CODE_FACTOR 1.0
#define KB_CODE_MAX_DF 20

/* The OR pass's budget (KB_ANY_BUDGET) when sections with every term were
 * found: it then only fills the page up. */
#define KB_FILL_BUDGET 1500

/* The sections a full-text pass looks for: every one up to the page
 * shown. When an error ID found sections, they take the text score of
 * the pass's first KB_ERRID_TEXT_POOL rows per language (S_match_rows),
 * as the stored pass holds them, so that pages of 5 add up to one of 20
 * (scored on their first 20 rows, "400"'s third section had been
 * another); more rows are kept for the sections the ID did not find,
 * which a deep page shows after its own. */
int search_want(const search_state *s) {
    int page = s->o->offset + s->o->limit;
    if (s->nId == 0) return page;
    return page * 2 + 10 > KB_ERRID_TEXT_POOL ? page * 2 + 10 : KB_ERRID_TEXT_POOL;
}

/* The first full-text pass: sections with every term, in the language
 * tables `tables` names (search_text_query). Returns the number found in
 * *pnAll. */
int search_all_pass(search_state *s, const kb_query *q, int tables, int *pnAll) {
    int before = s->r->n;
    int rc = search_text_query(s, q, KB_QALL, 0, 1.0, search_want(s), tables);
    *pnAll = s->r->n - before;
    return rc;
}

/* Whether the text passes so far found `need` distinct sections. Hits are
 * rows: the same section found in two languages' tables is two hits and
 * one result, so counting hits once left a page one short of full, and
 * the pages of one question repeated or skipped a section. */
static int S_found_sections(search_state *s, int need) {
    int nText = 0;
    for (int i = 0; i < s->r->n; i++) nText += s->r->a[i].textScore > 0;
    if (nText < need) return 0;
    /* The common case, told without reading a key: one table alone found
     * them, and its rows are distinct sections (one locale per document). */
    for (int l = 0; l < s->nLang; l++)
        if (s->aAllRows[l] >= need && s->aCopies[l] == 1) return 1;
    const char **aKey = kb_xcalloc((size_t)nText, sizeof *aKey);
    int nKey = 0;
    for (int i = 0; i < s->r->n && nKey < need; i++) {
        kb_hit *h = &s->r->a[i];
        if (h->textScore <= 0 || search_load_key(&s->stmts, h) != KB_OK) continue;
        int seen = 0;
        for (int k = 0; k < nKey && !seen; k++) seen = strcmp(aKey[k], h->skey) == 0;
        if (!seen) aKey[nKey++] = h->skey;
    }
    free(aKey);
    return nKey >= need;
}

/* Whether the question's words are one OR group ("backup OR vault"). */
static int S_one_group(const kb_query *q) {
    int nGroup = 0;
    for (int i = 0; i < q->n; i++)
        nGroup += !q->a[i].negated && !(i > 0 && q->a[i - 1].orWithNext && !q->a[i - 1].negated);
    return nGroup == 1;
}

/* The OR pass (KB_QANY): if the passes so far found too few, sections
 * with some terms. A question that is one OR group is ranked by it
 * always: it finds the sections the AND pass found, but ranks each on
 * its own words, where the AND pass ranked the group as its commonest
 * word. Run only when the page was not full, it had reordered the page of
 * "backup OR vault" between --limit 285 and 286. */
int search_any_pass(search_state *s, const kb_query *q, int nAll) {
    if (kb_query_positive(q) <= 1) return KB_OK;
    /* An error ID's sections take evidence from it too: run only when the
     * page was not full, it had reordered the 72 sections of "error 404 no
     * encontrado" from --limit 79 on. */
    if (!S_one_group(q) && s->nId == 0 && S_found_sections(s, s->o->offset + s->o->limit)) return KB_OK;
    /* Filling a page found in one language stays in that language: a
     * Spanish question is not padded with Chinese sections that share a
     * product name with it. */
    /* Filling a page up needs no more than its rarest words. */
    s->rankOnCommonWords = nAll == 0;
    int rc = search_text_query(s, q, KB_QANY, nAll > 0 ? KB_FILL_BUDGET : KB_ANY_BUDGET, KB_SCORE_PARTIAL_FACTOR,
                               search_want(s), nAll > 0 ? SEARCH_MATCHED_TABLES : SEARCH_EVERY_TABLE);
    s->rankOnCommonWords = 0;
    return rc;
}

/* When no section has every word of the question, and some of its words
 * are in no section of a language (a typo the corrector could not mend,
 * a word the docs never use), that language's sections with every other
 * word, however few. The OR pass would take the rarest words first within its budget:
 * the unknown word, then one or two others, ranking whatever holds those.
 * They rank among the OR pass's sections as that pass would have:
 * kb_rank's coverage, over the words searched, is scaled to the share of
 * the whole question's IDF they hold (an unknown word's is high). Leaving
 * out each known word in turn as well put 1-3% more typo questions first
 * (tests/quality/typos.py), at a fifth more instructions over questions
 * with one word too many, twice as many for some. */
int search_known_words_pass(search_state *s, kb_query *q) {
    int aWord[KB_QPARSE_MAX_TERMS], n = 0, rc = KB_OK;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        if (!t->negated && !t->symptom && !t->optional && !kb_query_in_group(q, i) && !search_any_stopword(s, t->text))
            aWord[n++] = i;
    }
    for (int l = 0; rc == KB_OK && l < s->nLang; l++) {
        const int *aDf = search_term_dfs(s, l, q);
        int nKnown = 0;
        for (int k = 0; k < n; k++) nKnown += aDf[aWord[k]] != 0;
        /* One known word is searched too: "kubectl backup" shows the backup
         * sections, with kubectl listed unknown, not nothing. */
        if (nKnown == 0 || nKnown == n) continue;
        double total = 0, known = 0;
        for (int k = 0; k < n; k++) {
            double idf = search_term_idf(s, l, q, aWord[k]);
            total += idf;
            known += aDf[aWord[k]] != 0 ? idf : 0;
            q->a[aWord[k]].optional = aDf[aWord[k]] == 0;
        }
        /* Its sections match no question whole, and so say nothing of
         * its language: "重設Azure虛擬機器密碼" holds one word of Spanish. */
        s->bWordsLeftOut = 1;
        rc = search_text_query(s, q, KB_QALL, 0, KB_SCORE_PARTIAL_FACTOR * known / total, search_want(s), l);
        s->bWordsLeftOut = 0;
        for (int k = 0; k < n; k++) q->a[aWord[k]].optional = 0;
    }
    return rc;
}

/* Before the OR pass, when no section has every word: the sections that
 * hold every code the question names, ranked on all its words. A message
 * pasted in the user's language shares few words with docs in another,
 * while its code is the same in all (a Spanish guide quotes
 * "AuthorizationFailed: el cliente ... no tiene autorización"). Not when
 * the docs shown have its language (search_written_lang_shown): 164 pasted
 * messages, hit@1 0.82 -> 0.85, those with a code and the service's words
 * 0.56 -> 0.68; code_words.py, a Chinese message on Spanish docs, as
 * before. A code counts if some language has it in 1 to KB_CODE_MAX_DF
 * sections; more, and it is a name ("PowerShell"), not a code. Only the
 * tables that hold every code are searched, with the fill budget: the few sections left are
 * ranked on the question's rarer words, and each common word more is a
 * long list FTS5 walks for each of them ("System.IO.FileNotFoundException:
 * Could not load file or assembly": 43.6M instructions with the OR pass's
 * budget, 32.4M with this one, 25.6M without the pass). */
int search_code_pass(search_state *s, const kb_query *q) {
    if (search_written_lang_shown(s, q)) return KB_OK;
    char (*aText)[64] = kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *aText);
    int (*aDf)[KB_QPARSE_MAX_TERMS] = kb_xcalloc((size_t)s->nLang + 1, sizeof *aDf);
    kb_qterm aCode[KB_QPARSE_MAX_TERMS];
    kb_query codes = {aCode, 0};
    for (int i = 0; i < q->n; i++) {
        kb_qterm *c = &aCode[codes.n];
        if (q->a[i].negated || q->a[i].phrase || !search_code_of(q->a[i].text, aText[codes.n], sizeof *aText)) continue;
        *c = (kb_qterm){.text = aText[codes.n]};
        int specific = 0;
        for (int l = 0; l < s->nLang; l++) {
            int cost;
            char *key;
            aDf[l][codes.n] = search_term_df(s, l, search_tok(s, l), c, &cost, &key);
            free(key);
            specific |= aDf[l][codes.n] > 0 && aDf[l][codes.n] <= KB_CODE_MAX_DF;
        }
        codes.n += specific;
    }
    int rc = KB_OK;
    char *within = codes.n ? kb_query_fts(&codes, KB_QALL, NULL) : NULL;
    s->within = within;
    for (int l = 0; within && rc == KB_OK && l < s->nLang; l++) {
        int all = 1;
        for (int k = 0; k < codes.n; k++) all &= aDf[l][k] > 0;
        if (all) rc = search_text_query(s, q, KB_QANY, KB_FILL_BUDGET, KB_SCORE_CODE_FACTOR, search_want(s), l);
    }
    s->within = NULL;
    free(within);
    free(aDf);
    free(aText);
    return rc;
}

/* Sections with every word of q, its symptoms and optional words
 * included, in `tables`, none favoured. */
int search_as_typed_pass(search_state *s, kb_query *q, int tables, int *pnAll) {
    int favour = s->favourProblems, aSymptom[KB_QPARSE_MAX_TERMS], aOptional[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) {
        aSymptom[i] = q->a[i].symptom, aOptional[i] = q->a[i].optional;
        q->a[i].symptom = q->a[i].optional = 0;
    }
    s->favourProblems = 0;
    int rc = search_all_pass(s, q, tables, pnAll);
    s->favourProblems = favour;
    for (int i = 0; i < q->n; i++) q->a[i].symptom = aSymptom[i], q->a[i].optional = aOptional[i];
    return rc;
}

/* For a question that names a symptom, the sections with every word as
 * typed are found too, as if it named none: a section that says "備份失敗"
 * or "no se puede conectar" in so many words stays a candidate, so the
 * symptom only ever adds sections. Favouring sections about a problem here
 * as well cost questions cut from other sections a fifth of their first
 * places (tests/quality/symptoms.py). *pnAll receives those found. */
int search_literal_pass(search_state *s, const char *query, int pasted, int *pnAll) {
    search_forget_dfs(s); /* of the other query's terms, which an ID lookup may have read */
    kb_query lit;
    kb_qparse(query, &lit);
    search_join_not_problems(&lit);
    for (int i = 0; pasted && i < lit.n; i++) lit.a[i].negated = 0;
    int rc = search_as_typed_pass(s, &lit, SEARCH_EVERY_TABLE, pnAll);
    search_forget_dfs(s); /* they belong to this query's terms */
    kb_query_free(&lit);
    return rc;
}
