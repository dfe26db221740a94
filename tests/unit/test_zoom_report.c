/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Zoom attendance exports: every documented shape read from its fixture
 * (tests/fixtures/zoom/, rows invented), exact rows, UTC instants and the
 * minutes each participant attended of a 09:00-13:00 block; the refusals
 * and their messages, in English and in Spanish; dates, line numbers and
 * limits from generated input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/arena.h"
#include "base/timeutil.h"
#include "domain/attendance.h"
#include "domain/zoom_report.h"

static arena *A;
static struct zoom_report R;
static char err[1024];

static int setup(void **state)
{
    (void)state;
    A = arena_new(256u * 1024 * 1024);
    err[0] = '\0';
    memset(&R, 0xab, sizeof R); /* the parser must clear it */
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    A = NULL;
    return 0;
}

static char *load(const char *name, size_t *len)
{
    const char *src = getenv("AULA_SOURCE");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/zoom/%s", src ? src : "..", name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s (set AULA_SOURCE)", path);
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

static void parse_fixture(const char *name, const char *tz)
{
    size_t len;
    char *data = load(name, &len);
    if (!zoom_report_parse(A, data, len, tz, LANG_EN, &R, err, sizeof err))
        fail_msg("%s refused: %s", name, err);
}

static bool parse_text(const char *text, const char *tz)
{
    return zoom_report_parse(A, text, strlen(text), tz, LANG_EN, &R, err, sizeof err);
}

static bool parse_text_es(const char *text, const char *tz)
{
    return zoom_report_parse(A, text, strlen(text), tz, LANG_ES, &R, err, sizeof err);
}

static void parse_ok(const char *text, const char *tz)
{
    if (!parse_text(text, tz))
        fail_msg("refused: %s", err);
}

static time_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_sec = s};
    return timegm(&tm);
}

static const char *iso(time_t t)
{
    static char buf[4][32];
    static int k;
    k = (k + 1) % 4;
    format_utc_iso(t, buf[k], sizeof buf[k]);
    return buf[k];
}

#define assert_time(t, y, mo, d, h, mi, s) assert_string_equal(iso(t), iso(utc(y, mo, d, h, mi, s)))

/* Minutes of one email within [from, to). */
static long minutes_of(const char *email, time_t from, time_t to)
{
    struct interval iv[64], block = {from, to};
    size_t n = zoom_intervals_for(&R, email, iv, 64);
    assert_true(n <= 64);
    return attended_minutes(iv, n, &block, 1);
}

static void assert_row(size_t i, const char *name, const char *orig, const char *email, int line)
{
    assert_true(i < R.nrows);
    const struct zoom_row *r = &R.rows[i];
    assert_string_equal(r->name, name);
    if (orig)
        assert_string_equal(r->original_name, orig);
    else
        assert_null(r->original_name);
    if (email)
        assert_string_equal(r->email, email);
    else
        assert_null(r->email);
    assert_int_equal(r->line, line);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not in message: %s", needle, hay);
}

static void assert_lacks(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("\"%s\" in message: %s", needle, hay);
}

static void assert_cleared(void)
{
    assert_int_equal(R.nrows, 0);
    assert_null(R.rows);
    assert_string_equal(R.topic, "");
}

/* ---------------------------------------------------------- fixtures */

/* Title Case, America/Caracas (UTC-4 all year): the block 09:00-13:00 local
 * is 13:00Z-17:00Z. */
static void test_old_title_case(void **state)
{
    (void)state;
    parse_fixture("meeting_participants_old.csv", "America/Caracas");
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS);
    assert_int_equal(R.nrows, 11);
    assert_string_equal(R.topic, "");
    assert_false(R.day_first);
    assert_false(R.date_order_guessed);
    assert_row(0, "Ana", "Ana María Pérez", "ana.perez@example.org", 2);
    assert_row(1, "Luis Gómez", NULL, "luis.gomez@example.org", 3); /* lower-cased */
    assert_row(2, "Ana", "Ana Belén Torres", "ana.torres@example.org", 4);
    assert_row(4, "Invitado", NULL, NULL, 6);
    assert_row(6, "Marta Ruiz", NULL, "marta.ruiz@example.org", 8);
    assert_row(10, "Dial-in", NULL, NULL, 12);
    assert_true(R.rows[4].guest);
    assert_false(R.rows[0].guest);
    for (size_t i = 0; i < R.nrows; i++)
        assert_false(R.rows[i].waiting_room);
    /* 03/21/2022 09:02:13 AM in Caracas -> 13:02:13Z. */
    assert_time(R.rows[0].join, 2022, 3, 21, 13, 2, 13);
    assert_time(R.rows[0].leave, 2022, 3, 21, 14, 30, 0);
    /* "3/21/2022 1:00:00 PM", hour not padded -> 17:00Z. */
    assert_time(R.rows[6].join, 2022, 3, 21, 13, 0, 0);
    assert_time(R.rows[6].leave, 2022, 3, 21, 17, 0, 0);
    /* 02:00:00 PM -> 18:00Z; 12:20:30 PM -> 16:20:30Z. */
    assert_time(R.rows[8].leave, 2022, 3, 21, 18, 0, 0);
    assert_time(R.rows[7].join, 2022, 3, 21, 16, 20, 30);

    time_t from = utc(2022, 3, 21, 13, 0, 0), to = utc(2022, 3, 21, 17, 0, 0);
    /* Ana María: rejoins summed.  09:02:13-10:30:00 = 1h27m47s = 5267 s,
     * 10:35-13:10 clipped to 13:00 = 2h25m = 8700 s; 13967 s = 232 min 47 s. */
    struct interval iv[8];
    size_t n = zoom_intervals_for(&R, "ana.perez@example.org", iv, 8);
    assert_int_equal(n, 2);
    assert_int_equal(attended_seconds(iv, n, from, to), 13967);
    assert_int_equal(minutes_of("ana.perez@example.org", from, to), 232);
    /* Luis: 08:45-12:00 clipped to 09:00-12:00 = 180 min; the phone's
     * 11:00-11:30 lies inside it (counted once, not +30); rejoin
     * 12:20:30-12:40:00 = 19 min 30 s.  11970 s = 199 min (the rows'
     * durations would sum to 245). */
    assert_int_equal(zoom_intervals_for(&R, "luis.gomez@example.org", iv, 8), 3);
    assert_int_equal(minutes_of("luis.gomez@example.org", from, to), 199);
    /* The other "Ana": her own 30 minutes, nothing of Ana María's. */
    assert_int_equal(minutes_of("ana.torres@example.org", from, to), 30);
    /* Marta: exactly the block. */
    assert_int_equal(minutes_of("marta.ruiz@example.org", from, to), 240);
    /* Pedro: 12:50-14:00, only 12:50-13:00 inside. */
    assert_int_equal(minutes_of("pedro.sanchez@example.org", from, to), 10);
    /* Sofía: 07:30-08:55, all before the block. */
    assert_int_equal(zoom_intervals_for(&R, "sofia.diaz@example.org", iv, 8), 1);
    assert_int_equal(minutes_of("sofia.diaz@example.org", from, to), 0);
}

/* The same meeting exported day-first (21/03/2022 09:02, 24-hour, no
 * seconds, CRLF) by an account in Europe/Madrid: CET, UTC+1, until the
 * change of 27 March; the block 09:00-13:00 is 08:00Z-12:00Z. */
static void test_day_first_file(void **state)
{
    (void)state;
    parse_fixture("meeting_participants_dayfirst.csv", "Europe/Madrid");
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS);
    assert_int_equal(R.nrows, 6);
    assert_true(R.day_first);
    assert_false(R.date_order_guessed);
    assert_row(0, "Ana", "Ana María Pérez", "ana.perez@example.org", 2);
    assert_row(3, "Invitado", NULL, NULL, 5);
    assert_row(5, "Marta Ruiz", NULL, "marta.ruiz@example.org", 7);
    assert_time(R.rows[0].join, 2022, 3, 21, 8, 2, 0);
    assert_time(R.rows[4].leave, 2022, 3, 21, 12, 10, 0);
    assert_time(R.rows[5].join, 2022, 3, 21, 8, 0, 0); /* "9:00" */
    time_t from = utc(2022, 3, 21, 8, 0, 0), to = utc(2022, 3, 21, 12, 0, 0);
    /* Ana: 09:02-10:30 = 88, 10:35-13:00 = 145. */
    assert_int_equal(minutes_of("ana.perez@example.org", from, to), 233);
    /* Luis: 09:00-12:00, phone inside. */
    assert_int_equal(minutes_of("luis.gomez@example.org", from, to), 180);
    assert_int_equal(minutes_of("marta.ruiz@example.org", from, to), 240);
}

/* Sentence case with the meeting block, ",,,,,," separator, trailing
 * commas, BOM, CRLF and waiting-room rows. */
static void test_current_with_meeting(void **state)
{
    (void)state;
    parse_fixture("participants_current_with_meeting.csv", "America/Caracas");
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS_WITH_MEETING);
    assert_string_equal(R.topic, "Curso de evaluación, sesión 1");
    assert_int_equal(R.nrows, 6);
    assert_row(0, "Elena Castro", NULL, "elena.castro@example.org", 5);
    assert_row(1, "Jorge Vidal", NULL, "jorge.vidal@example.org", 6);
    assert_row(3, "Rosa Méndez", NULL, "rosa.mendez@example.org", 8);
    assert_row(5, "Tomás", "Tomás Ibáñez", "tomas.ibanez@example.org", 10);
    static const bool waiting[] = {false, true, false, true, false, false};
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(R.rows[i].waiting_room, waiting[i]);
    assert_time(R.rows[0].join, 2022, 3, 21, 12, 55, 2);
    assert_time(R.rows[0].leave, 2022, 3, 21, 17, 0, 10);

    time_t from = utc(2022, 3, 21, 13, 0, 0), to = utc(2022, 3, 21, 17, 0, 0);
    /* Elena: 08:55:02-13:00:10 clipped to the block. */
    assert_int_equal(minutes_of("elena.castro@example.org", from, to), 240);
    /* Jorge: the waiting room 08:58-09:03:30 is not attendance (it would
     * add 3.5 min inside the block); admitted 09:03:30-12:45:00 = 13290 s
     * = 221.5 min. */
    struct interval iv[4];
    assert_int_equal(zoom_intervals_for(&R, "JORGE.VIDAL@example.org", iv, 4), 1);
    assert_int_equal(iv[0].from, utc(2022, 3, 21, 13, 3, 30));
    assert_int_equal(minutes_of("jorge.vidal@example.org", from, to), 221);
    /* Rosa never left the waiting room. */
    assert_int_equal(zoom_intervals_for(&R, "rosa.mendez@example.org", iv, 4), 0);
    assert_int_equal(minutes_of("rosa.mendez@example.org", from, to), 0);
    /* Tomás on two devices: 09:00-11:00 and 10:30-12:00 are 09:00-12:00,
     * 180 min (not 210). */
    assert_int_equal(minutes_of("tomas.ibanez@example.org", from, to), 180);
}

/* Title Case with Recording Disclaimer Response and In Waiting Room; the
 * older meeting block separated by an empty line; "Mar 21, 2022 09:01:00"
 * dates, quoted. */
static void test_intermediate(void **state)
{
    (void)state;
    parse_fixture("participants_intermediate.csv", "America/Caracas");
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS_WITH_MEETING);
    assert_string_equal(R.topic, "Taller de indicadores");
    assert_int_equal(R.nrows, 4);
    assert_row(0, "Elena Castro", NULL, "elena.castro@example.org", 5);
    assert_row(1, "Iván Rojas", NULL, "ivan.rojas@example.org", 6);
    assert_row(3, "Paula Soto", NULL, "paula.soto@example.org", 8);
    assert_true(R.rows[1].waiting_room);
    assert_false(R.rows[2].waiting_room);
    assert_time(R.rows[0].join, 2022, 3, 21, 12, 50, 0);
    assert_time(R.rows[3].leave, 2022, 3, 21, 17, 30, 0);
    time_t from = utc(2022, 3, 21, 13, 0, 0), to = utc(2022, 3, 21, 17, 0, 0);
    assert_int_equal(minutes_of("elena.castro@example.org", from, to), 240);
    /* Iván: waiting 08:59-09:01 left out; 09:01-11:31 = 150. */
    assert_int_equal(minutes_of("ivan.rojas@example.org", from, to), 150);
    /* Paula: 11:00-13:30, 11:00-13:00 inside = 120. */
    assert_int_equal(minutes_of("Paula.Soto@example.org", from, to), 120);
}

/* The multi-section webinar report: only Attendee Details are
 * participants. */
static void test_webinar(void **state)
{
    (void)state;
    parse_fixture("webinar_attendees.csv", "America/Caracas");
    assert_int_equal(R.shape, ZOOM_WEBINAR);
    assert_string_equal(R.topic, "Seminario de investigación");
    assert_int_equal(R.nrows, 3);
    assert_int_equal(R.skipped_staff, 3);  /* host and two panelists */
    assert_int_equal(R.skipped_absent, 2); /* Diego and Hugo: No, "--" */
    assert_row(0, "Carla", "Carla Núñez", "carla.nunez@example.org", 14);
    assert_row(1, "Carla", "Carla Núñez", "carla.nunez@example.org", 15);
    assert_row(2, "Beatriz Lara", NULL, "beatriz.lara@example.org", 17);
    assert_false(R.rows[0].guest);
    assert_true(R.rows[2].guest);
    /* "Mar 21, 2022 09:01:00 AM" -> 13:01Z; "01:30:00 PM" -> 17:30Z. */
    assert_time(R.rows[0].join, 2022, 3, 21, 13, 1, 0);
    assert_time(R.rows[2].leave, 2022, 3, 21, 17, 30, 0);
    time_t from = utc(2022, 3, 21, 13, 0, 0), to = utc(2022, 3, 21, 17, 0, 0);
    /* Carla: 09:01-10:00 = 59 min, 10:05-12:59:30 = 174.5 min; 233.5. */
    assert_int_equal(minutes_of("carla.nunez@example.org", from, to), 233);
    /* Beatriz: 09:30-13:30 clipped = 210. */
    assert_int_equal(minutes_of("beatriz.lara@example.org", from, to), 210);
    /* Host and panelists are no participants. */
    struct interval iv[2];
    assert_int_equal(zoom_intervals_for(&R, "elena.castro@example.org", iv, 2), 0);
    assert_int_equal(zoom_intervals_for(&R, "raul.mendez@example.org", iv, 2), 0);
    assert_int_equal(zoom_intervals_for(&R, "diego.ortiz@example.org", iv, 2), 0);
}

static void test_quoted_names(void **state)
{
    (void)state;
    parse_fixture("quoted_names.csv", "America/Caracas");
    assert_int_equal(R.shape, ZOOM_PARTICIPANTS);
    assert_int_equal(R.nrows, 4);
    assert_row(0, "Pérez, Ana María", NULL, "ana.perez@example.org", 2);
    assert_row(1, "José \"Pepe\" Rodríguez", "Rodríguez, José", "jose.rodriguez@example.org", 3);
    assert_row(2, "Lee, Min-jun", "이민준", "minjun.lee@example.org", 4);
    assert_row(3, "O'Brien, Siobhán", NULL, NULL, 5);
    assert_true(R.rows[3].guest);
    assert_time(R.rows[1].leave, 2022, 3, 21, 16, 5, 0);
    time_t from = utc(2022, 3, 21, 13, 0, 0), to = utc(2022, 3, 21, 17, 0, 0);
    assert_int_equal(minutes_of("jose.rodriguez@example.org", from, to), 180);
}

static void test_unique_users_refused(void **state)
{
    (void)state;
    size_t len;
    char *data = load("unique_users.csv", &len);
    assert_false(zoom_report_parse(A, data, len, "America/Caracas", LANG_EN, &R, err, sizeof err));
    assert_cleared();
    assert_contains(err, "\"unique users\"");
    assert_contains(err, "Total Duration (Minutes)");
    assert_contains(err, "cannot be clipped");
    assert_contains(err, "untick \"Show unique users\"");
    assert_contains(err, "line 1");
}

static void test_german_headers_refused(void **state)
{
    (void)state;
    size_t len;
    char *data = load("german_headers.csv", &len);
    assert_false(zoom_report_parse(A, data, len, "Europe/Berlin", LANG_EN, &R, err, sizeof err));
    assert_cleared();
    assert_contains(err, "Name (Original Name), User Email, Join Time and Leave Time");
    assert_contains(err, "Name (original name), Email, Join time and Leave time");
    assert_contains(err, "first row reads \"Name (Originalname),E-Mail des Benutzers,");
    assert_contains(err, "English");
}

/* ------------------------------------------------------------- dates */

#define HDR "Name (Original Name),User Email,Join Time,Leave Time\n"

static void test_date_forms(void **state)
{
    (void)state;
    parse_ok(HDR
             "A,a@x.org,03/21/2022 09:02:13 AM,2022-03-23T00:00:00Z\n"
             "B,b@x.org,3/21/2022 9:02:13 PM,2022-03-23T00:00:00Z\n"
             "C,c@x.org,03/21/2022 12:00:00 AM,2022-03-23T00:00:00Z\n"
             "D,d@x.org,03/21/2022 12:30:00 PM,2022-03-23T00:00:00Z\n"
             "E,e@x.org,\"Mar 21, 2022 09:02:13\",2022-03-23T00:00:00Z\n"
             "F,f@x.org,21 Mar 2022 09:02,2022-03-23T00:00:00Z\n"
             "G,g@x.org,2022-03-21T13:02:13Z,2022-03-23T00:00:00Z\n"
             "H,h@x.org,2022-03-21T09:02:13.250-04:00,2022-03-23T00:00:00Z\n"
             "I,i@x.org,2022-03-21 09:02:13,2022-03-23T00:00:00Z\n"
             "J,j@x.org,03/21/2022 21:02,2022-03-23T00:00:00Z\n"
             "K,k@x.org,03-21-2022 09:02:13 a.m.,2022-03-23T00:00:00Z\n"
             "L,l@x.org,\"March 21, 2022 9:02 pm\",2022-03-23T00:00:00Z\n",
             "America/Caracas");
    assert_int_equal(R.nrows, 12);
    assert_false(R.day_first);
    assert_time(R.rows[0].join, 2022, 3, 21, 13, 2, 13);
    assert_time(R.rows[1].join, 2022, 3, 22, 1, 2, 13);  /* 9 PM */
    assert_time(R.rows[2].join, 2022, 3, 21, 4, 0, 0);   /* 12 AM is midnight */
    assert_time(R.rows[3].join, 2022, 3, 21, 16, 30, 0); /* 12:30 PM is after noon */
    assert_time(R.rows[4].join, 2022, 3, 21, 13, 2, 13);
    assert_time(R.rows[5].join, 2022, 3, 21, 13, 2, 0);
    assert_time(R.rows[6].join, 2022, 3, 21, 13, 2, 13); /* UTC as given */
    assert_time(R.rows[7].join, 2022, 3, 21, 13, 2, 13); /* offset applied */
    assert_time(R.rows[8].join, 2022, 3, 21, 13, 2, 13); /* ISO without zone: local */
    assert_time(R.rows[9].join, 2022, 3, 22, 1, 2, 0);   /* 24-hour */
    assert_time(R.rows[10].join, 2022, 3, 21, 13, 2, 13);
    assert_time(R.rows[11].join, 2022, 3, 22, 1, 2, 0);
    assert_time(R.rows[0].leave, 2022, 3, 23, 0, 0, 0);
}

/* Every number is 12 or less; read month-first, 01/04/2022 23:50 to
 * 02/04/2022 00:20 would be a stay of a month; day-first it is 30 minutes. */
static void test_day_first_by_consistency(void **state)
{
    (void)state;
    parse_ok(HDR
             "A,a@x.org,01/04/2022 23:50,02/04/2022 00:20\n"
             "B,b@x.org,01/04/2022 10:00,01/04/2022 11:00\n",
             "UTC");
    assert_true(R.day_first);
    assert_false(R.date_order_guessed);
    assert_time(R.rows[0].join, 2022, 4, 1, 23, 50, 0);
    assert_time(R.rows[0].leave, 2022, 4, 2, 0, 20, 0);
}

/* Both readings fit: month-first, and the guess is reported. */
static void test_date_order_guessed(void **state)
{
    (void)state;
    parse_ok(HDR "A,a@x.org,03/04/2022 09:00,03/04/2022 10:00\n", "UTC");
    assert_false(R.day_first);
    assert_true(R.date_order_guessed);
    assert_time(R.rows[0].join, 2022, 3, 4, 9, 0, 0);
    /* Day equal to month: nothing to guess. */
    parse_ok(HDR "A,a@x.org,03/03/2022 09:00,03/03/2022 10:00\n", "UTC");
    assert_false(R.day_first);
    assert_false(R.date_order_guessed);
    /* One unambiguous date decides for the whole file. */
    parse_ok(HDR "A,a@x.org,03/04/2022 09:00,03/04/2022 10:00\n"
                 "B,b@x.org,03/04/2022 09:00,03/04/2022 10:00\n"
                 "C,c@x.org,13/04/2022 09:00,13/04/2022 10:00\n", "UTC");
    assert_true(R.day_first);
    assert_false(R.date_order_guessed);
    assert_time(R.rows[0].join, 2022, 4, 3, 9, 0, 0);
}

static void test_mixed_orders_refused(void **state)
{
    (void)state;
    assert_false(parse_text(HDR
                            "A,a@x.org,21/03/2022 09:00,21/03/2022 10:00\n"
                            "B,b@x.org,03/22/2022 09:00,03/22/2022 10:00\n",
                            "UTC"));
    assert_cleared();
    assert_contains(err, "line 2 has \"21/03/2022 09:00\" (day first)");
    assert_contains(err, "line 3 has \"03/22/2022 09:00\" (month first)");
}

static void test_bad_dates(void **state)
{
    (void)state;
    assert_false(parse_text(HDR "A,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n"
                                "B,b@x.org,yesterday,03/21/2022 10:00 AM\n",
                            "UTC"));
    assert_cleared();
    assert_contains(err, "Line 3: the Join Time \"yesterday\" is not a date");
    static const char *const bad[] = {
        "02/30/2022 09:00", "13/13/2022 09:00", "03/21/2022 25:00", "03/21/2022 09:60",
        "03/21/2022 13:00 PM", "03/21/2022 00:30 AM", "03/21/1999 09:00", "Foo 21, 2022 09:00",
        "03/21/2022", "03/21/2022 09:00 XM", "2022-03-21T09:00+25:00", "3/21/22022 9:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256], want[128];
        snprintf(text, sizeof text, HDR "A,a@x.org,03/21/2022 08:00,\"%s\"\n", bad[i]);
        if (parse_text(text, "UTC"))
            fail_msg("accepted \"%s\"", bad[i]);
        snprintf(want, sizeof want, "Line 2: ");
        assert_contains(err, want);
        snprintf(want, sizeof want, "\"%s\"", bad[i]);
        assert_contains(err, want);
    }
}

static void test_leave_before_join(void **state)
{
    (void)state;
    assert_false(parse_text(HDR "A,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n"
                                "\n"
                                "B,b@x.org,03/21/2022 10:00 AM,03/21/2022 09:59 AM\n",
                            "America/Caracas"));
    assert_cleared();
    assert_contains(err, "Line 4: the leave time \"03/21/2022 09:59 AM\" is before the join "
                         "time \"03/21/2022 10:00 AM\"");
}

/* Local times through a cache of conversions per date must equal
 * local_to_utc() on every minute, across both of Madrid's changes of 2022
 * (27 March 02:00 -> 03:00, 30 October 03:00 -> 02:00). */
static void test_zone_changes(void **state)
{
    (void)state;
    static const int days[][3] = {{2022, 3, 26}, {2022, 3, 27}, {2022, 3, 28},
                                  {2022, 10, 29}, {2022, 10, 30}, {2022, 10, 31}};
    size_t cap = 6 * 24 * 4 * 80 + 100, k = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    k += (size_t)snprintf(text, cap, HDR);
    for (int d = 0; d < 6; d++)
        for (int h = 0; h < 24; h++)
            for (int mi = 0; mi < 60; mi += 17)
                k += (size_t)snprintf(text + k, cap - k,
                                      "P,p@x.org,%04d-%02d-%02d %02d:%02d:%02d,2023-01-01T00:00:00Z\n",
                                      days[d][0], days[d][1], days[d][2], h, mi, mi % 60);
    parse_ok(text, "Europe/Madrid");
    assert_int_equal(R.nrows, 6 * 24 * 4);
    size_t i = 0;
    for (int d = 0; d < 6; d++)
        for (int h = 0; h < 24; h++)
            for (int mi = 0; mi < 60; mi += 17, i++) {
                time_t want;
                assert_true(local_to_utc("Europe/Madrid", days[d][0], days[d][1], days[d][2], h,
                                         mi, &want));
                want += mi % 60;
                if (R.rows[i].join != want)
                    fail_msg("%04d-%02d-%02d %02d:%02d: %s, local_to_utc %s", days[d][0],
                             days[d][1], days[d][2], h, mi, iso(R.rows[i].join), iso(want));
            }
    /* Spot checks: winter +1, summer +2. */
    assert_time(R.rows[0].join, 2022, 3, 25, 23, 0, 0);
    assert_time(R.rows[2 * 96 + 10 * 4].join, 2022, 3, 28, 8, 0, 0);
    free(text);
}

/* --------------------------------------------------- file structure */

static void test_header_searched_cr_and_quoted_breaks(void **state)
{
    (void)state;
    /* Title lines before the header, old Mac CR line ends, a quoted name
     * spanning two lines, and unknown columns in between. */
    parse_ok("Participants report\rExported 2022-03-22\r\r"
             "Extra,Name (Original Name),Department,User Email,Join Time,Leave Time\r"
             "x,\"Ana\rMaría\",Ops,ana@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\r"
             "y,Luis,Ops,luis@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM",
             "UTC");
    assert_int_equal(R.nrows, 2);
    assert_row(0, "Ana\rMaría", NULL, "ana@x.org", 5);
    assert_row(1, "Luis", NULL, "luis@x.org", 7);
}

static void test_header_aliases(void **state)
{
    (void)state;
    /* The REST API's field names as CSV columns, status in_waiting_room. */
    parse_ok("name,user_email,join_time,leave_time,duration,status\n"
             "Ana,ANA@x.org,2022-03-21T13:02:13Z,2022-03-21T14:00:00Z,3467,in_meeting\n"
             "Luis,luis@x.org,2022-03-21T12:55:00Z,2022-03-21T13:00:00Z,300,in_waiting_room\n",
             "America/Caracas");
    assert_int_equal(R.nrows, 2);
    assert_row(0, "Ana", NULL, "ana@x.org", 2);
    assert_false(R.rows[0].waiting_room);
    assert_true(R.rows[1].waiting_room);
    /* Any capitalisation, spaces around, trailing colon and comma. */
    parse_ok("  NAME (ORIGINAL NAME) , user EMAIL,JOIN  TIME:,Leave Time,\n"
             "Ana,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM,\n",
             "UTC");
    assert_int_equal(R.nrows, 1);
    /* Two exports pasted together: the second header is not a row. */
    parse_ok(HDR "A,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n"
                 "Name (original name),Email,Join time,Leave time,In waiting room\n"
                 "B,b@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM,Yes\n",
             "UTC");
    assert_int_equal(R.nrows, 2);
    assert_true(R.rows[1].waiting_room);
}

static void test_partial_and_empty(void **state)
{
    (void)state;
    assert_false(parse_text("Name,Email,Duration\nAna,a@x.org,30\n", "UTC"));
    assert_contains(err, "The header row on line 1 has Name (Original Name), User Email but no "
                         "Join Time, Leave Time.");
    assert_contains(err, "Name (original name), Email, Join time and Leave time");
    assert_false(parse_text("\n,,,\n", "UTC"));
    assert_contains(err, "The file is empty");
    /* A header and no rows is an empty meeting, not an error. */
    parse_ok(HDR, "UTC");
    assert_int_equal(R.nrows, 0);
    assert_false(parse_text(HDR "A,a@x.org,,03/21/2022 10:00 AM\n", "UTC"));
    assert_contains(err, "Line 2: the Join Time is empty");
}

static void test_malformed(void **state)
{
    (void)state;
    assert_false(parse_text(HDR "\"Ana,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n", "UTC"));
    assert_contains(err, "Line 2: a quoted field is never closed");
    /* UTF-16 is read (see test_zoom_languages), but not half a character of it. */
    assert_false(zoom_report_parse(A, "\xff\xfeN\0a", 5, "UTC", LANG_EN, &R, err, sizeof err));
    assert_contains(err, "UTF-16");
    assert_false(zoom_report_parse(A, "Name\0,x\n", 8, "UTC", LANG_EN, &R, err, sizeof err));
    assert_contains(err, "NUL");
    /* 0x81 is neither UTF-8 nor Windows-1252 (which a 0xe9 alone would be). */
    assert_false(parse_text(HDR "A\x81,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n", "UTC"));
    assert_contains(err, "Line 2 is not UTF-8");
    assert_false(parse_text(HDR, "Mars/Olympus_Mons"));
    assert_contains(err, "\"Mars/Olympus_Mons\" is not a time zone");
    assert_false(parse_text(HDR, NULL));
    assert_false(zoom_report_parse(A, NULL, 0, "UTC", LANG_EN, &R, err, sizeof err));
    assert_contains(err, "empty");
}

static void test_intervals_for(void **state)
{
    (void)state;
    parse_fixture("meeting_participants_old.csv", "America/Caracas");
    struct interval iv[2];
    /* Three intervals, room for two: the first two written, 3 returned. */
    assert_int_equal(zoom_intervals_for(&R, "LUIS.Gomez@EXAMPLE.org", iv, 2), 3);
    assert_int_equal(iv[0].from, utc(2022, 3, 21, 12, 45, 0));
    assert_int_equal(iv[1].from, utc(2022, 3, 21, 15, 0, 0));
    assert_int_equal(zoom_intervals_for(&R, "luis.gomez@example.org", NULL, 0), 3);
    assert_int_equal(zoom_intervals_for(&R, NULL, iv, 2), 0);
    assert_int_equal(zoom_intervals_for(&R, "", iv, 2), 0); /* guests have no email */
    assert_int_equal(zoom_intervals_for(&R, "nobody@example.org", iv, 2), 0);
}

/* ------------------------------------------------------------ limits */

static char *generate(size_t rows, size_t *len)
{
    size_t cap = rows * 120 + 200;
    char *text = malloc(cap);
    assert_non_null(text);
    size_t k = (size_t)snprintf(text, cap, "Name (original name),Email,Join time,Leave time,"
                                           "Duration (minutes),Guest,In waiting room\n");
    for (size_t i = 0; i < rows; i++) {
        int h = 8 + (int)(i % 5), m = (int)(i % 60);
        k += (size_t)snprintf(text + k, cap - k,
                              "Person %zu (Person Number %zu),p%zu@example.org,03/21/2022 "
                              "%02d:%02d:%02d AM,03/21/2022 %02d:%02d:00 PM,%d,No,No\n",
                              i, i, i % 5000, h, m, (int)(i % 60), h - 7, m, 240);
    }
    *len = k;
    return text;
}

static void test_many_rows(void **state)
{
    (void)state;
    size_t len;
    char *text = generate(100000, &len);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    bool ok = zoom_report_parse(A, text, len, "America/Caracas", LANG_EN, &R, err, sizeof err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (!ok)
        fail_msg("refused: %s", err);
    print_message("100,000 rows (%zu bytes) parsed in %.0f ms\n", len,
                  (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    assert_int_equal(R.nrows, 100000);
    assert_row(99999, "Person 99999", "Person Number 99999", "p4999@example.org", 100001);
    /* i = 99999: 12:39:39 AM... h = 8 + 4 = 12 -> "12:39:39 AM" is 00:39:39. */
    assert_time(R.rows[99999].join, 2022, 3, 21, 4, 39, 39);
    assert_time(R.rows[99999].leave, 2022, 3, 21, 21, 39, 0);
    free(text);
}

static void test_limits(void **state)
{
    (void)state;
    size_t len;
    char *text = generate(ZOOM_MAX_ROWS + 1, &len);
    assert_false(zoom_report_parse(A, text, len, "UTC", LANG_EN, &R, err, sizeof err));
    assert_cleared();
    assert_contains(err, "more than 200000 participant rows (line 200002)");
    free(text);
    /* Exactly the limit is accepted. */
    text = generate(ZOOM_MAX_ROWS, &len);
    assert_true(zoom_report_parse(A, text, len, "UTC", LANG_EN, &R, err, sizeof err));
    assert_int_equal(R.nrows, ZOOM_MAX_ROWS);
    free(text);
    /* Size: refused before reading a byte (calloc'd zero pages). */
    char *big = calloc(1, ZOOM_MAX_BYTES + 1);
    assert_non_null(big);
    assert_false(
        zoom_report_parse(A, big, ZOOM_MAX_BYTES + 1, "UTC", LANG_EN, &R, err, sizeof err));
    assert_contains(err, "larger than 64 MB");
    free(big);
    /* Local times on more than 1,000 dates (each a zone conversion). */
    for (int extra = 0; extra < 2; extra++) {
        size_t cap = 1001 * 64 + 100, k = 0;
        char *t = malloc(cap);
        assert_non_null(t);
        k += (size_t)snprintf(t, cap, HDR);
        for (int i = 0; i < ZOOM_MAX_DATES + extra; i++) {
            time_t day = utc(2020, 1, 1, 0, 0, 0) + (time_t)i * 86400;
            struct tm tm;
            gmtime_r(&day, &tm);
            k += (size_t)snprintf(t + k, cap - k, "P,p@x.org,%04d-%02d-%02d 09:00,%04d-%02d-%02d 10:00\n",
                                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
        }
        bool ok = zoom_report_parse(A, t, k, "America/Caracas", LANG_EN, &R, err, sizeof err);
        free(t);
        if (extra == 0) {
            assert_true(ok);
            assert_int_equal(R.nrows, ZOOM_MAX_DATES);
        } else {
            assert_false(ok);
            assert_contains(err, "Line 1002: the file has dates on more than 1000 different days");
        }
    }
    /* An arena too small for the rows fails cleanly. */
    arena *small = arena_new(64);
    const char *one = HDR "A,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n";
    assert_false(zoom_report_parse(small, one, strlen(one), "UTC", LANG_EN, &R, err, sizeof err));
    assert_contains(err, "Not enough memory");
    assert_cleared();
    arena_free(small);
}

/* ----------------------------------------------------------- Spanish */

static void test_spanish_refusals(void **state)
{
    (void)state;
    size_t len;
    char *data = load("unique_users.csv", &len);
    assert_false(zoom_report_parse(A, data, len, "America/Caracas", LANG_ES, &R, err, sizeof err));
    assert_cleared();
    assert_contains(err, "Este archivo es la exportación de «usuarios únicos» de Zoom");
    assert_contains(err, "la línea 1 tiene Total Duration (Minutes) en lugar de Join Time y "
                         "Leave Time");
    assert_contains(err, "Informes > Uso");
    assert_contains(err, "desmarque «Mostrar usuarios únicos» (\"Show unique users\")");
    assert_contains(err, "vuelva a exportar.");
    assert_lacks(err, "untick");

    data = load("german_headers.csv", &len);
    assert_false(zoom_report_parse(A, data, len, "Europe/Berlin", LANG_ES, &R, err, sizeof err));
    assert_cleared();
    assert_contains(err, "No se encontró una tabla de participantes");
    assert_contains(err, "Name (Original Name), User Email, Join Time y Leave Time");
    assert_contains(err, "Name (original name), Email, Join time y Leave time");
    assert_contains(err, "la primera fila del archivo dice «Name (Originalname),E-Mail des "
                         "Benutzers,");
    assert_contains(err, "cambie el idioma del portal web de Zoom a inglés");
    /* The longest message, whole in the console's buffer. */
    size_t n = strlen(err);
    assert_true(n < 1000);
    assert_string_equal(err + n - strlen("participantes."), "participantes.");

    assert_false(parse_text_es("Name,Email,Duration\nAna,a@x.org,30\n", "UTC"));
    assert_contains(err, "La fila de encabezados de la línea 1 contiene Name (Original Name), "
                         "User Email, pero no Join Time, Leave Time.");
}

static void test_spanish_dates(void **state)
{
    (void)state;
    assert_false(parse_text_es(HDR "A,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n"
                                   "B,b@x.org,yesterday,03/21/2022 10:00 AM\n",
                               "UTC"));
    assert_cleared();
    assert_contains(err, "Línea 3: la columna Join Time contiene «yesterday», que no es una "
                         "fecha que Aula pueda leer");
    assert_contains(err, "con años de 2000 a 2099");
    assert_false(parse_text_es(HDR "A,a@x.org,03/21/2022 08:00,21 marzo 2022 09:00\n", "UTC"));
    assert_contains(err, "Línea 2: la columna Leave Time contiene «21 marzo 2022 09:00»");
    /* A day that exists in neither reading under the file's order. */
    assert_false(parse_text_es(HDR "A,a@x.org,03/21/2022 08:00,02/30/2022 09:00\n", "UTC"));
    assert_contains(err, "Línea 2: «02/30/2022 09:00» no es una fecha si se lee con el mes "
                         "primero (03/21/2022)");
    assert_false(parse_text_es(HDR "A,a@x.org,21/03/2022 09:00,21/03/2022 10:00\n"
                                   "B,b@x.org,03/22/2022 09:00,03/22/2022 10:00\n",
                               "UTC"));
    assert_contains(err, "la línea 2 tiene «21/03/2022 09:00» (día primero) y la línea 3 tiene "
                         "«03/22/2022 09:00» (mes primero)");
    assert_false(parse_text_es(HDR "A,a@x.org,03/21/2022 10:00 AM,03/21/2022 09:59 AM\n",
                               "America/Caracas"));
    assert_contains(err, "Línea 2: la hora de salida «03/21/2022 09:59 AM» es anterior a la hora "
                         "de ingreso «03/21/2022 10:00 AM»");
    assert_false(parse_text_es(HDR, "Mars/Olympus_Mons"));
    assert_contains(err, "«Mars/Olympus_Mons» no es una zona horaria");
    /* A language Aula does not have gets the default, Spanish. */
    assert_false(zoom_report_parse(A, "", 0, "UTC", LANG_COUNT, &R, err, sizeof err));
    assert_contains(err, "El archivo está vacío");
}

/* Every refusal has its own Spanish sentence: none is left in English. */
static void test_spanish_everywhere(void **state)
{
    (void)state;
    static const struct {
        const char *text, *tz;
        size_t len; /* 0: strlen(text) */
    } bad[] = {
        {HDR, "Mars/Olympus_Mons", 0},
        {"\xff\xfeN\0a", "UTC", 5},
        {"Name\0,x\n", "UTC", 8},
        {HDR "A\x81,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n", "UTC", 0},
        {HDR "\"Ana,a@x.org,03/21/2022 09:00 AM,03/21/2022 10:00 AM\n", "UTC", 0},
        {"\n,,,\n", "UTC", 0},
        {"Name,Email,Duration\nAna,a@x.org,30\n", "UTC", 0},
        {"Nombre,Correo\nAna,a@x.org\n", "UTC", 0},
        {"Name,Email,Total Duration (Minutes)\nAna,a@x.org,30\n", "UTC", 0},
        {HDR "A,a@x.org,,03/21/2022 10:00 AM\n", "UTC", 0},
        {HDR "A,a@x.org,03/21/2022 10:00 AM,\n", "UTC", 0},
        {HDR "A,a@x.org,ayer,03/21/2022 10:00 AM\n", "UTC", 0},
        {HDR "A,a@x.org,21/03/2022 09:00,21/03/2022 10:00\n"
             "B,b@x.org,03/22/2022 09:00,03/22/2022 10:00\n", "UTC", 0},
        {HDR "A,a@x.org,03/21/2022 10:00 AM,03/21/2022 09:00 AM\n", "UTC", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
        char en[1024];
        assert_false(zoom_report_parse(A, bad[i].text, len, bad[i].tz, LANG_EN, &R, en, sizeof en));
        assert_false(zoom_report_parse(A, bad[i].text, len, bad[i].tz, LANG_ES, &R, err, sizeof err));
        if (strcmp(en, err) == 0)
            fail_msg("case %zu: the same message in both languages: %s", i, err);
        static const char *const english[] = {" the ", "Line ", " line ", " is ", " not ",
                                              "Export ", " and "};
        for (size_t k = 0; k < sizeof english / sizeof english[0]; k++)
            if (strstr(err, english[k]))
                fail_msg("case %zu: \"%s\" in the Spanish message: %s", i, english[k], err);
    }
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_old_title_case),
        T(test_day_first_file),
        T(test_current_with_meeting),
        T(test_intermediate),
        T(test_webinar),
        T(test_quoted_names),
        T(test_unique_users_refused),
        T(test_german_headers_refused),
        T(test_date_forms),
        T(test_day_first_by_consistency),
        T(test_date_order_guessed),
        T(test_mixed_orders_refused),
        T(test_bad_dates),
        T(test_leave_before_join),
        T(test_zone_changes),
        T(test_header_searched_cr_and_quoted_breaks),
        T(test_header_aliases),
        T(test_partial_and_empty),
        T(test_malformed),
        T(test_intervals_for),
        T(test_many_rows),
        T(test_limits),
        T(test_spanish_refusals),
        T(test_spanish_dates),
        T(test_spanish_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
