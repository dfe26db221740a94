/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Black-box tests of hostile content (issue #11, findings 8-11, 14, 15):
 * join links of people who left, visits that add no rows, spreadsheet
 * cells split on ';', names in calendar parameters, URLs typed into names,
 * direction controls in names and file names, trainers confined to their
 * courses' material, and certificate codes nobody can guess. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "harness.h"

static char data_dir[256];
static struct served srv;
static char admin[400], atoken[64];
static char ana[400], anatok[64];       /* cyberdiplomacy: withdraws */
static char carla[400], carlatok[64];   /* cyberdiplomacy: certificate */
static char trainer[400], trtok[64];    /* teaches cyberdiplomacy only */

static const char PDF[] = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

static int group_setup(void **state)
{
    (void)state;
    demo_setup(data_dir, sizeof data_dir);
    add_registered_participant(data_dir, "ana@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "carla@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "dora@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "eve@example.org", "cyberdiplomacy");
    add_registered_participant(data_dir, "bob@example.org", "techplomacy");
    db_query(data_dir, "UPDATE application SET given_names = 'Carla', family_names = 'Mendoza'"
                       " WHERE email = 'carla@example.org'", NULL, 0);
    /* The trainer account is Shaun Riordan, who teaches cyberdiplomacy only. */
    db_query(data_dir, "DELETE FROM course_trainer WHERE person_id = (SELECT id FROM person"
                       " WHERE name = 'Shaun Riordan') AND course_id = (SELECT id FROM course"
                       " WHERE slug = 'techplomacy')", NULL, 0);
    db_query(data_dir, "UPDATE person SET account_email = 'trainer@example.org'"
                       " WHERE name = 'Shaun Riordan'", NULL, 0);
    if (!serve_start(&srv, data_dir))
        return -1;
    return sign_in_admin(&srv, admin, sizeof admin, atoken, sizeof atoken) &&
           sign_in(&srv, "trainer%40example.org", "trainer-password-1", trainer,
                   sizeof trainer, trtok, sizeof trtok) &&
           sign_in_by_link(&srv, data_dir, "ana@example.org", ana, sizeof ana, anatok,
                           sizeof anatok) &&
           sign_in_by_link(&srv, data_dir, "carla@example.org", carla, sizeof carla, carlatok,
                           sizeof carlatok) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    demo_teardown(&srv, data_dir);
    return 0;
}

static long sql_long(const char *q)
{
    char out[64];
    db_query(data_dir, q, out, sizeof out);
    return atol(out);
}

static long enrolment_of(const char *email)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT en.id FROM enrolment en JOIN application a"
             " ON a.id = en.application_id WHERE a.email = '%s'", email);
    return sql_long(q);
}

/* The personal join link /me shows (path into out). */
static void join_link_of(const char *cookies, char *out, size_t n)
{
    struct http_response r;
    assert_true(get_path(&srv, "/me", (const char *const[]){cookies, NULL}, &r));
    assert_int_equal(r.status, 200);
    const char *j = strstr(r.body, "href=\"/j/");
    assert_non_null(j);
    snprintf(out, n, "%.*s", (int)(strchr(j + 6, '"') - (j + 6)), j + 6);
    http_free(&r);
}

/* ---- finding 8: join links ---- */

static void join_links_follow_the_place_and_count_without_rows(void **state)
{
    (void)state;
    struct http_response r;
    char body[600];
    long day = sql_long("SELECT d.id FROM course_day d JOIN course c ON c.id = d.course_id"
                        " WHERE c.slug = 'cyberdiplomacy' ORDER BY d.day LIMIT 1");
    snprintf(body, sizeof body, "csrf=%s&day=%ld&platform=zoom&join_url=https%%3A%%2F%%2F"
             "zoom.example%%2Fj%%2F4242&meeting_id=42&passcode=PASS", atoken, day);
    assert_true(post_form(&srv, admin, "/admin/events/sela-2022/meetings", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);

    char link[96], q[300];
    join_link_of(ana, link, sizeof link);
    long links_before = sql_long("SELECT count(*) FROM join_link");
    for (int i = 0; i < 3; i++) {
        assert_true(get_path(&srv, link, NULL, &r));
        assert_int_equal(r.status, 302);
        http_free(&r);
    }
    /* Three visits: a counter and two dates on the link, no row per visit. */
    snprintf(q, sizeof q, "SELECT visits FROM join_link WHERE token = '%s'", link + 3);
    assert_int_equal(sql_long(q), 3);
    snprintf(q, sizeof q, "SELECT first_visit_at IS NOT NULL AND last_visit_at >= first_visit_at"
             " FROM join_link WHERE token = '%s'", link + 3);
    assert_int_equal(sql_long(q), 1);
    assert_int_equal(sql_long("SELECT count(*) FROM join_link"), links_before);
    assert_int_equal(sql_long("SELECT count(*) FROM sqlite_master WHERE name = 'join_click'"), 0);
    /* Unknown tokens add nothing either. */
    for (int i = 0; i < 5; i++) {
        assert_true(get_path(&srv, "/j/AAAAAAAAAAAAAAAAAAAAAA", NULL, &r));
        assert_int_equal(r.status, 404);
        http_free(&r);
    }
    assert_int_equal(sql_long("SELECT count(*) FROM join_link"), links_before);

    /* Ana withdraws (before the course starts: it is moved ahead for that
     * moment): her link no longer opens the meeting. */
    db_query(data_dir, "UPDATE time_block SET start_utc = strftime('%Y-%m-%dT%H:%M:%SZ', start_utc,"
                       " '+10 years'), end_utc = strftime('%Y-%m-%dT%H:%M:%SZ', end_utc, '+10 years')",
             NULL, 0);
    snprintf(body, sizeof body, "csrf=%s&enrolment=%ld", anatok, enrolment_of("ana@example.org"));
    assert_true(post_form(&srv, ana, "/me/withdraw", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    db_query(data_dir, "UPDATE time_block SET start_utc = strftime('%Y-%m-%dT%H:%M:%SZ', start_utc,"
                       " '-10 years'), end_utc = strftime('%Y-%m-%dT%H:%M:%SZ', end_utc, '-10 years')",
             NULL, 0);
    snprintf(q, sizeof q, "SELECT revoked_at IS NOT NULL FROM join_link WHERE token = '%s'",
             link + 3);
    assert_int_equal(sql_long(q), 1);
    assert_true(get_path(&srv, link, NULL, &r));
    assert_int_equal(r.status, 404);
    assert_null(strstr(r.body, "zoom.example"));
    assert_null(r.headers ? strstr(r.headers, "zoom.example") : NULL);
    http_free(&r);
    snprintf(q, sizeof q, "SELECT visits FROM join_link WHERE token = '%s'", link + 3);
    assert_int_equal(sql_long(q), 3);

    /* Dora is taken off the course by any other path (here, straight in
     * the database): the link stops working all the same. */
    char dora[400], doratok[64], dlink[96];
    assert_true(sign_in_by_link(&srv, data_dir, "dora@example.org", dora, sizeof dora, doratok,
                                sizeof doratok));
    join_link_of(dora, dlink, sizeof dlink);
    assert_true(get_path(&srv, dlink, NULL, &r));
    assert_int_equal(r.status, 302);
    http_free(&r);
    db_query(data_dir, "UPDATE enrolment SET status = 'rejected' WHERE id = (SELECT en.id FROM"
                       " enrolment en JOIN application a ON a.id = en.application_id"
                       " WHERE a.email = 'dora@example.org')", NULL, 0);
    assert_true(get_path(&srv, dlink, NULL, &r));
    assert_int_equal(r.status, 404);
    assert_null(r.headers ? strstr(r.headers, "zoom.example") : NULL);
    http_free(&r);
}

/* ---- finding 9: spreadsheets and calendars ---- */

/* Every piece of the CSV, split at ; , and line breaks the way a Spanish
 * spreadsheet (or a naive reader) would, after any spaces and quotes. */
static void assert_csv_has_no_formula_piece(const char *csv)
{
    const char *p = csv;
    for (;;) {
        const char *q = p;
        while (*q == ' ' || *q == '"')
            q++;
        if (*q == '=' || *q == '+' || *q == '-' || *q == '@' || *q == '\t')
            fail_msg("a piece of the CSV starts a formula: %.60s", p);
        size_t n = strcspn(p, ";,\r\n");
        if (!p[n])
            break;
        p += n + 1;
    }
}

static void csv_cells_are_safe_in_a_semicolon_locale(void **state)
{
    (void)state;
    db_query(data_dir, "UPDATE application SET given_names = ';=cmd|'' /C calc''!A0',"
                       " institution = 'Ministerio;=HYPERLINK(\"http://evil.example\",\"x\")',"
                       " position = 'Jefa, @SUM(1+1)' WHERE email = 'bob@example.org'", NULL, 0);
    struct http_response r;
    assert_true(get_path(&srv, "/admin/events/sela-2022/applications.csv",
                         (const char *const[]){admin, NULL}, &r));
    assert_int_equal(r.status, 200);
    /* The hostile values are there, as text... */
    assert_non_null(strstr(r.body, "cmd|"));
    assert_non_null(strstr(r.body, "HYPERLINK"));
    /* ...neutralised where a ;-split would start a formula. */
    assert_non_null(strstr(r.body, ";'=cmd"));
    assert_non_null(strstr(r.body, "Ministerio;'=HYPERLINK"));
    assert_non_null(strstr(r.body, "Jefa, '@SUM"));
    assert_csv_has_no_formula_piece(r.body);
    http_free(&r);
}

/* Unfolds an iCalendar text (CRLF + space continues a line). */
static char *unfold(const char *ics)
{
    char *out = malloc(strlen(ics) + 1);
    size_t j = 0;
    for (const char *p = ics; *p; p++) {
        if (p[0] == '\r' && p[1] == '\n' && p[2] == ' ') {
            p += 2;
            continue;
        }
        out[j++] = *p;
    }
    out[j] = '\0';
    return out;
}

static void calendar_names_cannot_add_parameters(void **state)
{
    (void)state;
    db_query(data_dir, "UPDATE application SET given_names = 'Eve\";ROLE=CHAIR;X-A=1:mailto:"
                       "boss@evil.example', family_names = 'Smith,Jr' WHERE email ="
                       " 'eve@example.org'", NULL, 0);
    struct http_response r;
    char body[200];
    snprintf(body, sizeof body, "csrf=%s", atoken);
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/courses/cyberdiplomacy/invitations",
                               body, &r));
    assert_true(r.status == 303 || r.status == 200);
    http_free(&r);
    static char cal[16384];
    db_query(data_dir, "SELECT calendar FROM outbox WHERE to_addr = 'eve@example.org'"
                       " AND calendar IS NOT NULL ORDER BY id DESC LIMIT 1", cal, sizeof cal);
    assert_non_null(strstr(cal, "BEGIN:VCALENDAR"));
    char *u = unfold(cal);
    const char *att = strstr(u, "\r\nATTENDEE;");
    assert_non_null(att);
    char line[600];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(att + 2, "\r"), att + 2);
    assert_string_equal(line, "ATTENDEE;CN=\"Eve  ROLE=CHAIR X-A=1 mailto boss@evil.example "
                              "Smith Jr\";ROLE=REQ-PARTICIPANT;RSVP=TRUE;PARTSTAT=NEEDS-ACTION"
                              ":mailto:eve@example.org");
    assert_null(strstr(u, "mailto:boss"));
    assert_null(strstr(u, "ROLE=CHAIR;"));
    free(u);
}

/* ---- finding 10: links in mail ---- */

static void urls_typed_by_people_are_not_links_in_mail(void **state)
{
    (void)state;
    char cookie[200], token[64], submission[64];
    assert_true(csrf_pair(&srv, cookie + 8, sizeof cookie - 8, token, sizeof token));
    memcpy(cookie, "Cookie: ", 8);
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022/apply", (const char *const[]){cookie, NULL}, &r));
    const char *k = strstr(r.body, "name=\"submission\" value=\"");
    assert_non_null(k);
    k += 25;
    snprintf(submission, sizeof submission, "%.*s", (int)(strchr(k, '"') - k), k);
    http_free(&r);
    char body[2048];
    snprintf(body, sizeof body,
             "csrf=%s&submission=%s&form_of_address=ambassador"
             "&given_names=Mar%%C3%%ADa+https%%3A%%2F%%2Fevil.example%%2Flogin"
             "&family_names=http%%3A%%2F%%2Fphish.example%%2Fme&gender=female&country=VE"
             "&institution_type=foreign_ministry&institution=Ministerio&position=Consejera"
             "&email=phish%%40example.org&language=es&courses=cyberdiplomacy&consent=1"
             "&motivation=Quiero+aprender",
             token, submission);
    assert_true(post_form(&srv, cookie, "/events/sela-2022/apply", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    static char html[16384];
    db_query(data_dir, "SELECT body_html FROM outbox WHERE to_addr = 'phish@example.org'"
                       " ORDER BY id LIMIT 1", html, sizeof html);
    /* The typed URLs are shown as text, never as links... */
    assert_non_null(strstr(html, "https://evil.example/login"));
    assert_null(strstr(html, "href=\"https://evil.example"));
    assert_null(strstr(html, "href=\"http://phish.example"));
    /* ...while the system's own link to /me still is one. */
    char own[200];
    snprintf(own, sizeof own, "/me\">");
    assert_non_null(strstr(html, own));
    assert_non_null(strstr(html, "<a href=\"http"));
}

/* ---- finding 11: direction controls ---- */

static void direction_controls_refused_in_names(void **state)
{
    (void)state;
    char cookie[200], token[64], submission[64];
    assert_true(csrf_pair(&srv, cookie + 8, sizeof cookie - 8, token, sizeof token));
    memcpy(cookie, "Cookie: ", 8);
    struct http_response r;
    assert_true(get_path(&srv, "/events/sela-2022/apply", (const char *const[]){cookie, NULL}, &r));
    const char *k = strstr(r.body, "name=\"submission\" value=\"");
    assert_non_null(k);
    k += 25;
    snprintf(submission, sizeof submission, "%.*s", (int)(strchr(k, '"') - k), k);
    http_free(&r);
    char body[2048];
    snprintf(body, sizeof body,
             "csrf=%s&submission=%s&form_of_address=ambassador&given_names=Ana%%E2%%80%%AEzer%%C3%%A9P"
             "&family_names=Garc%%C3%%ADa&gender=female&country=VE"
             "&institution_type=foreign_ministry&institution=Ministerio&position=Consejera"
             "&email=rlo%%40example.org&language=es&courses=cyberdiplomacy&consent=1"
             "&motivation=Quiero+aprender",
             token, submission);
    assert_true(post_form(&srv, cookie, "/events/sela-2022/apply", body, &r));
    assert_int_equal(r.status, 422);
    assert_non_null(strstr(r.body, "caracteres de control de direcci"));
    http_free(&r);
    assert_int_equal(sql_long("SELECT count(*) FROM application WHERE email = 'rlo@example.org'"),
                     0);
}

/* A multipart upload of data as file_name (raw bytes in the header). */
static long upload(const char *cookies, const char *token, const char *course,
                   const char *file_name, struct http_response *r)
{
    size_t cap = 8192, n = 0;
    char *b = malloc(cap);
    n += (size_t)snprintf(b + n, cap - n,
                          "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n"
                          "--XyZ\r\nContent-Disposition: form-data; name=\"course\"\r\n\r\n%s\r\n"
                          "--XyZ\r\nContent-Disposition: form-data; name=\"title_es\"\r\n\r\n"
                          "Lectura\r\n"
                          "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                          "Content-Type: application/pdf\r\n\r\n",
                          token, course, file_name);
    memcpy(b + n, PDF, sizeof PDF - 1);
    n += sizeof PDF - 1;
    n += (size_t)snprintf(b + n, cap - n, "\r\n--XyZ--\r\n");
    char url[300];
    snprintf(url, sizeof url, "%s/admin/events/sela-2022/materials", srv.origin);
    const char *h[] = {cookies, "Content-Type: multipart/form-data; boundary=XyZ", NULL};
    assert_true(http("POST", url, h, b, n, r));
    free(b);
    return r->status;
}

static long material_named(const char *like)
{
    char q[300];
    snprintf(q, sizeof q, "SELECT id FROM material WHERE file_name LIKE '%s' ORDER BY id DESC",
             like);
    return sql_long(q);
}

static bool has_hidden_characters(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return true;
        if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae) ||
                             (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
            return true;
    }
    return false;
}

static void file_names_are_neutralised_and_the_zip_keeps_every_file(void **state)
{
    (void)state;
    struct http_response r;
    assert_int_equal(upload(admin, atoken, "cyberdiplomacy", "invoice\xe2\x80\xae" "fdp.exe", &r),
                     303);
    http_free(&r);
    assert_int_equal(upload(admin, atoken, "cyberdiplomacy", "ctl\x01\x1b" "name.pdf", &r), 303);
    http_free(&r);
    char name[200];
    db_query(data_dir, "SELECT file_name FROM material ORDER BY id DESC LIMIT 1 OFFSET 1", name,
             sizeof name);
    assert_string_equal(name, "invoice_fdp.exe");
    db_query(data_dir, "SELECT file_name FROM material ORDER BY id DESC LIMIT 1", name,
             sizeof name);
    assert_string_equal(name, "ctl__name.pdf");
    /* A name stored before this rule (written straight into the database)
     * is made safe where it is delivered. */
    long legacy = material_named("ctl__name.pdf");
    char q[300];
    snprintf(q, sizeof q, "UPDATE material SET file_name = 'old' || char(7) || char(8238)"
             " || 'fdp.exe' WHERE id = %ld", legacy);
    db_query(data_dir, q, NULL, 0);
    char path[64], v[400];
    snprintf(path, sizeof path, "/materials/%ld", legacy);
    assert_true(get_path(&srv, path, (const char *const[]){carla, NULL}, &r));
    assert_int_equal(r.status, 200);
    assert_true(header_value(&r, "Content-Disposition", v, sizeof v));
    assert_non_null(strstr(v, "filename*=UTF-8''old__fdp.exe"));
    http_free(&r);
    /* The course's list shows it safely too. */
    assert_true(get_path(&srv, "/api/v1/events/sela-2022/courses/cyberdiplomacy/materials",
                         (const char *const[]){carla, NULL}, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"old__fdp.exe\""));
    assert_null(strstr(r.body, "\\u202e"));
    assert_null(strstr(r.body, "\\u0007"));
    http_free(&r);

    /* materials.zip holds every file of the course, all names safe. */
    long expected = sql_long("SELECT count(*) FROM material m LEFT JOIN course c ON"
                             " c.id = m.course_id WHERE c.slug = 'cyberdiplomacy'"
                             " OR m.course_id IS NULL");
    assert_true(get_path(&srv, "/events/sela-2022/courses/cyberdiplomacy/materials.zip",
                         (const char *const[]){carla, NULL}, &r));
    assert_int_equal(r.status, 200);
    char zpath[400];
    snprintf(zpath, sizeof zpath, "%s/test.zip", data_dir);
    FILE *f = fopen(zpath, "wb");
    assert_non_null(f);
    fwrite(r.body, 1, r.body_len, f);
    fclose(f);
    http_free(&r);
    int err = 0;
    zip_t *z = zip_open(zpath, ZIP_RDONLY, &err);
    assert_non_null(z);
    assert_int_equal(zip_get_num_entries(z, 0), expected);
    bool found_legacy = false;
    for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
        const char *n = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        assert_non_null(n);
        assert_false(has_hidden_characters(n));
        assert_null(strchr(n, '/'));
        if (strstr(n, "old__fdp.exe"))
            found_legacy = true;
    }
    zip_close(z);
    unlink(zpath);
    assert_true(found_legacy);
}

/* ---- finding 14: trainers ---- */

static void trainers_reach_only_their_courses_material(void **state)
{
    (void)state;
    struct http_response r;
    assert_int_equal(upload(admin, atoken, "techplomacy", "tech-only.pdf", &r), 303);
    http_free(&r);
    assert_int_equal(upload(admin, atoken, "cyberdiplomacy", "cyber-own.pdf", &r), 303);
    http_free(&r);
    long tech = material_named("tech-only.pdf"), own = material_named("cyber-own.pdf");
    assert_true(tech > 0 && own > 0);
    const char *const ht[] = {trainer, NULL};

    /* The console list: their course's material, not the other's. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials", ht, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "cyber-own.pdf"));
    assert_null(strstr(r.body, "tech-only.pdf"));
    http_free(&r);
    /* The admin still sees everything. */
    assert_true(get_path(&srv, "/admin/events/sela-2022/materials",
                         (const char *const[]){admin, NULL}, &r));
    assert_non_null(strstr(r.body, "tech-only.pdf"));
    http_free(&r);

    /* Download, course page, API list and archive of the other course. */
    char path[64];
    snprintf(path, sizeof path, "/materials/%ld", tech);
    assert_true(get_path(&srv, path, ht, &r));
    assert_int_equal(r.status, 403);
    assert_null(strstr(r.body, "%PDF"));
    http_free(&r);
    const char *other[] = {"/events/sela-2022/courses/techplomacy/materials",
                           "/events/sela-2022/courses/techplomacy/materials.zip",
                           "/api/v1/events/sela-2022/courses/techplomacy/materials"};
    for (size_t i = 0; i < 3; i++) {
        assert_true(get_path(&srv, other[i], ht, &r));
        assert_int_equal(r.status, 403);
        assert_null(strstr(r.body, "tech-only.pdf"));
        http_free(&r);
    }
    /* Upload to and delete from the other course: refused, nothing changes. */
    long before = sql_long("SELECT count(*) FROM material");
    assert_int_equal(upload(trainer, trtok, "techplomacy", "sneaky.pdf", &r), 403);
    http_free(&r);
    assert_int_equal(sql_long("SELECT count(*) FROM material"), before);
    char body[200];
    snprintf(body, sizeof body, "csrf=%s&id=%ld", trtok, tech);
    assert_true(post_form(&srv, trainer, "/admin/events/sela-2022/materials/delete", body, &r));
    assert_int_equal(r.status, 403);
    http_free(&r);
    char q[100];
    snprintf(q, sizeof q, "SELECT count(*) FROM material WHERE id = %ld", tech);
    assert_int_equal(sql_long(q), 1);

    /* Their own course works. */
    snprintf(path, sizeof path, "/materials/%ld", own);
    assert_true(get_path(&srv, path, ht, &r));
    assert_int_equal(r.status, 200);
    http_free(&r);
    assert_int_equal(upload(trainer, trtok, "cyberdiplomacy", "trainer-notes.pdf", &r), 303);
    http_free(&r);
    assert_true(material_named("trainer-notes.pdf") > 0);
}

/* ---- finding 15: certificate codes ---- */

static bool code_char(char c)
{
    return c && strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c) != NULL;
}

static void certificate_codes_cannot_be_enumerated(void **state)
{
    (void)state;
    long en = enrolment_of("carla@example.org");
    char q[300];
    /* A name stored before direction controls were refused: the
     * certificate prints it in the order it is written. */
    db_query(data_dir, "UPDATE application SET family_names = 'Men' || char(8238) || 'doza'"
                       " WHERE email = 'carla@example.org'", NULL, 0);
    snprintf(q, sizeof q, "INSERT INTO eligibility_grant (enrolment_id, reason, granted_by,"
             " granted_at) VALUES (%ld, 'test', 'admin@example.org', '2026-01-01T00:00:00Z')", en);
    db_query(data_dir, q, NULL, 0);
    struct http_response r;
    char body[200];
    snprintf(body, sizeof body, "csrf=%s&course=cyberdiplomacy&enrolment=%ld", atoken, en);
    assert_true(post_confirmed(&srv, admin, "/admin/events/sela-2022/certificates/issue", body, &r));
    assert_int_equal(r.status, 303);
    http_free(&r);
    char number[80];
    snprintf(q, sizeof q, "SELECT number FROM certificate WHERE enrolment_id = %ld", en);
    db_query(data_dir, q, number, sizeof number);
    /* SELA-2022-CYB-0001-XXXXXXXX: the sequence, then 8 base32 symbols. */
    assert_int_equal(strlen(number), 27);
    assert_memory_equal(number, "SELA-2022-CYB-", 14);
    for (int i = 14; i < 18; i++)
        assert_true(number[i] >= '0' && number[i] <= '9');
    assert_int_equal(number[18], '-');
    for (int i = 19; i < 27; i++)
        assert_true(code_char(number[i]));
    /* The signed facts and the QR code's URL carry the whole code. */
    char facts[4096];
    snprintf(q, sizeof q, "SELECT facts FROM certificate WHERE enrolment_id = %ld", en);
    db_query(data_dir, q, facts, sizeof facts);
    char want[200];
    snprintf(want, sizeof want, "/verify/%s\"", number);
    assert_non_null(strstr(facts, want));
    assert_non_null(strstr(facts, "\"name\":\"Carla Mendoza\""));

    /* The whole code verifies; typed in lower case too. */
    char path[120];
    snprintf(path, sizeof path, "/verify/%s", number);
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Carla Mendoza"));
    http_free(&r);
    snprintf(path, sizeof path, "/verify/%s", number);
    for (char *p = path; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p + 32);
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "Carla Mendoza"));
    http_free(&r);

    /* The sequential part alone, or with a wrong final part, lists no one
     * and says to type the whole code. */
    const char *guesses[] = {"/verify/SELA-2022-CYB-0001", "/verify/SELA-2022-CYB-0002",
                             "/verify/SELA-2022-CYB-0001-00000000"};
    for (size_t i = 0; i < 3; i++) {
        assert_true(get_path(&srv, guesses[i], NULL, &r));
        assert_int_equal(r.status, 404);
        assert_null(strstr(r.body, "Carla"));
        assert_non_null(strstr(r.body, "código completo"));
        http_free(&r);
    }
    snprintf(path, sizeof path, "/verify/%.18s?lang=en", number);
    assert_true(get_path(&srv, path, NULL, &r));
    assert_int_equal(r.status, 404);
    assert_null(strstr(r.body, "Carla"));
    assert_non_null(strstr(r.body, "whole code"));
    http_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(join_links_follow_the_place_and_count_without_rows),
        cmocka_unit_test(csv_cells_are_safe_in_a_semicolon_locale),
        cmocka_unit_test(calendar_names_cannot_add_parameters),
        cmocka_unit_test(urls_typed_by_people_are_not_links_in_mail),
        cmocka_unit_test(direction_controls_refused_in_names),
        cmocka_unit_test(file_names_are_neutralised_and_the_zip_keeps_every_file),
        cmocka_unit_test(trainers_reach_only_their_courses_material),
        cmocka_unit_test(certificate_codes_cannot_be_enumerated),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
