/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the operations of app/certificates.c and
 * app/invitations.c as people meet them: a certificate and its email exist
 * together or not at all (from the console and from the command line), and
 * the single-person actions that email someone (reissuing one certificate,
 * resending one message) show the message, secrets masked, and send
 * nothing before the confirmation, then exactly one message, once. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define MASK "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2" /* part of OUTBOX_MASK */

static char data_dir[256];
static struct served srv;
static char admin[400], admin_token[64];

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0)
        return -1;
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "maria@example.org", "cyberdiplomacy");
    /* María may receive a certificate: an administrator granted it. */
    db_query(data_dir, "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by, granted_at)"
             " SELECT max(id), 'Attended in person', 'admin@example.org', 'x' FROM enrolment",
             NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in(&srv, "admin%40example.org", "admin-password-1", admin, sizeof admin,
                   admin_token, sizeof admin_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    serve_stop(&srv, 5000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return 0;
}

static int count_of(const char *sql)
{
    char out[64] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atoi(out);
}

/* PDFs in DATA/certificates/ (a refused issue must leave none). */
static int pdf_files(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/certificates", data_dir);
    DIR *d = opendir(path);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strstr(e->d_name, ".pdf") != NULL;
    if (d)
        closedir(d);
    return n;
}

/* Submits the confirmation form of the preview page html twice (a double
 * click): each answered with a redirect, and check() holds after each. */
static void confirm_twice(const char *html, void (*check)(void))
{
    char action[300], confirm[4096];
    assert_true(confirm_form(html, action, sizeof action, confirm, sizeof confirm));
    for (int twice = 0; twice < 2; twice++) {
        struct http_response r;
        assert_true(post_form(&srv, admin, action, confirm, &r));
        assert_int_equal(r.status, 303);
        http_free(&r);
        check();
    }
}

static const char *const refuse_mail =
    "CREATE TRIGGER IF NOT EXISTS ops_a_refuse_mail BEFORE INSERT ON outbox WHEN NEW.kind = 'certificate'"
    " BEGIN SELECT RAISE(ABORT, 'no mail'); END";

/* The console: with the email refused, no certificate is recorded (nor its
 * PDF kept); once mail can be queued, both appear together. */
static void console_certificate_comes_with_its_email(void **state)
{
    (void)state;
    db_query(data_dir, refuse_mail, NULL, 0);
    struct http_response r;
    char body[300];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy", admin_token);
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/issue", body, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), 0);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'certificate'"), 0);
    assert_int_equal(pdf_files(), 0);

    db_query(data_dir, "DROP TRIGGER IF EXISTS ops_a_refuse_mail", NULL, 0);
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/issue", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), 1);
    /* The message is the certificate's: to María, its PDF attached. */
    assert_int_equal(count_of("SELECT count(*) FROM outbox o, certificate c WHERE o.kind ="
                              " 'certificate' AND o.to_addr = 'maria@example.org' AND"
                              " o.attachment_name = c.number || '.pdf'"),
                     1);
    assert_int_equal(pdf_files(), 1);
}

/* The command line issues through the same operation: refused mail, no
 * certificate and a failure; else the certificate and its email. */
static void cli_certificate_comes_with_its_email(void **state)
{
    (void)state;
    char out[4096];
    db_query(data_dir, "UPDATE certificate SET status = 'revoked', revoked_at = 'x'", NULL, 0);
    int before = count_of("SELECT count(*) FROM certificate");
    db_query(data_dir, refuse_mail, NULL, 0);
    int rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir,
                      "--event", "sela-2022", "--course", "cyberdiplomacy", NULL);
    if (rc != 1)
        fail_msg("aula certificates issue (mail refused) said: %s", out);
    assert_non_null(strstr(out, "0 issued"));
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), before);
    db_query(data_dir, "DROP TRIGGER IF EXISTS ops_a_refuse_mail", NULL, 0);
    rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir, "--event",
                  "sela-2022", "--course", "cyberdiplomacy", NULL);
    if (rc != 0)
        fail_msg("aula certificates issue said: %s", out);
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), before + 1);
    assert_int_equal(count_of("SELECT count(*) FROM outbox o, certificate c WHERE"
                              " c.status = 'valid' AND o.attachment_name = c.number || '.pdf'"),
                     1);
}

static int certs, mails; /* before the reissue */

static void one_more_certificate_and_email(void)
{
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), certs + 1);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'certificate'"), mails + 1);
}

/* Reissuing one certificate: the preview shows the message (the new number
 * masked) and changes nothing; the confirmation reissues and queues one
 * message; the same confirmation again does nothing. */
static void reissue_shows_its_message_first(void **state)
{
    (void)state;
    char number[64] = "", body[300], q[300];
    db_query(data_dir, "SELECT number FROM certificate WHERE status = 'valid'", number,
             sizeof number);
    assert_true(*number);
    certs = count_of("SELECT count(*) FROM certificate");
    mails = count_of("SELECT count(*) FROM outbox WHERE kind = 'certificate'");
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=reissue&reason=", admin_token, number);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "maria@example.org"));
    assert_non_null(strstr(r.body, "SELA-2022-CYB-" MASK));
    assert_non_null(strstr(r.body, "class=\"bulk-confirm\""));
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), certs);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'certificate'"), mails);
    snprintf(q, sizeof q, "SELECT status FROM certificate WHERE number = '%s'", number);
    char st[32];
    db_query(data_dir, q, st, sizeof st);
    assert_string_equal(st, "valid");

    confirm_twice(r.body, one_more_certificate_and_email);
    http_free(&r);
    db_query(data_dir, q, st, sizeof st);
    assert_string_equal(st, "superseded");
    /* A superseded certificate is refused, and nobody is emailed. */
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 409);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'certificate'"), mails + 1);
}

static char id[32]; /* of the failed message */
static int rows;    /* in the outbox before it is resent */

static const char *status_of(void)
{
    static char st[32];
    char q[200];
    snprintf(q, sizeof q, "SELECT status FROM outbox WHERE id = %s", id);
    db_query(data_dir, q, st, sizeof st);
    return st;
}

/* Queued again, as the same row, and once. */
static void resent_once(void)
{
    assert_string_not_equal(status_of(), "failed");
    assert_int_equal(count_of("SELECT count(*) FROM outbox"), rows);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action = 'mail.resend'"), 1);
}

/* Resending one failed message: the preview shows it as it will go (its
 * link's token masked, never the token) and queues nothing; the
 * confirmation queues that message again, once. */
static void resend_shows_the_message_first(void **state)
{
    (void)state;
    db_query(data_dir,
             "INSERT INTO outbox (created_at, kind, to_addr, to_name, language, subject, body_text,"
             " status, attempts, last_error, secret) VALUES ('2022-03-01T00:00:00Z', 'invitation',"
             " 'maria@example.org', 'María', 'en', 'Your invitation to Cyberdiplomacy',"
             " 'Join here: http://localhost/j/' || '\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
             "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2', 'failed', 5, '550 refused',"
             " 'OPSASECRETtoken0123456789abcdef')",
             NULL, 0);
    char body[300];
    db_query(data_dir, "SELECT max(id) FROM outbox", id, sizeof id);
    rows = count_of("SELECT count(*) FROM outbox");
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s&id=%s", admin_token, id);
    assert_true(post_form(&srv, admin, "/admin/outbox/resend", body, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Your invitation to Cyberdiplomacy"));
    assert_non_null(strstr(r.body, "/j/" MASK));
    assert_non_null(strstr(r.body, "maria@example.org"));
    assert_null(strstr(r.body, "OPSASECRET"));
    assert_string_equal(status_of(), "failed");

    confirm_twice(r.body, resent_once);
    http_free(&r);
    /* A message that has not failed cannot be resent, nor one that does not exist. */
    assert_true(post_form(&srv, admin, "/admin/outbox/resend", body, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&id=999999", admin_token);
    assert_true(post_form(&srv, admin, "/admin/outbox/resend", body, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(console_certificate_comes_with_its_email),
        cmocka_unit_test(cli_certificate_comes_with_its_email),
        cmocka_unit_test(reissue_shows_its_message_first),
        cmocka_unit_test(resend_shows_the_message_first),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
