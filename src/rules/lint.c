/* lint.c — the lint engine: decides which rules run on a file, runs their
 * checks, and filters what they report through inline pragmas
 * (`# dockwright ignore=`, hadolint's `ignore` / `global ignore` /
 * `stage ignore`), BuildKit's check options (`# check=` directive, the same
 * comment above one instruction, BUILDKIT_DOCKERFILE_CHECK) and the
 * configured severities. */
#include "rule.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../dockerfile/df_directives.h"
#include "../shell/sh_cmd.h"
#include "context_index.h"

typedef enum { P_NEXT_LINE, P_BLOCK, P_GLOBAL, P_STAGE } pragma_kind;

/* One ignore pragma: the rules it names apply to `line_from..line_to`
 * (instruction start lines; 0..UINT32_MAX for global). */
typedef struct {
    pragma_kind kind;
    bool hadolint;
    uint32_t line;            /* the comment's line */
    uint32_t from, to;        /* instruction lines it covers */
    uint32_t *rules;
    uint32_t nrules;
    uint32_t *codes;          /* ShellCheck codes named (SC2086 -> 2086): the
                               * shellcheck rule restricted to them */
    uint32_t ncodes;
    dw_span span;
} pragma;

/* Parsed BuildKit check options (`skip=…;error=…;experimental=…`). */
typedef struct {
    bool skip_all, exp_all, error;
    bool *skip, *exp; /* per rule index, NULL when none named */
} check_opts;

struct dw_lint_state {
    DW_VEC(pragma) pragmas;
    check_opts file;
    bool *reached;     /* per stage */
    uint32_t nrules;
    bool filewide;     /* the current report ignores per-instruction check comments */
    sh_run **runs;     /* parsed RUN scripts, on first use */
    bool runs_done;
    const char *context_dir; /* on first use */
    struct dw_context_index *context_index; /* on first use; freed after the rules ran */
    uint32_t *by_kind;                  /* on first use: instruction indices grouped by kind */
    uint32_t kind_start[DW_I__COUNT + 1];
};

/* ---- check options ---- */

/* BuildKit's check names are CamelCase words: an upper-case first letter
 * and some lower case (DL3008 and SC2086 have none). */
static bool has_buildkit_alias(const dw_rule *r)
{
    const char *p = r->aliases;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        bool lower = false;
        for (size_t i = 0; i < n; i++) lower |= p[i] >= 'a' && p[i] <= 'z';
        if (n && p[0] >= 'A' && p[0] <= 'Z' && lower) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

static void mark_names(dw_arena *a, bool **set, uint32_t nrules, dw_str list, bool *all)
{
    size_t i = 0;
    while (i <= list.len) {
        size_t st = i;
        while (i < list.len && list.ptr[i] != ',') i++;
        dw_str name = dw_str_trim_space(dw_str_make(list.ptr + st, i - st));
        i++;
        if (!name.len) continue;
        if (dw_str_eqc(name, "all")) { *all = true; continue; }
        if (dw_sc_code(name.ptr, name.len)) continue; /* not BuildKit's: never skips all of shellcheck */
        char *cname = dw_str_cstr(a, name);
        const dw_rule *found[64];
        uint32_t n = dw_rules_named(cname, found, 64);
        if (!n) continue; /* unknown names are ignored, as BuildKit does */
        if (!*set) *set = DW_NEW(a, bool, nrules);
        for (uint32_t k = 0; k < n; k++) (*set)[found[k]->index] = true;
    }
}

/* Parses `skip=A,B;error=true;experimental=all`. Returns false when the
 * string is malformed (BuildKit then fails the build). */
static bool parse_check_opts(dw_arena *a, uint32_t nrules, dw_str s, check_opts *o)
{
    memset(o, 0, sizeof *o);
    size_t i = 0;
    int parts = 0;
    bool ok = true;
    while (i < s.len) {
        size_t st = i;
        /* at most three parts: the third takes the rest */
        while (i < s.len && (s.ptr[i] != ';' || parts == 2)) i++;
        dw_str part = dw_str_make(s.ptr + st, i - st);
        i++;
        parts++;
        const char *eq = dw_str_chr(part, '=');
        if (!eq) { ok = false; continue; }
        dw_str key = dw_str_trim_space(dw_str_make(part.ptr, (size_t)(eq - part.ptr)));
        dw_str val = dw_str_trim_space(dw_str_make(eq + 1, part.len - key.len - 1));
        if (dw_str_ieqc(key, "skip")) mark_names(a, &o->skip, nrules, val, &o->skip_all);
        else if (dw_str_ieqc(key, "experimental")) mark_names(a, &o->exp, nrules, val, &o->exp_all);
        else if (dw_str_ieqc(key, "error")) {
            o->error = dw_str_eqc(val, "1") || dw_str_ieqc(val, "t") || dw_str_ieqc(val, "true");
            if (!o->error && !dw_str_eqc(val, "0") && !dw_str_ieqc(val, "f") && !dw_str_ieqc(val, "false")) ok = false;
        } else ok = false;
    }
    return ok;
}

static bool skipped(const check_opts *o, const dw_rule *r)
{
    if (o->skip && o->skip[r->index]) return true;
    return o->skip_all && has_buildkit_alias(r);
}

static bool experimental_on(const check_opts *o, const dw_rule *r)
{
    return o->exp_all || (o->exp && o->exp[r->index]);
}

/* The `check=…` comment attached to an instruction (the first one). */
static bool instr_check_opts(dw_lint *ctx, const dw_instr *in, check_opts *o)
{
    for (uint32_t i = 0; i < in->ncomments; i++) {
        dw_str c = in->comments[i].text;
        if (!dw_str_has_prefix(c, "check")) continue;
        dw_str rest = dw_str_trim_left_space(dw_str_sub(c, 5, c.len));
        if (!rest.len || rest.ptr[0] != '=') continue;
        rest = dw_str_trim_space(dw_str_sub(rest, 1, rest.len));
        size_t sp = 0;
        while (sp < rest.len && rest.ptr[sp] != ' ' && rest.ptr[sp] != '\t') sp++;
        return parse_check_opts(ctx->a, ctx->state->nrules, dw_str_make(rest.ptr, sp), o) || true;
    }
    return false;
}

/* ---- pragmas ---- */

/* Reads `ignore=A,B` style lists into rule indices. hadolint's own pragma
 * rejects the whole list when one code is not a DL/SC code; ours accepts
 * any slug or alias. A reason may follow after white space or `#`. */
static bool parse_rule_list(dw_lint *ctx, dw_str list, bool hadolint, pragma *pg)
{
    DW_VEC(uint32_t) v = {0};
    DW_VEC(uint32_t) codes = {0};
    size_t i = 0;
    /* the list ends at the first blank that is not around a comma, or '#' */
    while (i < list.len) {
        while (i < list.len && (list.ptr[i] == ' ' || list.ptr[i] == '\t')) i++;
        size_t st = i;
        while (i < list.len && list.ptr[i] != ',' && list.ptr[i] != ' ' && list.ptr[i] != '\t' && list.ptr[i] != '#') i++;
        dw_str name = dw_str_make(list.ptr + st, i - st);
        while (i < list.len && (list.ptr[i] == ' ' || list.ptr[i] == '\t')) i++;
        if (name.len) {
            if (hadolint) {
                for (size_t k = 0; k < name.len; k++) {
                    char c = name.ptr[k];
                    if (!(c == 'D' || c == 'L' || c == 'S' || c == 'C' || (c >= '0' && c <= '9'))) return false;
                }
            }
            uint32_t code = dw_sc_code(name.ptr, name.len);
            if (code) {
                DW_VEC_PUSH(ctx->a, codes, code);
            } else {
                char *cname = dw_str_cstr(ctx->a, name);
                const dw_rule *found[64];
                uint32_t n = dw_rules_named(cname, found, 64);
                for (uint32_t k = 0; k < n; k++) DW_VEC_PUSH(ctx->a, v, found[k]->index);
            }
        }
        if (i < list.len && list.ptr[i] == ',') { i++; continue; }
        break; /* a reason or a trailing comment follows */
    }
    pg->rules = v.v;
    pg->nrules = v.n;
    pg->codes = codes.v;
    pg->ncodes = codes.n;
    return v.n > 0 || codes.n > 0;
}

static void read_pragmas(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    dw_lint_state *st = ctx->state;
    /* which lines are comment lines, to find the instruction below a block */
    uint32_t nlines = df->lines.count + 2;
    unsigned char *is_comment = DW_NEW(ctx->a, unsigned char, nlines);
    for (uint32_t i = 0; i < df->ncomments; i++)
        is_comment[dw_linemap_line(&df->lines, df->comments[i].span.start)] = 1;
    /* instruction start lines, in order, for stage ranges */
    for (uint32_t i = 0; i < df->ncomments; i++) {
        dw_str c = df->comments[i].text;
        bool hadolint = dw_str_has_prefix(c, "hadolint") && c.len > 8 && (c.ptr[8] == ' ' || c.ptr[8] == '\t');
        bool ours = dw_str_has_prefix(c, "dockwright") && c.len > 10 && (c.ptr[10] == ' ' || c.ptr[10] == '\t');
        if (!hadolint && !ours) continue;
        dw_str body = dw_str_trim_left_space(dw_str_sub(c, hadolint ? 8 : 10, c.len));
        pragma pg;
        memset(&pg, 0, sizeof pg);
        pg.hadolint = hadolint;
        pg.span = df->comments[i].span;
        pg.line = dw_linemap_line(&df->lines, pg.span.start);
        if (dw_str_has_prefix(body, "global")) {
            pg.kind = P_GLOBAL;
            body = dw_str_trim_left_space(dw_str_sub(body, 6, body.len));
        } else if (dw_str_has_prefix(body, "stage")) {
            pg.kind = P_STAGE;
            body = dw_str_trim_left_space(dw_str_sub(body, 5, body.len));
        } else {
            pg.kind = hadolint ? P_NEXT_LINE : P_BLOCK;
        }
        if (!dw_str_has_prefix(body, "ignore")) continue;
        body = dw_str_trim_left_space(dw_str_sub(body, 6, body.len));
        if (!body.len || body.ptr[0] != '=') continue;
        body = dw_str_sub(body, 1, body.len);
        if (!parse_rule_list(ctx, body, hadolint, &pg)) continue;
        switch (pg.kind) {
        case P_GLOBAL:
            pg.from = 0;
            pg.to = UINT32_MAX;
            break;
        case P_NEXT_LINE:
            pg.from = pg.to = pg.line + 1;
            break;
        case P_BLOCK: {
            uint32_t l = pg.line + 1;
            while (l < nlines && is_comment[l]) l++;
            pg.from = pg.to = l;
            break;
        }
        case P_STAGE: {
            /* from the second line after the pragma to the next FROM after it */
            pg.from = pg.line + 2;
            pg.to = UINT32_MAX;
            for (uint32_t k = 0; k < df->ninstrs; k++)
                if (df->instrs[k].kind == DW_I_FROM && df->instrs[k].line > pg.line + 1) {
                    pg.to = df->instrs[k].line - 1;
                    break;
                }
            break;
        }
        }
        DW_VEC_PUSH(ctx->a, st->pragmas, pg);
    }
}

/* `code` is the finding's ShellCheck code, 0 for other findings. */
static bool pragma_suppresses(const dw_lint *ctx, uint32_t rule, uint32_t code, uint32_t line)
{
    const dw_lint_state *st = ctx->state;
    if (ctx->cfg && ctx->cfg->disable_ignore_pragma) return false;
    for (uint32_t i = 0; i < st->pragmas.n; i++) {
        const pragma *pg = &st->pragmas.v[i];
        if (line < pg->from || line > pg->to) continue;
        for (uint32_t k = 0; k < pg->nrules; k++)
            if (pg->rules[k] == rule) return true;
        for (uint32_t k = 0; code && k < pg->ncodes; k++)
            if (pg->codes[k] == code) return true;
    }
    return false;
}

/* ---- reporting ---- */

/* The configured setting of ShellCheck code `code`, or NULL. */
static const dw_code_setting *code_setting(const dw_lint *ctx, uint32_t code)
{
    for (uint32_t i = 0; code && ctx->cfg && i < ctx->cfg->nsc_codes; i++)
        if (ctx->cfg->sc_codes[i].code == code) return &ctx->cfg->sc_codes[i];
    return NULL;
}

/* `code` and `level` come from dw_report_code (0 and DW_SEV_OFF otherwise). */
static dw_diag *report(dw_lint *ctx, const dw_instr *in, dw_span span, uint32_t code, dw_severity level,
                       const char *fmt, va_list ap)
{
    const dw_rule *r = ctx->rule;
    dw_lint_state *st = ctx->state;
    uint32_t line = in ? in->line : dw_linemap_line(&ctx->df->lines, span.start);
    if (pragma_suppresses(ctx, r->index, code, line)) return NULL;
    const dw_code_setting *cs = code_setting(ctx, code);
    if (cs && cs->severity == DW_SEV_OFF) return NULL;
    if (in && !st->filewide) {
        check_opts o;
        if (instr_check_opts(ctx, in, &o)) {
            if (skipped(&o, r)) return NULL;
            if (r->experimental && !experimental_on(&st->file, r) && !experimental_on(&o, r) &&
                !(ctx->cfg && ctx->cfg->enabled_explicitly[r->index]))
                return NULL;
        } else if (r->experimental && !experimental_on(&st->file, r) &&
                   !(ctx->cfg && ctx->cfg->enabled_explicitly[r->index])) {
            return NULL;
        }
    }
    dw_severity sev = ctx->cfg ? ctx->cfg->severity[r->index] : r->severity;
    if (sev == DW_SEV_OFF) sev = r->severity; /* experimental rules enabled by a check comment */
    if (st->file.error && has_buildkit_alias(r)) sev = DW_SEV_ERROR;
    /* a finding's own level (ShellCheck's) stands unless its code's or its
     * rule's severity was configured */
    if (level != DW_SEV_OFF && !(ctx->cfg && ctx->cfg->severity_set && ctx->cfg->severity_set[r->index])) sev = level;
    if (cs) sev = cs->severity;
    char *msg = dw_arena_vprintf(ctx->a, fmt, ap);
    dw_diag *d = dw_diag_emit(ctx->a, &ctx->df->diags, r->slug, sev, span, "%s", msg);
    d->meta = r;
    if (code) d->code = dw_arena_printf(ctx->a, "SC%04u", (unsigned)code);
    d->fix_safe = r->fix && strcmp(r->fix, "safe") == 0;
    return d;
}

dw_diag *dw_report(dw_lint *ctx, const dw_instr *in, dw_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dw_diag *d = report(ctx, in, span, 0, DW_SEV_OFF, fmt, ap);
    va_end(ap);
    return d;
}

dw_diag *dw_report_code(dw_lint *ctx, const dw_instr *in, dw_span span, uint32_t code, dw_severity level,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dw_diag *d = report(ctx, in, span, code, level, fmt, ap);
    va_end(ap);
    return d;
}

dw_diag *dw_report_filewide(dw_lint *ctx, const dw_instr *in, dw_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx->state->filewide = true;
    dw_diag *d = report(ctx, in, span, 0, DW_SEV_OFF, fmt, ap);
    ctx->state->filewide = false;
    va_end(ap);
    return d;
}

void dw_diag_help(dw_lint *ctx, dw_diag *d, const char *fmt, ...)
{
    if (!d) return;
    va_list ap;
    va_start(ap, fmt);
    d->help = dw_arena_vprintf(ctx->a, fmt, ap);
    va_end(ap);
}

/* Room for item n of an array whose capacity is the next power of two of its
 * length: growing by doubling keeps appending linear without storing a
 * capacity in the public struct. */
static void *grow_pow2(dw_arena *a, void *items, uint32_t n, size_t size)
{
    if (n && (n & (n - 1))) return items; /* n is not a power of two: there is room */
    uint32_t cap = n ? n * 2 : 2;
    void *m = dw_arena_alloc_array(a, cap, size);
    if (n) memcpy(m, items, size * n);
    return m;
}

void dw_diag_related(dw_lint *ctx, dw_diag *d, dw_span span, const char *label)
{
    if (!d) return;
    d->related = grow_pow2(ctx->a, d->related, d->nrelated, sizeof *d->related);
    d->related[d->nrelated].span = span;
    d->related[d->nrelated].label = label ? dw_arena_memdup(ctx->a, label, strlen(label)) : NULL;
    d->nrelated++;
}

void dw_diag_edit(dw_lint *ctx, dw_diag *d, dw_span span, const char *text, size_t len)
{
    if (!d) return;
    d->edits = grow_pow2(ctx->a, d->edits, d->nedits, sizeof *d->edits);
    d->edits[d->nedits].span = span;
    d->edits[d->nedits].text = dw_str_make(dw_arena_memdup(ctx->a, text ? text : "", len), len);
    d->nedits++;
}

/* ---- helpers for checks ---- */

sh_run **dw_lint_runs(dw_lint *ctx)
{
    if (!ctx->state->runs_done) {
        ctx->state->runs = sh_runs_parse(ctx->a, ctx->df);
        ctx->state->runs_done = true;
    }
    return ctx->state->runs;
}

const uint32_t *dw_lint_kind_index(dw_lint *ctx, dw_instr_kind k, uint32_t *n)
{
    dw_lint_state *st = ctx->state;
    const dw_dockerfile *df = ctx->df;
    if (!st->by_kind) { /* a counting sort: each kind's indices stay in file order */
        uint32_t *at = st->kind_start;
        memset(at, 0, sizeof st->kind_start);
        for (uint32_t i = 0; i < df->ninstrs; i++) at[df->instrs[i].kind + 1]++;
        for (int j = 0; j < DW_I__COUNT; j++) at[j + 1] += at[j];
        uint32_t fill[DW_I__COUNT];
        memcpy(fill, at, sizeof fill);
        st->by_kind = DW_NEW(ctx->a, uint32_t, df->ninstrs + 1);
        for (uint32_t i = 0; i < df->ninstrs; i++) st->by_kind[fill[df->instrs[i].kind]++] = i;
    }
    *n = st->kind_start[k + 1] - st->kind_start[k];
    return st->by_kind + st->kind_start[k];
}

const char *dw_lint_context_dir(dw_lint *ctx)
{
    dw_lint_state *st = ctx->state;
    if (st->context_dir) return st->context_dir;
    if (ctx->opts && ctx->opts->context_dir) return st->context_dir = ctx->opts->context_dir;
    const char *path = ctx->df ? ctx->df->path : NULL;
    const char *slash = path && strcmp(path, "-") != 0 ? strrchr(path, '/') : NULL;
    if (!slash) st->context_dir = ".";
    else if (slash == path) st->context_dir = "/";
    else st->context_dir = dw_arena_memdup(ctx->a, path, (size_t)(slash - path));
    return st->context_dir;
}

bool dw_lint_context_has(dw_lint *ctx, const char *rel)
{
    const char *dir = dw_lint_context_dir(ctx);
    char *p = dw_arena_printf(ctx->a, "%s/%s", dir, rel);
    struct stat st;
    return lstat(p, &st) == 0;
}

struct dw_context_index *dw_lint_context_index(dw_lint *ctx)
{
    dw_lint_state *st = ctx->state;
    if (!st->context_index)
        st->context_index = dw_context_index_open(ctx->opts ? ctx->opts->context_dir : NULL, ctx->df->path);
    return st->context_index;
}

const dw_stage *dw_lint_stage(const dw_lint *ctx, const dw_instr *in)
{
    return in && in->stage >= 0 && (uint32_t)in->stage < ctx->df->nstages ? &ctx->df->stages[in->stage] : NULL;
}

bool dw_lint_stage_reached(const dw_lint *ctx, int s)
{
    return s >= 0 && (uint32_t)s < ctx->df->nstages && ctx->state->reached[s];
}

const char *dw_lint_build_arg(const dw_lint *ctx, const char *name)
{
    if (!ctx->opts) return NULL;
    for (uint32_t i = ctx->opts->nbuild_args; i-- > 0;)
        if (strcmp(ctx->opts->build_args[i].name, name) == 0) return ctx->opts->build_args[i].value;
    return NULL;
}

void dw_no_check(dw_lint *ctx) { (void)ctx; }

/* Marks the final stage and every stage it is built from or copies from. */
static void compute_reached(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    bool *reached = DW_NEW(ctx->a, bool, df->nstages + 1);
    ctx->state->reached = reached;
    if (ctx->final_stage < 0) return;
    uint32_t *work = dw_xmalloc(sizeof *work * (df->nstages + 1));
    uint32_t nw = 0;
    reached[ctx->final_stage] = true;
    work[nw++] = (uint32_t)ctx->final_stage;
    while (nw) {
        const dw_stage *s = &df->stages[work[--nw]];
        for (uint32_t i = s->first; i < s->first + s->count; i++) {
            const dw_instr *in = &df->instrs[i];
            int deps[2] = {-1, -1};
            if (in->kind == DW_I_FROM && s->base_kind == DW_BASE_STAGE) deps[0] = s->base_stage;
            if (in->from_stage >= 0) deps[1] = in->from_stage;
            for (int k = 0; k < 2; k++)
                if (deps[k] >= 0 && !reached[deps[k]]) { reached[deps[k]] = true; work[nw++] = (uint32_t)deps[k]; }
            for (uint32_t m = 0; m < in->nmounts; m++) {
                int f = in->mounts[m].from_stage;
                if (f >= 0 && !reached[f]) { reached[f] = true; work[nw++] = (uint32_t)f; }
            }
        }
    }
    free(work);
}

void dw_lint_dockerfile(dw_dockerfile *df, const dw_lint_opts *opts)
{
    uint32_t nrules;
    const dw_rule *rules = dw_rules(&nrules);
    dw_lint ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.df = df;
    ctx.a = &df->arena;
    ctx.opts = opts;
    ctx.cfg = opts ? opts->config : NULL;
    ctx.state = DW_NEW(ctx.a, dw_lint_state, 1);
    ctx.state->nrules = nrules;

    /* the final stage: --target (case-insensitive) or the last one */
    ctx.final_stage = df->nstages ? (int)df->nstages - 1 : -1;
    if (opts && opts->target) {
        ctx.target = opts->target;
        for (uint32_t i = 0; i < df->nstages; i++)
            if (df->stages[i].name.len && dw_str_ieqc(df->stages[i].name, opts->target)) ctx.final_stage = (int)i;
    }
    compute_reached(&ctx);

    /* BuildKit check options: the build arg replaces the directive */
    const char *barg = dw_lint_build_arg(&ctx, "BUILDKIT_DOCKERFILE_CHECK");
    dw_str copts = {0};
    if (barg) {
        copts = dw_str_c(barg);
    } else {
        dw_str value, cmdline;
        uint32_t line;
        if (dw_directive_find(ctx.a, dw_str_make(df->src, df->len), "check", false, &value, &cmdline, &line))
            copts = value;
    }
    if (copts.len) parse_check_opts(ctx.a, nrules, copts, &ctx.state->file);

    read_pragmas(&ctx);

    /* experimental rules also run when a comment above one instruction enables them */
    bool any_instr_exp = false;
    for (uint32_t i = 0; i < df->ninstrs && !any_instr_exp; i++) {
        check_opts o;
        if (instr_check_opts(&ctx, &df->instrs[i], &o) && (o.exp_all || o.exp)) any_instr_exp = true;
    }

    /* the parser's own findings carry their rule descriptors too */
    for (uint32_t i = 0; i < df->diags.n; i++) {
        df->diags.v[i].meta = dw_rule_by_slug(df->diags.v[i].rule);
        if (ctx.cfg && df->diags.v[i].meta) {
            dw_severity s = ctx.cfg->severity[df->diags.v[i].meta->index];
            if (s != DW_SEV_OFF) df->diags.v[i].severity = s;
        }
    }

    for (uint32_t i = 0; i < nrules; i++) {
        const dw_rule *r = &rules[i];
        if (!r->check || strcmp(r->family, "dockerfile") != 0) continue;
        dw_severity sev = ctx.cfg ? ctx.cfg->severity[i] : (r->default_off || r->experimental ? DW_SEV_OFF : r->severity);
        bool on = sev != DW_SEV_OFF;
        if (r->experimental && (experimental_on(&ctx.state->file, r) || any_instr_exp)) on = true;
        if (!on || skipped(&ctx.state->file, r)) continue;
        ctx.rule = r;
        r->check(&ctx);
    }
    dw_context_index_free(ctx.state->context_index);
    dw_diags_sort(&df->diags);
}
