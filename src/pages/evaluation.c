/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Answering an evaluation: from /me, or from the personal link in the
 * email without signing in.  One form for both, built from the
 * questionnaire in the request's language; a draft until sent, one
 * submission.  A refused answer stores nothing and shows each fault next to
 * its question. */
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/evaluation.h"
#include "../domain/evaluation.h"
#include "../store/evaluation_store.h"
#include "evaluation_pages.h"
#include "render.h"
#include "programme_view.h"

/* ---- the form as the template sees it ---- */

static json_t *choice(request *req, const char *name, const char *value, json_t *label,
                      bool checked)
{
    return json_pack("{s:s, s:s, s:O, s:b, s:s}", "name", name, "value", value, "label", label,
                     "checked", checked, "id", arena_printf(req->a, "%s-%s", name, value));
}

/* The agreement scale (with "not applicable" when na) for field name, the
 * current value cur (0 = N/A) marked. */
static json_t *agree_choices(request *req, const char *name, json_t *cur, bool na,
                             const char *labels)
{
    json_t *arr = json_array();
    for (int v = 1; v <= EVAL_AGREE_MAX; v++) {
        char key[40], val[4];
        snprintf(key, sizeof key, "eval.%s.%d", labels, v);
        snprintf(val, sizeof val, "%d", v);
        json_t *l = bilingual_tr(key);
        json_array_append_new(arr, choice(req, name, val, l,
                                          json_is_integer(cur) && json_integer_value(cur) == v));
        json_decref(l);
    }
    if (na) {
        json_t *l = bilingual_tr("eval.na");
        json_array_append_new(arr, choice(req, name, "na", l,
                                          json_is_integer(cur) && json_integer_value(cur) == 0));
        json_decref(l);
    }
    return arr;
}

static json_t *row(request *req, const char *name, json_t *text, json_t *choices)
{
    return json_pack("{s:s, s:O, s:o, s:s}", "name", name, "text", text, "choices", choices, "id",
                     arena_printf(req->a, "r-%s", name));
}

static json_t *question_view(request *req, json_t *q, json_t *trainers, json_t *answers,
                             const struct eval_error *errs, size_t nerr)
{
    const char *k = json_string_value(json_object_get(q, "key"));
    const char *type = json_string_value(json_object_get(q, "type"));
    const char *name = arena_printf(req->a, "q.%s", k);
    json_t *cur = json_object_get(answers, k);
    json_t *v = json_pack("{s:s, s:s, s:O, s:b}", "key", k, "name", name, "text",
                          json_object_get(q, "text"), "required",
                          json_is_true(json_object_get(q, "required")));
    for (size_t i = 0; i < nerr; i++)
        if (errs[i].key && strcmp(errs[i].key, k) == 0) {
            json_object_set_new(v, "error", bilingual_tr(errs[i].msgid));
            break;
        }
    if (strcmp(type, "agree") == 0) {
        json_object_set_new(v, "kind_radios", json_true());
        json_object_set_new(v, "choices", agree_choices(req, name, cur, true, "scale"));
    } else if (strcmp(type, "nps") == 0) {
        json_t *arr = json_array();
        for (int n = 0; n <= EVAL_NPS_MAX; n++) {
            char val[4];
            snprintf(val, sizeof val, "%d", n);
            json_t *l = json_string(val);
            json_array_append_new(arr, choice(req, name, val, l,
                                              json_is_integer(cur) && json_integer_value(cur) == n));
            json_decref(l);
        }
        json_object_set_new(v, "kind_radios", json_true());
        json_object_set_new(v, "nps", json_true());
        json_object_set_new(v, "choices", arr);
    } else if (strcmp(type, "single") == 0 || strcmp(type, "multi") == 0) {
        bool multi = strcmp(type, "multi") == 0;
        json_t *arr = json_array();
        size_t i;
        json_t *o;
        json_array_foreach(json_object_get(q, "options"), i, o) {
            bool checked = false;
            if (multi) {
                size_t j;
                json_t *x;
                json_array_foreach(cur, j, x) checked = checked || (json_is_integer(x) && json_integer_value(x) == (json_int_t)i);
            } else
                checked = json_is_integer(cur) && json_integer_value(cur) == (json_int_t)i;
            json_array_append_new(arr, choice(req, name, arena_printf(req->a, "%zu", i), o, checked));
        }
        json_object_set_new(v, multi ? "kind_checks" : "kind_radios", json_true());
        json_object_set_new(v, "choices", arr);
        if (multi)
            json_object_set_new(v, "hint", json_pack("{s:s, s:s}",
                "es", arena_printf(req->a, tr(LANG_ES, "eval.choose_between"),
                                   (long long)json_integer_value(json_object_get(q, "min")),
                                   (long long)json_integer_value(json_object_get(q, "max"))),
                "en", arena_printf(req->a, tr(LANG_EN, "eval.choose_between"),
                                   (long long)json_integer_value(json_object_get(q, "min")),
                                   (long long)json_integer_value(json_object_get(q, "max")))));
    } else if (strcmp(type, "yesno") == 0) {
        json_t *arr = json_array(), *yes = bilingual_tr("eval.yes"), *no = bilingual_tr("eval.no");
        json_array_append_new(arr, choice(req, name, "yes", yes, json_is_true(cur)));
        json_array_append_new(arr, choice(req, name, "no", no, json_is_false(cur)));
        json_decref(yes);
        json_decref(no);
        json_object_set_new(v, "kind_radios", json_true());
        json_object_set_new(v, "choices", arr);
    } else if (strcmp(type, "grid") == 0) {
        json_t *rows = json_array();
        size_t i;
        json_t *st;
        json_array_foreach(json_object_get(q, "statements"), i, st) {
            const char *rn = arena_printf(req->a, "%s.%zu", name, i);
            json_array_append_new(rows, row(req, rn, st,
                agree_choices(req, rn, json_array_get(cur, i), true, "scale")));
        }
        json_object_set_new(v, "kind_rows", json_true());
        json_object_set_new(v, "rows", rows);
    } else if (strcmp(type, "trainer") == 0) {
        if (json_array_size(trainers) == 0)
            return NULL; /* nobody to ask about */
        json_t *rows = json_array();
        size_t i;
        json_t *t;
        json_array_foreach(trainers, i, t) {
            const char *slug = json_string_value(json_object_get(t, "slug"));
            const char *rn = arena_printf(req->a, "%s.%s", name, slug);
            json_array_append_new(rows, row(req, rn, json_object_get(t, "name"),
                agree_choices(req, rn, json_object_get(cur, slug), true, "scale")));
        }
        json_object_set_new(v, "kind_rows", json_true());
        json_object_set_new(v, "rows", rows);
    } else if (strcmp(type, "before_after") == 0) {
        json_t *rows = json_array();
        const char *parts[] = {"before", "after"};
        for (int i = 0; i < 2; i++) {
            const char *rn = arena_printf(req->a, "%s.%s", name, parts[i]);
            json_t *l = bilingual_tr(i ? "eval.after" : "eval.before");
            json_array_append_new(rows, row(req, rn, l,
                agree_choices(req, rn, json_object_get(cur, parts[i]), false, "level")));
            json_decref(l);
        }
        json_object_set_new(v, "kind_rows", json_true());
        json_object_set_new(v, "rows", rows);
    } else if (strcmp(type, "number") == 0) {
        json_object_set_new(v, "kind_number", json_true());
        json_object_set(v, "min", json_object_get(q, "min"));
        json_object_set(v, "max", json_object_get(q, "max"));
        if (json_is_integer(cur))
            json_object_set_new(v, "value", json_string(arena_printf(req->a, "%lld",
                                (long long)json_integer_value(cur))));
        else if (json_is_string(cur))
            json_object_set(v, "value", cur);
    } else {
        bool is_long = strcmp(type, "long") == 0;
        json_object_set_new(v, is_long ? "kind_long" : "kind_short", json_true());
        json_object_set_new(v, "maxlength", json_integer(is_long ? EVAL_TEXT_MAX : EVAL_SHORT_MAX));
        if (json_is_string(cur))
            json_object_set(v, "value", cur);
    }
    return v;
}

static json_t *form_view(request *req, json_t *q, json_t *answers, const struct eval_error *errs,
                         size_t nerr)
{
    json_t *sections = json_array();
    size_t s, i;
    json_t *sec, *qq;
    json_array_foreach(json_object_get(json_object_get(q, "definition"), "sections"), s, sec) {
        json_t *qs = json_array();
        json_array_foreach(json_object_get(sec, "questions"), i, qq) {
            json_t *v = question_view(req, qq, json_object_get(q, "trainers"), answers, errs, nerr);
            if (v)
                json_array_append_new(qs, v);
        }
        json_array_append_new(sections, json_pack("{s:O, s:o}", "title",
                                                  json_object_get(sec, "title"), "questions", qs));
    }
    return sections;
}

/* ---- reading the form ---- */

/* A strict decimal integer, else the text itself (which the check refuses). */
static json_t *int_or_text(const char *s)
{
    if (strcmp(s, "na") == 0)
        return json_integer(0);
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (*s && *end == '\0' && errno == 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')))
        return json_integer(v);
    return json_string(s);
}

static const char *raw_value(request *req, const char *name, bool *used)
{
    for (size_t i = 0; i < req->raw.n; i++)
        if (strcmp(req->raw.pairs[i].name, name) == 0) {
            used[i] = true;
            return req->raw.pairs[i].value;
        }
    return NULL;
}

/* The answers in the posted form.  *forged is set when a field names no
 * question (or a value is not text): nothing of it may be stored. */
static json_t *answers_from_form(request *req, json_t *q, bool *forged)
{
    json_t *out = json_object();
    bool *used = arena_zalloc(req->a, (req->raw.n ? req->raw.n : 1) * sizeof *used);
    if (!used) {
        *forged = true;
        return out;
    }
    size_t s, i;
    json_t *sec, *qq;
    json_array_foreach(json_object_get(json_object_get(q, "definition"), "sections"), s, sec) {
        json_array_foreach(json_object_get(sec, "questions"), i, qq) {
            const char *k = json_string_value(json_object_get(qq, "key"));
            const char *type = json_string_value(json_object_get(qq, "type"));
            const char *name = arena_printf(req->a, "q.%s", k);
            if (strcmp(type, "multi") == 0) {
                json_t *arr = json_array();
                for (size_t p = 0; p < req->raw.n; p++)
                    if (strcmp(req->raw.pairs[p].name, name) == 0) {
                        used[p] = true;
                        json_array_append_new(arr, int_or_text(req->raw.pairs[p].value));
                    }
                json_object_set_new(out, k, arr);
            } else if (strcmp(type, "grid") == 0) {
                json_t *arr = json_array();
                bool any = false;
                for (size_t r = 0; r < json_array_size(json_object_get(qq, "statements")); r++) {
                    const char *v = raw_value(req, arena_printf(req->a, "%s.%zu", name, r), used);
                    any = any || v;
                    json_array_append_new(arr, v ? int_or_text(v) : json_null());
                }
                if (any)
                    json_object_set_new(out, k, arr);
                else
                    json_decref(arr);
            } else if (strcmp(type, "trainer") == 0 || strcmp(type, "before_after") == 0) {
                json_t *obj = json_object();
                json_t *names = json_array();
                if (strcmp(type, "before_after") == 0) {
                    json_array_append_new(names, json_string("before"));
                    json_array_append_new(names, json_string("after"));
                } else {
                    size_t t;
                    json_t *tr;
                    json_array_foreach(json_object_get(q, "trainers"), t, tr)
                        json_array_append(names, json_object_get(tr, "slug"));
                }
                size_t t;
                json_t *n;
                json_array_foreach(names, t, n) {
                    const char *v = raw_value(req, arena_printf(req->a, "%s.%s", name,
                                                                json_string_value(n)), used);
                    if (v)
                        json_object_set_new(obj, json_string_value(n), int_or_text(v));
                }
                json_decref(names);
                if (json_object_size(obj))
                    json_object_set_new(out, k, obj);
                else
                    json_decref(obj);
            } else {
                const char *v = raw_value(req, name, used);
                if (!v || (!*v && strcmp(type, "short") && strcmp(type, "long")))
                    continue;
                json_t *a;
                if (strcmp(type, "short") == 0 || strcmp(type, "long") == 0) {
                    if (!*v)
                        continue;
                    a = json_stringn(v, strlen(v));
                    if (!a) /* not UTF-8: refused as text, with a message */
                        a = json_integer(-1);
                } else if (strcmp(type, "yesno") == 0)
                    a = strcmp(v, "yes") == 0 ? json_true() : strcmp(v, "no") == 0 ? json_false()
                                                                             : json_string("?");
                else
                    a = int_or_text(v);
                json_object_set_new(out, k, a ? a : json_string("?"));
            }
        }
    }
    for (size_t p = 0; p < req->raw.n; p++)
        if (!used[p] && strncmp(req->raw.pairs[p].name, "q.", 2) == 0)
            *forged = true;
    return out;
}

/* ---- the pages ---- */

enum eval_state { ST_FORM, ST_DONE, ST_ANSWERED, ST_CLOSED, ST_NOT_YET };

static void show(request *req, response *res, int status, json_t *q, const char *action,
                 enum eval_state state, json_t *answers, const struct eval_error *errs,
                 size_t nerr, const char *notice, const char *problem)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("eval.title"));
    json_object_set(data, "course_title", json_object_get(q, "course_title"));
    json_object_set_new(data, "action", json_string(action));
    json_object_set_new(data, "anonymous", json_boolean(json_is_true(json_object_get(q, "anonymous"))));
    json_object_set(data, "closes_at", json_object_get(q, "closes_at"));
    switch (state) {
    case ST_FORM:
        json_object_set_new(data, "form", json_true());
        json_object_set_new(data, "sections", form_view(req, q, answers, errs, nerr));
        json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
        break;
    case ST_DONE:
        json_object_set_new(data, "done", json_true());
        break;
    case ST_ANSWERED:
        json_object_set_new(data, "answered", json_true());
        break;
    case ST_CLOSED:
        json_object_set_new(data, "closed", json_true());
        break;
    case ST_NOT_YET:
        json_object_set_new(data, "not_yet", json_true());
        break;
    }
    if (notice)
        json_object_set_new(data, "notice", bilingual_tr(notice));
    if (problem)
        json_object_set_new(data, "problem", bilingual_tr(problem));
    if (nerr)
        json_object_set_new(data, "error_count", json_integer((json_int_t)nerr));
    res_page(req, res, status, "evaluation", data);
    res->no_store = true;
    /* The personal link is in the address: no Referer carries it on. */
    res_header(res, "Referrer-Policy", "no-referrer");
}

static enum eval_state window(json_t *q)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (strcmp(now, json_string_value(json_object_get(q, "opens_at"))) < 0)
        return ST_NOT_YET;
    if (strcmp(now, json_string_value(json_object_get(q, "closes_at"))) >= 0)
        return ST_CLOSED;
    return ST_FORM;
}

/* A named questionnaire may let people change their answer until closing. */
static bool may_change(json_t *q)
{
    return !json_is_true(json_object_get(q, "anonymous")) &&
           json_is_true(json_object_get(q, "allow_edit")) && window(q) == ST_FORM;
}

static void answer_get(request *req, response *res, json_t *q, int64_t enrolment,
                       const char *action)
{
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    if (evaluation_answered(qid, enrolment) && may_change(q)) {
        show(req, res, 200, q, action, ST_FORM, evaluation_own_answer(qid, enrolment), NULL, 0,
             "eval.changing", NULL);
        return;
    }
    if (evaluation_answered(qid, enrolment)) {
        show(req, res, 200, q, action, ST_ANSWERED, NULL, NULL, 0, NULL, NULL);
        return;
    }
    enum eval_state w = window(q);
    if (w == ST_FORM)
        evaluation_expect(qid, enrolment);
    json_t *draft = w == ST_FORM ? evaluation_draft(qid, enrolment) : NULL;
    show(req, res, 200, q, action, w, draft, NULL, 0, draft ? "eval.draft_loaded" : NULL, NULL);
}

static void answer_post(request *req, response *res, json_t *q, int64_t enrolment,
                        const char *action)
{
    int64_t qid = json_integer_value(json_object_get(q, "id"));
    bool change = evaluation_answered(qid, enrolment);
    if (change && !may_change(q)) {
        show(req, res, 409, q, action, ST_ANSWERED, NULL, NULL, 0, NULL, "eval.err.already");
        return;
    }
    enum eval_state w = window(q);
    if (w != ST_FORM) {
        show(req, res, 409, q, action, w, NULL, NULL, 0, NULL,
             w == ST_CLOSED ? "eval.err.closed" : "eval.err.not_yet");
        return;
    }
    const char *act = form_raw_get(&req->raw, "action");
    bool final = !act || strcmp(act, "draft") != 0;
    bool forged = false;
    json_t *answers = answers_from_form(req, q, &forged);
    json_t *slugs = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(q, "trainers"), i, t)
        json_array_append(slugs, json_object_get(t, "slug"));
    struct eval_error errs[64];
    size_t n = evaluation_check(json_object_get(q, "definition"), slugs, answers, final, errs, 64);
    if (forged || n) {
        show(req, res, 422, q, action, ST_FORM, answers, errs, n < 64 ? n : 64, NULL,
             forged ? "eval.err.unknown" : "eval.err.form");
        return;
    }
    char *text = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
    if (!text) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    if (change) {
        if (!final || !evaluation_change_answer(qid, enrolment, text)) {
            show(req, res, 409, q, action, ST_ANSWERED, NULL, NULL, 0, NULL, "eval.err.already");
            return;
        }
        show(req, res, 200, q, action, ST_DONE, NULL, NULL, 0, "eval.changed", NULL);
        return;
    }
    if (!final) {
        if (!evaluation_draft_save(qid, enrolment, text)) {
            res_error(req, res, 503, "error.busy");
            return;
        }
        show(req, res, 200, q, action, ST_FORM, answers, NULL, 0, "eval.draft_saved", NULL);
        return;
    }
    switch (evaluation_submit(qid, enrolment, text)) {
    case EVAL_STORED:
        /* No log line, no audit entry: their times would tie the answer to
         * the person. */
        show(req, res, 200, q, action, ST_DONE, NULL, NULL, 0, NULL, NULL);
        return;
    case EVAL_ALREADY:
        show(req, res, 409, q, action, ST_ANSWERED, NULL, NULL, 0, NULL, "eval.err.already");
        return;
    case EVAL_CLOSED:
        show(req, res, 409, q, action, ST_CLOSED, NULL, NULL, 0, NULL, "eval.err.closed");
        return;
    case EVAL_FAILED:
        res_error(req, res, 503, "error.busy");
        return;
    }
}

/* The link's questionnaire and enrolment; answers the request itself (and
 * returns NULL) when the link is unknown or belongs to somebody else than
 * the person signed in. */
static json_t *by_link(request *req, response *res, int64_t *enrolment)
{
    const char *token = req_param(req, "token");
    int64_t qid = 0;
    if (!token || strlen(token) > 100 ||
        !evaluation_link_find(evaluation_link_hash(req->a, token), &qid, enrolment)) {
        res_error(req, res, 404, "eval.err.link");
        return NULL;
    }
    json_t *q = evaluation_get_id(qid);
    if (!q) {
        res_error(req, res, 404, "eval.err.link");
        return NULL;
    }
    if (req->user.id && evaluation_enrolment_of(qid, req->user.id) != *enrolment) {
        res_error(req, res, 403, "eval.err.other_link");
        return NULL;
    }
    return q;
}

void page_evaluation_link(request *req, response *res)
{
    int64_t enrolment;
    json_t *q = by_link(req, res, &enrolment);
    if (q)
        answer_get(req, res, q, enrolment, req->path);
}

void page_evaluation_link_post(request *req, response *res)
{
    int64_t enrolment;
    json_t *q = by_link(req, res, &enrolment);
    if (q)
        answer_post(req, res, q, enrolment, req->path);
}

static json_t *mine(request *req, response *res, int64_t *enrolment)
{
    char *end;
    long long id = strtoll(req_param(req, "id"), &end, 10);
    json_t *q = *end == '\0' && id > 0 ? evaluation_get_id(id) : NULL;
    *enrolment = q ? evaluation_enrolment_of(id, req->user.id) : 0;
    if (!q || !*enrolment) {
        res_error(req, res, 404, "eval.err.not_yours");
        return NULL;
    }
    return q;
}

void page_me_evaluation(request *req, response *res)
{
    int64_t enrolment;
    json_t *q = mine(req, res, &enrolment);
    if (q)
        answer_get(req, res, q, enrolment, req->path);
}

void page_me_evaluation_post(request *req, response *res)
{
    int64_t enrolment;
    json_t *q = mine(req, res, &enrolment);
    if (q)
        answer_post(req, res, q, enrolment, req->path);
}

json_t *evaluations_for_me(request *req)
{
    json_t *list = evaluation_for_account(req->user.id);
    size_t i;
    json_t *e;
    json_array_foreach(list, i, e) {
        enum eval_state w = window(e);
        const char *status = json_is_true(json_object_get(e, "answered")) ? "eval.status_answered"
                             : w == ST_NOT_YET ? "eval.status_not_yet"
                             : w == ST_CLOSED  ? "eval.status_closed"
                             : json_is_true(json_object_get(e, "draft")) ? "eval.status_draft"
                                                                         : "eval.status_open";
        json_object_set_new(e, "status_label", bilingual_tr(status));
        json_object_set_new(e, "can_answer", json_boolean(w == ST_FORM &&
                                                         !json_is_true(json_object_get(e, "answered"))));
    }
    return list;
}
