/* kb_cmark.h: cmark-gfm with the extensions DocFX Markdown needs.
 *
 * Every parse in kb goes through here so that pipe tables, strikethrough,
 * autolinks and tag filtering are always on. Debian's headers do not declare
 * the table node types, so node kinds are compared by type string. */
#ifndef KB_CMARK_H
#define KB_CMARK_H

#include <cmark-gfm.h>
#include <stddef.h>

/* Parses Markdown into a document node; caller frees with cmark_node_free.
 * Block quotes and list items nested more than 32 deep are flattened: the
 * blocks below hold their text at that depth, as rendering them costs the
 * square of their depth. */
cmark_node *kb_cmark_parse(const char *md, size_t n);

/* 1 if node's type string is name ("table", "table_row", "table_cell",
 * "table_header"...). */
int kb_cmark_is(cmark_node *node, const char *name);

/* Converts a fragment of inline HTML as found in table cells ("<br>", "<ul>
 * <li>", "<ol>", "<p>", "<b>", "</br>", entities) into plain text lines,
 * appending to out: lists become "- item" / "1. item" lines, breaks become
 * newlines, other tags vanish. */
struct kb_buf;
void kb_html_to_text(const char *html, size_t n, struct kb_buf *out);

/* 1 if the tag z[0..n) ("<...>", as cmark-gfm reads inline HTML) is text the
 * author meant to be read: a placeholder such as "<IP address or FQDN of
 * the web proxy server>", "<your-resource-group>" or "<subscription ID>",
 * whose name is no HTML element (or an element's name followed by two
 * words and no attribute value: "<Data source name>"). kb_html_to_text
 * shows it as written; HTML tags, comments, namespaced markup ("<o:p>")
 * and DocFX's "<properties .../>" stay markup. */
int kb_html_is_text(const char *z, size_t n);

#endif
