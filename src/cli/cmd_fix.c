/* cmd_fix.c — `dockwright fix [PATH...]`: check's pipeline (discovery, the
 * config, every check option, the parallel first lint) through a hook, then
 * for each Dockerfile and Compose project with fixable findings:
 *   1. apply the fixes that do not overlap (safe ones; --unsafe-fixes also
 *      the unsafe ones), lint the new text, again until nothing changes or
 *      10 passes;
 *   2. verify: the result must parse as well as the original did and have
 *      no finding the original lacked, else the rules to blame are left out
 *      (src/check/check_fix.c);
 *   3. write atomically (refused when the file changed since it was read),
 *      or with --diff print a unified diff instead.
 * What remains is then reported as check reports it, and decides the exit
 * status the same way: 0/1, and 2 for a usage error or a file that could not
 * be read or written. A fix left out makes it at least 1. With --diff no
 * finding is printed: the status is 1 when there is a change, as `ruff
 * --diff`. A Dockerfile read from `-` is printed fixed on stdout. The count
 * goes to stderr: `fixed N findings in M files`. */
#include "check_hook.h"

#include <string.h>

static const char fix_usage[] =
    "usage: dockwright fix [options] [PATH...]\n"
    "\n"
    "Applies the safe fixes of the findings in the Dockerfiles and Compose files found under each\n"
    "PATH (default: .), in place, then reports what remains as `dockwright check` does. A file is\n"
    "not written when the fixed text would not parse or would have a finding the original has not,\n"
    "or when it changed on disk meanwhile. `-` reads a Dockerfile from stdin and prints it fixed.\n"
    "\n"
    "fix:\n"
    "  --diff                   print a unified diff instead of writing; exit 1 when there is one\n"
    "  --unsafe-fixes           also apply the unsafe fixes (they may change what the build does)\n"
    "\n"
    "Every option of `dockwright check` applies too (see dockwright check --help).\n"
    "Exit status: 0 nothing left at or above the failure threshold, 1 findings left (or a file\n"
    "not fixed), 2 a usage error or a file that could not be read or written.\n";

typedef struct {
    check_hook h;
    dw_fix_opts o;
} fixer;

static int fix_option(check_hook *h, int argc, char **argv, int *i)
{
    (void)argc;
    fixer *fx = (fixer *)h;
    if (!strcmp(argv[*i], "--diff")) fx->o.diff = true;
    else if (!strcmp(argv[*i], "--unsafe-fixes")) fx->o.unsafe = true;
    else return 0;
    return 1;
}

static void fix_all(check_hook *h, dw_check_run *run)
{
    fixer *fx = (fixer *)h;
    dw_fix_stats st;
    dw_check_run_fix(run, &fx->o, &st);
    /* a Dockerfile from stdin goes back fixed on stdout: no report with it */
    if (st.from_stdin) fx->h.no_report = true;
    if (st.refused || st.diffed) fx->h.min_rc = 1;
    if (fx->o.diff) fx->h.no_report = fx->h.no_findings_rc = true;
    fprintf(stderr, "%s %u finding%s in %u file%s\n", fx->o.diff ? "would fix" : "fixed", st.fixed,
            st.fixed == 1 ? "" : "s", st.files, st.files == 1 ? "" : "s");
    fflush(stdout);
}

int cmd_fix(int argc, char **argv)
{
    fixer fx;
    memset(&fx, 0, sizeof fx);
    fx.h.cmd = "fix";
    fx.h.usage = fix_usage;
    fx.h.option = fix_option;
    fx.h.after_lint = fix_all;
    fx.o.out = stdout;
    fx.o.err = stderr;
    return check_main(argc, argv, &fx.h);
}
