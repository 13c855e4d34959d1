/* output.c — format names and dispatch to the writers. */
#include "output.h"

static const struct { const char *name; dw_format fmt; void (*write)(FILE *, const dw_results *); } formats[] = {
    {"tty", DW_FMT_TTY, dw_out_tty},
    {"gnu", DW_FMT_GNU, dw_out_gnu},
    {"json", DW_FMT_JSON, dw_out_json},
    {"sarif", DW_FMT_SARIF, dw_out_sarif},
    {"checkstyle", DW_FMT_CHECKSTYLE, dw_out_checkstyle},
    {"codeclimate", DW_FMT_CODECLIMATE, dw_out_codeclimate},
    {"github", DW_FMT_GITHUB, dw_out_github},
    {"junit", DW_FMT_JUNIT, dw_out_junit},
    {"sonarqube", DW_FMT_SONARQUBE, dw_out_sonarqube},
    {"hadolint", DW_FMT_HADOLINT, dw_out_hadolint},
};

int dw_format_parse(const char *name, dw_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(name, formats[i].name) == 0) { *out = formats[i].fmt; return 0; }
    if (strcmp(name, "gitlab") == 0 || strcmp(name, "gitlab_codeclimate") == 0) { *out = DW_FMT_CODECLIMATE; return 0; }
    return -1;
}

const char *dw_format_names(void)
{
    return "tty, gnu, json, sarif, checkstyle, codeclimate, github, junit, sonarqube, hadolint";
}

void dw_output(FILE *out, dw_format fmt, const dw_results *r)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (formats[i].fmt == fmt) { formats[i].write(out, r); return; }
}

uint32_t dw_out_aliases(const dw_diag *d, dw_str *out, uint32_t max)
{
    if (!d->meta || !d->meta->aliases[0]) return 0;
    uint32_t n = 0;
    const char *p = d->meta->aliases;
    while (*p && n < max) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        out[n++] = dw_str_make(p, len);
        if (!e) break;
        p = e + 1;
    }
    return n;
}
