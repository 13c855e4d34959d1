/* fuzz_dockerfile.c — libFuzzer harness: any bytes must parse without a
 * crash, leak or undefined behaviour, and the dump must not crash either. */
#include <stdio.h>

#include "dockwright.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    dw_dockerfile *df = dw_dockerfile_parse("fuzz", (const char *)data, size, NULL);
    if (df) {
        FILE *null = fopen("/dev/null", "w");
        if (null) {
            dw_dockerfile_dump(df, null);
            fclose(null);
        }
        dw_dockerfile_free(df);
    }
    return 0;
}
