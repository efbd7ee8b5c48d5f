/* kb_cli.c: see kb_cli.h. */
#include "kb_cli.h"

#include <getopt.h>
#include <string.h>

#include "kb_msg.h"
#include "kb_util.h"

int kb_cli_fail_option(int c, char *const *argv, const char *prog) {
    /* A long option is the argument getopt just stepped over; a short one
     * may share its argument with others ("-qx"), so it is named alone. */
    const char *last = optind > 0 ? argv[optind - 1] : "";
    char shortOpt[3] = {'-', (char)optopt, 0};
    const char *opt = strncmp(last, "--", 2) == 0 || !optopt ? last : shortOpt;
    if (c == ':') return kb_fail(KB_EUSAGE, _("option '%s' needs a value; see %s --help"), opt, prog);
    return kb_fail(KB_EUSAGE, _("unknown option '%s'; see %s --help"), opt, prog);
}

int kb_cli_fail_value(const char *option, const char *value, const char *prog) {
    return kb_fail(KB_EUSAGE, _("invalid value '%s' for %s; see %s --help"), value, option, prog);
}
