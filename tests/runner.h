/* runner.h — the tiny test framework shared by every suite file. A suite
 * counts passes, failures and skips and prints
 * "suite NAME: N passed, N failed, N skipped"; failures are printed with
 * their details as they happen. */
#ifndef DW_RUNNER_H
#define DW_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *name;
    int passed, failed, skipped;
} suite;

void suite_begin(suite *s, const char *name);
void suite_pass(suite *s);
/* Records a failure of case `casename`; the printf-style detail follows. */
void suite_fail(suite *s, const char *casename, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void suite_skip(suite *s, int count, const char *why);
void suite_end(suite *s);
/* Compares two texts; on mismatch records a failure with a unified-style diff. */
bool suite_expect_text(suite *s, const char *casename, const char *expected, size_t elen,
                       const char *actual, size_t alen);

/* Compares `got` with the golden file `dir`/`file` of case `casename`; with
 * DW_UPDATE=1 (make check UPDATE=1) rewrites the file instead, only when it
 * differs, and counts a pass. */
void suite_golden(suite *s, const char *dir, const char *casename, const char *file, const char *got,
                  size_t len);

/* Path of ../shared/corpus/<sub> (or $DW_CORPUS/<sub>) when it exists, else NULL.
 * The returned string is static storage overwritten by the next call. */
const char *corpus_path(const char *sub);
/* Decodes the corpora's C-style escapes: \\ \n \t \r and \xHH (a literal
 * backslash is always written \\, so one decoder reads every corpus). The
 * result is NUL-terminated, with room for one more byte before the NUL. */
char *corpus_unescape(const char *s, size_t n, size_t *outlen);
/* Reads a whole file, NUL-terminated; NULL when it cannot be read. */
char *slurp(const char *path, size_t *len);
/* A case folder's `args` file (one argument per line) appended to argv
 * after its first `ac` entries, then "." unless one of them is a path;
 * argv ends with NULL (max entries in all). Returns the count; the
 * strings live in *buf, to free. */
int case_args(const char *cdir, char **argv, int ac, int max, char **buf);
/* Removes a folder and everything under it (symlinks are not followed). */
void remove_tree(const char *dir);
/* True when a `shellcheck` program is on PATH, as dockwright looks for it:
 * without it the ShellCheck rows, pages and cases are skipped with a notice. */
bool have_shellcheck(void);
/* Path of the dockwright binary under test. */
const char *dw_binary(void);
/* Runs argv (argv[0] = binary) in directory `cwd` (NULL = here), stdin from
 * /dev/null; captures stdout and stderr into malloc'd strings. Returns the
 * exit status, or -1 when it could not run or was killed by a signal. */
int run_capture(const char *cwd, char *const argv[], char **out, size_t *outlen,
                char **err, size_t *errlen);

/* Every suite has this signature and is listed in run.c. */
typedef void (*suite_fn)(void);

#endif
