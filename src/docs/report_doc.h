/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report as a document: its content in order (headings,
 * paragraphs, tables and charts, built once from the figures in one
 * language), and three ways to write it: a PDF (A4, cairo and pango), an
 * HTML fragment for the console's preview, and an XLSX workbook with every
 * table and native charts.  Charts are drawn once with cairo, onto the PDF
 * page or onto an SVG surface for the preview. */
#ifndef AULA_REPORT_DOC_H
#define AULA_REPORT_DOC_H

#include <jansson.h>
#include <stdbool.h>

#include "../base/i18n.h"
#include "../base/strbuf.h"

/* The document's blocks: figures as report_figures makes them, with
 * "texts" (the coordinator's), "generated_at" and "fingerprint" added.
 * participants: include the annex listing them. */
json_t *report_blocks(json_t *figures, lang_t lang, bool participants);

/* Writes the PDF to path; false with a reason in err. */
bool report_pdf(json_t *blocks, json_t *figures, lang_t lang, const char *path, char *err,
                size_t errlen);

/* The preview's HTML (a fragment: sections, tables, charts as images with
 * text alternatives). */
void report_html(json_t *blocks, json_t *figures, lang_t lang, strbuf *out);

/* Writes the workbook to path: one sheet per table, native charts. */
bool report_xlsx(json_t *blocks, lang_t lang, const char *path);

/* One chart ("funnel", "countries", "gender", "attendance", "agreement",
 * "before_after") as SVG; false when there is no such chart. */
bool report_chart_svg(json_t *figures, const char *chart, lang_t lang, strbuf *out);

#endif
