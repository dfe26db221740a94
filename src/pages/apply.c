/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Applying to an edition: the public application form. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../app/applications.h"
#include "../base/timeutil.h"
#include "../domain/countries.h"
#include "../http/rate_limit.h"
#include "../store/application_store.h"
#include "../store/programme_store.h"
#include "page_ctx.h"
#include "../domain/address.h"
#include "../app/app.h"
#include "apply.h"
#include "messages.h"
#include "people_names.h"
#include "render.h"
#include "programme_view.h"

static const char *const languages[] = {"es", "en", NULL};
static const char *country_codes[300];
/* Key of the confirmation cookie (see applied_cookie), made at start-up. */
static unsigned char applied_key[crypto_auth_KEYBYTES];

static const struct field_spec apply_fields[] = {
    {.name = "form_of_address", .v = V_CHOICE, .required = true, .choices = forms_of_address},
    {.name = "given_names", .v = V_LINE, .required = true, .max_len = 120},
    {.name = "family_names", .v = V_LINE, .required = true, .max_len = 120},
    {.name = "gender", .v = V_CHOICE, .required = true, .choices = genders},
    {.name = "country", .v = V_CHOICE, .required = true, .choices = country_codes},
    {.name = "institution_type", .v = V_CHOICE, .required = true, .choices = institution_types},
    {.name = "institution", .v = V_LINE, .required = true, .max_len = 200},
    {.name = "position", .v = V_LINE, .required = true, .max_len = 200},
    {.name = "email", .v = V_EMAIL, .required = true},
    {.name = "phone", .v = V_LINE, .max_len = 40},
    {.name = "language", .v = V_CHOICE, .required = true, .choices = languages},
    {.name = "courses", .v = V_SLUG, .required = true, .multiple = true},
    {.name = "motivation", .v = V_TEXT, .max_len = 3000},
    {.name = "consent", .v = V_BOOL, .required = true},
    {.name = "submission", .v = V_TOKEN, .required = true, .max_len = 64},
};
const struct form_spec apply_form = FORM_SPEC(apply_fields);

/* Country codes for the validator, filled once from the country table
 * before the server starts (pages_init). */
void apply_init(void)
{
    for (size_t i = 0; i < country_count && i + 1 < sizeof country_codes / sizeof *country_codes; i++)
        country_codes[i] = countries[i].code;
    randombytes_buf(applied_key, sizeof applied_key);
}

static json_t *options(lang_t lang, const char *prefix, const char *const *values,
                       const char *selected)
{
    json_t *arr = json_array();
    for (const char *const *v = values; *v; v++) {
        char key[80];
        snprintf(key, sizeof key, "%s.%s", prefix, *v);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", *v, "label",
                                             tr(lang, key), "selected",
                                             selected && strcmp(selected, *v) == 0));
    }
    return arr;
}

/* Member states first (the organisation's region), then every other
 * country, each group in the visitor's alphabetical order. */
static json_t *country_options(lang_t lang, const char *selected)
{
    json_t *members = json_array(), *others = json_array();
    for (size_t i = 0; i < country_count; i++) {
        const struct country *c = &countries[i];
        bool member = false;
        for (const char *const *m = sela_member_states; *m; m++)
            if (strcmp(*m, c->code) == 0)
                member = true;
        json_array_append_new(member ? members : others,
                              json_pack("{s:s, s:s, s:b}", "value", c->code, "label",
                                        lang == LANG_EN ? c->name_en : c->name_es, "selected",
                                        selected && strcmp(selected, c->code) == 0));
    }
    /* Alphabetical in the visitor's language, accents folded. */
    json_t *out = json_object();
    json_object_set_new(out, "members", sort_by_label(members));
    json_object_set_new(out, "others", sort_by_label(others));
    return out;
}

/* A missing answer says what to do ("Choose at least one course"), each
 * field in its own words; other problems keep the validator's message. */
static const char *field_error_key(request *req, const char *field, const char *error)
{
    static const char *const own[] = {"form_of_address", "given_names", "family_names", "gender",
                                      "country", "institution_type", "institution", "position",
                                      "email", "language", "courses", "consent", NULL};
    if (strcmp(error, "error.required") != 0)
        return error;
    for (const char *const *o = own; *o; o++)
        if (strcmp(*o, field) == 0) {
            const char *key = arena_printf(req->a, "apply.missing.%s", field);
            return key ? key : error;
        }
    return error;
}

/* The error summary at the top of the form: each problem in the form's
 * order, as a link to its field ([{href, message}]). */
static json_t *error_summary(request *req, const struct form_values *f, json_t *edition)
{
    json_t *list = json_array();
    if (!f || !f->spec)
        return list;
    const char *first_course = json_string_value(
        json_object_get(json_array_get(json_object_get(edition, "courses"), 0), "slug"));
    /* The form shows the courses first, then the fields in declared order. */
    static const char *const order[] = {"courses", "form_of_address", "given_names",
        "family_names", "gender", "country", "institution_type", "institution", "position",
        "email", "phone", "language", "motivation", "consent", "submission", NULL};
    for (const char *const *o = order; *o; o++) {
        const struct field_value *v = form_get(f, *o);
        if (!v || !v->error)
            continue;
        const char *target = *o;
        if (strcmp(*o, "courses") == 0)
            target = arena_printf(req->a, "course-%s", first_course ? first_course : "");
        else if (strcmp(*o, "submission") == 0)
            target = "submit";
        const char *key = field_error_key(req, *o, v->error);
        json_t *message;
        if (key != v->error) {
            message = bilingual_tr(key);
        } else {
            /* A generic message is preceded by the field's name. */
            char label[64];
            snprintf(label, sizeof label, "field.%s", strcmp(*o, "email") == 0 ? "work_email" : *o);
            message = json_pack("{s:s, s:s}",
                "es", arena_printf(req->a, "%s: %s", tr(LANG_ES, label), tr(LANG_ES, key)),
                "en", arena_printf(req->a, "%s: %s", tr(LANG_EN, label), tr(LANG_EN, key)));
        }
        json_array_append_new(list, json_pack("{s:s, s:o}", "href",
                                              arena_printf(req->a, "#%s", target), "message",
                                              message));
    }
    return list;
}

/* {name: {"value": .., "error": {es, en}}} for every declared field, so
 * the form shows what was entered and each problem beside its field. */
static json_t *field_state(request *req, const struct form_values *f)
{
    json_t *o = json_object();
    if (!f || !f->spec)
        return o;
    for (size_t i = 0; i < f->spec->n; i++) {
        const struct field_value *v = &f->v[i];
        json_t *st = json_pack("{s:s}", "value", v->s ? v->s : "");
        if (v->error)
            json_object_set_new(st, "error", bilingual_tr(field_error_key(req, f->spec->fields[i].name,
                                                                          v->error)));
        json_object_set_new(o, f->spec->fields[i].name, st);
    }
    return o;
}

/* The confirmation page repeats what was sent to whoever sent it: a cookie
 * holds the application's id with a MAC under a key of this process (after
 * a restart the page just says it was received). */
static const char *applied_cookie(request *req, int64_t id)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lld", (long long)id);
    unsigned char mac[crypto_auth_BYTES];
    crypto_auth(mac, (const unsigned char *)idtext, strlen(idtext), applied_key);
    char b64[sodium_base64_ENCODED_LEN(crypto_auth_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return arena_printf(req->a, "%s.%s", idtext, b64);
}

/* The application the cookie names, or 0. */
static int64_t applied_from_cookie(request *req)
{
    const char *c = req_cookie(req, "aula_applied");
    const char *dot = c ? strchr(c, '.') : NULL;
    if (!dot || dot - c > 20)
        return 0;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%.*s", (int)(dot - c), c);
    unsigned char mac[crypto_auth_BYTES];
    size_t len = 0;
    if (sodium_base642bin(mac, sizeof mac, dot + 1, strlen(dot + 1), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 || len != sizeof mac ||
        crypto_auth_verify(mac, (const unsigned char *)idtext, strlen(idtext), applied_key) != 0)
        return 0;
    return strtoll(idtext, NULL, 10);
}

static const char *new_submission_key(request *req)
{
    unsigned char raw[18];
    randombytes_buf(raw, sizeof raw);
    char *key = arena_alloc(req->a, 32);
    if (key)
        sodium_bin2base64(key, 32, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return key ? key : "";
}

static void show_form(request *req, response *res, int status, json_t *p,
                      const struct form_values *f, const char *error_key, json_t *extra)
{
    json_t *e = json_object_get(p, "edition");
    json_object_set_new(p, "page_title", bilingual_tr("apply.title"));
    json_object_set_new(p, "is_apply", json_true());
    json_object_set_new(p, "csrf", json_string(csrf_token(req, res)));
    json_t *state = field_state(req, f);
    json_object_set_new(p, "f", state);
    const char *given = f && f->spec ? form_str(f, "submission") : "";
    json_object_set_new(p, "submission", json_string(*given ? given : new_submission_key(req)));
    lang_t lang = req->lang;
    const char *pick = f && f->spec ? form_str(f, "form_of_address") : NULL;
    json_object_set_new(p, "forms_of_address", options(lang, "address", forms_of_address, pick));
    json_object_set_new(p, "genders", options(lang, "gender", genders,
                                               f && f->spec ? form_str(f, "gender") : NULL));
    json_object_set_new(p, "institution_types",
                        options(lang, "institution_type", institution_types,
                                f && f->spec ? form_str(f, "institution_type") : NULL));
    const char *language = f && f->spec ? form_str(f, "language") : lang_code(lang);
    json_object_set_new(p, "languages", options(lang, "lang", languages, language));
    json_object_set_new(p, "countries",
                        country_options(lang, f && f->spec ? form_str(f, "country") : NULL));
    /* Courses: checked as submitted. */
    const struct field_value *cv = f && f->spec ? form_get(f, "courses") : NULL;
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(e, "courses"), i, c) {
        bool checked = false;
        for (size_t j = 0; cv && j < cv->nmany; j++)
            if (strcmp(cv->many[j], json_string_value(json_object_get(c, "slug"))) == 0)
                checked = true;
        json_object_set_new(c, "checked", json_boolean(checked));
    }
    if (f && f->spec && form_bool(f, "consent"))
        json_object_set_new(p, "consent_checked", json_true());
    if (error_key)
        json_object_set_new(p, "error", bilingual_tr(error_key));
    json_t *summary = error_summary(req, f, e);
    if (json_array_size(summary))
        json_object_set_new(p, "errors", summary);
    else
        json_decref(summary);
    if (extra)
        json_object_update(p, extra);
    res_page(req, res, status, "apply", p);
    res->no_store = true;
}

static json_t *open_edition(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return NULL;
    }
    struct app_ctx ctx = page_ctx(req);
    int state = applications_window(&ctx, json_object_get(p, "edition"));
    if (state != 0) {
        json_object_set_new(p, "page_title", bilingual_tr("apply.title"));
        json_object_set_new(p, "is_apply", json_true());
        json_object_set_new(p, state < 0 ? "not_yet" : "closed", json_true());
        res_page(req, res, 200, "apply_closed", p);
        return NULL;
    }
    return p;
}

void page_apply_form(request *req, response *res)
{
    json_t *p = open_edition(req, res);
    if (p)
        show_form(req, res, 200, p, NULL, NULL, NULL);
}

void page_apply(request *req, response *res)
{
    json_t *p = open_edition(req, res);
    if (!p)
        return;
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_form(req, res, 422, p, f, "error.form", NULL);
        return;
    }
    /* Limits per address and per email, against floods and mail bombs. */
    time_t now = time(NULL);
    const char *ip = arena_printf(req->a, "apply-ip:%s", req_client_address(req));
    const char *em = arena_printf(req->a, "apply-email:%s", form_str(f, "email"));
    if (!rate_allow(ip, 20, 3600, now) || !rate_allow(em, 5, 3600, now)) {
        res_header(res, "Retry-After", "3600");
        show_form(req, res, 429, p, f, "error.rate_limited", NULL);
        return;
    }
    const struct field_value *cv = form_get(f, "courses");
    struct application_input in = {
        .edition_slug = req_param(req, "slug"),
        .email = form_str(f, "email"),
        .form_of_address = form_str(f, "form_of_address"),
        .given_names = form_str(f, "given_names"),
        .family_names = form_str(f, "family_names"),
        .gender = form_str(f, "gender"),
        .country = form_str(f, "country"),
        .institution_type = form_str(f, "institution_type"),
        .institution = form_str(f, "institution"),
        .position = form_str(f, "position"),
        .phone = *form_str(f, "phone") ? form_str(f, "phone") : NULL,
        .language = form_str(f, "language"),
        .motivation = *form_str(f, "motivation") ? form_str(f, "motivation") : NULL,
        .submission_key = form_str(f, "submission"),
        .courses = cv->many,
        .ncourses = cv->nmany,
    };
    int64_t id = 0;
    struct app_ctx ctx = page_ctx(req);
    struct app_err err;
    if (application_apply(&ctx, &in, aula_message, req, &id, &err)) {
        if (id > 0)
            res_set_cookie(req, res, "aula_applied", applied_cookie(req, id), 600, true);
        res_redirect(req, res, arena_printf(req->a, "/events/%s/apply/done", in.edition_slug));
        return;
    }
    if (strcmp(err.key, "apply.duplicate") == 0)
        show_form(req, res, 409, p, f, "apply.duplicate", json_pack("{s:b}", "duplicate", 1));
    else if (err.kind == APP_INVALID || err.kind == APP_CONFLICT)
        show_form(req, res, page_status_of(err.kind), p, f, err.key, NULL);
    else
        res_error(req, res, page_status_of(err.kind), err.key);
}

void page_apply_done(request *req, response *res)
{
    json_t *p = programme_view(req_param(req, "slug"), 0);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    json_object_set_new(p, "page_title", bilingual_tr("apply.done_title"));
    json_object_set_new(p, "is_apply", json_true());
    int64_t id = applied_from_cookie(req);
    json_t *app = id ? application_load(id) : NULL;
    if (app && strcmp(json_string_value(json_object_get(app, "edition")), req_param(req, "slug")) == 0)
        json_object_set_new(p, "applied", json_pack("{s:O, s:O}", "email",
            json_object_get(app, "email"), "enrolments", json_object_get(app, "enrolments")));
    res_page(req, res, 200, "apply_done", p);
    res->no_store = true;
}
