/* sh.h — a POSIX shell parser for the scripts inside RUN instructions.
 *
 * sh_parse reads a script text and builds a syntax tree in an arena: lists,
 * && / || chains, pipelines, simple commands (assignments, argv words,
 * redirections, heredocs) and the compound commands (subshells, { } groups,
 * if, while/until, for/select, case, function definitions, [[ ]] and
 * (( )) as opaque tests). Every word keeps its text as written, its value
 * with quotes removed, its parts ($var, ${…}, $(…), `…`, $((…)) kept as
 * opaque parts, whose text stays in the value as written) and its byte
 * span in the Dockerfile.
 *
 * Positions. The script text may be a view into an instruction's joined
 * line (continuations removed), a view into the file's bytes (a heredoc
 * body), or a decoded copy (the string of `sh -c "…"`, a backtick body, a
 * JSON string). An sh_map says how a pointer into the text becomes a file
 * offset; maps chain, so a word inside `sh -c "…"` inside a continued RUN
 * still lands on its exact byte in the file.
 *
 * Robustness. Parsing never fails: a token that cannot start or continue a
 * command becomes an SH_N_OPAQUE node running to the next separator, a
 * missing `fi`/`done`/`}`/`)` marks the construct `error`, unterminated
 * quotes run to the end of the text. Nesting (compound commands, $(…),
 * backticks, sh -c strings) is bounded by SH_MAX_DEPTH; deeper text is kept
 * as opaque nodes or parts, scanned iteratively. All work is linear in the
 * text times that bound.
 *
 * Memory. Everything is allocated in the caller's arena (the Dockerfile's
 * arena: the tree lives and dies with the file). */
#ifndef DW_SH_H
#define DW_SH_H

#include "../util/util.h"

/* Deepest nesting of compound commands, substitutions and sub-scripts that is
 * parsed; deeper text becomes opaque. Real Dockerfiles stay under 10. */
#define SH_MAX_DEPTH 32

/* ---- position maps ---------------------------------------------------- */

typedef enum {
    SH_MAP_INSTR, /* text lies in the joined line of `in` (dw_instr_file_offset) */
    SH_MAP_FILE,  /* text[i] is the file byte at base_off + i (a heredoc body) */
    SH_MAP_SEGS,  /* a decoded copy: segs take its bytes back into parent's text */
    SH_MAP_SPAN   /* no byte-exact mapping: every byte maps into `span` */
} sh_map_kind;

/* value bytes [voff, voff+len) came from raw bytes [raw, raw+len). Bytes
 * decoded from an escape map to the escape's first bytes. */
typedef struct sh_seg {
    uint32_t voff, len;
    const char *raw;
} sh_seg;

typedef struct sh_map {
    sh_map_kind kind;
    const dw_instr *in;           /* INSTR */
    const char *base;             /* FILE, SEGS: the text's first byte */
    uint32_t base_off, len;       /* FILE: file offset of base[0]; text length */
    const sh_seg *segs;           /* SEGS, sorted by voff */
    uint32_t nsegs;
    const struct sh_map *parent;  /* SEGS */
    dw_span span;                 /* SPAN */
} sh_map;

/* The file offset of the byte at p (p may be one past the text's end). */
uint32_t sh_map_offset(const sh_map *m, const char *p);
/* The file span of bytes [p, p+len). A SPAN map anywhere in the chain gives
 * its whole span. */
dw_span sh_map_span(const sh_map *m, const char *p, size_t len);

/* ---- words ------------------------------------------------------------ */

typedef enum {
    SH_P_LIT,      /* unquoted text, backslash escapes removed */
    SH_P_SQUOTE,   /* '…' (value: the inside) */
    SH_P_DQUOTE,   /* literal text inside "…"; an empty "" gives one empty part */
    SH_P_ANSI,     /* $'…', escapes decoded */
    SH_P_PARAM,    /* $name, $1, $@, ${…} */
    SH_P_CMDSUB,   /* $(…) */
    SH_P_BACKTICK, /* `…` */
    SH_P_ARITH,    /* $((…)), $[…] */
    SH_P_PROCSUB   /* <(…), >(…) */
} sh_part_kind;

struct sh_script;

typedef struct sh_part {
    sh_part_kind kind;
    bool in_dquote;        /* inside "…" */
    bool braced;           /* PARAM written ${…} */
    dw_str raw;            /* as written, with its $, quotes, parentheses */
    uint32_t voff, vlen;   /* its bytes in the word's value */
    dw_str name;           /* PARAM: "HOME", "1", "@" (empty when not a plain name) */
    struct sh_script *script; /* CMDSUB, BACKTICK, PROCSUB: the body, NULL when too deep */
} sh_part;

enum {
    SH_W_QUOTED  = 1u << 0, /* some byte is quoted or backslash-escaped */
    SH_W_EXPANDS = 1u << 1, /* has $…, `…` or <(…) parts: not known statically */
    SH_W_ERROR   = 1u << 2, /* unterminated quote or expansion (runs to the end) */
    SH_W_GLOB    = 1u << 3, /* unquoted * ? [ */
    SH_W_PLAIN   = 1u << 4  /* no quotes, escapes or expansions: value == raw */
};

typedef struct sh_word {
    dw_str raw;            /* as written, in the script text */
    dw_str value;          /* quotes and escapes removed; expansions kept as written */
    dw_span span;          /* file bytes of raw */
    sh_part *parts;        /* in order, covering the word; at least one */
    uint32_t nparts;
    sh_seg *segs;          /* when value is a copy: its bytes back to raw bytes */
    uint32_t nsegs;        /* 0: value is a view into the script text */
    uint32_t flags;        /* SH_W_* */
} sh_word;

/* True when the word's value is `s`. */
static inline bool sh_word_is(const sh_word *w, const char *s) { return w && dw_str_eqc(w->value, s); }

/* The word as hadolint (ShellCheck's oversimplify) spells it: quotes
 * removed and every expansion ($x, ${…}, $(…), `…`, $((…))) replaced by the
 * text "${VAR}". Returns the value itself when there is no expansion. */
dw_str sh_word_hadolint(dw_arena *a, const sh_word *w);

/* ---- redirections ----------------------------------------------------- */

typedef enum {
    SH_R_IN,         /* <   */
    SH_R_OUT,        /* >   */
    SH_R_APPEND,     /* >>  */
    SH_R_CLOBBER,    /* >|  */
    SH_R_DUP_IN,     /* <&  */
    SH_R_DUP_OUT,    /* >&  */
    SH_R_RDWR,       /* <>  */
    SH_R_HEREDOC,    /* << and <<- */
    SH_R_HERESTRING, /* <<< */
    SH_R_OUT_ERR,    /* &>  */
    SH_R_APPEND_ERR  /* &>> */
} sh_redir_kind;

typedef struct sh_heredoc {
    dw_str delim;          /* quotes removed */
    bool quoted;           /* some of the delimiter was quoted: no expansion */
    bool strip_tabs;       /* <<- */
    bool found;            /* a body was bound to it */
    bool unterminated;     /* the body ran to the end of the text */
    bool external;         /* the body is one of the Dockerfile's heredocs */
    dw_str body;           /* each line with its terminator */
    dw_span body_span;
    const sh_map *map;     /* maps body bytes to the file */
} sh_heredoc;

typedef struct sh_redir {
    sh_redir_kind kind;
    int fd;                /* the N of N>file, -1 when absent */
    dw_str text;           /* operator .. target, as written */
    dw_span span;
    sh_word target;        /* file, fd, here-string or heredoc delimiter */
    bool has_target;
    sh_heredoc *heredoc;   /* SH_R_HEREDOC */
} sh_redir;

/* ---- nodes ------------------------------------------------------------ */

typedef enum {
    SH_N_LIST,      /* kids run one after the other; each kid's `sep` ends it */
    SH_N_ANDOR,     /* kids joined by && / || (kid->op, from the 2nd kid) */
    SH_N_PIPELINE,  /* kids joined by | or |& (kid->op); `bang` for ! */
    SH_N_SIMPLE,    /* assigns, words, redirs */
    SH_N_SUBSHELL,  /* ( list ) */
    SH_N_GROUP,     /* { list; } */
    SH_N_IF,        /* kids: LISTs with role COND, THEN, (COND, THEN)…, [ELSE] */
    SH_N_WHILE,     /* kids: COND list, BODY list */
    SH_N_UNTIL,
    SH_N_FOR,       /* for/select: name, words (the `in` list), BODY list */
    SH_N_CASE,      /* name = the subject word; kids: CASE_ITEMs */
    SH_N_CASE_ITEM, /* words = patterns; kid: BODY list; sep: ';' for ;; '&' ;& '|' ;;& */
    SH_N_FUNCTION,  /* name; kid: the body command */
    SH_N_TEST,      /* [[ … ]]: words (operators included) */
    SH_N_ARITH,     /* (( … )) and for (( … )) headers: opaque */
    SH_N_OPAQUE     /* text that did not parse */
} sh_node_kind;

typedef enum { SH_ROLE_NONE, SH_ROLE_COND, SH_ROLE_THEN, SH_ROLE_ELSE, SH_ROLE_BODY } sh_role;
typedef enum { SH_OP_NONE, SH_OP_AND, SH_OP_OR, SH_OP_PIPE, SH_OP_PIPE_ERR } sh_op;

typedef struct sh_node sh_node;
struct sh_node {
    sh_node_kind kind;
    uint8_t op;            /* sh_op joining it to its previous sibling */
    uint8_t sep;           /* in a LIST: ';', '&', '\n' or 0 after it */
    uint8_t role;          /* sh_role, for the LIST kids of compound commands */
    bool bang;             /* PIPELINE preceded by ! */
    bool error;            /* a keyword or closer was missing, or a bad token */
    dw_str text;           /* its bytes in the script text */
    dw_span span;
    sh_node *parent, *kids, *next;
    uint32_t nkids;
    sh_word *assigns;      /* SIMPLE: NAME=value words before the command */
    uint32_t nassigns;
    sh_word *words;        /* SIMPLE: argv; FOR: the list; CASE_ITEM: patterns; TEST */
    uint32_t nwords;
    sh_word *name;         /* FOR variable, CASE subject, FUNCTION name */
    sh_redir *redirs;      /* on any command */
    uint32_t nredirs;
    const struct sh_script *script; /* the script holding it */
};

/* ---- scripts ---------------------------------------------------------- */

typedef enum {
    SH_SRC_TEXT,     /* a text given by the caller (a shell-form RUN line) */
    SH_SRC_HEREDOC,  /* a RUN heredoc body run as the script */
    SH_SRC_EXEC,     /* an exec-form RUN: one command, no shell */
    SH_SRC_DASH_C,   /* the string of sh -c */
    SH_SRC_STDIN,    /* a heredoc or here-string a shell reads */
    SH_SRC_CMDSUB,   /* $(…), <(…) */
    SH_SRC_BACKTICK  /* `…` */
} sh_src_kind;

typedef struct sh_script {
    sh_src_kind kind;
    dw_str text;
    const sh_map *map;
    sh_node *root;                  /* a LIST */
    const struct sh_script *parent; /* NULL for a top-level script */
    const sh_node *owner;           /* DASH_C, STDIN: the command running it; else NULL */
    uint32_t depth;                 /* nesting below the top-level script */
    uint32_t nerrors;               /* syntax problems in this text */
} sh_script;

typedef struct sh_parse_opts {
    sh_src_kind kind;
    const sh_script *parent;
    const sh_node *owner;
    uint32_t depth;
    /* The Dockerfile's heredoc bodies, bound in order to the `<<` operators of
     * the text that find no body in the text itself (a RUN line is one line:
     * BuildKit hands the shell the line followed by the bodies). */
    const dw_heredoc *heredocs;
    uint32_t nheredocs;
} sh_parse_opts;

/* Parses `text` (whose bytes `map` locates in the file) into a script.
 * Never fails; `opts` may be NULL. */
sh_script *sh_parse(dw_arena *a, dw_str text, const sh_map *map, const sh_parse_opts *opts);

/* Builds a map. */
sh_map *sh_map_instr(dw_arena *a, const dw_instr *in);
sh_map *sh_map_file(dw_arena *a, const char *base, uint32_t len, uint32_t file_off);
sh_map *sh_map_segs(dw_arena *a, const char *base, const sh_seg *segs, uint32_t nsegs, const sh_map *parent);
sh_map *sh_map_whole(dw_arena *a, dw_span span);

/* True for a valid shell variable name. */
bool sh_is_name(dw_str s);
/* When w is an assignment (NAME=value, NAME+=value, NAME[i]=value written
 * unquoted), stores the name and value text and returns true. */
bool sh_word_assignment(const sh_word *w, dw_str *name, dw_str *value);

#endif
