/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Issuing, reissuing and revoking certificates (see certificates.h). */
#include "certificates.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../base/strbuf.h"
#include "../base/text.h"
#include "../docs/certificate_pdf.h"
#include "../domain/address.h"
#include "../domain/certificate.h"
#include "../store/account_store.h"
#include "../store/application_store.h"
#include "../store/attendance_store.h"
#include "../store/certificate_store.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "../store/settings_store.h"
#include "../view/template.h"
#include "messages.h"
#include "programme_view.h"

static const char *text_of(json_t *v, lang_t lang)
{
    int fb;
    const char *s = bilingual_text(v, lang, &fb);
    return s ? s : "";
}

const char *app_certificate_path(const struct app_ctx *c, const char *number)
{
    return arena_printf(c->a, "%s/certificates/%s.pdf", c->cfg->data_dir, number);
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

/* The document signer, made in the organisation's name when there is none
 * yet (or when Aula's own certificate names another organisation). */
static struct pdf_signer *document_signer(const struct app_ctx *c, char *err, size_t errlen)
{
    char org[256], id[PDF_KEY_ID_LEN + 1];
    certificate_issuer_name(org, sizeof org);
    if (!pdf_keys_ensure(c->cfg->data_dir, org, err, errlen))
        return NULL;
    struct pdf_signer *s = pdf_keys_signer(c->cfg->data_dir, id, err, errlen);
    if (s)
        pdf_signer_set_timestamp_url(s, c->cfg->timestamp_url);
    return s;
}

/* The organisation's logo for the certificate (PNG or JPEG). */
static const unsigned char *logo_bytes(arena *a, size_t *len)
{
    struct site_file logo;
    if (!site_file_get(a, "logo", true, &logo))
        return NULL;
    *len = logo.len;
    return logo.data;
}

/* The certificate's message to the person of app, in lang: the same for
 * the message queued and for the preview before issuing. */
static bool certificate_mail(const struct app_ctx *c, json_t *app, lang_t lang, json_t *course,
                             const char *number, const char *verify_url, struct message *m)
{
    json_t *data = json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", full_name(c->a, lang, app),
        "course_title", text_of(json_object_get(course, "title"), lang), "number", number,
        "verify_url", verify_url, "me_url", arena_printf(c->a, "%s/me", app_ctx_origin(c)));
    return data && app_render_mail(c, "certificate", data, lang, m);
}

bool app_certificate_preview(const struct app_ctx *c, json_t *programme, const char *course,
                             json_t *app, lang_t lang, struct message *m)
{
    const char *number = arena_printf(c->a, "%s-%s", number_prefix(c->a, programme, course),
                                      OUTBOX_MASK);
    return certificate_mail(c, app, lang, programme_course(programme, course), number,
                            arena_printf(c->a, "%s/verify/%s", app_ctx_origin(c), number), m);
}

bool app_certificate_issue(const struct app_ctx *c, json_t *p, const char *course_slug,
                           int64_t enrolment_id, int64_t application_id, const char *replaces,
                           const char *batch, char *number, size_t nlen, struct app_err *fail)
{
    json_t *e = json_object_get(p, "edition");
    json_t *course = programme_course(p, course_slug);
    json_t *app = application_load(application_id);
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    if (!course || !app)
        return app_fail(fail, APP_NOT_FOUND, "certificates.issue_unknown", NULL);
    if (!keys_load(c->cfg->data_dir, pk, sk))
        return app_fail(fail, APP_FAILED, "certificates.issue_no_key", NULL);
    if (!certificate_next_number(number_prefix(c->a, p, course_slug), number, nlen))
        return app_fail(fail, APP_BUSY, "error.busy", NULL);
    /* The sequential number is followed by an unguessable part, so that
     * /verify/ of numbers in a row lists nobody. */
    char code[CERT_CODE_LEN + 1];
    cert_code_random(code);
    size_t used = strlen(number);
    if (used + 1 + CERT_CODE_LEN >= nlen)
        return app_fail(fail, APP_FAILED, "certificates.issue_failed", "number too long");
    snprintf(number + used, nlen - used, "-%s", code);
    char today[11];
    struct tm tm;
    gmtime_r(&c->now, &tm);
    strftime(today, sizeof today, "%Y-%m-%d", &tm);
    json_t *dates = json_object_get(course, "dates_label");
    /* Direction controls would print the name in another order than the
     * one it is written in; forms refuse them, older names lose them here. */
    char *name = arena_printf(c->a, "%s %s", json_string_value(json_object_get(app, "given_names")),
                              json_string_value(json_object_get(app, "family_names")));
    if (!name)
        return app_fail(fail, APP_FAILED, "certificates.issue_failed", "out of memory");
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
        .verify_url = arena_printf(c->a, "%s/verify/%s", app_ctx_origin(c), number),
    };
    /* Kept in the arena, so that every way out below leaves nothing behind. */
    char *facts_json = cert_facts_canonical(&f);
    const char *canonical = facts_json ? arena_strdup(c->a, facts_json) : NULL;
    free(facts_json);
    char sig[CERT_SIG_B64_SIZE], kid[CERT_KEY_ID_SIZE];
    bool ok = canonical && cert_sign_canonical(canonical, sk, sig, sizeof sig);
    sodium_memzero(sk, sizeof sk);
    cert_key_id(pk, kid);
    struct cert_document doc = {.facts = f, .facts_json = canonical, .signature = sig, .key_id = kid};
    doc.logo = logo_bytes(c->a, &doc.logo_len);
    /* Organiser and partners from the programme's institutions. */
    strbuf pes, pen;
    sb_init(&pes, c->a);
    sb_init(&pen, c->a);
    size_t i;
    json_t *inst;
    json_array_foreach(json_object_get(e, "institutions"), i, inst) {
        const char *role = json_string_value(json_object_get(inst, "role"));
        const char *short_name = json_string_value(json_object_get(inst, "short_name"));
        const char *es = text_of(json_object_get(inst, "name"), LANG_ES);
        const char *en = text_of(json_object_get(inst, "name"), LANG_EN);
        if (strcmp(role, "organiser") == 0 && !doc.organiser_es) {
            doc.organiser_es = short_name ? arena_printf(c->a, "%s (%s)", es, short_name) : es;
            doc.organiser_en = short_name ? arena_printf(c->a, "%s (%s)", en, short_name) : en;
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
    mkdir(arena_printf(c->a, "%s/certificates", c->cfg->data_dir), 0700);
    const char *path = app_certificate_path(c, number);
    /* The whole file is signed as a PDF document too, and its hash kept, so
     * that the issued file itself can be recognised later. */
    char pdf_sha256[65], err[512] = "";
    struct pdf_signer *signer = ok ? document_signer(c, err, sizeof err) : NULL;
    if (ok && (!signer || !cert_pdf_write_signed(path, &doc, signer, (long long)c->now,
                                                 pdf_sha256, err, sizeof err)))
        ok = false;
    else if (!ok)
        snprintf(err, sizeof err, "the facts could not be signed");
    pdf_signer_free(signer);
    if (!ok)
        return app_fail(fail, APP_FAILED, "certificates.issue_failed", "%s", err);
    /* The certificate goes by email too, PDF attached: drawn now, queued in
     * the transaction that records the certificate, so that neither exists
     * without the other. */
    lang_t lang = lang_parse(json_string_value(json_object_get(app, "language"))) == LANG_EN
                      ? LANG_EN : LANG_ES;
    struct message m = {0};
    if (!certificate_mail(c, app, lang, course, number, f.verify_url, &m)) {
        unlink(path);
        return app_fail(fail, APP_FAILED, "certificates.issue_failed", "the message could not be drawn");
    }
    m.to_addr = json_string_value(json_object_get(app, "email"));
    m.reply_to = json_string_value(json_object_get(app, "contact_email"));
    m.attachment_path = path;
    m.attachment_name = arena_printf(c->a, "%s.pdf", number);
    m.attachment_type = "application/pdf";
    if (!certificate_record(number, enrolment_id, canonical, sig, kid, pdf_sha256, c->actor,
                            replaces, &m, application_id, batch)) {
        unlink(path);
        return app_fail(fail, APP_BUSY, "error.busy", NULL);
    }
    return true;
}

bool app_certificate_eligible(json_t *row, json_t **grant)
{
    *grant = eligibility_grant_of(json_integer_value(json_object_get(row, "enrolment_id")));
    return json_is_true(json_object_get(row, "met")) || *grant;
}


int app_certificates_issue(const struct app_ctx *c, json_t *programme, const char *course,
                           json_t *rows, const char *batch,
                           void (*each)(void *ud, json_t *row, const struct app_err *err),
                           void *ud)
{
    int issued = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        char number[64];
        struct app_err err;
        bool ok = app_certificate_issue(c, programme, course,
                                        json_integer_value(json_object_get(r, "enrolment_id")),
                                        json_integer_value(json_object_get(r, "application_id")),
                                        NULL, batch, number, sizeof number, &err);
        issued += ok;
        if (each)
            each(ud, r, ok ? NULL : &err);
    }
    const char *slug = json_string_value(json_object_get(json_object_get(programme, "edition"), "slug"));
    audit(c->actor, "certificates.issue", arena_printf(c->a, "%s/%s", slug, course),
          arena_printf(c->a, "%d issued", issued));
    return issued;
}

json_t *app_certificate_valid(const char *slug, const char *number, struct app_err *err)
{
    json_t *cert = certificate_by_number(number);
    if (!cert || strcmp(json_string_value(json_object_get(cert, "edition")), slug) != 0) {
        app_fail(err, APP_NOT_FOUND, "verify.not_found", NULL);
        return NULL;
    }
    if (strcmp(json_string_value(json_object_get(cert, "status")), "valid") != 0) {
        app_fail(err, APP_CONFLICT, "certificates.not_valid", NULL);
        return NULL;
    }
    return cert;
}

json_t *app_certificate_holder(json_t *cert)
{
    const char *slug = json_string_value(json_object_get(cert, "edition"));
    const char *course = json_string_value(json_object_get(cert, "course"));
    json_t *participants = course_participants(slug, course);
    size_t i;
    json_t *pp;
    json_array_foreach(participants, i, pp) {
        if (json_integer_value(json_object_get(pp, "enrolment_id")) ==
            json_integer_value(json_object_get(cert, "enrolment_id")))
            return application_load(json_integer_value(json_object_get(pp, "application_id")));
    }
    return NULL;
}

bool app_certificate_reissue(const struct app_ctx *c, const char *slug, const char *number,
                             char *new_number, size_t nlen, struct app_err *err)
{
    json_t *cert = app_certificate_valid(slug, number, err);
    if (!cert)
        return false;
    /* Only to someone still registered on the course. */
    json_t *app = app_certificate_holder(cert);
    if (!app)
        return app_fail(err, APP_CONFLICT, "certificates.not_valid", NULL);
    json_t *p = programme_view(slug, 1);
    return app_certificate_issue(c, p, json_string_value(json_object_get(cert, "course")),
                                 json_integer_value(json_object_get(cert, "enrolment_id")),
                                 json_integer_value(json_object_get(app, "id")), number, NULL,
                                 new_number, nlen, err);
}

bool app_certificate_revoke(const struct app_ctx *c, const char *slug, const char *number,
                            const char *reason, struct app_err *err)
{
    if (!app_certificate_valid(slug, number, err))
        return false;
    if (!reason || !*reason)
        return app_fail(err, APP_INVALID, "certificates.reason_needed", NULL);
    if (!certificate_revoke(number, reason, c->actor))
        return app_fail(err, APP_BUSY, "error.busy", NULL);
    return true;
}
