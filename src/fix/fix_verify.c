/* fix_verify.c — did the fixed text gain a finding? Both lists are turned
 * into sorted keys (rule, then the message with digit runs folded) and
 * merged, so the check is O(n log n) however many findings there are. */
#include "fix.h"

typedef struct {
    char *key;
    uint32_t index;
} keyed;

static char *key_of(const dw_diag *d)
{
    dw_buf b = {0};
    dw_buf_puts(&b, d->rule ? d->rule : "");
    dw_buf_putc(&b, '\n');
    for (const char *m = d->message ? d->message : ""; *m; m++) {
        if (*m >= '0' && *m <= '9') {
            while (m[1] >= '0' && m[1] <= '9') m++;
            dw_buf_putc(&b, '#');
        } else {
            dw_buf_putc(&b, *m);
        }
    }
    dw_buf_putc(&b, 0);
    return b.p;
}

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    if (c) return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static keyed *keys(const dw_diags *d)
{
    keyed *k = dw_xmalloc(sizeof *k * (d->n ? d->n : 1));
    for (uint32_t i = 0; i < d->n; i++) k[i] = (keyed){key_of(&d->v[i]), i};
    if (d->n > 1) qsort(k, d->n, sizeof *k, cmp_keyed);
    return k;
}

static void free_keys(keyed *k, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) free(k[i].key);
    free(k);
}

const dw_diag *dw_fix_new_finding(const dw_diags *before, const dw_diags *after)
{
    if (!after->n) return NULL;
    keyed *b = keys(before), *a = keys(after);
    uint32_t first = UINT32_MAX, j = 0;
    for (uint32_t i = 0; i < after->n; i++) {
        int c = 1;
        while (j < before->n && (c = strcmp(b[j].key, a[i].key)) < 0) j++;
        if (j < before->n && c == 0) j++; /* matched: this one of `before` is used up */
        else if (a[i].index < first) first = a[i].index;
    }
    free_keys(b, before->n);
    free_keys(a, after->n);
    return first == UINT32_MAX ? NULL : &after->v[first];
}
