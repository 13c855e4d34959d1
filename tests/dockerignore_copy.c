/* dockerignore_copy.c — part of the dockerignore suite: Go's filepath.Match
 * and COPY/ADD source expansion (src/ignore/copy_sources.c) on a temporary
 * tree: globs per segment, directories, the context root, symlinks that
 * stay inside the context and ones that would leave it, the ignore file,
 * --parents with and without a pivot, --exclude, and the visit budget; the
 * places a Dockerfile reads its context from (dw_ctx_read_next); and the
 * table of names a context should not send (src/ignore/context_facts.c). */
#define _XOPEN_SOURCE 700
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/ignore/context_facts.h"
#include "../src/ignore/copy_sources.h"

void dockerignore_copy_tests(suite *s, const char *tmp);

static suite *S;

#define CHECK(name, cond, ...)                                          \
    do {                                                                \
        if (cond) suite_pass(S);                                        \
        else suite_fail(S, name, __VA_ARGS__);                          \
    } while (0)

static void match_tests(void)
{
    /* pattern, name, 1 match / 0 no match / -1 malformed */
    static const struct { const char *p, *n; int want; } t[] = {
        {"abc", "abc", 1},       {"*", "abc", 1},          {"*c", "abc", 1},
        {"a*", "a", 1},          {"a*", "ab/c", 0},        {"a*/b", "abc/b", 1},
        {"a*/b", "a/c/b", 0},    {"a*b?c*x", "abxbbxdbxebxczzx", 1}, {"a*b?c*x", "abxbbxdbxebxczzy", 0},
        {"ab[c]", "abc", 1},     {"ab[b-d]", "abc", 1},    {"ab[e-g]", "abc", 0},
        {"ab[^c]", "abc", 0},    {"ab[^e-g]", "abc", 1},   {"a\\*b", "a*b", 1},
        {"a\\*b", "ab", 0},      {"a?b", "a\xe2\x98\xba" "b", 1}, {"a???b", "a\xe2\x98\xba" "b", 0},
        {"a?b", "a/b", 0},       {"a*b", "a/b", 0},        {"[\\]a]", "]", 1},
        {"[x\\-]", "-", 1},      {"[]a]", "]", -1},        {"[-]", "-", -1},
        {"[x-]", "x", -1},       {"\\", "a", -1},          {"[a-b-c]", "a", -1},
        {"[", "a", -1},          {"a[", "a", -1},          {"a[", "x", -1},
        {"a/b[", "x", -1},       {"*x", "xxx", 1},         {"**", "a/b", 0},
        {"a[/]b", "a/b", 1},     {"requirements.tx[t]", "requirements.txt", 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        int got = dw_go_match(t[i].p, strlen(t[i].p), t[i].n, strlen(t[i].n));
        CHECK("go-match", got == t[i].want, "Match(%s, %s) = %d, want %d", t[i].p, t[i].n, got, t[i].want);
    }
    /* linear enough on a hostile pattern */
    char pat[400], name[400];
    for (int i = 0; i < 199; i++) { pat[2 * i] = '*'; pat[2 * i + 1] = 'a'; }
    strcpy(pat + 398, "b");
    memset(name, 'a', 300);
    name[300] = 0;
    CHECK("go-match-stars", dw_go_match(pat, strlen(pat), name, strlen(name)) == 0, "matched");
}

static char ctx[300];

static void put(const char *rel, const char *content)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", ctx, rel);
    for (char *p = path + strlen(ctx) + 1; *p; p++)
        if (*p == '/') { *p = 0; mkdir(path, 0755); *p = '/'; }
    if (!content) { mkdir(path, 0755); return; }
    FILE *f = fopen(path, "wb");
    if (f) { fputs(content, f); fclose(f); }
}

static int list_fn(const dw_copy_entry *e, void *ud)
{
    dw_buf *b = ud;
    dw_buf_printf(b, "%s%s%s%s", b->n ? " " : "", e->top ? "" : "~", e->rel, e->is_dir ? "/" : "");
    return 0;
}

/* flags: w wildcard, m base missing, i ignored, t truncated */
static void expand_case(const char *src, const char *ignore, const char *exclude, bool parents, bool descend,
                        long want_n, const char *want_list, const char *want_flags)
{
    dw_dockerignore *di = ignore ? dw_dockerignore_parse(".dockerignore", ignore, strlen(ignore)) : NULL;
    dw_dockerignore *ex = NULL;
    if (exclude) {
        dw_str one = dw_str_c(exclude);
        ex = dw_dockerignore_new(&one, 1);
    }
    /* each case twice: listing folders as it goes, and through a cache of
     * listings (as the rules and the context report do): the same answer */
    dw_copy_dircache *cache = dw_copy_dircache_new();
    dw_copy_opts o = {ctx, di, ex, parents, descend, 0, NULL}, oc = o;
    oc.cache = cache;
    dw_copy_result r, rc;
    dw_buf b = {0}, bc = {0};
    long n = dw_copy_source_expand(&o, src, strlen(src), list_fn, &b, &r);
    long nc = dw_copy_source_expand(&oc, src, strlen(src), list_fn, &bc, &rc);
    nc = dw_copy_source_expand(&oc, src, strlen(src), NULL, NULL, &rc); /* the second time, all cached */
    dw_copy_dircache_free(cache);
    char flags[8] = "";
    size_t k = 0;
    if (r.wildcard) flags[k++] = 'w';
    if (r.base_missing) flags[k++] = 'm';
    if (r.ignored) flags[k++] = 'i';
    if (r.truncated) flags[k++] = 't';
    flags[k] = 0;
    char name[200];
    snprintf(name, sizeof name, "copy %s%s%s", parents ? "--parents " : "", exclude ? "--exclude " : "", src);
    CHECK(name, n == want_n && !strcmp(b.p ? b.p : "", want_list) && !strcmp(flags, want_flags),
          "got %ld [%s] %s, want %ld [%s] %s", n, b.p ? b.p : "", flags, want_n, want_list, want_flags);
    CHECK(name, nc == n && !strcmp(bc.p ? bc.p : "", b.p ? b.p : "") && rc.wildcard == r.wildcard &&
                    rc.base_missing == r.base_missing && rc.ignored == r.ignored && rc.truncated == r.truncated,
          "with the listings cached: %ld [%s]", nc, bc.p ? bc.p : "");
    dw_buf_free(&b);
    dw_buf_free(&bc);
    dw_dockerignore_free(di);
    dw_dockerignore_free(ex);
}

static void expand_tests(const char *tmp)
{
    snprintf(ctx, sizeof ctx, "%s/copyctx", tmp);
    mkdir(ctx, 0755);
    put("Dockerfile", "FROM scratch\n");
    put("requirements.txt", "flask\n");
    put("requirements-dev.txt", "pytest\n");
    put("README.md", "# r\n");
    put("app/main.py", "print()\n");
    put("app/util.py", "x = 1\n");
    put("app/data.txt", "d\n");
    put("app/sub/x.py", "y = 2\n");
    put("docs/README.md", "# d\n");
    put("docs/other.md", "o\n");
    put("node_modules/a/index.js", "1\n");
    put("empty", NULL);
    char outside[400], lnk[700];
    snprintf(outside, sizeof outside, "%s/copy-outside", tmp);
    mkdir(outside, 0755);
    snprintf(lnk, sizeof lnk, "%s/secret", outside);
    FILE *f = fopen(lnk, "w");
    if (f) { fputs("s\n", f); fclose(f); }
    bool links = true;
    snprintf(lnk, sizeof lnk, "%s/link-app", ctx);
    links &= symlink("app", lnk) == 0;
    snprintf(lnk, sizeof lnk, "%s/out", ctx);
    links &= symlink(outside, lnk) == 0;       /* absolute: counts from the context root */
    snprintf(lnk, sizeof lnk, "%s/app/up", ctx);
    links &= symlink("../../copy-outside", lnk) == 0; /* ".." stops at the root */
    snprintf(lnk, sizeof lnk, "%s/abs-app", ctx);
    links &= symlink("/app", lnk) == 0;        /* absolute inside the context */

    /* not context paths */
    expand_case("https://example.com/a.tgz", NULL, NULL, false, false, -1, "", "");
    expand_case("git@github.com:moby/buildkit.git", NULL, NULL, false, false, -1, "", "");
    expand_case("<<EOF", NULL, NULL, false, false, -1, "", "");
    expand_case("github.com/moby/buildkit", NULL, NULL, false, false, 0, "", ""); /* local, as BuildKit reads it */

    /* literal paths, the root, cleaning */
    expand_case("app", NULL, NULL, false, false, 1, "app/", "");
    expand_case("requirements.txt", NULL, NULL, false, false, 1, "requirements.txt", "");
    expand_case("/app/../requirements.txt", NULL, NULL, false, false, 1, "requirements.txt", "");
    expand_case(".", NULL, NULL, false, false, 1, "./", "");
    expand_case("./", NULL, NULL, false, false, 1, "./", "");
    expand_case("/", NULL, NULL, false, false, 1, "./", "");
    expand_case("../..", NULL, NULL, false, false, 1, "./", "");
    expand_case("nope.txt", NULL, NULL, false, false, 0, "", "");
    expand_case("app/main.py/x", NULL, NULL, false, false, 0, "", "");

    /* globs */
    expand_case("*.txt", NULL, NULL, false, false, 2, "requirements-dev.txt requirements.txt", "w");
    expand_case("app/*.py", NULL, NULL, false, false, 2, "app/main.py app/util.py", "w");
    expand_case("*/*.py", NULL, NULL, false, false, 2, "app/main.py app/util.py", "w"); /* links are not entered */
    expand_case("app/*/x.py", NULL, NULL, false, false, 1, "app/sub/x.py", "w");
    expand_case("app/**", NULL, NULL, false, false, 5, "app/data.txt app/main.py app/sub/ app/up app/util.py", "w");
    expand_case("requirements.tx[t]", NULL, NULL, false, false, 1, "requirements.txt", "w");
    expand_case("nope*", NULL, NULL, false, false, 0, "", "w");
    expand_case("missing/*.py", NULL, NULL, false, false, 0, "", "wm");
    expand_case("requirements.txt/*", NULL, NULL, false, false, 0, "", "w");
    expand_case("a[", NULL, NULL, false, false, 0, "", "w");
    expand_case("*/sub", NULL, NULL, false, false, 1, "app/sub/", "w");

    if (links) {
        expand_case("link-app/main.py", NULL, NULL, false, false, 1, "app/main.py", "");
        expand_case("abs-app/util.py", NULL, NULL, false, false, 1, "app/util.py", "");
        expand_case("link-app/*.py", NULL, NULL, false, false, 2, "app/main.py app/util.py", "w");
        expand_case("out/secret", NULL, NULL, false, false, 0, "", "");
        expand_case("app/up/secret", NULL, NULL, false, false, 0, "", "");
        expand_case("app/up", NULL, NULL, false, false, 0, "", "");
        expand_case("lin?-app", NULL, NULL, false, false, 1, "link-app/", "w");
    } else {
        suite_skip(S, 7, "cannot create symlinks here");
    }

    /* the ignore file */
    const char *ign = "node_modules\n*.md\n!README.md\nlink-app\n";
    expand_case("node_modules", ign, NULL, false, false, 0, "", "i");
    expand_case("node_modules/a/index.js", ign, NULL, false, false, 0, "", "i");
    expand_case("*.md", ign, NULL, false, false, 1, "README.md", "w");
    expand_case("docs/*.md", ign, NULL, false, false, 2, "docs/README.md docs/other.md", "w");
    expand_case("node_*", ign, NULL, false, false, 0, "", "wi");
    if (links) expand_case("link-app/main.py", ign, NULL, false, false, 0, "", "i");
    expand_case("docs", "docs\n!docs/README.md\n", NULL, false, false, 1, "docs/", "");
    expand_case("docs", "docs\n!docs/README.md\n", NULL, false, true, 1, "docs/ ~docs/README.md", "");
    expand_case("docs/other.md", "docs\n!docs/README.md\n", NULL, false, false, 0, "", "i");

    /* descending, --exclude (relative to the copied directory; never the source itself) */
    expand_case("app", NULL, "*.txt", false, true, 1, "app/ ~app/main.py ~app/sub/ ~app/sub/x.py ~app/up ~app/util.py", "");
    expand_case("app", NULL, "sub", false, true, 1, "app/ ~app/data.txt ~app/main.py ~app/up ~app/util.py", "");
    expand_case("app/data.txt", NULL, "*.txt", false, true, 1, "app/data.txt", "");
    expand_case("docs/", "*.md\n", NULL, false, true, 1, "docs/ ~docs/README.md ~docs/other.md", "");

    /* --parents */
    expand_case("app/sub/x.py", NULL, NULL, true, false, 1, "app/sub/x.py", "");
    expand_case("./app/./sub/x.py", NULL, NULL, true, false, 1, "app/sub/x.py", "");
    expand_case("app/*.py", NULL, NULL, true, false, 2, "app/main.py app/util.py", "w");
    expand_case("**/x.py", NULL, NULL, true, false, 1, "app/sub/x.py", "w");
    expand_case("app/nope.py", NULL, NULL, true, false, 0, "", "");
    expand_case("nope/./x.py", NULL, NULL, true, false, 0, "", "m");
    expand_case("app/**/*.py", NULL, NULL, true, false, 3, "app/main.py app/sub/x.py app/util.py", "w");
    expand_case("app/**/*.py", NULL, "app/sub", true, false, 2, "app/main.py app/util.py", "w");
    /* --exclude is relative to the pivot: `*.txt` does not reach into app/ */
    expand_case("app", NULL, "*.txt", true, true, 1,
                "app/ ~app/data.txt ~app/main.py ~app/sub/ ~app/sub/x.py ~app/up ~app/util.py", "");

    /* the budget: a glob over a big folder stops and says so */
    for (int i = 0; i < 300; i++) {
        char p[64];
        snprintf(p, sizeof p, "big/d%03d/f.txt", i);
        put(p, "x");
    }
    dw_copy_opts o = {ctx, NULL, NULL, false, false, 100, NULL};
    dw_copy_result r;
    long n = dw_copy_source_expand(&o, "big/*/f.txt", 11, NULL, NULL, &r);
    CHECK("copy-budget", r.truncated && r.visits == 101 && n < 300, "n %ld visits %llu truncated %d", n,
          (unsigned long long)r.visits, r.truncated);
    o.max_visits = 0;
    n = dw_copy_source_expand(&o, "big/*/f.txt", 11, NULL, NULL, &r);
    CHECK("copy-glob-linear", n == 300 && !r.truncated && r.visits == 600, "n %ld visits %llu", n,
          (unsigned long long)r.visits);
    /* a segment's literal start slices the sorted listing: only the
     * folders starting with d00 are looked at, not all 300 (it was 310
     * visits before the slicing) */
    n = dw_copy_source_expand(&o, "big/d00?/f.txt", 14, NULL, NULL, &r);
    CHECK("copy-glob-pruned", n == 10 && r.visits == 21, "n %ld visits %llu", n, (unsigned long long)r.visits);

    char base[64];
    size_t bl = dw_copy_source_base("/app/sub/*.py", 13, false, base);
    CHECK("copy-base", bl == 7 && !memcmp(base, "app/sub", 7), "base %.*s", (int)bl, base);
    bl = dw_copy_source_base("./src/./lib/*.py", 16, true, base);
    CHECK("copy-base-parents", bl == 3 && !memcmp(base, "src", 3), "base %.*s", (int)bl, base);
}

/* What a name is: one table for the rules and `dockwright context`. */
static void facts_tests(const char *tmp)
{
    /* name, folder?, the row's category (-1: none), never needed, severe */
    static const struct { const char *name; bool dir; int cat; bool never, severe; } t[] = {
        {".git", true, DW_CF_VCS, true, true},          {".git", false, DW_CF_VCS, false, false},
        {"node_modules", true, DW_CF_DEPS, true, true},  {"node_modules", false, -1, false, false},
        {".env", false, DW_CF_SECRET, false, false},     {".env.production", false, DW_CF_SECRET, false, false},
        {".env.example", false, -1, false, false},       {".env.dist", false, -1, false, false},
        {".env.local.sample", false, -1, false, false},  {".envrc", false, DW_CF_SECRET, false, false},
        {".environment", false, -1, false, false},       {"prod.env", false, DW_CF_SECRET, false, false},
        {"example.env", false, -1, false, false},        {"id_rsa", false, DW_CF_SECRET, false, false},
        {"id_rsa.pub", false, -1, false, false},         {"server.pem", false, DW_CF_SECRET, false, false},
        {"credentials-prod.json", false, DW_CF_SECRET, false, false},
        {".ssh", true, DW_CF_SECRET, false, false},      {".ssh", false, -1, false, false},
        {"dist", true, DW_CF_BUILD, false, false},       {"__pycache__", true, DW_CF_CACHE, true, false},
        {".hg", true, DW_CF_VCS, true, false},           {".DS_Store", false, DW_CF_EDITOR, false, false},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        const dw_cf_fact *f = dw_cf_lookup(t[i].name, strlen(t[i].name), t[i].dir);
        bool ok = t[i].cat < 0 ? f == NULL
                               : f && f->category == t[i].cat && f->never_needed == t[i].never && f->severe == t[i].severe;
        CHECK("cf-lookup", ok, "%s%s: row %s", t[i].name, t[i].dir ? "/" : "", f ? f->name : "none");
    }
    CHECK("cf-quiet", dw_cf_quiet_dir("testdata", 8) && dw_cf_quiet_dir("fixtures", 8) && !dw_cf_quiet_dir("src", 3),
          "quiet folders");

    /* the disk conditions: venv with pyvenv.cfg, target beside Cargo.toml */
    char root[400], path[500];
    snprintf(root, sizeof root, "%s/facts", tmp);
    mkdir(root, 0755);
    snprintf(path, sizeof path, "%s/venv", root);
    mkdir(path, 0755);
    const dw_cf_fact *venv = dw_cf_lookup("venv", 4, true);
    CHECK("cf-venv-no-marker", venv && !dw_cf_confirm(venv, path, 4), "confirmed without pyvenv.cfg");
    snprintf(path, sizeof path, "%s/venv/pyvenv.cfg", root);
    fclose(fopen(path, "w"));
    snprintf(path, sizeof path, "%s/venv", root);
    CHECK("cf-venv-marker", venv && dw_cf_confirm(venv, path, 4), "not confirmed with pyvenv.cfg");
    snprintf(path, sizeof path, "%s/target", root);
    mkdir(path, 0755);
    const dw_cf_fact *target = dw_cf_lookup("target", 6, true);
    CHECK("cf-target-bare", target && !dw_cf_confirm(target, path, 6), "a bare target/ confirmed");
    snprintf(path, sizeof path, "%s/pom.xml", root);
    fclose(fopen(path, "w"));
    snprintf(path, sizeof path, "%s/target", root);
    CHECK("cf-target-maven", target && !dw_cf_confirm(target, path, 6), "the Cargo row took a Maven target/");
    uint32_t nrows;
    const dw_cf_fact *rows = dw_cf_table(&nrows), *maven = NULL;
    for (uint32_t i = 0; i < nrows && !maven; i++)
        if (!strcmp(rows[i].name, "target") && rows[i].beside) maven = &rows[i];
    CHECK("cf-target-maven-row", maven && dw_cf_confirm(maven, path, 6) && !maven->never_needed,
          "Maven's target/ row");

    dw_buf b = {0};
    dw_cf_ignore_pattern(dw_cf_lookup("key.pem", 7, false), "certs/key.pem", 13, &b);
    CHECK("cf-pattern-glob", b.n == 8 && !memcmp(b.p, "**/*.pem", 8), "%.*s", (int)b.n, b.p);
    b.n = 0;
    dw_cf_ignore_pattern(dw_cf_lookup(".aws", 4, true), ".aws/", 5, &b);
    CHECK("cf-pattern-name", b.n == 4 && !memcmp(b.p, ".aws", 4), "%.*s", (int)b.n, b.p);
    dw_buf_free(&b);
}

/* Where a Dockerfile reads its context: COPY/ADD sources without --from,
 * bind mounts when asked, --parents on COPY only, Windows separators. */
static void reads_tests(void)
{
    static const char src[] =
        "FROM alpine\n"
        "COPY --from=x /a /b\n"
        "COPY --parents a/./b c <<EOF /d\nhi\nEOF\n"
        "ADD https://example.com/x y /z\n"
        "RUN --mount=type=bind,source=m,target=/m --mount=type=cache,target=/c true\n"
        "COPY app\\x C:\\app\\\n";
    static const char win[] = "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nCOPY app\\x C:\\app\\\n";
    dw_dockerfile *df = dw_dockerfile_parse("Dockerfile", src, sizeof src - 1, NULL);
    if (!df) {
        CHECK("reads-parse", false, "no Dockerfile");
        return;
    }
    dw_ctx_read_iter it = {0, 0, true};
    dw_ctx_read r;
    char got[256] = "";
    while (dw_ctx_read_next(df, &it, &r)) {
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s%.*s%s%s%s", n ? "|" : "", (int)r.value.len, r.value.ptr,
                 r.parents ? "+p" : "", r.mount ? "+m" : "", r.windows ? "+w" : "");
    }
    /* with '\\' as the escape character, `app\\x` is `appx`, as BuildKit reads it */
    const char *want = "a/./b+p|c+p|y|m+m|appx";
    CHECK("reads", !strcmp(got, want), "got %s, want %s", got, want);
    dw_dockerfile_free(df);
    df = dw_dockerfile_parse("Dockerfile", win, sizeof win - 1, NULL);
    it = (dw_ctx_read_iter){0, 0, false};
    bool ok = df && dw_ctx_read_next(df, &it, &r) && r.windows && r.value.len == 5 && !memcmp(r.value.ptr, "app\\x", 5);
    CHECK("reads-windows", ok, "a Windows source not seen as one");
    dw_dockerfile_free(df);
}

void dockerignore_copy_tests(suite *s, const char *tmp)
{
    S = s;
    match_tests();
    expand_tests(tmp);
    facts_tests(tmp);
    reads_tests();
}
