/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* SHA-256 as hex (base/digest.c): the published test vectors, bytes past
 * a NUL counted, the same digest by both entry points, and an exhausted
 * arena giving NULL rather than a truncated hash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "base/digest.h"

static void known_vectors(void **state)
{
    (void)state;
    char out[SHA256_HEX_SIZE];
    sha256_hex_of("", 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex_of(NULL, 0, out);
    assert_string_equal(out, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex_of("abc", 3, out);
    assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex_of(two, strlen(two), out);
    assert_string_equal(out, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    assert_int_equal(strlen(out), 64);
}

static void counts_every_byte(void **state)
{
    (void)state;
    char out[SHA256_HEX_SIZE], first[SHA256_HEX_SIZE];
    sha256_hex_of("a\0b", 3, out);
    assert_string_equal(out, "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
    sha256_hex_of("a\0b", 1, first);
    assert_string_not_equal(out, first);
    sha256_hex_of("abc", 2, out);
    assert_string_not_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void string_in_an_arena(void **state)
{
    (void)state;
    arena *a = arena_new(4096);
    assert_non_null(a);
    const char *h = sha256_hex(a, "enlace-\xc3\xb1");
    assert_non_null(h);
    assert_string_equal(h, "39f08fc571212564bdd87fe869060b5ba5253b44ffd823749a0bd12a0d4f6b40");
    char out[SHA256_HEX_SIZE];
    sha256_hex_of("enlace-\xc3\xb1", strlen("enlace-\xc3\xb1"), out);
    assert_string_equal(h, out);
    assert_string_equal(sha256_hex(a, ""),
                        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    arena_free(a);
}

static void exhausted_arena_gives_null(void **state)
{
    (void)state;
    arena *a = arena_new(64);
    assert_non_null(a);
    while (arena_alloc(a, 16))
        ;
    assert_null(sha256_hex(a, "abc"));
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_vectors),
        cmocka_unit_test(counts_every_byte),
        cmocka_unit_test(string_in_an_arena),
        cmocka_unit_test(exhausted_arena_gives_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
