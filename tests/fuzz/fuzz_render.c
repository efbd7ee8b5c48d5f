/* fuzz_render.c: a section's Markdown rendered as text (at a width taken from
 * the input, with and without colour and highlighting), as normalized
 * Markdown, as remediation records and as links.
 *
 * Byte 0: wrap width (0 = no wrap, else 1..127); byte 1: bit 0 colour, bit 1
 * highlight bytes, bits 2-3 pick the document path links resolve against.
 * The rest is the Markdown, valid UTF-8 without NUL as kb-index stores it.
 * Checks: every output is valid UTF-8, the indexed text (kb_render_index_text)
 * is no longer than what it is cut from, records and links have their
 * fields, and the stored view (label marks) filled in with English labels
 * is the English rendering. */
#include "fuzz_common.h"
#include "kb_links.h"
#include "kb_remedy.h"
#include "kb_render.h"
#include "kb_view.h"

/* Marks bytes with no regard for characters: the renderer must still
 * write its escapes between whole characters. */
static void fuzz_mark(void *ctx, const char *text, size_t n, unsigned char *aBold) {
    (void)ctx;
    FUZZ_ASSERT(text != NULL, "NULL text");
    for (size_t i = 0; i < n; i++) aBold[i] = (unsigned char)(i % 3 == 1 || text[i] == 'e' || text[i] == 'E');
}

static void fuzz_utf8(const char *what, const char *z, size_t n) {
    size_t bad;
    FUZZ_ASSERT(kb_utf8_valid(z, n, &bad), "%s: not UTF-8 at byte %zu of %zu", what, bad, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static const char *const azDoc[] = {"es-es/backup/backup-azure-mars-troubleshoot.md", "doc.md", "", NULL};
    if (size < 2 || size > 256 * 1024) return -1;
    const char *md = (const char *)data + 2;
    size_t n = size - 2;
    if (!fuzz_is_doc_text((const uint8_t *)md, n)) return -1;
    kb_render_opts o = {
        .width = data[0] & 0x7f,
        .color = data[1] & 1,
        .markMatches = (data[1] & 2) ? fuzz_mark : NULL,
        .docPath = azDoc[(data[1] >> 2) & 3],
    };

    kb_buf out = {0};
    kb_render_text(md, n, &o, &out);
    fuzz_utf8("text", kb_buf_str(&out), out.n);
    FUZZ_ASSERT(out.n == strlen(kb_buf_str(&out)), "text output contains NUL");
    kb_buf_reset(&out);

    kb_render_opts o0 = {.width = 0, .docPath = o.docPath, .labels = KB_LABELS_ENGLISH}; /* the stored text view */
    kb_render_text(md, n, &o0, &out);
    fuzz_utf8("text view", kb_buf_str(&out), out.n);
    kb_buf words = {0}; /* what gets indexed: the view less its link references */
    kb_render_index_text(kb_buf_str(&out), out.n, &words);
    fuzz_utf8("indexed text", kb_buf_str(&words), words.n);
    FUZZ_ASSERT(words.n <= out.n, "indexed text longer than the view: %zu > %zu", words.n, out.n);
    int ownMarks = 0;
    for (size_t i = 0; i < n && !ownMarks; i++) ownMarks = kb_render_label_mark(md + i, n - i) >= 0;
    if (!ownMarks) { /* a section's own marks are rendered as U+FFFD in a view */
        char *zMd = kb_xstrndup(md, n);
        kb_view v = {0};
        kb_view_build(zMd, o.docPath, KB_LABELS_MARKED, &v);
        kb_view_fill_labels(&v, KB_LABELS_ENGLISH);
        FUZZ_ASSERT(strcmp(v.text, kb_buf_str(&out)) == 0, "filled view differs from the English text view");
        kb_view_free(&v);
        free(zMd);
    }
    kb_buf_reset(&words);
    kb_render_index_text(md, n, &words); /* any text at all, not only the renderer's */
    FUZZ_ASSERT(words.n <= n, "indexed text longer than its input");
    kb_buf_free(&words);
    kb_buf_reset(&out);

    kb_render_markdown(md, n, &o, &out);
    fuzz_utf8("markdown", kb_buf_str(&out), out.n);
    kb_buf_free(&out);

    kb_remedy *aRem = NULL;
    int nRem = 0;
    kb_remedy_extract(md, n, &aRem, &nRem);
    FUZZ_ASSERT(nRem >= 0, "nRemedy %d", nRem);
    for (int i = 0; i < nRem; i++) {
        FUZZ_ASSERT(aRem[i].nCause >= 0 && aRem[i].nAction >= 0, "remedy %d counts", i);
        if (aRem[i].error) fuzz_utf8("remedy error", aRem[i].error, strlen(aRem[i].error));
        for (int k = 0; k < aRem[i].nCause; k++)
        {
            FUZZ_ASSERT(aRem[i].aCause[k], "NULL cause");
            fuzz_utf8("cause", aRem[i].aCause[k], strlen(aRem[i].aCause[k]));
        }
        for (int k = 0; k < aRem[i].nAction; k++)
        {
            FUZZ_ASSERT(aRem[i].aAction[k], "NULL action");
            fuzz_utf8("action", aRem[i].aAction[k], strlen(aRem[i].aAction[k]));
        }
    }
    kb_remedy_free(aRem, nRem);

    kb_link *aLink = NULL;
    int nLink = 0;
    kb_links_extract(md, n, o.docPath, &aLink, &nLink);
    FUZZ_ASSERT(nLink >= 0, "nLink %d", nLink);
    for (int i = 0; i < nLink; i++) {
        FUZZ_ASSERT(aLink[i].text && aLink[i].target, "link %d has a NULL field", i);
        fuzz_utf8("link text", aLink[i].text, strlen(aLink[i].text));
    }
    kb_links_free(aLink, nLink);
    return 0;
}
