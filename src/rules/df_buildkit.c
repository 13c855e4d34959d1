/* df_buildkit.c — the rules that carry a BuildKit build-check name. */
#include "rule.h"

/* stage-name-casing: not implemented yet */
void check_stage_name_casing(dw_lint *ctx) { (void)ctx; }

/* from-as-casing: not implemented yet */
void check_from_as_casing(dw_lint *ctx) { (void)ctx; }

/* instruction-casing: not implemented yet */
void check_instruction_casing(dw_lint *ctx) { (void)ctx; }

/* empty-continuation: not implemented yet */
void check_empty_continuation(dw_lint *ctx) { (void)ctx; }

/* duplicate-stage-name: not implemented yet */
void check_duplicate_stage_name(dw_lint *ctx) { (void)ctx; }

/* reserved-stage-name: not implemented yet */
void check_reserved_stage_name(dw_lint *ctx) { (void)ctx; }

/* json-args-recommended: not implemented yet */
void check_json_args_recommended(dw_lint *ctx) { (void)ctx; }

/* maintainer-deprecated: not implemented yet */
void check_maintainer_deprecated(dw_lint *ctx) { (void)ctx; }

/* undefined-arg-in-from: not implemented yet */
void check_undefined_arg_in_from(dw_lint *ctx) { (void)ctx; }

/* invalid-default-arg-in-from: not implemented yet */
void check_invalid_default_arg_in_from(dw_lint *ctx) { (void)ctx; }

/* undefined-var: not implemented yet */
void check_undefined_var(dw_lint *ctx) { (void)ctx; }

/* workdir-relative-path: not implemented yet */
void check_workdir_relative_path(dw_lint *ctx) { (void)ctx; }

/* multiple-cmd: not implemented yet */
void check_multiple_cmd(dw_lint *ctx) { (void)ctx; }

/* multiple-entrypoint: not implemented yet */
void check_multiple_entrypoint(dw_lint *ctx) { (void)ctx; }

/* multiple-healthcheck: not implemented yet */
void check_multiple_healthcheck(dw_lint *ctx) { (void)ctx; }

/* legacy-key-value: not implemented yet */
void check_legacy_key_value(dw_lint *ctx) { (void)ctx; }

/* redundant-target-platform: not implemented yet */
void check_redundant_target_platform(dw_lint *ctx) { (void)ctx; }

/* from-platform-const: not implemented yet */
void check_from_platform_const(dw_lint *ctx) { (void)ctx; }

/* expose-proto-casing: not implemented yet */
void check_expose_proto_casing(dw_lint *ctx) { (void)ctx; }

/* expose-invalid-format: not implemented yet */
void check_expose_invalid_format(dw_lint *ctx) { (void)ctx; }

/* secrets-in-arg-or-env: not implemented yet */
void check_secrets_in_arg_or_env(dw_lint *ctx) { (void)ctx; }

/* invalid-definition-description: not implemented yet */
void check_invalid_definition_description(dw_lint *ctx) { (void)ctx; }

