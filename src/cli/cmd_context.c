/* cmd_context.c — `dockwright context [DIR] [-f Dockerfile]`: what
 * `docker build DIR` would send, from one walk of the context
 * (dw_context_walk with report_excluded, so that both totals, with and
 * without the ignore file, come out of the same pass): sizes and counts,
 * the largest top-level folders and files, the entries the ignore file
 * should add, and which part each COPY/ADD source (and RUN bind mount)
 * uses. Nothing is followed through a symlink, no file is opened.
 *
 * Every per-entry figure is kept as running sums: a "scope" (a folder being
 * measured: a top-level folder, a suggested folder, what a COPY source
 * names) remembers the sums when it opens and takes the difference when
 * the walk leaves it, so an entry costs the same however many scopes hold
 * it. The walk reports parents before children, so scopes nest as a stack.
 *
 * Exit status: 0, or 2 for a usage error or a context that cannot be read. */
#include "cli.h"

#include "../ignore/context_facts.h"
#include "../ignore/copy_sources.h"
#include "../ignore/dockerignore.h"
#include "../output/output.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char context_usage[] =
    "usage: dockwright context [options] [DIR]\n"
    "\n"
    "What `docker build DIR` would send (DIR defaults to .): total size and file count with and\n"
    "without the ignore file, the largest folders and files, what the ignore file should add\n"
    "(VCS folders, dependencies, build outputs, caches, secrets, editor files found in the\n"
    "tree), and which part each COPY/ADD of the Dockerfile uses. The ignore file is the one\n"
    "BuildKit reads: <Dockerfile>.dockerignore beside the Dockerfile, else DIR/.dockerignore.\n"
    "\n"
    "options:\n"
    "  -f, --file FILE    the Dockerfile (default: DIR/Dockerfile), as in docker build -f\n"
    "  --format FMT       text (default) or json\n"
    "  --list             print every path the build sends (files, folders, symlinks),\n"
    "                     sorted bytewise, one per line, and nothing else\n"
    "  --top N            how many folders and files to list as the largest (default 10)\n"
    "  --color WHEN       always, never or auto (default)\n"
    "\n"
    "json: {\"context\",\"dockerfile\",\"ignore_file\" (null when absent),\n"
    "  \"sent\"/\"without_ignore\"/\"excluded\": {\"files\",\"dirs\",\"symlinks\",\"other\",\"bytes\"},\n"
    "  \"largest\": [{\"path\",\"type\":\"dir\"|\"file\",\"bytes\",\"files\"}],\n"
    "  \"suggestions\": [{\"pattern\",\"category\",\"reason\",\"path\",\"count\",\"files\",\"bytes\"}],\n"
    "  \"copies\": [{\"line\",\"instruction\",\"source\",\"matched\",\"bytes\",\"excluded\"}],\n"
    "  \"unused\": {\"files\",\"bytes\"} (null without a Dockerfile), \"errors\": [{\"file\",\"line\",\"column\",\"message\"}]}\n"
    "\n"
    "Exit status: 0, or 2 for a usage error or a context that cannot be read.\n";

/* ---- what the ignore file should add ----
 *
 * What a name is (a VCS folder, dependencies, a build output, a cache, a
 * secret, an editor file) comes from context_facts.h, the table the
 * build-context rules read too. A row whose name starts with '*' (*.pem) is
 * suggested as that one pattern; the others as the names found. Nothing
 * is suggested inside a folder no build needs (node_modules: the whole
 * folder goes); inside another suggested folder (dist) only what no build
 * needs and secrets are; secrets are never suggested inside test data,
 * vendored code or a secret folder (dw_cf_quiet_dir). */

/* ---- COPY/ADD sources and RUN bind mounts ---- */

/* One source read from the build context. What it names is resolved
 * before the walk by dw_copy_source_expand (BuildKit's rules: wildcards,
 * --parents, symlinks in the literal part); the walk then measures each
 * named entry as a scope. */
typedef struct {
    uint32_t line;
    const char *instr;      /* "COPY", "ADD", "RUN --mount" */
    char *source;           /* as written (expanded) */
    bool wild;              /* BuildKit accepts it matching nothing */
    bool whole;             /* names the context root: everything sent */
    dw_dockerignore *exclude; /* COPY/ADD --exclude, or NULL */
    char *pivot;            /* --parents: the folder the patterns are relative to */
    size_t base_len;        /* the literal folder before the first wildcard (dw_copy_source_base) */
    dw_copy_result res;
    long named;             /* entries the source names */
    uint64_t files, bytes, excluded;     /* sent (non-folder entries), their bytes; excluded by the ignore file */
    uint64_t dropped_files, dropped_bytes; /* left out by --exclude */
} copy_src;

typedef struct { copy_src *v; uint32_t n, cap; } copy_list;

/* A path some source names; `next` chains the other sources naming it. */
typedef struct { size_t off; uint32_t len, src, next; } named;

typedef struct {
    copy_list *cl;
    dw_buf paths;
    struct { named *v; uint32_t n, cap; } v;
    uint32_t *slots; uint32_t cap;
    uint8_t *depths; uint32_t ndepths;   /* depths[d]: some path of depth d is named */
    uint32_t current;
} named_table;

static uint32_t hash_bytes(const char *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static uint32_t *named_slot(named_table *t, const char *p, size_t n)
{
    uint32_t k = hash_bytes(p, n) & (t->cap - 1);
    while (t->slots[k] != UINT32_MAX) {
        const named *x = &t->v.v[t->slots[k]];
        if (x->len == n && !memcmp(t->paths.p + x->off, p, n)) break;
        k = (k + 1) & (t->cap - 1);
    }
    return &t->slots[k];
}

static void named_grow(named_table *t)
{
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    uint32_t *old = t->slots, ocap = t->cap;
    t->slots = malloc(sizeof *t->slots * cap);
    memset(t->slots, 0xff, sizeof *t->slots * cap);
    t->cap = cap;
    for (uint32_t i = 0; i < ocap; i++) {
        if (old[i] == UINT32_MAX) continue;
        const named *x = &t->v.v[old[i]];
        *named_slot(t, t->paths.p + x->off, x->len) = old[i];
    }
    free(old);
}

static int on_named(const dw_copy_entry *e, void *ud)
{
    named_table *t = ud;
    if (!e->top) return 0;
    copy_src *c = &t->cl->v[t->current];
    if (e->len == 1 && e->rel[0] == '.') { c->whole = true; return 0; }
    if ((t->v.n + 1) * 2 > t->cap) named_grow(t);
    uint32_t *slot = named_slot(t, e->rel, e->len);
    named x = {t->paths.n, (uint32_t)e->len, t->current, *slot};
    dw_buf_put(&t->paths, e->rel, e->len);
    *slot = t->v.n;
    DW_SVEC_PUSH(t->v, x);
    uint32_t depth = 0;
    for (size_t i = 0; i < e->len; i++) depth += e->rel[i] == '/';
    if (depth >= t->ndepths) {
        uint32_t n = depth + 8;
        t->depths = realloc(t->depths, n);
        memset(t->depths + t->ndepths, 0, n - t->ndepths);
        t->ndepths = n;
    }
    t->depths[depth] = 1;
    return 0;
}

/* Every COPY/ADD source read from the context (no --from, no URL, no
 * heredoc) and every RUN --mount=type=bind without from=, in file order. */
static void collect_sources(const dw_dockerfile *df, copy_list *cl)
{
    dw_ctx_read_iter it = {0, 0, true};
    dw_ctx_read r;
    while (dw_ctx_read_next(df, &it, &r)) {
        copy_src c;
        memset(&c, 0, sizeof c);
        c.line = r.in->line;
        c.instr = r.mount ? "RUN --mount" : r.in->kind == DW_I_ADD ? "ADD" : "COPY";
        c.source = strndup(r.value.ptr, r.value.len);
        if (r.windows) dw_copy_source_slashes(c.source, r.value.len);
        c.wild = dw_copy_has_wildcard(c.source, r.value.len);
        char *base = malloc(r.value.len + 3);
        c.base_len = dw_copy_source_base(c.source, r.value.len, r.parents, base);
        if (r.parents) {
            base[c.base_len] = 0;
            c.pivot = base;
        } else {
            free(base);
        }
        if (!r.mount) c.exclude = dw_copy_excludes(r.in);
        DW_SVEC_PUSH(*cl, c);
    }
}

/* Resolves what every source names, into t. */
static void resolve_sources(copy_list *cl, const char *dir, const dw_dockerignore *di, named_table *t)
{
    t->cl = cl;
    named_grow(t);
    for (uint32_t i = 0; i < cl->n; i++) {
        copy_src *c = &cl->v[i];
        dw_copy_opts o = {dir, di, c->exclude, c->pivot != NULL, false, 0};
        t->current = i;
        c->named = dw_copy_source_expand(&o, c->source, strlen(c->source), on_named, t, &c->res);
    }
}

/* ---- the walk ---- */

typedef struct { uint64_t files, links, other, dirs, bytes; } totals;

/* Running sums a scope takes differences of. */
typedef struct { uint64_t sent_files, sent_bytes, excl_files, excl_bytes; } sums;

enum { SC_TOP, SC_SUGG, SC_QUIET, SC_COPY };

typedef struct {
    uint32_t depth;
    uint8_t kind;
    bool excl;        /* SC_COPY: pushed an entry on the --exclude stack */
    uint32_t index;   /* into tops, the open suggestions, or sources */
    sums at;
} scope;

typedef struct { char *path; uint64_t bytes, files; } top_dir;
typedef struct { uint32_t src, root; } excl_scope;
typedef struct { char *path; uint64_t bytes; } top_file;

typedef struct {
    char *pattern;          /* the key, without the "**" + "/" prefix */
    const dw_cf_fact *fact;
    char *first;            /* the first path found */
    uint64_t count, files, bytes;
    bool nested;            /* found below the root: the pattern needs that prefix */
} sugg;

typedef struct {
    const dw_cf_fact *fact;
    char *path;
    uint32_t depth;
    bool referenced;        /* a COPY names it or something in it */
} open_sugg;

typedef struct {
    const char *context;
    uint32_t top;
    bool want_list;
    /* totals without the ignore file; sent totals come from the walker */
    totals all;
    sums cur;
    struct { scope *v; uint32_t n, cap; } scopes;
    struct { top_dir *v; uint32_t n, cap; } tops;
    top_file *heap; uint32_t nheap;          /* min-heap of the largest files */
    struct { sugg *v; uint32_t n, cap; } suggs;
    uint32_t *sugg_hash; uint32_t sugg_hash_cap;
    /* the suggested folders being measured, outermost first (see the top
     * of this file for what may be suggested inside one) */
    struct { open_sugg *v; uint32_t n, cap; } open;
    uint32_t open_never;                     /* how many of them no build needs */
    uint32_t quiet;                          /* open SC_QUIET scopes: no secrets suggested */
    copy_list sources;
    named_table named;
    uint32_t whole_sources;                  /* sources naming the whole context */
    bool all_used;                           /* one of them has no --exclude */
    uint32_t copy_scopes;                    /* open SC_COPY scopes */
    /* sources with --exclude whose scope is open (or that take the whole
     * context): entries below `root` bytes of the path are matched */
    struct { excl_scope *v; uint32_t n, cap; } excl;
    uint64_t unused_files, unused_bytes;
    /* the previous entry, to recognise a folder sent again (see is_resend) */
    dw_buf prev;
    /* --list */
    dw_buf list;
    struct { size_t *v; uint32_t n, cap; } list_off;
    /* unreadable folders */
    struct { char **v; uint32_t n, cap; } unreadable;
    /* progress on stderr */
    bool progress;
    bool progress_shown;
    uint64_t entries;
    struct timespec last, start;
    dw_buf scratch;
} state;

/* The walker reports an excluded folder (sent = false) and, when an
 * exception re-includes something below it, reports it again as sent just
 * before that entry: an ancestor of where the walk is. A new entry can
 * never be an ancestor of one already seen (parents come first), so a sent
 * folder whose path is the previous entry's or a folder of it is that
 * second report. */
static bool is_resend(const state *s, const dw_context_entry *e)
{
    if (e->type != DW_CW_DIR || !e->sent || s->prev.n < e->len) return false;
    return !memcmp(s->prev.p, e->path, e->len) && (s->prev.n == e->len || s->prev.p[e->len] == '/');
}

static void put_human(dw_buf *b, uint64_t n)
{
    char t[24];
    dw_buf_puts(b, dw_cf_size(n, t));
}

/* The same, right-aligned in 9 columns. */
static void put_size(dw_buf *b, uint64_t n)
{
    char t[24];
    dw_buf_printf(b, "%9s", dw_cf_size(n, t));
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* At most ten times a second, and only after the first quarter second, so
 * that small contexts never flash a line. */
static void progress(state *s)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (elapsed(&s->start, &now) < 0.25 || elapsed(&s->last, &now) < 0.1) return;
    s->last = now;
    s->scratch.n = 0;
    dw_buf_printf(&s->scratch, "\rreading the build context: %llu entries, ", (unsigned long long)s->entries);
    put_human(&s->scratch, s->cur.sent_bytes + s->cur.excl_bytes);
    dw_buf_puts(&s->scratch, "\033[K");
    fwrite(s->scratch.p, 1, s->scratch.n, stderr);
    fflush(stderr);
    s->progress_shown = true;
}

/* Largest files: a min-heap of `top` entries ordered by (bytes, then path
 * reversed), so that ties are broken by path and the result is stable. */
static bool file_less(const top_file *a, uint64_t bytes, const char *path)
{
    return a->bytes != bytes ? a->bytes < bytes : strcmp(a->path, path) > 0;
}

static void heap_down(top_file *h, uint32_t n, uint32_t i)
{
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && file_less(&h[l], h[m].bytes, h[m].path)) m = l;
        if (r < n && file_less(&h[r], h[m].bytes, h[m].path)) m = r;
        if (m == i) return;
        top_file t = h[i]; h[i] = h[m]; h[m] = t;
        i = m;
    }
}

static void consider_file(state *s, const dw_context_entry *e)
{
    if (!s->top) return;
    if (s->nheap < s->top) {
        uint32_t i = s->nheap++;
        s->heap[i] = (top_file){strndup(e->path, e->len), e->size};
        while (i && file_less(&s->heap[i], s->heap[(i - 1) / 2].bytes, s->heap[(i - 1) / 2].path)) {
            top_file t = s->heap[i]; s->heap[i] = s->heap[(i - 1) / 2]; s->heap[(i - 1) / 2] = t;
            i = (i - 1) / 2;
        }
        return;
    }
    if (!file_less(&s->heap[0], e->size, e->path)) return;
    free(s->heap[0].path);
    s->heap[0] = (top_file){strndup(e->path, e->len), e->size};
    heap_down(s->heap, s->nheap, 0);
}

static uint32_t hash_str(const char *p)
{
    return hash_bytes(p, strlen(p));
}

/* The suggestion keyed `key` (a rule's glob or a name), made on first use. */
static sugg *sugg_get(state *s, const char *key, const dw_cf_fact *r)
{
    if (s->suggs.n * 2 >= s->sugg_hash_cap) {
        uint32_t cap = s->sugg_hash_cap ? s->sugg_hash_cap * 2 : 64;
        uint32_t *h = malloc(sizeof *h * cap);
        memset(h, 0xff, sizeof *h * cap);
        for (uint32_t i = 0; i < s->suggs.n; i++) {
            uint32_t k = hash_str(s->suggs.v[i].pattern) & (cap - 1);
            while (h[k] != UINT32_MAX) k = (k + 1) & (cap - 1);
            h[k] = i;
        }
        free(s->sugg_hash);
        s->sugg_hash = h;
        s->sugg_hash_cap = cap;
    }
    uint32_t k = hash_str(key) & (s->sugg_hash_cap - 1);
    while (s->sugg_hash[k] != UINT32_MAX) {
        sugg *g = &s->suggs.v[s->sugg_hash[k]];
        if (!strcmp(g->pattern, key)) return g;
        k = (k + 1) & (s->sugg_hash_cap - 1);
    }
    sugg g = {strdup(key), r, NULL, 0, 0, 0, false};
    s->sugg_hash[k] = s->suggs.n;
    DW_SVEC_PUSH(s->suggs, g);
    return &s->suggs.v[s->suggs.n - 1];
}

/* Adds a measured candidate to its suggestion, unless a COPY names it (or
 * something in it): then the build wants it. A folder that sends nothing
 * is left out. */
static void sugg_commit(state *s, const dw_cf_fact *f, const char *path, uint32_t depth, bool isdir,
                        uint64_t files, uint64_t bytes, bool referenced)
{
    if (referenced || (isdir && !files)) return;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    sugg *g = sugg_get(s, f->name[0] == '*' ? f->name : base, f);
    if (!g->first) g->first = strdup(path);
    g->count++;
    g->files += files;
    g->bytes += bytes;
    if (depth) g->nested = true;
}

/* The table row a sent entry falls under, its disk conditions checked, or NULL. */
static const dw_cf_fact *fact_for(state *s, const dw_context_entry *e, const char *name, size_t n)
{
    if (e->type != DW_CW_DIR && e->type != DW_CW_FILE) return NULL;
    const dw_cf_fact *f = dw_cf_lookup(name, n, e->type == DW_CW_DIR);
    if (!f || (!f->marker && !f->beside)) return f;
    dw_buf *b = &s->scratch;
    b->n = 0;
    dw_buf_printf(b, "%s/%.*s", s->context, (int)e->len, e->path);
    dw_buf_putc(b, 0);
    return dw_cf_confirm(f, b->p, n) ? f : NULL;
}

static void close_scope(state *s, const scope *sc)
{
    uint64_t files = s->cur.sent_files - sc->at.sent_files, bytes = s->cur.sent_bytes - sc->at.sent_bytes;
    switch (sc->kind) {
    case SC_TOP:
        s->tops.v[sc->index].files = files;
        s->tops.v[sc->index].bytes = bytes;
        break;
    case SC_SUGG: {
        open_sugg *o = &s->open.v[sc->index];
        sugg_commit(s, o->fact, o->path, o->depth, true, files, bytes, o->referenced);
        s->open_never -= o->fact->never_needed;
        free(o->path);
        s->open.n--;
        break;
    }
    case SC_QUIET:
        s->quiet--;
        break;
    default: {
        copy_src *c = &s->sources.v[sc->index];
        c->files += files;
        c->bytes += bytes;
        c->excluded += s->cur.excl_files - sc->at.excl_files;
        s->copy_scopes--;
        if (sc->excl) s->excl.n--;
        break;
    }
    }
}

static void push_scope(state *s, uint32_t depth, uint8_t kind, uint32_t index)
{
    scope sc = {depth, kind, false, index, s->cur};
    DW_SVEC_PUSH(s->scopes, sc);
}

/* The sources naming entry e: each opens a scope. A source naming
 * something in a suggested folder marks that suggestion as wanted when it
 * means to: a literal path, or a wildcard whose literal folder lies in the
 * suggested one (`COPY target/app-*.jar`: target is wanted; `COPY * /app`
 * names node_modules only by accident). Returns whether a literal source
 * names e. */
static bool match_sources(state *s, const dw_context_entry *e)
{
    named_table *t = &s->named;
    if (e->depth >= t->ndepths || !t->depths[e->depth]) return false;
    bool literal = false;
    for (uint32_t k = *named_slot(t, e->path, e->len); k != UINT32_MAX; k = t->v.v[k].next) {
        uint32_t i = t->v.v[k].src;
        copy_src *c = &s->sources.v[i];
        literal |= !c->wild;
        for (uint32_t j = 0; j < s->open.n; j++)
            if (!c->wild || c->base_len >= strlen(s->open.v[j].path)) s->open.v[j].referenced = true;
        push_scope(s, e->depth, SC_COPY, i);
        s->copy_scopes++;
        if (c->exclude && e->type == DW_CW_DIR) {
            /* --exclude applies below the copied folder (with --parents: relative to the pivot) */
            uint32_t root = c->pivot ? (c->pivot[0] ? (uint32_t)strlen(c->pivot) + 1 : 0) : (uint32_t)e->len + 1;
            excl_scope x = {i, root};
            DW_SVEC_PUSH(s->excl, x);
            s->scopes.v[s->scopes.n - 1].excl = true;
        }
    }
    return literal;
}

/* How many of the --exclude sources open here leave the sent entry e out
 * (their counts are kept for the report). */
static uint32_t dropped_by(state *s, const dw_context_entry *e)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < s->excl.n; k++) {
        copy_src *c = &s->sources.v[s->excl.v[k].src];
        uint32_t root = s->excl.v[k].root;
        if (e->len <= root) continue;
        if (dw_dockerignore_matches(c->exclude, e->path + root, e->len - root, NULL) != DW_DI_MATCH) continue;
        c->dropped_files++;
        c->dropped_bytes += e->size;
        n++;
    }
    return n;
}

/* What entry e adds to the suggestions (outside any folder no build
 * needs); see the top of this file. */
static void suggest(state *s, const dw_context_entry *e, bool literal)
{
    const char *name = e->path + e->len;
    while (name > e->path && name[-1] != '/') name--;
    size_t n = (size_t)(e->path + e->len - name);
    bool dir = e->type == DW_CW_DIR;
    const dw_cf_fact *f = e->sent ? fact_for(s, e, name, n) : NULL;
    bool secret = f && f->category == DW_CF_SECRET;
    if (f && (secret ? !s->quiet : !s->open.n || f->never_needed)) {
        if (dir) {
            open_sugg o = {f, strndup(e->path, e->len), e->depth, literal};
            DW_SVEC_PUSH(s->open, o);
            s->open_never += f->never_needed;
            push_scope(s, e->depth, SC_SUGG, s->open.n - 1);
        } else {
            sugg_commit(s, f, e->path, e->depth, false, 1, e->size, literal);
        }
    }
    if (dir && (secret || dw_cf_quiet_dir(name, n))) {
        s->quiet++;
        push_scope(s, e->depth, SC_QUIET, 0);
    }
}

static int on_entry(const dw_context_entry *e, void *ud)
{
    state *s = ud;
    if (s->want_list && e->sent) {
        DW_SVEC_PUSH(s->list_off, s->list.n);
        dw_buf_put(&s->list, e->path, e->len + 1);
    }
    if (is_resend(s, e)) return 0;
    s->prev.n = 0;
    dw_buf_put(&s->prev, e->path, e->len);
    if (s->progress && (++s->entries & 1023) == 0) progress(s);

    /* leave the scopes this entry is not in */
    while (s->scopes.n && s->scopes.v[s->scopes.n - 1].depth >= e->depth)
        close_scope(s, &s->scopes.v[--s->scopes.n]);

    if (e->err) {
        char *p = strndup(e->path, e->len);
        DW_SVEC_PUSH(s->unreadable, p);
    }
    bool literal = s->named.ndepths ? match_sources(s, e) : false;

    if (e->depth == 0 && e->type == DW_CW_DIR) {
        top_dir t = {strndup(e->path, e->len), 0, 0};
        DW_SVEC_PUSH(s->tops, t);
        push_scope(s, 0, SC_TOP, s->tops.n - 1);
    }

    if (!s->open_never) suggest(s, e, literal);

    switch (e->type) {
    case DW_CW_DIR: s->all.dirs++; return 0;
    case DW_CW_FILE: s->all.files++; break;
    case DW_CW_SYMLINK: s->all.links++; break;
    default: s->all.other++; break;
    }
    s->all.bytes += e->size;
    if (e->sent) {
        s->cur.sent_files++;
        s->cur.sent_bytes += e->size;
        if (e->type == DW_CW_FILE) consider_file(s, e);
        uint32_t drop = s->excl.n ? dropped_by(s, e) : 0;
        if (!s->all_used && s->copy_scopes + s->whole_sources <= drop) {
            s->unused_files++;
            s->unused_bytes += e->size;
        }
    } else {
        s->cur.excl_files++;
        s->cur.excl_bytes += e->size;
    }
    return 0;
}

/* ---- output helpers ---- */

static int cmp_top_dir(const void *a, const void *b)
{
    const top_dir *p = a, *q = b;
    if (p->bytes != q->bytes) return p->bytes < q->bytes ? 1 : -1;
    return strcmp(p->path, q->path);
}

static int cmp_top_file(const void *a, const void *b)
{
    const top_file *p = a, *q = b;
    if (p->bytes != q->bytes) return p->bytes < q->bytes ? 1 : -1;
    return strcmp(p->path, q->path);
}

static int cmp_sugg(const void *a, const void *b)
{
    const sugg *p = a, *q = b;
    if (p->fact->category != q->fact->category) return (int)p->fact->category - (int)q->fact->category;
    if (p->bytes != q->bytes) return p->bytes < q->bytes ? 1 : -1;
    return strcmp(p->pattern, q->pattern);
}

/* The pattern to add: the name as found when every occurrence is at the
 * root, else prefixed to match at any depth. */
static void sugg_pattern(const sugg *g, dw_buf *b)
{
    b->n = 0;
    if (g->nested) dw_buf_puts(b, "**/");
    dw_buf_puts(b, g->pattern);
    dw_buf_putc(b, 0);
}

typedef struct {
    bool color, utf8;
    dw_buf line;
} painter;

static void paint(painter *p, const char *sgr, const char *text)
{
    if (p->color) dw_buf_printf(&p->line, "\033[%sm%s\033[0m", sgr, text);
    else dw_buf_puts(&p->line, text);
}

/* A path made safe for a terminal (no control characters). */
static void put_path(dw_buf *b, const char *p)
{
    dw_out_clean(b, p, strlen(p));
}

static size_t display_width(const char *p, size_t n)
{
    return dw_utf8_count(p, n);
}

static void pad_to(dw_buf *b, size_t from, size_t width)
{
    size_t w = display_width(b->p + from, b->n - from);
    while (w++ < width) dw_buf_putc(b, ' ');
}

/* A bar of `width` cells for value/max: eighth blocks on a UTF-8 terminal,
 * '#' otherwise. */
static void put_bar(painter *p, uint64_t value, uint64_t max, int width)
{
    int eighths = max ? (int)((double)value / (double)max * width * 8 + 0.5) : 0;
    if (value && !eighths) eighths = 1;
    dw_buf bar = {0};
    int cells = 0;
    if (p->utf8) {
        static const char *const part[] = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"};
        for (int i = 0; i < eighths / 8; i++) dw_buf_puts(&bar, "\u2588");
        cells = eighths / 8;
        if (eighths % 8) { dw_buf_puts(&bar, part[eighths % 8]); cells++; }
    } else {
        cells = (eighths + 4) / 8;
        if (value && !cells) cells = 1;
        for (int i = 0; i < cells; i++) dw_buf_putc(&bar, '#');
    }
    dw_buf_putc(&bar, 0);
    paint(p, "36", bar.p);
    dw_buf_free(&bar);
    for (int i = cells; i < width; i++) dw_buf_putc(&p->line, ' ');
}

static bool utf8_locale(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return false;
}

static void flush_line(painter *p)
{
    dw_buf_putc(&p->line, '\n');
    fwrite(p->line.p, 1, p->line.n, stdout);
    p->line.n = 0;
}

static void heading(painter *p, const char *text)
{
    paint(p, "1", text);
    flush_line(p);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- the report ---- */

/* Why the build fails on this source ("  " + reason), or NULL. */
static const char *copy_failure(const copy_src *c)
{
    if (c->whole || c->named > 0) return NULL;
    if (c->res.base_missing) return "  not found: the build fails";
    if (c->wild) return NULL;
    return c->res.ignored ? "  excluded by the ignore file: the build fails" : "  not found: the build fails";
}

typedef struct {
    const char *context, *dockerfile, *ignore_file;
    uint32_t npatterns;
    const dw_context_stats *st;
    state *s;
    top_dir *dirs; uint32_t ndirs;     /* the largest folders, sorted */
    top_file *files; uint32_t nfiles;  /* the largest files, sorted */
    bool have_dockerfile;
    json_t *errors;
} report;

static void totals_row(painter *p, const char *label, uint64_t files, uint64_t dirs, uint64_t bytes,
                       uint64_t of_bytes)
{
    dw_buf *b = &p->line;
    dw_buf_printf(b, "  %-16s %10llu %8llu  ", label, (unsigned long long)files, (unsigned long long)dirs);
    put_size(b, bytes);
    if (of_bytes) dw_buf_printf(b, "  %3.0f%% of the bytes", 100.0 * (double)bytes / (double)of_bytes);
    flush_line(p);
}

static void print_text(const report *r, bool color)
{
    state *s = r->s;
    const dw_context_stats *st = r->st;
    painter p = {color, utf8_locale() && isatty(STDOUT_FILENO), {0}};
    dw_buf *b = &p.line;

    dw_buf_puts(b, "build context  ");
    put_path(b, r->context);
    flush_line(&p);
    dw_buf_puts(b, "Dockerfile     ");
    if (r->dockerfile) put_path(b, r->dockerfile);
    if (!r->have_dockerfile) dw_buf_puts(b, r->dockerfile ? " (not found)" : "none");
    flush_line(&p);
    dw_buf_puts(b, "ignore file    ");
    if (r->ignore_file) {
        put_path(b, r->ignore_file);
        dw_buf_printf(b, " (%u %s)", r->npatterns, plural(r->npatterns, "pattern", "patterns"));
    } else {
        dw_buf_puts(b, "none: everything is sent");
    }
    flush_line(&p);
    flush_line(&p);

    uint64_t all_files = s->all.files, all_dirs = s->all.dirs;
    dw_buf_printf(b, "  %-16s %10s %8s  %9s", "", "files", "folders", "size");
    flush_line(&p);
    totals_row(&p, "sent", st->files, st->dirs, st->bytes, 0);
    if (r->ignore_file) {
        totals_row(&p, "without ignore", all_files, all_dirs, s->all.bytes, 0);
        totals_row(&p, "excluded", all_files - st->files, all_dirs - st->dirs, s->all.bytes - st->bytes,
                   s->all.bytes);
    }
    if (st->symlinks || st->others) {
        dw_buf_printf(b, "  (also sent: %llu %s", (unsigned long long)st->symlinks, plural(st->symlinks, "symlink", "symlinks"));
        if (st->others) dw_buf_printf(b, ", %llu other %s", (unsigned long long)st->others, plural(st->others, "entry", "entries"));
        dw_buf_puts(b, ")");
        flush_line(&p);
    }

    /* the largest folders and files, each list with its own bar scale */
    for (int list = 0; list < 2; list++) {
        uint32_t n = list ? r->nfiles : r->ndirs;
        if (!n) continue;
        uint64_t max = list ? r->files[0].bytes : r->dirs[0].bytes;
        if (!max) continue;
        flush_line(&p);
        heading(&p, list ? "largest files sent" : "largest top-level folders sent");
        size_t width = 0;
        for (uint32_t i = 0; i < n; i++) {
            const char *path = list ? r->files[i].path : r->dirs[i].path;
            size_t w = display_width(path, strlen(path)) + (list ? 0 : 1);
            if (w > width) width = w;
        }
        if (width > 48) width = 48;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t bytes = list ? r->files[i].bytes : r->dirs[i].bytes;
            if (!bytes) break;
            dw_buf_puts(b, "  ");
            size_t at = b->n;
            put_path(b, list ? r->files[i].path : r->dirs[i].path);
            if (!list) dw_buf_putc(b, '/');
            pad_to(b, at, width);
            dw_buf_puts(b, "  ");
            put_size(b, bytes);
            dw_buf_puts(b, "  ");
            put_bar(&p, bytes, max, 20);
            dw_buf_printf(b, " %3.0f%%", st->bytes ? 100.0 * (double)bytes / (double)st->bytes : 0.0);
            if (!list) dw_buf_printf(b, "  %llu %s", (unsigned long long)r->dirs[i].files, plural(r->dirs[i].files, "file", "files"));
            flush_line(&p);
        }
    }

    /* what to add to the ignore file */
    flush_line(&p);
    if (!s->suggs.n) {
        heading(&p, "nothing to add to the ignore file: no VCS folder, dependency, build output, cache, secret or editor file is sent");
    } else {
        heading(&p, r->ignore_file ? "add to the ignore file (found in the tree and sent)"
                                   : "create a .dockerignore with (found in the tree and sent)");
        dw_buf pat = {0};
        size_t width = 0;
        for (uint32_t i = 0; i < s->suggs.n; i++) {
            sugg_pattern(&s->suggs.v[i], &pat);
            size_t w = display_width(pat.p, pat.n - 1);
            if (w > width) width = w;
        }
        if (width > 40) width = 40;
        for (uint32_t i = 0; i < s->suggs.n; i++) {
            const sugg *g = &s->suggs.v[i];
            sugg_pattern(g, &pat);
            dw_buf_puts(b, "  ");
            dw_buf clean = {0};
            put_path(&clean, pat.p);
            dw_buf_putc(&clean, 0);
            paint(&p, g->fact->category == DW_CF_SECRET ? "1;31" : "33", clean.p);
            dw_buf_free(&clean);
            /* padding counts what is visible, not the colour codes */
            size_t vis = display_width(pat.p, pat.n - 1);
            while (vis++ < width) dw_buf_putc(b, ' ');
            dw_buf_puts(b, "  ");
            put_size(b, g->bytes);
            dw_buf_printf(b, "  %s: ", g->fact->why);
            put_path(b, g->first);
            if (g->count > 1) dw_buf_printf(b, " and %llu more", (unsigned long long)(g->count - 1));
            flush_line(&p);
        }
        dw_buf_free(&pat);
    }

    /* what the Dockerfile uses */
    if (r->have_dockerfile) {
        flush_line(&p);
        copy_list *cl = &s->sources;
        if (!cl->n) {
            heading(&p, "the Dockerfile copies nothing from the build context");
        } else {
            heading(&p, "used by COPY, ADD and RUN --mount");
            /* two columns: file:line, then the instruction and its source */
            size_t lw = 0, width = 0;
            dw_buf tmp = {0};
            for (uint32_t i = 0; i < cl->n; i++) {
                tmp.n = 0;
                put_path(&tmp, r->dockerfile);
                dw_buf_printf(&tmp, ":%u", cl->v[i].line);
                if (display_width(tmp.p, tmp.n) > lw) lw = display_width(tmp.p, tmp.n);
                tmp.n = 0;
                dw_buf_printf(&tmp, "%s ", cl->v[i].instr);
                put_path(&tmp, cl->v[i].source);
                if (display_width(tmp.p, tmp.n) > width) width = display_width(tmp.p, tmp.n);
            }
            dw_buf_free(&tmp);
            if (width > 48) width = 48;
            for (uint32_t i = 0; i < cl->n; i++) {
                const copy_src *c = &cl->v[i];
                dw_buf_puts(b, "  ");
                size_t at = b->n;
                put_path(b, r->dockerfile);
                dw_buf_printf(b, ":%u", c->line);
                pad_to(b, at, lw);
                dw_buf_puts(b, "  ");
                at = b->n;
                dw_buf_printf(b, "%s ", c->instr);
                put_path(b, c->source);
                pad_to(b, at, width);
                dw_buf_printf(b, "  %8llu %-5s ", (unsigned long long)c->files, plural(c->files, "file", "files"));
                put_size(b, c->bytes);
                const char *fails = copy_failure(c);
                if (fails) paint(&p, "31", fails);
                else if (!c->named && !c->whole) dw_buf_puts(b, "  matches nothing");
                if (c->excluded) dw_buf_printf(b, "  (%llu excluded by the ignore file)", (unsigned long long)c->excluded);
                if (c->dropped_files) dw_buf_printf(b, "  (%llu left out by --exclude)", (unsigned long long)c->dropped_files);
                if (c->res.truncated) dw_buf_puts(b, "  (at least: the search was cut short)");
                flush_line(&p);
            }
            if (!s->all_used) {
                dw_buf_printf(b, "  sent but used by none: %llu %s, ", (unsigned long long)s->unused_files,
                              plural(s->unused_files, "file", "files"));
                put_human(b, s->unused_bytes);
                flush_line(&p);
            }
        }
    }

    dw_buf_free(&p.line);
}

static json_t *jtext(const char *p)
{
    return dw_json_text(p, strlen(p));
}

static json_t *totals_json(uint64_t files, uint64_t dirs, uint64_t links, uint64_t other, uint64_t bytes)
{
    json_t *o = json_object();
    json_object_set_new(o, "files", json_integer((json_int_t)files));
    json_object_set_new(o, "dirs", json_integer((json_int_t)dirs));
    json_object_set_new(o, "symlinks", json_integer((json_int_t)links));
    json_object_set_new(o, "other", json_integer((json_int_t)other));
    json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
    return o;
}

static void print_json(const report *r)
{
    state *s = r->s;
    const dw_context_stats *st = r->st;
    json_t *o = json_object();
    json_object_set_new(o, "context", jtext(r->context));
    json_object_set_new(o, "dockerfile", r->have_dockerfile ? jtext(r->dockerfile) : json_null());
    json_object_set_new(o, "ignore_file", r->ignore_file ? jtext(r->ignore_file) : json_null());
    json_object_set_new(o, "sent", totals_json(st->files, st->dirs, st->symlinks, st->others, st->bytes));
    json_object_set_new(o, "without_ignore",
                        totals_json(s->all.files, s->all.dirs, s->all.links, s->all.other, s->all.bytes));
    json_object_set_new(o, "excluded",
                        totals_json(s->all.files - st->files, s->all.dirs - st->dirs, s->all.links - st->symlinks,
                                    s->all.other - st->others, s->all.bytes - st->bytes));

    /* folders and files together, largest first */
    json_t *largest = json_array();
    uint32_t i = 0, k = 0;
    while (i < r->ndirs || k < r->nfiles) {
        bool dir = k >= r->nfiles || (i < r->ndirs && (r->dirs[i].bytes > r->files[k].bytes ||
                                                       (r->dirs[i].bytes == r->files[k].bytes &&
                                                        strcmp(r->dirs[i].path, r->files[k].path) <= 0)));
        json_t *e = json_object();
        json_object_set_new(e, "path", jtext(dir ? r->dirs[i].path : r->files[k].path));
        json_object_set_new(e, "type", json_string(dir ? "dir" : "file"));
        json_object_set_new(e, "bytes", json_integer((json_int_t)(dir ? r->dirs[i].bytes : r->files[k].bytes)));
        json_object_set_new(e, "files", json_integer(dir ? (json_int_t)r->dirs[i].files : 1));
        json_array_append_new(largest, e);
        if (dir) i++; else k++;
    }
    json_object_set_new(o, "largest", largest);

    json_t *sug = json_array();
    dw_buf pat = {0};
    for (uint32_t g = 0; g < s->suggs.n; g++) {
        const sugg *x = &s->suggs.v[g];
        sugg_pattern(x, &pat);
        json_t *e = json_object();
        json_object_set_new(e, "pattern", jtext(pat.p));
        json_object_set_new(e, "category", json_string(dw_cf_category_name((dw_cf_category)x->fact->category)));
        json_object_set_new(e, "reason", json_string(x->fact->why));
        json_object_set_new(e, "path", jtext(x->first));
        json_object_set_new(e, "count", json_integer((json_int_t)x->count));
        json_object_set_new(e, "files", json_integer((json_int_t)x->files));
        json_object_set_new(e, "bytes", json_integer((json_int_t)x->bytes));
        json_array_append_new(sug, e);
    }
    dw_buf_free(&pat);
    json_object_set_new(o, "suggestions", sug);

    json_t *copies = json_array();
    for (uint32_t c = 0; c < s->sources.n; c++) {
        const copy_src *x = &s->sources.v[c];
        json_t *e = json_object();
        json_object_set_new(e, "line", json_integer(x->line));
        json_object_set_new(e, "instruction", json_string(x->instr));
        json_object_set_new(e, "source", jtext(x->source));
        json_object_set_new(e, "matched", json_integer((json_int_t)x->files));
        json_object_set_new(e, "bytes", json_integer((json_int_t)x->bytes));
        json_object_set_new(e, "excluded", json_integer((json_int_t)x->excluded));
        const char *fails = copy_failure(x);
        json_object_set_new(e, "error", fails ? json_string(fails + 2) : json_null());
        json_array_append_new(copies, e);
    }
    json_object_set_new(o, "copies", copies);
    if (r->have_dockerfile) {
        json_t *u = json_object();
        json_object_set_new(u, "files", json_integer((json_int_t)s->unused_files));
        json_object_set_new(u, "bytes", json_integer((json_int_t)s->unused_bytes));
        json_object_set_new(o, "unused", u);
    } else {
        json_object_set_new(o, "unused", json_null());
    }
    json_object_set_new(o, "errors", json_incref(r->errors));
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(o);
}

static void add_error(json_t *errors, const char *file, uint32_t line, uint32_t col, const char *msg)
{
    json_t *e = json_object();
    json_object_set_new(e, "file", jtext(file));
    if (line) {
        json_object_set_new(e, "line", json_integer(line));
        json_object_set_new(e, "column", json_integer(col));
    }
    json_object_set_new(e, "message", jtext(msg));
    json_array_append_new(errors, e);
}

/* Prints the ignore file's invalid patterns (the build would fail on them)
 * as file:line:col: error: message, and keeps them for the JSON report. */
static void report_patterns(const dw_dockerignore *di, json_t *errors)
{
    uint32_t n;
    const dw_di_error *e = dw_dockerignore_invalid(di, &n);
    dw_buf b = {0};
    for (uint32_t i = 0; i < n; i++) {
        b.n = 0;
        dw_buf_printf(&b, "%s%s%s", e[i].message, e[i].detail ? ": " : "", e[i].detail ? e[i].detail : "");
        dw_buf_putc(&b, 0);
        if (e[i].line) fprintf(stderr, "%s:%u:%u: error: %s\n", di->path, e[i].line, e[i].col, b.p);
        else fprintf(stderr, "%s: error: %s\n", di->path, b.p);
        add_error(errors, di->path, e[i].line, e[i].col, b.p);
    }
    dw_buf_free(&b);
}

/* DIR + "/" + name, without a leading "./" for DIR = ".". */
static char *join(const char *dir, const char *name)
{
    if (!strcmp(dir, ".")) return strdup(name);
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    char *p = malloc(n + strlen(name) + 2);
    sprintf(p, "%.*s/%s", (int)n, dir, name);
    return p;
}

static int cmp_list(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* --list: every sent path, sorted bytewise. On a terminal a path is made
 * safe to show; piped, it is written as it is. */
static void print_list(state *s)
{
    uint32_t n = s->list_off.n;
    char **v = malloc(sizeof *v * (n ? n : 1));
    for (uint32_t i = 0; i < n; i++) v[i] = s->list.p + s->list_off.v[i];
    qsort(v, n, sizeof *v, cmp_list);
    bool tty = isatty(STDOUT_FILENO);
    dw_buf out = {0};
    for (uint32_t i = 0; i < n; i++) {
        if (tty) dw_out_clean(&out, v[i], strlen(v[i]));
        else dw_buf_puts(&out, v[i]);
        dw_buf_putc(&out, '\n');
        if (out.n > (1u << 16)) { fwrite(out.p, 1, out.n, stdout); out.n = 0; }
    }
    fwrite(out.p, 1, out.n, stdout);
    dw_buf_free(&out);
    free(v);
}

int cmd_context(int argc, char **argv)
{
    const char *dir = NULL, *file = NULL, *format = "text", *color = "auto";
    bool list = false;
    long top = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int m = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(context_usage, stdout); return 0; }
        else if (!strcmp(a, "--list")) list = true;
        else if (!strcmp(a, "--no-color")) color = "never";
        else if ((m = cli_opt(argc, argv, &i, "--file", "-f", &val))) file = val;
        else if ((m = cli_opt(argc, argv, &i, "--format", NULL, &val))) format = val;
        else if ((m = cli_opt(argc, argv, &i, "--color", NULL, &val))) color = val;
        else if ((m = cli_opt(argc, argv, &i, "--top", NULL, &val))) {
            char *end;
            top = strtol(val, &end, 10);
            if (*end || !*val || top < 0 || top > 100000)
                return cli_usage_error("context", "--top needs a number from 0 to 100000, not '%s'", val);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("context", "unknown option '%s' (see dockwright context --help)", a);
        } else if (dir) {
            return cli_usage_error("context", "one build context only ('%s' and '%s')", dir, a);
        } else {
            dir = a;
        }
        if (m < 0) return cli_usage_error("context", "%s needs a value", a);
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error("context", "unknown format '%s' (text, json)", format);
    if (strcmp(color, "always") && strcmp(color, "never") && strcmp(color, "auto"))
        return cli_usage_error("context", "--color takes always, never or auto, not '%s'", color);
    if (list && strcmp(format, "text"))
        return cli_usage_error("context", "--list prints paths only: it takes no --format");
    if (!dir) dir = ".";
    if (!strcmp(dir, "-"))
        return cli_usage_error("context", "a build context read from stdin (a tar stream) is not supported");
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "dockwright context: cannot read the build context %s: %s\n", dir,
                S_ISDIR(sb.st_mode) || !errno ? "not a directory" : strerror(errno));
        return 2;
    }

    int rc = 0;
    json_t *errors = json_array();
    char *dockerfile = file ? strdup(file) : join(dir, "Dockerfile");
    dw_dockerfile *df = NULL;
    if (strcmp(dockerfile, "-") != 0) df = dw_dockerfile_parse_path(dockerfile, NULL, NULL);
    if (!df && file) {
        fprintf(stderr, "dockwright context: cannot read the Dockerfile %s: %s\n", file,
                !strcmp(file, "-") ? "stdin is not supported here" : strerror(errno));
        free(dockerfile);
        json_decref(errors);
        return 2;
    }
    bool beside = false;
    char *ignore = dw_dockerignore_locate(strcmp(dockerfile, "-") ? dockerfile : NULL, dir, &beside);
    dw_dockerignore *di = NULL;
    if (ignore) {
        /* shown, and read, without a leading "./" */
        const char *shown = dw_out_rel_path(ignore);
        memmove(ignore, shown, strlen(shown) + 1);
        di = dw_dockerignore_load(ignore);
        if (!di) {
            fprintf(stderr, "dockwright context: cannot read the ignore file %s: %s (going on without it)\n",
                    ignore, strerror(errno));
            add_error(errors, ignore, 0, 0, strerror(errno));
        } else {
            report_patterns(di, errors);
        }
    }

    state s;
    memset(&s, 0, sizeof s);
    s.context = dir;
    s.top = (uint32_t)top;
    s.want_list = list;
    s.heap = calloc(s.top ? s.top : 1, sizeof *s.heap);
    if (df) collect_sources(df, &s.sources);
    if (s.sources.n) resolve_sources(&s.sources, dir, di, &s.named);
    for (uint32_t i = 0; i < s.sources.n; i++) {
        copy_src *c = &s.sources.v[i];
        if (!c->whole) continue;
        s.whole_sources++;
        if (!c->exclude) { s.all_used = true; continue; }
        excl_scope x = {i, c->pivot && c->pivot[0] ? (uint32_t)strlen(c->pivot) + 1 : 0};
        DW_SVEC_PUSH(s.excl, x);
    }
    s.progress = isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &s.start);
    s.last = s.start;

    dw_context_stats st;
    dw_context_opts opts = {true};
    int wrc = dw_context_walk(dir, di, &opts, on_entry, &s, &st);
    if (s.progress_shown) fputs("\r\033[K", stderr);
    if (wrc < 0) {
        fprintf(stderr, "dockwright context: cannot read the build context %s: %s\n", dir, strerror(errno));
        rc = 2;
        goto done;
    }
    while (s.scopes.n) close_scope(&s, &s.scopes.v[--s.scopes.n]);
    /* whole-context sources: everything sent; then what --exclude left out */
    for (uint32_t i = 0; i < s.sources.n; i++) {
        copy_src *c = &s.sources.v[i];
        if (c->whole) {
            c->files = st.files + st.symlinks + st.others;
            c->bytes = st.bytes;
            c->excluded = s.cur.excl_files;
        }
        c->files -= c->dropped_files;
        c->bytes -= c->dropped_bytes;
    }
    /* (a pattern failing at match time, st.match_error, is among those
     * report_patterns printed) */
    for (uint32_t i = 0; i < s.unreadable.n; i++) {
        char *p = join(dir, s.unreadable.v[i]);
        fprintf(stderr, "dockwright context: cannot read the folder %s: the build would fail there\n", p);
        add_error(errors, p, 0, 0, "cannot read this folder: the build would fail there");
        free(p);
    }

    if (list) {
        print_list(&s);
    } else {
        if (s.tops.n > 1) qsort(s.tops.v, s.tops.n, sizeof *s.tops.v, cmp_top_dir);
        if (s.nheap > 1) qsort(s.heap, s.nheap, sizeof *s.heap, cmp_top_file);
        if (s.suggs.n > 1) qsort(s.suggs.v, s.suggs.n, sizeof *s.suggs.v, cmp_sugg);
        report r = {dir, dockerfile, di ? ignore : NULL, di ? di->npatterns : 0, &st, &s,
                    s.tops.v, s.tops.n < s.top ? s.tops.n : s.top, s.heap, s.nheap, df != NULL, errors};
        /* folders that send nothing are not among the largest */
        while (r.ndirs && !r.dirs[r.ndirs - 1].bytes) r.ndirs--;
        while (r.nfiles && !r.files[r.nfiles - 1].bytes) r.nfiles--;
        if (!strcmp(format, "json")) print_json(&r);
        else print_text(&r, cli_want_color(color, stdout));
    }
    fflush(stdout);

done:
    for (uint32_t i = 0; i < s.tops.n; i++) free(s.tops.v[i].path);
    for (uint32_t i = 0; i < s.nheap; i++) free(s.heap[i].path);
    for (uint32_t i = 0; i < s.suggs.n; i++) { free(s.suggs.v[i].pattern); free(s.suggs.v[i].first); }
    for (uint32_t i = 0; i < s.sources.n; i++) {
        free(s.sources.v[i].source);
        free(s.sources.v[i].pivot);
        dw_dockerignore_free(s.sources.v[i].exclude);
    }
    dw_buf_free(&s.named.paths);
    DW_SVEC_FREE(s.named.v);
    free(s.named.slots);
    free(s.named.depths);
    DW_SVEC_FREE(s.excl);
    for (uint32_t i = 0; i < s.unreadable.n; i++) free(s.unreadable.v[i]);
    for (uint32_t i = 0; i < s.open.n; i++) free(s.open.v[i].path);
    DW_SVEC_FREE(s.open);
    DW_SVEC_FREE(s.tops);
    DW_SVEC_FREE(s.suggs);
    DW_SVEC_FREE(s.sources);
    DW_SVEC_FREE(s.scopes);
    DW_SVEC_FREE(s.list_off);
    DW_SVEC_FREE(s.unreadable);
    free(s.sugg_hash);
    free(s.heap);
    dw_buf_free(&s.prev);
    dw_buf_free(&s.list);
    dw_buf_free(&s.scratch);
    dw_dockerignore_free(di);
    dw_dockerfile_free(df);
    free(ignore);
    free(dockerfile);
    json_decref(errors);
    return rc;
}
