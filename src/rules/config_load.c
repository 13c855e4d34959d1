/* config_load.c — finding the config file that applies to a run, reading
 * it, and mapping dockwright's own keys onto a dw_config.
 *
 * Search (design.md, "Configuration"): `--config FILE` replaces it; else
 * .dockwright.yaml / .dockwright.yml in the start folder or a parent up to
 * the repository root (the folder holding .git; `/` when there is none),
 * then $XDG_CONFIG_HOME/dockwright/config.yaml (default ~/.config). When no
 * dockwright config exists, hadolint's config is mapped, found where
 * hadolint finds it plus the same parent search, together with the
 * HADOLINT_* variables; and dclint's .dclintrc* (same parent search) is
 * mapped for the Compose rules.
 *
 * Problems in a file become config-error findings of that file (with its
 * bytes and line table kept in the config, so `check` can show them like any
 * finding); the setting at fault keeps its default. Our own config is read
 * strictly (unknown keys and rule names are errors); the peers' configs are
 * read as leniently as those tools read them. */
#include "config_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- shared helpers (config_int.h) ---- */

void dw_cfg_error(dw_config *c, dw_config_file *f, const dw_yaml_node *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = dw_arena_vprintf(&c->arena, fmt, ap);
    va_end(ap);
    dw_span span = {0, 0};
    if (at) span = at->span;
    dw_diag *d = dw_diag_emit(&c->arena, &f->diags, "config-error", DW_SEV_ERROR, span, "%s", msg);
    d->meta = dw_rule_by_slug("config-error");
}

const char *dw_cfg_str(const dw_yaml_node *n)
{
    n = dw_yaml_deref(n);
    return n && n->kind == DW_YAML_SCALAR ? n->value : NULL;
}

void dw_cfg_append(dw_arena *a, const char ***v, uint32_t *nv, const char *const *add, uint32_t n)
{
    if (!n) return;
    const char **out = DW_NEW(a, const char *, (size_t)*nv + n);
    if (*nv) memcpy(out, *v, sizeof *out * *nv);
    memcpy(out + *nv, add, sizeof *out * n);
    *v = out;
    *nv += n;
}

void dw_cfg_add_labels(dw_config *c, const dw_label_rule *add, uint32_t n)
{
    if (!n) return;
    dw_label_rule *all = DW_NEW(&c->arena, dw_label_rule, (size_t)c->nlabels + n);
    if (c->nlabels) memcpy(all, c->labels, sizeof *all * c->nlabels);
    memcpy(all + c->nlabels, add, sizeof *all * n);
    c->labels = all;
    c->nlabels += n;
}

/* ---- paths ---- */

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static bool exists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

static char *join2(dw_arena *a, const char *dir, const char *name)
{
    size_t n = strlen(dir);
    return dw_arena_printf(a, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

/* The absolute, symlink-free folder of `start` (a file or folder); the
 * working folder when start cannot be resolved. */
static char *start_dir(dw_arena *a, const char *start)
{
    if (!start || !*start || !strcmp(start, "-")) start = ".";
    struct stat st;
    char *dir;
    if (stat(start, &st) == 0 && S_ISDIR(st.st_mode)) {
        dir = dw_arena_memdup(a, start, strlen(start));
    } else {
        const char *slash = strrchr(start, '/');
        dir = slash ? dw_arena_memdup(a, start, slash == start ? 1 : (size_t)(slash - start))
                    : dw_arena_memdup(a, ".", 1);
    }
    char *abs = realpath(dir, NULL);
    if (!abs) abs = realpath(".", NULL);
    if (!abs) return dw_arena_memdup(a, "/", 1);
    char *r = dw_arena_memdup(a, abs, strlen(abs));
    free(abs);
    return r;
}

/* The parent of an absolute folder, or NULL for "/". */
static char *parent_dir(dw_arena *a, const char *dir)
{
    const char *slash = strrchr(dir, '/');
    if (!slash || (slash == dir && !dir[1])) return NULL;
    return dw_arena_memdup(a, dir, slash == dir ? 1 : (size_t)(slash - dir));
}

/* How a found file is shown: relative to the working folder when it is
 * under it or in a folder above it ("../.dockwright.yaml"), as a user
 * would type it; else absolute (e.g. the one in ~/.config). */
static const char *shown(dw_arena *a, const char *abs)
{
    char *cwd = realpath(".", NULL);
    const char *r = abs;
    if (!cwd) return dw_arena_memdup(a, abs, strlen(abs));
    size_t n = strlen(cwd);
    if (!strcmp(cwd, "/")) {
        r = abs + 1;
    } else if (!strncmp(abs, cwd, n) && abs[n] == '/') {
        r = abs + n + 1;
    } else {
        const char *slash = strrchr(abs, '/');
        size_t dl = (size_t)(slash - abs); /* the file's folder: abs[0..dl) ("" for /) */
        if (dl && dl < n && !strncmp(cwd, abs, dl) && cwd[dl] == '/') {
            dw_buf b = {0};
            for (size_t i = dl; i < n; i++)
                if (cwd[i] == '/') dw_buf_puts(&b, "../");
            dw_buf_puts(&b, slash + 1);
            char *out = dw_arena_memdup(a, b.p, b.n);
            dw_buf_free(&b);
            free(cwd);
            return out;
        }
    }
    free(cwd);
    return dw_arena_memdup(a, r, strlen(r));
}

/* ---- reading a config file ---- */

/* Reads `path` into a new dw_config_file of c and parses it. Returns the
 * file; *root is the first document's root, or NULL when the file is empty,
 * unreadable or not valid YAML (both reported as config-error). */
static dw_config_file *open_config(dw_config *c, const char *path_shown, const char *abs_dir,
                                   const char *read_path, dw_config_source source,
                                   const dw_yaml_node **root)
{
    *root = NULL;
    if (!c->files) c->files = DW_NEW(&c->arena, dw_config_file, 4); /* ours, or hadolint + dclint */
    if (c->nfiles == 4) return NULL;
    dw_config_file *f = &c->files[c->nfiles++];
    f->path = dw_arena_memdup(&c->arena, path_shown, strlen(path_shown));
    f->abs_dir = abs_dir;
    f->source = source;
    size_t len = 0;
    char *src = dw_read_file(read_path, &len);
    if (!src) {
        const char *why = strerror(errno);
        f->src = "";
        dw_linemap_build(&f->lines, &c->arena, f->src, 0);
        dw_cfg_error(c, f, NULL, "cannot read the config file: %s", why);
        return f;
    }
    dw_arena_adopt(&c->arena, src);
    if (len >= UINT32_MAX) len = 0; /* the YAML reader reports it */
    f->src = src;
    f->len = (uint32_t)len;
    dw_linemap_build(&f->lines, &c->arena, f->src, f->len);

    dw_yaml_stream ys;
    if (dw_yaml_parse(&c->arena, src, len, NULL, &ys) < 0) {
        dw_diag *d = dw_diag_emit(&c->arena, &f->diags, "config-error", DW_SEV_ERROR, ys.error.span,
                                  "invalid YAML: %s", ys.error.message);
        d->meta = dw_rule_by_slug("config-error");
        return f;
    }
    if (ys.ndocs > 1 && source == DW_CONFIG_DOCKWRIGHT)
        dw_cfg_error(c, f, ys.docs[1], "the config has several YAML documents; only the first is read");
    if (ys.ndocs) *root = ys.docs[0];
    return f;
}

/* Sorts each file's findings and applies the severity configured for
 * config-error itself (it can be turned off like any rule). */
static void finish(dw_config *c)
{
    const dw_rule *r = dw_rule_by_slug("config-error");
    dw_severity sev = r ? c->severity[r->index] : DW_SEV_ERROR;
    for (uint32_t i = 0; i < c->nfiles; i++) {
        dw_diags *d = &c->files[i].diags;
        if (sev == DW_SEV_OFF) d->n = 0;
        for (uint32_t k = 0; k < d->n; k++) d->v[k].severity = sev;
        dw_diags_sort(d);
    }
}

/* ---- dockwright's own keys ---- */

static const char *const our_keys[] = {
    "rules", "failure-threshold", "trusted-registries", "label-schema", "strict-labels",
    "exclude", "shellcheck", "disable-ignore-pragma", "no-fail",
};
#define N_OUR_KEYS (sizeof our_keys / sizeof *our_keys)

static const char *const label_types[] = {"text", "url", "semver", "hash", "rfc3339", "spdx", "email"};

static void our_bool(dw_config *c, dw_config_file *f, const dw_yaml_pair *p, bool *out)
{
    if (dw_yaml_bool(p->value, out) < 0)
        dw_cfg_error(c, f, p->value, "'%s' must be true or false, not %s", p->key->value,
                     dw_yaml_describe(p->value));
}

/* A list of strings; a single string stands for a list of one. Items that
 * are not strings are reported and skipped. */
static void our_strings(dw_config *c, dw_config_file *f, const dw_yaml_pair *p, const char ***v, uint32_t *nv)
{
    const dw_yaml_node *val = dw_yaml_deref(p->value);
    if (dw_yaml_is_null(val)) return;
    if (val->kind == DW_YAML_SCALAR) {
        dw_cfg_append(&c->arena, v, nv, &val->value, 1);
        return;
    }
    if (val->kind != DW_YAML_SEQUENCE) {
        dw_cfg_error(c, f, val, "'%s' must be a list of strings, not %s", p->key->value, dw_yaml_describe(val));
        return;
    }
    const char **tmp = dw_xmalloc(sizeof *tmp * (val->n + 1));
    uint32_t n = 0;
    for (uint32_t i = 0; i < val->n; i++) {
        const dw_yaml_node *it = dw_yaml_deref(val->items[i]);
        if (it->kind != DW_YAML_SCALAR || dw_yaml_is_null(it)) {
            dw_cfg_error(c, f, val->items[i], "'%s' must list strings, not %s", p->key->value, dw_yaml_describe(it));
            continue;
        }
        tmp[n++] = it->value;
    }
    dw_cfg_append(&c->arena, v, nv, tmp, n);
    free(tmp);
}

static const char **slugs(uint32_t *n)
{
    const dw_rule *r = dw_rules(n);
    const char **v = dw_xmalloc(sizeof *v * (*n + 1));
    for (uint32_t i = 0; i < *n; i++) v[i] = r[i].slug;
    return v;
}

static void our_rules(dw_config *c, dw_config_file *f, const dw_yaml_node *val)
{
    val = dw_yaml_deref(val);
    if (dw_yaml_is_null(val)) return;
    if (val->kind != DW_YAML_MAPPING) {
        dw_cfg_error(c, f, val, "'rules' must be a mapping of rule names to levels, not %s", dw_yaml_describe(val));
        return;
    }
    uint32_t nslugs;
    const char **sl = slugs(&nslugs);
    for (uint32_t i = 0; i < val->n; i++) {
        const dw_yaml_pair *p = &val->pairs[i];
        const char *name = dw_cfg_str(p->key);
        if (!name) {
            dw_cfg_error(c, f, p->key, "a rule name must be a string, not %s", dw_yaml_describe(p->key));
            continue;
        }
        const dw_rule *found[64];
        if (!dw_rules_named(name, found, 64)) {
            const char *s = dw_suggest(dw_str_c(name), sl, nslugs, true);
            if (s) dw_cfg_error(c, f, p->key, "unknown rule '%s' (did you mean %s?)", name, s);
            else dw_cfg_error(c, f, p->key, "unknown rule '%s'", name);
            continue;
        }
        const char *lvl = dw_cfg_str(p->value);
        dw_severity sev;
        if (!lvl || dw_severity_parse(lvl, &sev) < 0) {
            dw_cfg_error(c, f, p->value, "unknown level %s%s%s for rule '%s' (off, error, warning, info, style)",
                         lvl ? "'" : "", lvl ? lvl : dw_yaml_describe(p->value), lvl ? "'" : "", name);
            continue;
        }
        dw_config_set(c, name, sev);
    }
    free(sl);
}

static void our_labels(dw_config *c, dw_config_file *f, const dw_yaml_node *val)
{
    val = dw_yaml_deref(val);
    if (dw_yaml_is_null(val)) return;
    if (val->kind != DW_YAML_MAPPING) {
        dw_cfg_error(c, f, val, "'label-schema' must map label names to types, not %s", dw_yaml_describe(val));
        return;
    }
    dw_label_rule *tmp = dw_xmalloc(sizeof *tmp * (val->n + 1));
    uint32_t n = 0;
    for (uint32_t i = 0; i < val->n; i++) {
        const dw_yaml_pair *p = &val->pairs[i];
        const char *name = dw_cfg_str(p->key), *type = dw_cfg_str(p->value);
        if (!name || !*name) {
            dw_cfg_error(c, f, p->key, "a label name must be a non-empty string");
            continue;
        }
        if (dw_yaml_is_null(p->value)) type = "";
        int t = -1;
        for (int k = 0; type && k < 7; k++)
            if (!strcmp(type, label_types[k]) || (!*type && k == 0)) t = k;
        if (t < 0) {
            dw_cfg_error(c, f, p->value, "unknown label type %s%s%s for '%s' (text, url, semver, hash, rfc3339, spdx, email)",
                         type ? "'" : "", type ? type : dw_yaml_describe(p->value), type ? "'" : "", name);
            continue;
        }
        tmp[n].name = name;
        tmp[n].type = (dw_label_type)t;
        n++;
    }
    dw_cfg_add_labels(c, tmp, n);
    free(tmp);
}

static void apply_ours(dw_config *c, dw_config_file *f, const dw_yaml_node *root)
{
    root = dw_yaml_deref(root);
    if (!root || dw_yaml_is_null(root)) return;
    if (root->kind != DW_YAML_MAPPING) {
        dw_cfg_error(c, f, root, "the config must be a mapping of settings, not %s", dw_yaml_describe(root));
        return;
    }
    const dw_yaml_node *first[N_OUR_KEYS] = {0}; /* where each known key was set */
    for (uint32_t i = 0; i < root->n; i++) {
        const dw_yaml_pair *p = &root->pairs[i];
        const char *key = dw_cfg_str(p->key);
        if (!key) {
            dw_cfg_error(c, f, p->key, "a setting's name must be a string, not %s", dw_yaml_describe(p->key));
            continue;
        }
        size_t k = 0;
        while (k < N_OUR_KEYS && strcmp(our_keys[k], key) != 0) k++;
        if (k < N_OUR_KEYS) {
            if (first[k]) {
                dw_cfg_error(c, f, p->key, "'%s' is set twice (first on line %u); the first is used", key,
                             first[k]->start.line);
                continue;
            }
            first[k] = p->key;
        }
        if (!strcmp(key, "rules")) {
            our_rules(c, f, p->value);
        } else if (!strcmp(key, "failure-threshold")) {
            const char *v = dw_cfg_str(p->value);
            dw_severity s;
            if (!v || dw_severity_parse(v, &s) < 0)
                dw_cfg_error(c, f, p->value, "unknown failure threshold %s%s%s (error, warning, info, style, none)",
                             v ? "'" : "", v ? v : dw_yaml_describe(p->value), v ? "'" : "");
            else c->failure_threshold = s;
        } else if (!strcmp(key, "trusted-registries")) {
            our_strings(c, f, p, &c->trusted_registries, &c->ntrusted);
        } else if (!strcmp(key, "label-schema")) {
            our_labels(c, f, p->value);
        } else if (!strcmp(key, "strict-labels")) {
            our_bool(c, f, p, &c->strict_labels);
        } else if (!strcmp(key, "exclude")) {
            our_strings(c, f, p, &c->exclude, &c->nexclude);
            c->exclude_base = f->abs_dir;
        } else if (!strcmp(key, "shellcheck")) {
            our_bool(c, f, p, &c->shellcheck);
            /* the switch is the shellcheck rule (off by default) */
            if (c->shellcheck) dw_config_enable(c, "shellcheck");
        } else if (!strcmp(key, "disable-ignore-pragma")) {
            our_bool(c, f, p, &c->disable_ignore_pragma);
        } else if (!strcmp(key, "no-fail")) {
            our_bool(c, f, p, &c->no_fail);
        } else {
            const char *s = dw_suggest(dw_str_c(key), our_keys, N_OUR_KEYS, true);
            if (s) dw_cfg_error(c, f, p->key, "unknown key '%s' (did you mean %s?)", key, s);
            else dw_cfg_error(c, f, p->key, "unknown key '%s' (rules, failure-threshold, trusted-registries, label-schema, strict-labels, exclude, shellcheck, disable-ignore-pragma, no-fail)", key);
        }
    }
}

/* ---- the search ---- */

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* Which tool a file named on the command line belongs to, by its name. */
static dw_config_source source_of(const char *path)
{
    const char *b = base_name(path);
    if (strstr(b, "hadolint")) return DW_CONFIG_HADOLINT;
    if (!strncmp(b, ".dclintrc", 9) || !strncmp(b, "dclint", 6)) return DW_CONFIG_DCLINT;
    return DW_CONFIG_DOCKWRIGHT;
}

/* Reads one config file and maps it by its kind. */
static void load_file(dw_config *c, const char *path_shown, const char *abs_dir, const char *read_path,
                      dw_config_source source)
{
    const dw_yaml_node *root;
    dw_config_file *f = open_config(c, path_shown, abs_dir, read_path, source, &root);
    if (!f) return;
    if (c->source == DW_CONFIG_NONE) { /* the first file read is the config's own */
        c->path = f->path;
        c->source = source;
    }
    switch (source) {
    case DW_CONFIG_HADOLINT: dw_cfg_hadolint(c, f, root); break;
    case DW_CONFIG_DCLINT: dw_cfg_dclint(c, f, root); break;
    default: apply_ours(c, f, root); break;
    }
}

/* Loads a file the search found: shown relative to the working folder,
 * its folder made absolute for the `exclude` globs. */
static void load_found(dw_config *c, const char *p, const char *dir, dw_config_source source)
{
    dw_arena *a = &c->arena;
    char *abs = realpath(p, NULL);
    char *absdir = realpath(dir, NULL);
    load_file(c, abs ? shown(a, abs) : p, absdir ? dw_arena_memdup(a, absdir, strlen(absdir)) : dir, p, source);
    free(abs);
    free(absdir);
}

/* The first of `names` that is a file in one of `dirs` (searched in order,
 * every name in a folder before its parent); NULL when none. */
static char *find_in(dw_arena *a, char *const *dirs, uint32_t ndirs, const char *const *names, size_t nnames,
                     const char **dir_out)
{
    for (uint32_t i = 0; i < ndirs; i++)
        for (size_t k = 0; k < nnames; k++) {
            char *p = join2(a, dirs[i], names[k]);
            if (is_file(p)) {
                *dir_out = dirs[i];
                return p;
            }
        }
    return NULL;
}

static const char *xdg_config_home(dw_arena *a)
{
    const char *x = getenv("XDG_CONFIG_HOME");
    if (x && x[0] == '/') return x; /* the XDG spec ignores relative values */
    const char *home = getenv("HOME");
    if (!home || !*home) return NULL;
    return join2(a, home, ".config");
}

int dw_config_load(dw_config *c, const char *path, const char *start, char **err)
{
    dw_arena *a = &c->arena;
    if (path) {
        if (!is_file(path)) {
            struct stat st;
            const char *why = stat(path, &st) == 0 ? "not a regular file" : strerror(errno);
            size_t n = strlen(path) + strlen(why) + 3;
            *err = malloc(n);
            if (*err) snprintf(*err, n, "%s: %s", path, why);
            return -1;
        }
        load_file(c, path, start_dir(a, path), path, source_of(path));
        finish(c);
        return 0;
    }

    /* the folders searched: start, its parents, up to the repository root */
    char *dir = start_dir(a, start);
    DW_VEC(char *) dirs = {0};
    for (char *d = dir; d; d = parent_dir(a, d)) {
        DW_SVEC_PUSH(dirs, d);
        if (exists(join2(a, d, ".git"))) break;
    }

    const char *found_dir = NULL;
    static const char *const ours[] = {".dockwright.yaml", ".dockwright.yml"};
    char *p = find_in(a, dirs.v, dirs.n, ours, 2, &found_dir);
    const char *xdg = xdg_config_home(a);
    if (!p && xdg) {
        char *xd = join2(a, xdg, "dockwright");
        static const char *const user[] = {"config.yaml", "config.yml"};
        p = find_in(a, &xd, 1, user, 2, &found_dir);
    }
    if (p) {
        load_found(c, p, found_dir, DW_CONFIG_DOCKWRIGHT);
        DW_SVEC_FREE(dirs);
        finish(c);
        return 0;
    }

    /* hadolint's config: the folders above, then where hadolint looks */
    static const char *const hado[] = {".hadolint.yaml", ".hadolint.yml"};
    p = find_in(a, dirs.v, dirs.n, hado, 2, &found_dir);
    const char *home = getenv("HOME");
    if (!p && xdg) {
        static const char *const names[] = {"hadolint.yaml", "hadolint.yml"};
        char *xd = (char *)xdg;
        p = find_in(a, &xd, 1, names, 2, &found_dir);
    }
    if (!p && home && *home) {
        char *places[3] = {join2(a, home, ".config"), join2(a, home, ".hadolint"), (char *)home};
        static const char *const n1[] = {"hadolint.yaml", "hadolint.yml"};
        static const char *const n2[] = {"hadolint.yaml", "hadolint.yml", "config.yaml", "config.yml"};
        p = find_in(a, &places[0], 1, n1, 2, &found_dir);
        if (!p) p = find_in(a, &places[1], 1, n2, 4, &found_dir);
        if (!p) p = find_in(a, &places[2], 1, hado, 2, &found_dir);
    }
    if (p) {
        load_found(c, p, found_dir, DW_CONFIG_HADOLINT);
    } else if (dw_cfg_hadolint_env_set()) {
        dw_cfg_hadolint(c, NULL, NULL);
        c->source = DW_CONFIG_HADOLINT;
    }

    /* dclint's config, for the Compose rules */
    static const char *const dcl[] = {".dclintrc", ".dclintrc.json", ".dclintrc.yaml", ".dclintrc.yml"};
    p = find_in(a, dirs.v, dirs.n, dcl, 4, &found_dir);
    if (p) load_found(c, p, found_dir, DW_CONFIG_DCLINT);
    DW_SVEC_FREE(dirs);
    finish(c);
    return 0;
}
