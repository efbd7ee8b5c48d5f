/* kb_spell.h: typo correction against the index's own vocabulary.
 *
 * Terms are compared as the tokenizer leaves them (folded, stemmed) in one
 * language's FTS table, read through an fts5vocab table. A candidate must be
 * within edit distance 1 (terms of up to 5 characters) or 2 (longer), and
 * among equally close ones the most frequent wins. Numbers, hex codes and
 * anything with a digit are never corrected. */
#ifndef KB_SPELL_H
#define KB_SPELL_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct kb_spell kb_spell;

/* Opens the vocabulary of a language's FTS table (creates a temp fts5vocab
 * table; the database itself is not written). NULL on failure. */
kb_spell *kb_spell_open(sqlite3 *db, const char *lang);
void kb_spell_close(kb_spell *s);

/* 1 if the token occurs in the index. */
int kb_spell_known(kb_spell *s, const char *token);

/* Number of sections the token occurs in (0 if none). */
int kb_spell_doc_count(kb_spell *s, const char *token);

/* The nearest indexed token to `token` into out; 1 if one was found. */
int kb_spell_nearest(kb_spell *s, const char *token, char *out, size_t cap);

/* Edit distance with transpositions (optimal string alignment), on UTF-8
 * code points; stops early above max and then returns max + 1. */
int kb_spell_distance(const char *a, const char *b, int max);

#endif
