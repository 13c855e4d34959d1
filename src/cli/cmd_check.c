/* cmd_check.c — `dockwright check [PATH...]`: finds the build files under
 * each PATH, lints them in parallel (-j), and prints every finding in the
 * chosen format, sorted by file, line, column and rule whatever -j is.
 * Exit status: 0 nothing at or above the failure threshold, 1 findings at or
 * above it, 2 a usage error or a file that could not be read. */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
    "usage: dockwright check [options] [PATH...]\n"
    "\n"
    "Lints the Dockerfiles found under each PATH (default: .). `-` reads one file from stdin.\n"
    "\n"
    "output:\n"
    "  --format FMT             tty (default on a terminal), gnu (default when piped), json, sarif,\n"
    "                           checkstyle, codeclimate, github, junit, sonarqube, hadolint\n"
    "  --color WHEN             always, never or auto (default)\n"
    "  --failure-threshold LVL  error, warning (default), info, style or none   (alias: -t)\n"
    "  --no-fail                always exit 0 unless a file cannot be read\n"
    "rules:\n"
    "  --enable RULE            turn a rule on (slug or alias)\n"
    "  --disable RULE           turn a rule off                                  (alias: --ignore)\n"
    "  --severity RULE=LEVEL    change a rule's severity\n"
    "  --trusted-registry REG   only allow images from REG (repeatable)\n"
    "  --require-label L:TYPE   require label L of TYPE (text, url, semver, hash, rfc3339, spdx, email)\n"
    "  --strict-labels          only the required labels may be set (label-superfluous)\n"
    "  --shellcheck             also run ShellCheck (when installed) on every RUN script\n"
    "  --config FILE            use this config file;  --no-config: use none\n"
    "build:\n"
    "  --build-arg NAME=VALUE   an ARG value, as docker build takes it\n"
    "  --target STAGE           lint as if STAGE were the stage built\n"
    "files:\n"
    "  --stdin-filename NAME    the name of the file read from `-`\n"
    "  --no-ignore              do not skip what .gitignore excludes\n"
    "  -j N                     files checked in parallel (default: cores)\n";

typedef struct {
    char *path;          /* shown path */
    bool from_stdin;
    dw_dockerfile *df;
    char *error;         /* could not be read */
} job;

typedef struct {
    job *jobs;
    uint32_t njobs;
    uint32_t next;
    pthread_mutex_t lock;
    const dw_parse_opts *popts;
    const dw_lint_opts *lopts;
} pool;

static void run_job(pool *p, job *j)
{
    size_t len;
    char *src = dw_read_file(j->from_stdin ? "-" : j->path, &len);
    if (!src) {
        const char *why = strerror(errno);
        j->error = malloc(strlen(why) + 1);
        strcpy(j->error, why);
        return;
    }
    j->df = dw_dockerfile_parse_owned(j->path, src, len, p->popts);
    if (!j->df) {
        j->error = strdup("file too large (over 4 GiB)");
        return;
    }
    dw_lint_dockerfile(j->df, p->lopts);
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        uint32_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->njobs) return NULL;
        run_job(p, &p->jobs[i]);
    }
}

static int cmp_job(const void *a, const void *b)
{
    return strcmp(((const job *)a)->path, ((const job *)b)->path);
}

typedef struct {
    char **v;
    uint32_t n, cap;
} strvec;

static void sv_push(strvec *s, char *x)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = realloc(s->v, sizeof *s->v * s->cap);
    }
    s->v[s->n++] = x;
}

static bool parse_level(const char *s, dw_severity *out)
{
    return dw_severity_parse(s, out) == 0;
}

static bool want_color(const char *when, FILE *f)
{
    if (!strcmp(when, "always")) return true;
    if (!strcmp(when, "never")) return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && *nc) return false;
    const char *force = getenv("CLICOLOR_FORCE");
    if (force && *force && strcmp(force, "0") != 0) return true;
    const char *term = getenv("TERM");
    if (term && !strcmp(term, "dumb")) return false;
    return isatty(fileno(f));
}

int cmd_check(int argc, char **argv)
{
    dw_config *cfg = dw_config_new();
    strvec paths = {0}, enables = {0}, disables = {0}, severities = {0}, registries = {0}, labels = {0};
    dw_build_arg *bargs = calloc((size_t)argc + 1, sizeof *bargs);
    uint32_t nbargs = 0;
    const char *format = NULL, *color = "auto", *threshold = NULL, *target = NULL, *stdin_name = NULL;
    const char *config_path = NULL;
    bool no_fail = false, no_config = false, no_ignore = false, strict_labels = false, shellcheck = false;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN);
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        int m = 0; /* the flag branches do not set it */
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(check_usage, stdout); goto done; }
        else if (!strcmp(a, "--no-fail")) no_fail = true;
        else if (!strcmp(a, "--no-config")) no_config = true;
        else if (!strcmp(a, "--no-ignore")) no_ignore = true;
        else if (!strcmp(a, "--strict-labels")) strict_labels = true;
        else if (!strcmp(a, "--shellcheck")) shellcheck = true;
        else if (!strcmp(a, "--no-color")) color = "never";
        else if ((m = cli_opt(argc, argv, &i, "--format", NULL, &val))) format = val;
        else if ((m = cli_opt(argc, argv, &i, "--color", NULL, &val))) color = val;
        else if ((m = cli_opt(argc, argv, &i, "--failure-threshold", "-t", &val))) threshold = val;
        else if ((m = cli_opt(argc, argv, &i, "--enable", NULL, &val))) sv_push(&enables, (char *)val);
        else if ((m = cli_opt(argc, argv, &i, "--disable", "--ignore", &val))) sv_push(&disables, (char *)val);
        else if ((m = cli_opt(argc, argv, &i, "--severity", NULL, &val))) sv_push(&severities, (char *)val);
        else if ((m = cli_opt(argc, argv, &i, "--trusted-registry", NULL, &val))) sv_push(&registries, (char *)val);
        else if ((m = cli_opt(argc, argv, &i, "--require-label", NULL, &val))) sv_push(&labels, (char *)val);
        else if ((m = cli_opt(argc, argv, &i, "--config", "-c", &val))) config_path = val;
        else if ((m = cli_opt(argc, argv, &i, "--target", NULL, &val))) target = val;
        else if ((m = cli_opt(argc, argv, &i, "--stdin-filename", NULL, &val))) stdin_name = val;
        else if ((m = cli_opt(argc, argv, &i, "--build-arg", NULL, &val))) {
            const char *eq = strchr(val, '=');
            if (!eq) { rc = cli_usage_error("check", "--build-arg needs NAME=VALUE"); goto done; }
            bargs[nbargs].name = strndup(val, (size_t)(eq - val));
            bargs[nbargs].value = eq + 1;
            nbargs++;
        } else if ((m = cli_opt(argc, argv, &i, "--jobs", "-j", &val))) {
            char *end;
            jobs = strtol(val, &end, 10);
            if (*end || jobs < 1) { rc = cli_usage_error("check", "-j needs a positive number"); goto done; }
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error("check", "unknown option '%s' (see dockwright check --help)", a);
            goto done;
        } else sv_push(&paths, (char *)a);
        if (m < 0) { rc = cli_usage_error("check", "%s needs a value", a); goto done; }
    }

    /* configuration: file first, then the command line on top */
    if (!no_config) {
        char *err = NULL;
        if (dw_config_load(cfg, config_path, paths.n ? paths.v[0] : ".", &err) < 0) {
            rc = cli_usage_error("check", "%s", err ? err : "cannot read the config file");
            free(err);
            goto done;
        }
    }
    if (threshold) {
        if (!strcmp(threshold, "none")) cfg->failure_threshold = DW_SEV_OFF;
        else if (!parse_level(threshold, &cfg->failure_threshold) || cfg->failure_threshold == DW_SEV_OFF) {
            rc = cli_usage_error("check", "unknown failure threshold '%s' (error, warning, info, style, none)", threshold);
            goto done;
        }
    }
    if (no_fail) cfg->no_fail = true;
    /* before --disable, so that `--shellcheck --disable shellcheck` is off */
    if (shellcheck) {
        cfg->shellcheck = true;
        dw_config_enable(cfg, "shellcheck");
    }
    for (uint32_t i = 0; i < enables.n; i++)
        if (!dw_config_enable(cfg, enables.v[i])) { rc = cli_usage_error("check", "unknown rule '%s'", enables.v[i]); goto done; }
    for (uint32_t i = 0; i < disables.n; i++)
        if (!dw_config_set(cfg, disables.v[i], DW_SEV_OFF)) {
            rc = cli_usage_error("check", "unknown rule '%s'", disables.v[i]);
            goto done;
        }
    for (uint32_t i = 0; i < severities.n; i++) {
        char *eq = strchr(severities.v[i], '=');
        dw_severity sev;
        if (!eq) { rc = cli_usage_error("check", "--severity needs RULE=LEVEL"); goto done; }
        *eq = 0;
        if (!parse_level(eq + 1, &sev)) { rc = cli_usage_error("check", "unknown level '%s'", eq + 1); goto done; }
        if (!dw_config_set(cfg, severities.v[i], sev)) { rc = cli_usage_error("check", "unknown rule '%s'", severities.v[i]); goto done; }
    }
    for (uint32_t i = 0; i < registries.n; i++) dw_config_add_registry(cfg, registries.v[i]);
    if (strict_labels) cfg->strict_labels = true;
    for (uint32_t i = 0; i < labels.n; i++)
        if (dw_config_add_label(cfg, labels.v[i]) < 0) {
            rc = cli_usage_error("check", "--require-label needs NAME:TYPE (text, url, semver, hash, rfc3339, spdx, email)");
            goto done;
        }

    dw_format fmt = isatty(STDOUT_FILENO) ? DW_FMT_TTY : DW_FMT_GNU;
    if (format && dw_format_parse(format, &fmt) < 0) {
        rc = cli_usage_error("check", "unknown format '%s' (%s)", format, dw_format_names());
        goto done;
    }

    /* discovery */
    if (!paths.n) sv_push(&paths, ".");
    uint32_t nerr = 0, caperr = 8;
    dw_error *errors = malloc(sizeof *errors * caperr);
    dw_found found = {0};
    for (uint32_t i = 0; i < paths.n; i++) {
        if (!strcmp(paths.v[i], "-")) {
            dw_found_add(&found, stdin_name ? stdin_name : "-", true);
            continue;
        }
        const char *why = NULL;
        if (dw_discover(paths.v[i], !no_ignore, cfg, &found, &why) < 0) {
            if (nerr == caperr) errors = realloc(errors, sizeof *errors * (caperr *= 2));
            errors[nerr].file = paths.v[i];
            errors[nerr].message = why ? why : "cannot be read";
            nerr++;
        }
    }

    job *jl = calloc(found.n ? found.n : 1, sizeof *jl);
    uint32_t njobs = 0;
    for (uint32_t i = 0; i < found.n; i++) {
        if (found.v[i].kind != DW_FILE_DOCKERFILE) continue; /* Compose files are not linted yet */
        jl[njobs].path = found.v[i].path;
        jl[njobs].from_stdin = found.v[i].from_stdin;
        njobs++;
    }
    qsort(jl, njobs, sizeof *jl, cmp_job);

    dw_parse_opts popts = {bargs, nbargs};
    dw_lint_opts lopts = {cfg, target, bargs, nbargs, NULL};
    pool p = {jl, njobs, 0, PTHREAD_MUTEX_INITIALIZER, &popts, &lopts};
    uint32_t nthreads = jobs > 64 ? 64 : (uint32_t)jobs;
    if (nthreads > njobs) nthreads = njobs;
    uint32_t dummy;
    (void)dw_rules(&dummy); /* number the rule table before threads read it */
    if (nthreads <= 1) {
        worker(&p);
    } else {
        pthread_t *th = malloc(sizeof *th * nthreads);
        for (uint32_t i = 0; i < nthreads; i++) pthread_create(&th[i], NULL, worker, &p);
        for (uint32_t i = 0; i < nthreads; i++) pthread_join(th[i], NULL);
        free(th);
    }

    dw_file_result *res = calloc(found.n + cfg->nfiles + 1, sizeof *res);
    uint32_t nres = 0;
    bool failed = false;
    /* findings about the config files themselves (config-error) come first */
    for (uint32_t i = 0; i < cfg->nfiles; i++) {
        const dw_config_file *cf = &cfg->files[i];
        if (!cf->diags.n) continue;
        res[nres] = (dw_file_result){cf->path, cf->src, cf->len, &cf->lines, &cf->diags};
        for (uint32_t k = 0; k < cf->diags.n; k++)
            if (cfg->failure_threshold != DW_SEV_OFF && cf->diags.v[k].severity >= cfg->failure_threshold)
                failed = true;
        nres++;
    }
    for (uint32_t i = 0; i < njobs; i++) {
        job *j = &jl[i];
        if (j->error) {
            if (nerr == caperr) errors = realloc(errors, sizeof *errors * (caperr *= 2));
            errors[nerr].file = j->path;
            errors[nerr].message = j->error;
            nerr++;
            continue;
        }
        res[nres].path = j->path;
        res[nres].src = j->df->src;
        res[nres].len = j->df->len;
        res[nres].lines = &j->df->lines;
        res[nres].diags = &j->df->diags;
        for (uint32_t k = 0; k < j->df->diags.n; k++)
            if (cfg->failure_threshold != DW_SEV_OFF && j->df->diags.v[k].severity >= cfg->failure_threshold)
                failed = true;
        nres++;
    }
    dw_results results = {res, nres, errors, nerr, want_color(color, stdout), cfg->failure_threshold};
    dw_output(stdout, fmt, &results);
    if (fmt != DW_FMT_JSON && fmt != DW_FMT_SARIF)
        for (uint32_t i = 0; i < nerr; i++) fprintf(stderr, "dockwright: %s: %s\n", errors[i].file, errors[i].message);
    fflush(stdout);

    rc = nerr ? 2 : (failed && !cfg->no_fail) ? 1 : 0;
    for (uint32_t i = 0; i < found.n; i++) {
        dw_dockerfile_free(jl[i].df);
        free(jl[i].error);
    }
    dw_found_free(&found);
    free(jl);
    free(res);
    free(errors);
done:
    free(paths.v);
    free(enables.v);
    free(disables.v);
    free(severities.v);
    free(registries.v);
    free(labels.v);
    for (uint32_t i = 0; i < nbargs; i++) free((char *)bargs[i].name);
    free(bargs);
    dw_config_free(cfg);
    return rc;
}
