/* cv_build.c — small tools the Compose loader stages share: making and
 * editing dw_cv nodes, a string-keyed hash table, dotted paths matched
 * against compose-go's `*` patterns. */
#include "compose_int.h"

/* ---- dw_cv nodes ---- */

dw_cv *dw_cv_new(dw_arena *a, dw_cv_kind kind, const dw_cv *like)
{
    dw_cv *v = DW_NEW(a, dw_cv, 1);
    if (like) {
        v->file = like->file;
        v->span = like->span;
        v->pos = like->pos;
    }
    v->kind = kind;
    v->synthetic = true;
    return v;
}

dw_cv *dw_cv_new_str(dw_arena *a, dw_str s, const dw_cv *like)
{
    dw_cv *v = dw_cv_new(a, DW_CV_STR, like);
    v->raw = v->s = s;
    return v;
}

dw_cv *dw_cv_copy(dw_arena *a, const dw_cv *v)
{
    dw_cv *c = DW_NEW(a, dw_cv, 1);
    *c = *v;
    c->cap = 0;
    if (v->kind == DW_CV_MAP && v->n) {
        c->pairs = DW_NEW(a, dw_cv_pair, v->n);
        memcpy(c->pairs, v->pairs, sizeof *c->pairs * v->n);
    } else if (v->kind == DW_CV_SEQ && v->n) {
        c->items = DW_NEW(a, dw_cv *, v->n);
        memcpy(c->items, v->items, sizeof *c->items * v->n);
    }
    return c;
}

dw_cv *dw_cv_getn(const dw_cv *m, dw_str key)
{
    if (!m || m->kind != DW_CV_MAP) return NULL;
    for (uint32_t i = 0; i < m->n; i++)
        if (dw_str_eq(m->pairs[i].key, key)) return m->pairs[i].value;
    return NULL;
}

/* Room for one more pair or item: arrays made elsewhere are exactly `n`
 * long (cap 0), ours grow by doubling. */
static void *grow(dw_arena *a, void *items, uint32_t n, uint32_t *cap, size_t size)
{
    if (n < *cap) return items;
    uint32_t nc = n < 2 ? 4 : n * 2;
    void *ni = dw_arena_alloc_array(a, nc, size);
    if (n) memcpy(ni, items, size * n);
    *cap = nc;
    return ni;
}

void dw_cv_set(dw_arena *a, dw_cv *map, dw_str key, dw_cv *val)
{
    for (uint32_t i = 0; i < map->n; i++)
        if (dw_str_eq(map->pairs[i].key, key)) {
            map->pairs[i].value = val;
            return;
        }
    dw_cv_add(a, map, key, val);
}

void dw_cv_add(dw_arena *a, dw_cv *map, dw_str key, dw_cv *val)
{
    map->pairs = grow(a, map->pairs, map->n, &map->cap, sizeof *map->pairs);
    dw_cv_pair *p = &map->pairs[map->n++];
    memset(p, 0, sizeof *p);
    p->key = key;
    if (val) {
        p->key_span = val->span;
        p->key_pos = val->pos;
    }
    p->value = val;
}

void dw_cv_append_pair(dw_arena *a, dw_cv *map, const dw_cv_pair *pair)
{
    map->pairs = grow(a, map->pairs, map->n, &map->cap, sizeof *map->pairs);
    map->pairs[map->n++] = *pair;
}

void dw_cv_del(dw_cv *map, dw_str key)
{
    for (uint32_t i = 0; i < map->n; i++)
        if (dw_str_eq(map->pairs[i].key, key)) {
            memmove(&map->pairs[i], &map->pairs[i + 1], sizeof *map->pairs * (map->n - i - 1));
            map->n--;
            return;
        }
}

void dw_cv_push(dw_arena *a, dw_cv *seq, dw_cv *item)
{
    seq->items = grow(a, seq->items, seq->n, &seq->cap, sizeof *seq->items);
    seq->items[seq->n++] = item;
}

/* ---- hash table ---- */

static uint64_t hash(dw_str s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < s.len; i++) h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ull;
    return h;
}

void *dw_strmap_get(const dw_strmap *m, dw_str key)
{
    if (!m->cap) return NULL;
    for (uint32_t i = (uint32_t)hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->vals[i]) return NULL;
        if (dw_str_eq(m->keys[i], key)) return m->vals[i];
    }
}

void *dw_strmap_put(dw_strmap *m, dw_str key, void *val)
{
    if ((m->n + 1) * 2 > m->cap) {
        dw_strmap g = {0};
        g.cap = m->cap ? m->cap * 2 : 16;
        g.keys = dw_xmalloc(sizeof *g.keys * g.cap);
        g.vals = dw_xmalloc(sizeof *g.vals * g.cap);
        memset(g.vals, 0, sizeof *g.vals * g.cap);
        for (uint32_t i = 0; i < m->cap; i++)
            if (m->vals[i]) dw_strmap_put(&g, m->keys[i], m->vals[i]);
        dw_strmap_free(m);
        *m = g;
    }
    for (uint32_t i = (uint32_t)hash(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        if (!m->vals[i]) {
            m->keys[i] = key;
            m->vals[i] = val;
            m->n++;
            return NULL;
        }
        if (dw_str_eq(m->keys[i], key)) {
            void *old = m->vals[i];
            m->vals[i] = val;
            return old;
        }
    }
}

void dw_strmap_free(dw_strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- paths ---- */

bool dw_cpath_matches(const dw_cpath *p, const char *pattern)
{
    if (p->depth > DW_PATH_MAX) return false;
    uint32_t i = 0;
    const char *s = pattern;
    for (;;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        if (i >= p->n) return false;
        if (!(len == 1 && s[0] == '*') && !dw_str_eq(p->seg[i], dw_str_make(s, len))) return false;
        i++;
        if (!dot) return i == p->n;
        s = dot + 1;
    }
}

const char *dw_cpath_string(dw_arena *a, const dw_cpath *p)
{
    dw_buf b = {0};
    for (uint32_t i = 0; i < p->n; i++) {
        if (p->item[i] != UINT32_MAX) {
            dw_buf_printf(&b, "[%u]", p->item[i]);
            continue;
        }
        if (i) dw_buf_putc(&b, '.');
        dw_buf_put(&b, p->seg[i].ptr, p->seg[i].len);
    }
    const char *s = dw_arena_memdup(a, b.p ? b.p : "", b.n);
    dw_buf_free(&b);
    return s;
}
