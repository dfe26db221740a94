/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of certificate verification: `aula verify` on an issued
 * PDF (valid, forged facts, superseded, revoked) and the public /verify
 * pages and JSON, which must never call a superseded or revoked
 * certificate valid.  Numbers are read from the database, never assumed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256], tmp[256];
static struct served srv;
static char admin[400], admin_token[64];
static char first[64], second[64]; /* the issued number, then its reissue */

static void write_report(const char *path, const char *day)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\n"
               "María,maria@example.org,03/%s/2022 08:55:00 AM,03/%s/2022 01:05:00 PM,250,No\n",
            day, day);
    fclose(f);
}

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sodium_init() < 0)
        return -1;
    temp_dir(data_dir, sizeof data_dir);
    temp_dir(tmp, sizeof tmp);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "maria@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "absent@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'María José', family_names ="
             " 'Núñez Pérez' WHERE email = 'maria@example.org'", NULL, 0);
    /* Full attendance on both days for María; none for the other. */
    const char *days[] = {"21", "22"};
    for (int i = 0; i < 2; i++) {
        char path[400], date[16], out[1024];
        snprintf(path, sizeof path, "%s/day%s.csv", tmp, days[i]);
        snprintf(date, sizeof date, "2022-03-%s", days[i]);
        write_report(path, days[i]);
        if (run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir, "--event",
                     "sela-2022", "--course", "cyberdiplomacy", "--date", date, path, NULL) != 0)
            return -1;
    }
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    serve_stop(&srv, 5000);
    remove_tree(data_dir);
    remove_tree(tmp);
    curl_global_cleanup();
    return 0;
}

static void pdf_of(const char *number, char *path, size_t n)
{
    snprintf(path, n, "%s/certificates/%s.pdf", data_dir, number);
}

/* Runs `aula verify` on path; its output goes to out.  A run that did not
 * exit normally (a crash, a sanitizer's report) fails the test with what
 * it printed. */
static int verify(const char *path, char *out, size_t n)
{
    int rc = run_aula(NULL, out, n, "verify", "--data", data_dir, path, NULL);
    if (rc < 0)
        fail_msg("aula verify did not exit normally: %s", out);
    return rc;
}

static json_t *verify_json(const char *number)
{
    char path[200];
    snprintf(path, sizeof path, "/verify/%s?format=json", number);
    struct http_response r;
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 200);
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(j);
    return j;
}

static void expect_page(const char *path, long status, const char *has, const char *lacks)
{
    struct http_response r;
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, status);
    if (has && !strstr(r.body, has))
        fail_msg("%s does not say \"%s\"", path, has);
    if (lacks && strstr(r.body, lacks))
        fail_msg("%s says \"%s\"", path, lacks);
    http_free(&r);
}

static void issued_certificate_verifies_offline_and_online(void **state)
{
    (void)state;
    struct http_response r;
    char body[200];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy", admin_token);
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/issue", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* Issued to María only (the other did not attend). */
    char out[2048];
    for (int i = 0; i < 100 && !*first; i++) {
        db_query(data_dir, "SELECT c.number FROM certificate c JOIN enrolment en ON en.id ="
                 " c.enrolment_id JOIN application a ON a.id = en.application_id WHERE a.email ="
                 " 'maria@example.org' AND c.status = 'valid'", first, sizeof first);
        if (!*first)
            usleep(100 * 1000);
    }
    assert_true(strncmp(first, "SELA-2022-CYB-", 14) == 0);
    db_query(data_dir, "SELECT count(*) FROM certificate", out, sizeof out);
    assert_int_equal(atoi(out), 1);

    char pdf[400], want[200];
    pdf_of(first, pdf, sizeof pdf);
    assert_int_equal(verify(pdf, out, sizeof out), 0);
    snprintf(want, sizeof want, "VALID: %s,", first);
    if (!strstr(out, want))
        fail_msg("aula verify said: %s", out);
    assert_non_null(strstr(out, "María José Núñez Pérez"));
    assert_null(strstr(out, "TAMPERED"));

    char path[200];
    snprintf(path, sizeof path, "/verify/%s", first);
    expect_page(path, 200, "Certificado válido", "reemplazado");
    expect_page(path, 200, "María José Núñez Pérez", "revocado");
    snprintf(path, sizeof path, "/verify/%s?lang=en", first);
    expect_page(path, 200, "Valid certificate", "revoked");
    json_t *j = verify_json(first);
    assert_true(json_is_true(json_object_get(j, "is_valid")));
    assert_true(json_is_true(json_object_get(j, "signature_valid")));
    assert_string_equal(json_string_value(json_object_get(j, "status")), "valid");
    assert_true(json_is_false(json_object_get(j, "is_superseded")));
    assert_true(json_is_false(json_object_get(j, "is_revoked")));
    json_t *facts = json_object_get(j, "facts");
    assert_string_equal(json_string_value(json_object_get(facts, "number")), first);
    assert_int_equal(json_integer_value(json_object_get(facts, "hours")), 8);
    json_decref(j);
    /* An unknown number is not found, in words and status. */
    expect_page("/verify/SELA-2022-CYB-0001-NOSUCH00", 404, "No existe ningún certificado",
                "Certificado válido");
}

static void *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)len + 1);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    b[len] = '\0';
    fclose(f);
    *n = (size_t)len;
    return b;
}

static void write_all(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static void forged_facts_are_caught(void **state)
{
    (void)state;
    char pdf[400], out[2048];
    pdf_of(first, pdf, sizeof pdf);
    size_t n;
    char *raw = read_all(pdf, &n);
    char *k = memmem(raw, n, "aula-facts:", 11);
    assert_non_null(k);
    char *b64 = k + 11;
    size_t blen = strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    /* The facts, decoded, with 8 hours made 9: same length, so the PDF's
     * offsets stay right and only the signature can tell. */
    unsigned char facts[4096];
    size_t flen;
    assert_int_equal(sodium_base642bin(facts, sizeof facts - 1, b64, blen, NULL, &flen, NULL,
                                       sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
    facts[flen] = '\0';
    char *h = strstr((char *)facts, "\"hours\":8");
    assert_non_null(h);
    h[8] = '9';
    char enc[8192];
    sodium_bin2base64(enc, sizeof enc, facts, flen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    assert_int_equal(strlen(enc), blen);
    char *forged = malloc(n);
    memcpy(forged, raw, n);
    memcpy(forged + (b64 - raw), enc, blen);
    char path[400];
    snprintf(path, sizeof path, "%s/forged.pdf", tmp);
    write_all(path, forged, n);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_non_null(strstr(out, "TAMPERED"));
    assert_null(strstr(out, "VALID:"));
    /* A changed signature is caught as well. */
    memcpy(forged, raw, n);
    char *s = memmem(forged, n, "aula-sig:", 9);
    assert_non_null(s);
    s[12] = s[12] == 'A' ? 'B' : 'A';
    write_all(path, forged, n);
    assert_int_not_equal(verify(path, out, sizeof out), 0);
    assert_null(strstr(out, "VALID:"));
    /* Not a certificate at all. */
    write_all(path, "%PDF-1.4\n%%EOF\n", 15);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_null(strstr(out, "VALID:"));
    free(forged);
    free(raw);
    /* The genuine file still verifies. */
    assert_int_equal(verify(pdf, out, sizeof out), 0);
}

static void a_superseded_certificate_is_not_valid(void **state)
{
    (void)state;
    struct http_response r;
    char body[300], out[2048];
    db_query(data_dir, "UPDATE application SET family_names = 'Núñez de la Concepción'"
             " WHERE email = 'maria@example.org'", NULL, 0);
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=reissue&reason=", admin_token, first);
    /* A reissue emails the person: its preview is confirmed first. */
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "SELECT number FROM certificate WHERE status = 'valid'", second,
             sizeof second);
    assert_true(*second);
    assert_string_not_equal(second, first);
    db_query(data_dir, "SELECT count(*) FROM certificate", out, sizeof out);
    assert_int_equal(atoi(out), 2);

    /* The page says replaced, names the new number, and never "valid". */
    char path[200];
    snprintf(path, sizeof path, "/verify/%s", first);
    expect_page(path, 200, "Este certificado fue reemplazado por", "Certificado válido");
    expect_page(path, 200, second, "vigente");
    snprintf(path, sizeof path, "/verify/%s?lang=en", first);
    expect_page(path, 200, "This certificate was replaced by", "Valid certificate");
    json_t *j = verify_json(first);
    assert_true(json_is_false(json_object_get(j, "is_valid")));
    assert_true(json_is_true(json_object_get(j, "is_superseded")));
    assert_true(json_is_false(json_object_get(j, "is_revoked")));
    assert_string_equal(json_string_value(json_object_get(j, "status")), "superseded");
    assert_string_equal(json_string_value(json_object_get(j, "superseded_by")), second);
    /* The signature itself is still genuine: only the status changed. */
    assert_true(json_is_true(json_object_get(j, "signature_valid")));
    json_decref(j);
    /* Offline, the old PDF is reported as superseded, with exit status 3. */
    char pdf[400], want[200];
    pdf_of(first, pdf, sizeof pdf);
    assert_int_equal(verify(pdf, out, sizeof out), 3);
    snprintf(want, sizeof want, "REVOKED as of the last known list: %s superseded by %s", first,
             second);
    if (!strstr(out, want))
        fail_msg("aula verify said: %s", out);
    assert_null(strstr(out, "VALID:"));
    /* The new one is valid, under the corrected name. */
    j = verify_json(second);
    assert_true(json_is_true(json_object_get(j, "is_valid")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "facts"), "name")),
                        "María José Núñez de la Concepción");
    json_decref(j);
    pdf_of(second, pdf, sizeof pdf);
    assert_int_equal(verify(pdf, out, sizeof out), 0);
    /* A superseded certificate cannot be reissued or revoked again. */
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=revoke&reason=Again", admin_token, first);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 409);
    http_free(&r);
}

static void a_revoked_certificate_is_not_valid(void **state)
{
    (void)state;
    struct http_response r;
    char body[300], out[2048], st[32], q[200];
    /* Revoking needs a reason; without one nothing changes. */
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=revoke&reason=", admin_token, second);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 422);
    http_free(&r);
    snprintf(q, sizeof q, "SELECT status FROM certificate WHERE number = '%s'", second);
    db_query(data_dir, q, st, sizeof st);
    assert_string_equal(st, "valid");
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=revoke&reason=Issued+in+error",
             admin_token, second);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, q, st, sizeof st);
    assert_string_equal(st, "revoked");

    char path[200];
    snprintf(path, sizeof path, "/verify/%s?lang=en", second);
    expect_page(path, 200, "Certificate revoked on", "Valid certificate");
    expect_page(path, 200, "Issued in error", "replaced by");
    snprintf(path, sizeof path, "/verify/%s", second);
    expect_page(path, 200, "Certificado revocado el", "Certificado válido");
    json_t *j = verify_json(second);
    assert_true(json_is_false(json_object_get(j, "is_valid")));
    assert_true(json_is_true(json_object_get(j, "is_revoked")));
    assert_true(json_is_false(json_object_get(j, "is_superseded")));
    assert_string_equal(json_string_value(json_object_get(j, "status")), "revoked");
    assert_string_equal(json_string_value(json_object_get(j, "revoke_reason")), "Issued in error");
    json_decref(j);
    char pdf[400], want[200];
    pdf_of(second, pdf, sizeof pdf);
    assert_int_equal(verify(pdf, out, sizeof out), 3);
    snprintf(want, sizeof want, "REVOKED as of the last known list: %s revoked", second);
    if (!strstr(out, want))
        fail_msg("aula verify said: %s", out);
    assert_null(strstr(out, "VALID:"));
    /* Every change is in the audit log. */
    db_query(data_dir, "SELECT count(*) FROM audit_log WHERE action IN ('certificate.issue',"
             " 'certificate.reissue', 'certificate.revoke')", out, sizeof out);
    assert_int_equal(atoi(out), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issued_certificate_verifies_offline_and_online),
        cmocka_unit_test(forged_facts_are_caught),
        cmocka_unit_test(a_superseded_certificate_is_not_valid),
        cmocka_unit_test(a_revoked_certificate_is_not_valid),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
