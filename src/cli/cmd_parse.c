/* cmd_parse.c — `dockwright parse FILE`: the AST in BuildKit's `result`
 * format, or with --json the full tree (positions, flags, heredocs, stages,
 * expanded values, diagnostics). Syntax errors go to stderr; exit 1 when
 * there are any, 2 when the file cannot be read. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static const char parse_usage[] =
    "usage: dockwright parse [--json | -q] [--build-arg NAME=VALUE]... [--stdin-filename NAME] FILE|-\n";

/* jansson rejects invalid UTF-8: replace bad bytes with U+FFFD. */
static json_t *jtext(dw_str s)
{
    json_t *j = json_stringn(s.ptr ? s.ptr : "", s.len);
    if (j) return j;
    char *buf = malloc(s.len * 3 + 1);
    size_t o = 0;
    for (size_t i = 0; i < s.len; i++) {
        unsigned char c = (unsigned char)s.ptr[i];
        if (c < 0x80) { buf[o++] = (char)c; continue; }
        int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        bool ok = len && i + (size_t)len <= s.len;
        for (int k = 1; ok && k < len; k++) ok = ((unsigned char)s.ptr[i + (size_t)k] & 0xC0) == 0x80;
        json_t *check = ok ? json_stringn(s.ptr + i, (size_t)len) : NULL; /* is it valid UTF-8? */
        json_decref(check);
        if (check) {
            memcpy(buf + o, s.ptr + i, (size_t)len);
            o += (size_t)len;
            i += (size_t)len - 1;
        } else {
            memcpy(buf + o, "\xEF\xBF\xBD", 3);
            o += 3;
        }
    }
    j = json_stringn_nocheck(buf, o);
    free(buf);
    return j;
}
#define jstr jtext

static json_t *jspan(const dw_dockerfile *df, dw_span sp)
{
    dw_pos a = dw_linemap_pos(&df->lines, sp.start);
    dw_pos b = dw_linemap_pos(&df->lines, sp.end);
    return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "line", (json_int_t)a.line, "column", (json_int_t)a.col,
                     "end_line", (json_int_t)b.line, "end_column", (json_int_t)b.col, "offset",
                     (json_int_t)sp.start, "end_offset", (json_int_t)sp.end);
}

static json_t *jword(const dw_dockerfile *df, const dw_word *w)
{
    json_t *o = json_pack("{s:o,s:o}", "value", jstr(w->text), "span", jspan(df, w->span));
    if (w->has_expanded) json_object_set_new(o, "expanded", jstr(w->expanded));
    return o;
}

static const char *mount_type(dw_mount_type t)
{
    static const char *const n[] = {"bind", "cache", "tmpfs", "secret", "ssh", "unknown"};
    return n[t];
}

static json_t *jinstr(const dw_dockerfile *df, const dw_instr *in)
{
    json_t *o = json_object();
    json_object_set_new(o, "instruction", json_string(in->kind ? dw_instr_name(in->kind) : "unknown"));
    json_object_set_new(o, "keyword", jstr(in->keyword));
    json_object_set_new(o, "span", jspan(df, in->span));
    json_object_set_new(o, "start_line", json_integer(in->line));
    json_object_set_new(o, "end_line", json_integer(in->end_line));
    json_object_set_new(o, "original", jstr(in->original));
    if (in->stage >= 0) json_object_set_new(o, "stage", json_integer(in->stage));
    json_object_set_new(o, "form", json_string(in->json ? "exec" : "shell"));
    json_t *flags = json_array();
    for (uint32_t i = 0; i < in->nflags; i++) {
        const dw_flag *f = &in->flags[i];
        json_t *jf = json_pack("{s:o,s:o,s:o}", "raw", jstr(f->raw), "name", jstr(f->name), "span",
                               jspan(df, f->span));
        if (f->has_value) json_object_set_new(jf, "value", jstr(f->value));
        json_array_append_new(flags, jf);
    }
    json_object_set_new(o, "flags", flags);
    json_t *args = json_array();
    for (uint32_t i = 0; i < in->nargs; i++) json_array_append_new(args, jword(df, &in->args[i]));
    json_object_set_new(o, "args", args);
    if (in->nkvs) {
        json_t *kvs = json_array();
        for (uint32_t i = 0; i < in->nkvs; i++) {
            json_t *kv = json_pack("{s:o,s:b}", "key", jword(df, &in->kvs[i].key), "has_equals",
                                   in->kvs[i].has_eq);
            if (in->kvs[i].has_eq || in->kind != DW_I_ARG)
                json_object_set_new(kv, "value", jword(df, &in->kvs[i].value));
            json_array_append_new(kvs, kv);
        }
        json_object_set_new(o, "pairs", kvs);
    }
    if (in->nheredocs) {
        json_t *hs = json_array();
        for (uint32_t i = 0; i < in->nheredocs; i++) {
            const dw_heredoc *h = &in->heredocs[i];
            json_array_append_new(hs, json_pack("{s:o,s:o,s:i,s:b,s:b,s:o,s:o}", "name", jstr(h->name), "content",
                                                jstr(h->content), "fd", (json_int_t)h->fd, "expand", h->expand,
                                                "chomp", h->chomp, "word", jspan(df, h->word_span), "body",
                                                jspan(df, h->body_span)));
        }
        json_object_set_new(o, "heredocs", hs);
    }
    if (in->nmounts) {
        json_t *ms = json_array();
        for (uint32_t i = 0; i < in->nmounts; i++) {
            const dw_mount *m = &in->mounts[i];
            json_t *jm = json_pack("{s:s}", "type", mount_type(m->type));
            if (m->has_target) json_object_set_new(jm, "target", jstr(m->target));
            if (m->has_source) json_object_set_new(jm, "source", jstr(m->source));
            if (m->has_from) json_object_set_new(jm, "from", jstr(m->from));
            if (m->has_id) json_object_set_new(jm, "id", jstr(m->id));
            if (m->has_sharing) json_object_set_new(jm, "sharing", jstr(m->sharing));
            if (m->has_mode) json_object_set_new(jm, "mode", jstr(m->mode));
            if (m->has_uid) json_object_set_new(jm, "uid", jstr(m->uid));
            if (m->has_gid) json_object_set_new(jm, "gid", jstr(m->gid));
            if (m->has_env) json_object_set_new(jm, "env", jstr(m->env));
            if (m->readonly >= 0) json_object_set_new(jm, "readonly", json_boolean(m->readonly));
            if (m->required >= 0) json_object_set_new(jm, "required", json_boolean(m->required));
            if (m->from_stage >= 0) json_object_set_new(jm, "from_stage", json_integer(m->from_stage));
            json_array_append_new(ms, jm);
        }
        json_object_set_new(o, "mounts", ms);
    }
    if (in->from_stage >= 0) json_object_set_new(o, "from_stage", json_integer(in->from_stage));
    if (in->ncomments) {
        json_t *cs = json_array();
        for (uint32_t i = 0; i < in->ncomments; i++) json_array_append_new(cs, jstr(in->comments[i].text));
        json_object_set_new(o, "comments", cs);
    }
    if (in->nempty_lines) {
        json_t *es = json_array();
        for (uint32_t i = 0; i < in->nempty_lines; i++) json_array_append_new(es, json_integer(in->empty_lines[i]));
        json_object_set_new(o, "empty_continuation_lines", es);
    }
    if (in->sub) json_object_set_new(o, "trigger", jinstr(df, in->sub));
    if (in->error) json_object_set_new(o, "error", json_string(in->error));
    return o;
}

static const char *base_kind(dw_base_kind k)
{
    return k == DW_BASE_STAGE ? "stage" : k == DW_BASE_SCRATCH ? "scratch" : "image";
}

static json_t *jdockerfile(const dw_dockerfile *df)
{
    json_t *root = json_object();
    json_object_set_new(root, "file", json_string(df->path));
    char esc[2] = {df->escape, 0};
    json_object_set_new(root, "escape", json_string(esc));
    json_t *dirs = json_array();
    for (uint32_t i = 0; i < df->ndirectives; i++)
        json_array_append_new(dirs, json_pack("{s:o,s:o,s:i}", "name", jstr(df->directives[i].name), "value",
                                              jstr(df->directives[i].value), "line",
                                              (json_int_t)df->directives[i].line));
    json_object_set_new(root, "directives", dirs);
    json_t *ins = json_array();
    for (uint32_t i = 0; i < df->ninstrs; i++) json_array_append_new(ins, jinstr(df, &df->instrs[i]));
    json_object_set_new(root, "instructions", ins);
    json_t *gargs = json_array();
    for (uint32_t i = 0; i < df->nglobal_args; i++) {
        const dw_kv *kv = &df->global_args[i];
        json_t *g = json_pack("{s:o}", "name", jstr(kv->key.text));
        if (kv->has_eq) {
            json_object_set_new(g, "default", jstr(kv->value.text));
            if (kv->value.has_expanded) json_object_set_new(g, "expanded", jstr(kv->value.expanded));
        }
        json_array_append_new(gargs, g);
    }
    json_object_set_new(root, "global_args", gargs);
    json_t *stages = json_array();
    for (uint32_t i = 0; i < df->nstages; i++) {
        const dw_stage *st = &df->stages[i];
        json_t *s = json_pack("{s:i,s:o,s:o,s:s,s:i,s:i}", "index", (json_int_t)st->index, "base", jstr(st->base),
                              "base_expanded", jstr(st->base_expanded), "base_kind", base_kind(st->base_kind),
                              "first_instruction", (json_int_t)st->first, "instruction_count",
                              (json_int_t)st->count);
        if (st->name.len) json_object_set_new(s, "name", jstr(st->name));
        if (st->base_kind == DW_BASE_STAGE) json_object_set_new(s, "base_stage", json_integer(st->base_stage));
        if (st->base_kind == DW_BASE_IMAGE) {
            json_t *im = json_pack("{s:o,s:o,s:b}", "registry", jstr(st->image.registry), "repository",
                                   jstr(st->image.repository), "valid", st->image.valid);
            if (st->image.tag.len) json_object_set_new(im, "tag", jstr(st->image.tag));
            if (st->image.digest.len) json_object_set_new(im, "digest", jstr(st->image.digest));
            json_object_set_new(s, "image", im);
        }
        if (st->platform.len) {
            json_object_set_new(s, "platform", jstr(st->platform));
            json_object_set_new(s, "platform_expanded", jstr(st->platform_expanded));
        }
        json_array_append_new(stages, s);
    }
    json_object_set_new(root, "stages", stages);
    json_t *diags = json_array();
    for (uint32_t i = 0; i < df->diags.n; i++) {
        const dw_diag *d = &df->diags.v[i];
        json_t *jd = json_pack("{s:s,s:s,s:s}", "rule", d->rule, "severity", dw_severity_name(d->severity),
                               "message", d->message);
        json_t *sp = jspan(df, d->span);
        json_object_update(jd, sp);
        json_decref(sp);
        if (d->help) json_object_set_new(jd, "help", json_string(d->help));
        json_array_append_new(diags, jd);
    }
    json_object_set_new(root, "diagnostics", diags);
    return root;
}

int cmd_parse(int argc, char **argv)
{
    bool as_json = false, quiet = false;
    const char *file = NULL, *stdin_name = NULL;
    dw_build_arg *bargs = calloc((size_t)argc, sizeof *bargs);
    uint32_t nb = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--json")) as_json = true;
        else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) quiet = true;
        else if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(parse_usage, stdout); free(bargs); return 0; }
        else if (!strcmp(a, "--build-arg") || !strncmp(a, "--build-arg=", 12)) {
            const char *v = a[11] == '=' ? a + 12 : (i + 1 < argc ? argv[++i] : NULL);
            const char *eq = v ? strchr(v, '=') : NULL;
            if (!v || !eq) { free(bargs); return cli_usage_error("parse", "--build-arg needs NAME=VALUE"); }
            char *name = strndup(v, (size_t)(eq - v));
            bargs[nb].name = name;
            bargs[nb].value = eq + 1;
            nb++;
        } else if (!strcmp(a, "--stdin-filename")) {
            if (i + 1 >= argc) { free(bargs); return cli_usage_error("parse", "--stdin-filename needs a name"); }
            stdin_name = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            free(bargs);
            return cli_usage_error("parse", "unknown option '%s'", a);
        } else if (file) {
            free(bargs);
            return cli_usage_error("parse", "one file at a time");
        } else file = a;
    }
    if (!file) { free(bargs); fputs(parse_usage, stderr); return 2; }
    const char *shown = !strcmp(file, "-") && stdin_name ? stdin_name : file;
    dw_parse_opts opts = {bargs, nb};
    errno = 0;
    dw_dockerfile *df = dw_dockerfile_parse_path(file, shown, &opts);
    if (!df && errno != EFBIG) {
        fprintf(stderr, "dockwright parse: %s: %s\n", file, strerror(errno));
        for (uint32_t i = 0; i < nb; i++) free((char *)bargs[i].name);
        free(bargs);
        return 2;
    }
    int rc = 0;
    if (!df) {
        fprintf(stderr, "dockwright parse: %s: file too large\n", file);
        rc = 2;
    } else {
        if (quiet) {
            /* parse only: diagnostics, no dump */
        } else if (as_json) {
            json_t *j = jdockerfile(df);
            json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
            fputc('\n', stdout);
            json_decref(j);
        } else {
            dw_dockerfile_dump(df, stdout);
        }
        for (uint32_t i = 0; i < df->diags.n; i++) {
            dw_output_gnu_one(stderr, shown, &df->lines, &df->diags.v[i]);
            if (df->diags.v[i].severity >= DW_SEV_ERROR) rc = 1;
        }
        dw_dockerfile_free(df);
    }
    for (uint32_t i = 0; i < nb; i++) free((char *)bargs[i].name);
    free(bargs);
    return rc;
}
