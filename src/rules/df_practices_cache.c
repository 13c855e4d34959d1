/* df_practices_cache.c — BuildKit cache mounts: cache-mount-suggested (a
 * dependency install or build without one) and cache-mount-defeated (one
 * that the RUN makes useless).
 *
 * Which installs get the suggestion. A cache mount pays off when the layer
 * is rebuilt often, and the layers rebuilt often are those that read the
 * project's manifest (requirements.txt, package-lock.json, go.mod …) and
 * those that compile it. An OS package install (apt-get, apk, dnf) or a
 * named tool (`pip install awscli`) changes only when its line does: the
 * layer cache already covers it, and the rules apt-lists-cleanup,
 * apk-no-cache and pip-no-cache-dir already name the cache mount as one
 * way to keep the cache out of the layer. So only dependency installs and
 * builds are reported — whatever --no-cache-dir says, since a mount gives
 * both a small image and a fast rebuild. */
#include "df_practices.h"

#include "hl_util.h"
#include "sh_misc.h"

/* ---- cache-mount-suggested ---- */

/* The option that turns the manager's own cache off, when it has one. */
static const sh_flag *no_cache_flag(const sh_cmd *c)
{
    if (prac_name_is(c, "pip")) return sh_cmd_flag(c, "--no-cache-dir");
    if (sh_cmd_is_any(c, "uv", "poetry", NULL)) return sh_cmd_flag(c, "--no-cache");
    return NULL;
}

void check_cache_mount_suggested(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        /* an ONBUILD RUN is judged where it runs, in the child build */
        if (!r || r->top != r->instr) continue;
        bool seen[PM__COUNT] = {false};
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            prac_pm pm = prac_dep_install(c, true);
            if (pm == PM_NONE || seen[pm]) continue;
            seen[pm] = true;
            if (prac_cache_mount(ctx, r->instr, pm, c)) continue;
            const prac_pm_info *info = prac_pm_get(pm);
            const char *dir = prac_cache_dir(ctx, r->instr, pm, c);
            dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                                   "`%s` starts from an empty %s cache whenever this layer is rebuilt: no cache mount "
                                   "on %s",
                                   prac_cmd_label(ctx, c), info->name, dir);
            if (pm == PM_GO && dir == info->cache)
                dw_diag_help(ctx, d, "add --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/"
                                     "go-build to the RUN: BuildKit keeps them between builds, outside the image");
            else
                dw_diag_help(ctx, d, "add --mount=type=cache,target=%s to the RUN: BuildKit keeps it between builds, "
                                     "outside the image%s",
                             dir, no_cache_flag(c) ? " (and drop the option that turns the cache off)" : "");
        }
    }
}

/* ---- cache-mount-defeated ---- */

#define DOCKER_CLEAN "/etc/apt/apt.conf.d/docker-clean"

static bool is_cache(const dw_mount *m) { return m->type == DW_MOUNT_CACHE && m->has_target; }

/* The mount's target is `path` or one of its ancestors. */
static bool mount_covers(const dw_mount *m, const char *path) { return is_cache(m) && pkg_path_covers(m->target, path); }

/* Index of the first command of the run that takes docker-clean away: an
 * rm (or find -delete) of it or its folder, an mv of it, or a redirection
 * that overwrites it. -1 when none. */
static int64_t docker_clean_gone(const sh_run *r)
{
    const sh_cmd *rm = pkg_rm_after(r, 0, DOCKER_CLEAN);
    int64_t first = rm ? (int64_t)rm->index : -1;
    for (uint32_t k = 0; k < r->ncmds && (first < 0 || k < first); k++) {
        const sh_cmd *c = &r->cmds[k];
        bool hit = false;
        for (uint32_t p = 0; p < c->npos && sh_cmd_is(c, "mv") && !hit; p++) hit = ms_contains(c->pos[p]->value, "docker-clean");
        for (uint32_t d = 0; c->node && d < c->node->nredirs && !hit; d++) {
            const sh_redir *rd = &c->node->redirs[d];
            hit = (rd->kind == SH_R_OUT || rd->kind == SH_R_CLOBBER) && ms_contains(rd->target.value, "docker-clean");
        }
        if (hit) first = k;
    }
    return first;
}

static bool is_apt(const sh_cmd *c) { return sh_cmd_is(c, "apt-get") || sh_cmd_is(c, "apt"); }

/* apt's sub-commands that download packages into /var/cache/apt/archives. */
static const char *const apt_fetchers[] = {"install", "upgrade", "dist-upgrade", "full-upgrade", "reinstall",
                                           "build-dep", "satisfy", NULL};

/* apt on a Debian or Ubuntu image: docker-clean deletes the downloaded
 * packages after each install unless it was taken away before. */
static void apt_defeated(dw_lint *ctx, const sh_run *r, const dw_mount *m, bool gone_before, int64_t gone_at)
{
    for (uint32_t k = 0; k < r->ncmds; k++) {
        const sh_cmd *c = &r->cmds[k];
        if (!is_apt(c) || !pkg_word_in(c->sub, apt_fetchers)) continue;
        if (gone_before || (gone_at >= 0 && gone_at < (int64_t)k)) return;
        dw_diag *d = dw_report(ctx, r->top, m->span,
                               "the cache mount on %.*s stays empty: the image's %s deletes the downloaded packages "
                               "after every `%.*s %.*s`",
                               (int)m->target.len, m->target.ptr, DOCKER_CLEAN, (int)c->name.len, c->name.ptr,
                               (int)c->sub->value.len, c->sub->value.ptr);
        dw_diag_help(ctx, d, "remove it first, in this RUN or an earlier one: rm -f %s", DOCKER_CLEAN);
        if (d) dw_diag_related(ctx, d, pkg_cmd_span(c, c->sub), "packages are downloaded here");
        return;
    }
}

/* The option of command c that bypasses a cache the RUN mounts, or NULL:
 * pip's --no-cache-dir (or PIP_NO_CACHE_DIR=1 given to it), uv's and
 * poetry's --no-cache, apk's --no-cache. */
static const sh_word *bypass(dw_lint *ctx, const sh_cmd *c, const dw_mount *m, const dw_instr *run)
{
    if (sh_cmd_is(c, "apk")) {
        const sh_flag *f = sh_cmd_flag(c, "--no-cache");
        return f && (mount_covers(m, "/var/cache/apk") || mount_covers(m, "/etc/apk/cache")) ? f->word : NULL;
    }
    prac_pm pm = prac_name_is(c, "pip") ? PM_PIP : sh_cmd_is(c, "uv") ? PM_UV : sh_cmd_is(c, "poetry") ? PM_POETRY
                                                                                                      : PM_NONE;
    if (pm == PM_NONE || prac_cache_mount(ctx, run, pm, c) != m) return NULL;
    const sh_flag *f = sh_cmd_flag(c, pm == PM_PIP ? "--no-cache-dir" : "--no-cache");
    if (f) return f->word;
    if (pm != PM_PIP) return NULL;
    dw_str v;
    const sh_word *a = sh_cmd_assign(c, "PIP_NO_CACHE_DIR");
    return a && sh_word_assignment(a, NULL, &v) && !dw_str_eqc(v, "0") && !dw_str_ieqc(v, "false") ? a : NULL;
}

/* The folder an rm argument empties or removes: `dir/<glob>`, `dir/` and
 * `dir` all mean dir. */
static dw_str deleted_dir(dw_str v)
{
    while (v.len > 1 && (v.ptr[v.len - 1] == '*' || v.ptr[v.len - 1] == '/')) v.len--;
    return v;
}

/* An argument of an rm (or the folder of a find -delete) that deletes
 * files on the mount: the target, a path in it, or a folder above it. */
static const sh_word *deletes_on(const sh_cmd *c, const dw_mount *m)
{
    bool rm = sh_cmd_is(c, "rm"), find = sh_cmd_is(c, "find") && sh_cmd_has_arg(c, "-delete");
    if (!rm && !find) return NULL;
    dw_str t = deleted_dir(m->target);
    for (uint32_t p = 0; p < (rm ? c->npos : (c->npos ? 1u : 0u)); p++) {
        const sh_word *w = c->pos[p];
        if (w->flags & SH_W_EXPANDS) continue;
        dw_str v = deleted_dir(w->value);
        if (!v.len || v.ptr[0] != '/' || v.len == 1) continue;
        if (prac_path_within(t, v) || prac_path_within(v, t)) return w;
    }
    return NULL;
}

/* A package manager's own cache cleaning, run against the mount on its
 * cache folder. */
static bool cleans(dw_lint *ctx, const sh_cmd *c, const dw_instr *run, const dw_mount *m)
{
    if (is_apt(c) && (sh_cmd_subcommand_is(c, "clean") || sh_cmd_subcommand_is(c, "dist-clean")))
        return mount_covers(m, "/var/cache/apt/archives");
    if (sh_cmd_is(c, "apk") && sh_cmd_subcommand_is(c, "cache") && c->npos > 1 &&
        (sh_word_is(c->pos[1], "clean") || sh_word_is(c->pos[1], "purge")))
        return mount_covers(m, "/var/cache/apk") || mount_covers(m, "/etc/apk/cache");
    if (sh_cmd_is_any(c, "dnf", "yum", "microdnf", NULL) && sh_cmd_subcommand_is(c, "clean"))
        return mount_covers(m, "/var/cache/dnf") || mount_covers(m, "/var/cache/yum");
    prac_pm pm = PM_NONE;
    if (prac_name_is(c, "pip") && sh_cmd_subcommand_is(c, "cache") && c->npos > 1 &&
        (sh_word_is(c->pos[1], "purge") || sh_word_is(c->pos[1], "remove")))
        pm = PM_PIP;
    else if (sh_cmd_is(c, "uv") && sh_cmd_subcommand_is(c, "cache") && c->npos > 1 &&
             (sh_word_is(c->pos[1], "clean") || sh_word_is(c->pos[1], "prune")))
        pm = PM_UV;
    else if (sh_cmd_is_any(c, "npm", "yarn", NULL) && sh_cmd_subcommand_is(c, "cache") && c->npos > 1 &&
             sh_word_is(c->pos[1], "clean"))
        pm = sh_cmd_is(c, "npm") ? PM_NPM : PM_YARN;
    else if (sh_cmd_is(c, "go") && sh_cmd_subcommand_is(c, "clean") &&
             sh_cmd_has_any_flag(c, "-modcache", "-cache", "--modcache", "--cache", NULL))
        pm = PM_GO;
    else if (sh_cmd_is(c, "composer") && (sh_cmd_subcommand_is(c, "clear-cache") || sh_cmd_subcommand_is(c, "clearcache")))
        pm = PM_COMPOSER;
    return pm != PM_NONE && prac_cache_mount(ctx, run, pm, c) == m;
}

/* The USER a RUN runs as, when the Dockerfile sets a non-root one (in
 * its stage or a stage it is built FROM) with a known value. */
typedef struct {
    const dw_instr *in; /* the USER instruction; NULL: root, or not known */
    dw_str name;        /* the user part, before any ':group' */
} run_user;

static bool has_value(const dw_instr *x, void *ud)
{
    (void)ud;
    return x->nargs > 0;
}

static run_user user_at(dw_lint *ctx, const dw_instr *run)
{
    run_user none = {NULL, {NULL, 0}};
    const dw_instr *x = prac_find_back(ctx, run, DW_I_USER, has_value, NULL);
    if (!x) return none;
    dw_str v = prac_word_value(&x->args[0]);
    const char *colon = dw_str_chr(v, ':');
    dw_str u = colon ? dw_str_make(v.ptr, (size_t)(colon - v.ptr)) : v;
    if (!u.len || dw_str_chr(u, '$') || dw_str_eqc(u, "root") || dw_str_eqc(u, "0")) return none;
    return (run_user){x, u};
}

/* A mode that lets others write (mode=0777, 1777). */
static bool world_writable(dw_str mode)
{
    return mode.len && (mode.ptr[mode.len - 1] == '7' || mode.ptr[mode.len - 1] == '6' ||
                        mode.ptr[mode.len - 1] == '3' || mode.ptr[mode.len - 1] == '2');
}

/* A cache mount the RUN's non-root user cannot use: BuildKit creates the
 * cache folder owned by uid 0 with mode 0755 unless uid=/mode= say
 * otherwise, and a folder under /root cannot even be entered (/root is
 * 0700), whatever the mount's own owner. */
static void unwritable(dw_lint *ctx, const dw_instr *run, const dw_mount *m, const run_user *u)
{
    if (dw_str_chr(m->target, '$')) return;
    dw_str t = m->target;
    const char *uid = hl_is_digits(u->name) ? dw_arena_printf(ctx->a, "%.*s", (int)u->name.len, u->name.ptr)
                                            : dw_arena_printf(ctx->a, "<uid of %.*s>", (int)u->name.len, u->name.ptr);
    dw_diag *d = NULL;
    if (prac_path_within(dw_str_c("/root"), t)) {
        d = dw_report(ctx, run, m->span,
                      "the RUN runs as user `%.*s` (USER on line %u), which cannot enter /root: the cache mount on "
                      "%.*s is never used",
                      (int)u->name.len, u->name.ptr, u->in->line, (int)t.len, t.ptr);
        dw_diag_help(ctx, d, "mount the cache in the user's own home, owned by it "
                             "(--mount=type=cache,target=/home/%.*s/…,uid=%s), or run this RUN before the USER",
                     (int)u->name.len, u->name.ptr, uid);
    } else if (!m->has_uid && !(m->has_mode && world_writable(m->mode))) {
        d = dw_report(ctx, run, m->span,
                      "the cache mount on %.*s belongs to root (no uid=), but the RUN runs as user `%.*s` (USER on "
                      "line %u): nothing can be written to it",
                      (int)t.len, t.ptr, (int)u->name.len, u->name.ptr, u->in->line);
        dw_diag_help(ctx, d, "give the mount to the user: --mount=type=cache,target=%.*s,uid=%s", (int)t.len, t.ptr,
                     uid);
    }
    if (d) dw_diag_related(ctx, d, u->in->span, "the user is set here");
}

void check_cache_mount_defeated(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    /* per stage: a RUN took docker-clean away (slot nstages: before any FROM) */
    bool *gone = DW_NEW(ctx->a, bool, df->nstages + 1);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r || r->top != r->instr) continue;
        int stage = r->top->stage;
        int slot = stage >= 0 && (uint32_t)stage < df->nstages ? stage : (int)df->nstages;
        bool gone_before = false;
        for (int s = slot, steps = 0; s >= 0 && steps < 256 && !gone_before; steps++) {
            gone_before = gone[s];
            s = (uint32_t)s < df->nstages ? pkg_base_stage(ctx, s) : -1;
        }
        int64_t gone_at = docker_clean_gone(r);
        if (gone_at >= 0) gone[slot] = true;
        const dw_instr *run = r->instr;
        run_user user = user_at(ctx, run);
        /* 64 mounts cover any real RUN and bound the work on crafted ones */
        for (uint32_t mi = 0; mi < run->nmounts && mi < 64; mi++) {
            const dw_mount *m = &run->mounts[mi];
            if (!is_cache(m)) continue;
            for (uint32_t k = 0; k < r->ncmds; k++) {
                const sh_cmd *c = &r->cmds[k];
                const sh_word *w = bypass(ctx, c, m, run);
                if (w) {
                    dw_diag *d = dw_report(ctx, r->top, w->span,
                                           "`%.*s` turns the cache off, so the cache mount on %.*s is never used",
                                           (int)w->value.len, w->value.ptr, (int)m->target.len, m->target.ptr);
                    dw_diag_help(ctx, d, "drop `%.*s`: files on a cache mount never reach the image, so the "
                                         "cache costs no space", (int)w->value.len, w->value.ptr);
                    if (d) dw_diag_related(ctx, d, m->span, "the cache mount");
                } else if ((w = deletes_on(c, m)) != NULL) {
                    dw_diag *d = dw_report(ctx, r->top, w->span,
                                           "`%.*s` deletes what the cache mount on %.*s keeps, so every build starts "
                                           "from an empty cache",
                                           (int)c->name.len, c->name.ptr, (int)m->target.len, m->target.ptr);
                    dw_diag_help(ctx, d, "stop deleting `%.*s`: files on a cache mount never reach the image, so "
                                         "the cache costs no space", (int)w->value.len, w->value.ptr);
                    if (d) dw_diag_related(ctx, d, m->span, "the cache mount");
                } else if (cleans(ctx, c, run, m)) {
                    dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->npos > 1 ? c->pos[1] : c->sub),
                                           "`%s` empties the cache mount on %.*s, so every build starts from an empty "
                                           "cache",
                                           prac_cmd_label(ctx, c), (int)m->target.len, m->target.ptr);
                    dw_diag_help(ctx, d, "drop `%s`: files on a cache mount never reach the image, so the cache "
                                         "costs no space", prac_cmd_label(ctx, c));
                    if (d) dw_diag_related(ctx, d, m->span, "the cache mount");
                }
            }
            if (user.in) unwritable(ctx, r->top, m, &user);
            /* docker-clean ships with the Debian and Ubuntu images: a stage
             * of another base has no apt */
            if (mount_covers(m, "/var/cache/apt/archives") && stage >= 0 &&
                df->stages[prac_root_stage(ctx, stage)].base_kind != DW_BASE_SCRATCH)
                apt_defeated(ctx, r, m, gone_before, gone_at);
        }
    }
}
