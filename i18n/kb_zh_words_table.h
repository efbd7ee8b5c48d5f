/* kb_zh_words_table.h: the generated table of kb_zh_words.c (private to it). */
#ifndef KB_ZH_WORDS_TABLE_H
#define KB_ZH_WORDS_TABLE_H

struct kb_zh_word {
    const char *mainland; /* in Simplified characters */
    const char *taiwan;   /* as Taiwan's docs write it */
    int typedInTaiwan;    /* Taiwan types it too, in its characters (超時 for 逾時) */
};

extern const struct kb_zh_word kb_zh_words_table[];
extern const unsigned kb_zh_words_count;
extern const unsigned kb_zh_words_longest;

#endif
