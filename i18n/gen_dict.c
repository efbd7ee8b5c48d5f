/* gen_dict.c: writes kb_dict's tables (kb_dict.h) as C, at build time.
 *
 *   gen_dict OUT.c LANG=LIST[,LIST...]... --spelling GB_LIST US_LIST
 *
 * Each LIST is one of Debian's word lists (wamerican, wbritish, wspanish:
 * one word a line, UTF-8). A language's table holds the tokens kb_tok makes
 * of its words, so that kb-query asks with the token it already has: "took"
 * and "taken" are there as "took" and "taken", "conectando" as "conect",
 * the stem of "conectar". --spelling pairs each word of the British list
 * that the American one lacks with the American word one usual change away
 * ("organisation" / "organization", "colour" / "color").
 *
 * Tables are text: lines sorted by bytes, each "key\n" or "key\tvalue\n",
 * which kb_dict binary-searches as they are. Data, not code: no word is
 * typed by hand here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kb_tok.h"

typedef struct S_lines {
    char **a;
    size_t n, cap;
} S_lines;

static void S_lines_add(S_lines *l, const char *z) {
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 4096;
        l->a = realloc(l->a, l->cap * sizeof *l->a);
        if (!l->a) abort();
    }
    l->a[l->n] = strdup(z);
    if (!l->a[l->n++]) abort();
}

static void S_lines_free(S_lines *l) {
    for (size_t i = 0; i < l->n; i++) free(l->a[i]);
    free(l->a);
}

static int S_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sorted, each line once. */
static void S_lines_sort(S_lines *l) {
    qsort(l->a, l->n, sizeof *l->a, S_cmp);
    size_t k = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (k > 0 && strcmp(l->a[k - 1], l->a[i]) == 0) free(l->a[i]);
        else l->a[k++] = l->a[i];
    }
    l->n = k;
}

static int S_lines_has(const S_lines *l, const char *z) {
    return bsearch(&z, l->a, l->n, sizeof *l->a, S_cmp) != NULL;
}

/* A list's words, apostrophes dropped ("doesn't" is typed "doesnt"); 0 if
 * it cannot be read. */
static int S_read_words(const char *path, S_lines *out) {
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 0;
    }
    char line[256];
    while (fgets(line, sizeof line, f)) {
        size_t k = 0;
        for (size_t i = 0; line[i] && line[i] != '\n'; i++)
            if (line[i] != '\'') line[k++] = line[i];
        line[k] = 0;
        if (k > 0) S_lines_add(out, line);
    }
    fclose(f);
    return 1;
}

/* Language lang's tokens of the lists named in lists (comma-separated). */
static int S_tokens(const char *lang, char *lists, S_lines *out) {
    kb_tok *t = kb_tok_new(lang);
    int ok = t != NULL;
    for (char *path = strtok(lists, ","); ok && path; path = strtok(NULL, ",")) {
        S_lines words = {0};
        ok = S_read_words(path, &words);
        char token[128];
        for (size_t i = 0; ok && i < words.n; i++)
            if (kb_tok_one(t, words.a[i], (int)strlen(words.a[i]), token, sizeof token)) S_lines_add(out, token);
        S_lines_free(&words);
    }
    kb_tok_free(t);
    S_lines_sort(out);
    return ok;
}

/* The British spellings that differ from the American by one of these. */
static const char *const S_aChange[][2] = {
    {"is", "iz"}, {"ys", "yz"}, {"our", "or"}, {"tre", "ter"}, {"ence", "ense"},
    {"ogue", "og"}, {"ogu", "og"}, {"ll", "l"}, {"ae", "e"}, {"oe", "e"}, {"mme", "m"},
};

/* "gb\tus" for each word of gb (folded) that one change makes a word of
 * us, where one of the two is its list's alone: the American list has
 * "catalogue" too, but only it has "catalog". */
static void S_spelling_pairs(S_lines *gb, S_lines *us, S_lines *out) {
    for (size_t i = 0; i < gb->n; i++) {
        const char *w = gb->a[i];
        int both = S_lines_has(us, w);
        for (size_t c = 0; c < sizeof S_aChange / sizeof S_aChange[0]; c++) {
            size_t nFrom = strlen(S_aChange[c][0]), nTo = strlen(S_aChange[c][1]), n = strlen(w);
            char variant[256], *p = NULL;
            for (const char *at = strstr(w, S_aChange[c][0]); at && !p; at = strstr(at + 1, S_aChange[c][0])) {
                size_t pre = (size_t)(at - w);
                if (n - nFrom + nTo >= sizeof variant) break;
                snprintf(variant, sizeof variant, "%.*s%s%s", (int)pre, w, S_aChange[c][1], at + nFrom);
                if (S_lines_has(us, variant) && !(both && S_lines_has(gb, variant))) p = variant;
            }
            if (!p) continue;
            char pair[512];
            snprintf(pair, sizeof pair, "%s\t%s", w, p);
            S_lines_add(out, pair);
            break;
        }
    }
    S_lines_sort(out);
}

/* Folded (kb_tok_fold) words of a list, sorted. */
static int S_folded(const char *path, S_lines *out) {
    S_lines words = {0};
    int ok = S_read_words(path, &words);
    char folded[256];
    for (size_t i = 0; ok && i < words.n; i++) {
        kb_tok_fold(words.a[i], strlen(words.a[i]), folded, sizeof folded);
        S_lines_add(out, folded);
    }
    S_lines_free(&words);
    S_lines_sort(out);
    return ok;
}

/* One table as a C string, a few lines of it per source line. */
static void S_emit(FILE *f, const char *name, const S_lines *l) {
    fprintf(f, "static const char %s[] =\n    \"", name);
    for (size_t i = 0; i < l->n; i++) {
        for (const char *z = l->a[i]; *z; z++)
            if (*z == '\t') fputs("\\t", f);
            else if (*z == '"' || *z == '\\') fprintf(f, "\\%c", *z);
            else fputc(*z, f);
        fputs(i % 8 == 7 && i + 1 < l->n ? "\\n\"\n    \"" : "\\n", f);
    }
    fputs("\";\n", f);
}

int main(int argc, char **argv) {
    if (argc < 5 || strcmp(argv[argc - 3], "--spelling") != 0) {
        fprintf(stderr, "usage: gen_dict OUT.c LANG=LIST[,LIST...]... --spelling GB_LIST US_LIST\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "w");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    int ok = 1, nLang = argc - 5;
    fprintf(f, "/* Generated by gen_dict from Debian's word lists. Do not edit. */\n#include \"kb_dict_table.h\"\n");
    for (int i = 0; ok && i < nLang; i++) {
        char *arg = argv[2 + i], *eq = strchr(arg, '=');
        S_lines tokens = {0};
        ok = eq != NULL;
        if (ok) *eq = 0;
        ok = ok && S_tokens(arg, eq + 1, &tokens);
        char name[32];
        snprintf(name, sizeof name, "S_words_%d", i);
        if (ok) S_emit(f, name, &tokens);
        S_lines_free(&tokens);
    }
    fprintf(f, "const struct kb_dict_list kb_dict_lists[] = {\n");
    for (int i = 0; i < nLang; i++)
        fprintf(f, "    {\"%s\", S_words_%d, sizeof S_words_%d - 1},\n", argv[2 + i], i, i);
    fprintf(f, "};\nconst unsigned kb_dict_list_count = %d;\n", nLang);
    S_lines gb = {0}, us = {0}, pairs = {0};
    ok = ok && S_folded(argv[argc - 2], &gb) && S_folded(argv[argc - 1], &us);
    if (ok) {
        S_spelling_pairs(&gb, &us, &pairs);
        S_emit(f, "S_spelling", &pairs);
        fprintf(f, "const char *const kb_dict_us_spelling = S_spelling;\n"
                   "const size_t kb_dict_us_spelling_size = sizeof S_spelling - 1;\n");
    }
    S_lines_free(&gb);
    S_lines_free(&us);
    S_lines_free(&pairs);
    if (fclose(f) != 0 || !ok) {
        fprintf(stderr, "gen_dict: cannot write %s\n", argv[1]);
        remove(argv[1]);
        return 1;
    }
    return 0;
}
