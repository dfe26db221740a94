/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Building a complete email message (RFC 5322 + MIME) with CRLF line ends.
 *
 *   text only          text/plain; charset=UTF-8 (quoted-printable)
 *   text + html        multipart/alternative: text/plain, text/html
 *   with a calendar    multipart/mixed
 *                        multipart/alternative: text/plain, text/html (if any),
 *                          text/calendar; charset=UTF-8; method=M (base64)
 *                        text/calendar; name="invite.ics" attachment (base64)
 *
 * Text and HTML are quoted-printable (lines of at most 76 characters), the
 * calendar base64 wrapped at 76 columns.  Boundaries start with "=_aula_",
 * which neither encoding can produce, and are derived from the Message-ID. */
#ifndef AULA_MIME_H
#define AULA_MIME_H

#include <stdbool.h>
#include <time.h>

#include "../base/strbuf.h"

struct mail_message {
    const char *from_name, *from_addr;   /* display name may be UTF-8 */
    const char *to_name, *to_addr;
    const char *reply_to_name, *reply_to_addr; /* may be NULL */
    const char *subject;                 /* UTF-8 */
    const char *text;                    /* UTF-8 body, LF or CRLF line ends */
    const char *html;                    /* may be NULL */
    const char *calendar;                /* may be NULL: iCalendar text with CRLF ends */
    const char *calendar_method;         /* e.g. "REQUEST"; must match METHOD: inside */
    const char *message_id;              /* "<id@host>" */
    time_t date;
    /* One file attached (a certificate): bytes, type and an ASCII file name
     * without quotes.  Not combined with a calendar. */
    const unsigned char *attachment;
    size_t attachment_len;
    const char *attachment_type, *attachment_name;
};

/* Appends the whole message with CRLF line ends.  False (and `out` left as
 * it was) when a required field is missing (from_addr, to_addr, subject,
 * text, message_id; calendar_method with a calendar), an address is not a
 * plain local@domain (CR, LF, '<', '>', ',', spaces, quotes, non-ASCII...),
 * the Message-ID is not "<...>" of visible ASCII, the calendar's METHOD:
 * line does not match calendar_method, or memory ran out. */
bool mail_build(strbuf *out, const struct mail_message *m);

/* True for an address mail_build accepts: local@domain in printable ASCII
 * without specials ("(),:;<>@[\] and spaces), at most 254 characters. */
bool mail_addr_ok(const char *addr);

#endif
