/* test_output.c: the JSON document of a result set. */
#include "kb_output.h"
#include "kb_test.h"
#include "kb_util.h"

/* One result whose Markdown and text are the given strings. */
static void one_result(kb_results *r, kb_hit *h, const char *markdown, const char *text) {
    memset(r, 0, sizeof *r);
    memset(h, 0, sizeof *h);
    static char doc[] = "es-es/a.md", anchor[] = "error", locale[] = "es-es", lang[] = "es", title[] = "T",
                heading[] = "Error", crumb[] = "T\x1f" "Error", remediation[] = "[]", links[] = "[]";
    h->doc = doc;
    h->anchor = anchor;
    h->locale = locale;
    h->lang = lang;
    h->title = title;
    h->heading = heading;
    h->breadcrumb = crumb;
    h->view.source = markdown;
    h->view.markdown = markdown;
    h->view.text = text;
    h->view.remediation = remediation;
    h->view.links = links;
    r->a = h;
    r->n = 1;
}

/* Member `key` of the first result as jansson would write it, U+2028 and
 * U+2029 escaped as kb_output escapes them (a line end to some readers). */
static char *jansson_member(const char *value) {
    json_t *s = json_string(value);
    char *z = s ? json_dumps(s, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(s);
    if (!z) return NULL;
    kb_buf b = {0};
    for (const char *p = z; *p; p++) {
        if (strncmp(p, "\xe2\x80\xa8", 3) == 0 || strncmp(p, "\xe2\x80\xa9", 3) == 0) {
            kb_buf_adds(&b, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
            p += 2;
        } else {
            kb_buf_addc(&b, *p);
        }
    }
    free(z);
    return kb_buf_detach(&b);
}

/* Markdown and text are escaped by kb_output, not by jansson: every byte
 * that needs escaping comes out as jansson writes it, and the document
 * parses back to the same strings. */
static void test_json_strings_are_escaped_as_jansson_escapes_them(void) {
    kb_buf md = {0};
    for (int c = 1; c < 0x20; c++) kb_buf_addc(&md, (char)c);
    kb_buf_adds(&md, "\"quoted\" back\\slash /slash \x7f é 中文 \xe2\x80\xa8 \xf0\x9f\x98\x80 end");
    const char *text = "line one\nline two\ttab \"q\"";
    kb_results r;
    kb_hit h;
    one_result(&r, &h, kb_buf_str(&md), text);
    kb_output_opts o = {.format = KB_FORMAT_JSON, .query = "q"};
    char *doc = kb_output_json_text(&r, &o, NULL);
    char *wantMd = jansson_member(kb_buf_str(&md)), *wantText = jansson_member(text);
    CHECK(wantMd && strstr(doc, wantMd) != NULL);
    CHECK(wantText && strstr(doc, wantText) != NULL);
    json_error_t err;
    json_t *root = json_loads(doc, 0, &err);
    CHECK(root != NULL);
    json_t *hit = json_array_get(json_object_get(root, "results"), 0);
    CHECK_STR(json_string_value(json_object_get(hit, "markdown")), kb_buf_str(&md));
    CHECK_STR(json_string_value(json_object_get(hit, "text")), text);
    CHECK(json_is_array(json_object_get(hit, "remediation")));
    json_decref(root);
    free(wantMd);
    free(wantText);
    free(doc);
    kb_buf_free(&md);
}

/* Random texts built from the pieces that decide escaping and UTF-8
 * validity (controls, quotes, backslashes, every kind of well-formed and
 * ill-formed sequence, at every alignment of the eight-byte fast path):
 * kb_output writes what jansson writes, and refuses what jansson refuses. */
static void test_random_texts_are_escaped_or_refused_as_jansson_does(void) {
    static const char *const aPiece[] = {
        "a", "plain ascii ", "\"", "\\", "\n", "\t", "\x01", "\x1f", " ", "\x7f", "é", "中文", "\xe2\x80\xa8",
        "\xf0\x9f\x98\x80", "\xef\xbf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xf4\x8f\xbf\xbf",
        /* ill-formed: lone continuation, overlong, surrogate, above U+10FFFF, truncated, invalid lead */
        "\x80", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe4\xb8",
        "\xf0\x9f\x98", "\xff", "\xf8\x88\x80\x80\x80", "\xc3"};
    const int nPiece = (int)(sizeof aPiece / sizeof aPiece[0]);
    unsigned seed = 12345;
    int nRefused = 0, nWritten = 0;
    for (int iter = 0; iter < 3000; iter++) {
        kb_buf text = {0};
        /* every tenth text is long: escaped in several chunks, sequences
         * and escapes falling across their boundaries */
        int nPart = iter % 10 == 0 ? 3000 : 1 + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 12;
        for (int k = 0; k < nPart; k++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly well-formed pieces, so that most texts are written */
            int iPiece = (int)(seed >> 16) % (iter % 4 == 0 && (nPart < 100 || k == nPart - 1) ? nPiece : 18);
            kb_buf_adds(&text, aPiece[iPiece]);
        }
        kb_results r;
        kb_hit h;
        one_result(&r, &h, "md", kb_buf_str(&text));
        kb_output_opts o = {.format = KB_FORMAT_JSON, .query = "q"};
        char *doc = kb_output_json_text(&r, &o, NULL);
        char *want = jansson_member(kb_buf_str(&text));
        if (want) {
            nWritten++;
            CHECK(strstr(doc, want) != NULL);
        } else {
            nRefused++;
            CHECK(strstr(doc, "\"internal\"") != NULL);
        }
        free(want);
        free(doc);
        kb_buf_free(&text);
    }
    CHECK(nWritten > 2000 && nRefused > 100);
}

/* A text that is not UTF-8 (a damaged index) gives the error document,
 * never invalid JSON. */
static void test_invalid_utf8_gives_the_error_document(void) {
    kb_results r;
    kb_hit h;
    one_result(&r, &h, "fine", "bad \xff byte");
    kb_output_opts o = {.format = KB_FORMAT_JSON, .query = "q"};
    char *doc = kb_output_json_text(&r, &o, NULL);
    json_error_t err;
    json_t *root = json_loads(doc, 0, &err);
    CHECK(root != NULL);
    CHECK_STR(json_string_value(json_object_get(json_object_get(root, "error"), "code")), "internal");
    json_decref(root);
    free(doc);
}

/* Document text shaped like a placeholder stays text. */
static void test_placeholder_lookalikes_stay_text(void) {
    const char *fake = "\x01kb-stored-0000000000000000:m0";
    kb_results r;
    kb_hit h;
    one_result(&r, &h, fake, fake);
    kb_output_opts o = {.format = KB_FORMAT_JSON, .query = fake};
    char *doc = kb_output_json_text(&r, &o, NULL);
    json_error_t err;
    json_t *root = json_loads(doc, 0, &err);
    CHECK(root != NULL);
    CHECK_STR(json_string_value(json_object_get(root, "query")), fake);
    json_t *hit = json_array_get(json_object_get(root, "results"), 0);
    CHECK_STR(json_string_value(json_object_get(hit, "markdown")), fake);
    json_decref(root);
    free(doc);
}

/* --toc --format markdown: a list nested by heading level, each heading a
 * link whose text cannot end the link or start markup early. */
static void test_markdown_toc_nests_by_level_and_escapes_headings(void) {
    kb_hit a[3];
    kb_results r = {.a = a, .n = 3};
    static char doc[] = "es-es/a.md", h1[] = "Errores", h2[] = "Error [0x1] *grave*", h3[] = "a_b\\c`d`<e>";
    static char an1[] = "errores", an2[] = "error-0x1", an3[] = "cause:-a-(b)";
    a[0] = (kb_hit){.doc = doc, .anchor = an1, .heading = h1, .level = 1};
    a[1] = (kb_hit){.doc = doc, .anchor = an2, .heading = h2, .level = 2};
    a[2] = (kb_hit){.doc = doc, .anchor = an3, .heading = h3, .level = 3};
    char *z = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&z, &n);
    kb_output_toc(f, &r, &(kb_output_opts){.format = KB_FORMAT_MARKDOWN});
    fclose(f);
    CHECK_STR(z, "- [Errores](es-es/a.md#errores)\n"
                 "  - [Error \\[0x1\\] \\*grave\\*](es-es/a.md#error-0x1)\n"
                 "    - [a\\_b\\\\c\\`d\\`\\<e>](<es-es/a.md#cause:-a-(b)>)\n");
    free(z);
}

/* The output of a toc written to a string. */
static char *S_toc(const kb_results *r, int format) {
    char *z = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&z, &n);
    kb_output_toc(f, r, &(kb_output_opts){.format = format});
    fclose(f);
    return z;
}

/* A heading, a file name or an explicit anchor comes from a document: its
 * control characters (C0, DEL, C1 as UTF-8) would reach the terminal as
 * escape sequences ("\033]0;title\007" sets the window title), so --toc
 * drops them as the section renderer does; a tab or a line break, which
 * would split the entry's one line, is a space. JSON keeps them, escaped. */
static void test_toc_drops_control_characters_of_the_index(void) {
    kb_hit a[1];
    kb_results r = {.a = a, .n = 1};
    static char doc[] = "es-es/a\033[2J.md", heading[] = "Title \033]0;pwned\007 here\t\xc2\x9b" "31mred\x7f\n!",
                anchor[] = "an\033[1mchor", locale[] = "es-es";
    a[0] = (kb_hit){.doc = doc, .anchor = anchor, .heading = heading, .locale = locale, .level = 1};
    char *z = S_toc(&r, KB_FORMAT_TEXT);
    CHECK_STR(z, "es-es/a[2J.md#an[1mchor\tTitle ]0;pwned here 31mred !\n");
    free(z);
    z = S_toc(&r, KB_FORMAT_MARKDOWN);
    CHECK_STR(z, "- [Title \\]0;pwned here 31mred !](es-es/a[2J.md#an[1mchor)\n");
    free(z);
    z = S_toc(&r, KB_FORMAT_JSON);
    json_error_t err;
    json_t *root = json_loads(z, 0, &err);
    json_t *s = json_array_get(json_object_get(root, "sections"), 0);
    CHECK_STR(json_string_value(json_object_get(s, "heading")), heading);
    CHECK_STR(json_string_value(json_object_get(s, "anchor")), anchor);
    json_decref(root);
    free(z);
}

/* The corrected query is the question as typed, words replaced: a pasted
 * log line's escape codes ("\033]0;...\007" retitles the window) must not
 * reach the terminal through "Showing results for", as they do not through
 * the other words kb echoes. */
static void test_corrected_query_drops_control_characters(void) {
    kb_results r;
    kb_hit h;
    one_result(&r, &h, "md", "text");
    static char corrected[] = "hardware backup\033]0;PWNED\007 \xc2\x9b" "31m";
    r.corrected = corrected;
    char *z = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&z, &n);
    kb_output_print(f, &r, &(kb_output_opts){.format = KB_FORMAT_TEXT, .width = 80});
    fclose(f);
    CHECK(strstr(z, "Showing results for hardware backup]0;PWNED 31m\n") != NULL);
    CHECK(strchr(z, '\033') == NULL && strchr(z, '\007') == NULL && strstr(z, "\xc2\x9b") == NULL);
    free(z);
}

/* A request's id comes back as the bot wrote it: a real as its shortest
 * form that reads back the same (0.1, not jansson's 0.10000000000000001),
 * inside an array or object too, while the scores keep every digit. */
static void test_real_id_is_echoed_in_its_shortest_form(void) {
    kb_results r;
    kb_hit h;
    one_result(&r, &h, "md", "text");
    h.score = 0.1;
    json_t *id = json_loads("[0.1, 1e300, 0.30000000000000004, {\"a\": 2.5, \"b\": \"x\"}, 7, null]", 0, NULL);
    char *doc = kb_output_json_text(&r, &(kb_output_opts){.format = KB_FORMAT_JSON, .query = "q"}, id);
    const char *want = ",\"id\":[0.1,1e300,0.30000000000000004,{\"a\":2.5,\"b\":\"x\"},7,null]}";
    CHECK(strlen(doc) > strlen(want) && strcmp(doc + strlen(doc) - strlen(want), want) == 0);
    CHECK(strstr(doc, "\"score\":0.10000000000000001,") != NULL);
    json_t *back = json_loads(doc, 0, NULL);
    CHECK(back && json_equal(json_object_get(back, "id"), id));
    json_decref(back);
    free(doc);
    json_decref(id);
    id = json_real(0.1);
    char *err = kb_output_json_error("bad_request", "m", id);
    CHECK_STR(err, "{\"schema\":1,\"error\":{\"code\":\"bad_request\",\"message\":\"m\"},\"id\":0.1}");
    free(err);
    json_decref(id);
}

KB_TEST_MAIN(test_markdown_toc_nests_by_level_and_escapes_headings, test_toc_drops_control_characters_of_the_index,
             test_json_strings_are_escaped_as_jansson_escapes_them, test_random_texts_are_escaped_or_refused_as_jansson_does, test_invalid_utf8_gives_the_error_document,
             test_placeholder_lookalikes_stay_text, test_corrected_query_drops_control_characters,
             test_real_id_is_echoed_in_its_shortest_form)
