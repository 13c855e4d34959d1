/* dockerfile_int.h — internals shared by the Dockerfile parser's files. */
#ifndef DW_DOCKERFILE_INT_H
#define DW_DOCKERFILE_INT_H

#include "../util/diag.h"
#include "../util/util.h"
#include "shell_lex.h"

#define DW_MAX_LINE 65535u  /* BuildKit's bufio.Scanner limit, terminator excluded */

typedef struct dw_stager dw_stager;

/* A word of BuildKit's parseWords: its text (a view, or a copy when invalid
 * UTF-8 had to be replaced), where it was and how long it was there. */
typedef struct { dw_str text; const char *at; size_t srclen; } dw_pword;
typedef DW_VEC(dw_word) dw_word_vec;
typedef DW_VEC(dw_str) dw_str_vec;
typedef DW_VEC(dw_heredoc) dw_heredoc_vec;

/* A new last slot of a scratch word list (DW_SVEC_PUSH's growth), for the
 * caller to fill field by field: a word built whole on the stack and then
 * pushed was copied with 16-byte loads of fields just stored narrower,
 * which the CPU cannot forward from the stores (a stall per word, and a
 * big file has millions). */
static inline dw_word *dw_word_slot(dw_word_vec *v)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 8;
        v->v = dw_xrealloc(v->v, sizeof *v->v * v->cap);
    }
    return &v->v[v->n++];
}

/* Parser state for one file. */
typedef struct {
    dw_stager *stager;
    dw_dockerfile *df;
    dw_arena *a;
    char escape;
    bool directives_done;
    bool seen_escape, seen_syntax, seen_check;
    /* Scratch lists, malloc'd once per file and reused by every instruction:
     * a list is filled, then copied exactly sized into the arena
     * (DW_SVEC_TAKE), and is empty again before anything else uses it. */
    DW_VEC(dw_flag) flags;
    dw_word_vec words;
    DW_VEC(dw_pword) pwords;
    dw_str_vec fields;
    dw_heredoc_vec heredocs;
    dw_buf buf; /* unquoting a word */
    dw_buf lex; /* the shell lexer's output */
} dw_parser;

/* True for the bytes BuildKit's reWhitespace matches: [\t\v\f\r ]. */
static inline bool dw_is_ws(char c) { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r'; }

/* dw_instr_file_offset / dw_instr_file_span, inline for the parser, which
 * maps every word it makes; most instructions are one piece of one line. */
uint32_t dw_file_offset_pieces(const dw_instr *in, uint32_t off);

static inline uint32_t dw_file_offset_i(const dw_instr *in, const char *p)
{
    if (!in->nsegs || !in->joined_base) return in->span.start;
    if (p < in->joined_base) return in->segs[0].file;
    uint32_t off = (uint32_t)(p - in->joined_base);
    if (in->nsegs > 1) return dw_file_offset_pieces(in, off);
    uint32_t end = (uint32_t)(in->original.ptr + in->original.len - in->joined_base);
    return in->segs[0].file + (off < end ? off : end);
}

static inline dw_span dw_file_span_i(const dw_instr *in, const char *p, size_t len)
{
    dw_span sp;
    sp.start = dw_file_offset_i(in, p);
    sp.end = len ? dw_file_offset_i(in, p + len - 1) + 1 : sp.start;
    if (sp.end < sp.start) sp.end = sp.start;
    return sp;
}

/* df_node.c: builds one instruction from its joined line (BuildKit's
 * newNodeFromLine); `line` points into in->joined_base. Errors set in->error
 * and emit syntax-error. */
void dw_node_build(dw_parser *p, dw_instr *in, dw_str line);
void dw_node_error(dw_parser *p, dw_instr *in, dw_span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* df_json.c: reads `text` as a JSON array of strings (BuildKit's parseJSON).
 * Returns 0 for an array of strings (*out filled, spans are of each literal),
 * 1 when the text is not a valid JSON array (shell form), 2 when it is valid
 * JSON with a non-string element (an error). */
int dw_json_string_array(dw_arena *a, const dw_instr *in, dw_str text, dw_word **out, uint32_t *n);
/* The same, appending the words to p->words (nothing is appended unless 0
 * is returned). */
int dw_json_string_array_into(dw_parser *p, const dw_instr *in, dw_str text);

/* df_heredoc.c */
typedef struct { dw_str name; uint32_t fd; bool expand, chomp; bool ok; } dw_heredoc_word;
/* BuildKit's ParseHeredoc: returns 0 (out->ok says whether it is one) or -1 with *err. */
int dw_heredoc_parse_word(dw_arena *a, dw_str word, dw_heredoc_word *out, const char **err);
/* BuildKit's heredocsFromLine: the heredoc words of a joined line, in order. */
int dw_heredocs_from_line(dw_arena *a, dw_str line, dw_heredoc **out, uint32_t *n,
                          dw_str **words_out, const char **err);
/* The same for the parser: a line that needs no lexing (no quote, escape,
 * '$' or non-ASCII byte) is split directly, and scratch lists are used. */
int dw_heredocs_from_line_p(dw_parser *p, dw_str line, dw_heredoc **out, uint32_t *n, const char **err);

/* df_validate.c: what BuildKit's instructions layer rejects, for one
 * instruction (flags, values, argument counts, --mount fields). */
void dw_validate_instr(dw_parser *p, dw_instr *in);

/* df_stages.c: the stage model, ARG/ENV scoping and expansion, built one
 * instruction at a time while it is hot in the cache. */
void dw_stages_begin(dw_parser *p, const dw_parse_opts *opts);
void dw_stages_step(dw_parser *p, uint32_t index);
void dw_stages_end(dw_parser *p);
void dw_imageref_parse(dw_arena *a, dw_str s, dw_imageref *r);

#endif
