/* out_checkstyle.c — Checkstyle's XML report (version 4.3), read by Jenkins
 * (warnings-ng), reviewdog, Bitbucket and most CI dashboards:
 *   <checkstyle version="4.3"><file name="…"><error line column severity
 *   message source/></file></checkstyle>
 * Every checked file gets a <file> element (an empty one says it is clean);
 * source is the rule's slug; style findings are `info` (checkstyle has no
 * style level). A file that could not be read gets an <error> without a
 * line. Text goes through dw_out_xml, so the document is always well-formed. */
#include "output.h"

static const char *severity(dw_severity s)
{
    return s == DW_SEV_ERROR ? "error" : s == DW_SEV_WARNING ? "warning" : "info";
}

static void attr(dw_buf *b, const char *name, const char *value)
{
    dw_buf_printf(b, " %s=\"", name);
    dw_out_xml(b, value, strlen(value), true);
    dw_buf_putc(b, '"');
}

void dw_out_checkstyle(FILE *out, const dw_results *r)
{
    dw_buf b = {0};
    dw_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        dw_buf_puts(&b, "  <file");
        attr(&b, "name", fr->path);
        if (!fr->diags->n) {
            dw_buf_puts(&b, "/>\n");
            continue;
        }
        dw_buf_puts(&b, ">\n");
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            dw_pos p = dw_linemap_pos(fr->lines, d->span.start);
            dw_buf_printf(&b, "    <error line=\"%u\" column=\"%u\"", p.line, p.col);
            attr(&b, "severity", severity(d->severity));
            attr(&b, "message", d->message);
            attr(&b, "source", d->rule);
            dw_buf_puts(&b, "/>\n");
        }
        dw_buf_puts(&b, "  </file>\n");
        fwrite(b.p, 1, b.n, out);
        b.n = 0;
    }
    for (uint32_t i = 0; i < r->nerrors; i++) {
        const dw_error *e = &r->errors[i];
        if (!e->file || !*e->file) continue; /* usage problems: stderr says it */
        dw_buf_puts(&b, "  <file");
        attr(&b, "name", e->file);
        dw_buf_puts(&b, ">\n    <error severity=\"error\"");
        attr(&b, "message", e->message);
        dw_buf_puts(&b, " source=\"dockwright\"/>\n  </file>\n");
    }
    dw_buf_puts(&b, "</checkstyle>\n");
    fwrite(b.p, 1, b.n, out);
    dw_buf_free(&b);
}
