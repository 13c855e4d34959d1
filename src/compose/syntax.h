/* syntax.h — compose-go's parsers of the strings a Compose value is written
 * as: the short forms of ports and volumes (short_syntax.c) and durations
 * (duration.c). One implementation serves the loader (normalising and
 * merging, where a parse error stops `docker compose config`) and the rules
 * (src/rules/compose_util.c, where a value that does not parse is left
 * alone), so both read a value the way Compose does. */
#ifndef DW_COMPOSE_SYNTAX_H
#define DW_COMPOSE_SYNTAX_H

#include "../util/util.h"

/* ---- ports: go-connections' nat.ParsePortSpec (v0.7, what Compose builds with) ---- */

/* One short-form `ports` item, before it is split into one entry per
 * container port. */
typedef struct {
    dw_str host_ip;               /* [brackets] removed; empty when none */
    bool has_host;                /* a host (published) port is given */
    uint32_t host_lo, host_hi;    /* the published range (lo == hi: one port) */
    uint32_t target_lo, target_hi; /* the container range */
    dw_str protocol;              /* "tcp", "udp" or "sctp" (read in any case) */
} dw_port_range;

/* Parses `[IP:][HOST:]CONTAINER[/PROTO]`. Returns false when Compose
 * refuses it; then, when `a` is not NULL, *err is Compose's message (arena
 * text). */
bool dw_port_parse(dw_str raw, dw_port_range *out, dw_arena *a, const char **err);
/* `N` or `N-M` (M >= N), each 0..65535, as nat's parsePortRange: the long
 * form's `published` is read this way too. */
bool dw_port_range_parse(dw_str s, uint32_t *lo, uint32_t *hi);

/* An IPv4 or IPv6 address, as Go's net.ParseIP reads one (no brackets,
 * no zone): a port's host IP. */
bool dw_ip_valid(dw_str ip);

/* The text of a `ports` item as compose-go parses it: a YAML integer as
 * Go prints it (`0x50` is 80), a string as it is. `buf` holds the digits. */
struct dw_cv;
dw_str dw_port_text(const struct dw_cv *item, char buf[24]);

/* One entry of compose-go's ParsePortConfig output. */
typedef struct {
    dw_str host_ip;
    char published[24];  /* "" when none, "8000-9000" for a dynamic range */
    uint32_t target;
    char protocol[8];
} dw_port_spec;
/* compose-go's ParsePortConfig: one entry per container port, sorted as
 * Compose sorts them ("10/tcp" before "9/tcp"). Returns the count (at most
 * `max`), or -1 with *err (arena text). */
int dw_parse_ports(dw_arena *a, dw_str spec, dw_port_spec *out, int max, const char **err);

/* ---- volumes: compose-go's format.ParseVolume ---- */

typedef struct {
    dw_str type;         /* "bind" or "volume" */
    dw_str source;       /* empty for an anonymous volume */
    dw_str target;
    dw_str options;      /* the third part ("ro,z"), as written; empty when none */
    bool read_only, nocopy;
    dw_str propagation, selinux;
    bool bind;           /* a bind mount: the source is a path (., /, ~, \\, C:) */
} dw_volume_spec;
/* `[SRC:]DST[:OPTS]`, split on `:` outside `${...}` and not after a
 * Windows drive letter. Returns 0, or -1 with *err (static text: "too many
 * colons", "empty section between colons", "invalid empty volume spec"). */
int dw_parse_volume(dw_str spec, dw_volume_spec *out, const char **err);

/* ---- build contexts: compose-go's absContextPath ---- */

/* True for a build context (or additional context) Compose does not
 * resolve against the project folder: a URL or other `scheme://` context
 * (docker-image://, oci://), `service:NAME`, or a git reference
 * (github.com/, git@). Nothing of it is on disk to look at. */
bool dw_context_remote(dw_str s);

/* ---- command lines: go-shellwords, as compose-go's ShellCommand ---- */

typedef void (*dw_word_fn)(void *ud, dw_str word); /* word: valid during the call only */
/* Splits a string `command` / `entrypoint` into its words, each passed to
 * fn (may be NULL). Returns false with *why (static text) when Compose
 * refuses it: a quote left open, a `(` outside quotes. *stop (may be NULL)
 * is where an unquoted `;`, `&`, `|`, `<` or `>` ended the command (Compose
 * drops the rest), else s.len. */
bool dw_shell_split(dw_str s, dw_word_fn fn, void *ud, size_t *stop, const char **why);

/* ---- byte sizes: compose-go's types.UnitBytes (go-units v0.5.0) ---- */

/* An integer (bytes; -1 means unlimited), or a number, an optional space
 * and a unit b, k, m, g, t, p (1024-based), optionally followed by b or ib:
 * `512m`, `1.5 GiB`. Returns false with *why (static text) otherwise. */
bool dw_parse_size(dw_str s, int64_t *bytes, const char **why);

/* ---- durations: go-str2duration v2 (compose-go types.Duration) ---- */

/* `1m30s`, `1.5h`, `500ms`, `2d`, `1w`, an optional sign, or `0`, into
 * nanoseconds. Returns false with *why (static text) otherwise: a bare
 * number other than 0 has no unit, which Compose refuses. */
bool dw_parse_duration(dw_str s, int64_t *ns, const char **why);

#endif
