/* cv.c — a YAML document as Compose reads it: the dw_cv value tree.
 *
 * go-yaml (what compose-go uses) resolves plain scalars by the YAML 1.2
 * core schema: only true/false in three casings are booleans, `yes`, `on`
 * and `22:22` are strings. We type them the same way and flag the plain
 * scalars a YAML 1.1 reader (Compose v1, PyYAML, many editors and CI
 * tools) would type differently, for the rules that ask for quoting.
 * Aliases are expanded (yaml_tree.c already bounded the expanded size) and
 * `<<` merge keys applied: explicit keys win, then the merged maps in the
 * order they are listed. A key written twice, or a second `<<`, is a
 * duplicate-key finding, as go-yaml refuses both. */
#include "compose.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    dw_arena *a;
    uint16_t file;
    const dw_linemap *lines;
    dw_diags *diags;
    dw_buf path;            /* where the builder is, as compose-go names it: "services.web.ports[0]" */
} builder;

static dw_cv *build(builder *b, const dw_yaml_node *n);

/* ---- scalar typing ---- */

static bool all_digits(const char *s, size_t n, int base)
{
    if (!n) return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                  : base == 8 ? (c >= '0' && c <= '7')
                  : base == 2 ? (c == '0' || c == '1')
                              : (c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

/* An int as go-yaml resolves a plain scalar: underscores dropped, then Go's
 * strconv.ParseInt with base 0 — so `0x1F`, `0o17`, `0b101`, and (kept from
 * YAML 1.1 "for compatibility") `0440` as octal: a file mode written 0440
 * is 288, as Compose reads it. */
static bool parse_int(const char *s, size_t n, int64_t *out)
{
    char buf[72];
    size_t m = 0;
    for (size_t k = 0; k < n; k++) {
        if (s[k] == '_') continue;
        if (m + 1 >= sizeof buf) return false;
        buf[m++] = s[k];
    }
    buf[m] = 0;
    size_t i = 0;
    bool neg = false;
    int base = 10;
    if (i < m && (buf[i] == '-' || buf[i] == '+')) neg = buf[i++] == '-';
    if (m - i > 2 && buf[i] == '0' && strchr("xXoObB", buf[i + 1])) {
        char p = (char)(buf[i + 1] | 0x20);
        base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
        i += 2;
    } else if (m - i > 1 && buf[i] == '0') {
        base = 8;
        i++;
    }
    if (!all_digits(buf + i, m - i, base)) return false;
    errno = 0;
    unsigned long long v = strtoull(buf + i, NULL, base);
    if (errno || v > (unsigned long long)INT64_MAX + (neg ? 1u : 0u)) return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* YAML 1.2 core float, plus .inf / .nan. */
static bool parse_float(const char *s, size_t n, double *out)
{
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    dw_str rest = dw_str_make(s + i, n - i);
    if (dw_str_eqc(rest, ".inf") || dw_str_eqc(rest, ".Inf") || dw_str_eqc(rest, ".INF")) {
        *out = s[0] == '-' ? -INFINITY : INFINITY;
        return true;
    }
    if (!i && (dw_str_eqc(rest, ".nan") || dw_str_eqc(rest, ".NaN") || dw_str_eqc(rest, ".NAN"))) {
        *out = NAN;
        return true;
    }
    size_t d = 0, j = i;
    while (j < n && s[j] >= '0' && s[j] <= '9') j++, d++;
    if (j < n && s[j] == '.') {
        j++;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++, d++;
    }
    if (!d) return false;
    if (j < n && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < n && (s[j] == '-' || s[j] == '+')) j++;
        size_t e = 0;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++, e++;
        if (!e) return false;
    }
    if (j != n) return false;
    char buf[128];
    if (n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    return true;
}

/* Plain scalars that go-yaml keeps as strings but a YAML 1.1 reader types
 * differently: base-60 numbers (`22:22` is 1342) and the extra booleans. */
static bool yaml11_trap(const char *s, size_t n)
{
    static const char *const bools[] = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
                                        "on", "On", "ON", "off", "Off", "OFF"};
    dw_str v = dw_str_make(s, n);
    for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
        if (dw_str_eqc(v, bools[i])) return true;
    /* base 60: [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)? */
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    if (i >= n || s[i] < '0' || s[i] > '9') return false;
    size_t j = i;
    while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '_')) j++;
    bool colon = false;
    while (j < n && s[j] == ':') {
        size_t k = ++j;
        while (j < n && s[j] >= '0' && s[j] <= '9') j++;
        if (j - k < 1 || j - k > 2 || (j - k == 2 && s[k] > '5')) return false;
        colon = true;
    }
    if (colon && j < n && s[j] == '.') {
        j++;
        while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == '_')) j++;
    }
    return colon && j == n;
}

static void type_scalar(dw_cv *v, const dw_yaml_node *n)
{
    v->kind = DW_CV_STR;
    const char *s = n->value;
    size_t len = n->len;
    const char *tag = n->tag;
    if (tag && strcmp(tag, "!") != 0 && strncmp(tag, "tag:yaml.org,2002:", 18) == 0) {
        const char *t = tag + 18;
        if (!strcmp(t, "str")) return;
        if (!strcmp(t, "null")) { v->kind = DW_CV_NULL; return; }
        if (!strcmp(t, "bool")) {
            bool b;
            if (dw_yaml_bool(n, &b) == 0) { v->kind = DW_CV_BOOL; v->b = b; }
            return;
        }
        if (!strcmp(t, "int") && parse_int(s, len, &v->i)) { v->kind = DW_CV_INT; return; }
        if (!strcmp(t, "float") && parse_float(s, len, &v->f)) { v->kind = DW_CV_FLOAT; return; }
        return;
    }
    if (n->style != DW_YAML_PLAIN || tag) return;
    if (dw_yaml_is_null(n)) { v->kind = DW_CV_NULL; return; }
    bool b;
    if (dw_yaml_bool(n, &b) == 0) { v->kind = DW_CV_BOOL; v->b = b; return; }
    if (parse_int(s, len, &v->i)) { v->kind = DW_CV_INT; return; }
    if (parse_float(s, len, &v->f)) { v->kind = DW_CV_FLOAT; return; }
    v->yaml11_trap = yaml11_trap(s, len);
}

/* ---- building ---- */

static dw_cv *new_node(builder *b, const dw_yaml_node *n, dw_cv_kind kind)
{
    dw_cv *v = DW_NEW(b->a, dw_cv, 1);
    v->kind = kind;
    v->file = b->file;
    v->style = (uint8_t)n->style;
    v->span = n->span;
    v->pos = n->start;
    /* Compose's merge tags, acted on when files are merged (merge.c) */
    if (n->tag && !strcmp(n->tag, "!reset")) v->merge_tag = DW_CV_TAG_RESET;
    if (n->tag && !strcmp(n->tag, "!override")) v->merge_tag = DW_CV_TAG_OVERRIDE;
    return v;
}

typedef DW_VEC(dw_cv_pair) pair_vec;

static dw_str key_text(const dw_yaml_node *k)
{
    k = dw_yaml_deref(k);
    if (k && k->kind == DW_YAML_SCALAR) return dw_str_make(k->value, k->len);
    return dw_str_make("", 0);
}

/* A set of keys (open addressing, FNV-1a), so that a mapping with many
 * keys is built in linear time. */
typedef struct {
    dw_str *slots;
    uint32_t *vals;
    uint32_t mask;
} keyset;

static void keyset_init(dw_arena *a, keyset *ks, uint32_t n)
{
    uint32_t cap = 8;
    while (cap < n * 2) cap *= 2;
    ks->slots = DW_NEW(a, dw_str, cap);
    ks->vals = DW_NEW(a, uint32_t, cap);
    ks->mask = cap - 1;
}

static uint32_t key_hash(dw_str k) { return dw_hash(k.ptr, k.len); }

/* The value stored for `k`, or UINT32_MAX; with `put` != UINT32_MAX, stores
 * it when absent. */
static uint32_t keyset_find(keyset *ks, dw_str k, uint32_t put)
{
    for (uint32_t i = key_hash(k) & ks->mask;; i = (i + 1) & ks->mask) {
        if (!ks->slots[i].ptr) {
            if (put != UINT32_MAX) {
                ks->slots[i] = k.ptr ? k : dw_str_make("", 0);
                ks->vals[i] = put;
            }
            return UINT32_MAX;
        }
        if (dw_str_eq(ks->slots[i], k)) return ks->vals[i];
    }
}

/* Keys must be strings: go-yaml gives a mapping with a number, boolean,
 * null or collection key to compose-go as map[any]any, which it refuses
 * ("non-string key"). What the key is instead, or NULL for a string. */
static const char *non_string_key(const dw_yaml_node *k)
{
    const dw_yaml_node *kd = dw_yaml_deref(k);
    if (!kd) return "null";
    if (kd->kind == DW_YAML_SEQUENCE) return "a sequence";
    if (kd->kind == DW_YAML_MAPPING) return "a mapping";
    if (kd->kind != DW_YAML_SCALAR) return NULL;
    dw_cv tmp;
    memset(&tmp, 0, sizeof tmp);
    type_scalar(&tmp, kd);
    switch (tmp.kind) {
    case DW_CV_INT:
    case DW_CV_FLOAT: return "a number";
    case DW_CV_BOOL: return "a boolean";
    case DW_CV_NULL: return "null";
    default: return NULL;
    }
}

static void non_string_key_report(builder *b, const dw_yaml_node *k, const char *what)
{
    dw_str key = key_text(k);
    const char *where = b->path.n ? dw_arena_printf(b->a, "in %.*s", (int)b->path.n, b->path.p) : "at the top level";
    dw_diag *d;
    if (dw_yaml_deref(k) && dw_yaml_deref(k)->kind == DW_YAML_SCALAR) {
        d = dw_diag_emit(b->a, b->diags, "compose-schema", DW_SEV_ERROR, k->span,
                         "key `%.*s` %s is %s, not a string: Compose refuses the file", (int)key.len, key.ptr, where,
                         what);
        if (d) d->help = dw_arena_printf(b->a, "quote it: \"%.*s\"", (int)key.len, key.ptr);
    } else {
        d = dw_diag_emit(b->a, b->diags, "compose-schema", DW_SEV_ERROR, k->span,
                         "a key %s is %s, not a string: Compose refuses the file", where, what);
        if (d) d->help = "write a plain string as the key";
    }
}

/* Appends ".key" (or "key" at the top, "[i]" for an item) to the path;
 * returns the length to restore. */
static size_t path_push(builder *b, dw_str key, uint32_t item, bool is_item)
{
    size_t at = b->path.n;
    if (is_item) {
        char num[16];
        int len = snprintf(num, sizeof num, "[%u]", item);
        dw_buf_put(&b->path, num, (size_t)len);
    } else {
        if (at) dw_buf_putc(&b->path, '.');
        if (key.len) dw_buf_put(&b->path, key.ptr, key.len);
    }
    return at;
}

static bool is_merge_key(const dw_yaml_node *k)
{
    const dw_yaml_node *kd = dw_yaml_deref(k);
    return kd && kd->kind == DW_YAML_SCALAR && kd->style == DW_YAML_PLAIN && dw_str_eqc(key_text(k), "<<");
}

/* Adds the pairs of the merged map `src` that no explicit key of the map
 * (`explicit`) and no earlier merged map already gave. */
static void add_merged(builder *b, pair_vec *out, keyset *explicit, keyset *added, const dw_yaml_node *src)
{
    src = dw_yaml_deref(src);
    if (!src || src->kind != DW_YAML_MAPPING) return;
    dw_cv *m = build(b, src);
    if (!m || m->kind != DW_CV_MAP) return;
    for (uint32_t i = 0; i < m->n; i++) {
        dw_cv_pair p = m->pairs[i];
        if (keyset_find(explicit, p.key, UINT32_MAX) != UINT32_MAX) continue;
        if (keyset_find(added, p.key, 0) != UINT32_MAX) continue;
        DW_VEC_PUSH(b->a, *out, p);
    }
}

static dw_cv *build_map(builder *b, const dw_yaml_node *n)
{
    dw_cv *v = new_node(b, n, DW_CV_MAP);
    /* the explicit keys first: they win over merged ones wherever they are
     * written, and a repeated one is a duplicate-key finding */
    keyset explicit, added;
    keyset_init(b->a, &explicit, n->n);
    bool *dup = DW_NEW(b->a, bool, n->n ? n->n : 1);
    uint32_t merges = 0;
    for (uint32_t i = 0; i < n->n; i++) {
        const dw_yaml_node *k = n->pairs[i].key;
        if (is_merge_key(k)) {
            if (merges++) {
                dup[i] = true;
                dw_diag_emit(b->a, b->diags, "duplicate-key", DW_SEV_ERROR, k->span,
                             "a second `<<` merge key in one mapping (Compose refuses the file)");
            }
            continue;
        }
        dw_str key = key_text(k);
        uint32_t first = keyset_find(&explicit, key, i);
        if (first != UINT32_MAX) {
            dup[i] = true;
            dw_pos fp = n->pairs[first].key->start;
            dw_diag_emit(b->a, b->diags, "duplicate-key", DW_SEV_ERROR, k->span,
                         "duplicate key '%.*s' (first written at line %u, column %u)", (int)key.len, key.ptr,
                         fp.line, fp.col);
        }
    }
    pair_vec pv = {0};
    keyset_init(b->a, &added, 16);
    for (uint32_t i = 0; i < n->n; i++) {
        if (dup[i]) continue;
        const dw_yaml_node *k = n->pairs[i].key;
        if (is_merge_key(k)) {
            const dw_yaml_node *val = dw_yaml_deref(n->pairs[i].value);
            uint32_t total = 0;
            const char *bad = !val || val->kind == DW_YAML_SCALAR ? "a scalar" : NULL;
            if (val && val->kind == DW_YAML_SEQUENCE) {
                for (uint32_t j = 0; j < val->n; j++) {
                    const dw_yaml_node *m = dw_yaml_deref(val->items[j]);
                    if (m && m->kind == DW_YAML_MAPPING) total += m->n;
                    else bad = "a list holding something other than mappings";
                }
            } else if (val && val->kind == DW_YAML_MAPPING) {
                total = val->n;
            }
            if (bad) {
                /* go-yaml stops: "map merge requires map or sequence of maps as the value" */
                const dw_yaml_node *at = n->pairs[i].value ? n->pairs[i].value : k;
                dw_diag *d = dw_diag_emit(b->a, b->diags, "yaml-syntax", DW_SEV_ERROR, at->span,
                                          "`<<` merges %s: a merge key takes a mapping or a list of mappings "
                                          "(Compose refuses the file)",
                                          bad);
                if (d) d->help = "anchor a mapping (`x-common: &common {restart: always}`) and merge that";
                continue;
            }
            keyset_init(b->a, &added, total);
            if (val && val->kind == DW_YAML_SEQUENCE) {
                for (uint32_t j = 0; j < val->n; j++) add_merged(b, &pv, &explicit, &added, val->items[j]);
            } else {
                add_merged(b, &pv, &explicit, &added, val);
            }
            continue;
        }
        const char *what = non_string_key(k);
        if (what) non_string_key_report(b, k, what);
        dw_cv_pair p;
        p.key = key_text(k);
        p.key_span = k->span;
        p.key_pos = k->start;
        size_t at = path_push(b, p.key, 0, false);
        p.value = build(b, n->pairs[i].value);
        b->path.n = at;
        DW_VEC_PUSH(b->a, pv, p);
    }
    v->pairs = pv.v;
    v->n = pv.n;
    return v;
}

static dw_cv *build(builder *b, const dw_yaml_node *n)
{
    if (!n) return NULL;
    if (n->kind == DW_YAML_ALIAS) return build(b, n->target);
    switch (n->kind) {
    case DW_YAML_SCALAR: {
        dw_cv *v = new_node(b, n, DW_CV_STR);
        v->raw = v->s = dw_str_make(n->value, n->len);
        type_scalar(v, n);
        return v;
    }
    case DW_YAML_SEQUENCE: {
        dw_cv *v = new_node(b, n, DW_CV_SEQ);
        v->items = DW_NEW(b->a, dw_cv *, n->n ? n->n : 1);
        v->n = n->n;
        for (uint32_t i = 0; i < n->n; i++) {
            size_t at = path_push(b, dw_str_make(NULL, 0), i, true);
            v->items[i] = build(b, n->items[i]);
            b->path.n = at;
        }
        return v;
    }
    case DW_YAML_MAPPING: return build_map(b, n);
    default: return NULL;
    }
}

dw_cv *dw_cv_from_yaml(dw_arena *a, const dw_yaml_node *root, uint16_t file, const dw_linemap *lines,
                       dw_diags *diags)
{
    builder b = {a, file, lines, diags, {0}};
    if (!root) return NULL;
    dw_cv *v = build(&b, root);
    dw_buf_free(&b.path);
    return v;
}

/* ---- reading ---- */

const dw_cv_pair *dw_cv_pair_of(const dw_cv *m, const char *key)
{
    if (!m || m->kind != DW_CV_MAP) return NULL;
    /* the rules ask every service for a dozen keys: measure the key once,
     * and let the length and first byte turn most pairs away */
    size_t len = strlen(key);
    for (uint32_t i = 0; i < m->n; i++) {
        dw_str k = m->pairs[i].key;
        if (k.len == len && (!len || (k.ptr[0] == key[0] && !memcmp(k.ptr, key, len)))) return &m->pairs[i];
    }
    return NULL;
}

dw_cv *dw_cv_get(const dw_cv *m, const char *key)
{
    const dw_cv_pair *p = dw_cv_pair_of(m, key);
    return p ? p->value : NULL;
}

dw_cv *dw_cv_path(const dw_cv *m, const char *dotted)
{
    const dw_cv *cur = m;
    char part[128];
    while (cur && *dotted) {
        const char *dot = strchr(dotted, '.');
        size_t n = dot ? (size_t)(dot - dotted) : strlen(dotted);
        if (n >= sizeof part) return NULL;
        memcpy(part, dotted, n);
        part[n] = 0;
        cur = dw_cv_get(cur, part);
        dotted += n + (dot ? 1 : 0);
    }
    return (dw_cv *)cur;
}

dw_str dw_cv_text(const dw_cv *v)
{
    if (!v) return dw_str_make(NULL, 0);
    switch (v->kind) {
    case DW_CV_STR: return v->s;
    case DW_CV_BOOL:
    case DW_CV_INT:
    case DW_CV_FLOAT: return v->s.ptr ? v->s : v->raw;
    default: return dw_str_make(NULL, 0);
    }
}

bool dw_cv_truthy(const dw_cv *v)
{
    if (!v) return false;
    if (v->kind == DW_CV_BOOL) return v->b;
    if (v->kind != DW_CV_STR) return false;
    static const char *const yes[] = {"true", "yes", "on", "y"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (dw_str_ieqc(v->s, yes[i])) return true;
    return false;
}

const char *dw_cv_describe(const dw_cv *v)
{
    if (!v) return "null";
    switch (v->kind) {
    case DW_CV_NULL: return "null";
    case DW_CV_BOOL: return "a boolean";
    case DW_CV_INT:
    case DW_CV_FLOAT: return "a number";
    case DW_CV_STR: return "a string";
    case DW_CV_MAP: return "a mapping";
    case DW_CV_SEQ: return "a sequence";
    }
    return "a value";
}
