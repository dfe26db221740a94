/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates: issuing (signed facts, signed PDF, and the email with the
 * PDF queued in the same transaction as the certificate), reissuing,
 * revoking, and the message's preview. */
#ifndef AULA_APP_CERTIFICATES_H
#define AULA_APP_CERTIFICATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../store/outbox_store.h"
#include "app.h"

/* Where the PDF of certificate number is kept. */
const char *app_certificate_path(const struct app_ctx *c, const char *number);

/* Whether a row of the attendance grid may receive a certificate: the rule
 * is met, or an administrator granted it (*grant: the grant, or NULL). */
bool app_certificate_eligible(json_t *row, json_t **grant);

/* The message the person of application app (its JSON) would receive with
 * a certificate of course in the edition's view programme, drawn in lang;
 * the number, made only when issuing, masked. */
bool app_certificate_preview(const struct app_ctx *c, json_t *programme, const char *course,
                             json_t *app, lang_t lang, struct message *m);

/* Issues the certificate of one enrolment: signs its facts, writes the
 * signed PDF, and records it together with its email (part of batch, or
 * none).  replaces names the certificate it supersedes (a reissue).  On
 * success number receives the new one. */
bool app_certificate_issue(const struct app_ctx *c, json_t *programme, const char *course,
                           int64_t enrolment_id, int64_t application_id, const char *replaces,
                           const char *batch, char *number, size_t nlen, struct app_err *err);

/* Issues the certificates of rows (rows of the attendance grid: enrolment_id,
 * application_id, name) as one batch; each(ud, row, err) is told of every
 * row, err NULL when it was issued.  Returns how many were; the audit log
 * says so. */
int app_certificates_issue(const struct app_ctx *c, json_t *programme, const char *course,
                           json_t *rows, const char *batch,
                           void (*each)(void *ud, json_t *row, const struct app_err *err),
                           void *ud);

/* The certificate number of edition slug, valid (APP_NOT_FOUND when it is
 * not of that edition, APP_CONFLICT when it is no longer valid). */
json_t *app_certificate_valid(const char *slug, const char *number, struct app_err *err);

/* Reissues certificate number (for instance after a corrected name): a new
 * one is issued and emailed, the old one stays verifiable as superseded. */
bool app_certificate_reissue(const struct app_ctx *c, const char *slug, const char *number,
                             char *new_number, size_t nlen, struct app_err *err);
/* The person a reissue of cert (a certificate's JSON) would be sent to:
 * their application's JSON, or NULL when they are no longer registered. */
json_t *app_certificate_holder(json_t *cert);

/* Revokes certificate number of edition slug, for reason (required). */
bool app_certificate_revoke(const struct app_ctx *c, const char *slug, const char *number,
                            const char *reason, struct app_err *err);

#endif
