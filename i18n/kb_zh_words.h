/* kb_zh_words.h: the mainland's words for what Taiwan's docs say otherwise.
 *
 * Reading both scripts alike (kb_han.h) finds 虚拟机无法启动 in Traditional
 * docs, but not 存储帐户: the two regions also say many computing words
 * differently (存储 and 儲存, 服务器 and 伺服器, 数据库 and 資料庫, 文件 and
 * 檔案), so the Simplified spelling of a mainland word is no word of the
 * zh-TW docs. kb-query therefore also searches a Chinese question in
 * Taiwan's words, as it searches a Spanish one in its docs' (kb_synonym.h).
 * The pairs are OpenCC's (TWPhrases, from Debian's libopencc-data) and
 * kb's own for the words OpenCC lacks or says as the docs do not (证书:
 * 憑證, i18n/zh_words.tsv), made into a table at build time
 * (gen_zh_words.sh). */
#ifndef KB_ZH_WORDS_H
#define KB_ZH_WORDS_H

#include <stddef.h>
#include <stdint.h>

/* z[0..n) with its mainland words in Taiwan's, leftmost and longest first;
 * the rest as it is. Apart (bApart 1), each rewritten word is a word of
 * its own ("存储帐户": "儲存 帐户"), so that no bigram straddles it, and a
 * character left alone between two words is left out ("云服务的证书":
 * "雲端服務 憑證"), as no bigram holds it; else the words stay joined, as
 * a heading writes them ("儲存帐户"). Only text typed in Simplified characters is the
 * mainland's: one Traditional character makes it Taiwan's, whose words
 * stay ("連接", connect, is Taiwan's too, and its "程序" a procedure, not
 * the mainland's program, "程式"), but for the few that Taiwan types too
 * where the docs' translation says otherwise ("超時": "逾時";
 * zh_words.tsv marks them). A word already in Taiwan's form stays:
 * "虚拟机器" is not the mainland "虚拟机" and a "器". Returns the malloc'd
 * text, or NULL when no word was rewritten; bit i of *pRewritten (when not
 * NULL) is set if z's character i was in a rewritten word. */
char *kb_zh_words_taiwan(const char *z, size_t n, int bApart, uint64_t *pRewritten);

#endif
