/* consistency.c — what compose-go checks once the model is built, before
 * anything runs: its validation package (file objects, external volumes,
 * host IPs, watch paths, device requests) on the merged model, then, with
 * the profiles applied, loader.checkConsistency (image or build, the
 * build's own exclusions, network_mode against networks, the healthcheck
 * test, replicas, legacy limits against deploy, watch targets, mounts on
 * one target, references to other services and to top-level resources).
 *
 * Each problem is an error in p->errors, in Compose's words, so that
 * `compose-config` stops where `docker compose config` stops. Where no rule
 * reports it (references have their own rules: undeclared-*,
 * depends-on-unknown-service, container-name-with-replicas), it is also a
 * compose-schema finding at the value, for every service, enabled or not:
 * a problem in a service of another profile is still one. */
#include "compose_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct {
    dw_loader *L;
    dw_arena *a;
    dw_str name;            /* the service checked */
    dw_span name_span;      /* where its name is written (file: name_file) */
    uint16_t name_file;
    bool enabled;           /* Compose checks it with the active profiles */
} checker;

/* Records Compose's error (for an enabled service, or with `always`) and,
 * with `problem`, the finding at `at`. */
static void refuse(checker *c, const dw_cv *at, bool always, const char *help, const char *problem, const char *err)
{
    if (c->enabled || always) dw_compose_error(c->L->p, "%s", err);
    if (!problem || !at || at->synthetic || at->file >= c->L->p->nfiles) return;
    dw_diag *d = dw_loader_report(c->L, at->file, "compose-schema", DW_SEV_ERROR, at->span, "%s", problem);
    if (d) d->help = help;
}

#define P(...) dw_arena_printf(c->a, __VA_ARGS__)
#define NAME (int)c->name.len, c->name.ptr
#define TXT(v) (int)dw_cv_text(v).len, dw_cv_text(v).ptr


/* ---- compose-go's validation package (the merged model) ---- */

/* configs.* / secrets.*: one of the keys, not two */
static void file_objects(checker *c, const char *section, const char *const *keys, const char *list)
{
    const dw_cv *m = dw_cv_get(c->L->p->model, section);
    for (uint32_t i = 0; m && m->kind == DW_CV_MAP && i < m->n; i++) {
        const dw_cv_pair *pr = &m->pairs[i];
        const dw_cv *v = pr->value;
        if (!v || v->kind != DW_CV_MAP || dw_str_has_prefix(pr->key, "x-")) continue;
        const dw_cv *first = NULL, *second = NULL;
        for (const char *const *k = keys; *k; k++) {
            const dw_cv_pair *kp = dw_cv_pair_of(v, *k);
            if (!kp) continue;
            if (!first) first = kp->value;
            else if (!second) second = kp->value;
        }
        const char *what = !strcmp(section, "secrets") ? "secret" : "config";
        if (second)
            refuse(c, second, true, P("keep one of %s", list),
                   P("%s `%.*s` sets more than one of %s, which exclude each other", what, (int)pr->key.len,
                     pr->key.ptr, list),
                   P("%s.%.*s: %s attributes are mutually exclusive", section, (int)pr->key.len, pr->key.ptr, list));
        else if (!first && !dw_cv_pair_of(v, "driver") && !dw_cv_pair_of(v, "external"))
            refuse(c, v, true, P("say where its content comes from: %s (or `external: true`)", list),
                   P("%s `%.*s` sets none of %s", what, (int)pr->key.len, pr->key.ptr, list),
                   P("%s.%.*s: one of %s must be set", section, (int)pr->key.len, pr->key.ptr, list));
    }
}

/* volumes.*: an external volume takes only a name */
static void external_volumes(checker *c)
{
    const dw_cv *m = dw_cv_get(c->L->p->model, "volumes");
    for (uint32_t i = 0; m && m->kind == DW_CV_MAP && i < m->n; i++) {
        const dw_cv_pair *pr = &m->pairs[i];
        const dw_cv *v = pr->value;
        if (!v || v->kind != DW_CV_MAP || !dw_cv_truthy(dw_cv_get(v, "external"))) continue;
        for (uint32_t k = 0; k < v->n; k++) {
            dw_str key = v->pairs[k].key;
            if (dw_str_eqc(key, "name") || dw_str_eqc(key, "external") || dw_str_has_prefix(key, "x-")) continue;
            refuse(c, v->pairs[k].value ? v->pairs[k].value : v, true,
                   "remove it: Compose does not create an external volume, so it has nothing to configure",
                   P("external volume `%.*s` also sets `%.*s`", (int)pr->key.len, pr->key.ptr, (int)key.len, key.ptr),
                   P("volumes.%.*s: conflicting parameters \"external\" and \"%.*s\" specified", (int)pr->key.len,
                     pr->key.ptr, (int)key.len, key.ptr));
            break;
        }
    }
}

/* Per service, the validation package's checks. */
static void validate_service(checker *c, const dw_cv *svc)
{
    const dw_cv *ports = dw_cv_get(svc, "ports");
    for (uint32_t i = 0; ports && ports->kind == DW_CV_SEQ && i < ports->n; i++) {
        const dw_cv *ip = dw_cv_get(ports->items[i], "host_ip");
        if (!ip || ip->kind != DW_CV_STR || ip->interpolated || dw_ip_valid(ip->s)) continue;
        refuse(c, ip, true, "write an IPv4 or IPv6 address, e.g. 127.0.0.1",
               P("host_ip `%.*s` of service `%.*s` is not an IP address", TXT(ip), NAME),
               P("services.%.*s.ports.[]: invalid ip address: %.*s", NAME, TXT(ip)));
    }
    const dw_cv *watch = dw_cv_path(svc, "develop.watch");
    for (uint32_t i = 0; watch && watch->kind == DW_CV_SEQ && i < watch->n; i++) {
        const dw_cv *path = dw_cv_get(watch->items[i], "path");
        if (!path || path->kind != DW_CV_STR || path->s.len) continue;
        refuse(c, path, true, "name the file or folder to watch",
               P("develop.watch path of service `%.*s` is empty", NAME),
               P("services.%.*s.develop.watch.[].path: value can't be blank", NAME));
    }
    const char *const lists[] = {"deploy.resources.reservations.devices", "gpus"};
    for (size_t l = 0; l < 2; l++) {
        const dw_cv *devs = dw_cv_path(svc, lists[l]);
        for (uint32_t i = 0; devs && devs->kind == DW_CV_SEQ && i < devs->n; i++) {
            const dw_cv *d = devs->items[i];
            if (!dw_cv_get(d, "count") || !dw_cv_get(d, "device_ids")) continue;
            refuse(c, dw_cv_get(d, "device_ids"), true, "keep either count or device_ids",
                   P("a device request of service `%.*s` sets both count and device_ids", NAME),
                   P("services.%.*s.%s.[]: \"count\" and \"device_ids\" attributes are exclusive", NAME, lists[l]));
        }
    }
}

/* ---- loader.checkConsistency (the project, profiles applied) ---- */

typedef struct {
    checker c;
    const dw_cv *services;
    dw_strmap by_name;      /* service name -> its value */
    bool fragment;          /* dw_compose_is_fragment: the image may come from the base */
    /* the names of a top-level section, made on first use: a project of many
     * services and many volumes stays linear */
    struct { const char *section; dw_strmap names; bool made; } declared[5];
} project_check;

static const dw_cv *service_named(project_check *pc, dw_str name)
{
    return dw_strmap_get(&pc->by_name, name);
}

static const char *q(checker *c, dw_str s) { return dw_go_quoted(c->a, s.ptr, s.len); }

/* A dependency Compose adds or reads: it must be a service, and an enabled
 * one unless `required: false`. */
static void dependency(project_check *pc, dw_str dep, bool required)
{
    checker *c = &pc->c;
    const dw_cv *svc = service_named(pc, dep);
    if (svc && (dw_compose_service_enabled(c->L->p, svc) || !required)) return;
    /* depends-on-unknown-service reports it */
    refuse(c, NULL, false, NULL, NULL,
           P("service %s depends on undefined service %s: invalid compose project", q(c, c->name), q(c, dep)));
}

static void dependencies(project_check *pc, const dw_cv *svc)
{
    const dw_cv *d = dw_cv_get(svc, "depends_on");
    for (uint32_t i = 0; d && d->kind == DW_CV_SEQ && i < d->n; i++) dependency(pc, dw_cv_text(d->items[i]), true);
    for (uint32_t i = 0; d && d->kind == DW_CV_MAP && i < d->n; i++) {
        const dw_cv *req = dw_cv_get(d->pairs[i].value, "required");
        dependency(pc, d->pairs[i].key, !req || dw_cv_truthy(req));
    }
    /* the ones compose-go's normalisation adds */
    const dw_cv *links = dw_cv_get(svc, "links");
    for (uint32_t i = 0; links && links->kind == DW_CV_SEQ && i < links->n; i++) {
        dw_str l = dw_cv_text(links->items[i]);
        const char *colon = l.ptr ? dw_str_chr(l, ':') : NULL;
        if (colon && !dw_str_chr(dw_str_make(colon + 1, l.len - (size_t)(colon + 1 - l.ptr)), ':'))
            l.len = (size_t)(colon - l.ptr);
        if (l.ptr) dependency(pc, l, true);
    }
    static const char *const ns[] = {"network_mode", "ipc", "pid", "uts", "cgroup"};
    for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
        dw_str v = dw_cv_text(dw_cv_get(svc, ns[k]));
        if (v.ptr && dw_str_has_prefix(v, "service:")) dependency(pc, dw_str_sub(v, 8, v.len), true);
    }
    const dw_cv *vf = dw_cv_get(svc, "volumes_from");
    for (uint32_t i = 0; vf && vf->kind == DW_CV_SEQ && i < vf->n; i++) {
        dw_str v = dw_cv_text(vf->items[i]);
        if (!v.ptr || dw_str_has_prefix(v, "container:")) continue;
        const char *colon = dw_str_chr(v, ':');
        dependency(pc, colon ? dw_str_make(v.ptr, (size_t)(colon - v.ptr)) : v, true);
    }
}

/* A name the service uses that must be declared in top-level `section`
 * (the undeclared-* rules report it). */
static void declared(project_check *pc, const char *section, dw_str name, const char *what)
{
    checker *c = &pc->c;
    if (!name.ptr) return;
    size_t k = 0;
    while (k < 4 && pc->declared[k].section && strcmp(pc->declared[k].section, section)) k++;
    if (!pc->declared[k].made) {
        pc->declared[k].section = section;
        pc->declared[k].made = true;
        const dw_cv *top = dw_cv_get(c->L->p->model, section);
        for (uint32_t i = 0; top && top->kind == DW_CV_MAP && i < top->n; i++)
            dw_strmap_put(&pc->declared[k].names, top->pairs[i].key, (void *)1);
    }
    if (dw_strmap_get(&pc->declared[k].names, name)) return;
    refuse(c, NULL, false, NULL, NULL,
           P("service %s refers to undefined %s %.*s: invalid compose project", q(c, c->name), what, (int)name.len,
             name.ptr));
}

static void references(project_check *pc, const dw_cv *svc)
{
    const dw_cv *nets = dw_cv_get(svc, "networks");
    for (uint32_t i = 0; nets && nets->kind == DW_CV_SEQ && i < nets->n; i++) {
        dw_str n = dw_cv_text(nets->items[i]);
        if (!dw_str_eqc(n, "default")) declared(pc, "networks", n, "network");
    }
    for (uint32_t i = 0; nets && nets->kind == DW_CV_MAP && i < nets->n; i++)
        if (!dw_str_eqc(nets->pairs[i].key, "default")) declared(pc, "networks", nets->pairs[i].key, "network");
    const dw_cv *vols = dw_cv_get(svc, "volumes");
    for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
        const dw_cv *it = vols->items[i];
        dw_volume_spec spec;
        const char *err;
        if (it && it->kind == DW_CV_STR && !it->interpolated && dw_parse_volume(it->s, &spec, &err) == 0 && !spec.bind &&
            spec.source.len)
            declared(pc, "volumes", spec.source, "volume");
        else if (it && it->kind == DW_CV_MAP && dw_str_eqc(dw_cv_text(dw_cv_get(it, "type")), "volume") &&
                 dw_cv_text(dw_cv_get(it, "source")).len)
            declared(pc, "volumes", dw_cv_text(dw_cv_get(it, "source")), "volume");
    }
    static const struct { const char *path, *section, *what; } files[] = {
        {"build.secrets", "secrets", "build secret"}, {"configs", "configs", "config"}, {"secrets", "secrets", "secret"}};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        const dw_cv *l = dw_cv_path(svc, files[k].path);
        for (uint32_t i = 0; l && l->kind == DW_CV_SEQ && i < l->n; i++) {
            const dw_cv *it = l->items[i];
            declared(pc, files[k].section, dw_cv_text(it && it->kind == DW_CV_MAP ? dw_cv_get(it, "source") : it),
                     files[k].what);
        }
    }
    const dw_cv *models = dw_cv_get(svc, "models");
    for (uint32_t i = 0; models && models->kind == DW_CV_SEQ && i < models->n; i++)
        declared(pc, "models", dw_cv_text(models->items[i]), "model");
    for (uint32_t i = 0; models && models->kind == DW_CV_MAP && i < models->n; i++)
        declared(pc, "models", models->pairs[i].key, "model");
}

static void build_checks(project_check *pc, const dw_cv *svc)
{
    checker *c = &pc->c;
    const dw_cv *b = dw_cv_get(svc, "build");
    if (!b || b->kind != DW_CV_MAP) return;
    const dw_cv *df = dw_cv_get(b, "dockerfile"), *inl = dw_cv_get(b, "dockerfile_inline");
    if (dw_cv_text(df).len && dw_cv_text(inl).len)
        refuse(c, inl, false, "keep either dockerfile (a file) or dockerfile_inline (the text)",
               P("build of service `%.*s` sets both dockerfile and dockerfile_inline", NAME),
               P("service %s declares mutualy exclusive dockerfile and dockerfile_inline: invalid compose project",
                 q(c, c->name)));
    const dw_cv *ac = dw_cv_get(b, "additional_contexts");
    for (uint32_t i = 0; ac && (ac->kind == DW_CV_MAP || ac->kind == DW_CV_SEQ) && i < ac->n; i++) {
        const dw_cv *v = ac->kind == DW_CV_MAP ? ac->pairs[i].value : ac->items[i];
        dw_str text = dw_cv_text(v), key = ac->kind == DW_CV_MAP ? ac->pairs[i].key : dw_str_make(NULL, 0);
        if (ac->kind == DW_CV_SEQ && text.ptr) { /* name=value */
            const char *eq = dw_str_chr(text, '=');
            if (!eq) continue;
            key = dw_str_make(text.ptr, (size_t)(eq - text.ptr));
            text = dw_str_make(eq + 1, text.len - key.len - 1);
        }
        if (!text.ptr || !dw_str_has_prefix(text, "service:")) continue;
        dw_str target = dw_str_sub(text, 8, text.len);
        const dw_cv *t = service_named(pc, target);
        if (t && dw_cv_get(t, "build")) continue;
        refuse(c, v, false, t ? "give that service a build:, or name a service that has one" : "name a service of this project",
               t ? P("additional context `%.*s` of service `%.*s` is service `%.*s`, which builds nothing",
                     (int)key.len, key.ptr, NAME, (int)target.len, target.ptr)
                 : P("additional context `%.*s` of service `%.*s` names `%.*s`, which is not a service",
                     (int)key.len, key.ptr, NAME, (int)target.len, target.ptr),
               P("service %s declares %s service %s as additional contexts %.*s", q(c, c->name),
                 t ? "non-buildable" : "unknown", q(c, target), (int)key.len, key.ptr));
    }
    const dw_cv *plats = dw_cv_get(b, "platforms"), *plat = dw_cv_get(svc, "platform");
    if (plats && plats->kind == DW_CV_SEQ && plats->n && dw_cv_text(plat).len) {
        for (uint32_t i = 0; i < plats->n; i++)
            if (dw_str_eq(dw_cv_text(plats->items[i]), dw_cv_text(plat))) return;
        refuse(c, plat, false, "add the platform to build.platforms, or change it",
               P("platform `%.*s` of service `%.*s` is not one of its build.platforms", TXT(plat), NAME),
               P("service.build.platforms MUST include service.platform %s: invalid compose project",
                 q(c, dw_cv_text(plat))));
    }
}

/* A number: an integer or float of the model, or text Compose casts. */
static bool number_of(const dw_cv *v, double *out)
{
    if (!v) return false;
    if (v->kind == DW_CV_INT) return *out = (double)v->i, true;
    if (v->kind == DW_CV_FLOAT) return *out = v->f, true;
    dw_str t = dw_cv_text(v);
    if (!t.len || t.len > 30) return false;
    char buf[32], *end;
    memcpy(buf, t.ptr, t.len);
    buf[t.len] = 0;
    *out = strtod(buf, &end);
    return !*end;
}

static bool bytes_of(const dw_cv *v, int64_t *out)
{
    const char *why;
    if (v && v->kind == DW_CV_INT) return *out = v->i, true;
    return v && dw_parse_size(dw_cv_text(v), out, &why);
}

static void replicas(project_check *pc, const dw_cv *svc)
{
    checker *c = &pc->c;
    const dw_cv *scale = dw_cv_get(svc, "scale"), *rep = dw_cv_path(svc, "deploy.replicas");
    double s, r;
    bool hs = number_of(scale, &s), hr = number_of(rep, &r);
    if (hs && hr && s != r)
        refuse(c, rep, false, "keep one of them: deploy.replicas, or scale",
               P("scale %.*s and deploy.replicas %.*s of service `%.*s` disagree", TXT(scale), TXT(rep), NAME),
               P("services.%.*s: can't set distinct values on 'scale' and 'deploy.replicas': invalid compose project", NAME));
    else if (hs && s < 0)
        refuse(c, scale, false, "write 0 or more", P("scale of service `%.*s` is negative", NAME),
               P("services.%.*s.scale: must be greater than or equal to 0", NAME));
    else if (hr && r < 0)
        refuse(c, rep, false, "write 0 or more", P("deploy.replicas of service `%.*s` is negative", NAME),
               P("services.%.*s.deploy.replicas: must be greater than or equal to 0", NAME));
    double n = hs ? s : hr ? r : 1;
    if (n > 1 && dw_cv_text(dw_cv_get(svc, "container_name")).len) /* container-name-with-replicas reports it */
        refuse(c, NULL, false, NULL, NULL,
               P("services.%s: can't set container_name and %.*s as container name must be unique: invalid compose "
                 "project",
                 hs ? "scale" : "deploy.replicas", NAME));
}

/* cpus, mem_limit, mem_reservation and pids_limit against deploy: compose-go
 * compares with the deploy value as soon as deploy.resources.limits (or
 * reservations) exists, an absent one counting as 0. */
static void legacy_limits(project_check *pc, const dw_cv *svc)
{
    checker *c = &pc->c;
    const dw_cv *limits = dw_cv_path(svc, "deploy.resources.limits");
    const dw_cv *resv = dw_cv_path(svc, "deploy.resources.reservations");
    static const struct { const char *legacy, *deploy; bool reservation; int kind; } pairs[] = {
        {"cpus", "cpus", false, 0}, {"mem_limit", "memory", false, 1},
        {"mem_reservation", "memory", true, 1}, {"pids_limit", "pids", false, 2}};
    for (size_t k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        const dw_cv *in = pairs[k].reservation ? resv : limits;
        const dw_cv *legacy = dw_cv_get(svc, pairs[k].legacy);
        if (!in || in->kind != DW_CV_MAP || !legacy) continue;
        const dw_cv *dep = dw_cv_get(in, pairs[k].deploy);
        bool differ;
        if (pairs[k].kind == 1) {
            int64_t a = 0, b = 0;
            if (!bytes_of(legacy, &a) || a == 0 || (dep && !bytes_of(dep, &b))) continue;
            differ = a != b;
        } else {
            double a = 0, b = 0;
            if (!number_of(legacy, &a) || a == 0 || (dep && !number_of(dep, &b))) continue;
            /* compose-go compares cpus as float32 */
            differ = pairs[k].kind == 0 ? (float)a != (float)b : a != b;
        }
        if (!differ) continue;
        const char *where = pairs[k].reservation ? "deploy.resources.reservations" : "deploy.resources.limits";
        refuse(c, legacy, false, P("set it in one place: %s.%s (or drop %s there)", where, pairs[k].deploy, where),
               dep ? P("%s %.*s of service `%.*s` differs from %s.%s %.*s", pairs[k].legacy, TXT(legacy), NAME,
                       where, pairs[k].deploy, TXT(dep))
                   : P("%s %.*s of service `%.*s` differs from %s.%s, which is not set (0) while %s exists",
                       pairs[k].legacy, TXT(legacy), NAME, where, pairs[k].deploy, where),
               P("services.%.*s: can't set distinct values on '%s' and '%s.%s': invalid compose project", NAME,
                 pairs[k].legacy, where, pairs[k].deploy));
    }
}

static void mounts(project_check *pc, const dw_cv *svc)
{
    checker *c = &pc->c;
    dw_strmap seen = {0};
    const dw_cv *tmpfs = dw_cv_get(svc, "tmpfs");
    uint32_t nt = tmpfs && tmpfs->kind == DW_CV_SEQ ? tmpfs->n : tmpfs && tmpfs->kind == DW_CV_STR ? 1 : 0;
    const dw_cv *vols = dw_cv_get(svc, "volumes");
    uint32_t nv = vols && vols->kind == DW_CV_SEQ ? vols->n : 0;
    for (uint32_t i = 0; i < nt + nv; i++) {
        const dw_cv *it = i < nt ? (tmpfs->kind == DW_CV_SEQ ? tmpfs->items[i] : tmpfs) : vols->items[i - nt];
        dw_str target = {NULL, 0};
        if (i < nt) {
            dw_str t = dw_cv_text(it);
            const char *colon = t.ptr ? dw_str_chr(t, ':') : NULL;
            target = colon ? dw_str_make(t.ptr, (size_t)(colon - t.ptr)) : t;
        } else if (it && it->kind == DW_CV_STR) {
            dw_volume_spec spec;
            const char *err;
            if (dw_parse_volume(it->s, &spec, &err) == 0) target = spec.target;
        } else {
            target = dw_cv_text(dw_cv_get(it, "target"));
        }
        if (!target.len || !it || it->interpolated) continue;
        /* compose-go cleans a volume's target (path.Clean), not a tmpfs path */
        const char *key = i < nt ? dw_str_cstr(c->a, target) : dw_path_join(c->a, "/", target);
        if (i >= nt && target.ptr[0] != '/') key++;
        const char *loc = i < nt ? P("services.%.*s.tmpfs[%u]", NAME, i) : P("services.%.*s.volumes[%u]", NAME, i - nt);
        const char *first = dw_strmap_get(&seen, dw_str_c(key));
        if (!first) {
            dw_strmap_put(&seen, dw_str_c(key), (void *)loc);
            continue;
        }
        refuse(c, it, false, "mount one thing per container path: remove one, or give it another target",
               P("service `%.*s` mounts `%s` twice (also as %s)", NAME, key, first),
               P("%s: target %s already mounted as %s", loc, key, first));
    }
    dw_strmap_free(&seen);
}

static void service_checks(project_check *pc, const dw_cv *svc)
{
    checker *c = &pc->c;
    if (!dw_cv_text(dw_cv_get(svc, "image")).len && !dw_cv_get(svc, "build") && !dw_cv_get(svc, "provider") &&
        !dw_cv_get(svc, "extends") && !pc->fragment) {
        /* at the service's name: the mapping may be anything */
        dw_cv at = *svc;
        at.span = c->name_span;
        at.file = c->name_file;
        refuse(c, &at, false, "add `image:` with the image to run, or `build:` with the folder to build it from",
               P("service `%.*s` has neither an image nor a build", NAME),
               P("service %s has neither an image nor a build context specified: invalid compose project",
                 q(c, c->name)));
    }
    build_checks(pc, svc);
    const dw_cv *nets = dw_cv_get(svc, "networks");
    if (dw_cv_text(dw_cv_get(svc, "network_mode")).len && nets && (nets->kind == DW_CV_SEQ || nets->kind == DW_CV_MAP) && nets->n)
        refuse(c, nets, false, "keep network_mode (the container shares that network stack) or networks, not both",
               P("service `%.*s` sets both network_mode and networks", NAME),
               P("service %.*s declares mutually exclusive `network_mode` and `networks`: invalid compose project",
                 NAME));
    references(pc, svc);
    const dw_cv *test = dw_cv_path(svc, "healthcheck.test");
    if (test && test->kind == DW_CV_SEQ && test->n) {
        dw_str first = dw_cv_text(test->items[0]);
        if (!dw_str_eqc(first, "CMD") && !dw_str_eqc(first, "CMD-SHELL") && !dw_str_eqc(first, "NONE"))
            refuse(c, test->items[0], false,
                   "start the list with CMD (run it as is) or CMD-SHELL (run it with sh -c), or write a string",
                   P("healthcheck test of service `%.*s` starts with `%.*s`, not CMD, CMD-SHELL or NONE", NAME,
                     (int)first.len, first.ptr ? first.ptr : ""),
                   P("healthcheck.test must start either by \"CMD\", \"CMD-SHELL\" or \"NONE\""));
    }
    dependencies(pc, svc);
    replicas(pc, svc);
    legacy_limits(pc, svc);
    const dw_cv *watch = dw_cv_path(svc, "develop.watch");
    for (uint32_t i = 0; watch && watch->kind == DW_CV_SEQ && i < watch->n; i++) {
        const dw_cv *w = watch->items[i];
        dw_str action = dw_cv_text(dw_cv_get(w, "action"));
        if (!w || w->kind != DW_CV_MAP || dw_cv_text(dw_cv_get(w, "target")).len || dw_str_eqc(action, "rebuild") ||
            dw_str_eqc(action, "restart"))
            continue;
        refuse(c, w, false, "add `target:`, the path in the container the files go to",
               P("develop.watch entry of service `%.*s` (action %.*s) has no target", NAME, (int)action.len,
                 action.ptr ? action.ptr : ""),
               P("services.%.*s.develop.watch: target is required for non-rebuild actions: invalid compose project",
                 NAME));
    }
    mounts(pc, svc);
}

void dw_compose_validate_model(dw_loader *L)
{
    checker c = {L, &L->p->arena, {NULL, 0}, {0, 0}, 0, true};
    if (!L->p->model || L->p->model->kind != DW_CV_MAP) return;
    static const char *const config_keys[] = {"file", "environment", "content", NULL};
    static const char *const secret_keys[] = {"file", "environment", NULL};
    external_volumes(&c);
    file_objects(&c, "configs", config_keys, "file|environment|content");
    file_objects(&c, "secrets", secret_keys, "file|environment");
    const dw_cv *services = dw_cv_get(L->p->model, "services");
    for (uint32_t i = 0; services && services->kind == DW_CV_MAP && i < services->n; i++) {
        if (!services->pairs[i].value || services->pairs[i].value->kind != DW_CV_MAP) continue;
        c.name = services->pairs[i].key;
        validate_service(&c, services->pairs[i].value);
    }
}

void dw_compose_check_consistency(dw_loader *L)
{
    dw_compose_project *p = L->p;
    const dw_cv *services = dw_cv_get(p->model, "services");
    if (!services || services->kind != DW_CV_MAP) return;
    project_check pc;
    memset(&pc, 0, sizeof pc);
    pc.c = (checker){L, &p->arena, {NULL, 0}, {0, 0}, 0, true};
    pc.services = services;
    pc.fragment = dw_compose_is_fragment(p);
    for (uint32_t i = 0; i < services->n; i++)
        if (!dw_strmap_get(&pc.by_name, services->pairs[i].key))
            dw_strmap_put(&pc.by_name, services->pairs[i].key, services->pairs[i].value ? services->pairs[i].value
                                                                                         : (dw_cv *)services);
    for (uint32_t i = 0; i < services->n; i++) {
        const dw_cv *svc = services->pairs[i].value;
        if (!svc || svc->kind != DW_CV_MAP) continue;
        pc.c.name = services->pairs[i].key;
        pc.c.name_span = services->pairs[i].key_span;
        pc.c.name_file = svc->file;
        pc.c.enabled = dw_compose_service_enabled(p, svc);
        service_checks(&pc, svc);
    }
    /* a top-level secret with a driver still needs file or environment */
    checker *c = &pc.c;
    c->enabled = true;
    const dw_cv *secrets = dw_cv_get(p->model, "secrets");
    for (uint32_t i = 0; secrets && secrets->kind == DW_CV_MAP && i < secrets->n; i++) {
        const dw_cv *s = secrets->pairs[i].value;
        if (!s || s->kind != DW_CV_MAP || dw_cv_truthy(dw_cv_get(s, "external"))) continue;
        if (dw_cv_get(s, "file") || dw_cv_get(s, "environment")) continue;
        dw_str name = secrets->pairs[i].key;
        refuse(c, s, false, "add `file:` (a file of the project) or `environment:` (a variable's value)",
               P("secret `%.*s` has neither file nor environment", (int)name.len, name.ptr),
               P("secret %s must declare either `file` or `environment`: invalid compose project", q(c, name)));
    }
    dw_strmap_free(&pc.by_name);
    for (size_t k = 0; k < sizeof pc.declared / sizeof *pc.declared; k++) dw_strmap_free(&pc.declared[k].names);
}
