/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The applicant's forms and the institution's face, over HTTP: the error
 * summary links each problem to its field with a message that says what to
 * do, optional fields are marked, the confirmation repeats the email and the
 * courses (to whoever applied, no one else), the time zone is chosen by place
 * and saved as the zone it names, the header names the organisation, and
 * /verify offers a box and names the issuer. */
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

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "tz@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE enrolment SET status = 'accepted'", NULL, 0);
    return serve_start(&srv, data_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static void contains(const char *body, const char *part)
{
    if (!strstr(body, part))
        fail_msg("\"%s\" not found in:\n%.3000s", part, body);
}

/* A visitor with a CSRF cookie and the form's submission key. */
struct visitor {
    char cookie[300], token[64], submission[64];
};

static void open_form(struct visitor *v)
{
    assert_true(csrf_pair(&srv, v->cookie + 8, sizeof v->cookie - 8, v->token, sizeof v->token));
    memcpy(v->cookie, "Cookie: ", 8);
    const char *h[] = {v->cookie, NULL};
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022/apply", h, &r));
    assert_int_equal(r.status, 200);
    /* Required and optional fields are marked. */
    contains(r.body, "Todos los campos son obligatorios, salvo los marcados «opcional».");
    contains(r.body, "<label for=\"phone\">Teléfono <span class=\"optional\">(opcional)</span></label>");
    assert_null(strstr(r.body, "<label for=\"email\">Correo electrónico institucional <span class=\"optional\">"));
    const char *k = strstr(r.body, "name=\"submission\" value=\"");
    assert_non_null(k);
    k += 25;
    snprintf(v->submission, sizeof v->submission, "%.*s", (int)(strchr(k, '"') - k), k);
    http_free(&r);
}

static void error_summary_links_each_field(void **state)
{
    (void)state;
    struct visitor v;
    open_form(&v);
    char body[600];
    snprintf(body, sizeof body, "csrf=%s&submission=%s&given_names=Ana&email=ana%%40example.org",
             v.token, v.submission);
    struct http_response r;
    assert_true(post_form(&srv, v.cookie, "/events/sela-2022/apply", body, &r));
    assert_int_equal(r.status, 422);
    contains(r.body, "id=\"error-summary\"");
    /* Each problem is a link to its field, saying what to do. */
    contains(r.body, "<a href=\"#course-cyberdiplomacy\">Elija al menos un curso.</a>");
    contains(r.body, "<a href=\"#consent\">Acepte el tratamiento de sus datos para postular.</a>");
    contains(r.body, "<a href=\"#family_names\">Escriba sus apellidos.</a>");
    contains(r.body, "<a href=\"#country\">Elija su país.</a>");
    /* The links lead somewhere: the fields carry those ids. */
    contains(r.body, "id=\"course-cyberdiplomacy\" name=\"courses\"");
    contains(r.body, "id=\"consent\" name=\"consent\"");
    contains(r.body, "id=\"family_names\"");
    /* Fields that were right are not listed; no generic "required". */
    assert_null(strstr(r.body, "href=\"#given_names\""));
    assert_null(strstr(r.body, "href=\"#email\""));
    assert_null(strstr(r.body, "Este campo es obligatorio"));
    http_free(&r);
}

static void confirmation_repeats_what_was_sent(void **state)
{
    (void)state;
    struct visitor v;
    open_form(&v);
    char body[1200];
    snprintf(body, sizeof body,
             "csrf=%s&submission=%s&form_of_address=ambassador&given_names=Luc%%C3%%ADa"
             "&family_names=Rojas&gender=female&country=CL&institution_type=foreign_ministry"
             "&institution=Cancilleria&position=Consejera&email=lucia.rojas%%40example.org"
             "&language=es&courses=cyberdiplomacy&courses=techplomacy&consent=1",
             v.token, v.submission);
    struct http_response r;
    assert_true(post_form(&srv, v.cookie, "/events/sela-2022/apply", body, &r));
    assert_int_equal(r.status, 303);
    char applied[200];
    assert_true(set_cookie_value(&r, "aula_applied", applied, sizeof applied));
    http_free(&r);

    char cookie[400];
    snprintf(cookie, sizeof cookie, "Cookie: aula_applied=%s", applied);
    const char *h[] = {cookie, NULL};
    assert_true(get_path(&srv, "/events/sela-2022/apply/done", h, &r));
    assert_int_equal(r.status, 200);
    contains(r.body, "<strong>lucia.rojas@example.org</strong>");
    contains(r.body, "<li>Curso de especialización en Ciberdiplomacia</li>");
    contains(r.body, "<li>Curso de especialización en Tecnodiplomacia</li>");
    contains(r.body, "Qué sigue");
    http_free(&r);

    /* Without the cookie, or with a forged one, nobody's email is shown. */
    assert_true(get_path(&srv, "/events/sela-2022/apply/done", NULL, &r));
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "lucia.rojas@example.org"));
    contains(r.body, "Qué sigue");
    http_free(&r);
    char *dot = strchr(applied, '.');
    assert_non_null(dot);
    char forged[400];
    snprintf(forged, sizeof forged, "Cookie: aula_applied=1%s", dot);
    const char *hf[] = {forged, NULL};
    assert_true(get_path(&srv, "/events/sela-2022/apply/done", hf, &r));
    assert_null(strstr(r.body, "@example.org</strong>"));
    http_free(&r);
}

static void time_zone_by_place(void **state)
{
    (void)state;
    char cookies[400], token[64], id[32], path[120];
    assert_true(sign_in_by_link(&srv, data_dir, "tz@example.org", cookies, sizeof cookies, token,
                                sizeof token));
    db_query(data_dir, "SELECT id FROM application WHERE email = 'tz@example.org'", id, sizeof id);
    snprintf(path, sizeof path, "/me/applications/%s/register", id);
    const char *h[] = {cookies, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    /* Places grouped by region in the visitor's language, the edition's
     * zone preselected, the browser's left to the script. */
    contains(r.body, "<optgroup label=\"América\">");
    contains(r.body, "<optgroup label=\"Europa\">");
    contains(r.body, "<option value=\"America/Caracas\" selected>Venezuela — Caracas</option>");
    contains(r.body, "<option value=\"America/Port_of_Spain\">Trinidad y Tobago — Port of Spain</option>");
    contains(r.body, "data-guess-zone=\"1\"");
    assert_null(strstr(r.body, "America/Bogota. "));
    http_free(&r);
    char en[200];
    snprintf(en, sizeof en, "%s?lang=en", path);
    assert_true(get_path(&srv, en, h, &r));
    contains(r.body, "<optgroup label=\"Americas\">");
    contains(r.body, ">Trinidad and Tobago — Port of Spain</option>");
    http_free(&r);

    /* A place's name is not a zone: refused, with the summary's link. */
    char enrolment[32], body[400];
    db_query(data_dir, "SELECT en.id FROM enrolment en JOIN application a ON a.id = en.application_id"
                       " WHERE a.email = 'tz@example.org'", enrolment, sizeof enrolment);
    snprintf(body, sizeof body, "csrf=%s&confirm=%s&city=Chaguanas&time_zone=Caracas", token,
             enrolment);
    assert_true(post_form(&srv, cookies, path, body, &r));
    assert_int_equal(r.status, 422);
    contains(r.body, "<a href=\"#time_zone\">");
    http_free(&r);
    char tz[64];
    db_query(data_dir, "SELECT coalesce(time_zone, '') FROM application WHERE email = 'tz@example.org'",
             tz, sizeof tz);
    assert_string_equal(tz, "");

    /* The zone the chosen place names is saved, and shown chosen again. */
    snprintf(body, sizeof body, "csrf=%s&confirm=%s&city=Chaguanas&time_zone=America%%2FPort_of_Spain",
             token, enrolment);
    assert_true(post_form(&srv, cookies, path, body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "SELECT time_zone FROM application WHERE email = 'tz@example.org'", tz, sizeof tz);
    assert_string_equal(tz, "America/Port_of_Spain");
    assert_true(get_path(&srv, path, h, &r));
    contains(r.body, "<option value=\"America/Port_of_Spain\" selected>");
    assert_null(strstr(r.body, "data-guess-zone"));
    http_free(&r);
}

static void header_names_the_organisation(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(get_path(&srv, "/login", NULL, &r));
    contains(r.body, "<span class=\"brand-name\">Sistema Económico Latinoamericano y del Caribe</span>");
    contains(r.body, "· SELA</title>");
    assert_null(strstr(r.body, "class=\"brand\" href=\"/\">Aula</a>"));
    http_free(&r);
    assert_true(get_path(&srv, "/events/sela-2022?lang=en", NULL, &r));
    contains(r.body, "<span class=\"brand-name\">Latin American and Caribbean Economic System</span>");
    http_free(&r);
}

static void verify_box_and_issuer(void **state)
{
    (void)state;
    struct http_response r;
    assert_true(get_path(&srv, "/verify", NULL, &r));
    assert_int_equal(r.status, 200);
    contains(r.body, "<form method=\"get\" action=\"/verify\"");
    contains(r.body, "<label for=\"number\">Código del certificado</label>");
    http_free(&r);
    /* A code typed by hand goes to its page, as stored. */
    assert_true(get_path(&srv, "/verify?number=+sela-2022-cyb-0001-7kq4x9pm+", NULL, &r));
    assert_int_equal(r.status, 303);
    char loc[200];
    assert_true(header_value(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/verify/SELA-2022-CYB-0001-7KQ4X9PM");
    http_free(&r);
    assert_true(get_path(&srv, "/verify?number=%3Cb%3E", NULL, &r));
    assert_int_equal(r.status, 404);
    contains(r.body, "value=\"&lt;b&gt;\"");
    http_free(&r);

    /* A certificate's page names who issued it. */
    add_registered_participant(data_dir, "cert@example.org", "cyberdiplomacy");
    db_query(data_dir, "INSERT INTO certificate (number, enrolment_id, facts, signature, key_id,"
                       " issued_at, issued_by) SELECT 'SELA-2022-CYB-0009-ABCDEFGH', en.id, '{}', 'x',"
                       " 'k', '2026-01-01T00:00:00Z', 'admin@example.org' FROM enrolment en JOIN"
                       " application a ON a.id = en.application_id WHERE a.email = 'cert@example.org'",
             NULL, 0);
    assert_true(get_path(&srv, "/verify/SELA-2022-CYB-0009-ABCDEFGH", NULL, &r));
    assert_int_equal(r.status, 200);
    contains(r.body, "Emitido por <strong>Sistema Económico Latinoamericano y del Caribe</strong>");
    http_free(&r);
    assert_true(get_path(&srv, "/verify/SELA-2022-CYB-0009-ABCDEFGH?lang=en", NULL, &r));
    contains(r.body, "Issued by <strong>Latin American and Caribbean Economic System</strong>");
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_summary_links_each_field),
        cmocka_unit_test(confirmation_repeats_what_was_sent),
        cmocka_unit_test(time_zone_by_place),
        cmocka_unit_test(header_names_the_organisation),
        cmocka_unit_test(verify_box_and_issuer),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
