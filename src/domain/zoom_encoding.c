/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* A Zoom report's bytes as UTF-8 text: where they are not UTF-8, and
 * converting them from another encoding (Windows-1252, UTF-16) with iconv. */
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "../base/text.h"
#include "zoom_parse.h"

/* The 1-based line of the first byte that is not UTF-8. */
int zoom_bad_utf8_line(const char *data, size_t len)
{
    int line = 1;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (!utf8_valid(p, (size_t)(e - p)))
            return line;
        line++;
        p = nl ? nl + 1 : end;
    }
    return line;
}

/* Converts len bytes of text in encoding from to UTF-8, into a malloc'd
 * buffer of *outlen bytes plus a NUL; NULL when the bytes are not text of
 * that encoding (or memory ran out: *nomem is then set). */
char *zoom_to_utf8(const char *from, const char *data, size_t len, size_t *outlen,
                   bool *nomem)
{
    *nomem = false;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *nomem = true;
        return NULL;
    }
    /* A Windows-1252 byte takes at most 3 bytes of UTF-8, a UTF-16 unit 3. */
    size_t cap = len * 3 + 4;
    char *out = malloc(cap);
    if (!out) {
        iconv_close(cd);
        *nomem = true;
        return NULL;
    }
    char *in = (char *)data, *o = out;
    size_t inleft = len, outleft = cap - 1;
    size_t rc = iconv(cd, &in, &inleft, &o, &outleft);
    if (rc != (size_t)-1)
        rc = iconv(cd, NULL, NULL, &o, &outleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        free(out);
        return NULL;
    }
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}
