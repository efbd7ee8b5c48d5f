/* test_zh_words.c: the mainland's words in Taiwan's (i18n/kb_zh_words.c). */
#include "kb_test.h"
#include "kb_zh_words.h"

#include <stdlib.h>
#include <string.h>

/* The rewritten text, words apart, or "-" when nothing was rewritten
 * (static buffer). */
static const char *taiwan(const char *z) {
    static char out[256];
    char *r = kb_zh_words_taiwan(z, strlen(z), 1, NULL);
    snprintf(out, sizeof out, "%s", r ? r : "-");
    free(r);
    return out;
}

static void test_mainland_words_become_taiwan_words(void) {
    CHECK_STR(taiwan("存储帐户"), "儲存 帐户");
    CHECK_STR(taiwan("服务器"), "伺服器");
    CHECK_STR(taiwan("数据库服务器"), "資料庫 伺服器");
    CHECK_STR(taiwan("无法访问文件"), "无法 存取 檔案"); /* OpenCC's first form, 訪問, is the same word */
    CHECK_STR(taiwan("存储账户"), "儲存 账户");         /* 账, a variant, is no Traditional character */
}

/* Taiwan's text says its own words, some of which the mainland's share. */
static void test_traditional_text_stays(void) {
    CHECK_STR(taiwan("連接到虛擬機器"), "-");
    CHECK_STR(taiwan("疑難排解程序"), "-");
    CHECK_STR(taiwan("程序"), "程式"); /* the same in both scripts: a mainland word */
}

/* A few words Taiwan types too, for which the docs' translation has
 * another (zh_words.tsv marks them), are rewritten in Traditional text. */
static void test_taiwan_typed_words_become_the_docs_words(void) {
    CHECK_STR(taiwan("快取超時"), "快取 逾時");
    CHECK_STR(taiwan("掛載點"), "裝載");        /* 點 alone makes no bigram */
    CHECK_STR(taiwan("SSH連不上"), "SSH 無法連線");
    CHECK_STR(taiwan("超时"), "逾時");          /* and in Simplified, as before */
    CHECK_STR(taiwan("疑難排解程序超時"), "疑難排解程序 逾時"); /* 程序 stays Taiwan's */
}

/* kb's pairs (zh_words.tsv) add what OpenCC lacks, and win over it. */
static void test_own_pairs_add_and_override(void) {
    CHECK_STR(taiwan("证书过期"), "憑證 过期"); /* not in OpenCC */
    CHECK_STR(taiwan("镜像"), "圖像");         /* OpenCC: 映象, in no document */
    CHECK_STR(taiwan("权限"), "-");            /* OpenCC: 許可權; the docs say 權限 */
}

/* Apart, a character alone between rewritten words makes no bigram of
 * its own; joined, the text reads as a heading would write it. */
static void test_words_stand_apart_or_joined(void) {
    CHECK_STR(taiwan("云服务的证书"), "雲端服務 憑證");
    CHECK_STR(taiwan("的证书"), "憑證");
    CHECK_STR(taiwan("证书的"), "憑證");
    char *r = kb_zh_words_taiwan("云服务的证书", strlen("云服务的证书"), 0, NULL);
    CHECK_STR(r, "雲端服務的憑證");
    free(r);
}

static void test_rewritten_characters_are_told(void) {
    uint64_t bits = 1;
    char *r = kb_zh_words_taiwan("证书魔法咒语", strlen("证书魔法咒语"), 1, &bits);
    CHECK_STR(r, "憑證 魔法咒语");
    CHECK_INT(bits, 0x3); /* 证书 */
    free(r);
    r = kb_zh_words_taiwan("魔法的服务器", strlen("魔法的服务器"), 0, &bits);
    CHECK_INT(bits, 0x38); /* 服务器, characters 3-5 */
    free(r);
    CHECK(kb_zh_words_taiwan("魔法", strlen("魔法"), 1, &bits) == NULL);
    CHECK_INT(bits, 0);
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

KB_TEST_MAIN(test_mainland_words_become_taiwan_words, test_traditional_text_stays,
             test_taiwan_typed_words_become_the_docs_words, test_own_pairs_add_and_override,
             test_words_stand_apart_or_joined, test_rewritten_characters_are_told, test_longest_word_first,
             test_taiwan_words_and_other_text_stay)
