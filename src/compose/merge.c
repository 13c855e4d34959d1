/* merge.c — one Compose file merged onto another, as compose-go's
 * override.MergeYaml and override.EnforceUnicity do it.
 *
 * Mappings merge key by key and the later file wins for scalars;
 * sequences are appended. Some paths have their own rule:
 *   - command, entrypoint, healthcheck.test, ulimits.*: replaced;
 *   - environment, labels, annotations, sysctls, tmpfs, dns*, env_file,
 *     build.args/labels/additional_contexts, deploy.labels, ...: merged as
 *     `KEY=VALUE` sequences (a mapping is converted first), so the later
 *     value of a key wins — when both sides are mappings we merge them as
 *     mappings, which gives the same result and keeps every value's node;
 *   - extra_hosts: as sequences, without the entries already present;
 *   - depends_on, networks, models: the list forms converted to mappings;
 *   - build: `build: .` converted to `{context: .}`;
 *   - logging: replaced when the two name different drivers;
 *   - networks.*.ipam.config: merged by subnet.
 * Then the sequences whose entries have an identity (ports, volumes by
 * target, secrets and configs by mount point, expose, env_file by path,
 * environment by key, ...) keep one entry per identity: a later entry
 * takes the place of the earlier one. `!reset` removes an attribute,
 * `!override` replaces it whole. */
#include "compose_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef dw_cv *(*merger)(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path);

static bool is_null(const dw_cv *v) { return !v || v->kind == DW_CV_NULL; }

/* ---- mappings ---- */

static dw_cv *mismatch(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    const char *where = dw_cpath_string(a, path);
    dw_diag *d = dw_loader_report(L, o->file, "compose-schema", DW_SEV_ERROR, o->span,
                                  "%s: %s cannot be merged onto %s written before", where, dw_cv_describe(o),
                                  dw_cv_describe(e));
    if (d) d->help = "write it in the same form in every file, or mark it `!override` to replace it";
    dw_compose_error(L->p, "cannot override %s", where);
    return o;
}

/* Merges mapping o onto mapping e key by key; with `replace`, a value of o
 * replaces e's whole instead of being merged onto it. */
static dw_cv *merge_into(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path, bool replace)
{
    dw_arena *a = &L->p->arena;
    if (!o || o->kind != DW_CV_MAP) return e;
    dw_strmap index = {0};
    bool indexed = e->n + o->n > 16;
    if (indexed)
        for (uint32_t i = 0; i < e->n; i++) dw_strmap_put(&index, e->pairs[i].key, (void *)(uintptr_t)(i + 1));
    bool removed = false;
    for (uint32_t k = 0; k < o->n; k++) {
        dw_cv_pair *op = &o->pairs[k];
        uint32_t at = 0;
        if (indexed) {
            at = (uint32_t)(uintptr_t)dw_strmap_get(&index, op->key);
        } else {
            for (uint32_t i = 0; i < e->n && !at; i++)
                if (e->pairs[i].value && dw_str_eq(e->pairs[i].key, op->key)) at = i + 1;
        }
        if (!at) {
            dw_cv_append_pair(a, e, op);
            if (indexed) dw_strmap_put(&index, op->key, (void *)(uintptr_t)e->n);
            continue;
        }
        dw_cv_pair *ep = &e->pairs[at - 1];
        dw_cpath_push(path, op->key);
        dw_cv *m = replace ? op->value : dw_cv_merge(L, ep->value, op->value, path);
        dw_cpath_pop(path);
        if (!m || (replace && !op->value)) {
            ep->value = NULL;
            removed = true;
            if (indexed) dw_strmap_put(&index, op->key, (void *)(uintptr_t)0);
            continue;
        }
        if (op->value && m->file == op->value->file && ep->value && ep->value->file != m->file) {
            ep->key_span = op->key_span; /* the key's position goes with its value's file */
            ep->key_pos = op->key_pos;
        }
        ep->value = m;
    }
    dw_strmap_free(&index);
    if (removed) {
        uint32_t w = 0;
        for (uint32_t i = 0; i < e->n; i++)
            if (e->pairs[i].value) e->pairs[w++] = e->pairs[i];
        e->n = w;
    }
    return e;
}

static dw_cv *merge_maps(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path) { return merge_into(L, e, o, path, false); }

/* ---- conversions between the short and long forms ---- */

static dw_cv *empty_map(dw_arena *a, const dw_cv *like)
{
    dw_cv *m = dw_cv_new(a, DW_CV_MAP, like);
    return m;
}

/* compose-go's convertIntoMapping: a list of names becomes a mapping of
 * each name to `defaults` (a copy) or null. */
static dw_cv *to_mapping(dw_arena *a, dw_cv *v, bool with_defaults)
{
    if (v && v->kind == DW_CV_MAP) return v;
    dw_cv *m = empty_map(a, v);
    if (!v || v->kind != DW_CV_SEQ) return m;
    for (uint32_t i = 0; i < v->n; i++) {
        dw_cv *item = v->items[i];
        dw_cv *val;
        if (with_defaults) {
            val = dw_cv_new(a, DW_CV_MAP, item);
            dw_cv_set(a, val, dw_str_c("condition"), dw_cv_new_str(a, dw_str_c("service_started"), item));
            dw_cv *req = dw_cv_new(a, DW_CV_BOOL, item);
            req->b = true;
            req->raw = req->s = dw_str_c("true");
            dw_cv_set(a, val, dw_str_c("required"), req);
        } else {
            val = dw_cv_new(a, DW_CV_NULL, item);
        }
        dw_cv_set(a, m, dw_cv_text(item), val);
    }
    return m;
}

static int cmp_cv_text(const void *x, const void *y)
{
    dw_str a = dw_cv_text(*(dw_cv *const *)x), b = dw_cv_text(*(dw_cv *const *)y);
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    return c ? c : (a.len > b.len) - (a.len < b.len);
}

/* compose-go's convertIntoSequence: a mapping becomes sorted `KEY=VALUE`
 * strings (`KEY` for null, one string per item of a list value), a string
 * a one-item list. */
static dw_cv *to_sequence(dw_arena *a, dw_cv *v)
{
    if (v && v->kind == DW_CV_SEQ) return v;
    dw_cv *seq = dw_cv_new(a, DW_CV_SEQ, v);
    if (!v) return seq;
    if (v->kind == DW_CV_STR) {
        dw_cv_push(a, seq, v);
        return seq;
    }
    if (v->kind != DW_CV_MAP) return seq;
    for (uint32_t i = 0; i < v->n; i++) {
        dw_str k = v->pairs[i].key;
        dw_cv *val = v->pairs[i].value;
        if (is_null(val)) {
            dw_cv *s = dw_cv_new_str(a, k, val ? val : v);
            dw_cv_push(a, seq, s);
        } else if (val->kind == DW_CV_SEQ) {
            for (uint32_t j = 0; j < val->n; j++) {
                dw_str t = dw_cv_text(val->items[j]);
                const char *s = dw_arena_printf(a, "%.*s=%.*s", (int)k.len, k.ptr, (int)t.len, t.ptr);
                dw_cv_push(a, seq, dw_cv_new_str(a, dw_str_c(s), val->items[j]));
            }
        } else {
            dw_str t = dw_cv_text(val);
            const char *s = dw_arena_printf(a, "%.*s=%.*s", (int)k.len, k.ptr, (int)t.len, t.ptr);
            dw_cv_push(a, seq, dw_cv_new_str(a, dw_str_c(s), val));
        }
    }
    if (seq->n > 1) qsort(seq->items, seq->n, sizeof *seq->items, cmp_cv_text);
    return seq;
}

static dw_cv *append_keyed(dw_arena *a, dw_cv *e, dw_cv *o, const dw_cpath *path);

static dw_cv *append(dw_arena *a, dw_cv *e, dw_cv *o, const dw_cpath *path)
{
    if (path && append_keyed(a, e, o, path)) return e;
    for (uint32_t i = 0; i < o->n; i++) dw_cv_push(a, e, o->items[i]);
    return e;
}

/* ---- the special paths ---- */

static dw_cv *m_override(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    (void)L, (void)e, (void)path;
    return o;
}

static dw_cv *m_sequence(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    if (is_null(o)) return e;
    if (is_null(e)) return o;
    if (e->kind == DW_CV_MAP && o->kind == DW_CV_MAP) {
        /* KEY=VALUE semantics: a later value (null included) replaces */
        return merge_into(L, e, o, path, true);
    }
    return append(a, to_sequence(a, e), to_sequence(a, o), path);
}

static dw_cv *m_extra_hosts(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    (void)path;
    dw_cv *right = to_sequence(a, e), *left = to_sequence(a, o);
    dw_strmap seen = {0};
    for (uint32_t i = 0; i < right->n; i++) dw_strmap_put(&seen, dw_cv_text(right->items[i]), (void *)1);
    for (uint32_t i = 0; i < left->n; i++)
        if (!dw_strmap_get(&seen, dw_cv_text(left->items[i]))) dw_cv_push(a, right, left->items[i]);
    dw_strmap_free(&seen);
    return right;
}

static dw_cv *m_depends_on(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    return merge_maps(L, to_mapping(a, e, true), to_mapping(a, o, true), path);
}

static dw_cv *m_mapping(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    return merge_maps(L, to_mapping(a, e, false), to_mapping(a, o, false), path);
}

static dw_cv *to_build(dw_arena *a, dw_cv *v)
{
    if (v && v->kind == DW_CV_MAP) return v;
    dw_cv *m = empty_map(a, v);
    if (v && v->kind == DW_CV_STR) dw_cv_set(a, m, dw_str_c("context"), v);
    return m;
}

static dw_cv *m_build(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    if (is_null(o)) return e;
    return merge_maps(L, to_build(a, e), to_build(a, o), path);
}

static dw_cv *m_logging(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    if (!e || !o || e->kind != DW_CV_MAP || o->kind != DW_CV_MAP) return is_null(o) ? e : o;
    dw_cv *d1 = dw_cv_get(o, "driver"), *d2 = dw_cv_get(e, "driver");
    if (d1 && d2 && !dw_str_eq(dw_cv_text(d1), dw_cv_text(d2))) return o;
    return merge_maps(L, e, o, path);
}

/* networks.*.ipam.config: pools merged by subnet. */
static dw_cv *m_ipam_config(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    dw_arena *a = &L->p->arena;
    if (!e || !o || e->kind != DW_CV_SEQ || o->kind != DW_CV_SEQ) return o;
    dw_cv *out = dw_cv_new(a, DW_CV_SEQ, e);
    for (uint32_t i = 0; i < e->n; i++) {
        dw_cv *right = to_mapping(a, e->items[i], false);
        for (uint32_t j = 0; j < o->n; j++) {
            dw_cv *left = to_mapping(a, o->items[j], false);
            dw_str ls = dw_cv_text(dw_cv_get(left, "subnet")), rs = dw_cv_text(dw_cv_get(right, "subnet"));
            if (!dw_str_eq(ls, rs)) {
                bool present = false;
                for (uint32_t k = 0; k < out->n && !present; k++)
                    present = dw_str_eq(dw_cv_text(dw_cv_get(out->items[k], "subnet")), ls);
                if (!present) {
                    dw_cv_push(a, out, left);
                    continue;
                }
            }
            dw_cv *merged = merge_maps(L, dw_cv_deep_copy(a, right), dw_cv_deep_copy(a, left), path);
            dw_str ms = dw_cv_text(dw_cv_get(merged, "subnet"));
            uint32_t k = 0;
            while (k < out->n && !dw_str_eq(dw_cv_text(dw_cv_get(out->items[k], "subnet")), ms)) k++;
            if (k < out->n) out->items[k] = merged;
            else dw_cv_push(a, out, merged);
        }
    }
    return out;
}

static const struct {
    const char *pattern;
    merger fn;
} specials[] = {
    {"networks.*.ipam.config", m_ipam_config},
    {"networks.*.labels", m_sequence},
    {"volumes.*.labels", m_sequence},
    {"services.*.annotations", m_sequence},
    {"services.*.build", m_build},
    {"services.*.build.args", m_sequence},
    {"services.*.build.additional_contexts", m_sequence},
    {"services.*.build.extra_hosts", m_extra_hosts},
    {"services.*.build.labels", m_sequence},
    {"services.*.command", m_override},
    {"services.*.depends_on", m_depends_on},
    {"services.*.deploy.labels", m_sequence},
    {"services.*.dns", m_sequence},
    {"services.*.dns_opt", m_sequence},
    {"services.*.dns_search", m_sequence},
    {"services.*.entrypoint", m_override},
    {"services.*.env_file", m_sequence},
    {"services.*.label_file", m_sequence},
    {"services.*.environment", m_sequence},
    {"services.*.extra_hosts", m_extra_hosts},
    {"services.*.healthcheck.test", m_override},
    {"services.*.labels", m_sequence},
    {"services.*.volumes.*.volume.labels", m_sequence},
    {"services.*.logging", m_logging},
    {"services.*.models", m_mapping},
    {"services.*.networks", m_mapping},
    {"services.*.sysctls", m_sequence},
    {"services.*.tmpfs", m_sequence},
    {"services.*.ulimits.*", m_override},
};

dw_cv *dw_cv_merge(dw_loader *L, dw_cv *e, dw_cv *o, dw_cpath *path)
{
    if (o && o->merge_tag == DW_CV_TAG_RESET) return NULL;
    if (o && o->merge_tag == DW_CV_TAG_OVERRIDE) return o;
    if (path->depth >= 2 && path->depth <= 6)
        for (size_t i = 0; i < sizeof specials / sizeof *specials; i++)
            if (dw_cpath_matches(path, specials[i].pattern)) return specials[i].fn(L, e, o, path);
    if (is_null(o)) return e;
    if (!e) return o;
    switch (e->kind) {
    case DW_CV_MAP: return o->kind == DW_CV_MAP ? merge_maps(L, e, o, path) : mismatch(L, e, o, path);
    case DW_CV_SEQ: return o->kind == DW_CV_SEQ ? append(&L->p->arena, e, o, path) : mismatch(L, e, o, path);
    default: return o;
    }
}

/* ---- identities of sequence entries (compose-go's EnforceUnicity) ---- */

typedef enum { IX_KEYVALUE, IX_VOLUME, IX_DEVICE, IX_EXPOSE, IX_SECRET, IX_CONFIG, IX_PORT, IX_ENVFILE } indexer;

static const struct {
    const char *pattern;
    indexer ix;
} unique[] = {
    {"networks.*.labels", IX_KEYVALUE},
    {"networks.*.ipam.options", IX_KEYVALUE},
    {"services.*.annotations", IX_KEYVALUE},
    {"services.*.build.args", IX_KEYVALUE},
    {"services.*.build.additional_contexts", IX_KEYVALUE},
    {"services.*.build.platform", IX_KEYVALUE},
    {"services.*.build.tags", IX_KEYVALUE},
    {"services.*.build.labels", IX_KEYVALUE},
    {"services.*.cap_add", IX_KEYVALUE},
    {"services.*.cap_drop", IX_KEYVALUE},
    {"services.*.configs", IX_CONFIG},
    {"services.*.deploy.labels", IX_KEYVALUE},
    {"services.*.dns", IX_KEYVALUE},
    {"services.*.dns_opt", IX_KEYVALUE},
    {"services.*.dns_search", IX_KEYVALUE},
    {"services.*.environment", IX_KEYVALUE},
    {"services.*.env_file", IX_ENVFILE},
    {"services.*.expose", IX_EXPOSE},
    {"services.*.labels", IX_KEYVALUE},
    {"services.*.links", IX_KEYVALUE},
    {"services.*.networks.*.aliases", IX_KEYVALUE},
    {"services.*.networks.*.link_local_ips", IX_KEYVALUE},
    {"services.*.ports", IX_PORT},
    {"services.*.profiles", IX_KEYVALUE},
    {"services.*.secrets", IX_SECRET},
    {"services.*.sysctls", IX_KEYVALUE},
    {"services.*.tmpfs", IX_KEYVALUE},
    {"services.*.volumes", IX_VOLUME},
    {"services.*.devices", IX_DEVICE},
};

/* An entry's identity; false when compose-go's indexer would refuse it
 * (the sequence is then left alone). */
static bool identity(dw_arena *a, indexer ix, const dw_cv *v, dw_str *key)
{
    switch (ix) {
    case IX_KEYVALUE: {
        if (!v || v->kind != DW_CV_STR) return false;
        const char *eq = dw_str_chr(v->s, '=');
        *key = eq ? dw_str_make(v->s.ptr, (size_t)(eq - v->s.ptr)) : v->s;
        return true;
    }
    case IX_VOLUME:
    case IX_DEVICE:
        if (v && v->kind == DW_CV_MAP) { /* the long forms: by target */
            dw_cv *t = dw_cv_get(v, "target");
            if (!t || t->kind != DW_CV_STR) return false;
            *key = t->s;
            return true;
        }
        if (ix == IX_VOLUME && v && v->kind == DW_CV_STR) {
            dw_volume_spec spec;
            const char *err;
            if (dw_parse_volume(v->s, &spec, &err) < 0) return false;
            *key = spec.target;
            return true;
        }
        if (v && v->kind == DW_CV_STR) {
            const char *c1 = dw_str_chr(v->s, ':');
            if (!c1) *key = v->s;
            else {
                dw_str rest = dw_str_make(c1 + 1, v->s.len - (size_t)(c1 + 1 - v->s.ptr));
                const char *c2 = dw_str_chr(rest, ':');
                *key = c2 ? dw_str_make(rest.ptr, (size_t)(c2 - rest.ptr)) : rest;
            }
            return true;
        }
        *key = dw_str_c("");
        return true;
    case IX_EXPOSE:
        if (!v || (v->kind != DW_CV_STR && v->kind != DW_CV_INT)) return false;
        *key = dw_cv_text(v);
        return true;
    case IX_SECRET:
    case IX_CONFIG: {
        const char *dir = ix == IX_SECRET ? "/run/secrets" : "";
        if (v && v->kind == DW_CV_STR) {
            *key = dw_str_c(dw_arena_printf(a, "%s/%.*s", dir, (int)v->s.len, v->s.ptr));
            return true;
        }
        if (!v || v->kind != DW_CV_MAP) return false;
        dw_cv *t = dw_cv_get(v, "target");
        if (t) {
            *key = dw_cv_text(t);
            return t->kind == DW_CV_STR;
        }
        dw_str src = dw_cv_text(dw_cv_get(v, "source"));
        *key = dw_str_c(dw_arena_printf(a, "%s/%.*s", dir, (int)src.len, src.ptr));
        return true;
    }
    case IX_PORT:
        if (v && v->kind == DW_CV_INT) {
            *key = dw_cv_text(v);
            return true;
        }
        if (v && v->kind == DW_CV_STR) {
            *key = v->s;
            return true;
        }
        if (v && v->kind == DW_CV_MAP) {
            dw_cv *t = dw_cv_get(v, "target"), *pub = dw_cv_get(v, "published");
            if (!t) return false;
            dw_str host = dw_cv_get(v, "host_ip") ? dw_cv_text(dw_cv_get(v, "host_ip")) : dw_str_c("0.0.0.0");
            dw_str proto = dw_cv_get(v, "protocol") ? dw_cv_text(dw_cv_get(v, "protocol")) : dw_str_c("tcp");
            dw_str ps = dw_cv_text(pub), ts = dw_cv_text(t);
            /* Go's %s of an int and %d of a string differ from the plain
             * text: an int 8080 and a string "8080" are different keys */
            *key = dw_str_c(dw_arena_printf(a, "%.*s:%s%.*s:%s%.*s/%.*s", (int)host.len, host.ptr,
                                            !pub ? "<nil>" : pub->kind == DW_CV_STR ? "" : "int=", (int)ps.len, ps.ptr,
                                            t->kind == DW_CV_INT ? "" : "string=", (int)ts.len, ts.ptr,
                                            (int)proto.len, proto.ptr));
            return true;
        }
        *key = dw_str_c("");
        return true;
    case IX_ENVFILE:
        if (v && v->kind == DW_CV_STR) {
            *key = v->s;
            return true;
        }
        if (v && v->kind == DW_CV_MAP) {
            dw_cv *pth = dw_cv_get(v, "path");
            if (!pth) return false;
            *key = dw_cv_text(pth);
            return true;
        }
        *key = dw_str_c("");
        return true;
    }
    return false;
}

static void dedupe(dw_arena *a, indexer ix, dw_cv *seq)
{
    dw_str *keys = dw_xmalloc(sizeof *keys * (seq->n ? seq->n : 1));
    for (uint32_t i = 0; i < seq->n; i++)
        if (!identity(a, ix, seq->items[i], &keys[i])) {
            free(keys);
            return;
        }
    dw_strmap at = {0};
    uint32_t w = 0;
    for (uint32_t i = 0; i < seq->n; i++) {
        uintptr_t j = (uintptr_t)dw_strmap_get(&at, keys[i]);
        if (j) {
            seq->items[j - 1] = seq->items[i];
            continue;
        }
        seq->items[w] = seq->items[i];
        dw_strmap_put(&at, keys[i], (void *)(uintptr_t)(w + 1));
        w++;
    }
    seq->n = w;
    dw_strmap_free(&at);
    free(keys);
}

/* Appends o's entries to e's, an entry of o taking the place of e's entry
 * with the same identity (and e's further entries with it going): a later
 * file redefines them. Duplicates within one file are kept for the rules
 * to see. False when this sequence has no identities (nothing done). */
static dw_cv *append_keyed(dw_arena *a, dw_cv *e, dw_cv *o, const dw_cpath *path)
{
    if (path->depth > 5) return NULL;
    int u = -1;
    for (size_t i = 0; i < sizeof unique / sizeof *unique && u < 0; i++)
        if (dw_cpath_matches(path, unique[i].pattern)) u = (int)i;
    if (u < 0) return NULL;
    indexer ix = unique[u].ix;
    uint32_t total = e->n + o->n;
    dw_str *keys = dw_xmalloc(sizeof *keys * (total ? total : 1));
    for (uint32_t i = 0; i < total; i++)
        if (!identity(a, ix, i < e->n ? e->items[i] : o->items[i - e->n], &keys[i])) {
            free(keys);
            return NULL;
        }
    dw_strmap first = {0}, redefined = {0};
    for (uint32_t i = 0; i < e->n; i++)
        if (!dw_strmap_get(&first, keys[i])) dw_strmap_put(&first, keys[i], (void *)(uintptr_t)(i + 1));
    for (uint32_t i = e->n; i < total; i++) dw_strmap_put(&redefined, keys[i], (void *)1);
    dw_cv **items = dw_arena_alloc_array(a, total ? total : 1, sizeof *items);
    uint32_t n = 0;
    for (uint32_t i = 0; i < e->n; i++) {
        bool is_first = (uintptr_t)dw_strmap_get(&first, keys[i]) == i + 1;
        if (!is_first && dw_strmap_get(&redefined, keys[i])) continue; /* an earlier duplicate, redefined */
        items[n++] = e->items[i];
        if (is_first) dw_strmap_put(&first, keys[i], (void *)(uintptr_t)n); /* its place in items */
    }
    for (uint32_t i = e->n; i < total; i++) {
        uintptr_t at = (uintptr_t)dw_strmap_get(&first, keys[i]);
        if (at) {
            items[at - 1] = o->items[i - e->n];
            dw_strmap_put(&first, keys[i], (void *)(uintptr_t)0); /* a second one is appended */
        } else {
            items[n++] = o->items[i - e->n];
        }
    }
    dw_strmap_free(&first);
    dw_strmap_free(&redefined);
    free(keys);
    e->items = items;
    e->n = n;
    e->cap = total ? total : 1;
    return e;
}

static void unicity(dw_arena *a, dw_cv *v, dw_cpath *path)
{
    if (!v) return;
    if (v->kind == DW_CV_MAP) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cpath_push(path, v->pairs[i].key);
            unicity(a, v->pairs[i].value, path);
            dw_cpath_pop(path);
        }
    } else if (v->kind == DW_CV_SEQ && path->depth <= 5) {
        for (size_t i = 0; i < sizeof unique / sizeof *unique; i++)
            if (dw_cpath_matches(path, unique[i].pattern)) {
                dedupe(a, unique[i].ix, v);
                break;
            }
    }
}

void dw_cv_strip_resets(dw_cv *v)
{
    if (!v) return;
    uint32_t w = 0;
    if (v->kind == DW_CV_MAP) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cv *x = v->pairs[i].value;
            if (x && x->merge_tag == DW_CV_TAG_RESET) continue;
            dw_cv_strip_resets(x);
            v->pairs[w++] = v->pairs[i];
        }
        v->n = w;
    } else if (v->kind == DW_CV_SEQ) {
        for (uint32_t i = 0; i < v->n; i++) {
            dw_cv *x = v->items[i];
            if (x && x->merge_tag == DW_CV_TAG_RESET) continue;
            dw_cv_strip_resets(x);
            v->items[w++] = x;
        }
        v->n = w;
    }
}

void dw_cv_unicity(dw_arena *a, dw_cv *model)
{
    dw_cpath path = {0};
    unicity(a, model, &path);
}
