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
    /* variants (han_variants.tsv): the mainland's 账户 is Taiwan's 帳戶 */
    CHECK_INT(kb_han_simplify(0x8D26), 0x5E10); /* 账 -> 帐 */
    CHECK_INT(kb_han_simplify(0x8CEC), 0x5E10); /* 賬 -> 帐, not OpenCC's 账 */
    CHECK_INT(kb_han_simplify(0x5E33), 0x5E10); /* 帳 -> 帐 */
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

/* Text typed on the mainland has no Traditional character; a variant
 * spelling is not one. */
static void test_traditional_characters_are_told_apart(void)
{
    CHECK(kb_han_is_traditional(0x555F));  /* 啟 */
    CHECK(kb_han_is_traditional(0x8CEC));  /* 賬 */
    CHECK(!kb_han_is_traditional(0x542F)); /* 启 */
    CHECK(!kb_han_is_traditional(0x8D26)); /* 账: a variant of 帐, Simplified */
    CHECK(!kb_han_is_traditional(0x5668)); /* 器 */
    CHECK(!kb_han_is_traditional('A'));
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
             test_traditional_characters_are_told_apart, test_folding_twice_is_folding_once)
