/* schema.h — the Compose specification's structure as our own data table,
 * and what the validator (schema.c) and its tests need to read it.
 *
 * The table (schema_table.c) is written from the facts of compose-go's
 * schema/compose-spec.json (JSON Schema draft 2020-12): every key, type,
 * enum, pattern and definition, in the small subset of JSON Schema that file
 * uses. The compose-schema test suite walks the JSON file, when the corpus
 * is present, and fails on any difference, so the table is kept current by
 * hand without shipping the JSON. */
#ifndef DW_COMPOSE_SCHEMA_H
#define DW_COMPOSE_SCHEMA_H

#include "../util/util.h"

/* JSON types as a bit set. "integer" is its own bit; a "number" accepts
 * integers too, which the validator handles. 0 means no "type": anything. */
enum {
    DW_SCH_NULL = 1 << 0,
    DW_SCH_BOOL = 1 << 1,
    DW_SCH_INT = 1 << 2,
    DW_SCH_NUM = 1 << 3,
    DW_SCH_STR = 1 << 4,
    DW_SCH_OBJ = 1 << 5,
    DW_SCH_ARR = 1 << 6
};

/* A regular expression of the schema ("pattern" or a patternProperties
 * key), as written, with a hand-written matcher of the same language (the
 * test checks it against regcomp on sample strings) and words for messages. */
typedef struct {
    const char *source;
    bool (*match)(dw_str s);
    const char *what;      /* "letters, digits, '.', '_' and '-' only" */
} dw_sch_pattern;

typedef struct dw_sch dw_sch;

typedef struct {
    const char *name;
    const dw_sch *schema;  /* NULL: anything */
} dw_sch_prop;

typedef struct {
    const dw_sch_pattern *pattern;
    const dw_sch *schema;  /* NULL: anything (`{}`) */
} dw_sch_pprop;

struct dw_sch {
    const char *def;                 /* the $defs name when this node is a definition */
    uint8_t types;                   /* DW_SCH_* bits; 0: any type */
    bool closed;                     /* additionalProperties: false */
    bool unique;                     /* uniqueItems: true */
    bool has_min, has_max;
    double min, max;                 /* minimum / maximum */
    const dw_sch_prop *props;        /* properties, {NULL} terminated */
    const dw_sch_pprop *pprops;      /* patternProperties, {NULL} terminated */
    const dw_sch *items;             /* items */
    const dw_sch *const *one_of;     /* oneOf alternatives, NULL terminated; their
                                        types never overlap (the test checks it), so
                                        the validator picks one by the value's kind */
    const char *const *enums;        /* enum (all strings here), NULL terminated */
    const char *const *required;     /* required, NULL terminated */
    const dw_sch_pattern *pattern;   /* pattern (unanchored, as JSON Schema matches) */
};

/* The whole file, and every definition it names (NULL terminated). */
extern const dw_sch dw_sch_root;
extern const dw_sch *const dw_sch_defs[];
/* Every pattern the table uses (NULL terminated). */
extern const dw_sch_pattern *const dw_sch_patterns[];

/* compose-go converts the string at these paths, after interpolation and
 * before validation, to the type the loader needs (its loader/interpolate.go
 * cast table: strconv.Atoi, ParseInt, ParseFloat 64 and 32, its toBoolean).
 * Paths are dotted; `*` is any key or item, `[]` any item. */
typedef enum { DW_CAST_INT, DW_CAST_INT64, DW_CAST_FLOAT, DW_CAST_FLOAT32, DW_CAST_BOOL } dw_sch_cast_kind;
typedef struct {
    const char *path;
    dw_sch_cast_kind kind;
} dw_sch_cast;
extern const dw_sch_cast dw_sch_casts[];    /* {NULL} terminated */

/* Lists compose-go de-duplicates (override.EnforceUnicity) before it
 * validates, so repeated items there never reach uniqueItems. */
extern const char *const dw_sch_deduplicated[]; /* NULL terminated */

/* ---- dotted paths ("services.web.ports.[]") and their patterns (cv_build.c) ---- */
#define DW_PATH_MAX 64
typedef struct {
    dw_str seg[DW_PATH_MAX];
    uint32_t item[DW_PATH_MAX]; /* a sequence item's index (seg is "[]"), else UINT32_MAX */
    uint32_t n;        /* segments in use; deeper levels are counted but not kept */
    uint32_t depth;
} dw_cpath;
static inline void dw_cpath_push(dw_cpath *p, dw_str s)
{
    if (p->depth < DW_PATH_MAX) {
        p->seg[p->depth] = s;
        p->item[p->depth] = UINT32_MAX;
    }
    p->depth++;
    p->n = p->depth < DW_PATH_MAX ? p->depth : DW_PATH_MAX;
}
/* A sequence item: matched by `[]` in patterns, shown as `[i]`. */
static inline void dw_cpath_push_item(dw_cpath *p, uint32_t i)
{
    dw_cpath_push(p, dw_str_make("[]", 2));
    if (p->depth <= DW_PATH_MAX) p->item[p->depth - 1] = i;
}
static inline void dw_cpath_pop(dw_cpath *p)
{
    if (p->depth) p->depth--;
    p->n = p->depth < DW_PATH_MAX ? p->depth : DW_PATH_MAX;
}
/* True when the path has as many segments as the dotted pattern and each
 * equals its pattern segment or the pattern has `*` there (compose-go's
 * tree.Path.Matches). */
bool dw_cpath_matches(const dw_cpath *p, const char *pattern);
/* "services.web.environment.X" / "services.web.ports[0]" in the arena. */
const char *dw_cpath_string(dw_arena *a, const dw_cpath *p);

#endif
