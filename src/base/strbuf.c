/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb, arena *a)
{
    memset(sb, 0, sizeof *sb);
    sb->a = a;
}

static bool grow(strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return true;
    size_t cap = sb->cap ? sb->cap : 256;
    while (cap < need)
        cap *= 2;
    char *p;
    if (sb->a) {
        p = arena_alloc(sb->a, cap);
        if (p && sb->len)
            memcpy(p, sb->p, sb->len);
    } else {
        p = realloc(sb->p, cap);
    }
    if (!p) {
        /* The length goes with the contents: callers pass sb_str() and
         * len together, and "" must not be read as len bytes. */
        sb->failed = true;
        sb->len = 0;
        return false;
    }
    sb->p = p;
    sb->cap = cap;
    return true;
}

void sb_append(strbuf *sb, const char *s, size_t n)
{
    if (!grow(sb, n))
        return;
    memcpy(sb->p + sb->len, s, n);
    sb->len += n;
    sb->p[sb->len] = '\0';
}

void sb_puts(strbuf *sb, const char *s)
{
    if (s)
        sb_append(sb, s, strlen(s));
}

void sb_putc(strbuf *sb, char c)
{
    sb_append(sb, &c, 1);
}

void sb_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0 || !grow(sb, (size_t)n))
        return;
    vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(sb, fmt, ap);
    va_end(ap);
}

const char *sb_str(const strbuf *sb)
{
    return (sb->p && !sb->failed) ? sb->p : "";
}

void sb_release(strbuf *sb)
{
    if (!sb->a)
        free(sb->p);
    sb->p = NULL;
    sb->len = sb->cap = 0;
}
