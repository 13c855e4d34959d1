/* out_tty.c — the terminal report: per finding the GNU first line
 * `file:line:col: severity: message [rule]`, then a rustc-style snippet
 *
 *     Dockerfile:2:1: error: unknown instruction: RUNN (did you mean RUN?) [syntax-error]
 *       |
 *     2 | RUNN apk add curl
 *       | ^^^^
 *       |
 *       = help: …
 *
 * and a summary line at the end. A span over several lines is drawn with a
 * margin bar (`/`, `|`, `|__^`) as rustc does; related spans get `-`
 * markers. Everything taken from the file is made safe for a terminal
 * (dw_out_clean's rules); tabs are shown as TAB_WIDTH spaces and wide
 * characters as two columns, so the markers stay under the text they mean.
 * Colour (only when r->color) adds emphasis, never information. */
#include "output.h"

#define TAB_WIDTH 4
#define MAX_TEXT 120      /* columns of source text shown on a row */
#define LEFT_CONTEXT 16   /* columns kept before a span when a long line is cut */
#define MAX_SPAN_LINES 6  /* a longer multi-line span shows its first 3 and last 2 lines */
/* On a line longer than SLICE_BYTES only the bytes around the marked part
 * are measured (SLICE_BEFORE before it), so a finding on a 10 MB line costs
 * a few KiB of work, not a scan of the line per marker. */
#define SLICE_BYTES 4096
#define SLICE_BEFORE 1024

/* SGR sequences */
#define SGR_RESET "\x1b[0m"
#define SGR_BOLD "\x1b[1m"
#define SGR_GUTTER "\x1b[1;34m"

typedef struct {
    dw_buf b;
    bool color;
} tty;

static const char *sev_sgr(dw_severity s)
{
    switch (s) {
    case DW_SEV_ERROR: return "\x1b[1;31m";
    case DW_SEV_WARNING: return "\x1b[1;33m";
    case DW_SEV_INFO: return "\x1b[1;32m";
    default: return "\x1b[1;36m";
    }
}

static void sgr(tty *t, const char *seq)
{
    if (t->color) dw_buf_puts(&t->b, seq);
}

/* Ends a row; trailing blanks are dropped so empty source lines give `N |`. */
static void row_end(tty *t)
{
    while (t->b.n && t->b.p[t->b.n - 1] == ' ') t->b.n--;
    dw_buf_putc(&t->b, '\n');
}

static void repeat(tty *t, char c, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) dw_buf_putc(&t->b, c);
}

/* ---- display columns ---- */

static bool in(uint32_t cp, uint32_t lo, uint32_t hi) { return cp >= lo && cp <= hi; }

/* Columns a code point takes on a terminal: 0 for combining marks and
 * zero-width joiners, 2 for East Asian wide and emoji blocks, TAB_WIDTH for a
 * tab, else 1 (invalid bytes and unsafe characters are shown as U+FFFD). A
 * compact table: close enough to wcwidth() for the markers to line up,
 * without depending on the locale. */
static uint32_t cp_width(uint32_t cp)
{
    if (cp == '\t') return TAB_WIDTH;
    if (in(cp, 0x0300, 0x036F) || in(cp, 0x0483, 0x0489) || in(cp, 0x0591, 0x05BD) ||
        in(cp, 0x0610, 0x061A) || in(cp, 0x064B, 0x065F) || in(cp, 0x1AB0, 0x1AFF) ||
        in(cp, 0x1DC0, 0x1DFF) || in(cp, 0x200B, 0x200D) || in(cp, 0x20D0, 0x20FF) ||
        in(cp, 0xFE00, 0xFE0F) || in(cp, 0xFE20, 0xFE2F) || in(cp, 0xE0100, 0xE01EF))
        return 0;
    if (in(cp, 0x1100, 0x115F) || in(cp, 0x2E80, 0x303E) || in(cp, 0x3041, 0x33FF) ||
        in(cp, 0x3400, 0x4DBF) || in(cp, 0x4E00, 0x9FFF) || in(cp, 0xA000, 0xA4CF) ||
        in(cp, 0xAC00, 0xD7A3) || in(cp, 0xF900, 0xFAFF) || in(cp, 0xFE30, 0xFE4F) ||
        in(cp, 0xFF00, 0xFF60) || in(cp, 0xFFE0, 0xFFE6) || in(cp, 0x1F300, 0x1F64F) ||
        in(cp, 0x1F900, 0x1F9FF) || in(cp, 0x20000, 0x2FFFD) || in(cp, 0x30000, 0x3FFFD))
        return 2;
    return 1;
}

/* Display column of byte offset `off` of a line. */
static uint32_t width_to(dw_str text, size_t off)
{
    uint32_t col = 0;
    for (size_t i = 0; i < off && i < text.len;) {
        unsigned char c = (unsigned char)text.ptr[i];
        if (c >= 0x20 && c < 0x7F) { col++; i++; continue; }
        int w;
        uint32_t cp = dw_utf8_decode(text.ptr + i, text.len - i, &w);
        col += cp < 0x20 && cp != '\t' ? 1 : cp_width(cp);
        i += (size_t)w;
    }
    return col;
}

/* A line's text without its terminator (a '\r' of CRLF or a lone final
 * '\r' is not shown). */
static dw_str line_text(const dw_linemap *m, uint32_t line)
{
    dw_str s = dw_linemap_text(m, line);
    if (s.len && s.ptr[s.len - 1] == '\r') s.len--;
    return s;
}

/* The part of a line shown on a row: `text` is the measured slice of the
 * line, starting at byte `base` of it; display columns [from, to) of the
 * slice are shown, with `...` where the line was cut. */
typedef struct {
    dw_str text;
    size_t base;
    uint32_t from, to;
    bool cut_left, cut_right;
} view;

/* Display column, within the view's slice, of byte offset `off` of the line. */
static uint32_t vcol(const view *v, size_t off)
{
    return off <= v->base ? 0 : width_to(v->text, off - v->base);
}

/* Chooses the window of a line so that columns [c0, c1) (the marked part)
 * are visible, or at least where they begin. */
static view make_view(dw_str text, uint32_t c0, uint32_t c1)
{
    view v = {text, 0, 0, 0, false, false};
    uint32_t total = width_to(text, text.len);
    if (total <= MAX_TEXT) { v.to = total; return v; }
    if (c1 <= MAX_TEXT - 3) {
        v.to = MAX_TEXT - 3;
        v.cut_right = true;
        return v;
    }
    v.from = c0 > LEFT_CONTEXT ? c0 - LEFT_CONTEXT : 0;
    v.cut_left = v.from > 0;
    uint32_t avail = MAX_TEXT - (v.cut_left ? 3 : 0);
    if (total - v.from > avail) {
        v.to = v.from + avail - 3;
        v.cut_right = true;
    } else {
        v.to = total;
    }
    return v;
}

/* Screen offset (from the start of the text on the row) of display column c. */
static uint32_t screen(const view *v, uint32_t c)
{
    if (c < v->from) c = v->from;
    if (c > v->to) c = v->to;
    return (v->cut_left ? 3 : 0) + c - v->from;
}

static void put_view(tty *t, const view *v)
{
    static const char repl[] = "\xEF\xBF\xBD";
    if (v->cut_left) dw_buf_puts(&t->b, "...");
    uint32_t col = 0;
    dw_str s = v->text;
    for (size_t i = 0; i < s.len && col < v->to;) {
        int w;
        uint32_t cp = dw_utf8_decode(s.ptr + i, s.len - i, &w);
        bool bad = cp == 0xFFFD && w == 1;
        uint32_t cw = cp < 0x20 && cp != '\t' ? 1 : cp_width(cp);
        if (col >= v->from && col + cw <= v->to) {
            if (cp == '\t') repeat(t, ' ', TAB_WIDTH);
            else if (bad || dw_out_unsafe_cp(cp))
                dw_buf_put(&t->b, repl, 3);
            else
                dw_buf_put(&t->b, s.ptr + i, (size_t)w);
        } else if (col + cw > v->from) {
            /* a tab or wide character cut by the window edge: blanks keep the columns */
            uint32_t a = col < v->from ? v->from : col, e = col + cw > v->to ? v->to : col + cw;
            repeat(t, ' ', e - a);
        }
        col += cw;
        i += (size_t)w;
    }
    if (v->cut_right) dw_buf_puts(&t->b, "...");
}

/* ---- annotations ---- */

typedef struct {
    uint32_t sline, eline; /* 1-based */
    size_t soff, eoff;     /* byte offsets in the texts of those lines */
    const char *label;
    bool primary;
} ann;

static ann make_ann(const dw_linemap *m, dw_span sp, const char *label, bool primary)
{
    ann a = {0, 0, 0, 0, label, primary};
    uint32_t s = sp.start > m->len ? m->len : sp.start;
    uint32_t e = sp.end < s ? s : sp.end > m->len ? m->len : sp.end;
    a.sline = dw_linemap_line(m, s);
    a.eline = dw_linemap_line(m, e);
    a.soff = s - m->starts[a.sline - 1];
    a.eoff = e - m->starts[a.eline - 1];
    /* a span that takes the line break ends on its own line */
    if (a.eline > a.sline && a.eoff == 0) {
        a.eline--;
        a.eoff = line_text(m, a.eline).len;
    }
    dw_str st = line_text(m, a.sline), et = line_text(m, a.eline);
    if (a.soff > st.len) a.soff = st.len;
    if (a.eoff > et.len) a.eoff = et.len;
    if (a.eline == a.sline && a.eoff < a.soff) a.eoff = a.soff;
    return a;
}

typedef struct {
    tty *t;
    const dw_linemap *m;
    dw_severity sev;
    uint32_t gw;         /* gutter width (digits) */
    const ann *ml;       /* the multi-line primary span, or NULL */
    bool slash;          /* ml starts at the line's first non-blank: `/` margin */
} snippet;

static void gutter(snippet *sn, uint32_t line)
{
    sgr(sn->t, SGR_GUTTER);
    if (line) dw_buf_printf(&sn->t->b, "%*u |", (int)sn->gw, line);
    else dw_buf_printf(&sn->t->b, "%*s |", (int)sn->gw, "");
    sgr(sn->t, SGR_RESET);
    dw_buf_putc(&sn->t->b, ' ');
}

/* The margin of a row when a multi-line span is drawn: `bar` = '|', '/' or ' '. */
static void margin(snippet *sn, char bar)
{
    if (!sn->ml) return;
    if (bar != ' ') {
        sgr(sn->t, sev_sgr(sn->sev));
        dw_buf_putc(&sn->t->b, bar);
        sgr(sn->t, SGR_RESET);
    } else {
        dw_buf_putc(&sn->t->b, ' ');
    }
    dw_buf_putc(&sn->t->b, ' ');
}

/* Is the bar drawn on rows between source line l and the next one? */
static bool bar_after(const snippet *sn, uint32_t l)
{
    return sn->ml && l >= sn->ml->sline && l < sn->ml->eline;
}

static void label(tty *t, const char *text, const char *style)
{
    if (!text || !*text) return;
    dw_buf_putc(&t->b, ' ');
    sgr(t, style);
    dw_out_clean(&t->b, text, strlen(text));
    sgr(t, SGR_RESET);
}

static void source_row(snippet *sn, uint32_t l, const view *v)
{
    char bar = ' ';
    if (sn->ml && l == sn->ml->sline && sn->slash) bar = '/';
    else if (sn->ml && l > sn->ml->sline && l <= sn->ml->eline) bar = '|';
    gutter(sn, l);
    margin(sn, bar);
    put_view(sn->t, v);
    row_end(sn->t);
}

/* The view of line l: around the (first) annotation on it, if any. */
static view view_for(snippet *sn, uint32_t l, const ann *anns, uint32_t nanns)
{
    dw_str text = line_text(sn->m, l);
    size_t from = 0, to = 0; /* the marked bytes */
    bool ends = false;       /* only the end of a multi-line span is on l */
    for (uint32_t i = 0; i < nanns; i++) {
        const ann *a = &anns[i];
        if (a->sline == l) {
            from = a->soff;
            to = a->eline == l ? a->eoff : a->soff;
            break;
        }
        if (a->eline == l) {
            from = to = a->eoff;
            ends = true;
            break;
        }
    }
    size_t base = 0, lim = text.len;
    if (text.len > SLICE_BYTES) {
        base = from > SLICE_BEFORE ? from - SLICE_BEFORE : 0;
        while (base > 0 && ((unsigned char)text.ptr[base] & 0xC0) == 0x80) base--;
        lim = base + SLICE_BYTES < text.len ? base + SLICE_BYTES : text.len;
        while (lim < text.len && ((unsigned char)text.ptr[lim] & 0xC0) == 0x80) lim++;
    }
    dw_str slice = dw_str_make(text.ptr + base, lim - base);
    uint32_t c0 = width_to(slice, from - base);
    uint32_t c1 = to > lim ? width_to(slice, slice.len) + 1 : width_to(slice, to - base);
    if (ends && c0) c0--;
    if (c1 == c0 && !ends) c1 = c0 + 1;
    view v = make_view(slice, c0, c1);
    v.base = base;
    if (base > 0) v.cut_left = true;
    if (lim < text.len) v.cut_right = true;
    return v;
}

/* Markers of one single-line annotation under line l. */
static void marker_row(snippet *sn, uint32_t l, const view *v, const ann *a)
{
    uint32_t c0 = vcol(v, a->soff), c1 = vcol(v, a->eoff);
    uint32_t s0 = screen(v, c0), s1 = screen(v, c1);
    uint32_t n = s1 > s0 ? s1 - s0 : 1;
    const char *style = a->primary ? sev_sgr(sn->sev) : SGR_GUTTER;
    gutter(sn, 0);
    margin(sn, bar_after(sn, l) ? '|' : ' ');
    repeat(sn->t, ' ', s0);
    sgr(sn->t, style);
    repeat(sn->t, a->primary ? '^' : '-', n);
    sgr(sn->t, SGR_RESET);
    label(sn->t, a->label, style);
    row_end(sn->t);
}

/* The rows of the snippet for the displayed lines `lines` (sorted, unique). */
static void draw(snippet *sn, const uint32_t *lines, uint32_t nlines, const ann *anns, uint32_t nanns)
{
    tty *t = sn->t;
    gutter(sn, 0);
    row_end(t);
    for (uint32_t k = 0; k < nlines; k++) {
        uint32_t l = lines[k];
        if (k > 0 && l > lines[k - 1] + 1) {
            if (l == lines[k - 1] + 2) {
                /* one hidden line costs as much as the `...` row: show it */
                view gv = view_for(sn, l - 1, anns, nanns);
                source_row(sn, l - 1, &gv);
            } else {
                sgr(t, SGR_GUTTER);
                dw_buf_puts(&t->b, "...");
                sgr(t, SGR_RESET);
                if (bar_after(sn, lines[k - 1])) {
                    repeat(t, ' ', sn->gw);
                    margin(sn, '|');
                }
                row_end(t);
            }
        }
        view v = view_for(sn, l, anns, nanns);
        source_row(sn, l, &v);
        /* the start of the multi-line span, unless the `/` margin shows it */
        if (sn->ml && l == sn->ml->sline && !sn->slash) {
            gutter(sn, 0);
            sgr(t, sev_sgr(sn->sev));
            dw_buf_putc(&t->b, ' ');
            repeat(t, '_', 1 + screen(&v, vcol(&v, sn->ml->soff)));
            dw_buf_putc(&t->b, '^');
            sgr(t, SGR_RESET);
            row_end(t);
        }
        if (sn->ml && l == sn->ml->eline) {
            uint32_t c = vcol(&v, sn->ml->eoff);
            gutter(sn, 0);
            sgr(t, sev_sgr(sn->sev));
            dw_buf_putc(&t->b, '|');
            repeat(t, '_', 1 + screen(&v, c ? c - 1 : 0));
            dw_buf_putc(&t->b, '^');
            sgr(t, SGR_RESET);
            label(t, sn->ml->label, sev_sgr(sn->sev));
            row_end(t);
        }
        for (uint32_t i = 0; i < nanns; i++)
            if (&anns[i] != sn->ml && anns[i].sline == l) marker_row(sn, l, &v, &anns[i]);
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void add_line(uint32_t *lines, uint32_t *n, uint32_t l)
{
    for (uint32_t i = 0; i < *n; i++)
        if (lines[i] == l) return;
    lines[(*n)++] = l;
}

static void put_note(tty *t, uint32_t gw, const char *kind, const char *text)
{
    /* continuation lines of a multi-line note line up under its first word */
    uint32_t indent = gw + 3 + (uint32_t)strlen(kind) + 2;
    sgr(t, SGR_GUTTER);
    dw_buf_printf(&t->b, "%*s =", (int)gw, "");
    sgr(t, SGR_RESET);
    dw_buf_putc(&t->b, ' ');
    sgr(t, SGR_BOLD);
    dw_buf_puts(&t->b, kind);
    sgr(t, SGR_RESET);
    dw_buf_puts(&t->b, ": ");
    for (const char *p = text;;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        dw_out_clean(&t->b, p, n);
        row_end(t);
        if (!nl || !nl[1]) break;
        repeat(t, ' ', indent);
        p = nl + 1;
    }
}

static void one(tty *t, const dw_file_result *fr, const dw_diag *d)
{
    const dw_linemap *m = fr->lines;
    dw_pos p = dw_linemap_pos(m, d->span.start);

    /* the GNU line */
    dw_out_clean(&t->b, fr->path, strlen(fr->path));
    dw_buf_printf(&t->b, ":%u:%u: ", p.line, p.col);
    sgr(t, sev_sgr(d->severity));
    dw_buf_puts(&t->b, dw_severity_name(d->severity));
    sgr(t, SGR_RESET);
    dw_buf_puts(&t->b, ": ");
    sgr(t, SGR_BOLD);
    dw_out_clean(&t->b, d->message, strlen(d->message));
    sgr(t, SGR_RESET);
    dw_buf_printf(&t->b, " [%s]\n", d->rule);

    /* annotations: the primary first, then the related spans (a related
     * span over several lines is marked on its first line only) */
    uint32_t nanns = 1 + d->nrelated;
    ann *anns = dw_xmalloc(sizeof *anns * nanns);
    anns[0] = make_ann(m, d->span, d->label, true);
    for (uint32_t i = 0; i < d->nrelated; i++) {
        ann a = make_ann(m, d->related[i].span, d->related[i].label, false);
        if (a.eline != a.sline) {
            a.eline = a.sline;
            a.eoff = line_text(m, a.sline).len;
        }
        anns[1 + i] = a;
    }
    snippet sn = {t, m, d->severity, 1, NULL, false};
    uint32_t *lines = dw_xmalloc(sizeof *lines * (nanns + MAX_SPAN_LINES + 2));
    uint32_t nlines = 0;
    if (anns[0].eline > anns[0].sline) {
        const ann *a = &anns[0];
        sn.ml = a;
        dw_str st = line_text(m, a->sline);
        dw_str lead = dw_str_trim_left_space(dw_str_make(st.ptr, a->soff));
        sn.slash = lead.len == 0;
        if (a->eline - a->sline + 1 <= MAX_SPAN_LINES) {
            for (uint32_t l = a->sline; l <= a->eline; l++) add_line(lines, &nlines, l);
        } else {
            for (uint32_t l = a->sline; l < a->sline + 3; l++) add_line(lines, &nlines, l);
            add_line(lines, &nlines, a->eline - 1);
            add_line(lines, &nlines, a->eline);
        }
    } else {
        add_line(lines, &nlines, anns[0].sline);
    }
    for (uint32_t i = 1; i < nanns; i++) add_line(lines, &nlines, anns[i].sline);
    qsort(lines, nlines, sizeof *lines, cmp_u32);
    for (uint32_t l = lines[nlines - 1]; l >= 10; l /= 10) sn.gw++;

    draw(&sn, lines, nlines, anns, nanns);
    if (d->help) {
        gutter(&sn, 0);
        row_end(t);
        put_note(t, sn.gw, "help", d->help);
    }
    free(lines);
    free(anns);
}

static void plural(dw_buf *b, long n, const char *one, const char *many, bool *first)
{
    if (!n) return;
    dw_buf_printf(b, "%s%ld %s", *first ? "" : ", ", n, n == 1 ? one : many);
    *first = false;
}

void dw_out_tty(FILE *out, const dw_results *r)
{
    tty t = {{0}, r->color};
    long counts[DW_SEV_ERROR + 1] = {0};
    bool any = false;
    for (uint32_t f = 0; f < r->nfiles; f++) {
        const dw_file_result *fr = &r->files[f];
        for (uint32_t i = 0; i < fr->diags->n; i++) {
            const dw_diag *d = &fr->diags->v[i];
            if (any) dw_buf_putc(&t.b, '\n');
            any = true;
            one(&t, fr, d);
            if (d->severity <= DW_SEV_ERROR) counts[d->severity]++;
            /* flush per finding: output keeps flowing on big runs */
            fwrite(t.b.p, 1, t.b.n, out);
            t.b.n = 0;
        }
    }
    if (any) dw_buf_putc(&t.b, '\n');
    sgr(&t, SGR_BOLD);
    bool first = true;
    plural(&t.b, counts[DW_SEV_ERROR], "error", "errors", &first);
    plural(&t.b, counts[DW_SEV_WARNING], "warning", "warnings", &first);
    plural(&t.b, counts[DW_SEV_INFO], "info finding", "info findings", &first);
    plural(&t.b, counts[DW_SEV_STYLE], "style finding", "style findings", &first);
    if (first) dw_buf_puts(&t.b, "no problems");
    dw_buf_printf(&t.b, " in %u file%s", r->nfiles, r->nfiles == 1 ? "" : "s");
    if (r->nerrors) dw_buf_printf(&t.b, " (%u could not be read)", r->nerrors);
    sgr(&t, SGR_RESET);
    dw_buf_putc(&t.b, '\n');
    fwrite(t.b.p, 1, t.b.n, out);
    dw_buf_free(&t.b);
}
