/* fuzz_compose.c — libFuzzer harness for the Compose loader: YAML events to
 * the node tree (alias and depth bounds), the value tree with merge keys and
 * duplicate keys, interpolation, schema validation, override merging and the
 * printer. The input is the text of compose.yaml in a temporary folder (no
 * process environment is read); any crash, leak, undefined behaviour or a
 * finding whose span lies outside its file fails. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/compose/compose.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static char dir[64];
static char path[96];
static const unsigned char *cur;
static size_t cur_len;

static char *read_input(void *ud, const char *abs_path, size_t *len)
{
    (void)ud;
    if (strcmp(abs_path, path) != 0) return NULL;
    char *copy = malloc(cur_len + 1);
    if (!copy) return NULL;
    memcpy(copy, cur, cur_len);
    copy[cur_len] = 0;
    *len = cur_len;
    return copy;
}

static void setup(void)
{
    if (dir[0]) return;
    strcpy(dir, "/tmp/dw-fuzz-compose-XXXXXX");
    if (!mkdtemp(dir)) abort();
    char real[64];
    if (!realpath(dir, real)) abort();
    snprintf(path, sizeof path, "%s/compose.yaml", real);
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fclose(f);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    setup();
    cur = data;
    cur_len = size;
    const char *paths[1] = {path};
    static const char *const no_env[] = {NULL};
    dw_compose_opts o;
    memset(&o, 0, sizeof o);
    o.no_environ = true;
    o.environ = no_env;
    o.no_override = true;
    o.read_text = read_input;
    const char *why = NULL;
    dw_compose_project *p = dw_compose_load(paths, 1, &o, &why);
    if (!p) return 0;
    for (uint32_t i = 0; i < p->nfiles; i++) {
        const dw_compose_file *f = &p->files[i];
        for (uint32_t k = 0; k < f->diags.n; k++)
            if (f->diags.v[k].span.start > f->diags.v[k].span.end || f->diags.v[k].span.end > f->len) abort();
    }
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        dw_compose_print(devnull, p, false);
        dw_compose_print(devnull, p, true);
        fclose(devnull);
    }
    dw_compose_free(p);
    return 0;
}
