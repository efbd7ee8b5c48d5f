/* test_render.c: text and Markdown of sections (their remediation records:
 * test_remedy.c; their links: test_links.c). */
#define _GNU_SOURCE /* memmem */
#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_links.h"
#include "kb_remedy.h"
#include "kb_render.h"
#include "kb_test.h"
#include "kb_test_doc.h"
#include "kb_util.h"

#include <ctype.h>
#include <dirent.h>
#include <time.h>
#include <utf8proc.h>

#define MARS_ES "corpus/es-es/backup-azure-mars-troubleshoot.md"

static char *S_text(const char *md, int width, const char *docPath) {
    kb_buf out = {0};
    kb_render_opts o = {.width = width, .docPath = docPath};
    kb_render_text(md, strlen(md), &o, &out);
    return kb_buf_detach(&out);
}

static int S_has_line(const char *z, const char *line) {
    size_t n = strlen(line);
    for (const char *p = z; p; p = strchr(p, '\n')) {
        if (*p == '\n') p++;
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == 0)) return 1;
    }
    return 0;
}

/* An HTML tag name after '<' as the docs use them, e.g. "<br/>", "</li>". */
static int S_has_tag(const char *z) {
    static const char *aTag[] = {"br", "ul", "ol", "li", "p", "a", "b", "i", "strong", "em", "code",
                                 "span", "div", "img", "sup", "sub", "table", "tr", "td", "th", "!--"};
    for (const char *p = strchr(z, '<'); p; p = strchr(p + 1, '<')) {
        const char *q = p + 1 + (p[1] == '/');
        for (size_t i = 0; i < sizeof aTag / sizeof aTag[0]; i++) {
            size_t n = strlen(aTag[i]);
            if (strncasecmp(q, aTag[i], n) == 0 && !isalnum((unsigned char)q[n])) return 1;
        }
    }
    return 0;
}

/* A line of zSource kept verbatim (a code block line). */
static int S_verbatim(const char *p, size_t n, const char *zSource, size_t nSource) {
    size_t nIndent = strspn(p, " ");
    return zSource && n > nIndent + 0 && memmem(zSource, nSource, p + nIndent, n - nIndent) != NULL;
}

/* 1 if the '|' at p was written escaped ("a \\| b") in the source: content,
 * such as a shell pipe in a table cell, not a table's column boundary. */
static int S_escaped_in_source(const char *z, const char *p, const char *zSource, size_t nSource) {
    if (!zSource) return 0;
    /* a few characters either side, on the pipe's own line (it may be wrapped) */
    const char *b = p;
    while (b > z && p - b < 6 && b[-1] != '\n') b--;
    size_t nAfter = 0;
    while (nAfter < 6 && p[1 + nAfter] && p[1 + nAfter] != '\n') nAfter++;
    char want[32];
    int n = snprintf(want, sizeof want, "%.*s\\|%.*s", (int)(p - b), b, (int)nAfter, p + 1);
    return n > 0 && memmem(zSource, nSource, want, (size_t)n) != NULL;
}

/* A '|' that is not between two words like "(y|n)", outside code blocks. */
static int S_has_table_pipe(const char *z, const char *zSource, size_t nSource) {
    for (const char *p = strchr(z, '|'); p; p = strchr(p + 1, '|')) {
        if (!(p == z || p[-1] == ' ' || p[-1] == '\n' || p[1] == ' ' || p[1] == '\n' || p[1] == 0 || p[1] == '|' ||
              p[-1] == '|'))
            continue;
        if (S_escaped_in_source(z, p, zSource, nSource)) continue;
        const char *b = p;
        while (b > z && b[-1] != '\n') b--;
        if (!S_verbatim(b, strcspn(b, "\n"), zSource, nSource)) return 1;
    }
    return 0;
}

static int S_verbatim(const char *p, size_t n, const char *zSource, size_t nSource);

/* Display columns of one line (no escape codes in it). */
static int S_cols(const char *z, size_t n) {
    int w = 0;
    for (size_t i = 0; i < n;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)z + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { k = 1; cp = '?'; }
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? cw : 0;
        i += (size_t)k;
    }
    return w;
}

/* Lines wider than width that are not a single unbreakable token (after
 * their indentation and an optional bullet / label / "(→") nor a line of a
 * code block (found verbatim in zSource). Returns the first offender or NULL. */
static const char *S_overlong_in(const char *z, int width, const char *zSource, size_t nSource) {
    for (const char *p = z; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!S_verbatim(p, n, zSource, nSource) && S_cols(p, n) > width) {
            const char *s = p;
            while (s < p + n && (*s == ' ' || *s == '>')) s++; /* indentation and quote bars */
            const char *sp = memchr(s, ' ', (size_t)(p + n - s));
            /* a token too long for any line, maybe after "(→" or a bullet */
            int ok = 0;
            if (!sp) ok = 1;
            else if (!memchr(sp + 1, ' ', (size_t)(p + n - sp - 1))) {
                size_t head = (size_t)(sp - s);
                ok = (head <= 4) || S_cols(sp + 1, (size_t)(p + n - sp - 1)) > width / 2;
            }
            if (!ok) return p;
        }
        if (!e) break;
        p = e + 1;
    }
    return NULL;
}

static const char *S_overlong(const char *z, int width) { return S_overlong_in(z, width, NULL, 0); }

static void test_vault_credentials_table_becomes_labelled_blocks(void) {
    char *md = kb_test_section(MARS_ES, "invalid-vault-credentials-provided");
    char *t = S_text(md, 80, "es-es/backup-azure-mars-troubleshoot.md");
    CHECK(S_has_line(t, "Se han proporcionado credenciales de almacén no válidas"));
    CHECK(S_has_line(t, "Cause:"));
    CHECK(S_has_line(t, "  Las credenciales de almacén no son válidas"));
    CHECK(S_has_line(t, "Recommended actions:"));
    CHECK(S_has_line(t, "Cause: El software antivirus está bloqueando el registro"));
    CHECK(S_has_line(t, "  - CBengine.exe"));
    CHECK(S_has_line(t, "  - CSC.exe"));
    CHECK(strstr(t, "  - Acuda al equipo de TI para asegurarse") != NULL);
    CHECK(S_has_line(t, "    www.msftncsi.com"));
    CHECK(strstr(t, "(→ es-es/backup-azure-mars-troubleshoot.md#verifying-proxy-settings-for-windows)") != NULL);
    CHECK(!S_has_tag(t));
    CHECK(!S_has_table_pipe(t, NULL, 0));
    CHECK(!strchr(t, '\033'));
    free(t);
    free(md);
}

static void test_warning_codes_table_in_list_becomes_blocks(void) {
    char *md = kb_test_section(MARS_ES, "backup-jobs-completed-with-warning");
    char *t = S_text(md, 80, "es-es/backup-azure-mars-troubleshoot.md");
    CHECK(S_has_line(t, "  Error: 0x80070570"));
    CHECK(S_has_line(t, "  Cause: El archivo o directorio está dañado o es ilegible."));
    CHECK(S_has_line(t, "  Recommended actions: Ejecute chkdsk en el volumen de origen."));
    CHECK(S_has_line(t, "  Error: 0x80070002, 0x80070003"));
    CHECK(S_has_line(t, "  Recommended actions:"));
    CHECK(S_has_line(t, "    Compruebe si existe el volumen donde se ha configurado el espacio de desecho"));
    CHECK(S_has_line(t, "  [image: Trabajo de copia de seguridad completada con advertencias]"));
    CHECK(!S_has_tag(t));
    CHECK(!S_has_table_pipe(t, NULL, 0));
    free(t);
    free(md);
}

static void test_alerts_become_labelled_notes(void) {
    const char *md = "> [!NOTE]\n> Keep the passphrase safe.\n\n> [!WARNING]\n> Do not delete the vault.\n\n"
                     "> [AZURE.NOTE] Defragment the disks.\n\n> A plain quote.\n";
    char *t = S_text(md, 80, "en-us/x.md");
    CHECK_STR(t, "Note: Keep the passphrase safe.\n\nWarning: Do not delete the vault.\n\n"
                 "Note: Defragment the disks.\n\n> A plain quote.\n");
    free(t);
}

static void test_nested_lists_indent_and_number(void) {
    const char *md = "1. First step\n1. Second step\n   - detail a\n   - detail b\n     1. deeper\n1. Third\n\n"
                     "```\ncode  stays   verbatim\n```\n";
    char *t = S_text(md, 80, "en-us/x.md");
    CHECK_STR(t, "1. First step\n2. Second step\n   - detail a\n   - detail b\n     1. deeper\n3. Third\n\n"
                 "    code  stays   verbatim\n");
    free(t);
}

static void test_cell_lists_become_bullets(void) {
    size_t n;
    char *md = kb_test_read("tests/data/render/cell-lists.md", &n);
    char *t = S_text(md, 60, "en-us/cell-lists.md");
    CHECK_STR(t, "Error: Backup failed (ID: 100050)\n"
                 "Cause:\n"
                 "  - The proxy blocks the connection\n"
                 "  - The firewall blocks it\n"
                 "Recommended actions:\n"
                 "  Do this:\n"
                 "  1. Open Internet Explorer\n"
                 "  2. Go to Tools > Options\n"
                 "     - Security <zone> & more\n"
                 "  Then retry.\n");
    free(t);
    free(md);
}

static void test_plain_table_is_grid_when_it_fits_else_blocks(void) {
    const char *md = "| Counter | Status |\n|---|---|\n| Disk | OK |\n| Network | Degraded |\n";
    char *t = S_text(md, 80, "en-us/x.md");
    CHECK_STR(t, "Counter  Status\n-------  --------\nDisk     OK\nNetwork  Degraded\n");
    free(t);
    t = S_text(md, 0, "en-us/x.md");
    CHECK_STR(t, "Counter: Disk\nStatus: OK\n\nCounter: Network\nStatus: Degraded\n");
    free(t);
}

/* Older docs name a heading's place with '<a name="x"></a>': nothing a
 * reader sees, and nothing a bot's Markdown should carry; a link keeps its
 * own '<a href>'. */
static void test_anchor_tags_leave_the_markdown(void) {
    const char *md = "## <a name=\"public-ip\"></a>Direcciones IP\n\n<a id='cause1'/>Causa uno y "
                     "<a href=\"https://example.com\">un enlace</a>.\n";
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "es-es/ip.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    const char *z = kb_buf_str(&out);
    CHECK(strstr(z, "## Direcciones IP\n") != NULL && strstr(z, "name=") == NULL && strstr(z, "id=") == NULL);
    CHECK(strstr(z, "Causa uno y <a href=\"https://example.com\">un enlace</a>.") != NULL);
    kb_buf_free(&out);
    char *t = S_text(md, 80, "es-es/ip.md");
    CHECK(strstr(t, "Direcciones IP\n") != NULL && strstr(t, "Causa uno y un enlace") != NULL);
    free(t);
}

static char *S_index_text(const char *text) {
    kb_buf out = {0};
    kb_render_index_text(text, strlen(text), &out);
    return kb_buf_detach(&out);
}

static void test_index_text_drops_link_references(void) {
    const char *md = "# Agent\n\nSee [faq](./faq.yml#x), [here](#anchor), [site](https://example.com/a), "
                     "[again](https://example.com/a) and [other](https://contoso.com/b).\n";
    char *t = S_text(md, 0, "es-es/doc.md");
    char *w = S_index_text(t);
    CHECK_STR(w, "Agent\n\nSee faq, here, site, again and other.\n\n");
    free(w);
    free(t);
    /* What only looks like a reference is text: a "[2]" with one URL listed,
     * a "[1]" with no list, an arrow with no closing parenthesis, a list
     * that does not run to the end (not the renderer's). */
    static const char *const aCase[][2] = {
        {"a [2] b [1] c\n\nLinks:\n[1] https://x\n", "a [2] b c\n\n"},
        {"note [1] and (\xe2\x86\x92 unclosed\nline)", "note [1] and (\xe2\x86\x92 unclosed\nline)"},
        {"x [1]\n\nLinks:\n[1] https://x\nmore text\n", "x [1]\n\nLinks:\n[1] https://x\nmore text\n"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof aCase / sizeof aCase[0]; i++) {
        w = S_index_text(aCase[i][0]);
        CHECK_STR(w, aCase[i][1]);
        free(w);
    }
}

/* DocFX ":::" directives (zone pivots, images) are lines of a paragraph
 * to CommonMark: only the directive line goes, the text beside it stays,
 * in the text shown and in the text indexed; an image keeps its alt text. */
static void test_docfx_directive_lines_drop_alone(void) {
    const char *md = "# Zones\n\n::: zone pivot=\"linux\"\nTight zonetightword text.\n::: zone-end\n\n"
                     ":::image type=\"content\" source=\"a.png\" alt-text=\"Shot\":::\n"
                     "Following imgfollowword text.\n\n"
                     "Before beforeword\n  :::column:::\nafter afterword\n\n::: zone-end\n";
    char *t = S_text(md, 0, "d.md");
    CHECK_STR(t, "Zones\n\nTight zonetightword text.\n\n[image: Shot]\nFollowing imgfollowword text.\n\n"
                 "Before beforeword\nafter afterword\n");
    char *w = S_index_text(t);
    CHECK(strstr(w, "zonetightword") && strstr(w, "imgfollowword") && strstr(w, "beforeword") &&
          strstr(w, "afterword") && !strstr(w, ":::"));
    free(w);
    free(t);
    t = S_text(md, 30, "d.md"); /* wrapped: still one directive line dropped, not the paragraph */
    CHECK(strstr(t, "zonetightword") && strstr(t, "imgfollowword") && !strstr(t, ":::"));
    free(t);
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "d.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    CHECK(strstr(kb_buf_str(&out), "Tight zonetightword text.") && strstr(kb_buf_str(&out), "imgfollowword"));
    kb_buf_free(&out);
    /* nor is a directive an action of a remediation record */
    const char *rem = "**Error message**: Boom\n\n**Recommended action**: Restart it.\n"
                      ":::image type=\"content\" source=\"a.png\" alt-text=\"The button\":::\nThen retry.\n";
    kb_remedy *a = NULL;
    int n = 0;
    kb_remedy_extract(rem, strlen(rem), &a, &n);
    CHECK_INT(n, 1);
    for (int i = 0; i < n; i++)
        for (int k = 0; k < a[i].nAction; k++) CHECK(!strstr(a[i].aAction[k], ":::"));
    kb_remedy_free(a, n);
}

/* A '|' next to a space in prose is a table row the author broke, shown
 * as a line break; a heading is no table row: "A | B testing" stays. */
static void test_heading_keeps_its_pipe(void) {
    char *t = S_text("## A | B testing\n\nRows: | a | b |\n", 80, "es-es/ab.md");
    CHECK(S_has_line(t, "A | B testing"));
    CHECK(strstr(t, "| a") == NULL);
    free(t);
}

/* A '|' in a line of prose is the author's (a menu path, a shell "||"),
 * unless the line reads as a table row a list broke: it starts or ends
 * with '|', or has a cell's "<br>". The first had shown "Tasks", "Stretch"
 * and "Monitor" on lines of their own. */
static void test_prose_keeps_its_pipes(void) {
    char *t = S_text("Select Tasks | Stretch | Monitor, or run x || y.\n\nA menu **| Estirar | Monitor** path.\n"
                     "\n* Cause: <br>Fix it. | Read more.\n* Second | item |\n",
                     0, "en-us/p.md");
    CHECK(S_has_line(t, "Select Tasks | Stretch | Monitor, or run x || y."));
    CHECK(S_has_line(t, "A menu | Estirar | Monitor path."));
    CHECK(strstr(t, "Fix it. |") == NULL && strstr(t, "Second |") == NULL && strstr(t, "item |") == NULL);
    free(t);
}

/* An alert's marker stays as DocFX reads it, in either case: CommonMark
 * escapes it ("\\[\\!note\\]"), which no DocFX reader takes for an alert. */
static void test_markdown_keeps_alert_markers_in_either_case(void) {
    const char *md = "> [!NOTE]\n> Upper.\n\n> [!note]\n> Lower.\n\nA [!link] in text.\n";
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "en-us/doc.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    const char *z = kb_buf_str(&out);
    CHECK(strstr(z, "> [!NOTE]\n> Upper.") != NULL && strstr(z, "> [!note]\n> Lower.") != NULL);
    kb_buf_free(&out);
}

static void test_markdown_rewrites_relative_links(void) {
    const char *md = "# Title\n\nSee [faq](./faq.yml#x) and [web](https://example.com).\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
                     "\n![pic](./media/a.png) ![web](https://example.com/b.png)\n";
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "es-es/doc.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    CHECK(strstr(kb_buf_str(&out), "[faq](es-es/faq.yml#x)") != NULL);
    /* images as links: from the corpus root */
    CHECK(strstr(kb_buf_str(&out), "![pic](es-es/media/a.png)") != NULL);
    CHECK(strstr(kb_buf_str(&out), "![web](https://example.com/b.png)") != NULL);
    CHECK(strstr(kb_buf_str(&out), "[web](https://example.com)") != NULL);
    CHECK(strstr(kb_buf_str(&out), "| A | B |") != NULL);
    kb_buf_free(&out);
}

/* A reference whose label the section does not define is shown as its
 * text, in the text and in the Markdown, emphasis kept; a bracketed word,
 * an index after a word, code and a defined reference are left alone. */
static void test_undefined_references_show_as_their_text(void) {
    const char *md = "Vea [la guía de **máquinas** virtuales][] y [otro][ref] aquí: [corto], a[0][1],\n"
                     "`[c][d]`, [texto\nlargo][], [x][*y*] y [bien][def].\n\n[def]: https://example.com/def\n";
    char *t = S_text(md, 0, "es-es/doc.md");
    CHECK_STR(t, "Vea la guía de máquinas virtuales y otro aquí: [corto], a[0][1], [c][d], texto largo, x y "
                 "bien [1].\n\nLinks:\n[1] https://example.com/def\n");
    free(t);
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "es-es/doc.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    CHECK(strstr(kb_buf_str(&out), "Vea la guía de **máquinas** virtuales y otro aquí") != NULL);
    CHECK(strstr(kb_buf_str(&out), "texto\nlargo, x y [bien](https://example.com/def)") != NULL);
    CHECK(strstr(kb_buf_str(&out), "\\[corto\\]") != NULL);
    CHECK(strstr(kb_buf_str(&out), "a\\[0\\]\\[1\\]") != NULL); /* escaped, as all literal brackets */
    kb_buf_free(&out);
}

static void test_html_to_text_handles_cell_markup(void) {
    kb_buf b = {0};
    const char *z = "A&nbsp;&lt;b&gt; &amp; c<br/>d</br><ul><li>x<li>y<ol><li>z</li></ol></ul><!-- gone -->"
                    "<a name=\"q\"></a><b>e</b>";
    kb_html_to_text(z, strlen(z), &b);
    CHECK_STR(kb_buf_str(&b), "A <b> & c\nd\n- x\n- y\n  1. z\ne");
    kb_buf_free(&b);
}

/* Azure docs write placeholders in angle brackets, which CommonMark reads
 * as inline HTML: a name that is no HTML element keeps them as text in the
 * text, the remediation records, the index text and the Markdown, while
 * real tags keep their effect. */
static void test_placeholders_in_angle_brackets_stay_text(void) {
    const char *md = "## Proxy\n\n"
                     "| Error | Cause | Recommended action |\n|---|---|---|\n"
                     "| Invalid parameter | Bad URI. | Utilice el siguiente formato: "
                     "http://*<IP address or FQDN of the web proxy server>*:*<TCP port number>* |\n\n"
                     "Run it in <your-resource-group> for <subscription ID>, <Data source name>,<br>"
                     "<b>bold</b> and <a href=\"https://example.com/x\">a link</a><sup>1</sup>.\n";
    char *t = S_text(md, 0, "es-es/doc.md");
    CHECK(strstr(t, "Utilice el siguiente formato: http://<IP address or FQDN of the web proxy server>:"
                    "<TCP port number>") != NULL);
    CHECK(strstr(t, "Run it in <your-resource-group> for <subscription ID>, <Data source name>,\nbold and "
                    "a link1.") != NULL);
    CHECK(!S_has_tag(t));
    kb_buf words = {0};
    kb_render_index_text(t, strlen(t), &words);
    CHECK(strstr(kb_buf_str(&words), "FQDN of the web proxy server") != NULL);
    kb_buf_free(&words);
    free(t);
    kb_remedy *a = NULL;
    int n = 0;
    kb_remedy_extract(md, strlen(md), &a, &n);
    CHECK_INT(n, 1);
    if (n == 1 && a[0].nAction == 1)
        CHECK_STR(a[0].aAction[0], "Utilice el siguiente formato: http://<IP address or FQDN of the web proxy "
                                   "server>:<TCP port number>");
    kb_remedy_free(a, n);
    /* The Markdown escapes them: a viewer would drop an unknown tag. */
    kb_buf out = {0};
    kb_render_opts o = {.docPath = "es-es/doc.md"};
    kb_render_markdown(md, strlen(md), &o, &out);
    const char *m = kb_buf_str(&out);
    CHECK(strstr(m, "http://*\\<IP address or FQDN of the web proxy server\\>*:*\\<TCP port number\\>*") != NULL);
    CHECK(strstr(m, "\\<your-resource-group\\>") != NULL);
    CHECK(strstr(m, "<b>bold</b>") != NULL && strstr(m, "<a href=\"https://example.com/x\">") != NULL);
    /* and reads back as the same text */
    char *t2 = S_text(m, 0, "es-es/doc.md");
    CHECK(strstr(t2, "http://<IP address or FQDN of the web proxy server>:<TCP port number>") != NULL);
    free(t2);
    kb_buf_free(&out);
}

/* HTML blocks and table cells go through kb_html_to_text: placeholders are
 * text there too; tags, Word's "<o:p>" and DocFX's "<properties/>" are not. */
static void test_html_to_text_keeps_placeholders(void) {
    kb_buf b = {0};
    const char *z = "<p>Set <IP address> and </IP> <your-resource-group> <o:p></o:p>"
                    "<properties pageTitle=\"x\" />, <td nowrap>cell</td> <link to VM Scale Set JSON template>"
                    "<BR/><SPAN class=\"x\">end</SPAN></p>";
    kb_html_to_text(z, strlen(z), &b);
    CHECK_STR(kb_buf_str(&b), "Set <IP address> and </IP> <your-resource-group> , cell "
                              "<link to VM Scale Set JSON template>\nend");
    kb_buf_free(&b);
    /* every element name of the list is found (it must stay sorted) */
    static const char *aTag[] = {"<a>", "<ABBR>", "<br>", "<h6>", "<img src=x>", "<isindex>", "<multicol>",
                                 "<nextid>", "<xmp>", "<wbr>", "</ul>", "<video controls>", "<td nowrap>"};
    for (size_t i = 0; i < sizeof aTag / sizeof aTag[0]; i++) CHECK(!kb_html_is_text(aTag[i], strlen(aTag[i])));
    static const char *aText[] = {"<IP address or FQDN of the web proxy server>", "<TCP port number>",
                                  "<subscription ID>", "<server>", "<c0>", "<Data source name>", "</type>"};
    for (size_t i = 0; i < sizeof aText / sizeof aText[0]; i++) CHECK(kb_html_is_text(aText[i], strlen(aText[i])));
}

static void test_color_makes_headings_bold(void) {
    const char *md = "## Heading\n\nThe vault credentials expired.\n";
    kb_buf out = {0};
    kb_render_opts o = {.width = 80, .color = 1, .docPath = "en-us/x.md"};
    kb_render_text(md, strlen(md), &o, &out);
    CHECK(strstr(kb_buf_str(&out), "\033[1mHeading\033[0m") != NULL);
    kb_buf_free(&out);
}

/* Marks every occurrence of the word ctx in text[0..n), as a matcher would. */
static void S_mark_word(void *ctx, const char *text, size_t n, unsigned char *aBold) {
    const char *word = ctx;
    size_t len = strlen(word);
    for (size_t i = 0; i + len <= n; i++)
        if (strncasecmp(text + i, word, len) == 0) memset(aBold + i, 1, len);
}

static void test_highlight_wraps_matching_words_only(void) {
    const char *md = "The vault credentials expired.\n";
    kb_buf out = {0};
    kb_render_opts o = {.width = 80, .color = 1, .markMatches = S_mark_word, .matchCtx = "vault",
                        .docPath = "en-us/x.md"};
    kb_render_text(md, strlen(md), &o, &out);
    CHECK_STR(kb_buf_str(&out), "The \033[1mvault\033[0m credentials expired.\n");
    kb_buf_reset(&out);
    o.color = 0;
    kb_render_text(md, strlen(md), &o, &out);
    CHECK_STR(kb_buf_str(&out), "The vault credentials expired.\n");
    kb_buf_reset(&out);
    /* Where a link goes matched nothing: its words are not indexed. */
    const char *link = "See [the vault](#vault-credentials).\n";
    o.color = 1;
    kb_render_text(link, strlen(link), &o, &out);
    CHECK_STR(kb_buf_str(&out), "See the \033[1mvault\033[0m (\xe2\x86\x92 en-us/x.md#vault-credentials).\n");
    kb_buf_free(&out);
}

/* Marks one byte inside "デ": a callback need not know UTF-8. */
static void S_mark_inside(void *ctx, const char *z, size_t n, unsigned char *aBold) {
    (void)ctx;
    const char *at = strstr(z, "デ");
    if (at && (size_t)(at - z) + 1 < n) aBold[at - z + 1] = 1;
}

/* A CJK word is cut into characters to wrap, and no character matches
 * alone: the renderer asks about the whole paragraph, and writes a matched
 * word between one pair of escapes, closed and reopened where the line
 * wraps inside it. */
static void test_highlight_finds_cjk_words(void) {
    const char *md = "新しいディスクを接続します。\n";
    kb_buf out = {0};
    kb_render_opts o = {.width = 80, .color = 1, .markMatches = S_mark_word, .matchCtx = "ディスク",
                        .docPath = "ja-jp/x.md"};
    kb_render_text(md, strlen(md), &o, &out);
    CHECK_STR(kb_buf_str(&out), "新しい\033[1mディスク\033[0mを接続します。\n");
    kb_buf_reset(&out);
    o.width = 10; /* five wide characters a line */
    kb_render_text(md, strlen(md), &o, &out);
    CHECK_STR(kb_buf_str(&out), "新しい\033[1mディ\033[0m\n\033[1mスク\033[0mを接続\nします。\n");
    kb_buf_reset(&out);
    o.markMatches = S_mark_inside; /* the escapes go around the whole character */
    kb_render_text(md, strlen(md), &o, &out);
    CHECK_STR(kb_buf_str(&out), "新しい\033[1mデ\033[0mィ\nスクを接続\nします。\n");
    kb_buf_free(&out);
}

static void test_cjk_wraps_between_characters(void) {
    const char *md = "バックアップ操作は内部エラーのため失敗しました。数分以内に操作をやり直してください。\n";
    char *t = S_text(md, 20, "ja-jp/x.md");
    CHECK(S_overlong(t, 20) == NULL);
    CHECK(strchr(t, '\n') != strrchr(t, '\n')); /* more than one line */
    /* no line starts with a closing mark */
    CHECK(strstr(t, "\n\xe3\x80\x82") == NULL);
    free(t);
    /* nor with a small kana or a prolonged sound mark: "バックアップ" and
     * "スナップショット" at every width that would cut them there */
    /* nor, in Taiwan's docs, with the colon they write as "︰" (U+FE30) */
    for (int width = 4; width <= 24; width++) {
        t = S_text(width % 2 ? "スナップショットとバックアップのエラー、ショートカット。\n" : "設定警示︰在管理入口網站中設定警示︰請按一下\n",
                   width, width % 2 ? "ja-jp/x.md" : "zh-tw/x.md");
        for (const char *z = t; (z = strchr(z, '\n')) != NULL && z[1]; z++) {
            static const char *const aNoStart[] = {"ッ", "ョ", "ャ", "ー", "、", "。", "︰"};
            for (size_t k = 0; k < sizeof aNoStart / sizeof *aNoStart; k++)
                if (strncmp(z + 1, aNoStart[k], strlen(aNoStart[k])) == 0) {
                    CHECK(!"a line starts with a character that closes the one before it");
                    fprintf(stderr, "  width %d: %s\n", width, t);
                }
        }
        free(t);
    }
}

/* Every section of every corpus file, at three widths and for indexing. */
static void test_corpus_sections_have_no_markup_and_fit_width(void) {
    static const char *aDir[] = {"corpus/en-us", "corpus/es-es", "corpus/ja-jp"};
    static const int aWidth[] = {0, 40, 80, 200};
    int nSection = 0, nBad = 0;
    for (size_t d = 0; d < sizeof aDir / sizeof aDir[0]; d++) {
        DIR *dir = opendir(kb_test_path(aDir[d]));
        CHECK(dir != NULL);
        if (!dir) continue;
        struct dirent *de;
        while ((de = readdir(dir)) != NULL) {
            size_t nName = strlen(de->d_name);
            if (nName < 4 || strcmp(de->d_name + nName - 3, ".md") != 0) continue;
            char rel[512], docPath[512];
            snprintf(rel, sizeof rel, "%s/%s", aDir[d], de->d_name);
            snprintf(docPath, sizeof docPath, "%s/%s", aDir[d] + 7, de->d_name);
            size_t n;
            char *z = kb_test_read(rel, &n);
            /* the indexer strips YAML front matter, its lines ended either way; so do we */
            size_t start = 0;
            if (strncmp(z, "---\n", 4) == 0 || strncmp(z, "---\r\n", 5) == 0) {
                const char *e = strstr(z + 3, "\n---\n"), *eCr = strstr(z + 3, "\n---\r\n");
                if (e) start = (size_t)(e - z) + 5;
                else if (eCr) start = (size_t)(eCr - z) + 6;
            }
            /* split at '#', '##', '###' lines outside code fences */
            int fence = 0;
            for (size_t i = start; i <= n; i++) {
                if (i < n && (i == 0 || z[i - 1] == '\n')) {
                    const char *p = z + i;
                    while (*p == ' ') p++;
                    if (strncmp(p, "```", 3) == 0 || strncmp(p, "~~~", 3) == 0) fence = !fence;
                    if (!fence && !kb_test_is_heading(z + i)) continue;
                    if (fence || i == start) continue;
                } else if (i < n) {
                    continue;
                }
                nSection++;
                for (size_t w = 0; w < sizeof aWidth / sizeof aWidth[0]; w++) {
                    kb_buf out = {0};
                    kb_render_opts o = {.width = aWidth[w], .docPath = docPath};
                    kb_render_text(z + start, i - start, &o, &out);
                    const char *t = kb_buf_str(&out);
                    const char *bad = NULL;
                    if (S_has_tag(t)) bad = "html tag";
                    else if (S_has_table_pipe(t, z + start, i - start)) bad = "pipe";
                    else if (strchr(t, '\033')) bad = "escape";
                    const char *zLong = aWidth[w] ? S_overlong_in(t, aWidth[w], z + start, i - start) : NULL;
                    if (zLong) bad = "overlong line";
                    if (bad && nBad++ < 5) {
                        fprintf(stderr, "%s @%zu width %d: %s\n", rel, start, aWidth[w], bad);
                        if (zLong) fprintf(stderr, "  line: %.*s\n", (int)strcspn(zLong, "\n"), zLong);
                    }
                    kb_buf_free(&out);
                }
                start = i;
            }
            free(z);
        }
        closedir(dir);
    }
    CHECK(nSection > 300);
    CHECK_INT(nBad, 0);
}

/* A document can be anyone's: no control character of it reaches the
 * terminal, C1 included (U+009B is ESC [ to some terminals). */
static void test_control_characters_never_reach_the_terminal(void) {
    const char *md = "# Title \033]0;pwned\007 here\n\nText \xc2\x9b" "31m red\x7f and \xc2\xa0nbsp \xc3\xa9.\n";
    char *t = S_text(md, 80, "en-us/x.md");
    CHECK(!strchr(t, '\033') && !strchr(t, '\007') && !strchr(t, 0x7f));
    CHECK(strstr(t, "\xc2\x9b") == NULL);
    CHECK(strstr(t, "nbsp \xc3\xa9") != NULL); /* letters stay */
    free(t);
}

static void test_hostile_inputs_are_bounded(void) {
    /* 10,000-deep lists and quotes, a 5,000-column table, a 1 MB line */
    kb_buf md = {0};
    for (int i = 0; i < 10000; i++) {
        for (int k = 0; k < i && k < 10000; k++) kb_buf_adds(&md, "  ");
        kb_buf_adds(&md, "- x\n");
        if (md.n > (8u << 20)) break;
    }
    kb_buf md2 = {0};
    for (int i = 0; i < 10000; i++) kb_buf_addc(&md2, '>');
    kb_buf_adds(&md2, " deep\n\n");
    for (int i = 0; i < 5000; i++) kb_buf_adds(&md2, "| h ");
    kb_buf_adds(&md2, "|\n");
    for (int i = 0; i < 5000; i++) kb_buf_adds(&md2, "|---");
    kb_buf_adds(&md2, "|\n");
    for (int i = 0; i < 5000; i++) kb_buf_adds(&md2, "| <ul><li>c ");
    kb_buf_adds(&md2, "|\n\n");
    for (int i = 0; i < 200000; i++) kb_buf_adds(&md2, "<a<b ");
    kb_buf_adds(&md2, "\n\n");
    for (int i = 0; i < 1000000 / 8; i++) kb_buf_adds(&md2, "word&am ");
    kb_buf_adds(&md2, "\n");
    clock_t t0 = clock();
    for (int pass = 0; pass < 2; pass++) {
        kb_buf *src = pass ? &md2 : &md;
        kb_buf out = {0};
        kb_render_opts o = {.width = 80, .docPath = "en-us/x.md"};
        kb_render_text(src->z, src->n, &o, &out);
        CHECK(out.n > 0);
        CHECK(S_overlong(kb_buf_str(&out), 80) == NULL);
        kb_buf_reset(&out);
        kb_render_markdown(src->z, src->n, &o, &out);
        kb_buf_free(&out);
        kb_remedy *a;
        int n;
        kb_remedy_extract(src->z, src->n, &a, &n);
        kb_remedy_free(a, n);
        kb_link *l;
        kb_links_extract(src->z, src->n, "en-us/x.md", &l, &n);
        kb_links_free(l, n);
    }
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(secs < 60);
    kb_buf_free(&md);
    kb_buf_free(&md2);
}

KB_TEST_MAIN(test_control_characters_never_reach_the_terminal, test_vault_credentials_table_becomes_labelled_blocks,
             test_warning_codes_table_in_list_becomes_blocks,
             test_alerts_become_labelled_notes, test_nested_lists_indent_and_number, test_cell_lists_become_bullets,
             test_plain_table_is_grid_when_it_fits_else_blocks, test_anchor_tags_leave_the_markdown,
             test_index_text_drops_link_references, test_docfx_directive_lines_drop_alone,
             test_markdown_keeps_alert_markers_in_either_case, test_heading_keeps_its_pipe,
             test_prose_keeps_its_pipes, test_markdown_rewrites_relative_links, test_undefined_references_show_as_their_text,
             test_html_to_text_handles_cell_markup, test_placeholders_in_angle_brackets_stay_text,
             test_html_to_text_keeps_placeholders, test_color_makes_headings_bold,
             test_highlight_wraps_matching_words_only, test_highlight_finds_cjk_words,
             test_cjk_wraps_between_characters,
             test_corpus_sections_have_no_markup_and_fit_width, test_hostile_inputs_are_bounded)
