/* kb_stopwords.c: see kb_stopwords.h. */
#include "kb_stopwords.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kb_stopwords_table.h"
#include "kb_tok.h"
#include "kb_util.h"

/* Folded copies of the table, sorted by (lang, word) for bsearch. */
typedef struct S_word {
    const char *lang;
    char *folded;
} S_word;

static S_word *S_aWord;
static unsigned S_nWord;
static pthread_once_t S_once = PTHREAD_ONCE_INIT;

static int S_cmp(const void *a, const void *b) {
    const S_word *x = a, *y = b;
    int c = strcmp(x->lang, y->lang);
    return c ? c : strcmp(x->folded, y->folded);
}

static void S_fold(const char *z, size_t n, char *out, size_t cap) { kb_tok_fold(z, n, out, cap); }

static void S_init(void) {
    S_aWord = kb_xcalloc(kb_stopword_table_count, sizeof *S_aWord);
    for (unsigned i = 0; i < kb_stopword_table_count; i++) {
        char buf[64];
        S_fold(kb_stopword_table[i].word, strlen(kb_stopword_table[i].word), buf, sizeof buf);
        S_aWord[i] = (S_word){kb_stopword_table[i].lang, kb_xstrdup(buf)};
    }
    S_nWord = kb_stopword_table_count;
    qsort(S_aWord, S_nWord, sizeof *S_aWord, S_cmp);
}

int kb_stopword(const char *lang, const char *word, size_t n) {
    if (!lang || n == 0 || n > 48) return 0;
    pthread_once(&S_once, S_init);
    char buf[64];
    S_fold(word, n, buf, sizeof buf);
    S_word key = {lang, buf};
    return bsearch(&key, S_aWord, S_nWord, sizeof key, S_cmp) != NULL;
}
