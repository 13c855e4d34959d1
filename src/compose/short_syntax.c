/* short_syntax.c — the short forms of service volumes and ports, read as
 * compose-go reads them: format.ParseVolume (`SRC:DST:OPTS`, Windows drive
 * letters and `${...}` kept whole) and go-connections' nat.ParsePortSpec
 * (`[IP:][HOST:]CONTAINER[/PROTO]`, ranges, bracketed IPv6). The loader and
 * the rules both read them here (syntax.h). */
#include "syntax.h"
#include "compose.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- volumes ---- */

static bool ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A bind mount's source: a path (., /, ~, \\, or a drive letter). */
static bool is_file_path(dw_str s)
{
    if (!s.len) return false;
    if (s.ptr[0] == '.' || s.ptr[0] == '/' || s.ptr[0] == '~') return true;
    if (s.len >= 2 && s.ptr[0] == '\\' && s.ptr[1] == '\\') return true;
    return s.len >= 2 && ascii_letter(s.ptr[0]) && s.ptr[1] == ':';
}

static bool option_is(dw_str o, const char *name) { return dw_str_eqc(o, name); }

static int field(dw_volume_spec *v, bool at_end, dw_str buf, const char **err)
{
    if (!buf.len) return *err = "empty section between colons", -1;
    if (!v->source.len && at_end) {
        v->target = buf;
        return 0;
    }
    if (!v->source.len) {
        v->source = buf;
        return 0;
    }
    if (!v->target.len) {
        v->target = buf;
        return 0;
    }
    if (!at_end) return *err = "too many colons", -1;
    v->options = buf;
    for (size_t i = 0; i <= buf.len;) {
        const char *comma = memchr(buf.ptr + i, ',', buf.len - i);
        size_t end = comma ? (size_t)(comma - buf.ptr) : buf.len;
        dw_str o = dw_str_make(buf.ptr + i, end - i);
        if (option_is(o, "ro")) v->read_only = true;
        else if (option_is(o, "rw")) v->read_only = false;
        else if (option_is(o, "nocopy")) v->nocopy = true;
        else if (option_is(o, "z") || option_is(o, "Z")) v->selinux = o;
        else if (option_is(o, "rprivate") || option_is(o, "private") || option_is(o, "rshared") ||
                 option_is(o, "shared") || option_is(o, "rslave") || option_is(o, "slave"))
            v->propagation = o;
        /* other options are ignored, as compose-go ignores them */
        i = end + 1;
    }
    return 0;
}

int dw_parse_volume(dw_str spec, dw_volume_spec *v, const char **err)
{
    memset(v, 0, sizeof *v);
    if (!spec.len) return *err = "invalid empty volume spec", -1;
    if (spec.len <= 2) {
        v->target = spec;
        v->type = dw_str_c("volume");
        return 0;
    }
    size_t start = 0, depth = 0;
    int rc = 0;
    for (size_t i = 0; i <= spec.len && rc == 0; i++) {
        bool end = i == spec.len;
        char c = end ? 0 : spec.ptr[i];
        if (c == '$' && i + 1 < spec.len && spec.ptr[i + 1] == '{') {
            depth++;
            continue;
        }
        if (c == '}' && depth) {
            depth--;
            continue;
        }
        if (c == ':' && i - start == 1 && ascii_letter(spec.ptr[start])) continue; /* a drive letter */
        if ((c == ':' || end) && depth == 0) {
            rc = field(v, end, dw_str_make(spec.ptr + start, i - start), err);
            start = i + 1;
        }
    }
    v->bind = is_file_path(v->source);
    v->type = dw_str_c(v->bind ? "bind" : "volume");
    return rc;
}

/* ---- ports ---- */

/* go-connections' parsePortNumber: strconv.ParseInt in base 10 (a sign and
 * leading zeros allowed), then 0..65535. */
static bool port_number(dw_str s, uint32_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (s.len && (s.ptr[0] == '+' || s.ptr[0] == '-')) neg = s.ptr[i++] == '-';
    if (i == s.len) return false;
    uint32_t v = 0;
    for (; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return false;
        if (v <= 65535) v = v * 10 + (uint32_t)(s.ptr[i] - '0'); /* saturates past the range */
    }
    if (neg && v) return false;
    if (v > 65535) return false;
    *out = v;
    return true;
}

bool dw_port_range_parse(dw_str s, uint32_t *lo, uint32_t *hi)
{
    if (!s.len) return false;
    const char *dash = dw_str_chr(s, '-');
    dw_str a = dash ? dw_str_make(s.ptr, (size_t)(dash - s.ptr)) : s;
    if (!port_number(a, lo)) return false;
    dw_str b = dash ? dw_str_make(dash + 1, s.len - a.len - 1) : a;
    if (!dash || dw_str_eq(a, b)) {
        *hi = *lo;
        return true;
    }
    return port_number(b, hi) && *hi >= *lo;
}

bool dw_ip_valid(dw_str ip)
{
    char s[64];
    unsigned char buf[16];
    if (ip.len >= sizeof s) return false; /* longer than any address */
    memcpy(s, ip.ptr, ip.len);
    s[ip.len] = 0;
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

#define PORT_ERR(...) (a && err ? (void)(*err = dw_arena_printf(a, __VA_ARGS__)) : (void)0, false)

bool dw_port_parse(dw_str raw, dw_port_range *o, dw_arena *a, const char **err)
{
    memset(o, 0, sizeof *o);
    /* [ip:][host:]container: everything before the last two parts is the IP */
    const char *last = NULL, *prev = NULL;
    for (size_t i = 0; i < raw.len; i++)
        if (raw.ptr[i] == ':') {
            prev = last;
            last = raw.ptr + i;
        }
    dw_str ip = {"", 0}, host = {"", 0}, cont = raw;
    if (last) {
        cont = dw_str_make(last + 1, raw.len - (size_t)(last + 1 - raw.ptr));
        const char *hs = prev ? prev + 1 : raw.ptr;
        host = dw_str_make(hs, (size_t)(last - hs));
        if (prev) ip = dw_str_make(raw.ptr, (size_t)(prev - raw.ptr));
    }
    /* container[/proto], cut at the first slash */
    const char *slash = dw_str_chr(cont, '/');
    dw_str proto = slash ? dw_str_make(slash + 1, cont.len - (size_t)(slash + 1 - cont.ptr)) : dw_str_c("");
    if (slash) cont.len = (size_t)(slash - cont.ptr);
    if (!cont.len) return PORT_ERR("no port specified: %.*s<empty>", (int)raw.len, raw.ptr);
    if (!proto.len || dw_str_ieqc(proto, "tcp")) o->protocol = dw_str_c("tcp");
    else if (dw_str_ieqc(proto, "udp")) o->protocol = dw_str_c("udp");
    else if (dw_str_ieqc(proto, "sctp")) o->protocol = dw_str_c("sctp");
    else {
        if (!a || !err) return false;
        char *low = dw_str_cstr(a, proto);
        for (char *c = low; *c; c++)
            if (*c >= 'A' && *c <= 'Z') *c = (char)(*c + 32);
        return PORT_ERR("invalid proto: %s", low);
    }
    if (ip.len && ip.ptr[0] == '[') {
        const char *close = dw_str_chr(ip, ']');
        if (!close || close != ip.ptr + ip.len - 1)
            return PORT_ERR("invalid IP address %.*s", (int)ip.len, ip.ptr);
        ip = dw_str_make(ip.ptr + 1, ip.len - 2);
    }
    if (ip.len && !dw_ip_valid(ip)) return PORT_ERR("invalid IP address: %.*s", (int)ip.len, ip.ptr);
    o->host_ip = ip;
    if (!dw_port_range_parse(cont, &o->target_lo, &o->target_hi))
        return PORT_ERR("invalid containerPort: %.*s", (int)cont.len, cont.ptr);
    if (host.len) {
        if (!dw_port_range_parse(host, &o->host_lo, &o->host_hi))
            return PORT_ERR("invalid hostPort: %.*s", (int)host.len, host.ptr);
        /* a host range with one container port is the range to pick a free port from */
        if (o->target_hi - o->target_lo != o->host_hi - o->host_lo && o->target_hi != o->target_lo)
            return PORT_ERR("invalid ranges specified for container and host Ports: %.*s and %.*s", (int)cont.len,
                            cont.ptr, (int)host.len, host.ptr);
        o->has_host = true;
    }
    return true;
}

dw_str dw_port_text(const dw_cv *item, char buf[24])
{
    if (item && item->kind == DW_CV_INT) {
        int n = snprintf(buf, 24, "%lld", (long long)item->i);
        return dw_str_make(buf, (size_t)n);
    }
    return dw_cv_text(item);
}

typedef struct {
    char key[24];
    dw_port_spec spec;
} keyed_port;

static int cmp_key(const void *x, const void *y)
{
    return strcmp(((const keyed_port *)x)->key, ((const keyed_port *)y)->key);
}

int dw_parse_ports(dw_arena *a, dw_str raw, dw_port_spec *out, int max, const char **err)
{
    dw_port_range r;
    if (!dw_port_parse(raw, &r, a, err)) return -1;
    int count = (int)(r.target_hi - r.target_lo) + 1;
    if (count > max) count = max;
    keyed_port *kp = dw_xmalloc(sizeof *kp * (size_t)count);
    for (int i = 0; i < count; i++) {
        dw_port_spec *p = &kp[i].spec;
        memset(p, 0, sizeof *p);
        p->host_ip = r.host_ip;
        p->target = r.target_lo + (uint32_t)i;
        snprintf(p->protocol, sizeof p->protocol, "%.*s", (int)r.protocol.len, r.protocol.ptr);
        if (r.has_host) {
            if (count == 1 && r.host_lo != r.host_hi) snprintf(p->published, sizeof p->published, "%u-%u", r.host_lo, r.host_hi);
            else snprintf(p->published, sizeof p->published, "%u", r.host_lo + (uint32_t)i);
        }
        snprintf(kp[i].key, sizeof kp[i].key, "%u/%s", p->target, p->protocol);
    }
    qsort(kp, (size_t)count, sizeof *kp, cmp_key); /* compose sorts the ports as strings */
    for (int i = 0; i < count; i++) out[i] = kp[i].spec;
    free(kp);
    return count;
}

/* ---- build contexts ---- */

bool dw_context_remote(dw_str s)
{
    static const char *const prefixes[] = {"https://", "http://", "git://", "ssh://", "github.com/", "git@", "service:"};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (dw_str_has_prefix(s, prefixes[i])) return true;
    for (size_t i = 0; i + 2 < s.len; i++)
        if (s.ptr[i] == ':' && s.ptr[i + 1] == '/' && s.ptr[i + 2] == '/') return true;
    return false;
}
