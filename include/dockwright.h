/* dockwright.h — the public API of libdockwright.
 *
 * Everything a parsed file owns lives in one arena and is freed with the
 * file. Strings are {ptr,len} views (not NUL-terminated unless stated);
 * spans are byte offsets [start,end) into the file's original bytes. */
#ifndef DOCKWRIGHT_H
#define DOCKWRIGHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DW_VERSION "0.1.0"

/* ---- basic types ---- */
typedef struct { const char *ptr; size_t len; } dw_str;
typedef struct { uint32_t start, end; } dw_span;

typedef struct dw_arena_block dw_arena_block;
typedef struct { dw_arena_block *head; size_t total; void *adopted; } dw_arena;

void dw_arena_init(dw_arena *a);
void *dw_arena_alloc(dw_arena *a, size_t n); /* zeroed; exits(2) on OOM */
char *dw_arena_memdup(dw_arena *a, const void *p, size_t n); /* NUL-terminated */
char *dw_arena_printf(dw_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void dw_arena_adopt(dw_arena *a, void *malloced); /* freed with the arena */
void dw_arena_free(dw_arena *a);

/* ---- line table: byte offset -> 1-based line / column ---- */
typedef struct {
    const char *src;
    uint32_t len;
    uint32_t *starts; /* offset of the first byte of each line */
    uint32_t count;
    /* the last position computed: a later offset on the same line counts on
     * from there, so many findings on one long line stay linear */
    uint32_t memo_line, memo_off, memo_col;
} dw_linemap;

typedef struct { uint32_t line, col; } dw_pos; /* col counts code points, tab = 1 */

void dw_linemap_build(dw_linemap *m, dw_arena *a, const char *src, uint32_t len);
uint32_t dw_linemap_line(const dw_linemap *m, uint32_t offset); /* 1-based */
dw_pos dw_linemap_pos(const dw_linemap *m, uint32_t offset);
/* The bytes of line `line` (1-based) without its terminator. */
dw_str dw_linemap_text(const dw_linemap *m, uint32_t line);

/* ---- diagnostics ---- */
typedef enum {
    DW_SEV_OFF = 0,
    DW_SEV_STYLE,
    DW_SEV_INFO,
    DW_SEV_WARNING,
    DW_SEV_ERROR
} dw_severity;

const char *dw_severity_name(dw_severity s);
int dw_severity_parse(const char *name, dw_severity *out); /* 0 ok, -1 unknown */

typedef struct {
    dw_span span;
    dw_str text;
} dw_edit;

struct dw_rule;

/* A secondary location shown with a diagnostic ("first defined here"). */
typedef struct {
    dw_span span;
    const char *label;
} dw_related;

typedef struct {
    const char *rule;     /* slug, e.g. "syntax-error" */
    const struct dw_rule *meta; /* the rule's descriptor (filled by the lint engine) */
    dw_severity severity;
    dw_span span;         /* primary span */
    const char *message;  /* lowercase start, no final period */
    const char *help;     /* optional */
    const char *label;    /* optional label for the primary span */
    dw_related *related;  /* optional secondary spans */
    uint32_t nrelated;
    dw_edit *edits;       /* optional fix */
    uint32_t nedits;
    bool fix_safe;
    const char *code;     /* this finding's own alias, listed before the rule's
                           * (ShellCheck's "SC2086" on a `shellcheck` finding), or NULL */
} dw_diag;

typedef struct { dw_diag *v; uint32_t n, cap; } dw_diags;

/* ---- Dockerfile AST ---- */
#define DW_INSTRUCTIONS(X)                                                     \
    X(ADD, "add") X(ARG, "arg") X(CMD, "cmd") X(COPY, "copy")                  \
    X(ENTRYPOINT, "entrypoint") X(ENV, "env") X(EXPOSE, "expose")              \
    X(FROM, "from") X(HEALTHCHECK, "healthcheck") X(LABEL, "label")            \
    X(MAINTAINER, "maintainer") X(ONBUILD, "onbuild") X(RUN, "run")            \
    X(SHELL, "shell") X(STOPSIGNAL, "stopsignal") X(USER, "user")              \
    X(VOLUME, "volume") X(WORKDIR, "workdir")

typedef enum {
    DW_I_UNKNOWN = 0,
#define X(k, n) DW_I_##k,
    DW_INSTRUCTIONS(X)
#undef X
    DW_I__COUNT
} dw_instr_kind;

const char *dw_instr_name(dw_instr_kind k); /* lower-case name */
dw_instr_kind dw_instr_lookup(dw_str name); /* case-insensitive */

/* A word of an instruction: its value as BuildKit stores it (raw shell text,
 * or the decoded JSON string in exec form) and where it is in the file. */
typedef struct {
    dw_str text;
    dw_span span;
    dw_str expanded; /* after variable expansion, when the instruction expands */
    bool has_expanded;
} dw_word;

/* A --flag word, unquoted as BuildKit's flag splitter does ("--from=x"). */
typedef struct {
    dw_str raw;   /* the whole word, e.g. --mount=type=cache,target=/x */
    dw_str name;  /* without the dashes, e.g. mount */
    dw_str value; /* after '=' */
    bool has_value;
    dw_span span;
} dw_flag;

/* ENV/LABEL pair (sep "=" or legacy ""), or ARG name[=value]. */
typedef struct {
    dw_word key;
    dw_word value;
    bool has_eq;
} dw_kv;

typedef struct {
    dw_str name;      /* delimiter with quotes removed */
    dw_str content;   /* raw body, each line with its terminator */
    uint32_t fd;      /* N in N<<EOF, 0 when absent */
    bool expand;      /* false when any part of the delimiter was quoted */
    bool chomp;       /* <<- */
    dw_span word_span;   /* the <<EOF word in the instruction */
    dw_span body_span;   /* body bytes */
    dw_span end_span;    /* terminator line */
} dw_heredoc;

/* Parsed --mount value of RUN. */
typedef enum { DW_MOUNT_BIND, DW_MOUNT_CACHE, DW_MOUNT_TMPFS, DW_MOUNT_SECRET, DW_MOUNT_SSH, DW_MOUNT_UNKNOWN } dw_mount_type;
typedef struct {
    dw_mount_type type;
    dw_str type_text, target, source, from, id, sharing, mode, uid, gid, env, size;
    bool has_target, has_source, has_from, has_id, has_sharing, has_mode, has_uid, has_gid, has_env;
    int readonly;  /* -1 default, 0 rw, 1 ro */
    int required;  /* -1 default, 0/1 */
    int from_stage; /* resolved stage index, -1 = image/context or none */
    dw_span span;
} dw_mount;

/* Where a piece of the joined instruction text starts, in it and in the
 * file; a piece runs to the next one's start (the last to the end of the
 * text). A physical line makes a piece, so no length is stored: a long RUN
 * has one per line. */
typedef struct { uint32_t joined, file; } dw_seg;

typedef struct dw_comment {
    dw_str text;  /* without '#', trimmed */
    dw_span span; /* the whole comment line (after leading blanks) */
} dw_comment;

typedef struct dw_instr {
    dw_instr_kind kind;
    bool json;             /* exec form */
    uint32_t line, end_line; /* 1-based, as BuildKit's StartLine/EndLine */
    dw_str keyword;        /* as written, e.g. "Run" */
    dw_span keyword_span;
    dw_span span;          /* keyword .. end of last line (heredoc bodies included) */
    dw_str original;       /* the joined line, continuations removed */
    dw_str args_text;      /* argument text after the flags, trimmed */
    dw_span args_span;
    int stage;             /* index of the stage it belongs to, -1 before the first FROM */
    int from_stage;        /* COPY --from resolved to a stage index, else -1 */
    /* The lists: two pointers, then their two counts, so that no padding
     * is wasted (a big file has hundreds of thousands of instructions). */
    dw_flag *flags;
    dw_word *args;         /* BuildKit's Next chain (see parse.h) */
    uint32_t nflags, nargs;
    dw_kv *kvs;            /* ENV, LABEL, ARG */
    dw_heredoc *heredocs;
    uint32_t nkvs, nheredocs;
    dw_comment *comments;  /* BuildKit's PrevComment */
    uint32_t *empty_lines; /* empty continuation lines (1-based) */
    uint32_t ncomments, nempty_lines;
    dw_mount *mounts;      /* RUN --mount */
    dw_seg *segs;          /* mapping of the joined text back to the file */
    uint32_t nmounts, nsegs;
    struct dw_instr *sub;  /* ONBUILD trigger */
    const char *error;     /* non-NULL: an error node; a syntax-error was reported */
    const char *joined_base; /* the joined text that segs maps */
} dw_instr;

typedef enum { DW_BASE_IMAGE, DW_BASE_STAGE, DW_BASE_SCRATCH } dw_base_kind;

/* An image reference split as the distribution reference grammar does. */
typedef struct {
    dw_str registry;   /* e.g. docker.io (implied when absent), ghcr.io */
    dw_str repository; /* path without registry, e.g. library/ubuntu */
    dw_str tag;        /* empty when absent */
    dw_str digest;     /* empty when absent */
    bool explicit_registry;
    bool valid;
} dw_imageref;

typedef struct {
    uint32_t index;
    dw_str name;        /* as written, empty if unnamed */
    dw_str name_lower;
    dw_span name_span;
    dw_instr *from;
    dw_str base;        /* the image word as written */
    dw_str base_expanded;
    dw_base_kind base_kind;
    int base_stage;     /* when base_kind == DW_BASE_STAGE */
    dw_imageref image;  /* when base_kind == DW_BASE_IMAGE */
    dw_str platform;    /* --platform as written, empty when absent */
    dw_str platform_expanded;
    uint32_t first, count; /* instructions [first, first+count) incl. FROM */
} dw_stage;

typedef struct {
    dw_str name;   /* lower-case */
    dw_str value;
    uint32_t line;
    dw_span span;
} dw_directive;

typedef struct {
    const char *name;  /* NAME=VALUE build arguments given on the command line */
    const char *value;
} dw_build_arg;

typedef struct {
    const dw_build_arg *build_args;
    uint32_t nbuild_args;
} dw_parse_opts;

typedef struct dw_dockerfile {
    dw_arena arena;
    const char *path;
    const char *src;      /* the original bytes, owned by the arena */
    uint32_t len;
    dw_linemap lines;
    char escape;          /* '\\' or '`' */
    bool bom;
    dw_directive *directives; uint32_t ndirectives;
    dw_instr *instrs; uint32_t ninstrs;
    dw_comment *comments; uint32_t ncomments; /* every comment line */
    dw_stage *stages; uint32_t nstages;
    dw_kv *global_args; uint32_t nglobal_args; /* ARGs before the first FROM */
    dw_diags diags;
} dw_dockerfile;

/* Parses a Dockerfile. Never fails: errors become error nodes and
 * syntax-error diagnostics. `src` is copied. Returns NULL only when the file
 * is larger than 4 GiB. */
dw_dockerfile *dw_dockerfile_parse(const char *path, const char *src, size_t len,
                                   const dw_parse_opts *opts);
/* The same, taking ownership of `src`, a malloc'd buffer (no copy is made;
 * it is freed with the file, or at once when NULL is returned). */
dw_dockerfile *dw_dockerfile_parse_owned(const char *path, char *src, size_t len,
                                         const dw_parse_opts *opts);
/* Reads and parses the file at `path` ("-" = standard input); `name` is the
 * name diagnostics show (NULL: path). A big regular file is mapped rather
 * than copied, so it must not be changed while the result is in use.
 * Returns NULL with errno set when the file cannot be read (EFBIG: larger
 * than 4 GiB). */
dw_dockerfile *dw_dockerfile_parse_path(const char *path, const char *name, const dw_parse_opts *opts);
void dw_dockerfile_free(dw_dockerfile *df);

/* Maps an offset in an instruction's joined text (a pointer into it) to the
 * file offset. */
uint32_t dw_instr_file_offset(const dw_instr *in, const char *p);
dw_span dw_instr_file_span(const dw_instr *in, const char *p, size_t len);

/* Writes the AST in the format of BuildKit's parser test `result` files. */
void dw_dockerfile_dump(const dw_dockerfile *df, FILE *out);
/* Go's strconv.Quote of s, appended to out. */
void dw_go_quote(FILE *out, dw_str s);

/* True when the file has a diagnostic of rule `rule`. */
bool dw_diags_has(const dw_diags *d, const char *rule);

/* Prints one diagnostic as `file:line:col: severity: message [rule]`. */
void dw_output_gnu_one(FILE *out, const char *path, const dw_linemap *lines, const dw_diag *d);

/* ---- rules ---- */
typedef struct dw_lint dw_lint;

typedef struct dw_rule {
    const char *slug;       /* kebab-case, stable */
    const char *family;     /* "dockerfile", "shell", "compose", ... */
    dw_severity severity;   /* severity when enabled */
    bool default_off;       /* off unless enabled (config, --enable, pragma) */
    bool experimental;      /* BuildKit experimental: runs only when enabled */
    const char *aliases;    /* comma-separated peer names: "DL3024,DuplicateStageName" */
    const char *summary;    /* one line, lower-case start */
    const char *fix;        /* "safe", "unsafe" or NULL */
    void (*check)(dw_lint *ctx); /* NULL for rules reported by the parser or engine */
    uint32_t index;
    bool also_compose;      /* a Dockerfile rule that also checks Compose projects */
} dw_rule;

/* Every rule, in rules.def order. */
const dw_rule *dw_rules(uint32_t *count);
/* The rule whose slug is `slug`, or NULL. */
const dw_rule *dw_rule_by_slug(const char *slug);
/* The rules addressed by `name`: a slug, or an alias (which may name several
 * rules); a ShellCheck code (SC2086) names the `shellcheck` rule. Returns how
 * many were stored in out (at most max). */
uint32_t dw_rules_named(const char *name, const dw_rule **out, uint32_t max);
/* The rule's documentation page (docs/rules/<slug>.md), or NULL. */
const char *dw_rule_doc(const char *slug);
/* True when `alias` is among the rule's aliases. */
bool dw_rule_has_alias(const dw_rule *r, const char *alias, size_t len);
/* The number of a ShellCheck code written `SC` + 4 digits (any case), else 0. */
uint32_t dw_sc_code(const char *name, size_t len);

/* ---- configuration ---- */
typedef enum {
    DW_LABEL_TEXT, DW_LABEL_URL, DW_LABEL_SEMVER, DW_LABEL_HASH, DW_LABEL_RFC3339,
    DW_LABEL_SPDX, DW_LABEL_EMAIL
} dw_label_type;

typedef struct { const char *name; dw_label_type type; } dw_label_rule;

/* Which tool's config file a setting came from. */
typedef enum {
    DW_CONFIG_NONE,        /* defaults */
    DW_CONFIG_DOCKWRIGHT,  /* .dockwright.yaml, $XDG_CONFIG_HOME/dockwright/config.yaml */
    DW_CONFIG_HADOLINT,    /* .hadolint.yaml, mapped */
    DW_CONFIG_DCLINT       /* .dclintrc*, mapped for the Compose rules */
} dw_config_source;

/* A config file that was read, with the findings about it (config-error),
 * reported as findings of that file. */
typedef struct {
    const char *path;      /* as shown: relative to the working folder when under it */
    const char *abs_dir;   /* absolute folder holding it */
    dw_config_source source;
    const char *src;       /* its bytes */
    uint32_t len;
    dw_linemap lines;
    dw_diags diags;        /* config-error findings, sorted */
} dw_config_file;

struct dw_yaml_node;

/* A rule setting as a peer's config wrote it (dclint's `rules`), kept for
 * rules that do not exist yet and for the rule options. */
typedef struct {
    const char *name;      /* as written */
    dw_severity severity;  /* dclint level 0/1/2 = off/warning/error */
    const struct dw_yaml_node *options; /* the {options} of [level, {options}], or NULL */
} dw_rule_setting;

/* A setting of one ShellCheck code, i.e. of the `shellcheck` rule restricted
 * to the findings carrying that code (SC2086 -> 2086). */
typedef struct { uint32_t code; dw_severity severity; /* DW_SEV_OFF = disabled */ } dw_code_setting;

typedef struct dw_config {
    dw_arena arena;
    const char *path;             /* the file it came from, NULL for defaults */
    dw_severity *severity;        /* per rule index; DW_SEV_OFF = disabled */
    bool *enabled_explicitly;     /* per rule index: --enable / config turned it on */
    dw_severity failure_threshold;
    bool no_fail;
    const char **trusted_registries; uint32_t ntrusted;
    dw_label_rule *labels; uint32_t nlabels;
    bool strict_labels;
    bool disable_ignore_pragma;
    const char **exclude; uint32_t nexclude;
    bool shellcheck;
    /* set by dw_config_load (all zero for defaults) */
    dw_config_source source;      /* the kind of file `path` is */
    dw_config_file *files; uint32_t nfiles; /* every config file read */
    const char *exclude_base;     /* absolute folder the `exclude` globs are relative to */
    const char **ignored_codes; uint32_t nignored_codes; /* hadolint `ignored` as written (SC codes too) */
    dw_rule_setting *compose_rules; uint32_t ncompose_rules; /* dclint `rules` */
    const char **compose_exclude; uint32_t ncompose_exclude; /* dclint `exclude`: Compose files only */
    const char *compose_exclude_base;
    /* --severity / rules: / hadolint overrides set this rule's level (per rule
     * index); the shellcheck rule keeps ShellCheck's own levels otherwise */
    bool *severity_set;
    dw_code_setting *sc_codes; uint32_t nsc_codes, sc_codes_cap; /* SCxxxx named in --disable, ignored:, ... */
} dw_config;

/* A configuration with every rule at its default. */
dw_config *dw_config_new(void);
void dw_config_free(dw_config *c);
/* Sets the severity of the rules addressed by `name` (slug or alias);
 * DW_SEV_OFF disables. A ShellCheck code (SC2086) addresses the `shellcheck`
 * rule restricted to that code. Returns the number of rules changed
 * (0 = unknown name). */
uint32_t dw_config_set(dw_config *c, const char *name, dw_severity sev);
/* Turns on the rules addressed by `name` at their own severity. */
uint32_t dw_config_enable(dw_config *c, const char *name);

/* Adds a trusted registry (hadolint's trustedRegistries). */
void dw_config_add_registry(dw_config *c, const char *registry);
/* Adds a required label from "NAME:TYPE"; returns -1 when malformed. */
int dw_config_add_label(dw_config *c, const char *spec);
/* Loads the configuration that applies to `start` (a file or folder): the
 * file given (`path`), else .dockwright.yaml in the folder or a parent up to
 * the repository root, else $XDG_CONFIG_HOME/dockwright/config.yaml, else
 * hadolint's and dclint's config files, mapped. Findings about the config
 * itself (config-error) are kept in c for the report. Returns 0, or -1 with
 * *err (malloc'd) when the named file cannot be read.
 * Details: `path` is read as hadolint's config when its name contains
 * "hadolint", as dclint's when it starts with ".dclintrc" or "dclint", else
 * as dockwright's. When hadolint's mapping is used, the HADOLINT_*
 * environment variables apply under the file (lists merge) and the failure
 * threshold defaults to hadolint's `info`. */
int dw_config_load(dw_config *c, const char *path, const char *start, char **err);
/* Gives the findings about the config files themselves (config-error) the
 * severity the configuration now sets for their rule, dropping them when it
 * is off: call it once the command line's settings are applied on top of
 * the files (they were found while the files were read). */
void dw_config_settle_files(dw_config *c);

/* ---- the build context: what `docker build` sends ---- */

/* A growable byte buffer on malloc'd memory (scratch for building text);
 * zero-initialise it, free it with dw_buf_free. */
typedef struct { char *p; size_t n, cap; } dw_buf;
void dw_buf_put(dw_buf *b, const void *p, size_t n);
void dw_buf_putc(dw_buf *b, char c);
void dw_buf_puts(dw_buf *b, const char *s);
void dw_buf_printf(dw_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dw_buf_free(dw_buf *b);

/* Code points in n bytes of UTF-8 (an invalid byte counts as one). */
size_t dw_utf8_count(const char *p, size_t n);
/* Appends n bytes of s to b as safe one-line UTF-8 text: invalid bytes,
 * controls, line/paragraph separators and bidi overrides become U+FFFD, a
 * tab or line break a space, so text from a file cannot drive a terminal. */
void dw_out_clean(dw_buf *b, const char *s, size_t n);
/* A size for people, as docker prints it: "512 B", "1.5 kB", "12.0 MB"
 * (powers of 1000, one decimal), written to out. */
const char *dw_format_size(uint64_t bytes, char out[24]);
/* A jansson string of n bytes, invalid UTF-8 replaced by U+FFFD. */
struct json_t;
struct json_t *dw_json_text(const char *p, size_t n);

typedef struct dw_context_report dw_context_report;

typedef struct {
    const char *dockerfile;   /* its path; "-" (stdin) is not read */
    bool dockerfile_given;    /* named by the user: unreadable is an error */
    uint32_t top;             /* how many folders and files to keep as the largest */
    bool list;                /* keep every sent path (dw_context_report_next_path) */
    /* called every 1024 entries with the entries and bytes seen so far; NULL = none */
    void (*progress)(uint64_t entries, uint64_t bytes, void *ud);
    void *progress_ud;
} dw_context_report_opts;

typedef struct { uint64_t files, dirs, symlinks, other, bytes; } dw_context_totals;
/* A top-level folder (files: the non-folder entries it sends) or a file (files = 1). */
typedef struct { const char *path; uint64_t bytes, files; } dw_context_size;

/* A pattern the ignore file should add, with what it would leave out. */
typedef struct {
    const char *pattern;      /* "**" "/" + name when found below the root */
    const char *category;     /* vcs, deps, build, cache, secret, editor */
    const char *reason;       /* why no build needs it */
    const char *path;         /* the first path found */
    bool secret;
    uint64_t count, files, bytes;
} dw_context_suggestion;

/* A COPY/ADD source or RUN --mount=type=bind read from the context. */
typedef struct {
    uint32_t line;
    const char *instruction;  /* "COPY", "ADD", "RUN --mount" */
    const char *source;       /* as written (expanded) */
    uint64_t files, bytes;    /* sent entries it uses (folders not counted) */
    uint64_t excluded;        /* entries it names that the ignore file leaves out */
    uint64_t dropped;         /* entries its --exclude leaves out */
    bool matches_nothing;     /* names nothing (a wildcard may) */
    bool truncated;           /* the search was cut short: figures are at least */
    const char *failure;      /* why the build fails on it, or NULL */
} dw_context_copy;

typedef enum {
    DW_CTX_ERR_PATTERN,       /* an invalid ignore pattern: file:line:col */
    DW_CTX_ERR_IGNORE_FILE,   /* the ignore file cannot be read (message: strerror) */
    DW_CTX_ERR_FOLDER         /* a folder cannot be read: file is its path */
} dw_context_error_kind;
typedef struct {
    dw_context_error_kind kind;
    const char *file;
    uint32_t line, col;       /* 0 when not about a line */
    const char *message;
} dw_context_error;

/* The report, read-only; lists are sorted as shown (largest first,
 * suggestions by category then size, copies in file order). */
typedef struct {
    const char *context, *dockerfile;
    bool have_dockerfile;     /* it was read */
    const char *ignore_file;  /* the one read (no leading "./"), NULL = none */
    uint32_t npatterns;
    dw_context_totals sent, all; /* with and without the ignore file */
    const dw_context_size *dirs; uint32_t ndirs;    /* largest top-level folders (bytes > 0) */
    const dw_context_size *files; uint32_t nfiles;  /* largest files (bytes > 0) */
    const dw_context_suggestion *suggestions; uint32_t nsuggestions;
    const dw_context_copy *copies; uint32_t ncopies;
    bool all_used;            /* a source takes the whole context */
    uint64_t unused_files, unused_bytes; /* sent but used by no source */
    const dw_context_error *errors; uint32_t nerrors;
    int walk_errno;           /* nonzero: the context could not be walked (the rest is partial) */
} dw_context_summary;

/* Walks the build context `dir` against its ignore file (BuildKit's:
 * <Dockerfile>.dockerignore beside the Dockerfile, else dir/.dockerignore)
 * and the Dockerfile's COPY/ADD sources. Returns NULL with errno set only
 * when a Dockerfile named by the user cannot be read; other failures are
 * in the summary's errors and walk_errno. Free with dw_context_report_free. */
dw_context_report *dw_context_report_build(const char *dir, const dw_context_report_opts *opts);
const dw_context_summary *dw_context_report_summary(const dw_context_report *r);
/* With opts.list: the sent paths in bytewise order, one per call from
 * *it = 0; NULL after the last. */
const char *dw_context_report_next_path(const dw_context_report *r, uint32_t *it);
void dw_context_report_free(dw_context_report *r);

/* ---- discovery ---- */
typedef enum { DW_FILE_DOCKERFILE, DW_FILE_COMPOSE, DW_FILE_DOCKERIGNORE } dw_file_kind;
typedef struct { char *path; bool from_stdin; dw_file_kind kind; } dw_found_file;
typedef struct { dw_found_file *v; uint32_t n, cap; } dw_found;

/* True for Dockerfile names: Dockerfile, Containerfile, Dockerfile.*,
 * Containerfile.*, *.Dockerfile, *.dockerfile (never *.bak, *.orig, *.swp,
 * *~ or *.dockerignore). */
bool dw_is_dockerfile_name(const char *name);
/* True for compose.y(a)ml, docker-compose.y(a)ml and their *.y(a)ml variants. */
bool dw_is_compose_name(const char *name);
/* True for compose.override.y(a)ml and docker-compose.override.y(a)ml. */
bool dw_is_compose_override_name(const char *name);
/* True for .dockerignore and <Dockerfile name>.dockerignore. */
bool dw_is_dockerignore_name(const char *name);
/* Adds the build files under `path` (a directory is walked, skipping .git,
 * node_modules, .venv, vendor and, with use_gitignore, what .gitignore
 * excludes; a file is taken whatever its name). Dockerfiles, Compose
 * files and .dockerignore files are found, each with its kind. The config's `exclude` globs (and
 * dclint's, for Compose files) skip files and folders under a walked
 * directory. Returns -1 with *why when `path` cannot be read. */
int dw_discover(const char *path, bool use_gitignore, const dw_config *cfg, dw_found *out, const char **why);
void dw_found_add(dw_found *f, const char *path, bool from_stdin); /* a Dockerfile */
void dw_found_add_kind(dw_found *f, const char *path, bool from_stdin, dw_file_kind kind);
void dw_found_free(dw_found *f);

/* ---- linting ---- */
typedef struct {
    const dw_config *config;
    const char *target;        /* --target STAGE, NULL = the last stage */
    const dw_build_arg *build_args;
    uint32_t nbuild_args;
    const char *context_dir;   /* the build context, NULL = unknown */
} dw_lint_opts;

/* Runs every enabled rule over a parsed Dockerfile, applies inline pragmas
 * and severities, and leaves the findings, sorted, in df->diags (parser
 * syntax errors included). */
void dw_lint_dockerfile(dw_dockerfile *df, const dw_lint_opts *opts);

/* ---- a check run: Compose projects, ignore files, fixes ---- */
/* One `check` over the files dw_discover found. They are linted in three
 * phases, because each needs the one before: Compose projects first (their
 * `build:` sections say which folder is a Dockerfile's build context), then
 * the Dockerfiles (with those contexts), then the ignore files found and the
 * ones those builds read. Each phase runs on a pool of threads; the results
 * do not depend on how many. */
typedef struct dw_check_run dw_check_run;
struct dw_file_result;
struct dw_error;

/* A run over the files of `found` (copied: `found` may be freed). An
 * override Compose file found beside its base file is not a project of its
 * own: the base file's project merges it. `popts` and `lopts` are kept and
 * must outlive the run; a Dockerfile that a Compose service builds is linted
 * with that service's build context instead of lopts->context_dir. */
dw_check_run *dw_check_run_new(const dw_found *found, const dw_parse_opts *popts, const dw_lint_opts *lopts);
/* Lints every file of the run on up to `threads` threads. A file that
 * cannot be read becomes one of dw_check_run_errors. */
void dw_check_run_lint(dw_check_run *r, uint32_t threads);
/* The findings of every file linted, sorted by path; a file read by several
 * Compose projects (included, extended, a shared .env) is given once, as
 * the project with the most findings about it saw it. The array and what it
 * points to live until the next call or dw_check_run_free. */
const struct dw_file_result *dw_check_run_files(dw_check_run *r, uint32_t *n);
/* The files that could not be read (or, by dw_check_run_fix, written):
 * Dockerfiles, then ignore files, then Compose files. Lives as _files. */
const struct dw_error *dw_check_run_errors(dw_check_run *r, uint32_t *n);
void dw_check_run_free(dw_check_run *r);

typedef struct {
    bool unsafe;   /* also the unsafe fixes (they may change what the build does) */
    bool diff;     /* print unified diffs to `out` instead of writing the files */
    FILE *out;     /* the diffs, and a Dockerfile read from stdin, printed fixed */
    FILE *err;     /* why a file was not fixed */
} dw_fix_opts;

typedef struct {
    uint32_t fixed, files; /* findings fixed, files changed (with diff: would be) */
    uint32_t refused;      /* files where some rule's fixes were left out: with them the text would
                            * parse worse or gain a finding */
    bool diffed;           /* a diff was printed */
    bool from_stdin;       /* a Dockerfile came from stdin (printed fixed unless diff) */
} dw_fix_stats;

/* After dw_check_run_lint: fixes the Dockerfiles and Compose projects of the
 * run — fixes that do not overlap applied and re-linted until nothing
 * changes (10 passes at most); when the result parses worse or gains a
 * finding, the rules' fixes are tried one rule at a time and those to blame
 * left out; the rest is written atomically (refused when the
 * file changed on disk meanwhile). Files read through a Compose include or
 * extends are not changed. The run then holds the fixed texts' findings. */
void dw_check_run_fix(dw_check_run *r, const dw_fix_opts *o, dw_fix_stats *st);

/* A Compose project loaded as `docker compose config` loads it. Opaque: the
 * rules see its model through the library's internal headers. */
typedef struct dw_compose_project dw_compose_project;

typedef struct {
    const char *const *env_files; uint32_t nenv_files; /* --env-file, in order; none: <dir>/.env */
    const char *const *profiles; uint32_t nprofiles;   /* --profile */
    const char *project_name;  /* -p, or NULL */
    const char *project_dir;   /* --project-directory; NULL = the first file's folder */
    bool no_override;          /* do not merge compose.override.y(a)ml (Compose merges it only
                                * into a file it found itself) */
} dw_compose_config_opts;

/* Loads the project of the Compose files `paths` (in -f order, shown as
 * given), with variables interpolated and files merged. Bad content is not
 * a failure (see dw_compose_config_error). Returns NULL (errno set, *why a
 * static message) only when a named file cannot be read. */
dw_compose_project *dw_compose_config_load(const char *const *paths, uint32_t npaths,
                                           const dw_compose_config_opts *opts, const char **why);
void dw_compose_free(dw_compose_project *p);
/* Writes the resolved project as `docker compose config` prints it (YAML, or
 * JSON with `json`); nothing when no file loaded. */
void dw_compose_print(FILE *out, const dw_compose_project *p, bool json);
/* What would stop `docker compose config`, in Compose's words ("empty
 * compose file", "validating FILE: ..."), built in `buf` when needed; NULL
 * when the project is valid. */
const char *dw_compose_config_error(const dw_compose_project *p, char *buf, size_t size);
/* Writes Compose's warnings as it logs them: each unset variable, and an
 * obsolete top-level `version`. */
void dw_compose_config_warnings(FILE *out, const dw_compose_project *p);

/* ---- results and output ---- */
typedef struct dw_error {
    const char *file;    /* the path as the user named it, or "" */
    const char *message;
} dw_error;

/* The findings of one file, with what the writers need to show them. */
typedef struct dw_file_result {
    const char *path;           /* shown path */
    const char *src;            /* the file's bytes (snippets) */
    uint32_t len;
    const dw_linemap *lines;
    const dw_diags *diags;
} dw_file_result;

typedef struct {
    const dw_file_result *files;
    uint32_t nfiles;
    const dw_error *errors;
    uint32_t nerrors;
    bool color;                 /* tty: emit ANSI colour */
    dw_severity threshold;      /* for summaries */
} dw_results;

typedef enum {
    DW_FMT_TTY, DW_FMT_GNU, DW_FMT_JSON, DW_FMT_SARIF, DW_FMT_CHECKSTYLE, DW_FMT_CODECLIMATE,
    DW_FMT_GITHUB, DW_FMT_JUNIT, DW_FMT_SONARQUBE, DW_FMT_HADOLINT
} dw_format;

/* Parses a --format name; returns -1 when unknown. */
int dw_format_parse(const char *name, dw_format *out);
const char *dw_format_names(void); /* "tty, gnu, json, ..." for messages */
/* Writes every finding and error in `fmt` to `out`. */
void dw_output(FILE *out, dw_format fmt, const dw_results *r);

/* Reads a whole file. Returns malloc'd bytes, or NULL with errno set. */
char *dw_read_file(const char *path, size_t *len);

#endif
