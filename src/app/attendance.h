/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance: importing a Zoom report for a course day (with the preview of
 * what it would store), confirming who a row is, overriding a day's minutes,
 * and the grid of who attended what.  The console's pages, the API and
 * `aula attendance import` call these; none of them sees HTTP. */
#ifndef AULA_APP_ATTENDANCE_H
#define AULA_APP_ATTENDANCE_H

#include <jansson.h>

#include "app.h"

/* A report at path, for course's session of date in edition, its times
 * written in zone tz; file_name is how the person called the file. */
struct attendance_report {
    const char *edition, *course, *date, *tz;
    const char *path, *file_name;
};

/* Why a report was refused, in the context's language (the parser's
 * explanation can be longer than app_err's detail, which gets its start). */
struct attendance_refusal {
    const char *why;
};

/* Replaces the day's import with the report's rows.  A report of another
 * day is refused; of a report with meetings on several days only the
 * session day's are kept, and *note says which were left out (else NULL).
 * Refusals: APP_NOT_FOUND "attendance.no_day", APP_INVALID
 * "attendance.import_failed" (the file cannot be read or parsed),
 * APP_BUSY "error.busy"; why->why explains each in ctx->lang. */
bool attendance_import(const struct app_ctx *ctx, const struct attendance_report *in, size_t *rows,
                       const char **note, struct attendance_refusal *why, struct app_err *err);

/* What importing the report would store (the console's preview): shape,
 * encoding, range, rows, people matched, remembered, dismissed, unmatched,
 * warnings.  Changes nothing; NULL with err (and why) as attendance_import. */
json_t *attendance_summary(const struct app_ctx *ctx, const struct attendance_report *in,
                           struct attendance_refusal *why, struct app_err *err);

/* The summary as lines of text in ctx->lang (`aula attendance import
 * --dry-run`).  Changes nothing. */
bool attendance_summary_text(const struct app_ctx *ctx, const struct attendance_report *in,
                             const char **text, struct attendance_refusal *why,
                             struct app_err *err);

/* Confirms that the rows remembered by name_key are the registered
 * participant of course with this application (0: nobody to credit); the
 * decision holds for every import of the edition.  APP_INVALID
 * "attendance.choose_person" when the application is not a participant of
 * the course. */
bool attendance_match(const struct app_ctx *ctx, const char *edition, const char *course,
                      const char *name_key, int64_t application, struct app_err *err);

/* Takes back a decision about name_key. */
bool attendance_unmatch(const struct app_ctx *ctx, const char *edition, const char *name_key,
                        struct app_err *err);

/* Sets the minutes an enrolment of edition attended on a day, with the
 * reason; the enrolment's course goes to course (n bytes).  APP_INVALID
 * "attendance.override_invalid" when the enrolment is not the edition's. */
bool attendance_override(const struct app_ctx *ctx, const char *edition, int64_t enrolment,
                         int64_t day, int minutes, const char *reason, char *course, size_t n,
                         struct app_err *err);

/* The grid of course in edition: its days (id, date, scheduled minutes,
 * the day's import), a row per registered participant (minutes per day,
 * total, percent, whether the course's rule is met), the rows nobody is
 * credited with yet.  NULL with APP_NOT_FOUND "error.no_course" when the
 * course is not the edition's, APP_FAILED "error.no_memory" when the arena
 * ran out. */
json_t *attendance_grid_of(const struct app_ctx *ctx, const char *edition, const char *course,
                           struct app_err *err);

/* Adds to each unmatched entry of a grid the participants whose names
 * resemble it (only the console needs them). */
void attendance_add_suggestions(json_t *grid);

#endif
