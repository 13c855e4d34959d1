/* shell_lex.h — BuildKit's shell-word lexer (frontend/dockerfile/shell):
 * quote and escape removal and variable substitution for the instructions
 * BuildKit expands (ENV, LABEL, ARG defaults, COPY/ADD, WORKDIR, USER, ...),
 * and word splitting (EXPOSE, heredoc detection). */
#ifndef DW_SHELL_LEX_H
#define DW_SHELL_LEX_H

#include "../util/util.h"

/* An environment: later entries win over earlier ones with the same name. */
typedef struct { dw_str name, value; } dw_env_var;
/* An environment: its own variables, then (for a stage built FROM another
 * stage) the parent's, looked up after its own. Sharing the parent instead
 * of copying it keeps a chain of thousands of stages linear; so do the
 * indexes (shell_lex.c): a hash of the own variables once there are more
 * than a few, the answers found through the parents (kept in each
 * environment a look-up passed, so the next look-up from below stops
 * there), and, for a tree of linked environments, the names set anywhere
 * in it (a name set nowhere is answered without a walk). Zero-initialised
 * is empty. */
typedef struct dw_env_index dw_env_index;
typedef struct dw_env {
    dw_env_var *v;
    uint32_t n, cap;
    bool fold_case; /* Windows: names compare case-insensitively */
    const struct dw_env *parent;
    dw_arena *arena;      /* where the indexes grow: set by dw_env_set and dw_env_link */
    dw_env_index *ix;     /* own variables and remembered answers, or NULL */
    dw_env_index *tree;   /* names set in the tree, shared by its environments, or NULL */
} dw_env;

/* Sets `name` (not copied: the strings must outlive the environment). */
void dw_env_set(dw_arena *a, dw_env *env, dw_str name, dw_str value);
/* Makes `parent` (whose variables are all set by now) the environment
 * `env` inherits from. */
void dw_env_link(dw_arena *a, dw_env *env, const dw_env *parent);
/* Looks `name` up; returns true and sets *value when set. (Remembers the
 * answer in the environments it passed: not for concurrent use.) */
bool dw_env_get(const dw_env *env, dw_str name, dw_str *value);

typedef struct {
    char escape;             /* '\\' or '`' */
    bool raw_quotes;         /* keep quote characters in the output */
    bool raw_escapes;        /* keep escape characters in the output */
    bool skip_unset_env;     /* leave $x / ${x...} as written when x is unset */
    bool skip_process_quotes;/* quotes are ordinary characters */
} dw_lexer;

/* A set of variable names (no duplicates, in first-seen order). */
typedef struct { dw_str *v; uint32_t n, cap; } dw_names;

/* ProcessWordWithMatches: expands `word` into one string. `matched` and
 * `unmatched` (either may be NULL) receive the names looked up and found /
 * not found. Returns 0, or -1 with *err set to a message in the arena
 * (e.g. "bad substitution", "missing '}'"). Output strings live in `a`. */
int dw_lex_process_word(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env,
                        dw_str *out, dw_names *matched, dw_names *unmatched, const char **err);

/* The same without the name sets, for the parser's expansions: `scratch`
 * is a buffer reused from call to call, and the result is a view into
 * `word` when it is a piece of it (the word itself, or the word without
 * its quotes), else a copy in the arena. */
int dw_lex_expand(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env, dw_buf *scratch, dw_str *out,
                  const char **err);

/* ProcessWords: expands and splits into words (unquoted white space,
 * including white space that came from an unquoted variable, separates). */
int dw_lex_process_words(dw_arena *a, const dw_lexer *lx, dw_str word, const dw_env *env,
                         dw_str **words, uint32_t *nwords, const char **err);

#endif
