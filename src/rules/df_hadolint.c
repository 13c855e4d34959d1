/* df_hadolint.c — section A rules with hadolint aliases only. */
#include "rule.h"

/* instruction-order: not implemented yet */
void check_instruction_order(dw_lint *ctx) { (void)ctx; }

/* expose-port-range: not implemented yet */
void check_expose_port_range(dw_lint *ctx) { (void)ctx; }

/* copy-from-unknown-stage: not implemented yet */
void check_copy_from_unknown_stage(dw_lint *ctx) { (void)ctx; }

/* copy-from-self: not implemented yet */
void check_copy_from_self(dw_lint *ctx) { (void)ctx; }

/* copy-dest-slash: not implemented yet */
void check_copy_dest_slash(dw_lint *ctx) { (void)ctx; }

/* onbuild-forbidden: not implemented yet */
void check_onbuild_forbidden(dw_lint *ctx) { (void)ctx; }

/* env-self-reference: not implemented yet */
void check_env_self_reference(dw_lint *ctx) { (void)ctx; }

/* copy-relative-no-workdir: not implemented yet */
void check_copy_relative_no_workdir(dw_lint *ctx) { (void)ctx; }

/* inline-ignore: not implemented yet */
void check_inline_ignore(dw_lint *ctx) { (void)ctx; }

/* latest-tag: not implemented yet */
void check_latest_tag(dw_lint *ctx) { (void)ctx; }

/* untagged-image: not implemented yet */
void check_untagged_image(dw_lint *ctx) { (void)ctx; }

/* trusted-registry: not implemented yet */
void check_trusted_registry(dw_lint *ctx) { (void)ctx; }

/* last-user-root: not implemented yet */
void check_last_user_root(dw_lint *ctx) { (void)ctx; }

/* user-non-numeric: not implemented yet */
void check_user_non_numeric(dw_lint *ctx) { (void)ctx; }

/* copy-whole-filesystem: not implemented yet */
void check_copy_whole_filesystem(dw_lint *ctx) { (void)ctx; }

/* healthcheck-missing: not implemented yet */
void check_healthcheck_missing(dw_lint *ctx) { (void)ctx; }

/* label-invalid-key: not implemented yet */
void check_label_invalid_key(dw_lint *ctx) { (void)ctx; }

/* label-missing: not implemented yet */
void check_label_missing(dw_lint *ctx) { (void)ctx; }

/* label-superfluous: not implemented yet */
void check_label_superfluous(dw_lint *ctx) { (void)ctx; }

/* label-empty: not implemented yet */
void check_label_empty(dw_lint *ctx) { (void)ctx; }

/* label-not-url: not implemented yet */
void check_label_not_url(dw_lint *ctx) { (void)ctx; }

/* label-not-rfc3339: not implemented yet */
void check_label_not_rfc3339(dw_lint *ctx) { (void)ctx; }

/* label-not-spdx: not implemented yet */
void check_label_not_spdx(dw_lint *ctx) { (void)ctx; }

/* label-not-git-hash: not implemented yet */
void check_label_not_git_hash(dw_lint *ctx) { (void)ctx; }

/* label-not-semver: not implemented yet */
void check_label_not_semver(dw_lint *ctx) { (void)ctx; }

/* label-not-email: not implemented yet */
void check_label_not_email(dw_lint *ctx) { (void)ctx; }

