/* context_index.c — see context_index.h.
 *
 * One dw_context_walk gives everything: entries arrive parents first, in
 * byte order, so everything below a top-level entry (or below a folder such
 * as node_modules) arrives in one run. The walk keeps one running total per
 * top-level entry, one "zone" — the folder being crossed that no build
 * needs (node_modules, .git …: nothing in it is looked at) — and one "quiet"
 * folder — test data, vendored code or a secret folder, whose
 * secret-looking files are not counted — instead of maps: constant memory
 * whatever the size of the context. What a name is comes from
 * context_facts.h, the table `dockwright context` reads too. */
#include "context_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <dirent.h>
#include <sys/stat.h>

/* ---- building ---- */

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* The rows counted: the folders and files no build needs. */
static void index_rows(dw_context_index *ci)
{
    uint32_t n;
    const dw_cf_fact *t = dw_cf_table(&n);
    for (uint32_t i = 0; i < n && i < DW_CI_FACTS; i++)
        if (t[i].never_needed) ci->wk[i].fact = &t[i];
    ci->nwk = n < DW_CI_FACTS ? n : DW_CI_FACTS;
}

static dw_context_index *index_new(const char *context_dir)
{
    dw_context_index *ci = calloc(1, sizeof *ci);
    if (!ci) dw_oom();
    index_rows(ci);
    ci->known = true;
    ci->dir = strdup(context_dir);
    struct stat st;
    ci->exists = stat(ci->dir, &st) == 0 && S_ISDIR(st.st_mode);
    return ci;
}

/* The file to create when there is none: in the context folder. */
static void set_ignore_shown(dw_context_index *ci)
{
    if (ci->ignore_path || !ci->dir || !strcmp(ci->dir, ".")) return;
    const char *d = ci->dir;
    while (!strncmp(d, "./", 2) && d[2]) d += 2;
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/') n--;
    ci->ignore_shown = malloc(n + sizeof "/.dockerignore");
    if (!ci->ignore_shown) dw_oom();
    sprintf(ci->ignore_shown, "%.*s/.dockerignore", (int)n, d);
}

dw_context_index *dw_context_index_open(const char *context_dir, const char *dockerfile)
{
    bool from_stdin = !dockerfile || !strcmp(dockerfile, "-");
    if (!context_dir && from_stdin) {
        dw_context_index *ci = calloc(1, sizeof *ci);
        if (!ci) dw_oom();
        return ci; /* no context: the rules stay silent */
    }
    char *dir = context_dir ? strdup(context_dir) : folder_of(dockerfile);
    dw_context_index *ci = index_new(dir);
    free(dir);
    ci->ignore_path = dw_dockerignore_locate(from_stdin ? NULL : dockerfile, ci->dir, &ci->ignore_beside);
    if (ci->ignore_path) {
        ci->ignore = dw_dockerignore_load(ci->ignore_path);
        ci->ignore_owned = true;
    }
    set_ignore_shown(ci);
    return ci;
}

dw_context_index *dw_context_index_with(const char *context_dir, const dw_dockerignore *di)
{
    dw_context_index *ci = index_new(context_dir ? context_dir : ".");
    ci->ignore = (dw_dockerignore *)di;
    if (di && di->path) ci->ignore_path = strdup(di->path);
    set_ignore_shown(ci);
    return ci;
}

const char *dw_context_index_ignore_name(const dw_context_index *ci)
{
    const char *p = ci->ignore_path;
    while (p && !strncmp(p, "./", 2)) p += 2;
    if (p) return p;
    return ci->ignore_shown ? ci->ignore_shown : ".dockerignore";
}


void dw_context_index_free(dw_context_index *ci)
{
    if (!ci) return;
    if (ci->ignore_owned) dw_dockerignore_free(ci->ignore);
    free(ci->ignore_path);
    free(ci->ignore_shown);
    free(ci->dir);
    for (uint32_t i = 0; i < ci->nlargest; i++) free(ci->largest[i].path);
    for (uint32_t i = 0; i < ci->nsecrets_kept; i++) free(ci->secrets[i]);
    for (uint32_t k = 0; k < ci->nwk; k++) free(ci->wk[k].path);
    for (uint32_t k = 0; k < ci->nwanted; k++) free(ci->wanted[k]);
    free(ci->wanted);
    free(ci);
}

/* ---- what the Dockerfiles want ---- */

#define WANTED_MAX 4096u
#define WANT_FILES_MAX 32u

void dw_context_index_want(dw_context_index *ci, const dw_dockerfile *df)
{
    dw_ctx_read_iter it = {0, 0, true};
    dw_ctx_read r;
    while (ci->nwanted < WANTED_MAX && dw_ctx_read_next(df, &it, &r)) {
        char *base = malloc(2 * r.value.len + 3);
        if (!base) dw_oom();
        char *src = base + r.value.len + 3;
        memcpy(src, r.value.ptr, r.value.len);
        if (r.windows) dw_copy_source_slashes(src, r.value.len);
        size_t n = dw_copy_source_base(src, r.value.len, r.parents, base);
        if (!n) {
            free(base);
            continue;
        }
        base[n] = 0;
        if (!(ci->nwanted & (ci->nwanted - 1)) || !ci->wanted) {
            ci->wanted = realloc(ci->wanted, sizeof *ci->wanted * (ci->nwanted ? 2 * ci->nwanted : 1));
            if (!ci->wanted) dw_oom();
        }
        ci->wanted[ci->nwanted++] = base;
    }
}

static void want_file(dw_context_index *ci, const char *path, uint32_t *parsed)
{
    if (*parsed >= WANT_FILES_MAX) return;
    dw_dockerfile *df = dw_dockerfile_parse_path(path, NULL, NULL);
    if (!df) return;
    ++*parsed;
    dw_context_index_want(ci, df);
    dw_dockerfile_free(df);
}

/* The Dockerfiles in `dir`; with `sub`, also in its direct subfolders
 * (not hidden ones, not folders no build needs). */
static void want_in(dw_context_index *ci, const char *dir, bool sub, uint32_t *parsed)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *de;
    unsigned seen = 0;
    dw_buf p = {0};
    while ((de = readdir(d)) && seen++ < 4096 && *parsed < WANT_FILES_MAX) {
        const char *nm = de->d_name;
        if (nm[0] == '.') continue;
        p.n = 0;
        dw_buf_printf(&p, "%s/%s", dir, nm);
        dw_buf_putc(&p, 0);
        struct stat st;
        if (stat(p.p, &st) != 0) continue;
        if (S_ISREG(st.st_mode) && dw_is_dockerfile_name(nm)) want_file(ci, p.p, parsed);
        else if (sub && S_ISDIR(st.st_mode) && !dw_cf_lookup(nm, strlen(nm), true)) want_in(ci, p.p, false, parsed);
    }
    dw_buf_free(&p);
    closedir(d);
}

void dw_context_index_want_dockerfiles(dw_context_index *ci)
{
    if (!ci->known || !ci->exists) return;
    uint32_t parsed = 0;
    const char *ip = ci->ignore_path;
    size_t n = ip ? strlen(ip) : 0, suf = strlen(".dockerignore");
    const char *slash = ip ? strrchr(ip, '/') : NULL;
    const char *name = slash ? slash + 1 : ip;
    if (ip && strlen(name) > suf) { /* <Dockerfile>.dockerignore: that Dockerfile alone */
        char *df = strndup(ip, n - suf);
        if (!df) dw_oom();
        want_file(ci, df, &parsed);
        free(df);
        return;
    }
    want_in(ci, ci->dir, true, &parsed);
}

static int cmp_wanted(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The build copies `path` (or something in it) on purpose. The wanted
 * paths are sorted (dw_context_index_scan): those starting with `path`
 * follow one another from the first one not below it. */
static bool is_wanted(const dw_context_index *ci, const char *path, size_t len)
{
    uint32_t lo = 0, hi = ci->nwanted;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strncmp(ci->wanted[mid], path, len) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < ci->nwanted && !strncmp(ci->wanted[i], path, len); i++) {
        char c = ci->wanted[i][len];
        if (c == 0 || c == '/') return true;
        if ((unsigned char)c > '/') break; /* "path0", "pathx" and later: no "path/" after them */
    }
    return false;
}

/* ---- the walk ---- */

typedef struct {
    dw_context_index *ci;
    /* the top-level entry being summed */
    dw_buf top;
    uint64_t top_bytes;
    bool top_dir, have_top;
    /* the folder no build needs being crossed (zone), its row and sums */
    bool in_zone;
    dw_buf zpath;
    uint32_t zrow;
    bool zsent, zwanted;
    uint64_t zbytes;
    /* the quiet folder being crossed: no secrets counted in it */
    bool in_quiet;
    dw_buf qpath;
    /* scratch: "<context>/<path>" for dw_cf_confirm */
    dw_buf disk;
} scan;

static void flush_top(scan *s)
{
    dw_context_index *ci = s->ci;
    if (!s->have_top) return;
    s->have_top = false;
    uint32_t at = ci->nlargest;
    while (at > 0 && ci->largest[at - 1].bytes < s->top_bytes) at--;
    if (at >= DW_CI_LARGEST) return;
    if (ci->nlargest == DW_CI_LARGEST) free(ci->largest[DW_CI_LARGEST - 1].path);
    else ci->nlargest++;
    memmove(&ci->largest[at + 1], &ci->largest[at], sizeof *ci->largest * (ci->nlargest - 1 - at));
    ci->largest[at] = (dw_ci_entry){strndup(s->top.p, s->top.n), s->top_bytes, s->top_dir};
}

/* Adds one folder (or file) no build needs to its row. */
static void count_row(dw_context_index *ci, uint32_t row, const char *path, size_t len, bool sent, uint64_t bytes)
{
    dw_wk_folder *f = &ci->wk[row];
    if (sent) {
        if (!f->path) f->path = strndup(path, len);
        f->sent++;
        f->bytes += bytes;
    } else {
        f->excluded = true;
    }
}

static void end_zone(scan *s)
{
    if (!s->zwanted) count_row(s->ci, s->zrow, s->zpath.p, s->zpath.n, s->zsent, s->zbytes);
    s->in_zone = false;
}

/* The entry lies below the folder `dir`. */
static bool below(const dw_context_entry *e, const dw_buf *dir)
{
    return e->len > dir->n && !memcmp(e->path, dir->p, dir->n) && e->path[dir->n] == '/';
}

static void add_secret(dw_context_index *ci, const char *path, size_t len, bool dir)
{
    if (ci->nsecrets_kept < DW_CI_SECRETS_KEPT) {
        char *p = malloc(len + 2);
        if (!p) dw_oom();
        memcpy(p, path, len);
        if (dir) p[len++] = '/';
        p[len] = 0;
        ci->secrets[ci->nsecrets_kept++] = p;
    }
    ci->nsecrets++;
}

/* The table row of a counted folder or file no build needs, once its disk
 * conditions are checked; -1 for none. */
static int counted_row(scan *s, const dw_context_entry *e, const char *name, size_t nlen, bool dir)
{
    const dw_cf_fact *f = dw_cf_lookup(name, nlen, dir);
    if (!f || !f->never_needed) return -1;
    uint32_t n;
    const dw_cf_fact *t = dw_cf_table(&n);
    int row = (int)(f - t);
    if (row >= (int)s->ci->nwk || !s->ci->wk[row].fact) return -1;
    if (f->marker || f->beside) {
        s->disk.n = 0;
        dw_buf_printf(&s->disk, "%s/%.*s", s->ci->dir, (int)e->len, e->path);
        dw_buf_putc(&s->disk, 0);
        if (!dw_cf_confirm(f, s->disk.p, nlen)) return -1;
    }
    return row;
}

static int on_entry(const dw_context_entry *e, void *ud)
{
    scan *s = ud;
    dw_context_index *ci = s->ci;
    if (++ci->entries > DW_CI_MAX_ENTRIES) {
        ci->truncated = true;
        return 1;
    }
    const char *name = strrchr(e->path, '/');
    name = name ? name + 1 : e->path;
    size_t nlen = e->len - (size_t)(name - e->path);
    bool dir = e->type == DW_CW_DIR;
    uint64_t bytes = e->sent && e->type == DW_CW_FILE ? e->size : 0;

    if (e->depth == 0) {
        flush_top(s);
        s->top.n = 0;
        dw_buf_put(&s->top, e->path, e->len);
        s->top_bytes = 0;
        s->top_dir = dir;
        s->have_top = true;
    }
    s->top_bytes += bytes;

    if (s->in_zone && !below(e, &s->zpath)) end_zone(s);
    if (s->in_zone) {
        s->zbytes += bytes;
        return 0;
    }
    if (s->in_quiet && !below(e, &s->qpath)) s->in_quiet = false;
    if (e->type != DW_CW_DIR && e->type != DW_CW_FILE) return 0;
    int row = counted_row(s, e, name, nlen, dir);
    /* a folder the ignore file excludes is still walked when an exception
     * re-includes something below it (`node_modules` then
     * `!node_modules/keep`): the author chose what to send from it */
    bool sent = e->sent && !(dir && ci->ignore && ci->ignore->exceptions &&
                             dw_dockerignore_matches(ci->ignore, e->path, e->len, NULL) == DW_DI_MATCH);
    if (row >= 0 && dir) {
        s->in_zone = true;
        s->zrow = (uint32_t)row;
        s->zpath.n = 0;
        dw_buf_put(&s->zpath, e->path, e->len);
        s->zsent = sent;
        s->zwanted = is_wanted(ci, e->path, e->len);
        s->zbytes = 0;
        return 0;
    }
    if (row >= 0) {
        if (!is_wanted(ci, e->path, e->len)) count_row(ci, (uint32_t)row, e->path, e->len, e->sent, bytes);
        return 0;
    }
    if (s->in_quiet) return 0;
    bool secret = dw_cf_secret(name, nlen, dir);
    if (secret && sent && !is_wanted(ci, e->path, e->len)) add_secret(ci, e->path, e->len, dir);
    if (dir && (secret || dw_cf_quiet_dir(name, nlen))) {
        s->in_quiet = true;
        s->qpath.n = 0;
        dw_buf_put(&s->qpath, e->path, e->len);
    }
    return 0;
}

void dw_context_index_scan(dw_context_index *ci, unsigned flags)
{
    if (ci->scanned) return;
    ci->scanned = true;
    if (!ci->known || !ci->exists) return;
    if (ci->nwanted > 1) qsort(ci->wanted, ci->nwanted, sizeof *ci->wanted, cmp_wanted);
    scan s;
    memset(&s, 0, sizeof s);
    s.ci = ci;
    dw_context_opts o = {(flags & DW_CI_WITH_EXCLUDED) != 0};
    dw_context_walk(ci->dir, ci->ignore, &o, on_entry, &s, &ci->stats);
    flush_top(&s);
    if (s.in_zone) end_zone(&s);
    dw_buf_free(&s.top);
    dw_buf_free(&s.zpath);
    dw_buf_free(&s.qpath);
    dw_buf_free(&s.disk);
}
