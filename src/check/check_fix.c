/* check_fix.c — dw_check_run_fix (dockwright.h): after the first lint,
 * for each Dockerfile and Compose project with fixable findings:
 *   1. apply the fixes that do not overlap (safe ones; with `unsafe` also
 *      the unsafe ones), lint the new text, again until nothing changes or
 *      10 passes;
 *   2. verify: the result must parse as well as the original did and have
 *      no finding the original lacked, else the file is not written;
 *   3. write atomically (refused when the file changed since it was read),
 *      or with `diff` print a unified diff instead.
 * The run's jobs then hold the fixed texts' findings, so that what remains
 * is reported as check reports it. */
#include "check_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "../compose/compose.h"
#include "../fix/fix.h"

#define MAX_PASSES 10

/* One fix over a run: its options, what it did, and the run's config. */
typedef struct {
    const dw_fix_opts *o;
    dw_fix_stats *st;
    const dw_config *cfg;
} fixer;

static void refuse(fixer *fx, const char *path, const char *why, const dw_diag *gained)
{
    if (gained)
        fprintf(fx->o->err, "dockwright: %s: not fixed: the fixed text would gain a finding [%s] %s\n", path,
                gained->rule, gained->message);
    else fprintf(fx->o->err, "dockwright: %s: not fixed: %s\n", path, why);
    fx->st->refused++;
}

/* Writes (or shows) one fixed file; false when it was not written. */
static bool commit(fixer *fx, dw_check_job *j, const char *path, const char *orig, size_t olen, const char *text,
                   size_t len, uint32_t fixed)
{
    if (len == olen && !memcmp(orig, text, len)) return true; /* the fixes undid each other */
    if (fx->o->diff) {
        dw_unified_diff(fx->o->out, path, orig, olen, text, len);
        fx->st->diffed = true;
    } else if (!j->from_stdin) {
        const char *why = NULL;
        if (dw_fix_write(path, orig, olen, text, len, &why) < 0) {
            if (!j->error) j->error = strdup(why);
            return false;
        }
    }
    fx->st->fixed += fixed;
    fx->st->files++;
    return true;
}

/* ---- Dockerfiles ---- */

/* Instructions the parser could not read, and syntax errors reported. */
static uint32_t parse_errors(const dw_dockerfile *df)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++) n += df->instrs[i].error != NULL;
    for (uint32_t i = 0; i < df->diags.n; i++) n += !strcmp(df->diags.v[i].rule, "syntax-error");
    return n;
}

static void fix_dockerfile(fixer *fx, dw_check_job *j, const dw_check_run *r)
{
    dw_dockerfile *orig = j->df, *now = orig;
    uint32_t fixed = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        dw_buf next = {0};
        uint32_t n = dw_fix_apply(now->src, now->len, &now->diags, fx->o->unsafe, &next);
        if (!n) break;
        dw_dockerfile *df = dw_check_lint_dockerfile(j, next.p, next.n, r->popts, r->lopts);
        if (!df) break; /* over 4 GiB: keep what we have */
        fixed += n;
        if (now != orig) dw_dockerfile_free(now);
        now = df;
    }
    if (now != orig) {
        const dw_diag *gained = dw_fix_new_finding(&orig->diags, &now->diags);
        bool worse = parse_errors(now) > parse_errors(orig);
        if (worse || gained) {
            refuse(fx, j->path, "the fixed text would not parse", worse ? NULL : gained);
            dw_dockerfile_free(now);
            now = orig;
        } else if (commit(fx, j, j->path, orig->src, orig->len, now->src, now->len, fixed)) {
            dw_dockerfile_free(orig);
            j->df = now;
        } else {
            dw_dockerfile_free(now);
            now = orig;
        }
    }
    if (j->from_stdin && !fx->o->diff) fwrite(now->src, 1, now->len, fx->o->out);
}

/* ---- Compose projects ---- */

/* The texts of a project's files as the passes left them. */
typedef struct {
    const char **abs;
    char **text;
    size_t *len;
    uint32_t n;
} texts;

static char *text_for(void *ud, const char *abs, size_t *len)
{
    texts *t = ud;
    for (uint32_t i = 0; i < t->n; i++) {
        if (!t->text[i] || strcmp(t->abs[i], abs) != 0) continue;
        char *c = dw_xmalloc(t->len[i] + 1);
        memcpy(c, t->text[i], t->len[i]);
        c[t->len[i]] = 0;
        *len = t->len[i];
        return c;
    }
    return NULL;
}

/* The file of `p` at absolute path `abs`, or NULL. */
static dw_compose_file *file_at(dw_compose_project *p, const char *abs)
{
    for (uint32_t i = 0; i < p->nfiles; i++)
        if (!strcmp(p->files[i].abs_path, abs)) return &p->files[i];
    return NULL;
}

/* The files a project's fixes may change: the one named and its override,
 * not those read through include or extends (they are fixed as their own
 * project, when found). */
static bool fixable(const dw_compose_file *f) { return !f->included; }

/* True when every fixed file passes the checks of fix_dockerfile's. */
static bool compose_verified(fixer *fx, dw_compose_project *orig, dw_compose_project *now)
{
    for (uint32_t i = 0; i < orig->nfiles; i++) {
        dw_compose_file *o = &orig->files[i], *f = file_at(now, o->abs_path);
        if (!fixable(o) || !f) continue;
        bool worse = f->yaml.error.message && !o->yaml.error.message;
        const dw_diag *gained = dw_fix_new_finding(&o->diags, &f->diags);
        if (worse || gained) {
            refuse(fx, o->path, "the fixed text would not parse as YAML", worse ? NULL : gained);
            return false;
        }
    }
    return true;
}

static void fix_compose(fixer *fx, dw_check_job *j)
{
    dw_compose_project *orig = j->cp, *now = orig;
    texts t = {calloc(orig->nfiles, sizeof *t.abs), calloc(orig->nfiles, sizeof *t.text),
               calloc(orig->nfiles, sizeof *t.len), orig->nfiles};
    if (!t.abs || !t.text || !t.len) dw_oom();
    for (uint32_t i = 0; i < orig->nfiles; i++) t.abs[i] = orig->files[i].abs_path;
    uint32_t fixed = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < orig->nfiles; i++) {
            dw_compose_file *f = file_at(now, t.abs[i]);
            if (!fixable(&orig->files[i]) || !f) continue;
            dw_buf next = {0};
            uint32_t k = dw_fix_apply(f->src, f->len, &f->diags, fx->o->unsafe, &next);
            if (!k) continue;
            free(t.text[i]);
            t.text[i] = next.p;
            t.len[i] = next.n;
            n += k;
        }
        if (!n) break;
        const char *why = NULL;
        dw_compose_project *p = dw_check_lint_compose(j, fx->cfg, text_for, &t, &why);
        if (!p) break;
        fixed += n;
        if (now != orig) dw_compose_free(now);
        now = p;
    }
    if (now != orig && compose_verified(fx, orig, now)) {
        bool all = true;
        for (uint32_t i = 0; i < orig->nfiles; i++) {
            const dw_compose_file *o = &orig->files[i], *f = file_at(now, o->abs_path);
            if (!fixable(o) || !f || !t.text[i]) continue;
            /* the count of the whole project goes with its first written file */
            all &= commit(fx, j, o->path, o->src, o->len, f->src, f->len, fixed);
            fixed = 0;
        }
        if (all) {
            dw_compose_free(orig);
            j->cp = now;
            now = orig = NULL;
        }
    }
    if (now != orig) dw_compose_free(now);
    for (uint32_t i = 0; i < t.n; i++) free(t.text[i]);
    free(t.abs);
    free(t.text);
    free(t.len);
}

void dw_check_run_fix(dw_check_run *r, const dw_fix_opts *o, dw_fix_stats *st)
{
    memset(st, 0, sizeof *st);
    fixer fx = {o, st, r->lopts->config};
    for (uint32_t i = 0; i < r->dockerfiles.n; i++) {
        dw_check_job *j = &r->dockerfiles.v[i];
        if (j->from_stdin) st->from_stdin = true;
        if (j->df && !j->error) fix_dockerfile(&fx, j, r);
    }
    for (uint32_t i = 0; i < r->composes.n; i++) {
        dw_check_job *j = &r->composes.v[i];
        if (j->cp && !j->error) fix_compose(&fx, j);
    }
}
