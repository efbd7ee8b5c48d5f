/* kb_errid.h: error identifiers - recognising, normalizing, decoding.
 *
 * An error ID is stored under a canonical key:
 *   hex codes     "0x80070570"   lowercase, leading zeros after 0x dropped
 *   numeric IDs   "34513"        message IDs, HTTP-style statuses in error context
 *   symbolic      "salchecksumstoreinitializationfailed"  lowercase
 * The indexer extracts IDs from a section's blocks (kb_errid_extract); the
 * query path turns whatever the user typed into the keys to look up
 * (kb_errid_query_keys): a 32-bit HRESULT typed as hex, unsigned decimal
 * (2147942405) or signed decimal (-2147024891) yields the same hex key, a
 * Windows error name (ERROR_FILE_CORRUPT) yields its HRESULT_FROM_WIN32 key,
 * and so, as a guess after the number itself, does a Win32 code typed as an
 * error ("Error 1392", "0x570").
 * The Windows names come from a table generated from mingw-w64's winerror.h. */
#ifndef KB_ERRID_H
#define KB_ERRID_H

#include <stddef.h>

#define KB_ERRID_KEY_MAX 96

enum kb_errid_kind { KB_ERRID_HEX = 0, KB_ERRID_NUMERIC, KB_ERRID_SYMBOLIC };

/* Where a piece of text sits in the section, which decides what counts as
 * an ID there and whether the section *defines* it. */
enum kb_block_role {
    KB_BLOCK_HEADING = 0,   /* a heading (any level) of the section */
    KB_BLOCK_PARAGRAPH,     /* paragraph or list item text */
    KB_BLOCK_CELL,          /* a table cell: colHeader is its column's header text */
    KB_BLOCK_CODE           /* code block or inline code */
};

typedef struct kb_errid {
    char key[KB_ERRID_KEY_MAX];  /* canonical key */
    char raw[KB_ERRID_KEY_MAX];  /* as written in the document (truncated) */
    int kind;                    /* enum kb_errid_kind */
    int defining;                /* 1 if the section is about this ID */
} kb_errid;

typedef struct kb_errid_list {
    kb_errid *a;
    int n, cap;
    int *aSlot, nSlot;  /* a hash of the keys (index + 1, 0 empty): a log pasted
                         * into a page holds 100,000 codes */
} kb_errid_list;

/* Adds the IDs found in one block of a section to the list (deduplicated by
 * key; a later defining occurrence upgrades an earlier mention). text is
 * UTF-8 plain text of the block; colHeader is NULL except for KB_BLOCK_CELL. */
void kb_errid_extract(kb_errid_list *list, int role, const char *text, size_t n, const char *colHeader);
void kb_errid_list_free(kb_errid_list *list);

/* Canonical key of one token that is an ID by itself ("0X0001FC07" ->
 * "0x1fc07", "SalBitmapError" -> "salbitmaperror", "34513" -> "34513").
 * Returns the kind, or -1 if the token is not ID-shaped. */
int kb_errid_normalize(const char *z, size_t n, char *key, size_t cap);

/* Keys to look up for a query, most specific first, at most maxKeys.
 * Each key is KB_ERRID_KEY_MAX bytes. Also reports, per key, the query
 * token it came from (byte range) so the caller can tell ID words from
 * the other words. Returns the number of keys. */
typedef struct kb_errid_qkey {
    char key[KB_ERRID_KEY_MAX];
    int kind;
    size_t iStart, iEnd;  /* byte range of the source token in the query */
    int isPrefix;         /* 1: symbolic prefix (>= 12 chars) to match with LIKE 'key%' */
    int isGuess;          /* 1: one reading of the token, maybe wrong (a Win32
                           * code as its HRESULT): explain it only if it matched */
} kb_errid_qkey;
int kb_errid_query_keys(const char *query, kb_errid_qkey *aKey, int maxKeys);

/* Explains a code with no document needed:
 * "0x80070570" -> "0x80070570 = HRESULT_FROM_WIN32(ERROR_FILE_CORRUPT = 1392)".
 * Returns 1 and fills out if the key could be decoded, 0 otherwise. */
int kb_errid_decode(const char *key, char *out, size_t cap);

/* Windows error table (generated): value of a name, or name of a value. */
int kb_winerror_by_name(const char *name, unsigned long *pValue);
const char *kb_winerror_name(unsigned long value);

#endif
