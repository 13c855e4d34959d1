/* out_junit.c — JUnit XML, the test-report format every CI shows (GitLab
 * `reports: junit`, Jenkins, Azure, CircleCI): <testsuites> holding one
 * <testsuite> per checked file and one <testcase> per finding with a
 * <failure> (type = severity, message = the message, body = the GNU line and
 * the help). A file without findings gets one passing testcase, so the
 * report shows what was checked; a file that could not be read (or a usage
 * problem) is a testcase with an <error>. No timestamps: the report is the
 * same on every run. */
#include "output.h"

static void attr(dw_buf *b, const char *name, const char *value)
{
    dw_buf_printf(b, " %s=\"", name);
    dw_out_xml(b, value, strlen(value), true);
    dw_buf_putc(b, '"');
}

void dw_out_junit(FILE *out, const dw_results *r)
{
    uint32_t tests = 0, failures = 0;
    for (uint32_t f = 0; f < r->nfiles; f++) {
        uint32_t n = r->files[f].diags->n;
        tests += n ? n : 1;
        failures += n;
    }
    tests += r->nerrors;

    dw_buf b = {0};
    dw_buf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testsuites name=\"dockwright\" tests=\"%u\" failures=\"%u\" errors=\"%u\">\n",
                  tests, failures, r->nerrors);
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        uint32_t n = fr->diags->n;
        dw_buf_puts(&b, "  <testsuite");
        attr(&b, "name", fr->path);
        dw_buf_printf(&b, " tests=\"%u\" failures=\"%u\" errors=\"0\">\n", n ? n : 1, n);
        if (!n) {
            dw_buf_puts(&b, "    <testcase name=\"no problems\"");
            attr(&b, "classname", fr->path);
            attr(&b, "file", fr->path);
            dw_buf_puts(&b, "/>\n");
        }
        for (uint32_t i = 0; i < n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            dw_pos p = dw_linemap_pos(fr->lines, d->span.start);
            char name[160];
            snprintf(name, sizeof name, "%s at %u:%u", d->rule, p.line, p.col);
            dw_buf_puts(&b, "    <testcase");
            attr(&b, "name", name);
            attr(&b, "classname", fr->path);
            attr(&b, "file", fr->path);
            dw_buf_printf(&b, " line=\"%u\">\n      <failure", p.line);
            attr(&b, "message", d->message);
            attr(&b, "type", dw_severity_name(d->severity));
            dw_buf_putc(&b, '>');
            dw_buf text = {0};
            dw_buf_printf(&text, "%s:%u:%u: %s: %s [%s]\n", fr->path, p.line, p.col,
                          dw_severity_name(d->severity), d->message, d->rule);
            if (d->help) dw_buf_printf(&text, "help: %s\n", d->help);
            dw_out_xml(&b, text.p, text.n, false);
            dw_buf_free(&text);
            dw_buf_puts(&b, "</failure>\n    </testcase>\n");
        }
        dw_buf_puts(&b, "  </testsuite>\n");
        fwrite(b.p, 1, b.n, out);
        b.n = 0;
    }
    for (uint32_t i = 0; i < r->nerrors; i++) {
        const dw_error *e = &r->errors[i];
        const char *name = e->file && *e->file ? e->file : "dockwright";
        dw_buf_puts(&b, "  <testsuite");
        attr(&b, "name", name);
        dw_buf_puts(&b, " tests=\"1\" failures=\"0\" errors=\"1\">\n    <testcase");
        attr(&b, "name", e->file && *e->file ? "read" : "usage");
        attr(&b, "classname", name);
        dw_buf_puts(&b, ">\n      <error");
        attr(&b, "message", e->message);
        dw_buf_puts(&b, " type=\"error\"/>\n    </testcase>\n  </testsuite>\n");
    }
    dw_buf_puts(&b, "</testsuites>\n");
    fwrite(b.p, 1, b.n, out);
    dw_buf_free(&b);
}
