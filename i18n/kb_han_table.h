/* kb_han_table.h: the generated Traditional-to-Simplified table (private to kb_han.c). */
#ifndef KB_HAN_TABLE_H
#define KB_HAN_TABLE_H

#include <stdint.h>

struct kb_han_pair {
    uint16_t traditional;
    uint16_t simplified;
    uint8_t script;  /* 1: a Traditional character (OpenCC's); 0: a variant spelling only */
};

extern const struct kb_han_pair kb_han_table[];
extern const unsigned kb_han_table_count;

#endif
