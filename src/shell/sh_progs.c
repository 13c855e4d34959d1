/* sh_progs.c — what dockwright knows about programs run in Dockerfiles:
 * which options take a value (so `apt-get -o Acquire::Retries=3 install x`
 * has sub-command `install`), which programs run another command
 * (wrappers), and which are shells. One declarative table; adding a tool
 * is one line. Option lists come from each tool's manual page. */
#include "sh_cmd.h"

#define PLAIN(n, s, l) {n, sizeof(n) - 1, SH_PROG_PLAIN, {s, l, false}, 0, false, NULL}
#define WRAP(n, s, l, skip, assigns, nocmd) {n, sizeof(n) - 1, SH_PROG_WRAPPER, {s, l, false}, skip, assigns, nocmd}

static const sh_prog progs[] = {
    /* package managers */
    PLAIN("apt-get", "acot", "config-file option target-release default-release host-architecture"),
    PLAIN("apt", "acot", "config-file option target-release default-release host-architecture"),
    PLAIN("aptitude", "acotF", "config-file option target-release default-release display-format"),
    PLAIN("apk", "Xpt", "repository root keys-dir arch cache-dir cache-max-age repositories-file progress-fd wait timeout virtual"),
    PLAIN("pip", "rcietfd",
          "requirement constraint editable index-url extra-index-url find-links target prefix root src platform "
          "python-version implementation abi upgrade-strategy progress-bar log proxy retries timeout exists-action "
          "trusted-host cert client-cert cache-dir global-option install-option config-settings only-binary "
          "no-binary report python dest build"),
    PLAIN("npm", "w", "prefix registry cache userconfig globalconfig tag workspace loglevel omit include save-prefix"),
    PLAIN("yarn", "", "cwd modules-folder cache-folder registry network-timeout mutex global-folder link-folder"),
    PLAIN("gem", "vinP", "version install-dir bindir source platform trust-policy build-root"),
    PLAIN("bundle", "j", "gemfile jobs retry path without with binstubs"),
    PLAIN("yum", "cdeRx", "config debuglevel errorlevel rpmverbosity installroot enablerepo disablerepo exclude setopt releasever color downloaddir destdir repo repoid disableplugin enableplugin"),
    PLAIN("dnf", "cdeRx", "config debuglevel errorlevel rpmverbosity installroot enablerepo disablerepo exclude setopt releasever color downloaddir destdir repo repoid disableplugin enableplugin"),
    PLAIN("microdnf", "", "config installroot enablerepo disablerepo setopt releasever"),
    PLAIN("tdnf", "c", "config installroot enablerepo disablerepo setopt releasever"),
    PLAIN("zypper", "cRDCrtp", "config root reposd-dir cache-dir raw-cache-dir solv-cache-dir pkg-cache-dir repo type plus-repo from"),
    PLAIN("conda", "cnp", "channel name prefix file"),
    PLAIN("mamba", "cnp", "channel name prefix file"),
    PLAIN("micromamba", "cnpr", "channel name prefix file root-prefix"),
    PLAIN("cargo", "jF", "version root git branch tag rev path registry index target features jobs profile target-dir bin example"),
    PLAIN("composer", "d", "working-dir"),
    {"go", 2, SH_PROG_PLAIN,
     {"", "C o p tags ldflags gcflags asmflags mod modfile pkgdir toolexec buildmode compiler overlay pgo exec covermode coverpkg installsuffix buildvcs", true},
     0, false, NULL},
    /* downloads and files */
    PLAIN("curl", "odHXuAeFKmrTwxyYzbcCEPQtU",
          "output data data-raw data-binary data-urlencode header request user user-agent referer form config "
          "max-time range upload-file write-out proxy cookie cookie-jar continue-at cert retry retry-delay "
          "retry-max-time connect-timeout url output-dir cacert capath key resolve proto proto-default"),
    PLAIN("wget", "OoaPUTteiQBwlARDIX",
          "output-document output-file append-output directory-prefix user-agent timeout tries execute input-file "
          "quota base wait level accept reject domains include-directories exclude-directories header post-data "
          "post-file progress user password http-user http-password ca-certificate certificate private-key"),
    PLAIN("tar", "fCTXbHI", "file directory files-from exclude-from exclude use-compress-program format owner group mode transform strip-components"),
    PLAIN("sed", "ef", "expression file"),
    PLAIN("git", "Ccbmo", "git-dir work-tree namespace branch depth origin reference template config message"),
    PLAIN("mkdir", "m", "mode"),
    PLAIN("install", "mogtS", "mode owner group target-directory suffix"),
    PLAIN("cp", "tS", "target-directory suffix"),
    PLAIN("mv", "tS", "target-directory suffix"),
    PLAIN("ln", "tS", "target-directory suffix"),
    /* users */
    PLAIN("useradd", "ugGdsckefKpRPbZ", "uid gid groups home-dir shell comment skel expiredate inactive key password root prefix base-dir selinux-user"),
    PLAIN("adduser", "ugGhs", "uid gid home shell gecos ingroup firstuid lastuid conf comment"),
    PLAIN("usermod", "cdefgGlpsuR", "comment home expiredate inactive gid groups login password shell uid root"),
    PLAIN("groupadd", "gKpRP", "gid key password root prefix"),
    PLAIN("addgroup", "g", "gid"),
    /* wrappers: they run the command their arguments name */
    WRAP("sudo", "ugCpDrtTUR", "user group close-from prompt chdir role type command-timeout other-user chroot host", 0, true, "lvKV"),
    WRAP("doas", "uC", "", 0, false, NULL),
    WRAP("env", "uCS", "unset chdir split-string", 0, true, NULL),
    WRAP("xargs", "adEILnPs", "arg-file delimiter max-lines max-args max-procs max-chars process-slot-var", 0, false, NULL),
    WRAP("nice", "n", "adjustment", 0, false, NULL),
    WRAP("time", "fo", "format output", 0, false, NULL),
    WRAP("exec", "a", "", 0, false, NULL),
    WRAP("command", "", "", 0, false, "vV"),
    WRAP("builtin", "", "", 0, false, NULL),
    WRAP("busybox", "", "", 0, false, NULL),
    WRAP("nohup", "", "", 0, false, NULL),
    WRAP("timeout", "sk", "signal kill-after", 1, false, NULL),
    WRAP("stdbuf", "ioe", "input output error", 0, false, NULL),
    WRAP("chroot", "", "userspec groups", 1, false, NULL),
    WRAP("gosu", "", "", 1, false, NULL),
    WRAP("su-exec", "", "", 1, false, NULL),
    WRAP("eatmydata", "", "", 0, false, NULL),
    /* python -m MODULE runs MODULE; -c CODE runs no command */
    {"python", 6, SH_PROG_PYTHON, {"cmWXQ", "", false}, 0, false, "c"},
    {"pypy", 4, SH_PROG_PYTHON, {"cmWXQ", "", false}, 0, false, "c"},
    /* su -c STRING runs STRING with the user's shell */
    {"su", 2, SH_PROG_SU, {"cgGs", "command group supp-group shell", false}, 0, false, NULL},
    {"runuser", 7, SH_PROG_SU, {"cgGsu", "command group supp-group shell user", false}, 0, false, NULL},
};

static const char *const shells[] = {"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "pdksh", "yash", "posh", "rbash", "lksh", "oksh"};
static const sh_prog shell_prog = {"sh", 2, SH_PROG_SHELL, {"oO", "rcfile init-file", false}, 0, false, NULL};

/* The name without a version suffix: pip3 → pip, python3.12 → python. */
static dw_str unversioned(dw_str name)
{
    size_t n = name.len;
    while (n > 1 && ((name.ptr[n - 1] >= '0' && name.ptr[n - 1] <= '9') || name.ptr[n - 1] == '.')) n--;
    return dw_str_make(name.ptr, n);
}

bool sh_prog_is_shell(dw_str name)
{
    if (name.len < 2 || name.len > 5) return false;
    for (size_t i = 0; i < sizeof shells / sizeof shells[0]; i++)
        if (dw_str_eqc(name, shells[i])) return true;
    return false;
}

bool sh_prog_is_non_posix_shell(dw_str name)
{
    dw_str n = name;
    if (n.len > 4 && dw_str_ieqc(dw_str_sub(n, n.len - 4, n.len), ".exe")) n.len -= 4;
    return dw_str_ieqc(n, "pwsh") || dw_str_ieqc(n, "powershell") || dw_str_ieqc(n, "cmd");
}

const sh_prog *sh_prog_find(dw_str name)
{
    if (sh_prog_is_shell(name)) return &shell_prog;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < sizeof progs / sizeof progs[0]; i++)
            if (name.len == progs[i].len && memcmp(name.ptr, progs[i].name, name.len) == 0) return &progs[i];
        dw_str u = unversioned(name);
        if (u.len == name.len) break;
        name = u;
    }
    return NULL;
}

bool sh_flagspec_takes_value(const sh_flagspec *spec, dw_str name, bool is_long)
{
    if (!spec || !name.len) return false;
    if (!is_long) return name.len == 1 && name.ptr[0] && spec->short_with_value && strchr(spec->short_with_value, name.ptr[0]);
    const char *l = spec->long_with_value;
    while (l && *l) {
        const char *e = strchr(l, ' ');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (n == name.len && memcmp(l, name.ptr, n) == 0) return true;
        l = e ? e + 1 : NULL;
    }
    return false;
}
