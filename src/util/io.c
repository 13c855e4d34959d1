/* io.c — reading whole files, writing whole buffers. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads all of `path` ("-" = stdin) into a malloc'd, NUL-terminated buffer.
 * Returns NULL with errno set on failure. */
char *dw_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) return NULL;
    struct stat st;
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        /* a regular file: one allocation of its size, one read */
        size_t size = (size_t)st.st_size, got = 0;
        char *p = dw_xmalloc(size + 1);
        ssize_t r;
        while (got < size && (r = read(fileno(f), p + got, size - got)) > 0) got += (size_t)r;
        int err = got < size && errno ? errno : 0;
        fclose(f);
        if (err) { free(p); errno = err; return NULL; }
        p[got] = 0;
        *len = got;
        return p;
    }
    if (f != stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    dw_buf b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) dw_buf_put(&b, chunk, n);
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    if (f != stdin) fclose(f);
    if (err) { dw_buf_free(&b); errno = err; return NULL; }
    if (!b.p) dw_buf_put(&b, "", 0);
    *len = b.n;
    return b.p;
}

bool dw_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}
