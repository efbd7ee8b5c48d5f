/* kb_dict.h: whether a word is a word of its language.
 *
 * The typo corrector reads a word the docs never use as a typo of the
 * nearest word they do, and a real word it so "corrects" searches for
 * another: "really" became "relies", "forgot" "format", "took" "tool".
 * A word of the language is left as typed instead, and searched as one
 * the docs lack. The words are Debian's word lists (wamerican, wbritish,
 * wspanish), compiled in at build time (gen_dict.c) as the tokens kb_tok
 * makes of them, so that a list's word counts in every form its stem
 * takes ("conectando" is a word because "conectar" is). A language
 * without a list has no word known here. */
#ifndef KB_DICT_H
#define KB_DICT_H

#include <stddef.h>

/* 1 if token (as kb_tok_one makes it in lang) is one of lang's words. */
int kb_dict_has_token(const char *lang, const char *token);

/* The American spelling of a British word ("organisation", any case,
 * into out: "organization"), for docs written in American English; 0 if
 * the word is spelled alike in both or is none. */
int kb_dict_us_spelling_of(const char *word, char *out, size_t cap);

#endif
