/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Invitations with calendar requests, their updates when the schedule
 * changes, and reminders before each course day. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/escape.h"
#include "../base/log.h"
#include "../base/timeutil.h"
#include "../docs/ics.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/attendance_store.h"
#include "../store/invitation_store.h"
#include "../view/template.h"
#include "../view/views.h"
#include "pages.h"
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

static json_t *find_course(json_t *programme, const char *slug)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(programme, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), slug) == 0)
            return c;
    }
    return NULL;
}

static void stamp(const char *date, const char *hhmm, char out[16])
{
    snprintf(out, 16, "%.4s%.2s%.2sT%.2s%.2s00", date, date + 5, date + 8, hhmm, hhmm + 3);
}

/* The calendar request: one event per participant and course.  Days with
 * the same hours on consecutive dates become a daily rule (which every
 * calendar program understands); other patterns list their dates. */
static const char *invitation_ics(request *req, json_t *e, json_t *course, json_t *app,
                                  const char *uid, int sequence, struct course_day_times *d, int n,
                                  lang_t lang)
{
    const char *tz = json_string_value(json_object_get(e, "time_zone"));
    json_t *contact = json_object_get(e, "contact");
    int fb;
    strbuf sb;
    sb_init(&sb, req->a);
    ics_prop(&sb, "BEGIN", "VCALENDAR");
    ics_prop(&sb, "VERSION", "2.0");
    ics_prop(&sb, "PRODID", "-//Aula//Aula training programmes//EN");
    ics_prop(&sb, "METHOD", "REQUEST");
    ics_fixed_timezone(&sb, tz, tz_offset_minutes(tz, d[0].start_utc));
    ics_prop(&sb, "BEGIN", "VEVENT");
    ics_prop(&sb, "UID", uid);
    ics_prop(&sb, "SEQUENCE", arena_printf(req->a, "%d", sequence));
    char now[32], dtstamp[20];
    format_utc_iso(time(NULL), now, sizeof now);
    snprintf(dtstamp, sizeof dtstamp, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", now, now + 5, now + 8,
             now + 11, now + 14, now + 17);
    ics_prop(&sb, "DTSTAMP", dtstamp);
    char a[16], b[16];
    stamp(d[0].date, d[0].start, a);
    stamp(d[0].date, d[0].end, b);
    ics_prop(&sb, arena_printf(req->a, "DTSTART;TZID=%s", tz), a);
    ics_prop(&sb, arena_printf(req->a, "DTEND;TZID=%s", tz), b);
    bool same_hours = true, consecutive = true;
    for (int i = 1; i < n; i++) {
        same_hours &= strcmp(d[i].start, d[0].start) == 0 && strcmp(d[i].end, d[0].end) == 0;
        consecutive &= d[i].start_utc - d[i - 1].start_utc == 86400;
    }
    if (n > 1 && same_hours && consecutive) {
        ics_prop(&sb, "RRULE", arena_printf(req->a, "FREQ=DAILY;COUNT=%d", n));
    } else if (n > 1) {
        strbuf rd;
        sb_init(&rd, req->a);
        for (int i = 1; i < n; i++) {
            char s[16];
            stamp(d[i].date, d[i].start, s);
            sb_printf(&rd, "%s%s", i > 1 ? "," : "", s);
        }
        ics_prop(&sb, arena_printf(req->a, "RDATE;TZID=%s", tz), sb_str(&rd));
    }
    ics_text(&sb, "SUMMARY", bilingual_text(json_object_get(course, "title"), lang, &fb));
    const char *platform = json_string_value(json_object_get(e, "platform"));
    ics_text(&sb, "LOCATION", platform ? platform : "");
    ics_text(&sb, "DESCRIPTION", arena_printf(req->a, "%s/me", server_origin()));
    const char *cname = json_string_value(json_object_get(contact, "name"));
    const char *cmail = json_string_value(json_object_get(contact, "email"));
    strbuf line;
    sb_init(&line, req->a);
    /* Names are typed by people: escaped as parameter values, so a quote,
     * ';' or ':' in them cannot add parameters or change the address. */
    sb_puts(&line, "ORGANIZER;CN=");
    esc_ics_param(&line, cname ? cname : "Aula");
    sb_printf(&line, ":mailto:%s", cmail ? cmail : "aula@localhost");
    ics_line(&sb, sb_str(&line));
    sb_init(&line, req->a);
    sb_puts(&line, "ATTENDEE;CN=");
    strbuf who;
    sb_init(&who, req->a);
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
static json_t *days_for_message(request *req, const char *tz, const char *their_tz,
                                struct course_day_times *d, int n)
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
            utc_to_local(their_tz, d[i].end_utc, &b))
            json_object_set_new(o, "theirs", json_string(arena_printf(req->a,
                "%02d:%02d\xe2\x80\x93%02d:%02d %s", a.tm_hour, a.tm_min, b.tm_hour, b.tm_min,
                their_tz)));
        json_array_append_new(arr, o);
    }
    return arr;
}

/* Renders a message template (subject on the first line) for an application. */
bool render_mail(request *req, const char *name, json_t *data, lang_t lang,
                        struct message *m)
{
    char file[96];
    snprintf(file, sizeof file, "mail_%s.%s.txt", name, lang_code(lang));
    strbuf sb;
    sb_init(&sb, req->a);
    if (!view_render_text(file, data, lang, &sb))
        return false;
    const char *text = sb_str(&sb), *nl = strchr(text, '\n');
    if (strncmp(text, "Subject: ", 9) != 0 || !nl)
        return false;
    m->subject = arena_strndup(req->a, text + 9, (size_t)(nl - text - 9));
    while (*nl == '\n')
        nl++;
    m->body_text = nl;
    m->body_html = html_from_text(req, m->subject, nl, data);
    m->language = lang_code(lang);
    m->secret = json_string_value(json_object_get(data, "secret"));
    /* The personal join link's token is kept out of the stored text; and
     * never a truncated message (see aula_message). */
    return !arena_exhausted(req->a);
}

static json_t *mail_data(request *req, json_t *p, json_t *course, json_t *app, lang_t lang,
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
        snprintf(meeting, sizeof meeting, "%s/j/%s", server_origin(), token);
    } else if (enrolment) {
        /* No link (the enrolment is no longer registered): no meeting
         * either, rather than the course's general one. */
        personal = join_link_token(enrolment, token, sizeof token);
        if (personal)
            snprintf(meeting, sizeof meeting, "%s/j/%s", server_origin(), token);
    } else
        course_meeting_url(json_string_value(json_object_get(e, "slug")),
                           json_string_value(json_object_get(course, "slug")), meeting,
                           sizeof meeting);
    json_t *data = json_pack("{s:s, s:O, s:O, s:O, s:O, s:s, s:s?}",
        "name", full_name(req->a, lang, app),
        "course_title", json_object_get(course, "title"),
        "edition_title", json_object_get(e, "title"),
        "zone_label", json_object_get(e, "zone_label"),
        "platform", json_object_get(e, "platform"),
        "me_url", arena_printf(req->a, "%s/me", server_origin()),
        "join_url", *meeting ? meeting : NULL);
    if (personal)
        json_object_set_new(data, "secret", json_string(token));
    json_object_set_new(data, "days", days_for_message(req, tz,
        json_string_value(json_object_get(app, "time_zone")), d, n));
    json_t *contact = json_object_get(e, "contact");
    if (contact)
        json_object_set(data, "contact", contact);
    return data;
}

/* Queues one invitation (or its update) for an enrolment. */
static bool invite_one(request *req, json_t *p, json_t *course, json_t *invitee,
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
        uid = arena_printf(req->a, "%s-%s-%s@aula",
                           json_string_value(json_object_get(e, "slug")),
                           json_string_value(json_object_get(course, "slug")), hex);
        sequence = 0;
    } else if (update) {
        sequence++;
    }
    struct message m = {0};
    json_t *data = mail_data(req, p, course, app, lang, d, n);
    if (!render_mail(req, update ? "invitation_update" : "invitation", data, lang, &m))
        return false;
    m.to_addr = json_string_value(json_object_get(app, "email"));
    m.to_name = arena_printf(req->a, "%s %s",
                             json_string_value(json_object_get(app, "given_names")),
                             json_string_value(json_object_get(app, "family_names")));
    m.reply_to = json_string_value(json_object_get(json_object_get(e, "contact"), "email"));
    m.calendar = invitation_ics(req, e, course, app, uid, sequence, d, n, lang);
    return invitation_send(json_integer_value(json_object_get(invitee, "enrolment_id")),
                           json_integer_value(json_object_get(invitee, "application_id")), uid,
                           sequence, schedule_of(req->a, tz, d, n),
                           update ? "invitation.update" : "invitation", &m, batch);
}

static const struct field_spec invitations_fields[] = {
    {.name = "token", .v = V_TOKEN, .max_len = 64},
    {.name = "list", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec invitations_form = FORM_SPEC(invitations_fields);

/* The registered participants of the course not invited yet. */
static json_t *uninvited(const char *slug, const char *cslug)
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

/* Who would be invited, and the invitation in each language (the join
 * link masked, as the outbox shows it), with the confirmation. */
static void invitations_preview(request *req, response *res, int status, const char *notice_key,
                                json_t *p, json_t *course)
{
    const char *slug = req_param(req, "slug"), *cslug = req_param(req, "course");
    const char *back = arena_printf(req->a, "/admin/events/%s/applications", slug);
    json_t *page = confirm_page(req, res, "bulk.invite_title",
                                arena_printf(req->a, "/admin/events/%s/courses/%s/invitations",
                                             slug, cslug),
                                back, "bulk.invite_confirm");
    json_object_set(page, "about", json_object_get(course, "title"));
    json_object_set_new(page, "about_label", json_string(tr(req->lang, "bulk.course")));
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    json_t *sample[2] = {NULL, NULL}, *first = NULL, *invitees = uninvited(slug, cslug);
    size_t i;
    json_t *inv;
    json_array_foreach(invitees, i, inv) {
        json_t *app = application_load(json_integer_value(json_object_get(inv, "application_id")));
        if (!app)
            continue;
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, arena_printf(req->a, "%s %s",
                                             json_string_value(json_object_get(app, "given_names")),
                                             json_string_value(json_object_get(app, "family_names"))),
                          json_string_value(json_object_get(app, "email")), lang);
        json_object_set(app, "_enrolment", json_object_get(inv, "enrolment_id"));
        json_object_set_new(app, "_preview", json_true());
        int l = lang && strcmp(lang, "en") == 0;
        if (!sample[l])
            sample[l] = app;
        if (!first)
            first = app;
    }
    confirm_hidden(page, "list", confirm_fingerprint(req, invitees, "enrolment_id"));
    struct course_day_times d[64];
    int n = course_days(course, d, 64);
    for (int l = 0; l < 2 && first && n; l++) {
        lang_t lang = l ? LANG_EN : LANG_ES;
        struct message m = {0};
        json_t *data = mail_data(req, p, course, sample[l] ? sample[l] : first, lang, d, n);
        if (render_mail(req, "invitation", data, lang, &m))
            confirm_preview(req, page, lang, &m);
    }
    confirm_show(req, res, status, page, n ? "bulk.invite_nothing" : "bulk.invite_no_days");
}

static json_t *course_of_request(request *req, response *res, json_t **p)
{
    *p = programme_view(req_param(req, "slug"), 1);
    json_t *course = *p ? find_course(*p, req_param(req, "course")) : NULL;
    if (!course)
        res_error(req, res, 404, "error.no_course");
    return course;
}

/* GET /admin/events/{slug}/courses/{course}/invitations: the preview. */
void admin_invitations_preview(request *req, response *res)
{
    json_t *p, *course = course_of_request(req, res, &p);
    if (course)
        invitations_preview(req, res, 200, NULL, p, course);
}

/* POST /admin/events/{slug}/courses/{course}/invitations: with the
 * confirmation's token, invites the participants the preview listed, as
 * one batch, then shows its progress.  When the list changed since (a
 * colleague invited them, someone registered or withdrew) nothing is sent
 * and the new preview says so; the same confirmation twice sends once. */
void admin_send_invitations(request *req, response *res)
{
    const char *slug = req_param(req, "slug"), *cslug = req_param(req, "course");
    json_t *p, *course = course_of_request(req, res, &p);
    if (!course)
        return;
    const struct form_values *f = &req->form;
    const char *token = form_str(f, "token");
    if (!f->ok || !*token) {
        invitations_preview(req, res, 200, NULL, p, course);
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s/courses/%s/invitations", slug, cslug);
    if (!bulk_once(req, res, "invitations", token, back))
        return;
    json_t *invitees = uninvited(slug, cslug);
    size_t i;
    json_t *inv;
    if (strcmp(form_str(f, "list"), confirm_fingerprint(req, invitees, "enrolment_id")) != 0) {
        bulk_done(token, back);
        invitations_preview(req, res, 409, "bulk.stale_list", p, course);
        return;
    }
    unsigned char raw[9];
    char batch[20];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(batch, sizeof batch, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    int queued = 0;
    json_array_foreach(invitees, i, inv) {
        if (invite_one(req, p, course, inv, batch, false))
            queued++;
    }
    audit(req->user.email, "invitations.send", arena_printf(req->a, "%s/%s", slug, cslug),
          arena_printf(req->a, "%d (%s)", queued, batch));
    if (!queued) {
        bulk_done(token, back);
        invitations_preview(req, res, 200, NULL, p, course);
        return;
    }
    const char *done = arena_printf(req->a, "/admin/batches/%s", batch);
    bulk_done(token, done);
    res_redirect(req, res, done);
}

/* The invitations of an edition whose schedule changed since they were
 * sent: [{enrolment_id, application_id, course, uid, sequence, ...}], each
 * with its course under "_course"; *programme receives the edition's. */
static json_t *outdated(request *req, const char *slug, json_t **programme)
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
        json_t *course = find_course(p, json_string_value(json_object_get(inv, "course")));
        if (!course)
            continue;
        struct course_day_times d[64];
        int n = course_days(course, d, 64);
        if (n && strcmp(schedule_of(req->a, tz, d, n),
                        json_string_value(json_object_get(inv, "schedule"))) != 0) {
            json_object_set(inv, "_course", course);
            json_array_append(out, inv);
        }
    }
    return out;
}

int invitations_outdated(request *req, const char *slug)
{
    json_t *p;
    return (int)json_array_size(outdated(req, slug, &p));
}

int invitations_outdated_in(request *req, const char *slug, const char *course)
{
    json_t *p, *inv;
    size_t i;
    int n = 0;
    json_array_foreach(outdated(req, slug, &p), i, inv) {
        const char *c = json_string_value(json_object_get(inv, "course"));
        n += course && c && strcmp(c, course) == 0;
    }
    return n;
}

/* Who would receive an update of their invitation after schedule changes,
 * and the update in each language, with the confirmation. */
static void updates_preview(request *req, response *res, int status, const char *notice_key)
{
    const char *slug = req_param(req, "slug");
    json_t *p, *rows = outdated(req, slug, &p);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s", slug);
    json_t *page = confirm_page(req, res, "bulk.updates_title",
                                arena_printf(req->a, "/admin/events/%s/invitation-updates", slug),
                                back, "bulk.updates_confirm");
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    json_t *sample[2] = {NULL, NULL}, *first = NULL;
    size_t i;
    json_t *inv;
    json_array_foreach(rows, i, inv) {
        json_t *app = application_load(json_integer_value(json_object_get(inv, "application_id")));
        if (!app)
            continue;
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, arena_printf(req->a, "%s %s",
                                             json_string_value(json_object_get(app, "given_names")),
                                             json_string_value(json_object_get(app, "family_names"))),
                          json_string_value(json_object_get(app, "email")), lang);
        json_object_set(app, "_enrolment", json_object_get(inv, "enrolment_id"));
        json_object_set_new(app, "_preview", json_true());
        json_object_set(app, "_course", json_object_get(inv, "_course"));
        int l = lang && strcmp(lang, "en") == 0;
        if (!sample[l])
            sample[l] = app;
        if (!first)
            first = app;
    }
    confirm_hidden(page, "list", confirm_fingerprint(req, rows, "enrolment_id"));
    for (int l = 0; l < 2 && first; l++) {
        lang_t lang = l ? LANG_EN : LANG_ES;
        json_t *app = sample[l] ? sample[l] : first, *course = json_object_get(app, "_course");
        struct course_day_times d[64];
        int n = course_days(course, d, 64);
        struct message m = {0};
        json_t *data = mail_data(req, p, course, app, lang, d, n);
        if (n && render_mail(req, "invitation_update", data, lang, &m))
            confirm_preview(req, page, lang, &m);
    }
    confirm_show(req, res, status, page, "bulk.updates_nothing");
}

/* GET /admin/events/{slug}/invitation-updates: the preview. */
void admin_updates_preview(request *req, response *res)
{
    updates_preview(req, res, 200, NULL);
}

/* POST /admin/events/{slug}/invitation-updates: after schedule changes,
 * every invitation whose schedule differs gets an update with the same UID
 * and the next SEQUENCE, once confirmed (and once only). */
void admin_send_updates(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    const struct form_values *f = &req->form;
    const char *token = form_str(f, "token");
    if (!f->ok || !*token) {
        updates_preview(req, res, 200, NULL);
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s/invitation-updates", slug);
    if (!bulk_once(req, res, "invitation.updates", token, back))
        return;
    json_t *p, *rows = outdated(req, slug, &p);
    if (!p || strcmp(form_str(f, "list"), confirm_fingerprint(req, rows, "enrolment_id")) != 0) {
        bulk_done(token, back);
        updates_preview(req, res, p ? 409 : 404, "bulk.stale_list");
        return;
    }
    unsigned char raw[9];
    char batch[20];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(batch, sizeof batch, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    int queued = 0;
    size_t i;
    json_t *inv;
    json_array_foreach(rows, i, inv) {
        if (invite_one(req, p, json_object_get(inv, "_course"), inv, batch, true))
            queued++;
    }
    audit(req->user.email, "invitations.update", slug,
          arena_printf(req->a, "%d (%s)", queued, batch));
    if (!queued) {
        bulk_done(token, back);
        updates_preview(req, res, 200, NULL);
        return;
    }
    const char *done = arena_printf(req->a, "/admin/batches/%s", batch);
    bulk_done(token, done);
    res_redirect(req, res, done);
}

/* GET /admin/batches/{batch}: progress of a bulk sending (also as JSON for
 * the progress bar's script). */
void admin_batch(request *req, response *res)
{
    json_t *progress = outbox_batch_progress(req_param(req, "batch"));
    if (!progress || !json_integer_value(json_object_get(progress, "total"))) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    /* The title says what the batch sends. */
    const char *kind = json_string_value(json_object_get(progress, "kind"));
    json_object_set_new(progress, "page_title", bilingual_tr(
        kind && strcmp(kind, "certificate") == 0 ? "batch.title_certificates"
        : kind && strncmp(kind, "invitation", 10) == 0 ? "batch.title" : "batch.title_messages"));
    json_object_set_new(progress, "batch", json_string(req_param(req, "batch")));
    json_object_set_new(progress, "csrf", json_string(csrf_token(req, res)));
    res_page(req, res, 200, "admin_batch", progress);
    res->no_store = true;
}

static const struct field_spec resend_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec resend_form = FORM_SPEC(resend_fields);

void admin_resend(request *req, response *res)
{
    int64_t id = form_int(&req->form, "id");
    if (!req->form.ok || !outbox_resend(id)) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    audit(req->user.email, "mail.resend", arena_printf(req->a, "outbox:%lld", (long long)id), NULL);
    res_redirect(req, res, "/admin/outbox");
}

/* ---- reminders ---- */

/* Queues the reminders that are due: for each course day and each of the
 * edition's offsets, once the moment (start minus offset) has passed and
 * while the day has not started.  reminder_queue_once makes each happen at
 * most once, even across restarts. */
void reminders_tick(void)
{
    arena *a = arena_new(64 * 1024 * 1024);
    if (!a)
        return;
    arena_set_current(a);
    request fake = {.a = a, .lang = LANG_ES};
    time_t now = time(NULL);
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
            json_t *course = p ? find_course(p, cslug) : NULL;
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
                json_t *data = mail_data(&fake, p, course, app, lang, d, 1);
                json_object_set_new(data, "hours_before", json_integer(off / 60));
                json_object_set_new(data, "minutes_before", json_integer(off));
                if (!render_mail(&fake, "reminder", data, lang, &msgs[k]))
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
    arena_set_current(NULL);
    arena_free(a);
}
