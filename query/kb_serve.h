/* kb_serve.h: kb-query --serve, for bots that keep one process open.
 *
 * Reads one JSON request per line ({"q": "...", "limit": 5, "lang": "es",
 * "format": "json", "id": anything}) and writes exactly one JSON response
 * line per request, flushed, in order. A malformed line, a field of the
 * wrong type or a line over 64 KB gets an error response and the loop goes
 * on; EOF ends it. The database is opened once by the caller. */
#ifndef KB_SERVE_H
#define KB_SERVE_H

#include <sqlite3.h>
#include <stdio.h>

#include "kb_search.h"

#define KB_SERVE_MAX_LINE (64 * 1024)

/* Returns the process exit code (0 after a clean EOF). */
int kb_serve(sqlite3 *db, FILE *in, FILE *out, const kb_query_opts *defaults);

/* Answers one request line; returns the response (caller decrefs). */
#include <jansson.h>
json_t *kb_serve_answer(sqlite3 *db, const char *line, size_t n, const kb_query_opts *defaults);

#endif
