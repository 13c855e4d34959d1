/* df_practices_build.c — build-tools-in-final-stage: compilers, a build
 * step or an SDK base image in the layers of the final image, where a
 * multi-stage build would leave them behind.
 *
 * The single-layer idiom is fine: a RUN that installs build packages,
 * builds, and removes those packages again (apt-get purge --auto-remove
 * after apt-mark auto, apk del .build-deps, dnf remove) leaves no
 * compiler in its layer. The Docker Official Images build that way. */
#include "df_practices.h"

#include "hl_util.h"
#include "sh_misc.h"

/* The package name without a version, release or architecture:
 * gcc=4:12.2.0-3, libssl-dev:amd64, make/bookworm-backports, musl-dev~1.2. */
static dw_str package_name(dw_str v)
{
    for (size_t i = 0; i < v.len; i++)
        if (strchr("=:/~<>", v.ptr[i])) return dw_str_make(v.ptr, i);
    return v;
}

/* Compilers, build systems and development packages (headers, static
 * libraries) of Debian, Alpine and the RPM distributions. */
static bool is_toolchain(dw_str p)
{
    static const char *const tools[] = {"gcc", "g++", "gcc-c++", "clang", "make", "cmake", "build-essential",
                                        "build-base", "alpine-sdk", "base-devel", "ninja-build", "autoconf",
                                        "automake", "libtool", NULL};
    for (const char *const *t = tools; *t; t++)
        if (dw_str_eqc(p, *t)) return true;
    /* versioned compilers: gcc-12, g++-13, clang-17 */
    static const char *const versioned[] = {"gcc-", "g++-", "clang-", NULL};
    for (const char *const *t = versioned; *t; t++) {
        size_t n = strlen(*t);
        if (p.len > n && dw_str_has_prefix(p, *t) && p.ptr[n] >= '0' && p.ptr[n] <= '9') return true;
    }
    return ms_has_suffix(p, "-dev") || ms_has_suffix(p, "-devel");
}

typedef enum { FAM_NONE, FAM_APT, FAM_APK, FAM_RPM, FAM_ZYPPER } pkg_family;

static pkg_family family(const sh_cmd *c)
{
    if (sh_cmd_is_any(c, "apt-get", "apt", NULL)) return FAM_APT;
    if (sh_cmd_is(c, "apk")) return FAM_APK;
    if (sh_cmd_is_any(c, "dnf", "yum", "microdnf", "tdnf", NULL)) return FAM_RPM;
    if (sh_cmd_is(c, "zypper")) return FAM_ZYPPER;
    return FAM_NONE;
}

static bool is_install(const sh_cmd *c, pkg_family f)
{
    switch (f) {
    case FAM_APT: case FAM_RPM: return sh_cmd_subcommand_is(c, "install");
    case FAM_APK: return sh_cmd_subcommand_is(c, "add");
    case FAM_ZYPPER: return sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "in");
    default: return false;
    }
}

static bool is_removal(const sh_cmd *c, pkg_family f)
{
    static const char *const apt_rm[] = {"purge", "remove", "autoremove", "autopurge", NULL};
    static const char *const rpm_rm[] = {"remove", "erase", "autoremove", "history", NULL};
    static const char *const zyp_rm[] = {"remove", "rm", NULL};
    switch (f) {
    case FAM_APT: return pkg_word_in(c->sub, apt_rm);
    case FAM_APK: return sh_cmd_subcommand_is(c, "del");
    case FAM_RPM: return pkg_word_in(c->sub, rpm_rm);
    case FAM_ZYPPER: return pkg_word_in(c->sub, zyp_rm);
    default: return false;
    }
}

/* What the removal commands of one RUN take away again, read once per
 * RUN: per family, the names (packages or apk virtual groups) each removal
 * names, with the index of the last removal naming it, and the index of
 * the last removal that removes more than it names: a list held in a
 * variable ($buildDeps, not visible), an apt auto-removal after `apt-mark
 * auto` (everything not marked manual), `dnf history undo`. */
typedef struct {
    hl_map names[FAM_ZYPPER + 1];
    int64_t sweep[FAM_ZYPPER + 1]; /* -1: none */
    bool any;                      /* the RUN removes packages of some kind */
} removals;

static void read_removals(dw_lint *ctx, const sh_run *r, removals *rm)
{
    bool marked_auto = false;
    for (uint32_t k = 0; k < r->ncmds; k++)
        marked_auto |= sh_cmd_is(&r->cmds[k], "apt-mark") && sh_cmd_subcommand_is(&r->cmds[k], "auto");
    memset(rm, 0, sizeof *rm); /* a map is made on its first name */
    for (int f = 0; f <= FAM_ZYPPER; f++) rm->sweep[f] = -1;
    for (uint32_t k = 0; k < r->ncmds; k++) {
        const sh_cmd *c = &r->cmds[k];
        pkg_family f = family(c);
        if (!is_removal(c, f)) continue;
        rm->any = true;
        if ((f == FAM_APT && marked_auto &&
             (sh_cmd_subcommand_is(c, "autoremove") || sh_cmd_has_any_flag(c, "--auto-remove", "--autoremove", NULL))) ||
            (f == FAM_RPM && sh_cmd_subcommand_is(c, "history")))
            rm->sweep[f] = k;
        for (uint32_t p = 1; p < c->npos; p++) {
            const sh_word *w = c->pos[p];
            if (pkg_word_opaque(w)) {
                rm->sweep[f] = k;
                continue;
            }
            if (!rm->names[f].keys) hl_map_init(&rm->names[f], ctx->a, 8, false);
            hl_map_put(&rm->names[f], package_name(w->value), (int)k, false);
        }
    }
}

/* Package `name`, installed by command `inst` (maybe into an apk virtual
 * group), is removed again later in the same RUN. */
static bool removed_later(const removals *rm, const sh_cmd *inst, pkg_family f, dw_str name)
{
    int64_t after = inst->index;
    if (rm->sweep[f] > after) return true;
    const hl_map *m = &rm->names[f];
    if (!m->keys) return false;
    if (hl_map_get(m, name, -1) > after) return true;
    const sh_flag *virt = f == FAM_APK ? sh_cmd_flag(inst, "-t") : NULL;
    if (f == FAM_APK && !virt) virt = sh_cmd_flag(inst, "--virtual");
    return virt && virt->has_value && hl_map_get(m, virt->value, -1) > after;
}

/* The first toolchain package a command installs and the RUN keeps. */
static const sh_word *kept_toolchain(const removals *rm, const sh_cmd *c)
{
    pkg_family f = family(c);
    if (!is_install(c, f)) return NULL;
    for (uint32_t p = 1; p < c->npos; p++) {
        const sh_word *w = c->pos[p];
        if (pkg_word_opaque(w)) continue;
        dw_str name = package_name(w->value);
        if (is_toolchain(name) && !removed_later(rm, c, f, name)) return w;
    }
    return NULL;
}

/* A package.json script that builds: build, build:prod, build-client. */
static bool build_script(const sh_word *w)
{
    return w && (sh_word_is(w, "build") || dw_str_has_prefix(w->value, "build:") || dw_str_has_prefix(w->value, "build-"));
}

/* A command that compiles or bundles the app; returns the word that ends
 * its name for the span (`npm run build`: build). */
static const sh_word *build_step(const sh_cmd *c)
{
    /* `make --version`, `gcc -v`: a probe, not a build */
    if (sh_cmd_has_any_flag(c, "--version", "--help", NULL) ||
        (sh_cmd_is_any(c, "make", "gcc", "g++", "cc", "c++", "clang", "cmake", "ninja", NULL) && c->npos == 0 &&
         sh_cmd_has_flag(c, "-v")))
        return NULL;
    static const char *const mvn_goals[] = {"package", "install", "verify", "compile", NULL};
    static const char *const gradle_tasks[] = {"build", "assemble", "bootJar", "shadowJar", "installDist", NULL};
    if (sh_cmd_is_any(c, "npm", "pnpm", "yarn", NULL)) {
        if ((sh_cmd_subcommand_is(c, "run") || sh_cmd_subcommand_is(c, "run-script")) && c->npos > 1 &&
            build_script(c->pos[1]))
            return c->pos[1];
        return !sh_cmd_is(c, "npm") && build_script(c->sub) ? c->sub : NULL;
    }
    if (sh_cmd_is_any(c, "go", "cargo", NULL)) return sh_cmd_subcommand_is(c, "build") ? c->sub : NULL;
    if (sh_cmd_is(c, "dotnet"))
        return sh_cmd_subcommand_is(c, "build") || sh_cmd_subcommand_is(c, "publish") ? c->sub : NULL;
    if (sh_cmd_is_any(c, "mvn", "mvnw", "gradle", "gradlew", NULL)) {
        const char *const *goals = c->name.ptr[0] == 'm' ? mvn_goals : gradle_tasks;
        for (uint32_t p = 0; p < c->npos; p++)
            if (pkg_word_in(c->pos[p], goals)) return c->pos[p];
        return NULL;
    }
    if (sh_cmd_is_any(c, "make", "cmake", "ninja", "gcc", "g++", "cc", "c++", "clang", NULL)) return &c->argv[0];
    return NULL;
}

/* An image made for building: a language SDK or a compiler image. The
 * full variants of the runtime images (python:3.12, node:22, built on
 * buildpack-deps) have compilers too, but they are the runtimes most apps
 * start from: base-image-size speaks about their size. */
static bool sdk_image(const dw_imageref *ref)
{
    if (!ref->valid) return false;
    dw_str repo = ref->repository, tag = ref->tag;
    dw_str base = ms_basename(repo);
    static const char *const sdks[] = {"golang", "rust", "maven", "gradle", "gcc", NULL};
    for (const char *const *s = sdks; *s; s++)
        if (dw_str_eqc(base, *s)) return true;
    if (ms_has_suffix(repo, "dotnet/sdk")) return true;
    if (ms_contains(tag, "jdk")) return true;
    static const char *const jdks[] = {"openjdk", "eclipse-temurin", "amazoncorretto", "sapmachine", NULL};
    for (const char *const *s = jdks; *s; s++)
        if (dw_str_eqc(base, *s)) return !ms_contains(tag, "jre");
    return false;
}

/* The last command of a RUN that deletes a folder, remembered for the
 * folder asked about last: a RUN of thousands of build steps in one folder
 * looks it up once, not once per step. */
typedef struct {
    const sh_run *run;
    const char *dir;
    int64_t last;
} rm_memo;

/* How far back a build step looks for its `cd`: further is not a build
 * from source that cleans up after itself, and the walk stays bounded. */
#define CD_LOOKBACK 4096

/* The build step c ran in a folder (the last absolute `cd` before it) that
 * the same RUN deletes afterwards: a build from source whose intermediate
 * files never reach the layer (`cd /usr/src/python && make && make install
 * && rm -rf /usr/src/python`). */
static bool build_dir_removed(dw_lint *ctx, const sh_cmd *c, rm_memo *memo)
{
    const sh_run *r = c->run;
    for (uint32_t k = c->index, seen = 0; k-- > 0 && seen++ < CD_LOOKBACK;) {
        const sh_cmd *cd = &r->cmds[k];
        if (!sh_cmd_is(cd, "cd")) continue;
        if (!cd->npos || (cd->pos[0]->flags & SH_W_EXPANDS) || cd->pos[0]->value.ptr[0] != '/') return false;
        const char *dir = dw_str_cstr(ctx->a, cd->pos[0]->value);
        if (memo->run != r || !memo->dir || strcmp(memo->dir, dir) != 0)
            *memo = (rm_memo){r, dir, pkg_rm_last(r, dir)};
        return memo->last > (int64_t)c->index;
    }
    return false;
}

void check_build_tools_in_final_stage(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    if (ctx->final_stage < 0 || (uint32_t)ctx->final_stage >= df->nstages) return;
    sh_run **runs = dw_lint_runs(ctx);
    bool *img = pkg_image_stages(ctx);

    /* an SDK base: one finding at its FROM, whatever the RUNs do */
    const dw_stage *root = &df->stages[prac_root_stage(ctx, ctx->final_stage)];
    if (root->base_kind == DW_BASE_IMAGE && sdk_image(&root->image) && root->from->nargs) {
        const dw_word *w = &root->from->args[0];
        dw_diag *d = dw_report(ctx, root->from, w->span,
                               "the final image is built FROM the SDK image `%.*s`: its compilers and build caches "
                               "ship with the app",
                               (int)root->base.len, root->base.ptr);
        dw_diag_help(ctx, d, "build in a stage of its own (FROM %.*s AS build) and copy only the result into a runtime "
                             "image (distroless, slim, alpine, or the -jre/runtime variant)",
                     (int)root->base.len, root->base.ptr);
        return;
    }

    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->kind != DW_I_RUN || in->stage < 0 || !img[in->stage]) continue;
        const sh_run *r = pkg_run(runs, i);
        if (!r) continue;
        removals rm;
        read_removals(ctx, r, &rm);
        rm_memo memo = {NULL, NULL, -1};
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            const sh_word *w = kept_toolchain(&rm, c);
            if (w) {
                dw_str name = package_name(w->value);
                dw_diag *d = dw_report(ctx, in, w->span,
                                       "`%.*s` is installed in the final image and not removed: build tools ship "
                                       "with the app",
                                       (int)name.len, name.ptr);
                dw_diag_help(ctx, d, "build in an earlier stage and COPY --from it only the result, or remove the "
                                     "build packages in the same RUN (apt-get purge --auto-remove, apk del "
                                     ".build-deps)");
                break;
            }
            /* the single-layer idiom: a RUN that removes packages again */
            const sh_word *last = rm.any ? NULL : build_step(c);
            if (last && !build_dir_removed(ctx, c, &memo)) {
                dw_str text = prac_cmd_text(ctx, c, last);
                dw_diag *d = dw_report(ctx, in, pkg_cmd_span(c, last),
                                       "the final image runs a build step (`%.*s`): its tools and intermediate files "
                                       "ship with the app",
                                       (int)text.len, text.ptr);
                dw_diag_help(ctx, d, "build in an earlier stage (FROM … AS build) and COPY --from=build only what the "
                                     "app needs at run time");
                break;
            }
        }
    }
}
