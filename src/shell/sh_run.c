/* sh_run.c — the scripts of a RUN instruction, as BuildKit hands them to
 * the shell:
 *  - shell form: the joined line (continuations removed; spans map back
 *    through dw_instr_file_offset), with the instruction's heredoc bodies
 *    bound to its `<<` operators (BuildKit appends them to the line);
 *  - `RUN <<EOF` alone: the body is the script, unless it starts with a #!
 *    naming another language (BuildKit then runs the file itself);
 *  - exec form: one command with the array as argv, no shell (a shell in
 *    it, ["sh","-c","…"], has its string parsed like any sh -c);
 *  - under a SHELL that is not POSIX (pwsh, powershell, cmd) the shell
 *    form is not parsed at all, and the run says so. */
#include "sh_cmd.h"

static dw_str basename_of(dw_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.ptr[i - 1] == '/' || s.ptr[i - 1] == '\\') return dw_str_make(s.ptr + i, s.len - i);
    return s;
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* BuildKit runs a lone heredoc word (`<<EOF`, `<<-"EOF"`) as a file. */
static bool only_heredoc(dw_str t)
{
    t = dw_str_trim_space(t);
    size_t i = 0;
    while (i < t.len && t.ptr[i] >= '0' && t.ptr[i] <= '9') i++;
    if (i + 2 > t.len || t.ptr[i] != '<' || t.ptr[i + 1] != '<') return false;
    i += 2;
    if (i < t.len && t.ptr[i] == '-') i++;
    if (i >= t.len) return false;
    for (; i < t.len; i++)
        if (is_blank(t.ptr[i]) || t.ptr[i] == '<') return false;
    return true;
}

/* The program of a #! line: its basename, or the program `env` runs. */
static dw_str shebang_program(dw_str body)
{
    if (body.len < 2 || body.ptr[0] != '#' || body.ptr[1] != '!') return dw_str_make(NULL, 0);
    size_t i = 2, n = body.len;
    dw_str words[3];
    int nw = 0;
    while (nw < 3 && i < n && body.ptr[i] != '\n') {
        while (i < n && (body.ptr[i] == ' ' || body.ptr[i] == '\t')) i++;
        size_t s = i;
        while (i < n && !is_blank(body.ptr[i])) i++;
        if (i > s) words[nw++] = dw_str_make(body.ptr + s, i - s);
    }
    if (!nw) return dw_str_make(NULL, 0);
    dw_str prog = basename_of(words[0]);
    if (dw_str_eqc(prog, "env")) {
        for (int k = 1; k < nw; k++)
            if (words[k].len && words[k].ptr[0] != '-') return basename_of(words[k]);
        return dw_str_make(NULL, 0);
    }
    return prog;
}

/* An exec-form RUN: one simple command whose words are the array's strings
 * (quoted, so never reserved words, never expanded). */
static sh_script *exec_script(dw_arena *a, const dw_instr *in)
{
    sh_script *sc = DW_NEW(a, sh_script, 1);
    sc->kind = SH_SRC_EXEC;
    sc->text = in->args_text;
    sc->map = sh_map_instr(a, in);
    sh_node *root = DW_NEW(a, sh_node, 1);
    root->kind = SH_N_LIST;
    root->text = in->args_text;
    root->span = in->args_span;
    root->script = sc;
    sc->root = root;
    if (!in->nargs) return sc;
    sh_node *cmd = DW_NEW(a, sh_node, 1);
    *cmd = *root;
    cmd->kind = SH_N_SIMPLE;
    cmd->parent = root;
    root->kids = cmd;
    root->nkids = 1;
    sh_word *w = DW_NEW(a, sh_word, in->nargs);
    sh_part *parts = DW_NEW(a, sh_part, in->nargs);
    for (uint32_t i = 0; i < in->nargs; i++) {
        w[i].raw = w[i].value = in->args[i].text;
        w[i].span = in->args[i].span;
        w[i].flags = SH_W_QUOTED;
        parts[i].kind = SH_P_DQUOTE;
        parts[i].in_dquote = true;
        parts[i].raw = in->args[i].text;
        parts[i].vlen = (uint32_t)in->args[i].text.len;
        w[i].parts = &parts[i];
        w[i].nparts = 1;
    }
    cmd->words = w;
    cmd->nwords = in->nargs;
    return sc;
}

sh_run *sh_run_parse(dw_arena *a, const dw_dockerfile *df, const dw_instr *in, const dw_instr *shell)
{
    sh_run *run = DW_NEW(a, sh_run, 1);
    run->top = in;
    const dw_instr *t = in && in->kind == DW_I_ONBUILD ? in->sub : in;
    run->shell = shell;
    run->shell_name = dw_str_c("sh");
    if (shell && shell->nargs) {
        dw_str n = basename_of(shell->args[0].text);
        run->shell_name = dw_str_lower(a, n);
        if (run->shell_name.len > 4 && dw_str_eqc(dw_str_sub(run->shell_name, run->shell_name.len - 4, run->shell_name.len), ".exe"))
            run->shell_name.len -= 4;
    }
    if (!t || t->kind != DW_I_RUN) {
        run->skip = SH_SKIP_NOT_RUN;
        return run;
    }
    run->instr = t;
    sh_script *sc = NULL;
    if (t->json) {
        sc = exec_script(a, t);
    } else if (sh_prog_is_non_posix_shell(run->shell_name)) {
        run->skip = SH_SKIP_NON_POSIX;
        return run;
    } else if (t->nargs) {
        dw_str text = t->args[0].text;
        sh_parse_opts po;
        memset(&po, 0, sizeof po);
        if (t->nheredocs == 1 && only_heredoc(text)) {
            const dw_heredoc *h = &t->heredocs[0];
            dw_str prog = shebang_program(h->content);
            if (prog.len && !sh_prog_is_shell(prog)) {
                run->skip = SH_SKIP_NOT_SHELL;
                run->interpreter = prog;
                return run;
            }
            po.kind = SH_SRC_HEREDOC;
            sc = sh_parse(a, h->content, sh_map_file(a, h->content.ptr, (uint32_t)h->content.len, h->body_span.start), &po);
        } else {
            po.kind = SH_SRC_TEXT;
            po.heredocs = t->heredocs;
            po.nheredocs = t->nheredocs;
            sc = sh_parse(a, text, sh_map_instr(a, t), &po);
        }
    }
    if (sc) {
        run->scripts = DW_NEW(a, sh_script *, 1);
        run->scripts[0] = sc;
        run->nscripts = 1;
    }
    sh_run_build(a, run, df ? df->src : NULL, df ? df->len : 0);
    return run;
}

sh_run **sh_runs_parse(dw_arena *a, const dw_dockerfile *df)
{
    sh_run **runs = DW_NEW(a, sh_run *, df->ninstrs ? df->ninstrs : 1);
    /* the SHELL in effect at the end of each stage, for stages built on it */
    const dw_instr **stage_shell = DW_NEW(a, const dw_instr *, df->nstages ? df->nstages : 1);
    int stage = -2;
    const dw_instr *cur = NULL;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        if (in->stage != stage) {
            stage = in->stage;
            cur = NULL;
            if (stage >= 0 && (uint32_t)stage < df->nstages) {
                const dw_stage *s = &df->stages[stage];
                if (s->base_kind == DW_BASE_STAGE && s->base_stage >= 0 && s->base_stage < stage)
                    cur = stage_shell[s->base_stage];
            }
        }
        if (in->kind == DW_I_SHELL && in->json && in->nargs && !in->error) cur = in;
        if (stage >= 0 && (uint32_t)stage < df->nstages) stage_shell[stage] = cur;
        const dw_instr *t = in->kind == DW_I_ONBUILD ? in->sub : in;
        if (t && t->kind == DW_I_RUN) runs[i] = sh_run_parse(a, df, in, cur);
    }
    return runs;
}
