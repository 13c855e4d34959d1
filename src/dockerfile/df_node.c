/* df_node.c — turns one joined instruction line into an instruction node the
 * way BuildKit's newNodeFromLine does: split off the keyword, extract the
 * leading --flags, then parse the arguments with the instruction's own
 * argument parser (JSON-or-string, JSON-or-list, key=value pairs, words,
 * HEALTHCHECK type + command, ONBUILD sub-instruction). Every word keeps its
 * span in the file. */
#include "dockerfile_int.h"

#include <stdio.h>

void dw_node_error(dw_parser *p, dw_instr *in, dw_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = dw_arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    dw_diag_emit(p->a, &p->df->diags, "syntax-error", DW_SEV_ERROR, span, "%s", msg);
    if (!in->error) in->error = msg;
}

/* Words are written in place, field by field (see dw_word_slot). */
static inline void set_word(dw_word *w, const dw_instr *in, dw_str text, const char *src_ptr, size_t src_len)
{
    w->text = text;
    w->span = dw_file_span_i(in, src_ptr, src_len);
    w->expanded = dw_str_make(NULL, 0);
    w->has_expanded = false;
}

static inline void set_view(dw_word *w, const dw_instr *in, dw_str s) { set_word(w, in, s, s.ptr, s.len); }

/* The bytes that end the plain part of a flag word: ASCII white space,
 * quotes, backslash, and every non-ASCII byte (which may start a Unicode
 * space: dw_space_at decides). */
#define HI16(b) [b] = true, [b + 1] = true, [b + 2] = true, [b + 3] = true, [b + 4] = true, [b + 5] = true, \
    [b + 6] = true, [b + 7] = true, [b + 8] = true, [b + 9] = true, [b + 10] = true, [b + 11] = true,   \
    [b + 12] = true, [b + 13] = true, [b + 14] = true, [b + 15] = true
static const bool flag_stop[256] = {
    ['\t'] = true, ['\n'] = true, ['\v'] = true, ['\f'] = true, ['\r'] = true, [' '] = true,
    ['\''] = true, ['"'] = true, ['\\'] = true,
    HI16(0x80), HI16(0x90), HI16(0xA0), HI16(0xB0), HI16(0xC0), HI16(0xD0), HI16(0xE0), HI16(0xF0),
};
#undef HI16

/* BuildKit's extractBuilderFlags: leading words starting with "--" are
 * flags; quotes group and are removed, backslash escapes the next byte. A
 * lone "--" ends the flags and is dropped. Returns the remaining text. */
static dw_str extract_flags(dw_parser *p, dw_instr *in, dw_str line)
{
    dw_buf *w = &p->buf; /* scratch */
    w->n = 0;
    size_t pos = 0, n = line.len;
    const char *s = line.ptr;
    dw_str rest = dw_str_make(s + n, 0);
    for (;;) {
        /* looking for the start of a word */
        while (pos < n) {
            int sp = dw_space_at_fast(s + pos, n - pos);
            if (!sp) break;
            pos += (size_t)sp;
        }
        if (pos >= n) break;
        if (s[pos] != '-' || pos + 1 >= n || s[pos + 1] != '-') { rest = dw_str_make(s + pos, n - pos); break; }
        size_t start = pos;
        w->n = 0;
        bool blank_ok = false;
        char quote = 0;
        bool ended_by_space = false;
        const char *view = NULL; /* the word itself when it needs no unquoting */
        size_t e = pos;
        for (;;) {
            /* the plain ASCII bytes first, without the Unicode space test */
            while (e < n && !flag_stop[(unsigned char)s[e]]) e++;
            if (e < n && (unsigned char)s[e] >= 0x80 && !dw_space_at(s + e, n - e)) { e++; continue; }
            break;
        }
        if (e == n || dw_space_at_fast(s + e, n - e)) {
            view = s + pos;
            w->n = e - pos;
            pos = e;
            ended_by_space = e < n;
        }
        while (!view && pos < n) {
            char c = s[pos];
            if (!quote) {
                int sp = dw_space_at_fast(s + pos, n - pos);
                if (sp) { ended_by_space = true; break; }
                if (c == '\'' || c == '"') { quote = c; blank_ok = true; pos++; continue; }
                if (c == '\\') {
                    if (pos + 1 == n) { pos++; continue; }
                    pos++;
                    c = s[pos];
                }
                dw_buf_putc(w, c);
                pos++;
            } else {
                if (c == quote) { quote = 0; pos++; continue; }
                if (c == '\\') {
                    if (pos + 1 == n) { quote = 0; pos++; continue; }
                    pos++;
                    c = s[pos];
                }
                dw_buf_putc(w, c);
                pos++;
            }
        }
        const char *text = view ? view : w->p;
        bool dashdash = w->n == 2 && text[0] == '-' && text[1] == '-';
        if (dashdash) {
            rest = ended_by_space ? dw_str_make(s + pos, n - pos) : dw_str_make(s + n, 0);
            break;
        }
        if (blank_ok || w->n > 0) {
            /* filled in place, as words are (see dw_word_slot) */
            if (p->flags.n == p->flags.cap) {
                p->flags.cap = p->flags.cap ? p->flags.cap * 2 : 8;
                p->flags.v = dw_xrealloc(p->flags.v, sizeof *p->flags.v * p->flags.cap);
            }
            dw_flag *f = &p->flags.v[p->flags.n++];
            f->raw = dw_str_make(view ? view : dw_arena_memdup(p->a, w->p, w->n), w->n);
            f->span = dw_file_span_i(in, s + start, pos - start);
            dw_str body = dw_str_sub(f->raw, 2, f->raw.len);
            const char *eq = dw_str_chr(body, '=');
            f->has_value = eq != NULL;
            if (eq) {
                f->name = dw_str_make(body.ptr, (size_t)(eq - body.ptr));
                f->value = dw_str_make(eq + 1, body.len - f->name.len - 1);
            } else {
                f->name = body;
                f->value = dw_str_make(NULL, 0);
            }
        }
        if (!ended_by_space) break;
    }
    DW_SVEC_TAKE(p->a, p->flags, in->flags, in->nflags);
    return rest;
}

/* Splits on runs of [\t\v\f\r ] like reWhitespace.Split(rest, -1). */
static void split_ws(dw_parser *p, dw_instr *in, dw_str rest)
{
    if (rest.len == 0) return;
    size_t i = 0;
    for (;;) {
        size_t st = i;
        while (i < rest.len && !dw_is_ws(rest.ptr[i])) i++;
        set_view(dw_word_slot(&p->words), in, dw_str_make(rest.ptr + st, i - st));
        if (i >= rest.len) break;
        while (i < rest.len && dw_is_ws(rest.ptr[i])) i++;
        if (i >= rest.len) { set_view(dw_word_slot(&p->words), in, dw_str_make(rest.ptr + i, 0)); break; }
    }
    DW_SVEC_TAKE(p->a, p->words, in->args, in->nargs);
}

static void one_arg(dw_parser *p, dw_instr *in, dw_str rest)
{
    if (rest.len == 0) return;
    in->args = DW_NEW_PACKED(p->a, dw_word, 1);
    set_view(&in->args[0], in, rest);
    in->nargs = 1;
}

/* Tries exec form: returns 0 with the words appended to p->words, 1 for
 * shell form, or 2 after reporting a valid JSON array that holds something
 * other than strings. */
static int try_json(dw_parser *p, dw_instr *in, dw_str rest)
{
    int r = dw_json_string_array_into(p, in, rest);
    if (r == 2)
        dw_node_error(p, in, dw_file_span_i(in, rest.ptr, rest.len),
                      "when using JSON array syntax, arrays must be comprised of strings only");
    return r;
}

/* parseMaybeJSON: an exec-form array, else the whole text as one argument.
 * The words already in p->words (HEALTHCHECK's type) are kept in front. */
static void maybe_json(dw_parser *p, dw_instr *in, dw_str rest)
{
    int r = rest.len ? try_json(p, in, rest) : 2;
    if (r == 0) {
        in->json = true;
        if (!p->words.n) { /* "[]": no words, but an args array as always */
            in->args = DW_NEW_PACKED(p->a, dw_word, 1);
            return;
        }
    } else if (r == 1) {
        set_view(dw_word_slot(&p->words), in, rest);
    }
    DW_SVEC_TAKE(p->a, p->words, in->args, in->nargs);
}

/* parseMaybeJSONToList: an exec-form array, else white-space separated words. */
static void maybe_json_list(dw_parser *p, dw_instr *in, dw_str rest)
{
    int r = try_json(p, in, rest);
    if (r == 2) return;
    if (r == 0) {
        in->json = true;
        DW_SVEC_TAKE(p->a, p->words, in->args, in->nargs);
        return;
    }
    split_ws(p, in, rest);
}

/* What a byte can be to parse_words, in one load: any non-ASCII byte or
 * quote ends the plain run, either escape character does when it is the
 * one in use, ASCII white space does outside quotes. */
enum { WC_STOP = 1, WC_ESC, WC_SPACE };
#define WC16(b) [b] = WC_STOP, [b + 1] = WC_STOP, [b + 2] = WC_STOP, [b + 3] = WC_STOP, [b + 4] = WC_STOP, \
    [b + 5] = WC_STOP, [b + 6] = WC_STOP, [b + 7] = WC_STOP, [b + 8] = WC_STOP, [b + 9] = WC_STOP,        \
    [b + 10] = WC_STOP, [b + 11] = WC_STOP, [b + 12] = WC_STOP, [b + 13] = WC_STOP, [b + 14] = WC_STOP,  \
    [b + 15] = WC_STOP
static const unsigned char word_class[256] = {
    ['\''] = WC_STOP, ['"'] = WC_STOP, ['\\'] = WC_ESC, ['`'] = WC_ESC,
    [' '] = WC_SPACE, ['\t'] = WC_SPACE, ['\n'] = WC_SPACE, ['\v'] = WC_SPACE, ['\f'] = WC_SPACE, ['\r'] = WC_SPACE,
    WC16(0x80), WC16(0x90), WC16(0xA0), WC16(0xB0), WC16(0xC0), WC16(0xD0), WC16(0xE0), WC16(0xF0),
};
#undef WC16

/* BuildKit's parseWords: words separated by Unicode white space; quotes
 * group and are kept; the escape character keeps the next character with it
 * (a trailing one is dropped). Words are views into `rest` unless a byte of
 * invalid UTF-8 had to be replaced, as Go's rune decoding does. */
typedef dw_pword pword;

static uint32_t parse_words(dw_parser *p, dw_str rest, pword **out)
{
    p->pwords.n = 0;
    size_t pos = 0, n = rest.len;
    const char *s = rest.ptr;
    char esc = p->escape;
    while (pos < n) {
        int sp = dw_space_at_fast(s + pos, n - pos);
        if (sp) { pos += (size_t)sp; continue; }
        size_t start = pos;
        char quote = 0;
        bool blank_ok = false, clean = true;
        size_t dropped = 0; /* a trailing escape character is not part of the word */
        while (pos < n) {
            /* skip the run of ASCII bytes that only extend the word */
            while (pos < n) {
                unsigned char c = (unsigned char)s[pos], k = word_class[c];
                if (k && (k == WC_STOP || (k == WC_ESC && c == (unsigned char)esc) || (k == WC_SPACE && !quote))) break;
                pos++;
            }
            if (pos >= n) break;
            int width = 1;
            uint32_t cp = (unsigned char)s[pos];
            if (cp >= 0x80) {
                cp = dw_utf8_decode(s + pos, n - pos, &width);
                if (cp == 0xFFFD && width == 1) clean = false;
            }
            if (!quote) {
                if (cp < 0x80 ? cp == ' ' || (cp >= '\t' && cp <= '\r') : dw_unicode_is_space(cp) && cp != 0xFFFD) break;
                if (cp == '\'' || cp == '"') { quote = (char)cp; blank_ok = true; pos += (size_t)width; continue; }
                if (cp == (uint32_t)(unsigned char)esc) {
                    if (pos + 1 == n) { dropped = 1; pos++; continue; }
                    pos++;
                    dw_utf8_decode(s + pos, n - pos, &width);
                }
                pos += (size_t)width;
            } else {
                if (cp == (uint32_t)(unsigned char)quote) { quote = 0; pos += (size_t)width; continue; }
                if (cp == (uint32_t)(unsigned char)esc && quote != '\'') {
                    if (pos + 1 == n) { dropped = 1; pos++; quote = 0; continue; }
                    pos++;
                    dw_utf8_decode(s + pos, n - pos, &width);
                }
                pos += (size_t)width;
            }
        }
        (void)blank_ok;
        pword w;
        w.at = s + start;
        w.srclen = pos - start;
        size_t len = pos - start - dropped;
        if (clean) {
            w.text = dw_str_make(s + start, len);
        } else {
            dw_buf b = {0};
            for (size_t i = start; i < start + len;) {
                int width;
                uint32_t cp = dw_utf8_decode(s + i, start + len - i, &width);
                char enc[4];
                dw_buf_put(&b, enc, (size_t)dw_utf8_encode(cp, enc));
                i += (size_t)width;
            }
            w.text = dw_str_make(dw_arena_memdup(p->a, b.p ? b.p : "", b.n), b.n);
            dw_buf_free(&b);
        }
        if (len > 0 || blank_ok) DW_SVEC_PUSH(p->pwords, w);
    }
    *out = p->pwords.v; /* the parser's scratch: valid until the next call */
    return p->pwords.n;
}

/* ENV and LABEL: `key=value ...`, or the legacy `key value` (the rest of the
 * line is the value). */
static void name_val_words(dw_parser *p, dw_instr *in, dw_str rest, const char *what, pword *words, uint32_t n)
{
    if (n == 0) return;
    if (!dw_str_chr(words[0].text, '=')) {
        size_t i = 0;
        while (i < rest.len && !dw_is_ws(rest.ptr[i])) i++;
        if (i >= rest.len) {
            dw_node_error(p, in, in->span, "%s must have two arguments", what);
            return;
        }
        size_t j = i;
        while (j < rest.len && dw_is_ws(rest.ptr[j])) j++;
        in->kvs = DW_NEW_PACKED(p->a, dw_kv, 1);
        in->nkvs = 1;
        set_view(&in->kvs[0].key, in, dw_str_make(rest.ptr, i));
        set_view(&in->kvs[0].value, in, dw_str_make(rest.ptr + j, rest.len - j));
        in->kvs[0].has_eq = false;
        return;
    }
    in->kvs = DW_NEW_PACKED(p->a, dw_kv, n);
    for (uint32_t i = 0; i < n; i++) {
        dw_str t = words[i].text;
        const char *eq = dw_str_chr(t, '=');
        if (!eq) {
            dw_node_error(p, in, dw_file_span_i(in, words[i].at, words[i].srclen),
                          "Syntax error - can't find = in \"%.*s\". Must be of the form: name=value",
                          (int)t.len, t.ptr);
            in->nkvs = 0;
            return;
        }
        size_t k = (size_t)(eq - t.ptr);
        bool view = t.ptr == words[i].at;
        dw_kv *kv = &in->kvs[in->nkvs++];
        kv->has_eq = true;
        if (view) {
            set_view(&kv->key, in, dw_str_make(t.ptr, k));
            set_view(&kv->value, in, dw_str_make(eq + 1, t.len - k - 1));
        } else {
            set_word(&kv->key, in, dw_str_make(t.ptr, k), words[i].at, words[i].srclen);
            set_word(&kv->value, in, dw_str_make(eq + 1, t.len - k - 1), words[i].at, words[i].srclen);
        }
    }
}

static void name_val(dw_parser *p, dw_instr *in, dw_str rest, const char *what)
{
    pword *words;
    uint32_t n = parse_words(p, rest, &words);
    name_val_words(p, in, rest, what, words, n);
}

/* ARG: a list of `name` or `name=value` words. */
static void name_or_name_val(dw_parser *p, dw_instr *in, dw_str rest)
{
    pword *words;
    uint32_t n = parse_words(p, rest, &words);
    if (n == 0) return;
    in->args = DW_NEW_PACKED(p->a, dw_word, n);
    in->kvs = DW_NEW_PACKED(p->a, dw_kv, n);
    in->nargs = in->nkvs = n;
    for (uint32_t i = 0; i < n; i++) {
        dw_str t = words[i].text;
        set_word(&in->args[i], in, t, words[i].at, words[i].srclen);
        const char *eq = dw_str_chr(t, '=');
        dw_kv *kv = &in->kvs[i];
        if (eq) {
            size_t k = (size_t)(eq - t.ptr);
            /* where the '=' is in the file: k bytes in, unless invalid UTF-8
             * before it was re-encoded (3 bytes each) in the text */
            const char *feq = memchr(words[i].at, '=', words[i].srclen);
            size_t fk = feq ? (size_t)(feq - words[i].at) : k;
            kv->has_eq = true;
            set_word(&kv->key, in, dw_str_make(t.ptr, k), words[i].at, fk);
            set_word(&kv->value, in, dw_str_make(eq + 1, t.len - k - 1), words[i].at + fk + 1,
                                words[i].srclen - fk - 1);
        } else {
            kv->key = in->args[i];
        }
    }
}

/* HEALTHCHECK: the type word, then the command as for CMD. BuildKit tests
 * white space byte by byte, so bytes 0x85 and 0xA0 count as well. */
static void health(dw_parser *p, dw_instr *in, dw_str rest)
{
#define HSPACE(c) (dw_is_ws(c) || (c) == '\n' || (unsigned char)(c) == 0x85 || (unsigned char)(c) == 0xA0)
    size_t sep = 0;
    while (sep < rest.len && !HSPACE(rest.ptr[sep])) sep++;
    size_t next = sep;
    while (next < rest.len && HSPACE(rest.ptr[next])) next++;
#undef HSPACE
    if (sep == 0) return;
    set_view(dw_word_slot(&p->words), in, dw_str_make(rest.ptr, sep));
    maybe_json(p, in, dw_str_make(rest.ptr + next, rest.len - next));
}

void dw_node_build(dw_parser *p, dw_instr *in, dw_str line)
{
    dw_str t = dw_str_trim_space(line);
    size_t i = 0;
    while (i < t.len && !dw_is_ws(t.ptr[i])) i++;
    in->keyword = dw_str_make(t.ptr, i);
    in->keyword_span = dw_file_span_i(in, t.ptr, i);
    in->kind = dw_instr_lookup(in->keyword);
    if (in->span.start > in->keyword_span.start) in->span.start = in->keyword_span.start;
    dw_str args = dw_str_make(t.ptr + t.len, 0);
    if (i < t.len) {
        size_t j = i;
        while (j < t.len && dw_is_ws(t.ptr[j])) j++;
        args = dw_str_trim_space(extract_flags(p, in, dw_str_make(t.ptr + j, t.len - j)));
    }
    in->args_text = args;
    in->args_span = dw_file_span_i(in, args.ptr, args.len);

    switch (in->kind) {
    case DW_I_ADD: case DW_I_COPY: case DW_I_VOLUME:
        maybe_json_list(p, in, args);
        break;
    case DW_I_RUN: case DW_I_CMD: case DW_I_ENTRYPOINT: case DW_I_SHELL:
        maybe_json(p, in, args);
        break;
    case DW_I_ENV: name_val(p, in, args, "ENV"); break;
    case DW_I_LABEL: name_val(p, in, args, "LABEL"); break;
    case DW_I_ARG: name_or_name_val(p, in, args); break;
    case DW_I_EXPOSE: case DW_I_FROM: split_ws(p, in, args); break;
    case DW_I_MAINTAINER: case DW_I_USER: case DW_I_WORKDIR: case DW_I_STOPSIGNAL:
        one_arg(p, in, args);
        break;
    case DW_I_HEALTHCHECK: health(p, in, args); break;
    case DW_I_ONBUILD:
        if (args.len) {
            dw_instr *sub = dw_arena_alloc(p->a, sizeof *sub);
            sub->joined_base = in->joined_base;
            sub->segs = in->segs;
            sub->nsegs = in->nsegs;
            sub->line = in->line;
            sub->stage = -1;
            sub->from_stage = -1;
            sub->span = in->args_span;
            sub->original = args; /* the trigger's text: its pieces end where the parent's do */
            dw_node_build(p, sub, args);
            in->sub = sub;
            if (sub->error && !in->error) in->error = sub->error;
        }
        break;
    default:
        break; /* unknown instructions keep no arguments */
    }
}
