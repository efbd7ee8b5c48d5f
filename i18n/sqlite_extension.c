/* sqlite_extension.c: the kb tokenizer as a loadable SQLite extension, so a
 * kb database can be queried by hand:
 *
 *   sqlite3 kb.db
 *   sqlite> .load ./lib/kb_tokenizer
 *   sqlite> SELECT ... WHERE sections_es MATCH 'configuración';
 *
 * kb_tok.c is compiled into this module with KB_SQLITE_EXTENSION defined, so
 * its FTS5 glue calls SQLite through the sqlite3_api table set up here. */
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "kb_tok.h"
#include "kb_util.h"

__attribute__((visibility("default"))) int sqlite3_kbtokenizer_init(sqlite3 *db, char **pzErrMsg,
                                                                    const sqlite3_api_routines *pApi)
{
    SQLITE_EXTENSION_INIT2(pApi);
    if (kb_tok_register_fts5(db) != KB_OK) {
        if (pzErrMsg) *pzErrMsg = sqlite3_mprintf("%s", kb_errmsg());
        return SQLITE_ERROR;
    }
    return SQLITE_OK;
}
