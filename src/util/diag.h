/* diag.h — emitting diagnostics into a file's arena. */
#ifndef DW_DIAG_H
#define DW_DIAG_H

#include "util.h"

/* Appends a diagnostic; the message is printf-formatted into the arena.
 * Returns it so the caller can add help or a fix. */
dw_diag *dw_diag_emit(dw_arena *a, dw_diags *d, const char *rule, dw_severity sev,
                      dw_span span, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void dw_diags_sort(dw_diags *d);

#endif
