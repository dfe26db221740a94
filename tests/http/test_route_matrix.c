/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The route-by-role matrix, generated from the route table itself: every
 * route is requested as nobody, a participant, a trainer, a coordinator
 * and an administrator, and each answer must match the route's declared
 * access.  A route added tomorrow is covered the day it is added.
 *
 * Below the declared level: nobody is sent to sign in (401 for the API),
 * a signed-in person too low gets 403.  At or above it the access check
 * lets the request through: whatever the handler answers (200, 404, 422,
 * a redirect), it is not a refusal of who asks, nor a server error.  A POST without its CSRF
 * token is refused (403) for everybody, also those allowed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "http/server.h"
#include "pages/routes.h"

enum { NOBODY, PARTICIPANT, TRAINER, COORDINATOR, ADMIN, NROLES };
static const char *const role_names[NROLES] = {"nobody", "participant", "trainer", "coordinator",
                                               "admin"};

static char data_dir[256];
static struct served srv;
static char cookies[NROLES][400], tokens[NROLES][64];
static char anon_cookie[300], anon_token[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "matrix.participant@example.org", "cyberdiplomacy");
    if (!serve_start(&srv, data_dir))
        return -1;
    char pair[200];
    if (!csrf_pair(&srv, pair, sizeof pair, anon_token, sizeof anon_token))
        return -1;
    snprintf(anon_cookie, sizeof anon_cookie, "Cookie: %s", pair);
    return sign_in_by_link(&srv, data_dir, "matrix.participant@example.org", cookies[PARTICIPANT],
                           sizeof cookies[0], tokens[PARTICIPANT], sizeof tokens[0]) &&
           sign_in(&srv, "trainer%40example.org", "trainer-password-1", cookies[TRAINER],
                   sizeof cookies[0], tokens[TRAINER], sizeof tokens[0]) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1",
                   cookies[COORDINATOR], sizeof cookies[0], tokens[COORDINATOR],
                   sizeof tokens[0]) &&
           sign_in(&srv, "admin%40example.org", "admin-password-1", cookies[ADMIN],
                   sizeof cookies[0], tokens[ADMIN], sizeof tokens[0])
               ? 0
               : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* A path for pattern with every parameter filled in: real names where the
 * access check may look at them, values that exist nowhere elsewhere, so
 * that no request of the matrix changes anything. */
static void fill(const char *pattern, char *out, size_t n)
{
    static const struct {
        const char *name, *value;
    } values[] = {
        {"{slug}", "sela-2022"},     {"{course}", "cyberdiplomacy"}, {"{id}", "999999"},
        {"{kind}", "nosuchkind"},    {"{file}", "aula.css"},          {"{batch}", "nosuchbatch"},
        {"{number}", "NO-SUCH-0000"}, {"{token}", "matrixtokenmatrixtokenmatrixtokenmatrixto"},
    };
    size_t o = 0;
    for (const char *p = pattern; *p && o + 1 < n;) {
        bool done = false;
        for (size_t i = 0; i < sizeof values / sizeof *values && !done; i++) {
            size_t len = strlen(values[i].name);
            if (strncmp(p, values[i].name, len) == 0) {
                o += (size_t)snprintf(out + o, n - o, "%s", values[i].value);
                p += len;
                done = true;
            }
        }
        if (!done && *p == '{') {
            /* A parameter this test does not know yet: a plain value. */
            const char *end = strchr(p, '}');
            o += (size_t)snprintf(out + o, n - o, "x");
            p = end ? end + 1 : p + strlen(p);
        } else if (!done) {
            out[o++] = *p++;
        }
    }
    out[o < n ? o : n - 1] = '\0';
}

/* One request of the matrix; the response's status into *status and, for a
 * redirect, its Location into loc. */
static void request_as(const struct route *rt, int role, bool with_csrf, long *status, char *loc,
                       size_t ln)
{
    char path[300], url[400];
    fill(rt->pattern, path, sizeof path);
    snprintf(url, sizeof url, "%s%s", srv.origin, path);
    const char *cookie = role == NOBODY ? anon_cookie : cookies[role];
    const char *token = role == NOBODY ? anon_token : tokens[role];
    struct http_response r;
    *loc = '\0';
    if (rt->method == HTTP_GET) {
        const char *h[] = {cookie, NULL};
        assert_true(http("GET", url, h, NULL, 0, &r));
    } else if (rt->flags & R_UPLOAD) {
        char body[600];
        int len = snprintf(body, sizeof body,
                           "--MaTrIx\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                           "--MaTrIx\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\n"
                           "cyberdiplomacy\r\n--MaTrIx--\r\n",
                           with_csrf ? token : "wrong-token");
        const char *h[] = {cookie, "Content-Type: multipart/form-data; boundary=MaTrIx", NULL};
        assert_true(http("POST", url, h, body, (size_t)len, &r));
    } else {
        char body[200];
        snprintf(body, sizeof body, "csrf=%s&matrix=1", with_csrf ? token : "wrong-token");
        const char *h[] = {cookie, "Content-Type: application/x-www-form-urlencoded", NULL};
        assert_true(http("POST", url, h, body, strlen(body), &r));
    }
    *status = r.status;
    if (r.status >= 300 && r.status < 400)
        header_value(&r, "Location", loc, ln);
    http_free(&r);
}

static bool sent_to_sign_in(long status, const char *loc)
{
    return status == 303 && strncmp(loc, "/login?next=", 12) == 0;
}

/* Routes that end what the matrix needs (signing out) are requested only
 * by nobody: their refusals are what is checked here. */
static bool ends_a_session(const struct route *rt)
{
    return strcmp(rt->pattern, "/logout") == 0;
}

static void every_route_answers_as_declared(void **state)
{
    (void)state;
    const struct route *routes = aula_app.routes;
    size_t n = aula_app.nroutes;
    assert_true(n > 70);
    int failures = 0, checked = 0;
    /* Administrators last: an allowed request may change what others see. */
    for (int role = NOBODY; role < NROLES; role++) {
        for (size_t i = 0; i < n; i++) {
            const struct route *rt = &routes[i];
            if (role != NOBODY && (rt->access == ACCESS_PUBLIC || ends_a_session(rt)))
                continue;
            bool allowed = rt->access == ACCESS_PUBLIC || (role != NOBODY && role >= (int)rt->access);
            long status;
            char loc[300];
            request_as(rt, role, true, &status, loc, sizeof loc);
            checked++;
            const char *method = rt->method == HTTP_GET ? "GET" : "POST";
            if (!allowed) {
                bool ok = role == NOBODY ? ((rt->flags & R_API) ? status == 401
                                                                : sent_to_sign_in(status, loc))
                                         : status == 403;
                if (!ok) {
                    print_error("%s %s as %s: %ld (%s), expected a refusal\n", method,
                                rt->pattern, role_names[role], status, loc);
                    failures++;
                }
            } else {
                /* Let through.  A trainer reaches only the courses they
                 * teach (the demo trainer teaches none), so a course's
                 * pages may still refuse them with 403. */
                bool refused = status == 401 || sent_to_sign_in(status, loc) ||
                               (status == 403 && role != TRAINER) || status >= 500;
                if (refused) {
                    print_error("%s %s as %s: %ld (%s), expected to be let through\n", method,
                                rt->pattern, role_names[role], status, loc);
                    failures++;
                }
            }
            /* Without its CSRF token, a POST is refused even to those allowed. */
            if (rt->method == HTTP_POST && allowed && !(rt->flags & R_NO_CSRF)) {
                request_as(rt, role, false, &status, loc, sizeof loc);
                checked++;
                if (status != 403) {
                    print_error("POST %s as %s without CSRF: %ld, expected 403\n", rt->pattern,
                                role_names[role], status);
                    failures++;
                }
            }
        }
    }
    print_message("%d requests over %zu routes and %d roles\n", checked, n, NROLES);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_route_answers_as_declared),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
