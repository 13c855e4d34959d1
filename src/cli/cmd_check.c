/* cmd_check.c — `dockwright check [PATH...]`: finds the build files under
 * each PATH, lints them in parallel (-j), and prints every finding in the
 * chosen format, sorted by file, line, column and rule whatever -j is.
 * Exit status: 0 nothing at or above the failure threshold, 1 findings at or
 * above it (or more warnings than --max-warnings), 2 a usage error or a file
 * that could not be read. `fix` runs the same pipeline through a hook
 * (check_hook.h, cmd_fix.c). */
#include "check_hook.h"

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

    dw_parse_opts popts = {bargs, nbargs};
    dw_lint_opts lopts = {cfg, target, bargs, nbargs, NULL};
    dw_check_run *run = dw_check_run_new(&found, &popts, &lopts);
    dw_check_run_lint(run, jobs > 64 ? 64 : (uint32_t)jobs);
    if (hook) hook->after_lint(hook, run);

    uint32_t nfiles, nrun_errors;
    const dw_file_result *files = dw_check_run_files(run, &nfiles);
    const dw_error *run_errors = dw_check_run_errors(run, &nrun_errors);
    dw_file_result *res = calloc(cfg->nfiles + nfiles + 1, sizeof *res);
    uint32_t nres = 0;
    /* findings about the config files themselves (config-error) come first,
     * with the command line's settings for their rule */
    dw_config_settle_files(cfg);
    for (uint32_t i = 0; i < cfg->nfiles; i++) {
        const dw_config_file *cf = &cfg->files[i];
        if (!cf->diags.n) continue;
        res[nres++] = (dw_file_result){cf->path, cf->src, cf->len, &cf->lines, &cf->diags};
    }
    if (nfiles) memcpy(res + nres, files, sizeof *res * nfiles);
    nres += nfiles;
    /* the files that could not be read, after the paths that could not be walked */
    if (nerr + nrun_errors > caperr) errors = realloc(errors, sizeof *errors * (caperr = nerr + nrun_errors));
    if (nrun_errors) memcpy(errors + nerr, run_errors, sizeof *errors * nrun_errors);
    nerr += nrun_errors;
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
    dw_check_run_free(run);
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
