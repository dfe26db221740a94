/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A Zoom report of 100,000 rows for one course day must not take the
 * server down (issue #11, finding 2): every page of a participant and of
 * the coordinator answers 200 or a clean 503 for that request alone, the
 * server stays up, and the pages that grow with the data are bounded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

enum { ROWS = 100000 };

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char coord[400], ctoken[64];
static char ana[400], anatok[64];
static char api_auth[200];

/* The report: ana (registered) connects 100 times during the first hour,
 * and once more under a typed name without email (only a suggestion), a
 * few people without email share a display name, and everyone else is a
 * different stranger, half with an email and half without. */
static void write_report(const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
          "Recording Consent\n", f);
    for (int i = 0; i < ROWS; i++) {
        if (i % 1000 == 0)
            fprintf(f, "Ana (Ana María Pérez),ana.perez@example.org,03/21/2022 09:00:00 AM,"
                       "03/21/2022 10:00:00 AM,60,No,Y\n");
        else if (i % 1000 == 1)
            fprintf(f, "Dial-in user,,03/21/2022 09:00:00 AM,03/21/2022 09:10:00 AM,10,Yes,\n");
        else if (i == 2)
            fprintf(f, "ana perez,,03/21/2022 11:00:00 AM,03/21/2022 11:20:00 AM,20,Yes,\n");
        else if (i % 2)
            fprintf(f, "Visitante %d,,03/21/2022 09:00:00 AM,03/21/2022 09:30:00 AM,30,Yes,\n", i);
        else
            fprintf(f, "Guest %d,guest%d@elsewhere.example,03/21/2022 10:00:00 AM,"
                       "03/21/2022 11:00:00 AM,60,No,Y\n", i, i);
    }
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "ana.perez@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "ana.perez@example.org", "techplomacy");
    add_registered_participant(data_dir, "luis.gomez@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'Ana María', family_names = 'Pérez'"
                       " WHERE email = 'ana.perez@example.org'", NULL, 0);
    char csv[400], out[4096];
    snprintf(csv, sizeof csv, "%s/big.csv", data_dir);
    write_report(csv);
    if (run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir, "--event",
                 "sela-2022", "--course", "cyberdiplomacy", "--date", "2022-03-21", "--tz",
                 "America/Caracas", csv, NULL) != 0) {
        fprintf(stderr, "import failed: %s\n", out);
        return -1;
    }
    char rows[32];
    db_query(data_dir, "SELECT count(*) FROM attendance_row", rows, sizeof rows);
    if (atol(rows) != ROWS)
        return -1;
    char token[128];
    if (run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                 "coordinator@example.org", NULL) != 0)
        return -1;
    token[strcspn(token, "\r\n")] = '\0';
    snprintf(api_auth, sizeof api_auth, "Authorization: Bearer %s", token);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) &&
           sign_in_by_link(&srv, data_dir, "ana.perez@example.org", ana, sizeof ana, anatok,
                           sizeof anatok) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static void assert_alive(const char *after)
{
    struct http_response r;
    if (!get_path(&srv, "/healthz", NULL, &r))
        fail_msg("the server died answering %s", after);
    if (r.status != 200)
        fail_msg("/healthz answered %ld after %s", r.status, after);
    http_free(&r);
}

/* GETs path with the given header; the answer must be 200, or a 503 that
 * says why in the visitor's language.  Returns the status. */
static long get_ok_or_busy(const char *header, const char *path)
{
    struct http_response r;
    const char *h[] = {header, NULL};
    if (!get_path(&srv, path, h, &r))
        fail_msg("no answer to %s (the server crashed?)", path);
    long status = r.status;
    if (status != 200 && status != 503)
        fail_msg("%s answered %ld", path, status);
    if (status == 503) {
        /* The page explains itself, in Spanish unless English was asked for. */
        bool en = strstr(path, "lang=en") != NULL;
        if (!r.body || !strstr(r.body, en ? "memory" : "memoria"))
            fail_msg("%s: a 503 without an explanation", path);
    }
    if (status == 200 && r.body_len == 0 && strstr(path, ".xlsx") == NULL)
        fail_msg("%s: an empty 200", path);
    http_free(&r);
    assert_alive(path);
    return status;
}

/* Every page of the coordinator, the admin, the API and a participant;
 * returns how many were 503. */
static int sweep(void)
{
    int busy = 0;
    static const char *const coordinator_pages[] = {
        "/admin",
        "/admin/events/sela-2022/applications",
        "/admin/events/sela-2022/applications.csv",
        "/admin/events/sela-2022/applications.xlsx",
        "/admin/events/sela-2022/attendance",
        "/admin/events/sela-2022/attendance?course=cyberdiplomacy",
        "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
        "/admin/events/sela-2022/attendance?course=techplomacy",
        "/admin/events/sela-2022/attendance.csv?course=cyberdiplomacy",
        "/admin/events/sela-2022/attendance.xlsx?course=cyberdiplomacy",
        "/admin/events/sela-2022/certificates",
        "/admin/events/sela-2022/certificates?course=cyberdiplomacy",
        "/admin/events/sela-2022/certificates?course=cyberdiplomacy&format=json",
        "/admin/events/sela-2022/meetings",
        "/admin/events/sela-2022/materials",
        "/admin/outbox",
        NULL,
    };
    for (size_t i = 0; coordinator_pages[i]; i++) {
        busy += get_ok_or_busy(coord, coordinator_pages[i]) == 503;
        busy += get_ok_or_busy(admin, coordinator_pages[i]) == 503;
    }
    busy += get_ok_or_busy(admin, "/admin/events/sela-2022") == 503;
    busy += get_ok_or_busy(admin, "/admin/audit") == 503;
    static const char *const api_pages[] = {
        "/api/v1/events/sela-2022/attendance",
        "/api/v1/events/sela-2022/applications",
        "/api/v1/events/sela-2022/certificates",
        NULL,
    };
    for (size_t i = 0; api_pages[i]; i++)
        busy += get_ok_or_busy(api_auth, api_pages[i]) == 503;
    static const char *const participant_pages[] = {
        "/me",
        "/me?format=json",
        "/me?lang=en",
        "/events/sela-2022/courses/cyberdiplomacy/materials",
        "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials",
        "/events/sela-2022",
        "/events/sela-2022/agenda",
        NULL,
    };
    for (size_t i = 0; participant_pages[i]; i++)
        busy += get_ok_or_busy(ana, participant_pages[i]) == 503;
    return busy;
}

static void every_page_answers(void **state)
{
    (void)state;
    sweep();
}

/* The pages that grow with the report are bounded: they are answered in
 * full (200), with the right numbers, not refused. */
static void pages_are_bounded(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
                         h, &r));
    assert_int_equal(r.status, 200);
    /* Ana's 100 identical connections are one hour of the 09:00-13:00 day. */
    const char *p = strstr(r.body, "\"email\": \"ana.perez@example.org\"");
    assert_non_null(p);
    const char *m = strstr(p, "\"minutes\": ");
    assert_non_null(m);
    assert_int_equal(atol(m + 11), 60);
    /* The shared display name is one entry with its 100 connections. */
    const char *d = strstr(r.body, "\"name_key\": \"dial in user\"");
    assert_non_null(d);
    assert_null(strstr(d + 1, "\"name_key\": \"dial in user\""));
    const char *s = strstr(d, "\"sessions\": ");
    assert_non_null(s);
    assert_int_equal(atol(s + 12), 100);
    /* At most 100 strangers with and 100 without an email are listed; the
     * rest are counted. */
    size_t listed = 0;
    for (const char *q = strstr(r.body, "\"name_key\""); q; q = strstr(q + 1, "\"name_key\""))
        listed++;
    assert_true(listed <= 200);
    assert_true(listed >= 100);
    /* The typed name is suggested as Ana, and not counted for her. */
    const char *typed = strstr(r.body, "\"name_key\": \"ana perez\"");
    assert_non_null(typed);
    const char *sugg = strstr(typed, "\"suggestions\": [");
    assert_non_null(sugg);
    assert_true(strncmp(sugg, "\"suggestions\": []", 17) != 0);
    const char *who = strstr(sugg, "\"name\": \"Ana María Pérez\"");
    assert_non_null(who);
    assert_true(who < strstr(typed + 1, "\"name_key\""));
    const char *more = strstr(r.body, "\"unmatched_more\": ");
    assert_non_null(more);
    assert_true(atol(more + 18) > ROWS - 1000);
    http_free(&r);

    /* The HTML page says that more rows exist. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&lang=en",
                         h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "from people not listed here"));
    assert_true(r.body_len < 2 * 1024 * 1024);
    http_free(&r);

    /* The participant sees their own hour on /me. */
    const char *ha[] = {ana, NULL};
    assert_true(get_path(&srv, "/me?format=json", ha, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"attendance\""));
    http_free(&r);

    /* The API and the certificates page are answered in full too. */
    const char *hapi[] = {api_auth, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/attendance", hapi, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ana.perez@example.org"));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/certificates?course=cyberdiplomacy", h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
}

/* With a small memory allowance per request, a page that needs more is a
 * clean, explained 503 for that request alone; the next request is served. */
static void out_of_memory_is_a_clean_503(void **state)
{
    (void)state;
    assert_int_equal(serve_stop(&srv, 5000), 0);
    char ini[400];
    snprintf(ini, sizeof ini, "%s/aula.ini", data_dir);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fputs("[server]\nrequest_memory_mb = 1\n", f);
    fclose(f);
    assert_true(serve_start(&srv, data_dir));
    int busy = sweep();
    busy += get_ok_or_busy(admin, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&lang=en") == 503;
    assert_true(busy > 0);

    /* The 503 page itself: bilingual catalog text, HTML, not cached. */
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&lang=en",
                         h, &r));
    if (r.status == 503) {
        assert_non_null(strstr(r.body, "more memory than one request may use"));
        char ct[100];
        assert_true(header_value(&r, "Content-Type", ct, sizeof ct));
        assert_non_null(strstr(ct, "text/html"));
    }
    http_free(&r);
    const char *hapi[] = {api_auth, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/attendance", hapi, &r));
    if (r.status == 503)
        assert_non_null(strstr(r.body, "\"error\": \"error.too_much\""));
    http_free(&r);
    /* Small requests are still served. */
    assert_true(get_path(&srv, "/login", NULL, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_alive("the 503s");
    remove(ini);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_page_answers),
        cmocka_unit_test(pages_are_bounded),
        cmocka_unit_test(out_of_memory_is_a_clean_503),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
