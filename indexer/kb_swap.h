/* kb_swap.h: how kb-index replaces the index file whole.
 *
 * The index is never written in place. A run takes an exclusive lock on
 * DB.lock, writes the new index into a temporary file of its own beside DB
 * (DB.kb-index-XXXXXX: private from its creation, then given DB's mode and
 * owner; a copy of DB for an incremental run), and renames it over DB once
 * complete: a query reads the whole old index or the whole new one. Each
 * run's file is its own, so that two runs that both hold "the" lock (its
 * file removed while the first held it) cannot rename each other's half-
 * written index into place.
 *
 * A run interrupted by SIGINT, SIGTERM or SIGHUP removes its file; one
 * killed leaves it, and the next run, holding the lock, removes it and
 * says so. A file size limit (ulimit -f) fails a write, which is then
 * reported as a full disk, rather than killing kb-index with SIGXFSZ. */
#ifndef KB_SWAP_H
#define KB_SWAP_H

/* How much longer than DB the longest name of a run's files is: its
 * temporary file's rollback journal, "DB.kb-index-XXXXXX-journal". */
#define KB_SWAP_TMP_EXTRA (sizeof ".kb-index-XXXXXX-journal" - 1)

/* 1 if errno err says the disk (or the user's quota, or the file size
 * limit) is full. */
int kb_swap_errno_full(int err);

/* 1 if the file at path can grow no more: its file system has under a
 * megabyte free, or it is at the process's file size limit. For an I/O
 * error whose errno SQLite did not keep. */
int kb_swap_no_room(const char *path);

/* Refuses a dbPath that is a folder, a device or a FIFO, or a file that is
 * not a kb index (someone's data): KB_EDB with the reason. An empty file
 * or a kb index, however damaged, may be replaced. */
int kb_swap_check_replaceable(const char *dbPath);

/* Takes the lock on dbPath.lock into *pFd: waiting for another kb-index
 * when wait is set (said on stderr unless quiet), else KB_EBUSY. */
int kb_swap_lock(const char *dbPath, int wait, int quiet, int *pFd);

/* KB_OK if the lock fd holds is still dbPath.lock; else KB_EDB, said: the
 * file was deleted (taken for a stale one) and another run may have
 * locked a new one, so this run must not install its index. */
int kb_swap_lock_held(int fd, const char *dbPath);

/* Removes the temporary files runs that were killed left beside dbPath
 * (said on stderr unless quiet). Only while holding the lock. */
void kb_swap_remove_stale(const char *dbPath, int quiet);

/* Makes this run's temporary file beside dbPath, its name into *pTmpPath
 * (malloc'd), with dbPath's mode and owner where there is one, and, if
 * copy is set, dbPath's bytes. *pDiskFull is set when the copy failed for
 * want of room. KB_EDB on failure, with nothing left behind. */
int kb_swap_create(const char *dbPath, int copy, char **pTmpPath, int *pDiskFull);

/* Renames the complete tmpPath over dbPath, and makes the rename durable.
 * KB_EDB when it cannot be renamed (tmpPath is then discarded). */
int kb_swap_install(const char *tmpPath, const char *dbPath);

/* Removes tmpPath, a run's file that will not be installed. */
void kb_swap_discard(const char *tmpPath);

#endif
