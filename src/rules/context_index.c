/* context_index.c — see context_index.h.
 *
 * One dw_context_walk gives everything: entries arrive parents first, in
 * byte order, so everything below a top-level entry (or below a folder such
 * as node_modules) arrives in one run. The walk keeps one running total per
 * top-level entry and one "zone" — the folder being crossed that is a
 * well-known folder, a vendor folder or a secret folder (.ssh, .aws) —
 * instead of maps: constant memory whatever the size of the context. */
#include "context_index.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static const struct {
    const char *name;
    const char *marker; /* a child that must be seen to be sure (NULL: the name is enough) */
} wk_names[DW_WK__COUNT] = {
    [DW_WK_GIT] = {".git", NULL},
    [DW_WK_NODE_MODULES] = {"node_modules", NULL},
    [DW_WK_VENV] = {".venv", NULL},
    [DW_WK_PYCACHE] = {"__pycache__", NULL},
    [DW_WK_TOX] = {".tox", NULL},
    [DW_WK_NOX] = {".nox", NULL},
    [DW_WK_PYTEST_CACHE] = {".pytest_cache", NULL},
    [DW_WK_MYPY_CACHE] = {".mypy_cache", NULL},
    [DW_WK_RUFF_CACHE] = {".ruff_cache", NULL},
    [DW_WK_CARGO_TARGET] = {"target", "CACHEDIR.TAG"},   /* cargo writes it; Maven's target/ is often an input */
    [DW_WK_COVERAGE] = {"htmlcov", NULL},
    [DW_WK_TERRAFORM] = {".terraform", NULL},
    [DW_WK_GRADLE] = {".gradle", NULL},
};

const char *dw_wk_name(dw_wk_kind k) { return k < DW_WK__COUNT ? wk_names[k].name : "?"; }

static bool name_is(const char *n, size_t len, const char *want)
{
    return strlen(want) == len && !memcmp(n, want, len);
}

static bool ends_with(const char *n, size_t len, const char *suf)
{
    size_t k = strlen(suf);
    return len >= k && !memcmp(n + len - k, suf, k);
}

static bool starts_with(const char *n, size_t len, const char *pre)
{
    size_t k = strlen(pre);
    return len >= k && !memcmp(n, pre, k);
}

/* The kind a folder name announces, with `marker` set when a child must
 * confirm it; -1 for none. A plain `venv` counts when it holds pyvenv.cfg. */
static int wk_kind_of(const char *n, size_t len, const char **marker)
{
    *marker = NULL;
    if (name_is(n, len, "venv")) { *marker = "pyvenv.cfg"; return DW_WK_VENV; }
    for (int k = 0; k < DW_WK__COUNT; k++) {
        if (!name_is(n, len, wk_names[k].name)) continue;
        *marker = wk_names[k].marker;
        return k;
    }
    return -1;
}

bool dw_secret_name(const char *n, size_t len, bool dir)
{
    if (dir) return name_is(n, len, ".aws") || name_is(n, len, ".ssh");
    if (name_is(n, len, ".env") || name_is(n, len, ".envrc")) return true;
    if (starts_with(n, len, ".env.")) {
        static const char *const templates[] = {".example", ".sample", ".template", ".dist", ".defaults"};
        for (size_t i = 0; i < sizeof templates / sizeof *templates; i++)
            if (ends_with(n, len, templates[i])) return false;
        return true;
    }
    if ((ends_with(n, len, ".pem") || ends_with(n, len, ".key")) && len > 4) return true;
    static const char *const ssh_keys[] = {"id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"};
    for (size_t i = 0; i < sizeof ssh_keys / sizeof *ssh_keys; i++)
        if (starts_with(n, len, ssh_keys[i]) && !ends_with(n, len, ".pub")) return true;
    if (name_is(n, len, ".npmrc") || name_is(n, len, ".pypirc") || name_is(n, len, ".git-credentials")) return true;
    return starts_with(n, len, "credentials") && ends_with(n, len, ".json");
}

void dw_format_size(uint64_t b, char out[32])
{
    if (b < 1000) snprintf(out, 32, "%llu B", (unsigned long long)b);
    else if (b < 1000000) snprintf(out, 32, "%.1f kB", (double)b / 1e3);
    else if (b < 1000000000) snprintf(out, 32, "%.1f MB", (double)b / 1e6);
    else snprintf(out, 32, "%.2f GB", (double)b / 1e9);
}

/* ---- building ---- */

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) return strdup(".");
    if (slash == path) return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

static dw_context_index *index_new(const char *context_dir)
{
    dw_context_index *ci = calloc(1, sizeof *ci);
    if (!ci) dw_oom();
    ci->known = true;
    ci->dir = strdup(context_dir);
    struct stat st;
    ci->exists = stat(ci->dir, &st) == 0 && S_ISDIR(st.st_mode);
    return ci;
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
    return ci;
}

dw_context_index *dw_context_index_with(const char *context_dir, const dw_dockerignore *di)
{
    dw_context_index *ci = index_new(context_dir ? context_dir : ".");
    ci->ignore = (dw_dockerignore *)di;
    if (di && di->path) ci->ignore_path = strdup(di->path);
    return ci;
}

void dw_context_index_free(dw_context_index *ci)
{
    if (!ci) return;
    if (ci->ignore_owned) dw_dockerignore_free(ci->ignore);
    free(ci->ignore_path);
    free(ci->dir);
    for (uint32_t i = 0; i < ci->nlargest; i++) free(ci->largest[i].path);
    for (uint32_t i = 0; i < ci->nsecrets_kept; i++) free(ci->secrets[i]);
    for (int k = 0; k < DW_WK__COUNT; k++) free(ci->wk[k].path);
    free(ci);
}

/* ---- the walk ---- */

typedef enum { Z_NONE, Z_WK, Z_QUIET } zone_kind; /* Z_QUIET: vendor/, .ssh/, .aws/ */

typedef struct {
    dw_context_index *ci;
    /* the top-level entry being summed */
    dw_buf top;
    uint64_t top_bytes;
    bool top_dir, have_top;
    /* the zone being crossed */
    zone_kind zone;
    dw_buf zpath;
    int zkind;
    const char *zmarker;  /* still to be seen for the folder to count */
    bool zsent;
    uint64_t zbytes;
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

static void end_zone(scan *s)
{
    if (s->zone == Z_WK && !s->zmarker) {
        dw_wk_folder *f = &s->ci->wk[s->zkind];
        if (s->zsent) {
            if (!f->path) f->path = strndup(s->zpath.p, s->zpath.n);
            f->sent++;
            f->bytes += s->zbytes;
        } else {
            f->excluded = true;
        }
    }
    s->zone = Z_NONE;
}

static void start_zone(scan *s, zone_kind z, const dw_context_entry *e)
{
    s->zone = z;
    s->zpath.n = 0;
    dw_buf_put(&s->zpath, e->path, e->len);
    s->zsent = e->sent;
    s->zbytes = 0;
    s->zmarker = NULL;
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

    if (s->zone != Z_NONE) {
        bool inside = e->len > s->zpath.n && !memcmp(e->path, s->zpath.p, s->zpath.n) && e->path[s->zpath.n] == '/';
        if (!inside) end_zone(s);
    }
    if (s->zone != Z_NONE) {
        s->zbytes += bytes;
        /* the marker is a direct child */
        if (s->zmarker && (size_t)(name - e->path) == s->zpath.n + 1 && name_is(name, nlen, s->zmarker))
            s->zmarker = NULL;
        return 0;
    }
    if (dir) {
        const char *marker;
        int k = wk_kind_of(name, nlen, &marker);
        if (k >= 0) {
            start_zone(s, Z_WK, e);
            s->zkind = k;
            s->zmarker = marker;
            return 0;
        }
        if (name_is(name, nlen, "vendor") || dw_secret_name(name, nlen, true)) {
            start_zone(s, Z_QUIET, e);
            if (e->sent && dw_secret_name(name, nlen, true)) add_secret(ci, e->path, e->len, true);
            return 0;
        }
    } else if (e->sent && e->type == DW_CW_FILE && dw_secret_name(name, nlen, false)) {
        add_secret(ci, e->path, e->len, false);
    }
    return 0;
}

void dw_context_index_scan(dw_context_index *ci, unsigned flags)
{
    if (ci->scanned) return;
    ci->scanned = true;
    if (!ci->known || !ci->exists) return;
    scan s;
    memset(&s, 0, sizeof s);
    s.ci = ci;
    dw_context_opts o = {(flags & DW_CI_WITH_EXCLUDED) != 0};
    dw_context_walk(ci->dir, ci->ignore, &o, on_entry, &s, &ci->stats);
    flush_top(&s);
    if (s.zone != Z_NONE) end_zone(&s);
    dw_buf_free(&s.top);
    dw_buf_free(&s.zpath);
}
