/* out_gnu.c — the GNU/clang one-line diagnostic shape,
 * `file:line:col: severity: message [rule]`, that editors and CI parse. */
#include "../util/util.h"

void dw_output_gnu_one(FILE *out, const char *path, const dw_linemap *lines, const dw_diag *d)
{
    dw_pos p = dw_linemap_pos(lines, d->span.start);
    fprintf(out, "%s:%u:%u: %s: %s [%s]\n", path, p.line, p.col, dw_severity_name(d->severity),
            d->message, d->rule);
}
