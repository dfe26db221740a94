/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance arithmetic (union of intervals clipped to blocks, the
 * percentage rule) and the name helpers used for suggestions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/attendance.h"
#include "domain/name_match.h"

/* Times in these tests are seconds from the start of the day: a block
 * 09:00-13:00 is [32400, 46800). */
#define HM(h, m) ((time_t)((h) * 3600 + (m) * 60))
#define HMS(h, m, s) (HM(h, m) + (s))

static void test_single_and_clipping(void **state)
{
    (void)state;
    struct interval iv[] = {{HM(8, 30), HM(9, 30)}};
    /* Only 09:00-09:30 lies in the block. */
    assert_int_equal(attended_seconds(iv, 1, HM(9, 0), HM(13, 0)), 1800);
    /* Entirely before, entirely after, touching the edges. */
    struct interval out[] = {{HM(7, 0), HM(9, 0)}, {HM(13, 0), HM(14, 0)}};
    assert_int_equal(attended_seconds(out, 2, HM(9, 0), HM(13, 0)), 0);
    /* Covering the whole block and beyond: the block's length. */
    struct interval all[] = {{HM(6, 0), HM(18, 0)}};
    assert_int_equal(attended_seconds(all, 1, HM(9, 0), HM(13, 0)), 4 * 3600);
    /* Empty, reversed and NULL input count nothing. */
    struct interval bad[] = {{HM(10, 0), HM(10, 0)}, {HM(11, 0), HM(10, 0)}};
    assert_int_equal(attended_seconds(bad, 2, HM(9, 0), HM(13, 0)), 0);
    assert_int_equal(attended_seconds(NULL, 0, HM(9, 0), HM(13, 0)), 0);
    /* An empty or reversed block. */
    assert_int_equal(attended_seconds(all, 1, HM(13, 0), HM(13, 0)), 0);
    assert_int_equal(attended_seconds(all, 1, HM(13, 0), HM(9, 0)), 0);
}

static void test_overlaps_and_rejoins(void **state)
{
    (void)state;
    /* Laptop 09:00-11:00 and phone 10:30-12:00: 09:00-12:00 once, 3 h (the
     * rows' durations would sum to 3 h 30). */
    struct interval two[] = {{HM(10, 30), HM(12, 0)}, {HM(9, 0), HM(11, 0)}};
    assert_int_equal(attended_seconds(two, 2, HM(9, 0), HM(13, 0)), 3 * 3600);
    /* A device inside another: counted once. */
    struct interval nested[] = {{HM(9, 0), HM(12, 0)}, {HM(10, 0), HM(10, 30)}};
    assert_int_equal(attended_seconds(nested, 2, HM(9, 0), HM(13, 0)), 3 * 3600);
    /* Rejoins summed: 09:02:13-10:30:00 (5267 s) and 10:35-13:10 clipped
     * (8700 s). */
    struct interval rejoin[] = {{HMS(9, 2, 13), HM(10, 30)}, {HM(10, 35), HM(13, 10)}};
    assert_int_equal(attended_seconds(rejoin, 2, HM(9, 0), HM(13, 0)), 13967);
    /* Back to back intervals: no gap, no double count. */
    struct interval chain[] = {{HM(9, 0), HM(10, 0)}, {HM(10, 0), HM(11, 0)},
                               {HM(11, 0), HM(11, 15)}};
    assert_int_equal(attended_seconds(chain, 3, HM(9, 0), HM(13, 0)), 8100);
    /* Identical rows twice. */
    struct interval dup[] = {{HM(9, 0), HM(9, 45)}, {HM(9, 0), HM(9, 45)}};
    assert_int_equal(attended_seconds(dup, 2, HM(9, 0), HM(13, 0)), 2700);
}

static void test_input_not_modified(void **state)
{
    (void)state;
    struct interval iv[100], copy[100];
    for (int i = 0; i < 100; i++)
        iv[i] = (struct interval){HM(12, 0) - i * 60, HM(12, 0) - i * 60 + 90};
    memcpy(copy, iv, sizeof iv);
    /* Each starts a minute before the previous one and lasts 90 s: one
     * run from 10:21 to 12:01:30 = 100 min 30 s. */
    assert_int_equal(attended_seconds(iv, 100, HM(9, 0), HM(13, 0)), 6030);
    assert_memory_equal(iv, copy, sizeof iv);
    assert_int_equal(attended_seconds(iv, 10, HM(9, 0), HM(13, 0)), 9 * 60 + 90);
    assert_memory_equal(iv, copy, sizeof iv);
}

/* Against a second-by-second count, for the few-interval sweep (n <= 16),
 * the stack copy (n <= 64) and the heap copy. */
static void test_against_brute_force(void **state)
{
    (void)state;
    srand(20220321);
    static unsigned char covered[4 * 3600];
    const size_t sizes[] = {1, 2, 5, 16, 17, 40, 64, 65, 300};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int round = 0; round < 20; round++) {
            size_t n = sizes[s];
            struct interval *iv = malloc(n * sizeof *iv);
            assert_non_null(iv);
            memset(covered, 0, sizeof covered);
            for (size_t i = 0; i < n; i++) {
                /* Anywhere from 08:00 to 14:00, up to 40 min (some reversed). */
                time_t f = HM(8, 0) + rand() % (6 * 3600);
                time_t t = f + rand() % 2400 - 60;
                iv[i] = (struct interval){f, t};
                for (time_t x = f; x < t; x++)
                    if (x >= HM(9, 0) && x < HM(13, 0))
                        covered[x - HM(9, 0)] = 1;
            }
            long want = 0;
            for (size_t x = 0; x < sizeof covered; x++)
                want += covered[x];
            long got = attended_seconds(iv, n, HM(9, 0), HM(13, 0));
            if (got != want)
                fail_msg("n=%zu round %d: %ld, expected %ld", n, round, got, want);
            free(iv);
        }
}

static void test_minutes_over_blocks(void **state)
{
    (void)state;
    /* Morning 09:00-10:30 and afternoon 11:00-13:00 (a break between). */
    struct interval blocks[] = {{HM(9, 0), HM(10, 30)}, {HM(11, 0), HM(13, 0)}};
    /* 08:50-12:00 on one device: 90 min + 60 min; the break not counted. */
    struct interval iv[] = {{HM(8, 50), HM(12, 0)}};
    assert_int_equal(attended_minutes(iv, 1, blocks, 2), 150);
    /* Seconds are summed before rounding down: 59 s in each block is
     * 1 minute, not 0. */
    struct interval bits[] = {{HMS(10, 29, 1), HM(10, 30)}, {HM(11, 0), HMS(11, 0, 59)}};
    assert_int_equal(attended_minutes(bits, 2, blocks, 2), 1);
    /* 59 s alone round down to 0. */
    assert_int_equal(attended_minutes(bits, 1, blocks, 2), 0);
    assert_int_equal(attended_minutes(iv, 1, blocks, 0), 0);
}

static void test_rule(void **state)
{
    (void)state;
    long sched[] = {240, 240, 217}; /* 697 minutes */
    /* 80% of 697 is 557.6: 558 meets it, 557 does not. */
    long a1[] = {240, 240, 78};
    assert_true(attendance_rule_met(a1, sched, 3, 80, 0));
    long a2[] = {240, 240, 77};
    assert_false(attendance_rule_met(a2, sched, 3, 80, 0));
    /* With a daily minimum of 50%: day 3 needs 108.5, so 109. */
    long a3[] = {240, 240, 108};
    assert_true(attendance_rule_met(a3, sched, 3, 80, 0));
    assert_false(attendance_rule_met(a3, sched, 3, 80, 50));
    long a4[] = {240, 209, 109};
    assert_true(attendance_rule_met(a4, sched, 3, 80, 50));
    /* A day with nothing scheduled is ignored. */
    long sched0[] = {240, 0};
    long a5[] = {200, 0};
    assert_true(attendance_rule_met(a5, sched0, 2, 80, 50));
    /* Nothing scheduled: nothing to certify. */
    long zero[] = {0};
    assert_false(attendance_rule_met(zero, zero, 1, 0, 0));
    assert_false(attendance_rule_met(NULL, NULL, 0, 80, 0));
    /* 100%: everything; 0%: anything. */
    long full[] = {240, 240, 217};
    assert_true(attendance_rule_met(full, sched, 3, 100, 100));
    assert_false(attendance_rule_met(a1, sched, 3, 100, 0));
    long none[] = {0, 0, 0};
    assert_true(attendance_rule_met(none, sched, 3, 0, 0));
    /* Out-of-range percentages are clamped. */
    assert_false(attendance_rule_met(a1, sched, 3, 150, 0));
    assert_true(attendance_rule_met(none, sched, 3, -5, 0));
}

/* ------------------------------------------------------------- names */

static void expect_norm(const char *in, const char *want)
{
    char out[128];
    name_normalise(in, out, sizeof out);
    if (strcmp(out, want) != 0)
        fail_msg("name_normalise(\"%s\") = \"%s\", expected \"%s\"", in, out, want);
}

static void test_normalise(void **state)
{
    (void)state;
    expect_norm("  María-José  PÉREZ ", "maria jose perez");
    expect_norm("Ñandú Çelik Müller", "nandu celik muller");
    expect_norm("Ærøskøbing Straße", "aeroskobing strasse");
    expect_norm("Łukasz Żółć Dvořák", "lukasz zolc dvorak");
    expect_norm("Ștefan Țurcanu", "stefan turcanu");
    expect_norm("O'Brien, Seán", "obrien sean");
    expect_norm("D\xe2\x80\x99" "Angelo", "dangelo");        /* ’ */
    expect_norm("Jose\xcc\x81 Pe\xcc\x81rez", "jose perez"); /* combining acute */
    expect_norm("Dr. Raúl  Méndez (UCV)", "dr raul mendez ucv");
    expect_norm("¿Ana?\xc2\xa0«Lía»", "ana lia");            /* NBSP, guillemets */
    expect_norm("ΑΛΕΞΗΣ Иван", "αλεξησ иван"); /* Greek and Cyrillic capitals */
    expect_norm("李 小龍", "李 小龍");
    expect_norm("", "");
    expect_norm(" - , . ", "");
    expect_norm("Ana\xff" "Bel", "ana bel"); /* a stray byte separates */
    char out[8];
    name_normalise(NULL, out, sizeof out);
    assert_string_equal(out, "");
    /* Cut at a character boundary, always terminated. */
    name_normalise("María", out, 5);
    assert_string_equal(out, "mari");
    name_normalise("李小龍", out, 6); /* 3 bytes each: one fits */
    assert_string_equal(out, "李");
    name_normalise("abc", out, 1);
    assert_string_equal(out, "");
}

static void expect_sim(const char *a, const char *b, int lo, int hi)
{
    int s = name_similarity(a, b), r = name_similarity(b, a);
    if (s < lo || s > hi)
        fail_msg("name_similarity(\"%s\", \"%s\") = %d, expected %d..%d", a, b, s, lo, hi);
    if (r != s)
        fail_msg("not symmetric for \"%s\" / \"%s\": %d and %d", a, b, s, r);
}

static void test_similarity(void **state)
{
    (void)state;
    /* The same person. */
    expect_sim("María José Pérez", "PEREZ, Maria Jose", 100, 100);
    expect_sim("Ana Pérez", "Pérez Gómez, Ana María", 87, 87); /* the documented example */
    expect_sim("José Rodríguez", "Rodriguez Jose Antonio", 80, 100);
    expect_sim("Ana María Pérez", "ana maria perez gomez", 80, 100);
    expect_sim("Nuñez Carla", "Carla Núñez", 100, 100);
    expect_sim("Carla Nunes", "Carla Núñez", 78, 78);   /* one letter off: 0.8 */
    expect_sim("J. Pérez Gómez", "Juan Pérez Gómez", 71, 71); /* an initial: 0.6 */
    expect_sim("Alex Smith", "Alexander Smith", 78, 78); /* a prefix: 0.8 */
    /* Different people. */
    expect_sim("Ana Pérez", "Juan Pérez", 20, 20); /* the documented example */
    expect_sim("Ana María Pérez", "Ana María Gómez", 0, 40);
    expect_sim("Carlos Gómez", "Lucía Fernández", 0, 0);
    expect_sim("Ana Torres", "Ana Pérez", 0, 40);
    /* Degenerate. */
    expect_sim("", "Ana", 0, 0);
    expect_sim(NULL, "Ana", 0, 0);
    expect_sim("--", "Ana", 0, 0);
    expect_sim("Ana", "Ana", 100, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_and_clipping),
        cmocka_unit_test(test_overlaps_and_rejoins),
        cmocka_unit_test(test_input_not_modified),
        cmocka_unit_test(test_against_brute_force),
        cmocka_unit_test(test_minutes_over_blocks),
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_normalise),
        cmocka_unit_test(test_similarity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
