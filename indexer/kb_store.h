/* kb_store.h: write parsed documents into an open index.
 *
 * Keeps the prepared statements of one write transaction. Each section goes
 * to `sections`, its anchors to `anchors`, its heading's words to
 * `heading_keys`, its error IDs to `error_ids`, and its text to the FTS
 * table of its language.
 *
 * A section is marked as about a problem (`sections.problem`, and the
 * 'problem' set the ranking favours for a question such as "no puedo
 * iniciar la VM") when its heading or an enclosing one names a symptom or a
 * problem ("Error al...", "No se puede...", "無法...": kb_vocab.h), when it
 * has remediation records or error IDs, or when its document is a
 * troubleshooting guide ("troubleshoot" in its path, the convention of the
 * docs sets we index). */
#ifndef KB_STORE_H
#define KB_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "kb_db.h"
#include "kb_md.h"
#include "kb_pack.h"
#include "kb_tok.h"
#include "kb_util.h"

/* What the writer needs of a section beyond kb_md's output, computed on a
 * worker thread: its packed view (kb_view.h), the joined breadcrumb and the
 * tokens of the FTS columns (KB_DB_FTS_COLUMNS). */
typedef struct kb_store_section {
    int problem;   /* about a problem, by what the section itself says (above) */
    uint64_t headingKey; /* kb_tok_words_key of its heading; 0: none */
    kb_buf packed;
    kb_buf crumb;
    kb_buf body;   /* the words of the text view (kb_render_index_text) */
    kb_tok_stream aTok[KB_DB_FTS_NCOLUMNS];
} kb_store_section;

/* t: a tokenizer of the document's language (lang, "es") and p a packer,
 * both owned by the calling thread. */
void kb_store_prepare(kb_tok *t, kb_packer *p, const char *lang, const kb_section *sec, kb_store_section *out);
void kb_store_section_free(kb_store_section *p);

typedef struct kb_store kb_store;

typedef struct kb_store_doc {
    const char *path;      /* relative path */
    const char *locale;    /* "es-es" */
    const char *lang;      /* "es" */
    int64_t size, stampNs;
    const char *hash;
    const char *xhash;     /* of the text with its includes as read (kb_build.c) */
    const kb_doc *doc;
    kb_store_section *aPrep; /* per section, from kb_store_prepare */
    /* includes the document read, for change detection */
    const char *const *aIncludePath;
    const int64_t *aIncludeSize, *aIncludeStamp;
    int nInclude;
    int nProblem;            /* problems shown as it was parsed: kb-index counts it while it is unchanged */
} kb_store_doc;

int kb_store_open(sqlite3 *db, kb_store **pStore);
void kb_store_close(kb_store *s);

/* Removes a document (by path) and everything indexed from it. */
int kb_store_remove(kb_store *s, const char *path);

/* Replaces (or adds) a document. */
int kb_store_put(kb_store *s, const kb_store_doc *d);

/* Updates only the change-detection fields of an unchanged document. */
int kb_store_touch(kb_store *s, const char *path, int64_t size, int64_t stampNs);

/* ...and the includes it read (d's path, size, stamp and includes): a
 * document parsed again whose text, with its includes, is as indexed. */
int kb_store_touch_includes(kb_store *s, const kb_store_doc *d);

/* From now on, counts how many sections gain and lose each term, so that
 * kb_store_write_terms can bring the `terms` table up to date without
 * recounting (kb_termdf.h). Before the first document is written: the
 * table must have been exact before the run. */
void kb_store_count_terms(kb_store *s);
/* Applies the counted changes to `terms`, for every language written. */
int kb_store_write_terms(kb_store *s);

/* The languages whose FTS table the store changed (a section added or
 * removed), i of n in first-use order: what a run must bring up to date
 * once the documents are written. */
int kb_store_lang_count(const kb_store *s);
const char *kb_store_lang_at(const kb_store *s, int i);

/* Writes the 'problem' row of section_sets (kb_db.c) from the sections
 * table: after every change, since ids come and go with documents. */
int kb_store_section_sets(sqlite3 *db);

/* Fills error_text (kb_db.c): for every error key of the index, what a
 * query of just that key finds by full text (kb_search_errid_text). Scores
 * depend on the whole index, so this runs after every change, once the
 * sections and the terms table are complete. */
int kb_store_errid_text(sqlite3 *db);

#endif
