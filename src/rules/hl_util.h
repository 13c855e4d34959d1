/* hl_util.h — small helpers shared by the rules in df_hadolint.c and
 * df_labels.c: quote stripping, spans of parts of a word, variable
 * references, and a string-keyed hash map so per-file passes stay linear
 * even on files with thousands of stages or variables. */
#ifndef DW_HL_UTIL_H
#define DW_HL_UTIL_H

#include "rule.h"

/* The text without one pair of surrounding matching quotes ("x" or 'x'),
 * as hadolint compares paths and values. */
static inline dw_str hl_unquote(dw_str s)
{
    if (s.len >= 2 && (s.ptr[0] == '"' || s.ptr[0] == '\'') && s.ptr[s.len - 1] == s.ptr[0])
        return dw_str_make(s.ptr + 1, s.len - 2);
    return s;
}

static inline bool hl_is_digits(dw_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return false;
    return true;
}

static inline bool hl_has_var(dw_str s) { return dw_str_chr(s, '$') != NULL; }

/* The file span of bytes [off, off+len) of a word's text. `in` is the
 * instruction whose joined line holds the text (for an ONBUILD trigger, the
 * ONBUILD instruction). Falls back to the whole word when the text is not
 * the file's bytes (a decoded JSON string). */
static inline dw_span hl_word_span(const dw_instr *in, const dw_word *w, size_t off, size_t len)
{
    if (off > w->text.len) return w->span;
    if (len > w->text.len - off) len = w->text.len - off;
    /* no continuation inside the word: the text is the file's bytes */
    if ((size_t)(w->span.end - w->span.start) == w->text.len) {
        dw_span s = {w->span.start + (uint32_t)off, w->span.start + (uint32_t)(off + len)};
        return s;
    }
    if (in->original.len && w->text.ptr >= in->original.ptr &&
        w->text.ptr + w->text.len <= in->original.ptr + in->original.len)
        return dw_instr_file_span(in, w->text.ptr + off, len);
    return w->span;
}

/* The span of a flag's value (`foo` in `--from=foo`), or the whole flag when
 * quotes or continuations make the value's bytes differ from the file's. */
static inline dw_span hl_flag_value_span(const dw_flag *f)
{
    dw_span s = f->span;
    if ((size_t)(s.end - s.start) == f->raw.len && f->value.len <= f->raw.len) s.start = s.end - (uint32_t)f->value.len;
    return s;
}

/* The first flag named `name`, or NULL. */
static inline const dw_flag *hl_flag(const dw_instr *in, const char *name)
{
    for (uint32_t i = 0; i < in->nflags; i++)
        if (dw_str_eqc(in->flags[i].name, name)) return &in->flags[i];
    return NULL;
}

/* Iterates the variable references of shell text the way BuildKit's lexer
 * sees them: `$NAME` and `${NAME…}`, not inside single quotes and not
 * escaped. On each call returns true with the name and the reference's
 * byte range [*start, *end) in `s`; *pos carries the scan state. */
static inline bool hl_is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static inline bool hl_next_var(dw_str s, char escape, size_t *pos, bool *in_dq, dw_str *name, size_t *start,
                               size_t *end)
{
    size_t i = *pos;
    while (i < s.len) {
        char c = s.ptr[i];
        if (c == escape) { i += 2; continue; }
        if (c == '"') { *in_dq = !*in_dq; i++; continue; }
        if (c == '\'' && !*in_dq) {
            i++;
            while (i < s.len && s.ptr[i] != '\'') i++;
            i++;
            continue;
        }
        if (c != '$' || i + 1 >= s.len) { i++; continue; }
        size_t st = i;
        if (s.ptr[i + 1] == '{') {
            size_t b = i + 2, e = b;
            while (e < s.len && hl_is_name_char(s.ptr[e])) e++;
            size_t close = e;
            while (close < s.len && s.ptr[close] != '}') close++;
            *pos = close < s.len ? close + 1 : s.len;
            if (e == b) { i = *pos; continue; }
            *name = dw_str_make(s.ptr + b, e - b);
            *start = st;
            *end = *pos;
            return true;
        }
        size_t b = i + 1, e = b;
        if (!((s.ptr[b] >= 'a' && s.ptr[b] <= 'z') || (s.ptr[b] >= 'A' && s.ptr[b] <= 'Z') || s.ptr[b] == '_')) {
            i++;
            continue;
        }
        while (e < s.len && hl_is_name_char(s.ptr[e])) e++;
        *name = dw_str_make(s.ptr + b, e - b);
        *start = st;
        *end = e;
        *pos = e;
        return true;
    }
    *pos = s.len;
    return false;
}

/* A string-keyed open-addressing map to ints, in the file's arena. */
typedef struct {
    dw_str *keys;
    int *vals;
    uint32_t mask, n;
    bool fold; /* ASCII case-insensitive keys (stage names) */
    dw_arena *a;
} hl_map;

static inline uint64_t hl_hash(dw_str s, bool fold)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (fold && c >= 'A' && c <= 'Z') c = (char)(c + 32);
        h = (h ^ (unsigned char)c) * 1099511628211ull;
    }
    return h;
}

static inline void hl_map_init(hl_map *m, dw_arena *a, uint32_t cap, bool fold)
{
    uint32_t c = 16;
    while (c < cap * 2) c *= 2;
    m->keys = DW_NEW(a, dw_str, c);
    m->vals = DW_NEW(a, int, c);
    m->mask = c - 1;
    m->n = 0;
    m->fold = fold;
    m->a = a;
}

static inline bool hl_key_eq(const hl_map *m, dw_str a, dw_str b)
{
    return m->fold ? dw_str_ieq(a, b) : dw_str_eq(a, b);
}

/* The slot of `k`: where it is, or the empty slot where it would go. */
static inline uint32_t hl_map_slot(const hl_map *m, dw_str k)
{
    uint32_t i = (uint32_t)hl_hash(k, m->fold) & m->mask;
    while (m->keys[i].ptr && !hl_key_eq(m, m->keys[i], k)) i = (i + 1) & m->mask;
    return i;
}

/* Looks `k` up: its value, or `missing`. */
static inline int hl_map_get(const hl_map *m, dw_str k, int missing)
{
    if (!k.ptr) return missing;
    uint32_t i = hl_map_slot(m, k);
    return m->keys[i].ptr ? m->vals[i] : missing;
}

/* Sets `k` (a view that must outlive the map) unless `keep_first` and it is
 * already present. */
static inline void hl_map_put(hl_map *m, dw_str k, int v, bool keep_first)
{
    if (!k.ptr) return;
    if ((m->n + 1) * 2 > m->mask + 1) { /* keep the load under one half */
        hl_map bigger;
        hl_map_init(&bigger, m->a, m->mask + 1, m->fold);
        for (uint32_t i = 0; i <= m->mask; i++)
            if (m->keys[i].ptr) {
                uint32_t s = hl_map_slot(&bigger, m->keys[i]);
                bigger.keys[s] = m->keys[i];
                bigger.vals[s] = m->vals[i];
                bigger.n++;
            }
        *m = bigger;
    }
    uint32_t i = hl_map_slot(m, k);
    if (m->keys[i].ptr) {
        if (!keep_first) m->vals[i] = v;
        return;
    }
    m->keys[i] = k;
    m->vals[i] = v;
    m->n++;
}

#endif
