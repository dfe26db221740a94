/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Meetings, personal join links, imported Zoom reports, confirmed name
 * matches and attendance overrides. */
#ifndef AULA_ATTENDANCE_STORE_H
#define AULA_ATTENDANCE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../domain/zoom_report.h"

/* ---- meetings ---- */
/* {platform, join_url, meeting_id, passcode} of a course day, or NULL. */
json_t *meeting_of_day(int64_t day_id);
bool meeting_set(int64_t day_id, const char *platform, const char *join_url,
                 const char *meeting_id, const char *passcode);
/* A day's meeting as the console submits it; no join_url removes it. */
struct meeting_row {
    int64_t day_id;
    const char *platform, *join_url, *meeting_id, *passcode;
};
/* Sets the meetings of several days in one transaction: all or none. */
bool meetings_set(const struct meeting_row *rows, size_t n);

/* ---- join links ---- */
/* The participant's token for the enrolment, created on first use. */
bool join_link_token(int64_t enrolment_id, char *token, size_t n);
enum join_state { JOIN_OK, JOIN_UNKNOWN, JOIN_REVOKED };
/* Resolves a token, counting the visit when it is valid: revoked, and also
 * when its enrolment is no longer registered. */
enum join_state join_link_use(const char *token, int64_t *enrolment_id);
bool join_link_revoke(int64_t enrolment_id);
/* How many visits an enrolment's links (revoked ones too) have had. */
int join_clicks(int64_t enrolment_id);

/* ---- participants ---- */
/* Registered participants of a course: [{enrolment_id, application_id,
 * email, given_names, family_names, form_of_address, gender}]. */
json_t *course_participants(const char *edition_slug, const char *course_slug);
/* The course of an enrolment: {edition, course, day ids...}. */
bool enrolment_course(int64_t enrolment_id, char *edition, size_t en, char *course, size_t cn);

/* ---- imports ---- */
/* Replaces the day's import with these rows, in one transaction. */
bool attendance_import_replace(int64_t day_id, const char *file_name, const char *tz,
                               const char *shape, const struct zoom_row *rows, size_t n,
                               const char *by);
/* {file_name, time_zone, rows, imported_at, imported_by} of a day, or NULL. */
json_t *attendance_import_of(int64_t day_id);
/* Calls fn for each row of the day's import (waiting-room rows included). */
typedef void (*attendance_row_fn)(void *ud, int64_t row_id, const char *name,
                                  const char *original_name, const char *email, int64_t join,
                                  int64_t leave, bool waiting_room);
void attendance_rows_each(int64_t day_id, attendance_row_fn fn, void *ud);

/* ---- name matches and overrides ---- */
/* {key: application_id} confirmed for an edition; 0 for a row confirmed as
 * not a participant.  A key is a normalised display name, or for a row
 * with an email nobody registered, that email in lower case. */
json_t *name_matches(const char *edition_slug);
/* application_id 0 records "not a participant". */
bool name_match_set(const char *edition_slug, const char *name_key, int64_t application_id,
                    const char *by);
/* Takes a decision back: the rows are unassigned again. */
bool name_match_forget(const char *edition_slug, const char *name_key, const char *by);
/* [{enrolment_id, day_id, minutes, reason, set_by, set_at}] of a course. */
json_t *attendance_overrides(const char *edition_slug, const char *course_slug);
bool attendance_override_set(int64_t enrolment_id, int64_t day_id, int minutes,
                             const char *reason, const char *by);
/* The course's rule: percent of scheduled minutes, minimum per day. */
bool course_rule(const char *edition_slug, const char *course_slug, int *percent, int *min_day);

#endif
