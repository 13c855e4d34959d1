/* config_int.h — shared by the config loaders: config_load.c finds and
 * reads the files and maps dockwright's own keys; config_peers.c maps
 * hadolint's (file and environment) and dclint's. */
#ifndef DW_CONFIG_INT_H
#define DW_CONFIG_INT_H

#include "rule.h"
#include "../util/diag.h"
#include "../yaml/yaml_tree.h"

/* Adds a config-error finding on node `at` of file f (at the file's start
 * when `at` is NULL). */
void dw_cfg_error(dw_config *c, dw_config_file *f, const dw_yaml_node *at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A scalar's value, or NULL when n is not a scalar. */
const char *dw_cfg_str(const dw_yaml_node *n);

/* Appends `n` strings to an arena array (one copy, however long the list). */
void dw_cfg_append(dw_arena *a, const char ***v, uint32_t *nv, const char *const *add, uint32_t n);

/* Appends `n` required labels (one copy). */
void dw_cfg_add_labels(dw_config *c, const dw_label_rule *add, uint32_t n);

/* Maps hadolint's config: the HADOLINT_* environment, then the file (f and
 * root may be NULL when only the environment is set). */
void dw_cfg_hadolint(dw_config *c, dw_config_file *f, const dw_yaml_node *root);
/* True when any HADOLINT_* variable that sets an option is present. */
bool dw_cfg_hadolint_env_set(void);
/* Maps dclint's config for the Compose rules. */
void dw_cfg_dclint(dw_config *c, dw_config_file *f, const dw_yaml_node *root);

#endif
