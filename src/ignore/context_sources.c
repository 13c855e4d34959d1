/* context_sources.c — the sources a Dockerfile reads from the build
 * context and the paths they name (context_sources.h). */
#include "context_sources.h"

#include <stdlib.h>
#include <string.h>

static uint32_t *named_slot(named_table *t, const char *p, size_t n)
{
    uint32_t k = dw_hash(p, n) & (t->cap - 1);
    while (t->slots[k] != UINT32_MAX) {
        const named *x = &t->v.v[t->slots[k]];
        if (x->len == n && !memcmp(t->paths.p + x->off, p, n)) break;
        k = (k + 1) & (t->cap - 1);
    }
    return &t->slots[k];
}

static void named_grow(named_table *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    uint32_t *old = t->slots, ocap = t->cap;
    t->slots = malloc(sizeof *t->slots * cap);
    memset(t->slots, 0xff, sizeof *t->slots * cap);
    t->cap = cap;
    for (uint32_t i = 0; i < ocap; i++) {
        if (old[i] == UINT32_MAX) continue;
        const named *x = &t->v.v[old[i]];
        *named_slot(t, t->paths.p + x->off, x->len) = old[i];
    }
    free(old);
}

static int on_named(const dw_copy_entry *e, void *ud)
{
    named_table *t = ud;
    if (!e->top) return 0;
    copy_src *c = &t->cl->v[t->current];
    if (e->len == 1 && e->rel[0] == '.') { c->whole = true; return 0; }
    if ((t->v.n + 1) * 2 > t->cap) named_grow(t);
    uint32_t *slot = named_slot(t, e->rel, e->len);
    named x = {t->paths.n, (uint32_t)e->len, t->current, *slot};
    dw_buf_put(&t->paths, e->rel, e->len);
    *slot = t->v.n;
    DW_SVEC_PUSH(t->v, x);
    uint32_t depth = 0;
    for (size_t i = 0; i < e->len; i++) depth += e->rel[i] == '/';
    if (depth >= t->ndepths) {
        uint32_t n = depth + 8;
        t->depths = realloc(t->depths, n);
        memset(t->depths + t->ndepths, 0, n - t->ndepths);
        t->ndepths = n;
    }
    t->depths[depth] = 1;
    return 0;
}

void dw_ctx_sources_collect(const dw_dockerfile *df, copy_list *cl)
{
    dw_ctx_read_iter it = {0, 0, true};
    dw_ctx_read r;
    while (dw_ctx_read_next(df, &it, &r)) {
        copy_src c;
        memset(&c, 0, sizeof c);
        c.line = r.in->line;
        c.instr = r.mount ? "RUN --mount" : r.in->kind == DW_I_ADD ? "ADD" : "COPY";
        c.source = strndup(r.value.ptr, r.value.len);
        if (r.windows) dw_copy_source_slashes(c.source, r.value.len);
        c.wild = dw_copy_has_wildcard(c.source, r.value.len);
        char *base = malloc(r.value.len + 3);
        c.base_len = dw_copy_source_base(c.source, r.value.len, r.parents, base);
        if (r.parents) {
            base[c.base_len] = 0;
            c.pivot = base;
        } else {
            free(base);
        }
        if (!r.mount) c.exclude = dw_copy_excludes(r.in);
        DW_SVEC_PUSH(*cl, c);
    }
}

void dw_ctx_sources_resolve(copy_list *cl, const char *dir, const dw_dockerignore *di, named_table *t)
{
    t->cl = cl;
    named_grow(t);
    dw_copy_dircache *cache = dw_copy_dircache_new(); /* a folder is listed once for all sources */
    for (uint32_t i = 0; i < cl->n; i++) {
        copy_src *c = &cl->v[i];
        dw_copy_opts o = {dir, di, c->exclude, c->pivot != NULL, false, 0, cache};
        t->current = i;
        c->named = dw_copy_source_expand(&o, c->source, strlen(c->source), on_named, t, &c->res);
    }
    dw_copy_dircache_free(cache);
}

uint32_t dw_ctx_named_first(named_table *t, const char *p, size_t n) { return *named_slot(t, p, n); }

/* Why the build fails on this source, or NULL. */
const char *dw_ctx_source_failure(const copy_src *c)
{
    if (c->whole || c->named > 0) return NULL;
    if (c->res.base_missing) return "not found: the build fails";
    if (c->wild) return NULL;
    return c->res.ignored ? "excluded by the ignore file: the build fails" : "not found: the build fails";
}

void dw_ctx_sources_free(copy_list *cl, named_table *t)
{
    for (uint32_t i = 0; i < cl->n; i++) {
        free(cl->v[i].source);
        free(cl->v[i].pivot);
        dw_dockerignore_free(cl->v[i].exclude);
    }
    DW_SVEC_FREE(*cl);
    dw_buf_free(&t->paths);
    DW_SVEC_FREE(t->v);
    free(t->slots);
    free(t->depths);
}
