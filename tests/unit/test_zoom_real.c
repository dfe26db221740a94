/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Real Zoom exports (../shared/real-zoom/, beside the project; see its
 * SOURCES.md), each read as the import reads it, for the session of the
 * file's own date: imported with its row count, shape, interface language
 * and the exact minutes of a few people computed by hand from the file
 * (rejoins and overlapping devices counted once), or refused with the
 * reason expected.  The files are never copied into the project; when the
 * folder is not there the test is skipped. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/timeutil.h"
#include "domain/attendance.h"
#include "domain/zoom_report.h"

static arena *A;
static struct zoom_report R;
static char err[1024];
static char dir[1024];

static int setup(void **state)
{
    (void)state;
    A = arena_new(512u * 1024 * 1024);
    err[0] = '\0';
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    A = NULL;
    return 0;
}

/* ../shared/real-zoom beside the sources (AULA_SOURCE), else beside any
 * folder above the current one (a CI clone has shared/ beside it). */
static bool find_dir(void)
{
    const char *src = getenv("AULA_SOURCE");
    char base[900];
    if (src) {
        snprintf(dir, sizeof dir, "%s/../shared/real-zoom", src);
        if (access(dir, R_OK) == 0)
            return true;
    }
    if (!getcwd(base, sizeof base))
        return false;
    for (;;) {
        snprintf(dir, sizeof dir, "%s/shared/real-zoom", base);
        if (access(dir, R_OK) == 0)
            return true;
        char *slash = strrchr(base, '/');
        if (!slash || slash == base)
            return false;
        *slash = '\0';
    }
}

static char *load(const char *name, size_t *len)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = arena_alloc(A, (size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static bool parse(const char *name, const char *date)
{
    size_t len;
    char *data = load(name, &len);
    return zoom_report_parse_day(A, data, len, "UTC", date, "UTC", LANG_EN, &R, err, sizeof err);
}

static void parse_ok(const char *name, const char *date)
{
    if (!parse(name, date))
        fail_msg("%s refused: %s", name, err);
}

static time_t day_start;

/* Minutes of one email over the whole session day (UTC). */
static long by_email(const char *email)
{
    struct interval iv[64], block = {day_start, day_start + 86400};
    size_t n = zoom_intervals_for(&R, email, iv, 64);
    assert_true(n > 0 && n <= 64);
    return attended_minutes(iv, n, &block, 1);
}

/* Minutes of a display name (guests have no email), waiting room left out;
 * *rows receives how many rows carry the name. */
static long by_name(const char *name, size_t *rows)
{
    struct interval iv[64], block = {day_start, day_start + 86400};
    size_t n = 0;
    *rows = 0;
    for (size_t i = 0; i < R.nrows; i++) {
        if (strcmp(R.rows[i].name, name) != 0)
            continue;
        ++*rows;
        if (!R.rows[i].waiting_room && n < 64)
            iv[n++] = (struct interval){R.rows[i].join, R.rows[i].leave};
    }
    return attended_minutes(iv, n, &block, 1);
}

static void on_day(int y, int m, int d)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    day_start = timegm(&tm);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not in: %s", needle, hay);
}

/* Every file of the folder is checked below: a new one must be added. */
static const char *const known[] = {
    "ASUSCAI-AMS-old-verison-participants_88187808697.csv",
    "Jamxon-ExcelReader-zoom-ru.csv",
    "Lightbridge-KS-zoomclass-participants_heroes_full.csv",
    "SergioCaMi-file-system-node-3abril_participants_94849208356-es.csv",
    "SlomaIdo-Dipush-participants_88515606254.csv",
    "SlomaIdo-Dipush-usermeeting_2024_09_01_2024_09_30.csv",
    "Ying-Ju-Smart-Attendance-Checking-zoom.csv",
    "ajurenoks-dip225_2-zoom.csv",
    "andrewpknight-zoomGroupStats-meeting001_participants.csv",
    "andrewpknight-zoomGroupStats-sample_participants-575d1a3.csv",
    "aravind33b-Attendance-Tracker-zoom.csv",
    "aravind33b-Attendance-Tracker-zoom_data.csv",
    "aubreymoore-CAS-biocontrol-seminar-zoom_participants.csv",
    "har1eyk-Create-Attenance-List-Using-Zoom-20200901_lecture.csv",
    "jfrazx-zoom-meeting-csv-parser-webinar.csv",
    "peddireddyharshitha-SAMS-zoom_attendance.csv",
    "yu-9824-zoom_participant-example-ja.csv",
};

static void test_every_file_is_covered(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    size_t csv = 0;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 4, ".csv") != 0)
            continue;
        csv++;
        bool found = false;
        for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
            found |= strcmp(known[i], e->d_name) == 0;
        if (!found)
            fail_msg("%s has no expected outcome here", e->d_name);
    }
    closedir(d);
    assert_int_equal(csv, sizeof known / sizeof known[0]);
}

static void test_current_with_block(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    /* Current sentence case with the new meeting block; a 1-minute
     * waiting-room row before many real ones. */
    parse_ok("SlomaIdo-Dipush-participants_88515606254.csv", "2024-11-19");
    on_day(2024, 11, 19);
    assert_int_equal(R.nrows, 100);
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS_WITH_MEETING);
    assert_string_equal(R.interface_lang, "en");
    assert_int_equal(R.nmeetings, 1);
    assert_string_equal(R.meetings[0].id, "88515606254");
    /* The host: 20:39:39-20:54:43 and 20:54:43-21:21:30, 41 min 51 s. */
    assert_int_equal(by_email("relik@eveniar.co.il"), 41);
    size_t waiting = 0;
    for (size_t i = 0; i < R.nrows; i++)
        waiting += R.rows[i].waiting_room;
    assert_true(waiting > 0);
    /* The example: this November 2024 report for a session of 21
     * March 2022 is refused, naming its date. */
    assert_false(parse("SlomaIdo-Dipush-participants_88515606254.csv", "2022-03-21"));
    assert_contains(err, "another day");
    assert_contains(err, "19 November 2024");
    assert_contains(err, "21 March 2022");
    assert_int_equal(R.nrows, 0);
}

static void test_legacy_rejoins(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    parse_ok("aravind33b-Attendance-Tracker-zoom.csv", "2023-01-26");
    on_day(2023, 1, 26);
    assert_int_equal(R.nrows, 89);
    /* 7 rows; by hand 284+437+362+89+428+319+235 s = 35 min 54 s (Zoom's
     * rounded-up durations sum to 40). */
    assert_int_equal(by_email("patel.vivek1@northeastern.edu"), 35);

    parse_ok("aravind33b-Attendance-Tracker-zoom_data.csv", "2023-01-14");
    on_day(2023, 1, 14);
    assert_int_equal(R.nrows, 15);
    /* 77 + 1155 + 4221 s = 90 min 53 s. */
    assert_int_equal(by_email("kalekar.p@northeastern.edu"), 90);

    parse_ok("Lightbridge-KS-zoomclass-participants_heroes_full.csv", "2021-11-19");
    on_day(2021, 11, 19);
    /* SOURCES.md says 30; lines 5 to 35 hold 31 rows. */
    assert_int_equal(R.nrows, 31);
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS_WITH_MEETING);
    /* Two overlapping rows: 10:08:26-12:01:58 holds 10:11:31-12:01:58. */
    assert_int_equal(by_email("power-girl_kryptonian@dc.com"), 113);
    /* 93 s + 26 min 52 s. */
    assert_int_equal(by_email("dazzler_mutant@marvel.com"), 28);
}

static void test_overlapping_devices(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    parse_ok("ajurenoks-dip225_2-zoom.csv", "2023-04-20");
    on_day(2023, 4, 20);
    assert_int_equal(R.nrows, 22);
    size_t rows;
    /* 07:57:41-10:52:38, 10:51:21-10:54:28, 10:53:17-11:51:04: one stretch
     * 07:57:41-11:51:04 = 233 min 23 s (the durations sum to 237). */
    assert_int_equal(by_name("Martins", &rows), 233);
    assert_int_equal(rows, 3);
    /* 07:43:43-10:18:07 and 10:17:48-11:51:03: 247 min 20 s (sum 249). */
    assert_int_equal(by_name("Edgars", &rows), 247);
    assert_int_equal(rows, 2);
}

static void test_excel_resaves(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    /* M/D/YYYY H:MM, no seconds, rows out of order; "N0" is not yes. */
    parse_ok("Ying-Ju-Smart-Attendance-Checking-zoom.csv", "2021-01-26");
    on_day(2021, 1, 26);
    assert_int_equal(R.nrows, 29);
    assert_int_equal(by_email("weasleyf2@hogwarts.edu"), 2 + 2 + 1 + 55);
    assert_int_equal(by_email("dumbledorea1@hogwarts.edu"), 91);
    size_t guests = 0;
    for (size_t i = 0; i < R.nrows; i++) {
        guests += R.rows[i].guest;
        if (R.rows[i].line == 19)
            assert_true(R.rows[i].guest); /* Yes */
        if (R.rows[i].line == 24 || R.rows[i].line == 25)
            assert_false(R.rows[i].guest); /* N0 */
    }
    assert_int_equal(guests, 1);

    /* Two rows on two dates: only the session day's is imported, and the
     * other day is named. */
    parse_ok("ASUSCAI-AMS-old-verison-participants_88187808697.csv", "2022-10-16");
    on_day(2022, 10, 16);
    assert_int_equal(R.nrows, 1);
    assert_int_equal(R.left_out_rows, 1);
    assert_non_null(R.left_out);
    assert_contains(R.left_out, "15 October 2022");
    assert_int_equal(by_email("anmolrao.spam@gmail.com"), 15);
}

static void test_russian_and_japanese(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    /* DD.MM.YYYY hh:mm:ss AM/PM, Да/Нет. */
    parse_ok("Jamxon-ExcelReader-zoom-ru.csv", "2025-12-20");
    on_day(2025, 12, 20);
    assert_int_equal(R.nrows, 25);
    assert_string_equal(R.interface_lang, "ru");
    assert_true(R.day_first);
    assert_false(R.date_order_guessed);
    assert_true(R.rows[1].waiting_room); /* line 3: В зале ожидания = Да */
    assert_true(R.rows[1].guest);
    assert_false(R.rows[2].waiting_room);
    size_t rows;
    assert_int_equal(by_name("Jamkhan Aliyev", &rows), 62);
    assert_true(rows >= 2);
    /* 07:03:42-07:29:03 and 07:28:48-08:07:16 overlap: 63 min 34 s (sum 65). */
    assert_int_equal(by_email("normurodovelbek0133@gmail.com"), 63);

    /* Full-width brackets in 所要時間（分）, YYYY/M/D H:MM, no Guest column. */
    parse_ok("yu-9824-zoom_participant-example-ja.csv", "2020-12-08");
    on_day(2020, 12, 8);
    assert_int_equal(R.nrows, 204);
    assert_string_equal(R.interface_lang, "ja");
    assert_int_equal(by_email("taro1…"), 244); /* 8:35-12:39 */
}

static void test_combined(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    parse_ok("peddireddyharshitha-SAMS-zoom_attendance.csv", "2026-05-30");
    on_day(2026, 5, 30);
    assert_int_equal(R.shape, ZOOM_COMBINED);
    assert_int_equal(R.nrows, 4399);
    /* Five meetings, two of them instances of the same ID. */
    assert_int_equal(R.nmeetings, 5);
    static const size_t per[] = {1, 2162, 402, 1008, 826};
    for (size_t k = 0; k < 5; k++)
        assert_int_equal(R.meetings[k].nrows, per[k]);
    assert_string_equal(R.meetings[0].id, R.meetings[3].id);
    assert_null(R.left_out);
    /* 18:03:35-18:22:40, 18:17:52-18:20:28 and 18:20:15-19:41:24, under
     * three names: 97 min 49 s (the durations sum to 105). */
    assert_int_equal(by_email("vidhyasagardulla@gmail.com"), 97);
    bool spaced = false;
    for (size_t i = 0; i < R.nrows; i++)
        spaced |= R.rows[i].original_name &&
                  strcmp(R.rows[i].original_name, "DULLA Vidhya sagar") == 0;
    assert_true(spaced); /* "( DULLA Vidhya sagar )" */
}

static void test_refused(void **state)
{
    (void)state;
    if (!find_dir())
        skip();
    static const struct {
        const char *file, *reason;
    } cases[] = {
        {"SlomaIdo-Dipush-usermeeting_2024_09_01_2024_09_30.csv", "meeting list of Zoom's Usage report"},
        {"aubreymoore-CAS-biocontrol-seminar-zoom_participants.csv", "\"unique users\" export (line 4"},
        {"andrewpknight-zoomGroupStats-meeting001_participants.csv", "\"unique users\" export (line 4"},
        {"andrewpknight-zoomGroupStats-sample_participants-575d1a3.csv", "\"unique users\" export (line 4"},
        {"har1eyk-Create-Attenance-List-Using-Zoom-20200901_lecture.csv", "\"unique users\" export (line 4"},
        /* The header line was removed. */
        {"SergioCaMi-file-system-node-3abril_participants_94849208356-es.csv",
         "No participant table was found"},
        /* The dashboard's quality-of-service export: no email, times without dates. */
        {"jfrazx-zoom-meeting-csv-parser-webinar.csv", "but no User Email"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (parse(cases[i].file, "2024-01-01"))
            fail_msg("%s was imported", cases[i].file);
        assert_contains(err, cases[i].reason);
        assert_int_equal(R.nrows, 0);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_every_file_is_covered), T(test_current_with_block), T(test_legacy_rejoins),
        T(test_overlapping_devices),   T(test_excel_resaves),      T(test_russian_and_japanese),
        T(test_combined),              T(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
