/* kb_lexicon.h: English words in the words of the docs' own languages,
 * learned from the docs themselves.
 *
 * Translated docs keep the anchors of the English they were translated
 * from: in the es-ES Azure docs "Registrar una aplicación" is
 * #register-an-app, and "Recibo un error "clave de instrumentación no
 * puede estar vacía"" is #emptykey. Over the thousands of sections of a
 * language, an anchor's words and its heading's pair up: the sections
 * whose anchor says "key" are mostly those whose heading says "clave"
 * (Dice's coefficient of the two sets of sections, 0.92 on es-ES). Error
 * dialogs are often in English while the docs quote them translated: an
 * English question on docs with no English copy is searched in these
 * words too (kb_search_reword.h).
 *
 * The `lexicon` table (kb_db.c) holds, per language, each English word as
 * the English tokenizer writes it, and at most KB_LEXICON_MAX_WORDS of its
 * translations as the docs spell them most often. */
#ifndef KB_LEXICON_H
#define KB_LEXICON_H

#include <sqlite3.h>

/* Translations of one English word kept per language. */
#define KB_LEXICON_MAX_WORDS 2

/* Learns the lexicon of every language but English from db's sections,
 * replacing the table's rows. */
int kb_lexicon_build(sqlite3 *db);

#endif
