/* suite_awesome_compose.c — every Compose file of docker/awesome-compose
 * (shared corpus) is valid Compose, so it must load without a yaml-syntax,
 * duplicate-key or compose-schema finding: once through the library
 * (YAML, value tree, interpolation with nothing set, schema) and once
 * through `dockwright check --no-config --format json <file>`. */
#include "runner.h"
#include "suites.h"

#include <dirent.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* suite_schema.c: the findings of parsing and validating one Compose text */
char *compose_schema_findings(const char *yaml, size_t len, const char *const *env, bool with_help, uint32_t *count);

static bool compose_name(const char *n)
{
    return !strcmp(n, "compose.yaml") || !strcmp(n, "compose.yml") || !strcmp(n, "docker-compose.yml") ||
           !strcmp(n, "docker-compose.yaml");
}

typedef struct { char **v; size_t n, cap; } paths;

static void find_compose_files(const char *dir, paths *out, int depth)
{
    DIR *d = opendir(dir);
    if (!d || depth > 12) {
        if (d) closedir(d);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, ".."))) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            find_compose_files(p, out, depth + 1);
        } else if (S_ISREG(st.st_mode) && compose_name(e->d_name)) {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->v = realloc(out->v, sizeof *out->v * out->cap);
            }
            out->v[out->n++] = strdup(p);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *const load_rules[] = {"yaml-syntax", "duplicate-key", "compose-schema", NULL};

static bool is_load_rule(const char *r)
{
    for (size_t i = 0; load_rules[i]; i++)
        if (!strcmp(r, load_rules[i])) return true;
    return false;
}

/* The library path: no finding at all (they are all load findings). */
static void check_library(suite *s, const char *path, const char *name)
{
    size_t len;
    char *src = slurp(path, &len);
    if (!src) {
        suite_fail(s, name, "cannot read %s", path);
        return;
    }
    uint32_t n = 0;
    char *got = compose_schema_findings(src, len, NULL, false, &n);
    if (n || *got) suite_fail(s, name, "library: %s", got);
    else suite_pass(s);
    free(got);
    free(src);
}

/* The CLI path: no load finding in the JSON report. */
static void check_cli(suite *s, const char *path, const char *name)
{
    char bin[4096];
    snprintf(bin, sizeof bin, "%s", dw_binary());
    char *argv[] = {bin, "check", "--no-config", "--format", "json", (char *)path, NULL};
    char *out, *err;
    size_t olen, elen;
    int rc = run_capture(NULL, argv, &out, &olen, &err, &elen);
    if (rc < 0 || rc > 1) {
        suite_fail(s, name, "check exited with %d: %s", rc, err);
    } else {
        json_error_t jerr;
        json_t *root = json_loadb(out, olen, 0, &jerr);
        json_t *diags = json_object_get(root, "diagnostics");
        if (!json_is_array(diags)) {
            suite_fail(s, name, "check --format json printed no diagnostics array: %s", jerr.text);
        } else {
            size_t i, bad = 0;
            json_t *d;
            json_array_foreach(diags, i, d) {
                const char *rule = json_string_value(json_object_get(d, "rule"));
                if (!rule || !is_load_rule(rule)) continue;
                bad++;
                suite_fail(s, name, "check: %s: %s (line %lld)", rule,
                           json_string_value(json_object_get(d, "message")),
                           (long long)json_integer_value(json_object_get(d, "line")));
            }
            if (!bad) suite_pass(s);
        }
        json_decref(root);
    }
    free(out);
    free(err);
}

void suite_awesome_compose(void)
{
    suite s;
    suite_begin(&s, "awesome-compose");
    const char *root = corpus_path("awesome-compose");
    if (!root) {
        suite_skip(&s, 1, "corpus absent");
        suite_end(&s);
        return;
    }
    char base[4096];
    snprintf(base, sizeof base, "%s", root);
    paths files = {0};
    find_compose_files(base, &files, 0);
    if (files.n) qsort(files.v, files.n, sizeof *files.v, cmp_str);
    if (files.n < 30) suite_fail(&s, "corpus", "only %zu Compose files found under %s", files.n, base);
    for (size_t i = 0; i < files.n; i++) {
        const char *name = files.v[i] + strlen(base) + 1;
        check_library(&s, files.v[i], name);
        check_cli(&s, files.v[i], name);
        free(files.v[i]);
    }
    free(files.v);
    suite_end(&s);
}
