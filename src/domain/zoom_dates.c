/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Dates and times of Zoom reports, and their conversion to UTC (see
 * zoom_dates.h). */
#include "zoom_dates.h"

#include <stdlib.h>
#include <string.h>

#include "../base/timeutil.h"
#include "zoom_report.h"

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int rd(const char **pp, int maxd, int *v)
{
    const char *p = *pp;
    int n = 0, x = 0;
    while (n < maxd && *p >= '0' && *p <= '9') {
        x = x * 10 + (*p - '0');
        p++;
        n++;
    }
    if (*p >= '0' && *p <= '9')
        return 0; /* too many digits */
    *pp = p;
    *v = x;
    return n;
}

static const char *skip_sp(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

/* Spaces, tabs and the no-break spaces spreadsheets put before AM/PM. */
static const char *skip_wide_sp(const char *p)
{
    for (;;) {
        if (*p == ' ' || *p == '\t')
            p++;
        else if ((unsigned char)p[0] == 0xc2 && (unsigned char)p[1] == 0xa0)
            p += 2;
        else if ((unsigned char)p[0] == 0xe2 && (unsigned char)p[1] == 0x80 &&
                 (unsigned char)p[2] == 0xaf)
            p += 3;
        else
            return p;
    }
}

static int month_name(const char **pp)
{
    static const char *const names[] = {"january", "february", "march", "april", "may", "june",
                                        "july", "august", "september", "october", "november",
                                        "december"};
    const char *p = *pp;
    char w[12];
    size_t n = 0;
    while (((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) && n < sizeof w - 1) {
        w[n++] = (char)(*p | 0x20);
        p++;
    }
    w[n] = '\0';
    if (n < 3)
        return 0;
    for (int m = 0; m < 12; m++)
        if (strncmp(names[m], w, n) == 0) {
            if (*p == '.')
                p++;
            *pp = p;
            return m + 1;
        }
    return 0;
}

/* "9:02", "09:02:13", "09:02:13.000", each optionally followed by AM/PM and,
 * when zone is allowed, "Z" or an offset. */
static bool parse_time(const char *p, struct dt *o, bool zone)
{
    int h, mi, s = 0;
    if (!rd(&p, 2, &h) || *p != ':')
        return false;
    p++;
    if (rd(&p, 2, &mi) != 2)
        return false;
    if (*p == ':') {
        p++;
        if (rd(&p, 2, &s) != 2)
            return false;
        if (*p == '.' && p[1] >= '0' && p[1] <= '9')
            for (p++; *p >= '0' && *p <= '9'; p++)
                ;
    }
    p = skip_wide_sp(p);
    int ampm = 0; /* 1 AM, 2 PM */
    char c = (char)(*p | 0x20);
    if (c == 'a' || c == 'p') {
        /* AM, a.m., a. m. (Spanish locales, often with a no-break space). */
        const char *q = p + 1;
        bool dot = *q == '.';
        if (dot)
            q = skip_wide_sp(q + 1);
        if ((*q | 0x20) != 'm')
            return false;
        q++;
        if (*q == '.')
            q++;
        ampm = c == 'a' ? 1 : 2;
        p = skip_wide_sp(q);
    }
    long offset = 0;
    bool has_zone = false;
    if (zone && ampm == 0 && (*p == 'Z' || *p == 'z')) {
        has_zone = true;
        p++;
    } else if (zone && ampm == 0 && (*p == '+' || *p == '-')) {
        int sign = *p == '-' ? -1 : 1, oh, om = 0;
        p++;
        if (rd(&p, 2, &oh) != 2)
            return false;
        if (*p == ':')
            p++;
        if (*p >= '0' && *p <= '9' && rd(&p, 2, &om) != 2)
            return false;
        if (oh > 14 || om > 59)
            return false;
        offset = sign * (oh * 3600L + om * 60L);
        has_zone = true;
    }
    if (*skip_sp(p))
        return false;
    if (ampm) {
        if (h < 1 || h > 12)
            return false;
        h = h % 12 + (ampm == 2 ? 12 : 0);
    } else if (h > 23) {
        return false;
    }
    if (mi > 59 || s > 59)
        return false;
    o->h = (int8_t)h;
    o->mi = (int8_t)mi;
    o->s = (int8_t)s;
    if (has_zone) {
        o->kind = DT_ABS;
        o->abs = (time_t)(days_from_civil(o->y, o->a, o->b) * 86400 + h * 3600L + mi * 60L + s -
                          offset);
    }
    return true;
}

static bool ymd_ok(int y, int m, int d)
{
    return y >= 2000 && y <= 2099 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

bool dt_parse(const char *s, struct dt *o)
{
    *o = (struct dt){0};
    const char *p = skip_sp(s);
    int y, m, d, n1, n2, k;
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')) {
        /* Mar 21, 2022 09:02:13 */
        if (!(m = month_name(&p)))
            return false;
        p = skip_sp(p);
        if (!rd(&p, 2, &d))
            return false;
        if (*p == ',')
            p++;
        p = skip_sp(p);
        if (rd(&p, 4, &y) != 4)
            return false;
        if (*p == ',')
            p++;
        if (*p != ' ' && *p != '\t')
            return false;
        if (!ymd_ok(y, m, d))
            return false;
        *o = (struct dt){.y = (int16_t)y, .a = (int8_t)m, .b = (int8_t)d, .kind = DT_YMD};
        return parse_time(skip_sp(p), o, false);
    }
    if (!(k = rd(&p, 4, &n1)))
        return false;
    if (k == 4) {
        /* 2022-03-21T13:02:13Z, 2022/03/21 09:02 */
        char sep = *p;
        if (sep != '-' && sep != '/' && sep != '.')
            return false;
        p++;
        if (!rd(&p, 2, &m) || *p != sep)
            return false;
        p++;
        if (!rd(&p, 2, &d))
            return false;
        if (*p != 'T' && *p != 't' && *p != ' ')
            return false;
        p++;
        if (!ymd_ok(n1, m, d))
            return false;
        *o = (struct dt){.y = (int16_t)n1, .a = (int8_t)m, .b = (int8_t)d, .kind = DT_YMD};
        return parse_time(skip_sp(p), o, true);
    }
    if (k > 2)
        return false;
    if (*p == ' ') {
        /* 21 Mar 2022 09:02 */
        p = skip_sp(p);
        if (!(m = month_name(&p)))
            return false;
        p = skip_sp(p);
        if (rd(&p, 4, &y) != 4 || (*p != ' ' && *p != ','))
            return false;
        if (*p == ',')
            p++;
        if (!ymd_ok(y, m, n1))
            return false;
        *o = (struct dt){.y = (int16_t)y, .a = (int8_t)m, .b = (int8_t)n1, .kind = DT_YMD};
        return parse_time(skip_sp(p), o, false);
    }
    /* 03/21/2022 09:02:13 AM or 21/03/2022 09:02 */
    char sep = *p;
    if (sep != '/' && sep != '-' && sep != '.')
        return false;
    p++;
    if (!rd(&p, 2, &n2) || *p != sep)
        return false;
    p++;
    k = rd(&p, 4, &y);
    if (k == 2)
        y += 2000;
    else if (k != 4)
        return false;
    if (*p == ',')
        p++;
    if (*p != ' ' && *p != '\t')
        return false;
    if (y < 2000 || y > 2099 || n1 < 1 || n1 > 31 || n2 < 1 || n2 > 31 || (n1 > 12 && n2 > 12))
        return false;
    *o = (struct dt){.y = (int16_t)y, .a = (int8_t)n1, .b = (int8_t)n2, .kind = DT_NUM};
    return parse_time(skip_sp(p), o, false);
}

bool dt_month_day(const struct dt *t, bool day_first, int *m, int *d)
{
    if (t->kind == DT_NUM && day_first) {
        *m = t->b;
        *d = t->a;
    } else {
        *m = t->a;
        *d = t->b;
    }
    return ymd_ok(t->y, *m, *d);
}

int64_t dt_naive(const struct dt *t, int m, int d)
{
    if (t->kind == DT_ABS)
        return t->abs;
    return days_from_civil(t->y, m, d) * 86400 + t->h * 3600 + t->mi * 60 + t->s;
}

/* ------------------------------------------------ local time to UTC */

/* local_to_utc() serialises on a process-wide lock and reloads the zone on
 * every call, so each distinct date is converted once: the UTC instants of
 * its 00:00 and 23:00.  When they are 23 hours apart the offset is the same
 * all day and any time is 00:00's instant plus its seconds; a day with a
 * transition gets one conversion per hour used. */
struct zone_day {
    int64_t day;  /* days since the epoch; 0 marks an empty slot (1970 is never read) */
    time_t u0;
    int hours;    /* -1 when uniform, else index into zone_cache.hours */
};

struct zone_hours {
    time_t u[24];
    uint32_t known;
};

static uint64_t hash_day(int64_t day)
{
    return (uint64_t)day * 0x9e3779b97f4a7c15ull;
}

static bool zone_cache_grow(struct zone_cache *c)
{
    size_t ncap = c->cap ? c->cap * 2 : 64;
    struct zone_day *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return false;
    for (size_t i = 0; i < c->cap; i++) {
        if (!c->slot[i].day)
            continue;
        size_t j = hash_day(c->slot[i].day) & (ncap - 1);
        while (ns[j].day)
            j = (j + 1) & (ncap - 1);
        ns[j] = c->slot[i];
    }
    free(c->slot);
    c->slot = ns;
    c->cap = ncap;
    return true;
}

int zone_cache_convert(struct zone_cache *c, int y, int m, int d, int h, int mi, int s, time_t *out)
{
    int64_t day = days_from_civil(y, m, d);
    if ((c->count + 1) * 2 > c->cap && !zone_cache_grow(c))
        return -1;
    size_t j = hash_day(day) & (c->cap - 1);
    while (c->slot[j].day && c->slot[j].day != day)
        j = (j + 1) & (c->cap - 1);
    struct zone_day *e = &c->slot[j];
    if (!e->day) {
        if (c->count >= ZOOM_MAX_DATES)
            return -2;
        time_t u0, u23;
        c->calls += 2;
        if (!local_to_utc(c->tz, y, m, d, 0, 0, &u0) || !local_to_utc(c->tz, y, m, d, 23, 0, &u23))
            return 0;
        if (c->nhours == c->hcap && u23 - u0 != 23 * 3600) {
            size_t ncap = c->hcap ? c->hcap * 2 : 4;
            struct zone_hours *nh = realloc(c->hours, ncap * sizeof *nh);
            if (!nh)
                return -1;
            c->hours = nh;
            c->hcap = ncap;
        }
        e->day = day;
        e->u0 = u0;
        e->hours = -1;
        if (u23 - u0 != 23 * 3600) {
            e->hours = (int)c->nhours;
            c->hours[c->nhours++] = (struct zone_hours){.known = 0};
        }
        c->count++;
    }
    time_t base;
    if (e->hours < 0) {
        base = e->u0 + h * 3600;
    } else {
        struct zone_hours *hh = &c->hours[e->hours];
        if (!(hh->known & (1u << h))) {
            c->calls++;
            if (!local_to_utc(c->tz, y, m, d, h, 0, &hh->u[h]))
                return 0;
            hh->known |= 1u << h;
        }
        base = hh->u[h];
    }
    *out = base + mi * 60 + s;
    return 1;
}

void zone_cache_free(struct zone_cache *c)
{
    free(c->slot);
    free(c->hours);
    c->slot = NULL;
    c->hours = NULL;
}
