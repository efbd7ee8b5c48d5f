/* test_han.c: Traditional to Simplified Chinese (i18n/kb_han.c). */
#include "kb_han.h"
#include "kb_han_table.h"
#include "kb_test.h"

static void test_traditional_characters_read_as_simplified(void)
{
    CHECK_INT(kb_han_simplify(0x865B), 0x865A); /* 虛 -> 虚 */
    CHECK_INT(kb_han_simplify(0x6A5F), 0x673A); /* 機 -> 机 */
    CHECK_INT(kb_han_simplify(0x7121), 0x65E0); /* 無 -> 无 */
    CHECK_INT(kb_han_simplify(0x555F), 0x542F); /* 啟 -> 启 */
    CHECK_INT(kb_han_simplify(0x4E7E), 0x5E72); /* 乾 -> 干, OpenCC's first form */
    CHECK_INT(kb_han_simplify(0x85B4), 0x82CE); /* 薴 -> 苎, through 苧 */
}

static void test_other_characters_stay(void)
{
    CHECK_INT(kb_han_simplify(0x865A), 0x865A); /* 虚: already Simplified */
    CHECK_INT(kb_han_simplify(0x4E48), 0x4E48); /* 么, of 什么: not 幺 */
    CHECK_INT(kb_han_simplify(0x5668), 0x5668); /* 器: the same in both */
    CHECK_INT(kb_han_simplify('A'), 'A');
    CHECK_INT(kb_han_simplify(0x30AC), 0x30AC); /* ガ */
    CHECK_INT(kb_han_simplify(0x20000), 0x20000);
    CHECK_INT(kb_han_simplify(-1), -1);
}

/* The tokenizer folds a question's characters as it folds the docs': a
 * second fold that changed anything would split what should match. */
static void test_folding_twice_is_folding_once(void)
{
    int nChanged = 0;
    for (int32_t cp = 0x3400; cp <= 0xFFFF; cp++) {
        int32_t s = kb_han_simplify(cp);
        if (s != cp) nChanged++;
        if (kb_han_simplify(s) != s) CHECK_INT(kb_han_simplify(s), s);
    }
    CHECK_INT(nChanged, (long)kb_han_table_count);
    CHECK(kb_han_table_count > 2500); /* OpenCC's table, not a handful */
    for (unsigned i = 1; i < kb_han_table_count; i++)
        if (kb_han_table[i - 1].traditional >= kb_han_table[i].traditional) CHECK_INT(i, 0); /* sorted */
}

KB_TEST_MAIN(test_traditional_characters_read_as_simplified, test_other_characters_stay,
             test_folding_twice_is_folding_once)
