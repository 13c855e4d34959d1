/* df_directives.h — BuildKit's directive look-ups (DirectiveParser.ParseAll,
 * DetectSyntax, ParseDirective). */
#ifndef DW_DF_DIRECTIVES_H
#define DW_DF_DIRECTIVES_H

#include "../util/util.h"

/* Parses the directive block at the top of `data`, lines prefixed with
 * `prefix` ("#" or "//"); line numbers continue from line0. Returns 0, or -1
 * with *err for a repeated directive (what was read so far is returned). */
int dw_directives_parse_all(dw_arena *a, dw_str data, const char *prefix, uint32_t line0,
                            dw_directive **out, uint32_t *n, const char **err);

/* Finds directive `key` (lower case) as DetectSyntax (any_format) or
 * ParseDirective do. *value is the first space-separated token of the
 * value, *cmdline the whole value, *line its 1-based line. */
bool dw_directive_find(dw_arena *a, dw_str data, const char *key, bool any_format, dw_str *value,
                       dw_str *cmdline, uint32_t *line);

bool dw_json_object_string(dw_arena *a, dw_str text, const char *key, dw_str *out);

#endif
