/* kb_serve.c: see kb_serve.h. */
#include "kb_serve.h"

#include <string.h>

#include "kb_lang.h"
#include "kb_output.h"
#include "kb_util.h"

static json_t *S_error(json_t *id, const char *code, const char *message) {
    json_t *e = kb_output_json_error(code, message);
    if (id) json_object_set(e, "id", id);
    return e;
}

/* Reads an optional field of the expected JSON type; 0 if present with another type. */
static int S_field(json_t *req, const char *name, json_type type, json_t **out) {
    *out = json_object_get(req, name);
    if (!*out || json_is_null(*out)) {
        *out = NULL;
        return 1;
    }
    return json_typeof(*out) == type || (type == JSON_TRUE && json_is_boolean(*out));
}

static const char *const kb_serve_fields[] = {"q", "limit", "offset", "lang", "format", "id", "all_locales",
                                              "locale_only", "doc_prefix", "exact", "full", NULL};

json_t *kb_serve_answer(sqlite3 *db, const char *line, size_t n, const kb_query_opts *defaults) {
    json_error_t jerr;
    json_t *req = json_loadb(line, n, JSON_REJECT_DUPLICATES, &jerr);
    if (!req || !json_is_object(req)) {
        json_decref(req);
        return S_error(NULL, "bad_request", "request is not a JSON object");
    }
    json_t *id = json_object_get(req, "id");
    json_t *q = NULL, *limit = NULL, *offset = NULL, *lang = NULL, *format = NULL, *all = NULL;
    json_t *localeOnly = NULL, *prefix = NULL, *exact = NULL, *full = NULL;
    int ok = S_field(req, "q", JSON_STRING, &q) && S_field(req, "limit", JSON_INTEGER, &limit) &&
             S_field(req, "offset", JSON_INTEGER, &offset) && S_field(req, "lang", JSON_STRING, &lang) &&
             S_field(req, "format", JSON_STRING, &format) && S_field(req, "all_locales", JSON_TRUE, &all) &&
             S_field(req, "locale_only", JSON_STRING, &localeOnly) &&
             S_field(req, "doc_prefix", JSON_STRING, &prefix) && S_field(req, "exact", JSON_TRUE, &exact) &&
             S_field(req, "full", JSON_TRUE, &full);
    const char *key;
    json_t *value;
    json_object_foreach(req, key, value) {
        int known = 0;
        for (int i = 0; kb_serve_fields[i] && !known; i++) known = strcmp(key, kb_serve_fields[i]) == 0;
        if (!known) ok = 0;
    }
    json_t *resp;
    kb_query_opts o = *defaults;
    char langBuf[16], lang2[8], localeBuf[32];
    if (!ok || !q) {
        resp = S_error(id, "bad_request", "fields: q (string, required), limit, offset (integers), lang, format, "
                                          "locale_only, doc_prefix (strings), all_locales, exact, full (booleans), id");
    } else if (format && strcmp(json_string_value(format), "json") != 0) {
        resp = S_error(id, "bad_request", "format: only \"json\" is served");
    } else if ((limit && (json_integer_value(limit) < 1 || json_integer_value(limit) > 1000)) ||
               (offset && (json_integer_value(offset) < 0 || json_integer_value(offset) > 100000))) {
        resp = S_error(id, "bad_request", "limit must be 1..1000 and offset 0..100000");
    } else if ((lang && !kb_locale_normalize(json_string_value(lang), langBuf, sizeof langBuf)) ||
               (localeOnly && !kb_locale_normalize(json_string_value(localeOnly), localeBuf, sizeof localeBuf))) {
        resp = S_error(id, "bad_request", "lang and locale_only must be language tags such as \"es\" or \"es-es\"");
    } else {
        if (limit) o.limit = (int)json_integer_value(limit);
        if (offset) o.offset = (int)json_integer_value(offset);
        if (lang) {
            kb_locale_lang(langBuf, lang2, sizeof lang2);
            o.lang = lang2;
        }
        if (all) o.allLocales = json_is_true(all);
        if (localeOnly) o.localeOnly = localeBuf;
        if (prefix) o.docPrefix = json_string_value(prefix);
        if (exact) o.exact = json_is_true(exact);
        if (full) o.full = json_is_true(full);
        kb_results r;
        int rc = kb_search(db, json_string_value(q), &o, &r);
        if (rc) {
            resp = S_error(id, "database", kb_errmsg());
        } else {
            kb_output_opts oo = {.format = KB_FORMAT_JSON, .query = json_string_value(q)};
            resp = kb_output_json(&r, &oo);
            if (id) json_object_set(resp, "id", id);
        }
        kb_results_free(&r);
    }
    json_decref(req);
    return resp;
}

static void S_emit(FILE *out, json_t *resp) {
    json_dumpf(resp, out, JSON_COMPACT);
    fputc('\n', out);
    fflush(out);
    json_decref(resp);
}

int kb_serve(sqlite3 *db, FILE *in, FILE *out, const kb_query_opts *defaults) {
    kb_buf line = {0};
    int c, oversize = 0;
    for (;;) {
        c = getc(in);
        if (c == EOF || c == '\n') {
            if (oversize) {
                S_emit(out, S_error(NULL, "bad_request", "request line longer than 64 KB"));
            } else if (line.n > 0 && strspn(kb_buf_str(&line), " \t\r") != line.n) {
                S_emit(out, kb_serve_answer(db, line.z, line.n, defaults));
            }
            kb_buf_reset(&line);
            oversize = 0;
            if (c == EOF) break;
            continue;
        }
        if (line.n >= KB_SERVE_MAX_LINE) oversize = 1;
        else kb_buf_addc(&line, (char)c);
    }
    kb_buf_free(&line);
    return 0;
}
