/* SPDX-License-Identifier: AGPL-3.0-or-later */
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
#include <unistd.h>
#include <zlib.h>

#include "base/arena.h"
#include "docs/certificate_pdf.h"
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
    json_arena_init(); /* jansson's allocator as in the aula binary */
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


/* ---- the PDF: facts embedded and read back, names that cannot print ---- */

static void document(struct cert_document *d, char *canonical_out, size_t n, char *sig,
                     char *kid)
{
    memset(d, 0, sizeof *d);
    d->facts = FACTS;
    d->organiser_es = "Sistema Económico Latinoamericano y del Caribe (SELA)";
    d->organiser_en = "Latin American and Caribbean Economic System (SELA)";
    d->partners_es = "";
    d->partners_en = "";
    d->nsignatories = 1;
    d->signatories[0].name = "Clarems Endara";
    d->signatories[0].title_es = "Secretario Permanente";
    d->signatories[0].title_en = "Permanent Secretary";
    char *c = cert_facts_canonical(&d->facts);
    snprintf(canonical_out, n, "%s", c);
    free(c);
    assert_true(cert_sign_canonical(canonical_out, sk, sig, CERT_SIG_B64_SIZE));
    cert_key_id(pk, kid);
    d->facts_json = canonical_out;
    d->signature = sig;
    d->key_id = kid;
}

static void test_pdf_round_trip(void **state)
{
    (void)state;
    struct cert_document d;
    char canonical[2048], sig[CERT_SIG_B64_SIZE], kid[CERT_KEY_ID_SIZE], err[300];
    document(&d, canonical, sizeof canonical, sig, kid);
    unsigned char *pdf = NULL, *again = NULL;
    size_t len = 0, len2 = 0;
    if (!cert_pdf_render(&d, &pdf, &len, err, sizeof err))
        fail_msg("render: %s", err);
    assert_true(len > 1000);
    assert_memory_equal(pdf, "%PDF-", 5);

    char *facts = NULL, *signature = NULL, kid2[CERT_KEY_ID_SIZE];
    assert_true(cert_pdf_read_facts_mem(pdf, len, &facts, &signature, kid2, err, sizeof err));
    assert_string_equal(facts, canonical);
    assert_string_equal(signature, sig);
    assert_string_equal(kid2, kid);
    assert_true(cert_verify(facts, signature, pk));
    free(facts);
    free(signature);

    /* The same document, the same bytes. */
    assert_true(cert_pdf_render(&d, &again, &len2, err, sizeof err));
    assert_int_equal(len, len2);
    assert_memory_equal(pdf, again, len);
    free(again);
    free(pdf);

    /* Through a file. */
    char path[] = "/tmp/aula-test-cert.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_true(cert_pdf_write(path, &d, err, sizeof err));
    assert_true(cert_pdf_read_facts(path, &facts, &signature, kid2, err, sizeof err));
    assert_string_equal(facts, canonical);
    free(facts);
    free(signature);
    unlink(path);
    assert_false(cert_pdf_read_facts(path, &facts, &signature, kid2, err, sizeof err));
    assert_non_null(strstr(err, "cannot read"));
}

/* Other programs may rewrite the Keywords as an escaped literal or a hex
 * (UTF-16BE) string; a later entry wins. */
static void test_pdf_read_string_forms(void **state)
{
    (void)state;
    char canonical[] = "{\"v\":1}";
    char b64[64];
    cert_b64url(b64, sizeof b64, canonical, strlen(canonical));
    char kw[256];
    snprintf(kw, sizeof kw, "aula-facts:%s aula-sig:c2ln aula-kid:0123456789abcdef", b64);

    /* Literal with escapes and a nested pair of parentheses. */
    char lit[512];
    snprintf(lit, sizeof lit, "%%PDF-1.5\n1 0 obj << /Title (a \\(b\\) (c)) /Keywords (\\%03o%s) >>",
             (unsigned char)kw[0], kw + 1);
    char *facts, *sig, kid[CERT_KEY_ID_SIZE], err[200];
    assert_true(cert_pdf_read_facts_mem((unsigned char *)lit, strlen(lit), &facts, &sig, kid, err,
                                        sizeof err));
    assert_string_equal(facts, canonical);
    assert_string_equal(sig, "c2ln");
    assert_string_equal(kid, "0123456789abcdef");
    free(facts);
    free(sig);

    /* Hex UTF-16BE with a byte order mark, after an older plain entry. */
    char hex[2048] = "%PDF-1.5\n/Keywords (aula-facts:e30 aula-sig:b2xk aula-kid:ffffffffffffffff)\n"
                     "/Keywords <FEFF";
    for (const char *p = kw; *p; p++)
        snprintf(hex + strlen(hex), sizeof hex - strlen(hex), "00%02X", (unsigned char)*p);
    strcat(hex, ">");
    assert_true(cert_pdf_read_facts_mem((unsigned char *)hex, strlen(hex), &facts, &sig, kid, err,
                                        sizeof err));
    assert_string_equal(facts, canonical);
    assert_string_equal(kid, "0123456789abcdef");
    free(facts);
    free(sig);

    /* Inside a compressed object stream (PDF 1.5, as qpdf or newer cairo
     * write it). */
    char dict[512];
    snprintf(dict, sizeof dict, "12 0 << /Keywords (%s) /Producer (x) >>", kw);
    unsigned char z[1024];
    uLongf zlen = sizeof z;
    assert_int_equal(compress(z, &zlen, (const Bytef *)dict, strlen(dict)), Z_OK);
    unsigned char objstm[2048];
    int head = snprintf((char *)objstm, sizeof objstm,
                        "%%PDF-1.5\n3 0 obj\n<< /Type /ObjStm /N 1 /First 5 /Filter /FlateDecode"
                        " /Length %lu >>\nstream\n",
                        (unsigned long)zlen);
    memcpy(objstm + head, z, zlen);
    memcpy(objstm + head + zlen, "\nendstream\nendobj\n", 19);
    assert_true(cert_pdf_read_facts_mem(objstm, (size_t)head + zlen + 19, &facts, &sig, kid, err,
                                        sizeof err));
    assert_string_equal(facts, canonical);
    assert_string_equal(sig, "c2ln");
    free(facts);
    free(sig);
    /* A broken object stream is skipped. */
    objstm[head + 4] ^= 0xff;
    assert_false(cert_pdf_read_facts_mem(objstm, (size_t)head + zlen + 19, &facts, &sig, kid,
                                         err, sizeof err));

    /* Nothing of ours, or broken. */
    const char *bad[] = {
        "%PDF-1.5 /Keywords (other words)",
        "%PDF-1.5 /Keywords (aula-facts:e30 aula-sig:c2ln aula-kid:short)",
        "%PDF-1.5 /Keywords (aula-facts:!!! aula-sig:c2ln aula-kid:0123456789abcdef)",
        "%PDF-1.5 /Keywords (aula-facts:e30 aula-sig:c2ln aula-kid:0123456789abcdef",
        "%PDF-1.5 /Keywords <FEFF0061",
        "%PDF-1.5 /Keywords",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(cert_pdf_read_facts_mem((const unsigned char *)bad[i], strlen(bad[i]), &facts,
                                             &sig, kid, err, sizeof err));
        assert_null(facts);
        assert_null(sig);
    }
}

static void test_pdf_names(void **state)
{
    (void)state;
    struct cert_document d;
    char canonical[4096], sig[CERT_SIG_B64_SIZE], kid[CERT_KEY_ID_SIZE], err[300];
    unsigned char *pdf;
    size_t len;
    /* Scripts the Noto fonts cover render. */
    const char *ok[] = {"Ηλέκτρα Παπαδοπούλου", "Анна Сергеевна Иванова", "فاطمة الزهراء بن علي",
                        "Guðrún Ósk Þórðardóttir",
                        ("María José Núñez de la Concepción Altagracia Pérez-Rodríguez y "
                         "Fernández de Córdoba Hohenzollern-Sigmaringen")};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        document(&d, canonical, sizeof canonical, sig, kid);
        d.facts.name = ok[i];
        if (!cert_pdf_render(&d, &pdf, &len, err, sizeof err))
            fail_msg("%s: %s", ok[i], err);
        free(pdf);
    }
    /* A character no installed font has: a loud failure naming it. */
    document(&d, canonical, sizeof canonical, sig, kid);
    d.facts.name = "Ana \xee\x80\x80 Pérez"; /* U+E000, private use */
    assert_false(cert_pdf_render(&d, &pdf, &len, err, sizeof err));
    assert_null(pdf);
    assert_non_null(strstr(err, "the name"));
    assert_non_null(strstr(err, "U+E000"));
    /* Far too long to print in two lines. */
    char longname[2000] = "";
    for (int i = 0; i < 60; i++)
        strcat(longname, "Nombre ");
    d.facts.name = longname;
    assert_false(cert_pdf_render(&d, &pdf, &len, err, sizeof err));
    assert_non_null(strstr(err, "too long"));
    /* No signed facts, nothing rendered. */
    document(&d, canonical, sizeof canonical, sig, kid);
    d.signature = "";
    assert_false(cert_pdf_render(&d, &pdf, &len, err, sizeof err));
    d.signature = sig;
    d.key_id = "not-a-key-id";
    assert_false(cert_pdf_render(&d, &pdf, &len, err, sizeof err));
}

/* Under AddressSanitizer: fontconfig keeps one small allocation for the
 * life of the process that it never frees (one, however many certificates
 * are drawn); not ours to report. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n";
}

static int teardown(void **state)
{
    (void)state;
    cert_pdf_thread_cleanup();
    return 0;
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
        cmocka_unit_test(test_pdf_round_trip),
        cmocka_unit_test(test_pdf_read_string_forms),
        cmocka_unit_test(test_pdf_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
