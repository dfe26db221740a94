/* Certificates: canonical facts, Ed25519 signatures, key ids, and the Open
 * Badges 3.0 VC-JWT. */
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

/* A fixed key pair, so that expected values are stable. */
static unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];

static const struct cert_facts FACTS = {
    .number = "SELA-2022-CYB-0007",
    .name = "María José Núñez de la Concepción Altagracia Pérez-Rodríguez",
    .form_of_address = "Embajadora",
    .course_es = "Ciberseguridad y diplomacia",
    .course_en = "Cybersecurity and diplomacy",
    .edition_es = "Edición 2022",
    .edition_en = "2022 edition",
    .hours = 16,
    .dates_es = "21–22 de marzo de 2022",
    .dates_en = "21–22 March 2022",
    .issued_on = "2022-03-22",
    .verify_url = "https://aula.example.org/verify/SELA-2022-CYB-0007",
};

static const char EXPECTED_CANONICAL[] =
    "{\"course_en\":\"Cybersecurity and diplomacy\","
    "\"course_es\":\"Ciberseguridad y diplomacia\","
    "\"dates_en\":\"21–22 March 2022\","
    "\"dates_es\":\"21–22 de marzo de 2022\","
    "\"edition_en\":\"2022 edition\","
    "\"edition_es\":\"Edición 2022\","
    "\"form_of_address\":\"Embajadora\","
    "\"hours\":16,"
    "\"issued_on\":\"2022-03-22\","
    "\"name\":\"María José Núñez de la Concepción Altagracia Pérez-Rodríguez\","
    "\"number\":\"SELA-2022-CYB-0007\","
    "\"v\":1,"
    "\"verify_url\":\"https://aula.example.org/verify/SELA-2022-CYB-0007\"}";

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    unsigned char seed[crypto_sign_SEEDBYTES];
    for (size_t i = 0; i < sizeof seed; i++)
        seed[i] = (unsigned char)i;
    crypto_sign_seed_keypair(pk, sk, seed);
    return 0;
}

static void test_canonical_exact(void **state)
{
    (void)state;
    char *c = cert_facts_canonical(&FACTS);
    assert_non_null(c);
    assert_string_equal(c, EXPECTED_CANONICAL);
    /* Byte-stable: the same facts give the same bytes, every time. */
    for (int i = 0; i < 5; i++) {
        char *again = cert_facts_canonical(&FACTS);
        assert_string_equal(again, c);
        free(again);
    }
    free(c);
}

/* Skips a JSON string starting at p (on its opening quote); returns the
 * character after the closing quote. */
static const char *skip_string(const char *p)
{
    assert_int_equal(*p, '"');
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\')
            p++;
    assert_int_equal(*p, '"');
    return p + 1;
}

static void test_canonical_sorted_and_compact(void **state)
{
    (void)state;
    char *c = cert_facts_canonical(&FACTS);
    json_error_t e;
    json_t *o = json_loads(c, 0, &e);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 13);
    assert_int_equal(json_integer_value(json_object_get(o, "v")), 1);
    json_decref(o);

    /* Walk the flat object: {"key":value,"key":value...} with nothing
     * between the tokens, keys in strictly increasing byte order. */
    const char *p = c;
    assert_int_equal(*p++, '{');
    char prev[64] = "";
    int nkeys = 0;
    for (;;) {
        const char *k = p;
        p = skip_string(p);
        char key[64];
        size_t kl = (size_t)(p - k - 2);
        assert_true(kl < sizeof key);
        memcpy(key, k + 1, kl);
        key[kl] = '\0';
        assert_true(strcmp(prev, key) < 0);
        memcpy(prev, key, kl + 1);
        nkeys++;
        assert_int_equal(*p++, ':');
        if (*p == '"')
            p = skip_string(p);
        else
            while (*p >= '0' && *p <= '9')
                p++;
        if (*p == ',') {
            p++;
            continue;
        }
        assert_int_equal(*p++, '}');
        break;
    }
    assert_int_equal(*p, '\0');
    assert_int_equal(nkeys, 13);
    /* UTF-8 kept as it is, no escaped slashes. */
    assert_null(strstr(c, "\\u"));
    assert_non_null(strstr(c, "Núñez"));
    assert_null(strstr(c, "\\/"));
    free(c);
}

/* Field order of the struct does not matter, and strings that need JSON
 * escapes are escaped the one way jansson does. */
static void test_canonical_escapes(void **state)
{
    (void)state;
    struct cert_facts f = FACTS;
    f.name = "Ana \"Nani\" O\\Brien\t/x";
    f.form_of_address = NULL;
    char *c = cert_facts_canonical(&f);
    assert_non_null(c);
    assert_non_null(strstr(c, "\"name\":\"Ana \\\"Nani\\\" O\\\\Brien\\t/x\""));
    assert_non_null(strstr(c, "\"form_of_address\":\"\""));
    free(c);

    /* Not UTF-8: no canonical form, nothing signed. */
    f.name = "Ana \xff";
    assert_null(cert_facts_canonical(&f));
    char sig[CERT_SIG_B64_SIZE];
    assert_false(cert_sign(&f, sk, sig, sizeof sig));
}

static void test_sign_verify(void **state)
{
    (void)state;
    char sig[CERT_SIG_B64_SIZE];
    assert_true(cert_sign(&FACTS, sk, sig, sizeof sig));
    assert_int_equal(strlen(sig), CERT_SIG_B64_LEN);
    assert_null(strpbrk(sig, "+/="));
    char *c = cert_facts_canonical(&FACTS);
    assert_true(cert_verify(c, sig, pk));
    /* Ed25519 is deterministic. */
    char sig2[CERT_SIG_B64_SIZE];
    assert_true(cert_sign_canonical(c, sk, sig2, sizeof sig2));
    assert_string_equal(sig, sig2);
    /* Too small a buffer. */
    assert_false(cert_sign(&FACTS, sk, sig2, CERT_SIG_B64_LEN));

    /* Another key does not verify it. */
    unsigned char pk2[crypto_sign_PUBLICKEYBYTES], sk2[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk2, sk2);
    assert_false(cert_verify(c, sig, pk2));
    free(c);
}

static void test_tampered_facts_fail(void **state)
{
    (void)state;
    char sig[CERT_SIG_B64_SIZE];
    assert_true(cert_sign(&FACTS, sk, sig, sizeof sig));
    char *c = cert_facts_canonical(&FACTS);
    size_t n = strlen(c);
    /* Every single changed byte breaks the signature. */
    for (size_t i = 0; i < n; i++) {
        char saved = c[i];
        c[i] = (char)(c[i] ^ 0x01);
        if (c[i] == '\0')
            c[i] = 'x';
        assert_false(cert_verify(c, sig, pk));
        c[i] = saved;
    }
    assert_true(cert_verify(c, sig, pk));

    /* Changed hours, rebuilt canonically: fails too. */
    struct cert_facts f = FACTS;
    f.hours = 61;
    char *c2 = cert_facts_canonical(&f);
    assert_false(cert_verify(c2, sig, pk));
    free(c2);

    /* Extra whitespace is a different byte string. */
    char *spaced = malloc(n + 2);
    spaced[0] = ' ';
    memcpy(spaced + 1, c, n + 1);
    assert_false(cert_verify(spaced, sig, pk));
    free(spaced);

    /* A changed or malformed signature fails. */
    char bad[CERT_SIG_B64_SIZE];
    memcpy(bad, sig, sizeof bad);
    bad[10] = bad[10] == 'A' ? 'B' : 'A';
    assert_false(cert_verify(c, bad, pk));
    assert_false(cert_verify(c, "", pk));
    assert_false(cert_verify(c, "not base64!", pk));
    memcpy(bad, sig, sizeof bad);
    bad[CERT_SIG_B64_LEN - 1] = '\0';
    assert_false(cert_verify(c, bad, pk));
    assert_false(cert_verify(NULL, sig, pk));
    free(c);
}

static void test_key_id(void **state)
{
    (void)state;
    char kid[CERT_KEY_ID_SIZE];
    cert_key_id(pk, kid);
    assert_int_equal(strlen(kid), 16);
    /* First 16 hex digits of SHA-256(pk), computed independently. */
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, pk, sizeof pk);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    assert_memory_equal(kid, hex, 16);
    for (int i = 0; i < 16; i++)
        assert_non_null(strchr("0123456789abcdef", kid[i]));
    /* Known value of an all-zero key: SHA-256 of 32 zero bytes. */
    unsigned char zero[32] = {0};
    cert_key_id(zero, kid);
    assert_string_equal(kid, "66687aadf862bd77");
}

static void test_b64url(void **state)
{
    (void)state;
    char out[16];
    cert_b64url(out, sizeof out, "\xfb\xff", 2);
    assert_string_equal(out, "-_8");
    unsigned char back[4];
    size_t n = 0;
    assert_true(cert_b64url_decode("-_8", 3, back, sizeof back, &n));
    assert_int_equal(n, 2);
    assert_memory_equal(back, "\xfb\xff", 2);
    assert_false(cert_b64url_decode("+/8", 3, back, sizeof back, &n));
    assert_false(cert_b64url_decode("-_8=", 4, back, sizeof back, &n));
    assert_false(cert_b64url_decode("-_9", 3, back, sizeof back, &n)); /* stray bits */
}

/* ---- VC-JWT ---- */

static json_t *decode_part(const char *b64, size_t len)
{
    unsigned char *buf = malloc(len + 1);
    size_t n = 0;
    assert_true(cert_b64url_decode(b64, len, buf, len, &n));
    json_error_t e;
    json_t *v = json_loadb((const char *)buf, n, 0, &e);
    free(buf);
    assert_non_null(v);
    return v;
}

static const char *str(json_t *o, const char *path)
{
    /* path: "a.b.c" */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *cur = o;
    for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save))
        cur = json_object_get(cur, k);
    assert_true(json_is_string(cur));
    return json_string_value(cur);
}

static void test_jwt(void **state)
{
    (void)state;
    char kid[CERT_KEY_ID_SIZE];
    cert_key_id(pk, kid);
    char *jwt = credential_jwt(&FACTS, "https://aula.example.org", "SELA",
                               "mailto:maria@example.org", kid, sk);
    assert_non_null(jwt);

    /* Three base64url parts. */
    const char *d1 = strchr(jwt, '.');
    assert_non_null(d1);
    const char *d2 = strchr(d1 + 1, '.');
    assert_non_null(d2);
    assert_null(strchr(d2 + 1, '.'));
    assert_null(strpbrk(jwt, "+/= \n"));

    json_t *h = decode_part(jwt, (size_t)(d1 - jwt));
    assert_int_equal(json_object_size(h), 3);
    assert_string_equal(str(h, "alg"), "EdDSA");
    assert_string_equal(str(h, "typ"), "JWT");
    char want_kid[128];
    snprintf(want_kid, sizeof want_kid, "https://aula.example.org#%s", kid);
    assert_string_equal(str(h, "kid"), want_kid);

    json_t *p = decode_part(d1 + 1, (size_t)(d2 - d1 - 1));
    assert_string_equal(str(p, "iss"), "https://aula.example.org");
    assert_string_equal(str(p, "jti"), FACTS.verify_url);
    assert_string_equal(str(p, "sub"), "mailto:maria@example.org");
    assert_int_equal(json_integer_value(json_object_get(p, "nbf")), 1647907200); /* 2022-03-22Z */
    json_t *vc = json_object_get(p, "vc");
    assert_true(json_is_object(vc));
    json_t *ctx = json_object_get(vc, "@context");
    assert_int_equal(json_array_size(ctx), 2);
    assert_string_equal(json_string_value(json_array_get(ctx, 0)),
                        "https://www.w3.org/ns/credentials/v2");
    assert_string_equal(json_string_value(json_array_get(ctx, 1)),
                        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json");
    json_t *type = json_object_get(vc, "type");
    assert_string_equal(json_string_value(json_array_get(type, 0)), "VerifiableCredential");
    assert_string_equal(json_string_value(json_array_get(type, 1)), "OpenBadgeCredential");
    assert_string_equal(str(vc, "id"), FACTS.verify_url);
    assert_string_equal(str(vc, "validFrom"), "2022-03-22T00:00:00Z");
    assert_string_equal(str(vc, "issuer.id"), "https://aula.example.org");
    assert_string_equal(str(vc, "issuer.name"), "SELA");
    assert_string_equal(
        json_string_value(json_array_get(json_object_get(json_object_get(vc, "issuer"), "type"), 0)),
        "Profile");
    assert_string_equal(str(vc, "credentialSubject.id"), "mailto:maria@example.org");
    json_t *cs = json_object_get(vc, "credentialSubject");
    assert_string_equal(json_string_value(json_array_get(json_object_get(cs, "type"), 0)),
                        "AchievementSubject");
    json_t *ach = json_object_get(cs, "achievement");
    assert_string_equal(json_string_value(json_array_get(json_object_get(ach, "type"), 0)),
                        "Achievement");
    assert_int_equal(strncmp(str(ach, "id"), "urn:uuid:", 9), 0);
    assert_int_equal(strlen(str(ach, "id")), 45);
    assert_string_equal(str(ach, "name"),
                        "Ciberseguridad y diplomacia / Cybersecurity and diplomacy");
    assert_non_null(strstr(str(ach, "description"), "16 horas"));
    assert_non_null(strstr(str(ach, "description"), "16 hours"));
    assert_non_null(strstr(str(ach, "criteria.narrative"), "Cybersecurity and diplomacy"));
    assert_string_equal(str(vc, "name"), str(ach, "name"));

    /* The signature covers exactly "header.payload". */
    unsigned char sig[crypto_sign_BYTES];
    size_t n = 0;
    assert_true(cert_b64url_decode(d2 + 1, strlen(d2 + 1), sig, sizeof sig, &n));
    assert_int_equal(n, crypto_sign_BYTES);
    assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)jwt,
                                                 (size_t)(d2 - jwt), pk),
                     0);
    /* ...and nothing else. */
    jwt[5] = jwt[5] == 'A' ? 'B' : 'A';
    assert_int_not_equal(crypto_sign_verify_detached(sig, (const unsigned char *)jwt,
                                                     (size_t)(d2 - jwt), pk),
                         0);

    /* The same course edition has the same achievement id for everyone. */
    struct cert_facts other = FACTS;
    other.name = "Juan Pérez";
    other.number = "SELA-2022-CYB-0008";
    char *json2 = credential_json(&other, "https://aula.example.org", "SELA", "urn:uuid:x");
    json_error_t e;
    json_t *vc2 = json_loads(json2, 0, &e);
    assert_string_equal(str(vc2, "credentialSubject.achievement.id"), str(ach, "id"));

    json_decref(vc2);
    free(json2);
    json_decref(h);
    json_decref(p);
    free(jwt);
}

static void test_jwt_bad_date(void **state)
{
    (void)state;
    struct cert_facts f = FACTS;
    const char *bad[] = {"2022-02-30", "2022-3-22", "22-03-2022", "", "2022-03-22T00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        f.issued_on = bad[i];
        assert_null(credential_jwt(&f, "https://a.example", "A", "urn:uuid:x", "0011", sk));
    }
    f.issued_on = NULL;
    assert_null(credential_jwt(&f, "https://a.example", "A", "urn:uuid:x", "0011", sk));
}

static void test_public_jwk(void **state)
{
    (void)state;
    char kid[CERT_KEY_ID_SIZE];
    cert_key_id(pk, kid);
    char *jwk = public_jwk(pk, kid);
    assert_non_null(jwk);
    json_error_t e;
    json_t *o = json_loads(jwk, 0, &e);
    assert_non_null(o);
    assert_int_equal(json_object_size(o), 4);
    assert_string_equal(str(o, "kty"), "OKP");
    assert_string_equal(str(o, "crv"), "Ed25519");
    assert_string_equal(str(o, "kid"), kid);
    unsigned char x[32];
    size_t n = 0;
    assert_int_equal(strlen(str(o, "x")), 43);
    assert_true(cert_b64url_decode(str(o, "x"), 43, x, sizeof x, &n));
    assert_int_equal(n, 32);
    assert_memory_equal(x, pk, 32);
    json_decref(o);
    free(jwk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical_exact),
        cmocka_unit_test(test_canonical_sorted_and_compact),
        cmocka_unit_test(test_canonical_escapes),
        cmocka_unit_test(test_sign_verify),
        cmocka_unit_test(test_tampered_facts_fail),
        cmocka_unit_test(test_key_id),
        cmocka_unit_test(test_b64url),
        cmocka_unit_test(test_jwt),
        cmocka_unit_test(test_jwt_bad_date),
        cmocka_unit_test(test_public_jwk),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
