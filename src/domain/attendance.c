/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "attendance.h"

#include <stdlib.h>

/* Few intervals (the usual case: a handful of rejoins) are merged without
 * copying or sorting by a sweep that is quadratic in n; more are copied,
 * sorted and merged in one pass.  The sweep is also the fallback when the
 * copy cannot be allocated, so the answer never depends on memory. */
enum { SWEEP_MAX = 16, STACK_COPY = 64 };

static long sweep(const struct interval *iv, size_t n, time_t lo, time_t hi)
{
    long total = 0;
    time_t t = lo;
    for (;;) {
        /* The earliest covered instant at or after t. */
        bool found = false;
        time_t s = 0;
        for (size_t i = 0; i < n; i++) {
            time_t f = iv[i].from > t ? iv[i].from : t;
            time_t e = iv[i].to < hi ? iv[i].to : hi;
            if (e > f && (!found || f < s)) {
                s = f;
                found = true;
            }
        }
        if (!found)
            break;
        /* Extend it while some interval starts inside and ends further. */
        time_t e = s;
        bool grew = true;
        while (grew) {
            grew = false;
            for (size_t i = 0; i < n; i++) {
                time_t to = iv[i].to < hi ? iv[i].to : hi;
                if (iv[i].from <= e && to > e) {
                    e = to;
                    grew = true;
                }
            }
        }
        total += (long)(e - s);
        t = e;
    }
    return total;
}

static int by_from(const void *a, const void *b)
{
    const struct interval *x = a, *y = b;
    return (x->from > y->from) - (x->from < y->from);
}

long attended_seconds(const struct interval *iv, size_t n, time_t block_from, time_t block_to)
{
    if (!iv || n == 0 || block_to <= block_from)
        return 0;
    if (n <= SWEEP_MAX)
        return sweep(iv, n, block_from, block_to);

    struct interval local[STACK_COPY];
    struct interval *c = n <= STACK_COPY ? local : malloc(n * sizeof *c);
    if (!c)
        return sweep(iv, n, block_from, block_to);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        time_t f = iv[i].from > block_from ? iv[i].from : block_from;
        time_t e = iv[i].to < block_to ? iv[i].to : block_to;
        if (e > f)
            c[m++] = (struct interval){f, e};
    }
    qsort(c, m, sizeof *c, by_from);
    long total = 0;
    size_t i = 0;
    while (i < m) {
        time_t s = c[i].from, e = c[i].to;
        for (i++; i < m && c[i].from <= e; i++)
            if (c[i].to > e)
                e = c[i].to;
        total += (long)(e - s);
    }
    if (c != local)
        free(c);
    return total;
}

long attended_minutes(const struct interval *iv, size_t n, const struct interval *blocks,
                      size_t nblocks)
{
    long seconds = 0;
    for (size_t b = 0; b < nblocks; b++)
        seconds += attended_seconds(iv, n, blocks[b].from, blocks[b].to);
    return seconds / 60;
}

static long clamp_percent(int p)
{
    return p < 0 ? 0 : p > 100 ? 100 : p;
}

bool attendance_rule_met(const long *attended_per_day, const long *scheduled_per_day, size_t ndays,
                         int percent, int min_day_percent)
{
    long attended = 0, scheduled = 0;
    long pct = clamp_percent(percent), day_pct = clamp_percent(min_day_percent);
    for (size_t d = 0; d < ndays; d++) {
        long a = attended_per_day[d] > 0 ? attended_per_day[d] : 0;
        long s = scheduled_per_day[d] > 0 ? scheduled_per_day[d] : 0;
        if (s == 0)
            continue;
        if (a > s)
            a = s;
        if (day_pct > 0 && a * 100 < day_pct * s)
            return false;
        attended += a;
        scheduled += s;
    }
    if (scheduled == 0)
        return false;
    return attended * 100 >= pct * scheduled;
}
