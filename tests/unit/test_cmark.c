/* test_cmark.c: cmark-gfm as kb uses it, from several threads at once. */
#include "kb_test.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_cmark.h"
#include "kb_util.h"

#define PARSES 2000

static const char kDoc[] =
    "Check https://example.com/status and www.example.org before you retry.\n\n"
    "| Error | Action |\n|---|---|\n| ~~old~~ code | see https://aka.ms/backup |\n";

/* Autolinks and strikethroughs of a parsed document. */
static void count_inlines(cmark_node *doc, int *pLinks, int *pStrike) {
    cmark_iter *it = cmark_iter_new(doc);
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER) continue;
        if (cmark_node_get_type(n) == CMARK_NODE_LINK) (*pLinks)++;
        if (kb_cmark_is(n, "strikethrough")) (*pStrike)++;
    }
    cmark_iter_free(it);
}

static void *parse_many(void *arg) {
    int *pBad = arg;
    for (int i = 0; i < PARSES; i++) {
        cmark_node *doc = kb_cmark_parse(kDoc, sizeof kDoc - 1);
        int links = 0, strike = 0;
        count_inlines(doc, &links, &strike);
        if (links != 3 || strike != 1) (*pBad)++;
        cmark_node_free(doc);
    }
    return NULL;
}

/* cmark-gfm 0.29 shares the table of extension characters between parsers:
 * kb-index's workers must still each see every autolink. */
static void test_parallel_parses_all_find_autolinks(void) {
    pthread_t aThread[4];
    int aBad[4] = {0};
    for (int t = 0; t < 4; t++) pthread_create(&aThread[t], NULL, parse_many, &aBad[t]);
    for (int t = 0; t < 4; t++) pthread_join(aThread[t], NULL);
    CHECK_INT(aBad[0] + aBad[1] + aBad[2] + aBad[3], 0);
}

/* The deepest nesting of block quotes and list items, and the text of the
 * paragraphs, joined by '/'. */
static int nesting(cmark_node *doc, char *text, size_t cap) {
    cmark_iter *it = cmark_iter_new(doc);
    int depth = 0, deepest = 0;
    size_t n = 0;
    text[0] = 0;
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_BLOCK_QUOTE || t == CMARK_NODE_ITEM) depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
        if (depth > deepest) deepest = depth;
        if (t == CMARK_NODE_TEXT && n + 64 < cap) n += (size_t)snprintf(text + n, cap - n, "%s/", cmark_node_get_literal(node));
    }
    cmark_iter_free(it);
    return deepest;
}

static char *repeat(const char *unit, int times, const char *tail) {
    size_t nUnit = strlen(unit), nTail = strlen(tail);
    char *z = malloc(nUnit * (size_t)times + nTail + 1);
    for (int i = 0; i < times; i++) memcpy(z + nUnit * (size_t)i, unit, nUnit);
    memcpy(z + nUnit * (size_t)times, tail, nTail + 1);
    return z;
}

/* Nesting past 32 levels is flattened, its text kept in order: rendering
 * costs the square of the depth (100,000 "> " took 25 s). Shallower
 * nesting is left as it is. */
static void test_deep_nesting_is_flattened(void) {
    char text[256];
    char *md = repeat("> ", 5000, "deep\n\n> after\n");
    cmark_node *doc = kb_cmark_parse(md, strlen(md));
    CHECK_INT(nesting(doc, text, sizeof text), 32);
    CHECK_STR(text, "deep/after/");
    cmark_node_free(doc);
    free(md);
    md = repeat("- ", 3000, "item\n  - two\n\n  code?\n\nend\n");
    doc = kb_cmark_parse(md, strlen(md));
    CHECK_INT(nesting(doc, text, sizeof text) <= 32, 1);
    CHECK_STR(text, "item/two/code?/end/");
    cmark_node_free(doc);
    free(md);
    md = repeat("> ", 10, "ten\n");
    doc = kb_cmark_parse(md, strlen(md));
    CHECK_INT(nesting(doc, text, sizeof text), 10);
    cmark_node_free(doc);
    free(md);
}

/* The deepest run of nested emphasis under node, and its text into out. */
static int S_emphasis_depth(cmark_node *doc, char *out, size_t cap) {
    int depth = 0, max = 0;
    size_t n = 0;
    cmark_iter *it = cmark_iter_new(doc);
    for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(node);
        if (t == CMARK_NODE_EMPH || t == CMARK_NODE_STRONG) {
            depth += ev == CMARK_EVENT_ENTER ? 1 : -1;
            if (depth > max) max = depth;
        } else if (t == CMARK_NODE_TEXT && ev == CMARK_EVENT_ENTER && n + 64 < cap) {
            n += (size_t)snprintf(out + n, cap - n, "%s", cmark_node_get_literal(node));
        }
    }
    cmark_iter_free(it);
    return max;
}

/* Emphasis nested past 32 is unwrapped, its text kept: rendering it had
 * cost the square of its depth. Shallow emphasis is untouched. */
static void test_deep_emphasis_is_unwrapped(void) {
    char text[256];
    char *open = repeat("*", 20000, "x"), *md = repeat("*", 20000, "");
    char *both = kb_xasprintf("%s%s", open, md);
    cmark_node *doc = kb_cmark_parse(both, strlen(both));
    CHECK(S_emphasis_depth(doc, text, sizeof text) <= 32);
    CHECK_STR(text, "x");
    cmark_node_free(doc);
    const char *shallow = "a *b **c** d* e";
    doc = kb_cmark_parse(shallow, strlen(shallow));
    CHECK_INT(S_emphasis_depth(doc, text, sizeof text), 2);
    CHECK_STR(text, "a b c d e");
    cmark_node_free(doc);
    free(both);
    free(open);
    free(md);
}

/* U+FFFE and U+FFFF are read as U+FFFD: cmark writes them out as the lone
 * bytes 0xFE and 0xFF, which no JSON answer could then carry. */
static void test_noncharacters_render_as_utf8(void) {
    static const char md[] = "a\xEF\xBF\xBE b\xEF\xBF\xBF *c\xEF\xBF\xBE*\n";
    cmark_node *doc = kb_cmark_parse(md, sizeof md - 1);
    char *out = cmark_render_commonmark(doc, CMARK_OPT_DEFAULT, 0);
    CHECK(kb_utf8_valid(out, strlen(out), NULL));
    CHECK_STR(out, "a\xEF\xBF\xBD b\xEF\xBF\xBD *c\xEF\xBF\xBD*\n");
    free(out);
    cmark_node_free(doc);
}

KB_TEST_MAIN(test_parallel_parses_all_find_autolinks, test_deep_nesting_is_flattened, test_deep_emphasis_is_unwrapped,
             test_noncharacters_render_as_utf8)
