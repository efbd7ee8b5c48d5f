/* test_sqlmem.c: SQLite's memory served from size classes (kb_sqlmem.h).
 *
 * The methods are installed once, before SQLite starts, so the tests run
 * in the order listed and the first one installs them. */
#include <sqlite3.h>
#include <stdint.h>
#include <string.h>

#include "kb_sqlmem.h"
#include "kb_test.h"

static void S_fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) p[i] = (unsigned char)(seed + i * 7);
}

static int S_holds(const unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++)
        if (p[i] != (unsigned char)(seed + i * 7)) return 0;
    return 1;
}

static void test_installs_before_sqlite_starts_and_not_after(void) {
    CHECK_INT(kb_sqlmem_install(), SQLITE_OK);
    CHECK_INT(sqlite3_initialize(), SQLITE_OK);
    CHECK_INT(kb_sqlmem_install(), SQLITE_MISUSE);
}

/* SQLite needs 8-byte alignment and a size at least as large as asked;
 * every byte of that size must be usable (ASan checks the writes). */
static void test_blocks_are_aligned_and_as_large_as_their_size_says(void) {
    static const int aSize[] = {1, 7, 8, 15, 16, 17, 100, 1008, 1009, 1023, 1024, 1025, 1031, 4096, 70000};
    for (size_t i = 0; i < sizeof aSize / sizeof aSize[0]; i++) {
        unsigned char *p = sqlite3_malloc(aSize[i]);
        CHECK(p != NULL);
        if (!p) continue;
        CHECK_INT((uintptr_t)p % 8, 0);
        sqlite3_uint64 size = sqlite3_msize(p);
        CHECK(size >= (sqlite3_uint64)aSize[i]);
        S_fill(p, (size_t)size, (unsigned)i);
        CHECK(S_holds(p, (size_t)size, (unsigned)i));
        sqlite3_free(p);
    }
}

/* A freed small block serves the next request of its class: that reuse
 * is what keeps a question's pages few. */
static void test_a_freed_small_block_serves_its_class_again(void) {
    void *p = sqlite3_malloc(100);
    sqlite3_free(p);
    void *q = sqlite3_malloc(97); /* the same 16-byte class as 100 */
    CHECK(q == p);
    sqlite3_free(q);
}

static void test_realloc_keeps_contents_across_classes_and_malloc(void) {
    unsigned char *p = sqlite3_malloc(200);
    CHECK(p != NULL);
    if (!p) return;
    S_fill(p, 200, 3);
    unsigned char *same = sqlite3_realloc(p, 195); /* still the same class */
    CHECK(same == p);
    p = sqlite3_realloc(same, 5000); /* a class to malloc() */
    CHECK(p != NULL && S_holds(p, 200, 3));
    if (!p) return;
    S_fill(p, 5000, 5);
    p = sqlite3_realloc(p, 100000); /* malloc() to malloc() */
    CHECK(p != NULL && S_holds(p, 5000, 5));
    if (!p) return;
    p = sqlite3_realloc(p, 40); /* malloc() back to a class */
    CHECK(p != NULL && S_holds(p, 40, 5));
    CHECK(sqlite3_msize(p) >= 40 && sqlite3_msize(p) <= 1024);
    sqlite3_free(p);
}

/* More blocks than one 64 KB chunk holds: each keeps its own bytes. */
static void test_blocks_from_several_chunks_do_not_overlap(void) {
    enum { N = 3000, SIZE = 48 };
    static unsigned char *a[N];
    for (int i = 0; i < N; i++) {
        a[i] = sqlite3_malloc(SIZE);
        CHECK(a[i] != NULL);
        if (a[i]) S_fill(a[i], SIZE, (unsigned)i);
    }
    int intact = 0;
    for (int i = 0; i < N; i++) intact += a[i] && S_holds(a[i], SIZE, (unsigned)i);
    CHECK_INT(intact, N);
    for (int i = 0; i < N; i++) sqlite3_free(a[i]);
}

/* A whole database on these methods: an FTS5 table built and searched, and
 * SQLite's own count of memory in use back where it was once it is closed,
 * which holds only if every block's size is told the same way twice. */
static void test_sqlite_runs_an_fts5_search_on_it_and_gives_all_back(void) {
    sqlite3_int64 before = sqlite3_memory_used();
    sqlite3 *db = NULL;
    CHECK_INT(sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
    CHECK_INT(sqlite3_exec(db, "CREATE VIRTUAL TABLE t USING fts5(body);"
                               "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) "
                               "INSERT INTO t SELECT 'backup ' || (CASE i % 3 WHEN 0 THEN 'falla' ELSE 'vault' END) "
                               "|| ' ' || hex(randomblob(i % 40)) FROM n;",
                           NULL, NULL, NULL),
              SQLITE_OK);
    sqlite3_stmt *st = NULL;
    CHECK_INT(sqlite3_prepare_v2(db, "SELECT count(*) FROM t WHERE t MATCH 'backup AND falla'", -1, &st, NULL),
              SQLITE_OK);
    CHECK_INT(sqlite3_step(st), SQLITE_ROW);
    CHECK_INT(sqlite3_column_int(st, 0), 666);
    CHECK(sqlite3_memory_used() > before); /* SQLite counts: the last check is not empty */
    sqlite3_finalize(st);
    CHECK_INT(sqlite3_close(db), SQLITE_OK);
    CHECK_INT(sqlite3_memory_used(), before);
}

KB_TEST_MAIN(test_installs_before_sqlite_starts_and_not_after,
             test_blocks_are_aligned_and_as_large_as_their_size_says,
             test_a_freed_small_block_serves_its_class_again,
             test_realloc_keeps_contents_across_classes_and_malloc,
             test_blocks_from_several_chunks_do_not_overlap,
             test_sqlite_runs_an_fts5_search_on_it_and_gives_all_back)
