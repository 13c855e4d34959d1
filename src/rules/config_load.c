/* config_load.c — finding and reading config files (not written yet: only
 * an explicitly named file is checked for existence). */
#include "rule.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int dw_config_load(dw_config *c, const char *path, const char *start, char **err)
{
    (void)c;
    (void)start;
    if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            const char *why = strerror(errno);
            size_t n = strlen(path) + strlen(why) + 3;
            *err = malloc(n);
            snprintf(*err, n, "%s: %s", path, why);
            return -1;
        }
        fclose(f);
    }
    return 0;
}
