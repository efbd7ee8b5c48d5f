/* kb_output.c: see kb_output.h. */
#include "kb_output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "kb_msg.h"
#include "kb_render.h"
#include "kb_snippet.h"
#include "kb_util.h"

#define KB_SNIPPET_WORDS 28

static json_t *S_breadcrumb_json(const char *crumb) {
    json_t *a = json_array();
    const char *p = crumb;
    while (p && *p) {
        const char *end = strchr(p, '\x1f');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        json_array_append_new(a, json_stringn(p, n));
        p = end ? end + 1 : NULL;
    }
    return a;
}

/* A result's four large members go into the document as placeholder
 * strings, replaced in the dumped document:
 * - remediation and links ('r', 'l') by the JSON arrays stored when the
 *   index was built: parsing them only to dump them again was a sixth of an
 *   ID lookup (jansson holds no raw JSON);
 * - markdown and text ('m', 't') by the string escaped here: jansson decodes
 *   and re-encodes every code point, which was a fifth of a whole query
 *   for the 50 KB of text ten results carry.
 * The placeholder carries a random nonce, so no text of a query or a
 * document can pass for one. */
#define KB_STORED_MARK "\001kb-stored-"
#define KB_STORED_MARK_DUMPED "\"\\u0001kb-stored-"

static const char *S_nonce(void) {
    static char zNonce[20];
    if (!zNonce[0]) {
        unsigned long long v = 0;
        if (getrandom(&v, sizeof v, GRND_NONBLOCK) != (ssize_t)sizeof v)
            v = (unsigned long long)time(NULL) * 2654435761u ^ (unsigned long long)getpid() ^ (uintptr_t)&v;
        snprintf(zNonce, sizeof zNonce, "%016llx", v);
    }
    return zNonce;
}

static json_t *S_stored_placeholder(char kind, int i) {
    char z[64];
    snprintf(z, sizeof z, KB_STORED_MARK "%s:%c%d", S_nonce(), kind, i);
    return json_string(z);
}

/* Result i's stored array of the kind ('r' remediation, 'l' links); "[]"
 * for anything that is not an array (a damaged view is reported when read:
 * this is only a guard). */
static const char *S_stored_array(const kb_results *r, char kind, long i) {
    if (i < 0 || i >= r->n) return "[]";
    const char *z = kind == 'r' ? r->a[i].view.remediation : r->a[i].view.links;
    size_t n = strlen(z);
    return n >= 2 && z[0] == '[' && z[n - 1] == ']' ? z : "[]";
}

/* 1 if none of the 8 bytes of x needs a look: each is ASCII, at least
 * 0x20, and neither '"' nor a backslash (bit tricks from "Bit Twiddling
 * Hacks": a byte is zero in v when (v - 1) & ~v has its high bit). */
static int S_plain8(uint64_t x) {
    const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
    uint64_t quote = x ^ (ones * '"'), slash = x ^ (ones * '\\');
    uint64_t special = ((x - ones * 0x20) & ~x) | ((quote - ones) & ~quote) | ((slash - ones) & ~slash) | x;
    return (special & highs) == 0;
}

/* Input bytes escaped per reservation of output room: the room is six
 * bytes per input byte ("\u00XX"), which for a whole large section at
 * once would be six times its size. */
#define KB_JSON_CHUNK 4096

/* Escapes s[*pi..end) (a UTF-8 sequence may run up to 3 bytes past end)
 * into out, which has room for 6 bytes per input byte and 8 more; returns
 * the end of what was written, or NULL at bytes that are not UTF-8. */
static char *S_escape_run(char *out, const unsigned char *s, size_t n, size_t *pi, size_t end) {
    static const char hex[] = "0123456789ABCDEF";
    size_t i = *pi;
    while (i < end) {
        if (i + 8 <= end) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (S_plain8(x)) {
                memcpy(out, s + i, 8);
                out += 8;
                i += 8;
                continue;
            }
        }
        unsigned char c = s[i];
        if (c >= 0x80) {
            size_t len = kb_utf8_seq_len((const char *)s + i, n - i);
            if (len == 0) return NULL;
            memcpy(out, s + i, len);
            out += len;
            i += len;
            continue;
        }
        i++;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *out++ = (char)c;
            continue;
        }
        *out++ = '\\';
        switch (c) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '\b': *out++ = 'b'; break;
        case '\f': *out++ = 'f'; break;
        case '\n': *out++ = 'n'; break;
        case '\r': *out++ = 'r'; break;
        case '\t': *out++ = 't'; break;
        default:
            memcpy(out, "u00", 3);
            out[3] = hex[c >> 4];
            out[4] = hex[c & 15];
            out += 5;
            break;
        }
    }
    *pi = i;
    return out;
}

/* Appends z as a JSON string, escaped exactly as jansson's compact dump
 * escapes (the output stays byte for byte what json_dumps wrote); 0, with
 * nothing appended, when z is not UTF-8, which jansson refuses too. One
 * pass does both: a section's text is read once, eight bytes at a time
 * where nothing needs escaping or checking, and written straight into the
 * buffer (a table's text has a newline every few dozen bytes). */
static int S_add_json_string(kb_buf *b, const char *z) {
    const unsigned char *s = (const unsigned char *)z;
    size_t n = strlen(z), start = b->n;
    kb_buf_addc(b, '"');
    for (size_t i = 0; i < n;) {
        size_t end = n - i > KB_JSON_CHUNK ? i + KB_JSON_CHUNK : n;
        kb_buf_reserve(b, 6 * (end - i) + 8);
        char *out = S_escape_run(b->z + b->n, s, n, &i, end);
        if (!out) {
            b->n = start;
            b->z[start] = '\0';
            return 0;
        }
        b->n = (size_t)(out - b->z);
    }
    kb_buf_addc(b, '"');
    return 1;
}

/* Appends what placeholder (kind, i) stands for; 0 if it cannot be encoded. */
static int S_add_stored(kb_buf *b, const kb_results *r, char kind, long i) {
    if (kind == 'r' || kind == 'l') {
        kb_buf_adds(b, S_stored_array(r, kind, i));
        return 1;
    }
    if (i < 0 || i >= r->n) return 0;
    return S_add_json_string(b, kind == 'm' ? r->a[i].view.markdown : r->a[i].view.text);
}

/* The dumped document with every placeholder replaced; NULL if a result's
 * text is not UTF-8. */
static char *S_splice_stored(const char *dumped, const kb_results *r) {
    char zMark[64];
    snprintf(zMark, sizeof zMark, KB_STORED_MARK_DUMPED "%s:", S_nonce());
    size_t nMark = strlen(zMark);
    kb_buf b = {0};
    const char *p = dumped, *hit;
    while ((hit = strstr(p, zMark))) {
        char kind = hit[nMark];
        char *end = NULL;
        long i = strtol(hit + nMark + 1, &end, 10);
        kb_buf_add(&b, p, (size_t)(hit - p));
        if (strchr("rlmt", kind) && kind && end && *end == '"') {
            if (!S_add_stored(&b, r, kind, i)) {
                kb_buf_free(&b);
                return NULL;
            }
            p = end + 1;
        } else { /* cannot happen: the nonce is ours */
            kb_buf_add(&b, hit, nMark);
            p = hit + nMark;
        }
    }
    kb_buf_adds(&b, p);
    return kb_buf_detach(&b);
}

/* One result's object; NULL if a string in it is not UTF-8. */
static json_t *S_hit_json(const kb_hit *h, int i, kb_matcher *m) {
    kb_matcher_lang(m, h->lang);
    /* From the words that were searched: a passage of link targets or of
     * the closing list of URLs matched nothing. */
    kb_buf words = {0};
    kb_view_words(&h->view, &words);
    char *snippet = kb_snippet(m, words.z, "**", "**", KB_SNIPPET_WORDS);
    kb_buf_free(&words);
    char *ref = kb_xasprintf("%s#%s", h->doc, h->anchor);
    json_t *hit = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:f, s:s, s:s}", "rank", i + 1, "doc", h->doc,
                            "anchor", h->anchor, "ref", ref, "locale", h->locale, "title", h->title, "heading",
                            h->heading, "breadcrumb", S_breadcrumb_json(h->breadcrumb), "score", h->score, "match",
                            h->match == KB_MATCH_ERRID ? "error_id" : "text", "snippet", snippet);
    free(ref);
    free(snippet);
    int bad = !hit;
    if (!bad) {
        json_object_set_new(hit, "markdown", S_stored_placeholder('m', i));
        json_object_set_new(hit, "text", S_stored_placeholder('t', i));
        if (h->match == KB_MATCH_ERRID) bad = json_object_set_new(hit, "error_id", json_string(h->errid)) != 0;
        json_object_set_new(hit, "remediation", S_stored_placeholder('r', i));
        json_object_set_new(hit, "links", S_stored_placeholder('l', i));
    }
    if (bad) json_decref(hit);
    return bad ? NULL : hit;
}

/* The document; NULL if a result cannot be encoded (jansson refuses
 * invalid UTF-8, which the index should never hold). */
static json_t *S_results_json(const kb_results *r, const kb_output_opts *o) {
    json_t *root = json_pack("{s:i, s:s}", "schema", KB_JSON_SCHEMA, "query", o->query ? o->query : "");
    if (r->decoded) json_object_set_new(root, "decoded", json_string(r->decoded));
    if (r->corrected) json_object_set_new(root, "corrected", json_string(r->corrected));
    if (r->note) json_object_set_new(root, "note", json_string(r->note));
    if (r->nUnknown) {
        json_t *unknown = json_array();
        for (int i = 0; i < r->nUnknown; i++) json_array_append_new(unknown, json_string(r->aUnknown[i]));
        json_object_set_new(root, "unknown_words", unknown);
    }
    if (r->nCommon) {
        json_t *common = json_array();
        for (int i = 0; i < r->nCommon; i++) json_array_append_new(common, json_string(r->aCommon[i]));
        json_object_set_new(root, "common_words", common);
    }
    if (r->missingLang) json_object_set_new(root, "missing_language", json_string(r->missingLang));
    json_t *results = json_array();
    kb_matcher *m = kb_matcher_new(r->aTerm, r->nTerm);
    int bad = !root;
    for (int i = 0; !bad && i < r->n; i++) bad = json_array_append_new(results, S_hit_json(&r->a[i], i, m)) != 0;
    kb_matcher_free(m);
    if (bad) {
        json_decref(results);
        json_decref(root);
        return NULL;
    }
    json_object_set_new(root, "results", results);
    return root;
}

/* Appends v as JSON (compact), each real number in the shortest form
 * that reads back the same: jansson writes reals with 17 digits (0.1 as
 * 0.10000000000000001), one precision for a whole dump, so a number takes
 * the fewest digits, 1 to 17, that give back its value (15 were the
 * fewest tried: 5e-324 came back as 4.94065645841247e-324). 0 if jansson
 * cannot write v. */
static int S_add_id(kb_buf *b, json_t *v) {
    size_t i;
    const char *key;
    json_t *x;
    int ok = 1;
    if (json_is_array(v)) {
        kb_buf_addc(b, '[');
        json_array_foreach(v, i, x) {
            if (i) kb_buf_addc(b, ',');
            if (ok) ok = S_add_id(b, x);
        }
        kb_buf_addc(b, ']');
        return ok;
    }
    if (json_is_object(v)) {
        kb_buf_addc(b, '{');
        i = 0;
        json_object_foreach(v, key, x) {
            json_t *k = json_string(key);
            char *zKey = k ? json_dumps(k, JSON_ENCODE_ANY) : NULL;
            json_decref(k);
            if (i++) kb_buf_addc(b, ',');
            if (zKey) kb_buf_addf(b, "%s:", zKey);
            if (ok) ok = zKey && S_add_id(b, x);
            free(zKey);
        }
        kb_buf_addc(b, '}');
        return ok;
    }
    char *z = NULL;
    for (int precision = json_is_real(v) ? 1 : 17; !z && precision <= 17; precision++) {
        z = json_dumps(v, JSON_ENCODE_ANY | JSON_REAL_PRECISION(precision));
        json_t *back = z && precision < 17 ? json_loads(z, JSON_DECODE_ANY, NULL) : NULL;
        if (precision < 17 && !(back && json_equal(back, v))) {
            free(z);
            z = NULL;
        }
        json_decref(back);
    }
    if (z) kb_buf_adds(b, z);
    free(z);
    return z != NULL;
}

/* z (malloc'd, freed) with U+2028 and U+2029 escaped: valid in a JSON
 * string, but a line end to JavaScript before ES2019 and to Python's
 * str.splitlines(), which cut one --serve response in several. Only
 * strings can hold them, so the bytes are replaced wherever they are. */
static char *S_escape_line_separators(char *z) {
    if (!z || (!strstr(z, "\xE2\x80\xA8") && !strstr(z, "\xE2\x80\xA9"))) return z;
    kb_buf b = {0};
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            kb_buf_adds(&b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
            p += 2;
        } else {
            kb_buf_addc(&b, (char)*p);
        }
    }
    free(z);
    return kb_buf_detach(&b);
}

/* root as one line of compact JSON, with id (when not NULL) as its last
 * member, written by S_add_id; NULL if jansson cannot write them. */
static char *S_dump(json_t *root, json_t *id) {
    char *z = S_escape_line_separators(json_dumps(root, JSON_COMPACT));
    if (!z || !id) return z;
    kb_buf b = {0};
    size_t n = strlen(z);
    int ok = n >= 2 && z[n - 1] == '}';
    if (ok) {
        kb_buf_add(&b, z, n - 1);
        kb_buf_adds(&b, ",\"id\":");
        ok = S_add_id(&b, id);
        kb_buf_addc(&b, '}');
    }
    free(z);
    if (!ok) kb_buf_free(&b);
    return ok ? kb_buf_detach(&b) : NULL;
}

char *kb_output_json_error(const char *code, const char *message, json_t *id) {
    /* A message may quote what the user typed ("--lang \xff"), which JSON
     * cannot carry as it is. */
    char *zMessage = kb_utf8_escape(message);
    json_t *e = json_pack("{s:i, s:{s:s, s:s}}", "schema", KB_JSON_SCHEMA, "error", "code", code, "message", zMessage);
    free(zMessage);
    char *z = e ? S_dump(e, id) : NULL;
    json_decref(e);
    return z ? z : kb_xasprintf("{\"schema\":%d,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}",
                                KB_JSON_SCHEMA);
}

static void S_bold(FILE *f, const kb_output_opts *o, const char *z) {
    if (o->color) fprintf(f, "\033[1m%s\033[0m", z);
    else fputs(z, f);
}

/* Appends z as text for a terminal: without the control characters a terminal
 * would obey (C0, DEL, and C1 as UTF-8: "\033]0;...\007" retitles the
 * window), which the section renderer drops from what it shows; a tab or
 * a line break is a space, as each entry of a --toc is one line. A
 * backslash goes before each character in special. A heading, a file name
 * or an <a name> anchor is the document's text, and a document can be
 * anyone's. */
static void S_add_visible(kb_buf *b, const char *z, const char *special) {
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r') {
            kb_buf_addc(b, ' ');
            continue;
        }
        if (*p < 0x20 || *p == 0x7F) continue;
        if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) { /* U+0080-U+009F */
            p++;
            continue;
        }
        if (strchr(special, *p)) kb_buf_addc(b, '\\');
        kb_buf_addc(b, (char)*p);
    }
}

/* S_add_visible, written to f. */
static void S_put_visible(FILE *f, const char *z, const char *special) {
    kb_buf b = {0};
    S_add_visible(&b, z, special);
    fputs(kb_buf_str(&b), f);
    kb_buf_free(&b);
}

/* doc#anchor of a hit, shown: as S_put_visible. */
static void S_put_ref(FILE *f, const kb_hit *h) {
    S_put_visible(f, h->doc, "");
    fputc('#', f);
    S_put_visible(f, h->anchor, "");
}

/* Prints text wrapped to the width with the given indent, by the section
 * renderer itself (CJK breaks, display widths), escaped so that it is read
 * as plain text, not Markdown. */
static void S_print_wrapped(FILE *f, const char *z, int indent, int bold, const kb_output_opts *o) {
    kb_buf md = {0}, text = {0};
    /* a heading, which no table row is: "A | B testing" keeps its '|' (kb_inline.c) */
    kb_buf_adds(&md, "# ");
    for (; *z; z++) {
        if ((*z >= '!' && *z <= '/') || (*z >= ':' && *z <= '@') || (*z >= '[' && *z <= '`') || (*z >= '{' && *z <= '~'))
            kb_buf_addc(&md, '\\');
        kb_buf_addc(&md, *z == '\n' ? ' ' : *z);
    }
    int width = o->width - indent > 20 ? o->width - indent : 20;
    kb_render_opts ro = {.width = width};
    kb_render_text(kb_buf_str(&md), md.n, &ro, &text);
    const char *line = kb_buf_str(&text);
    int first = 1;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (n > 0) {
            fprintf(f, "%*s", first ? 0 : indent, "");
            if (bold && o->color) fprintf(f, "\033[1m%.*s\033[0m\n", (int)n, line);
            else fprintf(f, "%.*s\n", (int)n, line);
            first = 0;
        }
        line = end ? end + 1 : line + n;
    }
    kb_buf_free(&md);
    kb_buf_free(&text);
}

static void S_print_text_hit(FILE *f, const kb_hit *h, int rank, kb_matcher *m, const kb_output_opts *o) {
    /* Every line of the header starts where the heading does, after
     * "N. ": "10. " is a column wider than "9. ", and a fixed indent of 3
     * made the lines of ranks 10 and above a column too wide. */
    char head[32];
    int indent = snprintf(head, sizeof head, "%d. ", rank);
    fputs(head, f);
    S_print_wrapped(f, h->heading[0] ? h->heading : h->title, indent, 1, o);
    kb_buf crumb = {0};
    for (const char *p = h->breadcrumb; *p; p++) {
        if (*p == '\x1f') kb_buf_adds(&crumb, " › ");
        else kb_buf_addc(&crumb, *p);
    }
    fprintf(f, "%*s", indent, "");
    S_print_wrapped(f, kb_buf_str(&crumb), indent, 0, o);
    kb_buf_reset(&crumb);
    kb_buf_addf(&crumb, "%s · %s", h->title, h->locale);
    fprintf(f, "%*s", indent, "");
    S_print_wrapped(f, kb_buf_str(&crumb), indent, 0, o);
    kb_buf_free(&crumb);
    /* The reference to show it again: one unbreakable token on its own line. */
    fprintf(f, "%*s→ ", indent, "");
    S_put_ref(f, h);
    fputc('\n', f);
    if (h->match == KB_MATCH_ERRID) fprintf(f, "%*s%s: %s\n", indent, "", _("error code"), h->errid);
    fputc('\n', f);
    kb_buf body = {0};
    kb_render_opts ro = {.width = o->width, .color = o->color, .markMatches = kb_matcher_mark, .matchCtx = m,
                         .docPath = h->doc};
    /* wrapped to the reader's width: rendered again from the Markdown */
    kb_render_text(h->view.source, strlen(h->view.source), &ro, &body);
    fputs(kb_buf_str(&body), f);
    if (body.n && body.z[body.n - 1] != '\n') fputc('\n', f);
    kb_buf_free(&body);
}

static void S_print_markdown_hit(FILE *f, const kb_hit *h) {
    fputs("<!-- kb: ", f);
    S_put_ref(f, h);
    fputs(" (", f);
    S_put_visible(f, h->locale, "");
    fputs(") -->\n\n", f);
    fputs(h->view.markdown, f);
}

/* The result document, or NULL when jansson refuses some text of it:
 * invalid UTF-8, which the index should never hold (kb-index skips files
 * and names that are not UTF-8; an index an older kb wrote may). */
static char *S_json_text(const kb_results *r, const kb_output_opts *o, json_t *id) {
    json_t *doc = S_results_json(r, o);
    char *dumped = doc ? S_dump(doc, id) : NULL;
    json_decref(doc);
    char *z = dumped ? S_splice_stored(dumped, r) : NULL;
    free(dumped);
    return S_escape_line_separators(z);
}

/* Why a one-shot answer has no JSON document (exit 3, as a damaged index). */
static int S_not_encodable(void) {
    return kb_fail(KB_EDB, _("a result could not be encoded as JSON: the index holds text that is not UTF-8; "
                             "rebuild it with kb-index --full"));
}

char *kb_output_json_text(const kb_results *r, const kb_output_opts *o, json_t *id) {
    char *z = S_json_text(r, o, id);
    return z ? z : kb_output_json_error("internal", _("a result could not be encoded as JSON"), id);
}

void kb_output_missing_lang(FILE *f, const kb_results *r) {
    /* TRANSLATORS: the first %s is a language code ("en"), the second the
     * codes of the languages the index has ("es, zh") */
    if (r->missingLang) fprintf(f, _("The index has no documents in %s; it has: %s\n"), r->missingLang, r->indexLangs);
}

/* The words as typed, ", "-separated, as S_add_visible shows them (a
 * pasted message may fill them with escape codes; special: see there). */
static void S_add_words(kb_buf *out, char *const *a, int n, const char *special) {
    for (int i = 0; i < n; i++) {
        if (i) kb_buf_adds(out, ", ");
        S_add_visible(out, a[i], special);
    }
}

void kb_output_unknown(FILE *f, const kb_results *r) {
    if (!r->nUnknown) return;
    kb_buf words = {0};
    S_add_words(&words, r->aUnknown, r->nUnknown, "");
    fprintf(f, _("No document contains: %s\n"), kb_buf_str(&words));
    kb_buf_free(&words);
}

void kb_output_common(FILE *f, const kb_results *r) {
    if (!r->nCommon) return;
    kb_buf words = {0};
    S_add_words(&words, r->aCommon, r->nCommon, "");
    /* TRANSLATORS: %s is the question's words ("de, la, el") */
    fprintf(f, _("Only common words: %s. Add a word that names the problem, a message or an error code.\n"),
            kb_buf_str(&words));
    kb_buf_free(&words);
}

/* Above the sections in Markdown, as the text format says them: the
 * words no section holds, and the question as searched (the missing
 * language, kb_output_print says for both). Each is the user's text, every
 * ASCII punctuation mark escaped, so that it reads as typed rather than as
 * Markdown. */
static void S_print_markdown_notes(FILE *f, const kb_results *r) {
    static const char zPunct[] = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    if (r->nUnknown && r->n > 0) {
        kb_buf words = {0};
        S_add_words(&words, r->aUnknown, r->nUnknown, zPunct);
        fprintf(f, _("No document contains: %s\n"), kb_buf_str(&words));
        fputc('\n', f);
        kb_buf_free(&words);
    }
    if (r->corrected) {
        fprintf(f, "*%s* **", _("Showing results for"));
        S_put_visible(f, r->corrected, zPunct);
        fputs("**\n\n", f);
    }
}

int kb_output_print(FILE *f, const kb_results *r, const kb_output_opts *o) {
    if (o->format == KB_FORMAT_JSON) {
        char *z = S_json_text(r, o, NULL);
        if (!z) return S_not_encodable();
        fputs(z, f);
        fputc('\n', f);
        free(z);
        return KB_OK;
    }
    if (r->decoded) fprintf(f, "%s\n\n", r->decoded);
    if (r->missingLang && r->n > 0) {
        kb_output_missing_lang(f, r);
        fputc('\n', f);
    }
    /* what no document holds, then what was searched instead: "No document
     * contains: AllocationFailed", then "Showing results for Allocation
     * Failed", which the other order seemed to contradict */
    if (r->nUnknown && r->n > 0 && o->format == KB_FORMAT_TEXT) {
        kb_output_unknown(f, r);
        fputc('\n', f);
    }
    if (r->corrected && o->format == KB_FORMAT_TEXT) {
        /* the query as run: the words as typed, a pasted log line's escape codes too */
        kb_buf corrected = {0};
        S_add_visible(&corrected, r->corrected, "");
        fprintf(f, "%s ", _("Showing results for"));
        S_bold(f, o, kb_buf_str(&corrected));
        fputs("\n\n", f);
        kb_buf_free(&corrected);
    }
    if (o->format == KB_FORMAT_MARKDOWN) {
        S_print_markdown_notes(f, r);
        for (int i = 0; i < r->n; i++) {
            if (i > 0) fputs("\n---\n\n", f);
            S_print_markdown_hit(f, &r->a[i]);
        }
        return KB_OK;
    }
    kb_matcher *m = kb_matcher_new(r->aTerm, r->nTerm); /* matches in bold */
    for (int i = 0; i < r->n; i++) {
        if (i > 0) fputc('\n', f);
        kb_matcher_lang(m, r->a[i].lang);
        S_print_text_hit(f, &r->a[i], o->offset + i + 1, m, o);
    }
    kb_matcher_free(m);
    return KB_OK;
}

/* doc#anchor as a link destination: in <...> when it holds a space (a tab
 * or line break shows as one), a parenthesis or an angle bracket (anchors
 * of old docs keep "(millions)"). */
static void S_put_link_target(FILE *f, const kb_hit *h) {
    static const char zBracketed[] = " \t\n\r()<>";
    if (!strpbrk(h->doc, zBracketed) && !strpbrk(h->anchor, zBracketed)) {
        S_put_ref(f, h);
        return;
    }
    fputc('<', f);
    S_put_visible(f, h->doc, "<>\\");
    fputc('#', f);
    S_put_visible(f, h->anchor, "<>\\");
    fputc('>', f);
}

int kb_output_toc(FILE *f, const kb_results *r, const kb_output_opts *o) {
    if (o->format == KB_FORMAT_JSON) {
        json_t *root = json_pack("{s:i, s:s, s:[]}", "schema", KB_JSON_SCHEMA, "doc", r->n ? r->a[0].doc : o->query,
                                 "sections");
        /* jansson refuses text that is not UTF-8 by failing quietly: a
         * field or a section left out would be a wrong answer, not a
         * smaller one */
        int bad = !root;
        if (!bad && r->note) bad = json_object_set_new(root, "note", json_string(r->note)) != 0;
        json_t *arr = json_object_get(root, "sections");
        for (int i = 0; !bad && i < r->n; i++)
            bad = json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "anchor", r->a[i].anchor, "heading",
                                                       r->a[i].heading, "locale", r->a[i].locale)) != 0;
        char *z = bad ? NULL : S_escape_line_separators(json_dumps(root, JSON_COMPACT));
        json_decref(root);
        if (!z) return S_not_encodable();
        fputs(z, f);
        fputc('\n', f);
        free(z);
        return KB_OK;
    }
    for (int i = 0; i < r->n; i++) {
        const kb_hit *h = &r->a[i];
        if (o->format == KB_FORMAT_TEXT) {
            S_put_ref(f, h);
            fputc('\t', f);
            S_put_visible(f, h->heading, "");
            fputc('\n', f);
            continue;
        }
        /* Markdown: a list nested by heading level, each entry a link. */
        fprintf(f, "%*s- [", 2 * (h->level > 1 ? h->level - 1 : 0), "");
        S_put_visible(f, h->heading, "[]\\`*_<"); /* what would end the link or start markup */
        fputs("](", f);
        S_put_link_target(f, h);
        fputs(")\n", f);
    }
    return KB_OK;
}
