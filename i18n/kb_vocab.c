/* STUB so other modules link: to be replaced. */
#include "kb_vocab.h"
#include "kb_vocab_table.h"
int kb_vocab_is(int kind, const char *z, size_t n) { return 0; }
int kb_vocab_starts(int kind, const char *z, size_t n, size_t *pEnd) { return 0; }
