/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of people in the console: administrators add staff (who
 * set their password from a mailed single-use link), change their role and
 * deactivate them; nobody else may, no change leaves the site without an
 * active administrator, and a deactivated account's sessions and API
 * tokens stop working at once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char coord[400], ctoken[64];

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0)
        return -1;
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static void q(const char *sql, char *out, size_t n)
{
    out[0] = '\0';
    db_query(data_dir, sql, out, n);
}

static long post(const char *who, const char *token, const char *path, const char *fields)
{
    char body[1000];
    snprintf(body, sizeof body, "csrf=%s&%s", token, fields);
    struct http_response r;
    assert_true(post_form(&srv, who, path, body, &r));
    long status = r.status;
    http_free(&r);
    return status;
}

static char *get_body(const char *who, const char *path, long *status)
{
    struct http_response r;
    const char *h[] = {who, NULL};
    assert_true(get_path(&srv, path, who ? h : NULL, &r));
    *status = r.status;
    char *b = strdup(r.body ? r.body : "");
    http_free(&r);
    return b;
}

static long id_of(const char *email)
{
    char sql[300], out[32];
    snprintf(sql, sizeof sql, "SELECT id FROM account WHERE email = '%s'", email);
    q(sql, out, sizeof out);
    return atol(out);
}

static void field_of(const char *email, const char *column, char *out, size_t n)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT %s FROM account WHERE email = '%s'", column, email);
    q(sql, out, n);
}

static int count(const char *sql)
{
    char out[32];
    q(sql, out, sizeof out);
    return atoi(out);
}

/* An administrator adds a coordinator; the link reaches only the mail; the
 * person sets a password with it (once) and signs in. */
static void add_person_who_sets_a_password(void **state)
{
    (void)state;
    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=New.Coord%40Example.org&role=coordinator&language=en"), 303);
    char out[200];
    field_of("new.coord@example.org", "role", out, sizeof out);
    assert_string_equal(out, "coordinator");
    field_of("new.coord@example.org", "active", out, sizeof out);
    assert_string_equal(out, "1");
    field_of("new.coord@example.org", "password_hash IS NULL", out, sizeof out);
    assert_string_equal(out, "1");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'account.add'"
                           " AND actor = 'admin@example.org' AND subject = 'new.coord@example.org'"
                           " AND detail = 'coordinator'"), 1);

    /* The link is in the delivered mail only, never in the outbox's text
     * or on a console page. */
    char path[300];
    assert_true(mail_link(data_dir, "new.coord@example.org", "account.password", "/password/",
                          path, sizeof path));
    const char *token = path + strlen("/password/");
    assert_true(strlen(token) >= 40);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM outbox WHERE instr(body_text, '%s') > 0"
                              " OR instr(body_html, '%s') > 0", token, token);
    assert_int_equal(count(sql), 0);
    long status;
    char *page = get_body(admin, "/admin/outbox", &status);
    assert_int_equal(status, 200);
    assert_null(strstr(page, token));
    free(page);
    page = get_body(admin, "/admin/people", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "new.coord@example.org"));
    assert_null(strstr(page, token));
    free(page);

    /* The link's page, then refusals, then the password. */
    char cookie[200], csrf[64];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    char hdr[300];
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    page = get_body(hdr, path, &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "name=\"password2\""));
    free(page);
    assert_int_equal(post(hdr, csrf, path, "password=short&password2=short"), 422);
    assert_int_equal(post(hdr, csrf, path, "password=a-long-password-1&password2=another-one-22"), 422);
    field_of("new.coord@example.org", "password_hash IS NULL", out, sizeof out);
    assert_string_equal(out, "1");
    assert_int_equal(post(hdr, csrf, path, "password=a-long-password-1&password2=a-long-password-1"),
                     200);
    field_of("new.coord@example.org", "password_hash IS NULL", out, sizeof out);
    assert_string_equal(out, "0");
    /* Once only. */
    assert_int_equal(post(hdr, csrf, path, "password=a-third-password&password2=a-third-password"),
                     410);
    page = get_body(hdr, path, &status);
    assert_int_equal(status, 410);
    free(page);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'account.password_set'"
                           " AND subject = 'new.coord@example.org'"), 1);

    char who[400], tok[64];
    assert_true(sign_in(&srv, "new.coord%40example.org", "a-long-password-1", who, sizeof who, tok,
                        sizeof tok));
    page = get_body(who, "/admin/events/sela-2022/applications", &status);
    assert_int_equal(status, 200);
    free(page);
    /* A coordinator does not manage people. */
    page = get_body(who, "/admin/people", &status);
    assert_int_equal(status, 403);
    free(page);
    assert_false(sign_in(&srv, "new.coord%40example.org", "a-third-password", who, sizeof who, tok,
                         sizeof tok));
}

/* Only administrators; only the three staff roles; an address once. */
static void refusals(void **state)
{
    (void)state;
    int before = count("SELECT count(*) FROM account");
    assert_int_equal(post(coord, ctoken, "/admin/people",
                          "email=x1%40example.org&role=admin&language=es"), 403);
    long trainer = id_of("trainer@example.org");
    char f[200];
    snprintf(f, sizeof f, "id=%ld&role=admin", trainer);
    assert_int_equal(post(coord, ctoken, "/admin/people/role", f), 403);
    snprintf(f, sizeof f, "id=%ld&action=deactivate", id_of("admin@example.org"));
    assert_int_equal(post(coord, ctoken, "/admin/people/active", f), 403);
    long status;
    char *page = get_body(coord, "/admin/people", &status);
    assert_int_equal(status, 403);
    free(page);
    page = get_body(coord, "/admin/settings", &status);
    assert_int_equal(status, 403);
    free(page);
    /* Nobody signed in: sent to sign in, nothing changes. */
    struct http_response r;
    char cookie[200], csrf[64], hdr[300], body[200];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    snprintf(body, sizeof body, "csrf=%s&email=x2%%40example.org&role=admin&language=es", csrf);
    assert_true(post_form(&srv, hdr, "/admin/people", body, &r));
    assert_true(r.status == 303 || r.status == 401 || r.status == 403);
    http_free(&r);

    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=x3%40example.org&role=superuser&language=es"), 422);
    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=x4%40example.org&role=participant&language=es"), 422);
    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=not-an-address&role=trainer&language=es"), 422);
    assert_int_equal(count("SELECT count(*) FROM account"), before);
    /* An address that is already staff. */
    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=Trainer%40example.org&role=admin&language=es"), 409);
    char out[64];
    field_of("trainer@example.org", "role", out, sizeof out);
    assert_string_equal(out, "trainer");
    /* A role that is not one. */
    snprintf(f, sizeof f, "id=%ld&role=root", trainer);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 422);
    field_of("trainer@example.org", "role", out, sizeof out);
    assert_string_equal(out, "trainer");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action LIKE 'account.%'"
                           " AND actor = 'coordinator@example.org'"), 0);
}

/* Roles change, with the audit log; no change leaves no administrator. */
static void roles_and_the_last_admin(void **state)
{
    (void)state;
    long trainer = id_of("trainer@example.org"), me = id_of("admin@example.org");
    char f[200], out[64];
    snprintf(f, sizeof f, "id=%ld&role=coordinator", trainer);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 303);
    field_of("trainer@example.org", "role", out, sizeof out);
    assert_string_equal(out, "coordinator");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'account.role'"
                           " AND subject = 'trainer@example.org' AND detail = 'coordinator'"), 1);
    snprintf(f, sizeof f, "id=%ld&role=trainer", trainer);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 303);

    /* The only administrator can neither demote nor deactivate themselves. */
    assert_int_equal(count("SELECT count(*) FROM account WHERE role = 'admin' AND active = 1"), 1);
    snprintf(f, sizeof f, "id=%ld&role=coordinator", me);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 409);
    snprintf(f, sizeof f, "id=%ld&action=deactivate", me);
    assert_int_equal(post(admin, atoken, "/admin/people/active", f), 409);
    field_of("admin@example.org", "role || active", out, sizeof out);
    assert_string_equal(out, "admin1");

    /* With a second administrator, the first may step down... */
    assert_int_equal(post(admin, atoken, "/admin/people",
                          "email=second.admin%40example.org&role=admin&language=es"), 303);
    long second = id_of("second.admin@example.org");
    /* ...but while the second is deactivated, the first is the last again. */
    snprintf(f, sizeof f, "id=%ld&action=deactivate", second);
    assert_int_equal(post(admin, atoken, "/admin/people/active", f), 303);
    snprintf(f, sizeof f, "id=%ld&role=trainer", me);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 409);
    snprintf(f, sizeof f, "id=%ld&action=activate", second);
    assert_int_equal(post(admin, atoken, "/admin/people/active", f), 303);
    /* The second administrator is now the only one who could be demoted
     * last: demoting them is fine while the first remains. */
    snprintf(f, sizeof f, "id=%ld&role=coordinator", second);
    assert_int_equal(post(admin, atoken, "/admin/people/role", f), 303);
    field_of("second.admin@example.org", "role", out, sizeof out);
    assert_string_equal(out, "coordinator");
    field_of("admin@example.org", "role || active", out, sizeof out);
    assert_string_equal(out, "admin1");
}

static void sha256_hex(const char *s, char hex[65])
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, (const unsigned char *)s, strlen(s));
    sodium_bin2hex(hex, 65, d, sizeof d);
}

/* Deactivating ends the sessions and API tokens at once; the password stops
 * working; reactivating lets the person sign in again (old sessions stay
 * ended). */
static void deactivation_is_immediate(void **state)
{
    (void)state;
    char who[400], tok[64];
    assert_true(sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", who,
                        sizeof who, tok, sizeof tok));
    long coordinator = id_of("coordinator@example.org");
    const char *api = "people-test-api-token-0123456789abcdef";
    char hex[65], sql[400];
    sha256_hex(api, hex);
    snprintf(sql, sizeof sql, "INSERT INTO api_token (token_hash, account_id, created_at)"
                              " VALUES ('%s', %ld, '2026-01-01T00:00:00Z')", hex, coordinator);
    db_query(data_dir, sql, NULL, 0);
    char bearer[200];
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", api);
    long status;
    char *page = get_body(bearer, "/api/v1/events/sela-2022/applications", &status);
    assert_int_equal(status, 200);
    free(page);
    page = get_body(who, "/admin/events/sela-2022/applications", &status);
    assert_int_equal(status, 200);
    free(page);

    char f[200];
    snprintf(f, sizeof f, "id=%ld&action=deactivate", coordinator);
    assert_int_equal(post(admin, atoken, "/admin/people/active", f), 303);
    char out[64];
    field_of("coordinator@example.org", "active", out, sizeof out);
    assert_string_equal(out, "0");
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action = 'account.deactivate'"
                           " AND subject = 'coordinator@example.org'"), 1);

    page = get_body(bearer, "/api/v1/events/sela-2022/applications", &status);
    assert_int_equal(status, 401);
    free(page);
    page = get_body(who, "/admin/events/sela-2022/applications", &status);
    assert_int_equal(status, 303); /* sent to sign in */
    free(page);
    char who2[400], tok2[64];
    assert_false(sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", who2,
                         sizeof who2, tok2, sizeof tok2));
    /* The earlier session (from group_setup) ended too. */
    page = get_body(coord, "/admin", &status);
    assert_int_equal(status, 303);
    free(page);
    /* No set-password link for a deactivated account. */
    snprintf(f, sizeof f, "id=%ld&language=es", coordinator);
    assert_int_equal(post(admin, atoken, "/admin/people/link", f), 404);

    snprintf(f, sizeof f, "id=%ld&action=activate", coordinator);
    assert_int_equal(post(admin, atoken, "/admin/people/active", f), 303);
    page = get_body(who, "/admin", &status);
    assert_int_equal(status, 303); /* ended sessions stay ended */
    free(page);
    page = get_body(bearer, "/api/v1/events/sela-2022/applications", &status);
    assert_int_equal(status, 401); /* and deleted tokens stay deleted */
    free(page);
    assert_true(sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                        sizeof coord, ctoken, sizeof ctoken));
}

/* The audit log reads in words: actions, roles and times, never the
 * stored keys. */
static void the_audit_log_speaks_words(void **state)
{
    (void)state;
    long status;
    char *page = get_body(admin, "/admin/audit", &status);
    assert_int_equal(status, 200);
    assert_non_null(strstr(page, "Persona añadida al equipo"));
    assert_non_null(strstr(page, "Función cambiada"));
    assert_non_null(strstr(page, "Coordinador(a)"));
    assert_null(strstr(page, "account.add"));
    assert_null(strstr(page, ">coordinator<"));
    assert_null(strstr(page, "session.start"));
    /* No stored instants ("2026-12-02T06:36:00Z"). */
    const char *p = page;
    while ((p = strchr(p, 'T')) != NULL) {
        bool iso = p - page >= 10 && p[-3] == '-' && p[1] >= '0' && p[1] <= '9' && p[3] == ':';
        assert_false(iso);
        p++;
    }
    free(page);
    page = get_body(admin, "/admin/audit?lang=en", &status);
    assert_non_null(strstr(page, "Staff member added"));
    assert_non_null(strstr(page, "Account deactivated"));
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_person_who_sets_a_password),
        cmocka_unit_test(refusals),
        cmocka_unit_test(roles_and_the_last_admin),
        cmocka_unit_test(deactivation_is_immediate),
        cmocka_unit_test(the_audit_log_speaks_words),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
