/* suite_rules.c — the rule registry and the rule pages:
 *  - rules-registry: every rule has a page with Bad and Good examples, no
 *    two rules share a slug, and an alias is shared only where a peer's
 *    name really covers several rules;
 *  - rules-docs: each page's Bad example triggers its rule and its Good
 *    example does not (`dockwright check --format json --enable RULE`);
 *  - cases-check: golden cases in tests/cases/check/<case>/ (files, optional
 *    `args`, expected.out = stdout of `dockwright check [args] .`, and
 *    expected.rc = the exit status). */
#include "runner.h"

#include <ctype.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dockwright.h"

/* Aliases that name several rules on purpose (rules.md, "Aliases"). */
static const char *const shared_aliases[] = {"MultipleInstructionsDisallowed"};

/* Rules reported by the parser or the engine itself rather than a check. */
static bool engine_rule(const dw_rule *r) { return r->check == NULL; }

static char *doc_path(const char *slug)
{
    static char p[512];
    snprintf(p, sizeof p, "docs/rules/%s.md", slug);
    return p;
}

/* The first ```<lang> block (dockerfile; dockerignore for a .dockerignore
 * beside it; yaml for a compose.yaml) after the heading `## <section>`; *args gets the
 * text of a `<!-- args: ... -->` comment in that section. */
static char *doc_block_lang(const char *doc, const char *section, const char *lang, char **args);


static char *doc_block_lang(const char *doc, const char *section, const char *lang, char **args)
{
    char head[64];
    snprintf(head, sizeof head, "\n## %s", section);
    const char *h = strstr(doc, head);
    if (!h) return NULL;
    const char *next = strstr(h + 1, "\n## ");
    const char *a = strstr(h, "<!-- args:");
    if (args) {
        *args = NULL;
        if (a && (!next || a < next)) {
            a += 10;
            const char *e = strstr(a, "-->");
            if (e) *args = strndup(a, (size_t)(e - a));
        }
    }
    char fence[32];
    snprintf(fence, sizeof fence, "```%s\n", lang);
    const char *f = strstr(h, fence);
    if (!f || (next && f > next)) return NULL;
    f += strlen(fence);
    const char *e = strstr(f, "\n```");
    if (!e) return NULL;
    char *block = strndup(f, (size_t)(e - f) + 1);
    return block;
}

/* The files of one doc example: a Dockerfile, a .dockerignore, a
 * compose.yaml (```yaml), a .env (```env) and empty files named by
 * `<!-- files: a, b/c -->`. */
typedef struct {
    char *dockerfile, *ignore, *compose, *env, *files, *args;
} doc_example;

static void example_free(doc_example *e)
{
    free(e->dockerfile);
    free(e->ignore);
    free(e->compose);
    free(e->env);
    free(e->files);
    free(e->args);
}

static char *doc_comment(const char *doc, const char *section, const char *key)
{
    char head[64];
    snprintf(head, sizeof head, "\n## %s", section);
    const char *h = strstr(doc, head);
    if (!h) return NULL;
    const char *next = strstr(h + 1, "\n## ");
    const char *a = strstr(h, key);
    if (!a || (next && a > next)) return NULL;
    a += strlen(key);
    const char *e = strstr(a, "-->");
    return e ? strndup(a, (size_t)(e - a)) : NULL;
}

static bool example_read(const char *doc, const char *section, doc_example *e)
{
    memset(e, 0, sizeof *e);
    e->dockerfile = doc_block_lang(doc, section, "dockerfile", &e->args);
    e->ignore = doc_block_lang(doc, section, "dockerignore", NULL);
    e->compose = doc_block_lang(doc, section, "yaml", NULL);
    e->env = doc_block_lang(doc, section, "env", NULL);
    e->files = doc_comment(doc, section, "<!-- files:");
    return e->dockerfile || e->ignore || e->compose;
}

static void put_file(const char *dir, const char *name, const char *text, char ***made, int *nmade)
{
    char path[700];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    /* parent folders first */
    for (char *q = path + strlen(dir) + 1; (q = strchr(q, '/')); q++) {
        *q = 0;
        if (mkdir(path, 0755) == 0) (*made)[(*nmade)++] = strdup(path);
        *q = '/';
    }
    FILE *f = fopen(path, "w");
    if (!f) return;
    if (text) fputs(text, f);
    fclose(f);
    (*made)[(*nmade)++] = strdup(path);
}

/* Runs `check --format json --enable slug [args] .` in a folder holding the
 * example's files and returns how many findings of `slug` it printed, or -1
 * on failure. */
static int count_findings(const char *slug, const doc_example *ex, char **why)
{
    char dir[] = "/tmp/dw-doc-XXXXXX";
    if (!mkdtemp(dir)) return -1;
    char **made = calloc(256, sizeof *made);
    int nmade = 0;
    if (ex->dockerfile) put_file(dir, "Dockerfile", ex->dockerfile, &made, &nmade);
    if (ex->ignore) put_file(dir, ".dockerignore", ex->ignore, &made, &nmade);
    if (ex->compose) put_file(dir, "compose.yaml", ex->compose, &made, &nmade);
    if (ex->env) put_file(dir, ".env", ex->env, &made, &nmade);
    char *files = ex->files ? strdup(ex->files) : NULL;
    if (files) {
        char *save, *t;
        for (t = strtok_r(files, " ,\t\n", &save); t && nmade < 200; t = strtok_r(NULL, " ,\t\n", &save)) {
            /* `name:150M`: a sparse file of that size (for context-large) */
            char *size = strrchr(t, ':');
            if (size) *size++ = 0;
            put_file(dir, t, "", &made, &nmade);
            if (size) {
                char p[700], *unit;
                unsigned long long n = strtoull(size, &unit, 10);
                n <<= *unit == 'G' ? 30 : *unit == 'M' ? 20 : *unit == 'K' ? 10 : 0;
                snprintf(p, sizeof p, "%s/%s", dir, t);
                if (truncate(p, (off_t)n) != 0) fprintf(stderr, "rules-docs: cannot size %s\n", p);
            }
        }
    }
    char *argv[32] = {(char *)dw_binary(), "check", "--format", "json", "--no-config", "--enable", (char *)slug};
    int ac = 7;
    char *argcopy = ex->args ? strdup(ex->args) : NULL;
    if (argcopy) {
        char *save, *t;
        for (t = strtok_r(argcopy, " \t\n", &save); t && ac < 29; t = strtok_r(NULL, " \t\n", &save)) argv[ac++] = t;
    }
    argv[ac++] = ".";
    argv[ac] = NULL;
    char *out, *err;
    int rc = run_capture(dir, argv, &out, NULL, &err, NULL);
    int count = -1;
    json_error_t je;
    json_t *j = rc >= 0 && rc != 2 ? json_loads(out, 0, &je) : NULL;
    if (j) {
        count = 0;
        size_t i;
        json_t *d;
        json_array_foreach(json_object_get(j, "diagnostics"), i, d)
            if (!strcmp(json_string_value(json_object_get(d, "rule")), slug)) count++;
        json_decref(j);
    } else if (why) {
        *why = strdup(err && *err ? err : "no JSON output");
    }
    free(out);
    free(err);
    free(argcopy);
    free(files);
    /* files before their folders: remove in reverse order of creation */
    for (int i = nmade; i-- > 0;) {
        if (unlink(made[i]) != 0) rmdir(made[i]);
        free(made[i]);
    }
    free(made);
    rmdir(dir);
    return count;
}

void suite_rules_registry(void)
{
    suite s;
    suite_begin(&s, "rules-registry");
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    for (uint32_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < i; k++)
            if (!strcmp(r[i].slug, r[k].slug)) suite_fail(&s, r[i].slug, "slug used twice");
        /* aliases: unique unless on the shared list */
        const char *p = r[i].aliases;
        while (*p) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            bool shared = false;
            for (size_t k = 0; k < sizeof shared_aliases / sizeof *shared_aliases; k++)
                shared |= strlen(shared_aliases[k]) == len && !strncmp(shared_aliases[k], p, len);
            for (uint32_t k = 0; k < n && !shared; k++)
                if (k != i && dw_rule_has_alias(&r[k], p, len))
                    suite_fail(&s, r[i].slug, "alias %.*s is also %s's", (int)len, p, r[k].slug);
            if (!e) break;
            p = e + 1;
        }
        char *doc = slurp(doc_path(r[i].slug), NULL);
        if (!doc) { suite_fail(&s, r[i].slug, "no page %s", doc_path(r[i].slug)); continue; }
        if (!engine_rule(&r[i])) {
            doc_example bad, good;
            bool ok = example_read(doc, "Bad", &bad) & example_read(doc, "Good", &good);
            if (!ok)
                suite_fail(&s, r[i].slug,
                           "the page needs ```dockerfile, ```yaml or ```dockerignore blocks under ## Bad and ## Good");
            else suite_pass(&s);
            example_free(&bad);
            example_free(&good);
        } else {
            suite_pass(&s);
        }
        free(doc);
    }
    /* look-up by name (hashed): a slug, in any case, names its rule alone;
     * an alias names every rule that has it, in table order */
    for (uint32_t i = 0; i < n; i++) {
        const dw_rule *got[8];
        char up[128];
        snprintf(up, sizeof up, "%s", r[i].slug);
        for (char *c = up; *c; c++) *c = (char)toupper((unsigned char)*c);
        if (dw_rules_named(r[i].slug, got, 8) != 1 || got[0] != &r[i]) suite_fail(&s, r[i].slug, "not found by its slug");
        else if (dw_rules_named(up, got, 8) != 1 || got[0] != &r[i]) suite_fail(&s, r[i].slug, "not found by %s", up);
        else suite_pass(&s);
        for (const char *p = r[i].aliases; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            char alias[128];
            snprintf(alias, sizeof alias, "%.*s", (int)len, p);
            const dw_rule *want[8];
            uint32_t nwant = 0;
            for (uint32_t k = 0; k < n; k++)
                if (dw_rule_has_alias(&r[k], alias, len) && nwant < 8) want[nwant++] = &r[k];
            uint32_t ngot = dw_rules_named(alias, got, 8);
            if (ngot != nwant || memcmp(got, want, sizeof *got * ngot) != 0)
                suite_fail(&s, r[i].slug, "alias %s names %u rules, not %u", alias, ngot, nwant);
            else suite_pass(&s);
            if (!e) break;
            p = e + 1;
        }
    }
    const dw_rule *got[8];
    if (dw_rules_named("sc2086", got, 8) != 1 || strcmp(got[0]->slug, "shellcheck") != 0)
        suite_fail(&s, "sc2086", "an SC code names the shellcheck rule");
    else suite_pass(&s);
    if (dw_rules_named("no-such-rule", got, 8) != 0 || dw_rules_named("", got, 8) != 0)
        suite_fail(&s, "no-such-rule", "an unknown name names no rule");
    else suite_pass(&s);
    suite_end(&s);
}

void suite_rules_docs(void)
{
    suite s;
    suite_begin(&s, "rules-docs");
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    for (uint32_t i = 0; i < n; i++) {
        /* the Compose loader's findings are deterministic: their pages' examples run too */
        if (engine_rule(&r[i]) && strcmp(r[i].family, "compose") != 0) continue;
        if (!strcmp(r[i].slug, "shellcheck") && !have_shellcheck()) {
            suite_skip(&s, 2, "the shellcheck page's examples: shellcheck is not installed");
            continue;
        }
        char *doc = slurp(doc_path(r[i].slug), NULL);
        if (!doc) { suite_skip(&s, 2, NULL); continue; }
        const char *sections[2] = {"Bad", "Good"};
        for (int k = 0; k < 2; k++) {
            char *why = NULL;
            doc_example ex;
            char name[128];
            snprintf(name, sizeof name, "%s %s example", r[i].slug, sections[k]);
            if (!example_read(doc, sections[k], &ex)) { suite_skip(&s, 1, NULL); example_free(&ex); continue; }
            int c = count_findings(r[i].slug, &ex, &why);
            if (c < 0) suite_fail(&s, name, "check failed: %s", why ? why : "?");
            else if (k == 0 && c == 0) suite_fail(&s, name, "the rule does not fire on its Bad example");
            else if (k == 1 && c > 0) suite_fail(&s, name, "the rule fires %d time(s) on its Good example", c);
            else suite_pass(&s);
            example_free(&ex);
            free(why);
        }
        free(doc);
    }
    suite_end(&s);
}

static int list_sorted(const char *path, char ***names)
{
    DIR *d = opendir(path);
    if (!d) return 0;
    int n = 0, cap = 16;
    char **v = malloc(sizeof *v * (size_t)cap);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) v = realloc(v, sizeof *v * (size_t)(cap *= 2));
        v[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) { char *t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
    *names = v;
    return n;
}

void suite_cases_check(void)
{
    suite s;
    suite_begin(&s, "cases-check");
    const char *dir = "tests/cases/check";
    char **names = NULL;
    int n = list_sorted(dir, &names);
    bool have_sc = have_shellcheck();
    int sc_skipped = 0;
    for (int i = 0; i < n; i++) {
        char cdir[600];
        if (!strncmp(names[i], "sc-", 3) && !have_sc) { sc_skipped++; continue; }
        snprintf(cdir, sizeof cdir, "%s/%s", dir, names[i]);
        char *argv[40] = {(char *)dw_binary(), "check", "--no-config"};
        char *args;
        case_args(cdir, argv, 3, 40, &args);
        char *out, *err;
        size_t olen;
        int rc = run_capture(cdir, argv, &out, &olen, &err, NULL);
        char rcs[16];
        snprintf(rcs, sizeof rcs, "%d\n", rc);
        suite_golden(&s, cdir, names[i], "expected.out", out, olen);
        suite_golden(&s, cdir, names[i], "expected.rc", rcs, strlen(rcs));
        free(out);
        free(err);
        free(args);
    }
    suite_skip(&s, sc_skipped, "sc-* cases: shellcheck is not installed");
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    suite_end(&s);
}
