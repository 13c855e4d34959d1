/* df_stages.c — the stage model: global ARGs, stages with their base
 * (image reference, earlier stage or scratch), COPY --from / --mount from=
 * resolution, and variable expansion of the instructions BuildKit expands,
 * with ARG/ENV scoping as BuildKit's converter applies it. */
#include "dockerfile_int.h"

#include <stdlib.h>

static const char *const auto_args[] = {
    "BUILDPLATFORM", "BUILDOS", "BUILDOSVERSION", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETOSVERSION", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
};
/* Values used for expansion when nothing is given: a linux/amd64 build. */
static const char *const auto_vals[] = {
    "linux/amd64", "linux", "", "amd64", "",
    "linux/amd64", "linux", "", "amd64", "", "default",
};

static bool build_arg(const dw_parse_opts *o, dw_str name, dw_str *value)
{
    if (!o) return false;
    for (uint32_t i = o->nbuild_args; i-- > 0;)
        if (dw_str_eqc(name, o->build_args[i].name)) {
            *value = dw_str_c(o->build_args[i].value);
            return true;
        }
    return false;
}

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* Validates a repository path: components of [a-z0-9]+ joined by ., _, __ or -+. */
static bool valid_path(dw_str s)
{
    if (s.len == 0) return false;
    size_t i = 0;
    for (;;) {
        if (i >= s.len || !is_lower_alnum(s.ptr[i])) return false;
        while (i < s.len && is_lower_alnum(s.ptr[i])) i++;
        if (i == s.len) return true;
        char c = s.ptr[i];
        if (c == '/') { i++; continue; }
        if (c == '.') { i++; continue; }
        if (c == '_') { i++; if (i < s.len && s.ptr[i] == '_') i++; continue; }
        if (c == '-') { while (i < s.len && s.ptr[i] == '-') i++; continue; }
        return false;
    }
}

static bool valid_tag(dw_str t)
{
    if (t.len == 0 || t.len > 128) return false;
    for (size_t i = 0; i < t.len; i++) {
        char c = t.ptr[i];
        bool w = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!w && (i == 0 || (c != '.' && c != '-'))) return false;
    }
    return true;
}

static bool valid_digest(dw_str d)
{
    const char *colon = dw_str_chr(d, ':');
    if (!colon || colon == d.ptr) return false;
    size_t hex = d.len - (size_t)(colon - d.ptr) - 1;
    if (hex < 32) return false;
    for (const char *c = colon + 1; c < d.ptr + d.len; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') || (*c >= 'A' && *c <= 'F'))) return false;
    return true;
}

/* Splits an image reference as the distribution reference grammar does and
 * normalises it the way docker does (docker.io, library/). */
void dw_imageref_parse(dw_arena *a, dw_str s, dw_imageref *r)
{
    memset(r, 0, sizeof *r);
    dw_str name = s;
    const char *at = dw_str_chr(s, '@');
    if (at) {
        r->digest = dw_str_make(at + 1, s.len - (size_t)(at - s.ptr) - 1);
        name = dw_str_make(s.ptr, (size_t)(at - s.ptr));
    }
    const char *slash = NULL;
    for (size_t i = name.len; i-- > 0;)
        if (name.ptr[i] == '/') { slash = name.ptr + i; break; }
    const char *colon = NULL;
    for (size_t i = name.len; i-- > 0;)
        if (name.ptr[i] == ':') { colon = name.ptr + i; break; }
    if (colon && (!slash || colon > slash)) {
        r->tag = dw_str_make(colon + 1, name.len - (size_t)(colon - name.ptr) - 1);
        name.len = (size_t)(colon - name.ptr);
    }
    const char *first = dw_str_chr(name, '/');
    dw_str path = name;
    if (first) {
        dw_str dom = dw_str_make(name.ptr, (size_t)(first - name.ptr));
        if (dw_str_chr(dom, '.') || dw_str_chr(dom, ':') || dw_str_eqc(dom, "localhost")) {
            r->registry = dom;
            r->explicit_registry = true;
            path = dw_str_make(first + 1, name.len - dom.len - 1);
        }
    }
    if (!r->explicit_registry) {
        r->registry = dw_str_c("docker.io");
        if (!dw_str_chr(path, '/')) {
            /* "library/" + path, up to a NUL in it as a C string would be */
            const char *nul = path.len ? memchr(path.ptr, 0, path.len) : NULL;
            size_t n = nul ? (size_t)(nul - path.ptr) : path.len;
            char *p = dw_arena_alloc_align(a, 8 + n + 1, 1);
            memcpy(p, "library/", 8);
            if (n) memcpy(p + 8, path.ptr, n);
            r->repository = dw_str_make(p, 8 + n);
        } else {
            r->repository = path;
        }
    } else {
        r->repository = path;
    }
    bool has_tag = colon && (!slash || colon > slash);
    r->valid = valid_path(path) && (!has_tag || valid_tag(r->tag)) && (!at || valid_digest(r->digest));
}

static dw_str expand(dw_parser *p, dw_str w, const dw_env *env)
{
    /* a word with no $, quote or escape character expands to itself (the
     * table marks both possible escape characters: the one not in use is
     * passed over) */
    static const bool special[256] = {['$'] = true, ['\''] = true, ['"'] = true, ['\\'] = true, ['`'] = true};
    size_t i = 0;
    for (; i < w.len; i++) {
        unsigned char c = (unsigned char)w.ptr[i];
        if (special[c] && ((c != '\\' && c != '`') || c == (unsigned char)p->escape)) break;
    }
    if (i == w.len) return w;
    dw_lexer lx = {.escape = p->escape};
    dw_str out;
    const char *err = NULL;
    if (dw_lex_expand(p->a, &lx, w, env, &p->lex, &out, &err) < 0) return w;
    return out;
}

static void set_expanded(dw_parser *p, dw_word *w, const dw_env *env)
{
    w->expanded = expand(p, w->text, env);
    w->has_expanded = true;
}

/* Stage names, case-insensitively, in a small open-addressing table so
 * files with thousands of stages resolve names in linear time. Only stages
 * defined so far are in it, which is what "an earlier stage" means. A slot
 * holds a stage index + 1 (0 = empty) and the name's hash; the name itself
 * is read from the stage. The table is scratch (malloc'd), freed with the
 * stager. */
typedef struct { uint32_t index1, hash; } name_slot;
typedef struct { name_slot *slots; uint32_t mask, count; dw_mapbuf map; } name_table;

static uint64_t hash_lower(dw_str s)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < s.len; i++) {
        char c = s.ptr[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c + 32);
        h = (h ^ (unsigned char)c) * 1099511628211ull;
    }
    return h;
}

/* The slots live in a mapping: zeroed, and faulted in at once rather than
 * a page at a time as random probes first touch them. */
static void names_init(name_table *t, uint32_t cap)
{
    memset(&t->map, 0, sizeof t->map);
    t->slots = dw_mapbuf_grow(&t->map, (size_t)cap * sizeof *t->slots);
    t->mask = cap - 1;
    t->count = 0;
}

/* Adds a name whose hash (hash_lower) is h. */
static void names_add(name_table *t, const dw_stage *stages, dw_str name, uint32_t h, int index)
{
    if (!name.len) return;
    if ((t->count + 1) * 2 > t->mask + 1) { /* keep the load under one half */
        name_table bigger = *t;
        names_init(&bigger, (t->mask + 1) * 2);
        for (uint32_t i = 0; i <= t->mask; i++) {
            if (!t->slots[i].index1) continue;
            uint32_t k = t->slots[i].hash & bigger.mask;
            while (bigger.slots[k].index1) k = (k + 1) & bigger.mask;
            bigger.slots[k] = t->slots[i];
            bigger.count++;
        }
        dw_mapbuf_free(&t->map);
        *t = bigger;
    }
    for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
        if (!t->slots[i].index1) {
            t->slots[i].index1 = (uint32_t)index + 1;
            t->slots[i].hash = h;
            t->count++;
            return;
        }
        if (t->slots[i].hash == h && dw_str_ieq(stages[t->slots[i].index1 - 1].name, name))
            return; /* the first definition wins */
    }
}

static int names_find(const name_table *t, const dw_stage *stages, dw_str name)
{
    if (!name.len) return -1;
    uint32_t h = (uint32_t)hash_lower(name);
    for (uint32_t i = h & t->mask;; i = (i + 1) & t->mask) {
        if (!t->slots[i].index1) return -1;
        if (t->slots[i].hash == h && dw_str_ieq(stages[t->slots[i].index1 - 1].name, name))
            return (int)t->slots[i].index1 - 1;
    }
}

/* COPY --from / mount from=: an integer is a stage index, a name an earlier
 * stage (case-insensitive); anything else is an image or named context. */
static int resolve_from(const name_table *t, const dw_stage *stages, uint32_t current, dw_str v)
{
    if (v.len && v.len < 10) {
        bool digits = true;
        unsigned n = 0;
        for (size_t i = 0; i < v.len; i++) {
            if (v.ptr[i] < '0' || v.ptr[i] > '9') { digits = false; break; }
            n = n * 10 + (unsigned)(v.ptr[i] - '0');
        }
        if (digits) return n < current ? (int)n : -1;
    }
    return names_find(t, stages, v);
}

/* The state carried from one instruction to the next: stages are built as
 * the parser goes, while each instruction is still in the cache. */
struct dw_stager {
    const dw_parse_opts *opts;
    name_table names;
    dw_mapbuf stage_map; /* the stages (see dw_mapbuf) */
    struct { dw_stage *v; uint32_t n; } stages;
    dw_env **envs;    /* one per stage (in the arena, so children can point at it); the array is malloc'd */
    uint32_t nenvs;
    dw_env global;
    DW_VEC(dw_kv) gargs;
    int cur;
};

void dw_stages_begin(dw_parser *p, const dw_parse_opts *opts)
{
    dw_arena *a = p->a;
    dw_stager *sg = dw_arena_alloc(a, sizeof *sg);
    p->stager = sg;
    sg->opts = opts;
    sg->cur = -1;
    names_init(&sg->names, 16);
    /* the global scope: automatic platform args, then global ARGs */
    for (size_t k = 0; k < sizeof auto_args / sizeof *auto_args; k++) {
        dw_str v = dw_str_c(auto_vals[k]);
        build_arg(opts, dw_str_c(auto_args[k]), &v);
        dw_env_set(a, &sg->global, dw_str_c(auto_args[k]), v);
    }
}

void dw_stages_end(dw_parser *p)
{
    dw_stager *sg = p->stager;
    p->df->stages = sg->stages.v;
    p->df->nstages = sg->stages.n;
    dw_mapbuf_adopt(p->a, &sg->stage_map);
    dw_mapbuf_free(&sg->names.map);
    sg->names.slots = NULL;
    /* the instructions have stopped moving: point each stage at its FROM */
    for (uint32_t i = 0; i < sg->stages.n; i++) sg->stages.v[i].from = &p->df->instrs[sg->stages.v[i].first];
    p->df->global_args = sg->gargs.v;
    p->df->nglobal_args = sg->gargs.n;
    free(sg->envs);
    sg->envs = NULL;
}

/* Adds instruction `i` (already parsed and validated) to the stage model. */
void dw_stages_step(dw_parser *p, uint32_t i)
{
    dw_dockerfile *df = p->df;
    dw_arena *a = p->a;
    dw_stager *sg = p->stager;
    const dw_parse_opts *opts = sg->opts;
    dw_env **envs = sg->envs;
    int cur = sg->cur;
    dw_env *env = cur >= 0 ? envs[cur] : NULL;
    dw_env *global = &sg->global;
    dw_instr *in = &df->instrs[i];
    {
        if (in->kind == DW_I_FROM) {
            cur = sg->cur = (int)sg->stages.n;
            /* a fresh slot of the mapping is zeroed */
            sg->stages.v = dw_mapbuf_grow(&sg->stage_map, ((size_t)sg->stages.n + 1) * sizeof(dw_stage));
            sg->stages.n++;
            if (sg->nenvs == (uint32_t)cur) {
                sg->nenvs = sg->nenvs ? sg->nenvs * 2 : 4;
                sg->envs = dw_xrealloc(sg->envs, sizeof *sg->envs * sg->nenvs);
                envs = sg->envs;
            }
            df->stages = sg->stages.v;
            dw_stage *st = &sg->stages.v[cur];
            st->index = (uint32_t)cur;
            st->from = in;
            st->first = i;
            st->count = 1;
            st->base_stage = -1;
            if (in->nargs >= 1) {
                st->base = in->args[0].text;
                set_expanded(p, &in->args[0], global);
                st->base_expanded = in->args[0].expanded;
            }
            uint32_t name_hash = 0;
            if (in->nargs == 3 && dw_str_ieqc(in->args[1].text, "as")) {
                st->name = in->args[2].text;
                st->name_lower = dw_str_lower(a, st->name);
                st->name_span = in->args[2].span;
                /* its slot is a cache miss in a big table: start the load
                 * now, it is needed at the end */
                name_hash = (uint32_t)hash_lower(st->name);
                __builtin_prefetch(&sg->names.slots[name_hash & sg->names.mask]);
            }
            for (uint32_t f = 0; f < in->nflags; f++)
                if (dw_str_eqc(in->flags[f].name, "platform")) {
                    st->platform = in->flags[f].value;
                    st->platform_expanded = expand(p, st->platform, global);
                }
            env = envs[cur] = DW_NEW(a, dw_env, 1);
            int bs = names_find(&sg->names, sg->stages.v, st->base_expanded);
            if (dw_str_eqc(st->base_expanded, "scratch")) {
                st->base_kind = DW_BASE_SCRATCH;
            } else if (bs >= 0) {
                st->base_kind = DW_BASE_STAGE;
                st->base_stage = bs;
                dw_env_link(a, env, envs[bs]); /* shared, not copied: a long chain stays linear */
            } else {
                st->base_kind = DW_BASE_IMAGE;
                dw_imageref_parse(a, st->base_expanded, &st->image);
            }
            if (st->base_kind != DW_BASE_STAGE)
                dw_env_set(a, env, dw_str_c("PATH"),
                           dw_str_c("/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
            names_add(&sg->names, sg->stages.v, st->name, name_hash, cur);
            in->stage = cur;
            return;
        }
        in->stage = cur;
        if (cur >= 0) sg->stages.v[cur].count = i - sg->stages.v[cur].first + 1;
        if (cur < 0) {
            if (in->kind == DW_I_ARG) {
                for (uint32_t k = 0; k < in->nkvs; k++) {
                    dw_kv *kv = &in->kvs[k];
                    dw_str v;
                    if (build_arg(opts, kv->key.text, &v)) {
                        dw_env_set(a, global, kv->key.text, v);
                    } else if (kv->has_eq) {
                        set_expanded(p, &kv->value, global);
                        dw_env_set(a, global, kv->key.text, kv->value.expanded);
                    }
                    DW_VEC_PUSH(a, sg->gargs, *kv);
                }
            }
            return;
        }
        dw_instr *x = in->kind == DW_I_ONBUILD ? NULL : in;
        if (!x) return; /* triggers are expanded where they run */
        switch (x->kind) {
        case DW_I_ARG:
            for (uint32_t k = 0; k < x->nkvs; k++) {
                dw_kv *kv = &x->kvs[k];
                dw_str v;
                if (build_arg(opts, kv->key.text, &v)) {
                    dw_env_set(a, env, kv->key.text, v);
                } else if (kv->has_eq) {
                    set_expanded(p, &kv->value, env);
                    dw_env_set(a, env, kv->key.text, kv->value.expanded);
                } else if (dw_env_get(global, kv->key.text, &v)) {
                    dw_env_set(a, env, kv->key.text, v);
                }
            }
            break;
        case DW_I_ENV:
            /* every pair is expanded against the environment as it was
             * before the instruction, so expand all, then set all */
            for (uint32_t k = 0; k < x->nkvs; k++) {
                set_expanded(p, &x->kvs[k].key, env);
                set_expanded(p, &x->kvs[k].value, env);
            }
            for (uint32_t k = 0; k < x->nkvs; k++)
                dw_env_set(a, env, x->kvs[k].key.expanded, x->kvs[k].value.expanded);
            break;
        case DW_I_LABEL:
            for (uint32_t k = 0; k < x->nkvs; k++) {
                set_expanded(p, &x->kvs[k].key, env);
                set_expanded(p, &x->kvs[k].value, env);
            }
            break;
        case DW_I_COPY: case DW_I_ADD:
            for (uint32_t k = 0; k < x->nargs; k++) set_expanded(p, &x->args[k], env);
            for (uint32_t f = 0; f < x->nflags; f++)
                if (dw_str_eqc(x->flags[f].name, "from") && x->flags[f].has_value)
                    x->from_stage = resolve_from(&sg->names, sg->stages.v, (uint32_t)cur, x->flags[f].value);
            break;
        case DW_I_WORKDIR: case DW_I_USER: case DW_I_VOLUME: case DW_I_STOPSIGNAL: case DW_I_EXPOSE:
            for (uint32_t k = 0; k < x->nargs; k++) set_expanded(p, &x->args[k], env);
            break;
        case DW_I_RUN:
            for (uint32_t m = 0; m < x->nmounts; m++)
                if (x->mounts[m].has_from)
                    x->mounts[m].from_stage = resolve_from(&sg->names, sg->stages.v, (uint32_t)cur, x->mounts[m].from);
            break;
        default:
            break;
        }
    }
}
