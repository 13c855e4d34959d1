/* str.c — string views, UTF-8 decoding, Unicode white space, a scratch
 * buffer and edit distance for "did you mean" suggestions. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

static inline char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

bool dw_str_ieq(dw_str a, dw_str b)
{
    if (a.len != b.len) return false;
    for (size_t i = 0; i < a.len; i++)
        if (lower(a.ptr[i]) != lower(b.ptr[i])) return false;
    return true;
}

bool dw_str_ieqc(dw_str a, const char *c)
{
    /* compare as we go: no strlen, and most calls fail on the first byte */
    size_t i = 0;
    for (; i < a.len; i++) {
        if (!c[i] || lower(a.ptr[i]) != lower(c[i])) return false;
    }
    return c[i] == 0;
}

bool dw_str_has_prefix(dw_str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

dw_str dw_str_sub(dw_str s, size_t from, size_t to)
{
    if (to > s.len) to = s.len;
    if (from > to) from = to;
    return dw_str_make(s.ptr ? s.ptr + from : s.ptr, to - from); /* an empty view may have no pointer */
}

const char *dw_str_chr(dw_str s, char c) { return s.len ? memchr(s.ptr, c, s.len) : NULL; }

dw_str dw_str_dup(dw_arena *a, dw_str s) { return dw_str_make(dw_arena_memdup(a, s.ptr, s.len), s.len); }

char *dw_str_cstr(dw_arena *a, dw_str s) { return dw_arena_memdup(a, s.ptr, s.len); }

dw_str dw_str_lower(dw_arena *a, dw_str s)
{
    char *p = dw_arena_memdup(a, s.ptr, s.len);
    for (size_t i = 0; i < s.len; i++) p[i] = lower(p[i]);
    return dw_str_make(p, s.len);
}

uint32_t dw_utf8_decode(const char *s, size_t n, int *width)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n == 0) { *width = 0; return 0xFFFD; }
    unsigned c = p[0];
    if (c < 0x80) { *width = 1; return c; }
    int len; uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07; min = 0x10000; }
    else { *width = 1; return 0xFFFD; }
    if ((size_t)len > n) { *width = 1; return 0xFFFD; }
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) { *width = 1; return 0xFFFD; }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) { *width = 1; return 0xFFFD; }
    *width = len;
    return cp;
}

int dw_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | (cp >> 6)); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12)); out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F)); return 3;
    }
    if (cp > 0x10FFFF) return dw_utf8_encode(0xFFFD, out);
    out[0] = (char)(0xF0 | (cp >> 18)); out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Go's unicode.IsSpace: ASCII \t \n \v \f \r space, U+0085, U+00A0, and the
 * Unicode White_Space code points. */
bool dw_unicode_is_space(uint32_t c)
{
    if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
    switch (c) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029:
    case 0x202F: case 0x205F: case 0x3000:
        return true;
    }
    return c >= 0x2000 && c <= 0x200A;
}

int dw_space_at(const char *p, size_t n)
{
    if (n == 0) return 0;
    unsigned char c = (unsigned char)p[0];
    if (c < 0x80) return (c == ' ' || (c >= '\t' && c <= '\r')) ? 1 : 0;
    if (c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3) return 0;
    int w;
    uint32_t cp = dw_utf8_decode(p, n, &w);
    return (cp != 0xFFFD || w > 1) && dw_unicode_is_space(cp) ? w : 0;
}

dw_str dw_str_trim_left_space_rest(dw_str s)
{
    int w;
    while (s.len) {
        unsigned char c = (unsigned char)s.ptr[0];
        if (c < 0x80) { /* the common case, without a call */
            if (c != ' ' && (c < '\t' || c > '\r')) break;
            w = 1;
        } else if ((w = dw_space_at(s.ptr, s.len)) == 0) {
            break;
        }
        s.ptr += w;
        s.len -= (size_t)w;
    }
    return s;
}

dw_str dw_str_trim_right_space(dw_str s)
{
    while (s.len) {
        unsigned char c = (unsigned char)s.ptr[s.len - 1];
        if (c < 0x80) {
            if (c == ' ' || (c >= '\t' && c <= '\r')) { s.len--; continue; }
            break;
        }
        /* find the start of the last code point */
        size_t i = s.len - 1;
        while (i > 0 && s.len - i < 4 && ((unsigned char)s.ptr[i] & 0xC0) == 0x80) i--;
        int w = dw_space_at(s.ptr + i, s.len - i);
        if (w > 0 && i + (size_t)w == s.len) { s.len = i; continue; }
        break;
    }
    return s;
}

dw_str dw_str_trim_space(dw_str s) { return dw_str_trim_right_space(dw_str_trim_left_space(s)); }

size_t dw_utf8_count(const char *p, size_t n)
{
    size_t count = 0, i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)p[i];
        if (c < 0x80) { i++; count++; continue; }
        int w;
        dw_utf8_decode(p + i, n - i, &w);
        i += (size_t)w;
        count++;
    }
    return count;
}

void dw_buf_put(dw_buf *b, const void *p, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->n + n + 1) {
            if (cap > SIZE_MAX / 2) dw_oom();
            cap *= 2;
        }
        b->p = dw_xrealloc(b->p, cap);
        b->cap = cap;
    }
    if (n) memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void dw_buf_putc(dw_buf *b, char c) { dw_buf_put(b, &c, 1); }
void dw_buf_puts(dw_buf *b, const char *s) { dw_buf_put(b, s, strlen(s)); }

void dw_buf_printf(dw_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        dw_buf_put(b, NULL, 0);
        if (b->n + (size_t)n + 1 > b->cap) {
            size_t cap = b->cap;
            while (cap < b->n + (size_t)n + 1) cap *= 2;
            b->p = dw_xrealloc(b->p, cap);
            b->cap = cap;
        }
        vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
        b->n += (size_t)n;
    }
    va_end(ap);
}

void dw_buf_free(dw_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Two-row Levenshtein; strings longer than 64 bytes are never "close". */
unsigned dw_edit_distance(dw_str a, dw_str b, unsigned max, bool fold_case)
{
    if (a.len > 64 || b.len > 64) return max + 1;
    unsigned row[65], prev[65];
    for (size_t j = 0; j <= b.len; j++) prev[j] = (unsigned)j;
    for (size_t i = 1; i <= a.len; i++) {
        row[0] = (unsigned)i;
        unsigned best = row[0];
        for (size_t j = 1; j <= b.len; j++) {
            char x = a.ptr[i - 1], y = b.ptr[j - 1];
            if (fold_case) { x = lower(x); y = lower(y); }
            unsigned cost = x == y ? 0 : 1;
            unsigned v = prev[j - 1] + cost;
            if (prev[j] + 1 < v) v = prev[j] + 1;
            if (row[j - 1] + 1 < v) v = row[j - 1] + 1;
            row[j] = v;
            if (v < best) best = v;
        }
        if (best > max) return max + 1;
        memcpy(prev, row, sizeof(unsigned) * (b.len + 1));
    }
    return prev[b.len] > max ? max + 1 : prev[b.len];
}

const char *dw_suggest(dw_str word, const char *const *cands, size_t n, bool fold_case)
{
    const char *best = NULL;
    unsigned bestd = 3;
    for (size_t i = 0; i < n; i++) {
        unsigned d = dw_edit_distance(word, dw_str_c(cands[i]), 2, fold_case);
        if (d < bestd) { bestd = d; best = cands[i]; }
    }
    return best;
}

uint32_t dw_hash(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

uint32_t dw_hash_lower(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32u : b[i])) * 16777619u;
    return h;
}
