/* diag.c — diagnostics: creation and severity names. Messages are formatted
 * into the file's arena. */
#include "diag.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const sev_names[] = {"off", "style", "info", "warning", "error"};

const char *dw_severity_name(dw_severity s)
{
    return (unsigned)s < sizeof sev_names / sizeof *sev_names ? sev_names[s] : "error";
}

int dw_severity_parse(const char *name, dw_severity *out)
{
    for (unsigned i = 0; i < sizeof sev_names / sizeof *sev_names; i++)
        if (strcmp(name, sev_names[i]) == 0) { *out = (dw_severity)i; return 0; }
    if (strcmp(name, "none") == 0) { *out = DW_SEV_OFF; return 0; }
    return -1;
}

dw_diag *dw_diag_emit(dw_arena *a, dw_diags *d, const char *rule, dw_severity sev,
                      dw_span span, const char *fmt, ...)
{
    dw_diag diag;
    memset(&diag, 0, sizeof diag);
    diag.rule = rule;
    diag.severity = sev;
    diag.span = span;
    va_list ap;
    va_start(ap, fmt);
    diag.message = dw_arena_vprintf(a, fmt, ap);
    va_end(ap);
    DW_VEC_PUSH(a, *d, diag);
    return &d->v[d->n - 1];
}

bool dw_diags_has(const dw_diags *d, const char *rule)
{
    for (uint32_t i = 0; i < d->n; i++)
        if (strcmp(d->v[i].rule, rule) == 0) return true;
    return false;
}

static int cmp_diag(const void *a, const void *b)
{
    const dw_diag *x = a, *y = b;
    if (x->span.start != y->span.start) return x->span.start < y->span.start ? -1 : 1;
    int r = strcmp(x->rule, y->rule);
    if (r) return r;
    return strcmp(x->message, y->message);
}

/* Orders diagnostics by position, then rule, then message, so output is the
 * same whatever order the passes ran in. */
void dw_diags_sort(dw_diags *d)
{
    if (d->n > 1) qsort(d->v, d->n, sizeof *d->v, cmp_diag);
}
