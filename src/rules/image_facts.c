/* image_facts.c — lookups in the image table (image_facts.def): kinds,
 * users, sizes and smaller variants of base images, variables in FROM and
 * the chain of stages. Whether the final image has a program is
 * image_tools.c's. See image_facts.h. */
#include "image_facts.h"

#include "hl_util.h"
#include "../ignore/gitignore.h"


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
img_fact img_base_has(const dw_imageref *r, const char *tool)
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
