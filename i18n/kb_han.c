/* kb_han.c: Traditional to Simplified, by binary search of the generated
 * table (kb_han_table.c, about 3,000 pairs, 12 KB). */
#include "kb_han.h"

#include "kb_han_table.h"

int32_t kb_han_simplify(int32_t cp)
{
    if (cp < kb_han_table[0].traditional || cp > kb_han_table[kb_han_table_count - 1].traditional) return cp;
    unsigned lo = 0, hi = kb_han_table_count;
    while (lo < hi) {
        unsigned mid = lo + (hi - lo) / 2;
        if (kb_han_table[mid].traditional < cp) lo = mid + 1;
        else hi = mid;
    }
    return lo < kb_han_table_count && kb_han_table[lo].traditional == cp ? kb_han_table[lo].simplified : cp;
}
