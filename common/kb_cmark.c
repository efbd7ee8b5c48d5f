/* kb_cmark.c: see kb_cmark.h. */
#include "kb_cmark.h"

#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t S_extensions_once = PTHREAD_ONCE_INIT;

/* cmark-gfm 0.29 keeps the table of characters that start an inline
 * extension (autolink's ':' and 'w', strikethrough's '~') in one global
 * array, which every parser sets when it starts parsing inlines and clears
 * when it is done: a worker thread finishing a parse cleared it under
 * another that was still parsing, which then missed autolinks now and then
 * (kb-index gave different indexes of the same tree). So the inline phase,
 * cmark_parser_finish, runs one thread at a time; the block phase does not
 * touch that table. */
static pthread_mutex_t S_inline_mutex = PTHREAD_MUTEX_INITIALIZER;

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
    pthread_mutex_lock(&S_inline_mutex);
    cmark_node *doc = cmark_parser_finish(parser);
    pthread_mutex_unlock(&S_inline_mutex);
    cmark_parser_free(parser);
    return doc;
}

int kb_cmark_is(cmark_node *node, const char *name) {
    const char *type = cmark_node_get_type_string(node);
    return type && strcmp(type, name) == 0;
}
