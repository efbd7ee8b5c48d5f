/* kb_util.c: see kb_util.h. */
#include "kb_util.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static _Thread_local char kb_error_text[1024];

int kb_fail(int rc, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(kb_error_text, sizeof kb_error_text, fmt, ap);
    va_end(ap);
    return rc;
}

const char *kb_errmsg(void) { return kb_error_text; }

const char *kb_errmsg_after(const char *path) {
    size_t n = strlen(path);
    if (strncmp(kb_error_text, path, n) == 0 && strncmp(kb_error_text + n, ": ", 2) == 0) return kb_error_text + n + 2;
    return kb_error_text;
}

static void *S_check(void *p) {
    if (!p) {
        fputs("kb: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *kb_xcheck(void *p) { return S_check(p); }
void *kb_xmalloc(size_t n) { return S_check(malloc(n ? n : 1)); }
void *kb_xcalloc(size_t count, size_t size) { return S_check(calloc(count ? count : 1, size ? size : 1)); }
void *kb_xrealloc(void *p, size_t n) { return S_check(realloc(p, n ? n : 1)); }
char *kb_xstrdup(const char *z) { return S_check(strdup(z ? z : "")); }

char *kb_xstrndup(const char *z, size_t n) {
    char *r = kb_xmalloc(n + 1);
    memcpy(r, z, n);
    r[n] = 0;
    return r;
}

char *kb_xasprintf(const char *fmt, ...) {
    kb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    kb_buf_vaddf(&b, fmt, ap);
    va_end(ap);
    return kb_buf_detach(&b);
}

void kb_buf_reserve(kb_buf *b, size_t extra) {
    if (b->n + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->n + extra + 1) cap *= 2;
    b->z = kb_xrealloc(b->z, cap);
    b->cap = cap;
}

void kb_buf_adds(kb_buf *b, const char *z) { kb_buf_add(b, z, strlen(z)); }

void kb_buf_vaddf(kb_buf *b, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) return;
    kb_buf_reserve(b, (size_t)n);
    vsnprintf(b->z + b->n, (size_t)n + 1, fmt, ap);
    b->n += (size_t)n;
}

void kb_buf_addf(kb_buf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kb_buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void kb_buf_reset(kb_buf *b) {
    b->n = 0;
    if (b->z) b->z[0] = 0;
}

const char *kb_buf_str(kb_buf *b) { return b->z ? b->z : ""; }

char *kb_buf_detach(kb_buf *b) {
    char *z = b->z ? b->z : kb_xstrdup("");
    b->z = NULL;
    b->n = b->cap = 0;
    return z;
}

void kb_buf_free(kb_buf *b) {
    free(b->z);
    b->z = NULL;
    b->n = b->cap = 0;
}

double kb_megabytes(uint64_t bytes) {
    double mb = (double)bytes / (1 << 20);
    if (mb <= 0) return 0;
    for (int digits = 1; digits < 7; digits++) {
        double scale = pow(10, digits - 1 - floor(log10(mb)));
        double shown = round(mb * scale) / scale;
        if ((uint64_t)llround(shown * (1 << 20)) == bytes) return shown;
    }
    return mb;
}

int kb_file_read(const char *path, size_t maxBytes, char **pz, size_t *pn) {
    *pz = NULL;
    *pn = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return kb_fail(KB_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return kb_fail(KB_EIO, "%s: not a regular file", path);
    }
    if ((size_t)st.st_size > maxBytes) {
        fclose(f);
        return kb_fail(KB_ELIMIT, "%s: %lld bytes, more than the limit of %zu", path,
                       (long long)st.st_size, maxBytes);
    }
    kb_buf b = {0};
    char chunk[65536];
    size_t got;
    int rc = KB_OK;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.n + got > maxBytes) {
            rc = kb_fail(KB_ELIMIT, "%s: larger than the limit of %zu bytes", path, maxBytes);
            break;
        }
        kb_buf_add(&b, chunk, got);
    }
    if (rc == KB_OK && ferror(f)) rc = kb_fail(KB_EIO, "%s: %s", path, strerror(errno));
    fclose(f);
    if (rc) {
        kb_buf_free(&b);
        return rc;
    }
    *pn = b.n;
    *pz = kb_buf_detach(&b);
    return KB_OK;
}

size_t kb_utf8_seq_len_any(const char *z, size_t n) {
    const unsigned char *s = (const unsigned char *)z;
    if (n == 0) return 0;
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) return 1;
    else if ((c & 0xE0) == 0xC0) { len = 2; min = 0x80; c &= 0x1F; }
    else if ((c & 0xF0) == 0xE0) { len = 3; min = 0x800; c &= 0x0F; }
    else if ((c & 0xF8) == 0xF0) { len = 4; min = 0x10000; c &= 0x07; }
    else return 0;
    if (len > n) return 0;
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[k] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    return len;
}

char *kb_utf8_escape(const char *z) {
    kb_buf b = {0};
    kb_buf_add(&b, "", 0);
    size_t n = strlen(z);
    for (size_t i = 0; i < n;) {
        size_t len = (unsigned char)z[i] < 0x80 ? 1 : kb_utf8_seq_len(z + i, n - i);
        if (len) kb_buf_add(&b, z + i, len);
        else kb_buf_addf(&b, "\\x%02x", (unsigned char)z[i]);
        i += len ? len : 1;
    }
    return kb_buf_detach(&b);
}

char *kb_drop_controls(char *z) {
    unsigned char *out = (unsigned char *)z;
    for (const unsigned char *p = (const unsigned char *)z; *p; p++) {
        if (*p == '\t' || *p == '\n' || *p == '\r' || (*p >= 0x1C && *p <= 0x1F)) *out++ = ' '; /* and separators */
        else if (*p < 0x20 || *p == 0x7F) continue;
        else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) p++; /* U+0080-U+009F */
        else *out++ = *p;
    }
    *out = 0;
    return z;
}

char *kb_shown(const char *z) {
    kb_buf b = {0};
    kb_buf_add(&b, "", 0);
    size_t n = strlen(z);
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)z[i];
        size_t len = ch < 0x80 ? 1 : kb_utf8_seq_len(z + i, n - i);
        /* C0, DEL, and C1 (U+0080-U+009F: 0xC2 0x80-0x9F), which a
         * terminal obeys ("\x9b" is ESC [) */
        int control = ch < 0x20 || ch == 0x7f || (len == 2 && ch == 0xc2 && (unsigned char)z[i + 1] <= 0x9f);
        if (len && !control) {
            kb_buf_add(&b, z + i, len);
            i += len;
            continue;
        }
        for (size_t k = 0; k < (len ? len : 1); k++) kb_buf_addf(&b, "\\x%02x", (unsigned char)z[i + k]);
        i += len ? len : 1;
    }
    return kb_buf_detach(&b);
}

int kb_text_problem(const char *z, size_t n, size_t *pOffset) {
    const unsigned char *u = (const unsigned char *)z;
    *pOffset = 0;
    /* UTF-16's and UTF-32's ASCII has NUL bytes: told as what it is. UTF-32
     * first: its little-endian mark starts as UTF-16's does. */
    int utf32le = n >= 4 && u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3];
    int utf32be = n >= 4 && !u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF;
    if (utf32le || utf32be) return KB_TEXT_UTF32;
    if (n >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) return KB_TEXT_UTF16;
    const char *nul = memchr(z, 0, n);
    if (nul) {
        *pOffset = (size_t)(nul - z);
        return KB_TEXT_BINARY;
    }
    return kb_utf8_valid(z, n, pOffset) ? KB_TEXT_OK : KB_TEXT_NOT_UTF8;
}

int kb_utf8_valid(const char *z, size_t n, size_t *pBadOffset) {
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)z[i] < 0x80) {
            i++;
            continue;
        }
        size_t len = kb_utf8_seq_len(z + i, n - i);
        if (len == 0) {
            if (pBadOffset) *pBadOffset = i;
            return 0;
        }
        i += len;
    }
    return 1;
}

static size_t S_strset_slot(const kb_strset *s, const char *z) {
    size_t i = kb_hash(z, strlen(z)) & (s->cap - 1);
    while (s->aKey[i] && strcmp(s->aKey[i], z) != 0) i = (i + 1) & (s->cap - 1);
    return i;
}

int kb_strset_add(kb_strset *s, const char *z) {
    if ((s->n + 1) * 2 > s->cap) { /* at most half full: probes stay short */
        kb_strset t = {kb_xcalloc(s->cap ? s->cap * 2 : 64, sizeof *t.aKey), s->cap ? s->cap * 2 : 64, s->n};
        for (size_t i = 0; i < s->cap; i++)
            if (s->aKey[i]) t.aKey[S_strset_slot(&t, s->aKey[i])] = s->aKey[i];
        free(s->aKey);
        *s = t;
    }
    size_t i = S_strset_slot(s, z);
    if (s->aKey[i]) return 0;
    s->aKey[i] = z;
    s->n++;
    return 1;
}

int kb_strset_has(const kb_strset *s, const char *z) { return s->cap > 0 && s->aKey[S_strset_slot(s, z)] != NULL; }

void kb_strset_free(kb_strset *s) {
    free(s->aKey);
    memset(s, 0, sizeof *s);
}

char *kb_path_resolve(const char *from, const char *rel) {
    if (rel[0] == '/') return NULL;
    const char *slash = from ? strrchr(from, '/') : NULL;
    char *joined = rel[0] == '~' && rel[1] == '/' ? kb_xstrdup(rel + 2)
                   : slash                      ? kb_xasprintf("%.*s/%s", (int)(slash - from), from, rel)
                                                : kb_xstrdup(rel);
    char *out = kb_xcalloc(strlen(joined) + 1, 1);
    size_t n = 0;
    for (const char *p = joined; *p;) {
        size_t len = strcspn(p, "/");
        if (len == 2 && p[0] == '.' && p[1] == '.') {
            if (n == 0) {
                free(joined);
                free(out);
                return NULL;
            }
            while (n > 0 && out[n - 1] != '/') n--;
            if (n > 0) n--;
        } else if (len > 0 && !(len == 1 && p[0] == '.')) {
            if (n > 0) out[n++] = '/';
            memcpy(out + n, p, len);
            n += len;
        }
        p += len;
        if (*p) p++;
    }
    out[n] = '\0'; /* a popped segment's bytes may lie past n */
    free(joined);
    return out;
}

static int S_hex_digit(char ch) {
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

char *kb_url_decode(const char *z, size_t n) {
    char *out = kb_xmalloc(n + 1);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (z[i] == '%' && i + 2 < n && (hi = S_hex_digit(z[i + 1])) >= 0 && (lo = S_hex_digit(z[i + 2])) >= 0 && (hi || lo)) {
            out[w++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[w++] = z[i];
        }
    }
    out[w] = 0;
    size_t bad;
    if (w < n && !kb_utf8_valid(out, w, &bad)) { /* "%ackup" is no escape meant */
        memcpy(out, z, n);
        out[n] = 0;
    }
    return out;
}
