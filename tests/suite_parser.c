/* suite_parser.c — the Dockerfile parser against BuildKit's own test data
 * (judged as ../shared/spec/conformance.md says), our own golden cases in
 * tests/cases/parse, and the real-world corpora (official images,
 * awesome-compose), which must parse without a syntax error. */
#include "runner.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/dockerfile/df_directives.h"
#include "../src/dockerfile/dockerfile_int.h"

/* Sorted list of the entries of a directory (malloc'd names). */
static int list_dir(const char *path, char ***names)
{
    DIR *d = opendir(path);
    if (!d) return -1;
    int n = 0, cap = 16;
    char **v = malloc(sizeof *v * (size_t)cap);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        if (n == cap) { cap *= 2; v = realloc(v, sizeof *v * (size_t)cap); }
        v[n++] = strdup(e->d_name);
    }
    closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) { char *t = v[j]; v[j] = v[j - 1]; v[j - 1] = t; }
    *names = v;
    return n;
}

static void free_list(char **v, int n)
{
    for (int i = 0; i < n; i++) free(v[i]);
    free(v);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Runs `one` for every case folder of corpus folder `sub`, as suite `name`. */
static void corpus_cases(const char *name, const char *sub, void (*one)(suite *, const char *dir, const char *casename))
{
    suite s;
    suite_begin(&s, name);
    const char *root = corpus_path(sub);
    if (!root) { suite_skip(&s, 1, "corpus absent"); suite_end(&s); return; }
    char base[4096];
    snprintf(base, sizeof base, "%s", root);
    char **names;
    int n = list_dir(base, &names);
    for (int i = 0; i < n; i++) one(&s, base, names[i]);
    if (n > 0) free_list(names, n);
    suite_end(&s);
}

/* buildkit-parser: `dockwright parse Dockerfile` prints exactly `result`. */
static void parser_case(suite *s, const char *base, const char *casename)
{
    char df[4200], res[4200];
    snprintf(df, sizeof df, "%s/%s/Dockerfile", base, casename);
    snprintf(res, sizeof res, "%s/%s/result", base, casename);
    size_t elen, olen;
    char *exp = slurp(res, &elen);
    if (!exp) { suite_fail(s, casename, "no result file"); return; }
    char *out;
    char *argv[] = {(char *)dw_binary(), "parse", df, NULL};
    int rc = run_capture(NULL, argv, &out, &olen, NULL, NULL);
    if (rc < 0 || rc == 2) suite_fail(s, casename, "parse crashed or failed to read (status %d)", rc);
    else suite_expect_text(s, casename, exp, elen, out, olen);
    free(exp);
    free(out);
}

/* buildkit-parser-negative: `dockwright parse` exits 1 with a syntax-error. */
static void negative_case(suite *s, const char *base, const char *casename)
{
    char df[4200];
    snprintf(df, sizeof df, "%s/%s/Dockerfile", base, casename);
    char *err;
    char *argv[] = {(char *)dw_binary(), "parse", df, NULL};
    int rc = run_capture(NULL, argv, NULL, NULL, &err, NULL);
    if (rc == 1 && strstr(err, "[syntax-error]")) suite_pass(s);
    else suite_fail(s, casename, "expected exit 1 with a syntax-error, got %d: %s", rc, err);
    free(err);
}

void suite_buildkit_parser(void) { corpus_cases("buildkit-parser", "buildkit-parser", parser_case); }
void suite_buildkit_parser_negative(void)
{
    corpus_cases("buildkit-parser-negative", "buildkit-parser-negative", negative_case);
}

static dw_dockerfile *parse_path(const char *path)
{
    size_t len;
    char *src = slurp(path, &len);
    if (!src) return NULL;
    dw_dockerfile *df = dw_dockerfile_parse(path, src, len, NULL);
    free(src);
    return df;
}

void suite_buildkit_parser_lines(void)
{
    suite s;
    suite_begin(&s, "buildkit-parser-lines");
    const char *root = corpus_path("buildkit-parser-lines");
    if (!root) { suite_skip(&s, 1, "corpus absent"); suite_end(&s); return; }
    char p[4200], t[4200];
    snprintf(p, sizeof p, "%s/Dockerfile", root);
    snprintf(t, sizeof t, "%s/expected.tsv", root);
    dw_dockerfile *df = parse_path(p);
    char *tsv = slurp(t, NULL);
    if (!df || !tsv) { suite_fail(&s, "lines", "cannot read corpus files"); suite_end(&s); return; }
    char *save, *line = strtok_r(tsv, "\n", &save);
    for (line = strtok_r(NULL, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char node[64];
        unsigned a, b, ga = 0, gb = 0;
        if (sscanf(line, "%63s %u %u", node, &a, &b) != 3) continue;
        if (!strcmp(node, "AST")) {
            if (df->ninstrs) { ga = df->instrs[0].line; gb = df->instrs[df->ninstrs - 1].end_line; }
        } else {
            unsigned k = (unsigned)atoi(node + 5);
            if (k >= 1 && k <= df->ninstrs) { ga = df->instrs[k - 1].line; gb = df->instrs[k - 1].end_line; }
        }
        if (ga == a && gb == b) suite_pass(&s);
        else suite_fail(&s, node, "expected lines %u-%u, got %u-%u", a, b, ga, gb);
    }
    free(tsv);
    dw_dockerfile_free(df);
    suite_end(&s);
}

static void check_heredoc_jsonl(suite *s, const char *dir, const char *casename)
{
    char p[4200], e[4200];
    snprintf(p, sizeof p, "%s/%s/Dockerfile", dir, casename);
    snprintf(e, sizeof e, "%s/%s/expected.jsonl", dir, casename);
    dw_dockerfile *df = parse_path(p);
    char *jl = slurp(e, NULL);
    if (!df || !jl) { suite_fail(s, casename, "cannot read corpus files"); free(jl); dw_dockerfile_free(df); return; }
    char *save, *line;
    for (line = strtok_r(jl, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        if (!o) continue;
        int idx = (int)json_integer_value(json_object_get(o, "child_index"));
        json_t *hs = json_object_get(o, "heredocs");
        char name[128];
        snprintf(name, sizeof name, "%s child %d", casename, idx);
        if (idx < 0 || (uint32_t)idx >= df->ninstrs) { suite_fail(s, name, "no such instruction"); json_decref(o); continue; }
        const dw_instr *in = &df->instrs[idx];
        size_t want = json_is_array(hs) ? json_array_size(hs) : 0;
        bool ok = in->nheredocs == want;
        for (size_t k = 0; ok && k < want; k++) {
            json_t *h = json_array_get(hs, k);
            const dw_heredoc *g = &in->heredocs[k];
            const char *nm = json_string_value(json_object_get(h, "name"));
            json_t *ct = json_object_get(h, "content");
            ok = dw_str_eqc(g->name, nm) && g->content.len == json_string_length(ct) &&
                 memcmp(g->content.ptr, json_string_value(ct), g->content.len) == 0 &&
                 g->expand == json_is_true(json_object_get(h, "expand")) &&
                 g->chomp == json_is_true(json_object_get(h, "chomp")) &&
                 g->fd == (uint32_t)json_integer_value(json_object_get(h, "fd"));
        }
        if (ok) suite_pass(s);
        else {
            suite_fail(s, name, "heredocs differ: want %s; got %u heredoc(s)%s%.*s", line, in->nheredocs,
                       in->nheredocs ? ", first " : "", in->nheredocs ? (int)in->heredocs[0].name.len : 0,
                       in->nheredocs ? in->heredocs[0].name.ptr : "");
        }
        json_decref(o);
    }
    free(jl);
    dw_dockerfile_free(df);
}

void suite_buildkit_parser_heredoc(void)
{
    suite s;
    suite_begin(&s, "buildkit-parser-heredoc");
    const char *root = corpus_path("buildkit-parser-heredoc");
    if (!root) { suite_skip(&s, 1, "corpus absent"); suite_end(&s); return; }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", root);
    check_heredoc_jsonl(&s, dir, "extracts");
    check_heredoc_jsonl(&s, dir, "json-form");

    char p[4200];
    snprintf(p, sizeof p, "%s/parse-heredoc-word.tsv", dir);
    char *tsv = slurp(p, NULL);
    if (tsv) {
        char *save, *line = strtok_r(tsv, "\n", &save); /* header */
        (void)line;
        /* strtok_r skips empty lines; the first `none` row has an empty word,
         * so walk the lines by hand */
        free(tsv);
        size_t len;
        tsv = slurp(p, &len);
        char *cur = strchr(tsv, '\n');
        cur = cur ? cur + 1 : tsv + len;
        while (cur < tsv + len) {
            char *nl = strchr(cur, '\n');
            if (!nl) nl = tsv + len;
            *nl = 0;
            char *tab = strchr(cur, '\t');
            if (tab) {
                *tab = 0;
                const char *want = tab + 1;
                dw_arena a;
                dw_arena_init(&a);
                dw_heredoc_word hw;
                const char *err = NULL;
                int rc = dw_heredoc_parse_word(&a, dw_str_c(cur), &hw, &err);
                const char *got = rc < 0 ? "error" : !hw.ok ? "none" : "";
                bool ok = *got ? !strcmp(got, want) : dw_str_eqc(hw.name, want);
                char name[300];
                snprintf(name, sizeof name, "ParseHeredoc(%s)", cur);
                if (ok) suite_pass(&s);
                else suite_fail(&s, name, "want %s, got %s%.*s", want, got, *got ? 0 : (int)hw.name.len,
                                *got ? "" : hw.name.ptr);
                dw_arena_free(&a);
            }
            cur = nl + 1;
        }
        free(tsv);
    }
    snprintf(p, sizeof p, "%s/heredocs-from-line.tsv", dir);
    size_t len;
    tsv = slurp(p, &len);
    if (tsv) {
        char *cur = strchr(tsv, '\n');
        cur = cur ? cur + 1 : tsv + len;
        while (cur < tsv + len) {
            char *nl = strchr(cur, '\n');
            if (!nl) nl = tsv + len;
            *nl = 0;
            char *tab = strchr(cur, '\t');
            if (tab) {
                *tab = 0;
                dw_arena a;
                dw_arena_init(&a);
                dw_heredoc *hs;
                uint32_t n;
                const char *err = NULL;
                dw_buf got = {0};
                if (dw_heredocs_from_line(&a, dw_str_c(cur), &hs, &n, NULL, &err) < 0) dw_buf_puts(&got, "<error>");
                else
                    for (uint32_t k = 0; k < n; k++) {
                        if (k) dw_buf_putc(&got, ',');
                        dw_buf_put(&got, hs[k].name.ptr, hs[k].name.len);
                    }
                const char *g = got.p ? got.p : "";
                if (!strcmp(g, tab + 1)) suite_pass(&s);
                else suite_fail(&s, cur, "want [%s], got [%s]", tab + 1, g);
                dw_buf_free(&got);
                dw_arena_free(&a);
            }
            cur = nl + 1;
        }
        free(tsv);
    }
    suite_end(&s);
}

void suite_buildkit_parser_directives(void)
{
    suite s;
    suite_begin(&s, "buildkit-parser-directives");
    const char *root = corpus_path("buildkit-parser-directives/cases.jsonl");
    if (!root) { suite_skip(&s, 1, "corpus absent"); suite_end(&s); return; }
    char *jl = slurp(root, NULL);
    char *save, *line;
    int row = 0;
    for (line = strtok_r(jl, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        row++;
        json_error_t jerr;
        json_t *o = json_loads(line, 0, &jerr);
        if (!o) { suite_fail(&s, "row", "bad json at row %d", row); continue; }
        const char *fn = json_string_value(json_object_get(o, "function"));
        json_t *input = json_object_get(o, "input");
        dw_str in = dw_str_make(json_string_value(input), json_string_length(input));
        dw_arena a;
        dw_arena_init(&a);
        char name[64];
        snprintf(name, sizeof name, "row %d (%s)", row, fn);
        bool ok = true;
        char why[512] = "";
        if (!strcmp(fn, "DirectiveParser.ParseAll")) {
            dw_directive *ds;
            uint32_t n;
            const char *err;
            dw_directives_parse_all(&a, in, "#", 0, &ds, &n, &err);
            json_t *want = json_object_get(o, "directives");
            ok = json_array_size(want) == n;
            for (uint32_t k = 0; ok && k < n; k++) {
                json_t *w = json_array_get(want, k);
                ok = dw_str_eqc(ds[k].name, json_string_value(json_object_get(w, "name"))) &&
                     dw_str_eqc(ds[k].value, json_string_value(json_object_get(w, "value")));
            }
            if (!ok) snprintf(why, sizeof why, "got %u directives", n);
        } else {
            bool any = !strcmp(fn, "DetectSyntax");
            const char *key = any ? "syntax" : json_string_value(json_object_get(o, "key"));
            dw_str value, cmdline;
            uint32_t ln;
            bool found = dw_directive_find(&a, in, key, any, &value, &cmdline, &ln);
            json_t *j;
            if ((j = json_object_get(o, "ok")) && json_is_true(j) != found) ok = false;
            if ((j = json_object_get(o, "value")) && !dw_str_eqc(value, json_string_value(j))) ok = false;
            if ((j = json_object_get(o, "cmdline")) && !dw_str_eqc(cmdline, json_string_value(j))) ok = false;
            if ((j = json_object_get(o, "line")) && (json_int_t)ln != json_integer_value(j)) ok = false;
            if (!ok)
                snprintf(why, sizeof why, "got ok=%d value=%.*s cmdline=%.*s line=%u", found, (int)value.len,
                         value.ptr, (int)cmdline.len, cmdline.ptr, ln);
        }
        if (ok) suite_pass(&s);
        else suite_fail(&s, name, "%s; case %s", why, line);
        dw_arena_free(&a);
        json_decref(o);
    }
    free(jl);
    suite_end(&s);
}

/* True when `name` is a Dockerfile by design.md's discovery patterns. */
static bool dockerfile_name(const char *n)
{
    size_t l = strlen(n);
    if (!strcmp(n, "Dockerfile") || !strcmp(n, "Containerfile")) return true;
    if (!strncmp(n, "Dockerfile.", 11) || !strncmp(n, "Containerfile.", 14)) {
        const char *ext = strrchr(n, '.');
        return strcmp(ext, ".dockerignore") && strcmp(ext, ".bak") && strcmp(ext, ".orig") && strcmp(ext, ".swp");
    }
    return (l > 11 && !strcmp(n + l - 11, ".Dockerfile")) || (l > 11 && !strcmp(n + l - 11, ".dockerfile"));
}

static void walk_dockerfiles(suite *s, const char *dir, int *count)
{
    char **names;
    int n = list_dir(dir, &names);
    for (int i = 0; i < n; i++) {
        char p[4200];
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        if (is_dir(p)) { walk_dockerfiles(s, p, count); continue; }
        if (!dockerfile_name(names[i])) continue;
        (*count)++;
        char *err;
        char *argv[] = {(char *)dw_binary(), "parse", p, NULL};
        int rc = run_capture(NULL, argv, NULL, NULL, &err, NULL);
        if (rc == 0 && !strstr(err, "[syntax-error]")) suite_pass(s);
        else suite_fail(s, p, "status %d: %.400s", rc, err);
        free(err);
    }
    if (n > 0) free_list(names, n);
}

static void corpus_dockerfiles(const char *suite_name, const char *sub)
{
    suite s;
    suite_begin(&s, suite_name);
    const char *root = corpus_path(sub);
    if (!root) { suite_skip(&s, 1, "corpus absent"); suite_end(&s); return; }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", root);
    int count = 0;
    walk_dockerfiles(&s, dir, &count);
    if (count == 0) suite_fail(&s, sub, "no Dockerfile found");
    suite_end(&s);
}

void suite_official_images(void) { corpus_dockerfiles("official-images", "official-images"); }
void suite_awesome_compose_dockerfiles(void) { corpus_dockerfiles("awesome-compose-dockerfiles", "awesome-compose"); }

/* tests/cases/parse/<case>/: Dockerfile, expected.ast (stdout of `parse`),
 * expected.diag (its stderr), optional args (extra options, one per line). */
void suite_cases_parse(void)
{
    suite s;
    suite_begin(&s, "cases-parse");
    const char *dir = "tests/cases/parse";
    char **names;
    int n = list_dir(dir, &names);
    for (int i = 0; i < n; i++) {
        char cdir[4200], p[4400];
        snprintf(cdir, sizeof cdir, "%s/%s", dir, names[i]);
        if (!is_dir(cdir)) continue;
        char bin[4096];
        snprintf(bin, sizeof bin, "%s", dw_binary());
        char *argv[16] = {bin, "parse"};
        int ac = 2;
        snprintf(p, sizeof p, "%s/args", cdir);
        char *args = slurp(p, NULL);
        if (args) {
            char *save, *a;
            for (a = strtok_r(args, "\n", &save); a && ac < 13; a = strtok_r(NULL, "\n", &save)) argv[ac++] = a;
        }
        argv[ac++] = "Dockerfile";
        argv[ac] = NULL;
        char *out, *err;
        size_t olen, elen;
        int rc = run_capture(cdir, argv, &out, &olen, &err, &elen);
        if (rc < 0 || rc == 2) {
            suite_fail(&s, names[i], "parse crashed or failed (status %d): %s", rc, err);
        } else {
            suite_golden(&s, cdir, names[i], "expected.ast", out, olen);
            suite_golden(&s, cdir, names[i], "expected.diag", err, elen);
        }
        free(out);
        free(err);
        free(args);
    }
    if (n > 0) free_list(names, n);
    suite_end(&s);
}

/* tests/cases/graph/<case>/Dockerfile: `dockwright graph` in each format,
 * compared with expected.text, expected.dot and expected.mermaid. */
void suite_cases_graph(void)
{
    suite s;
    suite_begin(&s, "cases-graph");
    const char *dir = "tests/cases/graph";
    char **names;
    int n = list_dir(dir, &names);
    static const char *const formats[] = {"text", "dot", "mermaid"};
    for (int i = 0; i < n; i++) {
        char cdir[4200];
        snprintf(cdir, sizeof cdir, "%s/%s", dir, names[i]);
        if (!is_dir(cdir)) continue;
        for (int f = 0; f < 3; f++) {
            char bin[4096], fmt[32], file[32];
            snprintf(bin, sizeof bin, "%s", dw_binary());
            snprintf(fmt, sizeof fmt, "--format=%s", formats[f]);
            snprintf(file, sizeof file, "expected.%s", formats[f]);
            char *argv[] = {bin, "graph", fmt, "Dockerfile", NULL};
            char *out;
            size_t olen;
            int rc = run_capture(cdir, argv, &out, &olen, NULL, NULL);
            if (rc < 0 || rc == 2) suite_fail(&s, names[i], "graph failed (status %d)", rc);
            else suite_golden(&s, cdir, names[i], file, out, olen);
            free(out);
        }
    }
    if (n > 0) free_list(names, n);
    suite_end(&s);
}
