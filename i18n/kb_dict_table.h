/* kb_dict_table.h: the generated word tables (private to kb_dict.c; see gen_dict.c). */
#ifndef KB_DICT_TABLE_H
#define KB_DICT_TABLE_H

#include <stddef.h>

/* A language's tokens, sorted by bytes, one a line ("took\n"). */
struct kb_dict_list {
    const char *lang;
    const char *lines;
    size_t size;
};

extern const struct kb_dict_list kb_dict_lists[];
extern const unsigned kb_dict_list_count;
/* "british\tamerican\n" lines, folded, sorted by the British word. */
extern const char *const kb_dict_us_spelling;
extern const size_t kb_dict_us_spelling_size;

#endif
