/* kb_vocab_table.h: the generated vocabulary table (private to kb_vocab.c). */
#ifndef KB_VOCAB_TABLE_H
#define KB_VOCAB_TABLE_H

struct kb_vocab_table_entry {
    const char *kind;   /* "col-error", "col-cause", ... as in vocab.tsv */
    const char *locale; /* "es", "en", ... */
    const char *phrase;
};

extern const struct kb_vocab_table_entry kb_vocab_table[];
extern const unsigned kb_vocab_table_count;

#endif
