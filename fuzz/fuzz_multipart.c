/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: form_parse_multipart.
 *
 * Each input is parsed twice: whole, as the body of a request with the
 * fixed content type "multipart/form-data; boundary=XyZ"; and split at its
 * first newline, the first line giving the content type (taken whole when it
 * has "boundary=", else used as the boundary) and the rest the body.
 * Parsed parts are then validated against a small spec.  Finally the input,
 * read as name=value pairs, is encoded as multipart and must parse back. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "fuzz_check.h"
#include "http/form.h"

static const char *const kinds[] = {"session", "break", NULL};

static const struct field_spec fields[] = {
    {.name = "title", .v = V_LINE, .required = true},
    {.name = "notes", .v = V_TEXT},
    {.name = "file", .v = V_TEXT, .max_len = 100000},
    {.name = "kind", .v = V_CHOICE, .choices = kinds, .multiple = true},
    {.name = "n", .v = V_INT, .min = 0, .max = 10},
    {.name = "csrf", .v = V_TOKEN},
};
static const struct form_spec spec = FORM_SPEC(fields);

static const char fixed_ct[] = "multipart/form-data; boundary=XyZ";

static void parse(const char *ct, const uint8_t *body, size_t len, const char *boundary)
{
    arena *a = arena_new((size_t)64 << 20);
    FUZZ_CHECK(a);
    struct form_raw raw;
    bool ok = form_parse_multipart(a, ct, (const char *)body, len, &raw);
    if (ok) {
        FUZZ_CHECK(raw.n <= FORM_MAX_PAIRS);
        FUZZ_CHECK(raw.n == 0 || raw.pairs);
        for (size_t i = 0; i < raw.n; i++) {
            const struct form_pair *p = &raw.pairs[i];
            FUZZ_CHECK(p->name && p->value);
            FUZZ_CHECK(p->len <= len);
            FUZZ_CHECK(p->value[p->len] == '\0');
            if (!memchr(p->value, '\0', p->len))
                FUZZ_CHECK(strlen(p->value) == p->len);
            if (p->filename)
                FUZZ_CHECK(strlen(p->filename) <= len);
            if (p->content_type)
                FUZZ_CHECK(strlen(p->content_type) <= len);
            if (boundary) {
                /* A part's data is bytes of the body that end at CRLF and
                 * the delimiter. */
                size_t bl = strlen(boundary);
                char *needle = malloc(p->len + bl + 4);
                FUZZ_CHECK(needle);
                memcpy(needle, p->value, p->len);
                memcpy(needle + p->len, "\r\n--", 4);
                memcpy(needle + p->len + 4, boundary, bl);
                FUZZ_CHECK(memmem(body, len, needle, p->len + bl + 4) != NULL);
                free(needle);
            }
        }
        struct form_values fv;
        form_validate(a, &spec, &raw, &fv);
        FUZZ_CHECK(fv.v);
        bool fine = true;
        for (size_t i = 0; i < spec.n; i++) {
            FUZZ_CHECK(fv.v[i].s);
            if (fv.v[i].error) {
                fine = false;
                FUZZ_CHECK(!fv.v[i].present);
            }
        }
        FUZZ_CHECK(fv.ok == fine);
    }
    arena_free(a);
}

/* Round trip: the input read as name=value pairs separated by '&' (no
 * decoding), encoded as a browser would (names without quotes, CR or LF;
 * no value holding the boundary), must parse back to the same pairs. */
static void round_trip(const uint8_t *data, size_t size)
{
    if (memmem(data, size, "XyZ", 3))
        return;
    char *body = malloc(size * 2 + 200 * (size + 1) + 16);
    FUZZ_CHECK(body);
    size_t blen = 0, npairs = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i < size && data[i] != '&')
            continue;
        const uint8_t *seg = data + start;
        size_t slen = i - start;
        const uint8_t *eq = memchr(seg, '=', slen);
        size_t nl = eq ? (size_t)(eq - seg) : slen;
        blen += (size_t)sprintf(body + blen, "--XyZ\r\nContent-Disposition: form-data; name=\"");
        for (size_t k = 0; k < nl; k++) {
            char c = (char)seg[k];
            body[blen++] = c == '"' || c == '\r' || c == '\n' || c == '\0' ? '_' : c;
        }
        blen += (size_t)sprintf(body + blen, "\"\r\n\r\n");
        if (eq) {
            memcpy(body + blen, eq + 1, slen - nl - 1);
            blen += slen - nl - 1;
        }
        blen += (size_t)sprintf(body + blen, "\r\n");
        npairs++;
        start = i + 1;
    }
    blen += (size_t)sprintf(body + blen, "--XyZ--\r\n");
    arena *a = arena_new((size_t)64 << 20);
    FUZZ_CHECK(a);
    struct form_raw raw;
    bool ok = form_parse_multipart(a, fixed_ct, body, blen, &raw);
    FUZZ_CHECK(ok == (npairs <= FORM_MAX_PAIRS));
    if (ok) {
        FUZZ_CHECK(raw.n == npairs);
        start = 0;
        size_t j = 0;
        for (size_t i = 0; i <= size; i++) {
            if (i < size && data[i] != '&')
                continue;
            const uint8_t *seg = data + start;
            size_t slen = i - start;
            const uint8_t *eq = memchr(seg, '=', slen);
            size_t nl = eq ? (size_t)(eq - seg) : slen;
            size_t vl = eq ? slen - nl - 1 : 0;
            const struct form_pair *p = &raw.pairs[j++];
            FUZZ_CHECK(p->len == vl && (vl == 0 || memcmp(p->value, eq + 1, vl) == 0));
            FUZZ_CHECK(!p->filename && !p->content_type);
            for (size_t k = 0; k < nl; k++) {
                char c = (char)seg[k];
                if (c == '"' || c == '\r' || c == '\n' || c == '\0')
                    c = '_';
                FUZZ_CHECK(p->name[k] == c);
            }
            FUZZ_CHECK(p->name[nl] == '\0');
            start = i + 1;
        }
    }
    arena_free(a);
    free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse(fixed_ct, data, size, "XyZ");
    round_trip(data, size);

    const uint8_t *nl = memchr(data, '\n', size);
    if (!nl)
        return 0;
    size_t ll = (size_t)(nl - data);
    size_t cl = ll && data[ll - 1] == '\r' ? ll - 1 : ll;
    static const char prefix[] = "multipart/form-data; boundary=";
    char *ct = malloc(sizeof prefix + cl);
    FUZZ_CHECK(ct);
    char *line = ct;
    if (!memmem(data, cl, "boundary=", 9)) {
        memcpy(ct, prefix, sizeof prefix - 1);
        line = ct + sizeof prefix - 1;
    }
    memcpy(line, data, cl);
    line[cl] = '\0';
    parse(ct, nl + 1, size - ll - 1, NULL);
    free(ct);
    return 0;
}
