/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Table forms: a repeated field keeps every value in its row, empty ones
 * too, each with its own problem, so that columns pair up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "base/arena.h"
#include "http/form.h"

static const struct field_spec row_fields[] = {
    {.name = "day", .v = V_INT, .required = true, .min = 1, .max = 100, .repeated = true},
    {.name = "url", .v = V_URL, .repeated = true},
};
static const struct form_spec rows_form = FORM_SPEC(row_fields);

static struct form_values check(arena *a, const char *body)
{
    struct form_raw raw;
    assert_true(form_parse_urlencoded(a, body, strlen(body), &raw));
    struct form_values v;
    form_validate(a, &rows_form, &raw, &v);
    return v;
}

static void rows_keep_order_and_empties(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    struct form_values v = check(a, "day=3&url=&day=7&url=https%3A%2F%2Fx.example%2F");
    assert_true(v.ok);
    const struct field_value *day = form_get(&v, "day"), *url = form_get(&v, "url");
    assert_int_equal(day->nmany, 2);
    assert_int_equal(url->nmany, 2);
    assert_int_equal(day->ints[0], 3);
    assert_int_equal(day->ints[1], 7);
    assert_string_equal(url->many[0], "");
    assert_string_equal(url->many[1], "https://x.example/");
    assert_null(url->errors[0]);
    arena_free(a);
}

static void each_row_has_its_own_error(void **state)
{
    (void)state;
    arena *a = arena_new(1 << 20);
    struct form_values v = check(a, "day=3&url=ftp%3A%2F%2Fno&day=&url=&day=500&url=");
    assert_false(v.ok);
    const struct field_value *day = form_get(&v, "day"), *url = form_get(&v, "url");
    assert_int_equal(day->nmany, 3);
    assert_null(day->errors[0]);
    assert_string_equal(day->errors[1], "error.required");
    assert_non_null(day->errors[2]);
    assert_non_null(url->errors[0]);
    assert_null(url->errors[1]);
    /* What was typed is kept for showing the form again. */
    assert_string_equal(url->many[0], "ftp://no");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_keep_order_and_empties),
        cmocka_unit_test(each_row_has_its_own_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
