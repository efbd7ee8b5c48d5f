/* kb_cmark.c: see kb_cmark.h. */
#include "kb_cmark.h"

#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t S_extensions_once = PTHREAD_ONCE_INIT;

static void S_register_extensions(void) { cmark_gfm_core_extensions_ensure_registered(); }

static void S_attach(cmark_parser *parser, const char *name) {
    cmark_syntax_extension *ext = cmark_find_syntax_extension(name);
    if (ext) cmark_parser_attach_syntax_extension(parser, ext);
}

cmark_node *kb_cmark_parse(const char *md, size_t n) {
    pthread_once(&S_extensions_once, S_register_extensions);
    /* Raw HTML stays in the tree (UNSAFE): table cells carry <br> and <ul>
     * that we turn into text ourselves. Nothing here is ever rendered as HTML. */
    cmark_parser *parser = cmark_parser_new(CMARK_OPT_UNSAFE | CMARK_OPT_FOOTNOTES);
    S_attach(parser, "table");
    S_attach(parser, "strikethrough");
    S_attach(parser, "autolink");
    S_attach(parser, "tasklist");
    cmark_parser_feed(parser, md, n);
    cmark_node *doc = cmark_parser_finish(parser);
    cmark_parser_free(parser);
    return doc;
}

int kb_cmark_is(cmark_node *node, const char *name) {
    const char *type = cmark_node_get_type_string(node);
    return type && strcmp(type, name) == 0;
}
