/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Zoom attendance exports (CSV) read into rows of presence.
 *
 * Accepted shapes (see the reference on Zoom reports):
 *  - the meeting Participants export, both header generations (Title Case of
 *    2020-22, the intermediate one with Recording Disclaimer Response and In
 *    Waiting Room, sentence case of 2024 on), with or without the meeting
 *    block of "Export with meeting data" (older and current spellings,
 *    separated by an empty line or a row of commas);
 *  - the webinar attendee report: of its sections only "Attendee Details"
 *    holds participants; host and panelist rows are counted and skipped, as
 *    are registrants who did not attend (Attended = No, times "--");
 *  - the combined meetings-and-participants export (one header, every row
 *    repeating its meeting's columns; meetings told apart by ID and start);
 *  - the same columns with the REST API's ISO 8601 UTC times.
 * Column names are recognised in Zoom's English (both generations),
 * Spanish, Portuguese, French, Russian and Japanese interfaces (the table
 * is in zoom_headers.c), and so are their yes values (Yes, Sí, Sim, Oui,
 * Да, はい).  Refused with an explanation: the "Show unique users" export
 * (a total duration instead of join and leave times cannot be clipped to a
 * session), the usage report's meeting list, and headers Aula does not
 * know (other languages).
 *
 * The header row is searched for, not assumed to be line 1; header names
 * match ignoring case, accents, '_' versus ' ', spaces next to brackets,
 * full-width brackets, curly apostrophes and a trailing ':', and columns
 * that are not used are ignored wherever they are.  Fields follow RFC 4180
 * (quotes, doubled quotes, separators and line breaks inside quotes); the
 * separator is ',', ';' or a tab, whichever shows a known header row; line
 * ends may be CRLF, LF or CR.  Bytes are UTF-8 (any number of byte order
 * marks skipped), UTF-16 with a byte order mark, or else Windows-1252
 * (converted with iconv).  Fields are trimmed of spaces and tabs.
 *
 * Dates.  Accepted forms, with or without seconds, 12-hour (AM/PM, a.m./
 * p.m., a. m./p. m., with plain or no-break spaces) or 24-hour, optionally
 * quoted, 2- or 4-digit years:
 *     03/21/2022 09:02:13 AM    3/21/22 9:02            21/03/2022 09:02
 *     21.03.2022 09:02:13 AM    2022/3/21 9:02          2022-03-21 09:02:13
 *     Mar 21, 2022 09:02:13     21 Mar 2022 09:02       2022-03-21T13:02:13Z
 *     2022-03-21T09:02:13-04:00
 * ('-' and '.' are accepted in place of '/').  Times without a zone are
 * wall-clock times of the exporting account's zone (tz) and converted to
 * UTC; ISO times with Z or an offset are taken as they are.  Years outside
 * 2000-2099 are refused.
 *
 * Date order of numeric dates (N/N/YYYY), decided once per file:
 *  1. if some date's first number is above 12 the file is day-first, if
 *     some date's second number is above 12 it is month-first, and if both
 *     occur the file is refused (mixed orders, both lines named); the
 *     meeting block's start time counts as one of the file's dates;
 *  1b. with the session's date (zoom_report_parse_day), the reading that
 *     puts the report on that day is taken;
 *  2. otherwise every such date fits both orders, and the file is read
 *     month-first (Zoom's default, the US English format) unless only the
 *     day-first reading is consistent: an order is consistent when every
 *     date exists, every row's leave is at or after its join and at most
 *     24 hours later, and the file's earliest join and latest leave are at
 *     most 7 days apart (one meeting's report);
 *  3. day_first tells the order used; date_order_guessed is set when both
 *     orders were consistent and the choice changed some date (a file whose
 *     only dates are 03/04/2022 might be 3 April): the importer should then
 *     check the dates fall on the session's days.
 *
 * Limits: at most 64 MB, 200,000 participant rows and local times on 1,000
 * distinct dates (each costs two zone conversions under timeutil's global
 * lock; a real report spans a day or two); a leave before its join is an
 * error naming the line.  Errors are single sentences for a
 * coordinator, in Spanish or English: what is wrong, where (line numbers
 * are 1-based physical lines) and how to fix the export.  Both languages
 * carry the same details (line numbers, the offending value, the expected
 * column names, which stay in English: they are the headers of Zoom's
 * English export).  Pure: no I/O; the time zone database
 * is read through base/timeutil, once per distinct date of the file. */
#ifndef AULA_ZOOM_REPORT_H
#define AULA_ZOOM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../base/arena.h"
#include "../base/i18n.h"
#include "attendance.h"

#define ZOOM_MAX_BYTES (64u * 1024 * 1024)
#define ZOOM_MAX_ROWS 200000
#define ZOOM_MAX_DATES 1000

struct zoom_row {
    const char *name;          /* display name as shown (before any "(original)") */
    const char *original_name; /* the name in parentheses, or NULL */
    const char *email;         /* lower-cased, NULL when empty */
    time_t join, leave;        /* UTC instants */
    bool waiting_room;         /* "In waiting room" = Yes (or status in_waiting_room) */
    bool guest;                /* "Guest" / "Is Guest" = Yes */
    int line;                  /* 1-based line in the file, for messages */
    int meeting;               /* index into zoom_report.meetings, -1 when none is named */
};

enum zoom_shape {
    ZOOM_PARTICIPANTS, ZOOM_PARTICIPANTS_WITH_MEETING, ZOOM_WEBINAR, ZOOM_COMBINED
};

enum zoom_encoding { ZOOM_UTF8, ZOOM_UTF16, ZOOM_WINDOWS_1252 };

/* A meeting the file names: the block of "Export with meeting data", or
 * one (ID, start time) of the combined meetings-and-participants export. */
struct zoom_meeting {
    const char *id;    /* as written ("932 5001 3841"), "" when absent */
    const char *topic; /* "" when absent */
    time_t start;      /* UTC; 0 when the file gives no start time */
    int line;          /* where it is first named */
    size_t nrows;      /* participant rows of this meeting */
};

struct zoom_report {
    enum zoom_shape shape;
    struct zoom_row *rows; /* in file order, in the arena */
    size_t nrows;
    char topic[256];         /* from the meeting block when present, else "" */
    bool day_first;          /* numeric dates were read day/month/year */
    bool date_order_guessed; /* both orders fitted and they differ: see above */
    size_t skipped_staff;    /* webinar host and panelist rows (not participants) */
    size_t skipped_absent;   /* rows without presence: Attended = No, "--" times */
    struct zoom_meeting *meetings; /* in the arena, in order of appearance */
    size_t nmeetings;
    const char *interface_lang; /* "en", "es", "pt", "fr", "ru" or "ja" */
    enum zoom_encoding encoding;
    char separator;             /* ',', ';' or '\t' */
    size_t left_out_rows;       /* rows of meetings on other days (zoom_report_parse_day) */
    const char *left_out;       /* which meetings were left out and why, in lang; NULL if none */
};

/* Parses a whole file (bytes, any line ends, optional UTF-8 BOM).  tz is
 * the time zone of the exporting account (IANA name) in which the file's
 * local times are written.  Strings live in the arena.  On failure returns
 * false with a message in err, in lang (LANG_ES or LANG_EN; any other value
 * gives Spanish, the platform's default), that a coordinator can act on
 * (out is then cleared). */
bool zoom_report_parse(arena *a, const char *data, size_t len, const char *tz, lang_t lang,
                       struct zoom_report *out, char *err, size_t errlen);

/* As zoom_report_parse(), for the session of date (YYYY-MM-DD) in an
 * edition whose days are local days of edition_tz.  The date order of an
 * ambiguous file (only dates such as 03/04/2022) is taken from the session
 * date: the reading that puts the meetings on that day (or the day before
 * or after, for the exporting account's zone).  Then each meeting is kept
 * when some row's presence falls on the session's local day; a file none
 * of whose meetings does is refused, naming the dates it holds, and the
 * rows of other meetings are dropped, left_out saying which. */
bool zoom_report_parse_day(arena *a, const char *data, size_t len, const char *tz,
                           const char *date, const char *edition_tz, lang_t lang,
                           struct zoom_report *out, char *err, size_t errlen);

/* The presence intervals [join, leave) of one email (compared
 * case-insensitively), waiting-room rows left out.  Writes at most max of
 * them to out, in file order, and returns how many there are (so a return
 * above max means out was too small).  0 for a NULL or empty email. */
size_t zoom_intervals_for(const struct zoom_report *r, const char *email, struct interval *out,
                          size_t max);

#endif
