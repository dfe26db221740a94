/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report of an edition: its figures gathered from the stores,
 * the console page, the downloads, the API, and what the command line
 * writes. */
#ifndef AULA_PAGES_REPORT_H
#define AULA_PAGES_REPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "../http/http.h"

/* The evaluation's part of the report, set by the evaluation module:
 * {"min_group": n, "courses": [{course, asked, answered, open, stats,
 * quotes}]} where stats is what evaluation_stats gives (its breakdowns
 * already hold the minimum group size) and quotes the comments the
 * coordinator chose; NULL when there is no evaluation.  While this is
 * NULL the report says "no evaluation". */
typedef json_t *(*report_evaluation_fn)(request *req, const char *edition);
extern report_evaluation_fn report_evaluation_source;
/* The one report_evaluation.c builds from the evaluation's store when the
 * evaluation is in the tree (used while report_evaluation_source is
 * unset), else NULL. */
report_evaluation_fn report_evaluation_builtin(void);

/* The figures of an edition with the coordinator's texts, when they were
 * generated and their fingerprint; NULL for an unknown edition. */
json_t *report_of(request *req, const char *edition);

/* Writes the report as format ("pdf", "xlsx" or "html", the last a
 * standalone page) to path.  participants: include their annex. */
bool report_write(json_t *report, const char *format, lang_t lang, bool participants,
                  const char *path, char *err, size_t errlen);

void admin_report(request *req, response *res);
void admin_report_texts(request *req, response *res);
void admin_report_download(request *req, response *res);
void api_report(request *req, response *res);
extern const struct form_spec report_texts_form;

#endif
