/* sh_misc.h — helpers shared by the RUN-command rules of sh_lang.c
 * (language package managers), sh_hygiene.c (shell hygiene) and sh_misc.c
 * (ADD/COPY rules and these helpers). The rules read the command model of
 * src/shell/sh_cmd.h: only real commands, never quoted text or echo
 * arguments, with every word's exact span in the file. */
#ifndef DW_SH_MISC_H
#define DW_SH_MISC_H

#include "hl_util.h"
#include "sh_pkg.h"
#include "../shell/sh_cmd.h"

/* The run of instruction `i` when its commands can be judged: a RUN (or,
 * with `onbuild`, an ONBUILD RUN) whose script was parsed — not one under a
 * pwsh/cmd SHELL, nor a heredoc run by another interpreter. NULL otherwise. */
static inline const sh_run *ms_run(sh_run **runs, uint32_t i, bool onbuild)
{
    const sh_run *r = pkg_run(runs, i);
    if (!r || !r->instr) return NULL;
    if (!onbuild && r->top->kind == DW_I_ONBUILD) return NULL;
    return r;
}

static inline bool ms_onbuild(const sh_run *r) { return r->top->kind == DW_I_ONBUILD; }

/* Per stage: true when the stage's layers end up in the image that is
 * built — the final stage (or --target) and the stages it is built FROM.
 * Builder stages only reached through COPY --from leave their layers
 * behind. An array of df->nstages entries in the file's arena. */
bool *ms_image_stages(dw_lint *ctx);
/* An instruction before the first FROM (a fragment) counts as in the image. */
static inline bool ms_in_image(const bool *img, int stage) { return stage < 0 || img[stage]; }

/* The word has no literal text, only expansions ($PKG, "${X}", $(cmd)):
 * its value is not known before the build, so it is not judged. */
bool ms_word_unknown(const sh_word *w);
/* The same for an argument of command c, which is also unknown when it holds
 * the replace string of an `xargs -I {}` that runs c. */
bool ms_arg_unknown(const sh_cmd *c, const sh_word *w);

/* Adds an edit to `d` inserting the argument `arg` right after word `w` of
 * command `c`: " arg" in a shell script, `, "arg"` in an exec-form array.
 * Only when the word's bytes in the file are exactly its text (no
 * continuation or escape inside it); returns false otherwise. */
bool ms_insert_arg_after(dw_lint *ctx, dw_diag *d, const sh_cmd *c, const sh_word *w, const char *arg);

/* The RUN has a cache or tmpfs mount whose target contains one of the
 * NULL-terminated needles (the tool's cache then never reaches a layer). */
bool ms_cache_mount(const dw_instr *run, const char *const *needles);

/* What the `rm` commands of a run remove: each path (trailing slashes
 * dropped) with the index of the last rm naming it. Built once per run on
 * first use, so asking about every cd or chmod of a run stays linear. */
typedef struct {
    const sh_run *run;
    hl_map paths;
} ms_rm_index;
void ms_rm_index_init(dw_lint *ctx, ms_rm_index *ix, const sh_run *r);
/* An rm after command `after` removes `path` or a parent directory of it:
 * the path is scratch space that never reaches the image. */
bool ms_removed_later(const ms_rm_index *ix, const sh_cmd *after, dw_str path);

/* The last path component, `/` and `\` both separating (Windows paths). */
dw_str ms_basename(dw_str s);
bool ms_has_suffix(dw_str s, const char *suffix);
bool ms_contains(dw_str s, const char *needle);
/* The name ends with an extension ADD extracts (hadolint's list plus zstd). */
bool ms_is_archive(dw_str name);

#endif
