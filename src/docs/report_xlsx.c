/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report as an XLSX workbook: one sheet per table, native
 * charts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "report_doc.h"
#include "report_doc_parts.h"

/* ---- XLSX ---- */

/* A sheet name Excel accepts: at most 31 characters (UTF-8 aware), none
 * of []:*?/\, unique in the workbook. */
static void sheet_name(json_t *used, const char *want, char *out, size_t n)
{
    char base[128];
    size_t o = 0;
    for (const char *p = want; *p && o < sizeof base - 1;) {
        if (strchr("[]:*?/\\'", *p)) {
            p++;
            continue;
        }
        base[o++] = *p++;
    }
    base[o] = 0;
    /* Cut at 28 characters (room for a number), on a character boundary. */
    glong chars = g_utf8_strlen(base, -1);
    if (chars > 28)
        *g_utf8_offset_to_pointer(base, 28) = 0;
    snprintf(out, n, "%s", *base ? base : "Sheet");
    for (int i = 2; json_object_get(used, out); i++)
        snprintf(out, n, "%s %d", base, i);
    json_object_set_new(used, out, json_true());
}

bool report_xlsx(json_t *blocks, lang_t lang, const char *path)
{
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return false;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    json_t *used = json_object();
    char name[160];
    sheet_name(used, T(lang, "report.sheet.report"), name, sizeof name);
    lxw_worksheet *front = workbook_add_worksheet(wb, name);
    worksheet_set_column(front, 0, 0, 100, wrap);
    lxw_row_t fr = 0;
    size_t i, j, k;
    json_t *b, *v, *row;
    json_array_foreach(blocks, i, b) {
        const char *kind = fstr(b, "k");
        if (strcmp(kind, "table") != 0) {
            if (json_object_get(b, "text"))
                worksheet_write_string(front, fr++, 0, fstr(b, "text"),
                                       strcmp(kind, "p") == 0 ? NULL : bold);
            json_array_foreach(json_object_get(b, "items"), j, v)
                worksheet_write_string(front, fr++, 0, nz(json_string_value(v)), NULL);
            continue;
        }
        sheet_name(used, fstr(b, "sheet"), name, sizeof name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws)
            continue;
        worksheet_write_string(ws, 0, 0, fstr(b, "caption"), bold);
        json_t *hdr = json_object_get(b, "headers");
        json_array_foreach(hdr, j, v) {
            worksheet_write_string(ws, 1, (lxw_col_t)j, nz(json_string_value(v)), bold);
            worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, j ? 14 : 40, NULL);
        }
        json_t *rows = json_object_get(b, "rows");
        json_array_foreach(rows, j, row) {
            json_array_foreach(row, k, v) {
                lxw_row_t r = (lxw_row_t)(j + 2);
                if (json_is_number(v))
                    worksheet_write_number(ws, r, (lxw_col_t)k, json_number_value(v), NULL);
                else {
                    char *t = report_cell_text(v, lang);
                    worksheet_write_string(ws, r, (lxw_col_t)k, t, NULL);
                    g_free(t);
                }
            }
        }
        worksheet_freeze_panes(ws, 2, 0);
        size_t nrows = json_array_size(rows);
        if (nrows == 0)
            continue;
        json_t *spec = json_object_get(b, "xlsx_chart");
        lxw_chart *ch = NULL;
        if (json_is_true(json_object_get(b, "xlsx_funnel"))) {
            /* The overall row (the last) across the stages. */
            ch = workbook_add_chart(wb, LXW_CHART_BAR);
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(se, name, 1, 1, 1, 9);
            chart_series_set_values(se, name, (lxw_row_t)(nrows + 1), 1, (lxw_row_t)(nrows + 1), 9);
            chart_series_set_name(se, fstr(b, "caption"));
            chart_axis_set_reverse(ch->x_axis);
        } else if (spec) {
            const char *type = fstr(spec, "type");
            ch = workbook_add_chart(wb, strcmp(type, "pie") == 0      ? LXW_CHART_PIE
                                        : strcmp(type, "column") == 0 ? LXW_CHART_COLUMN
                                                                      : LXW_CHART_BAR);
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            lxw_col_t cat = (lxw_col_t)fint(spec, "cat"), val = (lxw_col_t)fint(spec, "val");
            chart_series_set_categories(se, name, 2, cat, (lxw_row_t)(nrows + 1), cat);
            chart_series_set_values(se, name, 2, val, (lxw_row_t)(nrows + 1), val);
            chart_series_set_name(se, nz(json_string_value(json_array_get(hdr, val))));
            chart_series_set_labels(se);
            if (strcmp(type, "bar") == 0)
                chart_axis_set_reverse(ch->x_axis);
        }
        if (ch) {
            chart_title_set_name(ch, fstr(b, "caption"));
            chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            worksheet_insert_chart(ws, 1, (lxw_col_t)(json_array_size(hdr) + 1), ch);
        }
    }
    json_decref(used);
    return workbook_close(wb) == LXW_NO_ERROR;
}
