/* cmd_check.c — `dockwright check [PATH...]`: finds the build files under
 * each PATH, lints them in parallel (-j), and prints every finding in the
 * chosen format, sorted by file, line, column and rule whatever -j is.
 * Exit status: 0 nothing at or above the failure threshold, 1 findings at or
 * above it (or more warnings than --max-warnings), 2 a usage error or a file
 * that could not be read. `fix` runs the same pipeline through a hook
 * (check_jobs.h, cmd_fix.c). */
#include "check_jobs.h"

#include "../compose/compose.h"
#include "../ignore/dockerignore.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char check_usage[] =
    "usage: dockwright check [options] [PATH...]\n"
    "\n"
    "Lints the Dockerfiles, Compose files and .dockerignore files found under each PATH\n"
    "(default: .). `-` reads one Dockerfile from stdin.\n"
    "\n"
    "output:\n"
    "  --format FMT             tty (default on a terminal), gnu (default when piped), json, sarif,\n"
    "                           checkstyle, codeclimate, github, junit, sonarqube, hadolint\n"
    "  --color WHEN             always, never or auto (default)\n"
    "  --failure-threshold LVL  error, warning (default), info, style or none   (alias: -t)\n"
    "  --no-fail                always exit 0 unless a file cannot be read\n"
    "  --max-warnings N         also exit 1 when more than N findings are warnings (dclint's option)\n"
    "rules:\n"
    "  --enable RULE            turn a rule on (slug or alias)\n"
    "  --disable RULE           turn a rule off                                  (alias: --ignore)\n"
    "  --severity RULE=LEVEL    change a rule's severity\n"
    "  --trusted-registry REG   only allow images from REG (repeatable)\n"
    "  --require-label L:TYPE   require label L of TYPE (text, url, semver, hash, rfc3339, spdx, email)\n"
    "  --strict-labels          only the required labels may be set (label-superfluous)\n"
    "  --shellcheck             also run ShellCheck (when installed) on every RUN script\n"
    "  --config FILE            use this config file (even with --no-config);  --no-config: use none\n"
    "build:\n"
    "  --build-arg NAME=VALUE   an ARG value, as docker build takes it\n"
    "  --target STAGE           lint as if STAGE were the stage built\n"
    "files:\n"
    "  --stdin-filename NAME    the name of the file read from `-`\n"
    "  --no-ignore              do not skip what .gitignore excludes\n"
    "  -j N                     files checked in parallel (default: cores)\n";

static int cmp_job(const void *a, const void *b)
{
    return strcmp(((const check_job *)a)->path, ((const check_job *)b)->path);
}

static int cmp_result(const void *a, const void *b)
{
    return strcmp(((const dw_file_result *)a)->path, ((const dw_file_result *)b)->path);
}

/* True when a base Compose file (compose.yaml, docker-compose.yml, ...)
 * was found in the folder of `override`. */
static bool has_base_compose(const dw_found *found, const char *override)
{
    const char *slash = strrchr(override, '/');
    size_t dir = slash ? (size_t)(slash - override) + 1 : 0;
    static const char *const bases[] = {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"};
    for (uint32_t i = 0; i < found->n; i++) {
        const char *p = found->v[i].path;
        if (strncmp(p, override, dir) != 0 || strchr(p + dir, '/')) continue;
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
            if (!strcmp(p + dir, bases[b])) return true;
    }
    return false;
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

int cmd_check(int argc, char **argv) { return check_main(argc, argv, NULL); }

int check_main(int argc, char **argv, check_hook *hook)
{
    const char *cmd = hook ? hook->cmd : "check";
    dw_config *cfg = dw_config_new();
    strvec paths = {0}, enables = {0}, disables = {0}, severities = {0}, registries = {0}, labels = {0};
    dw_build_arg *bargs = calloc((size_t)argc + 1, sizeof *bargs);
    uint32_t nbargs = 0;
    const char *format = NULL, *color = "auto", *threshold = NULL, *target = NULL, *stdin_name = NULL;
    const char *config_path = NULL;
    bool no_fail = false, no_config = false, no_ignore = false, strict_labels = false, shellcheck = false;
    long jobs = sysconf(_SC_NPROCESSORS_ONLN), max_warnings = -1;
    int rc = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *val = NULL;
        int m = 0; /* the flag branches do not set it */
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(hook ? hook->usage : check_usage, stdout); goto done; }
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
            if (!eq) { rc = cli_usage_error(cmd, "--build-arg needs NAME=VALUE"); goto done; }
            bargs[nbargs].name = strndup(val, (size_t)(eq - val));
            bargs[nbargs].value = eq + 1;
            nbargs++;
        } else if ((m = cli_opt(argc, argv, &i, "--jobs", "-j", &val))) {
            char *end;
            jobs = strtol(val, &end, 10);
            if (*end || jobs < 1) { rc = cli_usage_error(cmd, "-j needs a positive number"); goto done; }
        } else if ((m = cli_opt(argc, argv, &i, "--max-warnings", NULL, &val))) {
            char *end;
            max_warnings = strtol(val, &end, 10);
            if (*end || !*val || max_warnings < -1) {
                rc = cli_usage_error(cmd, "--max-warnings needs a number (-1: no limit)");
                goto done;
            }
        } else if (hook && (m = hook->option(hook, argc, argv, &i)) != 0) {
            /* the command's own option (fix --diff, ...) */
        } else if (a[0] == '-' && a[1]) {
            rc = cli_usage_error(cmd, "unknown option '%s' (see dockwright %s --help)", a, cmd);
            goto done;
        } else sv_push(&paths, (char *)a);
        if (m < 0) { rc = cli_usage_error(cmd, "%s needs a value", a); goto done; }
    }

    /* configuration: file first, then the command line on top */
    if (!no_config || config_path) {
        char *err = NULL;
        if (dw_config_load(cfg, config_path, paths.n ? paths.v[0] : ".", &err) < 0) {
            rc = cli_usage_error(cmd, "%s", err ? err : "cannot read the config file");
            free(err);
            goto done;
        }
    }
    if (threshold) {
        if (!strcmp(threshold, "none")) cfg->failure_threshold = DW_SEV_OFF;
        else if (!parse_level(threshold, &cfg->failure_threshold) || cfg->failure_threshold == DW_SEV_OFF) {
            rc = cli_usage_error(cmd, "unknown failure threshold '%s' (error, warning, info, style, none)", threshold);
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
        if (!dw_config_enable(cfg, enables.v[i])) { rc = cli_usage_error(cmd, "unknown rule '%s'", enables.v[i]); goto done; }
    for (uint32_t i = 0; i < disables.n; i++)
        if (!dw_config_set(cfg, disables.v[i], DW_SEV_OFF)) {
            rc = cli_usage_error(cmd, "unknown rule '%s'", disables.v[i]);
            goto done;
        }
    for (uint32_t i = 0; i < severities.n; i++) {
        char *eq = strchr(severities.v[i], '=');
        dw_severity sev;
        if (!eq) { rc = cli_usage_error(cmd, "--severity needs RULE=LEVEL"); goto done; }
        *eq = 0;
        if (!parse_level(eq + 1, &sev)) { rc = cli_usage_error(cmd, "unknown level '%s'", eq + 1); goto done; }
        if (!dw_config_set(cfg, severities.v[i], sev)) { rc = cli_usage_error(cmd, "unknown rule '%s'", severities.v[i]); goto done; }
    }
    for (uint32_t i = 0; i < registries.n; i++) dw_config_add_registry(cfg, registries.v[i]);
    if (strict_labels) cfg->strict_labels = true;
    for (uint32_t i = 0; i < labels.n; i++)
        if (dw_config_add_label(cfg, labels.v[i]) < 0) {
            rc = cli_usage_error(cmd, "--require-label needs NAME:TYPE (text, url, semver, hash, rfc3339, spdx, email)");
            goto done;
        }

    dw_format fmt = isatty(STDOUT_FILENO) ? DW_FMT_TTY : DW_FMT_GNU;
    if (format && dw_format_parse(format, &fmt) < 0) {
        rc = cli_usage_error(cmd, "unknown format '%s' (%s)", format, dw_format_names());
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

    check_jobs composes = {0}, dockerfiles = {0}, ignores = {0};
    for (uint32_t i = 0; i < found.n; i++) {
        dw_found_file *f = &found.v[i];
        if (f->kind == DW_FILE_COMPOSE) {
            /* an override file is merged onto the base file of its folder */
            const char *base = strrchr(f->path, '/');
            base = base ? base + 1 : f->path;
            if (dw_is_compose_override_name(base) && has_base_compose(&found, f->path)) continue;
        }
        check_jobs *to = f->kind == DW_FILE_COMPOSE ? &composes : f->kind == DW_FILE_DOCKERIGNORE ? &ignores : &dockerfiles;
        check_jobs_add(to, f->path, f->from_stdin, f->kind);
    }
    if (dockerfiles.n) qsort(dockerfiles.v, dockerfiles.n, sizeof *dockerfiles.v, cmp_job);

    dw_parse_opts popts = {bargs, nbargs};
    dw_lint_opts lopts = {cfg, target, bargs, nbargs, NULL};
    uint32_t nthreads = jobs > 64 ? 64 : (uint32_t)jobs;
    uint32_t dummy;
    (void)dw_rules(&dummy); /* number the rule table before threads read it */
    check_jobs_run(&composes, nthreads, &popts, &lopts);
    check_jobs_compose_contexts(&composes, &dockerfiles);
    check_jobs_run(&dockerfiles, nthreads, &popts, &lopts);
    check_jobs_ignore_files(&dockerfiles, &ignores);
    check_jobs_run(&ignores, nthreads, &popts, &lopts);
    if (hook) hook->after_lint(hook, &(check_pass){&composes, &dockerfiles, &ignores, &popts, &lopts});

    uint32_t cap = cfg->nfiles + dockerfiles.n + ignores.n + 1;
    for (uint32_t i = 0; i < composes.n; i++)
        cap += composes.v[i].cp ? composes.v[i].cp->nfiles + composes.v[i].cp->nenv_files : 0;
    dw_file_result *res = calloc(cap, sizeof *res);
    uint32_t nres = 0;
    /* findings about the config files themselves (config-error) come first */
    /* (the config was read before the command line's --disable applied) */
    const dw_rule *cfg_err = dw_rule_by_slug("config-error");
    bool cfg_err_off = cfg_err && cfg->severity[cfg_err->index] == DW_SEV_OFF;
    for (uint32_t i = 0; i < cfg->nfiles; i++) {
        const dw_config_file *cf = &cfg->files[i];
        if (!cf->diags.n || cfg_err_off) continue;
        res[nres++] = (dw_file_result){cf->path, cf->src, cf->len, &cf->lines, &cf->diags};
    }
    uint32_t first_file = nres;
    check_jobs *all[3] = {&dockerfiles, &ignores, &composes};
    for (int k = 0; k < 3; k++)
        for (uint32_t i = 0; i < all[k]->n; i++) {
            check_job *j = &all[k]->v[i];
            if (j->error) {
                if (nerr == caperr) errors = realloc(errors, sizeof *errors * (caperr *= 2));
                errors[nerr].file = j->path;
                errors[nerr].message = j->error;
                nerr++;
                continue;
            }
            if (j->df) {
                res[nres++] = (dw_file_result){j->path, j->df->src, j->df->len, &j->df->lines, &j->df->diags};
            } else if (j->di) {
                res[nres++] = (dw_file_result){j->path, j->di->src ? j->di->src : "", j->di->len, &j->di->lines,
                                               &j->idiags};
            } else if (j->cp) {
                for (uint32_t f = 0; f < j->cp->nfiles; f++) {
                    const dw_compose_file *cf = &j->cp->files[f];
                    res[nres++] = (dw_file_result){cf->path, cf->src, cf->len, &cf->lines, &cf->diags};
                }
                /* a .env that does not parse: its findings, under its own name */
                for (uint32_t f = 0; f < j->cp->nenv_files; f++) {
                    const dw_env_source *es = &j->cp->env_files[f];
                    if (es->diags.n) res[nres++] = (dw_file_result){es->path, es->src, es->len, &es->lines, &es->diags};
                }
            }
        }
    qsort(res + first_file, nres - first_file, sizeof *res, cmp_result);
    /* a file read by several projects (an included or extended file, a shared
     * .env) is shown once: the copy with the most findings */
    uint32_t kept = first_file;
    for (uint32_t r = first_file; r < nres; r++) {
        if (kept > first_file && !strcmp(res[kept - 1].path, res[r].path)) {
            if (res[r].diags->n > res[kept - 1].diags->n) res[kept - 1] = res[r];
            continue;
        }
        res[kept++] = res[r];
    }
    nres = kept;
    bool failed = false;
    long warnings = 0;
    for (uint32_t r = 0; r < nres; r++)
        for (uint32_t k = 0; k < res[r].diags->n; k++) {
            dw_severity sev = res[r].diags->v[k].severity;
            if (cfg->failure_threshold != DW_SEV_OFF && sev >= cfg->failure_threshold) failed = true;
            warnings += sev == DW_SEV_WARNING;
        }
    if (max_warnings >= 0 && warnings > max_warnings) failed = true;
    if (hook && hook->no_findings_rc) failed = false;
    dw_results results = {res, nres, errors, nerr, cli_want_color(color, stdout), cfg->failure_threshold};
    if (!hook || !hook->no_report) dw_output(stdout, fmt, &results);
    if (fmt != DW_FMT_JSON && fmt != DW_FMT_SARIF)
        for (uint32_t i = 0; i < nerr; i++) fprintf(stderr, "dockwright: %s: %s\n", errors[i].file, errors[i].message);
    fflush(stdout);

    rc = nerr ? 2 : (failed && !cfg->no_fail) ? 1 : 0;
    if (hook && !nerr && rc < hook->min_rc) rc = hook->min_rc;
    check_jobs_free(&composes);
    check_jobs_free(&dockerfiles);
    check_jobs_free(&ignores);
    dw_found_free(&found);
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
