/* suite_shell.c — tests of the shell-word lexer (src/dockerfile/shell_lex.c):
 * the buildkit-shell corpus (envVarTest, wordsTest, processWord.jsonl), one
 * pass or fail per row, and a table of our own unit cases. */
#include "runner.h"

#include "../src/dockerfile/shell_lex.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---------------------------------------------------------- */

/* Iterates over the lines of a buffer the way Go's bufio.Scanner does: the
 * line terminator (and a CR before it) is not part of the line, and a final
 * newline does not start another line. Returns false when there are no
 * more lines. */
static bool next_line(const char *data, size_t len, size_t *pos, dw_str *line)
{
    if (*pos >= len) return false;
    const char *start = data + *pos;
    const char *nl = memchr(start, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - start) : len - *pos;
    *pos += n + (nl ? 1 : 0);
    if (n > 0 && start[n - 1] == '\r') n--;
    *line = dw_str_make(start, n);
    return true;
}

/* Removes leading spaces (only ' '), like Go's strings.TrimLeft(s, " "). */
static dw_str trim_left_blanks(dw_str s)
{
    while (s.len && s.ptr[0] == ' ') {
        s.ptr++;
        s.len--;
    }
    return s;
}

/* Splits s on `sep` into at most max fields; returns the number of fields
 * found (which may exceed max: the extra ones are not stored). */
static size_t split_fields(dw_str s, char sep, dw_str *fields, size_t max)
{
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= s.len; i++) {
        if (i == s.len || s.ptr[i] == sep) {
            if (n < max) fields[n] = dw_str_sub(s, start, i);
            n++;
            start = i + 1;
        }
    }
    return n;
}

/* Joins words with '|' into a static buffer (for messages and comparisons). */
static const char *join_words(const dw_str *w, uint32_t n, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = 0;
    for (uint32_t i = 0; i < n && used + 1 < size; i++) {
        int k = snprintf(buf + used, size - used, "%s%.*s", i ? "|" : "", (int)w[i].len, w[i].ptr);
        if (k < 0) break;
        used += (size_t)k;
        if (used >= size) used = size - 1;
    }
    return buf;
}

/* True when the name set holds exactly the names of the JSON array `want`. */
static bool names_equal_json(const dw_names *got, json_t *want)
{
    if (json_array_size(want) != got->n) return false;
    size_t i;
    json_t *v;
    json_array_foreach(want, i, v) {
        dw_str w = dw_str_make(json_string_value(v), json_string_length(v));
        bool found = false;
        for (uint32_t j = 0; j < got->n && !found; j++) found = dw_str_eq(got->v[j], w);
        if (!found) return false;
    }
    return true;
}

/* Formats a name set as "a,b,c" for failure messages. */
static const char *names_text(const dw_names *ns, char *buf, size_t size)
{
    return join_words(ns->v, ns->n, buf, size);
}

/* Joins a directory and a file name into buf. */
static const char *path_join(char *buf, size_t size, const char *dir, const char *file)
{
    snprintf(buf, size, "%s/%s", dir, file);
    return buf;
}

/* ---- envVarTest ------------------------------------------------------- */

/* TestShellParser4EnvVars: PLATFORM|source|expected rows through
 * ProcessWord with a backslash lexer. A and U rows use the Unix environment;
 * W rows a case-insensitive (Windows) one. */
static void run_env_var_test(suite *s, const char *dir)
{
    char path[4096 + 64];
    size_t len;
    char *data = slurp(path_join(path, sizeof path, dir, "envVarTest"), &len);
    if (!data) {
        suite_fail(s, "envVarTest", "cannot read %s", path);
        return;
    }
    dw_arena a;
    dw_arena_init(&a);
    dw_env unix_env = {0}, win_env = {0};
    win_env.fold_case = true;
    static const char *const vars[][2] = {
        {"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        dw_env_set(&a, &unix_env, dw_str_c(vars[i][0]), dw_str_c(vars[i][1]));
        dw_env_set(&a, &win_env, dw_str_c(vars[i][0]), dw_str_c(vars[i][1]));
    }
    dw_lexer lx = {0};
    lx.escape = '\\';

    size_t pos = 0;
    unsigned lineno = 0;
    dw_str line;
    while (next_line(data, len, &pos, &line)) {
        lineno++;
        if (line.len && line.ptr[0] == '#') continue;
        line = dw_str_trim_space(line);
        if (line.len == 0) continue;
        char name[64];
        snprintf(name, sizeof name, "envVarTest:%u", lineno);
        dw_str f[3];
        if (split_fields(line, '|', f, 3) != 3) {
            suite_fail(s, name, "malformed row %.*s", (int)line.len, line.ptr);
            continue;
        }
        dw_str platform = dw_str_trim_space(f[0]), source = dw_str_trim_space(f[1]),
               expected = dw_str_trim_space(f[2]);
        bool windows = dw_str_eqc(platform, "W");
        if (!windows && !dw_str_eqc(platform, "A") && !dw_str_eqc(platform, "U")) {
            suite_fail(s, name, "unknown platform %.*s", (int)platform.len, platform.ptr);
            continue;
        }
        const dw_env *env = windows ? &win_env : &unix_env;
        dw_str out;
        const char *err = NULL;
        int rc = dw_lex_process_word(&a, &lx, source, env, &out, NULL, NULL, &err);
        if (dw_str_eqc(expected, "error")) {
            if (rc != 0) suite_pass(s);
            else
                suite_fail(s, name, "%.*s: expected an error, got \"%.*s\"", (int)source.len,
                           source.ptr, (int)out.len, out.ptr);
        } else if (rc != 0) {
            suite_fail(s, name, "%.*s: unexpected error: %s", (int)source.len, source.ptr, err);
        } else if (!dw_str_eq(out, expected)) {
            suite_fail(s, name, "%.*s: expected \"%.*s\", got \"%.*s\"", (int)source.len,
                       source.ptr, (int)expected.len, expected.ptr, (int)out.len, out.ptr);
        } else {
            suite_pass(s);
        }
    }
    dw_arena_free(&a);
    free(data);
}

/* ---- wordsTest -------------------------------------------------------- */

/* TestShellParser4Words: "ENV name=value" lines add to the environment;
 * "input | w1,w2" rows go through ProcessWords ("error" = must fail). */
static void run_words_test(suite *s, const char *dir)
{
    char path[4096 + 64];
    size_t len;
    char *data = slurp(path_join(path, sizeof path, dir, "wordsTest"), &len);
    if (!data) {
        suite_fail(s, "wordsTest", "cannot read %s", path);
        return;
    }
    dw_arena a;
    dw_arena_init(&a);
    dw_env env = {0};
    dw_lexer lx = {0};
    lx.escape = '\\';

    size_t pos = 0;
    unsigned lineno = 0;
    dw_str line;
    while (next_line(data, len, &pos, &line)) {
        lineno++;
        if (line.len && line.ptr[0] == '#') continue;
        if (dw_str_has_prefix(line, "ENV ")) {
            dw_str kv = trim_left_blanks(dw_str_sub(line, 3, line.len));
            const char *eq = dw_str_chr(kv, '=');
            size_t cut = eq ? (size_t)(eq - kv.ptr) : kv.len;
            dw_str value = eq ? dw_str_sub(kv, cut + 1, kv.len) : dw_str_make("", 0);
            dw_env_set(&a, &env, dw_str_sub(kv, 0, cut), value);
            continue;
        }
        if (dw_str_trim_space(line).len == 0) continue;
        char name[64];
        snprintf(name, sizeof name, "wordsTest:%u", lineno);
        dw_str f[2];
        if (split_fields(line, '|', f, 2) != 2) {
            suite_fail(s, name, "malformed row %.*s", (int)line.len, line.ptr);
            continue;
        }
        dw_str input = dw_str_trim_space(f[0]);
        dw_str expected = trim_left_blanks(f[1]);

        dw_str *words = NULL;
        uint32_t n = 0;
        const char *err = NULL;
        char got[2048];
        if (dw_lex_process_words(&a, &lx, input, &env, &words, &n, &err) != 0)
            snprintf(got, sizeof got, "error");
        else
            join_words(words, n, got, sizeof got);
        /* the expected list joined with '|' instead of ',' */
        char want[2048];
        snprintf(want, sizeof want, "%.*s", (int)expected.len, expected.ptr);
        for (char *p = want; *p; p++)
            if (*p == ',') *p = '|';
        if (strcmp(got, want) == 0 && !(n == 0 && strcmp(want, "") == 0))
            suite_pass(s);
        else
            suite_fail(s, name, "%.*s: expected [%s], got [%s]%s%s", (int)input.len, input.ptr,
                       want, got, err ? ": " : "", err ? err : "");
    }
    dw_arena_free(&a);
    free(data);
}

/* ---- processWord.jsonl ------------------------------------------------ */

/* Checks one processWord.jsonl row; returns NULL when it passes, else a
 * description of the difference (static or in the arena). */
static const char *check_process_word_row(dw_arena *a, json_t *row)
{
    json_t *jin = json_object_get(row, "input");
    json_t *jenv = json_object_get(row, "env");
    if (!json_is_string(jin)) return "row has no input";
    dw_str input = dw_str_make(json_string_value(jin), json_string_length(jin));
    dw_env env = {0};
    if (json_is_object(jenv)) {
        const char *key;
        json_t *val;
        json_object_foreach(jenv, key, val) {
            dw_str v = dw_str_make(json_string_value(val), json_string_length(val));
            dw_env_set(a, &env, dw_str_dup(a, dw_str_c(key)), dw_str_dup(a, v));
        }
    }
    dw_lexer lx = {0};
    lx.escape = '\\';
    dw_names matched = {0}, unmatched = {0};
    dw_str out;
    const char *err = NULL;
    int rc = dw_lex_process_word(a, &lx, input, &env, &out, &matched, &unmatched, &err);

    if (json_is_true(json_object_get(row, "error"))) {
        if (rc == 0)
            return dw_arena_printf(a, "expected an error, got \"%.*s\"", (int)out.len, out.ptr);
        json_t *jc = json_object_get(row, "error_contains");
        if (json_is_string(jc) && !strstr(err, json_string_value(jc)))
            return dw_arena_printf(a, "error \"%s\" does not contain \"%s\"", err,
                                   json_string_value(jc));
        return NULL;
    }
    if (rc != 0) return dw_arena_printf(a, "unexpected error: %s", err);
    json_t *jexp = json_object_get(row, "expected");
    dw_str expected = dw_str_make(json_string_value(jexp), json_string_length(jexp));
    if (!dw_str_eq(out, expected))
        return dw_arena_printf(a, "expected \"%.*s\", got \"%.*s\"", (int)expected.len,
                               expected.ptr, (int)out.len, out.ptr);
    char buf[1024];
    json_t *jm = json_object_get(row, "matched"), *ju = json_object_get(row, "unmatched");
    if (jm && !names_equal_json(&matched, jm))
        return dw_arena_printf(a, "matched names differ: got {%s}",
                               names_text(&matched, buf, sizeof buf));
    if (ju && !names_equal_json(&unmatched, ju))
        return dw_arena_printf(a, "unmatched names differ: got {%s}",
                               names_text(&unmatched, buf, sizeof buf));
    return NULL;
}

/* TestProcessWithMatches and friends: one JSON object per line. */
static void run_process_word(suite *s, const char *dir)
{
    char path[4096 + 64];
    size_t len;
    char *data = slurp(path_join(path, sizeof path, dir, "processWord.jsonl"), &len);
    if (!data) {
        suite_fail(s, "processWord.jsonl", "cannot read %s", path);
        return;
    }
    size_t pos = 0;
    unsigned lineno = 0;
    dw_str line;
    while (next_line(data, len, &pos, &line)) {
        lineno++;
        if (dw_str_trim_space(line).len == 0) continue;
        char name[64];
        snprintf(name, sizeof name, "processWord.jsonl:%u", lineno);
        json_error_t jerr;
        json_t *row = json_loadb(line.ptr, line.len, 0, &jerr);
        if (!row) {
            suite_fail(s, name, "bad JSON: %s", jerr.text);
            continue;
        }
        dw_arena a;
        dw_arena_init(&a);
        const char *why = check_process_word_row(&a, row);
        if (why) {
            json_t *jin = json_object_get(row, "input");
            suite_fail(s, name, "%s: %s", json_is_string(jin) ? json_string_value(jin) : "?", why);
        } else {
            suite_pass(s);
        }
        dw_arena_free(&a);
        json_decref(row);
    }
    free(data);
}

/* The buildkit-shell corpus: every row of the three files is one case. */
void suite_buildkit_shell(void)
{
    suite s;
    suite_begin(&s, "buildkit-shell");
    const char *p = corpus_path("buildkit-shell");
    if (!p) {
        suite_skip(&s, 1, "corpus absent");
        suite_end(&s);
        return;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", p);
    run_env_var_test(&s, dir);
    run_words_test(&s, dir);
    run_process_word(&s, dir);
    suite_end(&s);
}

/* ---- unit cases ------------------------------------------------------- */

enum {
    U_RAWQ = 1,   /* raw_quotes */
    U_RAWE = 2,   /* raw_escapes */
    U_SKIPU = 4,  /* skip_unset_env */
    U_SKIPQ = 8,  /* skip_process_quotes */
    U_FOLD = 16,  /* Windows environment */
    U_WORDS = 32, /* ProcessWords; expected words joined with '|' */
};

typedef struct {
    const char *name;
    char escape;
    unsigned flags;
    const char *input;
    const char *env[4];     /* "NAME=value", NULL-terminated */
    const char *expected;   /* NULL when an error is expected */
    const char *error;      /* the exact error text, when expected */
    const char *matched;    /* "a|b" in first-seen order, or NULL: not checked */
    const char *unmatched;
} unit_case;

/* Fields: name, escape, flags, input, env, then expected output (or NULL)
 * and expected error; then matched / unmatched names (NULL: unchecked). */
static const unit_case unit_cases[] = {
    {"backtick escape outside quotes", '`', 0,
     "a`$PWD b\\c`", {"PWD=/home"}, "a$PWD b\\c", NULL, "", ""},
    {"backtick escape inside double quotes", '`', 0,
     "\"x`\"y`$z`w\"", {NULL}, "x\"y$z`w", NULL, "", ""},
    {"backslash escapes", '\\', 0,
     "a\\ b\"c\\d\\\"\"'\\e'\\", {NULL}, "a bc\\d\"\\e", NULL, NULL, NULL},
    {"bad substitution", '\\', 0,
     "he${}", {NULL}, NULL, "syntax error: bad substitution", NULL, NULL},
    {"missing brace", '\\', 0,
     "x${a:-b", {NULL}, NULL, "syntax error: missing '}'", NULL, NULL},
    {"unsupported modifier", '\\', 0,
     "${a.b}", {NULL}, NULL, "unsupported modifier (.) in substitution", "", ""},
    {"unsupported :=", '\\', 0,
     "${a:=b}", {NULL}, NULL, "unsupported modifier (:=) in substitution", "", "a"},
    {"unsupported :#", '\\', 0,
     "${a:#b}", {"a=x"}, NULL, "unsupported modifier (:#) in substitution", NULL, NULL},
    {"missing slash", '\\', 0,
     "${a/x}", {NULL}, NULL, "syntax error: missing '/' in ${}", NULL, NULL},
    {"invalid pattern escape", '\\', 0,
     "${a#\\a}", {"a=abc"}, NULL, "invalid pattern (\\a) in substitution: invalid escape '\\a'",
     NULL, NULL},
    {"required but unset", '\\', 0,
     "${v:?}", {NULL}, NULL, "v: is not allowed to be unset", NULL, NULL},
    {"required but empty, own message", '\\', 0,
     "${v:?need $w}", {"v=", "w=x"}, NULL, "v: need x", NULL, NULL},
    {"unterminated single quote", '\\', 0,
     "'abc", {NULL}, NULL, "unexpected end of statement while looking for matching single-quote",
     NULL, NULL},
    {"raw quotes", '\\', U_RAWQ,
     "\"a $v\"'$v'", {"v=b"}, "\"a b\"'$v'", NULL, "v", ""},
    {"raw escapes", '\\', U_RAWE,
     "a\\ b\\$x", {NULL}, "a\\ b\\$x", NULL, "", ""},
    {"skip unset env", '\\', U_SKIPU,
     "$X ${Y} ${Y:-d} ${Z/a/b} $PWD", {"PWD=/home"}, "$X ${Y} ${Y:-d} ${Z/a/b} /home", NULL,
     "PWD", "X|Y|Z"},
    {"skip process quotes", '\\', U_SKIPQ,
     "'$PWD' \"x\"", {"PWD=/home"}, "'/home' \"x\"", NULL, NULL, NULL},
    {"windows names fold case", '\\', U_FOLD,
     "$pwd ${Pwd}", {"PWD=/home"}, "/home /home", NULL, "pwd|Pwd", ""},
    {"words: variables split, quotes do not", '\\', U_WORDS,
     "x${v}y \"$v\"", {"v=a  b"}, "xa|by|a  b", NULL, NULL, NULL},
    {"words: heredoc operator keeps its blanks", '\\', U_WORDS,
     "cat << EOF x", {NULL}, "cat|<< EOF|x", NULL, NULL, NULL},
    /* upstream shares the partial word with nested scans, which reset it */
    {"words: nested expansion restarts the word", '\\', U_WORDS,
     "ab${x:-c}d e", {NULL}, "cd|e", NULL, NULL, NULL},
    {"prefix and suffix removal", '\\', 0,
     "${v%.*} ${v%%.*} ${v#*.} ${v##*.}", {"v=a.b.c"}, "a.b a b.c c", NULL, "v", ""},
    {"wildcards do not match a newline", '\\', 0,
     "${v#*b}|${w#*b}", {"v=a\nb", "w=ab"}, "a\nb|", NULL, NULL, NULL},
    {"replace-all expands $0, replace-first does not", '\\', 0,
     "${v//o/'<$0>'} ${v/o/'<$0>'}", {"v=foo"}, "f<o><o> f<$0>o", NULL, NULL, NULL},
    {"replace with escaped slashes", '\\', 0,
     "${v//\\//\\\\}", {"v=/a/b"}, "\\\\a\\\\b", NULL, NULL, NULL},
    {"unicode names; digits and specials", '\\', 0,
     "$été-$1x-$@y-${ü:-d}", {"été=summer"}, "summer-x-y-d", NULL, "été", "1|@|ü"},
    {"byte order mark skipped, invalid UTF-8 replaced", '\\', 0,
     "\xEF\xBB\xBF" "a\xFF" "b", {NULL}, "a\xEF\xBF\xBD" "b", NULL, NULL, NULL},
};

/* Runs one unit case; returns NULL when it passes, else why not (in a). */
static const char *run_unit_case(dw_arena *a, const unit_case *c)
{
    dw_env env = {0};
    env.fold_case = (c->flags & U_FOLD) != 0;
    for (size_t i = 0; i < 4 && c->env[i]; i++) {
        const char *eq = strchr(c->env[i], '=');
        dw_env_set(a, &env, dw_str_make(c->env[i], (size_t)(eq - c->env[i])), dw_str_c(eq + 1));
    }
    dw_lexer lx = {0};
    lx.escape = c->escape;
    lx.raw_quotes = (c->flags & U_RAWQ) != 0;
    lx.raw_escapes = (c->flags & U_RAWE) != 0;
    lx.skip_unset_env = (c->flags & U_SKIPU) != 0;
    lx.skip_process_quotes = (c->flags & U_SKIPQ) != 0;

    const char *err = NULL;
    char got[1024];
    int rc;
    dw_names matched = {0}, unmatched = {0};
    if (c->flags & U_WORDS) {
        dw_str *w = NULL;
        uint32_t n = 0;
        rc = dw_lex_process_words(a, &lx, dw_str_c(c->input), &env, &w, &n, &err);
        if (rc == 0) join_words(w, n, got, sizeof got);
    } else {
        dw_str out;
        rc = dw_lex_process_word(a, &lx, dw_str_c(c->input), &env, &out, &matched, &unmatched,
                                 &err);
        if (rc == 0) snprintf(got, sizeof got, "%.*s", (int)out.len, out.ptr);
    }
    if (!c->expected) {
        if (rc == 0) return dw_arena_printf(a, "expected error \"%s\", got \"%s\"", c->error, got);
        if (strcmp(err, c->error) != 0)
            return dw_arena_printf(a, "expected error \"%s\", got \"%s\"", c->error, err);
    } else {
        if (rc != 0) return dw_arena_printf(a, "unexpected error: %s", err);
        if (strcmp(got, c->expected) != 0)
            return dw_arena_printf(a, "expected \"%s\", got \"%s\"", c->expected, got);
    }
    char buf[512];
    if (c->matched && strcmp(names_text(&matched, buf, sizeof buf), c->matched) != 0)
        return dw_arena_printf(a, "matched: expected {%s}, got {%s}", c->matched, buf);
    if (c->unmatched && strcmp(names_text(&unmatched, buf, sizeof buf), c->unmatched) != 0)
        return dw_arena_printf(a, "unmatched: expected {%s}, got {%s}", c->unmatched, buf);
    return NULL;
}

/* Builds "${a:-" x depth, "x", "}" x depth in a malloc'd buffer. */
static char *nested_word(int depth, size_t *len)
{
    char *p = malloc((size_t)depth * 6 + 2);
    size_t n = 0;
    if (!p) return NULL;
    for (int i = 0; i < depth; i++) {
        memcpy(p + n, "${a:-", 5);
        n += 5;
    }
    p[n++] = 'x';
    memset(p + n, '}', (size_t)depth);
    n += (size_t)depth;
    p[n] = 0;
    *len = n;
    return p;
}

/* Nesting up to the limit works; one more level is an error, not a crash. */
static void unit_nesting(suite *s)
{
    static const struct {
        int depth;
        bool ok;
    } cases[] = {{1000, true}, {1001, false}, {100000, false}};
    const char *limit_error = "variable substitutions nested more than 1000 deep";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "nesting depth %d", cases[i].depth);
        size_t len;
        char *w = nested_word(cases[i].depth, &len);
        if (!w) {
            suite_fail(s, name, "out of memory");
            continue;
        }
        dw_arena a;
        dw_arena_init(&a);
        dw_lexer lx = {0};
        lx.escape = '\\';
        dw_str out;
        const char *err = NULL;
        int rc = dw_lex_process_word(&a, &lx, dw_str_make(w, len), NULL, &out, NULL, NULL, &err);
        if (cases[i].ok ? (rc == 0 && dw_str_eqc(out, "x"))
                        : (rc != 0 && strcmp(err, limit_error) == 0))
            suite_pass(s);
        else
            suite_fail(s, name, "rc %d, error %s", rc, err ? err : "(none)");
        dw_arena_free(&a);
        free(w);
    }
}

/* Many distinct names are each recorded once, in first-seen order. */
static void unit_many_names(suite *s)
{
    enum { N = 3000 };
    char *w = malloc(N * 2 * 8 + 1);
    if (!w) {
        suite_fail(s, "many names", "out of memory");
        return;
    }
    size_t n = 0;
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < N; i++) n += (size_t)sprintf(w + n, "$v%d ", i);
    dw_arena a;
    dw_arena_init(&a);
    dw_env env = {0};
    dw_env_set(&a, &env, dw_str_c("v7"), dw_str_c("seven"));
    dw_lexer lx = {0};
    lx.escape = '\\';
    dw_names matched = {0}, unmatched = {0};
    dw_str out;
    const char *err = NULL;
    int rc = dw_lex_process_word(&a, &lx, dw_str_make(w, n), &env, &out, &matched, &unmatched,
                                 &err);
    bool ok = rc == 0 && matched.n == 1 && unmatched.n == N - 1 &&
              dw_str_eqc(unmatched.v[0], "v0") && dw_str_eqc(unmatched.v[N - 2], "v2999");
    if (ok) suite_pass(s);
    else suite_fail(s, "many names", "rc %d, %u matched, %u unmatched", rc, matched.n, unmatched.n);
    dw_arena_free(&a);
    free(w);
}

/* Our own cases: modes, escape characters, error texts, corner cases. */
/* Environments linked into a tree, with their indexes: a child sees its
 * parent's variables and overrides them, answers remembered on the way up
 * do not outlive an override, a name set nowhere is unset, siblings do not
 * see each other, and a stage with many variables (hashed) answers like
 * one with few (scanned). */
static void unit_env_tree(suite *s)
{
    dw_arena a;
    dw_arena_init(&a);
    dw_env root = {0}, sib = {0};
    dw_env_set(&a, &root, dw_str_c("A"), dw_str_c("1"));
    dw_env_set(&a, &root, dw_str_c("B"), dw_str_c("2"));
    enum { DEPTH = 300 };
    dw_env *chain = DW_NEW(&a, dw_env, DEPTH);
    dw_env_link(&a, &chain[0], &root);
    dw_env_link(&a, &sib, &root);
    dw_env_set(&a, &sib, dw_str_c("S"), dw_str_c("sib"));
    for (int i = 1; i < DEPTH; i++) {
        dw_env_link(&a, &chain[i], &chain[i - 1]);
        if (i == 100) dw_env_set(&a, &chain[i], dw_str_c("B"), dw_str_c("100"));
        if (i == 200) /* more than a scan's worth: this one is hashed */
            for (int k = 0; k < 20; k++) {
                char *n = dw_arena_printf(&a, "K%d", k);
                dw_env_set(&a, &chain[i], dw_str_c(n), dw_str_c(n));
            }
    }
    dw_str v;
    const char *why = NULL;
    dw_env *last = &chain[DEPTH - 1];
    if (!dw_env_get(last, dw_str_c("A"), &v) || !dw_str_eqc(v, "1")) why = "A from the root";
    else if (!dw_env_get(last, dw_str_c("B"), &v) || !dw_str_eqc(v, "100")) why = "B overridden at 100";
    else if (!dw_env_get(&chain[50], dw_str_c("B"), &v) || !dw_str_eqc(v, "2")) why = "B above the override";
    else if (dw_env_get(last, dw_str_c("S"), &v)) why = "a sibling's variable";
    else if (dw_env_get(last, dw_str_c("NOPE"), &v)) why = "a name set nowhere";
    else if (!dw_env_get(last, dw_str_c("K7"), &v) || !dw_str_eqc(v, "K7")) why = "K7 from the hashed stage";
    else if (dw_env_get(&chain[150], dw_str_c("K7"), &v)) why = "K7 above the stage that sets it";
    if (!why) {
        /* the last stage remembered A = 1 and S unset; its own settings win */
        dw_env_set(&a, last, dw_str_c("A"), dw_str_c("own"));
        dw_env_set(&a, last, dw_str_c("S"), dw_str_c("own-s"));
        if (!dw_env_get(last, dw_str_c("A"), &v) || !dw_str_eqc(v, "own")) why = "an own A over a remembered one";
        else if (!dw_env_get(last, dw_str_c("S"), &v) || !dw_str_eqc(v, "own-s")) why = "an own S over a remembered absence";
        else if (!dw_env_get(&chain[DEPTH - 2], dw_str_c("A"), &v) || !dw_str_eqc(v, "1")) why = "the parent keeps A = 1";
    }
    if (!why) { /* a tree whose root had no variables when it was linked */
        dw_env bare = {0}, kid = {0};
        dw_env_link(&a, &kid, &bare);
        if (dw_env_get(&kid, dw_str_c("A"), &v)) why = "a name in an empty tree";
        dw_env_set(&a, &kid, dw_str_c("A"), dw_str_c("k"));
        if (!why && (!dw_env_get(&kid, dw_str_c("A"), &v) || !dw_str_eqc(v, "k"))) why = "a name set after linking";
    }
    if (why) suite_fail(s, "env-tree", "%s", why);
    else suite_pass(s);
    dw_arena_free(&a);
}

void suite_unit_shell_lex(void)
{
    suite s;
    suite_begin(&s, "unit-shell-lex");
    for (size_t i = 0; i < sizeof unit_cases / sizeof unit_cases[0]; i++) {
        dw_arena a;
        dw_arena_init(&a);
        const char *why = run_unit_case(&a, &unit_cases[i]);
        if (why) suite_fail(&s, unit_cases[i].name, "%s: %s", unit_cases[i].input, why);
        else suite_pass(&s);
        dw_arena_free(&a);
    }
    unit_nesting(&s);
    unit_many_names(&s);
    unit_env_tree(&s);
    suite_end(&s);
}
