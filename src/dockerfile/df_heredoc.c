/* df_heredoc.c — heredoc words (BuildKit's ParseHeredoc / heredocsFromLine).
 * A word `[digits]<<[-]DELIM` starts a heredoc; quoting any part of DELIM
 * turns off expansion of the body. Bodies are read by df_parse.c. */
#include "dockerfile_int.h"

static size_t count_quotes(dw_str s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] == '\'' || s.ptr[i] == '"') n++;
    return n;
}

/* True for bytes the shell lexer gives a meaning to (quotes, the escape,
 * '$') and for non-ASCII bytes; text without any of them lexes to itself. */
static bool lex_special(unsigned char c) { return c >= 0x80 || c == '\'' || c == '"' || c == '\\' || c == '$'; }

static bool ascii_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int dw_heredoc_parse_word(dw_arena *a, dw_str word, dw_heredoc_word *out, const char **err)
{
    memset(out, 0, sizeof *out);
    /* ^(\d*)<<(-?)([^<]*)$ */
    size_t i = 0;
    uint32_t fd = 0;
    while (i < word.len && word.ptr[i] >= '0' && word.ptr[i] <= '9') {
        if (fd < 100000000u) fd = fd * 10 + (uint32_t)(word.ptr[i] - '0');
        i++;
    }
    if (word.len - i < 2 || word.ptr[i] != '<' || word.ptr[i + 1] != '<') return 0;
    i += 2;
    bool chomp = false;
    if (i < word.len && word.ptr[i] == '-') { chomp = true; i++; }
    dw_str rest = dw_str_sub(word, i, word.len);
    if (dw_str_chr(rest, '<')) return 0;
    if (rest.len == 0) return 0;

    /* plain text: ProcessWords splits it on white space and nothing else
     * changes, with or without raw quotes; one word is the name */
    bool plain = true;
    for (size_t k = 0; k < rest.len && plain; k++) plain = !lex_special((unsigned char)rest.ptr[k]);
    if (plain) {
        size_t st = 0, e = rest.len;
        while (st < e && ascii_space(rest.ptr[st])) st++;
        while (e > st && ascii_space(rest.ptr[e - 1])) e--;
        for (size_t k = st; k < e; k++)
            if (ascii_space(rest.ptr[k])) return 0; /* two words */
        if (st == e) return 0; /* no word */
        out->ok = true;
        out->name = dw_str_dup(a, dw_str_make(rest.ptr + st, e - st)); /* owned, as the lexer's words are */
        out->fd = fd;
        out->chomp = chomp;
        out->expand = true;
        return 0;
    }

    dw_lexer lx = {.escape = '\\', .skip_unset_env = true};
    dw_env env = {0};
    dw_str *words;
    uint32_t n;
    if (dw_lex_process_words(a, &lx, rest, &env, &words, &n, err) < 0) return -1;
    if (n != 1) return 0;
    dw_str *raw;
    uint32_t nraw;
    lx.raw_quotes = true;
    if (dw_lex_process_words(a, &lx, rest, &env, &raw, &nraw, err) < 0) return -1;
    if (nraw != n) {
        *err = dw_arena_printf(a, "internal lexing of heredoc produced inconsistent results: %.*s",
                               (int)rest.len, rest.ptr);
        return -1;
    }
    out->ok = true;
    out->name = words[0];
    out->fd = fd;
    out->chomp = chomp;
    out->expand = count_quotes(words[0]) == count_quotes(raw[0]);
    return 0;
}

/* `<<` or `<<-` (optionally after digits) standing alone: the newer lexer
 * glues it to the word that follows, so `<< EOF` is one heredoc word. */
static bool bare_marker(dw_str w)
{
    size_t i = 0;
    while (i < w.len && w.ptr[i] >= '0' && w.ptr[i] <= '9') i++;
    if (w.len - i < 2 || w.ptr[i] != '<' || w.ptr[i + 1] != '<') return false;
    i += 2;
    if (i < w.len && w.ptr[i] == '-') i++;
    return i == w.len;
}

/* The heredocs among the words of a line (heredocsFromLine after the
 * lexing), appended to `docs`. */
static int heredocs_from_words(dw_arena *a, dw_str line, const dw_str *words, uint32_t nw, dw_heredoc_vec *docs,
                               const char **err)
{
    const char *search = line.ptr;
    const char *end = line.ptr + line.len;
    for (uint32_t i = 0; i < nw; i++) {
        dw_str w = words[i];
        /* locate the word in the line: with raw quotes and escapes and no
         * variables set, words are verbatim pieces of it */
        const char *at = NULL;
        if (w.len && (size_t)(end - search) >= w.len) {
            for (const char *q = search; q + w.len <= end; q++)
                if (*q == w.ptr[0] && memcmp(q, w.ptr, w.len) == 0) { at = q; break; }
        }
        size_t wlen = w.len;
        if (bare_marker(w) && i + 1 < nw) {
            dw_str next = words[i + 1];
            char *glued = dw_arena_alloc_align(a, w.len + 1 + next.len + 1, 1);
            memcpy(glued, w.ptr, w.len);
            glued[w.len] = ' ';
            memcpy(glued + w.len + 1, next.ptr, next.len);
            w = dw_str_make(glued, w.len + 1 + next.len);
            i++;
            if (at) {
                const char *q = at + wlen;
                while (q < end && (*q == ' ' || *q == '\t')) q++;
                if ((size_t)(end - q) >= next.len && memcmp(q, next.ptr, next.len) == 0)
                    wlen = (size_t)(q - at) + next.len;
            }
        }
        if (at) search = at + wlen;
        dw_heredoc_word hw;
        if (dw_heredoc_parse_word(a, w, &hw, err) < 0) return -1;
        if (!hw.ok) continue;
        dw_heredoc h;
        memset(&h, 0, sizeof h);
        h.name = hw.name;
        h.fd = hw.fd;
        h.expand = hw.expand;
        h.chomp = hw.chomp;
        /* word_span holds offsets relative to the line; the caller maps them */
        if (at) {
            h.word_span.start = (uint32_t)(at - line.ptr);
            h.word_span.end = (uint32_t)(at - line.ptr + wlen);
        } else {
            h.word_span.start = 0;
            h.word_span.end = (uint32_t)line.len;
        }
        DW_SVEC_PUSH(*docs, h);
    }
    return 0;
}

int dw_heredocs_from_line(dw_arena *a, dw_str line, dw_heredoc **out, uint32_t *n,
                          dw_str **words_out, const char **err)
{
    *out = NULL;
    *n = 0;
    dw_lexer lx = {.escape = '\\', .raw_quotes = true, .raw_escapes = true, .skip_unset_env = true};
    dw_env env = {0};
    dw_str *words = NULL;
    uint32_t nw = 0;
    const char *ignored = NULL;
    if (dw_lex_process_words(a, &lx, line, &env, &words, &nw, &ignored) < 0) nw = 0;
    if (words_out) *words_out = words;
    dw_heredoc_vec docs = {0};
    if (heredocs_from_words(a, line, words, nw, &docs, err) < 0) { DW_SVEC_FREE(docs); return -1; }
    DW_SVEC_COMMIT(a, docs, *out, *n);
    return 0;
}

/* ProcessWords (raw quotes and escapes, no variables) of a line with no
 * quote, escape, '$' or non-ASCII byte: each word is a verbatim piece of the
 * line, split at ASCII white space, "<<" taking the blanks (space, tab, CR)
 * after it along.
 *
 * Only words holding "<<" can start a heredoc, and in such a line each
 * word is found in the line where it is (heredocsFromLine's search from the
 * end of the previous word finds nothing earlier: only white space lies
 * between), so the heredocs are read as the line is split. The one case
 * that needs the general code, a bare "<<" glued to the next word, and any
 * line that is not plain, make this return 1 having done nothing. */
static int plain_heredocs(dw_parser *p, dw_str line, const char **err)
{
    const char *s = line.ptr;
    size_t i = 0, n = line.len;
    for (size_t k = 0; k < n; k++)
        if (lex_special((unsigned char)s[k])) return 1;
    p->heredocs.n = 0;
    while (i < n) {
        while (i < n && ascii_space(s[i])) i++;
        if (i >= n) break;
        size_t st = i;
        bool marker = false;
        while (i < n && !ascii_space(s[i])) {
            if (s[i] == '<' && i + 1 < n && s[i + 1] == '<') {
                marker = true;
                i += 2;
                while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) i++;
            } else {
                i++;
            }
        }
        if (!marker) continue;
        dw_str w = dw_str_make(s + st, i - st);
        if (bare_marker(w)) {
            size_t k = i;
            while (k < n && ascii_space(s[k])) k++;
            if (k < n) { /* glued to the next word */
                p->heredocs.n = 0;
                return 1;
            }
        }
        dw_heredoc_word hw;
        if (dw_heredoc_parse_word(p->a, w, &hw, err) < 0) return -1;
        if (!hw.ok) continue;
        dw_heredoc h;
        memset(&h, 0, sizeof h);
        h.name = hw.name;
        h.fd = hw.fd;
        h.expand = hw.expand;
        h.chomp = hw.chomp;
        h.word_span.start = (uint32_t)st;
        h.word_span.end = (uint32_t)i;
        DW_SVEC_PUSH(p->heredocs, h);
    }
    return 0;
}

int dw_heredocs_from_line_p(dw_parser *p, dw_str line, dw_heredoc **out, uint32_t *n, const char **err)
{
    int rc = plain_heredocs(p, line, err);
    if (rc > 0) return dw_heredocs_from_line(p->a, line, out, n, NULL, err);
    if (rc < 0) { p->heredocs.n = 0; return -1; }
    DW_SVEC_TAKE(p->a, p->heredocs, *out, *n);
    return 0;
}
