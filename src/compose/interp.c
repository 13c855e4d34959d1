/* interp.c — `${VAR}` interpolation exactly as compose-go's
 * template.Substitute does it.
 *
 * compose-go finds its matches with one regular expression,
 *   \$(?i:(\$)|([_a-z][_a-z0-9]*)|{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|()))
 * replaces each leftmost match in turn, and for a braced match with an
 * operator cuts the match at the `}` that balances its `${` and
 * substitutes the text after that brace ("rest") as a template of its
 * own. We reproduce the regular expression's choices by hand:
 *   - `$$` is one `$`; `$name` takes the longest run of name characters;
 *   - `${name}` ends at the first `}`; `${name<op>...}` ends at the LAST
 *     `}` before the next line feed (`.*` is greedy and stops at `\n`);
 *   - `${` followed by anything else is an invalid template, reported with
 *     the whole template string it occurs in (for a nested default, that
 *     default alone: `${U:-${FOO}` gives `Invalid template: "${FOO"`);
 *   - any other `$` is kept.
 * The operator is the first of `:?` `?` `:-` `-` `:+` `+` after the name;
 * defaults, messages and alternatives are templates themselves, evaluated
 * only when used. Values are never re-interpolated.
 *
 * Cost: linear in the input per nesting level. The "last `}` before the
 * line feed" is precomputed for every position, and the rest of a match
 * is scanned by the same loop (a stack of template bounds) instead of by
 * recursion, so `${A:-a}${B:-b}…` repeated on one long line neither
 * recurses nor rescans. Nesting inside defaults recurses, up to
 * MAX_NESTING levels. */
#include "compose_int.h"

#include <stdio.h>

#define MAX_NESTING 200

typedef DW_VEC(dw_interp_ref) ref_vec;

typedef struct {
    dw_arena *a;
    const char *s;          /* the whole input */
    uint32_t n;
    uint32_t *line_end;     /* line_end[i]: index of the first '\n' at or after i (n when none) */
    uint32_t *brace_below;  /* brace_below[j]: 1 + index of the last '}' before j, 0 when none */
    dw_lookup_fn lookup;
    void *ud;
    ref_vec refs;
    bool want_refs;
    dw_interp_error *err;
} interp;

typedef struct { uint32_t start, end; } bounds;

/* ---- characters ---- */

/* A name character under (?i): ASCII letters, digits, `_`, plus the two
 * non-ASCII letters Go's case folding adds to [a-z] (U+017F ſ folds to s,
 * U+212A K to k). Returns its width, 0 when not a name character. */
static int name_char(const char *s, uint32_t i, uint32_t end, bool first)
{
    unsigned char c = (unsigned char)s[i];
    if (c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return 1;
    if (!first && c >= '0' && c <= '9') return 1;
    if (c == 0xC5 && i + 1 < end && (unsigned char)s[i + 1] == 0xBF) return 2;
    if (c == 0xE2 && i + 2 < end && (unsigned char)s[i + 1] == 0x84 && (unsigned char)s[i + 2] == 0xAA) return 3;
    return 0;
}

static uint32_t name_end(const char *s, uint32_t i, uint32_t end)
{
    int w = i < end ? name_char(s, i, end, true) : 0;
    if (!w) return i;
    i += (uint32_t)w;
    while (i < end && (w = name_char(s, i, end, false)) > 0) i += (uint32_t)w;
    return i;
}

/* ---- errors ---- */

static int fail(interp *it, uint32_t at, const char *msg)
{
    if (it->err) {
        it->err->message = msg;
        it->err->offset = at;
    }
    return -1;
}

static int invalid_template(interp *it, bounds tpl, uint32_t at)
{
    dw_buf b = {0};
    dw_buf_puts(&b, "Invalid template: ");
    dw_go_quote_buf(&b, it->s + tpl.start, tpl.end - tpl.start);
    const char *msg = dw_arena_memdup(it->a, b.p, b.n);
    dw_buf_free(&b);
    if (it->err) {
        it->err->invalid = true;
        it->err->tmpl.start = tpl.start;
        it->err->tmpl.end = tpl.end;
    }
    return fail(it, at, msg);
}

/* ---- lookups ---- */

static const char *lookup(interp *it, uint32_t from, uint32_t to, uint32_t span_end, bool defaulted)
{
    char stack[128];
    size_t len = to - from;
    char *name = len < sizeof stack ? stack : dw_xmalloc(len + 1);
    memcpy(name, it->s + from, len);
    name[len] = 0;
    const char *v = it->lookup ? it->lookup(it->ud, name, len) : NULL;
    if (it->want_refs) {
        dw_interp_ref r;
        r.span.start = from - (it->s[from - 1] == '{' ? 2 : 1);
        r.span.end = span_end;
        r.name = dw_arena_memdup(it->a, name, len);
        r.defaulted = defaulted;
        r.set = v != NULL;
        DW_VEC_PUSH(it->a, it->refs, r);
    }
    if (name != stack) free(name);
    return v;
}

/* ---- the substitution ---- */

static int substitute(interp *it, bounds tpl, dw_buf *out, unsigned depth);

/* compose-go's getFirstBraceClosingIndex over the match [m, mend): the `}`
 * that balances the opening brace, where every `{` also skips the character
 * after it. Returns mend - 1 when the braces never balance. */
static uint32_t closing_brace(const interp *it, uint32_t m, uint32_t mend)
{
    int open = 0;
    for (uint32_t i = m; i < mend; i++) {
        char c = it->s[i];
        if (c == '}' && --open == 0) return i;
        if (c == '{') {
            open++;
            i++;
        }
    }
    return mend - 1;
}

/* Handles the braced match `${name<op>arg}` at `m` (name [m+2, ne), the
 * operator `op` of `oplen` bytes at ne, the balancing brace at `close`). */
static int apply_operator(interp *it, uint32_t m, uint32_t ne, const char *op, uint32_t oplen, uint32_t close,
                          dw_buf *out, unsigned depth)
{
    bounds arg = {ne + oplen, close};
    bool colon = op[0] == ':';
    char kind = op[oplen - 1];
    const char *v = lookup(it, m + 2, ne, close + 1, true);
    bool empty_or_unset = !v || !*v;
    switch (kind) {
    case '-':
        if (!v || (colon && !*v)) return substitute(it, arg, out, depth + 1);
        break;
    case '+':
        if (v && (!colon || *v)) return substitute(it, arg, out, depth + 1);
        break;
    case '?':
        if (!v || (colon && empty_or_unset)) {
            dw_buf msg = {0};
            int rc = substitute(it, arg, &msg, depth + 1);
            if (rc == 0) {
                const char *text;
                if (msg.n)
                    text = dw_arena_printf(it->a, "required variable %.*s is missing a value: %.*s", (int)(ne - m - 2),
                                           it->s + m + 2, (int)msg.n, msg.p);
                else
                    text = dw_arena_printf(it->a, "required variable %.*s is missing a value", (int)(ne - m - 2),
                                           it->s + m + 2);
                rc = fail(it, m, text);
            }
            dw_buf_free(&msg);
            return rc;
        }
        break;
    }
    if (v) dw_buf_puts(out, v);
    return 0;
}

/* Substitutes the template [tpl.start, tpl.end), appending to `out`. */
static int substitute(interp *it, bounds tpl, dw_buf *out, unsigned depth)
{
    if (depth > MAX_NESTING)
        return fail(it, tpl.start,
                    dw_arena_printf(it->a, "interpolation nested deeper than %d levels", MAX_NESTING));
    /* The templates being scanned: tpl, then the "rest" of each braced
     * match with an operator, each ending where its match ends. */
    struct { bounds *v; uint32_t n, cap; } stack = {0};
    bounds cur = tpl;
    uint32_t p = tpl.start;
    int rc = 0;
    for (;;) {
        while (p >= cur.end && stack.n) cur = stack.v[--stack.n];
        if (p >= cur.end) break;
        const char *dollar = memchr(it->s + p, '$', cur.end - p);
        uint32_t q = dollar ? (uint32_t)(dollar - it->s) : cur.end;
        dw_buf_put(out, it->s + p, q - p);
        p = q;
        if (!dollar) continue;
        if (q + 1 >= cur.end) { /* a final lone `$` */
            dw_buf_putc(out, '$');
            p = q + 1;
            continue;
        }
        char c = it->s[q + 1];
        if (c == '$') {
            dw_buf_putc(out, '$');
            p = q + 2;
            continue;
        }
        if (c != '{') {
            uint32_t ne = name_end(it->s, q + 1, cur.end);
            if (ne == q + 1) { /* `$` followed by nothing we know: kept */
                dw_buf_putc(out, '$');
                p = q + 1;
                continue;
            }
            const char *v = lookup(it, q + 1, ne, ne, false);
            if (v) dw_buf_puts(out, v);
            p = ne;
            continue;
        }
        /* `${` */
        uint32_t ne = name_end(it->s, q + 2, cur.end);
        if (ne == q + 2 || ne >= cur.end) {
            rc = invalid_template(it, cur, q);
            break;
        }
        if (it->s[ne] == '}') {
            const char *v = lookup(it, q + 2, ne, ne + 1, false);
            if (v) dw_buf_puts(out, v);
            p = ne + 1;
            continue;
        }
        uint32_t oplen = it->s[ne] == ':' ? 2 : 1;
        char opc = ne + oplen - 1 < cur.end ? it->s[ne + oplen - 1] : 0;
        if (opc != '-' && opc != '+' && opc != '?') {
            rc = invalid_template(it, cur, q);
            break;
        }
        /* `.*}` is greedy: the match ends at the last `}` before the line
         * feed (or the template's end) */
        uint32_t after = ne + oplen;
        uint32_t limit = it->line_end[after] < cur.end ? it->line_end[after] : cur.end;
        uint32_t last = it->brace_below[limit];
        if (last == 0 || last - 1 < after) {
            rc = invalid_template(it, cur, q);
            break;
        }
        uint32_t mend = last; /* one past the last `}` */
        uint32_t close = closing_brace(it, q, mend);
        char op[2] = {it->s[ne], opc};
        rc = apply_operator(it, q, ne, op, oplen, close, out, depth);
        if (rc) break;
        /* the text after the balancing brace is a template of its own */
        if (close + 1 < mend) {
            DW_SVEC_PUSH(stack, cur);
            cur.start = close + 1;
            cur.end = mend;
        }
        p = close + 1;
    }
    DW_SVEC_FREE(stack);
    return rc;
}

int dw_interpolate(dw_arena *a, dw_str in, dw_lookup_fn lookup_fn, void *ud, dw_str *out, dw_interp_error *err,
                   dw_interp_ref **refs, uint32_t *nrefs)
{
    if (refs) *refs = NULL;
    if (nrefs) *nrefs = 0;
    if (!in.len || !memchr(in.ptr, '$', in.len)) {
        *out = in;
        return 0;
    }
    if (in.len >= UINT32_MAX - 1) {
        if (err) {
            err->message = "value too large to interpolate";
            err->offset = 0;
        }
        return -1;
    }
    interp it;
    memset(&it, 0, sizeof it);
    it.a = a;
    it.s = in.ptr;
    it.n = (uint32_t)in.len;
    it.lookup = lookup_fn;
    it.ud = ud;
    it.want_refs = refs != NULL;
    it.err = err;
    it.line_end = dw_xmalloc(sizeof(uint32_t) * (it.n + 1));
    it.brace_below = dw_xmalloc(sizeof(uint32_t) * (it.n + 1));
    it.line_end[it.n] = it.n;
    for (uint32_t i = it.n; i-- > 0;) it.line_end[i] = in.ptr[i] == '\n' ? i : it.line_end[i + 1];
    it.brace_below[0] = 0;
    for (uint32_t j = 1; j <= it.n; j++) it.brace_below[j] = in.ptr[j - 1] == '}' ? j : it.brace_below[j - 1];

    dw_buf b = {0};
    bounds whole = {0, it.n};
    int rc = substitute(&it, whole, &b, 0);
    free(it.line_end);
    free(it.brace_below);
    if (rc == 0) {
        out->ptr = dw_arena_memdup(a, b.p ? b.p : "", b.n);
        out->len = b.n;
    }
    dw_buf_free(&b);
    if (refs) *refs = it.refs.v;
    if (nrefs) *nrefs = it.refs.n;
    return rc;
}

/* ---- Go's strconv.Quote (df_dump.c has it, for FILE streams) ---- */

void dw_go_quote_buf(dw_buf *b, const char *s, size_t n)
{
    char *p = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&p, &len);
    if (!m) dw_oom();
    dw_go_quote(m, dw_str_make(s, n));
    fclose(m);
    dw_buf_put(b, p, len);
    free(p);
}

const char *dw_go_quoted(dw_arena *a, const char *s, size_t n)
{
    dw_buf b = {0};
    dw_go_quote_buf(&b, s, n);
    const char *r = dw_arena_memdup(a, b.p, b.n);
    dw_buf_free(&b);
    return r;
}
