/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "timeutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool parse_date(const char *s, int *y, int *m, int *d)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (!digits(s, 4, y) || !digits(s + 5, 2, m) || !digits(s + 8, 2, d))
        return false;
    return *y >= 1900 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in_month(*y, *m);
}

bool parse_hhmm(const char *s, int *h, int *min)
{
    if (!s || strlen(s) != 5 || s[2] != ':')
        return false;
    if (!digits(s, 2, h) || !digits(s + 3, 2, min))
        return false;
    return *h <= 23 && *min <= 59;
}

bool parse_datetime_local(const char *s, int *y, int *mo, int *d, int *h, int *mi)
{
    if (!s || strlen(s) != 16 || s[10] != 'T')
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    return parse_date(date, y, mo, d) && parse_hhmm(s + 11, h, mi);
}

bool tz_valid(const char *tz)
{
    if (!tz || !*tz || strstr(tz, "..") || tz[0] == '/' || strlen(tz) > 64)
        return false;
    for (const char *p = tz; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '-' || *p == '+'))
            return false;
    if (strcmp(tz, "UTC") == 0)
        return true;
    char path[128];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* TZ is process-wide state: conversions take turns, and the previous value
 * is put back so the rest of the process keeps its own zone. */
static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

static char *swap_tz(const char *tz)
{
    const char *old = getenv("TZ");
    char *saved = old ? strdup(old) : NULL;
    setenv("TZ", tz, 1);
    tzset();
    return saved;
}

static void restore_tz(char *saved)
{
    if (saved) {
        setenv("TZ", saved, 1);
        free(saved);
    } else {
        unsetenv("TZ");
    }
    tzset();
}

bool local_to_utc(const char *tz, int y, int mo, int d, int h, int mi, time_t *out)
{
    if (!tz_valid(tz))
        return false;
    pthread_mutex_lock(&tz_lock);
    char *saved = swap_tz(tz);
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
                    .tm_hour = h, .tm_min = mi, .tm_isdst = -1};
    time_t t = mktime(&tm);
    restore_tz(saved);
    pthread_mutex_unlock(&tz_lock);
    if (t == (time_t)-1)
        return false;
    *out = t;
    return true;
}

int tz_offset_minutes(const char *tz, time_t t)
{
    if (!tz_valid(tz))
        return 0;
    pthread_mutex_lock(&tz_lock);
    char *saved = swap_tz(tz);
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    restore_tz(saved);
    pthread_mutex_unlock(&tz_lock);
    return (int)(off / 60);
}

void format_utc_iso(time_t t, char *buf, size_t n)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void format_utc_offset(int minutes, char *buf, size_t n)
{
    int a = minutes < 0 ? -minutes : minutes;
    snprintf(buf, n, "UTC%s%02d:%02d", minutes < 0 ? "\xe2\x88\x92" : "+", a / 60, a % 60);
}

const char *tz_city(const char *tz)
{
    static _Thread_local char buf[64];
    if (!tz)
        return "";
    const char *slash = strrchr(tz, '/');
    snprintf(buf, sizeof buf, "%s", slash ? slash + 1 : tz);
    for (char *p = buf; *p; p++)
        if (*p == '_')
            *p = ' ';
    return buf;
}

int weekday(int y, int m, int d)
{
    /* Sakamoto's method. */
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y -= 1;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

void format_date_long(lang_t lang, int y, int m, int d, char *buf, size_t n)
{
    char wkey[16], mkey[16];
    snprintf(wkey, sizeof wkey, "weekday.%d", weekday(y, m, d));
    snprintf(mkey, sizeof mkey, "month.%d", m);
    if (lang == LANG_ES)
        snprintf(buf, n, "%s, %d de %s de %d", tr(lang, wkey), d, tr(lang, mkey), y);
    else
        snprintf(buf, n, "%s, %d %s %d", tr(lang, wkey), d, tr(lang, mkey), y);
}

bool utc_to_local(const char *tz, time_t t, struct tm *out)
{
    if (!tz_valid(tz))
        return false;
    pthread_mutex_lock(&tz_lock);
    char *saved = swap_tz(tz);
    bool ok = localtime_r(&t, out) != NULL;
    restore_tz(saved);
    pthread_mutex_unlock(&tz_lock);
    return ok;
}

bool parse_utc_iso(const char *s, time_t *out)
{
    struct tm tm = {0};
    if (!s || strlen(s) != 20 || s[10] != 'T' || s[19] != 'Z')
        return false;
    char date[11];
    memcpy(date, s, 10);
    date[10] = '\0';
    char hm[6];
    memcpy(hm, s + 11, 5);
    hm[5] = '\0';
    int y, m, d, h, mi, sec;
    if (!parse_date(date, &y, &m, &d) || !parse_hhmm(hm, &h, &mi) || s[16] != ':' ||
        !digits(s + 17, 2, &sec) || sec > 60)
        return false;
    tm.tm_year = y - 1900;
    tm.tm_mon = m - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    *out = timegm(&tm);
    return true;
}
