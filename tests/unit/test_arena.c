/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The per-request arena: alignment, the byte limit, string helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"

static void test_alignment(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    assert_non_null(a);
    /* Odd sizes must not leave later allocations misaligned. */
    static const size_t sizes[] = {1, 3, 7, 8, 9, 15, 16, 17, 31, 100, 1, 2};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        void *p = arena_alloc(a, sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
        memset(p, 0xab, sizes[i]);
    }
    /* A double and a long double can be stored at any returned address. */
    long double *ld = arena_alloc(a, sizeof *ld);
    assert_non_null(ld);
    *ld = 1.5L;
    assert_true(*ld == 1.5L);
    arena_free(a);
}

static void test_zero_size_distinct(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    void *p = arena_alloc(a, 0), *q = arena_alloc(a, 0);
    assert_non_null(p);
    assert_non_null(q);
    assert_ptr_not_equal(p, q);
    arena_free(a);
}

static void test_zalloc_zeroes(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    /* Dirty the memory first so a zeroed result is not an accident. */
    for (int i = 0; i < 10; i++)
        memset(arena_alloc(a, 1000), 0xff, 1000);
    unsigned char *p = arena_zalloc(a, 5000);
    assert_non_null(p);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(p[i], 0);
    arena_free(a);
}

static void test_limit_enforced(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_false(arena_exhausted(a));
    void *p = arena_alloc(a, 1000);
    assert_non_null(p);
    assert_false(arena_exhausted(a));
    assert_null(arena_alloc(a, 8192));
    assert_true(arena_exhausted(a));
    assert_true(arena_used(a) <= 4096);
    arena_free(a);
}

static void test_limit_over_many_small(void **state)
{
    (void)state;
    arena *a = arena_new(10000);
    size_t got = 0;
    for (int i = 0; i < 1000; i++) {
        char *p = arena_alloc(a, 100);
        if (!p)
            break;
        memset(p, 'x', 100);
        got += 100;
    }
    assert_true(arena_exhausted(a));
    assert_true(got <= 10000);
    assert_true(got >= 5000); /* the limit is used, not wasted */
    assert_true(arena_used(a) <= 10000);
    arena_free(a);
}

static void test_huge_requests_fail(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    /* Sizes near SIZE_MAX must fail cleanly, not wrap around to a small
     * allocation or loop forever. */
    assert_null(arena_alloc(a, SIZE_MAX));
    assert_true(arena_exhausted(a));
    assert_null(arena_alloc(a, SIZE_MAX - 8));
    assert_null(arena_alloc(a, SIZE_MAX / 2 + 2));
    assert_null(arena_alloc(a, (1 << 20) + 1));
    arena_free(a);
}

static void test_zero_limit(void **state)
{
    (void)state;
    arena *a = arena_new(0);
    assert_null(arena_alloc(a, 1));
    assert_true(arena_exhausted(a));
    assert_null(arena_strdup(a, "x"));
    assert_null(arena_printf(a, "%d", 1));
    arena_free(a);
}

static void test_strdup_strndup(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 16);
    const char *src = "Cancillería";
    char *d = arena_strdup(a, src);
    assert_non_null(d);
    assert_ptr_not_equal(d, src);
    assert_string_equal(d, src);
    assert_null(arena_strdup(a, NULL));
    char *n = arena_strndup(a, "abcdef", 3);
    assert_string_equal(n, "abc");
    char *e = arena_strndup(a, "abc", 0);
    assert_string_equal(e, "");
    arena_free(a);
}

static void test_printf(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    char *s = arena_printf(a, "%s-%d-%05.1f", "sela", 2022, 3.14159);
    assert_string_equal(s, "sela-2022-003.1");
    /* Longer than any first guess at a buffer size. */
    char big[3000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *l = arena_printf(a, "<%s>", big);
    assert_int_equal(strlen(l), sizeof big + 1);
    assert_int_equal(l[0], '<');
    assert_int_equal(l[sizeof big], '>');
    arena_free(a);
}

static void test_many_allocations_keep_contents(void **state)
{
    (void)state;
    arena *a = arena_new(64 << 20);
    enum { N = 20000 };
    static char *ptrs[N];
    for (int i = 0; i < N; i++) {
        ptrs[i] = arena_printf(a, "item-%d", i);
        assert_non_null(ptrs[i]);
    }
    /* Nothing was overwritten by later blocks. */
    for (int i = 0; i < N; i++) {
        char want[32];
        snprintf(want, sizeof want, "item-%d", i);
        assert_string_equal(ptrs[i], want);
    }
    /* One allocation larger than any block so far. */
    char *big = arena_alloc(a, 5 << 20);
    assert_non_null(big);
    memset(big, 1, 5 << 20);
    assert_string_equal(ptrs[N - 1], "item-19999");
    assert_false(arena_exhausted(a));
    arena_free(a);
}

static void test_strbuf_in_arena(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    strbuf sb;
    sb_init(&sb, a);
    assert_string_equal(sb_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        sb_printf(&sb, "%d,", i % 10);
    assert_int_equal(sb.len, 2000);
    assert_memory_equal(sb_str(&sb), "0,1,2,3,", 8);
    sb_putc(&sb, '!');
    sb_append(&sb, "ab", 1);
    assert_string_equal(sb_str(&sb) + 2000, "!a");
    arena_free(a);
}

static void test_strbuf_fails_at_limit(void **state)
{
    (void)state;
    arena *a = arena_new(2048);
    strbuf sb;
    sb_init(&sb, a);
    char chunk[100];
    memset(chunk, 'z', sizeof chunk);
    for (int i = 0; i < 100; i++)
        sb_append(&sb, chunk, sizeof chunk);
    assert_true(sb.failed);
    /* A failed buffer reads as empty, never as a truncated page. */
    assert_string_equal(sb_str(&sb), "");
    sb_puts(&sb, "more");
    assert_string_equal(sb_str(&sb), "");
    arena_free(a);
}

static void test_strbuf_malloc(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, NULL);
    for (int i = 0; i < 500; i++)
        sb_puts(&sb, "0123456789");
    assert_int_equal(sb.len, 5000);
    assert_int_equal(strlen(sb_str(&sb)), 5000);
    sb_release(&sb);
    assert_string_equal(sb_str(&sb), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment),
        cmocka_unit_test(test_zero_size_distinct),
        cmocka_unit_test(test_zalloc_zeroes),
        cmocka_unit_test(test_limit_enforced),
        cmocka_unit_test(test_limit_over_many_small),
        cmocka_unit_test(test_huge_requests_fail),
        cmocka_unit_test(test_zero_limit),
        cmocka_unit_test(test_strdup_strndup),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_many_allocations_keep_contents),
        cmocka_unit_test(test_strbuf_in_arena),
        cmocka_unit_test(test_strbuf_fails_at_limit),
        cmocka_unit_test(test_strbuf_malloc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
