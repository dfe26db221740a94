/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the final report is computed from that no other store gives in one
 * piece: every enrolment with its applicant's facts, every certificate of
 * the edition, and the coordinator's texts. */
#ifndef AULA_REPORT_STORE_H
#define AULA_REPORT_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* [{application_id, enrolment_id, course, status, country, gender,
 *   institution_type, language, form_of_address, given_names,
 *   family_names, position, institution}] of an edition, ordered by
 * application and course; NULL on a database error. */
json_t *report_enrolments(const char *edition_slug);

/* [{enrolment_id, course, status, number}] of every certificate ever
 * issued in the edition (valid, revoked and superseded). */
json_t *report_certificates(const char *edition_slug);

/* The texts: {key: {"es": ..., "en": ..., "updated_at", "updated_by"}}
 * for the keys written so far. */
json_t *report_texts(const char *edition_slug);

/* Keeps a text (both languages; NULL or "" clears one) as a draft. */
bool report_text_save(const char *edition_slug, const char *key, const char *es,
                      const char *en, const char *by);

extern const char *const report_text_keys[]; /* NULL-terminated */

/* The answers of a questionnaire with their ids, for choosing comments to
 * quote: [{response_id, answers}] in the order of the (random) ids. */
json_t *report_comment_answers(int64_t questionnaire_id);

/* The comments chosen for the report: {"<response_id>/<question key>":
 * text_sha256}. */
json_t *report_quote_choices(int64_t questionnaire_id);

/* Chooses (text_sha256 the hex SHA-256 of the text as chosen) or, with
 * chosen false, unchooses one answer's comment to question_key; by and
 * edition_slug for the audit log.  False when the answer is not the
 * questionnaire's or the database fails. */
bool report_quote_set(int64_t questionnaire_id, int64_t response_id, const char *question_key,
                      const char *text_sha256, bool chosen, const char *by,
                      const char *edition_slug);

#endif
