/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of Zoom report imports in other interface languages and
 * spreadsheet re-saves, and of the right file for the right day: the
 * console imports a Spanish export re-saved with ';' in Windows-1252 and a
 * UTF-16 "Unicode text" save with the minutes of the English export,
 * refuses the report of another day naming its date (storing nothing), and
 * imports of a combined export only the chosen day's meeting, saying
 * which it left out.  The fixtures (tests/fixtures/zoom/meeting_*, of 8
 * March 2022) are moved to the demo edition's days by rewriting their
 * dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "import_preview.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "ana.perez@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "nunez@example.org", "cyberdiplomacy");
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static char file[65536];
static size_t file_len;

static void load(const char *fixture)
{
    char path[512];
    source_path(fixture, path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    file_len = fread(file, 1, sizeof file, f);
    fclose(f);
}

/* Replaces every occurrence of the n bytes of from by those of to (same length). */
static void rewrite(const char *from, const char *to, size_t n)
{
    for (size_t i = 0; i + n <= file_len; i++)
        if (memcmp(file + i, from, n) == 0)
            memcpy(file + i, to, n);
}

/* Uploads the file for the session of date; an accepted upload is then
 * confirmed (see import_preview.h): the status is the refusal's or the
 * confirmation's. */
static long upload(const char *date, const char *lang_header, struct http_response *r)
{
    static char body[80000];
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n", atoken, date);
    memcpy(body + len, file, file_len);
    len += file_len;
    len += (size_t)snprintf(body + len, sizeof body - len, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/attendance/import", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", lang_header, NULL};
    char before[4096];
    import_fingerprint(data_dir, before, sizeof before);
    assert_true(http("POST", url, h, body, len, r));
    /* An accepted upload is a preview that changes nothing until confirmed. */
    return confirm_upload(&srv, data_dir, before, "sela-2022", admin, atoken, lang_header, r);
}

static int count(const char *sql_fmt, const char *date)
{
    char q[400], out[32];
    snprintf(q, sizeof q, sql_fmt, date);
    db_query(data_dir, q, out, sizeof out);
    return atoi(out);
}

#define ROWS_OF_DAY                                                                             \
    "SELECT count(*) FROM attendance_row r JOIN attendance_import i ON i.id = r.import_id"    \
    " JOIN course_day d ON d.id = i.course_day_id JOIN course c ON c.id = d.course_id"        \
    " WHERE c.slug = 'cyberdiplomacy' AND d.day = '%s'"
#define IMPORTS_OF_DAY                                                                          \
    "SELECT count(*) FROM attendance_import i JOIN course_day d ON d.id = i.course_day_id"    \
    " JOIN course c ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy' AND d.day = '%s'"

/* Minutes of one email on the first day in the console's JSON grid. */
static long minutes_day1(const char *email)
{
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
                         h, &r));
    assert_int_equal(r.status, 200);
    char needle[200];
    snprintf(needle, sizeof needle, "\"email\": \"%s\"", email);
    const char *p = strstr(r.body, needle);
    if (!p)
        fail_msg("%s not in the grid", email);
    const char *m = strstr(p, "\"minutes\": ");
    assert_non_null(m);
    long v = atol(m + strlen("\"minutes\": "));
    http_free(&r);
    return v;
}

static void assert_in_body(const struct http_response *r, const char *needle)
{
    if (!strstr(r->body, needle))
        fail_msg("\"%s\" not on the page", needle);
}

static void spanish_resave_is_imported(void **state)
{
    (void)state;
    struct http_response r;
    /* ';', Windows-1252, 21/03/2022 9:02: the Spanish spreadsheet's save. */
    load("tests/fixtures/zoom/meeting_es_resaved.csv");
    rewrite("08/03/2022", "21/03/2022", 10);
    if (upload("2022-03-21", NULL, &r) != 303)
        fail_msg("status %ld: %s", r.status, r.body);
    http_free(&r);
    assert_int_equal(count(ROWS_OF_DAY, "2022-03-21"), 8);
    /* As in the English export: 73 + 130 and 110 minutes of 09:00-13:00. */
    assert_int_equal(minutes_day1("ana.perez@example.org"), 203);
    assert_int_equal(minutes_day1("nunez@example.org"), 110);
}

static void utf16_save_is_imported(void **state)
{
    (void)state;
    struct http_response r;
    load("tests/fixtures/zoom/meeting_es_utf16.txt");
    rewrite("0\0008\0/\0000\0003\0/\0", "2\0001\0/\0000\0003\0/\0", 12);
    if (upload("2022-03-21", NULL, &r) != 303)
        fail_msg("status %ld: %s", r.status, r.body);
    http_free(&r);
    assert_int_equal(count(ROWS_OF_DAY, "2022-03-21"), 8);
    assert_int_equal(minutes_day1("ana.perez@example.org"), 203);
}

static void another_day_is_refused(void **state)
{
    (void)state;
    struct http_response r;
    /* The Portuguese export of 21 March for the session of 22 March. */
    load("tests/fixtures/zoom/meeting_pt.csv");
    rewrite("08/03/2022", "21/03/2022", 10);
    assert_int_equal(upload("2022-03-22", NULL, &r), 422);
    assert_in_body(&r, "No se importó nada: El informe es de otro día: sus reuniones tuvieron "
                       "lugar el lunes, 21 de marzo de 2022, y la sesión elegida es el martes, 22 "
                       "de marzo de 2022.");
    http_free(&r);
    assert_int_equal(upload("2022-03-22", "Accept-Language: en", &r), 422);
    assert_in_body(&r, "Nothing was imported: The report is of another day: its meetings took "
                       "place on Monday, 21 March 2022, while the session chosen is on Tuesday, "
                       "22 March 2022.");
    http_free(&r);
    /* The English export too (which was once imported as everyone's 0 minutes). */
    load("tests/fixtures/zoom/meeting_en.csv");
    rewrite("03/08/2022", "03/21/2022", 10);
    assert_int_equal(upload("2022-03-22", "Accept-Language: en", &r), 422);
    assert_in_body(&r, "its meetings took place on Monday, 21 March 2022, while the session chosen "
                       "is on Tuesday, 22 March 2022.");
    http_free(&r);
    assert_int_equal(count(IMPORTS_OF_DAY, "2022-03-22"), 0);
    /* The earlier import of the 21st is untouched. */
    assert_int_equal(count(ROWS_OF_DAY, "2022-03-21"), 8);
}

static void combined_export_keeps_the_day(void **state)
{
    (void)state;
    struct http_response r;
    /* Its two meetings moved to 21 and 22 March; imported for the 22nd. */
    load("tests/fixtures/zoom/combined_two_days.csv");
    rewrite("03/07/2022", "03/21/2022", 10);
    rewrite("03/08/2022", "03/22/2022", 10);
    assert_int_equal(upload("2022-03-22", "Accept-Language: en", &r), 200);
    assert_in_body(&r, "Only the session day&#39;s meetings and rows were imported; left out: "
                       "«Ciberdiplomacia — sesión 1» (ID 812 3456 7890, Monday, 21 March 2022 "
                       "08:59, 2 row(s)).");
    http_free(&r);
    assert_int_equal(count(ROWS_OF_DAY, "2022-03-22"), 8);
    char out[64];
    db_query(data_dir, "SELECT count(*) FROM attendance_row WHERE email = 'hugo.paz@example.org'",
             out, sizeof out);
    assert_int_equal(atoi(out), 0);
}

static void dry_run_changes_nothing(void **state)
{
    (void)state;
    /* The Portuguese re-save of 22 March, previewed from the shell. */
    load("tests/fixtures/zoom/meeting_pt_resaved.csv");
    rewrite("08/03/2022", "22/03/2022", 10);
    char path[400];
    snprintf(path, sizeof path, "%s/pt22.csv", data_dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(file, 1, file_len, f), file_len);
    fclose(f);
    int before = count(ROWS_OF_DAY, "2022-03-22");
    setenv("LANG", "C", 1);
    static char out[8192];
    assert_int_equal(run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-22", "--tz", "America/Caracas", "--dry-run", path, NULL),
                     0);
    static const char *const lines[] = {
        "Dry run: nothing was imported\n",
        "Report: participants export with meeting data\n",
        "Zoom language: Portuguese\n",
        "Encoding and separator: Windows-1252, semicolons\n",
        "Date order: day first (21/03/2022)\n",
        "From and to: 2022-03-22 08:58 - 2022-03-22 12:59 (America/Caracas)\n",
        "Rows: 8\n",
        "People (distinct emails): 4\n",
        "Registered participants matched by email: 2 / 2\n",
        "Guest rows: 1\n",
        "Without a registered email (waits for confirmation): iPhone de Luis\n",
    };
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
        if (!strstr(out, lines[i]))
            fail_msg("\"%s\" not in:\n%s", lines[i], out);
    /* Ana and Ñandú have registered emails: they are not listed. */
    assert_null(strstr(out, "confirmation): Ana"));
    assert_null(strstr(out, "Ñandú"));
    assert_int_equal(count(ROWS_OF_DAY, "2022-03-22"), before);
    /* Another day: refused, the same as an import. */
    assert_int_equal(run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-21", "--tz", "America/Caracas", "--dry-run", path, NULL),
                     1);
    if (!strstr(out, "took place on Tuesday, 22 March 2022"))
        fail_msg("not refused: %s", out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spanish_resave_is_imported),
        cmocka_unit_test(utf16_save_is_imported),
        cmocka_unit_test(another_day_is_refused),
        cmocka_unit_test(combined_export_keeps_the_day),
        cmocka_unit_test(dry_run_changes_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
