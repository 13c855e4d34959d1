/* shell_words.c — a string `command` / `entrypoint` split into words as
 * compose-go's ShellCommand does it: mattn/go-shellwords' Parse without
 * environment or backquote expansion (v1.0.14, what Compose builds with).
 * Quotes group, a backslash escapes (\t and \n become a tab and a newline),
 * `$(...)` and backquotes stay in the word, and the first unquoted shell
 * operator (; & | < >) ends the command: what follows is dropped. */
#include "syntax.h"

static void emit(dw_buf *buf, dw_word_fn fn, void *ud)
{
    if (fn) fn(ud, dw_str_make(buf->p ? buf->p : "", buf->n));
    buf->n = 0;
}

bool dw_shell_split(dw_str s, dw_word_fn fn, void *ud, size_t *stop, const char **why)
{
    dw_buf buf = {0};
    bool escaped = false, dq = false, sq = false, bq = false, dollar = false, got = false;
    if (stop) *stop = s.len;
    size_t i = 0;
    for (; i < s.len; i++) {
        char r = s.ptr[i];
        if (escaped) {
            dw_buf_putc(&buf, r == 't' ? '\t' : r == 'n' ? '\n' : r);
            escaped = false;
            got = true;
            continue;
        }
        if (r == '\\') {
            if (sq) dw_buf_putc(&buf, r);
            else escaped = true;
            continue;
        }
        if (r == ' ' || r == '\t' || r == '\r' || r == '\n') {
            if (sq || dq || bq || dollar) {
                dw_buf_putc(&buf, r);
            } else if (got) {
                emit(&buf, fn, ud);
                got = false;
            }
            continue;
        }
        bool end = false;
        switch (r) {
        case '`':
            if (!sq && !dq && !dollar) bq = !bq;
            break;
        case ')':
            if (!sq && !dq && !bq) {
                if (!dollar) { /* a bare `)` is an error since v1.0.13 */
                    dw_buf_free(&buf);
                    return *why = "a `)` that closes no `$(`", false;
                }
                dollar = false;
            }
            break;
        case '(':
            if (!sq && !dq && !bq) {
                if (!dollar && buf.n && buf.p[buf.n - 1] == '$') {
                    dollar = true;
                    dw_buf_putc(&buf, '(');
                    got = true;
                    continue;
                }
                dw_buf_free(&buf);
                return *why = "a `(` outside quotes", false;
            }
            break;
        case '"':
            if (!sq && !dollar) {
                if (dq) got = true;
                dq = !dq;
                continue;
            }
            break;
        case '\'':
            if (!dq && !dollar) {
                if (sq) got = true;
                sq = !sq;
                continue;
            }
            break;
        case ';': case '&': case '|': case '<': case '>':
            if (!(sq || dq || bq || dollar)) {
                /* `2>file`: the descriptor goes with the redirection */
                if (r == '>' && buf.n && buf.p[0] >= '0' && buf.p[0] <= '9') got = false;
                end = true;
            }
            break;
        }
        if (end) break;
        got = true;
        dw_buf_putc(&buf, r);
    }
    if (got) emit(&buf, fn, ud);
    dw_buf_free(&buf);
    if (escaped || sq || dq || bq || dollar) return *why = "a quote, `$(`, backquote or `\\` left open", false;
    if (stop && i < s.len) *stop = i;
    return true;
}
