/* kb_util.h: memory, growable buffers, files and the one error idiom.
 *
 * Errors: every fallible function returns an int result code, KB_OK (0) on
 * success. On failure it records a human-readable message with kb_fail(),
 * which returns the code, so failing code reads `return kb_fail(KB_EIO, ...)`
 * and callers write `if (rc) return rc;`. The message is per thread.
 *
 * Memory: allocation failure aborts here (kb_xmalloc and friends), so no
 * caller carries out-of-memory branches. */
#ifndef KB_UTIL_H
#define KB_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum kb_rc {
    KB_OK = 0,
    KB_ENOTFOUND = 1, /* nothing matched: not an error for the user, exit 1 */
    KB_EUSAGE = 2,    /* bad command line or request */
    KB_EDB = 3,       /* database missing, unreadable, corrupt or of another schema */
    KB_EIO = 4,       /* a file could not be read or written */
    KB_EFORMAT = 5,   /* input that is not what it claims to be (not UTF-8, binary...) */
    KB_EBUSY = 6,     /* another process holds the index lock */
    KB_ELIMIT = 7     /* input larger than we accept */
};

int kb_fail(int rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *kb_errmsg(void);
/* kb_errmsg() without the "path: " a file's error starts with (kb_file_read's),
 * for a message that names the file already: "Permission denied". */
const char *kb_errmsg_after(const char *path);

void *kb_xmalloc(size_t n);
void *kb_xcalloc(size_t count, size_t size);
void *kb_xrealloc(void *p, size_t n);
char *kb_xstrdup(const char *z);
char *kb_xstrndup(const char *z, size_t n);
char *kb_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* p, or the same abort as kb_xmalloc when a library's allocator returned NULL. */
void *kb_xcheck(void *p);

/* A growable byte string, always NUL-terminated when z != NULL. */
typedef struct kb_buf {
    char *z;
    size_t n;
    size_t cap;
} kb_buf;

/* Room for extra more bytes (and the NUL): b->z + b->n may then be
 * written directly, b->n advanced and the NUL set by the writer. */
void kb_buf_reserve(kb_buf *b, size_t extra);
/* Appending is inline where it fits: the indexer's renderers append every
 * word and space of a section one at a time (millions of calls on es-ES). */
static inline void kb_buf_add(kb_buf *b, const char *z, size_t n) {
    if (b->n + n + 1 > b->cap) kb_buf_reserve(b, n);
    if (n) memcpy(b->z + b->n, z, n);
    b->n += n;
    b->z[b->n] = 0;
}
static inline void kb_buf_addc(kb_buf *b, char c) {
    if (b->n + 2 > b->cap) kb_buf_reserve(b, 1);
    b->z[b->n++] = c;
    b->z[b->n] = 0;
}
void kb_buf_adds(kb_buf *b, const char *z);
void kb_buf_addf(kb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void kb_buf_vaddf(kb_buf *b, const char *fmt, va_list ap);
void kb_buf_reset(kb_buf *b);
const char *kb_buf_str(kb_buf *b); /* "" for an empty buffer, never NULL */
char *kb_buf_detach(kb_buf *b);     /* caller frees; buffer is left empty */
void kb_buf_free(kb_buf *b);

/* A copy of z[0..n) with its %XX escapes decoded (not %00), as a browser
 * reads a link's path or fragment ("50%25off": "50%off"); z as it is when
 * the bytes decoded are not UTF-8 ("%ackup", a typo). Malloc'd. */
char *kb_url_decode(const char *z, size_t n);

/* The root-relative path that rel names when the file from (root-relative;
 * NULL: a file at the root) writes it: "~/x" from the root, else against
 * from's folder, "." and ".." read lexically, symbolic links not followed.
 * NULL if rel is absolute or climbs above the root. Malloc'd. */
char *kb_path_resolve(const char *from, const char *rel);

/* Reads a whole file. Files larger than maxBytes fail with KB_ELIMIT. */
int kb_file_read(const char *path, size_t maxBytes, char **pz, size_t *pn);

/* What keeps a file's bytes from being a document's text, in the order
 * they are told: kb-index skips such a file, --check reports it. */
enum kb_text_problem {
    KB_TEXT_OK = 0,
    KB_TEXT_UTF16,    /* a UTF-16 byte order mark: Notepad's "Unicode" */
    KB_TEXT_UTF32,    /* a UTF-32 byte order mark */
    KB_TEXT_BINARY,   /* a NUL byte, at *pOffset */
    KB_TEXT_NOT_UTF8  /* bytes that are not UTF-8, from *pOffset */
};
int kb_text_problem(const char *z, size_t n, size_t *pOffset);

/* A size limit in MB as a message says it: with the fewest significant
 * digits that name the same number of bytes, so that --max-file-size 0.001
 * (1,049 bytes) reads back as 0.001, not 0.000999451. */
double kb_megabytes(uint64_t bytes);

/* Byte-level helpers for UTF-8 text. */
int kb_utf8_valid(const char *z, size_t n, size_t *pBadOffset);
/* z with each byte that is not part of valid UTF-8 written as "\xff"
 * ("bad\xffname.md"): text that can be shown and put in JSON. Malloc'd. */
char *kb_utf8_escape(const char *z);
/* z as a message to a person shows it: kb_utf8_escape, and each control
 * character written "\x1b" too, so that a name holding a newline stays on
 * its line and one holding ESC sends nothing to the terminal (a file name,
 * an <a name> anchor: a document can be anyone's). Malloc'd. */
char *kb_shown(const char *z);
/* Removes from z, in place, the control characters a terminal would obey
 * (C0 and DEL, and C1 as UTF-8), a tab, line break or separator (U+001C
 * to U+001F: "Top\x1fLevel" is two words) becoming a space: a
 * heading or title is shown in a terminal, by kb-query or by a bot that
 * prints a JSON field, and a document can be anyone's. Returns z. */
char *kb_drop_controls(char *z);
/* Length of the well-formed UTF-8 sequence at z[0..n) (1 for ASCII), 0 if
 * there is none (overlong, surrogate, beyond U+10FFFF, truncated). Inline
 * for the sequences whose lead byte rules out overlongs and surrogates
 * (ASCII, and almost all of Latin and CJK text), which then need only their
 * continuation bytes checked: JSON output validates every character of
 * ~50 KB of text per question this way. */
size_t kb_utf8_seq_len_any(const char *z, size_t n); /* the same, every case decoded */
/* Characters in z[0..n): the bytes that start one (a stray continuation
 * byte starts none). */
static inline size_t kb_utf8_chars(const char *z, size_t n) {
    size_t nChar = 0;
    for (size_t i = 0; i < n; i++) nChar += ((unsigned char)z[i] & 0xC0) != 0x80;
    return nChar;
}
static inline size_t kb_utf8_seq_len(const char *z, size_t n) {
    const unsigned char *s = (const unsigned char *)z;
    if (n >= 1 && s[0] < 0x80) return 1;
    if (n >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) return 2;
    if (n >= 3 && ((s[0] >= 0xE1 && s[0] <= 0xEC) || s[0] == 0xEE || s[0] == 0xEF) && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80)
        return 3;
    return kb_utf8_seq_len_any(z, n);
}

/* FNV-1a of z[0..n): the one hash of kb's in-memory tables (the
 * tokenizer's word caches, the snippet matcher's tokens). Inline: they
 * hash every word of a section. */
static inline uint32_t kb_hash(const char *z, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)z[i]) * 16777619u;
    return h;
}

/* A set of strings the caller owns (they are not copied, and must outlive
 * the set): membership in constant time where a scan of a list went
 * quadratic (--check of a page of 100,000 headings took 13 s). */
typedef struct kb_strset {
    const char **aKey;
    size_t cap, n;
} kb_strset;
int kb_strset_add(kb_strset *s, const char *z); /* 1 if added, 0 if it was there */
int kb_strset_has(const kb_strset *s, const char *z);
void kb_strset_free(kb_strset *s);

#endif
