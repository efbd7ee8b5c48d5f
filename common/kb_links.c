/* kb_links.c: see kb_links.h. */
#include "kb_links.h"
#include "kb_inline.h"
#include "kb_lang.h"
#include "kb_util.h"

#include <cmark-gfm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int S_has_scheme(const char *z) {
    if (!((z[0] >= 'a' && z[0] <= 'z') || (z[0] >= 'A' && z[0] <= 'Z'))) return 0;
    for (size_t i = 1; z[i]; i++) {
        char c = z[i];
        if (c == ':') return 1;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
              c == '-' || c == '.'))
            return 0;
    }
    return 0;
}

/* Appends path segments of z[0..n) to b, resolving "." and "..", which
 * stop at b[0..floor): the locale folder (kb_links_resolve). A link that climbs
 * above it and back into a directory names a sibling, and that directory
 * is dropped: a docs set copied flat into its locale folder (the bundled
 * corpus: upstream's articles/backup/ as en-us/) links its own pages as
 * "../backup/x.md". */
static void S_path_push(kb_buf *b, size_t floor, const char *z, size_t n) {
    size_t i = 0;
    int escaped = 0;
    while (i < n) {
        size_t s = i;
        while (i < n && z[i] != '/') i++;
        size_t m = i - s;
        if (i < n) i++;
        if (m == 0 || (m == 1 && z[s] == '.')) continue;
        if (m == 2 && z[s] == '.' && z[s + 1] == '.') {
            if (b->n <= floor) {
                escaped = 1;
                continue;
            }
            while (b->n > floor && b->z[b->n - 1] != '/') b->n--;
            if (b->n > floor) b->n--;
            b->z[b->n] = 0;
            continue;
        }
        if (escaped && i < n) {
            escaped = 0;
            continue; /* the docs-set directory climbed back into: "../backup/x.md" */
        }
        escaped = 0;
        if (b->n) kb_buf_addc(b, '/');
        kb_buf_add(b, z + s, m);
    }
}

/* The length of docPath's first folder if it names a locale ("es-ES/",
 * "en-us/"), which ".." does not climb above; else 0, the root. */
static size_t S_locale_folder_len(const char *docPath) {
    const char *zSlash = strchr(docPath, '/');
    char zFolder[32], zLocale[32];
    if (!zSlash || (size_t)(zSlash - docPath) >= sizeof zFolder) return 0;
    snprintf(zFolder, sizeof zFolder, "%.*s", (int)(zSlash - docPath), docPath);
    return kb_locale_normalize(zFolder, zLocale, sizeof zLocale) ? (size_t)(zSlash - docPath) : 0;
}

char *kb_links_resolve(const char *docPath, const char *zUrl, int *pExternal) {
    *pExternal = 1;
    if (!zUrl || !zUrl[0]) return NULL;
    if (S_has_scheme(zUrl)) return kb_xstrdup(zUrl);
    if (zUrl[0] == '/' && zUrl[1] == '/') return kb_xasprintf("https:%s", zUrl);
    if (zUrl[0] == '/') return kb_xasprintf("https://learn.microsoft.com%s", zUrl);
    *pExternal = 0;
    const char *zDoc = docPath ? docPath : "";
    if (zUrl[0] == '#') return kb_xasprintf("%s%s", zDoc, zUrl);
    const char *zHash = strchr(zUrl, '#');
    size_t nPath = zHash ? (size_t)(zHash - zUrl) : strlen(zUrl);
    const char *zQuery = memchr(zUrl, '?', nPath);
    if (zQuery) nPath = (size_t)(zQuery - zUrl);
    kb_buf b = {0};
    kb_buf_add(&b, "", 0);
    size_t floor = 0;
    const char *zSlash = strrchr(zDoc, '/');
    if (zUrl[0] == '~' && zUrl[1] == '/') { /* DocFX's path from the root, as for includes */
        zUrl += 2;
        nPath -= 2;
    } else if (zSlash) {
        S_path_push(&b, 0, zDoc, (size_t)(zSlash - zDoc));
        floor = S_locale_folder_len(zDoc);
    }
    /* decoded, as the browser reads them: the target is a ref --show takes */
    char *zPath = kb_url_decode(zUrl, nPath);
    S_path_push(&b, floor, zPath, strlen(zPath));
    free(zPath);
    if (zHash) {
        char *zFrag = kb_url_decode(zHash, strlen(zHash));
        kb_buf_adds(&b, zFrag);
        free(zFrag);
    }
    return kb_buf_detach(&b);
}

cmark_node *kb_links_next(cmark_iter *it) {
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(node) == CMARK_NODE_LINK) return node;
    }
    return NULL;
}

void kb_links_extract(const char *md, size_t n, const char *docPath, kb_link **paLink, int *pnLink) {
    kb_mdtree *d = kb_mdtree_parse(md, n);
    kb_links_extract_doc(d, docPath, paLink, pnLink);
    kb_mdtree_free(d);
}

void kb_links_extract_doc(const kb_mdtree *d, const char *docPath, kb_link **paLink, int *pnLink) {
    kb_link *a = NULL;
    int nLink = 0, nAlloc = 0;
    /* open addressing over link indexes + 1, so a page of 100,000 links stays linear */
    int *aSlot = NULL;
    size_t nSlot = 0;
    kb_buf scratch = {0}, text = {0};
    cmark_iter *it = cmark_iter_new(kb_mdtree_root(d));
    for (cmark_node *node; (node = kb_links_next(it)) != NULL;) {
        int external = 0;
        char *zTarget = kb_links_resolve(docPath, cmark_node_get_url(node), &external);
        if (!zTarget) continue;
        if ((size_t)nLink * 2 >= nSlot) {
            size_t nNew = nSlot ? nSlot * 2 : 64;
            int *aNew = kb_xcalloc(nNew, sizeof *aNew);
            for (int i = 0; i < nLink; i++) {
                size_t h = kb_hash(a[i].target, strlen(a[i].target)) & (nNew - 1);
                while (aNew[h]) h = (h + 1) & (nNew - 1);
                aNew[h] = i + 1;
            }
            free(aSlot);
            aSlot = aNew;
            nSlot = nNew;
        }
        size_t h = kb_hash(zTarget, strlen(zTarget)) & (nSlot - 1);
        int dup = 0;
        while (aSlot[h] && !(dup = strcmp(a[aSlot[h] - 1].target, zTarget) == 0)) h = (h + 1) & (nSlot - 1);
        if (dup) {
            free(zTarget);
            continue;
        }
        kb_buf_reset(&text);
        kb_inline_text(node, NULL, &scratch, &text);
        if (nLink == nAlloc) {
            nAlloc = nAlloc ? 2 * nAlloc : 8;
            a = kb_xrealloc(a, (size_t)nAlloc * sizeof *a);
        }
        a[nLink].text = kb_inline_one_line(kb_buf_str(&text), text.n);
        a[nLink].target = zTarget;
        a[nLink].external = external;
        aSlot[h] = ++nLink;
    }
    cmark_iter_free(it);
    free(aSlot);
    kb_buf_free(&scratch);
    kb_buf_free(&text);
    *paLink = a;
    *pnLink = nLink;
}

void kb_links_free(kb_link *a, int n) {
    for (int i = 0; a && i < n; i++) {
        free(a[i].text);
        free(a[i].target);
    }
    free(a);
}
