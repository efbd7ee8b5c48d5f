/* kb_store.h: write parsed documents into an open index.
 *
 * Keeps the prepared statements of one write transaction. Each section goes
 * to `sections`, its anchors to `anchors`, its error IDs to `error_ids`, and
 * its text to the FTS table of its language. */
#ifndef KB_STORE_H
#define KB_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "kb_md.h"

typedef struct kb_store kb_store;

typedef struct kb_store_doc {
    const char *path;      /* relative path */
    const char *locale;    /* "es-es" */
    const char *lang;      /* "es" */
    int64_t size, mtimeNs;
    const char *hash;
    const kb_doc *doc;
    struct kb_buf *aPacked;  /* per section: its Markdown packed by kb_db_pack (done off the writer thread) */
    /* includes the document read, for change detection */
    const char *const *aIncludePath;
    const int64_t *aIncludeSize, *aIncludeMtime;
    int nInclude;
} kb_store_doc;

int kb_store_open(sqlite3 *db, kb_store **pStore);
void kb_store_close(kb_store *s);

/* Removes a document (by path) and everything indexed from it. */
int kb_store_remove(kb_store *s, const char *path);

/* Replaces (or adds) a document. */
int kb_store_put(kb_store *s, const kb_store_doc *d);

/* Updates only the change-detection fields of an unchanged document. */
int kb_store_touch(kb_store *s, const char *path, int64_t size, int64_t mtimeNs);

#endif
