/* out_hadolint.c — hadolint's own `--format json` shape, for pipelines and
 * editor plugins written against hadolint: one flat array over all files,
 *   [{"code","column","file","level","line","message"}]
 * keys in hadolint's (alphabetical) order, compact. `code` is the rule's
 * hadolint name (its DLxxxx alias, or SCxxxx for ShellCheck-derived rules)
 * when it has one, else the slug; a syntax error is DL1000, the code hadolint
 * gives parse errors. level is error/warning/info/style. Unlike hadolint,
 * `column` is the real column (hadolint always says 1). */
#include "output.h"

#include <jansson.h>

static json_t *code(const dw_diag *d)
{
    if (!strcmp(d->rule, "syntax-error")) return json_string("DL1000");
    dw_str al[16];
    uint32_t n = dw_out_aliases(d, al, 16);
    static const char *const prefixes[] = {"DL", "SC"}; /* a DL name wins over an SC one */
    for (size_t k = 0; k < sizeof prefixes / sizeof *prefixes; k++)
        for (uint32_t i = 0; i < n; i++)
            if (al[i].len > 2 && !strncmp(al[i].ptr, prefixes[k], 2) && al[i].ptr[2] >= '0' && al[i].ptr[2] <= '9')
                return json_stringn(al[i].ptr, al[i].len);
    return json_string(d->rule);
}

void dw_out_hadolint(FILE *out, const dw_results *r)
{
    json_t *arr = json_array();
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            dw_pos p = dw_linemap_pos(fr->lines, d->span.start);
            json_t *o = json_object();
            json_object_set_new(o, "code", code(d));
            json_object_set_new(o, "column", json_integer(p.col));
            json_object_set_new(o, "file", dw_json_text(fr->path, strlen(fr->path)));
            json_object_set_new(o, "level", json_string(dw_severity_name(d->severity)));
            json_object_set_new(o, "line", json_integer(p.line));
            json_object_set_new(o, "message", dw_json_text(d->message, strlen(d->message)));
            json_array_append_new(arr, o);
        }
    }
    json_dumpf(arr, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(arr);
}
