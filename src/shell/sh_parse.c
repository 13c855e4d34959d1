/* sh_parse.c — the shell grammar (POSIX XCU 2.10 plus the bash forms that
 * Dockerfiles use: [[ ]], (( )), function, select, |&, &>, <<<), by
 * recursive descent. Each function carries a `stop` mask: the closing
 * keywords and operators of every enclosing construct, so a list inside
 * `if … fi` ends at `fi`, and a stray closer (`fi` with no `if`) becomes an
 * opaque node instead of derailing the rest. Recursion is bounded by
 * SH_MAX_DEPTH; deeper compound commands are skipped by skip_deep with an
 * explicit stack. Sibling sequences (lists, chains, pipelines) are loops. */
#include "sh_int.h"

enum {
    STOP_RPAREN = 1u << 0, STOP_RBRACE = 1u << 1, STOP_THEN = 1u << 2, STOP_ELIF = 1u << 3,
    STOP_ELSE = 1u << 4, STOP_FI = 1u << 5, STOP_DO = 1u << 6, STOP_DONE = 1u << 7,
    STOP_ESAC = 1u << 8, STOP_DSEMI = 1u << 9
};

static const struct { const char *kw; unsigned stop; } closer_words[] = {
    {"}", STOP_RBRACE}, {"then", STOP_THEN}, {"elif", STOP_ELIF}, {"else", STOP_ELSE},
    {"fi", STOP_FI}, {"do", STOP_DO}, {"done", STOP_DONE}, {"esac", STOP_ESAC},
};

/* A word that may be a reserved word: plain and short (the longest is
 * "function"); the cheap test keeps keyword lookups off ordinary words. */
static bool maybe_kw(const token *t)
{
    return t->kind == TK_WORD && (t->word.flags & SH_W_PLAIN) && t->word.raw.len <= 8;
}

static bool is_kw(const token *t, const char *kw) { return maybe_kw(t) && dw_str_eqc(t->word.raw, kw); }

/* The stop bit this token closes, 0 when it closes nothing. */
static unsigned closer_bit(const token *t)
{
    switch (t->kind) {
    case TK_RPAREN: return STOP_RPAREN;
    case TK_DSEMI: case TK_SEMI_AMP: case TK_DSEMI_AMP: return STOP_DSEMI;
    case TK_WORD:
        if (!maybe_kw(t)) return 0;
        for (size_t i = 0; i < sizeof closer_words / sizeof closer_words[0]; i++)
            if (dw_str_eqc(t->word.raw, closer_words[i].kw)) return closer_words[i].stop;
        return 0;
    default:
        return 0;
    }
}

/* Words, redirections and ( start a command; reserved closers do not. */
static bool can_start(const token *t)
{
    if (t->kind == TK_WORD) return closer_bit(t) == 0;
    return t->kind == TK_REDIR || t->kind == TK_LPAREN;
}

static bool is_separator(const token *t)
{
    return t->kind == TK_SEMI || t->kind == TK_AMP || t->kind == TK_NEWLINE || t->kind == TK_EOF;
}

sh_script *sh_script_new(parser *P, sh_src_kind kind, dw_str text, const sh_map *map)
{
    sh_script *sc = DW_NEW(P->a, sh_script, 1);
    sc->kind = kind;
    sc->text = text;
    sc->map = map;
    sc->parent = P->script;
    sc->depth = P->depth;
    return sc;
}

static sh_node *node_new(parser *P, sh_node_kind kind, const char *start)
{
    sh_node *n = DW_NEW(P->a, sh_node, 1);
    n->kind = kind;
    n->text = dw_str_make(start, 0);
    n->script = P->script;
    return n;
}

static void node_end(parser *P, sh_node *n, const char *end)
{
    if (!end || end < n->text.ptr) end = n->text.ptr;
    n->text.len = (size_t)(end - n->text.ptr);
    n->span = sh_lx_span(P->lx, n->text.ptr, end);
}

static void add_kid(sh_node *parent, sh_node **tail, sh_node *kid)
{
    kid->parent = parent;
    if (*tail) (*tail)->next = kid; else parent->kids = kid;
    *tail = kid;
    parent->nkids++;
}

static void mark_error(parser *P, sh_node *n)
{
    if (!n->error) P->script->nerrors++;
    n->error = true;
}

static bool accept_kw(parser *P, const char *kw)
{
    if (!is_kw(sh_peek(P), kw)) return false;
    sh_next(P);
    return true;
}

static void skip_newlines(parser *P)
{
    while (sh_peek(P)->kind == TK_NEWLINE) sh_next(P);
}

static sh_word *word_copy(parser *P, const sh_word *w)
{
    sh_word *c = DW_NEW(P->a, sh_word, 1);
    *c = *w;
    return c;
}

/* Moves words [base, n) of the scratch stack into the arena. */
static sh_word *commit_words(parser *P, uint32_t base, uint32_t *count)
{
    *count = P->words.n - base;
    sh_word *out = *count ? dw_arena_copy(P->a, P->words.v + base, sizeof(sh_word) * *count) : NULL;
    P->words.n = base;
    return out;
}

static void commit_redirs(parser *P, sh_node *n, uint32_t base)
{
    n->nredirs = P->redirs.n - base;
    n->redirs = n->nredirs ? dw_arena_copy(P->a, P->redirs.v + base, sizeof(sh_redir) * n->nredirs) : NULL;
    P->redirs.n = base;
}

static sh_node *parse_list(parser *P, unsigned stop);
static sh_node *parse_command(parser *P, unsigned stop);

/* Text that cannot be parsed here: one opaque node. It starts with at least
 * one token; a run of operators that cannot start a command (`) ) ;;`) is
 * taken whole but stops before the next command (`; ls` parses ls), other
 * garbage runs to the next separator or closer. */
static sh_node *parse_opaque(parser *P, unsigned stop)
{
    const token *t = sh_peek(P);
    sh_node *n = node_new(P, SH_N_OPAQUE, t->start);
    mark_error(P, n);
    token first = sh_next(P);
    bool lone = first.kind != TK_WORD && first.kind != TK_REDIR && first.kind != TK_LPAREN;
    for (;;) {
        t = sh_peek(P);
        if (t->kind == TK_NEWLINE || t->kind == TK_EOF || (closer_bit(t) & stop)) break;
        if (lone ? can_start(t) : (is_separator(t) || t->kind == TK_AND || t->kind == TK_OR)) break;
        sh_next(P);
    }
    node_end(P, n, P->last_end);
    return n;
}

/* The `word` of a redirection; a heredoc waits for its body. */
static void parse_redirect(parser *P, sh_node *n)
{
    token op = sh_next(P);
    sh_redir r;
    memset(&r, 0, sizeof r);
    r.kind = op.rk;
    r.fd = op.fd;
    const token *t = sh_peek(P);
    if (t->kind == TK_WORD) {
        r.target = t->word;
        r.has_target = true;
        sh_next(P);
    } else {
        mark_error(P, n);
    }
    r.text = dw_str_make(op.start, (size_t)(P->last_end - op.start));
    r.span = sh_lx_span(P->lx, op.start, P->last_end);
    if (r.kind == SH_R_HEREDOC) {
        sh_heredoc *h = DW_NEW(P->a, sh_heredoc, 1);
        h->strip_tabs = op.strip;
        h->delim = r.target.value;
        h->quoted = (r.target.flags & SH_W_QUOTED) != 0;
        r.heredoc = h;
        if (r.has_target) DW_SVEC_PUSH(P->lx->pending, h);
        else h->unterminated = true;
    }
    DW_SVEC_PUSH(P->redirs, r);
}

/* NAME ( ) body — the name word is already on the stack at `wbase`. */
static sh_node *parse_function_def(parser *P, sh_node *simple, uint32_t wbase, unsigned stop)
{
    sh_node *f = simple;
    f->kind = SH_N_FUNCTION;
    f->name = word_copy(P, &P->words.v[wbase]);
    P->words.n = wbase;
    sh_next(P); /* ( */
    if (sh_peek(P)->kind == TK_RPAREN) sh_next(P); else mark_error(P, f);
    skip_newlines(P);
    if (can_start(sh_peek(P))) {
        sh_node *tail = NULL;
        add_kid(f, &tail, parse_command(P, stop));
    } else {
        mark_error(P, f);
    }
    node_end(P, f, P->last_end);
    return f;
}

/* The `(` just peeked is followed by `)`: NAME ( ) starts a function
 * definition (while `time ( make )` does not). */
static bool empty_parens(parser *P)
{
    const char *q = P->lx->p;
    while (q < P->lx->end && (*q == ' ' || *q == '\t')) q++;
    return q < P->lx->end && *q == ')';
}

/* simple_command: assignments and redirections, then words and redirections. */
static sh_node *parse_simple(parser *P, unsigned stop)
{
    const token *t = sh_peek(P);
    sh_node *n = node_new(P, SH_N_SIMPLE, t->start);
    uint32_t wbase = P->words.n, rbase = P->redirs.n;
    bool words = false;
    for (;;) {
        t = sh_peek(P);
        if (t->kind == TK_REDIR) { parse_redirect(P, n); continue; }
        if (t->kind != TK_WORD) break;
        if (!words && sh_word_assignment(&t->word, NULL, NULL)) {
            DW_SVEC_PUSH(P->words, t->word);
            sh_next(P);
            continue;
        }
        if (!words) {
            bool assigned = P->words.n > wbase;
            n->assigns = commit_words(P, wbase, &n->nassigns);
            words = true;
            DW_SVEC_PUSH(P->words, t->word);
            sh_next(P);
            if (!assigned && P->redirs.n == rbase && sh_peek(P)->kind == TK_LPAREN && empty_parens(P))
                return parse_function_def(P, n, wbase, stop);
            continue;
        }
        DW_SVEC_PUSH(P->words, t->word);
        sh_next(P);
    }
    if (words) n->words = commit_words(P, wbase, &n->nwords);
    else n->assigns = commit_words(P, wbase, &n->nassigns);
    commit_redirs(P, n, rbase);
    node_end(P, n, P->last_end);
    return n;
}

/* (( … )) at the token `(` just peeked: the arithmetic text as one opaque
 * node, or NULL (nothing consumed) when the parentheses are not arithmetic. */
static sh_node *take_arith(parser *P)
{
    const token *t = sh_peek(P);
    const char *after;
    if (t->kind != TK_LPAREN || !sh_arith_at(t->start, P->lx->end, &after)) return NULL;
    sh_node *a = node_new(P, SH_N_ARITH, t->start);
    P->lx->p = after;
    P->lx->peeked = false;
    P->last_end = after;
    node_end(P, a, after);
    return a;
}

static sh_node *parse_if(parser *P, unsigned stop)
{
    token kw = sh_next(P);
    sh_node *n = node_new(P, SH_N_IF, kw.start), *tail = NULL;
    for (;;) {
        sh_node *cond = parse_list(P, stop | STOP_THEN);
        cond->role = SH_ROLE_COND;
        add_kid(n, &tail, cond);
        if (!accept_kw(P, "then")) { mark_error(P, n); break; }
        sh_node *body = parse_list(P, stop | STOP_ELIF | STOP_ELSE | STOP_FI);
        body->role = SH_ROLE_THEN;
        add_kid(n, &tail, body);
        if (accept_kw(P, "elif")) continue;
        if (accept_kw(P, "else")) {
            sh_node *e = parse_list(P, stop | STOP_FI);
            e->role = SH_ROLE_ELSE;
            add_kid(n, &tail, e);
        }
        if (!accept_kw(P, "fi")) mark_error(P, n);
        break;
    }
    node_end(P, n, P->last_end);
    return n;
}

/* `do list done` (bash also takes `{ list }` after for). */
static void parse_do_body(parser *P, sh_node *n, sh_node **tail, unsigned stop)
{
    skip_newlines(P);
    bool brace = false;
    if (!accept_kw(P, "do")) {
        if (n->kind != SH_N_FOR || !accept_kw(P, "{")) { mark_error(P, n); return; }
        brace = true;
    }
    sh_node *body = parse_list(P, stop | (brace ? STOP_RBRACE : STOP_DONE));
    body->role = SH_ROLE_BODY;
    add_kid(n, tail, body);
    if (!accept_kw(P, brace ? "}" : "done")) mark_error(P, n);
}

static sh_node *parse_while(parser *P, unsigned stop, sh_node_kind kind)
{
    token kw = sh_next(P);
    sh_node *n = node_new(P, kind, kw.start), *tail = NULL;
    sh_node *cond = parse_list(P, stop | STOP_DO);
    cond->role = SH_ROLE_COND;
    add_kid(n, &tail, cond);
    parse_do_body(P, n, &tail, stop);
    node_end(P, n, P->last_end);
    return n;
}

/* for NAME [in WORDS…] ; do … done, select likewise, for (( … )) do … done */
static sh_node *parse_for(parser *P, unsigned stop)
{
    token kw = sh_next(P);
    sh_node *n = node_new(P, SH_N_FOR, kw.start), *tail = NULL;
    const token *t = sh_peek(P);
    if (t->kind == TK_LPAREN) {
        sh_node *a = take_arith(P);
        if (a) add_kid(n, &tail, a); else mark_error(P, n);
    } else if (t->kind == TK_WORD) {
        n->name = word_copy(P, &t->word);
        sh_next(P);
        skip_newlines(P);
        if (accept_kw(P, "in")) {
            uint32_t base = P->words.n;
            while ((t = sh_peek(P))->kind == TK_WORD) {
                DW_SVEC_PUSH(P->words, t->word);
                sh_next(P);
            }
            n->words = commit_words(P, base, &n->nwords);
        }
    } else {
        mark_error(P, n);
    }
    if (sh_peek(P)->kind == TK_SEMI) sh_next(P);
    parse_do_body(P, n, &tail, stop);
    node_end(P, n, P->last_end);
    return n;
}

static sh_node *parse_case(parser *P, unsigned stop)
{
    token kw = sh_next(P);
    sh_node *n = node_new(P, SH_N_CASE, kw.start), *tail = NULL;
    const token *t = sh_peek(P);
    if (t->kind == TK_WORD) { n->name = word_copy(P, &t->word); sh_next(P); } else mark_error(P, n);
    skip_newlines(P);
    if (!accept_kw(P, "in")) { mark_error(P, n); node_end(P, n, P->last_end); return n; }
    for (;;) {
        skip_newlines(P);
        t = sh_peek(P);
        if (is_kw(t, "esac")) { sh_next(P); break; }
        if (t->kind == TK_EOF || (closer_bit(t) & stop)) { mark_error(P, n); break; }
        sh_node *item = node_new(P, SH_N_CASE_ITEM, t->start), *itail = NULL;
        if (t->kind == TK_LPAREN) sh_next(P);
        uint32_t base = P->words.n;
        bool ok = false;
        while ((t = sh_peek(P))->kind == TK_WORD) {
            DW_SVEC_PUSH(P->words, t->word);
            sh_next(P);
            ok = true;
            if (sh_peek(P)->kind != TK_PIPE) break;
            sh_next(P);
        }
        item->words = commit_words(P, base, &item->nwords);
        if (!ok || sh_peek(P)->kind != TK_RPAREN) {
            mark_error(P, item);
            if (!ok && sh_peek(P)->kind != TK_EOF && item->text.ptr == sh_peek(P)->start) sh_next(P); /* progress */
        } else {
            sh_next(P);
        }
        sh_node *body = parse_list(P, stop | STOP_DSEMI | STOP_ESAC);
        body->role = SH_ROLE_BODY;
        add_kid(item, &itail, body);
        t = sh_peek(P);
        if (t->kind == TK_DSEMI || t->kind == TK_SEMI_AMP || t->kind == TK_DSEMI_AMP) {
            item->sep = t->kind == TK_DSEMI ? ';' : t->kind == TK_SEMI_AMP ? '&' : '|';
            sh_next(P);
        }
        node_end(P, item, P->last_end);
        add_kid(n, &tail, item);
    }
    node_end(P, n, P->last_end);
    return n;
}

/* { list } and ( list ); `((` may instead be arithmetic. */
static sh_node *parse_group(parser *P, unsigned stop, bool subshell)
{
    const token *t = sh_peek(P);
    if (subshell && t->start + 1 < P->lx->end && t->start[1] == '(') {
        sh_node *a = take_arith(P);
        if (a) return a;
    }
    token open = sh_next(P);
    sh_node *n = node_new(P, subshell ? SH_N_SUBSHELL : SH_N_GROUP, open.start), *tail = NULL;
    sh_node *body = parse_list(P, stop | (subshell ? STOP_RPAREN : STOP_RBRACE));
    body->role = SH_ROLE_BODY;
    add_kid(n, &tail, body);
    if (subshell) {
        if (sh_peek(P)->kind == TK_RPAREN) sh_next(P); else mark_error(P, n);
    } else if (!accept_kw(P, "}")) {
        mark_error(P, n);
    }
    node_end(P, n, P->last_end);
    return n;
}

/* [[ … ]]: words up to ]], with && || ( ) < > read as words. */
static sh_node *parse_test(parser *P)
{
    token open = sh_next(P);
    sh_node *n = node_new(P, SH_N_TEST, open.start);
    uint32_t base = P->words.n;
    P->lx->cond = true;
    for (;;) {
        const token *t = sh_peek(P);
        if (is_kw(t, "]]")) { P->lx->cond = false; sh_next(P); break; }
        if (t->kind == TK_NEWLINE) { sh_next(P); continue; }
        if (t->kind != TK_WORD) { P->lx->cond = false; mark_error(P, n); break; }
        DW_SVEC_PUSH(P->words, t->word);
        sh_next(P);
    }
    P->lx->cond = false;
    n->words = commit_words(P, base, &n->nwords);
    node_end(P, n, P->last_end);
    return n;
}

/* function NAME [( )] body */
static sh_node *parse_function_kw(parser *P, unsigned stop)
{
    token kw = sh_next(P);
    sh_node *f = node_new(P, SH_N_FUNCTION, kw.start), *tail = NULL;
    const token *t = sh_peek(P);
    if (t->kind == TK_WORD) { f->name = word_copy(P, &t->word); sh_next(P); } else mark_error(P, f);
    if (sh_peek(P)->kind == TK_LPAREN) {
        sh_next(P);
        if (sh_peek(P)->kind == TK_RPAREN) sh_next(P); else mark_error(P, f);
    }
    skip_newlines(P);
    if (can_start(sh_peek(P))) add_kid(f, &tail, parse_command(P, stop)); else mark_error(P, f);
    node_end(P, f, P->last_end);
    return f;
}

/* Past SH_MAX_DEPTH: the compound command is skipped token by token with a
 * stack of the closers it opened, and kept as one opaque node. */
static sh_node *skip_deep(parser *P)
{
    enum { C_PAREN = 1, C_BRACE, C_FI, C_DONE, C_ESAC, C_TEST };
    const token *t = sh_peek(P);
    sh_node *n = node_new(P, SH_N_OPAQUE, t->start);
    mark_error(P, n);
    uint32_t base = P->closers.n;
    do {
        t = sh_peek(P);
        if (t->kind == TK_EOF) break;
        uint8_t open = 0, close = 0;
        if (t->kind == TK_LPAREN) open = C_PAREN;
        else if (t->kind == TK_RPAREN) close = C_PAREN;
        else if (t->kind == TK_WORD && (t->word.flags & SH_W_PLAIN)) {
            dw_str w = t->word.raw;
            if (dw_str_eqc(w, "{")) open = C_BRACE;
            else if (dw_str_eqc(w, "if")) open = C_FI;
            else if (dw_str_eqc(w, "for") || dw_str_eqc(w, "while") || dw_str_eqc(w, "until") || dw_str_eqc(w, "select")) open = C_DONE;
            else if (dw_str_eqc(w, "case")) open = C_ESAC;
            else if (dw_str_eqc(w, "[[")) open = C_TEST;
            else if (dw_str_eqc(w, "}")) close = C_BRACE;
            else if (dw_str_eqc(w, "fi")) close = C_FI;
            else if (dw_str_eqc(w, "done")) close = C_DONE;
            else if (dw_str_eqc(w, "esac")) close = C_ESAC;
            else if (dw_str_eqc(w, "]]")) close = C_TEST;
        }
        if (open) {
            DW_SVEC_PUSH(P->closers, open);
        } else if (close && P->closers.n > base) {
            /* a case pattern's ) closes nothing */
            bool pattern = close == C_PAREN && P->closers.v[P->closers.n - 1] == C_ESAC;
            for (uint32_t i = P->closers.n; !pattern && i > base; i--)
                if (P->closers.v[i - 1] == close) { P->closers.n = i - 1; break; }
        }
        sh_next(P);
    } while (P->closers.n > base);
    P->closers.n = base;
    node_end(P, n, P->last_end);
    return n;
}

static sh_node *parse_compound(parser *P, unsigned stop, const token *t)
{
    if (t->kind == TK_LPAREN) return parse_group(P, stop, true);
    dw_str w = t->word.raw;
    if (dw_str_eqc(w, "if")) return parse_if(P, stop);
    if (dw_str_eqc(w, "while")) return parse_while(P, stop, SH_N_WHILE);
    if (dw_str_eqc(w, "until")) return parse_while(P, stop, SH_N_UNTIL);
    if (dw_str_eqc(w, "for") || dw_str_eqc(w, "select")) return parse_for(P, stop);
    if (dw_str_eqc(w, "case")) return parse_case(P, stop);
    if (dw_str_eqc(w, "{")) return parse_group(P, stop, false);
    if (dw_str_eqc(w, "[[")) return parse_test(P);
    return parse_function_kw(P, stop);
}

static bool starts_compound(const token *t)
{
    if (t->kind == TK_LPAREN) return true;
    if (!maybe_kw(t)) return false;
    static const char *const kws[] = {"if", "while", "until", "for", "select", "case", "{", "[[", "function"};
    for (size_t i = 0; i < sizeof kws / sizeof kws[0]; i++)
        if (dw_str_eqc(t->word.raw, kws[i])) return true;
    return false;
}

/* command: a compound command with its redirections, or a simple command. */
static sh_node *parse_command(parser *P, unsigned stop)
{
    const token *t = sh_peek(P);
    if (!starts_compound(t)) return parse_simple(P, stop);
    if (P->depth >= SH_MAX_DEPTH) return skip_deep(P);
    P->depth++;
    sh_node *n = parse_compound(P, stop, t);
    P->depth--;
    uint32_t rbase = P->redirs.n;
    while (sh_peek(P)->kind == TK_REDIR) parse_redirect(P, n);
    if (P->redirs.n > rbase) {
        commit_redirs(P, n, rbase);
        node_end(P, n, P->last_end);
    }
    return n;
}

/* After the word just peeked comes ( or {: bash's `time ( … )` times a
 * compound command (`time make` stays a command wrapping make). */
static bool compound_follows(parser *P)
{
    const char *q = P->lx->p;
    while (q < P->lx->end && (*q == ' ' || *q == '\t')) q++;
    return q < P->lx->end && (*q == '(' || *q == '{');
}

/* pipeline: [!] [time] command (| command)… */
static sh_node *parse_pipeline(parser *P, unsigned stop)
{
    const token *t = sh_peek(P);
    const char *start = t->start;
    bool bang = false;
    while (is_kw(t, "!") || (is_kw(t, "time") && compound_follows(P))) {
        if (is_kw(t, "!")) bang = !bang;
        sh_next(P);
        t = sh_peek(P);
    }
    if (!can_start(t)) {
        sh_node *e = node_new(P, SH_N_PIPELINE, start);
        e->bang = bang;
        mark_error(P, e);
        node_end(P, e, P->last_end);
        return e;
    }
    sh_node *first = parse_command(P, stop);
    t = sh_peek(P);
    if (t->kind != TK_PIPE && t->kind != TK_PIPE_ERR && !bang) return first;
    sh_node *pl = node_new(P, SH_N_PIPELINE, start), *tail = NULL;
    pl->bang = bang;
    add_kid(pl, &tail, first);
    while ((t = sh_peek(P))->kind == TK_PIPE || t->kind == TK_PIPE_ERR) {
        uint8_t op = t->kind == TK_PIPE ? SH_OP_PIPE : SH_OP_PIPE_ERR;
        sh_next(P);
        skip_newlines(P);
        if (!can_start(sh_peek(P))) { mark_error(P, pl); break; }
        sh_node *k = parse_command(P, stop);
        k->op = op;
        add_kid(pl, &tail, k);
    }
    node_end(P, pl, P->last_end);
    return pl;
}

/* and_or: pipeline ((&& | ||) newlines pipeline)… */
static sh_node *parse_and_or(parser *P, unsigned stop)
{
    sh_node *first = parse_pipeline(P, stop);
    const token *t = sh_peek(P);
    if (t->kind != TK_AND && t->kind != TK_OR) return first;
    sh_node *ao = node_new(P, SH_N_ANDOR, first->text.ptr), *tail = NULL;
    add_kid(ao, &tail, first);
    while ((t = sh_peek(P))->kind == TK_AND || t->kind == TK_OR) {
        uint8_t op = t->kind == TK_AND ? SH_OP_AND : SH_OP_OR;
        sh_next(P);
        skip_newlines(P);
        if (!can_start(sh_peek(P))) { mark_error(P, ao); break; }
        sh_node *k = parse_pipeline(P, stop);
        k->op = op;
        add_kid(ao, &tail, k);
    }
    node_end(P, ao, P->last_end);
    return ao;
}

/* list: and_or ((; | & | newline) and_or)… up to EOF or a closer in `stop`. */
static sh_node *parse_list(parser *P, unsigned stop)
{
    sh_node *list = node_new(P, SH_N_LIST, sh_peek(P)->start), *tail = NULL;
    bool need_sep = false;
    for (;;) {
        const token *t = sh_peek(P);
        if (t->kind == TK_NEWLINE) { sh_next(P); need_sep = false; continue; }
        if (t->kind == TK_EOF || (closer_bit(t) & stop)) break;
        if ((t->kind == TK_SEMI || t->kind == TK_AMP) && tail && !tail->sep && tail->kind == SH_N_OPAQUE) {
            tail->sep = t->kind == TK_SEMI ? ';' : '&';
            sh_next(P);
            need_sep = false;
            continue;
        }
        sh_node *item = (!need_sep && can_start(t)) ? parse_and_or(P, stop) : parse_opaque(P, stop);
        if (!tail) list->text.ptr = item->text.ptr;
        add_kid(list, &tail, item);
        t = sh_peek(P);
        need_sep = false;
        if (t->kind == TK_SEMI || t->kind == TK_AMP) { item->sep = t->kind == TK_SEMI ? ';' : '&'; sh_next(P); }
        else if (t->kind == TK_NEWLINE) { item->sep = '\n'; sh_next(P); }
        else need_sep = item->kind != SH_N_OPAQUE; /* garbage already ran to a separator */
    }
    node_end(P, list, tail ? P->last_end : list->text.ptr);
    return list;
}

/* ---- entry points ---------------------------------------------------- */

sh_script *sh_parse_cmdsub(parser *P, const char *body_start)
{
    if (P->depth >= SH_MAX_DEPTH) return NULL;
    lexer *lx = P->lx;
    bool cond = lx->cond;
    const char *saved_end = P->last_end;
    sh_script *outer = P->script;
    lx->cond = false;
    lx->p = body_start;
    lx->peeked = false;
    P->depth++;
    sh_script *sc = sh_script_new(P, SH_SRC_CMDSUB, dw_str_make(body_start, 0), lx->map);
    P->script = sc;
    sc->root = parse_list(P, STOP_RPAREN);
    const token *t = sh_peek(P);
    sc->text.len = (size_t)(t->start - body_start);
    if (t->kind == TK_RPAREN) sh_next(P); else mark_error(P, sc->root);
    lx->peeked = false; /* the caller is in the middle of reading a word */
    P->depth--;
    P->script = outer;
    lx->cond = cond;
    P->last_end = saved_end;
    return sc;
}

sh_script *sh_parse_nested(parser *P, dw_str text, const sh_map *map, sh_src_kind kind)
{
    if (P->depth >= SH_MAX_DEPTH) return NULL;
    lexer sub, *outer_lx = P->lx;
    sh_script *outer = P->script;
    const char *saved_end = P->last_end;
    sh_lex_init(&sub, text, map);
    P->lx = &sub;
    P->depth++;
    sh_script *sc = sh_script_new(P, kind, text, map);
    P->script = sc;
    sc->root = parse_list(P, 0);
    sh_lex_free(&sub);
    P->depth--;
    P->lx = outer_lx;
    P->script = outer;
    P->last_end = saved_end;
    return sc;
}

sh_script *sh_parse(dw_arena *a, dw_str text, const sh_map *map, const sh_parse_opts *opts)
{
    static const sh_parse_opts none;
    if (!opts) opts = &none;
    parser P;
    memset(&P, 0, sizeof P);
    P.a = a;
    P.depth = opts->depth;
    lexer lx;
    sh_lex_init(&lx, text, map);
    lx.ext = opts->heredocs;
    lx.n_ext = opts->nheredocs;
    P.lx = &lx;
    sh_script *sc = sh_script_new(&P, opts->kind, dw_str_make(lx.s, text.len), map);
    sc->parent = opts->parent;
    sc->owner = opts->owner;
    P.script = sc;
    P.last_end = lx.s;
    sc->root = parse_list(&P, 0);
    sh_lex_free(&lx);
    DW_SVEC_FREE(P.words);
    DW_SVEC_FREE(P.redirs);
    DW_SVEC_FREE(P.parts);
    DW_SVEC_FREE(P.segs);
    DW_SVEC_FREE(P.closers);
    dw_buf_free(&P.val);
    return sc;
}
