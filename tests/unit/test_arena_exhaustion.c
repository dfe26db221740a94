/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* An exhausted arena: the flag that turns a request into a 503, the
 * one-time reserve the error page is drawn from, and jansson values and
 * strings built in an arena that has run out (NULL, never a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"

/* Allocates 1 kB pieces until one is refused; returns how many succeeded. */
static size_t fill(arena *a)
{
    size_t n = 0;
    while (arena_alloc(a, 1024)) {
        n++;
        if (n > 100000)
            fail_msg("the arena never filled up");
    }
    return n;
}

static void test_flag_is_sticky(void **state)
{
    (void)state;
    arena *a = arena_new(64 * 1024);
    assert_false(arena_exhausted(a));
    assert_non_null(arena_alloc(a, 1000));
    assert_false(arena_exhausted(a));
    /* One refused allocation marks the arena... */
    assert_null(arena_alloc(a, 100 * 1024));
    assert_true(arena_exhausted(a));
    /* ...and later ones that fit do not clear the mark: the request has
     * already lost something it needed. */
    assert_non_null(arena_alloc(a, 16));
    assert_true(arena_exhausted(a));
    arena_free(a);
}

static void test_small_allocations_use_the_whole_limit(void **state)
{
    (void)state;
    arena *a = arena_new(200 * 1024);
    size_t n = fill(a);
    assert_true(arena_exhausted(a));
    assert_true(n * 1024 > 150 * 1024);
    assert_true(arena_used(a) <= 200 * 1024);
    arena_free(a);
}

static void test_reserve_once(void **state)
{
    (void)state;
    arena *a = arena_new(64 * 1024);
    fill(a);
    assert_true(arena_exhausted(a));
    size_t before = arena_used(a);
    arena_use_reserve(a);
    /* The error page's worth of memory is there... */
    size_t extra = fill(a);
    assert_true(extra * 1024 >= ARENA_RESERVE / 2);
    assert_true(arena_used(a) <= before + ARENA_RESERVE);
    /* ...the arena stays marked, and the reserve is granted only once. */
    assert_true(arena_exhausted(a));
    arena_use_reserve(a);
    assert_null(arena_alloc(a, 1024));
    assert_int_equal(fill(a), 0);
    arena_free(a);
}

static void test_reserve_does_not_lift_huge_requests(void **state)
{
    (void)state;
    arena *a = arena_new(64 * 1024);
    assert_null(arena_alloc(a, SIZE_MAX));
    arena_use_reserve(a);
    assert_null(arena_alloc(a, SIZE_MAX / 2));
    assert_null(arena_alloc(a, 64 * 1024 + ARENA_RESERVE + 1));
    assert_non_null(arena_alloc(a, 1024));
    arena_free(a);
}

static void test_strings_fail_cleanly(void **state)
{
    (void)state;
    arena *a = arena_new(32 * 1024);
    fill(a);
    assert_null(arena_strdup(a, "x"));
    assert_null(arena_printf(a, "%d", 42));
    assert_null(arena_zalloc(a, 8));
    strbuf sb;
    sb_init(&sb, a);
    sb_puts(&sb, "lost");
    assert_true(sb.failed);
    assert_string_equal(sb_str(&sb), "");
    assert_int_equal(sb.len, 0);
    arena_free(a);
}

/* A buffer that fails after holding text reads as empty with length 0:
 * callers pass sb_str() and len together (as a response body), and must
 * not be sent len bytes of the one-byte "". */
static void test_failed_strbuf_has_no_length(void **state)
{
    (void)state;
    arena *a = arena_new(8 * 1024);
    strbuf sb;
    sb_init(&sb, a);
    sb_puts(&sb, "<html>");
    assert_int_equal(sb.len, 6);
    char chunk[1000];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 20 && !sb.failed; i++)
        sb_append(&sb, chunk, sizeof chunk);
    assert_true(sb.failed);
    assert_string_equal(sb_str(&sb), "");
    assert_int_equal(sb.len, 0);
    sb_puts(&sb, "more");
    assert_int_equal(sb.len, 0);
    arena_free(a);
}

/* jansson allocating in a full arena returns NULL, and the builders and
 * getters accept the NULLs. */
static void test_json_in_a_full_arena(void **state)
{
    (void)state;
    json_arena_init();
    arena *a = arena_new(32 * 1024);
    arena_set_current(a);
    json_t *kept = json_pack("{s:s}", "name", "Ana");
    assert_non_null(kept);
    fill(a);
    json_t *o = json_object();
    assert_null(o);
    assert_null(json_pack("{s:s, s:i}", "name", "Ana María Pérez", "n", 1));
    assert_null(json_string("a string that needs memory"));
    assert_int_equal(json_object_set_new(o, "k", json_integer(1)), -1);
    assert_int_equal(json_array_append_new(NULL, json_string("x")), -1);
    assert_null(json_string_value(json_object_get(o, "k")));
    assert_null(json_dumps(kept, 0));
    /* What was built before is intact. */
    assert_string_equal(json_string_value(json_object_get(kept, "name")), "Ana");
    /* The reserve is enough for a small page's data. */
    arena_use_reserve(a);
    json_t *page = json_pack("{s:i, s:s}", "status", 503, "error", "error.too_much");
    assert_non_null(page);
    char *s = json_dumps(page, JSON_SORT_KEYS);
    assert_non_null(s);
    assert_string_equal(s, "{\"error\": \"error.too_much\", \"status\": 503}");
    arena_set_current(NULL);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flag_is_sticky),
        cmocka_unit_test(test_small_allocations_use_the_whole_limit),
        cmocka_unit_test(test_reserve_once),
        cmocka_unit_test(test_reserve_does_not_lift_huge_requests),
        cmocka_unit_test(test_strings_fail_cleanly),
        cmocka_unit_test(test_failed_strbuf_has_no_length),
        cmocka_unit_test(test_json_in_a_full_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
