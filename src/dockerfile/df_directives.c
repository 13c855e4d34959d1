/* df_directives.c — parser directives read the way BuildKit's
 * DirectiveParser, DetectSyntax and ParseDirective read them (a shebang
 * first line is skipped; DetectSyntax also takes `//syntax=` lines and a
 * JSON object with a "syntax" key). The main parser has its own scan in
 * df_parse.c, which does not skip a shebang, as BuildKit's does not. */
#include "dockerfile_int.h"
#include "df_directives.h"

/* ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ on a line after the comment prefix. */
static bool match_kv(dw_str s, dw_str *key, dw_str *value)
{
#define GOSPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\n' || (c) == '\f' || (c) == '\r')
#define ALPHA(c) (((c) >= 'a' && (c) <= 'z') || ((c) >= 'A' && (c) <= 'Z'))
    size_t i = 0;
    if (i >= s.len || !ALPHA(s.ptr[i])) return false;
    while (i < s.len && (ALPHA(s.ptr[i]) || (s.ptr[i] >= '0' && s.ptr[i] <= '9'))) i++;
    *key = dw_str_make(s.ptr, i);
    while (i < s.len && GOSPACE(s.ptr[i])) i++;
    if (i >= s.len || s.ptr[i] != '=') return false;
    i++;
    while (i < s.len && GOSPACE(s.ptr[i])) i++;
    size_t e = s.len;
    while (e > i && GOSPACE(s.ptr[e - 1])) e--;
    if (e <= i) return false;
    *value = dw_str_make(s.ptr + i, e - i);
    return true;
#undef GOSPACE
#undef ALPHA
}

int dw_directives_parse_all(dw_arena *a, dw_str data, const char *prefix, uint32_t line0,
                            dw_directive **out, uint32_t *n, const char **err)
{
    DW_VEC(dw_directive) v = {0};
    uint32_t line = line0;
    size_t pos = 0;
    int rc = 0;
    bool seen_syntax = false, seen_escape = false, seen_check = false;
    size_t plen = strlen(prefix);
    while (pos < data.len) {
        const char *nl = memchr(data.ptr + pos, '\n', data.len - pos);
        size_t end = nl ? (size_t)(nl - data.ptr) : data.len;
        dw_str l = dw_str_make(data.ptr + pos, end - pos);
        if (l.len && l.ptr[l.len - 1] == '\r') l.len--; /* bufio.ScanLines drops one \r */
        pos = nl ? end + 1 : data.len;
        line++;
        if (l.len < plen || memcmp(l.ptr, prefix, plen) != 0) break;
        l = dw_str_trim_left_space(dw_str_sub(l, plen, l.len));
        dw_str key, value;
        if (!match_kv(l, &key, &value)) break;
        bool *seen = dw_str_ieqc(key, "syntax") ? &seen_syntax : dw_str_ieqc(key, "escape") ? &seen_escape
                     : dw_str_ieqc(key, "check") ? &seen_check : NULL;
        if (!seen) break;
        dw_str lk = dw_str_lower(a, key);
        if (*seen) {
            *err = dw_arena_printf(a, "only one %.*s parser directive can be used", (int)lk.len, lk.ptr);
            rc = -1;
            break;
        }
        *seen = true;
        dw_directive d;
        memset(&d, 0, sizeof d);
        d.name = lk;
        d.value = value;
        d.line = line;
        DW_VEC_PUSH(a, v, d);
    }
    *out = v.v;
    *n = v.n;
    return rc;
}

static bool find_in(dw_arena *a, dw_str data, const char *prefix, uint32_t line0, const char *key,
                    dw_str *value, dw_str *cmdline, uint32_t *line)
{
    dw_directive *ds;
    uint32_t n;
    const char *err;
    dw_directives_parse_all(a, data, prefix, line0, &ds, &n, &err);
    for (uint32_t i = 0; i < n; i++) {
        if (!dw_str_eqc(ds[i].name, key)) continue;
        *cmdline = ds[i].value;
        const char *sp = dw_str_chr(ds[i].value, ' ');
        *value = sp ? dw_str_make(ds[i].value.ptr, (size_t)(sp - ds[i].value.ptr)) : ds[i].value;
        *line = ds[i].line;
        return true;
    }
    return false;
}

bool dw_directive_find(dw_arena *a, dw_str data, const char *key, bool any_format, dw_str *value,
                       dw_str *cmdline, uint32_t *line)
{
    *value = *cmdline = dw_str_make("", 0);
    *line = 0;
    if (data.len >= 3 && memcmp(data.ptr, "\xEF\xBB\xBF", 3) == 0) data = dw_str_sub(data, 3, data.len);
    uint32_t line0 = 0;
    const char *nl = dw_str_chr(data, '\n');
    dw_str first = nl ? dw_str_make(data.ptr, (size_t)(nl - data.ptr)) : data;
    if (dw_str_has_prefix(first, "#!")) {
        data = nl ? dw_str_make(nl + 1, data.len - first.len - 1) : dw_str_make(data.ptr + data.len, 0);
        line0 = 1;
    }
    if (find_in(a, data, "#", line0, key, value, cmdline, line)) return true;
    if (!any_format) return false;
    if (find_in(a, data, "//", line0, key, value, cmdline, line)) return true;
    dw_str v;
    if (dw_json_object_string(a, data, key, &v)) {
        *value = *cmdline = v;
        *line = line0;
        return true;
    }
    return false;
}
