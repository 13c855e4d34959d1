/* cmd_context.c — `dockwright context [DIR] [-f Dockerfile]`: what
 * `docker build DIR` would send, as dw_context_report_build measures it in
 * one walk of the context (sizes and counts with and without the ignore
 * file, the largest top-level folders and files, the entries the ignore
 * file should add, which part each COPY/ADD source and RUN bind mount
 * uses), printed as text with bar charts, as JSON, or as the list of sent
 * paths (--list). On a terminal a progress line shows on stderr while the
 * walk lasts.
 *
 * Exit status: 0, or 2 for a usage error or a context that cannot be read. */
#include "cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


static const char context_usage[] =
    "usage: dockwright context [options] [DIR]\n"
    "\n"
    "What `docker build DIR` would send (DIR defaults to .): total size and file count with and\n"
    "without the ignore file, the largest folders and files, what the ignore file should add\n"
    "(VCS folders, dependencies, build outputs, caches, secrets, editor files found in the\n"
    "tree), and which part each COPY/ADD of the Dockerfile uses. The ignore file is the one\n"
    "BuildKit reads: <Dockerfile>.dockerignore beside the Dockerfile, else DIR/.dockerignore.\n"
    "\n"
    "options:\n"
    "  -f, --file FILE    the Dockerfile (default: DIR/Dockerfile), as in docker build -f\n"
    "  --format FMT       text (default) or json\n"
    "  --list             print every path the build sends (files, folders, symlinks),\n"
    "                     sorted bytewise, one per line, and nothing else\n"
    "  --top N            how many folders and files to list as the largest (default 10)\n"
    "  --color WHEN       always, never or auto (default)\n"
    "\n"
    "json: {\"context\",\"dockerfile\",\"ignore_file\" (null when absent),\n"
    "  \"sent\"/\"without_ignore\"/\"excluded\": {\"files\",\"dirs\",\"symlinks\",\"other\",\"bytes\"},\n"
    "  \"largest\": [{\"path\",\"type\":\"dir\"|\"file\",\"bytes\",\"files\"}],\n"
    "  \"suggestions\": [{\"pattern\",\"category\",\"reason\",\"path\",\"count\",\"files\",\"bytes\"}],\n"
    "  \"copies\": [{\"line\",\"instruction\",\"source\",\"matched\",\"bytes\",\"excluded\"}],\n"
    "  \"unused\": {\"files\",\"bytes\"} (null without a Dockerfile), \"errors\": [{\"file\",\"line\",\"column\",\"message\"}]}\n"
    "\n"
    "Exit status: 0, or 2 for a usage error or a context that cannot be read.\n";

/* ---- output helpers ---- */

static void put_human(dw_buf *b, uint64_t n)
{
    char t[24];
    dw_buf_puts(b, dw_format_size(n, t));
}

/* The same, right-aligned in 9 columns. */
static void put_size(dw_buf *b, uint64_t n)
{
    char t[24];
    dw_buf_printf(b, "%9s", dw_format_size(n, t));
}

static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The progress line on stderr (a terminal only). */
typedef struct {
    bool shown;
    struct timespec last, start;
    dw_buf line;
} progress_line;

/* At most ten times a second, and only after the first quarter second, so
 * that small contexts never flash a line. */
static void progress(uint64_t entries, uint64_t bytes, void *ud)
{
    progress_line *pl = ud;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (elapsed(&pl->start, &now) < 0.25 || elapsed(&pl->last, &now) < 0.1) return;
    pl->last = now;
    pl->line.n = 0;
    dw_buf_printf(&pl->line, "\rreading the build context: %llu entries, ", (unsigned long long)entries);
    put_human(&pl->line, bytes);
    dw_buf_puts(&pl->line, "\033[K");
    fwrite(pl->line.p, 1, pl->line.n, stderr);
    fflush(stderr);
    pl->shown = true;
}

typedef struct {
    bool color, utf8;
    dw_buf line;
} painter;

static void paint(painter *p, const char *sgr, const char *text)
{
    if (p->color) dw_buf_printf(&p->line, "\033[%sm%s\033[0m", sgr, text);
    else dw_buf_puts(&p->line, text);
}

/* A path made safe for a terminal (no control characters). */
static void put_path(dw_buf *b, const char *p)
{
    dw_out_clean(b, p, strlen(p));
}

static size_t display_width(const char *p, size_t n)
{
    return dw_utf8_count(p, n);
}

static void pad_to(dw_buf *b, size_t from, size_t width)
{
    size_t w = display_width(b->p + from, b->n - from);
    while (w++ < width) dw_buf_putc(b, ' ');
}

/* A bar of `width` cells for value/max: eighth blocks on a UTF-8 terminal,
 * '#' otherwise. */
static void put_bar(painter *p, uint64_t value, uint64_t max, int width)
{
    int eighths = max ? (int)((double)value / (double)max * width * 8 + 0.5) : 0;
    if (value && !eighths) eighths = 1;
    dw_buf bar = {0};
    int cells = 0;
    if (p->utf8) {
        static const char *const part[] = {"", "\u258f", "\u258e", "\u258d", "\u258c", "\u258b", "\u258a", "\u2589"};
        for (int i = 0; i < eighths / 8; i++) dw_buf_puts(&bar, "\u2588");
        cells = eighths / 8;
        if (eighths % 8) { dw_buf_puts(&bar, part[eighths % 8]); cells++; }
    } else {
        cells = (eighths + 4) / 8;
        if (value && !cells) cells = 1;
        for (int i = 0; i < cells; i++) dw_buf_putc(&bar, '#');
    }
    dw_buf_putc(&bar, 0);
    paint(p, "36", bar.p);
    dw_buf_free(&bar);
    for (int i = cells; i < width; i++) dw_buf_putc(&p->line, ' ');
}

static bool utf8_locale(void)
{
    const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"};
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (!v || !*v) continue;
        return strstr(v, "UTF-8") || strstr(v, "utf-8") || strstr(v, "UTF8") || strstr(v, "utf8");
    }
    return false;
}

static void flush_line(painter *p)
{
    dw_buf_putc(&p->line, '\n');
    fwrite(p->line.p, 1, p->line.n, stdout);
    p->line.n = 0;
}

static void heading(painter *p, const char *text)
{
    paint(p, "1", text);
    flush_line(p);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ---- the report ---- */

static void totals_row(painter *p, const char *label, uint64_t files, uint64_t dirs, uint64_t bytes,
                       uint64_t of_bytes)
{
    dw_buf *b = &p->line;
    dw_buf_printf(b, "  %-16s %10llu %8llu  ", label, (unsigned long long)files, (unsigned long long)dirs);
    put_size(b, bytes);
    if (of_bytes) dw_buf_printf(b, "  %3.0f%% of the bytes", 100.0 * (double)bytes / (double)of_bytes);
    flush_line(p);
}

static void print_text(const dw_context_summary *r, bool color)
{
    const dw_context_totals *st = &r->sent;
    painter p = {color, utf8_locale() && isatty(STDOUT_FILENO), {0}};
    dw_buf *b = &p.line;

    dw_buf_puts(b, "build context  ");
    put_path(b, r->context);
    flush_line(&p);
    dw_buf_puts(b, "Dockerfile     ");
    if (r->dockerfile) put_path(b, r->dockerfile);
    if (!r->have_dockerfile) dw_buf_puts(b, r->dockerfile ? " (not found)" : "none");
    flush_line(&p);
    dw_buf_puts(b, "ignore file    ");
    if (r->ignore_file) {
        put_path(b, r->ignore_file);
        dw_buf_printf(b, " (%u %s)", r->npatterns, plural(r->npatterns, "pattern", "patterns"));
    } else {
        dw_buf_puts(b, "none: everything is sent");
    }
    flush_line(&p);
    flush_line(&p);

    uint64_t all_files = r->all.files, all_dirs = r->all.dirs;
    dw_buf_printf(b, "  %-16s %10s %8s  %9s", "", "files", "folders", "size");
    flush_line(&p);
    totals_row(&p, "sent", st->files, st->dirs, st->bytes, 0);
    if (r->ignore_file) {
        totals_row(&p, "without ignore", all_files, all_dirs, r->all.bytes, 0);
        totals_row(&p, "excluded", all_files - st->files, all_dirs - st->dirs, r->all.bytes - st->bytes,
                   r->all.bytes);
    }
    if (st->symlinks || st->other) {
        dw_buf_printf(b, "  (also sent: %llu %s", (unsigned long long)st->symlinks, plural(st->symlinks, "symlink", "symlinks"));
        if (st->other) dw_buf_printf(b, ", %llu other %s", (unsigned long long)st->other, plural(st->other, "entry", "entries"));
        dw_buf_puts(b, ")");
        flush_line(&p);
    }

    /* the largest folders and files, each list with its own bar scale */
    for (int list = 0; list < 2; list++) {
        uint32_t n = list ? r->nfiles : r->ndirs;
        if (!n) continue;
        uint64_t max = list ? r->files[0].bytes : r->dirs[0].bytes;
        if (!max) continue;
        flush_line(&p);
        heading(&p, list ? "largest files sent" : "largest top-level folders sent");
        size_t width = 0;
        for (uint32_t i = 0; i < n; i++) {
            const char *path = list ? r->files[i].path : r->dirs[i].path;
            size_t w = display_width(path, strlen(path)) + (list ? 0 : 1);
            if (w > width) width = w;
        }
        if (width > 48) width = 48;
        for (uint32_t i = 0; i < n; i++) {
            uint64_t bytes = list ? r->files[i].bytes : r->dirs[i].bytes;
            if (!bytes) break;
            dw_buf_puts(b, "  ");
            size_t at = b->n;
            put_path(b, list ? r->files[i].path : r->dirs[i].path);
            if (!list) dw_buf_putc(b, '/');
            pad_to(b, at, width);
            dw_buf_puts(b, "  ");
            put_size(b, bytes);
            dw_buf_puts(b, "  ");
            put_bar(&p, bytes, max, 20);
            dw_buf_printf(b, " %3.0f%%", st->bytes ? 100.0 * (double)bytes / (double)st->bytes : 0.0);
            if (!list) dw_buf_printf(b, "  %llu %s", (unsigned long long)r->dirs[i].files, plural(r->dirs[i].files, "file", "files"));
            flush_line(&p);
        }
    }

    /* what to add to the ignore file */
    flush_line(&p);
    if (!r->nsuggestions) {
        heading(&p, "nothing to add to the ignore file: no VCS folder, dependency, build output, cache, secret or editor file is sent");
    } else {
        heading(&p, r->ignore_file ? "add to the ignore file (found in the tree and sent)"
                                   : "create a .dockerignore with (found in the tree and sent)");
        size_t width = 0;
        for (uint32_t i = 0; i < r->nsuggestions; i++) {
            const char *pat = r->suggestions[i].pattern;
            size_t w = display_width(pat, strlen(pat));
            if (w > width) width = w;
        }
        if (width > 40) width = 40;
        for (uint32_t i = 0; i < r->nsuggestions; i++) {
            const dw_context_suggestion *g = &r->suggestions[i];
            dw_buf_puts(b, "  ");
            dw_buf clean = {0};
            put_path(&clean, g->pattern);
            dw_buf_putc(&clean, 0);
            paint(&p, g->secret ? "1;31" : "33", clean.p);
            dw_buf_free(&clean);
            /* padding counts what is visible, not the colour codes */
            size_t vis = display_width(g->pattern, strlen(g->pattern));
            while (vis++ < width) dw_buf_putc(b, ' ');
            dw_buf_puts(b, "  ");
            put_size(b, g->bytes);
            dw_buf_printf(b, "  %s: ", g->reason);
            put_path(b, g->path);
            if (g->count > 1) dw_buf_printf(b, " and %llu more", (unsigned long long)(g->count - 1));
            flush_line(&p);
        }
    }

    /* what the Dockerfile uses */
    if (r->have_dockerfile) {
        flush_line(&p);
        if (!r->ncopies) {
            heading(&p, "the Dockerfile copies nothing from the build context");
        } else {
            heading(&p, "used by COPY, ADD and RUN --mount");
            /* two columns: file:line, then the instruction and its source */
            size_t lw = 0, width = 0;
            dw_buf tmp = {0};
            for (uint32_t i = 0; i < r->ncopies; i++) {
                tmp.n = 0;
                put_path(&tmp, r->dockerfile);
                dw_buf_printf(&tmp, ":%u", r->copies[i].line);
                if (display_width(tmp.p, tmp.n) > lw) lw = display_width(tmp.p, tmp.n);
                tmp.n = 0;
                dw_buf_printf(&tmp, "%s ", r->copies[i].instruction);
                put_path(&tmp, r->copies[i].source);
                if (display_width(tmp.p, tmp.n) > width) width = display_width(tmp.p, tmp.n);
            }
            dw_buf_free(&tmp);
            if (width > 48) width = 48;
            for (uint32_t i = 0; i < r->ncopies; i++) {
                const dw_context_copy *c = &r->copies[i];
                dw_buf_puts(b, "  ");
                size_t at = b->n;
                put_path(b, r->dockerfile);
                dw_buf_printf(b, ":%u", c->line);
                pad_to(b, at, lw);
                dw_buf_puts(b, "  ");
                at = b->n;
                dw_buf_printf(b, "%s ", c->instruction);
                put_path(b, c->source);
                pad_to(b, at, width);
                dw_buf_printf(b, "  %8llu %-5s ", (unsigned long long)c->files, plural(c->files, "file", "files"));
                put_size(b, c->bytes);
                if (c->failure) {
                    char why[128];
                    snprintf(why, sizeof why, "  %s", c->failure);
                    paint(&p, "31", why);
                } else if (c->matches_nothing) {
                    dw_buf_puts(b, "  matches nothing");
                }
                if (c->excluded) dw_buf_printf(b, "  (%llu excluded by the ignore file)", (unsigned long long)c->excluded);
                if (c->dropped) dw_buf_printf(b, "  (%llu left out by --exclude)", (unsigned long long)c->dropped);
                if (c->truncated) dw_buf_puts(b, "  (at least: the search was cut short)");
                flush_line(&p);
            }
            if (!r->all_used) {
                dw_buf_printf(b, "  sent but used by none: %llu %s, ", (unsigned long long)r->unused_files,
                              plural(r->unused_files, "file", "files"));
                put_human(b, r->unused_bytes);
                flush_line(&p);
            }
        }
    }

    dw_buf_free(&p.line);
}

static json_t *jtext(const char *p)
{
    return dw_json_text(p, strlen(p));
}

static json_t *totals_json(uint64_t files, uint64_t dirs, uint64_t links, uint64_t other, uint64_t bytes)
{
    json_t *o = json_object();
    json_object_set_new(o, "files", json_integer((json_int_t)files));
    json_object_set_new(o, "dirs", json_integer((json_int_t)dirs));
    json_object_set_new(o, "symlinks", json_integer((json_int_t)links));
    json_object_set_new(o, "other", json_integer((json_int_t)other));
    json_object_set_new(o, "bytes", json_integer((json_int_t)bytes));
    return o;
}

static void print_json(const dw_context_summary *r)
{
    const dw_context_totals *st = &r->sent, *all = &r->all;
    json_t *o = json_object();
    json_object_set_new(o, "context", jtext(r->context));
    json_object_set_new(o, "dockerfile", r->have_dockerfile ? jtext(r->dockerfile) : json_null());
    json_object_set_new(o, "ignore_file", r->ignore_file ? jtext(r->ignore_file) : json_null());
    json_object_set_new(o, "sent", totals_json(st->files, st->dirs, st->symlinks, st->other, st->bytes));
    json_object_set_new(o, "without_ignore", totals_json(all->files, all->dirs, all->symlinks, all->other, all->bytes));
    json_object_set_new(o, "excluded",
                        totals_json(all->files - st->files, all->dirs - st->dirs, all->symlinks - st->symlinks,
                                    all->other - st->other, all->bytes - st->bytes));

    /* folders and files together, largest first */
    json_t *largest = json_array();
    uint32_t i = 0, k = 0;
    while (i < r->ndirs || k < r->nfiles) {
        bool dir = k >= r->nfiles || (i < r->ndirs && (r->dirs[i].bytes > r->files[k].bytes ||
                                                       (r->dirs[i].bytes == r->files[k].bytes &&
                                                        strcmp(r->dirs[i].path, r->files[k].path) <= 0)));
        const dw_context_size *x = dir ? &r->dirs[i++] : &r->files[k++];
        json_t *e = json_object();
        json_object_set_new(e, "path", jtext(x->path));
        json_object_set_new(e, "type", json_string(dir ? "dir" : "file"));
        json_object_set_new(e, "bytes", json_integer((json_int_t)x->bytes));
        json_object_set_new(e, "files", json_integer((json_int_t)x->files));
        json_array_append_new(largest, e);
    }
    json_object_set_new(o, "largest", largest);

    json_t *sug = json_array();
    for (uint32_t g = 0; g < r->nsuggestions; g++) {
        const dw_context_suggestion *x = &r->suggestions[g];
        json_t *e = json_object();
        json_object_set_new(e, "pattern", jtext(x->pattern));
        json_object_set_new(e, "category", json_string(x->category));
        json_object_set_new(e, "reason", json_string(x->reason));
        json_object_set_new(e, "path", jtext(x->path));
        json_object_set_new(e, "count", json_integer((json_int_t)x->count));
        json_object_set_new(e, "files", json_integer((json_int_t)x->files));
        json_object_set_new(e, "bytes", json_integer((json_int_t)x->bytes));
        json_array_append_new(sug, e);
    }
    json_object_set_new(o, "suggestions", sug);

    json_t *copies = json_array();
    for (uint32_t c = 0; c < r->ncopies; c++) {
        const dw_context_copy *x = &r->copies[c];
        json_t *e = json_object();
        json_object_set_new(e, "line", json_integer(x->line));
        json_object_set_new(e, "instruction", json_string(x->instruction));
        json_object_set_new(e, "source", jtext(x->source));
        json_object_set_new(e, "matched", json_integer((json_int_t)x->files));
        json_object_set_new(e, "bytes", json_integer((json_int_t)x->bytes));
        json_object_set_new(e, "excluded", json_integer((json_int_t)x->excluded));
        json_object_set_new(e, "error", x->failure ? json_string(x->failure) : json_null());
        json_array_append_new(copies, e);
    }
    json_object_set_new(o, "copies", copies);
    if (r->have_dockerfile) {
        json_t *u = json_object();
        json_object_set_new(u, "files", json_integer((json_int_t)r->unused_files));
        json_object_set_new(u, "bytes", json_integer((json_int_t)r->unused_bytes));
        json_object_set_new(o, "unused", u);
    } else {
        json_object_set_new(o, "unused", json_null());
    }
    json_t *errors = json_array();
    for (uint32_t n = 0; n < r->nerrors; n++) {
        const dw_context_error *x = &r->errors[n];
        json_t *e = json_object();
        json_object_set_new(e, "file", jtext(x->file));
        if (x->line) {
            json_object_set_new(e, "line", json_integer(x->line));
            json_object_set_new(e, "column", json_integer(x->col));
        }
        json_object_set_new(e, "message", jtext(x->message));
        json_array_append_new(errors, e);
    }
    json_object_set_new(o, "errors", errors);
    json_dumpf(o, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(o);
}

/* The report's errors on stderr: an invalid ignore pattern as
 * file:line:col: error: message (the build would fail on it). */
static void print_errors(const dw_context_summary *r)
{
    for (uint32_t i = 0; i < r->nerrors; i++) {
        const dw_context_error *e = &r->errors[i];
        switch (e->kind) {
        case DW_CTX_ERR_PATTERN:
            if (e->line) fprintf(stderr, "%s:%u:%u: error: %s\n", e->file, e->line, e->col, e->message);
            else fprintf(stderr, "%s: error: %s\n", e->file, e->message);
            break;
        case DW_CTX_ERR_IGNORE_FILE:
            fprintf(stderr, "dockwright context: cannot read the ignore file %s: %s (going on without it)\n",
                    e->file, e->message);
            break;
        case DW_CTX_ERR_FOLDER:
            fprintf(stderr, "dockwright context: cannot read the folder %s: the build would fail there\n", e->file);
            break;
        }
    }
}

/* --list: every sent path, sorted bytewise. On a terminal a path is made
 * safe to show; piped, it is written as it is. */
static void print_list(const dw_context_report *rep)
{
    bool tty = isatty(STDOUT_FILENO);
    dw_buf out = {0};
    uint32_t it = 0;
    for (const char *path; (path = dw_context_report_next_path(rep, &it));) {
        if (tty) dw_out_clean(&out, path, strlen(path));
        else dw_buf_puts(&out, path);
        dw_buf_putc(&out, '\n');
        if (out.n > (1u << 16)) { fwrite(out.p, 1, out.n, stdout); out.n = 0; }
    }
    fwrite(out.p, 1, out.n, stdout);
    dw_buf_free(&out);
}

int cmd_context(int argc, char **argv)
{
    const char *dir = NULL, *file = NULL, *format = "text", *color = "auto";
    bool list = false;
    long top = 10;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        int m = 0;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) { fputs(context_usage, stdout); return 0; }
        else if (!strcmp(a, "--list")) list = true;
        else if (!strcmp(a, "--no-color")) color = "never";
        else if ((m = cli_opt(argc, argv, &i, "--file", "-f", &val))) file = val;
        else if ((m = cli_opt(argc, argv, &i, "--format", NULL, &val))) format = val;
        else if ((m = cli_opt(argc, argv, &i, "--color", NULL, &val))) color = val;
        else if ((m = cli_opt(argc, argv, &i, "--top", NULL, &val))) {
            char *end;
            top = strtol(val, &end, 10);
            if (*end || !*val || top < 0 || top > 100000)
                return cli_usage_error("context", "--top needs a number from 0 to 100000, not '%s'", val);
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("context", "unknown option '%s' (see dockwright context --help)", a);
        } else if (dir) {
            return cli_usage_error("context", "one build context only ('%s' and '%s')", dir, a);
        } else {
            dir = a;
        }
        if (m < 0) return cli_usage_error("context", "%s needs a value", a);
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return cli_usage_error("context", "unknown format '%s' (text, json)", format);
    if (strcmp(color, "always") && strcmp(color, "never") && strcmp(color, "auto"))
        return cli_usage_error("context", "--color takes always, never or auto, not '%s'", color);
    if (list && strcmp(format, "text"))
        return cli_usage_error("context", "--list prints paths only: it takes no --format");
    if (!dir) dir = ".";
    if (!strcmp(dir, "-"))
        return cli_usage_error("context", "a build context read from stdin (a tar stream) is not supported");
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "dockwright context: cannot read the build context %s: %s\n", dir,
                S_ISDIR(sb.st_mode) || !errno ? "not a directory" : strerror(errno));
        return 2;
    }

    progress_line pl;
    memset(&pl, 0, sizeof pl);
    clock_gettime(CLOCK_MONOTONIC, &pl.start);
    pl.last = pl.start;
    dw_context_report_opts opts = {file, file != NULL, (uint32_t)top, list, NULL, &pl};
    if (isatty(STDERR_FILENO)) opts.progress = progress;
    dw_context_report *rep = dw_context_report_build(dir, &opts);
    if (!rep) {
        fprintf(stderr, "dockwright context: cannot read the Dockerfile %s: %s\n", file,
                !strcmp(file, "-") ? "stdin is not supported here" : strerror(errno));
        dw_buf_free(&pl.line);
        return 2;
    }
    if (pl.shown) fputs("\r\033[K", stderr);
    dw_buf_free(&pl.line);
    const dw_context_summary *r = dw_context_report_summary(rep);
    print_errors(r);
    int rc = 0;
    if (r->walk_errno) {
        fprintf(stderr, "dockwright context: cannot read the build context %s: %s\n", dir, strerror(r->walk_errno));
        rc = 2;
    } else if (list) {
        print_list(rep);
    } else if (!strcmp(format, "json")) {
        print_json(r);
    } else {
        print_text(r, cli_want_color(color, stdout));
    }
    fflush(stdout);
    dw_context_report_free(rep);
    return rc;
}
