/* image_tools.c — whether the final image has a program (curl, wget, ...):
 * the base image's facts (image_facts.def) and the walk over the RUN, COPY
 * and ADD instructions of the chain of stages that adds or removes it. See
 * image_facts.h. */
#include "image_facts.h"

#include "hl_util.h"
#include "sh_pkg.h"

/* ---- programs in the final image ---- */

/* A package name as written (`curl=7.88*`, `curl:amd64`, `curl~8`,
 * `curl-7.76.1`) names `tool`; curl-minimal is curl on RHEL-like systems. */
static bool package_is(dw_str pkg, const char *tool)
{
    size_t n = 0;
    while (n < pkg.len && !strchr("=:/<>~", pkg.ptr[n])) n++;
    dw_str name = dw_str_make(pkg.ptr, n);
    size_t tl = strlen(tool);
    if (dw_str_eqc(name, tool)) return true;
    if (!strcmp(tool, "curl") && dw_str_eqc(name, "curl-minimal")) return true;
    return name.len > tl + 1 && !memcmp(name.ptr, tool, tl) && name.ptr[tl] == '-' && name.ptr[tl + 1] >= '0' &&
           name.ptr[tl + 1] <= '9';
}

/* The last path component of `p` is `tool`. */
static bool path_is(dw_str p, const char *tool)
{
    size_t i = p.len;
    while (i > 0 && p.ptr[i - 1] != '/') i--;
    return dw_str_eqc(dw_str_sub(p, i, p.len), tool);
}

typedef enum { PKG_NONE, PKG_INSTALL, PKG_REMOVE } pkg_op;

/* What a package-manager command does. */
static pkg_op package_op(const sh_cmd *c)
{
    if (!c->sub) return PKG_NONE;
    if (sh_cmd_is_any(c, "apt-get", "apt", "aptitude", NULL)) {
        if (sh_cmd_has_any_flag(c, "-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act", NULL))
            return PKG_NONE;
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "purge")) return PKG_REMOVE;
    } else if (sh_cmd_is(c, "apk")) {
        if (sh_cmd_subcommand_is(c, "add")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "del")) return PKG_REMOVE;
    } else if (sh_cmd_is_any(c, "yum", "dnf", "microdnf", "tdnf", NULL)) {
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "erase")) return PKG_REMOVE;
    } else if (sh_cmd_is(c, "zypper")) {
        if (sh_cmd_subcommand_is(c, "install") || sh_cmd_subcommand_is(c, "in")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "rm")) return PKG_REMOVE;
    } else if (sh_cmd_is_any(c, "conda", "mamba", "micromamba", NULL)) {
        if (sh_cmd_subcommand_is(c, "install")) return PKG_INSTALL;
        if (sh_cmd_subcommand_is(c, "remove") || sh_cmd_subcommand_is(c, "uninstall")) return PKG_REMOVE;
    }
    return PKG_NONE;
}

/* A command whose effect cannot be seen and may install anything: a
 * script or a program given by path, `source`, `eval`, `sh FILE`. */
static bool runs_unseen(const sh_cmd *c)
{
    const sh_word *p = &c->argv[0];
    if (p->flags & SH_W_EXPANDS) return true;
    if (dw_str_chr(p->value, '/') && !sh_prog_find(c->name)) return true;
    if (c->name.len > 3 && !memcmp(c->name.ptr + c->name.len - 3, ".sh", 3)) return true;
    if (sh_cmd_is_any(c, "source", ".", "eval", NULL)) return true;
    return sh_prog_is_shell(c->name) && (c->shell_mode == SH_SHELL_FILE || (c->shell_mode == SH_SHELL_STDIN && !c->runs));
}

/* The command puts a file named `tool` in place: a download to that name
 * (curl -o, wget -O) or a copy, move, link or install of it. */
static bool places_file(const sh_cmd *c, const char *tool)
{
    if (sh_cmd_is(c, "curl") || sh_cmd_is(c, "wget")) {
        for (uint32_t i = 0; i < c->nflags; i++) {
            const sh_flag *f = &c->flags[i];
            bool out = sh_cmd_is(c, "curl") ? dw_str_eqc(f->name, "o") || dw_str_eqc(f->name, "output")
                                            : dw_str_eqc(f->name, "O") || dw_str_eqc(f->name, "output-document");
            if (out && f->has_value && path_is(f->value, tool)) return true;
        }
        return false;
    }
    if (!sh_cmd_is_any(c, "cp", "mv", "install", "ln", NULL)) return false;
    for (uint32_t i = 0; i < c->npos; i++)
        if (!(c->pos[i]->flags & SH_W_EXPANDS) && path_is(c->pos[i]->value, tool)) return true;
    return false;
}

/* The build runs `tool` itself, unconditionally: it must be there (a
 * missing program fails the build). Not in an if, a function, a case or a
 * background job, not on either side of ||. */
static bool runs_for_sure(const sh_cmd *c, const char *tool)
{
    const uint32_t maybe = SH_CTX_IF | SH_CTX_CONDITION | SH_CTX_FUNCTION | SH_CTX_CASE | SH_CTX_ASYNC |
                           SH_CTX_NEGATED | SH_CTX_BROKEN;
    return sh_cmd_is(c, tool) && !(c->ctx & maybe) && c->op_before != SH_OP_OR && c->op_after != SH_OP_OR;
}

typedef struct {
    img_fact has;
    const dw_instr *removed;
    dw_str virtual_name; /* apk --virtual group that brought it in */
    bool apt_auto;       /* `apt-mark auto` ran: an autoremove may take any package */
    bool kept;           /* survives an autoremove: a file put in place, or a program seen running after one */
    bool applet;         /* a BusyBox applet of the base (Alpine's wget): removing the package brings it back */
} tool_walk;

/* It is there now: installed as a package, or as a file. */
static void tool_added(tool_walk *t, bool kept)
{
    t->has = IMG_Y;
    t->removed = NULL;
    t->kept = kept;
    t->virtual_name = dw_str_make("", 0);
}

static void walk_cmd(tool_walk *t, const sh_cmd *c, const dw_instr *in, const char *tool)
{
    pkg_op op = package_op(c);
    if (op == PKG_INSTALL) {
        bool hit = false, opaque = c->npos < 2; /* no package named: xargs or a file list */
        for (uint32_t p = 1; p < c->npos; p++) {
            if (pkg_word_opaque(c->pos[p])) opaque = true;
            else if (package_is(c->pos[p]->value, tool)) hit = true;
        }
        if (hit) {
            tool_added(t, false);
            const sh_flag *v = sh_cmd_is(c, "apk") ? sh_cmd_flag(c, "--virtual") : NULL;
            if (!v && sh_cmd_is(c, "apk")) v = sh_cmd_flag(c, "-t");
            t->virtual_name = v && v->has_value ? v->value : dw_str_make("", 0);
        } else if (opaque && t->has != IMG_Y) {
            t->has = IMG_U;
        }
        return;
    }
    if (op == PKG_REMOVE) {
        for (uint32_t p = 1; p < c->npos; p++) {
            dw_str v = c->pos[p]->value;
            if (package_is(v, tool) || (t->virtual_name.len && dw_str_eq(v, t->virtual_name))) {
                t->has = t->applet ? IMG_Y : IMG_N;
                t->removed = t->applet ? NULL : in;
            }
        }
        if (sh_cmd_has_flag(c, "--auto-remove") && t->apt_auto && t->has == IMG_Y && !t->kept) t->has = IMG_U;
        return;
    }
    if (sh_cmd_is(c, "apt-mark") && sh_cmd_subcommand_is(c, "auto")) {
        t->apt_auto = true;
        return;
    }
    if (sh_cmd_is_any(c, "apt-get", "apt", NULL) && sh_cmd_subcommand_is(c, "autoremove")) {
        if (t->apt_auto && t->has == IMG_Y && !t->kept) t->has = IMG_U;
        return;
    }
    if (places_file(c, tool)) tool_added(t, true);
    else if (t->has != IMG_Y && runs_for_sure(c, tool)) tool_added(t, true); /* and an autoremove spared it */
    else if (t->has != IMG_Y && runs_unseen(c)) {
        t->has = IMG_U;
    }
}

/* COPY/ADD of a file named `tool` (a source or the destination). */
static bool copies_file(const dw_instr *in, const char *tool)
{
    if ((in->kind != DW_I_COPY && in->kind != DW_I_ADD) || in->error) return false;
    for (uint32_t k = 0; k < in->nargs; k++)
        if (path_is(in->json ? in->args[k].text : hl_unquote(in->args[k].text), tool)) return true;
    return false;
}

img_tool_state img_final_tool(dw_arena *a, const dw_dockerfile *df, sh_run **runs, img_vars *v, int final_stage,
                              const char *tool)
{
    img_tool_state r = {IMG_U, IMG_U, IMG_KIND_OTHER, NULL, NULL};
    int *chain;
    uint32_t n = img_chain(a, df, final_stage, &chain);
    if (!n) return r;
    const dw_stage *root = &df->stages[chain[n - 1]];
    if (root->base_kind == DW_BASE_SCRATCH) {
        r.base_has = IMG_N;
        r.kind = IMG_KIND_SCRATCH;
        r.root = root;
    } else if (img_stage_image_known(v, root)) {
        r.base_has = img_base_has(&root->image, tool);
        r.kind = img_kind_of(&root->image); /* valid: img_stage_image_known */
        r.root = root;
    }
    tool_walk t = {r.base_has, NULL, {0}, false, false, false};
    t.applet = r.kind == IMG_KIND_APK && r.base_has == IMG_Y && !strcmp(tool, "wget");
    for (uint32_t k = n; k-- > 0;) {
        const dw_stage *st = &df->stages[chain[k]];
        for (uint32_t i = st->first + 1; i < st->first + st->count && i < df->ninstrs; i++) {
            const dw_instr *in = &df->instrs[i];
            if (copies_file(in, tool)) {
                tool_added(&t, true);
                continue;
            }
            if (in->kind != DW_I_RUN || !runs || !runs[i]) continue;
            const sh_run *run = pkg_run(runs, i);
            if (!run) { /* PowerShell, or a script in another language */
                if (t.has != IMG_Y) t.has = IMG_U;
                continue;
            }
            for (uint32_t c = 0; c < run->ncmds; c++) walk_cmd(&t, &run->cmds[c], in, tool);
        }
    }
    r.has = t.has;
    r.removed = t.has == IMG_N ? t.removed : NULL;
    return r;
}

bool dw_final_image_has_tool(const dw_dockerfile *df, int final_stage, const char *tool, bool *known)
{
    /* the parse results go into the file's arena, like every other view of it */
    dw_arena *a = (dw_arena *)&df->arena;
    sh_run **runs = sh_runs_parse(a, df);
    img_vars *v = img_vars_new(a, df, NULL);
    img_tool_state s = img_final_tool(a, df, runs, v, final_stage, tool);
    if (known) *known = s.has != IMG_U;
    return s.has == IMG_Y;
}
