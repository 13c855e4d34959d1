/* context_facts.c — see context_facts.h. */
#include "context_facts.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define D DW_CF_DIR
#define F DW_CF_FILE

/* Templates of an env file, committed on purpose and holding no secret. */
#define ENV_TEMPLATES ".example|.sample|.template|.dist|.defaults|.tpl|.tmpl"

static const dw_cf_fact facts[] = {
    /* name, types, category, unless, marker, beside, never_needed, severe, why */
    {".git", D, DW_CF_VCS, NULL, NULL, NULL, true, true, "Git repository"},
    /* a worktree's or submodule's .git file only points at the repository */
    {".git", F, DW_CF_VCS, NULL, NULL, NULL, false, false, "Git worktree link"},
    {".hg", D, DW_CF_VCS, NULL, NULL, NULL, true, false, "Mercurial repository"},
    {".svn", D, DW_CF_VCS, NULL, NULL, NULL, true, false, "Subversion metadata"},
    {"node_modules", D, DW_CF_DEPS, NULL, NULL, NULL, true, true, "npm packages (installed in the image)"},
    {"bower_components", D, DW_CF_DEPS, NULL, NULL, NULL, true, false, "Bower packages"},
    {".venv", D, DW_CF_DEPS, NULL, NULL, NULL, true, true, "Python virtual environment"},
    {"venv", D, DW_CF_DEPS, NULL, "pyvenv.cfg", NULL, true, true, "Python virtual environment"},
    {"vendor", D, DW_CF_DEPS, NULL, NULL, "composer.json", false, false, "Composer packages"},
    /* build outputs: often an input on purpose (COPY dist/ …), so only
     * suggested where no COPY names them */
    {"dist", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "build output"},
    {"build", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "build output"},
    {"out", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "build output"},
    {".next", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "Next.js build output"},
    {".nuxt", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "Nuxt build output"},
    {"coverage", D, DW_CF_BUILD, NULL, NULL, NULL, false, false, "test coverage report"},
    {"htmlcov", D, DW_CF_BUILD, NULL, NULL, NULL, true, false, "coverage.py report"},
    /* cargo marks its own target/ (a debug build there runs to gigabytes);
     * a Maven or sbt target/ often holds the jar the Dockerfile copies */
    {"target", D, DW_CF_BUILD, NULL, "CACHEDIR.TAG", NULL, true, false, "Cargo build output"},
    {"target", D, DW_CF_BUILD, NULL, NULL, "Cargo.toml|pom.xml|build.sbt", false, false, "Cargo or Maven build output"},
    {"bin", D, DW_CF_BUILD, NULL, NULL, "*.csproj|*.fsproj|*.vbproj", false, false, ".NET build output"},
    {"obj", D, DW_CF_BUILD, NULL, NULL, "*.csproj|*.fsproj|*.vbproj", false, false, ".NET build output"},
    {"__pycache__", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "Python bytecode cache"},
    {".pytest_cache", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "pytest cache"},
    {".mypy_cache", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "mypy cache"},
    {".ruff_cache", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "Ruff cache"},
    {".tox", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "tox environments"},
    {".nox", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "nox environments"},
    {".gradle", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "Gradle cache"},
    {".parcel-cache", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "Parcel cache"},
    {".terraform", D, DW_CF_CACHE, NULL, NULL, NULL, true, false, "Terraform providers and modules"},
    {".cache", D, DW_CF_CACHE, NULL, NULL, NULL, false, false, "tool cache"},
    {".eslintcache", F, DW_CF_CACHE, NULL, NULL, NULL, false, false, "ESLint cache"},
    /* secrets */
    {".env", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "environment file (secrets)"},
    {".envrc", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "direnv file (secrets)"},
    {".env.*", F, DW_CF_SECRET, ENV_TEMPLATES, NULL, NULL, false, false, "environment file (secrets)"},
    {"*.env", F, DW_CF_SECRET, "example.env|sample.env|template.env", NULL, NULL, false, false,
     "environment file (secrets)"},
    {"*.pem", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "certificate or private key"},
    {"*.key", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "private key"},
    {"*.p12", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "PKCS#12 key store"},
    {"*.pfx", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "PKCS#12 key store"},
    {"id_rsa*", F, DW_CF_SECRET, ".pub", NULL, NULL, false, false, "SSH private key"},
    {"id_dsa*", F, DW_CF_SECRET, ".pub", NULL, NULL, false, false, "SSH private key"},
    {"id_ecdsa*", F, DW_CF_SECRET, ".pub", NULL, NULL, false, false, "SSH private key"},
    {"id_ed25519*", F, DW_CF_SECRET, ".pub", NULL, NULL, false, false, "SSH private key"},
    {".npmrc", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "npm settings (may hold a token)"},
    {".pypirc", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "PyPI credentials"},
    {".netrc", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "login credentials"},
    {".git-credentials", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "Git credentials"},
    {"credentials*.json", F, DW_CF_SECRET, NULL, NULL, NULL, false, false, "credentials file"},
    {".aws", D, DW_CF_SECRET, NULL, NULL, NULL, false, false, "AWS credentials"},
    {".ssh", D, DW_CF_SECRET, NULL, NULL, NULL, false, false, "SSH keys"},
    {".gnupg", D, DW_CF_SECRET, NULL, NULL, NULL, false, false, "GnuPG keys"},
    {".DS_Store", F, DW_CF_EDITOR, NULL, NULL, NULL, false, false, "macOS folder metadata"},
    {"Thumbs.db", F, DW_CF_EDITOR, NULL, NULL, NULL, false, false, "Windows thumbnail cache"},
    {".idea", D, DW_CF_EDITOR, NULL, NULL, NULL, false, false, "JetBrains IDE settings"},
    {".vscode", D, DW_CF_EDITOR, NULL, NULL, NULL, false, false, "VS Code settings"},
};

#undef D
#undef F

const dw_cf_fact *dw_cf_table(uint32_t *n)
{
    *n = (uint32_t)(sizeof facts / sizeof *facts);
    return facts;
}

const char *dw_cf_category_name(dw_cf_category c)
{
    static const char *const names[] = {"vcs", "dependencies", "build-output", "cache", "secret", "editor"};
    return (unsigned)c < sizeof names / sizeof *names ? names[c] : "?";
}

/* `s` (n bytes) ends with one of the '|'-separated endings of `list`. */
static bool ends_with_any(const char *s, size_t n, const char *list)
{
    while (*list) {
        const char *bar = strchr(list, '|');
        size_t k = bar ? (size_t)(bar - list) : strlen(list);
        if (k <= n && !memcmp(s + n - k, list, k)) return true;
        list += k + (bar != NULL);
    }
    return false;
}

static bool name_matches(const char *pat, const char *s, size_t n)
{
    const char *star = strchr(pat, '*');
    if (!star) return strlen(pat) == n && !memcmp(pat, s, n);
    size_t pre = (size_t)(star - pat), suf = strlen(star + 1);
    return n >= pre + suf && !memcmp(s, pat, pre) && !memcmp(s + n - suf, star + 1, suf);
}

const dw_cf_fact *dw_cf_lookup(const char *name, size_t len, bool dir)
{
    uint8_t t = dir ? DW_CF_DIR : DW_CF_FILE;
    if (!len) return NULL;
    for (size_t i = 0; i < sizeof facts / sizeof *facts; i++) {
        const dw_cf_fact *f = &facts[i];
        if (!(f->types & t) || !name_matches(f->name, name, len)) continue;
        if (f->unless && ends_with_any(name, len, f->unless)) continue;
        return f;
    }
    return NULL;
}

bool dw_cf_secret(const char *name, size_t len, bool dir)
{
    const dw_cf_fact *f = dw_cf_lookup(name, len, dir);
    return f && f->category == DW_CF_SECRET;
}

bool dw_cf_quiet_dir(const char *name, size_t len)
{
    static const char *const quiet[] = {"vendor", "test", "tests", "testdata", "fixtures", "__fixtures__",
                                        "__tests__", "spec", "examples"};
    for (size_t i = 0; i < sizeof quiet / sizeof *quiet; i++)
        if (strlen(quiet[i]) == len && !memcmp(quiet[i], name, len)) return true;
    return false;
}

/* The folder `dir` holds a name of the '|'-separated `list` ("*.x": any
 * name ending in .x). */
static bool has_beside(const char *dir, const char *list)
{
    DIR *d = opendir(dir);
    if (!d) return false;
    bool found = false;
    struct dirent *de;
    while (!found && (de = readdir(d))) {
        const char *nm = de->d_name;
        size_t n = strlen(nm);
        for (const char *l = list; *l && !found;) {
            const char *bar = strchr(l, '|');
            size_t k = bar ? (size_t)(bar - l) : strlen(l);
            if (l[0] == '*') found = k - 1 <= n && !memcmp(nm + n - (k - 1), l + 1, k - 1);
            else found = k == n && !memcmp(nm, l, k);
            l += k + (bar != NULL);
        }
    }
    closedir(d);
    return found;
}

bool dw_cf_confirm(const dw_cf_fact *f, const char *path, size_t name_len)
{
    if (!f->marker && !f->beside) return true;
    size_t n = strlen(path);
    char *buf = dw_xmalloc(n + (f->marker ? strlen(f->marker) : 0) + 4);
    bool ok = true;
    if (f->marker) {
        struct stat st;
        sprintf(buf, "%s/%s", path, f->marker);
        ok = lstat(buf, &st) == 0;
    }
    if (ok && f->beside) {
        /* the folder holding the entry: "." when the path is the name alone */
        size_t k = n >= name_len ? n - name_len : 0;
        while (k > 0 && path[k - 1] == '/') k--;
        if (k) {
            memcpy(buf, path, k);
            buf[k] = 0;
        } else {
            strcpy(buf, path[0] == '/' ? "/" : ".");
        }
        ok = has_beside(buf, f->beside);
    }
    free(buf);
    return ok;
}

void dw_cf_ignore_pattern(const dw_cf_fact *f, const char *path, size_t len, dw_buf *out)
{
    while (len > 1 && path[len - 1] == '/') len--;
    size_t base = len;
    while (base > 0 && path[base - 1] != '/') base--;
    if (base) dw_buf_puts(out, "**/");
    if (f && f->name[0] == '*') dw_buf_puts(out, f->name);
    else dw_buf_put(out, path + base, len - base);
}
