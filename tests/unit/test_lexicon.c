/* test_lexicon.c: the English words a language's docs translate, learned
 * from the English anchors their headings keep. */
#include "kb_test.h"

#include <sqlite3.h>

#include "kb_db.h"
#include "kb_lexicon.h"
#include "kb_util.h"

/* A section of language lang: its anchor and heading. */
typedef struct section {
    const char *anchor, *heading;
} section;

static sqlite3 *index_of(const char *lang, const section *a, int n) {
    sqlite3 *db = NULL;
    CHECK_INT(kb_db_open_write(":memory:", &db), KB_OK);
    CHECK_INT(kb_db_ensure_lang(db, lang), KB_OK);
    sqlite3_stmt *ins = NULL;
    kb_db_prepare(db,
                  "INSERT INTO sections(doc_id, ord, anchor, level, line, locale, lang, heading, breadcrumb)"
                  " VALUES(1, ?, ?, 2, 1, ?, ?, ?, '')",
                  &ins);
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, a[i].anchor, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 4, lang, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 5, a[i].heading, -1, SQLITE_STATIC);
        CHECK_INT(sqlite3_step(ins), SQLITE_DONE);
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    return db;
}

/* The translations of an English token, best first, '|'-separated
 * (malloc'd; "" for none). */
static char *translations(sqlite3 *db, const char *lang, const char *word) {
    sqlite3_stmt *st = NULL;
    kb_db_prepare(db, "SELECT docs_word FROM lexicon WHERE lang = ? AND word = ? ORDER BY score DESC, docs_word", &st);
    sqlite3_bind_text(st, 1, lang, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, word, -1, SQLITE_STATIC);
    kb_buf b = {0};
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (b.n) kb_buf_addc(&b, '|');
        kb_buf_adds(&b, (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    kb_buf_add(&b, "", 0);
    return kb_buf_detach(&b);
}

static int rows(sqlite3 *db) {
    sqlite3_stmt *st = NULL;
    kb_db_prepare(db, "SELECT count(*) FROM lexicon", &st);
    int n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

#define CHECK_TRANSLATIONS(db, lang, word, want) do { char *t_ = translations(db, lang, word); \
    CHECK_STR(t_, want); free(t_); } while (0)

static const section aSpanish[] = {
    {"rotate-the-key", "Rotar la clave"},
    {"find-the-key", "Buscar la clave"},
    {"empty-key", "Clave vacía"},
    {"key-not-found", "No se encuentra la clave"},
    {"rotate-the-secret", "Rotar el secreto"},
    {"find-the-secret", "Buscar el secreto"},
    {"find-the-file", "Buscar el archivo"},
    {"rotate-logs", "Rotar los registros"},
};

/* Each English word goes with the heading word of most of the sections
 * whose anchor says it; a pair two sections show is chance. The word is
 * stored as the docs spell it most (in lower case: "Clave vacía"). */
static void test_anchor_words_pair_with_the_heading_words_that_translate_them(void) {
    sqlite3 *db = index_of("es", aSpanish, (int)(sizeof aSpanish / sizeof aSpanish[0]));
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_TRANSLATIONS(db, "es", "key", "clave");
    CHECK_TRANSLATIONS(db, "es", "find", "buscar");
    CHECK_TRANSLATIONS(db, "es", "rotat", "rotar");
    CHECK_TRANSLATIONS(db, "es", "secret", ""); /* two sections */
    CHECK_TRANSLATIONS(db, "es", "the", "");    /* a stop word of either side pairs with nothing */
    sqlite3_close(db);
}

/* Learning again gives the same lexicon, not a second copy of it. */
static void test_learning_again_replaces_the_lexicon(void) {
    sqlite3 *db = index_of("es", aSpanish, (int)(sizeof aSpanish / sizeof aSpanish[0]));
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    int n = rows(db);
    CHECK(n >= 3);
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_INT(rows(db), n);
    CHECK_INT(kb_db_exec(db, "DELETE FROM sections"), KB_OK);
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_INT(rows(db), 0);
    sqlite3_close(db);
}

/* An anchor made from its own heading (a Spanish slug) says nothing of
 * English: each of its words makes a word of the heading. */
static void test_an_anchor_made_from_its_heading_teaches_nothing(void) {
    static const section a[] = {
        {"copia-de-seguridad", "Copia de seguridad"},
        {"copia-de-seguridad-1", "Copia de seguridad"},
        {"copia-de-seguridad-de-archivos", "Copia de seguridad de archivos"},
        {"restaurar-una-copia-de-seguridad", "Restaurar una copia de seguridad"},
    };
    sqlite3 *db = index_of("es", a, 4);
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_INT(rows(db), 0);
    sqlite3_close(db);
}

/* A heading word the anchor says too ("Recovery Services") needs no
 * translation and is none: "almacén" goes with "vault", which more of its
 * sections say, not with "recovery" beside it. */
static void test_words_the_heading_keeps_translate_nothing(void) {
    static const section a[] = {
        {"recovery-services-vault", "Almacén de Recovery Services"},
        {"create-a-recovery-services-vault", "Crear un almacén de Recovery Services"},
        {"delete-a-recovery-services-vault", "Eliminar un almacén de Recovery Services"},
        {"vault-credentials", "Credenciales del almacén"},
    };
    sqlite3 *db = index_of("es", a, 4);
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_TRANSLATIONS(db, "es", "vault", "almacén");
    CHECK_TRANSLATIONS(db, "es", "recoveri", "");
    CHECK_TRANSLATIONS(db, "es", "servic", "");
    sqlite3_close(db);
}

/* English docs need no lexicon. */
static void test_english_sections_teach_nothing(void) {
    sqlite3 *db = index_of("en", aSpanish, (int)(sizeof aSpanish / sizeof aSpanish[0]));
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_INT(rows(db), 0);
    sqlite3_close(db);
}

/* Chinese headings are read as bigrams; the lexicon keeps the bigram. */
static void test_a_chinese_word_is_learned_as_its_bigram(void) {
    static const section a[] = {
        {"restore-a-snapshot", "還原快照"},
        {"delete-a-snapshot", "刪除快照"},
        {"snapshot-limits", "快照限制"},
        {"list-snapshots", "列出快照"},
    };
    sqlite3 *db = index_of("zh", a, 4);
    CHECK_INT(kb_lexicon_build(db), KB_OK);
    CHECK_TRANSLATIONS(db, "zh", "snapshot", "快照");
    sqlite3_close(db);
}

KB_TEST_MAIN(test_anchor_words_pair_with_the_heading_words_that_translate_them, test_learning_again_replaces_the_lexicon,
             test_an_anchor_made_from_its_heading_teaches_nothing, test_words_the_heading_keeps_translate_nothing,
             test_english_sections_teach_nothing, test_a_chinese_word_is_learned_as_its_bigram)
