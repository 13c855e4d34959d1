/* gitignore.h — .gitignore patterns (gitignore(5) semantics, matched the
 * way git's wildmatch does with WM_PATHNAME).
 *
 * A list holds the patterns of one file, relative to that file's folder.
 * Matching takes a path relative to that folder ('/'-separated, no leading
 * or trailing slash) and whether it is a directory; the last pattern that
 * matches decides. The walker (discover.c) stacks the lists of nested
 * .gitignore files and asks the deepest first. The same matcher serves the
 * config's `exclude` globs, relative to the config file's folder. */
#ifndef DW_GITIGNORE_H
#define DW_GITIGNORE_H

#include "../util/util.h"

typedef struct dw_ignore_pat dw_ignore_pat;

typedef struct {
    dw_ignore_pat *v;
    uint32_t n, cap;
} dw_ignore_list;

typedef enum {
    DW_IGN_NONE,     /* no pattern matched */
    DW_IGN_EXCLUDE,  /* ignored */
    DW_IGN_INCLUDE   /* a `!` pattern matched last: explicitly not ignored */
} dw_ignore_verdict;

/* Adds every pattern of a .gitignore text (comments, blank lines, a UTF-8
 * BOM and CR before LF are skipped). */
void dw_ignore_add_text(dw_arena *a, dw_ignore_list *l, const char *text, size_t len);
/* Adds one pattern line, as it would appear in a .gitignore. */
void dw_ignore_add(dw_arena *a, dw_ignore_list *l, const char *line, size_t len);
/* The verdict of the last pattern matching `path` (relative, see above). */
dw_ignore_verdict dw_ignore_match(const dw_ignore_list *l, const char *path, size_t len, bool is_dir);
/* wildmatch with WM_PATHNAME: `*`, `?` and classes do not match '/'; `**`
 * between slashes (or at an end) matches any number of folders. */
bool dw_wildmatch(const char *pattern, size_t plen, const char *text, size_t tlen);

#endif
