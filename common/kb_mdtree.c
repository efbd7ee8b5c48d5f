/* kb_mdtree.c: see kb_mdtree.h. */
#include "kb_mdtree.h"
#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_reflink.h"
#include "kb_util.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The bytes of the control character a terminal would obey at z[0] (of
 * n), 0 if none: C0 but line breaks and tabs, DEL, and C1 (U+0080-U+009F:
 * some terminals take U+009B for ESC [). */
static size_t S_control_at(const char *z, size_t n) {
    unsigned char c = (unsigned char)z[0];
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7F) return 1;
    return c == 0xC2 && n > 1 && (unsigned char)z[1] >= 0x80 && (unsigned char)z[1] <= 0x9F ? 2 : 0;
}

/* Copies md without the control characters a terminal would obey. */
static char *S_sanitize(const char *md, size_t n, size_t *pn) {
    char *z = kb_xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        size_t skip = S_control_at(md + i, n - i);
        if (skip) i += skip;
        else z[k++] = md[i++];
    }
    z[k] = 0;
    *pn = k;
    return z;
}

/* 1 if the inline HTML z is an anchor that only names a place, the way
 * older docs give a heading its id: '<a name="x">', "<a id='x'/>". */
static int S_anchor_tag(const char *z) {
    if (strncasecmp(z, "<a", 2) != 0 || !isspace((unsigned char)z[2])) return 0;
    z += 3;
    while (isspace((unsigned char)*z)) z++;
    size_t nAttr = strncasecmp(z, "name", 4) == 0 ? 4 : strncasecmp(z, "id", 2) == 0 ? 2 : 0;
    if (!nAttr) return 0;
    for (z += nAttr; isspace((unsigned char)*z); z++) {}
    if (*z++ != '=') return 0;
    while (isspace((unsigned char)*z)) z++;
    char quote = *z++;
    const char *end = quote == '"' || quote == '\'' ? strchr(z, quote) : NULL;
    if (!end) return 0;
    for (z = end + 1; isspace((unsigned char)*z); z++) {}
    if (*z == '/') z++;
    return z[0] == '>' && z[1] == 0;
}

/* Inline HTML read as a reader reads it, in every rendering:
 * - a placeholder ("<IP address or FQDN of the web proxy server>",
 *   kb_html_is_text) becomes the text node it is meant to be: the text, the
 *   remediation records and the index read its words, and the Markdown
 *   escapes it ("\<IP address ...\>") where a viewer would drop it;
 * - an anchor that only names a place (S_anchor_tag), with the "</a>" that
 *   closes it, is taken out: nobody sees it, and the Markdown a bot pastes
 *   into a chat showed it ("## <a name="public-ip"></a>Direcciones IP").
 *   The section's anchors are the index's business (kb_md).
 * Changed after the walk: a cmark_iter must not lose the node it stands on. */
static int S_is_inline_html(cmark_node *node) { return cmark_node_get_type(node) == CMARK_NODE_HTML_INLINE; }

static void S_tidy_inline_html(cmark_node *doc) {
    size_t nNode = 0;
    cmark_node **a = kb_cmark_collect(doc, S_is_inline_html, &nNode);
    for (size_t i = 0; i < nNode; i++) {
        const char *z = a[i] ? cmark_node_get_literal(a[i]) : NULL;
        if (!z) continue;
        if (kb_html_is_text(z, strlen(z))) {
            cmark_node *text = cmark_node_new(CMARK_NODE_TEXT);
            cmark_node_set_literal(text, z);
            cmark_node_replace(a[i], text);
            cmark_node_free(a[i]);
        } else if (S_anchor_tag(z)) {
            int selfClosing = z[strlen(z) - 2] == '/';
            const char *zNext = i + 1 < nNode && a[i + 1] == cmark_node_next(a[i]) ? cmark_node_get_literal(a[i + 1]) : NULL;
            if (!selfClosing && zNext && strcasecmp(zNext, "</a>") == 0) {
                cmark_node_free(a[i + 1]); /* unlinks it */
                a[i + 1] = NULL;
            }
            cmark_node_free(a[i]);
        }
    }
    free(a);
}

/* Sets a field of node x (get, set: its text, link target or title)
 * without the control characters a terminal would obey, if it has any. */
static void S_drop_controls(cmark_node *x, const char *(*get)(cmark_node *), int (*set)(cmark_node *, const char *)) {
    const char *z = get(x);
    size_t n = z ? strlen(z) : 0, i = 0;
    while (i < n && !S_control_at(z + i, n - i)) i++;
    if (i == n) return;
    char *clean = S_sanitize(z, n, &n);
    set(x, clean);
    free(clean);
}

/* The text, link targets and titles of doc without the control characters
 * its character references wrote ("&#x9b;2J" is ESC [ 2J to a terminal):
 * S_sanitize only saw them as references. */
static void S_drop_referenced_controls(cmark_node *doc) {
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *x = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(x);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (type == CMARK_NODE_TEXT) S_drop_controls(x, cmark_node_get_literal, cmark_node_set_literal);
        if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
        S_drop_controls(x, cmark_node_get_url, cmark_node_set_url);
        S_drop_controls(x, cmark_node_get_title, cmark_node_set_title);
    }
    cmark_iter_free(it);
}

static cmark_node *S_parse(const char *md, size_t n) {
    size_t nClean;
    char *z = S_sanitize(md ? md : "", md ? n : 0, &nClean);
    cmark_node *doc = kb_cmark_parse(z, nClean);
    free(z);
    kb_reflink_unbracket(doc); /* "[Instalar el kit][]" with no definition shows as its text */
    S_tidy_inline_html(doc);
    S_drop_referenced_controls(doc);
    return doc;
}

struct kb_mdtree {
    cmark_node *doc;
};

kb_mdtree *kb_mdtree_parse(const char *md, size_t n) {
    kb_mdtree *d = kb_xcalloc(1, sizeof *d);
    d->doc = S_parse(md, n);
    return d;
}

void kb_mdtree_free(kb_mdtree *d) {
    if (!d) return;
    cmark_node_free(d->doc);
    free(d);
}

cmark_node *kb_mdtree_root(const kb_mdtree *d) { return d->doc; }
