/* check_fix.c — dw_check_run_fix (dockwright.h): after the first lint,
 * for each Dockerfile and Compose project with fixable findings:
 *   1. apply the fixes that do not overlap (safe ones; with `unsafe` also
 *      the unsafe ones), lint the new text, again until nothing changes or
 *      10 passes;
 *   2. verify: the result must parse as well as the original did and have
 *      no finding the original lacked. When it does not, the rules whose
 *      fixes were taken are tried one at a time, in table order, each kept
 *      when the fixes kept so far plus its own still pass: one bad fix
 *      leaves out its rule, not the whole file;
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
#define MAX_SWEEPS 3

/* One fix over a run: its options, what it did, and the run's config. */
typedef struct {
    const dw_fix_opts *o;
    dw_fix_stats *st;
    const dw_config *cfg;
} fixer;

/* Why a fixed text cannot be kept: it parses worse, or it gained a finding. */
typedef struct {
    bool worse;
    const dw_diag *gained;
} verdict;

static bool bad(verdict v) { return v.worse || v.gained; }

/* Why rule `rule`'s fixes were left out, as the message says it. */
static void blame(dw_buf *b, const char *path, const char *rule, const char *why, verdict v)
{
    b->n = 0;
    dw_buf_printf(b, "dockwright: %s: fixes of [%s] left out: ", path, rule);
    if (v.gained) dw_buf_printf(b, "the fixed text would gain a finding [%s] %s\n", v.gained->rule, v.gained->message);
    else dw_buf_printf(b, "%s\n", why);
}

/* The rules a fix may come from, all unmarked. */
static bool *rule_marks(void)
{
    uint32_t n;
    (void)dw_rules(&n);
    bool *m = calloc(n ? n : 1, sizeof *m);
    if (!m) dw_oom();
    return m;
}

/* The texts of a project's files as the passes left them. */
typedef struct {
    const char **abs;
    char **text;
    size_t *len;
    uint32_t n;
} texts;

/* Fix passes over one file or project that may be tried again with fewer
 * rules: the Dockerfile and Compose sides of keep_blameless. */
typedef struct attempts attempts;
struct attempts {
    void *orig;                /* the text as linted first: "nothing changed" */
    const char *unparsed;      /* the words for a result that parses worse */
    void *(*passes)(attempts *a, const bool *allow, uint32_t *fixed);
    verdict (*judge)(attempts *a, void *result, const char **path);
    void (*drop)(void *result);
    fixer *fx;
    dw_check_job *j;
    const dw_check_run *r;
    texts *t;
};

/* After the passes with every fix failed verification: the rules whose
 * fixes were taken (`took`) are tried one at a time, in table order, each
 * kept when the rules kept so far plus its own still pass; sweeps repeat
 * while one adds a rule (at most MAX_SWEEPS: each try is up to MAX_PASSES
 * lints), so that a second `fix` finds nothing more to do.
 * Prints why each rule left out was left out; returns the best result
 * (a->orig when no rule could be kept) and its count of fixes. */
static void *keep_blameless(attempts *a, const bool *took, uint32_t *fixed)
{
    uint32_t n;
    const dw_rule *rules = dw_rules(&n);
    bool *allow = rule_marks();
    dw_buf *why = calloc(n ? n : 1, sizeof *why);
    if (!why) dw_oom();
    void *best = a->orig;
    *fixed = 0;
    for (int sweep = 0, again = 1; again && sweep < MAX_SWEEPS; sweep++) {
        again = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (!took[i] || allow[i]) continue;
            allow[i] = true;
            uint32_t f;
            const char *path = NULL;
            void *res = a->passes(a, allow, &f);
            verdict v = res != a->orig ? a->judge(a, res, &path) : (verdict){0};
            if (bad(v)) {
                blame(&why[i], path, rules[i].slug, a->unparsed, v);
                allow[i] = false;
            }
            if (bad(v) || res == a->orig) {
                if (res != a->orig) a->drop(res);
                continue;
            }
            why[i].n = 0;
            if (best != a->orig) a->drop(best);
            best = res;
            *fixed = f;
            again = 1;
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        if (why[i].n) fwrite(why[i].p, 1, why[i].n, a->fx->o->err);
        dw_buf_free(&why[i]);
    }
    free(why);
    free(allow);
    a->fx->st->refused++;
    return best;
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

static verdict dockerfile_verdict(const dw_dockerfile *orig, const dw_dockerfile *now)
{
    verdict v = {parse_errors(now) > parse_errors(orig), NULL};
    if (!v.worse) v.gained = dw_fix_new_finding(&orig->diags, &now->diags);
    return v;
}

/* The fix passes over a Dockerfile, taking what `c` allows: the last text
 * linted (orig when nothing changed) and, in *fixed, the fixes it took. */
static dw_dockerfile *dockerfile_passes(fixer *fx, dw_check_job *j, const dw_check_run *r, const bool *allow,
                                        bool *took, uint32_t *fixed)
{
    dw_dockerfile *orig = j->df, *now = orig;
    dw_fix_choice c = {fx->o->unsafe, allow, took};
    *fixed = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        dw_buf next = {0};
        uint32_t n = dw_fix_apply(now->src, now->len, &now->diags, &c, &next);
        if (!n) break;
        dw_dockerfile *df = dw_check_lint_dockerfile(j, next.p, next.n, r->popts, r->lopts);
        if (!df) break; /* over 4 GiB: keep what we have */
        *fixed += n;
        if (now != orig) dw_dockerfile_free(now);
        now = df;
    }
    return now;
}

static void *df_passes(attempts *a, const bool *allow, uint32_t *fixed)
{
    return dockerfile_passes(a->fx, a->j, a->r, allow, NULL, fixed);
}

static verdict df_judge(attempts *a, void *result, const char **path)
{
    *path = a->j->path;
    return dockerfile_verdict(a->orig, result);
}

static void df_drop(void *result) { dw_dockerfile_free(result); }

static void fix_dockerfile(fixer *fx, dw_check_job *j, const dw_check_run *r)
{
    dw_dockerfile *orig = j->df;
    bool *took = rule_marks();
    uint32_t fixed;
    dw_dockerfile *now = dockerfile_passes(fx, j, r, NULL, took, &fixed);
    if (now != orig && bad(dockerfile_verdict(orig, now))) {
        dw_dockerfile_free(now);
        attempts a = {orig, "the fixed text would not parse", df_passes, df_judge, df_drop, fx, j, r, NULL};
        now = keep_blameless(&a, took, &fixed);
    }
    free(took);
    if (now != orig) {
        if (commit(fx, j, j->path, orig->src, orig->len, now->src, now->len, fixed)) {
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

/* The verdict on the first fixed file of the project that fails the checks
 * of dockerfile_verdict (YAML that no longer parses counts as worse), and
 * that file's path in *path. */
static verdict compose_verdict(dw_compose_project *orig, dw_compose_project *now, const char **path)
{
    for (uint32_t i = 0; i < orig->nfiles; i++) {
        dw_compose_file *o = &orig->files[i], *f = file_at(now, o->abs_path);
        if (!fixable(o) || !f) continue;
        verdict v = {f->yaml.error.message && !o->yaml.error.message, NULL};
        if (!v.worse) v.gained = dw_fix_new_finding(&o->diags, &f->diags);
        if (bad(v)) {
            *path = o->path;
            return v;
        }
    }
    return (verdict){0};
}

static void texts_clear(texts *t)
{
    for (uint32_t i = 0; i < t->n; i++) {
        free(t->text[i]);
        t->text[i] = NULL;
    }
}

/* The fix passes over a project's own files, as dockerfile_passes; `t`
 * holds the texts of the files they changed. */
static dw_compose_project *compose_passes(fixer *fx, dw_check_job *j, const bool *allow, bool *took, texts *t,
                                          uint32_t *fixed)
{
    dw_compose_project *orig = j->cp, *now = orig;
    dw_fix_choice c = {fx->o->unsafe, allow, took};
    texts_clear(t);
    *fixed = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < orig->nfiles; i++) {
            dw_compose_file *f = file_at(now, t->abs[i]);
            if (!fixable(&orig->files[i]) || !f) continue;
            dw_buf next = {0};
            uint32_t k = dw_fix_apply(f->src, f->len, &f->diags, &c, &next);
            if (!k) continue;
            free(t->text[i]);
            t->text[i] = next.p;
            t->len[i] = next.n;
            n += k;
        }
        if (!n) break;
        const char *why = NULL;
        dw_compose_project *p = dw_check_lint_compose(j, fx->cfg, text_for, t, &why);
        if (!p) break;
        *fixed += n;
        if (now != orig) dw_compose_free(now);
        now = p;
    }
    return now;
}

static void *cp_passes(attempts *a, const bool *allow, uint32_t *fixed)
{
    return compose_passes(a->fx, a->j, allow, NULL, a->t, fixed);
}

static verdict cp_judge(attempts *a, void *result, const char **path) { return compose_verdict(a->orig, result, path); }

static void cp_drop(void *result) { dw_compose_free(result); }

static void fix_compose(fixer *fx, dw_check_job *j)
{
    dw_compose_project *orig = j->cp;
    texts t = {calloc(orig->nfiles, sizeof *t.abs), calloc(orig->nfiles, sizeof *t.text),
               calloc(orig->nfiles, sizeof *t.len), orig->nfiles};
    if (!t.abs || !t.text || !t.len) dw_oom();
    for (uint32_t i = 0; i < orig->nfiles; i++) t.abs[i] = orig->files[i].abs_path;
    bool *took = rule_marks();
    uint32_t fixed;
    const char *path = NULL;
    dw_compose_project *now = compose_passes(fx, j, NULL, took, &t, &fixed);
    if (now != orig && bad(compose_verdict(orig, now, &path))) {
        dw_compose_free(now);
        attempts a = {orig, "the fixed text would not parse as YAML", cp_passes, cp_judge, cp_drop, fx, j, NULL, &t};
        now = keep_blameless(&a, took, &fixed);
    }
    free(took);
    if (now != orig) {
        bool all = true;
        for (uint32_t i = 0; i < orig->nfiles; i++) {
            const dw_compose_file *o = &orig->files[i], *f = file_at(now, o->abs_path);
            if (!fixable(o) || !f || (f->len == o->len && !memcmp(f->src, o->src, o->len))) continue;
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
    texts_clear(&t);
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
