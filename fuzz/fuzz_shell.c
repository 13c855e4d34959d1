/* fuzz_shell.c — libFuzzer harness for the shell parser and the command
 * model. Each input is used twice: as a script on its own (bytes mapped
 * one to one to offsets), and as a Dockerfile whose first line is a RUN
 * (continuations, heredocs, exec form, ONBUILD, SHELL all reachable). Any
 * crash, leak or undefined behaviour fails, and so does a broken invariant:
 * every span inside the file, every part inside its word's value, every
 * command's links and indices consistent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/shell/sh_cmd.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_span(dw_span s, uint32_t len)
{
    if (s.start > s.end || s.end > len) abort();
}

static void check_word(const sh_word *w, uint32_t len, dw_arena *a)
{
    check_span(w->span, len);
    if (!w->nparts) abort();
    for (uint32_t i = 0; i < w->nparts; i++)
        if ((size_t)w->parts[i].voff + w->parts[i].vlen > w->value.len) abort();
    for (uint32_t i = 0; i < w->nsegs; i++)
        if ((size_t)w->segs[i].voff + w->segs[i].len > w->value.len) abort();
    dw_str h = sh_word_hadolint(a, w);
    if (h.len && !h.ptr) abort();
}

static void check_run(const sh_run *r, uint32_t len, dw_arena *a)
{
    for (uint32_t i = 0; i < r->ncmds; i++) {
        const sh_cmd *c = &r->cmds[i];
        if (c->index != i || !c->argc || !c->node) abort();
        if (c->wrapper && (c->wrapper->wrapped != c || c->wrapper->index >= i)) abort();
        for (uint32_t k = 0; k < c->argc; k++) check_word(&c->argv[k], len, a);
        for (uint32_t k = 0; k < c->npos; k++)
            if (c->pos[k] < c->argv || c->pos[k] >= c->argv + c->argc) abort();
        check_span(c->node->span, len);
        (void)sh_cmd_has_flag(c, "y");
        (void)sh_cmd_has_any_flag(c, "-y", "--yes", NULL);
        (void)sh_cmd_subcommand_is(c, "install");
        (void)sh_cmd_assign(c, "DEBIAN_FRONTEND");
        for (uint32_t k = 0; k < c->node->nredirs; k++) {
            const sh_redir *rd = &c->node->redirs[k];
            check_span(rd->span, len);
            if (rd->heredoc && rd->heredoc->found) check_span(rd->heredoc->body_span, len);
        }
    }
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    if (size > (1u << 20)) return 0;
    const char *text = (const char *)data;

    /* 1. the bytes as a script */
    dw_arena a;
    dw_arena_init(&a);
    sh_run run;
    memset(&run, 0, sizeof run);
    sh_script *sc = sh_parse(&a, dw_str_make(text, size), sh_map_file(&a, text, (uint32_t)size, 0), NULL);
    run.scripts = &sc;
    run.nscripts = 1;
    sh_run_build(&a, &run, text, (uint32_t)size);
    check_span(sc->root->span, (uint32_t)size);
    check_run(&run, (uint32_t)size, &a);
    dw_arena_free(&a);

    /* 2. a Dockerfile starting with RUN */
    char *buf = malloc(size + 4);
    if (!buf) return 0;
    memcpy(buf, "RUN ", 4);
    if (size) memcpy(buf + 4, data, size);
    dw_dockerfile *df = dw_dockerfile_parse("fuzz", buf, size + 4, NULL);
    free(buf);
    if (df) {
        sh_run **runs = sh_runs_parse(&df->arena, df);
        for (uint32_t i = 0; i < df->ninstrs; i++)
            if (runs[i]) check_run(runs[i], df->len, &df->arena);
        dw_dockerfile_free(df);
    }
    return 0;
}
