/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of rules people rely on that no other test held: time
 * in Zoom's waiting room is not attendance, the longest-waiting candidate
 * takes a freed place, refused status changes stay refused, a sign-in link
 * lasts 30 minutes, byte ranges past the end of a file, and uploads refused
 * by who asks before their body is read. */
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
static char admin[400], admin_token[64];
static char bearer[300];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    const char *cyb[] = {"elena.castro@example.org", "jorge.vidal@example.org",
                         "rosa.mendez@example.org", "tomas.ibanez@example.org",
                         "alice@example.org"};
    for (size_t i = 0; i < sizeof cyb / sizeof cyb[0]; i++)
        add_registered_participant(data_dir, cyb[i], "cyberdiplomacy");
    if (!serve_start(&srv, data_dir))
        return -1;
    char token[200];
    if (run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                 "admin@example.org", NULL) != 0)
        return -1;
    token[strcspn(token, "\n")] = '\0';
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", token);
    return sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static json_t *get_json(const char *path, const char *header)
{
    struct http_response r;
    const char *h[] = {header, NULL};
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    json_error_t err;
    json_t *j = json_loadb(r.body, r.body_len, 0, &err);
    http_free(&r);
    if (!j)
        fail_msg("%s is not JSON: %s", path, err.text);
    return j;
}

/* Minutes of one participant on the first day of cyberdiplomacy, from the
 * row of the console's grid that carries their email. */
static long first_day_minutes(const char *email)
{
    json_t *grid = get_json("/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
                            admin);
    json_t *row;
    size_t i;
    long v = -1;
    json_array_foreach(json_object_get(grid, "rows"), i, row) {
        if (strcmp(json_string_value(json_object_get(row, "email")), email) != 0)
            continue;
        json_t *day = json_array_get(json_object_get(row, "days"), 0);
        assert_string_equal(json_string_value(json_object_get(day, "date")), "2022-03-21");
        v = (long)json_integer_value(json_object_get(day, "minutes"));
    }
    json_decref(grid);
    if (v < 0)
        fail_msg("%s not in the grid", email);
    return v;
}

static void waiting_room_time_is_not_attendance(void **state)
{
    (void)state;
    char fixture[512], out[2048];
    source_path("tests/fixtures/zoom/participants_current_with_meeting.csv", fixture, sizeof fixture);
    assert_int_equal(run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-21", "--tz", "America/Caracas", fixture, NULL), 0);
    /* Day 1 is 09:00-13:00 Caracas.  Jorge waited 08:58-09:03:30 and then
     * attended 09:03:30-12:45: 221 minutes (225 if the wait counted). */
    assert_int_equal(first_day_minutes("jorge.vidal@example.org"), 221);
    /* Rosa never left the waiting room. */
    assert_int_equal(first_day_minutes("rosa.mendez@example.org"), 0);
    /* The rows around them still count: Elena the whole day, Tomás's two
     * overlapping rows once. */
    assert_int_equal(first_day_minutes("elena.castro@example.org"), 240);
    assert_int_equal(first_day_minutes("tomas.ibanez@example.org"), 180);
}

static char *status_of(const char *email, char *out, size_t n)
{
    char q[400];
    snprintf(q, sizeof q, "SELECT en.status FROM enrolment en JOIN application a ON a.id ="
             " en.application_id WHERE a.email = '%s'", email);
    db_query(data_dir, q, out, n);
    return out;
}

static long application_of(const char *email)
{
    char q[300], out[32];
    snprintf(q, sizeof q, "SELECT id FROM application WHERE email = '%s'", email);
    db_query(data_dir, q, out, sizeof out);
    return atol(out);
}

/* POSTs a decision through the API; the JSON answer's first result goes to
 * result. */
static long decide(const char *email, const char *status, char *result, size_t n)
{
    char url[300], body[100];
    snprintf(url, sizeof url, "%s/api/v1/applications/%ld/decision", srv.origin,
             application_of(email));
    snprintf(body, sizeof body, "{\"status\": \"%s\"}", status);
    const char *h[] = {bearer, "Content-Type: application/json", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, body, strlen(body), &r));
    long code = r.status;
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    const char *res = json_string_value(
        json_object_get(json_array_get(json_object_get(j, "results"), 0), "result"));
    snprintf(result, n, "%s", res ? res : "");
    json_decref(j);
    http_free(&r);
    return code;
}

static void a_freed_place_goes_to_the_longest_waiting(void **state)
{
    (void)state;
    /* Techplomacy with one place, held by one accepted candidate; two wait.
     * The one who joined the list first has the higher id, so neither the
     * order of ids nor the order of rows can stand in for the rule. */
    const char *people[] = {"holder@example.org", "waited-less@example.org",
                            "waited-longer@example.org"};
    for (size_t i = 0; i < 3; i++)
        add_registered_participant(data_dir, people[i], "techplomacy");
    db_query(data_dir, "UPDATE course SET capacity = 1 WHERE slug = 'techplomacy'", NULL, 0);
    db_query(data_dir, "UPDATE enrolment SET status = 'accepted' WHERE application_id ="
             " (SELECT id FROM application WHERE email = 'holder@example.org')", NULL, 0);
    db_query(data_dir, "UPDATE enrolment SET status = 'waitlisted',"
             " waitlisted_at = '2026-01-02T10:00:00Z' WHERE application_id ="
             " (SELECT id FROM application WHERE email = 'waited-less@example.org')", NULL, 0);
    db_query(data_dir, "UPDATE enrolment SET status = 'waitlisted',"
             " waitlisted_at = '2026-01-01T09:00:00Z' WHERE application_id ="
             " (SELECT id FROM application WHERE email = 'waited-longer@example.org')", NULL, 0);
    char result[32], st[32];
    /* The course is full: nobody waiting can be accepted over the limit. */
    assert_int_equal(decide("waited-longer@example.org", "accepted", result, sizeof result), 409);
    assert_string_equal(result, "full");
    assert_string_equal(status_of("waited-longer@example.org", st, sizeof st), "waitlisted");
    /* The holder is rejected: the place goes to the one who waited longer. */
    assert_int_equal(decide("holder@example.org", "rejected", result, sizeof result), 200);
    assert_string_equal(result, "done");
    assert_string_equal(status_of("holder@example.org", st, sizeof st), "rejected");
    assert_string_equal(status_of("waited-longer@example.org", st, sizeof st), "accepted");
    assert_string_equal(status_of("waited-less@example.org", st, sizeof st), "waitlisted");
    char q[300], out[32];
    snprintf(q, sizeof q, "SELECT count(*) FROM outbox WHERE kind = 'decision.promoted' AND"
             " application_id = %ld", application_of("waited-longer@example.org"));
    db_query(data_dir, q, out, sizeof out);
    assert_int_equal(atoi(out), 1);
    db_query(data_dir, "SELECT count(*) FROM outbox WHERE kind = 'decision.promoted'", out, sizeof out);
    assert_int_equal(atoi(out), 1);
}

static void changes_outside_the_table_are_refused(void **state)
{
    (void)state;
    char result[32], st[32];
    /* A registered participant cannot be rejected or put back on the list. */
    assert_int_equal(decide("alice@example.org", "rejected", result, sizeof result), 409);
    assert_string_equal(result, "not_allowed");
    assert_string_equal(status_of("alice@example.org", st, sizeof st), "registered");
    assert_int_equal(decide("alice@example.org", "waitlisted", result, sizeof result), 409);
    assert_string_equal(result, "not_allowed");
    assert_string_equal(status_of("alice@example.org", st, sizeof st), "registered");
    /* Someone who withdrew is not taken back. */
    db_query(data_dir, "UPDATE enrolment SET status = 'withdrawn' WHERE application_id ="
             " (SELECT id FROM application WHERE email = 'tomas.ibanez@example.org')", NULL, 0);
    assert_int_equal(decide("tomas.ibanez@example.org", "accepted", result, sizeof result), 409);
    assert_string_equal(result, "not_allowed");
    assert_string_equal(status_of("tomas.ibanez@example.org", st, sizeof st), "withdrawn");
    /* Nothing was recorded for the refused changes. */
    char out[32];
    db_query(data_dir, "SELECT count(*) FROM audit_log WHERE subject IN (SELECT 'enrolment:' || en.id"
             " FROM enrolment en JOIN application a ON a.id = en.application_id WHERE a.email IN"
             " ('alice@example.org', 'tomas.ibanez@example.org'))", out, sizeof out);
    assert_int_equal(atoi(out), 0);
    /* An allowed change still goes through (a rejection may be reconsidered). */
    assert_int_equal(decide("holder@example.org", "waitlisted", result, sizeof result), 200);
    assert_string_equal(result, "done");
    assert_string_equal(status_of("holder@example.org", st, sizeof st), "waitlisted");
}

/* Asks for a sign-in link for email; its path (/login/...) goes to path. */
static void ask_for_link(const char *email, char *path, size_t n)
{
    char cookie[200], token[64], hdr[220], body[300];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, token, sizeof token));
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    const char *at = strchr(email, '@');
    snprintf(body, sizeof body, "csrf=%s&email=%.*s%%40%s&password=", token, (int)(at - email),
             email, at + 1);
    struct http_response r;
    assert_true(post_form(&srv, hdr, "/login", body, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    /* As delivered: the outbox keeps the token masked. */
    assert_true(mail_link(data_dir, email, "signin.link", "/login/", path, n));
}

static void a_sign_in_link_lasts_thirty_minutes(void **state)
{
    (void)state;
    char path[200], out[64];
    ask_for_link("jorge.vidal@example.org", path, sizeof path);
    /* Stored to expire 30 minutes after it was made. */
    db_query(data_dir, "SELECT CAST(round((julianday(expires_at) - julianday(created_at)) * 86400)"
             " AS INTEGER) FROM signin_token ORDER BY rowid DESC LIMIT 1", out, sizeof out);
    assert_int_equal(atoi(out), 30 * 60);
    /* One second past its expiry it no longer signs anyone in. */
    db_query(data_dir, "UPDATE signin_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
             " '-1 seconds') WHERE rowid = (SELECT max(rowid) FROM signin_token)", NULL, 0);
    struct http_response r;
    char session[128], cookie[200], token[64];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, token, sizeof token));
    assert_false(use_signin_link(&srv, path, cookie, token, session, sizeof session, &r));
    assert_int_not_equal(r.status, 303);
    assert_non_null(strstr(r.body, "Este enlace ha caducado"));
    http_free(&r);
    /* A link with a minute left works, once. */
    ask_for_link("jorge.vidal@example.org", path, sizeof path);
    db_query(data_dir, "UPDATE signin_token SET expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
             " '+60 seconds') WHERE rowid = (SELECT max(rowid) FROM signin_token)", NULL, 0);
    assert_true(use_signin_link(&srv, path, cookie, token, session, sizeof session, &r));
    http_free(&r);
    assert_false(use_signin_link(&srv, path, cookie, token, session, sizeof session, &r));
    assert_non_null(strstr(r.body, "Este enlace ya se usó"));
    http_free(&r);
}

/* A 3000-byte file as a material of cyberdiplomacy; its id. */
static unsigned char blob[3000];

static long upload_material(void)
{
    static const unsigned char head[] = {0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01,
                                         0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42,
                                         0xf3, 0x81, 0x08, 0x42, 0x82, 0x84, 'w', 'e', 'b', 'm',
                                         0x42, 0x87, 0x81, 0x02, 0x42, 0x85, 0x81, 0x02};
    memcpy(blob, head, sizeof head);
    for (size_t i = sizeof head; i < sizeof blob; i++)
        blob[i] = (unsigned char)(i * 13 + 5);
    static char body[8192];
    size_t n = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"title_es\"\r\n\r\nGrabación\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"title_en\"\r\n\r\nRecording\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ranges.webm\"\r\n"
        "Content-Type: application/octet-stream\r\n\r\n", admin_token);
    memcpy(body + n, blob, sizeof blob);
    n += sizeof blob;
    n += (size_t)snprintf(body + n, sizeof body - n, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/materials", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, body, n, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char out[32];
    db_query(data_dir, "SELECT id FROM material WHERE file_name = 'ranges.webm'", out, sizeof out);
    return atol(out);
}

/* GETs path with a Range header as alice; checks status, Content-Range,
 * Content-Length and that the bytes are the file's from..from+len-1. */
static void expect_range(const char *alice, const char *path, const char *range, long status,
                         const char *content_range, size_t from, size_t len)
{
    char rh[100], v[100];
    snprintf(rh, sizeof rh, "Range: %s", range);
    const char *h[] = {alice, rh, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    if (r.status != status)
        fail_msg("%s: status %ld, want %ld", range, r.status, status);
    assert_true(header_value(&r, "Content-Range", v, sizeof v));
    if (strcmp(v, content_range) != 0)
        fail_msg("%s: Content-Range %s, want %s", range, v, content_range);
    if (status == 206) {
        assert_true(header_value(&r, "Content-Length", v, sizeof v));
        assert_int_equal(atol(v), (long)len);
        assert_int_equal(r.body_len, len);
        assert_memory_equal(r.body, blob + from, len);
    } else {
        assert_int_equal(r.body_len, 0);
    }
    http_free(&r);
}

/* A Range header that is not one well-formed byte range is ignored: the
 * whole file, with 200. */
static void expect_whole(const char *alice, const char *path, const char *range)
{
    char rh[100], v[100];
    snprintf(rh, sizeof rh, "Range: %s", range);
    const char *h[] = {alice, rh, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    if (r.status != 200)
        fail_msg("%s: status %ld, want 200", range, r.status);
    assert_false(header_value(&r, "Content-Range", v, sizeof v));
    assert_int_equal(r.body_len, sizeof blob);
    assert_memory_equal(r.body, blob, sizeof blob);
    http_free(&r);
}

static void ranges_past_the_end_of_a_file(void **state)
{
    (void)state;
    long id = upload_material();
    assert_true(id > 0);
    char alice[400], alice_token[64], path[64];
    assert_true(sign_in_by_link(&srv, data_dir, "alice@example.org", alice, sizeof alice,
                                alice_token, sizeof alice_token));
    snprintf(path, sizeof path, "/materials/%ld", id);
    /* Starts inside, ends past the end: the bytes that exist. */
    expect_range(alice, path, "bytes=2990-5000", 206, "bytes 2990-2999/3000", 2990, 10);
    expect_range(alice, path, "bytes=2999-3000", 206, "bytes 2999-2999/3000", 2999, 1);
    expect_range(alice, path, "bytes=0-99999999999999999999", 206, "bytes 0-2999/3000", 0, 3000);
    expect_range(alice, path, "bytes=1500-2999", 206, "bytes 1500-2999/3000", 1500, 1500);
    /* Open-ended: up to the last byte, not one further. */
    expect_range(alice, path, "bytes=2990-", 206, "bytes 2990-2999/3000", 2990, 10);
    expect_range(alice, path, "bytes=0-", 206, "bytes 0-2999/3000", 0, 3000);
    /* A suffix longer than the file is the whole file. */
    expect_range(alice, path, "bytes=-5000", 206, "bytes 0-2999/3000", 0, 3000);
    expect_range(alice, path, "bytes=-1", 206, "bytes 2999-2999/3000", 2999, 1);
    /* Starting exactly at the end, or after it, is unsatisfiable. */
    expect_range(alice, path, "bytes=3000-", 416, "bytes */3000", 0, 0);
    expect_range(alice, path, "bytes=3000-3000", 416, "bytes */3000", 0, 0);
    expect_range(alice, path, "bytes=3001-4000", 416, "bytes */3000", 0, 0);
    expect_range(alice, path, "bytes=-0", 416, "bytes */3000", 0, 0);
    /* Not a byte range: ignored. */
    expect_whole(alice, path, "bytes=5x10");
    expect_whole(alice, path, "bytes=x-5");
    expect_whole(alice, path, "bytes=10-5");
    expect_whole(alice, path, "bytes=5-10x");
    expect_whole(alice, path, "items=0-5");
    expect_whole(alice, path, "bytes=0-1,5-6");
}

/* A multipart POST of a small Zoom report to path, with one extra header. */
static long post_report(const char *cookies, const char *csrf, const char *path, const char *extra,
                        struct http_response *r)
{
    char fixture[512];
    source_path("tests/fixtures/zoom/meeting_participants_old.csv", fixture, sizeof fixture);
    FILE *f = fopen(fixture, "rb");
    assert_non_null(f);
    static char data[8192], body[16384];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2022-03-21\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n", csrf);
    memcpy(body + len, data, n);
    len += n;
    len += (size_t)snprintf(body + len, sizeof body - len, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s%s", srv.origin, path);
    const char *h[] = {"Content-Type: multipart/form-data; boundary=XyZ", cookies, extra, NULL};
    assert_true(http("POST", url, h, body, len, r));
    return r->status;
}

static void uploads_are_refused_by_who_asks(void **state)
{
    (void)state;
    struct http_response r;
    char out[32];
    const char *import = "/admin/events/sela-2022/attendance/import";
    /* Nobody signed in: sent to sign in before a byte is read, whatever the
     * console page; the API answers 401. */
    char loc[300];
    assert_int_equal(post_report(NULL, "x", import, NULL, &r), 303);
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_true(strncmp(loc, "/login", 6) == 0);
    http_free(&r);
    assert_int_equal(post_report(NULL, "x", "/admin/events/sela-2022/materials", NULL, &r), 303);
    http_free(&r);
    assert_int_equal(post_report(NULL, "x", "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials",
                                 NULL, &r), 401);
    http_free(&r);
    /* A participant: 403, in the language they read. */
    char alice[400], alice_token[64];
    assert_true(sign_in_by_link(&srv, data_dir, "alice@example.org", alice, sizeof alice,
                                alice_token, sizeof alice_token));
    assert_int_equal(post_report(alice, alice_token, "/admin/events/sela-2022/materials",
                                 "Accept-Language: en", &r), 403);
    assert_non_null(strstr(r.body, "You do not have permission"));
    http_free(&r);
    /* A trainer is below the coordinator that importing attendance needs. */
    char trainer[400], trainer_token[64];
    assert_true(sign_in(&srv, "trainer%40example.org", "trainer-password-1", trainer,
                        sizeof trainer, trainer_token, sizeof trainer_token));
    assert_int_equal(post_report(trainer, trainer_token, import, NULL, &r), 403);
    http_free(&r);
    db_query(data_dir, "SELECT count(*) FROM attendance_import i JOIN course_day d ON d.id ="
             " i.course_day_id WHERE d.day = '2022-03-21' AND i.imported_by = 'coordinator@example.org'",
             out, sizeof out);
    assert_int_equal(atoi(out), 0);
    /* A coordinator has exactly the level needed. */
    char coord[400], coord_token[64];
    assert_true(sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                        sizeof coord, coord_token, sizeof coord_token));
    /* (The upload is previewed; confirming it imports it.) */
    assert_int_equal(post_report(coord, coord_token, import, NULL, &r), 200);
    char preview[128];
    assert_true(preview_token(&r, preview, sizeof preview));
    http_free(&r);
    assert_int_equal(confirm_preview(&srv, "sela-2022", coord, coord_token, preview, "import", NULL,
                                     &r), 303);
    http_free(&r);
    db_query(data_dir, "SELECT count(*) FROM attendance_import i JOIN course_day d ON d.id ="
             " i.course_day_id WHERE d.day = '2022-03-21' AND i.imported_by = 'coordinator@example.org'",
             out, sizeof out);
    assert_int_equal(atoi(out), 1);
    /* An upload that is not a form at all is refused as such. */
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/materials", srv.origin);
    const char *h[] = {admin, "Content-Type: text/plain",
                       "Accept-Language: en", NULL};
    char body[100];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy", admin_token);
    assert_true(http("POST", url, h, body, strlen(body), &r));
    assert_int_equal(r.status, 400);
    assert_non_null(strstr(r.body, "multipart/form-data"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(waiting_room_time_is_not_attendance),
        cmocka_unit_test(a_freed_place_goes_to_the_longest_waiting),
        cmocka_unit_test(changes_outside_the_table_are_refused),
        cmocka_unit_test(a_sign_in_link_lasts_thirty_minutes),
        cmocka_unit_test(ranges_past_the_end_of_a_file),
        cmocka_unit_test(uploads_are_refused_by_who_asks),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
