/* kb_search_question.h: what the question is, and the language to answer in.
 *
 * Before any search: its terms (kb_qparse.h), with the words a section
 * need not hold marked: symptoms ("no puedo", "falla", "無法";
 * i18n/vocab.tsv), optional words ("después"), a CJK character typed
 * alone; whether it was typed or pasted, and of pasted text, the message;
 * the language it is written in. Once the passes have run, which copy of
 * a section to show (search_choose_language). */
#ifndef KB_SEARCH_QUESTION_H
#define KB_SEARCH_QUESTION_H

#include "kb_search_state.h"

/* The question's terms into *q, its symptoms and optional words marked (a
 * CJK symptom is blanked out of the text instead: *pCjkSymptom = 1).
 * Returns 1 if it names a symptom. */
int search_parse_question(const char *query, kb_query *q, int *pCjkSymptom);

/* Whether the question (query, parsed into q) was pasted (an error
 * message, a command line) rather than typed: more than a few words
 * besides stop words, symptoms and optional words, and not written all in
 * lower case as a person types a sentence. Pasted text is searched as
 * written. */
int search_pasted(const search_state *s, const kb_query *q, const char *query);

/* The message of pasted text (kb_paste.h), parsed again into *q (and its
 * symptoms into *pSymptom, *pCjkSymptom); NULL, q as it was, when the text
 * is all message, or has nothing else. */
char *search_message_of(kb_query *q, const char *query, int *pSymptom, int *pCjkSymptom);

/* Marks the CJK characters typed alone: searched as the start of the
 * bigrams they start, or optional where the docs never hold them alone. */
void search_mark_lone_cjk(search_state *s, kb_query *q);

/* Joins the words of a phrase that names no problem ("migración tras
 * error": a failover) into one term; in a rewording, makes that phrase's
 * problem word optional instead. */
void search_join_not_problems(kb_query *q);
void search_loosen_not_problems(kb_query *q);

/* Whether leaving the symptoms and optional words out changed what a
 * section must hold (cjkSymptom: one was blanked from CJK text). */
int search_words_left_out(const kb_query *q, int cjkSymptom);

/* The 'problem' section set into s->problems (empty if the index has none). */
int search_load_problems(search_state *s);

/* The language whose stop words the question has most of, among the
 * index's and English; else "ja" or "zh" for CJK text; NULL on a tie or
 * none. */
const char *search_written_in(const search_state *s, const kb_query *q);

/* Whether the question is written (search_written_in) in a language the
 * index has sections of that the filters let through: its words then find
 * their sections there, and a code word they share with an unrelated one
 * ("RDP ... AuthorizationFailed las credenciales no funcionaron" and a log
 * integration FAQ) is no reason to rank that one as if it held them all;
 * nor are its words translated (search_translate). */
int search_written_lang_shown(const search_state *s, const kb_query *q);

/* Whether the index has sections of lang ("en") that the filters let through. */
int search_lang_shown(const search_state *s, const char *lang);

/* The question's language among the index's (an index into s->aLang):
 * the user's when stated, else the one that knows most of its words; the
 * language its typos are corrected in, its ID hits and rewording read. */
int search_question_lang(search_state *s, const kb_query *q);

/* The Chinese table's language for a question of CJK text without kana
 * that was read as language l; -1 when it is Chinese already, or not
 * Chinese at all. */
int search_chinese_lang(search_state *s, const kb_query *q, int l);

/* Which copy of a section to show, into s->prefLang and s->fallbackLang
 * (or every copy: s->everyCopy), once the passes have run (question: its
 * text; nId: the hits of error IDs). */
void search_choose_language(search_state *s, const kb_query *q, const char *question, int nId);

/* A language the index lacks (--lang fr on Spanish and English docs) read
 * in o as none stated: English where the index has it. */
void search_indexed_lang(const search_state *s, kb_query_opts *o);

/* Into s->r->missingLang and indexLangs: the language asked for with
 * --lang (asked), else the one the question is written in
 * (search_written_in), when the index has no document in it. */
void search_note_missing_lang(search_state *s, const kb_query_opts *asked, const kb_query *q);

#endif
