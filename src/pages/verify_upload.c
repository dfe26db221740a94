/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* /verify with a file: anyone uploads a certificate PDF (at most 5 MB) and
 * learns whether it is exactly the document that was issued (its SHA-256
 * recorded at issue), revoked, superseded by a reissue, changed, or not
 * ours.  Nothing of the upload is kept: the server removes the temporary
 * file after the request.  Also the document signing certificates, published
 * beside the Ed25519 key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "../docs/certificate_pdf.h"
#include "../docs/pdf_sign.h"
#include "../domain/certificate.h"
#include "../store/certificate_store.h"
#include "../store/keys.h"
#include "../store/pdf_keys.h"
#include "../app/app.h"
#include "render.h"
#include "verify_upload.h"
#include "programme_view.h"
#include "words.h"

/* The upload, read into the arena (it is at most SMALL_UPLOAD_MAX). */
static unsigned char *read_upload(request *req, size_t *len)
{
    if (!req->upload.present || !req->upload.tmp_path || req->upload.size > SMALL_UPLOAD_MAX)
        return NULL;
    int fd = open(req->upload.tmp_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    size_t n = (size_t)req->upload.size;
    unsigned char *buf = arena_alloc(req->a, n + 1);
    size_t got = 0;
    while (buf && got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != n)
        return NULL;
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void answer(request *req, response *res, int status, const char *verdict, json_t *data)
{
    if (!data)
        data = json_object();
    json_object_set_new(data, "page_title", bilingual_tr("verify.file_title"));
    json_object_set_new(data, "verdict", json_string(verdict));
    json_object_set_new(data, "message",
                        bilingual_tr(arena_printf(req->a, "verify.file_%s", verdict)));
    json_object_set_new(data, arena_printf(req->a, "is_%s", verdict), json_true());
    json_object_set_new(data, "limit_mb", json_integer(SMALL_UPLOAD_MAX >> 20));
    res_page(req, res, status, "verify_file", data);
    res->no_store = true;
}

/* The facts the file carries, when they are ours and their number is
 * known: "the certificate this file claims to be"; *signed_facts tells
 * whether those facts match their Ed25519 signature. */
static json_t *claimed(const unsigned char *pdf, size_t len, bool *signed_facts)
{
    char *facts = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE], err[256];
    json_t *cert = NULL;
    *signed_facts = false;
    if (cert_pdf_read_facts_mem(pdf, len, &facts, &sig, kid, err, sizeof err)) {
        json_error_t je;
        json_t *f = json_loads(facts, 0, &je);
        const char *number = json_string_value(json_object_get(f, "number"));
        cert = number ? certificate_by_number(number) : NULL;
        json_decref(f);
        unsigned char pk[32];
        char mine[CERT_KEY_ID_SIZE];
        if (keys_load(app_config()->data_dir, pk, NULL)) {
            cert_key_id(pk, mine);
            *signed_facts = strcmp(kid, mine) == 0 && cert_verify(facts, sig, pk);
        }
    }
    free(facts);
    free(sig);
    return cert;
}

/* POST /verify (multipart, the part "file"). */
void page_verify_upload(request *req, response *res)
{
    size_t len = 0;
    unsigned char *pdf = read_upload(req, &len);
    if (!pdf || len == 0) {
        answer(req, res, 422, "missing", NULL);
        return;
    }
    json_t *data = json_object();
    json_t *cert = certificate_by_pdf_sha256(req->upload.sha256);
    if (cert) {
        /* Exactly the bytes that were issued. */
        const char *status = json_string_value(json_object_get(cert, "status"));
        json_error_t je;
        json_t *facts = json_loads(json_string_value(json_object_get(cert, "facts")), 0, &je);
        /* Beside the facts, never in them: they stay exactly the signed ones. */
        json_object_set_new(data, "issued_on_label",
                            when_of(json_string_value(json_object_get(facts, "issued_on"))));
        json_object_set_new(data, "facts", facts ? facts : json_null());
        json_object_set(data, "number", json_object_get(cert, "number"));
        json_object_set(data, "revoked_at", json_object_get(cert, "revoked_at"));
        json_object_set_new(data, "revoked_label",
                            when_of(json_string_value(json_object_get(cert, "revoked_at"))));
        json_object_set(data, "revoke_reason", json_object_get(cert, "revoke_reason"));
        json_object_set(data, "superseded_by", json_object_get(cert, "superseded_by"));
        answer(req, res, 200,
               strcmp(status, "revoked") == 0      ? "revoked"
               : strcmp(status, "superseded") == 0 ? "superseded"
                                                   : "genuine",
               data);
        return;
    }
    size_t tl = 0;
    char *trusted = pdf_keys_all_pem(app_config()->data_dir, &tl);
    char detail[300];
    enum pdf_check check = pdf_check_signature(pdf, len, trusted ? trusted : "", tl, detail,
                                               sizeof detail);
    free(trusted);
    const char *verdict;
    switch (check) {
    case PDF_NOT_PDF: verdict = "not_pdf"; break;
    case PDF_DAMAGED: verdict = "damaged"; break;
    case PDF_NOT_OURS: verdict = "not_ours"; break;
    default: {
        /* Ours in appearance (our signature or our facts) but not the bytes
         * that were issued: a changed copy.  A certificate issued before
         * PDFs were signed has no document signature and no recorded hash:
         * only its facts can be checked. */
        bool signed_facts;
        json_t *c = claimed(pdf, len, &signed_facts);
        if (c)
            json_object_set(data, "number", json_object_get(c, "number"));
        if (c && check == PDF_UNSIGNED && signed_facts &&
            !json_string_value(json_object_get(c, "pdf_sha256"))) {
            json_object_set(data, "status", json_object_get(c, "status"));
            verdict = "legacy";
        } else {
            verdict = c || check != PDF_UNSIGNED ? "changed" : "not_ours";
        }
    }
    }
    answer(req, res, strcmp(verdict, "not_pdf") == 0 || strcmp(verdict, "damaged") == 0 ? 422 : 200,
           verdict, data);
}

/* GET /.well-known/aula-signing.pem: every certificate that has signed
 * certificate PDFs, the current one first. */
void page_signing_certificates(request *req, response *res)
{
    size_t n = 0;
    char *pem = pdf_keys_all_pem(app_config()->data_dir, &n);
    if (!pem) {
        res_error(req, res, 404, "error.not_found");
        return;
    }
    char *body = arena_strndup(req->a, pem, n);
    free(pem);
    if (!body) {
        res_error(req, res, 500, "error.too_much");
        return;
    }
    res_text(res, 200, "application/x-pem-file", body, n);
    res_header(res, "Access-Control-Allow-Origin", "*");
}
