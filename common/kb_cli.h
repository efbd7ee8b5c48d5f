/* kb_cli.h: what kb-index and kb-query say about a bad command line, and
 * about an answer that could not be written.
 *
 * Both read their options with getopt_long, with opterr = 0 and an
 * optstring that starts with ':' (so a missing value is told apart from an
 * unknown option). A problem is recorded in *rc as KB_EUSAGE, with a
 * message (kb_errmsg) that names the option or the value and says where
 * --help is, unless *rc already holds one: the first problem of a command
 * line is the one reported. */
#ifndef KB_CLI_H
#define KB_CLI_H

#include <stdio.h>

struct option;

/* Opens on /dev/null the standard streams a parent closed ("2>&-"): else
 * the first file a program opens takes a stream's number, and what it says
 * on that stream is written into the file (kb-index's warnings into its
 * lock file). stdin is opened write-only and stdout read-only, so that
 * reading a question or writing an answer still fails as it did with the
 * stream closed. Called first thing in main. */
void kb_cli_open_std_streams(void);

/* After getopt_long returned c, '?' (an unknown or ambiguous option) or ':'
 * (an option without its value). longOpts is the table getopt_long read:
 * "--f" that starts "--format" and "--full" is named ambiguous, with both,
 * rather than unknown. */
void kb_cli_bad_option(int *rc, int c, char *const *argv, const struct option *longOpts, const char *prog);

/* An option's value that is not one it takes ("--format xml"). */
void kb_cli_bad_value(int *rc, const char *option, const char *value, const char *prog);

/* An option given the empty string ("--db ''"), which is no value: left to
 * mean the option's default, a typo'd variable in a script ("--db
 * \"$DBB\"") would read another index than the one named. */
void kb_cli_empty_value(int *rc, const char *option, const char *prog);

/* The value of a numeric option ("--limit 5"), a whole number in min..max:
 * returns it, else records the problem, naming the range, and returns min. */
int kb_cli_number(int *rc, const char *option, const char *value, int min, int max, const char *prog);

/* Two options that each say what the command is to do ("--show" and
 * "--toc"): obeying one, or half of each, would answer another question
 * than the one asked. */
void kb_cli_conflict(int *rc, const char *option, const char *other, const char *prog);

/* An argument left after the options when the option named takes the
 * place of a query (kb-query --show DOC#ANCHOR extra). */
void kb_cli_extra_argument(int *rc, const char *arg, const char *option, const char *prog);

/* Whether the answer written to out (standard output) reached it: it does
 * only when the buffer is flushed, so a full disk or a closed pipe shows
 * here, and a reader must not take an empty output and exit 0 for an
 * answer. Flushes out, and closes it when close is set; KB_OK, or KB_EIO
 * with the message (kb_errmsg) and errno saying why. A closed descriptor
 * that nothing was written to has lost nothing. */
int kb_cli_answer_written(FILE *out, int close);

#endif
