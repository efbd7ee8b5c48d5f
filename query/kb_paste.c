/* kb_paste.c: see kb_paste.h.
 *
 * Word by word rather than line by line: a message pasted into a chat box
 * or a one-line prompt has lost its line breaks, and a stack frame or an
 * error record reads the same either way. Only what no document can hold
 * is blanked: a value (a GUID, a timestamp, a request ID, a frame's method
 * and file), the label of one, the words a frame or an error record wraps
 * them in, and a prompt's echo of a command above the message. The
 * message's own words and codes ("StackExchange.Redis",
 * "System.TimeoutException:") are kept, and so is a command pasted alone. */
#include "kb_paste.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb_util.h"

typedef struct S_word {
    size_t start, end; /* the word between whitespace */
    size_t from, to;   /* without the punctuation around it */
} S_word;

static int S_all(const char *z, size_t n, int (*is)(int)) {
    for (size_t i = 0; i < n; i++)
        if (!is((unsigned char)z[i])) return 0;
    return n > 0;
}

static int S_hex_run(const char *z, size_t n) { return S_all(z, n, isxdigit); }

/* 8-4-4-4-12 hex digits. */
static int S_guid(const char *z, size_t n) {
    static const size_t aPart[] = {8, 4, 4, 4, 12};
    if (n != 36) return 0;
    for (size_t p = 0, at = 0; p < 5; at += aPart[p++] + 1)
        if (!S_hex_run(z + at, aPart[p]) || (p < 4 && z[at + aPart[p]] != '-')) return 0;
    return 1;
}

/* A request or trace ID: 16 hex digits or more, some of them digits
 * (an error code is 8, after "0x"). */
static int S_hex_id(const char *z, size_t n) {
    if (n < 16 || !S_hex_run(z, n)) return 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)z[i])) return 1;
    return 0;
}

/* Digits and separators only, shaped as a date ("2024-03-17",
 * "3/17/2024", "2024-03-17T22:10:10.590Z") or a time of day ("22:10:10",
 * "01:19:01.589"). Dotted numbers are versions ("1.2.3"), not dates. */
static int S_timestamp(const char *z, size_t n) {
    size_t digits = 0, dashes = 0, slashes = 0, colons = 0;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (isdigit((unsigned char)c)) digits++;
        else if (c == '-') dashes++;
        else if (c == '/') slashes++;
        else if (c == ':') colons++;
        else if (!(c == 'T' || c == 'Z' || c == '.' || c == ',' || c == '+')) return 0;
    }
    if (!isdigit((unsigned char)z[0]) || digits < 6) return 0;
    return dashes == 2 || slashes == 2 || colons >= 2;
}

/* A stack frame's method, "Microsoft.Azure.Client.ExecuteAsync()" or
 * "com.example.Main.run(Main.java:12)": a dotted name and a parenthesis. */
static int S_frame_method(const char *z, size_t n) {
    const char *paren = memchr(z, '(', n);
    if (!paren || paren == z) return 0;
    size_t name = (size_t)(paren - z);
    int dotted = 0;
    for (size_t i = 0; i < name; i++) {
        char c = z[i];
        if (c == '.' && i > 0 && i + 1 < name) dotted = 1;
        else if (!(isalnum((unsigned char)c) || c == '_' || c == '.' || c == '`' || c == '<' || c == '>')) return 0;
    }
    return dotted;
}

/* A file and line of a .NET frame: "C:\src\Client.cs:line" (its number
 * is the next word). */
static int S_frame_file(const char *z, size_t n) { return n > 5 && strncasecmp(z + n - 5, ":line", 5) == 0; }

/* "line:1", "char:12": where PowerShell's error record points. */
static int S_record_position(const char *z, size_t n) {
    const char *colon = memchr(z, ':', n);
    if (!colon) return 0;
    size_t label = (size_t)(colon - z);
    return ((label == 4 && strncasecmp(z, "line", 4) == 0) || (label == 4 && strncasecmp(z, "char", 4) == 0)) &&
           S_all(colon + 1, n - label - 1, isdigit);
}

/* Labels of values no document holds, as HTTP headers, Azure's error
 * payloads and PowerShell's error record write them. */
static int S_label(const char *z, size_t n) {
    static const char *const aLabel[] = {
        "requestid",   "request-id",     "x-ms-request-id", "client-request-id", "x-ms-client-request-id",
        "activityid",  "activity-id",    "correlationid",   "correlation-id",    "x-ms-correlation-request-id",
        "trackingid",  "tracking-id",    "timestamp",       "categoryinfo",      "fullyqualifiederrorid",
        "notspecified"};
    for (size_t i = 0; i < sizeof aLabel / sizeof *aLabel; i++)
        if (strlen(aLabel[i]) == n && strncasecmp(z, aLabel[i], n) == 0) return 1;
    return 0;
}

/* The first word of a two-word label: "Correlation ID:", "Request Id". */
static int S_label_of_id(const char *z, size_t n, const char *next, size_t nNext) {
    static const char *const aWhat[] = {"correlation", "request", "activity", "tracking", "trace", "session"};
    if (nNext != 2 || strncasecmp(next, "id", 2) != 0) return 0;
    for (size_t i = 0; i < sizeof aWhat / sizeof *aWhat; i++)
        if (strlen(aWhat[i]) == n && strncasecmp(z, aWhat[i], n) == 0) return 1;
    return 0;
}

/* A PowerShell or cmd prompt: "C:\>", "C:\Users\ana>". */
static int S_prompt(const char *z, size_t n) {
    return n >= 4 && isalpha((unsigned char)z[0]) && z[1] == ':' && z[2] == '\\' && z[n - 1] == '>';
}

static int S_noise(const char *z, size_t n) {
    return S_guid(z, n) || S_hex_id(z, n) || S_timestamp(z, n) || S_frame_method(z, n) || S_frame_file(z, n) ||
           S_record_position(z, n) || S_label(z, n) || (n > 15 && strncasecmp(z, "/subscriptions/", 15) == 0);
}

/* The word's span without the brackets, quotes and punctuation around it
 * ("[2024-03-17T22:10:10Z]", "RequestId:"). A frame's closing parenthesis
 * is part of it. */
static void S_trim(const char *text, S_word *w) {
    static const char kBefore[] = "[({<'\"`", kAfter[] = "])}>'\"`,;:.";
    w->from = w->start, w->to = w->end;
    while (w->from < w->to && strchr(kBefore, text[w->from])) w->from++;
    while (w->to > w->from && strchr(kAfter, text[w->to - 1]) &&
           !(text[w->to - 1] == ')' && memchr(text + w->from, '(', w->to - w->from)))
        w->to--;
}

static S_word *S_words(const char *text, size_t *pn) {
    size_t n = 0, cap = 16;
    S_word *a = kb_xcalloc(cap, sizeof *a);
    for (size_t i = 0; text[i];) {
        while (text[i] && isspace((unsigned char)text[i])) i++;
        if (!text[i]) break;
        size_t start = i;
        while (text[i] && !isspace((unsigned char)text[i])) i++;
        if (n == cap) a = kb_xrealloc(a, (cap *= 2) * sizeof *a);
        a[n] = (S_word){.start = start, .end = i};
        S_trim(text, &a[n++]);
    }
    *pn = n;
    return a;
}

static int S_word_is(const char *text, const S_word *w, int (*is)(const char *, size_t)) {
    return is(text + w->from, w->to - w->from);
}

static int S_raw_is(const char *text, const S_word *w, int (*is)(const char *, size_t)) {
    return is(text + w->start, w->end - w->start);
}

static int S_digits(const char *z, size_t n) { return S_all(z, n, isdigit); }

static int S_equals(const char *text, const S_word *w, const char *what) {
    return w->to - w->from == strlen(what) && strncmp(text + w->from, what, w->to - w->from) == 0;
}

/* Whether word i is noise where it stands: the words a frame or an error
 * record wraps its values in ("at X() in F:line 12", "At line:1 char:1",
 * "[], Exception"), the two words of a label, "PS" before a prompt. */
static int S_noise_beside(const char *text, const S_word *a, size_t n, size_t i) {
    const S_word *w = &a[i], *prev = i > 0 ? &a[i - 1] : NULL, *next = i + 1 < n ? &a[i + 1] : NULL;
    size_t len = w->to - w->from;
    if (prev && S_word_is(text, prev, S_frame_file) && S_word_is(text, w, S_digits)) return 1;
    if (next && S_equals(text, w, "at") && S_word_is(text, next, S_frame_method)) return 1;
    if (next && S_equals(text, w, "in") && S_word_is(text, next, S_frame_file)) return 1;
    if (next && S_equals(text, w, "At") && S_word_is(text, next, S_record_position)) return 1;
    if (prev && S_equals(text, w, "Exception") && prev->end - prev->start >= 2 &&
        memcmp(text + prev->end - 2, "],", 2) == 0)
        return 1;
    if (next && S_equals(text, w, "PS") && S_raw_is(text, next, S_prompt)) return 1;
    if (next && S_label_of_id(text + w->from, len, text + next->from, next->to - next->from)) return 1;
    return prev && S_label_of_id(text + prev->from, prev->to - prev->from, text + w->from, len);
}

/* Where the line of a prompt at word i ends, if a line of the paste follows
 * it: the command it echoes is blanked with it, the message being below
 * (a prompt and a command alone are the question). 0 if none follows. */
static size_t S_echo_end(const char *text, const S_word *a, size_t n, size_t i) {
    const char *eol = strchr(text + a[i].end, '\n');
    size_t end = eol ? (size_t)(eol - text) : 0;
    for (size_t k = i + 1; end && k < n; k++)
        if (a[k].start > end) return end;
    return 0;
}

char *kb_paste_message(const char *text) {
    size_t n;
    S_word *a = S_words(text, &n);
    char *out = NULL;
    size_t echoEnd = 0;
    for (size_t i = 0; i < n; i++) {
        int prompt = S_raw_is(text, &a[i], S_prompt); /* its '>' kept */
        size_t end = prompt ? S_echo_end(text, a, n, i) : 0;
        if (end > echoEnd) echoEnd = end;
        int blank = a[i].start < echoEnd || prompt || S_word_is(text, &a[i], S_noise) ||
                    S_noise_beside(text, a, n, i);
        if (!blank) continue;
        if (!out) out = kb_xstrdup(text);
        memset(out + a[i].start, ' ', a[i].end - a[i].start);
    }
    free(a);
    return out;
}
