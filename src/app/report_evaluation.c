/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's part of the final report: for each questionnaire of the
 * edition, how many were asked and answered, whether it is still open, its
 * statistics with each trainer's slug replaced by their name, and the
 * comments the coordinator chose to quote (none unless chosen), each
 * exactly as written.  Also the list of comments to choose from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/digest.h"
#include "../domain/evaluation.h"
#include "../store/db.h"
#include "../store/evaluation_store.h"
#include "../store/programme_store.h"
#include "../store/report_store.h"
#include "report.h"

static void name_trainers(json_t *stats, json_t *trainers)
{
    size_t i, j, k;
    json_t *q, *row, *t;
    json_array_foreach(json_object_get(stats, "questions"), i, q) {
        json_array_foreach(json_object_get(q, "rows"), j, row) {
            const char *slug = json_string_value(json_object_get(row, "trainer"));
            json_array_foreach(trainers, k, t)
                if (slug && strcmp(slug, json_string_value(json_object_get(t, "slug"))) == 0)
                    json_object_set(row, "trainer", json_object_get(t, "name"));
        }
    }
}

/* A comment's id in the console: the questionnaire, the answer and the
 * question.  The answer's id is random (it says nothing of who answered
 * or when) and only coordinators see it. */
static char *comment_id(int64_t qid, int64_t response_id, const char *key)
{
    char buf[160];
    snprintf(buf, sizeof buf, "%lld-%lld-%s", (long long)qid, (long long)response_id, key);
    return strdup(buf);
}

/* Every non-empty answer to a free-text question of questionnaire q:
 * [{id, response_id, key, question, text, sha256, chosen}] in the order of
 * the questions, then of the answers' ids.  chosen: the coordinator chose
 * it and the text is still the one chosen. */
static json_t *comments_of(json_t *q)
{
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    json_t *answers = report_comment_answers(qid), *choices = report_quote_choices(qid);
    json_t *out = json_array();
    size_t s, i, r;
    json_t *sec, *question, *resp;
    json_array_foreach(json_object_get(json_object_get(q, "definition"), "sections"), s, sec) {
        json_array_foreach(json_object_get(sec, "questions"), i, question) {
            const char *type = json_string_value(json_object_get(question, "type"));
            const char *key = json_string_value(json_object_get(question, "key"));
            if (!type || !key || (strcmp(type, "short") != 0 && strcmp(type, "long") != 0))
                continue;
            json_array_foreach(answers, r, resp) {
                const char *text =
                    json_string_value(json_object_get(json_object_get(resp, "answers"), key));
                if (!text || !*text)
                    continue;
                int64_t rid = json_integer_value(json_object_get(resp, "response_id"));
                char sha[SHA256_HEX_SIZE], ck[128];
                sha256_hex_of(text, strlen(text), sha);
                snprintf(ck, sizeof ck, "%lld/%s", (long long)rid, key);
                const char *chosen = json_string_value(json_object_get(choices, ck));
                char *id = comment_id(qid, rid, key);
                json_array_append_new(out, json_pack("{s:s, s:I, s:s, s:O, s:s, s:s, s:b}", "id",
                    id ? id : "", "response_id", (json_int_t)rid, "key", key, "question",
                    json_object_get(question, "text"), "text", text, "sha256", sha, "chosen",
                    chosen && strcmp(chosen, sha) == 0));
                free(id);
            }
        }
    }
    json_decref(answers);
    json_decref(choices);
    return out;
}

json_t *report_evaluation_part(const char *edition)
{
    json_t *qs = evaluation_of_edition(edition);
    if (!json_array_size(qs)) {
        json_decref(qs);
        return NULL;
    }
    char now[32];
    db_now(now);
    json_t *courses = json_array();
    json_int_t min_group = 5;
    size_t i, j;
    json_t *item, *p, *t, *cm;
    json_array_foreach(qs, i, item) {
        json_t *q = evaluation_get_id(json_integer_value(json_object_get(item, "id")));
        if (!q)
            continue;
        int64_t id = json_integer_value(json_object_get(q, "id"));
        json_t *people = evaluation_audience(id);
        json_int_t asked = 0, answered = 0;
        json_array_foreach(people, j, p) {
            asked++;
            answered += json_is_true(json_object_get(p, "answered"));
        }
        json_t *slugs = json_array();
        json_array_foreach(json_object_get(q, "trainers"), j, t)
            json_array_append(slugs, json_object_get(t, "slug"));
        json_t *responses = evaluation_responses(id);
        json_t *stats = evaluation_stats(json_object_get(q, "definition"), slugs, responses);
        name_trainers(stats, json_object_get(q, "trainers"));
        const char *opens = json_string_value(json_object_get(q, "opens_at"));
        const char *closes = json_string_value(json_object_get(q, "closes_at"));
        bool open = opens && closes && strcmp(opens, now) <= 0 && strcmp(now, closes) < 0;
        if (json_integer_value(json_object_get(q, "min_group")) > 0)
            min_group = json_integer_value(json_object_get(q, "min_group"));
        /* Only what the coordinator chose, as written. */
        json_t *quotes = json_array(), *comments = comments_of(q);
        json_array_foreach(comments, j, cm)
            if (json_is_true(json_object_get(cm, "chosen")))
                json_array_append(quotes, json_object_get(cm, "text"));
        /* The edition's own questionnaire has no course: its title is the
         * edition's. */
        json_array_append_new(courses, json_pack("{s:O?, s:I, s:I, s:b, s:o, s:o, s:O?}", "course",
            json_object_get(q, "course"), "asked", asked, "answered", answered, "open", open,
            "stats", stats ? stats : json_null(), "quotes", quotes, "title",
            json_is_true(json_object_get(q, "edition_wide")) ? json_object_get(q, "course_title")
                                                             : NULL));
        json_decref(comments);
        json_decref(responses);
        json_decref(slugs);
        json_decref(people);
        json_decref(q);
    }
    json_decref(qs);
    return json_pack("{s:I, s:o}", "min_group", min_group, "courses", courses);
}

/* The comments of every questionnaire of the edition: [{qid, course,
 * course_title, comments (as comments_of gives them)}]; NULL for an
 * unknown edition. */
static json_t *edition_comments(const char *edition)
{
    json_t *qs = edition && programme_load(edition, false) ? evaluation_of_edition(edition) : NULL;
    if (!qs)
        return NULL;
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(qs, i, item) {
        json_t *q = evaluation_get_id(json_integer_value(json_object_get(item, "id")));
        if (!q)
            continue;
        json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o}", "qid",
            json_object_get(q, "id"), "course", json_object_get(item, "course"), "course_title",
            json_object_get(item, "course_title"), "comments", comments_of(q)));
        json_decref(q);
    }
    json_decref(qs);
    return out;
}

json_t *app_report_comments(const struct app_ctx *ctx, const char *edition, struct app_err *err)
{
    (void)ctx;
    json_t *all = edition_comments(edition);
    if (!all)
        return app_fail(err, APP_NOT_FOUND, "error.no_edition", NULL), NULL;
    /* Only what the page shows: no answer's id or hash apart from the
     * comment's own id. */
    size_t i, j;
    json_t *c, *cm;
    json_array_foreach(all, i, c) {
        json_object_del(c, "qid");
        json_array_foreach(json_object_get(c, "comments"), j, cm) {
            json_object_del(cm, "response_id");
            json_object_del(cm, "key");
            json_object_del(cm, "sha256");
        }
    }
    return all;
}

bool app_report_choose(const struct app_ctx *ctx, const char *edition, const char *id,
                       bool chosen, struct app_err *err)
{
    json_t *all = edition_comments(edition), *found = NULL;
    int64_t qid = 0;
    size_t i, j;
    json_t *c, *cm;
    json_array_foreach(all, i, c) {
        json_array_foreach(json_object_get(c, "comments"), j, cm) {
            if (!found && id && strcmp(id, json_string_value(json_object_get(cm, "id"))) == 0) {
                found = cm;
                qid = json_integer_value(json_object_get(c, "qid"));
            }
        }
    }
    bool ok = found && report_quote_set(qid,
        json_integer_value(json_object_get(found, "response_id")),
        json_string_value(json_object_get(found, "key")),
        json_string_value(json_object_get(found, "sha256")), chosen, ctx->actor, edition);
    json_decref(all);
    if (!found)
        return app_fail(err, APP_NOT_FOUND, "report.no_comment", NULL);
    return ok ? true : app_fail(err, APP_FAILED, "error.export", NULL);
}
