/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's invitations and reminders (see evaluation.h). */
#include "evaluation.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/digest.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../store/account_store.h"
#include "../store/evaluation_store.h"
#include "../store/outbox_store.h"
#include "../view/mail_view.h"
#include "../view/template.h"

/* Invitations go out during the first days after opening only. */
#define INVITE_DAYS 30

const char *evaluation_link_hash(arena *a, const char *token)
{
    return sha256_hex(a, token);
}

const char *evaluation_local_label(arena *a, json_t *q, const char *utc_key)
{
    const char *utc = json_string_value(json_object_get(q, utc_key));
    const char *tz = json_string_value(json_object_get(q, "time_zone"));
    time_t t;
    struct tm tm;
    if (!utc || !tz || !parse_utc_iso(utc, &t) || !utc_to_local(tz, t, &tm))
        return utc ? utc : "";
    return arena_printf(a, "%04d-%02d-%02d %02d:%02d (%s)", tm.tm_year + 1900, tm.tm_mon + 1,
                        tm.tm_mday, tm.tm_hour, tm.tm_min, tz_city(tz));
}

/* Builds and queues one mailing of questionnaire q (offset 0: the
 * invitation) to those of its audience who have not answered.  Returns how
 * many were queued, -1 when it was queued before (or failed). */
static int queue_mailing(struct app_ctx *c, json_t *q, int offset, const char *origin)
{
    arena *a = c->a;
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    json_t *people = evaluation_audience(qid);
    size_t n = json_array_size(people);
    struct message *msgs = arena_zalloc(a, (n ? n : 1) * sizeof *msgs);
    int64_t *apps = arena_zalloc(a, (n ? n : 1) * sizeof *apps);
    int64_t *enrs = arena_zalloc(a, (n ? n : 1) * sizeof *enrs);
    const char **hashes = arena_zalloc(a, (n ? n : 1) * sizeof *hashes);
    if (!msgs || !apps || !enrs || !hashes)
        return -1;
    int k = 0;
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_is_true(json_object_get(p, "answered")) ||
            (offset == 0 && json_is_true(json_object_get(p, "invited"))))
            continue;
        lang_t lang = lang_parse(json_string_value(json_object_get(p, "language"))) == LANG_EN
                          ? LANG_EN : LANG_ES;
        unsigned char raw[32];
        char token[64];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2base64(token, sizeof token, raw, sizeof raw,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        int fb;
        json_t *data = json_pack(
            "{s:O, s:s, s:s, s:s, s:b, s:s}", "name", json_object_get(p, "name"), "course_title",
            bilingual_text(json_object_get(q, "course_title"), lang, &fb), "link",
            arena_printf(a, "%s/evaluation/%s?lang=%s", origin, token, lang_code(lang)),
            "closes", evaluation_local_label(a, q, "closes_at"), "anonymous",
            json_is_true(json_object_get(q, "anonymous")),
            /* The outbox keeps the token apart from the text (shown masked). */
            "secret", token);
        struct mail_text t;
        bool ok = data && mail_view_render(a, offset ? "evaluation_reminder"
                                                     : "evaluation_invitation", data, lang, &t);
        json_decref(data);
        if (!ok)
            continue;
        msgs[k] = (struct message){
            .to_addr = json_string_value(json_object_get(p, "email")),
            .to_name = json_string_value(json_object_get(p, "name")),
            .language = lang_code(lang), .subject = t.subject, .body_text = t.body_text,
            .body_html = t.body_html, .secret = arena_strdup(a, token),
        };
        apps[k] = json_integer_value(json_object_get(p, "application_id"));
        enrs[k] = json_integer_value(json_object_get(p, "enrolment_id"));
        hashes[k] = evaluation_link_hash(a, token);
        sodium_memzero(token, sizeof token);
        if (!hashes[k] || !msgs[k].secret)
            return -1;
        k++;
    }
    if (!evaluation_mailing_once(qid, offset, msgs, apps, enrs, hashes, k))
        return -1;
    return k;
}

static bool contains(json_t *arr, json_int_t v)
{
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) if (json_integer_value(x) == v) return true;
    return false;
}

/* A server down for a while does not send everything at once when it comes
 * back: only the latest reminder due goes. */
int evaluation_mail_due(struct app_ctx *c, const char *origin)
{
    evaluation_create_missing();
    char now[32];
    format_utc_iso(c->now, now, sizeof now);
    time_t t_now = c->now;
    int total = 0;
    json_t *open = evaluation_open_now(now);
    size_t i;
    json_t *o;
    json_array_foreach(open, i, o) {
        int64_t qid = json_integer_value(json_object_get(o, "id"));
        json_t *sent = json_object_get(o, "sent");
        int offset = -1;
        json_t *q = evaluation_get_id(qid);
        if (!q)
            continue;
        /* Whoever is asked and has no invitation yet gets one first. */
        json_t *aud = evaluation_audience(qid);
        long uninvited = 0;
        size_t j;
        json_t *p;
        json_array_foreach(aud, j, p)
            uninvited += !json_is_true(json_object_get(p, "invited")) &&
                         !json_is_true(json_object_get(p, "answered"));
        json_decref(aud);
        time_t opens;
        if (!parse_utc_iso(json_string_value(json_object_get(o, "opens_at")), &opens))
            continue;
        /* A questionnaire that opened long ago (an old edition, the demo)
         * invites nobody by itself: the Secretariat may send a reminder by
         * hand. */
        bool recent = t_now < opens + (time_t)INVITE_DAYS * 86400;
        if (recent && (!contains(sent, 0) || uninvited > 0))
            offset = 0;
        else if (contains(sent, 0) && evaluation_reminders_sent(qid) < 2) {
            time_t last = 0;
            const char *lq = json_string_value(json_object_get(o, "last_queued_at"));
            if (lq && parse_utc_iso(lq, &last) && t_now < last + 86400)
                continue;
            json_int_t max_sent = 0;
            json_t *x;
            json_array_foreach(sent, j, x) if (json_integer_value(x) > max_sent) max_sent = json_integer_value(x);
            char days[64];
            snprintf(days, sizeof days, "%s", json_string_value(json_object_get(o, "reminder_days")));
            char *save = NULL;
            for (char *tok = strtok_r(days, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
                int d = atoi(tok);
                if (d > max_sent && d <= 60 && t_now >= opens + (time_t)d * 86400 && d > offset)
                    offset = d;
            }
        }
        if (offset < 0)
            continue;
        int n = queue_mailing(c, q, offset, origin);
        if (n > 0) {
            total += n;
            log_info("queued %d evaluation %s(s) for %s %s", n, offset ? "reminder" : "invitation",
                     json_string_value(json_object_get(q, "edition")),
                     json_string_value(json_object_get(q, "course"))
                         ? json_string_value(json_object_get(q, "course")) : "(edition)");
        }
    }
    return total;
}

bool evaluation_mail_reminder(struct app_ctx *c, int64_t qid, const char *origin, int *queued,
                              struct app_err *err)
{
    json_t *q = evaluation_get_id(qid);
    if (!q)
        return app_fail(err, APP_NOT_FOUND, "eval.err.no_questionnaire", NULL);
    if (evaluation_reminders_sent(qid) >= 2)
        return app_fail(err, APP_CONFLICT, "eval.err.two_reminders", NULL);
    /* By hand: a negative offset, one not used yet. */
    int offset = -1 - evaluation_reminders_sent(qid);
    int n = -1;
    for (int tries = 0; n < 0 && tries < 3; tries++, offset--)
        n = queue_mailing(c, q, offset, origin);
    if (n < 0)
        return app_fail(err, APP_CONFLICT, "eval.err.two_reminders", NULL);
    audit(c->actor, "evaluation.remind",
          arena_printf(c->a, "%s/%s", json_string_value(json_object_get(q, "edition")),
                       json_string_value(json_object_get(q, "course"))
                           ? json_string_value(json_object_get(q, "course")) : "(edition)"),
          arena_printf(c->a, "%d", n));
    *queued = n;
    return true;
}
