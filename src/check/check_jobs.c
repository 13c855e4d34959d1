/* check_jobs.c — see check_jobs.h. */
#include "check_jobs.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../compose/compose.h"
#include "../ignore/dockerignore.h"
#include "../rules/rule.h"

dw_check_job *dw_check_jobs_add(dw_check_jobs *js, const char *path, bool from_stdin, dw_file_kind kind)
{
    if (js->n == js->cap) {
        js->cap = js->cap ? js->cap * 2 : 16;
        js->v = realloc(js->v, sizeof *js->v * js->cap);
    }
    dw_check_job *j = &js->v[js->n++];
    memset(j, 0, sizeof *j);
    j->path = strdup(path);
    j->from_stdin = from_stdin;
    j->kind = kind;
    return j;
}

typedef struct {
    dw_check_jobs *js;
    uint32_t next;
    pthread_mutex_t lock;
    const dw_parse_opts *popts;
    const dw_lint_opts *lopts;
} pool;

static void set_error(dw_check_job *j, const char *why)
{
    j->error = strdup(why);
}

static void run_dockerfile(pool *p, dw_check_job *j)
{
    size_t len;
    char *src = dw_read_file(j->from_stdin ? "-" : j->path, &len);
    if (!src) {
        set_error(j, strerror(errno));
        return;
    }
    j->df = dw_check_lint_dockerfile(j, src, len, p->popts, p->lopts);
    if (!j->df) set_error(j, "file too large (over 4 GiB)");
}

dw_dockerfile *dw_check_lint_dockerfile(const dw_check_job *j, char *src, size_t len, const dw_parse_opts *popts,
                                        const dw_lint_opts *lopts)
{
    dw_dockerfile *df = dw_dockerfile_parse_owned(j->path, src, len, popts);
    if (!df) return NULL;
    dw_lint_opts o = *lopts;
    if (j->context) o.context_dir = j->context;
    dw_lint_dockerfile(df, &o);
    return df;
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static void run_ignore(pool *p, dw_check_job *j)
{
    j->di = dw_dockerignore_load(j->path);
    if (!j->di) {
        set_error(j, strerror(errno));
        return;
    }
    char *dir = j->context ? NULL : folder_of(j->path);
    dw_lint_dockerignore(j->di, j->context ? j->context : dir, p->lopts->config, &j->idiags);
    free(dir);
}

static void run_compose(pool *p, dw_check_job *j)
{
    const char *why = NULL;
    j->cp = dw_check_lint_compose(j, p->lopts->config, NULL, NULL, &why);
    if (!j->cp) set_error(j, why ? why : strerror(errno));
}

struct dw_compose_project *dw_check_lint_compose(const dw_check_job *j, const dw_config *cfg,
                                                 char *(*read_text)(void *, const char *, size_t *), void *ud,
                                                 const char **why)
{
    const char *paths[1] = {j->path};
    dw_compose_opts o;
    memset(&o, 0, sizeof o);
    const char *base = strrchr(j->path, '/');
    base = base ? base + 1 : j->path;
    /* an override file on its own (no base file beside it) is checked alone */
    o.no_override = dw_is_compose_override_name(base);
    o.read_text = read_text;
    o.read_text_ud = ud;
    dw_compose_project *cp = dw_compose_load(paths, 1, &o, why);
    if (cp) dw_lint_compose(cp, cfg);
    return cp;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        uint32_t i = p->next++;
        pthread_mutex_unlock(&p->lock);
        if (i >= p->js->n) return NULL;
        dw_check_job *j = &p->js->v[i];
        switch (j->kind) {
        case DW_FILE_DOCKERFILE: run_dockerfile(p, j); break;
        case DW_FILE_DOCKERIGNORE: run_ignore(p, j); break;
        case DW_FILE_COMPOSE: run_compose(p, j); break;
        }
    }
}

void dw_check_jobs_run(dw_check_jobs *js, uint32_t threads, const dw_parse_opts *popts, const dw_lint_opts *lopts)
{
    pool p = {js, 0, PTHREAD_MUTEX_INITIALIZER, popts, lopts};
    if (threads > js->n) threads = js->n;
    if (threads <= 1) {
        worker(&p);
        return;
    }
    pthread_t *th = malloc(sizeof *th * threads);
    for (uint32_t i = 0; i < threads; i++) pthread_create(&th[i], NULL, worker, &p);
    for (uint32_t i = 0; i < threads; i++) pthread_join(th[i], NULL);
    free(th);
}

/* ---- cross-file ---- */

static char *join(const char *dir, dw_str rel)
{
    if (rel.len && rel.ptr[0] == '/') return strndup(rel.ptr, rel.len);
    size_t n = strlen(dir);
    char *r = malloc(n + rel.len + 2);
    memcpy(r, dir, n);
    r[n] = '/';
    memcpy(r + n + 1, rel.ptr, rel.len);
    r[n + 1 + rel.len] = 0;
    return r;
}

/* A remote build context (git, URL) or one still holding a variable. */
static bool local_path(dw_str s)
{
    return s.len && !dw_str_chr(s, '$') && !dw_str_has_prefix(s, "http://") && !dw_str_has_prefix(s, "https://") &&
           !dw_str_has_prefix(s, "git@") && !dw_str_has_prefix(s, "git://");
}

void dw_check_jobs_compose_contexts(dw_check_jobs *compose, dw_check_jobs *dockerfiles)
{
    for (uint32_t c = 0; c < compose->n; c++) {
        dw_compose_project *p = compose->v[c].cp;
        if (!p || !p->model) continue;
        dw_cv *services = dw_cv_get(p->model, "services");
        for (uint32_t s = 0; services && services->kind == DW_CV_MAP && s < services->n; s++) {
            dw_cv *build = dw_cv_get(services->pairs[s].value, "build");
            if (!build) continue;
            const char *dir = build->file < p->nfiles ? p->files[build->file].abs_dir : p->dir;
            dw_str ctx = build->kind == DW_CV_STR ? build->s : dw_cv_text(dw_cv_get(build, "context"));
            if (!ctx.len) ctx = dw_str_c(".");
            dw_str dfile = dw_cv_text(dw_cv_get(build, "dockerfile"));
            if (!dfile.len) dfile = dw_str_c("Dockerfile");
            if (!local_path(ctx) || !local_path(dfile)) continue;
            char *ctx_path = join(dir, ctx);
            char *df_path = join(ctx_path, dfile);
            char real_df[PATH_MAX], real_ctx[PATH_MAX];
            if (realpath(df_path, real_df) && realpath(ctx_path, real_ctx)) {
                for (uint32_t d = 0; d < dockerfiles->n; d++) {
                    dw_check_job *j = &dockerfiles->v[d];
                    char real_j[PATH_MAX];
                    if (j->from_stdin || j->context || !realpath(j->path, real_j) || strcmp(real_j, real_df) != 0)
                        continue;
                    /* the Dockerfile's own folder is the default: keep the path the user typed */
                    char *own = folder_of(j->path), real_own[PATH_MAX];
                    bool same = realpath(own, real_own) && strcmp(real_own, real_ctx) == 0;
                    free(own);
                    if (!same) j->context = strdup(real_ctx);
                }
            }
            free(ctx_path);
            free(df_path);
        }
    }
}

static bool same_file(const char *a, const char *b)
{
    char ra[PATH_MAX], rb[PATH_MAX];
    if (!realpath(a, ra) || !realpath(b, rb)) return strcmp(a, b) == 0;
    return strcmp(ra, rb) == 0;
}

void dw_check_jobs_ignore_files(dw_check_jobs *dockerfiles, dw_check_jobs *ignores)
{
    for (uint32_t d = 0; d < dockerfiles->n; d++) {
        dw_check_job *j = &dockerfiles->v[d];
        if (j->error) continue;
        char *ctx = j->context ? strdup(j->context) : j->from_stdin ? strdup(".") : folder_of(j->path);
        char *ig = dw_dockerignore_locate(j->from_stdin ? NULL : j->path, ctx, NULL);
        if (ig) {
            bool known = false;
            for (uint32_t i = 0; i < ignores->n && !known; i++) known = same_file(ignores->v[i].path, ig);
            if (!known) {
                /* "./.dockerignore" is shown as ".dockerignore", as a user would type it */
                const char *shown = !strncmp(ig, "./", 2) ? ig + 2 : ig;
                dw_check_job *n = dw_check_jobs_add(ignores, shown, false, DW_FILE_DOCKERIGNORE);
                n->context = j->context ? strdup(j->context) : NULL;
            }
            free(ig);
        }
        free(ctx);
    }
}

void dw_check_jobs_free(dw_check_jobs *js)
{
    for (uint32_t i = 0; i < js->n; i++) {
        dw_check_job *j = &js->v[i];
        dw_dockerfile_free(j->df);
        dw_dockerignore_free(j->di);
        dw_compose_free(j->cp);
        free(j->path);
        free(j->context);
        free(j->error);
    }
    free(js->v);
    js->v = NULL;
    js->n = js->cap = 0;
}
