/* kb_search_reword.c: see kb_search_reword.h. */
#include "kb_search_reword.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb_qparse.h"
#include "kb_search_pass.h"
#include "kb_search_question.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_stopwords.h"
#include "kb_synonym.h"
#include "kb_util.h"
#include "kb_zh_words.h"

/* Appends a copy of term t to out, if it has room; the copy, else NULL. */
kb_qterm *search_append_copy(kb_query *out, const kb_qterm *t) {
    if (out->n >= KB_QPARSE_MAX_TERMS) return NULL;
    kb_qterm *copy = &out->a[out->n++];
    *copy = *t;
    copy->text = kb_xstrdup(t->text);
    copy->typed = NULL;
    return copy;
}

/* The length of term t's English word: its letters, less the punctuation
 * a sentence leaves after it ("network." of "... on this network."); 0
 * if it is no such word (a code, a name with digits, a CJK word). */
static size_t S_english_word(const kb_qterm *t) {
    size_t n = strlen(t->text);
    while (n > 0 && strchr(".,:;!?)", t->text[n - 1])) n--;
    for (size_t k = 0; k < n; k++)
        if (!isalpha((unsigned char)t->text[k])) return 0;
    return n;
}

/* Whether term i of q is a plain English word to translate: not a stop
 * word, nor quoted, excluded, grouped, a symptom or optional. */
static int S_translatable(const kb_query *q, int i) {
    const kb_qterm *t = &q->a[i];
    if (t->phrase || t->negated || t->symptom || t->optional || t->prefix || kb_query_in_group(q, i)) return 0;
    size_t n = S_english_word(t);
    return n > 1 && !kb_stopword("en", t->text, n);
}

/* Appends the translations of t, whose copy ends out, as its
 * alternatives: at most `room` terms. Returns how many. */
static int S_add_translations(search_state *s, const kb_qterm *t, kb_query *out, int room) {
    if (!s->enTok) s->enTok = kb_tok_new("en");
    char token[64];
    sqlite3_stmt *st = search_sql(&s->stmts, SEARCH_SQL_LEXICON);
    if (!st || !kb_tok_one(s->enTok, t->text, (int)S_english_word(t), token, sizeof token)) return 0;
    sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
    int nAdded = 0;
    while (nAdded < room && out->n < KB_QPARSE_MAX_TERMS && search_stepped(s, st) == SQLITE_ROW) {
        kb_query docs;
        kb_qparse((const char *)sqlite3_column_text(st, 0), &docs);
        if (docs.n == 1) {
            out->a[out->n - 1].orWithNext = 1;
            out->a[out->n++] = docs.a[0]; /* its text moves to out */
            docs.n = 0;
            nAdded++;
        }
        kb_query_free(&docs);
    }
    sqlite3_reset(st);
    return nAdded;
}

/* The translation need not find the message's stop words in the docs
 * ("cannot" is in no Spanish heading that translates it): they are
 * optional (kb_qparse.h). The sections that quote the message in English
 * have them all (search_literal_pass). */
int search_translate(search_state *s, kb_query *q) {
    const char *written = search_written_in(s, q);
    if (!written || strcmp(written, "en") != 0 || search_lang_shown(s, "en")) return 0;
    kb_query out = {kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *out.a), 0};
    int room = KB_QPARSE_MAX_TERMS - q->n, nAdded = 0;
    for (int i = 0; i < q->n; i++) {
        kb_qterm *copy = search_append_copy(&out, &q->a[i]);
        size_t n = S_english_word(copy);
        if (n > 0 && !copy->phrase && !copy->negated && kb_stopword("en", copy->text, n)) copy->optional = 1;
        if (room > nAdded && S_translatable(q, i)) nAdded += S_add_translations(s, &q->a[i], &out, room - nAdded);
    }
    if (nAdded == 0) {
        kb_query_free(&out);
        return 0;
    }
    kb_query_free(q);
    *q = out;
    search_forget_dfs(s); /* of the terms before */
    return 1;
}

/* The CJK run of the question's words that starts at term i, into run:
 * a word typed whole (three or four characters, or two) and the bigrams
 * cut from a longer one, each following the one before ("资料", "料库":
 * "资料库"). aWord[j] NULL: term j is part of no run. Returns how many
 * terms it spans, 0 when term i is no CJK word. */
static int S_cjk_run(const kb_query *q, const char *const *aWord, int i, kb_buf *run) {
    const kb_qterm *t = &q->a[i];
    if (!aWord[i] || t->prefix || !search_cjk_term(t->text)) return 0;
    kb_buf_reset(run);
    kb_buf_adds(run, t->text);
    int j = i + 1;
    for (; j < q->n && aWord[j] && !q->a[j].prefix && search_bigram_follows(&q->a[j - 1], &q->a[j]); j++)
        kb_buf_adds(run, q->a[j].text + search_first_char_len(q->a[j].text));
    return j - i;
}

/* Whether every character of a term of a CJK run (S_cjk_run), which
 * starts at the run's character first, was rewritten (bit i: character
 * i). A bigram half in a rewritten word ("书魔" of "证书魔法") is the
 * question's own. */
static int S_term_rewritten(const kb_qterm *t, int first, uint64_t rewritten) {
    int nChar = (int)kb_utf8_chars(t->text, strlen(t->text));
    for (int i = first; i < first + nChar; i++)
        if (i >= 64 || !(rewritten >> i & 1)) return 0;
    return nChar > 0;
}

/* Text as the question parser makes it terms. */
static void S_parse_docs_words(const char *text, kb_query *docs) {
    kb_qparse(text, docs);
    search_loosen_not_problems(docs);
}

/* Moves the terms of docs to the end of out (at most KB_QPARSE_MAX_TERMS
 * in all) and frees docs. */
static void S_append_terms(kb_query *out, kb_query *docs) {
    for (int j = 0; j < docs->n; j++) {
        if (out->n < KB_QPARSE_MAX_TERMS) out->a[out->n++] = docs->a[j];
        else free(docs->a[j].text);
    }
    free(docs->a);
}

/* The question in the words language l's docs use: each run of words a
 * user may type for what they name otherwise becomes what they say, as if
 * typed instead (kb_synonym.h), at most KB_QPARSE_MAX_TERMS terms in all;
 * in Chinese, each run of CJK words in Taiwan's words (kb_zh_words.h:
 * "存储帐户" as "儲存帳戶"). Loose words, not a phrase: a phrase weighs as
 * one word, and the question as typed, searched too, would outrank its own
 * rewording. Quoted phrases, exclusions and OR groups stay as typed.
 *
 * One word the docs say as one other word is searched as either ("conectar
 * OR conexión"), which kb_rank weighs as one word: a verb and the noun
 * Snowball stems apart name the same act, and the docs use both. Replaced,
 * the sections with the word as typed met the rewording's only in the
 * merge, and lost places to it: on the synonym cost set (headings that use
 * the typed word) hit@1 0.866 -> 0.848, known es headings hit@10 0.858 ->
 * 0.825; as alternatives 0.854 and 0.850, for a gain of 0.30 -> 0.80 hit@1
 * on the verb/noun pairs' questions (tests/quality/synonyms.py). A question
 * with such a word costs a second search: some 3.5M instructions more.
 * Returns 0, with *out empty, when nothing was reworded. */
static int S_in_docs_words(search_state *s, int l, const kb_query *q, int bApart, kb_query *out) {
    const char *aWord[KB_QPARSE_MAX_TERMS];
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        aWord[i] = (t->phrase && !t->joined) || t->negated || kb_query_in_group(q, i) ? NULL : t->text;
    }
    kb_synonym_span aSpan[KB_QPARSE_MAX_TERMS];
    int nSpan = kb_synonym_find(s->aLang[l], search_tok(s, l), aWord, q->n, aSpan, KB_QPARSE_MAX_TERMS);
    int bChinese = strcmp(s->aLang[l], "zh") == 0 && search_any_cjk_term(q);
    if (nSpan == 0 && !bChinese) return 0;
    out->a = kb_xcalloc(KB_QPARSE_MAX_TERMS, sizeof *out->a);
    out->n = 0;
    int bReworded = nSpan > 0;
    kb_buf run = {0};
    for (int i = 0, k = 0; i < q->n;) {
        int nRun = 0;
        kb_query docs;
        if (k < nSpan && aSpan[k].first == i) {
            S_parse_docs_words(aSpan[k].docs, &docs);
            if (aSpan[k].n == 1 && docs.n == 1 && out->n < KB_QPARSE_MAX_TERMS - 1)
                search_append_copy(out, &q->a[i])->orWithNext = 1;
            S_append_terms(out, &docs);
            i += aSpan[k++].n;
        } else if (bChinese && (nRun = S_cjk_run(q, aWord, i, &run)) > 0) {
            uint64_t rewritten;
            char *taiwan = kb_zh_words_taiwan(run.z, run.n, bApart, &rewritten);
            if (taiwan) S_parse_docs_words(taiwan, &docs), S_append_terms(out, &docs), s->bMainlandWords = 1;
            for (int j = i; j < i + nRun; j++) {
                if (!taiwan) search_append_copy(out, &q->a[j]);
                s->aInTaiwanWords[j] = S_term_rewritten(&q->a[j], j - i, rewritten);
            }
            bReworded |= taiwan != NULL;
            free(taiwan);
            i += nRun;
        } else {
            search_append_copy(out, &q->a[i++]);
        }
    }
    kb_buf_free(&run);
    if (!bReworded) kb_query_free(out);
    return bReworded;
}

/* Sections with every word of the question in the words of its
 * language's docs, searched in that language's table alone: "backup de
 * VM" is, in Spanish, "copia de seguridad de máquina virtual". Only in the
 * question's language (search_question_lang): in Japanese "snapshot" is
 * "スナップショット", whose seven bigrams outweighed every English section
 * of an English question. The question as typed is searched too (its own
 * pass), so a section that says "backup" stays a candidate. A rewording
 * that leaves symptoms out is also searched with them, as the question is
 * (search_literal_pass; a CJK symptom, blanked before the rewording, is not).
 * *pnAll receives the sections found. */
int search_synonym_pass(search_state *s, const kb_query *q, int *pnAll) {
    *pnAll = 0;
    int l = search_question_lang(s, q);
    kb_query inDocs, apart;
    if (!S_in_docs_words(s, l, q, 0, &inDocs)) {
        l = search_chinese_lang(s, q, l);
        if (l < 0 || !S_in_docs_words(s, l, q, 0, &inDocs)) return KB_OK;
    }
    search_forget_dfs(s); /* of the question's terms; both passes share the rewording's */
    int rc = KB_OK, n = 0, nLiteral = 0;
    if (search_words_left_out(&inDocs, 0)) rc = search_as_typed_pass(s, &inDocs, l, &nLiteral);
    if (rc == KB_OK) rc = search_all_pass(s, &inDocs, l, &n);
    /* Taiwan's words joined as a heading writes them find what it says
     * ("程式碼范例"); where no section does, the words apart, as a question
     * is not a heading ("云服务证书过期" has no "務憑"). A helper's 48
     * mainland questions found 15 answers first with the words joined
     * only, 19 apart only, 18 so (19 since d3c521e); 300 headings asked
     * in the mainland's words (tests/quality/chinese_scripts.py) hit@1
     * 0.967, 0.923, 0.960. */
    if (rc == KB_OK && n == 0 && s->bMainlandWords && S_in_docs_words(s, l, q, 1, &apart)) {
        kb_query_free(&inDocs);
        inDocs = apart;
        search_forget_dfs(s);
        rc = search_all_pass(s, &inDocs, l, &n);
    }
    *pnAll = n + nLiteral;
    s->reworded = inDocs; /* its words are matches to show too */
    search_forget_dfs(s); /* they belong to the question's terms */
    return rc;
}
