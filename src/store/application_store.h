/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Applications, enrolments (one per course applied for), sign-in links
 * and the outbox, stored so that each change and the messages it causes
 * are written in one transaction. */
#ifndef AULA_APPLICATION_STORE_H
#define AULA_APPLICATION_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../domain/enrolment.h"

#include "outbox_store.h"

/* A message to queue (struct message, outbox_store.h).  The store asks for
 * it (message_fn) inside the transaction, after the change, so the text
 * can describe the new state. */
/* kind: "application.received", "decision.accepted", "decision.waitlisted",
 * "decision.rejected", "decision.promoted", "signin.link", "signin.staff"; extra carries
 * kind-specific details (course slug, the Secretariat's note, a link). */
typedef bool (*message_fn)(void *ud, const char *kind, int64_t application_id, json_t *extra,
                           struct message *out);

struct application_input {
    const char *edition_slug;
    const char *email;
    const char *form_of_address, *given_names, *family_names, *gender, *country;
    const char *institution_type, *institution, *position, *phone, *language, *motivation;
    const char *submission_key;
    const char *const *courses; /* course slugs */
    size_t ncourses;
};

enum apply_result {
    APPLY_CREATED,
    APPLY_REPEATED,     /* the same submission again (double click, retry) */
    APPLY_DUPLICATE,    /* this email already applied to this edition */
    APPLY_UNKNOWN_COURSE,
    APPLY_ERROR,
};

enum apply_result application_create(const struct application_input *in, message_fn msg,
                                     void *ud, int64_t *id);

/* One application with its enrolments ([{id, course, course_title,
 * status, ...}]) and its edition's slug and title; NULL when absent. */
json_t *application_load(int64_t id);
/* The applications of an account, newest first, each as application_load. */
json_t *applications_of_account(int64_t account_id);

struct application_filter {
    const char *status, *course, *country, *institution_type, *search;
};
/* Enrolments of an edition matching the filter, joined with their
 * application: the review console's rows, each with its "version".  The
 * search ignores case and accents and looks in names, email, institution
 * and position. */
json_t *enrolments_list(const char *edition_slug, const struct application_filter *f);
/* Per course: {slug, title, capacity, taken, submitted, accepted, ...}. */
json_t *course_counts(const char *edition_slug);

enum decision_outcome {
    DECISION_DONE,
    DECISION_UNCHANGED,
    DECISION_FULL,
    DECISION_NOT_ALLOWED,
    DECISION_NOT_FOUND,
    DECISION_ERROR,
    DECISION_STALE, /* changed since the page was loaded (enrolment_decide_if) */
};

/* Moves an enrolment to status to, queueing the candidate's message (with
 * the optional note) and, when a place is freed, promoting the first on
 * the waiting list; audited as actor.  All in one transaction. */
enum decision_outcome enrolment_decide(int64_t enrolment_id, enrol_status to, const char *actor,
                                       const char *note, message_fn msg, void *ud);
/* The same, only while the enrolment is still as the deciding page showed
 * it: expected is its "version" from enrolments_list (status@status_at);
 * DECISION_STALE, with nothing changed, when a colleague changed it since.
 * NULL expected: no check. */
enum decision_outcome enrolment_decide_if(int64_t enrolment_id, enrol_status to,
                                          const char *actor, const char *note, message_fn msg,
                                          void *ud, const char *expected);
/* The same decision on several enrolments: those of one application are
 * decided in one transaction, and a candidate accepted to several courses
 * gets one message naming them all.  expected (may be NULL) holds each
 * enrolment's version as the deciding page showed it (see
 * enrolment_decide_if).  outcomes[i] receives the outcome of ids[i]. */
void enrolments_decide(const int64_t *ids, const char *const *expected, size_t n, enrol_status to,
                       const char *actor, const char *note, message_fn msg, void *ud,
                       enum decision_outcome *outcomes);
/* The enrolment ids of an application (for decisions on all its courses). */
json_t *enrolment_ids_of_application(int64_t application_id);
/* The edition slug of an enrolment or application, for access checks. */
bool enrolment_edition(int64_t enrolment_id, char *slug, size_t n);

struct registration_input {
    int64_t application_id;
    const char *city, *time_zone, *accessibility;
    bool recording_consent;
    const int64_t *confirm; /* enrolment ids confirmed */
    size_t nconfirm;
    const int64_t *decline; /* enrolment ids declined (withdrawn) */
    size_t ndecline;
};
/* Saves the registration form: confirmed courses become registered,
 * declined ones withdrawn (promoting from the waiting list). */
bool registration_save(const struct registration_input *in, const char *actor, message_fn msg,
                       void *ud);

/* Sign-in links: the token's hash, valid for ttl seconds, used once. */
bool signin_token_create(int64_t account_id, const char *token_hash, const char *next,
                         int ttl_seconds, message_fn msg, void *ud, json_t *extra);
/* SIGNIN_STAFF: the link is of a staff account, which signs in with its
 * password only; such a link is refused. */
enum signin_result { SIGNIN_OK, SIGNIN_UNKNOWN, SIGNIN_EXPIRED, SIGNIN_USED, SIGNIN_STAFF };
/* Uses the link once: account_id is set only with SIGNIN_OK. */
enum signin_result signin_token_consume(const char *token_hash, int64_t *account_id,
                                        char *next, size_t nextlen);
/* What consuming it would say, without using it. */
enum signin_result signin_token_peek(const char *token_hash, char *next, size_t nextlen);
/* Queues "signin.staff" (extra: email, language): a staff address asked
 * for a link; the message says to sign in with the password. */
bool signin_staff_notice(message_fn msg, void *ud, json_t *extra);
/* Finds or creates the participant account for email. */
int64_t participant_account(const char *email);

/* The outbox, newest first (for the console and tests). */
json_t *outbox_recent(int limit);

#endif
