/* test_md.c: the Markdown section splitter on real bundled docs and on the
 * small hand-made documents in tests/data/md/. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb_md.h"
#include "kb_test.h"
#include "kb_util.h"

static int S_parse_file(const char *rel, const kb_md_opts *o, kb_doc *doc) {
    char *z = NULL;
    size_t n = 0;
    int rc = kb_file_read(kb_test_path(rel), 1 << 24, &z, &n);
    if (rc) {
        fprintf(stderr, "%s: %s\n", rel, kb_errmsg());
        memset(doc, 0, sizeof *doc);
        return rc;
    }
    kb_md_opts oDef = {0};
    oDef.docPath = rel;
    rc = kb_md_parse(z, n, o ? o : &oDef, doc);
    free(z);
    return rc;
}

static kb_section *S_find(kb_doc *doc, const char *anchor) {
    for (int i = 0; i < doc->nSection; i++)
        if (strcmp(doc->aSection[i].anchor, anchor) == 0) return &doc->aSection[i];
    return NULL;
}

static const kb_diag *S_find_diag(kb_doc *doc, const char *needle) {
    for (int i = 0; i < doc->nDiag; i++)
        if (strstr(doc->aDiag[i].message, needle)) return &doc->aDiag[i];
    return NULL;
}

#define MARS "corpus/es-es/backup-azure-mars-troubleshoot.md"

/* --------------------------------------------------------- real documents */

static void test_mars_has_one_section_per_heading_of_level_1_to_3(void) {
    kb_doc doc;
    CHECK_INT(S_parse_file(MARS, NULL, &doc), KB_OK);
    /* grep -c '^#\{1,3\} ' on the file: 26 (1 H1, 16 H2, 9 H3; none in code). */
    CHECK_INT(doc.nSection, 26);
    int nLevel[4] = {0};
    for (int i = 0; i < doc.nSection; i++)
        if (doc.aSection[i].level >= 0 && doc.aSection[i].level <= 3) nLevel[doc.aSection[i].level]++;
    CHECK_INT(nLevel[1], 1);
    CHECK_INT(nLevel[2], 16);
    CHECK_INT(nLevel[3], 9);
    CHECK_STR(doc.aSection[0].anchor, "troubleshoot-the-microsoft-azure-recovery-services-mars-agent");
    CHECK_STR(doc.aSection[doc.nSection - 1].anchor, "next-steps");
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

static void test_mars_anchor_heading_and_breadcrumb_are_what_a_reader_sees(void) {
    kb_doc doc;
    S_parse_file(MARS, NULL, &doc);
    kb_section *s = S_find(&doc, "invalid-vault-credentials-provided");
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(s->heading, "Se han proporcionado credenciales de almacén no válidas");
        CHECK_INT(s->level, 2);
        CHECK_INT(s->line, 38);
        CHECK_STR(s->breadcrumb[0], "Solución de problemas del agente de Microsoft Azure Recovery Services (MARS)");
        CHECK_STR(s->breadcrumb[1], s->heading);
        CHECK(s->breadcrumb[2] == NULL);
        CHECK(strncmp(s->markdown, "## <a name=\"invalid-vault-credentials-provided\">", 48) == 0);
    }
    kb_section *h3 = S_find(&doc, "salbitmaperror");
    CHECK(h3 != NULL);
    if (h3) {
        CHECK_INT(h3->level, 3);
        CHECK_INT(h3->line, 275);
        CHECK_STR(h3->breadcrumb[1], "Problemas comunes");
        CHECK_STR(h3->breadcrumb[2], "SalBitmapError");
    }
    kb_doc_free(&doc);
}

static void test_section_split_keeps_table_rows_together(void) {
    kb_doc doc;
    S_parse_file(MARS, NULL, &doc);
    kb_section *s = S_find(&doc, "backup-jobs-completed-with-warning");
    CHECK(s != NULL);
    if (s) {
        CHECK(strstr(s->markdown, "| 0x80070570 ") != NULL);
        CHECK(strstr(s->markdown, "| 0x8007018b ") != NULL);
        CHECK(strstr(s->markdown, "Evite eliminar carpetas protegidas") != NULL);
        CHECK(strstr(s->markdown, "No se pudo establecer la clave") == NULL);
        CHECK(strstr(s->view.text, "0x80070570") != NULL);
    }
    kb_section *next = S_find(&doc, "failed-to-set-the-encryption-key-for-secure-backups");
    CHECK(next && strstr(next->markdown, "0x80070570") == NULL);
    kb_doc_free(&doc);
}

static void test_mars_front_matter_is_metadata_not_text(void) {
    kb_doc doc;
    S_parse_file(MARS, NULL, &doc);
    CHECK_STR(doc.title, "Solución de problemas del agente de Azure Backup");
    CHECK_STR(doc.topic, "troubleshooting");
    CHECK_STR(doc.date, "06/04/2021");
    CHECK_STR(doc.locale, "es-es");
    CHECK(doc.nSection > 0 && strstr(doc.aSection[0].markdown, "ms.openlocfilehash") == NULL);
    kb_doc_free(&doc);
}

static void test_mars_internal_links_keep_their_original_line(void) {
    kb_doc doc;
    S_parse_file(MARS, NULL, &doc);
    int found = 0;
    for (int i = 0; i < doc.nLink; i++) {
        CHECK(strncmp(doc.aLink[i].target, "http", 4) != 0);
        if (strcmp(doc.aLink[i].target, "#backup-jobs-completed-with-warning") == 0 && doc.aLink[i].line == 26) found = 1;
    }
    CHECK(found);
    kb_doc_free(&doc);
}

/* --------------------------------------------------- hand-made documents */

static void test_text_before_first_heading_belongs_to_first_section(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    CHECK(doc.nSection > 0);
    if (doc.nSection > 0) {
        CHECK_STR(doc.aSection[0].anchor, "quirks");
        CHECK_INT(doc.aSection[0].line, 10);
        CHECK(strncmp(doc.aSection[0].markdown, "Text before the first heading", 29) == 0);
        CHECK(strstr(doc.aSection[0].markdown, "Intro of the H1.") != NULL);
    }
    kb_doc_free(&doc);
}

static void test_heading_without_space_is_a_heading(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *s = S_find(&doc, "no-space");
    CHECK(s && strcmp(s->heading, "Heading without space") == 0 && s->level == 2 && s->line == 14);
    s = S_find(&doc, "plain-heading-without-space");
    CHECK(s && strcmp(s->heading, "Plain heading without space") == 0 && s->line == 18);
    kb_doc_free(&doc);
}

static void test_headings_in_code_blocks_are_not_headings(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    for (int i = 0; i < doc.nSection; i++) CHECK(strstr(doc.aSection[i].heading, "not a heading") == NULL);
    kb_section *s = S_find(&doc, "plain-heading-without-space");
    /* Not rewritten either: "##Title" fixes stop at code fences. */
    CHECK(s && strstr(s->markdown, "\n# not a heading: a comment in a code block\n## neither is this\n```") != NULL);
    kb_doc_free(&doc);
}

static void test_deeper_headings_stay_in_parent_section(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *s = S_find(&doc, "first");
    CHECK(s && s->level == 3 && strstr(s->markdown, "#### Solución\n\nA deeper heading stays") != NULL);
    for (int i = 0; i < doc.nSection; i++) CHECK(strcmp(doc.aSection[i].heading, "Solución") != 0);
    /* its anchor is the section's too: a link to it opens the section */
    CHECK(s && s->nAlias == 2 && strcmp(s->aAlias[1], "solución") == 0);
    CHECK_INT(doc.nSection, 9);
    kb_doc_free(&doc);
}

static void test_several_anchors_in_heading_become_aliases(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *s = S_find(&doc, "first");
    CHECK(s && s->nAlias == 2 && strcmp(s->aAlias[0], "second") == 0);
    CHECK(s && strcmp(s->heading, "Two anchors") == 0);
    CHECK(s && s->breadcrumb[1] && strcmp(s->breadcrumb[1], "Plain heading without space") == 0);
    kb_doc_free(&doc);
}

static void test_slug_is_github_style(void) {
    char *z = kb_md_slug("¿Qué es Azure Backup? (versión 2)", strlen("¿Qué es Azure Backup? (versión 2)"));
    CHECK_STR(z, "qué-es-azure-backup-versión-2");
    free(z);
    z = kb_md_slug("Hello, World!", 13);
    CHECK_STR(z, "hello-world");
    free(z);
    z = kb_md_slug("snake_case and-dash  twice", 26);
    CHECK_STR(z, "snake_case-and-dash--twice");
    free(z);
    z = kb_md_slug("ÉCOLE Straße", strlen("ÉCOLE Straße"));
    CHECK_STR(z, "école-straße");
    free(z);
    z = kb_md_slug("Error 0x80070005: \"Access denied\"", 33);
    CHECK_STR(z, "error-0x80070005-access-denied");
    free(z);
    z = kb_md_slug("Azure のトラブルシューティング", strlen("Azure のトラブルシューティング"));
    CHECK_STR(z, "azure-のトラブルシューティング");
    free(z);
}

static void test_duplicate_anchors_are_numbered_and_explicit_ones_warn(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *a = S_find(&doc, "duplicate-title"), *b = S_find(&doc, "duplicate-title-1");
    CHECK(a && a->line == 47);
    CHECK(b && b->line == 51);
    kb_section *c = S_find(&doc, "no-space-1");
    CHECK(c && strcmp(c->heading, "Explicit duplicate") == 0);
    const kb_diag *d = S_find_diag(&doc, "duplicate anchor");
    CHECK(d && d->line == 53 && d->severity == KB_DIAG_WARNING && strstr(d->message, "no-space"));
    CHECK(d && d->code == KB_DIAG_DUPLICATE_ANCHOR);
    /* Generated duplicates are normal Markdown, not a problem to report. */
    CHECK(S_find_diag(&doc, "duplicate-title") == NULL);
    CHECK(S_find(&doc, "qué-es-azure-backup-versión-2") != NULL);
    kb_doc_free(&doc);
}

static void test_front_matter_fields_are_read(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    CHECK_STR(doc.title, "Quirks of DocFX Markdown");
    CHECK_STR(doc.description, "A hand-made document with every quirk the splitter handles.");
    CHECK_STR(doc.topic, "troubleshooting");
    CHECK_STR(doc.date, "03/14/2022");
    CHECK_STR(doc.locale, "es-es");
    kb_doc_free(&doc);
}

static void test_broken_front_matter_is_an_error_and_body_survives(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/bad-front-matter.md", NULL, &doc);
    const kb_diag *d = S_find_diag(&doc, "front matter: ");
    CHECK(d && d->severity == KB_DIAG_ERROR && d->line >= 3 && d->line <= 4 && d->code == KB_DIAG_FRONT_MATTER);
    CHECK_STR(doc.title, "Broken"); /* read before the error */
    CHECK_INT(doc.nSection, 1);
    CHECK(doc.nSection == 1 && strcmp(doc.aSection[0].heading, "Still parsed") == 0 && doc.aSection[0].line == 6);
    kb_doc_free(&doc);
}

/* An unclosed quote is found where the front matter ends: the line to
 * mend is the one where it opened, and the message says what to look for. */
static void test_unclosed_quote_in_front_matter_is_reported_where_it_opens(void) {
    const char *md = "---\ntitle: \"Documento B\nms.topic: x\n---\n# B\n";
    kb_md_opts o = {.docPath = "es-es/b.md"};
    kb_doc doc;
    kb_md_parse(md, strlen(md), &o, &doc);
    const kb_diag *d = S_find_diag(&doc, "front matter: ");
    CHECK(d && d->line == 2 && strstr(d->message, "unclosed quote") != NULL);
    kb_doc_free(&doc);
}

/* A ms.contentlocale that is no locale tag is said, at its line: the
 * folder's locale had been the document's without a word (a hostile
 * tester's). The fields after it are still read; an empty one is none. */
static void test_locale_tag_that_is_none_is_reported(void) {
    const char *md = "---\ntitle: Hola\nms.contentlocale: ../../etc\nms.date: 01/01/2017\n---\n# Hola\n";
    kb_md_opts o = {.docPath = "es-es/a.md"};
    kb_doc doc;
    kb_md_parse(md, strlen(md), &o, &doc);
    const kb_diag *d = S_find_diag(&doc, "ms.contentlocale '../../etc' is no locale tag");
    CHECK(d && d->line == 3 && d->code == KB_DIAG_FRONT_MATTER);
    CHECK(doc.locale == NULL && doc.date && strcmp(doc.date, "01/01/2017") == 0);
    kb_doc_free(&doc);
    md = "---\ntitle: Hola\nms.contentlocale: \"\"\n---\n# Hola\n";
    kb_md_parse(md, strlen(md), &o, &doc);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* Front matter opened and never closed is read as text, as DocFX does,
 * and said: its fields had been lost without a word. A thematic break on
 * the first line, followed by text, is no front matter. */
static void test_unclosed_front_matter_is_reported(void) {
    const char *md = "---\ntitle: Sin cierre\ndescription: x\n\n# Heading\n\nBody.\n";
    kb_md_opts o = {.docPath = "es-es/c.md"};
    kb_doc doc;
    kb_md_parse(md, strlen(md), &o, &doc);
    const kb_diag *d = S_find_diag(&doc, "never closed");
    CHECK(d && d->line == 1 && d->code == KB_DIAG_FRONT_MATTER && d->severity == KB_DIAG_ERROR);
    CHECK(doc.title == NULL && S_find(&doc, "heading") != NULL);
    kb_doc_free(&doc);
    const char *rule = "---\n\nText after a rule: with a colon.\n";
    kb_md_parse(rule, strlen(rule), &o, &doc);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* A quote inside a quoted value, seven lines into the front matter, is
 * reported at its line: the block mapping's start (line 2), where libyaml's
 * context begins, had been named for every error in the mapping, with the
 * unclosed-quote hint. */
static void test_front_matter_error_is_reported_at_its_own_line(void) {
    const char *md = "---\ntitle: T\ndescription: d\nms.topic: x\nms.date: 1\nauthor: a\nms.author: b\n"
                     "ms.custom: \"valor \"con\" comillas\"\n---\n# B\n";
    kb_md_opts o = {.docPath = "es-es/b.md"};
    kb_doc doc;
    kb_md_parse(md, strlen(md), &o, &doc);
    const kb_diag *d = S_find_diag(&doc, "front matter: ");
    CHECK(d && d->line == 8 && strstr(d->message, "unclosed quote") == NULL);
    kb_doc_free(&doc);
}

/* Brackets nested past 64 levels are refused unread (libyaml went
 * quadratic on them: 33 s for 100,000); 64 levels still parse, and quoted
 * brackets are text. */
static void test_deeply_nested_front_matter_is_refused(void) {
    kb_buf md = {0};
    kb_buf_adds(&md, "---\ntitle: T\ntags: ");
    for (int i = 0; i < 20000; i++) kb_buf_addc(&md, '[');
    for (int i = 0; i < 20000; i++) kb_buf_addc(&md, ']');
    kb_buf_adds(&md, "\n---\n# Body\n");
    kb_md_opts o = {.docPath = "a.md"};
    kb_doc doc;
    kb_md_parse(md.z, md.n, &o, &doc);
    const kb_diag *d = S_find_diag(&doc, "front matter: brackets nested deeper than 64");
    CHECK(d && d->line == 3 && d->severity == KB_DIAG_ERROR);
    CHECK(doc.nSection == 1 && strcmp(doc.aSection[0].heading, "Body") == 0);
    kb_doc_free(&doc);
    kb_buf_reset(&md);
    kb_buf_adds(&md, "---\ntitle: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\ntags: ");
    for (int i = 0; i < 64; i++) kb_buf_addc(&md, '[');
    for (int i = 0; i < 64; i++) kb_buf_addc(&md, ']');
    kb_buf_adds(&md, "\n---\n# Body\n");
    kb_md_parse(md.z, md.n, &o, &doc);
    CHECK_INT(doc.nDiag, 0);
    CHECK(doc.title && doc.title[0] == '[');
    kb_doc_free(&doc);
    kb_buf_free(&md);
}

static void test_old_properties_and_tags_are_metadata(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/old-metadata.md", NULL, &doc);
    CHECK_STR(doc.title, "Troubleshoot slow backup | Microsoft Azure");
    CHECK_STR(doc.description, "Old-style metadata spanning lines");
    CHECK_STR(doc.topic, "article");
    CHECK_STR(doc.date, "10/13/2016");
    CHECK_INT(doc.nSection, 2);
    for (int i = 0; i < doc.nSection; i++) {
        CHECK(strstr(doc.aSection[i].markdown, "<properties") == NULL);
        CHECK(strstr(doc.aSection[i].markdown, "ms.service") == NULL);
    }
    CHECK(doc.nSection > 0 && doc.aSection[0].line == 13);
    kb_doc_free(&doc);
}

static void test_anchor_line_above_heading_is_an_alias(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/old-metadata.md", NULL, &doc);
    kb_section *s = S_find(&doc, "cause-1-slow-disks");
    CHECK(s && s->line == 18 && s->nAlias == 1 && strcmp(s->aAlias[0], "cause1") == 0);
    /* The anchor line moves with its heading. */
    CHECK(s && strncmp(s->markdown, "<a id=\"cause1\"></a>\n", 20) == 0);
    CHECK(doc.nSection > 0 && strstr(doc.aSection[0].markdown, "cause1") == NULL);
    kb_doc_free(&doc);

    /* The real document the quirk comes from. */
    S_parse_file("corpus/es-es/backup-azure-troubleshoot-slow-backup-performance-issue.md", NULL, &doc);
    s = S_find(&doc, "cause-performance-bottlenecks-on-the-computer");
    CHECK(s && s->nAlias == 1 && strcmp(s->aAlias[0], "cause1") == 0);
    kb_doc_free(&doc);
}

static void test_old_alerts_become_docfx_alerts_and_selectors_vanish(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *s = S_find(&doc, "first");
    CHECK(s && strstr(s->markdown, "> [!NOTE]\n> An old alert with text.\n") != NULL);
    for (int i = 0; i < doc.nSection; i++) {
        CHECK(strstr(doc.aSection[i].markdown, "AZURE.") == NULL);
        CHECK(strstr(doc.aSection[i].markdown, "backup-portal.md") == NULL);
    }
    CHECK(s && strstr(s->markdown, "After the selector.") != NULL);
    kb_doc_free(&doc);
}

/* DocFX's tabs are no sections: the group stays in the section it is in,
 * each tab's name a bold line, and the "---" that ends it is dropped, in
 * a list item too; a "---" under text is a heading's underline, not a
 * group's end. Zones and monikers show the name of their variant. */
static void test_tabs_zones_and_monikers_stay_in_their_section(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/tabs.md", NULL, &doc);
    CHECK_INT(doc.nSection, 4);
    kb_section *s = S_find(&doc, "fix-with-tabs");
    CHECK(s && strstr(s->markdown, "**Azure portal**") && strstr(s->markdown, "**Azure CLI**"));
    CHECK(s && strstr(s->markdown, "az backup vault create") && strstr(s->markdown, "After the tabs."));
    CHECK(s && !strstr(s->markdown, "#tab/") && !strstr(s->markdown, "---"));
    CHECK(s && strstr(s->markdown, "\n   **Bash**\n") && strstr(s->markdown, "2. Create the vault."));
    s = S_find(&doc, "troubleshooting");
    CHECK(s && s->breadcrumb[0] && strcmp(s->breadcrumb[0], "Tabs") == 0);
    s = S_find(&doc, "pick-a-language");
    CHECK(s && s->breadcrumb[0] && strcmp(s->breadcrumb[0], "Tabs") == 0);
    CHECK(s && strstr(s->markdown, "*programming-language-csharp*") && strstr(s->markdown, "*\\>=sql-server-ver15*"));
    CHECK(s && !strstr(s->markdown, ":::"));
    kb_doc_free(&doc);
}

/* DocFX's block extensions read as the site shows them: an image with its
 * alt text, a code sample as its path (not indexed), a video as its URL, a
 * button's style not at all. CommonMark had shown them as written. */
static void test_docfx_images_code_samples_and_videos_read_as_shown(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/docfx.md", NULL, &doc);
    kb_section *s = S_find(&doc, "media");
    CHECK(s && strstr(s->markdown, "![The error dialog.](<media/dialog.png>)\n"));
    CHECK(s && strstr(s->markdown, "![Backup flow](<media/flow.png>)\n\n   The agent sends"));
    CHECK(s && strstr(s->markdown, "![The \\[Save\\] \"button\"](<media/my save.png>)\n"));
    CHECK(s && strstr(s->markdown, "> <https://learn.microsoft.com/shows/backup/embed>"));
    CHECK(s && !strstr(s->markdown, ":::") && !strstr(s->markdown, "[!VIDEO"));
    s = S_find(&doc, "code");
    CHECK(s && strstr(s->markdown, "\n`code/Retry.cs`\n"));
    CHECK(s && strstr(s->markdown, "\n*Retry policy* (`code/Retry.cs`)\n"));
    CHECK(s && !strstr(s->markdown, "[!VIDEO https") && !strstr(s->markdown, "AZURE.VIDEO"));
    CHECK(s && strstr(s->markdown, "> [Next tutorial](next.md)") && !strstr(s->markdown, "[!div"));
    /* layout CommonMark cannot say: dropped, its text kept */
    s = S_find(&doc, "layout");
    CHECK(s && strstr(s->markdown, "Left column text.") && strstr(s->markdown, "Right column text."));
    CHECK(s && !strstr(s->markdown, ":::"));
    kb_doc_free(&doc);
}

static void test_line_numbers_refer_to_original_document(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    /* The alert above added a line and the selector removed three. */
    kb_section *s = S_find(&doc, "error-table");
    CHECK(s && s->line == 39);
    s = S_find(&doc, "qué-es-azure-backup-versión-2");
    CHECK(s && s->line == 55);
    kb_doc_free(&doc);
}

static void test_table_rows_with_wrong_cell_count_warn(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    int n = 0;
    for (int i = 0; i < doc.nDiag; i++) {
        if (!strstr(doc.aDiag[i].message, "table row has")) continue;
        n++;
        CHECK_INT(doc.aDiag[i].code, KB_DIAG_TABLE_CELLS);
        if (doc.aDiag[i].line == 44) CHECK_STR(doc.aDiag[i].message, "table row has 2 cells, header has 3");
        else if (doc.aDiag[i].line == 45) CHECK_STR(doc.aDiag[i].message, "table row has 4 cells, header has 3");
        else CHECK(!"table diag on an unexpected line");
    }
    CHECK_INT(n, 2);
    kb_doc_free(&doc);
}

static void test_only_internal_links_are_collected(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    CHECK_INT(doc.nLink, 2);
    if (doc.nLink == 2) {
        CHECK_STR(doc.aLink[0].target, "#error-table");
        CHECK_INT(doc.aLink[0].line, 49);
        CHECK_STR(doc.aLink[1].target, "other.md#anchor");
    }
    kb_doc_free(&doc);
}

static void test_document_without_heading_is_one_level_0_section(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/no-heading.md", NULL, &doc);
    CHECK_INT(doc.nSection, 1);
    if (doc.nSection == 1) {
        CHECK_INT(doc.aSection[0].level, 0);
        CHECK_STR(doc.aSection[0].heading, "Only text");
        CHECK_STR(doc.aSection[0].markdown, "Just a paragraph, no heading at all.\n");
        CHECK(doc.aSection[0].breadcrumb[0] == NULL);
    }
    kb_doc_free(&doc);

    CHECK_INT(kb_md_parse("---\ntitle: x\n---\n\n  \n", 20, NULL, &doc), KB_OK);
    CHECK_INT(doc.nSection, 0);
    kb_doc_free(&doc);
    CHECK_INT(kb_md_parse("", 0, NULL, &doc), KB_OK);
    CHECK_INT(doc.nSection, 0);
    kb_doc_free(&doc);
}

/* --------------------------------------------------------------- includes */

/* An in-memory tree of included files, keyed by the path as written. */
static const char *const S_aInclude[][2] = {
    {"../includes/disclaimer.md", "---\nms.topic: include\n---\n**Support**: ask the forum.\n"},
    {"tab-text.md", "Text of the last tab.\n"},
    {"../includes/nested.md", "Nested first line.\n[!INCLUDE [leaf](leaf.md)]\n"},
    {"leaf.md", "Leaf text.\n"},
    {"../includes/fan.md", "Fan.\n[!INCLUDE [a](fan2.md)]\n[!INCLUDE [b](fan2.md)]\n"},
    {"fan2.md", "Fan two.\n[!INCLUDE [a](leaf.md)]\n[!INCLUDE [b](leaf.md)]\n"},
    {"../includes/cycle.md", "Cycle text.\n[!INCLUDE [again](cycle.md)]\n"},
    {"cycle.md", "Cycle text.\n[!INCLUDE [again](cycle.md)]\n"},
    {"../includes/broken.md", "A reference [inside][] with no definition.\n"},
    {"~/includes/tilde.md", "Tilde text.\n[!INCLUDE [leaf](tilde-leaf.md)]\n"},
    {"tilde-leaf.md", "Tilde leaf.\n"},
    {"ten.md", "[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n"
               "[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n"
               "[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n[!INCLUDE [r](row.md)]\n"
               "[!INCLUDE [r](row.md)]\n"},
    {"row.md", "Row text.\n"},
    {"includes/a b.md", "Spaced name text.\n"},
    {"tiny.md", "Tiny.\n"},
    {"open-fence.md", "Included line.\n\n```\nsome code\n"},
    {"open-fence-list.md", "- item one\n\n  ```\n  some code\n"},
    {"open-fence-quote.md", "> quoted\n>\n> ```\n> some code\n"},
    {"../../includes/links.md",
     "See [other](../articles/other/y.md#fix), [sibling](sibling.md), [site](/azure/x), [web](https://a.b/c),\n"
     "[top](#t), [far](../../../out.md) and `[code](../z.md)`.\n\n"
     "[r][ref] and ![img](<./media/a b.png>)\n\n"
     "[ref]: ../articles/r.md \"Title\"\n"
     "```\n[fenced](../f.md)\n```\n"},
};

static int S_reader_calls;
static char S_aFrom[16][128];

static int S_read_include(void *ctx, const char *fromDoc, const char *path, char **pz, size_t *pn,
                          kb_diag_code *pWhy) {
    if (S_reader_calls < 16) snprintf(S_aFrom[S_reader_calls], sizeof S_aFrom[0], "%s", fromDoc ? fromDoc : "");
    S_reader_calls++;
    for (size_t i = 0; i < sizeof S_aInclude / sizeof S_aInclude[0]; i++) {
        if (strcmp(S_aInclude[i][0], path) == 0) {
            *pz = kb_xstrdup(S_aInclude[i][1]);
            *pn = strlen(*pz);
            return KB_OK;
        }
    }
    *pWhy = KB_DIAG_INCLUDE_MISSING;
    return kb_fail(KB_EIO, "%s: no such file", path);
}

/* Parses src, a document at docPath, its includes read from S_aInclude. */
static int S_parse_with_includes(const char *docPath, const char *src, size_t n, kb_doc *doc) {
    kb_md_opts o = {0};
    o.docPath = docPath;
    o.readInclude = S_read_include;
    return kb_md_parse(src, n, &o, doc);
}

/* A group of tabs ends at its "---" when its last tab ends with an
 * include (which had ended the group with the included text) or with a
 * code block: the "---" had been shown as a rule. */
static void test_tab_groups_end_after_an_include_or_a_code_block(void) {
    static const char src[] = "# T\n\n## S\n\n# [One](#tab/one)\n\n```sh\nls\n```\n---\n\nBetween.\n\n"
                              "# [Two](#tab/two)\n\n[!INCLUDE [t](tab-text.md)]\n\n---\n\nAfter.\n";
    kb_doc doc;
    CHECK_INT(S_parse_with_includes("articles/tabs.md", src, sizeof src - 1, &doc), KB_OK);
    kb_section *s = S_find(&doc, "s");
    CHECK(s && strstr(s->markdown, "Text of the last tab.") && strstr(s->markdown, "After."));
    CHECK(s && !strstr(s->markdown, "---") && !strstr(s->markdown, "* * *"));
    kb_doc_free(&doc);
}

/* DocFX renders an include on its own: a code fence it leaves open ends
 * with it. Expanded in place, it had made the rest of the page code, its
 * headings and all (a hostile tester's). */
static void test_fence_left_open_by_an_include_ends_with_it(void) {
    /* in a list item or a quote, the closing line is indented or quoted
     * as the opening one: at column 0 it had ended the item, then opened
     * a fence of its own */
    static const char *aInclude[] = {"open-fence.md", "open-fence-list.md", "open-fence-quote.md"};
    for (size_t i = 0; i < sizeof aInclude / sizeof aInclude[0]; i++) {
        char src[256];
        int n = snprintf(src, sizeof src,
                         "# Page\n\n[!INCLUDE [x](%s)]\n\nAfter the include.\n\n## Later\n\nLater text.\n", aInclude[i]);
        kb_doc doc;
        CHECK_INT(S_parse_with_includes("articles/fence.md", src, (size_t)n, &doc), KB_OK);
        kb_section *s = S_find(&doc, "page");
        CHECK(s && strstr(s->markdown, "some code") && strstr(s->markdown, "After the include."));
        CHECK(s && !strstr(s->markdown, "Later text")); /* the heading is a heading, its text its section's */
        kb_section *later = S_find(&doc, "later");
        CHECK(later && strstr(later->markdown, "Later text"));
        if (!later) fprintf(stderr, "  (include %s)\n", aInclude[i]);
        kb_doc_free(&doc);
    }
}

static void test_includes_expand_in_place_with_original_lines(void) {
    kb_md_opts o = {0};
    o.docPath = "articles/includes.md";
    o.readInclude = S_read_include;
    kb_doc doc;
    S_reader_calls = 0;
    S_parse_file("tests/data/md/includes.md", &o, &doc);
    kb_section *s = S_find(&doc, "includes");
    CHECK(s && strstr(s->markdown, "**Support**: ask the forum.") != NULL);
    CHECK(s && strstr(s->markdown, "ms.topic") == NULL); /* the include's front matter is stripped */
    CHECK(doc.topic == NULL);                             /* and is not the document's metadata */
    s = S_find(&doc, "after-include");
    CHECK(s && s->line == 5);
    /* The nested include keeps the list item's indentation. */
    CHECK(s && strstr(s->markdown, "\n  Nested first line.\n  Leaf text.\n") != NULL);
    CHECK(s && strstr(s->markdown, "INCLUDE") == NULL);
    /* The nested include is resolved against the file that includes it. */
    int sawNestedFrom = 0;
    for (int i = 0; i < S_reader_calls && i < 16; i++)
        if (strcmp(S_aFrom[i], "includes/nested.md") == 0) sawNestedFrom = 1;
    CHECK(sawNestedFrom);

    const kb_diag *d = S_find_diag(&doc, "missing.md");
    CHECK(d && d->line == 11 && d->severity == KB_DIAG_WARNING && strstr(d->message, "no such file"));
    CHECK(d && d->code == KB_DIAG_INCLUDE_MISSING); /* as the reader said */
    d = S_find_diag(&doc, "cycle");
    CHECK(d && d->line == 13 && strstr(d->message, "include cycle"));
    /* the file the cycle returns to, which kb-index --check reports it in */
    CHECK(d && d->code == KB_DIAG_INCLUDE_CYCLE && d->cycleFile && strcmp(d->cycleFile, "includes/cycle.md") == 0);
    s = S_find(&doc, "last-line");
    CHECK(s && s->line == 15);
    CHECK(s && doc.nSection == 3);
    kb_doc_free(&doc);
}

/* A destination in angle brackets may hold spaces, as in CommonMark
 * ("includes/a" had been read, and said not found). */
static void test_include_path_in_angle_brackets(void) {
    kb_md_opts o = {0};
    o.docPath = "a.md";
    o.readInclude = S_read_include;
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [sp](<includes/a b.md>)]\n\n[!INCLUDE [r]( <row.md> )]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Spaced name text.") != NULL);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Row text.") != NULL);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* Without angle brackets a path runs to the ')', as DocFX reads it: a
 * file named with a space is included ("includes/a" had been read, and
 * said not found), and a quoted title after the path is not part of it. */
static void test_include_path_with_spaces_and_titles(void) {
    kb_md_opts o = {.docPath = "a.md", .readInclude = S_read_include};
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [sp](includes/a b.md )]\n\n[!INCLUDE [r](row.md \"Row title\")]\n\n"
                      "[!INCLUDE [t](\ttiny.md 'A title')]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    const char *md = doc.nSection == 1 ? doc.aSection[0].markdown : "";
    CHECK(strstr(md, "Spaced name text.") != NULL);
    CHECK(strstr(md, "Row text.") != NULL);
    CHECK(strstr(md, "Tiny.") != NULL);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* Older translated docs lost the line break after an include: the text
 * that follows it is a paragraph after the included text, not a line
 * showing "[AZURE.INCLUDE ...]" as written. */
static void test_include_followed_by_text_on_its_line(void) {
    kb_md_opts o = {.docPath = "a.md", .readInclude = S_read_include};
    kb_doc doc;
    const char *src = "# T\n\n[AZURE.INCLUDE [r](row.md)]本文涵蓋 NSG。\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    const char *md = doc.nSection == 1 ? doc.aSection[0].markdown : "";
    CHECK(strstr(md, "Row text.\n\n本文涵蓋 NSG。") != NULL && strstr(md, "INCLUDE") == NULL);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

static void test_include_depth_is_bounded(void) {
    kb_md_opts o = {0};
    o.docPath = "a.md";
    o.readInclude = S_read_include;
    o.maxIncludeDepth = 1;
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [n](../includes/nested.md)]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Nested first line.") != NULL);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Leaf text.") == NULL);
    const kb_diag *d = S_find_diag(&doc, "deeper than 1");
    CHECK(d && d->line == 3 && d->code == KB_DIAG_INCLUDE_DEPTH);
    kb_doc_free(&doc);
    /* An include that fans out past the bound says so once, not once per
     * include left out (256 times at depth 8). */
    const char *fan = "# T\n\n[!INCLUDE [f](../includes/fan.md)]\n";
    kb_md_parse(fan, strlen(fan), &o, &doc);
    CHECK_INT(doc.nDiag, 1);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Fan.") != NULL);
    kb_doc_free(&doc);
}

/* "~/x.md" is read from the root, and so are the includes it holds. */
static void test_root_include_resolves_its_own_includes(void) {
    kb_md_opts o = {.docPath = "articles/a/doc.md", .readInclude = S_read_include};
    kb_doc doc;
    S_reader_calls = 0;
    const char *src = "# T\n\n[!INCLUDE [t](~/includes/tilde.md)]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    CHECK(S_reader_calls == 2 && strcmp(S_aFrom[1], "includes/tilde.md") == 0);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "Tilde leaf.") != NULL);
    kb_doc_free(&doc);
}

/* A link in an included file is relative to that file, as DocFX reads
 * it: "../articles/x.md" in es-ES/includes/ names es-ES/articles/x.md,
 * which the including page's folder would have made
 * es-ES/articles/articles/x.md. Code stays as written. */
static void test_include_links_resolve_against_the_include(void) {
    kb_md_opts o = {.docPath = "es-ES/articles/svc/page.md", .readInclude = S_read_include};
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [l](../../includes/links.md)]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    const kb_section *s = doc.nSection == 1 ? &doc.aSection[0] : NULL;
    const char *links = s ? s->view.links : "";
    CHECK(strstr(links, "\"es-ES/articles/other/y.md#fix\""));
    CHECK(strstr(links, "\"es-ES/includes/sibling.md\""));
    CHECK(strstr(links, "\"es-ES/articles/r.md\""));
    CHECK(strstr(links, "\"es-ES/articles/svc/page.md#t\""));
    CHECK(strstr(links, "\"https://learn.microsoft.com/azure/x\""));
    CHECK(strstr(links, "\"https://a.b/c\""));
    CHECK(s && strstr(s->markdown, "`[code](../z.md)`") && strstr(s->markdown, "[fenced](../f.md)"));
    CHECK(s && strstr(s->markdown, "../../../out.md"));
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* However small, at most 1,000 includes are read for one document, the
 * rest left out with one warning: each costs a stat, an open and a read. */
static void test_include_count_is_bounded(void) {
    kb_md_opts o = {.docPath = "a.md", .readInclude = S_read_include};
    kb_buf src = {0};
    kb_buf_adds(&src, "# T\n\n");
    for (int i = 0; i < 1200; i++) kb_buf_adds(&src, "[!INCLUDE [t](tiny.md)]\n\n");
    kb_doc doc;
    S_reader_calls = 0;
    kb_md_parse(src.z, src.n, &o, &doc);
    int nTiny = 0;
    for (const char *z = doc.nSection ? doc.aSection[0].markdown : ""; (z = strstr(z, "Tiny.")) != NULL; z++) nTiny++;
    CHECK_INT(nTiny, 1000);
    CHECK_INT(S_reader_calls, 1000);
    const kb_diag *d = S_find_diag(&doc, "more than 1000 includes");
    CHECK(d && d->line == 2003 && doc.nDiag == 1 && d->code == KB_DIAG_INCLUDE_TOO_LARGE);
    kb_doc_free(&doc);
    kb_buf_free(&src);
}

/* Includes of includes multiply (ten of ten of ten...): what a page and
 * its includes add up to is bounded, and the includes past it are left
 * out, with one warning at the page's line. */
static void test_include_growth_is_bounded(void) {
    kb_md_opts o = {.docPath = "a.md", .readInclude = S_read_include, .maxBytes = 300};
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [t](ten.md)]\n[!INCLUDE [t](ten.md)]\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    /* the page (51 bytes) and ten.md (230) leave room for one row (10) */
    const char *md = doc.nSection == 1 ? doc.aSection[0].markdown : "";
    const char *first = strstr(md, "Row text.");
    CHECK(first && !strstr(first + 1, "Row text."));
    int nOver = 0;
    for (int i = 0; i < doc.nDiag; i++)
        nOver += strstr(doc.aDiag[i].message, "with its includes larger than") != NULL;
    CHECK_INT(nOver, 1);
    const kb_diag *d = S_find_diag(&doc, "include ten.md: row.md would make the document");
    CHECK(d && d->line == 3 && d->severity == KB_DIAG_WARNING && d->code == KB_DIAG_INCLUDE_TOO_LARGE);
    kb_doc_free(&doc);
}

static void test_includes_without_reader_stay_text(void) {
    kb_doc doc;
    const char *src = "# T\n\n[!INCLUDE [n](../includes/nested.md)]\n";
    kb_md_parse(src, strlen(src), NULL, &doc);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "[!INCLUDE [n]") != NULL);
    CHECK_INT(doc.nDiag, 0);
    kb_doc_free(&doc);
}

/* ------------------------------------------------------------ error IDs */

static void test_error_ids_come_from_table_cells(void) {
    kb_doc doc;
    S_parse_file("tests/data/md/quirks.md", NULL, &doc);
    kb_section *s = S_find(&doc, "error-table");
    int found = 0;
    for (int i = 0; s && i < s->ids.n; i++)
        if (strcmp(s->ids.a[i].key, "0x80070570") == 0) found = 1;
    CHECK(found);
    kb_doc_free(&doc);
}

/* ---------------------------------------------------- reference links */

/* Older docs define their links' targets once, at the end. */
static const char S_zRefDoc[] =
    "# Guide\n"
    "\n"
    "## Connect\n"
    "\n"
    "| Problem | Resolution |\n"
    "| --- | --- |\n"
    "| Cannot connect | Use [SSMS][] or [the guide][GUÍA   RÁPIDA]. |\n"
    "\n"
    "Also [ssms] and [no such label].\n"
    "\n"
    "## Other\n"
    "\n"
    "No links here.\n"
    "\n"
    "## Resources\n"
    "\n"
    "- [Forum]\n"
    "\n"
    "<!--Article references-->\n"
    "[SSMS]: https://example.com/ssms\n"
    "[guía rápida]:\n"
    "  ./quick.md#start\n"
    "  \"Quick start\"\n"
    "[Forum]: https://example.com/forum\n"
    "[ssms]: https://example.com/second-ssms\n"
    "[unused]: https://example.com/unused\n";

static int S_count(const char *z, const char *needle) {
    int n = 0;
    for (const char *p = strstr(z, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static void test_reference_links_take_their_definitions_from_elsewhere_in_the_document(void) {
    kb_md_opts o = {.docPath = "articles/guide.md"};
    kb_doc doc;
    CHECK_INT(kb_md_parse(S_zRefDoc, strlen(S_zRefDoc), &o, &doc), KB_OK);
    kb_section *s = S_find(&doc, "connect");
    CHECK(s && strstr(s->markdown, "\n\n[SSMS]: https://example.com/ssms\n"));
    /* Labels match case folded, whitespace collapsed; a title on its own line comes along. */
    CHECK(s && strstr(s->markdown, "[guía rápida]:\n  ./quick.md#start\n  \"Quick start\"\n"));
    /* The first definition of a label counts; unused ones stay behind. */
    CHECK(s && !strstr(s->markdown, "second-ssms") && !strstr(s->markdown, "unused") && !strstr(s->markdown, "forum"));
    CHECK(s && s->line == 3);
    CHECK(s && strstr(s->view.markdown, "[SSMS](https://example.com/ssms)"));
    CHECK(s && strstr(s->view.markdown, "articles/quick.md#start"));
    CHECK(s && strstr(s->view.links, "https://example.com/ssms"));
    CHECK(s && !strstr(s->view.text, "[SSMS]"));
    CHECK(s && strstr(s->view.text, "[no such label]"));
    s = S_find(&doc, "other");
    CHECK(s && strcmp(s->markdown, "## Other\n\nNo links here.\n\n") == 0);
    /* The section that holds the definitions gets no second copy. */
    s = S_find(&doc, "resources");
    CHECK(s && S_count(s->markdown, "[Forum]: https://example.com/forum") == 1);
    CHECK(s && strstr(s->view.links, "https://example.com/forum"));
    kb_doc_free(&doc);
}

static void test_references_without_definition_are_reported_where_written(void) {
    kb_md_opts o = {.docPath = "a.md", .readInclude = S_read_include};
    kb_doc doc;
    const char *src = "# T\n\nSee [SSMS][] and\n*[the guide][guía]* here.\n\n[!INCLUDE [b](../includes/broken.md)]\n";
    CHECK_INT(kb_md_parse(src, strlen(src), &o, &doc), KB_OK);
    const kb_diag *d = S_find_diag(&doc, "[SSMS][]");
    CHECK(d && d->line == 3 && d->severity == KB_DIAG_WARNING && strstr(d->message, "has no definition"));
    CHECK(d && d->code == KB_DIAG_UNDEFINED_REFERENCE);
    d = S_find_diag(&doc, "[the guide][guía]");
    CHECK(d && d->line == 4);
    /* The included file's own reference is reported when it is checked. */
    CHECK(S_find_diag(&doc, "[inside][]") == NULL);
    CHECK(doc.nSection == 1 && strstr(doc.aSection[0].markdown, "[inside][]"));
    CHECK_INT(doc.nDiag, 2);
    kb_doc_free(&doc);
}

static void test_a_definition_cmark_reads_as_code_is_named(void) {
    kb_doc doc;
    const char *src = "# T\n\nSee [x][].\n\n```\n[x]: https://e.x\n```\n";
    CHECK_INT(kb_md_parse(src, strlen(src), NULL, &doc), KB_OK);
    const kb_diag *d = S_find_diag(&doc, "[x][]");
    CHECK(d && d->line == 3 && strstr(d->message, "line 6 looks like one"));
    kb_doc_free(&doc);
}

static void test_reference_definitions_carried_are_bounded_by_the_document(void) {
    /* One long definition used by 5,000 short sections: copying it into
     * each would turn 110 KB into 500 MB. */
    kb_buf b = {0};
    for (int i = 0; i < 5000; i++) kb_buf_adds(&b, "## S\n\n[a]\n\n");
    kb_buf_adds(&b, "[a]: https://example.com/");
    for (int i = 0; i < 50000; i++) kb_buf_addc(&b, 'x');
    kb_buf_adds(&b, "\n");
    kb_doc doc;
    CHECK_INT(kb_md_parse(b.z, b.n, NULL, &doc), KB_OK);
    CHECK_INT(doc.nSection, 5000);
    size_t nAll = 0;
    for (int i = 0; i < doc.nSection; i++) nAll += strlen(doc.aSection[i].markdown);
    CHECK(nAll <= b.n + 50026 * 4 + 64 * 1024);
    CHECK(doc.nSection > 2 && strstr(doc.aSection[0].markdown, "[a]: https://example.com/xxx"));
    kb_doc_free(&doc);
    kb_buf_free(&b);
}

/* ------------------------------------------------------------- hostile */

static void S_parse_hostile(const char *what, const char *z, size_t n) {
    clock_t t0 = clock();
    kb_doc doc;
    CHECK_INT(kb_md_parse(z, n, NULL, &doc), KB_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs > 20) fprintf(stderr, "%s took %.1f s\n", what, secs);
    CHECK(secs < 20);
    kb_doc_free(&doc);
}

static void test_hostile_inputs_do_not_crash_or_go_quadratic(void) {
    kb_buf b = {0};
    for (int i = 0; i < 10000; i++) kb_buf_adds(&b, "> ");
    kb_buf_adds(&b, "# deep\n");
    S_parse_hostile("10,000 nested blockquotes", b.z, b.n);

    kb_buf_reset(&b);
    for (int i = 0; i < 10000; i++) kb_buf_adds(&b, "- ");
    kb_buf_adds(&b, "item\n");
    S_parse_hostile("10,000 nested lists on a line", b.z, b.n);

    kb_buf_reset(&b);
    for (int i = 0; i < 3000; i++) {
        for (int k = 0; k < i; k++) kb_buf_addc(&b, ' ');
        kb_buf_adds(&b, "- x\n");
    }
    S_parse_hostile("3,000 indented nested lists", b.z, b.n);

    kb_buf_reset(&b);
    kb_buf_adds(&b, "# T\n\n");
    for (int row = 0; row < 3; row++) {
        for (int i = 0; i < 5000; i++) kb_buf_adds(&b, row == 1 ? "|---" : "| 0x8007000e ");
        kb_buf_adds(&b, "|\n");
    }
    kb_buf_adds(&b, "| short |\n");
    S_parse_hostile("table of 5,000 columns", b.z, b.n);

    kb_buf_reset(&b);
    kb_buf_adds(&b, "##");
    for (int i = 0; i < (1 << 20); i++) kb_buf_addc(&b, "a[<`*_|#"[i % 8]);
    kb_buf_adds(&b, "\n");
    S_parse_hostile("1 MB heading line", b.z, b.n);

    kb_buf_reset(&b);
    for (int i = 0; i < 20000; i++) kb_buf_adds(&b, "## Same\n<a name=\"x\"></a>\n");
    S_parse_hostile("20,000 identical headings", b.z, b.n);

    kb_buf_reset(&b);
    kb_buf_adds(&b, "# T\n\n");
    for (int i = 0; i < 100000; i++) kb_buf_addf(&b, "[r%d][] ", i);
    kb_buf_adds(&b, "\n");
    S_parse_hostile("100,000 undefined references on one line", b.z, b.n);

    kb_buf_reset(&b);
    kb_buf_adds(&b, "# T\n\n[a][]\n\n## U\n\n[a]: /u \"");
    for (int i = 0; i < 200000; i++) kb_buf_adds(&b, "x\n");
    kb_buf_adds(&b, "\"\n");
    S_parse_hostile("a definition with a 200,000-line title", b.z, b.n);

    kb_buf_reset(&b);
    static const char zBroken[] = "---\ntitle: [\n```\n# after unclosed fence\n\0binary\xff\xfe\n";
    kb_buf_add(&b, zBroken, sizeof zBroken - 1);
    S_parse_hostile("broken everything", b.z, b.n);

    kb_buf_reset(&b);
    for (int i = 0; i < 200000; i++) kb_buf_adds(&b, "    ```x\n");
    S_parse_hostile("200,000 indented fence lines nothing closes", b.z, b.n);

    kb_buf_reset(&b);
    for (int i = 0; i < 100000; i++) kb_buf_adds(&b, "<table>\n\n");
    S_parse_hostile("100,000 HTML tables nothing closes", b.z, b.n);
    kb_buf_free(&b);
}

/* A blank line in an HTML table ended its HTML block, and CommonMark read
 * the indented markup after it as code: the table is kept whole. */
static void test_html_table_with_blank_lines_stays_one_block(void) {
    static const char zMd[] = "# T\n\n<table>\n  <tr>\n    <td>\n      <p>Error 6800</p>\n\n"
                              "      <p>Restart the service.</p>\n    </td>\n  </tr>\n</table>\n\nAfter.\n";
    kb_doc doc;
    kb_md_opts o = {.docPath = "es-es/t.md"};
    CHECK_INT(kb_md_parse(zMd, sizeof zMd - 1, &o, &doc), KB_OK);
    CHECK_INT(doc.nSection, 1);
    if (doc.nSection == 1) {
        CHECK(strstr(doc.aSection[0].markdown, "<p>Error 6800</p>\n      <p>Restart") != NULL);
        CHECK(strstr(doc.aSection[0].view.text, "Restart the service.") != NULL);
        CHECK(strstr(doc.aSection[0].view.text, "<p>") == NULL && strstr(doc.aSection[0].view.text, "</td>") == NULL);
        CHECK(strstr(doc.aSection[0].view.text, "After.") != NULL);
    }
    kb_doc_free(&doc);
}

/* "    ```" under a paragraph is a line of indented code, which nothing
 * below closes: the rest of the document is no fenced code, and its
 * includes and DocFX headings are read. */
static void test_indented_fence_line_nothing_closes_is_no_fence(void) {
    kb_md_opts o = {.docPath = "doc.md", .readInclude = S_read_include};
    kb_doc doc;
    const char *src = "# Title\n\nIntro.\n\n    ```\n    indented code\n\n[!INCLUDE [leaf](leaf.md)]\n\n"
                      "##Second heading\n\nMore.\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    kb_section *s = S_find(&doc, "second-heading");
    CHECK(s != NULL);
    s = S_find(&doc, "title");
    CHECK(s && strstr(s->markdown, "Leaf text.") != NULL);
    kb_doc_free(&doc);
    /* indented under a list item, with its closing line, it is a fence */
    src = "# Title\n\n1. Run:\n\n    ```\n    ## not a heading\n    ```\n";
    kb_md_parse(src, strlen(src), &o, &doc);
    CHECK_INT(doc.nSection, 1);
    kb_doc_free(&doc);
}

KB_TEST_MAIN(test_mars_has_one_section_per_heading_of_level_1_to_3,
             test_mars_anchor_heading_and_breadcrumb_are_what_a_reader_sees,
             test_section_split_keeps_table_rows_together,
             test_mars_front_matter_is_metadata_not_text,
             test_mars_internal_links_keep_their_original_line,
             test_text_before_first_heading_belongs_to_first_section,
             test_heading_without_space_is_a_heading,
             test_headings_in_code_blocks_are_not_headings,
             test_deeper_headings_stay_in_parent_section,
             test_several_anchors_in_heading_become_aliases,
             test_slug_is_github_style,
             test_duplicate_anchors_are_numbered_and_explicit_ones_warn,
             test_front_matter_fields_are_read,
             test_broken_front_matter_is_an_error_and_body_survives,
             test_unclosed_quote_in_front_matter_is_reported_where_it_opens,
             test_front_matter_error_is_reported_at_its_own_line,
             test_unclosed_front_matter_is_reported, test_locale_tag_that_is_none_is_reported,
             test_old_properties_and_tags_are_metadata,
             test_anchor_line_above_heading_is_an_alias,
             test_old_alerts_become_docfx_alerts_and_selectors_vanish, test_tabs_zones_and_monikers_stay_in_their_section, test_docfx_images_code_samples_and_videos_read_as_shown, test_html_table_with_blank_lines_stays_one_block, test_tab_groups_end_after_an_include_or_a_code_block, test_fence_left_open_by_an_include_ends_with_it,
             test_line_numbers_refer_to_original_document,
             test_table_rows_with_wrong_cell_count_warn,
             test_only_internal_links_are_collected,
             test_document_without_heading_is_one_level_0_section,
             test_includes_expand_in_place_with_original_lines,
             test_include_depth_is_bounded, test_include_path_in_angle_brackets, test_include_path_with_spaces_and_titles,
             test_include_followed_by_text_on_its_line,
             test_indented_fence_line_nothing_closes_is_no_fence,
             test_root_include_resolves_its_own_includes,
             test_include_links_resolve_against_the_include, test_include_count_is_bounded, test_deeply_nested_front_matter_is_refused,
             test_include_growth_is_bounded,
             test_includes_without_reader_stay_text,
             test_error_ids_come_from_table_cells,
             test_reference_links_take_their_definitions_from_elsewhere_in_the_document,
             test_references_without_definition_are_reported_where_written,
             test_a_definition_cmark_reads_as_code_is_named,
             test_reference_definitions_carried_are_bounded_by_the_document,
             test_hostile_inputs_do_not_crash_or_go_quadratic)
