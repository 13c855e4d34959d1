/* util.h — internal helpers shared by every module: arena, string views,
 * vectors, UTF-8 helpers, a growable scratch buffer. The public types
 * (dw_str, dw_span, dw_arena) are declared in dockwright.h. */
#ifndef DW_UTIL_H
#define DW_UTIL_H

#include "dockwright.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void dw_oom(void);
void *dw_xmalloc(size_t n);
void *dw_xrealloc(void *p, size_t n);

void *dw_arena_alloc_array(dw_arena *a, size_t count, size_t size);
/* Like dw_arena_alloc, aligned to `align` (1, 2, 4, 8 or 16) only: strings
 * and small records pack tighter. */
void *dw_arena_alloc_align(dw_arena *a, size_t n, size_t align);
void dw_arena_adopt_mapping(dw_arena *a, void *p, size_t size); /* munmap'd with the arena */
char *dw_arena_vprintf(dw_arena *a, const char *fmt, va_list ap);
void *dw_vec_grow(dw_arena *a, void *items, uint32_t *cap, uint32_t need, size_t item_size);

/* Zeroing, overflow-checked allocation of n objects of type T. */
#define DW_NEW(a, T, n) ((T *)dw_arena_alloc_array((a), (n), sizeof(T)))
/* The same, aligned for T only (_Alignof), not to 16: for arrays of records. */
#define DW_NEW_PACKED(a, T, n) ((T *)dw_arena_alloc_packed((a), (n), sizeof(T), _Alignof(T)))
/* The largest power of two up to 16 that divides `size`: an alignment that
 * is always enough for items of that size. */
static inline size_t dw_align_for(size_t size) { return size & 15 ? size & -size : 16; }
void *dw_arena_alloc_packed(dw_arena *a, size_t count, size_t size, size_t align);

/* An arena-backed vector is any struct with fields `v`, `n`, `cap`. */
#define DW_VEC(T) struct { T *v; uint32_t n, cap; }
#define DW_VEC_PUSH(a, vec, item)                                                      \
    do {                                                                               \
        if ((vec).n == (vec).cap)                                                      \
            (vec).v = dw_vec_grow((a), (vec).v, &(vec).cap, (vec).n + 1, sizeof *(vec).v); \
        (vec).v[(vec).n++] = (item);                                                   \
    } while (0)

/* A scratch vector on malloc'd memory, for lists whose length is not known
 * in advance: DW_SVEC_COMMIT copies it, exactly sized, into the arena and
 * frees the scratch, so arena memory holds no half-empty doubled arrays. */
#define DW_SVEC_PUSH(vec, item)                                                        \
    do {                                                                               \
        if ((vec).n == (vec).cap) {                                                    \
            (vec).cap = (vec).cap ? (vec).cap * 2 : 8;                                 \
            (vec).v = dw_xrealloc((vec).v, sizeof *(vec).v * (vec).cap);               \
        }                                                                              \
        (vec).v[(vec).n++] = (item);                                                   \
    } while (0)
#define DW_SVEC_COMMIT(a, vec, out, nout)                                              \
    do {                                                                               \
        (nout) = (vec).n;                                                              \
        (out) = (vec).n ? dw_arena_copy((a), (vec).v, sizeof *(vec).v * (vec).n) : NULL; \
        free((vec).v);                                                                 \
        (vec).v = NULL;                                                                \
        (vec).n = (vec).cap = 0;                                                       \
    } while (0)
#define DW_SVEC_FREE(vec) do { free((vec).v); (vec).v = NULL; (vec).n = (vec).cap = 0; } while (0)
/* Like DW_SVEC_COMMIT, but the scratch keeps its memory for the next use
 * (long-lived scratch vectors: no malloc/free per use), and the copy is
 * aligned for the item type only. */
#define DW_SVEC_TAKE(a, vec, out, nout)                                                \
    do {                                                                               \
        (nout) = (vec).n;                                                              \
        (out) = (vec).n ? dw_arena_copy_items((a), (vec).v, (vec).n, sizeof *(vec).v) : NULL; \
        (vec).n = 0;                                                                   \
    } while (0)
void *dw_arena_copy(dw_arena *a, const void *p, size_t n);
/* Copies count items of `size` bytes, aligned as such items need to be. */
void *dw_arena_copy_items(dw_arena *a, const void *p, size_t count, size_t size);

/* Growable zeroed storage for big per-file arrays: heap memory while small,
 * then an anonymous mapping that grows without copying (mremap) and faults
 * in only what is asked for, in big steps. `ready` bytes are usable;
 * dw_mapbuf_grow makes it at least `need`. */
typedef struct { void *p; size_t cap, ready; bool mapped; } dw_mapbuf;
void *dw_mapbuf_grow(dw_mapbuf *m, size_t need); /* returns m->p */
void dw_mapbuf_adopt(dw_arena *a, dw_mapbuf *m); /* the arena unmaps it */
void dw_mapbuf_free(dw_mapbuf *m);

/* A line table built piece by piece (see dw_linemap_build): a reader scans
 * the next piece just before it reads it, while it is still in the cache. */
typedef struct {
    dw_mapbuf buf;
    uint32_t n;       /* line starts found: starts[0 .. n) */
    uint32_t scanned; /* bytes of the text scanned */
} dw_linescan;
void dw_linescan_next(dw_linescan *ls, const char *src, uint32_t len);
/* Scans the rest and hands the table over to m (the arena owns it). */
void dw_linescan_finish(dw_linescan *ls, dw_linemap *m, dw_arena *a, const char *src, uint32_t len);

/* ---- string views ---- */
static inline dw_str dw_str_make(const char *p, size_t n) { dw_str s = {p, n}; return s; }
static inline dw_str dw_str_c(const char *p) { return dw_str_make(p, p ? strlen(p) : 0); }
static inline bool dw_str_eq(dw_str a, dw_str b) { return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0); }
static inline bool dw_str_eqc(dw_str a, const char *c) { return dw_str_eq(a, dw_str_c(c)); }
bool dw_str_ieq(dw_str a, dw_str b);   /* ASCII case-insensitive */
bool dw_str_ieqc(dw_str a, const char *c);
bool dw_str_has_prefix(dw_str s, const char *prefix);
dw_str dw_str_sub(dw_str s, size_t from, size_t to);
const char *dw_str_chr(dw_str s, char c);
dw_str dw_str_dup(dw_arena *a, dw_str s);       /* NUL-terminated copy */
dw_str dw_str_lower(dw_arena *a, dw_str s);     /* ASCII lower-cased copy */
char *dw_str_cstr(dw_arena *a, dw_str s);
/* FNV-1a of the bytes: the hash of every open-addressing table here; the
 * _lower form hashes ASCII letters as lower case (for case-insensitive keys). */
uint32_t dw_hash(const void *p, size_t n);
uint32_t dw_hash_lower(const void *p, size_t n);

/* ---- UTF-8 and Unicode white space (Go's unicode.IsSpace) ---- */
/* Decodes one code point at p (n bytes available). On invalid input returns
 * U+FFFD with *width = 1, like Go's utf8.DecodeRune. */
uint32_t dw_utf8_decode(const char *p, size_t n, int *width);
int dw_utf8_encode(uint32_t cp, char out[4]);
bool dw_unicode_is_space(uint32_t cp);
/* Width in bytes of a Unicode space starting at p, or 0 if none. */
int dw_space_at(const char *p, size_t n);
/* The same, with the ASCII case inline: for per-byte loops. */
static inline int dw_space_at_fast(const char *p, size_t n)
{
    if (n == 0) return 0;
    unsigned char c = (unsigned char)p[0];
    if (c < 0x80) return c == ' ' || (c >= '\t' && c <= '\r');
    return c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3 ? dw_space_at(p, n) : 0;
}
/* Leading Unicode spaces removed. The ASCII blanks that start nearly every
 * line are skipped inline (the parser calls this per line); the first
 * non-ASCII byte goes to the out-of-line rest (str.c). */
dw_str dw_str_trim_left_space_rest(dw_str s);
static inline dw_str dw_str_trim_left_space(dw_str s)
{
    size_t i = 0;
    while (i < s.len) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c == ' ' || (c >= '\t' && c <= '\r')) { i++; continue; }
        if (c >= 0x80) return dw_str_trim_left_space_rest(dw_str_make(s.ptr + i, s.len - i));
        break;
    }
    return dw_str_make(s.ptr ? s.ptr + i : s.ptr, s.len - i);
}
dw_str dw_str_trim_right_space(dw_str s);
dw_str dw_str_trim_space(dw_str s);
size_t dw_utf8_count(const char *p, size_t n); /* code points; invalid byte = 1 */

/* Writes all `n` bytes to `fd`, again after a short write or EINTR (io.c);
 * false with errno set on an error. */
bool dw_write_all(int fd, const void *p, size_t n);

/* ---- growable byte buffer: dw_buf is public (dockwright.h) ---- */

/* Levenshtein distance, capped: returns max+1 when larger than max. */
unsigned dw_edit_distance(dw_str a, dw_str b, unsigned max, bool fold_case);
/* "did you mean" among candidates: the nearest at edit distance <= 2, or NULL. */
const char *dw_suggest(dw_str word, const char *const *cands, size_t n, bool fold_case);

#endif
