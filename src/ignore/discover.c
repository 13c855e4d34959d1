/* discover.c — which files `check` looks at.
 *
 * A directory is walked recursively, skipping .git, node_modules, .venv and
 * vendor, what the repository's .gitignore files and .git/info/exclude
 * exclude (when asked; not the user's global excludes), and what the
 * config's `exclude` globs name. Dockerfiles and Compose files are taken by
 * name, each with its kind. A file named explicitly is taken whatever its
 * name, and a directory named explicitly is walked even when an ignore file
 * excludes it.
 *
 * The walk is linear: each folder is listed once (its listing read and the
 * handle closed before going down, so deep trees do not hold one open
 * descriptor per level), each entry is tested once against the stacked
 * ignore lists, and symlinked folders are never followed.
 *
 * .gitignore semantics (gitignore(5)): the lists of a folder's .gitignore
 * and of every folder above it up to the repository root apply, the deepest
 * first, then .git/info/exclude; within a list the last matching pattern
 * wins; an excluded folder is not entered, so nothing under it can be
 * re-included. A folder holding its own .git starts a new repository (a
 * submodule or a nested clone): the outer lists stop applying there. Outside
 * any repository, the .gitignore files found under the walked folder still
 * apply. */
#include "gitignore.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static bool has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && strcmp(s + n - m, suf) == 0;
}

bool dw_is_dockerfile_name(const char *name)
{
    static const char *const bad[] = {".bak", ".orig", ".swp", "~", ".dockerignore"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (has_suffix(name, bad[i])) return false;
    if (!strcmp(name, "Dockerfile") || !strcmp(name, "Containerfile")) return true;
    if (!strncmp(name, "Dockerfile.", 11) || !strncmp(name, "Containerfile.", 14)) return true;
    size_t n = strlen(name);
    return (n > 11 && (has_suffix(name, ".Dockerfile") || has_suffix(name, ".dockerfile")));
}

bool dw_is_compose_name(const char *name)
{
    const char *rest;
    if (!strncmp(name, "docker-compose", 14)) rest = name + 14;
    else if (!strncmp(name, "compose", 7)) rest = name + 7;
    else return false;
    if (!strcmp(rest, ".yaml") || !strcmp(rest, ".yml")) return true;
    return rest[0] == '.' && rest[1] && (has_suffix(rest, ".yaml") || has_suffix(rest, ".yml")) && strlen(rest) > 5;
}

bool dw_is_compose_override_name(const char *name)
{
    static const char *const names[] = {"compose.override.yaml", "compose.override.yml",
                                        "docker-compose.override.yaml", "docker-compose.override.yml"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) return true;
    return false;
}

bool dw_is_dockerignore_name(const char *name)
{
    return has_suffix(name, ".dockerignore");
}

/* The kind of a file named explicitly: by its name; other YAML files are
 * taken for Compose files (`docker compose -f stack.yml`). */
static dw_file_kind kind_of(const char *name)
{
    if (dw_is_compose_name(name) || has_suffix(name, ".yaml") || has_suffix(name, ".yml")) return DW_FILE_COMPOSE;
    if (dw_is_dockerignore_name(name)) return DW_FILE_DOCKERIGNORE;
    return DW_FILE_DOCKERFILE;
}

void dw_found_add_kind(dw_found *f, const char *path, bool from_stdin, dw_file_kind kind)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->v = dw_xrealloc(f->v, sizeof *f->v * f->cap);
    }
    size_t n = strlen(path);
    f->v[f->n].path = dw_xmalloc(n + 1);
    memcpy(f->v[f->n].path, path, n + 1);
    f->v[f->n].from_stdin = from_stdin;
    f->v[f->n].kind = kind;
    f->n++;
}

void dw_found_add(dw_found *f, const char *path, bool from_stdin)
{
    dw_found_add_kind(f, path, from_stdin, DW_FILE_DOCKERFILE);
}

void dw_found_free(dw_found *f)
{
    for (uint32_t i = 0; i < f->n; i++) free(f->v[i].path);
    free(f->v);
    f->v = NULL;
    f->n = f->cap = 0;
}

static bool skipped_dir(const char *name)
{
    return !strcmp(name, ".git") || !strcmp(name, "node_modules") || !strcmp(name, ".venv") ||
           !strcmp(name, "vendor");
}

/* ---- the ignore stack ---- */

/* The ignore lists of one folder: its .gitignore, and for a repository
 * root its .git/info/exclude. `base` is the folder relative to the top of
 * the walk's path space ("" for the top). */
typedef struct {
    const char *base;
    size_t base_len;
    dw_ignore_list gi;
    dw_ignore_list info;
    bool repo_root;
} level;

typedef struct {
    dw_arena a;               /* patterns and level names; freed after the walk */
    DW_VEC(level) levels;     /* malloc'd scratch (DW_SVEC_*) */
    bool gitignore;
    dw_ignore_list exclude;   /* the config's `exclude` globs */
    const char *exclude_base; /* absolute */
    dw_ignore_list cexclude;  /* dclint's `exclude`, Compose files only */
    const char *cexclude_base;
    dw_buf shown;             /* the path as shown and opened */
    dw_buf rel;               /* the path in the walk's path space */
    dw_buf abs;               /* the absolute path */
    dw_found *out;
} walker;

/* Adds the patterns of file `path` to list l (a missing file adds none). */
static void read_patterns(walker *w, dw_ignore_list *l, const char *path)
{
    size_t len;
    char *text = dw_read_file(path, &len);
    if (!text) return;
    dw_ignore_add_text(&w->a, l, text, len);
    free(text);
}

/* The info/exclude file of the repository whose root is `dir`: .git is a
 * folder, or a file `gitdir: PATH` (worktrees, submodules), whose
 * `commondir` holds the shared info/ of a worktree. */
static void read_info_exclude(walker *w, dw_ignore_list *l, const char *dir)
{
    dw_buf p = {0};
    dw_buf_printf(&p, "%s/.git", dir);
    struct stat st;
    if (lstat(p.p, &st) != 0) goto done;
    if (S_ISDIR(st.st_mode)) {
        dw_buf_puts(&p, "/info/exclude");
        read_patterns(w, l, p.p);
        goto done;
    }
    if (!S_ISREG(st.st_mode)) goto done;
    size_t len;
    char *text = dw_read_file(p.p, &len);
    if (!text) goto done;
    dw_str s = dw_str_make(text, len);
    if (dw_str_has_prefix(s, "gitdir:")) {
        dw_str g = dw_str_trim_space(dw_str_sub(s, 7, len));
        p.n = 0;
        if (g.len && g.ptr[0] != '/') dw_buf_printf(&p, "%s/", dir);
        dw_buf_put(&p, g.ptr, g.len);
        dw_buf_putc(&p, 0);
        p.n--;
        char *gitdir = strdup(p.p);
        dw_buf_puts(&p, "/commondir");
        size_t clen;
        char *common = dw_read_file(p.p, &clen);
        p.n = 0;
        if (common) {
            dw_str cd = dw_str_trim_space(dw_str_make(common, clen));
            if (cd.len && cd.ptr[0] != '/') dw_buf_printf(&p, "%s/", gitdir);
            dw_buf_put(&p, cd.ptr, cd.len);
            free(common);
        } else {
            dw_buf_puts(&p, gitdir);
        }
        dw_buf_puts(&p, "/info/exclude");
        read_patterns(w, l, p.p);
        free(gitdir);
    }
    free(text);
done:
    dw_buf_free(&p);
}

/* Pushes the level of folder `dir` (absolute or as opened), whose place in
 * the path space is `rel`. */
static void push_level(walker *w, const char *dir, const char *rel, bool repo_root, bool has_gitignore)
{
    level lv;
    memset(&lv, 0, sizeof lv);
    lv.base = dw_arena_memdup(&w->a, rel, strlen(rel));
    lv.base_len = strlen(rel);
    lv.repo_root = repo_root;
    if (has_gitignore) {
        dw_buf p = {0};
        dw_buf_printf(&p, "%s/.gitignore", dir);
        read_patterns(w, &lv.gi, p.p);
        dw_buf_free(&p);
    }
    if (repo_root) read_info_exclude(w, &lv.info, dir);
    DW_SVEC_PUSH(w->levels, lv);
}

/* The gitignore verdict for `rel` (in the path space): the deepest level
 * that says something decides; a repository root ends the search. */
static bool git_ignored(const walker *w, const char *rel, size_t len, bool is_dir)
{
    for (uint32_t i = w->levels.n; i > 0; i--) {
        const level *lv = &w->levels.v[i - 1];
        const char *r = rel;
        size_t n = len;
        if (lv->base_len) {
            if (n <= lv->base_len || memcmp(r, lv->base, lv->base_len) != 0 || r[lv->base_len] != '/') continue;
            r += lv->base_len + 1;
            n -= lv->base_len + 1;
        }
        dw_ignore_verdict v = dw_ignore_match(&lv->gi, r, n, is_dir);
        if (v == DW_IGN_NONE && lv->repo_root) v = dw_ignore_match(&lv->info, r, n, is_dir);
        if (v != DW_IGN_NONE) return v == DW_IGN_EXCLUDE;
        if (lv->repo_root) return false;
    }
    return false;
}

/* Whether an absolute path falls under the globs of list l at `base`. With
 * `parents`, the folders above it (up to base) are tried too, for lists that
 * do not prune the walk (dclint's `exclude` only concerns Compose files). */
static bool glob_excluded(const dw_ignore_list *l, const char *base, const char *abs, size_t len, bool is_dir,
                          bool parents)
{
    if (!l->n || !base) return false;
    size_t bl = strlen(base);
    if (bl == 1 && base[0] == '/') bl = 0;
    if (len <= bl || memcmp(abs, base, bl) != 0 || abs[bl] != '/') return false;
    const char *r = abs + bl + 1;
    size_t n = len - bl - 1;
    if (dw_ignore_match(l, r, n, is_dir) == DW_IGN_EXCLUDE) return true;
    if (!parents) return false;
    for (size_t i = n; i > 0; i--)
        if (r[i - 1] == '/' && dw_ignore_match(l, r, i - 1, true) == DW_IGN_EXCLUDE) return true;
    return false;
}

/* ---- the walk ---- */

typedef struct {
    char *name;
    unsigned char type; /* DT_* or DT_UNKNOWN */
} entry;

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const entry *)x)->name, ((const entry *)y)->name);
}

/* Appends "/name" (or "name" to an empty buffer) and returns the old length. */
static size_t buf_push(dw_buf *b, const char *name)
{
    size_t old = b->n;
    if (b->n && b->p[b->n - 1] != '/') dw_buf_putc(b, '/');
    dw_buf_puts(b, name);
    dw_buf_putc(b, 0);
    b->n--;
    return old;
}

static void buf_pop(dw_buf *b, size_t n)
{
    b->n = n;
    if (b->p) b->p[n] = 0;
}

#define MAX_DEPTH 1024

/* Walks the folder at w->shown (path space w->rel, absolute w->abs). */
static void walk(walker *w, int depth)
{
    if (depth > MAX_DEPTH) return;
    DIR *d = opendir(w->shown.p);
    if (!d) return;
    DW_VEC(entry) ents = {0};
    bool has_gitignore = false, has_git = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        if (!strcmp(n, ".gitignore")) has_gitignore = true;
        if (!strcmp(n, ".git")) has_git = true;
        entry en = {strdup(n), DT_UNKNOWN};
        if (!en.name) dw_oom();
#ifdef _DIRENT_HAVE_D_TYPE
        en.type = e->d_type;
#endif
        DW_SVEC_PUSH(ents, en);
    }
    closedir(d);
    if (ents.n > 1) qsort(ents.v, ents.n, sizeof *ents.v, cmp_entry);

    uint32_t nlevels = w->levels.n;
    if (w->gitignore && (has_gitignore || (has_git && depth > 0)))
        push_level(w, w->shown.p, w->rel.p ? w->rel.p : "", has_git && depth > 0, has_gitignore);

    for (uint32_t i = 0; i < ents.n; i++) {
        const char *n = ents.v[i].name;
        size_t s0 = buf_push(&w->shown, n), r0 = buf_push(&w->rel, n), a0 = buf_push(&w->abs, n);
        unsigned char type = ents.v[i].type;
        bool is_dir = type == DT_DIR, is_reg = type == DT_REG, is_lnk = type == DT_LNK;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (lstat(w->shown.p, &st) != 0) goto next;
            is_dir = S_ISDIR(st.st_mode);
            is_reg = S_ISREG(st.st_mode);
            is_lnk = S_ISLNK(st.st_mode);
        }
        if (is_dir && skipped_dir(n)) goto next;
        bool dockerfile = !is_dir && dw_is_dockerfile_name(n);
        bool compose = !is_dir && !dockerfile && dw_is_compose_name(n);
        bool ignore = !is_dir && !dockerfile && !compose && dw_is_dockerignore_name(n);
        if (!is_dir && !dockerfile && !compose && !ignore) goto next; /* nothing to test */
        if (w->gitignore && git_ignored(w, w->rel.p, w->rel.n, is_dir)) goto next;
        if (glob_excluded(&w->exclude, w->exclude_base, w->abs.p, w->abs.n, is_dir, false)) goto next;
        if (is_dir) {
            walk(w, depth + 1);
            goto next;
        }
        if (is_lnk) { /* a symlinked file is taken when it points at a regular file */
            struct stat st;
            if (stat(w->shown.p, &st) != 0 || !S_ISREG(st.st_mode)) goto next;
        } else if (!is_reg) {
            goto next;
        }
        if (compose && glob_excluded(&w->cexclude, w->cexclude_base, w->abs.p, w->abs.n, false, true)) goto next;
        {
            /* "./x" is shown as "x", as a user would type it */
            const char *shown = !strncmp(w->shown.p, "./", 2) ? w->shown.p + 2 : w->shown.p;
            dw_found_add_kind(w->out, shown, false, compose ? DW_FILE_COMPOSE : ignore ? DW_FILE_DOCKERIGNORE : DW_FILE_DOCKERFILE);
        }
    next:
        buf_pop(&w->shown, s0);
        buf_pop(&w->rel, r0);
        buf_pop(&w->abs, a0);
    }
    w->levels.n = nlevels; /* the lists themselves live in w->a until the walk ends */
    for (uint32_t i = 0; i < ents.n; i++) free(ents.v[i].name);
    DW_SVEC_FREE(ents);
}

/* The length of the parent of folder p[0..n) ("/a/b" → "/a", "/a" → "/"),
 * or 0 for "/" itself. */
static size_t parent_len(const char *p, size_t n)
{
    if (n <= 1) return 0;
    while (n > 1 && p[n - 1] != '/') n--;
    return n > 1 ? n - 1 : 1;
}

static bool has_file(const char *dir, size_t n, const char *name, bool regular)
{
    dw_buf b = {0};
    dw_buf_put(&b, dir, n);
    if (n && dir[n - 1] != '/') dw_buf_putc(&b, '/');
    dw_buf_puts(&b, name);
    dw_buf_putc(&b, 0);
    struct stat st;
    bool r = regular ? stat(b.p, &st) == 0 && S_ISREG(st.st_mode) : lstat(b.p, &st) == 0;
    dw_buf_free(&b);
    return r;
}

/* Before walking `root_abs`: finds the repository root (the nearest folder
 * holding .git, root_abs itself included) and pushes the levels of the
 * folders from that root down to root_abs's parent, so that a .gitignore
 * higher up applies to a sub-folder being checked; paths are then relative
 * to the repository root. Without a repository the walk root is the top
 * and only the .gitignore files under it apply. Leaves the walk root's
 * place in the path space in w->rel. */
static void enter_repo(walker *w, const char *root_abs)
{
    size_t len = strlen(root_abs), top = 0;
    bool found = false;
    for (size_t n = len; n > 0; n = parent_len(root_abs, n))
        if (has_file(root_abs, n, ".git", false)) {
            top = n;
            found = true;
            break;
        }
    w->rel.n = 0;
    dw_buf_putc(&w->rel, 0);
    w->rel.n = 0;
    if (!found) return;
    size_t start = top + (top > 1 ? 1 : 0); /* first byte below the repository root */
    for (size_t pos = top; pos < len;) {
        char *f = dw_arena_memdup(&w->a, root_abs, pos);
        char *rel = dw_arena_memdup(&w->a, root_abs + start, pos > start ? pos - start : 0);
        push_level(w, f, rel, pos == top, has_file(root_abs, pos, ".gitignore", true));
        size_t next = pos + 1;
        while (next < len && root_abs[next] != '/') next++;
        pos = next;
    }
    if (top == len) /* the walk root is the repository root: walk() adds its .gitignore */
        push_level(w, root_abs, "", true, false);
    else
        dw_buf_puts(&w->rel, root_abs + start);
}

int dw_discover(const char *path, bool use_gitignore, const dw_config *cfg, dw_found *out, const char **why)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = strerror(errno);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        const char *b = strrchr(path, '/');
        b = b ? b + 1 : path;
        dw_found_add_kind(out, path, false, kind_of(b));
        return 0;
    }
    walker w;
    memset(&w, 0, sizeof w);
    dw_arena_init(&w.a);
    w.out = out;
    w.gitignore = use_gitignore;
    char *root_abs = realpath(path, NULL);
    if (!root_abs) {
        *why = strerror(errno);
        dw_arena_free(&w.a);
        return -1;
    }
    if (cfg) {
        for (uint32_t i = 0; i < cfg->nexclude; i++)
            dw_ignore_add(&w.a, &w.exclude, cfg->exclude[i], strlen(cfg->exclude[i]));
        w.exclude_base = cfg->exclude_base;
        for (uint32_t i = 0; i < cfg->ncompose_exclude; i++)
            dw_ignore_add(&w.a, &w.cexclude, cfg->compose_exclude[i], strlen(cfg->compose_exclude[i]));
        w.cexclude_base = cfg->compose_exclude_base;
    }
    if (use_gitignore) enter_repo(&w, root_abs);
    else { dw_buf_putc(&w.rel, 0); w.rel.n = 0; }
    dw_buf_puts(&w.shown, path);
    dw_buf_putc(&w.shown, 0);
    w.shown.n--;
    dw_buf_puts(&w.abs, strcmp(root_abs, "/") ? root_abs : "");
    dw_buf_putc(&w.abs, 0);
    w.abs.n--;
    free(root_abs);
    walk(&w, 0);
    DW_SVEC_FREE(w.levels);
    dw_buf_free(&w.shown);
    dw_buf_free(&w.rel);
    dw_buf_free(&w.abs);
    dw_arena_free(&w.a);
    return 0;
}
