/* sh_pkg_os.c — the Debian and Alpine package-manager rules: apt-pin
 * (DL3008), apt-lists-cleanup (DL3009), apt-yes (DL3014), apt-no-recommends
 * (DL3015), apt-not-apt-get (DL3027), apt-update-alone (ours), apk-pin
 * (DL3018) and apk-no-cache (DL3019). The yum, dnf and zypper rules are in
 * sh_pkg_rpm.c; the helpers in sh_pkg_common.c.
 *
 * hadolint reports once per instruction, at its first line; we report per
 * package, or per command, at the exact word. Where we read a command more
 * precisely than hadolint (sub-commands rather than "some argument is
 * install", the values of options such as -o, cleanups that really delete
 * the directory) tests/KNOWN-GAPS.md says so. Every check is one pass over
 * the commands of each RUN. */
#include "sh_pkg.h"

/* apt-get and apt share their command line (aptitude's differs: only its
 * `update` is looked at, by apt-lists-cleanup and apt-update-alone). */
static bool is_apt(const sh_cmd *c) { return sh_cmd_is(c, "apt-get") || sh_cmd_is(c, "apt"); }
/* An `apt-get install` that installs: with -s (--simulate, --dry-run, …)
 * it only prints what it would do, prompts for nothing and downloads
 * nothing (postgres probes for an optional package that way). */
static bool is_apt_install(const sh_cmd *c)
{
    return is_apt(c) && sh_cmd_subcommand_is(c, "install") &&
           !sh_cmd_has_any_flag(c, "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", NULL);
}

/* An -o/--option value NAME=VALUE with a true (or, with want_false, false)
 * value: apt's configuration given on the command line. */
static bool apt_option(const sh_cmd *c, const char *name, bool want_false)
{
    size_t n = strlen(name);
    for (uint32_t i = 0; i < c->nflags; i++) {
        const sh_flag *f = &c->flags[i];
        if (!f->has_value || !(dw_str_eqc(f->name, "o") || dw_str_eqc(f->name, "option"))) continue;
        dw_str v = f->value;
        if (v.len <= n || v.ptr[n] != '=' || !dw_str_ieq(dw_str_make(v.ptr, n), dw_str_make(name, n))) continue;
        dw_str val = dw_str_sub(v, n + 1, v.len);
        bool t = dw_str_ieqc(val, "true") || dw_str_eqc(val, "1") || dw_str_ieqc(val, "yes");
        bool f0 = dw_str_ieqc(val, "false") || dw_str_eqc(val, "0") || dw_str_ieqc(val, "no");
        if (want_false ? f0 : t) return true;
    }
    return false;
}

/* ---- apt-pin (DL3008) ---- */

/* hadolint's test: `pkg=version`, a target release `pkg/release`, or a
 * local .deb file. */
static bool apt_pinned(dw_str t)
{
    if (dw_str_chr(t, '=') || dw_str_chr(t, '/')) return true;
    return t.len > 4 && memcmp(t.ptr + t.len - 4, ".deb", 4) == 0;
}

void check_apt_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!is_apt_install(c)) continue;
        for (uint32_t p = 1; p < c->npos; p++) {
            const sh_word *w = c->pos[p];
            if (pkg_word_opaque(w)) continue; /* a list held in a variable: not seen */
            dw_str t = pkg_word_text(ctx, w);
            if (!t.len || apt_pinned(t)) continue;
            dw_diag *d = dw_report(ctx, r->top, w->span, "package `%.*s` is installed without a pinned version",
                                   (int)w->value.len, w->value.ptr);
            dw_diag_help(ctx, d, "pin it: %.*s install %.*s=<version>", (int)c->name.len, c->name.ptr,
                         (int)w->value.len, w->value.ptr);
        }
    }
}

/* ---- apt-yes (DL3014) ---- */

/* apt's quiet level from -q, -qq, -q -q, -q=N, --quiet, --quiet=N. */
static long apt_quiet(const sh_cmd *c)
{
    long level = 0;
    for (uint32_t i = 0; i < c->nflags; i++) {
        const sh_flag *f = &c->flags[i];
        dw_str num = {NULL, 0};
        if (f->is_long) {
            if (!dw_str_eqc(f->name, "quiet")) continue;
            if (f->has_value) num = f->value;
        } else {
            if (!dw_str_eqc(f->name, "q")) continue;
            /* "-q=2" (the bundle reader also made flags "=" and "2") */
            dw_str v = f->word->value;
            if (v.len > 3 && v.ptr[1] == 'q' && v.ptr[2] == '=') num = dw_str_sub(v, 3, v.len);
        }
        if (!num.ptr) { level++; continue; }
        level = 0;
        for (size_t k = 0; k < num.len && num.ptr[k] >= '0' && num.ptr[k] <= '9' && level < 100; k++)
            level = level * 10 + (num.ptr[k] - '0');
    }
    return level;
}

/* `yes | apt-get install …`: an earlier command of the same pipeline is
 * `yes`. Looks back at most 64 commands (a pipeline's commands are close). */
static bool piped_yes(const sh_cmd *c)
{
    if (!c->pipeline || c->pipe_pos == 0) return false;
    const sh_run *r = c->run;
    for (uint32_t i = c->index, n = 0; i-- > 0 && n < 64; n++) {
        const sh_cmd *p = &r->cmds[i];
        if (p->pipeline == c->pipeline && p->pipe_pos < c->pipe_pos && sh_cmd_is(p, "yes")) return true;
    }
    return false;
}

static bool apt_assumes_yes(const sh_cmd *c)
{
    if (sh_cmd_has_any_flag(c, "-y", "--yes", "--assume-yes", "--qq", NULL)) return true;
    /* a quiet level of 2 implies -y (apt-get(8)) */
    if (apt_quiet(c) >= 2) return true;
    return apt_option(c, "APT::Get::Assume-Yes", false) || piped_yes(c);
}

void check_apt_yes(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!is_apt_install(c) || apt_assumes_yes(c)) continue;
        dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                               "`%.*s install` without -y: the build cannot answer its confirmation prompt",
                               (int)c->name.len, c->name.ptr);
        dw_diag_help(ctx, d, "add -y: %.*s install -y …", (int)c->name.len, c->name.ptr);
        pkg_fix_insert_after(ctx, d, c, c->sub, " -y");
    }
}

/* ---- apt-no-recommends (DL3015) ---- */

void check_apt_no_recommends(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!is_apt_install(c) || sh_cmd_has_flag(c, "--no-install-recommends") ||
            apt_option(c, "APT::Install-Recommends", true) || sh_cmd_has_arg(c, "APT::Install-Recommends=false"))
            continue;
        dw_diag *d =
            dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                      "`%.*s install` without --no-install-recommends also installs every recommended package",
                      (int)c->name.len, c->name.ptr);
        dw_diag_help(ctx, d,
                     "add --no-install-recommends and list what you need: %.*s install --no-install-recommends …",
                     (int)c->name.len, c->name.ptr);
        pkg_fix_insert_after(ctx, d, c, c->sub, " --no-install-recommends");
    }
}

/* ---- apt-not-apt-get (DL3027) ---- */

/* apt's sub-commands that apt-get runs the same way (apt's `upgrade` also
 * installs new dependencies, and list/search/show are apt-cache's). */
static const char *const same_in_apt_get[] = {
    "install", "remove", "purge", "update", "autoremove", "autopurge", "clean", "autoclean", "build-dep",
    "source", "download", "check", "satisfy", "dist-upgrade", NULL};

void check_apt_not_apt_get(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!sh_cmd_is(c, "apt")) continue;
        dw_diag *d =
            dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                      "`apt%s%.*s` in a script: apt is meant for terminals and its command line is not stable",
                      c->sub ? " " : "", c->sub ? (int)c->sub->value.len : 0, c->sub ? c->sub->value.ptr : "");
        bool same = pkg_word_in(c->sub, same_in_apt_get);
        if (same) dw_diag_help(ctx, d, "use apt-get: apt-get %.*s …", (int)c->sub->value.len, c->sub->value.ptr);
        else dw_diag_help(ctx, d, "use apt-get (install, upgrade, …) or apt-cache (search, show, policy)");
        /* /usr/bin/apt becomes /usr/bin/apt-get: "-get" right after the word */
        if (same) pkg_fix_insert_after(ctx, d, c, &c->argv[0], "-get");
    }
}

/* ---- apt-lists-cleanup (DL3009) ---- */

static const char *const apt_updaters[] = {"apt-get", "apt", "aptitude", NULL};

static bool is_apt_update(const sh_cmd *c)
{
    for (const char *const *n = apt_updaters; *n; n++)
        if (sh_cmd_is(c, *n)) return sh_cmd_subcommand_is(c, "update");
    return false;
}

/* A command that downloads the package lists: `update`, or apt 3's
 * `install --update` (also upgrade and dist-upgrade), which updates first. */
static bool fetches_lists(const sh_cmd *c)
{
    static const char *const with_update[] = {"install", "upgrade", "dist-upgrade", "full-upgrade", NULL};
    return is_apt_update(c) || (is_apt(c) && pkg_word_in(c->sub, with_update) && sh_cmd_has_flag(c, "--update"));
}

/* apt's sub-commands that download .deb files into /var/cache/apt/archives. */
static const char *const apt_fetchers[] = {"install", "upgrade", "dist-upgrade", "full-upgrade", "reinstall",
                                           "build-dep", "satisfy", NULL};

/* Index of the last command at which `path` stops being in the layer: an
 * rm of it, or for the lists `apt-get dist-clean` (apt 2.7), for the
 * archives `apt-get clean`. -1 when none. */
static int64_t apt_last_cleanup(const sh_run *r, const char *path, const char *sub)
{
    int64_t last = pkg_rm_last(r, path);
    for (uint32_t i = r->ncmds; i-- > 0 && (int64_t)i > last;)
        if (is_apt(&r->cmds[i]) &&
            (sh_cmd_subcommand_is(&r->cmds[i], sub) || sh_cmd_subcommand_is(&r->cmds[i], "dist-clean")))
            return i;
    return last;
}

#define DOCKER_CLEAN "/etc/apt/apt.conf.d/docker-clean"

/* docker-clean (shipped by the Debian and Ubuntu images) makes apt delete
 * the downloaded .deb files after each install; removing it, as cache-mount
 * recipes do, keeps them in /var/cache/apt/archives. removed[s] says a RUN
 * of stage s deleted it, removed_ob[s] an ONBUILD RUN (which only runs in
 * the builds FROM this image). Slot nstages stands for "before any FROM". */
static bool docker_clean_removed(const dw_lint *ctx, const bool *removed, const bool *removed_ob, int slot,
                                 bool onbuild)
{
    int s = slot;
    for (int steps = 0; s >= 0 && steps < 256; steps++) {
        if (removed[s] || (onbuild && removed_ob[s])) return true;
        if ((uint32_t)s >= ctx->df->nstages) break;
        s = pkg_base_stage(ctx, s);
    }
    return false;
}

void check_apt_lists_cleanup(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);
    bool *removed = DW_NEW(ctx->a, bool, df->nstages + 1), *removed_ob = DW_NEW(ctx->a, bool, df->nstages + 1);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r) continue;
        bool onbuild = r->top != r->instr;
        int slot = r->top->stage >= 0 && (uint32_t)r->top->stage < df->nstages ? r->top->stage : (int)df->nstages;
        bool dc_before = docker_clean_removed(ctx, removed, removed_ob, slot, onbuild);
        const sh_cmd *dc = pkg_rm_after(r, 0, DOCKER_CLEAN);
        if (dc) (onbuild ? removed_ob : removed)[slot] = true;
        if (!pkg_layer_shipped(img, ctx, r)) continue;

        /* the lists: every update after the last cleanup leaves them */
        if (!pkg_mount_covers(r, "/var/lib/apt/lists")) {
            int64_t clean = apt_last_cleanup(r, "/var/lib/apt/lists", "dist-clean");
            dw_diag *last = NULL;
            for (uint32_t k = (uint32_t)(clean + 1); k < r->ncmds; k++) {
                const sh_cmd *c = &r->cmds[k];
                if (!fetches_lists(c)) continue;
                dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                                       "`%.*s %.*s%s` leaves the package lists in /var/lib/apt/lists in this layer",
                                       (int)c->name.len, c->name.ptr, (int)c->sub->value.len, c->sub->value.ptr,
                                       is_apt_update(c) ? "" : " --update");
                dw_diag_help(ctx, d, "delete them in the same RUN: … && rm -rf /var/lib/apt/lists/*, or use "
                                     "--mount=type=cache,target=/var/lib/apt/lists");
                if (d) last = d;
            }
            pkg_fix_append(ctx, last, r, " && rm -rf /var/lib/apt/lists/*");
        }

        /* the archives, when docker-clean is gone */
        if ((dc_before || dc) && !pkg_mount_covers(r, "/var/cache/apt/archives")) {
            int64_t clean = apt_last_cleanup(r, "/var/cache/apt/archives", "clean");
            for (uint32_t k = (uint32_t)(clean + 1); k < r->ncmds; k++) {
                const sh_cmd *c = &r->cmds[k];
                if (!is_apt(c) || !pkg_word_in(c->sub, apt_fetchers)) continue;
                if (!dc_before && dc->index > c->index) continue; /* removed after this install */
                dw_diag *d =
                    dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                              "`%.*s %.*s` keeps the downloaded packages in /var/cache/apt/archives in this layer: "
                              "docker-clean was removed",
                              (int)c->name.len, c->name.ptr, (int)c->sub->value.len, c->sub->value.ptr);
                dw_diag_help(ctx, d, "mount the cache too (--mount=type=cache,target=/var/cache/apt,sharing=locked), "
                                     "or run apt-get clean in the same RUN");
            }
        }
    }
}

/* ---- apt-update-alone (ours) ---- */

static bool is_rpm_tool(const sh_cmd *c) { return sh_cmd_is_any(c, "yum", "dnf", "microdnf", "tdnf", NULL); }

/* A package index refresh: apt-get/apt/aptitude update, apk update, yum/dnf
 * makecache, zypper refresh. */
static bool is_index_update(const sh_cmd *c)
{
    if (is_apt_update(c) || (sh_cmd_is(c, "apk") && sh_cmd_subcommand_is(c, "update"))) return true;
    if (is_rpm_tool(c)) return sh_cmd_subcommand_is(c, "makecache");
    if (sh_cmd_is(c, "zypper")) return sh_cmd_subcommand_is(c, "refresh") || sh_cmd_subcommand_is(c, "ref");
    return false;
}

/* Package-manager work that reads the index (installs, upgrades, queries):
 * any sub-command of those tools but the refresh itself and cache or
 * repository housekeeping. */
static bool uses_index(const sh_cmd *c)
{
    static const char *const apt_not[] = {"update", "clean", "autoclean", "dist-clean", NULL};
    static const char *const apk_not[] = {"update", "cache", NULL};
    static const char *const rpm_not[] = {"makecache", "clean", NULL};
    static const char *const zyp_not[] = {"refresh", "ref", "clean", "cc", "addrepo", "ar", "removerepo", "rr",
                                          "modifyrepo", "mr", NULL};
    if (sh_cmd_is_any(c, "apt-cache", "gdebi", NULL)) return true;
    if (sh_cmd_is_any(c, "apt-get", "apt", "aptitude", NULL)) return c->sub && !pkg_word_in(c->sub, apt_not);
    if (sh_cmd_is(c, "apk")) return c->sub && !pkg_word_in(c->sub, apk_not);
    if (is_rpm_tool(c)) return c->sub && !pkg_word_in(c->sub, rpm_not);
    if (sh_cmd_is(c, "zypper")) return c->sub && !pkg_word_in(c->sub, zyp_not);
    return false;
}

/* A command whose effect we cannot see and that may well install packages:
 * a script or program given by path (./install.sh, /usr/local/bin/setup),
 * a *.sh file, a name from a variable, `source`/`.`/`eval`, make, or a
 * shell reading a file or a pipe (curl … | bash). */
static bool may_install(const sh_cmd *c)
{
    const sh_word *p = &c->argv[0];
    if (p->flags & SH_W_EXPANDS) return true;
    if (dw_str_chr(p->value, '/') && !sh_prog_find(c->name) && !is_index_update(c) && !uses_index(c)) return true;
    if (c->name.len > 3 && memcmp(c->name.ptr + c->name.len - 3, ".sh", 3) == 0) return true;
    if (sh_cmd_is_any(c, "source", ".", "eval", "make", NULL)) return true;
    if (sh_prog_is_shell(c->name) && (c->shell_mode == SH_SHELL_FILE || (c->shell_mode == SH_SHELL_STDIN && !c->runs)))
        return true;
    return false;
}

void check_apt_update_alone(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r) continue;
        bool update = false, work = false;
        for (uint32_t k = 0; k < r->ncmds && !work; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (is_index_update(c)) update = true;
            else if (uses_index(c) || may_install(c)) work = true;
        }
        if (!update || work) continue;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (!is_index_update(c)) continue;
            dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                                   "`%.*s %.*s` in a RUN that installs nothing: the build cache keeps this index "
                                   "while later installs need a fresh one",
                                   (int)c->name.len, c->name.ptr, (int)c->sub->value.len, c->sub->value.ptr);
            if (sh_cmd_is(c, "apk"))
                dw_diag_help(ctx, d, "drop it and install with apk add --no-cache …, which fetches a fresh index");
            else
                dw_diag_help(ctx, d, "refresh and install in one RUN: %.*s %.*s && %.*s install -y …",
                             (int)c->name.len, c->name.ptr, (int)c->sub->value.len, c->sub->value.ptr,
                             (int)c->name.len, c->name.ptr);
        }
    }
}

/* ---- apk-pin (DL3018) ---- */

/* hadolint's test: a version constraint (= ~ > <) or a local .apk file. */
static bool apk_pinned(dw_str t)
{
    for (size_t i = 0; i < t.len; i++)
        if (t.ptr[i] == '=' || t.ptr[i] == '~' || t.ptr[i] == '>' || t.ptr[i] == '<') return true;
    return t.len > 4 && memcmp(t.ptr + t.len - 4, ".apk", 4) == 0;
}

void check_apk_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!sh_cmd_is(c, "apk") || !sh_cmd_subcommand_is(c, "add")) continue;
        for (uint32_t p = 1; p < c->npos; p++) {
            const sh_word *w = c->pos[p];
            if (pkg_word_opaque(w)) continue;
            dw_str t = pkg_word_text(ctx, w);
            if (!t.len || apk_pinned(t)) continue;
            dw_diag *d = dw_report(ctx, r->top, w->span, "package `%.*s` is added without a pinned version",
                                   (int)w->value.len, w->value.ptr);
            dw_diag_help(ctx, d, "pin it: apk add %.*s=<version> (or %.*s~<major.minor> to follow fixes)",
                         (int)w->value.len, w->value.ptr, (int)w->value.len, w->value.ptr);
        }
    }
}

/* ---- apk-no-cache (DL3019) ---- */

void check_apk_no_cache(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r || !pkg_layer_shipped(img, ctx, r)) continue;
        /* a cache mount keeps the index out of the layer (/etc/apk/cache
         * is where apk's cache link points) */
        if (pkg_mount_covers(r, "/var/cache/apk") || pkg_mount_covers(r, "/etc/apk/cache")) continue;
        int64_t last_rm = -2; /* the last command deleting the cache, looked up once per RUN */
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (!sh_cmd_is(c, "apk") || !sh_cmd_subcommand_is(c, "add") || sh_cmd_has_flag(c, "--no-cache")) continue;
            /* --no-network installs what is already there: nothing is fetched */
            if (sh_cmd_has_flag(c, "--no-network")) continue;
            if (last_rm == -2) last_rm = pkg_rm_last(r, "/var/cache/apk");
            if (last_rm > (int64_t)k) continue; /* deleted later in the same RUN */
            dw_diag *d =
                dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                          "`apk add` without --no-cache leaves the package index in /var/cache/apk in this layer");
            dw_diag_help(ctx, d, "add --no-cache: apk add --no-cache …");
            pkg_fix_insert_after(ctx, d, c, c->sub, " --no-cache");
        }
    }
}
