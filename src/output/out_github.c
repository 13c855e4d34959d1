/* out_github.c — GitHub Actions workflow commands, which the runner turns
 * into annotations on the pull request:
 *   ::error file=Dockerfile,line=2,col=1,endLine=2,endColumn=5,title=syntax-error::message
 * error→error, warning→warning, info and style→notice. The runner's own
 * escaping rules (actions/toolkit, command.ts): in the message `%`, CR and
 * LF are written %25, %0D, %0A; in property values `:` and `,` too (they
 * delimit the properties). Columns are given only for a one-line span:
 * annotations ignore columns that span lines. The help follows the message
 * on a line of its own. Files that could not be read are annotated too. */
#include "output.h"

static const char *level(dw_severity s)
{
    return s == DW_SEV_ERROR ? "error" : s == DW_SEV_WARNING ? "warning" : "notice";
}

/* Appends s escaped as the runner wants: data (message) or a property value. */
static void esc(dw_buf *b, const char *s, bool property)
{
    dw_buf clean = {0};
    for (const char *p = s;;) {
        /* keep line breaks (as %0A), make everything else terminal-safe */
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        clean.n = 0;
        dw_out_clean(&clean, p, n);
        for (size_t i = 0; i < clean.n; i++) {
            char c = clean.p[i];
            if (c == '%') dw_buf_puts(b, "%25");
            else if (property && c == ':') dw_buf_puts(b, "%3A");
            else if (property && c == ',') dw_buf_puts(b, "%2C");
            else dw_buf_putc(b, c);
        }
        if (!nl) break;
        dw_buf_puts(b, "%0A");
        p = nl + 1;
    }
    dw_buf_free(&clean);
}

void dw_out_github(FILE *out, const dw_results *r)
{
    dw_buf b = {0};
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        const char *path = dw_out_rel_path(fr->path);
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            dw_range rg = dw_out_range(fr->lines, d->span);
            dw_buf_printf(&b, "::%s file=", level(d->severity));
            esc(&b, path, true);
            dw_buf_printf(&b, ",line=%u", rg.start.line);
            if (rg.end.line == rg.start.line)
                dw_buf_printf(&b, ",col=%u,endLine=%u,endColumn=%u", rg.start.col, rg.end.line, rg.end.col);
            else
                dw_buf_printf(&b, ",endLine=%u", rg.end.line);
            dw_buf_puts(&b, ",title=");
            esc(&b, d->rule, true);
            dw_buf_puts(&b, "::");
            esc(&b, d->message, false);
            if (d->help) {
                dw_buf_puts(&b, "%0Ahelp: ");
                esc(&b, d->help, false);
            }
            dw_buf_putc(&b, '\n');
        }
        fwrite(b.p, 1, b.n, out);
        b.n = 0;
    }
    for (uint32_t i = 0; i < r->nerrors; i++) {
        const dw_error *e = &r->errors[i];
        dw_buf_puts(&b, "::error ");
        if (e->file && *e->file) {
            dw_buf_puts(&b, "file=");
            esc(&b, dw_out_rel_path(e->file), true);
            dw_buf_putc(&b, ',');
        }
        dw_buf_puts(&b, "title=dockwright::");
        esc(&b, e->message, false);
        dw_buf_putc(&b, '\n');
    }
    fwrite(b.p, 1, b.n, out);
    dw_buf_free(&b);
}
