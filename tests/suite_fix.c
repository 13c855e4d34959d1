/* suite_fix.c — the cases-fix suite: `dockwright fix` end to end, and the
 * pieces of src/fix/ on their own.
 *
 * A case folder tests/cases/fix/<case>/ holds:
 *   - input/: the files, copied to a fresh temporary folder (the cwd);
 *   - args (optional): one argument per line after `fix --no-config`
 *     (`.` is added when none is a path);
 *   - expected/: every file of the folder after the run (a file the run
 *     must not change is there unchanged);
 *   - expected.out, expected.err, expected.rc: stdout, stderr, exit status.
 * Every case is then run a second time, which must change no file and,
 * unless the case is a --diff, fix nothing ("fixed 0 findings in 0 files"):
 * `fix` twice changes nothing the second time. DW_UPDATE=1 rewrites the
 * goldens (expected/ included): read every rewritten one. */
#include "runner.h"
#include "suites.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../src/fix/fix.h"

/* ---- folders ---- */

typedef struct {
    char **v;
    int n, cap;
} names;

static void names_add(names *l, const char *s)
{
    if (l->n == l->cap) l->v = realloc(l->v, sizeof *l->v * (size_t)(l->cap = l->cap ? l->cap * 2 : 16));
    l->v[l->n++] = strdup(s);
}

static void names_free(names *l)
{
    for (int i = 0; i < l->n; i++) free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every regular file under `root`, as paths relative to it, sorted. */
static void list_files(const char *root, const char *rel, names *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(path);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat st;
        if (lstat(full, &st) < 0) continue;
        if (S_ISDIR(st.st_mode)) list_files(root, sub, out);
        else if (S_ISREG(st.st_mode)) names_add(out, sub);
    }
    closedir(d);
    if (!*rel && out->n > 1) qsort(out->v, (size_t)out->n, sizeof *out->v, cmp_str);
}

static bool write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return false;
    bool ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

/* mkdir -p of the folder holding `path`. */
static void make_parents(const char *path)
{
    char buf[8192];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        mkdir(buf, 0755);
        *p = '/';
    }
}

static bool copy_tree(const char *from, const char *to)
{
    names files = {0};
    list_files(from, "", &files);
    bool ok = true;
    for (int i = 0; ok && i < files.n; i++) {
        char src[8192], dst[8192];
        snprintf(src, sizeof src, "%s/%s", from, files.v[i]);
        snprintf(dst, sizeof dst, "%s/%s", to, files.v[i]);
        make_parents(dst);
        size_t len;
        char *data = slurp(src, &len);
        ok = data && write_file(dst, data, len);
        free(data);
    }
    names_free(&files);
    return ok;
}

/* The files of a folder, concatenated with their names: what a second run
 * is compared against. */
static char *snapshot(const char *dir)
{
    names files = {0};
    list_files(dir, "", &files);
    dw_buf b = {0};
    for (int i = 0; i < files.n; i++) {
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, files.v[i]);
        size_t len;
        char *data = slurp(p, &len);
        dw_buf_printf(&b, "== %s\n", files.v[i]);
        if (data) dw_buf_put(&b, data, len);
        free(data);
    }
    names_free(&files);
    dw_buf_putc(&b, 0);
    return b.p;
}

/* ---- the cases ---- */

static int run_fix(const char *bin, const char *cwd, const char *cdir, char **out, size_t *olen, char **err,
                   size_t *elen, bool *diff)
{
    char *argv[40] = {(char *)bin, "fix", "--no-config"}, *args;
    int ac = case_args(cdir, argv, 3, 40, &args);
    *diff = false;
    for (int i = 3; i < ac; i++) *diff |= !strcmp(argv[i], "--diff");
    int rc = run_capture(cwd, argv, out, olen, err, elen);
    free(args);
    return rc;
}

static void run_case(suite *s, const char *cdir, const char *name, const char *bin)
{
    char input[2048], tmp[] = "/tmp/dw-fix-XXXXXX";
    snprintf(input, sizeof input, "%s/input", cdir);
    if (!mkdtemp(tmp) || !copy_tree(input, tmp)) {
        suite_fail(s, name, "cannot copy %s to a temporary folder: %s", input, strerror(errno));
        remove_tree(tmp);
        return;
    }
    char *out, *err;
    size_t olen, elen;
    bool diff;
    int rc = run_fix(bin, tmp, cdir, &out, &olen, &err, &elen, &diff);
    char rcs[16];
    snprintf(rcs, sizeof rcs, "%d\n", rc);
    suite_golden(s, cdir, name, "expected.out", out, olen);
    suite_golden(s, cdir, name, "expected.err", err, elen);
    suite_golden(s, cdir, name, "expected.rc", rcs, strlen(rcs));
    free(out);
    free(err);

    /* the folder afterwards, file by file, and no file more or less */
    names got = {0}, want = {0};
    char exp_dir[2048];
    snprintf(exp_dir, sizeof exp_dir, "%s/expected", cdir);
    list_files(tmp, "", &got);
    list_files(exp_dir, "", &want);
    const char *u = getenv("DW_UPDATE");
    bool update = u && !strcmp(u, "1");
    for (int i = 0; i < got.n; i++) {
        char p[8192], rel[4200];
        snprintf(p, sizeof p, "%s/%s", tmp, got.v[i]);
        snprintf(rel, sizeof rel, "expected/%s", got.v[i]);
        size_t len;
        char *data = slurp(p, &len);
        if (update) {
            char e[8192];
            snprintf(e, sizeof e, "%.2000s/%.4200s", cdir, rel);
            make_parents(e);
        }
        suite_golden(s, cdir, name, rel, data ? data : "", data ? len : 0);
        free(data);
    }
    for (int i = 0; i < want.n; i++) {
        bool there = false;
        for (int k = 0; k < got.n && !there; k++) there = !strcmp(got.v[k], want.v[i]);
        if (!there) {
            if (update) {
                char e[8192];
                snprintf(e, sizeof e, "%s/%s", exp_dir, want.v[i]);
                unlink(e);
            } else {
                suite_fail(s, name, "expected/%s: the run left no such file", want.v[i]);
            }
        }
    }
    names_free(&got);
    names_free(&want);

    /* fix twice: the second run changes nothing */
    char *before = snapshot(tmp);
    rc = run_fix(bin, tmp, cdir, &out, &olen, &err, &elen, &diff);
    char *after = snapshot(tmp);
    char casename[600];
    snprintf(casename, sizeof casename, "%s (second run)", name);
    suite_expect_text(s, casename, before, strlen(before), after, strlen(after));
    const char *last = err ? err : "";
    for (const char *nl = err; nl && (nl = strchr(nl, '\n')) && nl[1];) last = ++nl;
    if (!diff && strcmp(last, "fixed 0 findings in 0 files\n") != 0)
        suite_fail(s, casename, "fixed something again: %s", last);
    else suite_pass(s);
    free(before);
    free(after);
    free(out);
    free(err);
    remove_tree(tmp);
}

/* ---- the pieces ---- */

#define CHECK(s, name, cond, ...) ((cond) ? suite_pass(s) : suite_fail(s, name, __VA_ARGS__))

static dw_diag fix_of(uint32_t start, uint32_t end, const char *text, bool safe)
{
    dw_diag d;
    memset(&d, 0, sizeof d);
    d.rule = "r";
    d.message = "m";
    d.edits = calloc(1, sizeof *d.edits);
    d.edits[0].span = (dw_span){start, end};
    d.edits[0].text = dw_str_c(text);
    d.nedits = 1;
    d.fix_safe = safe;
    return d;
}

static void apply_tests(suite *s)
{
    const char *src = "abcdef";
    dw_diag v[5] = {
        fix_of(1, 2, "B", true),  /* b -> B */
        fix_of(1, 3, "X", true),  /* overlaps the first: waits */
        fix_of(4, 4, "+", true),  /* insertion before e */
        fix_of(4, 4, "*", true),  /* a second one at the same place: waits */
        fix_of(5, 6, "F", false), /* unsafe */
    };
    dw_diags d = {v, 5, 5};
    dw_buf out = {0};
    dw_fix_choice safe = {false, NULL, NULL}, unsafe = {true, NULL, NULL};
    uint32_t n = dw_fix_apply(src, 6, &d, &safe, &out);
    CHECK(s, "apply-safe", n == 2 && out.n == 7 && !memcmp(out.p, "aBcd+ef", 7), "n=%u %.*s", n, (int)out.n, out.p);
    dw_buf_free(&out);
    n = dw_fix_apply(src, 6, &d, &unsafe, &out);
    CHECK(s, "apply-unsafe", n == 3 && out.n == 7 && !memcmp(out.p, "aBcd+eF", 7), "n=%u %.*s", n, (int)out.n, out.p);
    dw_buf_free(&out);
    /* an edit outside the text, or a fix that changes nothing, is never taken */
    dw_diag w[2] = {fix_of(3, 9, "x", true), fix_of(0, 1, "a", true)};
    dw_diags dw = {w, 2, 2};
    n = dw_fix_apply(src, 6, &dw, &unsafe, &out);
    CHECK(s, "apply-malformed", n == 0 && out.n == 0, "n=%u", n);
    dw_buf_free(&out);
    /* `allow` takes only the marked rules' fixes; `took` marks what was taken */
    uint32_t nrules;
    const dw_rule *rules = dw_rules(&nrules);
    v[0].meta = &rules[0];
    v[2].meta = &rules[1];
    bool allow[2] = {false, true}, took[2] = {false, false};
    dw_fix_choice some = {false, allow, took};
    n = dw_fix_apply(src, 6, &d, &some, &out);
    CHECK(s, "apply-allowed", n == 1 && out.n == 7 && !memcmp(out.p, "abcd+ef", 7) && !took[0] && took[1],
          "n=%u %.*s took %d %d", n, (int)out.n, out.p, took[0], took[1]);
    dw_buf_free(&out);
    for (int i = 0; i < 5; i++) free(v[i].edits);
    for (int i = 0; i < 2; i++) free(w[i].edits);
}

static void verify_tests(suite *s)
{
    dw_diag b[2] = {{.rule = "a", .message = "x at line 3"}, {.rule = "b", .message = "y"}};
    dw_diag a[3] = {{.rule = "b", .message = "y"}, {.rule = "a", .message = "x at line 2"}, {.rule = "b", .message = "y"}};
    dw_diags before = {b, 2, 2}, after = {a, 2, 2};
    CHECK(s, "verify-moved", dw_fix_new_finding(&before, &after) == NULL, "a moved finding counted as new");
    after.n = 3; /* a second `b: y` is one more than before */
    const dw_diag *g = dw_fix_new_finding(&before, &after);
    CHECK(s, "verify-gained", g == &a[0] || g == &a[2], "the extra finding was not found");
}

/* Our diff against diff(1) on the same two texts, when diff is installed. */
static void diff_tests(suite *s)
{
    static const struct { const char *a, *b; } pairs[] = {
        {"1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n",
         "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n16\n17\neighteen\n19\n20\n"},
        {"a\nb\nc\nd\ne\nf\ng\nh\n", "a\nb\nc\nX\nd\ne\nf\ng\nh\nY\n"},
        {"x\ny\nz", "x\ny\nz\n"},
        {"", "new\n"},
        {"gone\n", ""},
        {"a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n", "a\nB\nc\nd\ne\nf\ng\nh\nI\nj\n"},
    };
    char dir[] = "/tmp/dw-diff-XXXXXX";
    if (access("/usr/bin/diff", X_OK) != 0 || !mkdtemp(dir)) {
        suite_skip(s, (int)(sizeof pairs / sizeof *pairs), "diff(1) is not installed");
        remove_tree(dir);
        return;
    }
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        char pa[4200], pb[4200], name[64];
        snprintf(pa, sizeof pa, "%s/f", dir);
        snprintf(pb, sizeof pb, "%s/g", dir);
        snprintf(name, sizeof name, "diff-%zu", i);
        write_file(pa, pairs[i].a, strlen(pairs[i].a));
        write_file(pb, pairs[i].b, strlen(pairs[i].b));
        char *argv[] = {"/usr/bin/diff", "-u", "--label", "f", "--label", "f", pa, pb, NULL};
        char *want, *got;
        size_t wlen, glen;
        run_capture(NULL, argv, &want, &wlen, NULL, NULL);
        FILE *m = open_memstream(&got, &glen);
        dw_unified_diff(m, "f", pairs[i].a, strlen(pairs[i].a), pairs[i].b, strlen(pairs[i].b));
        fclose(m);
        suite_expect_text(s, name, want, wlen, got, glen);
        free(want);
        free(got);
    }
    remove_tree(dir);
}

static void write_tests(suite *s)
{
    char dir[] = "/tmp/dw-write-XXXXXX";
    if (!mkdtemp(dir)) {
        suite_fail(s, "write", "mkdtemp: %s", strerror(errno));
        return;
    }
    char f[4200], link[4200];
    snprintf(f, sizeof f, "%s/Dockerfile", dir);
    snprintf(link, sizeof link, "%s/link", dir);
    write_file(f, "old\n", 4);
    chmod(f, 0640);
    const char *why = NULL;
    int r = dw_fix_write(f, "old\n", 4, "new\n", 4, &why);
    struct stat st;
    char *now = slurp(f, NULL);
    CHECK(s, "write-mode-kept", r == 0 && stat(f, &st) == 0 && (st.st_mode & 07777) == 0640 && now && !strcmp(now, "new\n"),
          "r=%d why=%s", r, why ? why : "");
    free(now);
    /* the file changed since it was read: refused, left alone */
    r = dw_fix_write(f, "old\n", 4, "newer\n", 6, &why);
    now = slurp(f, NULL);
    CHECK(s, "write-changed-refused", r < 0 && now && !strcmp(now, "new\n"), "r=%d", r);
    free(now);
    /* through a symlink: the target is written, the link stays a link */
    r = symlink("Dockerfile", link);
    r = r == 0 ? dw_fix_write(link, "new\n", 4, "last\n", 5, &why) : -1;
    now = slurp(f, NULL);
    CHECK(s, "write-symlink", r == 0 && lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && now && !strcmp(now, "last\n"),
          "r=%d why=%s", r, why ? why : "");
    free(now);
    /* no temporary file is left behind */
    names left = {0};
    list_files(dir, "", &left);
    CHECK(s, "write-no-leftovers", left.n == 1, "%d files in %s", left.n, dir);
    names_free(&left);
    remove_tree(dir);
}

/* `fix -`: the Dockerfile read from stdin comes out fixed on stdout. */
static void stdin_test(suite *s, const char *bin)
{
    char cmd[4600];
    snprintf(cmd, sizeof cmd, "printf 'FROM alpine:3.19 as base\\nUSER 1000\\n' | '%s' fix --no-config -", bin);
    char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    char *out, *err;
    int rc = run_capture(NULL, argv, &out, NULL, &err, NULL);
    CHECK(s, "stdin", rc == 0 && out && !strcmp(out, "FROM alpine:3.19 AS base\nUSER 1000\n") && err &&
          !strcmp(err, "fixed 1 finding in 1 file\n"), "rc=%d out=%s err=%s", rc, out ? out : "", err ? err : "");
    free(out);
    free(err);
}

void suite_cases_fix(void)
{
    suite s;
    suite_begin(&s, "cases-fix");
    char *bin = realpath(dw_binary(), NULL);
    const char *dir = "tests/cases/fix";
    names cases = {0};
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (e->d_name[0] != '.') names_add(&cases, e->d_name);
    if (d) closedir(d);
    if (cases.n > 1) qsort(cases.v, (size_t)cases.n, sizeof *cases.v, cmp_str);
    for (int i = 0; bin && i < cases.n; i++) {
        char cdir[1024];
        snprintf(cdir, sizeof cdir, "%s/%.900s", dir, cases.v[i]);
        run_case(&s, cdir, cases.v[i], bin);
    }
    if (!bin) suite_fail(&s, "binary", "cannot find %s", dw_binary());
    else stdin_test(&s, bin);
    names_free(&cases);
    free(bin);
    apply_tests(&s);
    verify_tests(&s);
    diff_tests(&s);
    write_tests(&s);
    suite_end(&s);
}
