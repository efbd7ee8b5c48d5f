/* test_zh_words.c: the mainland's words in Taiwan's (i18n/kb_zh_words.c). */
#include "kb_test.h"
#include "kb_zh_words.h"

#include <stdlib.h>
#include <string.h>

/* The rewritten text, or "-" when nothing was rewritten (static buffer). */
static const char *taiwan(const char *z) {
    static char out[256];
    char *r = kb_zh_words_taiwan(z, strlen(z));
    snprintf(out, sizeof out, "%s", r ? r : "-");
    free(r);
    return out;
}

static void test_mainland_words_become_taiwan_words(void) {
    CHECK_STR(taiwan("存储帐户"), "儲存帐户");
    CHECK_STR(taiwan("服务器"), "伺服器");
    CHECK_STR(taiwan("数据库服务器"), "資料庫伺服器");
    CHECK_STR(taiwan("无法访问文件"), "无法存取檔案"); /* OpenCC's first form, 訪問, is the same word */
    CHECK_STR(taiwan("存储账户"), "儲存账户");         /* 账, a variant, is no Traditional character */
}

/* Taiwan's text says its own words, some of which the mainland's share. */
static void test_traditional_text_stays(void) {
    CHECK_STR(taiwan("連接到虛擬機器"), "-");
    CHECK_STR(taiwan("疑難排解程序"), "-");
    CHECK_STR(taiwan("程序"), "程式"); /* the same in both scripts: a mainland word */
}

static void test_longest_word_first(void) {
    CHECK_STR(taiwan("源文件"), "原始檔"); /* not 源 + 檔案 */
}

static void test_taiwan_words_and_other_text_stay(void) {
    CHECK_STR(taiwan("虛擬機器"), "-");
    CHECK_STR(taiwan("虚拟机器"), "-"); /* not 虚拟机 + 器 */
    CHECK_STR(taiwan("虚拟机"), "虛擬機器");
    CHECK_STR(taiwan("備份失敗"), "-");
    CHECK_STR(taiwan(""), "-");
    CHECK_STR(taiwan("backup"), "-");
    CHECK_STR(taiwan("\xff\xfe"), "-");
}

KB_TEST_MAIN(test_mainland_words_become_taiwan_words, test_traditional_text_stays, test_longest_word_first,
             test_taiwan_words_and_other_text_stay)
