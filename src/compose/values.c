/* values.c — the values Compose converts while it loads (compose-go's
 * canonical transform and its binding to Go types), checked when the
 * project is loaded: a short-form port or volume, a duration, a byte size
 * or a string command line that does not parse stops `docker compose`
 * before anything runs. Each is an error in p->errors, in Compose's words,
 * and a compose-schema finding at the value.
 *
 * The parsers are syntax.h's, the same the canonical output and the rules
 * use. Left alone here: healthcheck durations (healthcheck-timing reports
 * them), values that came from interpolation (what they hold depends on
 * the environment; an unset variable is undefined-variable's finding),
 * and types the schema already refused. */
#include "compose_int.h"

typedef struct {
    dw_loader *L;
    dw_str service;
} checker;

static bool literal(const dw_cv *v)
{
    return v && v->kind == DW_CV_STR && !v->interpolated && !v->synthetic;
}

static void refuse(checker *c, const dw_cv *at, const char *help, const char *problem, const char *compose_error)
{
    dw_compose_error(c->L->p, "%s", compose_error);
    dw_diag *d = dw_loader_report(c->L, at->file, "compose-schema", DW_SEV_ERROR, at->span, "%s", problem);
    if (d) d->help = help;
}

#define SVC (int)c->service.len, c->service.ptr

static void check_duration(checker *c, const dw_cv *v, const char *key)
{
    int64_t ns;
    const char *why;
    if (!literal(v) || dw_parse_duration(v->s, &ns, &why)) return;
    dw_arena *a = &c->L->p->arena;
    refuse(c, v, "write a number and a unit, e.g. 10s, 1m30s or 500ms",
           dw_arena_printf(a, "%s `%.*s` of service `%.*s` is not a duration: %s", key, (int)v->s.len, v->s.ptr,
                           SVC, why),
           dw_arena_printf(a, "services.%.*s: invalid duration \"%.*s\"", SVC, (int)v->s.len, v->s.ptr));
}

static void check_size(checker *c, const dw_cv *v, const char *key)
{
    int64_t bytes;
    const char *why;
    if (!literal(v) || dw_parse_size(v->s, &bytes, &why)) return;
    dw_arena *a = &c->L->p->arena;
    refuse(c, v, "write bytes, or a number and a unit: 512m, 1.5g, 64k",
           dw_arena_printf(a, "%s `%.*s` of service `%.*s` is not a size: %s", key, (int)v->s.len, v->s.ptr, SVC,
                           why),
           dw_arena_printf(a, "services.%.*s: invalid size: '%.*s'", SVC, (int)v->s.len, v->s.ptr));
}

static void check_command(checker *c, const dw_cv *v, const char *key)
{
    const char *why;
    if (!literal(v) || dw_shell_split(v->s, NULL, NULL, NULL, &why)) return;
    dw_arena *a = &c->L->p->arena;
    refuse(c, v, "close the quote, or write it as a list: [\"sh\", \"-c\", \"...\"]",
           dw_arena_printf(a, "%s `%.*s` of service `%.*s` does not split into words: %s", key, (int)v->s.len,
                           v->s.ptr, SVC, why),
           dw_arena_printf(a, "services.%.*s: invalid command line string", SVC));
}

static void check_ports(checker *c, const dw_cv *ports)
{
    dw_arena *a = &c->L->p->arena;
    for (uint32_t i = 0; ports && ports->kind == DW_CV_SEQ && i < ports->n; i++) {
        const dw_cv *it = ports->items[i];
        if (!it || (it->kind != DW_CV_INT && !literal(it))) continue;
        char num[24];
        dw_str t = dw_port_text(it, num);
        dw_port_range r;
        const char *err = NULL;
        if (dw_port_parse(t, &r, a, &err)) continue;
        refuse(c, it, "write [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL], e.g. \"127.0.0.1:8080:80/tcp\"",
               dw_arena_printf(a, "port `%.*s` of service `%.*s` does not parse: %s", (int)t.len, t.ptr, SVC, err),
               err);
    }
}

static void check_volumes(checker *c, const dw_cv *vols)
{
    dw_arena *a = &c->L->p->arena;
    for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
        const dw_cv *it = vols->items[i];
        if (it && it->kind == DW_CV_MAP) {
            check_size(c, dw_cv_path(it, "tmpfs.size"), "tmpfs.size");
            continue;
        }
        if (!literal(it)) continue;
        dw_volume_spec spec;
        const char *err;
        if (dw_parse_volume(it->s, &spec, &err) == 0) continue;
        refuse(c, it, "write [SOURCE:]TARGET[:OPTIONS], e.g. ./data:/data:ro",
               dw_arena_printf(a, "volume `%.*s` of service `%.*s` does not parse: %s", (int)it->s.len, it->s.ptr,
                               SVC, err),
               dw_arena_printf(a, "invalid spec: %.*s: %s", (int)it->s.len, it->s.ptr, err));
    }
}

static void check_deploy(checker *c, const dw_cv *d)
{
    static const char *const durations[] = {
        "update_config.delay", "update_config.monitor", "rollback_config.delay", "rollback_config.monitor",
        "restart_policy.delay", "restart_policy.window",
    };
    for (size_t i = 0; i < sizeof durations / sizeof *durations; i++)
        check_duration(c, dw_cv_path(d, durations[i]), dw_arena_printf(&c->L->p->arena, "deploy.%s", durations[i]));
    check_size(c, dw_cv_path(d, "resources.limits.memory"), "deploy.resources.limits.memory");
    check_size(c, dw_cv_path(d, "resources.reservations.memory"), "deploy.resources.reservations.memory");
}

void dw_compose_check_values(dw_loader *L)
{
    const dw_cv *services = dw_cv_get(L->p->model, "services");
    if (!services || services->kind != DW_CV_MAP) return;
    /* every service, enabled or not: Compose transforms them all before it
     * applies the profiles */
    for (uint32_t i = 0; i < services->n; i++) {
        const dw_cv *svc = services->pairs[i].value;
        if (!svc || svc->kind != DW_CV_MAP) continue;
        checker c = {L, services->pairs[i].key};
        check_ports(&c, dw_cv_get(svc, "ports"));
        check_volumes(&c, dw_cv_get(svc, "volumes"));
        check_command(&c, dw_cv_get(svc, "command"), "command");
        check_command(&c, dw_cv_get(svc, "entrypoint"), "entrypoint");
        check_duration(&c, dw_cv_get(svc, "stop_grace_period"), "stop_grace_period");
        static const char *const sizes[] = {"mem_limit", "mem_reservation", "memswap_limit", "shm_size"};
        for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) check_size(&c, dw_cv_get(svc, sizes[k]), sizes[k]);
        check_size(&c, dw_cv_path(svc, "build.shm_size"), "build.shm_size");
        check_deploy(&c, dw_cv_get(svc, "deploy"));
    }
}
