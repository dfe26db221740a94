/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The identity that signs certificate PDFs (an X.509 certificate and its
 * key), kept as files in the data directory beside the Ed25519 key:
 *
 *   keys/pdf/ID.key    the private key, PEM, mode 0600 (only Aula reads it)
 *   keys/pdf/ID.pem    the certificate, then the rest of its chain, PEM
 *   keys/pdf/ID.self   present when Aula made the certificate itself
 *   keys/pdf/current   the ID that signs from now on
 *
 * ID is the first 16 hex digits of the SHA-256 of the certificate.  Nothing
 * is ever deleted: a rotation (a new self-made identity, or one imported
 * from a PKCS#12 file) only changes `current`, so every certificate signed
 * before stays verifiable. */
#ifndef AULA_PDF_KEYS_H
#define AULA_PDF_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "../docs/pdf_sign.h"

#define PDF_KEY_ID_LEN 16

/* Makes a self-signed identity (ECDSA P-256, ten years) in org's name (its
 * first 64 characters, X.509's limit) unless one exists; when the current identity is one Aula made under
 * another name, a new one in org's name becomes current.  org NULL or ""
 * keeps whatever exists (or names a new one "Aula"). */
bool pdf_keys_ensure(const char *data_dir, const char *org, char *err, size_t errlen);

/* A signer with the current identity, or NULL with a message. */
struct pdf_signer *pdf_keys_signer(const char *data_dir, char *id17, char *err, size_t errlen);

/* Installs the key, certificate and chain of a PKCS#12 file and makes it
 * current; id17 receives its ID. */
bool pdf_keys_import_p12(const char *data_dir, const char *p12_path, const char *password,
                         char *id17, char *err, size_t errlen);

/* The current identity's subject (one line) and the end of its validity;
 * false when there is none or it cannot be read. */
bool pdf_keys_describe(const char *data_dir, char *subject, size_t n, long long *not_after);

/* Every certificate Aula has signed with, as PEM (the current one first);
 * malloc'd, NULL when there is none. */
char *pdf_keys_all_pem(const char *data_dir, size_t *len);

#endif
