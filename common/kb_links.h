/* kb_links.h: where a section's links go.
 *
 * Docs link their pages relative to the document ("../backup/x.md#y"),
 * from the docs set's root ("~/...") or from the docs site's ("/azure/...").
 * kb shows each as a target a reader can follow: "locale/doc.md#anchor",
 * which kb-query --show takes, or a URL. */
#ifndef KB_LINKS_H
#define KB_LINKS_H

/* Resolves a link URL: relative ones against docPath's directory to
 * "locale/doc.md#anchor", site-absolute ones ("/azure/...") to the public docs
 * site they were written for, the rest left as they are. NULL for an empty
 * URL. *pExternal: 0 for a doc#anchor, 1 for a URL. Returns a malloc'd string. */
char *kb_links_resolve(const char *docPath, const char *zUrl, int *pExternal);

#endif
