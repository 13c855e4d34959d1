/* sh_pkg_rpm.c — the RPM package-manager rules: yum-yes (DL3030), yum-clean
 * (DL3032), yum-pin (DL3033), zypper-non-interactive (DL3034),
 * zypper-dist-upgrade (DL3035), zypper-clean (DL3036), zypper-pin (DL3037),
 * dnf-yes (DL3038), dnf-clean (DL3040) and dnf-pin (DL3041); the dnf rules
 * cover microdnf too. Helpers in sh_pkg_common.c.
 *
 * The sub-command is read from the command line with each tool's options
 * that take a value (so `dnf --setopt=x=1 -y install` is an install); for
 * `group` and `module` the action is the word after them (`dnf module
 * install`). Every check is one pass over the commands of each RUN, plus
 * one backward scan for the last clean. */
#include "sh_pkg.h"

#include <stdio.h>

/* ---- actions ---- */

/* The action of a yum/dnf/microdnf command: its sub-command, or the word
 * after `group`/`groups`/`module`, with *kind 'g' or 'm' then ('\0'
 * otherwise). *first is the index in c->pos of its first argument. */
static const sh_word *rpm_action(const sh_cmd *c, char *kind, uint32_t *first)
{
    *kind = 0;
    *first = 1;
    if (!c->sub) return NULL;
    if (sh_word_is(c->sub, "group") || sh_word_is(c->sub, "groups") || sh_word_is(c->sub, "module")) {
        *kind = sh_word_is(c->sub, "module") ? 'm' : 'g';
        *first = 2;
        return c->npos > 1 ? c->pos[1] : NULL;
    }
    return c->sub;
}

/* The action as the messages name it: "install", or "module enable". */
static dw_str action_text(dw_lint *ctx, const sh_cmd *c, const sh_word *act)
{
    if (act == c->sub) return act->value;
    char *t = dw_arena_printf(ctx->a, "%.*s %.*s", (int)c->sub->value.len, c->sub->value.ptr, (int)act->value.len,
                              act->value.ptr);
    return dw_str_c(t);
}

/* Actions that change packages and so ask for confirmation: hadolint's
 * install, groupinstall and localinstall, and the others that prompt the
 * same way (upgrades, removals, module streams). */
static const char *const rpm_prompting[] = {
    "install", "in", "groupinstall", "localinstall", "reinstall", "rei", "update", "upgrade", "up", "update-minimal",
    "upgrade-minimal", "up-min", "localupdate", "groupupdate", "groupremove", "remove", "rm", "erase", "autoremove",
    "downgrade", "distro-sync", "distrosync", "dsync", "swap", "enable", "disable", "reset", "switch-to", NULL};

/* Actions that download packages into the cache: hadolint's install, in,
 * upgrade, up, upgrade-minimal, up-min, reinstall and rei, and their
 * spellings update, groupinstall, localinstall, downgrade, distro-sync. */
static const char *const rpm_fetching[] = {
    "install", "in", "groupinstall", "localinstall", "reinstall", "rei", "update", "upgrade", "up", "update-minimal",
    "upgrade-minimal", "up-min", "localupdate", "groupupdate", "downgrade", "distro-sync", "distrosync", "dsync",
    "swap", NULL};

/* The cache directories of yum, dnf 4, dnf 5 and microdnf (which shares
 * yum's on older releases): removing one of them counts as cleaning up,
 * as hadolint accepts deleting /var/cache/yum after dnf. */
static const char *const rpm_cache_dirs[] = {"/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5", NULL};

/* ---- -y (DL3030, DL3038) ---- */

static void check_rpm_yes(dw_lint *ctx, const char *const *tools)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        bool tool = pkg_cmd_in(c, tools);
        char kind;
        uint32_t first;
        const sh_word *act = tool ? rpm_action(c, &kind, &first) : NULL;
        if (!act || !pkg_word_in(act, rpm_prompting) || sh_cmd_has_any_flag(c, "-y", "--assumeyes", "--yes", NULL))
            continue;
        dw_str what = action_text(ctx, c, act);
        dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, act),
                               "`%.*s %.*s` without -y: the build cannot answer its confirmation prompt",
                               (int)c->name.len, c->name.ptr, (int)what.len, what.ptr);
        dw_diag_help(ctx, d, "add -y: %.*s %.*s -y …", (int)c->name.len, c->name.ptr, (int)what.len, what.ptr);
        pkg_fix_insert_after(ctx, d, c, act, " -y");
    }
}

static const char *const yum_tools[] = {"yum", NULL};
static const char *const dnf_tools[] = {"dnf", "microdnf", NULL};

void check_yum_yes(dw_lint *ctx) { check_rpm_yes(ctx, yum_tools); }
void check_dnf_yes(dw_lint *ctx) { check_rpm_yes(ctx, dnf_tools); }

/* ---- clean all (DL3032, DL3040) ---- */

/* Reports, per tool, every fetching command after that tool's last
 * `clean` (or a removal of a cache directory) in the RUN. The fix, on the
 * last report, appends `&& TOOL clean all`. A cache mount over the cache
 * keeps it out of the layer; a builder stage's layers never ship. */
static void check_rpm_clean(dw_lint *ctx, const char *const *tools)
{
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r || !pkg_layer_shipped(img, ctx, r)) continue;
        bool mounted = pkg_mount_covers(r, ".cache/libdnf5");
        for (const char *const *dir = rpm_cache_dirs; *dir && !mounted; dir++) mounted = pkg_mount_covers(r, *dir);
        if (mounted) continue;
        int64_t rm = -1;
        for (const char *const *dir = rpm_cache_dirs; *dir; dir++) {
            int64_t x = pkg_rm_last(r, *dir);
            if (x > rm) rm = x;
        }
        for (const char *const *t = tools; *t; t++) {
            int64_t clean = rm;
            for (uint32_t k = r->ncmds; k-- > 0 && (int64_t)k > clean;)
                if (sh_cmd_is(&r->cmds[k], *t) && sh_cmd_subcommand_is(&r->cmds[k], "clean")) clean = k;
            dw_diag *last = NULL;
            for (uint32_t k = (uint32_t)(clean + 1); k < r->ncmds; k++) {
                const sh_cmd *c = &r->cmds[k];
                char kind;
                uint32_t first;
                const sh_word *act = sh_cmd_is(c, *t) ? rpm_action(c, &kind, &first) : NULL;
                if (!act || !pkg_word_in(act, rpm_fetching)) continue;
                dw_str what = action_text(ctx, c, act);
                dw_diag *d =
                    dw_report(ctx, r->top, pkg_cmd_span(c, act),
                              "`%s %.*s` without a later `%s clean all` leaves the package cache in this layer", *t,
                              (int)what.len, what.ptr, *t);
                dw_diag_help(ctx, d, "clean up in the same RUN: … && %s clean all, or use --mount=type=cache,target=%s",
                             *t, strcmp(*t, "yum") == 0 ? "/var/cache/yum" : "/var/cache/dnf");
                if (d) last = d;
            }
            char text[64];
            snprintf(text, sizeof text, " && %s clean all", *t);
            pkg_fix_append(ctx, last, r, text);
        }
    }
}

void check_yum_clean(dw_lint *ctx) { check_rpm_clean(ctx, yum_tools); }
void check_dnf_clean(dw_lint *ctx) { check_rpm_clean(ctx, dnf_tools); }

/* ---- version pins (DL3033, DL3041) ---- */

/* hadolint's test for NAME-VERSION: every part after the first '-' is made
 * of letters, digits and . ~ ^ _ : +, and one of them starts with a digit
 * (httpd-2.4.6, gcc-c++-1.1.1, openssl-1:1.1.1k; not python3-pip). */
static bool rpm_version_like(dw_str t)
{
    const char *dash = dw_str_chr(t, '-');
    if (!dash) return false;
    bool digit = false, start = true;
    for (const char *p = dash + 1; p < t.ptr + t.len; p++) {
        char ch = *p;
        if (ch == '-') { start = true; continue; }
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                  ch == '~' || ch == '^' || ch == '_' || ch == ':' || ch == '+';
        if (!ok) return false;
        if (start && ch >= '0' && ch <= '9') digit = true;
        start = false;
    }
    return digit;
}

static bool ends_with(dw_str t, const char *sfx)
{
    size_t n = strlen(sfx);
    return t.len >= n && memcmp(t.ptr + t.len - n, sfx, n) == 0;
}

static void check_rpm_pin(dw_lint *ctx, const char *const *tools)
{
    sh_run **runs = dw_lint_runs(ctx);
    pkg_vars *vars = NULL; /* made when a package names a variable */
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        bool tool = pkg_cmd_in(c, tools);
        char kind;
        uint32_t first;
        const sh_word *act = tool ? rpm_action(c, &kind, &first) : NULL;
        /* groups have no versions; modules take a stream */
        if (!act || kind == 'g' || !(sh_word_is(act, "install") || sh_word_is(act, "in"))) continue;
        for (uint32_t p = first; p < c->npos; p++) {
            const sh_word *w = c->pos[p];
            if (pkg_word_opaque(w)) continue;
            dw_str t = pkg_word_text(ctx, w);
            if (!t.len) continue;
            if (kind == 'm') {
                if (dw_str_chr(t, ':')) continue;
                dw_diag *d = dw_report(ctx, r->top, w->span, "module `%.*s` is installed without a stream",
                                       (int)w->value.len, w->value.ptr);
                dw_diag_help(ctx, d, "name the stream: %.*s module install %.*s:<stream>", (int)c->name.len,
                             c->name.ptr, (int)w->value.len, w->value.ptr);
                continue;
            }
            /* an .rpm file or URL is one version; @group, a path or a
             * capability such as 'dnf-command(config-manager)' has none */
            if (ends_with(t, ".rpm") || t.ptr[0] == '@' || t.ptr[0] == '/' || dw_str_chr(t, '(')) continue;
            if (rpm_version_like(t)) continue;
            /* hadolint: NAME-$VERSION is pinned when VERSION is an ARG or
             * an ENV of the stage */
            bool known = false;
            if ((w->flags & SH_W_EXPANDS) && dw_str_chr(t, '-')) {
                for (uint32_t q = 0; q < w->nparts && !known; q++) {
                    if (w->parts[q].kind != SH_P_PARAM || !w->parts[q].name.len) continue;
                    if (!vars) vars = pkg_vars_new(ctx);
                    known = pkg_var_known(vars, w->parts[q].name, r->top);
                }
            }
            if (known) continue;
            dw_diag *d = dw_report(ctx, r->top, w->span, "package `%.*s` is installed without a version",
                                   (int)w->value.len, w->value.ptr);
            dw_diag_help(ctx, d, "pin it: %.*s install %.*s-<version>", (int)c->name.len, c->name.ptr,
                         (int)w->value.len, w->value.ptr);
        }
    }
}

void check_yum_pin(dw_lint *ctx) { check_rpm_pin(ctx, yum_tools); }
void check_dnf_pin(dw_lint *ctx) { check_rpm_pin(ctx, dnf_tools); }

/* ---- zypper ---- */

/* hadolint's interactive commands, and the other ones that ask before
 * changing packages. */
static const char *const zypper_prompting[] = {
    "install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup",
    "install-new-recommends", "inr", NULL};
static const char *const zypper_fetching[] = {
    "install", "in", "source-install", "si", "patch", "update", "up", "dist-upgrade", "dup",
    "install-new-recommends", "inr", NULL};

void check_zypper_non_interactive(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!sh_cmd_is(c, "zypper") || !pkg_word_in(c->sub, zypper_prompting)) continue;
        if (sh_cmd_has_any_flag(c, "-n", "--non-interactive", "--no-confirm", "-y", NULL)) continue;
        dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                               "`zypper %.*s` without --non-interactive: the build cannot answer its prompts",
                               (int)c->sub->value.len, c->sub->value.ptr);
        dw_diag_help(ctx, d, "add -n (--non-interactive) before the command: zypper -n %.*s …",
                     (int)c->sub->value.len, c->sub->value.ptr);
        /* a global option, right after the program word */
        pkg_fix_insert_after(ctx, d, c, &c->argv[0], " -n");
    }
}

void check_zypper_dist_upgrade(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!sh_cmd_is(c, "zypper") || !(sh_cmd_subcommand_is(c, "dist-upgrade") || sh_cmd_subcommand_is(c, "dup")))
            continue;
        dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                               "`zypper %.*s` upgrades the whole distribution inside an image build",
                               (int)c->sub->value.len, c->sub->value.ptr);
        dw_diag_help(ctx, d, "build FROM a newer base image instead, and install or update only the packages you "
                             "need (zypper -n update …)");
    }
}

void check_zypper_clean(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = pkg_run(runs, i);
        if (!r || !pkg_layer_shipped(img, ctx, r) || pkg_mount_covers(r, "/var/cache/zypp")) continue;
        int64_t clean = pkg_rm_last(r, "/var/cache/zypp");
        for (uint32_t k = r->ncmds; k-- > 0 && (int64_t)k > clean;)
            if (sh_cmd_is(&r->cmds[k], "zypper") &&
                (sh_cmd_subcommand_is(&r->cmds[k], "clean") || sh_cmd_subcommand_is(&r->cmds[k], "cc")))
                clean = k;
        dw_diag *last = NULL;
        for (uint32_t k = (uint32_t)(clean + 1); k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (!sh_cmd_is(c, "zypper") || !pkg_word_in(c->sub, zypper_fetching)) continue;
            dw_diag *d =
                dw_report(ctx, r->top, pkg_cmd_span(c, c->sub),
                          "`zypper %.*s` without a later `zypper clean` leaves the package cache in this layer",
                          (int)c->sub->value.len, c->sub->value.ptr);
            dw_diag_help(ctx, d, "clean up in the same RUN: … && zypper clean --all, or use "
                                 "--mount=type=cache,target=/var/cache/zypp");
            if (d) last = d;
        }
        pkg_fix_append(ctx, last, r, " && zypper clean --all");
    }
}

/* hadolint's test: a version constraint (= > <) or an .rpm file. */
static bool zypper_pinned(dw_str t)
{
    for (size_t i = 0; i < t.len; i++)
        if (t.ptr[i] == '=' || t.ptr[i] == '>' || t.ptr[i] == '<') return true;
    return ends_with(t, ".rpm");
}

void check_zypper_pin(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (pkg_iter it = {0}; pkg_next(runs, ctx->df->ninstrs, &it);) {
        const sh_run *r = it.run;
        const sh_cmd *c = it.cmd;
        if (!sh_cmd_is(c, "zypper") || !(sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "in")))
            continue;
        /* patterns, products and patches (-t pattern) have no versions to pin */
        const sh_flag *type = sh_cmd_flag(c, "-t");
        if (!type) type = sh_cmd_flag(c, "--type");
        if (type && type->has_value && !dw_str_eqc(type->value, "package")) continue;
        for (uint32_t p = 1; p < c->npos; p++) {
            const sh_word *w = c->pos[p];
            if (pkg_word_opaque(w)) continue;
            dw_str t = pkg_word_text(ctx, w);
            if (!t.len || zypper_pinned(t)) continue;
            dw_diag *d = dw_report(ctx, r->top, w->span, "package `%.*s` is installed without a version",
                                   (int)w->value.len, w->value.ptr);
            dw_diag_help(ctx, d, "pin it: zypper install %.*s=<version>", (int)w->value.len, w->value.ptr);
        }
    }
}
