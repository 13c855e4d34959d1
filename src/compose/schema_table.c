/* schema_table.c — the Compose specification as data: every key, type,
 * enum, pattern and definition of compose-go's schema/compose-spec.json
 * (the schema Docker Compose validates against), written here in C.
 *
 * Layout follows the JSON file: definitions first (bottom-up, so each is
 * declared before it is referred to), then the service, then the top level.
 * A reference (`$ref`) is a pointer to the definition's node, which carries
 * its name; anything written inline in the JSON is inline here, so the
 * compose-schema suite can walk the JSON and this table side by side and
 * fail on the first difference. Keep both in step: when compose-go's schema
 * changes, that test names what to add. */
#include "schema.h"

/* ---- the regular expressions the schema uses ---- */

static bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
static bool is_name_char(char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; }

/* ECMA-262 `.` matches anything but a line terminator: \n, \r, U+2028, U+2029. */
static size_t line_terminator_at(dw_str s, size_t i)
{
    if (s.ptr[i] == '\n' || s.ptr[i] == '\r') return 1;
    if (i + 2 < s.len && (unsigned char)s.ptr[i] == 0xE2 && (unsigned char)s.ptr[i + 1] == 0x80 &&
        ((unsigned char)s.ptr[i + 2] == 0xA8 || (unsigned char)s.ptr[i + 2] == 0xA9))
        return 3;
    return 0;
}

static bool match_ext(dw_str s) { return dw_str_has_prefix(s, "x-"); }

static bool match_name(dw_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++)
        if (!is_name_char(s.ptr[i])) return false;
    return true;
}

static bool match_lower(dw_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++)
        if (s.ptr[i] < 'a' || s.ptr[i] > 'z') return false;
    return true;
}

/* ^.+$ : not empty, no line terminator anywhere */
static bool match_line(dw_str s)
{
    if (!s.len) return false;
    for (size_t i = 0; i < s.len; i++)
        if (line_terminator_at(s, i)) return false;
    return true;
}

/* .+ (unanchored): some character that is not a line terminator */
static bool match_some(dw_str s)
{
    for (size_t i = 0; i < s.len;) {
        size_t t = line_terminator_at(s, i);
        if (!t) return true;
        i += t;
    }
    return false;
}

/* [a-zA-Z0-9][a-zA-Z0-9_.-]+ (unanchored): two such characters in a row */
static bool match_container_name(dw_str s)
{
    for (size_t i = 0; i + 1 < s.len; i++)
        if (is_alnum(s.ptr[i]) && is_name_char(s.ptr[i + 1])) return true;
    return false;
}

static bool contains(dw_str s, const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i + n <= s.len; i++)
        if (memcmp(s.ptr + i, w, n) == 0) return true;
    return false;
}

/* always|never|...|every_([0-9]+[wdhms])+ (unanchored: any of them inside) */
static bool match_pull_policy(dw_str s)
{
    static const char *const words[] = {"always", "never", "build", "if_not_present", "missing",
                                        "refresh", "daily", "weekly"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (contains(s, words[i])) return true;
    for (size_t i = 0; i + 6 <= s.len; i++) {
        if (memcmp(s.ptr + i, "every_", 6) != 0) continue;
        size_t j = i + 6, d = j;
        while (j < s.len && s.ptr[j] >= '0' && s.ptr[j] <= '9') j++;
        if (j > d && j < s.len && s.ptr[j] && strchr("wdhms", s.ptr[j])) return true;
    }
    return false;
}

static const dw_sch_pattern pat_ext = {"^x-", match_ext, "extension keys start with x-"};
static const dw_sch_pattern pat_name = {"^[a-zA-Z0-9._-]+$", match_name,
                                        "names use letters, digits, '.', '_' and '-' only"};
static const dw_sch_pattern pat_lower = {"^[a-z]+$", match_lower, "lower-case letters only"};
static const dw_sch_pattern pat_line = {"^.+$", match_line, "a non-empty key on one line"};
static const dw_sch_pattern pat_some = {".+", match_some, "a non-empty key"};
static const dw_sch_pattern pat_container_name = {
    "[a-zA-Z0-9][a-zA-Z0-9_.-]+", match_container_name,
    "at least two characters: a letter or digit, then letters, digits, '_', '.' or '-'"};
static const dw_sch_pattern pat_pull_policy = {
    "always|never|build|if_not_present|missing|refresh|daily|weekly|every_([0-9]+[wdhms])+", match_pull_policy,
    "always, never, missing, build, if_not_present, refresh, daily, weekly or every_<duration> such as every_12h"};

const dw_sch_pattern *const dw_sch_patterns[] = {&pat_ext,  &pat_name,           &pat_lower,       &pat_line,
                                                 &pat_some, &pat_container_name, &pat_pull_policy, NULL};

/* ---- notation ---- */

#define T(x) DW_SCH_##x
#define NODE(...) (&(const dw_sch){__VA_ARGS__})
#define TYPE(t) .types = (uint8_t)(t)
#define PROPS(...) .props = (const dw_sch_prop[]){__VA_ARGS__, {NULL, NULL}}
#define PPROPS(...) .pprops = (const dw_sch_pprop[]){__VA_ARGS__, {NULL, NULL}}
#define EXT PPROPS({&pat_ext, NULL}) /* "patternProperties": {"^x-": {}} */
#define CLOSED .closed = true        /* "additionalProperties": false */
#define UNIQUE .unique = true
#define ITEMS(s) .items = (s)
#define ONE_OF(...) .one_of = (const dw_sch *const[]){__VA_ARGS__, NULL}
#define ENUM(...) .enums = (const char *const[]){__VA_ARGS__, NULL}
#define REQUIRED(...) .required = (const char *const[]){__VA_ARGS__, NULL}
#define MIN(x) .has_min = true, .min = (x)
#define MAX(x) .has_max = true, .max = (x)

/* leaves used in many places */
static const dw_sch s_str = {TYPE(T(STR))};
static const dw_sch s_bool = {TYPE(T(BOOL))};
static const dw_sch s_int = {TYPE(T(INT))};
static const dw_sch s_num = {TYPE(T(NUM))};
static const dw_sch s_null = {TYPE(T(NULL))};
static const dw_sch s_object = {TYPE(T(OBJ))};
static const dw_sch s_bool_str = {TYPE(T(BOOL) | T(STR))};
static const dw_sch s_int_str = {TYPE(T(INT) | T(STR))};
static const dw_sch s_num_str = {TYPE(T(NUM) | T(STR))};
static const dw_sch s_str_null = {TYPE(T(STR) | T(NULL))};
static const dw_sch s_str_array = {TYPE(T(ARR)), ITEMS(&s_str)};
static const dw_sch s_str_set = {TYPE(T(ARR)), ITEMS(&s_str), UNIQUE};
static const dw_sch s_str_or_num_set = {TYPE(T(ARR)), ITEMS(NODE(TYPE(T(STR) | T(NUM)))), UNIQUE};
static const dw_sch s_driver_opts = {TYPE(T(OBJ)), PPROPS({&pat_line, NODE(TYPE(T(STR) | T(NUM)))})};

/* ---- definitions ($defs) ---- */

static const dw_sch d_list_of_strings = {.def = "list_of_strings", TYPE(T(ARR)), ITEMS(&s_str), UNIQUE};

static const dw_sch d_list_or_dict = {
    .def = "list_or_dict",
    ONE_OF(NODE(TYPE(T(OBJ)), PPROPS({&pat_some, NODE(TYPE(T(STR) | T(NUM) | T(BOOL) | T(NULL)))}), CLOSED),
           &s_str_set)};

static const dw_sch d_string_or_list = {.def = "string_or_list", ONE_OF(&s_str, &d_list_of_strings)};

static const dw_sch d_command = {.def = "command", ONE_OF(&s_null, &s_str, &s_str_array)};

static const dw_sch d_service_hook = {
    .def = "service_hook", TYPE(T(OBJ)),
    PROPS({"command", &d_command}, {"user", &s_str}, {"privileged", &s_bool_str}, {"working_dir", &s_str},
          {"environment", &d_list_or_dict}),
    CLOSED, EXT, REQUIRED("command")};

static const dw_sch d_pre_start_hook = {
    .def = "pre_start_hook", TYPE(T(OBJ)),
    PROPS({"command", &d_command}, {"image", &s_str}, {"user", &s_str}, {"privileged", &s_bool_str},
          {"working_dir", &s_str}, {"environment", &d_list_or_dict}, {"per_replica", &s_bool_str}),
    CLOSED, EXT};

static const dw_sch d_env_file = {
    .def = "env_file",
    ONE_OF(&s_str, NODE(TYPE(T(ARR)),
                        ITEMS(NODE(ONE_OF(&s_str, NODE(TYPE(T(OBJ)), CLOSED,
                                                       PROPS({"path", &s_str}, {"format", &s_str},
                                                             {"required", &s_bool_str}),
                                                       REQUIRED("path")))))))};

static const dw_sch d_label_file = {.def = "label_file", ONE_OF(&s_str, &s_str_array)};

static const dw_sch d_extra_hosts = {
    .def = "extra_hosts",
    ONE_OF(NODE(TYPE(T(OBJ)), PPROPS({&pat_some, NODE(ONE_OF(&s_str, &s_str_array))}), CLOSED), &s_str_set)};

static const dw_sch d_blkio_limit = {.def = "blkio_limit", TYPE(T(OBJ)),
                                     PROPS({"path", &s_str}, {"rate", &s_int_str}), CLOSED};

static const dw_sch d_blkio_weight = {.def = "blkio_weight", TYPE(T(OBJ)),
                                      PROPS({"path", &s_str}, {"weight", &s_int_str}), CLOSED};

static const dw_sch d_service_config_or_secret = {
    .def = "service_config_or_secret", TYPE(T(ARR)),
    ITEMS(NODE(ONE_OF(&s_str, NODE(TYPE(T(OBJ)),
                                   PROPS({"source", &s_str}, {"target", &s_str}, {"uid", &s_str}, {"gid", &s_str},
                                         {"mode", &s_num_str}),
                                   CLOSED, EXT))))};

static const dw_sch d_ulimits = {
    .def = "ulimits", TYPE(T(OBJ)),
    PPROPS({&pat_lower, NODE(ONE_OF(&s_int_str, NODE(TYPE(T(OBJ)), PROPS({"hard", &s_int_str}, {"soft", &s_int_str}),
                                                     REQUIRED("soft", "hard"), CLOSED, EXT)))})};

static const dw_sch d_generic_resources = {
    .def = "generic_resources", TYPE(T(ARR)),
    ITEMS(NODE(TYPE(T(OBJ)),
               PROPS({"discrete_resource_spec",
                      NODE(TYPE(T(OBJ)), PROPS({"kind", &s_str}, {"value", &s_num_str}), CLOSED, EXT)}),
               CLOSED, EXT))};

static const dw_sch d_devices = {
    .def = "devices", TYPE(T(ARR)),
    ITEMS(NODE(TYPE(T(OBJ)),
               PROPS({"capabilities", &d_list_of_strings}, {"count", NODE(TYPE(T(STR) | T(INT)))},
                     {"device_ids", &d_list_of_strings}, {"driver", &s_str}, {"options", &d_list_or_dict}),
               CLOSED, EXT, REQUIRED("capabilities")))};

/* The second form is written with additionalProperties and ^x- on the
 * array, not on its items, so the items are open objects: kept as written. */
static const dw_sch d_gpus = {
    .def = "gpus",
    ONE_OF(NODE(TYPE(T(STR)), ENUM("all")),
           NODE(TYPE(T(ARR)),
                ITEMS(NODE(TYPE(T(OBJ)),
                           PROPS({"capabilities", &d_list_of_strings}, {"count", NODE(TYPE(T(STR) | T(INT)))},
                                 {"device_ids", &d_list_of_strings}, {"driver", &s_str},
                                 {"options", &d_list_or_dict}))),
                CLOSED, EXT))};

static const dw_sch d_include = {
    .def = "include",
    ONE_OF(&s_str, NODE(TYPE(T(OBJ)),
                        PROPS({"path", &d_string_or_list}, {"env_file", &d_string_or_list},
                              {"project_directory", &s_str}),
                        CLOSED))};

static const dw_sch d_healthcheck = {
    .def = "healthcheck", TYPE(T(OBJ)),
    PROPS({"disable", &s_bool_str}, {"interval", &s_str}, {"retries", &s_num_str},
          {"test", NODE(ONE_OF(&s_str, &s_str_array))}, {"timeout", &s_str}, {"start_period", &s_str},
          {"start_interval", &s_str}),
    CLOSED, EXT};

static const dw_sch d_development = {
    .def = "development", TYPE(T(OBJ) | T(NULL)),
    PROPS({"watch",
           NODE(TYPE(T(ARR)),
                ITEMS(NODE(TYPE(T(OBJ)), REQUIRED("path", "action"),
                           PROPS({"ignore", &d_string_or_list}, {"include", &d_string_or_list}, {"path", &s_str},
                                 {"action", NODE(TYPE(T(STR)), ENUM("rebuild", "sync", "restart", "sync+restart",
                                                                    "sync+exec"))},
                                 {"target", &s_str}, {"exec", &d_service_hook}, {"initial_sync", &s_bool}),
                           CLOSED, EXT)))}),
    CLOSED, EXT};

/* update_config and rollback_config have the same shape */
static const dw_sch s_update_config = {
    TYPE(T(OBJ)),
    PROPS({"parallelism", &s_int_str}, {"delay", &s_str}, {"failure_action", &s_str}, {"monitor", &s_str},
          {"max_failure_ratio", &s_num_str}, {"order", NODE(TYPE(T(STR)), ENUM("start-first", "stop-first"))}),
    CLOSED, EXT};

static const dw_sch d_deployment = {
    .def = "deployment", TYPE(T(OBJ) | T(NULL)),
    PROPS({"mode", &s_str}, {"endpoint_mode", &s_str}, {"replicas", &s_int_str}, {"labels", &d_list_or_dict},
          {"rollback_config", &s_update_config}, {"update_config", &s_update_config},
          {"resources",
           NODE(TYPE(T(OBJ)),
                PROPS({"limits", NODE(TYPE(T(OBJ)),
                                      PROPS({"cpus", &s_num_str}, {"memory", &s_str}, {"pids", &s_int_str}), CLOSED,
                                      EXT)},
                      {"reservations", NODE(TYPE(T(OBJ)),
                                            PROPS({"cpus", &s_num_str}, {"memory", &s_str},
                                                  {"generic_resources", &d_generic_resources},
                                                  {"devices", &d_devices}),
                                            CLOSED, EXT)}),
                CLOSED, EXT)},
          {"restart_policy", NODE(TYPE(T(OBJ)),
                                  PROPS({"condition", &s_str}, {"delay", &s_str}, {"max_attempts", &s_int_str},
                                        {"window", &s_str}),
                                  CLOSED, EXT)},
          {"placement",
           NODE(TYPE(T(OBJ)),
                PROPS({"constraints", &s_str_array},
                      {"preferences",
                       NODE(TYPE(T(ARR)), ITEMS(NODE(TYPE(T(OBJ)), PROPS({"spread", &s_str}), CLOSED, EXT)))},
                      {"max_replicas_per_node", &s_int_str}),
                CLOSED, EXT)}),
    CLOSED, EXT};

/* name and external (deprecated external.name), the same in volumes and networks */
static const dw_sch s_external_closed = {TYPE(T(BOOL) | T(STR) | T(OBJ)), PROPS({"name", &s_str}), CLOSED, EXT};
static const dw_sch s_external_open = {TYPE(T(BOOL) | T(STR) | T(OBJ)), PROPS({"name", &s_str})};

static const dw_sch d_network = {
    .def = "network", TYPE(T(OBJ) | T(NULL)),
    PROPS({"name", &s_str}, {"driver", &s_str}, {"driver_opts", &s_driver_opts},
          {"ipam",
           NODE(TYPE(T(OBJ)),
                PROPS({"driver", &s_str},
                      {"config", NODE(TYPE(T(ARR)),
                                      ITEMS(NODE(TYPE(T(OBJ)),
                                                 PROPS({"subnet", &s_str}, {"ip_range", &s_str}, {"gateway", &s_str},
                                                       {"aux_addresses",
                                                        NODE(TYPE(T(OBJ)), CLOSED, PPROPS({&pat_line, &s_str}))}),
                                                 CLOSED, EXT)))},
                      {"options", NODE(TYPE(T(OBJ)), CLOSED, PPROPS({&pat_line, &s_str}))}),
                CLOSED, EXT)},
          {"external", &s_external_closed}, {"internal", &s_bool_str}, {"enable_ipv4", &s_bool_str},
          {"enable_ipv6", &s_bool_str}, {"attachable", &s_bool_str}, {"labels", &d_list_or_dict}),
    CLOSED, EXT};

static const dw_sch d_volume = {.def = "volume", TYPE(T(OBJ) | T(NULL)),
                                PROPS({"name", &s_str}, {"driver", &s_str}, {"driver_opts", &s_driver_opts},
                                      {"external", &s_external_closed}, {"labels", &d_list_or_dict}),
                                CLOSED, EXT};

static const dw_sch d_secret = {
    .def = "secret", TYPE(T(OBJ)),
    PROPS({"name", &s_str}, {"environment", &s_str}, {"file", &s_str}, {"external", &s_external_open},
          {"labels", &d_list_or_dict}, {"driver", &s_str}, {"driver_opts", &s_driver_opts},
          {"template_driver", &s_str}),
    CLOSED, EXT};

static const dw_sch d_config = {
    .def = "config", TYPE(T(OBJ)),
    PROPS({"name", &s_str}, {"content", &s_str}, {"environment", &s_str}, {"file", &s_str},
          {"external", &s_external_open}, {"labels", &d_list_or_dict}, {"template_driver", &s_str}),
    CLOSED, EXT};

static const dw_sch d_model = {.def = "model", TYPE(T(OBJ)),
                               PROPS({"name", &s_str}, {"model", &s_str}, {"context_size", &s_int},
                                     {"runtime_flags", &s_str_array}),
                               REQUIRED("model"), CLOSED, EXT};

/* ---- the service ---- */

static const dw_sch s_build = {
    ONE_OF(&s_str,
           NODE(TYPE(T(OBJ)),
                PROPS({"context", &s_str}, {"dockerfile", &s_str}, {"dockerfile_inline", &s_str},
                      {"entitlements", &s_str_array}, {"args", &d_list_or_dict}, {"ssh", &d_list_or_dict},
                      {"labels", &d_list_or_dict}, {"cache_from", &s_str_array}, {"cache_to", &s_str_array},
                      {"no_cache", &s_bool_str}, {"no_cache_filter", &d_string_or_list},
                      {"additional_contexts", &d_list_or_dict}, {"network", &s_str},
                      {"provenance", &s_bool_str}, {"sbom", &s_bool_str}, {"pull", &s_bool_str},
                      {"target", &s_str}, {"shm_size", &s_int_str}, {"extra_hosts", &d_extra_hosts},
                      {"isolation", &s_str}, {"privileged", &s_bool_str},
                      {"secrets", &d_service_config_or_secret}, {"tags", &s_str_array},
                      {"ulimits", &d_ulimits}, {"platforms", &s_str_array}),
                CLOSED, EXT))};

static const dw_sch s_blkio_config = {
    TYPE(T(OBJ)),
    PROPS({"device_read_bps", NODE(TYPE(T(ARR)), ITEMS(&d_blkio_limit))},
          {"device_read_iops", NODE(TYPE(T(ARR)), ITEMS(&d_blkio_limit))},
          {"device_write_bps", NODE(TYPE(T(ARR)), ITEMS(&d_blkio_limit))},
          {"device_write_iops", NODE(TYPE(T(ARR)), ITEMS(&d_blkio_limit))}, {"weight", &s_int_str},
          {"weight_device", NODE(TYPE(T(ARR)), ITEMS(&d_blkio_weight))}),
    CLOSED};

static const dw_sch s_depends_on = {
    ONE_OF(&d_list_of_strings,
           NODE(TYPE(T(OBJ)), CLOSED,
                PPROPS({&pat_name,
                        NODE(TYPE(T(OBJ)), CLOSED, EXT,
                             PROPS({"restart", &s_bool_str}, {"required", &s_bool},
                                   {"condition", NODE(TYPE(T(STR)), ENUM("service_started", "service_healthy",
                                                                         "service_completed_successfully"))}),
                             REQUIRED("condition"))})))};

static const dw_sch s_devices = {
    TYPE(T(ARR)),
    ITEMS(NODE(ONE_OF(&s_str, NODE(TYPE(T(OBJ)), REQUIRED("source"),
                                   PROPS({"source", &s_str}, {"target", &s_str}, {"permissions", &s_str}), CLOSED,
                                   EXT))))};

static const dw_sch s_scalar = {TYPE(T(STR) | T(NUM) | T(BOOL))};
static const dw_sch s_provider = {
    TYPE(T(OBJ)), REQUIRED("type"),
    PROPS({"type", &s_str},
          {"options", NODE(TYPE(T(OBJ)), PPROPS({&pat_line, NODE(ONE_OF(&s_scalar,
                                                                        NODE(TYPE(T(ARR)),
                                                                             ITEMS(&s_scalar))))}))}),
    CLOSED, EXT};

static const dw_sch s_logging = {
    TYPE(T(OBJ)),
    PROPS({"driver", &s_str},
          {"options", NODE(TYPE(T(OBJ)), PPROPS({&pat_line, NODE(TYPE(T(STR) | T(NUM) | T(NULL)))}))}),
    CLOSED, EXT};

static const dw_sch s_service_models = {
    ONE_OF(&d_list_of_strings,
           NODE(TYPE(T(OBJ)),
                PPROPS({&pat_name, NODE(ONE_OF(NODE(TYPE(T(OBJ)),
                                                    PROPS({"endpoint_var", &s_str}, {"model_var", &s_str}), CLOSED,
                                                    EXT),
                                               &s_null))})))};

static const dw_sch s_service_networks = {
    ONE_OF(&d_list_of_strings,
           NODE(TYPE(T(OBJ)), CLOSED,
                PPROPS({&pat_name,
                        NODE(ONE_OF(NODE(TYPE(T(OBJ)),
                                         PROPS({"aliases", &d_list_of_strings}, {"interface_name", &s_str},
                                               {"ipv4_address", &s_str}, {"ipv6_address", &s_str},
                                               {"link_local_ips", &d_list_of_strings}, {"mac_address", &s_str},
                                               {"driver_opts", &s_driver_opts}, {"priority", &s_num},
                                               {"gw_priority", &s_num}),
                                         CLOSED, EXT),
                                    &s_null))})))};

static const dw_sch s_ports = {
    TYPE(T(ARR)), UNIQUE,
    ITEMS(NODE(ONE_OF(&s_num, &s_str,
                      NODE(TYPE(T(OBJ)),
                           PROPS({"name", &s_str}, {"mode", &s_str}, {"host_ip", &s_str}, {"target", &s_int_str},
                                 {"published", &s_int_str}, {"protocol", &s_str}, {"app_protocol", &s_str}),
                           CLOSED, EXT))))};

static const dw_sch s_service_volumes = {
    TYPE(T(ARR)), UNIQUE,
    ITEMS(NODE(ONE_OF(
        &s_str,
        NODE(TYPE(T(OBJ)), REQUIRED("type"),
             PROPS({"type", NODE(TYPE(T(STR)), ENUM("bind", "volume", "tmpfs", "cluster", "npipe", "image"))},
                   {"source", &s_str}, {"target", &s_str}, {"read_only", &s_bool_str}, {"consistency", &s_str},
                   {"bind", NODE(TYPE(T(OBJ)),
                                 PROPS({"propagation", &s_str}, {"create_host_path", &s_bool_str},
                                       {"recursive", NODE(TYPE(T(STR)),
                                                          ENUM("enabled", "disabled", "writable", "readonly"))},
                                       {"selinux", NODE(TYPE(T(STR)), ENUM("z", "Z"))}),
                                 CLOSED, EXT)},
                   {"volume", NODE(TYPE(T(OBJ)),
                                   PROPS({"labels", &d_list_or_dict}, {"nocopy", &s_bool_str}, {"subpath", &s_str}),
                                   CLOSED, EXT)},
                   {"tmpfs", NODE(TYPE(T(OBJ)),
                                  PROPS({"size", NODE(ONE_OF(NODE(TYPE(T(INT)), MIN(0)), &s_str))},
                                        {"mode", &s_num_str}),
                                  CLOSED, EXT)},
                   {"image", NODE(TYPE(T(OBJ)), PROPS({"subpath", &s_str}), CLOSED, EXT)}),
             CLOSED, EXT))))};

static const dw_sch d_service = {
    .def = "service", TYPE(T(OBJ)),
    PROPS({"develop", &d_development}, {"deploy", &d_deployment}, {"annotations", &d_list_or_dict},
          {"attach", &s_bool_str}, {"build", &s_build}, {"blkio_config", &s_blkio_config},
          {"cap_add", &s_str_set}, {"cap_drop", &s_str_set},
          {"cgroup", NODE(TYPE(T(STR)), ENUM("host", "private"))}, {"cgroup_parent", &s_str},
          {"command", &d_command}, {"configs", &d_service_config_or_secret},
          {"container_name", NODE(TYPE(T(STR)), .pattern = &pat_container_name)},
          {"cpu_count", NODE(ONE_OF(&s_str, NODE(TYPE(T(INT)), MIN(0))))},
          {"cpu_percent", NODE(ONE_OF(&s_str, NODE(TYPE(T(INT)), MIN(0), MAX(100))))},
          {"cpu_shares", &s_num_str}, {"cpu_quota", &s_num_str}, {"cpu_period", &s_num_str},
          {"cpu_rt_period", &s_num_str}, {"cpu_rt_runtime", &s_num_str}, {"cpus", &s_num_str},
          {"cpuset", &s_str},
          {"credential_spec",
           NODE(TYPE(T(OBJ)), PROPS({"config", &s_str}, {"file", &s_str}, {"registry", &s_str}), CLOSED, EXT)},
          {"depends_on", &s_depends_on}, {"device_cgroup_rules", &d_list_of_strings}, {"devices", &s_devices},
          {"dns", &d_string_or_list}, {"dns_opt", &s_str_set}, {"dns_search", &d_string_or_list},
          {"domainname", &s_str}, {"entrypoint", &d_command}, {"env_file", &d_env_file},
          {"label_file", &d_label_file}, {"environment", &d_list_or_dict}, {"expose", &s_str_or_num_set},
          {"extends", NODE(ONE_OF(&s_str, NODE(TYPE(T(OBJ)), PROPS({"service", &s_str}, {"file", &s_str}),
                                               REQUIRED("service"), CLOSED)))},
          {"provider", &s_provider}, {"external_links", &s_str_set}, {"extra_hosts", &d_extra_hosts},
          {"gpus", &d_gpus}, {"group_add", &s_str_or_num_set}, {"healthcheck", &d_healthcheck},
          {"hostname", &s_str}, {"image", &s_str}, {"init", &s_bool_str}, {"ipc", &s_str}, {"isolation", &s_str},
          {"labels", &d_list_or_dict}, {"links", &s_str_set}, {"logging", &s_logging}, {"mac_address", &s_str},
          {"mem_limit", &s_num_str}, {"mem_reservation", &s_int_str}, {"mem_swappiness", &s_int_str},
          {"memswap_limit", &s_num_str}, {"network_mode", &s_str}, {"models", &s_service_models},
          {"networks", &s_service_networks}, {"oom_kill_disable", &s_bool_str},
          {"oom_score_adj", NODE(ONE_OF(&s_str, NODE(TYPE(T(INT)), MIN(-1000), MAX(1000))))},
          {"pid", &s_str_null}, {"pids_limit", &s_num_str}, {"platform", &s_str}, {"ports", &s_ports},
          {"pre_start", NODE(TYPE(T(ARR)), ITEMS(&d_pre_start_hook))},
          {"post_start", NODE(TYPE(T(ARR)), ITEMS(&d_service_hook))},
          {"pre_stop", NODE(TYPE(T(ARR)), ITEMS(&d_service_hook))}, {"privileged", &s_bool_str},
          {"profiles", &d_list_of_strings},
          {"pull_policy", NODE(TYPE(T(STR)), .pattern = &pat_pull_policy)}, {"pull_refresh_after", &s_str},
          {"read_only", &s_bool_str}, {"restart", &s_str}, {"runtime", &s_str}, {"scale", &s_int_str},
          {"security_opt", &s_str_set}, {"shm_size", &s_num_str}, {"secrets", &d_service_config_or_secret},
          {"sysctls", &d_list_or_dict}, {"stdin_open", &s_bool_str}, {"stop_grace_period", &s_str},
          {"stop_signal", &s_str}, {"storage_opt", &s_object}, {"tmpfs", &d_string_or_list},
          {"tty", &s_bool_str}, {"ulimits", &d_ulimits}, {"use_api_socket", &s_bool}, {"user", &s_str},
          {"uts", &s_str}, {"userns_mode", &s_str}, {"volumes", &s_service_volumes},
          {"volumes_from", &s_str_set}, {"working_dir", &s_str}),
    EXT, CLOSED};

/* ---- the file ---- */

const dw_sch dw_sch_root = {
    TYPE(T(OBJ)),
    PROPS({"version", &s_str}, {"name", &s_str}, {"include", NODE(TYPE(T(ARR)), ITEMS(&d_include))},
          {"services", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_service}), CLOSED)},
          {"models", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_model}))},
          {"networks", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_network}))},
          {"volumes", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_volume}), CLOSED)},
          {"secrets", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_secret}), CLOSED)},
          {"configs", NODE(TYPE(T(OBJ)), PPROPS({&pat_name, &d_config}), CLOSED)}),
    EXT, CLOSED};

const dw_sch *const dw_sch_defs[] = {
    &d_service,       &d_healthcheck,    &d_development,  &d_deployment,     &d_generic_resources,
    &d_devices,       &d_gpus,           &d_include,      &d_network,        &d_volume,
    &d_secret,        &d_config,         &d_model,        &d_command,        &d_service_hook,
    &d_pre_start_hook, &d_env_file,      &d_label_file,   &d_string_or_list, &d_list_of_strings,
    &d_list_or_dict,  &d_extra_hosts,    &d_blkio_limit,  &d_blkio_weight,   &d_service_config_or_secret,
    &d_ulimits,       NULL};

/* ---- what compose-go does around the schema ---- */

const dw_sch_cast dw_sch_casts[] = {
    {"services.*.cpu_count", DW_CAST_INT64},
    {"services.*.cpu_percent", DW_CAST_FLOAT},
    {"services.*.cpu_period", DW_CAST_INT64},
    {"services.*.cpu_quota", DW_CAST_INT64},
    {"services.*.cpu_rt_period", DW_CAST_INT64},
    {"services.*.cpu_rt_runtime", DW_CAST_INT64},
    {"services.*.cpus", DW_CAST_FLOAT32},
    {"services.*.cpu_shares", DW_CAST_INT64},
    {"services.*.init", DW_CAST_BOOL},
    {"services.*.depends_on.*.required", DW_CAST_BOOL},
    {"services.*.depends_on.*.restart", DW_CAST_BOOL},
    {"services.*.deploy.replicas", DW_CAST_INT},
    {"services.*.deploy.update_config.parallelism", DW_CAST_INT},
    {"services.*.deploy.update_config.max_failure_ratio", DW_CAST_FLOAT},
    {"services.*.deploy.rollback_config.parallelism", DW_CAST_INT},
    {"services.*.deploy.rollback_config.max_failure_ratio", DW_CAST_FLOAT},
    {"services.*.deploy.restart_policy.max_attempts", DW_CAST_INT},
    {"services.*.deploy.placement.max_replicas_per_node", DW_CAST_INT},
    {"services.*.healthcheck.retries", DW_CAST_INT},
    {"services.*.healthcheck.disable", DW_CAST_BOOL},
    {"services.*.oom_kill_disable", DW_CAST_BOOL},
    {"services.*.oom_score_adj", DW_CAST_INT64},
    {"services.*.pids_limit", DW_CAST_INT64},
    {"services.*.ports.[].target", DW_CAST_INT},
    {"services.*.privileged", DW_CAST_BOOL},
    {"services.*.read_only", DW_CAST_BOOL},
    {"services.*.scale", DW_CAST_INT},
    {"services.*.stdin_open", DW_CAST_BOOL},
    {"services.*.tty", DW_CAST_BOOL},
    {"services.*.ulimits.*", DW_CAST_INT},
    {"services.*.ulimits.*.hard", DW_CAST_INT},
    {"services.*.ulimits.*.soft", DW_CAST_INT},
    {"services.*.volumes.[].read_only", DW_CAST_BOOL},
    {"services.*.volumes.[].volume.nocopy", DW_CAST_BOOL},
    {"networks.*.external", DW_CAST_BOOL},
    {"networks.*.internal", DW_CAST_BOOL},
    {"networks.*.attachable", DW_CAST_BOOL},
    {"networks.*.enable_ipv4", DW_CAST_BOOL},
    {"networks.*.enable_ipv6", DW_CAST_BOOL},
    {"volumes.*.external", DW_CAST_BOOL},
    {"secrets.*.external", DW_CAST_BOOL},
    {"configs.*.external", DW_CAST_BOOL},
    {NULL, DW_CAST_INT}};

/* `build.platform` is spelled as compose-go spells it (the schema's key is
 * `platforms`, which has no uniqueItems anyway). */
const char *const dw_sch_deduplicated[] = {
    "networks.*.labels",          "networks.*.ipam.options",
    "services.*.annotations",     "services.*.build.args",
    "services.*.build.additional_contexts", "services.*.build.platform",
    "services.*.build.tags",      "services.*.build.labels",
    "services.*.cap_add",         "services.*.cap_drop",
    "services.*.devices",         "services.*.configs",
    "services.*.deploy.labels",   "services.*.dns",
    "services.*.dns_opt",         "services.*.dns_search",
    "services.*.environment",     "services.*.env_file",
    "services.*.expose",          "services.*.labels",
    "services.*.links",           "services.*.networks.*.aliases",
    "services.*.networks.*.link_local_ips", "services.*.ports",
    "services.*.profiles",        "services.*.secrets",
    "services.*.sysctls",         "services.*.tmpfs",
    "services.*.volumes",         NULL};
