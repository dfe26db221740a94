/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The in-memory rate limiter: case variants of an address share a count,
 * other keys never reset a live count, windows end, back-off grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "http/rate_limit.h"

static int reset(void **state)
{
    (void)state;
    rate_reset();
    return 0;
}

static void limit_holds_and_window_ends(void **state)
{
    (void)state;
    time_t t = 1000000;
    for (int i = 0; i < 3; i++)
        assert_true(rate_allow("k:one", 3, 60, t));
    assert_false(rate_allow("k:one", 3, 60, t + 59));
    assert_false(rate_peek("k:one", 3, 60, t + 59));
    /* Another key has its own count. */
    assert_true(rate_peek("k:two", 3, 60, t));
    assert_true(rate_allow("k:two", 3, 60, t));
    /* A new window starts afresh. */
    assert_true(rate_peek("k:one", 3, 60, t + 60));
    assert_true(rate_allow("k:one", 3, 60, t + 60));
}

static void case_variants_share_a_bucket(void **state)
{
    (void)state;
    time_t t = 2000000;
    const char *variants[] = {"login-email:ana@example.org", "login-email:Ana@Example.org",
                              "login-email:ANA@EXAMPLE.ORG", "login-email:aNa@eXample.ORG",
                              "login-email:ana@EXAMPLE.org"};
    for (int i = 0; i < 5; i++)
        assert_true(rate_allow(variants[i], 5, 900, t));
    for (int i = 0; i < 5; i++) {
        assert_false(rate_peek(variants[i], 5, 900, t));
        assert_false(rate_allow(variants[i], 5, 900, t));
    }
    /* Only ASCII case is folded: a different address is another key. */
    assert_true(rate_allow("login-email:ana@example.org.ve", 5, 900, t));
}

/* The finding: 100 applications from one address got through a limit of
 * 30 an hour, because a key landing in the same bucket reset it. */
static void distinct_keys_never_reset_a_count(void **state)
{
    (void)state;
    time_t t = 3000000;
    for (int i = 0; i < 30; i++)
        assert_true(rate_allow("apply-ip:192.0.2.7", 30, 3600, t));
    assert_false(rate_allow("apply-ip:192.0.2.7", 30, 3600, t));
    char key[64];
    int refused = 0;
    for (int i = 0; i < 200000; i++) {
        snprintf(key, sizeof key, "apply-email:p%d@example.org", i);
        rate_allow(key, 5, 3600, t + 1 + i / 100000);
        /* Interleaved, as the attack was: the victim must stay limited. */
        if (i % 1000 == 0 && !rate_allow("apply-ip:192.0.2.7", 30, 3600, t + 2))
            refused++;
    }
    assert_int_equal(refused, 200);
    assert_false(rate_peek("apply-ip:192.0.2.7", 30, 3600, t + 3));
    /* An address that had no count is still counted, even with the table
     * crowded: it may share a counter, never get a fresh one each time. */
    int ok = 0;
    for (int i = 0; i < 100; i++)
        ok += rate_allow("apply-ip:198.51.100.9", 30, 3600, t + 4);
    assert_true(ok <= 30);
}

static void backoff_grows_and_is_capped(void **state)
{
    (void)state;
    time_t t = 4000000;
    for (int i = 0; i < 10; i++) {
        assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t), 0);
        rate_record("acct:x", 900, t);
    }
    /* The eleventh waits 1 s after the last, then 2, 4, ... */
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t), 1);
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t + 1), 0);
    rate_record("acct:x", 900, t + 1);
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t + 1), 2);
    for (int i = 0; i < 20; i++)
        rate_record("acct:x", 900, t + 2);
    /* Never more than max_wait: slowed, not locked out. */
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t + 2), 30);
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t + 32), 0);
    /* The window ends: no more back-off. */
    assert_int_equal(rate_backoff("acct:x", 10, 900, 30, t + 900), 0);
    /* Case variants share it. */
    rate_record("acct:Y@Z", 900, t);
    assert_int_equal(rate_backoff("acct:y@z", 1, 900, 30, t), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(limit_holds_and_window_ends, reset),
        cmocka_unit_test_setup(case_variants_share_a_bucket, reset),
        cmocka_unit_test_setup(distinct_keys_never_reset_a_count, reset),
        cmocka_unit_test_setup(backoff_grows_and_is_capped, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
