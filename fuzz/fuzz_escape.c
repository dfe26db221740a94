/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: every escaper of src/base/escape.h on the input (as a
 * NUL-terminated string), each output decoded back and checked for what its
 * context forbids. */
#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/escape.h"
#include "base/strbuf.h"
#include "base/text.h"
#include "fuzz_check.h"

/* Output that is a prefix "x" plus the escaped text: the escapers append. */
static const char *run(arena *a, void (*esc)(strbuf *, const char *), const char *s, size_t *len)
{
    strbuf sb;
    sb_init(&sb, a);
    sb_puts(&sb, "x");
    esc(&sb, s);
    FUZZ_CHECK(!sb.failed);
    FUZZ_CHECK(sb.len >= 1 && sb_str(&sb)[0] == 'x');
    FUZZ_CHECK(strlen(sb_str(&sb)) == sb.len);
    *len = sb.len - 1;
    return sb_str(&sb) + 1;
}

static void check_html(arena *a, const char *s, bool attr)
{
    size_t n;
    const char *o = run(a, attr ? esc_html_attr : esc_html_text, s, &n);
    FUZZ_CHECK(!strpbrk(o, attr ? "<>\"'`" : "<>"));
    /* Decoding the entities gives the input back. */
    static const struct { const char *ent, c; } ents[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''},
        {"&#96;", '`'}};
    const char *in = s;
    for (size_t i = 0; i < n;) {
        if (o[i] == '&') {
            size_t k, nents = attr ? 6 : 3;
            for (k = 0; k < nents; k++)
                if (strncmp(o + i, ents[k].ent, strlen(ents[k].ent)) == 0)
                    break;
            FUZZ_CHECK(k < nents);
            FUZZ_CHECK(*in++ == ents[k].c);
            i += strlen(ents[k].ent);
        } else {
            FUZZ_CHECK(*in++ == o[i++]);
        }
    }
    FUZZ_CHECK(*in == '\0');
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1; /* lower case is not what esc_url_component writes */
}

static void check_url(arena *a, const char *s)
{
    size_t n;
    const char *o = run(a, esc_url_component, s, &n);
    const char *in = s;
    for (size_t i = 0; i < n;) {
        char c = o[i];
        if (c == '%') {
            FUZZ_CHECK(i + 2 < n && hexval(o[i + 1]) >= 0 && hexval(o[i + 2]) >= 0);
            unsigned char b = (unsigned char)(hexval(o[i + 1]) * 16 + hexval(o[i + 2]));
            FUZZ_CHECK((unsigned char)*in++ == b);
            i += 3;
        } else {
            FUZZ_CHECK((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~');
            FUZZ_CHECK(*in++ == c);
            i++;
        }
    }
    FUZZ_CHECK(*in == '\0');
}

static bool csv_lead(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* Where a piece of a cell (its start, or after ; , or a line break) has its
 * formula trigger, after the spaces and quotes that may lead it; or NULL. */
static const char *piece_trigger(const char *p)
{
    while (*p == ' ' || *p == '"')
        p++;
    return csv_lead(*p) ? p : NULL;
}

static void check_csv(arena *a, const char *s)
{
    size_t n;
    const char *o = run(a, esc_csv_cell, s, &n);
    /* Split at ; , and line breaks, as a ;-locale spreadsheet or a naive
     * reader would: no piece of the raw field starts with a formula. */
    for (const char *p = o;; ) {
        FUZZ_CHECK(!piece_trigger(p));
        size_t k = strcspn(p, ";,\n\r");
        if (!p[k])
            break;
        p += k + 1;
    }
    if (n == 0 || o[0] != '"') {
        /* Unquoted: the text itself, which nothing needed quoting for. */
        FUZZ_CHECK(strcmp(o, s) == 0);
        FUZZ_CHECK(!strpbrk(o, ",;\"\r\n"));
        return;
    }
    /* Quoted: "..." with inner quotes doubled. */
    FUZZ_CHECK(n >= 2 && o[n - 1] == '"');
    char *cell = arena_alloc(a, n);
    FUZZ_CHECK(cell);
    size_t j = 0;
    for (size_t i = 1; i < n - 1; i++) {
        if (o[i] == '"') {
            FUZZ_CHECK(o[i + 1] == '"' && i + 1 < n - 1);
            i++;
        }
        cell[j++] = o[i];
    }
    cell[j] = '\0';
    /* The cell is the text with an apostrophe before each trigger that
     * starts a piece, and nothing else changed. */
    const char *in = s, *mark = piece_trigger(s);
    size_t c = 0;
    for (; *in; in++) {
        if (in == mark)
            FUZZ_CHECK(cell[c++] == '\'');
        FUZZ_CHECK(cell[c++] == *in);
        if (*in == ';' || *in == ',' || *in == '\n' || *in == '\r')
            mark = piece_trigger(in + 1);
    }
    FUZZ_CHECK(cell[c] == '\0');
}

static void check_ics(arena *a, const char *s)
{
    size_t n;
    const char *o = run(a, esc_ics_text, s, &n);
    FUZZ_CHECK(!strpbrk(o, "\r\n"));
    const char *in = s;
    for (size_t i = 0; i < n; i++) {
        while (*in == '\r')
            in++;
        char c = o[i];
        FUZZ_CHECK(c != ';' && c != ',');
        if (c == '\\') {
            FUZZ_CHECK(i + 1 < n);
            c = o[++i];
            FUZZ_CHECK(c == '\\' || c == ';' || c == ',' || c == 'n');
            if (c == 'n')
                c = '\n';
        }
        FUZZ_CHECK(*in++ == c);
    }
    while (*in == '\r')
        in++;
    FUZZ_CHECK(*in == '\0');
}

static void check_mail(arena *a, const char *s)
{
    size_t n;
    const char *o = run(a, esc_mail_header, s, &n);
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            plain = false;
    if (plain) {
        FUZZ_CHECK(strcmp(o, s) == 0);
        return;
    }
    /* Encoded-words of at most 75 characters separated by "\r\n " folding;
     * no other CR or LF; decoded, the input with CR and LF as spaces. */
    bool valid_in = utf8_valid(s, strlen(s));
    const char *in = s;
    const char *w = o;
    for (;;) {
        const char *fold = strstr(w, "\r\n ");
        size_t wl = fold ? (size_t)(fold - w) : strlen(w);
        FUZZ_CHECK(wl <= 75);
        FUZZ_CHECK(wl >= 12 && strncmp(w, "=?UTF-8?B?", 10) == 0 && strncmp(w + wl - 2, "?=", 2) == 0);
        const char *b64 = w + 10;
        size_t bl = wl - 12;
        FUZZ_CHECK(!memchr(b64, '\r', bl) && !memchr(b64, '\n', bl));
        unsigned char bin[64];
        size_t binlen = 0;
        FUZZ_CHECK(sodium_base642bin(bin, sizeof bin, b64, bl, NULL, &binlen, NULL,
                                     sodium_base64_VARIANT_ORIGINAL) == 0);
        FUZZ_CHECK(binlen > 0);
        if (valid_in) /* split on character boundaries */
            FUZZ_CHECK(utf8_valid((const char *)bin, binlen));
        for (size_t i = 0; i < binlen; i++) {
            unsigned char want = (unsigned char)*in++;
            if (want == '\r' || want == '\n')
                want = ' ';
            FUZZ_CHECK(want != 0 && bin[i] == want);
        }
        if (!fold)
            break;
        w = fold + 3;
    }
    FUZZ_CHECK(*in == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    FUZZ_CHECK(s);
    memcpy(s, data, size);
    s[size] = '\0';
    arena *a = arena_new((size_t)64 << 20);
    FUZZ_CHECK(a);
    check_html(a, s, false);
    check_html(a, s, true);
    check_url(a, s);
    check_csv(a, s);
    check_ics(a, s);
    check_mail(a, s);
    arena_free(a);
    free(s);
    return 0;
}
