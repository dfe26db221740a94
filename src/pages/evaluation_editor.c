/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The question editor: a questionnaire as a form that works without
 * script, on a phone too.  Sections and questions are rows of one form; the
 * buttons beside a question (up, down, remove), under each section (up,
 * down, remove) and under the list (add a question of a type, add a
 * section) send the whole form with the operation
 * in "op", so nothing typed is lost; "save" checks and stores it.
 *
 * Between requests the questionnaire lives in the form only: a list of
 * sections {title} and a flat list of questions {section, key, type, text,
 * required, options, min, max} grouped by section. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../domain/evaluation.h"
#include "../store/account_store.h"
#include "../store/evaluation_store.h"
#include "../view/template.h"
#include "evaluation_pages.h"
#include "render.h"
#include "programme_view.h"

#define MAX_SECTIONS 40
#define MAX_QUESTIONS 120

static const char *const yes_no[] = {"1", "0", NULL};
static const struct field_spec editor_fields[] = {
    {.name = "op", .v = V_LINE, .max_len = 40},
    {.name = "new_type", .v = V_CHOICE, .choices = evaluation_types},
    {.name = "confirm_wording", .v = V_BOOL},
    {.name = "sec_es", .v = V_LINE, .max_len = 2000, .repeated = true},
    {.name = "sec_en", .v = V_LINE, .max_len = 2000, .repeated = true},
    {.name = "q_section", .v = V_INT, .min = 0, .max = MAX_SECTIONS - 1, .repeated = true},
    {.name = "q_key", .v = V_LINE, .max_len = 40, .repeated = true},
    {.name = "q_type", .v = V_CHOICE, .choices = evaluation_types, .repeated = true},
    {.name = "q_es", .v = V_TEXT, .max_len = 2000, .repeated = true},
    {.name = "q_en", .v = V_TEXT, .max_len = 2000, .repeated = true},
    {.name = "q_required", .v = V_CHOICE, .choices = yes_no, .repeated = true},
    {.name = "q_options", .v = V_TEXT, .max_len = 20000, .repeated = true},
    {.name = "q_min", .v = V_LINE, .max_len = 12, .repeated = true},
    {.name = "q_max", .v = V_LINE, .max_len = 12, .repeated = true},
};
const struct form_spec evaluation_editor_form = FORM_SPEC(editor_fields);

static bool type_has(const char *type, const char *what)
{
    if (strcmp(what, "options") == 0)
        return !strcmp(type, "single") || !strcmp(type, "multi") || !strcmp(type, "grid");
    return !strcmp(type, "multi") || !strcmp(type, "number"); /* min and max */
}

/* "Spanish | English", one per line, from [{es, en}]. */
static const char *options_text(arena *a, json_t *opts)
{
    strbuf sb;
    sb_init(&sb, a);
    size_t i;
    json_t *o;
    json_array_foreach(opts, i, o)
        sb_printf(&sb, "%s%s | %s", i ? "\n" : "", json_string_value(json_object_get(o, "es")),
                  json_string_value(json_object_get(o, "en")));
    return sb_str(&sb);
}

/* s without the blanks around it (in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\r')
        s++;
    size_t l = strlen(s);
    while (l && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r'))
        s[--l] = '\0';
    return s;
}

/* The lines of options text as [{es, en}] (blank lines skipped); NULL when
 * a line lacks either language. */
static json_t *options_parse(arena *a, const char *text)
{
    json_t *arr = json_array();
    const char *p = text;
    while (p && *p) {
        size_t n = strcspn(p, "\n");
        char *line = arena_strndup(a, p, n);
        p += n + (p[n] == '\n');
        char *bar = line ? strchr(line, '|') : NULL;
        if (bar)
            *bar = '\0';
        const char *es = line ? trim(line) : "", *en = bar ? trim(bar + 1) : "";
        if (line && !bar && !*es)
            continue;
        if (!line || !*es || !*en) {
            json_decref(arr);
            return NULL;
        }
        json_array_append_new(arr, json_pack("{s:s, s:s}", "es", es, "en", en));
    }
    return arr;
}

/* ---- the form's state ---- */

struct editor {
    json_t *sections;  /* [{es, en}] */
    json_t *questions; /* [{section, key, type, es, en, required, options, min, max}] */
};

static const char *text_of(json_t *t, const char *lang)
{
    const char *s = json_string_value(json_object_get(t, lang));
    return s ? s : "";
}

static const char *int_text(arena *a, json_t *v)
{
    return json_is_integer(v) ? arena_printf(a, "%lld", (long long)json_integer_value(v)) : "";
}

static void from_definition(arena *a, json_t *def, struct editor *ed)
{
    ed->sections = json_array();
    ed->questions = json_array();
    size_t s, i;
    json_t *sec, *q;
    json_array_foreach(json_object_get(def, "sections"), s, sec) {
        json_t *title = json_object_get(sec, "title");
        json_array_append_new(ed->sections, json_pack("{s:s, s:s}", "es", text_of(title, "es"),
                                                      "en", text_of(title, "en")));
        json_array_foreach(json_object_get(sec, "questions"), i, q) {
            const char *type = json_string_value(json_object_get(q, "type"));
            json_t *opts = json_object_get(q, type && !strcmp(type, "grid") ? "statements"
                                                                            : "options");
            json_array_append_new(ed->questions, json_pack(
                "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "section", (json_int_t)s,
                "key", json_string_value(json_object_get(q, "key")) ? json_string_value(json_object_get(q, "key")) : "",
                "type", type ? type : "agree", "es", text_of(json_object_get(q, "text"), "es"),
                "en", text_of(json_object_get(q, "text"), "en"), "required",
                json_is_true(json_object_get(q, "required")), "options", options_text(a, opts),
                "min", int_text(a, json_object_get(q, "min")), "max",
                int_text(a, json_object_get(q, "max"))));
        }
    }
}

/* The state the form sent; false when its rows do not line up. */
static bool from_form(const struct form_values *f, struct editor *ed)
{
    const struct field_value *ses = form_get(f, "sec_es"), *sen = form_get(f, "sec_en");
    const char *const qf[] = {"q_section", "q_key", "q_type", "q_es", "q_en", "q_required",
                              "q_options", "q_min", "q_max"};
    const struct field_value *v[9];
    for (size_t k = 0; k < 9; k++) {
        v[k] = form_get(f, qf[k]);
        if (v[k]->nmany != form_get(f, "q_key")->nmany)
            return false;
    }
    size_t nq = v[1]->nmany, ns = ses->nmany;
    if (sen->nmany != ns || ns == 0 || ns > MAX_SECTIONS || nq > MAX_QUESTIONS)
        return false;
    ed->sections = json_array();
    ed->questions = json_array();
    for (size_t i = 0; i < ns; i++)
        json_array_append_new(ed->sections, json_pack("{s:s, s:s}", "es", ses->many[i], "en",
                                                      sen->many[i]));
    for (size_t i = 0; i < nq; i++) {
        long long sec = v[0]->ints ? v[0]->ints[i] : 0;
        if (sec < 0 || (size_t)sec >= ns)
            sec = (long long)ns - 1;
        json_array_append_new(ed->questions, json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "section", (json_int_t)sec, "key",
            v[1]->many[i], "type", *v[2]->many[i] ? v[2]->many[i] : "agree", "es", v[3]->many[i],
            "en", v[4]->many[i], "required", strcmp(v[5]->many[i], "0") != 0, "options",
            v[6]->many[i], "min", v[7]->many[i], "max", v[8]->many[i]));
    }
    return true;
}

static long sec_of(json_t *q)
{
    return (long)json_integer_value(json_object_get(q, "section"));
}

/* Questions grouped by section, keeping their order within each. */
static void group(struct editor *ed)
{
    json_t *sorted = json_array();
    for (size_t s = 0; s < json_array_size(ed->sections); s++) {
        size_t i;
        json_t *q;
        json_array_foreach(ed->questions, i, q) if ((size_t)sec_of(q) == s)
            json_array_append(sorted, q);
    }
    json_decref(ed->questions);
    ed->questions = sorted;
}

/* Whether key is a question of the stored definition (so it has answers,
 * once the questionnaire has some, and may not go). */
static bool stored_key(json_t *def, const char *key)
{
    size_t s, i;
    json_t *sec, *q;
    json_array_foreach(json_object_get(def, "sections"), s, sec)
        json_array_foreach(json_object_get(sec, "questions"), i, q)
            if (key && !strcmp(key, json_string_value(json_object_get(q, "key")) ?
                                    json_string_value(json_object_get(q, "key")) : ""))
                return true;
    return false;
}

/* A key not used yet: q1, q2, ... */
static const char *new_key(arena *a, json_t *questions)
{
    for (int n = 1;; n++) {
        const char *k = arena_printf(a, "q%d", n);
        bool used = false;
        size_t i;
        json_t *q;
        json_array_foreach(questions, i, q)
            used |= !strcmp(k, json_string_value(json_object_get(q, "key")));
        if (!used)
            return k;
    }
}

/* Applies one operation; returns the catalog key of a refusal, or NULL. */
static const char *apply(arena *a, struct editor *ed, const char *op, const char *new_type,
                         json_t *stored_def, bool answered)
{
    size_t nq = json_array_size(ed->questions);
    char *end;
    if (!strcmp(op, "add")) {
        if (nq >= MAX_QUESTIONS)
            return "eval.err.editor_full";
        json_array_append_new(ed->questions, json_pack(
            "{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:s, s:s}", "section",
            (json_int_t)json_array_size(ed->sections) - 1, "key", new_key(a, ed->questions),
            "type", new_type && *new_type ? new_type : "agree", "es", "", "en", "", "required",
            0, "options", "", "min", "", "max", ""));
        return NULL;
    }
    if (!strcmp(op, "add_section")) {
        if (json_array_size(ed->sections) >= MAX_SECTIONS)
            return "eval.err.editor_full";
        json_array_append_new(ed->sections, json_pack("{s:s, s:s}", "es", "", "en", ""));
        return NULL;
    }
    const char *colon = strchr(op, ':');
    long i = colon ? strtol(colon + 1, &end, 10) : -1;
    if (!colon || *end || end == colon + 1 || i < 0)
        return "error.form";
    size_t len = (size_t)(colon - op);
    if (!strncmp(op, "remove_section", len) && len == 14) {
        if ((size_t)i >= json_array_size(ed->sections) || json_array_size(ed->sections) == 1)
            return "error.form";
        json_t *q;
        size_t j;
        json_array_foreach(ed->questions, j, q)
            if (sec_of(q) == i && answered &&
                stored_key(stored_def, json_string_value(json_object_get(q, "key"))))
                return "eval.err.removed";
        json_t *kept = json_array();
        json_array_foreach(ed->questions, j, q) {
            if (sec_of(q) == i)
                continue;
            if (sec_of(q) > i)
                json_object_set_new(q, "section", json_integer(sec_of(q) - 1));
            json_array_append(kept, q);
        }
        json_decref(ed->questions);
        ed->questions = kept;
        json_array_remove(ed->sections, (size_t)i);
        return NULL;
    }
    bool sec_up = !strncmp(op, "section_up", len) && len == 10;
    if (sec_up || (!strncmp(op, "section_down", len) && len == 12)) {
        /* Sections i and j change places, taking their questions along. */
        long ns = (long)json_array_size(ed->sections), j = sec_up ? i - 1 : i + 1;
        if (i >= ns || j < 0 || j >= ns)
            return "error.form";
        json_t *a_sec = json_incref(json_array_get(ed->sections, (size_t)i));
        json_array_set(ed->sections, (size_t)i, json_array_get(ed->sections, (size_t)j));
        json_array_set_new(ed->sections, (size_t)j, a_sec);
        size_t k;
        json_t *x;
        json_array_foreach(ed->questions, k, x) {
            if (sec_of(x) == i)
                json_object_set_new(x, "section", json_integer(j));
            else if (sec_of(x) == j)
                json_object_set_new(x, "section", json_integer(i));
        }
        return NULL;
    }
    if ((size_t)i >= nq)
        return "error.form";
    json_t *q = json_array_get(ed->questions, (size_t)i);
    if (!strncmp(op, "remove", len) && len == 6) {
        if (answered && stored_key(stored_def, json_string_value(json_object_get(q, "key"))))
            return "eval.err.removed";
        json_array_remove(ed->questions, (size_t)i);
        return NULL;
    }
    bool up = !strncmp(op, "up", len) && len == 2, down = !strncmp(op, "down", len) && len == 4;
    if (!up && !down)
        return "error.form";
    /* Beside a question of the same section: swap; at a section's edge:
     * into the neighbouring section. */
    long s = sec_of(q), ns = (long)json_array_size(ed->sections);
    long j = up ? i - 1 : i + 1;
    json_t *other = j >= 0 && (size_t)j < nq ? json_array_get(ed->questions, (size_t)j) : NULL;
    if (other && sec_of(other) == s) {
        json_incref(q);
        json_array_set(ed->questions, (size_t)i, other);
        json_array_set_new(ed->questions, (size_t)j, q);
    } else if (up && s > 0)
        json_object_set_new(q, "section", json_integer(s - 1));
    else if (down && s + 1 < ns)
        json_object_set_new(q, "section", json_integer(s + 1));
    return NULL;
}

/* The definition the form describes, keeping what the form does not show
 * of each question; NULL with *bad (the row, or -1 for a section) and the
 * catalog key of the first fault. */
static json_t *to_definition(arena *a, struct editor *ed, json_t *stored_def, long *bad,
                             const char **why)
{
    json_t *def = json_pack("{s:[]}", "sections");
    json_t *seen = json_object();
    size_t s, i;
    json_t *sec, *q;
    *bad = -1;
    *why = NULL;
    json_array_foreach(ed->sections, s, sec) {
        json_t *qs = json_array();
        json_array_foreach(ed->questions, i, q) {
            if ((size_t)sec_of(q) != s)
                continue;
            const char *key = json_string_value(json_object_get(q, "key"));
            const char *type = json_string_value(json_object_get(q, "type"));
            json_t *out = NULL;
            size_t si, qi;
            json_t *ssec, *sq;
            json_array_foreach(json_object_get(stored_def, "sections"), si, ssec)
                json_array_foreach(json_object_get(ssec, "questions"), qi, sq)
                    if (!out && !strcmp(key, json_string_value(json_object_get(sq, "key")) ?
                                                 json_string_value(json_object_get(sq, "key")) : ""))
                        out = json_deep_copy(sq);
            if (!out)
                out = json_object();
            json_object_set_new(out, "key", json_string(key));
            json_object_set_new(out, "type", json_string(type));
            json_object_set_new(out, "text", json_pack("{s:s, s:s}", "es",
                json_string_value(json_object_get(q, "es")), "en", json_string_value(json_object_get(q, "en"))));
            json_object_set_new(out, "required", json_boolean(json_is_true(json_object_get(q, "required"))));
            json_object_del(out, "options");
            json_object_del(out, "statements");
            json_object_del(out, "min");
            json_object_del(out, "max");
            json_array_append_new(qs, out);
            const char *fault = NULL;
            bool key_ok = *key && strlen(key) <= 40;
            for (const char *p = key; *p; p++)
                key_ok &= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
            if (!key_ok)
                fault = "eval.err.key";
            else if (json_object_get(seen, key))
                fault = "eval.err.key_twice";
            else if (!*json_string_value(json_object_get(q, "es")) ||
                     !*json_string_value(json_object_get(q, "en")))
                fault = "eval.err.text_both";
            json_object_set_new(seen, key, json_true());
            if (!fault && type_has(type, "options")) {
                json_t *opts = options_parse(a, json_string_value(json_object_get(q, "options")));
                if (!opts || json_array_size(opts) == 0 || json_array_size(opts) > 50)
                    fault = "eval.err.options";
                if (opts)
                    json_object_set_new(out, strcmp(type, "grid") ? "options" : "statements", opts);
            }
            if (!fault && type_has(type, "minmax")) {
                char *e1, *e2;
                const char *smin = json_string_value(json_object_get(q, "min"));
                const char *smax = json_string_value(json_object_get(q, "max"));
                long long mn = strtoll(smin, &e1, 10), mx = strtoll(smax, &e2, 10);
                long long top = strcmp(type, "multi") ? 1000000000LL
                    : (long long)json_array_size(json_object_get(out, "options"));
                if (!*smin || !*smax || *e1 || *e2 || mn > mx || mx > top || mn < -1000000000LL ||
                    (!strcmp(type, "multi") && mn < 0))
                    fault = "eval.err.min_max";
                else {
                    json_object_set_new(out, "min", json_integer(mn));
                    json_object_set_new(out, "max", json_integer(mx));
                }
            }
            if (fault && !*why) {
                *why = fault;
                *bad = (long)i;
            }
        }
        const char *es = text_of(sec, "es"), *en = text_of(sec, "en");
        if (json_array_size(qs) == 0) {
            /* An empty section is dropped. */
            json_decref(qs);
            continue;
        }
        if ((!*es || !*en) && !*why)
            *why = "eval.err.section_title";
        json_array_append_new(json_object_get(def, "sections"), json_pack(
            "{s:{s:s, s:s}, s:o}", "title", "es", es, "en", en, "questions", qs));
    }
    json_decref(seen);
    if (!*why && json_array_size(json_object_get(def, "sections")) == 0)
        *why = "eval.err.no_questions";
    if (*why) {
        json_decref(def);
        return NULL;
    }
    return def;
}

/* ---- the page ---- */

static void show(request *req, response *res, int status, json_t *q, struct editor *ed,
                 const char *problem, long bad_row, const char *notice)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("eval.editor_title"));
    json_object_set_new(data, "base", json_string(eval_admin_path(req, q)));
    json_object_set(data, "course_title", json_object_get(q, "course_title"));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    bool locked = json_integer_value(json_object_get(q, "respondents")) > 0;
    json_object_set_new(data, "locked", json_boolean(locked));
    if (problem)
        json_object_set_new(data, "problem", problem[0] == '!' ? json_string(problem + 1)
                                                               : bilingual_tr(problem));
    if (notice)
        json_object_set_new(data, "notice", bilingual_tr(notice));
    size_t ns = json_array_size(ed->sections), nq = json_array_size(ed->questions);
    json_t *types = json_array();
    for (size_t t = 0; evaluation_types[t]; t++)
        json_array_append_new(types, json_pack("{s:s, s:o}", "value", evaluation_types[t], "label",
            bilingual_tr(arena_printf(req->a, "eval.type.%s", evaluation_types[t]))));
    json_object_set_new(data, "types", types);
    json_t *sections = json_array();
    size_t s, i, n = 0;
    json_t *sec, *x;
    json_array_foreach(ed->sections, s, sec) {
        json_t *qs = json_array();
        json_array_foreach(ed->questions, i, x) {
            if ((size_t)sec_of(x) != s)
                continue;
            const char *type = json_string_value(json_object_get(x, "type"));
            json_t *type_choices = json_array(), *sec_choices = json_array();
            for (size_t t = 0; evaluation_types[t]; t++)
                json_array_append_new(type_choices, json_pack("{s:s, s:o, s:b}", "value",
                    evaluation_types[t], "label",
                    bilingual_tr(arena_printf(req->a, "eval.type.%s", evaluation_types[t])),
                    "selected", !strcmp(type, evaluation_types[t])));
            for (size_t k = 0; k < ns; k++)
                json_array_append_new(sec_choices, json_pack("{s:I, s:I, s:b}", "value",
                    (json_int_t)k, "number", (json_int_t)k + 1, "selected", k == s));
            json_t *row = json_deep_copy(x);
            json_object_set_new(row, "i", json_integer((json_int_t)i));
            json_object_set_new(row, "number", json_integer((json_int_t)++n));
            json_object_set_new(row, "type_label",
                bilingual_tr(arena_printf(req->a, "eval.type.%s", type)));
            json_object_set_new(row, "type_choices", type_choices);
            json_object_set_new(row, "section_choices", sec_choices);
            json_object_set_new(row, "many_sections", json_boolean(ns > 1));
            json_object_set_new(row, "has_options", json_boolean(type_has(type, "options")));
            json_object_set_new(row, "has_minmax", json_boolean(type_has(type, "minmax")));
            json_object_set_new(row, "can_up", json_boolean(i > 0 || s > 0));
            json_object_set_new(row, "can_down", json_boolean(i + 1 < nq || s + 1 < ns));
            if ((long)i == bad_row && problem)
                json_object_set_new(row, "error", bilingual_tr(problem));
            json_array_append_new(qs, row);
        }
        json_array_append_new(sections, json_pack("{s:I, s:I, s:s, s:s, s:o, s:b, s:b, s:b}",
            "index", (json_int_t)s, "number", (json_int_t)s + 1, "es", text_of(sec, "es"), "en",
            text_of(sec, "en"), "questions", qs, "removable", ns > 1, "can_up", s > 0,
            "can_down", s + 1 < ns));
    }
    json_object_set_new(data, "sections", sections);
    res_page(req, res, status, "admin_evaluation_questions", data);
    res->no_store = true;
}

void admin_evaluation_questions(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    struct editor ed;
    from_definition(req->a, json_object_get(q, "definition"), &ed);
    const char *n = req_query(req, "notice");
    show(req, res, 200, q, &ed, NULL, -1, n && !strcmp(n, "saved") ? "eval.saved" : NULL);
}

void admin_evaluation_questions_post(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    const struct form_values *f = &req->form;
    struct editor ed;
    if (!from_form(f, &ed)) {
        res_error(req, res, 400, "error.form");
        return;
    }
    group(&ed);
    json_t *stored = json_object_get(q, "definition");
    bool answered = json_integer_value(json_object_get(q, "respondents")) > 0;
    if (!f->ok) {
        show(req, res, 422, q, &ed, "error.form", -1, NULL);
        return;
    }
    const char *op = form_str(f, "op");
    if (*op && strcmp(op, "save") != 0) {
        const char *refused = apply(req->a, &ed, op, form_str(f, "new_type"), stored, answered);
        group(&ed);
        show(req, res, refused ? 422 : 200, q, &ed, refused, -1, NULL);
        return;
    }
    long bad;
    const char *why;
    json_t *def = to_definition(req->a, &ed, stored, &bad, &why);
    if (!def) {
        show(req, res, 422, q, &ed, why, bad, NULL);
        return;
    }
    char path[200], msg[200];
    if (!evaluation_validate_definition(def, path, sizeof path, msg, sizeof msg)) {
        show(req, res, 422, q, &ed, arena_printf(req->a, "!%s: %s", path, msg), -1, NULL);
        return;
    }
    if (answered && !evaluation_keeps_questions(stored, def)) {
        show(req, res, 422, q, &ed, "eval.err.removed", -1, NULL);
        return;
    }
    if (answered && !json_equal(def, stored) && !form_bool(f, "confirm_wording")) {
        show(req, res, 422, q, &ed, "eval.err.confirm_wording", -1, NULL);
        return;
    }
    if (!evaluation_set_definition(json_integer_value(json_object_get(q, "id")), def)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    audit(req->user.email, "evaluation.questions", eval_admin_path(req, q), "");
    res_redirect(req, res, arena_printf(req->a, "%s/questions?notice=saved", eval_admin_path(req, q)));
}
