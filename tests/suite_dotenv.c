/* suite_dotenv.c — the compose-dotenv suite: env files parsed as
 * compose-go's dotenv parser parses them (../shared/corpus/compose-dotenv,
 * formats in its README):
 *
 *  - expected.tsv: each fixture parsed with no lookup gives exactly the
 *    listed keys and values (the complete result: one extra assertion per
 *    file that no other key is set), `\N` keys absent, ERROR files failing;
 *  - expected-with-lookup.tsv: the same with the row's variables as the
 *    lookup (the OS environment in compose-go's tests);
 *  - inline-cases.tsv: each input text gives the key's value, or fails
 *    with a message containing `error_contains`. */
#include "runner.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/compose/compose.h"

/* The corpus escapes (corpus_unescape); a whole `\N` is "absent". */
static char *unescape(const char *s, size_t *outlen)
{
    size_t n;
    char *o = corpus_unescape(s, strlen(s), &n);
    if (outlen) *outlen = n;
    return o;
}

/* ---- TSV rows, any number of columns ---- */

typedef struct {
    char *col[4];
    int ncol, line;
} row;

static row *read_tsv(const char *path, int *nrows)
{
    char *text = slurp(path, NULL);
    *nrows = 0;
    if (!text) return NULL;
    int cap = 64, n = 0, line = 0;
    row *rows = malloc(sizeof *rows * (size_t)cap);
    for (char *p = text, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        if (!nl) nl = p + strlen(p);
        if (++line > 1) {
            if (n == cap) rows = realloc(rows, sizeof *rows * (size_t)(cap *= 2));
            row *r = &rows[n++];
            r->ncol = 0;
            r->line = line;
            for (char *c = p; r->ncol < 4;) {
                char *tab = memchr(c, '\t', (size_t)(nl - c));
                char *end = tab ? tab : nl;
                r->col[r->ncol++] = strndup(c, (size_t)(end - c));
                if (!tab) break;
                c = tab + 1;
            }
            for (int k = r->ncol; k < 4; k++) r->col[k] = strdup("");
        }
        if (!*nl) break;
    }
    free(text);
    *nrows = n;
    return rows;
}

static void free_rows(row *rows, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 4; k++) free(rows[i].col[k]);
    free(rows);
}

/* ---- lookups ---- */

typedef struct {
    char *names[16], *values[16];
    int n;
} env;

static void env_parse(env *e, const char *col)
{
    e->n = 0;
    for (const char *p = col; *p && e->n < 16;) {
        const char *sep = strstr(p, "\\n");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        const char *eq = memchr(p, '=', len);
        if (eq) {
            e->names[e->n] = strndup(p, (size_t)(eq - p));
            e->values[e->n++] = strndup(eq + 1, len - (size_t)(eq - p) - 1);
        }
        p += len + (sep ? 2 : 0);
    }
}

static void env_free(env *e)
{
    for (int i = 0; i < e->n; i++) {
        free(e->names[i]);
        free(e->values[i]);
    }
}

static const char *env_lookup(void *ud, const char *name, size_t len)
{
    env *e = ud;
    for (int i = 0; e && i < e->n; i++)
        if (strlen(e->names[i]) == len && !memcmp(e->names[i], name, len)) return e->values[i];
    return NULL;
}

/* ---- results ---- */

typedef struct {
    dw_arena a;
    dw_dotenv_entry *v;
    uint32_t n;
    int rc;
    const char *err;
} result;

static void parse_text(result *r, const char *text, size_t len, env *e)
{
    dw_arena_init(&r->a);
    uint32_t line;
    r->err = NULL;
    r->rc = dw_dotenv_parse(&r->a, text, len, env_lookup, e, &r->v, &r->n, &r->err, &line);
}

/* The value compose-go's map holds for `key`: the last entry with a value. */
static const dw_dotenv_entry *final(const result *r, const char *key)
{
    const dw_dotenv_entry *found = NULL;
    for (uint32_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].key, key) && r->v[i].value) found = &r->v[i];
    return found;
}

static void expect_value(suite *s, const char *name, const result *r, const char *key, const char *escaped)
{
    const dw_dotenv_entry *e = final(r, key);
    if (!strcmp(escaped, "\\N")) {
        if (e) suite_fail(s, name, "%s should be absent, is \"%s\"", key, e->value);
        else suite_pass(s);
        return;
    }
    size_t want_len;
    char *want = unescape(escaped, &want_len);
    if (!e) suite_fail(s, name, "%s is not set, expected \"%s\"", key, escaped);
    else if (e->value_len != want_len || memcmp(e->value, want, want_len))
        suite_fail(s, name, "%s is \"%s\", expected \"%s\"", key, e->value, escaped);
    else suite_pass(s);
    free(want);
}

/* The complete result: every key set is one the rows list with a value. */
static void expect_no_other(suite *s, const char *name, const result *r, row *rows, int n, int from, int to,
                            int keycol, int valcol)
{
    for (uint32_t i = 0; i < r->n; i++) {
        if (!r->v[i].value) continue;
        bool listed = false;
        for (int k = from; k < to && !listed; k++)
            listed = (int)k < n && !strcmp(rows[k].col[keycol], r->v[i].key) && strcmp(rows[k].col[valcol], "\\N");
        if (!listed) {
            suite_fail(s, name, "unexpected key %s=\"%s\"", r->v[i].key, r->v[i].value);
            return;
        }
    }
    suite_pass(s);
}

/* Runs the rows [from, to) of one fixture file (key column keycol). */
static void run_fixture(suite *s, const char *tsv, row *rows, int n, int from, int to, int keycol, int valcol,
                        env *e)
{
    char path[600], name[300];
    snprintf(path, sizeof path, "compose-dotenv/fixtures/%s", rows[from].col[0]);
    const char *p = corpus_path(path);
    snprintf(name, sizeof name, "%s: %s", tsv, rows[from].col[0]);
    size_t len;
    char *text = p ? slurp(p, &len) : NULL;
    if (!text) {
        suite_fail(s, name, "fixture not found");
        return;
    }
    result r;
    parse_text(&r, text, len, e);
    if (!strcmp(rows[from].col[valcol], "ERROR") && !rows[from].col[keycol][0]) {
        if (r.rc == 0) suite_fail(s, name, "should not parse");
        else suite_pass(s);
    } else if (r.rc != 0) {
        suite_fail(s, name, "does not parse: %s", r.err);
    } else {
        for (int k = from; k < to; k++) {
            char rn[400];
            snprintf(rn, sizeof rn, "%s line %d", tsv, rows[k].line);
            expect_value(s, rn, &r, rows[k].col[keycol], rows[k].col[valcol]);
        }
        expect_no_other(s, name, &r, rows, n, from, to, keycol, valcol);
    }
    dw_arena_free(&r.a);
    free(text);
}

static void fixtures(suite *s, const char *tsv, bool with_lookup)
{
    char sub[300];
    snprintf(sub, sizeof sub, "compose-dotenv/%s", tsv);
    const char *p = corpus_path(sub);
    if (!p) {
        suite_skip(s, 1, "corpus not found");
        return;
    }
    int n;
    row *rows = read_tsv(p, &n);
    int keycol = with_lookup ? 2 : 1, valcol = keycol + 1;
    for (int from = 0; from < n;) {
        int to = from + 1;
        /* a group: the same file (and the same lookup) */
        while (to < n && !strcmp(rows[to].col[0], rows[from].col[0]) &&
               (!with_lookup || !strcmp(rows[to].col[1], rows[from].col[1])))
            to++;
        env e = {0};
        if (with_lookup) env_parse(&e, rows[from].col[1]);
        run_fixture(s, tsv, rows, n, from, to, keycol, valcol, with_lookup ? &e : NULL);
        env_free(&e);
        from = to;
    }
    free_rows(rows, n);
}

static void inline_cases(suite *s)
{
    const char *p = corpus_path("compose-dotenv/inline-cases.tsv");
    if (!p) {
        suite_skip(s, 1, "corpus not found");
        return;
    }
    int n;
    row *rows = read_tsv(p, &n);
    for (int i = 0; i < n; i++) {
        row *r = &rows[i];
        char name[300];
        snprintf(name, sizeof name, "inline-cases.tsv line %d", r->line);
        size_t len;
        char *text = unescape(r->col[0], &len);
        result res;
        parse_text(&res, text, len, NULL);
        if (!strcmp(r->col[2], "ERROR") && !r->col[1][0]) {
            if (res.rc == 0) suite_fail(s, name, "should not parse");
            else if (!strstr(res.err, r->col[3])) suite_fail(s, name, "message \"%s\" lacks \"%s\"", res.err, r->col[3]);
            else suite_pass(s);
        } else if (res.rc != 0) {
            suite_fail(s, name, "does not parse: %s", res.err);
        } else {
            expect_value(s, name, &res, r->col[1], r->col[2]);
        }
        dw_arena_free(&res.a);
        free(text);
    }
    free_rows(rows, n);
}

void suite_compose_dotenv(void)
{
    suite s;
    suite_begin(&s, "compose-dotenv");
    fixtures(&s, "expected.tsv", false);
    fixtures(&s, "expected-with-lookup.tsv", true);
    inline_cases(&s);
    suite_end(&s);
}
