/* suite_schema.c — the Compose schema table and its validator.
 *
 * 1. coverage: compose-go's compose-spec.json (from the shared corpus, when
 *    present) walked side by side with our table (src/compose/schema_table.c):
 *    any key, type, enum value, pattern, required key, definition or JSON
 *    Schema keyword that differs fails, naming what to change;
 * 2. the table's own promises: oneOf alternatives never share a type (the
 *    validator picks one by kind), every pattern's matcher agrees with
 *    regcomp on sample strings;
 * 3. unit cases: YAML snippets parsed, interpolated with a fixed
 *    environment, validated, and the findings compared line by line;
 * 4. one file through `dockwright check`, where the loader's casts run
 *    first: each problem is reported once;
 * 5. a long list of equal items and a wide mapping stay linear. */
#include "runner.h"
#include "suites.h"

#include <jansson.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../src/compose/compose.h"
#include "../src/compose/schema.h"

/* ---- 1. coverage ---- */

typedef struct {
    suite *s;
    int problems;
} cov;

static void problem(cov *c, const char *where, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void problem(cov *c, const char *where, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c->problems++ < 40) suite_fail(c->s, "coverage", "%s: %s", where, msg);
}

static unsigned type_bit(const char *t)
{
    static const struct { const char *name; unsigned bit; } m[] = {
        {"null", DW_SCH_NULL}, {"boolean", DW_SCH_BOOL}, {"integer", DW_SCH_INT}, {"number", DW_SCH_NUM},
        {"string", DW_SCH_STR}, {"object", DW_SCH_OBJ},  {"array", DW_SCH_ARR}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        if (!strcmp(t, m[i].name)) return m[i].bit;
    return 0;
}

static const char *type_names(char *buf, size_t size, unsigned bits)
{
    static const char *const names[] = {"null", "boolean", "integer", "number", "string", "object", "array"};
    size_t n = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < 7; i++)
        if (bits & (1u << i)) n += (size_t)snprintf(buf + n, n < size ? size - n : 0, "%s%s", n ? " " : "", names[i]);
    return buf;
}

static bool in_list(const char *const *l, const char *s)
{
    for (size_t i = 0; l && l[i]; i++)
        if (!strcmp(l[i], s)) return true;
    return false;
}

/* A JSON array of strings against a NULL-terminated list, as sets. */
static void compare_strings(cov *c, const char *where, const char *what, json_t *arr, const char *const *list)
{
    if (!json_is_array(arr)) {
        if (arr) problem(c, where, "%s is not an array", what);
        for (size_t i = 0; list && list[i]; i++)
            problem(c, where, "the table has %s '%s' the schema does not", what, list[i]);
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        if (!json_is_string(e)) {
            problem(c, where, "%s holds a value that is not a string: the validator only knows strings there", what);
            continue;
        }
        if (!in_list(list, json_string_value(e)))
            problem(c, where, "the table lacks %s '%s'", what, json_string_value(e));
    }
    for (size_t k = 0; list && list[k]; k++) {
        bool found = false;
        json_array_foreach(arr, i, e) found |= json_is_string(e) && !strcmp(json_string_value(e), list[k]);
        if (!found) problem(c, where, "the table has %s '%s' the schema does not", what, list[k]);
    }
}

static void compare(cov *c, json_t *js, const dw_sch *t, const char *where, bool is_def);

static const char *join(char *buf, size_t size, const char *where, const char *a, const char *b)
{
    snprintf(buf, size, "%s/%s%s%s", where, a, b ? "/" : "", b ? b : "");
    return buf;
}

static void compare_props(cov *c, json_t *props, const dw_sch *t, const char *where)
{
    char sub[2048];
    const char *name;
    json_t *v;
    json_object_foreach(props, name, v) {
        const dw_sch_prop *p = NULL;
        for (const dw_sch_prop *q = t->props; q && q->name && !p; q++)
            if (!strcmp(q->name, name)) p = q;
        join(sub, sizeof sub, where, "properties", name);
        if (!p) {
            problem(c, sub, "the table lacks this property");
            continue;
        }
        compare(c, v, p->schema, sub, false);
    }
    for (const dw_sch_prop *q = t->props; q && q->name; q++)
        if (!json_object_get(props, q->name))
            problem(c, where, "the table has property '%s' the schema does not", q->name);
}

static void compare_pprops(cov *c, json_t *pprops, const dw_sch *t, const char *where)
{
    char sub[2048];
    const char *pat;
    json_t *v;
    json_object_foreach(pprops, pat, v) {
        const dw_sch_pprop *p = NULL;
        for (const dw_sch_pprop *q = t->pprops; q && q->pattern && !p; q++)
            if (!strcmp(q->pattern->source, pat)) p = q;
        join(sub, sizeof sub, where, "patternProperties", pat);
        if (!p) {
            problem(c, sub, "the table lacks this pattern property");
            continue;
        }
        compare(c, v, p->schema, sub, false);
    }
    for (const dw_sch_pprop *q = t->pprops; q && q->pattern; q++)
        if (!json_object_get(pprops, q->pattern->source))
            problem(c, where, "the table has pattern property '%s' the schema does not", q->pattern->source);
}

static const char *const annotations[] = {"description", "title", "examples", "default", "deprecated",
                                          "$schema",     "$id",   "$comment", "$defs",   NULL};

/* Compares one schema node with one table node. A `$ref` must be the named
 * definition's node; anything inline must be inline in the table too. */
static void compare(cov *c, json_t *js, const dw_sch *t, const char *where, bool is_def)
{
    if (!json_is_object(js)) {
        problem(c, where, "not an object: the validator knows only object schemas");
        return;
    }
    json_t *ref = json_object_get(js, "$ref");
    if (ref) {
        const char *r = json_string_value(ref);
        if (!r || strncmp(r, "#/$defs/", 8) != 0) {
            problem(c, where, "$ref %s is not a local definition", r ? r : "?");
        } else if (!t || !t->def || strcmp(t->def, r + 8) != 0) {
            problem(c, where, "the table does not refer to definition '%s' here", r + 8);
        }
        const char *k;
        json_t *v;
        json_object_foreach(js, k, v) if (strcmp(k, "$ref") && !in_list(annotations, k))
            problem(c, where, "keyword '%s' beside $ref is not supported", k);
        return;
    }
    if (!t) {
        if (json_object_size(js)) {
            const char *k;
            json_t *v;
            json_object_foreach(js, k, v) if (!in_list(annotations, k))
                problem(c, where, "the table accepts anything here, the schema has '%s'", k);
        }
        return;
    }
    if (t->def && !is_def) problem(c, where, "the table refers to definition '%s' where the schema is inline", t->def);

    const char *k;
    json_t *v;
    json_object_foreach(js, k, v) {
        static const char *const known[] = {"type",  "properties", "patternProperties", "additionalProperties",
                                            "items", "oneOf",      "enum",              "required",
                                            "uniqueItems", "minimum", "maximum",        "pattern", NULL};
        if (!in_list(known, k) && !in_list(annotations, k))
            problem(c, where, "keyword '%s' is not implemented by the validator", k);
    }

    /* type */
    unsigned bits = 0;
    json_t *type = json_object_get(js, "type");
    if (json_is_string(type)) {
        bits = type_bit(json_string_value(type));
        if (!bits) problem(c, where, "unknown type '%s'", json_string_value(type));
    } else if (json_is_array(type)) {
        size_t i;
        json_t *e;
        json_array_foreach(type, i, e) {
            unsigned b = json_is_string(e) ? type_bit(json_string_value(e)) : 0;
            if (!b) problem(c, where, "unknown type in a type list");
            bits |= b;
        }
    }
    if (bits != t->types) {
        char sb[128], tb[128];
        problem(c, where, "types differ: schema [%s], table [%s]", type_names(sb, sizeof sb, bits),
                type_names(tb, sizeof tb, t->types));
    }

    /* properties, patternProperties, additionalProperties */
    json_t *props = json_object_get(js, "properties");
    if (props) compare_props(c, props, t, where);
    else if (t->props && t->props[0].name) problem(c, where, "the table has properties the schema does not");
    json_t *pprops = json_object_get(js, "patternProperties");
    if (pprops) compare_pprops(c, pprops, t, where);
    else if (t->pprops && t->pprops[0].pattern) problem(c, where, "the table has pattern properties the schema does not");
    json_t *addl = json_object_get(js, "additionalProperties");
    if (addl && !json_is_boolean(addl)) problem(c, where, "additionalProperties with a schema is not supported");
    if (json_is_false(addl) != t->closed)
        problem(c, where, "additionalProperties: schema %s, table %s", json_is_false(addl) ? "false" : "open",
                t->closed ? "closed" : "open");

    /* items, oneOf */
    char sub[2048];
    json_t *items = json_object_get(js, "items");
    if (items) compare(c, items, t->items, join(sub, sizeof sub, where, "items", NULL), false);
    else if (t->items) problem(c, where, "the table has items the schema does not");
    json_t *one_of = json_object_get(js, "oneOf");
    size_t nalt = 0;
    while (t->one_of && t->one_of[nalt]) nalt++;
    if (one_of) {
        if (json_array_size(one_of) != nalt) {
            problem(c, where, "oneOf has %zu alternatives, the table %zu", json_array_size(one_of), nalt);
        } else {
            for (size_t i = 0; i < nalt; i++) {
                char idx[24];
                snprintf(idx, sizeof idx, "%zu", i);
                compare(c, json_array_get(one_of, i), t->one_of[i], join(sub, sizeof sub, where, "oneOf", idx), false);
            }
        }
    } else if (nalt) {
        problem(c, where, "the table has oneOf the schema does not");
    }

    /* enum, required, uniqueItems, minimum, maximum, pattern */
    json_t *en = json_object_get(js, "enum");
    if (en || t->enums) compare_strings(c, where, "enum value", en, t->enums);
    json_t *req = json_object_get(js, "required");
    if (req || t->required) compare_strings(c, where, "required property", req, t->required);
    if (json_is_true(json_object_get(js, "uniqueItems")) != t->unique) problem(c, where, "uniqueItems differs");
    json_t *mn = json_object_get(js, "minimum"), *mx = json_object_get(js, "maximum");
    if ((mn != NULL) != t->has_min || (mn && json_number_value(mn) != t->min)) problem(c, where, "minimum differs");
    if ((mx != NULL) != t->has_max || (mx && json_number_value(mx) != t->max)) problem(c, where, "maximum differs");
    json_t *pat = json_object_get(js, "pattern");
    if ((pat != NULL) != (t->pattern != NULL) ||
        (pat && strcmp(json_string_value(pat) ? json_string_value(pat) : "", t->pattern->source) != 0))
        problem(c, where, "pattern differs: schema %s, table %s", pat ? json_string_value(pat) : "(none)",
                t->pattern ? t->pattern->source : "(none)");
}

static void test_coverage(suite *s)
{
    const char *path = corpus_path("compose-spec/compose-spec.json");
    if (!path) {
        printf("notice: ../shared/corpus/compose-spec/compose-spec.json not found; schema coverage test skipped\n");
        suite_skip(s, 1, "compose-spec.json absent");
        return;
    }
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        suite_fail(s, "coverage", "cannot read %s: %s", path, err.text);
        return;
    }
    cov c = {s, 0};
    compare(&c, root, &dw_sch_root, "#", false);
    json_t *defs = json_object_get(root, "$defs");
    const char *name;
    json_t *v;
    size_t ndefs = 0;
    json_object_foreach(defs, name, v) {
        ndefs++;
        const dw_sch *t = NULL;
        for (size_t i = 0; dw_sch_defs[i] && !t; i++)
            if (!strcmp(dw_sch_defs[i]->def, name)) t = dw_sch_defs[i];
        char where[512];
        snprintf(where, sizeof where, "#/$defs/%s", name);
        if (!t) problem(&c, where, "the table lacks this definition");
        else compare(&c, v, t, where, true);
    }
    for (size_t i = 0; dw_sch_defs[i]; i++)
        if (!json_object_get(defs, dw_sch_defs[i]->def))
            problem(&c, "#/$defs", "the table has definition '%s' the schema does not", dw_sch_defs[i]->def);
    if (!c.problems) {
        suite_pass(s);
        printf("  compose-schema: table matches %s (%zu definitions)\n", path, ndefs);
    }
    json_decref(root);
}

/* ---- 2. the table's own promises ---- */

static unsigned accepted(const dw_sch *s)
{
    unsigned all = DW_SCH_NULL | DW_SCH_BOOL | DW_SCH_INT | DW_SCH_NUM | DW_SCH_STR | DW_SCH_OBJ | DW_SCH_ARR;
    if (!s) return all;
    if (s->types) return s->types & DW_SCH_NUM ? s->types | DW_SCH_INT : s->types;
    if (!s->one_of) return all;
    unsigned t = 0;
    for (const dw_sch *const *a = s->one_of; *a; a++) t |= accepted(*a);
    return t;
}

static bool known_pattern(const dw_sch_pattern *p)
{
    for (size_t i = 0; dw_sch_patterns[i]; i++)
        if (dw_sch_patterns[i] == p) return true;
    return false;
}

/* Walks the table (definitions are walked once, from dw_sch_defs). */
static void walk_table(suite *s, const dw_sch *t, bool top, int *bad)
{
    if (!t || (t->def && !top)) return;
    if (t->one_of) {
        for (size_t i = 0; t->one_of[i]; i++)
            for (size_t j = i + 1; t->one_of[j]; j++)
                if (accepted(t->one_of[i]) & accepted(t->one_of[j])) {
                    suite_fail(s, "oneof-disjoint", "two oneOf alternatives (%zu, %zu) accept the same type", i, j);
                    (*bad)++;
                }
        for (size_t i = 0; t->one_of[i]; i++) walk_table(s, t->one_of[i], false, bad);
    }
    if (t->pattern && !known_pattern(t->pattern)) {
        suite_fail(s, "patterns", "pattern %s is not listed in dw_sch_patterns", t->pattern->source);
        (*bad)++;
    }
    for (const dw_sch_prop *p = t->props; p && p->name; p++) walk_table(s, p->schema, false, bad);
    for (const dw_sch_pprop *p = t->pprops; p && p->pattern; p++) {
        if (!known_pattern(p->pattern)) {
            suite_fail(s, "patterns", "pattern %s is not listed in dw_sch_patterns", p->pattern->source);
            (*bad)++;
        }
        walk_table(s, p->schema, false, bad);
    }
    walk_table(s, t->items, false, bad);
}

static void test_table(suite *s)
{
    int bad = 0;
    walk_table(s, &dw_sch_root, true, &bad);
    for (size_t i = 0; dw_sch_defs[i]; i++) walk_table(s, dw_sch_defs[i], true, &bad);
    if (!bad) suite_pass(s);

    /* Our matchers against the C library's regular expressions. ECMA-262's
     * `.` also refuses \r and U+2028/9 (not sampled: POSIX differs there). */
    static const char *const samples[] = {
        "", "a", "ab", "web", "Web_1.2-x", "my web", "x-foo", "x", "x-", "xx-", "-x", "a-", "1", "ABC", "abc", "aBc",
        "a/b", "_", ".", "..", "a b", "é", "nofile", "always", "ALWAYS", "sometimes-never", "every_", "every_1",
        "every_12h", "every_1h30m", "every_h", "if_not_present", "refresh", "daily", "weekly", "build", "buil",
        "missingx", "0", "00", "a.", "-", "--", "a_", "_a", "9lives", "my-app_1", "éa", "aé"};
    for (size_t i = 0; dw_sch_patterns[i]; i++) {
        const dw_sch_pattern *p = dw_sch_patterns[i];
        regex_t re;
        if (regcomp(&re, p->source, REG_EXTENDED | REG_NOSUB) != 0) {
            suite_fail(s, "patterns", "regcomp refuses %s", p->source);
            continue;
        }
        int wrong = 0;
        for (size_t k = 0; k < sizeof samples / sizeof *samples; k++) {
            bool want = regexec(&re, samples[k], 0, NULL, 0) == 0;
            if (p->match(dw_str_c(samples[k])) != want) {
                suite_fail(s, "patterns", "%s on '%s': matcher says %d, regexec %d", p->source, samples[k], !want, want);
                wrong++;
            }
        }
        regfree(&re);
        if (!wrong) suite_pass(s);
    }
}

/* ---- 3. unit cases ---- */

static const char *env_lookup(void *ud, const char *name, size_t len)
{
    for (const char *const *e = ud; e && *e; e++)
        if (!strncmp(*e, name, len) && (*e)[len] == '=') return *e + len + 1;
    return NULL;
}

/* What the loader does before validation, for these tests: every string
 * value interpolated with `env`. */
static void interpolate_tree(dw_arena *a, dw_cv *v, const char *const *env)
{
    if (!v) return;
    if (v->kind == DW_CV_STR && memchr(v->raw.ptr, '$', v->raw.len)) {
        dw_str out;
        dw_interp_error err;
        if (dw_interpolate(a, v->raw, env_lookup, (void *)env, &out, &err, NULL, NULL) == 0) {
            v->s = out;
            v->interpolated = true;
        }
    }
    for (uint32_t i = 0; v->kind == DW_CV_MAP && i < v->n; i++) interpolate_tree(a, v->pairs[i].value, env);
    for (uint32_t i = 0; v->kind == DW_CV_SEQ && i < v->n; i++) interpolate_tree(a, v->items[i], env);
}

/* "line:col message" per finding (with "  help: ..." when asked), or the
 * YAML error; findings of other rules (duplicate-key) are prefixed with
 * their slug. Malloc'd. Also used by suite_awesome_compose.c. */
char *compose_schema_findings(const char *yaml, size_t len, const char *const *env, bool with_help, uint32_t *count);
char *compose_schema_findings(const char *yaml, size_t len, const char *const *env, bool with_help, uint32_t *count)
{
    dw_arena a;
    dw_arena_init(&a);
    dw_linemap lines;
    dw_linemap_build(&lines, &a, yaml, (uint32_t)len);
    dw_yaml_stream st;
    dw_buf b = {0};
    if (dw_yaml_parse(&a, yaml, len, NULL, &st) < 0) {
        dw_buf_printf(&b, "yaml error: %s\n", st.error.message);
    } else {
        dw_diags diags = {0};
        dw_cv *root = st.ndocs ? dw_cv_from_yaml(&a, st.docs[0], 0, &lines, &diags) : NULL;
        interpolate_tree(&a, root, env);
        dw_compose_validate(&a, root, &lines, &diags);
        dw_diags_sort(&diags);
        if (count) *count = diags.n;
        for (uint32_t i = 0; i < diags.n && i < 200; i++) {
            dw_pos p = dw_linemap_pos(&lines, diags.v[i].span.start);
            dw_buf_printf(&b, "%u:%u %s%s%s\n", p.line, p.col,
                          strcmp(diags.v[i].rule, "compose-schema") ? diags.v[i].rule : "",
                          strcmp(diags.v[i].rule, "compose-schema") ? ": " : "", diags.v[i].message);
            if (with_help && diags.v[i].help) dw_buf_printf(&b, "  help: %s\n", diags.v[i].help);
        }
    }
    char *r = malloc(b.n + 1);
    memcpy(r, b.p ? b.p : "", b.n);
    r[b.n] = 0;
    dw_buf_free(&b);
    dw_arena_free(&a);
    return r;
}

typedef struct {
    const char *name;
    const char *yaml;
    const char *expected;  /* "line:col message\n" per finding */
    bool with_help;
} unit_case;

static const char *const test_env[] = {"CPUS=1.5", "REPLICAS=3", "TWO=two", "PRIO=5", "YES=yes", "PORT=8080",
                                       "EMPTY=", NULL};

static const unit_case cases[] = {
    {"valid",
     "name: shop\n"
     "services:\n"
     "  web:\n"
     "    image: nginx:1.27\n"
     "    build:\n"
     "      context: .\n"
     "      args: [A=1]\n"
     "    ports:\n"
     "      - 80\n"
     "      - \"8080:80\"\n"
     "      - target: 443\n"
     "        published: \"8443\"\n"
     "        protocol: tcp\n"
     "        mode: host\n"
     "    environment:\n"
     "      - A=1\n"
     "      - B\n"
     "    labels:\n"
     "      com.example.n: 1\n"
     "      com.example.b: true\n"
     "      com.example.null:\n"
     "    depends_on:\n"
     "      db:\n"
     "        condition: service_healthy\n"
     "        restart: true\n"
     "    healthcheck:\n"
     "      test: [\"CMD\", \"true\"]\n"
     "      retries: 3\n"
     "    deploy:\n"
     "      resources:\n"
     "        limits: {cpus: \"0.5\", memory: 512M}\n"
     "    ulimits:\n"
     "      nofile: {soft: 1024, hard: 2048}\n"
     "      nproc: 512\n"
     "    volumes:\n"
     "      - data:/data\n"
     "      - type: bind\n"
     "        source: ./src\n"
     "        target: /src\n"
     "        bind: {selinux: z}\n"
     "    scale: 2.0\n"
     "  db:\n"
     "    image: postgres\n"
     "    environment:\n"
     "      POSTGRES_DB: app\n"
     "      PORT: 5432\n"
     "networks:\n"
     "  front:\n"
     "volumes:\n"
     "  data:\n"
     "secrets:\n"
     "  key: {file: ./key}\n"
     "include:\n"
     "  - other.yaml\n"
     "  - path: [a.yaml, b.yaml]\n",
     "", false},
    {"wrong-type",
     "services:\n"
     "  web:\n"
     "    image: [nginx]\n"
     "    user: 1000\n"
     "    cap_add: NET_ADMIN\n"
     "    build: [a]\n"
     "    deploy:\n"
     "      resources:\n"
     "        limits:\n"
     "          memory: 512\n",
     "3:12 services.web.image: expected a string, got a sequence\n"
     "  help: write a string here\n"
     "4:11 services.web.user: expected a string, got a number\n"
     "  help: quote it (\"1000\") so YAML reads it as a string\n"
     "5:14 services.web.cap_add: expected a sequence, got a string\n"
     "  help: write a list, e.g. ['NET_ADMIN']\n"
     "6:12 services.web.build: expected a string or a mapping, got a sequence\n"
     "  help: write a string or a mapping here\n"
     "10:19 services.web.deploy.resources.limits.memory: expected a string, got a number\n"
     "  help: quote it (\"512\") so YAML reads it as a string\n",
     true},
    {"unknown-key",
     "servics:\n"
     "  web: {}\n"
     "services:\n"
     "  web:\n"
     "    imgae: nginx\n"
     "    frobnicate: 1\n"
     "    x-mine: {anything: [1, 2]}\n"
     "    blkio_config:\n"
     "      x-note: 1\n"
     "x-top: 1\n",
     "1:1 additional property 'servics' is not allowed at the top level (did you mean 'services'?)\n"
     "  help: rename it to `services`\n"
     "5:5 additional property 'imgae' is not allowed in services.web (did you mean 'image'?)\n"
     "  help: rename it to `image`\n"
     "6:5 additional property 'frobnicate' is not allowed in services.web\n"
     "  help: remove it, or prefix it with `x-` to keep it as an extension field Compose ignores\n"
     "9:7 additional property 'x-note' is not allowed in services.web.blkio_config\n"
     "  help: remove it: the Compose specification has no such key here\n",
     true},
    {"version-number",
     "version: 3.8\n"
     "services:\n"
     "  web:\n"
     "    image: nginx\n",
     "1:10 version: expected a string, got a number\n"
     "  help: remove `version`: Compose ignores it (if you keep it, quote it: \"3.8\")\n",
     true},
    {"version-string", "version: \"3.8\"\nservices: {}\n", "", false},
    {"enum",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    depends_on:\n"
     "      db:\n"
     "        condition: service_healty\n"
     "    gpus: some\n"
     "    cgroup: hosts\n"
     "    volumes:\n"
     "      - type: bnd\n"
     "        target: /x\n",
     "6:20 services.web.depends_on.db.condition: 'service_healty' is not one of service_started, "
     "service_healthy, service_completed_successfully (did you mean 'service_healthy'?)\n"
     "  help: use one of service_started, service_healthy, service_completed_successfully\n"
     "7:11 services.web.gpus: 'some' is not one of all\n"
     "  help: use one of all\n"
     "8:13 services.web.cgroup: 'hosts' is not one of host, private (did you mean 'host'?)\n"
     "  help: use one of host, private\n"
     "10:15 services.web.volumes[0].type: 'bnd' is not one of bind, volume, tmpfs, cluster, npipe, image "
     "(did you mean 'bind'?)\n"
     "  help: use one of bind, volume, tmpfs, cluster, npipe, image\n",
     true},
    {"required",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    depends_on:\n"
     "      db:\n"
     "        restart: true\n"
     "    volumes:\n"
     "      - source: data\n"
     "        target: /data\n"
     "    extends: {file: base.yaml}\n"
     "models:\n"
     "  m: {}\n",
     "5:7 services.web.depends_on.db: missing required property 'condition'\n"
     "  help: add `condition:` with one of service_started, service_healthy, service_completed_successfully\n"
     "8:9 services.web.volumes[0]: missing required property 'type'\n"
     "  help: add `type:` with one of bind, volume, tmpfs, cluster, npipe, image\n"
     "10:5 services.web.extends: missing required property 'service'\n"
     "  help: add `service:`\n"
     "12:3 models.m: missing required property 'model'\n"
     "  help: add `model:`\n",
     true},
    {"names",
     "services:\n"
     "  \"my web\":\n"
     "    image: nginx\n"
     "  x-web:\n"
     "    image: nginx\n"
     "networks:\n"
     "  \"any name\":\n"
     "volumes:\n"
     "  \"bad/name\":\n",
     "2:3 additional property 'my web' is not allowed in services (names use letters, digits, '.', '_' and '-' only)\n"
     "  help: rename it: names use letters, digits, '.', '_' and '-' only\n"
     "9:3 additional property 'bad/name' is not allowed in volumes (names use letters, digits, '.', '_' and '-' "
     "only)\n"
     "  help: rename it: names use letters, digits, '.', '_' and '-' only\n",
     true},
    {"anchors-and-merge",
     "x-base: &base\n"
     "  restart: always\n"
     "  logging: {driver: json-file}\n"
     "x-bad: &bad\n"
     "  restrat: always\n"
     "services:\n"
     "  a:\n"
     "    <<: *base\n"
     "    image: a\n"
     "  b:\n"
     "    <<: [*base, *bad]\n"
     "    image: b\n"
     "  c: *base\n",
     "5:3 additional property 'restrat' is not allowed in services.b (did you mean 'restart'?)\n", false},
    {"environment-forms",
     "services:\n"
     "  a:\n"
     "    image: a\n"
     "    environment: [A=1, B=2]\n"
     "  b:\n"
     "    image: b\n"
     "    environment: {A: 1, B: 1.5, C: true, D: null, E: text}\n"
     "  c:\n"
     "    image: c\n"
     "    environment:\n"
     "      A: [1]\n"
     "      B: {x: 1}\n"
     "  d:\n"
     "    image: d\n"
     "    environment: A=1\n"
     "    sysctls: [net.core.somaxconn=1024]\n"
     "    extra_hosts: {somehost: [\"162.242.195.82\", \"::1\"]}\n",
     "11:10 services.c.environment.A: expected a string, a number, a boolean or null, got a sequence\n"
     "12:10 services.c.environment.B: expected a string, a number, a boolean or null, got a mapping\n"
     "15:18 services.d.environment: expected a mapping or a sequence, got a string\n",
     false},
    {"ports",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    ports:\n"
     "      - 80\n"
     "      - 8080:80\n"
     "      - \"127.0.0.1:9000:9000/udp\"\n"
     "      - target: 80\n"
     "        published: 8081\n"
     "        host_ip: 127.0.0.1\n"
     "        x-note: fine\n"
     "      - target: 81\n"
     "        publish: 8082\n"
     "      - true\n"
     "      - [1]\n"
     "    expose: [\"3000\", 3001, 3000-3005]\n",
     "13:9 additional property 'publish' is not allowed in services.web.ports[4] (did you mean 'published'?)\n"
     "14:9 services.web.ports[5]: expected a string, a number or a mapping, got a boolean\n"
     "15:9 services.web.ports[6]: expected a string, a number or a mapping, got a sequence\n",
     false},
    {"interpolated-numbers",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    cpus: ${CPUS}\n"
     "    deploy:\n"
     "      replicas: ${REPLICAS}\n"
     "    scale: ${TWO}\n"
     "    init: ${YES}\n"
     "    read_only: \"${MAYBE:-perhaps}\"\n"
     "    pids_limit: ${UNSET}\n"
     "    stdin_open: \"true\"\n"
     "    healthcheck:\n"
     "      retries: \"3\"\n"
     "    depends_on:\n"
     "      db: {condition: service_started, required: \"${YES}\"}\n"
     "    ports:\n"
     "      - \"${PORT}:80\"\n"
     "      - target: \"${PORT}\"\n"
     "    networks:\n"
     "      front: {priority: \"${PRIO}\"}\n"
     "    cpu_count: \"-1\"\n"
     "networks:\n"
     "  front:\n"
     "    external: \"${EMPTY}\"\n",
     /* the strings at cast paths (scale, read_only, cpu_count...) are the
      * loader's to convert or report: see test_pipeline */
     "20:25 services.web.networks.front.priority: expected a number, got a string\n"
     "  help: the value comes from interpolation and Compose does not convert it here: write a number\n",
     true},
    {"numbers",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    scale: 2.5\n"
     "    cpu_percent: 150\n"
     "    oom_score_adj: -2000\n"
     "    mem_reservation: 1.5\n"
     "    cpus: 1.5\n",
     "4:12 services.web.scale: expected a string or an integer, got a number\n"
     "5:18 services.web.cpu_percent: 150 is greater than the maximum 100\n"
     "6:20 services.web.oom_score_adj: -2000 is less than the minimum -1000\n"
     "7:22 services.web.mem_reservation: expected a string or an integer, got a number\n",
     false},
    {"patterns",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    pull_policy: sometimes\n"
     "    container_name: a\n"
     "  api:\n"
     "    image: api\n"
     "    pull_policy: every_12h\n"
     "    container_name: api-1\n",
     "4:18 services.web.pull_policy: 'sometimes' does not match the pattern "
     "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+\n"
     "  help: use always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> such as "
     "every_12h\n"
     "5:21 services.web.container_name: 'a' does not match the pattern [a-zA-Z0-9][a-zA-Z0-9_.-]+\n"
     "  help: use at least two characters: a letter or digit, then letters, digits, '_', '.' or '-'\n",
     true},
    {"unique-items",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    security_opt:\n"
     "      - no-new-privileges:true\n"
     "      - seccomp=unconfined\n"
     "      - no-new-privileges:true\n"
     "    cap_add: [NET_ADMIN, NET_ADMIN]\n"
     "    group_add: [1000, 1000.0, \"1000\"]\n"
     "    depends_on: [db, db]\n",
     "7:9 services.web.security_opt[2]: duplicate of item [0] (line 5)\n"
     "  help: remove the repeated item: Compose refuses a list with repeated items here\n"
     "9:23 services.web.group_add[1]: duplicate of item [0] (line 9)\n"
     "  help: remove the repeated item: Compose refuses a list with repeated items here\n"
     "10:22 services.web.depends_on[1]: duplicate of item [0] (line 10)\n"
     "  help: remove the repeated item: Compose refuses a list with repeated items here\n",
     true},
    {"nulls",
     "services:\n"
     "  web:\n"
     "  api:\n"
     "    image: api\n"
     "    deploy:\n"
     "    develop:\n"
     "    command:\n"
     "    pid: ~\n"
     "networks:\n"
     "  n:\n"
     "secrets:\n"
     "  s:\n",
     "2:3 services.web: expected a mapping, got null\n"
     "  help: give it its keys, or write {} for none\n"
     "12:3 secrets.s: expected a mapping, got null\n"
     "  help: give it its keys, or write {} for none\n",
     true},
    {"reset-tags",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    build: !reset null\n"
     "    healthcheck: !reset null\n"
     "    ports: !reset []\n"
     "    environment:\n"
     "      FOO: !reset null\n"
     "    bogus: !reset 1\n"
     "    security_opt: [a, !reset a]\n"
     "    depends_on:\n"
     "      db: {condition: !reset service_started}\n",
     "12:7 services.web.depends_on.db: missing required property 'condition'\n", false},
    {"top-level-not-a-map", "- a\n- b\n", "1:1 top level: expected a mapping, got a sequence\n", false},
    {"empty-file", "# nothing\n", "", false},
    {"escaped-key",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    \"bad\\tkey\\nhere\": 1\n",
     "4:5 additional property 'bad\\tkey\\nhere' is not allowed in services.web\n", false},
    {"long-key",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé: 1\n",
     "4:5 additional property 'éééééééééééééééééééééééééééééééééééééé...' is not allowed in services.web\n", false},
    {"deep-and-misc",
     "services:\n"
     "  web:\n"
     "    image: nginx\n"
     "    deploy:\n"
     "      placement:\n"
     "        preferences:\n"
     "          - spread: node.labels.zone\n"
     "          - sprad: x\n"
     "      update_config: {order: start-frist, parallelism: \"${REPLICAS}\"}\n"
     "    develop:\n"
     "      watch:\n"
     "        - {path: ./src, action: sync+restart, target: /app}\n"
     "        - {path: ./x, action: rebuilt}\n"
     "    logging:\n"
     "      options: {max-size: 10m, max-file: 3}\n"
     "    provider:\n"
     "      type: model\n"
     "      options: {model: ai/x, list: [a, 1, true]}\n"
     "    post_start:\n"
     "      - user: root\n"
     "    tmpfs: /run\n"
     "    command: [\"a\", 1]\n",
     "8:13 additional property 'sprad' is not allowed in services.web.deploy.placement.preferences[1] "
     "(did you mean 'spread'?)\n"
     "9:30 services.web.deploy.update_config.order: 'start-frist' is not one of start-first, stop-first "
     "(did you mean 'start-first'?)\n"
     "13:31 services.web.develop.watch[1].action: 'rebuilt' is not one of rebuild, sync, restart, sync+restart, "
     "sync+exec (did you mean 'rebuild'?)\n"
     "20:9 services.web.post_start[0]: missing required property 'command'\n"
     "22:20 services.web.command[1]: expected a string, got a number\n",
     false},
};

static void test_units(suite *s)
{
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const unit_case *u = &cases[i];
        char *got = compose_schema_findings(u->yaml, strlen(u->yaml), test_env, u->with_help, NULL);
        /* without help lines, expected holds none */
        suite_expect_text(s, u->name, u->expected, strlen(u->expected), got, strlen(got));
        free(got);
    }
}

/* Through the whole loader (`dockwright check`): interpolation with the
 * process environment, compose-go's casts, then the schema; each problem
 * reported once, by whichever stage owns it. */
typedef struct {
    const char *at;    /* "line:col" */
    const char *text;  /* a part of the message */
} pipe_finding;

static void test_pipeline(suite *s)
{
    static const char yaml[] =
        "services:\n"
        "  web:\n"
        "    image: nginx:1\n"
        "    scale: ${DW_SCHEMA_TEST_TWO}\n"
        "    cpu_count: \"-1\"\n"
        "    cpus: ${DW_SCHEMA_TEST_CPUS}\n"
        "    init: \"${DW_SCHEMA_TEST_YES}\"\n"
        "    depends_on:\n"
        "      db: {condition: service_started, required: maybe}\n"
        "    networks:\n"
        "      front: {priority: \"${DW_SCHEMA_TEST_CPUS}\"}\n"
        "  db:\n"
        "    image: postgres:16\n"
        "networks:\n"
        "  front:\n";
    static const pipe_finding want[] = {
        {"4:12", "scale"},
        {"5:16", "services.web.cpu_count: -1 is less than the minimum 0"},
        {"9:50", "required"},
        {"11:25", "services.web.networks.front.priority: expected a number, got a string"},
    };
    char dir[] = "/tmp/dw-schema-XXXXXX";
    if (!mkdtemp(dir)) {
        suite_fail(s, "pipeline", "mkdtemp failed");
        return;
    }
    char path[256];
    snprintf(path, sizeof path, "%s/compose.yaml", dir);
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(yaml, f);
        fclose(f);
    }
    setenv("DW_SCHEMA_TEST_TWO", "two", 1);
    setenv("DW_SCHEMA_TEST_CPUS", "1.5", 1);
    setenv("DW_SCHEMA_TEST_YES", "yes", 1);
    char bin[4096];
    snprintf(bin, sizeof bin, "%s", dw_binary());
    char *argv[] = {bin, "check", "--no-config", "--format", "gnu", "compose.yaml", NULL};
    char *out, *err;
    size_t olen, elen;
    int rc = run_capture(dir, argv, &out, &olen, &err, &elen);
    size_t n = 0, nwant = sizeof want / sizeof *want;
    bool ok = rc >= 0 && rc <= 1;
    if (!ok) suite_fail(s, "pipeline", "check exited with %d: %s", rc, err);
    for (char *line = out, *next; ok && line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = 0;
        if (!strstr(line, "[compose-schema]")) continue;
        char at[32];
        const char *p = line + strlen("compose.yaml:");
        size_t k = strcspn(p, ":");
        k += 1 + strcspn(p + k + 1, ":");
        snprintf(at, sizeof at, "%.*s", (int)(k < sizeof at ? k : sizeof at - 1), p);
        if (n >= nwant || strcmp(at, want[n].at) != 0 || !strstr(line, want[n].text)) {
            suite_fail(s, "pipeline", "unexpected compose-schema finding %zu: %s", n, line);
            ok = false;
        }
        n++;
    }
    if (ok && n != nwant) {
        suite_fail(s, "pipeline", "%zu compose-schema findings, expected %zu:\n%s", n, nwant, out);
        ok = false;
    }
    if (ok) suite_pass(s);
    unsetenv("DW_SCHEMA_TEST_TWO");
    unsetenv("DW_SCHEMA_TEST_CPUS");
    unsetenv("DW_SCHEMA_TEST_YES");
    remove(path);
    rmdir(dir);
    free(out);
    free(err);
}

/* A long list of equal items and a wide mapping stay linear. */
static void test_linear(suite *s)
{
    enum { N = 20000 };
    dw_buf b = {0};
    dw_buf_puts(&b, "services:\n  web:\n    image: nginx\n    volumes_from:\n");
    for (int i = 0; i < N; i++) dw_buf_puts(&b, "      - other\n");
    dw_buf_puts(&b, "    labels:\n");
    for (int i = 0; i < N; i++) dw_buf_printf(&b, "      l%d: v\n", i);
    clock_t t0 = clock();
    uint32_t n = 0;
    char *got = compose_schema_findings(b.p, b.n, NULL, false, &n);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (n != N - 1) suite_fail(s, "linear", "expected %d duplicate findings, got %u", N - 1, n);
    else if (secs > 10) suite_fail(s, "linear", "took %.1f s", secs);
    else suite_pass(s);
    free(got);
    dw_buf_free(&b);
}

void suite_compose_schema(void)
{
    suite s;
    suite_begin(&s, "compose-schema");
    test_coverage(&s);
    test_table(&s);
    test_units(&s);
    test_pipeline(&s);
    test_linear(&s);
    suite_end(&s);
}
