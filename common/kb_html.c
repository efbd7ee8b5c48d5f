/* kb_html.c: inline HTML fragments (table cells, raw HTML blocks) as text.
 *
 * DocFX tables carry their structure in HTML inside cells: "<br/>" for line
 * breaks, "<ul><li>" for bullets, "<p>" for paragraphs. This is not an HTML
 * parser: it recognises tags one by one, keeps their text and turns the few
 * tags that carry structure into line breaks and bullets. Malformed HTML
 * (unclosed lists, "</br>", "<li>" without "<ul>") is the norm in the corpus
 * and must read well anyway. Every scan is bounded, so hostile input costs
 * linear time. */
#define _GNU_SOURCE /* memmem */
#include "kb_html.h"
#include "kb_util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#define S_MAX_LISTS 64   /* list nesting we keep numbers for */
#define S_MAX_INDENT 10  /* list levels that still indent */
#define S_MAX_TAG 1024   /* a longer "<...>" is text, not a tag */

typedef struct S_html {
    kb_buf *out;
    size_t start;        /* out->n when we began: lines before it are not ours */
    size_t lineStart;    /* where the current output line begins */
    size_t lineBody;     /* where its text begins (after indentation and bullet) */
    int pendingSpace;    /* collapsed white space waiting for the next word */
    int pendingBreak;    /* 1: new line, 2: blank line, before the next word */
    char lead[32];       /* indentation + bullet for the next line */
    int depth;           /* open <ul>/<ol> */
    int aNext[S_MAX_LISTS]; /* next number of an <ol>, -1 for <ul> */
    int aBullet[S_MAX_LISTS]; /* bullet width of the current item, for continuation lines */
} S_html;

static int S_written(S_html *h) { return h->out->n > h->start; }

static void S_break(S_html *h, int k) {
    if (S_written(h) && h->pendingBreak < k) h->pendingBreak = k;
}

/* Indentation of the bullet of a list at depth lvl: under its parents' text. */
static int S_list_indent(S_html *h, int lvl) {
    int w = 0;
    for (int i = 0; i < lvl - 1 && i < S_MAX_INDENT && i < S_MAX_LISTS; i++) w += h->aBullet[i];
    return w;
}

static int S_cont_indent(S_html *h) {
    if (h->depth <= 0) return 0;
    int lvl = h->depth < S_MAX_INDENT ? h->depth : S_MAX_INDENT;
    int bullet = h->depth <= S_MAX_LISTS ? h->aBullet[h->depth - 1] : 2;
    return S_list_indent(h, lvl) + bullet;
}

static void S_trim_line_end(S_html *h) {
    kb_buf *b = h->out;
    while (b->n > h->lineBody && b->z[b->n - 1] == ' ') b->n--;
    if (b->z) b->z[b->n] = 0;
}

/* Starts the line a word is about to be written on. */
static void S_begin_word(S_html *h) {
    kb_buf *b = h->out;
    if (h->pendingBreak || h->lead[0]) {
        if (S_written(h)) {
            S_trim_line_end(h);
            /* a line holding only indentation is dropped, not kept blank */
            if (b->n > h->lineStart && b->n == h->lineBody) b->n = h->lineStart;
            if (b->n > h->start) {
                kb_buf_addc(b, '\n');
                if (h->pendingBreak >= 2) kb_buf_addc(b, '\n');
            }
        }
        h->lineStart = b->n;
        if (h->lead[0]) {
            kb_buf_adds(b, h->lead);
            h->lead[0] = 0;
        } else {
            for (int i = S_cont_indent(h); i > 0; i--) kb_buf_addc(b, ' ');
        }
        h->lineBody = b->n;
        h->pendingBreak = 0;
        h->pendingSpace = 0;
    } else if (h->pendingSpace) {
        if (b->n > h->lineBody) kb_buf_addc(b, ' ');
        h->pendingSpace = 0;
    }
}

static void S_put(S_html *h, const char *z, size_t n) {
    S_begin_word(h);
    kb_buf_add(h->out, z, n);
}

/* Named entities that occur in Markdown docs; the rest stay as written. */
static const struct { const char *zName; const char *zText; } S_aEntity[] = {
    {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
    {"nbsp", " "}, {"ensp", " "}, {"emsp", " "}, {"thinsp", " "}, {"shy", ""},
    {"copy", "\xc2\xa9"}, {"reg", "\xc2\xae"}, {"trade", "\xe2\x84\xa2"},
    {"hellip", "\xe2\x80\xa6"}, {"mdash", "\xe2\x80\x94"}, {"ndash", "\xe2\x80\x93"},
    {"lsquo", "\xe2\x80\x98"}, {"rsquo", "\xe2\x80\x99"}, {"ldquo", "\xe2\x80\x9c"},
    {"rdquo", "\xe2\x80\x9d"}, {"laquo", "\xc2\xab"}, {"raquo", "\xc2\xbb"},
    {"bull", "\xe2\x80\xa2"}, {"middot", "\xc2\xb7"}, {"times", "\xc3\x97"},
    {"deg", "\xc2\xb0"}, {"euro", "\xe2\x82\xac"}, {"rarr", "\xe2\x86\x92"},
    {"larr", "\xe2\x86\x90"}, {"check", "\xe2\x9c\x93"}, {"iexcl", "\xc2\xa1"},
    {"iquest", "\xc2\xbf"}, {"ntilde", "\xc3\xb1"}, {"aacute", "\xc3\xa1"},
    {"eacute", "\xc3\xa9"}, {"iacute", "\xc3\xad"}, {"oacute", "\xc3\xb3"},
    {"uacute", "\xc3\xba"}, {"uuml", "\xc3\xbc"}, {"sect", "\xc2\xa7"},
};

/* Decodes the entity at z[0] == '&'. Returns the bytes consumed (0: not an
 * entity), the UTF-8 text in zOut, and whether it is white space that
 * collapses like any other. "&#32;" is a space that does not collapse: the
 * renderer uses it to keep inline code verbatim. */
static size_t S_entity(const char *z, size_t n, char zOut[8], size_t *pnOut, int *pSpace) {
    size_t i = 1;
    *pSpace = 0;
    if (i < n && z[i] == '#') {
        unsigned long cp = 0;
        int hex = 0, digits = 0;
        i++;
        if (i < n && (z[i] == 'x' || z[i] == 'X')) { hex = 1; i++; }
        for (; i < n && digits < 8; i++, digits++) {
            char c = z[i];
            if (c >= '0' && c <= '9') cp = cp * (hex ? 16 : 10) + (unsigned long)(c - '0');
            else if (hex && c >= 'a' && c <= 'f') cp = cp * 16 + (unsigned long)(c - 'a' + 10);
            else if (hex && c >= 'A' && c <= 'F') cp = cp * 16 + (unsigned long)(c - 'A' + 10);
            else break;
        }
        if (!digits || i >= n || z[i] != ';') return 0;
        if (cp == 0xA0) { *pSpace = 1; cp = ' '; }
        /* control characters never reach a terminal */
        if ((cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp < 0xA0) || !utf8proc_codepoint_valid((utf8proc_int32_t)cp))
            *pnOut = 0;
        else
            *pnOut = (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)zOut);
        if (cp == '\t') zOut[0] = ' ';
        return i + 1;
    }
    size_t k = i;
    while (k < n && k < 12 && ((z[k] >= 'a' && z[k] <= 'z') || (z[k] >= 'A' && z[k] <= 'Z') || (z[k] >= '0' && z[k] <= '9'))) k++;
    if (k == i || k >= n || z[k] != ';') return 0;
    for (size_t e = 0; e < sizeof S_aEntity / sizeof S_aEntity[0]; e++) {
        const char *zName = S_aEntity[e].zName;
        if (strlen(zName) == k - i && memcmp(zName, z + i, k - i) == 0) {
            size_t m = strlen(S_aEntity[e].zText);
            memcpy(zOut, S_aEntity[e].zText, m);
            *pnOut = m;
            *pSpace = (m == 1 && zOut[0] == ' ');
            return k + 1;
        }
    }
    return 0;
}

/* Value of attribute zName in the tag text z[0..n), or NULL. */
static const char *S_attr(const char *z, size_t n, const char *zName, size_t *pn) {
    size_t nName = strlen(zName);
    for (size_t i = 0; i + nName < n; i++) {
        if ((i == 0 || z[i - 1] == ' ' || z[i - 1] == '\t' || z[i - 1] == '\n') &&
            strncasecmp(z + i, zName, nName) == 0) {
            size_t k = i + nName;
            while (k < n && z[k] == ' ') k++;
            if (k >= n || z[k] != '=') continue;
            k++;
            while (k < n && z[k] == ' ') k++;
            if (k < n && (z[k] == '"' || z[k] == '\'')) {
                char q = z[k++];
                const char *e = memchr(z + k, q, n - k);
                if (!e) return NULL;
                *pn = (size_t)(e - (z + k));
                return z + k;
            }
            size_t s = k;
            while (k < n && z[k] != ' ' && z[k] != '>' && z[k] != '/') k++;
            *pn = k - s;
            return z + s;
        }
    }
    return NULL;
}

/* Length of the tag at z[0] == '<' (including '>'), 0 if it is not one. */
static size_t S_tag_len(const char *z, size_t n) {
    size_t i = 1;
    if (i < n && z[i] == '/') i++;
    if (i >= n || !((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' && z[i] <= 'Z'))) return 0;
    char quote = 0;
    for (; i < n && i < S_MAX_TAG; i++) {
        char c = z[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        } else if (c == '<') {
            return 0;
        }
    }
    return 0;
}

static int S_name_is(const char *zName, size_t nName, const char *z) {
    return strlen(z) == nName && strncasecmp(zName, z, nName) == 0;
}

/* The elements of HTML, current and obsolete, sorted. Azure docs write
 * placeholders in angle brackets ("http://<IP address or FQDN of the web
 * proxy server>:<TCP port number>", "<your-resource-group>"), which
 * CommonMark reads as tags; a name that is none of these tells them apart. */
static const char *const S_azElement[] = {
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b", "base", "basefont",
    "bdi", "bdo", "bgsound", "big", "blink", "blockquote", "body", "br", "button", "canvas", "caption", "center",
    "cite", "code", "col", "colgroup", "data", "datalist", "dd", "del", "details", "dfn", "dialog", "dir", "div",
    "dl", "dt", "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "frame", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "image", "img",
    "input", "ins", "isindex", "kbd", "keygen", "label", "legend", "li", "link", "listing", "main", "map", "mark",
    "marquee", "math", "menu", "menuitem", "meta", "meter", "multicol", "nav", "nextid", "nobr", "noembed",
    "noframes", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param", "picture", "plaintext",
    "pre", "progress", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "script", "search", "section", "select",
    "slot", "small", "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title", "tr", "track", "tt",
    "u", "ul", "var", "video", "wbr", "xmp",
};

static int S_cmp_element(const void *pKey, const void *pElem) {
    return strcmp((const char *)pKey, *(const char *const *)pElem);
}

/* 1 if z[0..n) names an HTML element, in any case. */
static int S_is_element(const char *z, size_t n) {
    char zLower[16];
    if (n == 0 || n >= sizeof zLower) return 0;
    for (size_t i = 0; i < n; i++) zLower[i] = (char)((z[i] >= 'A' && z[i] <= 'Z') ? z[i] - 'A' + 'a' : z[i]);
    zLower[n] = 0;
    return bsearch(zLower, S_azElement, sizeof S_azElement / sizeof S_azElement[0], sizeof S_azElement[0],
                   S_cmp_element) != NULL;
}

int kb_html_is_text(const char *z, size_t n) {
    if (n < 3 || z[0] != '<' || z[n - 1] != '>') return 0;
    size_t i = 1;
    int closing = z[i] == '/';
    i += (size_t)closing;
    size_t s = i;
    while (i < n && ((z[i] >= 'a' && z[i] <= 'z') || (z[i] >= 'A' && z[i] <= 'Z') ||
                     (i > s && ((z[i] >= '0' && z[i] <= '9') || z[i] == '-'))))
        i++;
    size_t nName = i - s;
    /* "<o:p>" (Word) and "<xs:element>" are namespaced markup, which a
     * browser drops as DocFX renders it: not words to read */
    if (!nName || z[i] == ':') return 0;
    /* words after the name, and whether one is an attribute with a value */
    int nWord = 0, value = 0;
    for (size_t k = i; k < n - 1;) {
        while (k < n - 1 && (z[k] == ' ' || z[k] == '\t' || z[k] == '\n' || z[k] == '\r' || z[k] == '/')) k++;
        if (k >= n - 1) break;
        nWord++;
        while (k < n - 1 && z[k] != ' ' && z[k] != '\t' && z[k] != '\n' && z[k] != '\r') {
            if (z[k] == '=') value = 1;
            k++;
        }
    }
    if (S_is_element(z + s, nName))
        /* "<Data source name>", "<link to VM Scale Set JSON template>": an
         * element's name starts the placeholder. Real tags with two
         * valueless attributes and no other ("<video controls autoplay>")
         * do not occur in docs; one ("<td nowrap>") stays a tag. */
        return !closing && !value && nWord >= 2;
    /* the old DocFX metadata elements, which kb_md reads before the first
     * heading and an include may hold further down */
    if (S_name_is(z + s, nName, "properties") || S_name_is(z + s, nName, "tags")) return 0;
    return 1;
}

static void S_set_lead(S_html *h) {
    int lvl = h->depth < S_MAX_INDENT ? h->depth : S_MAX_INDENT;
    if (lvl < 1) lvl = 1;
    int next = (h->depth >= 1 && h->depth <= S_MAX_LISTS) ? h->aNext[h->depth - 1] : -1;
    char bullet[16];
    if (next >= 0) {
        snprintf(bullet, sizeof bullet, "%d. ", next);
        h->aNext[h->depth - 1] = next + 1;
    } else {
        memcpy(bullet, "- ", 3);
    }
    if (h->depth >= 1 && h->depth <= S_MAX_LISTS) h->aBullet[h->depth - 1] = (int)strlen(bullet);
    snprintf(h->lead, sizeof h->lead, "%*s%s", S_list_indent(h, lvl), "", bullet);
    S_break(h, 1);
    if (!S_written(h)) h->pendingBreak = 0;
}

static void S_tag(S_html *h, const char *z, size_t n) {
    int closing = z[1] == '/';
    const char *zName = z + 1 + closing;
    size_t nName = 0;
    while (zName + nName < z + n && ((zName[nName] >= 'a' && zName[nName] <= 'z') ||
           (zName[nName] >= 'A' && zName[nName] <= 'Z') || (zName[nName] >= '0' && zName[nName] <= '9')))
        nName++;
    if (S_name_is(zName, nName, "br")) {
        S_break(h, 1);
    } else if (S_name_is(zName, nName, "p")) {
        S_break(h, 2);
    } else if (S_name_is(zName, nName, "ul") || S_name_is(zName, nName, "ol")) {
        if (closing) {
            if (h->depth > 0) h->depth--;
        } else {
            if (h->depth < S_MAX_LISTS) {
                int next = -1;
                if (S_name_is(zName, nName, "ol")) {
                    size_t nStart = 0;
                    const char *zStart = S_attr(z, n, "start", &nStart);
                    next = zStart ? atoi(zStart) : 1;
                    if (next < 0 || next > 1000000) next = 1;
                }
                h->aNext[h->depth] = next;
                h->aBullet[h->depth] = next >= 0 ? 3 : 2;
            }
            h->depth++;
        }
        S_break(h, 1);
    } else if (S_name_is(zName, nName, "li")) {
        if (closing) S_break(h, 1);
        else S_set_lead(h);
    } else if (S_name_is(zName, nName, "td") || S_name_is(zName, nName, "th")) {
        h->pendingSpace = 1;
    } else if (S_name_is(zName, nName, "img") && !closing) {
        size_t nAlt = 0;
        const char *zAlt = S_attr(z, n, "alt", &nAlt);
        if (zAlt && nAlt) {
            S_put(h, "[image: ", 8);
            kb_buf_add(h->out, zAlt, nAlt);
            kb_buf_addc(h->out, ']');
        }
    } else if (nName && (S_name_is(zName, nName, "div") || S_name_is(zName, nName, "tr") ||
               S_name_is(zName, nName, "table") || S_name_is(zName, nName, "blockquote") ||
               S_name_is(zName, nName, "pre") || S_name_is(zName, nName, "hr") ||
               S_name_is(zName, nName, "dt") || S_name_is(zName, nName, "dd") ||
               (nName == 2 && (zName[0] == 'h' || zName[0] == 'H') && zName[1] >= '1' && zName[1] <= '6'))) {
        S_break(h, 1);
    }
    /* every other tag (<b>, <a>, <code>, <span>, <sup>...) keeps only its text */
}

/* Skips "<script>...</script>" and "<style>...</style>": their text is not prose. */
static size_t S_skip_raw(const char *z, size_t n, size_t i, const char *zClose) {
    size_t nClose = strlen(zClose);
    for (; i + nClose <= n; i++)
        if (z[i] == '<' && strncasecmp(z + i, zClose, nClose) == 0) {
            const char *e = memchr(z + i, '>', n - i);
            return e ? (size_t)(e - z) + 1 : n;
        }
    return n;
}

/* The markup at html[i] ('<'): a comment, a declaration, a tag, or a
 * script or style element with its content; a '<' that opens none of these
 * is text. Returns the end of what was read. */
static size_t S_markup(S_html *h, const char *html, size_t n, size_t i) {
    if (i + 4 <= n && memcmp(html + i, "<!--", 4) == 0) {
        const char *e = memmem(html + i + 4, n - i - 4, "-->", 3);
        h->pendingSpace = 1;
        return e ? (size_t)(e - html) + 3 : n;
    }
    if (i + 1 < n && (html[i + 1] == '!' || html[i + 1] == '?')) {
        const char *e = memchr(html + i, '>', n - i);
        return e ? (size_t)(e - html) + 1 : n;
    }
    size_t k = S_tag_len(html + i, n - i);
    /* a placeholder is text: its '<' is written and its words follow */
    if (!k || kb_html_is_text(html + i, k)) {
        S_put(h, "<", 1);
        return i + 1;
    }
    if (k > 7 && strncasecmp(html + i, "<script", 7) == 0) return S_skip_raw(html, n, i + k, "</script");
    if (k > 6 && strncasecmp(html + i, "<style", 6) == 0) return S_skip_raw(html, n, i + k, "</style");
    S_tag(h, html + i, k);
    return i + k;
}

/* The character reference at html[i] ('&'), or a bare '&'; returns the
 * end of what was read. */
static size_t S_reference(S_html *h, const char *html, size_t n, size_t i) {
    char z[8];
    size_t nz = 0;
    int space = 0;
    size_t k = S_entity(html + i, n - i, z, &nz, &space);
    if (!k) {
        S_put(h, "&", 1);
        return i + 1;
    }
    if (space && z[0] == ' ' && html[i + 1] != '#') {
        h->pendingSpace = 1; /* &nbsp; is just space to a reader */
        return i + k;
    }
    /* a verbatim space only inside a line, never at its start */
    int lineHasText = S_written(h) && h->out->n > h->lineBody && !h->pendingBreak && !h->lead[0];
    if (nz && (z[0] != ' ' || lineHasText)) S_put(h, z, nz);
    return i + k;
}

/* Ends the text: no trailing spaces, and no last line that holds only a
 * lead (a bullet with nothing after it), nor the blank lines above it. */
static void S_finish(S_html *h) {
    kb_buf *out = h->out;
    if (!S_written(h)) return;
    S_trim_line_end(h);
    if (out->n == h->lineBody && out->n > h->lineStart) {
        out->n = h->lineStart;
        while (out->n > h->start && out->z[out->n - 1] == '\n') out->n--;
        out->z[out->n] = 0;
    }
}

void kb_html_to_text(const char *html, size_t n, struct kb_buf *out) {
    S_html h;
    memset(&h, 0, sizeof h);
    h.out = out;
    h.start = h.lineStart = h.lineBody = out->n;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)html[i];
        if (c == '<') {
            i = S_markup(&h, html, n, i);
        } else if (c == '&') {
            i = S_reference(&h, html, n, i);
        } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            h.pendingSpace = 1;
            i++;
        } else if (c < 0x20 || c == 0x7F) {
            i++; /* control characters never reach a terminal */
        } else {
            size_t s = i;
            while (i < n && (c = (unsigned char)html[i]) != '<' && c != '&' && c > 0x20 && c != 0x7F) i++;
            S_put(&h, html + s, i - s);
        }
    }
    S_finish(&h);
}
