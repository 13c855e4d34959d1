/* context_index.h — what the build-context rules know of a context: the
 * folder, the ignore file BuildKit reads for the build, and (after one walk
 * with dw_context_walk) what is sent: totals, the largest top-level
 * entries, the secret-looking files and the well-known folders that should
 * never be sent. Built once per lint (dw_lint_context_index in rule.h) or
 * per ignore file (the "dockerignore" family), and freed with it. */
#ifndef DW_CONTEXT_INDEX_H
#define DW_CONTEXT_INDEX_H

#include "../ignore/dockerignore.h"

#define DW_CI_MAX_ENTRIES 1000000u /* the walk stops collecting after this many entries */
#define DW_CI_LARGEST 5
#define DW_CI_SECRETS_KEPT 64

/* Folders that hold dependencies, caches or VCS data: rebuilt or
 * downloaded by the build, never an input it needs. */
typedef enum {
    DW_WK_GIT, DW_WK_NODE_MODULES, DW_WK_VENV, DW_WK_PYCACHE, DW_WK_TOX, DW_WK_NOX, DW_WK_PYTEST_CACHE,
    DW_WK_MYPY_CACHE, DW_WK_RUFF_CACHE, DW_WK_CARGO_TARGET, DW_WK_COVERAGE, DW_WK_TERRAFORM,
    DW_WK_GRADLE, DW_WK__COUNT
} dw_wk_kind;

typedef struct {
    char *path;          /* first sent one, relative to the context (NULL: none sent) */
    uint32_t sent;       /* how many are sent (a nested one inside another well-known folder is not counted) */
    uint64_t bytes;      /* bytes sent below them */
    bool excluded;       /* one was seen excluded (only with DW_CI_WITH_EXCLUDED) */
} dw_wk_folder;

typedef struct {
    char *path;          /* a top-level entry of the context */
    uint64_t bytes;      /* bytes sent in it */
    bool dir;
} dw_ci_entry;

typedef struct dw_context_index {
    char *dir;                 /* the context folder */
    bool known;                /* false: the Dockerfile came from stdin with no context */
    bool exists;               /* the folder could be opened */
    char *ignore_path;         /* the ignore file the build reads, NULL when none */
    dw_dockerignore *ignore;   /* parsed; NULL when none (or unreadable) */
    bool ignore_owned;
    bool ignore_beside;        /* <Dockerfile>.dockerignore beside the Dockerfile */

    /* filled by dw_context_index_scan */
    bool scanned;
    bool truncated;            /* over DW_CI_MAX_ENTRIES: the figures are lower bounds */
    dw_context_stats stats;    /* what is sent (and, with DW_CI_WITH_EXCLUDED, what is not) */
    uint64_t entries;          /* entries the walk reported */
    dw_ci_entry largest[DW_CI_LARGEST]; /* by bytes sent, largest first */
    uint32_t nlargest;
    char *secrets[DW_CI_SECRETS_KEPT]; /* secret-looking files (and .aws/.ssh folders) sent */
    uint32_t nsecrets_kept;
    uint64_t nsecrets;         /* all of them */
    dw_wk_folder wk[DW_WK__COUNT];
} dw_context_index;

/* The context of a Dockerfile build: `context_dir` (NULL: the
 * Dockerfile's folder; when the Dockerfile comes from stdin, path NULL or
 * "-", there is no context), and the ignore file BuildKit picks for it. */
dw_context_index *dw_context_index_open(const char *context_dir, const char *dockerfile);
/* The context an ignore file applies to, with that file (borrowed). */
dw_context_index *dw_context_index_with(const char *context_dir, const dw_dockerignore *di);

enum { DW_CI_WITH_EXCLUDED = 1 }; /* also walk what the ignore file excludes (totals without it) */
/* Walks the context once (later calls do nothing). */
void dw_context_index_scan(dw_context_index *ci, unsigned flags);
void dw_context_index_free(dw_context_index *ci);

/* The well-known folder's name, e.g. "node_modules" (".venv" for DW_WK_VENV). */
const char *dw_wk_name(dw_wk_kind k);
/* True for a name that looks like it holds secrets (see the catalog's
 * secret-in-context): `.env*` (not .env.example/.sample/.template),
 * `*.pem`, `*.key`, private SSH keys, `.npmrc`, `.pypirc`,
 * `.git-credentials`, `credentials*.json`; `dir`: the folders `.aws`, `.ssh`. */
bool dw_secret_name(const char *name, size_t len, bool dir);

/* "12.3 MB" style sizes (decimal units, as docker prints them). */
void dw_format_size(uint64_t bytes, char out[32]);

/* ---- what a Dockerfile takes from the context (df_context.c) ---- */

/* One source of a COPY/ADD that reads the build context: not COPY --from,
 * not a heredoc, URL or Git reference. */
typedef struct {
    const dw_instr *in;
    const dw_word *w;
    dw_str value;        /* after variable expansion */
    bool parents;        /* COPY --parents */
    bool unresolved;     /* uses a variable whose value the linter cannot know (the base
                            image's ENV, an ARG without a default or a build arg) */
    bool whole;          /* the context root: `.`, `./`, `/` */
} dw_ctx_source;

typedef struct { uint32_t i, k, steps; } dw_ctx_source_iter; /* zero it to start */
/* The next such source in file order; false at the end. */
bool dw_ctx_source_next(dw_lint *ctx, dw_ctx_source_iter *it, dw_ctx_source *out);
/* The first COPY/ADD of the whole context in a stage the build reaches
 * (what makes BuildKit send the whole context); false when none. */
bool dw_ctx_whole_copy(dw_lint *ctx, dw_ctx_source *out);
/* BuildKit's CopyIgnoredFile test on a source (expanded, not yet cleaned):
 * its cleaned path or a parent is excluded by `di`; `.` and `/` only when a
 * plain pattern excludes everything. *decider gets the pattern, or
 * UINT32_MAX. Callers skip ignore files with exceptions, as BuildKit does. */
bool dw_copy_source_ignored(const dw_dockerignore *di, dw_str src, uint32_t *decider);

#endif
