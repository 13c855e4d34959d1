/* df_context.c — rules that read the build context next to the
 * Dockerfile: copy-ignored-file (BuildKit's CopyIgnoredFile). The context
 * is the Dockerfile's folder unless the caller says otherwise
 * (dw_lint_opts.context_dir). */
#include "rule.h"

#include <stdlib.h>

#include "../ignore/dockerignore.h"

/* A source BuildKit does not read from the context: a URL, a Git
 * repository, or a heredoc. */
static bool remote_or_inline(dw_str s)
{
    return dw_str_has_prefix(s, "http://") || dw_str_has_prefix(s, "https://") ||
           dw_str_has_prefix(s, "git@") || dw_str_has_prefix(s, "git://") || dw_str_has_prefix(s, "<<") ||
           (s.len > 4 && memcmp(s.ptr + s.len - 4, ".git", 4) == 0 && dw_str_chr(s, ':'));
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

static char *dirname_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

void check_copy_ignored_file(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    const char *path = df->path;
    bool from_stdin = !path || !strcmp(path, "-");
    char *context = ctx->opts && ctx->opts->context_dir ? strdup(ctx->opts->context_dir)
                    : from_stdin ? strdup(".") : dirname_of(path);
    bool beside = false;
    char *ignore = dw_dockerignore_locate(from_stdin ? NULL : path, context, &beside);
    dw_dockerignore *di = ignore ? dw_dockerignore_load(ignore) : NULL;
    /* BuildKit's check only runs when the ignore file has no exception
     * line: with `!` patterns, what is excluded depends on the walk */
    if (!di || di->exceptions) goto done;
    bool everything = excludes_everything(di);
    char *clean = NULL;
    size_t cap = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_COPY && in->kind != DW_I_ADD) continue;
        if (in->nheredocs && in->nargs < 2) continue;
        bool from = false;
        for (uint32_t f = 0; f < in->nflags; f++) from |= dw_str_eqc(in->flags[f].name, "from");
        if (from || in->nargs < 2) continue;
        for (uint32_t k = 0; k + 1 < in->nargs; k++) {
            const dw_word *w = &in->args[k];
            dw_str src = w->has_expanded ? w->expanded : w->text;
            if (!src.len || remote_or_inline(src)) continue;
            if (src.len + 2 > cap) {
                cap = src.len + 2;
                clean = realloc(clean, cap);
            }
            size_t n = dw_go_clean(src.ptr, src.len, clean);
            /* the context is relative to its root: drop a leading slash */
            const char *rel = clean;
            while (n && rel[0] == '/') { rel++; n--; }
            bool whole = n == 0 || (n == 1 && rel[0] == '.');
            uint32_t decider = UINT32_MAX;
            bool hit = whole ? everything : dw_dockerignore_matches(di, rel, n, &decider) == DW_DI_MATCH;
            if (!hit) continue;
            const char *verb = in->kind == DW_I_ADD ? "ADD" : "COPY";
            dw_diag *d;
            if (decider != UINT32_MAX) {
                const dw_di_pattern *p = &di->patterns[decider];
                d = dw_report(ctx, in, w->span, "%s source '%.*s' is excluded by %s (pattern '%.*s' on line %u)", verb,
                              (int)src.len, src.ptr, ignore, (int)p->text.len, p->text.ptr, p->line);
            } else {
                d = dw_report(ctx, in, w->span, "%s source '%.*s' is excluded by %s", verb, (int)src.len, src.ptr,
                              ignore);
            }
            dw_diag_help(ctx, d, "the build does not send excluded files: remove the pattern, add a `!` exception, or "
                                 "stop copying it");
        }
    }
    free(clean);
done:
    dw_dockerignore_free(di);
    free(ignore);
    free(context);
}
