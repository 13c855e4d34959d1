/* cmd_compose_config.c — `dockwright compose-config`: the Compose project
 * resolved as `docker compose config` resolves it (variables interpolated,
 * files merged, include and extends applied, profiles, short forms in
 * their long form), printed as YAML or JSON.
 * Exit status: 0 printed; 1 the project is invalid (the first problem, in
 * Compose's words, on stderr); 2 a usage error or a file that cannot be
 * read. */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../compose/compose.h"

static const char config_usage[] =
    "usage: dockwright compose-config [options]\n"
    "\n"
    "Prints the Compose project as `docker compose config` resolves it.\n"
    "\n"
    "  -f, --file FILE            a Compose file (repeatable; default: compose.yaml & co. in the\n"
    "                             project directory or a parent, with its override file)\n"
    "  --format FMT               yaml (default) or json\n"
    "  --env-file FILE            variables for interpolation (repeatable; default: .env)\n"
    "  --profile NAME             enable services of this profile (repeatable)\n"
    "  -p, --project-name NAME    the project name\n"
    "  --project-directory DIR    the project directory (default: the first file's folder)\n"
    "  -q, --quiet                only check the project, print nothing\n";

typedef DW_VEC(const char *) str_vec;

static bool regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Compose's discovery: the first folder from `dir` up that holds one of its
 * file names; the first name in its order of preference. */
static char *discover(const char *dir)
{
    static const char *const names[] = {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"};
    char *cur = realpath(dir, NULL);
    while (cur) {
        for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
            size_t len = strlen(cur) + strlen(names[i]) + 2;
            char *path = malloc(len);
            snprintf(path, len, "%s/%s", strcmp(cur, "/") ? cur : "", names[i]);
            if (regular(path)) {
                free(cur);
                return path;
            }
            free(path);
        }
        char *slash = strrchr(cur, '/');
        if (!slash || slash == cur) {
            if (slash && slash[1]) {
                slash[1] = 0;
                continue;
            }
            break;
        }
        *slash = 0;
    }
    free(cur);
    return NULL;
}

/* Whether the project's files hold a finding that stops Compose; its
 * message in Compose's shape goes to *msg. */
static bool invalid(const dw_compose_project *p, const char **msg, char *buf, size_t size)
{
    if (p->nerrors) {
        *msg = p->errors[0];
        return true;
    }
    for (uint32_t f = 0; f < p->nfiles; f++)
        for (uint32_t i = 0; i < p->files[f].diags.n; i++) {
            const dw_diag *d = &p->files[f].diags.v[i];
            if (strcmp(d->rule, "compose-schema") && strcmp(d->rule, "yaml-syntax") && strcmp(d->rule, "duplicate-key") &&
                strcmp(d->rule, "invalid-interpolation"))
                continue;
            snprintf(buf, size, "validating %s: %s", p->files[f].abs_path, d->message);
            *msg = buf;
            return true;
        }
    return false;
}

/* Compose's warnings, as it logs them on a terminal: unset variables (our
 * undefined-variable findings, in the order met) and an obsolete `version`. */
static void warnings(const dw_compose_project *p)
{
    for (uint32_t f = 0; f < p->nfiles; f++) {
        const dw_compose_file *cf = &p->files[f];
        for (uint32_t i = 0; i < cf->diags.n; i++) {
            const dw_diag *d = &cf->diags.v[i];
            const char *q = strchr(d->message, '"'), *e = q ? strchr(q + 1, '"') : NULL;
            if (strcmp(d->rule, "undefined-variable") || !e) continue;
            fprintf(stderr, "WARN[0000] The \"%.*s\" variable is not set. Defaulting to a blank string.\n",
                    (int)(e - q - 1), q + 1);
        }
        if (!cf->included && dw_cv_get(cf->root, "version"))
            fprintf(stderr,
                    "WARN[0000] %s: the attribute `version` is obsolete, it will be ignored, please remove it to "
                    "avoid potential confusion\n",
                    cf->abs_path);
    }
}

int cmd_compose_config(int argc, char **argv)
{
    str_vec files = {0}, env_files = {0}, profiles = {0};
    dw_arena a;
    dw_arena_init(&a);
    const char *format = "yaml", *name = NULL, *dir = NULL;
    bool quiet = false;
    int rc = 0;
    for (int i = 1; i < argc && !rc; i++) {
        const char *v, *arg = argv[i];
        int m;
        if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
            fputs(config_usage, stdout);
            dw_arena_free(&a);
            return 0;
        }
        if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
            quiet = true;
        } else if ((m = cli_opt(argc, argv, &i, "--file", "-f", &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "%s needs a file", arg);
            else DW_VEC_PUSH(&a, files, v);
        } else if ((m = cli_opt(argc, argv, &i, "--format", NULL, &v))) {
            if (m < 0 || (strcmp(v, "yaml") && strcmp(v, "json")))
                rc = cli_usage_error("compose-config", "--format takes yaml or json");
            else format = v;
        } else if ((m = cli_opt(argc, argv, &i, "--env-file", NULL, &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "--env-file needs a file");
            else DW_VEC_PUSH(&a, env_files, v);
        } else if ((m = cli_opt(argc, argv, &i, "--profile", NULL, &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "--profile needs a name");
            else DW_VEC_PUSH(&a, profiles, v);
        } else if ((m = cli_opt(argc, argv, &i, "--project-name", "-p", &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "%s needs a name", arg);
            else name = v;
        } else if ((m = cli_opt(argc, argv, &i, "--project-directory", NULL, &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "--project-directory needs a folder");
            else dir = v;
        } else {
            rc = cli_usage_error("compose-config", "unknown option or argument '%s' (see --help)", arg);
        }
    }
    if (rc) {
        dw_arena_free(&a);
        return rc;
    }
    bool discovered = false;
    if (!files.n) {
        const char *env = getenv("COMPOSE_FILE");
        const char *sep = getenv("COMPOSE_PATH_SEPARATOR");
        char s = sep && *sep ? *sep : ':';
        for (const char *p = env; p && *p;) {
            const char *e = strchr(p, s);
            size_t len = e ? (size_t)(e - p) : strlen(p);
            if (len) DW_VEC_PUSH(&a, files, dw_arena_memdup(&a, p, len));
            p += len + (e ? 1 : 0);
        }
    }
    if (!files.n) {
        char *found = discover(dir ? dir : ".");
        if (!found) {
            fprintf(stderr, "no configuration file provided: not found\n");
            dw_arena_free(&a);
            return 2;
        }
        DW_VEC_PUSH(&a, files, dw_arena_memdup(&a, found, strlen(found)));
        free(found);
        discovered = true;
    }
    /* files that cannot be read are a usage problem, reported as Compose does */
    for (uint32_t i = 0; i < files.n; i++)
        if (access(files.v[i], R_OK) != 0 || !regular(files.v[i])) {
            int e = errno ? errno : EISDIR;
            if (regular(files.v[i]) || access(files.v[i], F_OK) != 0) fprintf(stderr, "open %s: %s\n", files.v[i], strerror(e));
            else fprintf(stderr, "%s is not a file\n", files.v[i]);
            dw_arena_free(&a);
            return 2;
        }
    for (uint32_t i = 0; i < env_files.n; i++)
        if (!regular(env_files.v[i])) {
            fprintf(stderr, "couldn't find env file: %s\n", env_files.v[i]);
            dw_arena_free(&a);
            return 2;
        }
    dw_compose_opts o;
    memset(&o, 0, sizeof o);
    o.env_files = env_files.v;
    o.nenv_files = env_files.n;
    o.profiles = profiles.v;
    o.nprofiles = profiles.n;
    o.project_name = name;
    o.project_dir = dir;
    o.no_override = !discovered; /* Compose adds the override file only to a file it found itself */
    const char *why = NULL;
    dw_compose_project *p = dw_compose_load(files.v, files.n, &o, &why);
    if (!p) {
        fprintf(stderr, "dockwright compose-config: %s\n", why ? why : strerror(errno));
        dw_arena_free(&a);
        return 2;
    }
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        dw_compose_free(p);
        dw_arena_free(&a);
        return 2;
    }
    if (p->model) dw_compose_print(mem, p, !strcmp(format, "json"));
    fclose(mem);
    const char *msg = NULL;
    char buf[4096];
    if (!p->model && !p->nerrors) {
        msg = "empty compose file";
    } else if (invalid(p, &msg, buf, sizeof buf)) {
        /* msg set */
    }
    warnings(p);
    if (msg) {
        fprintf(stderr, "%s\n", msg);
        rc = 1;
    } else if (!quiet) {
        fwrite(text, 1, len, stdout);
    }
    free(text);
    dw_compose_free(p);
    dw_arena_free(&a);
    return rc;
}
