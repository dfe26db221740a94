/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates in the console (issuing, revoking and reissuing, through
 * app/certificates.c), public verification, Open Badges credentials. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../app/courses.h"
#include "../base/text.h"
#include "../docs/certificate_pdf.h"
#include "../domain/certificate.h"
#include "../domain/credential_jwt.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "../store/programme_store.h"
#include "../store/outbox_store.h"
#include "../app/certificates.h"
#include "../app/messages.h"
#include "../view/template.h"
#include "page_ctx.h"
#include "../http/download.h"
#include "../domain/address.h"
#include "../app/app.h"
#include "attendance_view.h"
#include "bulk_confirm.h"
#include "certificates.h"
#include "render.h"
#include "words.h"
#include "programme_view.h"

static const char *text_of(json_t *v, lang_t lang)
{
    int fb;
    const char *s = bilingual_text(v, lang, &fb);
    return s ? s : "";
}

/* ---- the console ---- */

static const char *chosen(request *req, json_t *p)
{
    const char *want = req_query(req, "course");
    if (want && programme_course(p, want))
        return want;
    return programme_first_course(p);
}

/* The status of each certificate in words; the stored one in status_code. */
static json_t *certificate_words(request *req, json_t *list)
{
    size_t i;
    json_t *c;
    json_array_foreach(list, i, c) {
        json_t *st = json_object_get(c, "status");
        if (!json_is_string(st))
            continue;
        json_object_set(c, "status_code", st);
        json_object_set_new(c, "status",
                            word_of(req, "certificates.status", json_string_value(st)));
    }
    return list;
}

static void show_certificates(request *req, response *res, int status, const char *course,
                              const char *error)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_view(slug, 1);
    if (!p) {
        res_error(req, res, 404, "error.no_edition");
        return;
    }
    if (!course)
        course = chosen(req, p);
    json_t *grid = attendance_grid(req, slug, course);
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(grid, "rows"), i, r) {
        json_t *grant;
        json_object_set_new(r, "eligible", json_boolean(app_certificate_eligible(r, &grant)));
        if (grant)
            json_object_set_new(r, "grant", grant);
        json_t *cert = certificate_of_enrolment(json_integer_value(json_object_get(r, "enrolment_id")));
        if (cert)
            json_object_set_new(r, "certificate", cert);
    }
    json_object_set_new(grid, "courses", programme_course_choices(p, course));
    json_t *all = certificate_words(req, certificates_of_edition(slug));
    json_object_set_new(grid, "certificates", all);
    json_object_set_new(grid, "csrf", json_string(csrf_token(req, res)));
    json_object_set_new(grid, "page_title", bilingual_tr("certificates.title"));
    /* Granting and revoking are an administrator's: a coordinator sees no
     * control that would refuse them. */
    json_object_set_new(grid, "is_admin", json_boolean(req->user.role >= ROLE_ADMIN));
    if (error)
        json_object_set_new(grid, "error", json_string(error));
    if (req_query(req, "done"))
        json_object_set_new(grid, "notice", bilingual_tr("admin.saved"));
    res_page(req, res, status, "admin_certificates", grid);
    res->no_store = true;
}

void admin_certificates(request *req, response *res)
{
    show_certificates(req, res, 200, NULL, NULL);
}

static const struct field_spec issue_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .min = 1, .max = INT64_MAX},
    {.name = "token", .v = V_TOKEN, .max_len = 64},
    {.name = "list", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec certificate_issue_form = FORM_SPEC(issue_fields);

/* The rows of the grid to issue now: eligible, without a certificate,
 * only the one named when only is set.  An ineligible one named on purpose
 * is refused with the reason (answered here; NULL returned). */
static json_t *to_issue(request *req, response *res, json_t *grid, const char *course, int64_t only)
{
    json_t *out = json_array();
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(grid, "rows"), i, r) {
        int64_t en = json_integer_value(json_object_get(r, "enrolment_id"));
        if ((only && en != only) || certificate_of_enrolment(en))
            continue;
        json_t *grant;
        if (!app_certificate_eligible(r, &grant)) {
            if (only) {
                show_certificates(req, res, 409, course, arena_printf(req->a,
                    "%s (%lld%% / %lld%%)", tr(req->lang, "certificates.not_eligible"),
                    (long long)json_integer_value(json_object_get(r, "percent")),
                    (long long)json_integer_value(json_object_get(grid, "rule_percent"))));
                return NULL;
            }
            continue;
        }
        json_array_append(out, r);
    }
    return out;
}

/* Who would receive a certificate, and its message in each language, with
 * the confirmation.  The number is made when issuing: masked here. */
static void certificates_preview(request *req, response *res, int status, const char *notice_key,
                                 json_t *p, const char *course, int64_t only)
{
    const char *slug = req_param(req, "slug");
    json_t *grid = attendance_grid(req, slug, course);
    json_t *rows = to_issue(req, res, grid, course, only);
    if (!rows)
        return;
    const char *back = arena_printf(req->a, "/admin/events/%s/certificates?course=%s", slug, course);
    json_t *page = confirm_page(req, res, "bulk.certify_title",
                                arena_printf(req->a, "/admin/events/%s/certificates/issue", slug),
                                back, "bulk.certify_confirm");
    json_object_set(page, "about", json_object_get(programme_course(p, course), "title"));
    json_object_set_new(page, "about_label", json_string(tr(req->lang, "bulk.course")));
    if (notice_key)
        json_object_set_new(page, "notice", bilingual_tr(notice_key));
    confirm_hidden(page, "course", course);
    if (only)
        confirm_hidden(page, "enrolment", arena_printf(req->a, "%lld", (long long)only));
    json_t *sample[2] = {NULL, NULL}, *first = NULL;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        json_t *app = application_load(json_integer_value(json_object_get(r, "application_id")));
        if (!app)
            continue;
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, json_string_value(json_object_get(r, "name")),
                          json_string_value(json_object_get(app, "email")), lang);
        int l = lang && strcmp(lang, "en") == 0;
        if (!sample[l])
            sample[l] = app;
        if (!first)
            first = app;
    }
    confirm_hidden(page, "list", confirm_fingerprint(req, rows, "enrolment_id"));
    struct app_ctx c = page_ctx(req);
    for (int l = 0; l < 2 && first; l++) {
        struct message m = {0};
        if (app_certificate_preview(&c, p, course, sample[l] ? sample[l] : first,
                                    l ? LANG_EN : LANG_ES, &m))
            confirm_preview(req, page, l ? LANG_EN : LANG_ES, &m);
    }
    confirm_show(req, res, status, page, "bulk.certify_nothing");
}

/* GET .../certificates/issue?course=C[&enrolment=N]: the preview. */
void admin_certificates_preview(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *p = programme_view(slug, 1);
    const char *course = req_query(req, "course");
    if (!p || !course || !programme_course(p, course)) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    const char *en = req_query(req, "enrolment");
    certificates_preview(req, res, 200, NULL, p, course, en ? strtoll(en, NULL, 10) : 0);
}

/* What could not be issued, for the console: "name: why. ". */
struct issue_errors {
    request *req;
    strbuf sb;
};

static void issue_error(void *ud, json_t *row, const struct app_err *err)
{
    struct issue_errors *e = ud;
    if (err)
        sb_printf(&e->sb, "%s: %s%s%s. ", json_string_value(json_object_get(row, "name")),
                  tr(e->req->lang, err->key), *err->detail ? ": " : "", err->detail);
}

/* POST .../certificates/issue: with the confirmation's token, the
 * certificates the preview listed (every eligible participant of the
 * course without a valid one, or the one named), as one batch of emails
 * whose delivery the progress page follows.  A list that changed since
 * the preview issues nothing and says so; the same confirmation twice
 * issues once. */
void admin_certificates_issue(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    json_t *p = programme_view(slug, 1);
    if (!f->ok || !p || !programme_course(p, form_str(f, "course"))) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    const char *course = form_str(f, "course");
    int64_t only = form_int(f, "enrolment");
    const char *token = form_str(f, "token");
    if (!*token) {
        certificates_preview(req, res, 200, NULL, p, course, only);
        return;
    }
    const char *back = arena_printf(req->a, "/admin/events/%s/certificates?course=%s", slug, course);
    if (!bulk_once(req, res, "certificates", token, back))
        return;
    json_t *grid = attendance_grid(req, slug, course);
    json_t *rows = to_issue(req, res, grid, course, only);
    if (!rows) {
        bulk_done(token, back);
        return;
    }
    if (strcmp(form_str(f, "list"), confirm_fingerprint(req, rows, "enrolment_id")) != 0) {
        bulk_done(token, back);
        certificates_preview(req, res, 409, "bulk.stale_list", p, course, only);
        return;
    }
    char batch[20];
    app_batch_id(batch);
    struct issue_errors errors = {.req = req};
    sb_init(&errors.sb, req->a);
    struct app_ctx c = page_ctx(req);
    int issued = app_certificates_issue(&c, p, course, rows, batch, issue_error, &errors);
    const char *done = issued ? arena_printf(req->a, "/admin/batches/%s", batch)
                              : arena_printf(req->a, "%s&done=1", back);
    bulk_done(token, done);
    if (errors.sb.len) {
        show_certificates(req, res, 422, course, sb_str(&errors.sb));
        return;
    }
    res_redirect(req, res, done);
}

static const struct field_spec grant_fields[] = {
    {.name = "course", .v = V_SLUG, .required = true},
    {.name = "enrolment", .v = V_INT, .required = true, .min = 1, .max = INT64_MAX},
    {.name = "reason", .v = V_LINE, .required = true, .max_len = 500},
};
const struct form_spec certificate_grant_form = FORM_SPEC(grant_fields);

void admin_certificates_grant(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug");
    char edition[128], course[128];
    if (!f->ok || !enrolment_course(form_int(f, "enrolment"), edition, sizeof edition, course,
                                    sizeof course) || strcmp(edition, slug) != 0) {
        show_certificates(req, res, 422, NULL, tr(req->lang, "certificates.grant_invalid"));
        return;
    }
    if (!eligibility_grant(form_int(f, "enrolment"), form_str(f, "reason"), req->user.email)) {
        res_error(req, res, 503, "error.busy");
        return;
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/certificates?course=%s&done=1", slug, course));
}

static const struct field_spec revoke_fields[] = {
    {.name = "number", .v = V_LINE, .required = true, .max_len = 64},
    {.name = "reason", .v = V_LINE, .max_len = 500},
    {.name = "action", .v = V_CHOICE, .required = true,
     .choices = (const char *const[]){"revoke", "reissue", NULL}},
    {.name = "token", .v = V_TOKEN, .max_len = 64},
};
const struct form_spec certificate_revoke_form = FORM_SPEC(revoke_fields);

/* Revokes a certificate, or reissues it (for instance after a corrected
 * name): the old number then stays verifiable as superseded.  A reissue
 * emails the person: it first shows that message (the new number masked)
 * with a confirmation, whose token makes a second submission do nothing. */
void admin_certificates_revoke(request *req, response *res)
{
    const struct form_values *f = &req->form;
    const char *slug = req_param(req, "slug"), *number = form_str(f, "number");
    const char *token = form_str(f, "token");
    /* The same confirmation again (the certificate is superseded by then):
     * where the first one led, nothing done twice. */
    if (f->ok && *token && strcmp(form_str(f, "action"), "reissue") == 0 &&
        !bulk_once(req, res, "certificate.reissue", token,
                   arena_printf(req->a, "/admin/events/%s/certificates", slug)))
        return;
    struct app_err err;
    json_t *cert = f->ok ? app_certificate_valid(slug, number, &err) : NULL;
    if (!cert) {
        if (*token)
            bulk_done(token, "");
        if (f->ok && err.kind == APP_CONFLICT)
            show_certificates(req, res, 409, json_string_value(json_object_get(
                                  certificate_by_number(number), "course")),
                              tr(req->lang, err.key));
        else
            res_error(req, res, 404, "verify.not_found");
        return;
    }
    const char *course = json_string_value(json_object_get(cert, "course"));
    const char *back = arena_printf(req->a, "/admin/events/%s/certificates?course=%s", slug, course);
    struct app_ctx c = page_ctx(req);
    if (strcmp(form_str(f, "action"), "revoke") == 0) {
        if (!app_certificate_revoke(&c, slug, number, form_str(f, "reason"), &err)) {
            if (err.kind == APP_BUSY)
                res_error(req, res, 503, err.key);
            else
                show_certificates(req, res, 422, course, tr(req->lang, err.key));
            return;
        }
        res_redirect(req, res, arena_printf(req->a, "%s&done=1", back));
        return;
    }
    if (!*token) {
        json_t *app = app_certificate_holder(cert);
        if (!app) {
            show_certificates(req, res, 422, course, tr(req->lang, "certificates.not_valid"));
            return;
        }
        json_t *page = confirm_page(req, res, "certificates.reissue_title",
                                    arena_printf(req->a, "/admin/events/%s/certificates/revoke", slug),
                                    back, "certificates.reissue_confirm");
        json_object_set(page, "about", json_object_get(
            programme_course(programme_view(slug, 1), course), "title"));
        json_object_set_new(page, "about_label", json_string(tr(req->lang, "bulk.course")));
        confirm_hidden(page, "number", number);
        confirm_hidden(page, "action", "reissue");
        const char *lang = json_string_value(json_object_get(app, "language"));
        confirm_recipient(page, full_name(req->a, req->lang, app),
                          json_string_value(json_object_get(app, "email")), lang);
        struct message m = {0};
        lang_t ml = lang && strcmp(lang, "en") == 0 ? LANG_EN : LANG_ES;
        if (app_certificate_preview(&c, programme_view(slug, 1), course, app, ml, &m))
            confirm_preview(req, page, ml, &m);
        confirm_show(req, res, 200, page, "certificates.not_valid");
        return;
    }
    char renewed[64];
    bool ok = app_certificate_reissue(&c, slug, number, renewed, sizeof renewed, &err);
    const char *done = arena_printf(req->a, "%s&done=1", back);
    bulk_done(token, ok ? done : back);
    if (!ok) {
        show_certificates(req, res, 422, course,
                          *err.detail ? arena_printf(req->a, "%s: %s", tr(req->lang, err.key),
                                                     err.detail)
                                      : tr(req->lang, err.key));
        return;
    }
    res_redirect(req, res, done);
}

/* ---- verification ---- */

/* GET /verify[?number=CODE]: a box to type a certificate's code; a code
 * typed goes to its page, read as a person types it (cert_code_normalise). */
void page_verify_lookup(request *req, response *res)
{
    const char *typed = req_query(req, "number");
    json_t *data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("verify.title"));
    json_object_set_new(data, "limit_mb", json_integer(SMALL_UPLOAD_MAX >> 20));
    if (typed && *typed) {
        char code[64];
        if (strlen(typed) < sizeof code && cert_code_normalise(typed, code, sizeof code) && *code) {
            res_redirect(req, res, arena_printf(req->a, "/verify/%s", code));
            return;
        }
        json_object_set_new(data, "lookup_error", bilingual_tr("verify.not_found"));
        json_object_set_new(data, "typed", json_string(typed));
    }
    res_page(req, res, typed && *typed ? 404 : 200, "verify_lookup", data);
}

/* GET /verify/{number}: anyone can check a certificate, in both languages
 * and as JSON; the signature is checked against the published key. */
void page_verify(request *req, response *res)
{
    const char *number = req_param(req, "number");
    json_t *cert = strlen(number) < 64 ? certificate_by_number(number) : NULL;
    /* A code typed by hand: lower case, O for 0, I or L for 1. */
    char typed[64];
    if (!cert && cert_code_normalise(number, typed, sizeof typed) && strcmp(typed, number) != 0)
        cert = certificate_by_number(typed);
    json_t *data = json_object();
    json_object_set_new(data, "number", json_string(number));
    if (!cert) {
        json_object_set_new(data, "page_title", bilingual_tr("verify.title"));
        json_object_set_new(data, "status", json_string("not_found"));
        json_object_set_new(data, "message", bilingual_tr("verify.not_found"));
        res_page(req, res, 404, "verify", data);
        return;
    }
    json_object_set(data, "number", json_object_get(cert, "number"));
    unsigned char pk[32];
    bool signature_ok = keys_load(app_config()->data_dir, pk, NULL) &&
                        cert_verify(json_string_value(json_object_get(cert, "facts")),
                                    json_string_value(json_object_get(cert, "signature")), pk);
    json_error_t jerr;
    json_t *facts = json_loads(json_string_value(json_object_get(cert, "facts")), 0, &jerr);
    const char *status = json_string_value(json_object_get(cert, "status"));
    json_object_set_new(data, "page_title", bilingual_tr("verify.title"));
    json_object_set_new(data, "status", json_string(signature_ok ? status : "invalid"));
    /* Beside the facts, never in them: they stay exactly the signed ones. */
    json_object_set_new(data, "issued_on_label",
                        when_of(json_string_value(json_object_get(facts, "issued_on"))));
    json_object_set_new(data, "facts", facts ? facts : json_null());
    json_object_set_new(data, "signature_valid", json_boolean(signature_ok));
    json_object_set_new(data, "is_valid", json_boolean(signature_ok && strcmp(status, "valid") == 0));
    json_object_set_new(data, "is_revoked", json_boolean(strcmp(status, "revoked") == 0));
    json_object_set_new(data, "is_superseded", json_boolean(strcmp(status, "superseded") == 0));
    json_object_set(data, "revoked_at", json_object_get(cert, "revoked_at"));
    json_object_set_new(data, "revoked_label",
                        when_of(json_string_value(json_object_get(cert, "revoked_at"))));
    json_object_set(data, "revoke_reason", json_object_get(cert, "revoke_reason"));
    json_object_set(data, "superseded_by", json_object_get(cert, "superseded_by"));
    json_object_set(data, "issued_at", json_object_get(cert, "issued_at"));
    json_object_set(data, "key_id", json_object_get(cert, "key_id"));
    /* Who issued it: the organisation of the certificate's edition. */
    json_t *p = programme_load(json_string_value(json_object_get(cert, "edition")), false);
    json_t *org = p ? json_object_get(p, "organisation") : NULL;
    if (org && json_object_get(org, "name")) {
        json_object_set(data, "organisation", org);
        json_object_set(data, "issuer", json_object_get(org, "name"));
    }
    res_page(req, res, 200, "verify", data);
}

/* GET /.well-known/aula-keys.json: the public key(s) as JWKs. */
void page_keys(request *req, response *res)
{
    unsigned char pk[32];
    if (!keys_load(app_config()->data_dir, pk, NULL)) {
        res_error(req, res, 500, "error.not_found");
        return;
    }
    char kid[CERT_KEY_ID_SIZE];
    cert_key_id(pk, kid);
    char *jwk = public_jwk(pk, kid);
    json_error_t e;
    json_t *k = jwk ? json_loads(jwk, 0, &e) : NULL;
    free(jwk);
    json_t *revoked = certificates_revoked();
    res_json(req, res, 200, json_pack("{s:[o], s:o, s:s}", "keys", k ? k : json_null(),
                                      "revoked", revoked, "issuer", app_origin()));
    res_header(res, "Access-Control-Allow-Origin", "*");
}

/* The certificate file of the signed-in person (or any, for staff). */
static json_t *own_certificate(request *req, response *res, const char *file, const char *ext)
{
    size_t n = strlen(file), el = strlen(ext);
    if (n <= el || strcmp(file + n - el, ext) != 0 || n > 80) {
        res_error(req, res, 404, "error.not_found");
        return NULL;
    }
    char *number = arena_strndup(req->a, file, n - el);
    json_t *cert = certificate_by_number(number);
    if (!cert) {
        res_error(req, res, 404, "verify.not_found");
        return NULL;
    }
    if (req->user.role < ROLE_COORDINATOR &&
        json_integer_value(json_object_get(cert, "account_id")) != req->user.id) {
        res_error(req, res, 403, "error.forbidden");
        return NULL;
    }
    return cert;
}

/* GET /certificates/{file}: NUMBER.pdf or NUMBER.jwt (Open Badges 3.0). */
void page_certificate_file(request *req, response *res)
{
    const char *file = req_param(req, "file");
    bool jwt = strlen(file) > 4 && strcmp(file + strlen(file) - 4, ".jwt") == 0;
    json_t *cert = own_certificate(req, res, file, jwt ? ".jwt" : ".pdf");
    if (!cert)
        return;
    const char *number = json_string_value(json_object_get(cert, "number"));
    if (!jwt) {
        struct app_ctx c = page_ctx(req);
        if (!res_file(res, app_certificate_path(&c, number), "application/pdf", false)) {
            res_error(req, res, 404, "verify.not_found");
            return;
        }
        res->no_store = true;
        res_header(res, "Content-Disposition",
                   content_disposition(req->a, "inline", arena_printf(req->a, "%s.pdf", number)));
        return;
    }
    /* The credential is made from the stored facts, signed now. */
    json_error_t e;
    json_t *facts = json_loads(json_string_value(json_object_get(cert, "facts")), 0, &e);
    unsigned char pk[32], sk[64];
    if (!facts || !keys_load(app_config()->data_dir, pk, sk)) {
        res_error(req, res, 500, "error.not_found");
        return;
    }
    struct cert_facts f = {
        .number = json_string_value(json_object_get(facts, "number")),
        .name = json_string_value(json_object_get(facts, "name")),
        .form_of_address = json_string_value(json_object_get(facts, "form_of_address")),
        .course_es = json_string_value(json_object_get(facts, "course_es")),
        .course_en = json_string_value(json_object_get(facts, "course_en")),
        .edition_es = json_string_value(json_object_get(facts, "edition_es")),
        .edition_en = json_string_value(json_object_get(facts, "edition_en")),
        .hours = (int)json_integer_value(json_object_get(facts, "hours")),
        .dates_es = json_string_value(json_object_get(facts, "dates_es")),
        .dates_en = json_string_value(json_object_get(facts, "dates_en")),
        .issued_on = json_string_value(json_object_get(facts, "issued_on")),
        .verify_url = json_string_value(json_object_get(facts, "verify_url")),
    };
    char kid[CERT_KEY_ID_SIZE];
    cert_key_id(pk, kid);
    json_t *p = programme_load(json_string_value(json_object_get(cert, "edition")), false);
    const char *issuer = text_of(json_object_get(json_object_get(p, "organisation"), "name"), LANG_EN);
    char *token = credential_jwt(&f, app_origin(), issuer,
                                 arena_printf(req->a, "mailto:%s",
                                              json_string_value(json_object_get(cert, "email"))),
                                 kid, sk);
    sodium_memzero(sk, sizeof sk);
    if (!token) {
        res_error(req, res, 500, "error.not_found");
        return;
    }
    char *body = arena_strdup(req->a, token);
    free(token);
    res_text(res, 200, "application/jwt", body, strlen(body));
    res_header(res, "Content-Disposition",
               content_disposition(req->a, "attachment", arena_printf(req->a, "%s.jwt", number)));
    res->no_store = true;
}

/* GET /api/v1/events/{slug}/certificates */
void api_certificates(request *req, response *res)
{
    json_t *all = certificates_of_edition(req_param(req, "slug"));
    json_t *out = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(all, i, c) {
        const char *number = json_string_value(json_object_get(c, "number"));
        json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "number", number, "email", json_string_value(json_object_get(c, "email")),
            "given_names", json_string_value(json_object_get(c, "given_names")),
            "family_names", json_string_value(json_object_get(c, "family_names")),
            "course", json_string_value(json_object_get(c, "course")),
            "status", json_string_value(json_object_get(c, "status")),
            "pdf_url", arena_printf(req->a, "%s/certificates/%s.pdf", app_origin(), number),
            "verify_url", arena_printf(req->a, "%s/verify/%s", app_origin(), number)));
    }
    res_json(req, res, 200, out);
    res->no_store = true;
}
