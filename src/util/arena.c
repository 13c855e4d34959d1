/* arena.c — one arena per file: every allocation for a parsed file lives here
 * and dies with dw_arena_free. Allocations are zeroed and 16-byte aligned
 * (dw_arena_alloc_align gives less for strings and small records). Out-of-
 * memory is not recoverable for a linter: it goes to one handler that prints
 * a message and exits with status 2. */
#define _GNU_SOURCE /* mremap */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct dw_arena_block {
    struct dw_arena_block *prev;
    size_t used, size;
    size_t ready; /* bytes of data whose pages are known to be faulted in */
    bool mapped;  /* from mmap (big blocks), else calloc */
    _Alignas(16) unsigned char data[];
};

#define BLOCK_MIN (64u * 1024u)
#define BLOCK_MAX ((size_t)64 << 20)
#define MAP_MIN ((size_t)1 << 20) /* blocks this big come straight from mmap */
#define ALIGN 16u
#define READY_CHUNK ((size_t)256 << 10) /* pages are faulted in this much at a time */

/* Faults in the pages of [p, p + n) (p page-aligned) with one call, as
 * memory about to be written: about a quarter cheaper than a fault per 4 KB
 * page, and READY_CHUNK is small enough that the zeroed pages are still in
 * the cache when they are written. Where the kernel lacks
 * MADV_POPULATE_WRITE (before Linux 5.14) the pages fault as usual. */
static void prefault(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    if (n) madvise(p, n, MADV_POPULATE_WRITE);
#else
    (void)p;
    (void)n;
#endif
}

static size_t page_size(void)
{
    static size_t page;
    if (!page) {
        long v = sysconf(_SC_PAGESIZE);
        page = v > 0 ? (size_t)v : 4096;
    }
    return page;
}

/* The bump pointer of a mapped block passed what was faulted in: fault in
 * up to READY_CHUNK past it. */
static void block_ready(dw_arena_block *b)
{
    size_t pg = page_size();
    uintptr_t from = (uintptr_t)(b->data + b->ready) & ~(uintptr_t)(pg - 1);
    size_t end = b->used + READY_CHUNK < b->size ? b->used + READY_CHUNK : b->size;
    uintptr_t to = ((uintptr_t)(b->data + end) + pg - 1) & ~(uintptr_t)(pg - 1);
    prefault((void *)from, to - from);
    b->ready = end;
}

/* A zeroed block of `size` usable bytes. Big blocks come from mmap: the
 * kernel hands out zero pages lazily, so the unused tail of the last block
 * costs nothing. Huge pages are deliberately not requested: on a VM whose
 * host reclaims free guest memory, a fresh 2 MB page can take milliseconds
 * to fault in, which made big parses swing from 0.5 s to 1.5 s; 4 KB pages
 * cost the same every run. */
static dw_arena_block *new_block(size_t size)
{
    dw_arena_block *b;
    if (size >= MAP_MIN) {
        size_t total = sizeof *b + size;
        void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) dw_oom();
        b = m;
        b->mapped = true;
        b->ready = 0;
    } else {
        b = calloc(1, sizeof *b + size);
        if (!b) dw_oom();
        b->mapped = false;
        b->ready = size;
    }
    b->size = size;
    b->used = 0;
    return b;
}

static void free_block(dw_arena_block *b)
{
    if (b->mapped) munmap(b, sizeof *b + b->size);
    else free(b);
}

/* Called on allocation failure; never returns. */
void dw_oom(void)
{
    fputs("dockwright: out of memory\n", stderr);
    exit(2);
}

void *dw_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) dw_oom();
    return p;
}

void *dw_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) dw_oom();
    return q;
}

void dw_arena_init(dw_arena *a)
{
    a->head = NULL;
    a->total = 0;
    a->adopted = NULL;
}

/* Returns n zeroed bytes aligned to `align` (a power of two, at most 16).
 * A request larger than the default block size gets a block of its own so
 * big buffers don't waste the tail. */
void *dw_arena_alloc_align(dw_arena *a, size_t n, size_t align)
{
    dw_arena_block *b = a->head;
    size_t pad = b ? (size_t)-(uintptr_t)(b->data + b->used) & (align - 1) : 0;
    size_t need = n + pad;
    if (need < n) dw_oom();
    if (!b || b->size - b->used < need) {
        need = (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
        if (need < n) dw_oom();
        pad = 0;
        /* grow geometrically with the arena, so a big file needs few blocks */
        size_t size = a->total < BLOCK_MIN ? BLOCK_MIN : a->total > BLOCK_MAX ? BLOCK_MAX : a->total;
        if (size < need) size = need;
        b = new_block(size);
        if (a->head && need > BLOCK_MIN && a->head->size - a->head->used > BLOCK_MIN / 4) {
            /* a one-off big request: keep the current block as head, it still has room */
            b->prev = a->head->prev;
            a->head->prev = b;
        } else {
            b->prev = a->head;
            a->head = b;
        }
        a->total += size;
    }
    void *p = b->data + b->used + pad; /* zero: blocks are fresh and never reused */
    b->used += need;
    if (b->used > b->ready) block_ready(b);
    return p;
}

void *dw_arena_alloc(dw_arena *a, size_t n) { return dw_arena_alloc_align(a, n, ALIGN); }

void *dw_arena_alloc_array(dw_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) dw_oom();
    return dw_arena_alloc(a, count * size);
}

void *dw_arena_alloc_packed(dw_arena *a, size_t count, size_t size, size_t align)
{
    if (size && count > SIZE_MAX / size) dw_oom();
    return dw_arena_alloc_align(a, count * size, align);
}

/* Strings need no alignment: packing them saves up to 15 bytes each. */
char *dw_arena_memdup(dw_arena *a, const void *p, size_t n)
{
    if (n == SIZE_MAX) dw_oom();
    char *s = dw_arena_alloc_align(a, n + 1, 1);
    if (n) memcpy(s, p, n);
    s[n] = 0;
    return s;
}

void *dw_arena_copy_items(dw_arena *a, const void *p, size_t count, size_t size)
{
    void *d = dw_arena_alloc_packed(a, count, size, dw_align_for(size));
    if (count) memcpy(d, p, count * size);
    return d;
}

void *dw_arena_copy(dw_arena *a, const void *p, size_t n)
{
    void *d = dw_arena_alloc(a, n);
    if (n) memcpy(d, p, n);
    return d;
}

char *dw_arena_printf(dw_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = dw_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

char *dw_arena_vprintf(dw_arena *a, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *s = dw_arena_alloc_align(a, (size_t)n + 1, 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

/* Memory the arena frees with itself: malloc'd (size 0) or a mapping. */
typedef struct adopted { struct adopted *next; void *p; size_t size; } adopted;

static void adopt(dw_arena *a, void *p, size_t size)
{
    adopted *n = dw_arena_alloc(a, sizeof *n);
    n->p = p;
    n->size = size;
    n->next = a->adopted;
    a->adopted = n;
}

/* Hands malloc'd memory to the arena: it is freed with it. */
void dw_arena_adopt(dw_arena *a, void *p) { adopt(a, p, 0); }

/* Hands a mapping (mmap'd, `size` bytes) to the arena: unmapped with it. */
void dw_arena_adopt_mapping(dw_arena *a, void *p, size_t size)
{
    if (p && size) adopt(a, p, size);
}

void dw_arena_free(dw_arena *a)
{
    for (adopted *n = a->adopted; n; n = n->next) {
        if (n->size) munmap(n->p, n->size);
        else free(n->p);
    }
    a->adopted = NULL;
    dw_arena_block *b = a->head;
    while (b) {
        dw_arena_block *prev = b->prev;
        free_block(b);
        b = prev;
    }
    a->head = NULL;
    a->total = 0;
}

/* Grows a vector's storage to hold at least `need` items. Old storage stays
 * in the arena (it is freed with it); doubling keeps the waste under 2x. */
void *dw_vec_grow(dw_arena *a, void *items, uint32_t *cap, uint32_t need, size_t item_size)
{
    if (need <= *cap) return items;
    uint32_t ncap = *cap ? *cap : 4;
    while (ncap < need) {
        if (ncap > UINT32_MAX / 2) dw_oom();
        ncap *= 2;
    }
    void *n = dw_arena_alloc_array(a, ncap, item_size);
    if (*cap) memcpy(n, items, (size_t)*cap * item_size);
    *cap = ncap;
    return n;
}

/* ---- growable mappings ---- */

/* Grows m to at least `need` ready bytes, doubling. Up to MAPBUF_HEAP_MAX
 * it is heap memory (small files pay no system calls for it); past that
 * it moves, once, to an anonymous mapping that grows with mremap, which
 * moves page tables instead of copying, and whose pages are faulted in
 * READY_CHUNK at a time as they are asked for, so the few per-file arrays
 * that grow with the file (instructions, line starts, stages) cost what
 * they hold and no more. New bytes are zero either way. */
#define MAPBUF_HEAP_MAX ((size_t)64 << 10)

void *dw_mapbuf_grow(dw_mapbuf *m, size_t need)
{
    if (need <= m->ready) return m->p;
    if (need > m->cap) {
        size_t cap = m->cap ? m->cap : 1024;
        while (cap < need) {
            if (cap > SIZE_MAX / 2) dw_oom();
            cap *= 2;
        }
        if (cap <= MAPBUF_HEAP_MAX) {
            char *p = dw_xrealloc(m->p, cap);
            memset(p + m->cap, 0, cap - m->cap);
            m->p = p;
            m->cap = m->ready = cap;
            return p;
        }
        void *p;
        if (!m->mapped) {
            p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p == MAP_FAILED) dw_oom();
            if (m->cap) memcpy(p, m->p, m->cap); /* at most MAPBUF_HEAP_MAX bytes, once */
            free(m->p);
            m->mapped = true;
        } else {
#ifdef MREMAP_MAYMOVE
            p = mremap(m->p, m->cap, cap, MREMAP_MAYMOVE);
#else
            p = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED) {
                memcpy(p, m->p, m->cap);
                munmap(m->p, m->cap);
            }
#endif
            if (p == MAP_FAILED) dw_oom();
        }
        m->p = p;
        m->cap = cap;
    }
    /* fault the pages in READY_CHUNK at a time, ahead of the writes; ready
     * is a multiple of the page size here (a power of two from 64 KB) */
    size_t ready = (need + READY_CHUNK - 1) & ~(READY_CHUNK - 1);
    if (ready > m->cap) ready = m->cap;
    prefault((char *)m->p + m->ready, ready - m->ready);
    m->ready = ready;
    return m->p;
}

/* Hands the memory to the arena (it is freed with it); m is emptied. */
void dw_mapbuf_adopt(dw_arena *a, dw_mapbuf *m)
{
    if (m->mapped) dw_arena_adopt_mapping(a, m->p, m->cap);
    else if (m->p) dw_arena_adopt(a, m->p);
    memset(m, 0, sizeof *m);
}

void dw_mapbuf_free(dw_mapbuf *m)
{
    if (m->mapped) munmap(m->p, m->cap);
    else free(m->p);
    memset(m, 0, sizeof *m);
}
