/* out_stub.c — formats not written yet fall back to the GNU shape, so a
 * pipeline gets the findings rather than nothing. Each writer moves to its
 * own out_<format>.c when it is implemented. */
#include "output.h"

void dw_out_tty(FILE *out, const dw_results *r)
{
    dw_out_gnu(out, r);
    uint32_t n = 0;
    for (uint32_t f = 0; f < r->nfiles; f++) n += r->files[f].diags->n;
    fprintf(out, "%u finding%s in %u file%s\n", n, n == 1 ? "" : "s", r->nfiles, r->nfiles == 1 ? "" : "s");
}
void dw_out_sarif(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_checkstyle(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_codeclimate(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_github(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_junit(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_sonarqube(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
void dw_out_hadolint(FILE *out, const dw_results *r) { dw_out_gnu(out, r); }
