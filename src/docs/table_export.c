/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "table_export.h"

#include <string.h>
#include <xlsxwriter.h>

#include "../base/escape.h"

static const char *cell(json_t *v)
{
    return json_is_string(v) ? json_string_value(v) : "";
}

void table_csv(strbuf *out, json_t *headers, json_t *rows)
{
    table_csv_sep(out, headers, rows, ',');
}

void table_csv_sep(strbuf *out, json_t *headers, json_t *rows, char sep)
{
    sb_puts(out, "\xef\xbb\xbf");
    size_t i, j;
    json_t *h, *row, *v;
    json_array_foreach(headers, i, h) {
        if (i)
            sb_putc(out, sep);
        esc_csv_cell(out, cell(h));
    }
    sb_puts(out, "\r\n");
    json_array_foreach(rows, i, row) {
        json_array_foreach(row, j, v) {
            if (j)
                sb_putc(out, sep);
            esc_csv_cell(out, cell(v));
        }
        sb_puts(out, "\r\n");
    }
}

bool table_xlsx(const char *path, const char *sheet_name, json_t *headers, json_t *rows)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return false;
    lxw_worksheet *ws = workbook_add_worksheet(wb, sheet_name);
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    size_t i, j;
    json_t *h, *row, *v;
    json_array_foreach(headers, i, h) {
        worksheet_write_string(ws, 0, (lxw_col_t)i, cell(h), bold);
        worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, 22, NULL);
    }
    /* worksheet_write_string stores a shared string: a value that starts
     * with "=" stays text and is never evaluated as a formula. */
    json_array_foreach(rows, i, row) {
        json_array_foreach(row, j, v) {
            worksheet_write_string(ws, (lxw_row_t)(i + 1), (lxw_col_t)j, cell(v), NULL);
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    return workbook_close(wb) == LXW_NO_ERROR;
}
