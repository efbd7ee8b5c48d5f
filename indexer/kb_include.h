/* kb_include.h: read a DocFX [!INCLUDE] target the way kb-index does.
 *
 * One rule for the indexer and for --check, so that what the linter calls a
 * broken include is exactly what the index would lose: the path is relative
 * to the including file ("~/x.md" is relative to the root, "/x" is refused),
 * symlinks are resolved, and the result must be a regular file inside the
 * root that is UTF-8 text without NUL bytes. */
#ifndef KB_INCLUDE_H
#define KB_INCLUDE_H

#include <stddef.h>
#include <stdint.h>

#include "kb_md.h"

/* What was read, for the indexer's change detection. */
typedef struct kb_include_info {
    char *relPath;    /* kb_include_rel_path when that names the file read, else its real path; caller frees */
    int64_t size;
    int64_t stampNs;  /* kb_file_stamp */
    int unreadable;   /* set on failure too: the file is there, but could not be read (permissions, I/O) */
} kb_include_info;

/* Reads the file that `path`, as written in fromDoc (root-relative; NULL for
 * a document at the root), names. rootReal must be the realpath of the root.
 * On success returns KB_OK with a malloc'd buffer in *pz (*pn bytes) and, if
 * pInfo is not NULL, fills it. On failure returns an error code with
 * kb_fail() set to a short reason ("not found", "points outside the indexed
 * tree, ignored", "not a regular file", "not UTF-8 text"; translated; or the
 * system's, "Permission denied", when the file or a folder on its way cannot
 * be read: then *pWhy stays KB_DIAG_INCLUDE_INVALID and pInfo->unreadable is
 * set), *pWhy to what kind of failure it is (kb_md_include_fn) and *pz NULL. */
int kb_include_read(const char *rootReal, const char *fromDoc, const char *path, size_t maxBytes, char **pz,
                    size_t *pn, kb_include_info *pInfo, kb_diag_code *pWhy);

/* Where the include `path` in fromDoc would be read once it exists,
 * relative to rootReal: the longest leading part of its path that exists,
 * with its symbolic links and ".." resolved, then the rest as written. An
 * include missing under a linked folder ("en-us" -> ".real/en") is watched
 * where kb_include_read would find it: by the path as written, one created
 * there later had never been read. NULL for a path outside the root.
 * Malloc'd. */
char *kb_include_watch_path(const char *rootReal, const char *fromDoc, const char *path);

#endif
