/* kb_cli.h: what kb-index and kb-query say about a bad command line.
 *
 * Both read their options with getopt_long, with opterr = 0 and an
 * optstring that starts with ':' (so a missing value is told apart from an
 * unknown option), and report the first problem with kb_fail(KB_EUSAGE):
 * the message names the option or the value, and says where --help is. */
#ifndef KB_CLI_H
#define KB_CLI_H

/* After getopt_long returned c, '?' (an unknown option) or ':' (an option
 * without its value). Returns KB_EUSAGE. */
int kb_cli_fail_option(int c, char *const *argv, const char *prog);

/* An option's value that is not one it takes ("--limit abc"). Returns
 * KB_EUSAGE. */
int kb_cli_fail_value(const char *option, const char *value, const char *prog);

#endif
