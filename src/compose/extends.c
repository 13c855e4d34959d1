/* extends.c — `extends`, as compose-go's loader applies it: a service
 * that extends another (of the same file, or `file:` another one) is that
 * service, itself fully extended, with its own definition merged on top by
 * the rules of merge.c. The base's `extends` is not inherited; the
 * service's own is kept in the model (rules look at it).
 *
 * A cycle (`a` extends `b` extends `a`, across files too), a missing base
 * service or a missing `service:` is a compose-schema finding at the
 * `extends` that cannot be applied; the service then stays as written. A
 * base file that cannot be read is left to the referenced-file-missing
 * rule. Chains are bounded by DW_MAX_CHAIN. */
#include "compose_int.h"

#include <errno.h>
#include <stdio.h>

typedef struct {
    int fi;
    dw_str name;
} ref;

/* The services of one file by name: a project of many services looks
 * each up once, so a scan per lookup would be quadratic. */
typedef struct {
    const dw_cv *services;
    dw_strmap names;         /* name -> its index + 1 (the first, when repeated) */
} name_index;

/* Values extends may copy in one project. Each service inherits all of its
 * base's lists (depends_on, ports, ...), so a chain of n services that
 * extend each other holds n²/2 values: bounded here as YAML aliases are,
 * so that a hostile file cannot take all memory. Real projects copy a few
 * thousand. */
#define EXTENDS_MAX_VALUES 250000u

typedef struct {
    dw_loader *L;
    dw_scope *sc;
    uint64_t copied;         /* values copied so far, against EXTENDS_MAX_VALUES */
    bool over_budget;        /* reported once */
    DW_VEC(name_index) indexes;
    dw_strmap done;          /* "fi:name" -> the service extended */
    dw_strmap file_services; /* "fi" -> that file's services, for `extends.file` */
    ref chain[DW_MAX_CHAIN];
    uint32_t depth;
    bool on_cycle;           /* a cycle was met: the services being resolved stay as written */
} extender;

/* The index of service `name` in `services`, or UINT32_MAX. */
static uint32_t service_at(extender *x, const dw_cv *services, dw_str name)
{
    name_index *ix = NULL;
    for (uint32_t i = 0; i < x->indexes.n && !ix; i++)
        if (x->indexes.v[i].services == services) ix = &x->indexes.v[i];
    if (!ix) {
        name_index fresh = {services, {0}};
        for (uint32_t i = 0; i < services->n; i++)
            if (!dw_strmap_get(&fresh.names, services->pairs[i].key))
                dw_strmap_put(&fresh.names, services->pairs[i].key, (void *)(uintptr_t)(i + 1));
        DW_VEC_PUSH(&x->L->p->arena, x->indexes, fresh);
        ix = &x->indexes.v[x->indexes.n - 1];
    }
    uintptr_t at = (uintptr_t)dw_strmap_get(&ix->names, name);
    return at ? (uint32_t)(at - 1) : UINT32_MAX;
}

/* The values of v, counting no further than `limit`. */
static uint64_t cv_count(const dw_cv *v, uint64_t limit)
{
    if (!v) return 0;
    uint64_t n = 1;
    for (uint32_t i = 0; i < v->n && n <= limit; i++)
        n += cv_count(v->kind == DW_CV_MAP ? v->pairs[i].value : v->kind == DW_CV_SEQ ? v->items[i] : NULL, limit - n);
    return n;
}

static const char *done_key(dw_arena *a, int fi, dw_str name)
{
    return dw_arena_printf(a, "%d:%.*s", fi, (int)name.len, name.ptr);
}

static void report(extender *x, int fi, const dw_cv *at, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void report(extender *x, int fi, const dw_cv *at, const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = dw_arena_vprintf(&x->L->p->arena, fmt, ap);
    va_end(ap);
    dw_diag *d = dw_loader_report(x->L, at ? at->file : fi, "compose-schema", DW_SEV_ERROR, at ? at->span : (dw_span){0, 0},
                                  "%s", msg);
    if (d) d->help = help;
}

/* The services of file fi read for an `extends.file`, interpolated once. */
static dw_cv *services_of(extender *x, int fi)
{
    dw_arena *a = &x->L->p->arena;
    const char *key = dw_arena_printf(a, "%d", fi);
    dw_cv *s = dw_strmap_get(&x->file_services, dw_str_c(key));
    if (s) return s;
    dw_cv *cfg = dw_loader_config(x->L, fi, x->sc);
    s = dw_cv_get(cfg, "services");
    if (s && s->kind == DW_CV_MAP) dw_strmap_put(&x->file_services, dw_str_c(key), s);
    return s && s->kind == DW_CV_MAP ? s : NULL;
}

static void cycle_error(extender *x, int fi, dw_str name, const dw_cv *ext)
{
    dw_compose_project *p = x->L->p;
    dw_buf b = {0};
    dw_buf_puts(&b, "Circular reference:");
    for (uint32_t i = 0; i < x->depth; i++)
        dw_buf_printf(&b, "\n  %s%.*s in %s", i ? "extends " : "", (int)x->chain[i].name.len, x->chain[i].name.ptr,
                      p->files[x->chain[i].fi].abs_path);
    dw_buf_printf(&b, "\n  extends %.*s in %s", (int)name.len, name.ptr, p->files[fi].abs_path);
    dw_compose_error(p, "%.*s", (int)b.n, b.p);
    dw_buf_free(&b);
    report(x, fi, ext, "break the cycle: a service cannot extend itself, directly or through others",
           "services.%.*s.extends: circular reference: %.*s extends itself through %.*s", (int)name.len, name.ptr,
           (int)name.len, name.ptr, (int)x->chain[x->depth - 1].name.len, x->chain[x->depth - 1].name.ptr);
}

static dw_cv *resolve(extender *x, int fi, dw_cv *services, dw_str name);

/* The base service `svc` (of file fi, named `name`) extends, resolved; NULL
 * when it cannot be found (reported). *bfi is the base's file. */
static dw_cv *base_of(extender *x, int fi, dw_cv *services, dw_str name, dw_cv *ext, int *bfi)
{
    dw_compose_project *p = x->L->p;
    dw_arena *a = &p->arena;
    dw_cv *svc_node = ext, *file_node = NULL;
    if (ext->kind == DW_CV_MAP) {
        svc_node = dw_cv_get(ext, "service");
        file_node = dw_cv_get(ext, "file");
        if (!svc_node || svc_node->kind != DW_CV_STR) {
            dw_compose_error(p, "extends.%.*s.service is required", (int)name.len, name.ptr);
            report(x, fi, ext, "name the service to extend: `extends: {service: NAME}`",
                   "services.%.*s.extends: `service` is required", (int)name.len, name.ptr);
            return NULL;
        }
    } else if (ext->kind != DW_CV_STR) {
        return NULL; /* the schema reports the type */
    }
    dw_str ref_name = svc_node->s;
    if (file_node && file_node->kind == DW_CV_STR) {
        const char *abs = dw_path_join(a, p->files[fi].rel_base, file_node->s);
        const char *dir = dw_arena_memdup(a, abs, (size_t)(strrchr(abs, '/') - abs));
        int ofi = dw_loader_read(x->L, NULL, abs, true, *dir ? dir : "/");
        if (ofi < 0) { /* referenced-file-missing reports it */
            dw_compose_error(p, "cannot extend service \"%.*s\": %s: %s", (int)name.len, name.ptr, abs, strerror(errno));
            return NULL;
        }
        dw_cv *other = services_of(x, ofi);
        if (!other || service_at(x, other, ref_name) == UINT32_MAX) {
            dw_compose_error(p, "cannot extend service \"%.*s\" in %s: service \"%.*s\" not found in %.*s",
                             (int)name.len, name.ptr, p->files[fi].abs_path, (int)ref_name.len, ref_name.ptr,
                             (int)file_node->s.len, file_node->s.ptr);
            report(x, fi, svc_node, "name a service that file defines",
                   "services.%.*s.extends: %.*s defines no service \"%.*s\"", (int)name.len, name.ptr,
                   (int)file_node->s.len, file_node->s.ptr, (int)ref_name.len, ref_name.ptr);
            return NULL;
        }
        *bfi = ofi;
        return resolve(x, ofi, other, ref_name);
    }
    if (service_at(x, services, ref_name) == UINT32_MAX) {
        dw_compose_error(p, "cannot extend service \"%.*s\" in %s: service \"%.*s\" not found", (int)name.len, name.ptr,
                         p->files[fi].abs_path, (int)ref_name.len, ref_name.ptr);
        report(x, fi, svc_node, "extends without `file:` names a service of the same file",
               "services.%.*s.extends: no service \"%.*s\" in this file", (int)name.len, name.ptr, (int)ref_name.len,
               ref_name.ptr);
        return NULL;
    }
    *bfi = fi;
    return resolve(x, fi, services, ref_name);
}

/* Service `name` of `services` (file fi) with its extends applied; NULL
 * when it is on a cycle (the services on it are left as written). */
static dw_cv *resolve(extender *x, int fi, dw_cv *services, dw_str name)
{
    dw_arena *a = &x->L->p->arena;
    uint32_t at = service_at(x, services, name);
    dw_cv *svc = at == UINT32_MAX ? NULL : services->pairs[at].value;
    if (!svc || svc->kind != DW_CV_MAP) return svc;
    dw_cv *ext = dw_cv_get(svc, "extends");
    if (!ext) return svc;
    const char *key = done_key(a, fi, name);
    dw_cv *done = dw_strmap_get(&x->done, dw_str_c(key));
    if (done) return done;
    for (uint32_t i = 0; i < x->depth; i++)
        if (x->chain[i].fi == fi && dw_str_eq(x->chain[i].name, name)) {
            cycle_error(x, fi, name, ext);
            x->on_cycle = true;
            return NULL; /* the services on the cycle stay as written */
        }
    if (x->depth >= DW_MAX_CHAIN) {
        dw_compose_error(x->L->p, "services.%.*s.extends: more than %d services extending each other", (int)name.len,
                         name.ptr, DW_MAX_CHAIN);
        return NULL;
    }
    x->chain[x->depth].fi = fi;
    x->chain[x->depth].name = name;
    x->depth++;
    int bfi = fi;
    dw_cv *base = base_of(x, fi, services, name, ext, &bfi);
    x->depth--;
    if (x->on_cycle) {
        x->on_cycle = x->depth > 0;
        return NULL;
    }
    if (!base || base->kind != DW_CV_MAP) return svc;
    uint64_t left = EXTENDS_MAX_VALUES - x->copied;
    uint64_t need = cv_count(base, left) + cv_count(svc, left);
    if (need > left) {
        if (!x->over_budget) {
            x->over_budget = true;
            dw_compose_error(x->L->p, "services.%.*s.extends: the services extending each other copy more than %u "
                             "values", (int)name.len, name.ptr, EXTENDS_MAX_VALUES);
            report(x, fi, ext, "extend one common base instead of chaining services: each inherits all its base's lists",
                   "services.%.*s.extends: the services extending each other copy more than %u values, where "
                   "dockwright stops applying extends",
                   (int)name.len, name.ptr, EXTENDS_MAX_VALUES);
        }
        dw_strmap_put(&x->done, dw_str_c(key), svc); /* as written, once: not resolved again */
        return svc;
    }
    x->copied += need;
    dw_cv *source = dw_cv_deep_copy(a, base);
    dw_cv_del(source, dw_str_c("extends"));
    dw_cpath path = {0};
    dw_cpath_push(&path, dw_str_c("services"));
    dw_cpath_push(&path, name);
    dw_cv *merged = dw_cv_merge(x->L, source, dw_cv_deep_copy(a, svc), &path);
    if (!merged) return svc;
    /* the service is where it is written, whatever it inherits */
    merged->file = svc->file;
    merged->span = svc->span;
    merged->pos = svc->pos;
    merged->style = svc->style;
    services->pairs[at].value = merged;
    dw_strmap_put(&x->done, dw_str_c(key), merged);
    return merged;
}

void dw_apply_extends(dw_loader *L, int fi, dw_cv *cfg, dw_scope *sc)
{
    dw_cv *services = dw_cv_get(cfg, "services");
    if (!services || services->kind != DW_CV_MAP) return;
    extender x;
    memset(&x, 0, sizeof x);
    x.L = L;
    x.sc = sc;
    for (uint32_t i = 0; i < services->n; i++) resolve(&x, fi, services, services->pairs[i].key);
    dw_strmap_free(&x.done);
    dw_strmap_free(&x.file_services);
    for (uint32_t i = 0; i < x.indexes.n; i++) dw_strmap_free(&x.indexes.v[i].names);
}
