/* context_sources.h — the COPY/ADD sources and RUN bind mounts a
 * Dockerfile reads from the build context, for the context report
 * (context_report.c): each source is resolved before the walk by
 * dw_copy_source_expand (BuildKit's rules: wildcards, --parents, symlinks
 * in the literal part) into a table of the paths it names, which the walk
 * looks entries up in to measure each named entry as a scope. */
#ifndef DW_CONTEXT_SOURCES_H
#define DW_CONTEXT_SOURCES_H

#include "copy_sources.h"
#include "dockerignore.h"

/* One source read from the build context. */
typedef struct {
    uint32_t line;
    const char *instr;      /* "COPY", "ADD", "RUN --mount" */
    char *source;           /* as written (expanded) */
    bool wild;              /* BuildKit accepts it matching nothing */
    bool whole;             /* names the context root: everything sent */
    dw_dockerignore *exclude; /* COPY/ADD --exclude, or NULL */
    char *pivot;            /* --parents: the folder the patterns are relative to */
    size_t base_len;        /* the literal folder before the first wildcard (dw_copy_source_base) */
    dw_copy_result res;
    long named;             /* entries the source names */
    uint64_t files, bytes, excluded;     /* sent (non-folder entries), their bytes; excluded by the ignore file */
    uint64_t dropped_files, dropped_bytes; /* left out by --exclude */
} copy_src;

typedef struct { copy_src *v; uint32_t n, cap; } copy_list;

/* A path some source names; `next` chains the other sources naming it. */
typedef struct { size_t off; uint32_t len, src, next; } named;

typedef struct {
    copy_list *cl;
    dw_buf paths;
    struct { named *v; uint32_t n, cap; } v;
    uint32_t *slots; uint32_t cap;
    uint8_t *depths; uint32_t ndepths;   /* depths[d]: some path of depth d is named */
    uint32_t current;
} named_table;

/* Every COPY/ADD source read from the context (no --from, no URL, no
 * heredoc) and every RUN --mount=type=bind without from=, in file order. */
void dw_ctx_sources_collect(const dw_dockerfile *df, copy_list *cl);
/* Resolves what every source names (files under `dir` as sent with the
 * ignore file `di`), into t. */
void dw_ctx_sources_resolve(copy_list *cl, const char *dir, const dw_dockerignore *di, named_table *t);
/* The first source naming path p (index into t->v.v, chained by `next`),
 * or UINT32_MAX. */
uint32_t dw_ctx_named_first(named_table *t, const char *p, size_t n);
/* Why the build fails on this source, or NULL. */
const char *dw_ctx_source_failure(const copy_src *c);
/* Frees the sources and the table. */
void dw_ctx_sources_free(copy_list *cl, named_table *t);

#endif
