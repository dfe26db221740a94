/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates as issued, revocations and reissues, eligibility grants and
 * the signatories of an edition. */
#ifndef AULA_CERTIFICATE_STORE_H
#define AULA_CERTIFICATE_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* The next free number for a prefix: "SELA-2022-CYB-0007". */
bool certificate_next_number(const char *prefix, char *out, size_t n);
struct message;
/* Records an issued certificate with the SHA-256 (hex) of its PDF as
 * issued; when replaces is given, that one becomes superseded (pointing to
 * this number), and mail (when given) is queued to application_id's person
 * as part of batch (or none), all in the same transaction: no certificate
 * without its message, nor a message without its certificate. */
bool certificate_record(const char *number, int64_t enrolment_id, const char *facts,
                        const char *signature, const char *key_id, const char *pdf_sha256,
                        const char *by, const char *replaces, const struct message *mail,
                        int64_t application_id, const char *batch);
/* {number, enrolment_id, facts, signature, key_id, status, issued_at,
 * revoked_at, revoke_reason, superseded_by, edition, course, email,
 * account_id, given_names, family_names, pdf_sha256} or NULL. */
json_t *certificate_by_number(const char *number);
/* The certificate whose PDF as issued has this SHA-256 (hex), or NULL. */
json_t *certificate_by_pdf_sha256(const char *sha256_hex);
/* The name of the (first) organisation, for the document signing
 * certificate; false when there is none yet. */
bool certificate_issuer_name(char *out, size_t n);
/* The valid certificate of an enrolment, or NULL. */
json_t *certificate_of_enrolment(int64_t enrolment_id);
/* Certificates of an edition: [{number, status, course, email, name...}]. */
json_t *certificates_of_edition(const char *edition_slug);
/* Numbers of revoked and superseded certificates with their dates (the
 * list `aula verify` checks against). */
json_t *certificates_revoked(void);
bool certificate_revoke(const char *number, const char *reason, const char *by);

bool eligibility_grant(int64_t enrolment_id, const char *reason, const char *by);
/* {reason, granted_by, granted_at} or NULL. */
json_t *eligibility_grant_of(int64_t enrolment_id);

/* [{name, title: {es, en}}] of an edition. */
json_t *signatories_of(const char *edition_slug);
bool signatory_add(const char *edition_slug, const char *name, const char *title_es,
                   const char *title_en);

#endif
