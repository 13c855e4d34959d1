/* config.c — the in-memory configuration: per-rule severities and the
 * settings rules read. Loading from files lives in config_load.c. */
#include "rule.h"
#include "config_int.h"

#include <stdlib.h>

dw_config *dw_config_new(void)
{
    dw_arena a;
    dw_arena_init(&a);
    dw_config *c = dw_arena_alloc(&a, sizeof *c);
    c->arena = a;
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    c->severity = DW_NEW(&c->arena, dw_severity, n);
    c->enabled_explicitly = DW_NEW(&c->arena, bool, n);
    c->severity_set = DW_NEW(&c->arena, bool, n);
    for (uint32_t i = 0; i < n; i++)
        c->severity[i] = r[i].default_off || r[i].experimental ? DW_SEV_OFF : r[i].severity;
    c->failure_threshold = DW_SEV_WARNING;
    return c;
}

void dw_config_free(dw_config *c)
{
    if (!c) return;
    dw_arena a = c->arena;
    dw_arena_free(&a);
}

/* Records the setting of ShellCheck code `code` (the last one wins). It
 * never turns ShellCheck on: --shellcheck does. */
static uint32_t set_sc_code(dw_config *c, uint32_t code, dw_severity sev)
{
    for (uint32_t i = 0; i < c->nsc_codes; i++)
        if (c->sc_codes[i].code == code) {
            c->sc_codes[i].severity = sev;
            return 1;
        }
    /* grown geometrically: thousands of codes in an ignore list stay linear
     * (only this file and dw_config_enable touch the list) */
    c->sc_codes = dw_vec_grow(&c->arena, c->sc_codes, &c->sc_codes_cap, c->nsc_codes + 1, sizeof *c->sc_codes);
    c->sc_codes[c->nsc_codes].code = code;
    c->sc_codes[c->nsc_codes].severity = sev;
    c->nsc_codes++;
    return 1;
}

uint32_t dw_config_set(dw_config *c, const char *name, dw_severity sev)
{
    uint32_t code = dw_sc_code(name, strlen(name));
    if (code) return set_sc_code(c, code, sev);
    const dw_rule *found[64];
    uint32_t n = dw_rules_named(name, found, 64);
    for (uint32_t i = 0; i < n; i++) {
        c->severity[found[i]->index] = sev;
        c->enabled_explicitly[found[i]->index] = sev != DW_SEV_OFF;
        c->severity_set[found[i]->index] = sev != DW_SEV_OFF;
    }
    return n;
}

uint32_t dw_config_enable(dw_config *c, const char *name)
{
    /* enabling a code undoes its disabling; its level is ShellCheck's again */
    uint32_t code = dw_sc_code(name, strlen(name));
    if (code) {
        for (uint32_t i = 0; i < c->nsc_codes; i++)
            if (c->sc_codes[i].code == code) { c->sc_codes[i] = c->sc_codes[--c->nsc_codes]; break; }
        return 1;
    }
    const dw_rule *found[64];
    uint32_t n = dw_rules_named(name, found, 64);
    for (uint32_t i = 0; i < n; i++) {
        c->severity[found[i]->index] = found[i]->severity;
        c->enabled_explicitly[found[i]->index] = true;
    }
    return n;
}

void dw_config_add_registry(dw_config *c, const char *registry)
{
    const char *r = dw_arena_memdup(&c->arena, registry, strlen(registry));
    dw_cfg_append(&c->arena, &c->trusted_registries, &c->ntrusted, &r, 1);
}

static const char *const label_types[] = {"text", "url", "semver", "hash", "rfc3339", "spdx", "email"};

int dw_config_add_label(dw_config *c, const char *spec)
{
    const char *colon = strrchr(spec, ':');
    dw_str name = colon ? dw_str_make(spec, (size_t)(colon - spec)) : dw_str_c(spec);
    const char *type = colon ? colon + 1 : "text";
    if (!name.len) return -1;
    int t = -1;
    for (int i = 0; i < 7; i++)
        if (!strcmp(type, label_types[i]) || (!*type && i == 0)) t = i;
    if (t < 0) return -1;
    dw_label_rule one = {dw_str_cstr(&c->arena, name), (dw_label_type)t};
    dw_cfg_add_labels(c, &one, 1);
    return 0;
}

void dw_config_settle_files(dw_config *c)
{
    for (uint32_t i = 0; i < c->nfiles; i++) {
        dw_diags *ds = &c->files[i].diags;
        uint32_t w = 0;
        for (uint32_t k = 0; k < ds->n; k++) {
            dw_diag *d = &ds->v[k];
            const dw_rule *r = dw_rule_by_slug(d->rule);
            if (r) {
                if (c->severity[r->index] == DW_SEV_OFF) continue;
                d->severity = c->severity[r->index];
            }
            ds->v[w++] = *d;
        }
        ds->n = w;
    }
}
