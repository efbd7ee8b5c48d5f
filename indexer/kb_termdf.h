/* kb_termdf.h: how many sections gain or lose each term during one run of
 * kb-index, so that an incremental run brings the `terms` table (every
 * term of a language with the number of sections holding it, kb_db.c) up
 * to date by what changed.
 *
 * Recounting instead walks every posting list of the language's FTS table
 * through fts5vocab: 0.19 s of a run that changed one es-ES file, where
 * the few hundred terms of that file's old and new sections are all that
 * can have moved. The counts are fed the very tokens FTS5 indexes
 * (kb_tok_observe), so they cannot drift from what a recount would find.
 *
 * Not thread-safe: the writer thread owns it. */
#ifndef KB_TERMDF_H
#define KB_TERMDF_H

#include <sqlite3.h>

typedef struct kb_termdf kb_termdf;

kb_termdf *kb_termdf_new(void);
void kb_termdf_free(kb_termdf *d);

/* The tokens added from now on are those of one more row, which brings its
 * terms to the table (sign > 0) or takes them away (sign < 0). A term
 * counts once per row, however many times and columns hold it. */
void kb_termdf_row(kb_termdf *d, int sign);

/* One token of the current row. */
void kb_termdf_add(kb_termdf *d, const char *z, int n);

/* The change in sections holding z[0..n) so far (0 for a term never seen):
 * for tests. */
int kb_termdf_delta(const kb_termdf *d, const char *z, int n);

/* Applies the changes to lang's rows of db's `terms` table: a term's count
 * moves by its change, a term no section holds any more goes. */
int kb_termdf_write(const kb_termdf *d, sqlite3 *db, const char *lang);

#endif
