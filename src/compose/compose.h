/* compose.h — Compose files loaded the way `docker compose` (compose-go)
 * loads them, into a value tree whose every node remembers the file and
 * position it was written at.
 *
 * The pipeline, as compose-go runs it:
 *   1. YAML → dw_yaml_stream (src/yaml/yaml_tree.h: positions, anchors,
 *      alias-bomb bounds);
 *   2. → dw_cv tree (cv.c): aliases expanded, `<<` merge keys applied,
 *      duplicate keys found, plain scalars typed by the YAML 1.2 core
 *      schema (and YAML 1.1 traps flagged);
 *   3. interpolation of every string value, never keys (interp.c), with the
 *      process environment, then `.env` / --env-file (dotenv.c);
 *   4. schema validation (schema.c);
 *   5. `extends`, `include`, override files merged (project.c), profiles;
 *   6. the rules of section E (src/rules/compose_*.c) over the merged model,
 *      each finding pointing at the file and position its node came from.
 * Findings of steps 1–5 (yaml-syntax, duplicate-key, invalid-interpolation,
 * undefined-variable, compose-schema, ...) go to the diags of the file they
 * are about. */
#ifndef DW_COMPOSE_H
#define DW_COMPOSE_H

#include "../util/util.h"
#include "../util/diag.h"
#include "../yaml/yaml_tree.h"

/* ---- the value tree ---- */

typedef enum {
    DW_CV_NULL,
    DW_CV_BOOL,
    DW_CV_INT,
    DW_CV_FLOAT,
    DW_CV_STR,
    DW_CV_MAP,
    DW_CV_SEQ
} dw_cv_kind;

typedef struct dw_cv dw_cv;

typedef struct {
    dw_str key;            /* decoded key text (keys are never interpolated) */
    dw_span key_span;      /* where the key is written (file: value->file) */
    dw_pos key_pos;
    dw_cv *value;
} dw_cv_pair;

struct dw_cv {
    dw_cv_kind kind;
    uint16_t file;         /* index into the project's files: where it was written */
    uint8_t style;         /* dw_yaml_style of the node as written */
    bool interpolated;     /* the scalar held $VAR / ${...} (before: `raw`) */
    bool yaml11_trap;      /* a plain string a YAML 1.1 reader types differently:
                              `22:22` (base 60 = 1342), yes/no/on/off/y/n (booleans) */
    bool synthetic;        /* made by merging/normalising, not written anywhere */
    dw_span span;          /* the value as written, in file `file` */
    dw_pos pos;            /* 1-based line:column of span.start */
    dw_str raw;            /* scalars: the text as written (decoded YAML scalar) */
    dw_str s;              /* scalars: the text after interpolation (== raw without $) */
    bool b;                /* DW_CV_BOOL */
    int64_t i;             /* DW_CV_INT */
    double f;              /* DW_CV_FLOAT */
    dw_cv_pair *pairs;     /* DW_CV_MAP, in document order */
    dw_cv **items;         /* DW_CV_SEQ */
    uint32_t n;
    uint32_t cap;          /* internal: room in pairs/items (0: exactly n) */
    uint8_t merge_tag;     /* DW_CV_TAG_RESET / DW_CV_TAG_OVERRIDE: `!reset` / `!override` written on it */
};

#define DW_CV_TAG_RESET 1    /* `!reset`: a later file removes the attribute */
#define DW_CV_TAG_OVERRIDE 2 /* `!override`: a later file replaces it instead of merging */

/* The value of `key` in map `m`, or NULL (also when m is not a map). */
dw_cv *dw_cv_get(const dw_cv *m, const char *key);
/* The pair of `key` in map `m` (for the key's position), or NULL. */
const dw_cv_pair *dw_cv_pair_of(const dw_cv *m, const char *key);
/* The value at a dotted path of map keys ("deploy.resources.limits"), or NULL. */
dw_cv *dw_cv_path(const dw_cv *m, const char *dotted);
/* A scalar's text as Compose would see it as a string: s for strings, the
 * written text for numbers and booleans; {NULL,0} for maps, sequences, null. */
dw_str dw_cv_text(const dw_cv *v);
/* True for DW_CV_BOOL true, or a string Compose's lenient bool fields read as
 * true ("true", "yes", "on", "y", any case). */
bool dw_cv_truthy(const dw_cv *v);
/* "a mapping", "a sequence", "a string", "a number", "a boolean", "null". */
const char *dw_cv_describe(const dw_cv *v);

/* ---- files and the project ---- */

typedef struct dw_compose_file {
    const char *path;      /* as shown (as the user named it, or joined under a walked folder) */
    const char *abs_path;  /* absolute */
    const char *abs_dir;   /* absolute folder holding it */
    const char *src;       /* its bytes */
    uint32_t len;
    dw_linemap lines;
    dw_yaml_stream yaml;   /* parsed YAML (docs NULL on yaml-syntax) */
    dw_cv *root;           /* this file alone: after step 3 (NULL when it does not load) */
    dw_diags diags;        /* findings in this file, sorted by dw_compose_lint */
    bool is_override;      /* compose.override.y(a)ml, merged onto the base */
    bool included;         /* read through `include` or `extends.file` */
    const char *rel_base;  /* absolute folder relative paths written in this file resolve against:
                              the project directory for -f and override files, the file's own
                              folder for an `extends.file`, the `project_directory` of an include */
} dw_compose_file;

/* A variable available to interpolation, and where it came from. */
typedef struct {
    const char *name;
    const char *value;
    uint16_t file;         /* UINT16_MAX: the process environment (or COMPOSE_PROJECT_NAME, which
                              the loader sets to the project name, first); else an env_files index */
    uint32_t line;
} dw_compose_var;

typedef struct {
    const char *path;      /* a .env / --env-file that fed interpolation */
    const char *src;
    uint32_t len;
    dw_linemap lines;
    dw_diags diags;
} dw_env_source;

typedef struct dw_compose_project {
    dw_arena arena;        /* everything of the project lives here */
    const char *name;      /* project name (top-level `name`, else the folder's name, normalised) */
    const char *dir;       /* the project (working) directory, absolute */
    dw_compose_file *files; uint32_t nfiles; /* files[0] is the first -f file */
    dw_env_source *env_files; uint32_t nenv_files;
    dw_compose_var *vars; uint32_t nvars;    /* what interpolation reads, lookup order */
    dw_cv *model;          /* all files merged, extends and include applied; NULL when nothing loaded */
    const char **profiles; uint32_t nprofiles; /* active profiles (--profile / COMPOSE_PROFILES) */
    /* What would stop `docker compose config`, in compose-go's words, in the
     * order met (the first is what Compose prints). The findings that go with
     * them are in the files' diags; some have none (an unset `${X:?msg}`, a
     * missing `extends.file`, which rules report their own way). */
    const char **errors; uint32_t nerrors, errors_cap;
} dw_compose_project;

typedef struct {
    const char *const *env_files; uint32_t nenv_files; /* --env-file, in order; none: <dir>/.env */
    const char *const *profiles; uint32_t nprofiles;
    const char *project_name;  /* -p */
    const char *project_dir;   /* --project-directory; NULL = the first file's folder */
    bool no_environ;           /* tests: do not read the process environment */
    const char *const *environ; /* NULL = the process's `environ` */
    bool no_override;          /* do not merge compose.override.y(a)ml automatically */
    /* `dockwright fix`: the text of a file (by absolute path) to use instead
     * of its bytes on disk — a malloc'd copy — or NULL to read the file */
    char *(*read_text)(void *ud, const char *abs_path, size_t *len);
    void *read_text_ud;
} dw_compose_opts;

/* Loads a project from `paths` (the -f files, in order; shown as given).
 * When exactly one base file is named and opts->no_override is false, its
 * folder's override file is merged after it. Never fails on bad content:
 * problems are findings in the files' diags. Returns NULL (errno set, *why
 * a static message) only when a named file cannot be read.
 *
 * The model, as compose-go builds it before its canonical transform: each
 * file interpolated (values only) and cast, its `include`s imported, its
 * `extends` applied, then merged onto the files before it with compose-go's
 * rules (mappings key by key; command, entrypoint, healthcheck.test
 * replaced; environment, labels, extra_hosts, networks, depends_on, build
 * merged across their short and long forms; other sequences appended, then
 * ports, volumes, secrets, configs, expose, env_file, ... deduplicated by
 * their key; `!reset` and `!override` honoured). Unlike Compose, it keeps:
 *   - the short forms as written (`ports: ["80:80"]`, `build: .`), so rules
 *     see what the user wrote; dw_compose_print normalises a copy;
 *   - the `include` list and each service's `extends` (applied, or left
 *     unapplied when its file is missing), for rules about them;
 *   - services disabled by profiles: dw_compose_service_enabled tells them.
 * Every node keeps the file (dw_cv.file) and position it was written at;
 * files read through extends/include are appended to files[]. */
dw_compose_project *dw_compose_load(const char *const *paths, uint32_t npaths, const dw_compose_opts *opts,
                                    const char **why);
void dw_compose_free(dw_compose_project *p);

/* True when the project is one file meant to be merged onto another: an
 * override file checked on its own, or a `compose.<x>.yaml` /
 * `docker-compose.<x>.yml` beside a base compose file of its folder
 * (`docker compose -f compose.yaml -f compose.prod.yaml`). What it names
 * (services, volumes, networks, the image) may come from the base, so what
 * it leaves unresolved is not a finding. */
bool dw_compose_is_fragment(const dw_compose_project *p);

/* Whether a service of the model is enabled by the active profiles (it has
 * no `profiles`, or one of them is active, or `*` is), as compose-go's
 * Project.WithProfiles decides. */
bool dw_compose_service_enabled(const dw_compose_project *p, const dw_cv *service);

/* Step 2 alone (cv.c): one YAML document as a dw_cv tree, merge keys
 * applied. Reports yaml-syntax / duplicate-key findings to `diags`.
 * `file` is stored in every node. Returns NULL for an empty document. */
dw_cv *dw_cv_from_yaml(dw_arena *a, const dw_yaml_node *root, uint16_t file, const dw_linemap *lines,
                       dw_diags *diags);

/* ---- interpolation (interp.c) and env files (dotenv.c) ---- */

typedef const char *(*dw_lookup_fn)(void *ud, const char *name, size_t len);

typedef struct {
    dw_span span;          /* the ${...} / $VAR in the source text */
    const char *name;
    bool defaulted;        /* had a default / alternative / required form */
    bool set;              /* the lookup found it */
} dw_interp_ref;

typedef struct {
    const char *message;   /* compose-go's error text, e.g. `Invalid template: "${}"` */
    uint32_t offset;       /* byte offset in the input where the bad template starts */
    bool invalid;          /* a malformed template (else: a required variable, or a limit) */
    dw_span tmpl;          /* invalid: the template string the message quotes (a nested
                              default alone for `${U:-${FOO}`), offsets in the input */
} dw_interp_error;

/* Substitutes `in` as compose-go's template.Substitute does. Returns 0 with
 * *out (arena string), or -1 with *err. `refs` (optional) receives every
 * variable reference (arena array, *nrefs entries). */
int dw_interpolate(dw_arena *a, dw_str in, dw_lookup_fn lookup, void *ud, dw_str *out, dw_interp_error *err,
                   dw_interp_ref **refs, uint32_t *nrefs);

typedef struct {
    const char *key;
    const char *value;     /* NULL: a bare key (`KEY` alone) that no lookup found: Compose leaves it
                              unset (an earlier KEY=... of the file stays); else NUL-terminated */
    uint32_t line;         /* 1-based line of the key */
    dw_span span;          /* the key and its value in the file */
    uint32_t value_len;    /* bytes of value (a `\0ddd` escape may put a NUL inside) */
} dw_dotenv_entry;

/* Parses an env file as compose-go's dotenv does (BOM, `export`, quotes,
 * escapes, inline comments, multi-line quoted values). `${X}` inside values
 * and bare keys are resolved by `lookup` first (the environment), then by
 * the file's own earlier keys. Entries come in file order; a later entry of
 * a key overrides an earlier one. Returns 0, or -1 with *err (compose-go's
 * message, `line 7: key cannot contain a space`) and *err_line. */
int dw_dotenv_parse(dw_arena *a, const char *src, size_t len, dw_lookup_fn lookup, void *ud, dw_dotenv_entry **out,
                    uint32_t *n, const char **err, uint32_t *err_line);
/* The same for the next of several env files: after `lookup` and the file's
 * own keys, the keys of the files read before (`prior`, later entries
 * winning) resolve `${X}` and bare keys, as compose-go's GetEnvFromFile. */
int dw_dotenv_parse_after(dw_arena *a, const char *src, size_t len, dw_lookup_fn lookup, void *ud,
                          const dw_dotenv_entry *prior, uint32_t nprior, dw_dotenv_entry **out, uint32_t *n,
                          const char **err, uint32_t *err_line);

/* ---- schema (schema.c) ---- */

/* Validates one file's tree (after interpolation) against the Compose
 * specification; findings (compose-schema) go to `diags`, each message
 * `services.web.ports[0]: expected string or number`. */
void dw_compose_validate(dw_arena *a, const dw_cv *root, const dw_linemap *lines, dw_diags *diags);

/* ---- output of the resolved model (cv_print.c) ---- */

/* Writes the model as `docker compose config` does, in YAML or JSON: the
 * enabled services, short forms in their long form, defaults filled in,
 * relative paths made absolute, env_file read into environment, keys in
 * the order compose-go's structs marshal (a Go map's keys sorted as go-yaml
 * or encoding/json sort them). Unlike Compose it does not double each `$`
 * of the output. Problems found on the way (a bad port, duration, size)
 * are added to p->errors. */
void dw_compose_print(FILE *out, const dw_compose_project *p, bool json);

#endif
