/* kb_html.h: inline HTML fragments (table cells, raw HTML blocks) as text.
 *
 * DocFX tables carry their structure in HTML inside cells; cmark-gfm hands
 * such HTML over as it is. These read it as a reader sees it. */
#ifndef KB_HTML_H
#define KB_HTML_H

#include <stddef.h>

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
