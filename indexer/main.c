/* kb-index: build or update a kb index from Markdown documentation trees. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb_build.h"
#include "kb_cli.h"
#include "kb_db.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_util.h"
#include "kb_walk.h"

#ifdef KB_HAVE_CHECK
#include "kb_check.h"
#endif

/* fputs, not printf: the help has no directives, and a '%' a translation
 * might hold must print as itself. */
static void S_usage(FILE *f) {
    fputs(_("Usage: kb-index [OPTION]... DIR...\n"
            "Index the Markdown files under each DIR into a kb database.\n\n"
            "  --db PATH             database file (default: $KB_DB, else $XDG_DATA_HOME/kb/kb.sqlite)\n"
            "  --full                rebuild from scratch instead of updating\n"
            "  --default-locale LL   locale of documents that name none (default: en-us)\n"
            "  --check               lint the documents, write nothing (exit 1 on errors)\n"
            "  --format text|json    output format of --check\n"
            "  --jobs N              parser threads (default: number of cores, at most 16)\n"
            "  --max-file-size MB    skip larger files with a warning (default: 16)\n"
            "  --no-wait             fail instead of waiting for another kb-index\n"
            "  -q, --quiet           no progress and no summary\n"
            "  -h, --help, --version\n\n"
            "Exit status: 0 done, 2 usage error, 3 the index cannot be used or written,\n"
            "4 a DIR or file cannot be read, 6 another kb-index holds the index (--no-wait).\n"
            "With --check: 0 no error, 1 errors found, 2 usage error or a DIR cannot be read,\n"
            "4 the report could not be written to standard output.\n"), f);
}

/* --jobs: 1 to 1024 threads, or 0 for one per core. */
static int S_parse_jobs(const char *z, int *out) {
    char *end = NULL;
    long v = strtol(z, &end, 10);
    if (!*z || *end || v < 0 || v > 1024) return 0;
    *out = (int)v;
    return 1;
}

/* --max-file-size: megabytes, fractions allowed, up to 1 TB. */
static int S_parse_megabytes(const char *z, int64_t *out) {
    char *end = NULL;
    double mb = strtod(z, &end);
    if (!*z || *end || !(mb > 0) || mb > 1024 * 1024) return 0;
    *out = (int64_t)llround(mb * 1024 * 1024);
    return *out > 0;
}

/* A root the command line gives twice (kb_walk_distinct_roots). */
static void S_warn_root(void *ctx, int rootIndex, const char *path, const char *message) {
    (void)ctx, (void)rootIndex;
    fputs(_("kb-index: warning: "), stderr);
    fprintf(stderr, "%s: %s\n", path, _(message));
}

/* The command line, as S_parse_args reads it. */
typedef struct S_args {
    kb_build_opts o;
    const char *dbArg;     /* --db, or NULL for the default */
    const char *format;    /* of --check: "text" or "json" */
    const char *formatArg; /* --format as given, NULL if not */
    int check, help, version;
    char localeBuf[32];    /* o.defaultLocale, normalized */
} S_args;

/* Reads the options into *a; returns KB_OK, or KB_EUSAGE with the message
 * in kb_errmsg(). */
static int S_parse_args(int argc, char **argv, S_args *a) {
    static const struct option longOpts[] = {
        {"db", required_argument, 0, 'd'},       {"full", no_argument, 0, 'F'},
        {"default-locale", required_argument, 0, 'l'}, {"check", no_argument, 0, 'c'},
        {"format", required_argument, 0, 'f'},   {"jobs", required_argument, 0, 'j'},
        {"max-file-size", required_argument, 0, 'm'}, {"no-wait", no_argument, 0, 'W'},
        {"quiet", no_argument, 0, 'q'},          {"help", no_argument, 0, 'h'},
        {"version", no_argument, 0, 'V'},        {0, 0, 0, 0}};
    a->o = (kb_build_opts){.defaultLocale = "en-us", .wait = 1, .maxFileBytes = 16 << 20};
    a->format = "text";
    kb_build_opts *o = &a->o;
    int c, rc = KB_OK;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longOpts, NULL)) != -1) {
        switch (c) {
        case 'd':
            /* an empty --db ("--db \"$DBB\"", a typo'd variable) is no index named: not the default one */
            if (!*optarg) kb_cli_empty_value(&rc, "--db", "kb-index");
            a->dbArg = optarg;
            break;
        case 'F': o->full = 1; break;
        case 'l':
            if (kb_locale_normalize(optarg, a->localeBuf, sizeof a->localeBuf)) o->defaultLocale = a->localeBuf;
            else kb_cli_bad_value(&rc, "--default-locale", optarg, "kb-index");
            break;
        case 'c': a->check = 1; break;
        case 'f':
            a->format = a->formatArg = optarg;
            if (strcmp(optarg, "text") != 0 && strcmp(optarg, "json") != 0)
                kb_cli_bad_value(&rc, "--format", optarg, "kb-index");
            break;
        case 'j':
            if (!S_parse_jobs(optarg, &o->jobs)) kb_cli_bad_value(&rc, "--jobs", optarg, "kb-index");
            break;
        case 'm':
            if (!S_parse_megabytes(optarg, &o->maxFileBytes))
                kb_cli_bad_value(&rc, "--max-file-size", optarg, "kb-index");
            break;
        case 'W': o->wait = 0; break;
        case 'q': o->quiet = 1; break;
        /* Obeyed once every option is read: "-xh" is an unknown option,
         * and a directory named "-dashdir" is no request for help. */
        case 'h': a->help = 1; break;
        case 'V': a->version = 1; break;
        default: kb_cli_bad_option(&rc, c, argv, longOpts, "kb-index"); break;
        }
    }
    return rc;
}

int main(int argc, char **argv) {
    /* A reader that hangs up ("kb-index ... 2>&1 | head") loses the rest of
     * the warnings, not the run: SIGPIPE had killed it before it installed
     * its index, leaving its temporary file behind. */
    signal(SIGPIPE, SIG_IGN);
    kb_cli_open_std_streams();
    kb_msg_init(argv[0], NULL);
    S_args args = {0};
    int rc = S_parse_args(argc, argv, &args);
    kb_build_opts o = args.o;
    if (!rc && args.help) {
        S_usage(stdout);
        return 0;
    }
    if (!rc && args.version) {
        printf(_("kb-index %s (index format %d)\n"), KB_VERSION, KB_SCHEMA_VERSION);
        return 0;
    }
    /* "kb-index --format json DIR", --check forgotten, had built the default index */
    if (!rc && args.formatArg && !args.check)
        rc = kb_fail(KB_EUSAGE, _("--format applies to --check only; see %s --help"), "kb-index");
    if (!rc && optind >= argc) rc = kb_fail(KB_EUSAGE, _("no directory to index; see %s --help"), "kb-index");
    if (rc) {
        fprintf(stderr, "kb-index: %s\n", kb_errmsg());
        return rc;
    }
    o.aRoot = (const char *const *)argv + optind;
    o.nRoot = kb_walk_distinct_roots((const char **)argv + optind, argc - optind, S_warn_root, NULL);
    if (args.check) {
#ifdef KB_HAVE_CHECK
        return kb_check(o.aRoot, o.nRoot, (size_t)o.maxFileBytes, strcmp(args.format, "json") == 0);
#else
        fprintf(stderr, "kb-index: %s\n", _("--check is not available in this build"));
        return KB_EUSAGE;
#endif
    }
    char dbPath[4096];
    if ((rc = kb_db_default_path(args.dbArg, dbPath, sizeof dbPath)) != KB_OK) {
        fprintf(stderr, "kb-index: %s\n", kb_errmsg());
        return rc;
    }
    o.dbPath = dbPath;
    o.progress = isatty(STDERR_FILENO);
    kb_build_stats stats;
    rc = kb_build(&o, &stats);
    if (rc) {
        fprintf(stderr, "kb-index: %s\n", kb_errmsg());
        return rc; /* 2 usage, 3 database, 4 files, 6 another kb-index holds the lock */
    }
    /* The summary reads the whole index back: a damaged one fails here. */
    if (!o.quiet && (rc = kb_build_print_summary(dbPath, &stats)) != KB_OK) {
        fprintf(stderr, "kb-index: %s\n", kb_errmsg());
        return rc;
    }
    return 0;
}
