/* include.c — `include`, as compose-go's loader applies it: each entry is
 * a project of its own (its `path` files merged in order, relative paths
 * under its `project_directory`, which defaults to the first file's
 * folder), interpolated with the including project's variables and then
 * its own env files (`env_file`, or its project directory's `.env`; the
 * including project's values win). Its services, networks, volumes,
 * secrets, configs and models are then imported: a resource the including
 * file also defines is that file's definition merged onto the imported one.
 *
 * A file that cannot be read is left to the referenced-file-missing rule;
 * a cycle (a file including itself, directly or not) is a compose-schema
 * finding at the `include` entry. The `include` list stays in the model. */
#include "compose_int.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

static const char *const resources[] = {"services", "volumes", "networks", "secrets", "configs", "models"};

/* A copy of `from`'s variables, to add an include's own env files to. */
static void scope_copy(dw_scope *to, const dw_scope *from, const char *dir)
{
    memset(to, 0, sizeof *to);
    to->dir = dir;
    for (uint32_t i = 0; i < from->vars.cap; i++)
        if (from->vars.vals[i]) dw_strmap_put(&to->vars, from->vars.keys[i], from->vars.vals[i]);
}

/* Strings of a string-or-list value. */
static uint32_t strings_of(const dw_cv *v, const dw_cv **out, uint32_t max)
{
    uint32_t n = 0;
    if (v && v->kind == DW_CV_STR) out[n++] = v;
    else if (v && v->kind == DW_CV_SEQ)
        for (uint32_t i = 0; i < v->n && n < max; i++)
            if (v->items[i] && v->items[i]->kind == DW_CV_STR) out[n++] = v->items[i];
    return n;
}

static bool regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The include's own env files, added to its scope after what it inherits. */
static void include_env(dw_loader *L, const dw_cv *env_file, const char *wd, const char *pdir, dw_scope *inherited,
                        dw_scope *sc)
{
    dw_compose_project *p = L->p;
    dw_arena *a = &p->arena;
    const dw_cv *files[32];
    uint32_t n = strings_of(env_file, files, 32);
    const char *paths[32];
    uint32_t np = 0;
    if (!n) {
        const char *dotenv = dw_arena_printf(a, "%s/.env", pdir);
        if (regular_file(dotenv)) paths[np++] = dotenv;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (dw_str_eqc(files[i]->s, "/dev/null")) continue;
        const char *path = dw_path_join(a, wd, files[i]->s);
        if (!regular_file(path)) {
            dw_compose_error(p, "%s: %s", path, errno == EISDIR ? "is not a file" : strerror(ENOENT));
            continue;
        }
        paths[np++] = path;
    }
    dw_entry_vec prior = {0};
    for (uint32_t i = 0; i < np; i++) dw_env_file_read(p, paths[i], inherited, &prior);
    /* the including project's variables win over the include's files */
    for (uint32_t i = 0; i < prior.n; i++)
        if (prior.v[i].value && !dw_strmap_get(&sc->vars, dw_str_c(prior.v[i].key)))
            dw_strmap_put(&sc->vars, dw_str_c(prior.v[i].key), (void *)prior.v[i].value);
}

/* Copies the resources of `from` into cfg; cfg's own definitions are merged
 * onto the imported ones. */
static void import(dw_loader *L, dw_cv *cfg, dw_cv *from)
{
    dw_arena *a = &L->p->arena;
    for (size_t r = 0; r < sizeof resources / sizeof *resources; r++) {
        dw_cv *src = dw_cv_get(from, resources[r]);
        if (!src || src->kind != DW_CV_MAP || !src->n) continue;
        dw_cv *to = dw_cv_get(cfg, resources[r]);
        if (!to || to->kind != DW_CV_MAP) {
            to = dw_cv_new(a, DW_CV_MAP, src);
            dw_cv_set(a, cfg, dw_str_c(resources[r]), to);
        }
        for (uint32_t i = 0; i < src->n; i++) {
            dw_cv_pair *sp = &src->pairs[i];
            dw_cv *local = dw_cv_getn(to, sp->key);
            if (!local) {
                dw_cv_append_pair(a, to, sp);
                continue;
            }
            dw_cpath path = {0};
            dw_cpath_push(&path, dw_str_c(resources[r]));
            dw_cpath_push(&path, sp->key);
            dw_cv *merged = dw_cv_merge(L, dw_cv_deep_copy(a, sp->value), local, &path);
            if (merged) dw_cv_set(a, to, sp->key, merged);
            else dw_cv_del(to, sp->key);
        }
    }
}

/* One `include` entry of file fi. */
static void include_one(dw_loader *L, int fi, dw_cv *cfg, const dw_cv *entry, dw_scope *sc, const char *const *chain,
                        uint32_t nchain)
{
    dw_compose_project *p = L->p;
    dw_arena *a = &p->arena;
    const dw_cv *paths[64], *pd = NULL, *env_file = NULL;
    uint32_t n = 0;
    if (entry->kind == DW_CV_STR) {
        paths[n++] = entry;
    } else if (entry->kind == DW_CV_MAP) {
        n = strings_of(dw_cv_get(entry, "path"), paths, 64);
        pd = dw_cv_get(entry, "project_directory");
        env_file = dw_cv_get(entry, "env_file");
    }
    if (!n) return; /* the schema reports the shape */
    const char *wd = p->files[fi].rel_base;
    const char *first = dw_path_join(a, wd, paths[0]->s);
    const char *pdir = pd && pd->kind == DW_CV_STR && pd->s.len ? dw_path_join(a, wd, pd->s)
                                                               : dw_arena_memdup(a, first, (size_t)(strrchr(first, '/') - first));
    if (!*pdir) pdir = "/";
    for (uint32_t i = 0; i < nchain; i++)
        if (!strcmp(chain[i], first)) {
            dw_buf b = {0};
            dw_buf_printf(&b, "include cycle detected:\n%s", chain[0]);
            for (uint32_t k = 1; k < nchain; k++) dw_buf_printf(&b, "\n include %s", chain[k]);
            dw_buf_printf(&b, "\n include %s", first);
            dw_compose_error(p, "%.*s", (int)b.n, b.p);
            dw_buf_free(&b);
            dw_diag *d = dw_loader_report(L, fi, "compose-schema", DW_SEV_ERROR, paths[0]->span,
                                          "include cycle: %.*s includes, directly or not, the file including it",
                                          (int)paths[0]->s.len, paths[0]->s.ptr);
            if (d) d->help = "remove the include that closes the cycle";
            return;
        }
    if (nchain >= DW_MAX_CHAIN) {
        dw_compose_error(p, "include: more than %d files including each other", DW_MAX_CHAIN);
        return;
    }
    dw_scope isc;
    scope_copy(&isc, sc, pdir);
    include_env(L, env_file, wd, pdir, sc, &isc);
    dw_cv *model = NULL;
    for (uint32_t k = 0; k < n; k++) {
        const char *abs = k ? dw_path_join(a, wd, paths[k]->s) : first;
        int ifi = dw_loader_read(L, NULL, abs, true, pdir);
        if (ifi < 0) { /* referenced-file-missing reports it */
            dw_compose_error(p, "include %s: %s", abs, strerror(errno));
            model = NULL;
            break;
        }
        model = dw_loader_add(L, model, ifi, &isc, chain, nchain);
    }
    if (model) import(L, cfg, model);
    dw_strmap_free(&isc.vars);
}

void dw_apply_include(dw_loader *L, int fi, dw_cv *cfg, dw_scope *sc, const char *const *chain, uint32_t nchain)
{
    dw_cv *inc = dw_cv_get(cfg, "include");
    if (!inc) return;
    if (inc->kind != DW_CV_SEQ) {
        dw_compose_error(L->p, "`include` must be a list, got %.*s", (int)dw_cv_text(inc).len, dw_cv_text(inc).ptr);
        return;
    }
    for (uint32_t i = 0; i < inc->n; i++)
        if (inc->items[i]) include_one(L, fi, cfg, inc->items[i], sc, chain, nchain);
}
