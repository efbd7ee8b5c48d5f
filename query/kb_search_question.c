/* kb_search_question.c: see kb_search_question.h. */
#include "kb_search_question.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_db.h"
#include "kb_lang.h"
#include "kb_paste.h"
#include "kb_qparse.h"
#include "kb_search_state.h"
#include "kb_search_terms.h"
#include "kb_stopwords.h"
#include "kb_tok.h"
#include "kb_util.h"
#include "kb_vocab.h"

/* A CJK character typed alone is searched as the start of the bigrams it
 * starts when they are in at most this many sections (search_mark_lone_cjk). */
#define KB_LONE_CJK_MAX_DF 10000

/* More words than this besides stop words: a pasted message or command,
 * not a typed question (search_pasted). */
#define KB_PASTED_WORDS 5

/* The language whose stop words the question has most of ("las", "no":
 * Spanish), among the index's and English; but for a question with more
 * words of CJK text than that (Chinese has no stop word list), Japanese if
 * it has kana, else Chinese; NULL on a tie or none. Unlike the words the
 * docs know, which count every English word of a Spanish guide's code
 * samples, this tells the language a message is written in. */
const char *search_written_in(const search_state *s, const kb_query *q) {
    const char *aCandidate[KB_DB_MAX_LANGS + 1];
    int n = 0, best = -1, bestCount = 0, tie = 0;
    aCandidate[n++] = "en";
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], "en") != 0) aCandidate[n++] = s->aLang[l];
    for (int c = 0; c < n; c++) {
        int count = 0;
        for (int i = 0; i < q->n; i++) count += kb_stopword(aCandidate[c], q->a[i].text, strlen(q->a[i].text));
        if (count > bestCount) best = c, bestCount = count, tie = 0;
        else if (count == bestCount && count > 0) tie = 1;
    }
    int nCjk = 0, kana = 0;
    for (int i = 0; i < q->n; i++) {
        nCjk += search_cjk_term(q->a[i].text);
        kana |= search_kana_term(q->a[i].text);
    }
    kana |= s->kanaTyped; /* "復元できない" is searched as "復元", its symptom apart */
    /* A Chinese or Japanese sentence names products in English ("Docker
     * for Windows 沒共用 C 槽"); its "for" is no English question. */
    if (nCjk > bestCount) return kana ? "ja" : "zh";
    return best >= 0 && !tie ? aCandidate[best] : NULL;
}

/* The index of language lang's table, -1 if the index has none. */
static int S_lang_index(const search_state *s, const char *lang) {
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], lang) == 0) return l;
    return -1;
}

int search_written_lang_shown(const search_state *s, const kb_query *q) {
    const char *lang = search_written_in(s, q);
    return lang && search_lang_shown(s, lang);
}

int search_lang_shown(const search_state *s, const char *lang) {
    char only[8] = "";
    if (s->o->localeOnly) kb_locale_lang(s->o->localeOnly, only, sizeof only);
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], lang) == 0) return !*only || strcmp(only, lang) == 0;
    return 0;
}

/* The index of the table of the language the question's stop words name
 * (search_written_in), -1 if none or the index lacks it. */
static int S_written_lang(const search_state *s, const kb_query *q) {
    const char *written = search_written_in(s, q);
    return written ? S_lang_index(s, written) : -1;
}

/* The index of the user's language: o->lang's, else the first. */
static int S_pref_lang(const search_state *s) {
    for (int l = 0; l < s->nLang; l++)
        if (s->o->lang && strcmp(s->aLang[l], s->o->lang) == 0) return l;
    return 0;
}

/* Whether the text is written as a person types a sentence into a search
 * box: letters in lower case (and the accents NFKC left apart), spaces,
 * commas, question marks ("¿") and apostrophes within words ("can't",
 * "l'ordinateur"), nothing else. An error message or a command has a
 * capital, a digit, a period, a quote or a dash somewhere. */
static int S_typed_sentence(const char *z) {
    size_t n = strlen(z);
    int32_t before = ' ';
    for (size_t i = 0; i < n;) {
        int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const uint8_t *)z + i, (utf8proc_ssize_t)(n - i), &c);
        if (len <= 0) return 0;
        i += (size_t)len;
        int category = utf8proc_category(c);
        int apostrophe = (c == '\'' || c == 0x2019) && utf8proc_category(before) == UTF8PROC_CATEGORY_LL;
        if (!(c == ' ' || c == ',' || c == '?' || c == 0xBF /* ¿ */ || apostrophe || category == UTF8PROC_CATEGORY_LL ||
              category == UTF8PROC_CATEGORY_MN))
            return 0;
        before = c;
    }
    return 1;
}

/* Whether the query was pasted (an error message, a command line) rather
 * than typed: more than KB_PASTED_WORDS words besides stop words (of the
 * index's languages, and of English, which error messages and commands are
 * mostly written in), unless written as a typed sentence. Pasted text is
 * searched as it is: its unknown words are names and identifiers far more
 * often than typos ("WSB" is not "web"), and "-JobName" in a PowerShell
 * line is a word of it, not an exclusion. A long question typed in lower
 * case has typos instead ("me olvide la contrasenia del admin del sevidor
 * sql azure, como la reseteo"): 80 such questions of a Spanish engineer
 * not used to tune kb, hit@1 0.36 -> 0.40. */
int search_pasted(const search_state *s, const kb_query *q, const char *query) {
    if (S_typed_sentence(query)) return 0;
    /* counted in halves: a CJK bigram is about half a word ("刪除儲存體帳戶"
     * is three words and six bigrams) */
    int nHalf = 0;
    for (int i = 0; i < q->n; i++) {
        const kb_qterm *t = &q->a[i];
        /* A symptom ("no se puede", "falla") and an optional word
         * ("después") are how a person asks: "no se puede conectar a la
         * máquina virtual por esritorio remoto" was typed, and is corrected.
         * So is an excluded word: "vault -storage -aa -bb -cc -dd", read
         * as pasted, had searched for the words it excluded. */
        if (!t->negated && !t->symptom && !t->optional && !search_any_stopword(s, t->text))
            nHalf += search_cjk_term(t->text) ? 1 : 2;
    }
    return nHalf > 2 * KB_PASTED_WORDS;
}

/* CJK text has no spaces, and the query parser turns it into overlapping
 * bigrams, two of which straddle a symptom's edges ("無法連接": "無法",
 * "法連", "連接"): a symptom written in CJK is blanked out of the question
 * text before it is parsed instead (outside quotes), which leaves the
 * bigrams of the words around it. Returns a copy of the question; *pFound
 * is set when something was blanked. */
static char *S_blank_cjk_symptoms(const char *query, int *pFound) {
    char *z = kb_xstrdup(query);
    size_t n = strlen(z), off = 0, end = 0;
    int inQuote = 0;
    while (off < n) {
        int32_t c;
        utf8proc_ssize_t len = utf8proc_iterate((const uint8_t *)z + off, (utf8proc_ssize_t)(n - off), &c);
        if (len <= 0) len = 1;
        if (c == '"') inQuote = !inQuote;
        if (!inQuote && kb_tok_is_cjk(c) && kb_vocab_starts(KB_VOCAB_SYMPTOM, z + off, n - off, &end)) {
            memset(z + off, ' ', end);
            *pFound = 1;
            off += end;
        } else {
            off += (size_t)len;
        }
    }
    return z;
}

/* The last word of the longest phrase of the vocabulary kind that starts
 * at word i of q, or -1. */
static int S_phrase_end(const kb_query *q, int i, int kind) {
    kb_buf words = {0};
    int last = -1, maxWords = kb_vocab_max_words(kind);
    for (int j = i; j < q->n && j < i + maxWords; j++) {
        const kb_qterm *u = &q->a[j];
        if (u->phrase || u->negated || kb_query_in_group(q, j)) break;
        if (j > i) kb_buf_addc(&words, ' ');
        kb_buf_adds(&words, u->text);
        if (kb_vocab_is(kind, words.z, words.n)) last = j;
    }
    kb_buf_free(&words);
    return last;
}

/* 1 if term z, punctuation aside, is the problem's word of a phrase that
 * names no problem ("error" of "migración tras error"). */
static int S_is_not_problem_word(const char *z) {
    size_t n = strlen(z);
    while (n > 0 && ispunct((unsigned char)z[n - 1])) n--;
    while (n > 0 && ispunct((unsigned char)*z)) z++, n--;
    return kb_vocab_is_not_problem_word(z, n);
}

/* The first word of the not-problem phrase that holds term i, a problem's
 * word ("migración" for the "error" of "migración tras error"), its last
 * in *pLast; -1 if none does. */
static int S_not_problem_at(const kb_query *q, int i, int *pLast) {
    if (q->a[i].phrase || !S_is_not_problem_word(q->a[i].text)) return -1;
    int maxWords = kb_vocab_max_words(KB_VOCAB_NOT_PROBLEM);
    for (int j = i >= maxWords ? i - maxWords + 1 : 0; j <= i; j++) {
        *pLast = S_phrase_end(q, j, KB_VOCAB_NOT_PROBLEM);
        if (*pLast >= i) return j;
    }
    return -1;
}

/* A failover or a fault domain the question names ("migración tras
 * error", "dominios de error") is searched as the phrase it is: the index
 * keeps that "error" apart from the errors (kb_tok.h), so its words one by
 * one would find neither. Only a question with such a word reads the
 * phrases. */
void search_join_not_problems(kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        int last, first = S_not_problem_at(q, i, &last);
        if (first < 0) continue;
        kb_query_join(q, first, last);
        i = first;
    }
}

/* In the docs' words for what a user typed ("migración tras error" for
 * "failover"), the problem's word of a phrase that names no problem is
 * optional: as a phrase the rewording weighs one word, outweighed by
 * "failover" as typed in English text, and as loose words it asks for an
 * error besides the failover's "error" (the index marks that one apart,
 * kb_tok.h). */
void search_loosen_not_problems(kb_query *q) {
    int last;
    for (int i = 0; i < q->n; i++)
        if (S_not_problem_at(q, i, &last) >= 0) q->a[i].optional = 1;
}

/* A question that says something goes wrong ("no puedo iniciar la máquina
 * virtual", "backup fails", "无法连接") wants the section about that
 * failure, which seldom uses the same words ("Error al iniciar una máquina
 * virtual detenida"): its symptom words are marked, to be left out of the
 * words a section must hold, and the search favours the sections the index
 * marks as about a problem (kb_store.h). A quoted phrase is taken as
 * written, and so is one that only looks like a symptom ("fail over"),
 * which search_join_not_problems made a phrase. Returns 1 if the question
 * names a symptom. */
static int S_mark_symptoms(kb_query *q) {
    int found = 0;
    for (int i = 0; i < q->n; i++) {
        int last = S_phrase_end(q, i, KB_VOCAB_SYMPTOM);
        if (last < i) continue;
        for (int j = i; j <= last; j++) q->a[j].symptom = 1;
        found = 1;
        i = last;
    }
    return found;
}

/* Whether leaving the symptoms and optional words out changed what a
 * section must hold: a symptom was blanked from CJK text, or some words are
 * left out and some are not (a question of such words alone keeps them). */
int search_words_left_out(const kb_query *q, int cjkSymptom) {
    int nOut = 0;
    for (int i = 0; i < q->n; i++) nOut += q->a[i].symptom || q->a[i].optional;
    return cjkSymptom || (nOut > 0 && nOut < q->n);
}

/* The 'problem' section set into s->problems (empty if the index has none). */
int search_load_problems(search_state *s) {
    sqlite3_stmt *st = NULL;
    int rc = kb_db_prepare(s->db, "SELECT bits FROM section_sets WHERE name = 'problem'", &st);
    int step = rc == KB_OK ? sqlite3_step(st) : SQLITE_DONE;
    if (step == SQLITE_ROW)
        kb_buf_add(&s->problems, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    else if (step != SQLITE_DONE)
        rc = kb_db_fail(s->db);
    sqlite3_finalize(st);
    return rc;
}

/* Marks the question's optional words ("después", "tras"; kind optional of
 * i18n/vocab.tsv): left out of what a section must hold, as a symptom is,
 * and searched as typed too (search_literal_pass), so a section that says them
 * still ranks above one that does not. Snowball's Spanish stop words have
 * "antes" but not "después"; as required words they kept "la VM no
 * arranca tras cambiar el tamaño" from its answer, which says "después". */
static void S_mark_optional(kb_query *q) {
    /* One word is all a section can be asked for: the kind's phrases are
     * not even read (2% of an error-ID lookup's instructions). */
    for (int i = 0; q->n > 1 && i < q->n; i++) {
        kb_qterm *t = &q->a[i];
        if (!t->phrase && !t->negated && !kb_query_in_group(q, i))
            t->optional = kb_vocab_is(KB_VOCAB_OPTIONAL, t->text, strlen(t->text));
    }
}

/* A contraction typed without its apostrophe, as the docs write it:
 * "cant" is "can't", a symptom, and "isnt" finds "isn't", which only the
 * English anchors of Spanish guides hold as typed (kb_vocab.h). */
static void S_restore_apostrophes(kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        kb_qterm *t = &q->a[i];
        const char *contraction = t->phrase ? NULL : kb_vocab_contraction(t->text, strlen(t->text));
        if (!contraction) continue;
        free(t->text);
        t->text = kb_xstrdup(contraction);
    }
}

/* A CJK character typed alone ("閘" of "閘道") is no bigram: the index
 * holds it inside the bigrams it starts, so it is searched as their
 * prefix (the bigram that ends with it is not found: FTS5 matches
 * prefixes only). Not a character that starts too many: "的" (of) starts
 * a thousand bigrams in 240,000 sections of the Chinese Azure docs, and
 * merging their lists took 620M instructions. Such a character is
 * searched as itself, which the index holds where it stands alone
 * ("runbook 時，"), and left optional, as "después" is, where it never
 * does: "器" had found nothing and been named a word the docs lack. The
 * counts read the character as the index does: "網" was looked up
 * unfolded, found to start nothing, and merged its lists as "网" never
 * did (54M instructions, now 1.1M). Nor in pasted text, where a lone
 * character is where the paste cut a word: "大" ending a pasted paragraph
 * cost 41M instructions of its 56M. */
void search_mark_lone_cjk(search_state *s, kb_query *q) {
    for (int i = 0; i < q->n; i++) {
        kb_qterm *t = &q->a[i];
        if (t->phrase || !search_cjk_term(t->text) || strlen(t->text) != search_first_char_len(t->text)) continue;
        if (search_char_prefix_df(s, t->text) <= KB_LONE_CJK_MAX_DF) t->prefix = 1;
        else t->optional = search_char_df(s, t->text) == 0;
    }
}

/* The question's terms into *q, its symptoms and optional words marked (a
 * CJK symptom blanked out instead: *pCjkSymptom = 1). Returns 1 if it
 * names a symptom. */
int search_parse_question(const char *query, kb_query *q, int *pCjkSymptom) {
    char *blanked = S_blank_cjk_symptoms(query, pCjkSymptom);
    kb_qparse(blanked, q);
    free(blanked);
    if (q->n == 0) { /* nothing but a symptom: "失敗" */
        kb_query_free(q);
        kb_qparse(query, q);
        *pCjkSymptom = 0;
    }
    S_restore_apostrophes(q);
    search_join_not_problems(q);
    S_mark_optional(q);
    return S_mark_symptoms(q) || *pCjkSymptom;
}

/* The message of pasted text (kb_paste.h), parsed again into *q; NULL,
 * q as it was, when the text is all message, or has nothing else. */
char *search_message_of(kb_query *q, const char *query, int *pSymptom, int *pCjkSymptom) {
    char *message = kb_paste_message(query);
    if (!message) return NULL;
    kb_query clean;
    int cjkSymptom = 0, symptom = search_parse_question(message, &clean, &cjkSymptom);
    if (clean.n == 0) {
        kb_query_free(&clean);
        free(message);
        return NULL;
    }
    kb_query_free(q);
    *q = clean;
    *pSymptom = symptom;
    *pCjkSymptom = cjkSymptom;
    return message;
}

/* The language to correct a question's typos in: the user's when stated
 * (--lang, or a locale that names one); else the index language that knows
 * most of its words, stop words included ("de" says Spanish as much as
 * "almacen"), the user's on a tie. In a C locale, "credencales de almacén"
 * is corrected in Spanish, where English knows neither word. */
int search_question_lang(search_state *s, const kb_query *q) {
    int best = S_pref_lang(s);
    if (s->o->langExplicit) return best;
    /* Stop words tell the language a question is written in; the words the
     * docs know do not always: Spanish docs' English anchors know "cant",
     * so "mars agent cant conect to azure behind proxy" read as Spanish,
     * with "conect" left uncorrected and every copy shown in Spanish. */
    int written = S_written_lang(s, q);
    if (written >= 0) return written;
    int bestKnown = search_known_words(s, best, q);
    for (int l = 0; l < s->nLang; l++) {
        int known = search_known_words(s, l, q);
        if (known > bestKnown) best = l, bestKnown = known;
    }
    return best;
}

/* The Chinese table's language, for a question of CJK text without kana
 * that was not read as Chinese (l): a question in mainland words, which
 * the zh-TW docs do not know ("存储帐户"), is read in the environment's
 * language. -1 when it is Chinese already, or not Chinese at all. */
int search_chinese_lang(search_state *s, const kb_query *q, int l) {
    if (!search_any_cjk_term(q) || strcmp(s->aLang[l], "zh") == 0 || s->kanaTyped) return -1;
    for (int i = 0; i < q->n; i++)
        if (search_kana_term(q->a[i].text)) return -1;
    return S_lang_index(s, "zh");
}

/* How ordinary the question's words are in language l: the mean log share
 * of l's sections that hold each word. "error" is in many English sections
 * and few Japanese ones (which write エラー), so it reads as English; BM25
 * says the opposite, as its IDF rewards a word rare in its table, and the
 * scores of two tables do not compare anyway. */
static double S_ordinariness(search_state *s, int l, const kb_query *q) {
    const int *aDf = search_term_dfs(s, l, q);
    double sum = 0;
    int n = 0;
    for (int i = 0; i < q->n; i++) {
        if (q->a[i].negated) continue;
        sum += log((aDf[i] + 0.5) / (s->aRows[l] + 1.0));
        n++;
    }
    return n > 0 ? sum / n : 0;
}

/* The language the question is written in, judged by the sections that
 * match it in full: the one where its words are most ordinary, language
 * `except` aside; -1 if no section matches it in full. */
static int S_own_lang(search_state *s, const kb_query *q, int except) {
    int best = -1;
    double bestOrdinary = 0;
    for (int l = 0; l < s->nLang; l++) {
        if (s->aBest[l] <= 0 || l == except) continue;
        double ordinary = S_ordinariness(s, l, q);
        if (best < 0 || ordinary > bestOrdinary) best = l, bestOrdinary = ordinary;
    }
    return best;
}

/* Where CJK code point c is used: kana is Japanese, Hangul Korean, and a
 * Han character Chinese or Japanese. */
enum { S_HAN = 1, S_KANA = 2, S_HANGUL = 4 };
static int S_cjk_script(int32_t c) {
    if (c == 0x30FB) return 0; /* "・", which Chinese text writes too */
    if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x31F0 && c <= 0x31FF) || (c >= 0xFF66 && c <= 0xFF9F)) return S_KANA;
    if ((c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F) || (c >= 0xA960 && c <= 0xA97F) ||
        (c >= 0xAC00 && c <= 0xD7FF))
        return S_HANGUL;
    return kb_tok_is_cjk(c) ? S_HAN : 0;
}

/* The table of the language the question's script says it is written in,
 * whatever words it holds: kana is Japanese and Hangul Korean; Han alone
 * is Chinese (Japanese where the index has no Chinese), unless the reader
 * reads Chinese or Japanese, who may write either in it. -1 if the script
 * says nothing (Latin letters), or names the reader's own language. */
static int S_script_lang(const search_state *s, const char *question, int reader) {
    int scripts = 0, excluded = 0; /* in a word the question excludes ("azure -備份") */
    int32_t c, before = ' ';
    for (utf8proc_ssize_t i = 0, len; question[i]; i += len, before = c) {
        len = utf8proc_iterate((const uint8_t *)question + i, -1, &c);
        if (len <= 0) return -1;
        if (c == ' ') excluded = 0;
        else if (c == '-' && before == ' ') excluded = 1;
        if (!excluded) scripts |= S_cjk_script(c);
    }
    int l = -1;
    if (scripts & S_KANA) l = S_lang_index(s, "ja");
    else if (scripts & S_HANGUL) l = S_lang_index(s, "ko");
    else if (scripts & S_HAN) {
        const char *readerLang = reader >= 0 ? s->aLang[reader] : "";
        if (strcmp(readerLang, "zh") == 0 || strcmp(readerLang, "ja") == 0) return -1;
        l = S_lang_index(s, "zh");
        if (l < 0) l = S_lang_index(s, "ja");
    }
    return l == reader ? -1 : l;
}

/* Which copy of a section to show: the language --lang names; else the one
 * the question's script names (S_script_lang), else the reader's language
 * (the environment's) when it is stated and some section of it matches the
 * question in full, else the question's own language (S_own_lang; when no
 * section matches in full, the one that knows more of its words than the
 * reader's, search_question_lang). Where a section has no copy in that
 * language, the other of the two (the reader's own aside, the question's
 * is the next most ordinary): a Japanese reader asking "Restore" gets
 * the English copy of a section the Japanese docs lack, not the Spanish
 * one that happened to score higher. */
void search_choose_language(search_state *s, const kb_query *q, const char *question, int nId) {
    s->prefLang = s->o->lang;
    s->fallbackLang = NULL;
    /* An error code is no language: "0x80070570" says nothing about the
     * reader, but the words of a message pasted around it do, and so does
     * a word of Chinese or Japanese that only says "error" ("エラー 34506"). */
    if (nId > 0 && !s->idWords && !search_any_cjk_term(q)) {
        /* A section the reader's docs lack is shown in English, as to a
         * reader of a language the index has none of (search_indexed_lang). */
        for (int l = 0; l < s->nLang && s->o->lang; l++)
            if (strcmp(s->aLang[l], "en") == 0 && strcmp(s->o->lang, "en") != 0) s->fallbackLang = "en";
        /* No language at all (LANG=C on docs with no English): which copy
         * ranks first is a quirk of each table's BM25, and the Chinese one
         * came first for a Spanish reader. Every copy is shown. */
        s->everyCopy = !s->o->lang;
        return;
    }
    int reader = s->o->lang ? S_pref_lang(s) : -1;
    /* "備份失敗" asked by a reader whose environment says Spanish is
     * answered in Chinese: the words around a symptom can match Spanish
     * sections ("runbook 失敗"), and a Chinese bigram a few Spanish pages
     * quote made the two languages know as many of its words. */
    int script = s->o->langAsked ? -1 : S_script_lang(s, question, reader);
    if (script >= 0) {
        s->prefLang = s->aLang[script];
        s->fallbackLang = s->o->lang;
        return;
    }
    if (s->o->langExplicit || (reader >= 0 && s->aBest[reader] > 0)) {
        int own = S_own_lang(s, q, reader);
        if (own >= 0) s->fallbackLang = s->aLang[own];
        return;
    }
    /* The language the question's stop words say, where it matched: "vm
     * isnt in a state that allows backup" matched in full in Spanish too,
     * by the English anchors of its guides, where "isnt" is less rare. */
    int best = S_written_lang(s, q);
    if (best < 0 || s->aBest[best] <= 0) best = S_own_lang(s, q, -1);
    if (best < 0 && s->r->n > 0) {
        int l = search_question_lang(s, q);
        /* With no reader's language among the index's (LANG=C, a bot's
         * usual), the question's decides: else a Spanish question shows
         * the Chinese copies of the sections its rarer words found there. */
        if (l != reader) best = l;
    }
    if (best >= 0) {
        s->prefLang = s->aLang[best];
        s->fallbackLang = s->o->lang;
    }
}

/* A language the index lacks (--lang fr, or LANG=fr_FR, on Spanish and
 * English docs) is read as none stated: the reader is served as one in a
 * C locale, in English where the index has it. Kept as asked, it would
 * favour no table and name a copy that does not exist, leaving the order
 * to BM25 scores of different tables, which do not compare: an untranslated
 * English page among Japanese ones came first for "backup". */
void search_indexed_lang(const search_state *s, kb_query_opts *o) {
    int has = 0, hasEnglish = 0;
    for (int l = 0; l < s->nLang; l++) {
        has |= o->lang && strcmp(s->aLang[l], o->lang) == 0;
        hasEnglish |= strcmp(s->aLang[l], "en") == 0;
    }
    if (has || !o->lang) return;
    o->lang = hasEnglish ? "en" : NULL;
    o->langExplicit = 0;
}

/* An English question on docs with no English results in Spanish, which
 * reads as a search gone wrong unless the reader is told why. Not for a
 * language taken from the environment: a Spanish engineer's LANG=en_US
 * would be told on every question. */
void search_note_missing_lang(search_state *s, const kb_query_opts *asked, const kb_query *q) {
    const char *lang = asked->lang && asked->langAsked ? asked->lang : search_written_in(s, q);
    if (!lang || s->nLang == 0) return;
    for (int l = 0; l < s->nLang; l++)
        if (strcmp(s->aLang[l], lang) == 0) return;
    kb_buf langs = {0};
    for (int l = 0; l < s->nLang; l++) kb_buf_addf(&langs, "%s%s", l ? ", " : "", s->aLang[l]);
    s->r->missingLang = kb_xstrdup(lang);
    s->r->indexLangs = kb_buf_detach(&langs);
}
