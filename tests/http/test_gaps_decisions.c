/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Status changes of applications, held where they are stored: the audit
 * row of each change says who made it and from which status to which; the
 * waiting list is served in the order people joined it (not by id, and a
 * candidate put back on the list goes to its end); a decision's note is
 * left out when empty, kept whole at its longest and refused beyond it
 * or with characters the console refuses, with nothing decided. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char coord[400], coord_token[64];
static char admin[400], admin_token[64];
static char bearer[300];

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    if (!serve_start(&srv, data_dir))
        return -1;
    char token[200];
    if (run_aula(NULL, token, sizeof token, "token", "create", "--data", data_dir,
                 "admin@example.org", NULL) != 0)
        return -1;
    token[strcspn(token, "\n")] = '\0';
    snprintf(bearer, sizeof bearer, "Authorization: Bearer %s", token);
    if (!sign_in_admin(&srv, admin, sizeof admin, admin_token, sizeof admin_token))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, coord_token, sizeof coord_token) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

/* The first column of sql's first row, formatted from fmt. */
static char *sqlf(char *out, size_t n, const char *fmt, ...)
{
    char q[1200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(q, sizeof q, fmt, ap);
    va_end(ap);
    out[0] = '\0';
    db_query(data_dir, q, out, n);
    return out;
}

/* A candidate of sela-2022 with one course, in status status; the
 * enrolment's id. */
static long candidate(const char *email, const char *course, const char *status)
{
    char out[32];
    add_registered_participant(data_dir, email, course);
    sqlf(out, sizeof out, "UPDATE enrolment SET status = '%s' WHERE application_id ="
         " (SELECT id FROM application WHERE email = '%s')", status, email);
    return atol(sqlf(out, sizeof out, "SELECT en.id FROM enrolment en JOIN application a"
                     " ON a.id = en.application_id WHERE a.email = '%s'", email));
}

static const char *status_of(long enrolment, char *out, size_t n)
{
    return sqlf(out, n, "SELECT status FROM enrolment WHERE id = %ld", enrolment);
}

/* A decision through the API, with message (JSON text, may be NULL); the
 * HTTP status. */
static long api_decide(const char *email, const char *status, const char *message)
{
    char out[32], url[300];
    snprintf(url, sizeof url, "%s/api/v1/applications/%s/decision", srv.origin,
             sqlf(out, sizeof out, "SELECT id FROM application WHERE email = '%s'", email));
    json_t *body = json_pack("{s:s}", "status", status);
    if (message)
        json_object_set_new(body, "message", json_string(message));
    char *text = json_dumps(body, 0);
    json_decref(body);
    const char *h[] = {bearer, "Content-Type: application/json", NULL};
    struct http_response r;
    assert_true(http("POST", url, h, text, strlen(text), &r));
    free(text);
    long code = r.status;
    http_free(&r);
    return code;
}

/* A decision in the console, previewed and confirmed, as the coordinator;
 * message is urlencoded already.  The last response's status. */
static long console_decide(long enrolment, const char *decision, const char *message)
{
    static char body[16384];
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld&decision=%s&message=%s", coord_token,
             enrolment, decision, message);
    struct http_response r;
    bool confirmed = post_confirmed(&srv, coord, "/admin/events/sela-2022/applications", body, &r);
    long code = r.status;
    http_free(&r);
    return confirmed ? code : -code;
}

/* Waits for the clock's next second: stamps are to the second. */
static void next_second(void)
{
    time_t t = time(NULL);
    while (time(NULL) == t) {
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static long audit_rows(long enrolment)
{
    char out[32];
    return atol(sqlf(out, sizeof out, "SELECT count(*) FROM audit_log WHERE subject ="
                     " 'enrolment:%ld'", enrolment));
}

/* The newest audit row of the enrolment as "actor|action|detail". */
static const char *last_audit(long enrolment, char *out, size_t n)
{
    return sqlf(out, n, "SELECT actor || '|' || action || '|' || coalesce(detail, '(null)')"
                " FROM audit_log WHERE subject = 'enrolment:%ld' ORDER BY id DESC LIMIT 1",
                enrolment);
}

static void each_change_is_audited_with_who_from_and_to(void **state)
{
    (void)state;
    char out[300];
    long id = candidate("audited@example.org", "cyberdiplomacy", "submitted");
    assert_int_equal(audit_rows(id), 0);
    /* The coordinator accepts in the console. */
    assert_int_equal(console_decide(id, "accepted", ""), 303);
    assert_string_equal(status_of(id, out, sizeof out), "accepted");
    assert_int_equal(audit_rows(id), 1);
    assert_string_equal(last_audit(id, out, sizeof out),
                        "coordinator@example.org|enrolment.accepted|cyberdiplomacy: submitted -> accepted");
    /* The administrator's API token puts them on the waiting list. */
    assert_int_equal(api_decide("audited@example.org", "waitlisted", NULL), 200);
    assert_int_equal(audit_rows(id), 2);
    assert_string_equal(last_audit(id, out, sizeof out),
                        "admin@example.org|enrolment.waitlisted|cyberdiplomacy: accepted -> waitlisted");
    /* And rejects them. */
    assert_int_equal(api_decide("audited@example.org", "rejected", NULL), 200);
    assert_int_equal(audit_rows(id), 3);
    assert_string_equal(last_audit(id, out, sizeof out),
                        "admin@example.org|enrolment.rejected|cyberdiplomacy: waitlisted -> rejected");
    /* The same decision again changes nothing and records nothing. */
    assert_int_equal(api_decide("audited@example.org", "rejected", NULL), 200);
    assert_int_equal(audit_rows(id), 3);
    /* The log page says it in words, with the course's title. */
    struct http_response r;
    const char *h[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/audit?lang=en", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<td>Specialisation course on Cyberdiplomacy: Waiting list →"
                               " Not accepted</td>"));
    assert_null(strstr(r.body, "waitlisted -&gt; rejected"));
    http_free(&r);
}

static void the_waiting_list_is_served_in_the_order_people_joined_it(void **state)
{
    (void)state;
    char out[64], st[32];
    /* Techplomacy with one place, held.  Three wait; ids in the order they
     * applied, the list joined in another order. */
    long holder = candidate("holder@example.org", "techplomacy", "accepted");
    long early = candidate("applied-first@example.org", "techplomacy", "submitted");
    long middle = candidate("applied-second@example.org", "techplomacy", "submitted");
    long late = candidate("applied-last@example.org", "techplomacy", "submitted");
    assert_true(holder < early && early < middle && middle < late);
    sqlf(out, sizeof out, "UPDATE course SET capacity = 1 WHERE slug = 'techplomacy'");
    /* The last applicant joins the list first, the first one next, the
     * middle one last, each in a second of their own. */
    assert_int_equal(api_decide("applied-last@example.org", "waitlisted", NULL), 200);
    next_second();
    assert_int_equal(api_decide("applied-first@example.org", "waitlisted", NULL), 200);
    next_second();
    assert_int_equal(api_decide("applied-second@example.org", "waitlisted", NULL), 200);
    char t_late[32], t_early[32], t_middle[32];
    sqlf(t_late, sizeof t_late, "SELECT waitlisted_at FROM enrolment WHERE id = %ld", late);
    sqlf(t_early, sizeof t_early, "SELECT waitlisted_at FROM enrolment WHERE id = %ld", early);
    sqlf(t_middle, sizeof t_middle, "SELECT waitlisted_at FROM enrolment WHERE id = %ld", middle);
    assert_true(strcmp(t_late, t_early) < 0 && strcmp(t_early, t_middle) < 0);
    /* Deciding "waiting list" again keeps one's place. */
    next_second();
    assert_int_equal(api_decide("applied-last@example.org", "waitlisted", NULL), 200);
    assert_string_equal(sqlf(out, sizeof out, "SELECT waitlisted_at FROM enrolment WHERE id = %ld",
                             late), t_late);
    /* The place is freed: the one who joined first takes it, though applied last. */
    assert_int_equal(api_decide("holder@example.org", "rejected", NULL), 200);
    assert_string_equal(status_of(late, st, sizeof st), "accepted");
    assert_string_equal(status_of(early, st, sizeof st), "waitlisted");
    assert_string_equal(status_of(middle, st, sizeof st), "waitlisted");
    /* The promotion is audited as the system's, from and to. */
    assert_string_equal(last_audit(late, out, sizeof out),
                        "system|enrolment.promoted|techplomacy: waitlisted -> accepted");
    assert_string_equal(sqlf(out, sizeof out, "SELECT count(*) FROM outbox WHERE kind ="
                             " 'decision.promoted' AND application_id = (SELECT application_id"
                             " FROM enrolment WHERE id = %ld)", late), "1");
    /* Taken off the list and put back, the first applicant goes to its end. */
    next_second();
    assert_int_equal(api_decide("applied-first@example.org", "rejected", NULL), 200);
    assert_int_equal(api_decide("applied-first@example.org", "waitlisted", NULL), 200);
    assert_true(strcmp(sqlf(out, sizeof out, "SELECT waitlisted_at FROM enrolment WHERE id = %ld",
                            early), t_middle) > 0);
    assert_int_equal(api_decide("applied-last@example.org", "rejected", NULL), 200);
    assert_string_equal(status_of(middle, st, sizeof st), "accepted");
    assert_string_equal(status_of(early, st, sizeof st), "waitlisted");
    assert_string_equal(sqlf(out, sizeof out, "SELECT count(*) FROM outbox WHERE kind ="
                             " 'decision.promoted'"), "2");
}

/* A waiting list longer than one read: the head is found wherever its row is. */
static void a_long_waiting_list_keeps_its_head(void **state)
{
    (void)state;
    char out[32], st[32];
    /* After the test before: techplomacy's one place is held by the
     * middle applicant; the first applicant waits.  600 more wait, joined
     * later, and then one who joined before all of them, with the highest id. */
    sqlf(out, sizeof out, "INSERT INTO application (edition_id, account_id, email, form_of_address,"
         " given_names, family_names, gender, country, institution_type, institution, position,"
         " language, consent_at, submission_key, created_at) WITH RECURSIVE n(i) AS (SELECT 1"
         " UNION ALL SELECT i + 1 FROM n WHERE i < 600) SELECT a.edition_id, a.account_id,"
         " 'crowd' || i || '@example.org', a.form_of_address, a.given_names, a.family_names,"
         " a.gender, a.country, a.institution_type, a.institution, a.position, a.language,"
         " a.consent_at, 'crowd-' || i, a.created_at FROM n, application a"
         " WHERE a.email = 'holder@example.org'");
    sqlf(out, sizeof out, "INSERT INTO enrolment (application_id, course_id, status, status_at,"
         " waitlisted_at) SELECT ap.id, c.id, 'waitlisted', '2030-01-01T00:00:00Z',"
         " '2030-01-01T00:00:00Z' FROM application ap, course c WHERE ap.email LIKE 'crowd%%'"
         " AND c.slug = 'techplomacy'");
    long deep = candidate("deep@example.org", "techplomacy", "waitlisted");
    sqlf(out, sizeof out, "UPDATE enrolment SET waitlisted_at = '2020-01-01T00:00:00Z' WHERE id = %ld",
         deep);
    assert_string_equal(sqlf(out, sizeof out, "SELECT count(*) FROM enrolment WHERE status ="
                             " 'waitlisted' AND course_id = (SELECT id FROM course WHERE slug ="
                             " 'techplomacy')"), "602");
    assert_int_equal(api_decide("applied-second@example.org", "rejected", NULL), 200);
    assert_string_equal(status_of(deep, st, sizeof st), "accepted");
    assert_string_equal(sqlf(out, sizeof out, "SELECT count(*) FROM enrolment WHERE status ="
                             " 'waitlisted' AND course_id = (SELECT id FROM course WHERE slug ="
                             " 'techplomacy')"), "601");
}

/* How many decision messages of kind the candidate has, and whether the
 * newest one carries note (NULL: no note at all, in either language). */
static long messages(const char *email, const char *kind)
{
    char out[32];
    return atol(sqlf(out, sizeof out, "SELECT count(*) FROM outbox WHERE kind = '%s' AND"
                     " application_id = (SELECT id FROM application WHERE email = '%s')",
                     kind, email));
}

static void newest_note_is(const char *email, const char *kind, const char *note)
{
    char out[64];
    sqlf(out, sizeof out, "SELECT instr(body_text, 'Mensaje de la Secretaría') ||"
         " instr(body_text, 'Message from the Secretariat') FROM outbox WHERE kind = '%s' AND"
         " application_id = (SELECT id FROM application WHERE email = '%s') ORDER BY id DESC"
         " LIMIT 1", kind, email);
    if (!note) {
        assert_string_equal(out, "00");
        return;
    }
    assert_string_not_equal(out, "00");
    /* The note whole, and nothing after it but the line's end. */
    char *q = malloc(strlen(note) + 600);
    assert_non_null(q);
    sprintf(q, "SELECT instr(body_text, 'Secretaría: %s' || char(10)) > 0 FROM outbox WHERE"
            " kind = '%s' AND application_id = (SELECT id FROM application WHERE email = '%s')"
            " ORDER BY id DESC LIMIT 1", note, kind, email);
    db_query(data_dir, q, out, sizeof out);
    free(q);
    if (strcmp(out, "1") != 0)
        fail_msg("the note of %s's %s is not whole in the message", email, kind);
}

/* n bytes of note: "ñ" (two bytes each), then an "x" when n is odd. */
static char *note_of(size_t n, bool urlencoded)
{
    char *s = malloc(n * 3 + 2), *p = s;
    assert_non_null(s);
    for (size_t i = 0; i + 1 < n; i += 2)
        p += sprintf(p, urlencoded ? "%%C3%%B1" : "\xc3\xb1");
    if (n % 2)
        *p++ = 'x';
    *p = '\0';
    return s;
}

static void decision_notes_empty_longest_and_too_long(void **state)
{
    (void)state;
    char st[32];
    long a = candidate("note-a@example.org", "cyberdiplomacy", "submitted");
    long b = candidate("note-b@example.org", "cyberdiplomacy", "submitted");
    /* An empty note, or one of spaces only, is no note. */
    assert_int_equal(console_decide(a, "waitlisted", ""), 303);
    assert_int_equal(messages("note-a@example.org", "decision.waitlisted"), 1);
    newest_note_is("note-a@example.org", "decision.waitlisted", NULL);
    assert_int_equal(console_decide(a, "rejected", "%20%20%0D%0A%20"), 303);
    assert_int_equal(messages("note-a@example.org", "decision.rejected"), 1);
    newest_note_is("note-a@example.org", "decision.rejected", NULL);
    assert_int_equal(api_decide("note-b@example.org", "waitlisted", ""), 200);
    newest_note_is("note-b@example.org", "decision.waitlisted", NULL);
    assert_int_equal(api_decide("note-b@example.org", "rejected", "  \n "), 200);
    assert_int_equal(messages("note-b@example.org", "decision.rejected"), 1);
    newest_note_is("note-b@example.org", "decision.rejected", NULL);
    /* 2000 bytes (1000 characters ñ) is the longest: kept whole. */
    char *raw = note_of(2000, false), *enc = note_of(2000, true);
    assert_int_equal(console_decide(a, "accepted", enc), 303);
    assert_string_equal(status_of(a, st, sizeof st), "accepted");
    newest_note_is("note-a@example.org", "decision.accepted", raw);
    assert_int_equal(api_decide("note-b@example.org", "waitlisted", raw), 200);
    assert_int_equal(messages("note-b@example.org", "decision.waitlisted"), 2);
    newest_note_is("note-b@example.org", "decision.waitlisted", raw);
    free(raw), free(enc);
    /* One byte more is refused, saying why, and nothing is decided or sent. */
    raw = note_of(2001, false), enc = note_of(2001, true);
    long audits = audit_rows(a);
    char body[8000];
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld&decision=waitlisted&message=%s",
             coord_token, a, enc);
    struct http_response r;
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/applications", body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "El texto es demasiado largo."));
    assert_null(strstr(r.body, "bulk-confirm"));
    http_free(&r);
    assert_string_equal(status_of(a, st, sizeof st), "accepted");
    assert_int_equal(messages("note-a@example.org", "decision.waitlisted"), 1);
    assert_int_equal(audit_rows(a), audits);
    assert_int_equal(api_decide("note-b@example.org", "accepted", raw), 400);
    assert_string_equal(status_of(b, st, sizeof st), "waitlisted");
    assert_int_equal(messages("note-b@example.org", "decision.accepted"), 0);
    free(raw), free(enc);
    /* A note the console would refuse is refused by the API too: a bidi
     * override or a control character, and nothing is decided. */
    assert_int_equal(api_decide("note-b@example.org", "accepted", "Bienvenida \xe2\x80\xae"), 400);
    assert_int_equal(api_decide("note-b@example.org", "accepted", "Bienvenida \x07"), 400);
    assert_string_equal(status_of(b, st, sizeof st), "waitlisted");
    assert_int_equal(messages("note-b@example.org", "decision.accepted"), 0);
    /* Line ends and tabs are text. */
    assert_int_equal(api_decide("note-b@example.org", "accepted", "Bienvenida,\n\tAula"), 200);
    assert_string_equal(status_of(b, st, sizeof st), "accepted");
    newest_note_is("note-b@example.org", "decision.accepted", "Bienvenida,' || char(10) || char(9) || 'Aula");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_change_is_audited_with_who_from_and_to),
        cmocka_unit_test(the_waiting_list_is_served_in_the_order_people_joined_it),
        cmocka_unit_test(a_long_waiting_list_keeps_its_head),
        cmocka_unit_test(decision_notes_empty_longest_and_too_long),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
