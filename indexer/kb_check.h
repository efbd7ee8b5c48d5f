/* kb_check.h: lint documentation trees for a docs CI (kb-index --check).
 *
 * Reads every *.md under each root (documents and include files alike) with
 * the indexer's own parser and reports what would break the published docs
 * or the index, each problem with a stable code:
 *   broken-anchor        a link names an anchor its target does not have
 *   missing-target       the linked document or file is not in the tree
 *   undefined-reference  [text][label] with no [label]: definition
 *   link-outside         a relative link climbs above the root
 *   duplicate-anchor     two explicit anchors with one name in a page
 *   table-cells          a row with more or fewer cells than its header
 *   front-matter         YAML front matter that does not parse
 *   utf8, binary         invalid UTF-8 (content or name), a NUL byte
 *   include-missing, include-outside, include-invalid, include-cycle,
 *   include-depth        an include that cannot be expanded, or too deep
 *   include-too-large    the page with this include is over the size bound
 *   too-large            the file alone is over the size bound: not indexed
 *   too-costly           too many table cells to parse at a sane cost
 *   unreadable           the file cannot be read (permissions, I/O)
 *   walk                 a folder, link or name the walk passes by
 * Anchors are the ones kb_md gives (explicit <a name>/id,
 * aliases, GitHub slugs) plus those DocFX also renders that do not cut a
 * section: deeper headings and anchors in running text.
 *
 * Problems in an included file are reported once, in that file at its own
 * line, not again in every document that includes it. Nothing is written to
 * any database. */
#ifndef KB_CHECK_H
#define KB_CHECK_H

#include <stddef.h>

enum { KB_CHECK_WARNING = 1, KB_CHECK_ERROR = 2 }; /* same values as KB_DIAG_* */

typedef struct kb_check_problem {
    char *file;         /* relative to its root, '/'-separated */
    int root;           /* index of the root it belongs to */
    int line;           /* 1-based; 0 when the problem is the whole file */
    int severity;       /* KB_CHECK_WARNING or KB_CHECK_ERROR */
    const char *code;   /* stable identifier: "broken-anchor", "missing-target"... */
    char *message;
} kb_check_problem;

typedef struct kb_check_report {
    kb_check_problem *a; /* sorted by root, file, line */
    int n, cap;
    int nFile;           /* Markdown files read */
    int nError, nWarning;
} kb_check_report;

/* Checks the trees and fills r, with the indexer's size bound (its
 * --max-file-size: a larger file is not indexed, and a page with its
 * includes is no larger). Fails (KB_EIO, kb_fail set) only when a root
 * cannot be read; problems in the documents are not failures. */
int kb_check_collect(const char *const *aRoot, int nRoot, size_t maxBytes, kb_check_report *r);
void kb_check_report_free(kb_check_report *r);

/* kb-index --check: prints the problems ("file:line: severity: message", or
 * one JSON document when json is set) on stdout, the summary line on stderr
 * in text mode, and returns the exit code: 1 if any error was found, 0 if
 * none, 2 if a root cannot be read, 4 if the report could not be written. */
int kb_check(const char *const *aRoot, int nRoot, size_t maxBytes, int json);

#endif
