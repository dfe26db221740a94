/* The participant's own page: applications, statuses, what to do next,
 * the registration form and withdrawing from a course. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../store/application_store.h"
#include "evaluation_pages.h"
#include "pages.h"
#include "programme_view.h"

static const struct field_spec register_fields[] = {
    {.name = "confirm", .v = V_INT, .multiple = true, .min = 1, .max = INT64_MAX},
    {.name = "city", .v = V_LINE, .required = true, .max_len = 120},
    {.name = "time_zone", .v = V_TZ, .required = true},
    {.name = "accessibility", .v = V_TEXT, .max_len = 2000},
    {.name = "recording_consent", .v = V_BOOL},
};
const struct form_spec register_form = FORM_SPEC(register_fields);

static const struct field_spec withdraw_fields[] = {
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
};
const struct form_spec withdraw_form = FORM_SPEC(withdraw_fields);

/* What the participant should do next, from the statuses of their courses. */
static void add_next_steps(json_t *app)
{
    size_t i;
    json_t *e;
    bool accepted = false, registered = false, waiting = false, submitted = false;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        const char *s = json_string_value(json_object_get(e, "status"));
        if (!s)
            continue;
        accepted |= strcmp(s, "accepted") == 0;
        registered |= strcmp(s, "registered") == 0;
        waiting |= strcmp(s, "waitlisted") == 0;
        submitted |= strcmp(s, "submitted") == 0;
        char key[48];
        snprintf(key, sizeof key, "status.%s", s);
        json_object_set_new(e, "status_label", bilingual_tr(key));
        json_object_set_new(e, "can_withdraw",
                            json_boolean(strcmp(s, "withdrawn") && strcmp(s, "rejected")));
    }
    const char *next = accepted ? "me.next_register" : submitted ? "me.next_wait"
                       : waiting ? "me.next_waitlist" : registered ? "me.next_invitation"
                                                                   : "me.next_none";
    json_object_set_new(app, "next_step", bilingual_tr(next));
    json_object_set_new(app, "needs_registration", json_boolean(accepted));
}

void page_me(request *req, response *res)
{
    json_t *apps = applications_of_account(req->user.id);
    size_t i;
    json_t *a;
    json_array_foreach(apps, i, a) {
        add_next_steps(a);
        /* Training material of each course the person is registered for. */
        size_t j;
        json_t *e;
        json_array_foreach(json_object_get(a, "enrolments"), j, e) {
            if (strcmp(json_string_value(json_object_get(e, "status")), "registered") == 0) {
                json_object_set_new(e, "materials", materials_for_participant(
                    req, json_string_value(json_object_get(a, "edition")),
                    json_string_value(json_object_get(e, "course"))));
                me_course_extras(req, a, e);
            }
        }
    }
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("me.title"));
    json_object_set_new(data, "email", json_string(req->user.email));
    json_object_set_new(data, "applications", apps);
    json_object_set_new(data, "evaluations", evaluations_for_me(req));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    if (req_query(req, "registered"))
        json_object_set_new(data, "just_registered", json_true());
    res_page(req, res, 200, "me", data);
    res->no_store = true;
}

/* The application named in the path, if it belongs to the signed-in person. */
static json_t *own_application(request *req, response *res)
{
    const char *s = req_param(req, "id");
    char *end;
    long long id = s ? strtoll(s, &end, 10) : 0;
    json_t *app = (id > 0 && !*end) ? application_load(id) : NULL;
    if (!app || json_integer_value(json_object_get(app, "account_id")) != req->user.id) {
        res_error(req, res, 404, "error.not_found");
        return NULL;
    }
    return app;
}

static void show_register(request *req, response *res, int status, json_t *app,
                          const struct form_values *f)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("register.title"));
    json_object_set(data, "application", app);
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_t *courses = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        const char *s = json_string_value(json_object_get(e, "status"));
        if (strcmp(s, "accepted") == 0 || strcmp(s, "registered") == 0)
            json_array_append(courses, e);
    }
    json_object_set_new(data, "courses", courses);
    const char *city = json_string_value(json_object_get(app, "city"));
    const char *tz = json_string_value(json_object_get(app, "time_zone"));
    const char *acc = json_string_value(json_object_get(app, "accessibility"));
    bool consent = json_integer_value(json_object_get(app, "recording_consent")) == 1;
    if (f && f->spec) {
        city = form_str(f, "city");
        tz = form_str(f, "time_zone");
        acc = form_str(f, "accessibility");
        consent = form_bool(f, "recording_consent");
        for (size_t k = 0; k < f->spec->n; k++)
            if (f->v[k].error)
                json_object_set_new(data, arena_printf(req->a, "%s_error", f->spec->fields[k].name),
                                    bilingual_tr(f->v[k].error));
        json_object_set_new(data, "error", bilingual_tr("error.form"));
    }
    json_object_set_new(data, "city", json_string(city ? city : ""));
    json_object_set_new(data, "time_zone", json_string(tz ? tz : ""));
    json_object_set_new(data, "accessibility", json_string(acc ? acc : ""));
    json_object_set_new(data, "recording_consent", json_boolean(consent));
    res_page(req, res, status, "register", data);
    res->no_store = true;
}

void page_register_form(request *req, response *res)
{
    json_t *app = own_application(req, res);
    if (app)
        show_register(req, res, 200, app, NULL);
}

void page_register(request *req, response *res)
{
    json_t *app = own_application(req, res);
    if (!app)
        return;
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_register(req, res, 422, app, f);
        return;
    }
    /* Each accepted course is either confirmed (ticked) or declined. */
    const struct field_value *cv = form_get(f, "confirm");
    int64_t *confirm = arena_alloc(req->a, 16 * sizeof *confirm);
    int64_t *decline = arena_alloc(req->a, 16 * sizeof *decline);
    size_t nc = 0, nd = 0;
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "enrolments"), i, e) {
        const char *s = json_string_value(json_object_get(e, "status"));
        if (strcmp(s, "accepted") != 0 || nc >= 16 || nd >= 16)
            continue;
        int64_t id = json_integer_value(json_object_get(e, "id"));
        bool ticked = false;
        for (size_t k = 0; k < cv->nmany; k++)
            if (strtoll(cv->many[k], NULL, 10) == id)
                ticked = true;
        if (ticked)
            confirm[nc++] = id;
        else
            decline[nd++] = id;
    }
    struct registration_input in = {
        .application_id = json_integer_value(json_object_get(app, "id")),
        .city = form_str(f, "city"),
        .time_zone = form_str(f, "time_zone"),
        .accessibility = *form_str(f, "accessibility") ? form_str(f, "accessibility") : NULL,
        .recording_consent = form_bool(f, "recording_consent"),
        .confirm = confirm, .nconfirm = nc, .decline = decline, .ndecline = nd,
    };
    if (!registration_save(&in, req->user.email, aula_message, req)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, "/me?registered=1");
}

void page_withdraw(request *req, response *res)
{
    int64_t id = form_int(&req->form, "enrolment");
    /* Only one's own enrolment: look it up among the person's applications. */
    json_t *apps = applications_of_account(req->user.id);
    bool mine = false;
    size_t i, j;
    json_t *a, *e;
    json_array_foreach(apps, i, a) {
        json_array_foreach(json_object_get(a, "enrolments"), j, e) {
            if (json_integer_value(json_object_get(e, "id")) == id)
                mine = true;
        }
    }
    if (!req->form.ok || !mine) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    enum decision_outcome r = enrolment_decide(id, ENROL_WITHDRAWN, req->user.email, NULL,
                                               aula_message, req);
    if (r == DECISION_ERROR) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, "/me");
}
