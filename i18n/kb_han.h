/* kb_han.h: one script for written Chinese.
 *
 * The zh-TW docs are written in Traditional characters (虛擬機器無法啟動);
 * an engineer on the mainland types the same words in Simplified ones
 * (虚拟机无法启动), and no bigram of the one is a bigram of the other. The
 * Chinese tokenizer therefore reads every character in its Simplified form,
 * in the docs and in questions alike, the way it reads every Latin letter in
 * lower case: either script finds both. Only Chinese is read so: a Japanese
 * 機 is not a 机 (a desk).
 *
 * The map is OpenCC's, character by character (i18n/gen_han_fold.sh), not
 * its phrase conversion: words the two regions say differently (软件 and
 * 軟體) still differ (kb_zh_words.h). It adds the variants OpenCC keeps
 * apart that spell one word (账户 and 帳戶): i18n/han_variants.tsv. */
#ifndef KB_HAN_H
#define KB_HAN_H

#include <stdint.h>

/* The Simplified form of a Traditional Chinese character (or of a variant
 * spelling); any other code point as it is. Folding twice is folding once. */
int32_t kb_han_simplify(int32_t cp);

/* 1 if cp is a Traditional character, which Simplified text does not use
 * (啟, 機, 賬; not 启, 机, nor the variant 账). */
int kb_han_is_traditional(int32_t cp);

#endif
