/* kb_search_relax.h: a typed question corrected or completed.
 *
 * When no section has every word of a typed question (search_relax), a
 * word the index does not know is corrected to the nearest indexed word
 * of the question's language (kb_spell.h), read in katakana or in the
 * American spelling the docs use, and a last word still being typed is
 * completed. When sections do have every word, the last word may still be
 * one being typed, searched as its completion too
 * (search_completion_pass). A word so rare that it is likely the docs' own
 * typo is read as the word it mistypes, first (search_correct_rare_typos).
 * The question shown as corrected writes each word as the results do.
 * Pasted text and error IDs are never relaxed. */
#ifndef KB_SEARCH_RELAX_H
#define KB_SEARCH_RELAX_H

#include "kb_search_state.h"

/* Corrects the words no section holds and completes the last word, in q
 * (each word's change in aCorrected). Returns 1 if the question changed. */
int search_relax(search_state *s, kb_query *q, int *aCorrected);

/* Reads the question's rare words that are typos (in at most two sections
 * of every language, one typo from a far commoner word; a real word, one
 * swap or doubled letter) as that word. Returns 1 if one was. */
int search_correct_rare_typos(search_state *s, kb_query *q, int *aCorrected);

/* When sections hold every word, the last may still be one being typed:
 * the question is searched once more with its dominant completion as the
 * word's alternative ("wind" OR "windows"), kept in s->completed. */
int search_completion_pass(search_state *s, const kb_query *q, int *pnAll);

/* A corrected or completed term written as the results r write it
 * ("descargar" for the stem "descarg"); bCompletion: a word being typed.
 * Returns 1 when that form is final: more results, read after these,
 * would not change it. */
int search_surface_form(const kb_results *r, kb_qterm *term, int bCompletion);

/* The question as searched, for "corrected": as typed, each changed word
 * replaced by what was searched (a code split into its parts: the terms). */
char *search_corrected_question(const char *query, const kb_query *q, const int *aCorrected);

#endif
