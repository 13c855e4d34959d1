/* df_labels.c — the LABEL rules (hadolint DL3048–DL3058 minus DL3057):
 * label-invalid-key checks every key; the others apply the configured label
 * schema (config `labels` / hadolint's `label-schema`, --require-label,
 * strict-labels). Values are judged as BuildKit sets them (quotes removed,
 * variables expanded); a value that depends on a variable with no known
 * value is left alone, since only the build knows it. */
#include "hl_util.h"

#include <stdlib.h>

#include "spdx_ids.inc"

/* The key a LABEL pair sets. */
static dw_str label_key(const dw_kv *kv)
{
    return kv->key.has_expanded && kv->key.expanded.len ? kv->key.expanded : hl_unquote(kv->key.text);
}

/* The value a LABEL pair sets; false when it is only known at build time
 * (a variable that expands to nothing here). */
static bool label_value(const dw_kv *kv, dw_str *out)
{
    const dw_word *w = &kv->value;
    dw_str v = w->has_expanded ? w->expanded : hl_unquote(w->text);
    if (hl_has_var(w->text) && !v.len) return false;
    *out = v;
    return true;
}

/* The schema entry for `key`, or NULL. */
static const dw_label_rule *schema_entry(const dw_config *cfg, dw_str key)
{
    for (uint32_t i = 0; i < cfg->nlabels; i++)
        if (dw_str_eqc(key, cfg->labels[i].name)) return &cfg->labels[i];
    return NULL;
}

/* ---- label-invalid-key (DL3048) ---- */

/* Why a label key is invalid (Docker's key format: lower-case reverse-DNS
 * components), or NULL when it is fine. */
static const char *key_problem(dw_arena *a, dw_str k)
{
    static const char *const reserved[] = {"com.docker.", "io.docker.", "org.dockerproject."};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (dw_str_has_prefix(k, reserved[i])) return dw_arena_printf(a, "uses the reserved namespace %s", reserved[i]);
    for (size_t i = 0; i < k.len; i++) {
        char c = k.ptr[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '/';
        if (ok) continue;
        if (c >= 'A' && c <= 'Z') return "has upper-case letters";
        if ((unsigned char)c < 0x20 || (unsigned char)c >= 0x7f) return "has a character outside a-z, 0-9, '.', '-', '_' and '/'";
        return dw_arena_printf(a, "has `%c`, outside a-z, 0-9, '.', '-', '_' and '/'", c);
    }
    if (k.ptr[0] < 'a' || k.ptr[0] > 'z') return "does not start with a lower-case letter";
    char last = k.ptr[k.len - 1];
    if (!((last >= 'a' && last <= 'z') || (last >= '0' && last <= '9'))) return "does not end with a lower-case letter or digit";
    for (size_t i = 0; i + 1 < k.len; i++)
        if ((k.ptr[i] == '.' || k.ptr[i] == '-') && k.ptr[i + 1] == k.ptr[i])
            return dw_arena_printf(a, "has `%c%c`", k.ptr[i], k.ptr[i]);
    return NULL;
}

void check_label_invalid_key(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_LABEL) continue;
        for (uint32_t k = 0; k < in->nkvs; k++) {
            /* the key as written: one built from a variable is flagged too, as
             * hadolint does (its value cannot be checked) */
            dw_str key = hl_unquote(in->kvs[k].key.text);
            if (!key.len) continue;
            const char *why = key_problem(ctx->a, key);
            if (!why) continue;
            dw_diag *d = dw_report(ctx, in, in->kvs[k].key.span, "label key `%.*s` %s", (int)key.len, key.ptr, why);
            dw_diag_help(ctx, d, "use lower-case reverse-DNS keys, e.g. org.opencontainers.image.source or com.example.my-key");
        }
    }
}

/* ---- label-missing (DL3049) ---- */

void check_label_missing(dw_lint *ctx)
{
    const dw_config *cfg = ctx->cfg;
    dw_dockerfile *df = ctx->df;
    if (!cfg || !cfg->nlabels || !df->nstages) return;
    uint32_t ns = df->nstages;
    /* stages another stage copies or mounts from: builder stages whose
     * labels never reach an image (hadolint's COPY --from exception) */
    bool *used = DW_NEW(ctx->a, bool, ns);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->from_stage >= 0 && in->from_stage != in->stage) used[in->from_stage] = true;
        for (uint32_t m = 0; m < in->nmounts; m++)
            if (in->mounts[m].from_stage >= 0 && in->mounts[m].from_stage != in->stage) used[in->mounts[m].from_stage] = true;
    }
    bool *has = DW_NEW(ctx->a, bool, ns), *good = DW_NEW(ctx->a, bool, ns), *child = DW_NEW(ctx->a, bool, ns);
    for (uint32_t l = 0; l < cfg->nlabels; l++) {
        dw_str name = dw_str_c(cfg->labels[l].name);
        /* the same name twice in the schema is judged once */
        bool dup = false;
        for (uint32_t p = 0; p < l && !dup; p++) dup = !strcmp(cfg->labels[p].name, cfg->labels[l].name);
        if (dup) continue;
        memset(has, 0, ns);
        memset(child, 0, ns);
        for (uint32_t i = 0; i < df->ninstrs; i++) {
            const dw_instr *in = &df->instrs[i];
            if (in->kind != DW_I_LABEL || in->stage < 0) continue;
            for (uint32_t k = 0; k < in->nkvs; k++)
                if (dw_str_eq(label_key(&in->kvs[k]), name)) has[in->stage] = true;
        }
        /* a stage has the label when it sets it or inherits it; a stage
         * that a labelled stage is built on needs none of its own */
        for (uint32_t s = 0; s < ns; s++) {
            const dw_stage *st = &df->stages[s];
            bool from_stage = st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && (uint32_t)st->base_stage < s;
            good[s] = has[s] || (from_stage && good[st->base_stage]);
            if (from_stage && has[s]) child[st->base_stage] = true;
        }
        for (uint32_t s = 0; s < ns; s++) {
            const dw_stage *st = &df->stages[s];
            if (good[s] || used[s] || child[s]) continue;
            dw_diag *d;
            if (st->name.len)
                d = dw_report(ctx, st->from, st->from->span, "stage `%.*s` has no label `%s`", (int)st->name.len,
                              st->name.ptr, cfg->labels[l].name);
            else
                d = dw_report(ctx, st->from, st->from->span, "this stage has no label `%s`", cfg->labels[l].name);
            dw_diag_help(ctx, d, "add LABEL %s=… (the label schema requires it)", cfg->labels[l].name);
        }
    }
}

/* ---- label-superfluous (DL3050) ---- */

void check_label_superfluous(dw_lint *ctx)
{
    const dw_config *cfg = ctx->cfg;
    if (!cfg || !cfg->strict_labels) return;
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_LABEL) continue;
        for (uint32_t k = 0; k < in->nkvs; k++) {
            dw_str key = label_key(&in->kvs[k]);
            if (schema_entry(cfg, key)) continue;
            dw_diag *d = dw_report(ctx, in, in->kvs[k].key.span, "label `%.*s` is not in the label schema", (int)key.len, key.ptr);
            dw_diag_help(ctx, d, "strict labels allow only the schema's labels: remove it or add it to the schema");
        }
    }
}

/* ---- label-empty (DL3051) ---- */

void check_label_empty(dw_lint *ctx)
{
    const dw_config *cfg = ctx->cfg;
    if (!cfg || !cfg->nlabels) return;
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_LABEL) continue;
        for (uint32_t k = 0; k < in->nkvs; k++) {
            const dw_kv *kv = &in->kvs[k];
            dw_str key = label_key(kv), v;
            if (!schema_entry(cfg, key) || !label_value(kv, &v) || v.len) continue;
            dw_span sp = kv->value.span.end > kv->value.span.start ? kv->value.span : kv->key.span;
            dw_diag *d = dw_report(ctx, in, sp, "label `%.*s` is empty", (int)key.len, key.ptr);
            dw_diag_help(ctx, d, "give it a value: the label schema requires it");
        }
    }
}

/* ---- value formats ---- */

static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* An absolute URI (RFC 3986): scheme ":" then only URI characters, with
 * valid %XX escapes and at most one '#'. */
static bool valid_url(dw_str v)
{
    size_t i = 0;
    if (!v.len || !is_alpha(v.ptr[0])) return false;
    while (i < v.len && (is_alpha(v.ptr[i]) || is_digit(v.ptr[i]) || v.ptr[i] == '+' || v.ptr[i] == '-' || v.ptr[i] == '.')) i++;
    if (i >= v.len || v.ptr[i] != ':') return false;
    int hashes = 0;
    for (i++; i < v.len; i++) {
        char c = v.ptr[i];
        if (c == '%') {
            if (i + 2 >= v.len || !is_hex(v.ptr[i + 1]) || !is_hex(v.ptr[i + 2])) return false;
            i += 2;
            continue;
        }
        if (c == '#' && ++hashes > 1) return false;
        if (is_alpha(c) || is_digit(c) || strchr("-._~!$&'()*+,;=:@/?#[]", c)) continue;
        return false;
    }
    return true;
}

/* n digits at v[*i] as a number, or -1. */
static int digits(dw_str v, size_t *i, size_t n)
{
    if (*i + n > v.len) return -1;
    int x = 0;
    for (size_t k = 0; k < n; k++) {
        if (!is_digit(v.ptr[*i + k])) return -1;
        x = x * 10 + (v.ptr[*i + k] - '0');
    }
    *i += n;
    return x;
}

static bool expect(dw_str v, size_t *i, char c)
{
    if (*i >= v.len || v.ptr[*i] != c) return false;
    (*i)++;
    return true;
}

/* RFC 3339 date-time: 2021-03-10T10:26:33[.frac](Z|±hh:mm), with real
 * calendar dates (leap years) and a leap second allowed. */
static bool valid_rfc3339(dw_str v)
{
    size_t i = 0;
    int y = digits(v, &i, 4);
    if (y < 0 || !expect(v, &i, '-')) return false;
    int mo = digits(v, &i, 2);
    if (mo < 1 || mo > 12 || !expect(v, &i, '-')) return false;
    int d = digits(v, &i, 2);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap)) return false;
    if (i >= v.len || (v.ptr[i] != 'T' && v.ptr[i] != 't' && v.ptr[i] != ' ')) return false;
    i++;
    int h = digits(v, &i, 2);
    if (h < 0 || h > 23 || !expect(v, &i, ':')) return false;
    int mi = digits(v, &i, 2);
    if (mi < 0 || mi > 59 || !expect(v, &i, ':')) return false;
    int s = digits(v, &i, 2);
    if (s < 0 || s > 60) return false;
    if (i < v.len && v.ptr[i] == '.') {
        size_t st = ++i;
        while (i < v.len && is_digit(v.ptr[i])) i++;
        if (i == st) return false;
    }
    if (i < v.len && (v.ptr[i] == 'Z' || v.ptr[i] == 'z')) return i + 1 == v.len;
    if (i >= v.len || (v.ptr[i] != '+' && v.ptr[i] != '-')) return false;
    i++;
    int oh = digits(v, &i, 2);
    if (oh < 0 || oh > 23 || !expect(v, &i, ':')) return false;
    int om = digits(v, &i, 2);
    return om >= 0 && om <= 59 && i == v.len;
}

/* A git object name: lower-case hex, abbreviated (7 or more) or full
 * (40 for SHA-1, 64 for SHA-256 repositories). */
static bool valid_git_hash(dw_str v)
{
    if (v.len < 7 || (v.len > 40 && v.len != 64)) return false;
    for (size_t i = 0; i < v.len; i++)
        if (!is_digit(v.ptr[i]) && !(v.ptr[i] >= 'a' && v.ptr[i] <= 'f')) return false;
    return true;
}

/* A numeric semver identifier: digits without a leading zero. */
static bool semver_number(dw_str v, size_t *i)
{
    size_t st = *i;
    while (*i < v.len && is_digit(v.ptr[*i])) (*i)++;
    return *i > st && !(v.ptr[st] == '0' && *i - st > 1);
}

/* Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without leading
 * zeros when `numeric_rule` (pre-release). */
static bool semver_idents(dw_str v, size_t *i, bool numeric_rule)
{
    for (;;) {
        size_t st = *i;
        bool all_digits = true;
        while (*i < v.len && (is_alpha(v.ptr[*i]) || is_digit(v.ptr[*i]) || v.ptr[*i] == '-')) {
            all_digits &= is_digit(v.ptr[*i]);
            (*i)++;
        }
        if (*i == st) return false;
        if (numeric_rule && all_digits && v.ptr[st] == '0' && *i - st > 1) return false;
        if (*i < v.len && v.ptr[*i] == '.') { (*i)++; continue; }
        return true;
    }
}

/* Semantic Versioning 2.0.0: MAJOR.MINOR.PATCH[-pre][+build]. */
static bool valid_semver(dw_str v)
{
    size_t i = 0;
    if (!semver_number(v, &i) || !expect(v, &i, '.') || !semver_number(v, &i) || !expect(v, &i, '.') ||
        !semver_number(v, &i))
        return false;
    if (i < v.len && v.ptr[i] == '-') {
        i++;
        if (!semver_idents(v, &i, true)) return false;
    }
    if (i < v.len && v.ptr[i] == '+') {
        i++;
        if (!semver_idents(v, &i, false)) return false;
    }
    return i == v.len;
}

/* RFC 5322 atext. */
static bool is_atext(char c)
{
    return is_alpha(c) || is_digit(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

/* dot-atom: atext runs joined by single dots. */
static bool dot_atom(dw_str v)
{
    if (!v.len || v.ptr[0] == '.' || v.ptr[v.len - 1] == '.') return false;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] == '.') {
            if (v.ptr[i + 1] == '.') return false;
            continue;
        }
        if (!is_atext(v.ptr[i])) return false;
    }
    return true;
}

/* An RFC 5322 addr-spec (local@domain), as email-validate accepts it:
 * the local part a dot-atom or a quoted string, the domain a dot-atom or a
 * [literal]; at most 64 and 254 bytes. */
static bool valid_email(dw_str v)
{
    if (v.len > 254) return false;
    size_t at = v.len;
    while (at > 0 && v.ptr[at - 1] != '@') at--;
    if (!at) return false;
    dw_str local = dw_str_make(v.ptr, at - 1), dom = dw_str_make(v.ptr + at, v.len - at);
    if (!local.len || local.len > 64 || !dom.len) return false;
    bool local_ok;
    if (local.ptr[0] == '"') {
        local_ok = local.len >= 2 && local.ptr[local.len - 1] == '"';
        for (size_t i = 1; local_ok && i + 1 < local.len; i++) {
            unsigned char c = (unsigned char)local.ptr[i];
            if (c == '\\') { i++; local_ok = i + 1 < local.len; continue; }
            local_ok = c >= 0x20 && c != '"' && c != 0x7f;
        }
    } else {
        local_ok = dot_atom(local);
    }
    if (!local_ok) return false;
    if (dom.ptr[0] == '[') {
        if (dom.ptr[dom.len - 1] != ']') return false;
        for (size_t i = 1; i + 1 < dom.len; i++)
            if ((unsigned char)dom.ptr[i] < 0x21 || strchr("[]\\", dom.ptr[i]) || dom.ptr[i] == 0x7f) return false;
        return true;
    }
    return dot_atom(dom);
}

/* ---- SPDX license expressions ---- */

static int spdx_cmp(const void *key, const void *elem)
{
    const dw_str *k = key;
    const char *e = *(const char *const *)elem;
    size_t n = strlen(e);
    for (size_t i = 0; i < k->len && i < n; i++) {
        int a = (unsigned char)k->ptr[i], b = (unsigned char)e[i];
        if (a >= 'A' && a <= 'Z') a += 32;
        if (b >= 'A' && b <= 'Z') b += 32;
        if (a != b) return a - b;
    }
    return k->len < n ? -1 : k->len > n ? 1 : 0;
}

static bool spdx_in(const char *const *list, size_t n, dw_str id)
{
    return bsearch(&id, list, n, sizeof *list, spdx_cmp) != NULL;
}

typedef struct { dw_str s; size_t i; } spdx_lexer;

static bool idchar(char c) { return is_alpha(c) || is_digit(c) || c == '.' || c == '-'; }

/* The next token: "(", ")", "+" or an idstring (with ':' for DocumentRef). */
static dw_str spdx_next(spdx_lexer *lx)
{
    while (lx->i < lx->s.len && (lx->s.ptr[lx->i] == ' ' || lx->s.ptr[lx->i] == '\t')) lx->i++;
    size_t st = lx->i;
    if (st >= lx->s.len) return dw_str_make(lx->s.ptr + st, 0);
    char c = lx->s.ptr[st];
    if (c == '(' || c == ')' || c == '+') { lx->i++; return dw_str_make(lx->s.ptr + st, 1); }
    while (lx->i < lx->s.len && (idchar(lx->s.ptr[lx->i]) || lx->s.ptr[lx->i] == ':')) lx->i++;
    if (lx->i == st) lx->i++; /* a stray character: a one-byte token no rule accepts */
    return dw_str_make(lx->s.ptr + st, lx->i - st);
}

static dw_str spdx_peek(spdx_lexer *lx)
{
    size_t save = lx->i;
    dw_str t = spdx_next(lx);
    lx->i = save;
    return t;
}

static bool spdx_op(dw_str t, const char *upper)
{
    /* SPDX operators are all upper or all lower case */
    return dw_str_eqc(t, upper) || (dw_str_ieqc(t, upper) && t.ptr[0] >= 'a');
}

static bool spdx_ref(dw_str t)
{
    dw_str r = t;
    const char *colon = dw_str_chr(t, ':');
    if (colon) {
        dw_str doc = dw_str_make(t.ptr, (size_t)(colon - t.ptr));
        if (!dw_str_has_prefix(doc, "DocumentRef-") || doc.len == 12) return false;
        r = dw_str_make(colon + 1, t.len - doc.len - 1);
    }
    if (!dw_str_has_prefix(r, "LicenseRef-") || r.len == 11) return false;
    for (size_t i = 0; i < r.len; i++)
        if (!idchar(r.ptr[i])) return false;
    return true;
}

static bool spdx_expr(spdx_lexer *lx, int depth);

/* simple-expression [WITH exception] | "(" expression ")" */
static bool spdx_term(spdx_lexer *lx, int depth)
{
    dw_str t = spdx_next(lx);
    if (dw_str_eqc(t, "(")) return depth < 32 && spdx_expr(lx, depth + 1) && dw_str_eqc(spdx_next(lx), ")");
    if (spdx_ref(t)) return true;
    if (!spdx_in(spdx_licenses, sizeof spdx_licenses / sizeof *spdx_licenses, t)) return false;
    if (dw_str_eqc(spdx_peek(lx), "+")) spdx_next(lx);
    if (spdx_op(spdx_peek(lx), "WITH")) {
        spdx_next(lx);
        dw_str e = spdx_next(lx);
        return spdx_in(spdx_exceptions, sizeof spdx_exceptions / sizeof *spdx_exceptions, e) || spdx_ref(e);
    }
    return true;
}

/* term (AND|OR term)* — precedence does not matter for validity */
static bool spdx_expr(spdx_lexer *lx, int depth)
{
    if (!spdx_term(lx, depth)) return false;
    while (spdx_op(spdx_peek(lx), "AND") || spdx_op(spdx_peek(lx), "OR")) {
        spdx_next(lx);
        if (!spdx_term(lx, depth)) return false;
    }
    return true;
}

/* An SPDX license id, or a license expression as the OCI
 * org.opencontainers.image.licenses annotation defines it. */
static bool valid_spdx(dw_str v)
{
    spdx_lexer lx = {v, 0};
    return spdx_expr(&lx, 0) && spdx_next(&lx).len == 0;
}

/* ---- the typed label rules ---- */

static void check_typed(dw_lint *ctx, dw_label_type type, bool (*ok)(dw_str), const char *what, const char *help)
{
    const dw_config *cfg = ctx->cfg;
    if (!cfg || !cfg->nlabels) return;
    bool any = false;
    for (uint32_t i = 0; i < cfg->nlabels; i++) any |= cfg->labels[i].type == type;
    if (!any) return;
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_LABEL) continue;
        for (uint32_t k = 0; k < in->nkvs; k++) {
            const dw_kv *kv = &in->kvs[k];
            dw_str key = label_key(kv), v;
            const dw_label_rule *e = schema_entry(cfg, key);
            /* an empty value is label-empty's finding */
            if (!e || e->type != type || !label_value(kv, &v) || !v.len || ok(v)) continue;
            dw_diag *d = dw_report(ctx, in, kv->value.span, "label `%.*s` is not %s: `%.*s`", (int)key.len, key.ptr, what,
                                   (int)v.len, v.ptr);
            dw_diag_help(ctx, d, "%s", help);
        }
    }
}

void check_label_not_url(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_URL, valid_url, "a valid URL",
                "use an absolute URL with its scheme, e.g. https://github.com/example/app");
}

void check_label_not_rfc3339(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_RFC3339, valid_rfc3339, "an RFC 3339 date-time",
                "use a date-time with a zone, e.g. 2024-05-01T12:00:00Z (date -u +%Y-%m-%dT%H:%M:%SZ)");
}

void check_label_not_spdx(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_SPDX, valid_spdx, "an SPDX license identifier or expression",
                "use an id from spdx.org/licenses (e.g. MIT, Apache-2.0) or an expression such as MIT OR Apache-2.0");
}

void check_label_not_git_hash(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_HASH, valid_git_hash, "a git commit hash",
                "use the commit's lower-case hex name, full or abbreviated (git rev-parse HEAD)");
}

void check_label_not_semver(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_SEMVER, valid_semver, "a semantic version",
                "use MAJOR.MINOR.PATCH with an optional -prerelease and +build, e.g. 1.4.2 or 2.0.0-rc.1");
}

void check_label_not_email(dw_lint *ctx)
{
    check_typed(ctx, DW_LABEL_EMAIL, valid_email, "an email address", "use an address such as team@example.com");
}
