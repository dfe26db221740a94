/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Invitations with calendar requests, their updates when the schedule
 * changes, and reminders before each course day (see invitations.h). */
#include "invitations.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/escape.h"
#include "../base/i18n.h"
#include "../base/log.h"
#include "../base/strbuf.h"
#include "../base/timeutil.h"
#include "../docs/ics.h"
#include "../domain/address.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/attendance_store.h"
#include "../store/invitation_store.h"
#include "../view/template.h"
#include "messages.h"
#include "programme_view.h"

/* ---- the schedule of one course ---- */

struct course_day_times {
    char date[11], start[6], end[6];
    time_t start_utc, end_utc;
};

/* The course's days with their first start and last end. */
static int course_days(json_t *course, struct course_day_times *out, int max)
{
    int n = 0;
    size_t i, j;
    json_t *day, *block;
    json_array_foreach(json_object_get(course, "days"), i, day) {
        if (n == max)
            break;
        struct course_day_times *d = &out[n];
        memset(d, 0, sizeof *d);
        snprintf(d->date, sizeof d->date, "%s", json_string_value(json_object_get(day, "date")));
        json_array_foreach(json_object_get(day, "blocks"), j, block) {
            const char *s = json_string_value(json_object_get(block, "start"));
            const char *e = json_string_value(json_object_get(block, "end"));
            time_t su, eu;
            parse_utc_iso(json_string_value(json_object_get(block, "start_utc")), &su);
            parse_utc_iso(json_string_value(json_object_get(block, "end_utc")), &eu);
            if (!d->start[0] || strcmp(s, d->start) < 0) {
                snprintf(d->start, sizeof d->start, "%s", s);
                d->start_utc = su;
            }
            if (!d->end[0] || strcmp(e, d->end) > 0) {
                snprintf(d->end, sizeof d->end, "%s", e);
                d->end_utc = eu;
            }
        }
        if (d->start[0])
            n++;
    }
    return n;
}

/* A fingerprint of the schedule: an update is due when it changes. */
static const char *schedule_of(arena *a, const char *tz, struct course_day_times *d, int n)
{
    strbuf sb;
    sb_init(&sb, a);
    sb_puts(&sb, tz);
    for (int i = 0; i < n; i++)
        sb_printf(&sb, ";%s %s-%s", d[i].date, d[i].start, d[i].end);
    return sb_str(&sb);
}

static void stamp(const char *date, const char *hhmm, char out[16])
{
    snprintf(out, 16, "%.4s%.2s%.2sT%.2s%.2s00", date, date + 5, date + 8, hhmm, hhmm + 3);
}

/* The calendar request: one event per participant and course.  Days with
 * the same hours on consecutive dates become a daily rule (which every
 * calendar program understands); other patterns list their dates. */
static const char *invitation_ics(const struct app_ctx *c, json_t *e, json_t *course, json_t *app,
                                  const char *uid, int sequence, struct course_day_times *d, int n,
                                  lang_t lang)
{
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    json_t *contact = json_object_get(e, "contact");
    int fb;
    strbuf sb;
    sb_init(&sb, c->a);
    ics_prop(&sb, "BEGIN", "VCALENDAR");
    ics_prop(&sb, "VERSION", "2.0");
    ics_prop(&sb, "PRODID", "-//Aula//Aula training programmes//EN");
    ics_prop(&sb, "METHOD", "REQUEST");
    ics_fixed_timezone(&sb, tz, tz_offset_minutes(tz, d[0].start_utc));
    ics_prop(&sb, "BEGIN", "VEVENT");
    ics_prop(&sb, "UID", uid);
    ics_prop(&sb, "SEQUENCE", arena_printf(c->a, "%d", sequence));
    char now[32], dtstamp[20];
    format_utc_iso(c->now, now, sizeof now);
    snprintf(dtstamp, sizeof dtstamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", now, now + 5, now + 8,
             now + 11, now + 14, now + 17);
    ics_prop(&sb, "DTSTAMP", dtstamp);
    char a[16], b[16];
    stamp(d[0].date, d[0].start, a);
    stamp(d[0].date, d[0].end, b);
    ics_prop(&sb, arena_printf(c->a, "DTSTART;TZID=%s", tz), a);
    ics_prop(&sb, arena_printf(c->a, "DTEND;TZID=%s", tz), b);
    bool same_hours = true, consecutive = true;
    for (int i = 1; i < n; i++) {
        same_hours &= strcmp(d[i].start, d[0].start) == 0 && strcmp(d[i].end, d[0].end) == 0;
        consecutive &= d[i].start_utc - d[i - 1].start_utc == 86400;
    }
    if (n > 1 && same_hours && consecutive) {
        ics_prop(&sb, "RRULE", arena_printf(c->a, "FREQ=DAILY;COUNT=%d", n));
    } else if (n > 1) {
        strbuf rd;
        sb_init(&rd, c->a);
        for (int i = 1; i < n; i++) {
            char s[16];
            stamp(d[i].date, d[i].start, s);
            sb_printf(&rd, "%s%s", i > 1 ? "," : "", s);
        }
        ics_prop(&sb, arena_printf(c->a, "RDATE;TZID=%s", tz), sb_str(&rd));
    }
    ics_text(&sb, "SUMMARY", bilingual_text(json_object_get(course, "title"), lang, &fb));
    const char *platform = json_string_value(json_object_get(e, "platform"));
    ics_text(&sb, "LOCATION", platform ? platform : "");
    ics_text(&sb, "DESCRIPTION", arena_printf(c->a, "%s/me", app_ctx_origin(c)));
    const char *cname = json_string_value(json_object_get(contact, "name"));
    const char *cmail = json_string_value(json_object_get(contact, "email"));
    strbuf line;
    sb_init(&line, c->a);
    /* Names are typed by people: escaped as parameter values, so a quote,
     * ';' or ':' in them cannot add parameters or change the address. */
    sb_puts(&line, "ORGANIZER;CN=");
    esc_ics_param(&line, cname ? cname : "Aula");
    sb_printf(&line, ":mailto:%s", cmail ? cmail : "aula@localhost");
    ics_line(&sb, sb_str(&line));
    sb_init(&line, c->a);
    sb_puts(&line, "ATTENDEE;CN=");
    strbuf who;
    sb_init(&who, c->a);
    sb_printf(&who, "%s %s", json_string_value(json_object_get(app, "given_names")),
              json_string_value(json_object_get(app, "family_names")));
    esc_ics_param(&line, sb_str(&who));
    sb_printf(&line, ";ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=NEEDS-ACTION:mailto:%s",
              json_string_value(json_object_get(app, "email")));
    ics_line(&sb, sb_str(&line));
    ics_prop(&sb, "STATUS", "CONFIRMED");
    ics_prop(&sb, "END", "VEVENT");
    ics_prop(&sb, "END", "VCALENDAR");
    return sb_str(&sb);
}

/* The text of the days for the message: the edition's time, and the
 * participant's own when they told us their zone. */
static json_t *days_for_message(const struct app_ctx *c, lang_t lang, const char *tz,
                                const char *their_tz, struct course_day_times *d, int n)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        int y, m, dd;
        parse_date(d[i].date, &y, &m, &dd);
        char es[96], en[96];
        format_date_long(LANG_ES, y, m, dd, es, sizeof es);
        format_date_long(LANG_EN, y, m, dd, en, sizeof en);
        json_t *o = json_pack("{s:{s:s, s:s}, s:s, s:s}", "date", "es", es, "en", en, "start",
                              d[i].start, "end", d[i].end);
        struct tm a, b;
        if (their_tz && strcmp(their_tz, tz) != 0 && utc_to_local(their_tz, d[i].start_utc, &a) &&
            utc_to_local(their_tz, d[i].end_utc, &b)) {
            /* Their own date when it is not the edition's, and a word when
             * their times cross midnight: "22:00–02:00" alone reads as a
             * session that ends before it starts. */
            char theirs_date[96] = "";
            if (a.tm_year + 1900 != y || a.tm_mon + 1 != m || a.tm_mday != dd) {
                format_date_long(lang, a.tm_year + 1900, a.tm_mon + 1, a.tm_mday, theirs_date,
                                 sizeof theirs_date - 2);
                strcat(theirs_date, ", ");
            }
            bool next_day = a.tm_yday != b.tm_yday || a.tm_year != b.tm_year;
            json_object_set_new(o, "theirs", json_string(arena_printf(c->a,
                "%s%02d:%02d\xe2\x80\x93%02d:%02d %s%s%s", theirs_date, a.tm_hour, a.tm_min,
                b.tm_hour, b.tm_min,
                tz_city(their_tz), /* "Tokyo", as /me says it, not "Asia/Tokyo" */
                next_day ? ", " : "", next_day ? tr(lang, "time.ends_next_day") : "")));
        }
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *mail_data(const struct app_ctx *c, json_t *p, json_t *course, json_t *app, lang_t lang,
                         struct course_day_times *d, int n)
{
    json_t *e = json_object_get(p, "edition");
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    /* The participant's own join link, which opens the day's meeting; the
     * course's general meeting link only when there is no enrolment. */
    char meeting[512] = "";
    int64_t enrolment = json_integer_value(json_object_get(app, "_enrolment"));
    char token[64];
    bool personal = false;
    if (enrolment && json_is_true(json_object_get(app, "_preview"))) {
        /* A preview makes no link: it shows the mask the outbox shows. */
        snprintf(token, sizeof token, "%s", OUTBOX_MASK);
        personal = true;
        snprintf(meeting, sizeof meeting, "%s/j/%s", app_ctx_origin(c), token);
    } else if (enrolment) {
        /* No link (the enrolment is no longer registered): no meeting
         * either, rather than the course's general one. */
        personal = join_link_token(enrolment, token, sizeof token);
        if (personal)
            snprintf(meeting, sizeof meeting, "%s/j/%s", app_ctx_origin(c), token);
    } else
        course_meeting_url(json_string_value(json_object_get(e, "slug")),
                           json_string_value(json_object_get(course, "slug")), meeting,
                           sizeof meeting);
    json_t *data = json_pack("{s:s, s:O, s:O, s:O, s:O, s:s, s:s?}",
        "name", full_name(c->a, lang, app),
        "course_title", json_object_get(course, "title"),
        "edition_title", json_object_get(e, "title"),
        "zone_label", json_object_get(e, "zone_label"),
        "platform", json_object_get(e, "platform"),
        "me_url", arena_printf(c->a, "%s/me", app_ctx_origin(c)),
        "join_url", *meeting ? meeting : NULL);
    if (personal)
        json_object_set_new(data, "secret", json_string(token));
    json_object_set_new(data, "days", days_for_message(c, lang, tz,
        json_string_value(json_object_get(app, "time_zone")), d, n));
    json_t *contact = json_object_get(e, "contact");
    if (contact)
        json_object_set(data, "contact", contact);
    return data;
}

/* Queues one invitation (or its update) for an enrolment. */
static bool invite_one(const struct app_ctx *c, json_t *p, json_t *course, json_t *invitee,
                       const char *batch, bool update)
{
    json_t *e = json_object_get(p, "edition");
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    struct course_day_times d[64];
    int n = course_days(course, d, 64);
    if (!n)
        return false;
    json_t *app = application_load(json_integer_value(json_object_get(invitee, "application_id")));
    if (!app)
        return false;
    lang_t lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                      ? LANG_EN : LANG_ES;
    json_object_set(app, "_enrolment", json_object_get(invitee, "enrolment_id"));
    const char *uid = json_string_value(json_object_get(invitee, "uid"));
    int sequence = (int)json_integer_value(json_object_get(invitee, "sequence"));
    if (!uid) {
        unsigned char raw[12];
        char hex[25];
        randombytes_buf(raw, sizeof raw);
        sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
        uid = arena_printf(c->a, "%s-%s-%s@aula",
                           json_string_value(json_object_get(e, "slug")),
                           json_string_value(json_object_get(course, "slug")), hex);
        sequence = 0;
    } else if (update) {
        sequence++;
    }
    struct message m = {0};
    json_t *data = mail_data(c, p, course, app, lang, d, n);
    if (!app_render_mail(c, update ? "invitation_update" : "invitation", data, lang, &m))
        return false;
    m.to_addr = json_string_value(json_object_get(app, "email"));
    m.to_name = arena_printf(c->a, "%s %s",
                             json_string_value(json_object_get(app, "given_names")),
                             json_string_value(json_object_get(app, "family_names")));
    m.reply_to = json_string_value(json_object_get(json_object_get(e, "contact"), "email"));
    m.calendar = invitation_ics(c, e, course, app, uid, sequence, d, n, lang);
    return invitation_send(json_integer_value(json_object_get(invitee, "enrolment_id")),
                           json_integer_value(json_object_get(invitee, "application_id")), uid,
                           sequence, schedule_of(c->a, tz, d, n),
                           update ? "invitation.update" : "invitation", &m, batch);
}

/* The registered participants of the course not invited yet. */
json_t *app_invitations_pending(const char *slug, const char *cslug)
{
    json_t *out = json_array(), *all = course_invitees(slug, cslug);
    size_t i;
    json_t *inv;
    /* (json_array_foreach evaluates its array on every turn.) */
    json_array_foreach(all, i, inv) {
        if (!json_is_string(json_object_get(inv, "uid")))
            json_array_append(out, inv); /* invited already: updates go out on schedule changes */
    }
    return out;
}

/* The invitations of an edition whose schedule changed since they were
 * sent: [{enrolment_id, application_id, course, uid, sequence, ...}], each
 * with its course under "_course"; *programme receives the edition's. */
json_t *app_invitations_outdated(const struct app_ctx *c, const char *slug, json_t **programme)
{
    json_t *out = json_array(), *sent = invitations_sent();
    json_t *p = programme_view(slug, 1);
    *programme = p;
    if (!p)
        return out;
    const char *tz = json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone"));
    size_t i;
    json_t *inv;
    json_array_foreach(sent, i, inv) {
        if (strcmp(json_string_value(json_object_get(inv, "edition")), slug) != 0)
            continue;
        json_t *course = programme_course(p, json_string_value(json_object_get(inv, "course")));
        if (!course)
            continue;
        struct course_day_times d[64];
        int n = course_days(course, d, 64);
        if (n && strcmp(schedule_of(c->a, tz, d, n),
                        json_string_value(json_object_get(inv, "schedule"))) != 0) {
            json_object_set(inv, "_course", course);
            json_array_append(out, inv);
        }
    }
    return out;
}

bool app_course_has_days(json_t *course)
{
    struct course_day_times d[1];
    return course_days(course, d, 1) > 0;
}

bool app_invitation_preview(const struct app_ctx *c, json_t *programme, json_t *course,
                            json_t *app, lang_t lang, bool update, struct message *m)
{
    struct course_day_times d[64];
    int n = course && app ? course_days(course, d, 64) : 0;
    if (!n)
        return false;
    /* A preview makes no link: it shows the mask the outbox shows. */
    json_object_set_new(app, "_preview", json_true());
    json_t *data = mail_data(c, programme, course, app, lang, d, n);
    return app_render_mail(c, update ? "invitation_update" : "invitation", data, lang, m);
}

int app_invitations_send(const struct app_ctx *c, json_t *programme, json_t *course, json_t *rows,
                         bool update, const char *batch)
{
    int queued = 0;
    size_t i;
    json_t *inv;
    json_array_foreach(rows, i, inv) {
        if (invite_one(c, programme, course ? course : json_object_get(inv, "_course"), inv, batch,
                       update))
            queued++;
    }
    const char *slug = json_string_value(
        json_object_get(json_object_get(programme, "edition"), "slug"));
    audit(c->actor, update ? "invitations.update" : "invitations.send",
          course ? arena_printf(c->a, "%s/%s", slug,
                                json_string_value(json_object_get(course, "slug")))
                 : slug,
          arena_printf(c->a, "%d (%s)", queued, batch));
    return queued;
}

bool app_outbox_resend(const struct app_ctx *c, int64_t id, struct app_err *err)
{
    if (!outbox_resend(id))
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    audit(c->actor, "mail.resend", arena_printf(c->a, "outbox:%lld", (long long)id), NULL);
    return true;
}

/* ---- reminders ---- */

/* Queues the reminders that are due: for each course day and each of the
 * edition's offsets, once the moment (start minus offset) has passed and
 * while the day has not started.  reminder_queue_once makes each happen at
 * most once, even across restarts. */
void app_reminders_tick(const struct app_ctx *c)
{
    arena *a = c->a;
    time_t now = c->now;
    json_t *days = course_days_with_times();
    size_t i;
    json_t *day;
    json_array_foreach(days, i, day) {
        time_t start;
        if (!parse_utc_iso(json_string_value(json_object_get(day, "start_utc")), &start) ||
            now >= start)
            continue;
        char offsets[64];
        snprintf(offsets, sizeof offsets, "%s", json_string_value(json_object_get(day, "offsets")));
        char *save = NULL;
        for (char *tok = strtok_r(offsets, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
            int off = atoi(tok);
            if (off <= 0 || now < start - off * 60)
                continue;
            /* Done before (or the database is busy: the next tick looks again): no
               rendering for every invitee, no write transaction only to roll back. */
            bool sent;
            if (!reminder_was_queued(json_integer_value(json_object_get(day, "day_id")), off,
                                     &sent) ||
                sent)
                continue;
            const char *slug = json_string_value(json_object_get(day, "edition"));
            const char *cslug = json_string_value(json_object_get(day, "course"));
            json_t *p = programme_view(slug, 1);
            json_t *course = p ? programme_course(p, cslug) : NULL;
            if (!course)
                continue;
            json_t *invitees = course_invitees(slug, cslug);
            int n = (int)json_array_size(invitees);
            struct message *msgs = arena_zalloc(a, (size_t)(n ? n : 1) * sizeof *msgs);
            int64_t *ids = arena_zalloc(a, (size_t)(n ? n : 1) * sizeof *ids);
            if (!msgs || !ids)
                continue; /* out of memory: the next tick tries again */
            struct course_day_times d[64];
            int nd = course_days(course, d, 64), k = 0;
            /* Only this day goes in the message. */
            for (int j = 0; j < nd; j++)
                if (strcmp(d[j].date, json_string_value(json_object_get(day, "date"))) == 0)
                    d[0] = d[j];
            size_t x;
            json_t *inv;
            json_array_foreach(invitees, x, inv) {
                json_t *app = application_load(json_integer_value(json_object_get(inv, "application_id")));
                if (!app)
                    continue;
                lang_t lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                                  ? LANG_EN : LANG_ES;
                json_object_set(app, "_enrolment", json_object_get(inv, "enrolment_id"));
                json_t *data = mail_data(c, p, course, app, lang, d, 1);
                json_object_set_new(data, "hours_before", json_integer(off / 60));
                json_object_set_new(data, "minutes_before", json_integer(off));
                if (!app_render_mail(c, "reminder", data, lang, &msgs[k]))
                    continue;
                msgs[k].to_addr = json_string_value(json_object_get(app, "email"));
                msgs[k].reply_to = json_string_value(json_object_get(json_object_get(json_object_get(p, "edition"), "contact"), "email"));
                ids[k] = json_integer_value(json_object_get(inv, "application_id"));
                k++;
            }
            if (reminder_queue_once(json_integer_value(json_object_get(day, "day_id")), off, msgs,
                                    ids, k))
                log_info("queued %d reminder(s) for %s %s, %d minutes before", k, cslug,
                         json_string_value(json_object_get(day, "date")), off);
        }
    }
}
