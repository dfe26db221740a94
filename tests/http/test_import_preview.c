/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the Zoom import's preview: an upload shows what the
 * report holds (shape, language, encoding, dates, rows, people, who is
 * matched by email, names waiting for a decision, warnings) and changes
 * nothing; the report waits in DATA/tmp under a name that is not its
 * token; the confirmation imports the same bytes and removes it.  A
 * forged token, an expired one, and one of another coordinator or of
 * another session of the same person are refused, changing nothing; a
 * cancelled preview is dropped.  The fixture is the Portuguese
 * spreadsheet re-save (';', Windows-1252) moved to 22 March 2022. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "harness.h"
#include "import_preview.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];   /* the administrator's session */
static char admin2[400], atoken2[64]; /* the same person's second session */
static char coord[400], ctoken[64];   /* a coordinator */

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "ana.perez@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "nunez@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'Ana María', family_names = 'Pérez'"
                       " WHERE email = 'ana.perez@example.org'", NULL, 0);
    db_query(data_dir, "UPDATE application SET given_names = 'Ñandú', family_names = 'Núñez'"
                       " WHERE email = 'nunez@example.org'", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in_admin(&srv, admin2, sizeof admin2, atoken2, sizeof atoken2) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    /* Exit status 0: under the sanitizers, also no leak or error at exit. */
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

static char file[65536];
static size_t file_len;

/* The Portuguese re-save, its dates moved from 8 to day (two digits) March 2022. */
static void load(const char *day)
{
    char path[512];
    source_path("tests/fixtures/zoom/meeting_pt_resaved.csv", path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    file_len = fread(file, 1, sizeof file, f);
    fclose(f);
    for (size_t i = 0; i + 10 <= file_len; i++)
        if (memcmp(file + i, "08/03/2022", 10) == 0)
            memcpy(file + i, day, 2);
}

/* Uploads the loaded file for 22 March as the person of cookies/csrf. */
static long upload(const char *cookies, const char *csrf, const char *lang_header,
                   struct http_response *r)
{
    static char body[80000];
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2022-03-22\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pt-resaved.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n", csrf);
    memcpy(body + len, file, file_len);
    len += file_len;
    len += (size_t)snprintf(body + len, sizeof body - len, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/attendance/import", srv.origin);
    const char *h[] = {cookies, "Content-Type: multipart/form-data; boundary=XyZ", lang_header, NULL};
    assert_true(http("POST", url, h, body, len, r));
    return r->status;
}

static void assert_in_body(const struct http_response *r, const char *needle)
{
    if (!r->body || !strstr(r->body, needle))
        fail_msg("\"%s\" not on the page:\n%s", needle, r->body ? r->body : "");
}

static int rows_of_22(void)
{
    char out[32];
    db_query(data_dir,
             "SELECT count(*) FROM attendance_row r JOIN attendance_import i ON i.id = r.import_id"
             " JOIN course_day d ON d.id = i.course_day_id JOIN course c ON c.id = d.course_id"
             " WHERE c.slug = 'cyberdiplomacy' AND d.day = '2022-03-22'",
             out, sizeof out);
    return atoi(out);
}

/* How many files of kept previews DATA/tmp holds; the first one's path
 * goes to first (when not NULL).  Fails when a name contains token. */
static int kept_files(const char *token, char *first, size_t n)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/tmp", data_dir);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "attendance-preview-", 19) != 0)
            continue;
        if (token && strstr(e->d_name, token))
            fail_msg("the file name %s holds the form's token", e->d_name);
        if (!count && first)
            snprintf(first, n, "%s/%s", dir, e->d_name);
        count++;
    }
    closedir(d);
    return count;
}

/* Sets the modification time of every kept preview file to seconds ago. */
static void age_kept_files(long seconds)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/tmp", data_dir);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "attendance-preview-", 19) != 0)
            continue;
        char path[700];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct utimbuf t = {time(NULL) - seconds, time(NULL) - seconds};
        assert_int_equal(utime(path, &t), 0);
    }
    closedir(d);
}

static void preview_shows_the_report_and_changes_nothing(void **state)
{
    (void)state;
    struct http_response r;
    char before[4096], now[4096], token[128];
    load("22");
    import_fingerprint(data_dir, before, sizeof before);
    assert_int_equal(upload(admin, atoken, "Accept-Language: en", &r), 200);
    assert_in_body(&r, "<h1>Check the report before importing it</h1>");
    assert_in_body(&r, "Nothing has been saved yet.");
    assert_in_body(&r, "<dd>pt-resaved.csv</dd>");
    assert_in_body(&r, "<dd>participants export with meeting data</dd>");
    assert_in_body(&r, "<dd>Portuguese</dd>");
    assert_in_body(&r, "<dd>Windows-1252, semicolons</dd>");
    assert_in_body(&r, "<dd>day first (21/03/2022)</dd>");
    assert_in_body(&r, "<dd>2022-03-22 08:58 - 2022-03-22 12:59 (America/Caracas)</dd>");
    assert_in_body(&r, "<dt>Rows</dt><dd>8</dd>");
    assert_in_body(&r, "<dt>People (distinct emails)</dt><dd>4</dd>");
    assert_in_body(&r, "<dd>2 / 2</dd>");
    assert_in_body(&r, "<dt>Guest rows</dt><dd>1</dd>");
    /* Matched by email, with their registered names. */
    assert_in_body(&r, "<li>Ana María Pérez · ana.perez@example.org</li>");
    assert_in_body(&r, "<li>Ñandú Núñez · nunez@example.org</li>");
    /* Waiting for a decision, once per person; Ana is not among them. */
    assert_in_body(&r, "<li>iPhone de Luis</li>");
    assert_in_body(&r, "<li>João Silva · joao.silva@example.org</li>");
    assert_null(strstr(r.body, "João (iPad)"));
    assert_null(strstr(r.body, "<li>Ana (Ana María Pérez)"));
    assert_in_body(&r, "name=\"decision\" value=\"import\"");
    assert_true(preview_token(&r, token, sizeof token));
    http_free(&r);
    /* Nothing was stored; the report waits in DATA/tmp, byte for byte,
     * under a name that is not the token. */
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
    assert_int_equal(rows_of_22(), 0);
    char kept[700];
    assert_int_equal(kept_files(token, kept, sizeof kept), 2);
    char csv[700];
    snprintf(csv, sizeof csv, "%.*s.csv", (int)(strrchr(kept, '.') - kept), kept);
    FILE *f = fopen(csv, "rb");
    assert_non_null(f);
    static char back[65536];
    size_t n = fread(back, 1, sizeof back, f);
    fclose(f);
    assert_int_equal(n, file_len);
    assert_memory_equal(back, file, n);
    struct stat st;
    assert_int_equal(stat(csv, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);

    /* Confirmed: imported, and the kept files are gone. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, token, "import", NULL, &r),
                     303);
    http_free(&r);
    assert_int_equal(rows_of_22(), 8);
    char out[64];
    db_query(data_dir, "SELECT file_name || '|' || imported_by FROM attendance_import", out,
             sizeof out);
    assert_string_equal(out, "pt-resaved.csv|admin@example.org");
    assert_int_equal(kept_files(NULL, NULL, 0), 0);
    /* A token serves once. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, token, "import", NULL, &r),
                     404);
    assert_in_body(&r, "Este resumen ya no está disponible");
    http_free(&r);
}

/* A second preview of the same day says what it would replace, and what
 * earlier decisions will do with its rows. */
static void preview_names_the_import_it_replaces_and_earlier_decisions(void **state)
{
    (void)state;
    struct http_response r;
    char body[300], out[32];
    db_query(data_dir, "SELECT id FROM application WHERE email = 'nunez@example.org'", out,
             sizeof out);
    snprintf(body, sizeof body,
             "csrf=%s&course=cyberdiplomacy&name_key=iphone%%20de%%20luis&application=%s", atoken,
             out);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/match", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    snprintf(body, sizeof body,
             "csrf=%s&course=cyberdiplomacy&name_key=joao.silva%%40example.org&application=0",
             atoken);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/attendance/match", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    load("22");
    assert_int_equal(upload(admin, atoken, "Accept-Language: en", &r), 200);
    assert_in_body(&r, "Importing it replaces the report already imported for this day: "
                       "pt-resaved.csv (8 row(s), ");
    assert_in_body(&r, "<li>iPhone de Luis → Ñandú Núñez</li>");
    assert_in_body(&r, "<h2>Not a participant (earlier decision)</h2>");
    assert_in_body(&r, "<li>João Silva · joao.silva@example.org</li>");
    assert_null(strstr(r.body, "<li>iPhone de Luis</li>"));
    char token[128];
    assert_true(preview_token(&r, token, sizeof token));
    http_free(&r);
    /* Cancelled: dropped, nothing changed. */
    char before[4096], now[4096];
    import_fingerprint(data_dir, before, sizeof before);
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, token, "cancel", NULL, &r),
                     303);
    http_free(&r);
    assert_int_equal(kept_files(NULL, NULL, 0), 0);
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, token, "import", NULL, &r),
                     404);
    http_free(&r);
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
}

/* `aula attendance import --dry-run` prints the same summary as the
 * console's preview (one computation behind both). */
static void dry_run_prints_the_same_summary(void **state)
{
    (void)state;
    load("22");
    char path[400];
    snprintf(path, sizeof path, "%s/pt22.csv", data_dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(file, 1, file_len, f), file_len);
    fclose(f);
    char before[4096], now[4096];
    import_fingerprint(data_dir, before, sizeof before);
    setenv("LANG", "C", 1);
    static char out[8192];
    assert_int_equal(run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-22", "--tz", "America/Caracas", "--dry-run", path, NULL),
                     0);
    static const char *const lines[] = {
        "Zoom language: Portuguese\n",
        "Rows: 8\n",
        "Registered participants matched by email: 2 / 2\n",
        "Matched by email: Ana María Pérez <ana.perez@example.org>\n",
        "Matched by email: Ñandú Núñez <nunez@example.org>\n",
        "Assigned by an earlier decision: iPhone de Luis → Ñandú Núñez\n",
        "Not a participant (earlier decision): João Silva <joao.silva@example.org>\n",
        "Without a registered email (waits for confirmation): Françoise Dubois-L’Hôte "
        "<francoise@example.org>\n",
        "Warning: Importing it replaces the report already imported for this day: "
        "pt-resaved.csv (8 row(s), ",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(out, lines[i]))
            fail_msg("\"%s\" not in:\n%s", lines[i], out);
    assert_null(strstr(out, "confirmation): iPhone de Luis"));
    assert_null(strstr(out, "confirmation): João"));
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
    remove(path);
}

static void forged_and_foreign_tokens_are_refused(void **state)
{
    (void)state;
    struct http_response r;
    char before[4096], now[4096], token[128];
    /* The report of the 21st, so that an import would show. */
    db_query(data_dir, "DELETE FROM attendance_row", NULL, 0);
    db_query(data_dir, "DELETE FROM attendance_import", NULL, 0);
    load("22");
    import_fingerprint(data_dir, before, sizeof before);
    assert_int_equal(upload(admin, atoken, NULL, &r), 200);
    assert_true(preview_token(&r, token, sizeof token));
    http_free(&r);
    /* Forged: a well-formed token nobody was given, and a malformed one. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken,
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "import",
                                     "Accept-Language: en", &r),
                     404);
    assert_in_body(&r, "This preview is no longer available");
    assert_in_body(&r, "nothing was imported");
    http_free(&r);
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, "..%2F..%2Faula.db",
                                     "import", NULL, &r),
                     422);
    http_free(&r);
    /* Another coordinator, and the same administrator in another session. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", coord, ctoken, token, "import", NULL, &r),
                     404);
    http_free(&r);
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin2, atoken2, token, "import", NULL, &r),
                     404);
    http_free(&r);
    /* Nor do they cancel it. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", coord, ctoken, token, "cancel", NULL, &r),
                     404);
    http_free(&r);
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
    assert_int_equal(kept_files(token, NULL, 0), 2);
    /* Its own session still can. */
    assert_int_equal(confirm_preview(&srv, "sela-2022", admin, atoken, token, "import", NULL, &r),
                     303);
    http_free(&r);
    assert_int_equal(rows_of_22(), 8);
}

static void an_expired_preview_is_refused_and_removed(void **state)
{
    (void)state;
    struct http_response r;
    char before[4096], now[4096], token[128];
    db_query(data_dir, "DELETE FROM attendance_row", NULL, 0);
    db_query(data_dir, "DELETE FROM attendance_import", NULL, 0);
    load("22");
    import_fingerprint(data_dir, before, sizeof before);
    assert_int_equal(upload(coord, ctoken, NULL, &r), 200);
    assert_true(preview_token(&r, token, sizeof token));
    http_free(&r);
    /* 59 minutes old: still good; confirmed by the coordinator who sent it. */
    age_kept_files(59 * 60);
    assert_int_equal(confirm_preview(&srv, "sela-2022", coord, ctoken, token, "import", NULL, &r),
                     303);
    http_free(&r);
    assert_int_equal(rows_of_22(), 8);
    db_query(data_dir, "DELETE FROM attendance_row", NULL, 0);
    db_query(data_dir, "DELETE FROM attendance_import", NULL, 0);
    import_fingerprint(data_dir, before, sizeof before);
    assert_int_equal(upload(coord, ctoken, NULL, &r), 200);
    assert_true(preview_token(&r, token, sizeof token));
    http_free(&r);
    /* An hour and a minute old: refused, and removed. */
    age_kept_files(61 * 60);
    assert_int_equal(confirm_preview(&srv, "sela-2022", coord, ctoken, token, "import", NULL, &r),
                     404);
    assert_in_body(&r, "Este resumen ya no está disponible");
    http_free(&r);
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
    assert_int_equal(kept_files(NULL, NULL, 0), 0);
    /* One never confirmed goes when the attendance page is next opened. */
    assert_int_equal(upload(coord, ctoken, NULL, &r), 200);
    http_free(&r);
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance", h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(kept_files(NULL, NULL, 0), 2);
    age_kept_files(61 * 60);
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance", h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(kept_files(NULL, NULL, 0), 0);
}

static void a_refused_report_keeps_nothing(void **state)
{
    (void)state;
    struct http_response r;
    char before[4096], now[4096];
    import_fingerprint(data_dir, before, sizeof before);
    load("21"); /* of another day than the session chosen */
    assert_int_equal(upload(admin, atoken, NULL, &r), 422);
    assert_in_body(&r, "El informe es de otro día");
    assert_null(strstr(r.body, "name=\"preview\""));
    http_free(&r);
    assert_int_equal(kept_files(NULL, NULL, 0), 0);
    import_fingerprint(data_dir, now, sizeof now);
    assert_string_equal(now, before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(preview_shows_the_report_and_changes_nothing),
        cmocka_unit_test(preview_names_the_import_it_replaces_and_earlier_decisions),
        cmocka_unit_test(dry_run_prints_the_same_summary),
        cmocka_unit_test(forged_and_foreign_tokens_are_refused),
        cmocka_unit_test(an_expired_preview_is_refused_and_removed),
        cmocka_unit_test(a_refused_report_keeps_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
