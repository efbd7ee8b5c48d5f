/* kb_walk.h: find the Markdown files of documentation trees.
 *
 * Walks directories recursively (hidden directories skipped; symbolic links
 * followed) and lists every *.md file with its path relative to its root,
 * '/'-separated, and its size and change stamp for the fast change check.
 * Each directory is walked once, by device and inode, over all the roots
 * of a run: every root's own directories first, then links to others, so
 * that a link from one tree into another is not a second copy of its
 * files. Files under a directory named "includes" are marked: DocFX
 * publishes them only through [!INCLUDE], so they are not documents.
 * A README.md at the top of a tree describes the tree and is left out.
 * A file or directory whose name is not valid UTF-8 is skipped with a
 * warning: its path could not be a document's name in the index, in JSON
 * or in a --check report. A folder or file inside a tree that cannot be
 * read now (permissions) is warned about and listed apart (aUnread): it
 * is not gone, and the index keeps what it holds from it. */
#ifndef KB_WALK_H
#define KB_WALK_H

#include <stddef.h>
#include <stdint.h>

typedef struct kb_file {
    char *absPath;     /* root + '/' + relPath */
    char *relPath;     /* "es-es/backup-azure-mars-troubleshoot.md": the document's path in the index */
    int rootRelOffset; /* relPath + rootRelOffset is the path relative to its root */
    int rootIndex;     /* which root it came from */
    int64_t size;
    int64_t stampNs;   /* kb_file_stamp */
    int isInclude;     /* under an includes/ directory */
} kb_file;

/* A file's change stamp, which kb-index compares with the one it stored
 * (with the size) to know a file is unchanged without reading it: its
 * mtime in nanoseconds, the low 20 bits (about a millisecond) a hash of
 * its ctime and inode. An edit whose mtime `touch -d` or `cp -p` set back
 * still changed the ctime, which nobody can set; another file put at the
 * same path (DIRs given in another order) has another inode. The mtime
 * part says when the file was last written (S_stored_stamp). */
struct stat;
int64_t kb_file_stamp(const struct stat *st);

typedef struct kb_file_list {
    kb_file *a;
    int n, cap;
    char **aUnread;    /* relPath form of the folders and entries that could not be read */
    int nUnread, capUnread;
    char **aSkipped;   /* relPaths of the documents skipped with a warning: a name not UTF-8, a broken link, no regular file */
    int nSkipped, capSkipped;
} kb_file_list;

/* The warning for a name that is not UTF-8, which kb-index --check reports
 * as an error of its own ("utf8"). English, as every walk warning. */
#define KB_WALK_NAME_NOT_UTF8 N_("name is not valid UTF-8, skipped")

/* The warning for a symbolic link that points nowhere. */
#define KB_WALK_BROKEN_LINK N_("broken symbolic link, skipped")

/* The warnings for a symbolic link to a directory that holds it, and for
 * one to a directory walked already (the tree's own, or another link's):
 * each directory is walked once. */
#define KB_WALK_LINK_LOOP N_("symbolic link loop, skipped")
#define KB_WALK_LINK_SEEN N_("symbolic link to a directory indexed already, skipped")

/* Warning callback for unreadable directories, symlink loops and names
 * that are not UTF-8, under root rootIndex. path is relative to that
 * root, with its prefix (as a relPath), the root itself as given; written
 * by kb_shown. */
typedef void (*kb_walk_warn_fn)(void *ctx, int rootIndex, const char *path, const char *message);

/* Appends the files under the nRoot roots to list, sorted by root (in the
 * order given: kb_file.rootIndex), then by relPath. With prefixes
 * (aPrefix[i] "es-ES" when several roots are indexed together, so that
 * their "articles/x.md" stay apart), relPath is the root's prefix + "/" +
 * the path relative to the root; aPrefix may be NULL. A file reached from
 * another root, through a link, takes that root's name and prefix. Fails
 * (KB_EIO, naming the root) only if a root itself cannot be read or
 * listed. */
int kb_walk(const char *const *aRoot, const char *const *aPrefix, int nRoot, kb_file_list *list,
            kb_walk_warn_fn warn, void *ctx);
void kb_file_list_free(kb_file_list *list);


/* Removes from aRoot the roots another one already covers: the same
 * directory given twice, or one inside another, whose files would else be
 * indexed twice under two paths. Warns about each root removed; keeps the
 * order of the rest, and roots that do not resolve (the walk reports
 * them). Returns how many remain. */
int kb_walk_distinct_roots(const char **aRoot, int nRoot, kb_walk_warn_fn warn, void *ctx);

#endif
