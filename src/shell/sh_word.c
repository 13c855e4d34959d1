/* sh_word.c — questions about one word: is it an assignment, what is its
 * name, and how hadolint would spell it. */
#include "sh.h"

bool sh_is_name(dw_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
        if (!alpha && (i == 0 || c < '0' || c > '9')) return false;
    }
    return true;
}

bool sh_word_assignment(const sh_word *w, dw_str *name, dw_str *value)
{
    /* NAME, NAME[index] and the optional + must be unquoted literal text of
     * the first part, as the shell only recognises them written plainly */
    if (!w->nparts || w->parts[0].kind != SH_P_LIT) return false;
    dw_str r = w->parts[0].raw;
    size_t i = 0;
    while (i < r.len && (r.ptr[i] == '_' || (r.ptr[i] >= 'a' && r.ptr[i] <= 'z') || (r.ptr[i] >= 'A' && r.ptr[i] <= 'Z') ||
                         (i && r.ptr[i] >= '0' && r.ptr[i] <= '9')))
        i++;
    if (i == 0) return false;
    size_t name_len = i;
    if (i < r.len && r.ptr[i] == '[') {
        const char *close = memchr(r.ptr + i, ']', r.len - i);
        if (!close) return false;
        i = (size_t)(close - r.ptr) + 1;
    }
    if (i < r.len && r.ptr[i] == '+') i++;
    if (i >= r.len || r.ptr[i] != '=') return false;
    /* the prefix has no escapes, so it is the same length in the value */
    if (name) *name = dw_str_make(r.ptr, name_len);
    if (value) *value = dw_str_sub(w->value, i + 1, w->value.len);
    return true;
}

dw_str sh_word_hadolint(dw_arena *a, const sh_word *w)
{
    if (!(w->flags & SH_W_EXPANDS)) return w->value;
    dw_buf b = {0};
    for (uint32_t i = 0; i < w->nparts; i++) {
        const sh_part *p = &w->parts[i];
        switch (p->kind) {
        case SH_P_PARAM: case SH_P_CMDSUB: case SH_P_BACKTICK: case SH_P_ARITH: case SH_P_PROCSUB:
            dw_buf_puts(&b, "${VAR}");
            break;
        default:
            dw_buf_put(&b, w->value.ptr + p->voff, p->vlen);
            break;
        }
    }
    dw_str out = dw_str_make(dw_arena_memdup(a, b.p ? b.p : "", b.n), b.n);
    dw_buf_free(&b);
    return out;
}
