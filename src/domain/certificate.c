/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "certificate.h"

#include <jansson.h>

#include "../base/arena.h"
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void cert_code_random(char out[CERT_CODE_LEN + 1])
{
    for (size_t i = 0; i < CERT_CODE_LEN; i++)
        out[i] = crockford[randombytes_uniform(32)];
    out[CERT_CODE_LEN] = '\0';
}

bool cert_code_normalise(const char *in, char *out, size_t n)
{
    while (*in == ' ')
        in++;
    size_t len = strlen(in);
    while (len && in[len - 1] == ' ')
        len--;
    if (len == 0 || len >= n)
        return false;
    const char *last = NULL;
    for (size_t i = 0; i < len; i++)
        if (in[i] == '-')
            last = in + i;
    for (size_t i = 0; i < len; i++) {
        char c = in[i];
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 32);
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
        if (last && in + i > last) {
            if (c == 'O')
                c = '0';
            else if (c == 'I' || c == 'L')
                c = '1';
        }
        out[i] = c;
    }
    out[len] = '\0';
    return true;
}

static int set_str(json_t *o, const char *key, const char *v)
{
    json_t *s = json_string(v ? v : "");
    if (!s)
        return -1; /* not UTF-8 */
    return json_object_set_new(o, key, s);
}

char *cert_facts_canonical(const struct cert_facts *f)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    int bad = 0;
    bad |= set_str(o, "number", f->number);
    bad |= set_str(o, "name", f->name);
    bad |= set_str(o, "form_of_address", f->form_of_address);
    bad |= set_str(o, "course_es", f->course_es);
    bad |= set_str(o, "course_en", f->course_en);
    bad |= set_str(o, "edition_es", f->edition_es);
    bad |= set_str(o, "edition_en", f->edition_en);
    bad |= json_object_set_new(o, "hours", json_integer(f->hours));
    bad |= set_str(o, "dates_es", f->dates_es);
    bad |= set_str(o, "dates_en", f->dates_en);
    bad |= set_str(o, "issued_on", f->issued_on);
    bad |= set_str(o, "verify_url", f->verify_url);
    bad |= json_object_set_new(o, "v", json_integer(CERT_FACTS_VERSION));
    /* Without JSON_ENSURE_ASCII and JSON_ESCAPE_SLASH, jansson escapes only
     * '"', '\\' and control characters, always the same way. */
    char *out = bad ? NULL : json_dumps_malloc(o, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(o);
    return out;
}

void cert_b64url(char *out, size_t outsize, const void *data, size_t n)
{
    sodium_bin2base64(out, outsize, data, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool cert_b64url_decode(const char *s, size_t slen, unsigned char *out, size_t outsize,
                        size_t *outlen)
{
    const char *end = NULL;
    size_t len = 0;
    if (sodium_base642bin(out, outsize, s, slen, NULL, &len, &end,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return false;
    if (end != s + slen)
        return false;
    if (outlen)
        *outlen = len;
    return true;
}

bool cert_sign_canonical(const char *canonical_json, const unsigned char sk[64], char *sig_b64,
                         size_t n)
{
    if (!canonical_json || n < CERT_SIG_B64_SIZE)
        return false;
    unsigned char sig[crypto_sign_BYTES];
    if (crypto_sign_detached(sig, NULL, (const unsigned char *)canonical_json,
                             strlen(canonical_json), sk) != 0)
        return false;
    cert_b64url(sig_b64, n, sig, sizeof sig);
    return true;
}

bool cert_sign(const struct cert_facts *f, const unsigned char sk[64], char *sig_b64, size_t n)
{
    char *c = cert_facts_canonical(f);
    bool ok = cert_sign_canonical(c, sk, sig_b64, n);
    free(c);
    return ok;
}

bool cert_verify(const char *canonical_json, const char *sig_b64, const unsigned char pk[32])
{
    if (!canonical_json || !sig_b64 || strlen(sig_b64) != CERT_SIG_B64_LEN)
        return false;
    unsigned char sig[crypto_sign_BYTES];
    size_t len = 0;
    if (!cert_b64url_decode(sig_b64, CERT_SIG_B64_LEN, sig, sizeof sig, &len) ||
        len != sizeof sig)
        return false;
    return crypto_sign_verify_detached(sig, (const unsigned char *)canonical_json,
                                       strlen(canonical_json), pk) == 0;
}

void cert_key_id(const unsigned char pk[32], char out[17])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, crypto_sign_PUBLICKEYBYTES);
    sodium_bin2hex(out, CERT_KEY_ID_SIZE, h, 8);
}
