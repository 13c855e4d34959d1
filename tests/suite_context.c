/* suite_context.c — `dockwright context` on the small trees of
 * tests/cases/context/<case>/: the case folder is the working folder and
 * `ctx/` in it the usual build context. Each case runs the command with
 * the arguments of its `args` file (one per line; default "ctx") three
 * times: as text (--color=never) against expected.text, expected.err and
 * expected.rc, as --format json against expected.json, and with --list
 * against expected.list. A case that exits with an error must print
 * nothing on stdout in any mode. Two invariants are checked on every
 * successful case, goldens aside: --list is sorted bytewise without
 * repeats, and it has as many lines as the JSON report counts entries sent. */
#include "runner.h"
#include "suites.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int visible(const struct dirent *e)
{
    return e->d_name[0] != '.';
}

/* Runs `dockwright context` with `extra` (NULL-terminated) before the
 * case's own arguments. */
static int run_context(const char *cdir, char *const *args, int nargs, const char *const *extra, char **out,
                       size_t *olen, char **err, size_t *elen)
{
    char *argv[48];
    int ac = 0;
    argv[ac++] = (char *)dw_binary();
    argv[ac++] = "context";
    for (; extra && *extra; extra++) argv[ac++] = (char *)*extra;
    for (int i = 0; i < nargs && ac < 47; i++) argv[ac++] = args[i];
    argv[ac] = NULL;
    return run_capture(cdir, argv, out, olen, err, elen);
}

/* --list: sorted bytewise, no repeats; returns the line count, -1 if not. */
static long check_sorted(const char *s, size_t n)
{
    long lines = 0;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (size_t i = 0; i < n;) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (s + i)) : n - i;
        if (prev) {
            size_t m = prev_len < len ? prev_len : len;
            int c = memcmp(prev, s + i, m);
            if (c > 0 || (c == 0 && prev_len >= len)) return -1;
        }
        prev = s + i;
        prev_len = len;
        lines++;
        i += len + 1;
    }
    return lines;
}

static long long sent_entries(const char *json)
{
    json_error_t je;
    json_t *o = json_loads(json, 0, &je);
    if (!o) return -1;
    json_t *sent = json_object_get(o, "sent");
    long long n = 0;
    const char *keys[] = {"files", "dirs", "symlinks", "other"};
    for (int k = 0; k < 4; k++) n += json_integer_value(json_object_get(sent, keys[k]));
    json_decref(o);
    return n;
}

void suite_cases_context(void)
{
    suite s;
    suite_begin(&s, "cases-context");
    const char *dir = "tests/cases/context";
    struct dirent **names = NULL;
    int n = scandir(dir, &names, visible, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        char cdir[600], p[700];
        snprintf(cdir, sizeof cdir, "%s/%s", dir, name);
        struct stat sb;
        if (stat(cdir, &sb) != 0 || !S_ISDIR(sb.st_mode)) continue;
        snprintf(p, sizeof p, "%s/args", cdir);
        char *argfile = slurp(p, NULL);
        char *args[40];
        int nargs = 0;
        if (argfile) {
            char *save, *a;
            for (a = strtok_r(argfile, "\n", &save); a && nargs < 40; a = strtok_r(NULL, "\n", &save)) args[nargs++] = a;
        } else {
            args[nargs++] = "ctx";
        }

        char *out = NULL, *err = NULL;
        size_t olen = 0, elen = 0;
        static const char *const text[] = {"--color=never", NULL};
        int rc = run_context(cdir, args, nargs, text, &out, &olen, &err, &elen);
        char rcs[16];
        snprintf(rcs, sizeof rcs, "%d\n", rc);
        suite_golden(&s, cdir, name, "expected.text", out, olen);
        suite_golden(&s, cdir, name, "expected.err", err, elen);
        suite_golden(&s, cdir, name, "expected.rc", rcs, strlen(rcs));
        free(out);
        free(err);

        static const char *const json[] = {"--format", "json", NULL};
        static const char *const list[] = {"--list", NULL};
        char *jout = NULL, *lout = NULL;
        size_t jlen = 0, llen = 0;
        int jrc = run_context(cdir, args, nargs, json, &jout, &jlen, NULL, NULL);
        int lrc = run_context(cdir, args, nargs, list, &lout, &llen, NULL, NULL);
        if (rc != 0) {
            /* an error: the same status in every mode, and nothing on stdout */
            if (jrc != rc || lrc != rc || jlen || llen)
                suite_fail(&s, name, "json/list: status %d/%d (text %d), %zu/%zu bytes on stdout", jrc, lrc, rc,
                           jlen, llen);
            else suite_pass(&s);
        } else {
            suite_golden(&s, cdir, name, "expected.json", jout, jlen);
            suite_golden(&s, cdir, name, "expected.list", lout, llen);
            long lines = check_sorted(lout, llen);
            long long sent = sent_entries(jout);
            if (jrc || lrc) suite_fail(&s, name, "json/list exit status %d/%d", jrc, lrc);
            else if (lines < 0) suite_fail(&s, name, "--list is not sorted bytewise or repeats a path");
            else if (sent != lines) suite_fail(&s, name, "--list has %ld paths, the JSON report counts %lld sent", lines, sent);
            else suite_pass(&s);
        }
        free(jout);
        free(lout);
        free(argfile);
    }
    for (int i = 0; i < n; i++) free(names[i]);
    if (n > 0) free(names);
    suite_end(&s);
}
