/* short_syntax.c — the short forms of service volumes and ports, read as
 * compose-go reads them: format.ParseVolume (`SRC:DST:OPTS`, Windows drive
 * letters and `${...}` kept whole) and go-connections' nat.ParsePortSpec
 * (`[IP:][HOST:]CONTAINER[/PROTO]`, ranges, bracketed IPv6). */
#include "compose_int.h"

#include <arpa/inet.h>
#include <errno.h>
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

/* go-connections' parsePortNumber: a decimal 0..65535. */
static int port_number(dw_str s, int *out)
{
    if (!s.len || s.len > 12) return -1;
    size_t i = 0;
    if (s.ptr[0] == '+' || s.ptr[0] == '-') i++;
    if (i == s.len) return -1;
    long v = 0;
    for (; i < s.len; i++) {
        if (s.ptr[i] < '0' || s.ptr[i] > '9') return -1;
        v = v * 10 + (s.ptr[i] - '0');
    }
    if (s.ptr[0] == '-') v = -v;
    if (v < 0 || v > 65535) return -1;
    *out = (int)v;
    return 0;
}

static int port_range(dw_str s, int *lo, int *hi)
{
    if (!s.len) return -1;
    const char *dash = dw_str_chr(s, '-');
    dw_str a = dash ? dw_str_make(s.ptr, (size_t)(dash - s.ptr)) : s;
    if (port_number(a, lo) < 0) return -1;
    dw_str b = dash ? dw_str_make(dash + 1, s.len - a.len - 1) : a;
    if (!dash || dw_str_eq(a, b)) {
        *hi = *lo;
        return 0;
    }
    if (port_number(b, hi) < 0 || *hi < *lo) return -1;
    return 0;
}

static bool valid_ip(dw_arena *a, dw_str ip)
{
    char *s = dw_str_cstr(a, ip);
    unsigned char buf[16];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
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
    /* [ip:][host:]container, everything before the last two parts being the IP */
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
    /* container[/proto] */
    const char *slash = dw_str_chr(cont, '/');
    dw_str proto = slash ? dw_str_make(slash + 1, cont.len - (size_t)(slash + 1 - cont.ptr)) : dw_str_c("tcp");
    if (slash) cont.len = (size_t)(slash - cont.ptr);
    if (!proto.len) proto = dw_str_c("tcp");
    if (!cont.len) return *err = dw_arena_printf(a, "no port specified: %.*s<empty>", (int)raw.len, raw.ptr), -1;
    char lproto[8];
    if (proto.len >= sizeof lproto) return *err = dw_arena_printf(a, "invalid proto: %.*s", (int)proto.len, proto.ptr), -1;
    for (size_t i = 0; i < proto.len; i++) {
        char c = proto.ptr[i];
        lproto[i] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
    }
    lproto[proto.len] = 0;
    if (strcmp(lproto, "tcp") && strcmp(lproto, "udp") && strcmp(lproto, "sctp"))
        return *err = dw_arena_printf(a, "invalid proto: %s", lproto), -1;
    if (ip.len && ip.ptr[0] == '[') {
        const char *close = dw_str_chr(ip, ']');
        if (!close || close != ip.ptr + ip.len - 1)
            return *err = dw_arena_printf(a, "invalid IP address %.*s", (int)ip.len, ip.ptr), -1;
        ip = dw_str_make(ip.ptr + 1, ip.len - 2);
    }
    if (ip.len && !valid_ip(a, ip)) return *err = dw_arena_printf(a, "invalid IP address: %.*s", (int)ip.len, ip.ptr), -1;
    int lo, hi, hlo = 0, hhi = 0;
    if (port_range(cont, &lo, &hi) < 0)
        return *err = dw_arena_printf(a, "invalid containerPort: %.*s", (int)cont.len, cont.ptr), -1;
    if (host.len) {
        if (port_range(host, &hlo, &hhi) < 0)
            return *err = dw_arena_printf(a, "invalid hostPort: %.*s", (int)host.len, host.ptr), -1;
        if (hi - lo != hhi - hlo && hi != lo)
            return *err = dw_arena_printf(a, "invalid ranges specified for container and host Ports: %.*s and %.*s",
                                          (int)cont.len, cont.ptr, (int)host.len, host.ptr),
                   -1;
    }
    int count = hi - lo + 1;
    if (count > max) count = max;
    keyed_port *kp = dw_xmalloc(sizeof *kp * (size_t)count);
    for (int i = 0; i < count; i++) {
        dw_port_spec *p = &kp[i].spec;
        memset(p, 0, sizeof *p);
        p->host_ip = ip;
        p->target = (uint32_t)(lo + i);
        snprintf(p->protocol, sizeof p->protocol, "%s", lproto);
        if (host.len) {
            if (count == 1 && hlo != hhi) snprintf(p->published, sizeof p->published, "%d-%d", hlo, hhi);
            else snprintf(p->published, sizeof p->published, "%d", hlo + i);
        }
        snprintf(kp[i].key, sizeof kp[i].key, "%d/%s", lo + i, lproto);
    }
    qsort(kp, (size_t)count, sizeof *kp, cmp_key); /* compose sorts the ports as strings */
    for (int i = 0; i < count; i++) out[i] = kp[i].spec;
    free(kp);
    return count;
}
