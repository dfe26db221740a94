/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Saving a programme writes every child row (phones, objectives, practical
 * items, institutions, signatories, trainers, topics, people of sessions)
 * with its values and in its order, as the file lists them; a course that
 * lists a trainer twice is refused with that reason and nothing is kept. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "domain/programme.h"
#include "store/db.h"
#include "store/programme_store.h"

static char dir[] = "/tmp/aula-programme-children-XXXXXX";
static arena *a;

/* Every row of sql, columns joined by '|', rows ending in '\n'. */
static const char *rows(const char *sql)
{
    strbuf sb;
    sb_init(&sb, a);
    sqlite3_stmt *st = db_stmt(sql);
    assert_non_null(st);
    while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const char *v = (const char *)sqlite3_column_text(st, i);
            sb_printf(&sb, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
        sb_putc(&sb, '\n');
    }
    sqlite3_reset(st);
    return sb_str(&sb);
}

/* Like assert_string_equal, with the first difference shown (the rows are
 * long for cmocka's message). */
#define same(got, want) same_at(got, want, __LINE__)
static void same_at(const char *got, const char *want, int line)
{
    size_t i = 0;
    while (got[i] && got[i] == want[i])
        i++;
    if (got[i] || want[i])
        fail_msg("line %d: rows differ at byte %zu: got \"%.80s\", want \"%.80s\"", line, i,
                 got + i, want + i);
}

static const char *s(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static const char *es(json_t *o, const char *key)
{
    return s(json_object_get(o, key), "es");
}

static const char *en(json_t *o, const char *key)
{
    return s(json_object_get(o, key), "en");
}

static json_t *load_programme(void)
{
    const char *root = getenv("AULA_SOURCE");
    char path[600];
    snprintf(path, sizeof path, "%s/examples/sela-2022/programme.json", root ? root : ".");
    json_error_t jerr;
    json_t *p = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    assert_non_null(p);
    char where[256], msg[512];
    assert_true(programme_validate(p, where, sizeof where, msg, sizeof msg));
    return p;
}

static int setup(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    char path[200], err[300];
    snprintf(path, sizeof path, "%s/aula.db", dir);
    db_configure(path);
    assert_true(db_migrate(err, sizeof err));
    a = arena_new(1 << 24);
    arena_set_current(a);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    db_close_all();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}

static void every_child_row_is_stored_in_order(void **state)
{
    (void)state;
    json_t *p = load_programme();
    char err[512];
    assert_true(programme_save(p, err, sizeof err));
    json_t *e = json_object_get(p, "edition");
    strbuf want;
    size_t i, j;
    json_t *x, *y;

    sb_init(&want, a);
    json_array_foreach(json_object_get(json_object_get(e, "contact"), "phones"), i, x)
        sb_printf(&want, "%s\n", json_string_value(x));
    assert_true(json_array_size(json_object_get(json_object_get(e, "contact"), "phones")) > 1);
    same(rows("SELECT phone FROM contact_phone ORDER BY sort_order"), sb_str(&want));

    sb_init(&want, a);
    json_array_foreach(json_object_get(e, "objectives"), i, x)
        sb_printf(&want, "%s|%s\n", s(x, "es"), s(x, "en"));
    same(rows("SELECT text_es, text_en FROM objective ORDER BY sort_order"),
                        sb_str(&want));

    sb_init(&want, a);
    json_array_foreach(json_object_get(e, "practical"), i, x)
        sb_printf(&want, "%s|%s|%s|%s|%s\n", s(x, "key"), es(x, "label"), en(x, "label"),
                  es(x, "body"), en(x, "body"));
    same(rows("SELECT item_key, label_es, label_en, body_es, body_en"
                             " FROM practical_item ORDER BY sort_order"),
                        sb_str(&want));

    sb_init(&want, a);
    json_array_foreach(json_object_get(e, "institutions"), i, x)
        sb_printf(&want, "%s|%s|%s|%s|%s|%s\n", s(x, "slug"), es(x, "name"), en(x, "name"),
                  s(x, "short_name") ? s(x, "short_name") : "NULL", s(x, "role"),
                  s(x, "url") ? s(x, "url") : "NULL");
    same(rows("SELECT slug, name_es, name_en, short_name, role, url"
                             " FROM institution ORDER BY sort_order"),
                        sb_str(&want));

    sb_init(&want, a);
    json_array_foreach(json_object_get(e, "signatories"), i, x)
        sb_printf(&want, "%s|%s|%s\n", s(x, "name"), es(x, "title"), en(x, "title"));
    same(rows("SELECT name, title_es, title_en FROM signatory ORDER BY sort_order"),
                        sb_str(&want));

    /* Trainers, course by course, in the file's order. */
    sb_init(&want, a);
    json_array_foreach(json_object_get(e, "courses"), i, x)
        json_array_foreach(json_object_get(x, "trainers"), j, y)
            sb_printf(&want, "%s|%s\n", s(x, "slug"), json_string_value(y));
    same(rows("SELECT c.slug, p.slug FROM course_trainer t"
                             " JOIN course c ON c.id = t.course_id"
                             " JOIN person p ON p.id = t.person_id"
                             " ORDER BY c.sort_order, t.sort_order"),
                        sb_str(&want));

    /* Topics and people of every session, in the programme's order. */
    strbuf topics, people;
    sb_init(&topics, a);
    sb_init(&people, a);
    size_t ci, di, bi, si;
    json_t *c, *d, *b, *se;
    int n = 0;
    json_array_foreach(json_object_get(e, "courses"), ci, c)
        json_array_foreach(json_object_get(c, "days"), di, d)
            json_array_foreach(json_object_get(d, "blocks"), bi, b)
                json_array_foreach(json_object_get(b, "sessions"), si, se) {
                    n++;
                    json_array_foreach(json_object_get(se, "topics"), j, y)
                        sb_printf(&topics, "%d|%s|%s\n", n, s(y, "es"), s(y, "en"));
                    json_array_foreach(json_object_get(se, "people"), j, y)
                        sb_printf(&people, "%d|%s|%s\n", n, s(y, "person"), s(y, "role"));
                }
    const char *order = "c.sort_order, d.sort_order, b.sort_order, s.sort_order";
    const char *from = " FROM programme_session s JOIN time_block b ON b.id = s.block_id"
                       " JOIN course_day d ON d.id = b.day_id JOIN course c ON c.id = d.course_id";
    /* db_stmt keeps statements by their text's address: one buffer each. */
    static char sql[1200], sql2[1200];
    snprintf(sql, sizeof sql,
             "WITH n AS (SELECT s.id, row_number() OVER (ORDER BY %s) AS k%s)"
             " SELECT n.k, t.text_es, t.text_en FROM topic t JOIN n ON n.id = t.session_id"
             " ORDER BY n.k, t.sort_order", order, from);
    assert_true(strlen(sb_str(&topics)) > 0);
    same(rows(sql), sb_str(&topics));
    snprintf(sql2, sizeof sql2,
             "WITH n AS (SELECT s.id, row_number() OVER (ORDER BY %s) AS k%s)"
             " SELECT n.k, p.slug, sp.role FROM session_person sp JOIN n ON n.id = sp.session_id"
             " JOIN person p ON p.id = sp.person_id ORDER BY n.k, sp.sort_order", order, from);
    assert_true(strlen(sb_str(&people)) > 0);
    same(rows(sql2), sb_str(&people));
    json_decref(p);
}

static void a_trainer_listed_twice_is_refused(void **state)
{
    (void)state;
    json_t *p = load_programme();
    json_t *e = json_object_get(p, "edition");
    json_object_set_new(e, "slug", json_string("sela-twice"));
    json_t *course = json_array_get(json_object_get(e, "courses"), 0);
    json_t *trainers = json_object_get(course, "trainers");
    json_array_append(trainers, json_array_get(trainers, 0));
    char err[512];
    assert_false(programme_save(p, err, sizeof err));
    char want[200];
    snprintf(want, sizeof want, "course %s lists a trainer twice", s(course, "slug"));
    assert_string_equal(err, want);
    same(rows("SELECT count(*) FROM edition WHERE slug = 'sela-twice'"), "0\n");
    json_decref(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_child_row_is_stored_in_order),
        cmocka_unit_test(a_trainer_listed_twice_is_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
