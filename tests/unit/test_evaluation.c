/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's rules and figures.  The statistics are checked against
 * values computed by hand for a fixture of 20 answers (worked out in the
 * comments), so a change in how anything is counted shows here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/evaluation.h"

static const char *fixture_def =
    "{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},\"questions\":["
    "{\"key\":\"q_agree\",\"type\":\"agree\",\"required\":true,\"text\":{\"es\":\"A\",\"en\":\"A\"}},"
    "{\"key\":\"q_multi\",\"type\":\"multi\",\"min\":1,\"max\":2,\"text\":{\"es\":\"M\",\"en\":\"M\"},"
    " \"options\":[{\"es\":\"a\",\"en\":\"a\"},{\"es\":\"b\",\"en\":\"b\"},{\"es\":\"c\",\"en\":\"c\"},{\"es\":\"d\",\"en\":\"d\"}]},"
    "{\"key\":\"q_nps\",\"type\":\"nps\",\"required\":true,\"text\":{\"es\":\"N\",\"en\":\"N\"}},"
    "{\"key\":\"q_ba\",\"type\":\"before_after\",\"text\":{\"es\":\"B\",\"en\":\"B\"}},"
    "{\"key\":\"q_tr\",\"type\":\"trainer\",\"text\":{\"es\":\"T\",\"en\":\"T\"}},"
    "{\"key\":\"q_text\",\"type\":\"long\",\"text\":{\"es\":\"X\",\"en\":\"X\"}}]}]}";

static const char *fixture_answers = "["
    "{\"q_agree\":5,\"q_multi\":[0],\"q_nps\":10,\"q_ba\":{\"before\":2,\"after\":4},\"q_tr\":{\"ana\":5,\"ben\":2},\"q_text\":\"Muy bien\"},"
    "{\"q_agree\":5,\"q_multi\":[0,1],\"q_nps\":10,\"q_ba\":{\"before\":3,\"after\":4},\"q_tr\":{\"ana\":4,\"ben\":2},\"q_text\":\"\"},"
    "{\"q_agree\":5,\"q_multi\":[0,2],\"q_nps\":9,\"q_ba\":{\"before\":1,\"after\":3},\"q_tr\":{\"ana\":0,\"ben\":1}},"
    "{\"q_agree\":4,\"q_multi\":[1],\"q_nps\":9,\"q_ba\":{\"before\":3,\"after\":3},\"q_tr\":{\"ana\":3}},"
    "{\"q_agree\":4,\"q_multi\":[1,2],\"q_nps\":9,\"q_ba\":{\"before\":4,\"after\":3},\"q_text\":\"<script>x</script>\"},"
    "{\"q_agree\":4,\"q_multi\":[0,1],\"q_nps\":8,\"q_ba\":{\"before\":2,\"after\":5},\"q_text\":\"=1+1\"},"
    "{\"q_agree\":4,\"q_multi\":[3],\"q_nps\":8,\"q_ba\":{\"before\":3,\"after\":5}},"
    "{\"q_agree\":3,\"q_multi\":[0],\"q_nps\":7,\"q_ba\":{\"before\":2}},"
    "{\"q_agree\":3,\"q_multi\":[2,3],\"q_nps\":7},"
    "{\"q_agree\":2,\"q_multi\":[0,3],\"q_nps\":7},"
    "{\"q_agree\":1,\"q_nps\":6},"
    "{\"q_agree\":0,\"q_nps\":6},"
    "{\"q_agree\":0,\"q_nps\":5},"
    "{\"q_agree\":5,\"q_nps\":3},"
    "{\"q_agree\":4,\"q_nps\":0},"
    "{\"q_agree\":4,\"q_nps\":10},"
    "{\"q_agree\":3,\"q_nps\":9},"
    "{\"q_agree\":2,\"q_nps\":8},"
    "{\"q_nps\":6},"
    "{\"q_nps\":9}]";

static json_t *load(const char *s)
{
    json_error_t e;
    json_t *v = json_loads(s, 0, &e);
    assert_non_null(v);
    return v;
}

static json_t *q_stats(json_t *stats, const char *key)
{
    size_t i;
    json_t *q;
    json_array_foreach(json_object_get(stats, "questions"), i, q)
        if (strcmp(json_string_value(json_object_get(q, "key")), key) == 0)
            return q;
    fail_msg("no statistics for %s", key);
    return NULL;
}

static long ival(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_integer(v));
    return (long)json_integer_value(v);
}

static double dval(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    assert_true(json_is_number(v));
    return json_number_value(v);
}

#define CLOSE(a, b) assert_true((a) > (b) - 1e-9 && (a) < (b) + 1e-9)

static void fixture_figures(void **state)
{
    (void)state;
    json_t *def = load(fixture_def), *resp = load(fixture_answers);
    json_t *trainers = load("[\"ana\", \"ben\"]");
    char path[200], msg[200];
    assert_true(evaluation_validate_definition(def, path, sizeof path, msg, sizeof msg));
    json_t *st = evaluation_stats(def, trainers, resp);
    assert_int_equal(ival(st, "respondents"), 20);

    /* Agreement: 18 answered; N/A 2, 1:1, 2:2, 3:3, 4:6, 5:4.  The mean
     * leaves N/A out: (1 + 4 + 9 + 24 + 20) / 16 = 3.625 (with N/A as 0 it
     * would be 58 / 18 = 3.22).  Percentages of the 18 who answered. */
    json_t *a = q_stats(st, "q_agree");
    assert_int_equal(ival(a, "answered"), 18);
    long want[] = {2, 1, 2, 3, 6, 4};
    for (int v = 0; v <= 5; v++)
        assert_int_equal(json_integer_value(json_array_get(json_object_get(a, "counts"), v)), want[v]);
    CLOSE(dval(a, "mean"), 3.625);
    assert_int_equal(ival(a, "n_mean"), 16);
    CLOSE(json_number_value(json_array_get(json_object_get(a, "percent"), 4)), 100.0 * 6 / 18);
    CLOSE(json_number_value(json_array_get(json_object_get(a, "percent"), 0)), 100.0 * 2 / 18);
    CLOSE(dval(a, "agree"), 62.5);     /* (6 + 4) / 16 */
    CLOSE(dval(a, "disagree"), 18.75); /* (1 + 2) / 16 */

    /* Multiple choice: 10 respondents, 16 ticks; a 6, b 4, c 3, d 3.
     * Percentages of respondents: 60, 40, 30, 30 (of ticks a would be 37.5). */
    json_t *m = q_stats(st, "q_multi");
    assert_int_equal(ival(m, "answered"), 10);
    long wm[] = {6, 4, 3, 3};
    double pm[] = {60, 40, 30, 30};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(json_integer_value(json_array_get(json_object_get(m, "counts"), i)), wm[i]);
        CLOSE(json_number_value(json_array_get(json_object_get(m, "percent"), i)), pm[i]);
    }

    /* NPS: promoters (9-10) 8, passives (7-8) 6, detractors (0-6) 6 of 20:
     * 40% - 30% = 10.  Mean 146 / 20 = 7.3. */
    json_t *n = q_stats(st, "q_nps");
    assert_int_equal(ival(n, "answered"), 20);
    assert_int_equal(ival(n, "promoters"), 8);
    assert_int_equal(ival(n, "passives"), 6);
    assert_int_equal(ival(n, "detractors"), 6);
    CLOSE(dval(n, "nps"), 10.0);
    CLOSE(dval(n, "mean"), 7.3);

    /* Before/after: 7 complete pairs (the 8th has no "after" and is left
     * out); before 18 / 7, after 27 / 7; improved 5 of 7. */
    json_t *b = q_stats(st, "q_ba");
    assert_int_equal(ival(b, "pairs"), 7);
    CLOSE(dval(b, "mean_before"), 18.0 / 7);
    CLOSE(dval(b, "mean_after"), 27.0 / 7);
    assert_int_equal(ival(b, "improved"), 5);
    assert_int_equal(ival(b, "same"), 1);
    assert_int_equal(ival(b, "worse"), 1);
    CLOSE(dval(b, "improved_percent"), 500.0 / 7);

    /* Per trainer: ana 5, 4, N/A, 3 -> mean 4 of 3; ben 2, 2, 1 -> 5 / 3. */
    json_t *rows = json_object_get(q_stats(st, "q_tr"), "rows");
    assert_int_equal(json_array_size(rows), 2);
    json_t *ana = json_array_get(rows, 0), *ben = json_array_get(rows, 1);
    assert_string_equal(json_string_value(json_object_get(ana, "trainer")), "ana");
    assert_int_equal(ival(ana, "answered"), 4);
    CLOSE(dval(ana, "mean"), 4.0);
    CLOSE(dval(ben, "mean"), 5.0 / 3);

    /* Texts: the three non-empty ones, as written. */
    json_t *t = evaluation_texts(resp, "q_text");
    assert_int_equal(json_array_size(t), 3);
    assert_string_equal(json_string_value(json_array_get(t, 1)), "<script>x</script>");
    assert_int_equal(ival(q_stats(st, "q_text"), "answered"), 3);

    /* Low means: below 3 with at least 3 answers in the mean, only ben;
     * asking for 4 answers leaves ben out too. */
    json_t *low = evaluation_low_means(st, 3.0, 3);
    assert_int_equal(json_array_size(low), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(low, 0), "sub")), "ben");
    json_t *low4 = evaluation_low_means(st, 3.0, 4);
    assert_int_equal(json_array_size(low4), 0);
    json_t *low_all = evaluation_low_means(st, 3.7, 3);
    assert_int_equal(json_array_size(low_all), 2); /* q_agree 3.625 and ben */

    json_decref(low);
    json_decref(low4);
    json_decref(low_all);
    json_decref(t);
    json_decref(st);
    json_decref(def);
    json_decref(resp);
    json_decref(trainers);
}

static size_t check(json_t *def, const char *answer, bool final, const char **why)
{
    json_t *trainers = load("[\"ana\", \"ben\"]");
    json_t *r = load(answer);
    struct eval_error errs[8];
    size_t n = evaluation_check(def, trainers, r, final, errs, 8);
    *why = n ? errs[0].msgid : NULL;
    json_decref(r);
    json_decref(trainers);
    return n;
}

static void answers_refused(void **state)
{
    (void)state;
    json_t *def = load(fixture_def);
    const char *why;
    /* A complete valid answer. */
    assert_int_equal(check(def, "{\"q_agree\":4,\"q_nps\":9,\"q_multi\":[0,3],"
                                "\"q_ba\":{\"before\":1,\"after\":5},\"q_tr\":{\"ana\":5,\"ben\":0}}",
                           true, &why), 0);
    /* Off the scale, both ways. */
    assert_int_equal(check(def, "{\"q_agree\":6,\"q_nps\":9}", true, &why), 1);
    assert_string_equal(why, "eval.err.scale");
    assert_int_equal(check(def, "{\"q_agree\":-1,\"q_nps\":9}", true, &why), 1);
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":11}", true, &why), 1);
    assert_int_equal(check(def, "{\"q_agree\":\"4\",\"q_nps\":9}", true, &why), 1);
    /* A choice not offered, a tick twice, more ticks than allowed, fewer. */
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":9,\"q_multi\":[4]}", true, &why), 1);
    assert_string_equal(why, "eval.err.choice");
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":9,\"q_multi\":[1,1]}", true, &why), 1);
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":9,\"q_multi\":[0,1,2]}", true, &why), 1);
    assert_string_equal(why, "eval.err.too_many");
    /* A trainer not of this course. */
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":9,\"q_tr\":{\"eve\":5}}", false, &why), 1);
    assert_string_equal(why, "eval.err.choice");
    /* A question that does not exist. */
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":9,\"sneaky\":1}", true, &why), 1);
    assert_string_equal(why, "eval.err.unknown");
    /* Required questions: a draft may leave them, the final answer not. */
    assert_int_equal(check(def, "{\"q_agree\":3}", false, &why), 0);
    assert_int_equal(check(def, "{\"q_agree\":3}", true, &why), 1);
    assert_string_equal(why, "eval.err.required");
    /* Half a before/after pair is a draft's, not a final answer's. */
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":1,\"q_ba\":{\"before\":2}}", false, &why), 0);
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":1,\"q_ba\":{\"before\":2}}", true, &why), 1);
    assert_int_equal(check(def, "{\"q_agree\":3,\"q_nps\":1,\"q_ba\":{\"before\":0,\"after\":2}}", false, &why), 1);

    /* Texts: 5,000 characters (of two bytes each) pass, 5,001 do not. */
    char *big = malloc(2 * 5001 + 64);
    assert_non_null(big);
    strcpy(big, "{\"q_text\":\"");
    size_t at = strlen(big);
    for (int i = 0; i < 5000; i++) {
        big[at++] = (char)0xC3;
        big[at++] = (char)0xB1; /* ñ */
    }
    strcpy(big + at, "\"}");
    assert_int_equal(check(def, big, false, &why), 0);
    big[at++] = 'x';
    strcpy(big + at, "\"}");
    assert_int_equal(check(def, big, false, &why), 1);
    assert_string_equal(why, "eval.err.too_long");
    free(big);
    json_decref(def);
}

static void definitions(void **state)
{
    (void)state;
    char path[200], msg[200];
    json_t *d = evaluation_default_definition();
    assert_true(evaluation_validate_definition(d, path, sizeof path, msg, sizeof msg));
    /* The ready questionnaire asks what the issue lists. */
    json_t *none = json_array();
    json_t *stats = evaluation_stats(d, none, none);
    const char *keys[] = {"objectives", "relevance", "material", "trainers", "pace",
                          "organisation", "interpretation", "usefulness", "knowledge", "apply",
                          "recommend", "most_useful", "improve", "topics"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        q_stats(stats, keys[i]);
    json_decref(stats);
    json_decref(none);

    /* Removing a question, or changing its type, is refused once answers
     * exist; rewording is not. */
    json_t *reworded = json_deep_copy(d);
    json_t *q0 = json_array_get(json_object_get(json_array_get(json_object_get(reworded, "sections"), 0), "questions"), 0);
    json_object_set_new(json_object_get(q0, "text"), "en", json_string("Were the objectives clear?"));
    assert_true(evaluation_keeps_questions(d, reworded));
    json_object_set_new(q0, "type", json_string("nps"));
    assert_false(evaluation_keeps_questions(d, reworded));
    json_t *removed = json_deep_copy(d);
    json_array_remove(json_object_get(json_array_get(json_object_get(removed, "sections"), 0), "questions"), 0);
    assert_false(evaluation_keeps_questions(d, removed));

    /* Malformed definitions name the place. */
    json_t *dup = load("{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},\"questions\":["
                       "{\"key\":\"a\",\"type\":\"agree\",\"text\":{\"es\":\"A\",\"en\":\"A\"}},"
                       "{\"key\":\"a\",\"type\":\"agree\",\"text\":{\"es\":\"A\",\"en\":\"A\"}}]}]}");
    assert_false(evaluation_validate_definition(dup, path, sizeof path, msg, sizeof msg));
    assert_string_equal(path, "$.sections[0].questions[1]");
    json_t *bad = load("{\"sections\":[{\"title\":{\"es\":\"S\",\"en\":\"S\"},\"questions\":["
                       "{\"key\":\"a\",\"type\":\"multi\",\"min\":3,\"max\":2,\"text\":{\"es\":\"A\",\"en\":\"A\"},"
                       "\"options\":[{\"es\":\"x\",\"en\":\"x\"}]}]}]}");
    assert_false(evaluation_validate_definition(bad, path, sizeof path, msg, sizeof msg));
    json_t *untranslated = load("{\"sections\":[{\"title\":{\"es\":\"S\"},\"questions\":["
                       "{\"key\":\"a\",\"type\":\"agree\",\"text\":{\"es\":\"A\",\"en\":\"A\"}}]}]}");
    assert_false(evaluation_validate_definition(untranslated, path, sizeof path, msg, sizeof msg));
    assert_string_equal(path, "$.sections[0].title");
    json_decref(dup);
    json_decref(bad);
    json_decref(untranslated);
    json_decref(reworded);
    json_decref(removed);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fixture_figures),
        cmocka_unit_test(answers_refused),
        cmocka_unit_test(definitions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
