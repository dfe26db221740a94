/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates signed as PDF documents (issue #19), black-box: poppler's
 * pdfsig and `aula verify` accept an issued certificate and refuse one
 * changed byte at the start, in the page content and in the metadata; an
 * appended incremental update is "modified"; bad files get a clear answer
 * and a non-zero exit; /verify takes an upload and answers genuine,
 * revoked, superseded, changed or not ours, storing nothing; the issued
 * file's SHA-256 is recorded; the signing certificate is published; an
 * imported PKCS#12 identity signs from then on while earlier certificates
 * stay verifiable; a timestamp server is used only when configured. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256], tmp[256];
static struct served srv;
static char admin[400], admin_token[64];
static char number[64];      /* the issued certificate */
static char pdf_path[400];   /* its file */

static void write_all(const char *path, const void *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, n, f), n);
    fclose(f);
}

static char *read_all(const char *path, size_t *n)
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

/* Runs a shell command; its output (stdout and stderr) goes to out. */
static int sh(char *out, size_t n, const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t got = fread(out, 1, n - 1, p);
    out[got] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int verify(const char *path, char *out, size_t n)
{
    return run_aula(NULL, out, n, "verify", "--data", data_dir, path, NULL);
}

/* pdfsig's verdict on path: 1 valid over the whole file, 0 otherwise. */
static bool pdfsig_valid(const char *path, char *out, size_t n)
{
    sh(out, n, "pdfsig '%s'", path);
    return strstr(out, "Signature Validation: Signature is Valid.") &&
           strstr(out, "Total document signed") && !strstr(out, "Not total document signed");
}

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
    /* Under AddressSanitizer: fontconfig keeps allocations for the life of
     * the process (see tests/unit/test_certificate.c); not this test's.
     * Every aula started here inherits the suppression. */
    static char lsan[450];
    char supp[400];
    snprintf(supp, sizeof supp, "%s/lsan.supp", tmp);
    FILE *sf = fopen(supp, "w");
    if (!sf)
        return -1;
    fputs("leak:libfontconfig.so\n", sf);
    fclose(sf);
    snprintf(lsan, sizeof lsan, "suppressions=%s", supp);
    setenv("LSAN_OPTIONS", lsan, 1);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "maria@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'María José', family_names ="
             " 'Núñez Pérez' WHERE email = 'maria@example.org'", NULL, 0);
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

static void sha256_hex(const void *b, size_t n, char out[65])
{
    unsigned char md[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(md, b, n);
    sodium_bin2hex(out, 65, md, sizeof md);
}

static int count_certificates(void)
{
    char out[32];
    db_query(data_dir, "SELECT count(*) FROM certificate", out, sizeof out);
    return atoi(out);
}

/* A timestamp server is off by default; when one is set and does not
 * answer, nothing is issued (a certificate is never signed without the
 * timestamp it was meant to carry). */
static void timestamp_server_only_when_configured(void **state)
{
    (void)state;
    char out[4096];
    setenv("AULA_TIMESTAMP_URL", "http://127.0.0.1:9/tsa", 1);
    int rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir,
                      "--event", "sela-2022", "--course", "cyberdiplomacy", NULL);
    unsetenv("AULA_TIMESTAMP_URL");
    assert_int_equal(rc, 1);
    if (!strstr(out, "timestamp server"))
        fail_msg("aula certificates issue said: %s", out);
    assert_int_equal(count_certificates(), 0);
    /* Only http and https servers are taken. */
    char ini[400];
    snprintf(ini, sizeof ini, "%s/aula.ini", data_dir);
    const char *bad = "[certificates]\ntimestamp_url = ftp://127.0.0.1/tsa\n";
    write_all(ini, bad, strlen(bad));
    rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir, "--event",
                  "sela-2022", "--course", "cyberdiplomacy", NULL);
    unlink(ini);
    assert_int_not_equal(rc, 0);
    if (!strstr(out, "invalid setting"))
        fail_msg("aula certificates issue said: %s", out);
    assert_int_equal(count_certificates(), 0);
}

static void issued_certificate_is_signed_over_every_byte(void **state)
{
    (void)state;
    char out[8192];
    int rc = run_aula(NULL, out, sizeof out, "certificates", "issue", "--data", data_dir,
                      "--event", "sela-2022", "--course", "cyberdiplomacy", NULL);
    if (rc != 0)
        fail_msg("aula certificates issue said: %s", out);
    db_query(data_dir, "SELECT number FROM certificate WHERE status = 'valid'", number,
             sizeof number);
    assert_true(strncmp(number, "SELA-2022-CYB-", 14) == 0);
    snprintf(pdf_path, sizeof pdf_path, "%s/certificates/%s.pdf", data_dir, number);

    /* poppler: valid, over the whole document, at a signing time. */
    if (!pdfsig_valid(pdf_path, out, sizeof out))
        fail_msg("pdfsig said: %s", out);
    assert_non_null(strstr(out, "Signing Time:"));
    assert_non_null(strstr(out, "Sistema Económico Latinoamericano"));
    assert_int_equal(sh(out, sizeof out, "qpdf --check '%s'", pdf_path), 0);
    /* No timestamp token (id-aa-timeStampToken) by default. */
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    assert_null(memmem(pdf, n, "2a864886f70d010910020e", 22));
    assert_non_null(memmem(pdf, n, "/SubFilter /adbe.pkcs7.detached", 31));

    /* The hash of the file as issued is recorded. */
    char want[65], got[100], q[300];
    sha256_hex(pdf, n, want);
    snprintf(q, sizeof q, "SELECT pdf_sha256 FROM certificate WHERE number = '%s'", number);
    db_query(data_dir, q, got, sizeof got);
    assert_string_equal(got, want);
    free(pdf);

    assert_int_equal(verify(pdf_path, out, sizeof out), 0);
    char line[200];
    snprintf(line, sizeof line, "VALID: %s,", number);
    if (!strstr(out, line))
        fail_msg("aula verify said: %s", out);

    /* The key is Aula's alone; the certificate is public. */
    char keydir[400];
    snprintf(keydir, sizeof keydir, "%s/keys/pdf", data_dir);
    DIR *d = opendir(keydir);
    assert_non_null(d);
    struct dirent *e;
    int keys = 0;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".key") == 0) {
            char p[700];
            struct stat st;
            snprintf(p, sizeof p, "%s/%s", keydir, e->d_name);
            assert_int_equal(stat(p, &st), 0);
            assert_int_equal(st.st_mode & 0777, 0600);
            keys++;
        }
    }
    closedir(d);
    assert_true(keys >= 1);
    run_aula(NULL, out, sizeof out, "doctor", "--data", data_dir, NULL);
    if (!strstr(out, "ok    document signing: ") || !strstr(out, "Sistema Económico"))
        fail_msg("aula doctor said: %s", out);
    struct http_response r;
    assert_true(get_path(&srv, "/.well-known/aula-signing.pem", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "-----BEGIN CERTIFICATE-----"));
    assert_null(strstr(r.body, "PRIVATE KEY"));
    http_free(&r);
}

/* One changed byte at offset `at` (found by the caller): pdfsig and aula
 * verify both refuse the copy. */
static void changed_byte_fails(const char *what, size_t at)
{
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    assert_true(at < n);
    pdf[at] = pdf[at] == 'A' ? 'B' : 'A';
    char path[400], out[8192];
    snprintf(path, sizeof path, "%s/changed.pdf", tmp);
    write_all(path, pdf, n);
    free(pdf);
    if (pdfsig_valid(path, out, sizeof out))
        fail_msg("pdfsig accepts a change %s: %s", what, out);
    assert_int_equal(verify(path, out, sizeof out), 1);
    if (!strstr(out, "TAMPERED"))
        fail_msg("aula verify on a change %s said: %s", what, out);
    assert_null(strstr(out, "VALID:"));
}

static void one_changed_byte_anywhere_fails(void **state)
{
    (void)state;
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    /* The start: the version in the header line ("%PDF-1.5"). */
    size_t start = 7;
    /* The page content: inside the first stream's compressed bytes. */
    char *s = memmem(pdf, n, "stream\n", 7);
    assert_non_null(s);
    size_t content = (size_t)(s - pdf) + 7 + 40;
    /* The metadata: the Title in the document information dictionary. */
    char *t = memmem(pdf, n, "/Title (Certificado", 19);
    assert_non_null(t);
    size_t meta = (size_t)(t - pdf) + 10;
    free(pdf);
    changed_byte_fails("at the start", start);
    changed_byte_fails("in the page content", content);
    changed_byte_fails("in the metadata", meta);
    char out[4096];
    assert_int_equal(verify(pdf_path, out, sizeof out), 0);
}

static void appended_update_is_modified(void **state)
{
    (void)state;
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    const char *update = "1 0 obj\n<< /Type /Pages /Kids [ ] /Count 0 >>\nendobj\n"
                         "xref\n1 1\n0000000000 00000 n \ntrailer\n<< /Size 40 >>\n"
                         "startxref\n0\n%%EOF\n";
    char *more = malloc(n + strlen(update));
    memcpy(more, pdf, n);
    memcpy(more + n, update, strlen(update));
    char path[400], out[8192];
    snprintf(path, sizeof path, "%s/appended.pdf", tmp);
    write_all(path, more, n + strlen(update));
    free(more);
    free(pdf);
    assert_int_equal(verify(path, out, sizeof out), 1);
    if (!strstr(out, "MODIFIED"))
        fail_msg("aula verify said: %s", out);
    assert_null(strstr(out, "VALID:"));
    /* poppler sees it too: the signature no longer covers the document. */
    assert_false(pdfsig_valid(path, out, sizeof out));
}

static void bad_files_get_a_clear_answer(void **state)
{
    (void)state;
    char path[400], out[8192];
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    snprintf(path, sizeof path, "%s/bad.pdf", tmp);
    /* Cut short. */
    write_all(path, pdf, n / 2);
    assert_int_equal(verify(path, out, sizeof out), 1);
    if (!strstr(out, "DAMAGED"))
        fail_msg("aula verify on a truncated file said: %s", out);
    /* Two signatures: a second signature dictionary appended. */
    const char *second = "99 0 obj\n<< /Type /Sig /ByteRange [0 10 20 30] /Contents <00> >>\n"
                         "endobj\n%%EOF\n";
    char *two = malloc(n + strlen(second));
    memcpy(two, pdf, n);
    memcpy(two + n, second, strlen(second));
    write_all(path, two, n + strlen(second));
    free(two);
    assert_int_equal(verify(path, out, sizeof out), 1);
    if (!strstr(out, "more than one signature"))
        fail_msg("aula verify on two signatures said: %s", out);
    free(pdf);
    /* A zip and a PNG renamed .pdf. */
    write_all(path, "PK\x03\x04\x14\0\0\0\0\0", 10);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_non_null(strstr(out, "NOT A PDF"));
    write_all(path, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_non_null(strstr(out, "NOT A PDF"));
    /* A PDF without any signature and without our facts. */
    write_all(path, "%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\nstartxref\n0\n%%EOF\n", 62);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_null(strstr(out, "VALID:"));
    /* A missing file. */
    snprintf(path, sizeof path, "%s/nothing-here.pdf", tmp);
    assert_int_equal(verify(path, out, sizeof out), 1);
    assert_non_null(strstr(out, "UNREADABLE"));
}

/* POST /verify with a file. */
static long upload(const char *file_name, const void *data, size_t len, const char *lang,
                   struct http_response *r)
{
    size_t cap = len + 1024, b = 0;
    char *body = malloc(cap);
    b += (size_t)snprintf(body, cap,
                          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n", file_name);
    memcpy(body + b, data, len);
    b += len;
    b += (size_t)snprintf(body + b, cap - b, "\r\n--XyZ--\r\n");
    char url[300], cookie[40];
    snprintf(url, sizeof url, "%s/verify", srv.origin);
    snprintf(cookie, sizeof cookie, "Cookie: lang=%s", lang);
    const char *h[] = {cookie, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    assert_true(http("POST", url, h, body, b, r));
    free(body);
    return r->status;
}

static int files_in(const char *sub)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", data_dir, sub);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void expect_upload(const char *what, const void *data, size_t len, const char *lang,
                          long status, const char *says, const char *never)
{
    struct http_response r;
    upload("certificate.pdf", data, len, lang, &r);
    if (r.status != status || !strstr(r.body, says) || (never && strstr(r.body, never)))
        fail_msg("uploading %s (%s): %ld, expected %ld saying \"%s\"", what, lang, r.status,
                 status, says);
    http_free(&r);
}

static void upload_says_genuine_changed_or_not_ours(void **state)
{
    (void)state;
    int before = count_certificates(), files = files_in("files");
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    expect_upload("the issued file", pdf, n, "es", 200, "Auténtico", "No es el documento");
    expect_upload("the issued file", pdf, n, "en", 200, "Genuine: this is exactly", "Not the issued");
    /* The same page with one byte changed in its metadata. */
    char *t = memmem(pdf, n, "/Title (Certificado", 19);
    assert_non_null(t);
    t[10] = t[10] == 'A' ? 'B' : 'A';
    expect_upload("a changed copy", pdf, n, "en", 200, "Not the issued document", "Genuine");
    expect_upload("a changed copy", pdf, n, "es", 200, "No es el documento emitido", "Auténtico");
    t[10] = t[10] == 'A' ? 'B' : 'A';
    /* Something appended. */
    char *more = malloc(n + 16);
    memcpy(more, pdf, n);
    memcpy(more + n, "\n% appended\n", 12);
    expect_upload("an appended copy", more, n + 12, "en", 200, "Not the issued document",
                  "Genuine");
    free(more);
    /* Not ours, not a PDF, cut short. */
    const char *other = "%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\nstartxref\n0\n%%EOF\n";
    expect_upload("someone else's PDF", other, strlen(other), "en", 200,
                  "not a certificate issued here", "Genuine");
    expect_upload("a zip", "PK\x03\x04\x14\0\0\0\0\0", 10, "en", 422, "is not a PDF", NULL);
    expect_upload("a zip", "PK\x03\x04\x14\0\0\0\0\0", 10, "es", 422, "no es un PDF", NULL);
    expect_upload("half the file", pdf, n / 2, "en", 422, "damaged or incomplete", "Genuine");
    /* Over 5 MB: refused. */
    size_t big = 5u * 1024 * 1024 + 4096;
    char *huge = malloc(big);
    memset(huge, ' ', big);
    memcpy(huge, pdf, n);
    struct http_response r;
    upload("big.pdf", huge, big, "en", &r);
    assert_int_equal(r.status, 413);
    http_free(&r);
    free(huge);
    free(pdf);
    /* Nothing stored. */
    assert_int_equal(count_certificates(), before);
    assert_int_equal(files_in("files"), files);
    assert_int_equal(files_in("tmp"), 0);
    /* The form is there for anyone. */
    assert_true(get_path(&srv, "/verify?lang=en", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "enctype=\"multipart/form-data\""));
    http_free(&r);
}

/* The signature stripped off (the file cut back to what cairo wrote): for a
 * signed certificate that is a changed copy; a certificate issued before
 * PDFs were signed (no recorded hash) is recognised by its signed facts. */
static void stripped_signature_and_older_certificates(void **state)
{
    (void)state;
    size_t n;
    char *pdf = read_all(pdf_path, &n);
    char *eof = memmem(pdf, n, "%%EOF\n", 6);
    assert_non_null(eof);
    size_t cut = (size_t)(eof - pdf) + 6;
    assert_true(cut < n);
    char path[400], out[4096], q[300], sha[100];
    snprintf(path, sizeof path, "%s/stripped.pdf", tmp);
    write_all(path, pdf, cut);
    assert_int_equal(verify(path, out, sizeof out), 1);
    if (!strstr(out, "no document signature"))
        fail_msg("aula verify said: %s", out);
    expect_upload("the stripped file", pdf, cut, "en", 200, "Not the issued document", "Genuine");
    /* As if issued before document signatures. */
    snprintf(q, sizeof q, "SELECT pdf_sha256 FROM certificate WHERE number = '%s'", number);
    db_query(data_dir, q, sha, sizeof sha);
    snprintf(q, sizeof q, "UPDATE certificate SET pdf_sha256 = NULL WHERE number = '%s'", number);
    db_query(data_dir, q, NULL, 0);
    assert_int_equal(verify(path, out, sizeof out), 0);
    assert_non_null(strstr(out, "issued before document signatures"));
    expect_upload("an older certificate", pdf, cut, "en", 200, "issued before certificate files",
                  "Genuine");
    /* Its facts changed: not the issued document. */
    char *k = memmem(pdf, cut, "aula-sig:", 9);
    assert_non_null(k);
    k[12] = k[12] == 'A' ? 'B' : 'A';
    expect_upload("an older certificate, changed", pdf, cut, "en", 200, "Not the issued document",
                  "issued before");
    snprintf(q, sizeof q, "UPDATE certificate SET pdf_sha256 = '%s' WHERE number = '%s'", sha,
             number);
    db_query(data_dir, q, NULL, 0);
    free(pdf);
}

/* An organisation's own certificate from a PKCS#12 file signs from then
 * on; the certificate signed before stays verifiable, as superseded. */
static void imported_identity_signs_and_rotation_keeps_old_ones(void **state)
{
    (void)state;
    char out[8192], p12[400], key[400], crt[400];
    snprintf(p12, sizeof p12, "%s/org.p12", tmp);
    snprintf(key, sizeof key, "%s/org.key", tmp);
    snprintf(crt, sizeof crt, "%s/org.crt", tmp);
    assert_int_equal(sh(out, sizeof out,
                        "openssl req -x509 -newkey rsa:3072 -nodes -keyout '%s' -out '%s' -days 20"
                        " -subj '/CN=Ministerio de Pruebas/O=Ministerio de Pruebas'",
                        key, crt), 0);
    assert_int_equal(sh(out, sizeof out,
                        "openssl pkcs12 -export -inkey '%s' -in '%s' -out '%s' -passout pass:s3cret",
                        key, crt, p12), 0);
    /* A wrong password changes nothing. */
    assert_int_equal(run_aula("wrong\n", out, sizeof out, "keys", "import", "--data", data_dir,
                              p12, NULL), 1);
    char id_before[64];
    char cur[400];
    snprintf(cur, sizeof cur, "%s/keys/pdf/current", data_dir);
    size_t cn;
    char *c0 = read_all(cur, &cn);
    snprintf(id_before, sizeof id_before, "%s", c0);
    free(c0);
    assert_int_equal(run_aula("s3cret\n", out, sizeof out, "keys", "import", "--data", data_dir,
                              p12, NULL), 0);
    char *c1 = read_all(cur, &cn);
    assert_string_not_equal(c1, id_before);
    free(c1);

    /* A reissue is signed anew, by the imported certificate. */
    char body[300];
    struct http_response r;
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=reissue&reason=", admin_token, number);
    /* A reissue emails the person: its preview is confirmed first. */
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char second[64], path2[400];
    db_query(data_dir, "SELECT number FROM certificate WHERE status = 'valid'", second,
             sizeof second);
    assert_string_not_equal(second, number);
    snprintf(path2, sizeof path2, "%s/certificates/%s.pdf", data_dir, second);
    if (!pdfsig_valid(path2, out, sizeof out))
        fail_msg("pdfsig said: %s", out);
    assert_non_null(strstr(out, "Ministerio de Pruebas"));
    assert_int_equal(verify(path2, out, sizeof out), 0);
    /* The first one, signed with the earlier key: its signature still
     * checks out, and it is reported as superseded. */
    assert_int_equal(verify(pdf_path, out, sizeof out), 3);
    if (!strstr(out, "superseded by"))
        fail_msg("aula verify said: %s", out);
    assert_true(get_path(&srv, "/.well-known/aula-signing.pem", NULL, &r));
    char *b1 = strstr(r.body, "BEGIN CERTIFICATE");
    assert_non_null(b1);
    assert_non_null(strstr(b1 + 1, "BEGIN CERTIFICATE"));
    http_free(&r);

    /* aula doctor names the signing certificate and warns that this one
     * (20 days) expires soon: 19 or 20 days left, as a second may or may
     * not have passed since it was made. */
    run_aula(NULL, out, sizeof out, "doctor", "--data", data_dir, NULL);
    if (!strstr(out, "warn  document signing: the certificate") ||
        !strstr(out, "Ministerio de Pruebas") ||
        (!strstr(out, "expires in 19 days") && !strstr(out, "expires in 20 days")))
        fail_msg("aula doctor said: %s", out);
    /* Uploads: the old file is superseded, the new one genuine; revoked
     * once revoked. */
    size_t n;
    char *old = read_all(pdf_path, &n);
    expect_upload("the superseded file", old, n, "en", 200, "was replaced by", "Genuine");
    free(old);
    char *cur_pdf = read_all(path2, &n);
    expect_upload("the reissued file", cur_pdf, n, "en", 200, "Genuine", NULL);
    snprintf(body, sizeof body, "csrf=%s&number=%s&action=revoke&reason=Issued+in+error",
             admin_token, second);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/certificates/revoke", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    expect_upload("the revoked file", cur_pdf, n, "es", 200, "fue revocado el", "Auténtico");
    free(cur_pdf);
}

/* PKCS#12 files from older tools (RC2, 3DES: OpenSSL 3's legacy provider)
 * are imported too. */
static void legacy_pkcs12_is_imported(void **state)
{
    (void)state;
    char out[8192], p12[400], key[400], crt[400], cur[400];
    snprintf(p12, sizeof p12, "%s/legacy.p12", tmp);
    snprintf(key, sizeof key, "%s/legacy.key", tmp);
    snprintf(crt, sizeof crt, "%s/legacy.crt", tmp);
    snprintf(cur, sizeof cur, "%s/keys/pdf/current", data_dir);
    assert_int_equal(sh(out, sizeof out,
                        "openssl req -x509 -newkey rsa:3072 -nodes -keyout '%s' -out '%s' -days 400"
                        " -subj '/CN=Ministerio Antiguo/O=Ministerio Antiguo'", key, crt), 0);
    assert_int_equal(sh(out, sizeof out,
                        "openssl pkcs12 -export -legacy -inkey '%s' -in '%s' -out '%s' -passout"
                        " pass:viejo", key, crt, p12), 0);
    size_t n;
    char *before = read_all(cur, &n);
    if (run_aula("viejo\n", out, sizeof out, "keys", "import", "--data", data_dir, p12, NULL) != 0)
        fail_msg("aula keys import said: %s", out);
    char *after = read_all(cur, &n);
    assert_string_not_equal(before, after);
    free(before);
    free(after);
    run_aula(NULL, out, sizeof out, "doctor", "--data", data_dir, NULL);
    if (!strstr(out, "ok    document signing: ") || !strstr(out, "Ministerio Antiguo"))
        fail_msg("aula doctor said: %s", out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timestamp_server_only_when_configured),
        cmocka_unit_test(issued_certificate_is_signed_over_every_byte),
        cmocka_unit_test(one_changed_byte_anywhere_fails),
        cmocka_unit_test(appended_update_is_modified),
        cmocka_unit_test(bad_files_get_a_clear_answer),
        cmocka_unit_test(upload_says_genuine_changed_or_not_ours),
        cmocka_unit_test(stripped_signature_and_older_certificates),
        cmocka_unit_test(imported_identity_signs_and_rotation_keeps_old_ones),
        cmocka_unit_test(legacy_pkcs12_is_imported),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
