/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Delivering the outbox: worker threads inside `aula serve`, or one pass
 * for `aula mail send`.  With no SMTP server configured, each message is
 * written as an .eml file under DATA/mail/ instead, so a fresh install
 * works without a mail server. */
#ifndef AULA_DELIVERY_H
#define AULA_DELIVERY_H

#include <stdbool.h>

struct delivery_config {
    const char *smtp_url, *smtp_user, *smtp_password;
    const char *from;          /* "Name <addr>" or "addr" */
    const char *mail_dir;      /* where .eml files go without SMTP */
    int max_attempts;          /* then the message is parked as failed */
    long retry_base_seconds, retry_max_seconds;
    int workers;               /* messages in flight at once */
    long smtp_timeout_seconds;
    /* Called about every tick_seconds by the first worker (reminders). */
    void (*tick)(void);
    int tick_seconds;
};

void delivery_configure(const struct delivery_config *c);
/* Delivers every message due now, then returns; counts what happened. */
void delivery_run_once(int *sent, int *retried, int *failed);
/* Starts the workers; messages left "sending" by a crash are queued again. */
bool delivery_start(void);
/* Asks the workers to finish the message in hand and stop. */
void delivery_stop(void);

#endif
