/* df_json.c — exec form: reads an instruction's argument text as a JSON
 * array of strings, with Go encoding/json's rules (the whole text must be one
 * valid JSON value, trailing JSON white space allowed; invalid UTF-8 and lone
 * surrogates become U+FFFD). Valid JSON that is not an array of strings is
 * reported separately because BuildKit rejects it instead of falling back to
 * shell form. */
#include "dockerfile_int.h"

#define MAX_DEPTH 10000 /* Go's decoder limit */

typedef struct {
    const char *s;
    size_t n, i;
    int depth;
} jp;

static void skip_ws(jp *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') p->i++;
        else break;
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool hex4(jp *p, uint32_t *v)
{
    if (p->n - p->i < 4) return false;
    uint32_t x = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval(p->s[p->i + (size_t)k]);
        if (h < 0) return false;
        x = x * 16 + (uint32_t)h;
    }
    p->i += 4;
    *v = x;
    return true;
}

/* Parses a string at p->i (which is '"'); decodes into out when non-NULL. */
static bool parse_string(jp *p, dw_buf *out)
{
    p->i++;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') { p->i++; return true; }
        if (c < 0x20) return false;
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n) return false;
            char e = p->s[p->i++];
            char ch;
            switch (e) {
            case '"': ch = '"'; break;
            case '\\': ch = '\\'; break;
            case '/': ch = '/'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'n': ch = '\n'; break;
            case 'r': ch = '\r'; break;
            case 't': ch = '\t'; break;
            case 'u': {
                uint32_t u;
                if (!hex4(p, &u)) return false;
                if (u >= 0xD800 && u < 0xDC00) {
                    /* a high surrogate: combine with a following low one */
                    size_t save = p->i;
                    uint32_t lo;
                    if (p->n - p->i >= 6 && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u') {
                        p->i += 2;
                        if (hex4(p, &lo) && lo >= 0xDC00 && lo < 0xE000) {
                            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                        } else {
                            p->i = save;
                            u = 0xFFFD;
                        }
                    } else {
                        u = 0xFFFD;
                    }
                } else if (u >= 0xDC00 && u < 0xE000) {
                    u = 0xFFFD;
                }
                if (out) {
                    char enc[4];
                    dw_buf_put(out, enc, (size_t)dw_utf8_encode(u, enc));
                }
                continue;
            }
            default:
                return false;
            }
            if (out) dw_buf_putc(out, ch);
            continue;
        }
        if (c < 0x80) {
            if (out) dw_buf_putc(out, (char)c);
            p->i++;
            continue;
        }
        int w;
        uint32_t cp = dw_utf8_decode(p->s + p->i, p->n - p->i, &w);
        if (out) {
            if (cp == 0xFFFD && w == 1) dw_buf_put(out, "\xEF\xBF\xBD", 3);
            else dw_buf_put(out, p->s + p->i, (size_t)w);
        }
        p->i += (size_t)w;
    }
    return false;
}

static bool parse_value(jp *p);

static bool parse_number(jp *p)
{
    size_t i = p->i;
    if (i < p->n && p->s[i] == '-') i++;
    if (i >= p->n) return false;
    if (p->s[i] == '0') i++;
    else if (p->s[i] >= '1' && p->s[i] <= '9') { while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9') i++; }
    else return false;
    if (i < p->n && p->s[i] == '.') {
        i++;
        if (i >= p->n || p->s[i] < '0' || p->s[i] > '9') return false;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9') i++;
    }
    if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->n && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (i >= p->n || p->s[i] < '0' || p->s[i] > '9') return false;
        while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9') i++;
    }
    p->i = i;
    return true;
}

static bool literal(jp *p, const char *lit)
{
    size_t k = strlen(lit);
    if (p->n - p->i < k || memcmp(p->s + p->i, lit, k) != 0) return false;
    p->i += k;
    return true;
}

/* Validates one value (iteratively bounded by MAX_DEPTH nesting). */
static bool parse_value(jp *p)
{
    skip_ws(p);
    if (p->i >= p->n) return false;
    char c = p->s[p->i];
    if (c == '"') return parse_string(p, NULL);
    if (c == '[' || c == '{') {
        if (++p->depth > MAX_DEPTH) return false;
        char close = c == '[' ? ']' : '}';
        p->i++;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == close) { p->i++; p->depth--; return true; }
        for (;;) {
            if (close == '}') {
                skip_ws(p);
                if (p->i >= p->n || p->s[p->i] != '"' || !parse_string(p, NULL)) return false;
                skip_ws(p);
                if (p->i >= p->n || p->s[p->i] != ':') return false;
                p->i++;
            }
            if (!parse_value(p)) return false;
            skip_ws(p);
            if (p->i >= p->n) return false;
            if (p->s[p->i] == ',') { p->i++; continue; }
            if (p->s[p->i] == close) { p->i++; p->depth--; return true; }
            return false;
        }
    }
    if (c == 't') return literal(p, "true");
    if (c == 'f') return literal(p, "false");
    if (c == 'n') return literal(p, "null");
    return parse_number(p);
}

/* The elements of a valid JSON array, appended to `out` (a scratch list);
 * returns 0, or 2 (and appends nothing) when one is not a string. */
static int collect_strings(dw_arena *a, const dw_instr *in, dw_str text, dw_word_vec *out, dw_buf *b)
{
    uint32_t n0 = out->n;
    jp q = {text.ptr, text.len, 0, 0};
    q.i = 1;
    skip_ws(&q);
    if (q.s[q.i] == ']') return 0;
    for (;;) {
        skip_ws(&q);
        if (q.s[q.i] != '"') { out->n = n0; return 2; }
        size_t st = q.i;
        /* plain ASCII without escapes: the literal's bytes are the value */
        size_t e = st + 1;
        while (e < q.n && q.s[e] != '"' && q.s[e] != '\\' && (unsigned char)q.s[e] < 0x80) e++;
        dw_word w;
        memset(&w, 0, sizeof w);
        if (e < q.n && q.s[e] == '"') {
            w.text = dw_str_make(q.s + st + 1, e - st - 1);
            q.i = e + 1;
        } else {
            b->n = 0;
            parse_string(&q, b);
            w.text = dw_str_make(dw_arena_memdup(a, b->p ? b->p : "", b->n), b->n);
        }
        w.span = dw_file_span_i(in, text.ptr + st, q.i - st);
        DW_SVEC_PUSH(*out, w);
        skip_ws(&q);
        if (q.s[q.i] == ',') { q.i++; continue; }
        return 0;
    }
}

/* Go's json.Valid on a text that must start with '[' (after white space). */
static bool valid_array(dw_str *text)
{
    *text = dw_str_trim_left_space(*text);
    if (text->len == 0 || text->ptr[0] != '[') return false;
    jp p = {text->ptr, text->len, 0, 0};
    if (!parse_value(&p)) return false;
    skip_ws(&p);
    return p.i == p.n;
}

int dw_json_string_array(dw_arena *a, const dw_instr *in, dw_str text, dw_word **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!valid_array(&text)) return 1;
    dw_word_vec v = {0};
    dw_buf b = {0};
    int rc = collect_strings(a, in, text, &v, &b);
    dw_buf_free(&b);
    if (rc) { DW_SVEC_FREE(v); return rc; }
    DW_SVEC_COMMIT(a, v, *out, *n);
    return 0;
}

/* An array of plain strings — '[', literals of printable ASCII without
 * escapes separated by commas, ']', then only white space — is valid JSON
 * that decodes to the literals' bytes: read it in one pass instead of
 * validating first. Returns false, having appended nothing, for any other
 * text (which the general path then reads). `text` starts with '['. */
static bool plain_string_array(const dw_instr *in, dw_str text, dw_word_vec *out)
{
    const char *s = text.ptr;
    size_t n = text.len, i = 1;
    uint32_t n0 = out->n;
#define JWS() while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++
    JWS();
    if (i < n && s[i] == ']') {
        i++;
    } else {
        for (;;) {
            if (i >= n || s[i] != '"') goto fail;
            size_t st = i++;
            while (i < n && (unsigned char)s[i] >= 0x20 && (unsigned char)s[i] < 0x80 && s[i] != '"' && s[i] != '\\') i++;
            if (i >= n || s[i] != '"') goto fail;
            i++;
            dw_word *w = dw_word_slot(out); /* filled in place (see dw_word_slot) */
            w->text = dw_str_make(s + st + 1, i - st - 2);
            w->span = dw_file_span_i(in, s + st, i - st);
            w->expanded = dw_str_make(NULL, 0);
            w->has_expanded = false;
            JWS();
            if (i < n && s[i] == ',') {
                i++;
                JWS();
                continue;
            }
            if (i < n && s[i] == ']') {
                i++;
                break;
            }
            goto fail;
        }
    }
    JWS();
#undef JWS
    if (i == n) return true;
fail:
    out->n = n0;
    return false;
}

int dw_json_string_array_into(dw_parser *p, const dw_instr *in, dw_str text)
{
    text = dw_str_trim_left_space(text);
    if (text.len == 0 || text.ptr[0] != '[') return 1;
    if (plain_string_array(in, text, &p->words)) return 0;
    if (!valid_array(&text)) return 1;
    return collect_strings(p->a, in, text, &p->words, &p->buf);
}

/* Reads `text` as one JSON object (Go's json.Unmarshal into a map) and
 * returns the string value of `key` (the last one when repeated). False when
 * the text is not a valid object or the key is absent or not a string. */
bool dw_json_object_string(dw_arena *a, dw_str text, const char *key, dw_str *out)
{
    jp p = {text.ptr, text.len, 0, 0};
    skip_ws(&p);
    if (p.i >= p.n || p.s[p.i] != '{') return false;
    if (!parse_value(&p)) return false;
    skip_ws(&p);
    if (p.i != p.n) return false;
    /* valid: walk the top-level members */
    jp q = {text.ptr, text.len, 0, 0};
    skip_ws(&q);
    q.i++;
    bool found = false;
    dw_buf k = {0}, v = {0};
    for (;;) {
        skip_ws(&q);
        if (q.s[q.i] == '}') break;
        k.n = 0;
        parse_string(&q, &k);
        skip_ws(&q);
        q.i++; /* ':' */
        skip_ws(&q);
        if (q.s[q.i] == '"') {
            v.n = 0;
            parse_string(&q, &v);
            if (k.n == strlen(key) && memcmp(k.p, key, k.n) == 0) {
                *out = dw_str_make(dw_arena_memdup(a, v.p ? v.p : "", v.n), v.n);
                found = true;
            }
        } else {
            parse_value(&q);
            if (k.n == strlen(key) && memcmp(k.p, key, k.n) == 0) found = false;
        }
        skip_ws(&q);
        if (q.s[q.i] == ',') { q.i++; continue; }
        break;
    }
    dw_buf_free(&k);
    dw_buf_free(&v);
    return found;
}
