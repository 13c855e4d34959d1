/* suite_compose_config.c — the cases-compose-config suite: golden cases of
 * `dockwright compose-config` in tests/cases/compose-config/<case>/.
 *
 * A case folder holds the project's files and:
 *   - `args` (optional): one argument per line, after `compose-config`;
 *   - `env` (optional): NAME=VALUE lines, the whole process environment
 *     (the command runs under `env -i`, so nothing else leaks in);
 *   - expected.out, expected.err, expected.rc: stdout, stderr, exit status.
 * The case folder is the working directory. Its absolute path, which the
 * output holds (build contexts, bind mounts), is written `{case}` in the
 * goldens. DW_UPDATE=1 rewrites them: read every rewritten one. */
#include "runner.h"
#include "suites.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* `text` with every occurrence of `what` replaced by `with` (malloc'd). */
static char *replace_all(const char *text, size_t len, const char *what, const char *with, size_t *outlen)
{
    size_t wl = strlen(what), nl = strlen(with), cap = len + 1, n = 0;
    char *o = malloc(cap);
    for (size_t i = 0; i < len;) {
        if (wl && i + wl <= len && !memcmp(text + i, what, wl)) {
            while (n + nl + 1 > cap) o = realloc(o, cap *= 2);
            memcpy(o + n, with, nl);
            n += nl;
            i += wl;
            continue;
        }
        if (n + 2 > cap) o = realloc(o, cap *= 2);
        o[n++] = text[i++];
    }
    o[n] = 0;
    *outlen = n;
    return o;
}

static int only_dirs(const struct dirent *e) { return e->d_name[0] != '.'; }

void suite_cases_compose_config(void)
{
    suite s;
    suite_begin(&s, "cases-compose-config");
    const char *dir = "tests/cases/compose-config";
    struct dirent **names = NULL;
    int n = scandir(dir, &names, only_dirs, alphasort);
    char *bin = realpath(dw_binary(), NULL);
    if (!bin) {
        suite_fail(&s, "binary", "cannot find %s", dw_binary());
        n = n < 0 ? 0 : n;
    }
    for (int i = 0; bin && i < n; i++) {
        char cdir[600], p[700];
        snprintf(cdir, sizeof cdir, "%s/%s", dir, names[i]->d_name);
        char *abs = realpath(cdir, NULL);
        char *argv[64];
        int ac = 0;
        argv[ac++] = "/usr/bin/env";
        argv[ac++] = "-i";
        snprintf(p, sizeof p, "%s/env", cdir);
        char *env = slurp(p, NULL), *save, *a;
        for (a = env ? strtok_r(env, "\n", &save) : NULL; a && ac < 30; a = strtok_r(NULL, "\n", &save)) argv[ac++] = a;
        argv[ac++] = bin;
        argv[ac++] = "compose-config";
        snprintf(p, sizeof p, "%s/args", cdir);
        char *args = slurp(p, NULL);
        for (a = args ? strtok_r(args, "\n", &save) : NULL; a && ac < 62; a = strtok_r(NULL, "\n", &save)) argv[ac++] = a;
        argv[ac] = NULL;
        char *out, *err;
        size_t olen, elen, l1, l2;
        int rc = run_capture(cdir, argv, &out, &olen, &err, &elen);
        char *o = replace_all(out, olen, abs ? abs : cdir, "{case}", &l1);
        char *e = replace_all(err, elen, abs ? abs : cdir, "{case}", &l2);
        char rcs[16];
        snprintf(rcs, sizeof rcs, "%d\n", rc);
        suite_golden(&s, cdir, names[i]->d_name, "expected.out", o, l1);
        suite_golden(&s, cdir, names[i]->d_name, "expected.err", e, l2);
        suite_golden(&s, cdir, names[i]->d_name, "expected.rc", rcs, strlen(rcs));
        free(o);
        free(e);
        free(out);
        free(err);
        free(args);
        free(env);
        free(abs);
    }
    for (int i = 0; i < n; i++) free(names[i]);
    free(names);
    free(bin);
    suite_end(&s);
}
