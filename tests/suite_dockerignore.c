/* suite_dockerignore.c — the .dockerignore matcher and the context walker.
 *
 * Corpus (../shared/corpus/dockerignore, see its README): every row of
 * cases.tsv (the lines of a .dockerignore joined by the two characters
 * backslash-n, a path, match/nomatch: ReadAll + New + MatchesOrParentMatches),
 * every row of errors.tsv rejected (at load, or at the first match for the
 * one pattern Go's regexp refuses), and readall-input.dockerignore read into
 * readall-expected.txt. Each row is one test; without the corpus they are
 * reported as skipped.
 *
 * Then our own cases: positions of patterns, kinds, upstream quirks, invalid
 * patterns with their spans, pathological patterns (linear matching), Go's
 * filepath.Clean, BuildKit's choice of ignore file, and the walker on a
 * temporary tree (a pruned directory, an exception re-including a child of
 * an excluded directory, symlinks pointing out of the context, hard links),
 * and COPY/ADD source expansion (dockerignore_copy.c).
 *
 * Last, through the CLI: every errors.tsv row, written as a .dockerignore
 * beside a Dockerfile, yields a dockerignore-invalid-pattern finding from
 * `dockwright check --format json`. */
#define _XOPEN_SOURCE 700
#include "runner.h"

#include <errno.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/ignore/dockerignore.h"

static suite S;

void dockerignore_copy_tests(suite *s, const char *tmp); /* dockerignore_copy.c */

#define CHECK(name, cond, ...)                                          \
    do {                                                                \
        if (cond) suite_pass(&S);                                       \
        else suite_fail(&S, name, __VA_ARGS__);                         \
    } while (0)

/* The pattern list of a corpus row as file text: "\n" (two characters)
 * becomes a newline. */
static char *row_file(const char *list, size_t *len)
{
    size_t n = strlen(list), k = 0;
    char *out = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        if (list[i] == '\\' && i + 1 < n && list[i + 1] == 'n') { out[k++] = '\n'; i++; }
        else out[k++] = list[i];
    }
    out[k] = 0;
    *len = k;
    return out;
}

/* Splits a TSV line in place into at most 3 fields. */
static int tsv3(char *line, char **f)
{
    int n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < 3; p++)
        if (*p == '\t') { *p = 0; f[n++] = p + 1; }
    return n;
}

typedef void (*row_fn)(int lineno, char **f);

static int each_row(const char *path, row_fn fn)
{
    size_t len;
    char *text = slurp(path, &len);
    if (!text) return -1;
    int lineno = 0, rows = 0;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        lineno++;
        if (lineno > 1 && *line) {
            char *f[3];
            if (tsv3(line, f) == 3) { fn(lineno, f); rows++; }
            else suite_fail(&S, "corpus", "%s:%d: not three columns", path, lineno);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return rows;
}

static void case_row(int lineno, char **f)
{
    size_t len;
    char *src = row_file(f[0], &len);
    dw_dockerignore *di = dw_dockerignore_parse(".dockerignore", src, len);
    uint32_t decider;
    int m = dw_dockerignore_matches(di, f[1], strlen(f[1]), &decider);
    int want = strcmp(f[2], "match") == 0;
    char name[64];
    snprintf(name, sizeof name, "cases.tsv:%d", lineno);
    CHECK(name, di->nerrors == 0 && m == want, "patterns %s path %s: want %s, got %s (%u errors)", f[0], f[1], f[2],
          m == DW_DI_ERROR ? "error" : m ? "match" : "nomatch", di->nerrors);
    dw_dockerignore_free(di);
    free(src);
}

static void error_row(int lineno, char **f)
{
    size_t len;
    char *src = row_file(f[0], &len);
    dw_dockerignore *di = dw_dockerignore_parse(".dockerignore", src, len);
    uint32_t n, decider;
    const dw_di_error *errs = dw_dockerignore_invalid(di, &n);
    bool at_load = false, at_match = false;
    for (uint32_t i = 0; i < n; i++) {
        if (errs[i].at_match) at_match = true;
        else at_load = true;
    }
    /* the builder fails in New, or when it first matches with the pattern */
    int m = dw_dockerignore_matches(di, f[1], strlen(f[1]), &decider);
    char name[64];
    snprintf(name, sizeof name, "errors.tsv:%d", lineno);
    CHECK(name, n > 0 && (at_load || (at_match && m == DW_DI_ERROR)), "patterns %s path %s: not rejected (%u errors, match %d)",
          f[0], f[1], n, m);
    dw_dockerignore_free(di);
    free(src);
}

static void corpus_tests(void)
{
    const char *dir = corpus_path("dockerignore");
    if (!dir) {
        suite_skip(&S, 159 + 20 + 1, "../shared/corpus/dockerignore not found");
        return;
    }
    char base[4096], path[4200];
    snprintf(base, sizeof base, "%s", dir);
    snprintf(path, sizeof path, "%s/cases.tsv", base);
    if (each_row(path, case_row) < 0) suite_fail(&S, "cases.tsv", "cannot read %s", path);
    snprintf(path, sizeof path, "%s/errors.tsv", base);
    if (each_row(path, error_row) < 0) suite_fail(&S, "errors.tsv", "cannot read %s", path);

    size_t ilen, elen;
    snprintf(path, sizeof path, "%s/readall-input.dockerignore", base);
    char *in = slurp(path, &ilen);
    snprintf(path, sizeof path, "%s/readall-expected.txt", base);
    char *exp = slurp(path, &elen);
    if (!in || !exp) {
        suite_fail(&S, "readall", "cannot read the readall files");
    } else {
        dw_dockerignore *di = dw_dockerignore_parse("readall-input.dockerignore", in, ilen);
        dw_buf got = {0};
        for (uint32_t i = 0; i < di->npatterns; i++) {
            dw_buf_put(&got, di->patterns[i].text.ptr, di->patterns[i].text.len);
            dw_buf_putc(&got, '\n');
        }
        suite_expect_text(&S, "readall", exp, elen, got.p ? got.p : "", got.n);
        dw_buf_free(&got);
        dw_dockerignore_free(di);
    }
    free(in);
    free(exp);
}

/* ---- our own cases ---- */

static int match1(const char *patterns, const char *path)
{
    dw_dockerignore *di = dw_dockerignore_parse(NULL, patterns, strlen(patterns));
    int m = dw_dockerignore_matches(di, path, strlen(path), NULL);
    dw_dockerignore_free(di);
    return m;
}

static void position_tests(void)
{
    /* BOM, a comment, an indented '#' (a pattern), CRLF, "! /x", a
     * leading and trailing slash, and a blank line */
    const char src[] = "\xEF\xBB\xBF# comment\r\n  # not a comment\r\n\n\t/build/ \r\n! /keep/me\n**/*.log";
    dw_dockerignore *di = dw_dockerignore_parse(".dockerignore", src, sizeof src - 1);
    static const struct { const char *text; uint32_t line, col; const char *span, *body; bool exc; dw_di_kind kind; } want[] = {
        {"# not a comment", 2, 3, "# not a comment", "# not a comment", false, DW_DI_EXACT},
        {"build", 4, 2, "/build/", "/build/", false, DW_DI_EXACT},
        {"!keep/me", 5, 1, "! /keep/me", "/keep/me", true, DW_DI_EXACT},
        {"**/*.log", 6, 1, "**/*.log", "**/*.log", false, DW_DI_REGEXP},
    };
    bool ok = di->npatterns == 4 && di->nerrors == 0;
    for (uint32_t i = 0; ok && i < 4; i++) {
        const dw_di_pattern *p = &di->patterns[i];
        ok = dw_str_eqc(p->text, want[i].text) && p->line == want[i].line && p->col == want[i].col &&
             dw_str_eqc(dw_str_make(src + p->span.start, p->span.end - p->span.start), want[i].span) &&
             dw_str_eqc(dw_str_make(src + p->body.start, p->body.end - p->body.start), want[i].body) &&
             p->exception == want[i].exc && p->kind == want[i].kind;
        if (!ok)
            suite_fail(&S, "positions", "pattern %u: text '%.*s' at %u:%u span %u-%u kind %d", i, (int)p->text.len,
                       p->text.ptr, p->line, p->col, p->span.start, p->span.end, (int)p->kind);
    }
    if (ok) suite_pass(&S);
    else if (di->npatterns != 4 || di->nerrors) suite_fail(&S, "positions", "%u patterns, %u errors", di->npatterns, di->nerrors);
    dw_dockerignore_free(di);
}

static void error_position_tests(void)
{
    const char src[] = "ok\n\n  src/[a-\n!\n[Local-Only]/\n!a/\\\n";
    dw_dockerignore *di = dw_dockerignore_parse(".dockerignore", src, sizeof src - 1);
    uint32_t n;
    const dw_di_error *e = dw_dockerignore_invalid(di, &n);
    static const struct { uint32_t line, col; const char *text, *msg; bool at_match; } want[] = {
        {3, 3, "src/[a-", "syntax error in pattern", false},
        {4, 1, "!", "illegal exclusion pattern: \"!\"", false},
        {5, 1, "[Local-Only]/", "syntax error in pattern", true},
        {6, 1, "!a/\\", "syntax error in pattern", false},
    };
    bool ok = n == 4;
    for (uint32_t i = 0; ok && i < n; i++) {
        ok = e[i].line == want[i].line && e[i].col == want[i].col && !strcmp(e[i].message, want[i].msg) &&
             e[i].at_match == want[i].at_match && e[i].detail && *e[i].detail &&
             dw_str_eqc(dw_str_make(src + e[i].span.start, e[i].span.end - e[i].span.start), want[i].text) &&
             di->patterns[e[i].pattern].error == (int32_t)i;
        if (!ok) suite_fail(&S, "error-positions", "error %u: %u:%u %s (%s)", i, e[i].line, e[i].col, e[i].message, e[i].detail);
    }
    if (ok) suite_pass(&S);
    else if (n != 4) suite_fail(&S, "error-positions", "%u errors", n);
    /* an invalid pattern is skipped while matching; the failing one errors */
    CHECK("error-skip", dw_dockerignore_matches(di, "ok", 2, NULL) == DW_DI_MATCH, "ok not excluded");
    uint32_t d;
    CHECK("error-at-match", dw_dockerignore_matches(di, "x", 1, &d) == DW_DI_ERROR && d == 3, "decider %u", d);
    dw_dockerignore_free(di);

    /* a line longer than bufio.Scanner's 64 KiB: ReadAll fails */
    size_t big = 70000;
    char *s = malloc(big + 8);
    memcpy(s, "a\n", 2);
    memset(s + 2, 'x', big);
    memcpy(s + 2 + big, "\nb\n", 3);
    di = dw_dockerignore_parse(".dockerignore", s, big + 5);
    e = dw_dockerignore_invalid(di, &n);
    CHECK("long-line", di->unreadable && n == 1 && e[0].line == 2 && e[0].pattern == UINT32_MAX && di->npatterns == 2,
          "unreadable %d, %u errors", di->unreadable, n);
    dw_dockerignore_free(di);
    free(s);
}

static void quirk_tests(void)
{
    static const struct { const char *patterns, *path; int want; const char *why; } t[] = {
        {"**file", "myfile", 1, "a suffix test, not (dir/)*file"},
        {"**/file", "myfile", 0, "needs a directory boundary"},
        {"a**b", "axb", 0, "** inside a name means (.*/)?"},
        {"a**b", "ax/b", 1, "** inside a name crosses directories"},
        {"[!a]", "!", 1, "! is not negation in Go's class syntax"},
        {"[!a]", "b", 0, "! is not negation"},
        {"a\\d", "a7", 1, "\\d reaches the regexp as a digit class"},
        {"a\\d", "ad", 0, "\\d is not a literal d"},
        {"[[:alpha:]]x", "qx", 1, "POSIX classes come from the regexp"},
        {"a?^b", "a^b", 0, "^ is an anchor in the regexp"},
        {"^b", "^b", 1, "exact patterns compare text"},
        {"x*|y", "zzy", 1, "'|' slips through the escaping: an alternation, searched"},
        {"x*|y", "yes", 0, "anchored y$ alternative"},
        {"ab{2}*", "abb", 1, "'{2}' is a repetition"},
        {"ab{2}*", "ab{2}", 0, "not literal braces"},
        {"a{x}", "a{x}", 1, "braces that are no repetition are literal"},
        {"dir/**", "dir", 0, "a prefix needs the slash"},
        {"dir/**", "dir/x", 1, "prefix"},
        {"foo\n!foo", "foo/bar", 0, "an exception of the directory re-includes below it"},
        {"!foo\nfoo", "foo", 1, "an exception first does nothing"},
        {"*.md\n!README*.md\nREADME-secret.md", "README-secret.md", 1, "last match wins"},
        {"a/**/b", "a/x\ny/b", 0, ". does not match a newline"},
        {"a/*/b", "a/x\ny/b", 1, "[^/] matches a newline"},
        {"?", "\xff", 1, "an invalid byte is one character"},
        {"docs/\n!docs/README.md", "docs/other.md", 1, "parent directory excluded"},
        {"\xEF\xBB\xBF" "foo", "foo", 1, "BOM removed from the first line"},
        {"a\n\xEF\xBB\xBF" "foo", "foo", 0, "BOM kept on other lines"},
        {"/ /", "x", 0, "a pattern that New trims to nothing"},
        {"foo /", "foo", 1, "Clean leaves 'foo ', New trims it"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        int m = match1(t[i].patterns, t[i].path);
        char name[64];
        snprintf(name, sizeof name, "quirk %zu", i);
        CHECK(name, m == t[i].want, "%s vs %s: got %d (%s)", t[i].patterns, t[i].path, m, t[i].why);
    }
    /* kinds */
    static const struct { const char *p; dw_di_kind k; } kinds[] = {
        {"a.b", DW_DI_EXACT}, {"dir/**", DW_DI_PREFIX}, {"**/x.go", DW_DI_SUFFIX},
        {"**", DW_DI_SUFFIX}, {"**/*.go", DW_DI_REGEXP}, {"a\\*", DW_DI_REGEXP},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        dw_dockerignore *di = dw_dockerignore_parse(NULL, kinds[i].p, strlen(kinds[i].p));
        CHECK("kind", di->npatterns == 1 && di->patterns[0].kind == kinds[i].k, "%s: kind %d", kinds[i].p,
              di->npatterns ? (int)di->patterns[0].kind : -1);
        dw_dockerignore_free(di);
    }
    /* New without ReadAll (COPY --exclude): the leading slash stays */
    dw_str l[2] = {dw_str_c("/abs"), dw_str_c("*.tmp")};
    dw_dockerignore *di = dw_dockerignore_new(l, 2);
    CHECK("new", di->npatterns == 2 && dw_str_eqc(di->patterns[0].pattern, "/abs") &&
                     dw_dockerignore_matches(di, "abs", 3, NULL) == 0 && dw_dockerignore_matches(di, "x.tmp", 5, NULL) == 1,
          "COPY --exclude list");
    dw_dockerignore_free(di);
}

static void pathological_tests(void)
{
    /* backtracking matchers take exponential time on these; ours is linear */
    dw_buf p = {0}, s = {0};
    for (int i = 0; i < 40; i++) dw_buf_puts(&p, "a*");
    dw_buf_putc(&p, 'b');
    for (int i = 0; i < 20000; i++) dw_buf_putc(&s, 'a');
    CHECK("a*a*...b", match1(p.p, s.p) == 0, "matched");
    dw_buf_putc(&s, 'b');
    CHECK("a*a*...b match", match1(p.p, s.p) == 1, "no match");
    p.n = 0;
    for (int i = 0; i < 40; i++) dw_buf_puts(&p, "**/a");
    dw_buf_puts(&p, "/b");
    s.n = 0;
    for (int i = 0; i < 300; i++) dw_buf_puts(&s, "a/");
    CHECK("**/a/**/a...", match1(p.p, s.p) == 0, "matched");
    p.n = 0;
    for (int i = 0; i < 200; i++) dw_buf_puts(&p, "x{1000}");
    CHECK("huge repetition", match1(p.p, "x") == 0, "matched");
    dw_buf_free(&p);
    dw_buf_free(&s);
}

static void clean_tests(void)
{
    static const char *const t[][2] = {
        {"", "."}, {"abc", "abc"}, {"abc/", "abc"}, {"a//b", "a/b"}, {"./a", "a"}, {"a/./b", "a/b"},
        {"a/../b", "b"}, {"../a", "../a"}, {"a/../..", ".."}, {"/../a", "/a"}, {"/", "/"}, {"//", "/"},
        {"abc/def/../../..", ".."}, {"abc/./../def", "def"}, {"/abc/..", "/"}, {"..", ".."}, {"!a/../b", "b"},
    };
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char out[64];
        size_t n = dw_go_clean(t[i][0], strlen(t[i][0]), out);
        CHECK("clean", n == strlen(t[i][1]) && !memcmp(out, t[i][1], n), "Clean(%s) = %.*s, want %s", t[i][0], (int)n, out,
              t[i][1]);
    }
}

/* ---- trees on disk ---- */

static char tmp[64];

static void mk(const char *rel, const char *content)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    for (char *p = path + strlen(tmp) + 1; *p; p++)
        if (*p == '/') { *p = 0; mkdir(path, 0755); *p = '/'; }
    if (!content) { mkdir(path, 0755); return; }
    FILE *f = fopen(path, "wb");
    if (f) { fputs(content, f); fclose(f); }
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static void locate_tests(void)
{
    char ctx[128], df[160], got_want[256];
    snprintf(ctx, sizeof ctx, "%s/loc", tmp);
    mk("loc/Dockerfile", "FROM x\n");
    mk("loc/docker/build.Dockerfile", "FROM x\n");
    bool beside;
    char *p = dw_dockerignore_locate(NULL, ctx, &beside);
    CHECK("locate-none", p == NULL, "found %s", p);
    free(p);
    mk("loc/.dockerignore", "x\n");
    snprintf(df, sizeof df, "%s/docker/build.Dockerfile", ctx);
    p = dw_dockerignore_locate(df, ctx, &beside);
    snprintf(got_want, sizeof got_want, "%s/.dockerignore", ctx);
    CHECK("locate-context", p && !strcmp(p, got_want) && !beside, "got %s", p);
    free(p);
    mk("loc/docker/build.Dockerfile.dockerignore", "");   /* wins even when empty */
    p = dw_dockerignore_locate(df, ctx, &beside);
    snprintf(got_want, sizeof got_want, "%s.dockerignore", df);
    CHECK("locate-beside", p && !strcmp(p, got_want) && beside, "got %s", p);
    free(p);
    p = dw_dockerignore_locate("-", ctx, &beside);
    snprintf(got_want, sizeof got_want, "%s/.dockerignore", ctx);
    CHECK("locate-stdin", p && !strcmp(p, got_want) && !beside, "got %s", p);
    free(p);
    mk("loc/Dockerfile.dockerignore", "y\n");
    snprintf(df, sizeof df, "%s/Dockerfile", ctx);
    p = dw_dockerignore_locate(df, ctx, &beside);
    snprintf(got_want, sizeof got_want, "%s/Dockerfile.dockerignore", ctx);
    CHECK("locate-default-name", p && !strcmp(p, got_want) && beside, "got %s", p);
    free(p);
}

typedef struct { dw_buf list; const dw_dockerignore *di; int mismatches; } collect;

/* One line per entry: "+path" sent, "-path" excluded; "/" after dirs,
 * "@" after links, " =N" hard link. Checks every sent file against
 * MatchesOrParentMatches on the way. */
static int collect_fn(const dw_context_entry *e, void *ud)
{
    collect *c = ud;
    dw_buf_printf(&c->list, "%c%s%s%s\n", e->sent ? '+' : '-', e->path,
                  e->type == DW_CW_DIR ? "/" : e->type == DW_CW_SYMLINK ? "@" : "", e->hardlink ? " =link" : "");
    if (e->type != DW_CW_DIR && c->di &&
        (dw_dockerignore_matches(c->di, e->path, e->len, NULL) == DW_DI_MATCH) == e->sent)
        c->mismatches++;
    return 0;
}

static void walk_case(const char *name, const char *ctx, const char *patterns, bool report, const char *want,
                      dw_context_stats *st)
{
    dw_dockerignore *di = patterns ? dw_dockerignore_parse(".dockerignore", patterns, strlen(patterns)) : NULL;
    collect c = {{0}, di, 0};
    dw_context_opts o = {report};
    int rc = dw_context_walk(ctx, di, &o, collect_fn, &c, st);
    suite_expect_text(&S, name, want, strlen(want), c.list.p ? c.list.p : "", c.list.n);
    CHECK(name, rc == 0 && c.mismatches == 0, "rc %d, %d entries disagree with MatchesOrParentMatches", rc, c.mismatches);
    dw_buf_free(&c.list);
    dw_dockerignore_free(di);
}

static void walker_tests(void)
{
    char ctx[128], lnk[256], target[256];
    snprintf(ctx, sizeof ctx, "%s/ctx", tmp);
    mk("outside/secret", "s3cret\n");
    mk("ctx/Dockerfile", "FROM scratch\n");
    mk("ctx/app/main.go", "package main\n");
    mk("ctx/docs/README.md", "# readme\n");
    mk("ctx/docs/other.md", "other\n");
    mk("ctx/node_modules/a/index.js", "x\n");
    mk("ctx/node_modules/keep/x.js", "k\n");
    mk("ctx/foo2", "2\n");
    mk("ctx/foo/bar2", "b\n");
    mk("ctx/foo/bar3", "b\n");
    mk("ctx/empty", NULL);
    mk("ctx/big", "0123456789");
    snprintf(lnk, sizeof lnk, "%s/out", ctx);
    snprintf(target, sizeof target, "%s/outside", tmp);
    bool links = symlink(target, lnk) == 0;                  /* absolute, out of the context */
    snprintf(lnk, sizeof lnk, "%s/app/up", ctx);
    links = links && symlink("../../outside/secret", lnk) == 0; /* relative, out of the context */
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/big", ctx);
    snprintf(b, sizeof b, "%s/big2", ctx);
    bool hard = link(a, b) == 0;
    if (!links || !hard) {
        suite_skip(&S, 8, "cannot create symlinks or hard links here");
        return;
    }

    dw_context_stats st;
    /* no ignore file: everything, links as links, the hard link once */
    walk_case("walk-all", ctx, NULL, false,
              "+Dockerfile\n+app/\n+app/main.go\n+app/up@\n+big\n+big2 =link\n+docs/\n+docs/README.md\n+docs/other.md\n"
              "+empty/\n+foo/\n+foo/bar2\n+foo/bar3\n+foo2\n+node_modules/\n+node_modules/a/\n+node_modules/a/index.js\n"
              "+node_modules/keep/\n+node_modules/keep/x.js\n+out@\n",
              &st);
    CHECK("walk-all-stats", st.files == 11 && st.dirs == 7 && st.symlinks == 2 && st.hardlinks == 1 && st.bytes == 10 + 13 + 13 + 9 + 6 + 2 + 2 + 2 + 2 + 2,
          "files %llu dirs %llu links %llu hard %llu bytes %llu", (unsigned long long)st.files, (unsigned long long)st.dirs,
          (unsigned long long)st.symlinks, (unsigned long long)st.hardlinks, (unsigned long long)st.bytes);

    /* an excluded directory without exceptions is pruned; docs is excluded
     * but sent for the re-included README (fsutil's "foo*" / "!foo/bar2") */
    const char *ign = "node_modules\ndocs\n!docs/README.md\nfoo*\n!foo/bar2\n";
    walk_case("walk-exceptions", ctx, ign, false,
              "+Dockerfile\n+app/\n+app/main.go\n+app/up@\n+big\n+big2 =link\n+docs/\n+docs/README.md\n+empty/\n+foo/\n+foo/bar2\n"
              "+out@\n",
              &st);
    CHECK("walk-pruned", st.pruned_dirs == 1 && st.excluded == 6, "pruned %llu excluded %llu",
          (unsigned long long)st.pruned_dirs, (unsigned long long)st.excluded);

    /* a wildcard exception: every excluded directory is read */
    walk_case("walk-wildcard-exception", ctx, "node_modules\n!**/keep\n", false,
              "+Dockerfile\n+app/\n+app/main.go\n+app/up@\n+big\n+big2 =link\n+docs/\n+docs/README.md\n+docs/other.md\n"
              "+empty/\n+foo/\n+foo/bar2\n+foo/bar3\n+foo2\n+node_modules/\n+node_modules/keep/\n+node_modules/keep/x.js\n+out@\n",
              &st);
    CHECK("walk-not-pruned", st.pruned_dirs == 0, "pruned %llu", (unsigned long long)st.pruned_dirs);

    /* report_excluded: one walk gives both totals */
    walk_case("walk-report", ctx, "node_modules\n*.md\n", true,
              "+Dockerfile\n+app/\n+app/main.go\n+app/up@\n+big\n+big2 =link\n+docs/\n+docs/README.md\n+docs/other.md\n"
              "+empty/\n+foo/\n+foo/bar2\n+foo/bar3\n+foo2\n-node_modules/\n-node_modules/a/\n-node_modules/a/index.js\n"
              "-node_modules/keep/\n-node_modules/keep/x.js\n+out@\n",
              &st);
    CHECK("walk-report-stats", st.excluded == 5 && st.excluded_bytes == 4 && st.pruned_dirs == 1,
          "excluded %llu bytes %llu pruned %llu", (unsigned long long)st.excluded, (unsigned long long)st.excluded_bytes,
          (unsigned long long)st.pruned_dirs);

    /* everything excluded but one deep file */
    walk_case("walk-deep-exception", ctx, "**\n!node_modules/keep/x.js\n", false,
              "+node_modules/\n+node_modules/keep/\n+node_modules/keep/x.js\n", &st);

    CHECK("walk-missing", dw_context_walk("/nonexistent/dw-ctx", NULL, NULL, NULL, NULL, NULL) == -1, "walked");
}

/* ---- errors.tsv through `dockwright check` ---- */

static char cli_dir[128];

static void cli_error_row(int lineno, char **f)
{
    char name[64], path[300];
    snprintf(name, sizeof name, "check errors.tsv:%d", lineno);
    size_t len;
    char *src = row_file(f[0], &len);
    snprintf(path, sizeof path, "%s/.dockerignore", cli_dir);
    FILE *fp = fopen(path, "wb");
    if (!fp) { suite_fail(&S, name, "cannot write %s", path); free(src); return; }
    fwrite(src, 1, len, fp);
    fclose(fp);
    free(src);
    char *argv[] = {(char *)dw_binary(), "check", "--format", "json", "--no-config", ".", NULL};
    char *out = NULL, *err = NULL;
    int rc = run_capture(cli_dir, argv, &out, NULL, &err, NULL);
    json_error_t je;
    json_t *j = rc >= 0 ? json_loads(out ? out : "", 0, &je) : NULL;
    int found = 0;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(j, "diagnostics"), i, d) {
        const char *rule = json_string_value(json_object_get(d, "rule"));
        const char *file = json_string_value(json_object_get(d, "file"));
        found += rule && file && !strcmp(rule, "dockerignore-invalid-pattern") && strstr(file, ".dockerignore");
    }
    CHECK(name, found > 0, "patterns %s: no dockerignore-invalid-pattern finding (rc %d) %s", f[0], rc,
          err ? err : "");
    json_decref(j);
    free(out);
    free(err);
}

static void cli_tests(void)
{
    const char *dir = corpus_path("dockerignore");
    if (!dir) {
        suite_skip(&S, 20, "../shared/corpus/dockerignore not found");
        return;
    }
    snprintf(cli_dir, sizeof cli_dir, "%s/cli", tmp);
    mkdir(cli_dir, 0755);
    mk("cli/Dockerfile", "FROM scratch\nCOPY Dockerfile /\n");
    char path[4200];
    snprintf(path, sizeof path, "%s/errors.tsv", dir);
    if (each_row(path, cli_error_row) < 0) suite_fail(&S, "errors.tsv", "cannot read %s", path);
}

void suite_dockerignore(void)
{
    suite_begin(&S, "dockerignore");
    corpus_tests();
    position_tests();
    error_position_tests();
    quirk_tests();
    pathological_tests();
    clean_tests();
    snprintf(tmp, sizeof tmp, "/tmp/dw-ignore-XXXXXX");
    if (!mkdtemp(tmp)) {
        suite_skip(&S, 14, "cannot create a temporary folder");
    } else {
        locate_tests();
        walker_tests();
        dockerignore_copy_tests(&S, tmp);
        cli_tests();
        nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    }
    suite_end(&S);
}
