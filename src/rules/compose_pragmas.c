/* compose_pragmas.c — see compose_pragmas.h.
 *
 * The file is read once, line by line, in linear time: a small YAML lexer
 * finds the real comments (a `#` at the start of a line after blanks, or
 * after a blank outside quotes; never inside a quoted scalar, which may run
 * over several lines, nor inside a `|` / `>` block scalar) and the lines
 * that start a node, with their indentation. A node's block is the lines
 * after it indented deeper (a `- ` item may sit at its key's indentation,
 * as YAML allows). Every line pragma becomes a range of lines; the ranges
 * nest like the blocks they come from, so a finding's line is looked up
 * through the innermost range holding it and its parents. */
#include "compose_pragmas.h"

#include <stdlib.h>

#include "../compose/compose.h"

typedef struct {
    uint32_t from, to;   /* lines covered (1-based, inclusive) */
    int32_t parent;      /* the enclosing range after sorting, -1 */
    bool all;            /* every rule (a dclint comment naming none) */
    uint32_t *rules;     /* rule indices */
    uint32_t nrules;
} range;

struct dw_compose_pragmas {
    dw_arena a;
    bool file_all;       /* `# dclint disable` / `disable-file` naming no rule */
    bool *file_rules;    /* per rule index, NULL when no file-wide rule */
    DW_VEC(range) ranges;
    int32_t *innermost;  /* per line: the innermost range holding it, -1 */
    uint32_t nlines;
};

/* ---- the lexer ---- */

typedef enum { L_BLANK, L_COMMENT, L_NODE, L_CONT } line_kind;

typedef struct {
    uint32_t line;       /* 1-based */
    dw_str text;         /* from the '#' to the end of the line */
    bool alone;          /* nothing but blanks before it on its line */
} comment;

typedef struct {
    uint8_t *kind;       /* per line, line_kind */
    uint32_t *indent;    /* per line: columns before its first character */
    bool *dash;          /* per line: the node is a `- ` sequence item */
    DW_VEC(comment) comments;
} scan;

typedef struct {
    char quote;          /* inside a quoted scalar that goes on: '"' or '\'' */
    bool block;          /* inside a block scalar */
    uint32_t block_owner; /* its key's (or dash's) column: deeper lines belong to it */
    uint32_t flow;       /* depth of [ ] / { } */
} lex_state;

static bool blank_at(dw_str s, size_t i) { return i >= s.len || s.ptr[i] == ' ' || s.ptr[i] == '\t'; }

/* Skips a quoted scalar from just after its opening quote; returns the
 * index after the closing quote, or s.len with st->quote set when it goes on
 * to the next line. */
static size_t skip_quoted(dw_str s, size_t i, char q, lex_state *st)
{
    while (i < s.len) {
        char c = s.ptr[i];
        if (q == '"' && c == '\\') { i += 2; continue; }
        if (c == q) {
            if (q == '\'' && i + 1 < s.len && s.ptr[i + 1] == '\'') { i += 2; continue; }
            st->quote = 0;
            return i + 1;
        }
        i++;
    }
    st->quote = q;
    return s.len;
}

/* Lexes one line from `i` (after its indentation, or at 0 inside a quoted
 * scalar), recording its comment. */
static void lex_line(scan *sc, dw_arena *a, lex_state *st, uint32_t line, dw_str s, size_t i)
{
    bool value_start = true;      /* a scalar, `[`, `|` ... may start here */
    uint32_t owner = (uint32_t)i; /* the column of the node a `|` belongs to */
    uint32_t token = (uint32_t)i; /* where the current scalar began */
    bool alone = true;
    if (st->quote) {
        i = skip_quoted(s, 0, st->quote, st);
        value_start = false;
        alone = false;
    }
    while (i < s.len) {
        char c = s.ptr[i];
        if (c == ' ' || c == '\t') { i++; continue; }
        if (c == '#' && (i == 0 || s.ptr[i - 1] == ' ' || s.ptr[i - 1] == '\t')) {
            comment cm = {line, dw_str_sub(s, i, s.len), alone};
            DW_VEC_PUSH(a, sc->comments, cm);
            return;
        }
        alone = false;
        if (value_start && (c == '"' || c == '\'')) {
            token = (uint32_t)i;
            i = skip_quoted(s, i + 1, c, st);
            value_start = false;
            continue;
        }
        if (value_start && !st->flow && (c == '|' || c == '>')) {
            st->block = true;
            st->block_owner = owner;
            i++;
            while (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-' || (s.ptr[i] >= '0' && s.ptr[i] <= '9'))) i++;
            continue; /* only blanks and a comment may follow */
        }
        if ((c == '-' || c == '?') && value_start && blank_at(s, i + 1)) {
            owner = (uint32_t)i;
            i++;
            continue;
        }
        if (c == ':' && (blank_at(s, i + 1) || (st->flow && (s.ptr[i + 1] == ',' || s.ptr[i + 1] == ']' || s.ptr[i + 1] == '}')))) {
            owner = token; /* the key just read */
            value_start = true;
            i++;
            continue;
        }
        if (value_start && (c == '[' || c == '{')) {
            st->flow++;
            i++;
            continue;
        }
        if (st->flow && (c == ']' || c == '}' || c == ',')) {
            if (c != ',') st->flow--;
            value_start = c == ',';
            i++;
            continue;
        }
        if (value_start && (c == '&' || c == '!' || c == '*')) { /* anchor, tag, alias: one word */
            while (i < s.len && !blank_at(s, i)) i++;
            continue;
        }
        if (value_start) token = (uint32_t)i;
        value_start = false;
        i++;
    }
}

static void lex(scan *sc, dw_arena *a, const dw_compose_file *f)
{
    uint32_t n = f->lines.count;
    sc->kind = DW_NEW(a, uint8_t, n + 2);
    sc->indent = DW_NEW(a, uint32_t, n + 2);
    sc->dash = DW_NEW(a, bool, n + 2);
    lex_state st = {0};
    for (uint32_t l = 1; l <= n; l++) {
        dw_str s = dw_linemap_text(&f->lines, l);
        if (s.len && s.ptr[s.len - 1] == '\r') s.len--;
        size_t i = 0;
        while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
        sc->indent[l] = (uint32_t)i;
        if (st.block) {
            if (i == s.len || i > st.block_owner) { sc->kind[l] = L_CONT; continue; }
            st.block = false;
        }
        if (st.quote) {
            sc->kind[l] = L_CONT;
            lex_line(sc, a, &st, l, s, 0);
            continue;
        }
        if (i == s.len) { sc->kind[l] = L_BLANK; continue; }
        if (s.ptr[i] == '#') sc->kind[l] = L_COMMENT;
        else sc->kind[l] = st.flow ? L_CONT : L_NODE;
        sc->dash[l] = s.ptr[i] == '-' && blank_at(s, i + 1);
        lex_line(sc, a, &st, l, s, i);
    }
}

/* block_end[l]: the last line of the block of node line l — the line before
 * the next node at its indentation or less (a `- ` item at the indentation
 * of a key stays inside that key's block). One pass with a stack. */
static uint32_t *block_ends(const scan *sc, dw_arena *a, uint32_t n)
{
    uint32_t *end = DW_NEW(a, uint32_t, n + 2);
    uint32_t *stack = DW_NEW(a, uint32_t, n + 1);
    uint32_t top = 0;
    for (uint32_t l = 1; l <= n; l++) {
        end[l] = l;
        if (sc->kind[l] != L_NODE) continue;
        while (top) {
            uint32_t t = stack[top - 1];
            bool deeper = sc->indent[t] > sc->indent[l];
            bool same = sc->indent[t] == sc->indent[l] && !(sc->dash[l] && !sc->dash[t]);
            if (!deeper && !same) break;
            end[t] = l - 1;
            top--;
        }
        stack[top++] = l;
    }
    while (top) end[stack[--top]] = n;
    return end;
}

/* ---- the comments ---- */

/* The rules a name addresses (slug or alias), appended as indices. */
typedef DW_VEC(uint32_t) idx_vec;

static void add_named(dw_arena *a, dw_str name, idx_vec *out)
{
    if (!name.len) return;
    const dw_rule *found[64];
    uint32_t n = dw_rules_named(dw_str_cstr(a, name), found, 64);
    for (uint32_t k = 0; k < n; k++) DW_VEC_PUSH(a, *out, found[k]->index);
}

/* `ignore=a,b` after `# dockwright [global]`: names separated by commas
 * (blanks around them allowed); the list ends at another blank or a `#`,
 * where a reason may follow — as in Dockerfiles. */
static void dockwright_list(dw_arena *a, dw_str s, idx_vec *out)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
        size_t st = i;
        while (i < s.len && !strchr(", \t#", s.ptr[i])) i++;
        add_named(a, dw_str_make(s.ptr + st, i - st), out);
        while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
        if (i < s.len && s.ptr[i] == ',') { i++; continue; }
        break;
    }
}

/* dclint's names: separated by white space, to the end of the comment. */
static void dclint_list(dw_arena *a, dw_str s, idx_vec *out)
{
    size_t i = 0;
    while (i < s.len) {
        while (i < s.len && blank_at(s, i)) i++;
        size_t st = i;
        while (i < s.len && !blank_at(s, i)) i++;
        add_named(a, dw_str_make(s.ptr + st, i - st), out);
    }
}

static dw_str skip_blanks(dw_str s)
{
    size_t i = 0;
    while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
    return dw_str_sub(s, i, s.len);
}

typedef enum { DC_NONE, DC_DISABLE, DC_DISABLE_LINE, DC_DISABLE_FILE } dclint_kind;

/* dclint's `#\s*dclint\s+disable(-line|-file)?`, looked for after any `#`
 * of the comment as its regular expressions do; *rest is what follows. */
static dclint_kind dclint_comment(dw_str c, dw_str *rest)
{
    for (size_t h = 0; h < c.len; h++) {
        if (c.ptr[h] != '#') continue;
        dw_str s = skip_blanks(dw_str_sub(c, h + 1, c.len));
        if (!dw_str_has_prefix(s, "dclint") || !blank_at(s, 6) || s.len == 6) continue;
        s = skip_blanks(dw_str_sub(s, 6, s.len));
        if (!dw_str_has_prefix(s, "disable")) continue;
        s = dw_str_sub(s, 7, s.len);
        dclint_kind k = DC_DISABLE;
        if (dw_str_has_prefix(s, "-line")) k = DC_DISABLE_LINE, s = dw_str_sub(s, 5, s.len);
        else if (dw_str_has_prefix(s, "-file")) k = DC_DISABLE_FILE, s = dw_str_sub(s, 5, s.len);
        if (!blank_at(s, 0)) continue; /* `disabled`, `disable-lines`: not dclint's */
        *rest = s;
        return k;
    }
    return DC_NONE;
}

static void add_range(dw_compose_pragmas *pg, uint32_t from, uint32_t to, bool all, idx_vec rules)
{
    if (!all && !rules.n) return;
    range r = {from, to, -1, all, rules.v, rules.n};
    DW_VEC_PUSH(&pg->a, pg->ranges, r);
}

static void file_rule(dw_compose_pragmas *pg, idx_vec rules)
{
    uint32_t n;
    (void)dw_rules(&n);
    if (!pg->file_rules && rules.n) pg->file_rules = DW_NEW(&pg->a, bool, n);
    for (uint32_t k = 0; k < rules.n; k++) pg->file_rules[rules.v[k]] = true;
}

/* The first line dclint reads its file-wide comment on: the first that is
 * neither blank nor `---` once trimmed. */
static uint32_t first_content_line(const dw_compose_file *f)
{
    for (uint32_t l = 1; l <= f->lines.count; l++) {
        dw_str s = dw_str_trim_space(dw_linemap_text(&f->lines, l));
        if (s.len && !dw_str_eqc(s, "---")) return l;
    }
    return 0;
}

static void read_comment(dw_compose_pragmas *pg, const scan *sc, const uint32_t *end, uint32_t first,
                         const dw_compose_file *f, const comment *cm)
{
    dw_arena *a = &pg->a;
    idx_vec rules = {0};
    dw_str rest;
    /* ours */
    dw_str body = skip_blanks(dw_str_sub(cm->text, 1, cm->text.len));
    if (dw_str_has_prefix(body, "dockwright") && blank_at(body, 10)) {
        body = skip_blanks(dw_str_sub(body, 10, body.len));
        bool global = dw_str_has_prefix(body, "global") && blank_at(body, 6);
        if (global) body = skip_blanks(dw_str_sub(body, 6, body.len));
        if (!dw_str_has_prefix(body, "ignore")) return;
        body = skip_blanks(dw_str_sub(body, 6, body.len));
        if (!body.len || body.ptr[0] != '=') return;
        dockwright_list(a, dw_str_sub(body, 1, body.len), &rules);
        if (global) {
            file_rule(pg, rules);
            return;
        }
        /* above a node (past the comment lines between), or at the end of its line */
        uint32_t l = cm->line;
        if (cm->alone)
            while (l < pg->nlines && sc->kind[l] == L_COMMENT) l++;
        if (cm->alone && sc->kind[l] == L_COMMENT) return; /* nothing below */
        add_range(pg, l, sc->kind[l] == L_NODE ? end[l] : l, false, rules);
        return;
    }
    /* dclint's */
    switch (dclint_comment(cm->text, &rest)) {
    case DC_NONE: return;
    case DC_DISABLE_LINE: {
        /* the next line for a comment on its own line, else its own line
         * (dclint: `line.trim().startsWith('#')` ? index + 2 : index + 1) */
        dclint_list(a, rest, &rules);
        uint32_t l = cm->alone ? cm->line + 1 : cm->line;
        add_range(pg, l, l, rules.n == 0, rules);
        return;
    }
    case DC_DISABLE_FILE:
        /* dclint: the first content line must start with exactly this text */
        if (cm->line != first || !cm->alone) return;
        {
            dw_str line = dw_str_trim_space(dw_linemap_text(&f->lines, first));
            if (!dw_str_has_prefix(line, "# dclint disable-file")) return;
        }
        pg->file_all = true;
        return;
    case DC_DISABLE:
        if (cm->line != first) return; /* dclint reads it on the first content line only */
        dclint_list(a, rest, &rules);
        if (!rules.n && !dw_str_trim_space(rest).len) pg->file_all = true;
        else file_rule(pg, rules);
        return;
    }
}

static int cmp_range(const void *x, const void *y)
{
    const range *a = x, *b = y;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    if (a->to != b->to) return a->to > b->to ? -1 : 1;
    return 0;
}

/* Sorts the ranges outer first and links each to the range around it; then
 * innermost[l] is the last range opened at or before l that still holds l.
 * (The ranges nest by construction; were two to cross, a lookup checks
 * each range's lines anyway.) */
static void nest(dw_compose_pragmas *pg)
{
    range *r = pg->ranges.v;
    uint32_t n = pg->ranges.n;
    qsort(r, n, sizeof *r, cmp_range);
    pg->innermost = DW_NEW(&pg->a, int32_t, pg->nlines + 2);
    int32_t *stack = DW_NEW(&pg->a, int32_t, n + 1);
    uint32_t top = 0, next = 0;
    for (uint32_t l = 0; l <= pg->nlines + 1; l++) {
        while (top && r[stack[top - 1]].to < l) top--;
        while (next < n && r[next].from == l) {
            r[next].parent = top ? stack[top - 1] : -1;
            stack[top++] = (int32_t)next++;
        }
        pg->innermost[l] = top ? stack[top - 1] : -1;
    }
}

dw_compose_pragmas *dw_compose_pragmas_read(const struct dw_compose_file *f)
{
    if (!f || !f->src || !f->len || !memchr(f->src, '#', f->len)) return NULL;
    dw_compose_pragmas *pg = calloc(1, sizeof *pg);
    if (!pg) dw_oom();
    dw_arena_init(&pg->a);
    pg->nlines = f->lines.count;
    scan sc;
    memset(&sc, 0, sizeof sc);
    lex(&sc, &pg->a, f);
    uint32_t *end = block_ends(&sc, &pg->a, pg->nlines);
    uint32_t first = first_content_line(f);
    for (uint32_t i = 0; i < sc.comments.n; i++) read_comment(pg, &sc, end, first, f, &sc.comments.v[i]);
    if (!pg->file_all && !pg->file_rules && !pg->ranges.n) {
        dw_compose_pragmas_free(pg);
        return NULL;
    }
    if (pg->ranges.n) nest(pg);
    return pg;
}

/* dclint cannot turn off its `invalid-yaml` and `invalid-schema` reports,
 * so a dclint comment naming no rule leaves ours of the same kind alone. */
static bool dclint_cannot_silence(const dw_rule *r)
{
    return !strcmp(r->slug, "yaml-syntax") || !strcmp(r->slug, "duplicate-key") || !strcmp(r->slug, "compose-schema");
}

bool dw_compose_pragmas_suppress(const dw_compose_pragmas *pg, const struct dw_compose_file *f, const dw_rule *r,
                                 uint32_t offset)
{
    if (!pg || !r) return false;
    if (pg->file_rules && pg->file_rules[r->index]) return true;
    bool kept = dclint_cannot_silence(r);
    if (pg->file_all && !kept) return true;
    if (!pg->innermost) return false;
    uint32_t line = dw_linemap_line(&f->lines, offset);
    if (line > pg->nlines) line = pg->nlines;
    for (int32_t k = pg->innermost[line]; k >= 0; k = pg->ranges.v[k].parent) {
        const range *g = &pg->ranges.v[k];
        if (line < g->from || line > g->to) continue;
        if (g->all && !kept) return true;
        for (uint32_t i = 0; i < g->nrules; i++)
            if (g->rules[i] == r->index) return true;
    }
    return false;
}

void dw_compose_pragmas_free(dw_compose_pragmas *pg)
{
    if (!pg) return;
    dw_arena_free(&pg->a);
    free(pg);
}
