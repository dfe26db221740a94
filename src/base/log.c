/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void stamp(char *buf, size_t n)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void vlog(const char *level, const char *fmt, va_list ap)
{
    char ts[32], msg[1024];
    stamp(ts, sizeof ts);
    vsnprintf(msg, sizeof msg, fmt, ap);
    /* One fprintf per line keeps lines from different threads whole. */
    fprintf(stderr, "%s aula: %s%s\n", ts, level, msg);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vlog("error: ", fmt, ap);
    va_end(ap);
}

void log_access(const char *method, const char *path, int status, size_t bytes, double ms)
{
    char ts[32];
    stamp(ts, sizeof ts);
    /* Paths are printed up to the first control character so a hostile URL
     * cannot forge log lines. */
    int n = 0;
    while (path && path[n] && (unsigned char)path[n] >= 0x20 && n < 300)
        n++;
    /* One write(2) of a line built here: stdio's stream lock would make
     * the worker threads wait for each other on every request. */
    char line[512];
    int len = snprintf(line, sizeof line, "%s %s %.*s %d %zu %.1fms\n", ts, method, n,
                       path ? path : "", status, bytes, ms);
    if (len > 0) {
        if ((size_t)len >= sizeof line)
            len = (int)sizeof line - 1;
        ssize_t w = write(STDERR_FILENO, line, (size_t)len);
        (void)w;
    }
}
