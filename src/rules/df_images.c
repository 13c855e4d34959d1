/* df_images.c — section C rules about the images a build uses and makes:
 * the user the final image runs as (final-user-root), the size of the image
 * it is built on (base-image-size), images that COPY --from and RUN --mount
 * read (unpinned-copy-from-image, digest-pin), and the program a
 * HEALTHCHECK probes with (healthcheck-tool-missing).
 *
 * The final image is the final stage (--target, or the last) together with
 * the stages it is built FROM; its base is the image the first of them
 * names. What is known about base images lives in image_facts.def; an
 * image that is not there, or whose name depends on a variable with no
 * known value, is never judged. */
#include "image_facts.h"

#include "hl_util.h"

#include <stdio.h>

/* The image word of a stage's FROM, or NULL. */
static const dw_word *from_word(const dw_stage *st)
{
    return st->from && st->from->nargs ? &st->from->args[0] : NULL;
}

/* The image a stage is FROM, as a C string for messages: as written, or as
 * resolved when the word holds variables. */
static const char *image_text(dw_lint *ctx, const dw_stage *st)
{
    const dw_word *w = from_word(st);
    dw_str s = w && !hl_has_var(w->text) ? w->text : st->base_expanded;
    return dw_str_cstr(ctx->a, s);
}

/* ---- final-user-root ---- */

/* The final image starts as root but its entrypoint can drop privileges:
 * an ENTRYPOINT, and gosu or su-exec installed for it to use (Docker's own
 * advice: "avoid sudo; use gosu"). */
static bool drops_privileges(dw_lint *ctx, bool entrypoint)
{
    if (!entrypoint) return false;
    sh_run **runs = dw_lint_runs(ctx);
    img_vars *v = img_vars_new(ctx->a, ctx->df, ctx);
    return img_final_tool(ctx->a, ctx->df, runs, v, ctx->final_stage, "gosu").has == IMG_Y ||
           img_final_tool(ctx->a, ctx->df, runs, v, ctx->final_stage, "su-exec").has == IMG_Y;
}

/* What to write for the image at hand: the user it already has, or the
 * command its distribution has for making one. */
static void user_help(dw_lint *ctx, dw_diag *d, const dw_imageref *r)
{
    dw_str official = img_official(r);
    img_kind kind = img_kind_of(r);
    if (dw_str_eqc(official, "node"))
        dw_diag_help(ctx, d, "the image already has the unprivileged user `node` (uid 1000): add USER node once the "
                             "root-only steps are done");
    else if (dw_str_eqc(official, "nginx"))
        dw_diag_help(ctx, d, "build FROM nginxinc/nginx-unprivileged (the same nginx, listening on 8080, running as "
                             "uid 101), or add USER nginx after making its pid and cache paths writable");
    else if (kind == IMG_KIND_DISTROLESS)
        dw_diag_help(ctx, d, "use the image's :nonroot tag, or add USER 65532 (the nonroot user these images have)");
    else if (kind == IMG_KIND_APK || kind == IMG_KIND_BUSYBOX)
        dw_diag_help(ctx, d, "create an unprivileged user and switch to it once the root-only steps are done: RUN "
                             "adduser -D -u 10001 app, then USER 10001");
    else
        dw_diag_help(ctx, d, "create an unprivileged user and switch to it once the root-only steps are done "
                             "(RUN useradd -u 10001 app, then USER 10001), or use a base that runs as non-root (a "
                             "distroless :nonroot tag, nginxinc/nginx-unprivileged, …)");
}

void check_final_user_root(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    int *chain;
    uint32_t n = img_chain(ctx->a, df, ctx->final_stage, &chain);
    if (!n) return;
    bool entrypoint = false;
    for (uint32_t k = 0; k < n; k++) {
        const dw_stage *st = &df->stages[chain[k]];
        for (uint32_t i = st->first + 1; i < st->first + st->count && i < df->ninstrs; i++) {
            /* any USER counts: a root one is last-user-root's finding */
            if (df->instrs[i].kind == DW_I_USER) return;
            entrypoint |= df->instrs[i].kind == DW_I_ENTRYPOINT;
        }
    }
    const dw_stage *root = &df->stages[chain[n - 1]], *fin = &df->stages[chain[0]];
    bool scratch = root->base_kind == DW_BASE_SCRATCH;
    if (!scratch) {
        img_vars *v = img_vars_new(ctx->a, df, ctx);
        if (!img_stage_image_known(v, root)) return; /* chosen at build time, or not an image */
        if (img_runs_nonroot(&root->image) || img_is_windows(&root->image)) return;
        if (drops_privileges(ctx, entrypoint)) return;
    }
    dw_diag *d;
    if (scratch) {
        d = dw_report(ctx, fin->from, fin->from->span,
                      "the final image runs as uid 0: it is built FROM scratch and never sets USER");
        dw_diag_help(ctx, d, "add USER 65534 (nobody) or another numeric UID after the COPY steps; a numeric "
                             "USER needs no /etc/passwd");
        return;
    }
    const char *img = image_text(ctx, root);
    const char *where = root == fin ? "" : " in the final stage or the stages it is built on,";
    if (img_runs_root(&root->image))
        d = dw_report(ctx, fin->from, fin->from->span,
                      "the final image runs as root: no USER is set%s and `%s` runs as root by default", where, img);
    else
        d = dw_report(ctx, fin->from, fin->from->span,
                      "no USER is set%s: the final image runs as root unless its base `%s` sets a user", where, img);
    user_help(ctx, d, &root->image);
    if (root != fin) dw_diag_related(ctx, d, root->from->span, "the base image");
}

/* ---- base-image-size ---- */

/* Rule `slug` is enabled by the configuration. */
static bool rule_on(const dw_lint *ctx, const char *slug)
{
    const dw_rule *r = dw_rule_by_slug(slug);
    return r && (ctx->cfg ? ctx->cfg->severity[r->index] != DW_SEV_OFF : !r->default_off);
}

/* What to keep in mind with a smaller variant. */
static const char *variant_note(const img_size *s)
{
    if (strstr(s->variant, "distroless")) return "; build in an earlier stage and copy the binary in";
    if (strstr(s->variant, "alpine")) return "; musl libc: check native dependencies";
    if (strstr(s->variant, "jre")) return "; a JRE runs the application, the JDK is only needed to build it";
    return "";
}

/* `ref`, or "the -slim variant of python" when the tag cannot be written. */
static const char *size_name(dw_lint *ctx, const img_size *s, dw_str official)
{
    if (s->ref) return dw_arena_printf(ctx->a, "`%s`", s->ref);
    return dw_arena_printf(ctx->a, "the `%s` variant of %.*s", s->variant, (int)official.len, official.ptr);
}

void check_base_image_size(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    int *chain;
    uint32_t n = img_chain(ctx->a, df, ctx->final_stage, &chain);
    if (!n) return;
    const dw_stage *root = &df->stages[chain[n - 1]];
    img_vars *v = img_vars_new(ctx->a, df, ctx);
    img_sizes sz;
    if (!img_stage_image_known(v, root) || !img_smaller_variants(ctx->a, &root->image, &sz)) return;
    /* a JDK or compiler image is first of all a toolchain in the image:
     * build-tools-in-final-stage says so at this FROM, and one finding there
     * is enough; its size is given here when that rule is off */
    if (sz.sdk && rule_on(ctx, "build-tools-in-final-stage")) return;
    dw_str official = img_official(&root->image);
    const img_size *alt = &sz.alt[0];
    dw_diag *d = dw_report(ctx, root->from, from_word(root)->span, "`%s` is about %s; %s is about %s%s",
                           image_text(ctx, root), img_mb_text(ctx->a, sz.full.mb), size_name(ctx, alt, official),
                           img_mb_text(ctx->a, alt->mb),
                           chain[n - 1] == ctx->final_stage ? "" : " (the final image is built on it)");
    dw_buf b = {0};
    for (uint32_t k = 0; k < sz.nalt; k++) {
        const img_size *s = &sz.alt[k];
        dw_buf_printf(&b, "%s%s (about %s, %u MB to download%s)", k ? " or " : "use ", size_name(ctx, s, official),
                      img_mb_text(ctx->a, s->mb), s->pull_mb, variant_note(s));
    }
    dw_diag_help(ctx, d, "%.*s; the full image is %u MB to download (approx. sizes, linux/amd64)", (int)b.n, b.p,
                 sz.full.pull_mb);
    dw_buf_free(&b);
}

/* ---- images read by COPY --from and RUN --mount from= ---- */

/* The file span of the from= value inside a mount, when written out
 * plainly; else the whole mount. */
static dw_span mount_from_span(const dw_dockerfile *df, const dw_mount *mt)
{
    const char *src = df->src + mt->span.start;
    size_t n = mt->span.end - mt->span.start;
    for (size_t k = 0; k + 5 + mt->from.len <= n; k++)
        if (!memcmp(src + k, "from=", 5) && !memcmp(src + k + 5, mt->from.ptr, mt->from.len)) {
            dw_span sp = {mt->span.start + (uint32_t)(k + 5), mt->span.start + (uint32_t)(k + 5 + mt->from.len)};
            return sp;
        }
    return mt->span;
}

typedef void (*image_use_fn)(dw_lint *ctx, const dw_instr *in, dw_span at, dw_str ref, const char *how);

/* Calls `fn` for every image (not a stage, not a stage index, not a
 * variable) that a COPY --from or a RUN --mount from= reads. A COPY --from
 * word with no ':', '/' or '@' that names no stage is copy-from-unknown-
 * stage's finding (most likely a misspelt stage), so it is left to it. */
static void each_image_use(dw_lint *ctx, image_use_fn fn)
{
    dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind == DW_I_COPY) {
            const dw_flag *f = hl_flag(in, "from");
            if (!f || !f->has_value || in->from_stage >= 0) continue;
            dw_str v = f->value;
            if (!v.len || hl_is_digits(v) || hl_has_var(v)) continue;
            if (!dw_str_chr(v, ':') && !dw_str_chr(v, '/') && !dw_str_chr(v, '@')) continue;
            fn(ctx, in, hl_flag_value_span(f), v, "COPY --from");
        } else if (in->kind == DW_I_RUN) {
            for (uint32_t m = 0; m < in->nmounts; m++) {
                const dw_mount *mt = &in->mounts[m];
                if (!mt->has_from || mt->from_stage >= 0 || !mt->from.len) continue;
                if (hl_is_digits(mt->from) || hl_has_var(mt->from) || dw_str_eqc(mt->from, "scratch")) continue;
                fn(ctx, in, mount_from_span(df, mt), mt->from, "RUN --mount");
            }
        }
    }
}

/* ---- unpinned-copy-from-image ---- */

static void unpinned_use(dw_lint *ctx, const dw_instr *in, dw_span at, dw_str ref, const char *how)
{
    dw_imageref r;
    dw_imageref_parse(ctx->a, ref, &r);
    if (!r.valid || r.digest.len || (r.tag.len && !dw_str_eqc(r.tag, "latest"))) return;
    dw_str name = r.tag.len ? dw_str_make(ref.ptr, (size_t)(r.tag.ptr - 1 - ref.ptr)) : ref;
    dw_diag *d;
    if (r.tag.len)
        d = dw_report(ctx, in, at, "%s reads `%.*s`: the latest tag changes whenever a new version is pushed", how,
                      (int)ref.len, ref.ptr);
    else
        d = dw_report(ctx, in, at, "%s reads `%.*s`, which has no tag: each build may get a different image", how,
                      (int)ref.len, ref.ptr);
    dw_diag_help(ctx, d, "pin a version tag (%.*s:<version>) or a digest (%.*s@sha256:…)", (int)name.len, name.ptr,
                 (int)name.len, name.ptr);
}

void check_unpinned_copy_from_image(dw_lint *ctx) { each_image_use(ctx, unpinned_use); }

/* ---- digest-pin ---- */

static void report_digest(dw_lint *ctx, const dw_instr *in, dw_span at, const char *written, const char *ref)
{
    dw_diag *d;
    if (strcmp(written, ref))
        d = dw_report(ctx, in, at, "`%s` resolves to `%s`, which is not pinned by digest: its tag can be moved to "
                      "different content", written, ref);
    else
        d = dw_report(ctx, in, at, "image `%s` is not pinned by digest: its tag can be moved to different content",
                      ref);
    dw_diag_help(ctx, d,
                 "pin it as %s@sha256:<digest> (`docker buildx imagetools inspect %s` shows the digest); Renovate or "
                 "Dependabot can keep the digest current",
                 ref, ref);
}

static void digest_use(dw_lint *ctx, const dw_instr *in, dw_span at, dw_str ref, const char *how)
{
    (void)how;
    dw_imageref r;
    dw_imageref_parse(ctx->a, ref, &r);
    const char *text = dw_str_cstr(ctx->a, ref);
    if (r.valid && !r.digest.len) report_digest(ctx, in, at, text, text);
}

void check_digest_pin(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    img_vars *v = img_vars_new(ctx->a, df, ctx);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        /* stages and scratch are not pulled; an image chosen by a variable
         * with no known value is not known until build time */
        if (!img_stage_image_known(v, st) || st->image.digest.len) continue;
        report_digest(ctx, st->from, from_word(st)->span, dw_str_cstr(ctx->a, from_word(st)->text),
                      dw_str_cstr(ctx->a, st->base_expanded));
    }
    each_image_use(ctx, digest_use);
}

/* ---- healthcheck-tool-missing ---- */

/* The last component of a path. */
static dw_str base_name(dw_str path)
{
    size_t i = path.len;
    while (i > 0 && path.ptr[i - 1] != '/') i--;
    return dw_str_sub(path, i, path.len);
}

typedef struct {
    const char *tool; /* "curl" or "wget" */
    dw_span at;       /* its command word */
} probe;

/* Records a command of the HEALTHCHECK that is curl or wget (not BusyBox's
 * applet run as `busybox wget`). */
static void add_probe(probe *p, uint32_t *n, dw_str name, const sh_cmd *c, dw_span at)
{
    if (*n >= 8 || (c && c->wrapper && sh_cmd_is(c->wrapper, "busybox"))) return;
    dw_str base = base_name(name);
    const char *tool = dw_str_eqc(base, "curl") ? "curl" : dw_str_eqc(base, "wget") ? "wget" : NULL;
    if (!tool) return;
    p[*n].tool = tool;
    p[*n].at = at;
    (*n)++;
}

/* The curl and wget commands a shell script runs. */
static void script_probes(dw_lint *ctx, const dw_instr *hc, dw_str text, const sh_map *map, probe *p, uint32_t *n)
{
    sh_parse_opts po;
    memset(&po, 0, sizeof po);
    po.kind = SH_SRC_TEXT;
    sh_run *run = DW_NEW(ctx->a, sh_run, 1);
    run->top = run->instr = hc;
    run->shell_name = dw_str_c("sh");
    run->scripts = DW_NEW(ctx->a, sh_script *, 1);
    run->scripts[0] = sh_parse(ctx->a, text, map, &po);
    run->nscripts = 1;
    sh_run_build(ctx->a, run, ctx->df->src, ctx->df->len);
    for (uint32_t k = 0; k < run->ncmds; k++) {
        const sh_cmd *c = &run->cmds[k];
        add_probe(p, n, c->name, c, c->argv[0].span);
    }
}

/* Where the bytes of a JSON string word are in the file: exactly, when the
 * decoded text is the quoted bytes (no escapes), else the whole word. */
static const sh_map *json_string_map(dw_lint *ctx, const dw_word *w)
{
    const dw_dockerfile *df = ctx->df;
    dw_span sp = w->span;
    if (sp.end - sp.start == w->text.len + 2 && sp.end <= df->len && !memcmp(df->src + sp.start + 1, w->text.ptr, w->text.len))
        return sh_map_file(ctx->a, w->text.ptr, (uint32_t)w->text.len, sp.start + 1);
    return sh_map_whole(ctx->a, sp);
}

/* The HEALTHCHECK in effect for the final image: the last one of the final
 * stage, else of the stage it is built on, and so on. */
static const dw_instr *effective_healthcheck(const dw_dockerfile *df, const int *chain, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        const dw_stage *st = &df->stages[chain[k]];
        for (uint32_t i = st->first + st->count; i-- > st->first + 1;)
            if (i < df->ninstrs && df->instrs[i].kind == DW_I_HEALTHCHECK) return &df->instrs[i];
    }
    return NULL;
}

static void report_missing(dw_lint *ctx, const dw_instr *hc, const probe *p, const img_tool_state *s, bool shell_form)
{
    dw_diag *d;
    const dw_stage *root = s->root;
    if (s->removed)
        d = dw_report(ctx, hc, p->at, "HEALTHCHECK runs `%s`, which the image no longer has: it is removed on line %u",
                      p->tool, s->removed->line);
    else if (s->kind == IMG_KIND_SCRATCH)
        d = dw_report(ctx, hc, p->at, "HEALTHCHECK runs `%s`, but the image is built FROM scratch and nothing copies it in",
                      p->tool);
    else
        d = dw_report(ctx, hc, p->at, "HEALTHCHECK runs `%s`, which `%s` does not have and the Dockerfile does not install",
                      p->tool, image_text(ctx, root));
    bool curl = !strcmp(p->tool, "curl");
    switch (s->kind) {
    case IMG_KIND_SCRATCH:
    case IMG_KIND_DISTROLESS:
        dw_diag_help(ctx, d, "the image has no package manager%s: build the probe into the application, or copy a "
                             "static probe binary in with COPY --from",
                     shell_form ? " and no shell to run `sh -c`" : "");
        break;
    case IMG_KIND_APK:
    case IMG_KIND_BUSYBOX:
        if (curl)
            dw_diag_help(ctx, d, "use BusyBox's wget, which the image has (wget -q -O /dev/null http://localhost:<port>/ "
                                 "|| exit 1)%s",
                         s->kind == IMG_KIND_APK ? ", or install curl: RUN apk add --no-cache curl" : "");
        else
            dw_diag_help(ctx, d, "install it: RUN apk add --no-cache wget");
        break;
    case IMG_KIND_APT:
        dw_diag_help(ctx, d, "install it (RUN apt-get update && apt-get install -y --no-install-recommends %s && rm -rf "
                             "/var/lib/apt/lists/*), or probe with the application's own runtime",
                     p->tool);
        break;
    default:
        dw_diag_help(ctx, d, "install %s in the final stage, or probe with a program the image has", p->tool);
        break;
    }
    if (root && root->from) dw_diag_related(ctx, d, root->from->span, "the base image");
}

void check_healthcheck_tool_missing(dw_lint *ctx)
{
    if (ctx->compose) { /* the same rule over a Compose project's health checks */
        compose_healthcheck_tool_missing(ctx);
        return;
    }
    dw_dockerfile *df = ctx->df;
    int *chain;
    uint32_t n = img_chain(ctx->a, df, ctx->final_stage, &chain);
    const dw_instr *hc = effective_healthcheck(df, chain, n);
    if (!hc || hc->error || hc->nargs < 2 || !dw_str_ieqc(hc->args[0].text, "CMD")) return;
    probe p[8];
    uint32_t np = 0;
    bool shell = !hc->json;
    if (shell) {
        script_probes(ctx, hc, hc->args[1].text, sh_map_instr(ctx->a, hc), p, &np);
    } else if (sh_prog_is_shell(base_name(hc->args[1].text)) && hc->nargs > 3 && dw_str_eqc(hc->args[2].text, "-c")) {
        shell = true;
        script_probes(ctx, hc, hc->args[3].text, json_string_map(ctx, &hc->args[3]), p, &np);
    } else {
        add_probe(p, &np, hc->args[1].text, NULL, hc->args[1].span);
    }
    if (!np) return;
    sh_run **runs = dw_lint_runs(ctx);
    img_vars *v = img_vars_new(ctx->a, df, ctx);
    img_tool_state st[2];
    const char *tools[2] = {"curl", "wget"};
    bool used[2] = {false, false};
    for (uint32_t k = 0; k < np; k++) used[!strcmp(p[k].tool, tools[1])] = true;
    /* `curl … || wget …`: one probe the image has (or may have) is enough */
    for (int t = 0; t < 2; t++) {
        if (!used[t]) continue;
        st[t] = img_final_tool(ctx->a, df, runs, v, ctx->final_stage, tools[t]);
        if (st[t].has != IMG_N) return;
    }
    bool done[2] = {false, false};
    for (uint32_t k = 0; k < np; k++) {
        int t = !strcmp(p[k].tool, tools[1]);
        if (done[t]) continue;
        done[t] = true;
        report_missing(ctx, hc, &p[k], &st[t], shell);
    }
}
