/* out_codeclimate.c — the Code Climate issue format as GitLab reads it for
 * its code-quality widget (`artifacts: reports: codequality`): one JSON
 * array of issues, each with description, check_name, fingerprint, severity
 * (blocker/critical/major/minor/info) and location.path + lines.begin.
 * GitLab matches issues between the base and the merge-request pipelines by
 * fingerprint alone, so it must not change when unrelated lines move: see
 * dw_out_fingerprints (rule, path, trimmed line text, occurrence index).
 * Severities follow hadolint's mapping, so pipelines that switch keep their
 * thresholds: error→blocker, warning→major, info→info, style→minor. */
#include "output.h"

#include <jansson.h>

static const char *severity(dw_severity s)
{
    switch (s) {
    case DW_SEV_ERROR: return "blocker";
    case DW_SEV_WARNING: return "major";
    case DW_SEV_INFO: return "info";
    default: return "minor";
    }
}

void dw_out_codeclimate(FILE *out, const dw_results *r)
{
    json_t *issues = json_array();
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        if (!fr->diags->n) continue;
        char(*fps)[17] = dw_xmalloc(sizeof *fps * fr->diags->n);
        dw_out_fingerprints(fr, fps);
        const char *path = dw_out_rel_path(fr->path);
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            dw_range rg = dw_out_range(fr->lines, d->span);
            json_t *o = json_object();
            json_object_set_new(o, "type", json_string("issue"));
            json_object_set_new(o, "check_name", json_string(d->rule));
            json_object_set_new(o, "description", dw_json_text(d->message, strlen(d->message)));
            if (d->help) {
                json_t *content = json_object();
                json_object_set_new(content, "body", dw_json_text(d->help, strlen(d->help)));
                json_object_set_new(o, "content", content);
            }
            json_object_set_new(o, "categories",
                                json_pack("[s]", d->severity == DW_SEV_STYLE ? "Style" : "Bug Risk"));
            json_t *lines = json_object();
            json_object_set_new(lines, "begin", json_integer(rg.start.line));
            json_object_set_new(lines, "end", json_integer(rg.end.line));
            json_t *loc = json_object();
            json_object_set_new(loc, "path", dw_json_text(path, strlen(path)));
            json_object_set_new(loc, "lines", lines);
            json_object_set_new(o, "location", loc);
            json_object_set_new(o, "severity", json_string(severity(d->severity)));
            json_object_set_new(o, "fingerprint", json_string(fps[i]));
            json_array_append_new(issues, o);
        }
        free(fps);
    }
    json_dumpf(issues, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(issues);
}
