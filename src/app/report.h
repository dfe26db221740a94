/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report of an edition as an operation: its figures gathered
 * from the stores, the coordinator's texts and chosen quotes, and the
 * document written as PDF, XLSX or HTML.  Called by the console's pages,
 * the API and `aula report` alike. */
#ifndef AULA_APP_REPORT_H
#define AULA_APP_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "app.h"

/* The figures of an edition with the coordinator's texts, when they were
 * generated and their fingerprint (a new reference); NULL with
 * APP_NOT_FOUND for an unknown edition. */
json_t *app_report(const struct app_ctx *ctx, const char *edition, struct app_err *err);

/* Writes the report as format ("pdf", "xlsx" or "html", the last a
 * standalone page) in lang to path.  participants: include their annex. */
bool app_report_write(const struct app_ctx *ctx, json_t *report, const char *format, lang_t lang,
                      bool participants, const char *path, struct app_err *err);

/* Keeps the coordinator's texts as drafts: texts is {key: {"es", "en"}}
 * for keys of report_text_keys (a missing or empty one clears it). */
bool app_report_texts_save(const struct app_ctx *ctx, const char *edition, json_t *texts,
                           struct app_err *err);

/* The comments (answers to the evaluation's free-text questions) the
 * coordinator may quote, per questionnaire: [{course, course_title,
 * comments: [{id, question, text, chosen}]}], id naming one answer to one
 * question; NULL with APP_NOT_FOUND for an unknown edition. */
json_t *app_report_comments(const struct app_ctx *ctx, const char *edition, struct app_err *err);

/* Chooses (or, with chosen false, unchooses) the comment id of the
 * edition's evaluation for the report.  The report quotes the text exactly
 * as the participant wrote it; a choice made before the participant
 * changed their answer no longer quotes anything.  APP_NOT_FOUND when the
 * edition has no such comment. */
bool app_report_choose(const struct app_ctx *ctx, const char *edition, const char *id,
                       bool chosen, struct app_err *err);

/* The evaluation's part of the report ({"min_group", "courses": [{course,
 * asked, answered, open, stats, quotes}]}) or NULL when the edition has no
 * questionnaire (src/app/report_evaluation.c). */
json_t *report_evaluation_part(const char *edition);

#endif
