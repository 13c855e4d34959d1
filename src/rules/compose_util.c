/* compose_util.c — the normalisers the Compose rules share (see
 * compose_util.h): services, ports, volumes, environment, references,
 * durations, healthchecks and the build section, with the Dockerfile a
 * service builds parsed once per project. */
#include "compose_util.h"

#include <stdlib.h>
#include <sys/stat.h>

/* ---- services ---- */

const dw_cv *compose_services(const dw_lint *ctx)
{
    if (!ctx->compose || !ctx->compose->model) return NULL;
    const dw_cv *s = dw_cv_get(ctx->compose->model, "services");
    return s && s->kind == DW_CV_MAP ? s : NULL;
}

const dw_cv_pair *compose_next_service(const dw_lint *ctx, const dw_cv_pair *prev)
{
    const dw_cv *s = compose_services(ctx);
    if (!s || !s->n) return NULL;
    uint32_t i = prev ? (uint32_t)(prev - s->pairs) + 1 : 0;
    for (; i < s->n; i++)
        if (s->pairs[i].value && s->pairs[i].value->kind == DW_CV_MAP) return &s->pairs[i];
    return NULL;
}

/* What the rules of one project share, made on first use and freed by
 * compose_util_release: the Dockerfiles read, and the services by name (a
 * rule looks services up once per reference: a scan would make a project
 * of many services quadratic). */
typedef struct {
    const char *key;        /* absolute path, or the inline node's address as text */
    dw_dockerfile *df;      /* NULL: missing or unreadable */
} df_slot;

typedef struct {
    df_slot *v;
    uint32_t cap, n;
    compose_named *by_name; /* compose_services, sorted */
    bool indexed;
} util_cache;

static util_cache *cache_of(dw_lint *ctx)
{
    if (!ctx->compose_cache) ctx->compose_cache = calloc(1, sizeof(util_cache));
    return ctx->compose_cache;
}

const dw_cv *compose_service(dw_lint *ctx, dw_str name)
{
    const dw_cv *s = compose_services(ctx);
    util_cache *c = cache_of(ctx);
    if (!s || !c) return NULL;
    if (!c->indexed) {
        c->by_name = compose_sorted_keys(ctx, s);
        c->indexed = true;
    }
    int at = compose_lookup(c->by_name, s->n, name);
    return at >= 0 ? s->pairs[at].value : NULL;
}

bool compose_service_active(const dw_lint *ctx, const dw_cv *svc)
{
    const dw_cv *pr = dw_cv_get(svc, "profiles");
    if (!pr || pr->kind != DW_CV_SEQ || !pr->n) return true;
    const dw_compose_project *p = ctx->compose;
    for (uint32_t i = 0; i < pr->n; i++) {
        dw_str name = dw_cv_text(pr->items[i]);
        if (dw_str_eqc(name, "*")) return true;
        for (uint32_t j = 0; p && j < p->nprofiles; j++)
            if (dw_str_eqc(name, p->profiles[j]) || !strcmp(p->profiles[j], "*")) return true;
    }
    return false;
}

bool compose_services_coexist(const dw_cv *a, const dw_cv *b)
{
    const dw_cv *pa = dw_cv_get(a, "profiles"), *pb = dw_cv_get(b, "profiles");
    if (!pa || pa->kind != DW_CV_SEQ || !pa->n || !pb || pb->kind != DW_CV_SEQ || !pb->n) return true;
    /* profile lists are a handful of names: the pairwise test is bounded */
    for (uint32_t i = 0; i < pa->n; i++)
        for (uint32_t j = 0; j < pb->n; j++)
            if (dw_str_eq(dw_cv_text(pa->items[i]), dw_cv_text(pb->items[j]))) return true;
    return false;
}

const char *compose_base_dir(const dw_lint *ctx, const dw_cv *at)
{
    const dw_compose_project *p = ctx->compose;
    /* rel_base: the project folder, an extends.file's own folder, or an
     * include's project_directory (not always the included file's folder) */
    if (at && at->file < p->nfiles && p->files[at->file].rel_base) return p->files[at->file].rel_base;
    if (p->dir) return p->dir;
    return p->nfiles ? p->files[0].abs_dir : ".";
}

const char *compose_join(dw_lint *ctx, const char *dir, dw_str rel)
{
    if (rel.len && (rel.ptr[0] == '/' || rel.ptr[0] == '~')) return dw_str_cstr(ctx->a, rel);
    while (rel.len >= 2 && rel.ptr[0] == '.' && rel.ptr[1] == '/') rel = dw_str_sub(rel, 2, rel.len);
    if (dw_str_eqc(rel, ".") || !rel.len) return dw_arena_printf(ctx->a, "%s", dir);
    return dw_arena_printf(ctx->a, "%s/%.*s", dir, (int)rel.len, rel.ptr);
}

dw_str compose_literal(const dw_cv *v)
{
    dw_str s = dw_cv_text(v);
    if (!s.ptr || dw_str_chr(s, '$')) return dw_str_make(NULL, 0);
    return s;
}

static bool has_dollar(dw_str s) { return dw_str_chr(s, '$') != NULL; }

/* ---- nodes reached twice ---- */

bool compose_first_visit(dw_lint *ctx, compose_seen *seen, const dw_cv *node)
{
    /* (file, offset + 1): never 0, the empty slot */
    uint64_t key = ((uint64_t)node->file << 32 | node->span.start) + 1;
    if (seen->n * 2 >= seen->cap) {
        uint32_t ncap = seen->cap ? seen->cap * 2 : 64;
        uint64_t *nv = DW_NEW(ctx->a, uint64_t, ncap);
        for (uint32_t i = 0; i < seen->cap; i++) {
            if (!seen->v[i]) continue;
            uint32_t j = (uint32_t)((seen->v[i] * 0x9e3779b97f4a7c15ull) >> 32) & (ncap - 1);
            while (nv[j]) j = (j + 1) & (ncap - 1);
            nv[j] = seen->v[i];
        }
        seen->v = nv;
        seen->cap = ncap;
    }
    uint32_t j = (uint32_t)((key * 0x9e3779b97f4a7c15ull) >> 32) & (seen->cap - 1);
    while (seen->v[j]) {
        if (seen->v[j] == key) return false;
        j = (j + 1) & (seen->cap - 1);
    }
    seen->v[j] = key;
    seen->n++;
    return true;
}

/* ---- positions ---- */

dw_span compose_subspan(const dw_lint *ctx, const dw_cv *v, size_t off, size_t len)
{
    const dw_compose_project *p = ctx->compose;
    if (!v || v->file >= p->nfiles || off + len > v->raw.len) return v ? v->span : (dw_span){0, 0};
    if (!dw_str_eq(v->raw, v->s)) return v->span;
    const dw_compose_file *f = &p->files[v->file];
    uint32_t w = v->span.end - v->span.start;
    if (v->span.end > f->len) return v->span;
    const char *at = f->src + v->span.start;
    uint32_t skip;
    if (w == v->raw.len && !memcmp(at, v->raw.ptr, w)) skip = 0;
    else if (w == v->raw.len + 2 && !memcmp(at + 1, v->raw.ptr, v->raw.len)) skip = 1;
    else return v->span;
    uint32_t s = v->span.start + skip + (uint32_t)off;
    return (dw_span){s, s + (uint32_t)len};
}

/* ---- ports: the loader's parser (syntax.h) behind the rules' shape ---- */

bool compose_port_parse(const dw_cv *item, compose_port *o)
{
    memset(o, 0, sizeof *o);
    o->node = item;
    o->protocol = dw_str_c("tcp");
    if (!item) return false;
    if (item->kind == DW_CV_INT || item->kind == DW_CV_STR) {
        /* compose-go reads a number as its decimal text */
        char num[24];
        dw_str text = dw_port_text(item, num);
        o->interpolated = item->interpolated || has_dollar(text);
        dw_port_range r;
        if (has_dollar(text) || !dw_port_parse(text, &r, NULL, NULL)) {
            o->unknown = true;
            return true;
        }
        o->host_ip = r.host_ip;
        o->has_host = r.has_host;
        o->host_lo = r.host_lo, o->host_hi = r.host_hi;
        o->target_lo = r.target_lo, o->target_hi = r.target_hi;
        o->protocol = r.protocol;
        return true;
    }
    if (item->kind != DW_CV_MAP) return false;
    o->long_form = true;
    const dw_cv *target = dw_cv_get(item, "target"), *pub = dw_cv_get(item, "published");
    const dw_cv *ip = dw_cv_get(item, "host_ip"), *proto = dw_cv_get(item, "protocol");
    const dw_cv *parts[] = {target, pub, ip, proto};
    for (size_t i = 0; i < 4; i++)
        if (parts[i] && (parts[i]->interpolated || has_dollar(dw_cv_text(parts[i])))) o->interpolated = true;
    if (has_dollar(dw_cv_text(target)) || has_dollar(dw_cv_text(pub)) || has_dollar(dw_cv_text(ip))) {
        o->unknown = true;
        return true;
    }
    /* the long form's target is one port (an integer); published may be a range */
    if (!target || !dw_port_range_parse(dw_cv_text(target), &o->target_lo, &o->target_hi) ||
        o->target_lo != o->target_hi)
        o->unknown = true;
    dw_str p = dw_cv_text(pub);
    if (p.len) {
        if (dw_port_range_parse(p, &o->host_lo, &o->host_hi)) o->has_host = true;
        else o->unknown = true;
    }
    o->host_ip = dw_cv_text(ip);
    if (dw_cv_text(proto).len) o->protocol = dw_cv_text(proto);
    return true;
}

/* ---- volumes: the loader's parser (syntax.h) behind the rules' shape ---- */

bool compose_volume_parse(const dw_cv *item, compose_volume *o)
{
    memset(o, 0, sizeof *o);
    o->node = item;
    if (!item) return false;
    if (item->kind == DW_CV_STR) {
        o->source_node = item;
        o->source_span = item->span;
        dw_volume_spec v;
        const char *err;
        if (dw_parse_volume(item->s, &v, &err) < 0 || has_dollar(item->s)) o->unknown = true;
        o->source = v.source;
        o->target = v.target;
        o->options = v.options;
        o->read_only = v.read_only;
        o->propagation = v.propagation;
        o->type = v.bind ? COMPOSE_MOUNT_BIND : v.source.len ? COMPOSE_MOUNT_VOLUME : COMPOSE_MOUNT_ANON;
        return true;
    }
    if (item->kind != DW_CV_MAP) return false;
    o->long_form = true;
    dw_str type = dw_cv_text(dw_cv_get(item, "type"));
    const dw_cv *src = dw_cv_get(item, "source");
    o->source = dw_cv_text(src);
    o->source_node = src ? src : item;
    o->source_span = src ? src->span : item->span;
    o->target = dw_cv_text(dw_cv_get(item, "target"));
    o->read_only = dw_cv_truthy(dw_cv_get(item, "read_only"));
    o->propagation = dw_cv_text(dw_cv_path(item, "bind.propagation"));
    if (has_dollar(o->source) || has_dollar(type)) o->unknown = true;
    if (dw_str_eqc(type, "volume")) o->type = o->source.len ? COMPOSE_MOUNT_VOLUME : COMPOSE_MOUNT_ANON;
    else if (dw_str_eqc(type, "bind")) o->type = COMPOSE_MOUNT_BIND;
    else if (dw_str_eqc(type, "tmpfs")) o->type = COMPOSE_MOUNT_TMPFS;
    else o->type = COMPOSE_MOUNT_OTHER;
    return true;
}

/* ---- environment ---- */

compose_env *compose_environment(dw_lint *ctx, const dw_cv *svc, uint32_t *n)
{
    *n = 0;
    const dw_cv *env = dw_cv_get(svc, "environment");
    if (!env || (env->kind != DW_CV_MAP && env->kind != DW_CV_SEQ) || !env->n) return NULL;
    compose_env *out = DW_NEW(ctx->a, compose_env, env->n);
    for (uint32_t i = 0; i < env->n; i++) {
        compose_env *e = &out[*n];
        if (env->kind == DW_CV_MAP) {
            const dw_cv_pair *pr = &env->pairs[i];
            e->key = pr->key;
            e->key_span = pr->key_span;
            e->node = pr->value;
            e->file = pr->value ? pr->value->file : env->file;
            e->value = dw_cv_text(pr->value);
            e->has_value = pr->value && pr->value->kind != DW_CV_NULL;
        } else {
            const dw_cv *it = env->items[i];
            dw_str s = dw_cv_text(it);
            if (!s.ptr) continue;
            const char *eq = dw_str_chr(s, '=');
            e->list_form = true;
            e->node = it;
            e->file = it->file;
            e->key = eq ? dw_str_sub(s, 0, (size_t)(eq - s.ptr)) : s;
            e->key_span = compose_subspan(ctx, it, 0, e->key.len);
            e->has_value = eq != NULL;
            if (eq) e->value = dw_str_sub(s, (size_t)(eq - s.ptr) + 1, s.len);
        }
        (*n)++;
    }
    return out;
}

/* ---- references ---- */

/* One name of a list (a scalar item) or map (a key): the shape shared by
 * depends_on and networks. */
static bool ref_at(const dw_cv *coll, uint32_t i, compose_ref *r)
{
    memset(r, 0, sizeof *r);
    if (coll->kind == DW_CV_SEQ) {
        const dw_cv *it = coll->items[i];
        r->name = dw_cv_text(it);
        if (!r->name.ptr) return false;
        r->node = it;
        r->span = it->span;
        r->file = it->file;
        return true;
    }
    const dw_cv_pair *pr = &coll->pairs[i];
    r->name = pr->key;
    r->node = pr->value ? pr->value : coll;
    r->span = pr->key_span;
    r->file = pr->value ? pr->value->file : coll->file;
    r->value = pr->value && pr->value->kind == DW_CV_MAP ? pr->value : NULL;
    return true;
}

static const dw_cv *collection(const dw_cv *svc, const char *key)
{
    const dw_cv *c = dw_cv_get(svc, key);
    return c && (c->kind == DW_CV_SEQ || c->kind == DW_CV_MAP) && c->n ? c : NULL;
}

compose_dep *compose_depends_on(dw_lint *ctx, const dw_cv *svc, uint32_t *n)
{
    *n = 0;
    const dw_cv *d = collection(svc, "depends_on");
    if (!d) return NULL;
    compose_dep *out = DW_NEW(ctx->a, compose_dep, d->n);
    for (uint32_t i = 0; i < d->n; i++) {
        compose_dep *e = &out[*n];
        if (!ref_at(d, i, &e->ref)) continue;
        e->long_form = d->kind == DW_CV_MAP;
        e->condition = dw_str_c("service_started");
        e->required = true;
        if (e->ref.value) {
            dw_str c = dw_cv_text(dw_cv_get(e->ref.value, "condition"));
            if (c.len) e->condition = c;
            const dw_cv *req = dw_cv_get(e->ref.value, "required");
            if (req) e->required = dw_cv_truthy(req);
        }
        (*n)++;
    }
    return out;
}

compose_ref *compose_service_networks(dw_lint *ctx, const dw_cv *svc, uint32_t *n)
{
    *n = 0;
    const dw_cv *d = collection(svc, "networks");
    if (!d) return NULL;
    compose_ref *out = DW_NEW(ctx->a, compose_ref, d->n);
    for (uint32_t i = 0; i < d->n; i++)
        if (ref_at(d, i, &out[*n])) (*n)++;
    return out;
}

compose_ref *compose_service_files(dw_lint *ctx, const dw_cv *svc, const char *key, uint32_t *n)
{
    *n = 0;
    const dw_cv *d = dw_cv_get(svc, key);
    if (!d || d->kind != DW_CV_SEQ || !d->n) return NULL;
    compose_ref *out = DW_NEW(ctx->a, compose_ref, d->n);
    for (uint32_t i = 0; i < d->n; i++) {
        const dw_cv *it = d->items[i];
        compose_ref *r = &out[*n];
        memset(r, 0, sizeof *r);
        const dw_cv *name = it && it->kind == DW_CV_MAP ? dw_cv_get(it, "source") : it;
        r->name = dw_cv_text(name);
        if (!r->name.ptr) continue;
        r->node = name;
        r->span = name->span;
        r->file = name->file;
        r->value = it->kind == DW_CV_MAP ? it : NULL;
        (*n)++;
    }
    return out;
}

int compose_str_cmp(dw_str a, dw_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c) return c;
    return (a.len > b.len) - (a.len < b.len);
}

static int cmp_named(const void *x, const void *y)
{
    const compose_named *a = x, *b = y;
    int c = compose_str_cmp(a->name, b->name);
    return c ? c : (a->at > b->at) - (a->at < b->at);
}

compose_named *compose_sorted_keys(dw_lint *ctx, const dw_cv *m)
{
    if (!m || m->kind != DW_CV_MAP || !m->n) return NULL;
    compose_named *v = DW_NEW(ctx->a, compose_named, m->n);
    for (uint32_t i = 0; i < m->n; i++) v[i] = (compose_named){m->pairs[i].key, i};
    qsort(v, m->n, sizeof *v, cmp_named);
    return v;
}

int compose_lookup(const compose_named *sorted, uint32_t n, dw_str name)
{
    /* the first of equal names: a binary search for the lower bound */
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        compose_named key = {name, 0};
        if (cmp_named(&sorted[mid], &key) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && dw_str_eq(sorted[lo].name, name) ? (int)sorted[lo].at : -1;
}

bool *compose_one_shot(dw_lint *ctx)
{
    const dw_cv *s = compose_services(ctx);
    if (!s || !s->n) return NULL;
    bool *out = DW_NEW(ctx->a, bool, s->n);
    compose_named *by_name = compose_sorted_keys(ctx, s);
    for (const dw_cv_pair *sp = NULL; (sp = compose_next_service(ctx, sp));) {
        uint32_t n;
        compose_dep *deps = compose_depends_on(ctx, sp->value, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (!dw_str_eqc(deps[i].condition, "service_completed_successfully")) continue;
            int at = compose_lookup(by_name, s->n, deps[i].ref.name);
            if (at >= 0) out[at] = true;
        }
    }
    return out;
}

/* ---- rule options ---- */

const dw_yaml_node *compose_rule_option(const dw_lint *ctx, const char *key)
{
    const dw_yaml_node *opt = NULL;
    for (uint32_t i = 0; ctx->cfg && i < ctx->cfg->ncompose_rules; i++) {
        const dw_rule_setting *rs = &ctx->cfg->compose_rules[i];
        if (!rs->options) continue;
        if (!strcmp(rs->name, ctx->rule->slug) || dw_rule_has_alias(ctx->rule, rs->name, strlen(rs->name)))
            opt = rs->options;
    }
    const dw_yaml_pair *p = opt ? dw_yaml_lookup(opt, key, true) : NULL;
    return p ? dw_yaml_deref(p->value) : NULL;
}

/* ---- healthchecks ---- */

compose_hc compose_healthcheck(const dw_cv *svc)
{
    const dw_cv *hc = dw_cv_get(svc, "healthcheck");
    if (!hc || hc->kind != DW_CV_MAP) return COMPOSE_HC_NONE;
    if (dw_cv_truthy(dw_cv_get(hc, "disable"))) return COMPOSE_HC_OFF;
    const dw_cv *test = dw_cv_get(hc, "test");
    if (!test) return COMPOSE_HC_NONE;
    if (test->kind == DW_CV_SEQ) {
        if (!test->n) return COMPOSE_HC_NONE;
        return dw_str_eqc(dw_cv_text(test->items[0]), "NONE") ? COMPOSE_HC_OFF : COMPOSE_HC_ON;
    }
    return dw_cv_text(test).len ? COMPOSE_HC_ON : COMPOSE_HC_NONE;
}

/* The last HEALTHCHECK of stage `s`, else of the stage it is built FROM. */
static compose_hc stage_healthcheck(const dw_dockerfile *df, int s)
{
    for (uint32_t hops = 0; s >= 0 && (uint32_t)s < df->nstages && hops <= df->nstages; hops++) {
        const dw_stage *st = &df->stages[s];
        for (uint32_t i = st->first + st->count; i > st->first; i--) {
            const dw_instr *in = &df->instrs[i - 1];
            if (in->kind != DW_I_HEALTHCHECK || in->error || !in->nargs) continue;
            return dw_str_ieqc(in->args[0].text, "none") ? COMPOSE_HC_OFF : COMPOSE_HC_ON;
        }
        if (st->base_kind != DW_BASE_STAGE) break;
        s = st->base_stage;
    }
    return COMPOSE_HC_NONE;
}

/* The stage `target` names (stage names are case-insensitive), or the last. */
static int built_stage(const dw_dockerfile *df, dw_str target)
{
    if (!df->nstages) return -1;
    if (!target.len) return (int)df->nstages - 1;
    for (uint32_t i = 0; i < df->nstages; i++)
        if (dw_str_ieq(df->stages[i].name, target)) return (int)i;
    return -1;
}

int compose_built_stage(dw_lint *ctx, const dw_cv *svc, const dw_dockerfile **df)
{
    *df = compose_service_dockerfile(ctx, svc);
    if (!*df) return -1;
    compose_build b;
    compose_service_build(ctx, svc, &b);
    return built_stage(*df, b.target);
}

compose_hc compose_dockerfile_healthcheck(dw_lint *ctx, const dw_cv *svc)
{
    const dw_dockerfile *df = compose_service_dockerfile(ctx, svc);
    if (!df) return COMPOSE_HC_NONE;
    compose_build b;
    compose_service_build(ctx, svc, &b);
    return stage_healthcheck(df, built_stage(df, b.target));
}

bool compose_service_healthy_capable(dw_lint *ctx, const dw_cv *svc)
{
    compose_hc c = compose_healthcheck(svc);
    if (c != COMPOSE_HC_NONE) return c == COMPOSE_HC_ON;
    return compose_dockerfile_healthcheck(ctx, svc) == COMPOSE_HC_ON;
}

/* ---- build ---- */

bool compose_service_build(dw_lint *ctx, const dw_cv *svc, compose_build *o)
{
    memset(o, 0, sizeof *o);
    const dw_cv *b = dw_cv_get(svc, "build");
    if (!b || (b->kind != DW_CV_STR && b->kind != DW_CV_MAP)) return false;
    o->node = b;
    if (b->kind == DW_CV_STR) {
        o->context_node = b;
    } else {
        o->context_node = dw_cv_get(b, "context");
        o->dockerfile_node = dw_cv_get(b, "dockerfile");
        o->target_node = dw_cv_get(b, "target");
        o->inline_node = dw_cv_get(b, "dockerfile_inline");
    }
    o->context = dw_cv_text(o->context_node);
    if (!o->context.len) o->context = dw_str_c(".");
    o->dockerfile = dw_cv_text(o->dockerfile_node);
    if (!o->dockerfile.len) o->dockerfile = dw_str_c("Dockerfile");
    o->target = dw_cv_text(o->target_node);
    o->remote = dw_context_remote(o->context) || dw_context_remote(o->dockerfile);
    o->unknown = has_dollar(o->context) || has_dollar(o->dockerfile);
    if (o->remote || o->unknown) return true;
    o->context_dir = compose_join(ctx, compose_base_dir(ctx, o->context_node ? o->context_node : b), o->context);
    if (!o->inline_node) o->dockerfile_path = compose_join(ctx, o->context_dir, o->dockerfile);
    return true;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static df_slot *cache_slot(util_cache *c, const char *key)
{
    if (c->n * 2 >= c->cap) {
        uint32_t ncap = c->cap ? c->cap * 2 : 16;
        df_slot *nv = calloc(ncap, sizeof *nv);
        if (!nv) return NULL;
        for (uint32_t i = 0; i < c->cap; i++) {
            if (!c->v[i].key) continue;
            uint32_t j = (uint32_t)(hash_str(c->v[i].key) & (ncap - 1));
            while (nv[j].key) j = (j + 1) & (ncap - 1);
            nv[j] = c->v[i];
        }
        free(c->v);
        c->v = nv;
        c->cap = ncap;
    }
    uint32_t j = (uint32_t)(hash_str(key) & (c->cap - 1));
    while (c->v[j].key && strcmp(c->v[j].key, key) != 0) j = (j + 1) & (c->cap - 1);
    return &c->v[j];
}

static dw_dockerfile *load_dockerfile(const compose_build *b)
{
    if (b->inline_node) {
        dw_str s = dw_cv_text(b->inline_node);
        if (!s.ptr) return NULL;
        return dw_dockerfile_parse("dockerfile_inline", s.ptr, s.len, NULL);
    }
    if (!b->dockerfile_path) return NULL;
    struct stat st;
    if (stat(b->dockerfile_path, &st) != 0 || !S_ISREG(st.st_mode)) return NULL;
    return dw_dockerfile_parse_path(b->dockerfile_path, NULL, NULL);
}

const dw_dockerfile *compose_service_dockerfile(dw_lint *ctx, const dw_cv *svc)
{
    compose_build b;
    if (!compose_service_build(ctx, svc, &b) || b.remote || b.unknown) return NULL;
    const char *key = b.inline_node ? dw_arena_printf(ctx->a, "inline:%p", (const void *)b.inline_node)
                                    : b.dockerfile_path;
    if (!key) return NULL;
    util_cache *c = cache_of(ctx);
    if (!c) return NULL;
    df_slot *slot = cache_slot(c, key);
    if (!slot) return NULL;
    if (!slot->key) {
        slot->key = key;
        slot->df = load_dockerfile(&b);
        c->n++;
    }
    return slot->df;
}

void compose_util_release(dw_lint *ctx)
{
    util_cache *c = ctx->compose_cache;
    if (!c) return;
    for (uint32_t i = 0; i < c->cap; i++)
        if (c->v[i].key) dw_dockerfile_free(c->v[i].df);
    free(c->v);
    free(c);
    ctx->compose_cache = NULL;
}
