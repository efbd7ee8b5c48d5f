/* kb_serve.h: kb-query --serve, for bots that keep one process open.
 *
 * Reads one JSON request per line ({"q": "...", "limit": 5, "lang": "es",
 * "format": "json", "id": anything}; or "show": "doc#anchor" instead of
 * "q"; also "offset", "locale_only", "doc_prefix", "all_locales", "exact",
 * "full") and writes exactly one JSON response line per request, flushed,
 * in order: a result document, or an error document with code
 * "bad_request" (query/kb-query.schema.json), with the request's "id"
 * echoed whenever the line parsed as a JSON object. A malformed line, an
 * unknown field, a field of the wrong type or a line over 64 KB gets an
 * error response and the loop goes on; blank lines are skipped without a
 * response; EOF ends it. Command-line options (--lang, --limit...) are the
 * defaults of every request. The database is opened by the caller, with
 * kb_search_open; when kb-index replaces the file at dbPath (a rebuild
 * renames a new index over the old), the next request opens the new one,
 * so a bot that keeps one process gets today's docs, not yesterday's. */
#ifndef KB_SERVE_H
#define KB_SERVE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>

#include "kb_search.h"

#define KB_SERVE_MAX_LINE (64 * 1024)

/* Returns the process exit code (0 after a clean EOF). *pDb may be
 * replaced (see above); the caller closes the one left. */
int kb_serve(sqlite3 **pDb, const char *dbPath, FILE *in, FILE *out, const kb_query_opts *defaults);

/* Answers one request line (n bytes, no newline) with one response line
 * (malloc'd, no newline); never NULL: a bad request gets an error document. */
char *kb_serve_answer(sqlite3 *db, const char *line, size_t n, const kb_query_opts *defaults);

#endif
