/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Tables for spreadsheets: CSV (RFC 4180, UTF-8 with BOM so spreadsheet
 * programs read the accents right) and XLSX (libxlsxwriter).  Every value
 * is written as text, never as a formula. */
#ifndef AULA_TABLE_EXPORT_H
#define AULA_TABLE_EXPORT_H

#include <jansson.h>
#include <stdbool.h>

#include "../base/strbuf.h"

/* headers: array of strings; rows: array of arrays of strings (or null). */
void table_csv(strbuf *out, json_t *headers, json_t *rows);
/* The same with another separator: ';' for spreadsheets set to a language
 * whose decimal mark is the comma (Spanish).  Cells holding either
 * separator are quoted either way. */
void table_csv_sep(strbuf *out, json_t *headers, json_t *rows, char sep);
/* Writes an .xlsx workbook to path with one sheet called sheet_name. */
bool table_xlsx(const char *path, const char *sheet_name, json_t *headers, json_t *rows);

#endif
