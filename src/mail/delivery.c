/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/arena.h"
#include "../base/log.h"
#include "../domain/retry.h"
#include "../store/outbox_store.h"
#include "mime.h"
#include "smtp.h"

static struct delivery_config cfg;
static char from_name[200], from_addr[200];
static atomic_bool stopping;
static pthread_t threads[16];
static int nthreads;

/* "Name <addr>" or a bare address into its two parts. */
static void split_from(const char *from)
{
    const char *lt = strchr(from, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    if (lt && gt) {
        size_t n = (size_t)(lt - from);
        while (n && from[n - 1] == ' ')
            n--;
        snprintf(from_name, sizeof from_name, "%.*s", (int)n, from);
        snprintf(from_addr, sizeof from_addr, "%.*s", (int)(gt - lt - 1), lt + 1);
    } else {
        from_name[0] = '\0';
        snprintf(from_addr, sizeof from_addr, "%s", from);
    }
}

void delivery_configure(const struct delivery_config *c)
{
    cfg = *c;
    if (cfg.max_attempts < 1)
        cfg.max_attempts = 20;
    if (cfg.retry_base_seconds < 1)
        cfg.retry_base_seconds = 30;
    if (cfg.retry_max_seconds < cfg.retry_base_seconds)
        cfg.retry_max_seconds = 600;
    if (cfg.workers < 1)
        cfg.workers = 2;
    if (cfg.workers > (int)(sizeof threads / sizeof threads[0]))
        cfg.workers = (int)(sizeof threads / sizeof threads[0]);
    if (cfg.smtp_timeout_seconds < 1)
        cfg.smtp_timeout_seconds = 30;
    split_from(cfg.from && *cfg.from ? cfg.from : "aula@localhost");
}

static void later(long seconds, char buf[32])
{
    time_t t = time(NULL) + seconds;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Writes the message as DATA/mail/ID.eml, atomically (temporary file,
 * fsync, rename), so a crash never leaves half a file. */
static bool write_eml(int64_t id, const char *msg, size_t len, char *err, size_t errlen)
{
    mkdir(cfg.mail_dir, 0700);
    char tmp[700], path[700];
    snprintf(tmp, sizeof tmp, "%s/.%lld.eml.tmp", cfg.mail_dir, (long long)id);
    snprintf(path, sizeof path, "%s/%06lld.eml", cfg.mail_dir, (long long)id);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(err, errlen, "cannot write %s: %s", tmp, strerror(errno));
        return false;
    }
    bool ok = write(fd, msg, len) == (ssize_t)len && fsync(fd) == 0;
    close(fd);
    if (!ok || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write %s", path);
        unlink(tmp);
        return false;
    }
    return true;
}

enum outcome { SENT, RETRIED, FAILED };

static enum outcome deliver(const struct outbox_row *row, arena *a)
{
    const char *at = strchr(from_addr, '@');
    char mid[200];
    snprintf(mid, sizeof mid, "<%s@%s>", row->message_id ? row->message_id : "x",
             at ? at + 1 : "localhost");
    struct mail_message m = {
        /* Mail comes from the organisation, unless the configuration names
         * its sender itself. */
        .from_name = from_name[0] ? from_name : row->organisation, .from_addr = from_addr,
        .to_name = row->to_name, .to_addr = row->to_addr,
        .reply_to_addr = row->reply_to,
        .subject = row->subject, .text = row->body_text, .html = row->body_html,
        .calendar = row->calendar, .calendar_method = row->calendar ? "REQUEST" : NULL,
        .message_id = mid, .date = time(NULL),
    };
    if (row->attachment_path) {
        /* The file is read now, so the outbox row stays small. */
        FILE *f = fopen(row->attachment_path, "rb");
        struct stat st;
        unsigned char *bytes = NULL;
        if (f && fstat(fileno(f), &st) == 0 && (bytes = arena_alloc(a, (size_t)st.st_size + 1)))
            m.attachment_len = fread(bytes, 1, (size_t)st.st_size, f);
        if (f)
            fclose(f);
        if (!bytes || !m.attachment_len) {
            outbox_mark_failed(row->id, "the attached file is missing");
            return FAILED;
        }
        m.attachment = bytes;
        m.attachment_name = row->attachment_name;
        m.attachment_type = row->attachment_type;
    }
    strbuf msg;
    sb_init(&msg, a);
    char err[1024] = "";
    if (!mail_build(&msg, &m) || msg.failed) {
        outbox_mark_failed(row->id, "the message could not be built (invalid address?)");
        return FAILED;
    }
    enum smtp_result r;
    if (!cfg.smtp_url || !*cfg.smtp_url) {
        r = write_eml(row->id, sb_str(&msg), msg.len, err, sizeof err) ? SMTP_SENT : SMTP_TEMPORARY;
    } else {
        struct smtp_config sc = {.url = cfg.smtp_url, .user = cfg.smtp_user,
                                 .password = cfg.smtp_password,
                                 .timeout_seconds = cfg.smtp_timeout_seconds};
        r = smtp_send(&sc, from_addr, row->to_addr, sb_str(&msg), msg.len, err, sizeof err);
    }
    if (r == SMTP_SENT) {
        outbox_mark_sent(row->id);
        return SENT;
    }
    if (r == SMTP_PERMANENT || row->attempts >= cfg.max_attempts) {
        outbox_mark_failed(row->id, err);
        log_info("mail %lld to %s failed: %s", (long long)row->id, row->to_addr, err);
        return FAILED;
    }
    char next[32];
    later(retry_delay(row->attempts, cfg.retry_base_seconds, cfg.retry_max_seconds), next);
    outbox_mark_retry(row->id, next, err);
    return RETRIED;
}

void delivery_run_once(int *sent, int *retried, int *failed)
{
    *sent = *retried = *failed = 0;
    for (;;) {
        arena *a = arena_new(64 * 1024 * 1024);
        struct outbox_row row;
        bool got = a && outbox_claim(a, &row);
        if (got) {
            switch (deliver(&row, a)) {
            case SENT: (*sent)++; break;
            case RETRIED: (*retried)++; break;
            case FAILED: (*failed)++; break;
            }
        }
        arena_free(a);
        if (!got || atomic_load(&stopping))
            return;
    }
}

static void *worker(void *arg)
{
    bool ticker = arg != NULL;
    time_t last_tick = 0;
    while (!atomic_load(&stopping)) {
        if (ticker && cfg.tick && time(NULL) - last_tick >= cfg.tick_seconds) {
            cfg.tick();
            last_tick = time(NULL);
        }
        int s, r, f;
        delivery_run_once(&s, &r, &f);
        /* Nothing due: look again in a quarter of a second.  Polling keeps
         * request threads free of any signalling, and is quick enough. */
        if (!s && !r && !f)
            usleep(250 * 1000);
    }
    return NULL;
}

bool delivery_start(void)
{
    int n = outbox_recover();
    if (n > 0)
        log_info("%d message(s) left in flight by the last run are queued again", n);
    atomic_store(&stopping, false);
    for (nthreads = 0; nthreads < cfg.workers; nthreads++) {
        if (pthread_create(&threads[nthreads], NULL, worker, nthreads == 0 ? (void *)1 : NULL)) {
            log_error("cannot start the mail delivery workers");
            return false;
        }
    }
    return true;
}

void delivery_stop(void)
{
    atomic_store(&stopping, true);
    for (int i = 0; i < nthreads; i++)
        pthread_join(threads[i], NULL);
    nthreads = 0;
}
