/* df_parse.c — reads a Dockerfile's lines the way BuildKit's parser does
 * (frontend/dockerfile/parser/parser.go): BOM, parser directives at the top,
 * comments, line continuations (blank lines inside them noted), heredoc
 * bodies after the instruction. Each instruction's joined text is kept with a
 * segment table mapping it back to file offsets. Errors never stop the parse. */
#include "dockerfile_int.h"

#include <stdlib.h>

static const char *const instr_names[] = {
    "",
#define X(k, n) n,
    DW_INSTRUCTIONS(X)
#undef X
};

const char *dw_instr_name(dw_instr_kind k)
{
    return (unsigned)k < DW_I__COUNT ? instr_names[k] : "";
}

dw_instr_kind dw_instr_lookup(dw_str name)
{
    for (int k = 1; k < DW_I__COUNT; k++)
        if (dw_str_ieqc(name, instr_names[k])) return (dw_instr_kind)k;
    return DW_I_UNKNOWN;
}

/* A physical line: [start, end) without its terminator; `next` is where the
 * following line starts. */
typedef struct {
    uint32_t start, end, next, full_end; /* full_end includes the '\n' */
} pline;

typedef struct {
    const char *src;
    uint32_t len, pos;
    uint32_t lineno; /* number of the last line read */
} reader;

static bool read_line(reader *r, pline *l)
{
    if (r->pos >= r->len) return false;
    const char *nl = memchr(r->src + r->pos, '\n', r->len - r->pos);
    l->start = r->pos;
    l->full_end = nl ? (uint32_t)(nl - r->src) + 1 : r->len;
    l->next = l->full_end;
    /* BuildKit's trimNewline removes every trailing \r and \n */
    uint32_t e = l->full_end;
    while (e > l->start && (r->src[e - 1] == '\n' || r->src[e - 1] == '\r')) e--;
    l->end = e;
    r->pos = l->next;
    r->lineno++;
    return true;
}

static dw_str line_str(const reader *r, const pline *l)
{
    return dw_str_make(r->src + l->start, l->end - l->start);
}

/* A comment line: first character after Unicode white space is '#'. */
static bool is_comment(dw_str s)
{
    s = dw_str_trim_left_space(s);
    return s.len && s.ptr[0] == '#';
}

/* Matches ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ (Go's \s is ASCII
 * [\t\n\f\r ]). Returns true with key and value set. */
static bool match_directive(dw_str s, dw_str *key, dw_str *value)
{
    size_t i = 0, n = s.len;
    const char *p = s.ptr;
#define GOSPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
    if (i >= n || p[i] != '#') return false;
    i++;
    while (i < n && GOSPACE(p[i])) i++;
    size_t ks = i;
    if (i >= n || !((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z'))) return false;
    while (i < n && ((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9'))) i++;
    size_t ke = i;
    while (i < n && GOSPACE(p[i])) i++;
    if (i >= n || p[i] != '=') return false;
    i++;
    while (i < n && GOSPACE(p[i])) i++;
    size_t ve = n;
    while (ve > i && GOSPACE(p[ve - 1])) ve--;
    if (ve <= i) return false;
    *key = dw_str_make(p + ks, ke - ks);
    *value = dw_str_make(p + i, ve - i);
    return true;
#undef GOSPACE
}

/* BuildKit's possibleParserDirective on a left-trimmed line. Returns true
 * when the line was a (known) directive. */
static bool possible_directive(dw_parser *p, dw_str s, uint32_t lineno, uint32_t off)
{
    if (p->directives_done) return false;
    dw_str key, value;
    if (!match_directive(s, &key, &value)) { p->directives_done = true; return false; }
    bool *seen;
    if (dw_str_ieqc(key, "escape")) seen = &p->seen_escape;
    else if (dw_str_ieqc(key, "syntax")) seen = &p->seen_syntax;
    else if (dw_str_ieqc(key, "check")) seen = &p->seen_check;
    else { p->directives_done = true; return false; }

    dw_dockerfile *df = p->df;
    dw_span span = {off, off + (uint32_t)s.len};
    dw_str lkey = dw_str_lower(p->a, key);
    if (*seen) {
        dw_diag_emit(p->a, &df->diags, "syntax-error", DW_SEV_ERROR, span,
                     "only one %.*s parser directive can be used", (int)lkey.len, lkey.ptr);
        return true;
    }
    *seen = true;
    dw_directive d = {lkey, value, lineno, span};
    uint32_t cap = df->ndirectives;
    df->directives = dw_vec_grow(p->a, df->directives, &cap, df->ndirectives + 1, sizeof d);
    df->directives[df->ndirectives++] = d;
    if (p->seen_escape && dw_str_eqc(lkey, "escape")) {
        if (dw_str_eqc(value, "`") || dw_str_eqc(value, "\\")) {
            p->escape = value.ptr[0];
            df->escape = p->escape;
        } else {
            dw_span vs = {off + (uint32_t)(value.ptr - s.ptr), off + (uint32_t)(value.ptr - s.ptr + value.len)};
            dw_diag *dg = dw_diag_emit(p->a, &df->diags, "syntax-error", DW_SEV_ERROR, vs,
                                       "invalid escape token '%.*s' does not match ` or \\",
                                       (int)value.len, value.ptr);
            dg->help = "use `# escape=\\` or `# escape=``";
        }
    }
    return true;
}

/* The continuation test: the escape character, then only blanks, at the end
 * of the line, not itself escaped (or alone on the line). Returns the length
 * of the line without the marker, or -1 when the line does not continue. */
static long continuation_cut(dw_str s, char esc)
{
    size_t k = s.len;
    while (k > 0 && (s.ptr[k - 1] == ' ' || s.ptr[k - 1] == '\t')) k--;
    if (k == 0 || s.ptr[k - 1] != esc) return -1;
    if (k >= 2 && s.ptr[k - 2] == esc) return -1;
    return (long)(k - 1);
}

/* The pieces of one instruction's lines; the joined text is only built
 * (copied) when there is more than one piece. */
typedef struct {
    uint32_t len;
    dw_seg *segs;
    uint32_t nsegs, cap;
} joiner;

static void join_add(joiner *j, uint32_t file_off, uint32_t len)
{
    if (len == 0) return;
    if (j->nsegs == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 8;
        j->segs = dw_xrealloc(j->segs, sizeof *j->segs * j->cap);
    }
    dw_seg s = {j->len, file_off, len};
    j->segs[j->nsegs++] = s;
    j->len += len;
}

static const char *join_text(dw_arena *a, const joiner *j, const char *src)
{
    if (j->nsegs == 0) return "";
    if (j->nsegs == 1) return src + j->segs[0].file; /* the file's own bytes, no copy */
    char *t = dw_arena_alloc(a, (size_t)j->len + 1);
    for (uint32_t i = 0; i < j->nsegs; i++) memcpy(t + j->segs[i].joined, src + j->segs[i].file, j->segs[i].len);
    return t;
}

uint32_t dw_instr_file_offset(const dw_instr *in, const char *p)
{
    if (!in->nsegs || !in->joined_base) return in->span.start;
    if (p < in->joined_base) return in->segs[0].file;
    uint32_t off = (uint32_t)(p - in->joined_base);
    uint32_t lo = 0, hi = in->nsegs;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (in->segs[mid].joined <= off) lo = mid; else hi = mid;
    }
    const dw_seg *s = &in->segs[lo];
    uint32_t d = off - s->joined;
    if (d > s->len) d = s->len;
    return s->file + d;
}

dw_span dw_instr_file_span(const dw_instr *in, const char *p, size_t len)
{
    dw_span sp;
    sp.start = dw_instr_file_offset(in, p);
    sp.end = len ? dw_instr_file_offset(in, p + len - 1) + 1 : sp.start;
    if (sp.end < sp.start) sp.end = sp.start;
    return sp;
}

typedef DW_VEC(dw_comment) comment_vec;

static void add_comment(dw_parser *p, comment_vec *all, dw_str line, uint32_t off)
{
    dw_str t = dw_str_trim_left_space(line);
    dw_comment c;
    c.span.start = off + (uint32_t)(t.ptr - line.ptr);
    c.span.end = off + (uint32_t)line.len;
    c.text = dw_str_trim_space(dw_str_sub(t, 1, t.len));
    DW_VEC_PUSH(p->a, *all, c);
}

static void read_heredocs(dw_parser *p, reader *r, dw_instr *in)
{
    dw_instr *target = in->kind == DW_I_ONBUILD && in->sub ? in->sub : in;
    if (target->kind != DW_I_RUN && target->kind != DW_I_COPY && target->kind != DW_I_ADD) return;
    if (target->json || in->error) return;
    const char *lt = dw_str_chr(in->original, '<');
    bool has = false;
    while (lt && !has) {
        has = lt + 1 < in->original.ptr + in->original.len && lt[1] == '<';
        lt = has ? lt : memchr(lt + 1, '<', (size_t)(in->original.ptr + in->original.len - lt - 1));
    }
    if (!has) return;

    dw_heredoc *docs;
    uint32_t n;
    const char *err = NULL;
    if (dw_heredocs_from_line(p->a, in->original, &docs, &n, NULL, &err) < 0) {
        dw_node_error(p, in, in->span, "%s", err);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        dw_heredoc *h = &docs[i];
        h->word_span = dw_instr_file_span(in, in->original.ptr + h->word_span.start,
                                          h->word_span.end - h->word_span.start);
        uint32_t body_start = r->pos;
        pline l;
        bool done = false;
        while (read_line(r, &l)) {
            dw_str t = line_str(r, &l);
            if (h->chomp)
                while (t.len && t.ptr[0] == '\t') { t.ptr++; t.len--; }
            if (dw_str_eq(t, h->name)) {
                h->body_span.start = body_start;
                h->body_span.end = l.start;
                h->end_span.start = l.start;
                h->end_span.end = l.end;
                done = true;
                break;
            }
        }
        if (!done) {
            h->body_span.start = body_start;
            h->body_span.end = r->len;
            h->end_span.start = h->end_span.end = r->len;
            dw_span sp = h->word_span.end ? h->word_span : in->keyword_span;
            dw_diag *d = dw_diag_emit(p->a, &p->df->diags, "syntax-error", DW_SEV_ERROR, sp,
                                      "unterminated heredoc: no line `%.*s` closes it",
                                      (int)h->name.len, h->name.ptr);
            d->help = "end the heredoc body with a line holding only its delimiter";
            in->error = "unterminated heredoc";
        }
        h->content = dw_str_make(r->src + h->body_span.start, h->body_span.end - h->body_span.start);
        in->span.end = done ? h->end_span.end : r->len;
        if (!done) { n = i + 1; break; }
    }
    in->heredocs = docs;
    in->nheredocs = n;
    if (target != in) { target->heredocs = docs; target->nheredocs = n; }
}

dw_dockerfile *dw_dockerfile_parse(const char *path, const char *src, size_t len,
                                   const dw_parse_opts *opts)
{
    if (len > UINT32_MAX - 1) return NULL;
    char *copy = dw_xmalloc(len + 1);
    if (len) memcpy(copy, src, len);
    copy[len] = 0;
    return dw_dockerfile_parse_owned(path, copy, len, opts);
}

dw_dockerfile *dw_dockerfile_parse_owned(const char *path, char *src, size_t len,
                                         const dw_parse_opts *opts)
{
    if (len > UINT32_MAX - 1) { free(src); return NULL; }
    dw_arena arena;
    dw_arena_init(&arena);
    dw_dockerfile *df = dw_arena_alloc(&arena, sizeof *df);
    df->arena = arena;
    dw_arena *a = &df->arena;
    dw_arena_adopt(a, src);
    df->path = dw_arena_memdup(a, path ? path : "-", path ? strlen(path) : 1);
    df->src = src;
    df->len = (uint32_t)len;
    df->escape = '\\';
    dw_linemap_build(&df->lines, a, df->src, df->len);

    dw_parser p = {.df = df, .a = a, .escape = '\\'};
    reader r = {.src = df->src, .len = df->len};
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { r.pos = 3; df->bom = true; }

    /* an instruction takes at least one line: reserving that many costs
     * address space only (arena blocks are lazily zeroed pages) */
    DW_VEC(dw_instr) instrs = {0};
    instrs.cap = df->lines.count;
    instrs.v = DW_NEW(a, dw_instr, instrs.cap);
    comment_vec all_comments = {0};
    dw_stages_begin(&p, opts);
    DW_VEC(dw_comment) pending = {0}; /* PrevComment for the next instruction */
    joiner j = {0};
    DW_VEC(uint32_t) empties = {0};
    pline l;

    while (read_line(&r, &l)) {
        dw_str raw = line_str(&r, &l);
        if (raw.len > DW_MAX_LINE) {
            dw_span sp = {l.start, l.start};
            dw_diag *d = dw_diag_emit(a, &df->diags, "syntax-error", DW_SEV_ERROR, sp,
                                      "line %u is %zu bytes long: BuildKit rejects lines over %u bytes",
                                      r.lineno, raw.len, DW_MAX_LINE);
            d->help = "split the line with line continuations";
        }
        dw_str t = dw_str_trim_left_space(raw);
        uint32_t toff = l.start + (uint32_t)(t.ptr - raw.ptr);
        bool directive = possible_directive(&p, t, r.lineno, toff);
        if (is_comment(raw)) {
            add_comment(&p, &all_comments, raw, l.start);
            dw_comment c = all_comments.v[all_comments.n - 1];
            if (!directive) {
                if (c.text.len == 0) pending.n = 0; /* a bare '#' clears the list */
                else DW_SVEC_PUSH(pending, c);
            }
            continue;
        }
        uint32_t startline = r.lineno;
        long cut = continuation_cut(t, p.escape);
        if (cut < 0 && t.len == 0) continue; /* blank line */

        j.len = 0;
        j.nsegs = 0;
        empties.n = 0;
        join_add(&j, toff, cut < 0 ? (uint32_t)t.len : (uint32_t)cut);
        uint32_t last_end = cut < 0 ? toff + (uint32_t)t.len : toff + (uint32_t)cut;
        bool eol = cut < 0;
        while (!eol && read_line(&r, &l)) {
            dw_str s = line_str(&r, &l);
            if (s.len > DW_MAX_LINE) {
                dw_span sp = {l.start, l.start};
                dw_diag_emit(a, &df->diags, "syntax-error", DW_SEV_ERROR, sp,
                             "line %u is %zu bytes long: BuildKit rejects lines over %u bytes",
                             r.lineno, s.len, DW_MAX_LINE);
            }
            if (is_comment(s)) { add_comment(&p, &all_comments, s, l.start); continue; }
            if (dw_str_trim_left_space(s).len == 0) { DW_VEC_PUSH(a, empties, r.lineno); continue; }
            long c = continuation_cut(s, p.escape);
            eol = c < 0;
            uint32_t keep = eol ? (uint32_t)s.len : (uint32_t)c;
            join_add(&j, l.start, keep);
            last_end = l.start + (eol ? (uint32_t)s.len : (uint32_t)c);
            if (eol) last_end = l.end;
        }
        if (!eol) last_end = last_end > l.end ? last_end : l.end;

        dw_instr in;
        memset(&in, 0, sizeof in);
        in.line = startline;
        in.stage = -1;
        in.from_stage = -1;
        const char *joined = join_text(a, &j, df->src);
        in.joined_base = joined;
        in.original = dw_str_make(joined, j.len);
        in.segs = DW_NEW(a, dw_seg, j.nsegs ? j.nsegs : 1);
        if (j.nsegs) memcpy(in.segs, j.segs, sizeof *j.segs * j.nsegs);
        else in.segs[0].file = toff;
        in.nsegs = j.nsegs;
        in.span.start = toff;
        in.span.end = last_end;
        if (pending.n) DW_SVEC_COMMIT(a, pending, in.comments, in.ncomments);
        if (empties.n) {
            in.empty_lines = DW_NEW(a, uint32_t, empties.n);
            memcpy(in.empty_lines, empties.v, sizeof(uint32_t) * empties.n);
            in.nempty_lines = empties.n;
        }
        dw_node_build(&p, &in, in.original);
        read_heredocs(&p, &r, &in);
        in.end_line = r.lineno;
        DW_VEC_PUSH(a, instrs, in);
        df->instrs = instrs.v;
        df->ninstrs = instrs.n;
        dw_validate_instr(&p, &instrs.v[instrs.n - 1]);
        dw_stages_step(&p, instrs.n - 1);
    }
    free(j.segs);
    DW_SVEC_FREE(pending);

    df->instrs = instrs.v;
    df->ninstrs = instrs.n;
    df->comments = all_comments.v;
    df->ncomments = all_comments.n;
    /* fix sub-instruction back pointers after the vector moved */
    if (instrs.n == 0) {
        dw_span sp = {df->len, df->len};
        dw_diag *d = dw_diag_emit(a, &df->diags, "syntax-error", DW_SEV_ERROR, sp,
                                  len == 0 ? "the Dockerfile is empty" : "file with no instructions");
        d->help = "a Dockerfile needs at least a FROM instruction";
    }
    dw_stages_end(&p);
    dw_diags_sort(&df->diags);
    return df;
}

void dw_dockerfile_free(dw_dockerfile *df)
{
    if (!df) return;
    dw_arena a = df->arena; /* df itself lives in the arena */
    dw_arena_free(&a);
}
