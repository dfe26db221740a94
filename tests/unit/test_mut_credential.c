/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The Open Badges credential (src/domain/credential_jwt.c) at the edges a
 * verifier or a wallet sees: the bilingual texts word for word, which issue
 * dates are dates (and their instant), and the achievement id, which must
 * stay the same for every certificate of one course edition and differ
 * between editions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/certificate.h"
#include "domain/credential_jwt.h"

static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

static const struct cert_facts FACTS = {
    .number = "SELA-2024-CYB-0001",
    .name = "Ana Gómez",
    .form_of_address = "",
    .course_es = "Negociación",
    .course_en = "Negotiation",
    .edition_es = "Edición 2024",
    .edition_en = "2024 edition",
    .hours = 12,
    .dates_es = "3–4 de junio de 2024",
    .dates_en = "3–4 June 2024",
    .issued_on = "2024-06-04",
    .verify_url = "https://aula.example.org/verify/SELA-2024-CYB-0001",
};

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    unsigned char seed[crypto_sign_SEEDBYTES];
    memset(seed, 7, sizeof seed);
    crypto_sign_seed_keypair(pk, sk, seed);
    return 0;
}

static json_t *vc_of(const struct cert_facts *f, const char *issuer)
{
    char *s = credential_json(f, issuer, "SELA", "mailto:ana@example.org");
    assert_non_null(s);
    json_error_t e;
    json_t *v = json_loads(s, 0, &e);
    free(s);
    assert_non_null(v);
    return v;
}

static const char *at(json_t *o, const char *a, const char *b, const char *c)
{
    json_t *v = json_object_get(o, a);
    if (b)
        v = json_object_get(v, b);
    if (c)
        v = json_object_get(v, c);
    assert_true(json_is_string(v));
    return json_string_value(v);
}

static void name_is_bilingual_only_when_the_languages_differ(void **state)
{
    (void)state;
    struct {
        const char *es, *en, *want;
    } cases[] = {
        {"Negociación", "Negotiation", "Negociación / Negotiation"},
        {"Protocolo", "Protocolo", "Protocolo"},   /* the same words once */
        {"Protocolo", "", "Protocolo"},
        {"Protocolo", NULL, "Protocolo"},
        {"", "Protocol", "Protocol"},
        {NULL, "Protocol", "Protocol"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct cert_facts f = FACTS;
        f.course_es = cases[i].es;
        f.course_en = cases[i].en;
        json_t *vc = vc_of(&f, "https://aula.example.org");
        assert_string_equal(at(vc, "name", NULL, NULL), cases[i].want);
        assert_string_equal(at(vc, "credentialSubject", "achievement", "name"), cases[i].want);
        json_decref(vc);
    }
}

static void description_and_criteria_word_for_word(void **state)
{
    (void)state;
    json_t *vc = vc_of(&FACTS, "https://aula.example.org");
    json_t *ach = json_object_get(json_object_get(vc, "credentialSubject"), "achievement");
    assert_string_equal(at(ach, "description", NULL, NULL),
                        "Curso «Negociación», Edición 2024: 12 horas, 3–4 de junio de 2024."
                        "\n\n"
                        "Course “Negotiation”, 2024 edition: 12 hours, 3–4 June 2024.");
    assert_string_equal(at(ach, "criteria", "narrative", NULL),
                        "Haber participado en el curso «Negociación» (Edición 2024, 12 horas, "
                        "3–4 de junio de 2024)."
                        "\n\n"
                        "Took part in the course “Negotiation” (2024 edition, 12 hours, "
                        "3–4 June 2024).");
    json_t *type = json_object_get(json_object_get(vc, "issuer"), "type");
    assert_int_equal(json_array_size(type), 1);
    assert_string_equal(json_string_value(json_array_get(type, 0)), "Profile");
    assert_string_equal(at(vc, "issuer", "name", NULL), "SELA");
    assert_string_equal(at(vc, "credentialSubject", "id", NULL), "mailto:ana@example.org");
    json_decref(vc);
}

/* The payload's nbf of a credential issued on day, or -1 without a JWT. */
static long long nbf_of(const char *day)
{
    struct cert_facts f = FACTS;
    f.issued_on = day;
    char *jwt = credential_jwt(&f, "https://aula.example.org", "SELA", "urn:uuid:x", "k1", sk);
    if (!jwt)
        return -1;
    const char *d1 = strchr(jwt, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    assert_non_null(d2);
    unsigned char buf[4096];
    size_t n = 0;
    assert_true(cert_b64url_decode(d1 + 1, (size_t)(d2 - d1 - 1), buf, sizeof buf, &n));
    json_error_t e;
    json_t *p = json_loadb((const char *)buf, n, 0, &e);
    assert_non_null(p);
    long long v = json_integer_value(json_object_get(p, "nbf"));
    char want[32];
    snprintf(want, sizeof want, "%sT00:00:00Z", day);
    assert_string_equal(at(p, "vc", "validFrom", NULL), want);
    json_decref(p);
    free(jwt);
    char *json = credential_json(&f, "https://aula.example.org", "SELA", "urn:uuid:x");
    assert_non_null(json);
    free(json);
    return v;
}

static void issue_dates_at_their_edges(void **state)
{
    (void)state;
    assert_int_equal(nbf_of("1970-01-01"), 0);
    assert_int_equal(nbf_of("1970-01-02"), 86400);
    assert_int_equal(nbf_of("2024-01-31"), 1706659200);
    assert_int_equal(nbf_of("2024-02-29"), 1709164800); /* a leap day */
    assert_int_equal(nbf_of("2024-10-01"), 1727740800);
    assert_int_equal(nbf_of("2024-12-31"), 1735603200);
    const char *bad[] = {"1969-12-31", "2024-00-10", "2024-13-01", "2024-01-00", "2024-01-32",
                         "2023-02-29", "2024-04-31", "2024-06-04 ", "2024-06-0x", "2024/06/04",
                         "+024-06-04", "2024-06--4"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct cert_facts f = FACTS;
        f.issued_on = bad[i];
        if (credential_json(&f, "https://aula.example.org", "SELA", "urn:uuid:x"))
            fail_msg("%s taken for a date", bad[i]);
        assert_int_equal(nbf_of(bad[i]), -1);
    }
}

/* The achievement id as documented: SHA-256 of the parts, each ended by a
 * NUL, shaped as a UUID of version 8. */
static void expected_id(char out[46], const char *issuer, const struct cert_facts *f)
{
    const char *parts[] = {"aula-achievement/1", issuer, f->course_es, f->course_en,
                           f->edition_es, f->edition_en};
    unsigned char all[1024], h[crypto_hash_sha256_BYTES];
    size_t n = 0;
    for (size_t i = 0; i < 6; i++) {
        memcpy(all + n, parts[i], strlen(parts[i]) + 1);
        n += strlen(parts[i]) + 1;
    }
    crypto_hash_sha256(h, all, n);
    h[6] = (unsigned char)((h[6] & 0x0f) | 0x80);
    h[8] = (unsigned char)((h[8] & 0x3f) | 0x80);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, 16);
    snprintf(out, 46, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

static void achievement_id_names_the_course_edition(void **state)
{
    (void)state;
    const char *issuer = "https://aula.example.org";
    json_t *vc = vc_of(&FACTS, issuer);
    const char *id = at(vc, "credentialSubject", "achievement", "id");
    char want[46];
    expected_id(want, issuer, &FACTS);
    assert_string_equal(id, want);
    assert_int_equal(id[9 + 14], '8');                   /* version 8 */
    assert_non_null(strchr("89ab", id[9 + 19]));         /* RFC variant */

    /* The same for another person of the same edition... */
    struct cert_facts f = FACTS;
    f.name = "Luis Pardo";
    f.number = "SELA-2024-CYB-0002";
    f.verify_url = "https://aula.example.org/verify/SELA-2024-CYB-0002";
    f.hours = 10;
    f.issued_on = "2024-06-05";
    json_t *same = vc_of(&f, issuer);
    assert_string_equal(at(same, "credentialSubject", "achievement", "id"), id);
    json_decref(same);

    /* ... and another for each other issuer, course or edition, also when
     * only the boundary between two parts moves. */
    struct cert_facts other[5];
    for (int i = 0; i < 5; i++)
        other[i] = FACTS;
    other[0].course_es = "Negociación 2";
    other[1].course_en = "Negotiation 2";
    other[2].edition_es = "Edición 2025";
    other[3].edition_en = "2025 edition";
    other[4].course_es = "Negociació";
    other[4].course_en = "nNegotiation";
    for (int i = 0; i < 5; i++) {
        json_t *o = vc_of(&other[i], issuer);
        expected_id(want, issuer, &other[i]);
        assert_string_equal(at(o, "credentialSubject", "achievement", "id"), want);
        if (strcmp(want, id) == 0)
            fail_msg("case %d has the first edition's id", i);
        json_decref(o);
    }
    json_t *o = vc_of(&FACTS, "https://other.example.org");
    assert_string_not_equal(at(o, "credentialSubject", "achievement", "id"), id);
    json_decref(o);
    json_decref(vc);
}

static void jwt_header_names_the_key(void **state)
{
    (void)state;
    char *jwt = credential_jwt(&FACTS, "https://aula.example.org", "SELA", "urn:uuid:x", "k1", sk);
    assert_non_null(jwt);
    const char *d1 = strchr(jwt, '.');
    unsigned char buf[512];
    size_t n = 0;
    assert_true(cert_b64url_decode(jwt, (size_t)(d1 - jwt), buf, sizeof buf, &n));
    buf[n] = 0;
    assert_string_equal((const char *)buf,
                        "{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"kid\":\"https://aula.example.org#k1\"}");
    /* The signature (64 bytes) verifies with the public key over the rest. */
    const char *d2 = strchr(d1 + 1, '.');
    unsigned char sig[crypto_sign_BYTES + 8];
    assert_true(cert_b64url_decode(d2 + 1, strlen(d2 + 1), sig, sizeof sig, &n));
    assert_int_equal(n, crypto_sign_BYTES);
    assert_int_equal(strlen(d2 + 1), 86);
    assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)jwt,
                                                 (size_t)(d2 - jwt), pk), 0);
    free(jwt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(name_is_bilingual_only_when_the_languages_differ),
        cmocka_unit_test(description_and_criteria_word_for_word),
        cmocka_unit_test(issue_dates_at_their_edges),
        cmocka_unit_test(achievement_id_names_the_course_edition),
        cmocka_unit_test(jwt_header_names_the_key),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
