/* arena.c — one arena per file: every allocation for a parsed file lives here
 * and dies with dw_arena_free. Allocations are zeroed and 16-byte aligned.
 * Out-of-memory is not recoverable for a linter: it goes to one handler that
 * prints a message and exits with status 2. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct dw_arena_block {
    struct dw_arena_block *prev;
    size_t used, size;
    bool mapped; /* from mmap (big blocks), else calloc */
    _Alignas(16) unsigned char data[];
};

#define BLOCK_MIN (64u * 1024u)
#define BLOCK_MAX ((size_t)64 << 20)
#define HUGE_MIN ((size_t)2 << 20) /* blocks this big are mmap'd, huge pages advised */
#define ALIGN 16u

/* A zeroed block of `size` usable bytes. Big blocks come from mmap with
 * MADV_HUGEPAGE: the kernel hands out zero pages lazily, 2 MB at a time,
 * which makes large files fault far less. */
static dw_arena_block *new_block(size_t size)
{
    dw_arena_block *b;
    if (size >= HUGE_MIN) {
        size_t total = sizeof *b + size;
        void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) dw_oom();
#ifdef MADV_HUGEPAGE
        madvise(m, total, MADV_HUGEPAGE);
#endif
        b = m;
        b->mapped = true;
    } else {
        b = calloc(1, sizeof *b + size);
        if (!b) dw_oom();
        b->mapped = false;
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

/* Returns n zeroed bytes, 16-aligned. A request larger than the default block
 * size gets a block of its own so big buffers don't waste the tail. */
void *dw_arena_alloc(dw_arena *a, size_t n)
{
    size_t need = (n + (ALIGN - 1)) & ~(size_t)(ALIGN - 1);
    if (need < n) dw_oom();
    dw_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
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
    void *p = b->data + b->used; /* zero: blocks are calloc'd and never reused */
    b->used += need;
    return p;
}

void *dw_arena_alloc_array(dw_arena *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) dw_oom();
    return dw_arena_alloc(a, count * size);
}

char *dw_arena_memdup(dw_arena *a, const void *p, size_t n)
{
    char *s = dw_arena_alloc(a, n + 1);
    if (n) memcpy(s, p, n);
    s[n] = 0;
    return s;
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
    char *s = dw_arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

typedef struct adopted { struct adopted *next; void *p; } adopted;

/* Hands malloc'd memory to the arena: it is freed with it. */
void dw_arena_adopt(dw_arena *a, void *p)
{
    adopted *n = dw_arena_alloc(a, sizeof *n);
    n->p = p;
    n->next = a->adopted;
    a->adopted = n;
}

void dw_arena_free(dw_arena *a)
{
    for (adopted *n = a->adopted; n; n = n->next) free(n->p);
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
