/* ignore_rules.c — rules about an ignore file itself (family
 * "dockerignore", run by dw_lint_dockerignore): dockerignore-invalid-pattern
 * (a pattern the builder rejects, so every build with this file fails) and
 * dockerignore-incomplete (folders that should never be sent are). */
#include "rule.h"

#include <stdlib.h>

#include "context_index.h"

void check_dockerignore_invalid_pattern(dw_lint *ctx)
{
    uint32_t n;
    const dw_di_error *errs = dw_dockerignore_invalid(ctx->ignore, &n);
    for (uint32_t i = 0; i < n; i++) {
        const dw_di_error *e = &errs[i];
        dw_diag *d;
        if (e->pattern == UINT32_MAX) {
            d = dw_ireport(ctx, e->span, "the builder cannot read this file: %s (%s)", e->message, e->detail);
        } else {
            /* as written on the line, not as the builder cleaned it */
            const char *t = ctx->ignore->src + e->span.start;
            d = dw_ireport(ctx, e->span, "invalid pattern '%.*s': %s (%s)", (int)(e->span.end - e->span.start), t,
                           e->message, e->detail);
        }
        if (!d) continue;
        if (e->pattern == UINT32_MAX)
            dw_diag_help(ctx, d, "the build fails before anything is sent: split or shorten the line");
        else if (!strncmp(e->message, "illegal exclusion", 17))
            dw_diag_help(ctx, d, "the build fails before anything is sent: write the path to re-include after "
                                 "the `!`, or remove the line");
        else if (e->at_match)
            dw_diag_help(ctx, d, "the build fails as soon as the builder matches a path with it: write the range "
                                 "in order, or list the characters one by one");
        else
            dw_diag_help(ctx, d, "the build fails before anything is sent: escape a literal `[`, `]` or `-` with a "
                                 "backslash, or remove the line");
    }
}

/* The pattern to suggest: the folder itself at the root, `**` + "/name"
 * when one is deeper. */
static void suggest(dw_buf *b, const dw_wk_folder *f)
{
    const char *name = strrchr(f->path, '/');
    dw_buf_printf(b, "%s%s%s", b->n ? ", " : "", name ? "**/" : "", name ? name + 1 : f->path);
}

void check_dockerignore_incomplete(dw_lint *ctx)
{
    if (!ctx->ignore || ctx->ignore->unreadable) return;
    dw_context_index *ci = dw_context_index_with(ctx->ignore_context, ctx->ignore);
    /* a folder a Dockerfile of the context copies from is needed after all */
    dw_context_index_want_dockerfiles(ci);
    dw_context_index_scan(ci, 0);
    dw_buf found = {0}, pats = {0};
    for (uint32_t k = 0; k < ci->nwk; k++) {
        const dw_wk_folder *f = &ci->wk[k];
        if (!f->fact || !f->sent) continue;
        char size[24];
        dw_format_size(f->bytes, size);
        dw_buf_printf(&found, "%s%s", found.n ? ", " : "", f->path);
        if (f->bytes && f->sent > 1) dw_buf_printf(&found, " (%s, %u folders)", size, f->sent);
        else if (f->bytes) dw_buf_printf(&found, " (%s)", size);
        else if (f->sent > 1) dw_buf_printf(&found, " (%u folders)", f->sent);
        suggest(&pats, f);
    }
    if (found.n) {
        /* line 1: the finding is about the file as a whole */
        const char *src = ctx->ignore->src;
        uint32_t len = ctx->ignore->len, end = 0;
        while (src && end < len && src[end] != '\n' && src[end] != '\r') end++;
        dw_diag *d = dw_ireport(ctx, (dw_span){0, end}, "folders no build needs are still sent from the context '%s': %.*s",
                                ci->dir, (int)found.n, found.p);
        if (d) dw_diag_help(ctx, d, "add %.*s to this file: the build does not need them and they slow every "
                                    "build down", (int)pats.n, pats.p);
    }
    dw_buf_free(&found);
    dw_buf_free(&pats);
    dw_context_index_free(ci);
}
