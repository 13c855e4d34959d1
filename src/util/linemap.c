/* linemap.c — byte offset to 1-based line/column through a binary-searched
 * table of line starts. A line ends at '\n'; a '\r' before it belongs to the
 * terminator. Columns count code points (a tab is one). */
#include "util.h"

void dw_linemap_build(dw_linemap *m, dw_arena *a, const char *src, uint32_t len)
{
    uint32_t count = 1;
    for (const char *p = src, *end = src + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        count++;
    m->starts = DW_NEW(a, uint32_t, count);
    m->count = count;
    m->src = src;
    m->len = len;
    uint32_t i = 0;
    m->starts[i++] = 0;
    for (const char *p = src, *end = src + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        m->starts[i++] = (uint32_t)(p - src) + 1;
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
    p.col = (uint32_t)dw_utf8_count(m->src + start, offset - start) + 1;
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
