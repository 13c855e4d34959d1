/* context_index.h — what the build-context rules know of a context: the
 * folder, the ignore file BuildKit reads for the build, and (after one walk
 * with dw_context_walk) what is sent: totals, the largest top-level
 * entries, the secret-looking files and the well-known folders that should
 * never be sent. Built once per lint (dw_lint_context_index in rule.h) or
 * per ignore file (the "dockerignore" family), and freed with it. */
#ifndef DW_CONTEXT_INDEX_H
#define DW_CONTEXT_INDEX_H

#include "../ignore/context_facts.h"
#include "../ignore/copy_sources.h"
#include "../ignore/dockerignore.h"

#define DW_CI_MAX_ENTRIES 1000000u /* the walk stops collecting after this many entries */
#define DW_CI_LARGEST 5
#define DW_CI_SECRETS_KEPT 64

/* The rows of context_facts' table the index counts: the folders no build
 * needs (never_needed), by row. */
#define DW_CI_FACTS 64

typedef struct {
    const dw_cf_fact *fact; /* the table row (NULL: a row the index does not count) */
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
    char *ignore_shown;        /* see dw_context_index_ignore_name */

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
    dw_wk_folder wk[DW_CI_FACTS]; /* by row of dw_cf_table(); fact NULL for rows not counted */
    uint32_t nwk;
    /* what a Dockerfile copies on purpose (dw_context_index_want): a folder
     * no build needs or a secret that holds one of these is not counted */
    char **wanted;
    uint32_t nwanted;
} dw_context_index;

/* The context of a Dockerfile build: `context_dir` (NULL: the
 * Dockerfile's folder; when the Dockerfile comes from stdin, path NULL or
 * "-", there is no context), and the ignore file BuildKit picks for it. */
dw_context_index *dw_context_index_open(const char *context_dir, const char *dockerfile);
/* The context an ignore file applies to, with that file (borrowed). */
dw_context_index *dw_context_index_with(const char *context_dir, const dw_dockerignore *di);

/* Before the scan: the literal part of every context path `df` reads
 * (COPY/ADD sources, RUN bind mounts) is wanted. `COPY target/app.jar`
 * and `COPY target/app-*.jar` want target; `COPY . .` wants nothing in
 * particular. */
void dw_context_index_want(dw_context_index *ci, const dw_dockerfile *df);
/* The same for the Dockerfiles that may be built with the index's ignore
 * file: the one it is named after (`<name>.dockerignore`), else those in
 * the context folder and its direct subfolders (at most 32). */
void dw_context_index_want_dockerfiles(dw_context_index *ci);

enum { DW_CI_WITH_EXCLUDED = 1 }; /* also walk what the ignore file excludes (totals without it) */
/* The ignore file as a user would type it ("./.dockerignore" shown as
 * ".dockerignore"); when there is none, the one to create in the context
 * folder ("app/.dockerignore"). */
const char *dw_context_index_ignore_name(const dw_context_index *ci);

/* Walks the context once (later calls do nothing). */
void dw_context_index_scan(dw_context_index *ci, unsigned flags);
void dw_context_index_free(dw_context_index *ci);

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

typedef struct { dw_ctx_read_iter r; uint32_t steps; } dw_ctx_source_iter; /* zero it to start */
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
