/* compose_security.c — Compose rules about container hardening and secrets:
 * the findings KICS's Docker Compose queries make (privileged, host
 * namespaces, the Docker socket, sensitive bind mounts, seccomp, cgroup
 * parent, propagation), a literal-secret check, and the info-level
 * hardening baseline (no-new-privileges, cap_drop ALL, read-only root,
 * restart policy, resource limits).
 *
 * Every rule reads the merged model through compose_util.h, so short and
 * long syntaxes, merge keys and interpolation are already resolved; a value
 * that came from a variable is judged only where the rule says so. The
 * baseline rules point at the service's name so that one pragma above the
 * service silences them, and their help line is the YAML to add. */
#include "compose_util.h"

#include <ctype.h>
#include <stdarg.h>
#include <strings.h>

/* Is `s` equal to `lit`, ignoring ASCII case? */
static bool ieq(dw_str s, const char *lit) { return dw_str_ieqc(s, lit); }

/* ---- secret-in-environment ---- */

/* The words of an environment key: split on `_`, `-`, `.` and at a
 * lower-to-upper camelCase step, upper-cased; the last 8 are kept (the
 * rule reads a key from its end). */
typedef struct {
    char text[8][48];
    uint32_t n;
} key_words;

static void split_key(dw_str key, key_words *w)
{
    w->n = 0;
    char cur[48];
    size_t len = 0;
    for (size_t i = 0; i <= key.len; i++) {
        char c = i < key.len ? key.ptr[i] : '_';
        bool sep = c == '_' || c == '-' || c == '.';
        bool camel = i > 0 && i < key.len && isupper((unsigned char)c) && islower((unsigned char)key.ptr[i - 1]);
        if ((sep || camel) && len) {
            if (w->n == 8) {
                memmove(w->text[0], w->text[1], sizeof w->text[0] * 7);
                w->n = 7;
            }
            cur[len] = 0;
            memcpy(w->text[w->n++], cur, len + 1);
            len = 0;
        }
        /* an overlong word keeps its last characters: its ending decides */
        if (sep) continue;
        if (len + 1 == sizeof cur) memmove(cur, cur + 1, --len);
        cur[len++] = (char)toupper((unsigned char)c);
    }
}

static bool word_in(const char *w, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(w, list[i])) return true;
    return false;
}

static bool ends_with(const char *w, const char *suffix)
{
    size_t a = strlen(w), b = strlen(suffix);
    return a >= b && !strcmp(w + a - b, suffix);
}

/* Does word i (with the word before it) name a secret? PASSWORD, TOKEN,
 * SECRET, ... alone or as the end of a run-together word (WEBPASSWORD,
 * AUTHTOKEN), and the two-word keys API_KEY, PRIVATE_KEY, ACCESS_KEY... */
static bool secret_word(const key_words *w, uint32_t i)
{
    static const char *const whole[] = {"PASSWORD", "PASSWD", "PASS",        "PWD",         "SECRET",
                                        "TOKEN",    "APIKEY", "CREDENTIALS", "CREDENTIAL",  "CREDS",
                                        "PASSPHRASE", "PRIVATEKEY", "SECRETKEY", "ACCESSKEY"};
    static const char *const suffix[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN"};
    static const char *const key_owner[] = {"API",  "PRIVATE", "ACCESS",  "SECRET", "AUTH",
                                            "ENCRYPTION", "SIGNING", "MASTER", "SESSION"};
    const char *t = w->text[i];
    if (word_in(t, whole, sizeof whole / sizeof *whole)) return true;
    for (size_t k = 0; k < sizeof suffix / sizeof *suffix; k++)
        if (ends_with(t, suffix[k])) return true;
    return i > 0 && !strcmp(t, "KEY") && word_in(w->text[i - 1], key_owner, sizeof key_owner / sizeof *key_owner);
}

/* A secret-looking key: a secret word that is the last word, or followed
 * only by words that keep it a secret (SECRET_KEY_BASE). A secret word
 * followed by anything else names a setting about the secret
 * (PASSWORD_MIN_LENGTH, TOKEN_TTL, SECRET_NAME, PASSWORD_FILE), not the
 * secret. PWD and OLDPWD alone are the shell's working directory. */
static bool secret_key(dw_str key)
{
    if (dw_str_eqc(key, "PWD") || dw_str_eqc(key, "OLDPWD")) return false;
    static const char *const still_secret[] = {"KEY", "BASE", "VALUE", "STRING", "STR"};
    key_words w;
    split_key(key, &w);
    if (!w.n) return false;
    if (!strcmp(w.text[w.n - 1], "FILE")) return false;
    for (uint32_t i = w.n; i-- > 0;) {
        if (secret_word(&w, i)) return true;
        if (!word_in(w.text[i], still_secret, sizeof still_secret / sizeof *still_secret)) return false;
    }
    return false;
}

/* Values that are switches about a secret, not one: ALLOW_EMPTY_PASSWORD=yes,
 * MYSQL_RANDOM_ROOT_PASSWORD=1; and a path under /run/secrets/. */
static bool not_a_secret_value(dw_str v)
{
    static const char *const flags[] = {"true", "false", "yes", "no", "on", "off", "0", "1", "y", "n"};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        if (ieq(v, flags[i])) return true;
    return dw_str_has_prefix(v, "/run/secrets/");
}

/* True when the text as written substitutes a variable (`$X`, `${X}`);
 * `$$` is a literal dollar. The loader's `interpolated` flag says the same
 * once interpolation ran; this also covers a tree read without it. */
static bool substitutes(dw_str raw)
{
    for (size_t i = 0; i + 1 < raw.len; i++) {
        if (raw.ptr[i] != '$') continue;
        char c = raw.ptr[i + 1];
        if (c == '$') { i++; continue; }
        if (c == '{' || c == '_' || isalpha((unsigned char)c)) return true;
    }
    return false;
}

/* The offset of the password of a `scheme://user:password@host` URL in
 * `s`, with its length, when it is written literally (no `$` in it). */
static bool url_password(dw_str s, size_t *off, size_t *len)
{
    for (size_t i = 0; i + 3 <= s.len; i++) {
        if (memcmp(s.ptr + i, "://", 3) != 0) continue;
        /* the scheme before it: letters, digits, + - . */
        size_t b = i;
        while (b > 0 && (isalnum((unsigned char)s.ptr[b - 1]) || strchr("+-.", s.ptr[b - 1]))) b--;
        if (b == i) continue;
        size_t a = i + 3, e = a;
        while (e < s.len && !strchr("/?# \t", s.ptr[e])) e++;
        size_t at = SIZE_MAX;
        for (size_t k = a; k < e; k++)
            if (s.ptr[k] == '@') at = k;
        if (at == SIZE_MAX) continue;
        const char *colon = memchr(s.ptr + a, ':', at - a);
        if (!colon) continue;
        size_t p = (size_t)(colon - s.ptr) + 1;
        if (p == at || substitutes(dw_str_sub(s, p, at))) continue;
        *off = p;
        *len = at - p;
        return true;
    }
    return false;
}

void check_secret_in_environment(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        uint32_t n;
        compose_env *env = compose_environment(ctx, s->value, &n);
        for (uint32_t i = 0; i < n; i++) {
            const compose_env *e = &env[i];
            if (!e->has_value || !e->value.len || !e->node) continue;
            /* the value as written: the item after `=`, or the map value */
            dw_str raw = dw_cv_text(e->node);
            size_t voff = 0;
            if (e->list_form) {
                raw = e->node->raw;
                const char *eq = dw_str_chr(raw, '=');
                if (!eq) continue;
                voff = (size_t)(eq - raw.ptr) + 1;
                raw = dw_str_sub(raw, voff, raw.len);
            } else if (e->node->kind == DW_CV_STR) {
                raw = e->node->raw;
            }
            bool literal = !e->node->interpolated && !substitutes(raw);
            if (secret_key(e->key) && literal && !not_a_secret_value(e->value)) {
                dw_span at = e->list_form ? compose_subspan(ctx, e->node, voff, raw.len) : e->node->span;
                dw_diag *d = dw_creport(ctx, e->node, &at,
                                        "environment variable `%.*s` of service `%.*s` holds a literal secret",
                                        (int)e->key.len, e->key.ptr, (int)s->key.len, s->key.ptr);
                if (d)
                    dw_diag_help(ctx, d,
                                 "interpolate it (`%.*s: ${%.*s}`) from an untracked .env file, or mount it as a "
                                 "Compose secret and point the image at the file (`%.*s_FILE: /run/secrets/...`)",
                                 (int)e->key.len, e->key.ptr, (int)e->key.len, e->key.ptr, (int)e->key.len, e->key.ptr);
                continue;
            }
            size_t poff, plen;
            if (url_password(raw, &poff, &plen)) {
                dw_span at = compose_subspan(ctx, e->node, voff + poff, plen);
                dw_diag *d = dw_creport(ctx, e->node, &at,
                                        "environment variable `%.*s` of service `%.*s` holds a URL with a literal "
                                        "password",
                                        (int)e->key.len, e->key.ptr, (int)s->key.len, s->key.ptr);
                if (d)
                    dw_diag_help(ctx, d,
                                 "interpolate the password (`scheme://user:${DB_PASSWORD}@host`) from an untracked "
                                 ".env file, or build the URL in the entrypoint from a Compose secret");
            }
        }
    }
}

/* ---- privileged ---- */

void check_privileged(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv_pair *p = dw_cv_pair_of(s->value, "privileged");
        if (!p || !dw_cv_truthy(p->value)) continue;
        dw_diag *d = dw_creport(ctx, p->value, NULL,
                                "service `%.*s` runs privileged: every capability, every host device, no seccomp or "
                                "AppArmor profile",
                                (int)s->key.len, s->key.ptr);
        if (d)
            dw_diag_help(ctx, d, "remove `privileged: true`; grant only what it needs with `cap_add:` and `devices:`");
    }
}

/* ---- docker-socket-mounted ---- */

/* The last path component of a bind source is docker.sock: /var/run,
 * /run, //var/run (Docker Desktop on Windows), a rootless
 * $XDG_RUNTIME_DIR/docker.sock once interpolated. */
static bool is_docker_socket(dw_str src)
{
    while (src.len > 1 && src.ptr[src.len - 1] == '/') src.len--;
    static const char name[] = "docker.sock";
    size_t n = sizeof name - 1;
    if (src.len < n || memcmp(src.ptr + src.len - n, name, n) != 0) return false;
    return src.len == n || src.ptr[src.len - n - 1] == '/' || src.ptr[src.len - n - 1] == '\\';
}

void check_docker_socket_mounted(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v) || v.type != COMPOSE_MOUNT_BIND || v.unknown) continue;
            if (!is_docker_socket(v.source)) continue;
            dw_span at = v.long_form ? v.source_span : compose_subspan(ctx, v.node, 0, v.source.len);
            dw_diag *d = dw_creport(ctx, v.source_node, &at,
                                    "service `%.*s` mounts the Docker socket `%.*s`: it controls the Docker daemon, "
                                    "which is root on the host",
                                    (int)s->key.len, s->key.ptr, (int)v.source.len, v.source.ptr);
            if (d)
                dw_diag_help(ctx, d, "remove the mount (`:ro` does not help: the API still runs containers); if the "
                                     "service needs the API, put a socket proxy in front that allows only its calls");
        }
        const dw_cv_pair *api = dw_cv_pair_of(s->value, "use_api_socket");
        if (api && dw_cv_truthy(api->value)) {
            dw_diag *d = dw_creport(ctx, api->value, NULL,
                                    "service `%.*s` sets use_api_socket: the Docker socket is mounted into it, which "
                                    "is root on the host",
                                    (int)s->key.len, s->key.ptr);
            if (d) dw_diag_help(ctx, d, "remove `use_api_socket: true` unless the service must drive Docker");
        }
    }
}

/* ---- host-namespace ---- */

void check_host_namespace(dw_lint *ctx)
{
    static const struct { const char *key, *what, *means; } ns[] = {
        {"network_mode", "network stack", "every host interface and port, no network isolation"},
        {"pid", "process table", "it sees and can signal every host process"},
        {"ipc", "IPC namespace", "it reaches the shared memory of host processes"},
        {"uts", "UTS namespace", "it can change the host's hostname"},
        {"userns_mode", "user namespace", "user namespace remapping is off for it"},
    };
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        for (size_t k = 0; k < sizeof ns / sizeof *ns; k++) {
            const dw_cv *v = dw_cv_get(s->value, ns[k].key);
            if (!v || !dw_str_eqc(dw_cv_text(v), "host")) continue;
            dw_diag *d = dw_creport(ctx, v, NULL, "service `%.*s` shares the host's %s (`%s: host`): %s",
                                    (int)s->key.len, s->key.ptr, ns[k].what, ns[k].key, ns[k].means);
            if (!d) continue;
            if (!strcmp(ns[k].key, "network_mode"))
                dw_diag_help(ctx, d, "remove `network_mode: host` and publish the ports it serves with `ports:`");
            else
                dw_diag_help(ctx, d, "remove `%s: host` unless the service is a host-level tool that needs it",
                             ns[k].key);
        }
    }
}

/* ---- cap-add-dangerous ---- */

/* Capabilities outside Docker's default set that break the container's
 * isolation (adding a default one such as NET_RAW or CHOWN changes
 * nothing). */
static const struct { const char *cap, *why; } dangerous_caps[] = {
    {"ALL", "every capability: as good as privileged"},
    {"SYS_ADMIN", "mount, namespaces, BPF and more: the usual container escape"},
    {"SYS_MODULE", "loads kernel modules into the host kernel"},
    {"SYS_RAWIO", "raw access to host devices and I/O ports"},
    {"SYS_PTRACE", "traces and injects code into other processes"},
    {"SYS_BOOT", "reboots the host"},
    {"SYS_TIME", "sets the host's clock"},
    {"DAC_READ_SEARCH", "opens host files by handle, bypassing the mount namespace"},
    {"NET_ADMIN", "reconfigures interfaces, routes and firewall rules"},
    {"BPF", "loads BPF programs into the host kernel"},
    {"PERFMON", "reads kernel and other processes' performance data"},
    {"MAC_ADMIN", "changes the host's AppArmor or SELinux policy"},
    {"MAC_OVERRIDE", "bypasses the host's AppArmor or SELinux policy"},
    {"SYSLOG", "reads and clears the host kernel's log"},
};

void check_cap_add_dangerous(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *caps = dw_cv_get(s->value, "cap_add");
        for (uint32_t i = 0; caps && caps->kind == DW_CV_SEQ && i < caps->n; i++) {
            dw_str c = dw_cv_text(caps->items[i]);
            if (!c.ptr) continue;
            dw_str name = c.len > 4 && !strncasecmp(c.ptr, "CAP_", 4) ? dw_str_sub(c, 4, c.len) : c;
            for (size_t k = 0; k < sizeof dangerous_caps / sizeof *dangerous_caps; k++) {
                if (!ieq(name, dangerous_caps[k].cap)) continue;
                dw_diag *d = dw_creport(ctx, caps->items[i], NULL, "service `%.*s` adds capability %s: %s",
                                        (int)s->key.len, s->key.ptr, dangerous_caps[k].cap, dangerous_caps[k].why);
                if (d)
                    dw_diag_help(ctx, d,
                                 "remove it, or confine the service that needs it (a dedicated service, "
                                 "`no-new-privileges`, read-only root)");
                break;
            }
        }
    }
}

/* ---- seccomp-unconfined ---- */

/* security_opt `seccomp:unconfined`, `seccomp=unconfined`, and the same
 * for apparmor (Docker accepts both separators). */
void check_seccomp_unconfined(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *opts = dw_cv_get(s->value, "security_opt");
        for (uint32_t i = 0; opts && opts->kind == DW_CV_SEQ && i < opts->n; i++) {
            dw_str o = dw_cv_text(opts->items[i]);
            if (!o.ptr) continue;
            size_t sep = 0;
            while (sep < o.len && o.ptr[sep] != ':' && o.ptr[sep] != '=') sep++;
            if (sep == o.len) continue;
            dw_str key = dw_str_sub(o, 0, sep), val = dw_str_trim_space(dw_str_sub(o, sep + 1, o.len));
            bool seccomp = ieq(key, "seccomp");
            if ((!seccomp && !ieq(key, "apparmor")) || !ieq(val, "unconfined")) continue;
            dw_diag *d = dw_creport(ctx, opts->items[i], NULL, "service `%.*s` runs without %s (`%.*s`)",
                                    (int)s->key.len, s->key.ptr,
                                    seccomp ? "a seccomp profile: every system call is allowed"
                                            : "an AppArmor profile",
                                    (int)o.len, o.ptr);
            if (d)
                dw_diag_help(ctx, d,
                             seccomp ? "remove it; if one system call is missing, give a custom profile "
                                       "(`seccomp:./seccomp.json`) that allows only that call"
                                     : "remove it, or give a custom AppArmor profile (`apparmor:my-profile`)");
        }
    }
}

/* ---- sensitive-host-mount ---- */

/* KICS 1c1325ff's list: a bind source that is one of these folders or lies
 * under one, compared by whole path components (/etcetera is not /etc),
 * or is `/` itself. */
static const char *const sensitive_dirs[] = {"/bin",  "/sbin", "/boot", "/cdrom", "/dev",    "/etc",
                                             "/home", "/lib",  "/lib64", "/media", "/proc",  "/root",
                                             "/run",  "/selinux", "/srv", "/usr",   "/var",   "/sys"};
/* Credentials in a home folder (~/.ssh, ~/.aws, ...). */
static const char *const sensitive_home[] = {".ssh", ".aws", ".gnupg", ".kube", ".docker", ".azure", ".config/gcloud"};

/* Collapses `//` and drops `/.` components and a trailing `/` into buf,
 * so `/etc//` and `/etc/.` compare as `/etc`. */
static dw_str clean_path(dw_str p, char *buf, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < p.len && n + 1 < cap; i++) {
        if (p.ptr[i] == '/' && n && buf[n - 1] == '/') continue;
        if (p.ptr[i] == '.' && n && buf[n - 1] == '/' && (i + 1 == p.len || p.ptr[i + 1] == '/')) continue;
        buf[n++] = p.ptr[i];
    }
    while (n > 1 && buf[n - 1] == '/') n--;
    return dw_str_make(buf, n);
}

static bool under_dir(dw_str path, const char *dir)
{
    size_t n = strlen(dir);
    return path.len >= n && !memcmp(path.ptr, dir, n) && (path.len == n || path.ptr[n] == '/');
}

/* The sensitive folder `src` is (or is under), or NULL. */
static const char *sensitive_source(dw_str src, char *buf, size_t cap)
{
    dw_str p = clean_path(src, buf, cap);
    if (dw_str_eqc(p, "/")) return "/";
    if (p.len && p.ptr[0] == '/') {
        for (size_t k = 0; k < sizeof sensitive_dirs / sizeof *sensitive_dirs; k++)
            if (under_dir(p, sensitive_dirs[k])) return sensitive_dirs[k];
        return NULL;
    }
    if (p.len >= 2 && p.ptr[0] == '~' && p.ptr[1] == '/') {
        dw_str rest = dw_str_sub(p, 2, p.len);
        for (size_t k = 0; k < sizeof sensitive_home / sizeof *sensitive_home; k++)
            if (under_dir(rest, sensitive_home[k])) return sensitive_home[k];
    }
    return NULL;
}

static void report_sensitive(dw_lint *ctx, const dw_cv *node, dw_span at, dw_str src, const char *dir,
                             const char *owner_kind, dw_str owner)
{
    char buf[4096];
    bool exact = dw_str_eqc(clean_path(src, buf, sizeof buf), dir);
    dw_diag *d;
    if (!strcmp(dir, "/"))
        d = dw_creport(ctx, node, &at, "%s `%.*s` bind-mounts the host's root filesystem `/`", owner_kind,
                       (int)owner.len, owner.ptr);
    else if (dir[0] == '.')
        d = dw_creport(ctx, node, &at, "%s `%.*s` bind-mounts `%.*s`, where the home folder keeps credentials",
                       owner_kind, (int)owner.len, owner.ptr, (int)src.len, src.ptr);
    else if (exact)
        d = dw_creport(ctx, node, &at, "%s `%.*s` bind-mounts the host's `%s`", owner_kind, (int)owner.len, owner.ptr,
                       dir);
    else
        d = dw_creport(ctx, node, &at, "%s `%.*s` bind-mounts the sensitive host path `%.*s` (under `%s`)", owner_kind,
                       (int)owner.len, owner.ptr, (int)src.len, src.ptr, dir);
    if (d)
        dw_diag_help(ctx, d, "mount only the files it needs, read-only (`:ro`), from a folder of the project; or use a "
                             "named volume or a Compose config/secret");
}

void check_sensitive_host_mount(dw_lint *ctx)
{
    char buf[4096];
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v) || v.type != COMPOSE_MOUNT_BIND || v.unknown) continue;
            /* the Docker socket is docker-socket-mounted's (an error) */
            if (is_docker_socket(v.source)) continue;
            const char *dir = sensitive_source(v.source, buf, sizeof buf);
            if (!dir) continue;
            dw_span at = v.long_form ? v.source_span : compose_subspan(ctx, v.node, 0, v.source.len);
            report_sensitive(ctx, v.source_node, at, v.source, dir, "service", s->key);
        }
    }
    /* a local volume that binds a host folder: driver_opts.device (with
     * `o: bind`) or mountpoint, as KICS reads them */
    const dw_cv *tv = dw_cv_get(ctx->compose->model, "volumes");
    for (uint32_t i = 0; tv && tv->kind == DW_CV_MAP && i < tv->n; i++) {
        const dw_cv *opts = dw_cv_path(tv->pairs[i].value, "driver_opts");
        static const char *const keys[] = {"device", "mountpoint"};
        for (size_t k = 0; k < 2; k++) {
            const dw_cv *dev = dw_cv_get(opts, keys[k]);
            dw_str src = dw_cv_text(dev);
            if (!src.len || dev->interpolated) continue;
            const char *dir = sensitive_source(src, buf, sizeof buf);
            if (dir) report_sensitive(ctx, dev, dev->span, src, dir, "volume", tv->pairs[i].key);
        }
    }
}

/* ---- bind-propagation-shared ---- */

void check_bind_propagation_shared(dw_lint *ctx)
{
    static const char *const shared[] = {"shared", "rshared", "slave", "rslave"};
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *vols = dw_cv_get(s->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            compose_volume v;
            if (!compose_volume_parse(vols->items[i], &v) || !v.propagation.len) continue;
            bool hit = false;
            for (size_t k = 0; k < 4 && !hit; k++) hit = ieq(v.propagation, shared[k]);
            if (!hit) continue;
            const dw_cv *at = v.long_form ? dw_cv_path(v.node, "bind.propagation") : v.node;
            /* shared: both ways; slave: from the host into the container only */
            bool out = ieq(v.propagation, "shared") || ieq(v.propagation, "rshared");
            dw_diag *d = dw_creport(ctx, at ? at : v.node, NULL,
                                    "service `%.*s` mounts `%.*s` with `%.*s` propagation: %s", (int)s->key.len,
                                    s->key.ptr, (int)(v.source.len ? v.source.len : v.target.len),
                                    v.source.len ? v.source.ptr : v.target.ptr, (int)v.propagation.len,
                                    v.propagation.ptr,
                                    out ? "mounts made inside the container appear on the host"
                                        : "the host's mounts under it appear inside the container");
            if (d)
                dw_diag_help(ctx, d, "drop the propagation option (the default, `rprivate`, isolates mounts) unless "
                                     "the service manages host mounts");
        }
    }
}

/* ---- cgroup-parent ---- */

void check_cgroup_parent(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *v = dw_cv_get(s->value, "cgroup_parent");
        dw_str t = dw_cv_text(v);
        if (!t.len) continue;
        dw_diag *d = dw_creport(ctx, v, NULL, "service `%.*s` runs under the custom cgroup parent `%.*s`",
                                (int)s->key.len, s->key.ptr, (int)t.len, t.ptr);
        if (d)
            dw_diag_help(ctx, d, "remove `cgroup_parent` unless the host's cgroup layout needs it: the default parent "
                                 "keeps the daemon's limits and accounting");
    }
}

/* ---- the hardening baseline (info) ---- */

/* Reports one baseline finding at the service's name. */
static dw_diag *at_service(dw_lint *ctx, const dw_cv_pair *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dw_diag *at_service(dw_lint *ctx, const dw_cv_pair *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = dw_arena_vprintf(ctx->a, fmt, ap);
    va_end(ap);
    return dw_creport(ctx, s->value, &s->key_span, "%s", msg);
}

/* `no-new-privileges`, `no-new-privileges:true` or `=true`; *off set for
 * an explicit `:false`. */
static bool has_no_new_privileges(const dw_cv *opts, bool *off)
{
    *off = false;
    for (uint32_t i = 0; opts && opts->kind == DW_CV_SEQ && i < opts->n; i++) {
        dw_str o = dw_cv_text(opts->items[i]);
        if (!o.ptr || !dw_str_has_prefix(o, "no-new-privileges")) continue;
        dw_str rest = dw_str_sub(o, 17, o.len);
        if (!rest.len) return true;
        if (rest.ptr[0] != ':' && rest.ptr[0] != '=') continue;
        dw_str v = dw_str_sub(rest, 1, rest.len);
        if (ieq(v, "true")) return true;
        if (ieq(v, "false")) *off = true;
    }
    return false;
}

void check_no_new_privileges(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *opts = dw_cv_get(s->value, "security_opt");
        bool off;
        if (has_no_new_privileges(opts, &off)) continue;
        dw_diag *d = at_service(ctx, s, "service `%.*s` %s: a setuid binary inside can still gain privileges",
                                (int)s->key.len, s->key.ptr,
                                off ? "turns no-new-privileges off" : "does not set no-new-privileges");
        if (!d) continue;
        if (off)
            dw_diag_help(ctx, d, "write `no-new-privileges:true` in its `security_opt` list");
        else if (opts && opts->kind == DW_CV_SEQ)
            dw_diag_help(ctx, d, "put `- no-new-privileges:true` in its `security_opt` list");
        else
            dw_diag_help(ctx, d, "add `security_opt: [\"no-new-privileges:true\"]` to service `%.*s`", (int)s->key.len,
                         s->key.ptr);
    }
}

void check_cap_drop_all(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *drop = dw_cv_get(s->value, "cap_drop");
        bool all = false;
        for (uint32_t i = 0; drop && drop->kind == DW_CV_SEQ && i < drop->n && !all; i++) {
            dw_str c = dw_cv_text(drop->items[i]);
            all = ieq(c, "ALL") || ieq(c, "CAP_ALL");
        }
        if (all) continue;
        dw_diag *d = at_service(ctx, s, "service `%.*s` keeps Docker's default capabilities%s", (int)s->key.len,
                                s->key.ptr, drop && drop->kind == DW_CV_SEQ ? " (cap_drop lacks ALL)" : "");
        if (!d) continue;
        if (drop && drop->kind == DW_CV_SEQ)
            dw_diag_help(ctx, d,
                         "put `- ALL` in its `cap_drop` list, then add back only what it needs with `cap_add:`");
        else
            dw_diag_help(ctx, d,
                         "add `cap_drop: [ALL]` to service `%.*s`, then add back only what it needs (e.g. "
                         "`cap_add: [NET_BIND_SERVICE]`)",
                         (int)s->key.len, s->key.ptr);
    }
}

void check_read_only_rootfs(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        if (dw_cv_truthy(dw_cv_get(s->value, "read_only"))) continue;
        dw_diag *d = at_service(ctx, s, "service `%.*s` has a writable root filesystem", (int)s->key.len, s->key.ptr);
        if (d)
            dw_diag_help(ctx, d,
                         "add `read_only: true` to service `%.*s`, with `tmpfs: [/tmp]` (and volumes) for the paths it "
                         "writes",
                         (int)s->key.len, s->key.ptr);
    }
}

void check_restart_policy_missing(dw_lint *ctx)
{
    const dw_cv *services = compose_services(ctx);
    bool *one_shot = compose_one_shot(ctx);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        if (dw_cv_get(s->value, "restart") || dw_cv_path(s->value, "deploy.restart_policy")) continue;
        if (one_shot[s - services->pairs]) continue;
        dw_diag *d = at_service(ctx, s,
                                "service `%.*s` has no restart policy: it stays down after a crash or a host reboot",
                                (int)s->key.len, s->key.ptr);
        if (d)
            dw_diag_help(ctx, d, "add `restart: unless-stopped` to service `%.*s`", (int)s->key.len, s->key.ptr);
    }
}

void check_resource_limits_missing(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *limits = dw_cv_path(s->value, "deploy.resources.limits");
        bool mem = dw_cv_get(limits, "memory") || dw_cv_get(s->value, "mem_limit");
        bool cpu = dw_cv_get(limits, "cpus") || dw_cv_get(s->value, "cpus");
        if (mem && cpu) continue;
        const char *what = !mem && !cpu ? "memory or CPU limit" : !mem ? "memory limit" : "CPU limit";
        dw_diag *d = at_service(ctx, s, "service `%.*s` has no %s", (int)s->key.len, s->key.ptr, what);
        if (!d) continue;
        const char *add = !mem && !cpu ? "{memory: 512M, cpus: \"1.0\"}" : !mem ? "{memory: 512M}" : "{cpus: \"1.0\"}";
        if (!dw_cv_get(s->value, "deploy"))
            dw_diag_help(ctx, d, "add `deploy: {resources: {limits: %s}}` to service `%.*s`, sized to what it needs",
                         add, (int)s->key.len, s->key.ptr);
        else
            dw_diag_help(ctx, d, "set `resources: {limits: %s}` under its `deploy`, sized to what it needs", add);
    }
}
