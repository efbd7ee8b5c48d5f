/* test_walk.c: which files of a tree are documents. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

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

static void S_warn(void *ctx, const char *path, const char *message) {
    (void)ctx; (void)path; (void)message;
    S_nWarn++;
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
    CHECK_INT(kb_walk(S_root, "es-ES", 0, &list, S_warn, NULL), KB_OK);
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
    CHECK_INT(kb_walk("/nonexistent-kb-root", NULL, 0, &list, S_warn, NULL), KB_EIO);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf %s", S_root);
    CHECK(system(cmd) == 0);
}

KB_TEST_MAIN(test_walk_lists_documents_sorted_with_includes_marked)
