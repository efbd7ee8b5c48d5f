/* kb_han.c: Traditional to Simplified, by binary search of the generated
 * table (kb_han_table.c, about 3,000 pairs, 18 KB: 2,959 in Debian 12). */
#include "kb_han.h"

#include "kb_han_table.h"

#include <stddef.h>

/* The table's entry for cp, or NULL. */
static const struct kb_han_pair *S_find(int32_t cp)
{
    if (cp < kb_han_table[0].traditional || cp > kb_han_table[kb_han_table_count - 1].traditional) return NULL;
    unsigned lo = 0, hi = kb_han_table_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (kb_han_table[mid].traditional < cp) lo = mid + 1;
        else hi = mid;
    }
    return lo < kb_han_table_count && kb_han_table[lo].traditional == cp ? &kb_han_table[lo] : NULL;
}

int32_t kb_han_simplify(int32_t cp)
{
    const struct kb_han_pair *p = S_find(cp);
    return p ? p->simplified : cp;
}

int kb_han_is_traditional(int32_t cp)
{
    const struct kb_han_pair *p = S_find(cp);
    return p && p->script;
}
