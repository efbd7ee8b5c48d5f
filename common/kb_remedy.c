/* kb_remedy.c: see kb_remedy.h.
 *
 * Paragraphs, HTML blocks and tables are read as the text renderer reads
 * them (kb_inline, kb_table), in plain link mode: a record holds words, not
 * where links go. */
#include "kb_remedy.h"
#include "kb_cmark.h"
#include "kb_html.h"
#include "kb_inline.h"
#include "kb_table.h"
#include "kb_util.h"
#include "kb_vocab.h"

#include <stdlib.h>
#include <string.h>

typedef struct S_rec {
    char *zCode, *zMsg;
    char **aCause, **aAction;
    int nCause, nAction, nCauseAlloc, nActionAlloc;
} S_rec;

typedef struct S_rx {
    kb_labels labels; /* as kb_render_opts.labels */
    kb_remedy *a;
    int n, nAlloc;
    S_rec cur;
    int open;     /* cur holds an error message or code */
    int mode;     /* KB_TABLE_ROLE_CAUSE / KB_TABLE_ROLE_ACTION: where unlabelled lines go */
    char *zHeading;
    kb_buf scratch, text;
} S_rx;

static void S_item_add(char ***pa, int *pn, int *pnAlloc, const char *z, size_t n) {
    size_t nIndent, nBullet;
    kb_inline_line_parts(z, n, &nIndent, &nBullet);
    z += nIndent + nBullet;
    n -= nIndent + nBullet;
    while (n && z[0] == ' ') z++, n--;
    while (n && z[n - 1] == ' ') n--;
    /* "A <br> or <br> B": the "or" joins two causes, it is not one. */
    if (!n || kb_vocab_is(KB_VOCAB_CONNECTOR, z, n)) return;
    if (*pn == *pnAlloc) {
        *pnAlloc = *pnAlloc ? 2 * *pnAlloc : 4;
        *pa = kb_xrealloc(*pa, (size_t)*pnAlloc * sizeof **pa);
    }
    (*pa)[(*pn)++] = kb_xstrndup(z, n);
}

static void S_items_add(char ***pa, int *pn, int *pnAlloc, const char *z) {
    size_t n = strlen(z);
    for (size_t i = 0; i < n;) {
        size_t s = i;
        while (i < n && z[i] != '\n') i++;
        S_item_add(pa, pn, pnAlloc, z + s, i - s);
        if (i < n) i++;
    }
}

/* A cause or action cell's lines into c, each after a line that is only
 * a cause or action label to the list that label names, the rest to the
 * column's (role's): MABS writes "**Cause:**<br/>...<br/>**Recommended
 * Action:**<br/>..." in its one "Workaround" column, whose actions had
 * read "Cause:", then the cause. */
static void S_items_add_cell(S_rec *c, int role, const char *z) {
    int into = role;
    for (const char *line = z; *line;) {
        size_t n = strcspn(line, "\n");
        int label = kb_table_role(line, n);
        if (label == KB_TABLE_ROLE_CAUSE || label == KB_TABLE_ROLE_ACTION) into = label;
        else if (into == KB_TABLE_ROLE_CAUSE) S_item_add(&c->aCause, &c->nCause, &c->nCauseAlloc, line, n);
        else S_item_add(&c->aAction, &c->nAction, &c->nActionAlloc, line, n);
        line += n + (line[n] == '\n');
    }
}

static char *S_rec_error(S_rec *c) {
    if (c->zCode && c->zMsg) return kb_xasprintf("%s: %s", c->zCode, c->zMsg);
    return kb_xstrdup(c->zCode ? c->zCode : c->zMsg ? c->zMsg : "");
}

static void S_rx_push(S_rx *x, char *zError, S_rec *c) {
    if (x->n == x->nAlloc) {
        x->nAlloc = x->nAlloc ? 2 * x->nAlloc : 4;
        x->a = kb_xrealloc(x->a, (size_t)x->nAlloc * sizeof *x->a);
    }
    kb_remedy *r = &x->a[x->n++];
    r->error = zError;
    r->aCause = c->aCause;
    r->nCause = c->nCause;
    r->aAction = c->aAction;
    r->nAction = c->nAction;
    c->aCause = c->aAction = NULL;
    c->nCause = c->nAction = c->nCauseAlloc = c->nActionAlloc = 0;
}

static void S_rec_clear(S_rec *c) {
    free(c->zCode);
    free(c->zMsg);
    for (int i = 0; i < c->nCause; i++) free(c->aCause[i]);
    for (int i = 0; i < c->nAction; i++) free(c->aAction[i]);
    free(c->aCause);
    free(c->aAction);
    memset(c, 0, sizeof *c);
}

static void S_rx_close(S_rx *x) {
    if (x->open) S_rx_push(x, S_rec_error(&x->cur), &x->cur);
    S_rec_clear(&x->cur);
    x->open = 0;
}

/* Whether the line starts with a label of the kind followed by a colon
 * ("Mensaje de error: ..."), not merely with the word ("Error 34506."). */
static int S_label(int kind, const char *z, size_t n, size_t *pEnd) {
    size_t e = 0;
    if (!kb_vocab_starts(kind, z, n, &e) || e > n) return 0;
    for (size_t i = 0; i < e; i++)
        if (z[i] == ':' || (i + 2 < e && memcmp(z + i, "\xef\xbc\x9a", 3) == 0)) {
            *pEnd = e;
            return 1;
        }
    return 0;
}

static void S_rx_line(S_rx *x, const char *z, size_t n) {
    size_t nIndent, nBullet, e, skip;
    kb_inline_line_parts(z, n, &nIndent, &nBullet);
    const char *zText = z + nIndent + nBullet;
    size_t nText = n - nIndent - nBullet;
    while (nText && zText[nText - 1] == ' ') nText--;
    if (!nText) return;
    if (nText >= 3 && memcmp(zText, ":::", 3) == 0) { /* a DocFX directive, as the text renderer reads it */
        kb_buf img = {0};
        if (kb_inline_docfx_image(zText, nText, &img)) S_rx_line(x, img.z, img.n);
        kb_buf_free(&img);
        return;
    }
    /* "[!NOTE] text" inside a record reads "Note: text", as in the text output. */
    const char *zAlert = kb_render_alert_label(x->labels, zText, nText, &skip);
    if (zAlert && *zAlert && skip < nText) {
        char *zLine = kb_xasprintf("%s: %.*s", zAlert, (int)(nText - skip), zText + skip);
        S_rx_line(x, zLine, strlen(zLine));
        free(zLine);
        return;
    }
    if (S_label(KB_VOCAB_LABEL_ERRCODE, zText, nText, &e)) {
        if (x->open && (x->cur.zCode || x->cur.zMsg || x->cur.nCause || x->cur.nAction)) S_rx_close(x);
        x->open = 1;
        free(x->cur.zCode);
        x->cur.zCode = kb_xstrndup(zText + e, nText - e);
        x->mode = KB_TABLE_ROLE_ACTION;
    } else if (S_label(KB_VOCAB_LABEL_ERRMSG, zText, nText, &e)) {
        if (x->open && (x->cur.zMsg || x->cur.nCause || x->cur.nAction)) S_rx_close(x);
        x->open = 1;
        x->cur.zMsg = kb_xstrndup(zText + e, nText - e);
        x->mode = KB_TABLE_ROLE_ACTION;
    } else if (!x->open) {
        return;
    } else if (S_label(KB_VOCAB_COL_CAUSE, zText, nText, &e)) {
        x->mode = KB_TABLE_ROLE_CAUSE;
        S_item_add(&x->cur.aCause, &x->cur.nCause, &x->cur.nCauseAlloc, zText + e, nText - e);
    } else if (S_label(KB_VOCAB_COL_ACTION, zText, nText, &e)) {
        x->mode = KB_TABLE_ROLE_ACTION;
        S_item_add(&x->cur.aAction, &x->cur.nAction, &x->cur.nActionAlloc, zText + e, nText - e);
    } else if (x->mode == KB_TABLE_ROLE_CAUSE) {
        S_item_add(&x->cur.aCause, &x->cur.nCause, &x->cur.nCauseAlloc, zText, nText);
    } else {
        /* what follows an error message, unlabelled, is what to do about it */
        S_item_add(&x->cur.aAction, &x->cur.nAction, &x->cur.nActionAlloc, zText, nText);
    }
}

/* A table whose first column labels its rows is one record: the error is
 * the rest of its header row, each row's cells are causes or actions as
 * its label says. */
static void S_rx_keyvalue(S_rx *x, const kb_table *t) {
    S_rec c;
    memset(&c, 0, sizeof c);
    S_rx_close(x);
    kb_buf v = {0};
    for (int k = 1; k < t->nCol; k++) {
        if (v.n) kb_buf_addc(&v, '\n');
        kb_buf_adds(&v, t->aCell[k]);
    }
    for (int r = 1; r < t->nRow; r++) {
        char *zKey = kb_inline_one_line(t->aCell[r * t->nCol], strlen(t->aCell[r * t->nCol]));
        int role = kb_table_role(zKey, strlen(zKey));
        free(zKey);
        for (int k = 1; k < t->nCol; k++) {
            const char *z = t->aCell[r * t->nCol + k];
            if (role == KB_TABLE_ROLE_CAUSE) S_items_add(&c.aCause, &c.nCause, &c.nCauseAlloc, z);
            if (role == KB_TABLE_ROLE_ACTION) S_items_add(&c.aAction, &c.nAction, &c.nActionAlloc, z);
        }
    }
    S_rx_push(x, kb_inline_one_line(kb_buf_str(&v), v.n), &c);
    kb_buf_free(&v);
}

/* Row r's error: its error columns' cells on one line, joined with ": "
 * ("| Error code | Message |": "UserErrorX: The operation failed"), the
 * empty ones left out. Malloc'd. */
static char *S_row_error(const kb_table *t, int r, kb_buf *scratch) {
    kb_buf_reset(scratch);
    for (int k = 0; k < t->nCol; k++) {
        const char *zCell = t->aCell[r * t->nCol + k];
        if (t->aRole[k] != KB_TABLE_ROLE_ERROR) continue;
        char *zLine = kb_inline_one_line(zCell, strlen(zCell));
        if (zLine[0]) kb_buf_addf(scratch, "%s%s", scratch->n ? ": " : "", zLine);
        free(zLine);
    }
    return kb_xstrdup(kb_buf_str(scratch));
}

static void S_rx_table(S_rx *x, cmark_node *node) {
    kb_table t;
    kb_table_read(node, NULL, &x->scratch, &t);
    if (t.kind == KB_TABLE_PLAIN) {
        kb_table_free(&t);
        return;
    }
    if (t.kind == KB_TABLE_KEYVALUE) {
        S_rx_keyvalue(x, &t);
        kb_table_free(&t);
        return;
    }
    S_rec c;
    memset(&c, 0, sizeof c);
    int errorCol = -1;
    for (int k = 0; k < t.nCol; k++)
        if (t.aRole[k] == KB_TABLE_ROLE_ERROR && errorCol < 0) errorCol = k;
    kb_buf error = {0};
    /* a table of causes and fixes right after "Error message: ..." belongs to it */
    char *zShared = NULL;
    if (errorCol < 0) zShared = x->open ? S_rec_error(&x->cur) : kb_xstrdup(x->zHeading ? x->zHeading : "");
    if (errorCol >= 0) S_rx_close(x);
    for (int r = 1; r < t.nRow; r++) {
        for (int k = 0; k < t.nCol; k++)
            if (t.aRole[k] == KB_TABLE_ROLE_CAUSE || t.aRole[k] == KB_TABLE_ROLE_ACTION)
                S_items_add_cell(&c, t.aRole[k], t.aCell[r * t.nCol + k]);
        char *zError = errorCol >= 0 ? S_row_error(&t, r, &error) : kb_xstrdup(zShared);
        if (!zError[0] && !c.nCause && !c.nAction) {
            free(zError);
            continue;
        }
        if (!zError[0]) { /* a row's fix for an error its cells do not name: the heading's */
            free(zError);
            zError = kb_xstrdup(x->zHeading ? x->zHeading : "");
        }
        S_rx_push(x, zError, &c);
    }
    if (zShared) {
        S_rec_clear(&x->cur);
        x->open = 0;
    }
    free(zShared);
    kb_buf_free(&error);
    S_rec_clear(&c);
    kb_table_free(&t);
}

void kb_remedy_extract(const char *md, size_t n, kb_remedy **paRemedy, int *pnRemedy) {
    kb_mdtree *d = kb_mdtree_parse(md, n);
    kb_remedy_extract_doc(d, KB_LABELS_UI, paRemedy, pnRemedy);
    kb_mdtree_free(d);
}

void kb_remedy_extract_doc(const kb_mdtree *d, kb_labels labels, kb_remedy **paRemedy, int *pnRemedy) {
    S_rx x;
    memset(&x, 0, sizeof x);
    x.labels = labels;
    cmark_iter *it = cmark_iter_new(kb_mdtree_root(d));
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        if (ev != CMARK_EVENT_ENTER) continue;
        cmark_node *node = cmark_iter_get_node(it);
        cmark_node_type type = cmark_node_get_type(node);
        if (type == CMARK_NODE_HEADING) {
            S_rx_close(&x);
            kb_buf_reset(&x.text);
            kb_inline_text(node, NULL, &x.scratch, &x.text);
            free(x.zHeading);
            x.zHeading = kb_inline_one_line(kb_buf_str(&x.text), x.text.n);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
        } else if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HTML_BLOCK) {
            kb_buf_reset(&x.text);
            if (type == CMARK_NODE_PARAGRAPH) {
                kb_inline_text(node, NULL, &x.scratch, &x.text);
                cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
            } else {
                const char *z = cmark_node_get_literal(node);
                if (z) kb_html_to_text(z, strlen(z), &x.text);
            }
            const char *z = kb_buf_str(&x.text);
            for (size_t i = 0; i < x.text.n;) {
                size_t s = i;
                while (i < x.text.n && z[i] != '\n') i++;
                S_rx_line(&x, z + s, i - s);
                if (i < x.text.n) i++;
            }
        } else if (type == CMARK_NODE_THEMATIC_BREAK) {
            S_rx_close(&x);
        } else if (kb_cmark_is(node, "table")) {
            S_rx_table(&x, node);
            cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
        }
    }
    cmark_iter_free(it);
    S_rx_close(&x);
    free(x.zHeading);
    kb_buf_free(&x.scratch);
    kb_buf_free(&x.text);
    *paRemedy = x.a;
    *pnRemedy = x.n;
}

void kb_remedy_free(kb_remedy *a, int n) {
    for (int i = 0; a && i < n; i++) {
        free(a[i].error);
        for (int k = 0; k < a[i].nCause; k++) free(a[i].aCause[k]);
        for (int k = 0; k < a[i].nAction; k++) free(a[i].aAction[k]);
        free(a[i].aCause);
        free(a[i].aAction);
    }
    free(a);
}
