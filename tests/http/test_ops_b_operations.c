/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The operations of src/app/ for attendance, applications, material and
 * programme editing, called directly in this process against a demo data
 * directory that a real server serves at the same time: each refusal gives
 * its kind and message key and changes nothing; and what the command line,
 * the console (over HTTP) and the operation store for the same Zoom report
 * are the same rows, as the same operation stores them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/applications.h"
#include "app/attendance.h"
#include "app/material.h"
#include "app/programme.h"
#include "base/arena.h"
#include "pages/admin_entities.h"
#include "store/db.h"
#include "store/outbox_store.h"
#include "harness.h"
#include "import_preview.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static arena *mem;

static int group_setup(void **state)
{
    (void)state;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    temp_dir(data_dir, sizeof data_dir);
    prepare_demo(data_dir);
    add_registered_participant(data_dir, "ana.perez@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "nunez@example.org", "cyberdiplomacy");
    if (!serve_start(&srv, data_dir))
        return -1;
    /* This process opens the same database as the server. */
    json_arena_init();
    static char db[400];
    snprintf(db, sizeof db, "%s/aula.db", data_dir);
    db_configure(db);
    app_configure(&(struct app_config){.data_dir = data_dir, .max_upload = 1u << 30});
    mem = arena_new(256u * 1024 * 1024);
    /* What the operations build (JSON too) lives in the arena, as in a
     * request or a command. */
    arena_set_current(mem);
    return mem && sign_in(&srv, "admin%40example.org", "admin-password-1", admin, sizeof admin,
                          atoken, sizeof atoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    db_close_all();
    arena_set_current(NULL);
    arena_free(mem);
    int rc = serve_stop(&srv, 5000);
    remove_tree(data_dir);
    curl_global_cleanup();
    return rc == 0 ? 0 : -1;
}

/* The context of a test acting as "ops-b-test" (account id actor_id). */
static struct app_ctx ctx_as(int64_t actor_id)
{
    struct app_ctx c = app_ctx_system(mem, LANG_EN, "ops-b-test");
    c.actor_id = actor_id;
    return c;
}

static void assert_refused(bool ok, const struct app_err *err, app_status kind, const char *key)
{
    assert_false(ok);
    assert_int_equal(err->kind, kind);
    assert_string_equal(err->key, key);
}

static long sql_long(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static long sql_long(const char *fmt, ...)
{
    char q[1200], out[64] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    db_query(data_dir, q, out, sizeof out);
    return atol(out);
}

static void sql_text(char *out, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sql_text(char *out, size_t n, const char *fmt, ...)
{
    char q[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    db_query(data_dir, q, out, n);
}

/* ---- attendance ---- */

static char file[65536];
static size_t file_len;
static char report_path[400];

/* The Portuguese re-save of a Zoom report, moved to 22 March 2022 (a day
 * of the demo's cyberdiplomacy course), also written to DATA/pt22.csv. */
static void load_report(void)
{
    char path[512];
    source_path("tests/fixtures/zoom/meeting_pt_resaved.csv", path, sizeof path);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    file_len = fread(file, 1, sizeof file, f);
    fclose(f);
    for (size_t i = 0; i + 10 <= file_len; i++)
        if (memcmp(file + i, "08/03/2022", 10) == 0)
            memcpy(file + i, "22", 2);
    snprintf(report_path, sizeof report_path, "%s/pt22.csv", data_dir);
    f = fopen(report_path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(file, 1, file_len, f), file_len);
    fclose(f);
}

#define DAY_22                                                                                  \
    " FROM attendance_import i JOIN course_day d ON d.id = i.course_day_id"                   \
    " JOIN course c ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy'"                    \
    " AND d.day = '2022-03-22'"

/* The rows stored for 22 March, in file order, as one text. */
static void rows_of_22(char *out, size_t n)
{
    sql_text(out, n,
             "SELECT coalesce(group_concat(x, ';'), '-') FROM (SELECT r.line || '|' ||"
             " coalesce(r.name, '') || '|' || coalesce(r.original_name, '') || '|' ||"
             " coalesce(r.email, '') || '|' || r.join_utc || '|' || r.leave_utc || '|' ||"
             " r.waiting_room || '|' || r.guest AS x FROM attendance_row r WHERE r.import_id ="
             " (SELECT i.id" DAY_22 ") ORDER BY r.line)");
}

static void attendance_refusals_give_kind_and_key(void **state)
{
    (void)state;
    load_report();
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    struct attendance_refusal why = {0};
    char before[4096], after[4096];
    import_fingerprint(data_dir, before, sizeof before);

    /* A day the course does not have. */
    struct attendance_report in = {.edition = "sela-2022", .course = "cyberdiplomacy",
                                   .date = "2001-01-01", .tz = "America/Caracas",
                                   .path = report_path, .file_name = "pt22.csv"};
    assert_refused(attendance_import(&c, &in, NULL, NULL, &why, &err), &err, APP_NOT_FOUND,
                   "attendance.import_failed");
    assert_non_null(strstr(why.why, "cyberdiplomacy has no day 2001-01-01 in sela-2022"));
    assert_null(attendance_summary(&c, &in, &why, &err));
    assert_int_equal(err.kind, APP_NOT_FOUND);

    /* A file that cannot be read. */
    in.date = "2022-03-22";
    in.path = "/nonexistent/report.csv";
    why.why = NULL;
    assert_refused(attendance_import(&c, &in, NULL, NULL, &why, &err), &err, APP_INVALID,
                   "attendance.import_failed");
    assert_non_null(strstr(why.why, "cannot read /nonexistent/report.csv"));
    /* The explanation is in the context's language. */
    c.lang = LANG_ES;
    assert_refused(attendance_import(&c, &in, NULL, NULL, &why, &err), &err, APP_INVALID,
                   "attendance.import_failed");
    assert_non_null(strstr(why.why, "no se puede leer"));
    c.lang = LANG_EN;

    /* A report that is not a Zoom report. */
    char junk[400];
    snprintf(junk, sizeof junk, "%s/junk.csv", data_dir);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("a,b,c\n1,2,3\n", f);
    fclose(f);
    in.path = junk;
    assert_refused(attendance_import(&c, &in, NULL, NULL, &why, &err), &err, APP_INVALID,
                   "attendance.import_failed");
    assert_true(strlen(why.why) > 0);
    import_fingerprint(data_dir, after, sizeof after);
    assert_string_equal(after, before);

    /* Matching a row to someone who is not a participant of the course. */
    long stranger = sql_long("SELECT max(id) + 1000 FROM application");
    assert_refused(attendance_match(&c, "sela-2022", "cyberdiplomacy", "someone", stranger, &err),
                   &err, APP_INVALID, "attendance.choose_person");
    assert_int_equal(sql_long("SELECT count(*) FROM name_match WHERE name_key = 'someone'"), 0);

    /* An override of an enrolment that is not of the edition. */
    char course[128] = "";
    long enrolment = sql_long("SELECT max(id) + 1000 FROM enrolment");
    long day = sql_long("SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id"
                        " WHERE c.slug = 'cyberdiplomacy' AND d.day = '2022-03-22'");
    assert_refused(attendance_override(&c, "sela-2022", enrolment, day, 30, "r", course,
                                       sizeof course, &err),
                   &err, APP_INVALID, "attendance.override_invalid");
    long ana = sql_long("SELECT e.id FROM enrolment e JOIN application a ON a.id = e.application_id"
                        " WHERE a.email = 'ana.perez@example.org'");
    assert_refused(attendance_override(&c, "other-edition", ana, day, 30, "r", course,
                                       sizeof course, &err),
                   &err, APP_INVALID, "attendance.override_invalid");
    assert_int_equal(sql_long("SELECT count(*) FROM attendance_override"), 0);
    /* And one that is, with the course it names. */
    assert_true(attendance_override(&c, "sela-2022", ana, day, 30, "came by phone", course,
                                    sizeof course, &err));
    assert_string_equal(course, "cyberdiplomacy");
    assert_int_equal(sql_long("SELECT minutes FROM attendance_override WHERE enrolment_id = %ld",
                              ana), 30);
    db_query(data_dir, "DELETE FROM attendance_override", NULL, 0);

    /* The grid of a course the edition does not have. */
    assert_null(attendance_grid_of(&c, "sela-2022", "no-such-course", &err));
    assert_int_equal(err.kind, APP_NOT_FOUND);
    assert_string_equal(err.key, "error.no_course");
}

/* Uploads the report for 22 March in the console and confirms it. */
static long console_import(void)
{
    static char body[80000];
    size_t len = (size_t)snprintf(body, sizeof body,
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\ncyberdiplomacy\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"date\"\r\n\r\n2022-03-22\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"time_zone\"\r\n\r\nAmerica/Caracas\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"pt22.csv\"\r\n"
        "Content-Type: text/csv\r\n\r\n", atoken);
    memcpy(body + len, file, file_len);
    len += file_len;
    len += (size_t)snprintf(body + len, sizeof body - len, "\r\n--XyZ--\r\n");
    char url[300], before[4096];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/attendance/import", srv.origin);
    const char *h[] = {admin, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    import_fingerprint(data_dir, before, sizeof before);
    struct http_response r;
    assert_true(http("POST", url, h, body, len, &r));
    long status = confirm_upload(&srv, data_dir, before, "sela-2022", admin, atoken, NULL, &r);
    http_free(&r);
    return status;
}

static void cli_console_and_operation_store_the_same_rows(void **state)
{
    (void)state;
    load_report();
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    struct attendance_refusal why = {0};
    struct attendance_report in = {.edition = "sela-2022", .course = "cyberdiplomacy",
                                   .date = "2022-03-22", .tz = "America/Caracas",
                                   .path = report_path, .file_name = "pt22.csv"};
    size_t rows = 0;
    const char *note = "unset";
    assert_true(attendance_import(&c, &in, &rows, &note, &why, &err));
    assert_int_equal(rows, 8);
    assert_null(note);
    static char by_op[8192], by_cli[8192], by_console[8192];
    rows_of_22(by_op, sizeof by_op);
    assert_int_equal(sql_long("SELECT i.rows" DAY_22), 8);
    char who[128];
    sql_text(who, sizeof who, "SELECT i.file_name || '|' || i.imported_by" DAY_22);
    assert_string_equal(who, "pt22.csv|ops-b-test");

    /* The command line replaces it with the same rows. */
    setenv("LANG", "C", 1);
    char out[2048];
    assert_int_equal(run_aula(NULL, out, sizeof out, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-22", "--tz", "America/Caracas", report_path, NULL),
                     0);
    assert_non_null(strstr(out, "imported 8 rows for cyberdiplomacy on 2022-03-22"));
    rows_of_22(by_cli, sizeof by_cli);
    assert_string_equal(by_cli, by_op);
    sql_text(who, sizeof who, "SELECT i.file_name || '|' || i.imported_by" DAY_22);
    assert_string_equal(who, "pt22.csv|cli");

    /* And the console, through its preview and confirmation. */
    assert_int_equal(console_import(), 303);
    rows_of_22(by_console, sizeof by_console);
    assert_string_equal(by_console, by_op);
    sql_text(who, sizeof who, "SELECT i.file_name || '|' || i.imported_by" DAY_22);
    assert_string_equal(who, "pt22.csv|admin@example.org");

    /* The dry run's text is the operation's summary, and changes nothing. */
    char before[4096], after[4096];
    import_fingerprint(data_dir, before, sizeof before);
    const char *text = NULL;
    assert_true(attendance_summary_text(&c, &in, &text, &why, &err));
    static char dry[8192];
    assert_int_equal(run_aula(NULL, dry, sizeof dry, "attendance", "import", "--data", data_dir,
                              "--event", "sela-2022", "--course", "cyberdiplomacy", "--date",
                              "2022-03-22", "--tz", "America/Caracas", "--dry-run", report_path,
                              NULL),
                     0);
    /* The replaced import's time differs by the second it was made in: the
     * lines before the warnings are compared. */
    const char *cut = strstr(text, "Warning");
    size_t n = cut ? (size_t)(cut - text) : strlen(text);
    assert_true(n > 100);
    assert_int_equal(strncmp(dry, text, n), 0);
    import_fingerprint(data_dir, after, sizeof after);
    assert_string_equal(after, before);
}

/* The grid the operation computes is the one the console shows. */
static void grid_of_operation_is_the_consoles(void **state)
{
    (void)state;
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    json_t *grid = attendance_grid_of(&c, "sela-2022", "cyberdiplomacy", &err);
    assert_non_null(grid);
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/attendance?course=cyberdiplomacy&format=json",
                         h, &r));
    assert_int_equal(r.status, 200);
    json_t *page = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    assert_non_null(page);
    json_t *rows = json_object_get(grid, "rows"), *prows = json_object_get(page, "rows");
    assert_int_equal(json_array_size(rows), 2);
    assert_int_equal(json_array_size(prows), json_array_size(rows));
    long total = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *a = json_array_get(rows, i), *b = json_array_get(prows, i);
        assert_string_equal(json_string_value(json_object_get(a, "email")),
                            json_string_value(json_object_get(b, "email")));
        assert_int_equal(json_integer_value(json_object_get(a, "minutes")),
                         json_integer_value(json_object_get(b, "minutes")));
        total += (long)json_integer_value(json_object_get(a, "minutes"));
    }
    assert_true(total > 0);
    assert_int_equal(json_integer_value(json_object_get(grid, "scheduled")),
                     json_integer_value(json_object_get(page, "scheduled")));
    json_decref(page);
}

/* ---- applications ---- */

/* A message for whatever is queued: the operations need something that
 * draws it (the pages' renderer needs a request). */
static bool plain_message(void *ud, const char *kind, int64_t application_id, json_t *extra,
                          struct message *out)
{
    (void)ud, (void)application_id, (void)extra;
    out->to_addr = "candidate@example.org";
    out->language = "en";
    out->subject = kind;
    out->body_text = "text";
    out->body_html = "<p>text</p>";
    return true;
}

/* A candidate of the demo edition with one course in status. */
static long add_applicant(const char *email, const char *course, const char *status)
{
    add_registered_participant(data_dir, email, course);
    char q[400];
    snprintf(q, sizeof q, "UPDATE enrolment SET status = '%s' WHERE application_id ="
             " (SELECT id FROM application WHERE email = '%s')", status, email);
    db_query(data_dir, q, NULL, 0);
    return sql_long("SELECT e.id FROM enrolment e JOIN application a ON a.id = e.application_id"
                    " WHERE a.email = '%s'", email);
}

static void status_of(long enrolment, char *out, size_t n)
{
    sql_text(out, n, "SELECT status FROM enrolment WHERE id = %ld", enrolment);
}

static void decisions_refuse_and_decide(void **state)
{
    (void)state;
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    long e = add_applicant("decided@example.org", "techplomacy", "submitted");
    struct decision_row row = {e, NULL};
    enum decision_outcome o = DECISION_DONE;
    int decided = -1;
    char st[32];

    /* Not a decision. */
    assert_refused(applications_decide(&c, "sela-2022", &row, 1, ENROL_REGISTERED, NULL,
                                       plain_message, NULL, &o, &decided, &err),
                   &err, APP_INVALID, "error.invalid");
    /* A note longer than the API allows. */
    char note[2100];
    memset(note, 'x', sizeof note - 1);
    note[sizeof note - 1] = '\0';
    assert_refused(applications_decide(&c, "sela-2022", &row, 1, ENROL_WAITLISTED, note,
                                       plain_message, NULL, &o, &decided, &err),
                   &err, APP_INVALID, "error.invalid");
    /* A row of another edition is not found. */
    assert_true(applications_decide(&c, "other-edition", &row, 1, ENROL_WAITLISTED, NULL,
                                    plain_message, NULL, &o, &decided, &err));
    assert_int_equal(o, DECISION_NOT_FOUND);
    assert_int_equal(decided, 0);
    /* A row changed since the page showed it is left alone. */
    row.expected = "accepted@2001-01-01T00:00:00Z";
    assert_true(applications_decide(&c, "sela-2022", &row, 1, ENROL_WAITLISTED, NULL,
                                    plain_message, NULL, &o, &decided, &err));
    assert_int_equal(o, DECISION_STALE);
    assert_string_equal(decision_outcome_key(o), "bulk.stale_row");
    status_of(e, st, sizeof st);
    assert_string_equal(st, "submitted");
    assert_int_equal(sql_long("SELECT count(*) FROM outbox WHERE kind LIKE 'decision.%%'"
                              " AND to_addr = 'candidate@example.org'"), 0);

    /* As it is: decided, audited as the actor, the message queued with it. */
    row.expected = NULL;
    assert_true(applications_decide(&c, "sela-2022", &row, 1, ENROL_WAITLISTED, "Soon",
                                    plain_message, NULL, &o, &decided, &err));
    assert_int_equal(o, DECISION_DONE);
    assert_int_equal(decided, 1);
    status_of(e, st, sizeof st);
    assert_string_equal(st, "waitlisted");
    assert_int_equal(sql_long("SELECT count(*) FROM outbox WHERE kind = 'decision.waitlisted'"
                              " AND to_addr = 'candidate@example.org'"), 1);
    assert_int_equal(sql_long("SELECT count(*) FROM audit_log WHERE actor = 'ops-b-test'"
                              " AND action = 'enrolment.waitlisted' AND subject = 'enrolment:%ld'",
                              e), 1);
    /* Again: unchanged, named as the API names it. */
    assert_true(applications_decide(&c, NULL, &row, 1, ENROL_WAITLISTED, NULL, plain_message,
                                    NULL, &o, &decided, &err));
    assert_int_equal(o, DECISION_UNCHANGED);
    assert_string_equal(decision_outcome_name(o), "unchanged");
}

/* The API's decision is the same operation: the same outcomes by name. */
static void api_decides_through_the_operation(void **state)
{
    (void)state;
    char token[256];
    assert_int_equal(run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                              "admin@example.org", NULL), 0);
    token[strcspn(token, "\n")] = '\0';
    char auth[300], url[300];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    long e = add_applicant("by-api@example.org", "techplomacy", "submitted");
    snprintf(url, sizeof url, "%s/api/v1/applications/%ld/decision", srv.origin,
             sql_long("SELECT application_id FROM enrolment WHERE id = %ld", e));
    const char *h[] = {auth, "Content-Type: application/json", NULL};
    const char *waitlist = "{\"status\": \"waitlisted\"}";
    struct http_response r;
    assert_true(http("POST", url, h, waitlist, strlen(waitlist), &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"result\": \"done\""));
    http_free(&r);
    char st[32];
    status_of(e, st, sizeof st);
    assert_string_equal(st, "waitlisted");
    assert_true(http("POST", url, h, waitlist, strlen(waitlist), &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"result\": \"unchanged\""));
    http_free(&r);
    /* What the operation refuses, the API answers 400. */
    const char *registered = "{\"status\": \"registered\"}";
    assert_true(http("POST", url, h, registered, strlen(registered), &r));
    assert_int_equal(r.status, 400);
    http_free(&r);
    status_of(e, st, sizeof st);
    assert_string_equal(st, "waitlisted");
}

static void applying_registering_and_withdrawing_refuse(void **state)
{
    (void)state;
    struct app_err err;
    const char *courses[] = {"techplomacy"};
    struct application_input in = {
        .edition_slug = "sela-2022", .email = "early@example.org", .form_of_address = "ms",
        .given_names = "Early", .family_names = "Bird", .gender = "female", .country = "VE",
        .institution_type = "academia", .institution = "U", .position = "P", .language = "en",
        .submission_key = "early-1", .courses = courses, .ncourses = 1};
    int64_t id = -1;
    /* Before the applications open (the clock at 1970). */
    struct app_ctx c = ctx_as(0);
    c.now = 0;
    assert_refused(application_apply(&c, &in, plain_message, NULL, &id, &err), &err, APP_CONFLICT,
                   "apply.closed");
    assert_int_equal(sql_long("SELECT count(*) FROM application WHERE email = 'early@example.org'"),
                     0);
    c.now = time(NULL);
    /* An edition not published takes none. */
    db_query(data_dir, "UPDATE edition SET status = 'draft' WHERE slug = 'sela-2022'", NULL, 0);
    bool refused = application_apply(&c, &in, plain_message, NULL, &id, &err);
    db_query(data_dir, "UPDATE edition SET status = 'published' WHERE slug = 'sela-2022'", NULL, 0);
    assert_refused(refused, &err, APP_NOT_FOUND, "error.no_edition");
    assert_int_equal(sql_long("SELECT count(*) FROM application WHERE email = 'early@example.org'"),
                     0);
    in.edition_slug = "no-such-edition";
    assert_refused(application_apply(&c, &in, plain_message, NULL, &id, &err), &err, APP_NOT_FOUND,
                   "error.no_edition");
    /* Open: filed, with its message; the same email again is a duplicate. */
    in.edition_slug = "sela-2022";
    assert_true(application_apply(&c, &in, plain_message, NULL, &id, &err));
    assert_true(id > 0);
    assert_int_equal(sql_long("SELECT id FROM application WHERE email = 'early@example.org'"), id);
    assert_int_equal(sql_long("SELECT count(*) FROM outbox WHERE application_id = %lld",
                              (long long)id), 1);
    in.submission_key = "early-2";
    assert_refused(application_apply(&c, &in, plain_message, NULL, &id, &err), &err, APP_CONFLICT,
                   "apply.duplicate");
    assert_int_equal(sql_long("SELECT count(*) FROM application WHERE email = 'early@example.org'"),
                     1);

    /* Registering for someone else's application. */
    long mine = add_applicant("accepted@example.org", "techplomacy", "accepted");
    long app = sql_long("SELECT application_id FROM enrolment WHERE id = %ld", mine);
    long account = sql_long("SELECT account_id FROM application WHERE id = %ld", app);
    int64_t confirm[] = {mine};
    struct registration_details reg = {.city = "Caracas", .time_zone = "America/Caracas",
                                       .confirm = confirm, .nconfirm = 1};
    struct app_ctx other = ctx_as(account + 1000);
    assert_refused(application_register(&other, app, &reg, plain_message, NULL, &err), &err,
                   APP_NOT_FOUND, "error.not_found");
    char st[32];
    status_of(mine, st, sizeof st);
    assert_string_equal(st, "accepted");
    /* A zone that does not exist. */
    struct app_ctx own = ctx_as(account);
    reg.time_zone = "Mars/Olympus";
    assert_refused(application_register(&own, app, &reg, plain_message, NULL, &err), &err,
                   APP_INVALID, "error.timezone");
    reg.time_zone = "America/Caracas";
    assert_true(application_register(&own, app, &reg, plain_message, NULL, &err));
    status_of(mine, st, sizeof st);
    assert_string_equal(st, "registered");

    /* Withdrawing: not someone else's, not once the course began (March
     * 2022 is past), and before it began, yes. */
    assert_refused(application_withdraw(&other, mine, plain_message, NULL, &err), &err,
                   APP_NOT_FOUND, "error.not_found");
    assert_refused(application_withdraw(&own, mine, plain_message, NULL, &err), &err, APP_CONFLICT,
                   "me.withdraw_closed");
    status_of(mine, st, sizeof st);
    assert_string_equal(st, "registered");
    own.now = 1577836800; /* 2020-01-01 */
    assert_true(application_withdraw(&own, mine, plain_message, NULL, &err));
    status_of(mine, st, sizeof st);
    assert_string_equal(st, "withdrawn");
}

/* ---- material ---- */

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
static const char SHA_PDF[] = "0000000000000000000000000000000000000000000000000000000000abcdef";

/* An uploaded file as the server leaves it in DATA/tmp. */
static struct material_upload upload_of(const char *bytes, size_t n, const char *name)
{
    static char path[400];
    static int n_uploads;
    snprintf(path, sizeof path, "%s/tmp-upload-%d", data_dir, ++n_uploads);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
    return (struct material_upload){.edition = "sela-2022", .course = "cyberdiplomacy",
                                    .title_en = "Slides", .visible_from = "", .tmp_path = path,
                                    .file_name = name, .sha256 = SHA_PDF, .size = n,
                                    .present = true};
}

static void material_refusals_and_upload(void **state)
{
    (void)state;
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    int64_t id = -1;
    struct material_upload in = upload_of(PDF, sizeof PDF - 1, "slides.pdf");
    assert_refused(material_upload(&c, MATERIAL_READER, &in, &id, &err), &err, APP_FORBIDDEN,
                   "materials.not_trainer");
    in.title_en = "";
    assert_refused(material_upload(&c, MATERIAL_MANAGER, &in, &id, &err), &err, APP_INVALID,
                   "materials.no_title");
    in.title_en = "Slides";
    in.present = false;
    assert_refused(material_upload(&c, MATERIAL_MANAGER, &in, &id, &err), &err, APP_INVALID,
                   "materials.no_file");
    static const char ELF[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0\x3e\0";
    struct material_upload bad = upload_of(ELF, sizeof ELF - 1, "run.pdf");
    assert_refused(material_upload(&c, MATERIAL_MANAGER, &bad, &id, &err), &err, APP_INVALID,
                   "materials.bad_type");
    in = upload_of(PDF, sizeof PDF - 1, "slides.pdf");
    in.course = "no-such-course";
    assert_refused(material_upload(&c, MATERIAL_MANAGER, &in, &id, &err), &err, APP_NOT_FOUND,
                   "error.no_course");
    assert_int_equal(sql_long("SELECT count(*) FROM material"), 0);
    const char *content = material_content_path(&c, SHA_PDF);
    struct stat sb;
    assert_int_not_equal(stat(content, &sb), 0);

    /* Kept under its content address, recorded as the actor's. */
    in = upload_of(PDF, sizeof PDF - 1, "../../slides.pdf");
    assert_true(material_upload(&c, MATERIAL_MANAGER, &in, &id, &err));
    assert_true(id > 0);
    char row[200];
    sql_text(row, sizeof row, "SELECT file_name || '|' || content_type || '|' || created_by"
             " FROM material WHERE id = %lld", (long long)id);
    assert_string_equal(row, "slides.pdf|application/pdf|ops-b-test");
    assert_int_equal(stat(content, &sb), 0);

    /* Who sees it: not someone who is neither staff nor participant. */
    bool staff = true;
    assert_null(materials_of_course(&c, MATERIAL_READER, "sela-2022", "cyberdiplomacy", &staff,
                                    &err));
    assert_int_equal(err.kind, APP_FORBIDDEN);
    assert_string_equal(err.key, "materials.not_participant");
    long ana = sql_long("SELECT account_id FROM application WHERE email = 'ana.perez@example.org'");
    struct app_ctx participant = ctx_as(ana);
    json_t *list = materials_of_course(&participant, MATERIAL_READER, "sela-2022",
                                       "cyberdiplomacy", &staff, &err);
    assert_non_null(list);
    assert_false(staff);
    assert_int_equal(json_array_size(list), 1);

    /* Deleting: not of another edition, not by a reader, then gone with
     * its content. */
    assert_refused(material_remove(&c, MATERIAL_MANAGER, "other-edition", id, &err), &err,
                   APP_NOT_FOUND, "error.not_found");
    assert_refused(material_remove(&c, MATERIAL_READER, "sela-2022", id, &err), &err,
                   APP_FORBIDDEN, "materials.not_trainer");
    assert_int_equal(sql_long("SELECT count(*) FROM material"), 1);
    assert_true(material_remove(&c, MATERIAL_MANAGER, "sela-2022", id, &err));
    assert_int_equal(sql_long("SELECT count(*) FROM material"), 0);
    assert_int_not_equal(stat(content, &sb), 0);
}

/* ---- programme ---- */

static void programme_editing_refuses_and_audits(void **state)
{
    (void)state;
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    const struct admin_entity *block = admin_entity("block"), *day = admin_entity("day");
    long d = sql_long("SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id"
                      " WHERE c.slug = 'cyberdiplomacy' ORDER BY d.day LIMIT 1");
    long blocks = sql_long("SELECT count(*) FROM time_block");
    int64_t id = -1;
    const char *backwards[] = {"12:00", "11:00", NULL};
    assert_refused(programme_item_create(&c, &block->def, &day->def, d, backwards, &id, &err),
                   &err, APP_INVALID, "error.block_order");
    const char *fine[] = {"22:00", "22:30", NULL};
    assert_refused(programme_item_create(&c, &block->def, &day->def, 999999, fine, &id, &err),
                   &err, APP_NOT_FOUND, "error.not_found");
    assert_refused(programme_item_update(&c, &block->def, 999999, fine, &err), &err,
                   APP_NOT_FOUND, "error.not_found");
    assert_int_equal(sql_long("SELECT count(*) FROM time_block"), blocks);

    assert_true(programme_item_create(&c, &block->def, &day->def, d, fine, &id, &err));
    assert_true(id > 0);
    char row[200];
    sql_text(row, sizeof row, "SELECT start_local || '-' || end_local FROM time_block WHERE id = %lld",
             (long long)id);
    assert_string_equal(row, "22:00-22:30");
    assert_int_equal(sql_long("SELECT count(*) FROM audit_log WHERE actor = 'ops-b-test' AND"
                              " action = 'programme.create' AND subject = 'block:%lld'",
                              (long long)id), 1);
    assert_refused(programme_item_update(&c, &block->def, id, backwards, &err), &err, APP_INVALID,
                   "error.block_order");
    sql_text(row, sizeof row, "SELECT start_local || '-' || end_local FROM time_block WHERE id = %lld",
             (long long)id);
    assert_string_equal(row, "22:00-22:30");

    /* People are assigned to sessions and courses only. */
    char edition[128] = "";
    assert_refused(programme_assign(&c, &block->def, id, 1, "speaker", true, edition,
                                    sizeof edition, &err),
                   &err, APP_NOT_FOUND, "error.not_found");

    assert_true(programme_item_delete(&c, &block->def, id, edition, sizeof edition, &err));
    assert_string_equal(edition, "sela-2022");
    assert_int_equal(sql_long("SELECT count(*) FROM time_block WHERE id = %lld", (long long)id), 0);
    assert_refused(programme_item_delete(&c, &block->def, id, edition, sizeof edition, &err),
                   &err, APP_NOT_FOUND, "error.not_found");
}

/* `aula import` refuses what the operation refuses, with its words. */
static void import_refuses_as_the_operation(void **state)
{
    (void)state;
    struct app_ctx c = ctx_as(0);
    struct app_err err;
    const char *text = "{\"edition\": {\"slug\": \"bad edition\"}}";
    json_t *root = json_loads(text, 0, NULL);
    assert_non_null(root);
    const char *why = NULL, *slug = "unset";
    long editions = sql_long("SELECT count(*) FROM edition");
    assert_refused(programme_import(&c, root, "bad.json", &slug, &why, &err), &err, APP_INVALID,
                   "programme.invalid");
    json_decref(root);
    assert_null(slug);
    assert_non_null(why);
    assert_true(strlen(why) > 3);
    char path[400];
    snprintf(path, sizeof path, "%s/bad.json", data_dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    char out[2048];
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", data_dir, path, NULL), 1);
    assert_non_null(strstr(out, why));
    assert_non_null(strstr(out, "(nothing was imported)"));
    assert_int_equal(sql_long("SELECT count(*) FROM edition"), editions);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(attendance_refusals_give_kind_and_key),
        cmocka_unit_test(cli_console_and_operation_store_the_same_rows),
        cmocka_unit_test(grid_of_operation_is_the_consoles),
        cmocka_unit_test(decisions_refuse_and_decide),
        cmocka_unit_test(api_decides_through_the_operation),
        cmocka_unit_test(applying_registering_and_withdrawing_refuse),
        cmocka_unit_test(material_refusals_and_upload),
        cmocka_unit_test(programme_editing_refuses_and_audits),
        cmocka_unit_test(import_refuses_as_the_operation),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
