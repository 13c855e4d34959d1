/* fix.h — applying the fixes findings carry to a file's text, and writing
 * the result back safely (design.md, "Fixes"). A fix is a list of edits on
 * the bytes the finding was computed from; `dockwright fix` applies the
 * fixes that do not overlap, lints the new text, and goes again until
 * nothing changes (src/cli/cmd_fix.c). */
#ifndef DW_FIX_H
#define DW_FIX_H

#include "../util/util.h"

/* Which fixes a pass may take: the safe ones, with `unsafe` the unsafe ones
 * too; with `allow` (indexed by rule index) only those of the rules it
 * marks. `took`, when set, gets the rules whose fixes were taken marked. */
typedef struct {
    bool unsafe;
    const bool *allow;
    bool *took;
} dw_fix_choice;

/* One pass (apply_edits.c): applies to `src` the fixes `c` lets it take of
 * the findings in `d` that overlap no fix taken before them in file order:
 * a finding's edits are taken all or none, two insertions at one place
 * conflict, and a fix whose edits are malformed (outside the text,
 * overlapping each other) is never taken. Writes the new text to `out` and
 * returns how many findings' fixes changed it (0: nothing to do, `out`
 * left empty). */
uint32_t dw_fix_apply(const char *src, size_t len, const dw_diags *d, const dw_fix_choice *c, dw_buf *out);

/* The first finding of `after` (in its order) that `before` does not have,
 * or NULL (fix_verify.c). Findings are compared by rule and message, with
 * every run of digits taken as equal, so that a line number moved by an
 * edit ("first defined at line 4") does not count as new; each finding of
 * `before` answers for one of `after`. */
const dw_diag *dw_fix_new_finding(const dw_diags *before, const dw_diags *after);

/* Writes a unified diff (3 lines of context, GNU diff's hunk format) of
 * `a` → `b` for `path` to `out` (unified_diff.c); nothing when equal. Lines
 * are matched with Myers' algorithm; past a bounded amount of work the
 * changed middle is shown as one hunk. */
void dw_unified_diff(FILE *out, const char *path, const char *a, size_t alen, const char *b, size_t blen);

/* Replaces the file at `path` with `text` atomically (atomic_write.c): a
 * temporary file in the same folder, written, given the file's mode and
 * owner, synced, then renamed over it (a symlink's target is written, the
 * link kept). Refuses when the file's bytes are no longer `orig` (changed
 * since it was read). Returns 0, or -1 with *why a static message or
 * strerror text. */
int dw_fix_write(const char *path, const char *orig, size_t olen, const char *text, size_t len, const char **why);

#endif
