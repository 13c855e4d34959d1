/* output.h — one writer per format; dw_output() dispatches. Every writer
 * sees all files (sorted by path) and all errors. */
#ifndef DW_OUTPUT_H
#define DW_OUTPUT_H

#include "../util/util.h"

void dw_out_tty(FILE *out, const dw_results *r);
void dw_out_gnu(FILE *out, const dw_results *r);
void dw_out_json(FILE *out, const dw_results *r);
void dw_out_sarif(FILE *out, const dw_results *r);
void dw_out_checkstyle(FILE *out, const dw_results *r);
void dw_out_codeclimate(FILE *out, const dw_results *r);
void dw_out_github(FILE *out, const dw_results *r);
void dw_out_junit(FILE *out, const dw_results *r);
void dw_out_sonarqube(FILE *out, const dw_results *r);
void dw_out_hadolint(FILE *out, const dw_results *r);

/* The aliases of a diagnostic's rule as a list (split on commas), for
 * writers; returns the count, at most max. */
uint32_t dw_out_aliases(const dw_diag *d, dw_str *out, uint32_t max);

/* JSON helpers shared by the JSON-based writers (jansson). */
struct json_t;
struct json_t *dw_json_text(const char *p, size_t n);
struct json_t *dw_json_diag(const char *path, const dw_linemap *lines, const dw_diag *d);

#endif
