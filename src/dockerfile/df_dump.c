/* df_dump.c — the AST in the format of BuildKit's parser test `result`
 * files: one "(name [flags] args...)" line per instruction, each value quoted
 * as Go's strconv.Quote does. */
#include "dockerfile_int.h"

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

void dw_go_quote(FILE *out, dw_str s)
{
    static const char hex[] = "0123456789abcdef";
    putc_unlocked('"', out);
    size_t i = 0;
    while (i < s.len) {
        /* write runs of bytes that need no escaping in one call */
        size_t run = i;
        while (run < s.len) {
            unsigned char c = (unsigned char)s.ptr[run];
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') break;
            run++;
        }
        if (run > i) {
            fwrite(s.ptr + i, 1, run - i, out);
            i = run;
            continue;
        }
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) {
            i++;
            switch (c) {
            case '"': fputs("\\\"", out); continue;
            case '\\': fputs("\\\\", out); continue;
            case '\a': fputs("\\a", out); continue;
            case '\b': fputs("\\b", out); continue;
            case '\f': fputs("\\f", out); continue;
            case '\n': fputs("\\n", out); continue;
            case '\r': fputs("\\r", out); continue;
            case '\t': fputs("\\t", out); continue;
            case '\v': fputs("\\v", out); continue;
            }
            fprintf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
            continue;
        }
        int w;
        uint32_t cp = dw_utf8_decode(s.ptr + i, s.len - i, &w);
        if (cp == 0xFFFD && w == 1) {
            fprintf(out, "\\x%c%c", hex[c >> 4], hex[c & 15]);
            i++;
            continue;
        }
        if (go_is_print(cp)) fwrite(s.ptr + i, 1, (size_t)w, out);
        else if (cp < 0x10000) fprintf(out, "\\u%04x", cp);
        else fprintf(out, "\\U%08x", cp);
        i += (size_t)w;
    }
    putc_unlocked('"', out);
}

static void dump_lower(FILE *out, dw_str s)
{
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        putc_unlocked(c >= 'A' && c <= 'Z' ? c + 32 : c, out);
    }
}

static void dump_instr(FILE *out, const dw_instr *in)
{
    dump_lower(out, in->keyword);
    if (in->nflags) {
        fputs(" [", out);
        for (uint32_t i = 0; i < in->nflags; i++) {
            if (i) fputc(' ', out);
            dw_go_quote(out, in->flags[i].raw);
        }
        fputc(']', out);
    }
    if (in->kind == DW_I_ONBUILD) {
        if (in->sub) {
            fputs(" (", out);
            dump_instr(out, in->sub);
            fputc(')', out);
        }
        return;
    }
    if (in->kind == DW_I_ENV || in->kind == DW_I_LABEL) {
        for (uint32_t i = 0; i < in->nkvs; i++) {
            fputc(' ', out);
            dw_go_quote(out, in->kvs[i].key.text);
            fputc(' ', out);
            dw_go_quote(out, in->kvs[i].value.text);
            fputs(in->kvs[i].has_eq ? " \"=\"" : " \"\"", out);
        }
        return;
    }
    if (in->kind == DW_I_UNKNOWN) {
        fputs(" \"\"", out);
        return;
    }
    for (uint32_t i = 0; i < in->nargs; i++) {
        fputc(' ', out);
        dw_go_quote(out, in->args[i].text);
    }
}

void dw_dockerfile_dump(const dw_dockerfile *df, FILE *out)
{
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        fputc('(', out);
        dump_instr(out, &df->instrs[i]);
        fputs(")\n", out);
    }
}
