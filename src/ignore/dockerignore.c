/* dockerignore.c — .dockerignore read, compiled and matched as BuildKit does
 * (see dockerignore.h for the pipeline and the deviations).
 *
 * patternmatcher turns a pattern that is not exact, a prefix or a suffix
 * into a Go regular expression by rewriting it character by character, and
 * Go's regexp gives that expression its meaning: `\d` becomes a digit class,
 * `[[:alpha:]]` a POSIX class, `^` an anchor. So this file does the same two
 * steps: it derives the very expression patternmatcher derives (derive), then
 * parses it with Go's regexp/syntax rules for every construct that
 * expression can contain (rx_*), into a Thompson NFA run in lock-step over
 * the path (prog_run): time O(path × pattern), never exponential, whatever
 * the pattern (`a*a*a*a*…b` included). */
#include "dockerignore.h"

#include <sys/stat.h>

/* ------------------------------------------------------------------------ */
/* Go's filepath.Clean                                                       */

size_t dw_go_clean(const char *p, size_t n, char *out)
{
    if (n == 0) { out[0] = '.'; return 1; }
    bool rooted = p[0] == '/';
    size_t r = 0, w = 0, dotdot = 0;
    if (rooted) { out[w++] = '/'; r = dotdot = 1; }
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;                                   /* a "." element */
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;                                /* ".." removes the last element */
            if (w > dotdot) {
                w--;
                while (w > dotdot && out[w] != '/') w--;
            } else if (!rooted) {                  /* nothing to remove: keep ".." */
                if (w > 0) out[w++] = '/';
                out[w++] = '.';
                out[w++] = '.';
                dotdot = w;
            }
        } else {
            if ((rooted && w != 1) || (!rooted && w != 0)) out[w++] = '/';
            while (r < n && p[r] != '/') out[w++] = p[r++];
        }
    }
    if (w == 0) out[w++] = '.';
    return w;
}

/* ------------------------------------------------------------------------ */
/* The syntax check of Go's filepath.Match, which patternmatcher.New runs.    */
/* Newer Go checks the whole pattern, chunk by chunk (a chunk runs to the    */
/* next '*' outside a class), even past the first mismatch; so do we.        */

/* One class character (getEsc): not '-' or ']' unescaped, valid UTF-8, and
 * never the end of the pattern (the class must still be closed). */
static const char *glob_class_char(const char *p, const char *end, bool range_end, const char **why)
{
    if (p == end) { *why = "unterminated character class"; return NULL; }
    if (*p == '-' || *p == ']') {
        *why = range_end ? "character range without an end (write \\- for a literal '-')"
             : *p == '-' ? "unescaped '-' in a character class (write \\-)"
                         : "empty character class (write \\] for a literal ']')";
        return NULL;
    }
    if (*p == '\\' && ++p == end) { *why = "unterminated character class"; return NULL; }
    int w;
    if (dw_utf8_decode(p, (size_t)(end - p), &w) == 0xFFFD && w == 1) {
        *why = "invalid UTF-8 in a character class";
        return NULL;
    }
    p += w;
    if (p == end) { *why = "unterminated character class"; return NULL; }
    return p;
}

static bool glob_chunk_ok(const char *p, const char *end, const char **why)
{
    while (p < end) {
        if (*p == '[') {
            p++;
            if (p < end && *p == '^') p++;
            for (int nrange = 0;; nrange++) {
                if (p < end && *p == ']' && nrange > 0) { p++; break; }
                if (!(p = glob_class_char(p, end, false, why))) return false;
                if (*p == '-' && !(p = glob_class_char(p + 1, end, true, why))) return false;
            }
        } else if (*p == '\\') {
            if (++p == end) { *why = "trailing backslash"; return false; }
            p++;
        } else {
            p++;
        }
    }
    return true;
}

static bool glob_ok(const char *p, size_t n, const char **why)
{
    const char *end = p + n;
    while (p < end) {
        while (p < end && *p == '*') p++;
        const char *c = p;
        bool inrange = false;
        for (; c < end; c++) {
            if (*c == '\\') { if (c + 1 < end) c++; }
            else if (*c == '[') inrange = true;
            else if (*c == ']') inrange = false;
            else if (*c == '*' && !inrange) break;
        }
        if (!glob_chunk_ok(p, c, why)) return false;
        p = c;
    }
    return true;
}

/* ------------------------------------------------------------------------ */
/* The regular expression patternmatcher derives (Pattern.compile).          */

static void put_rune(dw_buf *b, uint32_t r)
{
    char u[4];
    dw_buf_put(b, u, (size_t)dw_utf8_encode(r, u));
}

/* Appends "^…" to `re` and returns the kind. The pattern is read rune by
 * rune as text/scanner reads it: invalid UTF-8 becomes U+FFFD, a leading
 * BOM is dropped. `i` counts the loop's iterations, so "**" counts as the
 * first thing only at the very start: then the kind is a suffix, unless a
 * later wildcard makes it a regular expression. */
static dw_di_kind derive(const char *p, size_t n, dw_buf *re)
{
    dw_buf_putc(re, '^');
    dw_di_kind kind = DW_DI_EXACT;
    size_t pos = 0;
    int w;
    if (dw_utf8_decode(p, n, &w) == 0xFEFF) pos = (size_t)w;
    for (unsigned i = 0; pos < n; i++) {
        uint32_t ch = dw_utf8_decode(p + pos, n - pos, &w);
        pos += (size_t)w;
        if (ch == '*') {
            if (pos < n && p[pos] == '*') {
                pos++;
                if (pos < n && p[pos] == '/') pos++;  /* a slash after "**" is absorbed */
                if (pos == n) {
                    if (kind == DW_DI_EXACT) kind = DW_DI_PREFIX;
                    else { dw_buf_puts(re, ".*"); kind = DW_DI_REGEXP; }
                } else {
                    dw_buf_puts(re, "(.*/)?");         /* zero or more directories */
                    kind = DW_DI_REGEXP;
                }
                if (i == 0) kind = DW_DI_SUFFIX;
            } else {
                dw_buf_puts(re, "[^/]*");
                kind = DW_DI_REGEXP;
            }
        } else if (ch == '?') {
            dw_buf_puts(re, "[^/]");
            kind = DW_DI_REGEXP;
        } else if (ch && ch < 0x80 && strchr(".+()$", (int)ch)) {
            /* meant: . + ( ) | { } $; see rx_parse for the three that slip through */
            dw_buf_putc(re, '\\');
            dw_buf_putc(re, (char)ch);
        } else if (ch == '\\') {
            /* the next rune goes to the regexp escaped, whatever it is */
            dw_buf_putc(re, '\\');
            if (pos < n) {
                put_rune(re, dw_utf8_decode(p + pos, n - pos, &w));
                pos += (size_t)w;
                kind = DW_DI_REGEXP;
            }
        } else if (ch == '[' || ch == ']') {
            dw_buf_putc(re, (char)ch);
            kind = DW_DI_REGEXP;
        } else {
            put_rune(re, ch);
        }
    }
    return kind;
}

/* ------------------------------------------------------------------------ */
/* Go's regexp/syntax, for the expressions derive() produces, compiled to a  */
/* Thompson NFA. Flags are regexp.Compile's (Perl): `.` does not match '\n', */
/* negated classes do, `^`/`$` anchor the whole text. Jumps are relative so  */
/* a repetition can be wrapped around code already emitted.                  */

enum { OP_RUNE, OP_CLASS, OP_ANY, OP_SPLIT, OP_JMP, OP_BEGIN, OP_END, OP_WORDB, OP_NWORDB, OP_MATCH };

typedef struct {
    uint8_t op;
    int32_t x, y; /* RUNE: x rune; CLASS: x first range, y count; SPLIT: x, y; JMP: x */
} inst;

typedef struct { uint32_t lo, hi; } rrange;

struct dw_di_prog {
    const inst *code;
    uint32_t n;
    const rrange *ranges; /* of every class, each class's sorted and disjoint */
};

typedef struct {
    const char *s, *end;                 /* the expression */
    struct { inst *v; uint32_t n, cap; } code;
    struct { rrange *v; uint32_t n, cap; } ranges; /* every class, concatenated */
    struct { rrange *v; uint32_t n, cap; } cls;    /* the class being built */
    const char *err;                     /* Go's error code text */
    dw_str err_expr;                     /* the offending part */
} rx;

static bool rx_fail(rx *x, const char *err, const char *at, size_t len)
{
    if (!x->err) { x->err = err; x->err_expr = dw_str_make(at, len); }
    return false;
}

static void rx_emit(rx *x, uint8_t op, int32_t a, int32_t b)
{
    inst i = {op, a, b};
    DW_SVEC_PUSH(x->code, i);
}

/* Makes room for k instructions at `at` (only the last atom moves). */
static void rx_insert(rx *x, uint32_t at, uint32_t k)
{
    inst blank = {0, 0, 0};
    for (uint32_t i = 0; i < k; i++) DW_SVEC_PUSH(x->code, blank);
    memmove(x->code.v + at + k, x->code.v + at, (x->code.n - k - at) * sizeof *x->code.v);
}

static void cls_add(rx *x, uint32_t lo, uint32_t hi)
{
    rrange r = {lo, hi};
    DW_SVEC_PUSH(x->cls, r);
}

static int rrange_cmp(const void *a, const void *b)
{
    const rrange *p = a, *q = b;
    return p->lo < q->lo ? -1 : p->lo > q->lo;
}

/* Sorts and merges the class being built, complements it when negated,
 * and emits it. */
static void cls_emit(rx *x, bool negate)
{
    rrange *v = x->cls.v;
    uint32_t n = x->cls.n, m = 0;
    if (n > 1) qsort(v, n, sizeof *v, rrange_cmp);
    for (uint32_t i = 0; i < n; i++) {
        if (m && v[i].lo <= v[m - 1].hi + 1) {
            if (v[i].hi > v[m - 1].hi) v[m - 1].hi = v[i].hi;
        } else {
            v[m++] = v[i];
        }
    }
    uint32_t first = x->ranges.n;
    if (!negate) {
        for (uint32_t i = 0; i < m; i++) DW_SVEC_PUSH(x->ranges, v[i]);
    } else {
        uint32_t next = 0;
        for (uint32_t i = 0; i < m; i++) {
            if (v[i].lo > next) { rrange r = {next, v[i].lo - 1}; DW_SVEC_PUSH(x->ranges, r); }
            next = v[i].hi + 1;
        }
        if (next <= 0x10FFFF) { rrange r = {next, 0x10FFFF}; DW_SVEC_PUSH(x->ranges, r); }
    }
    rx_emit(x, OP_CLASS, (int32_t)first, (int32_t)(x->ranges.n - first));
    x->cls.n = 0;
}

static void cls_add_table(rx *x, const uint32_t *t, size_t n, bool negate)
{
    if (!negate) {
        for (size_t i = 0; i < n; i += 2) cls_add(x, t[i], t[i + 1]);
        return;
    }
    uint32_t next = 0; /* tables are sorted */
    for (size_t i = 0; i < n; i += 2) {
        if (t[i] > next) cls_add(x, next, t[i] - 1);
        next = t[i + 1] + 1;
    }
    if (next <= 0x10FFFF) cls_add(x, next, 0x10FFFF);
}

#define TAB(...) { sizeof((const uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t), (const uint32_t[]){__VA_ARGS__} }
typedef struct { size_t n; const uint32_t *r; } rtab;

/* Perl classes \d \s \w (ASCII, as in Go). */
static const rtab perl_d = TAB('0', '9');
static const rtab perl_s = TAB('\t', '\n', '\f', '\r', ' ', ' ');
static const rtab perl_w = TAB('0', '9', 'A', 'Z', '_', '_', 'a', 'z');

/* POSIX classes, valid inside brackets only: "[:alpha:]", "[:^alpha:]". */
static const struct { const char *name; rtab t; } posix_classes[] = {
    {"alnum", TAB('0', '9', 'A', 'Z', 'a', 'z')},
    {"alpha", TAB('A', 'Z', 'a', 'z')},
    {"ascii", TAB(0, 0x7F)},
    {"blank", TAB('\t', '\t', ' ', ' ')},
    {"cntrl", TAB(0, 0x1F, 0x7F, 0x7F)},
    {"digit", TAB('0', '9')},
    {"graph", TAB('!', '~')},
    {"lower", TAB('a', 'z')},
    {"print", TAB(' ', '~')},
    {"punct", TAB('!', '/', ':', '@', '[', '`', '{', '~')},
    {"space", TAB('\t', '\r', ' ', ' ')},
    {"upper", TAB('A', 'Z')},
    {"word", TAB('0', '9', 'A', 'Z', '_', '_', 'a', 'z')},
    {"xdigit", TAB('0', '9', 'A', 'F', 'a', 'f')},
};

/* Unicode general categories with one-letter names (\pL). Exact below
 * U+0100 and for U+FFFD (a symbol: what an invalid byte in a file name
 * decodes to); every other code point counts as a letter (dockerignore.h). */
static const struct { char name; rtab t; } unicode_cats[] = {
    {'C', TAB(0x00, 0x1F, 0x7F, 0x9F, 0xAD, 0xAD)},
    {'L', TAB(0x41, 0x5A, 0x61, 0x7A, 0xAA, 0xAA, 0xB5, 0xB5, 0xBA, 0xBA, 0xC0, 0xD6, 0xD8, 0xF6, 0xF8, 0xFFFC,
              0xFFFE, 0x10FFFF)},
    {'M', {0, NULL}}, /* none below U+0100 */
    {'N', TAB(0x30, 0x39, 0xB2, 0xB3, 0xB9, 0xB9, 0xBC, 0xBE)},
    {'P', TAB(0x21, 0x23, 0x25, 0x2A, 0x2C, 0x2F, 0x3A, 0x3B, 0x3F, 0x40, 0x5B, 0x5D, 0x5F, 0x5F, 0x7B, 0x7B,
              0x7D, 0x7D, 0xA1, 0xA1, 0xA7, 0xA7, 0xAB, 0xAB, 0xB6, 0xB7, 0xBB, 0xBB, 0xBF, 0xBF)},
    {'S', TAB(0x24, 0x24, 0x2B, 0x2B, 0x3C, 0x3E, 0x5E, 0x5E, 0x60, 0x60, 0x7C, 0x7C, 0x7E, 0x7E, 0xA2, 0xA6,
              0xA8, 0xA9, 0xAC, 0xAC, 0xAE, 0xB1, 0xB4, 0xB4, 0xB8, 0xB8, 0xD7, 0xD7, 0xF7, 0xF7, 0xFFFD, 0xFFFD)},
    {'Z', TAB(0x20, 0x20, 0xA0, 0xA0)},
};

static int unhex(uint32_t c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

static bool is_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static uint32_t rx_rune(rx *x, const char **t)
{
    int w;
    uint32_t c = dw_utf8_decode(*t, (size_t)(x->end - *t), &w);
    *t += w;
    return c;
}

/* parseEscape: `\` then one character; *pp is at the backslash. Returns the
 * rune, or -1 after recording Go's error. */
static int32_t rx_escape(rx *x, const char **pp)
{
    const char *s = *pp, *t = s + 1;
    if (t == x->end) return rx_fail(x, "trailing backslash at end of expression", s, 1), -1;
    uint32_t c = rx_rune(x, &t);
    int32_t r = -1;
    if (c < 0x80 && !is_alnum(c)) {
        r = (int32_t)c;                    /* escaped punctuation is itself */
    } else if (c >= '0' && c <= '7') {
        /* octal, up to three digits; a lone \1-\7 is a backreference: error */
        if (c == '0' || (t < x->end && *t >= '0' && *t <= '7')) {
            r = (int32_t)(c - '0');
            for (int i = 1; i < 3 && t < x->end && *t >= '0' && *t <= '7'; i++) r = r * 8 + (*t++ - '0');
        }
    } else if (c == 'x' && t < x->end) {
        c = rx_rune(x, &t);
        if (c == '{') {
            int32_t v = 0, nhex = 0;
            for (;;) {
                if (t == x->end) { v = -1; break; }
                c = rx_rune(x, &t);
                if (c == '}') break;
                int h = unhex(c);
                if (h < 0 || (v = v * 16 + h) > 0x10FFFF) { v = -1; break; }
                nhex++;
            }
            if (v >= 0 && nhex > 0) r = v;
        } else {
            int hi = unhex(c), lo = t < x->end ? unhex(rx_rune(x, &t)) : -1;
            if (hi >= 0 && lo >= 0) r = hi * 16 + lo;
        }
    } else {
        switch (c) {
        case 'a': r = '\a'; break;
        case 'f': r = '\f'; break;
        case 'n': r = '\n'; break;
        case 'r': r = '\r'; break;
        case 't': r = '\t'; break;
        case 'v': r = '\v'; break;
        }
    }
    if (r < 0) return rx_fail(x, "invalid escape sequence", s, (size_t)(t - s)), -1;
    *pp = t;
    return r;
}

/* \d \D \s \S \w \W at *pp: adds the class and returns true. */
static bool rx_perl_class(rx *x, const char **pp)
{
    const char *t = *pp;
    if (x->end - t < 2 || t[0] != '\\') return false;
    const rtab *tab;
    switch (t[1]) {
    case 'd': case 'D': tab = &perl_d; break;
    case 's': case 'S': tab = &perl_s; break;
    case 'w': case 'W': tab = &perl_w; break;
    default: return false;
    }
    cls_add_table(x, tab->r, tab->n, t[1] == 'D' || t[1] == 'S' || t[1] == 'W');
    *pp = t + 2;
    return true;
}

/* \pX, \PX, \p{Name} at *pp. Returns 1 when added, 0 when not there, -1 on error. */
static int rx_unicode_class(rx *x, const char **pp)
{
    const char *s = *pp, *t;
    if (x->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P')) return 0;
    t = s + 2;
    bool neg = s[1] == 'P';
    const char *name, *name_end;
    if (t < x->end && *t == '{') {
        const char *close = memchr(t, '}', (size_t)(x->end - t));
        if (!close) return rx_fail(x, "invalid character class range", s, (size_t)(x->end - s)), -1;
        name = t + 1;
        name_end = close;
        t = close + 1;
    } else {
        name = t;
        if (t < x->end) rx_rune(x, &t);
        name_end = t;
    }
    if (name < name_end && *name == '^') { neg = !neg; name++; }
    size_t len = (size_t)(name_end - name);
    if (len == 3 && !memcmp(name, "Any", 3)) {
        if (!neg) cls_add(x, 0, 0x10FFFF);         /* \P{Any} adds nothing */
        *pp = t;
        return 1;
    }
    for (size_t i = 0; len == 1 && i < sizeof unicode_cats / sizeof *unicode_cats; i++) {
        if (unicode_cats[i].name == *name) {
            cls_add_table(x, unicode_cats[i].t.r, unicode_cats[i].t.n, neg);
            *pp = t;
            return 1;
        }
    }
    return rx_fail(x, "invalid character class range", s, (size_t)(t - s)), -1;
}

/* A class: *pp at '['. Go's parseClass with ClassNL set. */
static bool rx_class(rx *x, const char **pp)
{
    const char *s = *pp, *t = s + 1, *end = x->end;
    bool neg = false;
    if (t < end && *t == '^') { neg = true; t++; }
    x->cls.n = 0;
    for (bool first = true; t == end || *t != ']' || first; first = false) {
        if (end - t > 2 && t[0] == '[' && t[1] == ':') {
            /* "[:name:]": Go looks for the closing ":]" anywhere further on */
            const char *q = t + 2;
            while (q + 1 < end && !(q[0] == ':' && q[1] == ']')) q++;
            if (q + 1 < end) {
                const char *nm = t + 2;
                bool pneg = *nm == '^';
                if (pneg) nm++;
                size_t nlen = (size_t)(q - nm);
                size_t i = 0, nposix = sizeof posix_classes / sizeof *posix_classes;
                while (i < nposix && !(strlen(posix_classes[i].name) == nlen && !memcmp(posix_classes[i].name, nm, nlen))) i++;
                if (i == nposix) return rx_fail(x, "invalid character class range", t, (size_t)(q + 2 - t));
                cls_add_table(x, posix_classes[i].t.r, posix_classes[i].t.n, pneg);
                t = q + 2;
                continue;
            }
        }
        int u = rx_unicode_class(x, &t);
        if (u < 0) return false;
        if (u > 0 || rx_perl_class(x, &t)) continue;
        const char *rng = t;
        int32_t lo, hi;
        if (t == end) return rx_fail(x, "missing closing ]", s, (size_t)(end - s));
        if (*t == '\\') { if ((lo = rx_escape(x, &t)) < 0) return false; }
        else lo = (int32_t)rx_rune(x, &t);
        hi = lo;
        if (end - t >= 2 && t[0] == '-' && t[1] != ']') {  /* [a-] is 'a' or '-' */
            t++;
            if (t == end) return rx_fail(x, "missing closing ]", s, (size_t)(end - s));
            if (*t == '\\') { if ((hi = rx_escape(x, &t)) < 0) return false; }
            else hi = (int32_t)rx_rune(x, &t);
            if (hi < lo) return rx_fail(x, "invalid character class range", rng, (size_t)(t - rng));
        }
        cls_add(x, (uint32_t)lo, (uint32_t)hi);
    }
    cls_emit(x, neg);
    *pp = t + 1;
    return true;
}

/* Go's limit on a compiled program (regexp/syntax maxSize); ours counts
 * our own instructions, so the threshold is approximate. */
#define RX_MAX_INSTS ((128u << 20) / 40u)

/* x{min,max} (max -1: no bound) of the atom [s, code.n). */
static bool rx_counted(rx *x, uint32_t s, int min, int max, const char *at, size_t len)
{
    uint32_t l = x->code.n - s, copies = (uint32_t)(max < 0 ? min + 1 : max);
    if ((uint64_t)l * copies + 2 * copies + s > RX_MAX_INSTS)
        return rx_fail(x, "expression too large", at, len);
    inst *atom = dw_xmalloc(sizeof *atom * (l ? l : 1));
    memcpy(atom, x->code.v + s, sizeof *atom * l);
    x->code.n = s;
    for (int i = 0; i < min; i++)
        for (uint32_t k = 0; k < l; k++) DW_SVEC_PUSH(x->code, atom[k]);
    if (max < 0) {                           /* then atom* */
        uint32_t b = x->code.n;
        rx_emit(x, OP_SPLIT, 1, (int32_t)l + 2);
        for (uint32_t k = 0; k < l; k++) DW_SVEC_PUSH(x->code, atom[k]);
        rx_emit(x, OP_JMP, -(int32_t)(x->code.n - b), 0);
    } else {                                 /* then (max-min) × atom? */
        for (int i = min; i < max; i++) {
            rx_emit(x, OP_SPLIT, 1, (int32_t)l + 1);
            for (uint32_t k = 0; k < l; k++) DW_SVEC_PUSH(x->code, atom[k]);
        }
    }
    free(atom);
    return true;
}

/* Go's parseInt: digits, no leading zero, -1 when too big. */
static const char *rx_int(const char *t, const char *end, int *v)
{
    if (t == end || *t < '0' || *t > '9') return NULL;
    if (end - t >= 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9') return NULL;
    *v = 0;
    for (; t < end && *t >= '0' && *t <= '9'; t++)
        if (*v >= 0) *v = *v >= 100000000 ? -1 : *v * 10 + (*t - '0');
    return t;
}

/* Go's parseRepeat: "{n}", "{n,}", "{n,m}" at t; NULL when it is not one
 * (then '{' is a literal). */
static const char *rx_repeat_spec(const char *t, const char *end, int *min, int *max)
{
    if (!(t = rx_int(t + 1, end, min)) || t == end) return NULL;
    if (*t != ',') {
        *max = *min;
    } else {
        if (++t == end) return NULL;
        if (*t == '}') *max = -1;
        else if (!(t = rx_int(t, end, max))) return NULL;
        else if (*max < 0) *min = -1;
    }
    return t < end && *t == '}' ? t + 1 : NULL;
}

/* Parses the whole expression into x->code.
 *
 * patternmatcher means to escape . + ( ) | { } $, but its escape bitmap
 * keeps only the characters below '@' (a byte shifted by 15 is 0): '|',
 * '{' and '}' reach the regexp as they are. So a pattern can hold an
 * alternation ("a|b") or a counted repetition ("a{2}"); the groups are
 * always ours (the one "**" makes), since '(' is escaped.
 *
 * Alternatives are laid out as SPLIT → alt, next; alt; JMP → end. Each
 * frame (the whole expression, or a group) remembers where its current
 * alternative starts and the JMPs to patch when it closes. */
static bool rx_parse(rx *x)
{
    typedef struct { uint32_t start, alt, njmp; } frame;
    struct { frame *v; uint32_t n, cap; } fr = {0};
    struct { uint32_t *v; uint32_t n, cap; } jmps = {0};
    const char *t = x->s, *end = x->end;
    int64_t atom = -1;      /* start of the last atom, -1 when a repetition has nothing to repeat */
    const char *last_repeat = NULL; /* the previous token was this repetition operator */
    bool ok = false;
    frame top = {0, 0, 0};
    DW_SVEC_PUSH(fr, top);
    while (t < end) {
        uint32_t start = x->code.n;
        const char *was_repeat = last_repeat;
        last_repeat = NULL;
        switch (*t) {
        case '(': {
            if (t + 1 < end && t[1] == '?') { rx_fail(x, "invalid or unsupported Perl syntax", t, 2); goto out; }
            frame f = {start, start, jmps.n};
            DW_SVEC_PUSH(fr, f);
            atom = -1;
            t++;
            continue;
        }
        case '|': {
            frame *f = &fr.v[fr.n - 1];
            rx_insert(x, f->alt, 1);
            rx_emit(x, OP_JMP, 0, 0);               /* to the end, patched on close */
            x->code.v[f->alt] = (inst){OP_SPLIT, 1, (int32_t)(x->code.n - f->alt)};
            DW_SVEC_PUSH(jmps, x->code.n - 1);
            f->alt = x->code.n;
            atom = -1;
            t++;
            continue;
        }
        case ')': {
            if (fr.n == 1) { rx_fail(x, "unexpected )", x->s, (size_t)(end - x->s)); goto out; }
            frame f = fr.v[--fr.n];
            for (uint32_t k = f.njmp; k < jmps.n; k++) x->code.v[jmps.v[k]].x = (int32_t)(x->code.n - jmps.v[k]);
            jmps.n = f.njmp;
            atom = f.start;
            t++;
            continue;
        }
        case '*': case '+': case '?': case '{': {
            int min = 0, max = -1;
            const char *after = t + 1;
            if (*t == '{') {
                if (!(after = rx_repeat_spec(t, end, &min, &max))) {  /* a literal '{' */
                    rx_emit(x, OP_RUNE, '{', 0);
                    t++;
                    break;
                }
                if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max)) {
                    rx_fail(x, "invalid repeat count", t, (size_t)(after - t));
                    goto out;
                }
            }
            if (after < end && *after == '?') after++;  /* non-greedy: the same set of matches */
            if (was_repeat) { rx_fail(x, "invalid nested repetition operator", was_repeat, (size_t)(after - was_repeat)); goto out; }
            if (atom < 0) { rx_fail(x, "missing argument to repetition operator", t, (size_t)(after - t)); goto out; }
            uint32_t s = (uint32_t)atom, e = x->code.n;
            if (*t == '*') {
                rx_insert(x, s, 1);
                x->code.v[s] = (inst){OP_SPLIT, 1, (int32_t)(e + 2 - s)};
                rx_emit(x, OP_JMP, -(int32_t)(e + 1 - s), 0);
            } else if (*t == '+') {
                rx_emit(x, OP_SPLIT, -(int32_t)(e - s), 1);
            } else if (*t == '?') {
                rx_insert(x, s, 1);
                x->code.v[s] = (inst){OP_SPLIT, 1, (int32_t)(e + 1 - s)};
            } else if (!rx_counted(x, s, min, max, t, (size_t)(after - t))) {
                goto out;
            }
            last_repeat = t;
            t = after;
            continue;
        }
        case '^': rx_emit(x, OP_BEGIN, 0, 0); t++; break;
        case '$': rx_emit(x, OP_END, 0, 0); t++; break;
        case '.': rx_emit(x, OP_ANY, 0, 0); t++; break;
        case '[':
            if (!rx_class(x, &t)) goto out;
            break;
        case '\\': {
            char c = t + 1 < end ? t[1] : 0;
            if (c == 'A') { rx_emit(x, OP_BEGIN, 0, 0); t += 2; break; }
            if (c == 'z') { rx_emit(x, OP_END, 0, 0); t += 2; break; }
            if (c == 'b') { rx_emit(x, OP_WORDB, 0, 0); t += 2; break; }
            if (c == 'B') { rx_emit(x, OP_NWORDB, 0, 0); t += 2; break; }
            if (c == 'C') { rx_fail(x, "invalid escape sequence", t, 2); goto out; }
            if (c == 'Q') {
                /* \Q…\E: literal text up to \E or the end (the final "$" too) */
                const char *lit = t + 2, *q = lit;
                while (q + 1 < end && !(q[0] == '\\' && q[1] == 'E')) q++;
                const char *lend = q + 1 < end ? q : end;
                for (const char *r = lit; r < lend;) {
                    atom = x->code.n;
                    rx_emit(x, OP_RUNE, (int32_t)rx_rune(x, &r), 0);
                }
                t = lend + (lend < end ? 2 : 0);
                continue;
            }
            int u = rx_unicode_class(x, &t);
            if (u < 0) goto out;
            if (u > 0 || rx_perl_class(x, &t)) { cls_emit(x, false); break; }
            int32_t r = rx_escape(x, &t);
            if (r < 0) goto out;
            rx_emit(x, OP_RUNE, r, 0);
            break;
        }
        default:
            rx_emit(x, OP_RUNE, (int32_t)rx_rune(x, &t), 0);
            break;
        }
        atom = start;
        if (x->code.n > RX_MAX_INSTS) { rx_fail(x, "expression too large", x->s, (size_t)(end - x->s)); goto out; }
    }
    if (fr.n > 1) { rx_fail(x, "missing closing )", x->s, (size_t)(end - x->s)); goto out; }
    for (uint32_t k = 0; k < jmps.n; k++) x->code.v[jmps.v[k]].x = (int32_t)(x->code.n - jmps.v[k]);
    rx_emit(x, OP_MATCH, 0, 0);
    ok = true;
out:
    DW_SVEC_FREE(fr);
    DW_SVEC_FREE(jmps);
    return ok;
}

/* Compiles `re` into the arena; NULL with *err / *expr on a syntax error. */
static const dw_di_prog *rx_compile(dw_arena *a, const char *re, size_t len, const char **err, dw_str *expr)
{
    rx x;
    memset(&x, 0, sizeof x);
    x.s = re;
    x.end = re + len;
    dw_di_prog *g = NULL;
    if (rx_parse(&x)) {
        g = DW_NEW(a, dw_di_prog, 1);
        inst *code;
        DW_SVEC_COMMIT(a, x.code, code, g->n);
        g->code = code;
        uint32_t nr;
        rrange *rr;
        DW_SVEC_COMMIT(a, x.ranges, rr, nr);
        g->ranges = rr;
        (void)nr;
    } else {
        *err = x.err;
        *expr = dw_str_dup(a, x.err_expr);
    }
    DW_SVEC_FREE(x.code);
    DW_SVEC_FREE(x.ranges);
    DW_SVEC_FREE(x.cls);
    return g;
}

/* ------------------------------------------------------------------------ */
/* Running a program: all threads advance together over the runes of the    */
/* path (decoded as Go does: an invalid byte is U+FFFD). Regexp.MatchString  */
/* searches: a thread starts at every position unless the program begins    */
/* with `^` (it does, except after a '|'), and reaching MATCH anywhere is a  */
/* match (an alternative may lack the final `$`; an unclosed \Q eats it).    */

static bool is_word_byte(const char *s, size_t n, size_t at)
{
    if (at >= n) return false;
    unsigned char c = (unsigned char)s[at];
    return c == '_' || (c < 0x80 && is_alnum(c));
}

typedef struct {
    const dw_di_prog *g;
    const char *s;
    size_t n;
    uint32_t *mark, *stack, gen;
} vm;

/* Adds pc and what it reaches without consuming input, at offset `at`. */
static void vm_add(vm *m, uint32_t *list, uint32_t *count, uint32_t pc, size_t at)
{
    uint32_t sp = 0;
    if (m->mark[pc] == m->gen) return;
    m->mark[pc] = m->gen;
    m->stack[sp++] = pc;
    while (sp) {
        uint32_t p = m->stack[--sp], next[2];
        int nn = 0;
        const inst *in = &m->g->code[p];
        switch (in->op) {
        case OP_JMP: next[nn++] = p + (uint32_t)in->x; break;
        case OP_SPLIT: next[nn++] = p + (uint32_t)in->x; next[nn++] = p + (uint32_t)in->y; break;
        case OP_BEGIN: if (at == 0) next[nn++] = p + 1; break;
        case OP_END: if (at == m->n) next[nn++] = p + 1; break;
        case OP_WORDB:
        case OP_NWORDB: {
            bool b = (at > 0 && is_word_byte(m->s, m->n, at - 1)) != is_word_byte(m->s, m->n, at);
            if (b == (in->op == OP_WORDB)) next[nn++] = p + 1;
            break;
        }
        default: list[(*count)++] = p; break;
        }
        for (int k = 0; k < nn; k++) {
            if (m->mark[next[k]] != m->gen) {
                m->mark[next[k]] = m->gen;
                m->stack[sp++] = next[k];
            }
        }
    }
}

static bool class_has(const dw_di_prog *g, const inst *in, uint32_t r)
{
    const rrange *rg = g->ranges + in->x;
    uint32_t lo = 0, hi = (uint32_t)in->y;
    while (lo < hi) {   /* ranges are sorted and disjoint */
        uint32_t mid = (lo + hi) / 2;
        if (r < rg[mid].lo) hi = mid;
        else if (r > rg[mid].hi) lo = mid + 1;
        else return true;
    }
    return false;
}

static bool prog_run(const dw_di_prog *g, const char *s, size_t n)
{
    uint32_t local[4 * 128], *mem = g->n <= 128 ? local : dw_xmalloc(4 * sizeof *mem * (size_t)g->n);
    uint32_t *cur = mem, *nxt = mem + g->n;
    vm m = {g, s, n, mem + 2 * (size_t)g->n, mem + 3 * (size_t)g->n, 1};
    memset(m.mark, 0, sizeof *m.mark * g->n);
    bool anchored = g->code[0].op == OP_BEGIN, found = false;
    uint32_t ncur = 0, nnxt;
    vm_add(&m, cur, &ncur, 0, 0);
    for (size_t pos = 0;;) {
        for (uint32_t i = 0; i < ncur && !found; i++) found = g->code[cur[i]].op == OP_MATCH;
        if (found || pos == n || (anchored && ncur == 0)) break;
        int w;
        uint32_t r = dw_utf8_decode(s + pos, n - pos, &w);
        m.gen++;
        nnxt = 0;
        for (uint32_t i = 0; i < ncur; i++) {
            const inst *in = &g->code[cur[i]];
            bool ok = in->op == OP_RUNE ? r == (uint32_t)in->x
                    : in->op == OP_CLASS ? class_has(g, in, r)
                    : in->op == OP_ANY ? r != '\n' : false;
            if (ok) vm_add(&m, nxt, &nnxt, cur[i] + 1, pos + (size_t)w);
        }
        pos += (size_t)w;
        if (!anchored) vm_add(&m, nxt, &nnxt, 0, pos);
        uint32_t *tmp = cur; cur = nxt; nxt = tmp;
        ncur = nnxt;
    }
    if (mem != local) free(mem);
    return found;
}

/* ------------------------------------------------------------------------ */
/* Patterns: patternmatcher.New on each entry.                               */

typedef struct {
    dw_dockerignore *di;
    struct { dw_di_pattern *v; uint32_t n, cap; } pats;
    struct { dw_di_error *v; uint32_t n, cap; } errs;
    dw_buf re;
} builder;

static void add_error(builder *b, uint32_t pat, dw_span span, const char *msg, const char *detail, bool at_match)
{
    dw_di_error e = {pat, span, 0, 0, msg, detail, at_match};
    if (b->di->src) {
        dw_pos p = dw_linemap_pos(&b->di->lines, span.start);
        e.line = p.line;
        e.col = p.col;
    }
    if (pat != UINT32_MAX) b->pats.v[pat].error = (int32_t)b->errs.n;
    DW_SVEC_PUSH(b->errs, e);
}

/* Compiles the entry just pushed (its `text` is set). */
static void compile_last(builder *b)
{
    dw_arena *a = &b->di->arena;
    uint32_t idx = b->pats.n - 1;
    dw_di_pattern *pt = &b->pats.v[idx];
    dw_str p = dw_str_trim_space(pt->text);
    if (p.len == 0) { pt->kind = DW_DI_DROPPED; return; }
    char *c = dw_arena_alloc(a, p.len + 2);
    size_t n = dw_go_clean(p.ptr, p.len, c);
    if (c[0] == '!') {
        if (n == 1) {
            pt->kind = DW_DI_INVALID;
            add_error(b, idx, pt->span, "illegal exclusion pattern: \"!\"",
                      "a lone '!' names nothing to re-include", false);
            return;
        }
        pt->exception = true;
        c++;
        n--;
    }
    pt->pattern = dw_str_make(c, n);
    const char *why = NULL;
    if (!glob_ok(c, n, &why)) {
        pt->kind = DW_DI_INVALID;
        add_error(b, idx, pt->span, "syntax error in pattern", why, false);
        return;
    }
    b->re.n = 0;
    pt->kind = derive(c, n, &b->re);
    if (pt->kind != DW_DI_REGEXP) return;
    dw_buf_putc(&b->re, '$');
    const char *err = NULL;
    dw_str expr = {0};
    pt->prog = rx_compile(a, b->re.p, b->re.n, &err, &expr);
    if (!pt->prog)
        add_error(b, idx, pt->span, "syntax error in pattern",
                  dw_arena_printf(a, "the builder's regular expression for it is invalid (%s: `%.*s`) "
                                     "and the build fails when it is first used",
                                  err, (int)expr.len, expr.ptr),
                  true);
}

static dw_dockerignore *di_alloc(void)
{
    dw_dockerignore *di = dw_xmalloc(sizeof *di);
    memset(di, 0, sizeof *di);
    dw_arena_init(&di->arena);
    return di;
}

static void di_finish(builder *b)
{
    dw_dockerignore *di = b->di;
    DW_SVEC_COMMIT(&di->arena, b->pats, di->patterns, di->npatterns);
    DW_SVEC_COMMIT(&di->arena, b->errs, di->errors, di->nerrors);
    dw_buf_free(&b->re);
    for (uint32_t i = 0; i < di->npatterns; i++)
        if (di->patterns[i].exception && di->patterns[i].kind <= DW_DI_REGEXP) di->exceptions = true;
}

/* bufio.Scanner's limit: a line longer than this makes ReadAll fail. */
#define SCAN_MAX 65535u

/* ignorefile.ReadAll, keeping where each entry came from. */
static void read_all(builder *b)
{
    dw_dockerignore *di = b->di;
    dw_arena *a = &di->arena;
    const char *src = di->src, *end = src + di->len, *p = src;
    for (bool first = true; p < end; first = false) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end, *next = nl ? nl + 1 : end;
        if ((size_t)(le - p) > SCAN_MAX) {
            di->unreadable = true;
            dw_span sp = {(uint32_t)(p - src), (uint32_t)(le - src)};
            add_error(b, UINT32_MAX, sp, "bufio.Scanner: token too long",
                      "a line longer than 65535 bytes: BuildKit cannot read this file and the build fails",
                      false);
            p = next;
            continue;
        }
        if (le > p && le[-1] == '\r') le--;
        if (first && le - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) p += 3;
        const char *line = p;
        p = next;
        if (line < le && *line == '#') continue;      /* a comment only in column 1 */
        dw_str t = dw_str_trim_space(dw_str_make(line, (size_t)(le - line)));
        if (!t.len) continue;
        bool invert = t.ptr[0] == '!';
        dw_str body = invert ? dw_str_trim_space(dw_str_sub(t, 1, t.len)) : t;
        char *text = dw_arena_alloc(a, body.len + 3);
        size_t n = 0;
        if (invert) text[n++] = '!';
        if (body.len) {
            size_t m = dw_go_clean(body.ptr, body.len, text + n);
            if (m > 1 && text[n] == '/') { memmove(text + n, text + n + 1, m - 1); m--; }
            n += m;
        }
        text[n] = 0;
        dw_di_pattern pt;
        memset(&pt, 0, sizeof pt);
        pt.text = dw_str_make(text, n);
        pt.span = (dw_span){(uint32_t)(t.ptr - src), (uint32_t)(t.ptr + t.len - src)};
        pt.body = body.len ? (dw_span){(uint32_t)(body.ptr - src), (uint32_t)(body.ptr + body.len - src)}
                           : (dw_span){pt.span.end, pt.span.end};
        dw_pos pos = dw_linemap_pos(&di->lines, pt.span.start);
        pt.line = pos.line;
        pt.col = pos.col;
        pt.error = -1;
        DW_SVEC_PUSH(b->pats, pt);
        compile_last(b);
    }
}

dw_dockerignore *dw_dockerignore_parse(const char *path, const char *src, size_t len)
{
    if (len > UINT32_MAX - 1) len = UINT32_MAX - 1; /* spans are 32-bit; nobody has a 4 GiB ignore file */
    dw_dockerignore *di = di_alloc();
    di->path = path ? dw_arena_memdup(&di->arena, path, strlen(path)) : NULL;
    di->src = dw_arena_memdup(&di->arena, src, len);
    di->len = (uint32_t)len;
    dw_linemap_build(&di->lines, &di->arena, di->src, di->len);
    builder b;
    memset(&b, 0, sizeof b);
    b.di = di;
    read_all(&b);
    di_finish(&b);
    return di;
}

dw_dockerignore *dw_dockerignore_load(const char *path)
{
    size_t len;
    char *src = dw_read_file(path, &len);
    if (!src) return NULL;
    dw_dockerignore *di = dw_dockerignore_parse(path, src, len);
    free(src);
    return di;
}

dw_dockerignore *dw_dockerignore_new(const dw_str *patterns, uint32_t n)
{
    dw_dockerignore *di = di_alloc();
    builder b;
    memset(&b, 0, sizeof b);
    b.di = di;
    for (uint32_t i = 0; i < n; i++) {
        dw_di_pattern pt;
        memset(&pt, 0, sizeof pt);
        pt.text = dw_str_dup(&di->arena, patterns[i]);
        pt.error = -1;
        DW_SVEC_PUSH(b.pats, pt);
        compile_last(&b);
    }
    di_finish(&b);
    return di;
}

void dw_dockerignore_free(dw_dockerignore *di)
{
    if (!di) return;
    dw_arena_free(&di->arena);
    free(di);
}

const dw_di_error *dw_dockerignore_invalid(const dw_dockerignore *di, uint32_t *count)
{
    *count = di ? di->nerrors : 0;
    return di ? di->errors : NULL;
}

/* ------------------------------------------------------------------------ */
/* Matching                                                                  */

int dw_di_pattern_match(const dw_di_pattern *p, const char *s, size_t n)
{
    const char *q = p->pattern.ptr;
    size_t m = p->pattern.len;
    switch (p->kind) {
    case DW_DI_EXACT:
        return n == m && !memcmp(s, q, n);
    case DW_DI_PREFIX:   /* the pattern ends with "**" */
        return n >= m - 2 && !memcmp(s, q, m - 2);
    case DW_DI_SUFFIX:   /* the pattern starts with "**" (byte offsets, as upstream) */
        q += 2;
        m -= 2;
        if (n >= m && !memcmp(s + n - m, q, m)) return 1;
        return m > 0 && q[0] == '/' && n == m - 1 && !memcmp(s, q + 1, n);
    case DW_DI_REGEXP:
        return p->prog ? prog_run(p->prog, s, n) : DW_DI_ERROR;
    default:
        return DW_DI_ERROR;
    }
}

/* Does pattern p match one of the parent directories of `path`? Go takes
 * filepath.Dir(path) and tries each of its leading parts ("a", "a/b"). */
static bool parent_matches(const dw_di_pattern *p, const char *dir, size_t dlen)
{
    if (dlen == 1 && dir[0] == '.') return false;
    for (size_t j = 0; j <= dlen; j++)
        if ((j == dlen || dir[j] == '/') && dw_di_pattern_match(p, dir, j) == DW_DI_MATCH) return true;
    return false;
}

/* filepath.Dir into buf (or a malloc'd buffer stored in *heap). */
static const char *go_dir(const char *path, size_t len, char *buf, size_t cap, char **heap, size_t *dlen)
{
    size_t i = len;
    while (i > 0 && path[i - 1] != '/') i--;
    char *out = i + 1 <= cap ? buf : (*heap = dw_xmalloc(i + 1));
    *dlen = dw_go_clean(path, i, out);
    return out;
}

int dw_dockerignore_matches(const dw_dockerignore *di, const char *path, size_t len, uint32_t *decider)
{
    if (decider) *decider = UINT32_MAX;
    if (!di) return DW_DI_NOMATCH;
    char buf[512], *heap = NULL;
    size_t dlen;
    const char *dir = go_dir(path, len, buf, sizeof buf, &heap, &dlen);
    bool matched = false;
    int ret = DW_DI_NOMATCH;
    for (uint32_t i = 0; i < di->npatterns; i++) {
        const dw_di_pattern *p = &di->patterns[i];
        if (p->kind > DW_DI_REGEXP || p->exception != matched) continue;
        int m = dw_di_pattern_match(p, path, len);
        if (m == DW_DI_ERROR) {
            if (decider) *decider = i;
            ret = DW_DI_ERROR;
            goto done;
        }
        if (!m) m = parent_matches(p, dir, dlen);
        if (m) {
            matched = !p->exception;
            if (decider) *decider = i;
        }
    }
    ret = matched ? DW_DI_MATCH : DW_DI_NOMATCH;
done:
    free(heap);
    return ret;
}

int dw_dockerignore_match_step(const dw_dockerignore *di, const char *path, size_t len,
                               const uint8_t *parent, uint8_t *out, uint32_t *bad)
{
    if (!di) return DW_DI_NOMATCH;
    bool matched = false;
    char buf[512], *heap = NULL;
    size_t dlen = 0;
    const char *dir = NULL;
    for (uint32_t i = 0; i < di->npatterns; i++) {
        const dw_di_pattern *p = &di->patterns[i];
        int m = parent ? parent[i] : 0;
        if (p->kind > DW_DI_REGEXP) m = 0;
        else if (!m) {
            /* a pattern that matched the parent applies whatever the state;
             * others only while they can change it */
            if (p->exception != matched) { if (out) out[i] = 0; continue; }
            m = dw_di_pattern_match(p, path, len);
            if (m == DW_DI_ERROR) {
                if (bad) *bad = i;
                m = 0;
            } else if (!m && !parent) {
                /* no parent results: as MatchesOrParentMatches */
                if (!dir) dir = go_dir(path, len, buf, sizeof buf, &heap, &dlen);
                m = parent_matches(p, dir, dlen);
            }
        }
        if (out) out[i] = (uint8_t)m;
        if (m) matched = !p->exception;
    }
    free(heap);
    return matched ? DW_DI_MATCH : DW_DI_NOMATCH;
}

/* ------------------------------------------------------------------------ */
/* BuildKit's choice of ignore file (frontend/dockerui): the Dockerfile's    */
/* own "<name>.dockerignore", read from the Dockerfile's directory, wins;    */
/* when it exists the context's .dockerignore is not read at all.            */

static bool is_regular(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *dw_dockerignore_locate(const char *dockerfile, const char *context_dir, bool *beside)
{
    if (beside) *beside = false;
    dw_buf b = {0};
    if (dockerfile && *dockerfile && strcmp(dockerfile, "-") != 0) {
        dw_buf_printf(&b, "%s.dockerignore", dockerfile);
        if (is_regular(b.p)) {
            if (beside) *beside = true;
            return b.p;
        }
        b.n = 0;
    }
    const char *ctx = context_dir && *context_dir ? context_dir : ".";
    size_t n = strlen(ctx);
    dw_buf_printf(&b, "%s%s.dockerignore", ctx, n && ctx[n - 1] == '/' ? "" : "/");
    if (is_regular(b.p)) return b.p;
    dw_buf_free(&b);
    return NULL;
}
