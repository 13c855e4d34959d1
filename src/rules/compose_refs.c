/* compose_refs.c — Compose rules about references: files and folders on
 * disk, builds and their Dockerfiles, services named by depends_on,
 * top-level volumes/networks/secrets/configs, container names, ports and
 * images. Each finding points into the file its node was written in.
 *
 * What `docker compose config` already refuses (undeclared resources,
 * unknown dependencies, cycles, replicas with container_name) is reported
 * here before the user runs anything, with the position and a "did you
 * mean"; the rest (missing paths, health checks, port clashes) are run-time
 * failures Compose only finds when it starts containers. */
#include "compose_util.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>

/* ---- shared bits ---- */

/* The value of a pair, for dw_creport's file (a pair's key is written in
 * the file its value came from). */
static const dw_cv *pair_at(const dw_cv_pair *p, const dw_cv *fallback)
{
    return p && p->value ? p->value : fallback;
}

static int file_kind(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return 0;
    return S_ISDIR(st.st_mode) ? 2 : 1;
}

#define STR(s) (int)(s).len, (s).ptr

/* Names of a map's keys as C strings, for dw_suggest. */
static const char **key_names(dw_lint *ctx, const dw_cv *m, size_t *n)
{
    *n = 0;
    if (!m || m->kind != DW_CV_MAP || !m->n) return NULL;
    const char **v = DW_NEW(ctx->a, const char *, m->n);
    for (uint32_t i = 0; i < m->n; i++) v[(*n)++] = dw_str_cstr(ctx->a, m->pairs[i].key);
    return v;
}

static const char *suggest_key(dw_lint *ctx, dw_str word, const dw_cv *m)
{
    /* a suggestion per finding costs a pass over the names: bounded */
    if (!m || m->kind != DW_CV_MAP || m->n > 512) return NULL;
    size_t n;
    const char **names = key_names(ctx, m, &n);
    return n ? dw_suggest(word, names, n, false) : NULL;
}

static const dw_cv *top(const dw_lint *ctx, const char *key)
{
    if (!ctx->compose || !ctx->compose->model) return NULL;
    return dw_cv_get(ctx->compose->model, key);
}

/* ---- build: context, dockerfile, target ---- */

void check_build_context_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        compose_build b;
        if (!compose_service_build(ctx, s->value, &b) || !b.context_dir) continue;
        int k = file_kind(b.context_dir);
        if (k == 2) continue;
        const dw_cv_pair *key = b.node->kind == DW_CV_MAP ? dw_cv_pair_of(b.node, "context")
                                                           : dw_cv_pair_of(s->value, "build");
        const dw_cv *at = key ? pair_at(key, b.node) : b.node;
        dw_diag *d = dw_creport(ctx, at, key ? &key->key_span : NULL,
                                k ? "build context `%.*s` of service `%.*s` is a file, not a folder"
                                  : "build context `%.*s` of service `%.*s` does not exist",
                                STR(b.context), STR(s->key));
        if (d)
            dw_diag_help(ctx, d, "create the folder, or point build.context at the folder holding the sources "
                                 "(a relative path starts from the folder of the Compose file)");
    }
    /* build.additional_contexts: a local folder each, like the context */
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *ac = dw_cv_path(s->value, "build.additional_contexts");
        for (uint32_t i = 0; ac && (ac->kind == DW_CV_MAP || ac->kind == DW_CV_SEQ) && i < ac->n; i++) {
            const dw_cv *v = ac->kind == DW_CV_MAP ? ac->pairs[i].value : ac->items[i];
            dw_str path = compose_literal(v), name = ac->kind == DW_CV_MAP ? ac->pairs[i].key : dw_str_make("", 0);
            size_t off = 0;
            if (ac->kind == DW_CV_SEQ && path.ptr) { /* name=path */
                const char *eq = dw_str_chr(path, '=');
                if (!eq) continue;
                off = (size_t)(eq - path.ptr) + 1;
                name = dw_str_sub(path, 0, off - 1);
                path = dw_str_sub(path, off, path.len);
            }
            if (!path.len || dw_context_remote(path) || path.ptr[0] == '~') continue;
            const char *dir = compose_join(ctx, compose_base_dir(ctx, v), path);
            int k = file_kind(dir);
            if (k == 2) continue;
            dw_span at = compose_subspan(ctx, v, off, path.len);
            dw_diag *d = dw_creport(ctx, v, &at,
                                    k ? "additional context `%.*s` (`%.*s`) of service `%.*s` is a file, not a folder"
                                      : "additional context `%.*s` (`%.*s`) of service `%.*s` does not exist",
                                    STR(name), STR(path), STR(s->key));
            if (d)
                dw_diag_help(ctx, d, "create the folder, or fix the path (a relative path starts from the folder of "
                                     "the Compose file)");
        }
    }
}

/* The entries of `dir` as C strings (at most a few thousand: a suggestion
 * does not need more), for "did you mean". */
static const char **dir_names(dw_lint *ctx, const char *dir, size_t *n)
{
    *n = 0;
    DIR *dp = opendir(dir);
    if (!dp) return NULL;
    DW_VEC(const char *) v = {0};
    struct dirent *e;
    while ((e = readdir(dp)) && v.n < 4096) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        DW_VEC_PUSH(ctx->a, v, dw_arena_printf(ctx->a, "%s", e->d_name));
    }
    closedir(dp);
    *n = v.n;
    return v.v;
}

void check_dockerfile_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        compose_build b;
        if (!compose_service_build(ctx, s->value, &b) || !b.dockerfile_path) continue;
        if (file_kind(b.context_dir) != 2) continue; /* build-context-missing says it */
        int k = file_kind(b.dockerfile_path);
        if (k == 1) continue;
        const dw_cv_pair *key = b.node->kind == DW_CV_MAP ? dw_cv_pair_of(b.node, "dockerfile") : NULL;
        if (!key) key = dw_cv_pair_of(s->value, "build");
        const dw_cv *at = pair_at(key, b.node);
        dw_diag *d = dw_creport(ctx, at, key ? &key->key_span : NULL,
                                k ? "the Dockerfile `%.*s` of service `%.*s` is a folder"
                                  : "service `%.*s` builds `%.*s`, which does not exist in its context `%.*s`",
                                k ? (int)b.dockerfile.len : (int)s->key.len, k ? b.dockerfile.ptr : s->key.ptr,
                                k ? (int)s->key.len : (int)b.dockerfile.len, k ? s->key.ptr : b.dockerfile.ptr,
                                STR(b.context));
        if (!d) continue;
        /* a near miss in the same folder: dockerfile, Dockerfile.prod, ... */
        const char *slash = strrchr(b.dockerfile_path, '/');
        const char *folder = dw_arena_printf(ctx->a, "%.*s", (int)(slash - b.dockerfile_path), b.dockerfile_path);
        size_t n;
        const char **names = dir_names(ctx, folder, &n);
        const char *near = n ? dw_suggest(dw_str_c(slash + 1), names, n, true) : NULL;
        /* the usual slip: a path written from the Compose file's folder */
        const char *beside = b.dockerfile_node && b.context_node && !dw_str_eqc(b.context, ".")
                                 ? compose_join(ctx, compose_base_dir(ctx, b.context_node), b.dockerfile)
                                 : NULL;
        const char *inside = k == 2 ? dw_arena_printf(ctx->a, "%s/Dockerfile", b.dockerfile_path) : NULL;
        if (inside)
            dw_diag_help(ctx, d, file_kind(inside) == 1 ? "name the file, not its folder: %.*s/Dockerfile"
                                                         : "name the Dockerfile itself, not a folder (`%.*s`)",
                         STR(b.dockerfile));
        else if (beside && file_kind(beside) == 1)
            dw_diag_help(ctx, d, "build.dockerfile is relative to the build context `%.*s`, not to the Compose "
                                 "file: write the path from the context",
                         STR(b.context));
        else if (near)
            dw_diag_help(ctx, d, "did you mean `%s`? build.dockerfile is relative to the build context", near);
        else
            dw_diag_help(ctx, d, "set build.dockerfile to the Dockerfile's path relative to the build context, "
                                 "or add the file");
    }
}

void check_build_target_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        compose_build b;
        if (!compose_service_build(ctx, s->value, &b) || !b.target.len || dw_str_chr(b.target, '$')) continue;
        const dw_dockerfile *df = compose_service_dockerfile(ctx, s->value);
        if (!df || !df->nstages) continue;
        DW_VEC(const char *) names = {0};
        bool found = false;
        for (uint32_t i = 0; i < df->nstages && !found; i++) {
            const dw_stage *st = &df->stages[i];
            if (!st->name.len) continue;
            if (dw_str_ieq(st->name, b.target)) found = true;
            DW_VEC_PUSH(ctx->a, names, dw_str_cstr(ctx->a, st->name));
        }
        if (found) continue;
        const dw_cv_pair *key = dw_cv_pair_of(b.node, "target");
        const char *where = b.inline_node ? "dockerfile_inline"
                                          : dw_str_eqc(b.context, ".")
                                                ? dw_arena_printf(ctx->a, "%.*s", STR(b.dockerfile))
                                                : dw_arena_printf(ctx->a, "%.*s/%.*s", STR(b.context), STR(b.dockerfile));
        dw_diag *d;
        if (!names.n) {
            d = dw_creport(ctx, pair_at(key, b.target_node), key ? &key->key_span : NULL,
                           "build target `%.*s` of service `%.*s` is not a stage of %s, which names no stage",
                           STR(b.target), STR(s->key), where);
            if (d) dw_diag_help(ctx, d, "name the stage to build (FROM image AS %.*s), or remove build.target",
                                STR(b.target));
            continue;
        }
        dw_buf list = {0};
        for (uint32_t i = 0; i < names.n; i++) dw_buf_printf(&list, "%s%s", i ? ", " : "", names.v[i]);
        d = dw_creport(ctx, pair_at(key, b.target_node), key ? &key->key_span : NULL,
                       "build target `%.*s` of service `%.*s` is not a stage of %s (its stages: %.*s)",
                       STR(b.target), STR(s->key), where, (int)list.n, list.p);
        dw_buf_free(&list);
        if (!d) continue;
        const char *near = dw_suggest(b.target, names.v, names.n, true);
        if (near) dw_diag_help(ctx, d, "did you mean `%s`?", near);
        else dw_diag_help(ctx, d, "set build.target to one of the stage names of the Dockerfile");
    }
}

/* ---- files named by secrets, configs, extends, include, env_file ---- */

/* True when path `rel` of node `v` names something that exists. */
static bool ref_exists(dw_lint *ctx, const dw_cv *v, dw_str rel, int *kind)
{
    const char *path = compose_join(ctx, compose_base_dir(ctx, v), rel);
    *kind = file_kind(path);
    return *kind != 0;
}

/* Reports path `v` when it names nothing: "<what> `path`<of> does not exist". */
static void missing_file(dw_lint *ctx, const dw_cv *v, const char *what, const char *of, const char *help)
{
    dw_str s = compose_literal(v);
    if (!s.len || s.ptr[0] == '~') return;
    if (strstr(dw_str_cstr(ctx->a, s), "://") || dw_str_has_prefix(s, "git@")) return; /* remote */
    int kind;
    if (ref_exists(ctx, v, s, &kind)) return;
    dw_diag *d = dw_creport(ctx, v, NULL, "%s `%.*s`%s does not exist", what, STR(s), of);
    if (d) dw_diag_help(ctx, d, "%s", help);
}

/* Top-level secrets or configs: `file:` entries. */
static void resource_files(dw_lint *ctx, const char *section, const char *what)
{
    const dw_cv *m = top(ctx, section);
    for (uint32_t i = 0; m && m->kind == DW_CV_MAP && i < m->n; i++) {
        const dw_cv *f = dw_cv_get(m->pairs[i].value, "file");
        if (!f) continue;
        const char *of = dw_arena_printf(ctx->a, " of %s `%.*s`", what, STR(m->pairs[i].key));
        missing_file(ctx, f, "file", of,
                     "create the file, or fix the path (a relative path starts from the folder of the Compose file)");
    }
}

void check_referenced_file_missing(dw_lint *ctx)
{
    resource_files(ctx, "secrets", "secret");
    resource_files(ctx, "configs", "config");
    /* include and extends are read from each file as written: the loader
     * resolves them while merging, so the model may no longer hold them */
    const dw_compose_project *p = ctx->compose;
    for (uint32_t f = 0; f < p->nfiles; f++) {
        const dw_cv *root = p->files[f].root;
        const dw_cv *inc = dw_cv_get(root, "include");
        for (uint32_t i = 0; inc && inc->kind == DW_CV_SEQ && i < inc->n; i++) {
            const dw_cv *it = inc->items[i];
            const dw_cv *path = it->kind == DW_CV_MAP ? dw_cv_get(it, "path") : it;
            const char *help = "fix the path of the included Compose file (relative to this file's folder)";
            if (path && path->kind == DW_CV_SEQ)
                for (uint32_t j = 0; j < path->n; j++) missing_file(ctx, path->items[j], "included file", "", help);
            else if (path)
                missing_file(ctx, path, "included file", "", help);
            const dw_cv *env = it->kind == DW_CV_MAP ? dw_cv_get(it, "env_file") : NULL;
            if (env && env->kind == DW_CV_SEQ)
                for (uint32_t j = 0; j < env->n; j++) missing_file(ctx, env->items[j], "env file", " of an include", help);
            else if (env)
                missing_file(ctx, env, "env file", " of an include", help);
        }
        const dw_cv *svcs = dw_cv_get(root, "services");
        for (uint32_t i = 0; svcs && svcs->kind == DW_CV_MAP && i < svcs->n; i++) {
            const dw_cv *ext = dw_cv_get(svcs->pairs[i].value, "extends");
            const dw_cv *file = dw_cv_get(ext, "file");
            if (file)
                missing_file(ctx, file, "file", " named by extends",
                             "fix extends.file (relative to this file's folder), or drop it to extend a service of "
                             "this file");
        }
    }
}

void check_env_file_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *ef = dw_cv_get(s->value, "env_file");
        if (!ef) continue;
        uint32_t n = ef->kind == DW_CV_SEQ ? ef->n : 1;
        for (uint32_t i = 0; i < n; i++) {
            const dw_cv *it = ef->kind == DW_CV_SEQ ? ef->items[i] : ef;
            const dw_cv *path = it->kind == DW_CV_MAP ? dw_cv_get(it, "path") : it;
            const dw_cv *req = it->kind == DW_CV_MAP ? dw_cv_get(it, "required") : NULL;
            if (req && !dw_cv_truthy(req)) continue;
            dw_str rel = compose_literal(path);
            if (!rel.len) continue;
            int kind;
            bool ok = ref_exists(ctx, path, rel, &kind) && kind == 1;
            if (ok) continue;
            dw_diag *d = dw_creport(ctx, path, NULL,
                                    kind == 2 ? "env_file `%.*s` of service `%.*s` is a folder"
                                              : "env_file `%.*s` of service `%.*s` does not exist",
                                    STR(rel), STR(s->key));
            if (d && kind == 2) dw_diag_help(ctx, d, "name the env file itself, not a folder");
            else if (d)
                dw_diag_help(ctx, d, "create it, fix the path (relative to the Compose file's folder), or make it "
                                     "optional with the long form {path: %.*s, required: false}",
                             STR(rel));
        }
    }
}

/* ---- version ---- */

/* The byte span of whole lines [start of the key's line, end of the value's
 * line incl. its line end], when nothing else shares those lines. */
static bool whole_lines(const dw_compose_file *f, dw_span key, dw_span value, dw_span *out)
{
    uint32_t a = key.start;
    while (a > 0 && f->src[a - 1] != '\n') {
        if (f->src[a - 1] != ' ' && f->src[a - 1] != '\t') return false;
        a--;
    }
    uint32_t b = value.end > key.end ? value.end : key.end;
    while (b < f->len && (f->src[b] == ' ' || f->src[b] == '\t')) b++;
    if (b < f->len && f->src[b] == '#')
        while (b < f->len && f->src[b] != '\n') b++;
    if (b < f->len && f->src[b] == '\r') b++;
    if (b < f->len && f->src[b] != '\n') return false;
    if (b < f->len) b++;
    *out = (dw_span){a, b};
    return true;
}

void check_compose_version_obsolete(dw_lint *ctx)
{
    const dw_compose_project *p = ctx->compose;
    for (uint32_t i = 0; i < p->nfiles; i++) {
        const dw_compose_file *f = &p->files[i];
        const dw_cv_pair *v = dw_cv_pair_of(f->root, "version");
        if (!v || !v->value) continue;
        bool number = v->value->kind == DW_CV_INT || v->value->kind == DW_CV_FLOAT;
        dw_str text = dw_cv_text(v->value);
        dw_diag *d = dw_creport(ctx, v->value, &v->key_span,
                                number ? "the top-level version is obsolete: Compose ignores it, and an unquoted "
                                         "%.*s is a number, which Compose even rejects (version must be a string)"
                                       : "the top-level version is obsolete: Compose ignores it (`%.*s` selects "
                                         "nothing) and warns on every run",
                                STR(text));
        if (!d) continue;
        dw_diag_help(ctx, d, "delete the version line: Compose always uses the current specification");
        dw_span del;
        if (!v->value->synthetic && whole_lines(f, v->key_span, v->value->span, &del))
            dw_diag_edit(ctx, d, del, "", 0);
    }
}

/* ---- depends_on ---- */

/* A dependency of service `s` on `name`, written at `node` (`span`),
 * `via` the key that makes it one when it is not depends_on (Compose adds
 * links, network_mode/ipc/pid/uts/cgroup `service:` and volumes_from to the
 * dependencies, required). */
static void unknown_dependency(dw_lint *ctx, const dw_cv_pair *s, dw_str name, const dw_cv *node, const dw_span *span,
                               const char *via, bool fragment)
{
    const dw_cv *services = compose_services(ctx);
    const dw_cv *target = compose_service(ctx, name);
    dw_diag *d;
    if (!target && fragment) return; /* the base file may define it */
    if (target) {
        /* it exists, but not with the active profiles: Compose stops as if
         * it did not, unless the dependent service is off too */
        if (!compose_service_active(ctx, s->value) || compose_service_active(ctx, target)) return;
        const dw_cv *pr = dw_cv_get(target, "profiles");
        dw_str first = pr && pr->kind == DW_CV_SEQ && pr->n ? dw_cv_text(pr->items[0]) : dw_str_c("");
        d = dw_creport(ctx, node, span,
                       "service `%.*s` depends on `%.*s`%s%s, which runs only with profile `%.*s`: without it "
                       "Compose stops (depends on undefined service)",
                       STR(s->key), STR(name), via ? " through " : "", via ? via : "", STR(first));
        if (d)
            dw_diag_help(ctx, d, "give `%.*s` that profile too, activate it (--profile %.*s)%s", STR(s->key), STR(first),
                         via ? "" : ", or mark the dependency `required: false`");
        return;
    }
    d = dw_creport(ctx, node, span, "service `%.*s` depends on `%.*s`%s%s, which is not a service of this project",
                   STR(s->key), STR(name), via ? " through " : "", via ? via : "");
    if (!d) return;
    const char *near = suggest_key(ctx, name, services);
    if (near) dw_diag_help(ctx, d, "did you mean `%s`?", near);
    else if (via) dw_diag_help(ctx, d, "name one of the services of this project");
    else
        dw_diag_help(ctx, d, "name one of the services, or mark an optional dependency with the long form "
                             "`required: false`");
}

void check_depends_on_unknown_service(dw_lint *ctx)
{
    static const char *const shared[] = {"network_mode", "ipc", "pid", "uts", "cgroup"};
    bool fragment = dw_compose_is_fragment(ctx->compose);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        uint32_t n;
        compose_dep *deps = compose_depends_on(ctx, s->value, &n);
        for (uint32_t i = 0; i < n; i++)
            if (deps[i].required) unknown_dependency(ctx, s, deps[i].ref.name, deps[i].ref.node, &deps[i].ref.span, NULL,
                                                  fragment);
        /* the dependencies Compose adds */
        const dw_cv *links = dw_cv_get(s->value, "links");
        for (uint32_t i = 0; links && links->kind == DW_CV_SEQ && i < links->n; i++) {
            dw_str l = compose_literal(links->items[i]);
            const char *colon = l.ptr ? dw_str_chr(l, ':') : NULL;
            if (colon) l.len = (size_t)(colon - l.ptr);
            dw_span at = compose_subspan(ctx, links->items[i], 0, l.len);
            if (l.len) unknown_dependency(ctx, s, l, links->items[i], &at, "links", fragment);
        }
        for (size_t k = 0; k < sizeof shared / sizeof *shared; k++) {
            const dw_cv *v = dw_cv_get(s->value, shared[k]);
            dw_str t = compose_literal(v);
            if (!t.ptr || !dw_str_has_prefix(t, "service:") || t.len == 8) continue;
            dw_span at = compose_subspan(ctx, v, 8, t.len - 8);
            unknown_dependency(ctx, s, dw_str_sub(t, 8, t.len), v, &at, shared[k], fragment);
        }
        const dw_cv *vf = dw_cv_get(s->value, "volumes_from");
        for (uint32_t i = 0; vf && vf->kind == DW_CV_SEQ && i < vf->n; i++) {
            dw_str t = compose_literal(vf->items[i]);
            if (!t.len || dw_str_has_prefix(t, "container:")) continue;
            const char *colon = dw_str_chr(t, ':');
            if (colon) t.len = (size_t)(colon - t.ptr);
            dw_span at = compose_subspan(ctx, vf->items[i], 0, t.len);
            unknown_dependency(ctx, s, t, vf->items[i], &at, "volumes_from", fragment);
        }
    }
}

/* The dependency graph: for each service (by index in `services`), the
 * indexes of the services it depends on, and the entry that says so. */
typedef struct {
    uint32_t *to;          /* service index of each edge */
    compose_dep **via;     /* the depends_on entry of each edge */
    uint32_t *first;       /* edges of service i: [first[i], first[i+1]) */
    uint32_t nsvc;
} dep_graph;

static void build_graph(dw_lint *ctx, const dw_cv *services, dep_graph *g)
{
    g->nsvc = services->n;
    g->first = DW_NEW(ctx->a, uint32_t, services->n + 1);
    compose_named *idx = compose_sorted_keys(ctx, services);
    DW_VEC(uint32_t) to = {0};
    DW_VEC(compose_dep *) via = {0};
    for (uint32_t i = 0; i < services->n; i++) {
        g->first[i] = to.n;
        uint32_t n;
        compose_dep *deps = compose_depends_on(ctx, services->pairs[i].value, &n);
        for (uint32_t j = 0; j < n; j++) {
            int t = compose_lookup(idx, services->n, deps[j].ref.name);
            if (t < 0) continue;
            DW_VEC_PUSH(ctx->a, to, (uint32_t)t);
            DW_VEC_PUSH(ctx->a, via, &deps[j]);
        }
    }
    g->first[services->n] = to.n;
    g->to = to.v;
    g->via = via.v;
}

/* Tarjan's strongly connected components, iteratively (a long chain of
 * services must not overflow the stack). comp[i] = component id. */
static uint32_t components(dw_lint *ctx, const dep_graph *g, uint32_t *comp)
{
    uint32_t n = g->nsvc, counter = 0, ncomp = 0;
    uint32_t *index = DW_NEW(ctx->a, uint32_t, n), *low = DW_NEW(ctx->a, uint32_t, n);
    uint32_t *stack = DW_NEW(ctx->a, uint32_t, n), *edge = DW_NEW(ctx->a, uint32_t, n);
    uint32_t *call = DW_NEW(ctx->a, uint32_t, n);
    bool *on = DW_NEW(ctx->a, bool, n);
    uint32_t sp = 0;
    for (uint32_t i = 0; i < n; i++) index[i] = UINT32_MAX;
    for (uint32_t root = 0; root < n; root++) {
        if (index[root] != UINT32_MAX) continue;
        uint32_t cp = 0;
        call[cp++] = root;
        index[root] = low[root] = counter++;
        edge[root] = g->first[root];
        stack[sp++] = root;
        on[root] = true;
        while (cp) {
            uint32_t v = call[cp - 1];
            if (edge[v] < g->first[v + 1]) {
                uint32_t w = g->to[edge[v]++];
                if (index[w] == UINT32_MAX) {
                    index[w] = low[w] = counter++;
                    edge[w] = g->first[w];
                    stack[sp++] = w;
                    on[w] = true;
                    call[cp++] = w;
                } else if (on[w] && index[w] < low[v]) {
                    low[v] = index[w];
                }
                continue;
            }
            if (low[v] == index[v]) {
                uint32_t w;
                do {
                    w = stack[--sp];
                    on[w] = false;
                    comp[w] = ncomp;
                } while (w != v);
                ncomp++;
            }
            cp--;
            if (cp && low[v] < low[call[cp - 1]]) low[call[cp - 1]] = low[v];
        }
    }
    return ncomp;
}

void check_depends_on_cycle(dw_lint *ctx)
{
    const dw_cv *services = compose_services(ctx);
    if (!services || !services->n) return;
    dep_graph g;
    build_graph(ctx, services, &g);
    uint32_t n = g.nsvc;
    uint32_t *comp = DW_NEW(ctx->a, uint32_t, n);
    uint32_t ncomp = components(ctx, &g, comp);
    uint32_t *size = DW_NEW(ctx->a, uint32_t, ncomp + 1);
    bool *done = DW_NEW(ctx->a, bool, ncomp + 1);
    for (uint32_t i = 0; i < n; i++) size[comp[i]]++;
    /* breadth-first search state, reused per cycle (each service is in one) */
    int32_t *prev = DW_NEW(ctx->a, int32_t, n);
    uint32_t *prev_edge = DW_NEW(ctx->a, uint32_t, n), *queue = DW_NEW(ctx->a, uint32_t, n);
    for (uint32_t i = 0; i < n; i++) prev[i] = -1;
    for (uint32_t s = 0; s < n; s++) {
        uint32_t c = comp[s];
        if (done[c]) continue;
        bool self = false;
        uint32_t self_edge = 0;
        for (uint32_t e = g.first[s]; e < g.first[s + 1] && !self; e++)
            if (g.to[e] == s) { self = true; self_edge = e; }
        if (size[c] < 2 && !self) continue;
        done[c] = true;
        /* the shortest way back to s inside its component: s -> ... -> s */
        DW_VEC(uint32_t) path = {0};
        if (self) {
            DW_VEC_PUSH(ctx->a, path, self_edge);
        } else {
            uint32_t qh = 0, qt = 0;
            queue[qt++] = s;
            bool back = false;
            uint32_t last_edge = 0, last = 0;
            while (qh < qt && !back) {
                uint32_t v = queue[qh++];
                for (uint32_t e = g.first[v]; e < g.first[v + 1]; e++) {
                    uint32_t w = g.to[e];
                    if (comp[w] != c) continue;
                    if (w == s) { back = true; last_edge = e; last = v; break; }
                    if (prev[w] >= 0) continue;
                    prev[w] = (int32_t)v;
                    prev_edge[w] = e;
                    queue[qt++] = w;
                }
            }
            /* edges from s to `last`, reversed, then last -> s */
            DW_VEC(uint32_t) rev = {0};
            for (uint32_t v = last; back && v != s; v = (uint32_t)prev[v]) DW_VEC_PUSH(ctx->a, rev, prev_edge[v]);
            /* only what this search visited is reset: linear over all cycles */
            for (uint32_t i = 0; i < qt; i++) prev[queue[i]] = -1;
            if (!back) continue;
            for (uint32_t i = rev.n; i > 0; i--) DW_VEC_PUSH(ctx->a, path, rev.v[i - 1]);
            DW_VEC_PUSH(ctx->a, path, last_edge);
        }
        dw_buf names = {0};
        dw_buf_printf(&names, "%.*s", STR(services->pairs[s].key));
        for (uint32_t i = 0; i < path.n; i++)
            dw_buf_printf(&names, " \xe2\x86\x92 %.*s", STR(services->pairs[g.to[path.v[i]]].key));
        compose_dep *first = g.via[path.v[0]];
        dw_diag *d = dw_creport(ctx, first->ref.node, &first->ref.span,
                                "depends_on forms a cycle: %.*s; Compose refuses to start any of them",
                                (int)names.n, names.p);
        dw_buf_free(&names);
        if (!d) continue;
        for (uint32_t i = 1; i < path.n; i++) {
            compose_dep *e = g.via[path.v[i]];
            if (e->ref.file == first->ref.file) dw_diag_related(ctx, d, e->ref.span, "the cycle continues here");
        }
        dw_diag_help(ctx, d, "remove the dependency that points back; if two services talk to each other, "
                             "only the one that needs the other at start-up should depend on it");
    }
}

void check_depends_on_healthcheck_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        uint32_t n;
        compose_dep *deps = compose_depends_on(ctx, s->value, &n);
        for (uint32_t i = 0; i < n; i++) {
            compose_dep *e = &deps[i];
            if (!dw_str_eqc(e->condition, "service_healthy")) continue;
            const dw_cv *dep = compose_service(ctx, e->ref.name);
            if (!dep || dep->kind != DW_CV_MAP || compose_service_healthy_capable(ctx, dep)) continue;
            const dw_cv_pair *cond = dw_cv_pair_of(e->ref.value, "condition");
            const dw_cv *at = cond ? cond->value : e->ref.node;
            const dw_span *span = cond ? NULL : &e->ref.span;
            compose_hc own = compose_healthcheck(dep);
            compose_build b;
            bool builds = compose_service_build(ctx, dep, &b);
            const char *why = own == COMPOSE_HC_OFF ? "its healthcheck is disabled"
                              : compose_dockerfile_healthcheck(ctx, dep) == COMPOSE_HC_OFF
                                  ? "its Dockerfile says HEALTHCHECK NONE"
                              : builds ? "it has no healthcheck, nor a HEALTHCHECK in its Dockerfile"
                                       : "it has no healthcheck (unless its image defines one)";
            dw_diag *d = dw_creport(ctx, at, span,
                                    "service `%.*s` waits for `%.*s` to be healthy, but %s: `up` fails with "
                                    "\"container ... has no healthcheck configured\"",
                                    STR(s->key), STR(e->ref.name), why);
            if (d)
                dw_diag_help(ctx, d, "give `%.*s` a healthcheck (test, interval, timeout, retries), or wait for "
                                     "condition: service_started",
                             STR(e->ref.name));
        }
    }
}

/* Column (0-based) of offset `off` in its line, and the line's start. */
static uint32_t column_of(const dw_compose_file *f, uint32_t off, uint32_t *line_start)
{
    uint32_t a = off;
    while (a > 0 && f->src[a - 1] != '\n') a--;
    *line_start = a;
    return off - a;
}

static bool only_blanks(const char *s, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (s[i] != ' ' && s[i] != '\t') return false;
    return true;
}

static char *spaces(dw_lint *ctx, uint32_t n)
{
    char *s = dw_arena_alloc(ctx->a, n + 1);
    memset(s, ' ', n);
    return s;
}

/* Rewrites a list-form depends_on into the map form, each entry waiting
 * for `service_healthy` where the dependency has a health check. Block
 * lists are rewritten item by item (comments between them stay); a flow
 * list `[a, b]` is replaced as a whole. */
static void fix_depends_on(dw_lint *ctx, dw_diag *d, const dw_cv_pair *key, const dw_cv *list, const bool *healthy)
{
    if (!key->value || key->value->synthetic) return;
    /* an alias (`depends_on: *deps`) shows the anchor's list, written
     * elsewhere under another indentation: no fix */
    if (list->span.start < key->key_span.end) return;
    const dw_compose_file *f = dw_lint_cfile(ctx, list);
    uint32_t key_ls, key_col = column_of(f, key->key_span.start, &key_ls);
    if (!only_blanks(f->src, key_ls, key->key_span.start)) return; /* depends_on inside a flow map */
    for (uint32_t i = 0; i < list->n; i++) {
        const dw_cv *it = list->items[i];
        if (it->file != list->file || it->synthetic || it->kind != DW_CV_STR || it->style > DW_YAML_DOUBLE_QUOTED)
            return;
    }
    if (list->style == DW_YAML_FLOW) {
        uint32_t ls;
        column_of(f, list->span.start, &ls);
        if (ls != key_ls) return; /* the list does not sit on the key's line */
        uint32_t k = key_col + 2;
        dw_buf out = {0};
        for (uint32_t i = 0; i < list->n; i++) {
            const dw_cv *it = list->items[i];
            dw_buf_printf(&out, "\n%s%.*s:\n%s  condition: %s", spaces(ctx, k), (int)(it->span.end - it->span.start),
                          f->src + it->span.start, spaces(ctx, k), healthy[i] ? "service_healthy" : "service_started");
        }
        /* the space between `depends_on:` and `[` goes too */
        uint32_t a = list->span.start;
        while (a > key->key_span.end && (f->src[a - 1] == ' ' || f->src[a - 1] == '\t')) a--;
        dw_diag_edit(ctx, d, (dw_span){a, list->span.end}, out.p, out.n);
        dw_buf_free(&out);
        return;
    }
    /* block list: each `- name` line becomes `name:` + `  condition: ...` */
    uint32_t dash_ls, dash_col = column_of(f, list->items[0]->span.start, &dash_ls);
    (void)dash_ls;
    dw_span *spans = DW_NEW(ctx->a, dw_span, list->n);
    for (uint32_t i = 0; i < list->n; i++) {
        const dw_cv *it = list->items[i];
        uint32_t ls;
        column_of(f, it->span.start, &ls);
        /* the line must read `<blanks>- <item>` */
        uint32_t p = it->span.start;
        while (p > ls && (f->src[p - 1] == ' ' || f->src[p - 1] == '\t')) p--;
        if (p == ls || f->src[p - 1] != '-' || !only_blanks(f->src, ls, p - 1)) return;
        uint32_t dcol = p - 1 - ls;
        if (i == 0) dash_col = dcol;
        else if (dcol != dash_col) return;
        spans[i] = (dw_span){ls, it->span.end};
    }
    uint32_t k = dash_col > key_col ? dash_col : key_col + 2;
    uint32_t step = k > key_col ? k - key_col : 2;
    for (uint32_t i = 0; i < list->n; i++) {
        const dw_cv *it = list->items[i];
        const char *text = dw_arena_printf(ctx->a, "%s%.*s:\n%scondition: %s", spaces(ctx, k),
                                           (int)(it->span.end - it->span.start), f->src + it->span.start,
                                           spaces(ctx, k + step), healthy[i] ? "service_healthy" : "service_started");
        dw_diag_edit(ctx, d, spans[i], text, strlen(text));
    }
}

void check_depends_on_no_condition(dw_lint *ctx)
{
    compose_seen seen = {0};
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv_pair *key = dw_cv_pair_of(s->value, "depends_on");
        const dw_cv *list = key ? key->value : NULL;
        if (!list || list->kind != DW_CV_SEQ || !list->n) continue;
        bool *healthy = DW_NEW(ctx->a, bool, list->n);
        dw_buf names = {0};
        uint32_t count = 0;
        for (uint32_t i = 0; i < list->n; i++) {
            dw_str name = dw_cv_text(list->items[i]);
            const dw_cv *dep = name.ptr ? compose_service(ctx, name) : NULL;
            if (!dep || dep->kind != DW_CV_MAP || !compose_service_healthy_capable(ctx, dep)) continue;
            healthy[i] = true;
            dw_buf_printf(&names, "%s`%.*s`", count++ ? ", " : "", STR(name));
        }
        if (!count) {
            dw_buf_free(&names);
            continue;
        }
        dw_diag *d = dw_creport(ctx, list, &key->key_span,
                                "service `%.*s` starts as soon as %.*s %s started, not healthy, though %s a health "
                                "check",
                                STR(s->key), (int)names.n, names.p, count > 1 ? "are" : "is",
                                count > 1 ? "they have" : "it has");
        dw_buf_free(&names);
        if (!d) continue;
        dw_diag_help(ctx, d, "use the long form with `condition: service_healthy`, so that it starts once its "
                             "dependency answers");
        /* a list shared through an alias is rewritten once (the anchor's) */
        if (compose_first_visit(ctx, &seen, list)) fix_depends_on(ctx, d, key, list, healthy);
    }
}

/* ---- healthcheck timing ---- */

void check_healthcheck_timing(dw_lint *ctx)
{
    static const char *const fields[] = {"interval", "timeout", "start_period", "start_interval"};
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *hc = dw_cv_get(s->value, "healthcheck");
        if (!hc || hc->kind != DW_CV_MAP) continue;
        int64_t val[4];
        bool have[4] = {false, false, false, false};
        const dw_cv *node[4];
        for (int i = 0; i < 4; i++) {
            node[i] = dw_cv_get(hc, fields[i]);
            /* numbers are compose-schema findings already (a duration is a string) */
            if (!node[i] || node[i]->kind != DW_CV_STR) continue;
            dw_str text = compose_literal(node[i]);
            if (!text.ptr) continue;
            const char *why = NULL;
            if (!dw_parse_duration(text, &val[i], &why)) {
                dw_diag *d = dw_creport(ctx, node[i], NULL, "healthcheck %s `%.*s` of service `%.*s` is not a "
                                        "duration: %s", fields[i], STR(text), STR(s->key), why);
                if (d) dw_diag_help(ctx, d, "write a number and a unit, e.g. 30s, 1m30s or 500ms");
                continue;
            }
            if (val[i] < 0 || (val[i] > 0 && val[i] < 1000000)) {
                dw_diag *d = dw_creport(ctx, node[i], NULL, "healthcheck %s `%.*s` of service `%.*s` is %s",
                                        fields[i], STR(text), STR(s->key),
                                        val[i] < 0 ? "negative" : "below the 1ms Docker accepts");
                if (d) dw_diag_help(ctx, d, "use a positive duration of at least 1ms (0 means the default)");
                continue;
            }
            have[i] = true;
        }
        /* Docker's defaults: interval 30s, timeout 30s; 0 also means the default */
        if (!have[1] || val[1] == 0) continue;
        int64_t interval = have[0] && val[0] > 0 ? val[0] : 30000000000;
        if (val[1] < interval) continue;
        dw_str t = dw_cv_text(node[1]);
        dw_diag *d;
        if (have[0] && val[0] > 0)
            d = dw_creport(ctx, node[1], NULL,
                           "healthcheck timeout %.*s of service `%.*s` is not below its interval %.*s: a hung "
                           "check runs into the next one",
                           STR(t), STR(s->key), STR(dw_cv_text(node[0])));
        else
            d = dw_creport(ctx, node[1], NULL,
                           "healthcheck timeout %.*s of service `%.*s` is not below the default interval 30s: a "
                           "hung check runs into the next one",
                           STR(t), STR(s->key));
        if (d) dw_diag_help(ctx, d, "make the timeout shorter than the interval, e.g. interval: 30s, timeout: 5s");
    }
}

/* ---- undeclared and unused volumes, networks, secrets, configs ---- */

/* A top-level section with its names sorted for lookups. */
typedef struct {
    const dw_cv *map;
    compose_named *sorted;
    uint32_t n;
    bool fragment;          /* dw_compose_is_fragment: the base may declare, or use, what is missing here */
} section_index;

static section_index index_section(dw_lint *ctx, const char *key)
{
    section_index x = {top(ctx, key), NULL, 0, dw_compose_is_fragment(ctx->compose)};
    if (x.map && x.map->kind == DW_CV_MAP) {
        x.sorted = compose_sorted_keys(ctx, x.map);
        x.n = x.map->n;
    }
    return x;
}

static int declared_at(const section_index *x, dw_str name)
{
    return x->n ? compose_lookup(x->sorted, x->n, name) : -1;
}

static void undeclared(dw_lint *ctx, const section_index *section, const char *what, const char *top_key, const dw_cv *at,
                       dw_span span, dw_str name, dw_str service)
{
    if (section->fragment) return;
    dw_diag *d = dw_creport(ctx, at, &span,
                            "service `%.*s` uses %s `%.*s`, which is not declared under the top-level %s:",
                            STR(service), what, STR(name), top_key);
    if (!d) return;
    const char *near = suggest_key(ctx, name, section->map);
    if (near) dw_diag_help(ctx, d, "did you mean `%s`?", near);
    else
        dw_diag_help(ctx, d, "declare it: `%s:` at the top level with `%.*s:` under it (`external: true` when it is "
                             "created outside Compose)",
                     top_key, STR(name));
}

void check_undeclared_volume(dw_lint *ctx)
{
    section_index section = index_section(ctx, "volumes");
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v) || v.unknown || v.type != COMPOSE_MOUNT_VOLUME) continue;
            if (declared_at(&section, v.source) >= 0) continue;
            dw_span span = v.long_form ? v.source_span : compose_subspan(ctx, v.node, 0, v.source.len);
            undeclared(ctx, &section, "the volume", "volumes", v.source_node, span, v.source, s->key);
        }
    }
}

void check_undeclared_network(dw_lint *ctx)
{
    section_index section = index_section(ctx, "networks");
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        uint32_t n;
        compose_ref *refs = compose_service_networks(ctx, s->value, &n);
        for (uint32_t i = 0; i < n; i++) {
            dw_str name = refs[i].name;
            if (dw_str_eqc(name, "default") || dw_str_chr(name, '$') || declared_at(&section, name) >= 0) continue;
            undeclared(ctx, &section, "the network", "networks", refs[i].node, refs[i].span, name, s->key);
        }
    }
}

static void undeclared_files(dw_lint *ctx, const char *key, const char *what)
{
    section_index section = index_section(ctx, key);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        for (int pass = 0; pass < 2; pass++) {
            /* build secrets are checked as service secrets are */
            const dw_cv *owner = pass ? dw_cv_get(s->value, "build") : s->value;
            if (pass && (!owner || owner->kind != DW_CV_MAP || strcmp(key, "secrets") != 0)) continue;
            uint32_t n;
            compose_ref *refs = compose_service_files(ctx, owner, key, &n);
            for (uint32_t i = 0; i < n; i++) {
                if (dw_str_chr(refs[i].name, '$') || declared_at(&section, refs[i].name) >= 0) continue;
                undeclared(ctx, &section, what, key, refs[i].node, refs[i].span, refs[i].name, s->key);
            }
        }
    }
}

void check_undeclared_secret(dw_lint *ctx) { undeclared_files(ctx, "secrets", "the secret"); }
void check_undeclared_config(dw_lint *ctx) { undeclared_files(ctx, "configs", "the config"); }

static void report_unused(dw_lint *ctx, const dw_cv *section, const bool *used, const char *what, const char *how)
{
    for (uint32_t i = 0; i < section->n; i++) {
        const dw_cv_pair *p = &section->pairs[i];
        if (used[i] || dw_str_has_prefix(p->key, "x-")) continue;
        if (!strcmp(what, "network") && dw_str_eqc(p->key, "default")) continue;
        dw_diag *d = dw_creport(ctx, pair_at(p, section), &p->key_span, "%s `%.*s` is declared but no service uses it",
                                what, STR(p->key));
        if (d) dw_diag_help(ctx, d, "remove it, or %s", how);
    }
}

void check_unused_volume(dw_lint *ctx)
{
    section_index x = index_section(ctx, "volumes");
    if (!x.n || x.fragment) return;
    bool *used = DW_NEW(ctx->a, bool, x.n);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v)) continue;
            if (v.unknown) return; /* a name we cannot read may be any of them */
            int at = v.type == COMPOSE_MOUNT_VOLUME ? declared_at(&x, v.source) : -1;
            if (at >= 0) used[at] = true;
        }
    }
    report_unused(ctx, x.map, used, "volume", "mount it in the service that needs it");
}

void check_unused_network(dw_lint *ctx)
{
    section_index x = index_section(ctx, "networks");
    if (!x.n || x.fragment) return;
    bool *used = DW_NEW(ctx->a, bool, x.n);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        uint32_t n;
        compose_ref *refs = compose_service_networks(ctx, s->value, &n);
        for (uint32_t i = 0; i < n; i++) {
            if (dw_str_chr(refs[i].name, '$')) return;
            int at = declared_at(&x, refs[i].name);
            if (at >= 0) used[at] = true;
        }
    }
    report_unused(ctx, x.map, used, "network", "list it under the networks: of the services that should join it");
}

/* ---- container names ---- */

/* An integer value (a number, or a string Compose casts), or -1. */
static int64_t int_value(const dw_cv *v)
{
    if (!v) return -1;
    if (v->kind == DW_CV_INT) return v->i;
    dw_str s = compose_literal(v);
    if (!s.len || s.len > 9) return -1;
    int64_t n = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return -1;
        n = n * 10 + (s.ptr[i] - '0');
    }
    return n;
}

void check_container_name_with_replicas(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv_pair *cn = dw_cv_pair_of(s->value, "container_name");
        if (!cn || !cn->value) continue;
        const dw_cv *rep = dw_cv_path(s->value, "deploy.replicas");
        const char *field = "deploy.replicas";
        int64_t n = int_value(rep);
        if (n <= 1) {
            rep = dw_cv_get(s->value, "scale");
            field = "scale";
            n = int_value(rep);
        }
        if (n <= 1) continue;
        dw_diag *d = dw_creport(ctx, cn->value, &cn->key_span,
                                "service `%.*s` sets container_name and %s: %lld, but %lld containers cannot share "
                                "one name",
                                STR(s->key), field, (long long)n, (long long)n);
        if (!d) continue;
        if (rep->file == cn->value->file) dw_diag_related(ctx, d, rep->span, "the replica count");
        dw_diag_help(ctx, d, "remove container_name (Compose names each replica <project>-%.*s-N), or run one replica",
                     STR(s->key));
    }
}

typedef struct {
    dw_str name;
    uint32_t order;
    const dw_cv *node;
    const dw_cv *svc;
    dw_str service;
} named_entry;

static int cmp_named(const void *a, const void *b)
{
    const named_entry *x = a, *y = b;
    int c = compose_str_cmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

void check_duplicate_container_name(dw_lint *ctx)
{
    DW_VEC(named_entry) v = {0};
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *cn = dw_cv_get(s->value, "container_name");
        dw_str name = compose_literal(cn);
        if (!name.len) continue;
        named_entry e = {name, v.n, cn, s->value, s->key};
        DW_VEC_PUSH(ctx->a, v, e);
    }
    if (v.n < 2) return;
    qsort(v.v, v.n, sizeof *v.v, cmp_named);
    for (uint32_t i = 1, group = 0; i < v.n; i++) {
        if (!dw_str_eq(v.v[group].name, v.v[i].name)) {
            group = i;
            continue;
        }
        /* the first entry of the same name this one can run beside (a
         * bounded search: profiles make alternatives, not clashes) */
        const named_entry *clash = NULL;
        for (uint32_t j = group; j < i && j < group + 16 && !clash; j++)
            if (compose_services_coexist(v.v[j].svc, v.v[i].svc)) clash = &v.v[j];
        if (!clash) continue;
        const named_entry *e = &v.v[i];
        dw_diag *d = dw_creport(ctx, e->node, NULL,
                                "service `%.*s` uses container_name `%.*s`, as service `%.*s` does: the second "
                                "container cannot be created",
                                STR(e->service), STR(e->name), STR(clash->service));
        if (!d) continue;
        if (clash->node->file == e->node->file) dw_diag_related(ctx, d, clash->node->span, "first used here");
        dw_diag_help(ctx, d, "give each service its own container_name, or remove it and let Compose name them");
    }
}

/* ---- ports ---- */

typedef struct {
    compose_port port;
    uint32_t order;       /* document order */
    uint32_t service;     /* index among services */
    const dw_cv *svc;
    dw_str service_name;
    bool reported;
} port_entry;

/* 0 = all interfaces (both families), 4 = IPv4 address, 6 = IPv6 address;
 * *any: the family's wildcard (0.0.0.0, ::). */
static int ip_family(dw_str ip, bool *any)
{
    *any = !ip.len || dw_str_eqc(ip, "0.0.0.0") || dw_str_eqc(ip, "::");
    if (!ip.len) return 0;
    return dw_str_chr(ip, ':') ? 6 : 4;
}

static bool same_interface(dw_str a, dw_str b)
{
    bool any_a, any_b;
    int fa = ip_family(a, &any_a), fb = ip_family(b, &any_b);
    if (!fa || !fb) return true;
    if (fa != fb) return false;
    return any_a || any_b || dw_str_eq(a, b);
}

static int cmp_port(const void *a, const void *b)
{
    const port_entry *x = a, *y = b;
    if (x->port.host_lo != y->port.host_lo) return x->port.host_lo < y->port.host_lo ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

static void describe_port(dw_buf *b, const compose_port *p)
{
    if (p->host_ip.len) dw_buf_printf(b, dw_str_chr(p->host_ip, ':') ? "[%.*s]:" : "%.*s:", STR(p->host_ip));
    if (p->host_lo == p->host_hi) dw_buf_printf(b, "%u", p->host_lo);
    else dw_buf_printf(b, "%u-%u", p->host_lo, p->host_hi);
    dw_buf_printf(b, "/%.*s", STR(p->protocol));
}

void check_duplicate_host_port(dw_lint *ctx)
{
    DW_VEC(port_entry) v = {0};
    uint32_t si = 0;
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s)); si++) {
        const dw_cv *ports = dw_cv_get(s->value, "ports");
        for (uint32_t i = 0; ports && ports->kind == DW_CV_SEQ && i < ports->n; i++) {
            port_entry e = {.order = v.n, .service = si, .svc = s->value, .service_name = s->key};
            if (!compose_port_parse(ports->items[i], &e.port) || e.port.unknown || e.port.interpolated ||
                !e.port.has_host)
                continue;
            /* `8000-8010:80`: Compose picks one free port of the range */
            if (e.port.host_hi > e.port.host_lo && e.port.target_hi == e.port.target_lo) continue;
            DW_VEC_PUSH(ctx->a, v, e);
        }
    }
    if (v.n < 2) return;
    uint32_t width = 0;
    for (uint32_t i = 0; i < v.n; i++)
        if (v.v[i].port.host_hi - v.v[i].port.host_lo > width) width = v.v[i].port.host_hi - v.v[i].port.host_lo;
    qsort(v.v, v.n, sizeof *v.v, cmp_port);
    uint32_t group = 0; /* the first entry of a's host port */
    for (uint32_t i = 1; i < v.n; i++) {
        port_entry *a = &v.v[i];
        if (v.v[group].port.host_lo != a->port.host_lo) group = i;
        /* earlier entries that can overlap start at most `width` below */
        for (uint32_t j = i; j > 0; j--) {
            port_entry *b = &v.v[j - 1];
            /* a reported is the later of every pair in its group (sorted by
             * order there): only a range below can still be the later one,
             * so that many services on one port stay linear */
            if (a->reported && j - 1 >= group) {
                j = group + 1; /* the loop's j-- goes on below the group */
                continue;
            }
            if (b->port.host_lo + width < a->port.host_lo) break;
            if (b->port.host_hi < a->port.host_lo) continue;
            port_entry *later = a->order > b->order ? a : b, *first = later == a ? b : a;
            if (later->reported) continue;
            if (!dw_str_ieq(a->port.protocol, b->port.protocol)) continue;
            if (!same_interface(a->port.host_ip, b->port.host_ip)) continue;
            if (a->service != b->service && !compose_services_coexist(a->svc, b->svc)) continue;
            later->reported = true;
            dw_buf desc = {0};
            describe_port(&desc, &later->port);
            dw_diag *d;
            if (later->service == first->service)
                d = dw_creport(ctx, later->port.node, NULL,
                               "service `%.*s` publishes host port %.*s twice: the second binding fails",
                               STR(later->service_name), (int)desc.n, desc.p);
            else
                d = dw_creport(ctx, later->port.node, NULL,
                               "host port %.*s of service `%.*s` is already published by service `%.*s`: the "
                               "second container fails to start (port is already allocated)",
                               (int)desc.n, desc.p, STR(later->service_name), STR(first->service_name));
            dw_buf_free(&desc);
            if (!d) continue;
            if (first->port.node->file == later->port.node->file)
                dw_diag_related(ctx, d, first->port.node->span, "published here first");
            dw_diag_help(ctx, d, "publish a different host port (the part before the last colon), or bind each "
                                 "to its own host IP");
        }
    }
}

/* Base-60 value a YAML 1.1 reader gives `22:22`-like text. */
static long long sexagesimal(dw_str s)
{
    long long v = 0, part = 0;
    for (size_t i = 0; i < s.len; i++) {
        if (s.ptr[i] == ':') { v = v * 60 + part; part = 0; }
        else if (s.ptr[i] >= '0' && s.ptr[i] <= '9') part = part * 10 + (s.ptr[i] - '0');
    }
    return v * 60 + part;
}

void check_ports_quoted(dw_lint *ctx)
{
    compose_seen seen = {0};
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *ports = dw_cv_get(s->value, "ports");
        for (uint32_t i = 0; ports && ports->kind == DW_CV_SEQ && i < ports->n; i++) {
            const dw_cv *it = ports->items[i];
            if (it->kind != DW_CV_STR || it->style != DW_YAML_PLAIN || it->synthetic || !dw_str_chr(it->raw, ':'))
                continue;
            if (!compose_first_visit(ctx, &seen, it)) continue; /* one list shared through an alias */
            dw_diag *d = it->yaml11_trap
                             ? dw_creport(ctx, it, NULL,
                                          "unquoted port mapping %.*s of service `%.*s` is the number %lld to a YAML "
                                          "1.1 reader (Compose v1, PyYAML, many editors and CI tools)",
                                          STR(it->raw), STR(s->key), sexagesimal(it->raw))
                             : dw_creport(ctx, it, NULL,
                                          "unquoted port mapping %.*s of service `%.*s`: the Compose specification "
                                          "asks for a quoted string, as some YAML readers turn HOST:CONTAINER into a "
                                          "number",
                                          STR(it->raw), STR(s->key));
            if (!d) continue;
            dw_diag_help(ctx, d, "quote it: \"%.*s\"", STR(it->raw));
            dw_diag_edit(ctx, d, (dw_span){it->span.start, it->span.start}, "\"", 1);
            dw_diag_edit(ctx, d, (dw_span){it->span.end, it->span.end}, "\"", 1);
        }
    }
}

static bool database_port(const compose_port *p)
{
    static const uint32_t db[] = {5432, 3306, 27017, 6379, 9200, 11211};
    for (size_t i = 0; i < sizeof db / sizeof *db; i++)
        if (p->target_lo <= db[i] && db[i] <= p->target_hi) return true;
    return false;
}

void check_port_host_interface(dw_lint *ctx)
{
    const dw_rule *r = ctx->rule;
    bool default_level = !ctx->cfg || !ctx->cfg->severity_set || !ctx->cfg->severity_set[r->index];
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *ports = dw_cv_get(s->value, "ports");
        for (uint32_t i = 0; ports && ports->kind == DW_CV_SEQ && i < ports->n; i++) {
            compose_port p;
            if (!compose_port_parse(ports->items[i], &p) || p.unknown || p.host_ip.len) continue;
            bool db = database_port(&p);
            dw_str text = p.long_form ? dw_str_c("") : dw_cv_text(p.node);
            dw_diag *d;
            if (p.long_form)
                d = dw_creport(ctx, p.node, NULL,
                               "port %u of service `%.*s` is published on every host interface (no host_ip)%s",
                               p.target_lo, STR(s->key), db ? ": a database reachable from the network" : "");
            else
                d = dw_creport(ctx, p.node, NULL, "port %.*s of service `%.*s` is published on every host interface%s",
                               STR(text), STR(s->key), db ? ": a database reachable from the network" : "");
            if (!d) continue;
            if (db && default_level) d->severity = DW_SEV_WARNING;
            if (p.long_form) dw_diag_help(ctx, d, "add host_ip: 127.0.0.1 when only this machine needs to reach it");
            else if (p.has_host)
                dw_diag_help(ctx, d, "bind it to one interface, e.g. \"127.0.0.1:%.*s\", when only this machine "
                                     "needs to reach it",
                             STR(text));
            else
                dw_diag_help(ctx, d, "publish it on one interface, e.g. \"127.0.0.1::%.*s\", or use expose: when only "
                                     "other services need it",
                             STR(text));
        }
    }
}

/* ---- images ---- */

/* `raw` with every ${VAR:-default} / ${VAR-default} replaced by its default:
 * what the image is when the variables are not set. NULL when a variable
 * has no default or the form is not a simple one. */
static const char *with_defaults(dw_lint *ctx, dw_str raw)
{
    dw_buf out = {0};
    for (size_t i = 0; i < raw.len; i++) {
        char c = raw.ptr[i];
        if (c != '$') { dw_buf_putc(&out, c); continue; }
        if (i + 1 < raw.len && raw.ptr[i + 1] == '$') { dw_buf_putc(&out, '$'); i++; continue; }
        if (i + 1 >= raw.len || raw.ptr[i + 1] != '{') goto unknown;
        size_t j = i + 2;
        while (j < raw.len && (raw.ptr[j] == '_' || (raw.ptr[j] >= '0' && raw.ptr[j] <= '9') ||
                               ((raw.ptr[j] | 32) >= 'a' && (raw.ptr[j] | 32) <= 'z')))
            j++;
        if (j < raw.len && raw.ptr[j] == ':') j++;
        if (j >= raw.len || raw.ptr[j] != '-') goto unknown;
        size_t k = ++j;
        while (k < raw.len && raw.ptr[k] != '}' && raw.ptr[k] != '$' && raw.ptr[k] != '{') k++;
        if (k >= raw.len || raw.ptr[k] != '}') goto unknown;
        dw_buf_put(&out, raw.ptr + j, k - j);
        i = k;
    }
    {
        const char *r = dw_arena_printf(ctx->a, "%.*s", (int)out.n, out.p ? out.p : "");
        dw_buf_free(&out);
        return r;
    }
unknown:
    dw_buf_free(&out);
    return NULL;
}

/* "" when `ref` carries no tag, the tag when it is latest, NULL otherwise. */
static const char *latest_tag(dw_str ref)
{
    if (!ref.len || dw_str_chr(ref, '@')) return NULL; /* a digest pins it */
    const char *slash = NULL;
    for (size_t i = ref.len; i > 0; i--)
        if (ref.ptr[i - 1] == '/') { slash = ref.ptr + i - 1; break; }
    dw_str last = slash ? dw_str_sub(ref, (size_t)(slash - ref.ptr) + 1, ref.len) : ref;
    const char *colon = dw_str_chr(last, ':');
    if (!colon) return "";
    dw_str tag = dw_str_sub(last, (size_t)(colon - last.ptr) + 1, last.len);
    return dw_str_eqc(tag, "latest") ? "latest" : NULL;
}

void check_image_latest(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        if (dw_cv_get(s->value, "build")) continue; /* image names what is built */
        const dw_cv *img = dw_cv_get(s->value, "image");
        if (!img || img->kind != DW_CV_STR) continue;
        dw_str ref = compose_literal(img);
        const char *by_default = NULL;
        if (!ref.ptr) {
            /* not resolved: judge what the defaults give */
            by_default = with_defaults(ctx, img->raw);
            if (!by_default) continue;
            ref = dw_str_c(by_default);
        } else if (dw_str_chr(img->raw, '$')) {
            /* resolved from the environment: the default still matters */
            const char *def = with_defaults(ctx, img->raw);
            if (def && latest_tag(dw_str_c(def))) { by_default = def; ref = dw_str_c(def); }
        }
        const char *tag = latest_tag(ref);
        if (!tag) continue;
        dw_diag *d;
        if (by_default)
            d = dw_creport(ctx, img, NULL, "image of service `%.*s` defaults to `%s`%s: it pulls whatever latest "
                           "is on the day it runs",
                           STR(s->key), by_default, *tag ? "" : ", with no tag");
        else if (*tag)
            d = dw_creport(ctx, img, NULL, "image `%.*s` of service `%.*s` uses the latest tag: it pulls "
                           "whatever latest is on the day it runs",
                           STR(ref), STR(s->key));
        else
            d = dw_creport(ctx, img, NULL, "image `%.*s` of service `%.*s` has no tag, so it means latest: it "
                           "pulls whatever latest is on the day it runs",
                           STR(ref), STR(s->key));
        if (d) dw_diag_help(ctx, d, "pin a version tag (name:1.2.3) or a digest (name@sha256:...)");
    }
}

/* ---- bind mounts ---- */

void check_bind_mount_source_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v) || v.unknown || v.type != COMPOSE_MOUNT_BIND) continue;
            dw_str src = v.source;
            bool relative = dw_str_eqc(src, ".") || dw_str_eqc(src, "..") || dw_str_has_prefix(src, "./") ||
                            dw_str_has_prefix(src, "../");
            if (!relative) continue;
            int kind;
            if (ref_exists(ctx, v.source_node, src, &kind)) continue;
            dw_span span = v.long_form ? v.source_span : compose_subspan(ctx, v.node, 0, src.len);
            dw_diag *d = dw_creport(ctx, v.source_node, &span,
                                    "bind-mount source `%.*s` of service `%.*s` does not exist%s", STR(src),
                                    STR(s->key),
                                    v.long_form ? "" : ": Docker creates an empty folder owned by root in its place");
            if (d)
                dw_diag_help(ctx, d, "create it, or fix the path (relative to the folder of the Compose file)");
        }
    }
}

/* ---- healthcheck-missing-service ---- */

void check_healthcheck_missing_service(dw_lint *ctx)
{
    const dw_cv *services = compose_services(ctx);
    if (!services) return;
    /* one-shot services: some other service waits for them to complete */
    bool *one_shot = compose_one_shot(ctx);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        if (one_shot[s - services->pairs]) continue;
        compose_hc own = compose_healthcheck(s->value);
        if (own == COMPOSE_HC_ON) continue;
        compose_hc image = own == COMPOSE_HC_NONE ? compose_dockerfile_healthcheck(ctx, s->value) : COMPOSE_HC_NONE;
        if (image == COMPOSE_HC_ON) continue;
        compose_build b;
        bool builds = compose_service_build(ctx, s->value, &b);
        const char *why = own == COMPOSE_HC_OFF     ? "its healthcheck is disabled"
                          : image == COMPOSE_HC_OFF ? "its Dockerfile says HEALTHCHECK NONE"
                          : builds                  ? "none here, no HEALTHCHECK in its Dockerfile"
                                                    : "none here; its image may still define one";
        dw_diag *d = dw_creport(ctx, s->value, &s->key_span,
                                "service `%.*s` has no health check (%s), so Compose cannot tell a hung container "
                                "from a working one",
                                STR(s->key), why);
        if (d)
            dw_diag_help(ctx, d, "add a healthcheck (test, interval, timeout, retries) that asks the service itself "
                                 "whether it answers");
    }
}
