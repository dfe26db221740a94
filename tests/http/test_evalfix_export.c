/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The questionnaire for a whole edition travels with aula export and
 * aula import: an export imported again exports byte for byte the same,
 * the settings land in the database, and a faulty one is refused with its
 * place while the edition already there stays as it was. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

static const char edition_eval[] =
    "{\"opens_at\":\"2022-03-25T08:00:00Z\",\"closes_at\":\"2022-04-10T08:00:00Z\","
    "\"anonymous\":false,\"audience\":\"attended\",\"reminder_days\":[4,9],"
    "\"questionnaire\":{\"sections\":[{\"title\":{\"es\":\"Todo\",\"en\":\"All\"},"
    "\"questions\":[{\"key\":\"whole\",\"type\":\"agree\",\"required\":true,"
    "\"text\":{\"es\":\"La edici\\u00f3n\",\"en\":\"The edition\"}}]}]},"
    "\"breakdown\":\"gender\"}";

static json_t *seed(void)
{
    char src[600];
    source_path("examples/sela-2022/programme.json", src, sizeof src);
    json_t *p = json_load_file(src, JSON_PRESERVE_ORDER, NULL);
    assert_non_null(p);
    return p;
}

/* Writes p as aula export prints it (two-space indent, final newline). */
static void write_file(json_t *p, const char *file)
{
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    assert_int_equal(json_dumpf(p, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER), 0);
    fputc('\n', fp);
    assert_int_equal(fclose(fp), 0);
}

/* A new data directory in dir with the seed and edition_eval imported from
 * file; returns that programme. */
static json_t *imported(char *dir, size_t dn, char *file, size_t fn)
{
    static char out[65536];
    temp_dir(dir, dn);
    assert_int_equal(run_aula(NULL, out, sizeof out, "init", "--data", dir, NULL), 0);
    json_t *p = seed();
    json_t *ev = json_loads(edition_eval, 0, NULL);
    assert_non_null(ev);
    json_object_set_new(json_object_get(p, "edition"), "evaluation", ev);
    snprintf(file, fn, "%s/p.json", dir);
    write_file(p, file);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    return p;
}

static void edition_questionnaire_round_trips(void **state)
{
    (void)state;
    static char out[200000];
    char dir[256], file[600], again[600], cmd[2000], row[400] = "";
    json_t *p = imported(dir, sizeof dir, file, sizeof file);

    /* Stored as the edition's own questionnaire, with the file's settings. */
    db_query(dir, "SELECT q.opens_at || '|' || q.closes_at || '|' || q.anonymous || '|' ||"
                  " q.audience || '|' || q.reminder_days || '|' || q.breakdown || '|' ||"
                  " json_extract(q.definition, '$.sections[0].questions[0].key')"
                  " FROM questionnaire q JOIN edition e ON e.id = q.edition_id"
                  " WHERE e.slug = 'sela-2022' AND q.course_id IS NULL",
             row, sizeof row);
    assert_string_equal(row, "2022-03-25T08:00:00Z|2022-04-10T08:00:00Z|0|attended|4,9|gender|whole");

    /* export -> the same bytes as the file; import that -> export the same again. */
    snprintf(cmd, sizeof cmd, "%s export --data %s sela-2022 | cmp -s - %s",
             getenv("AULA_BIN"), dir, file);
    assert_int_equal(system(cmd), 0);
    snprintf(again, sizeof again, "%s/again.json", dir);
    snprintf(cmd, sizeof cmd, "%s export --data %s sela-2022 > %s", getenv("AULA_BIN"), dir,
             again);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, again, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s export --data %s sela-2022 | cmp -s - %s",
             getenv("AULA_BIN"), dir, file);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(run_aula(NULL, out, sizeof out, "export", "--data", dir, "sela-2022", NULL), 0);
    json_t *back = json_loads(out, 0, NULL);
    assert_non_null(back);
    assert_true(json_equal(json_object_get(json_object_get(back, "edition"), "evaluation"),
                           json_object_get(json_object_get(p, "edition"), "evaluation")));
    json_decref(back);

    /* Only what the file says is filled in: the opening times from the
     * edition's last block, the ready questions. */
    json_t *e = json_object_get(p, "edition");
    json_object_set_new(e, "evaluation", json_pack("{s:b}", "anonymous", 1));
    write_file(p, file);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    db_query(dir, "SELECT q.anonymous || '|' || q.audience || '|' || q.reminder_days || '|' ||"
                  " (q.opens_at = (SELECT max(start_utc) FROM time_block)) || '|' ||"
                  " (q.definition = (SELECT definition FROM questionnaire"
                  "  WHERE course_id IS NOT NULL AND customised = 0 LIMIT 1))"
                  " FROM questionnaire q WHERE q.edition_id IS NOT NULL",
             row, sizeof row);
    assert_string_equal(row, "1|registered|2,7|1|1");

    /* Without one in the file there is none, and export adds none. */
    json_object_del(e, "evaluation");
    write_file(p, file);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 0);
    assert_int_equal(db_count(dir, "SELECT count(*) FROM questionnaire WHERE edition_id IS NOT NULL"), 0);
    snprintf(cmd, sizeof cmd, "%s export --data %s sela-2022 | cmp -s - %s",
             getenv("AULA_BIN"), dir, file);
    assert_int_equal(system(cmd), 0);
    json_decref(p);
    remove_tree(dir);
}

/* Imports p with the edition's evaluation ev_text and expects a refusal
 * naming place, with the stored questionnaire unchanged. */
static void refused(const char *dir, json_t *p, const char *ev_text, const char *place)
{
    static char out[65536];
    char file[600], row[200] = "";
    json_t *ev = json_loads(ev_text, 0, NULL);
    assert_non_null(ev);
    json_object_set_new(json_object_get(p, "edition"), "evaluation", ev);
    snprintf(file, sizeof file, "%s/bad.json", dir);
    write_file(p, file);
    assert_int_equal(run_aula(NULL, out, sizeof out, "import", "--data", dir, file, NULL), 1);
    if (!strstr(out, place))
        fail_msg("expected %s in: %s", place, out);
    assert_non_null(strstr(out, "nothing was imported"));
    db_query(dir, "SELECT reminder_days || '|' || audience FROM questionnaire"
                  " WHERE edition_id IS NOT NULL",
             row, sizeof row);
    assert_string_equal(row, "4,9|attended");
}

static void faulty_edition_questionnaire_is_refused(void **state)
{
    (void)state;
    char dir[256], file[600];
    json_t *p = imported(dir, sizeof dir, file, sizeof file);

    refused(dir, p, "[]", "$.edition.evaluation: expected an object");
    refused(dir, p, "{\"audience\":\"everyone\"}", "$.edition.evaluation.audience");
    refused(dir, p, "{\"reminder_days\":[1,2,3]}", "$.edition.evaluation.reminder_days");
    refused(dir, p, "{\"colour\":\"red\"}", "unknown key \"colour\"");
    refused(dir, p,
            "{\"questionnaire\":{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},"
            "\"questions\":[{\"key\":\"q\",\"type\":\"dance\",\"text\":{\"es\":\"A\",\"en\":\"A\"}}]}]}}",
            "$.edition.evaluation.questionnaire.sections[0].questions[0]");
    json_decref(p);
    remove_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edition_questionnaire_round_trips),
        cmocka_unit_test(faulty_edition_questionnaire_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
