/* suite_pathological.c — hostile inputs must finish, with a clear error
 * where they are invalid and no crash (the suite also runs under ASan and
 * UBSan). Inputs are built in memory; nothing asserts on time. */
#include "runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/dockerfile/dockerfile_int.h"

typedef struct {
    const char *name;
    void (*make)(dw_buf *b);
    const char *want_error; /* substring of a syntax-error message, or NULL for none */
    uint32_t min_instrs;
} patho;

static void mk_continuations(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN echo start \\\n");
    for (int i = 0; i < 100000; i++) dw_buf_puts(b, "  && echo x \\\n");
    dw_buf_puts(b, "  && echo done\nCMD [\"sh\"]\n");
}

static void mk_long_line(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN echo ");
    char chunk[4096];
    memset(chunk, 'a', sizeof chunk);
    for (int i = 0; i < 10 * 256; i++) dw_buf_put(b, chunk, sizeof chunk);
    dw_buf_puts(b, "\nUSER app\n");
}

static void mk_unterminated_heredoc(dw_buf *b) { dw_buf_puts(b, "FROM alpine\nRUN <<EOF\necho hi\nUSER app\n"); }

static void mk_nul(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN echo ");
    dw_buf_put(b, "\0\0x\0", 4);
    dw_buf_puts(b, "\nENV A=\0\n");
    dw_buf_put(b, "LABEL x=\0y\n", 11);
}

static void mk_invalid_utf8(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN echo \xff\xfe\xc3\nENV A=\xc3(\xa0 B=\"\xe2\x82\"\nLABEL \xf0\x9f\x98 x\n"
                   "CMD [\"\xff\"]\n\xc2\xa0USER \xed\xa0\x80\n");
}

static void mk_stages(dw_buf *b)
{
    for (int i = 0; i < 10000; i++) {
        if (i == 0) dw_buf_printf(b, "FROM alpine AS s%d\n", i);
        else dw_buf_printf(b, "FROM s%d AS s%d\nCOPY --from=s%d /a /b\n", i - 1, i, i / 2);
    }
}

/* each stage built FROM the previous one, each adding variables: the
 * environment must be shared down the chain, not copied (that was cubic) */
static void mk_stage_chain_env(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine AS s0\n");
    for (int i = 1; i < 10000; i++)
        dw_buf_printf(b, "FROM s%d AS s%d\nENV V%d=$V%d\nARG A%d=x\n", i - 1, i, i, i - 1, i);
}

/* a 40k-stage chain where every stage reads a variable of the root, one
 * of its parent and one set nowhere: each look-up must stop early (the
 * answers remembered on the way, the names set in the tree), not walk the
 * chain, which made this quadratic */
static void mk_deep_chain_lookups(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine AS s0\nENV ROOT=r\n");
    for (int i = 1; i < 40000; i++)
        dw_buf_printf(b, "FROM s%d AS s%d\nENV V%d=$ROOT W%d=${V%d:-x}\nWORKDIR /$NOPE%d\n", i - 1, i, i, i, i - 1, i);
}

static void mk_empty(dw_buf *b) { (void)b; }

static void mk_deep_json(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nCMD ");
    for (int i = 0; i < 60000; i++) dw_buf_putc(b, '[');
    dw_buf_puts(b, "\n");
}

static void mk_many_heredocs(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN cat");
    for (int i = 0; i < 5000; i++) dw_buf_printf(b, " <<E%d", i);
    dw_buf_puts(b, "\n");
    for (int i = 0; i < 5000; i++) dw_buf_printf(b, "body %d\nE%d\n", i, i);
}

static void mk_only_escape_lines(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\n");
    for (int i = 0; i < 50000; i++) dw_buf_puts(b, "\\\n");
    dw_buf_puts(b, "RUN x\n");
}

static void mk_cr_only(dw_buf *b)
{
    for (int i = 0; i < 100000; i++) dw_buf_puts(b, "\r");
    dw_buf_puts(b, "FROM alpine\r");
}

static void mk_many_flags(dw_buf *b)
{
    dw_buf_puts(b, "FROM alpine\nRUN");
    for (int i = 0; i < 2000; i++) dw_buf_puts(b, " --mount=type=cache,target=/x");
    dw_buf_puts(b, " echo\n");
}

static const patho cases[] = {
    {"100k continuation lines", mk_continuations, NULL, 3},
    {"10 MB line", mk_long_line, "BuildKit rejects lines over", 3},
    {"unterminated heredoc", mk_unterminated_heredoc, "unterminated heredoc", 2},
    {"NUL bytes", mk_nul, NULL, 3},
    {"invalid UTF-8", mk_invalid_utf8, NULL, 5},
    {"10k stages", mk_stages, NULL, 19999},
    {"10k-stage chain with ENV and ARG", mk_stage_chain_env, NULL, 29998},
    {"40k-stage chain of look-ups", mk_deep_chain_lookups, NULL, 119998},
    {"empty file", mk_empty, "empty", 0},
    {"60k nested brackets", mk_deep_json, NULL, 2},
    {"5k heredocs on one line", mk_many_heredocs, NULL, 2},
    {"50k lone escape lines", mk_only_escape_lines, NULL, 2},
    {"CR-only line ends", mk_cr_only, "BuildKit rejects lines over", 1},
    {"2k mount flags", mk_many_flags, NULL, 2},
};

/* Runs `dockwright check --format gnu` (with `config`: `dockwright
 * compose-config -f` on the file) on a folder holding one file
 * `name` with the text in b (freed); the output in *out (to free), or -1. */
static int run_on_text(const char *file, dw_buf *b, bool config, char **out)
{
    char dir[] = "/tmp/dw-patho-XXXXXX";
    *out = NULL;
    if (!mkdtemp(dir)) { dw_buf_free(b); return -1; }
    char path[64];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wb");
    bool wrote = f && fwrite(b->p, 1, b->n, f) == b->n;
    if (f) fclose(f);
    dw_buf_free(b);
    char *argv[] = {(char *)dw_binary(), "check", "--format", "gnu", dir, NULL};
    if (config) {
        argv[1] = "compose-config";
        argv[2] = "-f";
        argv[3] = path;
        argv[4] = NULL;
    }
    char *err = NULL;
    int rc = wrote ? run_capture(NULL, argv, out, NULL, &err, NULL) : -1;
    free(err);
    remove_tree(dir);
    return rc;
}

static int check_text(const char *file, dw_buf *b, char **out) { return run_on_text(file, b, false, out); }

/* True when the check of b (see check_text) ran and reported `want`
 * findings tagged [rule]; otherwise a failure of case `name` is recorded.
 * *out keeps the output (to free). */
static bool count_is(suite *s, const char *name, const char *file, dw_buf *b, const char *rule, size_t want,
                     char **out)
{
    int rc = check_text(file, b, out);
    char tag[96];
    snprintf(tag, sizeof tag, "[%s]", rule);
    size_t n = 0;
    for (const char *p = *out; p && (p = strstr(p, tag)); p++) n++;
    if (rc < 0) suite_fail(s, name, "could not run");
    else if (n != want) suite_fail(s, name, "%zu %s findings, not %zu", n, rule, want);
    return rc >= 0 && n == want;
}

/* A dclint comment naming a million rules (~12 MB) before the one it
 * means: every name is looked up, the real one still silences its rule. */
static void dclint_flood(suite *s)
{
    const char *name = "1M-name dclint comment";
    dw_buf b = {0};
    dw_buf_puts(&b, "# dclint disable");
    for (int i = 0; i < 1000000; i++) dw_buf_printf(&b, " no-such-rule-%d", i % 1000);
    dw_buf_puts(&b, " no-new-privileges\nservices:\n  web:\n    image: nginx:1.27\n");
    char *out;
    int rc = check_text("compose.yaml", &b, &out);
    if (rc < 0) suite_fail(s, name, "could not run");
    else if (out && strstr(out, "[no-new-privileges]")) suite_fail(s, name, "the named rule was not silenced");
    else if (!out || !strstr(out, "[read-only-rootfs]")) suite_fail(s, name, "the other rules were silenced too: %s", out ? out : "");
    else suite_pass(s);
    free(out);
}

/* 10,000 ENV in one stage, each reading a name nobody sets: BuildKit
 * compares every undefined name with every variable for "did you mean"
 * (quadratic); the first findings still get a suggestion. */
static void undefined_flood(suite *s)
{
    const char *name = "10k undefined variables among 10k";
    dw_buf b = {0};
    dw_buf_puts(&b, "FROM alpine:3.20\n");
    for (int i = 0; i < 10000; i++) dw_buf_printf(&b, "ENV V%d=$V%dx\n", i, i / 2);
    char *out;
    if (count_is(s, name, "Dockerfile", &b, "undefined-var", 10000, &out)) {
        if (!strstr(out, "(did you mean $V3?)")) suite_fail(s, name, "no suggestion on the first findings");
        else suite_pass(s);
    }
    free(out);
}

/* 10,000 services each using an undeclared network: every load error was
 * appended by copying all the earlier ones (quadratic memory: ~400 MB
 * here, gigabytes a little further). */
static void compose_error_flood(suite *s)
{
    const char *name = "10k Compose load errors";
    dw_buf b = {0};
    dw_buf_puts(&b, "services:\n");
    for (int i = 0; i < 10000; i++) dw_buf_printf(&b, "  s%d:\n    image: nginx:1.27\n    networks: [n%d]\n", i, i);
    char *out;
    if (count_is(s, name, "compose.yaml", &b, "undeclared-network", 10000, &out)) suite_pass(s);
    free(out);
}

/* A RUN heredoc of 20,000 `apk add` lines: each asked whether a later
 * command of the RUN deletes the cache, scanning the rest (quadratic). */
static void long_heredoc(suite *s)
{
    const char *name = "20k-line RUN heredoc";
    dw_buf b = {0};
    dw_buf_puts(&b, "FROM alpine:3.20\nRUN <<EOF\n");
    for (int i = 0; i < 20000; i++) dw_buf_printf(&b, "apk add p%d\n", i);
    dw_buf_puts(&b, "EOF\n");
    char *out;
    if (count_is(s, name, "Dockerfile", &b, "apk-no-cache", 20000, &out)) suite_pass(s);
    free(out);
}

/* compose-config on a service with 20,000 environment items (and the
 * first key again at the end): each key was looked for among all the
 * earlier ones (quadratic); the last value still wins. */
static void config_env_flood(suite *s)
{
    const char *name = "compose-config with 20k environment items";
    dw_buf b = {0};
    dw_buf_puts(&b, "services:\n  web:\n    image: nginx:1.27\n    environment:\n");
    for (int i = 0; i < 20000; i++) dw_buf_printf(&b, "      - K%d=v%d\n", i, i);
    dw_buf_puts(&b, "      - K0=last\n");
    char *out;
    int rc = run_on_text("compose.yaml", &b, true, &out);
    size_t n = 0;
    for (const char *p = out; p && (p = strstr(p, "\n      K")); p++) n++;
    if (rc != 0) suite_fail(s, name, "status %d", rc);
    else if (n != 20000) suite_fail(s, name, "%zu variables printed, not 20000", n);
    else if (!strstr(out, "\n      K0: last\n")) suite_fail(s, name, "K0 does not keep its last value");
    else suite_pass(s);
    free(out);
}

void suite_pathological(void)
{
    suite s;
    suite_begin(&s, "pathological");
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        dw_buf b = {0};
        cases[i].make(&b);
        dw_dockerfile *df = dw_dockerfile_parse("patho", b.p ? b.p : "", b.n, NULL);
        if (!df) { suite_fail(&s, cases[i].name, "parse returned NULL"); dw_buf_free(&b); continue; }
        const char *found = NULL;
        for (uint32_t k = 0; k < df->diags.n; k++)
            if (!strcmp(df->diags.v[k].rule, "syntax-error")) { found = df->diags.v[k].message; break; }
        bool ok = true;
        char why[300] = "";
        if (cases[i].want_error && (!found || !strstr(found, cases[i].want_error))) {
            ok = false;
            snprintf(why, sizeof why, "expected a syntax-error containing '%s', got '%s'", cases[i].want_error,
                     found ? found : "(none)");
        } else if (!cases[i].want_error && found) {
            ok = false;
            snprintf(why, sizeof why, "unexpected syntax-error: %.200s", found);
        } else if (df->ninstrs < cases[i].min_instrs) {
            ok = false;
            snprintf(why, sizeof why, "expected at least %u instructions, got %u", cases[i].min_instrs, df->ninstrs);
        }
        /* the dump must not crash either */
        FILE *null = fopen("/dev/null", "w");
        if (null) { dw_dockerfile_dump(df, null); fclose(null); }
        if (ok) suite_pass(&s);
        else suite_fail(&s, cases[i].name, "%s", why);
        dw_dockerfile_free(df);
        dw_buf_free(&b);
    }
    dclint_flood(&s);
    undefined_flood(&s);
    compose_error_flood(&s);
    long_heredoc(&s);
    config_env_flood(&s);
    suite_end(&s);
}
