/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Invitations sent to registered participants, and reminders. */
#ifndef AULA_INVITATION_STORE_H
#define AULA_INVITATION_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "outbox_store.h"

/* Registered participants of a course: [{enrolment_id, application_id,
 * uid, sequence, schedule}] (uid null when never invited). */
json_t *course_invitees(const char *edition_slug, const char *course_slug);
/* Every invitation sent, with its course: [{enrolment_id, application_id,
 * edition, course, uid, sequence, schedule}]. */
json_t *invitations_sent(void);
/* Records the invitation and queues its message in one transaction. */
bool invitation_send(int64_t enrolment_id, int64_t application_id, const char *uid, int sequence,
                     const char *schedule, const char *kind, const struct message *m,
                     const char *batch);

/* Course days with their first start and last end in UTC and the edition's
 * reminder offsets: [{day_id, edition, course, date, start_utc, end_utc,
 * offsets}] for published editions. */
json_t *course_days_with_times(void);
/* Whether the reminders of one course day and offset were queued already
 * (*sent); false when the database could not say. */
bool reminder_was_queued(int64_t day_id, int offset_minutes, bool *sent);
/* Queues the reminders of one course day and offset, unless already done:
 * messages[] for each registered participant, all in one transaction.
 * Returns false when it was done before (or on error). */
bool reminder_queue_once(int64_t day_id, int offset_minutes, const struct message *messages,
                         const int64_t *application_ids, int n);

/* The meeting URL of a course (shown only to its registered participants). */
bool course_meeting_url(const char *edition_slug, const char *course_slug, char *buf, size_t n);

#endif
