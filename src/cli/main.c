/* main.c — dockwright's command-line entry: dispatches to one cmd_<verb>.c
 * per subcommand. Exit status: 0 clean, 1 findings, 2 usage or I/O error. */
#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: dockwright <command> [options] [args]\n"
    "\n"
    "commands:\n"
    "  check [PATH...] lint the Dockerfiles found (the main job)\n"
    "  fix [PATH...]   apply the safe fixes in place (--diff: show them instead)\n"
    "  rules           list every rule\n"
    "  explain RULE    a rule's page: why, bad and good examples, aliases\n"
    "  parse FILE      dump the parsed Dockerfile (BuildKit `result` format; --json for the full AST)\n"
    "  graph FILE      stage graph of a Dockerfile (--format text|dot|mermaid)\n"
    "  compose-config  the Compose project as `docker compose config` resolves it\n"
    "  context [DIR]   what `docker build DIR` would send: sizes, largest entries, what to ignore\n"
    "  --version       print the version\n"
    "  --help          this text\n"
    "\n"
    "Run `dockwright <command> --help` for a command's options.\n";

int cli_opt(int argc, char **argv, int *i, const char *name, const char *alias, const char **val)
{
    const char *a = argv[*i];
    for (int k = 0; k < 2; k++) {
        const char *n = k ? alias : name;
        if (!n) continue;
        size_t len = strlen(n);
        if (!strcmp(a, n)) {
            if (*i + 1 >= argc) return -1;
            *val = argv[++*i];
            return 1;
        }
        if (!strncmp(a, n, len) && a[len] == '=') {
            *val = a + len + 1;
            return 1;
        }
    }
    return 0;
}

bool cli_want_color(const char *when, FILE *f)
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

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "dockwright %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("dockwright %s\n", DW_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "check")) return cmd_check(argc - 1, argv + 1);
    if (!strcmp(cmd, "fix")) return cmd_fix(argc - 1, argv + 1);
    if (!strcmp(cmd, "rules")) return cmd_rules(argc - 1, argv + 1);
    if (!strcmp(cmd, "explain")) return cmd_explain(argc - 1, argv + 1);
    if (!strcmp(cmd, "parse")) return cmd_parse(argc - 1, argv + 1);
    if (!strcmp(cmd, "graph")) return cmd_graph(argc - 1, argv + 1);
    if (!strcmp(cmd, "compose-config")) return cmd_compose_config(argc - 1, argv + 1);
    if (!strcmp(cmd, "context")) return cmd_context(argc - 1, argv + 1);
    fprintf(stderr, "dockwright: unknown command '%s'\n\n%s", cmd, usage);
    return 2;
}
