/* kb_serve.c: see kb_serve.h.
 *
 * The loop never stops on a bad request: a bot that sent garbage still gets
 * exactly one line back, so it stays in step with its own request queue.
 * Only EOF ends it, or a response that cannot be written. */
#include "kb_serve.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb_cli.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_output.h"
#include "kb_util.h"

/* What a request may hold. Unknown fields are refused rather than ignored,
 * so a typo ("limt") is an error instead of a silently different query. */
enum { S_STRING, S_INTEGER, S_BOOLEAN, S_ANY };
static const struct {
    const char *name;
    int type;
} S_fields[] = {{"q", S_STRING},           {"show", S_STRING},        {"limit", S_INTEGER},
                {"offset", S_INTEGER},     {"lang", S_STRING},        {"format", S_STRING},
                {"locale_only", S_STRING}, {"doc_prefix", S_STRING},  {"all_locales", S_BOOLEAN},
                {"exact", S_BOOLEAN},      {"full", S_BOOLEAN},       {"id", S_ANY}};
#define S_NFIELD ((int)(sizeof S_fields / sizeof S_fields[0]))

static const char *const S_type_name[] = {N_("a string"), N_("an integer"), N_("a boolean"), N_("any value")};

static int S_type_ok(json_t *v, int type) {
    switch (type) {
    case S_STRING: return json_is_string(v);
    case S_INTEGER: return json_is_integer(v);
    case S_BOOLEAN: return json_is_boolean(v);
    default: return 1;
    }
}

/* Checks every field of req against S_fields; on failure writes a message
 * naming the first bad field into *msg (caller frees) and returns 0. A null
 * value means "absent", like a field left out. */
static int S_check_fields(json_t *req, char **msg) {
    const char *key;
    json_t *value;
    json_object_foreach(req, key, value) {
        int i = 0;
        while (i < S_NFIELD && strcmp(key, S_fields[i].name) != 0) i++;
        if (i == S_NFIELD) {
            *msg = kb_xasprintf(_("unknown field \"%s\"; fields: q or show, limit, offset, lang, locale_only, "
                                  "doc_prefix, all_locales, exact, full, format, id"),
                                key);
            return 0;
        }
        if (!json_is_null(value) && !S_type_ok(value, S_fields[i].type)) {
            *msg = kb_xasprintf(_("field \"%s\" must be %s"), key, _(S_type_name[S_fields[i].type]));
            return 0;
        }
    }
    return 1;
}

/* A field's value, NULL when absent or null (types were checked already). */
static json_t *S_get(json_t *req, const char *name) {
    json_t *v = json_object_get(req, name);
    return v && !json_is_null(v) ? v : NULL;
}

/* The message language in force before a request switched it. */
typedef struct S_msg_saved {
    char *language; /* $LANGUAGE, NULL when unset */
    char *messages; /* setlocale(LC_MESSAGES, NULL) */
} S_msg_saved;

/* A request's "lang" is --lang for that request: it also picks the language
 * of messages, including the labels rendered into "text" ("Links:"), so a
 * served answer equals the one-shot answer byte for byte. kb_msg_init does
 * the switch (through $LANGUAGE and LC_MESSAGES, and setlocale() makes
 * gettext drop its cache); S_msg_restore undoes it for the next request. */
static void S_msg_switch(const char *lang, S_msg_saved *saved) {
    const char *language = getenv("LANGUAGE");
    saved->language = language ? kb_xstrdup(language) : NULL;
    saved->messages = kb_xstrdup(setlocale(LC_MESSAGES, NULL));
    kb_msg_init(NULL, lang);
}

static void S_msg_restore(S_msg_saved *saved) {
    if (saved->language) setenv("LANGUAGE", saved->language, 1);
    else unsetenv("LANGUAGE");
    setlocale(LC_MESSAGES, saved->messages);
    kb_msg_changed();
    free(saved->language);
    free(saved->messages);
}

/* Runs a checked request. Returns the response line, or NULL with *msg set
 * for a bad value. */
static char *S_run(sqlite3 *db, json_t *req, json_t *id, const kb_query_opts *defaults, char **msg) {
    json_t *q = S_get(req, "q"), *show = S_get(req, "show"), *limit = S_get(req, "limit");
    json_t *offset = S_get(req, "offset"), *lang = S_get(req, "lang"), *format = S_get(req, "format");
    json_t *localeOnly = S_get(req, "locale_only"), *prefix = S_get(req, "doc_prefix");
    json_t *v;
    char langBuf[16], lang2[8], localeBuf[32];
    kb_query_opts o = *defaults;
    o.viewLabels = 1; /* every answer is JSON */

    if (!q == !show) {
        *msg = kb_xstrdup(q ? _("a request needs \"q\" (a query) or \"show\" (\"doc#anchor\"), not both")
                            : _("a request needs \"q\" (a query) or \"show\" (\"doc#anchor\")"));
        return NULL;
    }
    if (format && strcmp(json_string_value(format), "json") != 0) {
        *msg = kb_xstrdup(_("field \"format\": only \"json\" is served"));
        return NULL;
    }
    if (limit && (json_integer_value(limit) < 1 || json_integer_value(limit) > KB_QUERY_MAX_LIMIT)) {
        *msg = kb_xasprintf(_("field \"%s\" must be %d..%d"), "limit", 1, KB_QUERY_MAX_LIMIT);
        return NULL;
    }
    if (offset && (json_integer_value(offset) < 0 || json_integer_value(offset) > KB_QUERY_MAX_OFFSET)) {
        *msg = kb_xasprintf(_("field \"%s\" must be %d..%d"), "offset", 0, KB_QUERY_MAX_OFFSET);
        return NULL;
    }
    if ((lang && !kb_locale_normalize(json_string_value(lang), langBuf, sizeof langBuf)) ||
        (localeOnly && !kb_locale_normalize(json_string_value(localeOnly), localeBuf, sizeof localeBuf))) {
        *msg = kb_xstrdup(_("fields \"lang\" and \"locale_only\" must be language tags such as \"es\" or \"es-es\""));
        return NULL;
    }
    if (limit) o.limit = (int)json_integer_value(limit);
    if (offset) o.offset = (int)json_integer_value(offset);
    if (lang) {
        kb_locale_lang(langBuf, lang2, sizeof lang2);
        o.lang = lang2;
        o.langExplicit = o.langAsked = 1; /* as --lang: outranks the language the query is written in */
    }
    if (localeOnly) o.localeOnly = localeBuf;
    if (prefix) o.docPrefix = json_string_value(prefix);
    if ((v = S_get(req, "all_locales"))) o.allLocales = json_is_true(v);
    if ((v = S_get(req, "exact"))) o.exact = json_is_true(v);
    if ((v = S_get(req, "full"))) o.full = json_is_true(v);

    S_msg_saved saved = {0};
    if (lang) S_msg_switch(langBuf, &saved);
    kb_results r;
    int rc = q ? kb_search(db, json_string_value(q), &o, &r) : kb_search_show(db, json_string_value(show), &o, &r);
    char *resp;
    if (rc == KB_EUSAGE) { /* "show": "x" is the request's mistake, not the index's */
        *msg = kb_xstrdup(kb_errmsg());
        resp = NULL;
    } else if (rc && rc != KB_ENOTFOUND) {
        resp = kb_output_json_error("database", kb_errmsg(), id);
    } else {
        /* As on the command line, "query" is "" for a section shown by reference. */
        kb_output_opts oo = {.format = KB_FORMAT_JSON, .query = q ? json_string_value(q) : ""};
        resp = kb_output_json_text(&r, &oo, id);
    }
    kb_results_free(&r);
    if (lang) S_msg_restore(&saved);
    return resp;
}

char *kb_serve_answer(sqlite3 *db, const char *line, size_t n, const kb_query_opts *defaults) {
    /* A raw NUL byte ends the text for jansson, which then said "end of
     * file expected near end of file": named as the escaped one is. */
    const char *nul = memchr(line, 0, n);
    if (nul) {
        char *msg = kb_xasprintf(_("a request may not hold NUL characters (\\u0000), at column %d"),
                                 (int)(nul - line) + 1);
        char *resp = kb_output_json_error("bad_request", msg, NULL);
        free(msg);
        return resp;
    }
    json_error_t jerr;
    json_t *req = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!req) {
        /* jansson says what is wrong ("duplicate object key", "'}'
         * expected"), in English: the reader is a bot's developer. But
         * not about "\u0000", which it names by its own option
         * (JSON_ALLOW_NUL), which means nothing to the bot: we refuse NUL
         * because a query or a reference is a C string. */
        enum json_error_code code = json_error_code(&jerr);
        char *msg;
        if (code == json_error_null_character || code == json_error_null_byte_in_key)
            msg = kb_xasprintf(_("a request may not hold NUL characters (\\u0000), at column %d"), jerr.column);
        else if (code == json_error_numeric_overflow) /* valid JSON, beyond what jansson holds */
            msg = kb_xasprintf(_("a number of the request is too large (send a large id as a string), at column %d"),
                               jerr.column);
        else
            msg = kb_xasprintf(_("request is not valid JSON: %s, at column %d"), jerr.text, jerr.column);
        char *resp = kb_output_json_error("bad_request", msg, NULL);
        free(msg);
        return resp;
    }
    if (!json_is_object(req)) {
        json_decref(req);
        return kb_output_json_error("bad_request", _("request is not a JSON object"), NULL);
    }
    json_t *id = json_object_get(req, "id");
    char *msg = NULL;
    char *resp = S_check_fields(req, &msg) ? S_run(db, req, id, defaults, &msg) : NULL;
    if (!resp) resp = kb_output_json_error("bad_request", msg, id);
    free(msg);
    json_decref(req);
    return resp;
}

/* Writes a response line; KB_EIO, errno saying why, when it could not be written. */
static int S_emit(FILE *out, char *resp) {
    fputs(resp, out);
    fputc('\n', out);
    free(resp);
    return kb_cli_answer_written(out, 0);
}

/* Which file a path names, and which version of it: a rebuilt index is a
 * new file renamed over the old one (kb-index never writes an index in
 * place), so a new inode; but an index copied over the old one ("cp
 * new.sqlite kb.sqlite") keeps the inode, and had made every later
 * request fail as "damaged" until the bot restarted. */
typedef struct S_file_id {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime, ctime;
} S_file_id;

static S_file_id S_file_id_of(const char *path) {
    struct stat st;
    S_file_id id = {0};
    if (stat(path, &st) == 0) id = (S_file_id){st.st_dev, st.st_ino, st.st_size, st.st_mtim, st.st_ctim};
    return id;
}

static int S_same_file(const S_file_id *a, const S_file_id *b) {
    return a->dev == b->dev && a->ino == b->ino && a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec && a->ctime.tv_sec == b->ctime.tv_sec &&
           a->ctime.tv_nsec == b->ctime.tv_nsec;
}

/* Opens the index at path if it is another file than the one open. On
 * failure the open one stays: it is still a whole index, only older; the
 * operator is told on stderr, once for each file that could not be used
 * (*failed), since a one-shot kb-query would now exit 3. */
static void S_follow_rebuild(sqlite3 **pDb, const char *path, S_file_id *open, S_file_id *failed) {
    S_file_id now = S_file_id_of(path);
    if (S_same_file(&now, open) || S_same_file(&now, failed)) return;
    sqlite3 *db = NULL;
    if (now.ino != 0 && kb_search_open(path, KB_SEARCH_MANY_QUESTIONS, &db) == KB_OK) {
        sqlite3_close(*pDb);
        *pDb = db;
        *open = now;
        return;
    }
    char *zPath = kb_shown(path);
    fprintf(stderr, _("kb-query: warning: %s cannot be used now (%s); answering from the index opened before\n"), zPath,
            now.ino ? kb_errmsg() : strerror(ENOENT));
    free(zPath);
    *failed = now;
}

int kb_serve(sqlite3 **pDb, const char *dbPath, FILE *in, FILE *out, const kb_query_opts *defaults) {
    kb_buf line = {0};
    int c, oversize = 0, rc = KB_OK, readErr = 0;
    S_file_id open = S_file_id_of(dbPath), failed = {.dev = (dev_t)-1, .ino = (ino_t)-1}; /* none yet */
    while (rc == KB_OK) {
        c = getc(in);
        if (c == EOF && ferror(in)) readErr = errno ? errno : EIO; /* before the last line's answer sets errno */
        if (c == EOF || c == '\n') {
            if (oversize) {
                rc = S_emit(out, kb_output_json_error("bad_request", _("request line longer than 64 KB"), NULL));
            } else if (line.n > 0 && strspn(kb_buf_str(&line), " \t\r") != line.n) {
                S_follow_rebuild(pDb, dbPath, &open, &failed);
                rc = S_emit(out, kb_serve_answer(*pDb, line.z, line.n, defaults));
            }
            /* Blank lines get no answer: a stray newline must not put the
             * bot's requests and our responses out of step. */
            kb_buf_reset(&line);
            oversize = 0;
            if (c == EOF) break;
            continue;
        }
        /* Past the limit, keep reading to the newline but store nothing.
         * The CR of a CRLF line end is no part of the request: stored one
         * byte past the limit, it is refused only if more follows. */
        if (line.n < KB_SERVE_MAX_LINE || (line.n == KB_SERVE_MAX_LINE && c == '\r')) kb_buf_addc(&line, (char)c);
        else oversize = 1;
    }
    int err = errno;
    /* A read that failed is no end of input: the bot's requests are lost. */
    if (rc == KB_OK && readErr) rc = kb_fail(KB_EIO, _("cannot read standard input: %s"), strerror(err = readErr));
    kb_buf_free(&line);
    errno = err;
    return rc;
}
