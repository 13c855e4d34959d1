/* df_validate.c — what BuildKit's instructions layer rejects
 * (frontend/dockerfile/instructions/parse.go, bflag.go,
 * commands_runmount.go): unknown instructions and flags, flag values,
 * argument counts, stage names, HEALTHCHECK options, RUN --mount fields.
 * Each problem is a syntax-error at the offending word; the node is marked
 * as an error node and the rest of the file is still checked. */
#include "dockerfile_int.h"

#include <stdlib.h>

typedef enum { F_STRING, F_BOOL, F_MULTI, F_DURATION, F_INT } flag_type;
typedef struct { const char *name; flag_type type; } flag_spec;

static const flag_spec from_flags[] = {{"platform", F_STRING}, {NULL, 0}};
static const flag_spec run_flags[] = {{"mount", F_MULTI}, {"network", F_STRING}, {"security", F_STRING},
                                      {"device", F_MULTI}, {NULL, 0}};
static const flag_spec copy_flags[] = {{"from", F_STRING}, {"chown", F_STRING}, {"chmod", F_STRING},
                                       {"link", F_BOOL}, {"parents", F_BOOL}, {"exclude", F_MULTI},
                                       {NULL, 0}};
static const flag_spec add_flags[] = {{"chown", F_STRING}, {"chmod", F_STRING}, {"link", F_BOOL},
                                      {"keep-git-dir", F_BOOL}, {"checksum", F_STRING},
                                      {"unpack", F_BOOL}, {"exclude", F_MULTI}, {NULL, 0}};
static const flag_spec health_flags[] = {{"interval", F_DURATION}, {"timeout", F_DURATION},
                                         {"start-period", F_DURATION}, {"start-interval", F_DURATION},
                                         {"retries", F_INT}, {NULL, 0}};
static const flag_spec no_flags[] = {{NULL, 0}};

static void err_at(dw_parser *p, dw_instr *in, dw_span sp, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void err_at(dw_parser *p, dw_instr *in, dw_span sp, const char *help, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = dw_arena_vprintf(p->a, fmt, ap);
    va_end(ap);
    dw_diag *d = dw_diag_emit(p->a, &p->df->diags, "syntax-error", DW_SEV_ERROR, sp, "%s", msg);
    d->help = help;
    if (!in->error) in->error = msg;
}

/* Go's time.ParseDuration, returning nanoseconds; false when invalid. */
static bool parse_duration(dw_str s, double *ns)
{
    size_t i = 0;
    bool neg = false;
    if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+')) { neg = s.ptr[i] == '-'; i++; }
    if (i == s.len) return false;
    if (s.len - i == 1 && s.ptr[i] == '0') { *ns = 0; return true; }
    double total = 0;
    while (i < s.len) {
        size_t st = i;
        double v = 0, scale = 1;
        bool digits = false;
        while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') { v = v * 10 + (s.ptr[i] - '0'); i++; digits = true; }
        if (i < s.len && s.ptr[i] == '.') {
            i++;
            while (i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9') {
                scale /= 10;
                v += (s.ptr[i] - '0') * scale;
                i++;
                digits = true;
            }
        }
        if (!digits || i == st) return false;
        size_t us = i;
        while (i < s.len && !(s.ptr[i] >= '0' && s.ptr[i] <= '9') && s.ptr[i] != '.') i++;
        dw_str unit = dw_str_make(s.ptr + us, i - us);
        double mul;
        if (dw_str_eqc(unit, "ns")) mul = 1;
        else if (dw_str_eqc(unit, "us") || dw_str_eqc(unit, "\xC2\xB5s") || dw_str_eqc(unit, "\xCE\xBCs")) mul = 1e3;
        else if (dw_str_eqc(unit, "ms")) mul = 1e6;
        else if (dw_str_eqc(unit, "s")) mul = 1e9;
        else if (dw_str_eqc(unit, "m")) mul = 60e9;
        else if (dw_str_eqc(unit, "h")) mul = 3600e9;
        else return false;
        total += v * mul;
    }
    *ns = neg ? -total : total;
    return true;
}

static void check_flags(dw_parser *p, dw_instr *in, const flag_spec *spec)
{
    for (uint32_t i = 0; i < in->nflags; i++) {
        dw_flag *f = &in->flags[i];
        const flag_spec *fs = NULL;
        for (const flag_spec *s = spec; s->name; s++)
            if (dw_str_eqc(f->name, s->name)) { fs = s; break; }
        if (!fs) {
            const char *names[16];
            size_t n = 0;
            for (const flag_spec *s = spec; s->name && n < 16; s++) names[n++] = s->name;
            const char *sug = dw_suggest(f->name, names, n, true);
            if (sug)
                err_at(p, in, f->span, NULL, "unknown flag: --%.*s (did you mean --%s?)",
                       (int)f->name.len, f->name.ptr, sug);
            else
                err_at(p, in, f->span, NULL, "unknown flag: --%.*s for %s", (int)f->name.len, f->name.ptr,
                       dw_instr_name(in->kind));
            continue;
        }
        if (fs->type != F_MULTI) {
            for (uint32_t k = 0; k < i; k++)
                if (dw_str_eq(in->flags[k].name, f->name)) {
                    err_at(p, in, f->span, NULL, "duplicate flag specified: --%s", fs->name);
                    break;
                }
        }
        if (fs->type == F_BOOL) {
            if (!f->has_value) continue;
            if (f->value.len == 0)
                err_at(p, in, f->span, NULL, "missing a value on flag: --%s", fs->name);
            else if (!dw_str_ieqc(f->value, "true") && !dw_str_ieqc(f->value, "false"))
                err_at(p, in, f->span, NULL, "expecting boolean value for flag %s, not: %.*s", fs->name,
                       (int)f->value.len, f->value.ptr);
            continue;
        }
        if (!f->has_value) {
            err_at(p, in, f->span, "flags take their value after `=`, e.g. --from=build",
                   "missing a value on flag: --%s", fs->name);
            continue;
        }
        if (fs->type == F_DURATION) {
            double ns;
            if (!parse_duration(f->value, &ns))
                err_at(p, in, f->span, "use a duration such as 30s or 1m30s", "time: invalid duration \"%.*s\"",
                       (int)f->value.len, f->value.ptr);
            else if (ns != 0 && ns < 1e6)
                err_at(p, in, f->span, NULL, "%s \"%.*s\" cannot be less than 1ms",
                       dw_str_eqc(f->name, "interval") ? "Interval" : dw_str_eqc(f->name, "timeout") ? "Timeout"
                       : dw_str_eqc(f->name, "start-period") ? "StartPeriod" : "StartInterval",
                       (int)f->value.len, f->value.ptr);
        } else if (fs->type == F_INT) {
            char buf[32];
            size_t n = f->value.len < 31 ? f->value.len : 31;
            memcpy(buf, f->value.ptr, n);
            buf[n] = 0;
            char *end;
            long v = strtol(buf, &end, 10);
            if (!n || *end || f->value.len > 31)
                err_at(p, in, f->span, NULL, "strconv.ParseInt: parsing \"%.*s\": invalid syntax",
                       (int)f->value.len, f->value.ptr);
            else if (v < 0)
                err_at(p, in, f->span, NULL, "--retries cannot be negative (%ld)", v);
        }
    }
}

static const dw_flag *find_flag(const dw_instr *in, const char *name)
{
    for (uint32_t i = 0; i < in->nflags; i++)
        if (dw_str_eqc(in->flags[i].name, name)) return &in->flags[i];
    return NULL;
}

/* ---- RUN --mount ---- */

/* Splits a CSV record (Go encoding/csv: "..." quoting with "" for a quote).
 * The fields are put in the parser's scratch list p->fields. */
static uint32_t csv_fields(dw_parser *p, dw_str s, dw_str **out)
{
    p->fields.n = 0;
    dw_arena *a = p->a;
    size_t i = 0;
    for (;;) {
        if (i < s.len && s.ptr[i] == '"') {
            dw_buf b = {0};
            i++;
            while (i < s.len) {
                if (s.ptr[i] == '"') {
                    if (i + 1 < s.len && s.ptr[i + 1] == '"') { dw_buf_putc(&b, '"'); i += 2; continue; }
                    i++;
                    break;
                }
                dw_buf_putc(&b, s.ptr[i++]);
            }
            while (i < s.len && s.ptr[i] != ',') dw_buf_putc(&b, s.ptr[i++]);
            DW_SVEC_PUSH(p->fields, dw_str_make(dw_arena_memdup(a, b.p ? b.p : "", b.n), b.n));
            dw_buf_free(&b);
        } else {
            size_t st = i; /* unquoted: a view, no copy */
            while (i < s.len && s.ptr[i] != ',') i++;
            DW_SVEC_PUSH(p->fields, dw_str_make(s.ptr + st, i - st));
        }
        if (i >= s.len) break;
        i++; /* the comma */
    }
    *out = p->fields.v;
    return p->fields.n;
}

static int parse_bool_word(dw_str v)
{
    if (dw_str_ieqc(v, "true") || dw_str_eqc(v, "1") || dw_str_ieqc(v, "t")) return 1;
    if (dw_str_ieqc(v, "false") || dw_str_eqc(v, "0") || dw_str_ieqc(v, "f")) return 0;
    return -1;
}

static void mount_fields(dw_parser *p, dw_instr *in, const dw_flag *f, dw_mount *m, const dw_str *fields,
                         uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        dw_str fl = fields[i];
        const char *eq = dw_str_chr(fl, '=');
        dw_str key = eq ? dw_str_make(fl.ptr, (size_t)(eq - fl.ptr)) : fl;
        dw_str val = eq ? dw_str_make(eq + 1, fl.len - key.len - 1) : dw_str_make(fl.ptr + fl.len, 0);
        key = dw_str_trim_space(key);
        if (!eq) {
            if (dw_str_ieqc(key, "readonly") || dw_str_ieqc(key, "ro")) { m->readonly = 1; continue; }
            if (dw_str_ieqc(key, "readwrite") || dw_str_ieqc(key, "rw")) { m->readonly = 0; continue; }
            if (dw_str_ieqc(key, "required")) { m->required = 1; continue; }
            if (key.len == 0) continue;
            err_at(p, in, f->span, NULL, "invalid field '%.*s' must be a key=value pair", (int)fl.len, fl.ptr);
            return;
        }
        if (dw_str_ieqc(key, "type")) {
            m->type_text = val;
            if (dw_str_ieqc(val, "bind")) m->type = DW_MOUNT_BIND;
            else if (dw_str_ieqc(val, "cache")) m->type = DW_MOUNT_CACHE;
            else if (dw_str_ieqc(val, "tmpfs")) m->type = DW_MOUNT_TMPFS;
            else if (dw_str_ieqc(val, "secret")) m->type = DW_MOUNT_SECRET;
            else if (dw_str_ieqc(val, "ssh")) m->type = DW_MOUNT_SSH;
            else {
                val = dw_str_lower(p->a, val); /* the message shows it lower-cased */
                m->type = DW_MOUNT_UNKNOWN;
                err_at(p, in, f->span, "mount types are bind, cache, tmpfs, secret and ssh",
                       "unsupported mount type \"%.*s\"", (int)val.len, val.ptr);
                return;
            }
        } else if (dw_str_ieqc(key, "target") || dw_str_ieqc(key, "dst") || dw_str_ieqc(key, "destination")) {
            m->target = val; m->has_target = true;
        } else if (dw_str_ieqc(key, "source") || dw_str_ieqc(key, "src")) {
            m->source = val; m->has_source = true;
        } else if (dw_str_ieqc(key, "from")) {
            m->from = val; m->has_from = true;
            const char *d = dw_str_chr(val, '$');
            if (d && d != val.ptr + val.len - 1)
                err_at(p, in, f->span, "define an alias stage with FROM and use its name",
                       "'from' doesn't support variable expansion, define alias stage instead");
        } else if (dw_str_ieqc(key, "id")) {
            m->id = val; m->has_id = true;
        } else if (dw_str_ieqc(key, "sharing")) {
            m->sharing = val; m->has_sharing = true;
            if (!dw_str_ieqc(val, "shared") && !dw_str_ieqc(val, "private") && !dw_str_ieqc(val, "locked"))
                err_at(p, in, f->span, NULL, "unsupported sharing value \"%.*s\"", (int)val.len, val.ptr);
        } else if (dw_str_ieqc(key, "readonly") || dw_str_ieqc(key, "ro") || dw_str_ieqc(key, "readwrite") ||
                   dw_str_ieqc(key, "rw")) {
            int b = parse_bool_word(val);
            if (b < 0) { err_at(p, in, f->span, NULL, "invalid value for %.*s: %.*s", (int)key.len, key.ptr, (int)val.len, val.ptr); return; }
            bool ro = dw_str_ieqc(key, "readonly") || dw_str_ieqc(key, "ro");
            m->readonly = ro ? b : !b;
        } else if (dw_str_ieqc(key, "required")) {
            int b = parse_bool_word(val);
            if (b < 0) { err_at(p, in, f->span, NULL, "invalid value for required: %.*s", (int)val.len, val.ptr); return; }
            m->required = b;
        } else if (dw_str_ieqc(key, "mode")) {
            m->mode = val; m->has_mode = true;
        } else if (dw_str_ieqc(key, "uid")) {
            m->uid = val; m->has_uid = true;
        } else if (dw_str_ieqc(key, "gid")) {
            m->gid = val; m->has_gid = true;
        } else if (dw_str_ieqc(key, "env")) {
            m->env = val; m->has_env = true;
        } else if (dw_str_ieqc(key, "size")) {
            m->size = val;
        } else {
            err_at(p, in, f->span, NULL, "unexpected key '%.*s' in '%.*s'", (int)key.len, key.ptr, (int)fl.len, fl.ptr);
            return;
        }
    }
    static const char *const tn[] = {"bind", "cache", "tmpfs", "secret", "ssh", "unknown"};
    bool file_info = m->type == DW_MOUNT_SECRET || m->type == DW_MOUNT_SSH || m->type == DW_MOUNT_CACHE;
    if (!file_info && (m->has_mode || m->has_uid || m->has_gid)) {
        err_at(p, in, f->span, NULL, "%s not allowed for \"%s\" type mounts",
               m->has_mode ? "mode" : m->has_uid ? "uid" : "gid", tn[m->type]);
        return;
    }
    if (m->required >= 0 && m->type != DW_MOUNT_SECRET && m->type != DW_MOUNT_SSH) {
        err_at(p, in, f->span, NULL, "unexpected key 'required' for mount type '%s'", tn[m->type]);
        return;
    }
    if (m->type == DW_MOUNT_SECRET) {
        if (m->has_from)
            err_at(p, in, f->span, NULL, "secret mount should not have a from");
        else if (m->has_sharing)
            err_at(p, in, f->span, NULL, "secret mount should not define sharing");
        else if (!m->has_source && !m->has_id && !m->has_target && !m->has_env)
            err_at(p, in, f->span, "add id=NAME", "invalid secret mount. one of source, target required");
        else if (m->has_source && m->has_id)
            err_at(p, in, f->span, NULL, "both source and id can't be set");
    } else if (m->type != DW_MOUNT_CACHE && m->has_sharing) {
        err_at(p, in, f->span, NULL, "invalid cache sharing set for %s mount", tn[m->type]);
    }
}

/* Reads one --mount value into m; problems are syntax errors on the flag. */
static void parse_mount(dw_parser *p, dw_instr *in, const dw_flag *f, dw_mount *m)
{
    memset(m, 0, sizeof *m);
    m->readonly = -1;
    m->required = -1;
    m->from_stage = -1;
    m->span = f->span;
    m->type = DW_MOUNT_BIND;
    dw_str *fields;
    uint32_t n = csv_fields(p, f->value, &fields);
    mount_fields(p, in, f, m, fields, n);
}

static bool valid_stage_name(dw_str s)
{
    if (s.len == 0) return false;
    char c = s.ptr[0];
    if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
    if (!(c >= 'a' && c <= 'z')) return false;
    for (size_t i = 1; i < s.len; i++) {
        c = s.ptr[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) return false;
    }
    return true;
}

static void need_args(dw_parser *p, dw_instr *in, const char *what)
{
    dw_diag *d;
    (void)d;
    err_at(p, in, in->keyword_span, NULL, "%s requires %s", dw_instr_name(in->kind), what);
    /* BuildKit names the instruction in upper case */
    char *m = (char *)p->df->diags.v[p->df->diags.n - 1].message;
    for (char *c = m; *c && *c != ' '; c++)
        if (*c >= 'a' && *c <= 'z') *c = (char)(*c - 32);
}

static const char *const all_instrs[] = {"add", "arg", "cmd", "copy", "entrypoint", "env", "expose",
                                         "from", "healthcheck", "label", "maintainer", "onbuild", "run",
                                         "shell", "stopsignal", "user", "volume", "workdir"};

static void validate_one(dw_parser *p, dw_instr *in)
{
    if (in->error) return; /* the parser already reported this node */
    switch (in->kind) {
    case DW_I_UNKNOWN: {
        const char *sug = dw_suggest(in->keyword, all_instrs, sizeof all_instrs / sizeof *all_instrs, true);
        if (sug) {
            char up[16];
            size_t k = 0;
            for (; sug[k] && k < 15; k++) up[k] = (char)(sug[k] - 32);
            up[k] = 0;
            err_at(p, in, in->keyword_span, NULL, "unknown instruction: %.*s (did you mean %s?)",
                   (int)in->keyword.len, in->keyword.ptr, up);
        } else {
            err_at(p, in, in->keyword_span, "Dockerfile instructions are FROM, RUN, COPY, ADD, CMD, ENTRYPOINT, "
                   "ENV, ARG, LABEL, EXPOSE, WORKDIR, USER, VOLUME, SHELL, HEALTHCHECK, STOPSIGNAL, ONBUILD",
                   "unknown instruction: %.*s", (int)in->keyword.len, in->keyword.ptr);
        }
        return;
    }
    case DW_I_FROM:
        check_flags(p, in, from_flags);
        if (in->nargs != 1 && in->nargs != 3) {
            err_at(p, in, in->args_span.end > in->args_span.start ? in->args_span : in->keyword_span,
                   "write FROM image or FROM image AS name", "FROM requires either one or three arguments");
        } else if (in->nargs == 3) {
            if (!dw_str_ieqc(in->args[1].text, "as"))
                err_at(p, in, in->args[1].span, "write FROM image AS name",
                       "FROM requires either one or three arguments");
            else if (!valid_stage_name(in->args[2].text))
                err_at(p, in, in->args[2].span, "stage names start with a letter and hold letters, digits, '-', '_' and '.'",
                       "invalid name for build stage: \"%.*s\", name can't start with a number or contain symbols",
                       (int)in->args[2].text.len, in->args[2].text.ptr);
        }
        return;
    case DW_I_RUN: {
        check_flags(p, in, run_flags);
        const dw_flag *f = find_flag(in, "network");
        if (f && f->has_value && !dw_str_eqc(f->value, "default") && !dw_str_eqc(f->value, "none") &&
            !dw_str_eqc(f->value, "host"))
            err_at(p, in, f->span, "use --network=default, none or host", "invalid network mode \"%.*s\"",
                   (int)f->value.len, f->value.ptr);
        f = find_flag(in, "security");
        if (f && f->has_value && !dw_str_eqc(f->value, "sandbox") && !dw_str_eqc(f->value, "insecure"))
            err_at(p, in, f->span, NULL, "security \"%.*s\" is not valid", (int)f->value.len, f->value.ptr);
        uint32_t nm = 0;
        for (uint32_t i = 0; i < in->nflags; i++)
            if (dw_str_eqc(in->flags[i].name, "mount") && in->flags[i].has_value) nm++;
        if (nm) {
            in->mounts = DW_NEW_PACKED(p->a, dw_mount, nm);
            for (uint32_t i = 0; i < in->nflags; i++)
                if (dw_str_eqc(in->flags[i].name, "mount") && in->flags[i].has_value)
                    parse_mount(p, in, &in->flags[i], &in->mounts[in->nmounts++]);
        }
        return;
    }
    case DW_I_COPY:
    case DW_I_ADD:
        check_flags(p, in, in->kind == DW_I_COPY ? copy_flags : add_flags);
        if (in->nargs < 2 && !in->nheredocs)
            err_at(p, in, in->nargs ? in->args[0].span : in->keyword_span, "name a source and a destination",
                   "%s requires at least two arguments, but only one was provided. Destination could not be determined",
                   in->kind == DW_I_COPY ? "COPY" : "ADD");
        else if (in->nargs >= 1 && in->nheredocs && !in->json) {
            dw_str last = in->args[in->nargs - 1].text;
            for (uint32_t h = 0; h < in->nheredocs; h++) {
                dw_heredoc_word hw;
                const char *e;
                if (dw_heredoc_parse_word(p->a, last, &hw, &e) == 0 && hw.ok) {
                    err_at(p, in, in->args[in->nargs - 1].span, NULL, "%s cannot accept a heredoc as a destination",
                           in->kind == DW_I_COPY ? "COPY" : "ADD");
                    break;
                }
            }
            if (in->nargs < 2)
                err_at(p, in, in->keyword_span, NULL,
                       "%s requires at least two arguments, but only one was provided. Destination could not be determined",
                       in->kind == DW_I_COPY ? "COPY" : "ADD");
        }
        return;
    case DW_I_HEALTHCHECK:
        if (in->nargs == 0) { need_args(p, in, "at least one argument"); return; }
        if (dw_str_ieqc(in->args[0].text, "none")) {
            if (in->nargs > 1) err_at(p, in, in->args[1].span, NULL, "HEALTHCHECK NONE takes no arguments");
            return;
        }
        if (!dw_str_ieqc(in->args[0].text, "cmd")) {
            err_at(p, in, in->args[0].span, "use HEALTHCHECK CMD <command> or HEALTHCHECK NONE",
                   "Unknown type \"%.*s\" in HEALTHCHECK (try CMD)", (int)in->args[0].text.len, in->args[0].text.ptr);
            return;
        }
        check_flags(p, in, health_flags);
        if (in->nargs < 2) err_at(p, in, in->args[0].span, NULL, "Missing command after HEALTHCHECK CMD");
        return;
    case DW_I_ARG:
        if (in->nkvs == 0) { need_args(p, in, "at least one argument"); return; }
        for (uint32_t i = 0; i < in->nkvs; i++)
            if (in->kvs[i].key.text.len == 0) err_at(p, in, in->kvs[i].key.span, NULL, "ARG names can not be blank");
        return;
    case DW_I_STOPSIGNAL:
        if (in->nargs != 1) need_args(p, in, "exactly one argument");
        return;
    case DW_I_ENV:
    case DW_I_LABEL:
        check_flags(p, in, no_flags);
        if (in->nkvs == 0) { need_args(p, in, "at least one argument"); return; }
        for (uint32_t i = 0; i < in->nkvs; i++)
            if (in->kvs[i].key.text.len == 0)
                err_at(p, in, in->kvs[i].key.span, NULL, "%s names can not be blank",
                       in->kind == DW_I_ENV ? "ENV" : "LABEL");
        return;
    case DW_I_MAINTAINER: case DW_I_WORKDIR: case DW_I_USER:
        check_flags(p, in, no_flags);
        if (in->nargs != 1) need_args(p, in, "exactly one argument");
        return;
    case DW_I_EXPOSE:
        check_flags(p, in, no_flags);
        if (in->nargs == 0) need_args(p, in, "at least one argument");
        return;
    case DW_I_VOLUME:
        check_flags(p, in, no_flags);
        if (in->nargs == 0 && !in->json) { need_args(p, in, "at least one argument"); return; }
        for (uint32_t i = 0; i < in->nargs; i++)
            if (dw_str_trim_space(in->args[i].text).len == 0)
                err_at(p, in, in->args[i].span, NULL, "VOLUME specified can not be an empty string");
        return;
    case DW_I_SHELL:
        check_flags(p, in, no_flags);
        if (in->nargs == 0 && !in->json) need_args(p, in, "at least one argument");
        else if (!in->json)
            err_at(p, in, in->args_span, "write SHELL [\"/bin/bash\", \"-c\"]",
                   "SHELL requires the arguments to be in JSON form");
        else if (in->nargs == 0)
            need_args(p, in, "at least one argument");
        return;
    case DW_I_CMD: case DW_I_ENTRYPOINT:
        check_flags(p, in, no_flags);
        return;
    case DW_I_ONBUILD:
        check_flags(p, in, no_flags);
        if (!in->sub) { need_args(p, in, "at least one argument"); return; }
        if (in->sub->kind != DW_I_ONBUILD && in->sub->kind != DW_I_FROM && in->sub->kind != DW_I_MAINTAINER)
            validate_one(p, in->sub);
        if (in->sub->error && !in->error) in->error = in->sub->error;
        return;
    default:
        return;
    }
}

void dw_validate_instr(dw_parser *p, dw_instr *in) { validate_one(p, in); }
