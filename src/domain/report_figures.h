/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report's figures, computed once from the stored facts.
 *
 * Pure: the facts come in as one JSON object, the figures go out as JSON,
 * which the preview, the PDF, the XLSX and the API all read.  Input:
 *
 *   {"programme": {organisation, edition} as programme_load gives it,
 *    "enrolments": [{application_id, enrolment_id, course, status, country,
 *                    gender, institution_type, language, form_of_address,
 *                    given_names, family_names, position, institution}],
 *    "attendance": {course slug: attendance grid (days, rows, rule_percent)},
 *    "certificates": [{enrolment_id, course, status}],
 *    "members": ["AR", ...]       every member state of the organisation,
 *    "address_order": ["ambassador", ...]   forms of address by precedence,
 *    "evaluation": null or {"min_group": 5, "courses": [{course, asked,
 *                  answered, open, stats}]}}
 *
 * Every share is a percentage with one decimal and 0 when its base is 0. */
#ifndef AULA_REPORT_FIGURES_H
#define AULA_REPORT_FIGURES_H

#include <jansson.h>
#include <stddef.h>

/* The figures (a new reference); NULL only when out of memory. */
json_t *report_figures(json_t *input);

/* 100 * n / d rounded to one decimal; 0 when d is 0. */
double report_percent(long n, long d);

/* The SHA-256 (hex) of the figures in canonical form (sorted keys,
 * compact), leaving out "generated_at": generating twice from the same
 * facts gives the same fingerprint. */
void report_fingerprint(json_t *figures, char out[65]);

/* The glossary: catalog keys of every counted term, in document order. */
extern const char *const report_glossary_keys[];

#endif
