/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "ics.h"

#include <stdio.h>
#include <string.h>

#include "../base/escape.h"

void ics_line(strbuf *sb, const char *line)
{
    /* Each physical line holds at most 75 octets; continuation lines start
     * with a space that counts towards their 75. */
    size_t n = strlen(line), col = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)line[i];
        size_t l = c < 0x80 ? 1 : (c >= 0xf0 ? 4 : (c >= 0xe0 ? 3 : (c >= 0xc0 ? 2 : 1)));
        if (i + l > n)
            l = n - i;
        if (col + l > 75) {
            sb_puts(sb, "\r\n ");
            col = 1;
        }
        sb_append(sb, line + i, l);
        col += l;
        i += l;
    }
    sb_puts(sb, "\r\n");
}

void ics_prop(strbuf *sb, const char *name, const char *value)
{
    strbuf line;
    sb_init(&line, sb->a);
    sb_printf(&line, "%s:%s", name, value);
    ics_line(sb, sb_str(&line));
    if (!sb->a)
        sb_release(&line);
}

void ics_text(strbuf *sb, const char *name, const char *text)
{
    strbuf line;
    sb_init(&line, sb->a);
    sb_printf(&line, "%s:", name);
    esc_ics_text(&line, text ? text : "");
    ics_line(sb, sb_str(&line));
    if (!sb->a)
        sb_release(&line);
}

void ics_fixed_timezone(strbuf *sb, const char *tzid, int offset_minutes)
{
    char off[16], name[16];
    int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    snprintf(off, sizeof off, "%c%02d%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    if (a % 60)
        snprintf(name, sizeof name, "%c%02d%02d", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
    else
        snprintf(name, sizeof name, "%c%02d", offset_minutes < 0 ? '-' : '+', a / 60);
    ics_prop(sb, "BEGIN", "VTIMEZONE");
    ics_prop(sb, "TZID", tzid);
    ics_prop(sb, "BEGIN", "STANDARD");
    ics_prop(sb, "TZNAME", name);
    ics_prop(sb, "TZOFFSETFROM", off);
    ics_prop(sb, "TZOFFSETTO", off);
    ics_prop(sb, "DTSTART", "19700101T000000");
    ics_prop(sb, "END", "STANDARD");
    ics_prop(sb, "END", "VTIMEZONE");
}
