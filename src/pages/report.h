/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report's pages: the console page with the coordinator's texts,
 * the comments to quote, the downloads and the API (the operation itself
 * is src/app/report.h). */
#ifndef AULA_PAGES_REPORT_H
#define AULA_PAGES_REPORT_H

#include "../http/http.h"

void admin_report(request *req, response *res);
void admin_report_texts(request *req, response *res);
void admin_report_download(request *req, response *res);
void api_report(request *req, response *res);
extern const struct form_spec report_texts_form;
void admin_report_comments(request *req, response *res);
void admin_report_choose(request *req, response *res);
extern const struct form_spec report_choose_form;

#endif
