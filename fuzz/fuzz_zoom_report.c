/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: the Zoom report parser (zoom_report.c with its CSV
 * reader and dates), the largest parser of uploaded input.  The first byte
 * of the input picks the session date, the zones and the language; the
 * rest is the file.  Whatever the bytes, the parser must answer without a
 * crash, a leak or undefined behaviour, and keep its promises: on success
 * rows in order with leave at or after join and valid meeting indexes, the
 * day's rows only; on failure a message and a cleared report. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "domain/zoom_report.h"
#include "fuzz_check.h"

static void check(const struct zoom_report *r, bool ok, const char *err)
{
    if (!ok) {
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(r->rows == NULL && r->nrows == 0 && r->meetings == NULL && r->nmeetings == 0);
        return;
    }
    FUZZ_CHECK(r->nrows <= ZOOM_MAX_ROWS);
    FUZZ_CHECK(r->interface_lang != NULL);
    FUZZ_CHECK(r->separator == ',' || r->separator == ';' || r->separator == '\t');
    size_t per_meeting = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct zoom_row *row = &r->rows[i];
        FUZZ_CHECK(row->name != NULL);
        FUZZ_CHECK(row->leave >= row->join);
        FUZZ_CHECK(row->meeting >= -1 && (row->meeting < 0 || (size_t)row->meeting < r->nmeetings));
        FUZZ_CHECK(i == 0 || row->line > r->rows[i - 1].line);
        per_meeting += row->meeting >= 0;
    }
    size_t sum = 0;
    for (size_t k = 0; k < r->nmeetings; k++)
        sum += r->meetings[k].nrows;
    FUZZ_CHECK(sum == per_meeting);
    /* Every email's intervals can be asked for. */
    for (size_t i = 0; i < r->nrows && i < 8; i++) {
        struct interval iv[4];
        size_t n = zoom_intervals_for(r, r->rows[i].email, iv, 4);
        FUZZ_CHECK(!r->rows[i].email || r->rows[i].waiting_room || n >= 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dates[] = {"2022-03-21", "2022-03-08", "2022-08-03", "2024-11-19"};
    static const char *const zones[] = {"UTC", "America/Caracas", "Europe/Madrid", "Asia/Tokyo"};
    if (size < 1)
        return 0;
    uint8_t k = data[0];
    data++;
    size--;
    arena *a = arena_new(64u * 1024 * 1024);
    if (!a)
        return 0;
    char err[1024];
    struct zoom_report r;
    err[0] = '\0';
    bool ok = zoom_report_parse(a, (const char *)data, size, zones[k & 3],
                                (k & 16) ? LANG_EN : LANG_ES, &r, err, sizeof err);
    check(&r, ok, err);
    err[0] = '\0';
    ok = zoom_report_parse_day(a, (const char *)data, size, zones[k & 3], dates[(k >> 2) & 3],
                               zones[(k >> 5) & 3], (k & 128) ? LANG_EN : LANG_ES, &r, err,
                               sizeof err);
    check(&r, ok, err);
    if (ok && r.left_out)
        FUZZ_CHECK(r.left_out_rows > 0);
    arena_free(a);
    return 0;
}
