/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report's figures against values computed by hand for a small
 * fixture, the fingerprint, and the edges (nothing at all, names in
 * right-to-left scripts, emoji, very long institutions) through every
 * writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "docs/report_doc.h"
#include "domain/countries.h"
#include "domain/report_figures.h"

/* Five people: P1 AR ambassador (a registered, b rejected), P2 BR (a
 * registered), P3 no country (a waitlisted), P4 DE, not a member state
 * (a withdrawn, b registered), P5 MX (b rejected).  Course a: day 1
 * imported (P1 80 of 100 min, P2 100), day 2 not imported (P2 100);
 * course b: day 3 imported, P4 absent.  Certificates: P2 valid, an
 * earlier one of P2 superseded, P1's revoked. */
static const char *const fixture =
    "{\"programme\": {\"organisation\": {\"name\": {\"es\": \"Org ES\", \"en\": \"Org EN\"}},"
    "  \"edition\": {\"slug\": \"ed\", \"title\": {\"es\": \"T\", \"en\": \"T\"},"
    "   \"starts_on\": \"2022-03-21\", \"ends_on\": \"2022-03-24\", \"platform\": \"Zoom\","
    "   \"languages\": [\"es\", \"en\"], \"people\": [{\"slug\": \"t1\", \"name\": \"Tr One\"}],"
    "   \"courses\": [{\"slug\": \"a\", \"title\": {\"es\": \"Curso A\", \"en\": \"Course A\"},"
    "     \"hours\": 8, \"capacity\": 40, \"trainers\": [\"t1\"], \"days\": []},"
    "    {\"slug\": \"b\", \"title\": {\"es\": \"Curso B\", \"en\": \"Course B\"}, \"hours\": 4,"
    "     \"capacity\": 40, \"trainers\": [], \"days\": []}]}},"
    " \"enrolments\": ["
    "  {\"application_id\": 1, \"enrolment_id\": 11, \"course\": \"a\", \"status\": \"registered\","
    "   \"country\": \"AR\", \"gender\": \"female\", \"institution_type\": \"foreign_ministry\","
    "   \"language\": \"es\", \"form_of_address\": \"ambassador\", \"given_names\": \"Ana\","
    "   \"family_names\": \"Zeta\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 1, \"enrolment_id\": 12, \"course\": \"b\", \"status\": \"rejected\","
    "   \"country\": \"AR\", \"gender\": \"female\", \"institution_type\": \"foreign_ministry\","
    "   \"language\": \"es\", \"form_of_address\": \"ambassador\", \"given_names\": \"Ana\","
    "   \"family_names\": \"Zeta\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 2, \"enrolment_id\": 21, \"course\": \"a\", \"status\": \"registered\","
    "   \"country\": \"BR\", \"gender\": \"male\", \"institution_type\": \"academia\","
    "   \"language\": \"en\", \"form_of_address\": \"mr\", \"given_names\": \"Bo\","
    "   \"family_names\": \"Y\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 3, \"enrolment_id\": 31, \"course\": \"a\", \"status\": \"waitlisted\","
    "   \"country\": \"\", \"gender\": \"undisclosed\", \"institution_type\": \"public_body\","
    "   \"language\": \"es\", \"form_of_address\": \"ms\", \"given_names\": \"Cy\","
    "   \"family_names\": \"X\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 4, \"enrolment_id\": 41, \"course\": \"a\", \"status\": \"withdrawn\","
    "   \"country\": \"DE\", \"gender\": \"female\", \"institution_type\": \"other\","
    "   \"language\": \"en\", \"form_of_address\": \"dr\", \"given_names\": \"Di\","
    "   \"family_names\": \"W\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 4, \"enrolment_id\": 42, \"course\": \"b\", \"status\": \"registered\","
    "   \"country\": \"DE\", \"gender\": \"female\", \"institution_type\": \"other\","
    "   \"language\": \"en\", \"form_of_address\": \"dr\", \"given_names\": \"Di\","
    "   \"family_names\": \"W\", \"position\": \"P\", \"institution\": \"I\"},"
    "  {\"application_id\": 5, \"enrolment_id\": 51, \"course\": \"b\", \"status\": \"rejected\","
    "   \"country\": \"MX\", \"gender\": \"other\", \"institution_type\": \"international_organisation\","
    "   \"language\": \"es\", \"form_of_address\": \"mr\", \"given_names\": \"Ed\","
    "   \"family_names\": \"V\", \"position\": \"P\", \"institution\": \"I\"}],"
    " \"attendance\": {"
    "  \"a\": {\"rule_percent\": 75, \"scheduled\": 200,"
    "   \"days\": [{\"id\": 1, \"date\": \"2022-03-21\", \"scheduled\": 100, \"import\": {\"rows\": 2}},"
    "            {\"id\": 2, \"date\": \"2022-03-22\", \"scheduled\": 100, \"import\": null}],"
    "   \"rows\": [{\"enrolment_id\": 11, \"minutes\": 80, \"percent\": 40, \"met\": false,"
    "             \"days\": [{\"minutes\": 80}, {\"minutes\": 0}]},"
    "            {\"enrolment_id\": 21, \"minutes\": 200, \"percent\": 100, \"met\": true,"
    "             \"days\": [{\"minutes\": 100}, {\"minutes\": 100}]}]},"
    "  \"b\": {\"rule_percent\": 75, \"scheduled\": 120,"
    "   \"days\": [{\"id\": 3, \"date\": \"2022-03-23\", \"scheduled\": 120, \"import\": {\"rows\": 1}}],"
    "   \"rows\": [{\"enrolment_id\": 42, \"minutes\": 0, \"percent\": 0, \"met\": false,"
    "             \"days\": [{\"minutes\": 0}]}]}},"
    " \"certificates\": [{\"enrolment_id\": 21, \"course\": \"a\", \"status\": \"superseded\"},"
    "                   {\"enrolment_id\": 21, \"course\": \"a\", \"status\": \"valid\"},"
    "                   {\"enrolment_id\": 11, \"course\": \"a\", \"status\": \"revoked\"}],"
    " \"members\": [\"AR\", \"BR\", \"MX\", \"UY\"],"
    " \"address_order\": [\"ambassador\", \"minister\", \"dr\", \"mr\", \"ms\"],"
    " \"evaluation\": null}";

static json_t *load(const char *text)
{
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    if (!j)
        fail_msg("fixture: %s at %d", e.text, e.line);
    return j;
}

static json_int_t geti(json_t *o, const char *path)
{
    /* "a.b.2.c": objects by key, arrays by index. */
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = o;
    for (char *save = NULL, *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(t)) : json_object_get(v, t);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", path);
    return json_integer_value(v);
}

static double getr(json_t *o, const char *path)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = o;
    for (char *save = NULL, *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(t)) : json_object_get(v, t);
    if (!json_is_number(v))
        fail_msg("%s is not a number", path);
    return json_number_value(v);
}

static const char *gets(json_t *o, const char *path)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *v = o;
    for (char *save = NULL, *t = strtok_r(buf, ".", &save); t; t = strtok_r(NULL, ".", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(t)) : json_object_get(v, t);
    return json_string_value(v);
}

static void test_percent(void **state)
{
    (void)state;
    assert_true(report_percent(1, 3) == 33.3);
    assert_true(report_percent(2, 3) == 66.7);
    assert_true(report_percent(1, 8) == 12.5);
    assert_true(report_percent(5, 0) == 0.0);
    assert_true(report_percent(0, 0) == 0.0);
    assert_true(report_percent(7, 7) == 100.0);
}

static void test_funnel(void **state)
{
    (void)state;
    json_t *in = load(fixture), *f = report_figures(in);
    assert_non_null(f);
    /* Course a: 4 applied (P1 P2 P3 P4), 2 accepted and registered, one
     * waitlisted, one withdrawn; P1 and P2 attended, only P2 met the
     * rule and holds a valid certificate. */
    assert_string_equal(gets(f, "funnel.courses.0.course"), "a");
    assert_int_equal(geti(f, "funnel.courses.0.applied"), 4);
    assert_int_equal(geti(f, "funnel.courses.0.accepted"), 2);
    assert_int_equal(geti(f, "funnel.courses.0.waitlisted"), 1);
    assert_int_equal(geti(f, "funnel.courses.0.rejected"), 0);
    assert_int_equal(geti(f, "funnel.courses.0.withdrawn"), 1);
    assert_int_equal(geti(f, "funnel.courses.0.registered"), 2);
    assert_int_equal(geti(f, "funnel.courses.0.attended"), 2);
    assert_int_equal(geti(f, "funnel.courses.0.met_rule"), 1);
    assert_int_equal(geti(f, "funnel.courses.0.certified"), 1);
    /* Course b: P1 and P5 rejected, P4 registered but absent. */
    assert_int_equal(geti(f, "funnel.courses.1.applied"), 3);
    assert_int_equal(geti(f, "funnel.courses.1.rejected"), 2);
    assert_int_equal(geti(f, "funnel.courses.1.registered"), 1);
    assert_int_equal(geti(f, "funnel.courses.1.attended"), 0);
    /* People, each once at their most advanced status: P4 withdrew from
     * a but is registered for b. */
    assert_int_equal(geti(f, "funnel.overall.applied"), 5);
    assert_int_equal(geti(f, "funnel.overall.accepted"), 3);
    assert_int_equal(geti(f, "funnel.overall.waitlisted"), 1);
    assert_int_equal(geti(f, "funnel.overall.rejected"), 1);
    assert_int_equal(geti(f, "funnel.overall.withdrawn"), 0);
    assert_int_equal(geti(f, "funnel.overall.registered"), 3);
    assert_int_equal(geti(f, "funnel.overall.attended"), 2);
    assert_int_equal(geti(f, "funnel.overall.met_rule"), 1);
    assert_int_equal(geti(f, "funnel.overall.certified"), 1);
    /* No evaluation yet: "answered" is not a zero but unknown. */
    assert_true(json_is_null(json_object_get(json_object_get(json_object_get(f, "funnel"), "overall"), "answered")));
    assert_false(json_is_true(json_object_get(json_object_get(f, "evaluation"), "available")));
    json_decref(f);
    json_decref(in);
}

static void test_breakdowns(void **state)
{
    (void)state;
    json_t *in = load(fixture), *f = report_figures(in);
    /* Every member state is listed (UY with nobody), plus DE and "not
     * stated"; sorted by applicants, then registered, then certified. */
    json_t *cs = json_object_get(f, "countries");
    assert_int_equal(json_array_size(cs), 6);
    assert_string_equal(gets(f, "countries.0.code"), "BR");
    assert_string_equal(gets(f, "countries.1.code"), "AR");
    assert_string_equal(gets(f, "countries.2.code"), "DE");
    assert_string_equal(gets(f, "countries.3.code"), "MX");
    assert_string_equal(gets(f, "countries.4.code"), "");
    assert_string_equal(gets(f, "countries.5.code"), "UY");
    assert_int_equal(geti(f, "countries.5.applied"), 0);
    assert_true(json_is_true(json_object_get(json_array_get(cs, 5), "member")));
    assert_false(json_is_true(json_object_get(json_array_get(cs, 2), "member")));
    assert_int_equal(geti(f, "countries.0.certified"), 1);
    assert_int_equal(geti(f, "member_states_present"), 2);
    /* Gender: female P1 P4, male P2 (certified), other P5, not stated P3. */
    assert_string_equal(gets(f, "gender.0.key"), "female");
    assert_int_equal(geti(f, "gender.0.applied"), 2);
    assert_int_equal(geti(f, "gender.0.registered"), 2);
    assert_int_equal(geti(f, "gender.0.certified"), 0);
    assert_true(getr(f, "gender.1.certified_percent") == 100.0);
    assert_int_equal(geti(f, "gender.3.applied"), 1);
    assert_int_equal(geti(f, "gender.3.registered"), 0);
    /* Institution types in their fixed order. */
    assert_string_equal(gets(f, "institution_types.2.key"), "academia");
    assert_int_equal(geti(f, "institution_types.2.certified"), 1);
    assert_int_equal(geti(f, "institution_types.4.registered"), 1);
    /* Languages: es P1 P3 P5 (P1 registered); en P2 P4 both registered. */
    assert_int_equal(geti(f, "languages.0.applied"), 3);
    assert_int_equal(geti(f, "languages.0.registered"), 1);
    assert_int_equal(geti(f, "languages.1.registered"), 2);
    assert_true(getr(f, "languages.1.certified_percent") == 50.0);
    json_decref(f);
    json_decref(in);
}

static void test_attendance_and_certificates(void **state)
{
    (void)state;
    json_t *in = load(fixture), *f = report_figures(in);
    /* Day 1: P1 80 and P2 100 minutes of 100: 2 present, mean 90, 90 %. */
    assert_int_equal(geti(f, "attendance.0.sessions.0.present"), 2);
    assert_true(getr(f, "attendance.0.sessions.0.mean_minutes") == 90.0);
    assert_true(getr(f, "attendance.0.sessions.0.share") == 90.0);
    assert_int_equal(geti(f, "attendance.0.sessions.1.present"), 1);
    assert_true(getr(f, "attendance.0.sessions.1.share") == 100.0);
    /* Course b: nobody present, no division by zero. */
    assert_int_equal(geti(f, "attendance.1.sessions.0.present"), 0);
    assert_true(getr(f, "attendance.1.sessions.0.mean_minutes") == 0.0);
    assert_true(getr(f, "attendance.1.sessions.0.share") == 0.0);
    /* Distribution: P1 at 40 % (25-49), P2 at 100 %. */
    assert_int_equal(geti(f, "attendance.0.distribution.2.count"), 1);
    assert_int_equal(geti(f, "attendance.0.distribution.5.count"), 1);
    assert_int_equal(geti(f, "attendance.0.distribution.0.count"), 0);
    assert_int_equal(geti(f, "attendance.0.met"), 1);
    assert_int_equal(geti(f, "attendance.0.not_met"), 1);
    assert_int_equal(geti(f, "attendance.1.distribution.0.count"), 1);
    /* Certificates: three issued, one valid, one revoked, one reissued. */
    assert_int_equal(geti(f, "certificates.issued"), 3);
    assert_int_equal(geti(f, "certificates.valid"), 1);
    assert_int_equal(geti(f, "certificates.revoked"), 1);
    assert_int_equal(geti(f, "certificates.reissued"), 1);
    /* Day 2 of course a has no attendance: preliminary, and it says so. */
    assert_true(json_is_true(json_object_get(f, "preliminary")));
    assert_int_equal(json_array_size(json_object_get(f, "missing")), 1);
    assert_string_equal(gets(f, "missing.0.date"), "2022-03-22");
    json_decref(f);
    json_decref(in);
}

static void test_protocol_order(void **state)
{
    (void)state;
    json_t *in = load(fixture), *f = report_figures(in);
    /* Registered: P1 (AR), P2 (BR), P4 (DE), in that order in the list.
     * Spanish: Alemania, Argentina, Brasil; English: Argentina, Brazil,
     * Germany. */
    assert_int_equal(json_array_size(json_object_get(f, "participants")), 3);
    assert_int_equal(geti(f, "protocol_order.es.0"), 2);
    assert_int_equal(geti(f, "protocol_order.es.1"), 0);
    assert_int_equal(geti(f, "protocol_order.es.2"), 1);
    assert_int_equal(geti(f, "protocol_order.en.0"), 0);
    assert_int_equal(geti(f, "protocol_order.en.2"), 2);
    assert_true(json_is_true(json_object_get(json_array_get(json_object_get(f, "participants"), 1), "certified")));
    json_decref(f);
    json_decref(in);
}

static void test_fingerprint(void **state)
{
    (void)state;
    json_t *in = load(fixture);
    json_t *a = report_figures(in), *b = report_figures(in);
    char fa[65], fb[65], fc[65];
    report_fingerprint(a, fa);
    json_object_set_new(b, "generated_at", json_string("2030-01-01T00:00:00Z"));
    report_fingerprint(b, fb);
    assert_string_equal(fa, fb); /* generating again: same figures, same print */
    assert_int_equal(strlen(fa), 64);
    json_object_set_new(json_object_get(b, "certificates"), "valid", json_integer(2));
    report_fingerprint(b, fc);
    assert_string_not_equal(fa, fc); /* any figure changed: another print */
    json_decref(a);
    json_decref(b);
    json_decref(in);
}

/* The evaluation's part, as the evaluation module will hand it over. */
static void test_evaluation_part(void **state)
{
    (void)state;
    json_t *in = load(fixture);
    json_object_set_new(in, "evaluation", load(
        "{\"min_group\": 5, \"courses\": [{\"course\": \"a\", \"asked\": 2, \"answered\": 1,"
        " \"open\": true, \"stats\": {\"respondents\": 1, \"questions\": []}}]}"));
    json_t *f = report_figures(in);
    assert_true(json_is_true(json_object_get(json_object_get(f, "evaluation"), "available")));
    assert_int_equal(geti(f, "funnel.courses.0.answered"), 1);
    assert_int_equal(geti(f, "funnel.overall.answered"), 1);
    assert_true(getr(f, "evaluation.rate") == 50.0);
    /* Open evaluation: listed as missing. */
    assert_int_equal(json_array_size(json_object_get(f, "missing")), 2);
    json_decref(f);
    json_decref(in);
}

static bool file_nonempty(const char *path);

/* The evaluation section: "no evaluation" without one; with one, the
 * response rate, each question's mean and share who agree, per trainer,
 * before -> after, NPS, and the charts, from statistics shaped as the
 * evaluation's evaluation_stats gives them. */
static void test_evaluation_section(void **state)
{
    (void)state;
    json_t *in = load(fixture), *f = report_figures(in);
    json_object_set_new(f, "texts", json_object());
    json_t *blocks = report_blocks(f, LANG_ES, false);
    strbuf html;
    sb_init(&html, NULL);
    report_html(blocks, f, LANG_ES, &html);
    assert_non_null(strstr(sb_str(&html), "Sin evaluación"));
    sb_release(&html);
    json_decref(blocks);
    json_decref(f);

    json_object_set_new(in, "evaluation", load(
        "{\"min_group\": 5, \"courses\": [{\"course\": \"a\", \"asked\": 3, \"answered\": 2,"
        " \"open\": false, \"stats\": {\"respondents\": 2, \"questions\": ["
        "  {\"key\": \"objectives\", \"type\": \"agree\", \"text\": {\"es\": \"Objetivos claros\","
        "   \"en\": \"Clear objectives\"}, \"answered\": 2, \"mean\": 3.5, \"n_mean\": 2,"
        "   \"disagree\": 50.0, \"neutral\": 0.0, \"agree\": 50.0},"
        "  {\"key\": \"trainers\", \"type\": \"trainer\", \"text\": {\"es\": \"Formador\"},"
        "   \"answered\": 2, \"rows\": [{\"trainer\": \"Tr One\", \"answered\": 2, \"mean\": 4.5,"
        "   \"n_mean\": 2, \"disagree\": 0.0, \"agree\": 100.0}]},"
        "  {\"key\": \"knowledge\", \"type\": \"before_after\", \"text\": {\"es\": \"Antes y después\"},"
        "   \"answered\": 2, \"pairs\": 2, \"mean_before\": 2.5, \"mean_after\": 3.5},"
        "  {\"key\": \"recommend\", \"type\": \"nps\", \"text\": {\"es\": \"Recomendaría\"},"
        "   \"answered\": 2, \"mean\": 7.0, \"nps\": -50.0},"
        "  {\"key\": \"improve\", \"type\": \"long\", \"text\": {\"es\": \"Mejorar\"}, \"answered\": 1}]},"
        " \"quotes\": [\"<i>Muy útil</i>\"]}]}"));
    f = report_figures(in);
    json_object_set_new(f, "texts", json_object());
    blocks = report_blocks(f, LANG_ES, false);
    sb_init(&html, NULL);
    report_html(blocks, f, LANG_ES, &html);
    const char *h = sb_str(&html);
    assert_null(strstr(h, "Sin evaluación"));
    assert_non_null(strstr(h, "<td class=\"num\">66,7</td>"));   /* 2 of 3 answered */
    assert_non_null(strstr(h, "<th scope=\"row\">· Tr One</th><td class=\"num\">2</td><td class=\"num\">4,5</td>"));
    assert_non_null(strstr(h, "2,5 → 3,5"));
    assert_non_null(strstr(h, "<td class=\"num\">-50,0</td>"));  /* NPS */
    assert_non_null(strstr(h, "&lt;i&gt;Muy útil&lt;/i&gt;"));    /* a quote stays text */
    assert_null(strstr(h, "Mejorar"));                             /* free text is not listed */
    assert_non_null(strstr(h, "alt=\"Grado de acuerdo por pregunta: Curso A: Objetivos claros 50,0 / 50,0; Tr One 0,0 / 100,0\""));
    sb_release(&html);
    char dir[] = "/tmp/aula-report-XXXXXX", pdf[80], err[200];
    assert_non_null(mkdtemp(dir));
    snprintf(pdf, sizeof pdf, "%s/e.pdf", dir);
    assert_true(report_pdf(blocks, f, LANG_ES, pdf, err, sizeof err));
    assert_true(file_nonempty(pdf));
    unlink(pdf);
    rmdir(dir);
    json_decref(blocks);
    json_decref(f);
    json_decref(in);
}

static bool file_nonempty(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && st.st_size > 0;
}

/* Writers on the edges: an edition with nothing at all, and one with a
 * right-to-left name, emoji and a 200-character institution. */
static void write_all(json_t *f)
{
    char dir[] = "/tmp/aula-report-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char pdf[80], xlsx[80];
    snprintf(pdf, sizeof pdf, "%s/r.pdf", dir);
    snprintf(xlsx, sizeof xlsx, "%s/r.xlsx", dir);
    for (int l = 0; l < 2; l++) {
        json_t *blocks = report_blocks(f, l ? LANG_EN : LANG_ES, true);
        char err[200];
        assert_true(report_pdf(blocks, f, l ? LANG_EN : LANG_ES, pdf, err, sizeof err));
        assert_true(file_nonempty(pdf));
        assert_true(report_xlsx(blocks, l ? LANG_EN : LANG_ES, xlsx));
        assert_true(file_nonempty(xlsx));
        strbuf html;
        sb_init(&html, NULL);
        report_html(blocks, f, l ? LANG_EN : LANG_ES, &html);
        assert_non_null(strstr(sb_str(&html), "<table"));
        /* Hostile text stays text. */
        assert_null(strstr(sb_str(&html), "<script"));
        sb_release(&html);
        json_decref(blocks);
        unlink(pdf);
        unlink(xlsx);
    }
    rmdir(dir);
}

static void test_edges(void **state)
{
    (void)state;
    json_t *empty = load("{\"programme\": {\"edition\": {\"slug\": \"x\", \"courses\": []}},"
                         " \"enrolments\": [], \"attendance\": {}, \"certificates\": [],"
                         " \"members\": [\"AR\"], \"address_order\": [], \"evaluation\": null}");
    json_t *f = report_figures(empty);
    assert_int_equal(geti(f, "funnel.overall.applied"), 0);
    assert_false(json_is_true(json_object_get(f, "preliminary")));
    json_object_set_new(f, "texts", json_object());
    write_all(f);
    json_decref(f);
    json_decref(empty);

    json_t *in = load(fixture);
    json_t *e = json_array_get(json_object_get(in, "enrolments"), 2);
    char inst[260];
    memset(inst, 'W', 200);
    inst[200] = 0;
    json_object_set_new(e, "given_names", json_string("محمد 🎓"));
    json_object_set_new(e, "family_names", json_string("<script>alert(1)</script> עברית"));
    json_object_set_new(e, "institution", json_string(inst));
    json_object_set_new(e, "country", json_string(""));
    f = report_figures(in);
    json_object_set_new(f, "texts", load("{\"summary\": {\"es\": \"<b>x</b>\", \"en\": \"y\"}}"));
    write_all(f);
    json_decref(f);
    json_decref(in);
}

/* Under AddressSanitizer: fontconfig keeps its configuration and caches for
 * the life of the process (pango loads them once); not ours to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percent),
        cmocka_unit_test(test_funnel),
        cmocka_unit_test(test_breakdowns),
        cmocka_unit_test(test_attendance_and_certificates),
        cmocka_unit_test(test_protocol_order),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_evaluation_part),
        cmocka_unit_test(test_evaluation_section),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
