/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* RFC 4180 records, read one at a time (see csv_reader.h). */
#include "csv_reader.h"

#include <string.h>

void csv_init(struct csv *c, const char *base, size_t len, char *buf)
{
    *c = (struct csv){.base = base, .p = base, .end = base + len, .line = 1, .buf = buf,
                      .sep = ','};
}

void csv_skip_bom(const char **data, size_t *len)
{
    if (*len >= 3 && memcmp(*data, "\xef\xbb\xbf", 3) == 0) {
        *data += 3;
        *len -= 3;
    }
}

static int count_breaks(const char *p, const char *end)
{
    int n = 0;
    for (; p < end; p++)
        if (*p == '\n' || (*p == '\r' && (p + 1 == end || p[1] != '\n')))
            n++;
    return n;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

int csv_next(struct csv *c)
{
    if (c->p >= c->end)
        return 0;
    c->rec_line = c->line;
    c->rec_off = (size_t)(c->p - c->base);
    const char *p = c->p, *end = c->end;
    const char sep = c->sep;
    char *o = c->buf;
    size_t nf = 0;
    for (;;) {
        char *fs = o;
        if (p < end && *p == '"') {
            p++;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (!q)
                    return -1;
                c->line += count_breaks(p, q);
                memcpy(o, p, (size_t)(q - p));
                o += q - p;
                p = q + 1;
                if (p < end && *p == '"') {
                    *o++ = '"';
                    p++;
                    continue;
                }
                break;
            }
        }
        /* Unquoted text, or what follows a closing quote, is taken as is. */
        while (p < end && *p != sep && *p != '\n' && *p != '\r')
            *o++ = *p++;
        *o++ = '\0';
        if (nf < CSV_MAX_FIELDS)
            c->f[nf++] = fs;
        if (p >= end)
            break;
        if (*p == sep) {
            p++;
            continue;
        }
        if (*p == '\r' && p + 1 < end && p[1] == '\n')
            p++;
        p++;
        c->line++;
        break;
    }
    c->p = p;
    for (size_t i = 0; i < nf; i++)
        c->f[i] = trim((char *)c->f[i]);
    c->nf = nf;
    return 1;
}

const char *csv_field(const struct csv *c, int i)
{
    return i >= 0 && (size_t)i < c->nf ? c->f[i] : "";
}

size_t csv_nonempty(const struct csv *c)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nf; i++)
        if (c->f[i][0])
            n++;
    return n;
}

void csv_reread(const char *base, size_t len, size_t off, char sep, struct csv *c, char *buf)
{
    csv_init(c, base, len, buf);
    c->sep = sep;
    c->p = base + off;
    if (csv_next(c) != 1)
        c->nf = 0;
}
