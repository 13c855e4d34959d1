/* df_practices.h — what the section C rules share (df_practices*.c):
 * the language package managers that install a project's dependencies
 * (their commands, manifests and cache folders), paths resolved against
 * WORKDIR, and the stages whose layers make up the image.
 *
 * The rules read the command model of src/shell/sh_cmd.h: only real
 * commands (`python -m pip`, `sudo npm`, sh -c strings and heredoc bodies
 * included), never quoted text or echo arguments. */
#ifndef DW_DF_PRACTICES_H
#define DW_DF_PRACTICES_H

#include "sh_pkg.h"

/* ---- package managers ---- */

typedef enum {
    PM_NONE,
    PM_PIP, PM_UV, PM_POETRY, PM_PIPENV,
    PM_NPM, PM_YARN, PM_PNPM,
    PM_BUNDLE, PM_COMPOSER,
    PM_GO, PM_CARGO, PM_MAVEN, PM_GRADLE, PM_DOTNET,
    PM__COUNT
} prac_pm;

typedef struct {
    const char *name;            /* as the messages name it: "npm" */
    const char *manifests[6];    /* the files its install reads, NULL-terminated */
    uint8_t usual;               /* how many of manifests[] to name when none is in the context */
    const char *cache;           /* its cache folder for root (the help's mount target) */
    const char *needles[3];      /* a cache mount whose target holds one of these serves it */
    const char *env;             /* the variable that moves its cache (PIP_CACHE_DIR), or NULL */
} prac_pm_info;

const prac_pm_info *prac_pm_get(prac_pm pm);

/* What command c does for a language package manager: installs the
 * project's dependencies from its manifest (`pip install -r …`, `npm ci`,
 * `go mod download`, `mvn package`, …) — the manager, else PM_NONE. With
 * `builds`, compiles that fill the manager's caches count too (`go build`,
 * `cargo install`, `dotnet publish`). A named package (`npm install
 * left-pad`, `pip install flask`) is not a dependency install. */
prac_pm prac_dep_install(const sh_cmd *c, bool builds);

/* The command's name is `base`, maybe followed by a version: pip, pip3,
 * pip3.12. */
bool prac_name_is(const sh_cmd *c, const char *base);

/* A cache mount of the RUN serves manager pm: its target holds one of
 * the manager's cache folder names, lies above its usual cache folder
 * (/root/.cache), holds the folder a --cache-dir style option of command c
 * names (c may be NULL) or the folder the manager's cache variable
 * (PIP_CACHE_DIR, set by ENV or on the command) names, or is written with
 * a variable (its folder is not known: it may well be the cache). */
const dw_mount *prac_cache_mount(dw_lint *ctx, const dw_instr *run, prac_pm pm, const sh_cmd *c);

/* Where manager pm keeps its cache for command c of `run`: the folder its
 * cache variable names (set on the command or by ENV), else its usual one.
 * In the file's arena. */
const char *prac_cache_dir(dw_lint *ctx, const dw_instr *run, prac_pm pm, const sh_cmd *c);

/* The instructions of kind `kind` before `in`, in its stage and then the
 * stages it is built FROM, latest first, until fn says yes: that one, or
 * NULL. */
typedef bool (*prac_instr_fn)(const dw_instr *x, void *ud);
const dw_instr *prac_find_back(dw_lint *ctx, const dw_instr *in, dw_instr_kind kind, prac_instr_fn fn,
                               void *ud);

/* The value ENV gives `name` where `in` runs (in its stage or a stage it is
 * built FROM), expanded when the parser expanded it; { NULL, 0 } when no
 * ENV of the Dockerfile sets it. */
dw_str prac_env_value(dw_lint *ctx, const dw_instr *in, const char *name);

/* "name sub" of a command, for messages: `npm ci`, `pip install`, and
 * the word after for the two-word sub-commands `go mod download`, `uv pip
 * install`, `cargo chef cook`, `npm cache clean`. In the file's arena. */
const char *prac_cmd_label(dw_lint *ctx, const sh_cmd *c);

/* The command as written from its name to word `last`, for a message:
 * `npm run build`; just its name when that text spans lines or is long. */
dw_str prac_cmd_text(const dw_lint *ctx, const sh_cmd *c, const sh_word *last);

/* ---- paths ---- */

/* The working folder at each instruction: an array of df->ninstrs entries
 * (computed once per check), { NULL, 0 } where it is not known (a stage
 * built FROM an image before any absolute WORKDIR, a WORKDIR with a
 * variable). A stage built FROM an earlier stage starts in its folder. */
const dw_str *prac_workdirs(dw_lint *ctx);

/* `p` made absolute against `cwd` and cleaned (Go's path.Clean), in the
 * file's arena; { NULL, 0 } when it cannot be known: relative without a
 * known cwd, a variable, `~`, a Windows path. */
dw_str prac_resolve(dw_lint *ctx, dw_str cwd, dw_str p);

/* `p` is `dir` or lies under it (both absolute and clean). */
bool prac_path_within(dw_str dir, dw_str p);

/* The source or destination of a COPY/ADD as the build reads it: expanded
 * when the parser expanded it, else with one pair of quotes removed. */
dw_str prac_word_value(const dw_word *w);

/* The instruction is a COPY or ADD of the build context or a stage/image
 * (heredoc-only copies and URLs included): its sources are
 * args[0 .. nargs-2], its destination args[nargs-1]. */
static inline bool prac_is_copy(const dw_instr *in)
{
    return (in->kind == DW_I_COPY || in->kind == DW_I_ADD) && in->nargs >= 2;
}

/* A COPY/ADD source, cleaned (`./src/` is `src`), in the file's arena;
 * empty for a heredoc or a URL. */
dw_str prac_copy_source(dw_lint *ctx, const dw_word *w);
/* A cleaned source that is the whole build context: `.`, `/`, `*`. */
bool prac_whole_context(dw_str src);

/* The COPY/ADD reads another stage or an image (--from). */
bool prac_copy_from(const dw_instr *in);

/* ---- stages ---- */

/* The stage whose image the chain of stage s starts from (s itself, or the
 * earliest stage of its FROM <stage> chain). */
int prac_root_stage(const dw_lint *ctx, int s);

#endif
