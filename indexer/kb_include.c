/* kb_include.c: resolve and read an include target inside its root. */
#include "kb_include.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb_msg.h"
#include "kb_util.h"
#include "kb_walk.h"

/* The include's path as written (kb_path_resolve) when it names the
 * file read, real: read lexically, ".." after a folder link names another
 * file than the system reads ("shared/../x.md" where shared is a link to
 * ../common), which would be stat'ed, found missing or other, and re-parse
 * the page on every run. Else the real path. Malloc'd. */
static char *S_as_written(const char *rootReal, const char *fromDoc, const char *path, const char *real) {
    char *rel = kb_path_resolve(fromDoc, path);
    char *abs = rel ? kb_xasprintf("%s/%s", rootReal, rel) : NULL;
    char again[PATH_MAX];
    int same = abs && realpath(abs, again) && strcmp(again, real) == 0;
    free(abs);
    if (same) return rel;
    free(rel);
    return kb_xstrdup(real + strlen(rootReal) + 1);
}

/* The include's path under rootReal as written, not resolved; NULL for an
 * absolute one. Malloc'd. */
static char *S_joined(const char *rootReal, const char *fromDoc, const char *path) {
    if (path[0] == '~' && path[1] == '/') return kb_xasprintf("%s/%s", rootReal, path + 2);
    if (path[0] == '/') return NULL;
    const char *slash = fromDoc ? strrchr(fromDoc, '/') : NULL;
    return slash ? kb_xasprintf("%s/%.*s/%s", rootReal, (int)(slash - fromDoc), fromDoc, path)
                 : kb_xasprintf("%s/%s", rootReal, path);
}

char *kb_include_watch_path(const char *rootReal, const char *fromDoc, const char *path) {
    char *joined = S_joined(rootReal, fromDoc, path);
    if (!joined) return NULL;
    char real[PATH_MAX], *watched = NULL;
    size_t rootLen = strlen(rootReal);
    for (char *cut = joined + strlen(joined); cut >= joined + rootLen && !watched; cut--) {
        if (*cut != '/' && *cut != 0) continue;
        char c = *cut;
        *cut = 0;
        int exists = realpath(joined, real) != NULL;
        *cut = c;
        if (!exists) continue;
        if (strncmp(real, rootReal, rootLen) != 0 || (real[rootLen] != '/' && real[rootLen] != 0)) break;
        /* the rest is read lexically, against the part found */
        const char *found = real + rootLen + (real[rootLen] == '/'), *rest = c ? cut + 1 : "";
        char *within = kb_xasprintf("%s%s%s", found, *found && *rest ? "/" : "", rest);
        watched = kb_path_resolve(NULL, within);
        free(within);
    }
    free(joined);
    return watched;
}

int kb_include_read(const char *rootReal, const char *fromDoc, const char *path, size_t maxBytes, char **pz,
                    size_t *pn, kb_include_info *pInfo, kb_diag_code *pWhy) {
    *pz = NULL;
    *pn = 0;
    *pWhy = KB_DIAG_INCLUDE_INVALID;
    char *joined = S_joined(rootReal, fromDoc, path);
    if (!joined) return kb_fail(KB_EIO, "%s", _("absolute paths are not allowed"));
    char real[PATH_MAX];
    char *ok = realpath(joined, real);
    int why = ok ? 0 : errno;
    free(joined);
    /* a folder on its way that cannot be searched: the file may well be
     * there, and its page is kept as indexed (kb_build.c) */
    if (!ok && (why == EACCES || why == EPERM || why == EIO)) {
        if (pInfo) pInfo->unreadable = 1;
        return kb_fail(KB_EIO, "%s", strerror(why));
    }
    /* Found: realpath has resolved ".." and symbolic links, so a prefix
     * test is enough. Not found: read lexically, a target that does not
     * exist still leaves the tree. */
    size_t rootLen = strlen(rootReal);
    char *lexical = ok ? NULL : kb_path_resolve(fromDoc, path);
    int outside = ok ? strncmp(real, rootReal, rootLen) != 0 || real[rootLen] != '/' : lexical == NULL;
    free(lexical);
    if (outside) {
        *pWhy = KB_DIAG_INCLUDE_OUTSIDE;
        return kb_fail(KB_EIO, "%s", _("points outside the indexed tree, ignored"));
    }
    if (!ok) {
        *pWhy = KB_DIAG_INCLUDE_MISSING;
        return kb_fail(KB_EIO, "%s", _("not found"));
    }
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) return kb_fail(KB_EIO, "%s", _("not a regular file"));
    int rc = kb_file_read(real, maxBytes, pz, pn);
    if (rc) {
        *pz = NULL;
        if (rc != KB_ELIMIT) {
            if (pInfo) pInfo->unreadable = 1;
            /* the diagnostic names the include as written already */
            char *reason = kb_xstrdup(kb_errmsg_after(real));
            kb_fail(rc, "%s", reason);
            free(reason);
            return rc;
        }
        /* kb_file_read's reason counts bytes */
        *pWhy = KB_DIAG_INCLUDE_TOO_LARGE;
        return kb_fail(rc, _("larger than the size limit (%g MB)"), kb_megabytes(maxBytes));
    }
    size_t off;
    if (kb_text_problem(*pz, *pn, &off) != KB_TEXT_OK) {
        free(*pz);
        *pz = NULL;
        *pn = 0;
        return kb_fail(KB_EFORMAT, "%s", _("not UTF-8 text"));
    }
    if (pInfo) {
        /* as written, not where its links lead: a link pointed elsewhere
         * changes what the page includes */
        pInfo->relPath = S_as_written(rootReal, fromDoc, path, real);
        pInfo->size = st.st_size;
        pInfo->stampNs = kb_file_stamp(&st);
    }
    return KB_OK;
}
