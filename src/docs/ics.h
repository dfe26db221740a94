/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Writing iCalendar (RFC 5545): content lines ending in CRLF, folded at 75
 * octets without splitting a UTF-8 character. */
#ifndef AULA_ICS_H
#define AULA_ICS_H

#include "../base/strbuf.h"

/* Appends "NAME:VALUE" with value taken as it is (already a valid value). */
void ics_prop(strbuf *sb, const char *name, const char *value);
/* Appends "NAME:VALUE" with value escaped as TEXT. */
void ics_text(strbuf *sb, const char *name, const char *text);
/* Appends a content line that is already complete, folding it. */
void ics_line(strbuf *sb, const char *line);
/* The VTIMEZONE of a zone with a fixed offset for the years used (such as
 * America/Caracas since 2016); tzid and offset in minutes. */
void ics_fixed_timezone(strbuf *sb, const char *tzid, int offset_minutes);

#endif
