/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box test of `aula attendance import` given a course or a date the
 * edition does not have: it says which (no such course; the course's days,
 * so that the next try can be right) instead of "nope has no day ...", and
 * imports nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256], csv[300];

static int group_setup(void **state)
{
    (void)state;
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    snprintf(csv, sizeof csv, "%s/day.csv", data_dir);
    FILE *f = fopen(csv, "w");
    if (!f)
        return -1;
    fputs("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
          "Ana Uno,ana@example.org,03/21/2022 09:00:00 AM,03/21/2022 01:00:00 PM,240,Yes\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(data_dir);
    return 0;
}

static void unknown_course_is_named(void **state)
{
    (void)state;
    char out[2048] = "";
    int rc = run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir, "--event",
                      "sela-2022", "--course", "nope", "--date", "2022-03-21", "--dry-run", csv,
                      NULL);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(out, "no course \"nope\" in edition \"sela-2022\""));
    assert_null(strstr(out, "nope has no day"));
}

static void wrong_day_lists_the_course_days(void **state)
{
    (void)state;
    char out[2048] = "";
    int rc = run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir, "--event",
                      "sela-2022", "--course", "cyberdiplomacy", "--date", "2022-03-25", csv, NULL);
    assert_int_not_equal(rc, 0);
    assert_non_null(strstr(out, "cyberdiplomacy has no day 2022-03-25 in sela-2022;"
                                " its days are 2022-03-21, 2022-03-22"));
    assert_int_equal(db_count(data_dir, "SELECT count(*) FROM attendance_import"), 0);
    /* The right day is accepted: the refusal was about the date only. */
    rc = run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir, "--event",
                  "sela-2022", "--course", "cyberdiplomacy", "--date", "2022-03-21", "--dry-run",
                  csv, NULL);
    assert_int_equal(rc, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_course_is_named),
        cmocka_unit_test(wrong_day_lists_the_course_days),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
