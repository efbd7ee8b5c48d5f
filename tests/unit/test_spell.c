/* test_spell.c: typo correction against an index's vocabulary (its terms
 * table, as kb-index writes it: tokens and the sections holding each). */
#include <sqlite3.h>

#include "kb_spell.h"
#include "kb_test.h"
#include "kb_tok.h"

static sqlite3 *S_vocabulary(void) {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db,
                       "CREATE TABLE terms(lang TEXT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL);"
                       "INSERT INTO terms VALUES ('es', 'almacen', 40), ('es', 'cuent', 30), ('es', 'rap', 12),"
                       " ('es', 'registr', 9), ('es', 'unic', 1), ('en', 'storag', 50),"
                       " ('es', 'configur', 25), ('es', 'configuracion', 25), ('en', 'item', 5), ('en', 'time', 50),"
                       " ('es', 'que', 162), ('es', 'segur', 70), ('es', 'restaur', 20), ('es', 'crea', 90),"
                       " ('es', 'creacion', 8), ('es', 'certific', 30), ('es', 'virtual', 60),"
                       " ('es', 'habilit', 15), ('es', 'llav', 25), ('es', 'almac', 35), ('es', 'gener', 18),"
                       " ('en', 'virtual', 60);",
                       NULL, NULL, NULL) == SQLITE_OK);
    return db;
}

static char *S_nearest_word(kb_spell *s, kb_tok *t, const char *word) {
    static char out[128];
    return kb_spell_nearest_word(s, t, word, KB_SPELL_ANY_TYPO, out, sizeof out) ? out : NULL;
}

/* Stems hide a swap in a word's ending: "almacenamietno" stems to a word
 * six letters from "almacen". The swapped word is found by its token. */
static void test_nearest_word_undoes_a_swap_the_stem_hides(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    kb_tok *t = kb_tok_new("es");
    char out[128];
    CHECK(!kb_spell_nearest(s, "almacenamietn", out, sizeof out));
    CHECK_STR(S_nearest_word(s, t, "almacenamietno"), "almacenamiento");
    CHECK_STR(S_nearest_word(s, t, "amlacenamiento"), "almacenamiento");
    CHECK_STR(S_nearest_word(s, t, "rápdio"), "rápido"); /* letters, not bytes, are swapped */
    CHECK_STR(S_nearest_word(s, t, "cuenat"), "cuenta");
    kb_tok_free(t);
    kb_spell_close(s);
    sqlite3_close(db);
}

/* A letter doubled or left out, which the stem hides too: "segridad"
 * stems to "segrid", three letters from "segur". Deleting any letter is
 * not tried: "creació" less its second c is "creaió", which stems as the
 * far commoner "crea". */
static void test_nearest_word_undoes_a_doubled_or_missing_letter(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    kb_tok *t = kb_tok_new("es");
    CHECK_STR(S_nearest_word(s, t, "segridad"), "seguridad");
    CHECK_STR(S_nearest_word(s, t, "SEGRIDAD"), "seguridad"); /* caps lock */
    CHECK_STR(S_nearest_word(s, t, "restaurarr"), "restaurar");
    CHECK_STR(S_nearest_word(s, t, "almacn"), "almacén"); /* as the stemmer needs it */
    CHECK_STR(S_nearest_word(s, t, "creació"), "creación");
    /* only the kinds of typo asked for: a real word is not read with a
     * letter put in */
    char out[128];
    CHECK(kb_spell_nearest_word(s, t, "segridad", KB_SPELL_DOUBLED | KB_SPELL_SWAPPED, out, sizeof out) == 0);
    CHECK(kb_spell_nearest_word(s, t, "restaurarr", KB_SPELL_DOUBLED, out, sizeof out) > 0);
    CHECK_STR(out, "restaurar");
    CHECK(kb_spell_nearest_word(s, t, "cuenat", KB_SPELL_LEFT_OUT, out, sizeof out) == 0);
    kb_tok_free(t);
    kb_spell_close(s);
    sqlite3_close(db);
}

/* Of two swaps that make known words, the one in more sections wins; a
 * word of one section is as likely a typo of the docs. */
static void test_nearest_word_takes_the_commonest_and_never_a_rare_one(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    kb_tok *t = kb_tok_new("es");
    CHECK_STR(S_nearest_word(s, t, "registardos"), "registrados");
    kb_spell *en = kb_spell_open(db, "en");
    kb_tok *tEn = kb_tok_new("en");
    CHECK_STR(S_nearest_word(en, tEn, "tiem"), "time"); /* not "item", in 5 sections */
    CHECK(sqlite3_exec(db, "UPDATE terms SET df = 500 WHERE term = 'item'", NULL, NULL, NULL) == SQLITE_OK);
    CHECK_STR(S_nearest_word(en, tEn, "tiem"), "item");
    kb_tok_free(tEn);
    kb_spell_close(en);
    CHECK(S_nearest_word(s, t, "úincos") == NULL);                  /* "únicos": df 1 */
    CHECK(S_nearest_word(s, t, "almacenamiento") == NULL);          /* a known word is no typo */
    CHECK(S_nearest_word(s, t, "storgae") == NULL);                 /* another language's word */
    CHECK(S_nearest_word(s, t, "rapdio2") == NULL);                 /* digits: a name or a number */
    CHECK(S_nearest_word(s, t, "cta") == NULL);                     /* too short to tell */
    kb_tok_free(t);
    kb_spell_close(s);
    sqlite3_close(db);
}

static void test_nearest_term_within_edit_distance(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    char out[128];
    CHECK(kb_spell_nearest(s, "almacne", out, sizeof out));
    CHECK_STR(out, "almacen");
    CHECK(!kb_spell_nearest(s, "unic", out, sizeof out)); /* itself, and of one section */
    /* Two typos are allowed from six letters on, one below. */
    CHECK(kb_spell_nearest(s, "rgisrt", out, sizeof out));
    CHECK_STR(out, "registr");
    CHECK(!kb_spell_nearest(s, "sxgyr", out, sizeof out));
    CHECK(kb_spell_nearest(s, "sxgur", out, sizeof out));
    CHECK_STR(out, "segur");
    kb_spell_close(s);
    sqlite3_close(db);
}

/* "queda", a word the docs never write, swapped to "quead" stems to "que",
 * and "qued" is one letter from it: a stop word is no correction. */
static void test_a_stop_word_is_no_correction(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    kb_tok *t = kb_tok_new("es");
    char out[128];
    CHECK(S_nearest_word(s, t, "queda") == NULL);
    CHECK(!kb_spell_nearest(s, "qued", out, sizeof out));
    kb_tok_free(t);
    kb_spell_close(s);
    sqlite3_close(db);
}

/* Spanish writes a sound several ways, and a typo of the sound hits the
 * first letter as often as any: s, z and c before e or i; b and v; y and
 * ll; j and g before e or i; a silent h. Other languages keep to typos of
 * the keyboard. */
static void test_nearest_word_hears_spanish_letters_that_sound_alike(void) {
    sqlite3 *db = S_vocabulary();
    kb_spell *s = kb_spell_open(db, "es");
    kb_tok *t = kb_tok_new("es");
    CHECK_STR(S_nearest_word(s, t, "sertificado"), "certificado");
    CHECK_STR(S_nearest_word(s, t, "almasen"), "almacen"); /* the results show how they write it */
    CHECK_STR(S_nearest_word(s, t, "birtual"), "virtual");
    CHECK_STR(S_nearest_word(s, t, "abilitar"), "habilitar");
    CHECK_STR(S_nearest_word(s, t, "yave"), "llave");
    CHECK_STR(S_nearest_word(s, t, "jenerar"), "generar");
    char out[128];
    CHECK(kb_spell_nearest_word(s, t, "sertificado", KB_SPELL_DOUBLED | KB_SPELL_SWAPPED | KB_SPELL_LEFT_OUT, out,
                                sizeof out) == 0);
    kb_spell *en = kb_spell_open(db, "en");
    kb_tok *tEn = kb_tok_new("en");
    CHECK(S_nearest_word(en, tEn, "birtual") == NULL);
    kb_tok_free(tEn);
    kb_spell_close(en);
    kb_tok_free(t);
    kb_spell_close(s);
    sqlite3_close(db);
}

static void test_distance_counts_a_swap_as_one(void) {
    CHECK_INT(kb_spell_distance("cuenta", "cuenat", 2), 1);
    CHECK_INT(kb_spell_distance("rápido", "rápdio", 2), 1);
    CHECK_INT(kb_spell_distance("almacen", "almacenamietn", 2), 3); /* stops above max */
    CHECK_INT(kb_spell_distance("abc", "abc", 1), 0);
}

KB_TEST_MAIN(test_nearest_word_undoes_a_swap_the_stem_hides, test_nearest_word_undoes_a_doubled_or_missing_letter,
             test_nearest_word_takes_the_commonest_and_never_a_rare_one,
             test_nearest_term_within_edit_distance, test_a_stop_word_is_no_correction,
             test_nearest_word_hears_spanish_letters_that_sound_alike, test_distance_counts_a_swap_as_one)
