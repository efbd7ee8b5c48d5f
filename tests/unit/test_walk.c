/* test_walk.c: which files of a tree are documents. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kb_msg.h"
#include "kb_test.h"
#include "kb_util.h"
#include "kb_walk.h"

static char S_root[64];
static int S_nWarn;

static void S_put(const char *rel) {
    char path[256];
    snprintf(path, sizeof path, "%s/%s", S_root, rel);
    for (char *p = path + strlen(S_root) + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    FILE *f = fopen(path, "w");
    fputs("# t\n", f);
    fclose(f);
}

static char S_lastWarn[512];

static void S_warn(void *ctx, int rootIndex, const char *path, const char *message) {
    (void)ctx, (void)rootIndex;
    snprintf(S_lastWarn, sizeof S_lastWarn, "%s: %s", path, message);
    S_nWarn++;
}

/* kb_walk over the one root S_root, its documents' paths led by prefix. */
static int S_walk(const char *prefix, kb_file_list *list, kb_walk_warn_fn warn) {
    const char *aRoot[] = {S_root}, *aPrefix[] = {prefix};
    return kb_walk(aRoot, aPrefix, 1, list, warn, NULL);
}

static void test_walk_lists_documents_sorted_with_includes_marked(void) {
    snprintf(S_root, sizeof S_root, "/tmp/kb-test-walk-XXXXXX");
    CHECK(mkdtemp(S_root) != NULL);
    S_put("README.md");                  /* describes the tree: left out */
    S_put("es-es/b.md");
    S_put("es-es/a.md");
    S_put("es-es/notes.txt");            /* not Markdown */
    S_put("includes/snippet.md");        /* only through [!INCLUDE] */
    S_put(".git/x.md");                  /* hidden */
    S_put("es-es/sub/README.md");        /* a README inside the tree is a document */
    char loop[300];
    snprintf(loop, sizeof loop, "%s/es-es/loop", S_root);
    CHECK(symlink("..", loop) == 0);     /* a directory loop */

    kb_file_list list = {0};
    S_nWarn = 0;
    CHECK_INT(S_walk("es-ES", &list, S_warn), KB_OK);
    CHECK_INT(list.n, 4);
    if (list.n == 4) {
        CHECK_STR(list.a[0].relPath, "es-ES/es-es/a.md");
        CHECK_STR(list.a[0].relPath + list.a[0].rootRelOffset, "es-es/a.md");
        CHECK_STR(list.a[1].relPath, "es-ES/es-es/b.md");
        CHECK_STR(list.a[2].relPath, "es-ES/es-es/sub/README.md");
        CHECK_STR(list.a[3].relPath, "es-ES/includes/snippet.md");
        CHECK(!list.a[0].isInclude && list.a[3].isInclude);
        CHECK(list.a[0].size == 4);
    }
    CHECK_INT(S_nWarn, 1); /* the loop */
    kb_file_list_free(&list);
    const char *aMissing[] = {"/nonexistent-kb-root"};
    CHECK_INT(kb_walk(aMissing, NULL, 1, &list, S_warn, NULL), KB_EIO);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_root);
    CHECK(system(cmd) == 0);
}

/* A name that is not UTF-8 could not be a document's path in JSON or in a
 * --check report: such a file, or a directory and all under it, is skipped
 * with a warning that names it escaped; another file is no document anyway. */
static void test_walk_skips_names_not_utf8(void) {
    snprintf(S_root, sizeof S_root, "/tmp/kb-test-walk-XXXXXX");
    CHECK(mkdtemp(S_root) != NULL);
    S_put("good.md");
    S_put("bad\xffname.md");
    S_put("a\xf1o/inside.md");
    S_put("caf\xc3\xa9/ok.md");   /* UTF-8: a document */
    S_put("image\xff.png");

    kb_file_list list = {0};
    S_nWarn = 0;
    CHECK_INT(S_walk(NULL, &list, S_warn), KB_OK);
    CHECK_INT(list.n, 2);
    if (list.n == 2) {
        CHECK_STR(list.a[0].relPath, "caf\xc3\xa9/ok.md");
        CHECK_STR(list.a[1].relPath, "good.md");
    }
    CHECK_INT(S_nWarn, 2);
    CHECK(strstr(S_lastWarn, "\\x") && kb_utf8_valid(S_lastWarn, strlen(S_lastWarn), NULL));
    kb_file_list_free(&list);

    /* a root whose folder name would start every path */
    S_nWarn = 0;
    CHECK_INT(S_walk("es\xff", &list, S_warn), KB_OK);
    CHECK_INT(list.n, 0);
    CHECK_INT(S_nWarn, 1);
    kb_file_list_free(&list);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_root);
    CHECK(system(cmd) == 0);
}

/* An empty file at dir/rel, and the one folder rel names before it. */
static void S_touch(const char *dir, const char *rel) {
    char path[160];
    snprintf(path, sizeof path, "%s/%.*s", dir, (int)(strchr(rel, '/') - rel), rel);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) fclose(f);
}

static void S_link(const char *target, const char *rel) {
    char path[300];
    snprintf(path, sizeof path, "%s/%s", S_root, rel);
    CHECK(symlink(target, path) == 0);
}

static int S_nSeen; /* warnings about a directory walked already */

static void S_count_seen(void *ctx, int rootIndex, const char *path, const char *message) {
    S_warn(ctx, rootIndex, path, message);
    S_nSeen += strcmp(message, KB_WALK_LINK_SEEN) == 0;
}

/* Each directory is walked once, by device and inode: by its own path when
 * the tree holds it, else through the first link to it in path order. Two
 * links to the next folder in each of 20 nested folders had made 2^20
 * paths to one document, each listed; a link to "/" had walked the whole
 * file system. */
static void test_walk_visits_each_directory_once(void) {
    snprintf(S_root, sizeof S_root, "/tmp/kb-test-walk-XXXXXX");
    CHECK(mkdtemp(S_root) != NULL);
    char outside[64], rel[64], target[96];
    snprintf(outside, sizeof outside, "/tmp/kb-test-out-XXXXXX");
    CHECK(mkdtemp(outside) != NULL);
    for (int i = 20; i >= 0; i--) {
        snprintf(rel, sizeof rel, "en/s/L%d/%s", i, i == 20 ? "leaf.md" : "x.txt");
        S_put(rel);
    }
    for (int i = 0; i < 20; i++) {
        snprintf(target, sizeof target, "../L%d", i + 1);
        snprintf(rel, sizeof rel, "en/s/L%d/a", i);
        S_link(target, rel);
        snprintf(rel, sizeof rel, "en/s/L%d/b", i);
        S_link(target, rel);
    }
    S_put("en/b/real/doc.md");
    S_link("b/real", "en/a-alias"); /* sorts first, yet the tree's own path wins */
    /* outside/P, linked twice into the tree, holds a link to its parent,
     * which holds Q: a ".." of the target's, a loop however reached */
    char outsideP[96];
    snprintf(outsideP, sizeof outsideP, "%s/P", outside);
    S_touch(outside, "P/o.md");
    S_touch(outside, "Q/q.md");
    snprintf(target, sizeof target, "%s/P/up", outside);
    CHECK(symlink("..", target) == 0);
    S_link(outsideP, "en/z-out");
    S_link(outsideP, "en/m-out"); /* the first link to it in path order */
    S_link("/", "en/slash");

    kb_file_list list = {0};
    S_nWarn = S_nSeen = 0;
    CHECK_INT(S_walk(NULL, &list, S_count_seen), KB_OK);
    CHECK_INT(list.n, 3);
    if (list.n == 3) {
        CHECK_STR(list.a[0].relPath, "en/b/real/doc.md");
        CHECK_STR(list.a[1].relPath, "en/m-out/o.md");
        CHECK_STR(list.a[2].relPath, "en/s/L20/leaf.md");
    }
    CHECK_INT(S_nSeen, 40 + 1 + 1); /* the fan-out's links, the alias, z-out */
    CHECK_INT(S_nWarn, S_nSeen + 2); /* and two loops: the link to "/", P's "up" */
    kb_file_list_free(&list);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", S_root, outside);
    CHECK(system(cmd) == 0);
}

/* One walk over all the roots: each root's own folders come first, so a
 * link from one root into another lists nothing twice, whichever root
 * holds the link; a file reached only through a link is named under the
 * link's root. */
static void test_walk_roots_share_their_folders(void) {
    snprintf(S_root, sizeof S_root, "/tmp/kb-test-roots-XXXXXX");
    CHECK(mkdtemp(S_root) != NULL);
    S_put("A/own.md");
    S_put("B/shared/s.md");
    S_put("B/own.md");
    S_put("ext/e.md");
    char a[128], b[128], target[160];
    snprintf(a, sizeof a, "%s/A", S_root);
    snprintf(b, sizeof b, "%s/B", S_root);
    snprintf(target, sizeof target, "%s/B/shared", S_root);
    S_link(target, "A/into-b");     /* A walks first, yet B's own folder wins */
    S_link("../A", "B/into-a");     /* and A's */
    S_link("../ext", "B/ext");      /* a folder outside both, reached from B */
    const char *aRoot[] = {a, b}, *aPrefix[] = {"A", "B"};

    kb_file_list list = {0};
    S_nWarn = S_nSeen = 0;
    CHECK_INT(kb_walk(aRoot, aPrefix, 2, &list, S_count_seen, NULL), KB_OK);
    CHECK_INT(list.n, 4);
    if (list.n == 4) {
        CHECK_STR(list.a[0].relPath, "A/own.md");
        CHECK_INT(list.a[0].rootIndex, 0);
        CHECK_STR(list.a[1].relPath, "B/ext/e.md");
        CHECK_STR(list.a[2].relPath, "B/own.md");
        CHECK_STR(list.a[3].relPath, "B/shared/s.md");
        CHECK_INT(list.a[3].rootIndex, 1);
        CHECK_STR(list.a[3].relPath + list.a[3].rootRelOffset, "shared/s.md");
    }
    CHECK_INT(S_nSeen, 2);
    CHECK_INT(S_nWarn, 2);
    kb_file_list_free(&list);

    /* a root that cannot be read fails the walk, named */
    const char *aBad[] = {a, "/nonexistent-kb-root"};
    CHECK_INT(kb_walk(aBad, NULL, 2, &list, S_warn, NULL), KB_EIO);
    CHECK(strstr(kb_errmsg(), "/nonexistent-kb-root") != NULL);
    kb_file_list_free(&list);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_root);
    CHECK(system(cmd) == 0);
}

/* Each root that another covers is dropped, with a warning; the rest keep
 * their order, and a root that does not resolve is left to the walk. */
static void test_distinct_roots_drop_repeats_and_nested(void) {
    snprintf(S_root, sizeof S_root, "/tmp/kb-test-roots-XXXXXX");
    CHECK(mkdtemp(S_root) != NULL);
    S_put("es-es/a.md");
    S_put("en-us/a.md");
    S_put("ess/a.md"); /* a name that starts like es, not inside it */
    char es[128], esSlash[128], esDot[128], en[128], ess[128];
    snprintf(es, sizeof es, "%s/es-es", S_root);
    snprintf(esSlash, sizeof esSlash, "%s/es-es/", S_root);
    snprintf(esDot, sizeof esDot, "%s/en-us/../es-es", S_root);
    snprintf(en, sizeof en, "%s/en-us", S_root);
    snprintf(ess, sizeof ess, "%s/ess", S_root);

    const char *distinct[] = {es, en, ess, "/nonexistent-kb-root"};
    S_nWarn = 0;
    CHECK_INT(kb_walk_distinct_roots(distinct, 4, S_warn, NULL), 4);
    CHECK_INT(S_nWarn, 0);

    const char *repeats[] = {es, en, esSlash, esDot};
    CHECK_INT(kb_walk_distinct_roots(repeats, 4, S_warn, NULL), 2);
    CHECK(repeats[0] == es && repeats[1] == en);
    CHECK_INT(S_nWarn, 2);

    const char *nested[] = {es, S_root, en};
    S_nWarn = 0;
    CHECK_INT(kb_walk_distinct_roots(nested, 3, S_warn, NULL), 1); /* both inside the root */
    CHECK(nested[0] == S_root);
    CHECK_INT(S_nWarn, 2);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_root);
    CHECK(system(cmd) == 0);
}

KB_TEST_MAIN(test_walk_lists_documents_sorted_with_includes_marked, test_walk_skips_names_not_utf8,
             test_walk_visits_each_directory_once, test_walk_roots_share_their_folders,
             test_distinct_roots_drop_repeats_and_nested)
