/* kb_cmark.c: see kb_cmark.h. */
#include "kb_cmark.h"

#include <cmark-gfm-core-extensions.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kb_util.h"

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

/* Block quotes and list items nested deeper than this are flattened
 * (S_flatten_deep). */
#define KB_CMARK_MAX_DEPTH 32

/* A block quote, list or list item (a footnote too): a block that holds
 * blocks. */
static int S_is_container(cmark_node *node) {
    cmark_node_type t = cmark_node_get_type(node);
    return t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_LIST || t == CMARK_NODE_ITEM ||
           t == CMARK_NODE_FOOTNOTE_DEFINITION;
}

/* The blocks under target that hold no block (paragraphs, headings, code,
 * tables), moved to be its children, in order; the containers that held
 * them are freed. target can hold any block (a quote, an item). */
static void S_flatten_into(cmark_node *target) {
    size_t nLeaf = 0, cap = 16;
    cmark_node **aLeaf = kb_xcalloc(cap, sizeof *aLeaf);
    cmark_iter *it = cmark_iter_new(target);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || node == target || S_is_container(node)) continue;
        if (nLeaf == cap) aLeaf = kb_xrealloc(aLeaf, (cap *= 2) * sizeof *aLeaf);
        aLeaf[nLeaf++] = node;
        cmark_iter_reset(it, node, CMARK_EVENT_EXIT); /* its inlines, a table's rows: not blocks to move */
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < nLeaf; i++) cmark_node_unlink(aLeaf[i]);
    for (cmark_node *child; (child = cmark_node_first_child(target)) != NULL;) cmark_node_free(child);
    for (size_t i = 0; i < nLeaf; i++) cmark_node_append_child(target, aLeaf[i]);
    free(aLeaf);
}

/* Block quotes and list items nested deeper than KB_CMARK_MAX_DEPTH keep
 * their text at that depth. cmark's CommonMark renderer writes the prefix
 * of every level again for each line and level: a line of 20,000 "> "
 * took 1.4G instructions to render, 100,000 of them 25 s, and 40,000 "- "
 * 6 s (kb renders each document and section). The Azure docs nest 6
 * deep. */
static void S_flatten_deep(cmark_node *doc) {
    cmark_iter *it = cmark_iter_new(doc);
    int depth = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (!S_is_container(node) || cmark_node_get_type(node) == CMARK_NODE_LIST) continue;
        if (ev == CMARK_EVENT_EXIT) {
            depth--;
        } else if (++depth == KB_CMARK_MAX_DEPTH) {
            S_flatten_into(node);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
            depth--;
        }
    }
    cmark_iter_free(it);
}

/* Emphasis, strong emphasis or strikethrough: inlines that hold inlines,
 * to any depth. */
static int S_is_emphasis(cmark_node *node) {
    cmark_node_type t = cmark_node_get_type(node);
    return t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG || kb_cmark_is(node, "strikethrough");
}

/* Emphasis nested deeper than KB_CMARK_MAX_DEPTH is unwrapped: its text
 * stays, plain. The CommonMark renderer's cost grows with the square of
 * the depth here too: "*" x 50,000, "x", "*" x 50,000 took 3.8 s, 200,000
 * of each 139 s. */
static void S_unwrap_deep_emphasis(cmark_node *doc) {
    size_t n = 0, cap = 0;
    cmark_node **aDeep = NULL;
    cmark_iter *it = cmark_iter_new(doc);
    int depth = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (!S_is_emphasis(node)) continue;
        if (ev == CMARK_EVENT_EXIT) {
            depth--;
        } else if (++depth > KB_CMARK_MAX_DEPTH) {
            if (n == cap) aDeep = kb_xrealloc(aDeep, (cap = cap ? 2 * cap : 64) * sizeof *aDeep);
            aDeep[n++] = node;
        }
    }
    cmark_iter_free(it);
    for (size_t i = 0; i < n; i++) {
        for (cmark_node *child; (child = cmark_node_first_child(aDeep[i])) != NULL;)
            cmark_node_insert_before(aDeep[i], child);
        cmark_node_free(aDeep[i]);
    }
    free(aDeep);
}

/* md with U+FFFE and U+FFFF as U+FFFD (as many bytes), or NULL if it has
 * neither: cmark writes each of them out as one byte, 0xFE or 0xFF, which
 * is not UTF-8, and JSON could then not carry the section. */
static char *S_without_nonchars(const char *md, size_t n) {
    char *copy = NULL;
    for (const char *p = md; (p = memchr(p, '\xEF', n - (size_t)(p - md))) != NULL; p++) {
        size_t at = (size_t)(p - md);
        if (n - at < 3 || p[1] != '\xBF' || (p[2] != '\xBE' && p[2] != '\xBF')) continue;
        if (!copy) copy = memcpy(kb_xmalloc(n), md, n);
        copy[at + 2] = '\xBD';
    }
    return copy;
}

cmark_node *kb_cmark_parse(const char *md, size_t n) {
    pthread_once(&S_extensions_once, S_register_extensions);
    char *clean = S_without_nonchars(md, n);
    if (clean) md = clean;
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
    free(clean);
    S_flatten_deep(doc);
    S_unwrap_deep_emphasis(doc);
    return doc;
}

cmark_node **kb_cmark_collect(cmark_node *root, int (*want)(cmark_node *node), size_t *pn) {
    cmark_node **a = NULL;
    size_t n = 0, cap = 0;
    cmark_iter *it = cmark_iter_new(root);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || !want(node)) continue;
        if (n == cap) a = kb_xrealloc(a, (cap = cap ? 2 * cap : 8) * sizeof *a);
        a[n++] = node;
    }
    cmark_iter_free(it);
    *pn = n;
    return a;
}

int kb_cmark_is(cmark_node *node, const char *name) {
    const char *type = cmark_node_get_type_string(node);
    return type && strcmp(type, name) == 0;
}
