/* compose_int.h — what the Compose loader's files share and nobody else
 * needs: Go-style quoting for messages copied from compose-go, a small
 * string-keyed hash table, dotted paths with `*` patterns, and the stages
 * of dw_compose_load (merge.c, extends.c, include.c, cv_interp.c,
 * normalize.c). */
#ifndef DW_COMPOSE_INT_H
#define DW_COMPOSE_INT_H

#include "compose.h"
#include "schema.h"
#include "syntax.h"

/* ---- Go's strconv.Quote, for messages compose-go prints with %q / %#v ---- */
void dw_go_quote_buf(dw_buf *b, const char *s, size_t n);
/* The same, as an arena string. */
const char *dw_go_quoted(dw_arena *a, const char *s, size_t n);

/* ---- a string-keyed hash table (keys are views that must outlive it) ---- */
typedef struct {
    dw_str *keys;
    void **vals;
    uint32_t cap, n;   /* cap is 0 or a power of two */
} dw_strmap;
/* The slot value of `key`, or NULL. */
void *dw_strmap_get(const dw_strmap *m, dw_str key);
/* Sets `key` (kept by reference) to `val` (non-NULL); returns the old value or NULL. */
void *dw_strmap_put(dw_strmap *m, dw_str key, void *val);
void dw_strmap_free(dw_strmap *m);


/* ---- building dw_cv nodes ---- */
dw_cv *dw_cv_new(dw_arena *a, dw_cv_kind kind, const dw_cv *like);
dw_cv *dw_cv_new_str(dw_arena *a, dw_str s, const dw_cv *like);
dw_cv *dw_cv_copy(dw_arena *a, const dw_cv *v);          /* shallow: pairs/items copied, children shared */
void dw_cv_set(dw_arena *a, dw_cv *map, dw_str key, dw_cv *val); /* replaces or appends */
void dw_cv_add(dw_arena *a, dw_cv *map, dw_str key, dw_cv *val); /* appends: the caller knows the key is new */
void dw_cv_del(dw_cv *map, dw_str key);
void dw_cv_append_pair(dw_arena *a, dw_cv *map, const dw_cv_pair *pair); /* no check for the key */
void dw_cv_push(dw_arena *a, dw_cv *seq, dw_cv *item);
dw_cv *dw_cv_getn(const dw_cv *m, dw_str key);

/* ---- the loader (project.c) and its stages ---- */

/* The variables one project (or one included project) interpolates with. */
typedef struct {
    dw_strmap vars;         /* name -> its value (const char *), the first source winning */
    const char *dir;        /* where relative include paths start */
} dw_scope;
const char *dw_scope_lookup(void *ud, const char *name, size_t len);

typedef struct dw_loader {
    dw_compose_project *p;
    dw_strmap by_path;      /* absolute path -> 1 + index in p->files */
    uint8_t *state;         /* per file: 0 read, 1 being prepared, 2 prepared */
    uint32_t *next_doc;     /* per file: the YAML document after the one its root came from */
    uint32_t cap;           /* room in p->files and state */
    dw_strmap reported;     /* findings already made ("file:slug:start:end") */
    const dw_compose_opts *opts;
} dw_loader;

#define DW_MAX_FILES 1000   /* files one project may read through include/extends */
#define DW_MAX_CHAIN 64     /* include / extends nesting */

/* A file's path as shown in findings: relative to the working directory
 * when it is under it, else absolute. */
const char *dw_shown_path(dw_arena *a, const char *abs);
/* Reads and parses a Compose file once per absolute path (`shown` NULL:
 * dw_shown_path); returns its index in p->files, or -1 with errno set (and
 * nothing added). */
int dw_loader_read(dw_loader *L, const char *shown, const char *abs_path, bool included, const char *rel_base);
/* File fi's tree, interpolated with `sc` and validated the first time it is
 * asked for; returns a private deep copy the caller may change (NULL when
 * the file has no document). */
dw_cv *dw_loader_config(dw_loader *L, int fi, dw_scope *sc);
/* File fi (read through the include chain `chain`) with its includes and
 * extends applied, merged onto `model` (NULL: it is the first); returns
 * the model. */
dw_cv *dw_loader_add(dw_loader *L, dw_cv *model, int fi, dw_scope *sc, const char *const *chain, uint32_t nchain);
/* A finding in file fi, made once per (rule, span). */
dw_diag *dw_loader_report(dw_loader *L, int fi, const char *rule, dw_severity sev, dw_span span, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

dw_cv *dw_cv_deep_copy(dw_arena *a, const dw_cv *v);
/* An absolute, lexically cleaned path: `rel` under `dir` unless absolute. */
const char *dw_path_join(dw_arena *a, const char *dir, dw_str rel);

/* cv_interp.c: interpolates every string value of `root` (file fi) in place
 * with `lookup`, applies compose-go's type casts; findings go to the file,
 * errors that stop Compose to p->errors. */
void dw_cv_interpolate(dw_loader *L, int fi, dw_cv *root, dw_lookup_fn lookup, void *ud);

/* merge.c: compose-go's override.MergeYaml of `over` onto `base` at `path`;
 * both are private copies it may reuse. Returns the result, NULL for an
 * attribute a `!reset` removed. */
dw_cv *dw_cv_merge(dw_loader *L, dw_cv *base, dw_cv *over, dw_cpath *path);
/* Removes, in place, what `!reset` marks and no merge replaced. */
void dw_cv_strip_resets(dw_cv *model);
/* compose-go's EnforceUnicity over a whole tree, in place: one entry per
 * identity in ports, volumes, secrets, ... (the model keeps a file's own
 * duplicates for the rules; dw_cv_merge already lets a later file's entry
 * replace an earlier one). */
void dw_cv_unicity(dw_arena *a, dw_cv *model);

/* extends.c: applies every service's `extends` of cfg (file fi). */
void dw_apply_extends(dw_loader *L, int fi, dw_cv *cfg, dw_scope *sc);
/* include.c: imports what cfg's `include` entries define (file fi, read
 * through the include chain `chain`). */
void dw_apply_include(dw_loader *L, int fi, dw_cv *cfg, dw_scope *sc, const char *const *chain, uint32_t nchain);

/* Reads an env file into p->env_files and its entries onto *prior (`${X}`
 * resolved by `lookup`, then by the entries before); false, with a load
 * error, when it cannot be read or parsed. */
typedef DW_VEC(dw_dotenv_entry) dw_entry_vec;
bool dw_env_file_read(dw_compose_project *p, const char *path, dw_scope *lookup, dw_entry_vec *prior);

/* normalize.c: the model as `docker compose config` prints it (canonical
 * forms, defaults, absolute paths, enabled services only, printing order),
 * a new tree in the project's arena; problems go to p->errors. */
dw_cv *dw_compose_canonical(dw_compose_project *p, bool json);
/* values.c: the values of the model Compose cannot convert (a short-form
 * port or volume, a duration, a size, a string command line) become errors
 * in p->errors and compose-schema findings at the value. */
void dw_compose_check_values(dw_loader *L);
/* consistency.c: compose-go's validation of the merged model (file objects,
 * external volumes, host IPs, watch paths, device requests) ... */
void dw_compose_validate_model(dw_loader *L);
/* ... and, the profiles applied, its checkConsistency: errors in
 * p->errors, and compose-schema findings where no rule reports them. */
void dw_compose_check_consistency(dw_loader *L);

/* Adds a load error (compose-go's message) to the project. */
void dw_compose_error(dw_compose_project *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
