/* cmd_graph.c — `dockwright graph FILE`: the stages of a Dockerfile and how
 * they depend on each other (FROM another stage, COPY --from, RUN --mount
 * from=), as text, Graphviz dot or Mermaid. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char graph_usage[] = "usage: dockwright graph [--format text|dot|mermaid] FILE|-\n";

typedef struct { uint32_t from, to; const char *how; } edge;

static void stage_label(FILE *out, const dw_stage *st)
{
    if (st->name.len) fprintf(out, "%.*s", (int)st->name.len, st->name.ptr);
    else fprintf(out, "stage %u", st->index);
}

int cmd_graph(int argc, char **argv)
{
    const char *format = "text", *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc) format = argv[++i];
        else if (!strncmp(argv[i], "--format=", 9)) format = argv[i] + 9;
        else if (!strcmp(argv[i], "--help")) { fputs(graph_usage, stdout); return 0; }
        else if (argv[i][0] == '-' && argv[i][1]) return cli_usage_error("graph", "unknown option '%s'", argv[i]);
        else file = argv[i];
    }
    if (strcmp(format, "text") && strcmp(format, "dot") && strcmp(format, "mermaid"))
        return cli_usage_error("graph", "unknown format '%s' (text, dot, mermaid)", format);
    if (!file) file = "Dockerfile";
    size_t len;
    char *src = dw_read_file(file, &len);
    if (!src) {
        fprintf(stderr, "dockwright graph: %s: %s\n", file, strerror(errno));
        return 2;
    }
    dw_dockerfile *df = dw_dockerfile_parse(file, src, len, NULL);
    free(src);
    if (!df) return 2;

    uint32_t cap = 16, n = 0;
    edge *edges = malloc(sizeof *edges * cap);
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage < 0) continue;
        if (n + in->nmounts + 2 > cap) { cap = (cap + in->nmounts + 2) * 2; edges = realloc(edges, sizeof *edges * cap); }
        if (in->kind == DW_I_FROM && df->stages[in->stage].base_kind == DW_BASE_STAGE)
            edges[n++] = (edge){(uint32_t)df->stages[in->stage].base_stage, (uint32_t)in->stage, "FROM"};
        if (in->from_stage >= 0) edges[n++] = (edge){(uint32_t)in->from_stage, (uint32_t)in->stage, "COPY --from"};
        for (uint32_t m = 0; m < in->nmounts; m++)
            if (in->mounts[m].from_stage >= 0)
                edges[n++] = (edge){(uint32_t)in->mounts[m].from_stage, (uint32_t)in->stage, "RUN --mount"};
    }

    /* the edges into each stage, in file order: into[at[s] .. at[s + 1]) */
    uint32_t ns = df->nstages;
    uint32_t *at = calloc((size_t)ns + 2, sizeof *at), *into = malloc(sizeof *into * (n ? n : 1));
    for (uint32_t e = 0; e < n; e++) at[edges[e].to + 2]++;
    for (uint32_t s = 0; s < ns; s++) at[s + 2] += at[s + 1];
    for (uint32_t e = 0; e < n; e++) into[at[edges[e].to + 1]++] = e;

    /* stages the final one needs, through FROM, COPY --from and --mount
     * from= edges; the others are never built by `docker build` */
    bool *needed = calloc(ns ? ns : 1, sizeof *needed);
    uint32_t *todo = malloc(sizeof *todo * (ns ? ns : 1)), ntodo = 0;
    if (ns) {
        needed[ns - 1] = true;
        todo[ntodo++] = ns - 1;
    }
    while (ntodo) {
        uint32_t s = todo[--ntodo];
        for (uint32_t k = at[s]; k < at[s + 1]; k++) {
            uint32_t from = edges[into[k]].from;
            if (!needed[from]) {
                needed[from] = true;
                todo[ntodo++] = from;
            }
        }
    }
    free(todo);

    if (!strcmp(format, "text")) {
        for (uint32_t s = 0; s < df->nstages; s++) {
            const dw_stage *st = &df->stages[s];
            dw_pos a = dw_linemap_pos(&df->lines, st->from->span.start);
            printf("%u ", s);
            stage_label(stdout, st);
            printf(": FROM %.*s", (int)st->base_expanded.len, st->base_expanded.ptr);
            if (st->base_kind == DW_BASE_STAGE) printf(" (stage %d)", st->base_stage);
            else if (st->base_kind == DW_BASE_SCRATCH) printf(" (empty)");
            else if (!st->image.tag.len && !st->image.digest.len) printf(" (untagged)");
            if (st->platform.len) printf(" --platform=%.*s", (int)st->platform.len, st->platform.ptr);
            printf(", line %u, %u instruction%s%s\n", a.line, st->count, st->count == 1 ? "" : "s",
                   s + 1 == df->nstages ? ", final" : needed[s] ? "" : ", unreachable (never built)");
            for (uint32_t k = at[s]; k < at[s + 1]; k++) {
                const edge *ed = &edges[into[k]];
                if (!strcmp(ed->how, "FROM")) continue;
                printf("    uses %u ", ed->from);
                stage_label(stdout, &df->stages[ed->from]);
                printf(" (%s)\n", ed->how);
            }
        }
    } else {
        bool dot = !strcmp(format, "dot");
        printf(dot ? "digraph stages {\n  rankdir=LR;\n" : "graph LR\n");
        for (uint32_t s = 0; s < df->nstages; s++) {
            const dw_stage *st = &df->stages[s];
            printf(dot ? "  s%u [label=\"" : "  s%u[\"", s);
            stage_label(stdout, st);
            if (dot)
                printf("\"%s];\n", s + 1 == df->nstages ? ", shape=box, style=bold" : needed[s] ? "" : ", style=dashed");
            else
                printf("%s\"]\n", s + 1 == df->nstages ? " (final)" : needed[s] ? "" : " (unreachable)");
            int bl = (int)st->base_expanded.len;
            const char *bp = st->base_expanded.ptr;
            if (st->base_kind == DW_BASE_IMAGE && dot)
                printf("  i%u [label=\"%.*s\", shape=note];\n  i%u -> s%u;\n", s, bl, bp, s, s);
            else if (st->base_kind == DW_BASE_IMAGE)
                printf("  i%u([\"%.*s\"]) --> s%u\n", s, bl, bp, s);
        }
        for (uint32_t e = 0; e < n; e++) {
            if (dot) printf("  s%u -> s%u [label=\"%s\"];\n", edges[e].from, edges[e].to, edges[e].how);
            else printf("  s%u -->|%s| s%u\n", edges[e].from, edges[e].how, edges[e].to);
        }
        if (dot) printf("}\n");
    }
    int rc = 0;
    for (uint32_t i = 0; i < df->diags.n; i++) {
        dw_output_gnu_one(stderr, file, &df->lines, &df->diags.v[i]);
        rc = 1;
    }
    free(needed);
    free(at);
    free(into);
    free(edges);
    dw_dockerfile_free(df);
    return rc;
}
