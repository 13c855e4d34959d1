/* out_sarif.c — SARIF 2.1.0 (OASIS), the format code-scanning services
 * (GitHub, Azure DevOps, SonarQube, VS Code's viewer) import. One run:
 * tool.driver describes dockwright and every rule that has a result (full
 * description and help from the rule's `explain` page, aliases in
 * properties), each checked file is an artifact, each finding a result with
 * a region in 1-based lines and code-point columns (`columnKind:
 * unicodeCodePoints`, as the JSON report counts), related spans as
 * relatedLocations, the fix as a SARIF fix, and files that could not be read
 * or usage problems as toolExecutionNotifications of the invocation.
 * Checked against the official schema by the output-formats suite. */
#include "output.h"

#include <jansson.h>

/* An artifact URI (RFC 3986) for a path: relative paths stay relative
 * references (consumers resolve them against the checkout), absolute ones
 * become file:// URIs; bytes outside the unreserved set and '/' are
 * percent-encoded (spaces, '%', '#', '?', non-ASCII UTF-8, …). */
static json_t *uri_of(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    dw_buf b = {0};
    path = dw_out_rel_path(path);
    if (path[0] == '/') dw_buf_puts(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '.' || c == '_' || c == '~' || c == '/') {
            dw_buf_putc(&b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            dw_buf_put(&b, e, 3);
        }
    }
    json_t *j = json_stringn(b.p ? b.p : "", b.n);
    dw_buf_free(&b);
    return j;
}

static json_t *text_msg(const char *s)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", dw_json_text(s, strlen(s)));
    return m;
}

static json_t *region(const dw_linemap *lines, dw_span sp)
{
    dw_range r = dw_out_range(lines, sp);
    json_t *o = json_object();
    json_object_set_new(o, "startLine", json_integer(r.start.line));
    json_object_set_new(o, "startColumn", json_integer(r.start.col));
    json_object_set_new(o, "endLine", json_integer(r.end.line));
    json_object_set_new(o, "endColumn", json_integer(r.end.col));
    return o;
}

static json_t *artifact_loc(const char *path, long index)
{
    json_t *o = json_object();
    json_object_set_new(o, "uri", uri_of(path));
    if (index >= 0) json_object_set_new(o, "index", json_integer(index));
    return o;
}

static json_t *location(const char *path, long index, const dw_linemap *lines, dw_span sp, const char *label)
{
    json_t *pl = json_object();
    json_object_set_new(pl, "artifactLocation", artifact_loc(path, index));
    json_object_set_new(pl, "region", region(lines, sp));
    json_t *loc = json_object();
    json_object_set_new(loc, "physicalLocation", pl);
    if (label && *label) json_object_set_new(loc, "message", text_msg(label));
    return loc;
}

static const char *level(dw_severity s)
{
    return s == DW_SEV_ERROR ? "error" : s == DW_SEV_WARNING ? "warning" : "note";
}

/* The page's introduction: the paragraph(s) between the `# title` line and
 * the first `## ` section, joined into one line; NULL when there is none. */
static json_t *doc_intro(const char *doc)
{
    const char *p = doc;
    if (*p == '#') {
        const char *nl = strchr(p, '\n');
        if (!nl) return NULL;
        p = nl + 1;
    }
    const char *end = strstr(p, "\n## ");
    if (!end) end = p + strlen(p);
    dw_buf b = {0};
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        dw_str line = dw_str_trim_space(dw_str_make(p, (size_t)(le - p)));
        if (line.len) {
            if (b.n) dw_buf_putc(&b, ' ');
            dw_buf_put(&b, line.ptr, line.len);
        } else if (b.n) {
            break; /* the first paragraph is the description */
        }
        p = nl ? nl + 1 : end;
    }
    json_t *j = b.n ? dw_json_text(b.p, b.n) : NULL;
    dw_buf_free(&b);
    return j;
}

/* A rule's reportingDescriptor. A finding whose rule is not in the
 * registry still gets one, its slug standing in for the texts, so consumers
 * can rely on every field being there. */
static json_t *rule_descriptor(const dw_rule *r, const char *slug)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(slug));
    const char *summary = r ? r->summary : slug;
    const char *doc = r ? dw_rule_doc(r->slug) : NULL;
    json_object_set_new(o, "shortDescription", text_msg(summary));
    json_t *full = json_object();
    json_t *intro = doc ? doc_intro(doc) : NULL;
    json_object_set_new(full, "text", intro ? intro : dw_json_text(summary, strlen(summary)));
    json_object_set_new(o, "fullDescription", full);
    json_t *help = json_object();
    const char *page = doc ? doc : summary;
    json_object_set_new(help, "text", dw_json_text(page, strlen(page)));
    json_object_set_new(help, "markdown", dw_json_text(page, strlen(page)));
    json_object_set_new(o, "help", help);
    if (!r) {
        json_object_set_new(o, "properties", json_pack("{s:[]}", "aliases"));
        return o;
    }
    json_t *conf = json_object();
    json_object_set_new(conf, "enabled", json_boolean(!r->default_off && !r->experimental));
    json_object_set_new(conf, "level", json_string(level(r->severity)));
    json_object_set_new(o, "defaultConfiguration", conf);
    json_t *props = json_object();
    json_t *aliases = json_array();
    dw_diag fake = {0};
    fake.meta = r;
    dw_str al[16];
    uint32_t na = dw_out_aliases(&fake, al, 16);
    for (uint32_t i = 0; i < na; i++) json_array_append_new(aliases, json_stringn(al[i].ptr, al[i].len));
    json_object_set_new(props, "aliases", aliases);
    json_t *tags = json_array();
    json_array_append_new(tags, json_string(r->family));
    json_object_set_new(props, "tags", tags);
    json_object_set_new(o, "properties", props);
    return o;
}

/* The position of rule `slug` in the driver's rule list, adding it when new. */
static long rule_index(json_t *rules, const dw_diag *d)
{
    size_t i;
    json_t *v;
    json_array_foreach(rules, i, v)
        if (!strcmp(json_string_value(json_object_get(v, "id")), d->rule)) return (long)i;
    json_array_append_new(rules, rule_descriptor(dw_out_rule(d), d->rule));
    return (long)json_array_size(rules) - 1;
}

static json_t *fix(const dw_file_result *fr, long index, const dw_diag *d)
{
    json_t *repl = json_array();
    for (uint32_t i = 0; i < d->nedits; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "deletedRegion", region(fr->lines, d->edits[i].span));
        json_t *ins = json_object();
        json_object_set_new(ins, "text", dw_json_text(d->edits[i].text.ptr, d->edits[i].text.len));
        json_object_set_new(e, "insertedContent", ins);
        json_array_append_new(repl, e);
    }
    json_t *change = json_object();
    json_object_set_new(change, "artifactLocation", artifact_loc(fr->path, index));
    json_object_set_new(change, "replacements", repl);
    json_t *changes = json_array();
    json_array_append_new(changes, change);
    json_t *f = json_object();
    const char *desc = d->help ? d->help : d->fix_safe ? "apply the safe fix" : "apply the fix (unsafe: review it)";
    json_object_set_new(f, "description", text_msg(desc));
    json_object_set_new(f, "artifactChanges", changes);
    json_object_set_new(f, "properties", json_pack("{s:s}", "applicability", d->fix_safe ? "safe" : "unsafe"));
    json_t *fixes = json_array();
    json_array_append_new(fixes, f);
    return fixes;
}

static json_t *result(const dw_file_result *fr, long index, const dw_diag *d, long rix, const char *fp)
{
    json_t *o = json_object();
    json_object_set_new(o, "ruleId", json_string(d->rule));
    json_object_set_new(o, "ruleIndex", json_integer(rix));
    json_object_set_new(o, "level", json_string(level(d->severity)));
    json_object_set_new(o, "message", text_msg(d->message));
    json_t *locs = json_array();
    json_array_append_new(locs, location(fr->path, index, fr->lines, d->span, d->label));
    json_object_set_new(o, "locations", locs);
    if (d->nrelated) {
        json_t *rel = json_array();
        for (uint32_t i = 0; i < d->nrelated; i++) {
            json_t *l = location(fr->path, index, fr->lines, d->related[i].span, d->related[i].label);
            json_object_set_new(l, "id", json_integer(i + 1));
            json_array_append_new(rel, l);
        }
        json_object_set_new(o, "relatedLocations", rel);
    }
    json_object_set_new(o, "partialFingerprints", json_pack("{s:s}", "dockwright/v1", fp));
    if (d->nedits) json_object_set_new(o, "fixes", fix(fr, index, d));
    json_t *props = json_object();
    json_object_set_new(props, "severity", json_string(dw_severity_name(d->severity)));
    if (d->help) json_object_set_new(props, "help", dw_json_text(d->help, strlen(d->help)));
    /* a finding's own code (ShellCheck's SC2086) is not its rule's: say it here */
    if (d->code) json_object_set_new(props, "aliases", json_pack("[s]", d->code));
    json_object_set_new(o, "properties", props);
    return o;
}

void dw_out_sarif(FILE *out, const dw_results *r)
{
    json_t *rules = json_array();
    json_t *results = json_array();
    json_t *artifacts = json_array();
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        json_t *a = json_object();
        json_object_set_new(a, "location", artifact_loc(fr->path, -1));
        json_object_set_new(a, "roles", json_pack("[s]", "analysisTarget"));
        json_array_append_new(artifacts, a);
        char(*fps)[17] = dw_xmalloc(sizeof *fps * (fr->diags->n ? fr->diags->n : 1));
        dw_out_fingerprints(fr, fps);
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            json_array_append_new(results, result(fr, (long)f, d, rule_index(rules, d), fps[i]));
        }
        free(fps);
    }

    json_t *driver = json_object();
    json_object_set_new(driver, "name", json_string("dockwright"));
    json_object_set_new(driver, "version", json_string(DW_VERSION));
    json_object_set_new(driver, "semanticVersion", json_string(DW_VERSION));
    json_object_set_new(driver, "rules", rules);
    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver);

    json_t *inv = json_object();
    json_object_set_new(inv, "executionSuccessful", json_boolean(r->nerrors == 0));
    if (r->nerrors) {
        json_t *notes = json_array();
        for (uint32_t i = 0; i < r->nerrors; i++) {
            const dw_error *e = &r->errors[i];
            json_t *n = json_object();
            json_object_set_new(n, "level", json_string("error"));
            dw_buf b = {0};
            if (e->file && *e->file) dw_buf_printf(&b, "%s: ", e->file);
            dw_buf_puts(&b, e->message);
            json_t *m = json_object();
            json_object_set_new(m, "text", dw_json_text(b.p, b.n));
            dw_buf_free(&b);
            json_object_set_new(n, "message", m);
            if (e->file && *e->file) {
                json_t *pl = json_object();
                json_object_set_new(pl, "artifactLocation", artifact_loc(e->file, -1));
                json_t *loc = json_object();
                json_object_set_new(loc, "physicalLocation", pl);
                json_object_set_new(n, "locations", json_pack("[o]", loc));
            }
            json_array_append_new(notes, n);
        }
        json_object_set_new(inv, "toolExecutionNotifications", notes);
    }
    json_t *invs = json_array();
    json_array_append_new(invs, inv);

    json_t *run = json_object();
    json_object_set_new(run, "tool", tool);
    json_object_set_new(run, "invocations", invs);
    json_object_set_new(run, "artifacts", artifacts);
    json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
    json_object_set_new(run, "results", results);

    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string("https://json.schemastore.org/sarif-2.1.0.json"));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_object_set_new(root, "runs", json_pack("[o]", run));
    json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', out);
    json_decref(root);
}
