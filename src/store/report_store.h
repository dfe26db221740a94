/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the final report is computed from that no other store gives in one
 * piece: every enrolment with its applicant's facts, every certificate of
 * the edition, and the coordinator's texts. */
#ifndef AULA_REPORT_STORE_H
#define AULA_REPORT_STORE_H

#include <jansson.h>
#include <stdbool.h>

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

#endif
