/* kb_search_reword.h: the question in the words its docs use.
 *
 * A user types "backup de VM"; the Spanish docs say "copia de seguridad de
 * máquina virtual" (i18n/synonyms.tsv, kb_synonym.h). A reader in the
 * mainland types "存储帐户"; the zh-TW docs say "儲存帳戶" (kb_zh_words.h).
 * The reworded question is searched besides the question as typed, in the
 * question's own language alone. */
#ifndef KB_SEARCH_REWORD_H
#define KB_SEARCH_REWORD_H

#include "kb_search_state.h"

/* Sections with every word of the question in its docs' words, added to
 * s->r; the rewording is kept in s->reworded (its words are matches to
 * show). *pnAll receives the sections found. */
int search_synonym_pass(search_state *s, const kb_query *q, int *pnAll);

/* An English question on docs with no English shown
 * (search_written_lang_shown), in the words of the docs too: each English
 * word the index's lexicon translates (kb_lexicon.h: "key" is "clave" in
 * the Spanish docs, "金鑰" in the Chinese) becomes an OR group of it and
 * its translations, which kb_rank weighs as one word, while q has room
 * (KB_QPARSE_MAX_TERMS). Stop words, symptoms, codes and what the user
 * quoted, excluded or grouped are left as typed. Returns whether q
 * changed. */
int search_translate(search_state *s, kb_query *q);

/* Appends a copy of term t to out, if it has room; the copy, else NULL. */
kb_qterm *search_append_copy(kb_query *out, const kb_qterm *t);

#endif
