/* test_reflink.c: reference links cmark leaves as text (common/kb_reflink.c). */
#include "kb_cmark.h"
#include "kb_reflink.h"
#include "kb_test.h"
#include "kb_util.h"

#include <string.h>

/* The references each_undefined reports, one per line. */
static void S_collect(void *ctx, const char *run, size_t start, size_t end) {
    kb_buf *b = ctx;
    kb_buf_add(b, run + start, end - start);
    kb_buf_addc(b, '\n');
}

static char *S_undefined(const char *md) {
    cmark_node *doc = kb_cmark_parse(md, strlen(md));
    kb_buf b = {0};
    kb_buf_add(&b, "", 0);
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (ev == CMARK_EVENT_ENTER && (t == CMARK_NODE_PARAGRAPH || t == CMARK_NODE_HEADING ||
                                        kb_cmark_is(node, "table_cell")))
            kb_reflink_each_undefined(node, S_collect, &b);
    }
    cmark_iter_free(it);
    cmark_node_free(doc);
    return kb_buf_detach(&b);
}

/* Checks that md's undefined references are exactly want. */
static void S_expect(const char *md, const char *want) {
    char *z = S_undefined(md);
    CHECK_STR(z, want);
    free(z);
}

static void test_finds_full_and_collapsed_references_across_emphasis(void) {
    S_expect("See [SSMS][] and [the **quick** guide][guía]\nor [two\nlines][].\n",
             "[SSMS][]\n[the quick guide][guía]\n[two lines][]\n");
    /* Chinese text has no space before a reference; a word of another
     * script before "[0][1]" makes it an index. */
    S_expect("請參閱[安裝指南][]。從，[入口網站][]取得。слово[0][1].\n", "[安裝指南][]\n[入口網站][]\n");
    /* A heading and a table cell too. */
    S_expect("## Use [SSMS][]\n\n| a |\n| --- |\n| [x][y] |\n", "[SSMS][]\n[x][y]\n");
}

static void test_leaves_links_words_indexes_and_code(void) {
    S_expect("A [link][def], a [word], a[0][1], x [][], `[c][d]`, [ ][ ].\n\n"
             "[def]: https://e.x\n",
             "");
    /* Code ends a run: a reference cannot span it. */
    S_expect("[a `b` c][]\n", "");
}

static void test_label_end_and_reference_at(void) {
    const char *z = "[a\\]b][c d]";
    CHECK_INT(kb_reflink_label_end(z, strlen(z), 0), 5);
    const char *zLabel = NULL;
    size_t nLabel = 0;
    CHECK_INT(kb_reflink_at(z, strlen(z), 0, &zLabel, &nLabel), strlen(z));
    CHECK(nLabel == 3 && strncmp(zLabel, "c d", 3) == 0);
    /* A collapsed reference uses its text as label; a nested '[' ends nothing. */
    CHECK_INT(kb_reflink_at("[x][]", 5, 0, &zLabel, &nLabel), 5);
    CHECK(nLabel == 1 && zLabel[0] == 'x');
    CHECK_INT(kb_reflink_label_end("[a[b]", 5, 0), 0);
    CHECK_INT(kb_reflink_at("[x] []", 6, 0, &zLabel, &nLabel), 0);
    /* CommonMark refuses labels over 999 characters. */
    kb_buf b = {0};
    kb_buf_addc(&b, '[');
    for (int i = 0; i < 1000; i++) kb_buf_addc(&b, 'x');
    kb_buf_adds(&b, "][]");
    CHECK_INT(kb_reflink_at(b.z, b.n, 0, &zLabel, &nLabel), 0);
    kb_buf_free(&b);
}

static void test_unbracket_keeps_the_tree_sound(void) {
    /* A label in emphasis goes with its emphasis; what is left renders. */
    const char *md = "[x][*y*] then *[a][]* and **b**\n";
    cmark_node *doc = kb_cmark_parse(md, strlen(md));
    kb_reflink_unbracket(doc);
    char *out = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    CHECK_STR(out, "x then *a* and **b**\n");
    free(out);
    cmark_node_free(doc);
}

KB_TEST_MAIN(test_finds_full_and_collapsed_references_across_emphasis, test_leaves_links_words_indexes_and_code,
             test_label_end_and_reference_at, test_unbracket_keeps_the_tree_sound)
