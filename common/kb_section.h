/* kb_section.h: a section's Markdown parsed once, for several renderings of
 * it (kb-query renders text, Markdown, remediation and links of every
 * result: kb_render.h, kb_remedy.h, kb_links.h).
 *
 * The tree is the Markdown as a reader sees it: no control character a
 * terminal would obey, a reference link with no definition shown as its
 * text, a placeholder in angle brackets as text, no anchor that only names
 * a place. (The indexer's kb_section, kb_md.h, is something else: where a
 * section is in its document.) */
#ifndef KB_SECTION_H
#define KB_SECTION_H

#include <stddef.h>

struct cmark_node;

typedef struct kb_section_doc kb_section_doc;

/* Parses n bytes of Markdown (md may be NULL: an empty section). */
kb_section_doc *kb_section_parse(const char *md, size_t n);
void kb_section_free(kb_section_doc *d);

/* The parsed tree, for the renderers. A renderer may change it while it
 * works, but leaves it as it found it: the next rendering reads it too. */
struct cmark_node *kb_section_tree(const kb_section_doc *d);

#endif
