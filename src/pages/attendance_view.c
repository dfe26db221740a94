/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Who attended what: Zoom rows of each course day attributed to registered
 * participants (by email, or by a name an administrator confirmed),
 * clipped to the day's blocks, overridden where an administrator said so,
 * and checked against the course's rule. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../app/courses.h"
#include "../base/timeutil.h"
#include "../domain/attendance.h"
#include "../domain/name_match.h"
#include "../store/attendance_store.h"
#include "../store/programme_store.h"
#include "pages.h"
#include "programme_view.h"

struct ivlist {
    struct interval *v;
    size_t n, cap;
};

/* The console lists unattributed rows once per person (name and email),
 * and at most this many people with an email and as many without: a
 * report of 100,000 strangers must not turn into a page of 100,000 forms.
 * Confirming the people listed lets the next ones appear. */
enum { UNMATCHED_SHOWN = 100 };

struct day_ctx {
    arena *a;
    json_t *by_email;      /* email -> participant index */
    json_t *matches;       /* name key -> application id */
    json_t *by_application;/* application id (text) -> participant index */
    struct ivlist *lists;  /* per participant, this day */
    json_t *unmatched;     /* one entry per person */
    json_t *dismissed;     /* one entry per person confirmed as not a participant */
    json_t *groups;        /* name key + email -> its entry in unmatched or dismissed */
    size_t *listed;        /* [2]: people listed without, with an email */
    json_int_t *more;      /* rows of people beyond UNMATCHED_SHOWN */
    json_t *participants;
    int64_t day_id;
};

static void push(arena *a, struct ivlist *l, time_t from, time_t to)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 8;
        struct interval *nv = arena_alloc(a, nc * sizeof *nv);
        if (!nv)
            return;
        if (l->n)
            memcpy(nv, l->v, l->n * sizeof *nv);
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n++] = (struct interval){from, to};
}

static const char *participant_name(json_t *p)
{
    static _Thread_local char buf[300];
    const char *g = json_string_value(json_object_get(p, "given_names"));
    const char *f = json_string_value(json_object_get(p, "family_names"));
    snprintf(buf, sizeof buf, "%s %s", g ? g : "", f ? f : "");
    return buf;
}

/* Up to three registered participants (rows of the grid) whose names
 * resemble shown, best first. */
static json_t *suggestions_for(json_t *rows, const char *shown)
{
    json_t *suggestions = json_array();
    size_t i;
    json_t *p;
    int best[3] = {0, 0, 0};
    json_t *picks[3] = {NULL, NULL, NULL};
    json_array_foreach(rows, i, p) {
        const char *name = json_string_value(json_object_get(p, "name"));
        int s = name_similarity(shown, name ? name : "");
        for (int k = 0; k < 3; k++) {
            if (s > best[k]) {
                for (int m = 2; m > k; m--) {
                    best[m] = best[m - 1];
                    picks[m] = picks[m - 1];
                }
                best[k] = s;
                picks[k] = p;
                break;
            }
        }
    }
    for (int k = 0; k < 3; k++)
        if (picks[k] && best[k] >= 40)
            json_array_append_new(suggestions, json_pack("{s:O, s:O, s:i}", "application_id",
                json_object_get(picks[k], "application_id"), "name",
                json_object_get(picks[k], "name"), "score", best[k]));
    return suggestions;
}

void attendance_add_suggestions(json_t *grid)
{
    json_t *rows = json_object_get(grid, "rows"), *u;
    size_t i;
    json_array_foreach(json_object_get(grid, "unmatched"), i, u) {
        const char *orig = json_string_value(json_object_get(u, "original_name"));
        const char *shown = orig && *orig ? orig : json_string_value(json_object_get(u, "name"));
        json_object_set_new(u, "suggestions", suggestions_for(rows, shown ? shown : ""));
    }
}

static void on_row(void *ud, int64_t row_id, const char *name, const char *original,
                   const char *email, int64_t join, int64_t leave, bool waiting_room)
{
    struct day_ctx *c = ud;
    /* Time in the waiting room is not attendance.  And once the request is
     * out of memory its answer is a 503 whatever this computes, so the
     * remaining rows are not worth reading. */
    if (waiting_room || arena_exhausted(c->a))
        return;
    json_t *idx = email ? json_object_get(c->by_email, email) : NULL;
    const char *shown = original && *original ? original : (name ? name : "");
    /* A row is remembered by its email when it has one that nobody
     * registered (a personal address), otherwise by its display name: an
     * administrator's confirmation then applies to it in every import. */
    char key[256];
    if (email && *email) {
        size_t k = 0;
        for (; email[k] && k + 1 < sizeof key; k++)
            key[k] = (char)tolower((unsigned char)email[k]);
        key[k] = '\0';
    } else {
        name_normalise(shown, key, sizeof key);
    }
    if (!idx) {
        json_t *app = json_object_get(c->matches, key);
        if (app && json_integer_value(app) == 0) {
            /* Confirmed as nobody to credit: listed once per decision. */
            json_int_t m = (json_int_t)((leave - join) / 60);
            char group[300];
            snprintf(group, sizeof group, "-\n%s", key);
            json_t *g = json_object_get(c->groups, group);
            if (g) {
                json_t *gm = json_object_get(g, "minutes");
                json_integer_set(gm, json_integer_value(gm) + m);
                return;
            }
            g = json_pack("{s:s, s:s?, s:s, s:I}", "name", shown, "email", email, "name_key", key,
                          "minutes", m);
            if (g && json_object_set(c->groups, group, g) == 0)
                json_array_append(c->dismissed, g);
            json_decref(g);
            return;
        }
        if (app) {
            char k[32];
            snprintf(k, sizeof k, "%lld", (long long)json_integer_value(app));
            idx = json_object_get(c->by_application, k);
        }
    }
    if (idx) {
        push(c->a, &c->lists[json_integer_value(idx)], (time_t)join, (time_t)leave);
        return;
    }
    /* One entry per person: further rows add their minutes to it. */
    json_int_t minutes = (json_int_t)((leave - join) / 60);
    char group[600];
    snprintf(group, sizeof group, "%s\n%s", key, email ? email : "");
    json_t *g = json_object_get(c->groups, group);
    if (g) {
        json_t *m = json_object_get(g, "minutes"), *n = json_object_get(g, "sessions");
        json_integer_set(m, json_integer_value(m) + minutes);
        json_integer_set(n, json_integer_value(n) + 1);
        return;
    }
    /* Rows without an email (the ones a confirmation can attribute) have
     * their own share of the list, so strangers' emails cannot crowd them
     * out. */
    size_t *listed = &c->listed[email ? 1 : 0];
    if (*listed >= UNMATCHED_SHOWN) {
        (*c->more)++;
        return;
    }
    g = json_pack("{s:I, s:I, s:s, s:s?, s:s?, s:s, s:I, s:I}", "day_id", (json_int_t)c->day_id,
                  "row_id", (json_int_t)row_id, "name", name ? name : "", "original_name",
                  original, "email", email, "name_key", key, "minutes", minutes, "sessions",
                  (json_int_t)1);
    if (g && json_object_set(c->groups, group, g) == 0 && json_array_append(c->unmatched, g) == 0)
        (*listed)++;
    json_decref(g);
}

json_t *attendance_grid(request *req, const char *edition, const char *course_slug)
{
    json_t *p = programme_load(edition, true);
    json_t *course = programme_course(p, course_slug);
    size_t i, j;
    if (!course)
        return NULL;
    int percent = 75, min_day = 0;
    course_rule(edition, course_slug, &percent, &min_day);
    json_t *participants = course_participants(edition, course_slug);
    size_t np = json_array_size(participants);
    json_t *by_email = json_object(), *by_app = json_object();
    json_t *pp;
    json_array_foreach(participants, i, pp) {
        json_object_set_new(by_email, json_string_value(json_object_get(pp, "email")),
                            json_integer((json_int_t)i));
        char k[32];
        snprintf(k, sizeof k, "%lld", (long long)json_integer_value(json_object_get(pp, "application_id")));
        json_object_set_new(by_app, k, json_integer((json_int_t)i));
    }
    json_t *overrides = attendance_overrides(edition, course_slug);
    json_t *days = json_object_get(course, "days");
    size_t nd = json_array_size(days);
    long *scheduled = arena_zalloc(req->a, (nd ? nd : 1) * sizeof *scheduled);
    long *minutes = arena_zalloc(req->a, (np ? np : 1) * (nd ? nd : 1) * sizeof *minutes);
    bool *overridden = arena_zalloc(req->a, (np ? np : 1) * (nd ? nd : 1) * sizeof *overridden);
    struct ivlist *lists = arena_alloc(req->a, (np ? np : 1) * sizeof *lists);
    json_t *day_info = json_array(), *unmatched = json_array(), *groups = json_object();
    json_t *dismissed = json_array();
    json_t *matches = name_matches(edition);
    json_int_t more = 0;
    size_t listed[2] = {0, 0};
    /* Without these the grid cannot be computed; the request is out of
     * memory and is answered with a 503. */
    if (!scheduled || !minutes || !overridden || !lists || !day_info || !unmatched || !groups ||
        !dismissed)
        return NULL;
    json_t *day;
    json_array_foreach(days, j, day) {
        int64_t day_id = json_integer_value(json_object_get(day, "id"));
        struct interval blocks[64];
        size_t nb = 0;
        size_t k;
        json_t *b;
        json_array_foreach(json_object_get(day, "blocks"), k, b) {
            time_t s, e;
            if (nb < 64 && parse_utc_iso(json_string_value(json_object_get(b, "start_utc")), &s) &&
                parse_utc_iso(json_string_value(json_object_get(b, "end_utc")), &e)) {
                blocks[nb++] = (struct interval){s, e};
                scheduled[j] += (long)(e - s) / 60;
            }
        }
        /* The interval lists of the previous day are dropped, not reused:
         * their arrays live in the arena. */
        memset(lists, 0, (np ? np : 1) * sizeof *lists);
        struct day_ctx ctx = {.a = req->a, .by_email = by_email, .matches = matches,
                              .by_application = by_app, .lists = lists, .unmatched = unmatched,
                              .dismissed = dismissed, .groups = groups, .more = &more,
                              .listed = listed, .participants = participants,
                              .day_id = day_id};
        attendance_rows_each(day_id, on_row, &ctx);
        for (size_t x = 0; x < np; x++)
            minutes[x * nd + j] = attended_minutes(ctx.lists[x].v, ctx.lists[x].n, blocks, nb);
        json_t *imp = attendance_import_of(day_id);
        json_array_append_new(day_info, json_pack("{s:I, s:s, s:I, s:o, s:o}", "id",
            (json_int_t)day_id, "date", json_string_value(json_object_get(day, "date")),
            "scheduled", (json_int_t)scheduled[j], "date_label", date_label(json_string_value(json_object_get(day, "date"))),
            "import", imp ? imp : json_null()));
    }
    /* Overrides replace the computed minutes of their day. */
    json_t *o;
    json_array_foreach(overrides, i, o) {
        int64_t en = json_integer_value(json_object_get(o, "enrolment_id"));
        int64_t d = json_integer_value(json_object_get(o, "day_id"));
        json_array_foreach(participants, j, pp) {
            if (json_integer_value(json_object_get(pp, "enrolment_id")) != en)
                continue;
            size_t k;
            json_t *di;
            json_array_foreach(day_info, k, di) {
                if (json_integer_value(json_object_get(di, "id")) == d) {
                    minutes[j * nd + k] = json_integer_value(json_object_get(o, "minutes"));
                    overridden[j * nd + k] = true;
                }
            }
        }
    }
    long total_scheduled = 0;
    for (size_t k = 0; k < nd; k++)
        total_scheduled += scheduled[k];
    json_t *rows = json_array();
    json_array_foreach(participants, i, pp) {
        json_t *cells = json_array();
        long total = 0;
        for (size_t k = 0; k < nd; k++) {
            long m = minutes[i * nd + k];
            total += m;
            json_array_append_new(cells, json_pack("{s:I, s:O, s:I, s:I, s:b}", "day_id",
                json_integer_value(json_object_get(json_array_get(day_info, k), "id")),
                "date", json_object_get(json_array_get(day_info, k), "date"),
                "minutes", (json_int_t)m, "percent",
                (json_int_t)(scheduled[k] ? m * 100 / scheduled[k] : 0), "overridden",
                overridden[i * nd + k]));
        }
        bool met = attendance_rule_met(minutes + i * nd, scheduled, nd, percent, min_day);
        json_array_append_new(rows, json_pack("{s:O, s:O, s:O, s:s, s:o, s:I, s:I, s:b}",
            "enrolment_id", json_object_get(pp, "enrolment_id"),
            "application_id", json_object_get(pp, "application_id"),
            "email", json_object_get(pp, "email"), "name", participant_name(pp),
            "days", cells, "minutes", (json_int_t)total, "percent",
            (json_int_t)(total_scheduled ? total * 100 / total_scheduled : 0), "met", met));
    }
    return json_pack("{s:s, s:s, s:O, s:o, s:o, s:o, s:o, s:I, s:I, s:i, s:i}", "edition", edition,
                     "course", course_slug, "course_title", json_object_get(course, "title"),
                     "days", day_info, "rows", rows, "unmatched", unmatched,
                     "not_participants", dismissed,
                     "unmatched_more", more, "scheduled", (json_int_t)total_scheduled,
                     "rule_percent", percent, "rule_min_day_percent", min_day);
}
