/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Open Badges 3.0 (1EdTech) credentials as VC-JWT: a compact JWS signed
 * with Ed25519 ("alg":"EdDSA", RFC 8037).
 *
 * Header:  {"alg":"EdDSA","typ":"JWT","kid":"<issuer_url>#<key_id>"}
 * Payload: {"iss":issuer_url, "jti":verify_url, "nbf":issued_on 00:00 UTC,
 *           "sub":subject_id, "vc":{OpenBadgeCredential}}
 * The credential's id is the verify URL, its validFrom the issue date at
 * 00:00:00Z, its achievement id a urn:uuid derived from the issuer, course
 * and edition (the same for every certificate of one course edition), and
 * its texts bilingual ("Spanish / English" when they differ).
 * Pure code: jansson and libsodium. */
#ifndef AULA_CREDENTIAL_JWT_H
#define AULA_CREDENTIAL_JWT_H

#include "certificate.h"

/* The compact JWS header.payload.signature, malloc'd; NULL when issued_on
 * is not a date or a text is not UTF-8.  subject_id: "mailto:<email>" or a
 * "urn:uuid:…". */
char *credential_jwt(const struct cert_facts *f, const char *issuer_url, const char *issuer_name,
                     const char *subject_id, const char *key_id, const unsigned char sk[64]);

/* The credential alone (the "vc" claim), malloc'd compact JSON; what the
 * JWT carries, for pages that show it. */
char *credential_json(const struct cert_facts *f, const char *issuer_url,
                      const char *issuer_name, const char *subject_id);

/* The public key as a JWK {"kty":"OKP","crv":"Ed25519","x":…,"kid":…},
 * malloc'd compact JSON. */
char *public_jwk(const unsigned char pk[32], const char *key_id);

#endif
