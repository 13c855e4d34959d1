/* sh_misc.c — the helpers the RUN-command rules share (sh_misc.h), and
 * the rules about ADD and archives: copy-then-extract (DL3010),
 * add-remote-url, add-instead-of-copy (DL3020). The package-manager rules
 * are in sh_lang.c, the shell-hygiene rules in sh_hygiene.c.
 *
 * hadolint reports at the first line of an instruction; we point at the
 * word: the archive, the URL, the local source. */
#include "sh_misc.h"

#include "hl_util.h"

/* ---- helpers ---- */

bool *ms_image_stages(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    bool *img = DW_NEW(ctx->a, bool, df->nstages ? df->nstages : 1);
    /* the FROM chain of the final stage; base_stage always names an earlier
     * stage, so the walk ends */
    for (int s = ctx->final_stage; s >= 0 && (uint32_t)s < df->nstages && !img[s];) {
        img[s] = true;
        const dw_stage *st = &df->stages[s];
        if (st->base_kind != DW_BASE_STAGE || st->base_stage >= s) break;
        s = st->base_stage;
    }
    return img;
}

bool ms_word_unknown(const sh_word *w)
{
    if (!(w->flags & SH_W_EXPANDS)) return false;
    for (uint32_t i = 0; i < w->nparts; i++) {
        const sh_part *p = &w->parts[i];
        bool literal = p->kind == SH_P_LIT || p->kind == SH_P_SQUOTE || p->kind == SH_P_DQUOTE || p->kind == SH_P_ANSI;
        if (literal && p->vlen) return false;
    }
    return true;
}

bool ms_arg_unknown(const sh_cmd *c, const sh_word *w)
{
    if (ms_word_unknown(w)) return true;
    for (const sh_cmd *x = c->wrapper; x; x = x->wrapper) {
        if (!sh_cmd_is(x, "xargs")) continue;
        dw_str rep = dw_str_c("{}"); /* -i and --replace without a value */
        const sh_flag *f = sh_cmd_flag(x, "-I");
        if (!f) f = sh_cmd_flag(x, "--replace");
        if (f && f->has_value && f->value.len) rep = f->value;
        else if (!f && !sh_cmd_flag(x, "-i")) continue;
        char buf[64];
        if (rep.len >= sizeof buf) return true;
        memcpy(buf, rep.ptr, rep.len);
        buf[rep.len] = 0;
        if (ms_contains(w->value, buf)) return true;
    }
    return false;
}

bool ms_insert_arg_after(dw_lint *ctx, dw_diag *d, const sh_cmd *c, const sh_word *w, const char *arg)
{
    if (!d || !w) return false;
    const dw_dockerfile *df = ctx->df;
    dw_span sp = w->span;
    if (sp.end > df->len || sp.end <= sp.start) return false;
    const char *at = df->src + sp.start;
    size_t n = sp.end - sp.start;
    char *text;
    if (c->script && c->script->kind == SH_SRC_EXEC) {
        /* a JSON string literal: `"install"` whose inside is the value */
        if (n != w->value.len + 2 || at[0] != '"' || at[n - 1] != '"' || memcmp(at + 1, w->value.ptr, w->value.len))
            return false;
        text = dw_arena_printf(ctx->a, ", \"%s\"", arg);
    } else {
        if (n != w->raw.len || memcmp(at, w->raw.ptr, n)) return false;
        text = dw_arena_printf(ctx->a, " %s", arg);
    }
    dw_span ins = {sp.end, sp.end};
    dw_diag_edit(ctx, d, ins, text, strlen(text));
    return true;
}

bool ms_cache_mount(const dw_instr *run, const char *const *needles)
{
    for (uint32_t i = 0; i < run->nmounts; i++) {
        const dw_mount *m = &run->mounts[i];
        if ((m->type != DW_MOUNT_CACHE && m->type != DW_MOUNT_TMPFS) || !m->has_target) continue;
        for (const char *const *n = needles; *n; n++)
            if (ms_contains(m->target, *n)) return true;
    }
    return false;
}

static dw_str trim_slashes(dw_str v)
{
    while (v.len > 1 && v.ptr[v.len - 1] == '/') v.len--;
    return v;
}

void ms_rm_index_init(dw_lint *ctx, ms_rm_index *ix, const sh_run *r)
{
    ix->run = r;
    hl_map_init(&ix->paths, ctx->a, 8, false);
    for (const sh_cmd *x = sh_run_next(r, NULL, "rm"); x; x = sh_run_next(r, x, "rm"))
        for (uint32_t k = 0; k < x->npos; k++) {
            dw_str p = trim_slashes(x->pos[k]->value);
            if (p.len) hl_map_put(&ix->paths, p, (int)x->index, false);
        }
}

bool ms_removed_later(const ms_rm_index *ix, const sh_cmd *after, dw_str v)
{
    v = trim_slashes(v);
    if (!v.len || !ix->paths.n) return false;
    int last = hl_map_get(&ix->paths, v, -1);
    if (last > (int)after->index) return true;
    /* parents, nearest first; a handful of levels is all real paths have */
    int levels = 0;
    for (size_t i = v.len; i > 1 && levels < 32; i--) {
        if (v.ptr[i - 1] != '/') continue;
        levels++;
        last = hl_map_get(&ix->paths, dw_str_make(v.ptr, i - 1), -1);
        if (last > (int)after->index) return true;
    }
    return false;
}

dw_str ms_basename(dw_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.ptr[i - 1] == '/' || s.ptr[i - 1] == '\\') return dw_str_make(s.ptr + i, s.len - i);
    return s;
}

bool ms_has_suffix(dw_str s, const char *suffix)
{
    size_t n = strlen(suffix);
    return s.len >= n && memcmp(s.ptr + s.len - n, suffix, n) == 0;
}

bool ms_contains(dw_str s, const char *needle)
{
    size_t n = strlen(needle);
    if (!n) return true;
    for (size_t i = 0; i + n <= s.len; i++)
        if (s.ptr[i] == needle[0] && memcmp(s.ptr + i, needle, n) == 0) return true;
    return false;
}

bool ms_is_archive(dw_str name)
{
    /* hadolint's list (Rule.hs), plus zstd, which BuildKit's ADD also
     * decompresses; .zip is not extracted by ADD */
    static const char *const ext[] = {".tar", ".Z",   ".bz2", ".gz",  ".lz",  ".lzma", ".tZ",  ".tb2", ".tbz",
                                      ".tbz2", ".tgz", ".tlz", ".tpz", ".txz", ".xz",   ".zst", ".tzst"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (ms_has_suffix(name, ext[i])) return true;
    return false;
}

/* ---- sources of ADD and COPY ---- */

typedef enum { SRC_LOCAL, SRC_ARCHIVE, SRC_URL, SRC_GIT, SRC_UNKNOWN } src_kind;

static bool has_iprefix(dw_str s, const char *p)
{
    size_t n = strlen(p);
    return s.len >= n && dw_str_ieq(dw_str_make(s.ptr, n), dw_str_make(p, n));
}

/* The value of a source word as the build sees it: the expanded text when
 * the word has variables (an unknown variable leaves nothing to judge). */
static dw_str source_text(const dw_instr *t, const dw_word *w, bool *unknown)
{
    dw_str s = t->json ? w->text : hl_unquote(w->text);
    *unknown = false;
    if (!t->json && hl_has_var(w->text)) {
        if (!w->has_expanded || !w->expanded.len) *unknown = true;
        else s = w->expanded;
    }
    return s;
}

/* A git source: git@host:…, git://, ssh://, or a URL of a .git repository. */
static bool is_git_source(dw_str s)
{
    if (has_iprefix(s, "git@") || has_iprefix(s, "git://") || has_iprefix(s, "ssh://")) return true;
    if (!has_iprefix(s, "http://") && !has_iprefix(s, "https://")) return false;
    const char *hash = dw_str_chr(s, '#');
    dw_str path = hash ? dw_str_make(s.ptr, (size_t)(hash - s.ptr)) : s;
    return ms_has_suffix(path, ".git") || ms_has_suffix(path, ".git/");
}

static src_kind classify_source(const dw_instr *t, const dw_word *w, dw_str *text)
{
    bool unknown;
    dw_str s = source_text(t, w, &unknown);
    *text = s;
    if (unknown) return SRC_UNKNOWN;
    if (is_git_source(s)) return SRC_GIT;
    if (has_iprefix(s, "http://") || has_iprefix(s, "https://")) return SRC_URL;
    if (ms_is_archive(s)) return SRC_ARCHIVE;
    return SRC_LOCAL;
}

/* The instruction a check looks at: t itself, or an ONBUILD's trigger. */
static const dw_instr *trigger_of(const dw_instr *in)
{
    return in->kind == DW_I_ONBUILD ? in->sub : in;
}

/* ---- add-instead-of-copy (DL3020) ---- */

/* ADD-only flags: COPY has none of them, so switching would break the build. */
static bool has_add_only_flag(const dw_instr *t)
{
    return hl_flag(t, "checksum") || hl_flag(t, "keep-git-dir") || hl_flag(t, "unpack");
}

void check_add_instead_of_copy(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        const dw_instr *t = trigger_of(in);
        if (!t || t->kind != DW_I_ADD || t->error || t->nheredocs || t->nargs < 2) continue;
        const dw_word *first_local = NULL;
        dw_str first_text = {0};
        bool all_local = true;
        for (uint32_t k = 0; k + 1 < t->nargs; k++) {
            dw_str s;
            src_kind kind = classify_source(t, &t->args[k], &s);
            if (kind != SRC_LOCAL) { all_local = false; continue; }
            if (!first_local) { first_local = &t->args[k]; first_text = s; }
        }
        if (!first_local) continue;
        dw_diag *d = dw_report(ctx, in, first_local->span, "ADD of local path `%.*s`: COPY does the same without ADD's URL and archive handling",
                               (int)first_text.len, first_text.ptr);
        if (!d) continue;
        if (all_local) {
            dw_diag_help(ctx, d, "use COPY; keep ADD for URLs, git repositories and archives it should extract");
        } else {
            dw_diag_help(ctx, d, "copy the local files with a COPY of their own and keep ADD for the URLs, git repositories and "
                         "archives it should extract");
        }
        /* COPY behaves the same only when every source is a plain local path
         * and no ADD-only flag is used */
        if (all_local && !has_add_only_flag(t) && t->keyword.len == 3) {
            bool lower = t->keyword.ptr[0] >= 'a' && t->keyword.ptr[0] <= 'z';
            bool rest_lower = t->keyword.ptr[1] >= 'a' && t->keyword.ptr[1] <= 'z';
            const char *kw = lower ? "copy" : rest_lower ? "Copy" : "COPY";
            dw_diag_edit(ctx, d, t->keyword_span, kw, 4);
        }
    }
}

/* ---- add-remote-url ---- */

/* A git source pinned to a commit: `#<40 or 64 hex digits>` (optionally `:subdir`). */
static bool git_pinned(dw_str s)
{
    const char *hash = dw_str_chr(s, '#');
    if (!hash) return false;
    dw_str ref = dw_str_make(hash + 1, s.len - (size_t)(hash + 1 - s.ptr));
    const char *colon = dw_str_chr(ref, ':');
    if (colon) ref.len = (size_t)(colon - ref.ptr);
    if (ref.len != 40 && ref.len != 64) return false;
    for (size_t i = 0; i < ref.len; i++) {
        char c = ref.ptr[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
    }
    return true;
}

void check_add_remote_url(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        const dw_instr *t = trigger_of(in);
        if (!t || t->kind != DW_I_ADD || t->error || t->nargs < 2 || hl_flag(t, "checksum")) continue;
        for (uint32_t k = 0; k + 1 < t->nargs; k++) {
            dw_str s;
            src_kind kind = classify_source(t, &t->args[k], &s);
            if (kind == SRC_URL) {
                dw_diag *d = dw_report(ctx, in, t->args[k].span, "ADD downloads `%.*s` without --checksum: a changed or tampered file goes unnoticed",
                                       (int)s.len, s.ptr);
                dw_diag_help(ctx, d, "add `--checksum=sha256:<digest of the file>` so the build fails when the download changes");
            } else if (kind == SRC_GIT && !git_pinned(s)) {
                dw_diag *d = dw_report(ctx, in, t->args[k].span, "ADD of git repository `%.*s` follows a moving reference and has no --checksum",
                                       (int)s.len, s.ptr);
                dw_diag_help(ctx, d, "pin the commit: `--checksum=<commit sha>`, or name the commit after `#`");
            }
        }
    }
}

/* ---- copy-then-extract (DL3010) ---- */

typedef struct {
    dw_str name;          /* basename of the archive in the image */
    const dw_instr *copy; /* the COPY */
    dw_span span;         /* the word naming it */
    int prev;             /* an earlier archive of the stage with the same name, or -1 */
    bool reported;
} archive;

/* A COPY word without its quotes; a quote that is not closed within the
 * word is dropped too (`"C:\Program Files\a.tar"` is two words for
 * BuildKit, but names one file for the author, and for hadolint). */
static dw_str copy_word(const dw_instr *in, const dw_word *w)
{
    dw_str s = w->text;
    if (in->json) return s;
    if (s.len && (s.ptr[0] == '"' || s.ptr[0] == '\'')) s = dw_str_sub(s, 1, s.len);
    if (s.len && (s.ptr[s.len - 1] == '"' || s.ptr[s.len - 1] == '\'')) s.len--;
    return s;
}

static bool is_decompress_flag(const sh_cmd *c)
{
    return sh_cmd_has_any_flag(c, "-d", "--decompress", "--uncompress", NULL);
}

/* A command that unpacks the archives it names: tar -x (also the old
 * dash-less `tar xzf`), unzip and the decompressors hadolint lists, and
 * gzip/bzip2/xz/zstd -d. */
static bool is_extract(const sh_cmd *c)
{
    if (sh_cmd_is_any(c, "unzip", "gunzip", "bunzip2", "unlzma", "unxz", "zgz", "uncompress", "zcat", "gzcat", "unzstd",
                      "xzcat", "bzcat", NULL))
        return true;
    if (sh_cmd_is_any(c, "gzip", "bzip2", "xz", "zstd", "lzma", NULL)) return is_decompress_flag(c);
    if (!sh_cmd_is(c, "tar")) return false;
    for (uint32_t i = 0; i < c->nflags; i++) {
        const sh_flag *f = &c->flags[i];
        if (!f->is_long && f->name.len == 1 && f->name.ptr[0] == 'x') return true;
        if (f->is_long && (dw_str_eqc(f->name, "extract") || dw_str_eqc(f->name, "get"))) return true;
    }
    /* traditional syntax: the first argument is a bundle of letters */
    if (c->argc > 1 && c->argv[1].value.len && c->argv[1].value.ptr[0] != '-') {
        dw_str b = c->argv[1].value;
        bool letters = true;
        for (size_t k = 0; k < b.len && letters; k++) letters = (b.ptr[k] >= 'a' && b.ptr[k] <= 'z') || (b.ptr[k] >= 'A' && b.ptr[k] <= 'Z');
        if (letters && dw_str_chr(b, 'x')) return true;
    }
    return false;
}

void check_copy_then_extract(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = NULL;
    bool *img = NULL;
    DW_VEC(archive) arch = {0};
    hl_map names;
    memset(&names, 0, sizeof names);
    bool names_ready = false;
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) { /* hadolint forgets everything at each FROM */
            stage = in->stage;
            arch.n = 0;
            names_ready = false;
        }
        if (in->kind == DW_I_COPY && !in->error && !in->nheredocs && in->nargs >= 2 && !hl_flag(in, "from")) {
            const dw_word *dest = &in->args[in->nargs - 1];
            dw_str dt = copy_word(in, dest);
            uint32_t from = 0, to = in->nargs - 1;
            if (ms_is_archive(dt)) from = in->nargs - 1, to = in->nargs; /* renamed: the destination is the archive */
            for (uint32_t k = from; k < to; k++) {
                dw_str s = copy_word(in, &in->args[k]);
                if (!ms_is_archive(s)) continue;
                if (!names_ready) {
                    hl_map_init(&names, ctx->a, 8, false);
                    names_ready = true;
                }
                archive a;
                a.name = ms_basename(s);
                a.copy = in;
                a.span = in->args[k].span;
                a.prev = hl_map_get(&names, a.name, -1);
                a.reported = false;
                hl_map_put(&names, a.name, (int)arch.n, false);
                DW_VEC_PUSH(ctx->a, arch, a);
            }
            continue;
        }
        if (in->kind != DW_I_RUN || !arch.n) continue;
        if (!runs) runs = dw_lint_runs(ctx);
        const sh_run *r = ms_run(runs, i, false);
        if (!r) continue;
        if (!img) img = ms_image_stages(ctx);
        if (!ms_in_image(img, in->stage)) continue; /* a builder stage's layers are left behind */
        for (uint32_t c = 0; c < r->ncmds; c++) {
            const sh_cmd *cmd = &r->cmds[c];
            if (!is_extract(cmd)) continue;
            for (uint32_t k = 1; k < cmd->argc; k++) {
                dw_str v = cmd->argv[k].value;
                if (dw_str_has_prefix(v, "--file=")) v = dw_str_sub(v, 7, v.len);
                else if (v.len && v.ptr[0] == '-') continue;
                for (int ai = hl_map_get(&names, ms_basename(v), -1); ai >= 0; ai = arch.v[ai].prev) {
                    archive *a = &arch.v[ai];
                    if (a->reported) break; /* it and the earlier ones with this name were reported */
                    a->reported = true;
                    dw_diag *d = dw_report(ctx, a->copy, a->span,
                                           "archive `%.*s` is copied, then extracted by the RUN at line %u: the archive itself stays "
                                           "in the image as a layer",
                                           (int)a->name.len, a->name.ptr, in->line);
                    dw_diag_help(ctx, d, "let ADD extract it in one step (`ADD %.*s <dir>/`), or extract it in the RUN from a "
                                 "bind mount (`RUN --mount=type=bind,source=…`) so it never lands in a layer",
                                 (int)a->name.len, a->name.ptr);
                    dw_diag_related(ctx, d, cmd->argv[k].span, "extracted here");
                }
            }
        }
    }
}
