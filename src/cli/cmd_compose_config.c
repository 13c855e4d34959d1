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

typedef struct {
    const char **v;
    uint32_t n, cap;
} str_vec;

/* Appends `s` to `v`, growing it in the arena `a` (freed all at once). */
static void push(dw_arena *a, str_vec *v, const char *s)
{
    if (v->n == v->cap) {
        uint32_t cap = v->cap ? v->cap * 2 : 8;
        const char **grown = dw_arena_alloc(a, sizeof *grown * cap);
        if (v->n) memcpy(grown, v->v, sizeof *grown * v->n);
        v->v = grown;
        v->cap = cap;
    }
    v->v[v->n++] = s;
}

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
            else push(&a, &files, v);
        } else if ((m = cli_opt(argc, argv, &i, "--format", NULL, &v))) {
            if (m < 0 || (strcmp(v, "yaml") && strcmp(v, "json")))
                rc = cli_usage_error("compose-config", "--format takes yaml or json");
            else format = v;
        } else if ((m = cli_opt(argc, argv, &i, "--env-file", NULL, &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "--env-file needs a file");
            else push(&a, &env_files, v);
        } else if ((m = cli_opt(argc, argv, &i, "--profile", NULL, &v))) {
            if (m < 0) rc = cli_usage_error("compose-config", "--profile needs a name");
            else push(&a, &profiles, v);
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
            if (len) push(&a, &files, dw_arena_memdup(&a, p, len));
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
        push(&a, &files, dw_arena_memdup(&a, found, strlen(found)));
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
    dw_compose_config_opts o = {env_files.v, env_files.n, profiles.v, profiles.n, name, dir, !discovered};
    /* !discovered: Compose adds the override file only to a file it found itself */
    const char *why = NULL;
    dw_compose_project *p = dw_compose_config_load(files.v, files.n, &o, &why);
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
    dw_compose_print(mem, p, !strcmp(format, "json"));
    fclose(mem);
    char buf[4096];
    const char *msg = dw_compose_config_error(p, buf, sizeof buf);
    dw_compose_config_warnings(stderr, p);
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
