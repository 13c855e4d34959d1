/* suite_output.c — the output-formats suite: every --format writer, judged
 * on what its consumers need.
 *
 * Two sources of findings:
 *  - the CLI (`dockwright check --no-config --format F`) over the fixtures in
 *    tests/cases/output/<case>/Dockerfile, which hold syntax errors (the
 *    parser reports them whatever rules exist): a span over continuation
 *    lines, a tab-indented line, wide characters, CRLF, invalid UTF-8 and an
 *    escape sequence, long lines, an unterminated heredoc, a span at EOF;
 *  - a synthetic report built here and written with dw_output(), for what
 *    the parser never produces: related spans and labels, fixes (safe,
 *    unsafe, insertions), a rule without a descriptor, every severity,
 *    hostile message text, a clean file, unreadable files and a usage error.
 *
 * Checks: tty goldens (expected.out per case, `--color=never`; the same
 * under NO_COLOR even with CLICOLOR_FORCE; colour output minus its escapes
 * equals it; the default format through a pipe has no escapes and is the
 * GNU lines) and the synthetic golden (synthetic/expected.tty); the JSON
 * report's shape as design.md states it (checked here with jansson); SARIF
 * against the official 2.1.0 schema (tests/validate_sarif.py, skipped with
 * a notice without python3-jsonschema); checkstyle and junit well-formed
 * (python3's XML parser) with consistent counts; codeclimate fingerprints
 * unique, stable across runs and across an edit above the finding;
 * github escaping; sonarqube and hadolint shapes. */
#include "runner.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockwright.h"
#include "../src/util/util.h"

#define CASES "tests/cases/output"
#define MISSING "no-such-dir/Dockerfile"

static const char *const cli_cases[] = {"snippets", "crlf", "eof"};

static bool update_mode(void)
{
    const char *u = getenv("DW_UPDATE");
    return u && !strcmp(u, "1");
}

/* ---- environment for the colour policy (restored afterwards) ---- */

static const char *const color_vars[] = {"NO_COLOR", "CLICOLOR_FORCE", "TERM"};
static char *saved_env[3];
static bool had_env[3];

static void env_save(void)
{
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(color_vars[i]);
        had_env[i] = v != NULL;
        saved_env[i] = v ? strdup(v) : NULL;
        unsetenv(color_vars[i]);
    }
}

static void env_restore(void)
{
    for (int i = 0; i < 3; i++) {
        if (had_env[i]) setenv(color_vars[i], saved_env[i], 1);
        else unsetenv(color_vars[i]);
        free(saved_env[i]);
    }
}

static void env_put(const char *name, const char *value)
{
    if (value) setenv(name, value, 1);
    else unsetenv(name);
}

/* ---- running things ---- */

/* `dockwright check --no-config ARGS...` in cwd; NULL-terminated args. */
static int run_check(const char *cwd, const char *const *args, char **out, size_t *olen)
{
    char *argv[32] = {(char *)dw_binary(), "check", "--no-config"};
    int ac = 3;
    for (; *args && ac < 31; args++) argv[ac++] = (char *)*args;
    argv[ac] = NULL;
    char *err = NULL;
    int rc = run_capture(cwd, argv, out, olen, &err, NULL);
    free(err);
    return rc;
}

/* Debian's python3 first (python3-jsonschema installs there, and `make
 * deps` installs it), else python3 from PATH (run_capture does not search
 * PATH), or NULL. */
static const char *python3(void)
{
    static char found[4096];
    static int state; /* 0 unknown, 1 found, 2 absent */
    if (state) return state == 1 ? found : NULL;
    state = 2;
    if (access("/usr/bin/python3", X_OK) == 0) {
        snprintf(found, sizeof found, "/usr/bin/python3");
        state = 1;
        return found;
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    while (*path) {
        const char *e = strchr(path, ':');
        size_t n = e ? (size_t)(e - path) : strlen(path);
        snprintf(found, sizeof found, "%.*s/python3", (int)n, path);
        if (n && access(found, X_OK) == 0) { state = 1; return found; }
        path += n + (e ? 1 : 0);
    }
    return NULL;
}

static char tmpdir[64];

static const char *tmp_write(const char *name, const char *text, size_t len)
{
    static char p[256];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    if (f) {
        fwrite(text, 1, len, f);
        fclose(f);
    }
    return p;
}

static const char *str_or(const char *s) { return s ? s : ""; }

static bool has_escape(const char *s) { return strchr(s, '\x1b') != NULL; }

/* The text without its SGR sequences (ESC [ ... m). */
static char *strip_sgr(const char *s)
{
    char *o = malloc(strlen(s) + 1), *q = o;
    while (*s) {
        if (s[0] == '\x1b' && s[1] == '[') {
            const char *m = s + 2;
            while (*m && *m != 'm') m++;
            s = *m ? m + 1 : m;
            continue;
        }
        *q++ = *s++;
    }
    *q = 0;
    return o;
}

static bool golden(suite *s, const char *cname, const char *path, const char *got, size_t glen)
{
    if (update_mode()) {
        FILE *f = fopen(path, "wb");
        if (f) {
            fwrite(got, 1, glen, f);
            fclose(f);
        }
        suite_pass(s);
        return true;
    }
    size_t xlen;
    char *exp = slurp(path, &xlen);
    if (!exp) {
        suite_fail(s, cname, "%s missing (run make check UPDATE=1)", path);
        return false;
    }
    bool ok = suite_expect_text(s, cname, exp, xlen, got, glen);
    free(exp);
    return ok;
}

/* ---- the synthetic report ---- */

static const char synth_src[] =
    "FROM alpine:3.20 AS build\n"
    "MAINTAINER someone <a@b.c>\n"
    "RUN make \\\n"
    "    && make install\n"
    "FROM alpine:3.20 AS build\n"
    "COPY --from=build /out /out\n";

static const char long_src[] =
    "FROM alpine:3.20\n"
    "RUN <<EOF\n"
    "set -e\n"
    "apk add a\n"
    "apk add b\n"
    "apk add c\n"
    "apk add d\n"
    "apk add e\n"
    "EOF\n";

typedef struct {
    dw_dockerfile *df, *clean, *lng;
    dw_diag diags[6], long_diag;
    dw_diags dv, empty, lv;
    dw_related rel[1];
    dw_edit fix_m[1], fix_i[2];
    dw_file_result files[3];
    dw_error errors[2];
    dw_results r;
} synthetic;

static uint32_t off_of(const char *needle, int nth)
{
    const char *p = synth_src;
    for (int i = 0; i <= nth; i++) {
        p = strstr(p, needle);
        if (i < nth) p++;
    }
    return (uint32_t)(p - synth_src);
}

static dw_span span_of(const char *needle, int nth)
{
    uint32_t o = off_of(needle, nth);
    dw_span sp = {o, o + (uint32_t)strlen(needle)};
    return sp;
}

static void synth_build(synthetic *x)
{
    memset(x, 0, sizeof *x);
    x->df = dw_dockerfile_parse("./sub dir/Dockerfile", synth_src, sizeof synth_src - 1, NULL);
    x->clean = dw_dockerfile_parse("clean/Dockerfile", "FROM alpine:3.20\n", 17, NULL);
    x->lng = dw_dockerfile_parse("long/Dockerfile", long_src, sizeof long_src - 1, NULL);
    dw_diag *d = x->diags;

    d[0].rule = "maintainer-deprecated";
    d[0].severity = DW_SEV_WARNING;
    d[0].span = span_of("MAINTAINER someone <a@b.c>", 0);
    d[0].message = "MAINTAINER is deprecated";
    d[0].help = "use LABEL org.opencontainers.image.authors";
    d[0].label = "deprecated since Docker 1.13";
    x->fix_m[0].span = d[0].span;
    x->fix_m[0].text = dw_str_c("LABEL org.opencontainers.image.authors=\"someone <a@b.c>\"");
    d[0].edits = x->fix_m;
    d[0].nedits = 1;
    d[0].fix_safe = true;

    /* a multi-line span, an unknown rule, an unsafe fix made of insertions */
    d[1].rule = "x-made-up-rule";
    d[1].severity = DW_SEV_INFO;
    d[1].span.start = off_of("make \\", 0);
    d[1].span.end = off_of("install", 0) + 7;
    d[1].message = "make runs twice";
    d[1].label = "these two commands";
    x->fix_i[0].span.start = x->fix_i[0].span.end = d[1].span.start;
    x->fix_i[0].text = dw_str_c("set -e; ");
    x->fix_i[1].span.start = x->fix_i[1].span.end = d[1].span.end;
    x->fix_i[1].text = dw_str_c(" # done\n");
    d[1].edits = x->fix_i;
    d[1].nedits = 2;

    d[2].rule = "duplicate-stage-name";
    d[2].severity = DW_SEV_ERROR;
    d[2].span = span_of("build", 1);
    d[2].message = "stage name `build` is used twice";
    d[2].label = "second definition";
    d[2].help = "rename one of the stages\nthen update COPY --from";
    x->rel[0].span = span_of("build", 0);
    x->rel[0].label = "first defined here";
    d[2].related = x->rel;
    d[2].nrelated = 1;

    /* hostile text: markup, quotes, percent, separators, escapes, bad bytes */
    d[3].rule = "stage-name-casing";
    d[3].severity = DW_SEV_STYLE;
    d[3].span = span_of("/out /out", 0);
    d[3].message = "bad <xml> & \"q\" 'a' 100%, a:b \x1b[31mred\x1b[0m \xff\xfe line\nbreak";
    d[3].help = "a % help, with: colons";

    d[4].rule = "syntax-error";
    d[4].severity = DW_SEV_ERROR;
    d[4].span.start = d[4].span.end = sizeof synth_src - 1; /* at EOF */
    d[4].message = "something is missing at the end";

    /* (in position order, as the engine leaves them) */
    for (int i = 0; i < 5; i++) d[i].meta = dw_rule_by_slug(d[i].rule);
    x->dv.v = d;
    x->dv.n = x->dv.cap = 5;

    x->files[0].path = x->df->path;
    x->files[0].src = x->df->src;
    x->files[0].len = x->df->len;
    x->files[0].lines = &x->df->lines;
    x->files[0].diags = &x->dv;
    x->files[1].path = x->clean->path;
    x->files[1].src = x->clean->src;
    x->files[1].len = x->clean->len;
    x->files[1].lines = &x->clean->lines;
    x->files[1].diags = &x->empty;
    /* a span over 8 lines from the start of its first line: `/` margin, elided middle */
    x->long_diag.rule = "x-heredoc";
    x->long_diag.severity = DW_SEV_WARNING;
    x->long_diag.span.start = (uint32_t)(strstr(long_src, "RUN") - long_src);
    x->long_diag.span.end = sizeof long_src - 1;
    x->long_diag.message = "a long heredoc";
    x->long_diag.label = "this whole instruction";
    x->lv.v = &x->long_diag;
    x->lv.n = x->lv.cap = 1;
    x->files[2].path = x->lng->path;
    x->files[2].src = x->lng->src;
    x->files[2].len = x->lng->len;
    x->files[2].lines = &x->lng->lines;
    x->files[2].diags = &x->lv;
    x->errors[0].file = "missing/Dock&erfile";
    x->errors[0].message = "No such file or directory";
    x->errors[1].file = "";
    x->errors[1].message = "unknown option '--bogus'";
    x->r.files = x->files;
    x->r.nfiles = 3;
    x->r.errors = x->errors;
    x->r.nerrors = 2;
    x->r.color = false;
    x->r.threshold = DW_SEV_WARNING;
}

static void synth_free(synthetic *x)
{
    dw_dockerfile_free(x->df);
    dw_dockerfile_free(x->clean);
    dw_dockerfile_free(x->lng);
}

static char *render(const dw_results *r, dw_format fmt, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    dw_output(f, fmt, r);
    fclose(f);
    if (len) *len = n;
    return buf;
}

/* ---- JSON report shape (design.md, "Output") ---- */

static bool is_pos_int(json_t *v) { return json_is_integer(v) && json_integer_value(v) >= 1; }

static const char *check_range(json_t *o)
{
    json_t *l = json_object_get(o, "line"), *c = json_object_get(o, "column");
    json_t *el = json_object_get(o, "end_line"), *ec = json_object_get(o, "end_column");
    if (!is_pos_int(l) || !is_pos_int(c) || !is_pos_int(el) || !is_pos_int(ec))
        return "line/column/end_line/end_column must be integers >= 1";
    if (json_integer_value(el) < json_integer_value(l) ||
        (json_integer_value(el) == json_integer_value(l) && json_integer_value(ec) < json_integer_value(c)))
        return "the end is before the start";
    return NULL;
}

static bool only_keys(json_t *o, const char *const *keys)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        bool ok = false;
        for (const char *const *p = keys; *p && !ok; p++) ok = !strcmp(*p, k);
        if (!ok) return false;
    }
    return true;
}

static const char *check_diag(json_t *d)
{
    static const char *const keys[] = {"file", "line", "column", "end_line", "end_column", "rule", "aliases",
                                       "severity", "message", "help", "fix", NULL};
    if (!json_is_object(d)) return "a diagnostic is not an object";
    if (!only_keys(d, keys)) return "a diagnostic has a key design.md does not list";
    if (!json_is_string(json_object_get(d, "file"))) return "file is not a string";
    const char *why = check_range(d);
    if (why) return why;
    json_t *rule = json_object_get(d, "rule");
    if (!json_is_string(rule) || !*json_string_value(rule)) return "rule is not a non-empty string";
    json_t *al = json_object_get(d, "aliases");
    if (!json_is_array(al)) return "aliases is not an array";
    size_t i;
    json_t *v;
    json_array_foreach(al, i, v) if (!json_is_string(v)) return "an alias is not a string";
    const dw_rule *meta = dw_rule_by_slug(json_string_value(rule));
    if (meta && json_array_size(al) == 0 && meta->aliases[0]) return "the rule's aliases are missing";
    const char *sev = json_string_value(json_object_get(d, "severity"));
    if (!sev || (strcmp(sev, "error") && strcmp(sev, "warning") && strcmp(sev, "info") && strcmp(sev, "style")))
        return "severity is not error, warning, info or style";
    json_t *msg = json_object_get(d, "message");
    if (!json_is_string(msg) || !*json_string_value(msg)) return "message is not a non-empty string";
    json_t *help = json_object_get(d, "help");
    if (help && !json_is_string(help)) return "help is not a string";
    json_t *fix = json_object_get(d, "fix");
    if (fix) {
        static const char *const fkeys[] = {"applicability", "edits", NULL};
        static const char *const ekeys[] = {"line", "column", "end_line", "end_column", "text", NULL};
        const char *ap = json_string_value(json_object_get(fix, "applicability"));
        if (!json_is_object(fix) || !only_keys(fix, fkeys)) return "fix is not {applicability, edits}";
        if (!ap || (strcmp(ap, "safe") && strcmp(ap, "unsafe"))) return "fix.applicability is not safe or unsafe";
        json_t *edits = json_object_get(fix, "edits");
        if (!json_is_array(edits) || !json_array_size(edits)) return "fix.edits is not a non-empty array";
        json_array_foreach(edits, i, v) {
            if (!json_is_object(v) || !only_keys(v, ekeys)) return "an edit has a key design.md does not list";
            if ((why = check_range(v))) return why;
            if (!json_is_string(json_object_get(v, "text"))) return "an edit's text is not a string";
        }
    }
    return NULL;
}

/* Checks a JSON report; returns the diagnostics count, or -1 (failure recorded). */
static long check_json_report(suite *s, const char *cname, const char *text, size_t nerrors)
{
    json_error_t je;
    json_t *root = json_loads(text, 0, &je);
    const char *why = NULL;
    long n = -1;
    static const char *const keys[] = {"version", "tool", "diagnostics", "errors", "summary", NULL};
    if (!root) { suite_fail(s, cname, "not JSON: %s (line %d)", je.text, je.line); return -1; }
    json_t *tool = json_object_get(root, "tool"), *diags = json_object_get(root, "diagnostics");
    json_t *errs = json_object_get(root, "errors"), *sum = json_object_get(root, "summary");
    if (!json_is_object(root) || !only_keys(root, keys)) why = "the top level is not {version,tool,diagnostics,errors,summary}";
    else if (json_integer_value(json_object_get(root, "version")) != 1) why = "version is not 1";
    else if (!json_is_object(tool) || strcmp(str_or(json_string_value(json_object_get(tool, "name"))), "dockwright") ||
             !json_is_string(json_object_get(tool, "version")))
        why = "tool is not {name: dockwright, version}";
    else if (!json_is_array(diags) || !json_is_array(errs) || !json_is_object(sum)) why = "diagnostics/errors/summary have the wrong types";
    else if (json_array_size(errs) != nerrors) why = "errors does not hold the unreadable paths";
    if (!why) {
        size_t i;
        json_t *v;
        long counts[4] = {0};
        static const char *const names[4] = {"error", "warning", "info", "style"};
        json_array_foreach(diags, i, v) {
            if ((why = check_diag(v))) break;
            const char *sev = json_string_value(json_object_get(v, "severity"));
            for (int k = 0; k < 4; k++) counts[k] += !strcmp(sev, names[k]);
        }
        static const char *const ekeys[] = {"file", "message", NULL};
        json_array_foreach(errs, i, v) {
            if (why) break;
            if (!json_is_object(v) || !only_keys(v, ekeys) || !json_is_string(json_object_get(v, "file")) ||
                !json_is_string(json_object_get(v, "message")))
                why = "an error is not {file, message}";
        }
        for (int k = 0; k < 4 && !why; k++)
            if (!json_is_integer(json_object_get(sum, names[k])) || json_integer_value(json_object_get(sum, names[k])) != counts[k])
                why = "summary counts differ from the diagnostics";
        if (!why && !json_is_integer(json_object_get(sum, "files"))) why = "summary.files is not an integer";
        n = (long)json_array_size(diags);
    }
    json_decref(root);
    if (why) { suite_fail(s, cname, "%s", why); return -1; }
    suite_pass(s);
    return n;
}

/* ---- SARIF and XML through python3 ---- */

static bool sarif_skip_noted;

static void validate_sarif(suite *s, const char *cname, const char *text)
{
    const char *schema = corpus_path("sarif/sarif-schema-2.1.0.json");
    const char *py = python3();
    if (!schema || !py) {
        if (!sarif_skip_noted)
            printf("  [%s] notice: %s; SARIF schema validation skipped\n", s->name,
                   !schema ? "the SARIF schema (../shared/corpus/sarif) is absent" : "python3 is not installed");
        sarif_skip_noted = true;
        suite_skip(s, 1, NULL);
        return;
    }
    char sch[4096];
    snprintf(sch, sizeof sch, "%s", schema);
    const char *file = tmp_write("report.sarif", text, strlen(text));
    char *argv[] = {(char *)py, "tests/validate_sarif.py", sch, (char *)file, NULL};
    char *out = NULL, *err = NULL;
    int rc = run_capture(NULL, argv, &out, NULL, &err, NULL);
    if (rc == 77) {
        if (!sarif_skip_noted)
            printf("  [%s] notice: python3-jsonschema is not installed (apt-get install python3-jsonschema); "
                   "SARIF schema validation skipped\n", s->name);
        sarif_skip_noted = true;
        suite_skip(s, 1, NULL);
    } else if (rc == 0) {
        suite_pass(s);
    } else {
        suite_fail(s, cname, "SARIF invalid (rc %d):\n%s%s", rc, out, err);
    }
    free(out);
    free(err);
}

static void xml_well_formed(suite *s, const char *cname, const char *text)
{
    const char *py = python3();
    if (!py) { suite_skip(s, 1, "python3 absent: XML well-formedness not checked"); return; }
    const char *file = tmp_write("report.xml", text, strlen(text));
    char *argv[] = {(char *)py, "-c", "import sys, xml.dom.minidom as m; m.parse(sys.argv[1])", (char *)file, NULL};
    char *err = NULL;
    int rc = run_capture(NULL, argv, NULL, NULL, &err, NULL);
    if (rc == 0) suite_pass(s);
    else suite_fail(s, cname, "not well-formed XML: %s", err);
    free(err);
}

static unsigned count_of(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++) n++;
    return n;
}

/* junit: the totals add up; `clean` files have a passing testcase. */
static void check_junit(suite *s, const char *cname, const char *text, unsigned findings, unsigned errors)
{
    unsigned tc = count_of(text, "<testcase "), fl = count_of(text, "<failure "), er = count_of(text, "<error ");
    char head[128];
    unsigned t = 0, f = 0, e = 0;
    const char *ts = strstr(text, "<testsuites ");
    if (ts) {
        snprintf(head, sizeof head, "%s", ts);
        const char *p;
        if ((p = strstr(head, " tests=\""))) t = (unsigned)atoi(p + 8);
        if ((p = strstr(head, " failures=\""))) f = (unsigned)atoi(p + 11);
        if ((p = strstr(head, " errors=\""))) e = (unsigned)atoi(p + 9);
    }
    if (!ts) suite_fail(s, cname, "no <testsuites>");
    else if (fl != findings || f != findings) suite_fail(s, cname, "%u failures (attribute %u), expected %u", fl, f, findings);
    else if (er != errors || e != errors) suite_fail(s, cname, "%u errors (attribute %u), expected %u", er, e, errors);
    else if (t != tc) suite_fail(s, cname, "tests=%u but %u testcases", t, tc);
    else suite_pass(s);
}

/* ---- codeclimate ---- */

/* Checks the GitLab shape; returns the array (caller decrefs) or NULL. */
static json_t *check_codeclimate(suite *s, const char *cname, const char *text)
{
    json_error_t je;
    json_t *a = json_loads(text, 0, &je);
    const char *why = NULL;
    if (!json_is_array(a)) why = "not a JSON array";
    size_t i;
    json_t *v;
    if (!why) json_array_foreach(a, i, v) {
        const char *sev = json_string_value(json_object_get(v, "severity"));
        const char *fp = json_string_value(json_object_get(v, "fingerprint"));
        json_t *loc = json_object_get(v, "location");
        if (!json_is_string(json_object_get(v, "description")) || !json_is_string(json_object_get(v, "check_name")))
            why = "description/check_name missing";
        else if (!sev || (strcmp(sev, "blocker") && strcmp(sev, "critical") && strcmp(sev, "major") &&
                          strcmp(sev, "minor") && strcmp(sev, "info")))
            why = "severity is not a Code Climate severity";
        else if (!fp || strlen(fp) < 16) why = "fingerprint missing or short";
        else if (!json_is_string(json_object_get(loc, "path")) ||
                 !is_pos_int(json_object_get(json_object_get(loc, "lines"), "begin")))
            why = "location.path / location.lines.begin missing";
        if (why) break;
        for (size_t k = 0; k < i && !why; k++)
            if (!strcmp(fp, json_string_value(json_object_get(json_array_get(a, k), "fingerprint"))))
                why = "two issues share a fingerprint";
        if (why) break;
    }
    if (why) {
        suite_fail(s, cname, "%s", why);
        json_decref(a);
        return NULL;
    }
    suite_pass(s);
    return a;
}

static const char *fp_at(json_t *a, size_t i)
{
    return json_string_value(json_object_get(json_array_get(a, i), "fingerprint"));
}

static json_int_t begin_at(json_t *a, size_t i)
{
    return json_integer_value(json_object_get(json_object_get(json_object_get(json_array_get(a, i), "location"), "lines"), "begin"));
}

static void codeclimate_stability(suite *s)
{
    size_t len;
    char *src = slurp(CASES "/snippets/Dockerfile", &len);
    if (!src) { suite_fail(s, "codeclimate-stable", "fixture missing"); return; }
    char dir[128];
    snprintf(dir, sizeof dir, "%s/edit", tmpdir);
    mkdir(dir, 0700);
    char path[256];
    snprintf(path, sizeof path, "%s/Dockerfile", dir);
    const char *args[] = {"--format", "codeclimate", ".", NULL};

    json_t *runs[4] = {0};
    for (int k = 0; k < 4; k++) {
        FILE *f = fopen(path, "wb");
        if (!f) break;
        if (k == 2) fputs("# a comment added above the findings\n\n", f);
        if (k == 3) {
            /* the tab-indented RUNN line changes: only its fingerprint may change */
            char *p = strstr(src, "apk add curl");
            fwrite(src, 1, (size_t)(p - src), f);
            fputs("apk add wget", f);
            fputs(p + 12, f);
        } else {
            fwrite(src, 1, len, f);
        }
        fclose(f);
        char *out = NULL;
        run_check(dir, args, &out, NULL);
        runs[k] = check_codeclimate(s, "codeclimate-stable", out);
        free(out);
    }
    if (runs[0] && runs[1] && runs[2] && runs[3]) {
        size_t n = json_array_size(runs[0]);
        bool same = n > 0 && json_array_size(runs[1]) == n && json_array_size(runs[2]) == n && json_array_size(runs[3]) == n;
        for (size_t i = 0; same && i < n; i++) same = !strcmp(fp_at(runs[0], i), fp_at(runs[1], i));
        if (same) suite_pass(s);
        else suite_fail(s, "codeclimate-stable", "fingerprints differ between two runs");
        bool moved = n > 0 && json_array_size(runs[2]) == n;
        for (size_t i = 0; moved && i < n; i++)
            moved = !strcmp(fp_at(runs[0], i), fp_at(runs[2], i)) && begin_at(runs[2], i) == begin_at(runs[0], i) + 2;
        if (moved) suite_pass(s);
        else suite_fail(s, "codeclimate-stable", "an edit above the findings changed a fingerprint");
        unsigned changed = 0;
        for (size_t i = 0; i < n && json_array_size(runs[3]) == n; i++) changed += strcmp(fp_at(runs[0], i), fp_at(runs[3], i)) != 0;
        if (changed == 1) suite_pass(s);
        else suite_fail(s, "codeclimate-stable", "editing one offending line changed %u fingerprints, expected 1", changed);
    }
    for (int k = 0; k < 4; k++) json_decref(runs[k]);
    unlink(path);
    rmdir(dir);
    free(src);
}

/* ---- github, sonarqube, hadolint ---- */

static void check_github(suite *s, const char *cname, const char *text, unsigned expect_lines)
{
    unsigned n = 0;
    const char *why = NULL;
    for (const char *p = text; *p && !why; n++) {
        const char *nl = strchr(p, '\n');
        if (!nl) { why = "the last line has no newline"; break; }
        if (strncmp(p, "::error ", 8) && strncmp(p, "::warning ", 10) && strncmp(p, "::notice ", 9)) why = "a line is not ::error/::warning/::notice";
        const char *sep = strstr(p, "::");
        sep = sep ? strstr(sep + 2, "::") : NULL;
        if (!why && (!sep || sep > nl)) why = "a line has no `::` before its message";
        const char *title = strstr(p, "title=");
        if (!why && (!title || title > nl)) why = "a line has no title";
        for (const char *q = p; !why && q < nl; q++)
            if (*q == '\r' || *q == '\x1b') why = "a raw CR or ESC in a line";
        p = nl + 1;
    }
    if (!why && n != expect_lines) why = "wrong number of annotations";
    if (why) suite_fail(s, cname, "%s (%u lines)", why, n);
    else suite_pass(s);
}

static void check_sonarqube(suite *s, const char *cname, const char *text, size_t expect)
{
    json_t *root = json_loads(text, 0, NULL);
    json_t *issues = json_object_get(root, "issues");
    const char *why = !json_is_array(issues) ? "no issues array" : json_array_size(issues) != expect ? "wrong issue count" : NULL;
    size_t i;
    json_t *v;
    if (!why) json_array_foreach(issues, i, v) {
        const char *sev = json_string_value(json_object_get(v, "severity"));
        const char *type = json_string_value(json_object_get(v, "type"));
        json_t *pl = json_object_get(v, "primaryLocation");
        json_t *tr = json_object_get(pl, "textRange");
        if (strcmp(str_or(json_string_value(json_object_get(v, "engineId"))), "dockwright") ||
            !json_is_string(json_object_get(v, "ruleId")))
            why = "engineId/ruleId";
        else if (!sev || !strstr(" BLOCKER CRITICAL MAJOR MINOR INFO ", sev) || !type ||
                 !strstr(" BUG VULNERABILITY CODE_SMELL ", type))
            why = "severity/type";
        else if (!json_is_string(json_object_get(pl, "message")) || !json_is_string(json_object_get(pl, "filePath")))
            why = "primaryLocation.message/filePath";
        else if (!is_pos_int(json_object_get(tr, "startLine")) || !is_pos_int(json_object_get(tr, "endLine")))
            why = "textRange lines";
        else if (json_object_get(tr, "startColumn")) {
            json_int_t sl = json_integer_value(json_object_get(tr, "startLine")), el = json_integer_value(json_object_get(tr, "endLine"));
            json_int_t sc = json_integer_value(json_object_get(tr, "startColumn")), ec = json_integer_value(json_object_get(tr, "endColumn"));
            if (sc < 0 || ec < 0) why = "columns must be 0-based (>= 0)";
            else if (sl == el && ec <= sc) why = "an empty or reversed range (Sonar refuses them)";
        }
        if (why) break;
    }
    json_decref(root);
    if (why) suite_fail(s, cname, "%s", why);
    else suite_pass(s);
}

static void check_hadolint(suite *s, const char *cname, const char *text, size_t expect)
{
    static const char *const keys[] = {"code", "column", "file", "level", "line", "message"};
    json_t *a = json_loads(text, 0, NULL);
    const char *why = !json_is_array(a) ? "not an array" : json_array_size(a) != expect ? "wrong count" : NULL;
    size_t i;
    json_t *v;
    if (!why) json_array_foreach(a, i, v) {
        void *it = json_object_iter(v);
        for (int k = 0; k < 6 && !why; k++, it = json_object_iter_next(v, it))
            if (!it || strcmp(json_object_iter_key(it), keys[k])) why = "keys are not code,column,file,level,line,message in order";
        if (!why && it) why = "an extra key";
        const char *lv = json_string_value(json_object_get(v, "level"));
        if (!why && (!lv || !strstr(" error warning info style ", lv))) why = "level";
        if (!why && (!is_pos_int(json_object_get(v, "line")) || !is_pos_int(json_object_get(v, "column")))) why = "line/column";
        if (why) break;
    }
    json_decref(a);
    if (why) suite_fail(s, cname, "%s", why);
    else suite_pass(s);
}

/* ---- the parts of the suite ---- */

/* A finding at the end of a 300 KB line: the rows stay short and show it. */
static void tty_long_line(suite *s)
{
    char dir[128], path[200];
    snprintf(dir, sizeof dir, "%s/long", tmpdir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/Dockerfile", dir);
    FILE *f = fopen(path, "wb");
    if (!f) { suite_fail(s, "tty-long-line", "cannot write %s", path); return; }
    fputs("FROM alpine:3.20\nCOPY --chown=", f);
    for (int i = 0; i < 100000; i++) fputs("\xc3\xa9" "a", f); /* "éa": 2 columns, 3 bytes */
    fputs(" --chmod 644 a /b/\n", f);
    fclose(f);
    const char *args[] = {"--format", "tty", "--color=never", ".", NULL};
    char *out = NULL;
    run_check(dir, args, &out, NULL);
    size_t longest = 0;
    for (const char *p = out, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        /* the first line of a finding carries the message, which may quote the line */
        if (!strstr(p, ": error: ") || strstr(p, ": error: ") > nl)
            if ((size_t)(nl - p) > longest) longest = (size_t)(nl - p);
    }
    const char *row = strstr(out, "2 | ...");
    const char *marks = row ? strstr(row, "\n  |") : NULL;
    if (row && strstr(row, "--chmod 644 a /b/") && marks && strstr(marks, "^^^^^^^") && longest < 400)
        suite_pass(s);
    else
        suite_fail(s, "tty-long-line", "the row around the finding is missing or too long (%zu bytes)", longest);
    free(out);
    unlink(path);
    rmdir(dir);
}

static void tty_goldens(suite *s)
{
    for (size_t i = 0; i < sizeof cli_cases / sizeof *cli_cases; i++) {
        char dir[256], exp[300], cname[128];
        snprintf(dir, sizeof dir, CASES "/%s", cli_cases[i]);
        snprintf(exp, sizeof exp, "%s/expected.out", dir);
        snprintf(cname, sizeof cname, "%s/expected.out", cli_cases[i]);
        char *never = NULL, *nocolor = NULL, *always = NULL, *forced = NULL, *piped = NULL, *gnu = NULL;
        size_t nlen;
        const char *a_never[] = {"--format", "tty", "--color=never", ".", NULL};
        const char *a_auto[] = {"--format", "tty", ".", NULL};
        const char *a_always[] = {"--format=tty", "--color", "always", ".", NULL};
        const char *a_pipe[] = {".", NULL};
        const char *a_gnu[] = {"--format", "gnu", ".", NULL};
        run_check(dir, a_never, &never, &nlen);
        golden(s, cname, exp, never, nlen);

        env_put("NO_COLOR", "1");
        env_put("CLICOLOR_FORCE", "1"); /* NO_COLOR wins over it */
        run_check(dir, a_auto, &nocolor, NULL);
        env_put("NO_COLOR", NULL);
        run_check(dir, a_auto, &forced, NULL);
        env_put("CLICOLOR_FORCE", NULL);
        run_check(dir, a_always, &always, NULL);
        run_check(dir, a_pipe, &piped, NULL);
        run_check(dir, a_gnu, &gnu, NULL);

        if (!strcmp(nocolor, never)) suite_pass(s);
        else suite_fail(s, cname, "NO_COLOR=1 (with CLICOLOR_FORCE=1) differs from --color=never");
        if (has_escape(forced)) suite_pass(s);
        else suite_fail(s, cname, "CLICOLOR_FORCE=1 gave no colour");
        char *stripped = strip_sgr(always);
        if (has_escape(always) && !strcmp(stripped, never)) suite_pass(s);
        else suite_fail(s, cname, "--color=always minus its escape sequences differs from --color=never");
        free(stripped);
        if (!has_escape(piped) && !strcmp(piped, gnu)) suite_pass(s);
        else suite_fail(s, cname, "the default format through a pipe is not plain GNU lines");
        /* the GNU lines are the first lines of the tty findings */
        bool all = *gnu != 0;
        for (char *p = gnu, *nl; all && (nl = strchr(p, '\n')); p = nl + 1) {
            *nl = 0;
            char *hit = strstr(never, p);
            all = hit && (hit == never || hit[-1] == '\n');
            *nl = '\n';
        }
        if (all) suite_pass(s);
        else suite_fail(s, cname, "a GNU line is not a line of the tty report");
        free(never);
        free(nocolor);
        free(forced);
        free(always);
        free(piped);
        free(gnu);
    }
}

static void cli_formats(suite *s)
{
    const char *fmts[] = {"json", "sarif", "checkstyle", "junit", "codeclimate", "github", "sonarqube", "hadolint"};
    char *out[8] = {0};
    int rc[8];
    for (int k = 0; k < 8; k++) {
        const char *args[] = {"--format", fmts[k], CASES, MISSING, NULL};
        rc[k] = run_check(NULL, args, &out[k], NULL);
        if (rc[k] != 2) suite_fail(s, fmts[k], "exit status %d with an unreadable path, expected 2", rc[k]);
        else suite_pass(s);
    }
    long n = check_json_report(s, "cli/json", out[0], 1);
    if (n >= 0) {
        json_t *root = json_loads(out[0], 0, NULL);
        json_t *e = json_array_get(json_object_get(root, "errors"), 0);
        if (!strcmp(str_or(json_string_value(json_object_get(e, "file"))), MISSING)) suite_pass(s);
        else suite_fail(s, "cli/json", "errors[0].file is not the unreadable path");
        if (json_integer_value(json_object_get(json_object_get(root, "summary"), "files")) == 3) suite_pass(s);
        else suite_fail(s, "cli/json", "summary.files is not 3");
        json_decref(root);
    }
    validate_sarif(s, "cli/sarif", out[1]);
    json_t *sarif = json_loads(out[1], 0, NULL);
    json_t *run = json_array_get(json_object_get(sarif, "runs"), 0);
    json_t *inv = json_array_get(json_object_get(run, "invocations"), 0);
    if (n >= 0 && (long)json_array_size(json_object_get(run, "results")) == n &&
        json_array_size(json_object_get(inv, "toolExecutionNotifications")) == 1 &&
        json_is_false(json_object_get(inv, "executionSuccessful")))
        suite_pass(s);
    else
        suite_fail(s, "cli/sarif", "results or toolExecutionNotifications do not match the JSON report");
    json_decref(sarif);
    xml_well_formed(s, "cli/checkstyle", out[2]);
    if (n >= 0 && count_of(out[2], "<error line=") == (unsigned)n && strstr(out[2], "<checkstyle version=\"4.3\">") &&
        strstr(out[2], "name=\"" MISSING "\""))
        suite_pass(s);
    else
        suite_fail(s, "cli/checkstyle", "not one <error> per finding, or the unreadable file is missing");
    xml_well_formed(s, "cli/junit", out[3]);
    if (n >= 0) check_junit(s, "cli/junit", out[3], (unsigned)n, 1);
    json_decref(check_codeclimate(s, "cli/codeclimate", out[4]));
    if (n >= 0) check_github(s, "cli/github", out[5], (unsigned)n + 1);
    if (n >= 0) check_sonarqube(s, "cli/sonarqube", out[6], (size_t)n);
    if (n >= 0) check_hadolint(s, "cli/hadolint", out[7], (size_t)n);
    if (strstr(out[7], "\"code\":\"DL1000\"")) suite_pass(s);
    else suite_fail(s, "cli/hadolint", "a syntax error is not DL1000");
    for (int k = 0; k < 8; k++) free(out[k]);
}

static void synthetic_formats(suite *s)
{
    synthetic x;
    synth_build(&x);
    size_t len;

    char *tty = render(&x.r, DW_FMT_TTY, &len);
    golden(s, "synthetic/expected.tty", CASES "/synthetic/expected.tty", tty, len);
    free(tty);
    x.r.color = true;
    char *col = render(&x.r, DW_FMT_TTY, NULL);
    x.r.color = false;
    char *plain = render(&x.r, DW_FMT_TTY, NULL), *stripped = strip_sgr(col);
    /* the only ESC bytes are our SGR sequences: the message's own escape is gone */
    if (!strcmp(stripped, plain) && !has_escape(plain)) suite_pass(s);
    else suite_fail(s, "synthetic/tty", "colour output minus SGR differs, or an escape from the text got through");
    free(col);
    free(plain);
    free(stripped);

    char *json = render(&x.r, DW_FMT_JSON, NULL);
    check_json_report(s, "synthetic/json", json, 2);
    json_t *root = json_loads(json, 0, NULL);
    json_t *fix = json_object_get(json_array_get(json_object_get(root, "diagnostics"), 0), "fix");
    if (fix && !strcmp(str_or(json_string_value(json_object_get(fix, "applicability"))), "safe")) suite_pass(s);
    else suite_fail(s, "synthetic/json", "the safe fix is missing");
    json_decref(root);
    free(json);

    char *sarif = render(&x.r, DW_FMT_SARIF, NULL);
    validate_sarif(s, "synthetic/sarif", sarif);
    root = json_loads(sarif, 0, NULL);
    json_t *run = json_array_get(json_object_get(root, "runs"), 0);
    json_t *res = json_object_get(run, "results");
    json_t *r1 = json_array_get(res, 1);
    json_t *rep = json_object_get(json_array_get(json_object_get(json_array_get(json_object_get(r1, "fixes"), 0), "artifactChanges"), 0), "replacements");
    json_t *loc0 = json_object_get(json_object_get(json_array_get(json_object_get(json_array_get(res, 0), "locations"), 0), "physicalLocation"), "artifactLocation");
    if (json_array_size(res) == 6 && json_array_size(rep) == 2 &&
        json_array_size(json_object_get(json_array_get(res, 2), "relatedLocations")) == 1 &&
        !strcmp(str_or(json_string_value(json_object_get(loc0, "uri"))), "sub%20dir/Dockerfile") &&
        json_array_size(json_object_get(json_array_get(json_object_get(run, "invocations"), 0), "toolExecutionNotifications")) == 2)
        suite_pass(s);
    else
        suite_fail(s, "synthetic/sarif", "fixes, relatedLocations, uri or notifications are not as expected");
    json_decref(root);
    free(sarif);

    char *cs = render(&x.r, DW_FMT_CHECKSTYLE, NULL);
    xml_well_formed(s, "synthetic/checkstyle", cs);
    if (strstr(cs, "<file name=\"clean/Dockerfile\"/>") && strstr(cs, "bad &lt;xml&gt; &amp; &quot;q&quot; &apos;a&apos;") &&
        strstr(cs, "severity=\"info\"") && !has_escape(cs))
        suite_pass(s);
    else
        suite_fail(s, "synthetic/checkstyle", "escaping, the clean file or the style→info mapping is wrong");
    free(cs);

    char *ju = render(&x.r, DW_FMT_JUNIT, NULL);
    xml_well_formed(s, "synthetic/junit", ju);
    check_junit(s, "synthetic/junit", ju, 6, 2);
    if (strstr(ju, "<testcase name=\"no problems\" classname=\"clean/Dockerfile\"")) suite_pass(s);
    else suite_fail(s, "synthetic/junit", "the clean file has no passing testcase");
    free(ju);

    char *cc = render(&x.r, DW_FMT_CODECLIMATE, NULL);
    json_t *issues = check_codeclimate(s, "synthetic/codeclimate", cc);
    if (issues && !strcmp(str_or(json_string_value(json_object_get(json_object_get(json_array_get(issues, 0), "location"), "path"))),
                          "sub dir/Dockerfile"))
        suite_pass(s);
    else
        suite_fail(s, "synthetic/codeclimate", "location.path is not the path without ./");
    json_decref(issues);
    free(cc);

    char *gh = render(&x.r, DW_FMT_GITHUB, NULL);
    check_github(s, "synthetic/github", gh, 8);
    if (strstr(gh, "::notice file=sub dir/Dockerfile,line=6,col=19,endLine=6,endColumn=28,title=stage-name-casing::"
                   "bad <xml> & \"q\" 'a' 100%25, a:b ") &&
        strstr(gh, "line%0Abreak%0Ahelp: a %25 help, with: colons\n") &&
        strstr(gh, "::notice file=sub dir/Dockerfile,line=3,endLine=4,title=x-made-up-rule::make runs twice\n") &&
        strstr(gh, "::error file=missing/Dock&erfile,title=dockwright::No such file or directory\n") &&
        strstr(gh, "::error title=dockwright::unknown option '--bogus'\n"))
        suite_pass(s);
    else
        suite_fail(s, "synthetic/github", "escaping or properties are wrong:\n%s", gh);
    free(gh);

    char *sq = render(&x.r, DW_FMT_SONARQUBE, NULL);
    check_sonarqube(s, "synthetic/sonarqube", sq, 6);
    root = json_loads(sq, 0, NULL);
    json_t *tr = json_object_get(json_object_get(json_array_get(json_object_get(root, "issues"), 0), "primaryLocation"), "textRange");
    /* MAINTAINER … on line 2 from column 0 to 26 */
    if (json_integer_value(json_object_get(tr, "startColumn")) == 0 && json_integer_value(json_object_get(tr, "endColumn")) == 26 &&
        json_integer_value(json_object_get(tr, "startLine")) == 2)
        suite_pass(s);
    else
        suite_fail(s, "synthetic/sonarqube", "columns are not 0-based offsets");
    json_decref(root);
    free(sq);

    char *hd = render(&x.r, DW_FMT_HADOLINT, NULL);
    check_hadolint(s, "synthetic/hadolint", hd, 6);
    const dw_rule *m = dw_rule_by_slug("maintainer-deprecated");
    bool want_dl = m && dw_rule_has_alias(m, "DL4000", 6);
    if ((!want_dl || strstr(hd, "\"code\":\"DL4000\"")) && strstr(hd, "\"code\":\"x-made-up-rule\""))
        suite_pass(s);
    else
        suite_fail(s, "synthetic/hadolint", "code is not the DL alias / the slug");
    free(hd);

    synth_free(&x);
}

void suite_output_formats(void)
{
    suite s;
    suite_begin(&s, "output-formats");
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dw-output-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        suite_fail(&s, "setup", "mkdtemp: %s", strerror(errno));
        suite_end(&s);
        return;
    }
    env_save();
    tty_goldens(&s);
    tty_long_line(&s);
    cli_formats(&s);
    codeclimate_stability(&s);
    synthetic_formats(&s);
    env_restore();
    char p[128];
    snprintf(p, sizeof p, "%s/report.sarif", tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/report.xml", tmpdir);
    unlink(p);
    rmdir(tmpdir);
    suite_end(&s);
}
