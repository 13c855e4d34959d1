/* df_practices.c — section C rules about how dependencies get into the
 * image and how the app is started: copy-before-deps, npm-ci-suggested,
 * cmd-via-package-manager and syntax-directive. The cache-mount rules are
 * in df_practices_cache.c, the layer rules in df_practices_layers.c, the
 * shared helpers in df_practices_common.c. */
#include "df_practices.h"

#include "context_index.h"
#include "hl_util.h"
#include "sh_misc.h"

#include <jansson.h>

/* ---- copy-before-deps ---- */

/* Folders that hold a project's code rather than its manifests. */
static const char *const source_dirs[] = {"src", "app", "lib", "cmd", "pkg", "internal", "source", "server",
                                          "client", "frontend", "backend", "web", "api", NULL};

/* The source of a COPY/ADD that brings in the whole project: the context
 * (`.`, `./`, `*`, `/`) or a source folder (`src/`, `./app`). NULL when
 * it copies named files, reads another stage or image, or a URL. */
static const dw_word *whole_source(dw_lint *ctx, const dw_instr *in)
{
    if (!prac_is_copy(in) || prac_copy_from(in)) return NULL;
    for (uint32_t k = 0; k + 1 < in->nargs; k++) {
        dw_str c = prac_copy_source(ctx, &in->args[k]);
        if (!c.len) continue;
        if (prac_whole_context(c)) return &in->args[k];
        dw_str base = ms_basename(c);
        for (const char *const *d = source_dirs; *d; d++)
            if (dw_str_eqc(base, *d)) return &in->args[k];
    }
    return NULL;
}

/* The files to copy before the install, as text: the requirements files
 * pip is given, else the manager's manifests found in the build context,
 * else its usual ones. */
static const char *manifests_to_copy(dw_lint *ctx, prac_pm pm, const sh_cmd *c)
{
    const char *names[8];
    uint32_t n = 0;
    if (pm == PM_PIP || pm == PM_UV) {
        for (uint32_t i = 0; i < c->nflags && n < 8; i++) {
            const sh_flag *f = &c->flags[i];
            bool req = dw_str_eqc(f->name, "r") || dw_str_eqc(f->name, "requirement") || dw_str_eqc(f->name, "c") ||
                       dw_str_eqc(f->name, "constraint");
            if (req && f->has_value && f->value.len && !dw_str_chr(f->value, '$'))
                names[n++] = dw_str_cstr(ctx->a, f->value);
        }
    }
    const prac_pm_info *info = prac_pm_get(pm);
    if (!n)
        for (const char *const *k = info->manifests; *k && n < 8; k++)
            if (!strchr(*k, '*') && dw_lint_context_has(ctx, *k)) names[n++] = *k;
    for (uint32_t i = 0; !n && i < info->usual; i++) names[n++] = info->manifests[i];
    /* the Maven and Gradle wrappers need their own files to run */
    dw_str tool = ms_basename(c->argv[0].value);
    if (dw_str_eqc(tool, "mvnw") && n < 7) {
        names[n++] = "mvnw";
        names[n++] = ".mvn/";
    } else if (dw_str_eqc(tool, "gradlew") && n < 7) {
        names[n++] = "gradlew";
        names[n++] = "gradle/";
    }
    const char *out = names[0];
    for (uint32_t i = 1; i < n; i++) out = dw_arena_printf(ctx->a, "%s%s%s", out, i + 1 == n ? " and " : ", ", names[i]);
    return out;
}

/* The command to run before the source is there: the install itself, or,
 * where it also builds or installs the project, the one that installs only
 * the dependencies, with the tool named as the Dockerfile runs it
 * (./mvnw, ./gradlew). */
static const char *deps_only(dw_lint *ctx, prac_pm pm, const sh_cmd *install, const char *what)
{
    dw_str tool = install->argv[0].value;
    switch (pm) {
    case PM_MAVEN: return dw_arena_printf(ctx->a, "%.*s dependency:go-offline", (int)tool.len, tool.ptr);
    case PM_GRADLE: return dw_arena_printf(ctx->a, "%.*s dependencies", (int)tool.len, tool.ptr);
    case PM_CARGO: return sh_cmd_subcommand_is(install, "fetch") ? what : "cargo fetch";
    case PM_UV: return sh_cmd_subcommand_is(install, "sync") ? "uv sync --no-install-project" : what;
    case PM_POETRY: return "poetry install --no-root";
    default: return what;
    }
}

void check_copy_before_deps(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    /* per stage: the managers whose dependencies it (or a stage it is built
     * FROM) installed, one bit each; stages come after their bases */
    uint32_t *installed = DW_NEW(ctx->a, uint32_t, df->nstages + 1);
    for (uint32_t s = 0; s < df->nstages; s++) {
        const dw_stage *st = &df->stages[s];
        int base = pkg_base_stage(ctx, (int)s);
        uint32_t inherited = base >= 0 && (uint32_t)base < s ? installed[base] : 0;
        installed[s] = inherited;
        const dw_instr *copy = NULL;
        const dw_word *src = NULL;
        const sh_cmd *install = NULL;
        prac_pm pm = PM_NONE;
        for (uint32_t i = st->first; i < st->first + st->count; i++) {
            const dw_instr *in = &df->instrs[i];
            if (!copy && !install && (src = whole_source(ctx, in))) {
                copy = in;
                continue;
            }
            const sh_run *r = in->kind == DW_I_RUN ? pkg_run(runs, i) : NULL;
            for (uint32_t k = 0; r && k < r->ncmds; k++) {
                prac_pm p = prac_dep_install(&r->cmds[k], false);
                if (p == PM_NONE) continue;
                installed[s] |= 1u << p;
                if (!install) {
                    install = &r->cmds[k];
                    pm = p;
                }
            }
        }
        /* only the stage's first install matters: a later one (the project
         * itself, after its dependencies) may well need the sources; and
         * none when a stage this one is built FROM already fetched that
         * manager's dependencies (the deps stage of a multi-stage build:
         * `mvn dependency:go-offline`, then `mvn package` here). The
         * JavaScript managers are the exception: a base stage often holds
         * only the production dependencies, and `npm ci` starts over */
        bool js = pm == PM_NPM || pm == PM_YARN || pm == PM_PNPM;
        if (!install || !copy || (!js && (inherited & (1u << pm)))) continue;
        const char *what = prac_cmd_label(ctx, install);
        dw_diag *d = dw_report(ctx, copy, src->span,
                               "`%s %.*s` copies the source before the dependencies are installed (`%s`, line %u): "
                               "every source change reinstalls them",
                               copy->kind == DW_I_ADD ? "ADD" : "COPY", (int)src->text.len, src->text.ptr, what,
                               dw_linemap_line(&df->lines, install->argv[0].span.start));
        if (pm == PM_PIP && !sh_cmd_has_any_flag(install, "-r", "--requirement", NULL))
            /* `pip install .` needs the source: the dependencies go in alone first */
            dw_diag_help(ctx, d, "install the dependencies alone first (copy a requirements.txt exported from %s and "
                                 "run `pip install -r requirements.txt`), then copy the source and run `pip install "
                                 "--no-deps .`", manifests_to_copy(ctx, pm, install));
        else
            dw_diag_help(ctx, d, "copy %s first, run `%s`, then copy the rest of the source",
                         manifests_to_copy(ctx, pm, install), deps_only(ctx, pm, install, what));
        if (d) dw_diag_related(ctx, d, pkg_cmd_span(install, install->sub), "the dependencies are installed here");
    }
}

/* ---- npm-ci-suggested ---- */

static bool is_npm_lock(dw_str base)
{
    return dw_str_eqc(base, "package-lock.json") || dw_str_eqc(base, "npm-shrinkwrap.json");
}

/* A COPY/ADD that puts the lock file in the image: named, or through
 * `package*.json` or the whole context when the context has one. */
static bool copies_lock(dw_lint *ctx, const dw_instr *in, bool context_lock)
{
    if (!prac_is_copy(in)) return false;
    for (uint32_t k = 0; k + 1 < in->nargs; k++) {
        dw_str c = prac_copy_source(ctx, &in->args[k]);
        dw_str base = ms_basename(c);
        if (is_npm_lock(base)) return true;
        if (!context_lock || prac_copy_from(in)) continue;
        if (prac_whole_context(c) || dw_str_eqc(base, "package*.json") || dw_str_eqc(base, "*.json")) return true;
    }
    return false;
}

/* Replaces word w of command c by `text`, for a shell word whose bytes are
 * exactly the file's, or the inside of an exec-form JSON string. */
static void replace_word(dw_lint *ctx, dw_diag *d, const sh_cmd *c, const sh_word *w, const char *text)
{
    if (!d || c->run->nerrors) return;
    const dw_dockerfile *df = ctx->df;
    dw_span sp = w->span;
    if (sp.end > df->len || sp.end <= sp.start) return;
    if (c->ctx & SH_CTX_EXEC) {
        const char *at = df->src + sp.start;
        size_t n = sp.end - sp.start;
        if (n != w->value.len + 2 || at[0] != '"' || memcmp(at + 1, w->value.ptr, w->value.len) != 0) return;
        sp.start++;
        sp.end--;
    } else if (!pkg_can_fix(c) || !pkg_word_exact(ctx, w)) {
        return;
    }
    dw_diag_edit(ctx, d, sp, text, strlen(text));
}

void check_npm_ci_suggested(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    sh_run **runs = dw_lint_runs(ctx);
    bool context_lock = dw_lint_context_has(ctx, "package-lock.json") || dw_lint_context_has(ctx, "npm-shrinkwrap.json");
    /* per stage: a lock file was copied in (by it or a stage it is built FROM) */
    bool *copied = DW_NEW(ctx->a, bool, df->nstages + 1);
    int stage = -2;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        int slot = in->stage >= 0 ? in->stage : (int)df->nstages;
        if (in->stage != stage) {
            stage = in->stage;
            int base = pkg_base_stage(ctx, stage);
            copied[slot] = base >= 0 && copied[base];
        }
        if (copies_lock(ctx, in, context_lock)) copied[slot] = true;
        const sh_run *r = in->kind == DW_I_RUN ? pkg_run(runs, i) : NULL;
        if (!r || !(context_lock || copied[slot])) continue;
        for (uint32_t k = 0; k < r->ncmds; k++) {
            const sh_cmd *c = &r->cmds[k];
            if (prac_dep_install(c, false) != PM_NPM || sh_cmd_subcommand_is(c, "ci")) continue;
            /* the author opted out of the lock file */
            if (sh_cmd_has_any_flag(c, "--no-package-lock", "--no-shrinkwrap", NULL) ||
                sh_cmd_has_arg(c, "--package-lock=false"))
                continue;
            dw_diag *d = dw_report(ctx, in, pkg_cmd_span(c, c->sub),
                                   "`%s` while a package-lock.json exists: the installed versions may differ from "
                                   "the locked ones",
                                   prac_cmd_label(ctx, c));
            if (copied[slot]) {
                dw_diag_help(ctx, d, "use `npm ci`: it installs exactly the locked versions into a clean "
                                     "node_modules and fails when package.json and the lock disagree");
                replace_word(ctx, d, c, c->sub, "ci");
            } else {
                dw_diag_help(ctx, d, "copy package-lock.json into the image with package.json, then use `npm ci`");
            }
        }
    }
}

/* ---- cmd-via-package-manager ---- */

/* One word of a CMD/ENTRYPOINT: its value and span. */
typedef struct { dw_str v; dw_span span; } cmd_tok;

/* The words of a CMD/ENTRYPOINT as the container runs them: the exec-form
 * array, or the shell-form line split at blanks (quotes dropped), without
 * a leading `exec` or NAME=value words. Returns how many (at most max). */
static uint32_t cmd_tokens(const dw_instr *in, cmd_tok *out, uint32_t max)
{
    uint32_t n = 0;
    if (in->json) {
        for (uint32_t k = 0; k < in->nargs && n < max; k++) out[n++] = (cmd_tok){in->args[k].text, in->args[k].span};
    } else if (in->nargs) {
        const dw_word *w = &in->args[0];
        dw_str s = w->text;
        size_t i = 0;
        while (i < s.len && n < max) {
            while (i < s.len && (s.ptr[i] == ' ' || s.ptr[i] == '\t')) i++;
            size_t b = i;
            while (i < s.len && s.ptr[i] != ' ' && s.ptr[i] != '\t') i++;
            if (i == b) break;
            dw_str t = hl_unquote(dw_str_make(s.ptr + b, i - b));
            out[n++] = (cmd_tok){t, hl_word_span(in, w, b, i - b)};
        }
    }
    uint32_t skip = 0;
    while (skip < n && (dw_str_eqc(out[skip].v, "exec") || (dw_str_chr(out[skip].v, '=') && out[skip].v.ptr[0] != '-')))
        skip++;
    for (uint32_t k = skip; k < n; k++) out[k - skip] = out[k];
    return n - skip;
}

/* The sub-commands of yarn and pnpm that are their own work, not a script
 * of package.json (`yarn dev` runs the script `dev`). */
static bool js_own_command(dw_str s)
{
    static const char *const own[] = {"install", "add", "remove", "upgrade", "init", "cache", "config", "info",
                                      "why", "global", "set", "plugin", "version", "help", "import", "link", "i",
                                      "fetch", "store", "dlx", "exec", "node", NULL};
    for (const char *const *o = own; *o; o++)
        if (dw_str_eqc(s, *o)) return true;
    return s.len && s.ptr[0] == '-';
}

/* Index of the token after which the app runs through a package manager
 * (`npm start`: 1), or 0 when it does not. */
static uint32_t via_package_manager(const cmd_tok *t, uint32_t n)
{
    if (n < 2) return 0;
    dw_str prog = ms_basename(t[0].v), sub = t[1].v;
    /* `run X`: the span and the message go on to the script or program */
    uint32_t run = (dw_str_eqc(sub, "run") || dw_str_eqc(sub, "run-script")) && n > 2 ? 2 : 1;
    if (dw_str_eqc(prog, "npm"))
        return dw_str_eqc(sub, "start") || dw_str_eqc(sub, "run") || dw_str_eqc(sub, "run-script") ||
                       dw_str_eqc(sub, "test") || dw_str_eqc(sub, "restart")
                   ? run
                   : 0;
    if (dw_str_eqc(prog, "yarn") || dw_str_eqc(prog, "pnpm")) return js_own_command(sub) ? 0 : run;
    if (dw_str_eqc(prog, "pipenv") || dw_str_eqc(prog, "poetry")) return dw_str_eqc(sub, "run") ? run : 0;
    return 0;
}

/* The package.json script `name` in the build context, when it is one
 * plain command (no shell operators, no variables, no assignments): what
 * the container should run instead. NULL when it cannot be read or is
 * not that simple. */
static const char *script_command(dw_lint *ctx, dw_str name)
{
    const char *dir = dw_lint_context_dir(ctx);
    if (!dir || !dw_lint_context_index(ctx)->known) return NULL;
    json_error_t je;
    json_t *pkg = json_load_file(dw_arena_printf(ctx->a, "%s/package.json", dir), 0, &je);
    if (!pkg) return NULL;
    const char *key = dw_arena_printf(ctx->a, "%.*s", (int)name.len, name.ptr);
    const char *text = json_string_value(json_object_get(json_object_get(pkg, "scripts"), key));
    const char *out = NULL;
    if (text && *text && !strpbrk(text, "&|;<>$`'\"\\=(){}*?\n")) out = dw_arena_printf(ctx->a, "%s", text);
    json_decref(pkg);
    return out;
}

/* `CMD ["node", "dist/main.js"]` for the words of `cmd`. */
static const char *exec_form(dw_lint *ctx, const char *kw, const char *cmd)
{
    dw_buf b = {0};
    dw_buf_printf(&b, "%s [", kw);
    bool first = true;
    for (const char *p = cmd; *p;) {
        while (*p == ' ' || *p == '\t') p++;
        const char *e = p;
        while (*e && *e != ' ' && *e != '\t') e++;
        if (e > p) dw_buf_printf(&b, "%s\"%.*s\"", first ? "" : ", ", (int)(e - p), p);
        first = first && e == p;
        p = e;
    }
    dw_buf_putc(&b, ']');
    const char *out = dw_arena_printf(ctx->a, "%.*s", (int)b.n, b.p);
    dw_buf_free(&b);
    return out;
}

/* Reports at words t[0..span_last] of `in` the command t[0..n-1], which
 * runs through a package manager: t[last] is the script (npm run X) or
 * the program (poetry run X) it starts. */
static void report_via_pm(dw_lint *ctx, const dw_instr *in, const cmd_tok *t, uint32_t n, uint32_t last,
                          uint32_t span_last)
{
    dw_span sp = t[0].span;
    if (t[span_last].span.end > sp.start && t[span_last].span.start >= sp.start) sp.end = t[span_last].span.end;
    dw_str prog = ms_basename(t[0].v);
    const char *what = dw_arena_printf(ctx->a, "%.*s", (int)t[0].v.len, t[0].v.ptr);
    for (uint32_t k = 1; k <= last; k++)
        what = dw_arena_printf(ctx->a, "%s %.*s", what, (int)t[k].v.len, t[k].v.ptr);
    const char *kw = in->kind == DW_I_CMD ? "CMD" : "ENTRYPOINT";
    dw_diag *d = dw_report(ctx, in, sp,
                           "%s starts the app through `%s`: the package manager stays between the container and the "
                           "app, which may not receive its stop signal",
                           kw, what);
    if (!d) return;
    if (dw_str_eqc(prog, "pipenv") || dw_str_eqc(prog, "poetry")) {
        /* what follows `run` is the program itself */
        const char *rest = "";
        for (uint32_t k = last; k < n; k++)
            rest = dw_arena_printf(ctx->a, "%s%s%.*s", rest, *rest ? " " : "", (int)t[k].v.len, t[k].v.ptr);
        if (*rest)
            dw_diag_help(ctx, d, "put the virtualenv's bin folder on PATH (ENV PATH=<venv>/bin:$PATH, or install into "
                                 "the system) and run the program itself: %s", exec_form(ctx, kw, rest));
        else
            dw_diag_help(ctx, d, "put the virtualenv's bin folder on PATH (or install into the system) and run the "
                                 "program itself: CMD [\"gunicorn\", \"app:app\"]");
        return;
    }
    /* npm start runs the "start" script (else `node server.js`); npm run X,
     * yarn X, pnpm X run script X */
    dw_str script = t[last].v;
    const char *cmd = script_command(ctx, script);
    if (cmd && !strncmp(cmd, "node ", 5))
        dw_diag_help(ctx, d, "run what the script runs, in exec form: %s", exec_form(ctx, kw, cmd));
    else if (cmd)
        dw_diag_help(ctx, d, "run what the script runs (`%s`) directly, in exec form: %s", cmd,
                     exec_form(ctx, kw, dw_arena_printf(ctx->a, "node_modules/.bin/%s", cmd)));
    else
        dw_diag_help(ctx, d, "run what the `%.*s` script of package.json runs, in exec form: CMD [\"node\", "
                             "\"server.js\"]", (int)script.len, script.ptr);
}

void check_cmd_via_package_manager(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    if (ctx->final_stage < 0 || (uint32_t)ctx->final_stage >= df->nstages) return;
    /* the stages the final one is built FROM, root first: their CMD and
     * ENTRYPOINT are inherited */
    uint32_t nchain = 0;
    int *chain = DW_NEW(ctx->a, int, df->nstages);
    for (int s = ctx->final_stage; s >= 0 && nchain < df->nstages; s = pkg_base_stage(ctx, s)) chain[nchain++] = s;
    const dw_instr *cmd = NULL, *ep = NULL;
    for (uint32_t k = nchain; k-- > 0;) {
        const dw_stage *st = &df->stages[chain[k]];
        bool cmd_set = false;
        for (uint32_t i = st->first; i < st->first + st->count; i++) {
            const dw_instr *in = &df->instrs[i];
            if (in->kind == DW_I_CMD) {
                cmd = in;
                cmd_set = true;
            } else if (in->kind == DW_I_ENTRYPOINT) {
                /* an ENTRYPOINT clears the CMD inherited from the base */
                ep = in;
                if (!cmd_set) cmd = NULL;
            }
        }
    }
    cmd_tok et[8], ct[8], both[16];
    memset(et, 0, sizeof et);
    memset(ct, 0, sizeof ct);
    uint32_t ne = ep ? cmd_tokens(ep, et, 8) : 0, nc = cmd ? cmd_tokens(cmd, ct, 8) : 0, last;
    /* an exec-form ENTRYPOINT runs with the CMD as its arguments:
     * ENTRYPOINT ["npm", "run"] with CMD ["start"] runs `npm run start` */
    if (ne && nc && ep->json && cmd->json) {
        uint32_t nb = 0;
        for (uint32_t k = 0; k < ne && nb < 16; k++) both[nb++] = et[k];
        for (uint32_t k = 0; k < nc && nb < 16; k++) both[nb++] = ct[k];
        if ((last = via_package_manager(both, nb))) {
            report_via_pm(ctx, ep, both, nb, last, last < ne ? last : ne - 1);
            return;
        }
    }
    if ((last = via_package_manager(et, ne))) {
        report_via_pm(ctx, ep, et, ne, last, last);
        return;
    }
    /* a shell-form ENTRYPOINT ignores CMD; an exec-form one (tini, a
     * docker-entrypoint.sh that execs "$@") runs it */
    if (ep && !ep->json) return;
    if ((last = via_package_manager(ct, nc))) report_via_pm(ctx, cmd, ct, nc, last, last);
}

/* ---- syntax-directive ---- */

/* The flags only BuildKit knows, and the Dockerfile frontend that made
 * them stable when that is recent (older builders bundle older ones).
 * --chmod is left out: every BuildKit frontend since 1.2 has it, and
 * only the legacy builder lacks it, which `# syntax=` does not fix. */
typedef struct { dw_instr_kind kind; const char *flag; const char *since; } bk_flag;
static const bk_flag bk_flags[] = {
    {DW_I_RUN, "mount", NULL},       {DW_I_RUN, "network", NULL},     {DW_I_RUN, "security", "1.20"},
    {DW_I_COPY, "link", NULL},       {DW_I_COPY, "parents", "1.20"},  {DW_I_COPY, "exclude", "1.19"},
    {DW_I_ADD, "link", NULL},        {DW_I_ADD, "exclude", "1.19"},   {DW_I_ADD, "checksum", NULL},
    {DW_I_ADD, "keep-git-dir", NULL},
};

void check_syntax_directive(dw_lint *ctx)
{
    const dw_dockerfile *df = ctx->df;
    for (uint32_t i = 0; i < df->ndirectives; i++)
        if (dw_str_eqc(df->directives[i].name, "syntax")) return;
    const dw_instr *in = NULL;
    const bk_flag *hit = NULL;
    dw_span at = {0, 0};
    /* ONBUILD triggers run in the builds FROM this image, whose files need
     * the directive, not this one */
    for (uint32_t i = 0; i < df->ninstrs && !in; i++) {
        const dw_instr *x = &df->instrs[i];
        for (uint32_t f = 0; f < x->nflags && !in; f++)
            for (size_t k = 0; k < sizeof bk_flags / sizeof bk_flags[0]; k++)
                if (bk_flags[k].kind == x->kind && dw_str_eqc(x->flags[f].name, bk_flags[k].flag)) {
                    in = x;
                    hit = &bk_flags[k];
                    at = x->flags[f].span;
                    break;
                }
        if (!in && x->nheredocs && (x->kind == DW_I_RUN || x->kind == DW_I_COPY || x->kind == DW_I_ADD)) {
            in = x;
            at = x->heredocs[0].word_span;
        }
    }
    if (!in) return;
    const char *kw = in->kind == DW_I_RUN ? "RUN" : in->kind == DW_I_COPY ? "COPY" : "ADD";
    dw_diag *d = hit ? dw_report(ctx, in, at,
                                 "`%s --%s` is BuildKit syntax, but no `# syntax=` directive says which Dockerfile "
                                 "frontend reads the file",
                                 kw, hit->flag)
                     : dw_report(ctx, in, at,
                                 "a heredoc in %s is BuildKit syntax, but no `# syntax=` directive says which "
                                 "Dockerfile frontend reads the file",
                                 kw);
    if (!d) return;
    if (hit && hit->since)
        dw_diag_help(ctx, d, "`--%s` needs Dockerfile frontend %s or newer, and the one built into the builder may be "
                             "older: add `# syntax=docker/dockerfile:1` as the first line",
                     hit->flag, hit->since);
    else
        dw_diag_help(ctx, d, "add `# syntax=docker/dockerfile:1` as the first line: the build then uses the current "
                             "1.x frontend whatever the builder bundles, and the legacy builder fails clearly");
    uint32_t off = df->bom ? 3 : 0;
    const char *nl = memchr(df->src, '\n', df->len);
    bool crlf = nl && nl > df->src && nl[-1] == '\r';
    const char *text = crlf ? "# syntax=docker/dockerfile:1\r\n" : "# syntax=docker/dockerfile:1\n";
    dw_span ins = {off, off};
    dw_diag_edit(ctx, d, ins, text, strlen(text));
}
