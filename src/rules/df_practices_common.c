/* df_practices_common.c — the helpers of df_practices.h: the language
 * package managers (which commands install a project's dependencies, what
 * they read, where they cache), WORKDIR tracking and path resolution. */
#include "df_practices.h"

#include "hl_util.h"
#include "sh_misc.h"
#include "../ignore/dockerignore.h"

/* ---- package managers ---- */

/* Manifests: the files a dependency install reads, the ones to COPY before
 * it; the first `usual` are named when the context holds none of them.
 * Caches: the folders the official images use for root; the needles also
 * match other homes (/home/app/.cache/pip) and custom layouts. */
static const prac_pm_info pms[PM__COUNT] = {
    [PM_NONE] = {"", {NULL}, 0, "", {NULL}, NULL},
    [PM_PIP] = {"pip", {"pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", NULL}, 1, "/root/.cache/pip",
                {".cache/pip", NULL}, "PIP_CACHE_DIR"},
    [PM_UV] = {"uv", {"pyproject.toml", "uv.lock", NULL}, 2, "/root/.cache/uv", {".cache/uv", NULL}, "UV_CACHE_DIR"},
    [PM_POETRY] = {"poetry", {"pyproject.toml", "poetry.lock", NULL}, 2, "/root/.cache/pypoetry", {"pypoetry", NULL},
                   "POETRY_CACHE_DIR"},
    [PM_PIPENV] = {"pipenv", {"Pipfile", "Pipfile.lock", NULL}, 2, "/root/.cache/pipenv", {"pipenv", NULL},
                   "PIPENV_CACHE_DIR"},
    [PM_NPM] = {"npm", {"package.json", "package-lock.json", "npm-shrinkwrap.json", NULL}, 2, "/root/.npm",
                {".npm", NULL}, "npm_config_cache"},
    [PM_YARN] = {"yarn", {"package.json", "yarn.lock", ".yarnrc.yml", NULL}, 2, "/usr/local/share/.cache/yarn",
                 {"yarn", NULL}, "YARN_CACHE_FOLDER"},
    [PM_PNPM] = {"pnpm", {"package.json", "pnpm-lock.yaml", "pnpm-workspace.yaml", NULL}, 2,
                 "/root/.local/share/pnpm/store", {"pnpm", NULL}, "PNPM_STORE_DIR"},
    [PM_BUNDLE] = {"bundler", {"Gemfile", "Gemfile.lock", NULL}, 2, "/usr/local/bundle/cache", {"bundle", ".gem", NULL},
                   NULL},
    [PM_COMPOSER] = {"composer", {"composer.json", "composer.lock", NULL}, 2, "/root/.composer/cache",
                     {"composer", NULL}, "COMPOSER_CACHE_DIR"},
    [PM_GO] = {"go", {"go.mod", "go.sum", NULL}, 2, "/go/pkg/mod", {"pkg/mod", "go-build", NULL}, "GOMODCACHE"},
    [PM_CARGO] = {"cargo", {"Cargo.toml", "Cargo.lock", NULL}, 2, "/usr/local/cargo/registry", {"cargo", NULL},
                  "CARGO_HOME"},
    [PM_MAVEN] = {"maven", {"pom.xml", NULL}, 1, "/root/.m2", {".m2", NULL}, NULL},
    [PM_GRADLE] = {"gradle",
                   {"build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts", "gradle.properties",
                    NULL},
                   1, "/root/.gradle", {".gradle", NULL}, "GRADLE_USER_HOME"},
    [PM_DOTNET] = {"dotnet", {"*.csproj", NULL}, 1, "/root/.nuget/packages", {"nuget", NULL}, "NUGET_PACKAGES"},
};

const prac_pm_info *prac_pm_get(prac_pm pm) { return &pms[pm < PM__COUNT ? pm : PM_NONE]; }

bool prac_name_is(const sh_cmd *c, const char *base)
{
    size_t n = strlen(base);
    if (c->name.len < n || memcmp(c->name.ptr, base, n) != 0) return false;
    for (size_t i = n; i < c->name.len; i++)
        if (!((c->name.ptr[i] >= '0' && c->name.ptr[i] <= '9') || c->name.ptr[i] == '.')) return false;
    return true;
}

/* A pip/uv argument naming the project folder: `.`, `./sub`, `..`,
 * `.[extras]` — not a wheel or sdist file that happens to be local. */
static bool local_project(dw_str v)
{
    if (!(dw_str_eqc(v, ".") || dw_str_eqc(v, "..") || dw_str_has_prefix(v, "./") || dw_str_has_prefix(v, "../") ||
          dw_str_has_prefix(v, ".[")))
        return false;
    return !ms_has_suffix(v, ".whl") && !ms_is_archive(v);
}

/* pip/uv installs from a requirements file or the project itself; `from`
 * is the index of the first package positional. */
static bool pip_from_manifest(const sh_cmd *c, uint32_t from)
{
    if (sh_cmd_has_any_flag(c, "-r", "--requirement", NULL)) return true;
    const sh_flag *e = sh_cmd_flag(c, "-e");
    if (!e) e = sh_cmd_flag(c, "--editable");
    if (e && e->has_value && local_project(e->value)) return true;
    for (uint32_t i = from; i < c->npos; i++)
        if (local_project(c->pos[i]->value)) return true;
    return false;
}

static bool any_pos_in(const sh_cmd *c, const char *const *names, const char *prefix)
{
    for (uint32_t i = 0; i < c->npos; i++) {
        if (pkg_word_in(c->pos[i], names)) return true;
        if (prefix && dw_str_has_prefix(c->pos[i]->value, prefix)) return true;
    }
    return false;
}

/* A bare `yarn` or `bundle` installs, unless it only prints something. */
static bool bare_install(const sh_cmd *c)
{
    return c->npos == 0 && !sh_cmd_has_any_flag(c, "-v", "--version", "-h", "--help", NULL);
}

prac_pm prac_dep_install(const sh_cmd *c, bool builds)
{
    static const char *const npm_install[] = {"install", "i", "in", "ins", "inst", "insta", "instal", "isnt",
                                              "isnta", "isntal", "isntall", "add", NULL};
    static const char *const mvn_goals[] = {"package", "install", "verify", NULL};
    static const char *const gradle_tasks[] = {"build", "assemble", "bootJar", "shadowJar", "installDist",
                                               "dependencies", NULL};
    if (prac_name_is(c, "pip"))
        return sh_cmd_subcommand_is(c, "install") && pip_from_manifest(c, 1) ? PM_PIP : PM_NONE;
    if (sh_cmd_is(c, "uv")) {
        if (sh_cmd_subcommand_is(c, "sync")) return PM_UV;
        if (!sh_cmd_subcommand_is(c, "pip") || c->npos < 2) return PM_NONE;
        if (sh_word_is(c->pos[1], "sync")) return PM_UV;
        return sh_word_is(c->pos[1], "install") && pip_from_manifest(c, 2) ? PM_UV : PM_NONE;
    }
    if (sh_cmd_is(c, "poetry")) return sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "sync") ? PM_POETRY : PM_NONE;
    if (sh_cmd_is(c, "pipenv"))
        return (sh_cmd_subcommand_is(c, "install") && c->npos == 1) || sh_cmd_subcommand_is(c, "sync") ? PM_PIPENV
                                                                                                        : PM_NONE;
    if (sh_cmd_is(c, "npm")) {
        if (sh_cmd_subcommand_is(c, "ci")) return PM_NPM;
        return pkg_word_in(c->sub, npm_install) && c->npos == 1 && !sh_cmd_has_any_flag(c, "-g", "--global", NULL)
                   ? PM_NPM
                   : PM_NONE;
    }
    if (sh_cmd_is(c, "yarn")) return bare_install(c) || sh_cmd_subcommand_is(c, "install") ? PM_YARN : PM_NONE;
    if (sh_cmd_is(c, "pnpm")) {
        if (sh_cmd_subcommand_is(c, "fetch")) return PM_PNPM;
        return (sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "i")) && c->npos == 1 ? PM_PNPM : PM_NONE;
    }
    if (sh_cmd_is_any(c, "bundle", "bundler", NULL))
        return bare_install(c) || sh_cmd_subcommand_is(c, "install") ? PM_BUNDLE : PM_NONE;
    if (sh_cmd_is(c, "composer")) return sh_cmd_subcommand_is(c, "install") ? PM_COMPOSER : PM_NONE;
    if (sh_cmd_is(c, "go")) {
        if (sh_cmd_subcommand_is(c, "mod") && c->npos > 1 && sh_word_is(c->pos[1], "download")) return PM_GO;
        if (!builds) return PM_NONE;
        if (sh_cmd_subcommand_is(c, "build")) return PM_GO;
        /* `go install ./cmd/...` builds the project; `go install
         * golang.org/x/tools/gopls@v0.16.0` installs a named tool */
        return sh_cmd_subcommand_is(c, "install") && (c->npos == 1 || local_project(c->pos[1]->value)) ? PM_GO
                                                                                                      : PM_NONE;
    }
    if (sh_cmd_is(c, "cargo")) {
        if (sh_cmd_subcommand_is(c, "build") || sh_cmd_subcommand_is(c, "fetch")) return PM_CARGO;
        /* cargo-chef builds the dependencies from its recipe */
        if (sh_cmd_subcommand_is(c, "chef") && c->npos > 1 && sh_word_is(c->pos[1], "cook")) return PM_CARGO;
        /* `cargo install --path .` builds the project; `cargo install ripgrep` a named tool */
        return builds && sh_cmd_subcommand_is(c, "install") && sh_cmd_flag(c, "--path") ? PM_CARGO : PM_NONE;
    }
    if (sh_cmd_is_any(c, "mvn", "mvnw", NULL))
        return any_pos_in(c, mvn_goals, "dependency:") ? PM_MAVEN : PM_NONE;
    if (sh_cmd_is_any(c, "gradle", "gradlew", NULL)) return any_pos_in(c, gradle_tasks, NULL) ? PM_GRADLE : PM_NONE;
    if (sh_cmd_is(c, "dotnet")) {
        if (sh_cmd_subcommand_is(c, "restore")) return PM_DOTNET;
        /* --no-restore: the packages an earlier restore left are used, nothing is fetched */
        return builds && (sh_cmd_subcommand_is(c, "build") || sh_cmd_subcommand_is(c, "publish")) &&
                       !sh_cmd_has_flag(c, "--no-restore")
                   ? PM_DOTNET
                   : PM_NONE;
    }
    return PM_NONE;
}

static dw_str trim_slashes(dw_str s)
{
    while (s.len > 1 && s.ptr[s.len - 1] == '/') s.len--;
    return s;
}

/* The folder the manager's cache variable names for command c: its own
 * assignment (PIP_CACHE_DIR=/x pip …), else the ENV in effect. */
static dw_str cache_env_dir(dw_lint *ctx, const dw_instr *run, const prac_pm_info *info, const sh_cmd *c)
{
    dw_str none = {NULL, 0}, v;
    if (!info->env) return none;
    const sh_word *a = c ? sh_cmd_assign(c, info->env) : NULL;
    if (a) return sh_word_assignment(a, NULL, &v) && !(a->flags & SH_W_EXPANDS) ? trim_slashes(v) : none;
    v = prac_env_value(ctx, run, info->env);
    return v.len && !dw_str_chr(v, '$') ? trim_slashes(v) : none;
}

const char *prac_cache_dir(dw_lint *ctx, const dw_instr *run, prac_pm pm, const sh_cmd *c)
{
    const prac_pm_info *info = prac_pm_get(pm);
    dw_str d = cache_env_dir(ctx, run, info, c);
    return d.len && d.ptr[0] == '/' ? dw_str_cstr(ctx->a, d) : info->cache;
}

const dw_mount *prac_cache_mount(dw_lint *ctx, const dw_instr *run, prac_pm pm, const sh_cmd *c)
{
    const prac_pm_info *info = prac_pm_get(pm);
    dw_str env_dir = {NULL, 0};
    bool env_read = false;
    for (uint32_t i = 0; i < run->nmounts; i++) {
        const dw_mount *m = &run->mounts[i];
        if (m->type != DW_MOUNT_CACHE || !m->has_target) continue;
        if (dw_str_chr(m->target, '$')) return m; /* target=$POETRY_CACHE_DIR */
        if (!env_read) {
            env_dir = cache_env_dir(ctx, run, info, c);
            env_read = true;
        }
        dw_str t = trim_slashes(m->target);
        if (env_dir.len && (prac_path_within(t, env_dir) || prac_path_within(env_dir, t))) return m;
        for (const char *const *n = info->needles; *n; n++)
            if (ms_contains(m->target, *n)) return m;
        /* a mount above the cache folder (/root/.cache holds pip's) */
        if (info->cache[0] && pkg_path_covers(m->target, info->cache)) return m;
        /* `--cache-dir /cache/x`, `--cache /npm`: an option naming a folder
         * under the mount */
        for (uint32_t f = 0; c && f < c->nflags; f++) {
            const sh_flag *fl = &c->flags[f];
            if (!fl->has_value || !ms_contains(fl->name, "cache")) continue;
            if (prac_path_within(t, trim_slashes(fl->value))) return m;
        }
    }
    return NULL;
}

const char *prac_cmd_label(dw_lint *ctx, const sh_cmd *c)
{
    static const char *const two_words[] = {"mod", "pip", "chef", "cache", NULL};
    const sh_word *p = &c->argv[0];
    if (!c->sub) return dw_arena_printf(ctx->a, "%.*s", (int)p->value.len, p->value.ptr);
    bool two = c->npos > 1 && pkg_word_in(c->sub, two_words);
    return dw_arena_printf(ctx->a, "%.*s %.*s%s%.*s", (int)p->value.len, p->value.ptr, (int)c->sub->value.len,
                           c->sub->value.ptr, two ? " " : "", two ? (int)c->pos[1]->value.len : 0,
                           two ? c->pos[1]->value.ptr : "");
}

dw_str prac_cmd_text(const dw_lint *ctx, const sh_cmd *c, const sh_word *last)
{
    dw_span sp = pkg_cmd_span(c, last);
    const dw_dockerfile *df = ctx->df;
    if (sp.end > df->len || sp.end <= sp.start) return c->name;
    dw_str text = dw_str_make(df->src + sp.start, sp.end - sp.start);
    if (text.len > 60 || memchr(text.ptr, '\n', text.len) || memchr(text.ptr, '`', text.len)) return c->name;
    return text;
}

/* ---- paths ---- */

dw_str prac_word_value(const dw_word *w) { return w->has_expanded ? w->expanded : hl_unquote(w->text); }

bool prac_copy_from(const dw_instr *in) { return in->from_stage >= 0 || hl_flag(in, "from") != NULL; }

dw_str prac_copy_source(dw_lint *ctx, const dw_word *w)
{
    dw_str v = prac_word_value(w);
    if (!v.len || dw_str_has_prefix(v, "<<") || ms_contains(v, "://")) return (dw_str){NULL, 0};
    char *clean = dw_arena_alloc(ctx->a, v.len + 2);
    return dw_str_make(clean, dw_go_clean(v.ptr, v.len, clean));
}

bool prac_whole_context(dw_str src) { return dw_str_eqc(src, ".") || dw_str_eqc(src, "/") || dw_str_eqc(src, "*"); }

static dw_str clean_path(dw_arena *a, dw_str p)
{
    char *out = dw_arena_alloc(a, p.len + 2);
    size_t n = dw_go_clean(p.ptr, p.len, out);
    return dw_str_make(out, n);
}

dw_str prac_resolve(dw_lint *ctx, dw_str cwd, dw_str p)
{
    dw_str none = {NULL, 0};
    if (!p.len || dw_str_chr(p, '$') || dw_str_chr(p, '\\') || p.ptr[0] == '~' || (p.len >= 2 && p.ptr[1] == ':'))
        return none;
    if (p.ptr[0] == '/') return clean_path(ctx->a, p);
    if (!cwd.ptr) return none;
    char *joined = dw_arena_printf(ctx->a, "%.*s/%.*s", (int)cwd.len, cwd.ptr, (int)p.len, p.ptr);
    return clean_path(ctx->a, dw_str_c(joined));
}

bool prac_path_within(dw_str dir, dw_str p)
{
    if (!dir.len || !p.len) return false;
    if (dir.len == 1 && dir.ptr[0] == '/') return p.ptr[0] == '/';
    if (p.len < dir.len || memcmp(p.ptr, dir.ptr, dir.len) != 0) return false;
    return p.len == dir.len || p.ptr[dir.len] == '/';
}

const dw_str *prac_workdirs(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    dw_str *at = DW_NEW(ctx->a, dw_str, df->ninstrs + 1);
    dw_str *stage_end = DW_NEW(ctx->a, dw_str, df->nstages + 1);
    dw_str cur = {NULL, 0};
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) {
            stage = in->stage;
            cur = (dw_str){NULL, 0};
            int base = pkg_base_stage(ctx, stage);
            if (base >= 0) cur = stage_end[base];
            /* scratch has no WORKDIR; an image's own is not known here */
            else if (stage >= 0 && df->stages[stage].base_kind == DW_BASE_SCRATCH) cur = dw_str_c("/");
        }
        if (in->kind == DW_I_WORKDIR && in->nargs) cur = prac_resolve(ctx, cur, prac_word_value(&in->args[0]));
        at[i] = cur;
        if (stage >= 0 && (uint32_t)stage < df->nstages) stage_end[stage] = cur;
    }
    return at;
}

/* The instructions of `kind` examined by one look-back at most: a stage
 * with thousands of ENV before each of thousands of RUN would make every
 * RUN walk them all. Past it the look-back finds nothing. */
#define FIND_BACK_MAX 4096

const dw_instr *prac_find_back(dw_lint *ctx, const dw_instr *in, dw_instr_kind kind, prac_instr_fn fn, void *ud)
{
    const dw_dockerfile *df = ctx->df;
    uint32_t n, seen = 0;
    const uint32_t *of = dw_lint_kind_index(ctx, kind, &n);
    int s = in->stage;
    uint32_t end = (uint32_t)(in - df->instrs);
    for (int hops = 0; s >= 0 && (uint32_t)s < df->nstages && hops < 256; hops++) {
        const dw_stage *st = &df->stages[s];
        uint32_t lo = 0, hi = n; /* the first of `of` at or after end */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (of[mid] < end) lo = mid + 1; else hi = mid;
        }
        for (uint32_t k = lo; k-- > 0 && of[k] >= st->first;) {
            if (++seen > FIND_BACK_MAX) return NULL;
            const dw_instr *x = &df->instrs[of[k]];
            if (fn(x, ud)) return x;
        }
        s = pkg_base_stage(ctx, s);
        if (s >= 0 && (uint32_t)s < df->nstages) end = df->stages[s].first + df->stages[s].count;
    }
    return NULL;
}

typedef struct { const char *name; dw_str value; } env_lookup;

static bool env_sets(const dw_instr *x, void *ud)
{
    env_lookup *e = ud;
    for (uint32_t k = x->nkvs; k-- > 0;) {
        if (!dw_str_eqc(x->kvs[k].key.text, e->name)) continue;
        e->value = prac_word_value(&x->kvs[k].value);
        return true;
    }
    return false;
}

dw_str prac_env_value(dw_lint *ctx, const dw_instr *in, const char *name)
{
    env_lookup e = {name, {NULL, 0}};
    prac_find_back(ctx, in, DW_I_ENV, env_sets, &e);
    return e.value;
}

/* ---- stages ---- */

int prac_root_stage(const dw_lint *ctx, int s)
{
    for (int b = pkg_base_stage(ctx, s); b >= 0; b = pkg_base_stage(ctx, s)) s = b;
    return s;
}
