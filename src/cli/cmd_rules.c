/* cmd_rules.c — `dockwright rules` (the rule table) and `dockwright explain
 * RULE` (the rule's documentation page). */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int cmd_rules(int argc, char **argv)
{
    const char *format = "text";
    for (int i = 1; i < argc; i++) {
        const char *val;
        int m = cli_opt(argc, argv, &i, "--format", NULL, &val);
        if (m > 0) format = val;
        else if (!strcmp(argv[i], "--help")) {
            puts("usage: dockwright rules [--format text|json]");
            return 0;
        } else return cli_usage_error("rules", "unknown argument '%s'", argv[i]);
    }
    uint32_t n;
    const dw_rule *r = dw_rules(&n);
    if (!strcmp(format, "json")) {
        json_t *arr = json_array();
        for (uint32_t i = 0; i < n; i++) {
            json_t *al = json_array();
            const char *p = r[i].aliases;
            while (*p) {
                const char *e = strchr(p, ',');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                json_array_append_new(al, json_stringn(p, len));
                if (!e) break;
                p = e + 1;
            }
            json_array_append_new(arr, json_pack("{s:s,s:s,s:o,s:s,s:b,s:b,s:o,s:s}", "slug", r[i].slug, "family",
                                                 r[i].family, "aliases", al, "severity",
                                                 dw_severity_name(r[i].severity), "default_off",
                                                 r[i].default_off || r[i].experimental, "experimental",
                                                 r[i].experimental, "fix",
                                                 r[i].fix ? json_string(r[i].fix) : json_null(), "summary",
                                                 r[i].summary));
        }
        json_dumpf(arr, stdout, JSON_INDENT(2));
        putchar('\n');
        json_decref(arr);
        return 0;
    }
    if (strcmp(format, "text")) return cli_usage_error("rules", "unknown format '%s' (text, json)", format);
    printf("%-32s %-8s %-5s %-40s %s\n", "RULE", "SEVERITY", "FIX", "ALIASES", "SUMMARY");
    for (uint32_t i = 0; i < n; i++) {
        char sev[16];
        snprintf(sev, sizeof sev, "%s%s", r[i].default_off || r[i].experimental ? "(" : "", dw_severity_name(r[i].severity));
        if (r[i].default_off || r[i].experimental) strcat(sev, ")");
        printf("%-32s %-8s %-5s %-40s %s\n", r[i].slug, sev, r[i].fix ? r[i].fix : "-",
               r[i].aliases[0] ? r[i].aliases : "-", r[i].summary);
    }
    return 0;
}

int cmd_explain(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help")) {
        puts("usage: dockwright explain RULE   (a slug or an alias such as DL3008 or JSONArgsRecommended)");
        return argc < 2 ? 2 : 0;
    }
    const dw_rule *found[16];
    uint32_t n = dw_rules_named(argv[1], found, 16);
    if (!n) return cli_usage_error("explain", "unknown rule '%s' (see dockwright rules)", argv[1]);
    for (uint32_t i = 0; i < n; i++) {
        if (i) puts("\n---\n");
        const char *doc = dw_rule_doc(found[i]->slug);
        if (doc) fputs(doc, stdout);
        else printf("# %s\n\n%s.\n", found[i]->slug, found[i]->summary);
        printf("\nSeverity: %s%s. Aliases: %s. Fix: %s.\n", dw_severity_name(found[i]->severity),
               found[i]->default_off ? " (off by default)" : found[i]->experimental ? " (experimental: off by default)" : "",
               found[i]->aliases[0] ? found[i]->aliases : "none", found[i]->fix ? found[i]->fix : "none");
    }
    return 0;
}
