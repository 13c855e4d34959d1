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

/* The aliases of a diagnostic: its own code (d->code) when it has one, then
 * its rule's (split on commas), for writers; returns the count, at most max. */
uint32_t dw_out_aliases(const dw_diag *d, dw_str *out, uint32_t max);

/* The rule descriptor of a diagnostic: its meta, else looked up by slug
 * (diagnostics made outside the lint engine have no meta); NULL if unknown. */
const dw_rule *dw_out_rule(const dw_diag *d);

/* Appends n bytes of s to b as safe one-line UTF-8 text: invalid bytes,
 * control characters (C0, DEL, C1), line and paragraph separators and the
 * bidirectional overrides become U+FFFD and a tab or line break becomes a
 * space, so text taken from a file can neither drive the terminal nor split
 * a line. */
void dw_out_clean(dw_buf *b, const char *s, size_t n);
/* Code points that must not reach a terminal or split a line: controls, the
 * line/paragraph separators and the bidi embeddings/overrides/isolates
 * ("Trojan Source", CVE-2021-42574). */
bool dw_out_unsafe_cp(uint32_t cp);

/* Appends n bytes of s to b escaped for XML 1.0 text, or (attr) a quoted
 * attribute value: markup characters as entities, line breaks and tabs of an
 * attribute as character references, and what XML cannot carry (invalid
 * UTF-8, other controls) as U+FFFD, so the document is always well-formed. */
void dw_out_xml(dw_buf *b, const char *s, size_t n, bool attr);

/* The path as a report shows it to tools that want it relative to the
 * working folder: a leading "./" (repeated) is dropped. */
const char *dw_out_rel_path(const char *path);

/* Fingerprints of every diagnostic of fr (out[i] for fr->diags->v[i]), 16
 * hex digits each. A fingerprint hashes the rule, the path, the trimmed text
 * of the line where the finding starts and how many earlier findings of the
 * file share those three, so it survives edits elsewhere in the file (lines
 * moving) and is the same on every run. */
void dw_out_fingerprints(const dw_file_result *fr, char (*out)[17]);

/* A finding's first and last line with its 1-based code-point columns (end
 * exclusive), as every writer reports them. */
typedef struct { dw_pos start, end; } dw_range;
dw_range dw_out_range(const dw_linemap *lines, dw_span sp);

/* JSON helpers shared by the JSON-based writers (jansson). */
struct json_t;
struct json_t *dw_json_text(const char *p, size_t n);
struct json_t *dw_json_diag(const char *path, const dw_linemap *lines, const dw_diag *d);

#endif
