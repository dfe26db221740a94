/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation of a course: its questionnaire, what a valid answer is,
 * and the statistics of the answers.  Pure (no I/O): the questionnaire and
 * the answers come in as JSON, verdicts and figures go out.
 *
 * A questionnaire is {"sections": [{"title": {es, en}, "questions": [...]}]};
 * each question has a "key" ([a-z0-9_], unique), a "type", "text" {es, en}
 * and "required".  Types and what an answer to them is:
 *
 *   agree         1..5 on the agreement scale, 0 for "not applicable"
 *   grid          "statements": [{es,en}...]; an array, one agree value each
 *   single        "options": [{es,en}...]; the index of one option
 *   multi         "options", "min", "max"; an array of distinct indexes
 *   nps           0..10, "how likely to recommend"
 *   number        "min", "max"; an integer in range
 *   yesno         true or false
 *   short, long   text (at most 200 and 5,000 characters)
 *   before_after  {"before": 1..5, "after": 1..5}: knowledge of the subject
 *   trainer       {"<trainer slug>": agree value} for each trainer of the course
 *
 * A response is an object from question keys to answers; a question not
 * answered is absent. */
#ifndef AULA_EVALUATION_H
#define AULA_EVALUATION_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define EVAL_TEXT_MAX 5000
#define EVAL_SHORT_MAX 200
#define EVAL_AGREE_MAX 5
#define EVAL_NPS_MAX 10

extern const char *const evaluation_types[];

/* True when def is a well-formed questionnaire; otherwise path and msg say
 * where and what (English, for the import command and the console). */
bool evaluation_validate_definition(json_t *def, char *path, size_t pathlen, char *msg,
                                    size_t msglen);

/* A course's evaluation as the programme file carries it:
 *   {"opens_at": "YYYY-MM-DDTHH:MM:SSZ", "closes_at": ..., "anonymous": bool,
 *    "audience": "registered"|"attended", "reminder_days": [2, 7],
 *    "breakdown": "country"|"gender"|"institution_type"|"none" (an anonymous
 *    questionnaire's groups, see ARCHITECTURE.md),
 *    "questionnaire": {...}}
 * Every key but questionnaire is optional (defaults apply). */
bool evaluation_validate_settings(json_t *ev, char *path, size_t pathlen, char *msg,
                                  size_t msglen);

/* The ready questionnaire every course starts with (a new reference). */
json_t *evaluation_default_definition(void);

/* True when every question key of old is still in new: once answers
 * exist, questions may be reworded but not removed. */
bool evaluation_keeps_questions(json_t *old_def, json_t *new_def);

/* One refused answer: the question key and the catalog key of the reason. */
struct eval_error {
    const char *key;
    const char *msgid;
};

/* Checks a response against def; trainers is the array of the course's
 * trainer slugs.  A draft (final == false) may leave required questions
 * out; a final one may not.  Keys that are not questions are refused.
 * Fills errs (up to max) and returns how many faults there are: zero means
 * the response may be stored as it is. */
size_t evaluation_check(json_t *def, json_t *trainers, json_t *response, bool final,
                        struct eval_error *errs, size_t max);

/* The statistics of responses (an array of response objects) to def:
 *   {"respondents": N, "questions": [{"key", "type", "section", "text",
 *    "answered": n, ...per type...}]}
 * Percentages are of the respondents who answered that question (so a
 * multiple choice's may add up to more than 100), means leave "not
 * applicable" out, NPS is %promoters (9-10) - %detractors (0-6); see
 * evaluation.c for every field.  Texts are not copied: see
 * evaluation_texts. */
json_t *evaluation_stats(json_t *def, json_t *trainers, json_t *responses);

/* The non-empty answers to text question key, in the order given. */
json_t *evaluation_texts(json_t *responses, const char *key);

/* Questions (or grid rows, or trainers) whose mean on the agreement scale
 * is below threshold with at least min_answers answers counted in the mean:
 * an array of {"key", "text", "mean", "n"} (text: the question's, with the
 * row's or trainer's appended). */
json_t *evaluation_low_means(json_t *stats, double threshold, long min_answers);

#endif
