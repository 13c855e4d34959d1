/* df_context.c — what a Dockerfile takes from its build context (the COPY
 * and ADD sources that read it, with what the linter knows of their
 * variables), and copy-ignored-file (BuildKit's CopyIgnoredFile). The
 * context is the Dockerfile's folder unless the caller says otherwise
 * (dw_lint_opts.context_dir); see context_index.h. */
#include "rule.h"

#include "../ignore/copy_sources.h"
#include "context_index.h"
#include "hl_util.h"

/* Variables lookups walk back through the stages: a hostile file with
 * thousands of COPY $X lines must stay linear, so the walk has a budget per
 * lint; past it, variables count as unknown (the source is skipped). */
#define VAR_STEPS 200000u

/* BuildKit fills these in from the platform: their value here is a guess. */
static bool platform_arg(dw_str n)
{
    static const char *const names[] = {"TARGETPLATFORM", "TARGETOS",  "TARGETARCH", "TARGETVARIANT",
                                        "BUILDPLATFORM",  "BUILDOS",   "BUILDARCH",  "BUILDVARIANT"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (dw_str_eqc(n, names[i])) return true;
    return false;
}

static dw_str key_of(const dw_kv *kv) { return kv->key.has_expanded ? kv->key.expanded : kv->key.text; }

/* An ARG without a default has a value when given as a build arg, or when
 * a global ARG of that name has one. */
static bool arg_has_value(dw_lint *ctx, const dw_kv *kv)
{
    if (kv->has_eq) return true;
    dw_str name = key_of(kv);
    if (dw_lint_build_arg(ctx, dw_str_cstr(ctx->a, name))) return true;
    for (uint32_t g = 0; g < ctx->df->nglobal_args; g++) {
        const dw_kv *gk = &ctx->df->global_args[g];
        if (dw_str_eq(key_of(gk), name)) return gk->has_eq || dw_lint_build_arg(ctx, dw_str_cstr(ctx->a, name));
    }
    return false;
}

/* Is `name` set where `in` runs, by an ENV or an ARG with a value that the
 * linter knows? The base image's own ENV is unknown. */
static bool var_known(dw_lint *ctx, const dw_instr *in, dw_str name, uint32_t *steps)
{
    if (platform_arg(name)) return false;
    const dw_dockerfile *df = ctx->df;
    const dw_stage *st = dw_lint_stage(ctx, in);
    uint32_t end = (uint32_t)(in - df->instrs);
    for (uint32_t hops = 0; st && hops <= df->nstages; hops++) {
        for (uint32_t j = end; j-- > st->first;) {
            if (++*steps > VAR_STEPS) return false;
            const dw_instr *x = &df->instrs[j];
            if (x->kind != DW_I_ENV && x->kind != DW_I_ARG) continue;
            for (uint32_t k = x->nkvs; k-- > 0;) {
                if (!dw_str_eq(key_of(&x->kvs[k]), name)) continue;
                return x->kind == DW_I_ENV || arg_has_value(ctx, &x->kvs[k]);
            }
        }
        if (st->base_kind != DW_BASE_STAGE || st->base_stage < 0 || (uint32_t)st->base_stage >= st->index) return false;
        st = &df->stages[st->base_stage];
        end = st->first + st->count;
    }
    return false;
}

static bool has_unknown_var(dw_lint *ctx, const dw_instr *in, dw_str text, uint32_t *steps)
{
    size_t pos = 0, start, end;
    bool in_dq = false;
    dw_str name;
    while (hl_next_var(text, ctx->df->escape, &pos, &in_dq, &name, &start, &end))
        if (!var_known(ctx, in, name, steps)) return true;
    return false;
}

static bool is_root(dw_str v)
{
    char *tmp = dw_xmalloc(2 * v.len + 4);
    tmp[0] = '/';
    memcpy(tmp + 1, v.ptr, v.len);
    char *out = tmp + v.len + 1;
    size_t n = dw_go_clean(tmp, v.len + 1, out);
    bool root = n == 1 && out[0] == '/';
    free(tmp);
    return root;
}

bool dw_ctx_source_next(dw_lint *ctx, dw_ctx_source_iter *it, dw_ctx_source *out)
{
    dw_ctx_read r;
    if (!dw_ctx_read_next(ctx->df, &it->r, &r)) return false;
    out->in = r.in;
    out->w = r.w;
    out->value = r.value;
    if (r.windows && dw_str_chr(r.value, '\\')) {
        char *p = dw_arena_alloc(ctx->a, r.value.len + 1);
        memcpy(p, r.value.ptr, r.value.len);
        dw_copy_source_slashes(p, r.value.len);
        out->value = dw_str_make(p, r.value.len);
    }
    out->parents = r.parents;
    out->unresolved = dw_str_chr(r.w->text, '$') && has_unknown_var(ctx, r.in, r.w->text, &it->steps);
    out->whole = !out->parents && is_root(r.value);
    return true;
}

bool dw_ctx_whole_copy(dw_lint *ctx, dw_ctx_source *out)
{
    dw_ctx_source_iter it = {{0, 0, false}, 0};
    while (dw_ctx_source_next(ctx, &it, out))
        if (out->whole && !out->unresolved && dw_lint_stage_reached(ctx, out->in->stage)) return true;
    return false;
}

/* `.` and `/` (the whole context) count only when a plain pattern excludes
 * everything (`*`, `**`, or `**` followed by slash-star), as BuildKit decides. */
static bool excludes_everything(const dw_dockerignore *di)
{
    for (uint32_t i = 0; i < di->npatterns; i++) {
        const dw_di_pattern *p = &di->patterns[i];
        if (p->exception) continue;
        if (dw_str_eqc(p->pattern, "*") || dw_str_eqc(p->pattern, "**") || dw_str_eqc(p->pattern, "**/*")) return true;
    }
    return false;
}

bool dw_copy_source_ignored(const dw_dockerignore *di, dw_str src, uint32_t *decider)
{
    *decider = UINT32_MAX;
    if (!di) return false;
    char *clean = dw_xmalloc(src.len + 2);
    size_t n = dw_go_clean(src.ptr, src.len, clean);
    /* the context is relative to its root: drop a leading slash */
    const char *rel = clean;
    while (n && rel[0] == '/') { rel++; n--; }
    bool whole = n == 0 || (n == 1 && rel[0] == '.');
    bool hit = whole ? excludes_everything(di) : dw_dockerignore_matches(di, rel, n, decider) == DW_DI_MATCH;
    free(clean);
    return hit;
}

/* ---- copy-ignored-file (CopyIgnoredFile) ---- */

void check_copy_ignored_file(dw_lint *ctx)
{
    const dw_context_index *ci = dw_lint_context_index(ctx);
    /* BuildKit's check only runs when the ignore file has no exception
     * line: with `!` patterns, what is excluded depends on the walk */
    const dw_dockerignore *di = ci->ignore;
    if (!ci->known || !di || di->exceptions) return;
    dw_ctx_source_iter it = {{0, 0, false}, 0};
    dw_ctx_source s;
    while (dw_ctx_source_next(ctx, &it, &s)) {
        uint32_t decider;
        if (!dw_copy_source_ignored(di, s.value, &decider)) continue;
        const char *verb = s.in->kind == DW_I_ADD ? "ADD" : "COPY";
        dw_diag *d;
        if (decider != UINT32_MAX) {
            const dw_di_pattern *p = &di->patterns[decider];
            d = dw_report(ctx, s.in, s.w->span, "%s source '%.*s' is excluded by %s (pattern '%.*s' on line %u)", verb,
                          (int)s.value.len, s.value.ptr, dw_context_index_ignore_name(ci), (int)p->text.len, p->text.ptr,
                          p->line);
            /* the exception names the path as the context has it: ./x and /x are x */
            char *rel = dw_arena_alloc(ctx->a, s.value.len + 2);
            size_t n = dw_go_clean(s.value.ptr, s.value.len, rel);
            while (n > 1 && rel[0] == '/') { rel++; n--; }
            dw_diag_help(ctx, d, "the build does not send excluded files and stops with \"not found\": add `!%.*s` "
                                 "after line %u of %s, narrow the pattern, or stop copying it",
                         (int)n, rel, p->line, dw_context_index_ignore_name(ci));
        } else {
            d = dw_report(ctx, s.in, s.w->span, "%s source '%.*s' is excluded by %s", verb, (int)s.value.len,
                          s.value.ptr, dw_context_index_ignore_name(ci));
            dw_diag_help(ctx, d, "the build does not send excluded files: remove the pattern, add a `!` exception, or "
                                 "stop copying it");
        }
    }
}
