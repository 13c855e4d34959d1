/* rule.h — what a check function sees. A check gets the lint context, walks
 * the parsed Dockerfile (ctx->df) and reports findings of its rule with
 * dw_report(); the engine applies inline pragmas, BuildKit check options and
 * severities. One rule = one line in rules.def + one check function +
 * docs/rules/<slug>.md + a positive and a negative test case. */
#ifndef DW_RULE_H
#define DW_RULE_H

#include "../dockerfile/dockerfile_int.h"

/* Declarations of every check function named in rules.def. */
#define NO_CHECK dw_no_check
#define RULE(slug, family, sev, flags, check, fix, aliases, summary) void check(dw_lint *ctx);
#include "rules.def"
#undef RULE
#undef NO_CHECK

typedef struct dw_lint_state dw_lint_state; /* engine internals (lint.c) */
struct dw_compose_project;
struct dw_compose_file;
struct dw_dockerignore;
struct dw_cv;

struct dw_lint {
    dw_dockerfile *df;          /* family "dockerfile"; NULL for the others */
    dw_arena *a;                /* the file's arena: messages, fixes */
    const dw_lint_opts *opts;
    const dw_config *cfg;
    const dw_rule *rule;        /* the rule being checked */
    int final_stage;            /* --target, or the last stage; -1 without stages */
    const char *target;         /* the --target name, NULL when none */
    dw_lint_state *state;
    /* family "compose": the loaded project (model and files) */
    struct dw_compose_project *compose;
    /* family "dockerignore": the ignore file, and the context it applies to */
    const struct dw_dockerignore *ignore;
    const char *ignore_context;
    dw_diags *out;              /* compose/dockerignore: where findings go when no file is named */
    void *compose_cache;        /* compose: Dockerfiles the rules read (compose_util.c) */
};

/* Reports a finding of the current rule at `span`, for instruction `in`
 * (whose pragmas and `# check=` comment apply; NULL for the whole file).
 * The message is printf-formatted: lower-case start, no final period.
 * Returns the diagnostic to add help, related spans or a fix to, or NULL
 * when it is suppressed (then there is nothing to add). */
dw_diag *dw_report(dw_lint *ctx, const dw_instr *in, dw_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same for BuildKit's file-wide checks (ConsistentInstructionCasing,
 * DuplicateStageName, ReservedStageName, NoEmptyContinuation,
 * InvalidDefaultArgInFrom): a `# check=` comment above one instruction does
 * not apply to them; inline ignore pragmas still do. */
dw_diag *dw_report_filewide(dw_lint *ctx, const dw_instr *in, dw_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The same for a finding of an external checker that has its own code and
 * level (ShellCheck: code 2086 -> alias SC2086, level info): pragmas and
 * settings naming the code apply to it; `level` is the finding's severity
 * unless the code's or the rule's severity was configured. */
dw_diag *dw_report_code(dw_lint *ctx, const dw_instr *in, dw_span span, uint32_t code, dw_severity level,
                        const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void dw_diag_help(dw_lint *ctx, dw_diag *d, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void dw_diag_related(dw_lint *ctx, dw_diag *d, dw_span span, const char *label);
/* Appends one text edit to the finding's fix (safe or unsafe as the rule's
 * table entry says). Edits of one fix must not overlap. */
void dw_diag_edit(dw_lint *ctx, dw_diag *d, dw_span span, const char *text, size_t len);

/* ---- helpers shared by checks ---- */

struct sh_run;
/* Every RUN's scripts parsed into commands (src/shell/sh_cmd.h), once per
 * file on first use: runs[i] belongs to df->instrs[i], NULL when that
 * instruction is not a RUN or ONBUILD RUN. */
struct sh_run **dw_lint_runs(dw_lint *ctx);

/* The indices of the file's instructions of kind k, in file order (*n of
 * them), built for every kind once per file on first use: rules that look
 * back for "the last USER" or "the ENV that set X" walk these instead of
 * every instruction. */
const uint32_t *dw_lint_kind_index(dw_lint *ctx, dw_instr_kind k, uint32_t *n);

/* The stage an instruction belongs to, or NULL before the first FROM. */
const dw_stage *dw_lint_stage(const dw_lint *ctx, const dw_instr *in);
/* True when stage `s` is the final stage or one it is built from (FROM,
 * COPY --from, RUN --mount from=), i.e. part of what ends up built. */
bool dw_lint_stage_reached(const dw_lint *ctx, int s);
/* The value of a configured build arg, or NULL. */
const char *dw_lint_build_arg(const dw_lint *ctx, const char *name);

/* ---- the build context (Dockerfile rules) ---- */

/* The build context folder: dw_lint_opts.context_dir, else the Dockerfile's
 * folder ("." for stdin). Arena string. */
const char *dw_lint_context_dir(dw_lint *ctx);
/* True when `rel` (relative to the context) exists there (any type, no
 * symlink followed out). */
bool dw_lint_context_has(dw_lint *ctx, const char *rel);
/* What the build-context rules know of the context (context_index.h):
 * computed on first use, once per lint; the ignore file is read then, the
 * context walked only when a rule asks (dw_context_index_scan). */
struct dw_context_index *dw_lint_context_index(dw_lint *ctx);

/* ---- other files: .dockerignore and Compose (lint_files.c) ---- */

/* Reports a finding of the current rule on the ignore file being checked. */
dw_diag *dw_ireport(dw_lint *ctx, dw_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Reports a finding of the current Compose rule at node `at` (in the file it
 * was written in); `key` (optional) points at its key instead. Returns NULL
 * when suppressed (config, pragma, dclint comment). */
dw_diag *dw_creport(dw_lint *ctx, const struct dw_cv *at, const dw_span *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The file a Compose node was written in. */
struct dw_compose_file *dw_lint_cfile(dw_lint *ctx, const struct dw_cv *at);

/* Runs the family "dockerignore" rules on `di` (context_dir: the build
 * context it applies to); findings are appended to `out` (arena: di's) and sorted. */
void dw_lint_dockerignore(struct dw_dockerignore *di, const char *context_dir, const dw_config *cfg, dw_diags *out);
/* Runs the family "compose" rules over a loaded project; every file's diags
 * are then sorted (findings of the loader included, with configured severities). */
void dw_lint_compose(struct dw_compose_project *p, const dw_config *cfg);

#endif
