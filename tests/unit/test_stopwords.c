/* test_stopwords.c: the generated stop-word table and its lookup. */
#include "kb_test.h"

#include <string.h>

#include "kb_stopwords.h"
#include "kb_stopwords_table.h"
#include "kb_tok.h"

/* kb_stopword binary-searches the table as generated: it must already be
 * folded the way kb_tok_fold folds a query word, and sorted. */
static void test_table_is_folded_and_sorted(void) {
    CHECK(kb_stopword_table_count > 1000);
    int nUnfolded = 0, nUnsorted = 0;
    for (unsigned i = 0; i < kb_stopword_table_count; i++) {
        const struct kb_stopword_entry *e = &kb_stopword_table[i];
        char folded[64];
        kb_tok_fold(e->word, strlen(e->word), folded, sizeof folded);
        if (strcmp(folded, e->word) != 0 && nUnfolded++ < 3) fprintf(stderr, "not folded: %s %s\n", e->lang, e->word);
        if (i > 0) {
            const struct kb_stopword_entry *p = &kb_stopword_table[i - 1];
            int c = strcmp(p->lang, e->lang);
            if ((c > 0 || (c == 0 && strcmp(p->word, e->word) >= 0)) && nUnsorted++ < 3)
                fprintf(stderr, "out of order: %s %s after %s %s\n", e->lang, e->word, p->lang, p->word);
        }
    }
    CHECK_INT(nUnfolded, 0);
    CHECK_INT(nUnsorted, 0);
}

static void test_words_match_in_any_case_and_accents(void) {
    CHECK(kb_stopword("es", "de", 2));
    CHECK(kb_stopword("es", "Él", strlen("Él")));    /* "él", accent and case as typed */
    CHECK(kb_stopword("es", "esta", 4));             /* "está" typed without the accent */
    CHECK(kb_stopword("de", "ÜBER", strlen("ÜBER")));
    CHECK(kb_stopword("en", "The", 3));
    CHECK(kb_stopword("ru", "Этот", strlen("Этот")));
    CHECK(!kb_stopword("es", "almacén", strlen("almacén")));
    CHECK(!kb_stopword("en", "vault", 5));
    CHECK(!kb_stopword("ja", "の", strlen("の")));  /* no list: nothing is a stop word */
    CHECK(!kb_stopword("es", "", 0));
}

KB_TEST_MAIN(test_table_is_folded_and_sorted, test_words_match_in_any_case_and_accents)
