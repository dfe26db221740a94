/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "evaluation_xlsx.h"

#include <xlsxwriter.h>

static void put(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, json_t *v, lxw_format *f)
{
    if (json_is_string(v))
        /* write_string stores a shared string: never a formula, whatever
         * the text starts with. */
        worksheet_write_string(ws, r, c, json_string_value(v), f);
    else if (json_is_number(v))
        worksheet_write_number(ws, r, c, json_number_value(v), f);
}

static void sheet(lxw_workbook *wb, lxw_worksheet *ws, json_t *headers, json_t *rows)
{
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    size_t i, j;
    json_t *h, *row, *v;
    json_array_foreach(headers, i, h) {
        put(ws, 0, (lxw_col_t)i, h, bold);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, i == 0 ? 40 : 18, NULL);
    }
    json_array_foreach(rows, i, row) json_array_foreach(row, j, v)
        put(ws, (lxw_row_t)(i + 1), (lxw_col_t)j, v, NULL);
    worksheet_freeze_panes(ws, 1, 0);
}

bool evaluation_xlsx(const char *path, const struct evaluation_workbook *w)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return false;
    lxw_worksheet *summary = workbook_add_worksheet(wb, w->summary_sheet);
    lxw_worksheet *answers = workbook_add_worksheet(wb, w->answers_sheet);
    lxw_worksheet *data = workbook_add_worksheet(wb, "chart-data");
    if (!summary || !answers || !data) {
        workbook_close(wb);
        return false;
    }
    sheet(wb, summary, w->summary_headers, w->summary);
    sheet(wb, answers, w->headers, w->rows);
    /* The chart reads its figures from a sheet of its own. */
    size_t n = json_array_size(w->means), i;
    json_t *m;
    json_array_foreach(w->means, i, m) {
        put(data, (lxw_row_t)i, 0, json_object_get(m, "label"), NULL);
        put(data, (lxw_row_t)i, 1, json_object_get(m, "mean"), NULL);
    }
    worksheet_hide(data);
    if (n > 0) {
        lxw_chart *chart = workbook_add_chart(wb, LXW_CHART_BAR);
        lxw_chart_series *s = chart_add_series(chart, NULL, NULL);
        chart_series_set_categories(s, "chart-data", 0, 0, (lxw_row_t)(n - 1), 0);
        chart_series_set_values(s, "chart-data", 0, 1, (lxw_row_t)(n - 1), 1);
        chart_title_set_name(chart, w->chart_title);
        chart_axis_set_min(chart->y_axis, 1);
        chart_axis_set_max(chart->y_axis, 5);
        chart_legend_set_position(chart, LXW_CHART_LEGEND_NONE);
        chart_axis_set_reverse(chart->x_axis);
        lxw_chart_options copt = {.x_scale = 2, .y_scale = 1 + (double)n / 8.0};
        worksheet_insert_chart_opt(summary, 1, 6, chart, &copt);
    }
    return workbook_close(wb) == LXW_NO_ERROR;
}
