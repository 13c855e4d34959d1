/* schema.c — one Compose file's tree checked against the Compose
 * specification (the table in schema_table.c), the way compose-go's loader
 * checks it: after interpolation, after the strings at its cast paths were
 * converted to numbers and booleans (cv_interp.c does both), and as if the
 * lists it de-duplicates before validating had been de-duplicated.
 *
 * The walk is linear in the size of the tree: each node is checked against
 * one table node; a oneOf is resolved by the value's kind alone (the
 * table's alternatives never share a kind), so nothing is tried twice; and
 * uniqueItems hashes the items once and compares only equal hashes.
 *
 * Every finding is `<path>: <what is wrong>`, the path written as
 * `services.web.ports[0]`, and points at the key for an unknown or missing
 * key and at the value otherwise. */
#include "compose.h"
#include "schema.h"
#include "../rules/rule.h" /* dw_suggest */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    dw_str key;
    int64_t index;   /* >= 0: a sequence item; the key is unused */
} seg;

typedef struct {
    dw_arena *a;
    dw_diags *diags;
    seg *path;       /* where the value being checked is (malloc'd scratch) */
    uint32_t depth, cap;
} vctx;

static void push_key(vctx *c, dw_str key, int64_t index)
{
    if (c->depth == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->path = dw_xrealloc(c->path, sizeof *c->path * c->cap);
    }
    c->path[c->depth].key = key;
    c->path[c->depth].index = index;
    c->depth++;
}

/* ---- messages ---- */

/* A key or value as shown in a message: control characters escaped, long
 * texts cut, so a message stays one readable line. */
static void put_text(dw_buf *b, dw_str s)
{
    size_t n = s.len > 80 ? 77 : s.len;
    while (n < s.len && n && ((unsigned char)s.ptr[n] & 0xC0) == 0x80) n--; /* not inside a UTF-8 sequence */
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s.ptr[i];
        if (ch == '\n') dw_buf_puts(b, "\\n");
        else if (ch == '\t') dw_buf_puts(b, "\\t");
        else if (ch < 0x20 || ch == 0x7f) dw_buf_printf(b, "\\x%02x", ch);
        else dw_buf_putc(b, (char)ch);
    }
    if (n < s.len) dw_buf_puts(b, "...");
}

static void put_path(dw_buf *b, const vctx *c, uint32_t depth)
{
    for (uint32_t i = 0; i < depth; i++) {
        if (c->path[i].index >= 0) {
            dw_buf_printf(b, "[%lld]", (long long)c->path[i].index);
            continue;
        }
        if (i) dw_buf_putc(b, '.');
        put_text(b, c->path[i].key);
    }
}

/* The buffer's text as an arena string; the buffer is freed. */
static const char *take(vctx *c, dw_buf *b)
{
    char *r = dw_arena_printf(c->a, "%.*s", (int)b->n, b->p ? b->p : "");
    dw_buf_free(b);
    return r;
}

static const char *quoted(vctx *c, dw_str s)
{
    dw_buf b = {0};
    dw_buf_putc(&b, '\'');
    put_text(&b, s);
    dw_buf_putc(&b, '\'');
    return take(c, &b);
}

/* Emits `<path>: <message>` (`top level: ...` for the file itself). */
static dw_diag *report(vctx *c, dw_span span, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static dw_diag *report(vctx *c, dw_span span, const char *fmt, ...)
{
    dw_buf b = {0};
    if (c->depth) put_path(&b, c, c->depth);
    else dw_buf_puts(&b, "top level");
    dw_buf_puts(&b, ": ");
    va_list ap;
    va_start(ap, fmt);
    char *msg = dw_arena_vprintf(c->a, fmt, ap);
    va_end(ap);
    dw_buf_puts(&b, msg);
    dw_diag *d = dw_diag_emit(c->a, c->diags, "compose-schema", DW_SEV_ERROR, span, "%.*s", (int)b.n, b.p);
    dw_buf_free(&b);
    return d;
}

static void help(vctx *c, dw_diag *d, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void help(vctx *c, dw_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    d->help = dw_arena_vprintf(c->a, fmt, ap);
    va_end(ap);
}

/* `!reset` removes what it is written on before compose-go validates. */
static bool is_reset(const dw_cv *v) { return v && v->merge_tag == DW_CV_TAG_RESET; }

/* ---- kinds ---- */

#define ALL_TYPES (DW_SCH_NULL | DW_SCH_BOOL | DW_SCH_INT | DW_SCH_NUM | DW_SCH_STR | DW_SCH_OBJ | DW_SCH_ARR)

static unsigned kind_bits(const dw_cv *v)
{
    switch (v->kind) {
    case DW_CV_NULL: return DW_SCH_NULL;
    case DW_CV_BOOL: return DW_SCH_BOOL;
    case DW_CV_INT: return DW_SCH_INT | DW_SCH_NUM;
    case DW_CV_FLOAT: return isfinite(v->f) && v->f == floor(v->f) ? DW_SCH_INT | DW_SCH_NUM : DW_SCH_NUM;
    case DW_CV_STR: return DW_SCH_STR;
    case DW_CV_MAP: return DW_SCH_OBJ;
    case DW_CV_SEQ: return DW_SCH_ARR;
    }
    return 0;
}

/* The types a node accepts: its own, or those of its alternatives. */
static unsigned accepts(const dw_sch *s)
{
    if (!s) return ALL_TYPES;
    if (s->types) return s->types;
    if (!s->one_of) return ALL_TYPES;
    unsigned t = 0;
    for (const dw_sch *const *alt = s->one_of; *alt; alt++) t |= accepts(*alt);
    return t;
}

/* "a string, a number or a mapping" */
static const char *describe_types(vctx *c, unsigned t)
{
    static const struct { unsigned bit; const char *name; } names[] = {
        {DW_SCH_STR, "a string"},   {DW_SCH_NUM, "a number"},    {DW_SCH_INT, "an integer"}, {DW_SCH_BOOL, "a boolean"},
        {DW_SCH_OBJ, "a mapping"},  {DW_SCH_ARR, "a sequence"},  {DW_SCH_NULL, "null"}};
    if (t & DW_SCH_NUM) t &= ~(unsigned)DW_SCH_INT;
    const char *list[8];
    size_t n = 0;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (t & names[i].bit) list[n++] = names[i].name;
    dw_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (i) dw_buf_puts(&b, i + 1 == n ? " or " : ", ");
        dw_buf_puts(&b, list[i]);
    }
    return take(c, &b);
}

static bool is_key(const vctx *c, uint32_t i, const char *k)
{
    return i < c->depth && c->path[i].index < 0 && dw_str_eqc(c->path[i].key, k);
}

static void type_error(vctx *c, const dw_cv *v, unsigned want, const dw_span *key_span)
{
    /* an empty null (`web:` and nothing) has no text to point at: the key has */
    dw_span at = v->kind == DW_CV_NULL && v->span.start == v->span.end && key_span ? *key_span : v->span;
    const char *want_text = describe_types(c, want);
    dw_diag *d = report(c, at, "expected %s, got %s", want_text, dw_cv_describe(v));
    dw_str text = dw_cv_text(v);
    bool scalar = v->kind == DW_CV_INT || v->kind == DW_CV_FLOAT || v->kind == DW_CV_BOOL;
    if (c->depth == 1 && is_key(c, 0, "version"))
        help(c, d, "remove `version`: Compose ignores it (if you keep it, quote it: \"%.*s\")", (int)text.len,
             text.ptr);
    else if ((want & DW_SCH_STR) && scalar)
        help(c, d, "quote it (\"%.*s\") so YAML reads it as a string", (int)text.len, text.ptr);
    else if (v->kind == DW_CV_STR && v->interpolated)
        help(c, d, "the value comes from interpolation and Compose does not convert it here: write %s", want_text);
    else if ((want & DW_SCH_ARR) && v->kind == DW_CV_STR && !(want & DW_SCH_STR))
        help(c, d, "write a list, e.g. [%s]", quoted(c, text));
    else if (want == DW_SCH_OBJ && v->kind == DW_CV_NULL)
        help(c, d, "give it its keys, or write {} for none");
    else
        help(c, d, "write %s here", want_text);
}

/* ---- compose-go's cast paths ---- */

/* compose-go's tree.Path.Matches on the current path: as many segments as
 * the dotted pattern, each equal to its pattern segment, or `*` (any key
 * or item), or `[]` (any item). */
static bool path_matches(const vctx *c, const char *pat)
{
    uint32_t i = 0;
    for (const char *p = pat;; i++) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (i >= c->depth) return false;
        const seg *sg = &c->path[i];
        bool ok = (n == 1 && p[0] == '*') || (n == 2 && p[0] == '[' && p[1] == ']' && sg->index >= 0) ||
                  (sg->index < 0 && sg->key.len == n && memcmp(sg->key.ptr, p, n) == 0);
        if (!ok) return false;
        if (!dot) break;
        p = dot + 1;
    }
    return i + 1 == c->depth;
}

static const dw_sch_cast *cast_at(const vctx *c)
{
    for (const dw_sch_cast *k = dw_sch_casts; k->path; k++)
        if (path_matches(c, k->path)) return k;
    return NULL;
}

/* ---- uniqueItems ---- */

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

static uint64_t hash_str(dw_str s)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < s.len; i++) h = (h ^ (unsigned char)s.ptr[i]) * 1099511628211ULL;
    return h;
}

static bool is_number(const dw_cv *v) { return v->kind == DW_CV_INT || v->kind == DW_CV_FLOAT; }
static double num_of(const dw_cv *v) { return v->kind == DW_CV_INT ? (double)v->i : v->f; }

/* A hash that JSON equality respects: 1 and 1.0 alike, map order ignored. */
static uint64_t hash_cv(const dw_cv *v)
{
    if (!v) return 1;
    switch (v->kind) {
    case DW_CV_NULL: return 1;
    case DW_CV_BOOL: return 2 + v->b;
    case DW_CV_INT:
    case DW_CV_FLOAT: {
        double d = num_of(v);
        if (d == 0) d = 0; /* -0 */
        uint64_t bits;
        memcpy(&bits, &d, sizeof bits);
        return mix(bits ^ 3);
    }
    case DW_CV_STR: return mix(hash_str(v->s) ^ 4);
    case DW_CV_SEQ: {
        uint64_t h = 5;
        for (uint32_t i = 0; i < v->n; i++) h = mix(h * 31 + hash_cv(v->items[i]));
        return h;
    }
    case DW_CV_MAP: {
        uint64_t h = 6;
        for (uint32_t i = 0; i < v->n; i++) h += mix(hash_str(v->pairs[i].key) * 3 + hash_cv(v->pairs[i].value));
        return h;
    }
    }
    return 0;
}

static bool eq_cv(const dw_cv *a, const dw_cv *b);

static int cmp_pair_key(const void *x, const void *y)
{
    const dw_cv_pair *p = *(const dw_cv_pair *const *)x, *q = *(const dw_cv_pair *const *)y;
    size_t n = p->key.len < q->key.len ? p->key.len : q->key.len;
    int r = n ? memcmp(p->key.ptr, q->key.ptr, n) : 0;
    return r ? r : (p->key.len > q->key.len) - (p->key.len < q->key.len);
}

/* Maps compare by sorted keys: n log n, whatever their order. */
static bool eq_map(const dw_cv *a, const dw_cv *b)
{
    if (a->n != b->n) return false;
    if (!a->n) return true;
    const dw_cv_pair **pa = dw_xmalloc(sizeof *pa * a->n * 2), **pb = pa + a->n;
    for (uint32_t i = 0; i < a->n; i++) pa[i] = &a->pairs[i], pb[i] = &b->pairs[i];
    qsort(pa, a->n, sizeof *pa, cmp_pair_key);
    qsort(pb, b->n, sizeof *pb, cmp_pair_key);
    bool eq = true;
    for (uint32_t i = 0; i < a->n && eq; i++)
        eq = dw_str_eq(pa[i]->key, pb[i]->key) && eq_cv(pa[i]->value, pb[i]->value);
    free(pa);
    return eq;
}

static bool eq_cv(const dw_cv *a, const dw_cv *b)
{
    if (!a || !b) return a == b;
    if (is_number(a) && is_number(b))
        return a->kind == DW_CV_INT && b->kind == DW_CV_INT ? a->i == b->i : num_of(a) == num_of(b);
    if (a->kind != b->kind) return false;
    switch (a->kind) {
    case DW_CV_NULL: return true;
    case DW_CV_BOOL: return a->b == b->b;
    case DW_CV_STR: return dw_str_eq(a->s, b->s);
    case DW_CV_SEQ:
        if (a->n != b->n) return false;
        for (uint32_t i = 0; i < a->n; i++)
            if (!eq_cv(a->items[i], b->items[i])) return false;
        return true;
    case DW_CV_MAP: return eq_map(a, b);
    default: return false;
    }
}

typedef struct { uint64_t h; uint32_t i; } hashed;

static int cmp_hashed(const void *x, const void *y)
{
    const hashed *p = x, *q = y;
    if (p->h != q->h) return p->h < q->h ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* Reports every item equal to an earlier one. Items with equal hashes are
 * compared with at most a few distinct earlier ones, so crafted collisions
 * cannot make this quadratic. */
static void check_unique(vctx *c, const dw_cv *seq)
{
    if (seq->n < 2) return;
    for (const char *const *p = dw_sch_deduplicated; *p; p++)
        if (path_matches(c, *p)) return; /* compose-go removes the repeats first */
    hashed *hs = dw_xmalloc(sizeof *hs * seq->n);
    uint32_t n = 0;
    for (uint32_t i = 0; i < seq->n; i++)
        if (!is_reset(seq->items[i])) hs[n].h = hash_cv(seq->items[i]), hs[n++].i = i;
    qsort(hs, n, sizeof *hs, cmp_hashed);
    enum { MAX_REPS = 8 };
    for (uint32_t r = 0; r < n;) {
        uint32_t end = r + 1;
        while (end < n && hs[end].h == hs[r].h) end++;
        uint32_t reps[MAX_REPS], nreps = 0;
        for (uint32_t k = r; k < end; k++) {
            const dw_cv *item = seq->items[hs[k].i];
            uint32_t same = UINT32_MAX;
            for (uint32_t q = 0; q < nreps && same == UINT32_MAX; q++)
                if (eq_cv(seq->items[reps[q]], item)) same = reps[q];
            if (same == UINT32_MAX) {
                if (nreps < MAX_REPS) reps[nreps++] = hs[k].i;
                continue;
            }
            push_key(c, dw_str_make(NULL, 0), hs[k].i);
            dw_diag *d = report(c, item ? item->span : seq->span, "duplicate of item [%u] (line %u)", same,
                                seq->items[same] ? seq->items[same]->pos.line : seq->pos.line);
            help(c, d, "remove the repeated item: Compose refuses a list with repeated items here");
            c->depth--;
        }
        r = end;
    }
    free(hs);
}

/* ---- the walk ---- */

static void validate(vctx *c, const dw_sch *s, const dw_cv *v, const dw_span *key_span);

static const dw_sch_prop *find_prop(const dw_sch *s, dw_str key)
{
    if (!s->props) return NULL;
    for (const dw_sch_prop *p = s->props; p->name; p++)
        if (dw_str_eqc(key, p->name)) return p;
    return NULL;
}

static void unknown_key(vctx *c, const dw_sch *s, const dw_cv_pair *pair)
{
    dw_buf where = {0};
    if (c->depth) {
        dw_buf_puts(&where, "in ");
        put_path(&where, c, c->depth);
    } else {
        dw_buf_puts(&where, "at the top level");
    }
    const char *k = quoted(c, pair->key);
    dw_diag *d;
    if (s->props && s->props[0].name) {
        /* only names within the suggestion's edit distance by length: many
         * unknown keys stay cheap */
        size_t n = 0, all = 0;
        while (s->props[all].name) all++;
        const char **names = DW_NEW(c->a, const char *, all);
        for (size_t i = 0; i < all; i++) {
            size_t len = strlen(s->props[i].name);
            if (len + 2 >= pair->key.len && len <= pair->key.len + 2) names[n++] = s->props[i].name;
        }
        const char *near = dw_suggest(pair->key, names, n, false);
        bool ext = false;
        for (const dw_sch_pprop *pp = s->pprops; pp && pp->pattern; pp++) ext |= !strcmp(pp->pattern->source, "^x-");
        if (near) {
            d = dw_diag_emit(c->a, c->diags, "compose-schema", DW_SEV_ERROR, pair->key_span,
                             "additional property %s is not allowed %.*s (did you mean '%s'?)", k, (int)where.n,
                             where.p, near);
            help(c, d, "rename it to `%s`", near);
        } else {
            d = dw_diag_emit(c->a, c->diags, "compose-schema", DW_SEV_ERROR, pair->key_span,
                             "additional property %s is not allowed %.*s", k, (int)where.n, where.p);
            if (ext) help(c, d, "remove it, or prefix it with `x-` to keep it as an extension field Compose ignores");
            else help(c, d, "remove it: the Compose specification has no such key here");
        }
    } else {
        const char *what = s->pprops && s->pprops[0].pattern ? s->pprops[0].pattern->what : "no key is allowed";
        d = dw_diag_emit(c->a, c->diags, "compose-schema", DW_SEV_ERROR, pair->key_span,
                         "additional property %s is not allowed %.*s (%s)", k, (int)where.n, where.p, what);
        help(c, d, "rename it: %s", what);
    }
    dw_buf_free(&where);
}

/* "a, b, c" */
static const char *enum_list(vctx *c, const char *const *enums)
{
    dw_buf b = {0};
    for (const char *const *e = enums; *e; e++) dw_buf_printf(&b, "%s%s", e == enums ? "" : ", ", *e);
    return take(c, &b);
}

static void validate_map(vctx *c, const dw_sch *s, const dw_cv *v, const dw_span *key_span)
{
    if (!s->props && !s->pprops && !s->closed && !s->required) return;
    for (uint32_t i = 0; i < v->n; i++) {
        const dw_cv_pair *pair = &v->pairs[i];
        if (is_reset(pair->value)) continue;
        const dw_sch_prop *p = find_prop(s, pair->key);
        bool matched = p != NULL;
        push_key(c, pair->key, -1);
        if (p) validate(c, p->schema, pair->value, &pair->key_span);
        for (const dw_sch_pprop *pp = s->pprops; pp && pp->pattern; pp++) {
            if (!pp->pattern->match(pair->key)) continue;
            matched = true;
            validate(c, pp->schema, pair->value, &pair->key_span);
        }
        c->depth--;
        if (!matched && s->closed) unknown_key(c, s, pair);
    }
    for (const char *const *r = s->required; r && *r; r++) {
        const dw_cv_pair *have = dw_cv_pair_of(v, *r);
        if (have && !is_reset(have->value)) continue;
        dw_diag *d = report(c, key_span ? *key_span : v->span, "missing required property '%s'", *r);
        const dw_sch_prop *p = find_prop(s, dw_str_c(*r));
        if (p && p->schema && p->schema->enums) {
            help(c, d, "add `%s:` with one of %s", *r, enum_list(c, p->schema->enums));
        } else {
            help(c, d, "add `%s:`", *r);
        }
    }
}

static void check_enum(vctx *c, const dw_sch *s, const dw_cv *v)
{
    dw_str text = dw_cv_text(v);
    size_t n = 0;
    for (const char *const *e = s->enums; *e; e++, n++)
        if (v->kind == DW_CV_STR && dw_str_eqc(text, *e)) return;
    const char *list = enum_list(c, s->enums);
    const char *near = v->kind == DW_CV_STR ? dw_suggest(text, s->enums, n, false) : NULL;
    dw_diag *d;
    if (near) d = report(c, v->span, "%s is not one of %s (did you mean '%s'?)", quoted(c, text), list, near);
    else d = report(c, v->span, "%s is not one of %s", quoted(c, text), list);
    help(c, d, "use one of %s", list);
}

static void validate(vctx *c, const dw_sch *s, const dw_cv *v, const dw_span *key_span)
{
    if (!s || !v || is_reset(v)) return;
    /* At compose-go's cast paths the loader's interpolation pass
     * (cv_interp.c) has turned the text into a number or a boolean, or
     * reported the text that does not convert: a string still there is
     * already accounted for. */
    if (v->kind == DW_CV_STR && (accepts(s) & (DW_SCH_BOOL | DW_SCH_INT | DW_SCH_NUM)) && cast_at(c)) return;
    unsigned kinds = kind_bits(v);
    if (s->types && !(s->types & kinds)) {
        type_error(c, v, s->types, key_span);
        return;
    }
    if (s->one_of) {
        const dw_sch *pick = NULL;
        for (const dw_sch *const *alt = s->one_of; *alt && !pick; alt++)
            if (accepts(*alt) & kinds) pick = *alt;
        if (!pick) {
            type_error(c, v, accepts(s), key_span);
            return;
        }
        validate(c, pick, v, key_span);
    }
    if (s->enums) check_enum(c, s, v);
    if (s->pattern && v->kind == DW_CV_STR && !s->pattern->match(v->s)) {
        dw_diag *d = report(c, v->span, "%s does not match the pattern %s", quoted(c, v->s), s->pattern->source);
        help(c, d, "use %s", s->pattern->what);
    }
    if (is_number(v) && (s->has_min || s->has_max)) {
        double x = num_of(v);
        dw_str t = dw_cv_text(v);
        if (s->has_min && x < s->min)
            help(c, report(c, v->span, "%.*s is less than the minimum %g", (int)t.len, t.ptr, s->min),
                 "use a value from %g", s->min);
        if (s->has_max && x > s->max)
            help(c, report(c, v->span, "%.*s is greater than the maximum %g", (int)t.len, t.ptr, s->max),
                 "use a value up to %g", s->max);
    }
    if (v->kind == DW_CV_MAP) validate_map(c, s, v, key_span);
    if (v->kind == DW_CV_SEQ) {
        if (s->items)
            for (uint32_t i = 0; i < v->n; i++) {
                push_key(c, dw_str_make(NULL, 0), i);
                validate(c, s->items, v->items[i], NULL);
                c->depth--;
            }
        if (s->unique) check_unique(c, v);
    }
}

void dw_compose_validate(dw_arena *a, const dw_cv *root, const dw_linemap *lines, dw_diags *diags)
{
    (void)lines; /* positions come with the nodes */
    if (!root) return;
    vctx c = {a, diags, NULL, 0, 0};
    validate(&c, &dw_sch_root, root, NULL);
    free(c.path);
}
