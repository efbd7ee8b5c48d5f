/* kb_mdtree.h: a section's Markdown parsed once, for several renderings of
 * it (kb-query renders text, Markdown, remediation and links of every
 * result: kb_render.h, kb_remedy.h, kb_links.h).
 *
 * The tree is the Markdown as a reader sees it: no control character a
 * terminal would obey, a reference link with no definition shown as its
 * text, a placeholder in angle brackets as text, no anchor that only names
 * a place. */
#ifndef KB_MDTREE_H
#define KB_MDTREE_H

#include <stddef.h>

struct cmark_node;

typedef struct kb_mdtree kb_mdtree;

/* Parses n bytes of Markdown (md may be NULL: an empty section). */
kb_mdtree *kb_mdtree_parse(const char *md, size_t n);
void kb_mdtree_free(kb_mdtree *d);

/* The parsed tree, for the renderers. A renderer may change it while it
 * works, but leaves it as it found it: the next rendering reads it too. */
struct cmark_node *kb_mdtree_root(const kb_mdtree *d);

#endif
