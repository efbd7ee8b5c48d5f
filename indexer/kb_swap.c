/* kb_swap.c: see kb_swap.h. */
#define _GNU_SOURCE /* mkostemp */
#include "kb_swap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "kb_db.h"
#include "kb_msg.h"
#include "kb_util.h"

/* What follows DB in the name of a run's temporary file: ".kb-index-" and
 * six characters mkostemp fills. A name no one gives a file of their own:
 * with ".tmp-" (and DB.tmp before), a run had removed a user's copy
 * "kb.db.tmp-backup" as the leftover of a killed run. */
#define S_TMP_MARK ".kb-index-"
#define S_TMP_SUFFIX S_TMP_MARK "XXXXXX"
_Static_assert(sizeof S_TMP_SUFFIX "-journal" - 1 == KB_SWAP_TMP_EXTRA, "kb_swap.h's KB_SWAP_TMP_EXTRA");

int kb_swap_errno_full(int err) { return err == ENOSPC || err == EDQUOT || err == EFBIG; }

/* The folder path is in, for open() and statvfs(): "." for a bare name. */
static char *S_dir_of(const char *path) {
    char *dir = kb_xstrdup(path);
    char *slash = strrchr(dir, '/');
    if (!slash) {
        free(dir);
        return kb_xstrdup(".");
    }
    if (slash == dir) slash[1] = 0; /* "/x.db": the root */
    else *slash = 0;
    return dir;
}

int kb_swap_no_room(const char *path) {
    struct statvfs fs;
    struct stat st;
    struct rlimit lim;
    char *dir = S_dir_of(path);
    int full = statvfs(dir, &fs) == 0 && (uint64_t)fs.f_bavail * fs.f_frsize < (1u << 20);
    free(dir);
    if (!full && stat(path, &st) == 0 && getrlimit(RLIMIT_FSIZE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY)
        full = (uint64_t)st.st_size + (1u << 16) >= (uint64_t)lim.rlim_cur;
    return full;
}

int kb_swap_check_replaceable(const char *path) {
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return kb_fail(KB_EDB, _("%s is a directory; --db names the index file to write"), path);
        /* A device reads as empty (/dev/null): renamed over, it was gone;
         * a FIFO blocked the open below until a writer came. */
        if (!S_ISREG(st.st_mode))
            return kb_fail(KB_EDB, _("%s is not a regular file; not replacing it (choose another --db)"), path);
    }
    if (kb_db_header(path) != 0) return KB_OK;
    return kb_fail(KB_EDB, _("%s exists and is not a kb index; not replacing it (remove it or choose another --db)"),
                   path);
}

/* Whether fd is still the file at path: a maintainer who takes the lock
 * file left beside the index for a stale one and deletes it while a run
 * holds it lets the next run lock a new file, and both write at once. */
static int S_still_at(int fd, const char *path) {
    struct stat held, named;
    return fstat(fd, &held) == 0 && stat(path, &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

int kb_swap_lock_held(int fd, const char *dbPath) {
    char *lockPath = kb_xasprintf("%s.lock", dbPath);
    int held = S_still_at(fd, lockPath);
    free(lockPath);
    return held ? KB_OK
                : kb_fail(KB_EDB, _("the lock file %s.lock was removed while this run held it, and another kb-index "
                                    "may be writing: the index is left to it"),
                          dbPath);
}

int kb_swap_lock(const char *dbPath, int wait, int quiet, int *pFd) {
    char *lockPath = kb_xasprintf("%s.lock", dbPath);
    int rc = KB_OK, fd = -1, said = 0;
    while (rc == KB_OK) {
        fd = open(lockPath, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
            rc = errno == ELOOP ? kb_fail(KB_EDB, _("the lock file %s is a symbolic link; remove it"), lockPath)
                                : kb_fail(KB_EDB, _("cannot create the lock file %s: %s"), lockPath, strerror(errno));
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            if (!wait) {
                rc = kb_fail(KB_EBUSY, _("another kb-index is updating %s; try again when it has finished"), dbPath);
                break;
            }
            if (!quiet && !said++)
                fprintf(stderr, _("kb-index: waiting for another kb-index to finish with %s\n"), dbPath);
            while (flock(fd, LOCK_EX) != 0 && errno == EINTR) {}
        }
        if (S_still_at(fd, lockPath)) break;
        close(fd); /* locked a file deleted or replaced since: lock the one there now */
        fd = -1;
    }
    if (rc != KB_OK && fd >= 0) {
        close(fd);
        fd = -1;
    }
    free(lockPath);
    *pFd = fd;
    return rc;
}

/* Whether name, in dbPath's folder, is the temporary file of a run on
 * dbPath (base: dbPath's last component), or the rollback journal SQLite
 * may have begun beside it: "kb.db.kb-index-a1B2c3", and with "-journal". */
static int S_is_tmp_of(const char *name, const char *base) {
    size_t n = strlen(base), nMark = strlen(S_TMP_MARK);
    if (strncmp(name, base, n) != 0 || strncmp(name + n, S_TMP_MARK, nMark) != 0) return 0;
    const char *tail = name + n + nMark;
    for (int i = 0; i < 6; i++, tail++) /* mkostemp's letters and digits */
        if (!((*tail >= 'a' && *tail <= 'z') || (*tail >= 'A' && *tail <= 'Z') || (*tail >= '0' && *tail <= '9'))) return 0;
    return tail[0] == 0 || strcmp(tail, "-journal") == 0;
}

void kb_swap_remove_stale(const char *dbPath, int quiet) {
    char *dirPath = S_dir_of(dbPath);
    const char *slash = strrchr(dbPath, '/');
    const char *base = slash ? slash + 1 : dbPath;
    DIR *dir = opendir(dirPath);
    for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
        if (!S_is_tmp_of(e->d_name, base)) continue;
        char *path = kb_xasprintf("%.*s%s", (int)(base - dbPath), dbPath, e->d_name); /* beside dbPath */
        struct stat st;
        /* a folder or a link of that name is no run's, and not ours to remove */
        if (lstat(path, &st) == 0 && S_ISREG(st.st_mode) && unlink(path) == 0 && !quiet)
            fprintf(stderr, _("kb-index: removed %s (%.1f MB), left by a run that did not finish\n"), path,
                    (double)st.st_size / (1 << 20));
        free(path);
    }
    if (dir) closedir(dir);
    free(dirPath);
}

/* ---- this run's file, removed if the run is interrupted ------------------ */

/* The name of the file a signal must remove: mkostemp writes it here, so
 * that it is known from the moment the file exists. */
static char S_armedPath[4096];
static volatile sig_atomic_t S_armed;

static void S_on_signal(int sig) {
    if (S_armed) { /* unlink(), strlen() and memcpy() are async-signal-safe */
        char journal[sizeof S_armedPath + 8];
        size_t n = strlen(S_armedPath);
        memcpy(journal, S_armedPath, n);
        memcpy(journal + n, "-journal", sizeof "-journal");
        unlink(S_armedPath);
        unlink(journal);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Catches the signals that end a run on purpose, once: those ignored when
 * kb-index started (nohup's SIGHUP) stay ignored. */
static void S_catch_signals(void) {
    static int caught;
    if (caught++) return;
    static const int aSig[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof aSig / sizeof aSig[0]; i++) {
        struct sigaction old, sa = {.sa_handler = S_on_signal};
        sigemptyset(&sa.sa_mask);
        if (sigaction(aSig[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN) sigaction(aSig[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN); /* write() then fails with EFBIG, a full disk */
}

/* Makes the file named by template (ending in XXXXXX), armed for removal
 * by a signal from the moment it exists, where its name fits the buffer
 * (else the next run removes it). Returns mkostemp's descriptor. */
static int S_make_armed(char *template) {
    size_t n = strlen(template);
    if (n >= sizeof S_armedPath) return mkostemp(template, O_CLOEXEC);
    memcpy(S_armedPath, template, n + 1);
    S_armed = 1; /* a name not yet made: removing it does nothing */
    int fd = mkostemp(S_armedPath, O_CLOEXEC);
    if (fd < 0) S_armed = 0;
    memcpy(template, S_armedPath, n + 1);
    return fd;
}

/* Copies the file open as in to out, through a buffer: copy_file_range
 * was no faster here, on ext4 or on btrfs, where it shares the blocks. */
static int S_copy_through(int in, int out, const char *from, const char *to, int *pDiskFull) {
    char buf[1 << 16];
    ssize_t got;
    while ((got = read(in, buf, sizeof buf)) > 0)
        for (ssize_t off = 0; off < got;) {
            ssize_t w = write(out, buf + off, (size_t)(got - off));
            if (w < 0) {
                *pDiskFull = kb_swap_errno_full(errno);
                return kb_fail(KB_EDB, "%s: %s", to, strerror(errno));
            }
            off += w;
        }
    return got < 0 ? kb_fail(KB_EDB, "%s: %s", from, strerror(errno)) : KB_OK;
}

/* Gives fd dbPath's mode and, where we may give it, its owner: made 0644
 * and changed once written, the copy of a private index (0600) was
 * world-readable all along. */
static void S_take_mode(int fd, const char *dbPath) {
    struct stat st;
    if (stat(dbPath, &st) != 0) {
        /* read by setting it back: before the workers start, no other
         * thread makes a file meanwhile */
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0644 & ~mask) != 0) {} /* as SQLite would have made it; else private */
        return;
    }
    if (fchown(fd, st.st_uid, st.st_gid) != 0) {} /* not ours to give (not root): the mode still is */
    /* writable by its owner while the run writes it, and given the index's
     * own mode when installed: a read-only index (0444) had made each run
     * fail with "attempt to write a readonly database" */
    if (fchmod(fd, (st.st_mode & 07777) | S_IWUSR) != 0) {} /* then it stays 0600, the safe side */
}

int kb_swap_create(const char *dbPath, int copy, char **pTmpPath, int *pDiskFull) {
    S_catch_signals();
    char *tmpPath = kb_xasprintf("%s" S_TMP_SUFFIX, dbPath);
    *pTmpPath = NULL;
    int fd = S_make_armed(tmpPath); /* 0600, O_EXCL: never through a link left there */
    if (fd < 0) {
        int rc = kb_fail(KB_EDB, _("cannot create %s: %s"), tmpPath, strerror(errno));
        free(tmpPath);
        return rc;
    }
    S_take_mode(fd, dbPath);
    int rc = KB_OK;
    if (copy) {
        int in = open(dbPath, O_RDONLY | O_CLOEXEC);
        rc = in < 0 ? kb_fail(KB_EDB, "%s: %s", dbPath, strerror(errno)) : S_copy_through(in, fd, dbPath, tmpPath, pDiskFull);
        if (in >= 0) close(in);
    }
    if (close(fd) != 0 && rc == KB_OK) {
        *pDiskFull = kb_swap_errno_full(errno);
        rc = kb_fail(KB_EDB, "%s: %s", tmpPath, strerror(errno));
    }
    if (rc != KB_OK) {
        kb_swap_discard(tmpPath);
        free(tmpPath);
        return rc;
    }
    *pTmpPath = tmpPath;
    return KB_OK;
}

/* A write-ahead log and its index beside the index belong to the file just
 * replaced (kb never writes one, but sqlite3 may have): left there, they
 * made SQLite read the new index as malformed. */
static void S_forget_old_wal(const char *dbPath) {
    char *z = kb_xasprintf("%s-wal", dbPath);
    unlink(z);
    free(z);
    z = kb_xasprintf("%s-shm", dbPath);
    unlink(z);
    free(z);
}

static void S_fsync_dir(const char *path) {
    char *dir = S_dir_of(path);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

int kb_swap_install(const char *tmpPath, const char *dbPath) {
    struct stat st;
    if (stat(dbPath, &st) == 0 && chmod(tmpPath, st.st_mode & 07777) != 0) {} /* S_take_mode */
    if (rename(tmpPath, dbPath) != 0) {
        int rc = kb_fail(KB_EDB, _("cannot replace %s: %s"), dbPath, strerror(errno));
        kb_swap_discard(tmpPath);
        return rc;
    }
    S_armed = 0;
    S_forget_old_wal(dbPath);
    S_fsync_dir(dbPath);
    return KB_OK;
}

void kb_swap_discard(const char *tmpPath) {
    S_armed = 0;
    unlink(tmpPath);
    char *journal = kb_xasprintf("%s-journal", tmpPath);
    unlink(journal);
    free(journal);
}
