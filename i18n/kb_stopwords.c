/* kb_stopwords.c: see kb_stopwords.h. */
#include "kb_stopwords.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kb_stopwords_table.h"
#include "kb_tok.h"
#include "kb_util.h"

#define KB_STOPWORDS_LANGS 32

/* One language's words, folded the way query words are, sorted for
 * bsearch. Built on first use: a query needs one or two languages, and
 * folding all of them costs more than the query. */
typedef struct S_lang_words {
    char lang[4];
    char **aWord;
    unsigned n;
} S_lang_words;

static S_lang_words S_aLang[KB_STOPWORDS_LANGS];
static int S_nLang;
static pthread_mutex_t S_mutex = PTHREAD_MUTEX_INITIALIZER;

static int S_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void S_fold(const char *z, size_t n, char *out, size_t cap) { kb_tok_fold(z, n, out, cap); }

static const S_lang_words *S_words(const char *lang) {
    pthread_mutex_lock(&S_mutex);
    S_lang_words *w = NULL;
    for (int i = 0; i < S_nLang && !w; i++)
        if (strcmp(S_aLang[i].lang, lang) == 0) w = &S_aLang[i];
    if (!w && S_nLang < KB_STOPWORDS_LANGS && strlen(lang) < sizeof w->lang) {
        w = &S_aLang[S_nLang++];
        memcpy(w->lang, lang, strlen(lang) + 1);
        for (unsigned i = 0; i < kb_stopword_table_count; i++) {
            if (strcmp(kb_stopword_table[i].lang, lang) != 0) continue;
            char buf[64];
            S_fold(kb_stopword_table[i].word, strlen(kb_stopword_table[i].word), buf, sizeof buf);
            w->aWord = kb_xrealloc(w->aWord, (w->n + 1) * sizeof *w->aWord);
            w->aWord[w->n++] = kb_xstrdup(buf);
        }
        if (w->n > 1) qsort(w->aWord, w->n, sizeof *w->aWord, S_cmp);
    }
    pthread_mutex_unlock(&S_mutex);
    return w;
}

int kb_stopword(const char *lang, const char *word, size_t n) {
    if (!lang || n == 0 || n > 48) return 0;
    const S_lang_words *w = S_words(lang);
    if (!w || w->n == 0) return 0;
    char buf[64];
    S_fold(word, n, buf, sizeof buf);
    const char *key = buf;
    return bsearch(&key, w->aWord, w->n, sizeof *w->aWord, S_cmp) != NULL;
}
