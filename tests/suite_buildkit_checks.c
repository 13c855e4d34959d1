/* suite_buildkit_checks.c — the buildkit-checks suite: BuildKit's own build
 * check tests (../shared/corpus/buildkit-checks), judged as
 * ../shared/spec/conformance.md says. For each case folder:
 *  - copy it to a temporary folder without meta.json and expected-*.tsv,
 *    with `dockerignore` renamed to `.dockerignore`;
 *  - run `dockwright check --format json --no-config [--build-arg K=V…]
 *    Dockerfile` there, one --build-arg per "build-arg:K" frontend attr;
 *  - compare the set of (line, BuildKit name) of the diagnostics whose
 *    aliases include a BuildKit (CamelCase) check name with the (line, rule)
 *    rows of expected-lint.tsv.
 * A case that expects a check no rule of ours carries yet is skipped. */
#include "runner.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockwright.h"

/* Cases whose expected lines upstream never asserts: the test checks only
 * rule names and details for lint results of stages the build does not
 * reach, and the transcribed lines are wrong (tests/KNOWN-GAPS.md). Their
 * names are compared, not their lines. */
static const char *const lines_not_asserted[] = {"LegacyKeyValueFormat-03"};

typedef struct {
    long line;
    char name[64];
} finding;

typedef struct {
    finding *v;
    int n, cap;
} findings;

static void add_finding(findings *f, long line, const char *name, size_t len)
{
    if (len >= sizeof f->v[0].name) len = sizeof f->v[0].name - 1;
    for (int i = 0; i < f->n; i++) /* a set: duplicates collapse */
        if (f->v[i].line == line && strlen(f->v[i].name) == len && !strncmp(f->v[i].name, name, len)) return;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->v = realloc(f->v, sizeof *f->v * (size_t)f->cap);
    }
    f->v[f->n].line = line;
    memcpy(f->v[f->n].name, name, len);
    f->v[f->n].name[len] = 0;
    f->n++;
}

static bool has_finding(const findings *f, const finding *x, bool with_line)
{
    for (int i = 0; i < f->n; i++)
        if ((!with_line || f->v[i].line == x->line) && !strcmp(f->v[i].name, x->name)) return true;
    return false;
}

/* BuildKit's check names are CamelCase: an upper-case first letter and some
 * lower case (DL3024 has none). */
static bool camel(const char *s, size_t n)
{
    bool lower = false;
    for (size_t i = 0; i < n; i++) lower |= s[i] >= 'a' && s[i] <= 'z';
    return n && s[0] >= 'A' && s[0] <= 'Z' && lower;
}

/* Reads expected-lint.tsv (header, then line<TAB>rule<TAB>detail). */
static bool read_expected(const char *path, findings *out)
{
    char *t = slurp(path, NULL);
    if (!t) return false;
    char *save = NULL;
    bool header = true;
    for (char *ln = strtok_r(t, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save)) {
        if (header) { header = false; continue; }
        char *tab = strchr(ln, '\t');
        if (!tab) continue;
        char *rule = tab + 1, *tab2 = strchr(rule, '\t');
        add_finding(out, strtol(ln, NULL, 10), rule, tab2 ? (size_t)(tab2 - rule) : strlen(rule));
    }
    free(t);
    return true;
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static bool skip_name(const char *n)
{
    return !strcmp(n, "meta.json") || !strncmp(n, "expected-", 9) || n[0] == '.';
}

/* Copies the case's files into `tmp`; returns false on an I/O error. */
static bool copy_case(const char *src, const char *tmp)
{
    DIR *d = opendir(src);
    if (!d) return false;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(d))) {
        if (skip_name(e->d_name)) continue;
        char from[4096], to[4096];
        snprintf(from, sizeof from, "%s/%s", src, e->d_name);
        snprintf(to, sizeof to, "%s/%s", tmp, !strcmp(e->d_name, "dockerignore") ? ".dockerignore" : e->d_name);
        size_t len;
        char *data = slurp(from, &len);
        ok = data && write_file(to, data, len);
        free(data);
    }
    closedir(d);
    return ok;
}

static int cmp_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The rules we have for a BuildKit name: a case expecting a check none of
 * our rules carries is skipped until one does. */
static bool have_rule_for(const char *name)
{
    const dw_rule *r[8];
    return dw_rules_named(name, r, 8) > 0;
}

static void run_case(suite *s, const char *root, const char *name)
{
    char dir[2048], p[4096];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    findings want = {0}, got = {0};
    snprintf(p, sizeof p, "%s/expected-lint.tsv", dir);
    if (!read_expected(p, &want)) { suite_fail(s, name, "cannot read %s", p); return; }
    for (int i = 0; i < want.n; i++)
        if (!have_rule_for(want.v[i].name)) {
            char why[200];
            snprintf(why, sizeof why, "%s: expects %s, which no rule carries yet", name, want.v[i].name);
            suite_skip(s, 1, why);
            free(want.v);
            return;
        }

    /* options: one --build-arg per frontend attr build-arg:K */
    char *argv[48] = {(char *)dw_binary(), "check", "--format", "json", "--no-config"};
    int ac = 5;
    char *owned[40];
    int nowned = 0;
    snprintf(p, sizeof p, "%s/meta.json", dir);
    json_error_t je;
    json_t *meta = json_load_file(p, 0, &je);
    json_t *attrs = meta ? json_object_get(meta, "frontend_attrs") : NULL;
    const char *key;
    json_t *val;
    json_object_foreach(attrs, key, val) {
        if (strncmp(key, "build-arg:", 10) != 0 || !json_is_string(val) || nowned >= 20) continue;
        size_t n = strlen(key + 10) + strlen(json_string_value(val)) + 2;
        char *kv = malloc(n);
        snprintf(kv, n, "%s=%s", key + 10, json_string_value(val));
        owned[nowned++] = kv;
        argv[ac++] = "--build-arg";
        argv[ac++] = kv;
    }
    argv[ac++] = "Dockerfile";
    argv[ac] = NULL;

    char tmp[] = "/tmp/dw-bkc-XXXXXX";
    if (!mkdtemp(tmp) || !copy_case(dir, tmp)) {
        suite_fail(s, name, "cannot set up a temporary copy");
        remove_tree(tmp);
        goto done;
    }
    char *out = NULL, *err = NULL;
    int rc = run_capture(tmp, argv, &out, NULL, &err, NULL);
    remove_tree(tmp);
    json_t *res = rc == 0 || rc == 1 ? json_loads(out ? out : "", 0, &je) : NULL;
    if (!res) {
        suite_fail(s, name, "dockwright check exited %d: %s", rc, err && *err ? err : "no JSON output");
        free(out);
        free(err);
        goto done;
    }
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(res, "diagnostics"), i, d) {
        size_t k;
        json_t *al;
        json_array_foreach(json_object_get(d, "aliases"), k, al) {
            const char *a = json_string_value(al);
            if (a && camel(a, strlen(a)))
                add_finding(&got, (long)json_integer_value(json_object_get(d, "line")), a, strlen(a));
        }
    }
    json_decref(res);
    free(out);
    free(err);

    bool with_lines = true;
    for (size_t k = 0; k < sizeof lines_not_asserted / sizeof *lines_not_asserted; k++)
        if (!strcmp(name, lines_not_asserted[k])) with_lines = false;
    char diff[4096];
    size_t dl = 0;
    diff[0] = 0;
    for (int k = 0; k < want.n; k++)
        if (!has_finding(&got, &want.v[k], with_lines) && dl < sizeof diff - 100)
            dl += (size_t)snprintf(diff + dl, sizeof diff - dl, "\n  missing: %ld %s", want.v[k].line, want.v[k].name);
    for (int k = 0; k < got.n; k++)
        if (!has_finding(&want, &got.v[k], with_lines) && dl < sizeof diff - 100)
            dl += (size_t)snprintf(diff + dl, sizeof diff - dl, "\n  unexpected: %ld %s", got.v[k].line, got.v[k].name);
    if (dl) suite_fail(s, name, "findings differ from expected-lint.tsv:%s", diff);
    else suite_pass(s);

done:
    json_decref(meta);
    for (int k = 0; k < nowned; k++) free(owned[k]);
    free(want.v);
    free(got.v);
}

void suite_buildkit_checks(void)
{
    suite s;
    suite_begin(&s, "buildkit-checks");
    const char *cp = corpus_path("buildkit-checks");
    if (!cp) {
        suite_skip(&s, 1, "corpus not found");
        suite_end(&s);
        return;
    }
    char root[1000];
    snprintf(root, sizeof root, "%s", cp);
    DIR *d = opendir(root);
    char **names = NULL;
    int n = 0, cap = 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char p[4096];
        struct stat sb;
        snprintf(p, sizeof p, "%s/%s", root, e->d_name);
        if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) continue;
        if (n == cap) names = realloc(names, sizeof *names * (size_t)(cap = cap ? cap * 2 : 64));
        names[n++] = strdup(e->d_name);
    }
    if (d) closedir(d);
    if (n) qsort(names, (size_t)n, sizeof *names, cmp_name);
    for (int i = 0; i < n; i++) {
        run_case(&s, root, names[i]);
        free(names[i]);
    }
    free(names);
    suite_end(&s);
}
