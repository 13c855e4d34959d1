/* compose_health_tools.c — healthcheck-tool-missing, Compose side: a
 * service's `healthcheck.test` calls curl or wget, but the image the
 * service builds from its Dockerfile does not have it (Debian -slim and
 * distroless have neither, alpine has wget only, unless the build installs
 * it). The image facts are image_facts.c's, the same the Dockerfile side
 * uses; an image we know nothing about gives no finding, and `curl … ||
 * wget …` is fine when either exists. Services that only name an `image:`
 * are not judged: we cannot see inside it. */
#include "compose_util.h"
#include "image_facts.h"

typedef struct {
    const char *tool;     /* "curl" or "wget" */
    dw_span span;
} probe;

static const char *probe_tool(dw_str word)
{
    size_t b = word.len;
    while (b > 0 && word.ptr[b - 1] != '/') b--;
    dw_str base = dw_str_make(word.ptr + b, word.len - b);
    if (dw_str_eqc(base, "curl")) return "curl";
    if (dw_str_eqc(base, "wget")) return "wget";
    return NULL;
}

/* The programs a CMD-SHELL script starts: words at the start of the script
 * or after an operator (; & | ( ) ` newline). A light reading, enough for
 * health checks (`curl -f http://x || exit 1`). */
static uint32_t shell_probes(dw_lint *ctx, const dw_cv *v, probe *out, uint32_t max)
{
    dw_str s = v->s;
    uint32_t n = 0;
    bool start = true;
    size_t i = 0;
    while (i < s.len && n < max) {
        char c = s.ptr[i];
        if (c == ' ' || c == '\t') { i++; continue; }
        if (strchr(";&|()`\n", c)) { start = true; i++; continue; }
        size_t b = i;
        while (i < s.len && !strchr(" \t;&|()`\n", s.ptr[i])) i++;
        dw_str word = dw_str_make(s.ptr + b, i - b);
        /* `VAR=x curl …`: assignments before the program */
        if (start && dw_str_chr(word, '=') && word.ptr[0] != '=') continue;
        const char *t = start ? probe_tool(word) : NULL;
        if (t) out[n++] = (probe){t, compose_subspan(ctx, v, b, i - b)};
        start = false;
    }
    return n;
}

static uint32_t probes_of(dw_lint *ctx, const dw_cv *test, probe *out, uint32_t max)
{
    if (!test) return 0;
    if (test->kind == DW_CV_STR) return shell_probes(ctx, test, out, max);
    if (test->kind != DW_CV_SEQ || test->n < 2 || !test->items[0]) return 0;
    dw_str kind = dw_cv_text(test->items[0]);
    const dw_cv *first = test->items[1];
    if (!first || first->kind != DW_CV_STR) return 0;
    if (dw_str_eqc(kind, "CMD-SHELL")) return shell_probes(ctx, first, out, max);
    if (!dw_str_eqc(kind, "CMD")) return 0;
    const char *t = probe_tool(first->s);
    if (!t) return 0;
    out[0] = (probe){t, first->span};
    return 1;
}

void compose_healthcheck_tool_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *hc = dw_cv_get(s->value, "healthcheck");
        if (!hc || dw_cv_truthy(dw_cv_get(hc, "disable"))) continue;
        probe p[8];
        uint32_t np = probes_of(ctx, dw_cv_get(hc, "test"), p, 8);
        if (!np) continue;
        const dw_dockerfile *df;
        int stage = compose_built_stage(ctx, s->value, &df);
        if (stage < 0) continue;
        bool lacks[2] = {false, false}, used[2] = {false, false};
        bool fine = false;
        for (uint32_t k = 0; k < np; k++) used[!strcmp(p[k].tool, "wget")] = true;
        for (int t = 0; t < 2 && !fine; t++) {
            if (!used[t]) continue;
            bool known = true;
            bool has = dw_final_image_has_tool(df, stage, t ? "wget" : "curl", &known);
            if (has || !known) fine = true; /* one probe the image has (or may have) is enough */
            else lacks[t] = true;
        }
        if (fine) continue;
        const dw_stage *st = &df->stages[stage];
        for (uint32_t k = 0; k < np; k++) {
            int t = !strcmp(p[k].tool, "wget");
            if (!lacks[t]) continue;
            lacks[t] = false; /* once per tool */
            const dw_cv *at = dw_cv_get(hc, "test");
            char *stage_note = st->name.len ? dw_arena_printf(ctx->a, ", stage `%.*s`", (int)st->name.len, st->name.ptr)
                                            : "";
            dw_diag *d = dw_creport(ctx, at, &p[k].span,
                                    "the health check of service `%.*s` runs `%s`, which the image it builds does not "
                                    "have (FROM `%.*s`%s): the check always fails",
                                    (int)s->key.len, s->key.ptr, p[k].tool, (int)st->base.len, st->base.ptr,
                                    stage_note);
            if (d)
                dw_diag_help(ctx, d,
                             "install %s in that stage, or probe with a tool the image has (a small static health "
                             "binary, or the app's own health command)",
                             p[k].tool);
        }
    }
}
