/* check_run.c — dw_check_run (dockwright.h): the found files sorted into
 * the three phases of check_jobs.h, linted, and their findings gathered for
 * the writers. */
#include "check_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "../compose/compose.h"
#include "../ignore/dockerignore.h"

static int cmp_job(const void *a, const void *b)
{
    return strcmp(((const dw_check_job *)a)->path, ((const dw_check_job *)b)->path);
}

static int cmp_result(const void *a, const void *b)
{
    return strcmp(((const dw_file_result *)a)->path, ((const dw_file_result *)b)->path);
}

/* True when a base Compose file (compose.yaml, docker-compose.yml, ...)
 * was found in the folder of `override`. */
static bool has_base_compose(const dw_found *found, const char *override)
{
    const char *slash = strrchr(override, '/');
    size_t dir = slash ? (size_t)(slash - override) + 1 : 0;
    static const char *const bases[] = {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"};
    for (uint32_t i = 0; i < found->n; i++) {
        const char *p = found->v[i].path;
        if (strncmp(p, override, dir) != 0 || strchr(p + dir, '/')) continue;
        for (size_t b = 0; b < sizeof bases / sizeof *bases; b++)
            if (!strcmp(p + dir, bases[b])) return true;
    }
    return false;
}

dw_check_run *dw_check_run_new(const dw_found *found, const dw_parse_opts *popts, const dw_lint_opts *lopts)
{
    dw_check_run *r = calloc(1, sizeof *r);
    if (!r) dw_oom();
    r->popts = popts;
    r->lopts = lopts;
    for (uint32_t i = 0; i < found->n; i++) {
        const dw_found_file *f = &found->v[i];
        if (f->kind == DW_FILE_COMPOSE) {
            /* an override file is merged onto the base file of its folder */
            const char *base = strrchr(f->path, '/');
            base = base ? base + 1 : f->path;
            if (dw_is_compose_override_name(base) && has_base_compose(found, f->path)) continue;
        }
        dw_check_jobs *to = f->kind == DW_FILE_COMPOSE ? &r->composes
                            : f->kind == DW_FILE_DOCKERIGNORE ? &r->ignores
                                                              : &r->dockerfiles;
        dw_check_jobs_add(to, f->path, f->from_stdin, f->kind);
    }
    if (r->dockerfiles.n) qsort(r->dockerfiles.v, r->dockerfiles.n, sizeof *r->dockerfiles.v, cmp_job);
    return r;
}

void dw_check_run_lint(dw_check_run *r, uint32_t threads)
{
    uint32_t dummy;
    (void)dw_rules(&dummy); /* number the rule table before threads read it */
    dw_check_jobs_run(&r->composes, threads, r->popts, r->lopts);
    dw_check_jobs_compose_contexts(&r->composes, &r->dockerfiles);
    dw_check_jobs_run(&r->dockerfiles, threads, r->popts, r->lopts);
    dw_check_jobs_ignore_files(&r->dockerfiles, &r->ignores);
    dw_check_jobs_run(&r->ignores, threads, r->popts, r->lopts);
}

/* The phases in the order their errors are reported. */
#define EACH_JOB(r, j)                                                                                          \
    for (dw_check_jobs *all_[3] = {&(r)->dockerfiles, &(r)->ignores, &(r)->composes}, **k_ = all_; k_ < all_ + 3; \
         k_++)                                                                                                  \
        for (dw_check_job *j = (*k_)->v; j < (*k_)->v + (*k_)->n; j++)

const dw_file_result *dw_check_run_files(dw_check_run *r, uint32_t *n)
{
    uint32_t cap = r->dockerfiles.n + r->ignores.n + 1;
    for (uint32_t i = 0; i < r->composes.n; i++)
        cap += r->composes.v[i].cp ? r->composes.v[i].cp->nfiles + r->composes.v[i].cp->nenv_files : 0;
    free(r->files);
    dw_file_result *res = r->files = calloc(cap, sizeof *res);
    if (!res) dw_oom();
    uint32_t nres = 0;
    EACH_JOB(r, j) {
        if (j->error) continue;
        if (j->df) {
            res[nres++] = (dw_file_result){j->path, j->df->src, j->df->len, &j->df->lines, &j->df->diags};
        } else if (j->di) {
            res[nres++] = (dw_file_result){j->path, j->di->src ? j->di->src : "", j->di->len, &j->di->lines,
                                           &j->idiags};
        } else if (j->cp) {
            for (uint32_t f = 0; f < j->cp->nfiles; f++) {
                const dw_compose_file *cf = &j->cp->files[f];
                res[nres++] = (dw_file_result){cf->path, cf->src, cf->len, &cf->lines, &cf->diags};
            }
            /* a .env that does not parse: its findings, under its own name */
            for (uint32_t f = 0; f < j->cp->nenv_files; f++) {
                const dw_env_source *es = &j->cp->env_files[f];
                if (es->diags.n) res[nres++] = (dw_file_result){es->path, es->src, es->len, &es->lines, &es->diags};
            }
        }
    }
    qsort(res, nres, sizeof *res, cmp_result);
    /* a file read by several projects (an included or extended file, a shared
     * .env) is shown once: the copy with the most findings */
    uint32_t kept = 0;
    for (uint32_t i = 0; i < nres; i++) {
        if (kept && !strcmp(res[kept - 1].path, res[i].path)) {
            if (res[i].diags->n > res[kept - 1].diags->n) res[kept - 1] = res[i];
            continue;
        }
        res[kept++] = res[i];
    }
    *n = kept;
    return res;
}

const dw_error *dw_check_run_errors(dw_check_run *r, uint32_t *n)
{
    uint32_t cap = r->dockerfiles.n + r->ignores.n + r->composes.n + 1, nerr = 0;
    free(r->errors);
    dw_error *errors = r->errors = calloc(cap, sizeof *errors);
    if (!errors) dw_oom();
    EACH_JOB(r, j) {
        if (j->error) errors[nerr++] = (dw_error){j->path, j->error};
    }
    *n = nerr;
    return errors;
}

void dw_check_run_free(dw_check_run *r)
{
    if (!r) return;
    dw_check_jobs_free(&r->composes);
    dw_check_jobs_free(&r->dockerfiles);
    dw_check_jobs_free(&r->ignores);
    free(r->files);
    free(r->errors);
    free(r);
}
