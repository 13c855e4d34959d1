/* compose_command.c — command-shell-syntax: shell syntax in a Compose
 * `command` or `entrypoint` that no shell will ever see.
 *
 * Compose does not run a string `command` through a shell: compose-go
 * splits it into words the way go-shellwords does, and an unquoted `;`,
 * `&`, `|`, `<` or `>` ends the command there — everything after it is
 * dropped without a word. So `command: npm install && npm start` runs
 * `npm install` and nothing else. In the list form, an item that is
 * exactly such an operator (`["a", "&&", "b"]`) reaches the program as an
 * argument. Either way the container does something other than what the
 * file says; `["sh", "-c", "a && b"]` is what was meant. */
#include "compose_util.h"

#include "../compose/syntax.h"

static bool operator_word(dw_str w)
{
    static const char *const ops[] = {"&&", "||", "|", ";", "&", ">", ">>", "<", "2>&1"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (dw_str_eqc(w, ops[i])) return true;
    return false;
}

static void check_one(dw_lint *ctx, const dw_cv_pair *svc, const char *key)
{
    const dw_cv *v = dw_cv_get(svc->value, key);
    if (!v || v->interpolated) return;
    if (v->kind == DW_CV_STR) {
        size_t stop = v->s.len;
        const char *why = NULL;
        if (!dw_shell_split(v->s, NULL, NULL, &stop, &why) || stop >= v->s.len) return;
        size_t end = stop;
        while (end < v->s.len && strchr(";&|<>", v->s.ptr[end])) end++;
        dw_span at = compose_subspan(ctx, v, stop, end - stop); /* the operator inside the scalar */
        size_t kept = stop;
        while (kept > 0 && (v->s.ptr[kept - 1] == ' ' || v->s.ptr[kept - 1] == '\t')) kept--;
        dw_diag *d = dw_creport(ctx, v, &at,
                                "`%s` of service `%.*s` is not run by a shell: Compose drops everything from `%.*s` "
                                "on, so only `%.*s` runs",
                                key, (int)svc->key.len, svc->key.ptr, (int)(end - stop), v->s.ptr + stop, (int)kept,
                                v->s.ptr);
        if (!d) return;
        dw_diag_help(ctx, d, "run it through a shell: %s: [\"sh\", \"-c\", \"%.*s\"]", key, (int)v->s.len, v->s.ptr);
        return;
    }
    if (v->kind != DW_CV_SEQ) return;
    /* ["sh", "-c", "..."] passes the operators to a shell: fine */
    if (v->n >= 2 && v->items[1] && dw_str_eqc(dw_cv_text(v->items[1]), "-c")) return;
    for (uint32_t i = 0; i < v->n; i++) {
        const dw_cv *it = v->items[i];
        if (!it || it->kind != DW_CV_STR || !operator_word(it->s)) continue;
        dw_diag *d = dw_creport(ctx, it, NULL,
                                "`%.*s` in the list form of `%s` of service `%.*s` is passed to the program as an "
                                "argument: no shell reads it",
                                (int)it->s.len, it->s.ptr, key, (int)svc->key.len, svc->key.ptr);
        if (d) dw_diag_help(ctx, d, "write the whole line as [\"sh\", \"-c\", \"...\"]");
        return;
    }
}

void check_command_shell_syntax(dw_lint *ctx)
{
    for (const dw_cv_pair *s = NULL; (s = compose_next_service(ctx, s));) {
        check_one(ctx, s, "command");
        check_one(ctx, s, "entrypoint");
    }
}
