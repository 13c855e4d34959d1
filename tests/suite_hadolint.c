/* suite_hadolint.c — the hadolint-rules suite: every row of
 * ../shared/corpus/hadolint-rules/cases.tsv (hadolint's own rule tests),
 * judged as ../shared/spec/conformance.md says. For each row the Dockerfile
 * text (C-unescaped, plus a final newline) is written as `Dockerfile` in a
 * temporary folder, the `config` column (JSON, which is valid YAML) as
 * `.hadolint.yaml` when it is not `{}`, and
 * `dockwright check --format json --enable RULE Dockerfile` runs there, so
 * the hadolint config is read the way a migrating user's would be.
 *
 *  - `catches` passes when a diagnostic has RULE as its rule or an alias,
 *    `not` when none does; the `count` column is not asserted;
 *  - `*` rows (no --enable) pass when no diagnostic carries a DL alias;
 *  - `SC*` rows are skipped: they need --shellcheck;
 *  - rows whose DL code is no rule of ours yet are skipped;
 *  - rows listed in tests/KNOWN-GAPS.md as "cases.tsv line N" are
 *    deliberate deviations: skipped, and noted when they start agreeing.
 *
 * After the rows, the failures are summed up per code, with how many of
 * them need a config file, to help debugging. */
#include "runner.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockwright.h"

/* Decodes the corpus escapes (\n, \t, \r, \\; anything else is kept). */
static char *c_unescape(const char *s, size_t n, size_t *outlen)
{
    char *o = malloc(n + 2);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[i + 1];
            if (c == 'n') { o[k++] = '\n'; i++; continue; }
            if (c == 't') { o[k++] = '\t'; i++; continue; }
            if (c == 'r') { o[k++] = '\r'; i++; continue; }
            if (c == '\\') { o[k++] = '\\'; i++; continue; }
        }
        o[k++] = s[i];
    }
    o[k++] = '\n'; /* hadolint's harness appends one */
    o[k] = 0;
    *outlen = k;
    return o;
}

static bool write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* The TSV line numbers KNOWN-GAPS.md lists as deliberate deviations
 * ("cases.tsv line N"), as a bitmap indexed by line. */
static unsigned char *known_gaps(size_t nlines)
{
    unsigned char *gap = calloc(nlines + 1, 1);
    char *doc = slurp("tests/KNOWN-GAPS.md", NULL);
    if (!doc) return gap;
    const char *key = "cases.tsv line ";
    for (const char *p = strstr(doc, key); p; p = strstr(p + 1, key)) {
        /* "line 29" or "lines 29, 31 and 40" style lists are not used: one per mention */
        long n = strtol(p + strlen(key), NULL, 10);
        if (n > 0 && (size_t)n <= nlines) gap[n] = 1;
    }
    free(doc);
    return gap;
}

/* True when diagnostic `d` is rule `code`'s (by slug or alias). */
static bool diag_is(json_t *d, const char *code)
{
    const char *rule = json_string_value(json_object_get(d, "rule"));
    if (rule && !strcasecmp(rule, code)) return true;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(d, "aliases"), i, a) {
        const char *s = json_string_value(a);
        if (!s) continue;
        if (!strcmp(code, "*") ? (s[0] == 'D' && s[1] == 'L') : !strcasecmp(s, code)) return true;
    }
    return false;
}

typedef struct {
    char code[16];
    int failed, config;
} code_count;

static void count_failure(code_count *v, int *n, const char *code, bool needs_config)
{
    int i = 0;
    while (i < *n && strcmp(v[i].code, code)) i++;
    if (i == *n) {
        if (*n == 128) return;
        snprintf(v[i].code, sizeof v[i].code, "%s", code);
        v[i].failed = v[i].config = 0;
        (*n)++;
    }
    v[i].failed++;
    v[i].config += needs_config;
}

/* The environment a user's own config could come from, cleared while the
 * suite runs so only the row's .hadolint.yaml is read. */
static const char *const hermetic_vars[] = {"HOME", "XDG_CONFIG_HOME"};

void suite_hadolint_rules(void)
{
    suite s;
    suite_begin(&s, "hadolint-rules");
    const char *cp = corpus_path("hadolint-rules/cases.tsv");
    size_t len;
    char *tsv = cp ? slurp(cp, &len) : NULL;
    if (!tsv) {
        suite_skip(&s, 1, "corpus hadolint-rules not found");
        suite_end(&s);
        return;
    }
    size_t nlines = 0;
    for (size_t i = 0; i < len; i++) nlines += tsv[i] == '\n';
    unsigned char *gap = known_gaps(nlines + 1);

    char dir[] = "/tmp/dw-hadolint-XXXXXX";
    if (!mkdtemp(dir)) {
        suite_fail(&s, "setup", "cannot create a temporary folder");
        free(tsv);
        free(gap);
        suite_end(&s);
        return;
    }
    char dockerfile[128], config[128], home[128];
    snprintf(dockerfile, sizeof dockerfile, "%s/Dockerfile", dir);
    snprintf(config, sizeof config, "%s/.hadolint.yaml", dir);
    snprintf(home, sizeof home, "%s/home", dir);
    mkdir(home, 0700);
    char *saved[2];
    for (int k = 0; k < 2; k++) {
        const char *v = getenv(hermetic_vars[k]);
        saved[k] = v ? strdup(v) : NULL;
        setenv(hermetic_vars[k], home, 1);
    }

    code_count fails[128];
    int nfails = 0, sc_skipped = 0, unknown_skipped = 0, gaps_skipped = 0, config_failed = 0;
    char unknown_codes[512] = "";
    size_t lineno = 0;
    for (char *line = tsv, *next; line && *line; line = next) {
        /* one row per line; line numbers match the file's for KNOWN-GAPS.md */
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        lineno++;
        if (lineno == 1 || !*line) continue; /* header */
        char *col[8] = {0};
        int nc = 0;
        for (char *p = line; nc < 8;) {
            col[nc++] = p;
            char *t = strchr(p, '\t');
            if (!t) break;
            *t = 0;
            p = t + 1;
        }
        if (nc < 6) { suite_fail(&s, "cases.tsv", "line %zu has %d columns", lineno, nc); continue; }
        const char *code = col[0], *expect = col[1], *cfg = col[5];
        bool catches = !strcmp(expect, "catches");
        bool needs_config = strcmp(cfg, "{}") != 0;
        if (!strncmp(code, "SC", 2)) { sc_skipped++; continue; }
        bool any = !strcmp(code, "*");
        if (!any) {
            const dw_rule *r[8];
            if (!dw_rules_named(code, r, 8)) {
                if (!strstr(unknown_codes, code) && strlen(unknown_codes) + strlen(code) + 2 < sizeof unknown_codes) {
                    if (*unknown_codes) strcat(unknown_codes, " ");
                    strcat(unknown_codes, code);
                }
                unknown_skipped++;
                continue;
            }
        }
        size_t tlen;
        char *text = c_unescape(col[2], strlen(col[2]), &tlen);
        char name[64];
        snprintf(name, sizeof name, "cases.tsv line %zu %s %s", lineno, code, expect);
        if (!write_file(dockerfile, text, tlen) || (needs_config && !write_file(config, cfg, strlen(cfg)))) {
            suite_fail(&s, name, "cannot write the case files");
            free(text);
            continue;
        }
        if (!needs_config) unlink(config);
        char *argv[] = {(char *)dw_binary(), "check", "--format", "json", "--enable", (char *)code, "Dockerfile", NULL};
        if (any) { argv[4] = "Dockerfile"; argv[5] = NULL; }
        char *out = NULL, *err = NULL;
        int rc = run_capture(dir, argv, &out, NULL, &err, NULL);
        json_error_t je;
        json_t *j = rc == 0 || rc == 1 ? json_loads(out, 0, &je) : NULL;
        if (!j) {
            if (rc == 2 && err && strstr(err, "unknown rule")) {
                unknown_skipped++;
            } else {
                suite_fail(&s, name, "dockwright exited %d: %.300s", rc, err && *err ? err : out ? out : "");
                count_failure(fails, &nfails, code, needs_config);
                config_failed += needs_config;
            }
            free(out);
            free(err);
            free(text);
            continue;
        }
        bool found = false;
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(j, "diagnostics"), i, d) found |= diag_is(d, code);
        bool ok = found == catches;
        if (gap[lineno]) {
            gaps_skipped++;
            if (ok) printf("  [hadolint-rules] note: known gap %s now agrees with hadolint\n", name);
        } else if (ok) {
            suite_pass(&s);
        } else {
            /* show the text on one line, escaped as in the corpus */
            suite_fail(&s, name, "%s%s: %.200s", catches ? "no finding" : "unexpected finding",
                       needs_config ? " (needs the config file)" : "", col[2]);
            count_failure(fails, &nfails, code, needs_config);
            config_failed += needs_config;
        }
        json_decref(j);
        free(out);
        free(err);
        free(text);
    }
    if (sc_skipped) {
        char why[64];
        snprintf(why, sizeof why, "ShellCheck rows (need --shellcheck)");
        suite_skip(&s, sc_skipped, why);
    }
    if (unknown_skipped) {
        char why[600];
        snprintf(why, sizeof why, "rows of codes that are no rule yet: %s", unknown_codes);
        suite_skip(&s, unknown_skipped, why);
    }
    if (gaps_skipped) suite_skip(&s, gaps_skipped, "deliberate deviations listed in tests/KNOWN-GAPS.md");
    if (nfails) {
        printf("  [hadolint-rules] failures by code (of which need a config file):");
        for (int k = 0; k < nfails; k++) printf(" %s %d (%d)", fails[k].code, fails[k].failed, fails[k].config);
        printf("\n  [hadolint-rules] %d of the %d failures need .hadolint.yaml to be read\n", config_failed, s.failed);
    }

    for (int k = 0; k < 2; k++) {
        if (saved[k]) setenv(hermetic_vars[k], saved[k], 1);
        else unsetenv(hermetic_vars[k]);
        free(saved[k]);
    }
    unlink(dockerfile);
    unlink(config);
    rmdir(home);
    rmdir(dir);
    free(gap);
    free(tsv);
    suite_end(&s);
}
