/* test_dict.c: the word tables generated from Debian's word lists, and their lookups. */
#include "kb_test.h"

#include <string.h>

#include "kb_dict.h"
#include "kb_dict_table.h"
#include "kb_tok.h"

/* Whether word, as lang's query tokenizer reads it, is one of lang's words. */
static int S_word(const char *lang, const char *word) {
    kb_tok *t = kb_tok_new(lang);
    char token[128];
    int ok = kb_tok_one(t, word, (int)strlen(word), token, sizeof token) && kb_dict_has_token(lang, token);
    kb_tok_free(t);
    return ok;
}

/* kb_dict binary-searches each table as generated: sorted by bytes, one
 * key a line, ending in a newline. */
static void test_tables_are_sorted_lines(void) {
    const char *aLines[8];
    size_t aSize[8];
    unsigned n = 0;
    for (unsigned i = 0; i < kb_dict_list_count && n < 7; i++, n++)
        aLines[n] = kb_dict_lists[i].lines, aSize[n] = kb_dict_lists[i].size;
    aLines[n] = kb_dict_us_spelling, aSize[n++] = kb_dict_us_spelling_size;
    for (unsigned i = 0; i < n; i++) {
        CHECK(aSize[i] > 10000 && aLines[i][aSize[i] - 1] == '\n');
        int nUnsorted = 0;
        const char *prev = aLines[i], *end = aLines[i] + aSize[i];
        for (const char *line = strchr(prev, '\n') + 1; line < end; prev = line, line = strchr(line, '\n') + 1) {
            size_t nPrev = (size_t)(strchr(prev, '\n') - prev), nLine = (size_t)(strchr(line, '\n') - line);
            int c = memcmp(prev, line, nPrev < nLine ? nPrev : nLine);
            if ((c > 0 || (c == 0 && nPrev >= nLine)) && nUnsorted++ < 3)
                fprintf(stderr, "out of order: %.*s after %.*s\n", (int)nLine, line, (int)nPrev, prev);
        }
        CHECK_INT(nUnsorted, 0);
    }
}

static void test_real_words_are_known_in_every_form(void) {
    /* what the corrector had read as typos: "relies", "format", "tool", "list", "can" */
    const char *aEnglish[] = {"really", "forgot", "took", "lost", "cant", "doesnt", "Really", "colour", "organisation"};
    for (size_t i = 0; i < sizeof aEnglish / sizeof aEnglish[0]; i++) CHECK(S_word("en", aEnglish[i]));
    /* the Spanish list has "conectar", not its forms; its stem has them */
    /* ...and accents are folded away: "contrasena" is "contraseña" */
    const char *aSpanish[] = {"conectando", "conectado", "almacén", "almacen", "olvidé", "contrasena"};
    for (size_t i = 0; i < sizeof aSpanish / sizeof aSpanish[0]; i++) CHECK(S_word("es", aSpanish[i]));
    const char *aTypos[][2] = {{"en", "credentails"}, {"en", "snaphsot"}, {"en", "pasphrase"},
                               {"es", "almacenamietno"}, {"es", "conectr"}, {"es", "cotnraseña"}};
    for (size_t i = 0; i < sizeof aTypos / sizeof aTypos[0]; i++) CHECK(!S_word(aTypos[i][0], aTypos[i][1]));
    CHECK(!S_word("ja", "really"));  /* no list: no word is known */
    CHECK(!kb_dict_has_token(NULL, "really"));
    CHECK(!kb_dict_has_token("en", ""));
}

static void test_british_spellings_read_as_american(void) {
    char us[64];
    const char *aPair[][2] = {{"organisation", "organization"}, {"Optimise", "optimize"}, {"colour", "color"},
                              {"catalogue", "catalog"}, {"cataloguing", "cataloging"}, {"cancelled", "canceled"},
                              {"centre", "center"}, {"initialised", "initialized"}};
    for (size_t i = 0; i < sizeof aPair / sizeof aPair[0]; i++) {
        us[0] = 0;
        CHECK(kb_dict_us_spelling_of(aPair[i][0], us, sizeof us));
        CHECK_STR(us, aPair[i][1]);
    }
    /* spelled alike, American already, or no word */
    const char *aNone[] = {"license", "color", "backup", "vault", "all", "", "credentails"};
    for (size_t i = 0; i < sizeof aNone / sizeof aNone[0]; i++) CHECK(!kb_dict_us_spelling_of(aNone[i], us, sizeof us));
    CHECK(!kb_dict_us_spelling_of("organisation", us, 5)); /* does not fit */
}

KB_TEST_MAIN(test_tables_are_sorted_lines, test_real_words_are_known_in_every_form, test_british_spellings_read_as_american)
