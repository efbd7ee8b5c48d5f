/* kb_include.c: resolve and read an include target inside its root. */
#include "kb_include.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kb_util.h"

int kb_include_escapes(const char *fromDoc, const char *path) {
    int depth = 0;
    if (path[0] == '~' && path[1] == '/') path += 2;
    else if (fromDoc)
        for (const char *p = fromDoc; *p; p++) depth += *p == '/';
    for (const char *p = path; *p;) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.') {
            if (--depth < 0) return 1;
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            depth++;
        }
        p += n;
        if (*p) p++;
    }
    return 0;
}

int kb_include_read(const char *rootReal, const char *fromDoc, const char *path, size_t maxBytes, char **pz,
                    size_t *pn, kb_include_info *pInfo) {
    *pz = NULL;
    *pn = 0;
    char *joined;
    if (path[0] == '~' && path[1] == '/') joined = kb_xasprintf("%s/%s", rootReal, path + 2);
    else if (path[0] == '/') return kb_fail(KB_EIO, "absolute paths are not allowed");
    else {
        const char *slash = fromDoc ? strrchr(fromDoc, '/') : NULL;
        joined = slash ? kb_xasprintf("%s/%.*s/%s", rootReal, (int)(slash - fromDoc), fromDoc, path)
                       : kb_xasprintf("%s/%s", rootReal, path);
    }
    char real[PATH_MAX];
    char *ok = realpath(joined, real);
    free(joined);
    if (!ok && kb_include_escapes(fromDoc, path)) return kb_fail(KB_EIO, "points outside the indexed tree, ignored");
    if (!ok) return kb_fail(KB_EIO, "not found");
    /* realpath has resolved "..", and symlinks: a prefix test is enough. */
    size_t rootLen = strlen(rootReal);
    if (strncmp(real, rootReal, rootLen) != 0 || real[rootLen] != '/')
        return kb_fail(KB_EIO, "points outside the indexed tree, ignored");
    struct stat st;
    if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) return kb_fail(KB_EIO, "not a regular file");
    int rc = kb_file_read(real, maxBytes, pz, pn);
    if (rc) {
        *pz = NULL;
        return rc;
    }
    if (memchr(*pz, 0, *pn) || !kb_utf8_valid(*pz, *pn, NULL)) {
        free(*pz);
        *pz = NULL;
        *pn = 0;
        return kb_fail(KB_EFORMAT, "not UTF-8 text");
    }
    if (pInfo) {
        pInfo->relPath = kb_xstrdup(real + rootLen + 1);
        pInfo->size = st.st_size;
        pInfo->mtimeNs = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    }
    return KB_OK;
}
