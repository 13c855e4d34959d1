/* cli.h — shared declarations of the command-line front end. */
#ifndef DW_CLI_H
#define DW_CLI_H

#include "dockwright.h"

int cmd_parse(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_fix(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_compose_config(int argc, char **argv);
int cmd_context(int argc, char **argv);

/* Matches option `name` (or `alias`) at argv[*i], as `--name VALUE` or
 * `--name=VALUE`: returns 1 with *val set, -1 when the value is missing,
 * 0 when argv[*i] is another option. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char *alias, const char **val);

/* Whether to colour output written to `f` for --color WHEN (always, never,
 * auto): always/never win, then NO_COLOR (non-empty), CLICOLOR_FORCE,
 * TERM=dumb, then whether `f` is a terminal (design.md, Output). */
bool cli_want_color(const char *when, FILE *f);

int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
