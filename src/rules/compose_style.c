/* compose_style.c — dclint's opt-in rules (all off by default), each under
 * dclint's own name with its semantics and options:
 *   no-build-and-image (checkPullPolicy), require-project-name-field,
 *   service-keys-order (groupOrder, groups), services-alphabetical-order,
 *   top-level-properties-order (customOrder), no-quotes-in-volumes,
 *   service-container-name-regex (pattern: ours, dclint has none),
 *   service-dependencies-alphabetical-order, service-ports-alphabetical-order.
 *
 * The order and quoting rules are about how each file is written, so they
 * read every file's own tree (dw_compose_file.root), not the merged model,
 * and skip the keys a `<<` merge brought in (dclint sees `<<` as one more
 * key; the keys it stands for are written elsewhere). The others read the
 * model. Names are compared the way dclint's String.localeCompare does
 * under ICU's root collation, for ASCII: punctuation, then digits, then
 * letters case-insensitively, lower case first on a tie. Options come from
 * the dclint config (compose_rule_option). */
#include "compose_util.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>

/* ---- options ---- */

/* A list option of strings, or NULL (absent, or not a list of strings). */
static const dw_yaml_node *string_list_option(const dw_lint *ctx, const char *key)
{
    const dw_yaml_node *v = compose_rule_option(ctx, key);
    if (!v || v->kind != DW_YAML_SEQUENCE) return NULL;
    for (uint32_t i = 0; i < v->n; i++) {
        const dw_yaml_node *it = dw_yaml_deref(v->items[i]);
        if (!it || it->kind != DW_YAML_SCALAR) return NULL;
    }
    return v;
}

static dw_str item_text(const dw_yaml_node *seq, uint32_t i)
{
    const dw_yaml_node *it = dw_yaml_deref(seq->items[i]);
    return dw_str_make(it->value, it->len);
}

/* ---- localeCompare ---- */

/* ICU root collation's primary order of ASCII punctuation and symbols,
 * all before digits and letters. */
static const char punct_order[] = "\t\n\v\f\r _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

static int primary(unsigned char c)
{
    if (c >= '0' && c <= '9') return 100 + (c - '0');
    if (c >= 'a' && c <= 'z') return 200 + (c - 'a');
    if (c >= 'A' && c <= 'Z') return 200 + (c - 'A');
    if (c >= 0x80) return 300 + c; /* beyond ASCII: after the letters, by byte */
    const char *p = c ? strchr(punct_order, c) : NULL;
    return p ? (int)(p - punct_order) + 1 : 0; /* control characters are ignorable */
}

/* One digit run's value compared with another's (numeric collation):
 * leading zeros ignored, then by length, then digit by digit. */
static int digits_cmp(dw_str a, size_t *i, dw_str b, size_t *j)
{
    size_t ai = *i, bj = *j;
    while (ai < a.len && a.ptr[ai] == '0') ai++;
    while (bj < b.len && b.ptr[bj] == '0') bj++;
    size_t ae = ai, be = bj;
    while (ae < a.len && isdigit((unsigned char)a.ptr[ae])) ae++;
    while (be < b.len && isdigit((unsigned char)b.ptr[be])) be++;
    *i = ae;
    *j = be;
    if (ae - ai != be - bj) return ae - ai < be - bj ? -1 : 1;
    int c = memcmp(a.ptr + ai, b.ptr + bj, ae - ai);
    return c < 0 ? -1 : c > 0;
}

/* localeCompare(a, b) (numeric: the `{numeric: true}` option): primary
 * weights first; equal primaries are ordered lower case first; then bytes. */
static int locale_cmp(dw_str a, dw_str b, bool numeric)
{
    size_t i = 0, j = 0;
    while (i < a.len || j < b.len) {
        while (i < a.len && !primary((unsigned char)a.ptr[i])) i++;
        while (j < b.len && !primary((unsigned char)b.ptr[j])) j++;
        if (i >= a.len || j >= b.len) {
            if (i < a.len) return 1;
            if (j < b.len) return -1;
            break;
        }
        if (numeric && isdigit((unsigned char)a.ptr[i]) && isdigit((unsigned char)b.ptr[j])) {
            int c = digits_cmp(a, &i, b, &j);
            if (c) return c;
            continue;
        }
        int pa = primary((unsigned char)a.ptr[i]), pb = primary((unsigned char)b.ptr[j]);
        if (pa != pb) return pa < pb ? -1 : 1;
        i++;
        j++;
    }
    /* tertiary: the first case difference, lower case first */
    size_t n = a.len < b.len ? a.len : b.len;
    for (size_t k = 0; k < n; k++) {
        bool la = islower((unsigned char)a.ptr[k]), lb = islower((unsigned char)b.ptr[k]);
        bool ua = isupper((unsigned char)a.ptr[k]), ub = isupper((unsigned char)b.ptr[k]);
        if (la && ub) return -1;
        if (ua && lb) return 1;
    }
    int c = memcmp(a.ptr, b.ptr, n);
    if (c) return c < 0 ? -1 : 1;
    return a.len < b.len ? -1 : a.len > b.len;
}

/* The buffer's text as an arena string; the buffer is freed. */
static const char *buf_done(dw_lint *ctx, dw_buf *b)
{
    const char *out = dw_arena_printf(ctx->a, "%.*s", (int)b->n, b->p ? b->p : "");
    dw_buf_free(b);
    return out;
}

static int cmp_alpha(const void *x, const void *y)
{
    return locale_cmp(*(const dw_str *)x, *(const dw_str *)y, false);
}
static int cmp_numeric(const void *x, const void *y)
{
    return locale_cmp(*(const dw_str *)x, *(const dw_str *)y, true);
}

/* The names, sorted, joined with ", " (arena string) for a help line. */
static const char *sorted_list(dw_lint *ctx, const dw_str *names, uint32_t n, bool numeric)
{
    dw_str *v = DW_NEW(ctx->a, dw_str, n ? n : 1);
    memcpy(v, names, sizeof *v * n);
    qsort(v, n, sizeof *v, numeric ? cmp_numeric : cmp_alpha);
    dw_buf b = {0};
    for (uint32_t i = 0; i < n; i++) dw_buf_printf(&b, "%s%.*s", i ? ", " : "", (int)v[i].len, v[i].ptr);
    return buf_done(ctx, &b);
}

/* ---- the trees the style rules read ---- */

/* True when pair `p` of map `m` is written in `m` (not brought in by a
 * `<<` merge key from an anchor written elsewhere). */
static bool own_pair(const dw_cv *m, const dw_cv_pair *p)
{
    return p->key_span.start >= m->span.start && p->key_span.end <= m->span.end &&
           (!p->value || p->value->file == m->file);
}

/* Every loaded file's own `services` mapping, in turn. */
static const dw_cv *file_services(const dw_lint *ctx, uint32_t f)
{
    const dw_cv *root = ctx->compose->files[f].root;
    const dw_cv *s = dw_cv_get(root, "services");
    return s && s->kind == DW_CV_MAP ? s : NULL;
}

#define EACH_FILE_SERVICE(ctx, f, svcs, k, sp)                                                         \
    for (uint32_t f = 0; f < (ctx)->compose->nfiles; f++)                                              \
        for (const dw_cv *svcs = file_services((ctx), f); svcs; svcs = NULL)                           \
            for (uint32_t k = 0; k < svcs->n; k++)                                                     \
                for (const dw_cv_pair *sp = &svcs->pairs[k];                                           \
                     sp && own_pair(svcs, sp) && sp->value && sp->value->kind == DW_CV_MAP; sp = NULL)

/* ---- no-build-and-image ---- */

void check_no_build_and_image(dw_lint *ctx)
{
    const dw_yaml_node *opt = compose_rule_option(ctx, "checkPullPolicy");
    bool check_pull = true;
    if (opt) dw_yaml_bool(opt, &check_pull);
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv_pair *build = dw_cv_pair_of(s->value, "build");
        if (!build || !dw_cv_get(s->value, "image")) continue;
        if (check_pull && dw_cv_get(s->value, "pull_policy")) continue;
        dw_diag *d = dw_creport(ctx, build->value, &build->key_span, "service `%.*s` sets both `build` and `image`%s",
                                (int)s->key.len, s->key.ptr, check_pull ? " without `pull_policy`" : "");
        if (d)
            dw_diag_help(ctx, d, check_pull ? "add `pull_policy: build` so that Compose builds the image `image` names "
                                              "instead of pulling it first, or keep only one of the two"
                                            : "keep only one of `build` and `image`");
    }
}

/* ---- require-project-name-field ---- */

void check_require_project_name_field(dw_lint *ctx)
{
    const dw_cv *root = ctx->compose->model;
    if (!root || root->kind != DW_CV_MAP || dw_cv_get(root, "name")) return;
    const char *dir = ctx->compose->nfiles ? ctx->compose->files[0].abs_dir : ".";
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    dw_span top = {0, 0};
    dw_diag *d = dw_creport(ctx, root, &top, "the project has no top-level `name`");
    if (d)
        dw_diag_help(ctx, d, "add `name: <project>` at the top; without it Compose names the project after its folder "
                             "(`%s`), which changes when the folder is renamed or cloned elsewhere",
                     base);
}

/* ---- service-keys-order ---- */

/* dclint's default groups, in their default order ("Other" is every key of
 * no group, sorted, after all the grouped keys). */
static const struct { const char *name, *keys; } key_groups[] = {
    {"Core Definitions", "image build container_name"},
    {"Service Dependencies", "depends_on"},
    {"Data Management and Configuration", "volumes volumes_from configs secrets"},
    {"Environment Configuration", "environment env_file"},
    {"Networking", "ports networks network_mode extra_hosts"},
    {"Runtime Behavior", "command entrypoint working_dir restart healthcheck"},
    {"Operational Metadata", "logging labels"},
    {"Security and Execution Context", "user isolation"},
    {"Other", ""},
};
#define NGROUPS (sizeof key_groups / sizeof *key_groups)

/* The keys of one group: the config's `groups.<name>` list when given,
 * else the default. */
typedef struct {
    dw_str name;
    dw_str *keys;
    uint32_t nkeys;
} key_group;

static void words_into(dw_lint *ctx, const char *spaced, key_group *g)
{
    uint32_t n = 0;
    for (const char *p = spaced; *p; p++) n += (p == spaced || p[-1] == ' ') && *p != ' ';
    g->keys = DW_NEW(ctx->a, dw_str, n ? n : 1);
    g->nkeys = 0;
    for (const char *p = spaced; *p;) {
        while (*p == ' ') p++;
        const char *e = p;
        while (*e && *e != ' ') e++;
        if (e > p) g->keys[g->nkeys++] = dw_str_make(p, (size_t)(e - p));
        p = e;
    }
}

static void list_into(dw_lint *ctx, const dw_yaml_node *seq, key_group *g)
{
    g->keys = DW_NEW(ctx->a, dw_str, seq->n ? seq->n : 1);
    g->nkeys = seq->n;
    for (uint32_t i = 0; i < seq->n; i++) g->keys[i] = item_text(seq, i);
}

/* The configured groups (defaults overridden by `groups`, which may also
 * add groups) and the ordered key list `groupOrder` makes of them. */
typedef struct {
    key_group *groups;
    uint32_t ngroups;
    dw_str *order;          /* the grouped keys, in the expected order */
    uint32_t norder;
} key_order;

static void key_order_load(dw_lint *ctx, key_order *ko)
{
    const dw_yaml_node *groups = compose_rule_option(ctx, "groups");
    if (groups && groups->kind != DW_YAML_MAPPING) groups = NULL;
    uint32_t extra = groups ? groups->n : 0;
    ko->groups = DW_NEW(ctx->a, key_group, NGROUPS + extra);
    ko->ngroups = 0;
    for (size_t i = 0; i < NGROUPS; i++) {
        key_group *g = &ko->groups[ko->ngroups++];
        g->name = dw_str_c(key_groups[i].name);
        words_into(ctx, key_groups[i].keys, g);
    }
    for (uint32_t i = 0; i < extra; i++) {
        const dw_yaml_node *k = dw_yaml_deref(groups->pairs[i].key), *v = dw_yaml_deref(groups->pairs[i].value);
        if (!k || k->kind != DW_YAML_SCALAR || !v || v->kind != DW_YAML_SEQUENCE) continue;
        dw_str name = dw_str_make(k->value, k->len);
        key_group *g = NULL;
        for (uint32_t j = 0; j < ko->ngroups && !g; j++)
            if (dw_str_eq(ko->groups[j].name, name)) g = &ko->groups[j];
        if (!g) {
            g = &ko->groups[ko->ngroups++];
            g->name = name;
        }
        list_into(ctx, v, g);
    }
    /* groupOrder: the named groups' keys in turn; default: the default order */
    const dw_yaml_node *go = string_list_option(ctx, "groupOrder");
    uint32_t total = 0;
    for (uint32_t j = 0; j < ko->ngroups; j++) total += ko->groups[j].nkeys;
    uint32_t norder_groups = go ? go->n : (uint32_t)NGROUPS;
    ko->order = DW_NEW(ctx->a, dw_str, (size_t)total * (norder_groups ? norder_groups : 1) + 1);
    ko->norder = 0;
    for (uint32_t i = 0; i < norder_groups; i++) {
        dw_str name = go ? item_text(go, i) : dw_str_c(key_groups[i].name);
        for (uint32_t j = 0; j < ko->ngroups; j++) {
            if (!dw_str_eq(ko->groups[j].name, name)) continue;
            for (uint32_t k = 0; k < ko->groups[j].nkeys; k++) ko->order[ko->norder++] = ko->groups[j].keys[k];
            break;
        }
    }
}

static bool in_some_group(const key_order *ko, dw_str key)
{
    for (uint32_t j = 0; j < ko->ngroups; j++)
        for (uint32_t k = 0; k < ko->groups[j].nkeys; k++)
            if (dw_str_eq(ko->groups[j].keys[k], key)) return true;
    return false;
}

/* The expected position of `key`: its first place among the grouped keys,
 * else after them among the service's ungrouped keys (sorted: `other`);
 * -1 for a grouped key whose group groupOrder leaves out. */
static long expected_index(const key_order *ko, const dw_str *other, uint32_t nother, dw_str key)
{
    for (uint32_t i = 0; i < ko->norder; i++)
        if (dw_str_eq(ko->order[i], key)) return (long)i;
    if (in_some_group(ko, key)) return -1;
    const dw_str *hit = bsearch(&key, other, nother, sizeof *other, cmp_alpha);
    return hit ? (long)(ko->norder + (uint32_t)(hit - other)) : -1;
}

typedef struct {
    dw_str key;
    long index;
} keyed;

static int cmp_keyed(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    return a->index < b->index ? -1 : a->index > b->index;
}

void check_service_keys_order(dw_lint *ctx)
{
    key_order ko;
    key_order_load(ctx, &ko);
    EACH_FILE_SERVICE(ctx, f, svcs, k, sp) {
        const dw_cv *svc = sp->value;
        dw_str *other = DW_NEW(ctx->a, dw_str, svc->n ? svc->n : 1);
        uint32_t nother = 0;
        for (uint32_t i = 0; i < svc->n; i++)
            if (own_pair(svc, &svc->pairs[i]) && !in_some_group(&ko, svc->pairs[i].key))
                other[nother++] = svc->pairs[i].key;
        qsort(other, nother, sizeof *other, cmp_alpha);
        keyed *seen = DW_NEW(ctx->a, keyed, svc->n ? svc->n : 1);
        uint32_t nseen = 0;
        long last = -1;
        dw_str last_key = {0};
        bool fired = false;
        for (uint32_t i = 0; i < svc->n; i++) {
            const dw_cv_pair *p = &svc->pairs[i];
            if (!own_pair(svc, p)) continue;
            long idx = expected_index(&ko, other, nother, p->key);
            if (idx < 0) continue;
            seen[nseen++] = (keyed){p->key, idx};
            if (idx < last) {
                dw_diag *d = dw_creport(ctx, p->value, &p->key_span,
                                        "key `%.*s` of service `%.*s` should come before `%.*s`",
                                        (int)p->key.len, p->key.ptr, (int)sp->key.len, sp->key.ptr,
                                        (int)last_key.len, last_key.ptr);
                if (d && !fired) {
                    /* the help: this service's keys in the expected order (all of them: computed once) */
                    keyed *all = DW_NEW(ctx->a, keyed, svc->n);
                    uint32_t nall = 0;
                    for (uint32_t j = 0; j < svc->n; j++) {
                        if (!own_pair(svc, &svc->pairs[j])) continue;
                        long x = expected_index(&ko, other, nother, svc->pairs[j].key);
                        if (x >= 0) all[nall++] = (keyed){svc->pairs[j].key, x};
                    }
                    qsort(all, nall, sizeof *all, cmp_keyed);
                    dw_buf b = {0};
                    for (uint32_t j = 0; j < nall; j++)
                        dw_buf_printf(&b, "%s%.*s", j ? ", " : "", (int)all[j].key.len, all[j].key.ptr);
                    dw_diag_help(ctx, d, "order the keys of `%.*s`: %s", (int)sp->key.len, sp->key.ptr,
                                 buf_done(ctx, &b));
                    fired = true;
                }
            }
            /* as dclint: the order is judged against the key just before */
            last = idx;
            last_key = p->key;
        }
    }
}

/* ---- services-alphabetical-order ---- */

/* A Fenwick tree over the sorted ranks of the names seen so far: the
 * smallest seen name greater than the current one in O(log n). */
static void bit_add(uint32_t *t, uint32_t n, uint32_t i)
{
    for (i++; i <= n; i += i & -i) t[i]++;
}

static uint32_t bit_prefix(const uint32_t *t, uint32_t i) /* count of ranks < i */
{
    uint32_t s = 0;
    for (; i > 0; i -= i & -i) s += t[i];
    return s;
}

static uint32_t bit_kth(const uint32_t *t, uint32_t n, uint32_t k) /* rank of the k-th (1-based) */
{
    uint32_t pos = 0, step = 1;
    while (step * 2 <= n) step *= 2;
    for (; step; step /= 2)
        if (pos + step <= n && t[pos + step] < k) {
            pos += step;
            k -= t[pos];
        }
    return pos;
}

typedef struct {
    dw_str name;
    uint32_t at;
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    return locale_cmp(a->name, b->name, false);
}

void check_services_alphabetical_order(dw_lint *ctx)
{
    for (uint32_t f = 0; f < ctx->compose->nfiles; f++) {
        const dw_cv *svcs = file_services(ctx, f);
        if (!svcs || svcs->n < 2) continue;
        uint32_t n = svcs->n;
        ranked *by_name = DW_NEW(ctx->a, ranked, n);
        for (uint32_t i = 0; i < n; i++) by_name[i] = (ranked){svcs->pairs[i].key, i};
        qsort(by_name, n, sizeof *by_name, cmp_ranked);
        uint32_t *rank = DW_NEW(ctx->a, uint32_t, n);
        for (uint32_t r = 0; r < n; r++) rank[by_name[r].at] = r;
        uint32_t *tree = DW_NEW(ctx->a, uint32_t, n + 1);
        uint32_t seen = 0;
        for (uint32_t i = 0; i < n; i++) {
            const dw_cv_pair *p = &svcs->pairs[i];
            if (!own_pair(svcs, p)) continue;
            uint32_t below = bit_prefix(tree, rank[i] + 1);
            if (below < seen) {
                const dw_str before = by_name[bit_kth(tree, n, below + 1)].name;
                dw_diag *d = dw_creport(ctx, p->value, &p->key_span, "service `%.*s` should come before `%.*s`",
                                        (int)p->key.len, p->key.ptr, (int)before.len, before.ptr);
                if (d) dw_diag_help(ctx, d, "order the services alphabetically");
            }
            bit_add(tree, n, rank[i]);
            seen++;
        }
    }
}

/* ---- top-level-properties-order ---- */

void check_top_level_properties_order(dw_lint *ctx)
{
    static const char *const defaults[] = {"x-properties", "version", "name",    "include", "services",
                                           "networks",     "volumes", "secrets", "configs"};
    const dw_yaml_node *custom = string_list_option(ctx, "customOrder");
    uint32_t ncustom = custom ? custom->n : (uint32_t)(sizeof defaults / sizeof *defaults);
    for (uint32_t f = 0; f < ctx->compose->nfiles; f++) {
        const dw_cv *root = ctx->compose->files[f].root;
        if (!root || root->kind != DW_CV_MAP) continue;
        /* the x- keys, sorted, stand in for the `x-properties` entry */
        dw_str *xs = DW_NEW(ctx->a, dw_str, root->n ? root->n : 1);
        uint32_t nx = 0;
        for (uint32_t i = 0; i < root->n; i++)
            if (own_pair(root, &root->pairs[i]) && dw_str_has_prefix(root->pairs[i].key, "x-"))
                xs[nx++] = root->pairs[i].key;
        qsort(xs, nx, sizeof *xs, cmp_alpha);
        dw_str *order = DW_NEW(ctx->a, dw_str, (size_t)ncustom + nx);
        uint32_t norder = 0;
        for (uint32_t i = 0; i < ncustom; i++) {
            dw_str e = custom ? item_text(custom, i) : dw_str_c(defaults[i]);
            if (dw_str_eqc(e, "x-properties")) {
                memcpy(order + norder, xs, sizeof *xs * nx);
                norder += nx;
            } else {
                order[norder++] = e;
            }
        }
        dw_buf all = {0};
        for (uint32_t i = 0; i < norder; i++)
            dw_buf_printf(&all, "%s%.*s", i ? ", " : "", (int)order[i].len, order[i].ptr);
        const char *all_text = buf_done(ctx, &all);
        long last = -1;
        dw_str last_key = {0};
        for (uint32_t i = 0; i < root->n; i++) {
            const dw_cv_pair *p = &root->pairs[i];
            if (!own_pair(root, p)) continue;
            long idx = -1;
            for (uint32_t j = 0; j < norder && idx < 0; j++)
                if (dw_str_eq(order[j], p->key)) idx = (long)j;
            dw_diag *d = NULL;
            if (idx < 0)
                d = dw_creport(ctx, p->value, &p->key_span, "top-level key `%.*s` has no place in the expected order",
                               (int)p->key.len, p->key.ptr);
            else if (idx < last)
                d = dw_creport(ctx, p->value, &p->key_span, "top-level key `%.*s` should come before `%.*s`",
                               (int)p->key.len, p->key.ptr, (int)last_key.len, last_key.ptr);
            else {
                /* as dclint: an out-of-order key does not move the mark */
                last = idx;
                last_key = p->key;
                continue;
            }
            if (d)
                dw_diag_help(ctx, d,
                             idx < 0 ? "the order is %s; add the key to the rule's customOrder option to place it"
                                     : "order the top-level keys: %s",
                             all_text);
        }
    }
}

/* ---- no-quotes-in-volumes ---- */

void check_no_quotes_in_volumes(dw_lint *ctx)
{
    EACH_FILE_SERVICE(ctx, f, svcs, k, sp) {
        const dw_cv *vols = dw_cv_get(sp->value, "volumes");
        for (uint32_t i = 0; vols && vols->kind == DW_CV_SEQ && i < vols->n; i++) {
            const dw_cv *v = vols->items[i];
            if (!v || v->kind == DW_CV_MAP || v->kind == DW_CV_SEQ || v->style == DW_YAML_PLAIN) continue;
            dw_diag *d = dw_creport(ctx, v, NULL, "volume `%.*s` of service `%.*s` is quoted", (int)v->raw.len,
                                    v->raw.ptr, (int)sp->key.len, sp->key.ptr);
            if (d) dw_diag_help(ctx, d, "write it without quotes: `- %.*s`", (int)v->raw.len, v->raw.ptr);
        }
    }
}

/* ---- service-container-name-regex ---- */

/* dclint's /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/, the name the Docker engine accepts. */
static bool default_container_name(dw_str s)
{
    if (s.len < 2 || !isalnum((unsigned char)s.ptr[0])) return false;
    for (size_t i = 1; i < s.len; i++)
        if (!isalnum((unsigned char)s.ptr[i]) && !strchr("_.-", s.ptr[i])) return false;
    return true;
}

/* A JavaScript-style pattern for POSIX regcomp: the class escapes \d \w \s
 * (outside brackets) spelled as bracket expressions. */
static char *posix_pattern(dw_lint *ctx, dw_str js)
{
    dw_buf b = {0};
    bool in_class = false;
    for (size_t i = 0; i < js.len; i++) {
        char c = js.ptr[i];
        if (c == '\\' && i + 1 < js.len) {
            char e = js.ptr[++i];
            const char *rep = e == 'd' ? "0-9" : e == 'w' ? "A-Za-z0-9_" : e == 's' ? "[:space:]" : NULL;
            if (rep) dw_buf_printf(&b, in_class ? "%s" : "[%s]", rep);
            else dw_buf_printf(&b, "\\%c", e);
            continue;
        }
        if (c == '[' && !in_class) in_class = true;
        else if (c == ']' && in_class) in_class = false;
        dw_buf_printf(&b, "%c", c);
    }
    return (char *)buf_done(ctx, &b);
}

void check_service_container_name_regex(dw_lint *ctx)
{
    const dw_yaml_node *pat = compose_rule_option(ctx, "pattern");
    regex_t re;
    bool custom = false;
    const char *shown = "^[a-zA-Z0-9][a-zA-Z0-9_.-]+$";
    if (pat && pat->kind == DW_YAML_SCALAR) {
        dw_str js = dw_str_make(pat->value, pat->len);
        if (regcomp(&re, posix_pattern(ctx, js), REG_EXTENDED | REG_NOSUB) == 0) {
            custom = true;
            shown = pat->value;
        } else {
            dw_span top = {0, 0};
            dw_diag *d = dw_creport(ctx, ctx->compose->model, &top,
                                    "the configured pattern `%s` is not a regular expression dockwright can read; "
                                    "checking against %s",
                                    pat->value, shown);
            if (d) dw_diag_help(ctx, d, "fix the rule's `pattern` option (a POSIX extended regular expression)");
        }
    }
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        const dw_cv *cn = dw_cv_get(s->value, "container_name");
        dw_str name = compose_literal(cn);
        if (!name.ptr || cn->interpolated) continue;
        bool ok;
        if (custom) {
            char *z = dw_str_cstr(ctx->a, name);
            ok = regexec(&re, z, 0, NULL, 0) == 0;
        } else {
            ok = default_container_name(name);
        }
        if (ok) continue;
        dw_diag *d = dw_creport(ctx, cn, NULL, "container name `%.*s` of service `%.*s` does not match `%s`",
                                (int)name.len, name.ptr, (int)s->key.len, s->key.ptr, shown);
        if (d)
            dw_diag_help(ctx, d,
                         custom ? "rename it to match the pattern set in the config"
                                : "use letters, digits, `_`, `.` and `-` only, starting with a letter or digit");
    }
    if (custom) regfree(&re);
}

/* ---- service-dependencies-alphabetical-order ---- */

void check_service_dependencies_alphabetical_order(dw_lint *ctx)
{
    EACH_FILE_SERVICE(ctx, f, svcs, k, sp) {
        const dw_cv_pair *dp = dw_cv_pair_of(sp->value, "depends_on");
        const dw_cv *deps = dp ? dp->value : NULL;
        if (!deps || (deps->kind != DW_CV_SEQ && deps->kind != DW_CV_MAP) || deps->n < 2) continue;
        dw_str *names = DW_NEW(ctx->a, dw_str, deps->n);
        uint32_t n = 0;
        for (uint32_t i = 0; i < deps->n; i++) {
            if (deps->kind == DW_CV_MAP) {
                if (own_pair(deps, &deps->pairs[i])) names[n++] = deps->pairs[i].key;
            } else {
                dw_str t = deps->items[i] ? deps->items[i]->raw : dw_str_make(NULL, 0);
                names[n++] = t.ptr ? t : dw_str_c("");
            }
        }
        for (uint32_t i = 0; i + 1 < n; i++) {
            if (locale_cmp(names[i], names[i + 1], false) <= 0) continue;
            dw_diag *d = dw_creport(ctx, deps, &dp->key_span,
                                    "depends_on of service `%.*s` is not in alphabetical order (`%.*s` before `%.*s`)",
                                    (int)sp->key.len, sp->key.ptr, (int)names[i].len, names[i].ptr,
                                    (int)names[i + 1].len, names[i + 1].ptr);
            if (d) dw_diag_help(ctx, d, "order them: %s", sorted_list(ctx, names, n, false));
            break;
        }
    }
}

/* ---- service-ports-alphabetical-order ---- */

static bool is_ip(dw_str s)
{
    char buf[64];
    if (!s.len || s.len >= sizeof buf) return false;
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = 0;
    unsigned char addr[16];
    return inet_pton(AF_INET, buf, addr) == 1 || inet_pton(AF_INET6, buf, addr) == 1;
}

/* The published port of a ports item as dclint reads it from the text as
 * written: the short form cut at `/`, split on the colons outside
 * [brackets]; the part after a leading IP, else the first part. The long
 * form's `published`. "" for anything else. */
static dw_str published_text(const dw_cv *item)
{
    if (!item) return dw_str_c("");
    if (item->kind == DW_CV_MAP) {
        const dw_cv *p = dw_cv_get(item, "published");
        return p && p->kind != DW_CV_MAP && p->kind != DW_CV_SEQ && p->raw.ptr ? p->raw : dw_str_c("");
    }
    if (item->kind == DW_CV_SEQ || !item->raw.ptr) return dw_str_c("");
    dw_str s = item->raw;
    const char *slash = dw_str_chr(s, '/');
    if (slash) s = dw_str_sub(s, 0, (size_t)(slash - s.ptr));
    /* the first two parts, split at colons not inside [...] */
    dw_str parts[2] = {s, dw_str_make(NULL, 0)};
    int depth = 0;
    size_t start = 0;
    uint32_t np = 0;
    for (size_t i = 0; i <= s.len && np < 2; i++) {
        if (i < s.len && s.ptr[i] == '[') depth++;
        if (i < s.len && s.ptr[i] == ']' && depth) depth--;
        if (i == s.len || (s.ptr[i] == ':' && !depth)) {
            parts[np++] = dw_str_sub(s, start, i);
            start = i + 1;
        }
    }
    dw_str first = parts[0];
    if (first.len >= 2 && first.ptr[0] == '[' && first.ptr[first.len - 1] == ']')
        first = dw_str_sub(first, 1, first.len - 1);
    if (is_ip(first)) return parts[1].ptr ? parts[1] : dw_str_c("undefined");
    return parts[0];
}

void check_service_ports_alphabetical_order(dw_lint *ctx)
{
    EACH_FILE_SERVICE(ctx, f, svcs, k, sp) {
        const dw_cv_pair *pp = dw_cv_pair_of(sp->value, "ports");
        const dw_cv *ports = pp ? pp->value : NULL;
        if (!ports || ports->kind != DW_CV_SEQ || ports->n < 2) continue;
        dw_str *pub = DW_NEW(ctx->a, dw_str, ports->n);
        for (uint32_t i = 0; i < ports->n; i++) pub[i] = published_text(ports->items[i]);
        for (uint32_t i = 0; i + 1 < ports->n; i++) {
            if (locale_cmp(pub[i], pub[i + 1], true) <= 0) continue;
            dw_diag *d = dw_creport(ctx, ports, &pp->key_span,
                                    "ports of service `%.*s` are not in ascending order (`%.*s` before `%.*s`)",
                                    (int)sp->key.len, sp->key.ptr, (int)pub[i].len, pub[i].ptr, (int)pub[i + 1].len,
                                    pub[i + 1].ptr);
            if (d)
                dw_diag_help(ctx, d, "order them by published port: %s", sorted_list(ctx, pub, ports->n, true));
            break;
        }
    }
}
