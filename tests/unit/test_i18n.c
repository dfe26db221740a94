/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* UI strings and language negotiation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"

static void test_tr_both_languages(void **state)
{
    (void)state;
    assert_string_equal(tr(LANG_ES, "nav.agenda"), "Agenda");
    assert_string_equal(tr(LANG_EN, "nav.agenda"), "Agenda");
    assert_string_equal(tr(LANG_ES, "nav.speakers"), "Docentes y participantes");
    assert_string_equal(tr(LANG_EN, "nav.speakers"), "Trainers and speakers");
    assert_string_equal(tr(LANG_ES, "month.3"), "marzo");
    assert_string_equal(tr(LANG_EN, "month.3"), "March");
    assert_string_equal(tr(LANG_ES, "month.10"), "octubre");
    assert_string_equal(tr(LANG_ES, "month.12"), "diciembre");
    assert_string_equal(tr(LANG_ES, "weekday.1"), "lunes");
    assert_string_equal(tr(LANG_EN, "weekday.1"), "Monday");
    assert_string_equal(tr(LANG_ES, "weekday.3"), "miércoles");
    assert_string_equal(tr(LANG_ES, "weekday.6"), "sábado");
    assert_string_equal(tr(LANG_EN, "error.required"), "This field is required.");
    assert_string_equal(tr(LANG_ES, "error.required"), "Este campo es obligatorio.");
}

static void test_every_month_and_weekday_exists(void **state)
{
    (void)state;
    static const char *const en_months[] = {"January", "February", "March", "April",
                                            "May", "June", "July", "August", "September",
                                            "October", "November", "December"};
    static const char *const es_months[] = {"enero", "febrero", "marzo", "abril",
                                            "mayo", "junio", "julio", "agosto",
                                            "septiembre", "octubre", "noviembre", "diciembre"};
    char key[32];
    for (int m = 1; m <= 12; m++) {
        snprintf(key, sizeof key, "month.%d", m);
        assert_true(tr_has(LANG_ES, key));
        assert_true(tr_has(LANG_EN, key));
        assert_string_equal(tr(LANG_EN, key), en_months[m - 1]);
        assert_string_equal(tr(LANG_ES, key), es_months[m - 1]);
    }
    for (int d = 0; d <= 6; d++) {
        snprintf(key, sizeof key, "weekday.%d", d);
        assert_true(tr_has(LANG_ES, key));
        assert_true(tr_has(LANG_EN, key));
    }
    assert_string_equal(tr(LANG_EN, "weekday.0"), "Sunday");
}

static void test_missing_key(void **state)
{
    (void)state;
    assert_string_equal(tr(LANG_ES, "no.such.key"), "no.such.key");
    assert_string_equal(tr(LANG_EN, "no.such.key"), "no.such.key");
    assert_string_equal(tr(LANG_EN, ""), "");
    assert_false(tr_has(LANG_ES, "no.such.key"));
    assert_false(tr_has(LANG_EN, "nav"));
    assert_true(tr_has(LANG_EN, "nav.agenda"));
    /* The header is not a string anyone asked for. */
    assert_false(tr_has(LANG_ES, ""));
}

static void test_lang_code(void **state)
{
    (void)state;
    assert_string_equal(lang_code(LANG_ES), "es");
    assert_string_equal(lang_code(LANG_EN), "en");
}

static void test_lang_parse(void **state)
{
    (void)state;
    assert_int_equal(lang_parse("es"), LANG_ES);
    assert_int_equal(lang_parse("en"), LANG_EN);
    assert_int_equal(lang_parse("ES"), LANG_ES);
    assert_int_equal(lang_parse("En"), LANG_EN);
    assert_int_equal(lang_parse("en-GB"), LANG_EN);
    assert_int_equal(lang_parse("es-VE"), LANG_ES);
    assert_int_equal(lang_parse("es_419"), LANG_ES);
    assert_int_equal(lang_parse("fr"), -1);
    assert_int_equal(lang_parse("e"), -1);
    assert_int_equal(lang_parse(""), -1);
    assert_int_equal(lang_parse(NULL), -1);
    assert_int_equal(lang_parse("eng"), -1);
    assert_int_equal(lang_parse("esperanto"), -1);
    assert_int_equal(lang_parse("english"), -1);
    assert_int_equal(lang_parse("de-ES"), -1);
}

static void test_lang_from_accept(void **state)
{
    (void)state;
    assert_int_equal(lang_from_accept("fr;q=1, en;q=0.8, es;q=0.5", LANG_ES), LANG_EN);
    assert_int_equal(lang_from_accept("fr;q=1, es;q=0.5, en;q=0.8", LANG_ES), LANG_EN);
    assert_int_equal(lang_from_accept("es;q=0.9, en;q=0.95", LANG_ES), LANG_EN);
    assert_int_equal(lang_from_accept("en-US,en;q=0.9,es;q=0.8", LANG_ES), LANG_EN);
    assert_int_equal(lang_from_accept("es-VE, en;q=0.5", LANG_EN), LANG_ES);
    assert_int_equal(lang_from_accept("de", LANG_ES), LANG_ES);
    assert_int_equal(lang_from_accept("de", LANG_EN), LANG_EN);
    assert_int_equal(lang_from_accept("de-DE,fr;q=0.9", LANG_ES), LANG_ES);
    assert_int_equal(lang_from_accept("", LANG_EN), LANG_EN);
    assert_int_equal(lang_from_accept(NULL, LANG_ES), LANG_ES);
    assert_int_equal(lang_from_accept("*", LANG_EN), LANG_EN);
    /* q=0 means "not this one". */
    assert_int_equal(lang_from_accept("en;q=0", LANG_ES), LANG_ES);
    assert_int_equal(lang_from_accept("en;q=0, es;q=0.1", LANG_EN), LANG_ES);
    /* Spaces around the parameters are tolerated. */
    assert_int_equal(lang_from_accept("fr ; q=1 , en ; q=0.7", LANG_ES), LANG_EN);
    /* A tag too long for any language does not confuse the parser. */
    assert_int_equal(lang_from_accept("x-very-long-private-tag-indeed;q=1, en;q=0.2", LANG_ES),
                     LANG_EN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tr_both_languages),
        cmocka_unit_test(test_every_month_and_weekday_exists),
        cmocka_unit_test(test_missing_key),
        cmocka_unit_test(test_lang_code),
        cmocka_unit_test(test_lang_parse),
        cmocka_unit_test(test_lang_from_accept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
