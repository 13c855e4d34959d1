/* sh_int.h — what the shell lexer (sh_lex.c) and the grammar (sh_parse.c)
 * share: tokens, the lexer state, the parser state with its scratch stacks.
 *
 * Scratch stacks. Words, parts, segments and redirections are collected on
 * malloc'd stacks and copied, exactly sized, into the arena when their owner
 * is complete. A nested parse (the body of $(…) met while lexing a word)
 * pushes above its caller's entries and pops back to where it started, so
 * one set of stacks serves every level without per-item allocation. */
#ifndef DW_SH_INT_H
#define DW_SH_INT_H

#include "sh.h"

typedef enum {
    TK_EOF, TK_WORD, TK_NEWLINE, TK_SEMI, TK_AMP, TK_AND, TK_OR, TK_PIPE, TK_PIPE_ERR,
    TK_DSEMI, TK_SEMI_AMP, TK_DSEMI_AMP, TK_LPAREN, TK_RPAREN, TK_REDIR
} tok_kind;

typedef struct {
    tok_kind kind;
    const char *start, *end;  /* its bytes in the text */
    sh_word word;             /* TK_WORD */
    sh_redir_kind rk;         /* TK_REDIR */
    int fd;                   /* TK_REDIR: N of N>, -1 */
    bool strip;               /* TK_REDIR: <<- */
} token;

typedef struct lexer {
    const char *s, *end, *p;  /* the text and the position */
    const sh_map *map;
    token tok;
    bool peeked;
    bool cond;                /* inside [[ ]]: operators are words */
    struct { sh_heredoc **v; uint32_t n, cap; } pending; /* waiting for a newline */
    const dw_heredoc *ext;    /* the Dockerfile's heredoc bodies, bound at the end */
    uint32_t next_ext, n_ext;
} lexer;

typedef struct parser {
    dw_arena *a;
    lexer *lx;
    sh_script *script;        /* the script nodes being built belong to */
    uint32_t depth;           /* nesting, bounded by SH_MAX_DEPTH */
    const char *last_end;     /* end of the last consumed token */
    struct { sh_word *v; uint32_t n, cap; } words;
    struct { sh_redir *v; uint32_t n, cap; } redirs;
    struct { sh_part *v; uint32_t n, cap; } parts;
    struct { sh_seg *v; uint32_t n, cap; } segs;
    struct { uint8_t *v; uint32_t n, cap; } closers; /* skip_deep's stack */
    dw_buf val;               /* word values under construction */
} parser;

/* ---- sh_lex.c ---- */
void sh_lex_init(lexer *lx, dw_str text, const sh_map *map);
void sh_lex_free(lexer *lx);
const token *sh_peek(parser *P);
token sh_next(parser *P);
/* Skips to the end of a balanced construct opened just before p (closer is
 * ')', '}' or ']'), across quotes and nested $(…), ${…}, `…`; iterative.
 * Returns the position after the closer, or the end of the text (and sets
 * *unterminated). */
const char *sh_skip_balanced(const char *p, const char *end, char closer, bool *unterminated);
/* True when the text at p ("((" already seen) is arithmetic: the balanced
 * body ends in "))". Stores the position after it. */
bool sh_arith_at(const char *p, const char *end, const char **after);

/* ---- sh_parse.c ---- */
/* Parses the body of $(…) from the lexer's position up to its ')'. Returns
 * the body's script, or NULL when too deep (the caller then skips it). */
sh_script *sh_parse_cmdsub(parser *P, const char *body_start);
/* Parses a decoded text (a backtick body) as a nested script. */
sh_script *sh_parse_nested(parser *P, dw_str text, const sh_map *map, sh_src_kind kind);

/* ---- helpers shared by both ---- */
sh_script *sh_script_new(parser *P, sh_src_kind kind, dw_str text, const sh_map *map);
static inline dw_span sh_lx_span(const lexer *lx, const char *p, const char *e)
{
    return sh_map_span(lx->map, p, (size_t)(e - p));
}

#endif
