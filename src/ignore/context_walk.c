/* context_walk.c — what `docker build` sends from a build context, decided
 * the way BuildKit's context transfer (tonistiigi/fsutil, filter.go) does.
 *
 * Per entry, fsutil asks patternmatcher's MatchesUsingParentResults with the
 * per-pattern results of the parent directory, so each path is matched once
 * (not once per ancestor): we keep those results on a stack. An excluded
 * directory is not descended when no exception can re-include anything
 * below it: when there are no exceptions at all, or when every exception is
 * a literal path (after dropping a trailing "/" + "**" or "/" + "*") and none
 * lies under the directory. An excluded directory holding a re-included
 * entry is sent just before that entry. Symlinks are sent as links, never
 * followed; files are never opened; a second name of a hard-linked file is
 * sent as a link (its bytes counted once).
 *
 * Each directory is read in one go (names, types, verdicts and, for what is
 * sent, lstat), closed, sorted by name as Go's ReadDir sorts, then walked:
 * at most one directory descriptor is open at a time besides the root's, so
 * depth never runs into the descriptor limit. The name, entry and result
 * buffers are stacks shared by the whole walk: no allocation per entry. */
#include "dockerignore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    uint32_t name_off, name_len;
    const char *name;       /* valid only while the directory is being sorted */
    dw_cw_type type;
    bool excluded, pruned;
    bool stated;
    bool gone;              /* vanished or unreadable while being read: not reported */
    mode_t mode;
    uint64_t size;
    dev_t dev;
    ino_t ino;
    nlink_t nlink;
    size_t match_off;       /* directories: their per-pattern results */
} ent;

typedef struct {
    size_t path_len;        /* the directory's path is path[0, path_len) */
    mode_t mode;
    uint32_t depth;
    bool sent;
} level;

typedef struct { dev_t dev; ino_t ino; bool used; } inode_slot;

typedef struct {
    const dw_dockerignore *di;
    bool report_excluded;
    dw_context_fn fn;
    void *ud;
    dw_context_stats *st;
    int rootfd;
    uint32_t np;                     /* patterns */
    bool literal_exceptions;         /* fsutil's onlyPrefixExcludeExceptions */
    dw_str *exc_prefix; uint32_t nexc; /* exception patterns without a trailing glob */
    dw_buf path;
    dw_buf names;
    struct { ent *v; uint32_t n, cap; } ents;
    struct { uint8_t *v; size_t n, cap; } match;
    struct { level *v; uint32_t n, cap; } levels;
    inode_slot *seen; size_t seen_cap, seen_n; /* hard-linked inodes already sent */
} walker;

/* patternWithoutTrailingGlob */
static dw_str without_trailing_glob(dw_str p)
{
    if (p.len >= 3 && !memcmp(p.ptr + p.len - 3, "/**", 3)) p.len -= 3;
    if (p.len >= 2 && !memcmp(p.ptr + p.len - 2, "/*", 2)) p.len -= 2;
    return p;
}

static void prepare_exceptions(walker *w)
{
    w->literal_exceptions = true;
    if (!w->di) return;
    w->exc_prefix = dw_xmalloc(sizeof *w->exc_prefix * (w->np ? w->np : 1));
    for (uint32_t i = 0; i < w->np; i++) {
        const dw_di_pattern *p = &w->di->patterns[i];
        if (!p->exception || p->kind > DW_DI_REGEXP) continue;
        dw_str s = without_trailing_glob(p->pattern);
        for (size_t k = 0; k < s.len; k++)
            if (strchr("*[]?^\\", s.ptr[k])) w->literal_exceptions = false;
        w->exc_prefix[w->nexc++] = s;
    }
}

/* May the builder skip the excluded directory `path` without reading it? */
static bool can_prune(const walker *w, const char *path, size_t len)
{
    if (!w->literal_exceptions) return false;   /* a wildcard exception: every directory is read */
    for (uint32_t i = 0; i < w->nexc; i++) {
        /* HasPrefix(exception + "/", dir + "/") */
        dw_str e = w->exc_prefix[i];
        if (e.len >= len && !memcmp(e.ptr, path, len) && (e.len == len || e.ptr[len] == '/')) return false;
    }
    return true;
}

/* Records a hard-linked inode; false when it was already sent. */
static bool first_link(walker *w, dev_t dev, ino_t ino)
{
    if (w->seen_n * 2 >= w->seen_cap) {
        size_t ncap = w->seen_cap ? w->seen_cap * 2 : 64;
        inode_slot *n = dw_xmalloc(sizeof *n * ncap);
        memset(n, 0, sizeof *n * ncap);
        for (size_t i = 0; i < w->seen_cap; i++) {
            if (!w->seen[i].used) continue;
            size_t h = ((uint64_t)w->seen[i].ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)w->seen[i].dev) & (ncap - 1);
            while (n[h].used) h = (h + 1) & (ncap - 1);
            n[h] = w->seen[i];
        }
        free(w->seen);
        w->seen = n;
        w->seen_cap = ncap;
    }
    size_t h = ((uint64_t)ino * 0x9E3779B97F4A7C15ull ^ (uint64_t)dev) & (w->seen_cap - 1);
    while (w->seen[h].used) {
        if (w->seen[h].ino == ino && w->seen[h].dev == dev) return false;
        h = (h + 1) & (w->seen_cap - 1);
    }
    w->seen[h] = (inode_slot){dev, ino, true};
    w->seen_n++;
    return true;
}

static int call(walker *w, dw_context_entry *e)
{
    return w->fn ? w->fn(e, w->ud) : 0;
}

/* Sends the directories on the stack not sent yet (excluded ones holding
 * a re-included entry), outermost first. */
static int send_ancestors(walker *w)
{
    for (uint32_t i = 0; i < w->levels.n; i++) {
        level *l = &w->levels.v[i];
        if (l->sent) continue;
        l->sent = true;
        char saved = w->path.p[l->path_len];
        w->path.p[l->path_len] = 0;
        dw_context_entry e = {w->path.p, l->path_len, DW_CW_DIR, l->mode, 0, l->depth, true, false, 0};
        w->st->dirs++;
        int rc = call(w, &e);
        w->path.p[l->path_len] = saved;
        if (rc) return rc;
    }
    return 0;
}

static int ent_cmp(const void *a, const void *b)
{
    const ent *p = a, *q = b;
    size_t n = p->name_len < q->name_len ? p->name_len : q->name_len;
    int c = memcmp(p->name, q->name, n);
    return c ? c : (p->name_len > q->name_len) - (p->name_len < q->name_len);
}

static dw_cw_type type_of_mode(mode_t m)
{
    return S_ISREG(m) ? DW_CW_FILE : S_ISDIR(m) ? DW_CW_DIR : S_ISLNK(m) ? DW_CW_SYMLINK : DW_CW_OTHER;
}

static int walk_dir(walker *w, int fd, uint32_t depth, const size_t *parent_match, bool pruned);

/* Reads the directory open at fd (consumed) whose path is w->path, decides
 * every entry, then walks them in order. parent_match: offset of the
 * directory's own results in w->match, NULL at the root. */
static int walk_dir(walker *w, int fd, uint32_t depth, const size_t *parent_match, bool pruned)
{
    DIR *d = fdopendir(fd);
    if (!d) { close(fd); w->st->errors++; return 0; }
    uint32_t first = w->ents.n;
    size_t names0 = w->names.n, match0 = w->match.n, base = w->path.n;
    struct dirent *de;
    errno = 0;
    while ((de = readdir(d))) {
        const char *nm = de->d_name;
        if (nm[0] == '.' && (!nm[1] || (nm[1] == '.' && !nm[2]))) continue;
        ent e;
        memset(&e, 0, sizeof e);
        e.name_off = (uint32_t)(w->names.n - names0);
        e.name_len = (uint32_t)strlen(nm);
        dw_buf_put(&w->names, nm, e.name_len + 1);   /* with its NUL, for fstatat */
        switch (de->d_type) {
        case DT_REG: e.type = DW_CW_FILE; e.mode = S_IFREG; break;
        case DT_DIR: e.type = DW_CW_DIR; e.mode = S_IFDIR; break;
        case DT_LNK: e.type = DW_CW_SYMLINK; e.mode = S_IFLNK; break;
        case DT_UNKNOWN: e.mode = 0; break;
        default: e.type = DW_CW_OTHER; e.mode = DTTOIF(de->d_type); break;
        }
        DW_SVEC_PUSH(w->ents, e);
    }
    uint32_t n = w->ents.n - first;
    ent *es = n ? w->ents.v + first : NULL; /* an empty folder may come first: no vector yet */
    for (uint32_t i = 0; i < n; i++) es[i].name = w->names.p + names0 + es[i].name_off;
    if (n > 1) qsort(es, n, sizeof *es, ent_cmp);

    /* results of the subdirectories, reserved now so pointers stay put
     * (none below a pruned directory: nothing there is matched) */
    uint32_t ndirs = 0;
    for (uint32_t i = 0; i < n && !pruned; i++) ndirs += es[i].type == DW_CW_DIR || es[i].mode == 0;
    size_t need = match0 + (size_t)ndirs * w->np;
    if (need > w->match.cap) {
        size_t cap = w->match.cap ? w->match.cap : 256;
        while (cap < need) cap *= 2;
        w->match.v = dw_xrealloc(w->match.v, cap);
        w->match.cap = cap;
    }
    const uint8_t *pm = parent_match ? w->match.v + *parent_match : NULL;

    /* Below a pruned directory everything is excluded and no exception can
     * re-include anything (can_prune): the builder never reads there, so
     * nothing is matched (report_excluded walks it for the totals only). */
    bool match = w->di && !pruned;
    for (uint32_t i = 0; i < n; i++) {
        ent *e = &es[i];
        if (match) {
            w->path.n = base;
            if (base) dw_buf_putc(&w->path, '/');
            dw_buf_put(&w->path, e->name, e->name_len);
        }
        struct stat sb;
        if (e->mode == 0) {      /* no d_type from this file system */
            if (fstatat(fd, e->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) { e->gone = true; continue; }
            e->type = type_of_mode(sb.st_mode);
            e->mode = sb.st_mode;
            e->stated = true;
            e->size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
            e->dev = sb.st_dev; e->ino = sb.st_ino; e->nlink = sb.st_nlink;
        }
        bool isdir = e->type == DW_CW_DIR;
        uint8_t *out = NULL;
        if (isdir && match) {
            e->match_off = w->match.n;
            out = w->match.v + w->match.n;
            w->match.n += w->np;
        }
        int m = DW_DI_NOMATCH;
        if (match) {
            uint32_t bad = UINT32_MAX;
            m = dw_dockerignore_match_step(w->di, w->path.p, w->path.n, pm, out, &bad);
            if (bad != UINT32_MAX && w->st->match_error == UINT32_MAX) w->st->match_error = bad;
        }
        e->excluded = pruned || m == DW_DI_MATCH;
        if (isdir && e->excluded) e->pruned = pruned || can_prune(w, w->path.p, w->path.n);
        bool want_stat = e->type == DW_CW_FILE && (!e->excluded || w->report_excluded);
        if (want_stat && !e->stated) {
            if (fstatat(fd, e->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) { w->st->errors++; e->gone = true; continue; }
            e->mode = sb.st_mode;
            e->stated = true;
            e->size = S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
            e->dev = sb.st_dev; e->ino = sb.st_ino; e->nlink = sb.st_nlink;
        }
    }
    closedir(d);

    int rc = 0;
    for (uint32_t i = 0; i < n && !rc; i++) {
        ent *e = &w->ents.v[first + i];   /* the vector may have moved */
        if (e->gone) continue;
        w->path.n = base;
        if (base) dw_buf_putc(&w->path, '/');
        dw_buf_put(&w->path, w->names.p + names0 + e->name_off, e->name_len);
        dw_context_entry ce = {w->path.p, w->path.n, e->type, e->mode, e->size, depth, !e->excluded, false, 0};
        if (e->type == DW_CW_DIR) {
            if (e->excluded) w->st->excluded++;
            if (e->pruned && !pruned) w->st->pruned_dirs++;
            if (e->pruned && !w->report_excluded) continue;
            int cfd = openat(w->rootfd, w->path.p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (cfd < 0) {
                /* fsutil fails the build on a directory it sends but cannot
                 * read; an excluded one is let go */
                if (!e->excluded) {
                    w->st->errors++;
                    ce.err = errno;
                    if (!(rc = send_ancestors(w))) { w->st->dirs++; rc = call(w, &ce); }
                } else if (w->report_excluded) {
                    rc = call(w, &ce);
                }
                continue;
            }
            if (!e->excluded) {
                if ((rc = send_ancestors(w)) != 0) { close(cfd); break; }
                w->st->dirs++;
                if ((rc = call(w, &ce)) != 0) { close(cfd); break; }
            } else if (w->report_excluded && (rc = call(w, &ce)) != 0) {
                close(cfd);
                break;
            }
            level l = {w->path.n, e->mode, depth, !e->excluded};
            DW_SVEC_PUSH(w->levels, l);
            size_t off = e->match_off;
            rc = walk_dir(w, cfd, depth + 1, w->di && !e->pruned ? &off : NULL, e->pruned);
            w->levels.n--;
            continue;
        }
        if (e->excluded) {
            w->st->excluded++;
            if (w->report_excluded) {
                w->st->excluded_bytes += e->size;
                rc = call(w, &ce);
            }
            continue;
        }
        if ((rc = send_ancestors(w)) != 0) break;
        switch (e->type) {
        case DW_CW_FILE:
            if (e->nlink > 1 && !first_link(w, e->dev, e->ino)) {
                ce.hardlink = true;
                ce.size = 0;
                w->st->hardlinks++;
            }
            w->st->files++;
            w->st->bytes += ce.size;
            break;
        case DW_CW_SYMLINK: w->st->symlinks++; break;
        default: w->st->others++; break;
        }
        rc = call(w, &ce);
    }
    w->ents.n = first;
    w->names.n = names0;
    w->match.n = match0;
    w->path.n = base;
    if (w->path.p) w->path.p[base] = 0;
    return rc;
}

int dw_context_walk(const char *context_dir, const dw_dockerignore *di, const dw_context_opts *opts,
                    dw_context_fn fn, void *ud, dw_context_stats *stats)
{
    dw_context_stats local;
    walker w;
    memset(&w, 0, sizeof w);
    w.di = di;
    w.report_excluded = opts && opts->report_excluded;
    w.fn = fn;
    w.ud = ud;
    w.st = stats ? stats : &local;
    memset(w.st, 0, sizeof *w.st);
    w.st->match_error = UINT32_MAX;
    w.np = di ? di->npatterns : 0;
    w.rootfd = open(context_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (w.rootfd < 0) return -1;
    int fd = openat(w.rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        close(w.rootfd);
        errno = e;
        return -1;
    }
    prepare_exceptions(&w);
    dw_buf_put(&w.path, "", 0);   /* allocate, NUL-terminated */
    int rc = walk_dir(&w, fd, 0, NULL, false);
    close(w.rootfd);
    free(w.exc_prefix);
    free(w.seen);
    dw_buf_free(&w.path);
    dw_buf_free(&w.names);
    DW_SVEC_FREE(w.ents);
    DW_SVEC_FREE(w.levels);
    free(w.match.v);
    return rc;
}
