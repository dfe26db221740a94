/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A document signature on a PDF that any PDF reader checks (ISO 32000-1
 * 12.8): an incremental update appended to the file adds a signature
 * dictionary (/SubFilter /adbe.pkcs7.detached) whose /ByteRange covers every
 * byte of the file but the /Contents hex string, which holds a CMS
 * SignedData (RFC 5652, detached, with the signing time and the signer's
 * certificate bound by an ESS signing-certificate-v2 attribute), an
 * invisible signature field on the page and the Catalog's /AcroForm.
 *
 * The structure is ours (we know what cairo writes: a classic xref table,
 * one page); the CMS is OpenSSL's.  OpenSSL rather than GnuTLS because its
 * CMS API makes detached SignedData with signed attributes, adds the ESS
 * signing-certificate-v2 attribute, takes unsigned attributes (an RFC 3161
 * timestamp token) and builds and reads RFC 3161 requests and replies
 * (GnuTLS has no timestamp support), and it reads PKCS#12 files. */
#ifndef AULA_PDF_SIGN_H
#define AULA_PDF_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct pdf_signer;

/* A signer from a PEM private key and a PEM certificate chain (the
 * signer's certificate first).  NULL with a message when they are not
 * usable or do not belong together. */
struct pdf_signer *pdf_signer_new(const char *key_pem, size_t key_len, const char *chain_pem,
                                  size_t chain_len, char *err, size_t errlen);
void pdf_signer_free(struct pdf_signer *s);
/* An RFC 3161 timestamp server: every signature then carries a timestamp
 * token over it (signing fails when the server does not answer).  NULL or
 * "" for none (the default). */
void pdf_signer_set_timestamp_url(struct pdf_signer *s, const char *url);

/* Appends the signature to pdf (as cairo writes it), signed at `when`;
 * *out is malloc'd. */
bool pdf_sign(const struct pdf_signer *s, const unsigned char *pdf, size_t len, time_t when,
              unsigned char **out, size_t *outlen, char *err, size_t errlen);

enum pdf_check {
    PDF_GENUINE,       /* one signature over the whole file, valid, by one of ours */
    PDF_NOT_PDF,       /* not a PDF at all (a zip, an image...) */
    PDF_DAMAGED,       /* a PDF that is cut short or broken */
    PDF_UNSIGNED,      /* no document signature */
    PDF_SEVERAL,       /* more than one signature */
    PDF_APPENDED,      /* something was added after the signed range */
    PDF_CHANGED,       /* a signed byte was changed */
    PDF_NOT_OURS,      /* a sound signature, by someone else */
};
/* Checks the document signature against the certificates in trusted_pem
 * (every certificate Aula has signed with).  detail receives the reason in
 * English for the command line. */
enum pdf_check pdf_check_signature(const unsigned char *pdf, size_t len, const char *trusted_pem,
                                   size_t trusted_len, char *detail, size_t detlen);

#endif
