/* cv_print.c — the resolved model printed as `docker compose config`
 * prints it: the canonical tree of normalize.c written as go-yaml v3/v4
 * writes it (block style, two-space indent, sequences indented under their
 * key, strings quoted only when a plain scalar would read as something
 * else, multi-line strings as `|` literals), or as Go's
 * json.MarshalIndent writes it (two-space indent, HTML-safe escapes, no
 * final line feed).
 *
 * One deliberate difference: `docker compose config` doubles every `$` of
 * its output (so that it can be read back as a Compose file); we print the
 * values themselves, which is what a reader of the resolved model wants. */
#include "compose_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- how go-yaml would read a plain scalar ---- */

static bool all_in(dw_str s, size_t from, const char *set)
{
    if (from >= s.len) return false;
    for (size_t i = from; i < s.len; i++)
        if (!strchr(set, s.ptr[i])) return false;
    return true;
}

/* go-yaml's resolve(): would this text, unquoted, be a null, a boolean, a
 * number, a timestamp or a merge key? */
static bool resolves_to_non_string(dw_str s)
{
    static const char *const words[] = {"", "~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False",
                                        "FALSE", "<<", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
                                        "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (dw_str_eqc(s, words[i])) return true;
    /* integers and floats, `_` ignored */
    char buf[80];
    size_t n = 0;
    for (size_t i = 0; i < s.len && n < sizeof buf - 1; i++)
        if (s.ptr[i] != '_') buf[n++] = s.ptr[i];
    if (s.len >= sizeof buf) return false;
    buf[n] = 0;
    dw_str t = dw_str_make(buf, n);
    size_t i = 0;
    if (i < t.len && (t.ptr[i] == '+' || t.ptr[i] == '-')) i++;
    if (t.len - i > 2 && t.ptr[i] == '0' && (t.ptr[i + 1] == 'x' || t.ptr[i + 1] == 'X'))
        if (all_in(t, i + 2, "0123456789abcdefABCDEF")) return true;
    if (t.len - i > 2 && t.ptr[i] == '0' && (t.ptr[i + 1] == 'o' || t.ptr[i + 1] == 'O'))
        if (all_in(t, i + 2, "01234567")) return true;
    if (t.len - i > 2 && t.ptr[i] == '0' && (t.ptr[i + 1] == 'b' || t.ptr[i + 1] == 'B'))
        if (all_in(t, i + 2, "01")) return true;
    /* ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
    size_t j = i, d = 0;
    while (j < t.len && t.ptr[j] >= '0' && t.ptr[j] <= '9') j++, d++;
    if (j < t.len && t.ptr[j] == '.') {
        size_t f = 0;
        j++;
        while (j < t.len && t.ptr[j] >= '0' && t.ptr[j] <= '9') j++, f++;
        if (!d && !f) return false;
    } else if (!d) {
        return false;
    }
    if (j < t.len && (t.ptr[j] == 'e' || t.ptr[j] == 'E')) {
        j++;
        if (j < t.len && (t.ptr[j] == '+' || t.ptr[j] == '-')) j++;
        size_t e = 0;
        while (j < t.len && t.ptr[j] >= '0' && t.ptr[j] <= '9') j++, e++;
        if (!e) return false;
    }
    if (j == t.len) return true;
    /* a timestamp: YYYY-M-D, optionally followed by a time */
    j = 0;
    size_t y = 0;
    while (j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9') j++, y++;
    if (y != 4 || j >= s.len || s.ptr[j] != '-') return false;
    size_t m = 0;
    for (j++; j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9'; j++) m++;
    if (m < 1 || m > 2 || j >= s.len || s.ptr[j] != '-') return false;
    size_t dd = 0;
    for (j++; j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9'; j++) dd++;
    if (dd < 1 || dd > 2) return false;
    return j == s.len || s.ptr[j] == 'T' || s.ptr[j] == 't' || s.ptr[j] == ' ';
}

/* go-yaml's isOldBool and isBase60Float: YAML 1.1 readings it still quotes. */
static bool yaml11_ambiguous(dw_str s)
{
    static const char *const old[] = {"y", "Y", "yes", "Yes", "YES", "on", "On", "ON",
                                      "n", "N", "no", "No", "NO", "off", "Off", "OFF"};
    for (size_t i = 0; i < sizeof old / sizeof *old; i++)
        if (dw_str_eqc(s, old[i])) return true;
    /* ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$ */
    size_t i = 0;
    if (i < s.len && (s.ptr[i] == '+' || s.ptr[i] == '-')) i++;
    if (i >= s.len || s.ptr[i] < '0' || s.ptr[i] > '9') return false;
    while (i < s.len && ((s.ptr[i] >= '0' && s.ptr[i] <= '9') || s.ptr[i] == '_')) i++;
    size_t groups = 0;
    while (i < s.len && s.ptr[i] == ':') {
        size_t st = ++i;
        while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9' && i - st < 2) i++;
        if (i == st || (i - st == 2 && s.ptr[st] > '5')) return false;
        groups++;
    }
    if (!groups) return false;
    if (i < s.len && s.ptr[i] == '.')
        for (i++; i < s.len && ((s.ptr[i] >= '0' && s.ptr[i] <= '9') || s.ptr[i] == '_');) i++;
    return i == s.len;
}

/* ---- libyaml's analysis of a scalar (what each quoting style allows) ---- */

typedef struct {
    bool plain, single, block, multiline;
} allowed;

/* libyaml's IS_PRINTABLE on UTF-8 (tabs and 4-byte characters are not). */
static bool printable(const unsigned char *p, size_t n)
{
    unsigned c = p[0];
    if (c == 0x0A || (c >= 0x20 && c <= 0x7E)) return true;
    if (c == 0xC2) return n > 1 && p[1] >= 0xA0;
    if (c > 0xC2 && c < 0xED) return true;
    if (c == 0xED) return n > 1 && p[1] < 0xA0;
    if (c == 0xEE) return true;
    if (c == 0xEF)
        return !(n > 2 && p[1] == 0xBB && p[2] == 0xBF) && !(n > 2 && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF));
    return false;
}

static size_t width_at(const unsigned char *p)
{
    return p[0] < 0x80 ? 1 : (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 1;
}

static bool is_break(const unsigned char *p, size_t n)
{
    return p[0] == '\r' || p[0] == '\n' || (n > 1 && p[0] == 0xC2 && p[1] == 0x85) ||
           (n > 2 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9));
}

static bool blankz(const unsigned char *p, size_t n) { return !n || p[0] == ' ' || p[0] == '\t' || is_break(p, n); }

static allowed analyze(dw_str s)
{
    allowed r = {true, true, true, false};
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t n = s.len;
    if (!n) return (allowed){true, true, false, false};
    bool block_ind = false, special = false, breaks = false;
    bool lead_space = false, lead_break = false, trail_space = false, trail_break = false;
    bool break_space = false, space_break = false, prev_space = false, prev_break = false;
    if (n >= 3 && (!memcmp(p, "---", 3) || !memcmp(p, "...", 3))) block_ind = true;
    bool preceded_ws = true;
    for (size_t i = 0; i < n;) {
        size_t w = width_at(p + i);
        if (i + w > n) w = n - i;
        bool followed_ws = blankz(p + i + w, n - i - w);
        unsigned char c = p[i];
        if (i == 0) {
            if (strchr("#,[]{}&*!|>'\"%@`", c) && c) block_ind = true;
            if ((c == '?' || c == ':') && followed_ws) block_ind = true;
            if (c == '-' && followed_ws) block_ind = true;
        } else {
            if (c == ':' && followed_ws) block_ind = true;
            if (c == '#' && preceded_ws) block_ind = true;
        }
        if (!printable(p + i, n - i)) special = true;
        bool last = i + w >= n;
        if (c == ' ') {
            if (i == 0) lead_space = true;
            if (last) trail_space = true;
            if (prev_break) break_space = true;
            prev_space = true;
            prev_break = false;
        } else if (is_break(p + i, n - i)) {
            breaks = true;
            if (i == 0) lead_break = true;
            if (last) trail_break = true;
            if (prev_space) space_break = true;
            prev_break = true;
            prev_space = false;
        } else {
            prev_space = prev_break = false;
        }
        preceded_ws = blankz(p + i, n - i);
        i += w;
    }
    r.multiline = breaks;
    if (lead_space || lead_break || trail_space || trail_break) r.plain = false;
    if (trail_space) r.block = false;
    if (break_space) r.plain = r.single = false;
    if (space_break || special) r.plain = r.single = r.block = false;
    if (breaks || block_ind) r.plain = false;
    return r;
}

/* ---- YAML ---- */

typedef enum { ST_PLAIN, ST_SINGLE, ST_DOUBLE, ST_LITERAL } style;

static style choose(dw_str s, bool key)
{
    style want;
    if (s.len && memchr(s.ptr, '\n', s.len)) want = ST_LITERAL;
    else if (!resolves_to_non_string(s) && !yaml11_ambiguous(s)) want = ST_PLAIN;
    else want = ST_DOUBLE;
    allowed a = analyze(s);
    if (want == ST_PLAIN && (!a.plain || (!s.len && key))) want = ST_SINGLE;
    if (want == ST_LITERAL && (!a.block || key)) want = ST_DOUBLE;
    if (want == ST_SINGLE && !a.single) want = ST_DOUBLE;
    return want;
}

static void put_double(dw_buf *b, dw_str s)
{
    dw_buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s.ptr;
    for (size_t i = 0; i < s.len;) {
        size_t w = width_at(p + i);
        if (i + w > s.len) w = s.len - i;
        unsigned c = p[i];
        if (printable(p + i, s.len - i) && c != '"' && c != '\\' && !is_break(p + i, s.len - i)) {
            dw_buf_put(b, s.ptr + i, w);
            i += w;
            continue;
        }
        int cw;
        uint32_t cp = dw_utf8_decode(s.ptr + i, s.len - i, &cw);
        switch (cp) {
        case 0: dw_buf_puts(b, "\\0"); break;
        case 7: dw_buf_puts(b, "\\a"); break;
        case 8: dw_buf_puts(b, "\\b"); break;
        case 9: dw_buf_puts(b, "\\t"); break;
        case 10: dw_buf_puts(b, "\\n"); break;
        case 11: dw_buf_puts(b, "\\v"); break;
        case 12: dw_buf_puts(b, "\\f"); break;
        case 13: dw_buf_puts(b, "\\r"); break;
        case 27: dw_buf_puts(b, "\\e"); break;
        case '"': dw_buf_puts(b, "\\\""); break;
        case '\\': dw_buf_puts(b, "\\\\"); break;
        case 0x85: dw_buf_puts(b, "\\N"); break;
        case 0xA0: dw_buf_puts(b, "\\_"); break;
        case 0x2028: dw_buf_puts(b, "\\L"); break;
        case 0x2029: dw_buf_puts(b, "\\P"); break;
        default:
            if (cp <= 0xFF) dw_buf_printf(b, "\\x%02X", cp);
            else if (cp <= 0xFFFF) dw_buf_printf(b, "\\u%04X", cp);
            else dw_buf_printf(b, "\\U%08X", cp);
        }
        i += (size_t)(cw > 0 ? cw : 1);
    }
    dw_buf_putc(b, '"');
}

static void indent(dw_buf *b, unsigned n)
{
    for (unsigned i = 0; i < n; i++) dw_buf_putc(b, ' ');
}

/* A string, as a key (`key`) or a value at indentation `ind`. */
static void put_string(dw_buf *b, dw_str s, bool key, unsigned ind)
{
    switch (choose(s, key)) {
    case ST_PLAIN: dw_buf_put(b, s.ptr, s.len); break;
    case ST_SINGLE:
        dw_buf_putc(b, '\'');
        for (size_t i = 0; i < s.len; i++) {
            if (s.ptr[i] == '\'') dw_buf_putc(b, '\'');
            dw_buf_putc(b, s.ptr[i]);
        }
        dw_buf_putc(b, '\'');
        break;
    case ST_DOUBLE: put_double(b, s); break;
    case ST_LITERAL: {
        size_t trailing = 0;
        while (trailing < s.len && s.ptr[s.len - 1 - trailing] == '\n') trailing++;
        dw_buf_putc(b, '|');
        if (s.ptr[0] == ' ' || s.ptr[0] == '\n') dw_buf_putc(b, '2');
        if (trailing == 0) dw_buf_putc(b, '-');
        else if (trailing > 1 || trailing == s.len) dw_buf_putc(b, '+');
        dw_buf_putc(b, '\n');
        size_t end = s.len - (trailing ? 1 : 0);
        for (size_t i = 0;;) {
            const char *nl = end > i ? memchr(s.ptr + i, '\n', end - i) : NULL;
            size_t e = nl ? (size_t)(nl - s.ptr) : end;
            if (e > i) {
                indent(b, ind);
                dw_buf_put(b, s.ptr + i, e - i);
            }
            dw_buf_putc(b, '\n');
            if (!nl) break;
            i = e + 1;
        }
        return; /* the literal ends its own line */
    }
    }
}

static void float_text(dw_buf *b, double f, bool json)
{
    if (isnan(f)) {
        dw_buf_puts(b, json ? "null" : ".nan");
        return;
    }
    if (isinf(f)) {
        dw_buf_puts(b, json ? "null" : f > 0 ? ".inf" : "-.inf");
        return;
    }
    if (json && f == floor(f) && fabs(f) < 1e21) {
        dw_buf_printf(b, "%.0f", f);
        return;
    }
    char tmp[64];
    for (int prec = 1; prec <= 17; prec++) { /* the shortest text that reads back the same */
        snprintf(tmp, sizeof tmp, "%.*g", prec, f);
        if (strtod(tmp, NULL) == f || (float)strtod(tmp, NULL) == (float)f) break;
    }
    dw_buf_puts(b, tmp);
}

static void yaml_scalar(dw_buf *b, const dw_cv *v, unsigned ind)
{
    switch (v ? v->kind : DW_CV_NULL) {
    case DW_CV_NULL: dw_buf_puts(b, "null"); break;
    case DW_CV_BOOL: dw_buf_puts(b, v->b ? "true" : "false"); break;
    case DW_CV_INT: dw_buf_printf(b, "%lld", (long long)v->i); break;
    case DW_CV_FLOAT: float_text(b, v->f, false); break;
    default: put_string(b, v->s, false, ind); return;
    }
}

static bool ends_line(const dw_cv *v)
{
    return v && v->kind == DW_CV_STR && choose(v->s, false) == ST_LITERAL;
}

static void yaml_map(dw_buf *b, const dw_cv *m, unsigned ind, bool inline_first);
static void yaml_seq(dw_buf *b, const dw_cv *s, unsigned ind, bool inline_first);

/* The value after `key:` or `- `. */
static void yaml_value(dw_buf *b, const dw_cv *v, unsigned ind, bool after_dash)
{
    if (v && v->kind == DW_CV_MAP && v->n) {
        if (after_dash) {
            yaml_map(b, v, ind, true);
        } else {
            dw_buf_putc(b, '\n');
            yaml_map(b, v, ind, false);
        }
        return;
    }
    if (v && v->kind == DW_CV_SEQ && v->n) {
        if (after_dash) {
            yaml_seq(b, v, ind, true);
        } else {
            dw_buf_putc(b, '\n');
            yaml_seq(b, v, ind, false);
        }
        return;
    }
    if (!after_dash) dw_buf_putc(b, ' ');
    if (v && v->kind == DW_CV_MAP) dw_buf_puts(b, "{}");
    else if (v && v->kind == DW_CV_SEQ) dw_buf_puts(b, "[]");
    else yaml_scalar(b, v, ind);
    if (!ends_line(v)) dw_buf_putc(b, '\n');
}

static void yaml_map(dw_buf *b, const dw_cv *m, unsigned ind, bool inline_first)
{
    for (uint32_t i = 0; i < m->n; i++) {
        if (i || !inline_first) indent(b, ind);
        put_string(b, m->pairs[i].key, true, ind);
        dw_buf_putc(b, ':');
        yaml_value(b, m->pairs[i].value, ind + 2, false);
    }
}

static void yaml_seq(dw_buf *b, const dw_cv *s, unsigned ind, bool inline_first)
{
    for (uint32_t i = 0; i < s->n; i++) {
        if (i || !inline_first) indent(b, ind);
        dw_buf_puts(b, "- ");
        yaml_value(b, s->items[i], ind + 2, true);
    }
}

/* ---- JSON (Go's encoding/json) ---- */

static void json_string(dw_buf *b, dw_str s)
{
    static const char hex[] = "0123456789abcdef";
    dw_buf_putc(b, '"');
    for (size_t i = 0; i < s.len;) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) {
            if (c == '"' || c == '\\') {
                dw_buf_putc(b, '\\');
                dw_buf_putc(b, (char)c);
            } else if (c == '\n') dw_buf_puts(b, "\\n");
            else if (c == '\r') dw_buf_puts(b, "\\r");
            else if (c == '\t') dw_buf_puts(b, "\\t");
            else if (c == '\b') dw_buf_puts(b, "\\b");
            else if (c == '\f') dw_buf_puts(b, "\\f");
            else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                dw_buf_puts(b, "\\u00");
                dw_buf_putc(b, hex[c >> 4]);
                dw_buf_putc(b, hex[c & 15]);
            } else dw_buf_putc(b, (char)c);
            i++;
            continue;
        }
        int w;
        uint32_t cp = dw_utf8_decode(s.ptr + i, s.len - i, &w);
        if (cp == 0xFFFD && w == 1) dw_buf_puts(b, "\\ufffd");
        else if (cp == 0x2028 || cp == 0x2029) dw_buf_printf(b, "\\u%04x", cp);
        else dw_buf_put(b, s.ptr + i, (size_t)w);
        i += (size_t)w;
    }
    dw_buf_putc(b, '"');
}

static void json_value(dw_buf *b, const dw_cv *v, unsigned ind)
{
    switch (v ? v->kind : DW_CV_NULL) {
    case DW_CV_NULL: dw_buf_puts(b, "null"); return;
    case DW_CV_BOOL: dw_buf_puts(b, v->b ? "true" : "false"); return;
    case DW_CV_INT: dw_buf_printf(b, "%lld", (long long)v->i); return;
    case DW_CV_FLOAT: float_text(b, v->f, true); return;
    case DW_CV_STR: json_string(b, v->s); return;
    case DW_CV_MAP:
        if (!v->n) {
            dw_buf_puts(b, "{}");
            return;
        }
        dw_buf_puts(b, "{\n");
        for (uint32_t i = 0; i < v->n; i++) {
            indent(b, ind + 2);
            json_string(b, v->pairs[i].key);
            dw_buf_puts(b, ": ");
            json_value(b, v->pairs[i].value, ind + 2);
            dw_buf_puts(b, i + 1 < v->n ? ",\n" : "\n");
        }
        indent(b, ind);
        dw_buf_putc(b, '}');
        return;
    case DW_CV_SEQ:
        if (!v->n) {
            dw_buf_puts(b, "[]");
            return;
        }
        dw_buf_puts(b, "[\n");
        for (uint32_t i = 0; i < v->n; i++) {
            indent(b, ind + 2);
            json_value(b, v->items[i], ind + 2);
            dw_buf_puts(b, i + 1 < v->n ? ",\n" : "\n");
        }
        indent(b, ind);
        dw_buf_putc(b, ']');
        return;
    }
}

void dw_compose_print(FILE *out, const dw_compose_project *cp, bool json)
{
    dw_compose_project *p = (dw_compose_project *)cp; /* the canonical tree lives in its arena */
    if (!p->model) return;
    dw_cv *c = dw_compose_canonical(p, json);
    dw_buf b = {0};
    if (json) json_value(&b, c, 0);
    else yaml_map(&b, c, 0, false);
    if (b.n) fwrite(b.p, 1, b.n, out);
    dw_buf_free(&b);
}
