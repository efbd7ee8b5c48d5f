/* kb-query: search a kb index and print remediation sections. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "kb_cli.h"
#include "kb_db.h"
#include "kb_heap.h"
#include "kb_lang.h"
#include "kb_msg.h"
#include "kb_output.h"
#include "kb_pipeline_id.h"
#include "kb_search.h"
#include "kb_serve.h"
#include "kb_sqlmem.h"
#include "kb_util.h"

/* Exit codes: a contract with scripts and bots. EXIT_IO: stdout could not
 * be written, so whatever the answer was, the bot did not get it. */
enum { EXIT_FOUND = 0, EXIT_NONE = 1, EXIT_USAGE = 2, EXIT_DB = 3, EXIT_IO = KB_EIO };

typedef struct S_args {
    const char *dbArg, *show, *toc, *color;
    char lang[16];    /* the locale asked for (es-ES), else the environment's */
    char langCode[8]; /* its language (es): what q.lang points to */
    kb_query_opts q;
    kb_output_opts out;
    int version, serve, help;
    int unknownOption; /* "-xh" asks for no help: its x may be a slip of another option */
    int jsonAsked;     /* --format json somewhere on the command line */
    const char *formatArg; /* the last --format's value, as typed */
} S_args;

static void S_usage(FILE *f) {
    fputs(_("Usage: kb-query [OPTION]... QUERY...\n"
            "Search the kb index for QUERY (words, a pasted error message, or an error code).\n\n"
            "  --db PATH              index file (default: $KB_DB, else $XDG_DATA_HOME/kb/kb.sqlite)\n"
            "  -n, --limit N          at most N results (default 5)\n"
            "  --offset N             skip the first N results\n"
            "  -f, --format FORMAT    text (default), markdown or json\n"
            "  -l, --lang LL          preferred language of results and messages\n"
            "  --all-locales          show every locale's copy of a section\n"
            "  --locale-only LOCALE   only sections of this locale (es-es)\n"
            "  --doc-prefix PATH      only documents under this path\n"
            "  --exact                no typo correction, prefixes or synonyms\n"
            "  --show DOC#ANCHOR      print one section\n"
            "  --toc DOC              list a document's sections\n"
            "  --full                 include a section's subsections\n"
            "  --color WHEN           auto (default), always or never\n"
            "  --serve                answer JSON requests, one per line, on stdin\n"
            "  --version, -h, --help\n\n"
            "Exit status: 0 results, 1 no result, 2 usage error, 3 index missing or unusable,\n"
            "4 the answer could not be written to standard output.\n"),
          f);
}

static int S_terminal_width(void) {
    const char *cols = getenv("COLUMNS");
    char *end = NULL;
    long n = cols ? strtol(cols, &end, 10) : 0; /* atoi's overflow is undefined */
    if (cols && end != cols && *end == 0 && n > 0 && n <= 10000) return (int)n;
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

static int S_parse_format(const char *z) {
    if (strcmp(z, "text") == 0) return KB_FORMAT_TEXT;
    if (strcmp(z, "markdown") == 0 || strcmp(z, "md") == 0) return KB_FORMAT_MARKDOWN;
    if (strcmp(z, "json") == 0) return KB_FORMAT_JSON;
    return -1;
}

/* A message for people on stderr, as kb_shown writes it: it may name a
 * document, an anchor or what the user typed. */
static void S_say(const char *message) {
    char *z = kb_shown(message);
    fprintf(stderr, "kb-query: %s\n", z);
    free(z);
}

/* A usage or database error: JSON on stdout in JSON mode, always a line on stderr. */
static int S_fail(const S_args *a, int code, const char *kind, const char *message) {
    S_say(message);
    if (a->out.format == KB_FORMAT_JSON) {
        char *z = kb_output_json_error(kind, message, NULL);
        puts(z);
        free(z);
    }
    return code;
}

/* WHEN of --color: "--color=never", or "--color never" as the usage
 * shows it, where the next argument is taken only if it is one of the
 * three words (else it is the query, and a bare --color means always). */
static int S_color_word(const char *z) {
    return strcmp(z, "auto") == 0 || strcmp(z, "always") == 0 || strcmp(z, "never") == 0;
}

static const char *S_color_when(int argc, char **argv, const char *optArg) {
    if (optArg) return optArg;
    if (optind < argc && S_color_word(argv[optind])) return argv[optind++];
    return "always";
}

static const char S_shortOpts[] = ":n:f:l:h";
static const struct option S_longOpts[] = {
    {"db", required_argument, 0, 'd'},          {"limit", required_argument, 0, 'n'},
    {"offset", required_argument, 0, 'o'},      {"format", required_argument, 0, 'f'},
    {"lang", required_argument, 0, 'l'},        {"all-locales", no_argument, 0, 'A'},
    {"locale-only", required_argument, 0, 'L'}, {"doc-prefix", required_argument, 0, 'P'},
    {"exact", no_argument, 0, 'e'},             {"show", required_argument, 0, 's'},
    {"toc", required_argument, 0, 't'},         {"full", no_argument, 0, 'F'},
    {"color", optional_argument, 0, 'c'},       {"colour", optional_argument, 0, 'c'},
    {"serve", no_argument, 0, 'S'},             {"version", no_argument, 0, 'V'},
    {"help", no_argument, 0, 'h'},              {0, 0, 0, 0}};

/* How many arguments after argv[i], a long option ("--limit", "--lim",
 * "--color"), are its value: 1 when it takes one and has no "=". */
static int S_long_value_follows(int argc, char **argv, int i) {
    const char *name = argv[i] + 2;
    size_t n = strcspn(name, "=");
    if (name[n] == '=' || i + 1 >= argc) return 0;
    int hasArg = -1;
    for (const struct option *o = S_longOpts; o->name; o++) {
        if (strncmp(o->name, name, n) != 0) continue;
        if (strlen(o->name) == n) return o->has_arg == required_argument || (o->has_arg == optional_argument &&
                                                                            S_color_word(argv[i + 1]));
        hasArg = hasArg == -1 || hasArg == o->has_arg ? o->has_arg : -2; /* -2: ambiguous */
    }
    return hasArg == required_argument || (hasArg == optional_argument && S_color_word(argv[i + 1]));
}

/* Marks the words of the query that start with '-' so that getopt_long,
 * which reads options anywhere, takes them for words: a leading \x01
 * (S_query_word drops it). After the query's first word, "-storage" is a
 * word to exclude ("vault -storage" had been "unknown option '-s'"), as
 * is a negative number anywhere ("-2147024891": no option is a digit).
 * Options still go anywhere in their long form ("vault --limit 3"), and
 * "-n 3" is -n. The marked copies live as long as the process. */
static char **S_aMarked;
static int S_nMarked;

static void S_mark_query_words(int argc, char **argv) {
    int seenWord = 0;
    for (int i = 1; i < argc; i++) {
        const char *z = argv[i];
        if (strcmp(z, "--") == 0) return;
        int negative = z[0] == '-' && z[1] >= '0' && z[1] <= '9';
        if (z[0] != '-' || z[1] == 0 || negative || (seenWord && z[1] != '-' && z[2] != 0)) {
            if (z[0] == '-' && z[1]) {
                S_aMarked = kb_xrealloc(S_aMarked, (size_t)(S_nMarked + 1) * sizeof *S_aMarked);
                argv[i] = S_aMarked[S_nMarked++] = kb_xasprintf("\x01%s", z);
            }
            seenWord = 1;
        } else if (z[1] == '-') {
            i += S_long_value_follows(argc, argv, i);
        } else {
            /* short options ("-n", "-fjson", "-hn 5"): a letter that
             * takes a value ends the cluster, with the rest or the next */
            for (size_t k = 1; z[k]; k++) {
                const char *opt = strchr(S_shortOpts + 1, z[k]);
                if (opt && opt[1] == ':') {
                    i += z[k + 1] == 0;
                    break;
                }
            }
        }
    }
}

/* A word of the query as given, unmarked (S_mark_query_words); a word
 * typed with a \x01 of its own keeps it. */
static const char *S_query_word(const char *z) {
    for (int i = 0; i < S_nMarked; i++)
        if (z == S_aMarked[i]) return z + 1;
    return z;
}

/* The value of --lang, in any form getopt_long accepts (--lang=es,
 * --lan es), read before the command line is parsed so that what parsing
 * says is already in that language. getopt_long reorders the arguments it
 * reads, so it reads a copy here. */
static const char *S_peek_lang(int argc, char **argv) {
    char **copy = kb_xmalloc(((size_t)argc + 1) * sizeof *copy);
    memcpy(copy, argv, ((size_t)argc + 1) * sizeof *copy);
    const char *lang = NULL;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, copy, S_shortOpts, S_longOpts, NULL)) != -1)
        if (c == 'l') lang = optarg;
    free(copy);
    optind = 0; /* glibc: the next getopt_long starts over */
    return lang;
}

/* A command line asks one thing: a search (QUERY), one section (--show),
 * one table of contents (--toc) or questions on stdin (--serve). A second
 * was once half obeyed: --show with --toc listed only the section shown,
 * --show echoed stray words as its "query", --serve ignored both. */
static void S_check_what_is_asked(const S_args *a, int argc, char **argv, int *rc) {
    const char *aAsk[4];
    int nAsk = 0;
    if (a->version) aAsk[nAsk++] = "--version"; /* it had silently answered instead of what else was asked */
    if (a->show) aAsk[nAsk++] = "--show";
    if (a->toc) aAsk[nAsk++] = "--toc";
    if (a->serve) aAsk[nAsk++] = "--serve";
    if (nAsk > 1) kb_cli_conflict(rc, aAsk[0], aAsk[1], "kb-query");
    else if (nAsk == 1 && optind < argc) kb_cli_extra_argument(rc, S_query_word(argv[optind]), aAsk[0], "kb-query");
    else if (nAsk == 0 && optind >= argc) *rc = kb_fail(KB_EUSAGE, _("no query; see %s --help"), "kb-query");
}

/* Returns -1 when parsing succeeded, else the exit code. */
static int S_parse_args(int argc, char **argv, S_args *a) {
    int c, rc = KB_OK;
    static char localeBuf[32];
    opterr = 0;
    /* Only the first problem is reported; the loop still reads --format,
     * so that the report is JSON when JSON was asked for. */
    while ((c = getopt_long(argc, argv, S_shortOpts, S_longOpts, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (!*optarg) kb_cli_empty_value(&rc, "--db", "kb-query"); /* else $KB_DB's index would answer */
            a->dbArg = optarg;
            break;
        case 'n': a->q.limit = kb_cli_number(&rc, "--limit", optarg, 1, KB_QUERY_MAX_LIMIT, "kb-query"); break;
        case 'o': a->q.offset = kb_cli_number(&rc, "--offset", optarg, 0, KB_QUERY_MAX_OFFSET, "kb-query"); break;
        case 'f': {
            int format = S_parse_format(optarg);
            if (format < 0) kb_cli_bad_value(&rc, "--format", optarg, "kb-query");
            else a->out.format = format, a->formatArg = optarg;
            if (format == KB_FORMAT_JSON) a->jsonAsked = 1;
            break;
        }
        case 'l':
            if (!kb_locale_normalize(optarg, a->lang, sizeof a->lang))
                kb_cli_bad_value(&rc, "--lang", optarg, "kb-query");
            a->q.langExplicit = a->q.langAsked = 1;
            break;
        case 'A': a->q.allLocales = 1; break;
        case 'L':
            if (!kb_locale_normalize(optarg, localeBuf, sizeof localeBuf))
                kb_cli_bad_value(&rc, "--locale-only", optarg, "kb-query");
            a->q.localeOnly = localeBuf;
            break;
        case 'P':
            /* no document path is other than UTF-8 (kb-index skips such names): a typo, not an empty filter */
            if (!kb_utf8_valid(optarg, strlen(optarg), NULL)) kb_cli_bad_value(&rc, "--doc-prefix", optarg, "kb-query");
            a->q.docPrefix = optarg;
            break;
        case 'e': a->q.exact = 1; break;
        case 's': a->show = optarg; break;
        case 't':
            if (!*optarg) kb_cli_empty_value(&rc, "--toc", "kb-query"); /* else every document starts so */
            a->toc = optarg;
            break;
        case 'F': a->q.full = 1; break;
        case 'c':
            a->color = S_color_when(argc, argv, optarg);
            if (strcmp(a->color, "auto") && strcmp(a->color, "always") && strcmp(a->color, "never"))
                kb_cli_bad_value(&rc, "--color", a->color, "kb-query");
            break;
        case 'S': a->serve = 1; break;
        case 'V': a->version = 1; break;
        case 'h': a->help = 1; break;
        default:
            kb_cli_bad_option(&rc, c, argv, S_longOpts, "kb-query");
            a->unknownOption = 1;
            break;
        }
    }
    /* --serve answers JSON lines only: a --format text it had taken
     * silently would have a script wait for text that never comes. */
    if (!rc && a->serve && a->formatArg && a->out.format != KB_FORMAT_JSON)
        rc = kb_fail(KB_EUSAGE, _("--serve answers in JSON lines, not --format %s; see %s --help"), a->formatArg,
                     "kb-query");
    /* Bots read --serve's stdout: even a startup error is JSON there. A
     * bot's --format json is followed by whatever it passes on, which may
     * hold another --format: its usage error is JSON all the same. */
    if (a->serve || (rc && a->jsonAsked)) a->out.format = KB_FORMAT_JSON;
    /* Text output renders each section again for the terminal; JSON shows
     * the views as they are, so they must carry the reader's labels. */
    a->q.viewLabels = a->out.format == KB_FORMAT_JSON;
    /* Help is for a person, who reads stdout (or pipes it to a pager)
     * whatever --format says; JSON has no document for it (README, "The
     * contract"). A person who asks for it beside a bad value ("--help
     * --format yaml") is helped, not told of the value. */
    if (a->help && !a->unknownOption) {
        S_usage(stdout);
        return EXIT_FOUND;
    }
    if (!rc) S_check_what_is_asked(a, argc, argv, &rc);
    return rc ? S_fail(a, EXIT_USAGE, "usage", kb_errmsg()) : -1;
}

/* Whether the environment states a language (es_ES.UTF-8), rather than
 * leaving it unset or at C / POSIX: only a stated language outranks the
 * language the query itself is written in. */
static int S_env_names_language(void) {
    const char *aVar[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(aVar[i]);
        if (!v || !*v) continue;
        return strcmp(v, "C") != 0 && strcmp(v, "POSIX") != 0 && strncmp(v, "C.", 2) != 0;
    }
    return 0;
}

/* The query's words, unmarked: getopt_long keeps their order, so the
 * marked ones come in the order they were marked. */
static char *S_join_args(int argc, char **argv) {
    kb_buf b = {0};
    for (int i = optind, m = 0; i < argc; i++) {
        if (b.n) kb_buf_addc(&b, ' ');
        int marked = m < S_nMarked && argv[i] == S_aMarked[m];
        kb_buf_adds(&b, argv[i] + marked);
        m += marked;
    }
    return kb_buf_detach(&b);
}

static int S_color(const S_args *a) {
    if (a->out.format != KB_FORMAT_TEXT) return 0;
    if (a->color && strcmp(a->color, "always") == 0) return 1;
    if (a->color && strcmp(a->color, "never") == 0) return 0;
    const char *noColor = getenv("NO_COLOR"), *term = getenv("TERM");
    /* a terminal that says it takes no escape sequences (Emacs' shell) */
    if (term && strcmp(term, "dumb") == 0) return 0;
    return isatty(STDOUT_FILENO) && !(noColor && *noColor);
}

/* Whether another build's text pipeline wrote the index (kb_pipeline_id.h).
 * Such an index holds words as that build cut them: most questions still
 * find their sections, but a word cut differently finds nothing, and
 * kb-index rebuilds the index only on its next run. Until then the reader
 * is told so on stderr; stdout, a bot's JSON included, keeps its shape. */
static int S_other_pipeline(sqlite3 *db) {
    char pipeline[64];
    /* a warning only: a table that cannot be read fails the question itself */
    return kb_db_meta(db, "pipeline", pipeline, sizeof pipeline) == KB_OK && *pipeline &&
           strcmp(pipeline, KB_PIPELINE_ID) != 0;
}

static void S_warn_other_pipeline(const char *dbPath) {
    char *zPath = kb_shown(dbPath);
    fprintf(stderr, _("kb-query: warning: %s was built with another text pipeline; some words may find "
                      "nothing until kb-index updates it\n"),
            zPath);
    free(zPath);
}

/* The index's locales, appended to locales, and its documents in *pDocs;
 * KB_EDB (kb_db_fail) when it cannot be read. */
static int S_index_locales(sqlite3 *db, const char *path, json_t *locales, int *pDocs) {
    sqlite3_stmt *st = NULL;
    /* A table dropped, or a locale kb-index cannot have written ("atus "
     * from damaged bytes), is a damaged index, as every question finds. */
    int rc = kb_db_check_complete(db, path);
    if (rc == KB_OK) rc = kb_db_prepare(db, "SELECT locale, count(*) FROM docs GROUP BY locale ORDER BY locale", &st);
    int step = SQLITE_DONE;
    while (rc == KB_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *locale = (const char *)sqlite3_column_text(st, 0);
        char norm[32];
        if (!locale || !kb_locale_normalize(locale, norm, sizeof norm) || strcmp(norm, locale) != 0) {
            rc = kb_db_damaged(path, _("a stored locale is not a locale tag"));
            break;
        }
        json_array_append_new(locales, json_string(locale));
        *pDocs += sqlite3_column_int(st, 1);
    }
    if (rc == KB_OK && step != SQLITE_DONE) rc = kb_db_fail(db);
    sqlite3_finalize(st);
    return rc;
}

/* Whether nothing is at path: the one reason --version may leave the
 * index out. A file that is there but is no kb index (random bytes,
 * another SQLite database, a directory, one it cannot read) is an index
 * that cannot be used, exit 3, as for a question (README, exit status). */
static int S_no_file(const char *path) {
    struct stat st;
    return stat(path, &st) != 0 && (errno == ENOENT || errno == ENOTDIR);
}

static int S_version(const S_args *a, const char *dbPath) {
    sqlite3 *db = NULL;
    int haveDb = kb_db_open_read(dbPath, &db) == KB_OK;
    if (!haveDb && !S_no_file(dbPath)) return S_fail(a, EXIT_DB, "database", kb_errmsg());
    json_t *v = json_pack("{s:s, s:s, s:i, s:i}", "program", "kb-query", "version", KB_VERSION, "schema",
                          KB_JSON_SCHEMA, "index_format", KB_SCHEMA_VERSION);
    char built[64] = "";
    int docs = 0;
    json_t *locales = NULL;
    if (haveDb) {
        locales = json_array();
        /* A damaged index is not one of no documents: exit 3, as a question's. */
        if (kb_db_meta(db, "built_at", built, sizeof built) != KB_OK ||
            S_index_locales(db, dbPath, locales, &docs) != KB_OK) {
            sqlite3_close(db);
            json_decref(locales);
            json_decref(v);
            return S_fail(a, EXIT_DB, "database", kb_errmsg());
        }
        int other = S_other_pipeline(db);
        /* JSON cannot carry a path that is not UTF-8 as it is: its bad
         * bytes are written "\xff", as everywhere else (kb_utf8_escape),
         * rather than the readable index left unreported. A date the
         * index does not record (a damaged or foreign meta table) is left
         * out, as "" is no date. */
        char *zPath = kb_utf8_escape(dbPath);
        json_t *idx = json_object();
        json_object_set_new(idx, "path", json_string(zPath));
        if (*built) json_object_set_new(idx, "built_at", json_string(built));
        json_object_set_new(idx, "documents", json_integer(docs));
        json_object_set(idx, "locales", locales);
        json_object_set_new(idx, "current", json_boolean(!other));
        json_object_set_new(v, "index", idx);
        free(zPath);
        sqlite3_close(db);
        if (other) S_warn_other_pipeline(dbPath);
    }
    if (a->out.format == KB_FORMAT_JSON) {
        json_dumpf(v, stdout, JSON_COMPACT);
        fputc('\n', stdout);
    } else {
        printf(_("kb-query %s (JSON schema %d, index format %d)\n"), KB_VERSION, KB_JSON_SCHEMA, KB_SCHEMA_VERSION);
        if (haveDb) {
            /* The path and the date as a message shows them: an index is
             * anyone's file, and its name or meta table may hold ESC. */
            char *zPath = kb_shown(dbPath), *zBuilt = kb_shown(built);
            if (*built) printf(_("index: %s, built %s, %d documents, locales:"), zPath, zBuilt, docs);
            else printf(_("index: %s, %d documents, locales:"), zPath, docs);
            free(zPath);
            free(zBuilt);
            size_t i;
            json_t *l;
            json_array_foreach(locales, i, l) printf(" %s", json_string_value(l));
            putchar('\n');
        }
    }
    json_decref(locales);
    json_decref(v);
    return EXIT_FOUND;
}

/* Heap a question is given up front when no huge page can hold it (kb_heap.h). */
#define KB_QUERY_HEAP (512 * 1024)

/* What the command line left to the environment: the language, the
 * terminal's width, and whether to color. */
static void S_from_environment(S_args *a) {
    if (!a->lang[0]) {
        kb_lang_from_env(a->lang, sizeof a->lang);
        a->q.langExplicit = S_env_names_language();
    }
    kb_locale_lang(a->lang, a->langCode, sizeof a->langCode);
    a->q.lang = a->langCode;
    a->out.offset = a->q.offset; /* page 2 numbers on from page 1 */
    a->out.width = S_terminal_width();
    a->out.color = S_color(a);
}

/* One thread, one connection: SQLite's mutexes and memory statistics would
 * only cost (a tenth of an ID lookup went to locking), and its small
 * allocations are served from size classes (kb_sqlmem.h). Each page cache
 * (the index's, and one per sorter or ephemeral table) gets its pages one
 * by one instead of laying out 20 at once: the slots it never fills are
 * pages faulted for nothing (-2 to -29 page faults of a question). */
static void S_sqlite_single_thread(void) {
    sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)NULL, 0, 0);
    kb_sqlmem_install();
}

/* jansson seeds its hash tables the first time an object is made, by
 * opening, reading and closing /dev/urandom: one getrandom() call gives the
 * same, two system calls fewer per process. */
static void S_seed_json(void) {
    size_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed && seed != 0) json_object_seed(seed);
}

/* Answers the question the arguments ask (a search, --show or --toc) on
 * stdout; returns the exit code. */
static int S_answer(S_args *a, sqlite3 *db, const char *query) {
    a->out.query = a->toc ? a->toc : query; /* a --toc that finds nothing names what was asked */
    kb_results r;
    int rc;
    if (a->show) rc = kb_search_show(db, a->show, &a->q, &r);
    else if (a->toc) rc = kb_search_toc(db, a->toc, &a->q, &r);
    else rc = kb_search(db, query, &a->q, &r);
    int exitCode;
    if (rc == KB_EUSAGE) { /* --show without DOC#ANCHOR: the user's mistake, not the index's */
        exitCode = S_fail(a, EXIT_USAGE, "usage", kb_errmsg());
    } else if (rc && rc != KB_ENOTFOUND) {
        exitCode = S_fail(a, EXIT_DB, "database", kb_errmsg());
    } else if ((a->toc ? kb_output_toc(stdout, &r, &a->out) : kb_output_print(stdout, &r, &a->out)) != KB_OK) {
        /* JSON that cannot be encoded: text in the index that is not UTF-8 */
        exitCode = S_fail(a, EXIT_DB, "database", kb_errmsg());
    } else {
        if (rc == KB_ENOTFOUND) S_say(kb_errmsg());
        if (r.n == 0 && rc != KB_ENOTFOUND && !r.decoded) {
            fprintf(stderr, "%s\n", _("No results."));
            if (a->out.format != KB_FORMAT_JSON) kb_output_missing_lang(stderr, &r);
            if (a->out.format != KB_FORMAT_JSON) kb_output_unknown(stderr, &r);
            if (a->out.format != KB_FORMAT_JSON) kb_output_common(stderr, &r);
        } else if (r.n == 0 && a->out.format != KB_FORMAT_JSON) {
            /* a code explained that no document names: said, as JSON's unknown_words says it */
            kb_output_unknown(stderr, &r);
        }
        exitCode = r.n > 0 || r.decoded ? EXIT_FOUND : EXIT_NONE;
    }
    kb_results_free(&r);
    return exitCode;
}

/* The exit status of an answer that could not be written to stdout, whose
 * reason kb_errmsg() holds: said on stderr, unless the reader closed its
 * end of a pipe (EPIPE), which knows. */
static int S_write_failed(int err) {
    if (err != EPIPE) S_say(kb_errmsg());
    return EXIT_IO;
}

/* A bot must not read an empty stdout with exit 0 as an answer
 * (kb_cli_answer_written). A failure already reported (usage, database)
 * keeps its exit status. */
static int S_close_stdout(int exitCode) {
    if (exitCode == EXIT_IO) return exitCode; /* --serve stopped at it, and said so */
    if (kb_cli_answer_written(stdout, 1) == KB_OK) return exitCode;
    int rc = S_write_failed(errno);
    return exitCode >= EXIT_USAGE ? exitCode : rc;
}

static int S_run(int argc, char **argv) {
    S_args a = {.q = {.limit = 5}};
    S_mark_query_words(argc, argv);
    /* --lang also picks the message language: peek before parsing. */
    kb_msg_init(argv[0], S_peek_lang(argc, argv));
    int rc = S_parse_args(argc, argv, &a);
    if (rc >= 0) return rc;
    S_from_environment(&a);
    char dbPath[4096];
    if ((rc = kb_db_default_path(a.dbArg, dbPath, sizeof dbPath)) != KB_OK)
        return rc == KB_EUSAGE ? S_fail(&a, EXIT_USAGE, "usage", kb_errmsg())
                               : S_fail(&a, EXIT_DB, "database", kb_errmsg());
    if (a.version) return S_version(&a, dbPath);
    /* Opening the index, searching and rendering touch 250-700 KB of heap,
     * all of it fresh pages. In one huge page they took 0.6-1.6 ms off every
     * kind of question (a fifth); populated as 512 KB of small pages, half
     * that (384 and 768 KB did no better). A server touches them once anyway. */
    if (!a.serve) kb_heap_prefault(KB_QUERY_HEAP);
    /* A closed stdin is input that cannot be read (exit 4), not an empty
     * one: SQLite would put /dev/null in its place as it opens the index,
     * and --serve read that as EOF, exit 0. */
    if (a.serve && fcntl(STDIN_FILENO, F_GETFD) == -1 && errno == EBADF) {
        kb_fail(KB_EIO, _("cannot read standard input: %s"), strerror(EBADF));
        return S_write_failed(EBADF);
    }
    S_sqlite_single_thread();
    S_seed_json();
    sqlite3 *db = NULL;
    if (kb_search_open(dbPath, a.serve ? KB_SEARCH_MANY_QUESTIONS : KB_SEARCH_ONE_QUESTION, &db) != KB_OK)
        return S_fail(&a, EXIT_DB, "database", kb_errmsg());
    if (S_other_pipeline(db)) S_warn_other_pipeline(dbPath);
    if (a.serve) {
        rc = kb_serve(&db, dbPath, stdin, stdout, &a.q) == KB_OK ? EXIT_FOUND : S_write_failed(errno);
    } else {
        char *query = S_join_args(argc, argv);
        /* --show and --toc name what is asked as the query does, and are echoed in JSON too */
        if (!kb_utf8_valid(query, strlen(query), NULL))
            rc = S_fail(&a, EXIT_USAGE, "usage", _("the query is not valid UTF-8"));
        else if (a.show && !kb_utf8_valid(a.show, strlen(a.show), NULL))
            rc = S_fail(&a, EXIT_USAGE, "usage", _("the section named by --show is not valid UTF-8"));
        else if (a.toc && !kb_utf8_valid(a.toc, strlen(a.toc), NULL))
            rc = S_fail(&a, EXIT_USAGE, "usage", _("the document named by --toc is not valid UTF-8"));
        else
            rc = S_answer(&a, db, query);
        free(query);
    }
    sqlite3_close(db);
    return rc;
}

int main(int argc, char **argv) {
    /* A reader that hangs up gets exit 4, as the contract says, not a
     * process killed by SIGPIPE (-13 to Python, 141 to a shell). */
    signal(SIGPIPE, SIG_IGN);
    kb_cli_open_std_streams();
    return S_close_stdout(S_run(argc, argv));
}
