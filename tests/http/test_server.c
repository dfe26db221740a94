/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of `aula serve` and the command line: real binary, real
 * HTTP, a temporary data directory. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;

static const char *url(const char *path)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s%s", srv.origin, path);
    return buf;
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    return serve_start(&srv, data_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static void get(const char *path, const char *const *headers, struct http_response *r)
{
    assert_true(http("GET", url(path), headers, NULL, 0, r));
}

/* ---- the foundation ---- */

static void healthz_answers_ok(void **state)
{
    (void)state;
    struct http_response r;
    get("/healthz", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "ok\n");
    http_free(&r);
}

static void security_headers_on_every_response(void **state)
{
    (void)state;
    const char *paths[] = {"/healthz", "/no/such/page", "/events/sela-2022/agenda", "/login",
                           "/static/aula.css"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct http_response r;
        char v[512];
        get(paths[i], NULL, &r);
        assert_true(header_value(&r, "Content-Security-Policy", v, sizeof v));
        assert_non_null(strstr(v, "frame-ancestors 'none'"));
        assert_non_null(strstr(v, "script-src 'self'"));
        assert_null(strstr(v, "unsafe-inline"));
        assert_true(header_value(&r, "X-Content-Type-Options", v, sizeof v));
        assert_string_equal(v, "nosniff");
        assert_true(header_value(&r, "Referrer-Policy", v, sizeof v));
        http_free(&r);
    }
}

static void unknown_path_is_404_in_visitors_language(void **state)
{
    (void)state;
    struct http_response r;
    get("/no/such/page", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<html lang=\"es\">"));
    assert_non_null(strstr(r.body, "No encontramos la página"));
    http_free(&r);
    const char *en[] = {"Accept-Language: en-GB,en;q=0.9", NULL};
    get("/no/such/page", en, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<html lang=\"en\">"));
    assert_non_null(strstr(r.body, "We could not find the page"));
    http_free(&r);
}

static void body_over_limit_is_413(void **state)
{
    (void)state;
    size_t n = 20u * 1024 * 1024;
    char *big = malloc(n);
    memset(big, 'a', n);
    struct http_response r;
    const char *h[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    assert_true(http("POST", url("/login"), h, big, n, &r));
    assert_int_equal(r.status, 413);
    http_free(&r);
    free(big);
    /* The server is still answering afterwards. */
    get("/healthz", NULL, &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
}

static void wrong_method_is_405(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(http("DELETE", url("/events/sela-2022"), NULL, NULL, 0, &r));
    assert_int_equal(r.status, 405);
    http_free(&r);
}

/* ---- languages and public pages ---- */

static void home_redirects_to_only_edition(void **state)
{
    (void)state;
    struct http_response r;
    char loc[256];
    get("/", NULL, &r);
    assert_int_equal(r.status, 302);
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/events/sela-2022");
    http_free(&r);
    get("/?lang=en", NULL, &r);
    assert_int_equal(r.status, 302);
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/events/sela-2022?lang=en");
    http_free(&r);
}

static void agenda_spanish_by_default_english_on_request(void **state)
{
    (void)state;
    struct http_response r;
    get("/events/sela-2022/agenda", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html lang=\"es\">"));
    assert_non_null(strstr(r.body, "Sesión 1: Introducción a la ciberdiplomacia"));
    assert_non_null(strstr(r.body, "lunes, 21 de marzo de 2022"));
    assert_non_null(strstr(r.body, "<time datetime=\"2022-03-21T13:00:00Z\">09:00</time>"));
    assert_non_null(strstr(r.body, "Clarems Endara"));
    http_free(&r);

    char cookie[32];
    get("/events/sela-2022/agenda?lang=en", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<html lang=\"en\">"));
    assert_non_null(strstr(r.body, "Session 1: Introduction to cyberdiplomacy"));
    assert_non_null(strstr(r.body, "Monday, 21 March 2022"));
    assert_true(set_cookie_value(&r, "lang", cookie, sizeof cookie));
    assert_string_equal(cookie, "en");
    http_free(&r);

    /* The cookie keeps the choice on the next page. */
    const char *h[] = {"Cookie: lang=en", NULL};
    get("/events/sela-2022/speakers", h, &r);
    assert_non_null(strstr(r.body, "<html lang=\"en\">"));
    assert_non_null(strstr(r.body, "Shaun Riordan"));
    http_free(&r);
}

static void edition_home_in_both_languages(void **state)
{
    (void)state;
    struct http_response r;
    get("/events/sela-2022", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Programa de capacitación para Altos Funcionarios"));
    assert_non_null(strstr(r.body, "sduran@sela.org"));
    assert_non_null(strstr(r.body, "Justificación"));
    http_free(&r);
    get("/events/sela-2022?lang=en", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Training programme for Senior Officials"));
    assert_non_null(strstr(r.body, "Pontifical University of Salamanca"));
    http_free(&r);
    get("/events/sela-2022?format=json", NULL, &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
}

static void language_cookie_survives_a_304(void **state)
{
    (void)state;
    struct http_response r;
    char etag[64], hdr[128], cookie[16];
    get("/events/sela-2022/speakers?lang=es", NULL, &r);
    assert_true(header_value(&r, "ETag", etag, sizeof etag));
    http_free(&r);
    snprintf(hdr, sizeof hdr, "If-None-Match: %s", etag);
    const char *h[] = {hdr, "Cookie: lang=en", NULL};
    get("/events/sela-2022/speakers?lang=es", h, &r);
    assert_int_equal(r.status, 304);
    assert_true(set_cookie_value(&r, "lang", cookie, sizeof cookie));
    assert_string_equal(cookie, "es");
    http_free(&r);
}

static void every_session_and_topic_is_on_the_agenda(void **state)
{
    (void)state;
    char path[512];
    FILE *f = fopen(source_path("examples/sela-2022/programme.json", path, sizeof path), "r");
    assert_non_null(f);
    fclose(f);
    struct http_response es, en;
    get("/events/sela-2022/agenda", NULL, &es);
    get("/events/sela-2022/agenda?lang=en", NULL, &en);
    const char *expect_en[] = {
        "Welcome session", "Session 2: Internet Governance", "ICANN vs ITU",
        "Session 3: Cybersecurity", "Session 4: International law in cyberspace",
        "Multi-stakeholder diplomacy", "Session 1: Technology and geopolitics",
        "Session 2: The big Internet companies", "Session 3: Internet companies as geopolitical actors",
        "Session 4: Techplomacy", "The TechAmbassador", "Privacy and regulation",
        "Thursday, 24 March 2022", "Sayed Durán"};
    for (size_t i = 0; i < sizeof expect_en / sizeof expect_en[0]; i++) {
        if (!strstr(en.body, expect_en[i]))
            fail_msg("English agenda lacks \"%s\"", expect_en[i]);
    }
    assert_non_null(strstr(es.body, "jueves, 24 de marzo de 2022"));
    assert_non_null(strstr(es.body, "Sesión 4: Tecnodiplomacia"));
    http_free(&es);
    http_free(&en);
}

static void unknown_edition_and_course_are_404(void **state)
{
    (void)state;
    struct http_response r;
    get("/events/nope/agenda", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "No existe esa edición"));
    http_free(&r);
    const char *en[] = {"Cookie: lang=en", NULL};
    get("/events/sela-2022/courses/nope", en, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "There is no such course"));
    http_free(&r);
}

static void etag_and_gzip(void **state)
{
    (void)state;
    struct http_response r, r2, gz;
    char etag[64], enc[32];
    get("/events/sela-2022/agenda", NULL, &r);
    assert_true(header_value(&r, "ETag", etag, sizeof etag));
    char inm[128];
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h[] = {inm, NULL};
    get("/events/sela-2022/agenda", h, &r2);
    assert_int_equal(r2.status, 304);
    assert_int_equal(r2.body_len, 0);
    http_free(&r2);

    const char *g[] = {"Accept-Encoding: gzip", NULL};
    get("/events/sela-2022/agenda", g, &gz);
    assert_true(header_value(&gz, "Content-Encoding", enc, sizeof enc));
    assert_string_equal(enc, "gzip");
    /* Each representation has its own strong ETag, and either validates. */
    char gz_etag[64];
    assert_true(header_value(&gz, "ETag", gz_etag, sizeof gz_etag));
    assert_string_not_equal(gz_etag, etag);
    char inm2[128];
    snprintf(inm2, sizeof inm2, "If-None-Match: %s", gz_etag);
    const char *h2[] = {inm2, "Accept-Encoding: gzip", NULL};
    get("/events/sela-2022/agenda", h2, &r2);
    assert_int_equal(r2.status, 304);
    http_free(&r2);
    assert_true(gz.body_len < r.body_len / 2);
    /* It inflates to exactly the plain page. */
    char *out = malloc(r.body_len + 1);
    z_stream z = {0};
    assert_int_equal(inflateInit2(&z, 15 + 16), Z_OK);
    z.next_in = (Bytef *)gz.body;
    z.avail_in = (uInt)gz.body_len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)r.body_len + 1;
    assert_int_equal(inflate(&z, Z_FINISH), Z_STREAM_END);
    assert_int_equal(z.total_out, r.body_len);
    assert_memory_equal(out, r.body, r.body_len);
    inflateEnd(&z);
    free(out);
    http_free(&gz);
    http_free(&r);
}

static void calendar_files_follow_rfc5545(void **state)
{
    (void)state;
    const char *paths[] = {"/events/sela-2022/calendar.ics",
                           "/events/sela-2022/courses/techplomacy/calendar.ics"};
    for (size_t i = 0; i < 2; i++) {
        struct http_response r;
        char ct[128];
        get(paths[i], NULL, &r);
        assert_int_equal(r.status, 200);
        assert_true(header_value(&r, "Content-Type", ct, sizeof ct));
        assert_non_null(strstr(ct, "text/calendar"));
        assert_int_equal(strncmp(r.body, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30), 0);
        assert_non_null(strstr(r.body, "TZID:America/Caracas\r\n"));
        assert_non_null(strstr(r.body, "TZOFFSETTO:-0400\r\n"));
        if (i == 0)
            assert_non_null(strstr(r.body, "DTSTART;TZID=America/Caracas:20220321T090000\r\n"));
        else
            assert_non_null(strstr(r.body, "DTSTART;TZID=America/Caracas:20220323T090000\r\n"));
        /* Every line ends in CRLF and holds at most 75 octets. */
        const char *p = r.body;
        while (*p) {
            const char *eol = strstr(p, "\r\n");
            assert_non_null(eol);
            assert_true(eol - p <= 75);
            p = eol + 2;
        }
        http_free(&r);
    }
}

static void json_api_and_page_data_agree(void **state)
{
    (void)state;
    struct http_response r;
    get("/api/v1/events", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"slug\": \"sela-2022\""));
    assert_int_equal(r.body[0], '[');
    http_free(&r);
    get("/api/v1/events/sela-2022", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"Introduction to cyberdiplomacy\""));
    assert_null(strstr(r.body, "password"));
    http_free(&r);
    get("/events/sela-2022/agenda?format=json", NULL, &r);
    char ct[128];
    assert_true(header_value(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "application/json"));
    assert_non_null(strstr(r.body, "\"start_utc\": \"2022-03-21T13:00:00Z\""));
    http_free(&r);
    /* Asking for JSON by Accept does not poison the page cache. */
    const char *hj[] = {"Accept: application/json", NULL};
    get("/events/sela-2022/speakers", hj, &r);
    assert_int_equal(r.body[0], '{');
    http_free(&r);
    get("/events/sela-2022/speakers", NULL, &r);
    assert_non_null(strstr(r.body, "<!doctype html>"));
    http_free(&r);
    get("/api/v1/events/nope", NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "\"status\": 404"));
    http_free(&r);
}

/* ---- sign-in, CSRF, roles, console ---- */

static void csrf_cookie(char *cookie, size_t n, char *token, size_t tn)
{
    assert_true(csrf_pair(&srv, cookie, n, token, tn));
}

static void login(const char *email, const char *password, char *cookies, size_t n, char *token,
                  size_t tn)
{
    assert_true(sign_in(&srv, email, password, cookies, n, token, tn));
}

static void post(const char *cookies, const char *path, const char *body, struct http_response *r)
{
    assert_true(post_form(&srv, cookies, path, body, r));
}

static void login_needs_csrf_and_right_password(void **state)
{
    (void)state;
    struct http_response r;
    const char *body = "email=admin%40example.org&password=admin-password-1";
    post("X-Nothing: 1", "/login", body, &r);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "formulario ha caducado"));
    http_free(&r);

    char cookie[128], token[64], hdr[200], b[300];
    csrf_cookie(cookie, sizeof cookie, token, sizeof token);
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    snprintf(b, sizeof b, "csrf=%s&email=admin%%40example.org&password=wrong-password", token);
    post(hdr, "/login", b, &r);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.body, "value=\"admin@example.org\""));
    assert_null(strstr(r.headers, "aula_session="));
    http_free(&r);

    /* Wrong passwords are limited per address: the sixth try within 15
     * minutes is refused, even with the right password. */
    for (int i = 0; i < 5; i++) {
        snprintf(b, sizeof b, "csrf=%s&email=coordinator%%40example.org&password=wrong-%d", token, i);
        post(hdr, "/login", b, &r);
        http_free(&r);
    }
    snprintf(b, sizeof b, "csrf=%s&email=coordinator%%40example.org&password=coordinator-password-1",
             token);
    post(hdr, "/login", b, &r);
    assert_int_equal(r.status, 429);
    http_free(&r);

    /* Malformed percent-encoding is a clear 400. */
    snprintf(b, sizeof b, "csrf=%s&email=%%ZZ", token);
    post(hdr, "/login", b, &r);
    assert_int_equal(r.status, 400);
    http_free(&r);
}

static void console_requires_a_staff_role(void **state)
{
    (void)state;
    struct http_response r;
    char loc[256];
    get("/admin", NULL, &r);
    assert_int_equal(r.status, 303);
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/login?next=%2Fadmin");
    http_free(&r);

    char cookies[400], token[64];
    login("trainer%40example.org", "trainer-password-1", cookies, sizeof cookies, token,
            sizeof token);
    const char *h[] = {cookies, NULL};
    /* A trainer reaches the console, but only the material of courses. */
    get("/admin", h, &r);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "/applications\""));
    http_free(&r);
    get("/admin/events/sela-2022/applications", h, &r);
    assert_int_equal(r.status, 403);
    http_free(&r);
    get("/admin/events/sela-2022", h, &r);
    assert_int_equal(r.status, 403);
    http_free(&r);

    login("admin%40example.org", "admin-password-1", cookies, sizeof cookies, token,
            sizeof token);
    const char *ha[] = {cookies, NULL};
    get("/admin", ha, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "/admin/events/sela-2022"));
    http_free(&r);
}

/* The id of the first session whose edit link follows `after` in the console page. */
static long first_session_id(const char *page)
{
    const char *p = strstr(page, "/admin/session/");
    return p ? strtol(p + 15, NULL, 10) : 0;
}

static void admin_edits_show_on_public_pages(void **state)
{
    (void)state;
    char cookies[400], token[64];
    login("admin%40example.org", "admin-password-1", cookies, sizeof cookies, token,
            sizeof token);
    const char *h[] = {cookies, NULL};
    struct http_response r;
    /* Warm the page cache first, so the test proves it is invalidated. */
    get("/events/sela-2022/agenda?lang=en", NULL, &r);
    http_free(&r);
    get("/events/sela-2022/agenda", NULL, &r);
    http_free(&r);

    get("/admin/events/sela-2022", h, &r);
    assert_int_equal(r.status, 200);
    long id = first_session_id(r.body);
    assert_true(id > 0);
    http_free(&r);

    char path[64], body[600];
    snprintf(path, sizeof path, "/admin/session/%ld/edit", id);
    /* Missing Spanish title: refused beside the field, other values kept. */
    snprintf(body, sizeof body, "csrf=%s&number=&kind=welcome&title_es=&title_en=Kept+value",
             token);
    post(cookies, path, body, &r);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "value=\"Kept value\""));
    assert_non_null(strstr(r.body, "Este campo es obligatorio"));
    http_free(&r);

    snprintf(body, sizeof body,
             "csrf=%s&number=&kind=welcome&title_es=Apertura+%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E"
             "&title_en=Opening+ceremony",
             token);
    post(cookies, path, body, &r);
    assert_int_equal(r.status, 303);
    http_free(&r);

    get("/events/sela-2022/agenda?lang=en", NULL, &r);
    assert_non_null(strstr(r.body, "Opening ceremony"));
    http_free(&r);
    get("/events/sela-2022/agenda", NULL, &r);
    assert_non_null(strstr(r.body, "Apertura &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_null(strstr(r.body, "<script>alert(1)"));
    http_free(&r);

    /* People are assigned to sessions with a role, and shown there. */
    char person[32];
    get("/admin/events/sela-2022?format=json", h, &r);
    const char *pr = strstr(r.body, "\"slug\": \"shaun-riordan\"");
    assert_non_null(pr);
    while (pr > r.body && strncmp(pr, "\"id\": ", 6) != 0)
        pr--;
    snprintf(person, sizeof person, "%ld", strtol(pr + 6, NULL, 10));
    http_free(&r);
    snprintf(path, sizeof path, "/admin/session/%ld/people", id);
    snprintf(body, sizeof body, "csrf=%s&person=%s&role=trainer&action=add", token, person);
    post_form(&srv, cookies, path, body, &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    get("/events/sela-2022/agenda?lang=en", NULL, &r);
    assert_non_null(strstr(r.body, "Trainer:</span> <strong>Shaun Riordan</strong>"));
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&person=%s&role=trainer&action=remove", token, person);
    post_form(&srv, cookies, path, body, &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    get("/events/sela-2022/agenda?lang=en", NULL, &r);
    assert_null(strstr(r.body, "Trainer:</span>"));
    http_free(&r);

    /* Certificate signatories are part of the edition's settings. */
    get("/admin/events/sela-2022", h, &r);
    const char *sig = strstr(r.body, "id=\"signatories\"");
    assert_non_null(sig);
    assert_non_null(strstr(sig, "Clarems Endara"));
    const char *plus = strstr(sig, "/admin/signatory/new?parent=");
    assert_non_null(plus);
    char parent[16];
    snprintf(parent, sizeof parent, "%ld", strtol(plus + 28, NULL, 10));
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&parent=%s&name=Mario+Torres+Jarrin&title_es=Director"
             "&title_en=Director", token, parent);
    post_form(&srv, cookies, "/admin/signatory/new", body, &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    get("/api/v1/events/sela-2022", NULL, &r);
    const char *signers = strstr(r.body, "\"signatories\"");
    assert_non_null(signers);
    const char *mario = strstr(signers, "Mario Torres Jarrin");
    const char *courses = strstr(signers, "\"courses\"");
    assert_true(mario && courses && mario < courses);
    http_free(&r);

    /* A second edition (the 2021 one) created in the console: the home
     * page then lists both instead of redirecting. */
    snprintf(body, sizeof body,
             "csrf=%s&parent=0&slug=sela-2021&title_es=Primera+edici%%C3%%B3n&title_en=First+edition"
             "&time_zone=America%%2FCaracas&starts_on=2021-06-01&ends_on=2021-06-04"
             "&status=published&reminder_offsets=1440%%2C60", token);
    post_form(&srv, cookies, "/admin/edition/new", body, &r);
    assert_int_equal(r.status, 303);
    http_free(&r);
    get("/", NULL, &r);
    assert_int_equal(r.status, 200);
    const char *e22 = strstr(r.body, "href=\"/events/sela-2022\"");
    const char *e21 = strstr(r.body, "href=\"/events/sela-2021\"");
    assert_non_null(e22);
    assert_non_null(e21);
    assert_true(e22 < e21); /* the later edition first */
    http_free(&r);

    /* The change is in the audit log. */
    get("/admin/audit", h, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Programa: elemento cambiado"));
    http_free(&r);
}

static void admin_post_without_csrf_is_refused(void **state)
{
    (void)state;
    char cookies[400], token[64];
    login("admin%40example.org", "admin-password-1", cookies, sizeof cookies, token,
            sizeof token);
    struct http_response r;
    post(cookies, "/admin/course/1/delete", "csrf=forged-token", &r);
    assert_int_equal(r.status, 403);
    http_free(&r);
    get("/events/sela-2022/courses/cyberdiplomacy", NULL, &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
}

/* ---- the command line and start-up ---- */

static void import_export_round_trip_and_refusal(void **state)
{
    (void)state;
    static char out[65536];
    char dir[256], file[512], cmd[1024];
    temp_dir(dir, sizeof dir);
    assert_int_equal(run_aula(NULL, out, sizeof out, "init", "--data", dir, NULL), 0);
    source_path("examples/sela-2022/programme.json", file, sizeof file);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);

    snprintf(cmd, sizeof cmd, "%s export --data %s sela-2022 | cmp -s - %s",
             getenv("AULA_BIN"), dir, file);
    assert_int_equal(system(cmd), 0);

    /* A broken file names the path at fault and loads nothing. */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/bad.json", dir);
    snprintf(cmd, sizeof cmd, "sed 's/\"start\": \"09:15\"/\"start\": \"9h15\"/' %s > %s", file, bad);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "sed -i 's/Introduction to cyberdiplomacy/CHANGED/' %s", bad);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, bad, NULL), 1);
    assert_non_null(strstr(out, "$.edition.courses[0].days[0].blocks[1].start"));
    assert_non_null(strstr(out, "nothing was imported"));
    assert_int_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022", NULL), 0);
    assert_non_null(strstr(out, "Introduction to cyberdiplomacy"));
    assert_null(strstr(out, "CHANGED"));

    /* Malformed JSON too. */
    snprintf(cmd, sizeof cmd, "printf '{\"format\": ' > %s", bad);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, bad, NULL), 1);
    assert_non_null(strstr(out, "line 1"));
    remove_tree(dir);
}

static void backup_is_a_consistent_copy(void **state)
{
    (void)state;
    char out[4096], copy[300];
    snprintf(copy, sizeof copy, "%s/copy.db", data_dir);
    unlink(copy);
    assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, copy, NULL), 0);
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(copy, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM topic", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_int(st, 0), 31);
    sqlite3_finalize(st);
    sqlite3_close(db);
    /* An existing file is never overwritten. */
    assert_int_equal(run_aula(NULL, out, sizeof out, "backup", "--data", data_dir, copy, NULL), 1);
}

static void startup_failures_say_what_and_where(void **state)
{
    (void)state;
    char out[4096], addr[64];
    /* A port that is taken. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 1), 0);
    socklen_t sl = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &sl);
    snprintf(addr, sizeof addr, "127.0.0.1:%d", ntohs(a.sin_port));
    assert_int_equal(run_aula(NULL, out, sizeof out, "serve", "--data", data_dir, "--listen",
                              addr, NULL), 1);
    assert_non_null(strstr(out, "already in use"));
    assert_non_null(strstr(out, addr));
    close(fd);
    /* A data directory that cannot be created. */
    assert_int_equal(run_aula(NULL, out, sizeof out, "serve", "--data", "/proc/aula-nope",
                              "--listen", "127.0.0.1:0", NULL), 1);
    assert_non_null(strstr(out, "/proc/aula-nope"));
    /* Bad flags. */
    assert_int_equal(run_aula(NULL, out, sizeof out, "serve", "--listen", "nowhere", NULL), 2);
}

static void help_and_version(void **state)
{
    (void)state;
    char out[4096];
    assert_int_equal(run_aula(NULL, out, sizeof out, "--help", NULL), 0);
    assert_non_null(strstr(out, "aula user add"));
    assert_int_equal(run_aula(NULL, out, sizeof out, "--version", NULL), 0);
    assert_non_null(strstr(out, "aula 0."));
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--help", NULL), 0);
    assert_non_null(strstr(out, "JSON path"));
    assert_int_equal(run_aula(NULL, out, sizeof out, "frobnicate", NULL), 2);
    assert_int_equal(run_aula("x\n", out, sizeof out, "user", "add", "--data", data_dir, "--role",
                              "king", "a@b.org", NULL), 2);
}

static void busy_database_gives_503_not_a_crash(void **state)
{
    (void)state;
    char cookies[400], token[64];
    login("admin%40example.org", "admin-password-1", cookies, sizeof cookies, token,
            sizeof token);
    char dbpath[300];
    snprintf(dbpath, sizeof dbpath, "%s/aula.db", data_dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
    struct http_response r;
    char body[200];
    snprintf(body, sizeof body, "csrf=%s&dir=down", token);
    post(cookies, "/admin/person/1/move", body, &r);
    assert_int_equal(r.status, 503);
    assert_non_null(strstr(r.body, "ocupado"));
    http_free(&r);
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    get("/healthz", NULL, &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
}

static void sigterm_stops_within_five_seconds(void **state)
{
    (void)state;
    struct served s;
    assert_true(serve_start(&s, data_dir));
    struct http_response r;
    char u[128];
    snprintf(u, sizeof u, "%s/healthz", s.origin);
    assert_true(http("GET", u, NULL, NULL, 0, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(serve_stop(&s, 5000), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(healthz_answers_ok),
        cmocka_unit_test(security_headers_on_every_response),
        cmocka_unit_test(unknown_path_is_404_in_visitors_language),
        cmocka_unit_test(body_over_limit_is_413),
        cmocka_unit_test(wrong_method_is_405),
        cmocka_unit_test(home_redirects_to_only_edition),
        cmocka_unit_test(agenda_spanish_by_default_english_on_request),
        cmocka_unit_test(edition_home_in_both_languages),
        cmocka_unit_test(language_cookie_survives_a_304),
        cmocka_unit_test(every_session_and_topic_is_on_the_agenda),
        cmocka_unit_test(unknown_edition_and_course_are_404),
        cmocka_unit_test(etag_and_gzip),
        cmocka_unit_test(calendar_files_follow_rfc5545),
        cmocka_unit_test(json_api_and_page_data_agree),
        cmocka_unit_test(login_needs_csrf_and_right_password),
        cmocka_unit_test(console_requires_a_staff_role),
        cmocka_unit_test(admin_edits_show_on_public_pages),
        cmocka_unit_test(admin_post_without_csrf_is_refused),
        cmocka_unit_test(import_export_round_trip_and_refusal),
        cmocka_unit_test(backup_is_a_consistent_copy),
        cmocka_unit_test(startup_failures_say_what_and_where),
        cmocka_unit_test(help_and_version),
        cmocka_unit_test(busy_database_gives_503_not_a_crash),
        cmocka_unit_test(sigterm_stops_within_five_seconds),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
