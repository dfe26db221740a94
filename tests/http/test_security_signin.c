/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Signing in, secrets in the console, rate limits (issue #11, findings 1,
 * 5, 6, 12): the real binary over HTTP.
 *
 * The main server trusts 127.0.0.1 as a reverse proxy, so each test can
 * speak as a different client with X-Forwarded-For; the in-memory limits
 * are per server process, so every test uses its own addresses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;

static void write_ini(const char *dir, const char *text)
{
    char path[300];
    snprintf(path, sizeof path, "%s/aula.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    char path[300];
    snprintf(path, sizeof path, "%s/aula.ini", data_dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fputs("[server]\ntrusted_proxies = 127.0.0.1, ::1\n", f);
    fclose(f);
    return serve_start(&srv, data_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    /* Exit status 0: under the sanitizers, also no leak or error at exit. */
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

static int count(const char *dir, const char *q)
{
    char out[32];
    db_query(dir, q, out, sizeof out);
    return atoi(out);
}

/* POST /login on s as the client xff (NULL: no header), with a fresh CSRF
 * pair; email is URL-encoded already. */
static void login_as(const struct served *s, const char *xff, const char *email,
                     const char *password, const char *next, struct http_response *r)
{
    char cookie[200], token[64], hdr[260], fwd[200], body[600], url[200];
    assert_true(csrf_pair(s, cookie, sizeof cookie, token, sizeof token));
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    snprintf(fwd, sizeof fwd, "X-Forwarded-For: %s", xff ? xff : "");
    const char *h[] = {hdr, "Content-Type: application/x-www-form-urlencoded",
                       xff ? fwd : NULL, NULL};
    snprintf(body, sizeof body, "csrf=%s&email=%s&password=%s&next=%s", token, email, password,
             next ? next : "");
    snprintf(url, sizeof url, "%s/login", s->origin);
    assert_true(http("POST", url, h, body, strlen(body), r));
}

static long login_status(const struct served *s, const char *xff, const char *email,
                         const char *password)
{
    struct http_response r;
    login_as(s, xff, email, password, NULL, &r);
    long status = r.status;
    http_free(&r);
    return status;
}

static void coordinator(char *cookies, size_t n, char *token, size_t tn)
{
    assert_true(sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", cookies, n,
                        token, tn));
}

/* ---- finding 1: a coordinator cannot become the administrator ---- */

/* The exact attack: anyone asks for a link for the administrator at
 * /login, a coordinator reads the outbox and signs in with it. */
static void staff_link_attack_fails(void **state)
{
    (void)state;
    struct http_response r;
    login_as(&srv, "192.0.2.10", "admin%40example.org", "", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Revise su correo")); /* tells nothing */
    http_free(&r);
    /* No link was made for a staff account, only a note to use the password. */
    assert_int_equal(count(data_dir, "SELECT count(*) FROM signin_token t JOIN account a ON"
                                     " a.id = t.account_id WHERE a.email = 'admin@example.org'"), 0);
    assert_int_equal(count(data_dir, "SELECT count(*) FROM outbox WHERE kind = 'signin.link'"
                                     " AND to_addr = 'admin@example.org'"), 0);
    assert_int_equal(count(data_dir, "SELECT count(*) FROM outbox WHERE kind = 'signin.staff'"
                                     " AND to_addr = 'admin@example.org'"), 1);

    /* The coordinator reads the outbox: nothing to sign in with. */
    char cookies[400], token[64];
    coordinator(cookies, sizeof cookies, token, sizeof token);
    const char *h[] = {cookies, NULL};
    assert_true(get_path(&srv, "/admin/outbox", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "admin@example.org"));
    assert_null(strstr(r.body, "/login/"));
    http_free(&r);
    /* Even the note as delivered carries no link. */
    char path[200];
    assert_false(mail_link(data_dir, "admin@example.org", "signin.staff", "/login/", path,
                           sizeof path));
    assert_true(mail_link(data_dir, "admin@example.org", "signin.staff", "/login", path,
                          sizeof path));

    /* A link for a staff account that exists anyway (made before this
     * rule, or planted) is refused, on the page and on the button. */
    const char *planted = "c3RhZmYtbGluay1mb3ItdGhlLWFkbWluaXN0cmF0b3Iu";
    unsigned char d[crypto_hash_sha256_BYTES];
    char hash[crypto_hash_sha256_BYTES * 2 + 1], q[400];
    crypto_hash_sha256(d, (const unsigned char *)planted, strlen(planted));
    sodium_bin2hex(hash, sizeof hash, d, sizeof d);
    snprintf(q, sizeof q,
             "INSERT INTO signin_token (token_hash, account_id, next_path, created_at, expires_at)"
             " SELECT '%s', id, '/admin', '2026-01-01T00:00:00Z', '2999-01-01T00:00:00Z'"
             " FROM account WHERE email = 'admin@example.org'", hash);
    db_query(data_dir, q, NULL, 0);
    char link[200];
    snprintf(link, sizeof link, "/login/%s", planted);
    assert_true(get_path(&srv, link, NULL, &r));
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "contraseña"));
    assert_null(strstr(r.body, "action=\"/login/"));
    http_free(&r);
    char cookie[200], csrf[64], hdr[260];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    char body[100];
    snprintf(body, sizeof body, "csrf=%s", csrf);
    assert_true(post_form(&srv, hdr, link, body, &r));
    assert_int_equal(r.status, 403);
    assert_null(strstr(r.headers, "aula_session="));
    http_free(&r);
    /* Spent by the refused try, and no session was made for the admin. */
    snprintf(q, sizeof q, "SELECT count(*) FROM signin_token WHERE token_hash = '%s'"
             " AND used_at IS NOT NULL", hash);
    assert_int_equal(count(data_dir, q), 1);
}

/* The outbox shows the participant's link masked; the mail has it. */
static void outbox_masks_signin_links(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "mask@example.org", "cyberdiplomacy");
    struct http_response r;
    login_as(&srv, "192.0.2.11", "mask%40example.org", "", NULL, &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
    char path[200];
    assert_true(mail_link(data_dir, "mask@example.org", "signin.link", "/login/", path,
                          sizeof path));
    const char *token = path + strlen("/login/");
    assert_int_equal(strlen(token), 43);

    /* Stored: the text holds the mask, not the token; once sent, the
     * secret is forgotten. */
    char body[4096], q[300];
    db_query(data_dir, "SELECT body_text || body_html || subject FROM outbox WHERE kind ="
             " 'signin.link' AND to_addr = 'mask@example.org'", body, sizeof body);
    assert_null(strstr(body, token));
    assert_non_null(strstr(body, "/login/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"));
    assert_int_equal(count(data_dir, "SELECT count(*) FROM outbox WHERE to_addr ="
                                     " 'mask@example.org' AND secret IS NOT NULL"), 0);
    snprintf(q, sizeof q, "SELECT count(*) FROM outbox WHERE instr(body_text, '%s') OR"
             " instr(body_html, '%s')", token, token);
    assert_int_equal(count(data_dir, q), 0);

    char cookies[400], csrf[64];
    coordinator(cookies, sizeof cookies, csrf, sizeof csrf);
    const char *h[] = {cookies, NULL};
    const char *pages[] = {"/admin/outbox", "/admin/outbox?format=json"};
    for (int i = 0; i < 2; i++) {
        assert_true(get_path(&srv, pages[i], h, &r));
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "mask@example.org"));
        assert_null(strstr(r.body, token));
        if (i == 0)
            assert_non_null(strstr(r.body, "/login/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"));
        http_free(&r);
    }
    /* The delivered link still works. */
    char cookie[200], session[128];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    assert_true(use_signin_link(&srv, path, cookie, csrf, session, sizeof session, &r));
    http_free(&r);
}

/* Join links in invitations are masked the same way. */
static void outbox_masks_join_links(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "joiner@example.org", "techplomacy");
    char cookies[400], csrf[64], body[200];
    coordinator(cookies, sizeof cookies, csrf, sizeof csrf);
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s", csrf);
    assert_true(post_confirmed(&srv, cookies, "/admin/events/sela-2022/courses/techplomacy/invitations",
                               body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char token[64], q[300];
    db_query(data_dir, "SELECT j.token FROM join_link j JOIN enrolment e ON e.id = j.enrolment_id"
             " JOIN application a ON a.id = e.application_id WHERE a.email = 'joiner@example.org'",
             token, sizeof token);
    assert_true(strlen(token) >= 16);
    assert_int_equal(count(data_dir, "SELECT count(*) FROM outbox WHERE kind = 'invitation' AND"
                                     " to_addr = 'joiner@example.org' AND body_text LIKE"
                                     " '%/j/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022%'"), 1);
    snprintf(q, sizeof q, "SELECT count(*) FROM outbox WHERE instr(body_text, '%s') OR"
             " instr(body_html, '%s') OR instr(subject, '%s')", token, token, token);
    assert_int_equal(count(data_dir, q), 0);
    const char *h[] = {cookies, NULL};
    assert_true(get_path(&srv, "/admin/outbox", h, &r));
    assert_non_null(strstr(r.body, "joiner@example.org"));
    assert_null(strstr(r.body, token));
    http_free(&r);
    /* The invitation as delivered carries the participant's own link. */
    char path[200], want[100];
    assert_true(mail_link(data_dir, "joiner@example.org", "invitation", "/j/", path, sizeof path));
    snprintf(want, sizeof want, "/j/%s", token);
    assert_string_equal(path, want);
}

/* Messages queued before the upgrade are masked by the migration: the
 * sent ones forget their token, the queued ones keep it for delivery. */
static void migration_masks_older_messages(void **state)
{
    (void)state;
    char dir[256], out[4096];
    temp_dir(dir, sizeof dir);
    prepare_demo(dir);
    add_registered_participant(dir, "old@example.org", "cyberdiplomacy");
    const char *signin = "AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKK"; /* 43 */
    const char *join = "ZZZZyyyyXXXXwwwwVVVVuu";                        /* 22 */
    char q[1200];
    snprintf(q, sizeof q, "INSERT INTO join_link (token, enrolment_id, created_at) SELECT '%s',"
             " e.id, '2026-01-01T00:00:00Z' FROM enrolment e JOIN application a ON"
             " a.id = e.application_id WHERE a.email = 'old@example.org'", join);
    db_query(dir, q, NULL, 0);
    snprintf(q, sizeof q, "INSERT INTO outbox (created_at, kind, to_addr, language, subject,"
             " body_text, body_html, status) VALUES ('2026-01-01T00:00:00Z', 'signin.link',"
             " 'old@example.org', 'es', 'Enlace', 'Abra http://x/login/%s\nGracias',"
             " '<a href=\"http://x/login/%s\">http://x/login/%s</a>', 'sent')",
             signin, signin, signin);
    db_query(dir, q, NULL, 0);
    snprintf(q, sizeof q, "INSERT INTO outbox (created_at, kind, to_addr, language, subject,"
             " body_text, body_html, status, next_attempt_at) VALUES ('2026-01-01T00:00:00Z',"
             " 'reminder', 'old@example.org', 'es', 'Mañana', 'Enlace: http://x/j/%s',"
             " '<a href=\"http://x/j/%s\">x</a>', 'queued', '2999-01-01T00:00:00Z')",
             join, join);
    db_query(dir, q, NULL, 0);
    /* As a database of the previous version: no secret column, 008 not applied. */
    db_query(dir, "ALTER TABLE outbox DROP COLUMN secret", NULL, 0);
    db_query(dir, "DELETE FROM schema_migration WHERE name LIKE '010_outbox_secret%'", NULL, 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022",
                              (char *)NULL), 0);
    snprintf(q, sizeof q, "SELECT count(*) FROM outbox WHERE instr(body_text || body_html ||"
             " subject, '%s') OR instr(body_text || body_html || subject, '%s')", signin, join);
    assert_int_equal(count(dir, q), 0);
    db_query(dir, "SELECT body_text FROM outbox WHERE kind = 'signin.link'", out, sizeof out);
    assert_string_equal(out, "Abra http://x/login/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\nGracias");
    db_query(dir, "SELECT coalesce(secret, 'none') FROM outbox WHERE kind = 'signin.link'", out,
             sizeof out);
    assert_string_equal(out, "none");
    db_query(dir, "SELECT secret FROM outbox WHERE kind = 'reminder'", out, sizeof out);
    assert_string_equal(out, join);
    db_query(dir, "SELECT body_html FROM outbox WHERE kind = 'reminder'", out, sizeof out);
    assert_string_equal(out, "<a href=\"http://x/j/\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022\">x</a>");
    remove_tree(dir);
}

/* ---- finding 12: only the button uses a link ---- */

static void participant_link_needs_the_button(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "button@example.org", "cyberdiplomacy");
    struct http_response r;
    login_as(&srv, "192.0.2.12", "button%40example.org", "", NULL, &r);
    http_free(&r);
    char path[200];
    assert_true(mail_link(data_dir, "button@example.org", "signin.link", "/login/", path,
                          sizeof path));
    /* A scanner fetching the link (twice) neither signs in nor spends it. */
    for (int i = 0; i < 2; i++) {
        assert_true(get_path(&srv, path, NULL, &r));
        assert_int_equal(r.status, 200);
        assert_null(strstr(r.headers, "aula_session="));
        char action[260];
        snprintf(action, sizeof action, "action=\"%s\"", path);
        assert_non_null(strstr(r.body, action));
        assert_non_null(strstr(r.body, "name=\"csrf\""));
        http_free(&r);
    }
    assert_int_equal(count(data_dir, "SELECT count(*) FROM signin_token t JOIN account a ON"
                                     " a.id = t.account_id WHERE a.email = 'button@example.org'"
                                     " AND t.used_at IS NULL"), 1);
    /* The button without its CSRF token is refused and spends nothing. */
    assert_true(post_form(&srv, "X-None: 1", path, "csrf=", &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    /* With it: signed in, to /me. */
    char cookie[200], csrf[64], session[128];
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    assert_true(use_signin_link(&srv, path, cookie, csrf, session, sizeof session, &r));
    char loc[64];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/me");
    http_free(&r);
    char hdr[400];
    snprintf(hdr, sizeof hdr, "Cookie: %s; aula_session=%s", cookie, session);
    const char *h[] = {hdr, NULL};
    assert_true(get_path(&srv, "/me", h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    /* Once only: the page and the button now say it was used. */
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 410);
    http_free(&r);
    char body[100];
    snprintf(body, sizeof body, "csrf=%s", csrf);
    snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
    assert_true(post_form(&srv, hdr, path, body, &r));
    assert_int_equal(r.status, 410);
    assert_null(strstr(r.headers, "aula_session="));
    http_free(&r);
}

/* ---- safe_next: only paths on this site ---- */

static void next_stays_on_this_site(void **state)
{
    (void)state;
    const char *evil[] = {"%2F%2Fevil.example%2Fx", "%2F%5Cevil.example", "https%3A%2F%2Fevil.example",
                          "%2F%2F%2Fevil.example"};
    for (size_t i = 0; i < sizeof evil / sizeof evil[0]; i++) {
        struct http_response r;
        char xff[32], loc[200];
        snprintf(xff, sizeof xff, "192.0.2.%zu", 20 + i);
        login_as(&srv, xff, "admin%40example.org", "admin-password-1", evil[i], &r);
        assert_int_equal(r.status, 303);
        assert_true(header_value(&r, "Location", loc, sizeof loc));
        if (strcmp(loc, "/admin") != 0)
            fail_msg("next=%s led to %s", evil[i], loc);
        http_free(&r);
    }
    /* A path on this site is followed. */
    struct http_response r;
    char loc[200];
    login_as(&srv, "192.0.2.30", "admin%40example.org", "admin-password-1", "%2Fadmin%2Foutbox", &r);
    assert_int_equal(r.status, 303);
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/admin/outbox");
    http_free(&r);
    /* Through a link too. */
    add_registered_participant(data_dir, "next@example.org", "cyberdiplomacy");
    login_as(&srv, "192.0.2.31", "next%40example.org", "", "%2F%2Fevil.example", &r);
    assert_int_equal(r.status, 200);
    http_free(&r);
    char path[200], cookie[200], csrf[64], session[128];
    assert_true(mail_link(data_dir, "next@example.org", "signin.link", "/login/", path,
                          sizeof path));
    assert_true(csrf_pair(&srv, cookie, sizeof cookie, csrf, sizeof csrf));
    assert_true(use_signin_link(&srv, path, cookie, csrf, session, sizeof session, &r));
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/me");
    http_free(&r);
}

/* ---- finding 6: one client cannot lock everybody out ---- */

static void failures_from_one_client_do_not_block_another(void **state)
{
    (void)state;
    /* 30 wrong passwords for the administrator from client A. */
    int refused = 0;
    for (int i = 0; i < 30; i++) {
        long st = login_status(&srv, "203.0.113.1", "admin%40example.org", "wrong-password");
        assert_true(st == 401 || st == 429);
        refused += st == 429;
    }
    assert_int_equal(refused, 25); /* A is limited ... */
    assert_int_equal(login_status(&srv, "203.0.113.1", "admin%40example.org", "admin-password-1"),
                     429);
    /* ... and cannot pass for B: the proxy appends A to what A sent, and
     * only the nearest untrusted hop counts, also through a chain of
     * trusted proxies. */
    assert_int_equal(login_status(&srv, "203.0.113.2, 203.0.113.1", "admin%40example.org",
                                  "admin-password-1"), 429);
    assert_int_equal(login_status(&srv, "203.0.113.2, 203.0.113.1, 127.0.0.1",
                                  "admin%40example.org", "admin-password-1"), 429);
    /* ... and the administrator's right password from client B works. */
    assert_int_equal(login_status(&srv, "203.0.113.2", "admin%40example.org", "admin-password-1"),
                     303);
}

/* Many clients guessing one account slow it down (seconds), never lock it.
 * Each failure is waited out as the server asks, so the test holds however
 * slow password hashing is on a loaded machine. */
static void account_backs_off_rather_than_locks(void **state)
{
    (void)state;
    for (int i = 0; i < 13; i++) {
        char xff[32];
        snprintf(xff, sizeof xff, "203.0.113.%d", 100 + i);
        struct http_response r;
        login_as(&srv, xff, "trainer%40example.org", "wrong", NULL, &r);
        if (r.status == 429) {
            /* Slowed, with the wait said: wait it out and try again. */
            char retry[16] = "";
            assert_true(header_value(&r, "Retry-After", retry, sizeof retry));
            assert_true(atoi(retry) >= 1 && atoi(retry) <= 30);
            http_free(&r);
            sleep((unsigned)atoi(retry));
            i--;
            continue;
        }
        assert_int_equal(r.status, 401);
        http_free(&r);
    }
    /* After thirteen failures the next try waits 8 s, even with the right
     * password from a client that never failed ... */
    struct http_response r;
    login_as(&srv, "203.0.113.200", "trainer%40example.org", "trainer-password-1", NULL, &r);
    assert_int_equal(r.status, 429);
    char retry[16] = "";
    assert_true(header_value(&r, "Retry-After", retry, sizeof retry));
    assert_true(atoi(retry) >= 1 && atoi(retry) <= 8);
    http_free(&r);
    /* ... and then the right password works: slowed, not locked. */
    sleep((unsigned)atoi(retry) + 1);
    assert_int_equal(login_status(&srv, "203.0.113.200", "trainer%40example.org",
                                  "trainer-password-1"), 303);
}

/* X-Forwarded-For from a peer that is not a configured proxy is ignored. */
static void forwarded_for_ignored_from_untrusted_peer(void **state)
{
    (void)state;
    char dir[256];
    struct served s;
    temp_dir(dir, sizeof dir);
    prepare_demo(dir);
    write_ini(dir, "[server]\ntrusted_proxies = 192.0.2.254\n");
    assert_true(serve_start(&s, dir));
    for (int i = 0; i < 5; i++) {
        char xff[32];
        snprintf(xff, sizeof xff, "203.0.113.%d", 1 + i);
        assert_int_equal(login_status(&s, xff, "admin%40example.org", "wrong"), 401);
    }
    /* Every one of those came from 127.0.0.1, whatever the header said. */
    assert_int_equal(login_status(&s, "203.0.113.50", "admin%40example.org", "admin-password-1"),
                     429);
    assert_int_equal(login_status(&s, NULL, "admin%40example.org", "admin-password-1"), 429);
    /* Another account from the same client is not affected. */
    assert_int_equal(login_status(&s, NULL, "coordinator%40example.org", "coordinator-password-1"),
                     303);
    assert_int_equal(serve_stop(&s, 5000), 0);
    /* A malformed list is refused when the settings are read, with a
     * message (any command reads them; export ends at once). */
    write_ini(dir, "[server]\ntrusted_proxies = 127.0.0.1, not-an-address\n");
    char out[512];
    assert_int_not_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022",
                                  (char *)NULL), 0);
    assert_non_null(strstr(out, "aula.ini"));
    remove_tree(dir);
}

/* ---- finding 5: case variants share the limits ---- */

static void case_variants_share_limits(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "casey@example.org", "cyberdiplomacy");
    const char *variants[] = {"casey%40example.org", "Casey%40example.org", "CASEY%40EXAMPLE.ORG",
                              "casey%40Example.Org", "cAsEy%40example.org", "CaSeY%40ExAmPlE.oRg"};
    long last = 0;
    for (int i = 0; i < 6; i++) {
        char xff[32];
        snprintf(xff, sizeof xff, "198.51.100.%d", 10 + i);
        last = login_status(&srv, xff, variants[i], "");
        if (i < 5)
            assert_int_equal(last, 200);
    }
    assert_int_equal(last, 429);
    assert_int_equal(count(data_dir, "SELECT count(*) FROM outbox WHERE kind = 'signin.link' AND"
                                     " to_addr = 'casey@example.org'"), 5);
    /* Wrong passwords from one client: case variants are one account. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_status(&srv, "198.51.100.40", variants[i], "wrong"), 401);
    assert_int_equal(login_status(&srv, "198.51.100.40", variants[5], "wrong"), 429);
}

/* Applications: the per-email limit (5 an hour) holds across case variants
 * of the address, each sent from another client. */
static void application_limit_holds_across_case_variants(void **state)
{
    (void)state;
    const char *variants[] = {"flood%40example.org", "Flood%40example.org", "FLOOD%40EXAMPLE.ORG",
                              "flOOd%40example.org", "flood%40Example.org", "FlOoD%40eXaMpLe.OrG"};
    long last = 0;
    for (int i = 0; i < 6; i++) {
        char cookie[200], token[64], hdr[260], fwd[64], url[200], body[2048];
        assert_true(csrf_pair(&srv, cookie, sizeof cookie, token, sizeof token));
        snprintf(hdr, sizeof hdr, "Cookie: %s", cookie);
        snprintf(fwd, sizeof fwd, "X-Forwarded-For: 198.51.100.%d", 60 + i);
        const char *g[] = {hdr, fwd, NULL};
        struct http_response r;
        assert_true(get_path(&srv, "/events/sela-2022/apply", g, &r));
        const char *k = strstr(r.body, "name=\"submission\" value=\"");
        assert_non_null(k);
        k += 25;
        char submission[64];
        snprintf(submission, sizeof submission, "%.*s", (int)(strchr(k, '"') - k), k);
        http_free(&r);
        snprintf(body, sizeof body,
                 "csrf=%s&submission=%s&form_of_address=ambassador&given_names=Flo"
                 "&family_names=Od&gender=female&country=VE&institution_type=foreign_ministry"
                 "&institution=M&position=P&email=%s&language=es&courses=cyberdiplomacy"
                 "&consent=1&motivation=x", token, submission, variants[i]);
        const char *h[] = {hdr, fwd, "Content-Type: application/x-www-form-urlencoded", NULL};
        snprintf(url, sizeof url, "%s/events/sela-2022/apply", srv.origin);
        assert_true(http("POST", url, h, body, strlen(body), &r));
        last = r.status;
        if (i < 5 && last == 429)
            fail_msg("application %d refused too early", i + 1);
        http_free(&r);
    }
    assert_int_equal(last, 429);
    assert_int_equal(count(data_dir, "SELECT count(*) FROM application WHERE lower(email) ="
                                     " 'flood@example.org'"), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(staff_link_attack_fails),
        cmocka_unit_test(outbox_masks_signin_links),
        cmocka_unit_test(outbox_masks_join_links),
        cmocka_unit_test(migration_masks_older_messages),
        cmocka_unit_test(participant_link_needs_the_button),
        cmocka_unit_test(next_stays_on_this_site),
        cmocka_unit_test(failures_from_one_client_do_not_block_another),
        cmocka_unit_test(account_backs_off_rather_than_locks),
        cmocka_unit_test(forwarded_for_ignored_from_untrusted_peer),
        cmocka_unit_test(case_variants_share_limits),
        cmocka_unit_test(application_limit_holds_across_case_variants),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
