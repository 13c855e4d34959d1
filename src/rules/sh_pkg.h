/* sh_pkg.h — helpers shared by the OS package-manager rules
 * (sh_pkg_os.c: apt and apk; sh_pkg_rpm.c: yum, dnf, microdnf, zypper).
 *
 * Every rule walks the commands of each RUN (and ONBUILD RUN) from the
 * shell model (src/shell/sh_cmd.h), so it sees only real commands: text in
 * quotes, echo arguments and comments are never commands, while &&, ;,
 * pipes, subshells, if/then, sh -c strings, wrappers (sudo, env, xargs…)
 * and heredoc bodies are followed. Findings point at the exact word: the
 * package, or the command and its sub-command ("apt-get install"). */
#ifndef DW_SH_PKG_H
#define DW_SH_PKG_H

#include "rule.h"
#include "../shell/sh_cmd.h"

/* The run of instruction i when it was parsed as shell commands (not a
 * PowerShell/cmd RUN, not a heredoc in another language), else NULL. */
const sh_run *pkg_run(sh_run **runs, uint32_t i);

/* Walks every command of every RUN parsed as shell, in file order: start
 * with a zeroed iterator; returns false at the end, else it.run and it.cmd
 * are the next command and its run. */
/* The command's name is one of `names` (NULL-terminated). */
bool pkg_cmd_in(const sh_cmd *c, const char *const *names);

typedef struct { uint32_t i, k; const sh_run *run; const sh_cmd *cmd; } pkg_iter;
bool pkg_next(sh_run **runs, uint32_t ninstrs, pkg_iter *it);

/* True when the word's value is one of the NULL-terminated names. */
bool pkg_word_in(const sh_word *w, const char *const *names);

/* The span from the command's program word to `last` (its sub-command):
 * "apt-get install". Falls back to the program word. */
dw_span pkg_cmd_span(const sh_cmd *c, const sh_word *last);

/* The word is only an expansion ($PKGS, "${LIST[@]}", $(cat file)): the
 * packages it stands for cannot be judged. */
bool pkg_word_opaque(const sh_word *w);

/* The word as the pin checks read it: quotes removed, every expansion
 * spelled ${VAR} (hadolint's spelling), in the file's arena. */
dw_str pkg_word_text(dw_lint *ctx, const sh_word *w);

/* ---- paths ---- */

/* `dir` is `path` or one of its ancestors ("/var/lib/apt" covers
 * "/var/lib/apt/lists"). Trailing slashes are ignored. */
bool pkg_path_covers(dw_str dir, const char *path);
/* A cache or tmpfs mount of the RUN keeps `path` out of the layer: its
 * target is the path or an ancestor, or (hadolint's test) contains it. */
bool pkg_mount_covers(const sh_run *r, const char *path);
/* A command at or after index `from` of the run deletes `path`: `rm` of the
 * path, an ancestor, or `dir/<glob>`; or `find DIR … -delete`. Returns the
 * deleting command, or NULL. */
const sh_cmd *pkg_rm_after(const sh_run *r, uint32_t from, const char *path);
/* Index of the last command of the run that deletes `path`, or -1. */
int64_t pkg_rm_last(const sh_run *r, const char *path);

/* ---- stages ---- */

/* Stages whose layers end up in the built image: the final stage (the
 * --target, or the last) and the stages it is built FROM, transitively. A
 * stage only copied from leaves nothing but the copied files. Instructions
 * before any FROM (a file without stages) count as in the image. Returns an
 * array of df->nstages + 1 flags, in the file's arena. */
bool *pkg_image_stages(dw_lint *ctx);
static inline bool pkg_in_image(const bool *img, const dw_lint *ctx, const dw_instr *in)
{
    return in->stage < 0 || (uint32_t)in->stage >= ctx->df->nstages || img[in->stage];
}
/* The RUN's layer ends up in an image: its stage is one of `img`, or it is
 * an ONBUILD RUN, which runs in the builds FROM this image. The cache rules
 * (apt lists, apk index, yum/dnf/zypper caches) judge only such layers: a
 * builder stage's cache never ships. */
static inline bool pkg_layer_shipped(const bool *img, const dw_lint *ctx, const sh_run *r)
{
    return r->top != r->instr || pkg_in_image(img, ctx, r->top);
}
/* The stage a stage is built FROM, or -1. */
int pkg_base_stage(const dw_lint *ctx, int s);

/* ---- fixes ---- */

/* The command's words may be edited: a shell-form RUN (not the exec form)
 * whose scripts parsed without error. */
bool pkg_can_fix(const sh_cmd *c);
/* The word's span holds exactly its text as written (no continuation or
 * escape between the file and the word), so an edit next to it is exact. */
bool pkg_word_exact(const dw_lint *ctx, const sh_word *w);
/* Adds to `d` an edit inserting `text` right after word `w`, when that is
 * exact (see above). Returns whether it did. */
bool pkg_fix_insert_after(dw_lint *ctx, dw_diag *d, const sh_cmd *c, const sh_word *w, const char *text);
/* Adds to `d` an edit appending `text` (e.g. " && rm -rf …") at the end of
 * the RUN's command chain, when the RUN is a shell-form line that is one
 * plain && chain (no ;, ||, &, heredoc or syntax error). */
bool pkg_fix_append(dw_lint *ctx, dw_diag *d, const sh_run *r, const char *text);

/* ---- variables known to the build (yum-pin, dnf-pin) ---- */

typedef struct pkg_vars pkg_vars;
/* Made on first use, once per check: the ARG names of the file and the ENV
 * keys of each stage. */
pkg_vars *pkg_vars_new(dw_lint *ctx);
/* `name` is an ARG declared before instruction `at` (anywhere in the file,
 * as hadolint counts it), or an ENV key set before it in its stage or in a
 * stage that stage is built FROM. */
bool pkg_var_known(pkg_vars *v, dw_str name, const dw_instr *at);

#endif
