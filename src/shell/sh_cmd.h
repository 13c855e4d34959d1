/* sh_cmd.h — the command-line model the RUN rules share, and the scripts
 * of an instruction.
 *
 * sh_runs_parse(arena, df) parses every RUN (and ONBUILD RUN) of a file
 * once; each sh_run lists, in source order, every command its scripts run:
 * the shell-form line (or the heredoc body a bare `RUN <<EOF` runs, or the
 * exec-form array), plus the strings of `sh -c '…'`, the heredocs and
 * here-strings fed to a shell (`RUN bash <<EOF`), and the bodies of $(…) and
 * backticks, recursively. Text in quotes, arguments of echo/printf and
 * comments are words, never commands.
 *
 * A command (sh_cmd) is a program name (the basename: /usr/bin/apt-get is
 * apt-get), its argv words, its flags and positional arguments (the first
 * positional is the sub-command: `install` of `apt-get -y install x`), the
 * NAME=value words that apply to it, and where it sits (ctx bits, pipeline
 * position, && / || neighbours). Wrappers stay commands of their own AND
 * expose the command they run: `sudo -u app env A=1 apt-get install x` is
 * three commands, sudo → env → apt-get, linked by `wrapped`/`wrapper`
 * (hadolint sees only sudo; a rule wanting that checks `wrapper`).
 * Wrappers understood: sudo, doas, env, xargs, nice, time, exec, command,
 * builtin, busybox, nohup, timeout, stdbuf, chroot, gosu, su-exec,
 * eatmydata, and `python -m MODULE` (the module is the command: pip).
 *
 * Flags. `--name`, `--name=value`, `-abc` (a, b and c), and values given
 * as the next word for the options a per-program table knows to take one
 * (apt-get -o/-t/-c, pip -r/-c/-i/--index-url, curl -o, wget -O, useradd
 * -u, go's single-dash long options, …); an option not in the table takes
 * no value, as hadolint assumes. sh_cmd_reclassify re-reads a command with
 * a caller's table. After `--` everything is positional.
 *
 * Lifetime: everything is in the arena passed in (the Dockerfile's). */
#ifndef DW_SH_CMD_H
#define DW_SH_CMD_H

#include "sh.h"

/* Where a command sits: bits of sh_cmd.ctx. */
enum {
    SH_CTX_PIPELINE  = 1u << 0,  /* in a pipeline of two or more commands */
    SH_CTX_AND_OR    = 1u << 1,  /* in a && / || chain */
    SH_CTX_ASYNC     = 1u << 2,  /* run in the background with & */
    SH_CTX_NEGATED   = 1u << 3,  /* in a pipeline negated with ! */
    SH_CTX_IF        = 1u << 4,  /* inside if (condition or branch) */
    SH_CTX_CONDITION = 1u << 5,  /* in the condition of if/while/until */
    SH_CTX_LOOP      = 1u << 6,  /* inside for/select/while/until */
    SH_CTX_CASE      = 1u << 7,  /* inside case */
    SH_CTX_SUBSHELL  = 1u << 8,  /* inside ( ) */
    SH_CTX_GROUP     = 1u << 9,  /* inside { } */
    SH_CTX_FUNCTION  = 1u << 10, /* inside a function body (runs only if called) */
    SH_CTX_CMDSUB    = 1u << 11, /* inside $(…), `…` or <(…) */
    SH_CTX_SH_C      = 1u << 12, /* inside the string of sh -c / bash -c / su -c */
    SH_CTX_STDIN     = 1u << 13, /* inside a heredoc or here-string a shell reads */
    SH_CTX_HEREDOC   = 1u << 14, /* in the body of `RUN <<EOF` (the body is the script) */
    SH_CTX_EXEC      = 1u << 15, /* an exec-form RUN: no shell */
    SH_CTX_WRAPPED   = 1u << 16, /* run by a wrapper (sudo, env, xargs, …) */
    SH_CTX_BROKEN    = 1u << 17  /* inside text that did not parse cleanly */
};

typedef struct sh_flag {
    dw_str name;               /* without dashes: "y", "no-install-recommends" */
    dw_str value;              /* --name=value, -ovalue, or the next word's value */
    const sh_word *word;       /* the word holding the flag */
    const sh_word *value_word; /* the separate word holding the value, or NULL */
    bool is_long;              /* --name (or -name for single-dash tools such as go) */
    bool has_value;
} sh_flag;

/* The options of a program that take a value. */
typedef struct sh_flagspec {
    const char *short_with_value; /* letters, e.g. "acot" for apt-get */
    const char *long_with_value;  /* space-separated names, e.g. "option target-release" */
    bool single_dash_long;        /* -name is one long option (go) */
} sh_flagspec;

typedef enum {
    SH_SHELL_NONE,   /* not a shell */
    SH_SHELL_STRING, /* sh -c STRING */
    SH_SHELL_FILE,   /* sh FILE */
    SH_SHELL_STDIN   /* sh, sh -s: the script comes on stdin */
} sh_shell_mode;

struct sh_run;

typedef struct sh_cmd {
    const sh_node *node;          /* the simple command */
    const sh_script *script;      /* the script holding it */
    const struct sh_run *run;
    dw_str name;                  /* program basename: "apt-get" */
    const sh_word *argv;          /* argv[0] is the program word */
    uint32_t argc;
    const sh_word *assigns;       /* NAME=value words that apply (the node's, or env's) */
    uint32_t nassigns;
    sh_flag *flags;
    uint32_t nflags;
    const sh_word **pos;          /* positional arguments, in order */
    uint32_t npos;
    const sh_word *sub;           /* the sub-command: pos[0], or NULL */
    const struct sh_cmd *wrapper; /* the command running this one, or NULL */
    const struct sh_cmd *wrapped; /* the command this one runs, or NULL */
    uint32_t index;               /* position in run->cmds (source order) */
    uint32_t ctx;                 /* SH_CTX_* */
    uint16_t pipe_pos, pipe_len;  /* in the innermost pipeline of ≥2 (pipe_len 0: none) */
    uint8_t op_before, op_after;  /* sh_op to its && / || neighbours (innermost chain) */
    uint8_t shell_mode;           /* sh_shell_mode */
    const sh_word *shell_arg;     /* STRING: the script word; FILE: the script path */
    const sh_script *runs;        /* the script it runs (sh -c string, stdin heredoc) */
    const sh_node *pipeline;      /* the innermost pipeline of ≥2, or NULL */
    const sh_node *andor;         /* the innermost && / || chain, or NULL */
} sh_cmd;

typedef enum {
    SH_SKIP_NONE,      /* parsed */
    SH_SKIP_NOT_RUN,   /* not a RUN (nor ONBUILD RUN) */
    SH_SKIP_NON_POSIX, /* shell form under a SHELL that is not POSIX (pwsh, powershell, cmd) */
    SH_SKIP_NOT_SHELL  /* `RUN <<EOF` whose body starts with a #! of another language */
} sh_skip;

typedef struct sh_run {
    const dw_instr *top;          /* the file's instruction (ONBUILD for a trigger) */
    const dw_instr *instr;        /* the RUN itself (top->sub for ONBUILD RUN) */
    const dw_instr *shell;        /* the SHELL in effect, NULL = ["/bin/sh", "-c"] */
    dw_str shell_name;            /* basename of the shell program, lower case: "sh", "bash", "pwsh" */
    sh_skip skip;
    dw_str interpreter;           /* SH_SKIP_NOT_SHELL: the #! program's basename */
    sh_script **scripts;          /* top-level scripts (nested ones hang off commands/parts) */
    uint32_t nscripts;
    sh_cmd *cmds;                 /* every command, in source order */
    uint32_t ncmds;
    uint32_t nerrors;             /* syntax problems in all its scripts */
} sh_run;

/* Parses one instruction (RUN, or ONBUILD whose trigger is a RUN) with
 * `shell` the SHELL instruction in effect (NULL for the default). Anything
 * else gives a run with skip = SH_SKIP_NOT_RUN. Never NULL. */
sh_run *sh_run_parse(dw_arena *a, const dw_dockerfile *df, const dw_instr *in, const dw_instr *shell);

/* Parses every RUN of the file in one pass, following SHELL per stage (a
 * stage built FROM an earlier stage inherits its SHELL). Returns an array
 * of df->ninstrs entries: runs[i] for df->instrs[i], NULL when it is not a
 * RUN or ONBUILD RUN. */
sh_run **sh_runs_parse(dw_arena *a, const dw_dockerfile *df);

/* Builds the commands of scripts the caller parsed itself (tests, fuzzing):
 * fills run->cmds. `src`/`len` are the file's bytes (for exec-form words). */
void sh_run_build(dw_arena *a, sh_run *run, const char *src, uint32_t len);

/* ---- queries ---- */

/* The command's name is `name`. */
bool sh_cmd_is(const sh_cmd *c, const char *name);
/* The command's name is one of the names (NULL-terminated). */
bool sh_cmd_is_any(const sh_cmd *c, ...) __attribute__((sentinel));
/* The first positional argument is `sub`. */
bool sh_cmd_subcommand_is(const sh_cmd *c, const char *sub);
/* Has the flag: "-y" a short flag, "--yes" a long one, "yes" either. */
bool sh_cmd_has_flag(const sh_cmd *c, const char *flag);
/* Has any of the flags (NULL-terminated, spelled as for sh_cmd_has_flag). */
bool sh_cmd_has_any_flag(const sh_cmd *c, ...) __attribute__((sentinel));
/* The first such flag, or NULL. */
const sh_flag *sh_cmd_flag(const sh_cmd *c, const char *flag);
/* Some argument (argv[1…]) has the value `arg` (hadolint's hasArg). */
bool sh_cmd_has_arg(const sh_cmd *c, const char *arg);
/* The positional arguments; *n gets their count. */
const sh_word *const *sh_cmd_positionals(const sh_cmd *c, uint32_t *n);
/* The NAME=value word for `name` among the assignments that apply, or NULL. */
const sh_word *sh_cmd_assign(const sh_cmd *c, const char *name);
/* Re-reads flags and positionals with the caller's table of value-taking
 * options (hadolint's "drop flag value" lists). */
void sh_cmd_reclassify(dw_arena *a, sh_cmd *c, const sh_flagspec *spec);
/* The next command named `name` after `after` (NULL: from the start), or
 * NULL. name NULL matches any command. */
const sh_cmd *sh_run_next(const sh_run *r, const sh_cmd *after, const char *name);
/* Some command of the run is named `name`. */
static inline bool sh_run_has(const sh_run *r, const char *name) { return sh_run_next(r, NULL, name) != NULL; }
/* Line and column (1-based) of a word in the file. */
static inline dw_pos sh_word_pos(const dw_dockerfile *df, const sh_word *w) { return dw_linemap_pos(&df->lines, w->span.start); }

/* ---- program tables (sh_progs.c) ---- */
typedef enum { SH_PROG_PLAIN, SH_PROG_WRAPPER, SH_PROG_SHELL, SH_PROG_PYTHON, SH_PROG_SU } sh_prog_kind;
typedef struct sh_prog {
    const char *name;
    size_t len;            /* strlen(name) */
    sh_prog_kind kind;
    sh_flagspec flags;
    uint8_t skip;          /* WRAPPER: operands before the command (timeout's duration) */
    bool assigns;          /* WRAPPER: NAME=value words before the command (env, sudo) */
    const char *nocmd;     /* short options after which nothing is run (command -v) */
} sh_prog;
/* The table entry for a program name (trailing version digits ignored:
 * pip3 and python3.12 are pip and python), or NULL. */
const sh_prog *sh_prog_find(dw_str name);
/* True for POSIX-like shells: sh, bash, dash, ash, zsh, ksh, mksh, … */
bool sh_prog_is_shell(dw_str name);
/* True for shells whose scripts are not POSIX: pwsh, powershell, cmd. */
bool sh_prog_is_non_posix_shell(dw_str name);
/* True when the option `name` takes a value under `spec`. */
bool sh_flagspec_takes_value(const sh_flagspec *spec, dw_str name, bool is_long);

#endif
