/* kb_dict.c: see kb_dict.h. */
#include "kb_dict.h"

#include <stdio.h>
#include <string.h>

#include "kb_dict_table.h"
#include "kb_tok.h"

/* The line of lines[0..size) whose key (the text before a tab or the
 * newline) is key, by binary search over the sorted lines as they are;
 * NULL if none. */
static const char *S_find_line(const char *lines, size_t size, const char *key) {
    size_t lo = 0, hi = size, nKey = strlen(key);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, start = mid;
        while (start > lo && lines[start - 1] != '\n') start--;
        size_t end = start;
        while (end < size && lines[end] != '\n' && lines[end] != '\t') end++;
        size_t n = end - start;
        int c = memcmp(lines + start, key, n < nKey ? n : nKey);
        if (c == 0) c = n < nKey ? -1 : n > nKey;
        if (c == 0) return lines + start;
        if (c < 0) {
            while (end < size && lines[end] != '\n') end++;
            lo = end + 1;
        } else {
            hi = start;
        }
    }
    return NULL;
}

int kb_dict_has_token(const char *lang, const char *token) {
    for (unsigned i = 0; lang && *token && i < kb_dict_list_count; i++)
        if (strcmp(kb_dict_lists[i].lang, lang) == 0)
            return S_find_line(kb_dict_lists[i].lines, kb_dict_lists[i].size, token) != NULL;
    return 0;
}

int kb_dict_us_spelling_of(const char *word, char *out, size_t cap) {
    char folded[128];
    size_t n = strlen(word);
    if (n == 0 || n >= sizeof folded / 2) return 0;
    kb_tok_fold(word, n, folded, sizeof folded);
    const char *line = S_find_line(kb_dict_us_spelling, kb_dict_us_spelling_size, folded);
    if (!line) return 0;
    const char *us = line + strlen(folded) + 1, *end = strchr(us, '\n');
    return snprintf(out, cap, "%.*s", (int)(end - us), us) < (int)cap;
}
