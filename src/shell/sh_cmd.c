/* sh_cmd.c — builds the command-line model of a run: walks its scripts in
 * source order, turns every simple command into an sh_cmd (and the command
 * a wrapper runs into another), reads flags and positionals with the
 * program's table, and parses what shells run — the string of `sh -c`, a
 * heredoc or here-string fed to `bash` — as further scripts, whose commands
 * join the list. The walk recurses along the tree, whose depth the parser
 * bounds; siblings are iterated. */
#include "sh_cmd.h"

typedef struct {
    uint32_t bits;
    uint16_t pipe_pos, pipe_len;
    uint8_t op_before, op_after;
    const sh_node *pipeline, *andor;
} frame;

/* What the walk knows about a command while the list is still growing (its
 * links are indices until the list is final). */
typedef struct {
    int32_t wrapper;       /* index of the wrapper, -1 */
    uint32_t prog;         /* argv index of the wrapped program, 0 = none */
    dw_str prog_name;      /* name of the wrapped program when not argv[prog]'s (python -mpip) */
    uint32_t assign0, assign1; /* argv range of the wrapper's NAME=value words */
} aux;

typedef struct {
    dw_arena *a;
    sh_run *run;
    const char *src;       /* the file's bytes, for exec-form words */
    uint32_t len;
    struct { sh_cmd *v; uint32_t n, cap; } cmds;
    struct { aux *v; uint32_t n, cap; } aux;
    struct { sh_flag *v; uint32_t n, cap; } flags;     /* scratch for one command */
    struct { const sh_word **v; uint32_t n, cap; } pos; /* scratch for one command */
} walker;

static void walk_node(walker *W, const sh_node *n, frame f);
static void walk_script(walker *W, const sh_script *sc, frame f);

/* ---- flags and positionals -------------------------------------------- */

static dw_str basename_of(dw_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.ptr[i - 1] == '/') return dw_str_make(s.ptr + i, s.len - i);
    return s;
}

typedef struct {
    const sh_prog *prog;
    bool stop_at_operand;   /* options end at the first operand (wrappers, shells, python) */
    aux *out;               /* wrapper results */
} classify_opts;

static void push_flag(walker *W, const sh_word *w, dw_str name, bool is_long)
{
    sh_flag f;
    memset(&f, 0, sizeof f);
    f.word = w;
    f.name = name;
    f.is_long = is_long;
    DW_SVEC_PUSH(W->flags, f);
}

/* Reads argv[1…] of c into flags and positionals under `spec`. With a
 * wrapper table, the first operand that is not skipped is the program the
 * wrapper runs; from there on every word is the wrapper's positional. */
static void classify(walker *W, sh_cmd *c, const sh_flagspec *spec, const classify_opts *o)
{
    static const sh_flagspec none;
    if (!spec) spec = &none;
    W->flags.n = W->pos.n = 0;
    const sh_prog *prog = o ? o->prog : NULL;
    bool wrapper = prog && (prog->kind == SH_PROG_WRAPPER || prog->kind == SH_PROG_PYTHON);
    bool posix = o && o->stop_at_operand;
    bool plus = prog && prog->kind == SH_PROG_SHELL;
    uint32_t skip = prog ? prog->skip : 0;
    bool opts = true, nocmd = false;
    for (uint32_t i = 1; i < c->argc; i++) {
        const sh_word *w = &c->argv[i];
        dw_str v = w->value;
        if (opts && dw_str_eqc(v, "--")) { opts = false; continue; }
        bool is_opt = opts && v.len >= 2 && (v.ptr[0] == '-' || (plus && v.ptr[0] == '+'));
        if (is_opt && (v.ptr[1] == '-' || spec->single_dash_long) && v.ptr[0] == '-') {
            size_t s = v.ptr[1] == '-' ? 2 : 1;
            dw_str body = dw_str_sub(v, s, v.len);
            const char *eq = dw_str_chr(body, '=');
            push_flag(W, w, eq ? dw_str_make(body.ptr, (size_t)(eq - body.ptr)) : body, true);
            sh_flag *f = &W->flags.v[W->flags.n - 1];
            if (eq) {
                f->value = dw_str_make(eq + 1, body.len - f->name.len - 1);
                f->has_value = true;
            } else if (sh_flagspec_takes_value(spec, f->name, true) && i + 1 < c->argc) {
                f->value_word = &c->argv[++i];
                f->value = f->value_word->value;
                f->has_value = true;
            }
            if (s == 2 && f->name.len == 0) W->flags.n--; /* "--=" is not a flag */
            continue;
        }
        if (is_opt) { /* a bundle of short options */
            for (size_t j = 1; j < v.len; j++) {
                dw_str name = dw_str_make(v.ptr + j, 1);
                push_flag(W, w, name, false);
                if (prog && prog->nocmd && v.ptr[j] && strchr(prog->nocmd, v.ptr[j])) nocmd = true;
                if (!sh_flagspec_takes_value(spec, name, false)) continue;
                sh_flag *f = &W->flags.v[W->flags.n - 1];
                if (j + 1 < v.len) {
                    f->value = dw_str_sub(v, j + 1, v.len);
                    f->has_value = true;
                } else if (i + 1 < c->argc) {
                    f->value_word = &c->argv[++i];
                    f->value = f->value_word->value;
                    f->has_value = true;
                }
                if (prog && prog->kind == SH_PROG_PYTHON && v.ptr[j] == 'm' && o->out && !nocmd) {
                    /* python -m MODULE: MODULE is the command */
                    if (f->value_word) {
                        o->out->prog = (uint32_t)(f->value_word - c->argv);
                    } else {
                        o->out->prog = i;
                        o->out->prog_name = f->value;
                    }
                    for (uint32_t k = i + 1; k < c->argc; k++) DW_SVEC_PUSH(W->pos, &c->argv[k]);
                    return;
                }
                break;
            }
            continue;
        }
        if (wrapper && opts && o->out && !nocmd) {
            dw_str name;
            if (dw_str_eqc(v, "-")) continue; /* env - : an empty environment */
            if (prog->assigns && sh_word_assignment(w, &name, NULL)) {
                if (!o->out->assign1) o->out->assign0 = i;
                o->out->assign1 = i + 1;
                DW_SVEC_PUSH(W->pos, w);
                continue;
            }
            DW_SVEC_PUSH(W->pos, w);
            if (skip) { skip--; continue; }
            if (prog->kind == SH_PROG_PYTHON) { opts = false; continue; } /* python SCRIPT: not a command */
            o->out->prog = i;
            opts = false;
            continue;
        }
        DW_SVEC_PUSH(W->pos, w);
        if (posix) opts = false;
    }
}

/* Copies the scratch flags and positionals into the command. */
static void commit_args(walker *W, sh_cmd *c)
{
    c->nflags = W->flags.n;
    c->flags = W->flags.n ? dw_arena_copy(W->a, W->flags.v, sizeof(sh_flag) * W->flags.n) : NULL;
    c->npos = W->pos.n;
    c->pos = W->pos.n ? dw_arena_copy(W->a, W->pos.v, sizeof(const sh_word *) * W->pos.n) : NULL;
    c->sub = c->npos ? c->pos[0] : NULL;
}

void sh_cmd_reclassify(dw_arena *a, sh_cmd *c, const sh_flagspec *spec)
{
    walker W;
    memset(&W, 0, sizeof W);
    W.a = a;
    classify(&W, c, spec, NULL);
    commit_args(&W, c);
    DW_SVEC_FREE(W.flags);
    DW_SVEC_FREE(W.pos);
}

/* ---- commands --------------------------------------------------------- */

static uint32_t push_cmd(walker *W, const sh_node *n, const sh_word *argv, uint32_t argc, dw_str name,
                         const sh_word *assigns, uint32_t nassigns, const frame *f, int32_t wrapper)
{
    sh_cmd c;
    memset(&c, 0, sizeof c);
    c.node = n;
    c.script = n->script;
    c.run = W->run;
    c.argv = argv;
    c.argc = argc;
    c.name = name.ptr ? name : basename_of(argv[0].value);
    c.assigns = assigns;
    c.nassigns = nassigns;
    c.ctx = f->bits;
    c.pipe_pos = f->pipe_pos;
    c.pipe_len = f->pipe_len;
    c.op_before = f->op_before;
    c.op_after = f->op_after;
    c.pipeline = f->pipeline;
    c.andor = f->andor;
    c.index = W->cmds.n;
    aux x;
    memset(&x, 0, sizeof x);
    x.wrapper = wrapper;
    const sh_prog *prog = sh_prog_find(c.name);
    classify_opts o = {prog, prog && prog->kind != SH_PROG_PLAIN && prog->kind != SH_PROG_SU, &x};
    classify(W, &c, prog ? &prog->flags : NULL, &o);
    commit_args(W, &c);
    DW_SVEC_PUSH(W->cmds, c);
    DW_SVEC_PUSH(W->aux, x);
    return c.index;
}

/* The map of a word's value: its script's map when the value is a view of
 * the text, a segment map over it when the value is a decoded copy; for an
 * exec-form word, the file bytes inside its quotes when they are the value. */
static const sh_map *value_map(walker *W, const sh_script *sc, const sh_word *w)
{
    if (sc->kind == SH_SRC_EXEC) {
        if (w->value.ptr >= sc->text.ptr && w->value.ptr + w->value.len <= sc->text.ptr + sc->text.len) return sc->map;
        if (W->src && w->span.end - w->span.start == w->value.len + 2 && w->span.end <= W->len &&
            memcmp(W->src + w->span.start + 1, w->value.ptr, w->value.len) == 0)
            return sh_map_file(W->a, w->value.ptr, (uint32_t)w->value.len, w->span.start + 1);
        return sh_map_whole(W->a, w->span);
    }
    if (!w->nsegs) return sc->map;
    return sh_map_segs(W->a, w->value.ptr, w->segs, w->nsegs, sc->map);
}

/* How a shell command gets its script. */
static void shell_mode(sh_cmd *c, const sh_prog *prog)
{
    if (prog->kind == SH_PROG_SU) {
        for (uint32_t i = 0; i < c->nflags; i++) {
            const sh_flag *f = &c->flags[i];
            if (f->has_value && f->value_word && (dw_str_eqc(f->name, "c") || dw_str_eqc(f->name, "command"))) {
                c->shell_mode = SH_SHELL_STRING;
                c->shell_arg = f->value_word;
            }
        }
        return;
    }
    bool dash_c = false, dash_s = false;
    for (uint32_t i = 0; i < c->nflags; i++) {
        if (c->flags[i].is_long) continue;
        dash_c |= c->flags[i].name.ptr[0] == 'c';
        dash_s |= c->flags[i].name.ptr[0] == 's';
    }
    if (dash_c) {
        if (c->npos) { c->shell_mode = SH_SHELL_STRING; c->shell_arg = c->pos[0]; }
    } else if (dash_s || !c->npos || sh_word_is(c->pos[0], "-")) {
        c->shell_mode = SH_SHELL_STDIN;
    } else {
        c->shell_mode = SH_SHELL_FILE;
        c->shell_arg = c->pos[0];
    }
}

/* Parses and walks the script a shell command runs. Returns the word whose
 * value became the script (its own $(…) parts are then not walked twice). */
static const sh_word *run_shell(walker *W, uint32_t idx, frame f)
{
    sh_cmd *c = &W->cmds.v[idx];
    const sh_prog *prog = sh_prog_find(c->name);
    if (!prog || (prog->kind != SH_PROG_SHELL && prog->kind != SH_PROG_SU)) return NULL;
    shell_mode(c, prog);
    if (c->script->depth + 1 > SH_MAX_DEPTH) return NULL;
    dw_str text;
    const sh_map *map;
    const sh_word *used = NULL;
    sh_src_kind kind;
    if (c->shell_mode == SH_SHELL_STRING) {
        used = c->shell_arg;
        text = used->value;
        map = value_map(W, c->script, used);
        kind = SH_SRC_DASH_C;
        f.bits |= SH_CTX_SH_C;
    } else if (c->shell_mode == SH_SHELL_STDIN) {
        /* the last redirection of stdin wins */
        const sh_redir *in = NULL;
        for (uint32_t i = 0; i < c->node->nredirs; i++) {
            const sh_redir *r = &c->node->redirs[i];
            if (r->fd > 0) continue;
            if (r->kind == SH_R_HEREDOC || r->kind == SH_R_HERESTRING || r->kind == SH_R_IN || r->kind == SH_R_RDWR || r->kind == SH_R_DUP_IN) in = r;
        }
        if (!in || (in->kind == SH_R_HEREDOC && !in->heredoc->found) || (in->kind != SH_R_HEREDOC && in->kind != SH_R_HERESTRING))
            return NULL;
        if (in->kind == SH_R_HEREDOC) {
            text = in->heredoc->body;
            map = in->heredoc->map;
        } else {
            if (!in->has_target) return NULL;
            used = &in->target;
            text = used->value;
            map = value_map(W, c->script, used);
        }
        kind = SH_SRC_STDIN;
        f.bits |= SH_CTX_STDIN;
    } else {
        return NULL;
    }
    sh_parse_opts po;
    memset(&po, 0, sizeof po);
    po.kind = kind;
    po.parent = c->script;
    po.owner = c->node;
    po.depth = c->script->depth + 1;
    sh_script *sub = sh_parse(W->a, text, map, &po);
    c->runs = sub; /* c is not used after the walk below, which may move the list */
    walk_script(W, sub, f);
    return used;
}

static void walk_words(walker *W, const sh_word *w, uint32_t n, frame f, const sh_word *const *skip, uint32_t nskip)
{
    f.bits |= SH_CTX_CMDSUB;
    for (uint32_t i = 0; i < n; i++) {
        bool skipped = false;
        for (uint32_t k = 0; k < nskip && !skipped; k++) skipped = skip[k] == &w[i];
        if (skipped || !(w[i].flags & SH_W_EXPANDS)) continue;
        for (uint32_t p = 0; p < w[i].nparts; p++)
            if (w[i].parts[p].script) walk_script(W, w[i].parts[p].script, f);
    }
}

static void walk_redirs(walker *W, const sh_node *n, frame f, const sh_word *const *skip, uint32_t nskip)
{
    for (uint32_t i = 0; i < n->nredirs; i++)
        if (n->redirs[i].has_target) walk_words(W, &n->redirs[i].target, 1, f, skip, nskip);
}

#define MAX_WRAPPERS 8

static void add_simple(walker *W, const sh_node *n, frame f)
{
    if (!n->nwords) {
        walk_words(W, n->assigns, n->nassigns, f, NULL, 0);
        walk_redirs(W, n, f, NULL, 0);
        return;
    }
    for (uint32_t i = 0; i < n->nwords; i++)
        if (n->words[i].flags & SH_W_ERROR) f.bits |= SH_CTX_BROKEN;
    uint32_t chain[MAX_WRAPPERS + 1], nchain = 0;
    chain[nchain++] = push_cmd(W, n, n->words, n->nwords, dw_str_make(NULL, 0), n->assigns, n->nassigns, &f, -1);
    frame g = f;
    g.bits |= SH_CTX_WRAPPED;
    while (nchain <= MAX_WRAPPERS) {
        uint32_t cur = chain[nchain - 1];
        aux x = W->aux.v[cur];
        if (!x.prog) break;
        const sh_cmd *c = &W->cmds.v[cur];
        const sh_word *assigns = c->assigns;
        uint32_t nassigns = c->nassigns;
        if (x.assign1) { assigns = c->argv + x.assign0; nassigns = x.assign1 - x.assign0; }
        uint32_t next = push_cmd(W, n, c->argv + x.prog, c->argc - x.prog, x.prog_name, assigns, nassigns, &g, (int32_t)cur);
        chain[nchain++] = next;
    }
    const sh_word *used[MAX_WRAPPERS + 1];
    uint32_t nused = 0;
    for (uint32_t i = 0; i < nchain; i++) {
        const sh_word *u = run_shell(W, chain[i], i ? g : f);
        if (u) used[nused++] = u;
    }
    walk_words(W, n->assigns, n->nassigns, f, NULL, 0);
    walk_words(W, n->words, n->nwords, f, used, nused);
    walk_redirs(W, n, f, used, nused);
}

static void walk_kids(walker *W, const sh_node *n, frame f)
{
    for (const sh_node *k = n->kids; k; k = k->next) walk_node(W, k, f);
}

static void walk_node(walker *W, const sh_node *n, frame f)
{
    if (n->error) f.bits |= SH_CTX_BROKEN;
    switch (n->kind) {
    case SH_N_LIST:
        for (const sh_node *k = n->kids; k; k = k->next) {
            frame g = f;
            if (k->sep == '&') g.bits |= SH_CTX_ASYNC;
            walk_node(W, k, g);
        }
        return;
    case SH_N_ANDOR:
        f.bits |= SH_CTX_AND_OR;
        f.andor = n;
        for (const sh_node *k = n->kids; k; k = k->next) {
            frame g = f;
            g.op_before = k->op;
            g.op_after = k->next ? k->next->op : SH_OP_NONE;
            walk_node(W, k, g);
        }
        return;
    case SH_N_PIPELINE: {
        if (n->bang) f.bits |= SH_CTX_NEGATED;
        uint16_t i = 0;
        if (n->nkids >= 2) {
            f.bits |= SH_CTX_PIPELINE;
            f.pipeline = n;
            f.pipe_len = (uint16_t)(n->nkids > UINT16_MAX ? UINT16_MAX : n->nkids);
        }
        for (const sh_node *k = n->kids; k; k = k->next) {
            frame g = f;
            if (n->nkids >= 2) g.pipe_pos = i < UINT16_MAX ? i++ : i;
            walk_node(W, k, g);
        }
        return;
    }
    case SH_N_SIMPLE:
        add_simple(W, n, f);
        return;
    case SH_N_SUBSHELL: f.bits |= SH_CTX_SUBSHELL; break;
    case SH_N_GROUP: f.bits |= SH_CTX_GROUP; break;
    case SH_N_IF: case SH_N_WHILE: case SH_N_UNTIL:
        f.bits |= n->kind == SH_N_IF ? SH_CTX_IF : SH_CTX_LOOP;
        for (const sh_node *k = n->kids; k; k = k->next) {
            frame g = f;
            if (k->role == SH_ROLE_COND) g.bits |= SH_CTX_CONDITION;
            walk_node(W, k, g);
        }
        walk_redirs(W, n, f, NULL, 0);
        return;
    case SH_N_FOR:
        f.bits |= SH_CTX_LOOP;
        walk_words(W, n->words, n->nwords, f, NULL, 0);
        break;
    case SH_N_CASE:
        f.bits |= SH_CTX_CASE;
        if (n->name) walk_words(W, n->name, 1, f, NULL, 0);
        break;
    case SH_N_CASE_ITEM:
        walk_words(W, n->words, n->nwords, f, NULL, 0);
        break;
    case SH_N_FUNCTION: f.bits |= SH_CTX_FUNCTION; break;
    case SH_N_TEST:
        walk_words(W, n->words, n->nwords, f, NULL, 0);
        return;
    case SH_N_ARITH: case SH_N_OPAQUE:
        return;
    }
    walk_kids(W, n, f);
    walk_redirs(W, n, f, NULL, 0);
}

static void walk_script(walker *W, const sh_script *sc, frame f)
{
    if (!sc || !sc->root) return;
    W->run->nerrors += sc->nerrors;
    walk_node(W, sc->root, f);
}

void sh_run_build(dw_arena *a, sh_run *run, const char *src, uint32_t len)
{
    walker W;
    memset(&W, 0, sizeof W);
    W.a = a;
    W.run = run;
    W.src = src;
    W.len = len;
    for (uint32_t i = 0; i < run->nscripts; i++) {
        frame f;
        memset(&f, 0, sizeof f);
        const sh_script *sc = run->scripts[i];
        if (sc->kind == SH_SRC_HEREDOC) f.bits |= SH_CTX_HEREDOC;
        if (sc->kind == SH_SRC_EXEC) f.bits |= SH_CTX_EXEC;
        walk_script(&W, sc, f);
    }
    run->ncmds = W.cmds.n;
    run->cmds = W.cmds.n ? dw_arena_copy(a, W.cmds.v, sizeof(sh_cmd) * W.cmds.n) : NULL;
    for (uint32_t i = 0; i < run->ncmds; i++) {
        int32_t w = W.aux.v[i].wrapper;
        if (w >= 0) {
            run->cmds[i].wrapper = &run->cmds[w];
            run->cmds[w].wrapped = &run->cmds[i];
        }
    }
    DW_SVEC_FREE(W.cmds);
    DW_SVEC_FREE(W.aux);
    DW_SVEC_FREE(W.flags);
    DW_SVEC_FREE(W.pos);
}
