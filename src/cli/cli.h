/* cli.h — shared declarations of the command-line front end. */
#ifndef DW_CLI_H
#define DW_CLI_H

#include "dockwright.h"

int cmd_parse(int argc, char **argv);
int cmd_graph(int argc, char **argv);

/* Parses "NAME=VALUE" into a build arg; returns false when malformed. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
