/* docs.c — the rule pages (docs/rules/<slug>.md), embedded at build time. */
#include "rule.h"

extern const struct { const char *slug; const char *text; } dw_rule_docs[];

const char *dw_rule_doc(const char *slug)
{
    for (size_t i = 0; dw_rule_docs[i].slug; i++)
        if (!strcmp(dw_rule_docs[i].slug, slug)) return dw_rule_docs[i].text;
    return NULL;
}
