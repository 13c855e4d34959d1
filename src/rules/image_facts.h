/* image_facts.h — what dockwright knows about base images (the table in
 * image_facts.def) and what a Dockerfile adds to them: which variant an
 * image reference names, its approximate size and smaller variants,
 * whether it runs as non-root by default, and whether the final image has
 * a given program (curl, wget, gosu…) once every stage it is built from has
 * run. Used by the image rules (df_images.c) and by the Compose rules for
 * the healthcheck of a service built from a Dockerfile.
 *
 * Everything errs towards "unknown": an image not in the table, a FROM
 * whose variables have no known value, a RUN that runs a script we cannot
 * read. Rules report only what is known. */
#ifndef DW_IMAGE_FACTS_H
#define DW_IMAGE_FACTS_H

#include "rule.h"
#include "../shell/sh_cmd.h"

/* true = has it, false = lacks it; returns false and sets *known=false when
 * unknown. Works on a parsed Dockerfile without a lint context (its RUN
 * scripts are parsed into the file's arena). final_stage: the stage the
 * image is built from (the --target, or the last stage). */
bool dw_final_image_has_tool(const dw_dockerfile *df, int final_stage, const char *tool, bool *known);

/* healthcheck-tool-missing over a Compose project: the services' own
 * health checks against the images they build (compose_health_tools.c). */
void compose_healthcheck_tool_missing(dw_lint *ctx);

typedef enum { IMG_U, IMG_N, IMG_Y } img_fact; /* unknown, no, yes */

/* The kind of base an image is, for advice: which package manager there
 * is, if any, and whether there is a shell. */
typedef enum {
    IMG_KIND_OTHER,      /* not known */
    IMG_KIND_SCRATCH,    /* nothing at all */
    IMG_KIND_DISTROLESS, /* no shell, no package manager */
    IMG_KIND_BUSYBOX,    /* a shell and BusyBox applets, no package manager */
    IMG_KIND_APK,        /* Alpine */
    IMG_KIND_APT,        /* Debian, Ubuntu */
    IMG_KIND_WINDOWS
} img_kind;

/* Docker Hub under any of its names (docker.io, index.docker.io, …). */
bool img_is_hub(dw_str registry);
/* The Docker Official Image a reference names (docker.io/library/python ->
 * python), or an empty string. */
dw_str img_official(const dw_imageref *r);
/* A Windows image (nanoserver, servercore): users work differently there. */
bool img_is_windows(const dw_imageref *r);
/* The image's config sets a non-root USER (distroless :nonroot, Chainguard,
 * Bitnami, nginx-unprivileged… see image_facts.def). */
bool img_runs_nonroot(const dw_imageref *r);
/* Known to run as root: an official image or a distroless one that is not
 * among the non-root ones. (Other images may set a USER of their own.) */
bool img_runs_root(const dw_imageref *r);

/* The kind of base an image is (IMG_KIND_OTHER when not known). */
img_kind img_kind_of(const dw_imageref *r);
/* Whether the image itself has program `tool` (only curl and wget are in
 * the table; scratch and distroless hold none but :debug's BusyBox wget). */
img_fact img_base_has(const dw_imageref *r, const char *tool);

/* ---- variables in FROM ---- */

/* Which variables have a known value: global ARGs with a default, the
 * predefined platform ARGs, and (ctx not NULL) --build-arg values. */
typedef struct img_vars img_vars;
img_vars *img_vars_new(dw_arena *a, const dw_dockerfile *df, const dw_lint *ctx);
/* Every variable in the text has a known value. */
bool img_vars_known(img_vars *v, dw_str text);
/* The stage's FROM names a known image: an image reference (not a stage,
 * not scratch) whose variables are all known, and which parses. */
bool img_stage_image_known(img_vars *v, const dw_stage *st);

/* ---- the chain of stages an image is built from ---- */

/* The stages the final image is made of, final first and the one FROM an
 * image (or scratch) last: stage FROM stage FROM … Returns their number;
 * *out is in the arena. */
uint32_t img_chain(dw_arena *a, const dw_dockerfile *df, int final_stage, int **out);

/* ---- sizes (base-image-size) ---- */

typedef struct {
    const char *ref;  /* e.g. "python:3.12-slim"; NULL when the tag cannot be
                       * named exactly ("the -slim variant") */
    const char *variant; /* "-slim", or the other image as written in the table */
    unsigned mb, pull_mb; /* approx. uncompressed / compressed size */
} img_size;

typedef struct {
    img_size full;    /* the image as referenced (ref NULL) */
    img_size alt[2];
    uint32_t nalt;
    bool sdk;         /* an image made for building (JDK, compiler) */
} img_sizes;

/* When `r` names the full variant of an image in the table that has a
 * smaller variant saving at least 100 MB: fills *out and returns true. */
bool img_smaller_variants(dw_arena *a, const dw_imageref *r, img_sizes *out);
/* "1 GB", "130 MB": an approximate size written for people, in the arena. */
const char *img_mb_text(dw_arena *a, unsigned mb);

/* ---- programs in the final image ---- */

typedef struct {
    img_fact has;             /* in the final image */
    img_fact base_has;        /* in the base image */
    img_kind kind;            /* of the base image */
    const dw_stage *root;     /* the stage FROM the base image, NULL when unknown */
    const dw_instr *removed;  /* the instruction that last removed it, or NULL */
} img_tool_state;

/* Whether the image built from `final_stage` has `tool`: the base image's
 * fact, then every install or removal (apt, apk, yum/dnf/microdnf, zypper,
 * conda; COPY/ADD or a download of a file named `tool`) of the stages it is
 * built from, in build order. `runs`: every RUN parsed (sh_runs_parse). */
img_tool_state img_final_tool(dw_arena *a, const dw_dockerfile *df, sh_run **runs, img_vars *v, int final_stage,
                              const char *tool);

#endif
