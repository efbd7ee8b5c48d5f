/* test_util.c: buffers, the error idiom, files, UTF-8 checks, the database path. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kb_db.h"
#include "kb_test.h"
#include "kb_util.h"

/* FNV-1a's published test vectors: the caches' slots depend on them. */
static void test_hash_is_fnv1a(void) {
    CHECK_INT(kb_hash("", 0), 0x811c9dc5u);
    CHECK_INT(kb_hash("a", 1), 0xe40c292cu);
    CHECK_INT(kb_hash("foobar", 6), 0xbf9cf968u);
}

static void test_buf_grows_and_stays_terminated(void) {
    kb_buf b = {0};
    CHECK_STR(kb_buf_str(&b), "");
    for (int i = 0; i < 1000; i++) kb_buf_addf(&b, "%d,", i);
    CHECK(b.n == strlen(b.z));
    CHECK(strncmp(b.z, "0,1,2,", 6) == 0);
    char *z = kb_buf_detach(&b);
    CHECK(b.z == NULL && b.n == 0);
    free(z);
}

static void test_fail_returns_code_and_keeps_message(void) {
    CHECK_INT(kb_fail(KB_EIO, "cannot read %s", "x.md"), KB_EIO);
    CHECK_STR(kb_errmsg(), "cannot read x.md");
}

static void test_utf8_validation_reports_offset(void) {
    size_t bad = 0;
    CHECK(kb_utf8_valid("configuración", strlen("configuración"), &bad));
    CHECK(!kb_utf8_valid("abc\xff", 4, &bad));
    CHECK_INT(bad, 3);
    CHECK(!kb_utf8_valid("\xed\xa0\x80", 3, &bad)); /* a UTF-16 surrogate */
    CHECK(!kb_utf8_valid("\xc0\xaf", 2, &bad));     /* overlong '/' */
    CHECK(!kb_utf8_valid("ab\xe4\xb8", 4, &bad));   /* truncated at the end */
    CHECK_INT(bad, 2);
}

/* A UTF-16 file is told as such, though its ASCII holds NULs; a NUL
 * before bad UTF-8 makes the file binary; offsets point at the culprit. */
static void test_text_problem_names_the_first_that_applies(void) {
    size_t off = 99;
    CHECK_INT(kb_text_problem("# Título\n", strlen("# Título\n"), &off), KB_TEXT_OK);
    CHECK_INT(kb_text_problem("\xff\xfe#\0 \0", 6, &off), KB_TEXT_UTF16);
    CHECK_INT(kb_text_problem("\xfe\xff\0#", 4, &off), KB_TEXT_UTF16);
    /* UTF-32, whose little-endian mark starts as UTF-16's (a hostile tester's) */
    CHECK_INT(kb_text_problem("\xff\xfe\0\0#\0\0\0", 8, &off), KB_TEXT_UTF32);
    CHECK_INT(kb_text_problem("\0\0\xfe\xff\0\0\0#", 8, &off), KB_TEXT_UTF32);
    CHECK_INT(kb_text_problem("ab\0c\xff", 5, &off), KB_TEXT_BINARY);
    CHECK_INT(off, 2);
    CHECK_INT(kb_text_problem("abc\xe9" "d", 5, &off), KB_TEXT_NOT_UTF8);
    CHECK_INT(off, 3);
    CHECK_INT(kb_text_problem("", 0, &off), KB_TEXT_OK);
}

static void test_utf8_chars_counts_lead_bytes(void) {
    CHECK_INT(kb_utf8_chars("", 0), 0);
    CHECK_INT(kb_utf8_chars("abc", 3), 3);
    CHECK_INT(kb_utf8_chars("虛擬機器", strlen("虛擬機器")), 4);
    CHECK_INT(kb_utf8_chars("a\xa0" "b", 3), 2); /* a stray continuation byte starts no character */
    CHECK_INT(kb_utf8_chars("虛擬", 3), 1);      /* only the bytes given */
}

static void test_utf8_sequence_lengths(void) {
    CHECK_INT(kb_utf8_seq_len("a", 1), 1);
    CHECK_INT(kb_utf8_seq_len("é", 2), 2);
    CHECK_INT(kb_utf8_seq_len("中", 3), 3);
    CHECK_INT(kb_utf8_seq_len("\xf0\x9f\x98\x80", 4), 4);      /* U+1F600 */
    CHECK_INT(kb_utf8_seq_len("中", 2), 0);                  /* truncated */
    CHECK_INT(kb_utf8_seq_len("\xf4\x90\x80\x80", 4), 0);      /* beyond U+10FFFF */
    CHECK_INT(kb_utf8_seq_len("\xe0\x80\xaf", 3), 0);          /* overlong */
    CHECK_INT(kb_utf8_seq_len("\x80", 1), 0);                  /* a continuation byte */
    CHECK_INT(kb_utf8_seq_len("", 0), 0);
}

/* The inline shortcut decides exactly what full decoding decides: every lead
 * byte, followed by continuation bytes at the edges of their ranges and by
 * bytes that are not continuations, at every length. */
static void test_utf8_shortcut_agrees_with_full_decoding(void) {
    static const unsigned char aNext[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xE4, 0xFF};
    const int nNext = (int)sizeof aNext;
    int nDiff = 0;
    for (int lead = 0; lead < 256; lead++)
        for (int a = 0; a < nNext; a++)
            for (int b = 0; b < nNext; b++)
                for (size_t n = 1; n <= 4; n++) {
                    char z[4] = {(char)lead, (char)aNext[a], (char)aNext[b], (char)0x80};
                    nDiff += kb_utf8_seq_len(z, n) != kb_utf8_seq_len_any(z, n);
                }
    CHECK_INT(nDiff, 0);
}

/* A limit reads back as it was given, in the fewest digits (the bytes
 * of --max-file-size 0.001 had been shown as 0.000999451 MB). */
static void test_megabytes_read_back_as_given(void) {
    const char *aGiven[] = {"16", "1.5", "0.001", "0.01", "0.0001", "1024"};
    for (size_t i = 0; i < sizeof aGiven / sizeof aGiven[0]; i++) {
        char shown[32];
        snprintf(shown, sizeof shown, "%g", kb_megabytes((uint64_t)llround(atof(aGiven[i]) * (1 << 20))));
        CHECK_STR(shown, aGiven[i]);
    }
    CHECK(kb_megabytes(0) == 0);
}

static void test_file_read_respects_limit(void) {
    char path[] = "/tmp/kb-test-util-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    close(fd);
    char *z = NULL;
    size_t n = 0;
    CHECK_INT(kb_file_read(path, 100, &z, &n), KB_OK);
    CHECK_INT(n, 10);
    CHECK_STR(z, "0123456789");
    free(z);
    CHECK_INT(kb_file_read(path, 5, &z, &n), KB_ELIMIT);
    CHECK(z == NULL);
    unlink(path);
    CHECK_INT(kb_file_read(path, 5, &z, &n), KB_EIO);
}

static void test_db_path_precedence(void) {
    char out[256];
    setenv("KB_DB", "/from/env.sqlite", 1);
    kb_db_default_path("/explicit.sqlite", out, sizeof out);
    CHECK_STR(out, "/explicit.sqlite");
    kb_db_default_path(NULL, out, sizeof out);
    CHECK_STR(out, "/from/env.sqlite");
    unsetenv("KB_DB");
    setenv("XDG_DATA_HOME", "/xdg", 1);
    kb_db_default_path(NULL, out, sizeof out);
    CHECK_STR(out, "/xdg/kb/kb.sqlite");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/home/eng", 1);
    kb_db_default_path(NULL, out, sizeof out);
    CHECK_STR(out, "/home/eng/.local/share/kb/kb.sqlite");
    /* cut short, a path names another file: an error, not that file */
    char tooLong[300];
    memset(tooLong, 'a', sizeof tooLong - 1);
    tooLong[sizeof tooLong - 1] = '\0';
    CHECK_INT(kb_db_default_path(tooLong, out, sizeof out), KB_EDB);
    CHECK_INT(kb_db_default_path("/explicit.sqlite", out, sizeof out), KB_OK);
}

static void test_open_read_explains_what_is_wrong(void) {
    sqlite3 *db = NULL;
    CHECK_INT(kb_db_open_read("/nonexistent/kb.sqlite", &db), KB_EDB);
    CHECK(strstr(kb_errmsg(), "kb-index") != NULL);
    char path[] = "/tmp/kb-test-notkb-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    sqlite3 *other = NULL;
    sqlite3_open(path, &other);
    sqlite3_exec(other, "CREATE TABLE t(x)", 0, 0, 0);
    sqlite3_close(other);
    CHECK_INT(kb_db_open_read(path, &db), KB_EDB);
    CHECK(strstr(kb_errmsg(), "not a kb index") != NULL);
    CHECK(db == NULL);
    /* "//tmp/..." is the same file; as a URI it had named the host "tmp" */
    char slashes[sizeof path + 1] = "/";
    strcat(slashes, path);
    CHECK_INT(kb_db_open_read(slashes, &db), KB_EDB);
    CHECK(strstr(kb_errmsg(), "not a kb index") != NULL);
    unlink(path);
}

/* Bytes outside valid UTF-8 are written as \xNN; valid text is kept. */
static void test_utf8_escape_writes_bad_bytes(void) {
    char *z = kb_utf8_escape("dir/bad\xffname\xc3.md \xc3\xa9");
    CHECK_STR(z, "dir/bad\\xffname\\xc3.md \xc3\xa9");
    free(z);
    z = kb_utf8_escape("");
    CHECK_STR(z, "");
    free(z);
}

/* What a terminal would obey is written \xNN: C0, DEL and C1 (U+009B is
 * a CSI); bad bytes as kb_utf8_escape writes them; other text is kept. */
static void test_shown_escapes_controls(void) {
    char *z = kb_shown("evil\x1b[31mdoc.md new\nline \xc2\x9b" "2J del\x7f \xc3\xa9 \xc2\xa0 bad\xff");
    CHECK_STR(z, "evil\\x1b[31mdoc.md new\\x0aline \\xc2\\x9b2J del\\x7f \xc3\xa9 \xc2\xa0 bad\\xff");
    free(z);
    z = kb_shown("");
    CHECK_STR(z, "");
    free(z);
    /* The ends of C1: U+0080 and U+009F are controls, U+00A0 is not. */
    z = kb_shown("\xc2\x80|\xc2\x9f|\xc2\xa0");
    CHECK_STR(z, "\\xc2\\x80|\\xc2\\x9f|\xc2\xa0");
    free(z);
}

/* Membership by content, each string once, through the set's growth. */
static void test_strset_holds_each_string_once(void) {
    kb_strset set = {0};
    CHECK_INT(kb_strset_has(&set, "a"), 0);
    static char aWord[1000][8];
    for (int i = 0; i < 1000; i++) snprintf(aWord[i], sizeof aWord[i], "w%d", i);
    for (int i = 0; i < 1000; i++) CHECK_INT(kb_strset_add(&set, aWord[i]), 1);
    char probe[8];
    for (int i = 0; i < 1000; i++) {
        snprintf(probe, sizeof probe, "w%d", i); /* another copy of the text */
        CHECK_INT(kb_strset_has(&set, probe), 1);
        CHECK_INT(kb_strset_add(&set, probe), 0);
    }
    CHECK_INT(kb_strset_has(&set, "w1000"), 0);
    CHECK_INT((int)set.n, 1000);
    kb_strset_free(&set);
    CHECK_INT(kb_strset_has(&set, "w1"), 0);
}

/* A link's escapes, decoded as a browser decodes them, unless what they
 * make is not UTF-8: "%ac" in "%ackup" is a typo's, not a byte. */
static void test_url_decode(void) {
    const char *aCase[][2] = {{"50%25off", "50%off"}, {"sub%20dir/page%20one.md", "sub dir/page one.md"},
                              {"caf%C3%A9", "café"}, {"%ackup-azure.md", "%ackup-azure.md"},
                              {"a%00b", "a%00b"}, {"100%", "100%"}, {"%2", "%2"}, {"", ""}};
    for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
        char *z = kb_url_decode(aCase[i][0], strlen(aCase[i][0]));
        CHECK_STR(z, aCase[i][1]);
        free(z);
    }
}

/* A path as a page writes it, read against the page's folder without
 * touching the disk; one that leaves the tree is no path in it. */
static void test_path_resolve_reads_dots_and_stops_at_the_root(void) {
    const char *aCase[][3] = {{"es-es/a.md", "b.md", "es-es/b.md"},
                              {"es-es/x/a.md", "../includes/i.md", "es-es/includes/i.md"},
                              {"es-es/a.md", "./sub//c.md", "es-es/sub/c.md"},
                              {"es-es/a.md", "~/shared/s.md", "shared/s.md"},
                              {NULL, "b.md", "b.md"},
                              {"a.md", "x/../y/", "y"},
                              {"es-es/a.md", "../top.md", "top.md"},
                              {"es-es/a.md", "../../out.md", NULL},
                              {"a.md", "x/../../out.md", NULL},
                              {"es-es/a.md", "/etc/passwd", NULL},
                              /* the popped "backup" is longer than "y.md", which ends the path */
                              {"en-us/articles/backup/x.md", "../y.md", "en-us/articles/y.md"}};
    for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
        char *z = kb_path_resolve(aCase[i][0], aCase[i][1]);
        CHECK_STR(z ? z : "(null)", aCase[i][2] ? aCase[i][2] : "(null)");
        free(z);
    }
}

KB_TEST_MAIN(test_url_decode, test_path_resolve_reads_dots_and_stops_at_the_root, test_buf_grows_and_stays_terminated, test_utf8_shortcut_agrees_with_full_decoding, test_fail_returns_code_and_keeps_message,
             test_utf8_validation_reports_offset, test_text_problem_names_the_first_that_applies,
             test_utf8_chars_counts_lead_bytes, test_utf8_sequence_lengths,
             test_file_read_respects_limit, test_megabytes_read_back_as_given,
             test_db_path_precedence, test_open_read_explains_what_is_wrong, test_hash_is_fnv1a,
             test_utf8_escape_writes_bad_bytes, test_shown_escapes_controls, test_strset_holds_each_string_once)
