/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The attendance grid for pages (computed by src/app/attendance_grid.c),
 * with the labels people read added. */
#include "../app/attendance.h"
#include "page_ctx.h"
#include "../app/app.h"
#include "attendance_view.h"
#include "programme_view.h"

json_t *attendance_grid(request *req, const char *edition, const char *course_slug)
{
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    json_t *grid = attendance_grid_of(&ctx, edition, course_slug, &err);
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(grid, "days"), i, d)
        json_object_set_new(d, "date_label", date_label(json_string_value(json_object_get(d, "date"))));
    return grid;
}
