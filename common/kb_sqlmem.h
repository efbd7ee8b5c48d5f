/* kb_sqlmem.h: SQLite's memory, served from size classes.
 *
 * Debian builds SQLite without its lookaside allocator
 * (SQLITE_OMIT_LOOKASIDE), so every node of every statement SQLite parses
 * and compiles is a malloc() and a free(): a fifth of the instructions of
 * an error-ID lookup went to glibc's allocator. These methods keep a free
 * list per size class for the small blocks that make most of those calls,
 * carved from 64 KB chunks, and leave larger blocks to malloc(), which
 * reuses freed memory across sizes (every page a question touches is a page
 * fault, and on a VM that is 10-20 us). Freed small blocks are reused,
 * never returned: memory stays at the peak of each class.
 *
 * Not thread-safe: for a program that uses SQLite from one thread, installed
 * with SQLITE_CONFIG_SINGLETHREAD before SQLite is first used. */
#ifndef KB_SQLMEM_H
#define KB_SQLMEM_H

/* Installs the methods (sqlite3_config(SQLITE_CONFIG_MALLOC)). Returns
 * SQLite's result code: SQLITE_MISUSE once SQLite is initialized. */
int kb_sqlmem_install(void);

#endif
