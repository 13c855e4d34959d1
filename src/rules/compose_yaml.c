/* compose_yaml.c — unquoted-yes-no: the YAML 1.1 boolean trap.
 *
 * Compose v2 reads YAML 1.2 (go-yaml): a plain `yes`, `no`, `on`, `off`,
 * `y` or `n` is a string. YAML 1.1 readers — Compose v1, PyYAML, many
 * editors, CI tools and linters — read the same text as a boolean, so
 * `DEBUG: on` reaches the container as "on" under Compose v2 and as "True"
 * under v1, and `restart: no` becomes `false`. On the fields compose-go
 * casts to a boolean (read_only, privileged, tty, ...) it accepts these
 * words with a "not supported by YAML 1.2" warning. Either way the value
 * means different things to different readers: write `true`/`false` where a
 * boolean is meant, quote the word where a string is meant.
 *
 * Each file's own tree is walked (not the merged model), so a value is
 * reported once, in the file it is written in; values reached again through
 * an alias (same span) are reported once. */
#include "compose_util.h"

#include <stdlib.h>

#include "../compose/schema.h"

typedef struct {
    dw_lint *ctx;
    const dw_compose_file *file;
    uint8_t *seen;          /* one bit per byte offset of the file: already reported */
    uint8_t *boolean;       /* one bit per byte offset: reached at a boolean field somewhere */
    bool marking;           /* first pass: only fill `boolean` */
    dw_cpath path;          /* keys from the root; "[]" for a sequence item */
} walk;

/* True when the current path matches a cast path of kind bool
 * ("services.*.read_only", "services.*.depends_on.*.required", ...). */
static bool bool_field(const walk *w)
{
    for (const dw_sch_cast *c = dw_sch_casts; c->path; c++)
        if (c->kind == DW_CAST_BOOL && dw_cpath_matches(&w->path, c->path)) return true;
    return false;
}

static bool yes_word(dw_str s)
{
    return dw_str_ieqc(s, "yes") || dw_str_ieqc(s, "on") || dw_str_ieqc(s, "y");
}

static bool bit(const uint8_t *set, uint32_t off) { return set[off / 8] & (1u << (off % 8)); }
static void set_bit(uint8_t *set, uint32_t off) { set[off / 8] |= (uint8_t)(1u << (off % 8)); }

/* A value written once may be reached at several paths (an anchor merged
 * into services): when one of them is a boolean field, it is a boolean. */
static void report(walk *w, const dw_cv *v)
{
    uint32_t off = v->span.start;
    if (off > w->file->len) return;
    if (w->marking) {
        if (bool_field(w)) set_bit(w->boolean, off);
        return;
    }
    if (bit(w->seen, off)) return;
    set_bit(w->seen, off);
    dw_lint *ctx = w->ctx;
    dw_diag *d;
    if (bit(w->boolean, off)) {
        const char *b = yes_word(v->raw) ? "true" : "false";
        d = dw_creport(ctx, v, NULL,
                       "%s: `%.*s` is not a YAML 1.2 boolean: Compose converts it with a warning, other YAML readers "
                       "may not",
                       dw_cpath_string(ctx->a, &w->path), (int)v->raw.len, v->raw.ptr);
        if (!d) return;
        dw_diag_help(ctx, d, "write `%s`", b);
        dw_diag_edit(ctx, d, v->span, b, strlen(b));
        return;
    }
    d = dw_creport(ctx, v, NULL,
                   "%s: unquoted `%.*s` is the string \"%.*s\" to Compose but a boolean to YAML 1.1 readers (Compose "
                   "v1, PyYAML, many editors and CI tools)",
                   dw_cpath_string(ctx->a, &w->path), (int)v->raw.len, v->raw.ptr, (int)v->raw.len, v->raw.ptr);
    if (!d) return;
    dw_diag_help(ctx, d, "quote it: \"%.*s\"", (int)v->raw.len, v->raw.ptr);
    char *q = dw_arena_printf(ctx->a, "\"%.*s\"", (int)v->raw.len, v->raw.ptr);
    dw_diag_edit(ctx, d, v->span, q, strlen(q));
}

static void visit(walk *w, const dw_cv *v)
{
    if (!v || w->path.depth >= DW_PATH_MAX) return;
    switch (v->kind) {
    case DW_CV_STR:
    case DW_CV_BOOL: /* compose-go's cast made a boolean of it */
        /* a plain yes/no/on/off/y/n written in this file (not produced by interpolation) */
        if (!v->interpolated && v->style == DW_YAML_PLAIN && v->file == (uint16_t)(w->file - w->ctx->compose->files) &&
            (yes_word(v->raw) || dw_str_ieqc(v->raw, "no") || dw_str_ieqc(v->raw, "off") || dw_str_ieqc(v->raw, "n")))
            report(w, v);
        break;
    case DW_CV_MAP:
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cpath_push(&w->path, v->pairs[i].key);
            visit(w, v->pairs[i].value);
            dw_cpath_pop(&w->path);
        }
        break;
    case DW_CV_SEQ:
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cpath_push_item(&w->path, i);
            visit(w, v->items[i]);
            dw_cpath_pop(&w->path);
        }
        break;
    default: break;
    }
}

void check_unquoted_yes_no(dw_lint *ctx)
{
    dw_compose_project *p = ctx->compose;
    for (uint32_t f = 0; f < p->nfiles; f++) {
        const dw_compose_file *file = &p->files[f];
        if (!file->root) continue;
        walk w;
        memset(&w, 0, sizeof w);
        w.ctx = ctx;
        w.file = file;
        w.seen = DW_NEW(ctx->a, uint8_t, file->len / 8 + 1);
        w.boolean = DW_NEW(ctx->a, uint8_t, file->len / 8 + 1);
        w.marking = true;
        visit(&w, file->root);
        w.marking = false;
        visit(&w, file->root);
    }
}
