/* context_facts.h — the one table of names a build context should usually
 * not send: VCS folders, installed dependencies, build outputs, caches,
 * secret-looking files and editor files. The build-context rules
 * (secret-in-context, dockerignore-missing, dockerignore-incomplete, through
 * context_index) and `dockwright context`'s suggestions both read it, so
 * they always agree on what a name is.
 *
 * A row is found by the entry's name alone (dw_cf_lookup); some rows also
 * need a look at the disk to be sure (dw_cf_confirm): a `venv` folder is a
 * virtual environment only when it holds pyvenv.cfg, `target` is Cargo's
 * when Cargo wrote CACHEDIR.TAG in it, `bin` and `obj` are .NET outputs only
 * next to a project file, `vendor` is Composer's only next to composer.json
 * (Go's vendor/ is often sent on purpose, for -mod=vendor builds). */
#ifndef DW_CONTEXT_FACTS_H
#define DW_CONTEXT_FACTS_H

#include "../util/util.h"

typedef enum { DW_CF_VCS, DW_CF_DEPS, DW_CF_BUILD, DW_CF_CACHE, DW_CF_SECRET, DW_CF_EDITOR } dw_cf_category;

enum { DW_CF_DIR = 1, DW_CF_FILE = 2 };

typedef struct {
    const char *name;    /* the name; one '*' stands for any run of bytes (`*.pem`, `.env.*`) */
    uint8_t types;       /* DW_CF_DIR, DW_CF_FILE or both */
    uint8_t category;    /* dw_cf_category */
    const char *unless;  /* '|'-separated endings that make a name not match (`.pub`, `.example`) */
    const char *marker;  /* a child the folder must hold (NULL: none) */
    const char *beside;  /* '|'-separated names one of which must sit next to it ("*.x": any name
                            ending in .x); NULL: none */
    bool never_needed;   /* never an input of a build: dockerignore-incomplete reports it when sent */
    bool severe;         /* makes a missing .dockerignore a warning (.git, node_modules, .venv) */
    const char *why;     /* what it is, for people: "Git repository" */
} dw_cf_fact;

/* The table row a name falls under (`dir`: the entry is a folder), before
 * any look at the disk; NULL when none. The first matching row wins. */
const dw_cf_fact *dw_cf_lookup(const char *name, size_t len, bool dir);

/* The row's disk conditions hold for the entry at `path` (a path that can
 * be opened; `name_len`: the length of its last component): its marker
 * child exists, a `beside` name sits in its folder. True for a row without
 * conditions. Reads one folder at most. */
bool dw_cf_confirm(const dw_cf_fact *f, const char *path, size_t name_len);

/* A secret-looking name (the rows of category DW_CF_SECRET): `.env` files
 * but not templates (.env.example), private keys and key stores, `.npmrc`,
 * `.pypirc`, `.netrc`, `.git-credentials`, `credentials*.json`; folders
 * `.aws`, `.ssh`, `.gnupg`. */
bool dw_cf_secret(const char *name, size_t len, bool dir);

/* A folder whose secret-looking files are not secrets of the project:
 * third-party code (vendor) and test data (test, tests, testdata,
 * fixtures, …), where keys and .env files are made-up ones for tests. */
bool dw_cf_quiet_dir(const char *name, size_t len);

/* The .dockerignore line that excludes the entry at `path` (context-
 * relative, `len` bytes, a trailing '/' allowed) of row `f`: the row's
 * pattern when it starts with '*' (`*.pem`), else the entry's name, with
 * `**` + "/" before it when the entry is not at the context root. Appended
 * to `out`, not NUL-terminated. */
void dw_cf_ignore_pattern(const dw_cf_fact *f, const char *path, size_t len, dw_buf *out);

/* The table (for the context index's per-row counts). */
const dw_cf_fact *dw_cf_table(uint32_t *n);

/* "vcs", "dependencies", "build-output", "cache", "secret", "editor". */
const char *dw_cf_category_name(dw_cf_category c);


#endif
