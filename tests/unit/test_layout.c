/* test_layout.c: the lines of terminal text, on plain strings (what the
 * text renderer's walk asks of them: test_render.c). */
#include "kb_layout.h"
#include "kb_test.h"
#include "kb_util.h"

/* One text line laid out as a paragraph at width, as the walk writes a
 * line of a paragraph: its first nIndent bytes indent it, the nBullet
 * after them are its bullet. */
static char *S_line(int width, const char *z, size_t nIndent, size_t nBullet) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, width, 0, NULL, NULL);
    kb_layout_line(&L, z, strlen(z), nIndent, nBullet, 0);
    kb_layout_free(&L);
    return kb_buf_detach(&out);
}

/* The first line of z longer than width columns, or NULL. */
static const char *S_overlong(const char *z, int width) {
    for (const char *p = z; *p;) {
        size_t n = strcspn(p, "\n");
        if (kb_layout_columns(p, n) > width) return p;
        p += n + (p[n] == '\n');
    }
    return NULL;
}

/* 1 if a line after the first of z starts with s. */
static int S_line_starts(const char *z, const char *s) {
    for (const char *p = strchr(z, '\n'); p && p[1]; p = strchr(p + 1, '\n'))
        if (strncmp(p + 1, s, strlen(s)) == 0) return 1;
    return 0;
}

static void test_columns_count_cjk_as_two_and_accents_as_zero(void) {
    CHECK_INT(kb_layout_columns("disk", 4), 4);
    CHECK_INT(kb_layout_columns("ディスク", strlen("ディスク")), 8);
    CHECK_INT(kb_layout_columns("e\xcc\x81", 3), 1); /* "e" and a combining acute accent */
    CHECK_INT(kb_layout_columns("\xff", 1), 1);     /* a stray byte is one replacement character */
}

static void test_width_zero_never_wraps(void) {
    char *t = S_line(0, "the vault credentials file could not be downloaded from the portal", 0, 0);
    CHECK_STR(t, "the vault credentials file could not be downloaded from the portal\n");
    free(t);
}

static void test_lines_break_between_words_at_the_width(void) {
    char *t = S_line(20, "the vault credentials file could not be downloaded", 0, 0);
    CHECK_STR(t, "the vault\ncredentials file\ncould not be\ndownloaded\n");
    CHECK(S_overlong(t, 20) == NULL);
    free(t);
}

static void test_word_longer_than_a_line_stands_alone_on_it(void) {
    char *t = S_line(10, "see C:\\Program\\Files\\Microsoft\\Azure now", 0, 0);
    CHECK_STR(t, "see\nC:\\Program\\Files\\Microsoft\\Azure\nnow\n");
    free(t);
}

static void test_wrapped_lines_hang_under_their_bullet(void) {
    char *t = S_line(16, "  - check the proxy settings of the server", 2, 2);
    CHECK_STR(t, "  - check the\n    proxy\n    settings of\n    the server\n");
    free(t);
    t = S_line(16, "10. check the proxy settings", 0, 4);
    CHECK_STR(t, "10. check the\n    proxy\n    settings\n");
    free(t);
}

/* No line starts with a small kana, a prolonged sound mark or a closing
 * mark, nor ends with an opening one, at any width that would cut there. */
static void test_cjk_breaks_between_characters_where_kinsoku_allows(void) {
    static const char *const aNoStart[] = {"ッ", "ョ", "ー", "、", "。", "」", "）"};
    for (int width = 6; width <= 30; width++) { /* "ショッ" is 6 columns that stay together */
        char *t = S_line(width, "スナップショット（ディスク）の「バックアップ」が失敗しました。", 0, 0);
        CHECK(S_overlong(t, width) == NULL);
        for (size_t k = 0; k < sizeof aNoStart / sizeof *aNoStart; k++) CHECK(!S_line_starts(t, aNoStart[k]));
        CHECK(strstr(t, "（\n") == NULL && strstr(t, "「\n") == NULL);
        free(t);
    }
    char *t = S_line(10, "新しいディスクを接続します。", 0, 0);
    CHECK_STR(t, "新しいディ\nスクを接続\nします。\n");
    free(t);
}

static void test_arrow_of_a_link_reference_stays_with_its_target(void) {
    char *t = S_line(24, "see the vault page (\xe2\x86\x92 es-es/doc.md#vault)", 0, 0);
    CHECK_STR(t, "see the vault page\n(\xe2\x86\x92 es-es/doc.md#vault)\n");
    free(t);
}

static void test_lead_starts_the_next_line_and_the_rest_hang_under_it(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 20, 0, NULL, NULL);
    kb_layout_depth top = kb_layout_save(&L);
    kb_layout_set_lead(&L, "- ", 2, 0);
    const char *z = "the agent could not reach the vault";
    kb_layout_line(&L, z, strlen(z), 0, 0, 0);
    kb_layout_line(&L, "again", 5, 0, 0, 0); /* still under the bullet until the item closes */
    kb_layout_restore(&L, top);
    kb_layout_line(&L, "after", 5, 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "- the agent could\n  not reach the\n  vault\n  again\nafter\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* "Note:" of an alert whose first line is a list item, "- " of an item
 * whose first block is code: the lead goes on a line of its own, without
 * its trailing blank. */
static void test_lead_before_a_bullet_gets_a_line_of_its_own(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 40, 0, NULL, NULL);
    kb_layout_depth top = kb_layout_save(&L);
    kb_layout_set_lead(&L, "Note: ", 2, 1);
    kb_layout_line(&L, "- first", 7, 0, 2, 0);
    kb_layout_restore(&L, top);
    kb_layout_set_lead(&L, "- ", 2, 0);
    kb_layout_flush_lead(&L);
    CHECK_STR(kb_buf_str(&out), "Note:\n  - first\n-\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

static void test_blank_line_between_blocks_never_before_the_first(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 40, 0, NULL, NULL);
    kb_layout_blank(&L);
    kb_layout_line(&L, "one", 3, 0, 0, 0);
    kb_layout_line(&L, "two", 3, 0, 0, 0);
    kb_layout_blank(&L);
    kb_layout_blank(&L);
    kb_layout_line(&L, "three", 5, 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "one\ntwo\n\nthree\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* Deep quotes stop indenting at half the width, so text keeps room. */
static void test_indentation_stops_at_half_the_width(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 20, 0, NULL, NULL);
    for (int i = 0; i < 30; i++) kb_layout_indent(&L, "> ");
    kb_layout_line(&L, "deep", 4, 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "> > > > > deep\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* Marks the bytes of ctx's word wherever it occurs. */
static void S_mark_word(void *ctx, const char *z, size_t n, unsigned char *aBold) {
    size_t k = strlen(ctx);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(z + i, ctx, k) == 0) memset(aBold + i, 1, k);
}

/* Marks the second byte of the first "デ": a callback need not know UTF-8. */
static void S_mark_inside(void *ctx, const char *z, size_t n, unsigned char *aBold) {
    (void)ctx;
    const char *at = strstr(z, "デ");
    if (at && (size_t)(at - z) + 1 < n) aBold[at - z + 1] = 1;
}

static void test_highlight_is_bold_around_whole_characters(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 80, 1, S_mark_word, "vault");
    kb_layout_line(&L, "the vault credentials", 21, 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "the \033[1mvault\033[0m credentials\n");
    kb_layout_free(&L);
    kb_buf_reset(&out);
    kb_layout_init(&L, &out, 80, 1, S_mark_inside, NULL);
    const char *z = "新しいディスク";
    kb_layout_line(&L, z, strlen(z), 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "新しい\033[1mデ\033[0mィスク\n");
    kb_layout_free(&L);
    kb_buf_reset(&out);
    kb_layout_init(&L, &out, 80, 0, S_mark_word, "vault"); /* no colour, no escapes */
    kb_layout_line(&L, "the vault", 9, 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "the vault\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* A heading is bold all through (its matches are not marked again), line
 * by line: the prefix of its next line is not part of it. */
static void test_heading_bold_closes_at_each_line_end(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 16, 1, S_mark_word, "vault");
    kb_layout_indent(&L, "> ");
    const char *z = "Invalid vault credentials";
    kb_layout_line(&L, z, strlen(z), 0, 0, 1);
    CHECK_STR(kb_buf_str(&out), "> \033[1mInvalid vault\033[0m\n> \033[1mcredentials\033[0m\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* A label's lead ("Cause: ") does not keep a word that does not fit after
 * it: the word goes under it. A bullet keeps its word. */
static void test_long_word_goes_under_a_label_but_stays_after_a_bullet(void) {
    const char *z = "C:\\a\\very\\long\\path\\name";
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 20, 0, NULL, NULL);
    kb_layout_depth top = kb_layout_save(&L);
    kb_layout_set_lead(&L, "Cause: ", 2, 1);
    kb_layout_line(&L, z, strlen(z), 0, 0, 0);
    kb_layout_restore(&L, top);
    kb_layout_set_lead(&L, "- ", 2, 0);
    kb_layout_line(&L, z, strlen(z), 0, 0, 0);
    CHECK_STR(kb_buf_str(&out), "Cause:\n  C:\\a\\very\\long\\path\\name\n- C:\\a\\very\\long\\path\\name\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

/* Lines the caller writes itself (a table's grid) start with the prefix
 * and end without trailing blanks. */
static void test_caller_lines_start_with_the_prefix_and_end_trimmed(void) {
    kb_buf out = {0};
    kb_layout L;
    kb_layout_init(&L, &out, 40, 0, NULL, NULL);
    kb_layout_line(&L, "before", 6, 0, 0, 0);
    kb_layout_indent(&L, "> ");
    kb_layout_blank(&L);
    kb_layout_begin(&L);
    kb_layout_line_start(&L);
    kb_layout_put_words(&L, "a", 1);
    kb_buf_adds(L.out, "    ");
    kb_layout_line_end(&L);
    CHECK_STR(kb_buf_str(&out), "before\n\n> a\n");
    kb_layout_free(&L);
    kb_buf_free(&out);
}

KB_TEST_MAIN(test_columns_count_cjk_as_two_and_accents_as_zero, test_width_zero_never_wraps,
             test_lines_break_between_words_at_the_width, test_word_longer_than_a_line_stands_alone_on_it,
             test_wrapped_lines_hang_under_their_bullet, test_cjk_breaks_between_characters_where_kinsoku_allows,
             test_arrow_of_a_link_reference_stays_with_its_target,
             test_lead_starts_the_next_line_and_the_rest_hang_under_it,
             test_lead_before_a_bullet_gets_a_line_of_its_own,
             test_long_word_goes_under_a_label_but_stays_after_a_bullet, test_blank_line_between_blocks_never_before_the_first,
             test_indentation_stops_at_half_the_width, test_highlight_is_bold_around_whole_characters,
             test_heading_bold_closes_at_each_line_end, test_caller_lines_start_with_the_prefix_and_end_trimmed)
