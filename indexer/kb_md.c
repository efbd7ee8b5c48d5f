/* STUB so other modules link: to be replaced by the real section splitter. */
#include "kb_md.h"
#include "kb_util.h"
#include <stdlib.h>
#include <string.h>
int kb_md_parse(const char *src, size_t n, const kb_md_opts *o, kb_doc *doc) {
    memset(doc, 0, sizeof *doc);
    doc->aSection = kb_xcalloc(1, sizeof *doc->aSection);
    doc->nSection = 1;
    kb_section *s = &doc->aSection[0];
    s->anchor = kb_xstrdup("top"); s->heading = kb_xstrdup(""); s->level = 1; s->line = 1;
    s->markdown = kb_xstrndup(src, n); s->text = kb_xstrndup(src, n); s->errtext = kb_xstrdup("");
    return KB_OK;
}
void kb_doc_free(kb_doc *doc) {
    for (int i = 0; i < doc->nSection; i++) {
        kb_section *s = &doc->aSection[i];
        free(s->anchor); free(s->heading); free(s->markdown); free(s->text); free(s->errtext);
        for (int k = 0; k < 3; k++) free(s->breadcrumb[k]);
        for (int k = 0; k < s->nAlias; k++) free(s->aAlias[k]);
        free(s->aAlias); kb_errid_list_free(&s->ids);
    }
    free(doc->aSection);
    for (int i = 0; i < doc->nDiag; i++) free(doc->aDiag[i].message);
    free(doc->aDiag);
    for (int i = 0; i < doc->nLink; i++) free(doc->aLink[i].target);
    free(doc->aLink);
    free(doc->title); free(doc->description); free(doc->topic); free(doc->date); free(doc->locale);
    memset(doc, 0, sizeof *doc);
}
char *kb_md_slug(const char *text, size_t n) { return kb_xstrndup(text, n); }
