/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Sending one complete message over SMTP with libcurl.
 *
 * smtp://host:587 upgrades with STARTTLS whenever the server offers it;
 * smtps://host:465 is TLS from the start.  Only smtp and smtps URLs are
 * accepted.  The caller is expected to have called curl_global_init() once
 * at start-up (libcurl does it implicitly otherwise). */
#ifndef AULA_SMTP_H
#define AULA_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct smtp_config {
    const char *url;        /* smtp://host:587 or smtps://host:465 */
    const char *user, *password; /* may be NULL/empty */
    long timeout_seconds;   /* whole transfer; 0 or less means 60 */
};

enum smtp_result { SMTP_SENT, SMTP_TEMPORARY, SMTP_PERMANENT };

/* Sends message (complete, CRLF) from from_addr to to_addr.  On failure err
 * holds the server's reply or curl's reason, and the result says whether a
 * retry may help (network down, 4xx) or not (5xx such as 550 unknown user).
 * Invalid arguments (no URL, an address mail_addr_ok refuses) are
 * SMTP_PERMANENT.  err may be NULL when errlen is 0. */
enum smtp_result smtp_send(const struct smtp_config *c, const char *from_addr, const char *to_addr,
                           const char *message, size_t len, char *err, size_t errlen);

/* Connects to the server as smtp_send would (greeting, EHLO, STARTTLS when
 * offered, AUTH when a user is set) and asks NOOP, sending no message (for
 * aula doctor).  True on a 2xx answer; reply holds the server's last
 * reply or curl's reason, never the password. */
bool smtp_probe(const struct smtp_config *c, char *reply, size_t replylen);

#endif
