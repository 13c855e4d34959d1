/* sh_hygiene.c — rules about how RUN scripts behave in a build: no-sudo
 * (DL3004), no-cd (DL3003), irrelevant-command (DL3001), wget-progress
 * (DL3047), curl-and-wget (DL4001), useradd-no-l (DL3046), pipefail
 * (DL4006), shell-via-symlink (DL4005), consecutive-run (DL3059), and our
 * own curl-pipe-shell and chmod-777.
 *
 * They read the command model of src/shell/sh_cmd.h (real commands only;
 * `sudo x` is sudo and x, `sh -c '…'` strings and heredoc bodies are
 * parsed) and report at the offending word. Where hadolint checks
 * ONBUILD RUN too (+OB), so do we. */
#include "sh_misc.h"

#include "hl_util.h"

#include <stdlib.h>

/* ---- no-sudo (DL3004) ---- */

void check_no_sudo(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "sudo"); c; c = sh_run_next(r, c, "sudo")) {
            dw_diag *d;
            if (c->wrapped)
                d = dw_report(ctx, r->top, c->argv[0].span, "sudo runs `%.*s` in a build: RUN already runs as the current USER",
                              (int)c->wrapped->name.len, c->wrapped->name.ptr);
            else
                d = dw_report(ctx, r->top, c->argv[0].span, "sudo in a build: RUN already runs as the current USER");
            dw_diag_help(ctx, d, "drop sudo; to run as root, put `USER root` before this RUN and switch back after it");
        }
    }
}

/* ---- no-cd (DL3003) ---- */

/* `cd` alone, `cd -`, `cd ..`, `cd ~`, `cd /`, `cd $HOME`, `cd $OLDPWD`:
 * going back after another cd, not choosing a directory to work in. */
static bool cd_goes_back(const sh_cmd *c)
{
    if (!c->npos) return true;
    dw_str v = c->pos[0]->value;
    return dw_str_eqc(v, "-") || dw_str_eqc(v, "..") || dw_str_eqc(v, "../") || dw_str_eqc(v, "~") || dw_str_eqc(v, "/") ||
           dw_str_eqc(v, "$HOME") || dw_str_eqc(v, "${HOME}") || dw_str_eqc(v, "$OLDPWD") || dw_str_eqc(v, "${OLDPWD}");
}

/* The directory does not outlive the RUN: a temporary one (under /tmp, made
 * by mktemp), or one a later `rm` of the same RUN removes (or a parent of it). */
static bool cd_dir_temporary(const ms_rm_index *rm, const sh_cmd *c)
{
    const sh_word *w = c->pos[0];
    dw_str v = w->value;
    if (dw_str_has_prefix(v, "/tmp/") || dw_str_eqc(v, "/tmp") || ms_contains(w->raw, "mktemp")) return true;
    return ms_removed_later(rm, c, v);
}

void check_no_cd(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, false); /* hadolint leaves ONBUILD RUN alone */
        if (!r) continue;
        /* WORKDIR can replace a cd that picks the one directory the rest of
         * the RUN works in. It cannot replace a script that moves between
         * directories (a later cd follows), a cd scoped by a subshell, or a
         * cd into a directory the RUN itself throws away (building from a
         * source tarball under /usr/src, then removing it) — WORKDIR would
         * leave that directory behind and change the image's own working
         * directory. */
        bool moved = false; /* an earlier cd of the RUN was one of those */
        uint32_t last_cd = 0;
        for (const sh_cmd *c = sh_run_next(r, NULL, "cd"); c; c = sh_run_next(r, c, "cd")) last_cd = c->index;
        ms_rm_index rm;
        rm.run = NULL;
        for (const sh_cmd *c = sh_run_next(r, NULL, "cd"); c; c = sh_run_next(r, c, "cd")) {
            if (cd_goes_back(c)) { moved = true; continue; }
            dw_str dir = c->pos[0]->value;
            bool relative = dir.len && dir.ptr[0] != '/' && dir.ptr[0] != '$' && dir.ptr[0] != '~';
            if (!rm.run) ms_rm_index_init(ctx, &rm, r);
            if ((relative && moved) || (c->ctx & SH_CTX_SUBSHELL) || c->index < last_cd || cd_dir_temporary(&rm, c)) {
                moved = true;
                continue;
            }
            dw_diag *d = dw_report(ctx, r->top, c->argv[0].span, "`cd %.*s` changes directory inside a RUN: use WORKDIR",
                                   (int)dir.len, dir.ptr);
            dw_diag_help(ctx, d, "put `WORKDIR %.*s` before this RUN; it also sets the directory of later instructions",
                         (int)dir.len, dir.ptr);
        }
    }
}

/* ---- irrelevant-command (DL3001) ---- */

static const struct {
    const char *name, *why;
} irrelevant[] = {
    {"ssh", "connects to another machine from inside the build"},
    {"vim", "is an interactive editor: nobody can type into a build"},
    {"shutdown", "cannot shut down a build container, which has no init"},
    {"service", "starts a service that stops when this RUN ends"},
    {"ps", "lists the build container's processes, which the image does not keep"},
    {"top", "shows the build container's processes, which the image does not keep"},
    {"free", "shows the build machine's memory, which says nothing about where the image runs"},
    {"kill", "signals a process of the build container, which ends with this RUN anyway"},
    {"mount", "makes a mount that vanishes when this RUN ends (and needs privileges a build lacks)"},
    {"ifconfig", "configures the build container's network, which the image does not keep"},
};

void check_irrelevant_command(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            for (size_t j = 0; j < sizeof irrelevant / sizeof irrelevant[0]; j++) {
                if (!sh_cmd_is(c, irrelevant[j].name)) continue;
                dw_diag *d = dw_report(ctx, r->top, c->argv[0].span, "`%s` %s", irrelevant[j].name, irrelevant[j].why);
                dw_diag_help(ctx, d, "remove it: a build runs each RUN in a fresh container and keeps only its files");
                break;
            }
        }
    }
}

/* ---- wget-progress (DL3047) ---- */

void check_wget_progress(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "wget"); c; c = sh_run_next(r, c, "wget")) {
            if (sh_cmd_has_any_flag(c, "progress", "q", "quiet", "o", "output-file", "a", "append-output", "no-verbose", NULL) ||
                sh_cmd_has_arg(c, "-nv"))
                continue;
            dw_diag *d = dw_report(ctx, r->top, c->argv[0].span, "wget without --progress or -q fills the build log with progress dots");
            dw_diag_help(ctx, d, "add `--progress=dot:giga`, or `-q`/`-nv` for no progress at all");
        }
    }
}

/* ---- curl-and-wget (DL4001) ---- */

typedef struct {
    bool curl, wget;              /* used in the stage so far */
    uint32_t curl_line, wget_line; /* where first */
} dl_state;

static uint32_t node_depth(const sh_node *n)
{
    uint32_t d = 0;
    for (; n->parent; n = n->parent) d++;
    return d;
}

/* Commands a and b never both run: they sit in different arms of one case,
 * in different branches of one if (not its condition), or b is the
 * fallback of a `||`. `if command -v wget …; then wget …; else curl …; fi`
 * and `wget … || curl …` use one tool, not both. */
static bool exclusive(const sh_cmd *ca, const sh_cmd *cb)
{
    const sh_node *a = ca->node, *b = cb->node;
    /* a command inside `sh -c '…'` is judged where that shell runs */
    const sh_node *la[SH_MAX_DEPTH + 2], *lb[SH_MAX_DEPTH + 2];
    uint32_t na = 0, nb = 0;
    for (const sh_node *n = a; n && na < SH_MAX_DEPTH + 2; n = n->script ? n->script->owner : NULL) la[na++] = n;
    for (const sh_node *n = b; n && nb < SH_MAX_DEPTH + 2; n = n->script ? n->script->owner : NULL) lb[nb++] = n;
    bool found = false;
    for (uint32_t i = 0; i < na && !found; i++)
        for (uint32_t j = 0; j < nb && !found; j++)
            if (la[i]->script == lb[j]->script) { a = la[i]; b = lb[j]; found = true; }
    if (!found || a == b) return false;
    uint32_t da = node_depth(a), db = node_depth(b);
    for (; da > db; da--) a = a->parent;
    for (; db > da; db--) b = b->parent;
    if (a == b) return false;
    while (a->parent != b->parent) {
        a = a->parent;
        b = b->parent;
    }
    const sh_node *l = a->parent;
    if (!l) return false;
    if (l->kind == SH_N_CASE) return true;
    if (l->kind == SH_N_IF) return a->role != SH_ROLE_COND && b->role != SH_ROLE_COND;
    if (l->kind == SH_N_ANDOR) {
        for (const sh_node *k = l->kids; k; k = k->next) {
            if (k == a) return b->op == SH_OP_OR; /* a comes first: b is its fallback */
            if (k == b) return a->op == SH_OP_OR;
        }
    }
    return false;
}

/* Some curl and some wget of the run may both run. Many of each (never
 * seen in real files) are taken as both used, to stay linear. */
static bool both_may_run(const sh_run *r)
{
    uint32_t nc = 0, nw = 0;
    const sh_cmd *cs[16], *ws[16];
    for (uint32_t k = 0; k < r->ncmds; k++) {
        const sh_cmd *c = &r->cmds[k];
        if (sh_cmd_is(c, "curl")) { if (nc == 16) return true; cs[nc++] = c; }
        if (sh_cmd_is(c, "wget")) { if (nw == 16) return true; ws[nw++] = c; }
    }
    for (uint32_t i = 0; i < nc; i++)
        for (uint32_t j = 0; j < nw; j++)
            if (!exclusive(cs[i], ws[j])) return true;
    return false;
}

static void curl_wget_run(dw_lint *ctx, const sh_run *r, dl_state *st)
{
    const char *where = ms_onbuild(r) ? "the ONBUILD triggers download" : "this stage downloads";
    const sh_cmd *first = NULL, *curl = NULL, *wget = NULL;
    for (uint32_t k = 0; k < r->ncmds; k++) {
        const sh_cmd *c = &r->cmds[k];
        bool is_curl = sh_cmd_is(c, "curl"), is_wget = sh_cmd_is(c, "wget");
        if (!is_curl && !is_wget) continue;
        if (!first) first = c;
        if (is_curl && !curl) curl = c;
        if (is_wget && !wget) wget = c;
    }
    if (!first) return;
    /* a RUN that picks one tool or the other counts as using neither: which
     * one runs is decided at build time */
    if (curl && wget && !both_may_run(r)) return;
    uint32_t line = r->top->line;
    if (curl && !st->curl) { st->curl = true; st->curl_line = line; }
    if (wget && !st->wget) { st->wget = true; st->wget_line = line; }
    if (!st->curl || !st->wget) return;
    /* name the other tool where the stage first used it */
    bool first_is_curl = sh_cmd_is(first, "curl");
    const char *other = first_is_curl ? "wget" : "curl";
    uint32_t other_line = first_is_curl ? st->wget_line : st->curl_line;
    dw_diag *d;
    if (other_line == line)
        d = dw_report(ctx, r->top, first->argv[0].span, "both curl and wget download in this RUN: one tool is enough");
    else
        d = dw_report(ctx, r->top, first->argv[0].span, "%s with both curl and wget (%s at line %u): one tool is enough", where,
                      other, other_line);
    dw_diag_help(ctx, d, "use the same tool for every download, and install only that one");
}

void check_curl_and_wget(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    dl_state stage_st, onbuild_st;
    memset(&stage_st, 0, sizeof stage_st);
    memset(&onbuild_st, 0, sizeof onbuild_st);
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) { /* per stage; ONBUILD triggers all run in some child build */
            stage = in->stage;
            memset(&stage_st, 0, sizeof stage_st);
        }
        const sh_run *r = ms_run(runs, i, true);
        if (r) curl_wget_run(ctx, r, ms_onbuild(r) ? &onbuild_st : &stage_st);
    }
}

/* ---- useradd-no-l (DL3046) ---- */

void check_useradd_no_l(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "useradd"); c; c = sh_run_next(r, c, "useradd")) {
            if (sh_cmd_has_any_flag(c, "-l", "--no-log-init", NULL)) continue;
            const sh_flag *u = sh_cmd_flag(c, "-u");
            if (!u) u = sh_cmd_flag(c, "--uid");
            if (!u || !u->has_value) continue;
            /* a UID from a variable is not known here; hadolint's threshold
             * is more than 5 characters, i.e. 100000 and up */
            if (u->value_word && ms_word_unknown(u->value_word)) continue;
            dw_str v = u->value;
            if (v.len <= 5 || dw_str_chr(v, '$') || !hl_is_digits(v)) continue;
            /* lastlog holds one 292-byte record per UID up to the highest */
            double mb = 0;
            for (size_t k = 0; k < v.len && mb < 1e12; k++) mb = mb * 10 + (v.ptr[k] - '0');
            mb = mb * 292 / (1024.0 * 1024.0);
            dw_span sp = u->value_word ? u->value_word->span : u->word->span;
            dw_diag *d = dw_report(ctx, r->top, sp,
                                   "useradd with UID %.*s and without -l writes a sparse /var/log/lastlog of %.0f MB, "
                                   "which the layer stores in full",
                                   (int)v.len, v.ptr, mb);
            dw_diag_help(ctx, d, "add -l (--no-log-init) so the user is not added to lastlog and faillog");
            ms_insert_arg_after(ctx, d, c, &c->argv[0], "-l");
        }
    }
}

/* ---- pipefail (DL4006) ---- */

/* Words of a command line turn pipefail on: a short-option cluster with
 * `o` (-o, -eo, -euxo) followed by `pipefail`. */
static bool words_set_pipefail(const sh_word *w, uint32_t n)
{
    for (uint32_t i = 0; i + 1 < n; i++) {
        dw_str v = w[i].value;
        if (v.len < 2 || v.ptr[0] != '-' || v.ptr[1] == '-' || !dw_str_chr(v, 'o')) continue;
        for (uint32_t k = i + 1; k < n; k++) {
            if (sh_word_is(&w[k], "pipefail")) return true;
            if (!w[k].value.len || w[k].value.ptr[0] != '-') break;
        }
    }
    return false;
}

/* The SHELL instruction runs scripts with pipefail: bash, zsh or ash (by
 * basename) with `-o pipefail`, as hadolint decides; /bin/sh -o pipefail
 * does not count (dash has no pipefail on most releases). */
static bool shell_has_pipefail(const dw_instr *shell)
{
    if (!shell || !shell->nargs) return false;
    dw_str prog = ms_basename(shell->args[0].text);
    if (!dw_str_eqc(prog, "bash") && !dw_str_eqc(prog, "zsh") && !dw_str_eqc(prog, "ash")) return false;
    for (uint32_t i = 1; i < shell->nargs; i++) {
        dw_str v = shell->args[i].text;
        if (v.len < 2 || v.ptr[0] != '-' || v.ptr[1] == '-' || !dw_str_chr(v, 'o')) continue;
        for (uint32_t k = 1; k < shell->nargs; k++)
            if (dw_str_eqc(shell->args[k].text, "pipefail")) return true;
    }
    return false;
}

typedef struct {
    uintptr_t script;
    uint32_t first; /* index of the first `set -o pipefail` in it */
} set_pos;

static int set_pos_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const set_pos *)a)->script, y = ((const set_pos *)b)->script;
    return x < y ? -1 : x > y;
}

/* The first `set -o pipefail` of script s, or UINT32_MAX. */
static uint32_t set_in_script(const set_pos *sets, uint32_t n, const sh_script *s)
{
    uintptr_t key = (uintptr_t)s;
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sets[mid].script < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && sets[lo].script == key ? sets[lo].first : UINT32_MAX;
}

/* The shell program a `sh -c`/`bash <<EOF` node runs (behind any wrapper:
 * `sudo bash -c …`), by basename. */
static dw_str shell_of(const sh_node *o)
{
    for (uint32_t k = 0; k < o->nwords; k++) {
        dw_str b = ms_basename(o->words[k].value);
        if (sh_prog_is_shell(b)) return b;
    }
    return o->nwords ? ms_basename(o->words[0].value) : dw_str_c("sh");
}

/* Whether the pipeline starting at command p runs with pipefail: a `set -o
 * pipefail` before it in its script or in an enclosing $(…) level, else the
 * shell that runs the script — the one of `sh -c`/`bash <<EOF` (a new shell
 * does not inherit the option), or the RUN's SHELL for the RUN's own
 * script. `*who` gets the name of that shell. */
static bool pipeline_has_pipefail(const sh_run *r, const sh_cmd *p, const set_pos *sets, uint32_t nsets, dw_str *who)
{
    for (const sh_script *s = p->script; s; s = s->parent) {
        uint32_t first = set_in_script(sets, nsets, s);
        if (first < p->index) return true;
        if (s->kind == SH_SRC_DASH_C || s->kind == SH_SRC_STDIN) {
            const sh_node *o = s->owner;
            *who = o ? shell_of(o) : dw_str_c("sh");
            return o && words_set_pipefail(o->words, o->nwords);
        }
        if (s->kind != SH_SRC_CMDSUB && s->kind != SH_SRC_BACKTICK) break; /* the RUN's own script */
    }
    *who = r->shell && r->shell->nargs ? r->shell->args[0].text : dw_str_c("/bin/sh");
    return shell_has_pipefail(r->shell);
}

/* Every command before the last pipe of the pipeline starting at cmds[k]
 * only prints what it was given (echo, printf, yes, true, cat of its
 * stdin): pipefail cannot catch anything there (with `yes`, it would only
 * turn the reader's early exit into a failure). `echo "$sum *f" | sha256sum
 * -c -` is the common case. */
static bool pipe_feeds_only_text(const sh_run *r, uint32_t k)
{
    const sh_node *p = r->cmds[k].pipeline;
    const sh_script *sc = r->cmds[k].script;
    for (uint32_t j = k; j < r->ncmds; j++) {
        const sh_cmd *x = &r->cmds[j];
        if (x->script != sc) continue;               /* inside $(…) or sh -c: not a stage of this pipe */
        if (x->node->span.start >= p->span.end) break; /* past the pipeline */
        if (x->wrapper) continue;
        if (x->pipeline != p) return false;          /* a nested pipeline or compound: not judged */
        if (x->pipe_pos + 1 >= x->pipe_len) continue; /* the last stage decides the status anyway */
        bool text = sh_cmd_is_any(x, "echo", "printf", "yes", "true", NULL) || (sh_cmd_is(x, "cat") && !x->npos);
        if (!text) return false;
    }
    return true;
}

void check_pipefail(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    DW_VEC(set_pos) sets = {0};
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        /* hadolint leaves ONBUILD RUN alone: the SHELL in effect when the
         * trigger runs is the child build's */
        const sh_run *r = ms_run(runs, i, false);
        if (!r) continue;
        sets.n = 0;
        for (const sh_cmd *c = sh_run_next(r, NULL, "set"); c; c = sh_run_next(r, c, "set")) {
            if (!words_set_pipefail(c->argv, c->argc)) continue;
            set_pos sp = {(uintptr_t)c->script, c->index};
            DW_VEC_PUSH(ctx->a, sets, sp);
        }
        /* keep the first per script (sorted by script, then by index) */
        if (sets.n > 1) {
            qsort(sets.v, sets.n, sizeof *sets.v, set_pos_cmp);
            uint32_t w = 0;
            for (uint32_t k = 0; k < sets.n; k++) {
                if (w && sets.v[w - 1].script == sets.v[k].script) {
                    if (sets.v[k].first < sets.v[w - 1].first) sets.v[w - 1].first = sets.v[k].first;
                    continue;
                }
                sets.v[w++] = sets.v[k];
            }
            sets.n = w;
        }
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (c->pipe_len < 2 || c->pipe_pos != 0 || c->wrapper || !c->pipeline) continue;
            if (pipe_feeds_only_text(r, k)) continue;
            dw_str who;
            if (pipeline_has_pipefail(r, c, sets.v, sets.n, &who)) continue;
            dw_diag *d = dw_report(ctx, r->top, c->pipeline ? c->pipeline->span : c->argv[0].span,
                                   "a failure of `%.*s` before the pipe goes unnoticed: `%.*s` runs this pipe without pipefail",
                                   (int)c->name.len, c->name.ptr, (int)who.len, who.ptr);
            dw_diag_help(ctx, d, "put `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before this RUN (on Alpine, "
                         "/bin/ash has pipefail too), or start the script with `set -o pipefail` in a shell that has it");
            break; /* one finding per RUN, at its first such pipe */
        }
    }
}

/* ---- shell-via-symlink (DL4005) ---- */

void check_shell_via_symlink(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        for (const sh_cmd *c = sh_run_next(r, NULL, "ln"); c; c = sh_run_next(r, c, "ln")) {
            /* the link made is the last operand: `ln -sf /bin/bash /bin/sh` */
            if (c->npos < 2) continue;
            const sh_word *dest = c->pos[c->npos - 1];
            if (!sh_word_is(dest, "/bin/sh") && !sh_word_is(dest, "/usr/bin/sh")) continue;
            dw_diag *d = dw_report(ctx, r->top, dest->span, "`ln` replaces %.*s, the shell of every later RUN: change the shell with SHELL",
                                   (int)dest->value.len, dest->value.ptr);
            dw_diag_help(ctx, d, "use `SHELL [\"/bin/bash\", \"-c\"]` (or the shell you want) instead of relinking /bin/sh");
        }
    }
}

/* ---- consecutive-run (DL3059) ---- */

/* The simple commands a run executes, wrappers counted once (hadolint
 * counts each simple command of its parse). */
static uint32_t run_commands(const sh_run *r)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < r->ncmds; k++) n += r->cmds[k].wrapper == NULL;
    return n;
}

/* Both RUNs have the same flags (--mount, --network, --security), in any order. */
static bool same_run_flags(const dw_instr *a, const dw_instr *b)
{
    if (a->nflags != b->nflags) return false;
    for (uint32_t i = 0; i < a->nflags; i++) {
        bool found = false;
        for (uint32_t k = 0; k < b->nflags && !found; k++) found = dw_str_eq(a->flags[i].raw, b->flags[k].raw);
        if (!found) return false;
    }
    return true;
}

void check_consecutive_run(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    /* hadolint's fold: the previous RUN (flags, command count) while only
     * RUNs follow each other (comments are not instructions here); a RUN
     * with more than one command was split on purpose; on a finding the
     * remembered RUN stays, so `RUN a`, `RUN b`, `RUN c` gives two */
    const dw_instr *prev = NULL;
    uint32_t prev_count = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_RUN) { prev = NULL; continue; }
        const sh_run *r = ms_run(runs, i, false);
        uint32_t count = r ? run_commands(r) : 2; /* not parsed: not judged */
        if (prev && same_run_flags(prev, in) && count <= 1 && prev_count <= 1) {
            dw_diag *d = dw_report(ctx, in, in->keyword_span, "this RUN directly follows another one (line %u): the two could be one layer",
                                   prev->line);
            dw_diag_help(ctx, d, "join them into one RUN with `&&`");
            dw_diag_related(ctx, d, prev->keyword_span, "previous RUN");
            continue;
        }
        prev = in;
        prev_count = count;
    }
}

/* ---- curl-pipe-shell ---- */

/* The command's standard output goes to a file (> file, &> file, >&2). */
static bool stdout_redirected(const sh_cmd *c)
{
    for (uint32_t i = 0; i < c->node->nredirs; i++) {
        const sh_redir *rd = &c->node->redirs[i];
        if (rd->fd > 1) continue;
        if (rd->kind == SH_R_OUT || rd->kind == SH_R_APPEND || rd->kind == SH_R_CLOBBER || rd->kind == SH_R_OUT_ERR ||
            rd->kind == SH_R_APPEND_ERR || rd->kind == SH_R_DUP_OUT)
            return true;
    }
    return false;
}

/* curl without -o/-O, or wget -O -: the download goes to standard output. */
static bool downloads_to_stdout(const sh_cmd *c)
{
    if (sh_cmd_is(c, "curl")) {
        for (uint32_t i = 0; i < c->nflags; i++) {
            const sh_flag *f = &c->flags[i];
            if ((!f->is_long && f->name.ptr[0] == 'o') || (f->is_long && dw_str_eqc(f->name, "output"))) {
                if (!dw_str_eqc(f->value, "-")) return false;
            } else if ((!f->is_long && f->name.ptr[0] == 'O') || (f->is_long && dw_str_has_prefix(f->name, "remote-name"))) {
                return false;
            }
        }
        return !stdout_redirected(c);
    }
    if (sh_cmd_is(c, "wget")) {
        const sh_flag *o = sh_cmd_flag(c, "-O");
        if (!o) o = sh_cmd_flag(c, "--output-document");
        return o && dw_str_eqc(o->value, "-") && !stdout_redirected(c);
    }
    return false;
}

/* An interpreter reading its program from standard input: sh/bash without
 * a script (or with -s), python/perl/ruby/node/php with none or `-`. */
static bool runs_stdin(const sh_cmd *c)
{
    if (sh_prog_is_shell(c->name)) return c->shell_mode == SH_SHELL_STDIN;
    dw_str n = c->name;
    size_t k = n.len;
    while (k > 1 && ((n.ptr[k - 1] >= '0' && n.ptr[k - 1] <= '9') || n.ptr[k - 1] == '.')) k--;
    n.len = k;
    if (!dw_str_eqc(n, "python") && !dw_str_eqc(n, "perl") && !dw_str_eqc(n, "ruby") && !dw_str_eqc(n, "node") &&
        !dw_str_eqc(n, "php") && !dw_str_eqc(n, "pypy"))
        return false;
    for (uint32_t i = 1; i < c->argc; i++) {
        dw_str v = c->argv[i].value;
        if (dw_str_eqc(v, "-")) return true;
        if (dw_str_eqc(v, "-c") || dw_str_eqc(v, "-m") || dw_str_eqc(v, "-e") || dw_str_eqc(v, "-E") || dw_str_eqc(v, "-r") ||
            dw_str_eqc(v, "-p"))
            return false;
        if (v.len && v.ptr[0] != '-') return false; /* a script file */
    }
    return true;
}

/* `runner` NULL: the output is run as a command line ($(curl …) as a command). */
static void report_pipe_shell(dw_lint *ctx, const sh_run *r, const sh_cmd *dl, const sh_word *at, const dw_str *runner)
{
    dw_diag *d;
    if (runner)
        d = dw_report(ctx, r->top, at->span, "the output of `%.*s` is run by `%.*s` unverified: whatever the server sends is executed",
                      (int)dl->name.len, dl->name.ptr, (int)runner->len, runner->ptr);
    else
        d = dw_report(ctx, r->top, at->span, "the output of `%.*s` is run as a command unverified: whatever the server sends is executed",
                      (int)dl->name.len, dl->name.ptr);
    dw_diag_help(ctx, d, "download to a file, check its checksum (`echo \"<sha256>  file\" | sha256sum -c`) or signature, "
                 "then run it");
    if (at != &dl->argv[0]) dw_diag_related(ctx, d, dl->argv[0].span, "downloaded here");
}

/* A substitution ($(…), `…`, <(…)) whose script downloads to stdout. */
typedef struct {
    uintptr_t script;
    const sh_cmd *dl;
} dl_sub;

static int dl_sub_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const dl_sub *)a)->script, y = ((const dl_sub *)b)->script;
    return x < y ? -1 : x > y;
}

static const sh_cmd *find_download(const dl_sub *subs, uint32_t n, const sh_script *s)
{
    if (!s || !n) return NULL;
    dl_sub key = {(uintptr_t)s, NULL};
    const dl_sub *hit = bsearch(&key, subs, n, sizeof *subs, dl_sub_cmp);
    return hit ? hit->dl : NULL;
}

/* Reports word w of command c when one of its $(…), `…` or <(…) downloads:
 * the word is run as code (a command name, eval's argument, a script file). */
static void check_code_word(dw_lint *ctx, const sh_run *r, const sh_cmd *c, const sh_word *w, const dl_sub *subs, uint32_t n)
{
    for (uint32_t p = 0; p < w->nparts; p++) {
        const sh_cmd *dl = find_download(subs, n, w->parts[p].script);
        if (!dl) continue;
        if (w != &c->argv[0]) {
            report_pipe_shell(ctx, r, dl, &dl->argv[0], &c->name);
        } else if (c->script->kind == SH_SRC_DASH_C && c->script->owner) {
            /* sh -c "$(curl …)": the string's first word is the download */
            dw_str sh = shell_of(c->script->owner);
            report_pipe_shell(ctx, r, dl, &dl->argv[0], &sh);
        } else {
            report_pipe_shell(ctx, r, dl, &dl->argv[0], NULL);
        }
        return;
    }
}

void check_curl_pipe_shell(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    DW_VEC(dl_sub) subs = {0};
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        subs.n = 0;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *dl = &r->cmds[k];
            if (!downloads_to_stdout(dl)) continue;
            if (dl->script->kind == SH_SRC_CMDSUB || dl->script->kind == SH_SRC_BACKTICK) {
                dl_sub s = {(uintptr_t)dl->script, dl};
                DW_VEC_PUSH(ctx->a, subs, s);
            }
            /* curl … | sh: the next command of the same pipeline reads it */
            if (!dl->pipeline || dl->pipe_pos + 1 >= dl->pipe_len) continue;
            for (uint32_t j = k + 1; j < r->ncmds; j++) {
                const sh_cmd *c = &r->cmds[j];
                if (c->script == dl->script && c->node->span.start >= dl->pipeline->span.end) break; /* past the pipe */
                if (c->pipeline != dl->pipeline) continue;
                if (c->pipe_pos == dl->pipe_pos + 1 && runs_stdin(c)) {
                    report_pipe_shell(ctx, r, dl, &c->argv[0], &c->name);
                    break;
                }
                if (c->pipe_pos > dl->pipe_pos + 1) break;
            }
        }
        if (!subs.n) continue;
        qsort(subs.v, subs.n, sizeof *subs.v, dl_sub_cmp);
        /* sh -c "$(curl …)", eval "$(curl …)", $(curl …) as a command,
         * bash <(curl …), source <(curl …) */
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (c->wrapper) continue; /* its words are its wrapper's */
            check_code_word(ctx, r, c, &c->argv[0], subs.v, subs.n);
            const sh_cmd *x = c;
            while (x->wrapped) x = x->wrapped;
            if (sh_cmd_is(x, "eval")) {
                for (uint32_t a = 1; a < x->argc; a++) check_code_word(ctx, r, x, &x->argv[a], subs.v, subs.n);
            } else if ((sh_cmd_is(x, "source") || sh_cmd_is(x, ".")) && x->argc > 1) {
                check_code_word(ctx, r, x, &x->argv[1], subs.v, subs.n);
            } else if (sh_prog_is_shell(x->name) && x->shell_mode == SH_SHELL_FILE && x->shell_arg) {
                check_code_word(ctx, r, x, x->shell_arg, subs.v, subs.n);
            }
        }
    }
}

/* ---- chmod-777 ---- */

/* The mode gives others write permission; *sticky when it also sets the
 * sticky bit (a shared directory such as /tmp, where that is the point). */
static bool mode_world_writable(dw_str m, bool *sticky)
{
    *sticky = false;
    if (!m.len) return false;
    bool octal = m.len <= 4;
    for (size_t i = 0; i < m.len && octal; i++) octal = m.ptr[i] >= '0' && m.ptr[i] <= '7';
    if (octal) {
        *sticky = m.len == 4 && ((m.ptr[0] - '0') & 1);
        return ((m.ptr[m.len - 1] - '0') & 2) != 0;
    }
    /* symbolic: clauses [ugoa]*([-+=][rwxXstugo]*)+ separated by commas;
     * without u/g/o/a the umask limits what is granted, so only o and a count */
    bool world = false;
    size_t i = 0;
    while (i < m.len) {
        bool others = false;
        while (i < m.len && strchr("ugoa", m.ptr[i])) others |= m.ptr[i] == 'o' || m.ptr[i] == 'a', i++;
        while (i < m.len && (m.ptr[i] == '+' || m.ptr[i] == '-' || m.ptr[i] == '=')) {
            char op = m.ptr[i++];
            while (i < m.len && m.ptr[i] != ',' && m.ptr[i] != '+' && m.ptr[i] != '-' && m.ptr[i] != '=') {
                if (op != '-' && m.ptr[i] == 'w' && others) world = true;
                if (op != '-' && m.ptr[i] == 't') *sticky = true;
                i++;
            }
        }
        if (i < m.len && m.ptr[i] != ',') return false; /* not a mode */
        i++;
    }
    return world;
}

static void check_mode_word(dw_lint *ctx, const sh_run *r, ms_rm_index *rm, const sh_cmd *c, const sh_word *mode,
                            const sh_word *path)
{
    bool sticky;
    if (!mode || ms_word_unknown(mode) || (mode->flags & SH_W_EXPANDS)) return;
    if (!mode_world_writable(mode->value, &sticky) || sticky) return;
    /* a scratch directory the same RUN removes never reaches the image */
    if (path) {
        if (!rm->run) ms_rm_index_init(ctx, rm, r);
        if (ms_removed_later(rm, c, path->value)) return;
    }
    dw_str p = path ? path->value : dw_str_c("the files");
    bool chmod = sh_cmd_is(c, "chmod");
    dw_diag *d = dw_report(ctx, r->top, mode->span, "`%.*s %s%.*s` makes `%.*s` writable by every user of the container",
                           (int)c->name.len, c->name.ptr, chmod ? "" : "-m ", (int)mode->value.len, mode->value.ptr, (int)p.len,
                           p.ptr);
    dw_diag_help(ctx, d, "give write access only to the user that needs it (`chown app …` and `chmod 755`/`750`); a "
                 "directory shared by everyone needs the sticky bit (`chmod 1777`)");
}

void check_chmod_777(dw_lint *ctx)
{
    sh_run **runs = dw_lint_runs(ctx);
    for (uint32_t i = 0; i < ctx->df->ninstrs; i++) {
        const sh_run *r = ms_run(runs, i, true);
        if (!r) continue;
        ms_rm_index rm;
        rm.run = NULL;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (sh_cmd_is(c, "chmod")) {
                if (c->npos >= 2) check_mode_word(ctx, r, &rm, c, c->pos[0], c->pos[1]);
            } else if (sh_cmd_is(c, "mkdir") || sh_cmd_is(c, "install")) {
                const sh_flag *m = sh_cmd_flag(c, "-m");
                if (!m) m = sh_cmd_flag(c, "--mode");
                if (m && m->value_word) check_mode_word(ctx, r, &rm, c, m->value_word, c->npos ? c->pos[c->npos - 1] : NULL);
            }
        }
    }
}
