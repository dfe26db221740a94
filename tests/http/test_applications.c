/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of applying, reviewing, signing in by link and
 * registering: the real binary over HTTP, messages read from the outbox. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static int serial;

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    /* The demo's 2022 courses moved ahead: withdrawing is possible only
     * before a course starts. */
    db_query(data_dir, "UPDATE time_block SET start_utc = strftime('%Y-%m-%dT%H:%M:%SZ', start_utc,"
                       " '+10 years'), end_utc = strftime('%Y-%m-%dT%H:%M:%SZ', end_utc, '+10 years')",
             NULL, 0);
    return serve_start(&srv, data_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* Runs one SQL statement on the server's database (reads, and setting up
 * situations such as a full course); returns the first column of the first
 * row as text in out. */
static void sql(const char *q, char *out, size_t n)
{
    char path[300];
    snprintf(path, sizeof path, "%s/aula.db", data_dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK)
        fail_msg("SQL error: %s in %s", sqlite3_errmsg(db), q);
    if (out && n)
        out[0] = '\0';
    if (sqlite3_step(st) == SQLITE_ROW && out && sqlite3_column_text(st, 0))
        snprintf(out, n, "%s", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int sql_int(const char *q)
{
    char buf[64];
    sql(q, buf, sizeof buf);
    return atoi(buf);
}

/* A fresh visitor: CSRF cookie and the form's submission key. */
struct visitor {
    char cookie[200], token[64], submission[64];
};

static void open_form(struct visitor *v)
{
    assert_true(csrf_pair(&srv, v->cookie + 8, sizeof v->cookie - 8, v->token, sizeof v->token));
    memcpy(v->cookie, "Cookie: ", 8);
    const char *h[] = {v->cookie, NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022/apply", h, &r));
    assert_int_equal(r.status, 200);
    const char *k = strstr(r.body, "name=\"submission\" value=\"");
    assert_non_null(k);
    k += 25;
    snprintf(v->submission, sizeof v->submission, "%.*s", (int)(strchr(k, '"') - k), k);
    http_free(&r);
}

/* Submits an application; fields overrides or adds urlencoded pairs. */
static long apply_as(struct visitor *v, const char *email, const char *given, const char *courses,
                     const char *extra, struct http_response *r)
{
    char body[2048];
    snprintf(body, sizeof body,
             "csrf=%s&submission=%s&form_of_address=ambassador&given_names=%s"
             "&family_names=N%%C3%%BA%%C3%%B1ez+Garc%%C3%%ADa&gender=female&country=VE"
             "&institution_type=foreign_ministry&institution=Ministerio&position=Consejera"
             "&email=%s&language=es&%s&consent=1&motivation=Quiero+aprender%s",
             v->token, v->submission, given, email, courses, extra ? extra : "");
    assert_true(post_form(&srv, v->cookie, "/events/sela-2022/apply", body, r));
    return r->status;
}

static void apply_new(const char *email, const char *given, const char *courses)
{
    struct visitor v;
    struct http_response r;
    open_form(&v);
    assert_int_equal(apply_as(&v, email, given, courses, NULL, &r), 303);
    http_free(&r);
}

static long enrolment_of(const char *email, const char *course)
{
    char q[400];
    snprintf(q, sizeof q,
             "SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id"
             " JOIN course c ON c.id = en.course_id WHERE a.email = '%s' AND c.slug = '%s'",
             email, course);
    return sql_int(q);
}

static void status_of(const char *email, const char *course, char *out, size_t n)
{
    char q[400];
    snprintf(q, sizeof q,
             "SELECT en.status FROM enrolment en JOIN application a ON a.id = en.application_id"
             " JOIN course c ON c.id = en.course_id WHERE a.email = '%s' AND c.slug = '%s'",
             email, course);
    sql(q, out, n);
}

static void decide(const char *admin_cookies, const char *token, long enrolment,
                   const char *decision, struct http_response *r)
{
    char body[300];
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld&decision=%s&message=Bienvenida", token,
             enrolment, decision);
    /* A decision is previewed, then confirmed. */
    if (!post_confirmed(&srv, admin_cookies, "/admin/events/sela-2022/applications", body, r))
        assert_true(r->status == 200 || r->status == 409 || r->status == 422);
}

/* Requests a sign-in link for email and returns the link's path from the
 * delivered message. */
static void signin_link(const char *email, char *path, size_t n)
{
    char cookie[200], token[64], body[300], hdr[220];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, token, sizeof token));
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    const char *at = strchr(email, '@');
    snprintf(body, sizeof body, "csrf=%s&email=%.*s%%40%s&password=", token, (int)(at - email),
             email, at + 1);
    struct http_response r;
    assert_true(post_form(&srv, hdr, "/login", body, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Revise su correo"));
    http_free(&r);
    assert_true(mail_link(data_dir, email, "signin.link", "/login/", path, n));
}

/* Opens the link and presses its button (only the POST signs in). */
static void follow_link(const char *path, char *cookies, size_t n)
{
    struct http_response r;
    char session[128], cookie[200], token[64];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, token, sizeof token));
    assert_true(use_signin_link(&srv, path, cookie, token, session, sizeof session, &r));
    char loc[64];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/me");
    http_free(&r);
    snprintf(cookies, n, "Cookie: %s; aula_session=%s|%s", cookie, session, token);
}

/* ---- the whole journey ---- */

static void apply_accept_signin_register(void **state)
{
    (void)state;
    char admin[400], atoken[64], out[4096];
    apply_new("ana%40example.org", "Ana+Mar%C3%ADa", "courses=cyberdiplomacy&courses=techplomacy");
    /* The acknowledgement is queued in Spanish with the accented name. */
    sql("SELECT subject || '|' || body_text FROM outbox WHERE to_addr = 'ana@example.org'"
        " AND kind = 'application.received'", out, sizeof out);
    assert_non_null(strstr(out, "Hemos recibido su postulación"));
    assert_non_null(strstr(out, "Embajadora Ana María Núñez García"));

    assert_true(sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken));
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?status=submitted", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "ana@example.org"));
    http_free(&r);
    decide(admin, atoken, enrolment_of("ana@example.org", "cyberdiplomacy"), "accepted", &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    sql("SELECT body_text FROM outbox WHERE to_addr = 'ana@example.org'"
        " AND kind = 'decision.accepted'", out, sizeof out);
    assert_non_null(strstr(out, "/register"));
    assert_non_null(strstr(out, "Bienvenida"));
    assert_int_equal(sql_int("SELECT count(*) FROM audit_log WHERE action = 'enrolment.accepted'"), 1);

    /* Signing in by the emailed link. */
    char link[200], cookies[600];
    signin_link("ana@example.org", link, sizeof link);
    follow_link(link, cookies, sizeof cookies);
    char *bar = strchr(cookies, '|');
    char token[64];
    snprintf(token, sizeof token, "%s", bar + 1);
    *bar = '\0';
    const char *hc[] = {cookies, NULL};
    assert_true(get_path(&srv, "/me", hc, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Aceptada"));
    assert_non_null(strstr(r.body, "complete el formulario de inscripción"));
    const char *reg = strstr(r.body, "/me/applications/");
    assert_non_null(reg);
    char regpath[100];
    snprintf(regpath, sizeof regpath, "%.*s", (int)(strstr(reg, "\"") - reg), reg);
    http_free(&r);

    /* Registration: errors beside the field, then success. */
    char body[400];
    long en = enrolment_of("ana@example.org", "cyberdiplomacy");
    snprintf(body, sizeof body, "csrf=%s&confirm=%ld&city=Caracas&time_zone=Mars%%2FBase", token, en);
    assert_true(post_form(&srv, cookies, regpath, body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "zona horaria válida"));
    assert_non_null(strstr(r.body, "value=\"Caracas\""));
    http_free(&r);
    snprintf(body, sizeof body,
             "csrf=%s&confirm=%ld&city=Caracas&time_zone=America%%2FCaracas&recording_consent=1",
             token, en);
    assert_true(post_form(&srv, cookies, regpath, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_true(get_path(&srv, "/me", hc, &r));
    assert_non_null(strstr(r.body, "Inscrita"));
    http_free(&r);
    char st[32];
    status_of("ana@example.org", "cyberdiplomacy", st, sizeof st);
    assert_string_equal(st, "registered");
    status_of("ana@example.org", "techplomacy", st, sizeof st);
    assert_string_equal(st, "submitted");

    /* The link worked once only; a reused link explains itself. */
    assert_true(get_path(&srv, link, NULL, &r));
    assert_int_equal(r.status, 410);
    assert_non_null(strstr(r.body, "ya se usó"));
    assert_non_null(strstr(r.body, "name=\"email\""));
    http_free(&r);
}

static void expired_link_explains_itself(void **state)
{
    (void)state;
    char link[200], out[64];
    apply_new("expired%40example.org", "Eva", "courses=techplomacy");
    signin_link("expired@example.org", link, sizeof link);
    sql("UPDATE signin_token SET expires_at = '2000-01-01T00:00:00Z'", out, sizeof out);
    struct http_response r;
    const char *en[] = {"Accept-Language: en", NULL};
    assert_true(get_path(&srv, link, en, &r));
    assert_int_equal(r.status, 410);
    assert_non_null(strstr(r.body, "This link has expired"));
    http_free(&r);
    assert_true(get_path(&srv, "/login/not-a-real-token", NULL, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

static void capacity_waiting_list_and_promotion(void **state)
{
    (void)state;
    char admin[400], atoken[64], st[32], out[4096];
    sql("UPDATE course SET capacity = 1 WHERE slug = 'techplomacy'", out, sizeof out);
    apply_new("first%40example.org", "Primera", "courses=techplomacy");
    apply_new("second%40example.org", "Segunda", "courses=techplomacy");
    apply_new("third%40example.org", "Tercera", "courses=techplomacy");
    assert_true(sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken));
    /* Make sure no earlier test holds the place. */
    sql("UPDATE enrolment SET status = 'rejected' WHERE course_id = (SELECT id FROM course WHERE"
        " slug = 'techplomacy') AND application_id NOT IN (SELECT id FROM application WHERE email"
        " IN ('first@example.org', 'second@example.org', 'third@example.org'))", out, sizeof out);
    struct http_response r;
    decide(admin, atoken, enrolment_of("first@example.org", "techplomacy"), "accepted", &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* The course is full: the preview of the second acceptance says so,
     * with nothing to confirm. */
    decide(admin, atoken, enrolment_of("second@example.org", "techplomacy"), "accepted", &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "no tiene plazas libres"));
    http_free(&r);
    status_of("second@example.org", "techplomacy", st, sizeof st);
    assert_string_equal(st, "submitted");
    decide(admin, atoken, enrolment_of("second@example.org", "techplomacy"), "waitlisted", &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    decide(admin, atoken, enrolment_of("third@example.org", "techplomacy"), "waitlisted", &r);
    http_free(&r);

    /* The first withdraws from /me: the longest-waiting candidate is promoted. */
    char link[200], cookies[600];
    signin_link("first@example.org", link, sizeof link);
    follow_link(link, cookies, sizeof cookies);
    char *bar = strchr(cookies, '|');
    char token[64], body[200];
    snprintf(token, sizeof token, "%s", bar + 1);
    *bar = '\0';
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld", token,
             enrolment_of("first@example.org", "techplomacy"));
    assert_true(post_form(&srv, cookies, "/me/withdraw", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    status_of("first@example.org", "techplomacy", st, sizeof st);
    assert_string_equal(st, "withdrawn");
    status_of("second@example.org", "techplomacy", st, sizeof st);
    assert_string_equal(st, "accepted");
    status_of("third@example.org", "techplomacy", st, sizeof st);
    assert_string_equal(st, "waitlisted");
    sql("SELECT subject FROM outbox WHERE to_addr = 'second@example.org'"
        " AND kind = 'decision.promoted'", out, sizeof out);
    assert_non_null(strstr(out, "Se liberó una plaza"));
    /* Someone else's enrolment cannot be withdrawn. */
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld", token,
             enrolment_of("second@example.org", "techplomacy"));
    assert_true(post_form(&srv, cookies, "/me/withdraw", body, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    sql("UPDATE course SET capacity = 40 WHERE slug = 'techplomacy'", out, sizeof out);
}

static void duplicate_email_and_double_submit(void **state)
{
    (void)state;
    struct visitor v;
    struct http_response r;
    open_form(&v);
    assert_int_equal(apply_as(&v, "dup%40example.org", "Dup", "courses=cyberdiplomacy", NULL, &r), 303);
    http_free(&r);
    /* The same form sent again (double click, retry): still one application. */
    assert_int_equal(apply_as(&v, "dup%40example.org", "Dup", "courses=cyberdiplomacy", NULL, &r), 303);
    http_free(&r);
    assert_int_equal(sql_int("SELECT count(*) FROM application WHERE email = 'dup@example.org'"), 1);
    assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE to_addr = 'dup@example.org'"), 1);
    /* A new form with the same email: a clear message and a sign-in link. */
    open_form(&v);
    assert_int_equal(apply_as(&v, "DUP%40example.org", "Dup", "courses=cyberdiplomacy", NULL, &r), 409);
    assert_non_null(strstr(r.body, "Ya existe una postulación con este correo"));
    assert_non_null(strstr(r.body, "href=\"/login\""));
    http_free(&r);
    assert_int_equal(sql_int("SELECT count(*) FROM application WHERE email = 'dup@example.org'"), 1);
}

static void invalid_application_keeps_values(void **state)
{
    (void)state;
    struct visitor v;
    struct http_response r;
    open_form(&v);
    char body[1024];
    snprintf(body, sizeof body,
             "csrf=%s&submission=%s&form_of_address=ambassador&given_names=Jos%%C3%%A9"
             "&family_names=&gender=male&country=XX&institution_type=academia&institution=U"
             "&position=P&email=not-an-email&language=en&courses=cyberdiplomacy",
             v.token, v.submission);
    const char *en = "Accept-Language: en";
    (void)en;
    assert_true(post_form(&srv, v.cookie, "/events/sela-2022/apply", body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "value=\"José\""));
    assert_non_null(strstr(r.body, "Escriba una dirección de correo electrónico válida"));
    /* A missing answer says what to do. */
    assert_non_null(strstr(r.body, "Escriba sus apellidos."));
    assert_non_null(strstr(r.body, "Acepte el tratamiento de sus datos para postular."));
    assert_null(strstr(r.body, "Este campo es obligatorio"));
    assert_non_null(strstr(r.body, "Elija una de las opciones")); /* country XX */
    http_free(&r);
    assert_int_equal(sql_int("SELECT count(*) FROM application WHERE email = 'not-an-email'"), 0);
}

static void csrf_and_roles(void **state)
{
    (void)state;
    struct http_response r;
    /* No CSRF token: refused, nothing stored. */
    assert_true(post_form(&srv, "X-None: 1", "/events/sela-2022/apply",
                          "email=csrf%40example.org&given_names=X", &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    assert_int_equal(sql_int("SELECT count(*) FROM application WHERE email = 'csrf@example.org'"), 0);

    /* A participant is neither staff nor an API client. */
    char link[200], cookies[600];
    apply_new("role%40example.org", "Rol", "courses=cyberdiplomacy");
    signin_link("role@example.org", link, sizeof link);
    follow_link(link, cookies, sizeof cookies);
    *strchr(cookies, '|') = '\0';
    const char *hc[] = {cookies, NULL};
    const char *staff[] = {"/admin", "/admin/events/sela-2022/applications",
                           "/admin/events/sela-2022/applications.csv", "/admin/outbox",
                           "/admin/applications/1", "/api/v1/events/sela-2022/applications"};
    for (size_t i = 0; i < sizeof staff / sizeof staff[0]; i++) {
        assert_true(get_path(&srv, staff[i], hc, &r));
        if (r.status != 403)
            fail_msg("%s gave %ld to a participant", staff[i], r.status);
        http_free(&r);
    }
    /* Strangers are sent to sign in, or told 401 by the API. */
    assert_true(get_path(&srv, "/me", NULL, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/applications", NULL, &r));
    assert_int_equal(r.status, 401);
    http_free(&r);
    /* A trainer is not a coordinator. */
    char tr[400], tt[64];
    assert_true(sign_in(&srv, "trainer%40example.org", "trainer-password-1", tr, sizeof tr, tt, sizeof tt));
    const char *ht[] = {tr, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications", ht, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
}

static void rate_limit_on_applications(void **state)
{
    (void)state;
    struct http_response r;
    long last = 0;
    /* Five per email an hour; the sixth attempt is refused. */
    for (int i = 0; i < 6; i++) {
        struct visitor v;
        open_form(&v);
        last = apply_as(&v, "flood%40example.org", "Flood", "courses=cyberdiplomacy", NULL, &r);
        http_free(&r);
    }
    assert_int_equal(last, 429);
    assert_int_equal(sql_int("SELECT count(*) FROM application WHERE email = 'flood@example.org'"), 1);
}

static void api_lists_and_decides(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(run_aula(NULL, out, sizeof out, "token", "create", "--data", data_dir,
                              "admin@example.org", NULL), 0);
    out[strcspn(out, "\n")] = '\0';
    char auth[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", out);
    apply_new("api%40example.org", "Api", "courses=cyberdiplomacy");
    struct http_response r;
    const char *h[] = {auth, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/applications", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"email\": \"api@example.org\""));
    http_free(&r);
    int id = sql_int("SELECT id FROM application WHERE email = 'api@example.org'");
    char url[200];
    snprintf(url, sizeof url, "%s/api/v1/applications/%d/decision", srv.origin, id);
    const char *hj[] = {auth, "Content-Type: application/json", NULL};
    const char *bad = "{\"status\": \"maybe\"}";
    assert_true(http("POST", url, hj, bad, strlen(bad), &r));
    assert_int_equal(r.status, 400);
    http_free(&r);
    const char *good = "{\"status\": \"waitlisted\"}";
    assert_true(http("POST", url, hj, good, strlen(good), &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"result\": \"done\""));
    http_free(&r);
    char st[32];
    status_of("api@example.org", "cyberdiplomacy", st, sizeof st);
    assert_string_equal(st, "waitlisted");
    assert_int_equal(sql_int("SELECT count(*) FROM outbox WHERE to_addr = 'api@example.org'"
                             " AND kind = 'decision.waitlisted'"), 1);
    /* A wrong token is 401. */
    const char *hbad[] = {"Authorization: Bearer nope", NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/applications", hbad, &r));
    assert_int_equal(r.status, 401);
    http_free(&r);
}

static void hostile_text_is_escaped_and_neutralised(void **state)
{
    (void)state;
    apply_new("evil%40example.org", "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
              "courses=cyberdiplomacy");
    struct visitor v;
    struct http_response r;
    open_form(&v);
    assert_int_equal(apply_as(&v, "formula%40example.org", "%3D1%2B2", "courses=cyberdiplomacy",
                              NULL, &r), 303);
    http_free(&r);
    char admin[400], atoken[64];
    assert_true(sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken));
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?q=evil", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(r.body, "<script>alert(1)"));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications.csv?q=formula", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"'=1+2\""));
    assert_non_null(strstr(r.body, "Núñez García"));
    assert_int_equal(memcmp(r.body, "\xef\xbb\xbf", 3), 0);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications.xlsx", h, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(memcmp(r.body, "PK", 2), 0);
    http_free(&r);
}

static void closed_applications_show_a_notice(void **state)
{
    (void)state;
    char out[64];
    sql("UPDATE edition SET applications_close = '2022-03-01T00:00'", out, sizeof out);
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022/apply", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "El plazo de postulación ha terminado"));
    assert_null(strstr(r.body, "name=\"given_names\""));
    http_free(&r);
    sql("UPDATE edition SET applications_close = '2099-12-31T23:59'", out, sizeof out);
    serial++;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(apply_accept_signin_register),
        cmocka_unit_test(expired_link_explains_itself),
        cmocka_unit_test(capacity_waiting_list_and_promotion),
        cmocka_unit_test(duplicate_email_and_double_submit),
        cmocka_unit_test(invalid_application_keeps_values),
        cmocka_unit_test(csrf_and_roles),
        cmocka_unit_test(rate_limit_on_applications),
        cmocka_unit_test(api_lists_and_decides),
        cmocka_unit_test(hostile_text_is_escaped_and_neutralised),
        cmocka_unit_test(closed_applications_show_a_notice),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
