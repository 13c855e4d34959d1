/* config_peers.c — reading the peers' config files as dockwright settings:
 * hadolint's .hadolint.yaml with its HADOLINT_* environment variables
 * (research/hadolint.md §5), and dclint's .dclintrc for the Compose rules
 * (research/compose.md §4.1).
 *
 * Both are read as their tools read them: hadolint ignores unknown keys and
 * unknown rule codes, so we do too; a value of the wrong type (which makes
 * hadolint reject the file) is reported as config-error and skipped, the
 * rest of the file still applies. dclint's schema allows only its own keys
 * and rule names, so other keys and names are reported; a level applies to
 * the Compose rules the name addresses (slug or alias), and the settings are
 * kept as written for the rules' options (dw_config.compose_rules). */
#include "config_int.h"

#include <stdio.h>
#include <stdlib.h>

/* A malloc'd list of strings collected before one copy into the config. */
typedef DW_VEC(const char *) strs;

/* ---- hadolint ---- */

typedef struct {
    strs ignore;
    strs over[DW_SEV_ERROR + 1]; /* override lists by level (style..error) */
    strs registries;
    DW_VEC(dw_label_rule) labels;
    int no_fail, strict, no_pragma; /* -1 unset */
    int threshold;               /* -1 unset, else a dw_severity */
} hado;

/* hadolint's level names: `ignore` and `none` both mean its lowest level;
 * as a failure threshold we read them as "nothing fails" (our `none`). */
static int hado_level(const char *s)
{
    if (!s) return -1;
    if (!strcmp(s, "error")) return DW_SEV_ERROR;
    if (!strcmp(s, "warning")) return DW_SEV_WARNING;
    if (!strcmp(s, "info")) return DW_SEV_INFO;
    if (!strcmp(s, "style")) return DW_SEV_STYLE;
    /* hadolint orders error < warning < info < style < ignore and fails on a
     * finding whose severity is <= the threshold: `ignore`/`none` make every
     * finding fail, which is our `style` */
    if (!strcmp(s, "ignore") || !strcmp(s, "none")) return DW_SEV_STYLE;
    return -1;
}

/* hadolint's label type names ("" means text); -1 when unknown. */
static int label_type(const char *t)
{
    static const char *const types[] = {"text", "url", "semver", "hash", "rfc3339", "spdx", "email"};
    if (!*t) return DW_LABEL_TEXT;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (!strcmp(t, types[i])) return (int)i;
    return -1;
}

/* ---- environment (Hadolint/Config/Environment.hs) ---- */

static const char *const env_names[] = {
    "HADOLINT_NOFAIL", "HADOLINT_FAILURE_THRESHOLD", "HADOLINT_IGNORE", "HADOLINT_OVERRIDE_ERROR",
    "HADOLINT_OVERRIDE_WARNING", "HADOLINT_OVERRIDE_INFO", "HADOLINT_OVERRIDE_STYLE",
    "HADOLINT_TRUSTED_REGISTRIES", "HADOLINT_ALLOWED_REGISTRIES", "HADOLINT_REQUIRE_LABELS",
    "HADOLINT_STRICT_LABELS", "HADOLINT_DISABLE_IGNORE_PRAGMA",
};

bool dw_cfg_hadolint_env_set(void)
{
    for (size_t i = 0; i < sizeof env_names / sizeof *env_names; i++)
        if (getenv(env_names[i])) return true;
    return false;
}

/* hadolint's truthy values, any case: 1, y, on, true, yes. A variable that
 * is set to anything else means false. */
static int env_bool(const char *name)
{
    const char *v = getenv(name);
    if (!v) return -1;
    static const char *const yes[] = {"1", "y", "on", "true", "yes"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        if (dw_str_ieqc(dw_str_c(v), yes[i])) return 1;
    return 0;
}

/* Splits a comma list into the arena (blanks around items trimmed, empty
 * items dropped). */
static void env_list(dw_arena *a, const char *name, strs *out)
{
    const char *v = getenv(name);
    if (!v) return;
    dw_str s = dw_str_c(v);
    size_t i = 0;
    while (i <= s.len) {
        size_t st = i;
        while (i < s.len && s.ptr[i] != ',') i++;
        dw_str item = dw_str_trim_space(dw_str_make(s.ptr + st, i - st));
        i++;
        if (item.len) DW_SVEC_PUSH(*out, dw_str_cstr(a, item));
    }
}

static void hado_env(dw_arena *a, hado *h)
{
    int b;
    if ((b = env_bool("HADOLINT_NOFAIL")) >= 0) h->no_fail = b;
    if ((b = env_bool("HADOLINT_STRICT_LABELS")) >= 0) h->strict = b;
    if ((b = env_bool("HADOLINT_DISABLE_IGNORE_PRAGMA")) >= 0) h->no_pragma = b;
    int t = hado_level(getenv("HADOLINT_FAILURE_THRESHOLD"));
    if (t >= 0) h->threshold = t; /* hadolint drops a value it cannot read */
    env_list(a, "HADOLINT_IGNORE", &h->ignore);
    env_list(a, "HADOLINT_OVERRIDE_ERROR", &h->over[DW_SEV_ERROR]);
    env_list(a, "HADOLINT_OVERRIDE_WARNING", &h->over[DW_SEV_WARNING]);
    env_list(a, "HADOLINT_OVERRIDE_INFO", &h->over[DW_SEV_INFO]);
    env_list(a, "HADOLINT_OVERRIDE_STYLE", &h->over[DW_SEV_STYLE]);
    env_list(a, "HADOLINT_TRUSTED_REGISTRIES", &h->registries);
    env_list(a, "HADOLINT_ALLOWED_REGISTRIES", &h->registries); /* its name before 2.10 */
    /* name:type pairs, split at the first colon; bad pairs are dropped */
    strs pairs = {0};
    env_list(a, "HADOLINT_REQUIRE_LABELS", &pairs);
    for (uint32_t i = 0; i < pairs.n; i++) {
        char *colon = strchr(pairs.v[i], ':');
        int lt = colon ? label_type(colon + 1) : -1;
        if (lt < 0 || colon == pairs.v[i]) continue;
        *colon = 0; /* the name ends at the first colon (the string is ours, in the arena) */
        dw_label_rule lr = {pairs.v[i], (dw_label_type)lt};
        DW_SVEC_PUSH(h->labels, lr);
    }
    DW_SVEC_FREE(pairs);
}

/* ---- the file (Hadolint/Config/Configuration.hs) ---- */

/* A list of codes or names. hadolint wants a YAML list; a lone string is
 * taken as a list of one. */
static void file_list(dw_config *c, dw_config_file *f, const char *key, const dw_yaml_node *v, strs *out)
{
    v = dw_yaml_deref(v);
    if (dw_yaml_is_null(v)) return;
    if (v->kind == DW_YAML_SCALAR) {
        DW_SVEC_PUSH(*out, v->value);
        return;
    }
    if (v->kind != DW_YAML_SEQUENCE) {
        dw_cfg_error(c, f, v, "hadolint's '%s' must be a list, not %s", key, dw_yaml_describe(v));
        return;
    }
    for (uint32_t i = 0; i < v->n; i++) {
        const char *s = dw_cfg_str(v->items[i]);
        if (!s) dw_cfg_error(c, f, v->items[i], "hadolint's '%s' must list strings, not %s", key, dw_yaml_describe(v->items[i]));
        else if (*s) DW_SVEC_PUSH(*out, s);
    }
}

static void file_bool(dw_config *c, dw_config_file *f, const char *key, const dw_yaml_node *v, int *out)
{
    bool b;
    if (dw_yaml_is_null(v)) return;
    if (dw_yaml_bool(v, &b) < 0) dw_cfg_error(c, f, v, "hadolint's '%s' must be true or false, not %s", key, dw_yaml_describe(v));
    else *out = b;
}

static void hado_file(dw_config *c, dw_config_file *f, const dw_yaml_node *root, hado *h)
{
    root = dw_yaml_deref(root);
    if (!root || dw_yaml_is_null(root)) return;
    if (root->kind != DW_YAML_MAPPING) {
        dw_cfg_error(c, f, root, "hadolint's config must be a mapping, not %s", dw_yaml_describe(root));
        return;
    }
    for (uint32_t i = 0; i < root->n; i++) {
        const char *key = dw_cfg_str(root->pairs[i].key);
        const dw_yaml_node *v = root->pairs[i].value;
        if (!key) continue;
        if (!strcmp(key, "ignored")) {
            file_list(c, f, key, v, &h->ignore);
        } else if (!strcmp(key, "override")) {
            const dw_yaml_node *m = dw_yaml_deref(v);
            if (dw_yaml_is_null(m)) continue;
            if (m->kind != DW_YAML_MAPPING) {
                dw_cfg_error(c, f, m, "hadolint's 'override' must be a mapping of levels to lists, not %s", dw_yaml_describe(m));
                continue;
            }
            for (uint32_t k = 0; k < m->n; k++) {
                const char *lvl = dw_cfg_str(m->pairs[k].key);
                int s = hado_level(lvl);
                /* hadolint reads only error/warning/info/style here */
                if (s <= DW_SEV_OFF || !strcmp(lvl, "ignore") || !strcmp(lvl, "none")) continue;
                file_list(c, f, lvl, m->pairs[k].value, &h->over[s]);
            }
        } else if (!strcmp(key, "trustedRegistries") || !strcmp(key, "trusted-registries")) {
            file_list(c, f, key, v, &h->registries);
        } else if (!strcmp(key, "label-schema")) {
            const dw_yaml_node *m = dw_yaml_deref(v);
            if (dw_yaml_is_null(m)) continue;
            if (m->kind != DW_YAML_MAPPING) {
                dw_cfg_error(c, f, m, "hadolint's 'label-schema' must map label names to types, not %s", dw_yaml_describe(m));
                continue;
            }
            for (uint32_t k = 0; k < m->n; k++) {
                const char *name = dw_cfg_str(m->pairs[k].key);
                const char *type = dw_yaml_is_null(m->pairs[k].value) ? "" : dw_cfg_str(m->pairs[k].value);
                if (!name || !*name) continue;
                int t = type ? label_type(type) : -1;
                if (t < 0) {
                    dw_cfg_error(c, f, m->pairs[k].value,
                                 "unknown label type %s%s%s for '%s' (text, url, semver, hash, rfc3339, spdx, email)",
                                 type ? "'" : "", type ? type : dw_yaml_describe(m->pairs[k].value), type ? "'" : "", name);
                    continue;
                }
                dw_label_rule lr = {name, (dw_label_type)t};
                DW_SVEC_PUSH(h->labels, lr);
            }
        } else if (!strcmp(key, "strict-labels")) {
            file_bool(c, f, key, v, &h->strict);
        } else if (!strcmp(key, "disable-ignore-pragma")) {
            file_bool(c, f, key, v, &h->no_pragma);
        } else if (!strcmp(key, "no-fail")) {
            file_bool(c, f, key, v, &h->no_fail);
        } else if (!strcmp(key, "failure-threshold")) {
            if (dw_yaml_is_null(v)) continue;
            int t = hado_level(dw_cfg_str(v));
            if (t < 0) dw_cfg_error(c, f, v, "unknown failure threshold in hadolint's config (error, warning, info, style, ignore, none)");
            else h->threshold = t;
        }
        /* format, formats, output-format, no-color, verbose: output only;
         * any other key: hadolint ignores it, and so do we */
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Turns the collected settings into the config. Lists from the environment
 * and the file are merged; for each rule the override with the highest
 * level wins (error > warning > info > style), and `ignored` beats all. */
static void hado_apply(dw_config *c, hado *h)
{
    for (int s = DW_SEV_STYLE; s <= DW_SEV_ERROR; s++)
        for (uint32_t i = 0; i < h->over[s].n; i++) dw_config_set(c, h->over[s].v[i], (dw_severity)s);
    for (uint32_t i = 0; i < h->ignore.n; i++) dw_config_set(c, h->ignore.v[i], DW_SEV_OFF); /* unknown (SC) codes: kept below */
    dw_cfg_append(&c->arena, &c->ignored_codes, &c->nignored_codes, h->ignore.v, h->ignore.n);
    /* registries: hadolint keeps a sorted set; so do we (sorting keeps the
     * de-duplication linear-logarithmic on any list) */
    if (h->registries.n > 1) qsort(h->registries.v, h->registries.n, sizeof *h->registries.v, cmp_str);
    uint32_t nu = 0;
    for (uint32_t i = 0; i < h->registries.n; i++)
        if (!nu || strcmp(h->registries.v[nu - 1], h->registries.v[i]) != 0) h->registries.v[nu++] = h->registries.v[i];
    dw_cfg_append(&c->arena, &c->trusted_registries, &c->ntrusted, h->registries.v, nu);
    dw_cfg_add_labels(c, h->labels.v, h->labels.n);
    if (h->strict >= 0) c->strict_labels = h->strict;
    if (h->no_pragma >= 0) c->disable_ignore_pragma = h->no_pragma;
    if (h->no_fail >= 0) c->no_fail = h->no_fail;
    c->failure_threshold = h->threshold >= 0 ? (dw_severity)h->threshold : DW_SEV_INFO; /* hadolint's default */
}

void dw_cfg_hadolint(dw_config *c, dw_config_file *f, const dw_yaml_node *root)
{
    hado h;
    memset(&h, 0, sizeof h);
    h.no_fail = h.strict = h.no_pragma = h.threshold = -1;
    hado_env(&c->arena, &h);        /* env < file for single values; lists merge */
    if (f) hado_file(c, f, root, &h);
    hado_apply(c, &h);
    DW_SVEC_FREE(h.ignore);
    for (int s = 0; s <= DW_SEV_ERROR; s++) DW_SVEC_FREE(h.over[s]);
    DW_SVEC_FREE(h.registries);
    DW_SVEC_FREE(h.labels);
}

/* ---- dclint ---- */

/* A level: the integer 0, 1 or 2 (off, warning, error). */
static int dclint_level(const dw_yaml_node *n)
{
    n = dw_yaml_deref(n);
    if (!n || n->kind != DW_YAML_SCALAR || n->len != 1) return -1;
    switch (n->value[0]) {
    case '0': return DW_SEV_OFF;
    case '1': return DW_SEV_WARNING;
    case '2': return DW_SEV_ERROR;
    default: return -1;
    }
}

/* True when `name` addresses Compose rules only: a dclint rule name (our
 * Compose rules carry them as aliases) or one of our Compose slugs. dclint
 * rejects any other name ("Unknown rule name"), so do we: it is a typo. */
static bool compose_rule_named(const char *name)
{
    const dw_rule *found[64];
    uint32_t n = dw_rules_named(name, found, 64);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(found[i]->family, "compose") != 0) return false;
    return n > 0 && !dw_sc_code(name, strlen(name));
}

void dw_cfg_dclint(dw_config *c, dw_config_file *f, const dw_yaml_node *root)
{
    root = dw_yaml_deref(root);
    if (!root || dw_yaml_is_null(root)) return;
    if (root->kind != DW_YAML_MAPPING) {
        dw_cfg_error(c, f, root, "dclint's config must be a mapping, not %s", dw_yaml_describe(root));
        return;
    }
    DW_VEC(dw_rule_setting) rules = {0};
    strs excl = {0};
    for (uint32_t i = 0; i < root->n; i++) {
        const char *key = dw_cfg_str(root->pairs[i].key);
        const dw_yaml_node *v = dw_yaml_deref(root->pairs[i].value);
        if (!key) continue;
        if (!strcmp(key, "rules")) {
            if (dw_yaml_is_null(v)) continue;
            if (v->kind != DW_YAML_MAPPING) {
                dw_cfg_error(c, f, v, "dclint's 'rules' must be a mapping, not %s", dw_yaml_describe(v));
                continue;
            }
            for (uint32_t k = 0; k < v->n; k++) {
                const char *name = dw_cfg_str(v->pairs[k].key);
                const dw_yaml_node *val = dw_yaml_deref(v->pairs[k].value);
                if (!name) continue;
                dw_rule_setting rs = {name, DW_SEV_OFF, NULL};
                int lvl = dclint_level(val);
                if (val->kind == DW_YAML_SEQUENCE && val->n == 2) {
                    lvl = dclint_level(val->items[0]);
                    const dw_yaml_node *opt = dw_yaml_deref(val->items[1]);
                    if (opt->kind != DW_YAML_MAPPING) {
                        dw_cfg_error(c, f, opt, "the options of dclint rule '%s' must be a mapping", name);
                        continue;
                    }
                    rs.options = opt;
                }
                if (lvl < 0) {
                    dw_cfg_error(c, f, val, "dclint rule '%s' needs a level 0, 1 or 2, or [level, {options}]", name);
                    continue;
                }
                if (!compose_rule_named(name)) {
                    dw_cfg_error(c, f, v->pairs[k].key,
                                 "unknown rule '%s' in dclint's config (a dclint rule, or the slug of a Compose rule)",
                                 name);
                    continue;
                }
                rs.severity = (dw_severity)lvl;
                DW_SVEC_PUSH(rules, rs);
                dw_config_set(c, name, rs.severity);
            }
        } else if (!strcmp(key, "exclude")) {
            if (dw_yaml_is_null(v)) continue;
            if (v->kind != DW_YAML_SEQUENCE) {
                dw_cfg_error(c, f, v, "dclint's 'exclude' must be a list, not %s", dw_yaml_describe(v));
                continue;
            }
            for (uint32_t k = 0; k < v->n; k++) {
                const char *s = dw_cfg_str(v->items[k]);
                if (s && *s) DW_SVEC_PUSH(excl, s);
                else dw_cfg_error(c, f, v->items[k], "dclint's 'exclude' must list paths");
            }
        } else if (!strcmp(key, "quiet") || !strcmp(key, "debug") || !strcmp(key, "$schema")) {
            /* output only */
        } else {
            dw_cfg_error(c, f, root->pairs[i].key, "unknown key '%s' in dclint's config (rules, exclude, quiet, debug)", key);
        }
    }
    if (rules.n) {
        dw_rule_setting *all = DW_NEW(&c->arena, dw_rule_setting, (size_t)c->ncompose_rules + rules.n);
        if (c->ncompose_rules) memcpy(all, c->compose_rules, sizeof *all * c->ncompose_rules);
        memcpy(all + c->ncompose_rules, rules.v, sizeof *all * rules.n);
        c->compose_rules = all;
        c->ncompose_rules += rules.n;
    }
    if (excl.n) {
        dw_cfg_append(&c->arena, &c->compose_exclude, &c->ncompose_exclude, excl.v, excl.n);
        c->compose_exclude_base = f->abs_dir;
    }
    DW_SVEC_FREE(rules);
    DW_SVEC_FREE(excl);
}
