/* kb_frontmatter.h: document metadata, from YAML front matter or from the
 * <properties .../> and <tags .../> elements that older Azure docs use
 * instead. Both fill the same kb_doc fields, so the rest of kb never knows
 * which form a document used. Used by kb_md.c. */
#ifndef KB_FRONTMATTER_H
#define KB_FRONTMATTER_H

#include <stddef.h>

#include "kb_md.h"

/* Reads the YAML between the "---" lines (z, n bytes, without the fences)
 * into the metadata fields of doc that are still NULL: title, description,
 * ms.topic, ms.date, ms.contentlocale (normalized). On malformed YAML returns
 * KB_EFORMAT with kb_fail("front matter: <problem>") and sets *pLine to the
 * 0-based line of the problem within z; fields read before it are kept.
 * A ms.contentlocale that is no locale tag is such a problem too, told
 * once every field is read. */
int kb_frontmatter_yaml(const char *z, size_t n, kb_doc *doc, int *pLine);

/* Reads the attributes of one old-style element, z being its whole source
 * from "<properties" or "<tags" to the closing ">" (may span lines):
 * pageTitle -> title, description, ms.topic, ms.date, ms.contentlocale.
 * Only fields that are still NULL are set. */
void kb_frontmatter_tag(const char *z, size_t n, kb_doc *doc);

#endif
