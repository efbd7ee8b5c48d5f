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
 * square of their depth; emphasis nested more than 32 deep is unwrapped,
 * for the same reason. */
cmark_node *kb_cmark_parse(const char *md, size_t n);

/* The nodes under root, root too, that want accepts, in document order:
 * a malloc'd array of *pn. For changes made after the walk, as a
 * cmark_iter must not lose the node it stands on. */
cmark_node **kb_cmark_collect(cmark_node *root, int (*want)(cmark_node *node), size_t *pn);

/* 1 if node's type string is name ("table", "table_row", "table_cell",
 * "table_header"...). */
int kb_cmark_is(cmark_node *node, const char *name);

#endif
