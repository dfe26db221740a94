/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the console's attendance work that once lost or
 * misassigned a coordinator's decisions: a row with a personal email
 * confirmed as a participant is credited at once and in every later
 * import; the assignment list starts empty and offers "not a participant";
 * the meetings of every day are saved together, or none when one is wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "import_preview.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "ana.perez@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "luis.gomez@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'Ana María', family_names = 'Pérez'"
                       " WHERE email = 'ana.perez@example.org'", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* Ana joined with her personal address; an interpreter joined too. */
static const char report[] =
    "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
    "Ana Pérez,ana.personal@mail.example,\"Mar 21, 2022 08:50:00\",\"Mar 21, 2022 13:05:00\",255,Yes\n"
    "Intérprete EN,,\"Mar 21, 2022 08:50:00\",\"Mar 21, 2022 13:05:00\",255,Yes\n"
    "Luis Gómez,luis.gomez@example.org,\"Mar 21, 2022 09:00:00\",\"Mar 21, 2022 10:00:00\",60,No\n";

static void import_report(void)
{
    char body[4096];
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2022-03-21\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n%s\r\n--XyZ--\r\n", atoken, report);
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/attendance/import", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    char before[4096];
    import_fingerprint(data_dir, before, sizeof before);
    assert_true(http("POST", url, h, body, len, &r));
    /* A preview that changes nothing, then the confirmation. */
    assert_int_equal(r.status, 200);
    assert_int_equal(confirm_upload(&srv, data_dir, before, "sela-2022", admin, atoken, NULL, &r),
                     303);
    http_free(&r);
}

/* The console's attendance grid of the course, parsed. */
static json_t *grid(void)
{
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
                         h, &r));
    assert_int_equal(r.status, 200);
    json_error_t e;
    json_t *g = json_loadb(r.body, r.body_len, 0, &e);
    http_free(&r);
    if (!g)
        fail_msg("grid is not JSON: %s", e.text);
    return g;
}

/* Minutes of the participant with email on the first day, from its own row. */
static long first_day_minutes(json_t *g, const char *email)
{
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(g, "rows"), i, row) {
        if (strcmp(json_string_value(json_object_get(row, "email")), email) == 0)
            return (long)json_integer_value(
                json_object_get(json_array_get(json_object_get(row, "days"), 0), "minutes"));
    }
    fail_msg("%s has no row", email);
    return -1;
}

static long first_day_scheduled(json_t *g)
{
    return (long)json_integer_value(json_object_get(json_array_get(json_object_get(g, "days"), 0),
                                                    "scheduled"));
}

/* The unassigned entry whose name or email is what, or NULL. */
static json_t *unassigned(json_t *g, const char *list, const char *what)
{
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(g, list), i, u) {
        const char *n = json_string_value(json_object_get(u, "name"));
        const char *e = json_string_value(json_object_get(u, "email"));
        if ((n && strcmp(n, what) == 0) || (e && strcmp(e, what) == 0))
            return u;
    }
    return NULL;
}

static long application_of(const char *email)
{
    char q[200];
    snprintf(q, sizeof q, "SELECT id FROM application WHERE email = '%s'", email);
    return db_count(data_dir, q);
}

static long post_match(const char *name_key, const char *application)
{
    char *key = curl_easy_escape(NULL, name_key, 0);
    char body[600];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&name_key=%s&application=%s", atoken,
             key, application);
    curl_free(key);
    struct http_response r;
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/match", body, &r));
    long status = r.status;
    http_free(&r);
    return status;
}

static void personal_email_confirmed_is_credited(void **state)
{
    (void)state;
    import_report();
    json_t *g = grid();
    assert_int_equal(first_day_minutes(g, "ana.perez@example.org"), 0);
    json_t *u = unassigned(g, "unmatched", "ana.personal@mail.example");
    assert_non_null(u);
    char key[256], app[32];
    snprintf(key, sizeof key, "%s", json_string_value(json_object_get(u, "name_key")));
    long scheduled = first_day_scheduled(g);
    assert_true(scheduled > 0);
    json_decref(g);

    snprintf(app, sizeof app, "%ld", application_of("ana.perez@example.org"));
    assert_int_equal(post_match(key, app), 303);
    g = grid();
    /* Credited at once: the whole first day, and the row is assigned. */
    assert_int_equal(first_day_minutes(g, "ana.perez@example.org"), scheduled);
    assert_null(unassigned(g, "unmatched", "ana.personal@mail.example"));
    /* Nobody else got her minutes. */
    assert_int_equal(first_day_minutes(g, "luis.gomez@example.org"), 60);
    json_decref(g);

    /* And in a later import of the same day. */
    import_report();
    g = grid();
    assert_int_equal(first_day_minutes(g, "ana.perez@example.org"), scheduled);
    assert_null(unassigned(g, "unmatched", "ana.personal@mail.example"));
    json_decref(g);
}

static void assignment_starts_empty(void **state)
{
    (void)state;
    import_report();
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy", h, &r));
    assert_int_equal(r.status, 200);
    /* Every assignment list opens on an empty choice, then "not a participant". */
    const char *sel = strstr(r.body, "name=\"application\"");
    assert_non_null(sel);
    const char *first = strstr(sel, "<option");
    assert_non_null(first);
    assert_true(strncmp(first, "<option value=\"\" selected>", 26) == 0);
    assert_non_null(strstr(first + 1, "<option value=\"0\">"));
    http_free(&r);
    /* Submitting the empty choice assigns nobody. */
    long before = db_count(data_dir, "SELECT count(*) FROM name_match");
    assert_int_equal(post_match("interprete en", ""), 422);
    assert_int_equal(db_count(data_dir, "SELECT count(*) FROM name_match"), before);
    /* Nor can a person outside the course be chosen. */
    assert_int_equal(post_match("interprete en", "999999"), 422);
    assert_int_equal(db_count(data_dir, "SELECT count(*) FROM name_match"), before);
}

static void interpreter_dismissed_and_undone(void **state)
{
    (void)state;
    import_report();
    json_t *g = grid();
    json_t *u = unassigned(g, "unmatched", "Intérprete EN");
    assert_non_null(u);
    char key[256];
    snprintf(key, sizeof key, "%s", json_string_value(json_object_get(u, "name_key")));
    json_decref(g);
    long ana_before, luis_before;
    g = grid();
    ana_before = first_day_minutes(g, "ana.perez@example.org");
    luis_before = first_day_minutes(g, "luis.gomez@example.org");
    json_decref(g);

    assert_int_equal(post_match(key, "0"), 303);
    char q[400];
    snprintf(q, sizeof q, "SELECT count(*) FROM name_match WHERE name_key = '%s'"
             " AND application_id IS NULL", key);
    assert_int_equal(db_count(data_dir, q), 1);
    g = grid();
    assert_null(unassigned(g, "unmatched", "Intérprete EN"));
    assert_non_null(unassigned(g, "not_participants", "Intérprete EN"));
    /* The interpreter's minutes went to nobody. */
    assert_int_equal(first_day_minutes(g, "ana.perez@example.org"), ana_before);
    assert_int_equal(first_day_minutes(g, "luis.gomez@example.org"), luis_before);
    json_decref(g);

    /* Remembered in a later import. */
    import_report();
    g = grid();
    assert_null(unassigned(g, "unmatched", "Intérprete EN"));
    json_decref(g);

    /* Undone: the row waits for a decision again. */
    char *k = curl_easy_escape(NULL, key, 0);
    char body[600];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&name_key=%s", atoken, k);
    curl_free(k);
    struct http_response r;
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/unmatch", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(db_count(data_dir, q), 0);
    g = grid();
    assert_non_null(unassigned(g, "unmatched", "Intérprete EN"));
    json_decref(g);
}

static void meetings_of_every_day_saved_together(void **state)
{
    (void)state;
    long d1 = db_course_day(data_dir, "cyberdiplomacy", "2022-03-21"), d2 = db_course_day(data_dir, "cyberdiplomacy", "2022-03-22");
    assert_true(d1 > 0 && d2 > 0);
    char body[1200];
    snprintf(body, sizeof body,
             "csrf=%s"
             "&day=%ld&platform=zoom&join_url=https%%3A%%2F%%2Fzoom.example%%2Fj%%2F111&meeting_id=111&passcode=p1"
             "&day=%ld&platform=teams&join_url=https%%3A%%2F%%2Fteams.example%%2Fm%%2F222&meeting_id=&passcode=",
             atoken, d1, d2);
    struct http_response r;
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/meetings", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char q[200], out[200];
    snprintf(q, sizeof q, "SELECT join_url FROM meeting WHERE course_day_id = %ld", d1);
    db_query(data_dir, q, out, sizeof out);
    assert_string_equal(out, "https://zoom.example/j/111");
    snprintf(q, sizeof q, "SELECT platform || ' ' || join_url FROM meeting WHERE course_day_id = %ld", d2);
    db_query(data_dir, q, out, sizeof out);
    assert_string_equal(out, "teams https://teams.example/m/222");

    /* The page shows each day's own platform chosen. */
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/meetings", h, &r));
    char needle[80];
    snprintf(needle, sizeof needle, "id=\"p-%ld\"", d2);
    const char *sel = strstr(r.body, needle);
    assert_non_null(sel);
    const char *end = strstr(sel, "</select>");
    const char *teams = strstr(sel, "<option value=\"teams\" selected>");
    assert_true(teams && teams < end);
    http_free(&r);

    /* One wrong address: nothing is saved, and what was typed comes back. */
    snprintf(body, sizeof body,
             "csrf=%s"
             "&day=%ld&platform=zoom&join_url=https%%3A%%2F%%2Fzoom.example%%2Fj%%2F333&meeting_id=333&passcode="
             "&day=%ld&platform=zoom&join_url=not-an-address&meeting_id=&passcode=",
             atoken, d1, d2);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/meetings", body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "https://zoom.example/j/333"));
    assert_non_null(strstr(r.body, "not-an-address"));
    assert_non_null(strstr(r.body, "aria-invalid=\"true\""));
    http_free(&r);
    snprintf(q, sizeof q, "SELECT join_url FROM meeting WHERE course_day_id = %ld", d1);
    db_query(data_dir, q, out, sizeof out);
    assert_string_equal(out, "https://zoom.example/j/111");

    /* A day of no course of this edition is refused. */
    snprintf(body, sizeof body, "csrf=%s&day=999999&platform=zoom&join_url=&meeting_id=&passcode=",
             atoken);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/meetings", body, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(personal_email_confirmed_is_credited),
        cmocka_unit_test(assignment_starts_empty),
        cmocka_unit_test(interpreter_dismissed_and_undone),
        cmocka_unit_test(meetings_of_every_day_saved_together),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
