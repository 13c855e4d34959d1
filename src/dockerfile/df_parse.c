/* df_parse.c — reads a Dockerfile's lines the way BuildKit's parser does
 * (frontend/dockerfile/parser/parser.go): BOM, parser directives at the top,
 * comments, line continuations (blank lines inside them noted), heredoc
 * bodies after the instruction. Each instruction's joined text is kept with a
 * segment table mapping it back to file offsets. Errors never stop the parse. */
#include "dockerfile_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Case-insensitive: the keyword is lower-cased into a small buffer, then
 * compared with the names of its length only (fixed-size compares, which
 * the compiler inlines: it runs once per instruction). */
dw_instr_kind dw_instr_lookup(dw_str name)
{
    if (name.len < 3 || name.len > 11) return DW_I_UNKNOWN;
    char k[11];
    for (size_t i = 0; i < name.len; i++) {
        char c = name.ptr[i];
        k[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
#define IS(lit) (memcmp(k, lit, sizeof lit - 1) == 0)
    switch (name.len) {
    case 3:
        return IS("run") ? DW_I_RUN : IS("env") ? DW_I_ENV : IS("arg") ? DW_I_ARG : IS("add") ? DW_I_ADD
             : IS("cmd") ? DW_I_CMD : DW_I_UNKNOWN;
    case 4:
        return IS("from") ? DW_I_FROM : IS("copy") ? DW_I_COPY : IS("user") ? DW_I_USER : DW_I_UNKNOWN;
    case 5:
        return IS("label") ? DW_I_LABEL : IS("shell") ? DW_I_SHELL : DW_I_UNKNOWN;
    case 6:
        return IS("expose") ? DW_I_EXPOSE : IS("volume") ? DW_I_VOLUME : DW_I_UNKNOWN;
    case 7:
        return IS("workdir") ? DW_I_WORKDIR : IS("onbuild") ? DW_I_ONBUILD : DW_I_UNKNOWN;
    case 10:
        return IS("entrypoint") ? DW_I_ENTRYPOINT : IS("maintainer") ? DW_I_MAINTAINER
             : IS("stopsignal") ? DW_I_STOPSIGNAL : DW_I_UNKNOWN;
    case 11:
        return IS("healthcheck") ? DW_I_HEALTHCHECK : DW_I_UNKNOWN;
    }
#undef IS
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
    dw_linescan lines; /* the line table, built as the lines are read */
} reader;

/* The next line: where it ends is in the line table, which is extended a
 * piece at a time just ahead of the reader. */
static inline __attribute__((always_inline)) bool read_line(reader *r, pline *l)
{
    if (r->pos >= r->len) return false;
    while (r->lineno + 1 >= r->lines.n && r->lines.scanned < r->len) dw_linescan_next(&r->lines, r->src, r->len);
    l->start = r->pos;
    l->full_end = r->lineno + 1 < r->lines.n ? ((const uint32_t *)r->lines.buf.p)[r->lineno + 1] : r->len;
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
    uint32_t *lens; /* each piece's length, for join_text */
    uint32_t nsegs, cap;
} joiner;

static inline void join_add(joiner *j, uint32_t file_off, uint32_t len)
{
    if (len == 0) return;
    if (j->nsegs == j->cap) {
        j->cap = j->cap ? j->cap * 2 : 8;
        j->segs = dw_xrealloc(j->segs, sizeof *j->segs * j->cap);
        j->lens = dw_xrealloc(j->lens, sizeof *j->lens * j->cap);
    }
    dw_seg s = {j->len, file_off};
    j->lens[j->nsegs] = len;
    j->segs[j->nsegs++] = s;
    j->len += len;
}

static const char *join_text(dw_arena *a, const joiner *j, const char *src)
{
    if (j->nsegs == 0) return "";
    if (j->nsegs == 1) return src + j->segs[0].file; /* the file's own bytes, no copy */
    char *t = dw_arena_alloc(a, (size_t)j->len + 1);
    for (uint32_t i = 0; i < j->nsegs; i++) memcpy(t + j->segs[i].joined, src + j->segs[i].file, j->lens[i]);
    return t;
}

/* dw_file_offset_i for an instruction of several pieces: the piece that
 * holds joined offset `off`, by binary search (a RUN of 100,000 lines
 * stays cheap to map). Past the end of the text: its last byte + 1. */
uint32_t dw_file_offset_pieces(const dw_instr *in, uint32_t off)
{
    uint32_t lo = 0, hi = in->nsegs;
    /* most lookups are of the first piece (keyword, flags) or the last (the
     * end of the arguments) */
    if (off < in->segs[1].joined) hi = 1;
    else if (off >= in->segs[hi - 1].joined) lo = hi - 1;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (in->segs[mid].joined <= off) lo = mid; else hi = mid;
    }
    const dw_seg *s = &in->segs[lo];
    uint32_t end = lo + 1 < in->nsegs ? s[1].joined
                 : (uint32_t)(in->original.ptr + in->original.len - in->joined_base);
    uint32_t d = off - s->joined;
    if (d > end - s->joined) d = end - s->joined;
    return s->file + d;
}

uint32_t dw_instr_file_offset(const dw_instr *in, const char *p) { return dw_file_offset_i(in, p); }

dw_span dw_instr_file_span(const dw_instr *in, const char *p, size_t len) { return dw_file_span_i(in, p, len); }

/* Every comment line of the file, in a growable mapping: there is one per
 * few lines in big files. */
typedef struct {
    dw_mapbuf map;
    uint32_t n;
} comment_list;

static dw_comment make_comment(dw_str line, uint32_t off)
{
    dw_str t = dw_str_trim_left_space(line);
    dw_comment c;
    c.span.start = off + (uint32_t)(t.ptr - line.ptr);
    c.span.end = off + (uint32_t)line.len;
    c.text = dw_str_trim_space(dw_str_sub(t, 1, t.len));
    return c;
}

static dw_comment add_comment(comment_list *all, dw_str line, uint32_t off)
{
    dw_comment c = make_comment(line, off);
    dw_comment *v = dw_mapbuf_grow(&all->map, (size_t)(all->n + 1) * sizeof c);
    v[all->n++] = c;
    return c;
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
    if (dw_heredocs_from_line_p(p, in->original, &docs, &n, &err) < 0) {
        dw_node_error(p, in, in->span, "%s", err);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        dw_heredoc *h = &docs[i];
        h->word_span = dw_file_span_i(in, in->original.ptr + h->word_span.start,
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

static dw_dockerfile *parse(const char *path, const char *src, size_t len, size_t mapped, const dw_parse_opts *opts);

dw_dockerfile *dw_dockerfile_parse_owned(const char *path, char *src, size_t len,
                                         const dw_parse_opts *opts)
{
    if (len > UINT32_MAX - 1) { free(src); return NULL; }
    return parse(path, src, len, 0, opts);
}

/* Files at least this big are mapped rather than read: no private copy to
 * fault in and fill. Smaller ones are read, so that a small file changed
 * on disk while its tree is in use cannot change under it. */
#define MAP_FILE_MIN ((off_t)1 << 20)

dw_dockerfile *dw_dockerfile_parse_path(const char *path, const char *name, const dw_parse_opts *opts)
{
    if (!name) name = path;
    struct stat st;
    /* stat first: opening a FIFO to look at it would take it from the reader */
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= MAP_FILE_MIN) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) return NULL;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= MAP_FILE_MIN) {
            if ((uint64_t)st.st_size > UINT32_MAX - 1) {
                close(fd);
                errno = EFBIG;
                return NULL;
            }
            int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
            flags |= MAP_POPULATE; /* one call maps the cached pages, instead of a fault per 64 KB */
#endif
            void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, flags, fd, 0);
            close(fd);
            if (m != MAP_FAILED) return parse(name, m, (size_t)st.st_size, (size_t)st.st_size, opts);
        } else {
            close(fd);
        }
    }
    size_t len;
    char *src = dw_read_file(path, &len);
    if (!src) return NULL;
    dw_dockerfile *df = dw_dockerfile_parse_owned(name, src, len, opts);
    if (!df) errno = EFBIG;
    return df;
}

/* `mapped`: src is a read-only mapping of that many bytes, else malloc'd. */
static dw_dockerfile *parse(const char *path, const char *src, size_t len, size_t mapped, const dw_parse_opts *opts)
{
    dw_arena arena;
    dw_arena_init(&arena);
    dw_dockerfile *df = dw_arena_alloc(&arena, sizeof *df);
    df->arena = arena;
    dw_arena *a = &df->arena;
    if (mapped) dw_arena_adopt_mapping(a, (void *)src, mapped);
    else dw_arena_adopt(a, (void *)src);
    df->path = dw_arena_memdup(a, path ? path : "-", path ? strlen(path) : 1);
    df->src = src;
    df->len = (uint32_t)len;
    df->escape = '\\';
    dw_parser p = {.df = df, .a = a, .escape = '\\'};
    reader r = {.src = df->src, .len = df->len};
    if (len >= 3 && memcmp(src, "\xEF\xBB\xBF", 3) == 0) { r.pos = 3; df->bom = true; }

    /* the instructions grow in a mapping (no copies when it grows, pages
     * faulted in only as they are needed); dw_stages_end re-points the
     * stages at them once they no longer move */
    dw_mapbuf instrs = {0};
    uint32_t ninstrs = 0;
    comment_list all_comments = {0};
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
        if (t.len && t.ptr[0] == '#') { /* a comment line */
            dw_comment c = add_comment(&all_comments, raw, l.start);
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
            dw_str st = dw_str_trim_left_space(s);
            if (st.len && st.ptr[0] == '#') { add_comment(&all_comments, s, l.start); continue; }
            if (st.len == 0) { DW_SVEC_PUSH(empties, r.lineno); continue; }
            long c = continuation_cut(s, p.escape);
            eol = c < 0;
            uint32_t keep = eol ? (uint32_t)s.len : (uint32_t)c;
            join_add(&j, l.start, keep);
            last_end = l.start + (eol ? (uint32_t)s.len : (uint32_t)c);
            if (eol) last_end = l.end;
        }
        if (!eol) last_end = last_end > l.end ? last_end : l.end;

        /* built in place: the slot is fresh, zeroed memory */
        dw_instr *v = dw_mapbuf_grow(&instrs, (size_t)(ninstrs + 1) * sizeof(dw_instr));
        df->instrs = v;
        dw_instr *in = &v[ninstrs];
        in->line = startline;
        in->stage = -1;
        in->from_stage = -1;
        const char *joined = join_text(a, &j, df->src);
        in->joined_base = joined;
        in->original = dw_str_make(joined, j.len);
        in->segs = DW_NEW_PACKED(a, dw_seg, j.nsegs ? j.nsegs : 1);
        if (j.nsegs) memcpy(in->segs, j.segs, sizeof *j.segs * j.nsegs);
        else in->segs[0].file = toff;
        in->nsegs = j.nsegs;
        in->span.start = toff;
        in->span.end = last_end;
        if (pending.n) DW_SVEC_TAKE(a, pending, in->comments, in->ncomments);
        if (empties.n) DW_SVEC_TAKE(a, empties, in->empty_lines, in->nempty_lines);
        dw_node_build(&p, in, in->original);
        read_heredocs(&p, &r, in);
        in->end_line = r.lineno;
        if (in->sub) in->sub->end_line = in->end_line;
        df->ninstrs = ++ninstrs;
        dw_validate_instr(&p, in);
        dw_stages_step(&p, ninstrs - 1);
    }
    dw_linescan_finish(&r.lines, &df->lines, a, df->src, df->len);
    free(j.segs);
    free(j.lens);
    DW_SVEC_FREE(pending);
    DW_SVEC_FREE(empties);
    DW_SVEC_FREE(p.flags);
    DW_SVEC_FREE(p.words);
    DW_SVEC_FREE(p.pwords);
    DW_SVEC_FREE(p.fields);
    DW_SVEC_FREE(p.heredocs);
    dw_buf_free(&p.buf);
    dw_buf_free(&p.lex);

    /* an empty file still gets an instruction array, as it always did */
    df->instrs = ninstrs ? instrs.p : DW_NEW(a, dw_instr, 1);
    df->ninstrs = ninstrs;
    dw_mapbuf_adopt(a, &instrs);
    df->comments = all_comments.map.p;
    df->ncomments = all_comments.n;
    dw_mapbuf_adopt(a, &all_comments.map);
    if (ninstrs == 0) {
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
