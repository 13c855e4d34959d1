/* sh_lex.c — the shell's tokens: operators, redirections, newlines (which
 * read pending heredoc bodies), and words. A word is read in one pass that
 * builds its value (quotes and escapes removed), its parts and the segments
 * mapping value bytes back to the text; $(…) bodies are parsed on the spot
 * by the grammar, as a shell does, so `case` patterns and quotes inside them
 * are read right. Which words are reserved is the grammar's business: the
 * lexer only marks words that are plain. */
#include "sh_int.h"

#include <stdio.h>

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

static bool is_meta(char c)
{
    return is_blank(c) || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' || c == '>' || c == '(' ||
           c == ')';
}

/* c is one of `set` (never the NUL byte, which strchr would find). */
static bool in_set(char c, const char *set) { return c && strchr(set, c); }

static bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

/* The position two bytes on, not past the end (an escape at the very end). */
static const char *adv2(const char *p, const char *end) { return p + 2 <= end ? p + 2 : end; }

void sh_lex_init(lexer *lx, dw_str text, const sh_map *map)
{
    memset(lx, 0, sizeof *lx);
    lx->s = lx->p = text.ptr ? text.ptr : "";
    lx->end = lx->s + text.len;
    lx->map = map;
}

void sh_lex_free(lexer *lx) { DW_SVEC_FREE(lx->pending); }

/* ---- balanced constructs, scanned without recursion ------------------- */

const char *sh_skip_balanced(const char *p, const char *end, char closer, bool *unterminated)
{
    /* expected closers, innermost last; '"' and '`' mark the inside of a
     * double-quoted string and of a backtick body, where fewer bytes are
     * special. Deeper nesting than the stack holds is left unterminated. */
    char stack[64];
    int top = 0;
    stack[top++] = closer;
#define PUSH(ch) do { if (top == (int)sizeof stack) goto overflow; stack[top++] = (ch); } while (0)
    while (p < end) {
        char c = *p, want = stack[top - 1];
        if (want == '"' || want == '`') {
            if (c == '\\') { p = adv2(p, end); continue; }
            p++;
            if (c == want) { if (--top == 0) return p; continue; }
            if (want == '"' && c == '`') PUSH('`');
            else if (want == '"' && c == '$' && p < end && (*p == '(' || *p == '{')) { PUSH(*p == '(' ? ')' : '}'); p++; }
            continue;
        }
        switch (c) {
        case '\\': p = adv2(p, end); continue;
        case '\'': {
            const char *q = memchr(p + 1, '\'', (size_t)(end - p - 1));
            p = q ? q + 1 : end;
            continue;
        }
        case '"': PUSH('"'); p++; continue;
        case '`': PUSH('`'); p++; continue;
        case '$':
            p++;
            if (p < end && (*p == '(' || *p == '{' || *p == '[')) { PUSH(*p == '(' ? ')' : *p == '{' ? '}' : ']'); p++; }
            continue;
        case '(':
            if (want == ')') PUSH(')');
            p++;
            continue;
        case '[':
            if (want == ']') PUSH(']');
            p++;
            continue;
        case ')': case '}': case ']':
            p++;
            if (c == want && --top == 0) return p;
            continue;
        default:
            p++;
        }
    }
overflow:
#undef PUSH
    *unterminated = true;
    return end;
}

bool sh_arith_at(const char *open, const char *end, const char **after)
{
    bool unterminated = false;
    const char *r = sh_skip_balanced(open + 1, end, ')', &unterminated);
    if (unterminated || r - open < 4 || r[-2] != ')') return false;
    *after = r;
    return true;
}

/* ---- building a word --------------------------------------------------- */

typedef struct {
    parser *P;
    uint32_t part0, seg0;  /* where this word's entries start on the stacks */
    size_t val0;
    uint32_t flags;
    const char *start;
    bool exact;            /* every value byte is a text byte (no decoded escape) */
} wb;

static uint32_t voff_now(const wb *b) { return (uint32_t)(b->P->val.n - b->val0); }

/* Appends n value bytes that are the text's bytes at src. */
static void put_text(wb *b, const char *src, size_t n)
{
    if (!n) return;
    parser *P = b->P;
    uint32_t voff = voff_now(b);
    dw_buf_put(&P->val, src, n);
    if (P->segs.n > b->seg0) {
        sh_seg *l = &P->segs.v[P->segs.n - 1];
        if (l->raw + l->len == src && l->voff + l->len == voff) { l->len += (uint32_t)n; return; }
    }
    sh_seg s = {voff, (uint32_t)n, src};
    DW_SVEC_PUSH(P->segs, s);
}

/* Appends n decoded bytes; they map to the escape at `at` (never longer
 * than the escape, so the segment stays inside the text). */
static void put_decoded(wb *b, const char *bytes, size_t n, const char *at)
{
    if (!n) return;
    parser *P = b->P;
    sh_seg s = {voff_now(b), (uint32_t)n, at};
    dw_buf_put(&P->val, bytes, n);
    DW_SVEC_PUSH(P->segs, s);
    b->exact = false;
}

static uint32_t part_open(wb *b, sh_part_kind kind, bool dq, const char *raw)
{
    sh_part pt;
    memset(&pt, 0, sizeof pt);
    pt.kind = kind;
    pt.in_dquote = dq;
    pt.raw = dw_str_make(raw, 0);
    pt.voff = voff_now(b);
    DW_SVEC_PUSH(b->P->parts, pt);
    return b->P->parts.n - 1;
}

/* A literal part starting at raw: the previous part again when it is a
 * literal of the same kind ending right there, so a run of text and
 * escapes stays one part. */
static uint32_t lit_part(wb *b, sh_part_kind kind, bool dq, const char *raw)
{
    parser *P = b->P;
    if (P->parts.n > b->part0) {
        sh_part *l = &P->parts.v[P->parts.n - 1];
        if (l->kind == kind && l->in_dquote == dq && l->raw.ptr + l->raw.len == raw) return P->parts.n - 1;
    }
    return part_open(b, kind, dq, raw);
}

static void part_close(wb *b, uint32_t i, const char *raw_end)
{
    sh_part *pt = &b->P->parts.v[i];
    pt->raw.len = (size_t)(raw_end - pt->raw.ptr);
    pt->vlen = voff_now(b) - pt->voff;
}

static void lex_dquote(parser *P, wb *b);
static void lex_dollar(parser *P, wb *b, bool dq);

/* `…`: the body (with \\ \` \$ and, inside "…", \" unescaped) is parsed as a
 * nested script. */
static void lex_backtick(parser *P, wb *b, bool dq)
{
    lexer *lx = P->lx;
    const char *s = lx->p, *end = lx->end, *q = s + 1;
    size_t nesc = 0;
    while (q < end && *q != '`') {
        if (*q == '\\') { nesc++; q = adv2(q, end); } else q++;
    }
    const char *after = q < end ? q + 1 : end;
    if (q >= end) { q = end; b->flags |= SH_W_ERROR; }
    dw_str body = dw_str_make(s + 1, (size_t)(q - s - 1));
    const sh_map *map = lx->map;
    if (nesc) {
        /* a decoded copy; one segment per run between escapes */
        char *out = dw_arena_alloc(P->a, body.len + 1);
        sh_seg *segs = DW_NEW(P->a, sh_seg, 2 * nesc + 1);
        uint32_t n = 0, k = 0;
        for (size_t i = 0; i < body.len; i++) {
            const char *src = body.ptr + i;
            if (*src == '\\' && i + 1 < body.len &&
                (src[1] == '\\' || src[1] == '`' || src[1] == '$' || (dq && src[1] == '"'))) {
                src++;
                i++;
            }
            if (n && segs[n - 1].raw + segs[n - 1].len == src && segs[n - 1].voff + segs[n - 1].len == k)
                segs[n - 1].len++;
            else
                segs[n++] = (sh_seg){k, 1, src};
            out[k++] = *src;
        }
        map = sh_map_segs(P->a, out, segs, n, lx->map);
        body = dw_str_make(out, k);
    }
    sh_script *sc = body.len ? sh_parse_nested(P, body, map, SH_SRC_BACKTICK) : NULL;
    uint32_t i = part_open(b, SH_P_BACKTICK, dq, s);
    put_text(b, s, (size_t)(after - s));
    part_close(b, i, after);
    P->parts.v[i].script = sc;
    b->flags |= SH_W_EXPANDS;
    lx->p = after;
}

/* $(…), <(…), >(…): parsed in place; when too deep, skipped as a balanced
 * run. `open` is the position of the '('. */
static void lex_subst(parser *P, wb *b, bool dq, sh_part_kind kind, const char *open)
{
    lexer *lx = P->lx;
    const char *s = lx->p;
    uint32_t i = part_open(b, kind, dq, s);
    sh_script *sc = sh_parse_cmdsub(P, open + 1);
    if (!sc) {
        bool unterminated = false;
        lx->p = sh_skip_balanced(open + 1, lx->end, ')', &unterminated);
        if (unterminated) b->flags |= SH_W_ERROR;
    } else if (sc->root->error && lx->p >= lx->end) {
        b->flags |= SH_W_ERROR;
    }
    put_text(b, s, (size_t)(lx->p - s));
    part_close(b, i, lx->p);
    P->parts.v[i].script = sc;
    b->flags |= SH_W_EXPANDS;
}

/* A part skipped as a balanced run (${…}, $((…)), $[…]) whose text is its value. */
static void opaque_part(parser *P, wb *b, sh_part_kind kind, bool dq, const char *after, bool unterminated)
{
    lexer *lx = P->lx;
    uint32_t i = part_open(b, kind, dq, lx->p);
    put_text(b, lx->p, (size_t)(after - lx->p));
    part_close(b, i, after);
    lx->p = after;
    b->flags |= SH_W_EXPANDS | (unterminated ? SH_W_ERROR : 0);
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes one escape of $'…' at p (p[0] == '\\'); writes the bytes to out
 * and returns how many text bytes it used. */
static size_t ansi_escape(const char *p, const char *end, char out[8], size_t *nout)
{
    char c = p[1];
    *nout = 1;
    switch (c) {
    case 'a': out[0] = '\a'; return 2;
    case 'b': out[0] = '\b'; return 2;
    case 'e': case 'E': out[0] = 27; return 2;
    case 'f': out[0] = '\f'; return 2;
    case 'n': out[0] = '\n'; return 2;
    case 'r': out[0] = '\r'; return 2;
    case 't': out[0] = '\t'; return 2;
    case 'v': out[0] = '\v'; return 2;
    case '\\': case '\'': case '"': case '?': out[0] = c; return 2;
    case 'c':
        if (p + 2 < end) { out[0] = (char)(p[2] & 0x1f); return 3; }
        break;
    case 'x': case 'u': case 'U': {
        int max = c == 'x' ? 2 : c == 'u' ? 4 : 8, k = 0;
        uint32_t v = 0;
        while (k < max && p + 2 + k < end && hexval(p[2 + k]) >= 0) v = v * 16 + (uint32_t)hexval(p[2 + k++]);
        if (!k) break;
        if (c == 'x') out[0] = (char)v;
        else *nout = (size_t)dw_utf8_encode(v > 0x10FFFF ? 0xFFFD : v, out);
        return 2 + (size_t)k;
    }
    default:
        if (c >= '0' && c <= '7') {
            int k = 0;
            unsigned v = 0;
            while (k < 3 && p + 1 + k < end && p[1 + k] >= '0' && p[1 + k] <= '7') v = v * 8 + (unsigned)(p[1 + k++] - '0');
            out[0] = (char)v;
            return 1 + (size_t)k;
        }
        break;
    }
    out[0] = '\\';
    out[1] = c;
    *nout = 2;
    return 2;
}

static void lex_ansi(parser *P, wb *b)
{
    lexer *lx = P->lx;
    const char *s = lx->p, *end = lx->end, *p = s + 2;
    uint32_t i = part_open(b, SH_P_ANSI, false, s);
    while (p < end && *p != '\'') {
        if (*p == '\\' && p + 1 < end) {
            char out[8];
            size_t n;
            size_t used = ansi_escape(p, end, out, &n);
            put_decoded(b, out, n, p);
            p += used;
        } else {
            put_text(b, p, 1);
            p++;
        }
    }
    if (p < end) p++; else b->flags |= SH_W_ERROR;
    lx->p = p;
    part_close(b, i, p);
    b->flags |= SH_W_QUOTED;
}

static void lex_dollar(parser *P, wb *b, bool dq)
{
    lexer *lx = P->lx;
    const char *s = lx->p, *end = lx->end;
    char n = s + 1 < end ? s[1] : 0;
    bool unterminated = false;
    if (n == '\'' && !dq) { lex_ansi(P, b); return; }
    if (n == '"' && !dq) { lx->p++; lex_dquote(P, b); return; } /* $"…": a translated string */
    if (n == '(') {
        const char *after;
        if (s + 2 < end && s[2] == '(' && sh_arith_at(s + 1, end, &after)) {
            opaque_part(P, b, SH_P_ARITH, dq, after, false);
            return;
        }
        lex_subst(P, b, dq, SH_P_CMDSUB, s + 1);
        return;
    }
    if (n == '[') {
        const char *after = sh_skip_balanced(s + 2, end, ']', &unterminated);
        opaque_part(P, b, SH_P_ARITH, dq, after, unterminated);
        return;
    }
    if (n == '{') {
        const char *after = sh_skip_balanced(s + 2, end, '}', &unterminated);
        uint32_t i = P->parts.n;
        opaque_part(P, b, SH_P_PARAM, dq, after, unterminated);
        const char *q = s + 2;
        if (q < after && (*q == '#' || *q == '!') && q + 1 < after && q[1] != '}') q++;
        const char *ne = q;
        while (ne < after && is_name_char(*ne)) ne++;
        if (ne == q && ne < after && in_set(*ne, "@*#?$!-")) ne++;
        P->parts.v[i].name = dw_str_make(q, (size_t)(ne - q));
        P->parts.v[i].braced = true;
        return;
    }
    const char *ne = s + 1;
    if (ne < end && is_name_start(*ne)) {
        while (ne < end && is_name_char(*ne)) ne++;
    } else if (ne < end && ((*ne >= '0' && *ne <= '9') || in_set(*ne, "@*#?$!-"))) {
        ne++;
    }
    if (ne == s + 1) { /* a lone $ is literal */
        uint32_t i = lit_part(b, dq ? SH_P_DQUOTE : SH_P_LIT, dq, s);
        put_text(b, s, 1);
        lx->p = s + 1;
        part_close(b, i, lx->p);
        return;
    }
    uint32_t i = P->parts.n;
    opaque_part(P, b, SH_P_PARAM, dq, ne, false);
    P->parts.v[i].name = dw_str_make(s + 1, (size_t)(ne - s - 1));
}

static void lex_dquote(parser *P, wb *b)
{
    lexer *lx = P->lx;
    const char *s = lx->p, *end = lx->end;
    uint32_t nparts0 = P->parts.n;
    lx->p++;
    const char *run = lx->p;
#define FLUSH()                                                                                  \
    do {                                                                                         \
        if (lx->p > run) {                                                                       \
            uint32_t k_ = lit_part(b, SH_P_DQUOTE, true, run);                                   \
            put_text(b, run, (size_t)(lx->p - run));                                             \
            part_close(b, k_, lx->p);                                                            \
        }                                                                                        \
    } while (0)
    while (lx->p < end) {
        char c = *lx->p;
        if (c == '"') break;
        if (c == '\\' && lx->p + 1 < end) {
            char n = lx->p[1];
            if (n == '\n') { FLUSH(); lx->p += 2; run = lx->p; continue; }
            if (n == '$' || n == '`' || n == '"' || n == '\\') {
                FLUSH();
                uint32_t k = lit_part(b, SH_P_DQUOTE, true, lx->p);
                put_text(b, lx->p + 1, 1);
                lx->p += 2;
                part_close(b, k, lx->p);
                run = lx->p;
                continue;
            }
            lx->p += 2; /* the backslash stays, with the byte after it */
            continue;
        }
        if (c == '$') { FLUSH(); lex_dollar(P, b, true); run = lx->p; continue; }
        if (c == '`') { FLUSH(); lex_backtick(P, b, true); run = lx->p; continue; }
        lx->p++;
    }
    FLUSH();
#undef FLUSH
    if (P->parts.n == nparts0) { /* "" still marks a (quoted, empty) part */
        uint32_t k = part_open(b, SH_P_DQUOTE, true, s + 1);
        part_close(b, k, s + 1);
    }
    if (lx->p < end) lx->p++; else b->flags |= SH_W_ERROR;
    b->flags |= SH_W_QUOTED;
}

/* True when the value so far is NAME= or NAME+= (unquoted): a following
 * '(' opens an array assignment. */
static bool array_assign_prefix(const wb *b)
{
    if (b->flags & (SH_W_QUOTED | SH_W_EXPANDS)) return false;
    const char *v = b->P->val.p + b->val0;
    size_t n = b->P->val.n - b->val0;
    if (n < 2 || v[n - 1] != '=') return false;
    n--;
    if (n && v[n - 1] == '+') n--;
    return sh_is_name(dw_str_make(v, n));
}

/* Reads a literal run, stopping at anything special. */
static void lex_literal(parser *P, wb *b)
{
    lexer *lx = P->lx;
    const char *s = lx->p, *end = lx->end;
    const char *p = s;
    while (p < end) {
        char c = *p;
        if (is_meta(c) || c == '\'' || c == '"' || c == '\\' || c == '$' || c == '`') break;
        if (c == '*' || c == '?' || c == '[') b->flags |= SH_W_GLOB;
        p++;
    }
    uint32_t i = lit_part(b, SH_P_LIT, false, s);
    put_text(b, s, (size_t)(p - s));
    part_close(b, i, p);
    lx->p = p;
}

static void finish_word(parser *P, wb *b, sh_word *w)
{
    lexer *lx = P->lx;
    memset(w, 0, sizeof *w);
    w->raw = dw_str_make(b->start, (size_t)(lx->p - b->start));
    w->span = sh_lx_span(lx, b->start, lx->p);
    uint32_t nseg = P->segs.n - b->seg0;
    size_t vl = P->val.n - b->val0;
    if (vl == 0) {
        w->value = dw_str_make(b->start, 0);
    } else if (b->exact && nseg == 1) {
        w->value = dw_str_make(P->segs.v[b->seg0].raw, vl);
    } else {
        w->value = dw_str_make(dw_arena_memdup(P->a, P->val.p + b->val0, vl), vl);
        w->segs = dw_arena_copy(P->a, P->segs.v + b->seg0, sizeof(sh_seg) * nseg);
        w->nsegs = nseg;
    }
    uint32_t np = P->parts.n - b->part0;
    if (np == 0) { /* cannot happen for a non-empty word; keep the invariant anyway */
        uint32_t i = part_open(b, SH_P_LIT, false, b->start);
        part_close(b, i, lx->p);
        np = 1;
    }
    w->parts = dw_arena_copy(P->a, P->parts.v + b->part0, sizeof(sh_part) * np);
    w->nparts = np;
    w->flags = b->flags;
    if ((b->flags & SH_W_ERROR) && P->script) P->script->nerrors++;
    if (!(b->flags & (SH_W_QUOTED | SH_W_EXPANDS | SH_W_ERROR)) && w->value.len == w->raw.len)
        w->flags |= SH_W_PLAIN;
    P->parts.n = b->part0;
    P->segs.n = b->seg0;
    P->val.n = b->val0;
}

/* Reads a word at the lexer's position (never empty). */
static void lex_word(parser *P, sh_word *w)
{
    lexer *lx = P->lx;
    wb b = {P, P->parts.n, P->segs.n, P->val.n, 0, lx->p, true};
    while (lx->p < lx->end) {
        const char *p = lx->p;
        char c = *p;
        if ((c == '<' || c == '>') && p == b.start && p + 1 < lx->end && p[1] == '(') {
            lex_subst(P, &b, false, SH_P_PROCSUB, p + 1);
            continue;
        }
        if (c == '(' && p > b.start && !lx->cond &&
            (array_assign_prefix(&b) || in_set(p[-1], "@!*+?"))) {
            /* NAME=(…) arrays and extglob @(…): one literal run */
            bool unterminated = false;
            const char *after = sh_skip_balanced(p + 1, lx->end, ')', &unterminated);
            uint32_t i = lit_part(&b, SH_P_LIT, false, p);
            put_text(&b, p, (size_t)(after - p));
            part_close(&b, i, after);
            lx->p = after;
            if (unterminated) b.flags |= SH_W_ERROR;
            if (p[-1] != '=') b.flags |= SH_W_GLOB; /* extglob, not an array */
            continue;
        }
        if (is_meta(c)) break;
        switch (c) {
        case '\\':
            if (p + 1 < lx->end && p[1] == '\n') { lx->p += 2; continue; } /* continuation */
            {
                uint32_t i = lit_part(&b, SH_P_LIT, false, p);
                if (p + 1 < lx->end) { put_text(&b, p + 1, 1); lx->p += 2; } else { put_text(&b, p, 1); lx->p++; }
                part_close(&b, i, lx->p);
                b.flags |= SH_W_QUOTED;
            }
            continue;
        case '\'': {
            const char *q = memchr(p + 1, '\'', (size_t)(lx->end - p - 1));
            const char *ce = q ? q : lx->end;
            uint32_t i = part_open(&b, SH_P_SQUOTE, false, p);
            put_text(&b, p + 1, (size_t)(ce - p - 1));
            lx->p = q ? q + 1 : lx->end;
            part_close(&b, i, lx->p);
            b.flags |= SH_W_QUOTED | (q ? 0 : SH_W_ERROR);
            continue;
        }
        case '"': lex_dquote(P, &b); continue;
        case '$': lex_dollar(P, &b, false); continue;
        case '`': lex_backtick(P, &b, false); continue;
        default: lex_literal(P, &b); continue;
        }
    }
    if (lx->p == b.start) { /* never loop: take one byte */
        uint32_t i = lit_part(&b, SH_P_LIT, false, lx->p);
        put_text(&b, lx->p, 1);
        lx->p++;
        part_close(&b, i, lx->p);
    }
    finish_word(P, &b, w);
}

/* An operator read as a word inside [[ ]]. */
static void op_word(parser *P, sh_word *w, size_t n)
{
    lexer *lx = P->lx;
    wb b = {P, P->parts.n, P->segs.n, P->val.n, 0, lx->p, true};
    uint32_t i = part_open(&b, SH_P_LIT, false, lx->p);
    put_text(&b, lx->p, n);
    lx->p += n;
    part_close(&b, i, lx->p);
    finish_word(P, &b, w);
}

/* ---- heredoc bodies ----------------------------------------------------- */

/* After a newline: the bodies of the heredocs opened on the line, in order. */
static void read_bodies(parser *P)
{
    lexer *lx = P->lx;
    for (uint32_t k = 0; k < lx->pending.n; k++) {
        sh_heredoc *h = lx->pending.v[k];
        const char *body = lx->p;
        for (;;) {
            if (lx->p >= lx->end) { h->unterminated = true; h->body = dw_str_make(body, (size_t)(lx->end - body)); break; }
            const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
            const char *le = nl ? nl : lx->end, *ls = lx->p;
            if (h->strip_tabs) while (ls < le && *ls == '\t') ls++;
            const char *te = le;
            if (te > ls && te[-1] == '\r') te--;
            if ((size_t)(te - ls) == h->delim.len && memcmp(ls, h->delim.ptr, h->delim.len) == 0) {
                h->body = dw_str_make(body, (size_t)(lx->p - body));
                lx->p = nl ? nl + 1 : lx->end;
                break;
            }
            lx->p = nl ? nl + 1 : lx->end;
        }
        h->found = true;
        h->map = lx->map;
        h->body_span = sh_map_span(lx->map, h->body.ptr, h->body.len);
        if (h->unterminated && P->script) P->script->nerrors++;
    }
    lx->pending.n = 0;
}

/* At the end of the text: heredocs still waiting take the Dockerfile's
 * bodies, in order (by name when the order disagrees). */
static void bind_external(parser *P)
{
    lexer *lx = P->lx;
    for (uint32_t k = 0; k < lx->pending.n; k++) {
        sh_heredoc *h = lx->pending.v[k];
        const dw_heredoc *d = NULL;
        for (uint32_t j = lx->next_ext; j < lx->n_ext && !d; j++)
            if (dw_str_eq(lx->ext[j].name, h->delim)) { d = &lx->ext[j]; lx->next_ext = j + 1; }
        if (!d && lx->next_ext < lx->n_ext) d = &lx->ext[lx->next_ext++];
        if (!d) {
            h->unterminated = true;
            h->body = dw_str_make(lx->end, 0);
            h->map = lx->map;
            h->body_span = sh_map_span(lx->map, lx->end, 0);
            if (P->script) P->script->nerrors++;
            continue;
        }
        h->found = h->external = true;
        h->body = d->content;
        h->body_span = d->body_span;
        h->unterminated = d->end_span.start == d->end_span.end;
        h->map = sh_map_file(P->a, d->content.ptr, (uint32_t)d->content.len, d->body_span.start);
    }
    lx->pending.n = 0;
}

/* ---- tokens -------------------------------------------------------------- */

static void redir_tok(lexer *lx, token *t, sh_redir_kind rk, size_t n)
{
    t->kind = TK_REDIR;
    t->rk = rk;
    lx->p += n;
}

static void op_tok(lexer *lx, token *t, tok_kind k, size_t n)
{
    t->kind = k;
    lx->p += n;
}

/* Reads a redirection operator at the lexer's position; false if none. */
static bool lex_redir_op(lexer *lx, token *t)
{
    const char *p = lx->p, *end = lx->end;
    char c = *p, n = p + 1 < end ? p[1] : 0, n2 = p + 2 < end ? p[2] : 0;
    if (c == '<') {
        if (n == '<' && n2 == '<') redir_tok(lx, t, SH_R_HERESTRING, 3);
        else if (n == '<' && n2 == '-') { redir_tok(lx, t, SH_R_HEREDOC, 3); t->strip = true; }
        else if (n == '<') redir_tok(lx, t, SH_R_HEREDOC, 2);
        else if (n == '&') redir_tok(lx, t, SH_R_DUP_IN, 2);
        else if (n == '>') redir_tok(lx, t, SH_R_RDWR, 2);
        else redir_tok(lx, t, SH_R_IN, 1);
        return true;
    }
    if (c == '>') {
        if (n == '>') redir_tok(lx, t, SH_R_APPEND, 2);
        else if (n == '&') redir_tok(lx, t, SH_R_DUP_OUT, 2);
        else if (n == '|') redir_tok(lx, t, SH_R_CLOBBER, 2);
        else redir_tok(lx, t, SH_R_OUT, 1);
        return true;
    }
    return false;
}

static void lex_token(parser *P, token *t)
{
    lexer *lx = P->lx;
    memset(t, 0, sizeof *t);
    t->fd = -1;
    for (;;) {
        while (lx->p < lx->end) {
            char c = *lx->p;
            if (is_blank(c)) lx->p++;
            else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') lx->p += 2;
            else break;
        }
        if (lx->p < lx->end && *lx->p == '#') { /* a comment, up to the newline */
            const char *nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
            lx->p = nl ? nl : lx->end;
            continue;
        }
        break;
    }
    t->start = lx->p;
    const char *p = lx->p, *end = lx->end;
    if (p >= end) {
        if (lx->pending.n) bind_external(P);
        t->kind = TK_EOF;
        t->end = p;
        return;
    }
    char c = *p, n = p + 1 < end ? p[1] : 0, n2 = p + 2 < end ? p[2] : 0;
    if (c == '\n') {
        lx->p++;
        t->kind = TK_NEWLINE;
        t->end = lx->p;
        if (lx->pending.n) read_bodies(P);
        return;
    }
    if (lx->cond && (c == '&' || c == '|' || c == '<' || c == '>' || c == '(' || c == ')')) {
        t->kind = TK_WORD;
        op_word(P, &t->word, (c == '&' || c == '|') && n == c ? 2 : 1);
        t->end = lx->p;
        return;
    }
    switch (c) {
    case ';':
        if (n == ';') op_tok(lx, t, n2 == '&' ? TK_DSEMI_AMP : TK_DSEMI, n2 == '&' ? 3 : 2);
        else if (n == '&') op_tok(lx, t, TK_SEMI_AMP, 2);
        else op_tok(lx, t, TK_SEMI, 1);
        break;
    case '&':
        if (n == '&') op_tok(lx, t, TK_AND, 2);
        else if (n == '>' && n2 == '>') redir_tok(lx, t, SH_R_APPEND_ERR, 3);
        else if (n == '>') redir_tok(lx, t, SH_R_OUT_ERR, 2);
        else op_tok(lx, t, TK_AMP, 1);
        break;
    case '|':
        if (n == '|') op_tok(lx, t, TK_OR, 2);
        else if (n == '&') op_tok(lx, t, TK_PIPE_ERR, 2);
        else op_tok(lx, t, TK_PIPE, 1);
        break;
    case '(': op_tok(lx, t, TK_LPAREN, 1); break;
    case ')': op_tok(lx, t, TK_RPAREN, 1); break;
    case '<': case '>':
        if (n == '(') { t->kind = TK_WORD; lex_word(P, &t->word); break; }
        lex_redir_op(lx, t);
        break;
    default:
        if (c >= '0' && c <= '9') { /* an IO number: digits right before < or > */
            const char *q = p;
            while (q < end && *q >= '0' && *q <= '9') q++;
            if (q < end && (*q == '<' || *q == '>') && !(q + 1 < end && q[1] == '(') && q - p <= 4) {
                int fd = 0;
                for (const char *d = p; d < q; d++) fd = fd * 10 + (*d - '0');
                lx->p = q;
                lex_redir_op(lx, t);
                t->fd = fd;
                break;
            }
        }
        t->kind = TK_WORD;
        lex_word(P, &t->word);
        break;
    }
    t->end = lx->p;
}

const token *sh_peek(parser *P)
{
    lexer *lx = P->lx;
    if (!lx->peeked) {
        token t;
        lex_token(P, &t); /* may parse $(…) bodies, which use lx->tok themselves */
        lx->tok = t;
        lx->peeked = true;
    }
    return &lx->tok;
}

token sh_next(parser *P)
{
    const token *t = sh_peek(P);
    P->lx->peeked = false;
    P->last_end = t->end;
    return *t;
}
