/* cv_interp.c — interpolation of one Compose file's tree, as compose-go's
 * interpolation.Interpolate does it: every string VALUE at any depth (keys
 * never; numbers, booleans and nulls are left alone), with the project's
 * variables, then compose-go's type casts on the paths that need a number
 * or a boolean (a quoted "3" for `scale`, an interpolated "true" for
 * `privileged`).
 *
 * Findings, at the exact place in the file when the value is written on
 * one line (plain, 'single' or "double" quoted; a block scalar or a
 * folded multi-line one gets the whole value):
 *   - invalid-interpolation: a malformed `${...}`;
 *   - undefined-variable: `$X` / `${X}` with X set nowhere (Compose warns
 *     and substitutes ""); any form with a default, an alternative or a
 *     required-message counts as handled;
 *   - compose-schema: a value the cast refuses (`scale: "two"`).
 * The errors that stop Compose (the same ones, and an unset `${X:?msg}`)
 * also go to the project's errors, in compose-go's words. */
#include "compose_int.h"
#include "schema.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

typedef struct {
    dw_loader *L;
    int fi;
    dw_lookup_fn lookup;
    void *ud;
    dw_cpath path;
} walker;

/* ---- from offsets in the decoded value to offsets in the file ---- */

/* Bytes a YAML double-quoted escape at s[0] = '\\' decodes to, and its
 * length in the source; 0 for a line continuation (not mapped). */
static int dq_escape(const char *s, size_t n, size_t *srclen)
{
    if (n < 2) return *srclen = 1, 1;
    unsigned hex = 0;
    switch (s[1]) {
    case 'x': hex = 2; break;
    case 'u': hex = 4; break;
    case 'U': hex = 8; break;
    case 'N': case '_': return *srclen = 2, 2;
    case 'L': case 'P': return *srclen = 2, 3;
    case '\n': case '\r': return *srclen = 2, 0;
    default: return *srclen = 2, 1;
    }
    uint32_t cp = 0;
    for (unsigned i = 0; i < hex && 2 + i < n; i++) {
        char c = s[2 + i];
        cp = cp * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
    }
    *srclen = 2 + hex;
    char u[4];
    return dw_utf8_encode(cp, u);
}

/* Maps the decoded offsets want[0..1] of scalar v to file offsets. */
static bool map_offsets(const dw_compose_file *f, const dw_cv *v, const uint32_t want[2], uint32_t got[2])
{
    const char *s = f->src;
    uint32_t start = v->span.start, end = v->span.end;
    if (end > f->len || start >= end) return false;
    if (v->style == DW_YAML_PLAIN) {
        if (end - start != v->raw.len || memcmp(s + start, v->raw.ptr, v->raw.len) != 0) return false;
        got[0] = start + want[0];
        got[1] = start + want[1];
        return true;
    }
    if (v->style != DW_YAML_SINGLE_QUOTED && v->style != DW_YAML_DOUBLE_QUOTED) return false;
    bool dq = v->style == DW_YAML_DOUBLE_QUOTED;
    uint32_t k = start + 1, d = 0;
    int found = 0;
    for (;;) {
        for (int t = 0; t < 2; t++)
            if (!(found & (1 << t)) && d >= want[t]) {
                got[t] = k;
                found |= 1 << t;
            }
        if (found == 3) return true;
        if (k >= end - 1 || s[k] == '\n' || s[k] == '\r') return false;
        if (!dq && s[k] == '\'' && k + 1 < end && s[k + 1] == '\'') {
            k += 2;
            d += 1;
        } else if (dq && s[k] == '\\') {
            size_t sl;
            int out = dq_escape(s + k, end - k, &sl);
            if (!out) return false;
            k += (uint32_t)sl;
            d += (uint32_t)out;
        } else {
            k++;
            d++;
        }
    }
}

static dw_span value_span(walker *w, const dw_cv *v, uint32_t from, uint32_t to)
{
    uint32_t want[2] = {from, to}, got[2] = {0, 0};
    if (map_offsets(&w->L->p->files[w->fi], v, want, got)) return (dw_span){got[0], got[1]};
    return v->span;
}

/* ---- interpolation ---- */

static void interpolate(walker *w, dw_cv *v)
{
    dw_compose_project *p = w->L->p;
    dw_arena *a = &p->arena;
    if (!v->raw.len || !memchr(v->raw.ptr, '$', v->raw.len)) return;
    v->interpolated = true;
    dw_str out;
    dw_interp_error err;
    memset(&err, 0, sizeof err);
    dw_interp_ref *refs;
    uint32_t nrefs;
    int rc = dw_interpolate(a, v->raw, w->lookup, w->ud, &out, &err, &refs, &nrefs);
    const char *where = dw_cpath_string(a, &w->path);
    for (uint32_t i = 0; i < nrefs; i++) {
        if (refs[i].defaulted || refs[i].set) continue;
        dw_diag *d = dw_loader_report(w->L, w->fi, "undefined-variable", DW_SEV_WARNING,
                                      value_span(w, v, refs[i].span.start, refs[i].span.end),
                                      "variable \"%s\" is not set: Compose substitutes an empty string in %s",
                                      refs[i].name, where);
        if (d)
            d->help = dw_arena_printf(a, "set %s in the environment or in .env (or an --env-file), or give it a "
                                         "default: ${%s:-default}",
                                      refs[i].name, refs[i].name);
    }
    if (rc == 0) {
        v->s = out;
        return;
    }
    if (!err.invalid) {
        dw_compose_error(p, "error while interpolating %s: %s", where, err.message);
        return;
    }
    /* the bad `${`, up to the brace that balances it (or the template's end) */
    uint32_t end = err.tmpl.end, depth = 0;
    for (uint32_t k = err.offset + 1; k < err.tmpl.end; k++) {
        char c = v->raw.ptr[k];
        if (c == '{') depth++;
        else if (c == '}' && depth && --depth == 0) {
            end = k + 1;
            break;
        }
    }
    dw_str tmpl = dw_str_make(v->raw.ptr + err.tmpl.start, err.tmpl.end - err.tmpl.start);
    dw_diag *d = dw_loader_report(w->L, w->fi, "invalid-interpolation", DW_SEV_ERROR, value_span(w, v, err.offset, end),
                                  "invalid interpolation format in %s: %.*s", where, (int)(end - err.offset),
                                  v->raw.ptr + err.offset);
    if (d)
        d->help = "write a literal `$` as `$$`; Compose knows $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, "
                  "${VAR:?error}, ${VAR?error}, ${VAR:+alternative} and ${VAR+alternative}";
    dw_compose_error(p, "invalid interpolation format for %s.\nYou may need to escape any $ with another $.\n%.*s",
                     where, (int)tmpl.len, tmpl.ptr);
}

/* ---- type casts (compose-go's loader/interpolate.go) ---- */

/* The paths compose-go casts, and to what: schema.h's table (dw_sch_casts),
 * which the validator reads too. */

/* Go's strconv.ParseInt(s, 10, 64): an optional sign and decimal digits. */
static const char *parse_go_int(const char *s, int64_t *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!*p) return "invalid syntax";
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9') return "invalid syntax";
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE) return "value out of range";
    *out = v;
    return NULL;
}

/* Go's strconv.ParseFloat for decimal text, inf and nan. */
static const char *parse_go_float(const char *s, bool f32, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-') p++;
    if (!strcasecmp(p, "inf") || !strcasecmp(p, "infinity") || !strcasecmp(p, "nan")) {
        *out = strtod(s, NULL);
        return NULL;
    }
    size_t digits = 0;
    while (*p >= '0' && *p <= '9') p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9') p++, digits++;
    }
    if (!digits) return "invalid syntax";
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (*p < '0' || *p > '9') return "invalid syntax";
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p) return "invalid syntax";
    errno = 0;
    double v = strtod(s, NULL);
    if (errno == ERANGE && isinf(v)) return "value out of range";
    if (f32 && isfinite(v) && fabs(v) > 3.40282346638528859811704183484516925440e+38) return "value out of range";
    *out = v;
    return NULL;
}

static void cast(walker *w, dw_cv *v)
{
    if (w->path.depth < 2 || w->path.depth > DW_PATH_MAX) return;
    int k = -1;
    /* every string of the file comes here: compare the last segment first */
    dw_str last = w->path.seg[w->path.n - 1];
    for (int i = 0; dw_sch_casts[i].path && k < 0; i++) {
        const char *tail = strrchr(dw_sch_casts[i].path, '.') + 1;
        if ((tail[0] != '*' || tail[1]) && !dw_str_eqc(last, tail)) continue;
        if (dw_cpath_matches(&w->path, dw_sch_casts[i].path)) k = i;
    }
    if (k < 0) return;
    dw_arena *a = &w->L->p->arena;
    const char *text = dw_str_cstr(a, v->s);
    const char *why = NULL, *fn = NULL;
    switch (dw_sch_casts[k].kind) {
    case DW_CAST_INT:
    case DW_CAST_INT64: {
        int64_t i;
        fn = dw_sch_casts[k].kind == DW_CAST_INT ? "strconv.Atoi" : "strconv.ParseInt";
        if (!(why = parse_go_int(text, &i))) {
            v->kind = DW_CV_INT;
            v->i = i;
        }
        break;
    }
    case DW_CAST_FLOAT:
    case DW_CAST_FLOAT32: {
        double f;
        fn = "strconv.ParseFloat";
        if (!(why = parse_go_float(text, dw_sch_casts[k].kind == DW_CAST_FLOAT32, &f))) {
            v->kind = DW_CV_FLOAT;
            v->f = f;
        }
        break;
    }
    case DW_CAST_BOOL: {
        static const char *const yes[] = {"true", "y", "yes", "on"}, *const no[] = {"false", "n", "no", "off"};
        for (int i = 0; i < 4; i++) {
            if (!strcasecmp(text, yes[i])) v->kind = DW_CV_BOOL, v->b = true;
            if (!strcasecmp(text, no[i])) v->kind = DW_CV_BOOL, v->b = false;
        }
        if (v->kind != DW_CV_BOOL) why = dw_arena_printf(a, "invalid boolean: %s", text);
        break;
    }
    }
    if (!why) return;
    const char *msg = fn ? dw_arena_printf(a, "%s: parsing %s: %s", fn, dw_go_quoted(a, text, strlen(text)), why) : why;
    const char *where = dw_cpath_string(a, &w->path);
    dw_diag *d = dw_loader_report(w->L, w->fi, "compose-schema", DW_SEV_ERROR, v->span,
                                  "%s: \"%s\" is not %s", where, text,
                                  dw_sch_casts[k].kind == DW_CAST_BOOL ? "a boolean" : dw_sch_casts[k].kind <= DW_CAST_INT64 ? "an integer" : "a number");
    if (d) d->help = dw_sch_casts[k].kind == DW_CAST_BOOL ? "write true or false" : "write a number";
    dw_compose_error(w->L->p, "error while interpolating %s: failed to cast to expected type: %s", where, msg);
}

/* ---- the walk ---- */

static void walk(walker *w, dw_cv *v)
{
    if (!v) return;
    switch (v->kind) {
    case DW_CV_STR:
        interpolate(w, v);
        cast(w, v);
        break;
    case DW_CV_MAP:
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cpath_push(&w->path, v->pairs[i].key);
            walk(w, v->pairs[i].value);
            dw_cpath_pop(&w->path);
        }
        break;
    case DW_CV_SEQ:
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cpath_push_item(&w->path, i);
            walk(w, v->items[i]);
            dw_cpath_pop(&w->path);
        }
        break;
    default: break;
    }
}

void dw_cv_interpolate(dw_loader *L, int fi, dw_cv *root, dw_lookup_fn lookup, void *ud)
{
    walker w;
    memset(&w, 0, sizeof w);
    w.L = L;
    w.fi = fi;
    w.lookup = lookup;
    w.ud = ud;
    walk(&w, root);
}
