/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "evaluation.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../base/text.h"

const char *const evaluation_types[] = {"agree", "grid", "single", "multi", "nps", "number",
                                        "yesno", "short", "long", "before_after", "trainer",
                                        NULL};

static bool type_is(json_t *q, const char *t)
{
    const char *s = json_string_value(json_object_get(q, "type"));
    return s && strcmp(s, t) == 0;
}

static bool int_in(json_t *v, long long lo, long long hi)
{
    return json_is_integer(v) && json_integer_value(v) >= lo && json_integer_value(v) <= hi;
}

static const char *qkey(json_t *q)
{
    return json_string_value(json_object_get(q, "key"));
}

/* ---- the questionnaire itself ---- */

static bool failf(char *path, size_t pathlen, char *msg, size_t msglen, const char *where,
                  const char *fmt, ...)
{
    snprintf(path, pathlen, "%s", where);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, msglen, fmt, ap);
    va_end(ap);
    return false;
}

static bool good_text(json_t *t)
{
    if (!json_is_object(t))
        return false;
    const char *langs[] = {"es", "en"};
    for (int i = 0; i < 2; i++) {
        json_t *s = json_object_get(t, langs[i]);
        if (!json_is_string(s) || json_string_length(s) == 0 || json_string_length(s) > 2000 ||
            strlen(json_string_value(s)) != json_string_length(s) ||
            !utf8_valid(json_string_value(s), json_string_length(s)))
            return false;
    }
    return true;
}

static bool good_key(const char *k)
{
    if (!k || !*k || strlen(k) > 40)
        return false;
    for (const char *p = k; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return true;
}

static bool good_texts(json_t *arr, size_t max)
{
    if (!json_is_array(arr) || json_array_size(arr) == 0 || json_array_size(arr) > max)
        return false;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (!good_text(v)) return false;
    return true;
}

bool evaluation_validate_definition(json_t *def, char *path, size_t pathlen, char *msg,
                                    size_t msglen)
{
    char where[160];
    json_t *sections = json_object_get(def, "sections");
    if (!json_is_object(def) || !json_is_array(sections) || json_array_size(sections) == 0)
        return failf(path, pathlen, msg, msglen, "$.sections", "expected a list of sections");
    json_t *seen = json_object();
    bool ok = true;
    size_t s, i;
    json_t *sec, *q;
    json_array_foreach(sections, s, sec) {
        snprintf(where, sizeof where, "$.sections[%zu].title", s);
        if (!good_text(json_object_get(sec, "title"))) {
            ok = failf(path, pathlen, msg, msglen, where, "expected a text in es and en");
            goto done;
        }
        json_t *qs = json_object_get(sec, "questions");
        if (!json_is_array(qs) || json_array_size(qs) == 0 || json_array_size(qs) > 200) {
            snprintf(where, sizeof where, "$.sections[%zu].questions", s);
            ok = failf(path, pathlen, msg, msglen, where, "expected a list of questions");
            goto done;
        }
        json_array_foreach(qs, i, q) {
            snprintf(where, sizeof where, "$.sections[%zu].questions[%zu]", s, i);
            const char *k = qkey(q);
            if (!json_is_object(q) || !good_key(k)) {
                ok = failf(path, pathlen, msg, msglen, where,
                           "expected a key of lowercase letters, digits and _");
                goto done;
            }
            if (json_object_get(seen, k)) {
                ok = failf(path, pathlen, msg, msglen, where, "the key %s is used twice", k);
                goto done;
            }
            json_object_set_new(seen, k, json_true());
            const char *t = json_string_value(json_object_get(q, "type"));
            bool known = false;
            for (size_t j = 0; t && evaluation_types[j]; j++)
                known = known || strcmp(t, evaluation_types[j]) == 0;
            if (!known) {
                ok = failf(path, pathlen, msg, msglen, where, "unknown question type");
                goto done;
            }
            if (!good_text(json_object_get(q, "text"))) {
                ok = failf(path, pathlen, msg, msglen, where, "expected a text in es and en");
                goto done;
            }
            json_t *req = json_object_get(q, "required");
            if (req && !json_is_boolean(req)) {
                ok = failf(path, pathlen, msg, msglen, where, "required: expected true or false");
                goto done;
            }
            if (type_is(q, "grid") && !good_texts(json_object_get(q, "statements"), 50)) {
                ok = failf(path, pathlen, msg, msglen, where, "expected statements in es and en");
                goto done;
            }
            if ((type_is(q, "single") || type_is(q, "multi")) &&
                !good_texts(json_object_get(q, "options"), 50)) {
                ok = failf(path, pathlen, msg, msglen, where, "expected options in es and en");
                goto done;
            }
            if (type_is(q, "multi") || type_is(q, "number")) {
                json_t *mn = json_object_get(q, "min"), *mx = json_object_get(q, "max");
                long long n = type_is(q, "multi")
                                  ? (long long)json_array_size(json_object_get(q, "options"))
                                  : 1000000000LL;
                if (!json_is_integer(mn) || !json_is_integer(mx) ||
                    json_integer_value(mn) > json_integer_value(mx) ||
                    json_integer_value(mx) > n ||
                    (type_is(q, "multi") && json_integer_value(mn) < 0) ||
                    json_integer_value(mn) < -1000000000LL) {
                    ok = failf(path, pathlen, msg, msglen, where,
                               "expected whole numbers min <= max");
                    goto done;
                }
            }
        }
    }
done:
    json_decref(seen);
    return ok;
}

static bool utc_time(json_t *v)
{
    const char *s = json_string_value(v);
    int y, mo, d, h, mi, se;
    char z;
    return s && strlen(s) == 20 &&
           sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se, &z) == 7 &&
           z == 'Z' && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h < 24 && mi < 60 && se < 61;
}

bool evaluation_validate_settings(json_t *ev, char *path, size_t pathlen, char *msg,
                                  size_t msglen)
{
    static const char *const keys[] = {"opens_at", "closes_at", "anonymous", "audience",
                                       "reminder_days", "breakdown", "questionnaire", NULL};
    if (!json_is_object(ev))
        return failf(path, pathlen, msg, msglen, "$", "expected an object");
    const char *k;
    json_t *v;
    json_object_foreach(ev, k, v) {
        bool known = false;
        for (size_t i = 0; keys[i]; i++)
            known = known || strcmp(k, keys[i]) == 0;
        if (!known)
            return failf(path, pathlen, msg, msglen, "$", "unknown key \"%s\"", k);
    }
    json_t *o = json_object_get(ev, "opens_at"), *c = json_object_get(ev, "closes_at");
    if ((o && !utc_time(o)) || (c && !utc_time(c)))
        return failf(path, pathlen, msg, msglen, o && !utc_time(o) ? "$.opens_at" : "$.closes_at",
                     "expected a UTC time as YYYY-MM-DDTHH:MM:SSZ");
    if (o && c && strcmp(json_string_value(o), json_string_value(c)) >= 0)
        return failf(path, pathlen, msg, msglen, "$.closes_at", "must be after opens_at");
    json_t *an = json_object_get(ev, "anonymous");
    if (an && !json_is_boolean(an))
        return failf(path, pathlen, msg, msglen, "$.anonymous", "expected true or false");
    const char *au = json_string_value(json_object_get(ev, "audience"));
    if (json_object_get(ev, "audience") &&
        (!au || (strcmp(au, "registered") != 0 && strcmp(au, "attended") != 0)))
        return failf(path, pathlen, msg, msglen, "$.audience",
                     "expected \"registered\" or \"attended\"");
    const char *bd = json_string_value(json_object_get(ev, "breakdown"));
    if (json_object_get(ev, "breakdown") &&
        (!bd || (strcmp(bd, "none") && strcmp(bd, "country") && strcmp(bd, "gender") &&
                 strcmp(bd, "institution_type"))))
        return failf(path, pathlen, msg, msglen, "$.breakdown",
                     "expected \"none\", \"country\", \"gender\" or \"institution_type\"");
    json_t *rd = json_object_get(ev, "reminder_days");
    if (rd) {
        size_t i;
        json_t *d;
        bool ok = json_is_array(rd) && json_array_size(rd) <= 2;
        json_array_foreach(rd, i, d) ok = ok && int_in(d, 1, 60);
        if (!ok)
            return failf(path, pathlen, msg, msglen, "$.reminder_days",
                         "expected at most two whole numbers of days (1 to 60)");
    }
    json_t *q = json_object_get(ev, "questionnaire");
    if (q) {
        char sub[160];
        if (!evaluation_validate_definition(q, sub, sizeof sub, msg, msglen)) {
            snprintf(path, pathlen, "$.questionnaire%s", sub + 1);
            return false;
        }
    }
    return true;
}

static json_t *tx(const char *es, const char *en)
{
    return json_pack("{s:s, s:s}", "es", es, "en", en);
}

static json_t *question(const char *key, const char *type, bool required, const char *es,
                        const char *en)
{
    return json_pack("{s:s, s:s, s:b, s:o}", "key", key, "type", type, "required", required,
                     "text", tx(es, en));
}

json_t *evaluation_default_definition(void)
{
    json_t *course = json_array();
    json_array_append_new(course, question("objectives", "agree", true,
        "Los objetivos del curso fueron claros.", "The objectives of the course were clear."));
    json_array_append_new(course, question("relevance", "agree", true,
        "El curso es pertinente para mi trabajo.", "The course is relevant to my work."));
    json_array_append_new(course, question("material", "agree", true,
        "El material del curso fue de buena calidad.", "The course material was of good quality."));
    json_array_append_new(course, question("pace", "agree", true,
        "El ritmo y la duración del curso fueron adecuados.",
        "The pace and length of the course were appropriate."));
    json_array_append_new(course, question("organisation", "agree", true,
        "La organización y la plataforma funcionaron bien.",
        "The organisation and the platform worked well."));
    json_array_append_new(course, question("interpretation", "agree", false,
        "La interpretación fue de buena calidad.", "The interpretation was of good quality."));
    json_array_append_new(course, question("usefulness", "agree", true,
        "En conjunto, el curso me resultó útil.", "Overall, the course was useful to me."));

    json_t *trainers = json_array();
    json_array_append_new(trainers, question("trainers", "trainer", true,
        "El formador o la formadora dominaba el tema y lo transmitió con claridad.",
        "The trainer knew the subject and conveyed it clearly."));

    json_t *learning = json_array();
    json_array_append_new(learning, question("knowledge", "before_after", true,
        "Mi conocimiento del tema, antes y después del curso.",
        "My knowledge of the subject, before and after the course."));
    json_array_append_new(learning, question("apply", "agree", true,
        "Es probable que aplique en mi trabajo lo aprendido.",
        "I am likely to apply what I learnt in my work."));
    json_array_append_new(learning, question("recommend", "nps", true,
        "¿Con qué probabilidad recomendaría este curso a un colega?",
        "How likely are you to recommend this course to a colleague?"));

    json_t *comments = json_array();
    json_array_append_new(comments, question("most_useful", "long", false,
        "¿Qué fue lo más útil?", "What was most useful?"));
    json_array_append_new(comments, question("improve", "long", false,
        "¿Qué mejoraría?", "What would you improve?"));
    json_array_append_new(comments, question("topics", "long", false,
        "¿Qué temas le gustaría ver en otra edición?",
        "Which topics would you like in another edition?"));

    return json_pack("{s:[{s:o, s:o}, {s:o, s:o}, {s:o, s:o}, {s:o, s:o}]}", "sections",
                     "title", tx("El curso", "The course"), "questions", course,
                     "title", tx("Formadores", "Trainers"), "questions", trainers,
                     "title", tx("Su aprendizaje", "Your learning"), "questions", learning,
                     "title", tx("Comentarios", "Comments"), "questions", comments);
}

/* Calls fn for every question of def, with its section's index. */
#define FOR_QUESTIONS(def, s, sec, i, q)                                                     \
    json_array_foreach(json_object_get(def, "sections"), s, sec)                             \
        json_array_foreach(json_object_get(sec, "questions"), i, q)

bool evaluation_keeps_questions(json_t *old_def, json_t *new_def)
{
    json_t *keys = json_object();
    size_t s, i;
    json_t *sec, *q;
    FOR_QUESTIONS(new_def, s, sec, i, q) {
        if (qkey(q))
            json_object_set_new(keys, qkey(q), json_string(json_string_value(json_object_get(q, "type"))));
    }
    bool ok = true;
    FOR_QUESTIONS(old_def, s, sec, i, q) {
        /* Same key and same type: an old answer must still mean the same. */
        json_t *t = qkey(q) ? json_object_get(keys, qkey(q)) : NULL;
        if (!t || !json_equal(t, json_object_get(q, "type")))
            ok = false;
    }
    json_decref(keys);
    return ok;
}

/* ---- answers ---- */

/* Characters, not bytes: a limit in characters means the same in every script. */
static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool text_ok(json_t *v, size_t max)
{
    if (!json_is_string(v))
        return false;
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    return strlen(s) == len && utf8_valid(s, len) && utf8_chars(s) <= max;
}

/* Whether an answer counts as given (an empty text or list does not). */
static bool given(json_t *v)
{
    if (!v || json_is_null(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_object(v))
        return json_object_size(v) > 0;
    return true;
}

/* The reason an answer a to q is refused, or NULL when it is acceptable. */
static const char *check_one(json_t *q, json_t *trainers, json_t *a, bool final)
{
    if (type_is(q, "agree"))
        return int_in(a, 0, EVAL_AGREE_MAX) ? NULL : "eval.err.scale";
    if (type_is(q, "nps"))
        return int_in(a, 0, EVAL_NPS_MAX) ? NULL : "eval.err.scale";
    if (type_is(q, "yesno"))
        return json_is_boolean(a) ? NULL : "eval.err.choice";
    if (type_is(q, "short"))
        return !json_is_string(a) ? "eval.err.text"
               : text_ok(a, EVAL_SHORT_MAX) ? NULL : "eval.err.too_long";
    if (type_is(q, "long"))
        return !json_is_string(a) ? "eval.err.text"
               : text_ok(a, EVAL_TEXT_MAX) ? NULL : "eval.err.too_long";
    if (type_is(q, "number")) {
        if (!json_is_integer(a))
            return "eval.err.number";
        return int_in(a, json_integer_value(json_object_get(q, "min")),
                      json_integer_value(json_object_get(q, "max")))
                   ? NULL : "eval.err.range";
    }
    if (type_is(q, "single"))
        return int_in(a, 0, (long long)json_array_size(json_object_get(q, "options")) - 1)
                   ? NULL : "eval.err.choice";
    if (type_is(q, "multi")) {
        size_t n = json_array_size(json_object_get(q, "options"));
        if (!json_is_array(a) || json_array_size(a) > n)
            return json_is_array(a) ? "eval.err.too_many" : "eval.err.choice";
        unsigned char seen[64] = {0};
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            if (!int_in(v, 0, (long long)n - 1) || seen[json_integer_value(v)])
                return "eval.err.choice";
            seen[json_integer_value(v)] = 1;
        }
        if ((long long)json_array_size(a) > json_integer_value(json_object_get(q, "max")))
            return "eval.err.too_many";
        if (final && (long long)json_array_size(a) < json_integer_value(json_object_get(q, "min")))
            return "eval.err.too_few";
        return NULL;
    }
    if (type_is(q, "grid")) {
        size_t n = json_array_size(json_object_get(q, "statements"));
        if (!json_is_array(a) || json_array_size(a) != n)
            return "eval.err.scale";
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v) {
            /* null: a row left for later in a draft */
            if (json_is_null(v) ? final : !int_in(v, 0, EVAL_AGREE_MAX))
                return json_is_null(v) ? "eval.err.required" : "eval.err.scale";
        }
        return NULL;
    }
    if (type_is(q, "before_after")) {
        json_t *b = json_object_get(a, "before"), *f = json_object_get(a, "after");
        if (!json_is_object(a) || json_object_size(a) > 2 || (b && !int_in(b, 1, EVAL_AGREE_MAX)) ||
            (f && !int_in(f, 1, EVAL_AGREE_MAX)))
            return "eval.err.scale";
        if (final && (!b || !f))
            return "eval.err.required";
        return NULL;
    }
    if (type_is(q, "trainer")) {
        if (!json_is_object(a))
            return "eval.err.scale";
        const char *k;
        json_t *v;
        json_object_foreach(a, k, v) {
            bool known = false;
            size_t i;
            json_t *t;
            json_array_foreach(trainers, i, t) known = known || (json_is_string(t) && strcmp(json_string_value(t), k) == 0);
            if (!known)
                return "eval.err.choice";
            if (!int_in(v, 0, EVAL_AGREE_MAX))
                return "eval.err.scale";
        }
        if (final && json_object_size(a) != json_array_size(trainers))
            return "eval.err.required";
        return NULL;
    }
    return "eval.err.unknown";
}

size_t evaluation_check(json_t *def, json_t *trainers, json_t *response, bool final,
                        struct eval_error *errs, size_t max)
{
    size_t n = 0;
#define ERR(k, m)                                                                             \
    do {                                                                                      \
        if (n < max)                                                                          \
            errs[n] = (struct eval_error){(k), (m)};                                          \
        n++;                                                                                  \
    } while (0)
    if (!json_is_object(response)) {
        ERR("", "eval.err.unknown");
        return n;
    }
    json_t *known = json_object();
    size_t s, i;
    json_t *sec, *q;
    FOR_QUESTIONS(def, s, sec, i, q) {
        const char *k = qkey(q);
        if (!k)
            continue;
        json_object_set_new(known, k, json_true());
        json_t *a = json_object_get(response, k);
        bool required = json_is_true(json_object_get(q, "required"));
        /* A trainer block for a course without trainers asks nothing. */
        if (type_is(q, "trainer") && json_array_size(trainers) == 0)
            required = false;
        if (!given(a)) {
            if (a && !json_is_null(a) && !json_is_string(a) && !json_is_array(a) && !json_is_object(a))
                ERR(k, "eval.err.unknown");
            else if (final && required)
                ERR(k, "eval.err.required");
            continue;
        }
        const char *why = check_one(q, trainers, a, final);
        if (why)
            ERR(k, why);
    }
    const char *k;
    json_t *v;
    json_object_foreach(response, k, v) {
        if (!json_object_get(known, k)) {
            ERR("", "eval.err.unknown");
            break;
        }
    }
    json_decref(known);
    return n;
#undef ERR
}

/* ---- statistics ---- */

static double pct(long part, long whole)
{
    return whole > 0 ? 100.0 * (double)part / (double)whole : 0.0;
}

static json_t *mean_or_null(double sum, long n)
{
    return n > 0 ? json_real(sum / (double)n) : json_null();
}

/* Counts of an agreement-scale item: values 0 ("not applicable") to 5. */
struct agree_acc {
    long counts[EVAL_AGREE_MAX + 1];
};

static void agree_add(struct agree_acc *a, json_t *v)
{
    if (int_in(v, 0, EVAL_AGREE_MAX))
        a->counts[json_integer_value(v)]++;
}

/* {"answered", "counts": [na, 1..5], "percent": [...], "mean", "n_mean",
 *  "disagree", "neutral", "agree"} (the last three: percentages of the
 *  answers counted in the mean, for the diverging bars). */
static json_t *agree_json(const struct agree_acc *a)
{
    long answered = 0, n = 0;
    double sum = 0;
    for (int v = 0; v <= EVAL_AGREE_MAX; v++) {
        answered += a->counts[v];
        if (v > 0) {
            n += a->counts[v];
            sum += (double)v * (double)a->counts[v];
        }
    }
    json_t *counts = json_array(), *percent = json_array();
    for (int v = 0; v <= EVAL_AGREE_MAX; v++) {
        json_array_append_new(counts, json_integer(a->counts[v]));
        json_array_append_new(percent, json_real(pct(a->counts[v], answered)));
    }
    return json_pack("{s:I, s:o, s:o, s:o, s:I, s:f, s:f, s:f}", "answered", (json_int_t)answered,
                     "counts", counts, "percent", percent, "mean", mean_or_null(sum, n),
                     "n_mean", (json_int_t)n, "disagree", pct(a->counts[1] + a->counts[2], n),
                     "neutral", pct(a->counts[3], n), "agree", pct(a->counts[4] + a->counts[5], n));
}

static json_t *choice_json(const long *counts, size_t n, long answered)
{
    json_t *c = json_array(), *p = json_array();
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(c, json_integer(counts[i]));
        json_array_append_new(p, json_real(pct(counts[i], answered)));
    }
    return json_pack("{s:o, s:o}", "counts", c, "percent", p);
}

static void merge(json_t *into, json_t *from)
{
    json_object_update(into, from);
    json_decref(from);
}

static json_t *question_stats(json_t *q, json_t *trainers, json_t *responses)
{
    const char *k = qkey(q);
    json_t *out = json_pack("{s:s, s:O, s:O}", "key", k, "type", json_object_get(q, "type"),
                            "text", json_object_get(q, "text"));
    size_t r;
    json_t *resp;
    long answered = 0;
    json_array_foreach(responses, r, resp) answered += given(json_object_get(resp, k));

    if (type_is(q, "agree")) {
        struct agree_acc a = {0};
        json_array_foreach(responses, r, resp) agree_add(&a, json_object_get(resp, k));
        merge(out, agree_json(&a));
    } else if (type_is(q, "grid")) {
        json_t *st = json_object_get(q, "statements"), *rows = json_array();
        size_t i;
        json_t *text;
        json_array_foreach(st, i, text) {
            struct agree_acc a = {0};
            json_array_foreach(responses, r, resp)
                agree_add(&a, json_array_get(json_object_get(resp, k), i));
            json_t *row = agree_json(&a);
            json_object_set(row, "text", text);
            json_array_append_new(rows, row);
        }
        json_object_set_new(out, "answered", json_integer(answered));
        json_object_set_new(out, "rows", rows);
    } else if (type_is(q, "trainer")) {
        json_t *rows = json_array();
        size_t i;
        json_t *t;
        json_array_foreach(trainers, i, t) {
            struct agree_acc a = {0};
            json_array_foreach(responses, r, resp)
                agree_add(&a, json_object_get(json_object_get(resp, k), json_string_value(t)));
            json_t *row = agree_json(&a);
            json_object_set(row, "trainer", t);
            json_array_append_new(rows, row);
        }
        json_object_set_new(out, "answered", json_integer(answered));
        json_object_set_new(out, "rows", rows);
    } else if (type_is(q, "single") || type_is(q, "multi")) {
        size_t n = json_array_size(json_object_get(q, "options"));
        long counts[64] = {0};
        json_array_foreach(responses, r, resp) {
            json_t *a = json_object_get(resp, k);
            if (json_is_integer(a) && int_in(a, 0, (long long)n - 1))
                counts[json_integer_value(a)]++;
            size_t i;
            json_t *v;
            json_array_foreach(a, i, v) if (int_in(v, 0, (long long)n - 1)) counts[json_integer_value(v)]++;
        }
        json_object_set_new(out, "answered", json_integer(answered));
        json_object_set_new(out, "options", json_incref(json_object_get(q, "options")));
        merge(out, choice_json(counts, n < 64 ? n : 64, answered));
    } else if (type_is(q, "nps")) {
        long counts[EVAL_NPS_MAX + 1] = {0}, pro = 0, pas = 0, det = 0;
        double sum = 0;
        json_array_foreach(responses, r, resp) {
            json_t *a = json_object_get(resp, k);
            if (!int_in(a, 0, EVAL_NPS_MAX))
                continue;
            long v = (long)json_integer_value(a);
            counts[v]++;
            sum += (double)v;
            if (v >= 9)
                pro++;
            else if (v >= 7)
                pas++;
            else
                det++;
        }
        long n = pro + pas + det;
        merge(out, choice_json(counts, EVAL_NPS_MAX + 1, n));
        merge(out, json_pack("{s:I, s:o, s:I, s:I, s:I, s:f, s:f, s:f, s:o}", "answered",
                             (json_int_t)n, "mean", mean_or_null(sum, n), "promoters",
                             (json_int_t)pro, "passives", (json_int_t)pas, "detractors",
                             (json_int_t)det, "promoters_percent", pct(pro, n),
                             "passives_percent", pct(pas, n), "detractors_percent", pct(det, n),
                             "nps", n > 0 ? json_real(pct(pro, n) - pct(det, n)) : json_null()));
    } else if (type_is(q, "number")) {
        long n = 0;
        double sum = 0;
        json_int_t lo = 0, hi = 0;
        json_array_foreach(responses, r, resp) {
            json_t *a = json_object_get(resp, k);
            if (!json_is_integer(a))
                continue;
            json_int_t v = json_integer_value(a);
            lo = n == 0 || v < lo ? v : lo;
            hi = n == 0 || v > hi ? v : hi;
            sum += (double)v;
            n++;
        }
        merge(out, json_pack("{s:I, s:o, s:o, s:o}", "answered", (json_int_t)n, "mean",
                             mean_or_null(sum, n), "min", n ? json_integer(lo) : json_null(),
                             "max", n ? json_integer(hi) : json_null()));
    } else if (type_is(q, "yesno")) {
        long yes = 0, no = 0;
        json_array_foreach(responses, r, resp) {
            json_t *a = json_object_get(resp, k);
            yes += json_is_true(a);
            no += json_is_false(a);
        }
        long counts[2] = {yes, no};
        merge(out, choice_json(counts, 2, yes + no));
        json_object_set_new(out, "answered", json_integer(yes + no));
    } else if (type_is(q, "before_after")) {
        /* Paired: only respondents who gave both count. */
        long n = 0, improved = 0, same = 0, worse = 0;
        double sb = 0, sa = 0;
        json_array_foreach(responses, r, resp) {
            json_t *a = json_object_get(resp, k);
            json_t *b = json_object_get(a, "before"), *f = json_object_get(a, "after");
            if (!int_in(b, 1, EVAL_AGREE_MAX) || !int_in(f, 1, EVAL_AGREE_MAX))
                continue;
            n++;
            sb += (double)json_integer_value(b);
            sa += (double)json_integer_value(f);
            json_int_t d = json_integer_value(f) - json_integer_value(b);
            improved += d > 0;
            same += d == 0;
            worse += d < 0;
        }
        merge(out, json_pack("{s:I, s:I, s:o, s:o, s:o, s:I, s:I, s:I, s:f}", "answered",
                             (json_int_t)answered, "pairs", (json_int_t)n, "mean_before",
                             mean_or_null(sb, n), "mean_after", mean_or_null(sa, n),
                             "mean_change", n ? json_real((sa - sb) / (double)n) : json_null(),
                             "improved", (json_int_t)improved, "same", (json_int_t)same, "worse",
                             (json_int_t)worse, "improved_percent", pct(improved, n)));
    } else {
        json_object_set_new(out, "answered", json_integer(answered));
    }
    return out;
}

json_t *evaluation_stats(json_t *def, json_t *trainers, json_t *responses)
{
    json_t *qs = json_array();
    size_t s, i;
    json_t *sec, *q;
    FOR_QUESTIONS(def, s, sec, i, q) {
        json_t *st = question_stats(q, trainers, responses);
        json_object_set_new(st, "section", json_integer((json_int_t)s));
        json_array_append_new(qs, st);
    }
    return json_pack("{s:I, s:o}", "respondents", (json_int_t)json_array_size(responses),
                     "questions", qs);
}

json_t *evaluation_texts(json_t *responses, const char *key)
{
    json_t *out = json_array();
    size_t r;
    json_t *resp;
    json_array_foreach(responses, r, resp) {
        json_t *a = json_object_get(resp, key);
        if (json_is_string(a) && json_string_length(a) > 0)
            json_array_append(out, a);
    }
    return out;
}

static void low_add(json_t *out, json_t *q, json_t *row, const char *sub, double threshold,
                    long min_answers)
{
    json_t *mean = json_object_get(row, "mean");
    long n = (long)json_integer_value(json_object_get(row, "n_mean"));
    if (!json_is_number(mean) || n < min_answers || json_number_value(mean) >= threshold)
        return;
    json_t *item = json_pack("{s:O, s:O, s:O, s:I}", "key", json_object_get(q, "key"), "text",
                             json_object_get(q, "text"), "mean", mean, "n", (json_int_t)n);
    if (sub)
        json_object_set_new(item, "sub", json_string(sub));
    json_t *rt = json_object_get(row, "text");
    if (rt)
        json_object_set(item, "row_text", rt);
    json_array_append_new(out, item);
}

json_t *evaluation_low_means(json_t *stats, double threshold, long min_answers)
{
    json_t *out = json_array();
    size_t i, j;
    json_t *q, *row;
    json_array_foreach(json_object_get(stats, "questions"), i, q) {
        if (type_is(q, "agree"))
            low_add(out, q, q, NULL, threshold, min_answers);
        json_array_foreach(json_object_get(q, "rows"), j, row)
            low_add(out, q, row, json_string_value(json_object_get(row, "trainer")), threshold,
                    min_answers);
    }
    return out;
}
