/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The session's day of a Zoom report: the rows of other days are left out
 * (and said so), and a report of none of its rows on that day is refused
 * naming the days it holds (see zoom_report_parse_day in zoom_report.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "../base/timeutil.h"
#include "zoom_dates.h"
#include "zoom_parse.h"

/* Appends s to the arena string *acc (NULL at first); false when out of memory. */
static bool append(arena *a, const char **acc, const char *s)
{
    const char *n = *acc ? arena_printf(a, "%s%s", *acc, s) : arena_strdup(a, s);
    if (!n)
        return false;
    *acc = n;
    return true;
}

/* The local date in zone tz of instant t, written long ("sábado, 30 de mayo
 * de 2026") into buf; with_time adds the local "HH:MM". */
static void local_date_text(lang_t lang, const char *tz, time_t t, bool with_time, char *buf,
                            size_t n)
{
    struct tm tm;
    if (!utc_to_local(tz, t, &tm)) {
        snprintf(buf, n, "?");
        return;
    }
    format_date_long(lang, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, buf, n);
    if (with_time) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, " %02d:%02d", tm.tm_hour, tm.tm_min);
    }
}

/* The local days (zone etz) the meetings and rows of r began on, earliest
 * first, at most four, written long and separated by "; " into list.
 * first and count may be NULL (they are then computed). */
static void meeting_days(const struct zoom_report *r, const char *etz, lang_t lang,
                         const time_t *first, const size_t *count, char *list, size_t n)
{
    time_t days[4];
    size_t nd = 0;
    char seen[4][96];
    for (size_t k = 0; k <= r->nmeetings; k++) {
        time_t t = 0;
        size_t c = 0;
        if (first) {
            t = first[k];
            c = count[k];
        } else {
            for (size_t i = 0; i < r->nrows; i++)
                if ((r->rows[i].meeting >= 0 ? (size_t)r->rows[i].meeting : r->nmeetings) == k &&
                    (!c++ || r->rows[i].join < t))
                    t = r->rows[i].join;
        }
        if (!c)
            continue;
        char s[96];
        local_date_text(lang, etz, t, false, s, sizeof s);
        size_t j = 0;
        while (j < nd && strcmp(seen[j], s) != 0)
            j++;
        if (j < nd || nd == 4)
            continue;
        size_t at = nd;
        while (at > 0 && days[at - 1] > t) {
            days[at] = days[at - 1];
            memcpy(seen[at], seen[at - 1], sizeof seen[at]);
            at--;
        }
        days[at] = t;
        snprintf(seen[at], sizeof seen[at], "%s", s);
        nd++;
    }
    list[0] = '\0';
    for (size_t j = 0; j < nd; j++) {
        size_t l = strlen(list);
        snprintf(list + l, n - l, "%s%s", j ? "; " : "", seen[j]);
    }
}

/* Whether a row's presence touches the local day [lo, hi). */
static bool row_on_day(const struct zoom_row *row, time_t lo, time_t hi)
{
    return (row->join < hi && row->leave > lo) || (row->join >= lo && row->join < hi);
}

/* Keeps the meetings that took place on the session's local day y-m-d of
 * zone etz (see zoom_report_parse_day). */
static bool keep_day(arena *a, struct zoom_report *r, int y, int m, int d, const char *etz,
                     lang_t lang, char *err, size_t errlen)
{
    if (r->nrows == 0)
        return true;
    struct tm next = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d + 1, .tm_hour = 12};
    time_t tn = timegm(&next), lo, hi;
    gmtime_r(&tn, &next);
    if (!local_to_utc(etz, y, m, d, 0, 0, &lo) ||
        !local_to_utc(etz, next.tm_year + 1900, next.tm_mon + 1, next.tm_mday, 0, 0, &hi)) {
        zoom_errf(err, errlen, ES_EN(lang, "La fecha %04d-%02d-%02d no existe en la zona %s.",
                                "The date %04d-%02d-%02d does not exist in zone %s."),
             y, m, d, etz);
        return false;
    }
    /* Group k is meeting k; group nmeetings the rows no meeting names. */
    size_t ng = r->nmeetings + 1;
    bool *on = arena_alloc(a, ng * sizeof *on);
    time_t *first = arena_alloc(a, ng * sizeof *first);
    size_t *count = arena_alloc(a, ng * sizeof *count);
    if (!on || !first || !count) {
        zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
        return false;
    }
    for (size_t k = 0; k < ng; k++) {
        on[k] = false;
        count[k] = 0;
    }
    bool any = false;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct zoom_row *row = &r->rows[i];
        size_t k = row->meeting >= 0 ? (size_t)row->meeting : r->nmeetings;
        if (!count[k]++ || row->join < first[k])
            first[k] = row->join;
        if (row_on_day(row, lo, hi))
            any = on[k] = true;
    }
    if (!any) {
        char list[400], session[96];
        meeting_days(r, etz, lang, first, count, list, sizeof list);
        format_date_long(lang, y, m, d, session, sizeof session);
        zoom_errf(err, errlen, "%s %s, %s %s. %s", tr(lang, "zoom.wrong_day"), list,
             tr(lang, "zoom.session_day"), session, tr(lang, "zoom.wrong_day_hint"));
        return false;
    }
    /* Drop the rows of meetings on other days, saying which.  Rows that no
     * meeting names are kept or dropped one by one, by their own day. */
    const char *note = NULL;
    struct {
        char day[96];
        size_t n;
    } other[8];
    size_t nother = 0, other_more = 0;
    for (size_t i = 0; i < r->nrows; i++) {
        const struct zoom_row *row = &r->rows[i];
        if (row->meeting >= 0 || row_on_day(row, lo, hi))
            continue;
        char t[96];
        local_date_text(lang, etz, row->join, false, t, sizeof t);
        size_t j = 0;
        while (j < nother && strcmp(other[j].day, t) != 0)
            j++;
        if (j == nother && nother == 8) {
            other_more++;
            continue;
        }
        if (j == nother) {
            snprintf(other[j].day, sizeof other[j].day, "%s", t);
            other[j].n = 0;
            nother++;
        }
        other[j].n++;
    }
    for (size_t j = 0; j < nother; j++) {
        const char *item = arena_printf(a, "%s%s (%zu %s)", note ? "; " : "", other[j].day,
                                        other[j].n, tr(lang, "zoom.rows"));
        if (!item || !append(a, &note, item)) {
            zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
            return false;
        }
        r->left_out_rows += other[j].n;
    }
    r->left_out_rows += other_more;
    for (size_t k = 0; k < r->nmeetings; k++) {
        if (!count[k] || on[k])
            continue;
        char when[120];
        local_date_text(lang, etz, r->meetings[k].start ? r->meetings[k].start : first[k], true,
                        when, sizeof when);
        const char *item = arena_printf(a, "%s«%s» (ID %s, %s, %zu %s)", note ? "; " : "",
                                        r->meetings[k].topic, r->meetings[k].id, when, count[k],
                                        tr(lang, "zoom.rows"));
        if (!item || !append(a, &note, item)) {
            zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
            return false;
        }
        r->left_out_rows += count[k];
    }
    if (note) {
        size_t j = 0;
        for (size_t i = 0; i < r->nrows; i++) {
            const struct zoom_row *row = &r->rows[i];
            if (row->meeting >= 0 ? on[row->meeting] : row_on_day(row, lo, hi))
                r->rows[j++] = *row;
        }
        r->nrows = j;
        for (size_t k = 0; k < r->nmeetings; k++)
            if (!on[k])
                r->meetings[k].nrows = 0;
        r->left_out = arena_printf(a, "%s %s.", tr(lang, "zoom.left_out"), note);
        if (!r->left_out) {
            zoom_errf(err, errlen, "%s", zoom_no_memory(lang));
            return false;
        }
    }
    return true;
}

bool zoom_report_parse_day(arena *a, const char *data, size_t len, const char *tz,
                           const char *date, const char *edition_tz, lang_t lang,
                           struct zoom_report *out, char *err, size_t errlen)
{
    int ymd[3];
    if (!date || !parse_date(date, &ymd[0], &ymd[1], &ymd[2])) {
        *out = (struct zoom_report){0};
        zoom_errf(err, errlen, ES_EN(lang, "«%s» no es una fecha AAAA-MM-DD.",
                                "\"%s\" is not a YYYY-MM-DD date."),
             date ? date : "");
        return false;
    }
    if (!edition_tz || !tz_valid(edition_tz))
        edition_tz = tz;
    if (!zoom_parse_file(a, data, len, tz, ymd, false, lang, out, err, errlen))
        return false;
    if (!keep_day(a, out, ymd[0], ymd[1], ymd[2], edition_tz, lang, err, errlen)) {
        if (out->date_order_guessed) {
            /* Neither reading of dates such as 03/04 is the session's day:
             * name the days of the other reading too. */
            struct zoom_report other;
            char scratch[8], list[400];
            if (zoom_parse_file(a, data, len, tz, ymd, true, lang, &other, scratch, sizeof scratch)) {
                meeting_days(&other, edition_tz, lang, NULL, NULL, list, sizeof list);
                size_t l = strlen(err);
                snprintf(err + l, errlen > l ? errlen - l : 0, " %s %s.",
                         tr(lang, "zoom.order_ambiguous"), list);
            }
        }
        return zoom_fail(out);
    }
    return true;
}
