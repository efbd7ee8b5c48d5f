/* kb_pack.h: how the index stores text: zstd frames, compressed with a
 * dictionary per language trained on the corpus being indexed.
 *
 * What is stored per section (kb_view.h) is a few kilobytes. Compressed one
 * by one, such small texts compress poorly, because every frame starts
 * knowing nothing; a dictionary of the corpus's recurring strings (table
 * headers, "Acciones recomendadas", link targets) fixes that. On the es-ES
 * docs, with a 32 KB dictionary, the five fields of a view take less room
 * than zlib needed for the Markdown alone, and decompress faster. The
 * dictionaries live in the index (table dicts) and each frame names its own
 * by id; a frame of id 0 needs none. */
#ifndef KB_PACK_H
#define KB_PACK_H

#include <sqlite3.h>
#include <stddef.h>

struct kb_buf;

/* Trains a dictionary of at most cap bytes from nSample texts laid end to
 * end in samples (their sizes in aSize). Returns the dictionary's id (> 0)
 * with the dictionary in dict, or 0 when the samples are too few or too
 * small to learn from: then texts are packed without one. */
unsigned kb_pack_train(const char *samples, const size_t *aSize, unsigned nSample, size_t cap, struct kb_buf *dict);

/* Compresses texts, with the dictionary when one is given. Not thread-safe:
 * one per thread. */
typedef struct kb_packer kb_packer;
kb_packer *kb_packer_new(const void *dict, size_t nDict);
void kb_packer_free(kb_packer *p);
/* Replaces out's content with one frame holding z[0..n). */
void kb_packer_pack(kb_packer *p, const char *z, size_t n, struct kb_buf *out);

/* Decompresses frames of one index; the first frame that names a
 * dictionary loads it from the index's dicts table. Not thread-safe. */
typedef struct kb_unpacker kb_unpacker;
kb_unpacker *kb_unpacker_new(sqlite3 *db);
void kb_unpacker_free(kb_unpacker *u);
/* The text of a frame, malloc'd and NUL-terminated, in *pz (*pn bytes).
 * KB_EDB when the blob is not a frame this index can read (damaged, larger
 * than 64 MB, or naming a dictionary the index lacks); *pz is then "". */
int kb_unpacker_unpack(kb_unpacker *u, const void *blob, size_t n, char **pz, size_t *pn);
/* Records that a stored text is damaged, with what to do about it; KB_EDB. */
int kb_pack_damaged(void);

#endif
