/* suite_config.c — the config suite: the YAML tree (positions, aliases,
 * hostile input bounded, error positions), the gitignore matcher (a table
 * of pattern/path cases), discovery with nested .gitignore files and
 * `exclude` globs, and the config search and mapping (.dockwright.yaml,
 * .hadolint.yaml with its environment variables, .dclintrc), unit-level
 * and through `dockwright check --format json`.
 *
 * File-system cases are built in fresh temporary folders, each with a .git
 * folder so the parent search stops there; HOME and XDG_CONFIG_HOME point
 * into the temporary tree and every HADOLINT_* variable is cleared, so the
 * user's own config never leaks in. Everything is restored at the end. */
#include "runner.h"

#include <dirent.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/ignore/gitignore.h"
#include "../src/yaml/yaml_tree.h"

static suite S;

#define CHECK(name, cond, ...)                                                  \
    do {                                                                        \
        if (cond) suite_pass(&S);                                               \
        else suite_fail(&S, name, __VA_ARGS__);                                 \
    } while (0)

/* ---- temporary trees ---- */

static char tmp_root[256];

/* Removes a tree without following symlinks. */
static void rm_tree(const char *p)
{
    struct stat st;
    if (lstat(p, &st) != 0) return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(p);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char *c = malloc(strlen(p) + strlen(e->d_name) + 2);
            sprintf(c, "%s/%s", p, e->d_name);
            rm_tree(c);
            free(c);
        }
        if (d) closedir(d);
    }
    remove(p);
}

static void mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            mkdir(buf, 0755);
            *p = '/';
        }
    mkdir(buf, 0755);
}

/* Writes root/rel (parents created); returns the full path (static). */
static const char *put(const char *root, const char *rel, const char *text)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash) { *slash = 0; mkdirs(dir); }
    FILE *f = fopen(path, "wb");
    if (f) { fputs(text, f); fclose(f); }
    return path;
}

/* A fresh folder tmp_root/name with a .git folder (a repository root). */
static const char *repo(const char *name)
{
    static char paths[32][512]; /* each caller keeps its own for the whole suite */
    static unsigned next;
    char *path = paths[next++ % 32];
    snprintf(path, 512, "%s/%s", tmp_root, name);
    rm_tree(path);
    char g[600];
    snprintf(g, sizeof g, "%s/.git", path);
    mkdirs(g);
    return path;
}

static const char *const hadolint_env[] = {
    "HADOLINT_NOFAIL", "HADOLINT_FAILURE_THRESHOLD", "HADOLINT_IGNORE", "HADOLINT_OVERRIDE_ERROR",
    "HADOLINT_OVERRIDE_WARNING", "HADOLINT_OVERRIDE_INFO", "HADOLINT_OVERRIDE_STYLE",
    "HADOLINT_TRUSTED_REGISTRIES", "HADOLINT_ALLOWED_REGISTRIES", "HADOLINT_REQUIRE_LABELS",
    "HADOLINT_STRICT_LABELS", "HADOLINT_DISABLE_IGNORE_PRAGMA", "HOME", "XDG_CONFIG_HOME",
};
#define NENV (sizeof hadolint_env / sizeof *hadolint_env)
static char *saved_env[NENV];

static void env_isolate(void)
{
    for (size_t i = 0; i < NENV; i++) {
        const char *v = getenv(hadolint_env[i]);
        saved_env[i] = v ? strdup(v) : NULL;
        unsetenv(hadolint_env[i]);
    }
    char home[512];
    snprintf(home, sizeof home, "%s/home", tmp_root);
    mkdirs(home);
    setenv("HOME", home, 1);
}

static void env_restore(void)
{
    for (size_t i = 0; i < NENV; i++) {
        if (saved_env[i]) setenv(hadolint_env[i], saved_env[i], 1);
        else unsetenv(hadolint_env[i]);
        free(saved_env[i]);
    }
}

static void clear_hadolint_env(void)
{
    for (size_t i = 0; i + 2 < NENV; i++) unsetenv(hadolint_env[i]);
}

/* ---- YAML tree ---- */

static int yparse(dw_arena *a, const char *src, dw_yaml_stream *ys, const dw_yaml_limits *lim)
{
    return dw_yaml_parse(a, src, strlen(src), lim, ys);
}

static const dw_yaml_node *yget(const dw_yaml_node *map, const char *key)
{
    const dw_yaml_pair *p = dw_yaml_lookup(map, key, false);
    return p ? p->value : NULL;
}

static bool at(const dw_yaml_node *n, uint32_t line, uint32_t col)
{
    return n && n->start.line == line && n->start.col == col;
}

static void yaml_tests(void)
{
    dw_arena a;
    dw_arena_init(&a);
    dw_yaml_stream ys;

    /* positions, styles, spans in bytes vs columns in code points */
    const char *src = "name: app\n"
                      "list:\n"
                      "  - plain\n"
                      "  - 'single'\n"
                      "  - \"dq\\tx\"\n"
                      "  - |\n"
                      "    lit\n"
                      "\xc3\xa9t\xc3\xa9: \xc3\xbc\n"
                      "flow: {a: [1, 2]}\n";
    int rc = yparse(&a, src, &ys, NULL);
    CHECK("yaml-parse", rc == 0 && ys.ndocs == 1, "rc=%d ndocs=%u %s", rc, ys.ndocs, rc ? ys.error.message : "");
    if (rc == 0 && ys.ndocs == 1) {
        const dw_yaml_node *r = ys.docs[0];
        CHECK("yaml-root", r->kind == DW_YAML_MAPPING && r->n == 4 && at(r, 1, 1) && r->style == DW_YAML_BLOCK,
              "kind %d n %u", r->kind, r->n);
        const dw_yaml_node *list = yget(r, "list");
        CHECK("yaml-seq", list && list->kind == DW_YAML_SEQUENCE && list->n == 4 && at(list, 3, 3),
              "list at %u:%u", list ? list->start.line : 0, list ? list->start.col : 0);
        if (list && list->n == 4) {
            const dw_yaml_node *q = list->items[1];
            CHECK("yaml-single-quoted", q->style == DW_YAML_SINGLE_QUOTED && !strcmp(q->value, "single") &&
                  at(q, 4, 5) && q->end.col == 13 && q->span.end - q->span.start == 8 &&
                  !memcmp(src + q->span.start, "'single'", 8), "span %u..%u", q->span.start, q->span.end);
            CHECK("yaml-double-quoted", list->items[2]->style == DW_YAML_DOUBLE_QUOTED &&
                  !strcmp(list->items[2]->value, "dq\tx"), "value %s", list->items[2]->value);
            CHECK("yaml-literal", list->items[3]->style == DW_YAML_LITERAL && !strcmp(list->items[3]->value, "lit\n"),
                  "value %s", list->items[3]->value);
            /* a block collection ends at its last item, not at the next key */
            CHECK("yaml-block-end", list->end.line == list->items[3]->end.line &&
                  list->span.end == list->items[3]->span.end, "end %u:%u", list->end.line, list->end.col);
        }
        const dw_yaml_pair *u = dw_yaml_lookup(r, "\xc3\xa9t\xc3\xa9", false);
        CHECK("yaml-utf8-columns", u && at(u->key, 8, 1) && at(u->value, 8, 6) &&
              u->value->span.start == (uint32_t)(strstr(src, "\xc3\xbc") - src),
              "value at %u:%u byte %u", u ? u->value->start.line : 0, u ? u->value->start.col : 0,
              u ? u->value->span.start : 0);
        const dw_yaml_node *flow = yget(r, "flow");
        CHECK("yaml-flow", flow && flow->style == DW_YAML_FLOW && at(flow, 9, 7) && flow->end.col == 18 &&
              src[flow->span.end - 1] == '}', "flow end %u:%u", flow ? flow->end.line : 0, flow ? flow->end.col : 0);
    }

    /* BOM and CRLF: columns agree with the line table (the BOM counts) */
    src = "\xef\xbb\xbf" "a: 1\r\nb: two\r\n";
    rc = yparse(&a, src, &ys, NULL);
    if (rc == 0 && ys.ndocs == 1) {
        const dw_yaml_pair *b = dw_yaml_lookup(ys.docs[0], "b", false);
        CHECK("yaml-crlf", b && at(b->value, 2, 4) && !memcmp(src + b->value->span.start, "two", 3),
              "b at %u:%u", b ? b->value->start.line : 0, b ? b->value->start.col : 0);
        dw_linemap lm;
        dw_linemap_build(&lm, &a, src, (uint32_t)strlen(src));
        const dw_yaml_pair *ak = dw_yaml_lookup(ys.docs[0], "a", false);
        dw_pos p = dw_linemap_pos(&lm, ak->value->span.start);
        CHECK("yaml-bom-columns", p.line == ak->value->start.line && p.col == ak->value->start.col,
              "linemap %u:%u yaml %u:%u", p.line, p.col, ak->value->start.line, ak->value->start.col);
    } else {
        suite_fail(&S, "yaml-crlf", "parse failed: %s", ys.error.message);
    }

    /* tags, nulls, booleans */
    rc = yparse(&a, "a: !!str 123\nb: ~\nc:\nd: true\ne: 'true'\nf: yes\ng: !custom x\n", &ys, NULL);
    if (rc == 0) {
        const dw_yaml_node *r = ys.docs[0];
        bool bv = false;
        CHECK("yaml-tag", yget(r, "a")->tag && !strcmp(yget(r, "a")->tag, "tag:yaml.org,2002:str"), "tag %s",
              yget(r, "a")->tag ? yget(r, "a")->tag : "(none)");
        CHECK("yaml-custom-tag", yget(r, "g")->tag && !strcmp(yget(r, "g")->tag, "!custom"), "custom tag");
        CHECK("yaml-null", dw_yaml_is_null(yget(r, "b")) && dw_yaml_is_null(yget(r, "c")) &&
              !dw_yaml_is_null(yget(r, "a")), "nulls");
        CHECK("yaml-bool", dw_yaml_bool(yget(r, "d"), &bv) == 0 && bv && dw_yaml_bool(yget(r, "e"), &bv) < 0 &&
              dw_yaml_bool(yget(r, "f"), &bv) < 0, "YAML 1.2 booleans only");
    } else {
        suite_fail(&S, "yaml-tags", "%s", ys.error.message);
    }

    /* aliases are nodes of their own that point at the anchored node */
    rc = yparse(&a, "base: &b {x: 1, y: 2}\nsvc:\n  <<: *b\n  y: 3\nref: *b\n", &ys, NULL);
    if (rc == 0) {
        const dw_yaml_node *r = ys.docs[0];
        const dw_yaml_node *ref = yget(r, "ref");
        CHECK("yaml-alias", ref && ref->kind == DW_YAML_ALIAS && ref->target == yget(r, "base") &&
              dw_yaml_deref(ref) == yget(r, "base") && at(ref, 5, 6) && !strcmp(yget(r, "base")->anchor, "b"),
              "alias");
        const dw_yaml_node *svc = yget(r, "svc");
        const dw_yaml_pair *x = dw_yaml_lookup(svc, "x", true), *y = dw_yaml_lookup(svc, "y", true);
        CHECK("yaml-merge-key", x && dw_yaml_scalar_is(x->value, "1") && y && dw_yaml_scalar_is(y->value, "3") &&
              !dw_yaml_lookup(svc, "x", false), "merge");
        /* root 1 + base (1 + 5) + svc (1 + 1 + "<<" 1 + alias 5 + 2) + ref (1 + alias 5) */
        CHECK("yaml-weight", r->weight == 23,
              "weight %llu", (unsigned long long)r->weight);
    } else {
        suite_fail(&S, "yaml-alias", "%s", ys.error.message);
    }

    /* billion laughs: stops at the node bound with a position */
    {
        dw_buf b = {0};
        dw_buf_puts(&b, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            dw_buf_printf(&b, "%c: &%c [", c, c);
            for (int k = 0; k < 9; k++) dw_buf_printf(&b, "%s*%c", k ? "," : "", c - 1);
            dw_buf_puts(&b, "]\n");
        }
        dw_buf_putc(&b, 0);
        rc = yparse(&a, b.p, &ys, NULL);
        CHECK("yaml-alias-bomb", rc < 0 && strstr(ys.error.message, "alias bomb") && ys.error.pos.line >= 6,
              "rc=%d %s at %u", rc, rc ? ys.error.message : "", ys.error.pos.line);
        dw_yaml_limits small = {0, 50};
        rc = yparse(&a, "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a, *a, *a, *a]\n", &ys, &small);
        CHECK("yaml-node-bound", rc < 0 && ys.error.pos.line == 2, "rc=%d line %u", rc, ys.error.pos.line);
        dw_buf_free(&b);
    }

    /* hostile nesting: a bounded error, not a crash or a huge tree */
    {
        size_t n = 100000;
        char *deep = malloc(n + 1);
        memset(deep, '[', n);
        deep[n] = 0;
        rc = yparse(&a, deep, &ys, NULL);
        CHECK("yaml-deep-flow", rc < 0 && strstr(ys.error.message, "nesting deeper than 512") &&
              ys.error.pos.line == 1 && ys.error.pos.col == 513, "rc=%d %s at %u:%u", rc, rc ? ys.error.message : "",
              ys.error.pos.line, ys.error.pos.col);
        free(deep);
        dw_buf b = {0};
        for (int i = 0; i < 2000; i++) dw_buf_puts(&b, "- ");
        dw_buf_puts(&b, "x\n");
        dw_buf_putc(&b, 0);
        dw_yaml_limits lim = {100, 0};
        rc = yparse(&a, b.p, &ys, &lim);
        CHECK("yaml-deep-block", rc < 0 && strstr(ys.error.message, "deeper than 100"), "rc=%d", rc);
        dw_buf_free(&b);
    }

    /* malformed YAML: libyaml's problem text at the right place */
    rc = yparse(&a, "a: b\nc: [1, 2\nd: 3\n", &ys, NULL);
    CHECK("yaml-error-flow", rc < 0 && ys.error.pos.line == 3 && ys.error.context &&
          strstr(ys.error.message, "flow sequence") && ys.error.context_pos.line == 2 && ys.error.context_pos.col == 4,
          "rc=%d %s at %u:%u", rc, rc ? ys.error.message : "", ys.error.pos.line, ys.error.pos.col);
    rc = yparse(&a, "a: b\n  c: d\n", &ys, NULL);
    CHECK("yaml-error-mapping", rc < 0 && ys.error.pos.line == 2 && ys.error.pos.col == 4 &&
          strstr(ys.error.problem, "mapping values are not allowed"), "rc=%d %s at %u:%u", rc,
          rc ? ys.error.message : "", ys.error.pos.line, ys.error.pos.col);
    rc = yparse(&a, "a: 1\nb: \"x\xff\"\n", &ys, NULL);
    CHECK("yaml-error-utf8", rc < 0 && ys.error.pos.line == 2 && ys.error.pos.col == 6 && ys.error.span.start == 10, "rc=%d %u:%u @%u", rc,
          ys.error.pos.line, ys.error.pos.col, ys.error.span.start);
    rc = yparse(&a, "a: *nope\n", &ys, NULL);
    CHECK("yaml-unknown-alias", rc < 0 && strstr(ys.error.message, "unknown alias *nope") && ys.error.pos.col == 4,
          "rc=%d", rc);
    rc = yparse(&a, "a: &x [1, *x]\n", &ys, NULL);
    CHECK("yaml-recursive-alias", rc < 0 && strstr(ys.error.message, "contains it"), "rc=%d", rc);
    rc = yparse(&a, "--- a\n--- b\n...\n", &ys, NULL);
    CHECK("yaml-documents", rc == 0 && ys.ndocs == 2 && dw_yaml_scalar_is(ys.docs[1], "b"), "ndocs %u", ys.ndocs);
    rc = yparse(&a, "", &ys, NULL);
    CHECK("yaml-empty", rc == 0 && ys.ndocs == 0, "rc=%d ndocs=%u", rc, ys.ndocs);
    rc = yparse(&a, "a: &x 1\nb: &x 2\nc: *x\n", &ys, NULL);
    CHECK("yaml-anchor-redefined", rc == 0 && dw_yaml_scalar_is(yget(ys.docs[0], "c"), "2"), "rc=%d", rc);
    dw_arena_free(&a);
}

/* ---- gitignore ---- */

typedef struct {
    const char *patterns; /* lines */
    const char *path;
    bool dir;
    int want; /* 0 none, 1 excluded, 2 re-included */
} gi_case;

static const gi_case gi_cases[] = {
    {"*.log", "a.log", false, 1},
    {"*.log", "deep/down/a.log", false, 1},
    {"*.log", "a.log.txt", false, 0},
    {"build", "build", true, 1},
    {"build", "src/build", false, 1},
    {"build/", "build", true, 1},
    {"build/", "build", false, 0},           /* dir only */
    {"build/", "x/build", true, 1},          /* a trailing slash does not anchor */
    {"/build", "build", true, 1},
    {"/build", "src/build", true, 0},        /* a leading slash anchors */
    {"doc/frotz", "doc/frotz", true, 1},
    {"doc/frotz", "a/doc/frotz", true, 0},   /* a middle slash anchors too */
    {"doc/frotz/", "doc/frotz", true, 1},
    {"*.txt\n!keep.txt", "keep.txt", false, 2},
    {"*.txt\n!keep.txt", "other.txt", false, 1},
    {"!keep.txt\n*.txt", "keep.txt", false, 1}, /* the last match wins */
    {"**/foo", "foo", false, 1},
    {"**/foo", "a/b/foo", false, 1},
    {"**/foo/bar", "x/foo/bar", false, 1},
    {"**/foo/bar", "foo/bar", false, 1},
    {"abc/**", "abc/x", false, 1},
    {"abc/**", "abc/x/y", false, 1},
    {"abc/**", "abc", true, 0},
    {"a/**/b", "a/b", false, 1},
    {"a/**/b", "a/x/b", false, 1},
    {"a/**/b", "a/x/y/b", false, 1},
    {"a/**/b", "a/xb", false, 0},
    {"a**b", "axxb", false, 1},              /* not between slashes: an ordinary star */
    {"a/*/b", "a/x/y/b", false, 0},          /* * does not cross '/' */
    {"a/?", "a/x", false, 1},
    {"a?c", "a/c", false, 0},
    {"[abc].txt", "b.txt", false, 1},
    {"[abc].txt", "d.txt", false, 0},
    {"[!abc].txt", "d.txt", false, 1},
    {"[^abc].txt", "a.txt", false, 0},
    {"[a-c]x", "bx", false, 1},
    {"[]]x", "]x", false, 1},
    {"[[:digit:]]*", "7up", false, 1},
    {"[[:digit:]]*", "up7", false, 0},
    {"[abc", "[abc", false, 0},              /* unclosed: never matches */
    {"\\#file", "#file", false, 1},
    {"#file", "#file", false, 0},            /* a comment */
    {"\\!important", "!important", false, 1},
    {"trailing   ", "trailing", false, 1},   /* trailing spaces go */
    {"space\\ ", "space ", false, 1},        /* unless escaped */
    {"\\*star", "*star", false, 1},
    {"\\*star", "xstar", false, 0},
    {"*", "anything/at/all", false, 1},
    {"foo/*", "foo/bar", false, 1},
    {"foo/*", "foo/bar/baz", false, 0},
    {"foo\\", "foo", false, 0},              /* a trailing backslash: never matches */
    {"*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false, 0},
    {"", "x", false, 0},
};

static void gitignore_tests(void)
{
    for (size_t i = 0; i < sizeof gi_cases / sizeof *gi_cases; i++) {
        const gi_case *c = &gi_cases[i];
        dw_arena a;
        dw_arena_init(&a);
        dw_ignore_list l = {0};
        dw_ignore_add_text(&a, &l, c->patterns, strlen(c->patterns));
        int got = (int)dw_ignore_match(&l, c->path, strlen(c->path), c->dir);
        char name[200];
        snprintf(name, sizeof name, "gitignore '%s' vs %s%s", c->patterns, c->path, c->dir ? "/" : "");
        CHECK(name, got == c->want, "got %d, want %d", got, c->want);
        dw_arena_free(&a);
    }
    /* wildmatch itself, a few of git's t3070 cases */
    static const struct { const char *p, *t; bool m; } wm[] = {
        {"foo", "foo", true}, {"foo/*", "foo/bar", true}, {"foo/**", "foo/bar/baz", true},
        {"**/bar*", "deep/foo/bar/baz", false}, {"**/bar/*", "deep/foo/bar/baz", true},
        {"*/bar/**", "deep/foo/bar/baz/", false}, {"foo?bar", "foo/bar", false}, {"**/foo", "foo", true},
        {"*.c", "mumble.c", true}, {"a[!b]c", "a/c", false}, {"[a-z][0-9]", "b7", true},
        {"**", "", true}, {"*", "", true}, {"?", "", false},
    };
    for (size_t i = 0; i < sizeof wm / sizeof *wm; i++) {
        bool got = dw_wildmatch(wm[i].p, strlen(wm[i].p), wm[i].t, strlen(wm[i].t));
        char name[160];
        snprintf(name, sizeof name, "wildmatch '%s' vs '%s'", wm[i].p, wm[i].t);
        CHECK(name, got == wm[i].m, "got %d", got);
    }
}

/* ---- discovery ---- */

/* The found files as "kind:path-relative-to-root" lines, sorted. */
static char *found_list(const char *root, bool gitignore, const dw_config *cfg)
{
    dw_found f = {0};
    const char *why = NULL;
    if (dw_discover(root, gitignore, cfg, &f, &why) < 0) return strdup("(error)");
    size_t rl = strlen(root);
    char **v = calloc(f.n + 1, sizeof *v);
    for (uint32_t i = 0; i < f.n; i++) {
        const char *p = f.v[i].path;
        if (!strncmp(p, root, rl) && p[rl] == '/') p += rl + 1;
        v[i] = malloc(strlen(p) + 3);
        sprintf(v[i], "%c:%s", f.v[i].kind == DW_FILE_COMPOSE ? 'C' : f.v[i].kind == DW_FILE_DOCKERIGNORE ? 'I' : 'D', p);
    }
    for (uint32_t i = 0; i < f.n; i++) /* tiny insertion sort */
        for (uint32_t k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
            char *t = v[k]; v[k] = v[k - 1]; v[k - 1] = t;
        }
    dw_buf b = {0};
    for (uint32_t i = 0; i < f.n; i++) {
        dw_buf_printf(&b, "%s\n", v[i]);
        free(v[i]);
    }
    free(v);
    dw_found_free(&f);
    dw_buf_putc(&b, 0);
    return b.p;
}

static void expect_list(const char *name, char *got, const char *want)
{
    suite_expect_text(&S, name, want, strlen(want), got, strlen(got));
    free(got);
}

static const char *DF = "FROM scratch\n";

static void discover_tests(void)
{
    const char *r = repo("disc");
    put(r, "Dockerfile", DF);
    put(r, "compose.yaml", "services: {}\n");
    put(r, "docker-compose.prod.yml", "services: {}\n");
    put(r, "app/Dockerfile.dev", DF);
    put(r, "app/x.Dockerfile", DF);
    put(r, "app/Dockerfile.bak", DF);
    put(r, "app/Dockerfile~", DF);
    put(r, "app/x.dockerignore", "");
    put(r, "build/Dockerfile", DF);
    put(r, "logs/keep/Dockerfile", DF);
    put(r, "node_modules/pkg/Dockerfile", DF);
    put(r, "vendor/Dockerfile", DF);
    put(r, ".venv/Dockerfile", DF);
    put(r, ".git/Dockerfile", DF);
    put(r, "sub/Dockerfile", DF);
    put(r, "sub/gen/Dockerfile", DF);
    put(r, "sub/gen/Dockerfile.keep", DF);
    put(r, "sub/Dockerfile.local", DF);
    put(r, "deep/a/b/Dockerfile", DF);
    put(r, "deep/a/b/Containerfile", DF);
    put(r, ".gitignore", "build/\nlogs\n*.local\n/deep/a/b/Containerfile\n");
    put(r, "sub/.gitignore", "gen/*\n!gen/Dockerfile.keep\n");
    put(r, ".git/info/exclude", "deep/**/Dockerfile\n");

    expect_list("discover-gitignore", found_list(r, true, NULL),
                "C:compose.yaml\nC:docker-compose.prod.yml\nD:Dockerfile\nD:app/Dockerfile.dev\nD:app/x.Dockerfile\n"
                "D:sub/Dockerfile\nD:sub/gen/Dockerfile.keep\nI:app/x.dockerignore\n");
    expect_list("discover-no-ignore", found_list(r, false, NULL),
                "C:compose.yaml\nC:docker-compose.prod.yml\nD:Dockerfile\nD:app/Dockerfile.dev\nD:app/x.Dockerfile\n"
                "D:build/Dockerfile\nD:deep/a/b/Containerfile\nD:deep/a/b/Dockerfile\nD:logs/keep/Dockerfile\n"
                "D:sub/Dockerfile\nD:sub/Dockerfile.local\nD:sub/gen/Dockerfile\nD:sub/gen/Dockerfile.keep\nI:app/x.dockerignore\n");
    /* a sub-folder checked on its own still obeys the .gitignore above it */
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", r);
    expect_list("discover-parent-gitignore", found_list(sub, true, NULL), "D:Dockerfile\nD:gen/Dockerfile.keep\n");
    snprintf(sub, sizeof sub, "%s/deep", r);
    expect_list("discover-parent-info-exclude", found_list(sub, true, NULL), "");
    /* a folder named explicitly is walked even when ignored */
    snprintf(sub, sizeof sub, "%s/build", r);
    expect_list("discover-explicit-ignored-dir", found_list(sub, true, NULL), "D:Dockerfile\n");
    /* a file named explicitly is taken whatever its name */
    snprintf(sub, sizeof sub, "%s/app/Dockerfile.bak", r);
    dw_found f = {0};
    const char *why;
    dw_discover(sub, true, NULL, &f, &why);
    CHECK("discover-explicit-file", f.n == 1 && f.v[0].kind == DW_FILE_DOCKERFILE, "n=%u", f.n);
    dw_found_free(&f);

    /* a nested repository: the outer .gitignore stops at its root */
    const char *n = repo("nested");
    put(n, ".gitignore", "*.dev\n");
    put(n, "inner/.git/info/exclude", "ignored/\n");
    put(n, "inner/Dockerfile.dev", DF);
    put(n, "inner/ignored/Dockerfile", DF);
    put(n, "Dockerfile.dev", DF);
    expect_list("discover-nested-repo", found_list(n, true, NULL), "D:inner/Dockerfile.dev\n");

    /* symlinked folders are not followed; symlinked files are taken */
    const char *s = repo("links");
    put(s, "real/Dockerfile", DF);
    char target[600], link[600];
    snprintf(target, sizeof target, "%s/real", s);
    snprintf(link, sizeof link, "%s/alias", s);
    int lr = symlink(target, link);
    snprintf(target, sizeof target, "%s/real/Dockerfile", s);
    snprintf(link, sizeof link, "%s/Dockerfile.link", s);
    lr |= symlink(target, link);
    snprintf(link, sizeof link, "%s/loop", s);
    lr |= symlink(s, link);
    if (lr == 0) expect_list("discover-symlinks", found_list(s, true, NULL), "D:Dockerfile.link\nD:real/Dockerfile\n");
    else suite_skip(&S, 1, "symlinks unavailable");

    /* exclude globs from the config, relative to its folder */
    const char *e = repo("excl");
    put(e, ".dockwright.yaml", "exclude: [\"legacy/**\", \"*.old.Dockerfile\", \"/top-only\"]\n");
    put(e, "legacy/Dockerfile", DF);
    put(e, "legacy/deeper/Dockerfile", DF);
    put(e, "svc/legacy/Dockerfile", DF);
    put(e, "svc/a.old.Dockerfile", DF);
    put(e, "top-only/Dockerfile", DF);
    put(e, "svc/top-only/Dockerfile", DF);
    put(e, "Dockerfile", DF);
    dw_config *cfg = dw_config_new();
    char *err = NULL;
    dw_config_load(cfg, NULL, e, &err);
    CHECK("exclude-loaded", cfg->nexclude == 3 && cfg->exclude_base, "nexclude %u", cfg->nexclude);
    expect_list("discover-exclude", found_list(e, true, cfg),
                "D:Dockerfile\nD:svc/legacy/Dockerfile\nD:svc/top-only/Dockerfile\n");
    snprintf(sub, sizeof sub, "%s/svc", e);
    expect_list("discover-exclude-from-subfolder", found_list(sub, true, cfg), "D:legacy/Dockerfile\nD:top-only/Dockerfile\n");
    dw_config_free(cfg);

    /* dclint's exclude concerns Compose files only */
    const char *d = repo("dclexcl");
    put(d, ".dclintrc", "{\"exclude\": [\"old\"]}\n");
    put(d, "old/compose.yaml", "services: {}\n");
    put(d, "old/Dockerfile", DF);
    put(d, "new/compose.yml", "services: {}\n");
    cfg = dw_config_new();
    dw_config_load(cfg, NULL, d, &err);
    expect_list("discover-dclint-exclude", found_list(d, true, cfg), "C:new/compose.yml\nD:old/Dockerfile\n");
    dw_config_free(cfg);
}

/* ---- config search and mapping ---- */

static dw_config *load(const char *start, const char *path, int *rc)
{
    dw_config *c = dw_config_new();
    char *err = NULL;
    int r = dw_config_load(c, path, start, &err);
    if (rc) *rc = r;
    free(err);
    return c;
}

static dw_severity sev_of(const dw_config *c, const char *slug)
{
    const dw_rule *r = dw_rule_by_slug(slug);
    return r ? c->severity[r->index] : (dw_severity)-1;
}

static uint32_t ndiags(const dw_config *c)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->nfiles; i++) n += c->files[i].diags.n;
    return n;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = s ? strlen(s) : 0, m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

static bool has_registry(const dw_config *c, const char *r)
{
    for (uint32_t i = 0; i < c->ntrusted; i++)
        if (!strcmp(c->trusted_registries[i], r)) return true;
    return false;
}

static int label_type(const dw_config *c, const char *name)
{
    for (uint32_t i = 0; i < c->nlabels; i++)
        if (!strcmp(c->labels[i].name, name)) return (int)c->labels[i].type;
    return -1;
}

static void search_tests(void)
{
    char sub[700];
    /* .dockwright.yaml in the start folder, in a parent; not above the repository root */
    const char *r = repo("search");
    put(r, "a/b/Dockerfile", DF);
    put(r, ".dockwright.yaml", "failure-threshold: error\n");
    snprintf(sub, sizeof sub, "%s/a/b", r);
    dw_config *c = load(sub, NULL, NULL);
    CHECK("search-parent", c->source == DW_CONFIG_DOCKWRIGHT && ends_with(c->path, "search/.dockwright.yaml") &&
          c->failure_threshold == DW_SEV_ERROR, "path %s", c->path ? c->path : "(none)");
    dw_config_free(c);
    snprintf(sub, sizeof sub, "%s/a/b/Dockerfile", r); /* a file: its folder */
    c = load(sub, NULL, NULL);
    CHECK("search-from-file", c->source == DW_CONFIG_DOCKWRIGHT, "source %d", c->source);
    dw_config_free(c);
    put(r, "a/.dockwright.yml", "failure-threshold: style\n");
    snprintf(sub, sizeof sub, "%s/a/b", r);
    c = load(sub, NULL, NULL);
    CHECK("search-nearest-yml", ends_with(c->path, "a/.dockwright.yml") && c->failure_threshold == DW_SEV_STYLE,
          "path %s", c->path ? c->path : "(none)");
    dw_config_free(c);

    /* the repository root bounds the search */
    char outer[600];
    snprintf(outer, sizeof outer, "%s/outer", tmp_root);
    rm_tree(outer);
    put(outer, ".dockwright.yaml", "failure-threshold: error\n");
    snprintf(sub, sizeof sub, "%s/inner/.git", outer);
    mkdirs(sub);
    snprintf(sub, sizeof sub, "%s/inner", outer);
    c = load(sub, NULL, NULL);
    CHECK("search-stops-at-repo-root", c->source == DW_CONFIG_NONE && c->failure_threshold == DW_SEV_WARNING,
          "source %d", c->source);
    dw_config_free(c);

    /* $XDG_CONFIG_HOME/dockwright/config.yaml, default ~/.config */
    const char *x = repo("xdg");
    char home[600];
    snprintf(home, sizeof home, "%s/home", tmp_root);
    put(home, ".config/dockwright/config.yaml", "failure-threshold: info\n");
    c = load(x, NULL, NULL);
    CHECK("search-home-config", c->source == DW_CONFIG_DOCKWRIGHT && c->failure_threshold == DW_SEV_INFO,
          "source %d", c->source);
    dw_config_free(c);
    char xdg[600];
    snprintf(xdg, sizeof xdg, "%s/xdgdir", tmp_root);
    put(xdg, "dockwright/config.yaml", "failure-threshold: style\n");
    setenv("XDG_CONFIG_HOME", xdg, 1);
    c = load(x, NULL, NULL);
    CHECK("search-xdg-config", c->failure_threshold == DW_SEV_STYLE, "threshold %d", c->failure_threshold);
    dw_config_free(c);
    unsetenv("XDG_CONFIG_HOME");
    snprintf(sub, sizeof sub, "%s/.config/dockwright/config.yaml", home);
    remove(sub);

    /* --config replaces the search; a missing file is an error */
    put(x, "other.yaml", "failure-threshold: none\n");
    snprintf(sub, sizeof sub, "%s/other.yaml", x);
    int rc;
    c = load(r, sub, &rc);
    CHECK("config-flag", rc == 0 && c->failure_threshold == DW_SEV_OFF && !strcmp(c->path, sub), "rc=%d", rc);
    dw_config_free(c);
    snprintf(sub, sizeof sub, "%s/missing.yaml", x);
    c = load(r, sub, &rc);
    CHECK("config-flag-missing", rc == -1, "rc=%d", rc);
    dw_config_free(c);

    /* ours beats hadolint's even when hadolint's is nearer */
    const char *o = repo("order");
    put(o, ".dockwright.yaml", "failure-threshold: error\n");
    put(o, "s/.hadolint.yaml", "failure-threshold: style\n");
    snprintf(sub, sizeof sub, "%s/s", o);
    c = load(sub, NULL, NULL);
    CHECK("search-ours-first", c->source == DW_CONFIG_DOCKWRIGHT && c->failure_threshold == DW_SEV_ERROR,
          "source %d", c->source);
    dw_config_free(c);
    /* hadolint's in a parent folder; then hadolint's user places */
    const char *h = repo("hado");
    put(h, ".hadolint.yml", "failure-threshold: error\n");
    snprintf(sub, sizeof sub, "%s/x/y", h);
    mkdirs(sub);
    c = load(sub, NULL, NULL);
    CHECK("search-hadolint-parent", c->source == DW_CONFIG_HADOLINT && c->failure_threshold == DW_SEV_ERROR,
          "source %d", c->source);
    dw_config_free(c);
    const char *h2 = repo("hado2");
    put(home, ".config/hadolint.yaml", "failure-threshold: warning\n");
    c = load(h2, NULL, NULL);
    CHECK("search-hadolint-user", c->source == DW_CONFIG_HADOLINT && c->failure_threshold == DW_SEV_WARNING,
          "source %d", c->source);
    dw_config_free(c);
    snprintf(sub, sizeof sub, "%s/.config/hadolint.yaml", home);
    remove(sub);
    put(home, ".hadolint.yaml", "failure-threshold: style\n");
    c = load(h2, NULL, NULL);
    CHECK("search-hadolint-home", c->failure_threshold == DW_SEV_STYLE, "threshold %d", c->failure_threshold);
    dw_config_free(c);
    snprintf(sub, sizeof sub, "%s/.hadolint.yaml", home);
    remove(sub);
    c = load(h2, NULL, NULL);
    CHECK("search-nothing", c->source == DW_CONFIG_NONE && !c->nfiles && c->failure_threshold == DW_SEV_WARNING,
          "source %d", c->source);
    dw_config_free(c);
}

static void hadolint_tests(void)
{
    const char *h = repo("hmap");
    put(h, ".hadolint.yaml",
        "ignored: [DL3007, SC2086, DL9999]\n"
        "override:\n"
        "  error: [DL3006]\n"
        "  warning: [DL3006, DL3057]\n"
        "  info: [DL1001]\n"
        "  style: [DL3006, DL3045, NOPE]\n"
        "trustedRegistries: [docker.io, \"*.gcr.io\"]\n"
        "label-schema:\n"
        "  author: \"\"\n"
        "  website: url\n"
        "  version: semver\n"
        "strict-labels: true\n"
        "disable-ignore-pragma: true\n"
        "no-fail: true\n"
        "failure-threshold: ignore\n"
        "format: json\n"
        "formats: [tty]\n"
        "no-color: true\n"
        "verbose: false\n"
        "some-future-key: {a: 1}\n");
    dw_config *c = load(h, NULL, NULL);
    CHECK("hadolint-source", c->source == DW_CONFIG_HADOLINT && ndiags(c) == 0, "source %d diags %u", c->source, ndiags(c));
    CHECK("hadolint-ignored", sev_of(c, "latest-tag") == DW_SEV_OFF && c->nignored_codes == 3 &&
          !strcmp(c->ignored_codes[1], "SC2086"), "latest-tag %d", sev_of(c, "latest-tag"));
    CHECK("hadolint-override-priority", sev_of(c, "untagged-image") == DW_SEV_ERROR, "DL3006 %d",
          sev_of(c, "untagged-image"));
    CHECK("hadolint-override-enables", sev_of(c, "healthcheck-missing") == DW_SEV_WARNING &&
          sev_of(c, "inline-ignore") == DW_SEV_INFO, "DL3057 %d DL1001 %d", sev_of(c, "healthcheck-missing"),
          sev_of(c, "inline-ignore"));
    CHECK("hadolint-override-style", sev_of(c, "copy-relative-no-workdir") == DW_SEV_STYLE, "DL3045 %d",
          sev_of(c, "copy-relative-no-workdir"));
    CHECK("hadolint-registries", c->ntrusted == 2 && has_registry(c, "*.gcr.io"), "n %u", c->ntrusted);
    CHECK("hadolint-label-schema", c->nlabels == 3 && label_type(c, "author") == DW_LABEL_TEXT &&
          label_type(c, "website") == DW_LABEL_URL && label_type(c, "version") == DW_LABEL_SEMVER, "n %u", c->nlabels);
    CHECK("hadolint-bools", c->strict_labels && c->disable_ignore_pragma && c->no_fail, "bools");
    CHECK("hadolint-threshold-ignore", c->failure_threshold == DW_SEV_STYLE, "threshold %d", c->failure_threshold);
    dw_config_free(c);

    /* every failure-threshold value; hadolint fails on findings whose severity
     * is <= the threshold in error < warning < info < style < ignore, so
     * `ignore` and `none` make every finding fail: our `style` */
    static const struct { const char *v; dw_severity want; } th[] = {
        {"error", DW_SEV_ERROR}, {"warning", DW_SEV_WARNING}, {"info", DW_SEV_INFO},
        {"style", DW_SEV_STYLE}, {"ignore", DW_SEV_STYLE}, {"none", DW_SEV_STYLE},
    };
    for (size_t i = 0; i < sizeof th / sizeof *th; i++) {
        char text[80], name[64];
        snprintf(text, sizeof text, "failure-threshold: %s\ntrusted-registries: [x.io]\n", th[i].v);
        put(h, ".hadolint.yaml", text);
        c = load(h, NULL, NULL);
        snprintf(name, sizeof name, "hadolint-threshold-%s", th[i].v);
        CHECK(name, c->failure_threshold == th[i].want && has_registry(c, "x.io") && !ndiags(c), "threshold %d",
              c->failure_threshold);
        dw_config_free(c);
    }

    /* hadolint's default threshold is info; bad values are config errors */
    put(h, ".hadolint.yaml", "strict-labels: maybe\nlabel-schema: {a: colour}\nfailure-threshold: loud\nignored: {a: 1}\n");
    c = load(h, NULL, NULL);
    CHECK("hadolint-default-threshold", c->failure_threshold == DW_SEV_INFO && !c->strict_labels, "threshold %d",
          c->failure_threshold);
    CHECK("hadolint-type-errors", ndiags(c) == 4 && c->files[0].diags.v[0].span.start == 15, "diags %u", ndiags(c));
    dw_config_free(c);

    /* the environment, under the file: file > env for single values, lists merge */
    put(h, ".hadolint.yaml", "failure-threshold: error\nignored: [DL3007]\ntrustedRegistries: [a.io]\n");
    setenv("HADOLINT_FAILURE_THRESHOLD", "style", 1);
    setenv("HADOLINT_NOFAIL", "YES", 1);
    setenv("HADOLINT_IGNORE", "DL3006, DL3002", 1);
    setenv("HADOLINT_OVERRIDE_ERROR", "DL3057", 1);
    setenv("HADOLINT_OVERRIDE_STYLE", "DL3057,DL3045", 1);
    setenv("HADOLINT_TRUSTED_REGISTRIES", "b.io,a.io", 1);
    setenv("HADOLINT_REQUIRE_LABELS", "maintainer:email,bad:colour,build:rfc3339", 1);
    setenv("HADOLINT_STRICT_LABELS", "on", 1);
    setenv("HADOLINT_DISABLE_IGNORE_PRAGMA", "nope", 1);
    c = load(h, NULL, NULL);
    CHECK("hadolint-env-file-wins", c->failure_threshold == DW_SEV_ERROR, "threshold %d", c->failure_threshold);
    CHECK("hadolint-env-bools", c->no_fail && c->strict_labels && !c->disable_ignore_pragma, "bools");
    CHECK("hadolint-env-ignore-merge", sev_of(c, "latest-tag") == DW_SEV_OFF && sev_of(c, "untagged-image") == DW_SEV_OFF &&
          sev_of(c, "last-user-root") == DW_SEV_OFF, "ignores");
    CHECK("hadolint-env-override", sev_of(c, "healthcheck-missing") == DW_SEV_ERROR &&
          sev_of(c, "copy-relative-no-workdir") == DW_SEV_STYLE, "overrides");
    CHECK("hadolint-env-registries", c->ntrusted == 2 && has_registry(c, "a.io") && has_registry(c, "b.io"), "n %u",
          c->ntrusted);
    CHECK("hadolint-env-labels", c->nlabels == 2 && label_type(c, "maintainer") == DW_LABEL_EMAIL &&
          label_type(c, "build") == DW_LABEL_RFC3339, "n %u", c->nlabels);
    dw_config_free(c);
    /* the environment alone is a hadolint mapping too */
    const char *e = repo("henv");
    c = load(e, NULL, NULL);
    CHECK("hadolint-env-only", c->source == DW_CONFIG_HADOLINT && c->failure_threshold == DW_SEV_STYLE && c->no_fail,
          "source %d threshold %d", c->source, c->failure_threshold);
    dw_config_free(c);
    /* ... but never with our own config */
    put(e, ".dockwright.yaml", "no-fail: false\n");
    c = load(e, NULL, NULL);
    CHECK("hadolint-env-not-with-ours", c->source == DW_CONFIG_DOCKWRIGHT && !c->no_fail &&
          c->failure_threshold == DW_SEV_WARNING && sev_of(c, "untagged-image") != DW_SEV_OFF, "env leaked");
    dw_config_free(c);
    clear_hadolint_env();
    setenv("HADOLINT_ALLOWED_REGISTRIES", "old.io", 1); /* the name before 2.10 */
    c = load(e, NULL, NULL);
    CHECK("hadolint-env-allowed-registries", c->source == DW_CONFIG_DOCKWRIGHT && !c->ntrusted, "with ours: n %u", c->ntrusted);
    dw_config_free(c);
    char ours_path[700];
    snprintf(ours_path, sizeof ours_path, "%s/.dockwright.yaml", e);
    remove(ours_path);
    c = load(e, NULL, NULL);
    CHECK("hadolint-env-allowed-registries-alone", c->ntrusted == 1 && has_registry(c, "old.io") &&
          c->failure_threshold == DW_SEV_INFO, "n %u", c->ntrusted);
    dw_config_free(c);
    clear_hadolint_env();
    /* --config naming a hadolint file maps it as hadolint's */
    char p[700];
    snprintf(p, sizeof p, "%s/.hadolint.yaml", h);
    c = load(e, p, NULL);
    CHECK("hadolint-config-flag", c->source == DW_CONFIG_HADOLINT && sev_of(c, "latest-tag") == DW_SEV_OFF, "source %d",
          c->source);
    dw_config_free(c);
}

static void dclint_tests(void)
{
    const char *d = repo("dcl");
    put(d, ".dclintrc.json",
        "{\n"
        "  \"$schema\": \"x\",\n"
        "  \"rules\": {\n"
        "    \"no-version-field\": 0,\n"
        "    \"service-image-require-explicit-tag\": [2, {\"prohibitedTags\": [\"latest\"]}],\n"
        "    \"require-quotes-in-ports\": 1,\n"
        "    \"bad-level\": 7\n"
        "  },\n"
        "  \"quiet\": true,\n"
        "  \"exclude\": [\"legacy\"],\n"
        "  \"colour\": 1\n"
        "}\n");
    dw_config *c = load(d, NULL, NULL);
    CHECK("dclint-source", c->nfiles == 1 && c->files[0].source == DW_CONFIG_DCLINT, "nfiles %u", c->nfiles);
    CHECK("dclint-rules", c->ncompose_rules == 3 && c->compose_rules[0].severity == DW_SEV_OFF &&
          c->compose_rules[1].severity == DW_SEV_ERROR && c->compose_rules[1].options &&
          dw_yaml_lookup(c->compose_rules[1].options, "prohibitedTags", false) &&
          c->compose_rules[2].severity == DW_SEV_WARNING, "n %u", c->ncompose_rules);
    CHECK("dclint-exclude", c->ncompose_exclude == 1 && c->compose_exclude_base && c->nexclude == 0, "n %u",
          c->ncompose_exclude);
    const dw_diags *dg = c->nfiles ? &c->files[0].diags : NULL;
    dw_pos p0 = dg && dg->n ? dw_linemap_pos(&c->files[0].lines, dg->v[0].span.start) : (dw_pos){0, 0};
    dw_pos p1 = dg && dg->n > 1 ? dw_linemap_pos(&c->files[0].lines, dg->v[1].span.start) : (dw_pos){0, 0};
    CHECK("dclint-errors", dg && dg->n == 2 && p0.line == 7 && p0.col == 18 && p1.line == 11 && p1.col == 3,
          "n %u at %u:%u, %u:%u", dg ? dg->n : 0, p0.line, p0.col, p1.line, p1.col);
    dw_config_free(c);
    /* the YAML form, and nothing else is read once ours exists */
    const char *y = repo("dcl-yaml");
    put(y, ".dclintrc.yaml", "rules:\n  no-version-field: [1, {}]\n  services-alphabetical-order: 2\n");
    dw_config *cy = load(y, NULL, NULL);
    CHECK("dclint-yaml", cy->ncompose_rules == 2 && cy->compose_rules[0].severity == DW_SEV_WARNING &&
          cy->compose_rules[0].options && !strcmp(cy->compose_rules[1].name, "services-alphabetical-order") &&
          !ndiags(cy), "n %u", cy->ncompose_rules);
    dw_config_free(cy);
    put(y, ".dockwright.yaml", "shellcheck: true\n");
    cy = load(y, NULL, NULL);
    CHECK("dclint-not-with-ours", cy->ncompose_rules == 0 && cy->nfiles == 1 && cy->shellcheck, "n %u", cy->ncompose_rules);
    dw_config_free(cy);
    /* with a hadolint config next to it, both apply */
    put(d, ".hadolint.yaml", "ignored: [DL3007]\n");
    c = load(d, NULL, NULL);
    CHECK("dclint-with-hadolint", c->nfiles == 2 && c->source == DW_CONFIG_HADOLINT && c->ncompose_rules == 3 &&
          sev_of(c, "latest-tag") == DW_SEV_OFF, "nfiles %u", c->nfiles);
    dw_config_free(c);
}

static void ours_tests(void)
{
    const char *o = repo("ours");
    put(o, ".dockwright.yaml",
        "rules:\n"
        "  latest-tag: off\n"
        "  DL3006: info\n"
        "  MultipleInstructionsDisallowed: error\n"
        "  healthcheck-missing: warning\n"
        "failure-threshold: style\n"
        "trusted-registries: [docker.io, ghcr.io]\n"
        "label-schema: {org.opencontainers.image.source: url, maintainer: }\n"
        "strict-labels: true\n"
        "exclude: [\"legacy/**\"]\n"
        "shellcheck: false\n"
        "disable-ignore-pragma: true\n"
        "no-fail: true\n");
    dw_config *c = load(o, NULL, NULL);
    CHECK("ours-clean", ndiags(c) == 0, "diags %u", ndiags(c));
    CHECK("ours-rules", sev_of(c, "latest-tag") == DW_SEV_OFF && sev_of(c, "untagged-image") == DW_SEV_INFO &&
          sev_of(c, "multiple-cmd") == DW_SEV_ERROR && sev_of(c, "multiple-healthcheck") == DW_SEV_ERROR &&
          sev_of(c, "healthcheck-missing") == DW_SEV_WARNING, "rules");
    CHECK("ours-settings", c->failure_threshold == DW_SEV_STYLE && c->ntrusted == 2 && c->nlabels == 2 &&
          label_type(c, "maintainer") == DW_LABEL_TEXT && c->strict_labels && c->nexclude == 1 && !c->shellcheck &&
          c->disable_ignore_pragma && c->no_fail, "settings");
    dw_config_free(c);

    /* unknown keys and rules: config-error with line:column; defaults kept */
    put(o, ".dockwright.yaml",
        "rules:\n"
        "  latest-tagg: off\n"
        "  latest-tag: loud\n"
        "failure-treshold: info\n"
        "strict-labels: yes\n"
        "failure-threshold: error\n"
        "failure-threshold: info\n"
        "label-schema: {a: colour}\n"
        "exclude: {a: 1}\n");
    c = load(o, NULL, NULL);
    static const struct { uint32_t line, col; const char *msg; } want[] = {
        {2, 3, "unknown rule 'latest-tagg' (did you mean latest-tag?)"},
        {3, 15, "unknown level 'loud' for rule 'latest-tag'"},
        {4, 1, "unknown key 'failure-treshold' (did you mean failure-threshold?)"},
        {5, 16, "'strict-labels' must be true or false, not a string"},
        {7, 1, "'failure-threshold' is set twice (first on line 6)"},
        {8, 19, "unknown label type 'colour'"},
        {9, 10, "'exclude' must be a list of strings, not a mapping"},
    };
    const dw_config_file *f = c->nfiles ? &c->files[0] : NULL;
    CHECK("ours-errors-count", f && f->diags.n == sizeof want / sizeof *want, "n %u", f ? f->diags.n : 0);
    for (size_t i = 0; f && i < sizeof want / sizeof *want && i < f->diags.n; i++) {
        dw_pos p = dw_linemap_pos(&f->lines, f->diags.v[i].span.start);
        char name[64];
        snprintf(name, sizeof name, "ours-error-%zu", i);
        CHECK(name, p.line == want[i].line && p.col == want[i].col && strstr(f->diags.v[i].message, want[i].msg) &&
              !strcmp(f->diags.v[i].rule, "config-error") && f->diags.v[i].severity == DW_SEV_ERROR,
              "%u:%u %s", p.line, p.col, f->diags.v[i].message);
    }
    CHECK("ours-errors-defaults", sev_of(c, "latest-tag") != DW_SEV_OFF && c->failure_threshold == DW_SEV_ERROR &&
          !c->strict_labels && !c->nexclude, "threshold %d", c->failure_threshold);
    dw_config_free(c);

    /* invalid YAML, a non-mapping root, config-error turned off */
    put(o, ".dockwright.yaml", "rules:\n  a: [1, 2\nfailure-threshold: error\n");
    c = load(o, NULL, NULL);
    f = c->nfiles ? &c->files[0] : NULL;
    dw_pos p = f && f->diags.n ? dw_linemap_pos(&f->lines, f->diags.v[0].span.start) : (dw_pos){0, 0};
    CHECK("ours-invalid-yaml", f && f->diags.n == 1 && p.line == 3 && strstr(f->diags.v[0].message, "invalid YAML") &&
          c->failure_threshold == DW_SEV_WARNING, "n %u at %u:%u", f ? f->diags.n : 0, p.line, p.col);
    dw_config_free(c);
    put(o, ".dockwright.yaml", "- a\n- b\n");
    c = load(o, NULL, NULL);
    CHECK("ours-not-mapping", ndiags(c) == 1 && strstr(c->files[0].diags.v[0].message, "must be a mapping"), "n %u",
          ndiags(c));
    dw_config_free(c);
    put(o, ".dockwright.yaml", "rules: {config-error: off}\nbogus: 1\n");
    c = load(o, NULL, NULL);
    CHECK("ours-config-error-off", ndiags(c) == 0, "n %u", ndiags(c));
    dw_config_free(c);
    put(o, ".dockwright.yaml", "");
    c = load(o, NULL, NULL);
    CHECK("ours-empty", ndiags(c) == 0 && c->source == DW_CONFIG_DOCKWRIGHT, "n %u", ndiags(c));
    dw_config_free(c);
    /* an alias bomb in a config file is an error, not a hang */
    dw_buf b = {0};
    dw_buf_puts(&b, "x0: &a0 [1,1,1,1,1,1,1,1,1,1]\n");
    for (int i = 1; i < 10; i++)
        dw_buf_printf(&b, "x%d: &a%d [*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d,*a%d]\n", i, i, i - 1, i - 1, i - 1,
                      i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    dw_buf_putc(&b, 0);
    put(o, ".dockwright.yaml", b.p);
    dw_buf_free(&b);
    c = load(o, NULL, NULL);
    CHECK("ours-alias-bomb", ndiags(c) == 1 && strstr(c->files[0].diags.v[0].message, "alias bomb"), "n %u", ndiags(c));
    dw_config_free(c);
}

/* ---- through the CLI ---- */

static json_t *run_json(const char *cwd, const char *const *args, int *rc)
{
    const char *argv[32];
    int n = 0;
    argv[n++] = dw_binary();
    argv[n++] = "check";
    argv[n++] = "--format";
    argv[n++] = "json";
    for (int i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
    argv[n] = NULL;
    char *out = NULL, *err = NULL;
    *rc = run_capture(cwd, (char *const *)argv, &out, NULL, &err, NULL);
    json_error_t je;
    json_t *j = json_loads(out ? out : "", 0, &je);
    free(out);
    free(err);
    return j;
}

/* "file:line:col:rule" of every diagnostic, one per line. */
static char *diag_lines(json_t *j)
{
    dw_buf b = {0};
    json_t *ds = json_object_get(j, "diagnostics");
    size_t i;
    json_t *d;
    json_array_foreach(ds, i, d) {
        dw_buf_printf(&b, "%s:%lld:%lld:%s\n", json_string_value(json_object_get(d, "file")),
                      (long long)json_integer_value(json_object_get(d, "line")),
                      (long long)json_integer_value(json_object_get(d, "column")),
                      json_string_value(json_object_get(d, "rule")));
    }
    dw_buf_putc(&b, 0);
    return b.p;
}

static void cli_tests(void)
{
    const char *r = repo("cli");
    put(r, ".dockwright.yaml", "rules:\n  nope-rule: off\nfailure-threshold: none\n");
    put(r, "svc/Dockerfile", "FROM scratch\nBOGUS x\nUSER 65534\n");
    /* a hardened service: the Compose rules find nothing in it */
    put(r, "svc/compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    read_only: true\n    cap_drop: [ALL]\n"
        "    security_opt: [\"no-new-privileges:true\"]\n    restart: unless-stopped\n"
        "    healthcheck: {test: [\"CMD\", \"true\"]}\n    deploy: {resources: {limits: {memory: 128M, cpus: \"0.5\"}}}\n");
    put(r, "gen/Dockerfile", "FROM scratch\nBOGUS x\nUSER 65534\n");
    put(r, ".gitignore", "gen/\n");
    const char *none[] = {NULL};
    int rc;
    json_t *j = run_json(r, none, &rc);
    char *got = diag_lines(j);
    /* the config error is a finding of the config file; the compose file is
     * linted and clean; failure-threshold none: exit 0 */
    const char *want = ".dockwright.yaml:2:3:config-error\nsvc/Dockerfile:2:1:syntax-error\n";
    CHECK("cli-config-error", j && !strcmp(got, want) && rc == 0, "rc=%d\n%s", rc, got);
    free(got);
    json_decref(j);

    /* --disable config-error on the command line silences the config file's findings */
    const char *quiet[] = {"--disable", "config-error", NULL};
    j = run_json(r, quiet, &rc);
    got = diag_lines(j);
    CHECK("cli-disable-config-error", j && !strstr(got, "config-error") && strstr(got, "syntax-error"), "rc=%d\n%s", rc,
          got);
    free(got);
    json_decref(j);

    const char *noig[] = {"--no-ignore", "--no-config", NULL};
    j = run_json(r, noig, &rc);
    got = diag_lines(j);
    want = "gen/Dockerfile:2:1:syntax-error\nsvc/Dockerfile:2:1:syntax-error\n";
    CHECK("cli-no-config-no-ignore", j && !strcmp(got, want) && rc == 1, "rc=%d\n%s", rc, got);
    free(got);
    json_decref(j);

    put(r, "alt.yaml", "bogus: 1\n");
    const char *alt[] = {"--config", "alt.yaml", "svc", NULL};
    j = run_json(r, alt, &rc);
    got = diag_lines(j);
    want = "alt.yaml:1:1:config-error\nsvc/Dockerfile:2:1:syntax-error\n";
    CHECK("cli-config-flag", j && !strcmp(got, want) && rc == 1, "rc=%d\n%s", rc, got);
    free(got);
    json_decref(j);

    const char *missing[] = {"--config", "missing.yaml", NULL};
    j = run_json(r, missing, &rc);
    CHECK("cli-config-missing", rc == 2, "rc=%d", rc);
    json_decref(j);

    /* from a sub-folder the parent's config is shown relative to it */
    char sub[600];
    snprintf(sub, sizeof sub, "%s/svc", r);
    j = run_json(sub, none, &rc);
    got = diag_lines(j);
    want = "../.dockwright.yaml:2:3:config-error\nDockerfile:2:1:syntax-error\n";
    CHECK("cli-parent-config", j && !strcmp(got, want), "rc=%d\n%s", rc, got);
    free(got);
    json_decref(j);

    /* hadolint's config drives the exit status as hadolint's would */
    const char *h = repo("cli-hado");
    put(h, ".hadolint.yaml", "failure-threshold: error\nignored: [DL3007]\n");
    put(h, "Dockerfile", "FROM alpine:latest\n");
    j = run_json(h, none, &rc);
    got = diag_lines(j);
    CHECK("cli-hadolint", j && !strstr(got, "latest-tag") && rc == 0, "rc=%d\n%s", rc, got);
    free(got);
    json_decref(j);
}

void suite_config(void)
{
    suite_begin(&S, "config");
    snprintf(tmp_root, sizeof tmp_root, "/tmp/dw-config-XXXXXX");
    if (!mkdtemp(tmp_root)) {
        suite_skip(&S, 1, "cannot create a temporary folder");
        suite_end(&S);
        return;
    }
    env_isolate();
    yaml_tests();
    gitignore_tests();
    discover_tests();
    search_tests();
    hadolint_tests();
    dclint_tests();
    ours_tests();
    cli_tests();
    env_restore();
    rm_tree(tmp_root);
    suite_end(&S);
}
