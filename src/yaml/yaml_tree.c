/* yaml_tree.c — libyaml events → an arena tree of positioned nodes.
 *
 * One pass over the event stream with an explicit stack (no recursion, so
 * hostile nesting cannot overflow the C stack). Each event is copied into
 * the arena and deleted at once; the loop stops on a 0 return from libyaml
 * and on YAML_NO_EVENT, which libyaml keeps returning after an error.
 *
 * Positions: libyaml's marks count characters, not bytes (`index` is a
 * character index, `column` counts code points), so a sparse table of
 * character checkpoints turns an index into a byte offset without walking
 * the source from the start each time. libyaml drops a leading UTF-8 BOM
 * before counting (it must: with the BOM counted, the first line's keys
 * would sit one column right of the next line's), so the table starts after
 * it and first-line columns get the BOM back, to agree with the line table
 * diagnostics use. UTF-16 input (which libyaml would decode, making every
 * offset wrong) is refused. */
#include "yaml_tree.h"

#include <stdio.h>
#include <yaml.h>

/* ---- character index → byte offset ---- */

#define CK_STEP 64u

typedef struct {
    const unsigned char *src;
    size_t len;
    uint32_t *ck;   /* ck[k] = byte offset of character k*CK_STEP (after the BOM) */
    size_t nck;
    bool bom;       /* a UTF-8 BOM precedes what libyaml counts */
} charmap;

/* A byte starts a character unless it is a UTF-8 continuation byte; libyaml
 * rejects malformed UTF-8 before any event is produced past it, so on the
 * text events cover this counts exactly the characters libyaml counts. */
static bool char_start(unsigned char b) { return (b & 0xC0) != 0x80; }

static void charmap_build(charmap *m, const char *src, size_t len)
{
    m->src = (const unsigned char *)src;
    m->len = len;
    m->bom = len >= 3 && !memcmp(src, "\xEF\xBB\xBF", 3);
    m->nck = len / CK_STEP + 2;
    m->ck = dw_xmalloc(sizeof *m->ck * m->nck);
    size_t chars = 0, k = 0;
    for (size_t i = m->bom ? 3 : 0; i < len; i++) {
        if (!char_start(m->src[i])) continue;
        if (chars % CK_STEP == 0 && k < m->nck) m->ck[k++] = (uint32_t)i;
        chars++;
    }
    while (k < m->nck) m->ck[k++] = (uint32_t)len; /* past the end: clamp */
}

static uint32_t charmap_byte(const charmap *m, size_t index)
{
    size_t k = index / CK_STEP;
    if (k >= m->nck) return (uint32_t)m->len;
    size_t off = m->ck[k], left = index % CK_STEP;
    while (left && off < m->len) {
        off++;
        while (off < m->len && !char_start(m->src[off])) off++;
        left--;
    }
    return (uint32_t)off;
}

/* Line and column of a byte offset, counted the way libyaml counts them for
 * the common line breaks (used only for reader errors, which carry a byte
 * offset instead of a mark). */
static dw_pos byte_pos(const charmap *m, size_t off)
{
    dw_pos p = {1, 1};
    if (off > m->len) off = m->len;
    for (size_t i = 0; i < off; i++) {
        unsigned char c = m->src[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= m->len || m->src[i + 1] != '\n'))) {
            p.line++;
            p.col = 1;
        } else if (c != '\r' && char_start(c)) {
            p.col++;
        }
    }
    return p;
}

/* ---- anchors: name → node, open addressing, reset per document ---- */

typedef struct {
    const char **keys;
    dw_yaml_node **vals;
    size_t cap, n;
} anchors;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static void anchors_free(anchors *t)
{
    free(t->keys);
    free(t->vals);
    memset(t, 0, sizeof *t);
}

static void anchors_put(anchors *t, const char *key, dw_yaml_node *val);

static void anchors_grow(anchors *t)
{
    anchors old = *t;
    t->cap = old.cap ? old.cap * 2 : 64;
    t->n = 0;
    t->keys = calloc(t->cap, sizeof *t->keys);
    t->vals = calloc(t->cap, sizeof *t->vals);
    if (!t->keys || !t->vals) dw_oom();
    for (size_t i = 0; i < old.cap; i++)
        if (old.keys[i]) anchors_put(t, old.keys[i], old.vals[i]);
    anchors_free(&old);
}

/* Defines or redefines an anchor (a later &name replaces an earlier one,
 * as the YAML spec says an alias refers to the most recent). */
static void anchors_put(anchors *t, const char *key, dw_yaml_node *val)
{
    if ((t->n + 1) * 2 > t->cap) anchors_grow(t);
    size_t i = hash_str(key) & (t->cap - 1);
    while (t->keys[i] && strcmp(t->keys[i], key) != 0) i = (i + 1) & (t->cap - 1);
    if (!t->keys[i]) t->n++;
    t->keys[i] = key;
    t->vals[i] = val;
}

static dw_yaml_node *anchors_get(const anchors *t, const char *key)
{
    if (!t->cap) return NULL;
    size_t i = hash_str(key) & (t->cap - 1);
    while (t->keys[i]) {
        if (!strcmp(t->keys[i], key)) return t->vals[i];
        i = (i + 1) & (t->cap - 1);
    }
    return NULL;
}

/* ---- the builder ---- */

typedef struct {
    dw_yaml_node *node;
    uint32_t base;        /* first child in the scratch stack */
} frame;

typedef struct {
    dw_arena *a;
    charmap cm;
    dw_yaml_limits lim;
    DW_VEC(frame) stack;            /* malloc'd scratch (DW_SVEC_*) */
    DW_VEC(dw_yaml_node *) kids;    /* children of every open collection */
    DW_VEC(dw_yaml_node *) docs;
    dw_yaml_node *root;             /* of the current document */
    anchors anch;
    uint64_t count;                 /* nodes, aliases expanded */
    dw_yaml_stream *out;
} builder;

static dw_pos mark_pos(const charmap *cm, yaml_mark_t m)
{
    dw_pos p = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
    if (cm->bom && m.line == 0) p.col++; /* the line table counts the BOM */
    return p;
}

static void set_error(builder *b, uint32_t off, dw_pos pos, const char *problem, const char *context,
                      dw_pos cpos)
{
    dw_yaml_error *e = &b->out->error;
    e->span.start = e->span.end = off;
    e->pos = pos;
    e->problem = dw_arena_memdup(b->a, problem, strlen(problem));
    e->context = context ? dw_arena_memdup(b->a, context, strlen(context)) : NULL;
    e->context_pos = cpos;
    e->message = context ? dw_arena_printf(b->a, "%s (%s at line %u column %u)", problem, context,
                                           cpos.line, cpos.col)
                         : e->problem;
}

static void error_at(builder *b, yaml_mark_t m, const char *problem)
{
    dw_pos none = {0, 0};
    set_error(b, charmap_byte(&b->cm, m.index), mark_pos(&b->cm, m), problem, NULL, none);
}

static void libyaml_error(builder *b, const yaml_parser_t *p)
{
    dw_pos none = {0, 0};
    const char *problem = p->problem ? p->problem : "cannot read the YAML";
    if (p->error == YAML_READER_ERROR) {
        /* reader errors carry a byte offset and no mark */
        char buf[160];
        if (p->problem_value != -1)
            snprintf(buf, sizeof buf, "%s: #%X", problem, (unsigned)p->problem_value);
        else
            snprintf(buf, sizeof buf, "%s", problem);
        size_t off = p->problem_offset > b->cm.len ? b->cm.len : p->problem_offset;
        set_error(b, (uint32_t)off, byte_pos(&b->cm, off), buf, NULL, none);
        return;
    }
    if (p->error == YAML_MEMORY_ERROR) dw_oom();
    set_error(b, charmap_byte(&b->cm, p->problem_mark.index), mark_pos(&b->cm, p->problem_mark), problem,
              p->context, p->context ? mark_pos(&b->cm, p->context_mark) : none);
}

static dw_yaml_node *new_node(builder *b, dw_yaml_kind kind, const yaml_event_t *e, const yaml_char_t *tag,
                              const yaml_char_t *anchor)
{
    dw_yaml_node *n = DW_NEW(b->a, dw_yaml_node, 1);
    n->kind = kind;
    n->span.start = charmap_byte(&b->cm, e->start_mark.index);
    n->span.end = charmap_byte(&b->cm, e->end_mark.index);
    n->start = mark_pos(&b->cm, e->start_mark);
    n->end = mark_pos(&b->cm, e->end_mark);
    if (tag) n->tag = dw_arena_memdup(b->a, tag, strlen((const char *)tag));
    if (anchor) n->anchor = dw_arena_memdup(b->a, anchor, strlen((const char *)anchor));
    n->depth = b->stack.n;
    n->weight = 1;
    return n;
}

/* Counts `w` more nodes; false (with the error set) past the bound. */
static bool count(builder *b, uint64_t w, yaml_mark_t at)
{
    b->count += w;
    if (b->count <= b->lim.max_nodes) return true;
    char msg[160];
    snprintf(msg, sizeof msg,
             "the document has more than %llu nodes with its aliases expanded (an alias bomb?)",
             (unsigned long long)b->lim.max_nodes);
    error_at(b, at, msg);
    return false;
}

static void add_child(builder *b, dw_yaml_node *n)
{
    if (b->stack.n) DW_SVEC_PUSH(b->kids, n);
    else b->root = n;
}

/* Closes the innermost collection: its children move from the scratch
 * stack into an exactly sized arena array. */
static bool close_collection(builder *b, const yaml_event_t *e)
{
    frame f = b->stack.v[--b->stack.n];
    dw_yaml_node *n = f.node;
    uint32_t nk = b->kids.n - f.base;
    dw_yaml_node **k = nk ? b->kids.v + f.base : NULL; /* an empty collection may come before any child */
    uint64_t w = 1;
    for (uint32_t i = 0; i < nk; i++) w += k[i]->weight;
    n->weight = w;
    if (n->kind == DW_YAML_MAPPING) {
        n->n = nk / 2;
        n->pairs = n->n ? DW_NEW(b->a, dw_yaml_pair, n->n) : NULL;
        for (uint32_t i = 0; i < n->n; i++) {
            n->pairs[i].key = k[2 * i];
            n->pairs[i].value = k[2 * i + 1];
        }
    } else {
        n->n = nk;
        n->items = nk ? dw_arena_copy(b->a, k, sizeof *k * nk) : NULL;
    }
    b->kids.n = f.base;
    /* A flow collection ends at its bracket; a block one at its last child
     * (libyaml's end event sits at the next token, lines later). */
    if (n->style == DW_YAML_FLOW || !nk) {
        n->span.end = charmap_byte(&b->cm, e->end_mark.index);
        n->end = mark_pos(&b->cm, e->end_mark);
    } else {
        n->span.end = k[nk - 1]->span.end;
        n->end = k[nk - 1]->end;
    }
    if (n->span.end < n->span.start) n->span.end = n->span.start;
    n->open = false;
    add_child(b, n);
    return true;
}

/* Handles one event (already copied where needed). Returns 1 to go on,
 * 0 at the end of the stream, -1 on error. */
static int on_event(builder *b, const yaml_event_t *e)
{
    dw_yaml_node *n;
    switch (e->type) {
    case YAML_STREAM_START_EVENT:
        return 1;
    case YAML_STREAM_END_EVENT:
        return 0;
    case YAML_DOCUMENT_START_EVENT:
        b->root = NULL;
        anchors_free(&b->anch); /* anchors do not cross documents */
        return 1;
    case YAML_DOCUMENT_END_EVENT:
        if (b->root) DW_SVEC_PUSH(b->docs, b->root);
        b->root = NULL;
        return 1;
    case YAML_SCALAR_EVENT: {
        if (!count(b, 1, e->start_mark)) return -1;
        n = new_node(b, DW_YAML_SCALAR, e, e->data.scalar.tag, e->data.scalar.anchor);
        size_t len = e->data.scalar.length;
        if (len > UINT32_MAX) { error_at(b, e->start_mark, "scalar too long"); return -1; }
        n->value = dw_arena_memdup(b->a, e->data.scalar.value, len);
        n->len = (uint32_t)len;
        switch (e->data.scalar.style) {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: n->style = DW_YAML_SINGLE_QUOTED; break;
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = DW_YAML_DOUBLE_QUOTED; break;
        case YAML_LITERAL_SCALAR_STYLE: n->style = DW_YAML_LITERAL; break;
        case YAML_FOLDED_SCALAR_STYLE: n->style = DW_YAML_FOLDED; break;
        default: n->style = DW_YAML_PLAIN; break;
        }
        if (n->anchor) anchors_put(&b->anch, n->anchor, n);
        add_child(b, n);
        return 1;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = e->type == YAML_SEQUENCE_START_EVENT;
        if (b->stack.n >= b->lim.max_depth) {
            char msg[96];
            snprintf(msg, sizeof msg, "nesting deeper than %u levels", b->lim.max_depth);
            error_at(b, e->start_mark, msg);
            return -1;
        }
        if (!count(b, 1, e->start_mark)) return -1;
        n = seq ? new_node(b, DW_YAML_SEQUENCE, e, e->data.sequence_start.tag, e->data.sequence_start.anchor)
                : new_node(b, DW_YAML_MAPPING, e, e->data.mapping_start.tag, e->data.mapping_start.anchor);
        bool flow = seq ? e->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE
                        : e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
        n->style = flow ? DW_YAML_FLOW : DW_YAML_BLOCK;
        n->open = true;
        /* Registered now so that an alias inside its own anchor's node is
         * recognised as recursive rather than bound to an older anchor. */
        if (n->anchor) anchors_put(&b->anch, n->anchor, n);
        frame f = {n, b->kids.n};
        DW_SVEC_PUSH(b->stack, f);
        return 1;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        if (!b->stack.n) { error_at(b, e->start_mark, "unbalanced collection end"); return -1; }
        return close_collection(b, e) ? 1 : -1;
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)e->data.alias.anchor;
        dw_yaml_node *t = anchors_get(&b->anch, name);
        char msg[256];
        if (!t) {
            snprintf(msg, sizeof msg, "unknown alias *%.100s (no anchor &%.100s before it)", name, name);
            error_at(b, e->start_mark, msg);
            return -1;
        }
        if (t->open) {
            snprintf(msg, sizeof msg, "alias *%.100s refers to a node that contains it", name);
            error_at(b, e->start_mark, msg);
            return -1;
        }
        if (!count(b, t->weight, e->start_mark)) return -1;
        n = new_node(b, DW_YAML_ALIAS, e, NULL, NULL);
        n->target = t;
        n->weight = t->weight;
        n->anchor = NULL;
        n->value = t->anchor; /* the alias name, for messages */
        n->len = t->anchor ? (uint32_t)strlen(t->anchor) : 0;
        add_child(b, n);
        return 1;
    }
    case YAML_NO_EVENT:
    default:
        return 0;
    }
}

int dw_yaml_parse(dw_arena *a, const char *src, size_t len, const dw_yaml_limits *lim, dw_yaml_stream *out)
{
    memset(out, 0, sizeof *out);
    builder b;
    memset(&b, 0, sizeof b);
    b.a = a;
    b.out = out;
    b.lim.max_depth = lim && lim->max_depth ? lim->max_depth : DW_YAML_MAX_DEPTH;
    b.lim.max_nodes = lim && lim->max_nodes ? lim->max_nodes : DW_YAML_MAX_NODES;
    int rc = -1;
    if (len >= UINT32_MAX) {
        dw_pos none = {0, 0}, start = {1, 1};
        b.cm.len = 0;
        set_error(&b, 0, start, "file too large (over 4 GiB)", NULL, none);
        return -1;
    }
    charmap_build(&b.cm, src, len);
    if (len >= 2 && ((src[0] == '\xFE' && src[1] == '\xFF') || (src[0] == '\xFF' && src[1] == '\xFE'))) {
        dw_pos none = {0, 0}, start = {1, 1};
        set_error(&b, 0, start, "UTF-16 is not supported; save the file as UTF-8", NULL, none);
        free(b.cm.ck);
        return -1;
    }

    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) dw_oom();
    yaml_parser_set_input_string(&p, (const unsigned char *)src, len);
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            libyaml_error(&b, &p);
            goto done;
        }
        /* everything needed is copied by on_event; the event goes at once */
        int r = on_event(&b, &e);
        bool none = e.type == YAML_NO_EVENT;
        yaml_event_delete(&e);
        if (r < 0) goto done;
        if (r == 0) {
            if (none && b.stack.n) {
                dw_pos nopos = {0, 0};
                set_error(&b, (uint32_t)len, byte_pos(&b.cm, len), "unexpected end of the YAML stream", NULL, nopos);
                goto done;
            }
            break;
        }
    }
    DW_SVEC_COMMIT(a, b.docs, out->docs, out->ndocs);
    out->nodes = b.count;
    rc = 0;
done:
    yaml_parser_delete(&p);
    DW_SVEC_FREE(b.stack);
    DW_SVEC_FREE(b.kids);
    DW_SVEC_FREE(b.docs);
    anchors_free(&b.anch);
    free(b.cm.ck);
    if (rc < 0) {
        out->docs = NULL;
        out->ndocs = 0;
    }
    return rc;
}

/* ---- reading helpers ---- */

const dw_yaml_node *dw_yaml_deref(const dw_yaml_node *n)
{
    return n && n->kind == DW_YAML_ALIAS ? n->target : n;
}

bool dw_yaml_scalar_is(const dw_yaml_node *n, const char *s)
{
    n = dw_yaml_deref(n);
    return n && n->kind == DW_YAML_SCALAR && strlen(s) == n->len && memcmp(n->value, s, n->len) == 0;
}

static bool tag_is(const dw_yaml_node *n, const char *core)
{
    static const char prefix[] = "tag:yaml.org,2002:";
    return n->tag && !strncmp(n->tag, prefix, sizeof prefix - 1) && !strcmp(n->tag + sizeof prefix - 1, core);
}

bool dw_yaml_is_null(const dw_yaml_node *n)
{
    n = dw_yaml_deref(n);
    if (!n || n->kind != DW_YAML_SCALAR) return false;
    if (tag_is(n, "null")) return true;
    if (n->tag || n->style != DW_YAML_PLAIN) return false;
    return !n->len || dw_yaml_scalar_is(n, "~") || dw_yaml_scalar_is(n, "null") ||
           dw_yaml_scalar_is(n, "Null") || dw_yaml_scalar_is(n, "NULL");
}

int dw_yaml_bool(const dw_yaml_node *n, bool *out)
{
    n = dw_yaml_deref(n);
    if (!n || n->kind != DW_YAML_SCALAR) return -1;
    if (!tag_is(n, "bool") && (n->tag || n->style != DW_YAML_PLAIN)) return -1;
    static const char *const t[] = {"true", "True", "TRUE"}, *const f[] = {"false", "False", "FALSE"};
    for (int i = 0; i < 3; i++) {
        if (dw_yaml_scalar_is(n, t[i])) { *out = true; return 0; }
        if (dw_yaml_scalar_is(n, f[i])) { *out = false; return 0; }
    }
    return -1;
}

/* Merge keys nest (a merged mapping may merge others). The tree holds no
 * cycles, but aliases can make it a DAG whose expansion is huge, so a
 * budget of visited mappings keeps a lookup cheap on hostile input. */
static const dw_yaml_pair *lookup(const dw_yaml_node *map, const char *key, bool merge, int depth, uint32_t *budget)
{
    map = dw_yaml_deref(map);
    if (!map || map->kind != DW_YAML_MAPPING || depth > 32 || !*budget) return NULL;
    --*budget;
    for (uint32_t i = 0; i < map->n; i++)
        if (dw_yaml_scalar_is(map->pairs[i].key, key)) return &map->pairs[i];
    if (!merge) return NULL;
    for (uint32_t i = 0; i < map->n; i++) {
        const dw_yaml_node *k = dw_yaml_deref(map->pairs[i].key);
        if (!k || k->kind != DW_YAML_SCALAR || k->style != DW_YAML_PLAIN || !dw_yaml_scalar_is(k, "<<")) continue;
        const dw_yaml_node *v = dw_yaml_deref(map->pairs[i].value);
        if (v && v->kind == DW_YAML_MAPPING) return lookup(v, key, true, depth + 1, budget);
        if (v && v->kind == DW_YAML_SEQUENCE)
            for (uint32_t j = 0; j < v->n; j++) { /* the first listed wins */
                const dw_yaml_pair *p = lookup(v->items[j], key, true, depth + 1, budget);
                if (p) return p;
            }
    }
    return NULL;
}

const dw_yaml_pair *dw_yaml_lookup(const dw_yaml_node *map, const char *key, bool merge)
{
    uint32_t budget = 4096;
    return lookup(map, key, merge, 0, &budget);
}

const char *dw_yaml_describe(const dw_yaml_node *n)
{
    n = dw_yaml_deref(n);
    if (!n) return "nothing";
    switch (n->kind) {
    case DW_YAML_MAPPING: return "a mapping";
    case DW_YAML_SEQUENCE: return "a sequence";
    default: return dw_yaml_is_null(n) ? "null" : "a string";
    }
}
