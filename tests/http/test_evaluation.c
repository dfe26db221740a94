/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of the evaluation: invitations go to registered
 * participants (never staff), answering from the emailed link without
 * signing in and from /me, drafts, one submission, refusals that store
 * nothing, results, exports and the API, and anonymity read straight from
 * the database and the exports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char coord[400], ctoken[64];
static char csrf_cookie[200], csrf[64];

static long count(const char *sql)
{
    char out[64] = "";
    db_query(data_dir, sql, out, sizeof out);
    return atol(out);
}

static bool wait_count(const char *sql, long want)
{
    for (int i = 0; i < 150; i++) {
        if (count(sql) == want)
            return true;
        usleep(100 * 1000);
    }
    return false;
}

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "p1@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "p2@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "p3@example.org", "cyberdiplomacy");
    /* A member of staff registered on the course is never asked. */
    add_registered_participant(data_dir, "coordinator@example.org", "cyberdiplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'Ana', family_names = 'Uno'"
                       " WHERE email = 'p1@example.org'", NULL, 0);
    db_query(data_dir, "UPDATE application SET given_names = 'Bea', family_names = 'Dos',"
                       " language = 'en' WHERE email = 'p2@example.org'", NULL, 0);
    /* The Cyberdiplomacy evaluation opened an hour ago: invitations are due. */
    db_query(data_dir, "UPDATE questionnaire SET opens_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now',"
                       " '-1 hour') WHERE course_id = (SELECT id FROM course"
                       " WHERE slug = 'cyberdiplomacy')", NULL, 0);
    setenv("AULA_REMINDER_TICK", "1", 1);
    if (!serve_start(&srv, data_dir))
        return -1;
    if (!csrf_pair(&srv, csrf_cookie, sizeof csrf_cookie, csrf, sizeof csrf))
        return -1;
    return sign_in(&srv, "coordinator%40example.org", "coordinator-password-1", coord,
                   sizeof coord, ctoken, sizeof ctoken) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    /* A clean exit: under the sanitizers, a leak or an error would change it. */
    int rc = demo_teardown(&srv, data_dir);
    if (rc != 0)
        fprintf(stderr, "aula serve exited with status %d\n", rc);
    return rc == 0 ? 0 : -1;
}

/* The path of the evaluation link in the latest message of kind to addr,
 * as delivered (the outbox itself keeps the token masked). */
static void link_of(const char *kind, const char *addr, char *path, size_t n)
{
    assert_true(mail_link(data_dir, addr, kind, "/evaluation/", path, n));
    /* The stored text shows the link masked, never the token. */
    char sql[300], body[8192] = "";
    snprintf(sql, sizeof sql, "SELECT body_text FROM outbox WHERE kind = '%s' AND to_addr = '%s'"
             " ORDER BY id DESC LIMIT 1", kind, addr);
    db_query(data_dir, sql, body, sizeof body);
    assert_null(strstr(body, path));
    assert_non_null(strstr(body, "/evaluation/\xe2\x80\xa2"));
}

static struct http_response post(const char *cookie_header, const char *path, const char *fields)
{
    char *body = malloc(strlen(fields) + 200);
    assert_non_null(body);
    sprintf(body, "csrf=%s&%s", csrf, fields);
    struct http_response r;
    assert_true(post_form(&srv, cookie_header, path, body, &r));
    free(body);
    return r;
}

static const char *const valid =
    "q.objectives=5&q.relevance=4&q.material=4&q.pace=3&q.organisation=5&q.usefulness=4"
    "&q.trainers.mario-torres-jarrin=5&q.trainers.shaun-riordan=4"
    "&q.knowledge.before=2&q.knowledge.after=4&q.apply=4&q.recommend=9";

static const char *const nothing_stored =
    "SELECT (SELECT count(*) FROM evaluation_response) + (SELECT count(*) FROM evaluation_draft)"
    " + (SELECT count(*) FROM evaluation_respondent WHERE answered = 1)";

static void invitations_only_to_participants(void **state)
{
    (void)state;
    /* The evaluation opened: the invitations go at once. */
    assert_true(wait_count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_invitation'"
                           " AND to_addr LIKE 'p_@example.org'", 3));
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_invitation'"
                           " AND to_addr = 'coordinator@example.org'"), 0);
    /* The link is personal: only its hash is stored. */
    char path[200];
    link_of("evaluation_invitation", "p1@example.org", path, sizeof path);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM evaluation_link WHERE token_hash = '%s'",
             strrchr(path, '/') + 1);
    assert_int_equal(count(sql), 0);
    assert_int_equal(count("SELECT count(*) FROM evaluation_link"), 3);
    /* In the participant's language. */
    char subject[300] = "";
    db_query(data_dir, "SELECT subject FROM outbox WHERE kind = 'evaluation_invitation'"
                       " AND to_addr = 'p2@example.org'", subject, sizeof subject);
    assert_non_null(strstr(subject, "Your opinion"));
    /* The closing time in the edition's zone, not a raw UTC value. */
    char body[8192] = "";
    db_query(data_dir, "SELECT body_text FROM outbox WHERE kind = 'evaluation_invitation'"
                       " AND to_addr = 'p2@example.org'", body, sizeof body);
    assert_non_null(strstr(body, "(Caracas)"));
    assert_null(strstr(body, ":00Z"));
}

static void refused_answers_store_nothing(void **state)
{
    (void)state;
    char path[200], hdr[300];
    link_of("evaluation_invitation", "p1@example.org", path, sizeof path);
    snprintf(hdr, sizeof hdr, "Cookie: %s", csrf_cookie);
    struct http_response r;
    /* The form, without signing in. */
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<fieldset"));
    assert_non_null(strstr(r.body, "name=\"q.objectives\""));
    http_free(&r);

    struct { const char *fields; const char *why; } bad[] = {
        {"q.objectives=6", "scale"},                     /* off the scale */
        {"q.recommend=11", "scale"},
        {"q.objectives=abc", "scale"},
        {"q.trainers.somebody-else=5", "choice"},       /* a trainer not offered */
        {"q.nonexistent=1", "unknown"},                 /* a question that does not exist */
        {"q.knowledge.before=9", "scale"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char f[1200];
        snprintf(f, sizeof f, "%s&%s&action=send", bad[i].fields, valid);
        /* Put the faulty value first: the form takes the first one. */
        r = post(hdr, path, f);
        assert_int_equal(r.status, 422);
        assert_non_null(strstr(r.body, "role=\"alert\""));
        http_free(&r);
        assert_int_equal(count(nothing_stored), 0);
    }
    /* A text over 5,000 characters, in the participant's language. */
    char *big = malloc(6000 + strlen(valid) + 64);
    assert_non_null(big);
    sprintf(big, "%s&action=send&q.improve=", valid);
    size_t at = strlen(big);
    memset(big + at, 'x', 5001);
    big[at + 5001] = '\0';
    r = post(hdr, path, big);
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "5.000 caracteres"));
    /* The error is tied to its question. */
    assert_non_null(strstr(r.body, "aria-describedby=\"e-improve\""));
    http_free(&r);
    free(big);
    /* A required question left out. */
    r = post(hdr, path, "q.objectives=5&action=send");
    assert_int_equal(r.status, 422);
    http_free(&r);
    assert_int_equal(count(nothing_stored), 0);
    /* A forged link. */
    assert_true(get_path(&srv, "/evaluation/forged-token-1234567890", NULL, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
    r = post(hdr, "/evaluation/forged-token-1234567890", valid);
    assert_int_equal(r.status, 404);
    http_free(&r);
    assert_int_equal(count(nothing_stored), 0);
}

static void answer_by_link_once(void **state)
{
    (void)state;
    char path[200], hdr[300];
    link_of("evaluation_invitation", "p1@example.org", path, sizeof path);
    snprintf(hdr, sizeof hdr, "Cookie: %s", csrf_cookie);
    /* A draft first: kept, tied to the person until sent. */
    struct http_response r = post(hdr, path, "q.objectives=3&q.improve=zq-first-draft-xxxxxxxxxxxxxxx&action=draft");
    assert_int_equal(r.status, 200);
    http_free(&r);
    r = post(hdr, path, "q.objectives=3&q.improve=zq-draft-only&action=draft");
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_draft"), 1);
    assert_true(get_path(&srv, path, NULL, &r));
    assert_non_null(strstr(r.body, "zq-draft-only"));
    http_free(&r);

    char f[1200];
    snprintf(f, sizeof f, "%s&q.improve=%%3Dcmd%%7C'%%2FC+calc'!A0+%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&action=send", valid);
    r = post(hdr, path, f);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"eval-done\""));
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response"), 1);
    assert_int_equal(count("SELECT count(*) FROM evaluation_draft"), 0);
    assert_int_equal(count("SELECT count(*) FROM evaluation_respondent WHERE answered = 1"), 1);

    /* A second submission is refused, and stores nothing. */
    r = post(hdr, path, f);
    assert_int_equal(r.status, 409);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response"), 1);
    assert_true(get_path(&srv, path, NULL, &r));
    assert_non_null(strstr(r.body, "id=\"eval-answered\""));
    http_free(&r);
}

static void answer_from_me(void **state)
{
    (void)state;
    char cookies[400], token[64];
    assert_true(sign_in_by_link(&srv, data_dir, "p2@example.org", cookies, sizeof cookies, token,
                                sizeof token));
    char hdr[500];
    snprintf(hdr, sizeof hdr, "%s", cookies);
    struct http_response r;
    const char *h[] = {hdr, NULL};
    assert_true(get_path(&srv, "/me?format=json", h, &r));
    assert_int_equal(r.status, 200);
    json_t *me = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    json_t *ev = json_array_get(json_object_get(me, "evaluations"), 0);
    assert_non_null(ev);
    assert_true(json_is_true(json_object_get(ev, "can_answer")));
    char path[100];
    snprintf(path, sizeof path, "/me/evaluations/%lld",
             (long long)json_integer_value(json_object_get(ev, "id")));
    json_decref(me);

    /* Somebody else's link, while signed in: refused. */
    char other[200];
    link_of("evaluation_invitation", "p3@example.org", other, sizeof other);
    char body[1400];
    snprintf(body, sizeof body, "csrf=%s&%s&action=send", token, valid);
    assert_true(post_form(&srv, hdr, other, body, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response"), 1);

    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&%s&q.most_useful=Bea+was+here&action=send", token, valid);
    assert_true(post_form(&srv, hdr, path, body, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response"), 2);
    /* Somebody else's evaluation number. */
    assert_true(get_path(&srv, "/me/evaluations/999", h, &r));
    assert_int_equal(r.status, 404);
    http_free(&r);
}

/* After two participants answered: nothing in the database or the exports
 * tells whose answers are whose. */
static void anonymity_holds(void **state)
{
    (void)state;
    /* The answers carry no person, no time. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_response WHERE enrolment_id IS NOT NULL"), 0);
    char cols[400] = "";
    db_query(data_dir, "SELECT group_concat(name) FROM pragma_table_info('evaluation_response')",
             cols, sizeof cols);
    /* grp: a group copied only once it has 5 answers (test_evaluation_groups.c). */
    assert_string_equal(cols, "id,questionnaire_id,enrolment_id,answers,grp");
    db_query(data_dir, "SELECT group_concat(name) FROM pragma_table_info('evaluation_respondent')",
             cols, sizeof cols);
    assert_string_equal(cols, "questionnaire_id,enrolment_id,answered");
    /* Ids are random, not the order of arrival. */
    assert_true(count("SELECT min(id) FROM evaluation_response") > 1000000);
    /* Who was asked, and whether they answered, is all the respondent rows hold. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_respondent WHERE answered = 1"), 2);
    /* No draft, no audit entry, no message about an answer. */
    assert_int_equal(count("SELECT count(*) FROM evaluation_draft"), 0);
    assert_int_equal(count("SELECT count(*) FROM audit_log WHERE action LIKE 'evaluation.answer%'"), 0);
    /* The draft's text, which sat beside the person, is gone from the file. */
    char dbfile[400];
    snprintf(dbfile, sizeof dbfile, "%s/aula.db", data_dir);
    for (int f = 0; f < 2; f++) {
        char name[420];
        snprintf(name, sizeof name, "%s%s", dbfile, f ? "-wal" : "");
        FILE *fp = fopen(name, "rb");
        if (!fp)
            continue;
        fseek(fp, 0, SEEK_END);
        long n = ftell(fp);
        fseek(fp, 0, SEEK_SET);
        char *buf = malloc((size_t)n + 1);
        assert_non_null(buf);
        assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
        fclose(fp);
        assert_null(memmem(buf, (size_t)n, "zq-draft-only", 13));
        assert_null(memmem(buf, (size_t)n, "zq-first-draft", 14));
        free(buf);
    }

    /* The exports: no names, no emails, no ids or times. */
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation.csv", h, &r));
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "p1@example.org"));
    assert_null(strstr(r.body, "p2@example.org"));
    assert_null(strstr(r.body, "Ana"));
    assert_null(strstr(r.body, "Uno"));
    assert_null(strstr(r.body, "2026-"));
    /* Two answer rows plus the header. */
    int lines = 0;
    for (const char *p = r.body; *p; p++)
        lines += *p == '\n';
    assert_true(lines >= 3);
    /* Hostile text stays text: no formula. */
    assert_null(strstr(r.body, ",=cmd"));
    assert_non_null(strstr(r.body, "'=cmd"));
    http_free(&r);
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/evaluation", h, &r));
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "p1@example.org"));
    assert_null(strstr(r.body, "Uno"));
    assert_null(strstr(r.body, "enrolment"));
    http_free(&r);
}

static json_t *question(json_t *results, const char *key)
{
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(results, "questions"), i, q)
        if (strcmp(json_string_value(json_object_get(q, "key")), key) == 0)
            return q;
    return NULL;
}

static void results_in_console_and_api(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation", h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "<svg"));
    /* Hostile text is shown as text. */
    assert_null(strstr(r.body, "<script>alert(1)"));
    assert_non_null(strstr(r.body, "&lt;script&gt;alert(1)"));
    assert_non_null(strstr(r.body, "Bea was here"));
    http_free(&r);

    assert_true(get_path(&srv, "/api/v1/events/sela-2022/evaluation", h, &r));
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    http_free(&r);
    json_t *c = json_array_get(json_object_get(j, "courses"), 0);
    assert_int_equal(json_integer_value(json_object_get(c, "respondents")), 2);
    assert_int_equal(json_integer_value(json_object_get(c, "asked")), 3);
    json_t *res = json_object_get(c, "results");
    json_t *obj = question(res, "objectives");
    assert_int_equal(json_integer_value(json_object_get(obj, "answered")), 2);
    assert_true(json_number_value(json_object_get(obj, "mean")) > 4.99);
    json_t *rec = question(res, "recommend");
    assert_int_equal(json_integer_value(json_object_get(rec, "promoters")), 2);
    assert_true(json_number_value(json_object_get(rec, "nps")) > 99.9);
    json_t *k = question(res, "knowledge");
    assert_int_equal(json_integer_value(json_object_get(k, "improved")), 2);
    json_decref(j);

    /* The API is for coordinators only. */
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/evaluation", NULL, &r));
    assert_int_equal(r.status, 401);
    http_free(&r);
    /* The XLSX is a zip with a native chart. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation.xlsx", h, &r));
    assert_int_equal(r.status, 200);
    assert_true(r.body_len > 4 && memcmp(r.body, "PK", 2) == 0);
    assert_non_null(memmem(r.body, r.body_len, "xl/charts/chart1.xml", 20));
    http_free(&r);
}

static void settings_locked_once_answered(void **state)
{
    (void)state;
    /* Removing a question once answers exist is refused; so is turning
     * the questionnaire named. */
    char body[600];
    snprintf(body, sizeof body,
             "csrf=%s&opens=2022-03-24T09:00&closes=2099-12-31T23:59&audience=registered"
             "&reminder_days=2%%2C7&low_mean=3&low_min=5&definition=%s", ctoken,
             "%7B%22sections%22%3A%5B%7B%22title%22%3A%7B%22es%22%3A%22S%22%2C%22en%22%3A%22S%22%7D"
             "%2C%22questions%22%3A%5B%7B%22key%22%3A%22objectives%22%2C%22type%22%3A%22agree%22%2C"
             "%22text%22%3A%7B%22es%22%3A%22A%22%2C%22en%22%3A%22A%22%7D%7D%5D%7D%5D%7D");
    struct http_response r;
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation",
                          body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "no se pueden quitar preguntas"));
    http_free(&r);
    assert_int_equal(count("SELECT customised FROM questionnaire q JOIN course c ON c.id = q.course_id"
                           " WHERE c.slug = 'cyberdiplomacy'"), 0);
    assert_int_equal(count("SELECT anonymous FROM questionnaire q JOIN course c ON c.id = q.course_id"
                           " WHERE c.slug = 'cyberdiplomacy'"), 1);
}

static void reminder_by_hand_with_preview(void **state)
{
    (void)state;
    struct http_response r;
    char body[200];
    snprintf(body, sizeof body, "csrf=%s", ctoken);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation/remind",
                          body, &r));
    assert_int_equal(r.status, 200);
    /* One person has not answered. */
    assert_non_null(strstr(r.body, "<strong>1</strong>"));
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_reminder'"), 0);
    snprintf(body, sizeof body, "csrf=%s&confirm=1", ctoken);
    assert_true(post_form(&srv, coord, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation/remind",
                          body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_reminder'"), 1);
    assert_int_equal(count("SELECT count(*) FROM outbox WHERE kind = 'evaluation_reminder'"
                           " AND to_addr = 'p3@example.org'"), 1);
}

/* A named questionnaire that allows it: the answer can be changed until
 * closing, in place; without the permission, a second sending is refused. */
static void named_answer_changed_until_closing(void **state)
{
    (void)state;
    add_registered_participant(data_dir, "p4@example.org", "techplomacy");
    db_query(data_dir, "UPDATE questionnaire SET anonymous = 0, allow_edit = 1 WHERE course_id ="
                       " (SELECT id FROM course WHERE slug = 'techplomacy')", NULL, 0);
    char cookies[400], token[64], path[100], body[1400];
    assert_true(sign_in_by_link(&srv, data_dir, "p4@example.org", cookies, sizeof cookies, token,
                                sizeof token));
    snprintf(path, sizeof path, "/me/evaluations/%ld",
             count("SELECT q.id FROM questionnaire q JOIN course c ON c.id = q.course_id"
                   " WHERE c.slug = 'techplomacy'"));
    const char *h[] = {cookies, NULL};
    struct http_response r;
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&%s&action=send", token, valid);
    assert_true(post_form(&srv, cookies, path, body, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    const char *mine = "SELECT json_extract(r.answers, '$.pace') FROM evaluation_response r"
                       " JOIN enrolment en ON en.id = r.enrolment_id JOIN application a"
                       " ON a.id = en.application_id WHERE a.email = 'p4@example.org'";
    assert_int_equal(count(mine), 3);
    /* The form shows the answer given, and takes a new one. */
    assert_true(get_path(&srv, path, h, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "value=\"3\" checked"));
    http_free(&r);
    snprintf(body, sizeof body, "csrf=%s&%s&action=send", token,
             "q.objectives=5&q.relevance=4&q.material=4&q.pace=1&q.organisation=5&q.usefulness=4"
             "&q.trainers.mario-torres-jarrin=5&q.trainers.shaun-riordan=4"
             "&q.knowledge.before=2&q.knowledge.after=4&q.apply=4&q.recommend=9");
    assert_true(post_form(&srv, cookies, path, body, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(count(mine), 1);
    assert_int_equal(count("SELECT count(*) FROM evaluation_response r JOIN questionnaire q"
                           " ON q.id = r.questionnaire_id JOIN course c ON c.id = q.course_id"
                           " WHERE c.slug = 'techplomacy'"), 1);
    /* Without the permission: refused, unchanged. */
    db_query(data_dir, "UPDATE questionnaire SET allow_edit = 0", NULL, 0);
    snprintf(body, sizeof body, "csrf=%s&%s&action=send", token, valid);
    assert_true(post_form(&srv, cookies, path, body, &r));
    assert_int_equal(r.status, 409);
    http_free(&r);
    assert_int_equal(count(mine), 1);

    /* Breakdown by country: a group shows only with enough answers. */
    const char *hc[] = {coord, NULL};
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/techplomacy/evaluation?by=country&lang=en",
                         hc, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "id=\"breakdown\""));
    assert_null(strstr(r.body, "Venezuela (n=1)"));
    http_free(&r);
    db_query(data_dir, "UPDATE questionnaire SET min_group = 1", NULL, 0);
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/techplomacy/evaluation?by=country&lang=en",
                         hc, &r));
    assert_non_null(strstr(r.body, "Venezuela (n=1)"));
    http_free(&r);
    db_query(data_dir, "UPDATE questionnaire SET min_group = 5", NULL, 0);
    /* An anonymous questionnaire keeps groups of one dimension only
     * (country): none by gender (test_evaluation_groups.c has the rest). */
    assert_true(get_path(&srv, "/admin/events/sela-2022/courses/cyberdiplomacy/evaluation?by=gender",
                         hc, &r));
    assert_null(strstr(r.body, "id=\"breakdown\""));
    http_free(&r);
}

static void low_mean_on_console_home(void **state)
{
    (void)state;
    struct http_response r;
    const char *h[] = {coord, NULL};
    /* Threshold above every mean, one answer enough: the item shows. */
    db_query(data_dir, "UPDATE questionnaire SET low_mean = 4.6, low_mean_min_answers = 2",
             NULL, 0);
    assert_true(get_path(&srv, "/admin?format=json", h, &r));
    assert_int_equal(r.status, 200);
    /* pace: 3 and 3, mean 3.00 of 2 answers; objectives 5.00 is not low. */
    assert_non_null(strstr(r.body, "has a mean of 3.00 (2 answers)"));
    assert_null(strstr(r.body, "has a mean of 5.00"));
    http_free(&r);
    /* Not enough answers yet: no item. */
    db_query(data_dir, "UPDATE questionnaire SET low_mean_min_answers = 3", NULL, 0);
    assert_true(get_path(&srv, "/admin?format=json", h, &r));
    assert_null(strstr(r.body, "has a mean of"));
    http_free(&r);
}

/* A questionnaire imported with the programme comes back out of aula
 * export as it went in; a faulty one is refused with its place. */
static void travels_with_the_programme(void **state)
{
    (void)state;
    char dir[256], src[600], file[600], out[200000];
    temp_dir(dir, sizeof dir);
    assert_int_equal(run_aula(NULL, NULL, 0, "init", "--data", dir, NULL), 0);
    source_path("examples/sela-2022/programme.json", src, sizeof src);
    FILE *fp = fopen(src, "rb");
    assert_non_null(fp);
    json_t *p = json_loadf(fp, JSON_PRESERVE_ORDER, NULL);
    fclose(fp);
    assert_non_null(p);
    json_t *c = json_array_get(json_object_get(json_object_get(p, "edition"), "courses"), 1);
    json_object_set_new(c, "evaluation", json_loads(
        "{\"opens_at\":\"2022-03-24T13:00:00Z\",\"closes_at\":\"2022-04-07T13:00:00Z\","
        "\"anonymous\":false,\"audience\":\"attended\",\"reminder_days\":[3],"
        "\"questionnaire\":{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},\"questions\":["
        "{\"key\":\"q1\",\"type\":\"multi\",\"min\":1,\"max\":2,\"text\":{\"es\":\"A\",\"en\":\"A\"},"
        "\"options\":[{\"es\":\"x\",\"en\":\"x\"},{\"es\":\"y\",\"en\":\"y\"}]}]}]}}", 0, NULL));
    snprintf(file, sizeof file, "%s/p.json", dir);
    assert_int_equal(json_dump_file(p, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022", NULL), 0);
    json_t *back = json_loads(out, 0, NULL);
    assert_non_null(back);
    json_t *c2 = json_array_get(json_object_get(json_object_get(back, "edition"), "courses"), 1);
    assert_true(json_equal(json_object_get(c, "evaluation"), json_object_get(c2, "evaluation")));
    /* The other course has the ready questionnaire, which is not exported. */
    json_t *c1 = json_array_get(json_object_get(json_object_get(back, "edition"), "courses"), 0);
    assert_null(json_object_get(c1, "evaluation"));
    json_decref(back);
    /* A faulty questionnaire: nothing imported, the place named. */
    json_object_set_new(json_object_get(c, "evaluation"), "audience", json_string("everyone"));
    assert_int_equal(json_dump_file(p, file, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    assert_int_not_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    assert_non_null(strstr(out, "$.edition.courses[1].evaluation.audience"));
    json_decref(p);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(invitations_only_to_participants),
        cmocka_unit_test(refused_answers_store_nothing),
        cmocka_unit_test(answer_by_link_once),
        cmocka_unit_test(answer_from_me),
        cmocka_unit_test(anonymity_holds),
        cmocka_unit_test(results_in_console_and_api),
        cmocka_unit_test(settings_locked_once_answered),
        cmocka_unit_test(reminder_by_hand_with_preview),
        cmocka_unit_test(named_answer_changed_until_closing),
        cmocka_unit_test(low_mean_on_console_home),
        cmocka_unit_test(travels_with_the_programme),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
