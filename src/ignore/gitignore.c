/* gitignore.c — .gitignore patterns: parsing as git's dir.c does and
 * matching as its wildmatch does with WM_PATHNAME.
 *
 * A pattern is compiled once into tokens; matching runs the tokens over the
 * path as a row-by-row table (token × text position), so it takes
 * O(tokens × length) time whatever the pattern: `*a*a*a*b` style patterns
 * that make backtracking matchers exponential cost nothing special here. */
#include "gitignore.h"

#include <ctype.h>

typedef enum {
    T_LIT,       /* one byte */
    T_ANY,       /* ?  : one byte, not '/' */
    T_CLASS,     /* [..]: one byte in the set, not '/' */
    T_STAR,      /* *  : any run without '/' */
    T_GLOBSTAR,  /* ** at an end, after '/' or the start: anything */
    T_GSLASH     /* **\/ : nothing, or anything ending with '/' */
} tok_kind;

typedef struct {
    tok_kind kind;
    unsigned char c;
    const uint8_t *set; /* T_CLASS: 256-bit map */
} tok;

struct dw_ignore_pat {
    tok *t;
    uint32_t nt;
    bool negate;     /* !pattern */
    bool dir_only;   /* pattern/ */
    bool basename;   /* no '/' inside: matches the last component at any depth */
    bool never;      /* malformed (unclosed [, trailing \): matches nothing, as in git */
};

/* ---- compiling ---- */

static void set_bit(uint8_t *set, unsigned c) { set[c >> 3] |= (uint8_t)(1u << (c & 7)); }
static bool has_bit(const uint8_t *set, unsigned c) { return set[c >> 3] & (1u << (c & 7)); }

/* [:name:] inside a class; returns false for an unknown name. */
static bool named_class(uint8_t *set, const char *name, size_t n)
{
    static const struct { const char *name; int (*fn)(int); } classes[] = {
        {"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
        {"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
        {"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
    };
    for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
        if (strlen(classes[i].name) != n || memcmp(classes[i].name, name, n) != 0) continue;
        for (unsigned c = 0; c < 128; c++) /* the C locale, as git uses */
            if (classes[i].fn((int)c)) set_bit(set, c);
        return true;
    }
    return false;
}

/* Parses a class starting after '['. Returns the index after ']', or 0
 * when the class is not closed (git's wildmatch then matches nothing). */
static size_t parse_class(dw_arena *a, const char *p, size_t n, size_t i, tok *out)
{
    uint8_t *set = DW_NEW(a, uint8_t, 32);
    bool neg = false;
    if (i < n && (p[i] == '!' || p[i] == '^')) { neg = true; i++; }
    bool first = true;
    int prev = -1; /* last single byte added, for ranges */
    while (i < n) {
        unsigned char ch = (unsigned char)p[i];
        if (ch == ']' && !first) {
            if (neg)
                for (int k = 0; k < 32; k++) set[k] = (uint8_t)~set[k];
            out->kind = T_CLASS;
            out->set = set;
            return i + 1;
        }
        first = false;
        if (ch == '\\') {
            if (++i >= n) return 0;
            ch = (unsigned char)p[i];
            set_bit(set, ch);
            prev = ch;
            i++;
            continue;
        }
        if (ch == '[' && i + 1 < n && p[i + 1] == ':') {
            size_t e = i + 2;
            while (e + 1 < n && !(p[e] == ':' && p[e + 1] == ']')) e++;
            if (e + 1 < n) {
                if (!named_class(set, p + i + 2, e - i - 2)) return 0; /* git: malformed */
                i = e + 2;
                prev = -1;
                continue;
            }
        }
        if (ch == '-' && prev >= 0 && i + 1 < n && p[i + 1] != ']') {
            unsigned char hi = (unsigned char)p[i + 1];
            size_t adv = 2;
            if (hi == '\\') {
                if (i + 2 >= n) return 0;
                hi = (unsigned char)p[i + 2];
                adv = 3;
            }
            for (unsigned c = (unsigned)prev; c <= hi; c++) set_bit(set, c);
            prev = -1;
            i += adv;
            continue;
        }
        set_bit(set, ch);
        prev = ch;
        i++;
    }
    return 0;
}

/* Compiles pattern p into tokens; false when it can never match. */
static bool compile(dw_arena *a, const char *p, size_t n, tok **out, uint32_t *nout)
{
    tok *t = DW_NEW(a, tok, n + 1);
    uint32_t nt = 0;
    size_t i = 0;
    while (i < n) {
        char ch = p[i];
        if (ch == '\\') {
            if (i + 1 >= n) return false; /* a trailing backslash: git matches nothing */
            t[nt].kind = T_LIT;
            t[nt++].c = (unsigned char)p[i + 1];
            i += 2;
        } else if (ch == '?') {
            t[nt++].kind = T_ANY;
            i++;
        } else if (ch == '[') {
            size_t e = parse_class(a, p, n, i + 1, &t[nt]);
            if (!e) return false;
            nt++;
            i = e;
        } else if (ch == '*') {
            size_t st = i;
            while (i < n && p[i] == '*') i++;
            bool after_sep = st == 0 || p[st - 1] == '/';
            bool before_sep = i == n || p[i] == '/' || (p[i] == '\\' && i + 1 < n && p[i + 1] == '/');
            if (i - st >= 2 && after_sep && before_sep) {
                if (i == n) {
                    t[nt++].kind = T_GLOBSTAR;
                } else {
                    t[nt++].kind = T_GSLASH;
                    i += p[i] == '\\' ? 2 : 1; /* the slash is part of the token */
                }
            } else if (!nt || t[nt - 1].kind != T_STAR) {
                t[nt++].kind = T_STAR; /* `a**b` is an ordinary star */
            }
        } else {
            t[nt].kind = T_LIT;
            t[nt++].c = (unsigned char)ch;
            i++;
        }
    }
    *out = t;
    *nout = nt;
    return true;
}

/* ---- matching ---- */

static bool run(const tok *t, uint32_t nt, const unsigned char *s, size_t n)
{
    bool stack_rows[2][257];
    bool *cur = stack_rows[0], *nxt = stack_rows[1], *heap = NULL;
    if (n > 256) {
        heap = dw_xmalloc(2 * (n + 1));
        cur = heap;
        nxt = heap + n + 1;
    }
    memset(cur, 0, n + 1);
    cur[0] = true;
    bool alive = true;
    for (uint32_t k = 0; k < nt && alive; k++) {
        const tok *tk = &t[k];
        alive = false;
        switch (tk->kind) {
        case T_LIT:
        case T_ANY:
        case T_CLASS:
            nxt[0] = false;
            for (size_t j = 0; j < n; j++) {
                bool ok = cur[j];
                if (ok) {
                    unsigned char ch = s[j];
                    if (tk->kind == T_LIT) ok = ch == tk->c;
                    else if (tk->kind == T_ANY) ok = ch != '/';
                    else ok = ch != '/' && has_bit(tk->set, ch);
                }
                nxt[j + 1] = ok;
                alive |= ok;
            }
            break;
        case T_STAR:
            nxt[0] = cur[0];
            alive = nxt[0];
            for (size_t j = 1; j <= n; j++) {
                nxt[j] = cur[j] || (nxt[j - 1] && s[j - 1] != '/');
                alive |= nxt[j];
            }
            break;
        case T_GLOBSTAR:
            nxt[0] = cur[0];
            alive = nxt[0];
            for (size_t j = 1; j <= n; j++) {
                nxt[j] = cur[j] || nxt[j - 1];
                alive |= nxt[j];
            }
            break;
        case T_GSLASH: {
            bool any = false;
            nxt[0] = cur[0];
            alive = nxt[0];
            for (size_t j = 1; j <= n; j++) {
                any |= cur[j - 1];
                nxt[j] = cur[j] || (s[j - 1] == '/' && any);
                alive |= nxt[j];
            }
            break;
        }
        }
        bool *tmp = cur;
        cur = nxt;
        nxt = tmp;
    }
    bool r = alive && cur[n];
    free(heap);
    return r;
}

bool dw_wildmatch(const char *pattern, size_t plen, const char *text, size_t tlen)
{
    dw_arena a;
    dw_arena_init(&a);
    tok *t;
    uint32_t nt;
    bool r = compile(&a, pattern, plen, &t, &nt) && run(t, nt, (const unsigned char *)text, tlen);
    dw_arena_free(&a);
    return r;
}

/* ---- lists ---- */

void dw_ignore_add(dw_arena *a, dw_ignore_list *l, const char *line, size_t len)
{
    if (!len || line[0] == '#') return;
    /* trailing spaces go unless escaped with a backslash */
    size_t end = 0;
    for (size_t i = 0; i < len;) {
        if (line[i] == ' ') { i++; continue; }
        if (line[i] == '\\' && i + 1 < len) i += 2;
        else i++;
        end = i;
    }
    len = end;
    dw_ignore_pat p;
    memset(&p, 0, sizeof p);
    if (len && line[0] == '!') {
        p.negate = true;
        line++;
        len--;
    }
    if (len && line[len - 1] == '/') {
        p.dir_only = true;
        len--;
    }
    if (!len) return;
    p.basename = memchr(line, '/', len) == NULL;
    if (line[0] == '/') { /* anchored: the leading slash only says so */
        line++;
        len--;
    }
    p.never = !compile(a, line, len, &p.t, &p.nt);
    if (l->n == l->cap) l->v = dw_vec_grow(a, l->v, &l->cap, l->n + 1, sizeof *l->v);
    l->v[l->n++] = p;
}

void dw_ignore_add_text(dw_arena *a, dw_ignore_list *l, const char *text, size_t len)
{
    size_t i = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) i = 3;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t le = e;
        if (le > i && text[le - 1] == '\r') le--;
        dw_ignore_add(a, l, text + i, le - i);
        i = e + 1;
    }
}

dw_ignore_verdict dw_ignore_match(const dw_ignore_list *l, const char *path, size_t len, bool is_dir)
{
    const char *slash = NULL;
    for (size_t i = len; i > 0; i--)
        if (path[i - 1] == '/') { slash = path + i - 1; break; }
    const char *base = slash ? slash + 1 : path;
    size_t blen = len - (size_t)(base - path);
    for (uint32_t i = l->n; i > 0; i--) {
        const dw_ignore_pat *p = &l->v[i - 1];
        if (p->never || (p->dir_only && !is_dir)) continue;
        bool m = p->basename ? run(p->t, p->nt, (const unsigned char *)base, blen)
                             : run(p->t, p->nt, (const unsigned char *)path, len);
        if (m) return p->negate ? DW_IGN_INCLUDE : DW_IGN_EXCLUDE;
    }
    return DW_IGN_NONE;
}
