/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* aula mail send: delivers what is queued and exits (for cron, or a
 * single run), and the delivery set-up shared with aula serve. */
#include <stdio.h>
#include <string.h>

#include "../app/evaluation.h"
#include "../app/invitations.h"
#include "../mail/delivery.h"
#include "../store/db.h"
#include "cli.h"

/* The course reminders that are due, in an arena of their own. */
static void reminders(void)
{
    arena *a = arena_new(64 * 1024 * 1024);
    if (!a)
        return;
    arena_set_current(a);
    struct app_ctx c = app_ctx_system(a, LANG_ES, "system");
    c.origin = app_origin();
    app_reminders_tick(&c);
    arena_set_current(NULL);
    arena_free(a);
}

/* The first worker's periodic work: course reminders and evaluations. */
static void mail_ticks(void)
{
    reminders();
    arena *a = arena_new(16 * 1024 * 1024);
    if (!a)
        return;
    /* The operation's JSON lives in its arena, freed at once. */
    arena_set_current(a);
    struct app_ctx c = app_ctx_system(a, LANG_ES, "system");
    evaluation_mail_due(&c, app_origin());
    arena_set_current(NULL);
    arena_free(a);
}

void configure_delivery(const struct config *c, bool with_reminders)
{
    static char mail_dir[600];
    snprintf(mail_dir, sizeof mail_dir, "%s/mail", c->data_dir);
    struct delivery_config dc = {
        .smtp_url = c->smtp_url, .smtp_user = c->smtp_user, .smtp_password = c->smtp_password,
        .from = c->mail_from, .mail_dir = mail_dir, .max_attempts = c->mail_max_attempts,
        .retry_base_seconds = c->mail_retry_base, .retry_max_seconds = c->mail_retry_max,
        .workers = c->mail_workers, .smtp_timeout_seconds = 30,
        .tick = with_reminders ? mail_ticks : NULL, .tick_seconds = c->reminder_tick,
    };
    delivery_configure(&dc);
}

int cmd_mail(struct config *c, int argc, char **argv)
{
    if (argc != 1 || strcmp(argv[0], "send") != 0) {
        fprintf(stderr, "usage: aula mail send [--data DIR]\n");
        return 2;
    }
    if (!open_data_dir(c, false))
        return 1;
    configure_delivery(c, false);
    int sent, retried, failed;
    delivery_run_once(&sent, &retried, &failed);
    printf("aula: %d sent, %d to retry later, %d failed%s\n", sent, retried, failed,
           *c->smtp_url ? "" : " (no SMTP server configured: written under mail/)");
    db_close_all();
    return failed ? 1 : 0;
}
