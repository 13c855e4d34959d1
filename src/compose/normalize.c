/* normalize.c — the model in the canonical form `docker compose config`
 * prints: compose-go's transform.Canonical, SetDefaultValues,
 * ResolveRelativePaths, ResolveEnvironment and Normalize, then the
 * project's profiles and WithServicesEnvironmentResolved, and the field
 * order its Go structs marshal in (a Go map's keys sorted).
 *
 * The result is a new tree (the model is not changed) whose mappings are
 * already in printing order and whose scalars have the kinds Compose
 * prints (ports' target a number, published a string, sizes in bytes as
 * strings, durations as Go prints them). Values it cannot convert are
 * kept as written, with a load error in p->errors as Compose would stop. */
#include "compose_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

typedef struct {
    dw_compose_project *p;
    dw_arena *a;
    bool json;
    dw_scope env;             /* the project's variables: `KEY` alone in environment reads them */
    bool uses_default;        /* a service joins the implicit `default` network */
} norm;

/* ---- nodes ---- */

static dw_cv *S(norm *n, dw_str s, const dw_cv *like) { return dw_cv_new_str(n->a, s, like); }
static dw_cv *Sc(norm *n, const char *s, const dw_cv *like) { return S(n, dw_str_c(s), like); }

static dw_cv *I(norm *n, int64_t v, const dw_cv *like)
{
    dw_cv *c = dw_cv_new(n->a, DW_CV_INT, like);
    c->i = v;
    c->raw = c->s = dw_str_c(dw_arena_printf(n->a, "%lld", (long long)v));
    return c;
}

static dw_cv *B(norm *n, bool v, const dw_cv *like)
{
    dw_cv *c = dw_cv_new(n->a, DW_CV_BOOL, like);
    c->b = v;
    c->raw = c->s = dw_str_c(v ? "true" : "false");
    return c;
}

static dw_cv *N(norm *n, const dw_cv *like) { return dw_cv_new(n->a, DW_CV_NULL, like); }
static dw_cv *M(norm *n, const dw_cv *like) { return dw_cv_new(n->a, DW_CV_MAP, like); }
static dw_cv *Q(norm *n, const dw_cv *like) { return dw_cv_new(n->a, DW_CV_SEQ, like); }

static void put(norm *n, dw_cv *m, const char *key, dw_cv *v)
{
    dw_cv_pair pr;
    memset(&pr, 0, sizeof pr);
    pr.key = dw_str_c(key);
    pr.value = v;
    dw_cv_append_pair(n->a, m, &pr);
}

static void putn(norm *n, dw_cv *m, dw_str key, dw_cv *v)
{
    dw_cv_pair pr;
    memset(&pr, 0, sizeof pr);
    pr.key = key;
    pr.value = v;
    dw_cv_append_pair(n->a, m, &pr);
}

static bool is_ext(dw_str k) { return k.len >= 2 && k.ptr[0] == 'x' && k.ptr[1] == '-'; }

static bool bytes_less(dw_str a, dw_str b)
{
    size_t l = a.len < b.len ? a.len : b.len;
    int c = l ? memcmp(a.ptr, b.ptr, l) : 0;
    return c ? c < 0 : a.len < b.len;
}

static bool is_digit(uint32_t r) { return r >= '0' && r <= '9'; }
static bool is_letter(uint32_t r) { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r >= 0xC0; }

/* go-yaml's keyList.Less: letters after other characters, digit runs
 * compared as numbers ("port2" before "port10"). */
static bool yaml_less(dw_str a, dw_str b)
{
    size_t i = 0, j = 0;
    bool digits = false;
    while (i < a.len && j < b.len) {
        int wa, wb;
        uint32_t ra = dw_utf8_decode(a.ptr + i, a.len - i, &wa), rb = dw_utf8_decode(b.ptr + j, b.len - j, &wb);
        if (ra == rb) {
            digits = is_digit(ra);
            i += (size_t)wa;
            j += (size_t)wb;
            continue;
        }
        bool al = is_letter(ra), bl = is_letter(rb);
        if (al && bl) return ra < rb;
        if (al || bl) return digits ? al : bl;
        int64_t an = 0, bn = 0;
        if (ra == '0' || rb == '0')
            for (size_t k = i; k-- > 0 && is_digit((unsigned char)a.ptr[k]);)
                if (a.ptr[k] != '0') {
                    an = bn = 1;
                    break;
                }
        size_t ai = i, bi = j;
        while (ai < a.len && is_digit((unsigned char)a.ptr[ai]) && an < INT64_MAX / 10) an = an * 10 + (a.ptr[ai++] - '0');
        while (bi < b.len && is_digit((unsigned char)b.ptr[bi]) && bn < INT64_MAX / 10) bn = bn * 10 + (b.ptr[bi++] - '0');
        if (an != bn) return an < bn;
        if (ai - i != bi - j) return ai - i < bi - j;
        return ra < rb;
    }
    return a.len - i < b.len - j;
}

/* A Go map: keys sorted, the way the output format sorts them (a stable
 * merge sort: maps can be large). */
static dw_cv *sort_map(norm *n, dw_cv *m)
{
    if (!m || m->kind != DW_CV_MAP || m->n < 2) return m;
    dw_cv_pair *tmp = dw_xmalloc(sizeof *tmp * m->n);
    for (uint32_t width = 1; width < m->n; width *= 2) {
        for (uint32_t lo = 0; lo < m->n; lo += 2 * width) {
            uint32_t mid = lo + width < m->n ? lo + width : m->n, hi = lo + 2 * width < m->n ? lo + 2 * width : m->n;
            uint32_t x = lo, y = mid, k = lo;
            while (x < mid || y < hi) {
                bool take_y = x >= mid || (y < hi && (n->json ? bytes_less(m->pairs[y].key, m->pairs[x].key)
                                                              : yaml_less(m->pairs[y].key, m->pairs[x].key)));
                tmp[k++] = take_y ? m->pairs[y++] : m->pairs[x++];
            }
        }
        memcpy(m->pairs, tmp, sizeof *tmp * m->n);
    }
    free(tmp);
    return m;
}
#define sorted(m) sort_map(n, (m))

/* A value of a Go map[string]any (extensions, free-form maps): every
 * mapping in it sorted. */
static dw_cv *sort_deep(norm *n, dw_cv *v)
{
    if (!v) return v;
    if (v->kind == DW_CV_MAP)
        for (uint32_t i = 0; i < v->n; i++) v->pairs[i].value = sort_deep(n, v->pairs[i].value);
    else if (v->kind == DW_CV_SEQ)
        for (uint32_t i = 0; i < v->n; i++) v->items[i] = sort_deep(n, v->items[i]);
    return sorted(v);
}

/* A Go struct: `fields` in order, then (YAML only) the x-* extensions
 * sorted; keys the struct does not know are kept, sorted, after them. */
static dw_cv *ordered(norm *n, dw_cv *m, const char *const *fields)
{
    if (!m || m->kind != DW_CV_MAP) return m;
    dw_cv *o = dw_cv_new(n->a, DW_CV_MAP, m);
    *o = *m;
    o->pairs = NULL;
    o->n = o->cap = 0;
    bool *used = dw_xmalloc(m->n + 1);
    memset(used, 0, m->n + 1);
    for (const char *const *f = fields; *f; f++)
        for (uint32_t i = 0; i < m->n; i++)
            if (!used[i] && dw_str_eqc(m->pairs[i].key, *f)) {
                used[i] = true;
                dw_cv_append_pair(n->a, o, &m->pairs[i]);
            }
    dw_cv rest = {0};
    rest.kind = DW_CV_MAP;
    for (uint32_t i = 0; i < m->n; i++)
        if (!used[i] && !(n->json && is_ext(m->pairs[i].key))) {
            dw_cv_pair pr = m->pairs[i];
            if (is_ext(pr.key)) pr.value = sort_deep(n, pr.value);
            dw_cv_append_pair(n->a, &rest, &pr);
        }
    free(used);
    sorted(&rest);
    for (uint32_t i = 0; i < rest.n; i++) dw_cv_append_pair(n->a, o, &rest.pairs[i]);
    return o;
}

/* A value Compose cannot convert: its error, in compose-go's words. The
 * load (values.c) reported it already, with a finding; the error is
 * recorded again here in case it is one the load does not look for. */
static void nerror(norm *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void nerror(norm *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = dw_arena_vprintf(n->a, fmt, ap);
    va_end(ap);
    dw_compose_error(n->p, "%s", msg);
}

static const char *base_dir(norm *n, const dw_cv *v)
{
    return v && v->file < n->p->nfiles ? n->p->files[v->file].rel_base : n->p->dir;
}

/* ---- durations (go-str2duration in, Go's time.Duration.String out) ---- */

/* Go's fmtFrac: the fraction of v / 10^prec, trailing zeros dropped. */
static void frac(char *buf, size_t *w, uint64_t *v, int prec)
{
    bool print = false;
    for (int i = 0; i < prec; i++) {
        unsigned digit = (unsigned)(*v % 10);
        print = print || digit != 0;
        if (print) buf[--*w] = (char)('0' + digit);
        *v /= 10;
    }
    if (print) buf[--*w] = '.';
}

static void fmt_int(char *buf, size_t *w, uint64_t v)
{
    if (v == 0) {
        buf[--*w] = '0';
        return;
    }
    while (v > 0) {
        buf[--*w] = (char)('0' + v % 10);
        v /= 10;
    }
}

static const char *go_duration(dw_arena *a, int64_t d)
{
    char buf[40];
    size_t w = sizeof buf;
    uint64_t u = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
    if (u < 1000000000u) {
        int prec = 0;
        buf[--w] = 's';
        if (u == 0) {
            buf[--w] = '0';
            return dw_arena_memdup(a, buf + w, sizeof buf - w);
        } else if (u < 1000u) {
            buf[--w] = 'n';
        } else if (u < 1000000u) {
            prec = 3;
            buf[--w] = '\xB5';
            buf[--w] = '\xC2';
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        frac(buf, &w, &u, prec);
        fmt_int(buf, &w, u);
    } else {
        buf[--w] = 's';
        frac(buf, &w, &u, 9);
        fmt_int(buf, &w, u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            fmt_int(buf, &w, u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                fmt_int(buf, &w, u);
            }
        }
    }
    if (d < 0) buf[--w] = '-';
    return dw_arena_memdup(a, buf + w, sizeof buf - w);
}

static dw_cv *duration(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind == DW_CV_NULL) return dw_cv_copy(n->a, v ? v : N(n, NULL));
    int64_t ns;
    const char *why;
    dw_str t = dw_cv_text(v);
    if (!dw_parse_duration(t, &ns, &why)) {
        nerror(n, "%s: invalid duration \"%.*s\"", where, (int)t.len, t.ptr);
        return dw_cv_copy(n->a, v);
    }
    return Sc(n, go_duration(n->a, ns), v);
}

/* ---- sizes (go-units RAMInBytes), printed as strings of bytes ---- */

static dw_cv *size(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind == DW_CV_NULL) return dw_cv_copy(n->a, v ? v : N(n, NULL));
    if (v->kind == DW_CV_INT) return Sc(n, dw_arena_printf(n->a, "%lld", (long long)v->i), v);
    dw_str t = dw_cv_text(v);
    int64_t bytes;
    const char *why;
    if (!dw_parse_size(t, &bytes, &why)) {
        nerror(n, "%s: invalid size: '%.*s'", where, (int)t.len, t.ptr);
        return dw_cv_copy(n->a, v);
    }
    return Sc(n, dw_arena_printf(n->a, "%lld", (long long)bytes), v);
}

/* ---- small conversions ---- */

static dw_cv *as_string(norm *n, const dw_cv *v)
{
    if (!v) return N(n, NULL);
    if (v->kind == DW_CV_NULL || v->kind == DW_CV_STR) return dw_cv_copy(n->a, v);
    if (v->kind == DW_CV_MAP || v->kind == DW_CV_SEQ) return dw_cv_deep_copy(n->a, v);
    return S(n, dw_cv_text(v), v);
}

static dw_cv *as_int(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind == DW_CV_INT || v->kind == DW_CV_NULL) return dw_cv_copy(n->a, v ? v : N(n, NULL));
    char *t = dw_str_cstr(n->a, dw_cv_text(v)), *end;
    errno = 0;
    long long i = strtoll(t, &end, 10);
    if (!*t || *end || errno) {
        nerror(n, "%s: invalid integer \"%s\"", where, t);
        return dw_cv_copy(n->a, v);
    }
    return I(n, i, v);
}

/* A string-or-list (StringList): a string becomes a one-item list. */
static dw_cv *string_list(norm *n, const dw_cv *v)
{
    if (v && v->kind == DW_CV_SEQ) {
        dw_cv *q = Q(n, v);
        for (uint32_t i = 0; i < v->n; i++) dw_cv_push(n->a, q, as_string(n, v->items[i]));
        return q;
    }
    dw_cv *q = Q(n, v);
    if (v && v->kind != DW_CV_NULL) dw_cv_push(n->a, q, as_string(n, v));
    return q;
}

/* dw_cv_set through an index of m's keys (key -> 1 + pair index): a list
 * of thousands of variables stays linear. */
static void set_indexed(norm *n, dw_cv *m, dw_strmap *ix, dw_str key, dw_cv *val)
{
    uintptr_t at = (uintptr_t)dw_strmap_get(ix, key);
    if (at) {
        m->pairs[at - 1].value = val;
        return;
    }
    dw_cv_add(n->a, m, key, val);
    dw_strmap_put(ix, key, (void *)(uintptr_t)m->n);
}

/* A mapping written as a map or as `KEY=VALUE` items; `bare` is what a
 * `KEY` item without `=` becomes (NULL: null). Values become strings; a
 * key given twice keeps its last value. */
static dw_cv *key_values(norm *n, const dw_cv *v, const char *bare)
{
    dw_cv *m = M(n, v);
    dw_strmap ix = {0};
    if (v && v->kind == DW_CV_MAP) {
        for (uint32_t i = 0; i < v->n; i++) set_indexed(n, m, &ix, v->pairs[i].key, as_string(n, v->pairs[i].value));
    } else if (v && v->kind == DW_CV_SEQ) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_str s = dw_cv_text(v->items[i]);
            const char *eq = dw_str_chr(s, '=');
            if (eq) set_indexed(n, m, &ix, dw_str_make(s.ptr, (size_t)(eq - s.ptr)),
                                S(n, dw_str_make(eq + 1, s.len - (size_t)(eq + 1 - s.ptr)), v->items[i]));
            else set_indexed(n, m, &ix, s, bare ? Sc(n, bare, v->items[i]) : N(n, v->items[i]));
        }
    }
    dw_strmap_free(&ix);
    return sorted(m);
}

/* compose-go's resolve() on environment / build args: `KEY` without a
 * value reads the project's variables; kept as null (environment) or
 * dropped (build args) when it is not set. */
static dw_cv *resolve_env(norm *n, const dw_cv *v, bool keep_empty)
{
    dw_cv *m = key_values(n, v, NULL), *out = M(n, v);
    for (uint32_t i = 0; i < m->n; i++) {
        dw_cv *val = m->pairs[i].value;
        if (val->kind == DW_CV_NULL) {
            const char *found = dw_strmap_get(&n->env.vars, m->pairs[i].key);
            if (found) val = Sc(n, found, val);
            else if (!keep_empty) continue;
        }
        putn(n, out, m->pairs[i].key, val);
    }
    return out;
}

static dw_cv *abs_path(norm *n, const dw_cv *v)
{
    if (!v || v->kind != DW_CV_STR || !v->s.len) return as_string(n, v);
    return Sc(n, dw_path_join(n->a, base_dir(n, v), v->s), v);
}

/* ---- command lines (mattn/go-shellwords' Parse, as ShellCommand uses it) ---- */

typedef struct {
    norm *n;
    dw_cv *q;
    const dw_cv *like;
} words;

static void push_word(void *ud, dw_str w)
{
    words *ws = ud;
    dw_cv_push(ws->n->a, ws->q, S(ws->n, dw_str_dup(ws->n->a, w), ws->like));
}

static dw_cv *shell_words(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind != DW_CV_STR) {
        if (v && v->kind == DW_CV_SEQ) return string_list(n, v);
        return v ? dw_cv_copy(n->a, v) : N(n, NULL);
    }
    words ws = {n, Q(n, v), v};
    const char *why;
    if (!dw_shell_split(v->s, push_word, &ws, NULL, &why)) {
        nerror(n, "%s: invalid command line string", where);
        return dw_cv_copy(n->a, v);
    }
    return ws.q;
}

/* ---- service parts ---- */

static const char *const build_fields[] = {
    "context", "dockerfile", "dockerfile_inline", "entitlements", "args", "provenance", "sbom", "ssh", "labels",
    "cache_from", "cache_to", "no_cache", "no_cache_filter", "additional_contexts", "pull", "extra_hosts",
    "isolation", "network", "target", "secrets", "shm_size", "tags", "ulimits", "platforms", "privileged", NULL};
static const char *const port_fields[] = {"name", "mode", "host_ip", "target", "published", "protocol", "app_protocol",
                                          NULL};
static const char *const mount_fields[] = {"type", "source", "target", "read_only", "consistency", "bind", "volume",
                                           "tmpfs", "image", NULL};
static const char *const bind_fields[] = {"selinux", "propagation", "create_host_path", "recursive", NULL};
static const char *const volopt_fields[] = {"labels", "nocopy", "subpath", NULL};
static const char *const tmpfs_fields[] = {"size", "mode", NULL};
static const char *const fileref_fields[] = {"source", "target", "uid", "gid", "mode", NULL};
static const char *const dep_fields[] = {"condition", "restart", "required", NULL};
static const char *const health_fields[] = {"test", "timeout", "interval", "retries", "start_period", "start_interval",
                                            "disable", NULL};
static const char *const svcnet_fields[] = {"aliases", "driver_opts", "gw_priority", "interface_name", "ipv4_address",
                                            "ipv6_address", "link_local_ips", "mac_address", "priority", NULL};
static const char *const logging_fields[] = {"driver", "options", NULL};
static const char *const deploy_fields[] = {"mode", "replicas", "labels", "update_config", "rollback_config",
                                            "resources", "restart_policy", "placement", "endpoint_mode", NULL};
static const char *const update_fields[] = {"parallelism", "delay", "failure_action", "monitor", "max_failure_ratio",
                                            "order", NULL};
static const char *const resources_fields[] = {"limits", "reservations", NULL};
static const char *const resource_fields[] = {"cpus", "memory", "pids", "devices", "generic_resources", NULL};
static const char *const restart_fields[] = {"condition", "delay", "max_attempts", "window", NULL};
static const char *const placement_fields[] = {"constraints", "preferences", "max_replicas_per_node", NULL};
static const char *const device_fields[] = {"source", "target", "permissions", NULL};
static const char *const devreq_fields[] = {"capabilities", "driver", "count", "device_ids", "options", NULL};
static const char *const network_fields[] = {"name", "driver", "driver_opts", "ipam", "external", "internal",
                                             "attachable", "labels", "enable_ipv4", "enable_ipv6", NULL};
static const char *const ipam_fields[] = {"driver", "config", "options", NULL};
static const char *const pool_fields[] = {"subnet", "gateway", "ip_range", "aux_addresses", NULL};
static const char *const volume_fields[] = {"name", "driver", "driver_opts", "external", "labels", NULL};
static const char *const fileobj_fields[] = {"name", "file", "environment", "content", "external", "labels", "driver",
                                             "driver_opts", "template_driver", NULL};
static const char *const service_fields[] = {
    "profiles", "annotations", "attach", "build", "develop", "blkio_config", "cap_add", "cap_drop", "cgroup_parent",
    "cgroup", "cpu_count", "cpu_percent", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpus",
    "cpuset", "cpu_shares", "command", "configs", "container_name", "credential_spec", "depends_on", "deploy",
    "device_cgroup_rules", "devices", "dns", "dns_opt", "dns_search", "dockerfile", "domainname", "entrypoint",
    "provider", "environment", "env_file", "expose", "extends", "external_links", "extra_hosts", "group_add", "gpus",
    "hostname", "healthcheck", "image", "init", "ipc", "isolation", "labels", "label_file", "links", "logging",
    "log_driver", "log_opt", "mem_limit", "mem_reservation", "memswap_limit", "mem_swappiness", "mac_address",
    "models", "net", "network_mode", "networks", "oom_kill_disable", "oom_score_adj", "pid", "pids_limit", "platform",
    "ports", "privileged", "pull_policy", "read_only", "restart", "runtime", "scale", "secrets", "security_opt",
    "shm_size", "stdin_open", "stop_grace_period", "stop_signal", "storage_opt", "sysctls", "tmpfs", "tty", "ulimits",
    "use_api_socket", "user", "userns_mode", "uts", "volume_driver", "volumes", "volumes_from", "working_dir",
    "pre_start", "post_start", "pre_stop", NULL};

static dw_cv *copy_ordered(norm *n, const dw_cv *v, const char *const *fields)
{
    if (!v || v->kind != DW_CV_MAP) return v ? dw_cv_deep_copy(n->a, v) : N(n, NULL);
    return ordered(n, dw_cv_deep_copy(n->a, v), fields);
}

/* ulimits: a number, or {soft, hard} (both printed, as Go's anonymous struct does) */
static dw_cv *ulimits(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind != DW_CV_MAP) return v ? dw_cv_deep_copy(n->a, v) : N(n, NULL);
    dw_cv *m = M(n, v);
    for (uint32_t i = 0; i < v->n; i++) {
        dw_cv *u = v->pairs[i].value, *o;
        if (u && u->kind == DW_CV_MAP) {
            o = M(n, u);
            dw_cv *soft = dw_cv_get(u, "soft"), *hard = dw_cv_get(u, "hard");
            put(n, o, "soft", soft ? as_int(n, soft, where) : I(n, 0, u));
            put(n, o, "hard", hard ? as_int(n, hard, where) : I(n, 0, u));
            if (n->json) { /* json marshals the struct itself: single, soft, hard with omitempty */
                dw_cv *j = M(n, u);
                if (soft && dw_cv_text(soft).len && !(soft->kind == DW_CV_INT && !soft->i)) put(n, j, "soft", as_int(n, soft, where));
                if (hard && dw_cv_text(hard).len && !(hard->kind == DW_CV_INT && !hard->i)) put(n, j, "hard", as_int(n, hard, where));
                o = j;
            }
        } else {
            o = as_int(n, u, where);
        }
        putn(n, m, v->pairs[i].key, o);
    }
    return sorted(m);
}

static dw_cv *hosts_list(norm *n, const dw_cv *v)
{
    dw_cv *q = Q(n, v);
    if (v && v->kind == DW_CV_MAP) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_str k = v->pairs[i].key;
            const dw_cv *val = v->pairs[i].value;
            const dw_cv *one[1] = {val};
            const dw_cv *const *items = one;
            uint32_t cnt = 1;
            if (val && val->kind == DW_CV_SEQ) items = (const dw_cv *const *)val->items, cnt = val->n;
            for (uint32_t j = 0; j < cnt; j++) {
                dw_str ip = dw_cv_text(items[j]);
                dw_cv_push(n->a, q, Sc(n, dw_arena_printf(n->a, "%.*s=%.*s", (int)k.len, k.ptr, (int)ip.len, ip.ptr), val));
            }
        }
    } else if (v && v->kind == DW_CV_SEQ) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_str s = dw_cv_text(v->items[i]);
            const char *sep = dw_str_chr(s, '=');
            if (!sep) sep = dw_str_chr(s, ':');
            if (sep)
                s = dw_str_c(dw_arena_printf(n->a, "%.*s=%.*s", (int)(sep - s.ptr), s.ptr,
                                             (int)(s.len - (size_t)(sep + 1 - s.ptr)), sep + 1));
            dw_cv_push(n->a, q, S(n, s, v->items[i]));
        }
    }
    /* sort.Strings: bytewise (an insertion sort: host lists are short) */
    for (uint32_t i = 1; i < q->n; i++)
        for (uint32_t j = i; j > 0 && bytes_less(q->items[j]->s, q->items[j - 1]->s); j--) {
            dw_cv *t = q->items[j];
            q->items[j] = q->items[j - 1];
            q->items[j - 1] = t;
        }
    return q;
}

static dw_cv *file_mount(norm *n, const dw_cv *v, const char *default_dir)
{
    dw_cv *m;
    if (v && v->kind == DW_CV_STR) {
        m = M(n, v);
        put(n, m, "source", dw_cv_copy(n->a, v));
    } else {
        m = v ? dw_cv_deep_copy(n->a, v) : M(n, NULL);
        if (m->kind != DW_CV_MAP) return m;
    }
    if (default_dir && !dw_cv_get(m, "target")) {
        dw_str src = dw_cv_text(dw_cv_get(m, "source"));
        put(n, m, "target", Sc(n, dw_arena_printf(n->a, "%s/%.*s", default_dir, (int)src.len, src.ptr), v));
    }
    dw_cv *mode = dw_cv_get(m, "mode");
    if (mode && mode->kind != DW_CV_NULL) {
        /* an integer as go-yaml read it (cv.c: a leading 0 is octal), a string in octal */
        long long bits = mode->kind == DW_CV_INT ? (long long)mode->i
                                                 : strtoll(dw_str_cstr(n->a, dw_cv_text(mode)), NULL, 8);
        dw_cv_set(n->a, m, dw_str_c("mode"), Sc(n, dw_arena_printf(n->a, "0%llo", bits), mode));
    }
    for (const char *const *k = (const char *const[]){"uid", "gid", NULL}; *k; k++)
        if (dw_cv_get(m, *k)) dw_cv_set(n->a, m, dw_str_c(*k), as_string(n, dw_cv_get(m, *k)));
    return ordered(n, m, fileref_fields);
}

static void ports(norm *n, dw_cv *out, const dw_cv *v, const char *where)
{
    dw_cv *q = Q(n, v);
    for (uint32_t i = 0; v && v->kind == DW_CV_SEQ && i < v->n; i++) {
        dw_cv *it = v->items[i];
        if (it && it->kind == DW_CV_MAP) {
            dw_cv *m = dw_cv_deep_copy(n->a, it);
            if (!dw_cv_get(m, "protocol")) put(n, m, "protocol", Sc(n, "tcp", it));
            if (!dw_cv_get(m, "mode")) put(n, m, "mode", Sc(n, "ingress", it));
            if (dw_cv_get(m, "target")) dw_cv_set(n->a, m, dw_str_c("target"), as_int(n, dw_cv_get(m, "target"), where));
            if (dw_cv_get(m, "published")) dw_cv_set(n->a, m, dw_str_c("published"), as_string(n, dw_cv_get(m, "published")));
            dw_cv_push(n->a, q, ordered(n, m, port_fields));
            continue;
        }
        if (!it || (it->kind != DW_CV_STR && it->kind != DW_CV_INT)) {
            nerror(n, "%s: invalid type %s for port", where, dw_cv_describe(it));
            continue;
        }
        dw_port_spec specs[256];
        const char *err;
        char num[24];
        int cnt = dw_parse_ports(n->a, dw_port_text(it, num), specs, 256, &err);
        if (cnt < 0) {
            nerror(n, "%s", err);
            continue;
        }
        for (int k = 0; k < cnt; k++) {
            dw_cv *m = M(n, it);
            put(n, m, "mode", Sc(n, "ingress", it));
            if (specs[k].host_ip.len) put(n, m, "host_ip", S(n, dw_str_dup(n->a, specs[k].host_ip), it));
            put(n, m, "target", I(n, specs[k].target, it));
            if (specs[k].published[0]) put(n, m, "published", Sc(n, dw_arena_memdup(n->a, specs[k].published, strlen(specs[k].published)), it));
            put(n, m, "protocol", Sc(n, dw_arena_memdup(n->a, specs[k].protocol, strlen(specs[k].protocol)), it));
            dw_cv_push(n->a, q, m);
        }
    }
    put(n, out, "ports", q);
}

static const char *clean_target(dw_arena *a, dw_str t)
{
    if (!t.len) return "";
    const char *c = dw_path_join(a, "/", t);
    if (t.ptr[0] != '/') c++; /* a relative target stays relative */
    return *c ? c : ".";
}

static void volumes(norm *n, dw_cv *out, const dw_cv *v, const char *where)
{
    dw_cv *q = Q(n, v);
    for (uint32_t i = 0; v && v->kind == DW_CV_SEQ && i < v->n; i++) {
        dw_cv *it = v->items[i], *m;
        if (it && it->kind == DW_CV_STR) {
            dw_volume_spec spec;
            const char *err;
            if (dw_parse_volume(it->s, &spec, &err) < 0) {
                nerror(n, "invalid spec: %.*s: %s", (int)it->s.len, it->s.ptr, err);
                continue;
            }
            m = M(n, it);
            put(n, m, "type", S(n, spec.type, it));
            if (spec.source.len) put(n, m, "source", S(n, spec.source, it));
            put(n, m, "target", S(n, spec.target, it));
            if (spec.read_only) put(n, m, "read_only", B(n, true, it));
            if (spec.bind) {
                dw_cv *b = M(n, it);
                if (spec.selinux.len) put(n, b, "selinux", S(n, spec.selinux, it));
                if (spec.propagation.len) put(n, b, "propagation", S(n, spec.propagation, it));
                put(n, m, "bind", b);
            }
            if (!spec.bind || spec.nocopy) {
                dw_cv *vo = M(n, it);
                if (spec.nocopy) put(n, vo, "nocopy", B(n, true, it));
                put(n, m, "volume", vo);
            }
        } else if (it && it->kind == DW_CV_MAP) {
            m = dw_cv_deep_copy(n->a, it);
            dw_cv *b = dw_cv_get(m, "bind");
            if (b && b->kind == DW_CV_MAP) {
                dw_cv *chp = dw_cv_get(b, "create_host_path");
                /* create_host_path: true is the default, omitted when printed */
                if (chp && dw_cv_truthy(chp)) dw_cv_del(b, dw_str_c("create_host_path"));
                dw_cv_set(n->a, m, dw_str_c("bind"), ordered(n, b, bind_fields));
            } else if (b && b->kind == DW_CV_NULL) {
                dw_cv_set(n->a, m, dw_str_c("bind"), M(n, b));
            }
            dw_cv *vo = dw_cv_get(m, "volume");
            if (vo && vo->kind == DW_CV_MAP) dw_cv_set(n->a, m, dw_str_c("volume"), ordered(n, vo, volopt_fields));
            dw_cv *tf = dw_cv_get(m, "tmpfs");
            if (tf && tf->kind == DW_CV_MAP) {
                if (dw_cv_get(tf, "size")) dw_cv_set(n->a, tf, dw_str_c("size"), size(n, dw_cv_get(tf, "size"), where));
                dw_cv_set(n->a, m, dw_str_c("tmpfs"), ordered(n, tf, tmpfs_fields));
            }
        } else {
            nerror(n, "%s: invalid type %s for service volume mount", where, dw_cv_describe(it));
            continue;
        }
        /* bind sources become absolute, targets clean */
        dw_cv *type = dw_cv_get(m, "type"), *src = dw_cv_get(m, "source"), *tgt = dw_cv_get(m, "target");
        if (type && dw_str_eqc(dw_cv_text(type), "bind") && src && src->kind == DW_CV_STR && src->s.len &&
            !(src->s.len >= 2 && src->s.ptr[1] == ':') && !dw_str_has_prefix(src->s, "\\\\"))
            dw_cv_set(n->a, m, dw_str_c("source"), Sc(n, dw_path_join(n->a, base_dir(n, it), src->s), src));
        if (tgt && tgt->kind == DW_CV_STR) dw_cv_set(n->a, m, dw_str_c("target"), Sc(n, clean_target(n->a, tgt->s), tgt));
        dw_cv_push(n->a, q, ordered(n, m, mount_fields));
    }
    put(n, out, "volumes", q);
}

static dw_cv *healthcheck(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind != DW_CV_MAP) return v ? dw_cv_deep_copy(n->a, v) : N(n, NULL);
    dw_cv *m = dw_cv_deep_copy(n->a, v);
    dw_cv *test = dw_cv_get(m, "test");
    if (test && test->kind == DW_CV_STR) {
        dw_cv *q = Q(n, test);
        dw_cv_push(n->a, q, Sc(n, "CMD-SHELL", test));
        dw_cv_push(n->a, q, dw_cv_copy(n->a, test));
        dw_cv_set(n->a, m, dw_str_c("test"), q);
    }
    for (const char *const *k = (const char *const[]){"timeout", "interval", "start_period", "start_interval", NULL}; *k; k++)
        if (dw_cv_get(m, *k)) dw_cv_set(n->a, m, dw_str_c(*k), duration(n, dw_cv_get(m, *k), where));
    if (dw_cv_get(m, "retries")) dw_cv_set(n->a, m, dw_str_c("retries"), as_int(n, dw_cv_get(m, "retries"), where));
    return ordered(n, m, health_fields);
}

static dw_cv *resource(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind != DW_CV_MAP) return v ? dw_cv_deep_copy(n->a, v) : N(n, NULL);
    dw_cv *m = dw_cv_deep_copy(n->a, v);
    if (dw_cv_get(m, "memory")) dw_cv_set(n->a, m, dw_str_c("memory"), size(n, dw_cv_get(m, "memory"), where));
    dw_cv *cpus = dw_cv_get(m, "cpus");
    if (cpus && cpus->kind == DW_CV_STR) {
        dw_cv *f = dw_cv_new(n->a, DW_CV_FLOAT, cpus);
        f->f = strtod(dw_str_cstr(n->a, cpus->s), NULL);
        f->raw = f->s = cpus->s;
        dw_cv_set(n->a, m, dw_str_c("cpus"), f);
    }
    dw_cv *devs = dw_cv_get(m, "devices");
    if (devs && devs->kind == DW_CV_SEQ)
        for (uint32_t i = 0; i < devs->n; i++) {
            dw_cv *d = devs->items[i];
            if (d && d->kind == DW_CV_MAP && !dw_cv_get(d, "count") && !dw_cv_get(d, "device_ids"))
                put(n, d, "count", Sc(n, "all", d));
            devs->items[i] = ordered(n, d, devreq_fields);
        }
    return ordered(n, m, resource_fields);
}

static dw_cv *deploy(norm *n, const dw_cv *v, const char *where)
{
    if (!v || v->kind != DW_CV_MAP) return v ? dw_cv_deep_copy(n->a, v) : N(n, NULL);
    dw_cv *m = dw_cv_deep_copy(n->a, v);
    for (const char *const *k = (const char *const[]){"update_config", "rollback_config", NULL}; *k; k++) {
        dw_cv *u = dw_cv_get(m, *k);
        if (!u || u->kind != DW_CV_MAP) continue;
        for (const char *const *d = (const char *const[]){"delay", "monitor", NULL}; *d; d++)
            if (dw_cv_get(u, *d)) dw_cv_set(n->a, u, dw_str_c(*d), duration(n, dw_cv_get(u, *d), where));
        dw_cv_set(n->a, m, dw_str_c(*k), ordered(n, u, update_fields));
    }
    dw_cv *r = dw_cv_get(m, "resources");
    if (r && r->kind == DW_CV_MAP) {
        for (const char *const *k = (const char *const[]){"limits", "reservations", NULL}; *k; k++)
            if (dw_cv_get(r, *k)) dw_cv_set(n->a, r, dw_str_c(*k), resource(n, dw_cv_get(r, *k), where));
        dw_cv_set(n->a, m, dw_str_c("resources"), ordered(n, r, resources_fields));
    }
    dw_cv *rp = dw_cv_get(m, "restart_policy");
    if (rp && rp->kind == DW_CV_MAP) {
        for (const char *const *d = (const char *const[]){"delay", "window", NULL}; *d; d++)
            if (dw_cv_get(rp, *d)) dw_cv_set(n->a, rp, dw_str_c(*d), duration(n, dw_cv_get(rp, *d), where));
        dw_cv_set(n->a, m, dw_str_c("restart_policy"), ordered(n, rp, restart_fields));
    }
    dw_cv *pl = dw_cv_get(m, "placement");
    if (pl && pl->kind == DW_CV_MAP) dw_cv_set(n->a, m, dw_str_c("placement"), ordered(n, pl, placement_fields));
    if (dw_cv_get(m, "labels")) dw_cv_set(n->a, m, dw_str_c("labels"), key_values(n, dw_cv_get(m, "labels"), ""));
    return ordered(n, m, deploy_fields);
}

static dw_cv *build(norm *n, const dw_cv *v, const char *where)
{
    dw_cv *m;
    if (v && v->kind == DW_CV_STR) {
        m = M(n, v);
        put(n, m, "context", dw_cv_copy(n->a, v));
    } else if (v && v->kind == DW_CV_MAP) {
        m = dw_cv_deep_copy(n->a, v);
    } else {
        nerror(n, "%s: invalid type %s for build", where, dw_cv_describe(v));
        return v ? dw_cv_copy(n->a, v) : N(n, NULL);
    }
    dw_cv *ctx = dw_cv_get(m, "context");
    if (!ctx || ctx->kind == DW_CV_NULL) {
        ctx = Sc(n, ".", m);
        ctx->file = v->file;
        dw_cv_set(n->a, m, dw_str_c("context"), ctx);
    }
    if (ctx->kind == DW_CV_STR && !dw_context_remote(ctx->s)) dw_cv_set(n->a, m, dw_str_c("context"), abs_path(n, ctx));
    if (!dw_cv_get(m, "dockerfile") && !dw_cv_get(m, "dockerfile_inline")) put(n, m, "dockerfile", Sc(n, "Dockerfile", m));
    if (dw_cv_get(m, "args")) dw_cv_set(n->a, m, dw_str_c("args"), resolve_env(n, dw_cv_get(m, "args"), false));
    if (dw_cv_get(m, "labels")) dw_cv_set(n->a, m, dw_str_c("labels"), key_values(n, dw_cv_get(m, "labels"), ""));
    dw_cv *ac = dw_cv_get(m, "additional_contexts");
    if (ac) {
        dw_cv *kv = key_values(n, ac, "");
        for (uint32_t i = 0; i < kv->n; i++)
            if (kv->pairs[i].value->kind == DW_CV_STR && !dw_context_remote(kv->pairs[i].value->s))
                kv->pairs[i].value = abs_path(n, kv->pairs[i].value);
        dw_cv_set(n->a, m, dw_str_c("additional_contexts"), kv);
    }
    for (const char *const *k = (const char *const[]){"cache_from", "cache_to", "tags", "platforms", "no_cache_filter", NULL}; *k; k++)
        if (dw_cv_get(m, *k)) dw_cv_set(n->a, m, dw_str_c(*k), string_list(n, dw_cv_get(m, *k)));
    dw_cv *secrets = dw_cv_get(m, "secrets");
    if (secrets && secrets->kind == DW_CV_SEQ)
        for (uint32_t i = 0; i < secrets->n; i++) secrets->items[i] = file_mount(n, secrets->items[i], NULL);
    if (dw_cv_get(m, "extra_hosts")) dw_cv_set(n->a, m, dw_str_c("extra_hosts"), hosts_list(n, dw_cv_get(m, "extra_hosts")));
    if (dw_cv_get(m, "shm_size")) dw_cv_set(n->a, m, dw_str_c("shm_size"), size(n, dw_cv_get(m, "shm_size"), where));
    if (dw_cv_get(m, "ulimits")) dw_cv_set(n->a, m, dw_str_c("ulimits"), ulimits(n, dw_cv_get(m, "ulimits"), where));
    return ordered(n, m, build_fields);
}

/* The service's env_file files read into its environment (the environment
 * winning), as WithServicesEnvironmentResolved(discard env files) does. */
static void env_files(norm *n, dw_cv *env, const dw_cv *files, const char *where)
{
    dw_cv *list = string_list(n, files && files->kind == DW_CV_SEQ ? NULL : files);
    if (files && files->kind == DW_CV_SEQ) list = (dw_cv *)files;
    dw_entry_vec prior = {0};
    /* ${X} in an env file: the project's variables, then the service's environment */
    dw_scope lookup = {{0}, n->p->dir};
    for (uint32_t i = 0; i < n->env.vars.cap; i++)
        if (n->env.vars.vals[i]) dw_strmap_put(&lookup.vars, n->env.vars.keys[i], n->env.vars.vals[i]);
    for (uint32_t i = 0; i < env->n; i++)
        if (env->pairs[i].value->kind == DW_CV_STR && !dw_strmap_get(&lookup.vars, env->pairs[i].key))
            dw_strmap_put(&lookup.vars, env->pairs[i].key, (void *)dw_str_cstr(n->a, env->pairs[i].value->s));
    dw_cv *read = M(n, files);
    for (uint32_t i = 0; i < list->n; i++) {
        dw_cv *e = list->items[i];
        dw_cv *path = e && e->kind == DW_CV_MAP ? dw_cv_get(e, "path") : e;
        dw_cv *req = e && e->kind == DW_CV_MAP ? dw_cv_get(e, "required") : NULL;
        if (!path || path->kind != DW_CV_STR) continue;
        const char *abs = dw_path_join(n->a, base_dir(n, path), path->s);
        struct stat st;
        if (stat(abs, &st) != 0) {
            if (!req || dw_cv_truthy(req))
                nerror(n, "env file %s not found: stat %s: no such file or directory", abs, abs);
            continue;
        }
        uint32_t first = prior.n;
        uint32_t before = n->p->nerrors;
        dw_env_file_read(n->p, abs, &lookup, &prior);
        if (n->p->nerrors > before) continue;
        for (uint32_t k = first; k < prior.n; k++)
            if (prior.v[k].value)
                dw_cv_set(n->a, read, dw_str_c(prior.v[k].key),
                          S(n, dw_str_make(prior.v[k].value, prior.v[k].value_len), path));
    }
    (void)where;
    dw_strmap_free(&lookup.vars);
    /* the environment wins over the files */
    for (uint32_t i = 0; i < env->n; i++) dw_cv_set(n->a, read, env->pairs[i].key, env->pairs[i].value);
    *env = *sorted(read);
}

static void add_dependency(norm *n, dw_cv *deps, dw_str name, bool restart, const dw_cv *like)
{
    if (!name.len || dw_cv_getn(deps, name)) return;
    dw_cv *d = M(n, like);
    put(n, d, "condition", Sc(n, "service_started", like));
    put(n, d, "restart", B(n, restart, like));
    put(n, d, "required", B(n, true, like));
    putn(n, deps, name, d);
}

static dw_cv *depends_on(norm *n, const dw_cv *svc, const dw_cv *v)
{
    dw_cv *deps = M(n, v);
    if (v && v->kind == DW_CV_SEQ) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cv *d = M(n, v->items[i]);
            put(n, d, "condition", Sc(n, "service_started", v->items[i]));
            put(n, d, "required", B(n, true, v->items[i]));
            dw_cv_set(n->a, deps, dw_cv_text(v->items[i]), d);
        }
    } else if (v && v->kind == DW_CV_MAP) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cv *d = v->pairs[i].value && v->pairs[i].value->kind == DW_CV_MAP ? dw_cv_deep_copy(n->a, v->pairs[i].value)
                                                                               : M(n, v->pairs[i].value);
            if (!dw_cv_get(d, "condition")) put(n, d, "condition", Sc(n, "service_started", d));
            if (!dw_cv_get(d, "required")) put(n, d, "required", B(n, true, d));
            putn(n, deps, v->pairs[i].key, d);
        }
    }
    /* links, `service:` namespaces and volumes_from are dependencies too */
    dw_cv *links = dw_cv_get(svc, "links");
    for (uint32_t i = 0; links && links->kind == DW_CV_SEQ && i < links->n; i++) {
        dw_str l = dw_cv_text(links->items[i]);
        const char *c = dw_str_chr(l, ':');
        if (c && !dw_str_chr(dw_str_make(c + 1, l.len - (size_t)(c + 1 - l.ptr)), ':')) l.len = (size_t)(c - l.ptr);
        add_dependency(n, deps, l, true, links->items[i]);
    }
    for (const char *const *k = (const char *const[]){"network_mode", "ipc", "pid", "uts", "cgroup", NULL}; *k; k++) {
        dw_str ref = dw_cv_text(dw_cv_get(svc, *k));
        if (dw_str_has_prefix(ref, "service:")) add_dependency(n, deps, dw_str_make(ref.ptr + 8, ref.len - 8), true, dw_cv_get(svc, *k));
    }
    dw_cv *vf = dw_cv_get(svc, "volumes_from");
    for (uint32_t i = 0; vf && vf->kind == DW_CV_SEQ && i < vf->n; i++) {
        dw_str s = dw_cv_text(vf->items[i]);
        if (dw_str_has_prefix(s, "container:")) continue;
        const char *c = dw_str_chr(s, ':');
        add_dependency(n, deps, c ? dw_str_make(s.ptr, (size_t)(c - s.ptr)) : s, false, vf->items[i]);
    }
    for (uint32_t i = 0; i < deps->n; i++) {
        dw_cv *d = deps->pairs[i].value;
        dw_cv *r = dw_cv_get(d, "restart");
        if (r && !dw_cv_truthy(r)) dw_cv_del(d, dw_str_c("restart")); /* omitempty */
        deps->pairs[i].value = ordered(n, d, dep_fields);
    }
    return sorted(deps);
}

static dw_cv *service(norm *n, dw_str name, const dw_cv *v)
{
    const char *where = dw_arena_printf(n->a, "services.%.*s", (int)name.len, name.ptr);
    dw_cv *out = M(n, v);
    if (!v || v->kind != DW_CV_MAP) return out;
    dw_cv *env_file = NULL;
    for (uint32_t i = 0; i < v->n; i++) {
        dw_str k = v->pairs[i].key;
        const dw_cv *x = v->pairs[i].value;
#define IS(s) dw_str_eqc(k, s)
        if (IS("extends") || IS("depends_on") || IS("networks")) continue;
        if (IS("env_file")) env_file = (dw_cv *)x;
        else if (IS("build")) put(n, out, "build", build(n, x, where));
        else if (IS("environment")) put(n, out, "environment", resolve_env(n, x, true));
        else if (IS("ports")) ports(n, out, x, where);
        else if (IS("volumes")) volumes(n, out, x, where);
        else if (IS("secrets") || IS("configs")) {
            dw_cv *q = Q(n, x);
            for (uint32_t j = 0; x && x->kind == DW_CV_SEQ && j < x->n; j++)
                dw_cv_push(n->a, q, file_mount(n, x->items[j], IS("secrets") ? "/run/secrets" : NULL));
            putn(n, out, k, q);
        } else if (IS("command") || IS("entrypoint")) {
            if (x && x->kind != DW_CV_NULL) putn(n, out, k, shell_words(n, x, where));
        } else if (IS("healthcheck")) put(n, out, "healthcheck", healthcheck(n, x, where));
        else if (IS("expose") || IS("dns") || IS("dns_search") || IS("tmpfs") || IS("label_file") || IS("profiles"))
            putn(n, out, k, string_list(n, x));
        else if (IS("labels") || IS("annotations")) putn(n, out, k, key_values(n, x, ""));
        else if (IS("sysctls") || IS("storage_opt")) putn(n, out, k, key_values(n, x, ""));
        else if (IS("extra_hosts")) put(n, out, "extra_hosts", hosts_list(n, x));
        else if (IS("logging")) {
            dw_cv *l = copy_ordered(n, x, logging_fields);
            if (l->kind == DW_CV_MAP && dw_cv_get(l, "options"))
                dw_cv_set(n->a, l, dw_str_c("options"), key_values(n, dw_cv_get(l, "options"), ""));
            put(n, out, "logging", l);
        } else if (IS("ulimits")) put(n, out, "ulimits", ulimits(n, x, where));
        else if (IS("mem_limit") || IS("mem_reservation") || IS("memswap_limit") || IS("shm_size"))
            putn(n, out, k, size(n, x, where));
        else if (IS("stop_grace_period")) put(n, out, "stop_grace_period", duration(n, x, where));
        else if (IS("pull_policy"))
            put(n, out, "pull_policy", dw_str_eqc(dw_cv_text(x), "if_not_present") ? Sc(n, "missing", x) : as_string(n, x));
        else if (IS("deploy")) put(n, out, "deploy", deploy(n, x, where));
        else if (IS("devices")) {
            dw_cv *q = Q(n, x);
            for (uint32_t j = 0; x && x->kind == DW_CV_SEQ && j < x->n; j++) {
                dw_cv *d = x->items[j];
                if (d && d->kind == DW_CV_STR) {
                    dw_str parts[3] = {{0}};
                    int np = 0;
                    for (const char *s = d->s.ptr, *e = d->s.ptr + d->s.len; np < 3;) {
                        const char *c = memchr(s, ':', (size_t)(e - s));
                        parts[np++] = dw_str_make(s, c ? (size_t)(c - s) : (size_t)(e - s));
                        if (!c) break;
                        s = c + 1;
                    }
                    dw_cv *m = M(n, d);
                    put(n, m, "source", S(n, parts[0], d));
                    put(n, m, "target", S(n, np > 1 && parts[1].len ? parts[1] : parts[0], d));
                    put(n, m, "permissions", np > 2 ? S(n, parts[2], d) : Sc(n, "rwm", d));
                    dw_cv_push(n->a, q, m);
                } else {
                    dw_cv_push(n->a, q, copy_ordered(n, d, device_fields));
                }
            }
            put(n, out, "devices", q);
        } else if (IS("cpus")) {
            dw_cv *f = dw_cv_new(n->a, DW_CV_FLOAT, x);
            f->f = x->kind == DW_CV_FLOAT ? x->f : x->kind == DW_CV_INT ? (double)x->i : strtod(dw_str_cstr(n->a, dw_cv_text(x)), NULL);
            f->f = (float)f->f; /* a float32 in compose-go */
            f->raw = f->s = dw_cv_text(x);
            put(n, out, "cpus", f);
        } else if (IS("mem_swappiness") || IS("scale") || IS("pids_limit") || IS("oom_score_adj") || IS("cpu_shares") ||
                   IS("cpu_count") || IS("cpu_period") || IS("cpu_quota") || IS("cpu_rt_period") || IS("cpu_rt_runtime"))
            putn(n, out, k, as_int(n, x, where));
        else putn(n, out, k, x ? dw_cv_deep_copy(n->a, x) : N(n, NULL));
#undef IS
    }
    /* environment: the env files read in, then the environment over them */
    if (env_file) {
        dw_cv *env = dw_cv_get(out, "environment");
        if (!env) {
            env = M(n, v);
            put(n, out, "environment", env);
        }
        env_files(n, env, env_file, where);
    }
    /* networks: the list form a mapping; none means the `default` network */
    dw_cv *nets = dw_cv_get(v, "networks");
    if (!dw_cv_get(v, "network_mode") && !dw_cv_get(v, "provider")) {
        dw_cv *m = M(n, nets ? nets : v);
        if (nets && nets->kind == DW_CV_SEQ)
            for (uint32_t i = 0; i < nets->n; i++) dw_cv_set(n->a, m, dw_cv_text(nets->items[i]), N(n, nets->items[i]));
        else if (nets && nets->kind == DW_CV_MAP)
            for (uint32_t i = 0; i < nets->n; i++) {
                dw_cv *val = nets->pairs[i].value;
                putn(n, m, nets->pairs[i].key, val && val->kind == DW_CV_MAP ? copy_ordered(n, val, svcnet_fields) : N(n, val));
            }
        if (!m->n) put(n, m, "default", N(n, v));
        if (dw_cv_get(m, "default")) n->uses_default = true;
        put(n, out, "networks", sorted(m));
    } else if (nets) {
        put(n, out, "networks", sorted(dw_cv_deep_copy(n->a, nets)));
    }
    dw_cv *deps = depends_on(n, v, dw_cv_get(v, "depends_on"));
    if (deps->n) put(n, out, "depends_on", deps);
    /* duplicates the canonical forms reveal (a range overlapping a port, ...) */
    for (const char *const *k = (const char *const[]){"ports", "volumes", NULL}; *k; k++) {
        dw_cv *seq = dw_cv_get(out, *k);
        if (!seq || seq->kind != DW_CV_SEQ) continue;
        dw_strmap seen = {0};
        uint32_t w = 0;
        for (uint32_t i = 0; i < seq->n; i++) {
            dw_cv *it = seq->items[i];
            dw_str key;
            if (**k == 'p') {
                dw_str host = dw_cv_get(it, "host_ip") ? dw_cv_text(dw_cv_get(it, "host_ip")) : dw_str_c("0.0.0.0");
                dw_str pub = dw_cv_text(dw_cv_get(it, "published")), tgt = dw_cv_text(dw_cv_get(it, "target"));
                dw_str proto = dw_cv_text(dw_cv_get(it, "protocol"));
                key = dw_str_c(dw_arena_printf(n->a, "%.*s:%.*s:%.*s/%.*s", (int)host.len, host.ptr, (int)pub.len, pub.ptr,
                                               (int)tgt.len, tgt.ptr, (int)proto.len, proto.ptr));
            } else {
                key = dw_cv_text(dw_cv_get(it, "target"));
            }
            uintptr_t at = (uintptr_t)dw_strmap_get(&seen, key);
            if (at) {
                seq->items[at - 1] = it;
                continue;
            }
            dw_strmap_put(&seen, key, (void *)(uintptr_t)(w + 1));
            seq->items[w++] = it;
        }
        seq->n = w;
        dw_strmap_free(&seen);
    }
    if (n->json) {
        /* ShellCommand has no omitempty in JSON: an unset one is null */
        if (!dw_cv_get(out, "command")) put(n, out, "command", N(n, v));
        if (!dw_cv_get(out, "entrypoint")) put(n, out, "entrypoint", N(n, v));
    }
    return ordered(n, out, service_fields);
}

/* ---- top level ---- */

static dw_cv *resources(norm *n, const char *kind, const dw_cv *v, const char *const *fields)
{
    dw_cv *m = M(n, v);
    for (uint32_t i = 0; v && v->kind == DW_CV_MAP && i < v->n; i++) {
        dw_str key = v->pairs[i].key;
        dw_cv *r = v->pairs[i].value && v->pairs[i].value->kind == DW_CV_MAP ? dw_cv_deep_copy(n->a, v->pairs[i].value)
                                                                           : M(n, v->pairs[i].value);
        dw_cv *ext = dw_cv_get(r, "external");
        if (ext && ext->kind == DW_CV_MAP) { /* external: {name: x} (deprecated) */
            dw_cv *en = dw_cv_get(ext, "name");
            if (en && !dw_cv_get(r, "name")) put(n, r, "name", as_string(n, en));
            dw_cv_set(n->a, r, dw_str_c("external"), B(n, true, ext));
            ext = dw_cv_get(r, "external");
        }
        if (!dw_cv_get(r, "name"))
            put(n, r, "name",
                ext && dw_cv_truthy(ext) ? S(n, key, r)
                                         : Sc(n, dw_arena_printf(n->a, "%s_%.*s", n->p->name, (int)key.len, key.ptr), r));
        if (dw_cv_get(r, "labels")) dw_cv_set(n->a, r, dw_str_c("labels"), key_values(n, dw_cv_get(r, "labels"), ""));
        if (dw_cv_get(r, "driver_opts")) dw_cv_set(n->a, r, dw_str_c("driver_opts"), key_values(n, dw_cv_get(r, "driver_opts"), ""));
        dw_cv *file = dw_cv_get(r, "file");
        if (file && file->kind == DW_CV_STR) dw_cv_set(n->a, r, dw_str_c("file"), abs_path(n, file));
        if (!strcmp(kind, "secrets")) dw_cv_del(r, dw_str_c("content")); /* never printed */
        if (!strcmp(kind, "configs") && dw_cv_get(r, "environment")) dw_cv_del(r, dw_str_c("content"));
        dw_cv *ipam = dw_cv_get(r, "ipam");
        if (ipam && ipam->kind == DW_CV_MAP) {
            dw_cv *cfg = dw_cv_get(ipam, "config");
            for (uint32_t k = 0; cfg && cfg->kind == DW_CV_SEQ && k < cfg->n; k++) cfg->items[k] = ordered(n, cfg->items[k], pool_fields);
            dw_cv_set(n->a, r, dw_str_c("ipam"), ordered(n, ipam, ipam_fields));
        }
        putn(n, m, key, ordered(n, r, fields));
    }
    return sorted(m);
}

static bool empty(const dw_cv *v) { return !v || (v->kind == DW_CV_MAP && !v->n); }

dw_cv *dw_compose_canonical(dw_compose_project *p, bool json)
{
    norm n;
    memset(&n, 0, sizeof n);
    n.p = p;
    n.a = &p->arena;
    n.json = json;
    for (uint32_t i = 0; i < p->nvars; i++)
        if (!dw_strmap_get(&n.env.vars, dw_str_c(p->vars[i].name)))
            dw_strmap_put(&n.env.vars, dw_str_c(p->vars[i].name), (void *)p->vars[i].value);
    /* Compose keeps one entry per identity, in one file too */
    dw_cv *model = dw_cv_deep_copy(n.a, p->model);
    dw_cv_unicity(n.a, model);
    dw_cv *out = M(&n, model);
    put(&n, out, "name", Sc(&n, p->name, model));
    dw_cv *services = M(&n, model), *src = dw_cv_get(model, "services");
    for (uint32_t i = 0; src && src->kind == DW_CV_MAP && i < src->n; i++)
        if (dw_compose_service_enabled(p, src->pairs[i].value))
            putn(&n, services, src->pairs[i].key, service(&n, src->pairs[i].key, src->pairs[i].value));
    put(&n, out, "services", sort_map(&n, services));
    dw_cv *nets = dw_cv_get(model, "networks");
    if (n.uses_default && !dw_cv_get(nets, "default")) {
        dw_cv *with = nets && nets->kind == DW_CV_MAP ? dw_cv_copy(n.a, nets) : M(&n, model);
        put(&n, with, "default", N(&n, model));
        nets = with;
    }
    dw_cv *r;
    if (!empty(r = resources(&n, "networks", nets, network_fields))) put(&n, out, "networks", r);
    if (!empty(r = resources(&n, "volumes", dw_cv_get(model, "volumes"), volume_fields))) put(&n, out, "volumes", r);
    if (!empty(r = resources(&n, "secrets", dw_cv_get(model, "secrets"), fileobj_fields))) put(&n, out, "secrets", r);
    if (!empty(r = resources(&n, "configs", dw_cv_get(model, "configs"), fileobj_fields))) put(&n, out, "configs", r);
    dw_cv *models = dw_cv_get(model, "models");
    if (!json && models && models->kind == DW_CV_MAP && models->n) put(&n, out, "models", sort_map(&n, models));
    dw_cv ext = {0};
    ext.kind = DW_CV_MAP;
    for (uint32_t i = 0; model && model->kind == DW_CV_MAP && i < model->n; i++)
        if (is_ext(model->pairs[i].key)) putn(&n, &ext, model->pairs[i].key, sort_deep(&n, model->pairs[i].value));
    sort_map(&n, &ext);
    for (uint32_t i = 0; i < ext.n; i++) dw_cv_append_pair(n.a, out, &ext.pairs[i]);
    dw_strmap_free(&n.env.vars);
    return json ? sort_map(&n, out) : out; /* the JSON top level is a Go map */
}
