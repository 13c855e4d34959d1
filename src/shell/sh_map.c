/* sh_map.c — position maps: from a pointer into a script's text to the
 * byte offset in the Dockerfile. A decoded copy (SEGS) maps into its
 * parent's text, which maps further, until a map that knows the file
 * (INSTR, FILE) or gives up byte-exactness (SPAN). The chain is walked in a
 * loop, so the depth of `sh -c "sh -c …"` nesting costs no stack. */
#include "sh.h"

sh_map *sh_map_instr(dw_arena *a, const dw_instr *in)
{
    sh_map *m = DW_NEW(a, sh_map, 1);
    m->kind = SH_MAP_INSTR;
    m->in = in;
    return m;
}

sh_map *sh_map_file(dw_arena *a, const char *base, uint32_t len, uint32_t file_off)
{
    sh_map *m = DW_NEW(a, sh_map, 1);
    m->kind = SH_MAP_FILE;
    m->base = base;
    m->len = len;
    m->base_off = file_off;
    return m;
}

sh_map *sh_map_segs(dw_arena *a, const char *base, const sh_seg *segs, uint32_t nsegs, const sh_map *parent)
{
    sh_map *m = DW_NEW(a, sh_map, 1);
    m->kind = SH_MAP_SEGS;
    m->base = base;
    m->segs = segs;
    m->nsegs = nsegs;
    m->parent = parent;
    return m;
}

sh_map *sh_map_whole(dw_arena *a, dw_span span)
{
    sh_map *m = DW_NEW(a, sh_map, 1);
    m->kind = SH_MAP_SPAN;
    m->span = span;
    return m;
}

/* The raw byte a decoded byte came from: the last segment starting at or
 * before it (binary search), clamped to that segment's end. */
static const char *seg_raw(const sh_map *m, const char *p)
{
    if (!m->nsegs) return NULL;
    if (p < m->base) return m->segs[0].raw;
    size_t d = (size_t)(p - m->base);
    uint32_t lo = 0, hi = m->nsegs;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (m->segs[mid].voff <= d) lo = mid; else hi = mid;
    }
    const sh_seg *s = &m->segs[lo];
    size_t k = d >= s->voff ? d - s->voff : 0;
    if (k > s->len) k = s->len;
    return s->raw + k;
}

uint32_t sh_map_offset(const sh_map *m, const char *p)
{
    while (m) {
        switch (m->kind) {
        case SH_MAP_INSTR:
            return dw_instr_file_offset(m->in, p);
        case SH_MAP_FILE: {
            if (p < m->base) return m->base_off;
            size_t d = (size_t)(p - m->base);
            if (d > m->len) d = m->len;
            return m->base_off + (uint32_t)d;
        }
        case SH_MAP_SPAN:
            return m->span.start;
        case SH_MAP_SEGS: {
            const char *q = seg_raw(m, p);
            if (!q) return 0;
            p = q;
            m = m->parent;
            break;
        }
        }
    }
    return 0;
}

dw_span sh_map_span(const sh_map *m, const char *p, size_t len)
{
    for (const sh_map *r = m; r; r = r->kind == SH_MAP_SEGS ? r->parent : NULL)
        if (r->kind == SH_MAP_SPAN) return r->span;
    dw_span s;
    s.start = sh_map_offset(m, p);
    s.end = len ? sh_map_offset(m, p + len - 1) + 1 : s.start;
    if (s.end < s.start) s.end = s.start;
    return s;
}
