/* kb_md.c: one DocFX Markdown document -> metadata and sections.
 *
 * Two stages. The preprocessor works line by line on the source, outside
 * fenced code: it takes the metadata out (YAML front matter, <properties/>,
 * <tags/>), expands includes, drops [AZURE.SELECTOR] lists and rewrites the
 * DocFX quirks into CommonMark that means what DocFX showed. It records, for
 * every output line, the line of the original document it came from, so that
 * every line number we report points into the file the author edits.
 *
 * Then the whole preprocessed text is parsed once with cmark-gfm. Top-level
 * headings of level 1-3 cut it into sections; each section's Markdown is the
 * slice of preprocessed lines it covers. All tree walks use cmark_iter, which
 * is iterative, so 10,000-deep nesting costs memory, not stack. */
#define _GNU_SOURCE /* memmem */
#include "kb_md.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_msg.h"
#include "kb_frontmatter.h"
#include "kb_refdef.h"
#include "kb_reflink.h"
#include "kb_render.h"
#include "kb_util.h"

#define KB_MD_DEFAULT_INCLUDE_DEPTH 8
#define KB_MD_MAX_INCLUDE_DEPTH 64
/* Includes one document may read, its includes' included: the most of the
 * Azure docs is 48. Each costs a path resolved, a stat, an open and a
 * read; nine files that include the next ten times each had made a page
 * read 700,000 (32 s, 526 MB). */
#define KB_MD_MAX_INCLUDES 1000
/* An include's container prefix, cut to this many bytes: 32 levels of
 * "> " or of list indentation and more (S_pre_include_line). */
#define KB_MD_MAX_INCLUDE_PREFIX 256
/* An old <properties .../> element longer than this is not metadata. */
#define KB_MD_MAX_TAG_LINES 64

/* ---------------------------------------------------------------- diags */

const char *kb_diag_code_name(kb_diag_code code) {
    static const char *const aName[] = {
        [KB_DIAG_FRONT_MATTER] = "front-matter",
        [KB_DIAG_TOO_COSTLY] = "too-costly",
        [KB_DIAG_DUPLICATE_ANCHOR] = "duplicate-anchor",
        [KB_DIAG_UNDEFINED_REFERENCE] = "undefined-reference",
        [KB_DIAG_CODE_FENCE] = "code-fence",
        [KB_DIAG_TABLE_CELLS] = "table-cells",
        [KB_DIAG_INCLUDE_MISSING] = "include-missing",
        [KB_DIAG_INCLUDE_OUTSIDE] = "include-outside",
        [KB_DIAG_INCLUDE_INVALID] = "include-invalid",
        [KB_DIAG_INCLUDE_CYCLE] = "include-cycle",
        [KB_DIAG_INCLUDE_DEPTH] = "include-depth",
        [KB_DIAG_INCLUDE_TOO_LARGE] = "include-too-large",
    };
    return (size_t)code < sizeof aName / sizeof aName[0] && aName[code] ? aName[code] : "markdown";
}

/* Adds a diagnostic; fmt is translated by the caller (_()). */
static kb_diag *S_md_diag(kb_doc *doc, int line, int severity, kb_diag_code code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static kb_diag *S_md_diag(kb_doc *doc, int line, int severity, kb_diag_code code, const char *fmt, ...) {
    kb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    kb_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    /* Capacity is the next power of two, grown by doubling: hostile input
     * can produce one diag per line. */
    if ((doc->nDiag & (doc->nDiag - 1)) == 0) {
        size_t cap = doc->nDiag ? (size_t)doc->nDiag * 2 : 1;
        doc->aDiag = kb_xrealloc(doc->aDiag, cap * sizeof *doc->aDiag);
    }
    kb_diag *d = &doc->aDiag[doc->nDiag++];
    d->line = line;
    d->severity = severity;
    d->code = code;
    d->cycleFile = NULL;
    d->message = b.z ? kb_buf_detach(&b) : kb_xstrdup("");
    return d;
}

/* ---------------------------------------------------------- line helpers */

/* One line of input: [z, z+n) without the newline and without a trailing \r. */
typedef struct S_line {
    const char *z;
    size_t n;
} S_line;

/* A line ends at "\n", "\r\n" or a lone "\r", as in CommonMark: cmark's
 * line numbers must be ours, or section cuts index past the line table. */
static int S_md_is_eol(const char *src, size_t n, size_t i) {
    return src[i] == '\n' || (src[i] == '\r' && (i + 1 == n || src[i + 1] != '\n'));
}

/* Splits src into lines (a final line without newline counts). */
static S_line *S_md_split(const char *src, size_t n, int *pnLine) {
    int nLine = 0;
    for (size_t i = 0; i < n; i++)
        if (S_md_is_eol(src, n, i)) nLine++;
    if (n > 0 && !S_md_is_eol(src, n, n - 1)) nLine++;
    S_line *a = kb_xmalloc(((size_t)nLine + 1) * sizeof *a);
    size_t iStart = 0;
    int k = 0;
    for (size_t i = 0; i <= n && k < nLine; i++) {
        if (i == n || S_md_is_eol(src, n, i)) {
            size_t len = i - iStart;
            if (len > 0 && src[iStart + len - 1] == '\r') len--;
            a[k].z = src + iStart;
            a[k].n = len;
            k++;
            iStart = i + 1;
        }
    }
    *pnLine = nLine;
    return a;
}

static int S_md_is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

static int S_md_is_blank(const char *z, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (z[i] != ' ' && z[i] != '\t') return 0;
    return 1;
}

/* Length of the container prefix of a line: indentation and blockquote
 * markers ("  > > "). */
static size_t S_md_lead(const char *z, size_t n) {
    size_t i = 0;
    while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '>')) i++;
    return i;
}

static int S_md_starts_ci(const char *z, size_t n, const char *lit) {
    size_t m = strlen(lit);
    if (n < m) return 0;
    for (size_t i = 0; i < m; i++) {
        char c = z[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        char d = lit[i];
        if (d >= 'A' && d <= 'Z') d = (char)(d - 'A' + 'a');
        if (c != d) return 0;
    }
    return 1;
}

static int S_md_is_fence_line(const char *z, size_t n, char *pChar, size_t *pLen) {
    size_t i = S_md_lead(z, n);
    /* The lead may have eaten '>' of a blockquote; a fence only needs the run. */
    if (i >= n || (z[i] != '`' && z[i] != '~')) return 0;
    char c = z[i];
    size_t k = i;
    while (k < n && z[k] == c) k++;
    if (k - i < 3) return 0;
    if (c == '`' && memchr(z + k, '`', n - k)) return 0; /* backtick info strings have no backticks */
    *pChar = c;
    *pLen = k - i;
    return 1;
}

/* 1 if the line closes a fence opened with len chars c. */
static int S_md_closes_fence(const char *z, size_t n, char c, size_t len) {
    size_t i = S_md_lead(z, n);
    size_t k = i;
    while (k < n && z[k] == c) k++;
    return k - i >= len && S_md_is_blank(z + k, n - k);
}

/* 1 if the line is an ATX heading start at top level: up to 3 spaces, 1-6 '#'. */
static int S_md_atx_hashes(const char *z, size_t n, size_t *pAt) {
    size_t i = 0;
    while (i < n && i < 3 && z[i] == ' ') i++;
    size_t k = i;
    while (k < n && z[k] == '#') k++;
    if (k == i || k - i > 6) return 0;
    *pAt = k;
    return 1;
}

/* Finds the value of a name="X" or id="X" attribute in an HTML tag fragment
 * that starts with "<a". Returns 1 and the value's range. */
static int S_md_anchor_attr(const char *z, size_t n, size_t *pStart, size_t *pLen) {
    if (n < 3 || z[0] != '<' || (z[1] != 'a' && z[1] != 'A') || (z[2] != ' ' && z[2] != '\t' && z[2] != '\n'))
        return 0;
    for (size_t i = 2; i < n && z[i] != '>'; i++) {
        if (z[i - 1] != ' ' && z[i - 1] != '\t' && z[i - 1] != '\n') continue;
        size_t k;
        if (S_md_starts_ci(z + i, n - i, "name=")) k = i + 5;
        else if (S_md_starts_ci(z + i, n - i, "id=")) k = i + 3;
        else continue;
        if (k >= n) return 0;
        if (z[k] == '"' || z[k] == '\'') {
            char q = z[k++];
            size_t e = k;
            while (e < n && z[e] != q) e++;
            if (e >= n) return 0;
            *pStart = k;
            *pLen = e - k;
        } else {
            size_t e = k;
            while (e < n && z[e] != ' ' && z[e] != '>' && z[e] != '/') e++;
            *pStart = k;
            *pLen = e - k;
        }
        return *pLen > 0;
    }
    return 0;
}

/* 1 if the line holds nothing but anchors: "<a id="cause1"></a>". Older
 * docs put such a line right above a heading as the heading's anchor. */
static int S_md_is_anchor_line(const char *z, size_t n) {
    size_t i = 0, nAnchor = 0;
    while (i < n) {
        while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
        if (i == n) break;
        size_t s, len;
        if (!S_md_anchor_attr(z + i, n - i, &s, &len)) return 0;
        const char *gt = memchr(z + i, '>', n - i);
        if (!gt) return 0;
        i = (size_t)(gt - z) + 1;
        while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
        if (S_md_starts_ci(z + i, n - i, "</a>")) i += 4;
        nAnchor++;
    }
    return nAnchor > 0;
}

/* --------------------------------------------------------- preprocessor */

typedef struct S_pre {
    const kb_md_opts *o;
    kb_doc *doc;
    int maxDepth;
    kb_buf out;
    int *aOrig;             /* per output line: original line */
    unsigned char *aInc;    /* per output line: 1 if it came from an include */
    int nOut, capOut;
    char *aChain[KB_MD_MAX_INCLUDE_DEPTH + 2]; /* resolved paths: the document, then its includes */
    int nChain;
    const char *zTopInclude; /* the path written at the document's line being expanded */
    int bDepthSaid;          /* that line's includes went too deep, said once: a fan-out says it 2^depth times */
    int seenHeading;        /* old <properties/> only count before the first heading */
    size_t nRead;           /* bytes of the document and the includes read so far */
    int bOverMax;           /* an include was left out: nRead would have passed o->maxBytes */
    int nIncluded;          /* includes read (KB_MD_MAX_INCLUDES) */
    int inTabs;             /* in a group of DocFX tabs, which a "---" line ends (S_pre_tab) */
    size_t tabLead;         /* ...whose lines' container prefix is this long */
} S_pre;

static void S_pre_emit2(S_pre *p, const char *zPrefix, size_t nPrefix, const char *z, size_t n, int orig, int inc) {
    if (p->nOut == p->capOut) {
        p->capOut = p->capOut ? p->capOut * 2 : 256;
        p->aOrig = kb_xrealloc(p->aOrig, (size_t)p->capOut * sizeof *p->aOrig);
        p->aInc = kb_xrealloc(p->aInc, (size_t)p->capOut);
    }
    p->aOrig[p->nOut] = orig;
    p->aInc[p->nOut] = (unsigned char)inc;
    p->nOut++;
    kb_buf_add(&p->out, zPrefix, nPrefix);
    kb_buf_add(&p->out, z, n);
    kb_buf_addc(&p->out, '\n');
}

/* Resolves rel against the directory of from, or the root for "~/x.md",
 * lexically ("a/b.md" + "../c.md" -> "c.md"), for include cycle detection
 * and for the reader of nested includes. */
static char *S_pre_resolve(const char *from, const char *rel) {
    kb_buf b = {0};
    if (rel[0] == '~' && rel[1] == '/') rel += 2; /* from the root, as kb_include_read reads it */
    else if (rel[0] != '/' && from) {
        const char *slash = strrchr(from, '/');
        if (slash) kb_buf_add(&b, from, (size_t)(slash - from) + 1);
    }
    kb_buf_adds(&b, rel);
    /* Normalize segments in place: drop "." and resolve "..". */
    char *z = b.z;
    size_t n = b.n, w = 0;
    size_t i = 0;
    int isAbs = n > 0 && z[0] == '/';
    if (isAbs) i = w = 1;
    size_t wFloor = w; /* ".." never climbs above this, kept literally once there */
    while (i <= n) {
        size_t e = i;
        while (e < n && z[e] != '/') e++;
        size_t len = e - i;
        if (len == 0 || (len == 1 && z[i] == '.')) {
            /* skip */
        } else if (len == 2 && z[i] == '.' && z[i + 1] == '.' && w > wFloor) {
            /* pop the last segment */
            size_t k = w - 1;
            while (k > wFloor && z[k - 1] != '/') k--;
            w = k;
        } else {
            if (len == 2 && z[i] == '.' && z[i + 1] == '.') wFloor = w + 3;
            memmove(z + w, z + i, len);
            w += len;
            z[w++] = '/';
        }
        i = e + 1;
    }
    if (w > (isAbs ? 1u : 0u) && z[w - 1] == '/') w--;
    z[w] = 0;
    b.n = w;
    return kb_buf_detach(&b);
}

/* Whether a link destination is a path relative to the file that writes
 * it: not "#anchor", "/site/path", "~/root/path" or a URL with a scheme
 * ("https:", "mailto:"). */
static int S_pre_is_relative_dest(const char *z, size_t n) {
    if (n == 0 || z[0] == '#' || z[0] == '/' || (n >= 2 && z[0] == '~' && z[1] == '/')) return 0;
    for (size_t i = 0; i < n && z[i] != '/' && z[i] != '?' && z[i] != '#'; i++)
        if (z[i] == ':') return 0;
    return 1;
}

/* Adds destination z[0, n) of a link in the included file zFrom to out,
 * rebased to the root ("~/es-ES/articles/x.md#a"): DocFX reads it
 * against the include, where the including page would read it against its
 * own folder ("../articles/x.md" from es-ES/includes/ names
 * es-ES/articles/x.md). One that climbs above the root stays as written. */
static void S_pre_rebase_dest(const char *zFrom, const char *z, size_t n, kb_buf *out) {
    size_t nPath = 0;
    while (nPath < n && z[nPath] != '?' && z[nPath] != '#') nPath++;
    if (!S_pre_is_relative_dest(z, n) || nPath == 0) {
        kb_buf_add(out, z, n);
        return;
    }
    char *zRel = kb_xstrndup(z, nPath);
    char *zRoot = S_pre_resolve(zFrom, zRel);
    if (strcmp(zRoot, "..") == 0 || strncmp(zRoot, "../", 3) == 0) {
        kb_buf_add(out, z, n);
    } else {
        kb_buf_addf(out, "~/%s", zRoot);
        kb_buf_add(out, z + nPath, n - nPath);
    }
    free(zRoot);
    free(zRel);
}

/* The end of a link destination that starts at z[i]: up to '>' in angle
 * brackets, else up to white space or the ')' that closes the link (a
 * destination may hold balanced parentheses). */
static size_t S_pre_dest_end(const char *z, size_t n, size_t i) {
    if (i < n && z[i] == '<') {
        const char *zClose = memchr(z + i, '>', n - i);
        return zClose ? (size_t)(zClose - z) + 1 : i;
    }
    int depth = 0;
    for (; i < n && z[i] != ' ' && z[i] != '\t'; i++) {
        if (z[i] == '(') depth++;
        else if (z[i] == ')' && depth-- == 0) break;
    }
    return i;
}

/* Copies a line of the included file zFrom to out with the relative
 * destinations of its inline links ("](dest") and of a reference
 * definition ("[label]: dest") rebased to the root (S_pre_rebase_dest);
 * code spans are left as written. Returns 0, out untouched, when the line
 * has no link. */
static int S_pre_rebase_links(const char *zFrom, const char *z, size_t n, kb_buf *out) {
    if (!memmem(z, n, "](", 2) && !memmem(z, n, "]:", 2)) return 0;
    size_t i = S_md_lead(z, n), done = 0, end;
    if (i < n && z[i] == '[' && (end = kb_reflink_label_end(z, n, i)) && end + 1 < n && z[end + 1] == ':') {
        i = end + 2;
        while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
        size_t e = S_pre_dest_end(z, n, i), lt = i < n && z[i] == '<';
        if (lt && e == i) lt = 0, e = n; /* "<" unclosed: a destination as written */
        kb_buf_add(out, z, i + lt);
        S_pre_rebase_dest(zFrom, z + i + lt, e - i - 2 * lt, out);
        done = e - lt;
    }
    for (i = done; i + 1 < n; i++) {
        if (z[i] == '`') { /* a code span: to the run of as many backticks that closes it */
            size_t run = 1;
            while (i + run < n && z[i + run] == '`') run++;
            size_t j = i + run;
            while (j < n) {
                size_t r = 0;
                while (j + r < n && z[j + r] == '`') r++;
                if (r == run) break;
                j += r ? r : 1;
            }
            i = (j < n ? j : i) + run - 1;
            continue;
        }
        if (z[i] != ']' || z[i + 1] != '(') continue;
        size_t s = i + 2;
        while (s < n && (z[s] == ' ' || z[s] == '\t')) s++;
        size_t e = S_pre_dest_end(z, n, s), lt = s < n && z[s] == '<';
        if (e - s < 2 * lt + 1) continue;
        kb_buf_add(out, z + done, s + lt - done);
        S_pre_rebase_dest(zFrom, z + s + lt, e - s - 2 * lt, out);
        done = e - lt;
        i = e - 1;
    }
    kb_buf_add(out, z + done, n - done);
    return 1;
}

/* The end of an include's path z[s..k), k its ')': before any spaces
 * that end it and a quoted title after it ("a b.md 'Title'"). DocFX reads
 * the path up to the ')', so a file named with a space is included
 * ("includes/my" had been read, and said not found). */
static size_t S_pre_path_end(const char *z, size_t s, size_t k) {
    size_t e = k;
    while (e > s && (z[e - 1] == ' ' || z[e - 1] == '\t')) e--;
    char quote = e > s ? z[e - 1] : 0;
    if (quote == '"' || quote == '\'') {
        size_t open = e - 1;
        while (open > s && z[open - 1] != quote) open--;
        /* the opening quote, after a space that ends the path */
        if (open > s + 1 && (z[open - 2] == ' ' || z[open - 2] == '\t')) {
            e = open - 1;
            while (e > s && (z[e - 1] == ' ' || z[e - 1] == '\t')) e--;
        }
    }
    return e;
}

/* Parses an include line's payload (after the container prefix):
 * "[!INCLUDE [name](path)]" or "[AZURE.INCLUDE [name](path)]". Text after
 * it (older translated docs lost the line break: "[AZURE.INCLUDE
 * [..](x.md)]本文涵蓋...") starts at *pRest, 0 if none. */
static int S_pre_include_path(const char *z, size_t n, char **pzPath, size_t *pRest) {
    size_t i;
    if (S_md_starts_ci(z, n, "[!INCLUDE")) i = 9;
    else if (S_md_starts_ci(z, n, "[AZURE.INCLUDE")) i = 14;
    else return 0;
    while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
    if (i >= n || z[i] != '[') return 0;
    const char *close = NULL;
    for (size_t k = i; k + 1 < n; k++)
        if (z[k] == ']' && z[k + 1] == '(') { close = z + k; break; }
    if (!close) return 0;
    size_t s = (size_t)(close - z) + 2, e, k;
    while (s < n && (z[s] == ' ' || z[s] == '\t')) s++;
    if (s < n && z[s] == '<') { /* "<includes/a b.md>", as a CommonMark link destination */
        e = ++s;
        while (e < n && z[e] != '>') e++;
        if (e >= n) return 0;
        k = e;
        while (k < n && z[k] != ')') k++;
    } else { /* up to the ')', as DocFX reads it: spaces and all */
        k = s;
        while (k < n && z[k] != ')') k++;
        e = S_pre_path_end(z, s, k);
    }
    if (k >= n || e == s) return 0;
    k++;
    while (k < n && (z[k] == ' ' || z[k] == '\t')) k++;
    if (k >= n || z[k] != ']') return 0;
    *pRest = S_md_is_blank(z + k + 1, n - k - 1) ? 0 : k + 1;
    while (*pRest && z[*pRest] == ' ') ++*pRest;
    *pzPath = kb_xstrndup(z + s, e - s);
    return 1;
}

/* "[AZURE.NOTE]" and friends -> "!NOTE" kind, or NULL. */
static const char *S_pre_alert(const char *z, size_t n, size_t *pLen) {
    static const char *const aKind[] = {"NOTE", "IMPORTANT", "TIP", "WARNING", "CAUTION"};
    if (!S_md_starts_ci(z, n, "[AZURE.")) return NULL;
    for (size_t k = 0; k < sizeof aKind / sizeof aKind[0]; k++) {
        size_t m = strlen(aKind[k]);
        if (S_md_starts_ci(z + 7, n - 7, aKind[k]) && n > 7 + m && z[7 + m] == ']') {
            *pLen = 8 + m;
            return aKind[k];
        }
    }
    return NULL;
}

static int S_pre_is_list_line(const char *z, size_t n) {
    size_t i = S_md_lead(z, n);
    if (i < n && (z[i] == '-' || z[i] == '*' || z[i] == '+') && i + 1 < n && z[i + 1] == ' ') return 1;
    size_t k = i;
    while (k < n && z[k] >= '0' && z[k] <= '9') k++;
    return k > i && k + 1 < n && (z[k] == '.' || z[k] == ')') && z[k + 1] == ' ';
}

/* Index of the line closing a front matter block opened on line 0, or -1. */
/* Whether the first line opens front matter: "---" (after a BOM). */
static int S_pre_front_matter_opens(const S_line *a, int nLine) {
    if (nLine == 0) return 0;
    const char *z = a[0].z;
    size_t n = a[0].n;
    if (n >= 3 && memcmp(z, "\xEF\xBB\xBF", 3) == 0) z += 3, n -= 3;
    return n >= 3 && memcmp(z, "---", 3) == 0 && S_md_is_blank(z + 3, n - 3);
}

/* Whether a line starts "key:", as the first line of YAML front matter
 * does; a thematic break on a document's first line is followed by text. */
static int S_pre_yaml_key(const S_line *l) {
    size_t i = 0;
    while (i < l->n && (isalnum((unsigned char)l->z[i]) || l->z[i] == '_' || l->z[i] == '.' || l->z[i] == '-')) i++;
    return i > 0 && i < l->n && l->z[i] == ':';
}

static int S_pre_front_matter_end(const S_line *a, int nLine) {
    if (!S_pre_front_matter_opens(a, nLine)) return -1;
    for (int k = 1; k < nLine; k++) {
        if (a[k].n >= 3 && (memcmp(a[k].z, "---", 3) == 0 || memcmp(a[k].z, "...", 3) == 0) &&
            S_md_is_blank(a[k].z + 3, a[k].n - 3))
            return k;
    }
    return -1;
}

static void S_pre_text(S_pre *p, const char *src, size_t n, const char *zPrefix, int depth, int origFixed);

/* "a.md → b.md → c.md": the include chain from aChain[k], then zLast. */
static char *S_pre_chain(const S_pre *p, int k, const char *zLast) {
    kb_buf b = {0};
    for (; k < p->nChain; k++) kb_buf_addf(&b, "%s \xe2\x86\x92 ", p->aChain[k]);
    kb_buf_adds(&b, zLast);
    return kb_buf_detach(&b);
}

/* Expands one include at line orig of the document; the line itself is
 * always dropped. A problem of a nested include is reported at that line,
 * so it names what that line includes and the chain down to the problem:
 * the innermost path alone reads as if the line had written it. */
static void S_pre_include(S_pre *p, const char *zPath, const char *zPrefix, int depth, int orig) {
    const char *from = p->aChain[p->nChain - 1];
    int line = orig;
    if (depth == 0) p->zTopInclude = zPath, p->bDepthSaid = 0;
    char *zResolved = S_pre_resolve(from, zPath);
    if (depth + 1 > p->maxDepth) {
        char *zChain = S_pre_chain(p, p->aChain[0][0] ? 0 : 1, zResolved);
        if (!p->bDepthSaid++)
            S_md_diag(p->doc, line, KB_DIAG_WARNING, KB_DIAG_INCLUDE_DEPTH,
                      _("include %s: nested deeper than %d includes: %s"), p->zTopInclude, p->maxDepth, zChain);
        free(zChain);
        free(zResolved);
        return;
    }
    for (int k = 0; k < p->nChain; k++) {
        if (strcmp(p->aChain[k], zResolved) == 0) {
            /* kb-index --check keys on the chain's first file: the cycle's
             * files report it, not the pages that include one of them */
            char *zChain = S_pre_chain(p, k, zResolved);
            kb_diag *d = S_md_diag(p->doc, line, KB_DIAG_WARNING, KB_DIAG_INCLUDE_CYCLE,
                                   _("include %s: include cycle: %s"), p->zTopInclude, zChain);
            d->cycleFile = kb_xstrdup(p->aChain[k]);
            free(zChain);
            free(zResolved);
            return;
        }
    }
    /* Past either bound, said once, the includes after it are not read. */
    if (p->bOverMax || p->nIncluded > KB_MD_MAX_INCLUDES) {
        free(zResolved);
        return;
    }
    if (++p->nIncluded > KB_MD_MAX_INCLUDES) {
        S_md_diag(p->doc, line, KB_DIAG_WARNING, KB_DIAG_INCLUDE_TOO_LARGE,
                  _("include %s: more than %d includes in one document; it and the includes after it are left out"),
                  p->zTopInclude, KB_MD_MAX_INCLUDES);
        free(zResolved);
        return;
    }
    char *z = NULL;
    size_t nz = 0;
    kb_diag_code why = KB_DIAG_INCLUDE_INVALID;
    int rc = p->o->readInclude(p->o->includeCtx, from[0] ? from : NULL, zPath, &z, &nz, &why);
    if (rc != KB_OK) {
        char *zChain = depth > 0 ? S_pre_chain(p, 1, zResolved) : NULL;
        /* TRANSLATORS: "include PATH: CHAIN OF FILES: REASON" */
        if (zChain)
            S_md_diag(p->doc, line, KB_DIAG_WARNING, why, _("include %s: %s: %s"), p->zTopInclude, zChain, kb_errmsg());
        /* TRANSLATORS: "include PATH: REASON" */
        else S_md_diag(p->doc, line, KB_DIAG_WARNING, why, _("include %s: %s"), zPath, kb_errmsg());
        free(zChain);
        free(z);
        free(zResolved);
        return;
    }
    if (p->o->maxBytes && p->nRead + nz > p->o->maxBytes) {
        /* said once: the includes after it go too */
        if (!p->bOverMax)
            S_md_diag(p->doc, line, KB_DIAG_WARNING, KB_DIAG_INCLUDE_TOO_LARGE,
                      _("include %s: %s would make the document with its includes larger than %g MB; "
                        "it and the includes after it are left out"),
                      p->zTopInclude, zResolved, kb_megabytes(p->o->maxBytes));
        p->bOverMax = 1;
        free(zResolved);
        free(z);
        return;
    }
    p->nRead += nz;
    p->aChain[p->nChain++] = zResolved;
    /* a group of tabs the include sits in goes on after it */
    int inTabs = p->inTabs;
    size_t tabLead = p->tabLead;
    S_pre_text(p, z ? z : "", z ? nz : 0, zPrefix, depth + 1, orig);
    p->inTabs = inTabs, p->tabLead = tabLead;
    p->nChain--;
    free(zResolved);
    free(z);
}

/* One text being preprocessed: the document, or a file it includes. */
typedef struct S_text {
    S_pre *p;
    S_line *a;
    int nLine;
    const char *zPrefix; /* the include line's container prefix ("> ", "   "), put on every line */
    size_t nPrefix;
    int depth;           /* 0 for the document */
    int origFixed;       /* an include's lines all map to its include line */
    size_t *aCloseBelow[2]; /* per line, the longest run of '`' / '~' of a line below that closes a fence (S_pre_fence_opens) */
    int *aTableEnd;         /* per line that opens an HTML table, the line that closes it + 1; 0: none (S_pre_html_table) */
} S_text;

/* Line k's number in the document the author edits. */
static int S_text_orig(const S_text *t, int k) { return t->depth > 0 ? t->origFixed : k + 1; }

/* Emits line k of the text as code: as written. */
static void S_text_emit_code(const S_text *t, int k, const char *z, size_t n) {
    S_pre_emit2(t->p, t->zPrefix, t->nPrefix, z, n, S_text_orig(t, k), t->depth > 0);
}

/* Emits line k of the text, its links rebased to the root if the text is
 * an included file's (S_pre_rebase_links). */
static void S_text_emit(const S_text *t, int k, const char *z, size_t n) {
    kb_buf rebased = {0};
    if (t->depth > 0 && S_pre_rebase_links(t->p->aChain[t->p->nChain - 1], z, n, &rebased))
        z = rebased.z, n = rebased.n;
    S_text_emit_code(t, k, z, n);
    kb_buf_free(&rebased);
}

/* The first line after the YAML front matter (0 without one), which the
 * document's metadata is read from; an include's is dropped unread. */
static int S_pre_front_matter(const S_text *t) {
    int fmEnd = S_pre_front_matter_end(t->a, t->nLine);
    /* Opened and never closed: DocFX reads no metadata, and the YAML
     * becomes the page's first paragraph. Said, or the fields were lost
     * without a word. */
    if (fmEnd <= 0 && t->depth == 0 && S_pre_front_matter_opens(t->a, t->nLine) && t->nLine > 1 &&
        S_pre_yaml_key(&t->a[1]))
        S_md_diag(t->p->doc, 1, KB_DIAG_ERROR, KB_DIAG_FRONT_MATTER,
                  "%s", _("front matter never closed: no line \"---\" ends it, so it is read as text"));
    if (fmEnd <= 0) return 0;
    if (t->depth == 0) {
        const char *zY = t->a[1].z;
        size_t nY = fmEnd > 1 ? (size_t)(t->a[fmEnd].z - t->a[1].z) : 0;
        int yLine = 0;
        if (kb_frontmatter_yaml(zY, nY, t->p->doc, &yLine) != KB_OK)
            S_md_diag(t->p->doc, 2 + yLine, KB_DIAG_ERROR, KB_DIAG_FRONT_MATTER, "%s", kb_errmsg());
    }
    return fmEnd + 1;
}

/* Old metadata elements (<properties .../>, <tags .../>) before the first
 * heading: read, then dropped. Returns the element's last line, or -1 if
 * line k does not start one. */
static int S_pre_old_metadata(const S_text *t, int k, const char *body, size_t nBody, size_t lead) {
    if (t->p->seenHeading || lead > 3 ||
        !(S_md_starts_ci(body, nBody, "<properties") || S_md_starts_ci(body, nBody, "<tags")))
        return -1;
    int e = k;
    while (e < t->nLine && e - k < KB_MD_MAX_TAG_LINES && !memchr(t->a[e].z, '>', t->a[e].n)) e++;
    if (e >= t->nLine || e - k >= KB_MD_MAX_TAG_LINES) return -1;
    if (t->depth == 0) kb_frontmatter_tag(body, (size_t)(t->a[e].z + t->a[e].n - body), t->p->doc);
    return e;
}

/* An ATX heading, emitted with the space DocFX did not require after its
 * hashes; 0 if line k is no heading. */
static int S_pre_heading(const S_text *t, int k, const char *z, size_t nz) {
    size_t at;
    if (!S_md_atx_hashes(z, nz, &at)) return 0;
    t->p->seenHeading = 1;
    t->p->inTabs = 0; /* a heading that is no tab ends a group of tabs */
    if (at >= nz || z[at] == ' ' || z[at] == '\t') {
        S_text_emit(t, k, z, nz);
        return 1;
    }
    kb_buf fixed = {0};
    kb_buf_add(&fixed, z, at);
    kb_buf_addc(&fixed, ' ');
    kb_buf_add(&fixed, z + at, nz - at);
    S_text_emit(t, k, fixed.z, fixed.n);
    kb_buf_free(&fixed);
    return 1;
}

/* [AZURE.SELECTOR] and the list of links under it: navigation between
 * sibling articles, not content. Returns the list's last line, dropped
 * with it, or -1 if line k is no selector. */
static int S_pre_selector(const S_text *t, int k, const char *body, size_t nBody) {
    if (!S_md_starts_ci(body, nBody, "[AZURE.SELECTOR]")) return -1;
    while (k + 1 < t->nLine && S_pre_is_list_line(t->a[k + 1].z, t->a[k + 1].n)) k++;
    return k;
}

/* Old alerts: "> [AZURE.NOTE] text" -> "> [!NOTE]" + "> text"; 0 if line
 * k is no old alert. */
static int S_pre_old_alert(const S_text *t, int k, const char *z, size_t nz, size_t lead) {
    const char *body = z + lead;
    size_t nBody = nz - lead, nTag;
    const char *kind = S_pre_alert(body, nBody, &nTag);
    if (!kind) return 0;
    int quoted = memchr(z, '>', lead) != NULL;
    kb_buf b = {0};
    kb_buf_add(&b, z, lead);
    if (!quoted) kb_buf_adds(&b, "> ");
    kb_buf_addf(&b, "[!%s]", kind);
    S_text_emit(t, k, b.z, b.n);
    size_t r = nTag;
    while (r < nBody && (body[r] == ' ' || body[r] == '\t')) r++;
    if (r < nBody) {
        kb_buf_reset(&b);
        kb_buf_add(&b, z, lead);
        if (!quoted) kb_buf_adds(&b, "> ");
        kb_buf_add(&b, body + r, nBody - r);
        S_text_emit(t, k, b.z, b.n);
    }
    kb_buf_free(&b);
    return 1;
}

/* An include, expanded in place with the line's container prefix on every
 * included line so that it stays inside the list or quote; 0 if line k is
 * no include (or includes are not read). */
static int S_pre_include_line(const S_text *t, int k, const char *z, size_t nz, size_t lead) {
    char *zPath = NULL;
    size_t rest = 0;
    if (!t->p->o->readInclude || !S_pre_include_path(z + lead, nz - lead, &zPath, &rest)) return 0;
    kb_buf prefix = {0};
    kb_buf_adds(&prefix, t->zPrefix);
    kb_buf_add(&prefix, z, lead);
    /* Nesting past 32 levels is flattened (kb_cmark.h): a longer prefix
     * says no more, and 10,000 "> " on each of 60,000 included lines took
     * 3.6 GB. */
    if (prefix.n > KB_MD_MAX_INCLUDE_PREFIX) prefix.n = KB_MD_MAX_INCLUDE_PREFIX, prefix.z[prefix.n] = 0;
    S_pre_include(t->p, zPath, kb_buf_str(&prefix), t->depth, S_text_orig(t, k));
    if (rest) { /* a paragraph of its own after the included text */
        kb_buf_reset(&prefix);
        kb_buf_add(&prefix, z, lead);
        kb_buf_add(&prefix, z + lead + rest, nz - lead - rest);
        S_text_emit(t, k, "", 0);
        S_text_emit(t, k, prefix.z, prefix.n);
    }
    kb_buf_free(&prefix);
    free(zPath);
    return 1;
}

/* Emits a line of its own: a paragraph between blank lines. */
static void S_text_emit_paragraph(const S_text *t, int k, const char *z, size_t n) {
    S_text_emit(t, k, "", 0);
    S_text_emit(t, k, z, n);
    S_text_emit(t, k, "", 0);
}

/* Whether the line, trailing blanks aside, is exactly lit. */
static int S_md_is_line(const char *z, size_t n, const char *lit) {
    while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
    return n == strlen(lit) && memcmp(z, lit, n) == 0;
}

/* Appends an attribute's value z[0..n) to out as Markdown text: what could
 * start markup escaped, an escaped quote (\") a quote. */
static void S_pre_add_text(kb_buf *out, const char *z, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (z[i] == '\\' && i + 1 < n && z[i + 1] == '"') continue;
        if (strchr("\\`*_[]<>#!", z[i])) kb_buf_addc(out, '\\');
        kb_buf_addc(out, z[i]);
    }
}

/* Appends a file path to out as a code span, or returns 0 if it holds a
 * backtick (none does; a span would need a longer fence). */
static int S_pre_add_path(kb_buf *out, const char *z, size_t n) {
    if (n == 0 || memchr(z, '`', n)) return 0;
    kb_buf_addf(out, "`%.*s`", (int)n, z);
    return 1;
}

/* The value of attribute zName ("source") in a DocFX directive line:
 * name="value", where \" is a quote; 1 and its range, 0 if it has none. */
static int S_pre_attr(const char *z, size_t n, const char *zName, size_t *pStart, size_t *pLen) {
    size_t m = strlen(zName);
    for (const char *p = z; (p = memmem(p, (size_t)(z + n - p), zName, m)) != NULL; p += m) {
        const char *v = p + m;
        if ((p > z && p[-1] != ' ') || v + 1 >= z + n || v[0] != '=' || v[1] != '"') continue;
        const char *e = v + 2;
        while (e < z + n && (*e != '"' || e[-1] == '\\')) e++;
        if (e >= z + n) return 0;
        *pStart = (size_t)(v + 2 - z);
        *pLen = (size_t)(e - v - 2);
        return 1;
    }
    return 0;
}

/* Whether line k of t follows a blank line or a code fence's closing
 * line: a "---" there is a thematic break, not a heading's underline. */
static int S_pre_after_block(const S_text *t, int k) {
    if (k == 0) return 1;
    size_t lead = S_md_lead(t->a[k - 1].z, t->a[k - 1].n), len;
    const char *b = t->a[k - 1].z + lead;
    size_t nb = t->a[k - 1].n - lead;
    char c;
    return S_md_is_blank(b, nb) || S_md_is_fence_line(b, nb, &c, &len);
}

/* DocFX's tabbed content: "# [Azure CLI](#tab/azure-cli)" starts a tab,
 * and a "---" thematic break at the same indentation ends the group, as
 * does a heading; a group may sit in a list item or a quote. A tab is no
 * section: the site shows the group inside the section it is in. The
 * tab's name becomes a bold line and the "---" is dropped. Read as written,
 * each tab was a top-level section, the sections after the group had the
 * last tab in their breadcrumb, and --check called every "#tab/" link
 * broken. A "---" right under text is a heading's underline, to DocFX as
 * to CommonMark: it ends no group. */
static int S_pre_tab(const S_text *t, int k, const char *z, size_t nz, size_t lead) {
    const char *b = z + lead;
    size_t nb = nz - lead, i;
    if (t->p->inTabs && lead == t->p->tabLead && S_md_is_line(b, nb, "---") && S_pre_after_block(t, k)) {
        t->p->inTabs = 0;
        S_text_emit(t, k, z, lead);
        return 1;
    }
    if (nb == 0 || b[0] != '#' || !S_md_atx_hashes(b, nb, &i)) return 0;
    while (i < nb && (b[i] == ' ' || b[i] == '\t')) i++;
    const char *zLink = i < nb && b[i] == '[' ? memmem(b + i, nb - i, "](#tab/", 7) : NULL;
    const char *zClose = zLink ? memchr(zLink, ')', (size_t)(b + nb - zLink)) : NULL;
    if (!zClose || zLink == b + i + 1) return 0;
    for (const char *r = zClose + 1; r < b + nb; r++)
        if (*r != ' ' && *r != '\t' && *r != '#') return 0;
    kb_buf label = {0};
    kb_buf_add(&label, z, lead);
    kb_buf_addf(&label, "**%.*s**", (int)(zLink - (b + i + 1)), b + i + 1);
    S_text_emit(t, k, z, lead);
    S_text_emit(t, k, label.z, label.n);
    S_text_emit(t, k, z, lead);
    kb_buf_free(&label);
    t->p->inTabs = 1;
    t->p->tabLead = lead;
    return 1;
}

/* DocFX's zones and monikers ("::: zone pivot=\"programming-language-csharp\"",
 * "::: moniker range=\">=sql-server-ver15\"", "::: zone-end"): each
 * variant's text follows its name in italics, so that the reader knows
 * which of the variants shown one after another applies; the end lines and
 * other zones' are dropped. CommonMark would show them as text. */
static int S_pre_zone(const S_text *t, int k, const char *z, size_t nz, size_t lead) {
    if (lead != 0 || nz < 4 || memcmp(z, ":::", 3) != 0) return 0;
    size_t i = 3, s, n;
    while (i < nz && z[i] == ' ') i++;
    int zone = S_md_starts_ci(z + i, nz - i, "zone"), moniker = S_md_starts_ci(z + i, nz - i, "moniker");
    if (!zone && !moniker) return 0;
    if (!S_pre_attr(z + i, nz - i, zone ? "pivot" : "range", &s, &n) || n == 0) {
        S_text_emit(t, k, "", 0);
        return 1;
    }
    kb_buf name = {0};
    kb_buf_addc(&name, '*');
    S_pre_add_text(&name, z + i + s, n);
    kb_buf_addc(&name, '*');
    S_text_emit_paragraph(t, k, name.z, name.n);
    kb_buf_free(&name);
    return 1;
}

/* DocFX's block directives, as the site shows them: ":::image ...
 * source="s" alt-text="a":::" as the image ![a](s) (":::image-end:::"
 * dropped, a complex image's long description kept as text after it), and
 * ":::code source="f":::" as the sample's path, whose file is not indexed
 * (and often lives in another repository). b is the line after its
 * container prefix z[0..lead). 0 if it is no such directive, or one
 * CommonMark text could not say: the text renderer then drops it. */
static int S_pre_directive(const S_text *t, int k, const char *z, size_t lead, const char *b, size_t nb) {
    int image = S_md_starts_ci(b, nb, ":::image"), code = S_md_starts_ci(b, nb, ":::code");
    size_t s, n, sAlt = 0, nAlt = 0;
    if (!(image || code) || nb < 6 || memcmp(b + nb - 3, ":::", 3) != 0) return 0;
    kb_buf out = {0};
    kb_buf_add(&out, z, lead);
    int ok = 1;
    if (S_md_starts_ci(b, nb, ":::image-end")) {
        /* the end of a complex image: nothing to show */
    } else if (!S_pre_attr(b, nb, "source", &s, &n) || memchr(b + s, '>', n)) {
        ok = 0;
    } else if (image) {
        S_pre_attr(b, nb, "alt-text", &sAlt, &nAlt);
        kb_buf_adds(&out, "![");
        S_pre_add_text(&out, b + sAlt, nAlt);
        kb_buf_addf(&out, "](<%.*s>)", (int)n, b + s);
    } else {
        ok = S_pre_add_path(&out, b + s, n);
    }
    if (ok) S_text_emit(t, k, out.z, out.n);
    /* a complex image's long description, on the next lines, is a paragraph of its own */
    if (ok && image) S_text_emit(t, k, z, lead);
    kb_buf_free(&out);
    return ok;
}

/* DocFX's bracketed extensions, as the site shows them: a code sample
 * ("[!code-csharp[Retry](code/Retry.cs?name=x)]") as its name and path,
 * its file not indexed; "[!VIDEO url]" as the URL; "[!div class=...]" (a
 * button's style) and "[AZURE.VIDEO name]" (an embed an offline reader
 * cannot play) dropped. b is the line after its container prefix
 * z[0..lead). 0 if it is none of them. */
static int S_pre_bracket(const S_text *t, int k, const char *z, size_t lead, const char *b, size_t nb) {
    if (nb < 2 || b[0] != '[' || b[nb - 1] != ']') return 0;
    kb_buf out = {0};
    kb_buf_add(&out, z, lead);
    int ok = 1;
    if (S_md_starts_ci(b, nb, "[!code-")) {
        const char *zName = memchr(b + 1, '[', nb - 2);
        const char *zMid = zName ? memmem(zName, (size_t)(b + nb - zName), "](", 2) : NULL;
        const char *zPath = zMid ? zMid + 2 : NULL, *zEnd = b + nb - 2;
        if (!zMid || *zEnd != ')') ok = 0;
        else {
            const char *zQuery = memchr(zPath, '?', (size_t)(zEnd - zPath));
            if (zQuery) zEnd = zQuery;
            int named = zMid > zName + 1;
            if (named) {
                kb_buf_addc(&out, '*');
                S_pre_add_text(&out, zName + 1, (size_t)(zMid - zName - 1));
                kb_buf_adds(&out, "* (");
            }
            ok = S_pre_add_path(&out, zPath, (size_t)(zEnd - zPath));
            if (named) kb_buf_addc(&out, ')');
        }
    } else if (S_md_starts_ci(b, nb, "[!VIDEO ")) {
        size_t u = 8;
        while (u < nb && b[u] == ' ') u++;
        ok = nb - 1 > u && !memchr(b + u, '>', nb - 1 - u);
        if (ok) kb_buf_addf(&out, "<%.*s>", (int)(nb - 1 - u), b + u);
    } else {
        ok = S_md_starts_ci(b, nb, "[!div ") || S_md_starts_ci(b, nb, "[AZURE.VIDEO ");
    }
    if (ok) S_text_emit(t, k, out.z, out.n);
    kb_buf_free(&out);
    return ok;
}

/* DocFX's extensions on a line of their own (S_pre_directive,
 * S_pre_bracket); any other ":::" line (":::row:::", ":::column
 * span="2":::", an image with no source) is layout CommonMark cannot
 * say, and dropped, as the text renderer drops it: the Markdown output
 * had shown it. 0 if line k holds none. */
static int S_pre_docfx(const S_text *t, int k, const char *z, size_t nz, size_t lead) {
    const char *b = z + lead;
    size_t nb = nz - lead;
    while (nb > 0 && (b[nb - 1] == ' ' || b[nb - 1] == '\t')) nb--;
    if (S_pre_directive(t, k, z, lead, b, nb) || S_pre_bracket(t, k, z, lead, b, nb)) return 1;
    if (nb < 3 || memcmp(b, ":::", 3) != 0) return 0;
    S_text_emit(t, k, z, lead);
    return 1;
}

/* Where each HTML table of the text ends (t->aTableEnd), in one pass:
 * a table that never closes would otherwise be looked for to the end,
 * once per line that opens one. */
static void S_pre_table_ends(S_text *t) {
    int aOpen[64], nOpen = 0;
    t->aTableEnd = kb_xcalloc((size_t)t->nLine + 1, sizeof *t->aTableEnd);
    for (int j = 0; j < t->nLine; j++) {
        const char *a = t->a[j].z, *e = a + t->a[j].n;
        for (const char *p = a; (p = memchr(p, '<', (size_t)(e - p))) != NULL; p++) {
            if (S_md_starts_ci(p, (size_t)(e - p), "<table") && nOpen < 64) aOpen[nOpen++] = j;
            else if (S_md_starts_ci(p, (size_t)(e - p), "</table") && nOpen > 0 && --nOpen == 0)
                t->aTableEnd[aOpen[0]] = j + 1;
        }
    }
}

/* An HTML table, "<table>" to its "</table>", without the blank lines in
 * it: a blank line ends an HTML block, and the indented lines after it
 * were code to CommonMark, showing the rest of the table's markup as
 * written (91 tables of the es-ES and zh-TW docs, converted from pages
 * that DocFX's pre-CommonMark parser read whole). Returns the table's last
 * line, or -1 if line k opens none (or none that closes). */
static int S_pre_html_table(S_text *t, int k, const char *z, size_t nz) {
    size_t i = 0;
    while (i < nz && i < 3 && z[i] == ' ') i++;
    if (!S_md_starts_ci(z + i, nz - i, "<table") || (i + 6 < nz && z[i + 6] != '>' && z[i + 6] != ' ')) return -1;
    if (!t->aTableEnd) S_pre_table_ends(t);
    int end = t->aTableEnd[k] - 1;
    for (int j = k; j <= end; j++)
        if (!S_md_is_blank(t->a[j].z, t->a[j].n)) S_text_emit(t, j, t->a[j].z, t->a[j].n);
    return end;
}

/* Preprocesses line k (z, nz: without a byte order mark), outside fenced
 * code; returns the last line it took. */
static int S_pre_line(S_text *t, int k, const char *z, size_t nz) {
    size_t lead = S_md_lead(z, nz);
    int last;
    if ((last = S_pre_old_metadata(t, k, z + lead, nz - lead, lead)) >= 0) return last;
    if ((last = S_pre_html_table(t, k, z, nz)) >= 0) return last;
    if (S_pre_tab(t, k, z, nz, lead) || S_pre_zone(t, k, z, nz, lead) || S_pre_docfx(t, k, z, nz, lead)) return k;
    if (S_pre_heading(t, k, z, nz)) return k;
    if ((last = S_pre_selector(t, k, z + lead, nz - lead)) >= 0) return last;
    if (S_pre_old_alert(t, k, z, nz, lead) || S_pre_include_line(t, k, z, nz, lead)) return k;
    S_text_emit(t, k, z, nz);
    /* "<a id="x"></a>" directly above a heading would make CommonMark
     * swallow the heading into an HTML block; DocFX showed a heading. */
    size_t at;
    if (lead == 0 && k + 1 < t->nLine && S_md_is_anchor_line(z, nz) && S_md_atx_hashes(t->a[k + 1].z, t->a[k + 1].n, &at))
        S_text_emit(t, k, "", 0);
    return k;
}

/* Whether a fence line at line k opens fenced code. The preprocessor does
 * not know the list items a fence may be indented under, so it takes one
 * indented four columns or more for a fence too; but there it may be a
 * line of indented code ("    ```"), and if nothing closes it, the rest
 * of the text would pass as code, its includes unexpanded. Such a line
 * opens a fence only if a line below closes it. */
static int S_pre_fence_opens(S_text *t, int k, const char *z, size_t nz, char c, size_t len) {
    size_t col = 0;
    for (size_t i = 0; i < nz && (z[i] == ' ' || z[i] == '\t'); i++) col += z[i] == '\t' ? 4 - col % 4 : 1;
    if (col < 4) return 1;
    int iChar = c == '~';
    if (!t->aCloseBelow[iChar]) {
        /* one pass from the end, so that many such lines cost no more */
        size_t *a = t->aCloseBelow[iChar] = kb_xcalloc((size_t)t->nLine + 1, sizeof *a);
        for (int j = t->nLine - 1; j >= 0; j--) {
            size_t run = 0, i = S_md_lead(t->a[j].z, t->a[j].n);
            while (i + run < t->a[j].n && t->a[j].z[i + run] == c) run++;
            if (run < 3 || !S_md_is_blank(t->a[j].z + i + run, t->a[j].n - i - run)) run = 0;
            a[j] = a[j + 1] > run ? a[j + 1] : run;
        }
    }
    return t->aCloseBelow[iChar][k + 1] >= len;
}

/* Preprocesses one text: the document (depth 0, origFixed 0) or an included
 * file (every output line maps to origFixed, the include line). Fenced code
 * passes through untouched. */
static void S_pre_text(S_pre *p, const char *src, size_t n, const char *zPrefix, int depth, int origFixed) {
    S_text t = {.p = p, .zPrefix = zPrefix, .nPrefix = strlen(zPrefix), .depth = depth, .origFixed = origFixed};
    t.a = S_md_split(src, n, &t.nLine);
    char cFence = 0;
    size_t nFence = 0, fenceLead = 0; /* the open fence, and its line's indentation and '>' */
    const char *zFenceLine = NULL;
    for (int k = S_pre_front_matter(&t); k < t.nLine; k++) {
        const char *z = t.a[k].z;
        size_t nz = t.a[k].n;
        if (k == 0 && nz >= 3 && memcmp(z, "\xEF\xBB\xBF", 3) == 0) z += 3, nz -= 3;
        char c;
        size_t len;
        if (cFence) {
            if (S_md_closes_fence(z, nz, cFence, nFence)) cFence = 0;
            S_text_emit_code(&t, k, z, nz);
        } else if (S_md_is_fence_line(z, nz, &c, &len) && S_pre_fence_opens(&t, k, z, nz, c, len)) {
            cFence = c;
            nFence = len;
            zFenceLine = z;
            fenceLead = S_md_lead(z, nz);
            S_text_emit_code(&t, k, z, nz);
        } else {
            k = S_pre_line(&t, k, z, nz);
        }
    }
    if (cFence && depth > 0 && t.nLine > 0) {
        /* DocFX renders an include on its own: a fence it leaves open ends
         * with it, and had made the rest of the page code. (The fence is
         * still reported, at its line: S_md_check_fence.) The closing line
         * is indented and quoted as the opening one, or it would end the
         * list item or quote the fence is in, and open a fence of its own. */
        kb_buf close = {0};
        kb_buf_add(&close, zFenceLine, fenceLead);
        for (size_t i = 0; i < nFence; i++) kb_buf_addc(&close, cFence);
        S_text_emit_code(&t, t.nLine - 1, close.z, close.n);
        kb_buf_free(&close);
    }
    free(t.aCloseBelow[0]);
    free(t.aCloseBelow[1]);
    free(t.aTableEnd);
    p->inTabs = 0; /* a group of tabs ends with its text */
    free(t.a);
}

/* ------------------------------------------------------------ anchors */

char *kb_md_slug(const char *text, size_t n) {
    kb_buf b = {0};
    const utf8proc_uint8_t *z = (const utf8proc_uint8_t *)text;
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(z + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0) { i++; continue; } /* invalid byte: dropped */
        i += (size_t)len;
        if (cp == ' ') { kb_buf_addc(&b, '-'); continue; }
        if (cp == '-' || cp == '_') { kb_buf_addc(&b, (char)cp); continue; }
        utf8proc_category_t cat = utf8proc_category(cp);
        int keep = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) || cat == UTF8PROC_CATEGORY_PC;
        if (!keep) continue;
        utf8proc_uint8_t enc[4];
        utf8proc_ssize_t m = utf8proc_encode_char(utf8proc_tolower(cp), enc);
        kb_buf_add(&b, (const char *)enc, (size_t)m);
    }
    return b.z ? kb_buf_detach(&b) : kb_xstrdup("");
}

/* A set of the anchors used in a document, so duplicates are found in
 * constant time even in a document of 100,000 identical headings. Keys are
 * borrowed from the sections. */
typedef struct S_anchor_set {
    const char **aKey;
    int *aNext;   /* next suffix to try for this key as a base */
    size_t cap, n;
} S_anchor_set;

static size_t S_set_slot(const S_anchor_set *s, const char *z) {
    size_t i = kb_hash(z, strlen(z)) & (s->cap - 1);
    while (s->aKey[i] && strcmp(s->aKey[i], z) != 0) i = (i + 1) & (s->cap - 1);
    return i;
}

static void S_set_add(S_anchor_set *s, const char *z) {
    if ((s->n + 1) * 2 > s->cap) {
        S_anchor_set t = {0};
        t.cap = s->cap ? s->cap * 2 : 64;
        t.aKey = kb_xcalloc(t.cap, sizeof *t.aKey);
        t.aNext = kb_xcalloc(t.cap, sizeof *t.aNext);
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->aKey[i]) continue;
            size_t j = S_set_slot(&t, s->aKey[i]);
            t.aKey[j] = s->aKey[i];
            t.aNext[j] = s->aNext[i];
        }
        t.n = s->n;
        free(s->aKey);
        free(s->aNext);
        *s = t;
    }
    size_t j = S_set_slot(s, z);
    if (!s->aKey[j]) {
        s->aKey[j] = z;
        s->aNext[j] = 1;
        s->n++;
    }
}

static int S_set_has(const S_anchor_set *s, const char *z) {
    return s->cap && s->aKey[S_set_slot(s, z)] != NULL;
}

/* Makes *pz unique in the set GitHub's way (foo, foo-1, foo-2...), adds it,
 * and returns 1 if it had to be renamed. */
static int S_set_claim(S_anchor_set *s, char **pz) {
    if (!S_set_has(s, *pz)) {
        S_set_add(s, *pz);
        return 0;
    }
    size_t j = S_set_slot(s, *pz);
    int k = s->aNext[j];
    char *zNew = NULL;
    for (;; k++) {
        zNew = kb_xasprintf("%s-%d", *pz, k);
        if (!S_set_has(s, zNew)) break;
        free(zNew);
    }
    s->aNext[j] = k + 1; /* the slot is unchanged until S_set_add grows the table */
    free(*pz);
    *pz = zNew;
    S_set_add(s, zNew);
    return 1;
}

/* --------------------------------------------------------- tree helpers */

/* Appends the plain text of an inline subtree. In table cells (html=1) the
 * content is rebuilt as HTML, text escaped, and converted as a whole by
 * kb_html_to_text so "<ul><li>" lists keep their structure; elsewhere inline
 * HTML is dropped (it is anchors and markup, not words). */
static void S_md_inline_text(cmark_node *root, int html, kb_buf *out) {
    int hasHtml = 0;
    if (html) {
        cmark_iter *it = cmark_iter_new(root);
        cmark_event_type ev;
        while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE)
            if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(cmark_iter_get_node(it)) == CMARK_NODE_HTML_INLINE) {
                hasHtml = 1;
                break;
            }
        cmark_iter_free(it);
    }
    kb_buf h = {0};
    kb_buf *dst = hasHtml ? &h : out;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *node = cmark_iter_get_node(it);
        const char *lit = cmark_node_get_literal(node);
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_TEXT:
        case CMARK_NODE_CODE:
            if (!lit) break;
            if (hasHtml) {
                for (const char *c = lit; *c; c++) {
                    if (*c == '<') kb_buf_adds(dst, "&lt;");
                    else if (*c == '>') kb_buf_adds(dst, "&gt;");
                    else if (*c == '&') kb_buf_adds(dst, "&amp;");
                    else kb_buf_addc(dst, *c);
                }
            } else {
                kb_buf_adds(dst, lit);
            }
            break;
        case CMARK_NODE_SOFTBREAK: kb_buf_addc(dst, ' '); break;
        case CMARK_NODE_LINEBREAK: kb_buf_adds(dst, hasHtml ? "<br>" : "\n"); break;
        case CMARK_NODE_HTML_INLINE:
            if (hasHtml && lit) kb_buf_adds(dst, lit);
            break;
        default: break;
        }
    }
    cmark_iter_free(it);
    if (hasHtml) {
        kb_html_to_text(kb_buf_str(&h), h.n, out);
        kb_buf_free(&h);
    }
}

static char *S_md_trimmed(kb_buf *b) {
    const char *z = kb_buf_str(b);
    size_t n = b->n;
    while (n > 0 && (z[n - 1] == ' ' || z[n - 1] == '\t' || z[n - 1] == '\n')) n--;
    size_t i = 0;
    while (i < n && (z[i] == ' ' || z[i] == '\t' || z[i] == '\n')) i++;
    return kb_xstrndup(z + i, n - i);
}

/* Heading text without its anchor HTML, and the anchors found in it. */
static char *S_md_heading_text(cmark_node *heading, char ***paName, int *pnName) {
    kb_buf b = {0};
    S_md_inline_text(heading, 0, &b);
    cmark_iter *it = cmark_iter_new(heading);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || cmark_node_get_type(node) != CMARK_NODE_HTML_INLINE) continue;
        const char *lit = cmark_node_get_literal(node);
        size_t s, len;
        if (lit && S_md_anchor_attr(lit, strlen(lit), &s, &len)) {
            *paName = kb_xrealloc(*paName, (size_t)(*pnName + 1) * sizeof **paName);
            (*paName)[(*pnName)++] = kb_xstrndup(lit + s, len);
        }
    }
    cmark_iter_free(it);
    char *z = kb_drop_controls(S_md_trimmed(&b)); /* the section's text dropped them too (kb_html.c) */
    kb_buf_free(&b);
    return z;
}

/* -------------------------------------------------------------- parser */

typedef struct S_md {
    const kb_md_opts *o;
    kb_doc *doc;
    S_pre pre;
    size_t *aLineOff;  /* byte offset of each preprocessed line, plus one past the end */
    int nLine;
    kb_refdefs defs;   /* the link reference definitions sections may need */
} S_md;

static int S_md_orig(const S_md *m, int line) {
    if (line < 1) return 0;
    if (line > m->pre.nOut) line = m->pre.nOut;
    return line >= 1 ? m->pre.aOrig[line - 1] : 0;
}

/* Anchors of a one-line block made only of anchors, "<a id="cause1"></a>"
 * (a paragraph of inline HTML to cmark), which older docs put above a
 * heading as its anchor. */
static int S_md_anchor_block(const S_md *m, cmark_node *node, char ***paName, int *pnName) {
    if (!node) return 0;
    cmark_node_type t = cmark_node_get_type(node);
    if (t != CMARK_NODE_HTML_BLOCK && t != CMARK_NODE_PARAGRAPH) return 0;
    int line = cmark_node_get_start_line(node);
    if (line < 1 || line > m->nLine) return 0;
    const char *z = m->pre.out.z + m->aLineOff[line - 1];
    size_t n = m->aLineOff[line] - m->aLineOff[line - 1] - 1;
    if (!S_md_is_anchor_line(z, n)) return 0;
    /* The block may run on (an HTML block ends at a blank line): only a
     * block that is this one line counts. */
    if (line + 1 <= m->nLine && !S_md_is_blank(m->pre.out.z + m->aLineOff[line], m->aLineOff[line + 1] - m->aLineOff[line] - 1)) {
        int end = cmark_node_get_end_line(node);
        if (end > line) return 0;
    }
    size_t i = 0;
    while (i < n) {
        const char *lt = memchr(z + i, '<', n - i);
        if (!lt) break;
        i = (size_t)(lt - z);
        size_t s, len;
        if (paName && S_md_anchor_attr(z + i, n - i, &s, &len)) {
            *paName = kb_xrealloc(*paName, (size_t)(*pnName + 1) * sizeof **paName);
            (*paName)[(*pnName)++] = kb_xstrndup(z + i + s, len);
        }
        i++;
    }
    return 1;
}

/* Count of cells in a table row's source text: unescaped pipes, minus the
 * optional leading and trailing ones. */
static int S_md_row_cells(const char *z, size_t n) {
    size_t i = 0;
    while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
    while (n > i && (z[n - 1] == ' ' || z[n - 1] == '\t')) n--;
    if (i < n && z[i] == '|') i++;
    if (n > i && z[n - 1] == '|' && !(n - 1 > i && z[n - 2] == '\\')) n--;
    int cells = 1;
    for (size_t k = i; k < n; k++) {
        if (z[k] == '\\') { k++; continue; }
        if (z[k] == '|') cells++;
    }
    return cells;
}

static void S_md_check_table(S_md *m, cmark_node *table) {
    int nHeader = -1;
    for (cmark_node *row = cmark_node_first_child(table); row; row = cmark_node_next(row)) {
        int line = cmark_node_get_start_line(row);
        int col = cmark_node_get_start_column(row);
        if (line < 1 || line > m->nLine) continue;
        const char *z = m->pre.out.z + m->aLineOff[line - 1];
        size_t n = m->aLineOff[line] - m->aLineOff[line - 1] - 1; /* without '\n' */
        size_t skip = col > 1 ? (size_t)(col - 1) : 0;
        if (skip > n) skip = n;
        int cells = S_md_row_cells(z + skip, n - skip);
        if (nHeader < 0) { nHeader = cells; continue; }
        if (cells != nHeader)
            S_md_diag(m->doc, S_md_orig(m, line), KB_DIAG_WARNING, KB_DIAG_TABLE_CELLS,
                      _("table row has %d cells, header has %d"), cells, nHeader);
    }
}

/* Preprocessed line k (1-based) without its container prefix (spaces, '>'). */
static const char *S_md_line(const S_md *m, int k, size_t *pn) {
    const char *z = m->pre.out.z + m->aLineOff[k - 1];
    size_t n = m->aLineOff[k] - m->aLineOff[k - 1] - 1;
    while (n > 0 && (*z == ' ' || *z == '\t' || *z == '>')) z++, n--;
    *pn = n;
    return z;
}

/* A code fence never closed runs to the end of the document: what follows
 * it, headings included, is code, and no link can reach those headings. */
static void S_md_check_fence(S_md *m, cmark_node *code) {
    int len = 0, offset = 0;
    char ch = 0;
    if (!cmark_node_get_fenced(code, &len, &offset, &ch) || len < 3) return;
    int start = cmark_node_get_start_line(code), end = cmark_node_get_end_line(code), last = m->nLine;
    size_t n;
    while (last > 0 && (S_md_line(m, last, &n), n == 0)) last--;
    if (start < 1 || end < last || end > m->nLine || end == start) return;
    const char *z = S_md_line(m, end, &n);
    size_t k = 0;
    while (k < n && z[k] == ch) k++;
    while (k < n && (z[k] == ' ' || z[k] == '\t')) k++;
    if (k == n && n >= (size_t)len) return; /* its last line closes it */
    int nHeading = 0;
    for (int i = start + 1; i <= end; i++) {
        z = S_md_line(m, i, &n);
        size_t h = 0;
        while (h < n && z[h] == '#') h++;
        nHeading += h >= 1 && h <= 6 && h < n && z[h] == ' ';
    }
    S_md_diag(m->doc, S_md_orig(m, start), KB_DIAG_WARNING, KB_DIAG_CODE_FENCE,
              _("code fence never closed: the %d lines after it, %d of them headings, are read as code"), end - start,
              nHeading);
}

static int S_md_is_internal(const char *url) {
    /* "/sysinternals/..." is a page of the docs site, outside any tree we index. */
    if (!url || !*url || url[0] == '/') return 0;
    const char *c = url;
    if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) {
        while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '+' ||
               *c == '-' || *c == '.')
            c++;
        if (*c == ':') return 0; /* a scheme: http:, mailto:, ms-settings: */
    }
    return 1;
}

/* Where the next reference of a block is looked for in its lines. */
typedef struct S_cursor {
    int line;    /* 0: lost (a reference not found as written), use first */
    size_t off;  /* in that line */
    int first, last;
} S_cursor;

/* The line that holds z[0..n), looked for from the cursor on: a block's
 * references come in order, so a block is read once, not once per
 * reference. A reference that escapes or entities changed is not found; the
 * block's first line then stands for it and the rest. */
static int S_md_line_of(const S_md *m, S_cursor *c, const char *z, size_t n) {
    for (int k = c->line; k >= 1 && k <= c->last && k <= m->nLine; k++, c->off = 0) {
        const char *zLine = m->pre.out.z + m->aLineOff[k - 1];
        size_t nLine = m->aLineOff[k] - m->aLineOff[k - 1];
        const char *hit = c->off < nLine ? memmem(zLine + c->off, nLine - c->off, z, n) : NULL;
        if (hit) {
            c->line = k;
            c->off = (size_t)(hit - zLine) + n;
            return k;
        }
    }
    c->line = 0;
    return c->first;
}

/* What reporting a block's undefined references needs. */
typedef struct S_refs_ctx {
    S_md *m;
    S_cursor c;
} S_refs_ctx;

/* Reports one undefined reference, run[start, end) (kb_reflink_fn). */
static void S_md_report_reference(void *ctx, const char *run, size_t start, size_t end) {
    S_refs_ctx *x = ctx;
    S_md *m = x->m;
    int line = S_md_line_of(m, &x->c, run + start, end - start);
    /* An included file's references are reported when it is checked. */
    if (line >= 1 && line <= m->pre.nOut && m->pre.aInc[line - 1]) return;
    int shown = (int)(end - start > 200 ? 200 : end - start);
    int stray = kb_refdefs_stray_line(&m->defs, run + start, end - start);
    if (stray)
        S_md_diag(m->doc, S_md_orig(m, line), KB_DIAG_WARNING, KB_DIAG_UNDEFINED_REFERENCE,
                  _("reference link \"%.*s\" has no definition: line %d looks like one, but the Markdown "
                    "around it makes it text (a definition needs a blank line above it, outside code and lists)"),
                  shown, run + start, S_md_orig(m, stray));
    else
        S_md_diag(m->doc, S_md_orig(m, line), KB_DIAG_WARNING, KB_DIAG_UNDEFINED_REFERENCE,
                  _("reference link \"%.*s\" has no definition"), shown, run + start);
}

/* Reference links whose label the document does not define: cmark leaves
 * them as text ("[", "foo", "]", "[", "]"), and a reader would see
 * "[foo][]" where a link should be (kb_reflink.h). */
static void S_md_check_references(S_md *m, cmark_node *block) {
    S_refs_ctx x = {.m = m, .c = {.first = cmark_node_get_start_line(block), .last = cmark_node_get_end_line(block)}};
    for (cmark_node *p = block; x.c.first < 1 && p; p = cmark_node_parent(p)) x.c.first = cmark_node_get_start_line(p);
    if (x.c.last < x.c.first) x.c.last = x.c.first;
    x.c.line = x.c.first;
    kb_reflink_each_undefined(block, S_md_report_reference, &x);
}

/* Whole-document pass: internal links for --check, table shape
 * warnings, undefined references. */
static void S_md_doc_pass(S_md *m, cmark_node *root) {
    int capLink = 0;
    cmark_iter *it = cmark_iter_new(root);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_LINK) {
            const char *url = cmark_node_get_url(node);
            int line = cmark_node_get_start_line(node);
            if (line < 1) {
                cmark_node *p = cmark_node_parent(node);
                while (p && cmark_node_get_start_line(p) < 1) p = cmark_node_parent(p);
                line = p ? cmark_node_get_start_line(p) : 0;
            }
            /* Links of included files are relative to those files: not ours to check. */
            if (!S_md_is_internal(url) || (line >= 1 && line <= m->pre.nOut && m->pre.aInc[line - 1])) continue;
            if (m->doc->nLink == capLink) {
                capLink = capLink ? capLink * 2 : 16;
                m->doc->aLink = kb_xrealloc(m->doc->aLink, (size_t)capLink * sizeof *m->doc->aLink);
            }
            m->doc->aLink[m->doc->nLink].target = kb_xstrdup(url);
            m->doc->aLink[m->doc->nLink].line = S_md_orig(m, line);
            m->doc->nLink++;
        } else if (kb_cmark_is(node, "table")) {
            S_md_check_table(m, node);
        } else if (kb_cmark_is(node, "code_block")) {
            S_md_check_fence(m, node);
        } else if (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING || kb_cmark_is(node, "table_cell")) {
            S_md_check_references(m, node);
        }
    }
    cmark_iter_free(it);
}

/* Feeds the blocks of one top-level node of a section to the error ID
 * extractor. Subtrees handled as a whole are skipped by resetting the
 * iterator to their exit event. */
static void S_md_ids_pass(cmark_node *top, kb_errid_list *ids) {
    kb_buf b = {0};
    cmark_iter *it = cmark_iter_new(top);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        kb_buf_reset(&b);
        if (t == CMARK_NODE_HEADING || t == CMARK_NODE_PARAGRAPH) {
            S_md_inline_text(node, 0, &b);
            kb_errid_extract(ids, t == CMARK_NODE_HEADING ? KB_BLOCK_HEADING : KB_BLOCK_PARAGRAPH, kb_buf_str(&b), b.n,
                             NULL);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
        } else if (t == CMARK_NODE_CODE_BLOCK) {
            const char *lit = cmark_node_get_literal(node);
            if (lit) kb_errid_extract(ids, KB_BLOCK_CODE, lit, strlen(lit), NULL);
        } else if (t == CMARK_NODE_HTML_BLOCK) {
            const char *lit = cmark_node_get_literal(node);
            if (lit) kb_html_to_text(lit, strlen(lit), &b);
            if (b.n) kb_errid_extract(ids, KB_BLOCK_PARAGRAPH, kb_buf_str(&b), b.n, NULL);
        } else if (kb_cmark_is(node, "table")) {
            /* Header texts first: a cell's meaning depends on its column. */
            char **aHead = NULL;
            int nHead = 0;
            cmark_node *row = cmark_node_first_child(node);
            if (row && kb_cmark_is(row, "table_header")) {
                for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c)) {
                    kb_buf_reset(&b);
                    S_md_inline_text(c, 1, &b);
                    aHead = kb_xrealloc(aHead, (size_t)(nHead + 1) * sizeof *aHead);
                    aHead[nHead++] = S_md_trimmed(&b);
                }
                row = cmark_node_next(row);
            }
            for (; row; row = cmark_node_next(row)) {
                int iCol = 0;
                for (cmark_node *c = cmark_node_first_child(row); c; c = cmark_node_next(c), iCol++) {
                    kb_buf_reset(&b);
                    S_md_inline_text(c, 1, &b);
                    kb_errid_extract(ids, KB_BLOCK_CELL, kb_buf_str(&b), b.n, iCol < nHead ? aHead[iCol] : NULL);
                }
            }
            for (int k = 0; k < nHead; k++) free(aHead[k]);
            free(aHead);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
        }
    }
    cmark_iter_free(it);
    kb_buf_free(&b);
}

/* A section in the making: where it starts and what the heading said. */
typedef struct S_cut {
    cmark_node *heading;   /* NULL for a document with no heading */
    cmark_node *first;     /* first top-level node of the section */
    int line;              /* first preprocessed line of the section */
} S_cut;

static void S_md_render(S_md *m, kb_section *s) {
    kb_view_build(s->markdown, m->o->docPath, KB_LABELS_MARKED, &s->view);
    s->errtext = kb_view_errtext(&s->view);
}

/* Preprocesses the document into m->pre.out and finds where each of its
 * lines starts. */
static void S_md_preprocess(S_md *m, const char *src, size_t n) {
    const kb_md_opts *o = m->o;
    m->pre.o = o;
    m->pre.doc = m->doc;
    m->pre.maxDepth = o->maxIncludeDepth > 0 ? o->maxIncludeDepth : KB_MD_DEFAULT_INCLUDE_DEPTH;
    if (m->pre.maxDepth > KB_MD_MAX_INCLUDE_DEPTH) m->pre.maxDepth = KB_MD_MAX_INCLUDE_DEPTH;
    m->pre.aChain[m->pre.nChain++] = kb_xstrdup(o->docPath ? o->docPath : "");
    m->pre.nRead = n;
    S_pre_text(&m->pre, src, n, "", 0, 0);
    free(m->pre.aChain[0]);
    if (!m->pre.out.z) kb_buf_adds(&m->pre.out, "");

    const char *zPre = m->pre.out.z;
    m->nLine = m->pre.nOut;
    m->aLineOff = kb_xmalloc(((size_t)m->nLine + 1) * sizeof *m->aLineOff);
    m->aLineOff[0] = 0;
    for (size_t i = 0, k = 0; i < m->pre.out.n && k < (size_t)m->nLine; i++)
        if (zPre[i] == '\n') m->aLineOff[++k] = i + 1;
}

/* Where the sections start: top-level headings of level 1-3 (a heading
 * nested in a list item or quote is part of that block, not document
 * structure), or the whole document when it has text but no heading. */
static S_cut *S_md_cuts(const S_md *m, cmark_node *root, int *pnCut) {
    S_cut *aCut = NULL;
    int nCut = 0, capCut = 0;
    for (cmark_node *node = cmark_node_first_child(root); node; node = cmark_node_next(node)) {
        if (cmark_node_get_type(node) != CMARK_NODE_HEADING || cmark_node_get_heading_level(node) > 3) continue;
        if (nCut == capCut) {
            capCut = capCut ? capCut * 2 : 16;
            aCut = kb_xrealloc(aCut, (size_t)capCut * sizeof *aCut);
        }
        S_cut *c = &aCut[nCut++];
        c->heading = node;
        c->first = node;
        c->line = cmark_node_get_start_line(node);
        /* "<a id="cause1"></a>" just above: the section starts there. */
        cmark_node *prev = cmark_node_previous(node);
        if (S_md_anchor_block(m, prev, NULL, NULL)) {
            c->first = prev;
            c->line = cmark_node_get_start_line(prev);
        }
    }
    int text = 0;
    for (size_t i = 0; !text && i < m->pre.out.n; i++) text = !S_md_is_space(m->pre.out.z[i]);
    if (nCut == 0 && text) {
        aCut = kb_xrealloc(aCut, sizeof *aCut);
        aCut[0].heading = NULL;
        nCut = 1;
    }
    if (nCut > 0) {
        /* Text before the first heading belongs to the first section. */
        aCut[0].line = 1;
        aCut[0].first = cmark_node_first_child(root);
    }
    *pnCut = nCut;
    return aCut;
}

/* What a document with text but no heading calls its one section: its
 * title, else its file's name ("nohead" for es-es/nohead.md), so that it
 * is never listed or shown as a blank line. */
static char *S_md_headless_name(const S_md *m) {
    if (m->doc->title && *m->doc->title) return kb_xstrdup(m->doc->title);
    const char *path = m->o->docPath ? m->o->docPath : "";
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path, *dot = strrchr(base, '.');
    return kb_xasprintf("%.*s", (int)(dot && dot > base ? dot - base : (ptrdiff_t)strlen(base)), base);
}

/* Section s's heading, level and line, from its cut. The anchor names it
 * gave are returned: in the heading (aIn) and on the line above (aPre). */
static void S_md_heading(const S_md *m, kb_section *s, const S_cut *c, char ***paIn, int *pnIn, char ***paPre,
                         int *pnPre) {
    if (!c->heading) {
        s->heading = S_md_headless_name(m);
        s->level = 0;
        s->line = 1;
        return;
    }
    if (c->first != c->heading) S_md_anchor_block(m, c->first, paPre, pnPre);
    s->heading = S_md_heading_text(c->heading, paIn, pnIn);
    s->level = cmark_node_get_heading_level(c->heading);
    s->line = S_md_orig(m, cmark_node_get_start_line(c->heading));
}

static void S_md_alias_push(kb_section *s, char *zName) {
    s->aAlias = kb_xrealloc(s->aAlias, (size_t)(s->nAlias + 1) * sizeof *s->aAlias);
    s->aAlias[s->nAlias++] = zName;
}

/* zName, an explicit anchor on line, as an alias of s, unless the document
 * has it already (a warning). Takes it. */
static void S_md_alias_add(S_md *m, kb_section *s, S_anchor_set *set, int line, char *zName) {
    if (S_set_has(set, zName)) {
        S_md_diag(m->doc, line, KB_DIAG_WARNING, KB_DIAG_DUPLICATE_ANCHOR, _("duplicate anchor \"%s\""), zName);
        free(zName);
        return;
    }
    S_set_add(set, zName);
    S_md_alias_push(s, zName);
}

/* Section s's anchor and aliases. The anchor is the heading's own: its
 * first explicit name, else the slug DocFX generated. Everything else that
 * pointed here is an alias. All of them are unique within the document
 * (set). Takes the names. */
static void S_md_name(S_md *m, kb_section *s, S_anchor_set *set, char **aIn, int nIn, char **aPre, int nPre) {
    if (nIn > 0) {
        s->anchor = kb_xstrdup(aIn[0]);
        if (S_set_claim(set, &s->anchor))
            S_md_diag(m->doc, s->line, KB_DIAG_WARNING, KB_DIAG_DUPLICATE_ANCHOR,
                      _("duplicate anchor \"%s\" (renamed \"%s\")"), aIn[0], s->anchor);
    } else {
        s->anchor = kb_md_slug(s->heading, strlen(s->heading));
        S_set_claim(set, &s->anchor);
    }
    for (int k = nIn > 0 ? 1 : 0; k < nIn + nPre; k++)
        S_md_alias_add(m, s, set, s->line, k < nIn ? aIn[k] : aPre[k - nIn]);
    if (nIn > 0) free(aIn[0]);
    free(aIn);
    free(aPre);
}

/* Section s's breadcrumb: the headings down to its own, by level, from
 * aCrumb, the last heading seen at each level (updated). */
static void S_md_breadcrumb(kb_section *s, char *aCrumb[3]) {
    if (s->level < 1) return;
    free(aCrumb[s->level - 1]);
    aCrumb[s->level - 1] = kb_xstrdup(s->heading);
    for (int k = s->level; k < 3; k++) free(aCrumb[k]), aCrumb[k] = NULL;
    for (int k = 0; k < s->level; k++) s->breadcrumb[k] = aCrumb[k] ? kb_xstrdup(aCrumb[k]) : NULL;
}

/* The link reference definitions: what cmark consumed between top-level
 * blocks without making a block of it (blank lines aside). Lines inside
 * blocks that look like definitions are kept too, to explain references
 * that find none. */
static void S_md_refdefs(S_md *m, cmark_node *root) {
    int next = 1; /* the first line no block seen so far covers */
    for (cmark_node *node = cmark_node_first_child(root);; node = cmark_node_next(node)) {
        int start = node ? cmark_node_get_start_line(node) : m->nLine + 1;
        int end = node ? cmark_node_get_end_line(node) : 0;
        for (int k = next; k <= m->nLine && (k < start || k <= end); k++) {
            const char *z = m->pre.out.z + m->aLineOff[k - 1];
            size_t n = m->aLineOff[k] - m->aLineOff[k - 1];
            if (n > 0 && z[n - 1] == '\n') n--;
            if (k >= start) kb_refdefs_add_stray(&m->defs, k, z, n);
            else if (!S_md_is_blank(z, n)) kb_refdefs_add_line(&m->defs, k, z, n);
        }
        if (!node) break;
        if (end >= next) next = end + 1;
    }
}

/* Section s's Markdown: the preprocessed lines [lineFrom, lineTo), and the
 * definitions of the reference links it uses from elsewhere. */
static void S_md_slice(S_md *m, kb_section *s, int lineFrom, int lineTo) {
    if (lineFrom < 1) lineFrom = 1;
    if (lineFrom > m->nLine + 1) lineFrom = m->nLine + 1;
    if (lineTo > m->nLine + 1) lineTo = m->nLine + 1;
    if (lineTo < lineFrom) lineTo = lineFrom;
    size_t off0 = m->aLineOff[lineFrom - 1], off1 = m->aLineOff[lineTo - 1];
    kb_buf b = {0};
    kb_buf_add(&b, m->pre.out.z + off0, off1 - off0);
    kb_refdefs_append_used(&m->defs, lineFrom, lineTo, &b);
    s->markdown = b.z ? kb_buf_detach(&b) : kb_xstrdup("");
}

/* The anchors of the headings inside the section (level 4 and deeper cut
 * no section), as its aliases: a link to one ("#clean-up-from-the-portal")
 * is a link into this section, which --show must find. Claimed in document
 * order, so that a slug two headings share is numbered as DocFX numbers it. */
static void S_md_inner_anchors(S_md *m, kb_section *s, const S_cut *c, cmark_node *stop, S_anchor_set *set) {
    for (cmark_node *node = c->first; node && node != stop; node = cmark_node_next(node)) {
        if (node == c->heading || cmark_node_get_type(node) != CMARK_NODE_HEADING) continue;
        char **aName = NULL;
        int nName = 0;
        char *zText = S_md_heading_text(node, &aName, &nName);
        char *zFirst = nName > 0 ? aName[0] : kb_md_slug(zText, strlen(zText));
        if (*zFirst) {
            S_set_claim(set, &zFirst);
            S_md_alias_push(s, zFirst);
        } else {
            free(zFirst);
        }
        int line = S_md_orig(m, cmark_node_get_start_line(node));
        for (int k = 1; k < nName; k++) S_md_alias_add(m, s, set, line, aName[k]);
        free(aName);
        free(zText);
    }
}

/* Fills section i of the document from its cut. */
static void S_md_section(S_md *m, const S_cut *aCut, int nCut, int i, S_anchor_set *set, char *aCrumb[3]) {
    kb_section *s = &m->doc->aSection[i];
    const S_cut *c = &aCut[i];
    char **aIn = NULL, **aPre = NULL;
    int nIn = 0, nPre = 0;
    S_md_heading(m, s, c, &aIn, &nIn, &aPre, &nPre);
    S_md_name(m, s, set, aIn, nIn, aPre, nPre);
    cmark_node *stop = i + 1 < nCut ? aCut[i + 1].first : NULL;
    S_md_inner_anchors(m, s, c, stop, set);
    S_md_breadcrumb(s, aCrumb);
    S_md_slice(m, s, c->line, i + 1 < nCut ? aCut[i + 1].line : m->nLine + 1);
    if (m->o->anchorsOnly) return;
    /* Error IDs: the section's top-level nodes. */
    for (cmark_node *node = c->first; node && node != stop; node = cmark_node_next(node))
        S_md_ids_pass(node, &s->ids);
    S_md_render(m, s);
}

/* Whether the line z[0..n) starts a list item: "- ", "* ", "+ ", "1. ",
 * "1) " after its indentation and quote markers. */
static int S_md_item_line(const char *z, size_t n) {
    size_t i = S_md_lead(z, n), digits = 0;
    while (i + digits < n && digits < 10 && z[i + digits] >= '0' && z[i + digits] <= '9') digits++;
    if (digits) i += digits;
    if (i + 1 >= n) return 0;
    int marker = digits ? z[i] == '.' || z[i] == ')' : z[i] == '-' || z[i] == '*' || z[i] == '+';
    return marker && (z[i + 1] == ' ' || z[i + 1] == '\t');
}

/* Whether the line z[0..n) may make a heading: "#" to "######" then a
 * space or its end, or a line of '=' or '-' alone (a setext underline, or
 * a rule: counted all the same), after its indentation and quote markers. */
static int S_md_heading_line(const char *z, size_t n) {
    size_t i = S_md_lead(z, n), hashes = 0;
    while (i + hashes < n && hashes < 7 && z[i + hashes] == '#') hashes++;
    if (hashes) return hashes <= 6 && (i + hashes == n || z[i + hashes] == ' ' || z[i + hashes] == '\t');
    if (i == n || (z[i] != '=' && z[i] != '-')) return 0;
    char c = z[i];
    while (i < n && (z[i] == c || z[i] == ' ' || z[i] == '\t' || z[i] == '\r')) i++;
    return i == n;
}

/* What the line's inline nodes cost, in quarters of a mark of about 1 KB:
 * the bytes that cmark makes nodes of (emphasis, code spans, links, HTML,
 * entities, escapes, strikethrough: a few hundred bytes to 1.4 KB each,
 * in the two trees a section is parsed into) a mark each, and "www." and
 * "://" too; the other bytes that end a text node ('!', ']', and the
 * autolink extension's 'w' and ':': 500,000 "w " took 136 MB) a quarter.
 * An e-mail address counts 10: Debian's cmark-gfm copies the rest of the
 * text at each one (40,000 in a paragraph took 560 MB, 400,000 5.5 GB). */
static size_t S_md_inline_quarters(const char *z, size_t n) {
    size_t nQuarter = 0;
    for (size_t i = 0; i < n; i++)
        switch (z[i]) {
        case '*': case '_': case '`': case '[': case '<': case '&': case '\\': case '~': nQuarter += 4; break;
        case '@': nQuarter += 40; break;
        case 'w': nQuarter += n - i >= 4 && memcmp(z + i, "www.", 4) == 0 ? 4 : 1; break;
        case ':': nQuarter += n - i >= 3 && memcmp(z + i, "://", 3) == 0 ? 4 : 1; break;
        case '!': case ']': nQuarter++; break;
        }
    return nQuarter;
}

/* How many block quotes and list items the line's start is inside: its
 * '>' and list markers ("> - > 1. "). cmark makes a node of each level a
 * line opens (3 MB of "- " on one line took 775 MB), however deep it
 * flattens them after (kb_cmark_parse). */
static size_t S_md_container_depth(const char *z, size_t n) {
    size_t depth = 0, i = 0;
    for (;;) {
        while (i < n && (z[i] == ' ' || z[i] == '\t')) i++;
        size_t digits = 0;
        while (i + digits < n && digits < 10 && z[i + digits] >= '0' && z[i + digits] <= '9') digits++;
        if (i < n && z[i] == '>') {
            i++;
        } else if (i + digits + 1 < n && (digits ? z[i + digits] == '.' || z[i + digits] == ')'
                                                 : z[i] == '-' || z[i] == '*' || z[i] == '+') &&
                   (z[i + digits + 1] == ' ' || z[i + digits + 1] == '\t')) {
            i += digits + 1;
        } else {
            return depth;
        }
        depth++;
    }
}

/* Why Markdown would cost far more to parse than its size says, or NULL:
 * more '|' than KB_MD_MAX_CELLS, more list items than KB_MD_MAX_ITEMS,
 * more headings than KB_MD_MAX_HEADINGS, more lines than KB_MD_MAX_LINES,
 * more inline marks and container levels opened than KB_MD_MAX_MARKS, or
 * between two blank lines more pairs of an emphasis mark and a link than
 * KB_MD_MAX_PARAGRAPH_PAIRS. (A heading too long is told once parsed:
 * S_md_long_heading.) Fenced code counts too: which lines cmark reads as a fence depends on lists, quotes
 * and HTML blocks this scan does not know, and an indented "```" taken
 * for one had let 2 MB of list items through (745 MB). The Azure docs
 * count the same with their code. Each table cell is cmark nodes of about
 * 1 KB: 2,000 columns by 1,000 rows (4 MB) took 1.9 GB. English, as every
 * diagnostic. */
_Static_assert(KB_MD_MAX_CELLS == 100000 && KB_MD_MAX_ITEMS == 100000 && KB_MD_MAX_HEADINGS == 100000 &&
                   KB_MD_MAX_LINES == 200000 && KB_MD_MAX_MARKS == 200000 && KB_MD_MAX_PARAGRAPH_PAIRS == 100000000,
               "S_md_too_costly's messages say so");

static const char *S_md_too_costly(const char *z, size_t n) {
    size_t nPipe = 0, nItem = 0, nHeading = 0, nLine = 0, nQuarter = 0, depth = 0;
    uint64_t runEmphasis = 0, runLinks = 0; /* since the last blank line */
    for (const char *p = z; (p = memchr(p, '|', n - (size_t)(p - z))) != NULL; p++)
        if (++nPipe > KB_MD_MAX_CELLS) return N_("more than 100000 table cells ('|')");
    for (const char *line = z, *end = z + n, *next; line < end; line = next) {
        const char *eol = memchr(line, '\n', (size_t)(end - line));
        size_t len = eol ? (size_t)(eol - line) : (size_t)(end - line);
        next = line + len + 1;
        if (S_md_is_blank(line, len)) {
            runEmphasis = runLinks = 0;
            continue;
        }
        if (S_md_item_line(line, len) && ++nItem > KB_MD_MAX_ITEMS) return N_("more than 100000 list items");
        if (S_md_heading_line(line, len) && ++nHeading > KB_MD_MAX_HEADINGS) return N_("more than 100000 headings");
        if (++nLine > KB_MD_MAX_LINES) return N_("more than 200000 lines");
        size_t newDepth = S_md_container_depth(line, len);
        size_t quarters = S_md_inline_quarters(line, len) + 4 * (newDepth > depth ? newDepth - depth : 0);
        depth = newDepth;
        if ((nQuarter += quarters) > 4 * (size_t)KB_MD_MAX_MARKS)
            return N_("more than 200000 inline marks (* _ ` [ < & \\ ~, links, e-mail addresses) and nested quotes or lists");
        /* cmark matches emphasis against links across a paragraph: one of
         * 660 KB that mixes them took 17 s, the same text in paragraphs 1 s;
         * either alone is fast */
        for (size_t i = 0; i < len; i++) {
            runEmphasis += line[i] == '*' || line[i] == '_';
            runLinks += line[i] == '[';
        }
        if (runEmphasis * runLinks > KB_MD_MAX_PARAGRAPH_PAIRS)
            return N_("a paragraph with over 100000000 pairs of emphasis marks and links");
    }
    return NULL;
}

/* Whether a top-level heading of the parsed document is longer than
 * KB_MD_MAX_HEADING_BYTES, with a setext heading's lines: a heading is the
 * section's title, anchor, breadcrumb and heading key, and costs some 70
 * times its size. */
_Static_assert(KB_MD_MAX_HEADING_BYTES == 65536, "S_md_build's message says so");

static int S_md_long_heading(const S_md *m, cmark_node *root) {
    for (cmark_node *node = cmark_node_first_child(root); node; node = cmark_node_next(node)) {
        if (cmark_node_get_type(node) != CMARK_NODE_HEADING) continue;
        int first = cmark_node_get_start_line(node), last = cmark_node_get_end_line(node);
        if (first < 1 || last < first || last > m->nLine) continue;
        if (m->aLineOff[last] - m->aLineOff[first - 1] > KB_MD_MAX_HEADING_BYTES) return 1;
    }
    return 0;
}

/* The preprocessed document's sections, into m->doc; or, when a heading is
 * too long, why not (English, as S_md_too_costly's). */
static const char *S_md_build(S_md *m) {
    kb_doc *doc = m->doc;
    cmark_node *root = kb_cmark_parse(m->pre.out.z, m->pre.out.n);
    if (S_md_long_heading(m, root)) {
        cmark_node_free(root);
        return N_("a heading longer than 64 KB");
    }
    S_md_refdefs(m, root);
    S_md_doc_pass(m, root);
    int nCut = 0;
    S_cut *aCut = S_md_cuts(m, root, &nCut);
    doc->aSection = nCut ? kb_xcalloc((size_t)nCut, sizeof *doc->aSection) : NULL;
    doc->nSection = nCut;
    S_anchor_set set = {0};
    char *aCrumb[3] = {NULL, NULL, NULL};
    for (int i = 0; i < nCut; i++) S_md_section(m, aCut, nCut, i, &set, aCrumb);
    for (int k = 0; k < 3; k++) free(aCrumb[k]);
    free(set.aKey);
    free(set.aNext);
    free(aCut);
    cmark_node_free(root);
    return NULL;
}

int kb_md_parse(const char *src, size_t n, const kb_md_opts *o, kb_doc *doc) {
    static const kb_md_opts oDefault = {0};
    memset(doc, 0, sizeof *doc);
    S_md m = {.o = o ? o : &oDefault, .doc = doc};
    if (!src) n = 0, src = "";
    S_md_preprocess(&m, src, n);
    if ((doc->tooCostly = S_md_too_costly(m.pre.out.z, m.pre.out.n)) == NULL) doc->tooCostly = S_md_build(&m);
    if (doc->tooCostly) S_md_diag(doc, 0, KB_DIAG_ERROR, KB_DIAG_TOO_COSTLY, "%s", _(doc->tooCostly));
    free(m.aLineOff);
    kb_refdefs_free(&m.defs);
    kb_buf_free(&m.pre.out);
    free(m.pre.aOrig);
    free(m.pre.aInc);
    return KB_OK;
}

void kb_doc_free(kb_doc *doc) {
    if (!doc) return;
    for (int i = 0; i < doc->nSection; i++) {
        kb_section *s = &doc->aSection[i];
        free(s->anchor);
        free(s->heading);
        free(s->markdown);
        kb_view_free(&s->view);
        free(s->errtext);
        for (int k = 0; k < 3; k++) free(s->breadcrumb[k]);
        for (int k = 0; k < s->nAlias; k++) free(s->aAlias[k]);
        free(s->aAlias);
        kb_errid_list_free(&s->ids);
    }
    free(doc->aSection);
    for (int i = 0; i < doc->nDiag; i++) {
        free(doc->aDiag[i].message);
        free(doc->aDiag[i].cycleFile);
    }
    free(doc->aDiag);
    for (int i = 0; i < doc->nLink; i++) free(doc->aLink[i].target);
    free(doc->aLink);
    free(doc->title);
    free(doc->description);
    free(doc->topic);
    free(doc->date);
    free(doc->locale);
    memset(doc, 0, sizeof *doc);
}
