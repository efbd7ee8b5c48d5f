/* test_pack.c: packed storage (zstd with a trained dictionary) and the
 * section views stored that way. */
#include "kb_test.h"

#include <jansson.h>
#include <sqlite3.h>

#include "kb_msg.h"
#include "kb_pack.h"
#include "kb_render.h"
#include "kb_util.h"
#include "kb_view.h"

static char *read_source(const char *rel, size_t *pn) {
    char *z = NULL;
    if (kb_file_read(kb_test_path(rel), 1 << 24, &z, pn) != KB_OK) return kb_xstrdup("");
    return z;
}

/* Pieces of three bundled docs of a locale, the way kb-index samples a corpus. */
static unsigned train_on_locale(const char *locale, kb_buf *dict) {
    static const char *const aName[] = {"backup-azure-mars-troubleshoot.md", "backup-azure-vms-troubleshoot.md",
                                        "backup-azure-mabs-troubleshoot.md"};
    char aDoc[3][128];
    for (int i = 0; i < 3; i++) snprintf(aDoc[i], sizeof aDoc[i], "corpus/%s/%s", locale, aName[i]);
    kb_buf samples = {0};
    size_t aSize[4096];
    unsigned n = 0;
    for (size_t d = 0; d < sizeof aDoc / sizeof aDoc[0]; d++) {
        size_t nz = 0;
        char *z = read_source(aDoc[d], &nz);
        for (size_t off = 0; off < nz && n < 4096; off += 1024) {
            aSize[n] = nz - off < 1024 ? nz - off : 1024;
            kb_buf_add(&samples, z + off, aSize[n++]);
        }
        free(z);
    }
    unsigned id = kb_pack_train(samples.z, aSize, n, 16 << 10, dict);
    kb_buf_free(&samples);
    return id;
}

static unsigned train_on_corpus(kb_buf *dict) { return train_on_locale("es-es", dict); }

static sqlite3 *db_with_dict(unsigned id, const kb_buf *dict) {
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE TABLE dicts(id INTEGER PRIMARY KEY, dict BLOB NOT NULL)", NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO dicts VALUES(?, ?)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_blob(st, 2, dict->z, (int)dict->n, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    return db;
}

static void test_pack_roundtrips_without_dictionary(void) {
    const char *md = "# Título\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    kb_packer *p = kb_packer_new(NULL, 0);
    kb_buf packed = {0};
    kb_packer_pack(p, md, strlen(md), &packed);
    kb_unpacker *u = kb_unpacker_new(NULL);
    char *back = NULL;
    size_t n = 0;
    CHECK_INT(kb_unpacker_unpack(u, packed.z, packed.n, &back, &n), KB_OK);
    CHECK_STR(back, md);
    CHECK_INT((int)n, (int)strlen(md));
    free(back);
    kb_packer_pack(p, "", 0, &packed); /* the empty text too */
    CHECK_INT(kb_unpacker_unpack(u, packed.z, packed.n, &back, &n), KB_OK);
    CHECK_STR(back, "");
    free(back);
    kb_buf_free(&packed);
    kb_packer_free(p);
    kb_unpacker_free(u);
}

static void test_dictionary_makes_sections_smaller_and_is_read_from_the_index(void) {
    kb_buf dict = {0};
    unsigned id = train_on_corpus(&dict);
    CHECK(id > 0);
    CHECK(dict.n > 1024 && dict.n <= 16 << 10);
    size_t nz = 0;
    char *z = read_source("corpus/es-es/backup-azure-mars-troubleshoot.md", &nz);
    const char *section = strstr(z, "## ");
    size_t nSection = section ? 1500 : 0;
    kb_packer *plain = kb_packer_new(NULL, 0), *trained = kb_packer_new(dict.z, dict.n);
    kb_buf a = {0}, b = {0};
    kb_packer_pack(plain, section, nSection, &a);
    kb_packer_pack(trained, section, nSection, &b);
    CHECK(b.n * 10 < a.n * 8); /* at least 20% smaller */
    sqlite3 *db = db_with_dict(id, &dict);
    kb_unpacker *u = kb_unpacker_new(db);
    char *back = NULL;
    size_t n = 0;
    CHECK_INT(kb_unpacker_unpack(u, b.z, b.n, &back, &n), KB_OK);
    CHECK(n == nSection && memcmp(back, section, nSection) == 0);
    free(back);
    kb_unpacker_free(u);
    sqlite3_close(db);
    free(z);
    kb_buf_free(&a);
    kb_buf_free(&b);
    kb_buf_free(&dict);
    kb_packer_free(plain);
    kb_packer_free(trained);
}

/* An index holds a dictionary per language, and a page of results mixes
 * them: one unpacker reads frames of each, in any order. */
static void test_unpacker_reads_frames_of_several_dictionaries(void) {
    kb_buf dictEs = {0}, dictEn = {0};
    unsigned idEs = train_on_locale("es-es", &dictEs), idEn = train_on_locale("en-us", &dictEn);
    CHECK(idEs > 0 && idEn > 0 && idEs != idEn);
    sqlite3 *db = db_with_dict(idEs, &dictEs);
    sqlite3_stmt *st = NULL;
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO dicts VALUES(?, ?)", -1, &st, NULL) == SQLITE_OK);
    sqlite3_bind_int64(st, 1, idEn);
    sqlite3_bind_blob(st, 2, dictEn.z, (int)dictEn.n, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    kb_packer *pEs = kb_packer_new(dictEs.z, dictEs.n), *pEn = kb_packer_new(dictEn.z, dictEn.n);
    const char *es = "El agente de MARS no puede conectarse al almacén de Recovery Services.";
    const char *en = "The MARS agent was unable to connect to the Recovery Services vault.";
    kb_buf a = {0}, b = {0};
    kb_packer_pack(pEs, es, strlen(es), &a);
    kb_packer_pack(pEn, en, strlen(en), &b);
    kb_unpacker *u = kb_unpacker_new(db);
    for (int round = 0; round < 3; round++) {
        char *back = NULL;
        size_t n = 0;
        CHECK_INT(kb_unpacker_unpack(u, a.z, a.n, &back, &n), KB_OK);
        CHECK_STR(back, es);
        free(back);
        CHECK_INT(kb_unpacker_unpack(u, b.z, b.n, &back, &n), KB_OK);
        CHECK_STR(back, en);
        free(back);
    }
    kb_unpacker_free(u);
    sqlite3_close(db);
    kb_buf_free(&a);
    kb_buf_free(&b);
    kb_buf_free(&dictEs);
    kb_buf_free(&dictEn);
    kb_packer_free(pEs);
    kb_packer_free(pEn);
}

static void test_too_few_samples_train_no_dictionary(void) {
    kb_buf dict = {0};
    size_t aSize[] = {5, 5};
    CHECK_INT((int)kb_pack_train("abcdeabcde", aSize, 2, 4096, &dict), 0);
    CHECK(dict.n == 0);
}

static void test_damaged_frames_are_database_errors(void) {
    kb_buf dict = {0};
    unsigned id = train_on_corpus(&dict);
    kb_packer *p = kb_packer_new(dict.z, dict.n);
    kb_buf packed = {0};
    const char *text = "Compruebe la conexión a Internet y vuelva a intentarlo.";
    kb_packer_pack(p, text, strlen(text), &packed);
    sqlite3 *db = NULL;
    CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK); /* an index without its dictionary */
    CHECK(sqlite3_exec(db, "CREATE TABLE dicts(id INTEGER PRIMARY KEY, dict BLOB NOT NULL)", NULL, NULL, NULL) == SQLITE_OK);
    kb_unpacker *u = kb_unpacker_new(db);
    char *back = NULL;
    size_t n = 0;
    CHECK_INT(kb_unpacker_unpack(u, packed.z, packed.n, &back, &n), KB_EDB);
    CHECK_STR(back, "");
    CHECK(strstr(kb_errmsg(), "dictionary") != NULL);
    free(back);
    CHECK_INT(kb_unpacker_unpack(u, "not a frame at all", 18, &back, &n), KB_EDB);
    CHECK_STR(back, "");
    free(back);
    kb_unpacker_free(u);
    sqlite3_close(db);
    db = db_with_dict(id, &dict);
    u = kb_unpacker_new(db);
    for (size_t cut = 1; cut < packed.n; cut++) { /* every truncation */
        CHECK_INT(kb_unpacker_unpack(u, packed.z, cut, &back, &n), KB_EDB);
        free(back);
    }
    /* A flipped byte anywhere: an error, or (a bit the frame does not
     * depend on) the very same text; never other text. */
    int nWrong = 0, nError = 0;
    for (size_t at = 0; at < packed.n; at++) {
        packed.z[at] ^= 0x10;
        int rc = kb_unpacker_unpack(u, packed.z, packed.n, &back, &n);
        nError += rc == KB_EDB;
        nWrong += rc == KB_OK && strcmp(back, text) != 0;
        free(back);
        packed.z[at] ^= 0x10;
    }
    CHECK_INT(nWrong, 0);
    CHECK(nError > (int)packed.n / 2);
    kb_unpacker_free(u);
    sqlite3_close(db);
    kb_buf_free(&packed);
    kb_buf_free(&dict);
    kb_packer_free(p);
}

/* The stored view, its labels filled in, is what the query-time renderers
 * would produce. */
static void test_view_holds_what_the_renderers_produce(void) {
    size_t nz = 0;
    char *md = read_source("corpus/es-es/backup-azure-mars-troubleshoot.md", &nz);
    const char *doc = "es-es/backup-azure-mars-troubleshoot.md";
    kb_view v = {0};
    kb_view_build(md, doc, KB_LABELS_MARKED, &v);
    CHECK_STR(v.source, md);
    kb_buf text = {0}, markdown = {0};
    kb_render_opts ro = {.width = 0, .docPath = doc, .labels = KB_LABELS_ENGLISH};
    kb_render_text(md, nz, &ro, &text);
    kb_render_markdown(md, nz, &ro, &markdown);
    kb_view english = {0};
    kb_view_build(md, doc, KB_LABELS_MARKED, &english);
    kb_view_fill_labels(&english, KB_LABELS_ENGLISH);
    CHECK_STR(english.text, kb_buf_str(&text));
    CHECK(strcmp(v.text, english.text) != 0); /* the stored one has marks */
    kb_view_free(&english);
    CHECK_STR(v.markdown, kb_buf_str(&markdown));
    json_t *rem = json_loads(v.remediation, 0, NULL), *links = json_loads(v.links, 0, NULL);
    CHECK(json_is_array(rem) && json_array_size(rem) > 5);
    CHECK(json_is_string(json_object_get(json_array_get(rem, 0), "error")));
    CHECK(json_is_array(links) && json_array_size(links) > 5);
    json_decref(rem);
    json_decref(links);

    kb_packer *p = kb_packer_new(NULL, 0);
    kb_buf packed = {0};
    kb_view_pack(&v, p, &packed);
    kb_unpacker *u = kb_unpacker_new(NULL);
    kb_view back = {0};
    CHECK_INT(kb_view_unpack(u, packed.z, packed.n, &back), KB_OK);
    CHECK_STR(back.source, v.source);
    CHECK_STR(back.text, v.text);
    CHECK_STR(back.markdown, v.markdown);
    CHECK_STR(back.remediation, v.remediation);
    CHECK_STR(back.links, v.links);
    kb_view_free(&back);
    /* a frame that holds fewer fields than a view is damaged, yet usable */
    kb_packer_pack(p, "only\0two", 8, &packed);
    CHECK_INT(kb_view_unpack(u, packed.z, packed.n, &back), KB_EDB);
    CHECK_STR(back.links, "");
    kb_view_free(&back);
    kb_unpacker_free(u);
    kb_packer_free(p);
    kb_buf_free(&packed);
    kb_buf_free(&text);
    kb_buf_free(&markdown);
    kb_view_free(&v);
    free(md);
}

/* What is stored must not depend on the locale kb-index ran under: the
 * stored view marks where labels go in its text and remediation records,
 * what is indexed has English labels, and a reader gets the UI language's,
 * as if the view had been rendered for them. */
static void test_stored_view_labels_do_not_follow_the_ui_language(void) {
    kb_msg_init(NULL, "es");
    const char *md = "## Error\n\n**Mensaje de error**: Falta el agente\n\n**Causa**: No instalado\n\n"
                     "**Acción recomendada**: Reinstale.\n\n- [!NOTE] Instale el agente.\n\n> [!NOTE]\n> Reinicie.\n";
    kb_view stored = {0}, shown = {0};
    kb_view_build(md, "es-es/a.md", KB_LABELS_MARKED, &stored);
    kb_view_build(md, "es-es/a.md", KB_LABELS_UI, &shown);
    CHECK(strstr(stored.text, "Note:") == NULL && strstr(stored.text, "Nota:") == NULL);
    CHECK(strstr(shown.text, "Nota:") != NULL);
    CHECK(strstr(shown.remediation, "Nota: Instale") != NULL);
    char *errtext = kb_view_errtext(&stored); /* what the indexer searches as error messages */
    CHECK_STR(errtext, "Falta el agente");
    free(errtext);
    kb_buf words = {0};
    kb_view_words(&stored, &words);
    CHECK(strstr(kb_buf_str(&words), "Note:") != NULL && strstr(kb_buf_str(&words), "Nota") == NULL);
    kb_buf_free(&words);
    kb_view_fill_labels(&stored, KB_LABELS_UI);
    CHECK_STR(stored.text, shown.text);
    CHECK_STR(stored.remediation, shown.remediation);
    CHECK_STR(stored.source, shown.source);
    CHECK_STR(stored.markdown, shown.markdown);
    CHECK_STR(stored.links, shown.links);
    kb_view_free(&stored);
    kb_view_free(&shown);
    kb_msg_init(NULL, "en");
}

/* A noncharacter a section holds itself is no label: it is shown as U+FFFD,
 * wherever the view is filled in. */
static void test_a_sections_own_marks_are_not_labels(void) {
    const char *md = "## Paso \xEF\xB7\x91\n\nReinicie \xEF\xB7\x98 el agente.\n\n| Error | Causa |\n| --- | --- |\n"
                     "| E1 \xEF\xB7\x90 | x |\n";
    kb_view v = {0};
    kb_view_build(md, "es-es/a.md", KB_LABELS_MARKED, &v);
    kb_view_fill_labels(&v, KB_LABELS_ENGLISH);
    CHECK_STR(v.source, md);
    CHECK(strstr(v.text, "Reinicie \xEF\xBF\xBD el agente") != NULL);
    CHECK(strstr(v.text, "Links") == NULL);
    CHECK(strstr(v.remediation, "E1 \xEF\xBF\xBD") != NULL);
    kb_view_free(&v);
    kb_buf b = {0};
    CHECK_INT(kb_render_fill_labels("a \xEF\xB7\x99 \xEF\xBC\x8C \xEF\xB7", 12, KB_LABELS_ENGLISH, 0, &b), 0);
    CHECK_STR(kb_buf_str(&b), "a \xEF\xB7\x99 \xEF\xBC\x8C \xEF\xB7");
    kb_buf_free(&b);
}

KB_TEST_MAIN(test_stored_view_labels_do_not_follow_the_ui_language, test_pack_roundtrips_without_dictionary, test_dictionary_makes_sections_smaller_and_is_read_from_the_index,
             test_unpacker_reads_frames_of_several_dictionaries, test_too_few_samples_train_no_dictionary, test_damaged_frames_are_database_errors,
             test_view_holds_what_the_renderers_produce, test_a_sections_own_marks_are_not_labels)
