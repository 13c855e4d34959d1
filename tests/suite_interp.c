/* suite_interp.c — the compose-interpolation suite: every row of
 * ../shared/corpus/compose-interpolation/{cases,derived-edge-cases}.tsv
 * (compose-go's template tests and outputs produced by running its
 * template package), judged as ../shared/spec/conformance.md says:
 *
 *  - unit level: dw_interpolate with the row's variables gives the
 *    expected output, or fails for ERROR rows — with exactly the message
 *    errors.tsv / derived-edge-errors.tsv give for that row;
 *  - through the CLI: a compose.yaml with one service whose environment has
 *    `X: <input as a YAML double-quoted string>`, run as
 *    `dockwright compose-config --format json -f compose.yaml` with exactly
 *    the row's variables as the process environment (`env -i`), prints
 *    services.s.environment.X equal to the expected output, or exits
 *    non-zero for ERROR rows. */
#include "runner.h"
#include "suites.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/compose/compose.h"

typedef struct {
    char *names[32];
    char *values[32];
    int n;
} env;

/* "A=1\nB=" (a literal backslash-n between pairs) */
static void env_parse(env *e, const char *col)
{
    e->n = 0;
    const char *p = col;
    while (*p && e->n < 32) {
        const char *sep = strstr(p, "\\n");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            e->names[e->n] = strndup(p, (size_t)(eq - p));
            e->values[e->n] = strndup(eq + 1, len - (size_t)(eq - p) - 1);
            e->n++;
        }
        p += len + (sep ? 2 : 0);
    }
}

static void env_free(env *e)
{
    for (int i = 0; i < e->n; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
    e->n = 0;
}

static const char *env_lookup(void *ud, const char *name, size_t len)
{
    env *e = ud;
    for (int i = 0; i < e->n; i++)
        if (strlen(e->names[i]) == len && !memcmp(e->names[i], name, len)) return e->values[i];
    return NULL;
}

/* ---- TSV ---- */

typedef struct {
    char *env, *input, *expected;
    int line;
} row;

/* Splits a TSV file into rows of three columns (header skipped). */
static row *read_tsv(const char *path, int *nrows)
{
    char *text = slurp(path, NULL);
    *nrows = 0;
    if (!text) return NULL;
    int cap = 256, n = 0;
    row *rows = malloc(sizeof *rows * (size_t)cap);
    int line = 0;
    for (char *p = text, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) nl = p + strlen(p);
        line++;
        char *c1 = memchr(p, '\t', (size_t)(nl - p));
        char *c2 = c1 ? memchr(c1 + 1, '\t', (size_t)(nl - c1 - 1)) : NULL;
        if (line > 1 && c2) {
            if (n == cap) rows = realloc(rows, sizeof *rows * (size_t)(cap *= 2));
            rows[n].env = strndup(p, (size_t)(c1 - p));
            rows[n].input = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
            rows[n].expected = strndup(c2 + 1, (size_t)(nl - c2 - 1));
            rows[n].line = line;
            n++;
        }
        if (!*nl) break;
    }
    free(text);
    *nrows = n;
    return rows;
}

static void free_rows(row *r, int n)
{
    for (int i = 0; i < n; i++) {
        free(r[i].env);
        free(r[i].input);
        free(r[i].expected);
    }
    free(r);
}

/* The error message errors.tsv gives for (env, input), or NULL. */
static const char *error_for(row *errs, int nerrs, const row *r)
{
    for (int i = 0; i < nerrs; i++)
        if (!strcmp(errs[i].env, r->env) && !strcmp(errs[i].input, r->input)) return errs[i].expected;
    return NULL;
}

/* ---- the unit level ---- */

static void unit_rows(suite *s, const char *file, row *rows, int n, row *errs, int nerrs)
{
    for (int i = 0; i < n; i++) {
        row *r = &rows[i];
        env e;
        env_parse(&e, r->env);
        dw_arena a;
        dw_arena_init(&a);
        dw_str out = {0};
        dw_interp_error err = {0};
        dw_interp_ref *refs;
        uint32_t nrefs;
        int rc = dw_interpolate(&a, dw_str_c(r->input), env_lookup, &e, &out, &err, &refs, &nrefs);
        char name[256];
        snprintf(name, sizeof name, "%s line %d", file, r->line);
        bool want_error = !strcmp(r->expected, "ERROR");
        if (want_error) {
            const char *msg = error_for(errs, nerrs, r);
            if (rc == 0) suite_fail(s, name, "%s: expected an error, got \"%.*s\"", r->input, (int)out.len, out.ptr);
            else if (!msg) suite_fail(s, name, "%s: no expected message in the errors file", r->input);
            else if (strcmp(msg, err.message)) suite_fail(s, name, "%s: message \"%s\", expected \"%s\"", r->input, err.message, msg);
            else suite_pass(s);
        } else if (rc != 0) {
            suite_fail(s, name, "%s: error \"%s\", expected \"%s\"", r->input, err.message, r->expected);
        } else if (out.len != strlen(r->expected) || memcmp(out.ptr, r->expected, out.len)) {
            suite_fail(s, name, "%s: got \"%.*s\", expected \"%s\"", r->input, (int)out.len, out.ptr, r->expected);
        } else {
            /* every reference points at a `$` of the input */
            bool spans_ok = true;
            for (uint32_t k = 0; k < nrefs; k++)
                spans_ok &= refs[k].span.start < strlen(r->input) && r->input[refs[k].span.start] == '$' &&
                            refs[k].span.end <= strlen(r->input);
            if (spans_ok) suite_pass(s);
            else suite_fail(s, name, "%s: a reference span does not start at a `$`", r->input);
        }
        dw_arena_free(&a);
        env_free(&e);
    }
}

/* ---- through the CLI ---- */

static void yaml_double_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') fprintf(f, "\\%c", c);
        else if (c < 0x20) fprintf(f, "\\x%02x", c);
        else fputc(c, f);
    }
    fputc('"', f);
}

static void cli_rows(suite *s, const char *file, row *rows, int n)
{
    char tmp[] = "/tmp/dw-interp-XXXXXX";
    if (!mkdtemp(tmp)) {
        suite_fail(s, file, "cannot make a temporary folder");
        return;
    }
    char path[600];
    snprintf(path, sizeof path, "%s/compose.yaml", tmp);
    /* the binary runs in the temporary folder: its absolute path */
    char *bin = realpath(dw_binary(), NULL);
    if (!bin) {
        suite_fail(s, file, "cannot find %s", dw_binary());
        rmdir(tmp);
        return;
    }
    for (int i = 0; i < n; i++) {
        row *r = &rows[i];
        char name[256];
        snprintf(name, sizeof name, "%s line %d (cli)", file, r->line);
        FILE *f = fopen(path, "w");
        if (!f) {
            suite_fail(s, name, "cannot write %s", path);
            continue;
        }
        fputs("services:\n  s:\n    image: busybox\n    environment:\n      X: ", f);
        yaml_double_quoted(f, r->input);
        fputs("\n", f);
        fclose(f);
        env e;
        env_parse(&e, r->env);
        char *argv[48];
        int k = 0;
        argv[k++] = "/usr/bin/env";
        argv[k++] = "-i";
        char *pairs[32];
        for (int j = 0; j < e.n; j++) {
            size_t len = strlen(e.names[j]) + strlen(e.values[j]) + 2;
            pairs[j] = malloc(len);
            snprintf(pairs[j], len, "%s=%s", e.names[j], e.values[j]);
            argv[k++] = pairs[j];
        }
        argv[k++] = bin;
        argv[k++] = "compose-config";
        argv[k++] = "--format";
        argv[k++] = "json";
        argv[k++] = "-f";
        argv[k++] = "compose.yaml";
        argv[k] = NULL;
        char *out = NULL, *err = NULL;
        int rc = run_capture(tmp, argv, &out, NULL, &err, NULL);
        bool want_error = !strcmp(r->expected, "ERROR");
        if (want_error) {
            /* 1: an invalid project (2 would be a usage or I/O problem) */
            if (rc == 1 && *err) suite_pass(s);
            else suite_fail(s, name, "%s: exit %d, expected 1 with a message; stderr: %.200s", r->input, rc, err);
        } else {
            json_error_t je;
            json_t *doc = rc == 0 ? json_loads(out, 0, &je) : NULL;
            json_t *x = json_object_get(json_object_get(json_object_get(json_object_get(doc, "services"), "s"),
                                                        "environment"),
                                        "X");
            if (rc != 0) suite_fail(s, name, "%s: exit %d: %.300s", r->input, rc, err);
            else if (!json_is_string(x)) suite_fail(s, name, "%s: no services.s.environment.X string in %.300s", r->input, out);
            else if (strcmp(json_string_value(x), r->expected))
                suite_fail(s, name, "%s: got \"%s\", expected \"%s\"", r->input, json_string_value(x), r->expected);
            else suite_pass(s);
            json_decref(doc);
        }
        free(out);
        free(err);
        for (int j = 0; j < e.n; j++) free(pairs[j]);
        env_free(&e);
    }
    free(bin);
    unlink(path);
    rmdir(tmp);
}

void suite_compose_interpolation(void)
{
    suite s;
    suite_begin(&s, "compose-interpolation");
    static const char *const sets[][2] = {{"cases.tsv", "errors.tsv"},
                                          {"derived-edge-cases.tsv", "derived-edge-errors.tsv"}};
    for (size_t k = 0; k < sizeof sets / sizeof *sets; k++) {
        char sub[256];
        snprintf(sub, sizeof sub, "compose-interpolation/%s", sets[k][0]);
        const char *p = corpus_path(sub);
        if (!p) {
            suite_skip(&s, 1, "corpus not found");
            continue;
        }
        int n, nerrs;
        row *rows = read_tsv(p, &n);
        snprintf(sub, sizeof sub, "compose-interpolation/%s", sets[k][1]);
        p = corpus_path(sub);
        row *errs = p ? read_tsv(p, &nerrs) : NULL;
        if (!p) nerrs = 0;
        unit_rows(&s, sets[k][0], rows, n, errs, nerrs);
        cli_rows(&s, sets[k][0], rows, n);
        free_rows(rows, n);
        free_rows(errs, nerrs);
    }
    suite_end(&s);
}
