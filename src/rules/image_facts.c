/* image_facts.c — lookups in the image table (image_facts.def) and the walk
 * that decides whether the final image has a program. See image_facts.h. */
#include "image_facts.h"

#include "hl_util.h"
#include "sh_pkg.h"
#include "../ignore/gitignore.h"

#include <stdio.h>

/* ---- the tables ---- */

typedef struct {
    const char *image;
    unsigned mb, pull;
    const char *alt[2];
    unsigned alt_mb[2], alt_pull[2];
    const char *flavours, *nosmall;
    bool sdk;
} size_row;

static const size_row size_rows[] = {
#define IMAGE_SIZE(img, mb, pull, a1, m1, p1, a2, m2, p2, fl, ns, sdk) {img, mb, pull, {a1, a2}, {m1, m2}, {p1, p2}, fl, ns, sdk},
#include "image_facts.def"
#undef IMAGE_SIZE
};

typedef struct {
    const char *image;
    img_fact curl[3], wget[3]; /* full, -slim, -alpine */
    img_kind kind;
} tools_row;

#define Y IMG_Y
#define N IMG_N
#define U IMG_U
static const tools_row tools_rows[] = {
#define IMAGE_TOOLS(img, c0, w0, c1, w1, c2, w2, k) {img, {c0, c1, c2}, {w0, w1, w2}, IMG_KIND_##k},
#include "image_facts.def"
#undef IMAGE_TOOLS
};
#undef Y
#undef N
#undef U

typedef struct { const char *registry, *repository, *tag; bool nonroot; } user_row;

static const user_row user_rows[] = {
#define ROOT(reg, repo, tag) {reg, repo, tag, false},
#define NONROOT(reg, repo, tag) {reg, repo, tag, true},
#include "image_facts.def"
#undef ROOT
#undef NONROOT
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* ---- image references ---- */

bool img_is_hub(dw_str reg)
{
    return dw_str_ieqc(reg, "docker.io") || dw_str_ieqc(reg, "index.docker.io") ||
           dw_str_ieqc(reg, "registry-1.docker.io") || dw_str_ieqc(reg, "registry.hub.docker.com");
}

dw_str img_official(const dw_imageref *r)
{
    dw_str repo = r->repository;
    if (!r->valid || !img_is_hub(r->registry) || !dw_str_has_prefix(repo, "library/")) return dw_str_make("", 0);
    return dw_str_sub(repo, 8, repo.len);
}

/* The next '-'-separated word of a tag, from *pos. */
static bool tag_word(dw_str tag, size_t *pos, dw_str *w)
{
    if (*pos > tag.len) return false;
    const char *dash = dw_str_chr(dw_str_sub(tag, *pos, tag.len), '-');
    size_t end = dash ? (size_t)(dash - tag.ptr) : tag.len;
    *w = dw_str_sub(tag, *pos, end);
    *pos = end + 1;
    return true;
}

static bool tag_has_word(dw_str tag, const char *prefix)
{
    dw_str w;
    for (size_t pos = 0; tag_word(tag, &pos, &w);)
        if (dw_str_has_prefix(w, prefix)) return true;
    return false;
}

/* `*` matches within one path component ("chainguard/" then one name);
 * a lone `*` matches anything. */
static bool glob(const char *pat, dw_str s)
{
    return !strcmp(pat, "*") || dw_wildmatch(pat, strlen(pat), s.ptr, s.len);
}

bool img_is_windows(const dw_imageref *r)
{
    if (dw_str_ieqc(r->registry, "mcr.microsoft.com") &&
        (dw_str_has_prefix(r->repository, "windows") || dw_str_has_prefix(r->repository, "powershell")))
        return true;
    return tag_has_word(r->tag, "windowsservercore") || tag_has_word(r->tag, "nanoserver") ||
           tag_has_word(r->tag, "servercore") || tag_has_word(r->tag, "ltsc");
}

/* The user row an image matches: 1 non-root, 0 root, -1 none. */
static int user_match(const dw_imageref *r)
{
    if (!r->valid) return -1;
    dw_str tag = r->tag.len ? r->tag : dw_str_c("latest");
    for (size_t i = 0; i < COUNT(user_rows); i++) {
        const user_row *u = &user_rows[i];
        bool reg = !strcmp(u->registry, "docker.io") ? img_is_hub(r->registry) : glob(u->registry, r->registry);
        if (reg && glob(u->repository, r->repository) && glob(u->tag, tag)) return u->nonroot;
    }
    return -1;
}

bool img_runs_nonroot(const dw_imageref *r) { return user_match(r) == 1; }

static bool is_distroless(const dw_imageref *r);

bool img_runs_root(const dw_imageref *r)
{
    int u = user_match(r);
    return u == 0 || (u < 0 && (img_official(r).len || is_distroless(r)));
}

static const tools_row *tools_row_of(dw_str name)
{
    for (size_t i = 0; name.len && i < COUNT(tools_rows); i++)
        if (dw_str_eqc(name, tools_rows[i].image)) return &tools_rows[i];
    return NULL;
}

/* Which column of the tools table a tag reads. */
typedef enum { VAR_FULL, VAR_SLIM, VAR_ALPINE, VAR_ALPINE_SLIM, VAR_OTHER } variant;

static variant tag_variant(dw_str tag)
{
    bool slim = false, alpine = false, other = false;
    dw_str w;
    for (size_t pos = 0; tag_word(tag, &pos, &w);) {
        slim |= dw_str_has_prefix(w, "slim");
        alpine |= dw_str_has_prefix(w, "alpine");
        other |= dw_str_has_prefix(w, "ubi") || dw_str_has_prefix(w, "windowsservercore") ||
                 dw_str_has_prefix(w, "nanoserver") || dw_str_has_prefix(w, "ltsc");
    }
    if (other) return VAR_OTHER;
    if (alpine) return slim ? VAR_ALPINE_SLIM : VAR_ALPINE;
    return slim ? VAR_SLIM : VAR_FULL;
}

static bool is_distroless(const dw_imageref *r)
{
    return dw_str_ieqc(r->registry, "gcr.io") && dw_str_has_prefix(r->repository, "distroless/");
}

/* A Chainguard image (cgr.dev/chainguard/…): the -dev tags add a shell
 * and apk; the others, like distroless, hold the runtime alone. */
static bool is_chainguard(const dw_imageref *r)
{
    return dw_str_ieqc(r->registry, "cgr.dev") && dw_str_has_prefix(r->repository, "chainguard/");
}

static bool chainguard_dev(const dw_imageref *r)
{
    return tag_has_word(r->tag, "dev");
}

static img_kind image_kind(const dw_imageref *r)
{
    if (img_is_windows(r)) return IMG_KIND_WINDOWS;
    if (is_distroless(r)) return IMG_KIND_DISTROLESS;
    if (is_chainguard(r)) return chainguard_dev(r) ? IMG_KIND_APK : IMG_KIND_DISTROLESS;
    const tools_row *t = tools_row_of(img_official(r));
    if (!t) return IMG_KIND_OTHER;
    variant v = tag_variant(r->tag);
    if (v == VAR_ALPINE || v == VAR_ALPINE_SLIM) return IMG_KIND_APK;
    return v == VAR_OTHER ? IMG_KIND_OTHER : t->kind;
}

img_kind img_kind_of(const dw_imageref *r) { return r->valid ? image_kind(r) : IMG_KIND_OTHER; }

/* The base image's fact about `tool`. Only curl and wget are in the table;
 * scratch and distroless hold no programs (distroless :debug tags add
 * BusyBox, hence wget). */
static img_fact image_has(const dw_imageref *r, const char *tool)
{
    bool curl = !strcmp(tool, "curl"), wget = !strcmp(tool, "wget");
    if (is_distroless(r)) return wget && tag_has_word(r->tag, "debug") ? IMG_Y : IMG_N;
    /* what the -dev tags ship besides apk varies by image: not known */
    if (is_chainguard(r) && (curl || wget)) return chainguard_dev(r) ? IMG_U : IMG_N;
    if (!curl && !wget) return IMG_U;
    const tools_row *t = tools_row_of(img_official(r));
    if (!t) return IMG_U;
    const img_fact *col = curl ? t->curl : t->wget;
    switch (tag_variant(r->tag)) {
    case VAR_FULL: return col[0];
    case VAR_SLIM: return col[1];
    case VAR_ALPINE: return col[2];
    /* nginx:alpine-slim drops what -alpine adds: only a "no" carries over */
    case VAR_ALPINE_SLIM: return curl ? (col[2] == IMG_N ? IMG_N : IMG_U) : col[2];
    default: return IMG_U;
    }
}

/* ---- variables in FROM ---- */

struct img_vars {
    const dw_dockerfile *df;
    const dw_lint *ctx;
    hl_map defaults; /* global ARGs with a default */
};

static const char *const platform_vars[] = {
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
};

img_vars *img_vars_new(dw_arena *a, const dw_dockerfile *df, const dw_lint *ctx)
{
    img_vars *v = DW_NEW(a, img_vars, 1);
    v->df = df;
    v->ctx = ctx;
    hl_map_init(&v->defaults, a, df->nglobal_args, false);
    for (uint32_t i = 0; i < df->nglobal_args; i++)
        if (df->global_args[i].has_eq) hl_map_put(&v->defaults, df->global_args[i].key.text, 1, false);
    return v;
}

bool img_vars_known(img_vars *v, dw_str text)
{
    size_t pos = 0, st, en;
    bool dq = false;
    dw_str name;
    while (hl_next_var(text, v->df->escape, &pos, &dq, &name, &st, &en)) {
        if (hl_map_get(&v->defaults, name, 0)) continue;
        bool found = false;
        for (size_t k = 0; k < COUNT(platform_vars) && !found; k++) found = dw_str_eqc(name, platform_vars[k]);
        if (!found && v->ctx && name.len < 256) {
            char buf[256];
            memcpy(buf, name.ptr, name.len);
            buf[name.len] = 0;
            found = dw_lint_build_arg(v->ctx, buf) != NULL;
        }
        if (!found) return false;
    }
    return true;
}

bool img_stage_image_known(img_vars *v, const dw_stage *st)
{
    if (st->base_kind != DW_BASE_IMAGE || !st->from || !st->from->nargs) return false;
    if (hl_has_var(st->from->args[0].text) && !img_vars_known(v, st->from->args[0].text)) return false;
    return st->image.valid && st->image.repository.len;
}

/* ---- the chain of stages ---- */

uint32_t img_chain(dw_arena *a, const dw_dockerfile *df, int final_stage, int **out)
{
    *out = NULL;
    if (final_stage < 0 || (uint32_t)final_stage >= df->nstages) return 0;
    int *c = DW_NEW(a, int, df->nstages);
    uint32_t n = 0;
    /* a base is always an earlier stage, so the walk ends */
    for (int s = final_stage; s >= 0 && n < df->nstages;) {
        c[n++] = s;
        const dw_stage *st = &df->stages[s];
        s = st->base_kind == DW_BASE_STAGE && st->base_stage < s ? st->base_stage : -1;
    }
    *out = c;
    return n;
}

/* ---- sizes ---- */

const char *img_mb_text(dw_arena *a, unsigned mb)
{
    if (mb < 1000) return dw_arena_printf(a, "%u MB", mb);
    unsigned tenths = (mb + 50) / 100;
    return tenths % 10 ? dw_arena_printf(a, "%u.%u GB", tenths / 10, tenths % 10) : dw_arena_printf(a, "%u GB", tenths / 10);
}

static const size_row *size_row_of(dw_str name)
{
    for (size_t i = 0; name.len && i < COUNT(size_rows); i++)
        if (dw_str_eqc(name, size_rows[i].image)) return &size_rows[i];
    return NULL;
}

/* Tag words that already name a small (or different) variant. */
static bool small_word(dw_str w)
{
    static const char *const small[] = {"slim", "alpine", "jre", "distroless", "chiseled", "musl",
                                        "windowsservercore", "nanoserver", "servercore", "ltsc", "ubi"};
    for (size_t i = 0; i < COUNT(small); i++)
        if (dw_str_has_prefix(w, small[i])) return true;
    return false;
}

/* Tag words naming the distribution a variant is built on, dropped when
 * the smaller variant's tag is written (python:3.12-bookworm -> 3.12-slim). */
static bool distro_word(dw_str w)
{
    static const char *const distros[] = {"bookworm", "bullseye", "buster", "stretch", "trixie", "forky", "sid",
                                          "jammy", "noble", "focal", "bionic", "resolute", "oraclelinux"};
    for (size_t i = 0; i < COUNT(distros); i++)
        if (dw_str_has_prefix(w, distros[i])) return true;
    return false;
}

/* `w` is one of the space-separated words of `list`. */
static bool in_list(const char *list, dw_str w)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == w.len && !memcmp(p, w.ptr, n)) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

/* The Java version a tag names: openjdk:21-jdk, maven:3.9-eclipse-temurin-21,
 * gradle:8-jdk21. Empty when it names none. */
static dw_str java_version(dw_str name, dw_str tag)
{
    dw_str w, found = dw_str_make("", 0);
    size_t pos = 0;
    for (int k = 0; tag_word(tag, &pos, &w); k++) {
        if (dw_str_eqc(name, "openjdk") && k == 0) {
            size_t n = 0;
            while (n < w.len && w.ptr[n] >= '0' && w.ptr[n] <= '9') n++;
            return dw_str_make(w.ptr, n);
        }
        if (k > 0 && hl_is_digits(w)) found = w;
        else if (dw_str_has_prefix(w, "jdk") && hl_is_digits(dw_str_sub(w, 3, w.len))) found = dw_str_sub(w, 3, w.len);
    }
    return found;
}

/* The reference of alternative `alt` for `name:tag`, or NULL when its tag
 * cannot be written exactly. */
static const char *alt_ref(dw_arena *a, const size_row *row, dw_str name, dw_str tag, const char *alt)
{
    if (alt[0] != '-') {
        const char *brace = strstr(alt, "{java}");
        if (!brace) return alt;
        dw_str v = java_version(name, tag);
        return dw_arena_printf(a, "%.*s%.*s%s", (int)(brace - alt), alt, (int)(v.len ? v.len : 14),
                               v.len ? v.ptr : "<java-version>", brace + 6);
    }
    bool jre = dw_str_has_prefix(dw_str_c(alt), "-jre");
    dw_buf b = {0};
    dw_str w;
    size_t pos = 0;
    bool ok = true;
    for (int k = 0; ok && tag_word(tag, &pos, &w); k++) {
        if (!w.len || dw_str_eqc(w, "latest") || distro_word(w) || (jre && dw_str_eqc(w, "jdk"))) continue;
        /* the version comes first, flavours (php's fpm) after it */
        if (k == 0 || in_list(row->flavours, w)) {
            dw_buf_put(&b, w.ptr, w.len);
            dw_buf_putc(&b, '-');
        } else {
            ok = false;
        }
    }
    const char *out = NULL;
    if (ok) {
        dw_buf_puts(&b, alt + 1);
        out = dw_arena_printf(a, "%.*s:%.*s", (int)name.len, name.ptr, (int)b.n, b.p);
    }
    dw_buf_free(&b);
    return out;
}

bool img_smaller_variants(dw_arena *a, const dw_imageref *r, img_sizes *out)
{
    memset(out, 0, sizeof *out);
    dw_str name = img_official(r);
    const size_row *row = size_row_of(name);
    if (!row || !row->alt[0][0]) return false;
    if (!r->tag.len && r->digest.len) return false; /* which variant a digest names is not known */
    dw_str w;
    for (size_t pos = 0; tag_word(r->tag, &pos, &w);)
        if (small_word(w) || in_list(row->nosmall, w)) return false;
    /* a variant that saves less than this is not worth a finding */
    if (row->mb < row->alt_mb[0] + 100) return false;
    out->full.mb = row->mb;
    out->full.pull_mb = row->pull;
    out->sdk = row->sdk;
    for (int k = 0; k < 2; k++) {
        if (!row->alt[k][0]) continue;
        img_size *s = &out->alt[out->nalt++];
        s->variant = row->alt[k];
        s->ref = alt_ref(a, row, name, r->tag, row->alt[k]);
        s->mb = row->alt_mb[k];
        s->pull_mb = row->alt_pull[k];
    }
    return true;
}

/* ---- programs in the final image ---- */

/* A package name as written (`curl=7.88*`, `curl:amd64`, `curl~8`,
 * `curl-7.76.1`) names `tool`; curl-minimal is curl on RHEL-like systems. */
static bool package_is(dw_str pkg, const char *tool)
{
    size_t n = 0;
    while (n < pkg.len && !strchr("=:/<>~", pkg.ptr[n])) n++;
    dw_str name = dw_str_make(pkg.ptr, n);
    size_t tl = strlen(tool);
    if (dw_str_eqc(name, tool)) return true;
    if (!strcmp(tool, "curl") && dw_str_eqc(name, "curl-minimal")) return true;
    return name.len > tl + 1 && !memcmp(name.ptr, tool, tl) && name.ptr[tl] == '-' && name.ptr[tl + 1] >= '0' &&
           name.ptr[tl + 1] <= '9';
}

/* The last path component of `p` is `tool`. */
static bool path_is(dw_str p, const char *tool)
{
    size_t i = p.len;
    while (i > 0 && p.ptr[i - 1] != '/') i--;
    return dw_str_eqc(dw_str_sub(p, i, p.len), tool);
}

typedef enum { PKG_NONE, PKG_INSTALL, PKG_REMOVE } pkg_op;

/* What a package-manager command does. */
static pkg_op package_op(const sh_cmd *c)
{
    if (!c->sub) return PKG_NONE;
    if (sh_cmd_is_any(c, "apt-get", "apt", "aptitude", NULL)) {
        if (sh_cmd_has_any_flag(c, "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", NULL))
            return PKG_NONE;
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "purge")) return PKG_REMOVE;
    } else if (sh_cmd_is(c, "apk")) {
        if (sh_cmd_subcommand_is(c, "add")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "del")) return PKG_REMOVE;
    } else if (sh_cmd_is_any(c, "yum", "dnf", "microdnf", "tdnf", NULL)) {
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "erase")) return PKG_REMOVE;
    } else if (sh_cmd_is(c, "zypper")) {
        if (sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "in")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "rm")) return PKG_REMOVE;
    } else if (sh_cmd_is_any(c, "conda", "mamba", "micromamba", NULL)) {
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "uninstall")) return PKG_REMOVE;
    }
    return PKG_NONE;
}

/* A command whose effect cannot be seen and may install anything: a
 * script or a program given by path, `source`, `eval`, `sh FILE`. */
static bool runs_unseen(const sh_cmd *c)
{
    const sh_word *p = &c->argv[0];
    if (p->flags & SH_W_EXPANDS) return true;
    if (dw_str_chr(p->value, '/') && !sh_prog_find(c->name)) return true;
    if (c->name.len > 3 && !memcmp(c->name.ptr + c->name.len - 3, ".sh", 3)) return true;
    if (sh_cmd_is_any(c, "source", ".", "eval", NULL)) return true;
    return sh_prog_is_shell(c->name) && (c->shell_mode == SH_SHELL_FILE || (c->shell_mode == SH_SHELL_STDIN && !c->runs));
}

/* The command puts a file named `tool` in place: a download to that name
 * (curl -o, wget -O) or a copy, move, link or install of it. */
static bool places_file(const sh_cmd *c, const char *tool)
{
    if (sh_cmd_is(c, "curl") || sh_cmd_is(c, "wget")) {
        for (uint32_t i = 0; i < c->nflags; i++) {
            const sh_flag *f = &c->flags[i];
            bool out = sh_cmd_is(c, "curl") ? dw_str_eqc(f->name, "o") || dw_str_eqc(f->name, "output")
                                            : dw_str_eqc(f->name, "O") || dw_str_eqc(f->name, "output-document");
            if (out && f->has_value && path_is(f->value, tool)) return true;
        }
        return false;
    }
    if (!sh_cmd_is_any(c, "cp", "mv", "install", "ln", NULL)) return false;
    for (uint32_t i = 0; i < c->npos; i++)
        if (!(c->pos[i]->flags & SH_W_EXPANDS) && path_is(c->pos[i]->value, tool)) return true;
    return false;
}

/* The build runs `tool` itself, unconditionally: it must be there (a
 * missing program fails the build). Not in an if, a function, a case or a
 * background job, not on either side of ||. */
static bool runs_for_sure(const sh_cmd *c, const char *tool)
{
    const uint32_t maybe = SH_CTX_IF | SH_CTX_CONDITION | SH_CTX_FUNCTION | SH_CTX_CASE | SH_CTX_ASYNC |
                           SH_CTX_NEGATED | SH_CTX_BROKEN;
    return sh_cmd_is(c, tool) && !(c->ctx & maybe) && c->op_before != SH_OP_OR && c->op_after != SH_OP_OR;
}

typedef struct {
    img_fact has;
    const dw_instr *removed;
    dw_str virtual_name; /* apk --virtual group that brought it in */
    bool apt_auto;       /* `apt-mark auto` ran: an autoremove may take any package */
    bool kept;           /* survives an autoremove: a file put in place, or a program seen running after one */
    bool applet;         /* a BusyBox applet of the base (Alpine's wget): removing the package brings it back */
} tool_walk;

/* It is there now: installed as a package, or as a file. */
static void tool_added(tool_walk *t, bool kept)
{
    t->has = IMG_Y;
    t->removed = NULL;
    t->kept = kept;
    t->virtual_name = dw_str_make("", 0);
}

static void walk_cmd(tool_walk *t, const sh_cmd *c, const dw_instr *in, const char *tool)
{
    pkg_op op = package_op(c);
    if (op == PKG_INSTALL) {
        bool hit = false, opaque = c->npos < 2; /* no package named: xargs or a file list */
        for (uint32_t p = 1; p < c->npos; p++) {
            if (pkg_word_opaque(c->pos[p])) opaque = true;
            else if (package_is(c->pos[p]->value, tool)) hit = true;
        }
        if (hit) {
            tool_added(t, false);
            const sh_flag *v = sh_cmd_is(c, "apk") ? sh_cmd_flag(c, "--virtual") : NULL;
            if (!v && sh_cmd_is(c, "apk")) v = sh_cmd_flag(c, "-t");
            t->virtual_name = v && v->has_value ? v->value : dw_str_make("", 0);
        } else if (opaque && t->has != IMG_Y) {
            t->has = IMG_U;
        }
        return;
    }
    if (op == PKG_REMOVE) {
        for (uint32_t p = 1; p < c->npos; p++) {
            dw_str v = c->pos[p]->value;
            if (package_is(v, tool) || (t->virtual_name.len && dw_str_eq(v, t->virtual_name))) {
                t->has = t->applet ? IMG_Y : IMG_N;
                t->removed = t->applet ? NULL : in;
            }
        }
        if (sh_cmd_has_flag(c, "--auto-remove") && t->apt_auto && t->has == IMG_Y && !t->kept) t->has = IMG_U;
        return;
    }
    if (sh_cmd_is(c, "apt-mark") && sh_cmd_subcommand_is(c, "auto")) {
        t->apt_auto = true;
        return;
    }
    if (sh_cmd_is_any(c, "apt-get", "apt", NULL) && sh_cmd_subcommand_is(c, "autoremove")) {
        if (t->apt_auto && t->has == IMG_Y && !t->kept) t->has = IMG_U;
        return;
    }
    if (places_file(c, tool)) tool_added(t, true);
    else if (t->has != IMG_Y && runs_for_sure(c, tool)) tool_added(t, true); /* and an autoremove spared it */
    else if (t->has != IMG_Y && runs_unseen(c)) {
        t->has = IMG_U;
    }
}

/* COPY/ADD of a file named `tool` (a source or the destination). */
static bool copies_file(const dw_instr *in, const char *tool)
{
    if ((in->kind != DW_I_COPY && in->kind != DW_I_ADD) || in->error) return false;
    for (uint32_t k = 0; k < in->nargs; k++)
        if (path_is(in->json ? in->args[k].text : hl_unquote(in->args[k].text), tool)) return true;
    return false;
}

img_tool_state img_final_tool(dw_arena *a, const dw_dockerfile *df, sh_run **runs, img_vars *v, int final_stage,
                              const char *tool)
{
    img_tool_state r = {IMG_U, IMG_U, IMG_KIND_OTHER, NULL, NULL};
    int *chain;
    uint32_t n = img_chain(a, df, final_stage, &chain);
    if (!n) return r;
    const dw_stage *root = &df->stages[chain[n - 1]];
    if (root->base_kind == DW_BASE_SCRATCH) {
        r.base_has = IMG_N;
        r.kind = IMG_KIND_SCRATCH;
        r.root = root;
    } else if (img_stage_image_known(v, root)) {
        r.base_has = image_has(&root->image, tool);
        r.kind = image_kind(&root->image);
        r.root = root;
    }
    tool_walk t = {r.base_has, NULL, {0}, false, false, false};
    t.applet = r.kind == IMG_KIND_APK && r.base_has == IMG_Y && !strcmp(tool, "wget");
    for (uint32_t k = n; k-- > 0;) {
        const dw_stage *st = &df->stages[chain[k]];
        for (uint32_t i = st->first + 1; i < st->first + st->count && i < df->ninstrs; i++) {
            const dw_instr *in = &df->instrs[i];
            if (copies_file(in, tool)) {
                tool_added(&t, true);
                continue;
            }
            if (in->kind != DW_I_RUN || !runs || !runs[i]) continue;
            const sh_run *run = pkg_run(runs, i);
            if (!run) { /* PowerShell, or a script in another language */
                if (t.has != IMG_Y) t.has = IMG_U;
                continue;
            }
            for (uint32_t c = 0; c < run->ncmds; c++) walk_cmd(&t, &run->cmds[c], in, tool);
        }
    }
    r.has = t.has;
    r.removed = t.has == IMG_N ? t.removed : NULL;
    return r;
}

bool dw_final_image_has_tool(const dw_dockerfile *df, int final_stage, const char *tool, bool *known)
{
    /* the parse results go into the file's arena, like every other view of it */
    dw_arena *a = (dw_arena *)&df->arena;
    sh_run **runs = sh_runs_parse(a, df);
    img_vars *v = img_vars_new(a, df, NULL);
    img_tool_state s = img_final_tool(a, df, runs, v, final_stage, tool);
    if (known) *known = s.has != IMG_U;
    return s.has == IMG_Y;
}
