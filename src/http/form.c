/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "form.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/timeutil.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes s[0..n) ('+' as space, %XX) into a new NUL-terminated string. */
static char *url_decode(arena *a, const char *s, size_t n, size_t *outlen)
{
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            out[j++] = ' ';
        } else if (s[i] == '%') {
            if (i + 2 >= n)
                return NULL;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0)
                return NULL;
            out[j++] = (char)(h * 16 + l);
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = '\0';
    *outlen = j;
    return out;
}

static bool add_pair(arena *a, struct form_raw *out, size_t *cap, struct form_pair p)
{
    if (out->n == FORM_MAX_PAIRS)
        return false;
    if (out->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        struct form_pair *np = arena_alloc(a, nc * sizeof *np);
        if (!np)
            return false;
        if (out->n)
            memcpy(np, out->pairs, out->n * sizeof *np);
        out->pairs = np;
        *cap = nc;
    }
    out->pairs[out->n++] = p;
    return true;
}

bool form_parse_urlencoded(arena *a, const char *body, size_t len, struct form_raw *out)
{
    out->pairs = NULL;
    out->n = 0;
    size_t cap = 0;
    const char *p = body, *end = body + len;
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *seg_end = amp ? amp : end;
        if (seg_end > p) {
            const char *eq = memchr(p, '=', (size_t)(seg_end - p));
            const char *kend = eq ? eq : seg_end;
            size_t klen, vlen;
            char *k = url_decode(a, p, (size_t)(kend - p), &klen);
            char *v = eq ? url_decode(a, eq + 1, (size_t)(seg_end - eq - 1), &vlen)
                         : arena_strdup(a, "");
            if (!eq)
                vlen = 0;
            if (!k || !v)
                return false;
            struct form_pair pair = {.name = k, .value = v, .len = vlen};
            if (!add_pair(a, out, &cap, pair))
                return false;
        }
        if (!amp)
            break;
        p = amp + 1;
    }
    return true;
}

/* The value of a parameter (boundary=, name=, filename=) in a header line,
 * quoted or not. */
static char *header_param(arena *a, const char *h, size_t hlen, const char *param)
{
    size_t pl = strlen(param);
    for (size_t i = 0; i + pl < hlen; i++) {
        if ((i == 0 || h[i - 1] == ';' || h[i - 1] == ' ') &&
            strncasecmp(h + i, param, pl) == 0 && h[i + pl] == '=') {
            const char *v = h + i + pl + 1;
            const char *end = h + hlen;
            if (v < end && *v == '"') {
                v++;
                const char *q = memchr(v, '"', (size_t)(end - v));
                if (!q)
                    return NULL;
                return arena_strndup(a, v, (size_t)(q - v));
            }
            const char *e = v;
            while (e < end && *e != ';' && *e != ' ' && *e != '\r')
                e++;
            return arena_strndup(a, v, (size_t)(e - v));
        }
    }
    return NULL;
}

static const char *find(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0 || hlen < nlen)
        return NULL;
    for (const char *p = hay; p + nlen <= hay + hlen; p++) {
        p = memchr(p, needle[0], (size_t)(hay + hlen - p));
        if (!p || p + nlen > hay + hlen)
            return NULL;
        if (memcmp(p, needle, nlen) == 0)
            return p;
    }
    return NULL;
}

bool form_parse_multipart(arena *a, const char *content_type, const char *body,
                          size_t len, struct form_raw *out)
{
    out->pairs = NULL;
    out->n = 0;
    size_t cap = 0;
    if (!content_type)
        return false;
    char *boundary = header_param(a, content_type, strlen(content_type), "boundary");
    if (!boundary || !*boundary || strlen(boundary) > 200)
        return false;
    char *delim = arena_printf(a, "--%s", boundary);
    if (!delim)
        return false;
    size_t dlen = strlen(delim);
    const char *end = body + len;
    const char *p = find(body, len, delim, dlen);
    if (!p)
        return false;
    for (;;) {
        p += dlen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-')
            return true; /* closing delimiter */
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
            return false;
        p += 2;
        const char *hdr_end = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hdr_end)
            return false;
        char *name = NULL, *filename = NULL, *ctype = NULL;
        const char *line = p;
        while (line < hdr_end) {
            const char *eol = find(line, (size_t)(hdr_end + 2 - line), "\r\n", 2);
            if (!eol)
                eol = hdr_end;
            size_t ll = (size_t)(eol - line);
            if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                name = header_param(a, line, ll, "name");
                filename = header_param(a, line, ll, "filename");
            } else if (ll > 13 && strncasecmp(line, "Content-Type:", 13) == 0) {
                const char *v = line + 13;
                while (v < eol && *v == ' ')
                    v++;
                ctype = arena_strndup(a, v, (size_t)(eol - v));
            }
            line = eol + 2;
        }
        const char *data = hdr_end + 4;
        /* The data ends at CRLF followed by the delimiter. */
        char *next_delim = arena_printf(a, "\r\n%s", delim);
        if (!next_delim)
            return false;
        const char *next = find(data, (size_t)(end - data), next_delim, dlen + 2);
        if (!next || !name)
            return false;
        size_t vlen = (size_t)(next - data);
        char *v = arena_strndup(a, data, vlen);
        if (!v)
            return false;
        struct form_pair pair = {.name = name, .value = v, .len = vlen,
                                 .filename = filename, .content_type = ctype};
        if (!add_pair(a, out, &cap, pair))
            return false;
        p = next + 2;
    }
}

const char *form_raw_get(const struct form_raw *raw, const char *name)
{
    for (size_t i = 0; i < raw->n; i++)
        if (strcmp(raw->pairs[i].name, name) == 0)
            return raw->pairs[i].value;
    return NULL;
}

static bool has_control(const char *s, bool allow_newlines)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0x7f)
            return true;
        if (*p < 0x20 && !(allow_newlines && (*p == '\n' || *p == '\r' || *p == '\t')))
            return true;
    }
    return false;
}

/* Trims surrounding white space and turns CRLF into LF. */
static char *normalise(arena *a, const char *s, bool multiline)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    char *out = arena_alloc(a, n + 1);
    if (!out)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\r' && multiline)
            continue;
        out[j++] = s[i];
    }
    out[j] = '\0';
    return out;
}

static const char *check_one(arena *a, const struct field_spec *f, const struct form_pair *p,
                             struct field_value *fv)
{
    if (strlen(p->value) != p->len)
        return "error.encoding"; /* an embedded NUL */
    if (!utf8_valid(p->value, p->len))
        return "error.encoding";
    const char *s = f->v == V_PASSWORD ? p->value : normalise(a, p->value, f->v == V_TEXT);
    if (!s)
        return "error.too_long";
    size_t max = f->max_len ? f->max_len : (f->v == V_TEXT ? 20000 : 500);
    if (strlen(s) > max)
        return "error.too_long";
    fv->s = s;
    if (!*s && f->v != V_BOOL)
        return f->required ? "error.required" : NULL;
    int y, m, d, h, mi;
    switch (f->v) {
    case V_LINE:
    case V_PASSWORD:
        if (has_control(s, false))
            return "error.control";
        /* Text that reads differently from how it is stored (a reversed
         * name on a certificate) is refused where people type it. */
        if (f->v == V_LINE && text_has_bidi_control(s))
            return "error.bidi";
        break;
    case V_TEXT:
        if (has_control(s, true))
            return "error.control";
        if (text_has_bidi_control(s))
            return "error.bidi";
        break;
    case V_EMAIL:
        if (!email_valid(s))
            return "error.email";
        break;
    case V_INT: {
        char *end;
        long long v = strtoll(s, &end, 10);
        if (*end || end == s)
            return "error.integer";
        if (v < f->min || v > f->max)
            return "error.range";
        fv->i = v;
        break;
    }
    case V_DATE:
        if (!parse_date(s, &y, &m, &d))
            return "error.date";
        break;
    case V_TIME:
        if (!parse_hhmm(s, &h, &mi))
            return "error.time";
        break;
    case V_DATETIME:
        if (!parse_datetime_local(s, &y, &m, &d, &h, &mi))
            return "error.datetime";
        break;
    case V_SLUG:
        if (!slug_valid(s))
            return "error.slug";
        break;
    case V_BOOL:
        fv->i = 1;
        break;
    case V_CHOICE: {
        bool found = false;
        for (const char *const *c = f->choices; c && *c; c++)
            if (strcmp(*c, s) == 0)
                found = true;
        if (!found)
            return "error.choice";
        break;
    }
    case V_TZ:
        if (!tz_valid(s))
            return "error.timezone";
        break;
    case V_URL:
        if ((strncmp(s, "https://", 8) && strncmp(s, "http://", 7)) || has_control(s, false) ||
            strchr(s, ' ') || strchr(s, '"') || strchr(s, '<'))
            return "error.url";
        break;
    case V_TOKEN:
        for (const char *q = s; *q; q++)
            if (!isalnum((unsigned char)*q) && *q != '-' && *q != '_')
                return "error.invalid";
        break;
    }
    return NULL;
}

/* A column of a table form: every value is kept in its row, so that the
 * handler can pair the columns up and show each row's own problem. */
static void validate_rows(arena *a, const struct field_spec *f, const struct form_raw *raw,
                          struct field_value *fv)
{
    for (size_t j = 0; j < raw->n; j++) {
        const struct form_pair *p = &raw->pairs[j];
        if (strcmp(p->name, f->name) != 0)
            continue;
        struct field_value one = {.s = ""};
        const char *err = check_one(a, f, p, &one);
        size_t k = fv->nmany++;
        fv->many[k] = one.s ? one.s : "";
        fv->ints[k] = one.i;
        fv->errors[k] = err;
        if (err && !fv->error)
            fv->error = err;
    }
    fv->s = fv->nmany ? fv->many[0] : "";
    fv->present = fv->nmany > 0 && !fv->error;
}

void form_validate(arena *a, const struct form_spec *spec, const struct form_raw *raw,
                   struct form_values *out)
{
    out->ok = true;
    out->v = arena_zalloc(a, (spec->n ? spec->n : 1) * sizeof *out->v);
    if (!out->v) {
        /* Without a spec, form_get answers empty values instead of reading
         * the missing array. */
        out->spec = NULL;
        out->ok = false;
        return;
    }
    out->spec = spec;
    for (size_t i = 0; i < spec->n; i++) {
        const struct field_spec *f = &spec->fields[i];
        struct field_value *fv = &out->v[i];
        fv->s = "";
        size_t count = 0;
        for (size_t j = 0; j < raw->n; j++)
            if (strcmp(raw->pairs[j].name, f->name) == 0)
                count++;
        if ((f->multiple || f->repeated) && count) {
            fv->many = arena_alloc(a, count * sizeof *fv->many);
            fv->ints = f->repeated ? arena_zalloc(a, count * sizeof *fv->ints) : NULL;
            fv->errors = f->repeated ? arena_zalloc(a, count * sizeof *fv->errors) : NULL;
            if (!fv->many || (f->repeated && (!fv->ints || !fv->errors))) {
                fv->error = "error.too_long";
                out->ok = false;
                continue;
            }
        }
        if (f->repeated) {
            validate_rows(a, f, raw, fv);
            if (fv->error)
                out->ok = false;
            continue;
        }
        for (size_t j = 0; j < raw->n && !fv->error; j++) {
            const struct form_pair *p = &raw->pairs[j];
            if (strcmp(p->name, f->name) != 0)
                continue;
            struct field_value one = {.s = ""};
            fv->error = check_one(a, f, p, &one);
            if (fv->error) {
                /* Keep what was typed, so the form shows it again beside
                 * the message; text that is not even UTF-8 is not kept. */
                fv->s = one.s; /* stays "" for text that is not UTF-8 */
                break;
            }
            if (f->multiple) {
                if (*one.s)
                    fv->many[fv->nmany++] = one.s;
                fv->s = fv->nmany ? fv->many[0] : "";
            } else {
                *fv = one;
                if (*one.s || f->v == V_BOOL)
                    fv->present = true;
                break; /* the first value of a single field counts */
            }
        }
        if (f->multiple)
            fv->present = fv->nmany > 0;
        if (!fv->error && f->required && !fv->present)
            fv->error = "error.required";
        if (fv->error) {
            fv->present = false;
            out->ok = false;
            if (!fv->s)
                fv->s = "";
        }
    }
}

const struct field_value *form_get(const struct form_values *f, const char *name)
{
    static const struct field_value empty = {.s = ""};
    if (!f->spec)
        return &empty;
    for (size_t i = 0; i < f->spec->n; i++)
        if (strcmp(f->spec->fields[i].name, name) == 0)
            return &f->v[i];
    return &empty;
}

const char *form_str(const struct form_values *f, const char *name)
{
    return form_get(f, name)->s;
}

long long form_int(const struct form_values *f, const char *name)
{
    return form_get(f, name)->i;
}

bool form_bool(const struct form_values *f, const char *name)
{
    return form_get(f, name)->present;
}
