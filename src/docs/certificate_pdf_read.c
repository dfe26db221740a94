/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Reading the signed facts back out of a certificate PDF: the Keywords
 * entry of the document information dictionary, as a literal or hex PDF
 * string, in a plain object or inside a compressed object stream. */
#include "certificate_pdf.h"

#include <glib.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Appends code point c as UTF-8. */
static void put_utf8(GString *s, uint32_t c)
{
    char u8[8];
    int n = g_unichar_to_utf8(c, u8);
    g_string_append_len(s, u8, n);
}

/* Parses the PDF string object starting at p (a literal "(…)" or a hex
 * "<…>" string) into its bytes, UTF-16BE with a byte order mark turned into
 * UTF-8.  NULL when it is not a well-formed string. */
static GString *pdf_string(const unsigned char *p, const unsigned char *end)
{
    GString *raw = g_string_new(NULL);
    if (p < end && *p == '(') {
        int depth = 1;
        p++;
        while (p < end) {
            unsigned char c = *p++;
            if (c == '\\') {
                if (p >= end)
                    break;
                c = *p++;
                switch (c) {
                case 'n': g_string_append_c(raw, '\n'); break;
                case 'r': g_string_append_c(raw, '\r'); break;
                case 't': g_string_append_c(raw, '\t'); break;
                case 'b': g_string_append_c(raw, '\b'); break;
                case 'f': g_string_append_c(raw, '\f'); break;
                case '\r': /* line continuation */
                    if (p < end && *p == '\n')
                        p++;
                    break;
                case '\n': break;
                default:
                    if (c >= '0' && c <= '7') {
                        int v = c - '0';
                        for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; i++)
                            v = v * 8 + (*p++ - '0');
                        g_string_append_c(raw, (char)(v & 0xff));
                    } else {
                        g_string_append_c(raw, (char)c); /* \( \) \\ and unknown */
                    }
                }
                continue;
            }
            if (c == '(')
                depth++;
            else if (c == ')' && --depth == 0)
                goto decoded;
            g_string_append_c(raw, (char)c);
        }
        g_string_free(raw, TRUE);
        return NULL;
    } else if (p < end && *p == '<') {
        p++;
        int hi = -1;
        while (p < end && *p != '>') {
            unsigned char c = *p++;
            int v;
            if (c >= '0' && c <= '9')
                v = c - '0';
            else if (c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
            else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f')
                continue;
            else
                break;
            if (hi < 0) {
                hi = v;
            } else {
                g_string_append_c(raw, (char)(hi << 4 | v));
                hi = -1;
            }
        }
        if (p >= end || *p != '>') {
            g_string_free(raw, TRUE);
            return NULL;
        }
        if (hi >= 0)
            g_string_append_c(raw, (char)(hi << 4));
    } else {
        g_string_free(raw, TRUE);
        return NULL;
    }
decoded:
    if (raw->len >= 2 && (unsigned char)raw->str[0] == 0xfe &&
        (unsigned char)raw->str[1] == 0xff) {
        GString *u = g_string_new(NULL);
        const unsigned char *s = (const unsigned char *)raw->str;
        for (size_t i = 2; i + 1 < raw->len; i += 2) {
            uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];
            if (c >= 0xd800 && c < 0xdc00 && i + 3 < raw->len) {
                uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];
                if (lo >= 0xdc00 && lo < 0xe000) {
                    c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
                    i += 2;
                }
            }
            put_utf8(u, c);
        }
        g_string_free(raw, TRUE);
        return u;
    }
    return raw;
}

/* The value of token "name:" in a space-separated list, or NULL. */
static const char *token(const char *s, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) > nl && memcmp(p, name, nl) == 0) {
            *len = (size_t)(e - p) - nl;
            return p + nl;
        }
        p = e;
    }
    return NULL;
}

/* Takes the facts out of one Keywords value; false when it holds none. */
static bool parse_keywords(const char *kw, char **facts_json, char **signature, char *key_id17)
{
    size_t fl, sl, kl;
    const char *fb = token(kw, "aula-facts:", &fl);
    const char *sb = token(kw, "aula-sig:", &sl);
    const char *kb = token(kw, "aula-kid:", &kl);
    if (!fb || !sb || !kb || kl != CERT_KEY_ID_SIZE - 1 || sl == 0 || sl > 200)
        return false;
    size_t cap = fl * 3 / 4 + 1;
    unsigned char *facts = malloc(cap + 1);
    size_t n = 0;
    if (!facts || !cert_b64url_decode(fb, fl, facts, cap, &n) || memchr(facts, 0, n) ||
        !g_utf8_validate((const char *)facts, (gssize)n, NULL)) {
        free(facts);
        return false;
    }
    facts[n] = '\0';
    *facts_json = (char *)facts;
    *signature = strndup(sb, sl);
    memcpy(key_id17, kb, kl);
    key_id17[kl] = '\0';
    return *signature != NULL;
}

/* Looks through buf for Keywords entries holding our facts; the last one
 * wins, as a later (incremental) update would.  True when one was found. */
static bool scan_keywords(const unsigned char *buf, size_t len, char **facts_json,
                          char **signature, char *key_id17)
{
    static const char key[] = "/Keywords";
    const unsigned char *end = buf + len;
    bool found = false;
    for (const unsigned char *p = buf; p < end;) {
        p = memmem(p, (size_t)(end - p), key, sizeof key - 1);
        if (!p)
            break;
        p += sizeof key - 1;
        const unsigned char *v = p;
        while (v < end && (*v == ' ' || *v == '\n' || *v == '\r' || *v == '\t' || *v == '\f' ||
                           *v == '\0'))
            v++;
        GString *kw = pdf_string(v, end);
        if (!kw)
            continue;
        char *fj = NULL, *sig = NULL, kid[CERT_KEY_ID_SIZE];
        if (!memchr(kw->str, 0, kw->len) && parse_keywords(kw->str, &fj, &sig, kid)) {
            free(*facts_json);
            free(*signature);
            *facts_json = fj;
            *signature = sig;
            memcpy(key_id17, kid, CERT_KEY_ID_SIZE);
            found = true;
        }
        g_string_free(kw, TRUE);
    }
    return found;
}

/* Inflates the zlib stream at p (at most 16 MB out); NULL when it is not one. */
static GByteArray *inflate_stream(const unsigned char *p, size_t avail)
{
    z_stream z = {0};
    if (inflateInit(&z) != Z_OK)
        return NULL;
    GByteArray *out = g_byte_array_new();
    unsigned char chunk[16384];
    z.next_in = (unsigned char *)p;
    z.avail_in = avail > UINT_MAX ? UINT_MAX : (unsigned)avail;
    int rc;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        if (rc != Z_OK && rc != Z_STREAM_END)
            break;
        g_byte_array_append(out, chunk, (guint)(sizeof chunk - z.avail_out));
    } while (rc == Z_OK && out->len < 16u << 20 && (z.avail_in > 0 || z.avail_out == 0));
    inflateEnd(&z);
    if (rc != Z_STREAM_END && rc != Z_OK) {
        g_byte_array_free(out, TRUE);
        return NULL;
    }
    return out;
}

/* Object streams (PDF 1.5): newer cairo versions, and programs that re-save
 * a PDF, may put the document information dictionary inside a compressed
 * stream of objects.  Inflates each /ObjStm and looks through it too. */
static bool scan_object_streams(const unsigned char *pdf, size_t len, char **facts_json,
                                char **signature, char *key_id17)
{
    static const char objstm[] = "/ObjStm", kw_stream[] = "stream";
    const unsigned char *end = pdf + len;
    bool found = false;
    /* Anyone may upload a file to /verify: many small streams that each
     * inflate a thousandfold must not cost more than a certificate does. */
    size_t inflated = 0;
    for (const unsigned char *p = pdf; p < end && inflated < 64u << 20;) {
        p = memmem(p, (size_t)(end - p), objstm, sizeof objstm - 1);
        if (!p)
            break;
        p += sizeof objstm - 1;
        /* The dictionary ends with ">>", then the keyword "stream" and an EOL. */
        const unsigned char *d = memmem(p, (size_t)(end - p), ">>", 2);
        const unsigned char *st = d ? memmem(d, (size_t)(end - d), kw_stream, 6) : NULL;
        if (!st || st - d > 64)
            continue;
        st += 6;
        if (st < end && *st == '\r')
            st++;
        if (st < end && *st == '\n')
            st++;
        GByteArray *data = inflate_stream(st, (size_t)(end - st));
        if (!data)
            continue;
        inflated += data->len;
        if (data->len && /* an empty array has no data pointer at all */
            scan_keywords(data->data, data->len, facts_json, signature, key_id17))
            found = true;
        g_byte_array_free(data, TRUE);
    }
    return found;
}

bool cert_pdf_read_facts_mem(const unsigned char *pdf, size_t len, char **facts_json,
                             char **signature, char *key_id17, char *err, size_t errlen)
{
    *facts_json = NULL;
    *signature = NULL;
    /* Plain objects first (what cairo 1.16 writes); object streams only when
     * those hold nothing. */
    bool found = scan_keywords(pdf, len, facts_json, signature, key_id17) ||
                 scan_object_streams(pdf, len, facts_json, signature, key_id17);
    if (!found)
        snprintf(err, errlen, "no Aula certificate facts in this PDF");
    return found;
}

bool cert_pdf_read_facts(const char *path, char **facts_json, char **signature, char *key_id17,
                         char *err, size_t errlen)
{
    *facts_json = NULL;
    *signature = NULL;
    gchar *data = NULL;
    gsize len = 0;
    GError *ge = NULL;
    if (!g_file_get_contents(path, &data, &len, &ge)) {
        snprintf(err, errlen, "cannot read %s: %s", path, ge ? ge->message : "error");
        if (ge)
            g_error_free(ge);
        return false;
    }
    bool ok = cert_pdf_read_facts_mem((const unsigned char *)data, len, facts_json, signature,
                                      key_id17, err, errlen);
    g_free(data);
    return ok;
}
