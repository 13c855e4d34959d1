/* copy_sources.c — see copy_sources.h for what BuildKit does; this file
 * does the same on the context folder.
 *
 * Every path is kept relative to the context inside one buffer that starts
 * with "<context_dir>/": a component is appended only after lstat showed it
 * is a real directory (or it is the entry being looked at), so opening the
 * buffer's path never follows a symlink; symlinks named by a source are
 * resolved by hand, inside the context (resolve()). Each directory is read
 * whole, closed and sorted by name (Go's ReadDir order) before its entries
 * are visited, so at most one directory is open at a time. */
#include "copy_sources.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- Go's path/filepath.Match ---- */

/* getEsc: one class character, maybe escaped; -1 when malformed. */
static int class_char(const char *c, size_t cn, size_t *ci, uint32_t *r)
{
    size_t i = *ci;
    if (i >= cn || c[i] == '-' || c[i] == ']') return -1;
    if (c[i] == '\\' && ++i == cn) return -1;
    int w;
    *r = dw_utf8_decode(c + i, cn - i, &w);
    bool bad = *r == 0xFFFD && w == 1;
    i += (size_t)w;
    *ci = i;
    return bad || i == cn ? -1 : 0; /* the class must still be closed */
}

/* matchChunk: 1 and *used when `chunk` matches a prefix of s, 0 when not,
 * -1 when the chunk is malformed (checked to its end even after a
 * mismatch, as Go does). */
static int match_chunk(const char *c, size_t cn, const char *s, size_t sn, size_t *used)
{
    bool failed = false;
    size_t ci = 0, si = 0;
    while (ci < cn) {
        if (!failed && si == sn) failed = true;
        int w;
        if (c[ci] == '[') {
            uint32_t r = 0;
            if (!failed) {
                r = dw_utf8_decode(s + si, sn - si, &w);
                si += (size_t)w;
            }
            ci++;
            bool negated = ci < cn && c[ci] == '^';
            if (negated) ci++;
            bool match = false;
            for (int nrange = 0;; nrange++) {
                if (ci < cn && c[ci] == ']' && nrange > 0) { ci++; break; }
                uint32_t lo, hi;
                if (class_char(c, cn, &ci, &lo) < 0) return -1;
                hi = lo;
                if (c[ci] == '-') {
                    ci++;
                    if (class_char(c, cn, &ci, &hi) < 0) return -1;
                }
                if (lo <= r && r <= hi) match = true;
            }
            if (match == negated) failed = true;
        } else if (c[ci] == '?') {
            if (!failed) {
                if (s[si] == '/') failed = true;
                dw_utf8_decode(s + si, sn - si, &w);
                si += (size_t)w;
            }
            ci++;
        } else {
            if (c[ci] == '\\' && ++ci == cn) return -1;
            if (!failed) {
                if (c[ci] != s[si]) failed = true;
                si++;
            }
            ci++;
        }
    }
    if (failed) return 0;
    *used = si;
    return 1;
}

/* scanChunk: skips leading stars, then runs to the next '*' outside a class. */
static bool scan_chunk(const char *p, size_t pn, size_t *pi, size_t *cs, size_t *ce)
{
    bool star = false;
    size_t i = *pi;
    while (i < pn && p[i] == '*') { i++; star = true; }
    *cs = i;
    bool inrange = false;
    for (; i < pn; i++) {
        if (p[i] == '\\') { if (i + 1 < pn) i++; }
        else if (p[i] == '[') inrange = true;
        else if (p[i] == ']') inrange = false;
        else if (p[i] == '*' && !inrange) break;
    }
    *ce = i;
    *pi = i;
    return star;
}

int dw_go_match(const char *p, size_t pn, const char *s, size_t sn)
{
    size_t pi = 0, ni = 0;
next:
    while (pi < pn) {
        size_t cs, ce, used;
        bool star = scan_chunk(p, pn, &pi, &cs, &ce);
        if (star && cs == ce) return memchr(s + ni, '/', sn - ni) ? 0 : 1; /* a trailing * */
        int r = match_chunk(p + cs, ce - cs, s + ni, sn - ni, &used);
        if (r == 1 && (ni + used == sn || pi < pn)) { ni += used; continue; }
        if (r < 0) return -1;
        if (star) {
            /* the star takes one more byte at a time, never a '/' */
            for (size_t i = ni; i < sn && s[i] != '/'; i++) {
                r = match_chunk(p + cs, ce - cs, s + i + 1, sn - i - 1, &used);
                if (r == 1) {
                    if (pi == pn && i + 1 + used < sn) continue; /* the last chunk must end the name */
                    ni = i + 1 + used;
                    goto next;
                }
                if (r < 0) return -1;
            }
        }
        /* no match: the rest of the pattern must still be well-formed */
        while (pi < pn) {
            scan_chunk(p, pn, &pi, &cs, &ce);
            if (match_chunk(p + cs, ce - cs, "", 0, &used) < 0) return -1;
        }
        return 0;
    }
    return ni == sn;
}

/* ---- what a source is ---- */

static bool has_prefix_ci(const char *s, size_t n, const char *pre)
{
    size_t k = strlen(pre);
    if (n < k) return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != pre[i]) return false;
    }
    return true;
}

/* sshutil's implicit SSH form: user@host:path, user and host from small
 * alphabets (git@github.com:org/repo.git). */
static bool scp_style(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_')) i++;
    if (i == 0 || i >= n || s[i] != '@') return false;
    size_t h = ++i;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.')) i++;
    return i > h && i < n && s[i] == ':';
}

bool dw_copy_source_is_local(const char *s, size_t n)
{
    if (n >= 2 && s[0] == '<' && s[1] == '<') return false;                 /* heredoc */
    if (!strncmp(s, "http://", n < 7 ? n : 7) && n >= 7) return false;      /* URL or Git over HTTP */
    if (n >= 8 && !strncmp(s, "https://", 8)) return false;
    if (has_prefix_ci(s, n, "git://") || has_prefix_ci(s, n, "ssh://")) return false;
    return !scp_style(s, n);
}

bool dw_copy_has_wildcard(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\') i++;
        else if (s[i] == '*' || s[i] == '?' || s[i] == '[') return true;
    }
    return false;
}

/* The frontend's own test (no escapes), which decides --parents' required path. */
static bool has_wildcard_raw(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '*' || s[i] == '?' || s[i] == '[') return true;
    return false;
}

/* Cleans "/" + src into out (n+2 bytes) and drops the leading '/': the
 * context-relative path, "" for the root. */
static size_t clean_rel(const char *src, size_t n, char *out)
{
    char *tmp = dw_xmalloc(n + 2);
    tmp[0] = '/';
    memcpy(tmp + 1, src, n);
    size_t k = dw_go_clean(tmp, n + 1, out);
    free(tmp);
    if (k == 1 && out[0] == '/') return 0;
    memmove(out, out + 1, k - 1);
    return k - 1;
}

/* Length of the leading segments of `p` without a wildcard. */
static size_t literal_prefix(const char *p, size_t n, bool (*wild)(const char *, size_t))
{
    size_t end = 0, i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && p[e] != '/') e++;
        if (wild(p + i, e - i)) break;
        end = e;
        i = e + 1;
    }
    return end;
}

static bool pm_wild(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strchr("*?[]\\", s[i])) return true;
    return false;
}

/* The pivot of a --parents source: what precedes the first "/./", or NULL. */
static const char *pivot(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (s[i] == '/' && s[i + 1] == '.' && s[i + 2] == '/') return s + i;
    return NULL;
}

size_t dw_copy_source_base(const char *src, size_t n, bool parents, char *out)
{
    if (parents) {
        const char *pv = pivot(src, n);
        if (!pv) return 0;
        n = (size_t)(pv - src);
    }
    size_t k = clean_rel(src, n, out);
    return literal_prefix(out, k, dw_copy_has_wildcard);
}

/* ---- where a Dockerfile reads its context ---- */

static const dw_flag *find_flag(const dw_instr *in, const char *name)
{
    for (uint32_t f = 0; f < in->nflags; f++)
        if (dw_str_eqc(in->flags[f].name, name)) return &in->flags[f];
    return NULL;
}

bool dw_ctx_read_next(const dw_dockerfile *df, dw_ctx_read_iter *it, dw_ctx_read *out)
{
    for (; it->i < df->ninstrs; it->i++, it->k = 0) {
        const dw_instr *in = &df->instrs[it->i];
        if (in->error) continue;
        if (in->kind == DW_I_RUN) {
            while (it->mounts && it->k < in->nmounts) {
                const dw_mount *m = &in->mounts[it->k++];
                if (m->type != DW_MOUNT_BIND || m->has_from) continue;
                *out = (dw_ctx_read){in, NULL, m, m->has_source ? m->source : dw_str_c("."), false, false};
                return true;
            }
            continue;
        }
        if ((in->kind != DW_I_COPY && in->kind != DW_I_ADD) || in->nargs < 2) continue;
        if (find_flag(in, "from")) continue; /* another stage's or image's files */
        while (it->k + 1 < in->nargs) {
            const dw_word *w = &in->args[it->k++];
            dw_str v = w->has_expanded ? w->expanded : w->text;
            if (!v.len || !dw_copy_source_is_local(v.ptr, v.len)) continue;
            const dw_flag *p = in->kind == DW_I_COPY ? find_flag(in, "parents") : NULL;
            bool parents = p && (!p->has_value || !dw_str_ieqc(p->value, "false"));
            const dw_word *dst = &in->args[in->nargs - 1];
            dw_str d = dst->has_expanded ? dst->expanded : dst->text;
            bool drive = d.len >= 3 && ((d.ptr[0] | 0x20) >= 'a' && (d.ptr[0] | 0x20) <= 'z') && d.ptr[1] == ':' &&
                         (d.ptr[2] == '\\' || d.ptr[2] == '/');
            *out = (dw_ctx_read){in, w, NULL, v, parents, df->escape == '`' || drive};
            return true;
        }
    }
    return false;
}

void dw_copy_source_slashes(char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] == '\\') p[i] = '/';
}

dw_dockerignore *dw_copy_excludes(const dw_instr *in)
{
    uint32_t n = 0;
    for (uint32_t f = 0; f < in->nflags; f++)
        n += dw_str_eqc(in->flags[f].name, "exclude") && in->flags[f].has_value;
    if (!n) return NULL;
    dw_str *v = dw_xmalloc(sizeof *v * n);
    n = 0;
    for (uint32_t f = 0; f < in->nflags; f++)
        if (dw_str_eqc(in->flags[f].name, "exclude") && in->flags[f].has_value) v[n++] = in->flags[f].value;
    dw_dockerignore *di = dw_dockerignore_new(v, n);
    free(v);
    return di;
}

/* ---- the walk ---- */

typedef struct {
    const dw_copy_opts *o;
    dw_copy_fn fn;
    void *ud;
    dw_copy_result *res;
    char *path;          /* "<context>/" + rel, NUL-terminated */
    size_t cap, len, root;
    uint64_t max;
    bool stop;
    long matched;
} ex;

typedef struct {
    char *pool;          /* NUL-terminated names */
    size_t *off;         /* where each name starts, sorted by name */
    size_t n;
    bool cached;         /* owned by the run's dw_copy_dircache */
} dirlist;

/* ---- the listings cache: folder path -> sorted listing (open addressing) ---- */

typedef struct {
    char *path;
    bool ok;             /* the folder could be read */
    dirlist d;
} cached_dir;

struct dw_copy_dircache {
    cached_dir *v;
    uint32_t cap, n;     /* cap: a power of two, at most half full */
};

dw_copy_dircache *dw_copy_dircache_new(void)
{
    dw_copy_dircache *c = calloc(1, sizeof *c);
    if (!c) dw_oom();
    return c;
}

void dw_copy_dircache_free(dw_copy_dircache *c)
{
    if (!c) return;
    for (uint32_t i = 0; i < c->cap; i++) {
        if (!c->v[i].path) continue;
        free(c->v[i].path);
        free(c->v[i].d.pool);
        free(c->v[i].d.off);
    }
    free(c->v);
    free(c);
}

/* The slot of `path`, or the empty one where it goes. */
static cached_dir *cache_slot(dw_copy_dircache *c, const char *path)
{
    if (2 * (c->n + 1) > c->cap) {
        cached_dir *old = c->v;
        uint32_t ocap = c->cap;
        c->cap = ocap ? 2 * ocap : 64;
        c->v = calloc(c->cap, sizeof *c->v);
        if (!c->v) dw_oom();
        for (uint32_t i = 0; i < ocap; i++) {
            if (!old[i].path) continue;
            uint32_t k = dw_hash(old[i].path, strlen(old[i].path)) & (c->cap - 1);
            while (c->v[k].path) k = (k + 1) & (c->cap - 1);
            c->v[k] = old[i];
        }
        free(old);
    }
    uint32_t k = dw_hash(path, strlen(path)) & (c->cap - 1);
    while (c->v[k].path && strcmp(c->v[k].path, path) != 0) k = (k + 1) & (c->cap - 1);
    return &c->v[k];
}

static void set_len(ex *x, size_t len)
{
    x->len = len;
    x->path[len] = 0;
}

/* Appends one component; returns the length to come back to. */
static size_t push(ex *x, const char *name, size_t n)
{
    size_t old = x->len;
    if (x->len + n + 2 > x->cap) {
        while (x->len + n + 2 > x->cap) x->cap *= 2;
        x->path = dw_xrealloc(x->path, x->cap);
    }
    if (x->len > x->root) x->path[x->len++] = '/';
    memcpy(x->path + x->len, name, n);
    set_len(x, x->len + n);
    return old;
}

static const char *rel(const ex *x) { return x->path + x->root; }
static size_t rel_len(const ex *x) { return x->len - x->root; }

/* Counts one entry examined; false once the budget is spent. */
static bool visit(ex *x)
{
    if (x->stop) return false;
    if (++x->res->visits > x->max) {
        x->res->truncated = true;
        x->stop = true;
        return false;
    }
    return true;
}

static bool ignored(const ex *x, const char *p, size_t n)
{
    return x->o->ignore && n && dw_dockerignore_matches(x->o->ignore, p, n, NULL) == DW_DI_MATCH;
}

/* A bottom-up merge sort of name offsets (qsort has no context argument). */
static void sort_offsets(size_t *v, size_t n, char *pool)
{
    if (n < 2) return;
    size_t *tmp = dw_xmalloc(sizeof *tmp * n);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = strcmp(pool + v[j], pool + v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid) tmp[k++] = v[i++];
            while (j < hi) tmp[k++] = v[j++];
        }
        memcpy(v, tmp, sizeof *v * n);
    }
    free(tmp);
}

/* Reads the directory at x->path (a real directory) into `d`, sorted. */
static bool read_listing(ex *x, dirlist *d)
{
    memset(d, 0, sizeof *d);
    DIR *dir = opendir(x->path);
    if (!dir) return false;
    size_t pool_n = 0, pool_cap = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir))) {
        const char *nm = e->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
        size_t k = strlen(nm) + 1;
        if (pool_n + k > pool_cap) {
            pool_cap = pool_cap ? pool_cap * 2 : 1024;
            while (pool_n + k > pool_cap) pool_cap *= 2;
            d->pool = dw_xrealloc(d->pool, pool_cap);
        }
        if (d->n == cap) {
            cap = cap ? cap * 2 : 32;
            d->off = dw_xrealloc(d->off, sizeof *d->off * cap);
        }
        memcpy(d->pool + pool_n, nm, k);
        d->off[d->n++] = pool_n;
        pool_n += k;
    }
    closedir(dir);
    sort_offsets(d->off, d->n, d->pool);
    return true;
}

/* The listing of x->path: from the run's cache when there is one. */
static bool read_dir(ex *x, dirlist *d)
{
    dw_copy_dircache *c = x->o->cache;
    if (!c) return read_listing(x, d);
    cached_dir *e = cache_slot(c, x->path);
    if (!e->path) {
        e->ok = read_listing(x, &e->d);
        e->path = dw_xmalloc(x->len + 1);
        memcpy(e->path, x->path, x->len + 1);
        e->d.cached = true;
        c->n++;
    }
    *d = e->d;
    return e->ok;
}

static void dirlist_free(dirlist *d)
{
    if (d->cached) return;
    free(d->pool);
    free(d->off);
}

/* The first name of the sorted listing at or after `prefix` (of n bytes):
 * the names a glob segment with that literal start can match follow it. */
static size_t first_with_prefix(const dirlist *d, const char *prefix, size_t n)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strncmp(d->pool + d->off[mid], prefix, n) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The type of the entry at x->path, without following a symlink. */
static int entry_type(ex *x)
{
    struct stat st;
    if (lstat(x->path, &st) != 0) return DT_UNKNOWN;
    if (S_ISDIR(st.st_mode)) return DT_DIR;
    if (S_ISLNK(st.st_mode)) return DT_LNK;
    if (S_ISREG(st.st_mode)) return DT_REG;
    return DT_UNKNOWN + 100; /* something else that exists */
}

/* With exceptions in the ignore file, an excluded directory is still sent
 * when something below it is: is there anything? */
static bool sends_something_below(ex *x, unsigned depth)
{
    if (depth > 256) return false;
    dirlist d;
    if (!read_dir(x, &d)) return false;
    bool found = false;
    for (size_t i = 0; i < d.n && !found && visit(x); i++) {
        const char *nm = d.pool + d.off[i];
        size_t old = push(x, nm, strlen(nm));
        if (!ignored(x, rel(x), rel_len(x))) found = true;
        else if (entry_type(x) == DT_DIR) found = sends_something_below(x, depth + 1);
        set_len(x, old);
    }
    dirlist_free(&d);
    return found;
}

/* Is the entry at x->path (of type t) in the context sent? */
static bool sent(ex *x, int t)
{
    if (!ignored(x, rel(x), rel_len(x))) return true;
    bool ok = t == DT_DIR && x->o->ignore->exceptions && sends_something_below(x, 0);
    if (!ok) x->res->ignored = true;
    return ok;
}

/* Resolves the context-relative path `p` with symlinks followed inside the
 * context (fs.RootPath): x->path becomes the real entry. Returns its type,
 * -1 when it does not exist, -2 when the ignore file keeps it (or a link on
 * the way) out of the context. */
static int resolve(ex *x, const char *p, size_t n)
{
    set_len(x, x->root);
    char *todo = dw_xmalloc(n + 1);
    memcpy(todo, p, n);
    size_t tn = n, ti = 0;
    unsigned hops = 0;
    int result = 0;
    while (ti < tn) {
        size_t e = ti;
        while (e < tn && todo[e] != '/') e++;
        const char *c = todo + ti;
        size_t cn = e - ti;
        ti = e < tn ? e + 1 : e;
        if (!cn || (cn == 1 && c[0] == '.')) continue;
        if (cn == 2 && c[0] == '.' && c[1] == '.') {
            size_t k = x->len;
            while (k > x->root && x->path[k - 1] != '/') k--;
            set_len(x, k > x->root ? k - 1 : x->root);
            continue;
        }
        size_t keep = push(x, c, cn);
        int t = entry_type(x);
        if (t == DT_UNKNOWN) { result = -1; break; }
        if (t != DT_LNK) continue;
        if (ignored(x, rel(x), rel_len(x))) { x->res->ignored = true; result = -2; break; }
        char target[PATH_MAX];
        ssize_t k = ++hops > 255 ? -1 : readlink(x->path, target, sizeof target);
        if (k <= 0) { result = -1; break; }
        /* the target, then what was left to resolve */
        size_t rest = tn - ti;
        char *nt = dw_xmalloc((size_t)k + rest + 2);
        memcpy(nt, target, (size_t)k);
        size_t m = (size_t)k;
        if (rest) {
            nt[m++] = '/';
            memcpy(nt + m, todo + ti, rest);
            m += rest;
        }
        free(todo);
        todo = nt;
        tn = m;
        ti = 0;
        set_len(x, target[0] == '/' ? x->root : keep);
    }
    free(todo);
    if (result) return result;
    if (x->len == x->root) {
        struct stat st; /* the context folder itself may be reached through a link */
        return stat(x->path, &st) == 0 && S_ISDIR(st.st_mode) ? DT_DIR : -1;
    }
    int t = entry_type(x); /* after a "..", the entry is not the last one looked at */
    if (t == DT_UNKNOWN) return -1;
    return sent(x, t) ? t : -2;
}

static void emit(ex *x, bool is_dir, bool top)
{
    if (!x->fn || x->stop) return;
    dw_copy_entry e = {rel_len(x) ? rel(x) : ".", rel_len(x) ? rel_len(x) : 1, is_dir, top};
    if (x->fn(&e, x->ud)) x->stop = true;
}

/* Dropped by the COPY's --exclude patterns (`p`: relative to the copied root). */
static bool excluded_by(const ex *x, const char *p, size_t n)
{
    return x->o->exclude && dw_dockerignore_matches(x->o->exclude, p, n, NULL) == DW_DI_MATCH;
}

/* May a copy walk enter this directory? Not when the ignore file or an
 * --exclude pattern drops it, unless an exception may bring back something
 * below it. */
static bool may_enter(const ex *x, int t, bool in_ctx, bool excluded)
{
    return t == DT_DIR && (in_ctx || x->o->ignore->exceptions) && (!excluded || x->o->exclude->exceptions);
}

/* Decides for one entry of a walk below a folder (x->path is the entry,
 * t its type, in_ctx: the ignore file does not exclude it); returns
 * whether to walk below it too. */
typedef bool (*below_fn)(ex *x, int t, bool in_ctx, void *ud);

/* Every entry below the folder x->path, in name order, parents before
 * children, as far as fn lets the walk go down (and the visit budget). */
static void walk_below(ex *x, unsigned depth, below_fn fn, void *ud)
{
    if (depth > 1024) { x->res->truncated = true; return; }
    dirlist d;
    if (!read_dir(x, &d)) return;
    for (size_t i = 0; i < d.n && visit(x); i++) {
        const char *nm = d.pool + d.off[i];
        size_t old = push(x, nm, strlen(nm));
        int t = entry_type(x);
        if (fn(x, t, !ignored(x, rel(x), rel_len(x)), ud)) walk_below(x, depth + 1, fn, ud);
        set_len(x, old);
    }
    dirlist_free(&d);
}

/* An entry of a copied directory: `*sub` is where the path relative to the
 * copied root starts (--exclude patterns see that). */
static bool descend_one(ex *x, int t, bool in_ctx, void *ud)
{
    size_t sub = *(const size_t *)ud;
    bool excluded = excluded_by(x, x->path + sub, x->len - sub);
    if (in_ctx && !excluded) emit(x, t == DT_DIR, false);
    return may_enter(x, t, in_ctx, excluded);
}

/* What a copied directory holds (x->path). */
static void descend(ex *x, size_t sub)
{
    walk_below(x, 0, descend_one, &sub);
}

/* A match of the source itself at x->path, of type t: the copy follows a
 * symlink (inside the context) and takes a directory's contents, which
 * are reported where they really are. */
static void take(ex *x, int t)
{
    x->matched++;
    size_t keep = x->len;
    char *link = NULL;
    size_t ln = 0;
    if (t == DT_LNK) {
        ln = rel_len(x);
        link = dw_xmalloc(ln + 1);
        memcpy(link, rel(x), ln + 1);
        t = resolve(x, link, ln);
        set_len(x, x->root);
        push(x, link, ln);
    }
    emit(x, t == DT_DIR, true);
    if (x->o->descend && t == DT_DIR) {
        if (link) resolve(x, link, ln);
        descend(x, x->len == x->root ? x->root : x->len + 1);
    }
    if (link) { /* the walk goes on from the link's own path */
        set_len(x, x->root);
        push(x, link, ln);
        free(link);
    }
    set_len(x, keep);
}

typedef struct {
    char **segs;         /* the pattern split at '/' when no class or escape spans one */
    size_t *seglen;
    size_t nseg;
    const char *pat;     /* the whole pattern otherwise */
    size_t patlen;
    size_t max_depth;    /* a path has at most as many segments as the pattern has '/' + 1 */
} glob;

/* filepath.Walk below the base (x->path) with SkipDir on matches. */
static void glob_walk(ex *x, const glob *g, size_t base_off, size_t depth)
{
    dirlist d;
    if (!read_dir(x, &d)) return;
    /* a segment's literal start (before any * ? [ or \\) bounds the names
     * it can match: a slice of the sorted listing */
    size_t lit = 0, from = 0;
    if (g->segs) {
        const char *sg = g->segs[depth];
        while (lit < g->seglen[depth] && !strchr("*?[\\", sg[lit])) lit++;
        if (lit) from = first_with_prefix(&d, sg, lit);
    }
    for (size_t i = from; i < d.n && visit(x); i++) {
        const char *nm = d.pool + d.off[i];
        if (lit && strncmp(nm, g->segs[depth], lit) != 0) break;
        size_t nl = strlen(nm);
        if (g->segs && dw_go_match(g->segs[depth], g->seglen[depth], nm, nl) != 1) continue;
        size_t old = push(x, nm, nl);
        int t = entry_type(x);
        bool excluded = ignored(x, rel(x), rel_len(x));
        bool maybe = !excluded || (t == DT_DIR && x->o->ignore->exceptions);
        if (maybe) {
            bool full = g->segs ? depth + 1 == g->nseg
                                : dw_go_match(g->pat, g->patlen, x->path + base_off, x->len - base_off) == 1;
            if (full) {
                if (!excluded || sent(x, t)) take(x, t);
                else x->res->ignored = true;
            } else if (t == DT_DIR && depth + 1 < (g->segs ? g->nseg : g->max_depth)) {
                glob_walk(x, g, base_off, depth + 1);
            }
        } else if (g->segs ? depth + 1 == g->nseg : dw_go_match(g->pat, g->patlen, x->path + base_off, x->len - base_off) == 1) {
            x->res->ignored = true;
        }
        set_len(x, old);
    }
    dirlist_free(&d);
}

/* Can the pattern be matched one segment at a time? Not when a class or an
 * escape could match a '/'. */
static bool split_safe(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '\\') return false;
        if (p[i] == '[') {
            size_t k = i + 1;
            while (k < n && p[k] != ']' && p[k] != '/') k++;
            if (k == n || p[k] == '/') return false;
            i = k;
        }
    }
    return true;
}

/* A non --parents source, cleaned (`p`, context-relative). */
static void expand_plain(ex *x, const char *p, size_t n)
{
    size_t lit = literal_prefix(p, n, dw_copy_has_wildcard);
    bool wild = lit < n;
    x->res->wildcard = wild;
    int t = resolve(x, p, lit);
    if (!wild) {
        if (t >= 0) take(x, t);
        return;
    }
    if (t < 0) { x->res->base_missing = true; return; }
    if (t != DT_DIR) return; /* Walk of a file: nothing below it */
    const char *pat = p + lit + (lit ? 1 : 0);
    size_t pn = n - (size_t)(pat - p);
    glob g = {0};
    g.pat = pat;
    g.patlen = pn;
    g.max_depth = 1;
    for (size_t i = 0; i < pn; i++) g.max_depth += pat[i] == '/';
    char *copy = NULL;
    if (split_safe(pat, pn)) {
        copy = dw_xmalloc(pn + 1);
        memcpy(copy, pat, pn);
        copy[pn] = 0;
        g.segs = dw_xmalloc(sizeof *g.segs * g.max_depth);
        g.seglen = dw_xmalloc(sizeof *g.seglen * g.max_depth);
        for (size_t i = 0, st = 0; i <= pn; i++) {
            if (i < pn && copy[i] != '/') continue;
            g.segs[g.nseg] = copy + st;
            g.seglen[g.nseg++] = i - st;
            st = i + 1;
        }
    }
    size_t base_off = x->len == x->root ? x->root : x->len + 1;
    glob_walk(x, &g, base_off, 0);
    free(g.segs);
    free(g.seglen);
    free(copy);
}

/* --parents below one pivot directory: the include pattern, and where the
 * path from the pivot starts. */
typedef struct {
    const dw_dockerignore *inc;
    size_t base_off;
} include;

/* One entry below the pivot: entries whose path from the pivot the include
 * pattern matches are taken; the shallowest are the matches. */
static bool include_one(ex *x, int t, bool in_ctx, void *ud)
{
    const include *w = ud;
    const char *sub = x->path + w->base_off;
    size_t sn = x->len - w->base_off;
    bool inc_match = dw_dockerignore_matches(w->inc, sub, sn, NULL) == DW_DI_MATCH;
    /* an excluded folder is still sent when an exception brings back something below it */
    if (!in_ctx && inc_match && t == DT_DIR) in_ctx = sent(x, t);
    bool excluded = excluded_by(x, sub, sn);
    if (inc_match && in_ctx && !excluded) {
        x->matched++;
        emit(x, t == DT_DIR, true);
        if (x->o->descend && t == DT_DIR) descend(x, w->base_off);
    } else if (inc_match && !in_ctx) {
        x->res->ignored = true;
    }
    return !inc_match && may_enter(x, t, in_ctx, excluded);
}

typedef struct { char **v; size_t n, cap; } strlist;

static int collect_dir(const dw_copy_entry *e, void *ud)
{
    strlist *l = ud;
    if (!e->is_dir) return 0;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 4;
        l->v = dw_xrealloc(l->v, sizeof *l->v * l->cap);
    }
    l->v[l->n] = dw_xmalloc(e->len + 1);
    memcpy(l->v[l->n], e->rel, e->len + 1);
    l->n++;
    return 0;
}

static void expand_parents(ex *x, const char *src, size_t n)
{
    const char *pv = pivot(src, n);
    const char *pat_raw = pv ? pv + 3 : src;
    size_t pat_n = n - (size_t)(pat_raw - src);
    size_t par_n = pv ? (size_t)(pv - src) : 0;
    x->res->wildcard = has_wildcard_raw(src, par_n) || has_wildcard_raw(pat_raw, pat_n);
    char *pat = dw_xmalloc(pat_n + 2);
    size_t pn = clean_rel(pat_raw, pat_n, pat);
    pat[pn] = 0;

    /* the pivots: the part before "/./" expanded as a plain source */
    strlist bases = {0};
    if (pv) {
        char *par = dw_xmalloc(par_n + 2);
        size_t k = clean_rel(src, par_n, par);
        dw_copy_opts o = *x->o;
        o.parents = o.descend = false;
        o.exclude = NULL;
        o.max_visits = x->max > x->res->visits ? x->max - x->res->visits : 1;
        dw_copy_result r;
        long got = dw_copy_source_expand(&o, par, k, collect_dir, &bases, &r);
        x->res->visits += r.visits;
        x->res->ignored |= r.ignored;
        if (r.truncated) { x->res->truncated = true; x->stop = true; }
        if (r.base_missing || (got == 0 && !r.wildcard)) x->res->base_missing = true;
        free(par);
    } else {
        collect_dir(&(dw_copy_entry){".", 1, true, true}, &bases);
    }

    dw_str one = dw_str_make(pat, pn);
    dw_dockerignore *inc = pn ? dw_dockerignore_new(&one, 1) : NULL;
    bool usable = inc && inc->nerrors == 0;
    for (size_t b = 0; b < bases.n && !x->stop; b++) {
        const char *bp = strcmp(bases.v[b], ".") ? bases.v[b] : "";
        int t = resolve(x, bp, strlen(bp));
        if (t != DT_DIR) continue;
        size_t base_off = x->len == x->root ? x->root : x->len + 1;
        if (!pn) { /* the pivot itself */
            take(x, DT_DIR);
            continue;
        }
        if (!usable) continue;
        /* start below the pattern's literal leading directories (all but the
         * last segment when it has no wildcard at all); the copy walks them
         * without following links */
        size_t lit = literal_prefix(pat, pn, pm_wild);
        if (lit == pn) {
            const char *slash = strrchr(pat, '/');
            lit = slash ? (size_t)(slash - pat) : 0;
        }
        bool ok = true;
        for (size_t i = 0, st = 0; ok && lit && i <= lit; i++) {
            if (i < lit && pat[i] != '/') continue;
            push(x, pat + st, i - st);
            ok = entry_type(x) == DT_DIR;
            st = i + 1;
        }
        include w = {inc, base_off};
        if (ok) walk_below(x, 0, include_one, &w);
    }
    dw_dockerignore_free(inc);
    for (size_t b = 0; b < bases.n; b++) free(bases.v[b]);
    free(bases.v);
    free(pat);
}

long dw_copy_source_expand(const dw_copy_opts *o, const char *src, size_t n, dw_copy_fn fn, void *ud,
                           dw_copy_result *res)
{
    dw_copy_result local;
    if (!res) res = &local;
    memset(res, 0, sizeof *res);
    if (!dw_copy_source_is_local(src, n)) return -1;
    ex x = {o, fn, ud, res, NULL, 0, 0, 0, o->max_visits ? o->max_visits : DW_COPY_MAX_VISITS, false, 0};
    size_t cl = strlen(o->context_dir);
    x.cap = cl + n + 64;
    x.path = dw_xmalloc(x.cap);
    memcpy(x.path, o->context_dir, cl);
    x.path[cl] = '/';
    x.root = cl + 1;
    set_len(&x, x.root);
    if (o->parents) {
        expand_parents(&x, src, n);
    } else {
        char *p = dw_xmalloc(n + 2);
        size_t k = clean_rel(src, n, p);
        expand_plain(&x, p, k);
        free(p);
    }
    free(x.path);
    return x.matched;
}
