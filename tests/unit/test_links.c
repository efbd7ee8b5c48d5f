/* test_links.c: the links of sections and where they go. */
#include "kb_links.h"
#include "kb_render.h"
#include "kb_test.h"
#include "kb_util.h"

static char *S_text(const char *md, int width, const char *docPath) {
    kb_buf out = {0};
    kb_render_opts o = {.width = width, .docPath = docPath};
    kb_render_text(md, strlen(md), &o, &out);
    return kb_buf_detach(&out);
}

static void test_links_resolve_against_doc_directory(void) {
    const char *md = "See [faq](./backup-azure-file-folder-backup-faq.yml#x), [here](#anchor), "
                     "[sibling](../backup/other.md?tabs=a#y), [site](https://example.com/a) and "
                     "[again](https://example.com/a) and [faq again](backup-azure-file-folder-backup-faq.yml#x).\n";
    kb_link *a = NULL;
    int n = 0;
    kb_links_extract(md, strlen(md), "es-es/backup-azure-mars-troubleshoot.md", &a, &n);
    CHECK_INT(n, 4);
    if (n == 4) {
        CHECK_STR(a[0].target, "es-es/backup-azure-file-folder-backup-faq.yml#x");
        CHECK_STR(a[0].text, "faq");
        CHECK_INT(a[0].external, 0);
        CHECK_STR(a[1].target, "es-es/backup-azure-mars-troubleshoot.md#anchor");
        CHECK_STR(a[2].target, "es-es/other.md#y");
        CHECK_STR(a[3].target, "https://example.com/a");
        CHECK_INT(a[3].external, 1);
    }
    kb_links_free(a, n);

    char *t = S_text(md, 0, "es-es/backup-azure-mars-troubleshoot.md");
    CHECK(strstr(t, "faq (→ es-es/backup-azure-file-folder-backup-faq.yml#x)") != NULL);
    CHECK(strstr(t, "here (→ es-es/backup-azure-mars-troubleshoot.md#anchor)") != NULL);
    CHECK(strstr(t, "site [1] and again [1]") != NULL);
    CHECK(strstr(t, "\n\nLinks:\n[1] https://example.com/a\n") != NULL);
    free(t);
}

/* A docs tree as published (es-ES/articles/<service>/): ".." climbs to the
 * locale folder, not only to the document's own directory, and "~/" starts
 * at the root; a tree without locale folders climbs to the root. */
static void test_links_climb_to_the_locale_folder(void) {
    const char *md = "[sql](../sql-database/overview.md#a), [inc](../../includes/x.md), "
                     "[root](~/es-ES/articles/vm/y.md), [out](../../../z.md) and [up](../../a/b.md).\n";
    const char *aWant[][2] = {
        {"es-ES/articles/virtual-network/ip.md", "es-ES/articles/sql-database/overview.md#a"},
        {"es-ES/articles/virtual-network/ip.md", "es-ES/includes/x.md"},
        {"es-ES/articles/virtual-network/ip.md", "es-ES/articles/vm/y.md"},
        {"es-ES/articles/virtual-network/ip.md", "es-ES/z.md"}, /* above the locale folder: stays in it */
        {"docs/guides/net/ip.md", "docs/a/b.md"},                /* no locale folder: up to the root */
    };
    for (int k = 0; k < 5; k++) {
        kb_link *a = NULL;
        int n = 0;
        kb_links_extract(md, strlen(md), aWant[k][0], &a, &n);
        CHECK_INT(n, 5);
        int iLink = k == 4 ? 4 : k;
        if (n == 5) CHECK_STR(a[iLink].target, aWant[k][1]);
        kb_links_free(a, n);
    }
}

KB_TEST_MAIN(test_links_resolve_against_doc_directory, test_links_climb_to_the_locale_folder)
