/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "text.h"

#include <string.h>

bool utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    while (p < end) {
        unsigned char c = *p;
        size_t n;
        unsigned int cp;
        if (c < 0x80) {
            p++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            n = 2; cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            n = 3; cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            n = 4; cp = c & 0x07;
        } else {
            return false;
        }
        if ((size_t)(end - p) < n)
            return false;
        for (size_t i = 1; i < n; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i] & 0x3f);
        }
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        p += n;
    }
    return true;
}

bool email_valid(const char *s)
{
    size_t len = strlen(s);
    if (len < 3 || len > 254)
        return false;
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || !at[1])
        return false;
    const char *dot = strchr(at + 1, '.');
    if (!dot || dot == at + 1 || !dot[1] || s[len - 1] == '.')
        return false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= ' ' || c == '"' || c == '<' || c == '>' || c == '(' || c == ')' ||
            c == ',' || c == ';' || c == ':' || c == '\\' || c == '[' || c == ']' || c >= 0x7f)
            return false;
    }
    return strstr(s, "..") == NULL;
}

bool slug_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return false;
    return true;
}

/* Length of the bidirectional control at p (3, as UTF-8: E2 80 AA..AE or
 * E2 81 A6..A9), or 0. */
static size_t bidi_len(const unsigned char *p)
{
    if (p[0] != 0xe2)
        return 0;
    if (p[1] == 0x80 && p[2] >= 0xaa && p[2] <= 0xae)
        return 3;
    if (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)
        return 3;
    return 0;
}

bool text_has_bidi_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (bidi_len(p))
            return true;
    return false;
}

char *file_name_neutralise(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in) {
        size_t skip = bidi_len(in);
        if (!skip && in[0] == 0xc2 && in[1] >= 0x80 && in[1] <= 0x9f)
            skip = 2; /* C1 control */
        if (!skip && (*in < 0x20 || *in == 0x7f || *in == '/' || *in == '\\'))
            skip = 1;
        if (skip) {
            *out++ = '_';
            in += skip;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return s;
}

char *text_drop_bidi(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in) {
        size_t skip = bidi_len(in);
        if (skip)
            in += skip;
        else
            *out++ = *in++;
    }
    *out = '\0';
    return s;
}
