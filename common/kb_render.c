/* STUB so other modules link: to be replaced by the real renderer. */
#include "kb_render.h"
#include "kb_cmark.h"
#include "kb_util.h"
#include <stdlib.h>
#include <string.h>

void kb_render_text(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out) {
    cmark_node *doc = kb_cmark_parse(md, n);
    char *z = cmark_render_plaintext(doc, CMARK_OPT_DEFAULT, o ? o->width : 0);
    kb_buf_adds(out, z);
    free(z);
    cmark_node_free(doc);
}
void kb_render_markdown(const char *md, size_t n, const kb_render_opts *o, struct kb_buf *out) {
    cmark_node *doc = kb_cmark_parse(md, n);
    char *z = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    kb_buf_adds(out, z);
    free(z);
    cmark_node_free(doc);
}
void kb_remedy_extract(const char *md, size_t n, kb_remedy **paRemedy, int *pnRemedy) { *paRemedy = NULL; *pnRemedy = 0; }
void kb_remedy_free(kb_remedy *a, int n) { free(a); }
void kb_links_extract(const char *md, size_t n, const char *docPath, kb_link **paLink, int *pnLink) { *paLink = NULL; *pnLink = 0; }
void kb_links_free(kb_link *a, int n) { free(a); }
void kb_html_to_text(const char *html, size_t n, struct kb_buf *out) { kb_buf_add(out, html, n); }
