/* STUB so other modules link: to be replaced by the real error-ID module. */
#include "kb_errid.h"
#include <stdlib.h>
void kb_errid_extract(kb_errid_list *list, int role, const char *text, size_t n, const char *colHeader) {}
void kb_errid_list_free(kb_errid_list *list) { free(list->a); list->a = NULL; list->n = list->cap = 0; }
int kb_errid_normalize(const char *z, size_t n, char *key, size_t cap) { return -1; }
int kb_errid_query_keys(const char *query, kb_errid_qkey *aKey, int maxKeys) { return 0; }
int kb_errid_decode(const char *key, char *out, size_t cap) { return 0; }
int kb_winerror_by_name(const char *name, unsigned long *pValue) { return 0; }
const char *kb_winerror_name(unsigned long value) { return NULL; }
