/* test_vocab.c: the per-locale vocabulary (i18n/kb_vocab.c). */
#include "kb_test.h"
#include "kb_vocab.h"
#include "kb_vocab_table.h"

#include <string.h>

static int is(int kind, const char *z) { return kb_vocab_is(kind, z, strlen(z)); }

/* Returns the offset kb_vocab_starts reports, or -1 if it does not match. */
static long starts(int kind, const char *z) {
    size_t e = 0;
    return kb_vocab_starts(kind, z, strlen(z), &e) ? (long)e : -1;
}

static void test_is_ignores_case_accents_and_markup_in_every_locale(void) {
    CHECK(is(KB_VOCAB_COL_CAUSE, "Causa"));
    CHECK(is(KB_VOCAB_COL_CAUSE, "**Causa:**"));
    CHECK(is(KB_VOCAB_COL_CAUSE, " causa "));
    CHECK(is(KB_VOCAB_COL_CAUSE, "Possible causes"));
    CHECK(is(KB_VOCAB_COL_CAUSE, "Mögliche Ursachen"));
    CHECK(is(KB_VOCAB_COL_CAUSE, "MOGLICHE URSACHEN"));
    CHECK(is(KB_VOCAB_COL_CAUSE, "考えられる原因"));
    CHECK(is(KB_VOCAB_COL_ERROR, "CODIGO DE ERROR"));
    CHECK(is(KB_VOCAB_COL_ERROR, "Código de error"));
    CHECK(is(KB_VOCAB_COL_ERROR, "Code d’erreur")); /* typographic apostrophe */
    CHECK(is(KB_VOCAB_COL_ERROR, "Error  "));
    CHECK(is(KB_VOCAB_COL_ACTION, "Acción recomendada"));
    CHECK(is(KB_VOCAB_COL_ACTION, "Empfohlene Maßnahme"));
    CHECK(is(KB_VOCAB_COL_ACTION, "Action recommandée"));
    /* the headers of zh-TW's remediation tables, as es-ES's say them:
     * "Mensaje de error", "Detalles del error", "Solución alternativa" */
    CHECK(is(KB_VOCAB_COL_ERROR, "錯誤訊息"));
    CHECK(is(KB_VOCAB_COL_ERROR, "錯誤詳細資料"));
    CHECK(is(KB_VOCAB_COL_ACTION, "因應措施"));
    CHECK(is(KB_VOCAB_COL_ACTION, "解決方案"));
    /* StorSimple's setup wizard errors: "Error 350032: ..." in this column */
    CHECK(is(KB_VOCAB_COL_ERROR, "Mensaje de error o condición"));
    CHECK(is(KB_VOCAB_COL_ERROR, "錯誤訊息或條件"));
    CHECK(is(KB_VOCAB_OPTIONAL, "tras"));
    CHECK(is(KB_VOCAB_OPTIONAL, "Después"));
    CHECK(is(KB_VOCAB_OPTIONAL, "despues"));
    CHECK(!is(KB_VOCAB_OPTIONAL, "antes")); /* a Snowball stop word already */
}

static void test_is_collapses_spaces_and_ignores_them_between_cjk(void) {
    CHECK(is(KB_VOCAB_COL_ERROR, "Error   message"));
    CHECK(is(KB_VOCAB_COL_ERROR, "Error\tcode"));
    CHECK(is(KB_VOCAB_COL_ERROR, "エラー メッセージ"));
    CHECK(is(KB_VOCAB_COL_ERROR, "エラーメッセージ"));
    CHECK(is(KB_VOCAB_COL_ERROR, "エラー\xE3\x80\x80メッセージ")); /* ideographic space */
    CHECK(is(KB_VOCAB_COL_ERROR, "ｴﾗｰ")); /* half-width katakana: NFKC */
}

static void test_is_rejects_other_text_and_other_kinds(void) {
    CHECK(!is(KB_VOCAB_COL_CAUSE, "Causality"));
    CHECK(!is(KB_VOCAB_COL_CAUSE, "The cause of the failure is unknown"));
    CHECK(!is(KB_VOCAB_COL_CAUSE, "Error"));
    CHECK(!is(KB_VOCAB_COL_ERROR, "Errorcodes list"));
    CHECK(!is(KB_VOCAB_COL_ERROR, ""));
    CHECK(!is(KB_VOCAB_COL_ERROR, "**"));
    CHECK(!kb_vocab_is(-1, "error", 5));
    CHECK(!kb_vocab_is(KB_VOCAB_KIND_COUNT, "error", 5));
    /* Only n bytes count. */
    CHECK(kb_vocab_is(KB_VOCAB_COL_CAUSE, "Causa posible", 5));
}

static void test_starts_returns_offset_past_phrase_colon_and_spaces(void) {
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Error code: UserErrorX"), 12);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "**Error code**: UserErrorX"), 16);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Código de error: X"), 18); /* ó is two bytes */
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Fehlercode: X"), 12);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Code d'erreur : X"), 16);
    const char *zJa = "エラー コード：UserErrorX";
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, zJa), (long)(strstr(zJa, "User") - zJa));
    const char *zJa2 = "エラーコード: X";
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, zJa2), (long)(strstr(zJa2, "X") - zJa2));
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRMSG, "Mensaje de error: No se pudo"), 18);
    /* The longest phrase wins: "error message", not "error". */
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRMSG, "Error message: The VM"), 15);
    CHECK_INT(starts(KB_VOCAB_WORD_ERROR, "Erreur 34506"), 7);
    CHECK_INT(starts(KB_VOCAB_WORD_ERROR, "エラー 34506"), 10);
}

static void test_starts_requires_a_word_boundary_after_latin_phrases(void) {
    CHECK_INT(starts(KB_VOCAB_WORD_ERROR, "errores de red"), -1);
    CHECK_INT(starts(KB_VOCAB_WORD_ERROR, "Errors"), -1);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Error coded"), -1);
    CHECK_INT(starts(KB_VOCAB_WORD_ERROR, "Fehler"), 6);
    CHECK_INT(starts(KB_VOCAB_COL_CAUSE, "Cause"), 5);
    CHECK_INT(starts(KB_VOCAB_COL_CAUSE, "The cause"), -1);
    CHECK_INT(starts(KB_VOCAB_COL_CAUSE, ""), -1);
}

/* Folding stops once no longer phrase begins with what is folded: the
 * phrases that end earlier, or part from their siblings late, still count. */
static void test_starts_matches_phrases_that_share_a_long_prefix(void) {
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRMSG, "Error mensual: x"), 6); /* "error", not "error message" */
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRMSG, "Error  message: x"), 16);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Código del error: X"), 19); /* not "código de error" */
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Código del servicio: X"), -1);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Error codigo: X"), -1);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "ErrorCode: X"), 11);
    CHECK_INT(starts(KB_VOCAB_LABEL_ERRCODE, "Error ID: X"), 10);
}

static int symptom(const char *z) { return kb_vocab_contains(KB_VOCAB_SYMPTOM, z, strlen(z)); }
static int problem(const char *z) { return kb_vocab_contains(KB_VOCAB_PROBLEM, z, strlen(z)); }

/* Text says something goes wrong, or names a problem, anywhere in it, in
 * any locale; a word that only begins or ends like one does not count. */
static void test_contains_finds_a_phrase_where_words_start_and_end(void) {
    CHECK(symptom("No se puede comprobar la contraseña"));
    CHECK(symptom("The backup job FAILED after an hour"));
    CHECK(symptom("La copia de seguridad falla"));
    CHECK(symptom("無法連線到虛擬機器"));
    CHECK(symptom("バックアップが失敗する"));
    /* a user's words for it, which the docs never write */
    CHECK(symptom("no me llega el SMS de verificación"));
    CHECK(symptom("la web app tira error al publicar"));
    CHECK(!symptom("Cómo se reinicia una máquina virtual"));
    CHECK(problem("Problema: Error al iniciar una máquina virtual detenida"));
    CHECK(problem("Troubleshoot Azure Backup agent"));
    CHECK(problem("連線到虛擬機器時發生錯誤"));
    /* "error" names a problem, but says nothing fails: it is also in
     * "migración tras error" (failover). */
    CHECK(!symptom("Migración tras error"));
    CHECK(!symptom("Iniciar una máquina virtual"));
    CHECK(!problem("Terrores y nodos"));
    CHECK(!symptom("Configure a failover cluster"));
    CHECK(!symptom("連線到虛擬機器"));
    CHECK(!symptom(""));
    CHECK(!kb_vocab_contains(KB_VOCAB_SYMPTOM, NULL, 4));
    /* Only n bytes count. */
    CHECK(!kb_vocab_contains(KB_VOCAB_PROBLEM, "Backup error", 6));
}

/* A problem's word inside a phrase that names no problem does not count:
 * the Spanish docs' machine translations of "failover", "test failover"
 * and "fault domain" say "error". The same word elsewhere in the text
 * still does. */
static void test_contains_skips_phrases_that_name_no_problem(void) {
    CHECK(!problem("Ejecutar una migración tras error"));
    CHECK(!problem("Ejecutar un error de prueba"));
    CHECK(!problem("Migraciones tras error planificado"));
    CHECK(!problem("Dominios de error y dominios de actualización"));
    /* ...and with "dominios" said once for both kinds. */
    CHECK(!problem("Control de alta disponibilidad: actualización de los dominios y errores"));
    CHECK(!problem("Uso de dominios de actualización y errores"));
    CHECK(!problem("Consideraciones de tolerancia a errores"));
    CHECK(!problem("Configurar la tolerancia a fallos"));
    CHECK(!symptom("Fail over to Azure"));
    CHECK(!symptom("Failed over VMs: fail back to on-premises"));
    CHECK(problem("Error al ejecutar una migración tras error"));
    CHECK(problem("Migración tras error: solución de problemas"));
    CHECK(problem("Dominios de error: errores de asignación"));
    CHECK(symptom("Fail over fails with error 70038"));
    /* Whole words only: "error de prueba" is not "errores de prueba". */
    CHECK(problem("Errores de prueba unitaria"));
    CHECK(is(KB_VOCAB_NOT_PROBLEM, "migración tras error"));
}

static int S_not_problem_word(const char *w) { return kb_vocab_is_not_problem_word(w, strlen(w)); }

/* The tokenizer marks these words inside a not-problem phrase: the words
 * of such phrases that alone name a problem, no other. */
static void test_not_problem_words_are_the_phrases_problem_words(void) {
    CHECK(S_not_problem_word("error") && S_not_problem_word("errores") && S_not_problem_word("fallos"));
    CHECK(S_not_problem_word("fail") && S_not_problem_word("failed") && S_not_problem_word("falha"));
    CHECK(S_not_problem_word("Error") && S_not_problem_word("FAILS")); /* case aside */
    CHECK(!S_not_problem_word("migración") && !S_not_problem_word("tras") && !S_not_problem_word("prueba"));
    CHECK(!S_not_problem_word("over") && !S_not_problem_word("pós") && !S_not_problem_word("problema"));
    CHECK(!S_not_problem_word("err") && !S_not_problem_word("errors") && !S_not_problem_word(""));
    CHECK(!kb_vocab_is_not_problem_word("errores", 3)); /* only n bytes count: "err" */
}

/* A reader of a question's words tries phrases up to this long: as long
 * as the kind's longest, counted in runs between spaces and hyphens. */
static void test_max_words_is_the_longest_phrase_of_the_kind(void) {
    static const char *const aKind[] = {"symptom", "problem", "optional", "not-problem"};
    static const int aEnum[] = {KB_VOCAB_SYMPTOM, KB_VOCAB_PROBLEM, KB_VOCAB_OPTIONAL, KB_VOCAB_NOT_PROBLEM};
    for (size_t k = 0; k < sizeof aEnum / sizeof aEnum[0]; k++) {
        int want = 0;
        for (unsigned i = 0; i < kb_vocab_table_count; i++) {
            if (strcmp(kb_vocab_table[i].kind, aKind[k]) != 0) continue;
            int n = 0;
            for (const char *p = kb_vocab_table[i].phrase; *p; p++)
                n += *p != ' ' && *p != '-' && (p == kb_vocab_table[i].phrase || p[-1] == ' ' || p[-1] == '-');
            if (n > want) want = n;
        }
        CHECK_INT(kb_vocab_max_words(aEnum[k]), want);
    }
    CHECK_INT(kb_vocab_max_words(KB_VOCAB_NOT_PROBLEM), 5); /* "dominios de actualización y errores" */
    CHECK_INT(kb_vocab_max_words(KB_VOCAB_KIND_COUNT), 0);
}

/* A contraction typed without its apostrophe is the one the docs write;
 * a word that merely ends like one is none. */
static void test_contraction_is_the_word_with_its_apostrophe(void) {
    CHECK_STR(kb_vocab_contraction("isnt", 4), "isn't");
    CHECK_STR(kb_vocab_contraction("CANT", 4), "can't");
    CHECK_STR(kb_vocab_contraction("wouldnt", 7), "wouldn't");
    CHECK_STR(kb_vocab_contraction("cantx", 4), "can't"); /* only n bytes count */
    CHECK(kb_vocab_contraction("isn't", 5) == NULL);     /* already written with it */
    CHECK(kb_vocab_contraction("paint", 5) == NULL);
    CHECK(kb_vocab_contraction("nt", 2) == NULL);
    CHECK(kb_vocab_contraction("cant", 3) == NULL);
    CHECK(kb_vocab_contraction("", 0) == NULL);
    /* every one of the table's, none dropped by a limit of the reader's */
    int n = 0;
    for (unsigned i = 0; i < kb_vocab_table_count; i++) {
        if (strcmp(kb_vocab_table[i].kind, "contraction") != 0) continue;
        char typed[32];
        size_t m = 0;
        for (const char *p = kb_vocab_table[i].phrase; *p && m < sizeof typed - 1; p++)
            if (*p != '\'') typed[m++] = *p;
        CHECK_STR(kb_vocab_contraction(typed, m), kb_vocab_table[i].phrase);
        n++;
    }
    CHECK(n >= 10);
}

KB_TEST_MAIN(test_contraction_is_the_word_with_its_apostrophe,
             test_not_problem_words_are_the_phrases_problem_words,
             test_max_words_is_the_longest_phrase_of_the_kind,
             test_is_ignores_case_accents_and_markup_in_every_locale,
             test_is_collapses_spaces_and_ignores_them_between_cjk,
             test_is_rejects_other_text_and_other_kinds,
             test_starts_returns_offset_past_phrase_colon_and_spaces,
             test_starts_requires_a_word_boundary_after_latin_phrases,
             test_starts_matches_phrases_that_share_a_long_prefix,
             test_contains_finds_a_phrase_where_words_start_and_end,
             test_contains_skips_phrases_that_name_no_problem)
