/* check_jobs.h — the files one `check` run looks at, and the order it looks
 * at them in: Compose projects first (their `build:` sections say which
 * folder is a Dockerfile's build context), then the Dockerfiles, then the
 * ignore files those builds read and the ones found on the way. Each phase
 * runs its jobs on a pool of threads. */
#ifndef DW_CHECK_JOBS_H
#define DW_CHECK_JOBS_H

#include "cli.h"

struct dw_dockerignore;
struct dw_compose_project;

typedef struct {
    char *path;          /* shown path */
    bool from_stdin;
    dw_file_kind kind;
    char *context;       /* Dockerfile / ignore file: the build context (NULL: the file's folder) */
    /* results */
    dw_dockerfile *df;
    struct dw_dockerignore *di;
    dw_diags idiags;     /* the ignore file's findings (in di's arena) */
    struct dw_compose_project *cp;
    char *error;         /* could not be read */
} check_job;

typedef struct {
    check_job *v;
    uint32_t n, cap;
} check_jobs;

check_job *check_jobs_add(check_jobs *js, const char *path, bool from_stdin, dw_file_kind kind);

/* Runs every job of `js` on up to `threads` threads, linting with `lopts`
 * (each Dockerfile job with its own context folder). */
void check_jobs_run(check_jobs *js, uint32_t threads, const dw_parse_opts *popts, const dw_lint_opts *lopts);

/* Parses and lints a Dockerfile's text (`src` malloc'd, taken) as job `j`
 * is linted (with its build context); NULL when larger than 4 GiB. */
dw_dockerfile *check_lint_dockerfile(const check_job *j, char *src, size_t len, const dw_parse_opts *popts,
                                     const dw_lint_opts *lopts);

/* Loads and lints the Compose project of job `j` (its override file merged
 * unless `j` is one); `read_text` (NULL: the disk) gives the text of a file
 * by absolute path (fix). NULL with *why when a file cannot be read. */
struct dw_compose_project *check_lint_compose(const check_job *j, const dw_config *cfg,
                                              char *(*read_text)(void *, const char *, size_t *), void *ud,
                                              const char **why);

/* After the Compose jobs ran: the build context each Compose service gives
 * its Dockerfile, applied to the Dockerfile jobs building that file. */
void check_jobs_compose_contexts(check_jobs *compose, check_jobs *dockerfiles);

/* The ignore files the Dockerfile jobs' builds read, added to `ignores`
 * unless already there (same file). */
void check_jobs_ignore_files(check_jobs *dockerfiles, check_jobs *ignores);

void check_jobs_free(check_jobs *js);

/* ---- commands built on check's pipeline (fix) ---- */

/* The jobs after the first lint, and how they were linted. */
typedef struct {
    check_jobs *composes, *dockerfiles, *ignores;
    const dw_parse_opts *popts;
    const dw_lint_opts *lopts;
} check_pass;

typedef struct check_hook check_hook;
struct check_hook {
    const char *cmd;          /* its name in messages ("fix") */
    const char *usage;        /* its --help text */
    /* argv[*i] is an option check does not know: 1 when it is the
     * command's (*i past its value), -1 when its value is missing, 0 when unknown */
    int (*option)(check_hook *h, int argc, char **argv, int *i);
    /* after every job was linted, before the report: may change files and
     * replace a job's results (or set its error) */
    void (*after_lint)(check_hook *h, const check_pass *pass);
    /* set by after_lint */
    bool no_report;           /* print no findings */
    bool no_findings_rc;      /* the findings do not decide the exit status */
    int min_rc;               /* the exit status is at least this (2 stays 2) */
};

/* `dockwright check` (hook NULL), or a command built on it. */
int check_main(int argc, char **argv, check_hook *hook);

#endif
