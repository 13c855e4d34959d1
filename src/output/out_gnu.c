/* out_gnu.c — the GNU/clang one-line diagnostic shape,
 * `file:line:col: severity: message [rule]`, that editors and CI parse. */
#include "output.h"

void dw_output_gnu_one(FILE *out, const char *path, const dw_linemap *lines, const dw_diag *d)
{
    dw_pos p = dw_linemap_pos(lines, d->span.start);
    fprintf(out, "%s:%u:%u: %s: %s [%s]\n", path, p.line, p.col, dw_severity_name(d->severity),
            d->message, d->rule);
}

void dw_out_gnu(FILE *out, const dw_results *r)
{
    for (uint32_t f = 0; f < r->nfiles; f++)
        for (uint32_t i = 0; i < r->files[f].diags->n; i++)
            dw_output_gnu_one(out, r->files[f].path, r->files[f].lines, &r->files[f].diags->v[i]);
}
