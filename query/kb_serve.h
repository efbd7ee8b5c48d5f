/* kb_serve.h: kb-query --serve, for bots that keep one process open.
 *
 * Reads one JSON request per line ({"q": "...", "limit": 5, "lang": "es",
 * "format": "json", "id": anything}; or "show": "doc#anchor" instead of
 * "q"; also "offset", "locale_only", "doc_prefix", "all_locales", "exact",
 * "full") and writes exactly one JSON response line per request, flushed,
 * in order: a result document, or an error document with code
 * "bad_request" (query/kb-query.schema.json), with the request's "id"
 * echoed whenever the line parsed as a JSON object (kb_output.h). A
 * malformed line, an unknown field, a field of the wrong type or out of
 * range, or a line over 64 KB (a CR before its newline not counted) gets
 * an error response and the loop goes on; blank lines are skipped without
 * a response; EOF ends it, and so does a response that cannot be
 * written. Command-line options (--lang, --limit...) are the defaults of
 * every request. The database is opened by the caller, with
 * kb_search_open; when the file at dbPath changes (kb-index renames a
 * new index over the old; an operator may copy one over it), the next
 * request opens the new one, so a bot that keeps one process gets today's
 * docs, not yesterday's. */
#ifndef KB_SERVE_H
#define KB_SERVE_H

#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>

#include "kb_search.h"

#define KB_SERVE_MAX_LINE (64 * 1024)

/* The page a question may ask for, in a request ("limit", "offset") and on
 * kb-query's command line (--limit, --offset) alike, since a request's
 * fields are the command line's options: limit 1..KB_QUERY_MAX_LIMIT,
 * offset 0..KB_QUERY_MAX_OFFSET. A page is ranked and rendered whole: a
 * limit of a million made "azure" on a large index run 32 s in 400 MB. */
#define KB_QUERY_MAX_LIMIT 1000
#define KB_QUERY_MAX_OFFSET 100000

/* Returns KB_OK after EOF. KB_EIO when a response could not be written to
 * out (a full disk, a closed descriptor, the bot gone): the loop stops
 * there, since no later response could reach the bot either, and errno
 * says why, as after a failed fflush (EPIPE: the bot closed its end).
 * KB_EIO too when in could not be read (a closed descriptor, a directory).
 * *pDb may be replaced (see above); the caller closes the one left. */
int kb_serve(sqlite3 **pDb, const char *dbPath, FILE *in, FILE *out, const kb_query_opts *defaults);

/* Answers one request line (n bytes, no newline) with one response line
 * (malloc'd, no newline); never NULL: a bad request gets an error document. */
char *kb_serve_answer(sqlite3 *db, const char *line, size_t n, const kb_query_opts *defaults);

#endif
