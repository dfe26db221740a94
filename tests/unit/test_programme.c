/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The programme file: the SELA 2022 reference validates, and each kind of
 * fault is reported at its exact JSON path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/programme.h"

static json_t *reference;

static int load(void **state)
{
    (void)state;
    const char *src = getenv("AULA_SOURCE");
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/sela-2022/programme.json", src ? src : "..");
    json_error_t err;
    reference = json_load_file(path, 0, &err);
    if (!reference) {
        fprintf(stderr, "cannot load %s: %s (set AULA_SOURCE)\n", path, err.text);
        return -1;
    }
    return 0;
}

static int unload(void **state)
{
    (void)state;
    json_decref(reference);
    return 0;
}

/* The copy being mutated in the current test. */
static json_t *doc;

static int copy(void **state)
{
    (void)state;
    doc = json_deep_copy(reference);
    return doc ? 0 : -1;
}

static int drop(void **state)
{
    (void)state;
    json_decref(doc);
    doc = NULL;
    return 0;
}

/* Walks a path of object keys and array indices: "edition", "courses", "#1"... */
static json_t *at(json_t *v, ...)
{
    va_list ap;
    va_start(ap, v);
    const char *seg;
    while (v && (seg = va_arg(ap, const char *))) {
        if (seg[0] == '#')
            v = json_array_get(v, strtoul(seg + 1, NULL, 10));
        else
            v = json_object_get(v, seg);
    }
    va_end(ap);
    assert_non_null(v);
    return v;
}

#define AT(...) at(doc, __VA_ARGS__, (const char *)NULL)
#define EDITION AT("edition")

/* Validation fails with exactly this path, and a message containing msg. */
static void expect_fault(const char *want_path, const char *msg)
{
    char path[512] = "", m[512] = "";
    bool ok = programme_validate(doc, path, sizeof path, m, sizeof m);
    if (ok || strcmp(path, want_path) != 0 || (msg && !strstr(m, msg)))
        fail_msg("expected fault at %s (%s); got %s at \"%s\": %s", want_path, msg ? msg : "",
                 ok ? "valid" : "invalid", path, m);
}

static void test_reference_is_valid(void **state)
{
    (void)state;
    char path[512] = "", msg[512] = "";
    bool ok = programme_validate(doc, path, sizeof path, msg, sizeof msg);
    if (!ok)
        fail_msg("reference invalid at %s: %s", path, msg);
    /* And its shape is what the rest of the tests assume. */
    assert_string_equal(json_string_value(AT("format")), PROGRAMME_FORMAT);
    assert_string_equal(json_string_value(AT("edition", "slug")), "sela-2022");
    assert_string_equal(json_string_value(AT("edition", "time_zone")), "America/Caracas");
    assert_int_equal(json_array_size(AT("edition", "courses")), 2);
}

static void test_missing_edition_slug(void **state)
{
    (void)state;
    json_object_del(EDITION, "slug");
    expect_fault("$.edition.slug", "missing required field");
}

static void test_null_required(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "title", json_null());
    expect_fault("$.edition.title", "must not be null");
}

static void test_bad_block_time(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#1", "days", "#0", "blocks", "#0"), "start",
                        json_string("9:00"));
    expect_fault("$.edition.courses[1].days[0].blocks[0].start", "expected a time as HH:MM");
}

static void test_block_time_not_string(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#0", "days", "#1", "blocks", "#0"), "end",
                        json_integer(900));
    expect_fault("$.edition.courses[0].days[1].blocks[0].end", "HH:MM");
}

static void test_unknown_fields(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "colour", json_string("blue"));
    expect_fault("$.edition.colour", "unknown field \"colour\"");
}

static void test_unknown_field_at_root(void **state)
{
    (void)state;
    json_object_set_new(doc, "extra", json_true());
    expect_fault("$.extra", "unknown field");
}

static void test_unknown_field_deep(void **state)
{
    (void)state;
    json_t *s = AT("edition", "courses", "#1", "days", "#0", "blocks", "#0", "sessions", "#0");
    json_object_set_new(s, "room", json_string("A"));
    expect_fault("$.edition.courses[1].days[0].blocks[0].sessions[0].room", "unknown field");
}

static void test_unknown_language_in_text(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "title"), "fr", json_string("Programme"));
    expect_fault("$.edition.title.fr", "unknown field");
}

static void test_empty_text(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#0", "title"), "en", json_string(""));
    expect_fault("$.edition.courses[0].title.en", "non-empty");
}

static void test_duplicate_person_slug(void **state)
{
    (void)state;
    /* A sixth person with the slug of the second. */
    json_t *people = AT("edition", "people");
    json_t *dup = json_deep_copy(json_array_get(people, 1));
    json_object_set_new(dup, "name", json_string("Another Person"));
    json_array_append_new(people, dup);
    expect_fault("$.edition.people[5].slug", "duplicate slug \"antonio-nunez\"");
}

static void test_duplicate_course_slug(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#1"), "slug", json_string("cyberdiplomacy"));
    expect_fault("$.edition.courses[1].slug", "duplicate slug");
}

static void test_unknown_trainer(void **state)
{
    (void)state;
    json_array_set_new(AT("edition", "courses", "#0", "trainers"), 1, json_string("nobody"));
    expect_fault("$.edition.courses[0].trainers[1]", "no person with slug \"nobody\"");
}

static void test_unknown_session_person(void **state)
{
    (void)state;
    json_t *p = AT("edition", "courses", "#0", "days", "#0", "blocks", "#0", "sessions", "#0",
                   "people", "#2");
    json_object_set_new(p, "person", json_string("ghost"));
    expect_fault("$.edition.courses[0].days[0].blocks[0].sessions[0].people[2].person",
                 "no person with slug \"ghost\"");
}

static void test_block_end_before_start(void **state)
{
    (void)state;
    json_t *b = AT("edition", "courses", "#1", "days", "#0", "blocks", "#0");
    json_object_set_new(b, "end", json_string("08:59"));
    expect_fault("$.edition.courses[1].days[0].blocks[0].end", "end after it starts");
}

static void test_block_end_equal_start(void **state)
{
    (void)state;
    json_t *b = AT("edition", "courses", "#0", "days", "#0", "blocks", "#1");
    json_object_set(b, "end", json_object_get(b, "start"));
    expect_fault("$.edition.courses[0].days[0].blocks[1].end", "end after it starts");
}

static void test_wrong_format(void **state)
{
    (void)state;
    json_object_set_new(doc, "format", json_string("aula-programme/2"));
    expect_fault("$.format", "expected \"aula-programme/1\"");
}

static void test_missing_format(void **state)
{
    (void)state;
    json_object_del(doc, "format");
    expect_fault("$.format", "missing required field");
}

static void test_not_an_object(void **state)
{
    (void)state;
    json_t *arr = json_array();
    char path[64], msg[128];
    assert_false(programme_validate(arr, path, sizeof path, msg, sizeof msg));
    assert_string_equal(path, "$");
    json_decref(arr);
}

static void test_edition_dates(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "ends_on", json_string("2022-03-20"));
    expect_fault("$.edition.ends_on", "must not end before it starts");
    json_object_set_new(EDITION, "ends_on", json_string("2022-02-30"));
    expect_fault("$.edition.ends_on", "YYYY-MM-DD");
}

static void test_bad_time_zone(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "time_zone", json_string("Mars/Base"));
    expect_fault("$.edition.time_zone", "time zone");
}

static void test_bad_choices(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "status", json_string("live"));
    expect_fault("$.edition.status", "draft, published, archived");
}

static void test_bad_session_kind(void **state)
{
    (void)state;
    json_t *s = AT("edition", "courses", "#0", "days", "#1", "blocks", "#0", "sessions", "#0");
    json_object_set_new(s, "kind", json_string("party"));
    expect_fault("$.edition.courses[0].days[1].blocks[0].sessions[0].kind", "expected one of");
}

static void test_bad_slug_and_ints(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "people", "#2"), "slug", json_string("Sayed Durán"));
    expect_fault("$.edition.people[2].slug", "slug");
}

static void test_bad_hours(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#1"), "hours", json_integer(0));
    expect_fault("$.edition.courses[1].hours", "from 1 to 1000");
}

static void test_bad_day_date(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#1", "days", "#0"), "date",
                        json_string("2023-02-29"));
    expect_fault("$.edition.courses[1].days[0].date", "YYYY-MM-DD");
}

static void test_multi_line_name(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "people", "#0"), "name", json_string("Ana\nBcc: x"));
    expect_fault("$.edition.people[0].name", "single line");
}

static void test_embedded_nul_text(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "subtitle"), "es", json_stringn("a\0b", 3));
    expect_fault("$.edition.subtitle.es", "UTF-8");
}

static void test_not_an_array(void **state)
{
    (void)state;
    json_object_set_new(EDITION, "courses", json_object());
    expect_fault("$.edition.courses", "expected an array");
}

static void test_short_buffers(void **state)
{
    (void)state;
    json_object_set_new(AT("edition", "courses", "#1", "days", "#0", "blocks", "#0"), "start",
                        json_string("25:00"));
    char path[10], msg[8];
    assert_false(programme_validate(doc, path, sizeof path, msg, sizeof msg));
    assert_string_equal(path, "$.edition");
    assert_int_equal(strlen(msg), sizeof msg - 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, copy, drop)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_reference_is_valid),
        T(test_missing_edition_slug),
        T(test_null_required),
        T(test_bad_block_time),
        T(test_block_time_not_string),
        T(test_unknown_fields),
        T(test_unknown_field_at_root),
        T(test_unknown_field_deep),
        T(test_unknown_language_in_text),
        T(test_empty_text),
        T(test_duplicate_person_slug),
        T(test_duplicate_course_slug),
        T(test_unknown_trainer),
        T(test_unknown_session_person),
        T(test_block_end_before_start),
        T(test_block_end_equal_start),
        T(test_wrong_format),
        T(test_missing_format),
        T(test_not_an_object),
        T(test_edition_dates),
        T(test_bad_time_zone),
        T(test_bad_choices),
        T(test_bad_session_kind),
        T(test_bad_slug_and_ints),
        T(test_bad_hours),
        T(test_bad_day_date),
        T(test_multi_line_name),
        T(test_embedded_nul_text),
        T(test_not_an_array),
        T(test_short_buffers),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
