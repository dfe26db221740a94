/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Applications: applying to an edition, the Secretariat's decisions (one
 * or many, from the console or the API), registering for the courses one
 * was accepted to, withdrawing.  The messages these queue are drawn by msg
 * (with ud), in the same transaction as the change. */
#ifndef AULA_APP_APPLICATIONS_H
#define AULA_APP_APPLICATIONS_H

#include <jansson.h>

#include "../store/application_store.h"
#include "app.h"

/* Where an edition's applications stand at ctx->now, in the edition's own
 * clock: -1 not open yet (or never), 0 open, 1 closed.  edition is the
 * "edition" object of a programme. */
int applications_window(const struct app_ctx *ctx, json_t *edition);

/* Files an application (the candidate's message queued with it); *id is
 * its id, also when the same submission comes again.  Refusals:
 * APP_CONFLICT "apply.closed" (outside the window), "apply.duplicate" (the
 * email already applied), APP_INVALID "apply.unknown_course", APP_NOT_FOUND
 * "error.no_edition", APP_BUSY "error.busy". */
bool application_apply(const struct app_ctx *ctx, const struct application_input *in,
                       message_fn msg, void *ud, int64_t *id, struct app_err *err);

/* One enrolment to decide, and its version as the deciding page showed it
 * (NULL: decide whatever it is now). */
struct decision_row {
    int64_t enrolment;
    const char *expected;
};

/* The decision to on each row (accepted, waitlisted or rejected), with the
 * Secretariat's note (may be NULL): the rows of one application in one
 * transaction and, when accepted, one message naming all its courses; a
 * row not of edition (when edition is not NULL) is not found; a row
 * changed since its version is left alone (DECISION_STALE).  outcomes[i]
 * is rows[i]'s, *decided how many changed.  False only when nothing could
 * be tried: APP_INVALID "error.invalid" (to is not a decision, the note is
 * longer than 2,000 bytes), APP_BUSY "error.busy" (out of memory).  The
 * console's decisions (bulk) and the API's call this. */
bool applications_decide(const struct app_ctx *ctx, const char *edition,
                         const struct decision_row *rows, size_t n, enrol_status to,
                         const char *note, message_fn msg, void *ud,
                         enum decision_outcome *outcomes, int *decided, struct app_err *err);

/* The message key that explains an outcome to a person, NULL for done and
 * unchanged. */
const char *decision_outcome_key(enum decision_outcome o);
/* Its stable name in the API: "done", "unchanged", "full", ... */
const char *decision_outcome_name(enum decision_outcome o);

/* The registration form of an application of the person acting: where
 * they will follow the course from, and which accepted courses they
 * confirm (the others are declined and their places freed). */
struct registration_details {
    const char *city, *time_zone, *accessibility; /* accessibility may be NULL */
    bool recording_consent;
    const int64_t *confirm; /* enrolment ids ticked */
    size_t nconfirm;
};

/* Refusals: APP_NOT_FOUND "error.not_found" (not the actor's
 * application), APP_INVALID "error.timezone", APP_BUSY "error.busy". */
bool application_register(const struct app_ctx *ctx, int64_t application_id,
                          const struct registration_details *in, message_fn msg, void *ud,
                          struct app_err *err);

/* The first block's start and the last one's end of a course of a
 * programme loaded with its derived times (0 when it has no blocks): what
 * decides whether the course has begun. */
void course_times(json_t *course, time_t *starts, time_t *ends);

/* Withdraws the actor from one of their enrolments, freeing the place for
 * the waiting list.  Refusals: APP_NOT_FOUND "error.not_found" (not
 * theirs), APP_CONFLICT "me.withdraw_closed" (the course began, or the
 * enrolment is closed), APP_BUSY "error.busy". */
bool application_withdraw(const struct app_ctx *ctx, int64_t enrolment, message_fn msg, void *ud,
                          struct app_err *err);

#endif
