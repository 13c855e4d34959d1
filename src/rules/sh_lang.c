/* sh_lang.c — the language package-manager rules: pip-pin (DL3013),
 * pip-no-cache-dir (DL3042), npm-pin (DL3016), yarn-cache-clean (DL3060),
 * gem-pin (DL3028), go-install-pin (DL3062).
 *
 * Each looks at the real commands of every RUN and ONBUILD RUN (the model
 * in src/shell/sh_cmd.h: `python -m pip`, `sudo pip`, `sh -c '…'` and
 * heredoc bodies included, quoted text and echo arguments never), and
 * reports each unpinned package at its own word where hadolint reports the
 * instruction once. A package that is only a variable (`pip install $PKGS`)
 * is not known before the build and is not judged. */
#include "df_practices.h"
#include "sh_misc.h"

#include "hl_util.h"

/* ---- pip ---- */

/* pip's options that take a value, from pip's manual, plus hadolint's
 * drop list for DL3013 (-b/--build, --root-user-action); pipx shares the
 * spelling of the ones it has (--python, --index-url, …). */
static const sh_flagspec pip_spec = {
    "rcietfdb",
    "requirement constraint editable index-url extra-index-url find-links target prefix root src platform "
    "python-version implementation abi upgrade-strategy progress-bar log proxy retries timeout exists-action "
    "trusted-host cert client-cert cache-dir global-option install-option config-settings only-binary "
    "no-binary report python dest build root-user-action pip-args suffix",
    false};

/* pip, pip3, pip3.12, and pip run as `python -m pip` (the model names that
 * command pip); pipx when `pipx` is true. Never pipenv, whose install
 * writes a lock file, nor pip-compile and friends. */
static bool is_pip_name(dw_str n, bool pipx)
{
    if (!dw_str_has_prefix(n, "pip")) return false;
    size_t i = 3;
    if (pipx && n.len > 3 && n.ptr[3] == 'x') i = 4;
    for (; i < n.len; i++)
        if (!((n.ptr[i] >= '0' && n.ptr[i] <= '9') || n.ptr[i] == '.')) return false;
    return true;
}

/* When c is `pip install …`, fills *out with it re-read under pip's option
 * table (so `--index-url URL` is one option, not a package). */
static bool pip_install(dw_lint *ctx, const sh_cmd *c, bool pipx, sh_cmd *out)
{
    if (!is_pip_name(c->name, pipx)) return false;
    *out = *c;
    sh_cmd_reclassify(ctx->a, out, &pip_spec);
    return sh_cmd_subcommand_is(out, "install");
}

/* A VCS requirement (git+https://…, hg+ssh://…, svn://…). */
static bool pip_is_vcs(dw_str p)
{
    static const char *const vcs[] = {"git+", "git://", "hg+", "svn+", "svn://", "bzr+"};
    for (size_t i = 0; i < sizeof vcs / sizeof vcs[0]; i++)
        if (dw_str_has_prefix(p, vcs[i])) return true;
    return false;
}

/* hadolint's DL3013 test, made precise for VCS URLs: a version operator;
 * a VCS URL with `@ref` after its path (not the `git@` of the host); a
 * wheel or sdist file; any other path or URL; `.` and `..`. */
static bool pip_pinned(dw_str p)
{
    static const char *const ops[] = {"==", ">=", "<=", "!=", "~=", ">", "<"};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (ms_contains(p, ops[i])) return true;
    if (pip_is_vcs(p)) {
        const char *hash = dw_str_chr(p, '#');
        dw_str q = hash ? dw_str_make(p.ptr, (size_t)(hash - p.ptr)) : p;
        dw_str last = ms_basename(q);
        return dw_str_chr(last, '@') != NULL;
    }
    static const char *const files[] = {".whl", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".zip"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (ms_has_suffix(p, files[i])) return true;
    return dw_str_chr(p, '/') || dw_str_eqc(p, ".") || dw_str_eqc(p, "..");
}

void check_pip_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            sh_cmd c;
            if (!pip_install(ctx, &r->cmds[k], true, &c)) continue;
            /* a constraints file pins whatever is named */
            if (sh_cmd_has_any_flag(&c, "-c", "--constraint", NULL)) continue;
            for (uint32_t p = 1; p < c.npos; p++) {
                const sh_word *w = c.pos[p];
                if (ms_arg_unknown(&c, w) || pip_pinned(w->value) || sh_word_is(w, "install")) continue;
                dw_diag *d = dw_report(ctx, r->top, w->span, "%.*s package `%.*s` is not pinned to a version", (int)c.name.len,
                                       c.name.ptr, (int)w->value.len, w->value.ptr);
                dw_diag_help(ctx, d, "pin it (`%.*s==<version>`), or install from a requirements or constraints file with "
                             "pinned versions",
                             (int)w->value.len, w->value.ptr);
            }
        }
    }
}

/* PIP_NO_CACHE_DIR values that turn the cache off (hadolint's list, in
 * any case). */
static bool truthy(dw_str v)
{
    return dw_str_eqc(v, "1") || dw_str_ieqc(v, "true") || dw_str_ieqc(v, "on") || dw_str_ieqc(v, "yes");
}

/* The value an ENV pair sets, as the build sees it. */
static dw_str env_value(const dw_kv *kv)
{
    return kv->value.has_expanded ? kv->value.expanded : hl_unquote(kv->value.text);
}

/* PIP_NO_CACHE_DIR given to the command itself: `PIP_NO_CACHE_DIR=1 pip …`,
 * `env PIP_NO_CACHE_DIR=1 pip …`. Returns -1 when not given, else 0/1. */
static int cmd_no_cache(const sh_cmd *c)
{
    dw_str v;
    for (const sh_cmd *x = c; x; x = x->wrapper) {
        const sh_word *a = sh_cmd_assign(x, "PIP_NO_CACHE_DIR");
        if (a && sh_word_assignment(a, NULL, &v)) return truthy(v);
    }
    return -1;
}

/* What a run does about pip's cache, read once: the first `export
 * PIP_NO_CACHE_DIR=<true>` (or declare -x / typeset), and the last `pip
 * cache purge` or rm of ~/.cache/pip (or all of ~/.cache). */
typedef struct {
    uint32_t export_at;  /* UINT32_MAX: none */
    uint32_t purge_at;   /* index + 1 of the last purge; 0: none */
} pip_cache_info;

static pip_cache_info pip_cache_scan(const sh_run *r)
{
    pip_cache_info pc = {UINT32_MAX, 0};
    for (uint32_t i = 0; i < r->ncmds; i++) {
        const sh_cmd *x = &r->cmds[i];
        if (sh_cmd_is_any(x, "export", "declare", "typeset", NULL)) {
            for (uint32_t k = 1; k < x->argc && pc.export_at == UINT32_MAX; k++) {
                dw_str n, v;
                if (sh_word_assignment(&x->argv[k], &n, &v) && dw_str_eqc(n, "PIP_NO_CACHE_DIR") && truthy(v)) pc.export_at = i;
            }
        } else if (is_pip_name(x->name, false) && sh_cmd_subcommand_is(x, "cache") && x->npos > 1 &&
                   (sh_word_is(x->pos[1], "purge") || sh_word_is(x->pos[1], "remove"))) {
            pc.purge_at = i + 1;
        } else if (sh_cmd_is(x, "rm")) {
            for (uint32_t k = 0; k < x->npos; k++) {
                dw_str v = x->pos[k]->value;
                if (ms_contains(v, ".cache/pip") || ms_has_suffix(v, "/.cache") || ms_has_suffix(v, "/.cache/")) pc.purge_at = i + 1;
            }
        }
    }
    return pc;
}

/* A cache or tmpfs mount on a whole ~/.cache (pip's cache is inside). */
static bool home_cache_mount(const dw_instr *run)
{
    for (uint32_t i = 0; i < run->nmounts; i++) {
        const dw_mount *m = &run->mounts[i];
        if ((m->type != DW_MOUNT_CACHE && m->type != DW_MOUNT_TMPFS) || !m->has_target) continue;
        dw_str t = m->target;
        while (t.len > 1 && t.ptr[t.len - 1] == '/') t.len--;
        if (ms_has_suffix(t, "/.cache")) return true;
    }
    return false;
}

void check_pip_no_cache_dir(dw_lint *ctx)
{
    static const char *const mounts[] = {".cache/pip", NULL};
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    /* PIP_NO_CACHE_DIR from ENV: per stage, inherited through FROM <stage>
     * (an image keeps its ENV); an ENV before the first FROM reaches no
     * stage. An ONBUILD RUN runs in a child build, with every ENV of its
     * stage in effect, and with the ONBUILD ENVs before it. */
    bool *stage_env = DW_NEW(ctx->a, bool, df->nstages + 1);
    bool *at = DW_NEW(ctx->a, bool, df->ninstrs + 1);
    bool cur = false, onbuild_env = false;
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) {
            stage = in->stage;
            cur = false;
            if (stage >= 0) {
                const dw_stage *s = &df->stages[stage];
                if (s->base_kind == DW_BASE_STAGE && s->base_stage >= 0 && s->base_stage < stage) cur = stage_env[s->base_stage];
            }
        }
        const dw_instr *t = in->kind == DW_I_ONBUILD ? in->sub : in;
        if (t && t->kind == DW_I_ENV) {
            for (uint32_t k = 0; k < t->nkvs; k++) {
                if (!dw_str_eqc(t->kvs[k].key.text, "PIP_NO_CACHE_DIR")) continue;
                bool on = truthy(env_value(&t->kvs[k]));
                if (t == in) cur = on;
                else onbuild_env = on;
            }
        }
        at[i] = t == in ? cur : onbuild_env;
        if (stage >= 0) stage_env[stage] = cur;
    }
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r || at[i] || (ms_onbuild(r) && r->top->stage >= 0 && stage_env[r->top->stage])) continue;
        if (ms_cache_mount(r->instr, mounts) || home_cache_mount(r->instr)) continue;
        pip_cache_info pc = {UINT32_MAX, 0};
        bool scanned = false;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            sh_cmd c;
            if (!pip_install(ctx, &r->cmds[k], false, &c)) continue;
            if (sh_cmd_has_flag(&c, "--no-cache-dir") || sh_cmd_has_arg(&c, "--no-cache-dir")) continue;
            /* a cache mount where PIP_CACHE_DIR (or --cache-dir) points keeps the cache out of the layer */
            if (prac_cache_mount(ctx, r->instr, PM_PIP, &r->cmds[k])) continue;
            int own = cmd_no_cache(&r->cmds[k]);
            if (own == 1) continue;
            if (!scanned) { pc = pip_cache_scan(r); scanned = true; }
            if ((own < 0 && pc.export_at < k) || k < pc.purge_at) continue;
            dw_diag *d = dw_report(ctx, r->top, c.sub->span, "%.*s install without --no-cache-dir keeps pip's download cache in the layer",
                                   (int)c.name.len, c.name.ptr);
            dw_diag_help(ctx, d, "add --no-cache-dir (or set ENV PIP_NO_CACHE_DIR=1, or mount the cache: "
                         "RUN --mount=type=cache,target=/root/.cache/pip)");
            ms_insert_arg_after(ctx, d, &r->cmds[k], c.sub, "--no-cache-dir");
        }
    }
}

/* ---- npm ---- */

/* hadolint's DL3016 test, and `@latest`, which names no version: a git
 * URL (or github:/gitlab:/bitbucket: shorthand) with `#ref`; a tarball; a
 * folder; `name@version` (after the `@scope/` prefix). */
static bool npm_pinned(dw_str p, bool *latest)
{
    static const char *const git[] = {"git://", "git+ssh://", "git+http://", "git+https://", "github:", "gitlab:", "bitbucket:"};
    *latest = false;
    for (size_t i = 0; i < sizeof git / sizeof git[0]; i++)
        if (dw_str_has_prefix(p, git[i])) return dw_str_chr(p, '#') != NULL;
    if (ms_has_suffix(p, ".tar") || ms_has_suffix(p, ".tar.gz") || ms_has_suffix(p, ".tgz")) return true;
    if (dw_str_has_prefix(p, "/") || dw_str_has_prefix(p, "./") || dw_str_has_prefix(p, "../") || dw_str_has_prefix(p, "~/") ||
        dw_str_has_prefix(p, "file:") || dw_str_eqc(p, ".") || dw_str_eqc(p, ".."))
        return true;
    dw_str name = p;
    if (dw_str_has_prefix(name, "@")) { /* @scope/name */
        const char *slash = dw_str_chr(name, '/');
        if (slash) name = dw_str_make(slash + 1, name.len - (size_t)(slash + 1 - name.ptr));
    }
    const char *at = dw_str_chr(name, '@');
    if (!at) return false;
    dw_str ver = dw_str_make(at + 1, name.len - (size_t)(at + 1 - name.ptr));
    if (dw_str_eqc(ver, "latest")) { *latest = true; return false; }
    return true;
}

void check_npm_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "npm"); c; c = sh_run_next(r, c, "npm")) {
            /* npm install and its aliases i and add (npm ci installs the lock file) */
            if (!sh_cmd_subcommand_is(c, "install") && !sh_cmd_subcommand_is(c, "i") && !sh_cmd_subcommand_is(c, "add")) continue;
            for (uint32_t p = 1; p < c->npos; p++) {
                const sh_word *w = c->pos[p];
                bool latest;
                if (ms_arg_unknown(c, w) || npm_pinned(w->value, &latest)) continue;
                dw_diag *d;
                if (latest)
                    d = dw_report(ctx, r->top, w->span, "npm package `%.*s` asks for the latest version instead of a pinned one",
                                  (int)w->value.len, w->value.ptr);
                else
                    d = dw_report(ctx, r->top, w->span, "npm package `%.*s` is not pinned to a version", (int)w->value.len,
                                  w->value.ptr);
                dw_str base = w->value;
                if (latest) base.len -= 7; /* "@latest" */
                dw_diag_help(ctx, d, "pin it (`%.*s@<version>`), or install from package.json and its lock file with `npm ci`",
                             (int)base.len, base.ptr);
            }
        }
    }
}

/* ---- yarn ---- */

/* yarn install, yarn add, yarn global add, and a bare `yarn` (which
 * installs); not `yarn --version`. */
static bool yarn_installs(const sh_cmd *c)
{
    if (!sh_cmd_is(c, "yarn")) return false;
    if (!c->npos) return !sh_cmd_has_any_flag(c, "--version", "-v", "--help", "-h", NULL);
    if (sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "add")) return true;
    return sh_cmd_subcommand_is(c, "global") && c->npos > 1 && sh_word_is(c->pos[1], "add");
}

/* `yarn cache clean`, or rm of yarn's cache folder (also through
 * `$(yarn cache dir)`). */
static bool yarn_cleans(const sh_cmd *c)
{
    if (sh_cmd_is(c, "yarn")) return sh_cmd_subcommand_is(c, "cache") && c->npos > 1 && sh_word_is(c->pos[1], "clean");
    if (!sh_cmd_is(c, "rm")) return false;
    for (uint32_t k = 0; k < c->npos; k++) {
        dw_str v = c->pos[k]->value;
        if (ms_contains(v, ".cache/yarn") || ms_contains(v, ".yarn-cache") || ms_contains(v, "yarn cache dir") ||
            ms_contains(v, ".yarn/cache") || ms_contains(v, "/.yarn/berry/cache"))
            return true;
    }
    return false;
}

void check_yarn_cache_clean(dw_lint *ctx)
{
    static const char *const mounts[] = {".cache/yarn", ".yarn/cache", ".yarn/berry", "yarn-cache", NULL};
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = ms_image_stages(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        /* only a cache left in a layer of the image matters; an ONBUILD
         * trigger runs in whatever image is built from this one */
        if (!ms_onbuild(r) && !ms_in_image(img, r->top->stage)) continue;
        if (ms_cache_mount(r->instr, mounts)) continue;
        int64_t last_clean = -1;
        for (uint32_t k = 0; k < r->ncmds; k++)
            if (yarn_cleans(&r->cmds[k])) last_clean = k;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (!yarn_installs(c) || (int64_t)k < last_clean) continue;
            const sh_word *w = c->sub ? c->sub : &c->argv[0];
            dw_str what = c->sub ? c->sub->value : dw_str_c("yarn");
            dw_diag *d = dw_report(ctx, r->top, w->span,
                                   "`%s%.*s` leaves yarn's package cache in the layer: no `yarn cache clean` after it",
                                   c->sub ? "yarn " : "", (int)what.len, what.ptr);
            dw_diag_help(ctx, d, "append `&& yarn cache clean` to this RUN, or mount the cache "
                         "(RUN --mount=type=cache,target=/usr/local/share/.cache/yarn)");
        }
    }
}

/* ---- gem ---- */

/* Options of `gem install` that take a value (gem's manual). */
static const sh_flagspec gem_spec = {"vinPsgp", "version install-dir bindir source platform trust-policy build-root file document "
                                     "http-proxy target-rbconfig", false};

/* A word that can only be an option's value, never a gem: hadolint drops
 * the word after any option, which is wrong for `--no-document rails` but
 * right for `--flag true`. */
static bool boolean_word(dw_str v)
{
    return dw_str_eqc(v, "true") || dw_str_eqc(v, "false") || dw_str_eqc(v, "yes") || dw_str_eqc(v, "no");
}

void check_gem_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *g = sh_run_next(r, NULL, "gem"); g; g = sh_run_next(r, g, "gem")) {
            sh_cmd c = *g;
            sh_cmd_reclassify(ctx->a, &c, &gem_spec);
            if (!sh_cmd_subcommand_is(&c, "install") && !sh_cmd_subcommand_is(&c, "i")) continue;
            if (sh_cmd_has_any_flag(&c, "-v", "--version", NULL)) continue; /* one version for the gems named */
            /* words after `--` are build options for the gem's extension */
            uint32_t dd = c.argc;
            for (uint32_t k = 1; k < c.argc; k++)
                if (dw_str_eqc(c.argv[k].value, "--")) { dd = k; break; }
            for (uint32_t p = 1; p < c.npos; p++) {
                const sh_word *w = c.pos[p];
                if ((uint32_t)(w - c.argv) >= dd) break;
                dw_str v = w->value;
                const sh_word *prev = w - 1;
                if (boolean_word(v) && prev->value.len > 1 && prev->value.ptr[0] == '-') continue;
                if (ms_arg_unknown(g, w) || dw_str_chr(v, ':') || ms_has_suffix(v, ".gem")) continue;
                dw_diag *d = dw_report(ctx, r->top, w->span, "gem `%.*s` is installed without a version", (int)v.len, v.ptr);
                dw_diag_help(ctx, d, "pin it: `gem install %.*s:<version>` (or `-v <version>`)", (int)v.len, v.ptr);
            }
        }
    }
}

/* ---- go ---- */

/* Versions that name no fixed module version (go help get, go help install). */
static bool go_moving(dw_str ver)
{
    return dw_str_eqc(ver, "latest") || dw_str_eqc(ver, "upgrade") || dw_str_eqc(ver, "patch") ||
           dw_str_eqc(ver, "master") || dw_str_eqc(ver, "main") || dw_str_eqc(ver, "HEAD");
}

/* Reports package word w of a go command when it is a remote package without
 * a fixed @version. Local packages (`.`, `./x`, `/go/src/x`) and the
 * patterns all/std/cmd build what is already there. */
static void go_check_pkg(dw_lint *ctx, const sh_run *r, const sh_cmd *c, const char *verb, const sh_word *w)
{
    dw_str v = w->value;
    if (ms_arg_unknown(c, w) || !v.len || v.ptr[0] == '.' || v.ptr[0] == '/' || v.ptr[0] == '-') return;
    if (dw_str_eqc(v, "all") || dw_str_eqc(v, "std") || dw_str_eqc(v, "cmd") || dw_str_eqc(v, "tool")) return;
    const char *at = NULL;
    for (size_t i = v.len; i > 0; i--)
        if (v.ptr[i - 1] == '@') { at = v.ptr + i - 1; break; }
    dw_str pkg = at ? dw_str_make(v.ptr, (size_t)(at - v.ptr)) : v;
    if (at) {
        dw_str ver = dw_str_make(at + 1, v.len - pkg.len - 1);
        if (!go_moving(ver)) return;
        dw_diag *d = dw_report(ctx, r->top, w->span, "go %s of `%.*s` asks for `@%.*s`, which is not a fixed version", verb,
                               (int)pkg.len, pkg.ptr, (int)ver.len, ver.ptr);
        dw_diag_help(ctx, d, "pin a version: `%.*s@v1.2.3`", (int)pkg.len, pkg.ptr);
        return;
    }
    dw_diag *d = dw_report(ctx, r->top, w->span, "go %s of `%.*s` without a version", verb, (int)pkg.len, pkg.ptr);
    dw_diag_help(ctx, d, "pin a version: `%.*s@v1.2.3`", (int)pkg.len, pkg.ptr);
}

void check_go_install_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "go"); c; c = sh_run_next(r, c, "go")) {
            if (sh_cmd_subcommand_is(c, "run")) {
                /* the first argument is the package; the rest are its arguments */
                if (c->npos > 1) go_check_pkg(ctx, r, c, "run", c->pos[1]);
            } else if (sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "get")) {
                const char *verb = sh_cmd_subcommand_is(c, "get") ? "get" : "install";
                for (uint32_t p = 1; p < c->npos; p++) go_check_pkg(ctx, r, c, verb, c->pos[p]);
            }
        }
    }
}
