/* kb_spell.h: typo correction against the index's own vocabulary.
 *
 * Whether a word is known is asked of the language's FTS table itself (its
 * tokenizer reads the word as at indexing time); kb_search asks the terms
 * table first, and this only for words of several tokens. Candidates come
 * from the terms table (kb_db.h): indexed words, as the tokenizer writes
 * them, of two sections or more, without digits and of KB_SPELL_MIN_CP
 * characters or more (a shorter one is rarely what a typo meant: "aks" is
 * not "as"). A candidate must be
 * within edit distance 1 (terms of up to 5 characters) or 2 (longer), and
 * among equally close ones the most frequent wins. Numbers, hex codes and
 * anything with a digit are never corrected; typos rarely hit the first
 * letter, so only terms sharing it are considered. */
#ifndef KB_SPELL_H
#define KB_SPELL_H

#include <sqlite3.h>
#include <stddef.h>

#include "kb_tok.h"

/* Words and candidates shorter than this are never corrected. */
#define KB_SPELL_MIN_CP 3

typedef struct kb_spell kb_spell;

/* The vocabulary of one language of the index. Its statements are
 * prepared on first use; a word is then unknown, and has no nearest term,
 * if they cannot be. */
kb_spell *kb_spell_open(sqlite3 *db, const char *lang);
void kb_spell_close(kb_spell *s);

/* 1 if a section of this language contains the word (as typed). */
int kb_spell_known(kb_spell *s, const char *word);

/* The nearest indexed term to `token` (a term as the tokenizer writes it)
 * into out; 1 if one was found. */
int kb_spell_nearest(kb_spell *s, const char *token, char *out, size_t cap);

/* The typos kb_spell_nearest_word tries, those people make most. */
enum {
    KB_SPELL_DOUBLED = 1,  /* a letter doubled */
    KB_SPELL_LEFT_OUT = 2, /* a letter left out (in words of up to 13 letters) */
    KB_SPELL_SWAPPED = 4,  /* two neighbouring letters swapped */
    KB_SPELL_SOUNDS_ALIKE = 8, /* Spanish: a letter that sounds as another ("sertificado",
                                * "birtual", "almasen"), the first one too */
    KB_SPELL_ANY_TYPO = KB_SPELL_DOUBLED | KB_SPELL_LEFT_OUT | KB_SPELL_SWAPPED | KB_SPELL_SOUNDS_ALIKE
};

/* The word one typo (of the kinds in `typos`) from `word` whose token
 * under t, the language's tokenizer, is in the most sections, of two or
 * more and more than the word's own token, into out; returns its
 * sections, 0 if there is none. Stems hide such typos from
 * kb_spell_nearest: "almacenamietno" stems to "almacenamietn", six letters
 * from "almacen", the stem of "almacenamiento"; "segridad" to "segrid",
 * three from "segur". A letter put in can also make a word that is none
 * whose stem is one: "eternidad" with an x is "externidad", which stems
 * as "externa" does. out is a word as typed, lower case, which t reads
 * again as the query runs. */
int kb_spell_nearest_word(kb_spell *s, kb_tok *t, const char *word, int typos, char *out, size_t cap);

/* KB_OK, or KB_EDB once a read of the index failed (a damaged page), with
 * kb_errmsg() saying so when it did: the answers since were given as if
 * the rows were not there. NULL is KB_OK. */
int kb_spell_failed(const kb_spell *s);

/* Edit distance with transpositions (optimal string alignment), on UTF-8
 * code points; stops early above max and then returns max + 1. */
int kb_spell_distance(const char *a, const char *b, int max);

#endif
