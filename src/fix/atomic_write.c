/* atomic_write.c — replacing a file so that a reader sees either the old
 * bytes or the new ones, never half of each, and a crash leaves one of them
 * on disk: write a temporary file beside it, give it the file's mode and
 * owner, fsync, check the file still holds what was read, rename over it,
 * fsync the folder. See fix.h. */
#include "fix.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

/* True when the file at `path` holds exactly `orig`. */
static bool unchanged(const char *path, const char *orig, size_t olen)
{
    size_t len;
    char *now = dw_read_file(path, &len);
    bool same = now && len == olen && (olen == 0 || memcmp(now, orig, olen) == 0);
    free(now);
    return same;
}

int dw_fix_write(const char *path, const char *orig, size_t olen, const char *text, size_t len, const char **why)
{
    char target[PATH_MAX];
    struct stat st;
    if (!realpath(path, target) || stat(target, &st) < 0) {
        *why = strerror(errno);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = "not a regular file; not written";
        return -1;
    }
    const char *slash = strrchr(target, '/');
    char tmp[PATH_MAX + 32];
    int n = snprintf(tmp, sizeof tmp, "%.*s/.%s.dockwright-XXXXXX", (int)(slash - target), target, slash + 1);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        *why = "path too long";
        return -1;
    }
    int fd = mkstemp(tmp);
    if (fd < 0) {
        *why = strerror(errno);
        return -1;
    }
    struct stat ts;
    const char *fail = NULL;
    if (!dw_write_all(fd, text, len)) fail = strerror(errno ? errno : EIO);
    else if (fchmod(fd, st.st_mode & 07777) < 0) fail = strerror(errno);
    else if (fstat(fd, &ts) < 0) fail = strerror(errno);
    else if ((ts.st_uid != st.st_uid || ts.st_gid != st.st_gid) && fchown(fd, st.st_uid, st.st_gid) < 0)
        fail = "its owner or group cannot be kept (another user's file); not written";
    else if (fsync(fd) < 0) fail = strerror(errno);
    if (close(fd) < 0 && !fail) fail = strerror(errno);
    /* as late as possible: an editor or another run may have saved it */
    if (!fail && !unchanged(target, orig, olen)) fail = "changed since it was read; not written";
    if (!fail && rename(tmp, target) < 0) fail = strerror(errno);
    if (fail) {
        unlink(tmp);
        *why = fail;
        return -1;
    }
    /* make the rename itself durable */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", slash == target ? 1 : (int)(slash - target), target);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    return 0;
}
