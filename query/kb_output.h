/* kb_output.h: results as terminal text, Markdown or JSON.
 *
 * JSON is a contract (query/kb-query.schema.json): one document on stdout,
 * `"schema": KB_JSON_SCHEMA`, fields only ever added. Errors in JSON mode
 * are a JSON object too, so a bot always parses stdout. */
#ifndef KB_OUTPUT_H
#define KB_OUTPUT_H

#include <jansson.h>
#include <stdio.h>

#include "kb_search.h"

#define KB_JSON_SCHEMA 1

enum kb_format { KB_FORMAT_TEXT = 0, KB_FORMAT_MARKDOWN, KB_FORMAT_JSON };

typedef struct kb_output_opts {
    int format;         /* enum kb_format */
    int width;          /* text wrap width */
    int color;          /* ANSI bold for headings and matches */
    const char *query;  /* as typed, echoed in JSON */
    int offset;         /* results skipped (--offset): text numbers its first offset + 1 */
} kb_output_opts;

/* The JSON document for a result set as one line of text (malloc'd, no
 * newline); id, when not NULL, becomes its last member, "id" (--serve):
 * the same JSON value, each real number in the shortest form that reads
 * back the same (0.1, where jansson writes 0.10000000000000001). Never
 * NULL: a result jansson cannot encode gives an error document. */
char *kb_output_json_text(const kb_results *r, const kb_output_opts *o, json_t *id);

/* The JSON error document {"schema":1,"error":{"code","message"}} as one
 * line of text (malloc'd, no newline), with id as its "id" member when not
 * NULL (as kb_output_json_text writes it). Never NULL: a message jansson cannot encode gives an empty one. */
char *kb_output_json_error(const char *code, const char *message, json_t *id);

/* "No document contains: kubectl, aks", when some words of the question
 * are in no section (text output prints it above partial results). */
void kb_output_unknown(FILE *f, const kb_results *r);

/* "Only common words: de, la. Add a word that names the problem...", when
 * every word of the question is a stop word and nothing was searched. */
void kb_output_common(FILE *f, const kb_results *r);

/* "The index has no documents in en; it has: es, zh", when r->missingLang
 * is set (kb_search.h); above the results in text and Markdown, and with
 * "No results." on stderr. */
void kb_output_missing_lang(FILE *f, const kb_results *r);

/* Prints results in o->format. KB_EDB, printing nothing, when the JSON
 * document cannot be encoded (text in the index that is not UTF-8): the
 * caller reports it as the damaged index it is. */
int kb_output_print(FILE *f, const kb_results *r, const kb_output_opts *o);

/* Prints a document's table of contents (--toc); fails as kb_output_print. */
int kb_output_toc(FILE *f, const kb_results *r, const kb_output_opts *o);

#endif
