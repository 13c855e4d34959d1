/* unit_util.c — the util module: arena, line map, UTF-8, white space,
 * edit distance, Go quoting. A table of {name, fn}; each fn returns NULL on
 * success or a failure message. */
#include "../runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/dockerfile/dockerfile_int.h"

static const char *t_arena(void)
{
    dw_arena a;
    dw_arena_init(&a);
    char *p = NULL;
    for (int i = 0; i < 10000; i++) {
        p = dw_arena_alloc(&a, (size_t)(i % 97) + 1);
        if (((uintptr_t)p & 15) != 0) return "misaligned allocation";
        for (int k = 0; k < i % 97 + 1; k++) if (p[k]) return "allocation not zeroed";
        memset(p, 0xAB, (size_t)(i % 97) + 1);
    }
    char *big = dw_arena_alloc(&a, 1 << 20);
    if (big[(1 << 20) - 1]) return "big allocation not zeroed";
    dw_arena_free(&a);
    return NULL;
}

static const char *t_hash(void)
{
    /* FNV-1a's published values: the empty string and "a" */
    if (dw_hash("", 0) != 2166136261u) return "the empty string is the offset basis";
    if (dw_hash("a", 1) != 0xe40c292cu) return "FNV-1a of \"a\" is e40c292c";
    if (dw_hash_lower("Copy-Source", 11) != dw_hash("copy-source", 11)) return "_lower folds ASCII letters";
    if (dw_hash_lower("\xc3\x89", 2) != dw_hash("\xc3\x89", 2)) return "_lower leaves other bytes";
    return NULL;
}

static const char *t_linemap(void)
{
    dw_arena a;
    dw_arena_init(&a);
    const char *src = "ab\r\n\xc3\xa9x\n\nlast";
    dw_linemap m;
    dw_linemap_build(&m, &a, src, (uint32_t)strlen(src));
    const char *r = NULL;
    if (m.count != 4) r = "expected 4 lines";
    dw_pos p = dw_linemap_pos(&m, 6); /* 'x' after é */
    if (!r && (p.line != 2 || p.col != 2)) r = "column must count code points";
    p = dw_linemap_pos(&m, 9);
    if (!r && (p.line != 4 || p.col != 1)) r = "last line start";
    dw_str t = dw_linemap_text(&m, 1);
    if (!r && !dw_str_eqc(t, "ab")) r = "line text must drop CRLF";
    dw_arena_free(&a);
    return r;
}

static const char *t_utf8(void)
{
    int w;
    if (dw_utf8_decode("\xe2\x82\xac", 3, &w) != 0x20AC || w != 3) return "euro sign";
    if (dw_utf8_decode("\xc0\x80", 2, &w) != 0xFFFD || w != 1) return "overlong must be invalid";
    if (dw_utf8_decode("\xed\xa0\x80", 3, &w) != 0xFFFD) return "surrogate must be invalid";
    if (!dw_unicode_is_space(0x3000) || dw_unicode_is_space(0x200B)) return "Unicode spaces";
    dw_str s = dw_str_trim_space(dw_str_c("\xc2\xa0 x \xe3\x80\x80"));
    if (!dw_str_eqc(s, "x")) return "trim of Unicode spaces";
    return NULL;
}

static const char *t_edit_distance(void)
{
    if (dw_edit_distance(dw_str_c("COPY"), dw_str_c("cpoy"), 2, true) != 2) return "transposition costs 2";
    if (dw_edit_distance(dw_str_c("from"), dw_str_c("form"), 2, false) != 2) return "from/form";
    if (dw_edit_distance(dw_str_c("workdir"), dw_str_c("run"), 2, false) != 3) return "cap at max+1";
    return NULL;
}

static const char *t_go_quote(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    dw_go_quote(f, dw_str_make("a\"\\\n\t\x01\x7f\xc3\xa9\xff\xc2\xa0", 12));
    fclose(f);
    const char *want = "\"a\\\"\\\\\\n\\t\\x01\\x7f\xc3\xa9\\xff\\u00a0\"";
    const char *r = strcmp(buf, want) ? "strconv.Quote mismatch" : NULL;
    free(buf);
    return r;
}

static const char *t_imageref(void)
{
    dw_arena a;
    dw_arena_init(&a);
    dw_imageref r;
    const char *err = NULL;
    dw_imageref_parse(&a, dw_str_c("ubuntu:22.04"), &r);
    if (!r.valid || !dw_str_eqc(r.repository, "library/ubuntu") || !dw_str_eqc(r.tag, "22.04")) err = "ubuntu:22.04";
    dw_imageref_parse(&a, dw_str_c("localhost:5000/a/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), &r);
    if (!err && (!r.valid || !dw_str_eqc(r.registry, "localhost:5000") || !r.digest.len || r.tag.len)) err = "registry+digest";
    dw_imageref_parse(&a, dw_str_c("Ubuntu"), &r);
    if (!err && r.valid) err = "upper case repository is invalid";
    dw_imageref_parse(&a, dw_str_c("ubuntu:"), &r);
    if (!err && r.valid) err = "empty tag is invalid";
    dw_arena_free(&a);
    return err;
}

static const struct { const char *name; const char *(*fn)(void); } tests[] = {
    {"arena", t_arena}, {"hash", t_hash}, {"linemap", t_linemap}, {"utf8", t_utf8},
    {"edit-distance", t_edit_distance}, {"go-quote", t_go_quote}, {"imageref", t_imageref},
};

void suite_unit_util(void)
{
    suite s;
    suite_begin(&s, "unit-util");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        const char *r = tests[i].fn();
        if (r) suite_fail(&s, tests[i].name, "%s", r);
        else suite_pass(&s);
    }
    suite_end(&s);
}
