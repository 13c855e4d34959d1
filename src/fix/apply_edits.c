/* apply_edits.c — one pass of fixes over a text: choose the fixes that do
 * not overlap, then copy the text with their edits in. See fix.h. */
#include "fix.h"

/* A finding whose fix may be taken, with its edits in text order. */
typedef struct {
    const dw_edit **edits;
    uint32_t nedits;
    uint32_t start;      /* of its first edit */
    uint32_t order;      /* its index in the findings: ties keep file order */
} candidate;

static int cmp_edit(const void *x, const void *y)
{
    const dw_edit *a = *(const dw_edit *const *)x, *b = *(const dw_edit *const *)y;
    if (a->span.start != b->span.start) return a->span.start < b->span.start ? -1 : 1;
    if (a->span.end != b->span.end) return a->span.end < b->span.end ? -1 : 1;
    return 0;
}

static int cmp_candidate(const void *x, const void *y)
{
    const candidate *a = x, *b = y;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* Sorts the finding's edits; false when one leaves the text or two overlap
 * (the rule broke its contract: better no fix than a wrong one). */
static bool well_formed(const dw_edit **e, uint32_t n, size_t len)
{
    if (n > 1) qsort(e, n, sizeof *e, cmp_edit);
    for (uint32_t i = 0; i < n; i++) {
        if (e[i]->span.start > e[i]->span.end || e[i]->span.end > len) return false;
        if (i && (e[i]->span.start < e[i - 1]->span.end ||
                  (e[i]->span.start == e[i - 1]->span.start && e[i]->span.start == e[i]->span.end)))
            return false;
    }
    return true;
}

static bool changes(const char *src, const dw_edit *e)
{
    size_t old = e->span.end - e->span.start;
    return old != e->text.len || (old && memcmp(src + e->span.start, e->text.ptr, old) != 0);
}

/* A finding whose fix the choice lets a pass take. */
static bool chosen(const dw_diag *g, const dw_fix_choice *c)
{
    if (!g->nedits || !(g->fix_safe || c->unsafe)) return false;
    return !c->allow || (g->meta && c->allow[g->meta->index]);
}

uint32_t dw_fix_apply(const char *src, size_t len, const dw_diags *d, const dw_fix_choice *choice, dw_buf *out)
{
    uint32_t total = 0;
    for (uint32_t i = 0; i < d->n; i++)
        if (chosen(&d->v[i], choice)) total += d->v[i].nedits;
    if (!total) return 0;
    const dw_edit **pool = dw_xmalloc(sizeof *pool * total);
    candidate *c = dw_xmalloc(sizeof *c * d->n);
    uint32_t nc = 0, used = 0;
    for (uint32_t i = 0; i < d->n; i++) {
        const dw_diag *g = &d->v[i];
        if (!chosen(g, choice)) continue;
        const dw_edit **e = pool + used;
        for (uint32_t k = 0; k < g->nedits; k++) e[k] = &g->edits[k];
        if (!well_formed(e, g->nedits, len)) continue;
        bool any = false;
        for (uint32_t k = 0; k < g->nedits && !any; k++) any = changes(src, e[k]);
        if (!any) continue; /* a fix that changes nothing would never settle */
        used += g->nedits;
        c[nc++] = (candidate){e, g->nedits, e[0]->span.start, i};
    }
    qsort(c, nc, sizeof *c, cmp_candidate);

    /* take a fix when it starts at or after the end of the last one taken;
     * an insertion where the last taken edit inserted too would make their
     * order a guess, so it waits for the next pass */
    uint32_t taken = 0;
    size_t pos = 0, last_end = 0;
    bool last_insert = false;
    for (uint32_t i = 0; i < nc; i++) {
        const dw_edit *first = c[i].edits[0];
        if (taken && (first->span.start < last_end ||
                      (last_insert && first->span.start == last_end && first->span.start == first->span.end)))
            continue;
        for (uint32_t k = 0; k < c[i].nedits; k++) {
            const dw_edit *e = c[i].edits[k];
            dw_buf_put(out, src + pos, e->span.start - pos);
            dw_buf_put(out, e->text.ptr, e->text.len);
            pos = e->span.end;
        }
        const dw_edit *last = c[i].edits[c[i].nedits - 1];
        const dw_diag *g = &d->v[c[i].order];
        if (choice->took && g->meta) choice->took[g->meta->index] = true;
        last_end = last->span.end;
        last_insert = last->span.start == last->span.end;
        taken++;
    }
    if (taken) dw_buf_put(out, src + pos, len - pos);
    free(pool);
    free(c);
    return taken;
}
