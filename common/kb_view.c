/* kb_view.c: see kb_view.h. */
#include "kb_view.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "kb_errid.h"
#include "kb_links.h"
#include "kb_remedy.h"
#include "kb_render.h"
#include "kb_mdtree.h"
#include "kb_util.h"

#define KB_VIEW_FIELDS 5

static json_t *S_string_array(char **a, int n) {
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(arr, json_string(a[i]));
    return arr;
}

static json_t *S_remediation_json(const kb_mdtree *d, kb_labels labels) {
    kb_remedy *aRemedy = NULL;
    int nRemedy = 0;
    kb_remedy_extract_doc(d, labels, &aRemedy, &nRemedy);
    json_t *arr = json_array();
    for (int i = 0; i < nRemedy; i++) {
        kb_errid_list ids = {0};
        const char *err = aRemedy[i].error ? aRemedy[i].error : "";
        kb_errid_extract(&ids, KB_BLOCK_CELL, err, strlen(err), "error");
        json_t *aId = json_array();
        for (int k = 0; k < ids.n; k++) json_array_append_new(aId, json_string(ids.a[k].key));
        kb_errid_list_free(&ids);
        json_array_append_new(arr, json_pack("{s:s, s:o, s:o, s:o}", "error", err, "error_ids", aId, "causes",
                                             S_string_array(aRemedy[i].aCause, aRemedy[i].nCause), "actions",
                                             S_string_array(aRemedy[i].aAction, aRemedy[i].nAction)));
    }
    kb_remedy_free(aRemedy, nRemedy);
    return arr;
}

static json_t *S_links_json(const kb_mdtree *d, const char *docPath) {
    kb_link *aLink = NULL;
    int nLink = 0;
    kb_links_extract_doc(d, docPath, &aLink, &nLink);
    json_t *arr = json_array();
    for (int i = 0; i < nLink; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "text", aLink[i].text ? aLink[i].text : "", "target",
                                             aLink[i].target ? aLink[i].target : "", "external", aLink[i].external));
    kb_links_free(aLink, nLink);
    return arr;
}

/* A JSON array as compact text; "[]" if jansson refuses it (invalid UTF-8
 * cannot reach here: indexed files are checked, but a view must exist). */
static void S_add_json(kb_buf *b, json_t *arr) {
    char *z = json_dumps(arr, JSON_COMPACT);
    kb_buf_adds(b, z ? z : "[]");
    free(z);
    json_decref(arr);
}

/* Points the fields at the NUL-separated parts of v->buf; 0 if some are missing. */
static int S_split(kb_view *v) {
    const char **aField[KB_VIEW_FIELDS] = {&v->source, &v->text, &v->markdown, &v->remediation, &v->links};
    const char *p = v->buf, *end = v->buf + v->n;
    int i = 0;
    for (; i < KB_VIEW_FIELDS && p <= end; i++) {
        *aField[i] = p;
        p += strlen(p) + 1;
    }
    for (int k = i; k < KB_VIEW_FIELDS; k++) *aField[k] = "";
    return i == KB_VIEW_FIELDS;
}

static int S_has_marks(const char *z) {
    for (const char *p = z; (p = strchr(p, '\xEF')) != NULL; p++)
        if (kb_render_label_mark(p, strnlen(p, 3)) >= 0) return 1;
    return 0;
}

/* The Markdown with any label marks of its own as U+FFFD, so that every
 * mark of a view is one its renderer wrote; NULL if it has none. */
static char *S_unmarked(const char *source) {
    if (!S_has_marks(source)) return NULL;
    kb_buf b = {0};
    for (const char *p = source; *p;) {
        if (kb_render_label_mark(p, strnlen(p, 3)) >= 0) {
            kb_buf_adds(&b, "\xEF\xBF\xBD");
            p += 3;
        } else {
            kb_buf_addc(&b, *p++);
        }
    }
    return kb_buf_detach(&b);
}

/* The largest view stored whole. kb_pack reads back no frame of more than
 * 64 MB (a larger size in its header means damage); a section of tens of
 * megabytes, whose view holds it about three times over, had been written
 * and could never be shown. */
#define KB_VIEW_MAX (48u << 20)

/* A view of buf[0..n) (its fields NUL-separated) cut to KB_VIEW_MAX: each
 * text field to a quarter of it, at a character's start, marked "…"; the
 * JSON fields empty. Returns the new buffer's length. */
static size_t S_cut(char **pBuf, size_t n) {
    const char *p = *pBuf, *end = p + n;
    kb_buf b = {0};
    for (int i = 0; i < KB_VIEW_FIELDS; i++) {
        size_t len = p < end ? strlen(p) : 0;
        if (i >= 3) {
            kb_buf_adds(&b, "[]");
        } else if (len <= KB_VIEW_MAX / 4) {
            kb_buf_add(&b, p, len);
        } else {
            size_t keep = KB_VIEW_MAX / 4;
            while (keep > 0 && ((unsigned char)p[keep] & 0xC0) == 0x80) keep--;
            kb_buf_add(&b, p, keep);
            kb_buf_adds(&b, "\n\n…");
        }
        kb_buf_addc(&b, '\0');
        p += len + 1;
    }
    free(*pBuf);
    size_t nCut = b.n;
    *pBuf = kb_buf_detach(&b);
    return nCut;
}

void kb_view_build(const char *source, const char *docPath, kb_labels labels, kb_view *v) {
    char *unmarked = S_unmarked(source);
    const char *md = unmarked ? unmarked : source;
    kb_mdtree *d = kb_mdtree_parse(md, strlen(md));
    kb_buf b = {0};
    kb_buf_adds(&b, source);
    kb_buf_addc(&b, '\0');
    kb_render_opts ro = {.width = 0, .docPath = docPath, .labels = labels};
    kb_render_text_doc(d, &ro, &b);
    kb_buf_addc(&b, '\0');
    kb_render_markdown_doc(d, &ro, &b);
    kb_buf_addc(&b, '\0');
    S_add_json(&b, S_remediation_json(d, labels));
    kb_buf_addc(&b, '\0');
    S_add_json(&b, S_links_json(d, docPath));
    kb_mdtree_free(d);
    free(unmarked);
    v->n = b.n;
    v->buf = kb_buf_detach(&b);
    if (v->n > KB_VIEW_MAX) v->n = S_cut(&v->buf, v->n);
    S_split(v);
}

void kb_view_fill_labels(kb_view *v, kb_labels labels) {
    if (!v->buf || (!S_has_marks(v->text) && !S_has_marks(v->remediation))) return;
    kb_buf b = {0};
    kb_buf_add(&b, v->source, strlen(v->source) + 1);
    kb_render_fill_labels(v->text, strlen(v->text), labels, 0, &b);
    kb_buf_addc(&b, '\0');
    kb_buf_add(&b, v->markdown, strlen(v->markdown) + 1);
    kb_render_fill_labels(v->remediation, strlen(v->remediation), labels, 1, &b);
    kb_buf_addc(&b, '\0');
    kb_buf_add(&b, v->links, strlen(v->links));
    free(v->buf);
    v->n = b.n;
    v->buf = kb_buf_detach(&b);
    S_split(v);
}

char *kb_view_errtext(const kb_view *v) {
    kb_buf b = {0};
    kb_render_fill_labels(v->remediation, strlen(v->remediation), KB_LABELS_ENGLISH, 1, &b);
    json_t *arr = json_loads(kb_buf_str(&b), 0, NULL);
    kb_buf_reset(&b);
    size_t i;
    json_t *rec;
    json_array_foreach(arr, i, rec) {
        const char *err = json_string_value(json_object_get(rec, "error"));
        if (!err || !err[0]) continue;
        if (b.n) kb_buf_addc(&b, '\n');
        kb_buf_adds(&b, err);
    }
    json_decref(arr);
    return b.z ? kb_buf_detach(&b) : kb_xstrdup("");
}

void kb_view_words(const kb_view *v, kb_buf *out) {
    kb_buf_reset(out);
    kb_buf_add(out, "", 0);
    if (!S_has_marks(v->text)) {
        kb_render_index_text(v->text, strlen(v->text), out);
        return;
    }
    kb_buf text = {0};
    kb_render_fill_labels(v->text, strlen(v->text), KB_LABELS_ENGLISH, 0, &text);
    kb_render_index_text(text.z, text.n, out);
    kb_buf_free(&text);
}

void kb_view_pack(const kb_view *v, kb_packer *p, kb_buf *out) { kb_packer_pack(p, v->buf, v->n, out); }

int kb_view_unpack(kb_unpacker *u, const void *blob, size_t n, kb_view *v) {
    int rc = kb_unpacker_unpack(u, blob, n, &v->buf, &v->n);
    int whole = S_split(v); /* a blob unpack refused leaves "": every field "" */
    if (rc == KB_OK && !whole) rc = kb_pack_damaged();
    return rc;
}

void kb_view_free(kb_view *v) {
    free(v->buf);
    memset(v, 0, sizeof *v);
}
