/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of meetings, join links and Zoom attendance: exact
 * minutes, people who share a display name, confirmations by name, and
 * meeting secrets kept from everyone but the course's participants. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "import_preview.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char ana[400], anatok[64];   /* ana.perez, cyberdiplomacy */
static char bob[400], bobtok[64];   /* techplomacy only */

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    const char *cyb[] = {"ana.perez@example.org", "ana.torres@example.org",
                         "luis.gomez@example.org", "marta.ruiz@example.org"};
    for (size_t i = 0; i < 4; i++)
        add_registered_participant(data_dir, cyb[i], "cyberdiplomacy");
    add_registered_participant(data_dir, "bob@example.org", "techplomacy");
    /* Names as the fixture's people would have typed them. */
    db_query(data_dir, "UPDATE application SET given_names = 'Ana María', family_names = 'Pérez'"
                       " WHERE email = 'ana.perez@example.org'", NULL, 0);
    db_query(data_dir, "UPDATE application SET given_names = 'Ana Belén', family_names = 'Torres'"
                       " WHERE email = 'ana.torres@example.org'", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in_by_link(&srv, data_dir, "ana.perez@example.org", ana, sizeof ana, anatok,
                           sizeof anatok) &&
           sign_in_by_link(&srv, data_dir, "bob@example.org", bob, sizeof bob, bobtok,
                           sizeof bobtok) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* Uploads a fixture as the admin and, when it is accepted, checks that its
 * preview changed nothing and confirms it: the status is the refusal's or
 * the confirmation's.  extra is one more request header (such as the
 * language asked for) or NULL. */
static long upload_report_with(const char *extra, const char *course, const char *date,
                               const char *fixture, struct http_response *r)
{
    char path[512];
    source_path(fixture, path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char data[65536];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    static char body[80000];
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n", atoken, course, date);
    memcpy(body + len, data, n);
    len += n;
    len += (size_t)snprintf(body + len, sizeof body - len, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/attendance/import", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", extra, NULL};
    char before[4096];
    import_fingerprint(data_dir, before, sizeof before);
    assert_true(http("POST", url, h, body, len, r));
    return confirm_upload(&srv, data_dir, before, "sela-2022", admin, atoken, extra, r);
}

static long upload_report(const char *course, const char *date, const char *fixture,
                          struct http_response *r)
{
    return upload_report_with(NULL, course, date, fixture, r);
}

/* One participant's row of the console's JSON grid (a new reference),
 * found by its email; the test fails when the row is missing. */
static json_t *grid_row(const char *email)
{
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json", h, &r));
    assert_int_equal(r.status, 200);
    json_error_t err;
    json_t *grid = json_loadb(r.body, r.body_len, 0, &err);
    http_free(&r);
    if (!grid)
        fail_msg("the grid is not JSON: %s", err.text);
    json_t *found = NULL, *row;
    size_t i;
    json_array_foreach(json_object_get(grid, "rows"), i, row) {
        const char *e = json_string_value(json_object_get(row, "email"));
        if (e && strcmp(e, email) == 0 && !found)
            found = json_incref(row);
    }
    json_decref(grid);
    if (!found)
        fail_msg("%s not in the grid", email);
    return found;
}

/* The minutes of one participant on one course day of the grid. */
static long minutes_of(const char *email, int day_index)
{
    json_t *row = grid_row(email);
    json_t *day = json_array_get(json_object_get(row, "days"), (size_t)day_index);
    if (!json_is_integer(json_object_get(day, "minutes")))
        fail_msg("%s has no minutes for day %d", email, day_index);
    long v = (long)json_integer_value(json_object_get(day, "minutes"));
    json_decref(row);
    return v;
}

/* Whether the grid says the participant met the course's rule. */
static bool rule_met(const char *email)
{
    json_t *row = grid_row(email);
    json_t *met = json_object_get(row, "met");
    if (!json_is_boolean(met))
        fail_msg("%s has no \"met\"", email);
    bool v = json_is_true(met);
    json_decref(row);
    return v;
}

static void import_gives_exact_minutes(void **state)
{
    (void)state;
    struct http_response r;
    assert_int_equal(upload_report("cyberdiplomacy", "2022-03-21",
                                   "tests/fixtures/zoom/meeting_participants_old.csv", &r), 303);
    http_free(&r);
    /* Day 1 is 09:00-13:00 Caracas.  Ana Pérez: 09:02:13-10:30 and
     * 10:35-13:00 (left at 13:10) = 232 min 47 s.  Luis: 09:00-12:00 (joined
     * 08:45), the phone 11:00-11:30 overlaps, 12:20:30-12:40 = 199 min 30 s. */
    assert_int_equal(minutes_of("ana.perez@example.org", 0), 232);
    assert_int_equal(minutes_of("luis.gomez@example.org", 0), 199);
    assert_int_equal(minutes_of("marta.ruiz@example.org", 0), 240);
    /* Ana Torres shares the display name "Ana" and gets only her own row. */
    assert_int_equal(minutes_of("ana.torres@example.org", 0), 30);
    /* Importing the same day again replaces the import. */
    assert_int_equal(upload_report("cyberdiplomacy", "2022-03-21",
                                   "tests/fixtures/zoom/meeting_participants_old.csv", &r), 303);
    http_free(&r);
    char out[32];
    db_query(data_dir, "SELECT count(*) FROM attendance_row", out, sizeof out);
    assert_int_equal(atoi(out), 11);
    assert_int_equal(minutes_of("ana.perez@example.org", 0), 232);
}

static void unmatched_rows_wait_for_confirmation(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy", h, &r));
    assert_non_null(strstr(r.body, "Invitado"));
    assert_non_null(strstr(r.body, "Dial-in"));
    http_free(&r);
    /* The guest row has no email: nothing is attributed until confirmed. */
    assert_int_equal(minutes_of("ana.torres@example.org", 0), 30);
    char body[300];
    /* No choice at all is refused and attributes nothing (0 would mean
     * "not a participant", a decision of its own). */
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&name_key=invitado&application=%s",
             atoken, "");
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/match", body, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
    char out[32];
    db_query(data_dir, "SELECT count(*) FROM name_match", out, sizeof out);
    assert_int_equal(atoi(out), 0);
    assert_int_equal(minutes_of("ana.torres@example.org", 0), 30);
    db_query(data_dir, "SELECT id FROM application WHERE email = 'ana.torres@example.org'", out, sizeof out);
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&name_key=invitado&application=%s",
             atoken, out);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/match", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* 09:00-09:30 and the guest's 09:15-09:45: 45 minutes. */
    assert_int_equal(minutes_of("ana.torres@example.org", 0), 45);
    /* Remembered for later imports of the edition. */
    assert_int_equal(upload_report("cyberdiplomacy", "2022-03-21",
                                   "tests/fixtures/zoom/meeting_participants_old.csv", &r), 303);
    http_free(&r);
    assert_int_equal(minutes_of("ana.torres@example.org", 0), 45);
}

static void override_and_rule(void **state)
{
    (void)state;
    struct http_response r;
    char body[300], out[32];
    db_query(data_dir, "SELECT en.id FROM enrolment en JOIN application a ON a.id ="
                       " en.application_id WHERE a.email = 'marta.ruiz@example.org'", out, sizeof out);
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&enrolment=%s&day=%ld&minutes=240"
             "&reason=Connected+by+phone", atoken, out, db_course_day(data_dir, "cyberdiplomacy", "2022-03-22"));
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/override", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(minutes_of("marta.ruiz@example.org", 1), 240);
    /* Marta now has both days in full; Ana Torres (45 minutes) has not. */
    assert_true(rule_met("marta.ruiz@example.org"));
    assert_false(rule_met("ana.torres@example.org"));
    db_query(data_dir, "SELECT count(*) FROM audit_log WHERE action = 'attendance.override'", out, sizeof out);
    assert_int_equal(atoi(out), 1);
    /* The participant sees their own attendance on /me. */
    assert_true(get_path(&srv, "/me", (const char *const[]){ana, NULL}, &r));
    assert_non_null(strstr(r.body, "232 min"));
    http_free(&r);
    /* The API gives the same numbers. */
    char token[200], auth[260];
    assert_int_equal(run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                              "admin@example.org", NULL), 0);
    token[strcspn(token, "\n")] = '\0';
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/attendance", (const char *const[]){auth, NULL}, &r));
    assert_int_equal(r.status, 200);
    json_t *list = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(list);
    json_t *ana_row = NULL, *it;
    size_t i;
    json_array_foreach(list, i, it) {
        if (strcmp(json_string_value(json_object_get(it, "email")), "ana.perez@example.org") == 0 &&
            strcmp(json_string_value(json_object_get(it, "course")), "cyberdiplomacy") == 0)
            ana_row = it;
    }
    assert_non_null(ana_row);
    json_t *day1 = json_array_get(json_object_get(ana_row, "days"), 0);
    assert_string_equal(json_string_value(json_object_get(day1, "date")), "2022-03-21");
    assert_int_equal(json_integer_value(json_object_get(day1, "minutes")), 232);
    assert_int_equal(json_integer_value(json_object_get(ana_row, "minutes")), 232);
    assert_true(json_is_false(json_object_get(ana_row, "rule_met")));
    json_decref(list);
}

static void assert_in_body(const struct http_response *r, const char *needle)
{
    if (!strstr(r->body, needle))
        fail_msg("\"%s\" not on the page", needle);
}

/* The parser's explanation reaches the console in the coordinator's
 * language: Spanish by default, English when asked for. */
static void refused_reports_explain_themselves(void **state)
{
    (void)state;
    struct http_response r;
    assert_int_equal(upload_report("cyberdiplomacy", "2022-03-22",
                                   "tests/fixtures/zoom/unique_users.csv", &r), 422);
    assert_in_body(&r, "No se importó nada: Este archivo es la exportación de «usuarios únicos»");
    assert_in_body(&r, "Total Duration (Minutes) en lugar de Join Time y Leave Time");
    assert_in_body(&r, "desmarque «Mostrar usuarios únicos»");
    assert_in_body(&r, "Show unique users"); /* Zoom's English label, for an English portal */
    assert_in_body(&r, "vuelva a exportar");
    assert_null(strstr(r.body, "untick"));
    http_free(&r);
    assert_int_equal(upload_report("cyberdiplomacy", "2022-03-22",
                                   "tests/fixtures/zoom/german_headers.csv", &r), 422);
    assert_in_body(&r, "No se encontró una tabla de participantes");
    assert_in_body(&r, "Name (Original Name), User Email, Join Time y Leave Time");
    assert_in_body(&r, "la primera fila del archivo dice «Name (Originalname),E-Mail des Benutzers");
    assert_in_body(&r, "cambie el idioma del portal web de Zoom a inglés (English) y exporte "
                       "nuevamente el informe de participantes.");
    http_free(&r);

    /* The same refusals for a coordinator reading the console in English. */
    assert_int_equal(upload_report_with("Accept-Language: en", "cyberdiplomacy", "2022-03-22",
                                        "tests/fixtures/zoom/unique_users.csv", &r), 422);
    assert_in_body(&r, "Nothing was imported: This is Zoom");
    assert_in_body(&r, "line 1 has Total Duration (Minutes) instead of Join Time and Leave Time");
    assert_in_body(&r, "Show unique users");
    assert_in_body(&r, "and export again.");
    assert_null(strstr(r.body, "usuarios únicos"));
    http_free(&r);
    assert_int_equal(upload_report_with("Accept-Language: en", "cyberdiplomacy", "2022-03-22",
                                        "tests/fixtures/zoom/german_headers.csv", &r), 422);
    assert_in_body(&r, "Name (Original Name), User Email, Join Time and Leave Time");
    assert_in_body(&r, "Nothing was imported: No participant table was found");
    assert_in_body(&r, "language to English and export the Participants report again.");
    http_free(&r);
    /* Nothing of either attempt was imported. */
    char q[120], out[32];
    snprintf(q, sizeof q, "SELECT count(*) FROM attendance_import WHERE course_day_id = %ld",
             db_course_day(data_dir, "cyberdiplomacy", "2022-03-22"));
    db_query(data_dir, q, out, sizeof out);
    assert_int_equal(atoi(out), 0);
}

static void meeting_secrets_only_for_participants(void **state)
{
    (void)state;
    struct http_response r;
    char body[400];
    snprintf(body, sizeof body, "csrf=%s&day=%ld&platform=zoom&join_url=https%%3A%%2F%%2Fzoom.example%%2Fj%%2F99911"
             "&meeting_id=999+11&passcode=SECRETPASS42", atoken, db_course_day(data_dir, "cyberdiplomacy", "2022-03-21"));
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/meetings", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* The participant sees the passcode and a personal join link. */
    assert_true(get_path(&srv, "/me", (const char *const[]){ana, NULL}, &r));
    assert_non_null(strstr(r.body, "SECRETPASS42"));
    const char *j = strstr(r.body, "href=\"/j/");
    assert_non_null(j);
    char link[80];
    snprintf(link, sizeof link, "%.*s", (int)(strchr(j + 6, '"') - (j + 6)), j + 6);
    http_free(&r);
    /* The link opens the meeting and the click is recorded. */
    assert_true(get_path(&srv, link, NULL, &r));
    assert_int_equal(r.status, 302);
    char loc[200];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "https://zoom.example/j/99911");
    http_free(&r);
    char out[32];
    db_query(data_dir, "SELECT coalesce(sum(visits), 0) FROM join_link", out, sizeof out);
    assert_int_equal(atoi(out), 1);
    assert_true(get_path(&srv, "/j/not-a-token", NULL, &r));
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "no existe"));
    assert_null(strstr(r.body, "zoom.example"));
    http_free(&r);
    /* Nobody else sees them: every public route and API, as a stranger and
     * as a participant of the other course. */
    const char *routes[] = {"/", "/events/sela-2022", "/events/sela-2022/agenda",
        "/events/sela-2022/speakers", "/events/sela-2022/courses/cyberdiplomacy",
        "/events/sela-2022/courses/techplomacy", "/events/sela-2022/calendar.ics",
        "/events/sela-2022/courses/cyberdiplomacy/calendar.ics", "/api/v1/events",
        "/api/v1/events/sela-2022", "/events/sela-2022/agenda?format=json",
        "/events/sela-2022/courses/cyberdiplomacy?format=json", "/events/sela-2022/apply",
        "/me", "/events/sela-2022/courses/cyberdiplomacy/materials",
        "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials", "/login"};
    const char *who[][2] = {{"X-Nobody: 1", NULL}, {bob, NULL}};
    for (size_t w = 0; w < 2; w++) {
        for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
            assert_true(get_path(&srv, routes[i], who[w], &r));
            /* Bob has a join link of his own (other course), never Ana's. */
            if (strstr(r.body, "SECRETPASS42") || strstr(r.body, "zoom.example") ||
                strstr(r.body, link))
                fail_msg("%s shows meeting details to %s", routes[i], w ? "bob" : "a stranger");
            http_free(&r);
        }
    }
}

static void revoked_join_link_is_refused(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(get_path(&srv, "/me", (const char *const[]){ana, NULL}, &r));
    const char *j = strstr(r.body, "href=\"/j/");
    assert_non_null(j);
    char link[80];
    snprintf(link, sizeof link, "%.*s", (int)(strchr(j + 6, '"') - (j + 6)), j + 6);
    http_free(&r);
    char out[32], body[300];
    db_query(data_dir, "SELECT en.id FROM enrolment en JOIN application a ON a.id ="
                       " en.application_id WHERE a.email = 'ana.perez@example.org'", out, sizeof out);
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&enrolment=%s", atoken, out);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/revoke-link", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_true(get_path(&srv, link, NULL, &r));
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "anulado"));
    assert_null(strstr(r.body, "zoom.example"));
    http_free(&r);
    /* The participant's page now carries a new link. */
    assert_true(get_path(&srv, "/me", (const char *const[]){ana, NULL}, &r));
    assert_non_null(strstr(r.body, "href=\"/j/"));
    assert_null(strstr(r.body, link));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(import_gives_exact_minutes),
        cmocka_unit_test(unmatched_rows_wait_for_confirmation),
        cmocka_unit_test(override_and_rule),
        cmocka_unit_test(refused_reports_explain_themselves),
        cmocka_unit_test(meeting_secrets_only_for_participants),
        cmocka_unit_test(revoked_join_link_is_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
