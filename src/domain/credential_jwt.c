/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "credential_jwt.h"

#include <jansson.h>

#include "../base/arena.h"
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OB3_CONTEXT "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
#define VC2_CONTEXT "https://www.w3.org/ns/credentials/v2"

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* "es / en", or the one that is there, or just es when both say the same. */
static char *bilingual(const char *es, const char *en, const char *sep)
{
    es = nz(es);
    en = nz(en);
    size_t n = strlen(es) + strlen(sep) + strlen(en) + 1;
    char *s = malloc(n);
    if (!s)
        return NULL;
    if (!*en || strcmp(es, en) == 0)
        snprintf(s, n, "%s", es);
    else if (!*es)
        snprintf(s, n, "%s", en);
    else
        snprintf(s, n, "%s%s%s", es, sep, en);
    return s;
}

static char *printf_alloc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *printf_alloc(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return s;
}

/* YYYY-MM-DD as seconds since the epoch at 00:00 UTC; -1 when not a date. */
static long long parse_date(const char *s)
{
    int y, m, d, used = 0;
    if (!s || strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10)
        return -1;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    time_t t = timegm(&tm);
    struct tm back;
    gmtime_r(&t, &back);
    if (back.tm_year != y - 1900 || back.tm_mon != m - 1 || back.tm_mday != d)
        return -1; /* 2022-02-30 */
    return (long long)t;
}

/* A stable urn:uuid for the achievement (the course edition), the same in
 * every certificate of it: SHA-256 of issuer, course and edition, shaped as
 * a UUID of version 8 (RFC 9562, custom). */
static void achievement_id(char out[46], const char *issuer_url, const struct cert_facts *f)
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const char *parts[] = {"aula-achievement/1", nz(issuer_url), nz(f->course_es),
                           nz(f->course_en), nz(f->edition_es), nz(f->edition_en)};
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80); /* version 8 */
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80); /* RFC variant */
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, 16);
    snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

static json_t *credential(const struct cert_facts *f, const char *issuer_url,
                          const char *issuer_name, const char *subject_id)
{
    if (parse_date(f->issued_on) < 0)
        return NULL;
    char ach_id[46];
    achievement_id(ach_id, issuer_url, f);
    char valid_from[32];
    snprintf(valid_from, sizeof valid_from, "%sT00:00:00Z", f->issued_on);

    char *name = bilingual(f->course_es, f->course_en, " / ");
    char *desc_es = printf_alloc("Curso «%s», %s: %d horas, %s.", nz(f->course_es),
                                 nz(f->edition_es), f->hours, nz(f->dates_es));
    char *desc_en = printf_alloc("Course “%s”, %s: %d hours, %s.", nz(f->course_en),
                                 nz(f->edition_en), f->hours, nz(f->dates_en));
    char *crit_es = printf_alloc("Haber participado en el curso «%s» (%s, %d horas, %s).",
                                 nz(f->course_es), nz(f->edition_es), f->hours, nz(f->dates_es));
    char *crit_en = printf_alloc("Took part in the course “%s” (%s, %d hours, %s).",
                                 nz(f->course_en), nz(f->edition_en), f->hours, nz(f->dates_en));
    char *desc = desc_es && desc_en ? bilingual(desc_es, desc_en, "\n\n") : NULL;
    char *crit = crit_es && crit_en ? bilingual(crit_es, crit_en, "\n\n") : NULL;

    json_t *vc = NULL;
    if (name && desc && crit)
        vc = json_pack("{s:[s,s], s:s, s:[s,s], s:{s:s, s:[s], s:s}, s:s, s:s,"
                       " s:{s:s, s:[s], s:{s:s, s:[s], s:s, s:s, s:{s:s}}}}",
                       "@context", VC2_CONTEXT, OB3_CONTEXT,
                       "id", nz(f->verify_url),
                       "type", "VerifiableCredential", "OpenBadgeCredential",
                       "issuer", "id", nz(issuer_url), "type", "Profile", "name", nz(issuer_name),
                       "validFrom", valid_from,
                       "name", name,
                       "credentialSubject",
                       "id", nz(subject_id), "type", "AchievementSubject",
                       "achievement", "id", ach_id, "type", "Achievement", "name", name,
                       "description", desc, "criteria", "narrative", crit);
    free(name);
    free(desc_es);
    free(desc_en);
    free(crit_es);
    free(crit_en);
    free(desc);
    free(crit);
    return vc;
}

char *credential_json(const struct cert_facts *f, const char *issuer_url,
                      const char *issuer_name, const char *subject_id)
{
    json_t *vc = credential(f, issuer_url, issuer_name, subject_id);
    char *s = vc ? json_dumps_malloc(vc, JSON_COMPACT) : NULL;
    json_decref(vc);
    return s;
}

/* base64url of the compact JSON of v, malloc'd; consumes v. */
static char *b64_json(json_t *v)
{
    char *s = v ? json_dumps_malloc(v, JSON_COMPACT) : NULL;
    json_decref(v);
    if (!s)
        return NULL;
    size_t n = strlen(s);
    size_t size = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *b = malloc(size);
    if (b)
        cert_b64url(b, size, s, n);
    free(s);
    return b;
}

char *credential_jwt(const struct cert_facts *f, const char *issuer_url, const char *issuer_name,
                     const char *subject_id, const char *key_id, const unsigned char sk[64])
{
    long long nbf = parse_date(f->issued_on);
    json_t *vc = credential(f, issuer_url, issuer_name, subject_id);
    if (nbf < 0 || !vc) {
        json_decref(vc);
        return NULL;
    }
    char *kid = printf_alloc("%s#%s", nz(issuer_url), nz(key_id));
    json_t *header = kid ? json_pack("{s:s, s:s, s:s}", "alg", "EdDSA", "typ", "JWT", "kid", kid)
                         : NULL;
    free(kid);
    json_t *payload = json_pack("{s:s, s:s, s:I, s:s, s:o}", "iss", nz(issuer_url), "jti",
                                nz(f->verify_url), "nbf", (json_int_t)nbf, "sub", nz(subject_id),
                                "vc", vc); /* "o" steals vc, also on failure */
    char *h = b64_json(header), *p = b64_json(payload);
    char *jwt = NULL;
    if (h && p) {
        size_t hn = strlen(h), pn = strlen(p);
        size_t sig_size =
            sodium_base64_ENCODED_LEN(crypto_sign_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        jwt = malloc(hn + 1 + pn + 1 + sig_size);
        if (jwt) {
            memcpy(jwt, h, hn);
            jwt[hn] = '.';
            memcpy(jwt + hn + 1, p, pn);
            size_t signed_len = hn + 1 + pn;
            unsigned char sig[crypto_sign_BYTES];
            crypto_sign_detached(sig, NULL, (const unsigned char *)jwt, signed_len, sk);
            jwt[signed_len] = '.';
            cert_b64url(jwt + signed_len + 1, sig_size, sig, sizeof sig);
        }
    }
    free(h);
    free(p);
    return jwt;
}

char *public_jwk(const unsigned char pk[32], const char *key_id)
{
    char x[sodium_base64_ENCODED_LEN(crypto_sign_PUBLICKEYBYTES,
                                     sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
    cert_b64url(x, sizeof x, pk, crypto_sign_PUBLICKEYBYTES);
    json_t *jwk =
        json_pack("{s:s, s:s, s:s, s:s}", "kty", "OKP", "crv", "Ed25519", "x", x, "kid", nz(key_id));
    char *s = jwk ? json_dumps_malloc(jwk, JSON_COMPACT) : NULL;
    json_decref(jwk);
    return s;
}
