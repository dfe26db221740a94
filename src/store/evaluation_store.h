/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Evaluations: questionnaires and their settings, personal links, drafts,
 * who answered and the answers (see ARCHITECTURE.md, "Evaluation", for why
 * the last two cannot be joined). */
#ifndef AULA_EVALUATION_STORE_H
#define AULA_EVALUATION_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct message;

/* Inside programme_save's transaction: a questionnaire for every course of
 * edition_id, from the course's "evaluation" in the file when it has one
 * (then exported again), else the ready one.  Opens at the start of the
 * course's last block and closes 14 days later, but never before the
 * edition's applications close (so the demo edition, open for applications,
 * is open for answers too). */
bool evaluation_create_for_edition(int64_t edition_id, json_t *courses);

/* Inside programme_save's transaction: the questionnaire for the whole
 * edition from the edition's "evaluation" in the file (exported again). */
bool evaluation_import_edition_wide(int64_t edition_id, json_t *ev);

/* The ready questionnaire for courses created in the console since. */
bool evaluation_create_missing(void);

/* Adds "evaluation" to every course of a programme in the file format whose
 * questionnaire was imported or edited, and to the edition when it has a
 * questionnaire for the whole edition (aula export). */
void evaluation_attach_to_programme(json_t *programme);

/* A questionnaire with its settings and course:
 * {id, edition, course (null for the edition's own), course_title,
 *  edition_wide, time_zone, definition, opens_at,
 *  closes_at, anonymous, audience, reminder_days, low_mean,
 *  low_mean_min_answers, min_group, customised, allow_edit, trainers:
 *  [{slug, name}], respondents, responses}; NULL when there is none. */
json_t *evaluation_get(const char *edition, const char *course);
json_t *evaluation_get_id(int64_t questionnaire_id);

/* Changes the questions and settings; the caller has checked them (and
 * that no question was removed once answers exist).  anonymous is not
 * changed once answers exist. */
bool evaluation_update(int64_t questionnaire_id, json_t *definition, const char *opens_at,
                       const char *closes_at, bool anonymous, const char *audience,
                       const char *reminder_days, double low_mean, long low_min,
                       bool allow_edit);

/* Changes the questions only (the question editor; the caller has checked
 * them as for evaluation_update). */
bool evaluation_set_definition(int64_t questionnaire_id, json_t *definition);

/* The dimension ("none", "country", "gender", "institution_type") an
 * anonymous questionnaire's answers are broken down by; unchanged once
 * answers exist (the groups are copied when each answer arrives). */
bool evaluation_set_breakdown(int64_t questionnaire_id, const char *dimension);

/* Personal links: only the hash of the token is kept. */
bool evaluation_link_add(int64_t questionnaire_id, int64_t enrolment_id, const char *token_hash);
/* The questionnaire and enrolment of a link whose holder is still
 * registered; false for an unknown link. */
bool evaluation_link_find(const char *token_hash, int64_t *questionnaire_id,
                          int64_t *enrolment_id);
/* The registered enrolment of account on the questionnaire's course, or 0. */
int64_t evaluation_enrolment_of(int64_t questionnaire_id, int64_t account_id);
/* {name, language, email} of an enrolment's participant, or NULL. */
json_t *evaluation_participant(int64_t enrolment_id);

/* Questionnaires of the account's registered courses, for /me:
 * [{id, edition, course, course_title, opens_at, closes_at, answered, draft}]. */
json_t *evaluation_for_account(int64_t account_id);

bool evaluation_answered(int64_t questionnaire_id, int64_t enrolment_id);
/* The draft's answers (a new reference), or NULL. */
json_t *evaluation_draft(int64_t questionnaire_id, int64_t enrolment_id);
bool evaluation_draft_save(int64_t questionnaire_id, int64_t enrolment_id, const char *answers);

/* Notes that enrolment_id is asked (the row that answering later flags),
 * when invitations go out or the form is first shown. */
bool evaluation_expect(int64_t questionnaire_id, int64_t enrolment_id);

enum eval_submit { EVAL_STORED, EVAL_ALREADY, EVAL_CLOSED, EVAL_FAILED };
/* Stores a final answer (checked by the caller) in one transaction: records
 * that the person answered, stores the answer under a random id (with the
 * enrolment only when the questionnaire is named), and deletes the draft.
 * Refused when already answered or outside the opening times. */
enum eval_submit evaluation_submit(int64_t questionnaire_id, int64_t enrolment_id,
                                   const char *answers);

/* A named questionnaire's answer of enrolment_id (a new reference), or NULL
 * (anonymous answers belong to nobody). */
json_t *evaluation_own_answer(int64_t questionnaire_id, int64_t enrolment_id);
/* Replaces that answer while the questionnaire is open, named and allows
 * changes; false otherwise. */
bool evaluation_change_answer(int64_t questionnaire_id, int64_t enrolment_id,
                              const char *answers);

/* The answers, each a parsed object, in the order of their random ids. */
json_t *evaluation_responses(int64_t questionnaire_id);
/* For a named questionnaire only: [{name, answers}]; an anonymous one
 * returns an empty array. */
json_t *evaluation_named_responses(int64_t questionnaire_id);

/* [{group, answers}] with group the respondent's country, gender or
 * institution_type (dimension) for a named questionnaire.  An anonymous one
 * has groups only in its breakdown dimension (else an empty array): the
 * group copied with the answer, absent (among "others") for the answers
 * given before min_group people of that group had answered. */
json_t *evaluation_grouped_responses(int64_t questionnaire_id, const char *dimension);

/* Registered participants of the questionnaire's course who are to be
 * asked (its audience; never staff accounts), with whether they answered:
 * [{enrolment_id, application_id, email, name, language, answered, invited}]. */
json_t *evaluation_audience(int64_t questionnaire_id);

/* Open questionnaires (opens_at <= now < closes_at): [{id, opens_at,
 * reminder_days, sent: [offsets already queued], last_queued_at}]. */
json_t *evaluation_open_now(const char *now);

/* Queues a mailing: offset_days 0 is the invitation (sent again to people
 * who joined the audience since), a positive one a reminder so many days
 * after opening, a negative one a reminder sent by hand; each reminder
 * once, at most two per questionnaire.  The mailing row, the links and the
 * messages are written in one transaction; false (nothing written) when
 * that reminder was already queued or two reminders went. */
bool evaluation_mailing_once(int64_t questionnaire_id, int offset_days,
                             const struct message *msgs, const int64_t *application_ids,
                             const int64_t *enrolment_ids, const char *const *token_hashes,
                             int n);
/* How many reminders were queued for the questionnaire. */
int evaluation_reminders_sent(int64_t questionnaire_id);

/* The questionnaire for the whole edition (course null, edition_wide
 * true, course_title the edition's), or NULL when it has none. */
json_t *evaluation_get_edition_wide(const char *edition);
/* Creates it with the ready questions, opening at the start of the
 * edition's last block (nothing when it exists already). */
bool evaluation_create_edition_wide(const char *edition);

/* Questionnaires of an edition, the edition's own first:
 * [{id, course, course_title, edition_wide, ...}]. */
json_t *evaluation_of_edition(const char *edition);

#endif
