/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Zoom reports in the interface languages and as spreadsheets re-save
 * them: one meeting (tests/fixtures/zoom/meeting_*, written by
 * make_languages.py) exported in English, Spanish, Portuguese and French,
 * each re-saved with ';', Windows-1252 and day-first dates without
 * seconds, the Spanish one as UTF-16 "Unicode text", the same people in a
 * webinar attendee report and a combined export: every reading gives the
 * English export's minutes per participant.  Then the header and value
 * forms one at a time, the date order taken from the session's date, and
 * the report of another day refused. */
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

#define TZ "America/Caracas"

static arena *A;
static struct zoom_report R;
static char err[1024];

static int setup(void **state)
{
    (void)state;
    A = arena_new(256u * 1024 * 1024);
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

static bool parse_file(const char *name, const char *date, lang_t lang)
{
    size_t len;
    char *data = load(name, &len);
    return zoom_report_parse_day(A, data, len, TZ, date, TZ, lang, &R, err, sizeof err);
}

static bool parse_text(const char *text, size_t len, const char *date)
{
    return zoom_report_parse_day(A, text, len ? len : strlen(text), "UTC", date, "UTC", LANG_EN, &R,
                                 err, sizeof err);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("\"%s\" not in: %s", needle, hay);
}

/* Minutes of one email in the 09:00-13:00 block of 8 March 2022, Caracas. */
static long minutes(const char *email)
{
    time_t from, to;
    assert_true(local_to_utc(TZ, 2022, 3, 8, 9, 0, &from));
    assert_true(local_to_utc(TZ, 2022, 3, 8, 13, 0, &to));
    struct interval iv[16], block = {from, to};
    size_t n = zoom_intervals_for(&R, email, iv, 16);
    assert_true(n <= 16);
    return attended_minutes(iv, n, &block, 1);
}

static const char *const people[] = {"ana.perez@example.org", "joao.silva@example.org",
                                      "francoise@example.org", "nunez@example.org"};

/* By hand from make_languages.py: Ana 73 + 130 (a rejoin); João's two
 * devices 09:05:40-11:00:40 and 10:30:40-12:00:40 are one stretch of 175;
 * Françoise's 3 minutes in the waiting room do not count (238); Ñandú 110. */
static const long expected[] = {203, 175, 238, 110};

static void test_same_minutes_in_every_language(void **state)
{
    (void)state;
    static const struct {
        const char *file, *lang;
        enum zoom_encoding enc;
        char sep;
        bool day_first;
    } files[] = {
        {"meeting_en.csv", "en", ZOOM_UTF8, ',', false},
        {"meeting_es.csv", "es", ZOOM_UTF8, ',', false},
        {"meeting_pt.csv", "pt", ZOOM_UTF8, ',', true},
        {"meeting_fr.csv", "fr", ZOOM_UTF8, ',', true},
        {"meeting_en_resaved.csv", "en", ZOOM_WINDOWS_1252, ';', true},
        {"meeting_es_resaved.csv", "es", ZOOM_WINDOWS_1252, ';', true},
        {"meeting_pt_resaved.csv", "pt", ZOOM_WINDOWS_1252, ';', true},
        {"meeting_fr_resaved.csv", "fr", ZOOM_WINDOWS_1252, ';', true},
        {"meeting_es_utf16.txt", "es", ZOOM_UTF16, '\t', true},
    };
    long english[4];
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        if (!parse_file(files[f].file, "2022-03-08", LANG_EN))
            fail_msg("%s refused: %s", files[f].file, err);
        assert_int_equal(R.nrows, 8);
        assert_int_equal(R.shape, ZOOM_PARTICIPANTS_WITH_MEETING);
        assert_string_equal(R.interface_lang, files[f].lang);
        assert_int_equal(R.encoding, files[f].enc);
        assert_int_equal(R.separator, files[f].sep);
        assert_int_equal(R.day_first, files[f].day_first);
        assert_false(R.date_order_guessed);
        assert_null(R.left_out);
        assert_int_equal(R.nmeetings, 1);
        assert_string_equal(R.meetings[0].id, "812 3456 7890");
        assert_string_equal(R.meetings[0].topic, "Ciberdiplomacia — sesión 1");
        /* Names survive every encoding. */
        assert_string_equal(R.rows[0].name, "Ana");
        assert_string_equal(R.rows[0].original_name, "Ana María Pérez");
        assert_string_equal(R.rows[4].name, "Françoise Dubois-L’Hôte");
        assert_string_equal(R.rows[7].name, "Núñez, Ñandú");
        /* Yes and no in each language: the guest, the waiting room. */
        for (size_t i = 0; i < 8; i++) {
            assert_int_equal(R.rows[i].guest, i == 6);
            assert_int_equal(R.rows[i].waiting_room, i == 4);
        }
        for (size_t p = 0; p < 4; p++) {
            long m = minutes(people[p]);
            if (f == 0)
                english[p] = m;
            if (m != english[p] || m != expected[p])
                fail_msg("%s: %s has %ld minutes, the English export %ld, by hand %ld",
                         files[f].file, people[p], m, english[p], expected[p]);
        }
    }
}

static void test_webinar_and_combined(void **state)
{
    (void)state;
    /* "Mar 08, 2022 09:02:13", every row padded, an escaped quote in a
     * header, a no-show with "--", the host's section skipped. */
    if (!parse_file("webinar_attendee_report_24h.csv", "2022-03-08", LANG_EN))
        fail_msg("refused: %s", err);
    assert_int_equal(R.shape, ZOOM_WEBINAR);
    assert_int_equal(R.nrows, 7);
    assert_int_equal(R.skipped_staff, 1);
    assert_int_equal(R.skipped_absent, 1);
    for (size_t p = 0; p < 4; p++)
        assert_int_equal(minutes(people[p]), expected[p]);

    /* Two instances of the recurring meeting: only 8 March's is imported,
     * and the note names 7 March's (local time of the edition). */
    if (!parse_file("combined_two_days.csv", "2022-03-08", LANG_EN))
        fail_msg("refused: %s", err);
    assert_int_equal(R.shape, ZOOM_COMBINED);
    assert_int_equal(R.nmeetings, 2);
    assert_int_equal(R.nrows, 8);
    assert_int_equal(R.left_out_rows, 2);
    assert_non_null(R.left_out);
    assert_contains(R.left_out, "«Ciberdiplomacia — sesión 1» (ID 812 3456 7890, Monday, 7 March "
                                "2022 08:59, 2 row(s))");
    assert_int_equal(zoom_intervals_for(&R, "hugo.paz@example.org", NULL, 0), 0);
    for (size_t p = 0; p < 4; p++)
        assert_int_equal(minutes(people[p]), expected[p]);
    /* The same in Spanish. */
    assert_true(parse_file("combined_two_days.csv", "2022-03-08", LANG_ES));
    assert_contains(R.left_out, "Solo se importaron las reuniones y filas del día de la sesión");
    assert_contains(R.left_out, "lunes, 7 de marzo de 2022 08:59");
    /* For 7 March, 8 March's meeting is the one left out. */
    assert_true(parse_file("combined_two_days.csv", "2022-03-07", LANG_EN));
    assert_int_equal(R.nrows, 2);
    assert_contains(R.left_out, "Tuesday, 8 March 2022 08:58, 8 row(s)");
}

static void test_another_day_refused(void **state)
{
    (void)state;
    const char *files[] = {"meeting_en.csv", "meeting_es.csv", "meeting_pt_resaved.csv",
                           "meeting_es_utf16.txt", "webinar_attendee_report_24h.csv",
                           "combined_two_days.csv"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        if (parse_file(files[f], "2022-03-21", LANG_EN))
            fail_msg("%s was read for 21 March", files[f]);
        assert_int_equal(R.nrows, 0);
        assert_contains(err, "The report is of another day: its meetings took place on ");
        assert_contains(err, "Tuesday, 8 March 2022");
        assert_contains(err, "while the session chosen is on Monday, 21 March 2022.");
        assert_false(parse_file(files[f], "2022-03-21", LANG_ES));
        assert_contains(err, "El informe es de otro día: sus reuniones tuvieron lugar el ");
        assert_contains(err, "martes, 8 de marzo de 2022");
        assert_contains(err, "lunes, 21 de marzo de 2022");
    }
    /* Both days of the combined export are named, earliest first. */
    assert_false(parse_file("combined_two_days.csv", "2022-03-21", LANG_EN));
    assert_contains(err, "Monday, 7 March 2022; Tuesday, 8 March 2022");
    /* The day is the edition's local day: 23:30 in Caracas on the 8th is
     * the 9th in UTC. */
    const char *late = "Name,Email,Join Time,Leave Time\n"
                       "Ana,a@x.org,2022-03-09T03:30:00Z,2022-03-09T03:50:00Z\n";
    assert_true(zoom_report_parse_day(A, late, strlen(late), TZ, "2022-03-08", TZ, LANG_EN, &R, err,
                                      sizeof err));
    assert_false(zoom_report_parse_day(A, late, strlen(late), TZ, "2022-03-09", TZ, LANG_EN, &R,
                                       err, sizeof err));
    assert_contains(err, "Tuesday, 8 March 2022");
}

static void test_date_order_from_the_session(void **state)
{
    (void)state;
    /* 08/03/2022 alone fits 3 August and 8 March: without a session date
     * the parser says it guessed; with one, the reading that falls on the
     * session's day is taken, and the other day is refused with both
     * readings explained. */
    size_t len;
    char *data = load("meeting_pt.csv", &len);
    assert_true(zoom_report_parse(A, data, len, TZ, LANG_EN, &R, err, sizeof err));
    assert_true(R.date_order_guessed);
    assert_false(R.day_first);
    assert_true(parse_file("meeting_pt.csv", "2022-03-08", LANG_EN));
    assert_true(R.day_first);
    assert_false(R.date_order_guessed);
    assert_true(parse_file("meeting_en.csv", "2022-03-08", LANG_EN));
    assert_false(R.day_first);
    /* Month first, the same file is of 3 August. */
    assert_true(parse_file("meeting_pt.csv", "2022-08-03", LANG_EN));
    assert_false(R.day_first);
    assert_false(parse_file("meeting_pt.csv", "2022-05-01", LANG_EN));
    assert_contains(err, "Wednesday, 3 August 2022");
    assert_contains(err, "Read with the day first, the file's dates such as 03/04 give instead: "
                         "Tuesday, 8 March 2022.");
    /* A day over 12 anywhere decides, the session's date notwithstanding,
     * and the meeting block counts: its 13/04 makes 03/04 read 3 April. */
    const char *block = "Topic,ID,Host,Duration (minutes),Start time,End time,Participants\n"
                        "T,1,H,60,13/04/2022 09:00,13/04/2022 10:00,1\n\n"
                        "Name,Email,Join time,Leave time\n"
                        "Ana,a@x.org,03/04/2022 09:00,03/04/2022 10:00\n";
    assert_true(parse_text(block, 0, "2022-04-03"));
    assert_true(R.day_first);
    assert_false(parse_text(block, 0, "2022-03-04"));
    assert_contains(err, "took place on Sunday, 3 April 2022");
    assert_null(strstr(err, "instead"));
}

static void test_header_forms(void **state)
{
    (void)state;
    /* Case, full-width brackets, spaces inside brackets, curly and
     * typographic apostrophes, accents dropped, a no-break space. */
    const char *fr = "NOM （ nom original ）,Adresse e-mail de l‘utilisateur,HEURE D’ARRIVEE,"
                     "Heure\xc2\xa0" "de départ,Invité\n"
                     "Ana,a@x.org,03/08/2022 09:00,03/08/2022 10:00,Oui\n";
    if (!parse_text(fr, 0, "2022-03-08"))
        fail_msg("refused: %s", err);
    assert_string_equal(R.interface_lang, "fr");
    assert_true(R.rows[0].guest);
    /* Russian and Japanese headers with their values. */
    const char *ru = "Имя (первоначальное имя),Электронная почта,Время подключения,Время отключения,"
                     "Гость,В зале ожидания\n"
                     "Ана,a@x.org,08.03.2022 09:00:00 AM,08.03.2022 10:00:00 AM,Да,Нет\n";
    assert_true(parse_text(ru, 0, "2022-03-08"));
    assert_true(R.rows[0].guest);
    assert_false(R.rows[0].waiting_room);
    const char *ja = "名前（元の名前）,ユーザーメール,参加時刻,退出時刻,所要時間（分）\n"
                     "太郎,t@x.org,2022/3/8 9:00,2022/3/8 10:00,60\n";
    assert_true(parse_text(ja, 0, "2022-03-08"));
    assert_string_equal(R.interface_lang, "ja");
    /* The unique-users export in Spanish is refused with its reason, quoting
     * the file's own column name. */
    const char *uu = "Nombre (nombre original),E-mail del usuario,Duración total (minutos),Invitado\n"
                     "Ana,a@x.org,93,Sí\n";
    assert_false(parse_text(uu, 0, "2022-03-08"));
    assert_contains(err, "\"unique users\" export (line 1 has Duración total (minutos) instead");
    /* A header that only looks alike is not taken. */
    const char *de = "Name (Originalname),E-Mail des Benutzers,Beitrittszeit,Austrittszeit\n"
                     "Ana,a@x.org,03/08/2022 09:00,03/08/2022 10:00\n";
    assert_false(parse_text(de, 0, "2022-03-08"));
    assert_contains(err, "No participant table was found");
}

static void test_value_forms(void **state)
{
    (void)state;
    static const struct {
        const char *join, *leave;
        long minutes;
    } forms[] = {
        {"03/08/2022 09:00:00 a. m.", "03/08/2022 01:30:00 p. m.", 270},
        {"03/08/2022 09:00 a.m.", "03/08/2022 12:00 p.m.", 180},
        {"03/08/2022 09:00\xc2\xa0" "a.\xc2\xa0m.", "03/08/2022 10:00\xc2\xa0" "a.\xc2\xa0m.", 60},
        {"3/8/22 9:00", "3/8/22 21:15", 735},
        {"2022/3/8 9:00", "2022/3/8 9:45", 45},
        {"2022-03-08T09:00:00Z", "2022-03-08T10:00:00+00:00", 60},
        {"Mar 08, 2022 19:13:27", "Mar 08, 2022 20:13:27", 60},
        {"08.03.2022 09:00:00 PM", "08.03.2022 10:00:00 PM", 60},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        char text[400];
        snprintf(text, sizeof text, "Name,Email,Join Time,Leave Time\nAna,a@x.org,\"%s\",\"%s\"\n",
                 forms[i].join, forms[i].leave);
        if (!parse_text(text, 0, "2022-03-08"))
            fail_msg("%s: %s", forms[i].join, err);
        time_t from, to;
        assert_true(local_to_utc("UTC", 2022, 3, 8, 0, 0, &from));
        to = from + 86400;
        struct interval iv[2], block = {from, to};
        assert_int_equal(zoom_intervals_for(&R, "a@x.org", iv, 2), 1);
        assert_int_equal(attended_minutes(iv, 1, &block, 1), forms[i].minutes);
    }
}

static void test_bytes_and_separators(void **state)
{
    (void)state;
    /* Two byte order marks, blank lines, padded rows, no final newline. */
    const char two_boms[] = "\xef\xbb\xbf\xef\xbb\xbf"
                            "Name,Email,Join Time,Leave Time,,,\r\n\r\n"
                            "Ana,a@x.org,03/08/2022 09:00,03/08/2022 10:00,,,\r\n\r\n\r\n"
                            "Beto,b@x.org,03/08/2022 09:00,03/08/2022 09:30,,,";
    assert_true(parse_text(two_boms, sizeof two_boms - 1, "2022-03-08"));
    assert_int_equal(R.nrows, 2);
    assert_string_equal(R.rows[1].name, "Beto");
    /* ';' and tab found from the header row, even with commas in names. */
    const char semi[] = "Name;Email;Join Time;Leave Time\nPérez, Ana;a@x.org;08/03/2022 9:00;08/03/2022 10:00\n";
    assert_true(parse_text(semi, 0, "2022-03-08"));
    assert_int_equal(R.separator, ';');
    assert_string_equal(R.rows[0].name, "Pérez, Ana");
    const char tab[] = "Name\tEmail\tJoin Time\tLeave Time\nPérez, Ana\ta@x.org\t08/03/2022 9:00\t08/03/2022 10:00";
    assert_true(parse_text(tab, 0, "2022-03-08"));
    assert_int_equal(R.separator, '\t');
    /* Windows-1252 when the bytes are not UTF-8: é, ’ and € are read. */
    const char cp[] = "Nombre (nombre original);E-mail del usuario;Hora para unirse;Hora para salir\n"
                      "P\xe9rez \x92\x80;a@x.org;08/03/2022 9:00;08/03/2022 10:00\n";
    assert_true(parse_text(cp, 0, "2022-03-08"));
    assert_int_equal(R.encoding, ZOOM_WINDOWS_1252);
    assert_string_equal(R.rows[0].name, "Pérez ’€");
    /* UTF-16 big-endian too. */
    const char be[] = "\xfe\xff\0N\0a\0m\0e\0\t\0E\0m\0a\0i\0l\0\t\0J\0o\0i\0n\0 \0T\0i\0m\0e\0\t"
                      "\0L\0e\0a\0v\0e\0 \0T\0i\0m\0e\0\n\0A\0\t\0a\0@\0x\0\t"
                      "\0" "2\0" "0\0" "2\0" "2\0-\0" "0\0" "3\0-\0" "0\0" "8\0 \0" "0\0" "9\0:\0" "0\0" "0\0\t"
                      "\0" "2\0" "0\0" "2\0" "2\0-\0" "0\0" "3\0-\0" "0\0" "8\0 \0" "1\0" "0\0:\0" "0\0" "0";
    if (!parse_text(be, sizeof be - 1, "2022-03-08"))
        fail_msg("refused: %s", err);
    assert_int_equal(R.encoding, ZOOM_UTF16);
    assert_int_equal(R.nrows, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_same_minutes_in_every_language), T(test_webinar_and_combined),
        T(test_another_day_refused),            T(test_date_order_from_the_session),
        T(test_header_forms),                   T(test_value_forms),
        T(test_bytes_and_separators),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
