/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's pages (evaluation.c: answering; evaluation_admin.c:
 * settings and reminders by hand; evaluation_results.c: results, exports,
 * the API; the mailings are app/evaluation.c). */
#ifndef AULA_EVALUATION_PAGES_H
#define AULA_EVALUATION_PAGES_H

#include "../http/http.h"

void page_evaluation_link(request *req, response *res);
void page_evaluation_link_post(request *req, response *res);
void page_me_evaluation(request *req, response *res);
void page_me_evaluation_post(request *req, response *res);
/* The evaluations of the signed-in participant, for /me. */
json_t *evaluations_for_me(request *req);

void admin_evaluations(request *req, response *res);
void admin_evaluation(request *req, response *res);
void admin_evaluation_save(request *req, response *res);
void admin_evaluation_csv(request *req, response *res);
void admin_evaluation_xlsx(request *req, response *res);
void admin_evaluation_remind(request *req, response *res);
void admin_evaluation_edition_create(request *req, response *res);
/* evaluation_editor.c: the questions as a form. */
void admin_evaluation_questions(request *req, response *res);
void admin_evaluation_questions_post(request *req, response *res);
void api_evaluation(request *req, response *res);
extern const struct form_spec evaluation_settings_form, evaluation_remind_form,
    evaluation_edition_form, evaluation_editor_form;

/* Items for the console's home: questionnaires with a mean below their
 * threshold once they have enough answers: [{edition, course,
 * course_title, key, text, mean, n}]. */
json_t *evaluation_low_items(request *req, const char *edition);

/* Shared by evaluation_admin.c and evaluation_results.c. */
/* The questionnaire of the route's edition and course, or NULL after a 404. */
json_t *eval_course_q(request *req, response *res);
/* The questionnaires of the route's edition (its courses' made first when
 * missing), or NULL after a 404. */
json_t *eval_edition_list(request *req, response *res);
/* The console page of questionnaire q (a course's or the edition's). */
const char *eval_admin_path(request *req, json_t *q);
/* Adds asked, pending, respondents and response_rate to into. */
void eval_rate(request *req, json_t *q, json_t *into);
json_t *eval_stats_of(json_t *q, json_t *responses);
/* The statistics with a chart for each question, and its free texts. */
json_t *eval_results_view(request *req, json_t *q, json_t *stats, json_t *responses);
/* Means of the agreement questions per group of dimension by (see
 * evaluation_results.c). */
json_t *eval_breakdown(request *req, json_t *q, const char *by);

#endif
