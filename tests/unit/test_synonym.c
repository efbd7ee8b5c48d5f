/* test_synonym.c: what a user types for what the docs say (i18n/kb_synonym.c). */
#include "kb_test.h"
#include "kb_synonym.h"
#include "kb_synonym_table.h"

#include <string.h>
#include <utf8proc.h>

/* The docs' words for the run kb_synonym_find reports at word `first` of
 * the space-separated question, or NULL; *pN receives the run's length. */
static const char *docs_at(const char *lang, const char *question, int first, int *pN) {
    static char buf[512];
    const char *aWord[32];
    int nWord = 0;
    snprintf(buf, sizeof buf, "%s", question);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w && nWord < 32; w = strtok_r(NULL, " ", &save))
        aWord[nWord++] = strcmp(w, "_") == 0 ? NULL : w; /* "_": a quoted phrase or an exclusion */
    kb_tok *t = kb_tok_new(lang);
    kb_synonym_span aSpan[32];
    int nSpan = kb_synonym_find(lang, t, aWord, nWord, aSpan, 32);
    kb_tok_free(t);
    *pN = 0;
    for (int k = 0; k < nSpan; k++)
        if (aSpan[k].first == first) {
            *pN = aSpan[k].n;
            return aSpan[k].docs;
        }
    return NULL;
}

static const char *docs1(const char *lang, const char *question, int first) {
    int n;
    return docs_at(lang, question, first, &n);
}

static void test_finds_what_a_user_types_in_any_case_and_form(void) {
    CHECK_STR(docs1("es", "backup de VM falla", 0), "copia de seguridad");
    CHECK_STR(docs1("es", "backup de VM falla", 2), "máquina virtual");
    CHECK_STR(docs1("es", "la VMs no arranca", 1), "máquina virtual");
    /* Words compare as the Spanish index reads them: "arranca" is "arrancar". */
    CHECK_STR(docs1("es", "la VM no arranca", 3), "iniciar");
    CHECK_STR(docs1("es", "ayer arrancó", 1), "iniciar");
    CHECK_STR(docs1("zh", "VM 無法啟動", 0), "虛擬機器");
    CHECK_STR(docs1("en", "cannot reboot the VM", 1), "restart");
    /* Punctuation around a word is not part of it. */
    CHECK_STR(docs1("es", "¿backup? (VM)", 0), "copia de seguridad");
    CHECK_STR(docs1("es", "¿backup? (VM)", 1), "máquina virtual");
    CHECK_STR(docs1("es", "Ｖｍ", 0), "máquina virtual"); /* full width: NFKC */
}

/* Users type Azure's English names in the plural too; the pairs hold the
 * singular, which Spanish word endings do not reach ("balancers"). */
static void test_an_english_plural_is_its_singular(void) {
    int n = 0;
    CHECK_STR(docs_at("es", "los load balancers no responden", 1, &n), "equilibrador de carga");
    CHECK_INT(n, 2);
    CHECK_STR(docs_at("es", "crear network security groups", 1, &n), "grupo de seguridad de red");
    CHECK_INT(n, 3);
    CHECK_STR(docs1("es", "las policies de acceso", 1), "directiva");
    CHECK_STR(docs1("es", "apagar las VMS", 2), "máquina virtual");
    CHECK_STR(docs1("es", "restaurar backups", 1), "copia de seguridad");
    CHECK_STR(docs1("en", "restart the vms", 2), "virtual machine");
    CHECK_STR(docs1("zh", "vms 無法啟動", 0), "虛擬機器");
    CHECK(!docs1("es", "vmss no arranca", 0)); /* a scale set, not VMs */
    CHECK(!docs1("es", "diskss", 0));
}

/* ...and in any English form, which the docs' stemmer does not reach:
 * "resizing" is the "resize" of a pair, "restored" its "restore". */
static void test_an_english_form_is_its_word(void) {
    CHECK_STR(docs1("es", "error resizing existing vm", 1), "cambiar el tamaño");
    CHECK_STR(docs1("es", "vm restored yesterday", 1), "restaurar");
    CHECK_STR(docs1("zh", "restoring 虛擬機器", 0), "還原");
    CHECK(!docs1("es", "restaurant", 0)); /* another word: its English stem is another */
}

static void test_the_longest_run_wins(void) {
    int n = 0;
    CHECK_STR(docs_at("es", "no puedo sign in", 2, &n), "iniciar sesión");
    CHECK_INT(n, 2);
    CHECK_STR(docs_at("es", "crear storage account", 1, &n), "cuenta de almacenamiento");
    CHECK_INT(n, 2);
    CHECK(!docs1("es", "crear storage account", 2)); /* inside the run */
    CHECK_STR(docs_at("es", "storage lento", 0, &n), "almacenamiento");
    CHECK_INT(n, 1);
    /* A whole error message: "tiempo de espera" alone would leave "se agotó el". */
    CHECK_STR(docs_at("es", "se agotó el tiempo de espera al conectar", 0, &n), "tiempo de espera");
    CHECK_INT(n, 6);
}

static void test_other_words_languages_and_held_words_do_not_match(void) {
    CHECK(!docs1("es", "vmware no arranca", 0));
    CHECK(!docs1("es", "backupservice falla", 0));
    CHECK(!docs1("es", "iniciar la máquina virtual", 0));
    CHECK(!docs1("fr", "backup de VM", 0)); /* no French pairs */
    CHECK(!docs1("es", "_ de VM", 0));       /* a quoted "backup" stays as typed */
    CHECK(!docs1("es", "sign _", 0));        /* a run cannot cross a held word */
    kb_tok *t = kb_tok_new("es");
    kb_synonym_span span;
    CHECK_INT(kb_synonym_find("es", t, NULL, 0, &span, 1), 0);
    const char *one[] = {"backup"};
    CHECK_INT(kb_synonym_find("es", t, one, 1, &span, 0), 0);
    kb_tok_free(t);
}

/* The data as the matcher needs it: each typed form is Latin, found whole
 * in its language, once; and each of its words keeps, as the tokenizer
 * reads it, its first two letters, which kb_synonym_find compares before
 * it tokenizes a pair. */
static int first_two(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)flags; (void)iEnd;
    const char *typed = ctx;
    char lead[8];
    size_t n = 0; /* two characters */
    for (int k = 0; k < 2 && typed[iStart + n]; k++)
        do n++; while (((unsigned char)typed[iStart + n] & 0xC0) == 0x80);
    kb_tok_fold(typed + iStart, n, lead, sizeof lead);
    if (nTok > 0 && tok[0] == KB_TOK_NOT_PROBLEM_MARK) tok++, nTok--;
    return nTok < 2 || memcmp(tok, lead, 2) != 0;
}

static int marks_not_problem(void *ctx, int flags, const char *tok, int nTok, int iStart, int iEnd) {
    (void)ctx; (void)flags; (void)iStart; (void)iEnd;
    return nTok > 0 && tok[0] == KB_TOK_NOT_PROBLEM_MARK;
}

/* Whether the tokenizer reads typed as a phrase that names no problem
 * ("fail over"): the search joins such words into one (kb_query_join). */
static int is_joined_phrase(const char *lang, const char *typed) {
    kb_tok *t = kb_tok_new(lang);
    int rc = kb_tok_run(t, KB_TOK_QUERY, typed, (int)strlen(typed), NULL, marks_not_problem);
    kb_tok_free(t);
    return rc != 0;
}

/* The docs' words kb_synonym_find reports for one question word, or NULL. */
static const char *docs_of_word(const char *lang, const char *word) {
    const char *aWord[1] = {word};
    kb_synonym_span span;
    kb_tok *t = kb_tok_new(lang);
    int n = kb_synonym_find(lang, t, aWord, 1, &span, 1);
    kb_tok_free(t);
    return n == 1 && span.first == 0 && span.n == 1 ? span.docs : NULL;
}

static void test_a_word_of_several_tokens_matches_them_all(void) {
    /* "load-balancer" is read as "load balancer"; "fail over", which the
     * search joins into one phrase, as itself. */
    CHECK_STR(docs1("es", "load-balancer caído", 0), "equilibrador de carga");
    CHECK_STR(docs_of_word("es", "fail over"), "migración tras error");
    CHECK_STR(docs_of_word("zh", "fail over"), "容錯移轉");
    /* ...and nothing less than all of them. */
    CHECK(docs_of_word("es", "load-balancer-rule") == NULL);
    CHECK(docs_of_word("es", "vm-disk") == NULL);
}

static void test_every_pair_is_found_and_keeps_its_first_two_letters(void) {
    for (unsigned k = 0; k < kb_synonym_table_count; k++) {
        const struct kb_synonym_table_entry *e = &kb_synonym_table[k];
        int n = 0, nWord = 1;
        const utf8proc_uint8_t *c = (const utf8proc_uint8_t *)e->typed;
        utf8proc_int32_t cp;
        for (utf8proc_ssize_t len; *c; c += len) { /* Latin: up to Latin Extended-B */
            len = utf8proc_iterate(c, -1, &cp);
            CHECK(len > 0 && cp < 0x250);
            if (len <= 0) break;
            nWord += cp == ' ';
        }
        const char *docs = docs_at(e->lang, e->typed, 0, &n);
        if (is_joined_phrase(e->lang, e->typed)) docs = docs_of_word(e->lang, e->typed), n = nWord;
        if (!docs || strcmp(docs, e->docs) != 0 || n != nWord)
            fprintf(stderr, "  pair %s / %s / %s: found %s over %d words\n", e->lang, e->docs, e->typed,
                    docs ? docs : "nothing", n);
        CHECK(docs && strcmp(docs, e->docs) == 0 && n == nWord);
        kb_tok *t = kb_tok_new(e->lang);
        int rc = kb_tok_run(t, KB_TOK_QUERY, e->typed, (int)strlen(e->typed), (void *)e->typed, first_two);
        kb_tok_free(t);
        if (rc) fprintf(stderr, "  pair %s / %s: a word's token does not keep its first two letters\n", e->lang, e->typed);
        CHECK(rc == 0);
        for (unsigned j = 0; j < k; j++)
            CHECK(strcmp(kb_synonym_table[j].lang, e->lang) != 0 || strcmp(kb_synonym_table[j].typed, e->typed) != 0);
    }
}

KB_TEST_MAIN(test_finds_what_a_user_types_in_any_case_and_form,
             test_an_english_plural_is_its_singular, test_an_english_form_is_its_word,
             test_the_longest_run_wins,
             test_other_words_languages_and_held_words_do_not_match,
             test_a_word_of_several_tokens_matches_them_all,
             test_every_pair_is_found_and_keeps_its_first_two_letters)
