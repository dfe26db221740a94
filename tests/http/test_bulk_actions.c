/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the console's bulk actions (issue 14, points 3 and 4):
 * decisions, invitations and certificates are previewed (people reached,
 * one message per language) and confirmed once; rows changed by a
 * colleague are refused; nothing to send is a message; the review list
 * searches without accents and exports every field. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char coord[400], ctoken[64];

static void sql(const char *q, char *out, size_t n)
{
    db_query(data_dir, q, out, n);
}

static long count_of(const char *q)
{
    char out[64] = "";
    sql(q, out, sizeof out);
    return atol(out);
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    /* Two candidates to decide on, one reading English, one named Pérez. */
    add_registered_participant(data_dir, "perez@example.org", "techplomacy");
    add_registered_participant(data_dir, "smith@example.org", "techplomacy");
    sql("UPDATE application SET given_names = 'José', family_names = 'Pérez Núñez',"
        " motivation = 'Quiero aprender; mucho' WHERE email = 'perez@example.org'", NULL, 0);
    sql("UPDATE application SET given_names = 'Jane', family_names = 'Smith', language = 'en'"
        " WHERE email = 'smith@example.org'", NULL, 0);
    sql("UPDATE enrolment SET status = 'submitted' WHERE application_id IN (SELECT id FROM"
        " application WHERE email IN ('perez@example.org', 'smith@example.org'))", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    /* A clean exit: under the sanitizers, no finding at exit either. */
    return demo_teardown(&srv, data_dir) == 0 ? 0 : -1;
}

static long enrolment_of(const char *email)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT en.id FROM enrolment en JOIN application a ON"
             " a.id = en.application_id WHERE a.email = '%s'", email);
    return count_of(q);
}

static void status_of(const char *email, char *out, size_t n)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT en.status FROM enrolment en JOIN application a ON"
             " a.id = en.application_id WHERE a.email = '%s'", email);
    sql(q, out, n);
}

static void search_ignores_accents_and_case(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    const char *finds[] = {"perez", "PEREZ", "pérez", "nunez", "jose perez"};
    for (size_t i = 0; i < sizeof finds / sizeof finds[0]; i++) {
        char path[200];
        char *enc = curl_easy_escape(NULL, finds[i], 0);
        snprintf(path, sizeof path, "/admin/events/sela-2022/applications?q=%s", enc);
        curl_free(enc);
        assert_true(get_path(&srv, path, h, &r));
        assert_int_equal(r.status, 200);
        assert_non_null(strstr(r.body, "perez@example.org"));
        assert_null(strstr(r.body, "smith@example.org"));
        http_free(&r);
    }
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?q=gonzalez", h, &r));
    assert_null(strstr(r.body, "perez@example.org"));
    http_free(&r);
    /* Countries are offered by name, never as a code to type. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications", h, &r));
    assert_non_null(strstr(r.body, "<option value=\"VE\">Venezuela"));
    http_free(&r);
}

static void dates_are_in_the_editions_zone(void **state)
{
    (void)state;
    /* 2026-01-01T00:00:00Z is 31 December, 20:00 in Caracas (UTC-4). */
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?q=perez", h, &r));
    assert_non_null(strstr(r.body, "2025-12-31 20:00"));
    assert_null(strstr(r.body, ">2026-01-01T00:00:00Z<"));
    http_free(&r);
    char path[100], id[32];
    sql("SELECT id FROM application WHERE email = 'perez@example.org'", id, sizeof id);
    snprintf(path, sizeof path, "/admin/applications/%s", id);
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<dd>2025-12-31 20:00</dd>"));
    http_free(&r);
}

static void sorting_by_name_folds_accents(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?course=techplomacy&sort=name&dir=asc",
                         h, &r));
    const char *p = strstr(r.body, "perez@example.org"), *s = strstr(r.body, "smith@example.org");
    assert_true(p && s && p < s);
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications?course=techplomacy&sort=name&dir=desc",
                         h, &r));
    p = strstr(r.body, "perez@example.org");
    s = strstr(r.body, "smith@example.org");
    assert_true(p && s && s < p);
    assert_non_null(strstr(r.body, "aria-sort=\"descending\""));
    http_free(&r);
}

static void export_carries_every_field_and_semicolons(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications.csv?q=perez&sep=semicolon", h,
                         &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, ";Motivación (breve);"));
    /* A cell holding the separator is quoted. */
    assert_non_null(strstr(r.body, "\"Quiero aprender; mucho\""));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications.csv?q=perez", h, &r));
    assert_non_null(strstr(r.body, ",Motivación (breve),"));
    assert_null(strstr(r.body, ";Motivación"));
    http_free(&r);
}

static void decision_is_previewed_then_confirmed_once(void **state)
{
    (void)state;
    long a = enrolment_of("perez@example.org"), b = enrolment_of("smith@example.org");
    char body[400], action[1024], confirm[8192], st[32];
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld&enrolment=%ld&decision=accepted&message=Hola",
             ctoken, a, b);
    struct http_response r;
    const char *path = "/admin/events/sela-2022/applications?course=techplomacy&q=e";
    assert_true(post_form(&srv, coord, path, body, &r));
    assert_int_equal(r.status, 200);
    /* How many, and one message in each language; nothing done yet. */
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">2</strong>"));
    assert_non_null(strstr(r.body, "Mensaje en español"));
    assert_non_null(strstr(r.body, "Mensaje en inglés"));
    assert_non_null(strstr(r.body, "<title>Confirmar las decisiones"));
    status_of("perez@example.org", st, sizeof st);
    assert_string_equal(st, "submitted");
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind LIKE 'decision.%'"), 0);
    assert_true(confirm_form(r.body, action, sizeof action, confirm, sizeof confirm));
    http_free(&r);
    /* Confirmed: done, back to the same filtered list. */
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 303);
    char loc[400];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_non_null(strstr(loc, "course=techplomacy"));
    assert_non_null(strstr(loc, "q=e"));
    assert_non_null(strstr(loc, "done=1"));
    http_free(&r);
    status_of("perez@example.org", st, sizeof st);
    assert_string_equal(st, "accepted");
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'decision.accepted'"), 2);
    /* The same confirmation again (double click): nothing twice. */
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'decision.accepted'"), 2);
    assert_int_equal(count_of("SELECT count(*) FROM audit_log WHERE action = 'enrolment.accepted'"), 2);
}

static void decision_on_a_row_changed_since_is_refused(void **state)
{
    (void)state;
    long a = enrolment_of("perez@example.org");
    char body[400], action[1024], confirm[8192], st[32];
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld&decision=rejected", ctoken, a);
    struct http_response r;
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/applications", body, &r));
    assert_int_equal(r.status, 200);
    assert_true(confirm_form(r.body, action, sizeof action, confirm, sizeof confirm));
    http_free(&r);
    /* A colleague puts the row on the waiting list meanwhile. */
    sql("UPDATE enrolment SET status = 'waitlisted', status_at = '2030-01-01T00:00:00Z'"
        " WHERE application_id = (SELECT id FROM application WHERE email = 'perez@example.org')",
        NULL, 0);
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body, "otra persona la cambió"));
    http_free(&r);
    status_of("perez@example.org", st, sizeof st);
    assert_string_equal(st, "waitlisted");
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'decision.rejected'"), 0);
}

static void nothing_to_invite_is_a_message(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "No hay invitaciones que enviar"));
    assert_null(strstr(r.body, "bulk-confirm"));
    http_free(&r);
    char body[100];
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations",
                          body, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "No hay invitaciones que enviar"));
    http_free(&r);
}

static void invitations_are_previewed_masked_and_sent_once(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "inv1@example.org", "cyberdiplomacy");
    struct http_response r;
    const char *h[] = {coord, NULL};
    char action[1024], confirm[8192];
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">1</strong>"));
    /* One reader of Spanish: the Spanish message, no English one. */
    assert_non_null(strstr(r.body, "Mensaje en español"));
    assert_null(strstr(r.body, "Mensaje en inglés"));
    /* The join link is masked, and the preview made none. */
    assert_non_null(strstr(r.body, "/j/\xe2\x80\xa2\xe2\x80\xa2"));
    assert_int_equal(count_of("SELECT count(*) FROM join_link"), 0);
    assert_true(confirm_form(r.body, action, sizeof action, confirm, sizeof confirm));
    http_free(&r);
    /* Someone registers between the preview and the confirmation. */
    add_registered_participant(data_dir, "inv2@example.org", "cyberdiplomacy");
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 409);
    assert_non_null(strstr(r.body, "La lista cambió"));
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'invitation'"), 0);
    assert_true(confirm_form(r.body, action, sizeof action, confirm, sizeof confirm));
    http_free(&r);
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 303);
    char loc[300];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_non_null(strstr(loc, "/admin/batches/"));
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'invitation'"), 2);
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'invitation'"), 2);
    const char *path = strstr(loc, "/admin/batches/");
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<h1>Envío de invitaciones</h1>"));
    http_free(&r);
}

static void schedule_changes_are_sent_after_a_preview(void **state)
{
    (void)state;
    char block[32], body[200], path[100];
    sql("SELECT b.id FROM time_block b JOIN course_day d ON d.id = b.day_id JOIN course c"
        " ON c.id = d.course_id WHERE c.slug = 'cyberdiplomacy' ORDER BY d.day, b.start_local"
        " LIMIT 1", block, sizeof block);
    snprintf(body, sizeof body, "csrf=%s&start_local=08%%3A30&end_local=09%%3A15", atoken);
    snprintf(path, sizeof path, "/admin/block/%s/edit", block);
    struct http_response r;
    assert_true(post_form(&srv, admin, path, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    /* Nobody is written to yet; the edition's page says why and where. */
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'invitation.update'"), 0);
    const char *ha[] = {admin, NULL}, *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022", ha, &r));
    assert_non_null(strstr(r.body, "/admin/events/sela-2022/invitation-updates"));
    http_free(&r);
    assert_true(get_path(&srv, "/admin/events/sela-2022/invitation-updates", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">2</strong>"));
    assert_non_null(strstr(r.body, "Cambio de horario"));
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_confirmed(&srv, coord, "/admin/events/sela-2022/invitation-updates", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM outbox WHERE kind = 'invitation.update'"), 2);
    assert_true(get_path(&srv, "/admin/events/sela-2022/invitation-updates", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "No hay invitaciones que actualizar"));
    http_free(&r);
}

static void certificates_are_previewed_and_titled(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    char action[1024], confirm[8192], q[400];
    assert_true(get_path(&srv, "/admin/events/sela-2022/certificates/issue?course=cyberdiplomacy",
                         h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "No hay certificados que emitir"));
    http_free(&r);
    long en = enrolment_of("inv1@example.org");
    snprintf(q, sizeof q, "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by,"
             " granted_at) VALUES (%ld, 'test', 'admin@example.org', '2026-01-01T00:00:00Z')", en);
    sql(q, NULL, 0);
    assert_true(get_path(&srv, "/admin/events/sela-2022/certificates/issue?course=cyberdiplomacy",
                         h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<strong class=\"js-count\">1</strong>"));
    assert_non_null(strstr(r.body, "Mensaje en español"));
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), 0);
    assert_true(confirm_form(r.body, action, sizeof action, confirm, sizeof confirm));
    http_free(&r);
    assert_true(post_form(&srv, coord, action, confirm, &r));
    assert_int_equal(r.status, 303);
    char loc[300];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    http_free(&r);
    assert_true(post_form(&srv, coord, action, confirm, &r));
    http_free(&r);
    assert_int_equal(count_of("SELECT count(*) FROM certificate"), 1);
    assert_true(get_path(&srv, strstr(loc, "/admin/batches/"), h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<h1>Envío de certificados</h1>"));
    assert_null(strstr(r.body, "Envío de invitaciones"));
    http_free(&r);
    /* A coordinator sees no grant or revoke control (administrators'). */
    assert_true(get_path(&srv, "/admin/events/sela-2022/certificates?course=cyberdiplomacy", h, &r));
    assert_null(strstr(r.body, "/certificates/revoke"));
    assert_null(strstr(r.body, "/certificates/grant"));
    http_free(&r);
    const char *ha[] = {admin, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/certificates?course=cyberdiplomacy", ha, &r));
    assert_non_null(strstr(r.body, "/certificates/revoke"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(search_ignores_accents_and_case),
        cmocka_unit_test(dates_are_in_the_editions_zone),
        cmocka_unit_test(sorting_by_name_folds_accents),
        cmocka_unit_test(export_carries_every_field_and_semicolons),
        cmocka_unit_test(decision_is_previewed_then_confirmed_once),
        cmocka_unit_test(decision_on_a_row_changed_since_is_refused),
        cmocka_unit_test(nothing_to_invite_is_a_message),
        cmocka_unit_test(invitations_are_previewed_masked_and_sent_once),
        cmocka_unit_test(schedule_changes_are_sent_after_a_preview),
        cmocka_unit_test(certificates_are_previewed_and_titled),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
