/* df_hadolint.c — the section A rules that only hadolint has (DL codes):
 * instruction order, EXPOSE ranges, COPY --from checks, COPY destinations,
 * ONBUILD triggers, ENV self-references, pragmas, image tags and registries,
 * USER, HEALTHCHECK. The label rules are in df_labels.c.
 *
 * hadolint reports every finding on the first line of its instruction; we
 * point at the offending word (the tag, the --from value, the user…). Where
 * rules.md says so we are more precise than hadolint (variables resolved,
 * builder stages left alone); tests/KNOWN-GAPS.md lists the corpus rows that
 * disagree. Every check is one pass over the instructions. */
#include "hl_util.h"

#include <stdio.h>

/* ---- instruction-order (DL3061) ---- */

void check_instruction_order(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind == DW_I_FROM) break;
        /* ARG may precede FROM; an unknown instruction is already a syntax error */
        if (in->kind == DW_I_ARG || in->kind == DW_I_UNKNOWN) continue;
        dw_diag *d = dw_report(ctx, in, in->keyword_span, "instruction `%.*s` comes before the first FROM",
                               (int)in->keyword.len, in->keyword.ptr);
        dw_diag_help(ctx, d, "only ARG, comments and parser directives may precede FROM; move it into a stage");
    }
}

/* ---- expose-port-range (DL3011) ---- */

/* Reports `part` (a run of digits inside word w) when it is above 65535. */
static void port_check(dw_lint *ctx, const dw_instr *in, const dw_word *w, dw_str part)
{
    if (!hl_is_digits(part)) return; /* not a literal port: other rules' business */
    unsigned long v = 0;
    for (size_t i = 0; i < part.len && v <= 65535; i++) v = v * 10 + (unsigned long)(part.ptr[i] - '0');
    if (v <= 65535) return;
    dw_diag *d = dw_report(ctx, in, hl_word_span(in, w, (size_t)(part.ptr - w->text.ptr), part.len),
                           "port %.*s is outside the range 0-65535", (int)part.len, part.ptr);
    dw_diag_help(ctx, d, "a port is a 16-bit number: use one from 0 to 65535");
}

void check_expose_port_range(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_EXPOSE) continue;
        for (uint32_t k = 0; k < in->nargs; k++) {
            const dw_word *w = &in->args[k];
            /* variables are resolved only at build time (as hadolint, never judged) */
            if (hl_has_var(w->text)) continue;
            dw_str s = hl_unquote(w->text);
            const char *slash = dw_str_chr(s, '/');
            if (slash) s.len = (size_t)(slash - s.ptr);
            /* [ip:][host:]container: the container part is what EXPOSE opens */
            for (size_t j = s.len; j-- > 0;)
                if (s.ptr[j] == ':') { s = dw_str_make(s.ptr + j + 1, s.len - j - 1); break; }
            const char *dash = dw_str_chr(s, '-');
            if (dash) {
                port_check(ctx, in, w, dw_str_make(s.ptr, (size_t)(dash - s.ptr)));
                port_check(ctx, in, w, dw_str_make(dash + 1, s.len - (size_t)(dash - s.ptr) - 1));
            } else {
                port_check(ctx, in, w, s);
            }
        }
    }
}

/* ---- COPY --from: copy-from-unknown-stage (DL3022), copy-from-self (DL3023) ---- */

/* The stage index a numeric --from names, or -1 when it is not a number. */
static long from_index(dw_str v)
{
    if (!hl_is_digits(v) || v.len > 9) return hl_is_digits(v) ? 1000000000L : -1;
    long n = 0;
    for (size_t i = 0; i < v.len; i++) n = n * 10 + (v.ptr[i] - '0');
    return n;
}

/* A --from value that can only be an image reference: stage names have no
 * ':', '@' or '/', so these are never a misspelt stage. */
static bool looks_like_image(dw_str v)
{
    return dw_str_chr(v, ':') || dw_str_chr(v, '@') || dw_str_chr(v, '/');
}

/* Stage names -> first stage with that name, case-insensitive as BuildKit. */
static void stage_names(dw_lint *ctx, hl_map *m)
{
    hl_map_init(m, ctx->a, ctx->df->nstages, true);
    for (uint32_t s = 0; s < ctx->df->nstages; s++)
        if (ctx->df->stages[s].name.len) hl_map_put(m, ctx->df->stages[s].name, (int)s, true);
}

void check_copy_from_self(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_COPY || in->stage < 0) continue;
        const dw_flag *f = hl_flag(in, "from");
        if (!f || !f->has_value) continue;
        /* the parser resolves names among the stages defined so far, this
         * one included; a number equal to the stage's own index is the same */
        if (in->from_stage != in->stage && from_index(f->value) != in->stage) continue;
        const dw_stage *st = &df->stages[in->stage];
        dw_diag *d = dw_report(ctx, in, hl_flag_value_span(f), "stage copies from itself: --from=%.*s names the stage this COPY is in",
                               (int)f->value.len, f->value.ptr);
        dw_diag_help(ctx, d, "a stage cannot copy from itself: copy from an earlier stage, an image or the build context");
        if (st->name.len) dw_diag_related(ctx, d, st->name_span, "the stage is named here");
    }
}

/* "did you mean": the nearest earlier stage name. `names` holds every
 * stage's name as a C string (NULL when unnamed), made once per file. Only
 * the 256 closest earlier stages are looked at, and at most 64 of a similar
 * length compared, so a file with thousands of stages and bad references
 * stays linear and fast. */
static const char *suggest_stage(char **names, int before, dw_str v)
{
    const char *cands[64];
    size_t n = 0;
    for (int s = before - 1; s >= 0 && s >= before - 256 && n < 64; s--) {
        if (!names[s]) continue;
        size_t len = strlen(names[s]);
        if (len + 2 >= v.len && len <= v.len + 2) cands[n++] = names[s]; /* else the distance is over 2 */
    }
    return n ? dw_suggest(v, cands, n, true) : NULL;
}

void check_copy_from_unknown_stage(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    hl_map names;
    char **cnames = NULL; /* made on the first finding */
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_COPY) continue;
        const dw_flag *f = hl_flag(in, "from");
        if (!f || !f->has_value || !f->value.len) continue;
        dw_str v = f->value;
        if (in->from_stage >= 0 || looks_like_image(v) || hl_has_var(v)) continue;
        long idx = from_index(v);
        if (idx >= 0 && idx == in->stage) continue; /* copy-from-self */
        if (!cnames) {
            stage_names(ctx, &names);
            cnames = DW_NEW(ctx->a, char *, df->nstages + 1);
            for (uint32_t s = 0; s < df->nstages; s++)
                if (df->stages[s].name.len) cnames[s] = dw_str_cstr(ctx->a, df->stages[s].name);
        }
        dw_span sp = hl_flag_value_span(f);
        if (idx >= 0) {
            dw_diag *d;
            if (idx < (long)df->nstages && in->stage >= 0)
                d = dw_report(ctx, in, sp, "stage %.*s comes after this COPY --from=%.*s: only earlier stages can be "
                              "copied from", (int)v.len, v.ptr, (int)v.len, v.ptr);
            else
                d = dw_report(ctx, in, sp, "no stage %.*s before this COPY --from=%.*s: this is stage %d", (int)v.len,
                              v.ptr, (int)v.len, v.ptr, in->stage < 0 ? 0 : in->stage);
            dw_diag_help(ctx, d, "stages are numbered from 0 in order; COPY --from can only use a stage defined above it");
            continue;
        }
        int later = hl_map_get(&names, v, -1);
        if (later >= 0 && later == in->stage) continue; /* its own stage: copy-from-self */
        if (later >= 0) {
            dw_diag *d = dw_report(ctx, in, sp, "stage `%.*s` is defined later (line %u): COPY --from can only use an earlier stage",
                                   (int)v.len, v.ptr, df->stages[later].from->line);
            dw_diag_help(ctx, d, "COPY --from can only use a stage defined above it: move stage `%.*s` before this one",
                         (int)v.len, v.ptr);
            dw_diag_related(ctx, d, df->stages[later].name_span, "defined here");
            continue;
        }
        const char *near = suggest_stage(cnames, in->stage, v);
        dw_diag *d;
        if (near) d = dw_report(ctx, in, sp, "no stage named `%.*s` for COPY --from (did you mean %s?)", (int)v.len, v.ptr, near);
        else d = dw_report(ctx, in, sp, "no stage named `%.*s` for COPY --from", (int)v.len, v.ptr);
        dw_diag_help(ctx, d,
                     "name an earlier stage (FROM … AS %.*s); for an image write its tag (%.*s:<tag>), for a named "
                     "context pass --build-context %.*s=…",
                     (int)v.len, v.ptr, (int)v.len, v.ptr, (int)v.len, v.ptr);
    }
}

/* ---- copy-dest-slash (DL3021) ---- */

void check_copy_dest_slash(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if ((in->kind != DW_I_COPY && in->kind != DW_I_ADD) || in->nargs < 3) continue;
        const dw_word *w = &in->args[in->nargs - 1];
        dw_str dest = in->json ? w->text : hl_unquote(w->text);
        if (!dest.len) continue;
        char last = dest.ptr[dest.len - 1];
        if (last == '/' || (df->escape == '`' && last == '\\')) continue; /* a Windows directory */
        if (w->has_expanded && w->expanded.len && w->expanded.ptr[w->expanded.len - 1] == '/') continue;
        dw_diag *d = dw_report(ctx, in, w->span, "destination `%.*s` of %s with %u sources does not end with /",
                               (int)dest.len, dest.ptr, in->kind == DW_I_COPY ? "a COPY" : "an ADD", in->nargs - 1);
        dw_diag_help(ctx, d, "with several sources the destination must be a directory: write `%.*s/`",
                     (int)dest.len, dest.ptr);
        /* the fix: a slash inside the closing quote, if any */
        uint32_t at;
        if (in->json || dest.len != w->text.len) at = w->span.end - 1;
        else at = hl_word_span(in, w, w->text.len - 1, 1).end;
        if (at > w->span.start && at <= w->span.end) {
            dw_span sp = {at, at};
            dw_diag_edit(ctx, d, sp, "/", 1);
        }
    }
}

/* ---- onbuild-forbidden (DL3043) ---- */

void check_onbuild_forbidden(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_ONBUILD || !in->sub) continue;
        const dw_instr *sub = in->sub;
        const char *why;
        switch (sub->kind) {
        case DW_I_ONBUILD: why = "triggers cannot be chained: put the instruction directly after one ONBUILD"; break;
        case DW_I_FROM: why = "a trigger runs inside the child image's stage, which already has its FROM"; break;
        case DW_I_MAINTAINER: why = "MAINTAINER is deprecated: use ONBUILD LABEL org.opencontainers.image.authors=… if needed"; break;
        default: continue;
        }
        dw_diag *d = dw_report(ctx, in, sub->keyword_span, "forbidden trigger `ONBUILD %.*s`: builds from this image fail",
                               (int)sub->keyword.len, sub->keyword.ptr);
        dw_diag_help(ctx, d, "%s", why);
    }
}

/* ---- env-self-reference (DL3044) ---- */

/* The key a pair sets, as BuildKit sets it. */
static dw_str kv_key(const dw_kv *kv)
{
    return kv->key.has_expanded && kv->key.expanded.len ? kv->key.expanded : hl_unquote(kv->key.text);
}

/* True when the value is nothing but a reference to `key` ($K, ${K}, "$K"):
 * re-exporting a variable leaves its value unchanged. */
static bool is_reexport(dw_str value, dw_str key, char escape)
{
    dw_str v = hl_unquote(value);
    size_t pos = 0, st, en;
    bool dq = false;
    dw_str name;
    return hl_next_var(v, escape, &pos, &dq, &name, &st, &en) && st == 0 && en == v.len && dw_str_eq(name, key);
}

/* The first pair before `before` of an ENV that sets `name`, or -1. A map
 * is used for ENVs with many pairs so the check stays linear. */
static int pair_setting(const dw_instr *in, const hl_map *keys, dw_str name, uint32_t before)
{
    if (keys) {
        int k = hl_map_get(keys, name, -1);
        return k >= 0 && (uint32_t)k < before ? k : -1;
    }
    for (uint32_t k = 0; k < before; k++)
        if (dw_str_eq(kv_key(&in->kvs[k]), name)) return (int)k;
    return -1;
}

void check_env_self_reference(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* names declared by an earlier ARG or ENV anywhere (hadolint's scope) */
    hl_map declared;
    hl_map_init(&declared, ctx->a, 64, false);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind == DW_I_ARG) {
            for (uint32_t k = 0; k < in->nkvs; k++) hl_map_put(&declared, hl_unquote(in->kvs[k].key.text), 1, true);
            continue;
        }
        if (in->kind != DW_I_ENV) continue;
        if (in->nkvs > 1) {
            hl_map here, *keys = NULL;
            if (in->nkvs > 16) {
                hl_map_init(&here, ctx->a, in->nkvs, false);
                for (uint32_t k = 0; k < in->nkvs; k++) hl_map_put(&here, kv_key(&in->kvs[k]), (int)k, true);
                keys = &here;
            }
            for (uint32_t j = 1; j < in->nkvs; j++) {
                const dw_word *val = &in->kvs[j].value;
                size_t pos = 0, st, en;
                bool dq = false;
                dw_str name;
                while (hl_next_var(val->text, df->escape, &pos, &dq, &name, &st, &en)) {
                    /* BuildKit expands every pair against the environment as it
                     * was before the instruction: a key set by an earlier pair
                     * of the same ENV still has its old value here */
                    int k = pair_setting(in, keys, name, j);
                    if (k < 0) continue;
                    const dw_kv *set = &in->kvs[k];
                    /* `ARG V` then `ENV V=$V W=$V`: re-exporting keeps the value */
                    if (hl_map_get(&declared, name, 0) && is_reexport(set->value.text, name, df->escape)) continue;
                    dw_str newval = hl_unquote(set->value.text);
                    dw_diag *d = dw_report(ctx, in, hl_word_span(in, val, st, en - st),
                                           "reference `%.*s` gets %.*s's value from before this ENV, not `%.*s`: the "
                                           "same instruction sets it",
                                           (int)(en - st), val->text.ptr + st, (int)name.len, name.ptr,
                                           (int)newval.len, newval.ptr);
                    dw_diag_help(ctx, d, "split it: set %.*s in one ENV and use it in a following ENV",
                                 (int)name.len, name.ptr);
                    dw_diag_related(ctx, d, set->key.span, "set here");
                }
            }
        }
        for (uint32_t k = 0; k < in->nkvs; k++) hl_map_put(&declared, kv_key(&in->kvs[k]), 1, true);
    }
}

/* ---- copy-relative-no-workdir (DL3045) ---- */

void check_copy_relative_no_workdir(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* per stage: a WORKDIR was set in it or in the stage it is built on */
    bool *workdir = DW_NEW(ctx->a, bool, df->nstages + 1);
    bool before_from = false; /* a WORKDIR before any FROM */
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        bool *cur = in->stage >= 0 ? &workdir[in->stage] : &before_from;
        if (in->kind == DW_I_FROM) {
            const dw_stage *st = &df->stages[in->stage];
            *cur = st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && workdir[st->base_stage];
            continue;
        }
        if (in->kind == DW_I_WORKDIR) { *cur = true; continue; }
        if (in->kind != DW_I_COPY || *cur || in->nargs < 2) continue;
        const dw_word *w = &in->args[in->nargs - 1];
        dw_str dest = in->json ? w->text : hl_unquote(w->text);
        if (!dest.len || dest.ptr[0] == '/' || dest.ptr[0] == '$') continue;
        /* Windows absolute paths: C:\… or C:/… */
        if (dest.len >= 2 && dest.ptr[1] == ':' &&
            ((dest.ptr[0] >= 'a' && dest.ptr[0] <= 'z') || (dest.ptr[0] >= 'A' && dest.ptr[0] <= 'Z')))
            continue;
        dw_diag *d = dw_report(ctx, in, w->span,
                               "relative destination `%.*s` with no WORKDIR set: the files land in whatever "
                               "working directory the base image has",
                               (int)dest.len, dest.ptr);
        dw_diag_help(ctx, d, "set WORKDIR first (e.g. WORKDIR /app) or give an absolute destination");
    }
}

/* ---- inline-ignore (DL1001) ---- */

/* True for a comment that is an inline ignore pragma: `hadolint ignore=…`
 * (hadolint's syntax: codes of D, L, S, C and digits, a trailing `# reason`
 * allowed) or our `dockwright ignore=…`. `global`, `stage` and `shell`
 * pragmas are not inline. */
static bool inline_pragma(dw_str c)
{
    bool hadolint = dw_str_has_prefix(c, "hadolint") && c.len > 8 && (c.ptr[8] == ' ' || c.ptr[8] == '\t');
    bool ours = dw_str_has_prefix(c, "dockwright") && c.len > 10 && (c.ptr[10] == ' ' || c.ptr[10] == '\t');
    if (!hadolint && !ours) return false;
    dw_str b = dw_str_trim_left_space(dw_str_sub(c, hadolint ? 8 : 10, c.len));
    if (!dw_str_has_prefix(b, "ignore")) return false;
    b = dw_str_trim_left_space(dw_str_sub(b, 6, b.len));
    if (!b.len || b.ptr[0] != '=') return false;
    size_t i = 1, ncodes = 0;
    for (;;) {
        while (i < b.len && (b.ptr[i] == ' ' || b.ptr[i] == '\t')) i++;
        size_t st = i;
        while (i < b.len && b.ptr[i] != ',' && b.ptr[i] != ' ' && b.ptr[i] != '\t' && b.ptr[i] != '#') {
            char ch = b.ptr[i];
            bool ok = hadolint ? (ch == 'D' || ch == 'L' || ch == 'S' || ch == 'C' || (ch >= '0' && ch <= '9'))
                               : (hl_is_name_char(ch) || ch == '-');
            if (!ok) return false;
            i++;
        }
        if (i == st) return false;
        ncodes++;
        while (i < b.len && (b.ptr[i] == ' ' || b.ptr[i] == '\t')) i++;
        if (i < b.len && b.ptr[i] == ',') { i++; continue; }
        break;
    }
    /* hadolint accepts only a `# comment` after the list; ours any reason */
    return ncodes && (!hadolint || i == b.len || b.ptr[i] == '#');
}

void check_inline_ignore(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ncomments; i++) {
        const dw_comment *c = &df->comments[i];
        if (!inline_pragma(c->text)) continue;
        dw_diag *d = dw_report(ctx, NULL, c->span, "inline ignore pragma `# %.*s`", (int)c->text.len, c->text.ptr);
        dw_diag_help(ctx, d, "fix what it hides, or turn the rule off for the project in the config file");
    }
}

/* ---- FROM images: latest-tag (DL3007), untagged-image (DL3006), trusted-registry (DL3026) ---- */

static const char *const platform_args[] = {
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
};

/* True when every variable in a FROM word has a known value: a global ARG
 * with a default, a --build-arg, or a predefined platform ARG. Otherwise the
 * image is only known at build time and is not judged. */
static bool from_vars_known(dw_lint *ctx, const hl_map *defaults, dw_str raw)
{
    size_t pos = 0, st, en;
    bool dq = false;
    dw_str name;
    while (hl_next_var(raw, ctx->df->escape, &pos, &dq, &name, &st, &en)) {
        if (hl_map_get(defaults, name, 0)) continue;
        bool found = false;
        for (size_t k = 0; k < sizeof platform_args / sizeof *platform_args && !found; k++)
            found = dw_str_eqc(name, platform_args[k]);
        if (!found && !dw_lint_build_arg(ctx, dw_str_cstr(ctx->a, name))) return false;
    }
    return true;
}

static void global_defaults(dw_lint *ctx, hl_map *m)
{
    hl_map_init(m, ctx->a, ctx->df->nglobal_args, false);
    for (uint32_t i = 0; i < ctx->df->nglobal_args; i++)
        if (ctx->df->global_args[i].has_eq) hl_map_put(m, ctx->df->global_args[i].key.text, 1, false);
}

/* The image word of a stage's FROM, or NULL. */
static const dw_word *from_word(const dw_stage *st)
{
    return st->from && st->from->nargs ? &st->from->args[0] : NULL;
}

void check_latest_tag(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        const dw_word *w = from_word(st);
        if (!w || st->base_kind != DW_BASE_IMAGE || !dw_str_eqc(st->image.tag, "latest") || st->image.digest.len) continue;
        const dw_instr *in = st->from;
        dw_diag *d;
        if (!hl_has_var(w->text) && w->text.len == st->base_expanded.len) {
            size_t off = (size_t)(st->image.tag.ptr - st->base_expanded.ptr);
            d = dw_report(ctx, in, hl_word_span(in, w, off, 6), "`%.*s` uses the latest tag: the image changes whenever the tag moves",
                          (int)w->text.len, w->text.ptr);
        } else {
            d = dw_report(ctx, in, w->span, "`%.*s` resolves to `%.*s`: the latest tag changes whenever it moves",
                          (int)w->text.len, w->text.ptr, (int)st->base_expanded.len, st->base_expanded.ptr);
        }
        dw_str name = dw_str_make(st->base_expanded.ptr, (size_t)(st->image.tag.ptr - 1 - st->base_expanded.ptr));
        dw_diag_help(ctx, d, "pin a version tag (%.*s:<version>) or a digest (%.*s@sha256:…)", (int)name.len, name.ptr,
                     (int)name.len, name.ptr);
    }
}

void check_untagged_image(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    hl_map defaults;
    bool have_defaults = false;
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        const dw_word *w = from_word(st);
        if (!w || st->base_kind != DW_BASE_IMAGE || !st->base_expanded.len) continue;
        if (st->image.tag.len || st->image.digest.len || !st->image.repository.len) continue;
        bool var = hl_has_var(w->text);
        if (var) {
            if (!have_defaults) { global_defaults(ctx, &defaults); have_defaults = true; }
            if (!from_vars_known(ctx, &defaults, w->text)) continue;
        }
        dw_diag *d;
        if (var)
            d = dw_report(ctx, st->from, w->span, "`%.*s` resolves to `%.*s`, which has no tag or digest", (int)w->text.len,
                          w->text.ptr, (int)st->base_expanded.len, st->base_expanded.ptr);
        else
            d = dw_report(ctx, st->from, w->span, "image `%.*s` has no tag or digest: each build may get a different image",
                          (int)w->text.len, w->text.ptr);
        dw_diag_help(ctx, d, "pin a version tag (%.*s:<version>) or a digest (%.*s@sha256:…)", (int)st->base_expanded.len,
                     st->base_expanded.ptr, (int)st->base_expanded.len, st->base_expanded.ptr);
    }
}

/* One trusted-registries entry against a registry host: `*` matches all,
 * `*suffix` by suffix, `prefix*` by prefix, anything else exactly (host
 * names are case-insensitive). */
static bool registry_match(const char *pat, dw_str reg)
{
    size_t n = strlen(pat);
    if (n == 1 && pat[0] == '*') return true;
    if (n && pat[0] == '*')
        return reg.len >= n - 1 && dw_str_ieq(dw_str_make(reg.ptr + reg.len - (n - 1), n - 1), dw_str_make(pat + 1, n - 1));
    if (n && pat[n - 1] == '*')
        return reg.len >= n - 1 && dw_str_ieq(dw_str_make(reg.ptr, n - 1), dw_str_make(pat, n - 1));
    return dw_str_ieq(reg, dw_str_make(pat, n));
}

/* Docker Hub answers to several names; trusting any of them trusts it. */
static const char *const hub_names[] = {"docker.io", "index.docker.io", "registry-1.docker.io", "hub.docker.com"};

static bool is_hub(dw_str reg)
{
    for (size_t k = 0; k < sizeof hub_names / sizeof *hub_names; k++)
        if (dw_str_ieqc(reg, hub_names[k])) return true;
    return false;
}

static bool registry_trusted(const dw_config *cfg, dw_str reg)
{
    bool hub = is_hub(reg);
    for (uint32_t i = 0; i < cfg->ntrusted; i++) {
        if (registry_match(cfg->trusted_registries[i], reg)) return true;
        for (size_t k = 0; hub && k < sizeof hub_names / sizeof *hub_names; k++)
            if (registry_match(cfg->trusted_registries[i], dw_str_c(hub_names[k]))) return true;
    }
    return false;
}

static void report_untrusted(dw_lint *ctx, const dw_instr *in, dw_span sp, dw_str image, dw_str reg)
{
    dw_diag *d = dw_report(ctx, in, sp, "image `%.*s` comes from `%.*s`, which is not a trusted registry", (int)image.len,
                           image.ptr, (int)reg.len, reg.ptr);
    dw_buf b = {0};
    for (uint32_t i = 0; i < ctx->cfg->ntrusted; i++) {
        if (i) dw_buf_puts(&b, ", ");
        dw_buf_puts(&b, ctx->cfg->trusted_registries[i]);
    }
    dw_diag_help(ctx, d, "use an image from a trusted registry (%.*s), or add `%.*s` to trusted-registries", (int)b.n,
                 b.p ? b.p : "", (int)reg.len, reg.ptr);
    dw_buf_free(&b);
}

/* A --from / from= value that names an image rather than a stage. */
static bool from_is_image(const hl_map *names, dw_str v, int resolved)
{
    return v.len && resolved < 0 && !hl_is_digits(v) && !hl_has_var(v) && hl_map_get(names, v, -1) < 0 &&
           !dw_str_eqc(v, "scratch");
}

void check_trusted_registry(dw_lint *ctx)
{
    const dw_config *cfg = ctx->cfg;
    if (!cfg || !cfg->ntrusted) return; /* nothing configured: nothing to check */
    dw_dockerfile *df = ctx->df;
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        const dw_word *w = from_word(st);
        if (!w || st->base_kind != DW_BASE_IMAGE || !st->base_expanded.len) continue;
        if (registry_trusted(cfg, st->image.registry)) continue;
        dw_span sp = w->span;
        /* point at the registry when the word is written out literally */
        if (st->image.explicit_registry && dw_str_eq(w->text, st->base_expanded))
            sp = hl_word_span(st->from, w, 0, st->image.registry.len);
        report_untrusted(ctx, st->from, sp, st->base_expanded, st->image.registry);
    }
    hl_map names;
    stage_names(ctx, &names);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind == DW_I_COPY) {
            const dw_flag *f = hl_flag(in, "from");
            if (!f || !f->has_value || !from_is_image(&names, f->value, in->from_stage)) continue;
            dw_imageref r;
            dw_imageref_parse(ctx->a, f->value, &r);
            if (!registry_trusted(cfg, r.registry)) report_untrusted(ctx, in, hl_flag_value_span(f), f->value, r.registry);
        } else if (in->kind == DW_I_RUN) {
            for (uint32_t m = 0; m < in->nmounts; m++) {
                const dw_mount *mt = &in->mounts[m];
                if (!mt->has_from || !from_is_image(&names, mt->from, mt->from_stage)) continue;
                dw_imageref r;
                dw_imageref_parse(ctx->a, mt->from, &r);
                if (registry_trusted(cfg, r.registry)) continue;
                /* the from= value inside the mount, when written out plainly */
                dw_span sp = mt->span;
                const char *src = df->src + mt->span.start;
                size_t n = mt->span.end - mt->span.start;
                for (size_t k = 0; k + 5 + mt->from.len <= n; k++)
                    if (!memcmp(src + k, "from=", 5) && !memcmp(src + k + 5, mt->from.ptr, mt->from.len)) {
                        sp.start = mt->span.start + (uint32_t)(k + 5);
                        sp.end = sp.start + (uint32_t)mt->from.len;
                        break;
                    }
                report_untrusted(ctx, in, sp, mt->from, r.registry);
            }
        }
    }
}

/* ---- USER: last-user-root (DL3002), user-non-numeric (DL3066) ---- */

/* The user as it will be set: the expanded value when variables are
 * involved (empty when unknown), else the text without quotes. */
static dw_str user_value(const dw_word *w)
{
    if (hl_has_var(w->text)) return w->has_expanded ? w->expanded : dw_str_make(w->text.ptr, 0);
    return hl_unquote(w->text);
}

static bool is_root_user(dw_str u)
{
    const char *colon = dw_str_chr(u, ':');
    dw_str name = colon ? dw_str_make(u.ptr, (size_t)(colon - u.ptr)) : u;
    return dw_str_eqc(name, "root") || dw_str_eqc(name, "0");
}

/* The span of the user part (before ':') of a USER word. */
static dw_span user_span(const dw_instr *in, const dw_word *w)
{
    if (hl_has_var(w->text)) return w->span;
    dw_str u = hl_unquote(w->text);
    const char *colon = dw_str_chr(u, ':');
    size_t len = colon ? (size_t)(colon - u.ptr) : u.len;
    return hl_word_span(in, w, (size_t)(u.ptr - w->text.ptr), len);
}

void check_last_user_root(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    /* The image's user is the last USER of the final stage, else of the stage
     * it is built on, and so on up the chain. Builder stages whose user
     * never reaches the image are not judged (rules.md's deviation). */
    int s = ctx->final_stage;
    uint32_t guard = 0;
    while (s >= 0 && guard++ <= df->nstages) {
        const dw_stage *st = &df->stages[s];
        for (uint32_t i = st->first + st->count; i-- > st->first + 1;) {
            const dw_instr *in = &df->instrs[i];
            if (in->kind != DW_I_USER || !in->nargs) continue;
            const dw_word *w = &in->args[0];
            if (!is_root_user(user_value(w))) return;
            dw_diag *d;
            if (s == ctx->final_stage)
                d = dw_report(ctx, in, user_span(in, w), "the image runs as root: `%.*s` is the last USER of the final stage",
                              (int)w->text.len, w->text.ptr);
            else
                d = dw_report(ctx, in, user_span(in, w),
                              "the image runs as root: `%.*s` is the last USER of stage `%.*s`, which the final stage "
                              "builds on",
                              (int)w->text.len, w->text.ptr, (int)st->name.len, st->name.ptr);
            dw_diag_help(ctx, d, "end with an unprivileged user (e.g. USER 10001) once the root-only steps are done");
            return;
        }
        s = st->base_kind == DW_BASE_STAGE ? st->base_stage : -1;
    }
}

void check_user_non_numeric(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_USER || !in->nargs) continue;
        const dw_word *w = &in->args[0];
        dw_str u = user_value(w);
        const char *colon = dw_str_chr(u, ':');
        if (colon) u.len = (size_t)(colon - u.ptr);
        if (!u.len || hl_is_digits(u)) continue; /* unknown until build time, or numeric */
        dw_diag *d = dw_report(ctx, in, user_span(in, w), "non-numeric user `%.*s`: Kubernetes runAsNonRoot cannot verify it",
                               (int)u.len, u.ptr);
        dw_diag_help(ctx, d, "use the numeric UID (and GID), e.g. USER 10001:10001, after creating the user with that UID");
    }
}

/* ---- copy-whole-filesystem (DL3067) ---- */

void check_copy_whole_filesystem(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_COPY || in->nargs < 2) continue;
        const dw_flag *f = hl_flag(in, "from");
        if (!f || !f->has_value) continue;
        const dw_word *dest = &in->args[in->nargs - 1];
        if (!dw_str_eqc(in->json ? dest->text : hl_unquote(dest->text), "/")) continue;
        for (uint32_t k = 0; k + 1 < in->nargs; k++) {
            const dw_word *w = &in->args[k];
            if (!dw_str_eqc(in->json ? w->text : hl_unquote(w->text), "/")) continue;
            dw_diag *d = dw_report(ctx, in, w->span, "copies the whole filesystem of `%.*s` over this one",
                                   (int)f->value.len, f->value.ptr);
            dw_diag_help(ctx, d, "copy only what the image needs (e.g. COPY --from=%.*s /app /app)", (int)f->value.len,
                         f->value.ptr);
            break;
        }
    }
}

/* ---- healthcheck-missing (DL3057) ---- */

void check_healthcheck_missing(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    if (ctx->final_stage < 0) return;
    /* the final stage and the stages it is built on, as hadolint: a
     * HEALTHCHECK (NONE included) anywhere in that chain counts */
    int s = ctx->final_stage;
    uint32_t guard = 0;
    while (s >= 0 && guard++ <= df->nstages) {
        const dw_stage *st = &df->stages[s];
        for (uint32_t i = st->first; i < st->first + st->count; i++)
            if (df->instrs[i].kind == DW_I_HEALTHCHECK) return;
        s = st->base_kind == DW_BASE_STAGE ? st->base_stage : -1;
    }
    const dw_stage *fin = &df->stages[ctx->final_stage];
    dw_diag *d;
    if (fin->name.len)
        d = dw_report(ctx, fin->from, fin->from->span, "the final stage `%.*s` has no HEALTHCHECK", (int)fin->name.len,
                      fin->name.ptr);
    else
        d = dw_report(ctx, fin->from, fin->from->span, "the final stage has no HEALTHCHECK");
    dw_diag_help(ctx, d,
                 "add HEALTHCHECK CMD … so the runtime can tell when the app stops answering, or HEALTHCHECK NONE to say "
                 "none is wanted");
}
