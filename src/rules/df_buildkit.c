/* df_buildkit.c — the rules that carry a BuildKit build-check name.
 *
 * Each check reproduces the trigger of BuildKit's check of the same name
 * (frontend/dockerfile/linter and the converter's call sites) over our AST:
 *  - parse-time checks (StageNameCasing, FromAsCasing, MaintainerDeprecated,
 *    InvalidDefinitionDescription) look at every instruction;
 *  - stage-setup checks (UndefinedArgInFrom, RedundantTargetPlatform,
 *    FromPlatformFlagConstDisallowed) expand FROM with the global ARGs;
 *  - dispatch checks walk each stage with its inherited state (environment,
 *    declared ARGs, SHELL, WORKDIR) the way the converter dispatches it; with
 *    --target only the stages that target needs are dispatched, as in a
 *    build, otherwise every stage is (BuildKit's lint request);
 *  - file-wide checks (ConsistentInstructionCasing, DuplicateStageName,
 *    ReservedStageName, NoEmptyContinuation, InvalidDefaultArgInFrom) use
 *    dw_report_filewide, as per-instruction `# check=` comments do not reach
 *    them.
 * Several rules also carry a hadolint code; where hadolint's own tests ask
 * for more (instructions before the first FROM, global ARGs) we cover it too.
 * Every walk is linear in the instructions; names are looked up in small
 * hash tables or in environments bounded by the number of distinct names. */
#include "rule.h"

/* ---- small helpers ---- */

static bool is_lower_str(dw_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] >= 'A' && s.ptr[i] <= 'Z') return false;
    return true;
}

static bool is_upper_str(dw_str s)
{
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] >= 'a' && s.ptr[i] <= 'z') return false;
    return true;
}

static dw_str upper_copy(dw_arena *a, dw_str s)
{
    char *p = dw_arena_memdup(a, s.ptr, s.len);
    for (size_t i = 0; i < s.len; i++)
        if (p[i] >= 'a' && p[i] <= 'z') p[i] = (char)(p[i] - 32);
    return dw_str_make(p, s.len);
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool has_byte(dw_str s, char c) { return dw_str_chr(s, c) != NULL; }

/* The file text of a span. */
static dw_str span_text(const dw_dockerfile *df, dw_span sp)
{
    if (sp.end > df->len || sp.start > sp.end) return dw_str_make("", 0);
    return dw_str_make(df->src + sp.start, sp.end - sp.start);
}

static dw_span mk_span(uint32_t s, uint32_t e)
{
    dw_span sp = {s, e};
    return sp;
}

/* Fixes (and related-span lists) built in one go: dw_diag_edit and
 * dw_diag_related copy their array on every call, which is quadratic for
 * the findings that carry one edit per empty line, blank or reference.
 * Arena vectors grow by doubling; the texts must live in the arena. */
typedef DW_VEC(dw_edit) edit_vec;

static void edit_push(dw_lint *ctx, edit_vec *v, dw_span sp, const char *text, size_t len)
{
    dw_edit e;
    e.span = sp;
    e.text = dw_str_make(len ? dw_arena_memdup(ctx->a, text, len) : "", len);
    DW_VEC_PUSH(ctx->a, *v, e);
}

static void edits_commit(dw_diag *d, const edit_vec *v)
{
    if (!d || !v->n) return;
    d->edits = v->v;
    d->nedits = v->n;
}

/* Offset of the first byte of line `line` (1-based), or the file length. */
static uint32_t line_start(const dw_dockerfile *df, uint32_t line)
{
    if (line == 0) return 0;
    return line <= df->lines.count ? df->lines.starts[line - 1] : df->len;
}

/* The last line of an instruction's own text (continuations included,
 * heredoc bodies not): where BuildKit puts NoEmptyContinuation. */
static uint32_t instr_last_line(const dw_dockerfile *df, const dw_instr *in)
{
    uint32_t off = in->span.start;
    if (in->original.len) {
        /* the pieces run forward through the file: the last byte is the last */
        uint32_t e = dw_instr_file_offset(in, in->original.ptr + in->original.len - 1);
        if (e > off) off = e;
    }
    return dw_linemap_line(&df->lines, off);
}

/* The span of the first reference to variable `name` ($name or ${name...})
 * inside `within`, or `within` itself when it is not written there (e.g. the
 * word was split by a continuation). */
static dw_span var_span(const dw_dockerfile *df, dw_span within, dw_str name)
{
    dw_str t = span_text(df, within);
    for (size_t i = 0; i + 1 < t.len; i++) {
        if (t.ptr[i] != '$') continue;
        size_t j = i + 1;
        bool brace = t.ptr[j] == '{';
        if (brace) j++;
        if (j + name.len > t.len || memcmp(t.ptr + j, name.ptr, name.len) != 0) continue;
        size_t k = j + name.len;
        if (k < t.len && is_name_char(t.ptr[k])) continue;
        if (brace) {
            while (k < t.len && t.ptr[k] != '}') k++;
            if (k < t.len) k++;
        }
        return mk_span(within.start + (uint32_t)i, within.start + (uint32_t)k);
    }
    return within;
}

/* "did you mean": the nearest name at edit distance <= 2 (BuildKit's
 * suggest.Search: the first strictly better candidate wins; an exact match
 * means no suggestion). */
typedef struct { dw_str best; unsigned dist; bool exact; } suggestion;

static void suggest_add(suggestion *sg, dw_str word, dw_str cand)
{
    if (sg->exact || !cand.len) return;
    unsigned d = dw_edit_distance(word, cand, 2, false);
    if (d == 0) { sg->exact = true; sg->best.len = 0; return; }
    if (d < sg->dist) { sg->dist = d; sg->best = cand; }
}

/* Comparisons one rule may spend on suggestions in a file: a file with
 * thousands of undefined names and thousands of variables (BuildKit
 * compares every pair) gets its later findings without "did you mean"
 * rather than a quadratic run. A name gets all of its candidates or none. */
#define SUGGEST_WORK_MAX 2000000u

static void suggest_from(suggestion *sg, dw_str word, const dw_env *env, uint64_t *work)
{
    if (*work + env->n > SUGGEST_WORK_MAX) {
        sg->exact = true; /* no suggestion */
        return;
    }
    *work += env->n;
    for (uint32_t e = 0; e < env->n; e++) suggest_add(sg, word, env->v[e].name);
}

static const char *did_you_mean(dw_arena *a, const suggestion *sg, const char *prefix)
{
    if (sg->exact || !sg->best.len) return "";
    return dw_arena_printf(a, " (did you mean %s%.*s?)", prefix, (int)sg->best.len, sg->best.ptr);
}

/* The build arg given for `name` on the command line (`--build-arg`). */
static bool build_arg_value(const dw_lint *ctx, dw_str name, dw_str *value)
{
    if (!ctx->opts) return false;
    for (uint32_t i = ctx->opts->nbuild_args; i-- > 0;)
        if (dw_str_eqc(name, ctx->opts->build_args[i].name)) {
            *value = dw_str_c(ctx->opts->build_args[i].value);
            return true;
        }
    return false;
}

/* With --target only the stages the target needs are dispatched (a build);
 * without, BuildKit's lint request dispatches every stage. Instructions
 * before the first FROM are checked too (hadolint does). */
static bool dispatched(const dw_lint *ctx, const dw_instr *in)
{
    if (!ctx->target || in->stage < 0) return true;
    return dw_lint_stage_reached(ctx, in->stage);
}

static bool usable(const dw_instr *in) { return !in->error && in->kind != DW_I_UNKNOWN; }

/* The lexer BuildKit's converter uses for this file. */
static dw_lexer file_lexer(const dw_dockerfile *df)
{
    dw_lexer lx;
    memset(&lx, 0, sizeof lx);
    lx.escape = df->escape ? df->escape : '\\';
    return lx;
}

/* ---- the global scope (ARGs before the first FROM) ---- */

static const char *const auto_names[] = {
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
};
/* A linux/amd64 build, as the parser's stage model assumes. */
static const char *const auto_values[] = {
    "linux/amd64", "linux", "", "amd64", "",
    "linux/amd64", "linux", "", "amd64", "", "default",
};

typedef struct {
    dw_env env;       /* names with a value: automatic platform args, global ARGs */
    dw_env declared;  /* every global ARG name, with or without a value */
    bool failed;      /* a default value did not expand */
    uint64_t suggest_work; /* see suggest_from */
} global_scope;

/* BuildKit's defaultArgs + buildMetaArgs: automatic values (a build arg
 * overrides them), then each global ARG in order — its build arg, else its
 * default expanded with what came before, else no value. With
 * `use_build_args` false the build args of global ARGs are ignored
 * (InvalidDefaultArgInFrom checks the defaults alone). */
static void global_scope_build(dw_lint *ctx, bool use_build_args, global_scope *g)
{
    memset(g, 0, sizeof *g);
    dw_dockerfile *df = ctx->df;
    for (size_t k = 0; k < sizeof auto_names / sizeof *auto_names; k++) {
        dw_str name = dw_str_c(auto_names[k]), v = dw_str_c(auto_values[k]);
        if (k == 10) {
            /* TARGETSTAGE: the target, else the last stage's name, else "default" */
            const dw_stage *last = df->nstages ? &df->stages[df->nstages - 1] : NULL;
            if (ctx->target) v = dw_str_c(ctx->target);
            else if (last && last->name_lower.len) v = last->name_lower;
        }
        build_arg_value(ctx, name, &v);
        dw_env_set(ctx->a, &g->env, name, v);
    }
    dw_lexer lx = file_lexer(df);
    for (uint32_t i = 0; i < df->nglobal_args; i++) {
        const dw_kv *kv = &df->global_args[i];
        dw_str name = kv->key.text, v;
        dw_env_set(ctx->a, &g->declared, name, dw_str_make("", 0));
        if (use_build_args && build_arg_value(ctx, name, &v)) {
            dw_env_set(ctx->a, &g->env, name, v);
        } else if (kv->has_eq) {
            const char *err = NULL;
            if (dw_lex_process_word(ctx->a, &lx, kv->value.text, &g->env, &v, NULL, NULL, &err) < 0) {
                g->failed = true;
                continue;
            }
            dw_env_set(ctx->a, &g->env, name, v);
        }
    }
}

static bool env_has(const dw_env *e, dw_str name) { return dw_env_get(e, name, NULL); }

/* ---- platforms (containerd's platforms.Parse, as far as the checks need) ---- */

static const char *const known_os[] = {
    "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js", "linux",
    "nacl", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows", "zos",
};
static const char *const known_arch[] = {
    "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "loong64", "mips", "mipsle",
    "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc", "ppc64", "ppc64le", "riscv",
    "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
};

static bool in_list(dw_str s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (dw_str_eqc(s, list[i])) return true;
    return false;
}

static dw_str norm_os(dw_arena *a, dw_str s)
{
    s = dw_str_lower(a, s);
    return dw_str_eqc(s, "macos") ? dw_str_c("darwin") : s;
}

static dw_str norm_arch(dw_arena *a, dw_str s)
{
    s = dw_str_lower(a, s);
    if (dw_str_eqc(s, "i386")) return dw_str_c("386");
    if (dw_str_eqc(s, "x86_64") || dw_str_eqc(s, "x86-64")) return dw_str_c("amd64");
    if (dw_str_eqc(s, "aarch64")) return dw_str_c("arm64");
    if (dw_str_eqc(s, "armhf") || dw_str_eqc(s, "armel")) return dw_str_c("arm");
    return s;
}

/* Parses os[/arch[/variant]]; false when containerd would reject it. A
 * single known OS gets the default architecture (amd64). */
static bool parse_platform(dw_arena *a, dw_str spec, dw_str *os, dw_str *arch)
{
    const char *paren = dw_str_chr(spec, '(');
    if (paren) { /* windows(10.0.17763): the OS version is not needed */
        const char *close = dw_str_chr(spec, ')');
        if (!close || close < paren) return false;
        char *joined = dw_arena_printf(a, "%.*s%.*s", (int)(paren - spec.ptr), spec.ptr,
                                       (int)(spec.ptr + spec.len - close - 1), close + 1);
        spec = dw_str_c(joined);
    }
    dw_str parts[3];
    size_t np = 0, st = 0;
    for (size_t i = 0; i <= spec.len; i++) {
        if (i < spec.len && spec.ptr[i] != '/') {
            char c = spec.ptr[i];
            if (!is_name_char(c) && c != '.' && c != '-') return false;
            continue;
        }
        if (i == st || np == 3) return false;
        parts[np++] = dw_str_make(spec.ptr + st, i - st);
        st = i + 1;
    }
    if (np == 1) {
        dw_str o = norm_os(a, parts[0]);
        if (in_list(o, known_os, sizeof known_os / sizeof *known_os)) {
            *os = o;
            *arch = dw_str_c("amd64");
            return true;
        }
        dw_str ar = norm_arch(a, parts[0]);
        if (!in_list(ar, known_arch, sizeof known_arch / sizeof *known_arch)) return false;
        *os = dw_str_c("linux");
        *arch = ar;
        return true;
    }
    *os = norm_os(a, parts[0]);
    *arch = norm_arch(a, parts[1]);
    return true;
}

static bool contains(dw_str hay, dw_str needle)
{
    if (!needle.len) return true;
    for (size_t i = 0; i + needle.len <= hay.len; i++)
        if (memcmp(hay.ptr + i, needle.ptr, needle.len) == 0) return true;
    return false;
}

/* ---- stage-name-casing (StageNameCasing) ---- */

/* The span of the `from=<name>` value inside a --from / --mount flag, when
 * it is written there plainly. */
static bool flag_from_value(const dw_dockerfile *df, const dw_flag *f, dw_str name, dw_span *out)
{
    dw_str t = span_text(df, f->span);
    for (size_t i = 0; i + 5 + name.len <= t.len; i++) {
        if (!dw_str_ieq(dw_str_make(t.ptr + i, 5), dw_str_c("from="))) continue;
        if (i > 0 && t.ptr[i - 1] != ',' && t.ptr[i - 1] != '-') continue;
        size_t v = i + 5, e = v + name.len;
        if (!dw_str_ieq(dw_str_make(t.ptr + v, name.len), name)) continue;
        if (e < t.len && t.ptr[e] != ',') continue;
        *out = mk_span(f->span.start + (uint32_t)v, f->span.start + (uint32_t)e);
        return true;
    }
    return false;
}

/* One place that names a stage and would be rewritten with it. */
typedef struct { uint32_t stage; dw_span span; } stage_ref;

static int cmp_ref(const void *a, const void *b)
{
    const stage_ref *x = a, *y = b;
    if (x->stage != y->stage) return x->stage < y->stage ? -1 : 1;
    return x->span.start < y->span.start ? -1 : x->span.start > y->span.start;
}

void check_stage_name_casing(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* diagnostics are found by index: the vector may move as it grows */
    int64_t *diag_at = NULL;
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        const dw_instr *in = st->from;
        if (!in || in->nargs != 3 || is_lower_str(in->args[2].text)) continue;
        dw_str name = in->args[2].text, lower = dw_str_lower(ctx->a, name);
        dw_diag *d = dw_report(ctx, in, in->args[2].span, "stage name '%.*s' is not lower case",
                               (int)name.len, name.ptr);
        if (!d) continue;
        dw_diag_help(ctx, d, "name it '%.*s' (stage names are matched case-insensitively)",
                     (int)lower.len, lower.ptr);
        if (!diag_at) {
            diag_at = DW_NEW(ctx->a, int64_t, df->nstages);
            for (uint32_t k = 0; k < df->nstages; k++) diag_at[k] = -1;
        }
        diag_at[s] = (int64_t)(d - df->diags.v);
    }
    if (!diag_at) return;
    /* the references (FROM <stage>, COPY --from, RUN --mount from=), in one
     * pass; one written differently is left alone: stage names resolve
     * case-insensitively, so it keeps working */
    DW_VEC(stage_ref) refs = {0};
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *x = &df->instrs[i];
        const dw_stage *xs = dw_lint_stage(ctx, x);
        if (x->kind == DW_I_FROM && xs) {
            if (diag_at[xs->index] >= 0) {
                stage_ref r = {xs->index, x->args[2].span};
                DW_SVEC_PUSH(refs, r);
            }
            if (xs->base_kind == DW_BASE_STAGE && xs->base_stage >= 0 && diag_at[xs->base_stage] >= 0 &&
                x->nargs >= 1) {
                stage_ref r = {(uint32_t)xs->base_stage, x->args[0].span};
                DW_SVEC_PUSH(refs, r);
            }
            continue;
        }
        for (uint32_t f = 0; f < x->nflags; f++) {
            const dw_flag *fl = &x->flags[f];
            int target = -1;
            if (x->kind == DW_I_COPY && dw_str_eqc(fl->name, "from")) target = x->from_stage;
            if (x->kind == DW_I_RUN && dw_str_eqc(fl->name, "mount"))
                for (uint32_t m = 0; m < x->nmounts; m++)
                    if (x->mounts[m].span.start >= fl->span.start && x->mounts[m].span.end <= fl->span.end)
                        target = x->mounts[m].from_stage;
            dw_span sp;
            if (target >= 0 && diag_at[target] >= 0 &&
                flag_from_value(df, fl, df->stages[target].name, &sp)) {
                stage_ref r = {(uint32_t)target, sp};
                DW_SVEC_PUSH(refs, r);
            }
        }
    }
    if (refs.n) qsort(refs.v, refs.n, sizeof *refs.v, cmp_ref);
    for (uint32_t i = 0; i < refs.n;) {
        uint32_t s = refs.v[i].stage;
        dw_str name = df->stages[s].name, lower = df->stages[s].name_lower;
        edit_vec ev = {0};
        for (; i < refs.n && refs.v[i].stage == s; i++) {
            dw_str t = span_text(df, refs.v[i].span);
            if (dw_str_ieq(t, name) && !dw_str_eq(t, lower)) edit_push(ctx, &ev, refs.v[i].span, lower.ptr, lower.len);
        }
        edits_commit(&df->diags.v[diag_at[s]], &ev);
    }
    DW_SVEC_FREE(refs);
}

/* ---- from-as-casing (FromAsCasing) ---- */

void check_from_as_casing(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_FROM || in->nargs < 3) continue;
        bool lower = is_lower_str(in->keyword), upper = is_upper_str(in->keyword);
        /* a mixed-case FROM is instruction-casing's business */
        if (!lower && !upper) continue;
        dw_str as = in->args[1].text;
        if (lower ? is_lower_str(as) : is_upper_str(as)) continue;
        dw_diag *d = dw_report(ctx, in, in->args[1].span, "'%.*s' does not match the casing of '%.*s'",
                               (int)as.len, as.ptr, (int)in->keyword.len, in->keyword.ptr);
        if (!d) continue;
        dw_str want = lower ? dw_str_lower(ctx->a, as) : upper_copy(ctx->a, as);
        dw_diag_help(ctx, d, "write '%.*s' to match '%.*s'", (int)want.len, want.ptr, (int)in->keyword.len,
                     in->keyword.ptr);
        dw_diag_edit(ctx, d, in->args[1].span, want.ptr, want.len);
    }
}

/* ---- instruction-casing (ConsistentInstructionCasing) ---- */

void check_instruction_casing(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* BuildKit counts the FROMs and the instructions inside stages; ARGs
     * before the first FROM are neither counted nor checked */
    uint32_t nlower = 0, nupper = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage < 0 || in->kind == DW_I_UNKNOWN) continue;
        if (is_lower_str(in->keyword)) nlower++;
        else if (is_upper_str(in->keyword)) nupper++;
    }
    bool major_lower = nlower > nupper;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage < 0 || in->kind == DW_I_UNKNOWN) continue;
        if (major_lower ? is_lower_str(in->keyword) : is_upper_str(in->keyword)) continue;
        dw_str want = major_lower ? dw_str_lower(ctx->a, in->keyword) : upper_copy(ctx->a, in->keyword);
        dw_diag *d = dw_report_filewide(ctx, in, in->keyword_span,
                                        "instruction '%.*s' does not match the %s casing of most instructions",
                                        (int)in->keyword.len, in->keyword.ptr, major_lower ? "lower-case" : "upper-case");
        if (!d) continue;
        dw_diag_help(ctx, d, "write '%.*s'", (int)want.len, want.ptr);
        dw_diag_edit(ctx, d, in->keyword_span, want.ptr, want.len);
    }
}

/* ---- empty-continuation (NoEmptyContinuation) ---- */

void check_empty_continuation(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (!in->nempty_lines) continue;
        /* BuildKit reports it at the instruction's last line */
        uint32_t last = instr_last_line(df, in);
        dw_str lt = dw_str_trim_space(dw_linemap_text(&df->lines, last));
        uint32_t st = lt.len ? (uint32_t)(lt.ptr - df->src) : line_start(df, last);
        dw_diag *d = dw_report_filewide(ctx, in, mk_span(st, st + (uint32_t)lt.len),
                                        "%u empty line%s inside this continued %.*s instruction", in->nempty_lines,
                                        in->nempty_lines == 1 ? "" : "s", (int)in->keyword.len, in->keyword.ptr);
        if (!d) continue;
        dw_diag_help(ctx, d, "delete the empty line%s: BuildKit plans to reject empty lines in continuations",
                     in->nempty_lines == 1 ? "" : "s");
        edit_vec ev = {0};
        dw_related *rel = DW_NEW(ctx->a, dw_related, in->nempty_lines);
        for (uint32_t k = 0; k < in->nempty_lines; k++) {
            uint32_t l = in->empty_lines[k];
            dw_span sp = mk_span(line_start(df, l), line_start(df, l + 1));
            rel[k].span = mk_span(sp.start, sp.start);
            rel[k].label = "empty line";
            edit_push(ctx, &ev, sp, "", 0);
        }
        d->related = rel;
        d->nrelated = in->nempty_lines;
        edits_commit(d, &ev);
    }
}

/* ---- duplicate-stage-name (DuplicateStageName) ---- */

static uint64_t hash_str(dw_str s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++) h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ull;
    return h;
}

void check_duplicate_stage_name(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (df->nstages < 2) return;
    /* lower-cased names -> first stage index + 1, open addressing */
    uint32_t cap = 16;
    while (cap < df->nstages * 2) cap *= 2;
    uint32_t *slots = DW_NEW(ctx->a, uint32_t, cap);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        if (!st->name_lower.len) continue;
        uint32_t h = (uint32_t)hash_str(st->name_lower) & (cap - 1);
        for (;; h = (h + 1) & (cap - 1)) {
            if (!slots[h]) { slots[h] = s + 1; break; }
            const dw_stage *first = &df->stages[slots[h] - 1];
            if (!dw_str_eq(first->name_lower, st->name_lower)) continue;
            dw_diag *d = dw_report_filewide(ctx, st->from, st->name_span,
                                            "stage name \"%.*s\" is already used by an earlier stage",
                                            (int)st->name_lower.len, st->name_lower.ptr);
            dw_diag_related(ctx, d, first->name_span, "first used here");
            dw_diag_help(ctx, d, "give every stage its own name: COPY --from and FROM would pick the first one");
            break;
        }
    }
}

/* ---- reserved-stage-name (ReservedStageName) ---- */

void check_reserved_stage_name(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        if (!dw_str_eqc(st->name_lower, "scratch") && !dw_str_eqc(st->name_lower, "context")) continue;
        dw_diag *d = dw_report_filewide(ctx, st->from, st->name_span, "stage name \"%.*s\" is reserved",
                                        (int)st->name_lower.len, st->name_lower.ptr);
        dw_diag_help(ctx, d, "rename the stage: \"%.*s\" already means %s", (int)st->name_lower.len,
                     st->name_lower.ptr,
                     dw_str_eqc(st->name_lower, "scratch") ? "the empty image" : "the build context");
    }
}

/* ---- json-args-recommended (JSONArgsRecommended) ---- */

/* True when the shell-form command is plain words that mean the same thing
 * in exec form: no quoting, expansion, redirection or other shell syntax. */
static bool plain_words(dw_str s)
{
    if (!dw_str_trim_space(s).len) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c == ' ' || c == '\t') continue;
        if (is_name_char(c)) continue;
        if (c == '-' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == '%' || c == '+' ||
            c == ',')
            continue;
        return false;
    }
    return true;
}

/* `["a", "b"]` from plain words. */
static dw_str exec_form(dw_arena *a, dw_str s)
{
    dw_buf b = {0};
    dw_buf_putc(&b, '[');
    bool first = true;
    for (size_t i = 0; i < s.len;) {
        while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
        size_t st = i;
        while (i < s.len && s.ptr[i] != ' ' && s.ptr[i] != '\t') i++;
        if (i == st) break;
        dw_buf_printf(&b, "%s\"%.*s\"", first ? "" : ", ", (int)(i - st), s.ptr + st);
        first = false;
    }
    dw_buf_putc(&b, ']');
    dw_str r = dw_str_make(dw_arena_memdup(a, b.p, b.n), b.n);
    dw_buf_free(&b);
    return r;
}

void check_json_args_recommended(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* SHELL set in a stage or a stage it is built from silences the rule */
    bool *shell = DW_NEW(ctx->a, bool, df->nstages + 1);
    bool any_cmd = false;
    for (uint32_t i = 0; i < df->ninstrs; i++) any_cmd |= df->instrs[i].kind == DW_I_CMD;
    bool pre_shell = false;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        const dw_stage *st = dw_lint_stage(ctx, in);
        bool *cur = st ? &shell[st->index] : &pre_shell;
        if (in->kind == DW_I_FROM && st) {
            *cur = st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && shell[st->base_stage];
            continue;
        }
        if (!usable(in)) continue;
        if (in->kind == DW_I_SHELL) { *cur = true; continue; }
        if ((in->kind != DW_I_CMD && in->kind != DW_I_ENTRYPOINT) || in->json || *cur || !dispatched(ctx, in))
            continue;
        dw_diag *d = dw_report(ctx, in, in->keyword_span,
                               "%.*s in shell form runs under /bin/sh -c, so the process does not receive OS signals: "
                               "JSON arguments are recommended",
                               (int)in->keyword.len, in->keyword.ptr);
        if (!d) continue;
        dw_diag_help(ctx, d, "write it in exec form, e.g. %.*s [\"executable\", \"arg\"], or set a SHELL",
                     (int)in->keyword.len, in->keyword.ptr);
        /* an exec-form ENTRYPOINT takes CMD as arguments where the shell form
         * ignored it: only rewrite it when no CMD exists */
        if (plain_words(in->args_text) && (in->kind == DW_I_CMD || !any_cmd)) {
            dw_str j = exec_form(ctx->a, in->args_text);
            dw_diag_edit(ctx, d, in->args_span, j.ptr, j.len);
        }
    }
}

/* ---- maintainer-deprecated (MaintainerDeprecated) ---- */

void check_maintainer_deprecated(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_MAINTAINER) continue;
        dw_diag *d = dw_report(ctx, in, in->keyword_span, "the MAINTAINER instruction is deprecated: use a label");
        if (!d) continue;
        dw_diag_help(ctx, d, "replace it with LABEL org.opencontainers.image.authors=\"%.*s\"",
                     (int)in->args_text.len, in->args_text.ptr);
        if (in->error || !in->args_text.len) continue;
        /* LABEL values are expanded: escape quotes, the escape character and $ */
        dw_buf b = {0};
        dw_buf_puts(&b, is_lower_str(in->keyword) ? "label" : "LABEL");
        dw_buf_puts(&b, " org.opencontainers.image.authors=\"");
        for (size_t k = 0; k < in->args_text.len; k++) {
            char c = in->args_text.ptr[k];
            if (c == '"' || c == '$' || c == df->escape) dw_buf_putc(&b, df->escape);
            dw_buf_putc(&b, c);
        }
        dw_buf_putc(&b, '"');
        dw_diag_edit(ctx, d, mk_span(in->keyword_span.start, in->args_span.end), b.p, b.n);
        dw_buf_free(&b);
    }
}

/* ---- undefined-arg-in-from (UndefinedArgInFrom) ---- */

static void undefined_in_from_word(dw_lint *ctx, global_scope *g, const dw_instr *in, dw_str word,
                                   dw_span span)
{
    if (!has_byte(word, '$')) return;
    dw_lexer lx = file_lexer(ctx->df);
    dw_names un = {0};
    dw_str out;
    const char *err = NULL;
    dw_lex_process_word(ctx->a, &lx, word, &g->env, &out, NULL, &un, &err);
    for (uint32_t k = 0; k < un.n; k++) {
        dw_str name = un.v[k];
        if (env_has(&g->declared, name) || env_has(&g->env, name)) continue;
        suggestion sg = {.dist = 3};
        suggest_from(&sg, name, &g->declared, &g->suggest_work);
        suggest_from(&sg, name, &g->env, &g->suggest_work);
        dw_diag *d = dw_report(ctx, in, var_span(ctx->df, span, name),
                               "FROM uses '%.*s', which no global ARG declares%s", (int)name.len, name.ptr,
                               did_you_mean(ctx->a, &sg, ""));
        dw_diag_help(ctx, d, "declare it with ARG %.*s before the first FROM, or use a declared name",
                     (int)name.len, name.ptr);
    }
}

void check_undefined_arg_in_from(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (!df->nstages) return;
    global_scope g;
    global_scope_build(ctx, true, &g);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_instr *in = df->stages[s].from;
        if (!in || !usable(in)) continue;
        if (in->nargs >= 1) undefined_in_from_word(ctx, &g, in, in->args[0].text, in->args[0].span);
        for (uint32_t f = 0; f < in->nflags; f++)
            if (dw_str_eqc(in->flags[f].name, "platform"))
                undefined_in_from_word(ctx, &g, in, in->flags[f].value, in->flags[f].span);
    }
}

/* ---- invalid-default-arg-in-from (InvalidDefaultArgInFrom) ---- */

void check_invalid_default_arg_in_from(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (!df->nstages) return;
    global_scope g;
    global_scope_build(ctx, false, &g);
    if (g.failed) return; /* the build fails on that ARG anyway */
    dw_lexer lx = file_lexer(df);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_instr *in = df->stages[s].from;
        if (!in || !usable(in) || in->nargs < 1) continue;
        dw_str word = in->args[0].text, out = word;
        const char *err = NULL;
        if (dw_lex_process_word(ctx->a, &lx, word, &g.env, &out, NULL, NULL, &err) < 0) return;
        dw_imageref ref;
        dw_imageref_parse(ctx->a, out, &ref);
        if (ref.valid) continue;
        dw_diag *d;
        if (dw_str_eq(out, word)) {
            /* no variable involved: BuildKit still checks the reference */
            d = dw_report_filewide(ctx, in, in->args[0].span, "'%.*s' is not a valid image reference",
                                   (int)word.len, word.ptr);
            dw_diag_help(ctx, d, "write name[:tag][@digest] with a lower-case name (a stage can be "
                                 "referred to in any case, but BuildKit checks it as an image reference too)");
        } else {
            d = dw_report_filewide(ctx, in, in->args[0].span,
                                   "with the default values of the global ARGs, the base image '%.*s' is '%.*s', "
                                   "an empty or invalid image name",
                                   (int)word.len, word.ptr, (int)out.len, out.ptr);
            dw_diag_help(ctx, d, "give the ARGs used here defaults that form a valid image reference");
        }
    }
}

/* ---- undefined-var (UndefinedVar) ---- */

/* What a stage knows while it is dispatched: the variables set (base
 * image ENV, ENV, ARGs with a value) and every ARG name declared in it or
 * the stages it is built from (BuildKit does not report those). */
typedef struct {
    dw_env env;
    dw_env declared;
} stage_scope;

/* Base images whose ENV matters for expansion: well-known variables of
 * official images, so that `WORKDIR $GOPATH/src` is not reported. BuildKit
 * reads the real image config; we cannot, and any other image is assumed to
 * set only PATH. Matched on the repository (library/<name>). */
static const struct { const char *repo; const char *vars; } image_env[] = {
    {"library/golang", "GOLANG_VERSION GOPATH GOTOOLCHAIN"},
    {"library/node", "NODE_VERSION YARN_VERSION"},
    {"library/python", "PYTHON_VERSION PYTHON_SHA256 GPG_KEY LANG"},
    {"library/ruby", "RUBY_VERSION RUBY_DOWNLOAD_SHA256 GEM_HOME BUNDLE_SILENCE_ROOT_WARNING BUNDLE_APP_CONFIG LANG"},
    {"library/php", "PHP_VERSION PHP_INI_DIR PHP_CFLAGS PHP_CPPFLAGS PHP_LDFLAGS PHP_URL PHP_ASC_URL PHP_SHA256 GPG_KEYS PHPIZE_DEPS"},
    {"library/openjdk", "JAVA_HOME JAVA_VERSION LANG"},
    {"library/eclipse-temurin", "JAVA_HOME JAVA_VERSION LANG LANGUAGE LC_ALL"},
    {"library/amazoncorretto", "JAVA_HOME LANG"},
    {"library/maven", "MAVEN_HOME MAVEN_CONFIG JAVA_HOME JAVA_VERSION LANG"},
    {"library/gradle", "GRADLE_HOME GRADLE_VERSION JAVA_HOME JAVA_VERSION LANG"},
    {"library/rust", "RUSTUP_HOME CARGO_HOME RUST_VERSION"},
    {"library/nginx", "NGINX_VERSION NJS_VERSION NJS_RELEASE PKG_RELEASE DYNPKG_RELEASE"},
    {"library/httpd", "HTTPD_PREFIX HTTPD_VERSION HTTPD_SHA256 HTTPD_PATCHES"},
    {"library/tomcat", "CATALINA_HOME TOMCAT_NATIVE_LIBDIR LD_LIBRARY_PATH TOMCAT_MAJOR TOMCAT_VERSION TOMCAT_SHA512 JAVA_HOME JAVA_VERSION LANG"},
    {"library/postgres", "PG_MAJOR PG_VERSION PGDATA GOSU_VERSION LANG"},
    {"library/mysql", "MYSQL_MAJOR MYSQL_VERSION MYSQL_SHELL_VERSION GOSU_VERSION"},
    {"library/mariadb", "MARIADB_VERSION GOSU_VERSION LANG"},
    {"library/redis", "REDIS_VERSION REDIS_DOWNLOAD_URL REDIS_DOWNLOAD_SHA"},
    {"library/mongo", "MONGO_MAJOR MONGO_VERSION GOSU_VERSION JSYAML_VERSION HOME"},
    {"library/elixir", "ELIXIR_VERSION LANG"},
    {"library/erlang", "OTP_VERSION REBAR3_VERSION"},
    {"library/haskell", "GHC GHCUP_VERSION STACK CABAL_INSTALL LANG"},
    {"library/julia", "JULIA_PATH JULIA_VERSION JULIA_GPG"},
    {"library/perl", "PERL_VERSION"},
    {"library/dart", "DART_SDK PUB_CACHE"},
    {"library/swift", "SWIFT_PLATFORM SWIFT_BRANCH SWIFT_VERSION SWIFT_WEBROOT"},
    {"library/composer", "COMPOSER_ALLOW_SUPERUSER COMPOSER_HOME COMPOSER_VERSION PHP_INI_DIR"},
    {"library/wordpress", "WORDPRESS_VERSION WORDPRESS_SHA1 PHP_INI_DIR"},
    {"library/docker", "DOCKER_VERSION DOCKER_TLS_CERTDIR DOCKER_BUILDX_VERSION DOCKER_COMPOSE_VERSION"},
    {"library/gcc", "GCC_VERSION GPG_KEYS"},
    {"library/haproxy", "HAPROXY_VERSION HAPROXY_URL HAPROXY_SHA256"},
    {"library/traefik", ""},
    {"library/jenkins", "JENKINS_HOME JENKINS_SLAVE_AGENT_PORT REF JENKINS_VERSION JENKINS_UC JENKINS_UC_EXPERIMENTAL JENKINS_INCREMENTALS_REPO_URL COPY_REFERENCE_FILE_LOG JAVA_HOME LANG"},
    {"library/bash", "_BASH_VERSION _BASH_BASELINE _BASH_LATEST_PATCH"},
    /* Microsoft's .NET images (mcr.microsoft.com/dotnet/...): APP_UID is the
     * non-root user they ship (USER $APP_UID is their documented idiom) */
    {"dotnet/runtime-deps", "APP_UID ASPNETCORE_HTTP_PORTS DOTNET_RUNNING_IN_CONTAINER DOTNET_VERSION"},
    {"dotnet/runtime", "APP_UID ASPNETCORE_HTTP_PORTS DOTNET_RUNNING_IN_CONTAINER DOTNET_VERSION"},
    {"dotnet/aspnet", "APP_UID ASPNETCORE_HTTP_PORTS DOTNET_RUNNING_IN_CONTAINER DOTNET_VERSION ASPNET_VERSION"},
    {"dotnet/sdk", "APP_UID ASPNETCORE_HTTP_PORTS DOTNET_RUNNING_IN_CONTAINER DOTNET_VERSION ASPNET_VERSION "
                   "DOTNET_SDK_VERSION DOTNET_GENERATE_ASPNET_CERTIFICATE DOTNET_NOLOGO DOTNET_USE_POLLING_FILE_WATCHER "
                   "NUGET_XMLDOC_MODE POWERSHELL_DISTRIBUTION_CHANNEL"},
};

static void scope_set_image_env(dw_lint *ctx, stage_scope *sc, const dw_stage *st)
{
    if (st->base_kind != DW_BASE_IMAGE || !st->image.valid) return;
    for (size_t k = 0; k < sizeof image_env / sizeof *image_env; k++) {
        if (!dw_str_eqc(st->image.repository, image_env[k].repo)) continue;
        const char *p = image_env[k].vars;
        while (*p) {
            const char *e = strchr(p, ' ');
            size_t n = e ? (size_t)(e - p) : strlen(p);
            /* the value is unknown: a placeholder keeps `${X:-d}` from taking the default */
            dw_env_set(ctx->a, &sc->env, dw_str_make(p, n), dw_str_c("x"));
            p += n;
            while (*p == ' ') p++;
        }
        return;
    }
}

static void env_clone(dw_arena *a, dw_env *dst, const dw_env *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src->n) return;
    dst->v = DW_NEW(a, dw_env_var, src->n);
    memcpy(dst->v, src->v, sizeof *src->v * src->n);
    dst->n = dst->cap = src->n;
    dst->fold_case = src->fold_case;
}

static bool non_env_arg(dw_str name)
{
    return dw_str_eqc(name, "BUILDKIT_SBOM_SCAN_CONTEXT") || dw_str_eqc(name, "BUILDKIT_SBOM_SCAN_STAGE");
}

typedef struct {
    dw_lint *ctx;
    dw_lexer lx;
    stage_scope *sc;
    const dw_instr *in;
    bool report;
    uint64_t suggest_work; /* see suggest_from */
} var_walk;

/* Expands `word` in the stage environment (BuildKit's ProcessWord) and
 * reports each variable it uses that is neither set nor a declared ARG.
 * Returns the expansion (the word itself when it does not expand). */
static dw_str expand_word(var_walk *w, dw_str word, dw_span span)
{
    bool plain = true;
    for (size_t i = 0; i < word.len && plain; i++) {
        char c = word.ptr[i];
        plain = c != '$' && c != '\'' && c != '"' && c != w->lx.escape;
    }
    if (plain) return word;
    dw_names un = {0};
    dw_str out = word;
    const char *err = NULL;
    if (dw_lex_process_word(w->ctx->a, &w->lx, word, &w->sc->env, &out, NULL, w->report ? &un : NULL, &err) < 0)
        out = word;
    for (uint32_t k = 0; k < un.n; k++) {
        dw_str name = un.v[k];
        if (env_has(&w->sc->declared, name) || non_env_arg(name)) continue;
        suggestion sg = {.dist = 3};
        suggest_from(&sg, name, &w->sc->env, &w->suggest_work);
        dw_diag *d = dw_report(w->ctx, w->in, var_span(w->ctx->df, span, name),
                               "variable '$%.*s' is used but not defined%s", (int)name.len, name.ptr,
                               did_you_mean(w->ctx->a, &sg, "$"));
        dw_diag_help(w->ctx, d, "declare it first with ARG or ENV in this stage (an ARG before FROM is only seen by FROM)");
    }
    return out;
}

/* The key=value fields of a --mount value (BuildKit reads it as CSV). */
static void expand_mount(var_walk *w, const dw_flag *f)
{
    dw_str v = f->value;
    size_t i = 0;
    while (i <= v.len) {
        size_t st = i;
        char q = 0;
        while (i < v.len && (q || v.ptr[i] != ',')) {
            if (v.ptr[i] == '"') q = q ? 0 : '"';
            i++;
        }
        dw_str field = dw_str_make(v.ptr + st, i - st);
        const char *eq = dw_str_chr(field, '=');
        if (eq) expand_word(w, dw_str_make(eq + 1, field.len - (size_t)(eq + 1 - field.ptr)), f->span);
        i++;
    }
}

static bool is_heredoc_word(const dw_instr *in, dw_span sp)
{
    for (uint32_t h = 0; h < in->nheredocs; h++)
        if (in->heredocs[h].word_span.start == sp.start) return true;
    return false;
}

/* Runs one stage's instructions through the scope. */
static void walk_stage(var_walk *w, const dw_stage *st, const global_scope *g)
{
    dw_lint *ctx = w->ctx;
    dw_dockerfile *df = ctx->df;
    stage_scope *sc = w->sc;
    for (uint32_t i = st->first + 1; i < st->first + st->count; i++) {
        const dw_instr *in = &df->instrs[i];
        if (!usable(in)) continue;
        w->in = in;
        switch (in->kind) {
        case DW_I_ENV: {
            /* every pair expands against the environment before the instruction */
            dw_str *keys = DW_NEW(ctx->a, dw_str, in->nkvs * 2 + 1);
            for (uint32_t k = 0; k < in->nkvs; k++) {
                keys[2 * k] = expand_word(w, in->kvs[k].key.text, in->kvs[k].key.span);
                keys[2 * k + 1] = expand_word(w, in->kvs[k].value.text, in->kvs[k].value.span);
            }
            for (uint32_t k = 0; k < in->nkvs; k++) dw_env_set(ctx->a, &sc->env, keys[2 * k], keys[2 * k + 1]);
            break;
        }
        case DW_I_ARG:
            for (uint32_t k = 0; k < in->nkvs; k++) {
                const dw_kv *kv = &in->kvs[k];
                dw_str name = kv->key.text, v;
                bool has = true;
                if (build_arg_value(ctx, name, &v)) {
                    /* a build arg replaces the default, which is then not expanded */
                } else if (kv->has_eq) {
                    v = expand_word(w, kv->value.text, kv->value.span);
                } else {
                    has = dw_env_get(&g->env, name, &v);
                }
                if (has && !non_env_arg(name)) dw_env_set(ctx->a, &sc->env, name, v);
                dw_env_set(ctx->a, &sc->declared, name, dw_str_make("", 0));
            }
            break;
        case DW_I_LABEL:
            for (uint32_t k = 0; k < in->nkvs; k++) {
                expand_word(w, in->kvs[k].key.text, in->kvs[k].key.span);
                expand_word(w, in->kvs[k].value.text, in->kvs[k].value.span);
            }
            break;
        case DW_I_COPY: case DW_I_ADD:
            for (uint32_t f = 0; f < in->nflags; f++) {
                dw_str n = in->flags[f].name;
                if (dw_str_eqc(n, "chown") || dw_str_eqc(n, "chmod") ||
                    (in->kind == DW_I_ADD && dw_str_eqc(n, "checksum")))
                    expand_word(w, in->flags[f].value, in->flags[f].span);
            }
            /* heredoc sources and their bodies are left out on purpose (rules.md) */
            for (uint32_t k = 0; k < in->nargs; k++)
                if (!is_heredoc_word(in, in->args[k].span)) expand_word(w, in->args[k].text, in->args[k].span);
            break;
        case DW_I_WORKDIR: case DW_I_USER: case DW_I_VOLUME: case DW_I_STOPSIGNAL:
            for (uint32_t k = 0; k < in->nargs; k++) expand_word(w, in->args[k].text, in->args[k].span);
            break;
        case DW_I_RUN:
            for (uint32_t f = 0; f < in->nflags; f++)
                if (dw_str_eqc(in->flags[f].name, "mount")) expand_mount(w, &in->flags[f]);
            break;
        default:
            break;
        }
    }
}

void check_undefined_var(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (!df->nstages) return;
    global_scope g;
    global_scope_build(ctx, true, &g);
    stage_scope *scopes = DW_NEW(ctx->a, stage_scope, df->nstages);
    /* how many later stages are built from each one: the last of them takes
     * the scope over instead of copying it, so a chain of FROM <stage> stays
     * linear */
    uint32_t *children = DW_NEW(ctx->a, uint32_t, df->nstages);
    for (uint32_t s = 0; s < df->nstages; s++)
        if (df->stages[s].base_kind == DW_BASE_STAGE && df->stages[s].base_stage >= 0 &&
            (uint32_t)df->stages[s].base_stage < s)
            children[df->stages[s].base_stage]++;
    var_walk w;
    memset(&w, 0, sizeof w);
    w.ctx = ctx;
    w.lx = file_lexer(df);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        stage_scope *sc = &scopes[s];
        /* a stage built from another starts from its environment and ARGs */
        if (st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < s) {
            stage_scope *base = &scopes[st->base_stage];
            if (--children[st->base_stage] == 0) {
                *sc = *base;
                memset(base, 0, sizeof *base);
            } else {
                env_clone(ctx->a, &sc->env, &base->env);
                env_clone(ctx->a, &sc->declared, &base->declared);
            }
        } else {
            dw_env_set(ctx->a, &sc->env, dw_str_c("PATH"),
                       dw_str_c("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
            scope_set_image_env(ctx, sc, st);
        }
        w.sc = sc;
        /* with --target, the stages it does not need are not dispatched, but
         * their scope is still built for the stages built from them */
        w.report = !st->from || dispatched(ctx, st->from);
        walk_stage(&w, st, &g);
    }
}

/* ---- workdir-relative-path (WorkdirRelativePath) ---- */

static bool abs_path(dw_str p)
{
    if (p.len && (p.ptr[0] == '/' || p.ptr[0] == '\\')) return true;
    /* C:\ or C:/ — a Windows path (hadolint accepts it too) */
    return p.len >= 2 && ((p.ptr[0] >= 'a' && p.ptr[0] <= 'z') || (p.ptr[0] >= 'A' && p.ptr[0] <= 'Z')) &&
           p.ptr[1] == ':';
}

void check_workdir_relative_path(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* "an absolute WORKDIR was set" carries into stages built from this one */
    bool *set = DW_NEW(ctx->a, bool, df->nstages + 1);
    bool pre_set = false;
    dw_lexer lx = file_lexer(df);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        const dw_stage *st = dw_lint_stage(ctx, in);
        bool *cur = st ? &set[st->index] : &pre_set;
        if (in->kind == DW_I_FROM && st) {
            *cur = st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && set[st->base_stage];
            continue;
        }
        if (in->kind != DW_I_WORKDIR || !usable(in) || in->nargs < 1) continue;
        bool was = *cur;
        *cur = true;
        if (was || !dispatched(ctx, in)) continue;
        dw_str path = in->args[0].expanded;
        if (!in->args[0].has_expanded) {
            const char *err = NULL;
            if (dw_lex_process_word(ctx->a, &lx, in->args[0].text, NULL, &path, NULL, NULL, &err) < 0) {
                path = in->args[0].text;
                if (path.len >= 2 && (path.ptr[0] == '"' || path.ptr[0] == '\'')) path = dw_str_sub(path, 1, path.len);
            }
        }
        /* empty: it came from variables we cannot see (undefined-var covers unset ones) */
        if (!path.len || abs_path(path)) continue;
        dw_diag *d = dw_report(ctx, in, in->args[0].span,
                               "relative WORKDIR \"%.*s\" depends on the base image's working directory",
                               (int)path.len, path.ptr);
        dw_diag_help(ctx, d, "use an absolute path, e.g. WORKDIR /%.*s", (int)path.len, path.ptr);
    }
}

/* ---- multiple-cmd / multiple-entrypoint / multiple-healthcheck
 *      (MultipleInstructionsDisallowed) ---- */

static void multiple(dw_lint *ctx, dw_instr_kind kind)
{
    dw_dockerfile *df = ctx->df;
    const dw_instr *prev = NULL;
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) { stage = in->stage; prev = NULL; } /* not carried across stages */
        if (in->kind != kind || !usable(in) || !dispatched(ctx, in)) continue;
        if (prev) {
            /* reported at the earlier one, which is ignored; the later one's
             * `# check=` comment and pragmas apply, as in BuildKit and hadolint */
            dw_diag *d = dw_report(ctx, in, prev->keyword_span,
                                   "this %.*s is overridden by a later %.*s in the same stage: only the last one is used",
                                   (int)prev->keyword.len, prev->keyword.ptr, (int)in->keyword.len, in->keyword.ptr);
            dw_diag_related(ctx, d, in->keyword_span, "the one that takes effect");
            dw_diag_help(ctx, d, "remove all but one %.*s from the stage", (int)in->keyword.len, in->keyword.ptr);
        }
        prev = in;
    }
}

void check_multiple_cmd(dw_lint *ctx) { multiple(ctx, DW_I_CMD); }
void check_multiple_entrypoint(dw_lint *ctx) { multiple(ctx, DW_I_ENTRYPOINT); }
void check_multiple_healthcheck(dw_lint *ctx) { multiple(ctx, DW_I_HEALTHCHECK); }

/* ---- legacy-key-value (LegacyKeyValueFormat) ---- */

void check_legacy_key_value(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if ((in->kind != DW_I_ENV && in->kind != DW_I_LABEL) || !usable(in) || in->stage < 0 || !dispatched(ctx, in))
            continue;
        for (uint32_t k = 0; k < in->nkvs; k++) {
            const dw_kv *kv = &in->kvs[k];
            if (kv->has_eq) continue;
            dw_diag *d = dw_report(ctx, in, mk_span(kv->key.span.start, kv->value.span.end),
                                   "\"%.*s key value\" is the legacy format: use \"%.*s key=value\"",
                                   (int)in->keyword.len, in->keyword.ptr, (int)in->keyword.len, in->keyword.ptr);
            if (!d) continue;
            dw_diag_help(ctx, d, "write %.*s=…; the legacy form cannot set several pairs and is error-prone",
                         (int)kv->key.text.len, kv->key.text.ptr);
            /* key<blanks>value -> key=value. The value must stay one word
             * with the same meaning: wrap it in double quotes when it holds
             * no quote or escape character (a $VAR expands the same inside
             * them), else escape its unquoted blanks. Only when the value is
             * written on one line, as parsed. */
            dw_str raw = span_text(df, kv->value.span);
            if (!dw_str_eq(raw, kv->value.text) || kv->value.span.start <= kv->key.span.end) continue;
            dw_str gap = span_text(df, mk_span(kv->key.span.end, kv->value.span.start));
            if (has_byte(gap, '\n')) continue;
            bool blanks = has_byte(raw, ' ') || has_byte(raw, '\t');
            edit_vec ev = {0};
            if (!blanks) {
                edit_push(ctx, &ev, mk_span(kv->key.span.end, kv->value.span.start), "=", 1);
            } else if (!has_byte(raw, '"') && !has_byte(raw, '\'') && !has_byte(raw, df->escape)) {
                edit_push(ctx, &ev, mk_span(kv->key.span.end, kv->value.span.start), "=\"", 2);
                edit_push(ctx, &ev, mk_span(kv->value.span.end, kv->value.span.end), "\"", 1);
            } else {
                edit_push(ctx, &ev, mk_span(kv->key.span.end, kv->value.span.start), "=", 1);
                char q = 0;
                for (size_t c = 0; c < raw.len && ev.n <= 256; c++) {
                    char ch = raw.ptr[c];
                    if (ch == df->escape && q != '\'') { c++; continue; }
                    if (q) { if (ch == q) q = 0; continue; }
                    if (ch == '"' || ch == '\'') { q = ch; continue; }
                    if (ch == ' ' || ch == '\t') {
                        uint32_t off = kv->value.span.start + (uint32_t)c;
                        edit_push(ctx, &ev, mk_span(off, off), &df->escape, 1);
                    }
                }
            }
            /* a value with hundreds of blanks to escape is better fixed by hand */
            if (ev.n <= 256) edits_commit(d, &ev);
        }
    }
}

/* ---- redundant-target-platform (RedundantTargetPlatform) ---- */

void check_redundant_target_platform(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (!df->nstages) return;
    global_scope g;
    global_scope_build(ctx, true, &g);
    dw_lexer lx = file_lexer(df);
    dw_str tp;
    dw_env_get(&g.env, dw_str_c("TARGETPLATFORM"), &tp);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_instr *in = df->stages[s].from;
        if (!in || !usable(in)) continue;
        for (uint32_t f = 0; f < in->nflags; f++) {
            const dw_flag *fl = &in->flags[f];
            if (!dw_str_eqc(fl->name, "platform") || !has_byte(fl->value, '$')) continue;
            dw_names m = {0}, un = {0};
            dw_str out;
            const char *err = NULL;
            if (dw_lex_process_word(ctx->a, &lx, fl->value, &g.env, &out, &m, &un, &err) < 0) continue;
            /* exactly TARGETPLATFORM was substituted, and nothing else changed the result */
            if (m.n != 1 || un.n || !dw_str_eqc(m.v[0], "TARGETPLATFORM") || !dw_str_eq(out, tp)) continue;
            dw_diag *d = dw_report(ctx, in, fl->span,
                                   "--platform=%.*s is redundant: FROM already uses the target platform by default",
                                   (int)fl->value.len, fl->value.ptr);
            if (!d) continue;
            dw_diag_help(ctx, d, "remove the flag");
            uint32_t end = fl->span.end;
            while (end < df->len && (df->src[end] == ' ' || df->src[end] == '\t')) end++;
            dw_diag_edit(ctx, d, mk_span(fl->span.start, end), "", 0);
        }
    }
}

/* ---- from-platform-const (FromPlatformFlagConstDisallowed) ---- */

void check_from_platform_const(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    dw_lexer lx = file_lexer(df);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        const dw_instr *in = st->from;
        if (!in || !usable(in)) continue;
        for (uint32_t f = 0; f < in->nflags; f++) {
            const dw_flag *fl = &in->flags[f];
            if (!dw_str_eqc(fl->name, "platform")) continue;
            dw_names m = {0}, un = {0};
            dw_str out;
            const char *err = NULL;
            /* any substitution means it is not a constant */
            if (dw_lex_process_word(ctx->a, &lx, fl->value, NULL, &out, &m, &un, &err) < 0 || m.n || un.n) continue;
            dw_str os, arch;
            if (!parse_platform(ctx->a, out, &os, &arch)) continue;
            /* a stage named after its platform (build-amd64) is deliberate */
            if (contains(st->name_lower, os) || contains(st->name_lower, arch)) continue;
            dw_diag *d = dw_report(ctx, in, fl->span, "FROM --platform uses the constant value \"%.*s\"",
                                   (int)out.len, out.ptr);
            dw_diag_help(ctx, d,
                         "use $BUILDPLATFORM or $TARGETPLATFORM (or build with --platform), or name the stage "
                         "after the platform");
        }
    }
}

/* ---- expose-proto-casing / expose-invalid-format ---- */

/* Calls fn for every port spec of every dispatched EXPOSE, as BuildKit
 * splits them (expanded, white-space separated), with the span of the spec
 * in the file when it is written there as is. */
typedef void (*port_fn)(dw_lint *ctx, const dw_instr *in, dw_str spec, dw_span sp, bool exact);

static void each_port(dw_lint *ctx, port_fn fn)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_EXPOSE || !usable(in) || in->stage < 0 || !dispatched(ctx, in)) continue;
        for (uint32_t k = 0; k < in->nargs; k++) {
            const dw_word *w = &in->args[k];
            dw_str v = w->has_expanded ? w->expanded : w->text;
            bool as_written = dw_str_eq(span_text(df, w->span), w->text) && dw_str_eq(v, w->text);
            for (size_t p = 0; p < v.len;) {
                while (p < v.len && (v.ptr[p] == ' ' || v.ptr[p] == '\t' || v.ptr[p] == '\n')) p++;
                size_t st = p;
                while (p < v.len && v.ptr[p] != ' ' && v.ptr[p] != '\t' && v.ptr[p] != '\n') p++;
                if (p == st) break;
                dw_str spec = dw_str_make(v.ptr + st, p - st);
                dw_span sp = as_written ? mk_span(w->span.start + (uint32_t)st, w->span.start + (uint32_t)p) : w->span;
                fn(ctx, in, spec, sp, as_written);
            }
        }
    }
}

/* BuildKit's splitParts + splitProtoPort: false when the spec is rejected
 * before the checks run (no port, unknown protocol). */
static bool split_port(dw_str spec, bool *host_part, dw_str *proto, size_t *proto_off)
{
    const char *last_colon = NULL;
    for (size_t i = 0; i < spec.len; i++)
        if (spec.ptr[i] == ':') last_colon = spec.ptr + i;
    *host_part = last_colon != NULL;
    dw_str container = last_colon ? dw_str_make(last_colon + 1, spec.len - (size_t)(last_colon + 1 - spec.ptr)) : spec;
    const char *slash = dw_str_chr(container, '/');
    dw_str port = slash ? dw_str_make(container.ptr, (size_t)(slash - container.ptr)) : container;
    *proto = slash ? dw_str_make(slash + 1, container.len - port.len - 1) : dw_str_make("", 0);
    *proto_off = slash ? (size_t)(slash + 1 - spec.ptr) : spec.len;
    if (!port.len) return false;
    return !proto->len || dw_str_ieqc(*proto, "tcp") || dw_str_ieqc(*proto, "udp") || dw_str_ieqc(*proto, "sctp");
}

static void proto_casing(dw_lint *ctx, const dw_instr *in, dw_str spec, dw_span sp, bool exact)
{
    bool host;
    dw_str proto;
    size_t off;
    if (!split_port(spec, &host, &proto, &off) || is_lower_str(proto)) return;
    dw_str lower = dw_str_lower(ctx->a, proto);
    dw_diag *d = dw_report(ctx, in, sp, "protocol of '%.*s' in EXPOSE is not lower case", (int)spec.len, spec.ptr);
    dw_diag_help(ctx, d, "write '%.*s%.*s'", (int)off, spec.ptr, (int)lower.len, lower.ptr);
    if (exact) dw_diag_edit(ctx, d, mk_span(sp.start + (uint32_t)off, sp.end), lower.ptr, lower.len);
}

static void invalid_format(dw_lint *ctx, const dw_instr *in, dw_str spec, dw_span sp, bool exact)
{
    (void)exact;
    bool host;
    dw_str proto;
    size_t off;
    if (!split_port(spec, &host, &proto, &off) || !host) return;
    dw_diag *d = dw_report(ctx, in, sp, "EXPOSE '%.*s' sets a host IP address or host port", (int)spec.len, spec.ptr);
    dw_diag_help(ctx, d,
                 "EXPOSE only declares container ports; publish host ports at run time (docker run -p, "
                 "Compose ports:)");
}

void check_expose_proto_casing(dw_lint *ctx) { each_port(ctx, proto_casing); }
void check_expose_invalid_format(dw_lint *ctx) { each_port(ctx, invalid_format); }

/* ---- secrets-in-arg-or-env (SecretsUsedInArgOrEnv) ---- */

/* BuildKit's pattern: some `_`-separated segment of the name is one of
 * these words (any case), and no segment is public, file or version. */
static bool secret_name(dw_str name)
{
    static const char *const deny[] = {"apikey", "auth", "credential", "credentials", "key",
                                       "password", "pword", "passwd", "secret", "token"};
    static const char *const allow[] = {"public", "file", "version"};
    bool hit = false;
    dw_str prev = {0};
    for (size_t i = 0; i <= name.len;) {
        size_t st = i;
        while (i < name.len && name.ptr[i] != '_') i++;
        dw_str seg = dw_str_make(name.ptr + st, i - st);
        for (size_t k = 0; k < sizeof allow / sizeof *allow; k++)
            if (dw_str_ieqc(seg, allow[k])) return false;
        /* GPG_KEY / PGP_KEY hold the public key id used to verify a download
         * (every official python image has one): not a secret */
        bool gpg_key = dw_str_ieqc(seg, "key") && (dw_str_ieqc(prev, "gpg") || dw_str_ieqc(prev, "pgp"));
        for (size_t k = 0; k < sizeof deny / sizeof *deny && !hit && !gpg_key; k++) hit = dw_str_ieqc(seg, deny[k]);
        prev = seg;
        i++;
    }
    return hit;
}

static bool has_prefix_run(dw_str v, size_t at, const char *prefix, size_t min_tail)
{
    size_t n = strlen(prefix);
    if (at + n > v.len || memcmp(v.ptr + at, prefix, n) != 0) return false;
    size_t k = at + n;
    while (k < v.len && (is_name_char(v.ptr[k]) || v.ptr[k] == '-')) k++;
    return k - at - n >= min_tail;
}

/* A value that is itself a credential of a well-known shape. */
static const char *secret_value(dw_str v)
{
    for (size_t i = 0; i < v.len; i++) {
        /* only these bytes start a pattern: skip the rest cheaply */
        char c = v.ptr[i];
        if (c != '-' && c != 'A' && c != 's' && c != 'r' && c != 'g' && c != 'x') continue;
        if (has_prefix_run(v, i, "-----BEGIN", 0) && contains(dw_str_sub(v, i, v.len), dw_str_c("PRIVATE KEY")))
            return "a private key";
        if (i + 20 <= v.len && (memcmp(v.ptr + i, "AKIA", 4) == 0 || memcmp(v.ptr + i, "ASIA", 4) == 0)) {
            bool ok = true;
            for (size_t k = i + 4; k < i + 20 && ok; k++)
                ok = (v.ptr[k] >= 'A' && v.ptr[k] <= 'Z') || (v.ptr[k] >= '0' && v.ptr[k] <= '9');
            if (ok) return "an AWS access key id";
        }
        if (has_prefix_run(v, i, "sk_live_", 16) || has_prefix_run(v, i, "rk_live_", 16)) return "a Stripe live key";
        if (has_prefix_run(v, i, "ghp_", 36) || has_prefix_run(v, i, "gho_", 36) || has_prefix_run(v, i, "ghs_", 36) ||
            has_prefix_run(v, i, "github_pat_", 40))
            return "a GitHub token";
        if (has_prefix_run(v, i, "glpat-", 20)) return "a GitLab token";
        if (has_prefix_run(v, i, "xoxb-", 20) || has_prefix_run(v, i, "xoxp-", 20)) return "a Slack token";
    }
    return NULL;
}

static void secrets_in(dw_lint *ctx, const dw_instr *report_in, const dw_instr *x)
{
    const char *what = x->kind == DW_I_ENV ? "ENV" : "ARG";
    for (uint32_t k = 0; k < x->nkvs; k++) {
        const dw_kv *kv = &x->kvs[k];
        /* ENV keys are expanded first; ARG names never are */
        dw_str key = x->kind == DW_I_ENV && kv->key.has_expanded ? kv->key.expanded : kv->key.text;
        if (secret_name(key)) {
            dw_diag *d = dw_report(ctx, report_in, kv->key.span,
                                   "%s \"%.*s\" looks like it holds sensitive data", what, (int)key.len, key.ptr);
            dw_diag_help(ctx, d,
                         "%s values stay in the image metadata and build history: pass secrets with "
                         "RUN --mount=type=secret instead",
                         what);
            continue;
        }
        if (x->kind != DW_I_ENV || !kv->has_eq) continue;
        dw_str v = kv->value.has_expanded ? kv->value.expanded : kv->value.text;
        const char *kind = secret_value(v);
        if (!kind) continue;
        dw_diag *d = dw_report(ctx, report_in, kv->value.span, "ENV \"%.*s\" is set to what looks like %s",
                               (int)key.len, key.ptr, kind);
        dw_diag_help(ctx, d, "remove the credential from the Dockerfile, revoke it, and pass it with "
                             "RUN --mount=type=secret");
    }
}

void check_secrets_in_arg_or_env(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (!usable(in) || !dispatched(ctx, in)) continue;
        /* BuildKit checks ENV and in-stage ARGs; hadolint also global ARGs
         * and ONBUILD ARG/ENV, which end up in the build history too */
        if (in->kind == DW_I_ENV || in->kind == DW_I_ARG) secrets_in(ctx, in, in);
        else if (in->kind == DW_I_ONBUILD && in->sub && !in->sub->error &&
                 (in->sub->kind == DW_I_ENV || in->sub->kind == DW_I_ARG))
            secrets_in(ctx, in, in->sub);
    }
}

/* ---- invalid-definition-description (InvalidDefinitionDescription, experimental) ---- */

void check_invalid_definition_description(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (!in->ncomments || !usable(in)) continue;
        /* the first space-separated word of the last comment line above */
        dw_str c = in->comments[in->ncomments - 1].text;
        const char *sp = dw_str_chr(c, ' ');
        dw_str first = sp ? dw_str_make(c.ptr, (size_t)(sp - c.ptr)) : c;
        if (in->kind == DW_I_FROM) {
            const dw_stage *st = dw_lint_stage(ctx, in);
            if (!st || !st->name_lower.len || dw_str_eq(first, st->name_lower)) continue;
            dw_diag *d = dw_report(ctx, in, st->name_span,
                                   "the comment above this stage should start with its name: `# %.*s <description>`",
                                   (int)st->name_lower.len, st->name_lower.ptr);
            dw_diag_related(ctx, d, in->comments[in->ncomments - 1].span, "this comment");
            dw_diag_help(ctx, d, "start the comment with the stage name, or separate it from FROM with an empty `#` line");
        } else if (in->kind == DW_I_ARG && in->nkvs) {
            bool ok = false;
            for (uint32_t k = 0; k < in->nkvs && !ok; k++) ok = dw_str_eq(first, in->kvs[k].key.text);
            if (ok) continue;
            dw_str key = in->nkvs == 1 ? in->kvs[0].key.text : dw_str_c("<arg_key>");
            dw_diag *d = dw_report(ctx, in, in->kvs[0].key.span,
                                   "the comment above this ARG should start with %s: `# %.*s <description>`",
                                   in->nkvs == 1 ? "its name" : "one of its names", (int)key.len, key.ptr);
            dw_diag_related(ctx, d, in->comments[in->ncomments - 1].span, "this comment");
            dw_diag_help(ctx, d, "start the comment with the ARG name, or separate it from ARG with an empty `#` line");
        }
    }
}
