/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of training material: uploads streamed to disk, access
 * for the course's participants only, ranges, caching headers, refusals
 * that leave nothing behind. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], admin_token[64];
static char alice[400], alice_token[64]; /* registered for cyberdiplomacy */
static char bob[400], bob_token[64];     /* registered for techplomacy */

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static unsigned char webm[4096];
static size_t webm_len;

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "alice@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "bob@example.org", "techplomacy");
    setenv("AULA_MAX_UPLOAD_MB", "1", 1);
    if (!serve_start(&srv, data_dir))
        return -1;
    /* A WebM header libmagic recognises, then filler: enough for ranges. */
    static const unsigned char head[] = {0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01,
                                         0x42, 0xf7, 0x81, 0x01, 0x42, 0xf2, 0x81, 0x04, 0x42,
                                         0xf3, 0x81, 0x08, 0x42, 0x82, 0x84, 'w', 'e', 'b', 'm',
                                         0x42, 0x87, 0x81, 0x02, 0x42, 0x85, 0x81, 0x02};
    memcpy(webm, head, sizeof head);
    for (size_t i = sizeof head; i < 3000; i++)
        webm[i] = (unsigned char)(i * 7);
    webm_len = 3000;
    return sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token) &&
           sign_in_by_link(&srv, data_dir, "alice@example.org", alice, sizeof alice,
                           alice_token, sizeof alice_token) &&
           sign_in_by_link(&srv, data_dir, "bob@example.org", bob, sizeof bob, bob_token,
                           sizeof bob_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* A multipart body: the fields (name, value pairs, NULL-terminated) then
 * the file. */
static char *multipart(const char *const *fields, const char *file_name, const void *data,
                       size_t len, size_t *out_len)
{
    size_t cap = len + 4096;
    char *b = malloc(cap);
    size_t n = 0;
    for (const char *const *f = fields; *f; f += 2)
        n += (size_t)snprintf(b + n, cap - n,
                              "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n",
                              f[0], f[1]);
    n += (size_t)snprintf(b + n, cap - n,
                          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                          "Content-Type: application/octet-stream\r\n\r\n", file_name);
    memcpy(b + n, data, len);
    n += len;
    n += (size_t)snprintf(b + n, cap - n, "\r\n--XyZ--\r\n");
    *out_len = n;
    return b;
}

static long upload(const char *cookies, const char *path, const char *const *fields,
                   const char *file_name, const void *data, size_t len, struct http_response *r)
{
    size_t blen;
    char *body = multipart(fields, file_name, data, len, &blen);
    char url[300];
    snprintf(url, sizeof url, "%s%s", srv.origin, path);
    const char *h[] = {cookies, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    assert_true(http("POST", url, h, body, blen, r));
    free(body);
    return r->status;
}

static int count_files(const char *sub)
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

static int materials(void)
{
    char out[32];
    db_query(data_dir, "SELECT count(*) FROM material", out, sizeof out);
    return atoi(out);
}

static long material_id(const char *file_name)
{
    char q[200], out[32];
    snprintf(q, sizeof q, "SELECT id FROM material WHERE file_name = '%s'", file_name);
    db_query(data_dir, q, out, sizeof out);
    return atol(out);
}

static void upload_then_participants_download(void **state)
{
    (void)state;
    struct http_response r;
    const char *f1[] = {"csrf", admin_token, "course", "cyberdiplomacy", "title_es", "Lecturas",
                        "title_en", "Readings", NULL};
    assert_int_equal(upload(admin, "/admin/events/sela-2022/materials", f1, "Presentación ñ.pdf",
                            PDF, sizeof PDF - 1, &r), 303);
    http_free(&r);
    const char *f2[] = {"csrf", admin_token, "course", "cyberdiplomacy", "title_es", "Grabación",
                        "title_en", "Recording", NULL};
    assert_int_equal(upload(admin, "/admin/events/sela-2022/materials", f2, "session1.webm",
                            webm, webm_len, &r), 303);
    http_free(&r);
    assert_int_equal(materials(), 2);

    /* A registered participant lists and downloads both. */
    const char *ha[] = {alice, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials", ha, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"content_type\": \"application/pdf\""));
    assert_non_null(strstr(r.body, "\"content_type\": \"video/webm\""));
    http_free(&r);
    char path[64], v[300];
    snprintf(path, sizeof path, "/materials/%ld", material_id("Presentación ñ.pdf"));
    assert_true(get_path(&srv, path, ha, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, sizeof PDF - 1);
    assert_memory_equal(r.body, PDF, sizeof PDF - 1);
    assert_true(header_value(&r, "Content-Type", v, sizeof v));
    assert_string_equal(v, "application/pdf");
    assert_true(header_value(&r, "Content-Disposition", v, sizeof v));
    assert_non_null(strstr(v, "filename*=UTF-8''Presentaci%C3%B3n%20%C3%B1.pdf"));
    http_free(&r);
    /* /me lists them, with a player for the video. */
    assert_true(get_path(&srv, "/me", ha, &r));
    assert_non_null(strstr(r.body, "Grabación"));
    assert_non_null(strstr(r.body, "<video controls"));
    http_free(&r);
}

static void others_cannot_read(void **state)
{
    (void)state;
    struct http_response r;
    char path[64];
    snprintf(path, sizeof path, "/materials/%ld", material_id("session1.webm"));
    const char *hb[] = {bob, NULL};
    assert_true(get_path(&srv, path, hb, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials", hb, &r));
    assert_int_equal(r.status, 403);
    assert_null(strstr(r.body, "session1.webm"));
    http_free(&r);
    assert_true(get_path(&srv, "/events/sela-2022/courses/cyberdiplomacy/materials.zip", hb, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    /* A stranger is sent to sign in; the API says 401. */
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials", NULL, &r));
    assert_int_equal(r.status, 401);
    http_free(&r);
}

static void ranges_return_exact_bytes(void **state)
{
    (void)state;
    struct http_response r;
    char path[64], v[200];
    snprintf(path, sizeof path, "/materials/%ld", material_id("session1.webm"));
    const char *h1[] = {alice, "Range: bytes=100-199", NULL};
    assert_true(get_path(&srv, path, h1, &r));
    assert_int_equal(r.status, 206);
    assert_int_equal(r.body_len, 100);
    assert_memory_equal(r.body, webm + 100, 100);
    assert_true(header_value(&r, "Content-Range", v, sizeof v));
    assert_string_equal(v, "bytes 100-199/3000");
    http_free(&r);
    const char *h2[] = {alice, "Range: bytes=-10", NULL};
    assert_true(get_path(&srv, path, h2, &r));
    assert_int_equal(r.status, 206);
    assert_memory_equal(r.body, webm + 2990, 10);
    http_free(&r);
    const char *h3[] = {alice, "Range: bytes=2990-", NULL};
    assert_true(get_path(&srv, path, h3, &r));
    assert_int_equal(r.status, 206);
    assert_int_equal(r.body_len, 10);
    http_free(&r);
    const char *h4[] = {alice, "Range: bytes=5000-6000", NULL};
    assert_true(get_path(&srv, path, h4, &r));
    assert_int_equal(r.status, 416);
    assert_true(header_value(&r, "Content-Range", v, sizeof v));
    assert_string_equal(v, "bytes */3000");
    http_free(&r);
    /* Several ranges: the whole file instead. */
    const char *h5[] = {alice, "Range: bytes=0-1,5-6", NULL};
    assert_true(get_path(&srv, path, h5, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 3000);
    http_free(&r);
    /* Validators: ETag gives 304. */
    const char *h6[] = {alice, NULL};
    assert_true(get_path(&srv, path, h6, &r));
    char etag[64], inm[100];
    assert_true(header_value(&r, "ETag", etag, sizeof etag));
    assert_true(header_value(&r, "Last-Modified", v, sizeof v));
    assert_true(header_value(&r, "Accept-Ranges", v, sizeof v));
    http_free(&r);
    snprintf(inm, sizeof inm, "If-None-Match: %s", etag);
    const char *h7[] = {alice, inm, NULL};
    assert_true(get_path(&srv, path, h7, &r));
    assert_int_equal(r.status, 304);
    http_free(&r);
}

static void refusals_leave_nothing_behind(void **state)
{
    (void)state;
    struct http_response r;
    int before = materials(), files = count_files("files");
    /* Over the limit (1 MB here): refused with the limit stated. */
    size_t big = 1100 * 1024;
    char *data = calloc(1, big);
    memcpy(data, PDF, sizeof PDF - 1);
    const char *f[] = {"csrf", admin_token, "course", "cyberdiplomacy", "title_es", "Grande", NULL};
    assert_int_equal(upload(admin, "/admin/events/sela-2022/materials", f, "big.pdf", data, big, &r),
                     413);
    assert_non_null(strstr(r.body, "límite: 1 MB"));
    http_free(&r);
    free(data);
    /* Content that is not an accepted type, whatever its name. */
    unsigned char noise[2000];
    for (size_t i = 0; i < sizeof noise; i++)
        noise[i] = (unsigned char)(i * 131 + 7);
    assert_int_equal(upload(admin, "/admin/events/sela-2022/materials", f, "video.mp4", noise,
                            sizeof noise, &r), 415);
    assert_non_null(strstr(r.body, "no es de un tipo aceptado"));
    http_free(&r);
    /* Path characters in the name are kept as text only. */
    const char *fp[] = {"csrf", admin_token, "course", "cyberdiplomacy", "title_es", "Ruta", NULL};
    assert_int_equal(upload(admin, "/admin/events/sela-2022/materials", fp, "../../evil/passwd.pdf",
                            PDF, sizeof PDF - 1, &r), 303);
    http_free(&r);
    assert_true(material_id("passwd.pdf") > 0);
    assert_int_equal(access("/tmp/evil", F_OK), -1);
    assert_int_equal(materials(), before + 1);
    assert_int_equal(count_files("files"), files); /* same bytes as the first PDF */
    assert_int_equal(count_files("tmp"), 0);
    /* Strangers and participants cannot upload, and are told before the body is read. */
    assert_int_equal(upload(alice, "/admin/events/sela-2022/materials", f, "x.pdf", PDF,
                            sizeof PDF - 1, &r), 403);
    http_free(&r);
    assert_int_equal(count_files("tmp"), 0);
}

static void interrupted_upload_leaves_nothing(void **state)
{
    (void)state;
    int before = materials();
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)srv.port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    char head[1024];
    const char *cookie = admin + 8; /* after "Cookie: " */
    int n = snprintf(head, sizeof head,
                     "POST /admin/events/sela-2022/materials HTTP/1.1\r\nHost: x\r\n"
                     "Cookie: %s\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n"
                     "Content-Length: 500000\r\n\r\n"
                     "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                     "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.pdf\"\r\n\r\n",
                     cookie, admin_token);
    assert_true(write(fd, head, (size_t)n) == n);
    char chunk[8192];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 8; i++)
        assert_true(write(fd, chunk, sizeof chunk) == (ssize_t)sizeof chunk);
    usleep(200 * 1000);
    close(fd);
    /* The server notices the closed connection and removes the part file. */
    for (int i = 0; i < 50 && count_files("tmp") > 0; i++)
        usleep(100 * 1000);
    assert_int_equal(count_files("tmp"), 0);
    assert_int_equal(materials(), before);
}

static void api_upload_with_a_token(void **state)
{
    (void)state;
    char token[200], auth[260];
    assert_int_equal(run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                              "admin@example.org", NULL), 0);
    token[strcspn(token, "\n")] = '\0';
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    struct http_response r;
    const char *f[] = {"title_es", "Diapositivas", "title_en", "Slides", NULL};
    assert_int_equal(upload(auth, "/api/v1/events/sela-2022/courses/techplomacy/materials", f,
                            "slides.pdf", PDF, sizeof PDF - 1, &r), 201);
    assert_non_null(strstr(r.body, "\"download_url\""));
    http_free(&r);
    const char *hb[] = {bob, NULL};
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/courses/techplomacy/materials", hb, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "slides.pdf"));
    assert_null(strstr(r.body, "session1.webm")); /* the other course's */
    http_free(&r);
    /* The archive of everything. */
    assert_true(get_path(&srv, "/events/sela-2022/courses/techplomacy/materials.zip", hb, &r));
    assert_int_equal(r.status, 200);
    assert_int_equal(memcmp(r.body, "PK", 2), 0);
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(upload_then_participants_download),
        cmocka_unit_test(others_cannot_read),
        cmocka_unit_test(ranges_return_exact_bytes),
        cmocka_unit_test(refusals_leave_nothing_behind),
        cmocka_unit_test(interrupted_upload_leaves_nothing),
        cmocka_unit_test(api_upload_with_a_token),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
