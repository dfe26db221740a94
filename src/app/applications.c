/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Applications (see applications.h): applying, deciding, registering,
 * withdrawing. */
#include "applications.h"

#include <stdio.h>
#include <string.h>

#include "../base/text.h"
#include "../base/timeutil.h"
#include "../domain/course_stage.h"
#include "../store/programme_store.h"

int applications_window(const struct app_ctx *ctx, json_t *edition)
{
    const char *tz = json_string_value(json_object_get(edition, "time_zone"));
    const char *open = json_string_value(json_object_get(edition, "applications_open"));
    const char *close = json_string_value(json_object_get(edition, "applications_close"));
    time_t now = ctx->now, t;
    int y, mo, d, h, mi;
    if (!open)
        return -1; /* never opened */
    if (parse_datetime_local(open, &y, &mo, &d, &h, &mi) && local_to_utc(tz, y, mo, d, h, mi, &t) &&
        now < t)
        return -1;
    if (close && parse_datetime_local(close, &y, &mo, &d, &h, &mi) &&
        local_to_utc(tz, y, mo, d, h, mi, &t) && now >= t)
        return 1;
    return 0;
}

bool application_apply(const struct app_ctx *ctx, const struct application_input *in,
                       message_fn msg, void *ud, int64_t *id, struct app_err *err)
{
    /* Only a published edition takes applications, and only while open. */
    json_t *p = programme_load(in->edition_slug, false);
    const char *status = json_string_value(json_object_get(json_object_get(p, "edition"), "status"));
    if (!p || !status || strcmp(status, "published") != 0)
        return app_fail(err, APP_NOT_FOUND, "error.no_edition", NULL);
    if (applications_window(ctx, json_object_get(p, "edition")) != 0)
        return app_fail(err, APP_CONFLICT, "apply.closed", NULL);
    *id = 0;
    switch (application_create(in, msg, ud, id)) {
    case APPLY_CREATED:
    case APPLY_REPEATED:
        return true;
    case APPLY_DUPLICATE:
        return app_fail(err, APP_CONFLICT, "apply.duplicate", NULL);
    case APPLY_UNKNOWN_COURSE:
        return app_fail(err, APP_INVALID, "apply.unknown_course", NULL);
    case APPLY_ERROR:
        break;
    }
    return app_fail(err, APP_BUSY, "error.busy", NULL);
}

const char *decision_outcome_key(enum decision_outcome o)
{
    switch (o) {
    case DECISION_FULL: return "review.full";
    case DECISION_NOT_ALLOWED: return "review.not_allowed";
    case DECISION_NOT_FOUND: return "error.not_found";
    case DECISION_STALE: return "bulk.stale_row";
    case DECISION_ERROR: return "error.busy";
    default: return NULL;
    }
}

const char *decision_outcome_name(enum decision_outcome o)
{
    static const char *const names[] = {
        [DECISION_DONE] = "done", [DECISION_UNCHANGED] = "unchanged", [DECISION_FULL] = "full",
        [DECISION_NOT_ALLOWED] = "not_allowed", [DECISION_NOT_FOUND] = "not_found",
        [DECISION_ERROR] = "error", [DECISION_STALE] = "stale"};
    return (size_t)o < sizeof names / sizeof *names && names[o] ? names[o] : "error";
}

/* A note is refused as the console's form refuses it, whichever door it
 * came by: a control character other than a line end or a tab, or a
 * bidirectional control (the message would read other than it is). */
static bool note_acceptable(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == 0x7f || (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t'))
            return false;
    return !text_has_bidi_control(s);
}

bool applications_decide(const struct app_ctx *ctx, const char *edition,
                         const struct decision_row *rows, size_t n, enrol_status to,
                         const char *note, message_fn msg, void *ud,
                         enum decision_outcome *outcomes, int *decided, struct app_err *err)
{
    if (decided)
        *decided = 0;
    if ((to != ENROL_ACCEPTED && to != ENROL_WAITLISTED && to != ENROL_REJECTED) ||
        (note && (strlen(note) > 2000 || !note_acceptable(note))))
        return app_fail(err, APP_INVALID, "error.invalid", NULL);
    /* Trimmed as the console's form trims it, whichever door it came by:
     * a note of blanks only is no note, not an empty "Message:" line. */
    if (note) {
        note += strspn(note, " \t\r\n");
        size_t len = strlen(note);
        while (len && strchr(" \t\r\n", note[len - 1]))
            len--;
        note = len ? arena_strndup(ctx->a, note, len) : NULL;
        if (len && !note)
            return app_fail(err, APP_BUSY, "error.busy", NULL);
    }
    size_t cap = n ? n : 1;
    int64_t *ids = arena_alloc(ctx->a, cap * sizeof *ids);
    const char **expected = arena_alloc(ctx->a, cap * sizeof *expected);
    size_t *where = arena_alloc(ctx->a, cap * sizeof *where);
    enum decision_outcome *got = arena_alloc(ctx->a, cap * sizeof *got);
    if (!ids || !expected || !where || !got)
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    /* Rows of another edition are not tried; the others go together, so
     * that a candidate's courses are decided in one transaction. */
    size_t m = 0;
    bool any_expected = false;
    for (size_t i = 0; i < n; i++) {
        char slug[128];
        if (rows[i].enrolment <= 0 ||
            (edition && (!enrolment_edition(rows[i].enrolment, slug, sizeof slug) ||
                         strcmp(slug, edition) != 0))) {
            outcomes[i] = DECISION_NOT_FOUND;
            continue;
        }
        ids[m] = rows[i].enrolment;
        expected[m] = rows[i].expected;
        any_expected = any_expected || rows[i].expected;
        where[m++] = i;
    }
    enrolments_decide(ids, any_expected ? expected : NULL, m, to, ctx->actor,
                      note && *note ? note : NULL, msg, ud, got);
    for (size_t k = 0; k < m; k++) {
        outcomes[where[k]] = got[k];
        if (decided && got[k] == DECISION_DONE)
            (*decided)++;
    }
    return true;
}

/* The application with this id if it is the acting person's, else NULL. */
static json_t *own_application(const struct app_ctx *ctx, int64_t id)
{
    json_t *app = id > 0 ? application_load(id) : NULL;
    if (app && ctx->actor_id && json_integer_value(json_object_get(app, "account_id")) == ctx->actor_id)
        return app;
    json_decref(app);
    return NULL;
}

/* Registrations take at most this many accepted courses at once. */
enum { REGISTER_MAX = 16 };

bool application_register(const struct app_ctx *ctx, int64_t application_id,
                          const struct registration_details *in, message_fn msg, void *ud,
                          struct app_err *err)
{
    json_t *app = own_application(ctx, application_id);
    if (!app)
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    if (!in->time_zone || !tz_valid(in->time_zone))
        return app_fail(err, APP_INVALID, "error.timezone", NULL);
    /* Each accepted course is either confirmed (ticked) or declined. */
    int64_t *confirm = arena_alloc(ctx->a, REGISTER_MAX * sizeof *confirm);
    int64_t *decline = arena_alloc(ctx->a, REGISTER_MAX * sizeof *decline);
    if (!confirm || !decline)
        return app_fail(err, APP_BUSY, "error.too_much", NULL);
    size_t nc = 0, nd = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        const char *s = json_string_value(json_object_get(e, "status"));
        if (!s || strcmp(s, "accepted") != 0 || nc >= REGISTER_MAX || nd >= REGISTER_MAX)
            continue;
        int64_t id = json_integer_value(json_object_get(e, "id"));
        bool ticked = false;
        for (size_t k = 0; k < in->nconfirm; k++)
            if (in->confirm[k] == id)
                ticked = true;
        if (ticked)
            confirm[nc++] = id;
        else
            decline[nd++] = id;
    }
    struct registration_input r = {
        .application_id = application_id,
        .city = in->city,
        .time_zone = in->time_zone,
        .accessibility = in->accessibility && *in->accessibility ? in->accessibility : NULL,
        .recording_consent = in->recording_consent,
        .confirm = confirm, .nconfirm = nc, .decline = decline, .ndecline = nd,
    };
    if (!registration_save(&r, ctx->actor, msg, ud))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}

void course_times(json_t *course, time_t *starts, time_t *ends)
{
    size_t i, j;
    json_t *d, *b;
    *starts = *ends = 0;
    json_array_foreach(json_object_get(course, "days"), i, d) {
        json_array_foreach(json_object_get(d, "blocks"), j, b) {
            time_t s, e;
            if (parse_utc_iso(json_string_value(json_object_get(b, "start_utc")), &s) &&
                (!*starts || s < *starts))
                *starts = s;
            if (parse_utc_iso(json_string_value(json_object_get(b, "end_utc")), &e) && e > *ends)
                *ends = e;
        }
    }
}

bool application_withdraw(const struct app_ctx *ctx, int64_t enrolment, message_fn msg, void *ud,
                          struct app_err *err)
{
    /* Only one's own enrolment: look it up among the person's applications. */
    json_t *apps = ctx->actor_id ? applications_of_account(ctx->actor_id) : NULL;
    bool mine = false, open = false;
    size_t i, j, k;
    json_t *a, *e, *c;
    json_array_foreach(apps, i, a) {
        json_array_foreach(json_object_get(a, "enrolments"), j, e) {
            if (json_integer_value(json_object_get(e, "id")) != enrolment)
                continue;
            mine = true;
            /* The rule /me shows: no withdrawing once the course began. */
            json_t *programme = programme_load(json_string_value(json_object_get(a, "edition")), true);
            if (!programme)
                continue;
            const char *slug = json_string_value(json_object_get(e, "course"));
            struct course_facts f = {.status = json_string_value(json_object_get(e, "status")),
                                     .now = ctx->now};
            json_array_foreach(json_object_get(json_object_get(programme, "edition"), "courses"),
                               k, c) {
                if (slug && strcmp(json_string_value(json_object_get(c, "slug")), slug) == 0)
                    course_times(c, &f.starts, &f.ends);
            }
            open = course_stage(&f).can_withdraw;
        }
    }
    json_decref(apps);
    if (!mine || enrolment <= 0)
        return app_fail(err, APP_NOT_FOUND, "error.not_found", NULL);
    if (!open)
        return app_fail(err, APP_CONFLICT, "me.withdraw_closed", NULL);
    if (enrolment_decide(enrolment, ENROL_WITHDRAWN, ctx->actor, NULL, msg, ud) == DECISION_ERROR)
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}
