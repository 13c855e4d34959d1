/* project.c — a Compose project loaded the way `docker compose` loads it.
 *
 * dw_compose_load, in compose-go's order:
 *   1. the variables: the process environment, then the --env-file files
 *      (or COMPOSE_ENV_FILES, or <project dir>/.env), the environment
 *      winning over the files and an earlier file over nothing;
 *   2. each -f file (and the folder's override file when one base file is
 *      named) read and parsed into a dw_cv tree;
 *   3. the project name: -p, COMPOSE_PROJECT_NAME, the last `name:` of the
 *      files (interpolated), or the project folder's name, normalised; it
 *      is then COMPOSE_PROJECT_NAME for interpolation;
 *   4. per file: interpolation and type casts (cv_interp.c), schema
 *      validation (schema.c), `include` (include.c), `extends` (extends.c),
 *      then the merge onto the files before it (merge.c) and the removal
 *      of redefined sequence entries;
 *   5. the active profiles.
 * Every file read is bounded (DW_COMPOSE_MAX_BYTES); include and extends
 * chains are bounded (DW_MAX_CHAIN) and cycles reported. */
#include "compose_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define DW_COMPOSE_MAX_BYTES (64u << 20)  /* a Compose or env file larger than this is refused */
#define DW_COMPOSE_MAX_NODES 400000u      /* YAML nodes, aliases expanded (alias bombs) */

/* ---- paths ---- */

/* Go's path.Clean on an absolute path (a relative one is made absolute first). */
static const char *clean_path(dw_arena *a, const char *path)
{
    size_t n = strlen(path);
    char *out = dw_arena_alloc(a, n + 2);
    size_t k = 0;
    out[k++] = '/';
    for (size_t i = 0; i < n;) {
        while (i < n && path[i] == '/') i++;
        size_t s = i;
        while (i < n && path[i] != '/') i++;
        size_t len = i - s;
        if (len == 0 || (len == 1 && path[s] == '.')) continue;
        if (len == 2 && path[s] == '.' && path[s + 1] == '.') {
            while (k > 1 && out[k - 1] != '/') k--;
            if (k > 1) k--;
            continue;
        }
        if (k > 1) out[k++] = '/';
        memcpy(out + k, path + s, len);
        k += len;
    }
    out[k] = 0;
    return out;
}

const char *dw_path_join(dw_arena *a, const char *dir, dw_str rel)
{
    if (rel.len && rel.ptr[0] == '/') return clean_path(a, dw_str_cstr(a, rel));
    if (rel.len && rel.ptr[0] == '~') {
        const char *home = getenv("HOME");
        if (home && *home) return clean_path(a, dw_arena_printf(a, "%s/%.*s", home, (int)rel.len - 1, rel.ptr + 1));
    }
    return clean_path(a, dw_arena_printf(a, "%s/%.*s", dir, (int)rel.len, rel.ptr));
}

static const char *cwd_path(dw_arena *a)
{
    char buf[PATH_MAX];
    return getcwd(buf, sizeof buf) ? dw_arena_memdup(a, buf, strlen(buf)) : "/";
}

/* The absolute path of `path`, symbolic links resolved when it exists. */
static const char *abs_of(dw_arena *a, const char *path)
{
    char buf[PATH_MAX];
    if (realpath(path, buf)) return dw_arena_memdup(a, buf, strlen(buf));
    return dw_path_join(a, cwd_path(a), dw_str_c(path));
}

static const char *dir_of(dw_arena *a, const char *abs)
{
    const char *slash = strrchr(abs, '/');
    if (!slash || slash == abs) return "/";
    return dw_arena_memdup(a, abs, (size_t)(slash - abs));
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Reads at most DW_COMPOSE_MAX_BYTES of `path`; NULL with errno (EFBIG
 * when it is larger, EISDIR for a folder). */
static char *read_bounded(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0) return NULL;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        errno = EISDIR;
        return NULL;
    }
    dw_buf b = {0};
    char chunk[65536];
    for (;;) {
        ssize_t r = read(fd, chunk, sizeof chunk);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            close(fd);
            dw_buf_free(&b);
            errno = e;
            return NULL;
        }
        if (r == 0) break;
        if (b.n + (size_t)r > DW_COMPOSE_MAX_BYTES) {
            close(fd);
            dw_buf_free(&b);
            errno = EFBIG;
            return NULL;
        }
        dw_buf_put(&b, chunk, (size_t)r);
    }
    close(fd);
    dw_buf_put(&b, "", 1);
    *len = b.n - 1;
    return b.p;
}

/* ---- errors and findings ---- */

void dw_compose_error(dw_compose_project *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *msg = dw_arena_vprintf(&p->arena, fmt, ap);
    va_end(ap);
    /* grown geometrically: a project with thousands of errors stays linear */
    p->errors = dw_vec_grow(&p->arena, (void *)p->errors, &p->errors_cap, p->nerrors + 1, sizeof *p->errors);
    p->errors[p->nerrors++] = msg;
}

dw_diag *dw_loader_report(dw_loader *L, int fi, const char *rule, dw_severity sev, dw_span span, const char *fmt, ...)
{
    dw_compose_project *p = L->p;
    const char *key = dw_arena_printf(&p->arena, "%d:%s:%u:%u", fi, rule, span.start, span.end);
    if (dw_strmap_get(&L->reported, dw_str_c(key))) return NULL;
    dw_strmap_put(&L->reported, dw_str_c(key), (void *)1);
    va_list ap;
    va_start(ap, fmt);
    const char *msg = dw_arena_vprintf(&p->arena, fmt, ap);
    va_end(ap);
    return dw_diag_emit(&p->arena, &p->files[fi].diags, rule, sev, span, "%s", msg);
}

/* ---- variables ---- */

typedef DW_VEC(dw_compose_var) var_vec;

const char *dw_scope_lookup(void *ud, const char *name, size_t len)
{
    dw_scope *sc = ud;
    return dw_strmap_get(&sc->vars, dw_str_make(name, len));
}

static void add_var(dw_compose_project *p, var_vec *vars, const char *name, const char *value,
                    uint16_t file, uint32_t line)
{
    dw_compose_var v = {name, value, file, line};
    DW_VEC_PUSH(&p->arena, *vars, v);
}

/* Puts `name` in the scope unless it is there already (the first source wins). */
static void scope_put(dw_scope *sc, const char *name, const char *value)
{
    if (!dw_strmap_get(&sc->vars, dw_str_c(name))) dw_strmap_put(&sc->vars, dw_str_c(name), (void *)value);
}

bool dw_env_file_read(dw_compose_project *p, const char *path, dw_scope *lookup, dw_entry_vec *prior)
{
    dw_arena *a = &p->arena;
    const char *abs = abs_of(a, path);
    size_t len;
    char *src = read_bounded(abs, &len);
    if (!src) {
        if (errno == ENOENT) dw_compose_error(p, "couldn't find env file: %s", abs);
        else if (errno == EISDIR) dw_compose_error(p, "%s is a directory", abs);
        else dw_compose_error(p, "%s: %s", abs, strerror(errno));
        return false;
    }
    dw_arena_adopt(a, src);
    dw_env_source *es = DW_NEW(a, dw_env_source, p->nenv_files + 1);
    if (p->nenv_files) memcpy(es, p->env_files, sizeof *es * p->nenv_files);
    p->env_files = es;
    dw_env_source *e = &p->env_files[p->nenv_files++];
    e->path = dw_shown_path(a, abs);
    e->src = src;
    e->len = (uint32_t)len;
    dw_linemap_build(&e->lines, a, src, e->len);
    dw_dotenv_entry *ent;
    uint32_t n;
    const char *err = NULL;
    uint32_t line = 0;
    /* ${X} in the file: the environment first, then the keys read before */
    int rc = dw_dotenv_parse_after(a, src, len, dw_scope_lookup, lookup, prior->v, prior->n, &ent, &n, &err, &line);
    if (rc < 0) {
        dw_compose_error(p, "failed to read %s: %s", abs, err);
        /* also a finding in the file itself, at the line Compose names */
        uint32_t l = line && line <= e->lines.count ? line : 1;
        uint32_t start = e->lines.count ? e->lines.starts[l - 1] : 0;
        dw_str text = e->lines.count ? dw_linemap_text(&e->lines, l) : dw_str_make("", 0);
        const char *why = err ? err : "the file does not parse";
        if (!strncmp(why, "line ", 5)) { /* the position says it already */
            const char *colon = strstr(why, ": ");
            if (colon) why = colon + 2;
        }
        dw_diag_emit(a, &e->diags, "env-file-syntax", DW_SEV_ERROR, (dw_span){start, start + (uint32_t)text.len},
                     "%s: Compose refuses to start", why);
    }
    for (uint32_t i = 0; i < n; i++) DW_VEC_PUSH(a, *prior, ent[i]);
    return rc == 0;
}

/* The --env-file files, COMPOSE_ENV_FILES, or <dir>/.env. */
static void load_env_files(dw_compose_project *p, const dw_compose_opts *o, dw_scope *os_env, var_vec *vars)
{
    dw_arena *a = &p->arena;
    DW_VEC(const char *) files = {0};
    for (uint32_t i = 0; i < o->nenv_files; i++) DW_VEC_PUSH(a, files, o->env_files[i]);
    const char *list = files.n ? NULL : dw_scope_lookup(os_env, "COMPOSE_ENV_FILES", 17);
    if (list && *list) {
        for (const char *s = list; *s;) {
            const char *comma = strchr(s, ',');
            size_t l = comma ? (size_t)(comma - s) : strlen(s);
            if (l) DW_VEC_PUSH(a, files, dw_arena_memdup(a, s, l));
            s += l + (comma ? 1 : 0);
        }
    }
    if (!files.n) {
        const char *off = dw_scope_lookup(os_env, "COMPOSE_DISABLE_ENV_FILE", 24);
        bool disabled = off && (!strcmp(off, "1") || !strcasecmp(off, "true") || !strcmp(off, "t"));
        const char *dotenv = dw_arena_printf(a, "%s/.env", p->dir);
        if (!disabled && is_file(dotenv)) DW_VEC_PUSH(a, files, dotenv);
    }
    dw_entry_vec prior = {0};
    for (uint32_t i = 0; i < files.n; i++) {
        uint32_t first = prior.n;
        dw_env_file_read(p, files.v[i], os_env, &prior);
        for (uint32_t k = first; k < prior.n; k++)
            if (prior.v[k].value)
                add_var(p, vars, prior.v[k].key, prior.v[k].value, (uint16_t)(p->nenv_files - 1), prior.v[k].line);
    }
}

/* ---- files ---- */

const char *dw_shown_path(dw_arena *a, const char *abs)
{
    const char *cwd = cwd_path(a);
    size_t n = strlen(cwd);
    if (n > 1 && !strncmp(abs, cwd, n) && abs[n] == '/') return abs + n + 1;
    return abs;
}

int dw_loader_read(dw_loader *L, const char *shown, const char *abs_path, bool included, const char *rel_base)
{
    dw_compose_project *p = L->p;
    dw_arena *a = &p->arena;
    if (!shown) shown = dw_shown_path(a, abs_path);
    uintptr_t known = (uintptr_t)dw_strmap_get(&L->by_path, dw_str_c(abs_path));
    if (known) return (int)known - 1;
    if (p->nfiles >= DW_MAX_FILES) {
        errno = EMFILE;
        return -1;
    }
    size_t len;
    char *src = L->opts && L->opts->read_text ? L->opts->read_text(L->opts->read_text_ud, abs_path, &len) : NULL;
    if (!src) src = read_bounded(abs_path, &len);
    if (!src) return -1;
    if (len >= UINT32_MAX) {
        free(src);
        errno = EFBIG;
        return -1;
    }
    dw_arena_adopt(a, src);
    if (p->nfiles == L->cap) {
        uint32_t nc = L->cap ? L->cap * 2 : 8;
        dw_compose_file *nf = DW_NEW(a, dw_compose_file, nc);
        if (p->nfiles) memcpy(nf, p->files, sizeof *nf * p->nfiles);
        p->files = nf;
        uint8_t *ns = DW_NEW(a, uint8_t, nc);
        if (p->nfiles) memcpy(ns, L->state, p->nfiles);
        L->state = ns;
        uint32_t *nd = DW_NEW(a, uint32_t, nc);
        if (p->nfiles) memcpy(nd, L->next_doc, sizeof *nd * p->nfiles);
        L->next_doc = nd;
        L->cap = nc;
    }
    int fi = (int)p->nfiles++;
    dw_compose_file *f = &p->files[fi];
    memset(f, 0, sizeof *f);
    f->path = dw_arena_memdup(a, shown, strlen(shown));
    f->abs_path = dw_arena_memdup(a, abs_path, strlen(abs_path));
    f->abs_dir = dir_of(a, f->abs_path);
    f->rel_base = rel_base ? rel_base : f->abs_dir;
    f->included = included;
    f->src = src;
    f->len = (uint32_t)len;
    dw_strmap_put(&L->by_path, dw_str_c(f->abs_path), (void *)(uintptr_t)(fi + 1));
    dw_linemap_build(&f->lines, a, f->src, f->len);
    dw_yaml_limits lim = {0, DW_COMPOSE_MAX_NODES};
    if (dw_yaml_parse(a, f->src, f->len, &lim, &f->yaml) < 0) {
        dw_yaml_error *e = &f->yaml.error;
        dw_diag_emit(a, &f->diags, "yaml-syntax", DW_SEV_ERROR, e->span, "%s", e->message);
        dw_compose_error(p, "failed to parse %s: yaml: line %u: %s", f->abs_path, e->pos.line, e->message);
        return fi;
    }
    /* one tree per document; later documents are merged onto the first
     * when the file is prepared, as Compose merges them */
    uint32_t before = f->diags.n, d = 0;
    while (d < f->yaml.ndocs && !f->root) f->root = dw_cv_from_yaml(a, f->yaml.docs[d++], (uint16_t)fi, &f->lines, &f->diags);
    L->next_doc[fi] = d;
    for (uint32_t i = before; i < f->diags.n; i++) {
        if (!strcmp(f->diags.v[i].rule, "yaml-syntax")) { /* cv.c's one: a `<<` that merges no mapping */
            dw_compose_error(p, "failed to parse %s: yaml: map merge requires map or sequence of maps as the value",
                             f->abs_path);
            break;
        }
        if (!strcmp(f->diags.v[i].rule, "compose-schema")) { /* cv.c's one: a key that is not a string */
            dw_compose_error(p, "%s", f->diags.v[i].message);
            break;
        }
        if (!strcmp(f->diags.v[i].rule, "duplicate-key")) {
            dw_pos at = dw_linemap_pos(&f->lines, f->diags.v[i].span.start);
            dw_compose_error(p, "failed to parse %s: yaml: line %u: %s", f->abs_path, at.line, f->diags.v[i].message);
            break;
        }
    }
    return fi;
}

/* The documents of file fi after the first that holds something. */
static dw_cv *later_document(dw_loader *L, int fi, uint32_t *d)
{
    dw_compose_file *f = &L->p->files[fi];
    while (*d < f->yaml.ndocs) {
        dw_cv *r = dw_cv_from_yaml(&L->p->arena, f->yaml.docs[(*d)++], (uint16_t)fi, &f->lines, &f->diags);
        if (r) return r;
    }
    return NULL;
}

static void prepare_tree(dw_loader *L, int fi, dw_cv *root, dw_scope *sc)
{
    dw_compose_file *f = &L->p->files[fi];
    if (root->kind != DW_CV_MAP) {
        dw_compose_error(L->p, "top-level object must be a mapping");
        dw_diag *d = dw_loader_report(L, fi, "compose-schema", DW_SEV_ERROR, root->span,
                                      "the top level of this Compose file is %s: Compose refuses it (it wants a "
                                      "mapping of services:, networks:, volumes: ...)",
                                      dw_cv_describe(root));
        if (d) d->help = "put the services under a top-level `services:` mapping";
        return;
    }
    dw_cv_interpolate(L, fi, root, dw_scope_lookup, sc);
    uint32_t before = f->diags.n;
    dw_compose_validate(&L->p->arena, root, &f->lines, &f->diags);
    /* Compose validates each file before it transforms it: its schema error
     * is what `config` prints, ahead of a port or duration it cannot read */
    for (uint32_t i = before; i < f->diags.n; i++)
        if (!strcmp(f->diags.v[i].rule, "compose-schema") && f->diags.v[i].severity == DW_SEV_ERROR) {
            dw_compose_error(L->p, "validating %s: %s", f->abs_path, f->diags.v[i].message);
            break;
        }
}

dw_cv *dw_loader_config(dw_loader *L, int fi, dw_scope *sc)
{
    dw_compose_project *p = L->p;
    dw_compose_file *f = &p->files[fi];
    if (L->state[fi] == 0) {
        L->state[fi] = 1;
        if (f->root) {
            prepare_tree(L, fi, f->root, sc);
            /* the documents after the first, merged in order */
            uint32_t d = L->next_doc[fi];
            for (dw_cv *next; (next = later_document(L, fi, &d));) {
                prepare_tree(L, fi, next, sc);
                if (next->kind != DW_CV_MAP || f->root->kind != DW_CV_MAP) continue;
                dw_cpath path = {0};
                f->root = dw_cv_merge(L, dw_cv_deep_copy(&p->arena, f->root), dw_cv_deep_copy(&p->arena, next), &path);
            }
        }
        L->state[fi] = 2;
    }
    if (!f->root || f->root->kind != DW_CV_MAP) return NULL;
    return dw_cv_deep_copy(&p->arena, f->root);
}

dw_cv *dw_cv_deep_copy(dw_arena *a, const dw_cv *v)
{
    if (!v) return NULL;
    dw_cv *c = dw_cv_copy(a, v);
    if (c->kind == DW_CV_MAP)
        for (uint32_t i = 0; i < c->n; i++) c->pairs[i].value = dw_cv_deep_copy(a, c->pairs[i].value);
    else if (c->kind == DW_CV_SEQ)
        for (uint32_t i = 0; i < c->n; i++) c->items[i] = dw_cv_deep_copy(a, c->items[i]);
    return c;
}

/* ---- the project name ---- */

/* compose-go's NormalizeProjectName: lower case, [a-z0-9_-] only, no
 * leading `_` or `-`. */
static const char *normalize_name(dw_arena *a, const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = dw_arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') o[k++] = c;
    }
    o[k] = 0;
    size_t skip = 0;
    while (o[skip] == '_' || o[skip] == '-') skip++;
    return o + skip;
}

static const char *project_name(dw_loader *L, const dw_compose_opts *o, dw_scope *sc, uint32_t nmain)
{
    dw_compose_project *p = L->p;
    dw_arena *a = &p->arena;
    const char *set = o->project_name;
    if (!set || !*set) set = dw_scope_lookup(sc, "COMPOSE_PROJECT_NAME", 20);
    if (set && *set) {
        if (strcmp(normalize_name(a, set), set) != 0)
            dw_compose_error(p,
                             "invalid project name \"%s\": must consist only of lowercase alphanumeric characters, "
                             "hyphens, and underscores as well as start with a letter or number",
                             set);
        return set;
    }
    const char *named = NULL;
    for (uint32_t i = 0; i < nmain; i++) {
        dw_cv *n = dw_cv_get(p->files[i].root, "name");
        if (!n || n->kind != DW_CV_STR || !n->raw.len) continue;
        dw_str out;
        dw_interp_error e;
        if (dw_interpolate(a, n->raw, dw_scope_lookup, sc, &out, &e, NULL, NULL) == 0 && out.len)
            named = dw_str_cstr(a, out);
    }
    if (named) {
        const char *norm = normalize_name(a, named);
        if (*norm) return norm;
    }
    const char *base = strrchr(p->dir, '/');
    return normalize_name(a, base ? base + 1 : p->dir);
}

/* ---- profiles ---- */

static void active_profiles(dw_compose_project *p, const dw_compose_opts *o, dw_scope *sc)
{
    dw_arena *a = &p->arena;
    DW_VEC(const char *) v = {0};
    for (uint32_t i = 0; i < o->nprofiles; i++) DW_VEC_PUSH(a, v, o->profiles[i]);
    const char *env = v.n ? NULL : dw_scope_lookup(sc, "COMPOSE_PROFILES", 16);
    for (const char *s = env; s && *s;) {
        const char *comma = strchr(s, ',');
        dw_str one = dw_str_trim_space(dw_str_make(s, comma ? (size_t)(comma - s) : strlen(s)));
        if (one.len) DW_VEC_PUSH(a, v, dw_str_cstr(a, one));
        if (!comma) break;
        s = comma + 1;
    }
    p->profiles = v.v;
    p->nprofiles = v.n;
}

bool dw_compose_service_enabled(const dw_compose_project *p, const dw_cv *service)
{
    const dw_cv *prof = dw_cv_get(service, "profiles");
    if (!prof || prof->kind != DW_CV_SEQ || !prof->n) return true;
    for (uint32_t i = 0; i < p->nprofiles; i++) {
        if (!strcmp(p->profiles[i], "*")) return true;
        for (uint32_t k = 0; k < prof->n; k++)
            if (dw_str_eqc(dw_cv_text(prof->items[k]), p->profiles[i])) return true;
    }
    return false;
}

/* ---- the whole project ---- */

/* The folder's override file, by compose's order of preference. */
static const char *override_file(dw_arena *a, const char *dir)
{
    static const char *const names[] = {"compose.override.yml", "compose.override.yaml",
                                        "docker-compose.override.yml", "docker-compose.override.yaml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        const char *path = dw_arena_printf(a, "%s/%s", dir, names[i]);
        if (is_file(path)) return path;
    }
    return NULL;
}

static const char *const base_names[] = {"compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"};

/* True for the names Compose discovers a project by. */
static bool base_name(const char *path)
{
    const char *name = strrchr(path, '/');
    name = name ? name + 1 : path;
    for (size_t i = 0; i < sizeof base_names / sizeof *base_names; i++)
        if (!strcmp(name, base_names[i])) return true;
    return false;
}

bool dw_compose_is_fragment(const dw_compose_project *p)
{
    if (!p || !p->nfiles || p->files[0].included) return false;
    uint32_t main_files = 0;
    for (uint32_t i = 0; i < p->nfiles; i++) main_files += !p->files[i].included;
    if (main_files != 1) return false; /* a base and its override, or several -f: the whole project */
    const char *name = strrchr(p->files[0].abs_path, '/');
    name = name ? name + 1 : p->files[0].abs_path;
    static const char *const overrides[] = {"compose.override.yml", "compose.override.yaml",
                                            "docker-compose.override.yml", "docker-compose.override.yaml"};
    for (size_t i = 0; i < sizeof overrides / sizeof *overrides; i++)
        if (!strcmp(name, overrides[i])) return true;
    if (base_name(name)) return false;
    /* compose.<x>.yaml, docker-compose.<x>.yml: a fragment when a base is beside it */
    if (strncmp(name, "compose.", 8) && strncmp(name, "docker-compose.", 15)) return false;
    dw_arena scratch;
    dw_arena_init(&scratch);
    bool base = false;
    for (size_t i = 0; i < sizeof base_names / sizeof *base_names && !base; i++)
        base = is_file(dw_arena_printf(&scratch, "%s/%s", p->files[0].abs_dir, base_names[i]));
    dw_arena_free(&scratch);
    return base;
}

static void read_environment(dw_compose_project *p, const dw_compose_opts *o, var_vec *vars)
{
    if (o->no_environ) return;
    char *const *env = o->environ ? (char *const *)o->environ : environ;
    for (size_t i = 0; env && env[i]; i++) {
        const char *eq = strchr(env[i], '=');
        if (!eq || eq == env[i]) continue;
        add_var(p, vars, dw_arena_memdup(&p->arena, env[i], (size_t)(eq - env[i])), eq + 1, UINT16_MAX, 0);
    }
}

dw_cv *dw_loader_add(dw_loader *L, dw_cv *model, int fi, dw_scope *sc, const char *const *chain, uint32_t nchain)
{
    dw_cv *cfg = dw_loader_config(L, fi, sc);
    if (!cfg) return model;
    const char *sub[DW_MAX_CHAIN + 1];
    if (nchain > DW_MAX_CHAIN) nchain = DW_MAX_CHAIN;
    if (nchain) memcpy(sub, chain, sizeof *sub * nchain);
    sub[nchain] = L->p->files[fi].abs_path;
    dw_apply_include(L, fi, cfg, sc, sub, nchain + 1);
    dw_apply_extends(L, fi, cfg, sc);
    dw_cpath path = {0};
    model = model ? dw_cv_merge(L, model, cfg, &path) : cfg;
    if (model) dw_cv_strip_resets(model);
    return model;
}

static void build_model(dw_loader *L, dw_scope *sc, uint32_t nmain)
{
    dw_cv *model = NULL;
    for (uint32_t i = 0; i < nmain; i++) model = dw_loader_add(L, model, (int)i, sc, NULL, 0);
    L->p->model = model;
}

dw_compose_project *dw_compose_load(const char *const *paths, uint32_t npaths, const dw_compose_opts *opts,
                                    const char **why)
{
    static const dw_compose_opts none;
    const dw_compose_opts *o = opts ? opts : &none;
    dw_compose_project *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    dw_arena_init(&p->arena);
    dw_arena *a = &p->arena;
    dw_loader L;
    memset(&L, 0, sizeof L);
    L.p = p;
    L.opts = o;

    if (o->project_dir) p->dir = abs_of(a, o->project_dir);
    else if (npaths) p->dir = dir_of(a, abs_of(a, paths[0]));
    else p->dir = cwd_path(a);

    /* 1. variables: the environment, then the env files */
    var_vec vars = {0};
    read_environment(p, o, &vars);
    dw_scope os_env = {{0}, p->dir};
    for (uint32_t i = 0; i < vars.n; i++) scope_put(&os_env, vars.v[i].name, vars.v[i].value);
    load_env_files(p, o, &os_env, &vars);
    dw_scope sc = {{0}, p->dir};
    for (uint32_t i = 0; i < vars.n; i++) scope_put(&sc, vars.v[i].name, vars.v[i].value);
    dw_strmap_free(&os_env.vars);

    /* 2. the files */
    int failed = 0;
    for (uint32_t i = 0; i < npaths && !failed; i++) {
        const char *abs = abs_of(a, paths[i]);
        int before = (int)p->nfiles;
        int fi = dw_loader_read(&L, paths[i], abs, false, p->dir);
        if (fi < 0) failed = errno ? errno : EIO;
        else if (fi < before) { /* the same file named twice: read it again as its own entry */
            dw_strmap_free(&L.by_path);
            for (uint32_t k = 0; k < p->nfiles; k++)
                if ((int)k != fi) dw_strmap_put(&L.by_path, dw_str_c(p->files[k].abs_path), (void *)(uintptr_t)(k + 1));
            fi = dw_loader_read(&L, paths[i], abs, false, p->dir);
            if (fi < 0) failed = errno ? errno : EIO;
        }
    }
    if (failed) {
        dw_strmap_free(&sc.vars);
        dw_strmap_free(&L.by_path);
        dw_strmap_free(&L.reported);
        dw_compose_free(p);
        errno = failed;
        if (why) *why = strerror(failed);
        return NULL;
    }
    uint32_t nmain = p->nfiles;
    /* Compose merges the override file onto the base file it discovered
     * (compose.yaml, docker-compose.yml, ...), not onto compose.prod.yaml */
    if (npaths == 1 && !o->no_override && p->nfiles == 1 && base_name(p->files[0].abs_path)) {
        const char *ov = override_file(a, p->files[0].abs_dir);
        if (ov) {
            const char *slash = strrchr(paths[0], '/');
            const char *shown = slash ? dw_arena_printf(a, "%.*s%s", (int)(slash - paths[0] + 1), paths[0],
                                                        strrchr(ov, '/') + 1)
                                      : strrchr(ov, '/') + 1;
            int fi = dw_loader_read(&L, shown, abs_of(a, ov), false, p->dir);
            if (fi >= 0) {
                p->files[fi].is_override = true;
                nmain = p->nfiles;
            }
        }
    }

    /* 3. the project name, then COMPOSE_PROJECT_NAME for interpolation */
    p->name = project_name(&L, o, &sc, nmain);
    if (!*p->name) dw_compose_error(p, "project name must not be empty");
    {
        var_vec all = {0};
        add_var(p, &all, "COMPOSE_PROJECT_NAME", p->name, UINT16_MAX, 0);
        for (uint32_t i = 0; i < vars.n; i++)
            if (strcmp(vars.v[i].name, "COMPOSE_PROJECT_NAME")) DW_VEC_PUSH(a, all, vars.v[i]);
        p->vars = all.v;
        p->nvars = all.n;
        dw_strmap_put(&sc.vars, dw_str_c("COMPOSE_PROJECT_NAME"), (void *)p->name);
    }

    /* 4. the model, its values converted as Compose converts them; 5. the profiles */
    build_model(&L, &sc, nmain);
    dw_compose_check_values(&L);
    dw_compose_validate_model(&L);
    if ((!p->model || (p->model->kind == DW_CV_MAP && !p->model->n)) && !p->nerrors && nmain) {
        /* nothing but comments, blanks or `{}` in every file: Compose stops */
        dw_compose_error(p, "empty compose file");
        dw_diag *d = dw_loader_report(&L, 0, "compose-schema", DW_SEV_ERROR, (dw_span){0, 0},
                                      "this Compose file is empty: Compose refuses a project with no content "
                                      "(`empty compose file`)");
        if (d) d->help = "add a `services:` section, or delete the file";
    }
    active_profiles(p, o, &sc);
    dw_compose_check_consistency(&L);
    dw_strmap_free(&sc.vars);
    dw_strmap_free(&L.by_path);
    dw_strmap_free(&L.reported);
    return p;
}

void dw_compose_free(dw_compose_project *p)
{
    if (!p) return;
    dw_arena_free(&p->arena);
    free(p);
}
