/* fuzz_lint.c — libFuzzer harness for the Dockerfile rules: any bytes are
 * parsed and linted by every rule (those off by default and the
 * experimental ones too) against an empty build context. Any crash, leak or
 * undefined behaviour fails, and so does a finding, or an edit of its fix,
 * whose span lies outside the file. ShellCheck, an external program, is not
 * run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dockwright.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static dw_config *cfg;
static char context[64];

static void setup(void)
{
    if (cfg) return;
    strcpy(context, "/tmp/dw-fuzz-lint-XXXXXX");
    if (!mkdtemp(context)) abort();
    cfg = dw_config_new();
    cfg->shellcheck = false;
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(r[i].slug, "shellcheck")) continue; /* it runs a program */
        cfg->severity[i] = r[i].severity;
        cfg->enabled_explicitly[i] = true;
    }
}

static void check_span(dw_span s, uint32_t len)
{
    if (s.start > s.end || s.end > len) abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    setup();
    dw_dockerfile *df = dw_dockerfile_parse("Dockerfile", (const char *)data, size, NULL);
    if (!df) return 0;
    dw_lint_opts o = {cfg, NULL, NULL, 0, context};
    dw_lint_dockerfile(df, &o);
    for (uint32_t i = 0; i < df->diags.n; i++) {
        const dw_diag *d = &df->diags.v[i];
        check_span(d->span, df->len);
        for (uint32_t k = 0; k < d->nrelated; k++) check_span(d->related[k].span, df->len);
        for (uint32_t k = 0; k < d->nedits; k++) check_span(d->edits[k].span, df->len);
    }
    dw_dockerfile_free(df);
    return 0;
}
