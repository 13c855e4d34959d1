/* out_json.c — the JSON report of design.md, written with jansson:
 * {"version":1,"tool":{…},"diagnostics":[…],"errors":[…],"summary":{…}}.
 * Positions are 1-based; columns count code points; the end is exclusive. */
#include "output.h"

#include <jansson.h>
#include <stdlib.h>

/* A JSON string from bytes that may not be valid UTF-8 (U+FFFD for bad bytes). */
json_t *dw_json_text(const char *p, size_t n)
{
    json_t *j = json_stringn(p ? p : "", n);
    if (j) return j;
    dw_buf b = {0};
    for (size_t i = 0; i < n;) {
        int w;
        uint32_t cp = dw_utf8_decode(p + i, n - i, &w);
        char enc[4];
        dw_buf_put(&b, enc, (size_t)dw_utf8_encode(cp, enc));
        i += (size_t)w;
    }
    j = json_stringn(b.p ? b.p : "", b.n);
    dw_buf_free(&b);
    return j ? j : json_string("");
}

static void set_pos(json_t *o, const dw_linemap *lines, dw_span sp, const char *l, const char *c,
                    const char *el, const char *ec)
{
    dw_pos a = dw_linemap_pos(lines, sp.start), b = dw_linemap_pos(lines, sp.end);
    json_object_set_new(o, l, json_integer(a.line));
    json_object_set_new(o, c, json_integer(a.col));
    json_object_set_new(o, el, json_integer(b.line));
    json_object_set_new(o, ec, json_integer(b.col));
}

json_t *dw_json_diag(const char *path, const dw_linemap *lines, const dw_diag *d)
{
    json_t *o = json_object();
    json_object_set_new(o, "file", dw_json_text(path, strlen(path)));
    set_pos(o, lines, d->span, "line", "column", "end_line", "end_column");
    json_object_set_new(o, "rule", json_string(d->rule));
    json_t *al = json_array();
    dw_str aliases[16];
    uint32_t na = dw_out_aliases(d, aliases, 16);
    for (uint32_t i = 0; i < na; i++) json_array_append_new(al, json_stringn(aliases[i].ptr, aliases[i].len));
    json_object_set_new(o, "aliases", al);
    json_object_set_new(o, "severity", json_string(dw_severity_name(d->severity)));
    json_object_set_new(o, "message", dw_json_text(d->message, strlen(d->message)));
    if (d->help) json_object_set_new(o, "help", dw_json_text(d->help, strlen(d->help)));
    if (d->nedits) {
        json_t *edits = json_array();
        for (uint32_t i = 0; i < d->nedits; i++) {
            json_t *e = json_object();
            set_pos(e, lines, d->edits[i].span, "line", "column", "end_line", "end_column");
            json_object_set_new(e, "text", dw_json_text(d->edits[i].text.ptr, d->edits[i].text.len));
            json_array_append_new(edits, e);
        }
        json_object_set_new(o, "fix", json_pack("{s:s,s:o}", "applicability", d->fix_safe ? "safe" : "unsafe",
                                                "edits", edits));
    }
    return o;
}

void dw_out_json(FILE *out, const dw_results *r)
{
    json_t *root = json_object();
    json_object_set_new(root, "version", json_integer(1));
    json_object_set_new(root, "tool", json_pack("{s:s,s:s}", "name", "dockwright", "version", DW_VERSION));
    json_t *diags = json_array();
    long counts[DW_SEV_ERROR + 1] = {0};
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            json_array_append_new(diags, dw_json_diag(fr->path, fr->lines, d));
            if (d->severity <= DW_SEV_ERROR) counts[d->severity]++;
        }
    }
    json_object_set_new(root, "diagnostics", diags);
    json_t *errors = json_array();
    for (uint32_t i = 0; i < r->nerrors; i++)
        json_array_append_new(errors, json_pack("{s:o,s:o}", "file", dw_json_text(r->errors[i].file, strlen(r->errors[i].file)),
                                                "message", dw_json_text(r->errors[i].message, strlen(r->errors[i].message))));
    json_object_set_new(root, "errors", errors);
    json_object_set_new(root, "summary", json_pack("{s:i,s:i,s:i,s:i,s:i}", "error", (json_int_t)counts[DW_SEV_ERROR],
                                                   "warning", (json_int_t)counts[DW_SEV_WARNING], "info",
                                                   (json_int_t)counts[DW_SEV_INFO], "style", (json_int_t)counts[DW_SEV_STYLE],
                                                   "files", (json_int_t)r->nfiles));
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
