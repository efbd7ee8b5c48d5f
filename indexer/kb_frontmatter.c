/* kb_frontmatter.c: see kb_frontmatter.h. */
#include "kb_frontmatter.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_util.h"
#include "kb_yaml_text.h"

/* Stores one metadata value under its key if the key is one we keep and the
 * field is still empty: the first source of a field wins. Returns the
 * field set, or NULL; *pBadLocale is set for a ms.contentlocale that is no
 * locale tag. */
static char **S_fm_set(kb_doc *doc, const char *key, size_t nKey, const char *val, size_t nVal, int *pBadLocale) {
    char **pField = NULL;
    int isLocale = 0;
#define S_KEY(lit) (nKey == sizeof(lit) - 1 && memcmp(key, lit, nKey) == 0)
    if (S_KEY("title") || S_KEY("pageTitle")) pField = &doc->title;
    else if (S_KEY("description")) pField = &doc->description;
    else if (S_KEY("ms.topic")) pField = &doc->topic;
    else if (S_KEY("ms.date")) pField = &doc->date;
    else if (S_KEY("ms.contentlocale")) pField = &doc->locale, isLocale = 1;
#undef S_KEY
    if (!pField || *pField) return NULL;
    while (nVal > 0 && (*val == ' ' || *val == '\t')) val++, nVal--;
    while (nVal > 0 && (val[nVal - 1] == ' ' || val[nVal - 1] == '\t')) nVal--;
    if (nVal == 0) return NULL;
    if (isLocale) {
        char *zRaw = kb_xstrndup(val, nVal);
        char aOut[64];
        if (kb_locale_normalize(zRaw, aOut, sizeof aOut)) *pField = kb_xstrdup(aOut);
        else if (pBadLocale) *pBadLocale = 1;
        free(zRaw);
        return *pField ? pField : NULL;
    }
    *pField = kb_drop_controls(kb_xstrndup(val, nVal)); /* "title: \"a\\eb\"" is shown, as a heading is */
    return pField;
}

/* Flow collections ("[", "{") nested deeper than this are refused before
 * libyaml reads them: it rescans every open level at each token, and
 * "title: [[[[...]]]]" took 33 s for 100,000 levels (200 KB). */
#define KB_FRONTMATTER_MAX_FLOW_DEPTH 64

/* The line (0-based) where the flow collections of z[0, n) pass
 * KB_FRONTMATTER_MAX_FLOW_DEPTH, outside quotes and comments; -1 if they
 * never do. */
static int S_too_deep_line(const char *z, size_t n) {
    int depth = 0, line = 0;
    char quote = 0;
    for (size_t i = 0; i < n; i++) {
        char c = z[i];
        if (c == '\n') line++;
        if (quote) {
            if (c == '\\' && quote == '"' && i + 1 < n) i++;
            else if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#' && (i == 0 || z[i - 1] == ' ' || z[i - 1] == '\t' || z[i - 1] == '\n')) {
            while (i + 1 < n && z[i + 1] != '\n') i++;
        } else if (c == '[' || c == '{') {
            if (++depth > KB_FRONTMATTER_MAX_FLOW_DEPTH) return line;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        }
    }
    return -1;
}

/* What kb_frontmatter_yaml has read so far. */
typedef struct S_fm_reader {
    kb_doc *doc;
    int depth;     /* nesting of mappings and sequences */
    int rootMap;   /* 1 if the document's root is a mapping */
    char *zKey;    /* pending top-level key, waiting for its value */
    char **pLast;  /* the field set last, and the line its value ends on */
    int lastLine;
    char *zBadLocale; /* a ms.contentlocale that is no locale tag, and its line */
    int badLocaleLine;
} S_fm_reader;

/* Takes one event of the front matter; returns 1 at its end. */
static int S_fm_event(S_fm_reader *r, const yaml_event_t *ev) {
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
    case YAML_DOCUMENT_END_EVENT: return 1;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        if (r->depth == 0 && ev->type == YAML_MAPPING_START_EVENT) r->rootMap = 1;
        else if (r->depth == 1) free(r->zKey), r->zKey = NULL; /* a nested value: skipped */
        r->depth++;
        break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        r->depth--;
        /* After a nested value at depth 1, the next scalar is a key again. */
        break;
    case YAML_SCALAR_EVENT:
        if (r->depth == 1 && r->rootMap) {
            const char *v = (const char *)ev->data.scalar.value;
            size_t nv = ev->data.scalar.length;
            if (!r->zKey) {
                r->zKey = kb_xstrndup(v, nv);
            } else {
                int bad = 0;
                char **pSet = S_fm_set(r->doc, r->zKey, strlen(r->zKey), v, nv, &bad);
                if (pSet) r->pLast = pSet, r->lastLine = (int)ev->end_mark.line;
                if (bad && !r->zBadLocale) {
                    r->zBadLocale = kb_xstrndup(v, nv < 64 ? nv : 64);
                    r->badLocaleLine = (int)ev->start_mark.line;
                }
                free(r->zKey);
                r->zKey = NULL;
            }
        }
        break;
    case YAML_ALIAS_EVENT:
        /* An alias takes the place of a key or a value: keep the pairing. */
        if (r->depth == 1 && r->rootMap) {
            if (r->zKey) free(r->zKey), r->zKey = NULL;
            else r->zKey = kb_xstrdup("");
        }
        break;
    default: break;
    }
    return 0;
}

/* The syntax error the parser met, as kb_fail reports it, with *pLine
 * (0-based) the line to mend. */
static int S_fm_syntax_error(const yaml_parser_t *parser, S_fm_reader *r, int *pLine) {
    int rc;
    *pLine = (int)parser->problem_mark.line;
    const char *problem = parser->problem ? kb_yaml_text(parser->problem) : _("malformed YAML");
    /* An unclosed quote or bracket is found at the end of the front
     * matter: the line to mend is the one where it opened. Not
     * another context: "while parsing a block mapping" starts at
     * the first key, and had every error of the mapping reported
     * at line 2, with the quote's hint. */
    const char *ctx = parser->context;
    if (ctx && (strstr(ctx, "quoted scalar") || strstr(ctx, "flow ")) &&
        parser->context_mark.line < parser->problem_mark.line) {
        *pLine = (int)parser->context_mark.line;
        rc = kb_fail(KB_EFORMAT, _("front matter: %s (%s that starts on this line: an unclosed quote or bracket?)"),
                     problem, kb_yaml_text(ctx));
    } else {
        rc = kb_fail(KB_EFORMAT, _("front matter: %s"), problem);
    }
    /* "title: ok bad: x" scans as the value "ok bad" before the
     * error: a value that reaches the error's line is a fragment. */
    if (r->pLast && r->lastLine >= (int)parser->problem_mark.line) {
        free(*r->pLast);
        *r->pLast = NULL;
    }
    return rc;
}

/* Event parsing rather than yaml_parser_load: the fields read before a
 * syntax error are kept, and nested values are skipped without building
 * them. Only scalar values of the top-level mapping matter. */
int kb_frontmatter_yaml(const char *z, size_t n, kb_doc *doc, int *pLine) {
    *pLine = 0;
    int deep = S_too_deep_line(z, n);
    if (deep >= 0) {
        *pLine = deep;
        return kb_fail(KB_EFORMAT, _("front matter: brackets nested deeper than %d levels; not read"),
                       KB_FRONTMATTER_MAX_FLOW_DEPTH);
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return kb_fail(KB_EFORMAT, "%s", _("front matter: cannot initialize YAML parser"));
    yaml_parser_set_input_string(&parser, (const unsigned char *)z, n);
    S_fm_reader r = {.doc = doc};
    int rc = KB_OK, done = 0;
    while (!done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            rc = S_fm_syntax_error(&parser, &r, pLine);
            break;
        }
        done = S_fm_event(&r, &ev);
        yaml_event_delete(&ev);
    }
    /* A locale tag nobody can use: the folder's, or --default-locale, is
     * the document's, which had happened without a word. */
    if (rc == KB_OK && r.zBadLocale) {
        *pLine = r.badLocaleLine;
        char *zShown = kb_shown(r.zBadLocale);
        rc = kb_fail(KB_EFORMAT, _("front matter: ms.contentlocale '%s' is no locale tag (es-es, zh-tw); ignored"),
                     zShown);
        free(zShown);
    }
    free(r.zBadLocale);
    free(r.zKey);
    yaml_parser_delete(&parser);
    return rc;
}

static int S_fm_is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == ':';
}

void kb_frontmatter_tag(const char *z, size_t n, kb_doc *doc) {
    size_t i = 0;
    /* Skip the element name. */
    while (i < n && z[i] != '<') i++;
    i++;
    while (i < n && S_fm_is_name_char(z[i])) i++;
    while (i < n) {
        while (i < n && !S_fm_is_name_char(z[i])) {
            if (z[i] == '>') return;
            i++;
        }
        size_t iKey = i;
        while (i < n && S_fm_is_name_char(z[i])) i++;
        size_t nKey = i - iKey;
        while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' || z[i] == '\r')) i++;
        if (i >= n || z[i] != '=') continue; /* attribute without a value */
        i++;
        while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n' || z[i] == '\r')) i++;
        if (i >= n) return;
        size_t iVal, nVal;
        if (z[i] == '"' || z[i] == '\'') {
            char q = z[i++];
            iVal = i;
            while (i < n && z[i] != q) i++;
            nVal = i - iVal;
            if (i < n) i++;
        } else {
            iVal = i;
            while (i < n && z[i] != ' ' && z[i] != '\t' && z[i] != '\n' && z[i] != '>' && z[i] != '/') i++;
            nVal = i - iVal;
        }
        S_fm_set(doc, z + iKey, nKey, z + iVal, nVal, NULL);
    }
}
