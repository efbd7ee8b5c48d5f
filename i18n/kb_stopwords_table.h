/* kb_stopwords_table.h: the generated stop-word table (private to kb_stopwords.c). */
#ifndef KB_STOPWORDS_TABLE_H
#define KB_STOPWORDS_TABLE_H

struct kb_stopword_entry {
    const char *lang;
    const char *word;
};

extern const struct kb_stopword_entry kb_stopword_table[];
extern const unsigned kb_stopword_table_count;

#endif
