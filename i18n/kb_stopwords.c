/* kb_stopwords.c: see kb_stopwords.h. */
#include "kb_stopwords.h"

#include <stdlib.h>
#include <string.h>

#include "kb_stopwords_table.h"
#include "kb_tok.h"

/* The table is sorted by language, then by folded word (gen_stopwords.sh). */
static int S_cmp(const void *key, const void *entry) {
    const struct kb_stopword_entry *k = key, *e = entry;
    int c = strcmp(k->lang, e->lang);
    return c ? c : strcmp(k->word, e->word);
}

int kb_stopword(const char *lang, const char *word, size_t n) {
    if (!lang || n == 0 || n > 48) return 0;
    char folded[64];
    kb_tok_fold(word, n, folded, sizeof folded);
    struct kb_stopword_entry key = {lang, folded};
    return bsearch(&key, kb_stopword_table, kb_stopword_table_count, sizeof key, S_cmp) != NULL;
}
