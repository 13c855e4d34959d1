/* sh_pkg_common.c — what the OS package-manager rules share: words, paths,
 * cache mounts, deletions, stages in the image, fixes and known variables.
 * See sh_pkg.h. */
#include "sh_pkg.h"

#include "hl_util.h"

const sh_run *pkg_run(sh_run **runs, uint32_t i)
{
    const sh_run *r = runs ? runs[i] : NULL;
    return r && r->skip == SH_SKIP_NONE ? r : NULL;
}

bool pkg_next(sh_run **runs, uint32_t ninstrs, pkg_iter *it)
{
    for (; it->i < ninstrs; it->i++, it->k = 0) {
        const sh_run *r = pkg_run(runs, it->i);
        if (!r || it->k >= r->ncmds) continue;
        it->run = r;
        it->cmd = &r->cmds[it->k++];
        return true;
    }
    return false;
}

bool pkg_cmd_in(const sh_cmd *c, const char *const *names)
{
    for (; *names; names++)
        if (sh_cmd_is(c, *names)) return true;
    return false;
}

bool pkg_word_in(const sh_word *w, const char *const *names)
{
    if (!w) return false;
    for (; *names; names++)
        if (sh_word_is(w, *names)) return true;
    return false;
}

dw_span pkg_cmd_span(const sh_cmd *c, const sh_word *last)
{
    dw_span s = c->argv[0].span;
    /* both words are in the same command, so in the same script text; a
     * decoded sh -c string may still map them out of order */
    if (last && last->span.end > s.start && last->span.start >= s.start) s.end = last->span.end;
    return s;
}

bool pkg_word_opaque(const sh_word *w)
{
    if (!(w->flags & SH_W_EXPANDS)) return false;
    for (uint32_t i = 0; i < w->nparts; i++) {
        const sh_part *p = &w->parts[i];
        switch (p->kind) {
        case SH_P_LIT: case SH_P_SQUOTE: case SH_P_DQUOTE: case SH_P_ANSI:
            if (p->vlen) return false; /* literal text next to the expansion */
            break;
        default:
            break;
        }
    }
    return true;
}

dw_str pkg_word_text(dw_lint *ctx, const sh_word *w) { return sh_word_hadolint(ctx->a, w); }

/* ---- paths ---- */

static dw_str trim_slashes(dw_str s)
{
    while (s.len > 1 && s.ptr[s.len - 1] == '/') s.len--;
    return s;
}

bool pkg_path_covers(dw_str dir, const char *path)
{
    dir = trim_slashes(dir);
    dw_str p = dw_str_c(path);
    if (!dir.len || dir.ptr[0] != '/') return false;
    if (dir.len == 1) return true; /* "/" */
    if (dir.len > p.len || memcmp(dir.ptr, p.ptr, dir.len) != 0) return false;
    return dir.len == p.len || p.ptr[dir.len] == '/';
}

static bool str_contains(dw_str hay, const char *needle)
{
    size_t n = strlen(needle);
    if (!n || hay.len < n) return false;
    for (size_t i = 0; i + n <= hay.len; i++)
        if (hay.ptr[i] == needle[0] && memcmp(hay.ptr + i, needle, n) == 0) return true;
    return false;
}

bool pkg_mount_covers(const sh_run *r, const char *path)
{
    const dw_instr *in = r->instr;
    for (uint32_t i = 0; i < in->nmounts; i++) {
        const dw_mount *m = &in->mounts[i];
        if ((m->type != DW_MOUNT_CACHE && m->type != DW_MOUNT_TMPFS) || !m->has_target) continue;
        if (pkg_path_covers(m->target, path)) return true;
        /* hadolint's test: the target contains the path (a relative path
         * such as ".cache/libdnf5" matches any home directory) */
        if (str_contains(m->target, path)) return true;
    }
    return false;
}

/* The path an rm argument deletes, for comparing: "dir/<glob>", "dir/" and
 * "dir*" all empty or remove dir itself. */
static dw_str deleted_dir(dw_str v)
{
    for (;;) {
        if (v.len > 1 && v.ptr[v.len - 1] == '*') { v.len--; continue; }
        if (v.len > 1 && v.ptr[v.len - 1] == '/') { v.len--; continue; }
        return v;
    }
}

static bool cmd_deletes(const sh_cmd *c, const char *path)
{
    if (sh_cmd_is(c, "rm")) {
        for (uint32_t i = 0; i < c->npos; i++) {
            const sh_word *w = c->pos[i];
            if (w->flags & SH_W_EXPANDS) continue; /* a path we cannot see */
            if (pkg_path_covers(deleted_dir(w->value), path)) return true;
        }
        return false;
    }
    if (sh_cmd_is(c, "find") && c->npos && sh_cmd_has_arg(c, "-delete")) {
        const sh_word *w = c->pos[0];
        return !(w->flags & SH_W_EXPANDS) && pkg_path_covers(deleted_dir(w->value), path);
    }
    return false;
}

const sh_cmd *pkg_rm_after(const sh_run *r, uint32_t from, const char *path)
{
    for (uint32_t i = from; i < r->ncmds; i++)
        if (cmd_deletes(&r->cmds[i], path)) return &r->cmds[i];
    return NULL;
}

int64_t pkg_rm_last(const sh_run *r, const char *path)
{
    for (uint32_t i = r->ncmds; i-- > 0;)
        if (cmd_deletes(&r->cmds[i], path)) return i;
    return -1;
}

/* ---- stages ---- */

int pkg_base_stage(const dw_lint *ctx, int s)
{
    if (s < 0 || (uint32_t)s >= ctx->df->nstages) return -1;
    const dw_stage *st = &ctx->df->stages[s];
    return st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && st->base_stage < s ? st->base_stage : -1;
}

bool *pkg_image_stages(dw_lint *ctx)
{
    bool *img = DW_NEW(ctx->a, bool, ctx->df->nstages + 1);
    /* bases come earlier in the file, so the walk ends */
    for (int s = ctx->final_stage; s >= 0 && !img[s]; s = pkg_base_stage(ctx, s)) img[s] = true;
    return img;
}

/* ---- fixes ---- */

bool pkg_can_fix(const sh_cmd *c)
{
    return !(c->ctx & (SH_CTX_EXEC | SH_CTX_BROKEN)) && c->run->nerrors == 0;
}

bool pkg_word_exact(const dw_lint *ctx, const sh_word *w)
{
    const dw_dockerfile *df = ctx->df;
    return w->raw.len && w->span.end > w->span.start && w->span.end <= df->len &&
           (size_t)(w->span.end - w->span.start) == w->raw.len &&
           memcmp(df->src + w->span.start, w->raw.ptr, w->raw.len) == 0;
}

bool pkg_fix_insert_after(dw_lint *ctx, dw_diag *d, const sh_cmd *c, const sh_word *w, const char *text)
{
    if (!d || !w || !pkg_can_fix(c) || !pkg_word_exact(ctx, w)) return false;
    dw_span at = {w->span.end, w->span.end};
    dw_diag_edit(ctx, d, at, text, strlen(text));
    return true;
}

bool pkg_fix_append(dw_lint *ctx, dw_diag *d, const sh_run *r, const char *text)
{
    if (!d || r->nerrors || r->nscripts != 1 || r->instr->json || r->instr->nheredocs) return false;
    const sh_script *sc = r->scripts[0];
    if (sc->kind != SH_SRC_TEXT || !sc->root || sc->root->nkids != 1) return false;
    const sh_node *chain = sc->root->kids;
    if (!chain || chain->sep == '&' || chain->error) return false;
    if (chain->kind == SH_N_ANDOR) {
        for (const sh_node *k = chain->kids ? chain->kids->next : NULL; k; k = k->next)
            if (k->op != SH_OP_AND) return false;
    } else if (chain->kind != SH_N_SIMPLE && chain->kind != SH_N_PIPELINE) {
        return false;
    }
    /* the chain's last byte, mapped through continuations */
    if (!chain->text.len) return false;
    dw_span last = sh_map_span(sc->map, chain->text.ptr + chain->text.len - 1, 1);
    if (last.end != last.start + 1 || last.end > ctx->df->len ||
        ctx->df->src[last.start] != chain->text.ptr[chain->text.len - 1])
        return false;
    dw_span at = {last.end, last.end};
    dw_diag_edit(ctx, d, at, text, strlen(text));
    return true;
}

/* ---- variables known to the build ---- */

struct pkg_vars {
    dw_lint *ctx;
    hl_map args;      /* ARG name -> index of its first instruction */
    hl_map envs;      /* ENV key -> index into `env` of its last entry */
    struct env_ent { int stage; uint32_t at; int prev; } *env;
    uint32_t nenv;
};

pkg_vars *pkg_vars_new(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    pkg_vars *v = DW_NEW(ctx->a, pkg_vars, 1);
    v->ctx = ctx;
    uint32_t nenv = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++)
        if (df->instrs[i].kind == DW_I_ENV) nenv += df->instrs[i].nkvs;
    hl_map_init(&v->args, ctx->a, 16, false);
    hl_map_init(&v->envs, ctx->a, nenv + 1, false);
    v->env = DW_NEW(ctx->a, struct env_ent, nenv + 1);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind == DW_I_ARG) {
            for (uint32_t k = 0; k < in->nkvs; k++) hl_map_put(&v->args, in->kvs[k].key.text, (int)i, true);
        } else if (in->kind == DW_I_ENV) {
            for (uint32_t k = 0; k < in->nkvs; k++) {
                /* a chain per key: each stage's ENV of that key, newest first */
                struct env_ent *e = &v->env[v->nenv];
                e->stage = in->stage;
                e->at = i;
                e->prev = hl_map_get(&v->envs, in->kvs[k].key.text, -1);
                hl_map_put(&v->envs, in->kvs[k].key.text, (int)v->nenv, false);
                v->nenv++;
            }
        }
    }
    return v;
}

bool pkg_var_known(pkg_vars *v, dw_str name, const dw_instr *at)
{
    const dw_dockerfile *df = v->ctx->df;
    uint32_t idx = (uint32_t)(at - df->instrs);
    int a = hl_map_get(&v->args, name, -1);
    if (a >= 0 && (uint32_t)a < idx) return true;
    /* ENV of the instruction's stage (before it) or of a stage it is built
     * FROM; the chain of bases is followed at most 256 steps, so a file of
     * thousands of chained stages stays linear */
    int budget = 1024; /* ENVs of one key looked at: the same bound */
    for (int e = hl_map_get(&v->envs, name, -1); e >= 0 && budget-- > 0; e = v->env[e].prev) {
        const struct env_ent *ent = &v->env[e];
        if (ent->at >= idx) continue;
        int s = at->stage;
        for (int steps = 0; steps < 256; steps++) {
            if (s == ent->stage) return true;
            if (s < 0) break;
            s = pkg_base_stage(v->ctx, s);
            if (s < 0) break;
        }
    }
    return false;
}
