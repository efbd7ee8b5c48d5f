/* test_cmark.c: cmark-gfm as kb uses it, from several threads at once. */
#include "kb_test.h"

#include <pthread.h>

#include "kb_cmark.h"

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

KB_TEST_MAIN(test_parallel_parses_all_find_autolinks)
