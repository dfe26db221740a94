/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Attendance in the console (imports with their preview, matching,
 * overrides, the grid and its exports) and the API.  Meetings and join
 * links are in meetings.c. */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/timeutil.h"
#include "../docs/table_export.h"
#include "../domain/name_match.h"
#include "../domain/zoom_report.h"
#include "../store/account_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/programme_store.h"
#include "../view/template.h"
#include "pages.h"
#include "programme_view.h"

json_t *attendance_grid(request *req, const char *edition, const char *course_slug);

/* The course of the query (?course=), or the edition's first. */
static const char *chosen_course(request *req, json_t *p)
{
    const char *want = req_query(req, "course");
    json_t *courses = json_object_get(json_object_get(p, "edition"), "courses");
    size_t i;
    json_t *c;
    json_array_foreach(courses, i, c) {
        if (want && strcmp(json_string_value(json_object_get(c, "slug")), want) == 0)
            return want;
    }
    return json_string_value(json_object_get(json_array_get(courses, 0), "slug"));
}

/* info_text: a notice of the last import beside notice_key's (which
 * meetings of a report were left out), or NULL. */
static void show_attendance_info(request *req, response *res, int status, const char *course,
                                 const char *notice_key, const char *error_text,
                                 const char *info_text)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    if (!course)
        course = chosen_course(req, p);
    json_t *grid = course ? attendance_grid(req, slug, course) : NULL;
    if (!grid) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    attendance_add_suggestions(grid);
    json_t *courses = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        json_array_append_new(courses, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(c, "slug"),
            "title", json_object_get(c, "title"),
            "current", strcmp(json_string_value(json_object_get(c, "slug")), course) == 0));
    }
    json_object_set_new(grid, "courses", courses);
    json_object_set_new(grid, "time_zone", json_object_get(json_object_get(p, "edition"), "time_zone")
                                               ? json_incref(json_object_get(json_object_get(p, "edition"), "time_zone"))
                                               : json_string("UTC"));
    json_object_set_new(grid, "page_title", bilingual_tr("attendance.title"));
    json_object_set_new(grid, "csrf", json_string(csrf_token(req, res)));
    /* Coordinators say who a Zoom row is; changing minutes by hand and
     * revoking join links stay with administrators, whose controls only
     * they see. */
    json_object_set_new(grid, "is_admin", json_boolean(req->user.role >= ROLE_ADMIN));
    if (notice_key)
        json_object_set_new(grid, "notice", bilingual_tr(notice_key));
    if (error_text)
        json_object_set_new(grid, "error", json_string(error_text));
    if (info_text)
        json_object_set_new(grid, "import_note", json_string(info_text));
    res_page(req, res, status, "admin_attendance", grid);
    res->no_store = true;
}

static void show_attendance(request *req, response *res, int status, const char *course,
                            const char *notice_key, const char *error_text)
{
    show_attendance_info(req, res, status, course, notice_key, error_text, NULL);
}

static void preview_sweep(arena *a);

void admin_attendance(request *req, response *res)
{
    /* Reports previewed but never confirmed go after an hour. */
    preview_sweep(req->a);
    show_attendance(req, res, 200, NULL, req_query(req, "done") ? "attendance.saved" : NULL, NULL);
}

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
bool attendance_import_file(arena *a, const char *edition, const char *course, const char *date,
                            const char *tz, const char *path, const char *file_name,
                            const char *by, lang_t lang, size_t *rows, const char **note,
                            char *err, size_t errlen)
{
    if (note)
        *note = NULL;
    bool es = lang != LANG_EN;
    int64_t day = day_of(edition, course, date);
    if (!day) {
        snprintf(err, errlen,
                 es ? "el curso %s no tiene el día %s en la edición %s" : "%s has no day %s in %s",
                 course, date, edition);
        return false;
    }
    struct zoom_report r;
    if (!read_report(a, edition, date, tz, path, lang, &r, NULL, err, errlen))
        return false;
    if (!attendance_import_replace(day, file_name, tz, shape_name(r.shape), r.rows, r.nrows, by)) {
        snprintf(err, errlen, "%s",
                 es ? "la base de datos está ocupada; no se importó nada"
                    : "the database is busy; nothing was imported");
        return false;
    }
    *rows = r.nrows;
    if (note)
        *note = r.left_out;
    return true;
}

/* ---- what an import would store: the preview ---- */

enum { PREVIEW_LISTED = 100, PREVIEW_SECONDS = 3600 };

/* "Given Family" of a registered participant. */
static const char *person_name(arena *a, json_t *p)
{
    const char *g = json_string_value(json_object_get(p, "given_names"));
    const char *f = json_string_value(json_object_get(p, "family_names"));
    return arena_printf(a, "%s %s", g ? g : "", f ? f : "");
}

/* The key an administrator's decision about a row is remembered by, as the
 * grid reads it (attendance_view.c): the row's email in lower case when it
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
json_t *attendance_summary(arena *a, const char *edition, const char *course, const char *date,
                           const char *tz, const char *path, lang_t lang, char *err, size_t errlen)
{
    int64_t day = day_of(edition, course, date);
    if (!day) {
        snprintf(err, errlen,
                 lang != LANG_EN ? "el curso %s no tiene el día %s en la edición %s"
                                 : "%s has no day %s in %s",
                 course, date, edition);
        return NULL;
    }
    struct zoom_report r;
    const char *etz;
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
bool attendance_preview_file(arena *a, const char *edition, const char *course, const char *date,
                             const char *tz, const char *path, lang_t lang, const char **text,
                             char *err, size_t errlen)
{
    *text = "";
    json_t *s = attendance_summary(a, edition, course, date, tz, path, lang, err, errlen);
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
        snprintf(err, errlen, "%s", lang != LANG_EN ? "no hay memoria suficiente" : "out of memory");
        return false;
    }
    return true;
}

/* ---- reports kept between the preview and the confirmation ----
 *
 * An uploaded report waits in DATA/tmp for its confirmation, at most an
 * hour, beside a small JSON file with what it was uploaded for.  The form
 * carries a random token; the files are named by a hash of that token and
 * the secret of the session (cookie or API token) that uploaded it, so the
 * token alone names nothing, a forged one names nothing, and another
 * person's (or another session's) confirmation finds nothing. */

static const char *preview_secret(request *req)
{
    if (req->via_token) {
        const char *auth = req_header(req, "Authorization");
        return auth && strncmp(auth, "Bearer ", 7) == 0 ? auth + 7 : NULL;
    }
    return req_cookie(req, "aula_session");
}

/* DATA/tmp/attendance-preview-HASH (without extension), or NULL. */
static const char *preview_base(request *req, const char *token)
{
    const char *secret = preview_secret(req);
    if (!secret || !*secret || !token || strlen(token) < 32)
        return NULL;
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)"aula attendance preview\n", 24);
    crypto_hash_sha256_update(&st, (const unsigned char *)secret, strlen(secret));
    crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
    crypto_hash_sha256_update(&st, (const unsigned char *)token, strlen(token));
    crypto_hash_sha256_final(&st, digest);
    char hex[2 * sizeof digest + 1];
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    return arena_printf(req->a, "%s/tmp/attendance-preview-%s", pages_data_dir(), hex);
}

/* Removes the kept reports older than an hour (those never confirmed). */
static void preview_sweep(arena *a)
{
    const char *dir = arena_printf(a, "%s/tmp", pages_data_dir());
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, "attendance-preview-", 19) != 0)
            continue;
        const char *path = arena_printf(a, "%s/%s", dir, e->d_name);
        struct stat st;
        if (path && stat(path, &st) == 0 && now - st.st_mtime > PREVIEW_SECONDS)
            unlink(path);
    }
    closedir(d);
}

static void preview_remove(request *req, const char *base)
{
    unlink(arena_printf(req->a, "%s.csv", base));
    unlink(arena_printf(req->a, "%s.json", base));
}

/* Keeps the uploaded report for its confirmation; the token for the form
 * goes to token (44 bytes).  False when it cannot be kept. */
static bool preview_keep(request *req, const char *slug, const char *course, const char *date,
                         const char *tz, char *token, size_t n)
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, n, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    const char *base = preview_base(req, token);
    if (!base)
        return false;
    mkdir(arena_printf(req->a, "%s/tmp", pages_data_dir()), 0700);
    const char *csv = arena_printf(req->a, "%s.csv", base);
    const char *meta = arena_printf(req->a, "%s.json", base);
    if (!csv || !meta || rename(req->upload.tmp_path, csv) != 0)
        return false;
    json_t *m = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "account", (json_int_t)req->user.id,
                          "edition", slug, "course", course, "date", date, "time_zone", tz,
                          "file_name", req->upload.file_name ? req->upload.file_name : "");
    int fd = open(meta, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = m && f && json_dumpf(m, f, JSON_COMPACT) == 0;
    if (f)
        ok = fclose(f) == 0 && ok;
    else if (fd >= 0)
        close(fd);
    json_decref(m);
    if (!ok)
        preview_remove(req, base);
    return ok;
}

/* What a kept report was uploaded for, when token names one of this
 * session's, of this edition, less than an hour old; else NULL. */
static json_t *preview_find(request *req, const char *slug, const char *token, const char **base)
{
    preview_sweep(req->a);
    *base = preview_base(req, token);
    if (!*base)
        return NULL;
    const char *meta = arena_printf(req->a, "%s.json", *base);
    struct stat st;
    if (!meta || stat(meta, &st) != 0 || time(NULL) - st.st_mtime > PREVIEW_SECONDS)
        return NULL;
    json_error_t e;
    json_t *m = json_load_file(meta, 0, &e);
    const char *ed = json_string_value(json_object_get(m, "edition"));
    if (!m || json_integer_value(json_object_get(m, "account")) != req->user.id || !ed ||
        strcmp(ed, slug) != 0 || !json_string_value(json_object_get(m, "course")) ||
        !json_string_value(json_object_get(m, "date")) ||
        !json_string_value(json_object_get(m, "time_zone"))) {
        json_decref(m);
        return NULL;
    }
    return m;
}

static const struct field_spec import_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "date", .v = V_DATE, .required = true},
    {.name = "time_zone", .v = V_TZ, .required = true},
};
const struct form_spec attendance_import_form = FORM_SPEC(import_fields);

/* An upload is read and summarised, and kept for its confirmation: nothing
 * is imported yet. */
void admin_attendance_import(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *course = form_str(f, "course");
    if (!f->ok || !req->upload.present) {
        show_attendance(req, res, 422, *course ? course : NULL, NULL,
                        tr(req->lang, !req->upload.present ? "materials.no_file" : "error.form"));
        return;
    }
    char err[1024];
    const char *slug = req_param(req, "slug");
    json_t *summary = attendance_summary(req->a, slug, course, form_str(f, "date"),
                                         form_str(f, "time_zone"), req->upload.tmp_path,
                                         req->lang, err, sizeof err);
    if (!summary) {
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), err));
        return;
    }
    preview_sweep(req->a);
    char token[64];
    if (!preview_keep(req, slug, course, form_str(f, "date"), form_str(f, "time_zone"), token,
                      sizeof token)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    json_t *p = programme_load(slug, true);
    json_t *title = NULL, *c;
    size_t i;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c)
        if (strcmp(json_string_value(json_object_get(c, "slug")), course) == 0)
            title = json_object_get(c, "title");
    json_object_set_new(summary, "edition", json_string(slug));
    json_object_set_new(summary, "course", json_string(course));
    json_object_set_new(summary, "course_title", title ? json_incref(title) : json_string(course));
    json_object_set_new(summary, "date", json_string(form_str(f, "date")));
    json_object_set_new(summary, "date_label", date_label(form_str(f, "date")));
    json_object_set_new(summary, "file_name", json_string(req->upload.file_name));
    json_object_set_new(summary, "preview", json_string(token));
    json_object_set_new(summary, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(summary, "page_title", bilingual_tr("attendance.preview_title"));
    res_page(req, res, 200, "admin_attendance_preview", summary);
    res->no_store = true;
}

static const char *const preview_decisions[] = {"import", "cancel", NULL};
static const struct field_spec confirm_fields[] = {
    {.name = "preview", .v = V_TOKEN, .required = true, .max_len = 64},
    {.name = "decision", .v = V_CHOICE, .required = true, .choices = preview_decisions},
};
const struct form_spec attendance_confirm_form = FORM_SPEC(confirm_fields);

/* The confirmation of a preview: the kept bytes are read again and
 * imported (or, when cancelled, dropped). */
void admin_attendance_confirm(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    const char *base = NULL;
    json_t *m = f->ok ? preview_find(req, slug, form_str(f, "preview"), &base) : NULL;
    if (!m) {
        show_attendance(req, res, f->ok ? 404 : 422, NULL, NULL,
                        tr(req->lang, f->ok ? "attendance.preview_gone" : "error.form"));
        return;
    }
    const char *course = arena_strdup(req->a, json_string_value(json_object_get(m, "course")));
    if (strcmp(form_str(f, "decision"), "cancel") == 0) {
        preview_remove(req, base);
        json_decref(m);
        res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s", slug,
                                            course));
        return;
    }
    char err[1024];
    size_t rows = 0;
    const char *note = NULL;
    bool ok = attendance_import_file(
        req->a, slug, course, json_string_value(json_object_get(m, "date")),
        json_string_value(json_object_get(m, "time_zone")), arena_printf(req->a, "%s.csv", base),
        json_string_value(json_object_get(m, "file_name")), req->user.email, req->lang, &rows,
        &note, err, sizeof err);
    json_decref(m);
    if (!ok) {
        /* Kept (until it expires): a busy database may let a second try through. */
        show_attendance(req, res, 422, course, NULL, arena_printf(req->a, "%s: %s",
                        tr(req->lang, "attendance.import_failed"), err));
        return;
    }
    preview_remove(req, base);
    if (note) {
        /* Saved, but part of the file was not: say so on the page itself. */
        show_attendance_info(req, res, 200, course, "attendance.saved", NULL, note);
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

static const struct field_spec match_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "name_key", .v = V_LINE, .required = true, .max_len = 250},
    /* 0: not a participant (a guest, an interpreter, staff). */
    {.name = "application", .v = V_INT, .required = true, .min = 0, .max = INT64_MAX},
};
const struct form_spec attendance_match_form = FORM_SPEC(match_fields);

static void back_to_attendance(request *req, response *res, const char *slug, const char *course)
{
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug,
                                        course));
}

/* Confirms who an unassigned row is, or that it is nobody to credit; the
 * decision holds for every import of the edition. */
void admin_attendance_match(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        show_attendance(req, res, 422, *form_str(f, "course") ? form_str(f, "course") : NULL, NULL,
                        tr(req->lang, "attendance.choose_person"));
        return;
    }
    int64_t application = form_int(f, "application");
    /* Only a registered participant of this course can be chosen. */
    bool known = application == 0;
    json_t *people = course_participants(slug, form_str(f, "course"));
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        if (json_integer_value(json_object_get(p, "application_id")) == application)
            known = true;
    }
    if (!known) {
        show_attendance(req, res, 422, form_str(f, "course"), NULL,
                        tr(req->lang, "attendance.choose_person"));
        return;
    }
    if (!name_match_set(slug, form_str(f, "name_key"), application, req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    back_to_attendance(req, res, slug, form_str(f, "course"));
}

static const struct field_spec unmatch_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "name_key", .v = V_LINE, .required = true, .max_len = 250},
};
const struct form_spec attendance_unmatch_form = FORM_SPEC(unmatch_fields);

/* Takes back a "not a participant" decision. */
void admin_attendance_unmatch(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    if (!f->ok) {
        res_error(req, res, 422, "error.form");
        return;
    }
    if (!name_match_forget(slug, form_str(f, "name_key"), req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    back_to_attendance(req, res, slug, form_str(f, "course"));
}

static const struct field_spec override_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "day", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "minutes", .v = V_INT, .required = true, .min = 0, .max = 24 * 60},
    {.name = "reason", .v = V_LINE, .required = true, .max_len = 500},
};
const struct form_spec attendance_override_form = FORM_SPEC(override_fields);

void admin_attendance_override(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    char edition[128], course[128];
    if (!f->ok || !enrolment_course(form_int(f, "enrolment"), edition, sizeof edition, course,
                                    sizeof course) ||
        strcmp(edition, slug) != 0) {
        show_attendance(req, res, 422, *form_str(f, "course") ? form_str(f, "course") : NULL, NULL,
                        tr(req->lang, "attendance.override_invalid"));
        return;
    }
    if (!attendance_override_set(form_int(f, "enrolment"), form_int(f, "day"),
                                 (int)form_int(f, "minutes"), form_str(f, "reason"),
                                 req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

/* The grid as a table: one row per participant, minutes per day. */
static bool attendance_table(request *req, json_t **headers, json_t **rows)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p)
        return false;
    json_t *grid = attendance_grid(req, slug, chosen_course(req, p));
    if (!grid)
        return false;
    *headers = json_pack("[s, s]", tr(req->lang, "review.candidate"), tr(req->lang, "field.email"));
    size_t i, j;
    json_t *d, *r, *cell;
    json_array_foreach(json_object_get(grid, "days"), i, d)
        json_array_append_new(*headers, json_sprintf("%s (min)", json_string_value(json_object_get(d, "date"))));
    json_array_append_new(*headers, json_string(tr(req->lang, "attendance.total")));
    json_array_append_new(*headers, json_string("%"));
    json_array_append_new(*headers, json_string(tr(req->lang, "attendance.met")));
    *rows = json_array();
    json_array_foreach(json_object_get(grid, "rows"), i, r) {
        json_t *row = json_pack("[O, O]", json_object_get(r, "name"), json_object_get(r, "email"));
        json_array_foreach(json_object_get(r, "days"), j, cell)
            json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(cell, "minutes"))));
        json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(r, "minutes"))));
        json_array_append_new(row, json_sprintf("%lld", (long long)json_integer_value(json_object_get(r, "percent"))));
        json_array_append_new(row, json_string(tr(req->lang, json_is_true(json_object_get(r, "met")) ? "attendance.yes" : "attendance.no")));
        json_array_append_new(*rows, row);
    }
    return true;
}

void admin_attendance_csv(request *req, response *res)
{
    json_t *headers, *rows;
    if (!attendance_table(req, &headers, &rows)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    strbuf out;
    sb_init(&out, req->a);
    table_csv(&out, headers, rows);
    res_text(res, 200, "text/csv; charset=utf-8", sb_str(&out), out.len);
    res_header(res, "Content-Disposition", "attachment; filename=\"attendance.csv\"");
    res->no_store = true;
}

void admin_attendance_xlsx(request *req, response *res)
{
    json_t *headers, *rows;
    if (!attendance_table(req, &headers, &rows)) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    send_xlsx(req, res, tr(req->lang, "attendance.title"), headers, rows, "attendance.xlsx");
}

static const struct field_spec revoke_link_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec revoke_link_form = FORM_SPEC(revoke_link_fields);

/* A join link that leaked is revoked; /me then makes a new one. */
void admin_revoke_join_link(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    char edition[128], course[128];
    if (!f->ok || !enrolment_course(form_int(f, "enrolment"), edition, sizeof edition, course,
                                    sizeof course) || strcmp(edition, slug) != 0) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    if (!join_link_revoke(form_int(f, "enrolment"))) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(req->user.email, "join_link.revoke", arena_printf(req->a, "enrolment:%lld",
                                                           (long long)form_int(f, "enrolment")), NULL);
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/attendance?course=%s&done=1", slug, course));
}

/* GET /api/v1/events/{slug}/attendance */
void api_attendance(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_load(slug, true);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        const char *course = json_string_value(json_object_get(c, "slug"));
        json_t *grid = attendance_grid(req, slug, course);
        size_t j, k;
        json_t *r, *cell;
        json_array_foreach(json_object_get(grid, "rows"), j, r) {
            json_t *days = json_array();
            json_array_foreach(json_object_get(r, "days"), k, cell) {
                json_t *d = json_array_get(json_object_get(grid, "days"), k);
                json_array_append_new(days, json_pack("{s:O, s:O, s:O}", "date",
                    json_object_get(d, "date"), "minutes", json_object_get(cell, "minutes"),
                    "scheduled", json_object_get(d, "scheduled")));
            }
            json_array_append_new(out, json_pack("{s:O, s:O, s:s, s:o, s:O, s:O}", "participant",
                json_object_get(r, "application_id"), "email", json_object_get(r, "email"),
                "course", course, "days", days, "minutes", json_object_get(r, "minutes"),
                "rule_met", json_object_get(r, "met")));
        }
    }
    res_json(req, res, 200, out);
    res->no_store = true;
}
