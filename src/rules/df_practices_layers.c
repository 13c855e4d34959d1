/* df_practices_layers.c — RUNs that rewrite or delete what an earlier
 * layer holds, which makes the image no smaller (a deletion only hides
 * the files) or bigger (a chown or chmod stores them again):
 * chown-in-separate-layer and rm-in-separate-layer.
 *
 * Only the layers of the image count: the final stage and the stages it is
 * built FROM. A builder stage's layers never ship. */
#include "df_practices.h"

#include "hl_util.h"
#include "sh_misc.h"

#include <sys/stat.h>

/* ---- chown-in-separate-layer ---- */

/* What the COPY/ADD instructions of one stage created: every destination
 * (a folder or a file: a recursive chown of it or of anything in it
 * rewrites copied files) and the files known to be files (a plain chmod
 * of one rewrites it). Path -> index of the instruction. */
typedef struct {
    hl_map region, file;
    bool init;
} copied_paths;

/* The source names one file: the context says so, or (another stage, an
 * image, a file not in the context) its name has an extension. */
static bool source_is_file(dw_lint *ctx, const dw_instr *in, dw_str src)
{
    if (!src.len || prac_whole_context(src) || dw_str_chr(src, '*') || dw_str_chr(src, '?') || dw_str_chr(src, '['))
        return false;
    if (!prac_copy_from(in) && src.ptr[0] != '/') {
        const char *p = dw_arena_printf(ctx->a, "%s/%.*s", dw_lint_context_dir(ctx), (int)src.len, src.ptr);
        struct stat st;
        if (stat(p, &st) == 0) return S_ISREG(st.st_mode);
    }
    dw_str base = ms_basename(src);
    const char *dot = base.len > 1 ? memchr(base.ptr + 1, '.', base.len - 1) : NULL;
    return dot != NULL;
}

static void record_copy(dw_lint *ctx, copied_paths *cp, const dw_instr *in, dw_str cwd, uint32_t idx)
{
    const dw_word *dw = &in->args[in->nargs - 1];
    dw_str raw = prac_word_value(dw);
    dw_str dest = prac_resolve(ctx, cwd, raw);
    /* `COPY rootfs/ /` may have made anything: too broad to judge */
    if (!dest.len || dw_str_eqc(dest, "/")) return;
    /* a heredoc is a few lines of the Dockerfile: rewriting it costs nothing */
    uint32_t nsrc = in->nargs - 1, files = 0;
    for (uint32_t k = 0; k < nsrc; k++) files += !dw_str_has_prefix(prac_word_value(&in->args[k]), "<<");
    if (!files) return;
    if (!cp->init) {
        hl_map_init(&cp->region, ctx->a, 8, false);
        hl_map_init(&cp->file, ctx->a, 8, false);
        cp->init = true;
    }
    hl_map_put(&cp->region, dest, (int)idx, false);
    bool into_dir = nsrc > 1 || (raw.len && raw.ptr[raw.len - 1] == '/') || dw_str_eqc(raw, ".") || dw_str_eqc(raw, "..");
    for (uint32_t k = 0; k < nsrc; k++) {
        dw_str src = prac_copy_source(ctx, &in->args[k]);
        if (dw_str_has_prefix(prac_word_value(&in->args[k]), "<<")) continue;
        if (!into_dir && source_is_file(ctx, in, src)) {
            hl_map_put(&cp->file, dest, (int)idx, false);
        } else if (into_dir && source_is_file(ctx, in, src)) {
            dw_str base = ms_basename(src);
            char *p = dw_arena_printf(ctx->a, "%.*s/%.*s", (int)dest.len, dest.ptr, (int)base.len, base.ptr);
            hl_map_put(&cp->file, dw_str_c(p), (int)idx, false);
        }
    }
}

/* The COPY of stage s (or a stage it is built FROM) that created `path`
 * (recursive: or a folder above it, whose path goes to *root when root is
 * not NULL), as an instruction index, or -1. */
static int copied_by(const dw_lint *ctx, const copied_paths *cps, int s, dw_str path, bool recursive, dw_str *root)
{
    for (int steps = 0; s >= 0 && steps < 256; steps++, s = pkg_base_stage(ctx, s)) {
        const copied_paths *cp = &cps[s];
        if (!cp->init) continue;
        if (!recursive) {
            int at = hl_map_get(&cp->file, path, -1);
            if (at >= 0) return at;
            continue;
        }
        dw_str p = path;
        for (int levels = 0; p.len > 1 && levels < 64; levels++) {
            int at = hl_map_get(&cp->region, p, -1);
            if (at >= 0) {
                if (root) *root = p;
                return at;
            }
            while (p.len > 1 && p.ptr[p.len - 1] != '/') p.len--;
            if (p.len > 1) p.len--; /* the slash */
        }
    }
    return -1;
}

/* A copy of a folder (`COPY . /app`, `COPY src/ /app/`) brought in the
 * regular file `path`, which lies under its destination `root`: the file
 * is in the build context at the same place under the source. */
static bool copied_file_in_context(dw_lint *ctx, const dw_instr *copy, dw_str root, dw_str path)
{
    if (copy->nargs != 2 || prac_copy_from(copy) || path.len <= root.len + 1) return false;
    dw_str src = prac_copy_source(ctx, &copy->args[0]);
    if (!src.len || dw_str_chr(src, '*') || dw_str_chr(src, '?') || dw_str_chr(src, '[')) return false;
    dw_str rel = dw_str_make(path.ptr + root.len + (root.len > 1), path.len - root.len - (root.len > 1));
    while (src.len && src.ptr[0] == '/') src = dw_str_make(src.ptr + 1, src.len - 1);
    const char *p = prac_whole_context(src) || !src.len
                        ? dw_arena_printf(ctx->a, "%s/%.*s", dw_lint_context_dir(ctx), (int)rel.len, rel.ptr)
                        : dw_arena_printf(ctx->a, "%s/%.*s/%.*s", dw_lint_context_dir(ctx), (int)src.len, src.ptr,
                                          (int)rel.len, rel.ptr);
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* A chmod mode word: 755, u+x, a=rX,go-w. */
static bool is_mode(dw_str v)
{
    if (!v.len) return false;
    for (size_t i = 0; i < v.len; i++)
        if (!strchr("01234567ugoarwxXst+-=,", v.ptr[i])) return false;
    return true;
}

/* The working folder of each command of a run: the WORKDIR, then where
 * each cd went ({ NULL, 0 }: not known — a cd to a variable, `cd -`,
 * pushd). One pass; an array of r->ncmds entries in the file's arena. */
static const dw_str *run_cwds(dw_lint *ctx, const sh_run *r, dw_str workdir)
{
    dw_str *at = DW_NEW(ctx->a, dw_str, r->ncmds + 1);
    dw_str cur = workdir;
    for (uint32_t k = 0; k < r->ncmds; k++) {
        const sh_cmd *x = &r->cmds[k];
        at[k] = cur;
        if (sh_cmd_is_any(x, "pushd", "popd", NULL)) cur = (dw_str){NULL, 0};
        else if (sh_cmd_is(x, "cd"))
            cur = x->npos == 1 && !(x->pos[0]->flags & SH_W_EXPANDS) ? prac_resolve(ctx, cur, x->pos[0]->value)
                                                                     : (dw_str){NULL, 0};
    }
    return at;
}

/* The folders the mkdir commands of a run create, resolved: path -> index
 * of the first mkdir naming it. Built once per run that changes owners. */
static void index_mkdirs(dw_lint *ctx, const sh_run *r, const dw_str *cwds, hl_map *made)
{
    hl_map_init(made, ctx->a, 8, false);
    for (const sh_cmd *x = sh_run_next(r, NULL, "mkdir"); x; x = sh_run_next(r, x, "mkdir"))
        for (uint32_t p = 0; p < x->npos; p++) {
            dw_str m = prac_resolve(ctx, cwds[x->index], x->pos[p]->value);
            if (m.len) hl_map_put(made, m, (int)x->index, true);
        }
}

/* A mkdir before command c created `path` or a folder above it: the files
 * there are new, not copied. */
static bool made_before(const hl_map *made, const sh_cmd *c, dw_str path)
{
    if (!made->n) return false;
    for (int levels = 0; path.len > 1 && levels < 64; levels++) {
        int at = hl_map_get(made, path, -1);
        if (at >= 0 && (uint32_t)at < c->index) return true;
        while (path.len > 1 && path.ptr[path.len - 1] != '/') path.len--;
        if (path.len > 1) path.len--;
    }
    return false;
}

static void check_owner_change(dw_lint *ctx, const copied_paths *cps, const sh_cmd *c, const dw_str *cwds,
                               const hl_map *made)
{
    const dw_dockerfile *df = ctx->df;
    bool chown = sh_cmd_is(c, "chown");
    bool recursive = sh_cmd_has_any_flag(c, "-R", "--recursive", NULL);
    bool reference = sh_cmd_flag(c, "--reference") != NULL;
    uint32_t from = reference ? 0 : chown ? 1 : (c->npos && is_mode(c->pos[0]->value) ? 1 : 0);
    for (uint32_t p = from; p < c->npos; p++) {
        const sh_word *w = c->pos[p];
        if (w->flags & SH_W_EXPANDS) continue;
        dw_str path = prac_resolve(ctx, cwds[c->index], w->value);
        if (!path.len || made_before(made, c, path)) continue;
        int at = copied_by(ctx, cps, c->run->top->stage, path, recursive, NULL);
        if (at < 0 && !recursive) {
            /* a file of a copied folder: a plain chmod rewrites it too */
            dw_str root = {NULL, 0};
            at = copied_by(ctx, cps, c->run->top->stage, path, true, &root);
            if (at >= 0 && !copied_file_in_context(ctx, &df->instrs[at], root, path)) at = -1;
        }
        if (at < 0) continue;
        const dw_instr *copy = &df->instrs[at];
        const char *verb = copy->kind == DW_I_ADD ? "ADD" : "COPY";
        bool same = dw_str_eq(path, w->value);
        dw_diag *d = dw_report(ctx, c->run->top, pkg_cmd_span(c, w),
                               "`%.*s%s` of %.*s%s%.*s%s, which the %s on line %u created, stores the files again in "
                               "this layer: the image carries them twice",
                               (int)c->name.len, c->name.ptr, recursive ? " -R" : "", (int)w->value.len, w->value.ptr,
                               same ? "" : " (", same ? 0 : (int)path.len, same ? "" : path.ptr, same ? "" : ")", verb,
                               copy->line);
        if (chown)
            dw_diag_help(ctx, d, "set the owner while copying: %s --chown=<user>:<group> …, and drop this chown", verb);
        else
            dw_diag_help(ctx, d, "set the mode while copying: %s --chmod=<mode> …, and drop this chmod", verb);
        if (d) dw_diag_related(ctx, d, copy->args[copy->nargs - 1].span, "copied here");
        return;
    }
}

/* Called for each RUN of a stage in the image, with the paths the COPY/ADD
 * instructions before it created and the working folder of each of its
 * commands. */
typedef void (*layer_run_fn)(dw_lint *ctx, const copied_paths *cps, const sh_run *r, const dw_str *cwds);

/* Walks the file in order: records what each COPY/ADD creates in its
 * stage, and calls fn on every RUN (not ONBUILD) whose layer ships. */
static void walk_layers(dw_lint *ctx, layer_run_fn fn)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);
    const dw_str *cwd = prac_workdirs(ctx);
    copied_paths *cps = DW_NEW(ctx->a, copied_paths, df->nstages + 1);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage < 0 || (uint32_t)in->stage >= df->nstages) continue;
        if (prac_is_copy(in)) record_copy(ctx, &cps[in->stage], in, cwd[i], i);
        const sh_run *r = in->kind == DW_I_RUN && img[in->stage] ? pkg_run(runs, i) : NULL;
        if (r) fn(ctx, cps, r, run_cwds(ctx, r, cwd[i]));
    }
}

static void owner_changes(dw_lint *ctx, const copied_paths *cps, const sh_run *r, const dw_str *cwds)
{
    hl_map made = {0};
    for (uint32_t k = 0; k < r->ncmds; k++) {
        if (!sh_cmd_is_any(&r->cmds[k], "chown", "chmod", NULL)) continue;
        if (!made.keys) index_mkdirs(ctx, r, cwds, &made);
        check_owner_change(ctx, cps, &r->cmds[k], cwds, &made);
    }
}

void check_chown_in_separate_layer(dw_lint *ctx) { walk_layers(ctx, owner_changes); }

/* ---- rm-in-separate-layer ---- */

/* A package manager emptying its own cache: apt-get clean, dnf clean all,
 * npm cache clean --force, pip cache purge … */
static bool cache_clean(const sh_cmd *c)
{
    static const char *const apt[] = {"clean", "autoclean", "auto-clean", "dist-clean", NULL};
    static const char *const second[] = {"clean", "purge", "remove", "rm", "prune", NULL};
    if (sh_cmd_is_any(c, "apt-get", "apt", NULL)) return pkg_word_in(c->sub, apt);
    if (sh_cmd_is_any(c, "yum", "dnf", "microdnf", "tdnf", "zypper", "conda", "mamba", "micromamba", NULL))
        return sh_cmd_subcommand_is(c, "clean");
    if (sh_cmd_is(c, "composer")) return sh_cmd_subcommand_is(c, "clear-cache") || sh_cmd_subcommand_is(c, "clearcache");
    if (sh_cmd_is(c, "gem")) return sh_cmd_subcommand_is(c, "cleanup");
    bool tool = sh_cmd_is_any(c, "apk", "npm", "yarn", "pnpm", "uv", NULL) || prac_name_is(c, "pip");
    return tool && (sh_cmd_subcommand_is(c, "cache") || (sh_cmd_is(c, "pnpm") && sh_cmd_subcommand_is(c, "store"))) &&
           c->npos > 1 && pkg_word_in(c->pos[1], second);
}

static bool is_deletion(const sh_cmd *c)
{
    if (sh_cmd_is_any(c, "rm", "rmdir", "unlink", NULL) || cache_clean(c)) return true;
    if (!sh_cmd_is(c, "find")) return false;
    if (sh_cmd_has_arg(c, "-delete")) return true;
    for (uint32_t k = 1; k + 1 < c->argc; k++)
        if (sh_word_is(&c->argv[k], "-exec") && (sh_word_is(&c->argv[k + 1], "rm") || sh_word_is(&c->argv[k + 1], "/bin/rm")))
            return true;
    return false;
}

/* Commands that change nothing on disk. */
static bool is_harmless(const sh_cmd *c)
{
    return sh_cmd_is_any(c, "cd", "set", "true", ":", "echo", "printf", "test", "[", "ls", NULL);
}

/* The command writes a file through a redirection (not /dev/null). */
static bool writes_file(const sh_cmd *c)
{
    for (uint32_t d = 0; c->node && d < c->node->nredirs; d++) {
        const sh_redir *rd = &c->node->redirs[d];
        bool out = rd->kind == SH_R_OUT || rd->kind == SH_R_APPEND || rd->kind == SH_R_CLOBBER ||
                   rd->kind == SH_R_OUT_ERR || rd->kind == SH_R_APPEND_ERR;
        if (out && !sh_word_is(&rd->target, "/dev/null")) return true;
    }
    return false;
}

/* A path on a mount of the RUN: deleting it touches no layer. */
static bool on_mount(const dw_instr *run, dw_str path)
{
    for (uint32_t i = 0; i < run->nmounts; i++) {
        const dw_mount *m = &run->mounts[i];
        dw_str t = m->has_target ? m->target : (dw_str){NULL, 0};
        while (t.len > 1 && t.ptr[t.len - 1] == '/') t.len--;
        if (t.len && prac_path_within(t, path)) return true;
    }
    return false;
}

/* Paths whose deletion is a clean-up for space: caches, temporary files,
 * package lists, logs, documentation, downloaded archives. */
static bool cleanup_path(dw_str v)
{
    static const char *const dirs[] = {"/tmp", "/var/tmp", "/var/cache", "/var/lib/apt/lists", "/root/.cache",
                                       "/var/log", "/usr/share/doc", "/usr/share/man", NULL};
    for (const char *const *d = dirs; *d; d++)
        if (prac_path_within(dw_str_c(*d), v)) return true;
    return ms_contains(v, "/.cache") || ms_contains(v, "node_modules") || ms_contains(v, "__pycache__") ||
           ms_is_archive(ms_basename(v)) || ms_has_suffix(v, ".deb") || ms_has_suffix(v, ".rpm") ||
           ms_has_suffix(v, ".whl");
}

/* The deletion is a clean-up meant to save space, of something a layer
 * holds (not a mount of the RUN): a cache, temporary or download path, a
 * `find … -delete`, or what an earlier COPY/ADD of the stage brought in.
 * Removing one file to change what the image does (`rm
 * /etc/nginx/conf.d/default.conf`, emptying nginx's html folder) is not
 * about space and is left alone. */
static bool space_cleanup(dw_lint *ctx, const copied_paths *cps, const sh_cmd *c, const dw_str *cwds)
{
    if (cache_clean(c)) return true; /* the caches are in the layers of earlier RUNs */
    bool find = sh_cmd_is(c, "find");
    dw_str here = cwds[c->index];
    for (uint32_t p = 0; p < c->npos; p++) {
        const sh_word *w = c->pos[p];
        if (find && p > 0) break; /* the folder only */
        if (w->flags & SH_W_EXPANDS) continue;
        dw_str path = prac_resolve(ctx, here, w->value);
        if (!path.len || on_mount(c->run->instr, path)) continue;
        if (find || cleanup_path(path) || copied_by(ctx, cps, c->run->top->stage, path, true, NULL) >= 0) return true;
    }
    return false;
}

static void only_deletions(dw_lint *ctx, const copied_paths *cps, const sh_run *r, const dw_str *cwds)
{
    if (r->nerrors) return;
    const sh_cmd *first = NULL;
    bool only_deletes = true, cleanup = false;
    for (uint32_t k = 0; k < r->ncmds && only_deletes; k++) {
        const sh_cmd *c = &r->cmds[k];
        if (writes_file(c)) {
            only_deletes = false;
        } else if (is_deletion(c)) {
            if (!first) first = c;
            cleanup |= space_cleanup(ctx, cps, c, cwds);
        } else if (!is_harmless(c)) {
            only_deletes = false;
        }
    }
    if (!only_deletes || !first || !cleanup) return;
    const sh_word *last = &first->argv[first->argc - 1];
    dw_str text = prac_cmd_text(ctx, first, last);
    dw_diag *d = dw_report(ctx, r->top, pkg_cmd_span(first, last),
                           "this RUN only deletes files (`%.*s`): the earlier layer that wrote them keeps them, so the "
                           "image gets no smaller",
                           (int)text.len, text.ptr);
    dw_diag_help(ctx, d, "move `%.*s` to the end of the RUN that creates the files (`… && %.*s`); leave files that "
                         "come from COPY/ADD out with .dockerignore or a narrower COPY",
                 (int)text.len, text.ptr, (int)text.len, text.ptr);
}

void check_rm_in_separate_layer(dw_lint *ctx) { walk_layers(ctx, only_deletions); }
