/* registry.c — the rule table, expanded from rules.def, and look-ups by slug
 * or alias. An alias may name several rules (MultipleInstructionsDisallowed);
 * a slug names one. */
#include "rule.h"

#include <pthread.h>
#include <stdlib.h>

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

/* ---- names: every slug and alias in one hash table ----
 * Names come from configuration, pragmas and dclint comments, which a
 * hostile file can fill with millions of them: each look-up is a few
 * probes, not a walk over every rule's alias list. */

typedef struct {
    const char *name;
    uint32_t len, rule;
    bool slug;
} name_entry;

static name_entry *names_v;
static uint32_t *names_slot; /* entry index + 1, 0 = empty; linear probing */
static uint32_t names_mask;

static void names_add(uint32_t *count, const char *name, size_t len, uint32_t rule, bool slug)
{
    name_entry e = {name, (uint32_t)len, rule, slug};
    names_v[*count] = e;
    uint32_t h = dw_hash_lower(name, len) & names_mask;
    while (names_slot[h]) h = (h + 1) & names_mask;
    names_slot[h] = ++*count; /* equal names follow each other in table order */
}

static void names_build(void)
{
    uint32_t n, total = 0;
    const dw_rule *r = dw_rules(&n);
    for (uint32_t i = 0; i < n; i++) {
        total++;
        for (const char *p = r[i].aliases; *p; p++) total += *p == ',';
        if (*r[i].aliases) total++;
    }
    uint32_t size = 16;
    while (size < 2 * total) size *= 2;
    names_v = dw_xmalloc(sizeof *names_v * total);
    names_slot = calloc(size, sizeof *names_slot);
    if (!names_slot) dw_oom();
    names_mask = size - 1;
    uint32_t count = 0;
    for (uint32_t i = 0; i < n; i++) {
        names_add(&count, r[i].slug, strlen(r[i].slug), i, true);
        for (const char *p = r[i].aliases; *p;) {
            const char *e = strchr(p, ',');
            size_t len = e ? (size_t)(e - p) : strlen(p);
            names_add(&count, p, len, i, false);
            if (!e) break;
            p = e + 1;
        }
    }
}

uint32_t dw_rules_named(const char *name, const dw_rule **out, uint32_t max)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, names_build);
    uint32_t n, found = 0;
    const dw_rule *r = dw_rules(&n);
    size_t len = strlen(name);
    dw_str want = dw_str_make(name, len);
    /* a slug names its rule alone; else every rule with the alias, in table order */
    for (uint32_t h = dw_hash_lower(name, len) & names_mask; names_slot[h]; h = (h + 1) & names_mask) {
        const name_entry *e = &names_v[names_slot[h] - 1];
        if (e->len != len || !dw_str_ieq(dw_str_make(e->name, e->len), want)) continue;
        if (e->slug) {
            if (max) out[0] = &r[e->rule];
            return 1;
        }
        if (found < max) out[found++] = &r[e->rule];
    }
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
