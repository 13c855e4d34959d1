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
 *  - `SC*` rows run `dockwright check --format json --shellcheck Dockerfile`
 *    when shellcheck is installed (else they are skipped with a notice):
 *    `catches` passes when some finding carries an SCxxxx alias, `not`
 *    when none does;
 *  - rows whose DL code is no rule of ours yet are skipped;
 *  - rows listed in tests/KNOWN-GAPS.md as "cases.tsv line N" are
 *    deliberate deviations: skipped, and noted when they start agreeing.
 *
 * After the rows, the failures are summed up per code, with how many of
 * them need a config file, to help debugging. Then the ShellCheck pass's
 * own checks (sc_checks): SC codes disabled from .hadolint.yaml and
 * .dockwright.yaml, `shellcheck: true`, one process per Dockerfile and none
 * by default, a missing binary, a hung one and one printing garbage. */
#include "runner.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockwright.h"

/* The corpus text (corpus_unescape) and the newline hadolint's harness appends. */
static char *c_unescape(const char *s, size_t n, size_t *outlen)
{
    char *o = corpus_unescape(s, n, outlen);
    o[(*outlen)++] = '\n';
    o[*outlen] = 0;
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

/* ---- ShellCheck (the SC parts) ---- */

/* True when diagnostic `d` carries a ShellCheck code (SCxxxx alias). */
static bool diag_is_sc(json_t *d, const char *only)
{
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(d, "aliases"), i, a) {
        const char *s = json_string_value(a);
        if (s && s[0] == 'S' && s[1] == 'C' && s[2] >= '0' && s[2] <= '9' && (!only || !strcmp(s, only))) return true;
    }
    return false;
}

/* Runs dockwright in `dir` with argv (after the binary); returns the
 * number of findings with ShellCheck code `code` (NULL: any SC code), or -1
 * when the output is not JSON. *err gets stderr when err is not NULL. */
static int sc_count(const char *dir, char **args, const char *code, int *rc, char **err)
{
    char *argv[16] = {(char *)dw_binary()};
    int ac = 1;
    while (args[ac - 1] && ac < 15) { argv[ac] = args[ac - 1]; ac++; }
    argv[ac] = NULL;
    char *out = NULL, *e = NULL;
    *rc = run_capture(dir, argv, &out, NULL, &e, NULL);
    json_error_t je;
    json_t *j = out ? json_loads(out, 0, &je) : NULL;
    int n = j ? 0 : -1;
    size_t i;
    json_t *d;
    if (j) json_array_foreach(json_object_get(j, "diagnostics"), i, d) n += diag_is_sc(d, code);
    json_decref(j);
    free(out);
    if (err) *err = e;
    else free(e);
    return n;
}

static void put_file(const char *dir, const char *name, const char *text, int mode)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    write_file(p, text, strlen(text));
    if (mode) chmod(p, (mode_t)mode);
}

static void rm_file(const char *dir, const char *name)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    unlink(p);
}

/* Sets an environment variable for the next runs; returns the old value
 * (malloc'd) for restore_env. */
static char *swap_env(const char *name, const char *value)
{
    const char *old = getenv(name);
    char *saved = old ? strdup(old) : NULL;
    if (value) setenv(name, value, 1);
    else unsetenv(name);
    return saved;
}

static void restore_env(const char *name, char *saved)
{
    if (saved) setenv(name, saved, 1);
    else unsetenv(name);
    free(saved);
}

/* The ShellCheck pass beyond the corpus rows, in a fresh folder `dir`. */
static void sc_checks(suite *s, const char *dir, bool have)
{
    put_file(dir, "Dockerfile", "FROM debian:12\nRUN echo $foo\nRUN echo $bar\nUSER nobody\n", 0);
    int rc, n;
    char *err = NULL;
    if (have) {
        /* hadolint's `ignored:` names SC codes */
        put_file(dir, ".hadolint.yaml", "ignored: [SC2086]\n", 0);
        char *a1[] = {"check", "--format", "json", "--shellcheck", "Dockerfile", NULL};
        int n86 = sc_count(dir, a1, "SC2086", &rc, NULL), n154 = sc_count(dir, a1, "SC2154", &rc, NULL);
        if (n86 == 0 && n154 == 2) suite_pass(s);
        else suite_fail(s, "sc .hadolint.yaml ignored: [SC2086]", "SC2086 %d (want 0), SC2154 %d (want 2)", n86, n154);
        rm_file(dir, ".hadolint.yaml");
        /* ours: `shellcheck: true` turns it on, `rules:` takes codes */
        put_file(dir, ".dockwright.yaml", "shellcheck: true\nrules:\n  SC2154: off\n", 0);
        char *a2[] = {"check", "--format", "json", "Dockerfile", NULL};
        n86 = sc_count(dir, a2, "SC2086", &rc, NULL);
        n154 = sc_count(dir, a2, "SC2154", &rc, NULL);
        if (n86 == 2 && n154 == 0) suite_pass(s);
        else suite_fail(s, "sc .dockwright.yaml shellcheck: true + SC2154: off", "SC2086 %d (want 2), SC2154 %d (want 0)", n86, n154);
        /* --severity takes a code; the others keep ShellCheck's level */
        char *a3[] = {"check", "--format", "json", "--no-config", "--shellcheck", "--severity", "SC2086=error", "-t", "error", "Dockerfile", NULL};
        n = sc_count(dir, a3, NULL, &rc, NULL);
        if (rc == 1 && n == 4) suite_pass(s);
        else suite_fail(s, "sc --severity SC2086=error", "exit %d (want 1), %d SC findings (want 4)", rc, n);
        rm_file(dir, ".dockwright.yaml");
    } else {
        suite_skip(s, 3, "ShellCheck config checks: shellcheck is not installed");
    }

    /* a fake shellcheck, to see when and how often it runs: it appends a
     * line to $DW_SC_LOG and answers with no findings (or misbehaves) */
    char bindir[512], log[600];
    snprintf(bindir, sizeof bindir, "%s/bin", dir);
    snprintf(log, sizeof log, "%s/calls.log", dir);
    mkdir(bindir, 0700);
    put_file(bindir, "shellcheck",
             "#!/bin/sh\n"
             "echo \"$*\" >> \"$DW_SC_LOG\"\n"
             "case \"$DW_SC_MODE\" in\n"
             "  hang) exec sleep 30 ;;\n"
             "  garbage) echo 'no JSON here'; echo 'it broke' >&2; exit 1 ;;\n"
             "esac\n"
             "echo '{\"comments\":[]}'\n",
             0700);
    /* the fake comes first; the rest of PATH still gives it `sleep` */
    char fakepath[8192];
    snprintf(fakepath, sizeof fakepath, "%s:%s:/usr/bin:/bin", bindir, getenv("PATH") ? getenv("PATH") : "");
    char *old_path = swap_env("PATH", fakepath);
    char *old_log = swap_env("DW_SC_LOG", log);
    char *old_mode = swap_env("DW_SC_MODE", NULL);
    char *old_to = swap_env("DW_SHELLCHECK_TIMEOUT", NULL);
    size_t loglen = 0;
    char *calls;

    /* off by default: no process at all */
    unlink(log);
    char *a4[] = {"check", "--format", "json", "--no-config", "Dockerfile", NULL};
    n = sc_count(dir, a4, NULL, &rc, NULL);
    calls = slurp(log, &loglen);
    if (!calls && rc == 0 && n == 0) suite_pass(s);
    else suite_fail(s, "sc off by default", "shellcheck ran (%s) or exit %d", calls ? calls : "no", rc);
    free(calls);

    /* --shellcheck: one process for the file's two RUNs, no shell, our own
     * file names only */
    unlink(log);
    char *a5[] = {"check", "--format", "json", "--no-config", "--shellcheck", "Dockerfile", NULL};
    n = sc_count(dir, a5, NULL, &rc, NULL);
    calls = slurp(log, &loglen);
    int lines = 0;
    for (size_t i = 0; calls && i < loglen; i++) lines += calls[i] == '\n';
    if (rc == 0 && lines == 1 && strstr(calls, "--format=json1") && strstr(calls, "0.sh") && strstr(calls, "1.sh"))
        suite_pass(s);
    else suite_fail(s, "sc one process per Dockerfile", "exit %d, calls: %s", rc, calls ? calls : "none");
    free(calls);

    /* a hung shellcheck is stopped at the timeout */
    setenv("DW_SC_MODE", "hang", 1);
    setenv("DW_SHELLCHECK_TIMEOUT", "0.5", 1);
    n = sc_count(dir, a5, NULL, &rc, &err);
    if (rc == 0 && n == 0 && err && strstr(err, "timed out")) suite_pass(s);
    else suite_fail(s, "sc timeout", "exit %d, stderr: %s", rc, err ? err : "");
    free(err);

    /* garbage instead of JSON: said on stderr, no findings, no failure */
    setenv("DW_SC_MODE", "garbage", 1);
    n = sc_count(dir, a5, NULL, &rc, &err);
    if (rc == 0 && n == 0 && err && strstr(err, "shellcheck failed (exit 1): it broke")) suite_pass(s);
    else suite_fail(s, "sc garbage output", "exit %d, stderr: %s", rc, err ? err : "");
    free(err);

    /* not installed: skipped, said once on stderr, exit status unchanged */
    rm_file(bindir, "shellcheck");
    setenv("PATH", bindir, 1);
    put_file(dir, "Dockerfile.two", "FROM debian:12\nRUN echo $foo\nUSER nobody\n", 0);
    char *a6[] = {"check", "--format", "json", "--no-config", "--shellcheck", "-j", "2", "Dockerfile", "Dockerfile.two", NULL};
    n = sc_count(dir, a6, NULL, &rc, &err);
    const char *note = "shellcheck is not installed";
    const char *first = err ? strstr(err, note) : NULL;
    if (rc == 0 && n == 0 && first && !strstr(first + 1, note)) suite_pass(s);
    else suite_fail(s, "sc missing binary", "exit %d, %d findings, stderr: %s", rc, n, err ? err : "");
    free(err);

    restore_env("PATH", old_path);
    restore_env("DW_SC_LOG", old_log);
    restore_env("DW_SC_MODE", old_mode);
    restore_env("DW_SHELLCHECK_TIMEOUT", old_to);
    unlink(log);
    rmdir(bindir);
    rm_file(dir, "Dockerfile.two");
    rm_file(dir, "Dockerfile");
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

    bool have_sc = have_shellcheck();
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
        bool sc = !strncmp(code, "SC", 2);
        if (sc && !have_sc) { sc_skipped++; continue; }
        bool any = !strcmp(code, "*");
        if (!any && !sc) {
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
        if (sc) { argv[4] = "--shellcheck"; argv[5] = "Dockerfile"; argv[6] = NULL; }
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
        json_array_foreach(json_object_get(j, "diagnostics"), i, d) found |= sc ? diag_is_sc(d, NULL) : diag_is(d, code);
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
        suite_skip(&s, sc_skipped, "ShellCheck rows: shellcheck is not installed (apt-get install shellcheck)");
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

    unlink(config);
    sc_checks(&s, dir, have_sc);

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
