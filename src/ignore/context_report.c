/* context_report.c — what `docker build DIR` would send, from one walk of
 * the context (dw_context_walk with report_excluded, so that both totals,
 * with and without the ignore file, come out of the same pass): sizes and
 * counts, the largest top-level folders and files, the entries the ignore
 * file should add, and which part each COPY/ADD source (and RUN bind mount)
 * uses. Nothing is followed through a symlink, no file is opened. The CLI
 * (`dockwright context`) prints the result; see dw_context_report_build in
 * dockwright.h.
 *
 * Every per-entry figure is kept as running sums: a "scope" (a folder being
 * measured: a top-level folder, a suggested folder, what a COPY source
 * names) remembers the sums when it opens and takes the difference when
 * the walk leaves it, so an entry costs the same however many scopes hold
 * it. The walk reports parents before children, so scopes nest as a stack. */
#include "context_facts.h"
#include "context_sources.h"
#include "copy_sources.h"
#include "dockerignore.h"
#include "../output/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
    /* opts.list: every sent path, NUL-terminated, at list_off */
    dw_buf list;
    struct { size_t *v; uint32_t n, cap; } list_off;
    /* unreadable folders */
    struct { char **v; uint32_t n, cap; } unreadable;
    /* progress */
    void (*progress)(uint64_t entries, uint64_t bytes, void *ud);
    void *progress_ud;
    uint64_t entries;
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
    return dw_hash(p, strlen(p));
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
    for (uint32_t k = dw_ctx_named_first(t, e->path, e->len); k != UINT32_MAX; k = t->v.v[k].next) {
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
    if (s->progress && (++s->entries & 1023) == 0)
        s->progress(s->entries, s->cur.sent_bytes + s->cur.excl_bytes, s->progress_ud);

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


/* ---- the result ---- */

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

struct dw_context_report {
    dw_context_summary sum;
    dw_arena arena;           /* the summary's arrays and the strings made for it */
    state s;
    char **list; uint32_t nlist;  /* opts.list: the sent paths, sorted */
    struct { dw_context_error *v; uint32_t n, cap; } errors;
    dw_dockerignore *di;
    dw_dockerfile *df;        /* kept while the sources point into it */
    char *dockerfile, *ignore;
};

static void add_error(dw_context_report *r, dw_context_error_kind kind, const char *file, uint32_t line,
                      uint32_t col, const char *msg)
{
    dw_context_error e = {kind, dw_arena_memdup(&r->arena, file, strlen(file)), line, col,
                          dw_arena_memdup(&r->arena, msg, strlen(msg))};
    DW_SVEC_PUSH(r->errors, e);
}

/* The ignore file's invalid patterns (the build would fail on them). */
static void pattern_errors(dw_context_report *r, const dw_dockerignore *di)
{
    uint32_t n;
    const dw_di_error *e = dw_dockerignore_invalid(di, &n);
    dw_buf b = {0};
    for (uint32_t i = 0; i < n; i++) {
        b.n = 0;
        dw_buf_printf(&b, "%s%s%s", e[i].message, e[i].detail ? ": " : "", e[i].detail ? e[i].detail : "");
        dw_buf_putc(&b, 0);
        add_error(r, DW_CTX_ERR_PATTERN, di->path, e[i].line, e[i].col, b.p);
    }
    dw_buf_free(&b);
}

/* The summary's lists, sorted, from what the walk kept. */
static void summarise(dw_context_report *r, const dw_context_stats *st)
{
    state *s = &r->s;
    dw_context_summary *m = &r->sum;
    m->sent = (dw_context_totals){st->files, st->dirs, st->symlinks, st->others, st->bytes};
    m->all = (dw_context_totals){s->all.files, s->all.dirs, s->all.links, s->all.other, s->all.bytes};

    if (s->tops.n > 1) qsort(s->tops.v, s->tops.n, sizeof *s->tops.v, cmp_top_dir);
    if (s->nheap > 1) qsort(s->heap, s->nheap, sizeof *s->heap, cmp_top_file);
    if (s->suggs.n > 1) qsort(s->suggs.v, s->suggs.n, sizeof *s->suggs.v, cmp_sugg);
    /* folders that send nothing are not among the largest */
    uint32_t nd = s->tops.n < s->top ? s->tops.n : s->top, nf = s->nheap;
    while (nd && !s->tops.v[nd - 1].bytes) nd--;
    while (nf && !s->heap[nf - 1].bytes) nf--;
    dw_context_size *dirs = DW_NEW(&r->arena, dw_context_size, nd), *files = DW_NEW(&r->arena, dw_context_size, nf);
    for (uint32_t i = 0; i < nd; i++) dirs[i] = (dw_context_size){s->tops.v[i].path, s->tops.v[i].bytes, s->tops.v[i].files};
    for (uint32_t i = 0; i < nf; i++) files[i] = (dw_context_size){s->heap[i].path, s->heap[i].bytes, 1};
    m->dirs = dirs, m->ndirs = nd, m->files = files, m->nfiles = nf;

    dw_context_suggestion *sg = DW_NEW(&r->arena, dw_context_suggestion, s->suggs.n);
    dw_buf pat = {0};
    for (uint32_t i = 0; i < s->suggs.n; i++) {
        const sugg *g = &s->suggs.v[i];
        sugg_pattern(g, &pat);
        sg[i] = (dw_context_suggestion){dw_arena_memdup(&r->arena, pat.p, pat.n - 1),
                                        dw_cf_category_name((dw_cf_category)g->fact->category), g->fact->why,
                                        g->first, g->fact->category == DW_CF_SECRET, g->count, g->files, g->bytes};
    }
    dw_buf_free(&pat);
    m->suggestions = sg, m->nsuggestions = s->suggs.n;

    dw_context_copy *cp = DW_NEW(&r->arena, dw_context_copy, s->sources.n);
    for (uint32_t i = 0; i < s->sources.n; i++) {
        const copy_src *c = &s->sources.v[i];
        cp[i] = (dw_context_copy){c->line, c->instr, c->source, c->files, c->bytes, c->excluded, c->dropped_files,
                                  !c->named && !c->whole, c->res.truncated, dw_ctx_source_failure(c)};
    }
    m->copies = cp, m->ncopies = s->sources.n;
    m->all_used = s->all_used;
    m->unused_files = s->unused_files, m->unused_bytes = s->unused_bytes;

    if (s->list_off.n) {
        r->nlist = s->list_off.n;
        r->list = dw_xmalloc(sizeof *r->list * r->nlist);
        for (uint32_t i = 0; i < r->nlist; i++) r->list[i] = s->list.p + s->list_off.v[i];
        qsort(r->list, r->nlist, sizeof *r->list, cmp_list);
    }
}

dw_context_report *dw_context_report_build(const char *dir, const dw_context_report_opts *o)
{
    dw_context_report *r = dw_xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    dw_arena_init(&r->arena);
    r->dockerfile = o->dockerfile ? strdup(o->dockerfile) : join(dir, "Dockerfile");
    dw_dockerfile *df = NULL;
    if (strcmp(r->dockerfile, "-") != 0) df = r->df = dw_dockerfile_parse_path(r->dockerfile, NULL, NULL);
    if (!df && o->dockerfile_given) {
        int e = errno;
        dw_context_report_free(r);
        errno = e;
        return NULL;
    }
    bool beside = false;
    r->ignore = dw_dockerignore_locate(strcmp(r->dockerfile, "-") ? r->dockerfile : NULL, dir, &beside);
    if (r->ignore) {
        /* shown, and read, without a leading "./" */
        const char *shown = dw_out_rel_path(r->ignore);
        memmove(r->ignore, shown, strlen(shown) + 1);
        r->di = dw_dockerignore_load(r->ignore);
        if (!r->di) add_error(r, DW_CTX_ERR_IGNORE_FILE, r->ignore, 0, 0, strerror(errno));
        else pattern_errors(r, r->di);
    }

    state *s = &r->s;
    s->context = dir;
    s->top = o->top;
    s->want_list = o->list;
    s->progress = o->progress;
    s->progress_ud = o->progress_ud;
    s->heap = calloc(s->top ? s->top : 1, sizeof *s->heap);
    if (df) dw_ctx_sources_collect(df, &s->sources);
    if (s->sources.n) dw_ctx_sources_resolve(&s->sources, dir, r->di, &s->named);
    for (uint32_t i = 0; i < s->sources.n; i++) {
        copy_src *c = &s->sources.v[i];
        if (!c->whole) continue;
        s->whole_sources++;
        if (!c->exclude) { s->all_used = true; continue; }
        excl_scope x = {i, c->pivot && c->pivot[0] ? (uint32_t)strlen(c->pivot) + 1 : 0};
        DW_SVEC_PUSH(s->excl, x);
    }

    dw_context_summary *m = &r->sum;
    m->context = dir;
    m->dockerfile = r->dockerfile;
    m->have_dockerfile = df != NULL;
    m->ignore_file = r->di ? r->ignore : NULL;
    m->npatterns = r->di ? r->di->npatterns : 0;

    dw_context_stats st;
    dw_context_opts wo = {true};
    if (dw_context_walk(dir, r->di, &wo, on_entry, s, &st) < 0) {
        m->walk_errno = errno ? errno : EIO;
    } else {
        while (s->scopes.n) close_scope(s, &s->scopes.v[--s->scopes.n]);
        /* whole-context sources: everything sent; then what --exclude left out */
        for (uint32_t i = 0; i < s->sources.n; i++) {
            copy_src *c = &s->sources.v[i];
            if (c->whole) {
                c->files = st.files + st.symlinks + st.others;
                c->bytes = st.bytes;
                c->excluded = s->cur.excl_files;
            }
            c->files -= c->dropped_files;
            c->bytes -= c->dropped_bytes;
        }
        /* (a pattern failing at match time, st.match_error, is among the
         * pattern errors) */
        for (uint32_t i = 0; i < s->unreadable.n; i++) {
            char *p = join(dir, s->unreadable.v[i]);
            add_error(r, DW_CTX_ERR_FOLDER, p, 0, 0, "cannot read this folder: the build would fail there");
            free(p);
        }
        summarise(r, &st);
    }
    m->errors = r->errors.v, m->nerrors = r->errors.n;
    return r;
}

const dw_context_summary *dw_context_report_summary(const dw_context_report *r)
{
    return &r->sum;
}

const char *dw_context_report_next_path(const dw_context_report *r, uint32_t *it)
{
    return *it < r->nlist ? r->list[(*it)++] : NULL;
}

void dw_context_report_free(dw_context_report *r)
{
    if (!r) return;
    state *s = &r->s;
    for (uint32_t i = 0; i < s->tops.n; i++) free(s->tops.v[i].path);
    for (uint32_t i = 0; i < s->nheap; i++) free(s->heap[i].path);
    for (uint32_t i = 0; i < s->suggs.n; i++) { free(s->suggs.v[i].pattern); free(s->suggs.v[i].first); }
    dw_ctx_sources_free(&s->sources, &s->named);
    DW_SVEC_FREE(s->excl);
    for (uint32_t i = 0; i < s->unreadable.n; i++) free(s->unreadable.v[i]);
    for (uint32_t i = 0; i < s->open.n; i++) free(s->open.v[i].path);
    DW_SVEC_FREE(s->open);
    DW_SVEC_FREE(s->tops);
    DW_SVEC_FREE(s->suggs);
    DW_SVEC_FREE(s->scopes);
    DW_SVEC_FREE(s->list_off);
    DW_SVEC_FREE(s->unreadable);
    free(s->sugg_hash);
    free(s->heap);
    dw_buf_free(&s->prev);
    dw_buf_free(&s->list);
    dw_buf_free(&s->scratch);
    DW_SVEC_FREE(r->errors);
    free(r->list);
    dw_dockerignore_free(r->di);
    dw_dockerfile_free(r->df);
    dw_arena_free(&r->arena);
    free(r->ignore);
    free(r->dockerfile);
    free(r);
}
