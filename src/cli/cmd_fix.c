/* cmd_fix.c — `dockwright fix [PATH...]`: check's pipeline (discovery, the
 * config, every check option, the parallel first lint) through a hook, then
 * for each Dockerfile and Compose project with fixable findings:
 *   1. apply the fixes that do not overlap (safe ones; --unsafe-fixes also
 *      the unsafe ones), lint the new text, again until nothing changes or
 *      10 passes;
 *   2. verify: the result must parse as well as the original did and have
 *      no finding the original lacked, else the file is not written;
 *   3. write atomically (refused when the file changed since it was read),
 *      or with --diff print a unified diff instead.
 * What remains is then reported as check reports it, and decides the exit
 * status the same way: 0/1, and 2 for a usage error or a file that could not
 * be read or written. A refused file makes it at least 1. With --diff no
 * finding is printed: the status is 1 when there is a change, as `ruff
 * --diff`. A Dockerfile read from `-` is printed fixed on stdout. The count
 * goes to stderr: `fixed N findings in M files`. */
#include "check_jobs.h"

#include <stdlib.h>
#include <string.h>

#include "../compose/compose.h"
#include "../fix/fix.h"

#define MAX_PASSES 10

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
    bool diff, unsafe;
    uint32_t fixed, files;     /* findings fixed, files changed */
    const dw_config *cfg;
} fixer;

static int fix_option(check_hook *h, int argc, char **argv, int *i)
{
    (void)argc;
    fixer *fx = (fixer *)h;
    if (!strcmp(argv[*i], "--diff")) fx->diff = true;
    else if (!strcmp(argv[*i], "--unsafe-fixes")) fx->unsafe = true;
    else return 0;
    return 1;
}

static void refuse(fixer *fx, const char *path, const char *why, const dw_diag *gained)
{
    if (gained)
        fprintf(stderr, "dockwright: %s: not fixed: the fixed text would gain a finding [%s] %s\n", path, gained->rule,
                gained->message);
    else fprintf(stderr, "dockwright: %s: not fixed: %s\n", path, why);
    if (fx->h.min_rc < 1) fx->h.min_rc = 1;
}

/* Writes (or shows) one fixed file; false when it was not written. */
static bool commit(fixer *fx, check_job *j, const char *path, const char *orig, size_t olen, const char *text,
                   size_t len, uint32_t fixed)
{
    if (len == olen && !memcmp(orig, text, len)) return true; /* the fixes undid each other */
    if (fx->diff) {
        dw_unified_diff(stdout, path, orig, olen, text, len);
        fx->h.min_rc = 1;
    } else if (!j->from_stdin) {
        const char *why = NULL;
        if (dw_fix_write(path, orig, olen, text, len, &why) < 0) {
            if (!j->error) j->error = strdup(why);
            return false;
        }
    }
    fx->fixed += fixed;
    fx->files++;
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

static void fix_dockerfile(fixer *fx, check_job *j, const check_pass *ps)
{
    dw_dockerfile *orig = j->df, *now = orig;
    uint32_t fixed = 0;
    for (int pass = 0; pass < MAX_PASSES; pass++) {
        dw_buf next = {0};
        uint32_t n = dw_fix_apply(now->src, now->len, &now->diags, fx->unsafe, &next);
        if (!n) break;
        dw_dockerfile *df = check_lint_dockerfile(j, next.p, next.n, ps->popts, ps->lopts);
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
    if (j->from_stdin && !fx->diff) fwrite(now->src, 1, now->len, stdout);
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

static void fix_compose(fixer *fx, check_job *j)
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
            uint32_t k = dw_fix_apply(f->src, f->len, &f->diags, fx->unsafe, &next);
            if (!k) continue;
            free(t.text[i]);
            t.text[i] = next.p;
            t.len[i] = next.n;
            n += k;
        }
        if (!n) break;
        const char *why = NULL;
        dw_compose_project *p = check_lint_compose(j, fx->cfg, text_for, &t, &why);
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

static void fix_all(check_hook *h, const check_pass *ps)
{
    fixer *fx = (fixer *)h;
    fx->cfg = ps->lopts->config;
    for (uint32_t i = 0; i < ps->dockerfiles->n; i++) {
        check_job *j = &ps->dockerfiles->v[i];
        if (j->from_stdin) fx->h.no_report = true;
        if (j->df && !j->error) fix_dockerfile(fx, j, ps);
    }
    for (uint32_t i = 0; i < ps->composes->n; i++) {
        check_job *j = &ps->composes->v[i];
        if (j->cp && !j->error) fix_compose(fx, j);
    }
    if (fx->diff) fx->h.no_report = fx->h.no_findings_rc = true;
    fprintf(stderr, "%s %u finding%s in %u file%s\n", fx->diff ? "would fix" : "fixed", fx->fixed,
            fx->fixed == 1 ? "" : "s", fx->files, fx->files == 1 ? "" : "s");
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
    return check_main(argc, argv, &fx.h);
}
