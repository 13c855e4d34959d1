/* registry.c — the rule table, expanded from rules.def, and look-ups by slug
 * or alias. An alias may name several rules (MultipleInstructionsDisallowed);
 * a slug names one. */
#include "rule.h"

#define OFF 1
#define EXPERIMENTAL 2
#define ALSO_COMPOSE 4
#define SEV_ERROR DW_SEV_ERROR
#define SEV_WARNING DW_SEV_WARNING
#define SEV_INFO DW_SEV_INFO
#define SEV_STYLE DW_SEV_STYLE
#define NO_CHECK NULL

static dw_rule table[] = {
#define RULE(slug, family, sev, flags, check, fix, aliases, summary) \
    {slug, family, SEV_##sev, ((flags) & OFF) != 0, ((flags) & EXPERIMENTAL) != 0, aliases, summary, fix, check, 0, \
     ((flags) & ALSO_COMPOSE) != 0},
#include "rules.def"
#undef RULE
};

#define NRULES (sizeof table / sizeof *table)

const dw_rule *dw_rules(uint32_t *count)
{
    static bool numbered;
    if (!numbered) { /* idempotent: every call writes the same values */
        for (uint32_t i = 0; i < NRULES; i++) table[i].index = i;
        numbered = true;
    }
    *count = (uint32_t)NRULES;
    return table;
}

const dw_rule *dw_rule_by_slug(const char *slug)
{
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(r[i].slug, slug) == 0) return &r[i];
    return NULL;
}

bool dw_rule_has_alias(const dw_rule *r, const char *alias, size_t len)
{
    const char *p = r->aliases;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == len && dw_str_ieq(dw_str_make(p, n), dw_str_make(alias, len))) return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

uint32_t dw_rules_named(const char *name, const dw_rule **out, uint32_t max)
{
    uint32_t n, found = 0;
    const dw_rule *r = dw_rules(&n);
    size_t len = strlen(name);
    for (uint32_t i = 0; i < n; i++) {
        if (dw_str_ieq(dw_str_c(r[i].slug), dw_str_make(name, len))) {
            if (max) out[0] = &r[i];
            return 1;
        }
    }
    for (uint32_t i = 0; i < n; i++)
        if (dw_rule_has_alias(&r[i], name, len) && found < max) out[found++] = &r[i];
    /* SC codes are not in the table (ShellCheck has hundreds): each names the
     * shellcheck rule, which the config and pragmas then restrict to it */
    if (!found && dw_sc_code(name, len)) {
        const dw_rule *sc = dw_rule_by_slug("shellcheck");
        if (sc && max) out[found++] = sc;
    }
    return found;
}

uint32_t dw_sc_code(const char *name, size_t len)
{
    if (len != 6 || (name[0] != 'S' && name[0] != 's') || (name[1] != 'C' && name[1] != 'c')) return 0;
    uint32_t code = 0;
    for (size_t i = 2; i < 6; i++) {
        if (name[i] < '0' || name[i] > '9') return 0;
        code = code * 10 + (uint32_t)(name[i] - '0');
    }
    return code;
}
