/* discover.c — which files `check` looks at: a directory is walked
 * recursively (skipping .git, node_modules, .venv, vendor), and the build
 * files are taken by name; a file named explicitly is taken whatever its
 * name. Symlinks to directories are not followed. */
#include "../util/util.h"

#include <dirent.h>
#include <errno.h>
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

void dw_found_add(dw_found *f, const char *path, bool from_stdin)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->v = dw_xrealloc(f->v, sizeof *f->v * f->cap);
    }
    size_t n = strlen(path);
    f->v[f->n].path = dw_xmalloc(n + 1);
    memcpy(f->v[f->n].path, path, n + 1);
    f->v[f->n].from_stdin = from_stdin;
    f->n++;
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

static void join(dw_buf *b, const char *dir, const char *name)
{
    b->n = 0;
    dw_buf_puts(b, dir);
    if (b->n && b->p[b->n - 1] != '/') dw_buf_putc(b, '/');
    dw_buf_puts(b, name);
}

static void walk(const char *dir, dw_found *out, int depth)
{
    if (depth > 64) return;
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    dw_buf path = {0};
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        if (!strcmp(n, ".") || !strcmp(n, "..")) continue;
        join(&path, dir, n);
        struct stat st;
        if (lstat(path.p, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            if (!skipped_dir(n)) walk(path.p, out, depth + 1);
        } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && dw_is_dockerfile_name(n)) {
            /* "./x" is shown as "x", as a user would type it */
            const char *shown = !strncmp(path.p, "./", 2) ? path.p + 2 : path.p;
            dw_found_add(out, shown, false);
        }
    }
    dw_buf_free(&path);
    closedir(d);
}

int dw_discover(const char *path, bool use_gitignore, const dw_config *cfg, dw_found *out, const char **why)
{
    (void)use_gitignore;
    (void)cfg;
    struct stat st;
    if (stat(path, &st) != 0) {
        *why = strerror(errno);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) walk(path, out, 0);
    else dw_found_add(out, path, false);
    return 0;
}
