/* lint_files.c — the lint engine for the files that are not Dockerfiles: a
 * .dockerignore (family "dockerignore") and a Compose project (family
 * "compose"). The same rule table, the same configured severities; a
 * Compose finding lands in the file its node was written in, and the
 * loader's own findings (yaml-syntax, compose-schema, ...) go through the
 * same configuration and comments as the rules'. */
#include "rule.h"

#include <stdarg.h>
#include <stdlib.h>

#include "../compose/compose.h"
#include "../ignore/dockerignore.h"
#include "compose_pragmas.h"
#include "compose_util.h"

static dw_severity configured(const dw_config *cfg, const dw_rule *r)
{
    if (cfg) return cfg->severity[r->index];
    return r->default_off ? DW_SEV_OFF : r->severity;
}

static dw_diag *emit(dw_lint *ctx, dw_diags *to, dw_span span, const char *fmt, va_list ap)
{
    const dw_rule *r = ctx->rule;
    dw_severity sev = configured(ctx->cfg, r);
    if (sev == DW_SEV_OFF) return NULL;
    char *msg = dw_arena_vprintf(ctx->a, fmt, ap);
    dw_diag *d = dw_diag_emit(ctx->a, to, r->slug, sev, span, "%s", msg);
    d->meta = r;
    d->fix_safe = r->fix && strcmp(r->fix, "safe") == 0;
    return d;
}

/* ---- .dockerignore ---- */

dw_diag *dw_ireport(dw_lint *ctx, dw_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    dw_diag *d = emit(ctx, ctx->out, span, fmt, ap);
    va_end(ap);
    return d;
}

/* Runs every enabled rule of `family` with the context `ctx` set up. */
static void run_family(dw_lint *ctx, const char *family)
{
    uint32_t nrules;
    const dw_rule *rules = dw_rules(&nrules);
    for (uint32_t i = 0; i < nrules; i++) {
        const dw_rule *r = &rules[i];
        bool ours = strcmp(r->family, family) == 0 || (r->also_compose && !strcmp(family, "compose"));
        if (!r->check || !ours) continue;
        if (configured(ctx->cfg, r) == DW_SEV_OFF) continue;
        ctx->rule = r;
        r->check(ctx);
    }
}

void dw_lint_dockerignore(dw_dockerignore *di, const char *context_dir, const dw_config *cfg, dw_diags *out)
{
    dw_lint ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.a = &di->arena;
    ctx.cfg = cfg;
    ctx.ignore = di;
    ctx.ignore_context = context_dir;
    ctx.out = out;
    ctx.final_stage = -1;
    run_family(&ctx, "dockerignore");
    dw_diags_sort(out);
}

/* ---- Compose ---- */

dw_compose_file *dw_lint_cfile(dw_lint *ctx, const dw_cv *at)
{
    dw_compose_project *p = ctx->compose;
    uint32_t f = at ? at->file : 0;
    return f < p->nfiles ? &p->files[f] : &p->files[0];
}

dw_diag *dw_creport(dw_lint *ctx, const dw_cv *at, const dw_span *key, const char *fmt, ...)
{
    dw_compose_file *f = dw_lint_cfile(ctx, at);
    dw_span span = key ? *key : at ? at->span : (dw_span){0, 0};
    va_list ap;
    va_start(ap, fmt);
    dw_diag *d = emit(ctx, &f->diags, span, fmt, ap);
    va_end(ap);
    return d;
}

/* Applies the configuration, and the comments of Compose file `f` (NULL
 * for a .env, which has none that silence), to every finding in `ds`, the
 * loader's included, and sorts them. */
static void settle(const dw_config *cfg, dw_diags *ds, dw_compose_file *f)
{
    /* disable-ignore-pragma: no comment silences anything (compose_pragmas.h) */
    dw_compose_pragmas *pg = !f || (cfg && cfg->disable_ignore_pragma) ? NULL : dw_compose_pragmas_read(f);
    uint32_t w = 0;
    for (uint32_t i = 0; i < ds->n; i++) {
        dw_diag *d = &ds->v[i];
        /* a rule's finding already has its configured severity (or the one
         * its check chose, as port-host-interface does for database ports);
         * the loader's findings get theirs here */
        bool from_rule = d->meta != NULL;
        const dw_rule *r = d->meta ? d->meta : dw_rule_by_slug(d->rule);
        if (r) {
            d->meta = r;
            dw_severity s = configured(cfg, r);
            if (s == DW_SEV_OFF) continue;
            if (!from_rule) d->severity = s;
            if (dw_compose_pragmas_suppress(pg, f, r, d->span.start)) continue;
        }
        ds->v[w++] = *d;
    }
    ds->n = w;
    dw_compose_pragmas_free(pg);
    dw_diags_sort(ds);
}

void dw_lint_compose(dw_compose_project *p, const dw_config *cfg)
{
    dw_lint ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.a = &p->arena;
    ctx.cfg = cfg;
    ctx.compose = p;
    ctx.final_stage = -1;
    if (p->model) {
        run_family(&ctx, "compose");
        compose_util_release(&ctx);
    }
    for (uint32_t i = 0; i < p->nfiles; i++) settle(cfg, &p->files[i].diags, &p->files[i]);
    /* the .env files' own findings (env-file-syntax) */
    for (uint32_t i = 0; i < p->nenv_files; i++) settle(cfg, &p->env_files[i].diags, NULL);
}
