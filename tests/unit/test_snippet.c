/* test_snippet.c: highlighting matches the way the index matched, and spelling. */
#include "kb_snippet.h"
#include "kb_spell.h"
#include "kb_test.h"
#include "kb_util.h"

/* Whether the matcher marks any byte of the word. */
static int S_matches(kb_matcher *m, const char *word, size_t n) {
    unsigned char aBold[64] = {0};
    kb_matcher_mark(m, word, n, aBold);
    return memchr(aBold, 1, n) != NULL;
}

static void test_matcher_uses_the_section_language(void) {
    char *aTerm[] = {"copia", "almacen"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "es");
    CHECK(S_matches(m, "copias", 6));              /* same Spanish stem */
    CHECK(S_matches(m, "almacén", strlen("almacén"))); /* through the unaccented variant */
    CHECK(!S_matches(m, "backup", 6));
    kb_matcher_free(m);
}

static void test_matcher_skips_stop_words(void) {
    char *aTerm[] = {"de", "credenciales"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "es");
    CHECK(!S_matches(m, "de", 2));
    CHECK(S_matches(m, "credencial", 10));
    kb_matcher_free(m);
}

static void test_snippet_marks_the_best_passage(void) {
    char *aTerm[] = {"vault", "credentials"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "en");
    kb_buf text = {0};
    for (int i = 0; i < 60; i++) kb_buf_adds(&text, "filler words here ");
    kb_buf_adds(&text, "the vault credentials file expired");
    char *z = kb_snippet(m, kb_buf_str(&text), "[", "]", 10);
    CHECK(strstr(z, "[vault] [credentials]") != NULL);
    CHECK(strncmp(z, "…", strlen("…")) == 0); /* cut before the passage */
    free(z);
    kb_buf_free(&text);
    kb_matcher_free(m);
}

/* Once a passage holds every query word, no later one can beat it: the rest
 * of the text is not read, and the passage is still shown whole. */
static void test_snippet_stops_reading_after_a_complete_passage(void) {
    char *aTerm[] = {"vault", "credentials"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "en");
    kb_buf text = {0};
    kb_buf_adds(&text, "one two three four five six the vault credentials file expired");
    for (int i = 0; i < 5000; i++) kb_buf_adds(&text, " filler");
    kb_buf_adds(&text, " vault credentials vault credentials");
    char *z = kb_snippet(m, kb_buf_str(&text), "[", "]", 8);
    CHECK_STR(z, "…five six the [vault] [credentials] file expired filler…");
    free(z);
    /* a repeated query word is one word to find, not two */
    char *aTwice[] = {"vault", "vault", "credentials"};
    kb_matcher *m2 = kb_matcher_new(aTwice, 3);
    kb_matcher_lang(m2, "en");
    z = kb_snippet(m2, kb_buf_str(&text), "[", "]", 8);
    CHECK_STR(z, "…five six the [vault] [credentials] file expired filler…");
    free(z);
    kb_matcher_free(m2);
    kb_buf_free(&text);
    kb_matcher_free(m);
}

/* A long Chinese question has a hundred bigram tokens, most of them
 * starting with the same bytes: every one is found among the others (the
 * matcher's hash set probes past those that share a slot). */
static void test_matcher_matches_a_hundred_tokens_alike(void) {
    char *aTerm[120];
    for (int i = 0; i < 119; i++) aTerm[i] = kb_xasprintf("zz%d", i);
    aTerm[119] = kb_xstrdup("backup");
    kb_matcher *m = kb_matcher_new(aTerm, 120);
    kb_matcher_lang(m, "en");
    for (int i = 0; i < 119; i++) {
        char word[16];
        snprintf(word, sizeof word, "zz%d", i);
        CHECK(S_matches(m, word, strlen(word)));
    }
    CHECK(S_matches(m, "Backups", 7));
    CHECK(!S_matches(m, "zz119", 5));
    CHECK(!S_matches(m, "zz", 2));
    kb_matcher_free(m);
    for (int i = 0; i < 120; i++) free(aTerm[i]);
}

/* What the terminal shows in bold: the bytes of each matching token,
 * whole CJK bigrams included, and nothing else. */
static void test_matcher_marks_matching_tokens(void) {
    char *aTerm[] = {"ディスク", "snapshot"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "ja");
    const char *z = "新しいディスクを ExtensionSnapshotFailed に";
    size_t n = strlen(z);
    unsigned char aBold[128] = {0};
    kb_matcher_mark(m, z, n, aBold);
    const char *disk = strstr(z, "ディスク"), *snap = strstr(z, "Snapshot");
    for (size_t i = 0; i < n; i++) {
        int want = (z + i >= disk && z + i < disk + strlen("ディスク")) || (z + i >= snap && z + i < snap + 8);
        CHECK_INT(aBold[i], want);
    }
    kb_matcher_free(m);
}

/* A word both of whose parts match is marked whole, its apostrophe or
 * hyphen too ("**writer**'**s**" cut it); one part alone is not joined to
 * a word that does not match. */
static void test_word_of_matching_parts_is_marked_whole(void) {
    char *aTerm[] = {"writer's", "time-out"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "en");
    const char *text = "the writer's time-out expired, the writer\xE2\x80\x99s time-outs, writers' time";
    char *z = kb_snippet(m, text, "[", "]", 20);
    CHECK_STR(z, "the [writer's] [time-out] expired, the [writer\xE2\x80\x99s] [time-outs], [writers]' [time]");
    free(z);
    /* the terminal's marks, byte by byte */
    const char *t = "writer's time-out";
    unsigned char aBold[32] = {0};
    kb_matcher_mark(m, t, strlen(t), aBold);
    for (size_t i = 0; i < strlen(t); i++) CHECK_INT(aBold[i], t[i] != ' ');
    kb_matcher_free(m);
}

/* CJK text is indexed as overlapping bigrams: the snippet shows each
 * character once, and a matched word in one pair of markers, wherever in
 * a run of CJK characters it starts. */
static void test_snippet_shows_cjk_text_once(void) {
    char *aTerm[] = {"バックアップ", "失敗"};
    kb_matcher *m = kb_matcher_new(aTerm, 2);
    kb_matcher_lang(m, "ja");
    char *z = kb_snippet(m, "VM のバックアップに失敗しました。", "[", "]", 28);
    CHECK_STR(z, "VM の[バックアップ]に[失敗]しました");
    free(z);
    z = kb_snippet(m, "失敗", "[", "]", 28); /* a run of one bigram */
    CHECK_STR(z, "[失敗]");
    free(z);
    /* a CJK character is half a word: five words show ten characters */
    z = kb_snippet(m, "失敗一二三四五六七八九十一二三四五六七八九十", "[", "]", 5);
    CHECK_STR(z, "[失敗]一二三四五六七八…");
    free(z);
    kb_matcher_free(m);
    char *aZh[] = {"控制器"};
    m = kb_matcher_new(aZh, 1);
    kb_matcher_lang(m, "zh");
    z = kb_snippet(m, "重新啟動控制器 0", "[", "]", 28);
    CHECK_STR(z, "重新啟動[控制器] 0");
    free(z);
    kb_matcher_free(m);
}

static void test_spell_distance_counts_transpositions(void) {
    CHECK_INT(kb_spell_distance("almacen", "almacen", 2), 0);
    CHECK_INT(kb_spell_distance("almcaen", "almacen", 2), 1); /* one transposition */
    CHECK_INT(kb_spell_distance("descargn", "descarg", 2), 1);
    CHECK_INT(kb_spell_distance("credencales", "credenciales", 2), 1);
    CHECK_INT(kb_spell_distance("abc", "xyzzy", 2), 3); /* stops early: max + 1 */
    CHECK_INT(kb_spell_distance("größe", "grose", 2), 2); /* code points, not bytes */
}

/* The Markdown snippet of English text for the query "vault" (malloc'd). */
static char *S_vault_snippet(const char *text) {
    char *aTerm[] = {"vault"};
    kb_matcher *m = kb_matcher_new(aTerm, 1);
    kb_matcher_lang(m, "en");
    char *z = kb_snippet(m, text, "**", "**", 20);
    kb_matcher_free(m);
    return z;
}

/* The markers are the only ones: the text's own, and its backslashes, are
 * escaped ("**" in a Chinese guide had unbalanced the Markdown bold). */
static void test_snippet_escapes_the_texts_own_markers(void) {
    char *z = S_vault_snippet("click **OK** in the vault of C:\\data");
    CHECK_STR(z, "click \\*\\*OK\\*\\* in the **vault** of C:\\\\data");
    free(z);
}

/* What Markdown reads as markup is escaped too: a code span's text had
 * reached a bot's page as HTML ("<img src=x onerror=...>"). A '_' inside a
 * word is no emphasis and stays ("ERROR_FILE_CORRUPT"). */
static void test_snippet_escapes_what_markdown_reads_as_markup(void) {
    char *z = S_vault_snippet("set <img src=x> and `code` in [the] vault, R&D _x_ ERROR_FILE_CORRUPT");
    CHECK_STR(z, "set \\<img src=x> and \\`code\\` in \\[the] **vault**, R\\&D \\_x\\_ ERROR_FILE_CORRUPT");
    free(z);
}

KB_TEST_MAIN(test_matcher_uses_the_section_language, test_matcher_skips_stop_words, test_snippet_marks_the_best_passage,
             test_snippet_stops_reading_after_a_complete_passage, test_matcher_matches_a_hundred_tokens_alike,
             test_matcher_marks_matching_tokens, test_word_of_matching_parts_is_marked_whole,
             test_snippet_shows_cjk_text_once, test_snippet_escapes_the_texts_own_markers,
             test_snippet_escapes_what_markdown_reads_as_markup, test_spell_distance_counts_transpositions)
