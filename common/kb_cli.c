/* kb_cli.c: see kb_cli.h. */
#include "kb_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_msg.h"
#include "kb_util.h"

/* The long options whose name starts with what --typed says (up to any
 * '='), each name once ("--color" and "--colour" are two), ", "-joined
 * into out; how many. */
static int S_options_starting(const char *typed, const struct option *longOpts, kb_buf *out) {
    size_t n = strcspn(typed + 2, "=");
    int count = 0;
    for (const struct option *o = longOpts; o && o->name; o++) {
        if (strncmp(o->name, typed + 2, n) != 0) continue;
        if (count++) kb_buf_adds(out, ", ");
        kb_buf_adds(out, "--");
        kb_buf_adds(out, o->name);
    }
    return count;
}

void kb_cli_bad_option(int *rc, int c, char *const *argv, const struct option *longOpts, const char *prog) {
    if (*rc) return;
    /* A long option is the argument getopt just stepped over; a short one
     * may share its argument with others ("-qx"), so it is named alone. */
    const char *last = optind > 0 ? argv[optind - 1] : "";
    char shortOpt[3] = {'-', (char)optopt, 0};
    int isLong = strncmp(last, "--", 2) == 0;
    const char *opt = isLong || !optopt ? last : shortOpt;
    kb_buf matches = {0};
    if (c == ':') {
        *rc = kb_fail(KB_EUSAGE, _("option '%s' needs a value; see %s --help"), opt, prog);
    } else if (isLong && S_options_starting(last, longOpts, &matches) > 1) {
        kb_buf_addc(&matches, 0);
        *rc = kb_fail(KB_EUSAGE, _("option '%s' is ambiguous: %s; see %s --help"), opt, matches.z, prog);
    } else {
        *rc = kb_fail(KB_EUSAGE, _("unknown option '%s'; see %s --help"), opt, prog);
    }
    kb_buf_free(&matches);
}

void kb_cli_bad_value(int *rc, const char *option, const char *value, const char *prog) {
    if (!*rc) *rc = kb_fail(KB_EUSAGE, _("invalid value '%s' for %s; see %s --help"), value, option, prog);
}

void kb_cli_empty_value(int *rc, const char *option, const char *prog) {
    if (!*rc) *rc = kb_fail(KB_EUSAGE, _("the value of '%s' is empty: it names nothing; see %s --help"), option, prog);
}

int kb_cli_number(int *rc, const char *option, const char *value, int min, int max, const char *prog) {
    char *end = NULL;
    errno = 0;
    /* digits only: strtol also takes " 3" and "+3", where "3 " was refused */
    int digits = *value && strspn(value, "0123456789-") == strlen(value);
    long v = strtol(value, &end, 10);
    if (digits && !*end && errno == 0 && v >= min && v <= max) return (int)v;
    if (!*rc)
        *rc = kb_fail(KB_EUSAGE, _("invalid value '%s' for %s: must be %d..%d; see %s --help"), value, option, min, max,
                      prog);
    return min;
}

void kb_cli_conflict(int *rc, const char *option, const char *other, const char *prog) {
    if (!*rc) *rc = kb_fail(KB_EUSAGE, _("%s and %s cannot be used together; see %s --help"), option, other, prog);
}

void kb_cli_extra_argument(int *rc, const char *arg, const char *option, const char *prog) {
    if (!*rc)
        *rc = kb_fail(KB_EUSAGE, _("unexpected argument '%s': %s takes no query; see %s --help"), arg, option, prog);
}

/* Why a stream whose error flag an earlier write set failed, when the
 * flush at the end wrote nothing to ask: EPIPE if its reader has hung up
 * (poll reports POLLERR on a pipe's write end then), else EIO. Which write
 * met the closed pipe depends on where the buffer broke the answer. */
static int S_earlier_write_error(FILE *out) {
    struct pollfd p = {.fd = fileno(out), .events = POLLOUT};
    return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) ? EPIPE : EIO;
}

int kb_cli_answer_written(FILE *out, int close) {
    errno = 0;
    int failed = fflush(out) != 0 || ferror(out);
    int err = errno ? errno : failed ? S_earlier_write_error(out) : 0;
    if (close && fclose(out) != 0 && errno != EBADF && !failed) failed = 1, err = errno;
    if (!failed) return KB_OK;
    int rc = kb_fail(KB_EIO, _("cannot write to standard output: %s"), strerror(err));
    errno = err;
    return rc;
}

void kb_cli_open_std_streams(void) {
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
        /* stdin write-only and stdout read-only: reading the one and
         * writing the other still fail, and say so (exit 4) */
        int opened = open("/dev/null", fd == 1 ? O_RDONLY : O_WRONLY);
        if (opened >= 0 && opened != fd) { /* a lower stream was closed too, and is opened next */
            dup2(opened, fd);
            close(opened);
        }
    }
}
