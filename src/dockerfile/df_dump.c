/* df_dump.c — the AST in the format of BuildKit's parser test `result`
 * files: one "(name [flags] args...)" line per instruction, each value quoted
 * as Go's strconv.Quote does. */
#include "dockerfile_int.h"

#include <stdlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* An approximation of Go's unicode.IsPrint for non-ASCII code points: letters,
 * marks, numbers, punctuation and symbols print; other spaces, controls,
 * format characters, private use, surrogates and non-characters do not. */
static bool go_is_print(uint32_t c)
{
    if (c < 0xA1) return c >= 0x20 && c < 0x7F;
    if (c == 0xAD) return false; /* soft hyphen (Cf) */
    if (dw_unicode_is_space(c)) return false;
    if (c >= 0x200B && c <= 0x200F) return false;
    if (c >= 0x202A && c <= 0x202E) return false;
    if (c >= 0x2060 && c <= 0x206F) return false;
    if (c == 0xFEFF) return false;
    if (c >= 0xFFF0 && c <= 0xFFFB) return false;
    if (c == 0xFFFE || c == 0xFFFF) return false;
    if (c >= 0xE000 && c <= 0xF8FF) return false;
    if (c >= 0xF0000) return false;
    if (c >= 0xE0000 && c <= 0xE007F) return false;
    if (c == 0x061C || c == 0x180E) return false;
    if (c >= 0x0600 && c <= 0x0605) return false;
    return true;
}

/* Output goes through a local buffer written out in big pieces: stdio's
 * per-call locking and bookkeeping dominated the dump of big files. */
typedef struct {
    FILE *out;
    char *buf;
    size_t n, cap;
} writer;

static void w_flush(writer *w)
{
    if (w->n) fwrite(w->buf, 1, w->n, w->out);
    w->n = 0;
}

static void w_put(writer *w, const char *p, size_t n)
{
    if (n > w->cap - w->n) {
        w_flush(w);
        if (n > w->cap) {
            fwrite(p, 1, n, w->out);
            return;
        }
    }
    memcpy(w->buf + w->n, p, n);
    w->n += n;
}

static void w_putc(writer *w, char c)
{
    if (w->n == w->cap) w_flush(w);
    w->buf[w->n++] = c;
}

static void w_puts(writer *w, const char *s) { w_put(w, s, strlen(s)); }

static void w_hex(writer *w, const char *prefix, uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char t[16];
    size_t k = strlen(prefix);
    memcpy(t, prefix, k);
    for (int d = digits - 1; d >= 0; d--) t[k++] = hex[(v >> (4 * d)) & 15];
    w_put(w, t, k);
}

/* The first byte at or after i that strconv.Quote does not copy as is. */
static size_t plain_end(dw_str s, size_t i)
{
#ifdef __SSE2__
    const __m128i lo = _mm_set1_epi8(0x20), del = _mm_set1_epi8(0x7F), dq = _mm_set1_epi8('"'),
                  bs = _mm_set1_epi8('\\');
    for (; s.len - i >= 16; i += 16) {
        __m128i x = _mm_loadu_si128((const void *)(s.ptr + i));
        /* signed: bytes >= 0x80 are negative, so below 0x20 too */
        __m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, lo), _mm_cmpeq_epi8(x, del)),
                                   _mm_or_si128(_mm_cmpeq_epi8(x, dq), _mm_cmpeq_epi8(x, bs)));
        unsigned m = (unsigned)_mm_movemask_epi8(bad);
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        /* below 0x20 or 0x7F and up in one unsigned compare */
        if ((unsigned char)(c - 0x20) >= 0x5F || c == '"' || c == '\\') break;
    }
    return i;
}

static void quote(writer *w, dw_str s)
{
    w_putc(w, '"');
    size_t i = 0;
    while (i < s.len) {
        /* runs of bytes that need no escaping are copied in one piece */
        size_t run = plain_end(s, i);
        while (run < s.len) {
            unsigned char c = (unsigned char)s.ptr[run];
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') break;
            run++;
        }
        if (run > i) {
            w_put(w, s.ptr + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) {
            i++;
            switch (c) {
            case '"': w_put(w, "\\\"", 2); continue;
            case '\\': w_put(w, "\\\\", 2); continue;
            case '\a': w_put(w, "\\a", 2); continue;
            case '\b': w_put(w, "\\b", 2); continue;
            case '\f': w_put(w, "\\f", 2); continue;
            case '\n': w_put(w, "\\n", 2); continue;
            case '\r': w_put(w, "\\r", 2); continue;
            case '\t': w_put(w, "\\t", 2); continue;
            case '\v': w_put(w, "\\v", 2); continue;
            }
            w_hex(w, "\\x", c, 2);
            continue;
        }
        int width;
        uint32_t cp = dw_utf8_decode(s.ptr + i, s.len - i, &width);
        if (cp == 0xFFFD && width == 1) {
            w_hex(w, "\\x", c, 2);
            i++;
            continue;
        }
        if (go_is_print(cp)) w_put(w, s.ptr + i, (size_t)width);
        else if (cp < 0x10000) w_hex(w, "\\u", cp, 4);
        else w_hex(w, "\\U", cp, 8);
        i += (size_t)width;
    }
    w_putc(w, '"');
}

void dw_go_quote(FILE *out, dw_str s)
{
    char buf[256];
    writer w = {out, buf, 0, sizeof buf};
    quote(&w, s);
    w_flush(&w);
}

static void dump_lower(writer *w, dw_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        w_putc(w, c >= 'A' && c <= 'Z' ? (char)(c + 32) : c);
    }
}

static void dump_instr(writer *w, const dw_instr *in)
{
    dump_lower(w, in->keyword);
    if (in->nflags) {
        w_put(w, " [", 2);
        for (uint32_t i = 0; i < in->nflags; i++) {
            if (i) w_putc(w, ' ');
            quote(w, in->flags[i].raw);
        }
        w_putc(w, ']');
    }
    if (in->kind == DW_I_ONBUILD) {
        if (in->sub) {
            w_put(w, " (", 2);
            dump_instr(w, in->sub);
            w_putc(w, ')');
        }
        return;
    }
    if (in->kind == DW_I_ENV || in->kind == DW_I_LABEL) {
        for (uint32_t i = 0; i < in->nkvs; i++) {
            w_putc(w, ' ');
            quote(w, in->kvs[i].key.text);
            w_putc(w, ' ');
            quote(w, in->kvs[i].value.text);
            w_puts(w, in->kvs[i].has_eq ? " \"=\"" : " \"\"");
        }
        return;
    }
    if (in->kind == DW_I_UNKNOWN) {
        w_put(w, " \"\"", 3);
        return;
    }
    for (uint32_t i = 0; i < in->nargs; i++) {
        w_putc(w, ' ');
        quote(w, in->args[i].text);
    }
}

void dw_dockerfile_dump(const dw_dockerfile *df, FILE *out)
{
    writer w = {out, dw_xmalloc(1 << 16), 0, 1 << 16};
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        w_putc(&w, '(');
        dump_instr(&w, &df->instrs[i]);
        w_put(&w, ")\n", 2);
    }
    w_flush(&w);
    free(w.buf);
}
