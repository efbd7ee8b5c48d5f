/* kb_paste.c: see kb_paste.h.
 *
 * Word by word rather than line by line where it can: a message pasted
 * into a chat box or a one-line prompt has lost its line breaks, and a
 * stack frame or an error record reads the same either way. Only what no
 * document can hold is blanked: a value (a GUID, a timestamp, a request
 * ID, a frame's method and file), the label of one, the words a frame or
 * an error record wraps them in, a prompt's echo of a command above the
 * message, an HTTP response's headers, an Event Viewer record's fields and
 * a JSON body's keys. The
 * message's own words and codes ("StackExchange.Redis",
 * "System.IO.IOException(0x80070718):", an API version "2014-06-01") are
 * kept, and so is a command pasted alone. */
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

typedef int (*S_test)(const char *z, size_t n);

static int S_all(const char *z, size_t n, int (*is)(int)) {
    for (size_t i = 0; i < n; i++)
        if (!is((unsigned char)z[i])) return 0;
    return n > 0;
}

static int S_digits(const char *z, size_t n) { return S_all(z, n, isdigit); }

static int S_is(const char *z, size_t n, const char *what) { return n == strlen(what) && strncmp(z, what, n) == 0; }

static int S_is_nocase(const char *z, size_t n, const char *what) {
    return n == strlen(what) && strncasecmp(z, what, n) == 0;
}

/* ---- Values ---------------------------------------------------------- */

/* 8-4-4-4-12 hex digits. */
static int S_guid(const char *z, size_t n) {
    static const size_t aPart[] = {8, 4, 4, 4, 12};
    if (n != 36) return 0;
    for (size_t p = 0, at = 0; p < 5; at += aPart[p++] + 1)
        if (!S_all(z + at, aPart[p], isxdigit) || (p < 4 && z[at + aPart[p]] != '-')) return 0;
    return 1;
}

/* A request or trace ID: 16 hex digits or more, some of them digits
 * (an error code is 8, after "0x"). */
static int S_hex_id(const char *z, size_t n) {
    if (n < 16 || !S_all(z, n, isxdigit)) return 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)z[i])) return 1;
    return 0;
}

/* A time of day, "22:10:10", "8:00:00", "01:19:01.589Z", "10:00:00+02:00". */
static int S_time_of_day(const char *z, size_t n) {
    size_t digits = 0, colons = 0;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (isdigit((unsigned char)c)) digits++;
        else if (c == ':') colons++;
        else if (!(c == '.' || c == ',' || c == 'Z' || c == '+' || c == '-')) return 0;
    }
    return n > 0 && isdigit((unsigned char)z[0]) && colons >= 2 && digits >= 5;
}

/* A date, "2024-03-17", "2024/03/17", "3/17/2024": alone, as likely the
 * API version a message names as the day a log wrote it. */
static int S_date(const char *z, size_t n) {
    int part[3] = {0}, nPart = 0;
    char sep = 0;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (isdigit((unsigned char)c)) {
            if (++part[nPart] > 4) return 0;
        } else if ((c == '-' || c == '/') && (sep == 0 || sep == c) && nPart < 2 && part[nPart] > 0) {
            sep = c;
            nPart++;
        } else {
            return 0;
        }
    }
    return nPart == 2 && part[2] > 0 && (part[0] == 4 || part[2] == 4) && part[1] <= 2;
}

/* A date and a time in one word: "2024-03-17T22:10:10.590Z". */
static int S_datetime(const char *z, size_t n) {
    const char *t = memchr(z, 'T', n);
    return t && S_date(z, (size_t)(t - z)) && S_time_of_day(t + 1, n - (size_t)(t - z) - 1);
}

/* A label glued to its value: "RequestId:71a1f3d7-...", "Time:2024-12-06T10:00:00Z". */
static int S_labelled_value(const char *z, size_t n) {
    const char *colon = memchr(z, ':', n);
    if (!colon || colon == z) return 0;
    const char *v = colon + 1;
    size_t nv = n - (size_t)(v - z);
    return S_guid(v, nv) || S_hex_id(v, nv) || S_datetime(v, nv);
}

/* ---- Labels ---------------------------------------------------------- */

/* Labels of values no document holds, as HTTP headers, Azure's error
 * payloads and PowerShell's error record write them. */
static int S_label(const char *z, size_t n) {
    static const char *const aLabel[] = {
        "requestid",   "request-id",     "x-ms-request-id", "client-request-id", "x-ms-client-request-id",
        "activityid",  "activity-id",    "correlationid",   "correlation-id",    "x-ms-correlation-request-id",
        "trackingid",  "tracking-id",    "timestamp",       "categoryinfo",      "fullyqualifiederrorid",
        "notspecified"};
    for (size_t i = 0; i < sizeof aLabel / sizeof *aLabel; i++)
        if (S_is_nocase(z, n, aLabel[i])) return 1;
    return 0;
}

/* The first word of a two-word label: "Correlation ID:", "Request Id". */
static int S_label_of_id(const char *z, size_t n, const char *next, size_t nNext) {
    static const char *const aWhat[] = {"correlation", "request", "activity", "tracking", "trace", "session"};
    if (!S_is_nocase(next, nNext, "id")) return 0;
    for (size_t i = 0; i < sizeof aWhat / sizeof *aWhat; i++)
        if (S_is_nocase(z, n, aWhat[i])) return 1;
    return 0;
}

/* "HTTP/1.1", "HTTP/2": the protocol of a status line, which its status
 * follows (an error ID many documents share, kb_search_errid.h). */
static int S_http_version(const char *z, size_t n) {
    if (n < 6 || strncmp(z, "HTTP/", 5) != 0 || !isdigit((unsigned char)z[5])) return 0;
    for (size_t i = 6; i < n; i++)
        if (!isdigit((unsigned char)z[i]) && z[i] != '.') return 0;
    return 1;
}

static int S_value(const char *z, size_t n) {
    return S_guid(z, n) || S_hex_id(z, n) || S_datetime(z, n) || S_time_of_day(z, n) || S_labelled_value(z, n) ||
           S_label(z, n) || S_http_version(z, n) || (n > 15 && strncasecmp(z, "/subscriptions/", 15) == 0);
}

/* ---- What wraps the values: frames, error records, prompts ----------- */

/* A stack frame's method after "at": "Microsoft.Azure.Client.ExecuteAsync()",
 * "com.example.Main.run(Main.java:12)": a dotted name and a parenthesis.
 * Without the "at" it may be an exception and its code:
 * "System.IO.IOException(0x80070718):". */
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
    return (S_is_nocase(z, label, "line") || S_is_nocase(z, label, "char")) && S_digits(colon + 1, n - label - 1);
}

/* A PowerShell or cmd prompt: "C:\>", "C:\Users\ana>". */
static int S_prompt(const char *z, size_t n) {
    return n >= 4 && isalpha((unsigned char)z[0]) && z[1] == ':' && z[2] == '\\' && z[n - 1] == '>';
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

/* The words of a paste, and the test of one of them by an S_test. */
typedef struct S_paste {
    const char *text;
    S_word *a;
    size_t n;
} S_paste;

static int S_at(const S_paste *p, size_t i, S_test test) {
    return i < p->n && test(p->text + p->a[i].from, p->a[i].to - p->a[i].from);
}

static int S_at_is(const S_paste *p, size_t i, const char *what) {
    return i < p->n && S_is(p->text + p->a[i].from, p->a[i].to - p->a[i].from, what);
}

static int S_at_raw(const S_paste *p, size_t i, S_test test) {
    return i < p->n && test(p->text + p->a[i].start, p->a[i].end - p->a[i].start);
}

/* A Python frame, 'File "/x/core.py", line 517, in run': the six words
 * from word i, or 0 (its line number had been read as an error ID). */
static size_t S_python_frame(const S_paste *p, size_t i) {
    if (!S_at_is(p, i, "File") || i + 5 >= p->n || p->text[p->a[i + 1].start] != '"') return 0;
    return S_at_is(p, i + 2, "line") && S_at(p, i + 3, S_digits) && S_at_is(p, i + 4, "in") ? 6 : 0;
}

/* Whether word i is noise where it stands: the words a frame or an error
 * record wraps its values in ("at X() in F:line 12", "At line:1 char:1",
 * "[], Exception"), a date before a time, the two words of a label, "PS"
 * before a prompt. */
static int S_noise_beside(const S_paste *p, size_t i) {
    const char *text = p->text;
    const S_word *w = &p->a[i];
    if (S_at_is(p, i, "at") && S_at(p, i + 1, S_frame_method)) return 1;
    if (i > 0 && S_at_is(p, i - 1, "at") && S_at(p, i, S_frame_method)) return 1;
    if (S_at_is(p, i, "in") && S_at(p, i + 1, S_frame_file)) return 1;
    if (S_at(p, i, S_frame_file)) return 1;
    if (i > 0 && S_at(p, i - 1, S_frame_file) && S_at(p, i, S_digits)) return 1;
    if (S_at(p, i, S_record_position) || (S_at_is(p, i, "At") && S_at(p, i + 1, S_record_position))) return 1;
    if (i > 0 && S_at_is(p, i, "Exception") && p->a[i - 1].end - p->a[i - 1].start >= 2 &&
        memcmp(text + p->a[i - 1].end - 2, "],", 2) == 0)
        return 1;
    if (S_at(p, i, S_date) && S_at(p, i + 1, S_time_of_day)) return 1; /* a log line's "2024-03-17 22:10:10" */
    if (S_at_is(p, i, "PS") && S_at_raw(p, i + 1, S_prompt)) return 1;
    size_t len = w->to - w->from;
    if (i + 1 < p->n && S_label_of_id(text + w->from, len, text + p->a[i + 1].from, p->a[i + 1].to - p->a[i + 1].from))
        return 1;
    return i > 0 && S_label_of_id(text + p->a[i - 1].from, p->a[i - 1].to - p->a[i - 1].from, text + w->from, len);
}

/* Where the line of a prompt at word i ends, if a line of the paste follows
 * it: the command it echoes is blanked with it, the message being below
 * (a prompt and a command alone are the question). 0 if none follows. */
static size_t S_echo_end(const S_paste *p, size_t i) {
    const char *eol = strchr(p->text + p->a[i].end, '\n');
    size_t end = eol ? (size_t)(eol - p->text) : 0;
    for (size_t k = i + 1; end && k < p->n; k++)
        if (p->a[k].start > end) return end;
    return 0;
}

/* ---- Lines and bodies ------------------------------------------------ */

/* An HTTP response header's line, "Cache-Control: no-cache",
 * "x-ms-ratelimit-remaining: 11999", "Date: Fri, 06 Dec 2024 10:00:00 GMT":
 * its name, then a colon. */
static int S_header_line(const char *z, size_t n) {
    static const char *const aName[] = {"cache-control", "content-type", "content-length", "content-encoding",
                                        "date", "expires", "pragma", "server", "strict-transport-security",
                                        "vary", "connection", "transfer-encoding", "etag", "retry-after",
                                        "set-cookie", "request-context", "access-control-expose-headers"};
    size_t name = 0;
    while (name < n && (isalnum((unsigned char)z[name]) || z[name] == '-')) name++;
    if (name == 0 || name >= n || z[name] != ':') return 0;
    if (name > 2 && strncasecmp(z, "x-", 2) == 0) return 1;
    for (size_t i = 0; i < sizeof aName / sizeof *aName; i++)
        if (S_is_nocase(z, name, aName[i])) return 1;
    return 0;
}

/* A line of an Event Viewer record, "Computer:      VM1.contoso.local":
 * 2 when its value is noise too (the log, the date, the machine, the
 * user), 1 when only its label is ("Source: CBEngine", "Event ID: 11",
 * whose values a document may name), else 0. */
static int S_event_line(const char *z, size_t n) {
    static const struct { const char *zLabel; int blank; } aLabel[] = {
        {"log name", 2}, {"date", 2},   {"task category", 2}, {"level", 2},       {"keywords", 2},
        {"user", 2},     {"computer", 2}, {"opcode", 2},      {"source", 1},      {"event id", 1},
        {"description", 1}};
    const char *colon = memchr(z, ':', n);
    if (!colon) return 0;
    for (size_t i = 0; i < sizeof aLabel / sizeof *aLabel; i++)
        if (S_is_nocase(z, (size_t)(colon - z), aLabel[i].zLabel)) return aLabel[i].blank;
    return 0;
}

static void S_blank(char **pOut, const char *text, size_t from, size_t to) {
    if (!*pOut) *pOut = kb_xstrdup(text);
    memset(*pOut + from, ' ', to - from);
}

/* HTTP headers below a status line or a message, and an Event Viewer
 * record's fields: lines, so only where the paste kept its line breaks. */
static void S_blank_labelled_lines(const char *text, char **pOut) {
    int event = strstr(text, "Event ID:") != NULL;
    for (const char *line = text; *line;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line), lead = 0;
        while (lead < len && (line[lead] == ' ' || line[lead] == '\t')) lead++;
        size_t from = (size_t)(line - text) + lead, to = (size_t)(line - text) + len;
        int field = event ? S_event_line(line + lead, len - lead) : 0;
        /* the first line is the message's, not a header */
        if ((line != text && S_header_line(line + lead, len - lead)) || field == 2) {
            S_blank(pOut, text, from, to);
        } else if (field == 1) {
            const char *colon = memchr(line + lead, ':', len - lead);
            S_blank(pOut, text, from, (size_t)(colon - text) + 1);
        }
        line += len + (eol != NULL);
    }
}

/* A JSON body ({"error":{"code":"X","message":"..."}}) is one word to the
 * parser: its keys go, and its punctuation becomes spaces, leaving the
 * values as words. */
static void S_blank_json(const char *text, char **pOut) {
    if (!strstr(text, "{\"") || !strstr(text, "\":")) return;
    for (size_t i = 0; text[i]; i++) {
        if (text[i] == '"') {
            size_t k = i + 1;
            while (isalnum((unsigned char)text[k]) || text[k] == '_' || text[k] == '-') k++;
            if (k > i + 1 && text[k] == '"' && text[k + 1] == ':') { /* a key */
                S_blank(pOut, text, i, k + 2);
                i = k + 1;
                continue;
            }
        }
        if (strchr("{}[]\"", text[i])) S_blank(pOut, text, i, i + 1);
    }
}

char *kb_paste_message(const char *text) {
    /* The words are read from the text as its JSON keys and punctuation
     * left it (a body's values are words then), and blanked in out. */
    char *out = NULL;
    S_blank_json(text, &out);
    char *read = out ? kb_xstrdup(out) : NULL;
    S_paste p = {read ? read : text, NULL, 0};
    p.a = S_words(p.text, &p.n);
    size_t echoEnd = 0, skipTo = 0;
    for (size_t i = 0; i < p.n; i++) {
        int prompt = S_at_raw(&p, i, S_prompt); /* its '>' kept */
        size_t end = prompt ? S_echo_end(&p, i) : 0;
        if (end > echoEnd) echoEnd = end;
        size_t frame = S_python_frame(&p, i);
        if (frame) skipTo = i + frame;
        int blank = i < skipTo || p.a[i].start < echoEnd || prompt || S_at(&p, i, S_value) || S_noise_beside(&p, i);
        if (blank) {
            S_blank(&out, text, p.a[i].start, p.a[i].end);
            continue;
        }
        /* a process and its ID, "waagent[1234]:": the ID goes */
        const char *w = p.text + p.a[i].from, *wEnd = p.text + p.a[i].end;
        const char *open = memchr(w, '[', (size_t)(wEnd - w));
        const char *close = open ? memchr(open, ']', (size_t)(wEnd - open)) : NULL;
        if (open > w && close && S_digits(open + 1, (size_t)(close - open - 1)))
            S_blank(&out, text, (size_t)(open - p.text), p.a[i].end);
    }
    free(p.a);
    free(read);
    if (strchr(text, '\n')) S_blank_labelled_lines(text, &out);
    return out;
}
