/* out_sonarqube.c — SonarQube's generic issue import format
 * (sonar.externalIssuesReportPaths):
 *   {"issues":[{"engineId":"dockwright","ruleId","severity","type",
 *     "primaryLocation":{"message","filePath","textRange":{startLine,endLine,
 *     startColumn,endColumn}},"secondaryLocations":[…]}]}
 * Sonar counts columns as 0-based offsets in Java chars (UTF-16 code units,
 * without the line terminator) and refuses an import whose range is empty or
 * runs past the end of a line, so ranges are clamped to the line text, a
 * span that takes the line break ends on its own line, and an empty range
 * gives only the line (Sonar then marks the whole line). Severity and type
 * follow hadolint's mapping: error→CRITICAL/BUG, warning→MAJOR, info→MINOR,
 * style→INFO (CODE_SMELL). */
#include "output.h"

#include <jansson.h>

static const char *severity(dw_severity s)
{
    switch (s) {
    case DW_SEV_ERROR: return "CRITICAL";
    case DW_SEV_WARNING: return "MAJOR";
    case DW_SEV_INFO: return "MINOR";
    default: return "INFO";
    }
}

/* The line text without its terminator ('\r' of CRLF included). */
static dw_str line_text(const dw_linemap *m, uint32_t line)
{
    dw_str s = dw_linemap_text(m, line);
    if (s.len && s.ptr[s.len - 1] == '\r') s.len--;
    return s;
}

/* UTF-16 code units in the first n bytes of s (an invalid byte is one
 * U+FFFD, as Java decodes it). */
static uint32_t utf16_units(const char *s, size_t n)
{
    uint32_t u = 0;
    for (size_t i = 0; i < n;) {
        int w;
        uint32_t cp = dw_utf8_decode(s + i, n - i, &w);
        u += cp >= 0x10000 ? 2 : 1;
        i += (size_t)w;
    }
    return u;
}

static json_t *text_range(const dw_linemap *m, dw_span sp)
{
    uint32_t s = sp.start > m->len ? m->len : sp.start;
    uint32_t e = sp.end < s ? s : sp.end > m->len ? m->len : sp.end;
    uint32_t sl = dw_linemap_line(m, s), el = dw_linemap_line(m, e);
    size_t so = s - m->starts[sl - 1], eo = e - m->starts[el - 1];
    if (el > sl && eo == 0) {
        el--;
        eo = line_text(m, el).len;
    }
    dw_str st = line_text(m, sl), et = line_text(m, el);
    if (so > st.len) so = st.len;
    if (eo > et.len) eo = et.len;
    json_t *o = json_object();
    json_object_set_new(o, "startLine", json_integer(sl));
    if (el == sl && eo <= so) {
        /* empty: widen to the character there, or fall back to the whole line */
        if (so < st.len) {
            int w;
            dw_utf8_decode(st.ptr + so, st.len - so, &w);
            eo = so + (size_t)w;
        } else {
            json_object_set_new(o, "endLine", json_integer(el));
            return o;
        }
    }
    json_object_set_new(o, "endLine", json_integer(el));
    json_object_set_new(o, "startColumn", json_integer(utf16_units(st.ptr, so)));
    json_object_set_new(o, "endColumn", json_integer(utf16_units(et.ptr, eo)));
    return o;
}

static json_t *location(const char *path, const dw_linemap *m, dw_span sp, const char *msg)
{
    json_t *o = json_object();
    if (msg) json_object_set_new(o, "message", dw_json_text(msg, strlen(msg)));
    json_object_set_new(o, "filePath", dw_json_text(path, strlen(path)));
    json_object_set_new(o, "textRange", text_range(m, sp));
    return o;
}

void dw_out_sonarqube(FILE *out, const dw_results *r)
{
    json_t *issues = json_array();
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        const char *path = dw_out_rel_path(fr->path);
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            json_t *o = json_object();
            json_object_set_new(o, "engineId", json_string("dockwright"));
            json_object_set_new(o, "ruleId", json_string(d->rule));
            json_object_set_new(o, "severity", json_string(severity(d->severity)));
            json_object_set_new(o, "type", json_string(d->severity == DW_SEV_ERROR ? "BUG" : "CODE_SMELL"));
            json_object_set_new(o, "primaryLocation", location(path, fr->lines, d->span, d->message));
            if (d->nrelated) {
                json_t *sec = json_array();
                for (uint32_t k = 0; k < d->nrelated; k++)
                    json_array_append_new(sec, location(path, fr->lines, d->related[k].span,
                                                        d->related[k].label ? d->related[k].label : d->message));
                json_object_set_new(o, "secondaryLocations", sec);
            }
            json_array_append_new(issues, o);
        }
    }
    json_t *root = json_object();
    json_object_set_new(root, "issues", issues);
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
