/* config_report.c — what `dockwright compose-config` needs of a project
 * beyond its printing (cv_print.c): loading it with Compose's options, the
 * problem that stops `docker compose config`, and the warnings Compose logs
 * (dockwright.h, ---- a check run ----). */
#include "compose.h"

#include <stdio.h>
#include <string.h>

dw_compose_project *dw_compose_config_load(const char *const *paths, uint32_t npaths,
                                           const dw_compose_config_opts *opts, const char **why)
{
    dw_compose_opts o = {.env_files = opts->env_files, .nenv_files = opts->nenv_files, .profiles = opts->profiles,
                         .nprofiles = opts->nprofiles, .project_name = opts->project_name,
                         .project_dir = opts->project_dir, .no_override = opts->no_override};
    return dw_compose_load(paths, npaths, &o, why);
}

const char *dw_compose_config_error(const dw_compose_project *p, char *buf, size_t size)
{
    if (!p->model && !p->nerrors) return "empty compose file";
    if (p->nerrors) return p->errors[0];
    /* the findings that stop Compose; the others are ours alone */
    for (uint32_t f = 0; f < p->nfiles; f++)
        for (uint32_t i = 0; i < p->files[f].diags.n; i++) {
            const dw_diag *d = &p->files[f].diags.v[i];
            if (strcmp(d->rule, "compose-schema") && strcmp(d->rule, "yaml-syntax") && strcmp(d->rule, "duplicate-key") &&
                strcmp(d->rule, "invalid-interpolation"))
                continue;
            snprintf(buf, size, "validating %s: %s", p->files[f].abs_path, d->message);
            return buf;
        }
    return NULL;
}

/* Compose logs unset variables (our undefined-variable findings, in the
 * order met) and an obsolete `version`, in its terminal log shape. */
void dw_compose_config_warnings(FILE *out, const dw_compose_project *p)
{
    for (uint32_t f = 0; f < p->nfiles; f++) {
        const dw_compose_file *cf = &p->files[f];
        for (uint32_t i = 0; i < cf->diags.n; i++) {
            const dw_diag *d = &cf->diags.v[i];
            const char *q = strchr(d->message, '"'), *e = q ? strchr(q + 1, '"') : NULL;
            if (strcmp(d->rule, "undefined-variable") || !e) continue;
            fprintf(out, "WARN[0000] The \"%.*s\" variable is not set. Defaulting to a blank string.\n",
                    (int)(e - q - 1), q + 1);
        }
        if (!cf->included && dw_cv_get(cf->root, "version"))
            fprintf(out,
                    "WARN[0000] %s: the attribute `version` is obsolete, it will be ignored, please remove it to "
                    "avoid potential confusion\n",
                    cf->abs_path);
    }
}
