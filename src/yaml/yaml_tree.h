/* yaml_tree.h — a YAML document as a tree of nodes that remember where they
 * are, built from libyaml's events into an arena.
 *
 * Every node keeps its byte span in the source and libyaml's 1-based
 * line:column, its tag and anchor as written, and for scalars the decoded
 * value and the quoting style, so the config loader and the Compose support
 * can point at the exact key or value a finding is about.
 *
 * Aliases are kept as nodes of their own (kind DW_YAML_ALIAS, with the
 * position of the `*name`) pointing at the anchored node: the tree is a DAG,
 * never copied, so memory stays proportional to the input. Because a reader
 * that walks the tree expands every alias, the builder counts the nodes the
 * document would have with every alias expanded and fails past a bound
 * (alias bombs, "billion laughs"); nesting depth is bounded too. */
#ifndef DW_YAML_TREE_H
#define DW_YAML_TREE_H

#include "../util/util.h"

typedef enum {
    DW_YAML_SCALAR,
    DW_YAML_MAPPING,
    DW_YAML_SEQUENCE,
    DW_YAML_ALIAS
} dw_yaml_kind;

typedef enum {
    DW_YAML_PLAIN,         /* scalars */
    DW_YAML_SINGLE_QUOTED,
    DW_YAML_DOUBLE_QUOTED,
    DW_YAML_LITERAL,       /* | */
    DW_YAML_FOLDED,        /* > */
    DW_YAML_BLOCK,         /* collections written in block style */
    DW_YAML_FLOW           /* [..] / {..} */
} dw_yaml_style;

typedef struct dw_yaml_node dw_yaml_node;
typedef struct { dw_yaml_node *key, *value; } dw_yaml_pair;

struct dw_yaml_node {
    dw_yaml_kind kind;
    dw_yaml_style style;
    dw_span span;          /* byte offsets [start,end) in the source */
    dw_pos start, end;     /* 1-based line:column (code points) as libyaml counts them */
    const char *tag;       /* as resolved by libyaml ("tag:yaml.org,2002:str", "!x"); NULL when none was written */
    const char *anchor;    /* the &name on this node, NULL when none */
    /* DW_YAML_SCALAR: the decoded value, NUL-terminated (it may hold NULs: use len) */
    const char *value;
    uint32_t len;
    /* DW_YAML_MAPPING: pairs in document order; DW_YAML_SEQUENCE: items */
    dw_yaml_pair *pairs;
    dw_yaml_node **items;
    uint32_t n;            /* number of pairs or items */
    /* DW_YAML_ALIAS: the anchored node (never itself an alias) */
    dw_yaml_node *target;
    uint64_t weight;       /* nodes in this subtree, aliases expanded */
    uint32_t depth;        /* nesting depth, 0 for a document root */
    bool open;             /* internal: collection still being built */
};

typedef struct {
    uint32_t max_depth;    /* deepest nesting allowed; 0 = DW_YAML_MAX_DEPTH */
    uint64_t max_nodes;    /* most nodes, aliases expanded; 0 = DW_YAML_MAX_NODES */
} dw_yaml_limits;

#define DW_YAML_MAX_DEPTH 512
#define DW_YAML_MAX_NODES 1000000u

typedef struct {
    dw_span span;          /* where the problem is (an empty span at it) */
    dw_pos pos;            /* 1-based line:column */
    const char *problem;   /* libyaml's problem text, or ours ("unknown alias *x") */
    const char *context;   /* libyaml's context ("while parsing a block mapping"), or NULL */
    dw_pos context_pos;
    const char *message;   /* problem, with the context and its position when there is one */
} dw_yaml_error;

typedef struct {
    dw_yaml_node **docs;   /* one root per document, in order */
    uint32_t ndocs;
    uint64_t nodes;        /* nodes counted against max_nodes */
    dw_yaml_error error;   /* set when dw_yaml_parse returned -1 */
} dw_yaml_stream;

/* Parses `src` (UTF-8; a BOM is allowed) into `out`, allocating in `a`.
 * Returns 0, or -1 with out->error filled (then out->docs is NULL). The
 * input is never modified and need not be NUL-terminated. */
int dw_yaml_parse(dw_arena *a, const char *src, size_t len, const dw_yaml_limits *lim,
                  dw_yaml_stream *out);

/* ---- reading helpers ---- */

/* The node an alias stands for; any other node itself; NULL stays NULL. */
const dw_yaml_node *dw_yaml_deref(const dw_yaml_node *n);
/* True for a scalar whose value is exactly `s`. */
bool dw_yaml_scalar_is(const dw_yaml_node *n, const char *s);
/* True for YAML's null: an untagged plain "", "~", "null", "Null", "NULL",
 * or a !!null scalar. */
bool dw_yaml_is_null(const dw_yaml_node *n);
/* YAML 1.2 core booleans (true/True/TRUE, false/False/FALSE), plain or
 * !!bool. Returns 0 with *out set, or -1 when n is not a boolean. */
int dw_yaml_bool(const dw_yaml_node *n, bool *out);
/* The pair whose key is the scalar `key` in mapping `map` (aliases
 * followed); with `merge`, keys brought in by YAML merge keys (`<<: *a`,
 * `<<: [*a, *b]`) are found too, an explicit key winning. NULL when absent. */
const dw_yaml_pair *dw_yaml_lookup(const dw_yaml_node *map, const char *key, bool merge);
/* "a mapping", "a sequence", "a string", "null": for messages. */
const char *dw_yaml_describe(const dw_yaml_node *n);

#endif
