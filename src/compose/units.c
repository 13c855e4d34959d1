/* units.c — durations and byte sizes as compose-go reads them, for the
 * loader (its canonical output and the values it refuses) and for the
 * rules that compare timings.
 *
 * Durations: types.Duration through go-str2duration v2, Go's
 * time.ParseDuration plus the units d and w. The arithmetic is Go's,
 * integer nanoseconds with the fraction scaled in float64, so that `1.1s`
 * is 1100000000 and not one nanosecond less.
 * Sizes: types.UnitBytes through go-units RAMInBytes, binary multipliers. */
#include "syntax.h"

#include <errno.h>
#include <stdlib.h>

#define NS_MAX ((uint64_t)1 << 63)

bool dw_parse_duration(dw_str s, int64_t *ns, const char **why)
{
    static const struct { const char *unit; uint64_t ns; } units[] = {
        {"ns", 1}, {"us", 1000}, {"\xc2\xb5s", 1000}, {"\xce\xbcs", 1000}, {"ms", 1000000},
        {"s", 1000000000ull}, {"m", 60000000000ull}, {"h", 3600000000000ull},
        {"d", 86400000000000ull}, {"w", 604800000000000ull},
    };
    static const char *const too_long = "a duration longer than Compose can hold (292 years)";
    size_t i = 0;
    bool neg = false;
    if (i < s.len && (s.ptr[i] == '-' || s.ptr[i] == '+')) neg = s.ptr[i++] == '-';
    if (s.len - i == 1 && s.ptr[i] == '0') return *ns = 0, true;
    if (i >= s.len) return *why = "an empty duration", false;
    uint64_t d = 0;
    while (i < s.len) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        size_t start = i;
        for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
            if (v > (NS_MAX - 1) / 10) return *why = too_long, false;
            v = v * 10 + (uint64_t)(s.ptr[i] - '0');
            if (v > NS_MAX) return *why = too_long, false;
        }
        bool pre = i > start, post = false;
        if (i < s.len && s.ptr[i] == '.') {
            bool overflow = false;
            size_t fs = ++i;
            for (; i < s.len && s.ptr[i] >= '0' && s.ptr[i] <= '9'; i++) {
                if (overflow || f > (NS_MAX - 1) / 10) { overflow = true; continue; }
                f = f * 10 + (uint64_t)(s.ptr[i] - '0');
                scale *= 10;
            }
            post = i > fs;
            if (i < s.len && s.ptr[i] == '.') return *why = "two decimal points in one number", false;
        }
        if (!pre && !post) return *why = "a unit without a number", false;
        size_t u = i;
        while (i < s.len && !(s.ptr[i] >= '0' && s.ptr[i] <= '9') && s.ptr[i] != '.') i++;
        if (u == i) return *why = "a number without a unit (write 30s, 1m30s, 500ms)", false;
        dw_str unit = dw_str_sub(s, u, i);
        size_t k = 0;
        while (k < sizeof units / sizeof *units && !dw_str_eqc(unit, units[k].unit)) k++;
        if (k == sizeof units / sizeof *units) return *why = "an unknown unit (use ns, us, ms, s, m, h, d or w)", false;
        uint64_t unit_ns = units[k].ns;
        if (v > NS_MAX / unit_ns) return *why = too_long, false;
        v *= unit_ns;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit_ns / scale));
            if (v > NS_MAX) return *why = too_long, false;
        }
        d += v;
        if (d > NS_MAX) return *why = too_long, false;
    }
    if (neg) return *ns = (int64_t)(0 - d), true;
    if (d > NS_MAX - 1) return *why = too_long, false;
    *ns = (int64_t)d;
    return true;
}

/* Go's strconv.ParseFloat on decimal text: [+-]digits[.digits][e[+-]digits]
 * (or .digits). */
static bool go_float(const char *t, size_t n, double *out)
{
    size_t i = 0, digits = 0;
    if (i < n && (t[i] == '+' || t[i] == '-')) i++;
    while (i < n && t[i] >= '0' && t[i] <= '9') i++, digits++;
    if (i < n && t[i] == '.')
        for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++) digits++;
    if (!digits) return false;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        size_t e = ++i;
        if (i < n && (t[i] == '+' || t[i] == '-')) e = ++i;
        while (i < n && t[i] >= '0' && t[i] <= '9') i++;
        if (i == e) return false;
    }
    if (i != n) return false;
    char buf[64];
    memcpy(buf, t, n);
    buf[n] = 0;
    *out = strtod(buf, NULL);
    return true;
}

bool dw_parse_size(dw_str s, int64_t *bytes, const char **why)
{
    char t[64];
    if (!s.len || s.len >= sizeof t) return *why = s.len ? "too long to be a size" : "an empty size", false;
    memcpy(t, s.ptr, s.len);
    t[s.len] = 0;
    /* types.UnitBytes: an integer first (bytes, -1 for unlimited) */
    size_t i = t[0] == '+' || t[0] == '-';
    while (i < s.len && t[i] >= '0' && t[i] <= '9') i++;
    if (i == s.len && i > (size_t)(t[0] == '+' || t[0] == '-')) {
        errno = 0;
        long long whole = strtoll(t, NULL, 10);
        if (!errno) return *bytes = whole, true;
    }
    /* go-units' parseSize: the number ends at the last digit, dot or space */
    size_t sep = s.len;
    for (size_t k = s.len; k > 0 && sep == s.len; k--)
        if ((t[k - 1] >= '0' && t[k - 1] <= '9') || t[k - 1] == '.' || t[k - 1] == ' ') sep = k - 1;
    if (sep == s.len) return *why = "no number", false;
    size_t num_len = t[sep] == ' ' ? sep : sep + 1;
    const char *sfx = t + sep + 1;
    double size;
    if (!go_float(t, num_len, &size)) return *why = "not a number followed by a unit", false;
    if (size < 0) return *why = "a negative size", false;
    size_t n = strlen(sfx);
    static const char *const bad_unit = "an unknown unit (use b, k, m, g, t or p, optionally followed by b or ib)";
    if (n) {
        char c[3];
        if (n > 3) return *why = bad_unit, false;
        for (size_t k = 0; k < n; k++) c[k] = (char)(sfx[k] | 32);
        if (c[0] == 'b') {
            if (n > 1) return *why = bad_unit, false;
        } else {
            static const char units[] = "kmgtp";
            const char *u = strchr(units, c[0]);
            if (!u || !c[0]) return *why = bad_unit, false;
            for (const char *k = units; k <= u; k++) size *= 1024;
            if ((n == 2 && c[1] != 'b') || (n == 3 && (c[1] != 'i' || c[2] != 'b'))) return *why = bad_unit, false;
        }
    }
    if (size >= 9.2233720368547758e18) return *why = "too large", false;
    *bytes = (int64_t)size;
    return true;
}
