/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* One escaper per output context.  Each appends the escaped form of a
 * NUL-terminated UTF-8 string to a buffer.  Which one to call is decided by
 * where the text lands, never by what it contains. */
#ifndef AULA_ESCAPE_H
#define AULA_ESCAPE_H

#include "strbuf.h"

/* Element content: & < > are replaced. */
void esc_html_text(strbuf *sb, const char *s);
/* A quoted attribute value (also safe in element content): & < > " ' too. */
void esc_html_attr(strbuf *sb, const char *s);
/* One URL path segment or query value: everything but unreserved
 * characters (RFC 3986) is percent-encoded. */
void esc_url_component(strbuf *sb, const char *s);
/* One CSV field (RFC 4180): quoted when needed; a leading = + - @ tab or
 * CR is neutralised with an apostrophe so spreadsheets never run it, also
 * at the start of each piece after a ; , or line break (a ;-locale spreadsheet
 * splits there). */
void esc_csv_cell(strbuf *sb, const char *s);
/* An iCalendar TEXT value (RFC 5545 3.3.11): \ ; , and newlines. */
void esc_ics_text(strbuf *sb, const char *s);
/* An iCalendar parameter value (CN=...): quoted, with " ; : , and control
 * characters replaced by spaces. */
void esc_ics_param(strbuf *sb, const char *s);
/* An email header value: ASCII without CR/LF is kept; anything else becomes
 * RFC 2047 encoded-words (UTF-8, base64) of at most 75 characters, split on
 * character boundaries.  CR and LF are never emitted. */
void esc_mail_header(strbuf *sb, const char *s);

#endif
