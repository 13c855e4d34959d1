/* out_gnu.c — the GNU/clang one-line diagnostic shape,
 * `file:line:col: severity: message [rule]`, that editors and CI parse.
 * The path and message go through dw_out_clean: a newline or an escape
 * sequence taken from the file must not break the one-line contract or
 * drive the terminal. */
#include "output.h"

void dw_output_gnu_one(FILE *out, const char *path, const dw_linemap *lines, const dw_diag *d)
{
    dw_pos p = dw_linemap_pos(lines, d->span.start);
    dw_buf b = {0};
    dw_out_clean(&b, path, strlen(path));
    dw_buf_printf(&b, ":%u:%u: %s: ", p.line, p.col, dw_severity_name(d->severity));
    dw_out_clean(&b, d->message, strlen(d->message));
    dw_buf_printf(&b, " [%s]\n", d->rule);
    fwrite(b.p, 1, b.n, out);
    dw_buf_free(&b);
}

void dw_out_gnu(FILE *out, const dw_results *r)
{
    for (uint32_t f = 0; f < r->nfiles; f++)
        for (uint32_t i = 0; i < r->files[f].diags->n; i++)
            dw_output_gnu_one(out, r->files[f].path, r->files[f].lines, &r->files[f].diags->v[i]);
}
