/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* People in the console (administrators only): adding administrators,
 * coordinators and trainers, changing their role, deactivating them; and
 * the page where a person sets their password from the single-use link
 * mailed to them.  The link is never shown in the console: the outbox keeps
 * its token apart from the text (see messages.c). */
#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "../base/digest.h"
#include "../store/account_store.h"
#include "../store/people_store.h"
#include "../app/app.h"
#include "messages.h"
#include "people.h"
#include "render.h"
#include "programme_view.h"

enum { LINK_SECONDS = 72 * 3600, PASSWORD_MIN = 10 };

static const char *const staff_roles[] = {"admin", "coordinator", "trainer", NULL};
static const char *const languages[] = {"es", "en", NULL};
static const char *const activity[] = {"deactivate", "activate", NULL};

static const struct field_spec add_fields[] = {
    {.name = "email", .v = V_EMAIL, .required = true, .max_len = 254},
    {.name = "role", .v = V_CHOICE, .required = true, .choices = staff_roles},
    {.name = "language", .v = V_CHOICE, .required = true, .choices = languages},
};
const struct form_spec people_add_form = FORM_SPEC(add_fields);

static const struct field_spec role_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "role", .v = V_CHOICE, .required = true, .choices = staff_roles},
};
const struct form_spec people_role_form = FORM_SPEC(role_fields);

static const struct field_spec active_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "action", .v = V_CHOICE, .required = true, .choices = activity},
};
const struct form_spec people_active_form = FORM_SPEC(active_fields);

static const struct field_spec link_fields[] = {
    {.name = "id", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "language", .v = V_CHOICE, .required = true, .choices = languages},
};
const struct form_spec people_link_form = FORM_SPEC(link_fields);

static const struct field_spec password_fields[] = {
    {.name = "password", .v = V_PASSWORD, .required = true, .max_len = 200},
    {.name = "password2", .v = V_PASSWORD, .required = true, .max_len = 200},
};
const struct form_spec password_form = FORM_SPEC(password_fields);

/* A new random link token (URL-safe base64 of 32 bytes) in a. */
static const char *new_token(arena *a)
{
    unsigned char raw[32];
    char token[64];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(token, sizeof token, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return arena_strdup(a, token);
}

/* The message's data: the link, with its token marked secret so that the
 * outbox stores only a mask in its place. */
static json_t *link_message(request *req, const char *email, const char *role, const char *lang,
                            const char *token)
{
    return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s}", "email", email, "language", lang,
                     "role", role, "role_name", bilingual_tr(arena_printf(req->a, "role.%s", role)),
                     "link", arena_printf(req->a, "%s/password/%s", app_origin(), token),
                     "secret", token, "login_url",
                     arena_printf(req->a, "%s/login", app_origin()));
}

static void show_people(request *req, response *res, int status, const char *notice_key,
                        const char *error_key, const struct form_values *kept)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("people.title"));
    json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
    json_t *people = staff_list();
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p) {
        const char *role = json_string_value(json_object_get(p, "role"));
        json_object_set_new(p, "role_name", bilingual_tr(arena_printf(req->a, "role.%s", role)));
        json_t *choices = json_array();
        for (const char *const *r = staff_roles; *r; r++)
            json_array_append_new(choices, json_pack("{s:s, s:o, s:b}", "value", *r, "label",
                                                     bilingual_tr(arena_printf(req->a, "role.%s", *r)),
                                                     "selected", strcmp(*r, role) == 0));
        json_object_set_new(p, "roles", choices);
        json_object_set_new(p, "is_me", json_boolean(json_integer_value(json_object_get(p, "id")) ==
                                                     req->user.id));
    }
    json_object_set_new(data, "people", people);
    json_t *roles = json_array();
    const char *kept_role = kept ? form_str(kept, "role") : "coordinator";
    for (const char *const *r = staff_roles; *r; r++)
        json_array_append_new(roles, json_pack("{s:s, s:o, s:b}", "value", *r, "label",
                                               bilingual_tr(arena_printf(req->a, "role.%s", *r)),
                                               "selected", strcmp(*r, kept_role) == 0));
    json_object_set_new(data, "roles", roles);
    json_object_set_new(data, "lang", json_string(lang_code(req->lang)));
    json_object_set_new(data, "lang_es", json_boolean(req->lang == LANG_ES));
    json_object_set_new(data, "lang_en", json_boolean(req->lang == LANG_EN));
    if (kept && form_get(kept, "email"))
        json_object_set_new(data, "kept_email", json_string(form_str(kept, "email")));
    if (notice_key)
        json_object_set_new(data, "notice", bilingual_tr(notice_key));
    if (error_key)
        json_object_set_new(data, "error", bilingual_tr(error_key));
    res_page(req, res, status, "admin_people", data);
    res->no_store = true;
}

void admin_people(request *req, response *res)
{
    const char *done = req_query(req, "done");
    const char *key = NULL;
    if (done && strcmp(done, "added") == 0) key = "people.added";
    else if (done && strcmp(done, "role") == 0) key = "people.role_changed";
    else if (done && strcmp(done, "deactivate") == 0) key = "people.deactivated";
    else if (done && strcmp(done, "activate") == 0) key = "people.activated";
    else if (done && strcmp(done, "link") == 0) key = "people.link_sent";
    show_people(req, res, 200, key, NULL, NULL);
}

static void refused(request *req, response *res, enum staff_result r)
{
    switch (r) {
    case STAFF_EXISTS: show_people(req, res, 409, NULL, "people.exists", NULL); return;
    case STAFF_NOT_FOUND: show_people(req, res, 404, NULL, "people.not_found", NULL); return;
    case STAFF_LAST_ADMIN: show_people(req, res, 409, NULL, "people.last_admin", NULL); return;
    default: res_error(req, res, 503, "error.busy"); return;
    }
}

void admin_people_add(request *req, response *res)
{
    const struct form_values *f = &req->form;
    if (!f->ok) {
        const char *key = form_get(f, "email")->error ? "people.bad_email"
                          : form_get(f, "role")->error ? "people.bad_role" : "error.invalid";
        show_people(req, res, 422, NULL, key, f);
        return;
    }
    /* Accounts keep addresses in lower case; so does the message. */
    char *email = arena_strdup(req->a, form_str(f, "email"));
    const char *role = form_str(f, "role");
    const char *token = new_token(req->a);
    if (!token || !email) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    for (char *c = email; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    enum staff_result r = staff_add(req->user.email, email, role, sha256_hex(req->a, token),
                                    LINK_SECONDS, aula_message, req,
                                    link_message(req, email, role, form_str(f, "language"), token), NULL);
    if (r != STAFF_OK) {
        if (r == STAFF_EXISTS)
            show_people(req, res, 409, NULL, "people.exists", f);
        else
            refused(req, res, r);
        return;
    }
    res_redirect(req, res, "/admin/people?done=added");
}

void admin_people_role(request *req, response *res)
{
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_people(req, res, 422, NULL,
                    form_get(f, "role")->error ? "people.bad_role" : "error.invalid", NULL);
        return;
    }
    enum staff_result r = staff_set_role(req->user.email, form_int(f, "id"), form_str(f, "role"));
    if (r != STAFF_OK) {
        refused(req, res, r);
        return;
    }
    res_redirect(req, res, "/admin/people?done=role");
}

void admin_people_active(request *req, response *res)
{
    const struct form_values *f = &req->form;
    if (!f->ok) {
        show_people(req, res, 422, NULL, "error.invalid", NULL);
        return;
    }
    bool activate = strcmp(form_str(f, "action"), "activate") == 0;
    enum staff_result r = staff_set_active(req->user.email, form_int(f, "id"), activate);
    if (r != STAFF_OK) {
        refused(req, res, r);
        return;
    }
    res_redirect(req, res, activate ? "/admin/people?done=activate" : "/admin/people?done=deactivate");
}

void admin_people_link(request *req, response *res)
{
    const struct form_values *f = &req->form;
    json_t *who = f->ok ? staff_get(form_int(f, "id")) : NULL;
    if (!who || !json_is_true(json_object_get(who, "active"))) {
        show_people(req, res, 404, NULL, "people.not_found", NULL);
        return;
    }
    const char *email = json_string_value(json_object_get(who, "email"));
    const char *role = json_string_value(json_object_get(who, "role"));
    const char *token = new_token(req->a);
    if (!token) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    enum staff_result r = staff_password_link(req->user.email, form_int(f, "id"),
                                              sha256_hex(req->a, token), LINK_SECONDS,
                                              aula_message, req,
                                              link_message(req, email, role,
                                                           form_str(f, "language"), token));
    if (r != STAFF_OK) {
        refused(req, res, r);
        return;
    }
    res_redirect(req, res, "/admin/people?done=link");
}

/* ---- setting a password from the emailed link ---- */

/* Tokens are URL-safe base64 of 32 bytes; anything else is no token. */
static bool token_ok(const char *t)
{
    size_t n = t ? strlen(t) : 0;
    return n >= 16 && n < 100 && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                           "0123456789-_") == n;
}

static void show_password(request *req, response *res, int status, enum password_link state,
                          const char *error_key)
{
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("password.title"));
    if (state == PWLINK_OK) {
        json_object_set_new(data, "form", json_true());
        json_object_set_new(data, "token", json_string(req_param(req, "token")));
        json_object_set_new(data, "csrf", json_string(csrf_token(req, res)));
        json_object_set_new(data, "min", json_integer(PASSWORD_MIN));
    } else {
        json_object_set_new(data, "problem",
                            bilingual_tr(state == PWLINK_EXPIRED ? "password.link_expired"
                                         : state == PWLINK_USED  ? "password.link_used"
                                                                 : "password.link_unknown"));
    }
    if (error_key)
        json_object_set_new(data, "error", bilingual_tr(error_key));
    res_page(req, res, status, "password", data);
    res->no_store = true;
}

static int status_of(enum password_link s)
{
    return s == PWLINK_OK ? 200 : s == PWLINK_UNKNOWN ? 404 : 410;
}

void page_password_form(request *req, response *res)
{
    const char *token = req_param(req, "token");
    enum password_link s = token_ok(token) ? password_link_peek(sha256_hex(req->a, token))
                                           : PWLINK_UNKNOWN;
    show_password(req, res, status_of(s), s, NULL);
}

void page_password_set(request *req, response *res)
{
    const char *token = req_param(req, "token");
    enum password_link s = token_ok(token) ? password_link_peek(sha256_hex(req->a, token))
                                           : PWLINK_UNKNOWN;
    if (s != PWLINK_OK) {
        show_password(req, res, status_of(s), s, NULL);
        return;
    }
    const struct form_values *f = &req->form;
    const char *pw = form_str(f, "password");
    if (!f->ok || strlen(pw) < PASSWORD_MIN) {
        show_password(req, res, 422, s, "password.too_short");
        return;
    }
    if (strcmp(pw, form_str(f, "password2")) != 0) {
        show_password(req, res, 422, s, "password.mismatch");
        return;
    }
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    s = password_link_use(sha256_hex(req->a, token), hash);
    if (s != PWLINK_OK) {
        show_password(req, res, status_of(s), s, NULL);
        return;
    }
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("password.title"));
    json_object_set_new(data, "done", json_true());
    res_page(req, res, 200, "password", data);
    res->no_store = true;
}
