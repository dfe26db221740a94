/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The outbox: messages waiting to be delivered, and their delivery state.
 *
 *   queued --claim--> sending --> sent
 *                        |------> queued (temporary failure, later)
 *                        '------> failed (permanent, or out of attempts)
 *
 * A message is claimed by one delivery worker at a time; after a crash,
 * messages left in "sending" are queued again (outbox_recover), so the
 * only ones that can go out twice are those in flight at that instant. */
#ifndef AULA_OUTBOX_STORE_H
#define AULA_OUTBOX_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/arena.h"

struct message {
    const char *to_addr, *to_name, *language, *subject, *body_text, *body_html;
    const char *calendar;   /* iCalendar with METHOD:REQUEST, or NULL */
    const char *reply_to;   /* "addr" or NULL */
    /* A file sent with the message, read from disk when it is delivered. */
    const char *attachment_path, *attachment_name, *attachment_type;
    /* A secret in the text (a link's token), or NULL: stored apart, the
     * text holding OUTBOX_MASK in its place, and put back only for delivery. */
    const char *secret;
};

/* What the console shows where a message's secret is. */
#define OUTBOX_MASK "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022"

/* Writes a message to the outbox (inside the caller's transaction, if any).
 * batch groups the messages of one bulk sending (NULL otherwise). */
bool outbox_queue(const char *kind, int64_t application_id, const struct message *m,
                  const char *batch);

struct outbox_row {
    int64_t id;
    int attempts;
    const char *kind, *to_addr, *to_name, *subject, *body_text, *body_html, *calendar;
    const char *reply_to, *message_id, *created_at;
    const char *attachment_path, *attachment_name, *attachment_type;
    const char *organisation;  /* the sender's name, in the message's language (or NULL) */
};

/* Takes the oldest message due now, marking it "sending"; false when none.
 * The row comes with its secret put back, ready to be sent. */
bool outbox_claim(arena *a, struct outbox_row *out);
/* Marks it sent and forgets its secret. */
bool outbox_mark_sent(int64_t id);
/* Queues it again for next_attempt_at (UTC ISO 8601), keeping the error. */
bool outbox_mark_retry(int64_t id, const char *next_attempt_at, const char *error);
bool outbox_mark_failed(int64_t id, const char *error);
/* After a crash: "sending" becomes "queued".  Returns how many. */
int outbox_recover(void);
/* A failed message is queued again from the console. */
bool outbox_resend(int64_t id);
/* One message as the console shows it (its secret masked): {id, kind, to,
 * to_name, language, subject, body, status}, or NULL. */
json_t *outbox_message(int64_t id);
/* {queued, sending, sent, failed, total, kind, failures: [{to, error}]} of a
 * batch (kind: of its first message). */
json_t *outbox_batch_progress(const char *batch);
/* Number of messages not yet sent or failed. */
int outbox_pending(void);

#endif
