/* kb_links.h: where a section's links go, and which links it has.
 *
 * Docs link their pages relative to the document ("../backup/x.md#y"),
 * from the docs set's root ("~/...") or from the docs site's ("/azure/...").
 * kb shows each as a target a reader can follow: "locale/doc.md#anchor",
 * which kb-query --show takes, or a URL. */
#ifndef KB_LINKS_H
#define KB_LINKS_H

#include <stddef.h>

#include "kb_mdtree.h"

struct cmark_iter;
struct cmark_node;

typedef struct kb_link {
    char *text;
    char *target;   /* "doc.md#anchor" for internal links, the URL for external ones */
    int external;
} kb_link;

/* Links of a section; relative targets resolved against docPath. */
void kb_links_extract(const char *md, size_t n, const char *docPath, kb_link **paLink, int *pnLink);
void kb_links_free(kb_link *a, int n);
/* kb_links_extract of a section parsed once (kb_mdtree.h). */
void kb_links_extract_doc(const kb_mdtree *d, const char *docPath, kb_link **paLink, int *pnLink);

/* Resolves a link URL: relative ones against docPath's directory to
 * "locale/doc.md#anchor", site-absolute ones ("/azure/...") to the public docs
 * site they were written for, the rest left as they are. NULL for an empty
 * URL. *pExternal: 0 for a doc#anchor, 1 for a URL. Returns a malloc'd string. */
char *kb_links_resolve(const char *docPath, const char *zUrl, int *pExternal);

/* The next link node of a walk over a parsed section, or NULL at the end. */
struct cmark_node *kb_links_next(struct cmark_iter *it);

#endif
