/* kb_synonym_table.h: the generated synonym table (private to kb_synonym.c). */
#ifndef KB_SYNONYM_TABLE_H
#define KB_SYNONYM_TABLE_H

struct kb_synonym_table_entry {
    const char *lang;  /* "es", "en", ... as in synonyms.tsv */
    const char *docs;  /* what the docs say: "copia de seguridad" */
    const char *typed; /* what a user may type for it: "backup" */
};

extern const struct kb_synonym_table_entry kb_synonym_table[];
extern const unsigned kb_synonym_table_count;

#endif
