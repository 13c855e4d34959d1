/* run.c — dockwright's test runner. Runs every suite listed below, prints
 * "suite NAME: N passed, N failed, N skipped" for each and ends with
 * "N passed, N failed, N skipped". Exit status 1 when anything failed.
 * Corpus suites read ../shared/corpus in place (or $DW_CORPUS) and are
 * reported as skipped when it is absent. */
#include "runner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suites.h"

static int total_pass, total_fail, total_skip;
static const char *only; /* DW_SUITE=name runs one suite */

void suite_begin(suite *s, const char *name)
{
    memset(s, 0, sizeof *s);
    s->name = name;
}

void suite_pass(suite *s) { s->passed++; }

void suite_fail(suite *s, const char *casename, const char *fmt, ...)
{
    s->failed++;
    if (s->failed > 25) {
        if (s->failed == 26) printf("  [%s] ... further failures not shown\n", s->name);
        return;
    }
    printf("FAIL [%s] %s: ", s->name, casename);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

void suite_skip(suite *s, int count, const char *why)
{
    s->skipped += count;
    if (why && count) printf("  [%s] skipped %d: %s\n", s->name, count, why);
}

void suite_end(suite *s)
{
    printf("suite %s: %d passed, %d failed, %d skipped\n", s->name, s->passed, s->failed, s->skipped);
    fflush(stdout);
    total_pass += s->passed;
    total_fail += s->failed;
    total_skip += s->skipped;
}

/* Prints a short line diff: the first differing region with context. */
static void print_diff(const char *e, size_t elen, const char *a, size_t alen)
{
    size_t i = 0, line = 1, ls = 0;
    while (i < elen && i < alen && e[i] == a[i]) {
        if (e[i] == '\n') { line++; ls = i + 1; }
        i++;
    }
    printf("  first difference at line %zu\n", line);
    const char *srcs[2] = {e, a};
    size_t lens[2] = {elen, alen};
    const char *tags[2] = {"  - expected: ", "  + actual:   "};
    for (int k = 0; k < 2; k++) {
        size_t p = ls;
        for (int n = 0; n < 3 && p < lens[k]; n++) {
            const char *nl = memchr(srcs[k] + p, '\n', lens[k] - p);
            size_t end = nl ? (size_t)(nl - srcs[k]) : lens[k];
            size_t show = end - p > 300 ? 300 : end - p;
            printf("%s%.*s%s\n", tags[k], (int)show, srcs[k] + p, end - p > show ? "..." : "");
            p = end + 1;
        }
        if (p >= lens[k] && ls >= lens[k]) printf("%s<end of text>\n", tags[k]);
    }
}

bool suite_expect_text(suite *s, const char *casename, const char *expected, size_t elen,
                       const char *actual, size_t alen)
{
    if (elen == alen && memcmp(expected, actual, elen) == 0) {
        suite_pass(s);
        return true;
    }
    suite_fail(s, casename, "output differs");
    if (s->failed <= 25) print_diff(expected, elen, actual, alen);
    return false;
}

void suite_golden(suite *s, const char *dir, const char *casename, const char *file, const char *got,
                  size_t len)
{
    char path[4096], name[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(name, sizeof name, "%s/%s", casename, file);
    size_t xlen;
    char *exp = slurp(path, &xlen);
    const char *u = getenv("DW_UPDATE");
    if (u && !strcmp(u, "1")) {
        if (!exp || xlen != len || memcmp(exp, got, len) != 0) {
            FILE *f = fopen(path, "wb");
            if (f) { fwrite(got, 1, len, f); fclose(f); }
        }
        suite_pass(s);
    } else if (!exp) {
        suite_fail(s, name, "missing (run make check UPDATE=1)");
    } else {
        suite_expect_text(s, name, exp, xlen, got, len);
    }
    free(exp);
}

const char *corpus_path(const char *sub)
{
    static char buf[4096];
    const char *root = getenv("DW_CORPUS");
    if (!root || !*root) root = "../shared/corpus";
    snprintf(buf, sizeof buf, "%s/%s", root, sub);
    struct stat st;
    return stat(buf, &st) == 0 ? buf : NULL;
}

int case_args(const char *cdir, char **argv, int ac, int max, char **buf)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/args", cdir);
    *buf = slurp(p, NULL);
    bool has_path = false;
    if (*buf) {
        char *save, *a;
        for (a = strtok_r(*buf, "\n", &save); a && ac < max - 2; a = strtok_r(NULL, "\n", &save)) {
            argv[ac++] = a;
            has_path |= a[0] != '-';
        }
    }
    if (!has_path) argv[ac++] = ".";
    argv[ac] = NULL;
    return ac;
}

void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) remove_tree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

char *corpus_unescape(const char *s, size_t n, size_t *outlen)
{
    char *o = malloc(n + 2);
    if (!o) abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            char c = s[i + 1];
            if (c == 'n') { o[k++] = '\n'; i++; continue; }
            if (c == 't') { o[k++] = '\t'; i++; continue; }
            if (c == 'r') { o[k++] = '\r'; i++; continue; }
            if (c == '\\') { o[k++] = '\\'; i++; continue; }
            if (c == 'x' && i + 3 < n) {
                char hex[3] = {s[i + 2], s[i + 3], 0};
                o[k++] = (char)strtol(hex, NULL, 16);
                i += 3;
                continue;
            }
        }
        o[k++] = s[i];
    }
    o[k] = 0;
    *outlen = k;
    return o;
}

char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    size_t r;
    while ((r = fread(p + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (cap - n - 1 == 0) { cap *= 2; p = realloc(p, cap); }
    }
    fclose(f);
    p[n] = 0;
    if (len) *len = n;
    return p;
}

const char *dw_binary(void)
{
    const char *b = getenv("DW_BIN");
    return b && *b ? b : "./dockwright";
}

int run_capture(const char *cwd, char *const argv[], char **out, size_t *outlen, char **err, size_t *errlen)
{
    int po[2], pe[2];
    if (pipe(po) || pipe(pe)) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        int devnull = open("/dev/null", O_RDONLY);
        dup2(devnull, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]); close(pe[0]); close(po[1]); close(pe[1]);
        if (cwd && chdir(cwd) != 0) _exit(127);
        execv(argv[0], argv);
        _exit(127);
    }
    close(po[1]);
    close(pe[1]);
    size_t cap[2] = {4096, 4096}, n[2] = {0, 0};
    char *buf[2] = {malloc(4096), malloc(4096)};
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        if (poll(fds, 2, -1) < 0) { if (errno == EINTR) continue; break; }
        for (int k = 0; k < 2; k++) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (cap[k] - n[k] < 4096) { cap[k] *= 2; buf[k] = realloc(buf[k], cap[k]); }
            ssize_t r = read(fds[k].fd, buf[k] + n[k], cap[k] - n[k] - 1);
            if (r <= 0) { close(fds[k].fd); fds[k].fd = -1; open_fds--; }
            else n[k] += (size_t)r;
        }
    }
    buf[0][n[0]] = 0;
    buf[1][n[1]] = 0;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (out) { *out = buf[0]; if (outlen) *outlen = n[0]; } else free(buf[0]);
    if (err) { *err = buf[1]; if (errlen) *errlen = n[1]; } else free(buf[1]);
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return -1;
}

static const struct { const char *name; suite_fn fn; } suites[] = {
#define SUITE(name, fn) {name, fn},
#include "suites.def"
#undef SUITE
};

int main(int argc, char **argv)
{
    only = argc > 1 ? argv[1] : getenv("DW_SUITE");
    if (only && !*only) only = NULL;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!corpus_path(".")) printf("notice: ../shared/corpus not found; corpus suites are skipped\n");
    for (size_t i = 0; i < sizeof suites / sizeof *suites; i++) {
        if (only && !strstr(suites[i].name, only)) continue;
        suites[i].fn();
    }
    printf("%d passed, %d failed, %d skipped\n", total_pass, total_fail, total_skip);
    return total_fail ? 1 : 0;
}

bool have_shellcheck(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : ""), *save = NULL;
    bool found = false;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char p[4096];
        snprintf(p, sizeof p, "%s/shellcheck", d);
        found = access(p, X_OK) == 0;
    }
    free(copy);
    return found;
}
