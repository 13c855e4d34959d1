/* output.c — format names, dispatch to the writers, and what the writers
 * share: rule lookup, terminal-safe text, XML escaping, paths, ranges and
 * the stable fingerprints of codeclimate and SARIF. */
#include "output.h"

static const struct { const char *name; dw_format fmt; void (*write)(FILE *, const dw_results *); } formats[] = {
    {"tty", DW_FMT_TTY, dw_out_tty},
    {"gnu", DW_FMT_GNU, dw_out_gnu},
    {"json", DW_FMT_JSON, dw_out_json},
    {"sarif", DW_FMT_SARIF, dw_out_sarif},
    {"checkstyle", DW_FMT_CHECKSTYLE, dw_out_checkstyle},
    {"codeclimate", DW_FMT_CODECLIMATE, dw_out_codeclimate},
    {"github", DW_FMT_GITHUB, dw_out_github},
    {"junit", DW_FMT_JUNIT, dw_out_junit},
    {"sonarqube", DW_FMT_SONARQUBE, dw_out_sonarqube},
    {"hadolint", DW_FMT_HADOLINT, dw_out_hadolint},
};

int dw_format_parse(const char *name, dw_format *out)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(name, formats[i].name) == 0) { *out = formats[i].fmt; return 0; }
    if (strcmp(name, "gitlab") == 0 || strcmp(name, "gitlab_codeclimate") == 0) { *out = DW_FMT_CODECLIMATE; return 0; }
    return -1;
}

const char *dw_format_names(void)
{
    return "tty, gnu, json, sarif, checkstyle, codeclimate, github, junit, sonarqube, hadolint";
}

void dw_output(FILE *out, dw_format fmt, const dw_results *r)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (formats[i].fmt == fmt) { formats[i].write(out, r); return; }
}

uint32_t dw_out_aliases(const dw_diag *d, dw_str *out, uint32_t max)
{
    uint32_t n = 0;
    /* the finding's own code first (SC2086 of a shellcheck finding) */
    if (d->code && max) out[n++] = dw_str_c(d->code);
    if (!d->meta || !d->meta->aliases[0]) return n;
    const char *p = d->meta->aliases;
    while (*p && n < max) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        out[n++] = dw_str_make(p, len);
        if (!e) break;
        p = e + 1;
    }
    return n;
}

const dw_rule *dw_out_rule(const dw_diag *d)
{
    return d->meta ? d->meta : dw_rule_by_slug(d->rule);
}

bool dw_out_unsafe_cp(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

void dw_out_clean(dw_buf *b, const char *s, size_t n)
{
    static const char repl[] = "\xEF\xBF\xBD";
    size_t i = 0, run = 0; /* [run, i) is clean and not yet copied */
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) { i++; continue; }
        int w;
        uint32_t cp = dw_utf8_decode(s + i, n - i, &w);
        bool bad = cp == 0xFFFD && w == 1; /* an invalid byte, not a real U+FFFD */
        if (!bad && !dw_out_unsafe_cp(cp)) { i += (size_t)w; continue; }
        dw_buf_put(b, s + run, i - run);
        if (cp == '\t' || cp == '\n' || cp == '\r') dw_buf_putc(b, ' ');
        else dw_buf_put(b, repl, 3);
        i += (size_t)w;
        run = i;
    }
    dw_buf_put(b, s + run, i - run);
}

const char *dw_out_rel_path(const char *path)
{
    while (path[0] == '.' && path[1] == '/' && path[2]) {
        path += 2;
        while (*path == '/') path++;
    }
    return path;
}

dw_range dw_out_range(const dw_linemap *lines, dw_span sp)
{
    dw_range r;
    r.start = dw_linemap_pos(lines, sp.start);
    r.end = dw_linemap_pos(lines, sp.end < sp.start ? sp.start : sp.end);
    return r;
}

/* FNV-1a (64-bit) over the bytes, then the splitmix64 finaliser so that
 * near-identical keys (occurrence 1 vs 2) differ in every digit. Small and
 * dependency-free; fingerprints need stability and spread, not secrecy. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

typedef struct { uint64_t key; uint32_t index; } keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key) return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void dw_out_fingerprints(const dw_file_result *fr, char (*out)[17])
{
    uint32_t n = fr->diags->n;
    if (!n) return;
    const char *path = dw_out_rel_path(fr->path);
    keyed *k = dw_xmalloc(sizeof *k * n);
    for (uint32_t i = 0; i < n; i++) {
        const dw_diag *d = &fr->diags->v[i];
        dw_str text = dw_linemap_text(fr->lines, dw_linemap_line(fr->lines, d->span.start));
        text = dw_str_trim_space(text);
        uint64_t h = 0xcbf29ce484222325ULL;
        h = fnv(h, d->rule, strlen(d->rule) + 1); /* the NULs keep fields apart */
        h = fnv(h, path, strlen(path) + 1);
        h = fnv(h, text.ptr, text.len);
        k[i].key = h;
        k[i].index = i;
    }
    /* the occurrence index: the rank among findings with the same key, in
     * file order (sorting keeps this O(n log n) on files with many findings) */
    qsort(k, n, sizeof *k, cmp_keyed);
    for (uint32_t i = 0, occ = 0; i < n; i++) {
        occ = i > 0 && k[i].key == k[i - 1].key ? occ + 1 : 0;
        unsigned char o[4] = {(unsigned char)occ, (unsigned char)(occ >> 8), (unsigned char)(occ >> 16),
                              (unsigned char)(occ >> 24)};
        uint64_t h = mix(fnv(k[i].key, o, sizeof o));
        snprintf(out[k[i].index], 17, "%016llx", (unsigned long long)h);
    }
    free(k);
}

void dw_out_xml(dw_buf *b, const char *s, size_t n, bool attr)
{
    static const char repl[] = "\xEF\xBF\xBD";
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': dw_buf_puts(b, "&amp;"); i++; continue;
        case '<': dw_buf_puts(b, "&lt;"); i++; continue;
        case '>': dw_buf_puts(b, "&gt;"); i++; continue;
        case '"': dw_buf_puts(b, "&quot;"); i++; continue;
        case '\'': dw_buf_puts(b, "&apos;"); i++; continue;
        /* in attributes as references, which attribute-value normalisation
         * keeps; a CR always (a parser folds a raw CR LF into LF) */
        case '\n': dw_buf_puts(b, attr ? "&#10;" : "\n"); i++; continue;
        case '\r': dw_buf_puts(b, "&#13;"); i++; continue;
        case '\t': dw_buf_puts(b, attr ? "&#9;" : "\t"); i++; continue;
        default: break;
        }
        if (c >= 0x20 && c < 0x7F) { dw_buf_putc(b, (char)c); i++; continue; }
        int w;
        uint32_t cp = dw_utf8_decode(s + i, n - i, &w);
        /* XML 1.0 has no way to write the other C0 controls, U+FFFE or U+FFFF,
         * even as character references; bad bytes are not UTF-8 */
        if ((cp == 0xFFFD && w == 1) || cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) dw_buf_put(b, repl, 3);
        else dw_buf_put(b, s + i, (size_t)w);
        i += (size_t)w;
    }
}

/* Decimal units with one decimal, as docker prints sizes. */
const char *dw_format_size(uint64_t n, char out[24])
{
    static const char *const units[] = {"kB", "MB", "GB", "TB", "PB", "EB"};
    if (n < 1000) {
        snprintf(out, 24, "%llu B", (unsigned long long)n);
        return out;
    }
    double v = (double)n;
    int u = -1;
    while (v >= 999.95 && u < 5) {
        v /= 1000;
        u++;
    }
    snprintf(out, 24, "%.1f %s", v, units[u]);
    return out;
}
