/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: form_parse_urlencoded, checked against a small
 * reference decoder, then form_validate against a spec that uses every
 * validator, checking what handlers rely on. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/text.h"
#include "fuzz_check.h"
#include "http/form.h"

static const char *const colours[] = {"red", "green", "blue", NULL};

static const struct field_spec fields[] = {
    {.name = "title", .v = V_LINE, .required = true},
    {.name = "body", .v = V_TEXT, .max_len = 64},
    {.name = "email", .v = V_EMAIL},
    {.name = "n", .v = V_INT, .min = -5, .max = 100},
    {.name = "big", .v = V_INT, .min = -9223372036854775807LL - 1, .max = 9223372036854775807LL},
    {.name = "date", .v = V_DATE},
    {.name = "time", .v = V_TIME},
    {.name = "when", .v = V_DATETIME},
    {.name = "slug", .v = V_SLUG, .required = true},
    {.name = "ok", .v = V_BOOL},
    {.name = "colour", .v = V_CHOICE, .choices = colours},
    {.name = "tags", .v = V_CHOICE, .choices = colours, .multiple = true},
    {.name = "tz", .v = V_TZ},
    {.name = "url", .v = V_URL},
    {.name = "pw", .v = V_PASSWORD, .max_len = 8},
    {.name = "csrf", .v = V_TOKEN, .max_len = 43},
    {.name = "", .v = V_LINE},
};
static const struct form_spec spec = FORM_SPEC(fields);

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Reference decoding of s[0..n) into out (at least n bytes); -1 when
 * malformed. */
static long ref_decode(const unsigned char *s, size_t n, char *out)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[j++] = ' ';
        } else if (s[i] == '%') {
            if (n - i < 3 || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
                return -1;
            out[j++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out[j++] = (char)s[i];
        }
    }
    return (long)j;
}

/* Compares the parse with the reference: same success, same pairs. */
static void check_against_reference(const uint8_t *data, size_t size, bool ok,
                                    const struct form_raw *raw)
{
    char *buf = malloc(size + 1);
    FUZZ_CHECK(buf);
    size_t npairs = 0, start = 0;
    bool ref_ok = true;
    for (size_t i = 0; i <= size && ref_ok; i++) {
        if (i < size && data[i] != '&')
            continue;
        if (i > start) {
            const uint8_t *seg = data + start;
            size_t slen = i - start;
            const uint8_t *eq = memchr(seg, '=', slen);
            size_t klen = eq ? (size_t)(eq - seg) : slen;
            long k = ref_decode(seg, klen, buf);
            if (k < 0) {
                ref_ok = false;
                break;
            }
            if (ok) {
                FUZZ_CHECK(npairs < raw->n);
                FUZZ_CHECK(memcmp(raw->pairs[npairs].name, buf, (size_t)k) == 0);
                FUZZ_CHECK(raw->pairs[npairs].name[k] == '\0');
            }
            long v = eq ? ref_decode(eq + 1, slen - klen - 1, buf) : 0;
            if (v < 0) {
                ref_ok = false;
                break;
            }
            if (ok) {
                FUZZ_CHECK(raw->pairs[npairs].len == (size_t)v);
                FUZZ_CHECK(memcmp(raw->pairs[npairs].value, buf, (size_t)v) == 0);
            }
            npairs++;
        }
        start = i + 1;
    }
    if (npairs > FORM_MAX_PAIRS)
        ref_ok = false;
    FUZZ_CHECK(ok == ref_ok);
    if (ok)
        FUZZ_CHECK(npairs == raw->n);
    free(buf);
}

static bool in_list(const char *const *list, const char *s)
{
    for (; *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static bool has_control(const char *s, bool allow_newlines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p == 0x7f || (*p < 0x20 && !(allow_newlines && (*p == '\n' || *p == '\t'))))
            return true;
    return false;
}

static void check_values(const struct form_raw *raw, const struct form_values *fv)
{
    bool all_fine = true;
    FUZZ_CHECK(fv->spec == &spec);
    FUZZ_CHECK(fv->v);
    for (size_t i = 0; i < spec.n; i++) {
        const struct field_spec *f = &spec.fields[i];
        const struct field_value *v = &fv->v[i];
        FUZZ_CHECK(v->s);
        FUZZ_CHECK(form_get(fv, f->name) == v || strcmp(f->name, "") == 0);
        if (v->error) {
            all_fine = false;
            FUZZ_CHECK(!v->present);
            FUZZ_CHECK(strncmp(v->error, "error.", 6) == 0);
            continue;
        }
        bool given = false;
        for (size_t j = 0; j < raw->n; j++)
            if (strcmp(raw->pairs[j].name, f->name) == 0)
                given = true;
        if (!given)
            FUZZ_CHECK(!v->present && !f->required && !*v->s);
        if (f->required)
            FUZZ_CHECK(v->present);
        if (!v->present)
            continue;
        size_t max = f->max_len ? f->max_len : (f->v == V_TEXT ? 20000 : 500);
        FUZZ_CHECK(strlen(v->s) <= max);
        FUZZ_CHECK(utf8_valid(v->s, strlen(v->s)));
        if (f->v != V_BOOL)
            FUZZ_CHECK(*v->s);
        if (f->v != V_PASSWORD && *v->s) {
            /* Trimmed. */
            char c = v->s[strlen(v->s) - 1];
            FUZZ_CHECK(v->s[0] != ' ' && v->s[0] != '\t' && v->s[0] != '\n' && v->s[0] != '\r');
            FUZZ_CHECK(c != ' ' && c != '\t' && c != '\n' && c != '\r');
        }
        switch (f->v) {
        case V_LINE:
        case V_PASSWORD:
        case V_URL:
            FUZZ_CHECK(!has_control(v->s, false));
            break;
        case V_TEXT:
            FUZZ_CHECK(!has_control(v->s, true));
            FUZZ_CHECK(!strchr(v->s, '\r'));
            break;
        case V_EMAIL:
            FUZZ_CHECK(email_valid(v->s));
            break;
        case V_INT:
            FUZZ_CHECK(v->i >= f->min && v->i <= f->max);
            break;
        case V_SLUG:
            FUZZ_CHECK(slug_valid(v->s));
            break;
        case V_BOOL:
            FUZZ_CHECK(v->i == 1 && form_bool(fv, f->name));
            break;
        case V_CHOICE:
            if (f->multiple) {
                FUZZ_CHECK(v->nmany > 0 && v->nmany <= raw->n);
                for (size_t k = 0; k < v->nmany; k++)
                    FUZZ_CHECK(in_list(f->choices, v->many[k]));
            } else {
                FUZZ_CHECK(in_list(f->choices, v->s));
            }
            break;
        case V_TOKEN:
            FUZZ_CHECK(strspn(v->s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-_") == strlen(v->s));
            break;
        default:
            break;
        }
    }
    FUZZ_CHECK(fv->ok == all_fine);
    /* A name nobody declared reads as empty. */
    FUZZ_CHECK(strcmp(form_str(fv, "undeclared"), "") == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new((size_t)64 << 20);
    FUZZ_CHECK(a);
    struct form_raw raw;
    bool ok = form_parse_urlencoded(a, (const char *)data, size, &raw);
    FUZZ_CHECK(!arena_exhausted(a));
    check_against_reference(data, size, ok, &raw);
    if (ok) {
        FUZZ_CHECK(raw.n <= FORM_MAX_PAIRS);
        for (size_t i = 0; i < raw.n; i++) {
            const struct form_pair *p = &raw.pairs[i];
            FUZZ_CHECK(p->name && p->value);
            FUZZ_CHECK(p->value[p->len] == '\0');
            /* NUL-terminated with len == strlen, unless it holds a NUL
             * (which validation then rejects). */
            if (!memchr(p->value, '\0', p->len))
                FUZZ_CHECK(strlen(p->value) == p->len);
            if (i == 0)
                FUZZ_CHECK(form_raw_get(&raw, p->name) == p->value);
        }
        struct form_values fv;
        form_validate(a, &spec, &raw, &fv);
        check_values(&raw, &fv);
    }
    arena_free(a);
    return 0;
}
