/* unified_diff.c — `diff -u` of two texts, for `dockwright fix --diff`.
 * Lines are hashed, the common head and tail trimmed, and the middle
 * matched with Myers' O((N+M)·D) algorithm; the work is bounded (a fix
 * changes few lines; a diff that would need more is shown as one hunk
 * replacing the changed middle, which is still a correct patch). */
#include "fix.h"

#define CONTEXT 3
#define MAX_D 2000            /* edit distance searched at most */
#define MAX_WORK 50000000ull  /* (N+M)·D steps at most */

typedef struct {
    const char *p;
    uint32_t len;             /* with its '\n' when it has one */
    uint64_t hash;
} line;

static void split(const char *s, size_t n, line **out, uint32_t *count)
{
    uint32_t cap = 16, k = 0;
    line *v = dw_xmalloc(sizeof *v * cap);
    size_t i = 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) + 1 : n;
        uint64_t h = 1469598103934665603ull;
        for (size_t j = i; j < e; j++) h = (h ^ (unsigned char)s[j]) * 1099511628211ull;
        if (k == cap) v = dw_xrealloc(v, sizeof *v * (cap *= 2));
        v[k++] = (line){s + i, (uint32_t)(e - i), h};
        i = e;
    }
    *out = v;
    *count = k;
}

static bool same(const line *a, const line *b)
{
    return a->hash == b->hash && a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* The edit script: for each line of a, whether it is kept, and for each
 * line of b, whether it is new. */
typedef struct {
    bool *del;                /* per line of a */
    bool *ins;                /* per line of b */
} script;

/* Myers' greedy forward search over a[0..n) and b[0..m) with every V kept
 * for the walk back; false when the bound is reached. */
static bool myers(const line *a, int n, const line *b, int m, script *sc)
{
    int max = n + m;
    if (max > MAX_D) max = MAX_D;
    if ((uint64_t)(n + m) * (uint64_t)max > MAX_WORK) max = (int)(MAX_WORK / (uint64_t)(n + m));
    int off = max + 1;
    int *v = dw_xmalloc(sizeof *v * (size_t)(2 * max + 3));
    int **trace = dw_xmalloc(sizeof *trace * (size_t)(max + 1));
    v[off + 1] = 0;
    int found = -1;
    for (int d = 0; d <= max && found < 0; d++) {
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && same(&a[x], &b[y])) x++, y++;
            v[off + k] = x;
            if (x >= n && y >= m) { found = d; break; }
        }
        trace[d] = dw_xmalloc(sizeof **trace * (size_t)(2 * d + 1));
        for (int k = -d; k <= d; k++) trace[d][k + d] = v[off + k];
    }
    bool ok = found >= 0;
    if (ok) {
        int x = n, y = m;
        for (int d = found; d > 0; d--) {
            int k = x - y;
            const int *pv = trace[d - 1]; /* indices -(d-1)..(d-1) */
            bool down = k == -d || (k != d && pv[k - 1 + d - 1] < pv[k + 1 + d - 1]);
            int pk = down ? k + 1 : k - 1;
            int px = pv[pk + d - 1], py = px - pk;
            /* the snake back to the end of this round's one step */
            int mx = down ? px : px + 1;
            while (x > mx) x--, y--;
            if (down) sc->ins[py] = true;
            else sc->del[px] = true;
            x = px;
            y = py;
        }
    }
    for (int d = 0; d <= (found >= 0 ? found : max); d++) free(trace[d]);
    free(trace);
    free(v);
    return ok;
}

static void put_line(FILE *out, char mark, const line *l)
{
    fputc(mark, out);
    fwrite(l->p, 1, l->len, out);
    if (!l->len || l->p[l->len - 1] != '\n') fputs("\n\\ No newline at end of file\n", out);
}

/* GNU's hunk range: "start,count", count left out when 1, and start the
 * line before an empty range. */
static void range(FILE *out, uint32_t start, uint32_t count)
{
    if (count == 1) fprintf(out, "%u", start + 1);
    else fprintf(out, "%u,%u", count ? start + 1 : start, count);
}

void dw_unified_diff(FILE *out, const char *path, const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == blen && memcmp(a, b, alen) == 0) return;
    line *la, *lb;
    uint32_t na, nb;
    split(a, alen, &la, &na);
    split(b, blen, &lb, &nb);
    script sc = {calloc(na + 1, 1), calloc(nb + 1, 1)};
    if (!sc.del || !sc.ins) dw_oom();
    uint32_t head = 0, tail = 0;
    while (head < na && head < nb && same(&la[head], &lb[head])) head++;
    while (tail < na - head && tail < nb - head && same(&la[na - 1 - tail], &lb[nb - 1 - tail])) tail++;
    int n = (int)(na - head - tail), m = (int)(nb - head - tail);
    script mid = {sc.del + head, sc.ins + head};
    if (!myers(la + head, n, lb + head, m, &mid)) {
        for (int i = 0; i < n; i++) mid.del[i] = true;
        for (int i = 0; i < m; i++) mid.ins[i] = true;
    }

    fprintf(out, "--- %s\n+++ %s\n", path, path);
    /* walk both sides together; a hunk runs while changes are at most
     * 2·CONTEXT kept lines apart */
    uint32_t i = 0, j = 0;
    while (i < na || j < nb) {
        if ((i >= na || !sc.del[i]) && (j >= nb || !sc.ins[j])) { i++, j++; continue; }
        uint32_t hi = i > CONTEXT ? i - CONTEXT : 0, hj = j - (i - hi);
        /* find the hunk's end: CONTEXT kept lines after a change with no
         * change within 2·CONTEXT */
        uint32_t ei = i, ej = j, kept = 0;
        while (ei < na || ej < nb) {
            bool d = ei < na && sc.del[ei], s = ej < nb && sc.ins[ej];
            if (d || s) {
                kept = 0;
                if (d) ei++;
                if (s) ej++;
                continue;
            }
            if (kept == 2 * CONTEXT) break;
            kept++, ei++, ej++;
        }
        uint32_t back = kept > CONTEXT ? kept - CONTEXT : 0;
        ei -= back, ej -= back;
        fputs("@@ -", out);
        range(out, hi, ei - hi);
        fputs(" +", out);
        range(out, hj, ej - hj);
        fputs(" @@\n", out);
        uint32_t x = hi, y = hj;
        while (x < ei || y < ej) {
            if (x < ei && sc.del[x]) put_line(out, '-', &la[x++]);
            else if (y < ej && sc.ins[y]) put_line(out, '+', &lb[y++]);
            else put_line(out, ' ', &la[x++]), y++;
        }
        i = ei, j = ej;
    }
    free(sc.del);
    free(sc.ins);
    free(la);
    free(lb);
}
