/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates: eligibility, issuing (signed facts, PDF, email), public
 * verification, revocation and reissue, Open Badges credentials. */
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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
#include "../view/template.h"
#include "pages.h"
#include "words.h"
#include "programme_view.h"

static const char *text_of(json_t *v, lang_t lang)
{
    int fb;
    const char *s = bilingual_text(v, lang, &fb);
    return s ? s : "";
}

static json_t *course_in(json_t *p, const char *slug)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        if (strcmp(json_string_value(json_object_get(c, "slug")), slug) == 0)
            return c;
    }
    return NULL;
}

static const char *cert_path(arena *a, const char *number)
{
    return arena_printf(a, "%s/certificates/%s.pdf", pages_data_dir(), number);
}

/* "SELA-2022-CYB": organisation, edition year, course. */
static const char *number_prefix(arena *a, json_t *p, const char *course)
{
    const char *org = json_string_value(json_object_get(json_object_get(p, "organisation"), "short_name"));
    const char *start = json_string_value(json_object_get(json_object_get(p, "edition"), "starts_on"));
    char c3[4] = "";
    size_t j = 0;
    for (const char *q = course; *q && j < 3; q++)
        if (*q != '-')
            c3[j++] = (char)(*q >= 'a' && *q <= 'z' ? *q - 32 : *q);
    c3[j] = '\0';
    return arena_printf(a, "%s-%.4s-%s", org ? org : "AULA", start ? start : "0000", c3);
}

static const char *timestamp_url;

void certificates_configure(const char *tsa_url)
{
    timestamp_url = tsa_url && *tsa_url ? tsa_url : NULL;
}

/* The document signer, made in the organisation's name when there is none
 * yet (or when Aula's own certificate names another organisation). */
static struct pdf_signer *document_signer(char *err, size_t errlen)
{
    char org[256], id[PDF_KEY_ID_LEN + 1];
    certificate_issuer_name(org, sizeof org);
    if (!pdf_keys_ensure(pages_data_dir(), org, err, errlen))
        return NULL;
    struct pdf_signer *s = pdf_keys_signer(pages_data_dir(), id, err, errlen);
    if (s)
        pdf_signer_set_timestamp_url(s, timestamp_url);
    return s;
}

/* The certificate's message to the person of app, in lang: the same for
 * the message queued and for the preview before issuing. */
static bool certificate_mail(request *req, json_t *app, lang_t lang, json_t *course,
                             const char *number, const char *verify_url, struct message *m)
{
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", full_name(req->a, lang, app),
        "course_title", text_of(json_object_get(course, "title"), lang), "number", number,
        "verify_url", verify_url, "me_url", arena_printf(req->a, "%s/me", server_origin()));
    return data && render_mail(req, "certificate", data, lang, m);
}

/* Issues the certificate of one enrolment; replaces names the certificate
 * this one supersedes (reissue).  On success number receives the new one. */
bool certificate_issue(request *req, json_t *p, const char *course_slug, int64_t enrolment_id,
                       int64_t application_id, const char *replaces, const char *batch,
                       char *number, size_t nlen, char *err, size_t errlen)
{
    json_t *e = json_object_get(p, "edition");
    json_t *course = course_in(p, course_slug);
    json_t *app = application_load(application_id);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    if (!course || !app) {
        snprintf(err, errlen, "unknown course or application");
        return false;
    }
    if (!keys_load(pages_data_dir(), pk, sk)) {
        snprintf(err, errlen, "the signing key cannot be read (run aula init)");
        return false;
    }
    if (!certificate_next_number(number_prefix(req->a, p, course_slug), number, nlen)) {
        snprintf(err, errlen, "the database is busy");
        return false;
    }
    /* The sequential number is followed by an unguessable part, so that
     * /verify/ of numbers in a row lists nobody. */
    char code[CERT_CODE_LEN + 1];
    cert_code_random(code);
    size_t used = strlen(number);
    if (used + 1 + CERT_CODE_LEN >= nlen) {
        snprintf(err, errlen, "certificate number too long");
        return false;
    }
    snprintf(number + used, nlen - used, "-%s", code);
    char today[11];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *dates = json_object_get(course, "dates_label");
    /* Direction controls would print the name in another order than the
     * one it is written in; forms refuse them, older names lose them here. */
    char *name = arena_printf(req->a, "%s %s", json_string_value(json_object_get(app, "given_names")),
                              json_string_value(json_object_get(app, "family_names")));
    if (!name) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    struct cert_facts f = {
        .number = number,
        .name = text_drop_bidi(name),
        .form_of_address = address_label(LANG_ES,
            json_string_value(json_object_get(app, "form_of_address")),
            json_string_value(json_object_get(app, "gender"))),
        .course_es = text_of(json_object_get(course, "title"), LANG_ES),
        .course_en = text_of(json_object_get(course, "title"), LANG_EN),
        .edition_es = text_of(json_object_get(e, "title"), LANG_ES),
        .edition_en = text_of(json_object_get(e, "title"), LANG_EN),
        .hours = (int)json_integer_value(json_object_get(course, "hours")),
        .dates_es = text_of(dates, LANG_ES), .dates_en = text_of(dates, LANG_EN),
        .issued_on = today,
        .verify_url = arena_printf(req->a, "%s/verify/%s", server_origin(), number),
    };
    char *canonical = cert_facts_canonical(&f);
    char sig[CERT_SIG_B64_SIZE], kid[CERT_KEY_ID_SIZE];
    bool ok = canonical && cert_sign_canonical(canonical, sk, sig, sizeof sig);
    sodium_memzero(sk, sizeof sk);
    cert_key_id(pk, kid);
    struct cert_document doc = {.facts = f, .facts_json = canonical, .signature = sig, .key_id = kid};
    doc.logo = settings_logo(req->a, &doc.logo_len);
    /* Organiser and partners from the programme's institutions. */
    strbuf pes, pen;
    sb_init(&pes, req->a);
    sb_init(&pen, req->a);
    size_t i;
    json_t *inst;
    json_array_foreach(json_object_get(e, "institutions"), i, inst) {
        const char *role = json_string_value(json_object_get(inst, "role"));
        const char *short_name = json_string_value(json_object_get(inst, "short_name"));
        const char *es = text_of(json_object_get(inst, "name"), LANG_ES);
        const char *en = text_of(json_object_get(inst, "name"), LANG_EN);
        if (strcmp(role, "organiser") == 0 && !doc.organiser_es) {
            doc.organiser_es = short_name ? arena_printf(req->a, "%s (%s)", es, short_name) : es;
            doc.organiser_en = short_name ? arena_printf(req->a, "%s (%s)", en, short_name) : en;
        } else if (strcmp(role, "organiser") != 0) {
            sb_printf(&pes, "%s%s", pes.len ? " · " : "", es);
            sb_printf(&pen, "%s%s", pen.len ? " · " : "", en);
        }
    }
    if (!doc.organiser_es) {
        doc.organiser_es = text_of(json_object_get(json_object_get(p, "organisation"), "name"), LANG_ES);
        doc.organiser_en = text_of(json_object_get(json_object_get(p, "organisation"), "name"), LANG_EN);
    }
    doc.partners_es = sb_str(&pes);
    doc.partners_en = sb_str(&pen);
    json_t *signers = signatories_of(json_string_value(json_object_get(e, "slug")));
    json_t *s;
    json_array_foreach(signers, i, s) {
        if (doc.nsignatories == CERT_MAX_SIGNATORIES)
            break;
        doc.signatories[doc.nsignatories].name = json_string_value(json_object_get(s, "name"));
        doc.signatories[doc.nsignatories].title_es = text_of(json_object_get(s, "title"), LANG_ES);
        doc.signatories[doc.nsignatories].title_en = text_of(json_object_get(s, "title"), LANG_EN);
        doc.nsignatories++;
    }
    mkdir(arena_printf(req->a, "%s/certificates", pages_data_dir()), 0700);
    const char *path = cert_path(req->a, number);
    /* The whole file is signed as a PDF document too, and its hash kept, so
     * that the issued file itself can be recognised later. */
    char pdf_sha256[65];
    struct pdf_signer *signer = ok ? document_signer(err, errlen) : NULL;
    if (ok && (!signer || !cert_pdf_write_signed(path, &doc, signer, (long long)time(NULL),
                                                 pdf_sha256, err, errlen)))
        ok = false;
    else if (!ok)
        snprintf(err, errlen, "the facts could not be signed");
    pdf_signer_free(signer);
    if (ok && !certificate_record(number, enrolment_id, canonical, sig, kid, pdf_sha256,
                                  req->user.email, replaces)) {
        unlink(path);
        snprintf(err, errlen, "the certificate could not be recorded (the database is busy)");
        ok = false;
    }
    free(canonical);
    if (!ok)
        return false;
    /* The certificate goes by email too, PDF attached. */
    lang_t lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                      ? LANG_EN : LANG_ES;
    struct message m = {0};
    if (certificate_mail(req, app, lang, course, number, f.verify_url, &m)) {
        m.to_addr = json_string_value(json_object_get(app, "email"));
        m.reply_to = json_string_value(json_object_get(app, "contact_email"));
        m.attachment_path = path;
        m.attachment_name = arena_printf(req->a, "%s.pdf", number);
        m.attachment_type = "application/pdf";
        outbox_queue("certificate", application_id, &m, batch);
    }
    return true;
}

/* Whether an enrolment may receive a certificate: the rule is met, or an
 * administrator granted it. */
static bool eligible(json_t *row, json_t **grant)
{
    *grant = eligibility_grant_of(json_integer_value(json_object_get(row, "enrolment_id")));
    return json_is_true(json_object_get(row, "met")) || *grant;
}

/* ---- the console ---- */

static const char *chosen(request *req, json_t *p)
{
    const char *want = req_query(req, "course");
    if (want && course_in(p, want))
        return want;
    return json_string_value(json_object_get(json_array_get(
        json_object_get(json_object_get(p, "edition"), "courses"), 0), "slug"));
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
        json_object_set_new(r, "eligible", json_boolean(eligible(r, &grant)));
        if (grant)
            json_object_set_new(r, "grant", grant);
        json_t *cert = certificate_of_enrolment(json_integer_value(json_object_get(r, "enrolment_id")));
        if (cert)
            json_object_set_new(r, "certificate", cert);
    }
    json_t *courses = json_array();
    json_t *c;
    json_array_foreach(json_object_get(json_object_get(p, "edition"), "courses"), i, c) {
        json_array_append_new(courses, json_pack("{s:O, s:O, s:b}", "slug", json_object_get(c, "slug"),
            "title", json_object_get(c, "title"),
            "current", strcmp(json_string_value(json_object_get(c, "slug")), course) == 0));
    }
    json_object_set_new(grid, "courses", courses);
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
        if (!eligible(r, &grant)) {
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
    json_object_set(page, "about", json_object_get(course_in(p, course), "title"));
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
    const char *number = arena_printf(req->a, "%s-%s", number_prefix(req->a, p, course), OUTBOX_MASK);
    for (int l = 0; l < 2 && first; l++) {
        struct message m = {0};
        if (certificate_mail(req, sample[l] ? sample[l] : first, l ? LANG_EN : LANG_ES,
                             course_in(p, course), number,
                             arena_printf(req->a, "%s/verify/%s", server_origin(), number), &m))
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
    if (!p || !course || !course_in(p, course)) {
        res_error(req, res, 404, "error.no_course");
        return;
    }
    const char *en = req_query(req, "enrolment");
    certificates_preview(req, res, 200, NULL, p, course, en ? strtoll(en, NULL, 10) : 0);
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
    if (!f->ok || !p || !course_in(p, form_str(f, "course"))) {
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
    size_t i;
    json_t *r;
    if (strcmp(form_str(f, "list"), confirm_fingerprint(req, rows, "enrolment_id")) != 0) {
        bulk_done(token, back);
        certificates_preview(req, res, 409, "bulk.stale_list", p, course, only);
        return;
    }
    unsigned char raw[9];
    char batch[20];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(batch, sizeof batch, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    int issued = 0;
    strbuf errors;
    sb_init(&errors, req->a);
    json_array_foreach(rows, i, r) {
        char number[64], err[512];
        if (certificate_issue(req, p, course, json_integer_value(json_object_get(r, "enrolment_id")),
                              json_integer_value(json_object_get(r, "application_id")),
                              NULL, batch, number, sizeof number, err, sizeof err))
            issued++;
        else
            sb_printf(&errors, "%s: %s. ", json_string_value(json_object_get(r, "name")), err);
    }
    audit(req->user.email, "certificates.issue", arena_printf(req->a, "%s/%s", slug, course),
          arena_printf(req->a, "%d issued", issued));
    const char *done = issued ? arena_printf(req->a, "/admin/batches/%s", batch)
                              : arena_printf(req->a, "%s&done=1", back);
    bulk_done(token, done);
    if (errors.len) {
        show_certificates(req, res, 422, course, sb_str(&errors));
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
};
const struct form_spec certificate_revoke_form = FORM_SPEC(revoke_fields);

/* Revokes a certificate, or reissues it (for instance after a corrected
 * name): the old number then stays verifiable as superseded. */
void admin_certificates_revoke(request *req, response *res)
{
    const struct form_values *f = &req->form;
    json_t *cert = f->ok ? certificate_by_number(form_str(f, "number")) : NULL;
    const char *slug = req_param(req, "slug");
    if (!cert || strcmp(json_string_value(json_object_get(cert, "edition")), slug) != 0) {
        res_error(req, res, 404, "verify.not_found");
        return;
    }
    const char *course = json_string_value(json_object_get(cert, "course"));
    if (strcmp(json_string_value(json_object_get(cert, "status")), "valid") != 0) {
        show_certificates(req, res, 409, course, tr(req->lang, "certificates.not_valid"));
        return;
    }
    if (strcmp(form_str(f, "action"), "revoke") == 0) {
        if (!*form_str(f, "reason")) {
            show_certificates(req, res, 422, course, tr(req->lang, "certificates.reason_needed"));
            return;
        }
        if (!certificate_revoke(form_str(f, "number"), form_str(f, "reason"), req->user.email)) {
            res_error(req, res, 503, "error.busy");
            return;
        }
    } else {
        json_t *p = programme_view(slug, 1);
        char number[64], err[512];
        json_t *participants = course_participants(slug, course);
        int64_t application = 0;
        size_t i;
        json_t *pp;
        json_array_foreach(participants, i, pp) {
            if (json_integer_value(json_object_get(pp, "enrolment_id")) ==
                json_integer_value(json_object_get(cert, "enrolment_id")))
                application = json_integer_value(json_object_get(pp, "application_id"));
        }
        if (!application || !certificate_issue(req, p, course,
                json_integer_value(json_object_get(cert, "enrolment_id")), application,
                form_str(f, "number"), NULL, number, sizeof number, err, sizeof err)) {
            show_certificates(req, res, 422, course, application ? err : tr(req->lang, "certificates.not_valid"));
            return;
        }
    }
    res_redirect(req, res, arena_printf(req->a, "/admin/events/%s/certificates?course=%s&done=1", slug, course));
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
    bool signature_ok = keys_load(pages_data_dir(), pk, NULL) &&
                        cert_verify(json_string_value(json_object_get(cert, "facts")),
                                    json_string_value(json_object_get(cert, "signature")), pk);
    json_error_t jerr;
    json_t *facts = json_loads(json_string_value(json_object_get(cert, "facts")), 0, &jerr);
    const char *status = json_string_value(json_object_get(cert, "status"));
    json_object_set_new(data, "page_title", bilingual_tr("verify.title"));
    json_object_set_new(data, "status", json_string(signature_ok ? status : "invalid"));
    json_object_set_new(data, "facts", facts ? facts : json_null());
    json_object_set_new(data, "signature_valid", json_boolean(signature_ok));
    json_object_set_new(data, "is_valid", json_boolean(signature_ok && strcmp(status, "valid") == 0));
    json_object_set_new(data, "is_revoked", json_boolean(strcmp(status, "revoked") == 0));
    json_object_set_new(data, "is_superseded", json_boolean(strcmp(status, "superseded") == 0));
    json_object_set(data, "revoked_at", json_object_get(cert, "revoked_at"));
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
    if (!keys_load(pages_data_dir(), pk, NULL)) {
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
                                      "revoked", revoked, "issuer", server_origin()));
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
        if (!res_file(res, cert_path(req->a, number), "application/pdf", false)) {
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
    if (!facts || !keys_load(pages_data_dir(), pk, sk)) {
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
    char *token = credential_jwt(&f, server_origin(), issuer,
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
            "pdf_url", arena_printf(req->a, "%s/certificates/%s.pdf", server_origin(), number),
            "verify_url", arena_printf(req->a, "%s/verify/%s", server_origin(), number)));
    }
    res_json(req, res, 200, out);
    res->no_store = true;
}
