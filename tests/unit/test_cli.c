/* test_cli.c: what a bad command line is told (kb_cli), with getopt_long
 * in the state the two programs leave it in. */
#include <getopt.h>

#include "kb_cli.h"
#include "kb_test.h"
#include "kb_util.h"

/* Runs getopt_long over argv (NULL-terminated) with the options the
 * programs use, and returns the message of the first problem, or "". */
static const char *S_first_problem(char **argv) {
    static const struct option longOpts[] = {{"limit", required_argument, 0, 'n'},
                                             {"full", no_argument, 0, 'F'},
                                             {"format", required_argument, 0, 'f'},
                                             {"color", optional_argument, 0, 'c'},
                                             {"colour", optional_argument, 0, 'c'},
                                             {0, 0, 0, 0}};
    int argc = 0, c, rc = KB_OK;
    while (argv[argc]) argc++;
    optind = 0; /* a full reset of glibc's getopt, for each command line */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:q", longOpts, NULL)) != -1)
        if (c == '?' || c == ':') kb_cli_bad_option(&rc, c, argv, longOpts, "kb-test");
    return rc ? kb_errmsg() : "";
}

static void test_unknown_long_option_is_named_as_typed(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--limt", "3", "x", NULL}),
              "unknown option '--limt'; see kb-test --help");
    CHECK_STR(S_first_problem((char *[]){"kb-test", "x", "--fulll=yes", NULL}),
              "unknown option '--fulll=yes'; see kb-test --help");
}

/* "--f" starts two options: getopt_long cannot choose, and neither can the
 * reader of "unknown option". A unique start is the option itself. */
static void test_ambiguous_option_names_its_candidates(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--f", "x", NULL}),
              "option '--f' is ambiguous: --full, --format; see kb-test --help");
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--f=json", "x", NULL}),
              "option '--f=json' is ambiguous: --full, --format; see kb-test --help");
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--lim", "3", "--fo", "json", "x", NULL}), "");
    /* two spellings of one option are one option */
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--col", "x", NULL}), "");
}

static void test_unknown_short_option_is_named_alone(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "-z", "x", NULL}), "unknown option '-z'; see kb-test --help");
    /* in a cluster, only the letter that is wrong */
    CHECK_STR(S_first_problem((char *[]){"kb-test", "-qz", "x", NULL}), "unknown option '-z'; see kb-test --help");
}

static void test_missing_value_names_the_option_as_typed(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "x", "--limit", NULL}),
              "option '--limit' needs a value; see kb-test --help");
    CHECK_STR(S_first_problem((char *[]){"kb-test", "x", "-n", NULL}), "option '-n' needs a value; see kb-test --help");
}

static void test_good_command_line_has_no_problem(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--limit", "3", "-q", "--full", "x", NULL}), "");
}

static void test_bad_value_names_option_and_value(void) {
    int rc = KB_OK;
    kb_cli_bad_value(&rc, "--jobs", "many", "kb-index");
    CHECK_INT(rc, KB_EUSAGE);
    CHECK_STR(kb_errmsg(), "invalid value 'many' for --jobs; see kb-index --help");
}

static void test_first_problem_is_the_one_reported(void) {
    CHECK_STR(S_first_problem((char *[]){"kb-test", "--bogus", "-z", "x", "--limit", NULL}),
              "unknown option '--bogus'; see kb-test --help");
    int rc = KB_OK;
    kb_cli_bad_value(&rc, "--jobs", "many", "kb-index");
    kb_cli_bad_value(&rc, "--format", "yaml", "kb-index");
    CHECK_STR(kb_errmsg(), "invalid value 'many' for --jobs; see kb-index --help");
}

/* Options that each say what is asked (kb-query's --show, --toc, --serve)
 * are named as the command line cannot have them together. */
static void test_conflicting_options_are_named(void) {
    int rc = KB_OK;
    kb_cli_conflict(&rc, "--show", "--toc", "kb-query");
    CHECK_INT(rc, KB_EUSAGE);
    CHECK_STR(kb_errmsg(), "--show and --toc cannot be used together; see kb-query --help");
    kb_cli_extra_argument(&rc, "extra", "--show", "kb-query");
    CHECK_STR(kb_errmsg(), "--show and --toc cannot be used together; see kb-query --help");
}

static void test_extra_argument_is_named_with_its_option(void) {
    int rc = KB_OK;
    kb_cli_extra_argument(&rc, "extra", "--toc", "kb-query");
    CHECK_INT(rc, KB_EUSAGE);
    CHECK_STR(kb_errmsg(), "unexpected argument 'extra': --toc takes no query; see kb-query --help");
    kb_cli_conflict(&rc, "--show", "--toc", "kb-query");
    CHECK_STR(kb_errmsg(), "unexpected argument 'extra': --toc takes no query; see kb-query --help");
}

/* A numeric option takes a whole number in its range, and a value out of
 * it is refused naming the range: --limit once took a million. */
static void test_number_is_taken_in_its_range_only(void) {
    int rc = KB_OK;
    CHECK_INT(kb_cli_number(&rc, "--limit", "1", 1, 1000, "kb-query"), 1);
    CHECK_INT(kb_cli_number(&rc, "--limit", "1000", 1, 1000, "kb-query"), 1000);
    CHECK_INT(kb_cli_number(&rc, "--offset", "0", 0, 100000, "kb-query"), 0);
    CHECK_INT(rc, KB_OK);
    static const char *const aBad[] = {"1001", "0", "-1", "1000000", "99999999999999999999", "", "5x", "abc"};
    for (int i = 0; i < (int)(sizeof aBad / sizeof aBad[0]); i++) {
        rc = KB_OK;
        kb_cli_number(&rc, "--limit", aBad[i], 1, 1000, "kb-query");
        CHECK_INT(rc, KB_EUSAGE);
    }
    rc = KB_OK;
    kb_cli_number(&rc, "--limit", "1000000", 1, 1000, "kb-query");
    CHECK_STR(kb_errmsg(), "invalid value '1000000' for --limit: must be 1..1000; see kb-query --help");
}

/* An empty value is no value: "--db ''" once read $KB_DB's index. It is
 * said to be empty, not missing: the user did give one. */
static void test_empty_value_is_named_as_empty(void) {
    int rc = KB_OK;
    kb_cli_empty_value(&rc, "--db", "kb-query");
    CHECK_INT(rc, KB_EUSAGE);
    CHECK_STR(kb_errmsg(), "the value of '--db' is empty: it names nothing; see kb-query --help");
}

KB_TEST_MAIN(test_unknown_long_option_is_named_as_typed, test_ambiguous_option_names_its_candidates,
             test_unknown_short_option_is_named_alone,
             test_missing_value_names_the_option_as_typed, test_good_command_line_has_no_problem,
             test_bad_value_names_option_and_value, test_first_problem_is_the_one_reported,
             test_conflicting_options_are_named, test_extra_argument_is_named_with_its_option,
             test_number_is_taken_in_its_range_only, test_empty_value_is_named_as_empty)
