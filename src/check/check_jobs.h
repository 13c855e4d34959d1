/* check_jobs.h — the files one check run looks at, and the order it looks
 * at them in: Compose projects first (their `build:` sections say which
 * folder is a Dockerfile's build context), then the Dockerfiles, then the
 * ignore files those builds read and the ones found on the way. Each phase
 * runs its jobs on a pool of threads. The public face is dw_check_run
 * (dockwright.h, check_run.c); fixes are in check_fix.c. */
#ifndef DW_CHECK_JOBS_H
#define DW_CHECK_JOBS_H

#include "../util/util.h"

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
    char *error;         /* could not be read (or written by a fix) */
} dw_check_job;

typedef struct {
    dw_check_job *v;
    uint32_t n, cap;
} dw_check_jobs;

/* The state of one run: its jobs by phase and how they are linted. */
struct dw_check_run {
    dw_check_jobs composes, dockerfiles, ignores;
    const dw_parse_opts *popts;
    const dw_lint_opts *lopts;
    /* what dw_check_run_files / _errors hand out (malloc'd, rebuilt on each call) */
    dw_file_result *files;
    dw_error *errors;
};

dw_check_job *dw_check_jobs_add(dw_check_jobs *js, const char *path, bool from_stdin, dw_file_kind kind);

/* Runs every job of `js` on up to `threads` threads, linting with `lopts`
 * (each Dockerfile job with its own context folder). */
void dw_check_jobs_run(dw_check_jobs *js, uint32_t threads, const dw_parse_opts *popts, const dw_lint_opts *lopts);

/* Parses and lints a Dockerfile's text (`src` malloc'd, taken) as job `j`
 * is linted (with its build context); NULL when larger than 4 GiB. */
dw_dockerfile *dw_check_lint_dockerfile(const dw_check_job *j, char *src, size_t len, const dw_parse_opts *popts,
                                        const dw_lint_opts *lopts);

/* Loads and lints the Compose project of job `j` (its override file merged
 * unless `j` is one); `read_text` (NULL: the disk) gives the text of a file
 * by absolute path (fix). NULL with *why when a file cannot be read. */
struct dw_compose_project *dw_check_lint_compose(const dw_check_job *j, const dw_config *cfg,
                                                 char *(*read_text)(void *, const char *, size_t *), void *ud,
                                                 const char **why);

/* After the Compose jobs ran: the build context each Compose service gives
 * its Dockerfile, applied to the Dockerfile jobs building that file. */
void dw_check_jobs_compose_contexts(dw_check_jobs *compose, dw_check_jobs *dockerfiles);

/* The ignore files the Dockerfile jobs' builds read, added to `ignores`
 * unless already there (same file). */
void dw_check_jobs_ignore_files(dw_check_jobs *dockerfiles, dw_check_jobs *ignores);

void dw_check_jobs_free(dw_check_jobs *js);

#endif
