/* dotenv.c — env files (`.env`, --env-file, env_file:) read as
 * compose-go's dotenv parser reads them.
 *
 * The parser works on "the rest of the file": skip blanks and `#` comment
 * lines, read a key up to `=`, `:` or a line feed (a key alone on its line
 * is inherited from the lookup), then a value:
 *   - unquoted: to the end of the line, cut at the first " #", trailing
 *     white space trimmed, then interpolated;
 *   - 'single' or "double" quoted: up to the matching quote, possibly over
 *     several lines; a backslash keeps the next byte (so \' and \" do not
 *     end the value) and is itself kept except before the quote. Double
 *     quoted values then decode \a \b \f \n \r \t \v \\ \" \$ and \0ddd
 *     (three octal digits) and are interpolated; \$ stays a literal $.
 * Whatever follows a closing quote starts the next statement. Line numbers
 * in messages count the way compose-go counts them (a bare key followed by
 * its line feed counts that line feed twice; we do too). */
#include "compose_int.h"

#include <stdio.h>

typedef struct {
    dw_arena *a;
    const char *s;
    size_t n;
    unsigned line;            /* compose-go's line counter, for messages */
    dw_lookup_fn lookup;
    void *ud;
    DW_VEC(dw_dotenv_entry) out;
    dw_strmap own;            /* key -> 1 + index in out of its last entry with a value */
    dw_strmap prior;          /* key -> the prior entry */
    const char *err;
    unsigned err_line;        /* where the problem starts, when the message's line is elsewhere */
} parser;

/* ---- characters ---- */

/* The parser's isSpace: white space other than the line feed. */
static int pspace(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' ') return 1;
    if (c == 0xC2 && i + 1 < n && ((unsigned char)s[i + 1] == 0x85 || (unsigned char)s[i + 1] == 0xA0)) return 2;
    return 0;
}

/* Go's unicode.IsLetter || unicode.IsNumber, approximated outside Latin-1:
 * punctuation, symbol, combining-mark and private-use blocks are neither,
 * every other code point is taken for a letter. */
static bool letter_or_number(uint32_t r)
{
    if (r < 0x80) return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
    if (r < 0x100) {
        if (r == 0xAA || r == 0xB5 || r == 0xBA || r == 0xB2 || r == 0xB3 || r == 0xB9) return true;
        if (r >= 0xBC && r <= 0xBE) return true;
        return r >= 0xC0 && r != 0xD7 && r != 0xF7;
    }
    if (r == 0xFFFD) return false;
    if (r >= 0x0300 && r <= 0x036F) return false;                  /* combining marks */
    if (r >= 0x2000 && r <= 0x2BFF) return r >= 0x2100 && r <= 0x218F; /* punctuation, symbols; letterlike kept */
    if (r >= 0x3000 && r <= 0x303F) return (r >= 0x3005 && r <= 0x3007) || (r >= 0x3021 && r <= 0x3029);
    if (r >= 0xE000 && r <= 0xF8FF) return false;                  /* private use */
    if (r >= 0xFE30 && r <= 0xFE4F) return false;
    if (r >= 0xFF00 && r <= 0xFF20) return r >= 0xFF10 && r <= 0xFF19;
    if (r >= 0xFFF0) return r >= 0x10000 && !(r >= 0x1F000 && r <= 0x1FAFF) && r < 0xF0000;
    return true;
}

/* Go's unicode.IsSpace at s[i]: its width, or 0. */
static int uspace(const char *s, size_t i, size_t n) { return dw_space_at(s + i, n - i); }

/* ---- lookups ---- */

static const char *own_value(parser *p, dw_str key)
{
    uintptr_t i = (uintptr_t)dw_strmap_get(&p->own, key);
    if (i) return p->out.v[i - 1].value;
    const dw_dotenv_entry *e = dw_strmap_get(&p->prior, key);
    return e ? e->value : NULL;
}

/* The lookup, then the file's earlier keys, then the earlier files. */
static const char *resolve(void *ud, const char *name, size_t len)
{
    parser *p = ud;
    const char *v = p->lookup ? p->lookup(p->ud, name, len) : NULL;
    return v ? v : own_value(p, dw_str_make(name, len));
}

static int expand(parser *p, dw_str value, dw_str *out)
{
    dw_interp_error e = {0};
    if (dw_interpolate(p->a, value, resolve, p, out, &e, NULL, NULL) < 0) {
        p->err = e.message;
        return -1;
    }
    return 0;
}

/* ---- escapes in double-quoted values ---- */

static int simple_escape(char c)
{
    switch (c) {
    case 'a': return '\a';
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case '\\': return '\\';
    case '"': return '"';
    default: return -1;
    }
}

/* compose-go's expandEscapes: its regular expression
 * \\(?:[abcfnrtv$"\\]|0\d{0,3}) replaced through Go's strconv.UnquoteChar,
 * `\$` becoming `$$` (a literal `$` for the interpolation that follows). */
static void expand_escapes(dw_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            dw_buf_putc(b, s[i]);
            continue;
        }
        char c = s[i + 1];
        if (c == '$') {
            dw_buf_puts(b, "$$");
            i++;
        } else if (c == 'c') { /* matched, but not a Go escape: kept */
            dw_buf_puts(b, "\\c");
            i++;
        } else if (simple_escape(c) >= 0) {
            dw_buf_putc(b, (char)simple_escape(c));
            i++;
        } else if (c == '0') {
            size_t d = 0;
            while (d < 3 && i + 2 + d < n && s[i + 2 + d] >= '0' && s[i + 2 + d] <= '9') d++;
            const char *digits = s + i + 2;
            unsigned v = 0;
            bool ok = d == 3;
            for (size_t k = 0; ok && k < 3; k++) {
                if (digits[k] > '7') ok = false;
                v = v * 8 + (unsigned)(digits[k] - '0');
            }
            if (ok && v <= 255) {
                char u[4];
                dw_buf_put(b, u, (size_t)dw_utf8_encode(v, u)); /* Go's string(rune) */
            } else {
                dw_buf_putc(b, '\\'); /* `\0` rewritten to `\`, then kept as is */
                dw_buf_put(b, digits, d);
            }
            i += 1 + d;
        } else {
            dw_buf_putc(b, '\\');
        }
    }
}

/* ---- statements ---- */

/* Skips white space and comment lines; returns the statement's start or n. */
static size_t statement_start(parser *p, size_t i)
{
    for (;;) {
        while (i < p->n) {
            int w = uspace(p->s, i, p->n);
            if (!w) break;
            if (p->s[i] == '\n') p->line++;
            i += (size_t)w;
        }
        if (i >= p->n || p->s[i] != '#') return i;
        const char *nl = memchr(p->s + i, '\n', p->n - i);
        if (!nl) return p->n;
        i = (size_t)(nl - p->s);
    }
}

static int errorf(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int errorf(parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    p->err = dw_arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    return -1;
}

static bool export_prefix(const parser *p, size_t i)
{
    if (p->n - i < 7 || memcmp(p->s + i, "export", 6) != 0) return false;
    char c = p->s[i + 6];
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; /* RE2's \s */
}

static void add(parser *p, dw_str key, const char *value, size_t vlen, uint32_t line, size_t from, size_t to)
{
    dw_dotenv_entry e;
    e.key = dw_arena_memdup(p->a, key.ptr, key.len);
    e.value = value ? dw_arena_memdup(p->a, value, vlen) : NULL;
    e.value_len = value ? (uint32_t)vlen : 0;
    e.line = line;
    e.span.start = (uint32_t)from;
    e.span.end = (uint32_t)to;
    DW_VEC_PUSH(p->a, p->out, e);
    if (value) dw_strmap_put(&p->own, dw_str_make(p->out.v[p->out.n - 1].key, key.len), (void *)(uintptr_t)p->out.n);
}

/* Reads the value at `i` for `key`; *next is where the next statement may start. */
static int value(parser *p, dw_str key, uint32_t line, size_t kstart, size_t i, size_t *next)
{
    if (i < p->n && (p->s[i] == '"' || p->s[i] == '\'')) {
        char quote = p->s[i];
        dw_buf chars = {0};
        bool esc = false;
        for (size_t k = i + 1; k < p->n; k++) {
            char c = p->s[k];
            if (c == '\n') p->line++;
            if (c != quote) {
                if (!esc && c == '\\') {
                    esc = true;
                    continue;
                }
                if (esc) {
                    esc = false;
                    dw_buf_putc(&chars, '\\');
                }
                dw_buf_putc(&chars, c);
                continue;
            }
            if (esc) { /* \" or \' */
                esc = false;
                dw_buf_putc(&chars, c);
                continue;
            }
            dw_str v = dw_str_make(chars.p ? chars.p : "", chars.n);
            int rc = 0;
            dw_buf dec = {0};
            if (quote == '"') {
                expand_escapes(&dec, v.ptr, v.len);
                rc = expand(p, dw_str_make(dec.p ? dec.p : "", dec.n), &v);
            }
            if (rc == 0) add(p, key, v.ptr, v.len, line, kstart, k + 1);
            dw_buf_free(&dec);
            dw_buf_free(&chars);
            *next = k + 1;
            return rc;
        }
        dw_buf_free(&chars);
        const char *nl = memchr(p->s + i, '\n', p->n - i);
        size_t end = nl ? (size_t)(nl - p->s) : p->n;
        /* compose-go names the last line, where it gave up looking for the
         * quote; the finding goes where the quote opens */
        p->err_line = line;
        return errorf(p, "line %u: unterminated quoted value %.*s", p->line, (int)(end - i), p->s + i);
    }
    const char *nl = memchr(p->s + i, '\n', p->n - i);
    size_t end = nl ? (size_t)(nl - p->s) : p->n;
    *next = nl ? end + 1 : p->n;
    p->line++;
    size_t vend = end;
    for (size_t k = i; k + 1 < end; k++)
        if (p->s[k] == ' ' && p->s[k + 1] == '#') { /* inline comment */
            vend = k;
            break;
        }
    dw_str v = dw_str_trim_right_space(dw_str_make(p->s + i, vend - i));
    dw_str x;
    if (expand(p, v, &x) < 0) return -1;
    add(p, key, x.ptr, x.len, line, kstart, i + v.len);
    return 0;
}

static int parse(parser *p)
{
    size_t i = 0;
    uint32_t real_line = 1;
    size_t counted = 0;
    for (;;) {
        i = statement_start(p, i);
        if (i >= p->n) return 0;
        for (; counted < i; counted++) real_line += p->s[counted] == '\n';
        size_t src = i;
        if (export_prefix(p, src)) {
            src += 6;
            for (int w; src < p->n && (w = pspace(p->s, src, p->n)) > 0;) src += (size_t)w;
        }
        /* the key: up to `=`, `:` or a line feed; spaces are skipped */
        size_t k = src, offset = src;
        bool found = false, inherited = false;
        while (k < p->n) {
            int w = pspace(p->s, k, p->n);
            if (w) {
                k += (size_t)w;
                continue;
            }
            char c = p->s[k];
            if (c == '=' || c == ':' || c == '\n') {
                found = true;
                inherited = c == '\n';
                offset = k + 1;
                break;
            }
            int rw;
            uint32_t r = dw_utf8_decode(p->s + k, p->n - k, &rw);
            if (c == '_' || c == '.' || c == '-' || c == '[' || c == ']' || letter_or_number(r)) {
                k += (size_t)rw;
                continue;
            }
            char u[4];
            int ul = dw_utf8_encode(r, u);
            const char *nl = memchr(p->s + src, '\n', p->n - src);
            size_t lend = nl ? (size_t)(nl - p->s) : p->n;
            return errorf(p, "line %u: unexpected character %s in variable name %s", p->line,
                          dw_go_quoted(p->a, u, (size_t)ul), dw_go_quoted(p->a, p->s + src, lend - src));
        }
        if (src >= p->n) return errorf(p, "zero length string");
        dw_str key = found ? dw_str_make(p->s + src, k - src) : dw_str_make("", 0);
        if (inherited && !memchr(key.ptr, ' ', key.len)) p->line++;
        key = dw_str_trim_right_space(key);
        size_t rest = offset;
        for (int w; rest < p->n && (w = pspace(p->s, rest, p->n)) > 0;) rest += (size_t)w;
        if (memchr(key.ptr, ' ', key.len)) return errorf(p, "line %u: key cannot contain a space", p->line);
        if (inherited) {
            const char *v = resolve(p, dw_str_cstr(p->a, key), key.len);
            add(p, key, v, v ? strlen(v) : 0, real_line, i, k);
            i = rest;
            continue;
        }
        if (value(p, key, real_line, i, rest, &i) < 0) return -1;
    }
}

int dw_dotenv_parse_after(dw_arena *a, const char *src, size_t len, dw_lookup_fn lookup, void *ud,
                          const dw_dotenv_entry *prior, uint32_t nprior, dw_dotenv_entry **out, uint32_t *n,
                          const char **err, uint32_t *err_line)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.a = a;
    p.s = src;
    p.n = len;
    p.line = 1;
    p.lookup = lookup;
    p.ud = ud;
    if (p.n >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0) { /* a UTF-8 BOM */
        p.s += 3;
        p.n -= 3;
    }
    for (uint32_t i = 0; i < nprior; i++)
        if (prior[i].value) dw_strmap_put(&p.prior, dw_str_c(prior[i].key), (void *)&prior[i]);
    int rc = parse(&p);
    dw_strmap_free(&p.own);
    dw_strmap_free(&p.prior);
    /* spans count from the file's first byte, BOM included */
    size_t shift = (size_t)(p.s - src);
    for (uint32_t i = 0; shift && i < p.out.n; i++) {
        p.out.v[i].span.start += (uint32_t)shift;
        p.out.v[i].span.end += (uint32_t)shift;
    }
    *out = p.out.v;
    *n = p.out.n;
    if (rc < 0) {
        if (err) *err = p.err;
        if (err_line) *err_line = p.err_line ? p.err_line : p.line;
    }
    return rc;
}

int dw_dotenv_parse(dw_arena *a, const char *src, size_t len, dw_lookup_fn lookup, void *ud, dw_dotenv_entry **out,
                    uint32_t *n, const char **err, uint32_t *err_line)
{
    return dw_dotenv_parse_after(a, src, len, lookup, ud, NULL, 0, out, n, err, err_line);
}
