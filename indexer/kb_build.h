/* kb_build.h: turn documentation trees into a kb index, incrementally and
 * atomically.
 *
 * Only files whose size or change stamp (kb_file_stamp) changed are read; of those, only files
 * whose content hash (or an include's) changed are parsed again, and also
 * those whose includes could not be read and now can, or whose default
 * locale (--default-locale, or their root's folder name) changed. A file
 * modified less than 2 s before or during a run is read again by the next
 * one: saved twice within one timestamp tick, it keeps size and stamp.
 * A run with no change (skipping bad files the index does not hold is
 * none) writes nothing. Otherwise the new index is written to a file of
 * the run's own (a copy of the old one for incremental runs) and renamed
 * over DB once complete, under an exclusive lock on DB.lock (kb_swap.h):
 * readers see the whole old index or the whole new one, and a run killed
 * at any point leaves the old index intact. Files are parsed on worker
 * threads; one thread writes. */
#ifndef KB_BUILD_H
#define KB_BUILD_H

#include <stdint.h>

typedef struct kb_build_opts {
    const char *dbPath;
    const char *const *aRoot;   /* directories to index */
    int nRoot;
    const char *defaultLocale;  /* "en-us" */
    int full;                   /* ignore the old index */
    int quiet;                  /* no progress, no summary */
    int progress;               /* live progress line on stderr */
    int wait;                   /* wait for a concurrent run instead of failing */
    int jobs;                   /* parser threads; 0 = number of cores */
    int64_t maxFileBytes;       /* larger files are skipped with a warning */
} kb_build_opts;

typedef struct kb_build_stats {
    int added, changed, removed, unchanged, skipped;
    double seconds;
    int64_t dbBytes;
} kb_build_stats;

int kb_build(const kb_build_opts *o, kb_build_stats *stats);

/* Prints the per-locale summary of an index (documents, sections, error
 * IDs, words) to stdout. KB_EDB if the index cannot be read to the end: a
 * damaged one says to rebuild it with --full (kb_db_fail). */
int kb_build_print_summary(const char *dbPath, const kb_build_stats *stats);

#endif
