/* sh_query.c — one-line questions rules ask of a command or a run. */
#include "sh_cmd.h"

#include <stdarg.h>

bool sh_cmd_is(const sh_cmd *c, const char *name) { return c && dw_str_eqc(c->name, name); }

bool sh_cmd_is_any(const sh_cmd *c, ...)
{
    va_list ap;
    va_start(ap, c);
    bool found = false;
    for (const char *n; !found && (n = va_arg(ap, const char *)) != NULL;) found = sh_cmd_is(c, n);
    va_end(ap);
    return found;
}

bool sh_cmd_subcommand_is(const sh_cmd *c, const char *sub) { return c && c->sub && sh_word_is(c->sub, sub); }

const sh_flag *sh_cmd_flag(const sh_cmd *c, const char *flag)
{
    if (!c || !flag) return NULL;
    /* "-y": short only; "--yes": long only; "yes": either, as hadolint */
    int want = 0;
    if (flag[0] == '-' && flag[1] == '-') { want = 2; flag += 2; }
    else if (flag[0] == '-') { want = 1; flag += 1; }
    dw_str f = dw_str_c(flag);
    for (uint32_t i = 0; i < c->nflags; i++) {
        const sh_flag *x = &c->flags[i];
        if ((want == 1 && x->is_long) || (want == 2 && !x->is_long)) continue;
        if (dw_str_eq(x->name, f)) return x;
    }
    return NULL;
}

bool sh_cmd_has_flag(const sh_cmd *c, const char *flag) { return sh_cmd_flag(c, flag) != NULL; }

bool sh_cmd_has_any_flag(const sh_cmd *c, ...)
{
    va_list ap;
    va_start(ap, c);
    bool found = false;
    for (const char *f; !found && (f = va_arg(ap, const char *)) != NULL;) found = sh_cmd_has_flag(c, f);
    va_end(ap);
    return found;
}

bool sh_cmd_has_arg(const sh_cmd *c, const char *arg)
{
    if (!c) return false;
    for (uint32_t i = 1; i < c->argc; i++)
        if (sh_word_is(&c->argv[i], arg)) return true;
    return false;
}

const sh_word *const *sh_cmd_positionals(const sh_cmd *c, uint32_t *n)
{
    *n = c ? c->npos : 0;
    return c ? c->pos : NULL;
}

const sh_word *sh_cmd_assign(const sh_cmd *c, const char *name)
{
    if (!c) return NULL;
    const sh_word *found = NULL;
    for (uint32_t i = 0; i < c->nassigns; i++) {
        dw_str n;
        if (sh_word_assignment(&c->assigns[i], &n, NULL) && dw_str_eqc(n, name)) found = &c->assigns[i];
    }
    return found; /* the last one wins, as in the shell */
}

const sh_cmd *sh_run_next(const sh_run *r, const sh_cmd *after, const char *name)
{
    if (!r) return NULL;
    uint32_t i = after ? after->index + 1 : 0;
    for (; i < r->ncmds; i++)
        if (!name || sh_cmd_is(&r->cmds[i], name)) return &r->cmds[i];
    return NULL;
}
