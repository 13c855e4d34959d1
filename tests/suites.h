/* suites.h — the suite functions listed in suites.def. */
#ifndef DW_SUITES_H
#define DW_SUITES_H
#define SUITE(name, fn) void fn(void);
#include "suites.def"
#undef SUITE
#endif
