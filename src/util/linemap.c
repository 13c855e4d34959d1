/* linemap.c — byte offset to 1-based line/column through a binary-searched
 * table of line starts. A line ends at '\n'; a '\r' before it belongs to the
 * terminator. Columns count code points (a tab is one). */
#include "util.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Finds the line starts in the next piece of the text (SSE2, 64 bytes at a
 * time), appending them to a mapping that grows without copying. */
#define SCAN_CHUNK (16u << 10)

void dw_linescan_next(dw_linescan *ls, const char *src, uint32_t len)
{
    uint32_t *starts = ls->buf.p;
    size_t cap = ls->buf.ready / sizeof(uint32_t);
    uint32_t n = ls->n, i = ls->scanned;
    if (n == 0) {
        starts = dw_mapbuf_grow(&ls->buf, sizeof(uint32_t) * 64);
        cap = ls->buf.ready / sizeof(uint32_t);
        starts[n++] = 0;
    }
    uint32_t end = len - i > SCAN_CHUNK ? i + SCAN_CHUNK : len;
#ifdef __SSE2__
    const __m128i nl = _mm_set1_epi8('\n');
    for (; end - i >= 64; i += 64) {
#define NL_MASK(k) ((uint64_t)(uint32_t)_mm_movemask_epi8(                                \
                         _mm_cmpeq_epi8(_mm_loadu_si128((const void *)(src + i + 16 * (k))), nl)) \
                     << (16 * (k)))
        uint64_t mask = NL_MASK(0) | NL_MASK(1) | NL_MASK(2) | NL_MASK(3);
#undef NL_MASK
        if (!mask) continue;
        if (cap - n < 64) {
            starts = dw_mapbuf_grow(&ls->buf, ((size_t)n + 64) * sizeof(uint32_t));
            cap = ls->buf.ready / sizeof(uint32_t);
        }
        do {
            starts[n++] = i + (uint32_t)__builtin_ctzll(mask) + 1;
            mask &= mask - 1;
        } while (mask);
    }
#endif
    for (const char *p = src + i, *e = src + end; (p = memchr(p, '\n', (size_t)(e - p))); p++) {
        if (n == cap) {
            starts = dw_mapbuf_grow(&ls->buf, ((size_t)n + 1) * sizeof(uint32_t));
            cap = ls->buf.ready / sizeof(uint32_t);
        }
        starts[n++] = (uint32_t)(p - src) + 1;
    }
    ls->n = n;
    ls->scanned = end;
}

void dw_linescan_finish(dw_linescan *ls, dw_linemap *m, dw_arena *a, const char *src, uint32_t len)
{
    do dw_linescan_next(ls, src, len);
    while (ls->scanned < len);
    m->starts = ls->buf.p;
    m->count = ls->n;
    m->src = src;
    m->len = len;
    m->memo_line = m->memo_off = m->memo_col = 0;
    dw_mapbuf_adopt(a, &ls->buf);
    ls->n = ls->scanned = 0;
}

void dw_linemap_build(dw_linemap *m, dw_arena *a, const char *src, uint32_t len)
{
    dw_linescan ls = {0};
    dw_linescan_finish(&ls, m, a, src, len);
}

uint32_t dw_linemap_line(const dw_linemap *m, uint32_t offset)
{
    uint32_t lo = 0, hi = m->count;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->starts[mid] <= offset) lo = mid; else hi = mid;
    }
    return lo + 1;
}

dw_pos dw_linemap_pos(const dw_linemap *m, uint32_t offset)
{
    if (offset > m->len) offset = m->len;
    dw_pos p;
    p.line = dw_linemap_line(m, offset);
    uint32_t start = m->starts[p.line - 1];
    dw_linemap *memo = (dw_linemap *)m; /* the memo is a cache, not state */
    if (m->memo_line == p.line && offset >= m->memo_off && m->memo_off >= start)
        p.col = m->memo_col + (uint32_t)dw_utf8_count(m->src + m->memo_off, offset - m->memo_off);
    else
        p.col = (uint32_t)dw_utf8_count(m->src + start, offset - start) + 1;
    memo->memo_line = p.line;
    memo->memo_off = offset;
    memo->memo_col = p.col;
    return p;
}

dw_str dw_linemap_text(const dw_linemap *m, uint32_t line)
{
    if (line == 0 || line > m->count) return dw_str_make(m->src, 0);
    uint32_t start = m->starts[line - 1];
    uint32_t end = line < m->count ? m->starts[line] - 1 : m->len;
    if (end > start && m->src[end - 1] == '\r' && line < m->count) end--;
    return dw_str_make(m->src + start, end - start);
}
