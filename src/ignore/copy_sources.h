/* copy_sources.h — which entries of a build context one COPY/ADD source
 * takes, resolved the way BuildKit resolves it (dockerfile2llb's
 * dispatchCopy, the file-op backend, tonistiigi/fsutil's copy), so that the
 * linter and `dockwright context` agree with the builder.
 *
 * What BuildKit does with a local source `src` (after variable expansion):
 *   - it is taken relative to the context root: Go's filepath.Clean of
 *     "/" + src, so a leading '/' and '..' never leave the context, and
 *     `.`, `./`, `/` and "" name the root (the whole context);
 *   - the path is split before its first segment holding a wildcard (`*`,
 *     `?`, `[`; a backslash escapes the next byte): the literal part is
 *     resolved with symlinks followed inside the context (an absolute link
 *     target counts from the context root, `..` stops at the root), then the
 *     rest is matched with Go's filepath.Match against every path below it
 *     (each `*`, `?` and class stays inside one segment; the walk does not
 *     follow symlinks; a matching directory is taken whole and not entered);
 *   - without a wildcard the path itself must exist (after following
 *     symlinks) or the build fails with "not found"; a wildcard that matches
 *     nothing copies nothing and the build goes on (AllowEmptyWildcard),
 *     unless the literal part before it does not exist (the walk fails);
 *   - a directory copies its contents;
 *   - `--parents`: the source is cut at its first "/./" (the pivot): the
 *     part before is expanded as above and must be a directory, the part
 *     after becomes an include pattern (patternmatcher semantics: `**`
 *     works, a matching directory brings everything below it) matched
 *     against paths relative to the pivot (the context root when there is
 *     no pivot); without any wildcard the matched path must exist;
 *   - `--exclude` patterns (patternmatcher semantics, relative to the
 *     copied directory — or to the pivot with --parents) drop entries found
 *     while copying a directory; a file named by the source itself is never
 *     excluded (BuildKit matches excludes only below a copied root);
 *   - what the ignore file excludes is not in the context: it can neither
 *     be matched nor copied (an excluded directory still exists when an
 *     exception re-includes something below it).
 * Sources that are not context paths: heredocs (`<<EOF`), HTTP(S) URLs,
 * Git references (git://, ssh://, user@host:path). `COPY --from` sources
 * belong to another stage or image: callers skip them.
 *
 * Work is bounded: every directory entry examined counts against
 * `max_visits`; a glob only enters directories whose names can still lead
 * to a match (by segment, when no class or escape spans a '/'; else by
 * depth), so it stays linear in the entries it visits. */
#ifndef DW_COPY_SOURCES_H
#define DW_COPY_SOURCES_H

#include "dockerignore.h"

#define DW_COPY_MAX_VISITS 1000000u

/* Sorted directory listings kept across the expansions of one run: a
 * Dockerfile with a thousand wildcard sources in one big folder reads and
 * sorts that folder once (dw_copy_dircache_new/free; NULL: no cache). */
typedef struct dw_copy_dircache dw_copy_dircache;
dw_copy_dircache *dw_copy_dircache_new(void);
void dw_copy_dircache_free(dw_copy_dircache *c);

typedef struct {
    const char *context_dir;           /* the build context folder */
    const dw_dockerignore *ignore;     /* the ignore file the build reads, or NULL */
    const dw_dockerignore *exclude;    /* COPY/ADD --exclude (dw_dockerignore_new), or NULL */
    bool parents;                      /* COPY --parents */
    bool descend;                      /* also report what copied directories hold */
    uint64_t max_visits;               /* entries examined at most; 0: DW_COPY_MAX_VISITS */
    dw_copy_dircache *cache;           /* listings shared between expansions, or NULL */
} dw_copy_opts;

typedef struct {
    const char *rel;   /* relative to the context root, '/'-separated, NUL-terminated,
                          "." for the root; valid during the callback only */
    size_t len;
    bool is_dir;       /* a directory (for a source match: after following symlinks) */
    bool top;          /* matched by the source itself; false: found inside a copied
                          directory (only with `descend`) */
} dw_copy_entry;

/* Called for each entry taken, parents before children, names in byte
 * order. A non-zero return stops the expansion. */
typedef int (*dw_copy_fn)(const dw_copy_entry *e, void *ud);

typedef struct {
    bool wildcard;      /* BuildKit accepts this source matching nothing */
    bool base_missing;  /* the literal part before the first wildcard segment (with
                           --parents: the pivot) is not in the context: the build fails */
    bool ignored;       /* something the source names exists on disk but the ignore
                           file keeps it out of the context */
    bool truncated;     /* max_visits ran out: the count is a lower bound */
    uint64_t visits;    /* directory entries examined */
} dw_copy_result;

/* True when `src` names something in the build context (not a heredoc, URL
 * or Git reference). */
bool dw_copy_source_is_local(const char *src, size_t len);

/* True when BuildKit treats `s` as a pattern: a `*`, `?` or `[` not escaped
 * by a backslash. */
bool dw_copy_has_wildcard(const char *s, size_t len);

/* The context-relative directory a source's matches are looked up in: the
 * literal segments before the first wildcard segment (with --parents: the
 * pivot before "/./", or the root), cleaned. Writes at most len+2 bytes to
 * out (not NUL-terminated); returns the length, 0 for the context root. */
size_t dw_copy_source_base(const char *src, size_t len, bool parents, char *out);

/* Expands one source. Returns the number of entries the source itself
 * matched (copied roots; with --parents the shallowest included entries),
 * or -1 when `src` is not a context path. `fn` (optional) sees each entry;
 * `res` (optional) says why nothing matched. Never follows a symlink out of
 * the context. */
long dw_copy_source_expand(const dw_copy_opts *o, const char *src, size_t len, dw_copy_fn fn, void *ud,
                           dw_copy_result *res);

/* ---- where a Dockerfile reads its build context ---- */

/* One place a Dockerfile reads the build context: a source of a COPY or
 * ADD without --from that dw_copy_source_is_local accepts, or (when the
 * iterator asks for them) a RUN --mount=type=bind without from=. The
 * linter and `dockwright context` both walk the file with it. */
typedef struct {
    const dw_instr *in;
    const dw_word *w;        /* the source word; NULL for a mount */
    const dw_mount *mount;   /* the bind mount; NULL for a COPY/ADD source */
    dw_str value;            /* expanded when the parser expanded it; "." for a mount without source= */
    bool parents;            /* COPY --parents (BuildKit has it on COPY only) */
    bool windows;            /* a Windows build (the escape character is '`', or the destination
                                starts with a drive letter): '\\' separates folders too */
} dw_ctx_read;

typedef struct {
    uint32_t i, k;           /* instruction, and source word or mount in it */
    bool mounts;             /* also yield RUN bind mounts */
} dw_ctx_read_iter;

/* The next place in file order; false at the end. Zero the iterator (and
 * set `mounts`) to start. */
bool dw_ctx_read_next(const dw_dockerfile *df, dw_ctx_read_iter *it, dw_ctx_read *out);

/* A Windows source with '\\' turned into '/' (in place), as a Windows
 * builder reads it. */
void dw_copy_source_slashes(char *p, size_t n);

/* The COPY/ADD's --exclude patterns compiled (dw_dockerignore_new), or NULL
 * when it has none. */
dw_dockerignore *dw_copy_excludes(const dw_instr *in);

/* Go's path/filepath.Match on '/'-separated names: 1 when `name` matches
 * `pattern`, 0 when not, -1 when the pattern is malformed (as far as Go
 * reads it). */
int dw_go_match(const char *pattern, size_t plen, const char *name, size_t nlen);

#endif
