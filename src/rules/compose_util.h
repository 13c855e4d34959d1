/* compose_util.h — what the Compose rules (src/rules/compose_*.c) share: the
 * services of the model, and the short and long syntaxes of ports, volumes,
 * environment, depends_on, networks, secrets and configs normalised to one
 * shape each, so that a rule never re-implements compose-go's parsers.
 *
 * Everything reads the merged model (ctx->compose->model) and keeps the node
 * each value came from, so a finding points into the file it was written in
 * (dw_creport does that from node->file). Values are read after
 * interpolation (dw_cv.s); a value that still holds a `$` is one the loader
 * could not resolve, and the helpers mark it `unknown` rather than guess. */
#ifndef DW_COMPOSE_UTIL_H
#define DW_COMPOSE_UTIL_H

#include "rule.h"
#include "../compose/compose.h"
#include "../compose/syntax.h"

/* ---- services ---- */

/* The model's `services` mapping, or NULL. */
const dw_cv *compose_services(const dw_lint *ctx);
/* The next service after `prev` (NULL: the first) whose value is a mapping:
 *   for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));)
 * s->key is the name, s->key_span where it is written, s->value the map. */
const dw_cv_pair *compose_next_service(const dw_lint *ctx, const dw_cv_pair *prev);
/* The service named `name`, or NULL (a lookup in a sorted index). */
const dw_cv *compose_service(dw_lint *ctx, dw_str name);
/* True when the service runs with the active profiles: it has no
 * `profiles`, or one of them is active (dw_compose_project.profiles). */
bool compose_service_active(const dw_lint *ctx, const dw_cv *svc);
/* True when both services can run in the same `up`: one of them has no
 * profiles, or they share one. Services of disjoint profiles (dev/prod
 * variants of one service) are alternatives, not neighbours. */
bool compose_services_coexist(const dw_cv *a, const dw_cv *b);

/* The folder relative paths in node `at` resolve against: the project
 * directory; for a file read through `extends.file`, its own folder; for
 * one read through `include`, the include's project_directory (by default
 * the included file's folder). */
const char *compose_base_dir(const dw_lint *ctx, const dw_cv *at);
/* `rel` joined under `dir` (absolute `rel`, and `~/`, kept as they are);
 * arena string. */
const char *compose_join(dw_lint *ctx, const char *dir, dw_str rel);
/* A string value usable as a literal: a scalar whose interpolated text
 * holds no `$` left unresolved. {NULL,0} otherwise. */
dw_str compose_literal(const dw_cv *v);

/* ---- ports (compose-go ParsePortConfig / go-connections nat) ---- */

typedef struct {
    const dw_cv *node;      /* the list item: a scalar (short form) or a map */
    bool long_form;
    bool unknown;           /* holds `$` left unresolved, or does not parse: skip it */
    bool interpolated;      /* some part came from a variable */
    dw_str host_ip;         /* without [brackets]; empty when none */
    bool has_host;          /* a host (published) port is given */
    uint32_t host_lo, host_hi;     /* published range (lo == hi for one port) */
    uint32_t target_lo, target_hi; /* container range */
    dw_str protocol;        /* short form: tcp, udp or sctp; long form: as written; "tcp" when absent */
} compose_port;

/* Parses one `ports` item with the loader's parser (syntax.h: what Compose
 * accepts, it accepts). Returns false for something that is not a port
 * item at all (null, a sequence); `unknown` marks the ones left unparsed. */
bool compose_port_parse(const dw_cv *item, compose_port *out);

/* ---- volumes (compose-go format/volume.go and the long syntax) ---- */

typedef enum {
    COMPOSE_MOUNT_VOLUME,   /* a named volume: source is its name */
    COMPOSE_MOUNT_ANON,     /* an anonymous volume (target only) */
    COMPOSE_MOUNT_BIND,     /* a host path */
    COMPOSE_MOUNT_TMPFS,
    COMPOSE_MOUNT_OTHER     /* npipe, image, cluster, or a type not known */
} compose_mount_type;

typedef struct {
    const dw_cv *node;      /* the list item */
    bool long_form;
    bool unknown;           /* `$` left unresolved, or a malformed short spec */
    compose_mount_type type;
    dw_str source;          /* empty for anonymous and tmpfs */
    dw_str target;
    dw_str options;         /* short form: the text after the second colon ("ro,z") */
    const dw_cv *source_node; /* long form: the `source` value; short form: node */
    dw_span source_span;    /* where the source is written, as exactly as the quoting allows */
    bool read_only;
    dw_str propagation;     /* bind propagation (long bind.propagation or a short option) */
} compose_volume;

/* Parses one service `volumes` item (the short form with the loader's
 * dw_parse_volume). Returns false for a null or a sequence item. */
bool compose_volume_parse(const dw_cv *item, compose_volume *out);

/* ---- environment ---- */

typedef struct {
    dw_str key;
    dw_str value;           /* empty when has_value is false */
    bool has_value;         /* false: `KEY` / `KEY:` / `KEY: null` (taken from the environment) */
    const dw_cv *node;      /* list form: the item; map form: the value (may be NULL) */
    dw_span key_span;       /* where the key is written (list form: the item's span) */
    uint16_t file;          /* the file it is written in */
    bool list_form;
} compose_env;

/* The service's `environment` entries, list or map form, in order
 * (arena array; *n entries). */
compose_env *compose_environment(dw_lint *ctx, const dw_cv *svc, uint32_t *n);

/* ---- references to other services and to top-level resources ---- */

typedef struct {
    dw_str name;            /* the service / network / secret / config / volume named */
    const dw_cv *node;      /* the list item, or the map value (may be synthetic) */
    dw_span span;           /* where the name is written (list item, map key, `source`) */
    uint16_t file;
    const dw_cv *value;     /* long form: the map of options; NULL for the short form */
} compose_ref;

typedef struct {
    compose_ref ref;
    dw_str condition;       /* "service_started" for the short form */
    bool required;          /* default true */
    bool long_form;
} compose_dep;

/* depends_on, short (list) or long (map) form (arena array). */
compose_dep *compose_depends_on(dw_lint *ctx, const dw_cv *svc, uint32_t *n);
/* A service's `networks` (list or map) (arena array). */
compose_ref *compose_service_networks(dw_lint *ctx, const dw_cv *svc, uint32_t *n);
/* A service's `secrets` or `configs` (key "secrets"/"configs"), short or
 * long (`source`) form (arena array). */
compose_ref *compose_service_files(dw_lint *ctx, const dw_cv *svc, const char *key, uint32_t *n);

/* Byte order of two names (shorter first on a common prefix), for qsort. */
int compose_str_cmp(dw_str a, dw_str b);
/* Map keys sorted by name, for compose_lookup: a project of many services
 * stays n log n. `at` is the key's index in the map. Arena array of m->n;
 * NULL for an empty map. */
typedef struct { dw_str name; uint32_t at; } compose_named;
compose_named *compose_sorted_keys(dw_lint *ctx, const dw_cv *m);
/* The index of key `name` (the first when repeated), or -1. */
int compose_lookup(const compose_named *sorted, uint32_t n, dw_str name);

/* One flag per pair of compose_services(ctx): true for a one-shot service,
 * one another service waits for with `condition:
 * service_completed_successfully` (it is meant to exit). Arena array; NULL
 * when there are no services. */
bool *compose_one_shot(dw_lint *ctx);

/* ---- rule options (dclint's `rule: [level, {options}]`) ---- */

/* The value of option `key` of the current rule in the dclint config (the
 * rule's slug or an alias; the last setting naming it wins), aliases
 * followed; NULL when not set. */
const struct dw_yaml_node *compose_rule_option(const dw_lint *ctx, const char *key);

/* ---- healthchecks ---- */

typedef enum {
    COMPOSE_HC_NONE,        /* nothing said */
    COMPOSE_HC_ON,          /* a test is configured */
    COMPOSE_HC_OFF          /* disable: true, or test NONE */
} compose_hc;

/* What the service's own `healthcheck` says. A healthcheck with timings
 * but no test leaves the image's test in force: that is COMPOSE_HC_NONE. */
compose_hc compose_healthcheck(const dw_cv *svc);
/* What the Dockerfile the service builds says in the stage it builds
 * (build.target, else the last stage; inherited from FROM <stage>):
 * COMPOSE_HC_NONE also when there is no Dockerfile to read. */
compose_hc compose_dockerfile_healthcheck(dw_lint *ctx, const dw_cv *svc);
/* True when the service has a health check, in Compose or its Dockerfile. */
bool compose_service_healthy_capable(dw_lint *ctx, const dw_cv *svc);

/* ---- build ---- */

typedef struct {
    const dw_cv *node;           /* the `build` value */
    const dw_cv *context_node;   /* build.context, or the string form; NULL when absent */
    const dw_cv *dockerfile_node;
    const dw_cv *target_node;
    const dw_cv *inline_node;    /* build.dockerfile_inline */
    dw_str context;              /* as written ("." when absent) */
    dw_str dockerfile;           /* as written ("Dockerfile" when absent) */
    dw_str target;               /* empty when absent */
    bool remote;                 /* a git/URL context: nothing local to check */
    bool unknown;                /* `$` left unresolved in context or dockerfile */
    const char *context_dir;     /* absolute; NULL when remote or unknown */
    const char *dockerfile_path; /* absolute; NULL when remote, unknown or inline */
} compose_build;

/* Reads the service's `build`. Returns false when it has none. */
bool compose_service_build(dw_lint *ctx, const dw_cv *svc, compose_build *out);
/* The Dockerfile the service builds, parsed once per project (cached);
 * dockerfile_inline is parsed too. NULL when there is no build, or the file
 * is remote, unresolved or missing. */
const dw_dockerfile *compose_service_dockerfile(dw_lint *ctx, const dw_cv *svc);
/* The Dockerfile the service builds (*df) and the stage the image is built
 * from (build.target, else the last); -1 when unknown. */
int compose_built_stage(dw_lint *ctx, const dw_cv *svc, const dw_dockerfile **df);
/* Frees the cache (called by the engine after the Compose rules ran). */
void compose_util_release(dw_lint *ctx);

/* ---- nodes reached twice ---- */

/* An alias (`ports: *common`) makes one written node part of several
 * services. A rule that edits or reports the node itself (not the
 * service) asks compose_first_visit, so that it does so once. */
typedef struct { uint64_t *v; uint32_t cap, n; } compose_seen;
bool compose_first_visit(dw_lint *ctx, compose_seen *seen, const dw_cv *node);

/* ---- positions ---- */

/* The span of s[off, off+len) of scalar `v` in its file when the scalar is
 * written as its text (plain, or quoted without escapes, not interpolated);
 * else the whole scalar's span. */
dw_span compose_subspan(const dw_lint *ctx, const dw_cv *v, size_t off, size_t len);

#endif
