/* check_hook.h — `dockwright check` and the commands built on its pipeline
 * (fix): the same discovery, config and options, the same report, with a
 * hook between the lint and the report (the run: dw_check_run, dockwright.h). */
#ifndef DW_CHECK_HOOK_H
#define DW_CHECK_HOOK_H

#include "cli.h"

typedef struct check_hook check_hook;
struct check_hook {
    const char *cmd;          /* its name in messages ("fix") */
    const char *usage;        /* its --help text */
    /* argv[*i] is an option check does not know: 1 when it is the
     * command's (*i past its value), -1 when its value is missing, 0 when unknown */
    int (*option)(check_hook *h, int argc, char **argv, int *i);
    /* after every file was linted, before the report: may change files and
     * the run's results */
    void (*after_lint)(check_hook *h, dw_check_run *run);
    /* set by after_lint */
    bool no_report;           /* print no findings */
    bool no_findings_rc;      /* the findings do not decide the exit status */
    int min_rc;               /* the exit status is at least this (2 stays 2) */
};

/* `dockwright check` (hook NULL), or a command built on it. */
int check_main(int argc, char **argv, check_hook *hook);

#endif
