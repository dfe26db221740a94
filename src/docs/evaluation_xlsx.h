/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation workbook: the raw answers, a summary per question, and a
 * native bar chart of the means on the agreement scale (libxlsxwriter). */
#ifndef AULA_EVALUATION_XLSX_H
#define AULA_EVALUATION_XLSX_H

#include <jansson.h>
#include <stdbool.h>

struct evaluation_workbook {
    const char *answers_sheet;
    json_t *headers, *rows;          /* strings (or null) */
    const char *summary_sheet;
    json_t *summary_headers, *summary; /* cells: strings, numbers or null */
    const char *chart_title;
    json_t *means;                   /* [{label, mean}] */
};

/* Writes the workbook to path.  Text is always written as text, never as a
 * formula. */
bool evaluation_xlsx(const char *path, const struct evaluation_workbook *wb);

#endif
