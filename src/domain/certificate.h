/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Certificates: the facts a certificate attests and their Ed25519 signature.
 *
 * The signed bytes are the canonical facts: a JSON object with sorted keys,
 * no insignificant whitespace, UTF-8 as it is (no \u escapes for non-ASCII),
 * holding every field of struct cert_facts under the same names plus "v":1:
 *
 *   {"course_en":…,"course_es":…,"dates_en":…,"dates_es":…,"edition_en":…,
 *    "edition_es":…,"form_of_address":…,"hours":16,"issued_on":"2022-03-22",
 *    "name":…,"number":…,"v":1,"verify_url":…}
 *
 * A verifier never rebuilds this string: it checks the signature over the
 * exact bytes it was given (from the PDF, the verify page or the database)
 * and only then parses them.  Pure code: libsodium and jansson, no I/O. */
#ifndef AULA_CERTIFICATE_H
#define AULA_CERTIFICATE_H

#include <stdbool.h>
#include <stddef.h>

#define CERT_FACTS_VERSION 1
/* Length of a signature in base64url without padding, and its buffer size. */
#define CERT_SIG_B64_LEN 86
#define CERT_SIG_B64_SIZE (CERT_SIG_B64_LEN + 1)
#define CERT_KEY_ID_SIZE 17

struct cert_facts {
    const char *number;          /* e.g. "SELA-2022-CYB-0007-7KQ4X9PM" */
    const char *name;            /* full name exactly as it must appear, UTF-8 */
    const char *form_of_address; /* e.g. "Embajadora", may be "" */
    const char *course_es, *course_en;
    const char *edition_es, *edition_en;
    int hours;
    const char *dates_es, *dates_en; /* "21–22 de marzo de 2022", "21–22 March 2022" */
    const char *issued_on;           /* YYYY-MM-DD */
    const char *verify_url;          /* absolute URL of /verify/{number} */
};

/* The unguessable part of a certificate's code: CERT_CODE_LEN characters
 * of Crockford's base32 (digits and capitals without I, L, O, U), 5 random
 * bits each from libsodium: 40 bits.  The full code printed on the
 * certificate and carried by its QR code is "SELA-2022-CYB-0001-7KQ4X9PM";
 * verification needs all of it, so the sequential part alone lists no one. */
#define CERT_CODE_LEN 8
void cert_code_random(char out[CERT_CODE_LEN + 1]);
/* A code as typed by a person, in the form it is stored: surrounding
 * spaces dropped, letters upper-cased, and in the final part Crockford's
 * look-alikes read as digits (O as 0, I and L as 1).  False when it does
 * not fit in n or holds characters no code has. */
bool cert_code_normalise(const char *in, char *out, size_t n);

/* The canonical byte string that is signed (see above); malloc'd, NULL
 * when a field is not valid UTF-8 or out of memory.  NULL strings are
 * written as "". */
char *cert_facts_canonical(const struct cert_facts *f);

/* Ed25519 detached signature of the canonical facts, base64url without
 * padding, into sig_b64 (n >= CERT_SIG_B64_SIZE).  sk is libsodium's 64-byte
 * secret key. */
bool cert_sign(const struct cert_facts *f, const unsigned char sk[64], char *sig_b64, size_t n);
/* The same over bytes already canonical (such as a stored copy). */
bool cert_sign_canonical(const char *canonical_json, const unsigned char sk[64], char *sig_b64,
                         size_t n);

/* True when sig_b64 is a valid signature by pk over exactly canonical_json. */
bool cert_verify(const char *canonical_json, const char *sig_b64, const unsigned char pk[32]);

/* The key id: first 16 hex characters (lower case) of SHA-256 of the public key. */
void cert_key_id(const unsigned char pk[32], char out[17]);

/* base64url without padding of n bytes into out (size >= 4*ceil(n/3)+1);
 * and back, false when s is not valid base64url or does not fit.  Shared by
 * the PDF metadata and the JWT. */
void cert_b64url(char *out, size_t outsize, const void *data, size_t n);
bool cert_b64url_decode(const char *s, size_t slen, unsigned char *out, size_t outsize,
                        size_t *outlen);

#endif
