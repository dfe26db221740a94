/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance (see attendance.h): importing a Zoom report for a course day
 * and its preview, matching rows to participants, overrides.  The grid is
 * in attendance_grid.c. */
#include "attendance.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "../base/timeutil.h"
#include "../domain/name_match.h"
#include "../domain/zoom_report.h"
#include "../store/attendance_store.h"
#include "../store/programme_store.h"

static int64_t day_of(const char *edition, const char *course, const char *date)
{
    json_t *p = programme_load(edition, true);
    size_t i, j;
    json_t *c, *d;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), course) != 0)
            continue;
        json_array_foreach(json_object_get(c, "days"), j, d) {
            if (strcmp(json_string_value(json_object_get(d, "date")), date) == 0)
                return json_integer_value(json_object_get(d, "id"));
        }
    }
    return 0;
}

/* Why there is no such day, in lang: no such edition, no such course, or
 * the course's days, so that the command line says what to type. */
static void no_day(const char *edition, const char *course, const char *date, lang_t lang,
                   char *err, size_t errlen)
{
    bool es = lang != LANG_EN;
    json_t *p = programme_load(edition, true);
    if (!p) {
        snprintf(err, errlen, es ? "no existe la edición «%s»" : "no edition \"%s\"", edition);
        return;
    }
    size_t i, j;
    json_t *c, *d;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), course) != 0)
            continue;
        int n = snprintf(err, errlen,
                         es ? "el curso %s no tiene el día %s en la edición %s; sus días son"
                            : "%s has no day %s in %s; its days are",
                         course, date, edition);
        json_array_foreach(json_object_get(c, "days"), j, d) {
            if (n < 0 || (size_t)n >= errlen)
                break;
            n += snprintf(err + n, errlen - (size_t)n, "%s %s", j ? "," : "",
                          json_string_value(json_object_get(d, "date")));
        }
        return;
    }
    snprintf(err, errlen,
             es ? "no existe el curso «%s» en la edición «%s»" : "no course \"%s\" in edition \"%s\"",
             course, edition);
}

static const char *shape_name(enum zoom_shape s)
{
    return s == ZOOM_WEBINAR                    ? "webinar"
           : s == ZOOM_PARTICIPANTS_WITH_MEETING ? "meeting"
           : s == ZOOM_COMBINED                  ? "combined"
                                                 : "participants";
}

/* Reads the report at path and parses it for the session of date (times
 * written in zone tz, the day a local day of the edition's zone, which goes
 * to *edition_zone when that is not NULL).  Changes nothing. */
static bool read_report(arena *a, const char *edition, const char *date, const char *tz,
                        const char *path, lang_t lang, struct zoom_report *out,
                        const char **edition_zone, char *err, size_t errlen)
{
    bool es = lang != LANG_EN;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        if (f)
            fclose(f);
        snprintf(err, errlen, es ? "no se puede leer %s" : "cannot read %s", path);
        return false;
    }
    if ((uint64_t)st.st_size > ZOOM_MAX_BYTES) {
        fclose(f);
        snprintf(err, errlen, es ? "el archivo supera los %u MB" : "the file is larger than %u MB",
                 ZOOM_MAX_BYTES / (1024 * 1024));
        return false;
    }
    char *data = arena_alloc(a, (size_t)st.st_size + 1);
    size_t len = data ? fread(data, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!data) {
        snprintf(err, errlen, "%s",
                 es ? "no hay memoria suficiente para el archivo" : "not enough memory for the file");
        return false;
    }
    /* The session's day is a local day of the edition's zone. */
    json_t *p = programme_load(edition, true);
    const char *edition_tz = json_string_value(json_object_get(json_object_get(p, "edition"), "time_zone"));
    if (!edition_tz)
        edition_tz = tz;
    if (edition_zone)
        *edition_zone = edition_tz;
    return zoom_report_parse_day(a, data, len, tz, date, edition_tz, lang, out, err, errlen);
}

/* Reads a report and replaces the day's import.  Used by the console and
 * by `aula attendance import`; err receives the explanation (the parser's
 * or this function's) in lang.  A report of another day is refused; of a
 * report with meetings on several days only the session day's are kept,
 * and *note (when note is not NULL) says which were left out (else NULL). */
static bool import_file(arena *a, const char *edition, const char *course, const char *date,
                        const char *tz, const char *path, const char *file_name, const char *by,
                        lang_t lang, size_t *rows, const char **note, app_status *kind,
                        char *err, size_t errlen)
{
    if (note)
        *note = NULL;
    bool es = lang != LANG_EN;
    int64_t day = day_of(edition, course, date);
    if (!day) {
        no_day(edition, course, date, lang, err, errlen);
        *kind = APP_NOT_FOUND;
        return false;
    }
    struct zoom_report r;
    *kind = APP_INVALID;
    if (!read_report(a, edition, date, tz, path, lang, &r, NULL, err, errlen))
        return false;
    if (!attendance_import_replace(day, file_name, tz, shape_name(r.shape), r.rows, r.nrows, by)) {
        snprintf(err, errlen, "%s",
                 es ? "la base de datos está ocupada; no se importó nada"
                    : "the database is busy; nothing was imported");
        *kind = APP_BUSY;
        return false;
    }
    *rows = r.nrows;
    if (note)
        *note = r.left_out;
    return true;
}

/* ---- what an import would store: the preview ---- */

enum { PREVIEW_LISTED = 100 };

/* "Given Family" of a registered participant. */
static const char *person_name(arena *a, json_t *p)
{
    const char *g = json_string_value(json_object_get(p, "given_names"));
    const char *f = json_string_value(json_object_get(p, "family_names"));
    return arena_printf(a, "%s %s", g ? g : "", f ? f : "");
}

/* The key an administrator's decision about a row is remembered by, as the
 * grid reads it (attendance_grid.c): the row's email in lower case when it
 * has one, else its normalised display name (the original one first). */
static void decision_key(const struct zoom_row *row, char *key, size_t n)
{
    if (row->email && *row->email) {
        size_t k = 0;
        for (; row->email[k] && k + 1 < n; k++)
            key[k] = (char)tolower((unsigned char)row->email[k]);
        key[k] = '\0';
        return;
    }
    name_normalise(row->original_name && *row->original_name ? row->original_name : row->name, key,
                   n);
}

/* The registered participant whose name is closest to shown, when it is
 * close enough to suggest (as the console's list does), else NULL. */
static const char *closest_person(arena *a, json_t *people, const char *shown)
{
    int best = 0;
    const char *best_name = NULL;
    size_t k;
    json_t *p;
    json_array_foreach(people, k, p) {
        const char *full = person_name(a, p);
        int sc = full ? name_similarity(shown, full) : 0;
        if (sc > best) {
            best = sc;
            best_name = full;
        }
    }
    return best >= 40 ? best_name : NULL;
}

/* What importing the report at path for course's session of date would
 * store, in lang: the shape and interface language recognised, encoding
 * and separator, date order, time range (in the edition's zone), rows,
 * people, the registered participants matched by email, rows attributed
 * or dismissed by an administrator's earlier decision, names without a
 * registered email (with the closest registered name), guests, warnings
 * (meetings left out, an import it replaces).  The one computation behind
 * the console's preview and `aula attendance import --dry-run`.  Changes
 * nothing; NULL with err (in lang) when the report would be refused. */
static json_t *summary_of(arena *a, const char *edition, const char *course, const char *date,
                          const char *tz, const char *path, lang_t lang, app_status *kind,
                          char *err, size_t errlen)
{
    int64_t day = day_of(edition, course, date);
    if (!day) {
        no_day(edition, course, date, lang, err, errlen);
        *kind = APP_NOT_FOUND;
        return NULL;
    }
    struct zoom_report r;
    const char *etz;
    *kind = APP_INVALID;
    if (!read_report(a, edition, date, tz, path, lang, &r, &etz, err, errlen))
        return NULL;
    static const char *const shape_keys[] = {
        [ZOOM_PARTICIPANTS] = "zoom.shape.participants",
        [ZOOM_PARTICIPANTS_WITH_MEETING] = "zoom.shape.meeting",
        [ZOOM_WEBINAR] = "zoom.shape.webinar", [ZOOM_COMBINED] = "zoom.shape.combined"};
    static const char *const encodings[] = {[ZOOM_UTF8] = "UTF-8", [ZOOM_UTF16] = "UTF-16",
                                            [ZOOM_WINDOWS_1252] = "Windows-1252"};
    char key[32];
    snprintf(key, sizeof key, "zoom.lang.%s", r.interface_lang);
    const char *sep_key = r.separator == ';' ? "zoom.sep.semicolon"
                          : r.separator == '\t' ? "zoom.sep.tab" : "zoom.sep.comma";
    /* The time range, in the edition's zone. */
    time_t lo = 0, hi = 0;
    for (size_t i = 0; i < r.nrows; i++) {
        if (!i || r.rows[i].join < lo)
            lo = r.rows[i].join;
        if (!i || r.rows[i].leave > hi)
            hi = r.rows[i].leave;
    }
    char range[120] = "-";
    struct tm tl, th;
    if (r.nrows && utc_to_local(etz, lo, &tl) && utc_to_local(etz, hi, &th))
        snprintf(range, sizeof range, "%04d-%02d-%02d %02d:%02d - %04d-%02d-%02d %02d:%02d (%s)",
                 tl.tm_year + 1900, tl.tm_mon + 1, tl.tm_mday, tl.tm_hour, tl.tm_min,
                 th.tm_year + 1900, th.tm_mon + 1, th.tm_mday, th.tm_hour, th.tm_min, etz);

    /* Registered participants by email and by application, and the
     * edition's earlier decisions about rows. */
    json_t *people = course_participants(edition, course);
    json_t *decisions = name_matches(edition);
    json_t *by_email = json_object(), *by_app = json_object();
    json_t *emails = json_object(), *seen = json_object();
    json_t *matched = json_array(), *remembered = json_array(), *dismissed = json_array();
    json_t *unmatched = json_array(), *warnings = json_array();
    if (!people || !by_email || !by_app || !emails || !seen || !matched || !remembered ||
        !dismissed || !unmatched || !warnings)
        goto no_memory;
    size_t k;
    json_t *p;
    json_array_foreach(people, k, p) {
        const char *e = json_string_value(json_object_get(p, "email"));
        char lower[320];
        size_t n = 0;
        for (; e && e[n] && n + 1 < sizeof lower; n++)
            lower[n] = (char)tolower((unsigned char)e[n]);
        lower[n] = '\0';
        if (n)
            json_object_set(by_email, lower, p);
        json_object_set(by_app, arena_printf(a, "%lld", (long long)json_integer_value(
                                                           json_object_get(p, "application_id"))),
                        p);
    }
    size_t guests = 0, more = 0;
    for (size_t i = 0; i < r.nrows && !arena_exhausted(a); i++) {
        const struct zoom_row *row = &r.rows[i];
        guests += row->guest;
        if (row->email)
            json_object_set(emails, row->email, json_true());
        /* Matched by email (emails are lower-cased by the parser). */
        json_t *who = row->email ? json_object_get(by_email, row->email) : NULL;
        if (who) {
            const char *mk = arena_printf(a, "@%s", row->email);
            if (mk && !json_object_get(seen, mk)) {
                json_object_set(seen, mk, json_true());
                json_array_append_new(matched, json_pack("{s:s, s:s}", "name",
                                                         person_name(a, who), "email", row->email));
            }
            continue;
        }
        /* Time in the waiting room is not attendance. */
        if (row->waiting_room)
            continue;
        char dk[256];
        decision_key(row, dk, sizeof dk);
        const char *group = arena_printf(a, "%s\n%s", dk, row->email ? row->email : "");
        if (!group || json_object_get(seen, group))
            continue;
        json_object_set(seen, group, json_true());
        const char *shown = row->original_name && *row->original_name ? row->original_name
                                                                        : row->name;
        json_t *app = json_object_get(decisions, dk);
        if (app && json_integer_value(app) == 0) {
            json_array_append_new(dismissed, json_pack("{s:s, s:s?, s:s?}", "name", row->name,
                                                       "original_name", row->original_name,
                                                       "email", row->email));
            continue;
        }
        json_t *as = app ? json_object_get(by_app, arena_printf(a, "%lld", (long long)
                                                                json_integer_value(app)))
                         : NULL;
        if (as) {
            json_array_append_new(remembered, json_pack("{s:s, s:s?, s:s?, s:s}", "name",
                                                        row->name, "original_name",
                                                        row->original_name, "email", row->email,
                                                        "as", person_name(a, as)));
            continue;
        }
        /* One entry per person, at most PREVIEW_LISTED of them, like the
         * console's list, so that a file of strangers keeps the page small. */
        if (json_array_size(unmatched) >= PREVIEW_LISTED) {
            more++;
            continue;
        }
        json_array_append_new(unmatched, json_pack("{s:s, s:s?, s:s?, s:s?}", "name", row->name,
                                                   "original_name", row->original_name, "email",
                                                   row->email, "suggestion",
                                                   closest_person(a, people, shown)));
    }
    if (arena_exhausted(a))
        goto no_memory;
    if (r.left_out)
        json_array_append_new(warnings, json_string(r.left_out));
    if (!json_array_size(matched) && json_array_size(people))
        json_array_append_new(warnings, json_string(tr(lang, "zoom.preview.none_matched")));
    json_t *before = attendance_import_of(day);
    if (before) {
        const char *at = json_string_value(json_object_get(before, "imported_at"));
        json_array_append_new(
            warnings,
            json_string(arena_printf(a, "%s %s (%lld %s, %.16s, %s).", tr(lang, "zoom.preview.replaces"),
                                     json_string_value(json_object_get(before, "file_name"))
                                         ? json_string_value(json_object_get(before, "file_name"))
                                         : "-",
                                     (long long)json_integer_value(json_object_get(before, "rows")),
                                     tr(lang, "zoom.rows"), at ? at : "",
                                     json_string_value(json_object_get(before, "imported_by")))));
        json_decref(before);
    }
    json_t *out = json_object();
    if (!out)
        goto no_memory;
    json_object_set_new(out, "shape", json_string(tr(lang, shape_keys[r.shape])));
    json_object_set_new(out, "interface_language", json_string(tr(lang, key)));
    json_object_set_new(out, "encoding", json_string(arena_printf(a, "%s, %s", encodings[r.encoding],
                                                                  tr(lang, sep_key))));
    json_object_set_new(out, "date_order",
                        json_string(tr(lang, r.day_first ? "zoom.order.day_first"
                                                         : "zoom.order.month_first")));
    json_object_set_new(out, "range", json_string(range));
    json_object_set_new(out, "rows", json_integer((json_int_t)r.nrows));
    json_object_set_new(out, "people", json_integer((json_int_t)json_object_size(emails)));
    json_object_set_new(out, "matched_count", json_integer((json_int_t)json_array_size(matched)));
    json_object_set_new(out, "registered", json_integer((json_int_t)json_array_size(people)));
    json_object_set_new(out, "guests", json_integer((json_int_t)guests));
    json_object_set_new(out, "staff", json_integer((json_int_t)r.skipped_staff));
    json_object_set_new(out, "absent", json_integer((json_int_t)r.skipped_absent));
    json_object_set_new(out, "matched", matched);
    json_object_set_new(out, "remembered", remembered);
    json_object_set_new(out, "dismissed", dismissed);
    json_object_set_new(out, "unmatched", unmatched);
    json_object_set_new(out, "unmatched_more", json_integer((json_int_t)more));
    json_object_set_new(out, "warnings", warnings);
    json_decref(people);
    json_decref(decisions);
    json_decref(by_email);
    json_decref(by_app);
    json_decref(emails);
    json_decref(seen);
    if (arena_exhausted(a)) {
        json_decref(out);
        *kind = APP_FAILED;
        snprintf(err, errlen, "%s", lang != LANG_EN ? "no hay memoria suficiente" : "out of memory");
        return NULL;
    }
    return out;
no_memory:
    json_decref(people);
    json_decref(decisions);
    json_decref(by_email);
    json_decref(by_app);
    json_decref(emails);
    json_decref(seen);
    json_decref(matched);
    json_decref(remembered);
    json_decref(dismissed);
    json_decref(unmatched);
    json_decref(warnings);
    *kind = APP_FAILED;
    snprintf(err, errlen, "%s", lang != LANG_EN ? "no hay memoria suficiente" : "out of memory");
    return NULL;
}

/* Appends one "label: value" line to *text. */
static bool add_line(arena *a, const char **text, lang_t lang, const char *key, const char *value)
{
    const char *t = value ? arena_printf(a, "%s%s: %s\n", *text, tr(lang, key), value) : NULL;
    if (!t)
        return false;
    *text = t;
    return true;
}

/* "Name (original) <email>" of an entry of the summary's lists. */
static const char *entry_text(arena *a, json_t *e)
{
    const char *orig = json_string_value(json_object_get(e, "original_name"));
    const char *email = json_string_value(json_object_get(e, "email"));
    return arena_printf(a, "%s%s%s%s%s%s", json_string_value(json_object_get(e, "name")),
                        orig ? " (" : "", orig ? orig : "", orig ? ")" : "", email ? " <" : "",
                        email ? arena_printf(a, "%s>", email) : "");
}

/* The summary as lines for a person in lang (`aula attendance import
 * --dry-run`).  Nothing is changed. */
static bool summary_lines(arena *a, const char *edition, const char *course, const char *date,
                          const char *tz, const char *path, lang_t lang, const char **text,
                          app_status *kind, char *err, size_t errlen)
{
    *text = "";
    json_t *s = summary_of(a, edition, course, date, tz, path, lang, kind, err, errlen);
    if (!s)
        return false;
#define STR(k) json_string_value(json_object_get(s, k))
#define NUM(k) arena_printf(a, "%lld", (long long)json_integer_value(json_object_get(s, k)))
    bool ok = add_line(a, text, lang, "zoom.preview.title", tr(lang, "zoom.preview.nothing")) &&
              add_line(a, text, lang, "zoom.preview.shape", STR("shape")) &&
              add_line(a, text, lang, "zoom.preview.language", STR("interface_language")) &&
              add_line(a, text, lang, "zoom.preview.encoding", STR("encoding")) &&
              add_line(a, text, lang, "zoom.preview.date_order", STR("date_order")) &&
              add_line(a, text, lang, "zoom.preview.range", STR("range")) &&
              add_line(a, text, lang, "zoom.preview.rows", NUM("rows")) &&
              add_line(a, text, lang, "zoom.preview.people", NUM("people")) &&
              add_line(a, text, lang, "zoom.preview.matched",
                       arena_printf(a, "%s / %s", NUM("matched_count"), NUM("registered"))) &&
              add_line(a, text, lang, "zoom.preview.guests", NUM("guests"));
    if (ok && json_integer_value(json_object_get(s, "staff")))
        ok = add_line(a, text, lang, "zoom.preview.staff", NUM("staff"));
    if (ok && json_integer_value(json_object_get(s, "absent")))
        ok = add_line(a, text, lang, "zoom.preview.absent", NUM("absent"));
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(s, "matched"), i, e)
        ok = ok && add_line(a, text, lang, "zoom.preview.matched_person", entry_text(a, e));
    json_array_foreach(json_object_get(s, "remembered"), i, e)
        ok = ok && add_line(a, text, lang, "zoom.preview.remembered",
                            arena_printf(a, "%s → %s", entry_text(a, e),
                                         json_string_value(json_object_get(e, "as"))));
    json_array_foreach(json_object_get(s, "dismissed"), i, e)
        ok = ok && add_line(a, text, lang, "zoom.preview.dismissed", entry_text(a, e));
    json_array_foreach(json_object_get(s, "unmatched"), i, e) {
        const char *sugg = json_string_value(json_object_get(e, "suggestion"));
        ok = ok && add_line(a, text, lang, "zoom.preview.unmatched",
                            sugg ? arena_printf(a, "%s (%s %s)", entry_text(a, e),
                                                tr(lang, "zoom.preview.perhaps"), sugg)
                                 : entry_text(a, e));
    }
    if (ok && json_integer_value(json_object_get(s, "unmatched_more")))
        ok = add_line(a, text, lang, "zoom.preview.more", NUM("unmatched_more"));
    json_array_foreach(json_object_get(s, "warnings"), i, e)
        ok = ok && add_line(a, text, lang, "zoom.preview.warning", json_string_value(e));
#undef STR
#undef NUM
    json_decref(s);
    if (!ok) {
        *kind = APP_FAILED;
        snprintf(err, errlen, "%s", lang != LANG_EN ? "no hay memoria suficiente" : "out of memory");
        return false;
    }
    return true;
}

/* ---- the operations ---- */

/* The explanations of a refused report fit in this (the parser quotes the
 * columns it expected and an excerpt of the line). */
enum { WHY_MAX = 1024 };

/* err and why from a refusal explained in text: the key says what failed,
 * the explanation (in the context's language) goes to why and, cut, to
 * err's detail. */
static bool refused(const struct app_ctx *ctx, app_status kind, const char *text,
                    struct attendance_refusal *why, struct app_err *err)
{
    const char *key = kind == APP_BUSY ? "error.busy" : "attendance.import_failed";
    if (why)
        why->why = arena_strdup(ctx->a, text);
    return app_fail(err, kind, key, "%s", text);
}

bool attendance_import(const struct app_ctx *ctx, const struct attendance_report *in, size_t *rows,
                       const char **note, struct attendance_refusal *why, struct app_err *err)
{
    char text[WHY_MAX];
    app_status kind = APP_FAILED;
    size_t n = 0;
    if (!import_file(ctx->a, in->edition, in->course, in->date, in->tz, in->path,
                     in->file_name, ctx->actor, ctx->lang, &n, note, &kind, text, sizeof text))
        return refused(ctx, kind, text, why, err);
    if (rows)
        *rows = n;
    return true;
}

json_t *attendance_summary(const struct app_ctx *ctx, const struct attendance_report *in,
                           struct attendance_refusal *why, struct app_err *err)
{
    char text[WHY_MAX];
    app_status kind = APP_FAILED;
    json_t *s = summary_of(ctx->a, in->edition, in->course, in->date, in->tz, in->path, ctx->lang,
                           &kind, text, sizeof text);
    if (!s)
        refused(ctx, kind, text, why, err);
    return s;
}

bool attendance_summary_text(const struct app_ctx *ctx, const struct attendance_report *in,
                             const char **text, struct attendance_refusal *why,
                             struct app_err *err)
{
    char buf[WHY_MAX];
    app_status kind = APP_FAILED;
    if (!summary_lines(ctx->a, in->edition, in->course, in->date, in->tz, in->path, ctx->lang,
                       text, &kind, buf, sizeof buf))
        return refused(ctx, kind, buf, why, err);
    return true;
}

bool attendance_match(const struct app_ctx *ctx, const char *edition, const char *course,
                      const char *name_key, int64_t application, struct app_err *err)
{
    /* Only a registered participant of this course can be chosen. */
    bool known = application == 0;
    json_t *people = course_participants(edition, course);
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_integer_value(json_object_get(p, "application_id")) == application)
            known = true;
    }
    json_decref(people);
    if (!known)
        return app_fail(err, APP_INVALID, "attendance.choose_person", NULL);
    if (!name_match_set(edition, name_key, application, ctx->actor))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}

bool attendance_unmatch(const struct app_ctx *ctx, const char *edition, const char *name_key,
                        struct app_err *err)
{
    if (!name_match_forget(edition, name_key, ctx->actor))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}

bool attendance_override(const struct app_ctx *ctx, const char *edition, int64_t enrolment,
                         int64_t day, int minutes, const char *reason, char *course, size_t n,
                         struct app_err *err)
{
    char ed[128];
    if (!enrolment_course(enrolment, ed, sizeof ed, course, n) || strcmp(ed, edition) != 0)
        return app_fail(err, APP_INVALID, "attendance.override_invalid", NULL);
    if (!attendance_override_set(enrolment, day, minutes, reason, ctx->actor))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}
