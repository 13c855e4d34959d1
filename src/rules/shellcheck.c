/* shellcheck.c — the optional ShellCheck pass (--shellcheck, config
 * `shellcheck: true`): the `shellcheck` rule, off by default so that a
 * default run spawns no process.
 *
 * Once per Dockerfile, every shell-form RUN script (ONBUILD RUN included) is
 * written to a file of its own in a private temporary folder, and ONE
 * `shellcheck --format=json1` process checks them all: one file per script
 * keeps each script's dialect, variables and syntax errors to itself (an
 * unterminated quote in one RUN cannot swallow the next, a variable set in
 * one RUN does not count as set in another), which one concatenated script
 * could not. Each file is
 *
 *     #!/bin/<dialect>                    line 1: the stage's SHELL (or the body's #!)
 *     export HTTP_PROXY=1 ... NAME=1      line 2: the ARG/ENV names in scope
 *     <the script as the shell gets it>   from line 3
 *
 * as hadolint builds it (Shellcheck.hs), so SC2154 "referenced but not
 * assigned" stays quiet for declared names while a misspelt one is still
 * reported. Every script byte keeps the Dockerfile offset it came from
 * (through the shell parser's position maps: continuations, heredoc bodies),
 * so ShellCheck's line:column lands on the exact Dockerfile byte. Findings in
 * the two preamble lines are about our text, not the user's, and dropped.
 *
 * Nothing from the Dockerfile reaches a command line: the argv is the binary,
 * fixed options and our own file names. The child gets no shell, stdin from
 * /dev/null, a timeout (DW_SHELLCHECK_TIMEOUT seconds, default 60), and is
 * always reaped. A missing binary is not an error: the rule is skipped and
 * stderr says so once per run. */
#include "rule.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../shell/sh_cmd.h"

extern char **environ;

/* hadolint's exclusions: SC1090/SC1091 (cannot follow `source`: no directive
 * can be written inside a RUN) and SC2187 (ash is checked as dash). */
#define SC_EXCLUDE "--exclude=SC1090,SC1091,SC2187"
/* ShellCheck's JSON for a pathological file is bounded by the file; this
 * only stops a runaway child from eating memory. */
#define SC_MAX_OUTPUT (64u << 20)

/* ---- finding the binary (once per process) ---- */

static char sc_path[PATH_MAX];
static bool sc_found;
static pthread_once_t sc_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t sc_note_lock = PTHREAD_MUTEX_INITIALIZER;
static bool sc_noted_missing;

static void find_shellcheck(void)
{
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *p = path;; p++) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        /* an empty PATH entry is the working folder, as execvp reads it */
        int w = n ? snprintf(sc_path, sizeof sc_path, "%.*s/shellcheck", (int)n, p)
                  : snprintf(sc_path, sizeof sc_path, "./shellcheck");
        struct stat st;
        if (w > 0 && (size_t)w < sizeof sc_path && stat(sc_path, &st) == 0 && S_ISREG(st.st_mode) &&
            access(sc_path, X_OK) == 0) {
            sc_found = true;
            return;
        }
        if (!e) break;
        p = e;
    }
}

static const char *shellcheck_binary(void)
{
    pthread_once(&sc_once, find_shellcheck);
    if (sc_found) return sc_path;
    pthread_mutex_lock(&sc_note_lock);
    if (!sc_noted_missing) {
        sc_noted_missing = true;
        fprintf(stderr, "dockwright: note: shellcheck is not installed (not found in PATH); "
                        "the shellcheck rule was skipped\n");
    }
    pthread_mutex_unlock(&sc_note_lock);
    return NULL;
}

/* ---- dialects and scopes ---- */

static dw_str base_name(dw_str s)
{
    for (size_t i = s.len; i > 0; i--)
        if (s.ptr[i - 1] == '/' || s.ptr[i - 1] == '\\') return dw_str_make(s.ptr + i, s.len - i);
    return s;
}

/* The ShellCheck dialect of a shell program ("bash" for /bin/bash), or NULL
 * for what ShellCheck cannot check (pwsh, cmd, zsh, fish, python, ...):
 * those RUNs are skipped rather than reported as SC1071. */
static const char *dialect_of(dw_str prog)
{
    dw_str n = base_name(prog);
    if (n.len > 4 && dw_str_ieqc(dw_str_sub(n, n.len - 4, n.len), ".exe")) n.len -= 4;
    static const char *const same[] = {"sh", "bash", "dash", "ksh", "ash"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        if (dw_str_ieqc(n, same[i])) return same[i];
    static const char *const kshs[] = {"mksh", "pdksh", "ksh93", "oksh", "lksh"};
    for (size_t i = 0; i < sizeof kshs / sizeof *kshs; i++)
        if (dw_str_ieqc(n, kshs[i])) return "ksh";
    if (dw_str_ieqc(n, "busybox")) return "ash"; /* busybox sh is an ash */
    return NULL;
}

/* The dialect a SHELL instruction selects ("" when none: not POSIX). */
static const char *shell_instr_dialect(const dw_instr *in)
{
    dw_str prog = in->args[0].text;
    /* SHELL ["/usr/bin/env", "bash", "-c"] runs bash */
    if (dw_str_eqc(base_name(prog), "env") && in->nargs > 1) prog = in->args[1].text;
    const char *d = dialect_of(prog);
    return d ? d : "";
}

/* `# hadolint shell=NAME` (blanks around `=`, a trailing `# note`):
 * hadolint's way to name the shell; returns the dialect ("" = not POSIX),
 * or NULL when the comment is not that pragma. */
static const char *shell_pragma(dw_str c)
{
    if (!dw_str_has_prefix(c, "hadolint") || c.len < 9 || (c.ptr[8] != ' ' && c.ptr[8] != '\t')) return NULL;
    dw_str b = dw_str_trim_left_space(dw_str_sub(c, 8, c.len));
    if (!dw_str_has_prefix(b, "shell")) return NULL;
    b = dw_str_trim_left_space(dw_str_sub(b, 5, b.len));
    if (!b.len || b.ptr[0] != '=') return NULL;
    b = dw_str_trim_left_space(dw_str_sub(b, 1, b.len));
    size_t n = 0;
    while (n < b.len && b.ptr[n] != ' ' && b.ptr[n] != '\t' && b.ptr[n] != '#') n++;
    if (!n) return NULL;
    const char *d = dialect_of(dw_str_make(b.ptr, n));
    return d ? d : "";
}

/* What a RUN sees: the dialect and the declared variable names. ARG names
 * stay in their stage; ENV names also reach stages built FROM it and the
 * builds that run its ONBUILD triggers (the image keeps its Env). */
typedef DW_VEC(dw_str) name_vec;
typedef struct {
    const char *dialect;
    name_vec args;
    name_vec envs;
} scope;

/* Only shell names: `export a-b=1` would be a syntax error in our preamble,
 * and a syntax error stops ShellCheck's other checks. */
static void add_name(dw_arena *a, name_vec *v, dw_str name)
{
    if (sh_is_name(name)) DW_VEC_PUSH(a, *v, name);
}

/* ---- scripts ---- */

typedef enum { PC_SYNTH, PC_MAP } piece_kind;

/* Bytes [at, at+len) of a script file: ours (SYNTH), or text that `map`
 * locates in the Dockerfile. */
typedef struct {
    uint32_t at, len;
    piece_kind kind;
    const sh_map *map;
    const char *src;
} piece;

typedef struct {
    const dw_instr *top;  /* the instruction findings belong to (ONBUILD for a trigger) */
    dw_buf text;
    piece *pieces;
    uint32_t npieces, cap;
    uint32_t body_at;     /* where the user's text starts (after the preamble) */
    uint32_t *lines;      /* offset of each line's first byte */
    uint32_t nlines;
} script;

static void put(script *s, piece_kind kind, const char *p, size_t n, const sh_map *map)
{
    if (s->npieces == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->pieces = dw_xrealloc(s->pieces, sizeof *s->pieces * s->cap);
    }
    piece *pc = &s->pieces[s->npieces++];
    pc->at = (uint32_t)s->text.n;
    pc->len = (uint32_t)n;
    pc->kind = kind;
    pc->map = map;
    pc->src = p;
    dw_buf_put(&s->text, p, n);
}

/* Puts Dockerfile text, without the CR of CRLF line ends: BuildKit reads
 * heredoc bodies line by line (Go's ScanLines drops the CR), so the shell
 * never sees one and neither should ShellCheck (SC1017). */
static void put_text(script *s, const char *p, size_t n, const sh_map *map)
{
    size_t st = 0;
    for (size_t i = 0; i + 1 < n; i++)
        if (p[i] == '\r' && p[i + 1] == '\n') {
            put(s, PC_MAP, p + st, i - st, map);
            st = i + 1;
        }
    put(s, PC_MAP, p + st, n - st, map);
}

/* The program of a `#!` first line (what `env` runs), or an empty string. */
static dw_str shebang(dw_str body)
{
    if (body.len < 2 || body.ptr[0] != '#' || body.ptr[1] != '!') return dw_str_make(NULL, 0);
    size_t i = 2, end = 2;
    while (end < body.len && body.ptr[end] != '\n') end++;
    dw_str words[3];
    int nw = 0;
    while (nw < 3 && i < end) {
        while (i < end && (body.ptr[i] == ' ' || body.ptr[i] == '\t' || body.ptr[i] == '\r')) i++;
        size_t st = i;
        while (i < end && body.ptr[i] != ' ' && body.ptr[i] != '\t' && body.ptr[i] != '\r') i++;
        if (i > st) words[nw++] = dw_str_make(body.ptr + st, i - st);
    }
    if (!nw) return dw_str_make(NULL, 0);
    if (dw_str_eqc(base_name(words[0]), "env")) {
        for (int k = 1; k < nw; k++)
            if (words[k].ptr[0] != '-') return words[k];
        return dw_str_make(NULL, 0);
    }
    return words[0];
}

static const char *const proxy_vars[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
                                         "FTP_PROXY",  "ftp_proxy",  "NO_PROXY",    "no_proxy"};

/* Builds the file ShellCheck reads for one RUN, or returns false when the
 * RUN is not a shell script ShellCheck can check. */
static bool build_script(const sh_map *whole, const sh_run *run, const scope *sc, script *out)
{
    memset(out, 0, sizeof *out);
    const dw_instr *t = run->instr;
    if (run->skip != SH_SKIP_NONE || !t || t->json || t->error || !run->nscripts || !sc->dialect[0]) return false;
    const sh_script *s = run->scripts[0];
    if (s->kind != SH_SRC_TEXT && s->kind != SH_SRC_HEREDOC) return false;
    const char *dialect = sc->dialect;
    if (s->kind == SH_SRC_HEREDOC) {
        /* `RUN <<EOF` whose body starts with #!/bin/bash is run by bash */
        dw_str prog = shebang(s->text);
        if (prog.len) {
            dialect = dialect_of(prog);
            if (!dialect) return false;
        }
    }
    out->top = run->top;
    dw_buf pre = {0};
    dw_buf_printf(&pre, "#!/bin/%s\nexport", dialect);
    for (size_t i = 0; i < sizeof proxy_vars / sizeof *proxy_vars; i++) dw_buf_printf(&pre, " %s=1", proxy_vars[i]);
    /* an ONBUILD trigger runs in another build: the ARGs are not there */
    if (run->top->kind != DW_I_ONBUILD)
        for (uint32_t i = 0; i < sc->args.n; i++)
            dw_buf_printf(&pre, " %.*s=1", (int)sc->args.v[i].len, sc->args.v[i].ptr);
    for (uint32_t i = 0; i < sc->envs.n; i++)
        dw_buf_printf(&pre, " %.*s=1", (int)sc->envs.v[i].len, sc->envs.v[i].ptr);
    dw_buf_putc(&pre, '\n');
    put(out, PC_SYNTH, pre.p, pre.n, NULL);
    dw_buf_free(&pre);
    out->body_at = (uint32_t)out->text.n;
    put_text(out, s->text.ptr, s->text.len, s->map);
    if (s->kind == SH_SRC_TEXT) {
        /* BuildKit hands the shell the line, then each heredoc's body and
         * terminator: `cmd <<EOF` + "\n" + body + "EOF" */
        for (uint32_t i = 0; i < t->nheredocs; i++) {
            const dw_heredoc *h = &t->heredocs[i];
            put(out, PC_SYNTH, "\n", 1, NULL);
            put_text(out, whole->base + h->body_span.start, h->body_span.end - h->body_span.start, whole);
            if (h->end_span.end <= h->end_span.start) continue; /* unterminated: ShellCheck says so */
            /* the delimiter where the terminator line has it (after the tabs
             * of <<-, without a CR) */
            dw_str line = dw_str_make(whole->base + h->end_span.start, h->end_span.end - h->end_span.start);
            const char *at = NULL;
            for (size_t k = 0; h->name.len && k + h->name.len <= line.len && !at; k++)
                if (!memcmp(line.ptr + k, h->name.ptr, h->name.len)) at = line.ptr + k;
            if (at) put(out, PC_MAP, at, h->name.len, whole);
            else put(out, PC_SYNTH, h->name.ptr, h->name.len, NULL);
        }
    }
    put(out, PC_SYNTH, "\n", 1, NULL);
    /* the line table, for ShellCheck's line:column */
    uint32_t nl = 1;
    for (size_t i = 0; i < out->text.n; i++) nl += out->text.p[i] == '\n';
    out->lines = dw_xmalloc(sizeof *out->lines * nl);
    out->lines[0] = 0;
    out->nlines = 1;
    for (size_t i = 0; i < out->text.n; i++)
        if (out->text.p[i] == '\n') out->lines[out->nlines++] = (uint32_t)i + 1;
    return true;
}

static void script_free(script *s)
{
    dw_buf_free(&s->text);
    free(s->pieces);
    free(s->lines);
}

/* The buffer index of ShellCheck's 1-based line:column (columns count
 * characters, a tab as one, an invalid UTF-8 byte as one). */
static uint32_t index_of(const script *s, long line, long col)
{
    if (line < 1) return 0;
    if ((unsigned long)line > s->nlines) return (uint32_t)s->text.n;
    size_t i = s->lines[line - 1];
    for (long c = 1; c < col && i < s->text.n && s->text.p[i] != '\n'; c++) {
        int w = 1;
        dw_utf8_decode(s->text.p + i, s->text.n - i, &w);
        i += w > 0 ? (size_t)w : 1;
    }
    return (uint32_t)i;
}

/* The Dockerfile offset of buffer index `idx`; false when it lies in the
 * preamble. Our separators (and the end) map to the end of the user's text
 * before them, where a "missing terminator" belongs. */
static bool file_offset(const script *s, uint32_t idx, uint32_t *off)
{
    if (idx < s->body_at) return false;
    bool have = false;
    for (uint32_t i = 0; i < s->npieces; i++) {
        const piece *p = &s->pieces[i];
        if (p->kind != PC_MAP) continue;
        if (idx < p->at) break;
        if (idx < p->at + p->len) {
            *off = sh_map_offset(p->map, p->src + (idx - p->at));
            return true;
        }
        *off = sh_map_offset(p->map, p->src + p->len);
        have = true;
    }
    return have;
}

/* ---- running ShellCheck ---- */

static double timeout_seconds(void)
{
    const char *t = getenv("DW_SHELLCHECK_TIMEOUT");
    char *end;
    double v = t ? strtod(t, &end) : 0;
    return t && end != t && v > 0 ? v : 60.0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Pipes are created and the child spawned under one lock, and every pipe
 * end is close-on-exec before the lock is released: another thread's child
 * can then never inherit our write end (which would hold our EOF back). */
static pthread_mutex_t spawn_lock = PTHREAD_MUTEX_INITIALIZER;

static bool cloexec_pipe(int fd[2])
{
    if (pipe(fd) < 0) return false;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    return true;
}

typedef struct {
    dw_buf out, err;
    int status;     /* exit status, -1 when killed or not run */
    bool timed_out;
    const char *why; /* set when it could not run */
} child_result;

/* Runs argv (argv[0] an absolute path) with stdin from /dev/null, collects
 * stdout and stderr until both close or the timeout passes (then the child
 * is killed), and reaps it. */
static void run_child(char *const argv[], child_result *r)
{
    memset(r, 0, sizeof *r);
    r->status = -1;
    /* SHELLCHECK_OPTS could change the output format we parse */
    size_t nenv = 0;
    while (environ && environ[nenv]) nenv++;
    char **env = dw_xmalloc(sizeof *env * (nenv + 1));
    size_t k = 0;
    for (size_t i = 0; i < nenv; i++)
        if (strncmp(environ[i], "SHELLCHECK_OPTS=", 16) != 0) env[k++] = environ[i];
    env[k] = NULL;

    int out[2] = {-1, -1}, err[2] = {-1, -1};
    pid_t pid = -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    pthread_mutex_lock(&spawn_lock);
    bool piped = cloexec_pipe(out) && cloexec_pipe(err);
    int rc = -1;
    if (piped) {
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, env);
    }
    pthread_mutex_unlock(&spawn_lock);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    if (out[1] >= 0) close(out[1]);
    if (err[1] >= 0) close(err[1]);
    if (!piped || rc != 0) {
        r->why = !piped ? strerror(errno) : strerror(rc);
        if (out[0] >= 0) close(out[0]);
        if (err[0] >= 0) close(err[0]);
        return;
    }

    double deadline = now() + timeout_seconds();
    struct pollfd pf[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    dw_buf *bufs[2] = {&r->out, &r->err};
    int open_fds = 2;
    char chunk[65536];
    while (open_fds) {
        double left = deadline - now();
        if (left <= 0) { r->timed_out = true; break; }
        int n = poll(pf, 2, left > 1e6 ? 1000000000 : (int)(left * 1000) + 1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(pf[i].fd, chunk, sizeof chunk);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                close(pf[i].fd);
                pf[i].fd = -1;
                open_fds--;
                continue;
            }
            if (bufs[i]->n + (size_t)got <= SC_MAX_OUTPUT) dw_buf_put(bufs[i], chunk, (size_t)got);
        }
    }
    if (r->timed_out || open_fds) kill(pid, SIGKILL);
    for (int i = 0; i < 2; i++)
        if (pf[i].fd >= 0) close(pf[i].fd);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    if (!r->timed_out && WIFEXITED(st)) r->status = WEXITSTATUS(st);
}

static dw_severity level_of(const char *l)
{
    if (!l) return DW_SEV_WARNING;
    if (!strcmp(l, "error")) return DW_SEV_ERROR;
    if (!strcmp(l, "info")) return DW_SEV_INFO;
    if (!strcmp(l, "style")) return DW_SEV_STYLE;
    return DW_SEV_WARNING;
}

/* ShellCheck's message in our style: lower-case start (unless it starts
 * with a name such as POSIX or a variable), no final period. */
static char *our_message(dw_arena *a, const char *m)
{
    size_t n = strlen(m);
    while (n && (m[n - 1] == '.' || m[n - 1] == ' ')) n--;
    char *s = dw_arena_memdup(a, m, n);
    if (n > 1 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'a' && s[1] <= 'z') s[0] = (char)(s[0] - 'A' + 'a');
    return s;
}

static void report_findings(dw_lint *ctx, script *scripts, uint32_t n, const char *dir, json_t *root)
{
    size_t dirlen = strlen(dir);
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(root, "comments"), i, c) {
        const char *file = json_string_value(json_object_get(c, "file"));
        const char *msg = json_string_value(json_object_get(c, "message"));
        json_int_t code = json_integer_value(json_object_get(c, "code"));
        if (!file || !msg || code <= 0 || code > 9999 || strncmp(file, dir, dirlen) || file[dirlen] != '/') continue;
        char *end;
        unsigned long k = strtoul(file + dirlen + 1, &end, 10);
        if (strcmp(end, ".sh") != 0 || k >= n) continue;
        script *s = &scripts[k];
        uint32_t from = index_of(s, (long)json_integer_value(json_object_get(c, "line")),
                                 (long)json_integer_value(json_object_get(c, "column")));
        uint32_t to = index_of(s, (long)json_integer_value(json_object_get(c, "endLine")),
                               (long)json_integer_value(json_object_get(c, "endColumn")));
        dw_span sp;
        if (!file_offset(s, from, &sp.start)) continue; /* about our preamble */
        sp.end = sp.start;
        uint32_t last;
        if (to > from && file_offset(s, to - 1, &last) && last + 1 > sp.start) sp.end = last + 1;
        if (sp.end > ctx->df->len) sp.end = ctx->df->len;
        if (sp.start > sp.end) sp.start = sp.end;
        dw_diag *d = dw_report_code(ctx, s->top, sp, (uint32_t)code,
                                    level_of(json_string_value(json_object_get(c, "level"))), "%s",
                                    our_message(ctx->a, msg));
        dw_diag_help(ctx, d, "ShellCheck SC%04d: https://www.shellcheck.net/wiki/SC%04d", (int)code, (int)code);
    }
}

/* Writes the scripts as <dir>/<i>.sh, runs ShellCheck once on all of them
 * and reports what it finds. */
static void check_scripts(dw_lint *ctx, const char *bin, script *scripts, uint32_t n)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp) tmp = "/tmp";
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/dockwright-sc-XXXXXX", tmp) >= (int)sizeof dir || !mkdtemp(dir)) {
        fprintf(stderr, "dockwright: %s: shellcheck skipped: cannot create a temporary folder in %s: %s\n",
                ctx->df->path, tmp, strerror(errno));
        return;
    }
    size_t dirlen = strlen(dir);
    char **argv = dw_xmalloc(sizeof *argv * (n + 6));
    char *names = dw_xmalloc((dirlen + 16) * (n ? n : 1));
    uint32_t ac = 0, written = 0;
    argv[ac++] = (char *)bin;
    argv[ac++] = "--format=json1";
    argv[ac++] = "--norc"; /* no .shellcheckrc: the same findings on every machine */
    argv[ac++] = SC_EXCLUDE;
    argv[ac++] = "--";
    bool ok = true;
    for (uint32_t i = 0; i < n && ok; i++) {
        char *name = names + (dirlen + 16) * i;
        snprintf(name, dirlen + 16, "%s/%u.sh", dir, i);
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) { ok = false; break; }
        written++;
        ok = dw_write_all(fd, scripts[i].text.p, scripts[i].text.n);
        ok = close(fd) == 0 && ok;
        argv[ac++] = name;
    }
    argv[ac] = NULL;
    if (!ok) {
        fprintf(stderr, "dockwright: %s: shellcheck skipped: cannot write to %s: %s\n", ctx->df->path, dir,
                strerror(errno));
    } else {
        child_result r;
        run_child(argv, &r);
        json_error_t je;
        json_t *root = r.status == 0 || r.status == 1 ? json_loadb(r.out.p ? r.out.p : "", r.out.n, 0, &je) : NULL;
        if (root) {
            report_findings(ctx, scripts, n, dir, root);
            json_decref(root);
        } else {
            /* the first line of what it said, for the user to act on */
            size_t el = 0;
            while (el < r.err.n && r.err.p[el] != '\n') el++;
            if (r.why) fprintf(stderr, "dockwright: %s: cannot run %s: %s\n", ctx->df->path, bin, r.why);
            else if (r.timed_out)
                fprintf(stderr, "dockwright: %s: shellcheck timed out after %g s and was stopped\n", ctx->df->path,
                        timeout_seconds());
            else
                fprintf(stderr, "dockwright: %s: shellcheck failed (exit %d)%s%.*s\n", ctx->df->path, r.status,
                        el ? ": " : "", (int)(el > 300 ? 300 : el), r.err.p ? r.err.p : "");
        }
        dw_buf_free(&r.out);
        dw_buf_free(&r.err);
    }
    for (uint32_t i = 0; i < written; i++) unlink(names + (dirlen + 16) * i);
    rmdir(dir);
    free(names);
    free(argv);
}

/* ---- the rule ---- */

/* Copies the ENV names of a scope (a stage built FROM another starts with
 * them; ARGs end with their stage). */
static void inherit(dw_arena *a, scope *to, const scope *from)
{
    to->dialect = from->dialect;
    for (uint32_t i = 0; i < from->envs.n; i++) DW_VEC_PUSH(a, to->envs, from->envs.v[i]);
}

void check_shellcheck(dw_lint *ctx)
{
    dw_dockerfile *df = ctx->df;
    bool any_run = false;
    for (uint32_t i = 0; i < df->ninstrs && !any_run; i++) {
        const dw_instr *in = &df->instrs[i];
        const dw_instr *t = in->kind == DW_I_ONBUILD ? in->sub : in;
        any_run = t && t->kind == DW_I_RUN && !t->json;
    }
    if (!any_run) return; /* nothing to check: no process, no notice */
    const char *bin = shellcheck_binary();
    if (!bin) return;
    sh_run **runs = dw_lint_runs(ctx);
    /* heredoc bodies and terminators are the file's own bytes */
    const sh_map *whole = sh_map_file(ctx->a, df->src, df->len, 0);

    /* one scope per stage (kept for the stages built on it), plus the one
     * before the first FROM */
    scope *stages = DW_NEW(ctx->a, scope, df->nstages + 1);
    scope pre;
    memset(&pre, 0, sizeof pre);
    const char *default_dialect = "sh"; /* `# hadolint shell=` before the first FROM */
    pre.dialect = default_dialect;
    scope *cur = &pre;
    bool seen_from = false;
    uint32_t ci = 0;
    script *scripts = NULL;
    uint32_t nscripts = 0, cap = 0;
    for (uint32_t i = 0; i < df->ninstrs; i++) {
        const dw_instr *in = &df->instrs[i];
        /* shell pragmas above this instruction */
        for (; ci < df->ncomments && df->comments[ci].span.start < in->span.start; ci++) {
            const char *d = shell_pragma(df->comments[ci].text);
            if (!d) continue;
            if (!seen_from) default_dialect = d;
            cur->dialect = d;
        }
        if (in->kind == DW_I_FROM && in->stage >= 0 && (uint32_t)in->stage < df->nstages) {
            const dw_stage *st = &df->stages[in->stage];
            cur = &stages[in->stage];
            cur->dialect = default_dialect;
            if (st->base_kind == DW_BASE_STAGE && st->base_stage >= 0 && st->base_stage < in->stage)
                inherit(ctx->a, cur, &stages[st->base_stage]);
            seen_from = true;
            continue;
        }
        if (in->error) continue;
        if (in->kind == DW_I_SHELL && in->json && in->nargs) cur->dialect = shell_instr_dialect(in);
        else if (in->kind == DW_I_ARG)
            for (uint32_t k = 0; k < in->nkvs; k++) add_name(ctx->a, &cur->args, in->kvs[k].key.text);
        else if (in->kind == DW_I_ENV)
            for (uint32_t k = 0; k < in->nkvs; k++) add_name(ctx->a, &cur->envs, in->kvs[k].key.text);
        if (!runs[i]) continue;
        if (nscripts == cap) {
            cap = cap ? cap * 2 : 8;
            scripts = dw_xrealloc(scripts, sizeof *scripts * cap);
        }
        if (build_script(whole, runs[i], cur, &scripts[nscripts])) nscripts++;
    }
    if (nscripts) check_scripts(ctx, bin, scripts, nscripts);
    for (uint32_t i = 0; i < nscripts; i++) script_free(&scripts[i]);
    free(scripts);
}
