/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Form bodies: urlencoded and multipart parsing, and every validator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "http/form.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(16 << 20);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static struct form_raw parse(const char *body)
{
    struct form_raw raw;
    if (!form_parse_urlencoded(A, body, strlen(body), &raw))
        fail_msg("body did not parse: %s", body);
    return raw;
}

static bool parses(const char *body)
{
    struct form_raw raw;
    return form_parse_urlencoded(A, body, strlen(body), &raw);
}

/* ---- urlencoded ---- */

static void test_urlencoded_decoding(void **state)
{
    (void)state;
    struct form_raw r = parse("a=1&b=hello+world&c=%C3%B1%2B%26%3d&na%6De=x");
    assert_int_equal(r.n, 4);
    assert_string_equal(r.pairs[0].name, "a");
    assert_string_equal(r.pairs[0].value, "1");
    assert_int_equal(r.pairs[0].len, 1);
    assert_string_equal(r.pairs[1].value, "hello world");
    assert_string_equal(r.pairs[2].value, "ñ+&=");
    assert_int_equal(r.pairs[2].len, 5);
    assert_string_equal(r.pairs[3].name, "name");
    assert_string_equal(form_raw_get(&r, "b"), "hello world");
    assert_null(form_raw_get(&r, "zzz"));
    assert_null(r.pairs[0].filename);
}

static void test_urlencoded_empty_pairs(void **state)
{
    (void)state;
    struct form_raw r = parse("");
    assert_int_equal(r.n, 0);
    r = parse("&&a=1&&flag&b=&");
    assert_int_equal(r.n, 3);
    assert_string_equal(r.pairs[0].name, "a");
    assert_string_equal(r.pairs[1].name, "flag");
    assert_string_equal(r.pairs[1].value, "");
    assert_int_equal(r.pairs[1].len, 0);
    assert_string_equal(r.pairs[2].name, "b");
    assert_string_equal(r.pairs[2].value, "");
    /* The first '=' splits; later ones belong to the value. */
    r = parse("k=a=b");
    assert_string_equal(r.pairs[0].value, "a=b");
}

static void test_urlencoded_embedded_nul_length(void **state)
{
    (void)state;
    struct form_raw r = parse("a=x%00y");
    assert_int_equal(r.n, 1);
    assert_int_equal(r.pairs[0].len, 3);
    assert_int_equal(r.pairs[0].value[1], '\0');
}

static void test_urlencoded_malformed(void **state)
{
    (void)state;
    assert_false(parses("a=%G1"));
    assert_false(parses("a=%1G"));
    assert_false(parses("a=%4"));
    assert_false(parses("a=%"));
    assert_false(parses("a=1&b=%"));
    assert_false(parses("%ZZ=1"));
    assert_false(parses("a=%%41"));
    assert_true(parses("a=%41%42"));
    /* The body's length is what counts, not where a NUL happens to be:
     * an escape cut off by the end of the body is malformed even when the
     * bytes after it would complete it. */
    struct form_raw r;
    assert_false(form_parse_urlencoded(A, "a=%41", 4, &r));
    assert_false(form_parse_urlencoded(A, "a=%41", 3, &r));
    assert_true(form_parse_urlencoded(A, "a=%41", 5, &r));
    assert_true(form_parse_urlencoded(A, "a=b&c", 3, &r));
    assert_int_equal(r.n, 1);
    assert_string_equal(r.pairs[0].value, "b");
}

static void test_urlencoded_max_pairs(void **state)
{
    (void)state;
    strbuf sb;
    sb_init(&sb, A);
    for (int i = 0; i < FORM_MAX_PAIRS; i++)
        sb_printf(&sb, "f%d=%d&", i, i);
    struct form_raw r;
    assert_true(form_parse_urlencoded(A, sb_str(&sb), sb.len, &r));
    assert_int_equal(r.n, FORM_MAX_PAIRS);
    assert_string_equal(r.pairs[FORM_MAX_PAIRS - 1].name, "f511");
    assert_string_equal(r.pairs[300].value, "300");
    sb_puts(&sb, "one=more");
    assert_false(form_parse_urlencoded(A, sb_str(&sb), sb.len, &r));
}

/* ---- multipart ---- */

static const char MP_BODY[] =
    "preamble is ignored\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"title\"\r\n"
    "\r\n"
    "Hola --XyZ mundo\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"body\"\r\n"
    "\r\n"
    "line1\r\nline2\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"cv\"; filename=\"cv final.pdf\"\r\n"
    "Content-Type: application/pdf\r\n"
    "\r\n"
    "%PDF\0\x01\xff binary\r\n"
    "--XyZ--\r\n";

static void test_multipart_fields_and_file(void **state)
{
    (void)state;
    struct form_raw r;
    assert_true(form_parse_multipart(A, "multipart/form-data; boundary=XyZ", MP_BODY,
                                     sizeof MP_BODY - 1, &r));
    assert_int_equal(r.n, 3);
    assert_string_equal(r.pairs[0].name, "title");
    assert_string_equal(r.pairs[0].value, "Hola --XyZ mundo");
    assert_null(r.pairs[0].filename);
    assert_string_equal(r.pairs[1].name, "body");
    assert_string_equal(r.pairs[1].value, "line1\r\nline2");
    assert_string_equal(r.pairs[2].name, "cv");
    assert_string_equal(r.pairs[2].filename, "cv final.pdf");
    assert_string_equal(r.pairs[2].content_type, "application/pdf");
    assert_int_equal(r.pairs[2].len, 14);
    assert_memory_equal(r.pairs[2].value, "%PDF\0\x01\xff binary", 14);
    assert_string_equal(form_raw_get(&r, "body"), "line1\r\nline2");
}

static void test_multipart_quoted_boundary(void **state)
{
    (void)state;
    static const char body[] = "--a b\r\n"
                               "Content-Disposition: form-data; name=\"x\"\r\n\r\n"
                               "1\r\n--a b--";
    struct form_raw r;
    assert_true(form_parse_multipart(A, "multipart/form-data; boundary=\"a b\"; charset=utf-8",
                                     body, sizeof body - 1, &r));
    assert_int_equal(r.n, 1);
    assert_string_equal(r.pairs[0].value, "1");
}

static void test_multipart_malformed(void **state)
{
    (void)state;
    struct form_raw r;
    const char *ct = "multipart/form-data; boundary=XyZ";
    /* No boundary, empty boundary, no content type. */
    assert_false(form_parse_multipart(A, "multipart/form-data", MP_BODY, sizeof MP_BODY - 1, &r));
    assert_false(
        form_parse_multipart(A, "multipart/form-data; boundary=", MP_BODY, sizeof MP_BODY - 1, &r));
    assert_false(form_parse_multipart(A, NULL, MP_BODY, sizeof MP_BODY - 1, &r));
    /* A different boundary than the body's. */
    assert_false(form_parse_multipart(A, "multipart/form-data; boundary=Other", MP_BODY,
                                      sizeof MP_BODY - 1, &r));
    /* Truncated at every length before the closing delimiter. */
    const char *closing = memmem(MP_BODY, sizeof MP_BODY - 1, "--XyZ--", 7);
    assert_non_null(closing);
    size_t full = (size_t)(closing - MP_BODY) + 7;
    for (size_t len = 0; len < full; len++) {
        if (form_parse_multipart(A, ct, MP_BODY, len, &r))
            fail_msg("truncated body of %zu bytes accepted", len);
    }
    assert_true(form_parse_multipart(A, ct, MP_BODY, full, &r));
    /* A part without a name. */
    static const char noname[] = "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--";
    assert_false(form_parse_multipart(A, ct, noname, sizeof noname - 1, &r));
    /* Headers never end. */
    static const char nohdr[] = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nv\r\n--XyZ--";
    assert_false(form_parse_multipart(A, ct, nohdr, sizeof nohdr - 1, &r));
}

/* ---- validation ---- */

static struct form_values validate(const struct field_spec *fields, size_t n, const char *body)
{
    static struct form_spec spec;
    spec.fields = fields;
    spec.n = n;
    struct form_raw raw = parse(body);
    struct form_values v;
    form_validate(A, &spec, &raw, &v);
    return v;
}

#define VALIDATE(fields, body) validate(fields, sizeof fields / sizeof fields[0], body)

/* Checks one field value against a single validator: expected error key
 * (NULL when valid). */
static void check(const struct field_spec *f, const char *body, const char *want_error)
{
    struct form_values v = validate(f, 1, body);
    const struct field_value *fv = form_get(&v, f->name);
    if ((want_error == NULL) != (fv->error == NULL) ||
        (want_error && strcmp(want_error, fv->error) != 0))
        fail_msg("field %s, body \"%s\": error %s, expected %s", f->name, body,
                 fv->error ? fv->error : "(none)", want_error ? want_error : "(none)");
    assert_int_equal(v.ok, want_error == NULL);
    if (want_error)
        assert_false(fv->present);
}

static void test_required_and_trimming(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "name", .v = V_LINE, .required = true};
    check(&f, "", "error.required");
    check(&f, "name=", "error.required");
    check(&f, "name=+%09+", "error.required");
    check(&f, "other=Ana", "error.required");
    check(&f, "name=Ana", NULL);
    struct form_values v = validate(&f, 1, "name=++Ana+Mar%C3%ADa++");
    assert_string_equal(form_str(&v, "name"), "Ana María");
    assert_true(form_get(&v, "name")->present);
    /* Optional and absent: no error, not present, "". */
    static const struct field_spec opt = {.name = "note", .v = V_LINE};
    v = validate(&opt, 1, "");
    assert_true(v.ok);
    assert_false(form_get(&v, "note")->present);
    assert_string_equal(form_str(&v, "note"), "");
    /* The first value of a single field counts. */
    v = validate(&f, 1, "name=first&name=second");
    assert_string_equal(form_str(&v, "name"), "first");
}

static void test_max_len(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "s", .v = V_LINE, .max_len = 5};
    check(&f, "s=abcde", NULL);
    check(&f, "s=abcdef", "error.too_long");
    check(&f, "s=%C3%B1%C3%B1%C3%B1", "error.too_long"); /* 6 bytes */
    /* The default for a line is 500 bytes. */
    static const struct field_spec d = {.name = "s", .v = V_LINE};
    strbuf sb;
    sb_init(&sb, A);
    sb_puts(&sb, "s=");
    for (int i = 0; i < 500; i++)
        sb_putc(&sb, 'a');
    check(&d, sb_str(&sb), NULL);
    sb_putc(&sb, 'a');
    check(&d, sb_str(&sb), "error.too_long");
}

static void test_encoding(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "s", .v = V_TEXT};
    check(&f, "s=a%00b", "error.encoding");
    check(&f, "s=%00", "error.encoding");
    check(&f, "s=%C3%28", "error.encoding");     /* bad continuation */
    check(&f, "s=%C0%AF", "error.encoding");     /* overlong '/' */
    check(&f, "s=%ED%A0%80", "error.encoding");  /* surrogate */
    check(&f, "s=%F4%90%80%80", "error.encoding"); /* past U+10FFFF */
    check(&f, "s=%E2%82", "error.encoding");     /* truncated */
    check(&f, "s=%FF", "error.encoding");
    check(&f, "s=%E2%82%AC%F0%9F%98%80", NULL);
    /* Text that is not UTF-8 is not echoed back. */
    struct form_values v = validate(&f, 1, "s=%FF%3Cscript%3E");
    assert_string_equal(form_str(&v, "s"), "");
}

static void test_control_characters(void **state)
{
    (void)state;
    static const struct field_spec line = {.name = "s", .v = V_LINE};
    check(&line, "s=a%09b", "error.control");
    check(&line, "s=a%0Ab", "error.control");
    check(&line, "s=a%0Db", "error.control");
    check(&line, "s=a%07b", "error.control");
    check(&line, "s=a%1Bb", "error.control");
    check(&line, "s=a%7Fb", "error.control");
    check(&line, "s=a+b", NULL);
    static const struct field_spec text = {.name = "s", .v = V_TEXT};
    check(&text, "s=a%0D%0Ab%09c", NULL);
    check(&text, "s=a%07b", "error.control");
    check(&text, "s=a%7Fb", "error.control");
    struct form_values v = validate(&text, 1, "s=%0D%0A+one%0D%0Atwo%0D%0A+");
    assert_string_equal(form_str(&v, "s"), "one\ntwo");
    static const struct field_spec pw = {.name = "p", .v = V_PASSWORD, .required = true};
    v = validate(&pw, 1, "p=++s%C3%A9cret+");
    assert_true(v.ok);
    assert_string_equal(form_str(&v, "p"), "  sécret "); /* not trimmed */
    check(&pw, "p=a%0Ab", "error.control");
}

static void test_email(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "e", .v = V_EMAIL};
    check(&f, "e=ana%40example.org", NULL);
    check(&f, "e=ana.perez%2Bsela%40mre.gob.ve", NULL);
    static const char *const bad[] = {
        "e=ana", "e=ana%40", "e=%40example.org", "e=ana%40example", "e=ana%40%40example.org",
        "e=ana+p%40example.org", "e=%3Cana%40example.org%3E", "e=ana%40example..org",
        "e=ana%40example.org.", "e=%22a%22%40example.org", "e=ana%40.org",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check(&f, bad[i], "error.email");
    /* What was typed comes back for the form. */
    struct form_values v = validate(&f, 1, "e=+not-an-email+");
    assert_string_equal(form_get(&v, "e")->error, "error.email");
    assert_string_equal(form_str(&v, "e"), "not-an-email");
}

static void test_int(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "n", .v = V_INT, .min = -5, .max = 10};
    struct form_values v = validate(&f, 1, "n=+7+");
    assert_true(v.ok);
    assert_int_equal(form_int(&v, "n"), 7);
    v = validate(&f, 1, "n=-5");
    assert_int_equal(form_int(&v, "n"), -5);
    check(&f, "n=10", NULL);
    check(&f, "n=11", "error.range");
    check(&f, "n=-6", "error.range");
    check(&f, "n=99999999999999999999", "error.range");
    check(&f, "n=abc", "error.integer");
    check(&f, "n=5x", "error.integer");
    check(&f, "n=1.5", "error.integer");
    check(&f, "n=0x5", "error.integer");
    check(&f, "n=", NULL);
    v = validate(&f, 1, "n=12");
    assert_string_equal(form_str(&v, "n"), "12");
    assert_int_equal(form_int(&v, "n"), 0);
}

static void test_date_time(void **state)
{
    (void)state;
    static const struct field_spec d = {.name = "d", .v = V_DATE};
    check(&d, "d=2022-03-21", NULL);
    check(&d, "d=2024-02-29", NULL);
    check(&d, "d=2023-02-29", "error.date");
    check(&d, "d=2022-04-31", "error.date");
    check(&d, "d=2022-13-01", "error.date");
    check(&d, "d=2022-00-10", "error.date");
    check(&d, "d=2022-3-21", "error.date");
    check(&d, "d=21%2F03%2F2022", "error.date");
    check(&d, "d=2022-03-21x", "error.date");
    static const struct field_spec t = {.name = "t", .v = V_TIME};
    check(&t, "t=09:00", NULL);
    check(&t, "t=00:00", NULL);
    check(&t, "t=23:59", NULL);
    check(&t, "t=24:00", "error.time");
    check(&t, "t=09:60", "error.time");
    check(&t, "t=9:00", "error.time");
    check(&t, "t=09.00", "error.time");
    check(&t, "t=09:00:00", "error.time");
    static const struct field_spec dt = {.name = "dt", .v = V_DATETIME};
    check(&dt, "dt=2022-03-21T09:00", NULL);
    check(&dt, "dt=2024-02-29T23:59", NULL);
    check(&dt, "dt=2022-03-21+09:00", "error.datetime");
    check(&dt, "dt=2023-02-29T09:00", "error.datetime");
    check(&dt, "dt=2022-03-21T25:00", "error.datetime");
    check(&dt, "dt=2022-03-21T09:00Z", "error.datetime");
    struct form_values v = validate(&d, 1, "d=2023-02-29");
    assert_string_equal(form_str(&v, "d"), "2023-02-29");
}

static void test_slug(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "s", .v = V_SLUG};
    check(&f, "s=sela-2022", NULL);
    check(&f, "s=2022", NULL);
    static const char *const bad[] = {"s=Sela", "s=-sela", "s=sela-", "s=sela_2022",
                                      "s=sel%C3%A1", "s=a+b", "s=a%2Fb", "s=..", "s=a.b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        check(&f, bad[i], "error.slug");
}

static void test_bool(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "ok", .v = V_BOOL};
    struct form_values v = validate(&f, 1, "ok=on");
    assert_true(v.ok);
    assert_true(form_bool(&v, "ok"));
    assert_int_equal(form_int(&v, "ok"), 1);
    v = validate(&f, 1, "ok=");
    assert_true(form_bool(&v, "ok"));
    v = validate(&f, 1, "other=on");
    assert_true(v.ok);
    assert_false(form_bool(&v, "ok"));
    assert_int_equal(form_int(&v, "ok"), 0);
    /* A required checkbox must be ticked. */
    static const struct field_spec req = {.name = "agree", .v = V_BOOL, .required = true};
    check(&req, "", "error.required");
    check(&req, "agree=yes", NULL);
}

static const char *const LANGS[] = {"es", "en", NULL};
static const char *const KINDS[] = {"welcome", "session", "break", "closing", NULL};

static void test_choice(void **state)
{
    (void)state;
    static const struct field_spec f = {.name = "lang", .v = V_CHOICE, .choices = LANGS};
    check(&f, "lang=es", NULL);
    check(&f, "lang=en", NULL);
    check(&f, "lang=fr", "error.choice");
    check(&f, "lang=ES", "error.choice");
    check(&f, "lang=e", "error.choice");
    struct form_values v = validate(&f, 1, "lang=fr");
    assert_string_equal(form_str(&v, "lang"), "fr");
}

static void test_multiple_choice(void **state)
{
    (void)state;
    static const struct field_spec f = {
        .name = "k", .v = V_CHOICE, .choices = KINDS, .multiple = true};
    struct form_values v = validate(&f, 1, "k=welcome&x=1&k=break&k=closing");
    assert_true(v.ok);
    const struct field_value *fv = form_get(&v, "k");
    assert_true(fv->present);
    assert_int_equal(fv->nmany, 3);
    assert_string_equal(fv->many[0], "welcome");
    assert_string_equal(fv->many[1], "break");
    assert_string_equal(fv->many[2], "closing");
    check(&f, "k=welcome&k=party", "error.choice");
    v = validate(&f, 1, "");
    assert_true(v.ok);
    assert_false(form_get(&v, "k")->present);
    assert_int_equal(form_get(&v, "k")->nmany, 0);
    static const struct field_spec req = {
        .name = "k", .v = V_CHOICE, .choices = KINDS, .multiple = true, .required = true};
    check(&req, "", "error.required");
    check(&req, "k=break", NULL);
}

static void test_tz_url_token(void **state)
{
    (void)state;
    static const struct field_spec tz = {.name = "tz", .v = V_TZ};
    check(&tz, "tz=America%2FCaracas", NULL);
    check(&tz, "tz=Europe%2FMadrid", NULL);
    check(&tz, "tz=UTC", NULL);
    check(&tz, "tz=Mars%2FBase", "error.timezone");
    check(&tz, "tz=..%2F..%2Fetc%2Fpasswd", "error.timezone");
    check(&tz, "tz=%2Fetc%2Fpasswd", "error.timezone");
    check(&tz, "tz=America", "error.timezone"); /* a directory, not a zone */
    static const struct field_spec url = {.name = "u", .v = V_URL};
    check(&url, "u=https%3A%2F%2Fwww.sela.org%2Fes%2F%3Fa%3D1", NULL);
    check(&url, "u=http%3A%2F%2Fexample.org", NULL);
    check(&url, "u=javascript%3Aalert(1)", "error.url");
    check(&url, "u=ftp%3A%2F%2Fexample.org", "error.url");
    check(&url, "u=%2F%2Fexample.org", "error.url");
    check(&url, "u=https%3A%2F%2Fexa+mple.org", "error.url");
    check(&url, "u=https%3A%2F%2Fx.org%22onmouseover%3D%22a", "error.url");
    check(&url, "u=https%3A%2F%2Fx.org%3Cscript", "error.url");
    check(&url, "u=https%3A%2F%2Fx.org%0Ay", "error.url");
    static const struct field_spec tok = {.name = "t", .v = V_TOKEN};
    check(&tok, "t=abc_DEF-123", NULL);
    check(&tok, "t=abc%24", "error.invalid");
    check(&tok, "t=a.b", "error.invalid");
    check(&tok, "t=a%2Fb", "error.invalid");
    check(&tok, "t=a+b", "error.invalid");
    check(&tok, "t=%C3%B1", "error.invalid");
}

static void test_unknown_fields_dropped(void **state)
{
    (void)state;
    static const struct field_spec fields[] = {
        {.name = "title", .v = V_LINE, .required = true},
        {.name = "hours", .v = V_INT, .min = 1, .max = 100},
    };
    struct form_values v = VALIDATE(fields, "role=admin&title=Hola&is_admin=1&hours=20");
    assert_true(v.ok);
    assert_int_equal(v.spec->n, 2);
    assert_string_equal(form_str(&v, "title"), "Hola");
    assert_int_equal(form_int(&v, "hours"), 20);
    /* Undeclared names read as empty. */
    assert_string_equal(form_str(&v, "role"), "");
    assert_false(form_bool(&v, "is_admin"));
    assert_null(form_get(&v, "role")->error);
}

static void test_errors_keep_entered_values(void **state)
{
    (void)state;
    static const struct field_spec fields[] = {
        {.name = "title", .v = V_LINE, .required = true},
        {.name = "email", .v = V_EMAIL, .required = true},
        {.name = "date", .v = V_DATE},
        {.name = "hours", .v = V_INT, .min = 1, .max = 100},
        {.name = "kind", .v = V_CHOICE, .choices = KINDS},
    };
    struct form_values v =
        VALIDATE(fields, "title=Curso&email=ana%40&date=+2023-02-29+&hours=500&kind=party");
    assert_false(v.ok);
    assert_null(form_get(&v, "title")->error);
    assert_string_equal(form_str(&v, "title"), "Curso");
    assert_string_equal(form_get(&v, "email")->error, "error.email");
    assert_string_equal(form_str(&v, "email"), "ana@");
    assert_string_equal(form_get(&v, "date")->error, "error.date");
    assert_string_equal(form_str(&v, "date"), "2023-02-29");
    assert_string_equal(form_get(&v, "hours")->error, "error.range");
    assert_string_equal(form_str(&v, "hours"), "500");
    assert_false(form_get(&v, "hours")->present);
    assert_string_equal(form_get(&v, "kind")->error, "error.choice");
    assert_string_equal(form_str(&v, "kind"), "party");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_urlencoded_decoding),
        cmocka_unit_test(test_urlencoded_empty_pairs),
        cmocka_unit_test(test_urlencoded_embedded_nul_length),
        cmocka_unit_test(test_urlencoded_malformed),
        cmocka_unit_test(test_urlencoded_max_pairs),
        cmocka_unit_test(test_multipart_fields_and_file),
        cmocka_unit_test(test_multipart_quoted_boundary),
        cmocka_unit_test(test_multipart_malformed),
        cmocka_unit_test(test_required_and_trimming),
        cmocka_unit_test(test_max_len),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_control_characters),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_int),
        cmocka_unit_test(test_date_time),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_bool),
        cmocka_unit_test(test_choice),
        cmocka_unit_test(test_multiple_choice),
        cmocka_unit_test(test_tz_url_token),
        cmocka_unit_test(test_unknown_fields_dropped),
        cmocka_unit_test(test_errors_keep_entered_values),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
