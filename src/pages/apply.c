/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Applying to an edition: the public application form. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../base/timeutil.h"
#include "../domain/countries.h"
#include "../http/rate_limit.h"
#include "../store/application_store.h"
#include "../store/programme_store.h"
#include "pages.h"
#include "programme_view.h"

static const char *const languages[] = {"es", "en", NULL};
static const char *country_codes[300];

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
}

/* Whether applications are open now, in the edition's own clock. */
static int applications_state(json_t *edition)
{
    const char *tz = json_string_value(json_object_get(edition, "time_zone"));
    const char *open = json_string_value(json_object_get(edition, "applications_open"));
    const char *close = json_string_value(json_object_get(edition, "applications_close"));
    time_t now = time(NULL), t;
    int y, mo, d, h, mi;
    if (!open)
        return -1; /* never opened */
    if (parse_datetime_local(open, &y, &mo, &d, &h, &mi) && local_to_utc(tz, y, mo, d, h, mi, &t) &&
        now < t)
        return -1;
    if (close && parse_datetime_local(close, &y, &mo, &d, &h, &mi) &&
        local_to_utc(tz, y, mo, d, h, mi, &t) && now >= t)
        return 1;
    return 0;
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

/* {name: {"value": .., "error": {es, en}}} for every declared field, so
 * the form shows what was entered and each problem beside its field. */
static json_t *field_state(const struct form_values *f)
{
    json_t *o = json_object();
    if (!f || !f->spec)
        return o;
    for (size_t i = 0; i < f->spec->n; i++) {
        const struct field_value *v = &f->v[i];
        json_t *st = json_pack("{s:s}", "value", v->s ? v->s : "");
        if (v->error)
            json_object_set_new(st, "error", bilingual_tr(v->error));
        json_object_set_new(o, f->spec->fields[i].name, st);
    }
    return o;
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
    json_t *state = field_state(f);
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
    int state = applications_state(json_object_get(p, "edition"));
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
    switch (application_create(&in, aula_message, req, &id)) {
    case APPLY_CREATED:
    case APPLY_REPEATED:
        res_redirect(req, res, arena_printf(req->a, "/events/%s/apply/done", in.edition_slug));
        return;
    case APPLY_DUPLICATE:
        show_form(req, res, 409, p, f, "apply.duplicate",
                  json_pack("{s:b}", "duplicate", 1));
        return;
    case APPLY_UNKNOWN_COURSE:
        show_form(req, res, 422, p, f, "apply.unknown_course", NULL);
        return;
    case APPLY_ERROR:
        break;
    }
    res_error(req, res, 503, "error.busy");
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
    res_page(req, res, 200, "apply_done", p);
}
