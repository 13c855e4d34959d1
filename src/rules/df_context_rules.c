/* df_context_rules.c — the Dockerfile rules that read the build context:
 * copy-source-missing (a COPY/ADD source the build will not find),
 * dockerignore-missing, context-large and secret-in-context (what a COPY
 * of the whole context sends). All of them read the context index of the
 * lint (context_index.h) and say nothing when there is no context (a
 * Dockerfile from stdin) or when it cannot be read. */
#include "rule.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>

#include "../ignore/copy_sources.h"
#include "context_index.h"
#include "sh_pkg.h"

static const dw_context_index *usable_index(dw_lint *ctx)
{
    const dw_context_index *ci = dw_lint_context_index(ctx);
    return ci->known && ci->exists ? ci : NULL;
}

static const char *verb(const dw_instr *in) { return in->kind == DW_I_ADD ? "ADD" : "COPY"; }

static const char *ignore_name(const dw_context_index *ci) { return dw_context_index_ignore_name(ci); }

/* 'configs/api.yaml' or, after expansion, 'configs/api.yaml' (from '${DIR}/api.yaml'). */
static const char *quoted(dw_lint *ctx, const dw_ctx_source *x)
{
    dw_str t = x->w->text;
    if (dw_str_eq(t, x->value)) return dw_arena_printf(ctx->a, "'%.*s'", (int)t.len, t.ptr);
    return dw_arena_printf(ctx->a, "'%.*s' (from '%.*s')", (int)x->value.len, x->value.ptr, (int)t.len, t.ptr);
}

/* ---- copy-source-missing ---- */

/* A source already looked up, for the second pass (a wildcard that matched
 * nothing fails only when nothing else the build copies brings its folder
 * along). */
typedef struct {
    dw_ctx_source s;
    long n;
    dw_copy_result r;
} looked_up;

/* Every entry a source matched, while the list is small enough. */
typedef struct {
    DW_VEC(dw_str) paths;
    dw_arena *a;
    bool full;
} match_list;

#define MATCHES_KEPT 20000u

static int keep_match(const dw_copy_entry *e, void *ud)
{
    match_list *m = ud;
    if (m->paths.n >= MATCHES_KEPT) { m->full = true; return 0; }
    DW_VEC_PUSH(m->a, m->paths, dw_str_dup(m->a, dw_str_make(e->rel, e->len)));
    return 0;
}

/* Does some entry the build copies lie in `base`, contain it, or equal it? */
static bool brings_along(const match_list *m, const char *base, size_t bl)
{
    if (m->full) return true; /* too many to tell: assume so */
    for (uint32_t i = 0; i < m->paths.n; i++) {
        dw_str p = m->paths.v[i];
        if (dw_str_eqc(p, ".")) return true;
        size_t k = p.len < bl ? p.len : bl;
        if (memcmp(p.ptr, base, k)) continue;
        if (p.len == bl || (p.len > bl && p.ptr[bl] == '/') || (p.len < bl && base[p.len] == '/')) return true;
    }
    return false;
}

/* A bind mount of the context (RUN --mount=type=bind without from=) makes
 * BuildKit send its source: the whole context when it has none. */
static bool mounts_whole_context(dw_lint *ctx)
{
    dw_ctx_read_iter it = {0, 0, true};
    dw_ctx_read r;
    while (dw_ctx_read_next(ctx->df, &it, &r)) {
        if (!r.mount || !dw_lint_stage_reached(ctx, r.in->stage)) continue;
        bool root = true;
        for (size_t k = 0; k < r.value.len; k++) root &= r.value.ptr[k] == '.' || r.value.ptr[k] == '/';
        if (root) return true;
    }
    return false;
}

/* "did you mean": a name in the folder of the missing path, at edit
 * distance 2 or less (`requirments.txt`). Reads at most 2000 names. */
static const char *near_name(dw_lint *ctx, const char *dir, const char *rel, size_t n, dw_str *base)
{
    const char *slash = NULL;
    for (size_t i = 0; i < n; i++)
        if (rel[i] == '/') slash = rel + i;
    *base = slash ? dw_str_make(slash + 1, n - (size_t)(slash + 1 - rel)) : dw_str_make(rel, n);
    char *path = slash ? dw_arena_printf(ctx->a, "%s/%.*s", dir, (int)(slash - rel), rel) : (char *)dir;
    DIR *d = opendir(path);
    if (!d) return NULL;
    const char **names = NULL;
    size_t k = 0;
    struct dirent *e;
    while ((e = readdir(d)) && k < 2000) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2]))) continue;
        if (!(k & (k - 1))) names = dw_xrealloc(names, sizeof *names * (k ? 2 * k : 1));
        names[k++] = dw_arena_printf(ctx->a, "%s", e->d_name);
    }
    closedir(d);
    /* short names are a couple of edits away from anything */
    const char *best = base->len >= 4 ? dw_suggest(*base, names, k, false) : NULL;
    free(names);
    return best;
}

/* The first component of `rel` on disk that is a symbolic link whose
 * target leaves the context (absolute, or with more '..' than it has
 * folders to climb): its path, and its target in *target. NULL when none. */
static const char *outside_link(dw_lint *ctx, const char *dir, const char *rel, size_t n, const char **target)
{
    for (size_t i = 0; i <= n; i++) {
        if (i < n && rel[i] != '/') continue;
        const char *p = dw_arena_printf(ctx->a, "%s/%.*s", dir, (int)i, rel);
        struct stat st;
        if (lstat(p, &st) != 0) return NULL;
        if (!S_ISLNK(st.st_mode)) continue;
        char buf[4096];
        ssize_t k = readlink(p, buf, sizeof buf - 1);
        if (k <= 0) return NULL;
        buf[k] = 0;
        /* how deep the link sits, against how far its target climbs */
        long depth = 0, climb = 0;
        for (size_t j = 0; j < i; j++) depth += rel[j] == '/';
        for (const char *t = buf; *t;) {
            const char *e = strchr(t, '/');
            size_t len = e ? (size_t)(e - t) : strlen(t);
            if (len == 2 && t[0] == '.' && t[1] == '.') climb++;
            else if (len && !(len == 1 && t[0] == '.')) break;
            t += len + (e != NULL);
        }
        if (buf[0] != '/' && climb <= depth) return NULL;
        *target = dw_arena_printf(ctx->a, "%s", buf);
        return dw_arena_printf(ctx->a, "%.*s", (int)i, rel);
    }
    return NULL;
}

/* A folder above the context (up to two levels) that holds `rel`: the
 * Dockerfile sits in a subfolder and is meant to be built with that
 * folder as the context. The folder as a user would write it, or NULL. */
static const char *found_above(dw_lint *ctx, const char *dir, const char *rel, size_t n)
{
    if (!n) return NULL;
    const char *up = dir;
    for (int level = 0; level < 2; level++) {
        up = dw_arena_printf(ctx->a, "%s/..", up);
        char *clean = dw_arena_alloc(ctx->a, strlen(up) + 2);
        size_t k = dw_go_clean(up, strlen(up), clean);
        clean[k] = 0;
        /* never above the working folder's root, where anything may exist */
        if (!strcmp(clean, "/")) return NULL;
        struct stat st;
        if (stat(dw_arena_printf(ctx->a, "%s/%.*s", clean, (int)n, rel), &st) == 0) return clean;
    }
    return NULL;
}

void check_copy_source_missing(dw_lint *ctx)
{
    const dw_context_index *ci = usable_index(ctx);
    if (!ci) return;
    DW_VEC(looked_up) all = {0};
    match_list copied = {{0}, ctx->a, false};
    dw_ctx_source_iter it = {{0, 0, false}, 0};
    dw_ctx_source s;
    bool whole = mounts_whole_context(ctx);
    dw_copy_dircache *cache = dw_copy_dircache_new(); /* a folder is listed once for all sources */
    while (dw_ctx_source_next(ctx, &it, &s)) {
        if (s.unresolved) continue;
        looked_up l = {s, 0, {0}};
        bool reached = dw_lint_stage_reached(ctx, s.in->stage);
        dw_copy_opts o = {ci->dir, ci->ignore, NULL, s.parents, false, 0, cache};
        l.n = dw_copy_source_expand(&o, s.value.ptr, s.value.len, reached ? keep_match : NULL, &copied, &l.r);
        if (reached && s.whole) whole = true;
        DW_VEC_PUSH(ctx->a, all, l);
    }
    dw_copy_dircache_free(cache);
    unsigned suggested = 0, compared = 0; /* bounds for hostile files with thousands of sources */
    for (uint32_t i = 0; i < all.n; i++) {
        const looked_up *l = &all.v[i];
        const dw_ctx_source *x = &l->s;
        if (l->n != 0 || l->r.truncated) continue;
        uint32_t decider;
        /* copy-ignored-file says it better, with the pattern */
        if (ci->ignore && !ci->ignore->exceptions && dw_copy_source_ignored(ci->ignore, x->value, &decider)) continue;
        const char *v = verb(x->in), *q = quoted(ctx, x);
        const char *vp = x->value.ptr;
        char *base = dw_arena_alloc(ctx->a, x->value.len + 2);
        size_t bl = dw_copy_source_base(vp, x->value.len, x->parents, base);
        dw_diag *d = NULL;
        if (!l->r.wildcard && l->r.ignored) {
            d = dw_report(ctx, x->in, x->w->span, "%s source %s exists but %s keeps it out of the build context", v, q,
                          ignore_name(ci));
            if (d) dw_diag_help(ctx, d, "the build stops with \"not found\": add a `!` exception for it to %s, or stop "
                                        "copying it", ignore_name(ci));
        } else if (!l->r.wildcard) {
            char *rel = dw_arena_alloc(ctx->a, x->value.len + 2);
            size_t rl = dw_go_clean(vp, x->value.len, rel);
            while (rl && rel[0] == '/') { rel++; rl--; }
            dw_str name;
            const char *link, *target, *above;
            /* a suggestion reads a folder: for the first findings only */
            const char *near = ++suggested <= 50 ? near_name(ctx, ci->dir, rel, rl, &name) : NULL;
            if (suggested <= 50 && (link = outside_link(ctx, ci->dir, rel, rl, &target))) {
                if (strlen(link) == rl)
                    d = dw_report(ctx, x->in, x->w->span, "%s source %s is a symbolic link to '%s', outside the build "
                                  "context '%s', and the build does not follow links out of it", v, q, target, ci->dir);
                else
                    d = dw_report(ctx, x->in, x->w->span, "%s source %s: '%s' is a symbolic link to '%s', outside the "
                                  "build context '%s', and the build does not follow links out of it", v, q, link,
                                  target, ci->dir);
                if (d) dw_diag_help(ctx, d, "the build stops with \"not found\": put the file itself in the context "
                                            "instead of a link, or pass its folder as a named context (docker buildx "
                                            "build --build-context NAME=DIR) and COPY --from=NAME");
            } else if (suggested <= 50 && (above = found_above(ctx, ci->dir, rel, rl))) {
                d = dw_report(ctx, x->in, x->w->span, "%s source %s is not in the build context '%s', but '%s' has it",
                              v, q, ci->dir, above);
                if (d) dw_diag_help(ctx, d, "source paths are relative to the build context, not to the Dockerfile: "
                                            "build with '%s' as the context (docker build -f %s %s), or set Compose's "
                                            "build.context to it", above, ctx->df->path ? ctx->df->path : "Dockerfile",
                                            above);
            } else {
                if (near && !dw_str_eqc(name, near))
                    d = dw_report(ctx, x->in, x->w->span, "%s source %s is not in the build context '%s' (did you mean "
                                  "'%s'?)", v, q, ci->dir, near);
                else
                    d = dw_report(ctx, x->in, x->w->span, "%s source %s is not in the build context '%s'", v, q, ci->dir);
                if (d) dw_diag_help(ctx, d, "the build stops with \"not found\": source paths are relative to the "
                                            "build context, not to the Dockerfile or the WORKDIR");
            }
        } else if (l->r.base_missing && l->r.ignored) {
            d = dw_report(ctx, x->in, x->w->span, "%s source %s: %s keeps the folder '%.*s' out of the build context",
                          v, q, ignore_name(ci), (int)bl, base);
            if (d) dw_diag_help(ctx, d, "a wildcard may match nothing, but the folder before it must be sent or the "
                                        "build stops: add a `!` exception for it, or stop copying it");
        } else if (l->r.base_missing && bl) {
            d = dw_report(ctx, x->in, x->w->span, "%s source %s: the folder '%.*s' is not in the build context '%s'", v,
                          q, (int)bl, base, ci->dir);
            /* fixtures/x.sh -> fixture[s]/x.sh: the folder becomes part of the pattern */
            if (d) dw_diag_help(ctx, d, "a wildcard may match nothing, but the folder before it must exist or the build "
                                        "stops; write the folder as a wildcard too (`%.*s[%c]/...`) to copy only when "
                                        "it is there", (int)(bl - 1), base, base[bl - 1]);
        } else if (bl && !whole && dw_lint_stage_reached(ctx, x->in->stage) && ++compared <= 100 &&
                   !brings_along(&copied, base, bl)) {
            /* BuildKit then sends only what the COPY sources name: an
             * unmatched wildcard leaves its folder out, and the walk fails */
            d = dw_report(ctx, x->in, x->w->span, "%s source %s matches nothing, so the folder '%.*s' is not sent and "
                          "the build stops", v, q, (int)bl, base);
            if (d) dw_diag_help(ctx, d, "add the files, or make the folder part a wildcard too so that the COPY "
                                        "copies nothing when it is empty");
        }
    }
}

/* ---- what a COPY of the whole context sends ---- */

/* The index of the lint, walked once, with what this Dockerfile copies on
 * purpose taken out of the folders no build needs and the secrets. */
static void scan_index(dw_lint *ctx, dw_context_index *ci)
{
    if (!ci->scanned) dw_context_index_want(ci, ctx->df);
    dw_context_index_scan(ci, 0);
}

/* Up to 5 names, then "and N more". */
static void name_list(dw_buf *b, char *const *names, uint32_t kept, uint64_t total)
{
    uint32_t shown = kept < 5 ? kept : 5;
    for (uint32_t i = 0; i < shown; i++) dw_buf_printf(b, "%s%s", i ? ", " : "", names[i]);
    if (total > shown) dw_buf_printf(b, " and %llu more", (unsigned long long)(total - shown));
}

/* The secrets sent that the COPY's own --exclude patterns do not drop. */
static uint32_t secrets_copied(const dw_context_index *ci, const dw_instr *in, char **out, uint64_t *total)
{
    dw_dockerignore *ex = dw_copy_excludes(in);
    uint32_t n = 0;
    uint64_t dropped = 0;
    for (uint32_t i = 0; i < ci->nsecrets_kept; i++) {
        const char *p = ci->secrets[i];
        size_t len = strlen(p);
        if (len && p[len - 1] == '/') len--;
        if (ex && dw_dockerignore_matches(ex, p, len, NULL) == DW_DI_MATCH) dropped++;
        else out[n++] = ci->secrets[i];
    }
    dw_dockerignore_free(ex);
    *total = ci->nsecrets - dropped;
    return n;
}

/* The .dockerignore lines for the entries listed (secret paths, folders
 * with a trailing '/'), each once, quoted with backticks and separated by
 * commas. */
static void ignore_lines(char *const *paths, uint32_t n, dw_buf *out)
{
    dw_buf one = {0};
    uint32_t shown = 0;
    for (uint32_t i = 0; i < n && shown < 6; i++) {
        const char *p = paths[i];
        size_t len = strlen(p);
        bool dir = len && p[len - 1] == '/';
        size_t end = dir ? len - 1 : len, base = end;
        while (base > 0 && p[base - 1] != '/') base--;
        one.n = 0;
        dw_buf_putc(&one, '`');
        dw_cf_ignore_pattern(dw_cf_lookup(p + base, end - base, dir), p, end, &one);
        dw_buf_putc(&one, '`');
        /* each line once */
        bool seen = false;
        for (size_t k = 0; !seen && k + one.n <= out->n; k++)
            seen = !memcmp(out->p + k, one.p, one.n) && (k + one.n == out->n || out->p[k + one.n] == ',');
        if (seen) continue;
        if (out->n) dw_buf_puts(out, ", ");
        dw_buf_put(out, one.p, one.n);
        shown++;
    }
    dw_buf_free(&one);
}

void check_secret_in_context(dw_lint *ctx)
{
    dw_context_index *ci = dw_lint_context_index(ctx);
    dw_ctx_source s;
    if (!ci->known || !ci->exists || !dw_ctx_whole_copy(ctx, &s)) return;
    scan_index(ctx, ci);
    if (!ci->nsecrets) return;
    char *kept[DW_CI_SECRETS_KEPT];
    uint64_t total;
    uint32_t n = secrets_copied(ci, s.in, kept, &total);
    if (!total) return;
    dw_buf list = {0}, lines = {0};
    name_list(&list, kept, n, total);
    ignore_lines(kept, n, &lines);
    /* a builder stage does not ship, but its layers and the build cache
     * keep the files, and a COPY --from it can carry them on */
    const bool *img = pkg_image_stages(ctx);
    const dw_stage *st = s.in->stage >= 0 ? &ctx->df->stages[s.in->stage] : NULL;
    dw_diag *d;
    if (!st || img[s.in->stage])
        d = dw_report(ctx, s.in, s.w->span, "%s of the whole build context copies secret-looking files into the "
                      "image: %.*s", verb(s.in), (int)list.n, list.p);
    else if (st->name.len)
        d = dw_report(ctx, s.in, s.w->span, "%s of the whole build context copies secret-looking files into the "
                      "build stage `%.*s`, whose layers and cache keep them: %.*s", verb(s.in), (int)st->name.len,
                      st->name.ptr, (int)list.n, list.p);
    else
        d = dw_report(ctx, s.in, s.w->span, "%s of the whole build context copies secret-looking files into build "
                      "stage %d, whose layers and cache keep them: %.*s", verb(s.in), s.in->stage, (int)list.n,
                      list.p);
    if (d) dw_diag_help(ctx, d, "add %.*s to %s, or copy only what the image needs; pass secrets at build time with "
                                "RUN --mount=type=secret", (int)lines.n, lines.p, ignore_name(ci));
    dw_buf_free(&list);
    dw_buf_free(&lines);
}

/* ".git, node_modules (120.3 MB)": the folders that must never be sent
 * (the severe rows of context_facts' table). */
static void heavy_folders(const dw_context_index *ci, dw_buf *b, dw_buf *lines)
{
    for (uint32_t i = 0; i < ci->nwk; i++) {
        const dw_wk_folder *f = &ci->wk[i];
        if (!f->fact || !f->fact->severe || !f->sent) continue;
        char size[24];
        dw_format_size(f->bytes, size);
        dw_buf_printf(b, "%s%s", b->n ? ", " : "", f->path);
        if (f->bytes) dw_buf_printf(b, " (%s)", size);
        dw_buf_puts(lines, lines->n ? ", `" : "`");
        dw_cf_ignore_pattern(f->fact, f->path, strlen(f->path), lines);
        dw_buf_putc(lines, '`');
    }
}

void check_dockerignore_missing(dw_lint *ctx)
{
    dw_context_index *ci = dw_lint_context_index(ctx);
    dw_ctx_source s;
    if (!ci->known || !ci->exists || ci->ignore_path || !dw_ctx_whole_copy(ctx, &s)) return;
    scan_index(ctx, ci);
    dw_buf what = {0}, lines = {0};
    heavy_folders(ci, &what, &lines);
    ignore_lines(ci->secrets, ci->nsecrets_kept, &lines);
    if (ci->nsecrets) {
        dw_buf_printf(&what, "%s%llu secret-looking file%s (", what.n ? ", " : "", (unsigned long long)ci->nsecrets,
                      ci->nsecrets == 1 ? "" : "s");
        name_list(&what, ci->secrets, ci->nsecrets_kept, ci->nsecrets);
        dw_buf_putc(&what, ')');
    }
    dw_diag *d;
    if (what.n)
        d = dw_report(ctx, s.in, s.w->span, "%s sends the whole build context '%s', which has no .dockerignore and "
                      "holds %.*s", verb(s.in), ci->dir, (int)what.n, what.p);
    else
        d = dw_report(ctx, s.in, s.w->span, "%s sends the whole build context '%s', which has no .dockerignore",
                      verb(s.in), ci->dir);
    if (d) {
        /* worse when the context holds what must never reach an image,
         * unless the rule's severity was configured */
        bool configured = ctx->cfg && ctx->cfg->severity_set && ctx->cfg->severity_set[ctx->rule->index];
        if (what.n && !configured && d->severity < DW_SEV_WARNING) d->severity = DW_SEV_WARNING;
        const char *file = ignore_name(ci);
        if (lines.n)
            dw_diag_help(ctx, d, "create %s with %.*s and whatever else the image does not need (`dockwright "
                                 "context` lists what is sent)", file, (int)lines.n, lines.p);
        else
            dw_diag_help(ctx, d, "create %s listing what the image does not need, e.g. .git, build outputs and local "
                                 "settings (`dockwright context` lists what is sent)", file);
    }
    dw_buf_free(&what);
    dw_buf_free(&lines);
}

#define LARGE_CONTEXT 100000000ull /* 100 MB */

void check_context_large(dw_lint *ctx)
{
    dw_context_index *ci = dw_lint_context_index(ctx);
    dw_ctx_source s;
    if (!ci->known || !ci->exists || !dw_ctx_whole_copy(ctx, &s)) return;
    scan_index(ctx, ci);
    if (ci->stats.bytes <= LARGE_CONTEXT) return;
    char size[24];
    dw_format_size(ci->stats.bytes, size);
    /* the entries that make the size: the largest, and the others while
     * they weigh at least 5% of the total */
    dw_buf top = {0}, names = {0};
    for (uint32_t i = 0; i < ci->nlargest && ci->largest[i].bytes; i++) {
        if (i && ci->largest[i].bytes < ci->stats.bytes / 20) break;
        char sz[24];
        dw_format_size(ci->largest[i].bytes, sz);
        const char *slash = ci->largest[i].dir ? "/" : "";
        dw_buf_printf(&top, "%s%s%s %s", i ? ", " : "", ci->largest[i].path, slash, sz);
        dw_buf_printf(&names, "%s`%s%s`", i ? ", " : "", ci->largest[i].path, slash);
    }
    dw_diag *d = dw_report(ctx, s.in, s.w->span, "%s sends a build context of %s%s (largest: %.*s)", verb(s.in),
                           ci->truncated ? "over " : "", size, (int)top.n, top.p);
    if (d) dw_diag_help(ctx, d, "every build uploads it: add what the image does not need (%.*s?) to %s, or copy "
                                "only the folders it needs", (int)names.n, names.p, ignore_name(ci));
    dw_buf_free(&top);
    dw_buf_free(&names);
}
