/* compose_pragmas.h — the comments in a Compose file that silence findings.
 *
 * Ours:
 *   `# dockwright ignore=rule,rule` on the line above a key (comment lines
 *   may come between) silences those rules on the key's line and, when the
 *   key holds a block (a service, a list), on every line of that block; at
 *   the end of the key's own line it does the same;
 *   `# dockwright global ignore=rule,...` anywhere: the whole file.
 * dclint's, as dclint 3.1.0 reads them (src/util/comments-handler.ts):
 *   `# dclint disable-file` or `# dclint disable` on the first line that is
 *   neither blank nor `---`: every rule, the whole file;
 *   `# dclint disable rule-a rule-b` on that line: those rules, the whole file
 *   (on any later line dclint ignores it, and so do we);
 *   `# dclint disable-line [rule ...]` on a line of its own: the next line;
 *   at the end of a line: that line; no rule named = every rule.
 *   dclint has no `disable-next-line`. Names are separated by blanks (ours
 *   by commas). A dclint comment naming no rule does not silence
 *   yaml-syntax, duplicate-key or compose-schema, which dclint reports as
 *   invalid-yaml / invalid-schema whatever the comments say.
 * Differences from dclint: only real YAML comments count (dclint matches its
 * patterns anywhere in a line, quoted text included), and `# dclint
 * disable-line rule` on the first line does not also disable `rule` for the
 * whole file.
 * A rule name may be its slug or any alias (dw_rules_named).
 * The config's disable-ignore-pragma (ours or hadolint's) turns every one of
 * these off, as it turns off the Dockerfile pragmas: the engine (settle()
 * in lint_files.c) then does not read them. */
#ifndef DW_COMPOSE_PRAGMAS_H
#define DW_COMPOSE_PRAGMAS_H

#include "rule.h"

struct dw_compose_file;
typedef struct dw_compose_pragmas dw_compose_pragmas;

/* Reads the comments of one file (NULL when it has none that matter). */
dw_compose_pragmas *dw_compose_pragmas_read(const struct dw_compose_file *f);
/* True when a finding of rule `r` at byte `offset` of `f` is silenced. */
bool dw_compose_pragmas_suppress(const dw_compose_pragmas *pg, const struct dw_compose_file *f, const dw_rule *r,
                                 uint32_t offset);
void dw_compose_pragmas_free(dw_compose_pragmas *pg);

#endif
