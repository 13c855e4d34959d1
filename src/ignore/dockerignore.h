/* dockerignore.h — .dockerignore files read, compiled and matched exactly as
 * BuildKit and the docker CLI do (moby/patternmatcher and its
 * ignorefile.ReadAll), BuildKit's choice of ignore file, and the walker
 * that enumerates what `docker build` sends (context_walk.c).
 *
 * The pipeline, as upstream:
 *   1. ReadAll: lines split at '\n' (one '\r' before it dropped), a UTF-8
 *      BOM removed from the first line, lines starting with '#' in column 1
 *      skipped, blanks trimmed, "!" taken off and the rest trimmed again,
 *      Go's filepath.Clean applied, one leading '/' removed, "!" put back.
 *   2. New: each entry trimmed and cleaned again, a lone "!" rejected, the
 *      syntax checked with Go's filepath.Match rules, the kind decided
 *      (exact; a prefix, ending with "**" and no other wildcard; a suffix,
 *      "**" then literal text; or a regular expression).
 *   3. The regular expression patternmatcher derives from a pattern is
 *      compiled by Go's regexp on first use; when that fails (e.g. the range
 *      `l-O` in `[Local-Only]`) the build fails at the first match. We
 *      compile eagerly and report it as an error with `at_match` set.
 *   4. Matching: the last pattern that applies to the path or one of its
 *      parent directories wins (MatchesOrParentMatches).
 *
 * Deliberate deviations, all in constructs nobody writes on purpose:
 * `\pX` / `\PX` classes (a backslash before p) are exact for code points
 * below U+0100 and for U+FFFD; any other code point counts as a letter. Invalid patterns
 * make the build fail; we skip them while matching so other findings stay
 * useful (and report them through `errors`). */
#ifndef DW_DOCKERIGNORE_H
#define DW_DOCKERIGNORE_H

#include "../util/util.h"

#include <sys/types.h>

typedef enum {
    DW_DI_EXACT,    /* the path must equal the pattern */
    DW_DI_PREFIX,   /* ends with "**", no other wildcard: the path starts with what precedes it */
    DW_DI_SUFFIX,   /* "**" then literal text: the path ends with the text (after a
                       slash: also equals the text without it) */
    DW_DI_REGEXP,   /* anything else, through the derived regular expression */
    DW_DI_DROPPED,  /* empty once New trims it (e.g. "/ /"): ReadAll keeps it, the matcher skips it */
    DW_DI_INVALID   /* rejected by patternmatcher.New: the build fails before sending anything */
} dw_di_kind;

typedef struct dw_di_prog dw_di_prog; /* a compiled regular expression (private) */

typedef struct {
    dw_str text;         /* as ReadAll returns it, "!" included; NUL-terminated */
    dw_str pattern;      /* what the matcher compares: after New's trim and Clean, no "!" */
    bool exception;      /* a "!" pattern: re-includes what earlier patterns excluded */
    dw_di_kind kind;
    uint32_t line, col;  /* of span.start (1-based; col counts code points); 0 without a file */
    dw_span span;        /* the trimmed text on its line, "!" included */
    dw_span body;        /* the part after "!" and the blanks after it */
    int32_t error;       /* index into the file's errors, or -1 */
    const dw_di_prog *prog; /* DW_DI_REGEXP whose expression compiled, else NULL */
} dw_di_pattern;

typedef struct {
    uint32_t pattern;    /* index into patterns; UINT32_MAX when the whole file fails */
    dw_span span;
    uint32_t line, col;
    const char *message; /* the builder's own error text, e.g. "syntax error in pattern" */
    const char *detail;  /* what is wrong, for people; lowercase, no final period */
    bool at_match;       /* passes New; fails the first time the builder matches with it */
} dw_di_error;

typedef struct dw_dockerignore {
    dw_arena arena;
    const char *path;    /* NULL when built from a list (dw_dockerignore_new) */
    const char *src;     /* the file's bytes (owned), NULL for a list */
    uint32_t len;
    dw_linemap lines;
    dw_di_pattern *patterns; uint32_t npatterns; /* every ReadAll entry, in order */
    dw_di_error *errors; uint32_t nerrors;       /* in file order */
    bool exceptions;     /* some usable "!" pattern (patternmatcher's Exclusions) */
    bool unreadable;     /* ReadAll fails (a line over 65535 bytes): the build fails */
} dw_dockerignore;

/* Reads and compiles a .dockerignore text (`src` is copied). Never fails:
 * problems become entries of `errors`. `path` is kept for messages. */
dw_dockerignore *dw_dockerignore_parse(const char *path, const char *src, size_t len);
/* Reads the file at `path`; NULL with errno set when it cannot be read. */
dw_dockerignore *dw_dockerignore_load(const char *path);
/* Compiles a list of patterns as patternmatcher.New does, without ReadAll
 * (no comments, no leading-'/' removal): COPY/ADD --exclude. */
dw_dockerignore *dw_dockerignore_new(const dw_str *patterns, uint32_t n);
void dw_dockerignore_free(dw_dockerignore *di);

/* The invalid patterns (and file-level failures) with their spans and
 * messages, for the `dockerignore-invalid-pattern` rule. */
const dw_di_error *dw_dockerignore_invalid(const dw_dockerignore *di, uint32_t *count);

/* Results of matching. */
enum { DW_DI_NOMATCH = 0, DW_DI_MATCH = 1, DW_DI_ERROR = -1 };

/* patternmatcher's MatchesOrParentMatches: DW_DI_MATCH when `path` (relative,
 * '/'-separated, used as given: clean it first) is excluded from the context.
 * *decider (optional) gets the index of the last pattern that applied, or
 * UINT32_MAX. DW_DI_ERROR when an `at_match` pattern had to be evaluated
 * (the build fails there); *decider is then that pattern. NULL di: no match. */
int dw_dockerignore_matches(const dw_dockerignore *di, const char *path, size_t len, uint32_t *decider);

/* One pattern against one path, no parent directories: DW_DI_MATCH,
 * DW_DI_NOMATCH or DW_DI_ERROR (invalid, dropped or failing pattern). */
int dw_di_pattern_match(const dw_di_pattern *p, const char *path, size_t len);

/* patternmatcher's MatchesUsingParentResults, as BuildKit's context walker
 * uses it: `parent` holds the per-pattern results of the directory holding
 * `path` (NULL for an entry of the context root), `out` (npatterns bytes,
 * optional) receives this path's, for its children. Returns DW_DI_MATCH or
 * DW_DI_NOMATCH. When an `at_match` pattern had to be evaluated (the build
 * would fail there) it counts as not matching and *bad (optional, left
 * alone otherwise) gets its index. */
int dw_dockerignore_match_step(const dw_dockerignore *di, const char *path, size_t len,
                               const uint8_t *parent, uint8_t *out, uint32_t *bad);

/* Go's filepath.Clean on '/'-separated paths. Writes at most n+1 bytes
 * (n bytes, or "." for an empty path) to out, not NUL-terminated; returns
 * the length. */
size_t dw_go_clean(const char *p, size_t n, char *out);

/* Which ignore file BuildKit reads for a build of `dockerfile` (a path, NULL
 * or "-" when it comes from stdin) with context `context_dir`:
 * `<dir of dockerfile>/<its file name>.dockerignore` when it exists, even
 * empty, else `<context_dir>/.dockerignore` when it exists. Returns a
 * malloc'd path, or NULL when neither exists (no patterns). *beside is set
 * when the Dockerfile's own ignore file was chosen. (The legacy builder,
 * DOCKER_BUILDKIT=0, reads only the context's.) */
char *dw_dockerignore_locate(const char *dockerfile, const char *context_dir, bool *beside);

/* ---- the build-context walker (context_walk.c) ---- */

typedef enum { DW_CW_FILE, DW_CW_DIR, DW_CW_SYMLINK, DW_CW_OTHER } dw_cw_type;

typedef struct {
    const char *path;    /* relative to the context, '/'-separated, NUL-terminated;
                            valid during the callback only */
    size_t len;
    dw_cw_type type;
    mode_t mode;         /* the type bits; the permission bits too when the entry was
                            lstat'ed (regular files, and any entry where the file
                            system gives no type in its directory listing) */
    uint64_t size;       /* regular files; 0 for a further hard link of a file already sent */
    uint32_t depth;      /* 0 for entries of the context root */
    bool sent;           /* false: excluded (reported only with report_excluded) */
    bool hardlink;       /* another name of a file already sent (sent as a link) */
    int err;             /* errno when this directory could not be read, else 0 */
} dw_context_entry;

/* Called for each entry, parents before children, names in byte order
 * within a directory (as Go's ReadDir). A non-zero return stops the walk
 * and is returned by dw_context_walk. */
typedef int (*dw_context_fn)(const dw_context_entry *e, void *ud);

typedef struct {
    /* Also report excluded entries (sent = false), descending into every
     * directory, even those the builder skips: for "with and without
     * .dockerignore" totals in one walk. */
    bool report_excluded;
} dw_context_opts;

typedef struct {
    uint64_t files, dirs, symlinks, others, hardlinks; /* sent */
    uint64_t bytes;              /* sent regular files, each inode once */
    uint64_t excluded;           /* excluded entries seen (all of them with report_excluded) */
    uint64_t excluded_bytes;     /* with report_excluded: their file sizes */
    uint64_t pruned_dirs;        /* excluded directories the builder does not descend */
    uint64_t errors;             /* entries that could not be read */
    uint32_t match_error;        /* a pattern whose matching failed (the build would fail), or UINT32_MAX */
} dw_context_stats;

/* Enumerates what `docker build` would send from `context_dir` with the
 * ignore patterns `di` (NULL: none), the way BuildKit's fsutil walker does:
 * symlinks are reported as links and never followed, no file is opened, an
 * excluded directory is skipped without being read unless an exception
 * pattern could re-include something below it, and an excluded directory
 * holding a re-included entry is sent (before that entry). Each entry is
 * lstat'ed at most once. Returns 0, -1 with errno when the context cannot
 * be opened, or the callback's non-zero value. `fn`, `opts` and `stats`
 * may be NULL. */
int dw_context_walk(const char *context_dir, const dw_dockerignore *di, const dw_context_opts *opts,
                    dw_context_fn fn, void *ud, dw_context_stats *stats);

#endif
