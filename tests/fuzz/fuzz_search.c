/* fuzz_search.c: a question end to end, as kb-query answers it: kb_search on
 * an index of the bundled corpus, the results printed as text (with and
 * without colour), Markdown and JSON, and the same question sent as a
 * --serve request (kb_serve_answer).
 *
 * Byte 0 picks the options: bits 0-2 the language (0: none asked for, as
 * when it comes from the environment; 5-7: ones the index lacks), bit 3
 * exact, bit 4 all locales, bit 5 full sections, bit 6 only es-es, bit 7
 * only documents under "es-es/". Byte 1: limit 1-16 (low bits), offset
 * 0-15 (high bits). The rest is the query, valid UTF-8 without NUL, which
 * is what kb-query accepts from its command line.
 *
 * Checks: a query never fails on a sound index (no SQL or FTS5 error ever
 * reaches the user); the page holds at most `limit` results; every output
 * is valid UTF-8; the JSON parses and lists exactly the page's results;
 * the served answer is the one-shot JSON byte for byte. The same text as
 * --show DOC#ANCHOR and --toc DOC (names may be shortened) is found, or
 * not found with a note, never a database error.
 *
 * The index is built once per process, into a temporary directory, from
 * KB_FUZZ_DOCS (the environment's, else the one compiled in). No message
 * catalog is bound here, so a request's "lang" leaves the labels English
 * on both sides of the comparison. */
#include <jansson.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "kb_build.h"
#include "kb_output.h"
#include "kb_search.h"
#include "kb_serve.h"

static char fuzz_dir[4096];
static char fuzz_db_path[sizeof fuzz_dir + 16];

static void fuzz_remove_index(void) {
    static const char *const azSuffix[] = {"", ".lock", ".tmp", "-journal"};
    for (size_t i = 0; i < sizeof azSuffix / sizeof azSuffix[0]; i++) {
        char z[sizeof fuzz_db_path + 16];
        snprintf(z, sizeof z, "%s%s", fuzz_db_path, azSuffix[i]);
        unlink(z);
    }
    rmdir(fuzz_dir);
}

static sqlite3 *fuzz_index(void) {
    static sqlite3 *db;
    if (db) return db;
    const char *docs = getenv("KB_FUZZ_DOCS");
    if (!docs || !docs[0]) docs = KB_FUZZ_DOCS;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/kb-fuzz-search.XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    FUZZ_ASSERT(mkdtemp(fuzz_dir) != NULL, "mkdtemp %s", fuzz_dir);
    snprintf(fuzz_db_path, sizeof fuzz_db_path, "%s/kb.sqlite", fuzz_dir);
    atexit(fuzz_remove_index);
    kb_build_opts bo = {.dbPath = fuzz_db_path, .aRoot = &docs, .nRoot = 1, .defaultLocale = "en-us",
                        .full = 1, .quiet = 1, .jobs = 1, .maxFileBytes = 16 << 20};
    kb_build_stats stats;
    FUZZ_ASSERT(kb_build(&bo, &stats) == KB_OK, "indexing %s: %s", docs, kb_errmsg());
    FUZZ_ASSERT(stats.added > 0, "no document under %s", docs);
    FUZZ_ASSERT(kb_search_open(fuzz_db_path, KB_SEARCH_MANY_QUESTIONS, &db) == KB_OK, "open: %s", kb_errmsg());
    return db;
}

static void fuzz_utf8(const char *what, const char *z, size_t n) {
    size_t bad;
    FUZZ_ASSERT(kb_utf8_valid(z, n, &bad), "%s: not UTF-8 at byte %zu of %zu", what, bad, n);
}

/* Prints r in one format into memory and checks the bytes. */
static void fuzz_print(const kb_results *r, const kb_output_opts *o) {
    char *z = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&z, &n);
    FUZZ_ASSERT(f != NULL, "open_memstream");
    kb_output_print(f, r, o);
    fclose(f);
    fuzz_utf8(o->format == KB_FORMAT_TEXT ? "text" : o->format == KB_FORMAT_MARKDOWN ? "markdown" : "json", z, n);
    if (o->format == KB_FORMAT_JSON) {
        json_error_t err;
        json_t *v = json_loadb(z, n, 0, &err);
        FUZZ_ASSERT(v != NULL, "JSON output does not parse: %s", err.text);
        json_t *results = json_object_get(v, "results");
        FUZZ_ASSERT(json_is_array(results) && (int)json_array_size(results) == r->n, "%d results, JSON lists %zu",
                    r->n, json_array_size(results));
        json_decref(v);
    }
    free(z);
}

/* The request a bot would send for the same question. */
static char *fuzz_request(const char *query, const kb_query_opts *o) {
    json_t *req = json_pack("{s:s, s:i, s:i, s:b, s:b, s:b}", "q", query, "limit", o->limit, "offset", o->offset,
                            "exact", o->exact, "all_locales", o->allLocales, "full", o->full);
    FUZZ_ASSERT(req != NULL, "json_pack");
    if (o->langExplicit) json_object_set_new(req, "lang", json_string(o->lang));
    if (o->localeOnly) json_object_set_new(req, "locale_only", json_string(o->localeOnly));
    if (o->docPrefix) json_object_set_new(req, "doc_prefix", json_string(o->docPrefix));
    char *z = json_dumps(req, JSON_COMPACT);
    json_decref(req);
    return z;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const azLang[] = {"en", "es", "en", "ja", "zh", "fr", "de", "pt"};
    if (size < 2 || size > 4096 || !fuzz_is_doc_text(data + 2, size - 2)) return -1;
    sqlite3 *db = fuzz_index();
    char *query = fuzz_cstr(data + 2, size - 2);
    kb_query_opts o = {
        .lang = azLang[data[0] & 7],
        .langExplicit = (data[0] & 7) != 0,
        .langAsked = (data[0] & 7) != 0, /* as a request's "lang" is */
        .exact = !!(data[0] & 8),
        .allLocales = !!(data[0] & 16),
        .full = !!(data[0] & 32),
        .localeOnly = data[0] & 64 ? "es-es" : NULL,
        .docPrefix = data[0] & 128 ? "es-es/" : NULL,
        .limit = 1 + (data[1] & 15),
        .offset = data[1] >> 4,
        .viewLabels = 1,
    };

    kb_results r;
    int rc = kb_search(db, query, &o, &r);
    FUZZ_ASSERT(rc == KB_OK, "kb_search(\"%s\") failed: %s", query, kb_errmsg());
    FUZZ_ASSERT(r.n >= 0 && r.n <= o.limit, "%d results for limit %d", r.n, o.limit);
    for (int format = KB_FORMAT_TEXT; format <= KB_FORMAT_JSON; format++)
        for (int color = 0; color <= (format == KB_FORMAT_TEXT); color++)
            fuzz_print(&r, &(kb_output_opts){.format = format, .width = 72, .color = color, .query = query});

    char *oneShot = kb_output_json_text(&r, &(kb_output_opts){.format = KB_FORMAT_JSON, .query = query}, NULL);
    char *req = fuzz_request(query, &o);
    kb_query_opts defaults = {.lang = "en", .limit = 5};
    char *served = kb_serve_answer(db, req, strlen(req), &defaults);
    FUZZ_ASSERT(strcmp(served, oneShot) == 0, "request %s\n  served:   %.300s\n  one-shot: %.300s", req, served,
                oneShot);
    free(served);
    free(req);
    free(oneShot);
    kb_results_free(&r);

    /* The same text as a --show reference and a --toc name, which may be
     * the start of a name: found, not found with a note saying why, or (a
     * reference without "#anchor") a usage error; never a database error. */
    rc = kb_search_show(db, query, &o, &r);
    FUZZ_ASSERT(rc == KB_OK || rc == KB_ENOTFOUND || rc == KB_EUSAGE, "--show \"%s\": %s", query, kb_errmsg());
    FUZZ_ASSERT(rc != KB_ENOTFOUND || (r.note && r.n == 0), "--show \"%s\" not found, without a note", query);
    fuzz_print(&r, &(kb_output_opts){.format = KB_FORMAT_JSON, .query = ""});
    kb_results_free(&r);
    rc = kb_search_toc(db, query, &o, &r);
    FUZZ_ASSERT(rc == KB_OK || rc == KB_ENOTFOUND, "--toc \"%s\": %s", query, kb_errmsg());
    FUZZ_ASSERT(rc != KB_ENOTFOUND || (r.note && r.n == 0), "--toc \"%s\" not found, without a note", query);
    if (r.note) fuzz_utf8("toc note", r.note, strlen(r.note));
    kb_results_free(&r);
    free(query);
    return 0;
}
