/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "mime.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../base/escape.h"

/* Header lines are folded at spaces to stay within this many characters
 * where possible; RFC 5322 allows 998 and recommends 78. */
#define HEADER_SOFT 78
/* A quoted display name or a run without spaces longer than this is written
 * as encoded-words instead, so no header line can approach 998 octets. */
#define PLAIN_MAX 200

/* ---- checks -------------------------------------------------------------- */

bool mail_addr_ok(const char *a)
{
    if (!a)
        return false;
    size_t n = strlen(a);
    if (n < 3 || n > 254)
        return false;
    const char *at = strchr(a, '@');
    if (!at || at == a || !at[1] || strchr(at + 1, '@'))
        return false;
    for (const unsigned char *p = (const unsigned char *)a; *p; p++) {
        unsigned char c = *p;
        if (c <= ' ' || c >= 0x7f || strchr("\"(),:;<>[\\]", c))
            return false;
    }
    return true;
}

static bool message_id_ok(const char *id)
{
    if (!id)
        return false;
    size_t n = strlen(id);
    if (n < 3 || n > 250 || id[0] != '<' || id[n - 1] != '>')
        return false;
    for (size_t i = 1; i + 1 < n; i++) {
        unsigned char c = (unsigned char)id[i];
        if (c <= ' ' || c >= 0x7f || c == '<' || c == '>')
            return false;
    }
    return true;
}

static bool method_ok(const char *m)
{
    size_t n = m ? strlen(m) : 0;
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = m[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
            return false;
    }
    return true;
}

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool prefix_ci(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lower(*s) != lower(*prefix))
            return false;
    return true;
}

/* The calendar's first METHOD: content line must carry the method given for
 * the Content-Type parameter (RFC 6047 section 2.4). */
static bool calendar_method_matches(const char *cal, const char *method)
{
    for (const char *line = cal; line && *line;) {
        if (prefix_ci(line, "METHOD:")) {
            const char *v = line + 7;
            size_t n = strcspn(v, "\r\n");
            return n == strlen(method) && prefix_ci(v, method);
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    return false;
}

static bool plain_ascii(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p >= 0x7f)
            return false;
    return true;
}

static size_t longest_word(const char *s)
{
    size_t best = 0, run = 0;
    for (; *s; s++) {
        run = (*s == ' ') ? 0 : run + 1;
        if (run > best)
            best = run;
    }
    return best;
}

/* ---- header text ---------------------------------------------------------- */

static size_t utf8_seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : (c >= 0xf0 ? 4 : (c >= 0xe0 ? 3 : (c >= 0xc0 ? 2 : 1)));
}

/* RFC 2047 encoded-words for text esc_mail_header would keep as it is but
 * that cannot be written plainly (too long, or holding "=?" that a reader
 * would take for an encoded-word).  Same shape as esc_mail_header. */
static void forced_words(strbuf *sb, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    bool first = true;
    while (*p) {
        unsigned char chunk[48];
        size_t n = 0;
        while (*p) {
            size_t l = utf8_seq_len(*p);
            if (n + l > 45)
                break;
            for (size_t i = 0; i < l && *p; i++)
                chunk[n++] = *p++;
        }
        char b64[sodium_base64_ENCODED_LEN(48, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, chunk, n, sodium_base64_VARIANT_ORIGINAL);
        sb_printf(sb, first ? "=?UTF-8?B?%s?=" : "\r\n =?UTF-8?B?%s?=", b64);
        first = false;
    }
}

/* Plain ASCII folded before spaces so lines stay near HEADER_SOFT.  `col`
 * is the column the value starts at.  Words are at most PLAIN_MAX long. */
static void folded_plain(strbuf *sb, const char *s, size_t col)
{
    bool words_on_line = false;
    for (const char *p = s; *p; p++) {
        if (*p == ' ' && words_on_line) {
            size_t w = strcspn(p + 1, " ");
            if (col + 1 + w > HEADER_SOFT) {
                sb_puts(sb, "\r\n");
                col = 0;
                words_on_line = false;
            }
        }
        if (*p != ' ')
            words_on_line = true;
        sb_putc(sb, *p);
        col++;
    }
}

/* An unstructured header (Subject). */
static void put_unstructured(strbuf *sb, const char *name, const char *value)
{
    sb_printf(sb, "%s: ", name);
    if (!plain_ascii(value))
        esc_mail_header(sb, value);
    else if (strstr(value, "=?") || longest_word(value) > PLAIN_MAX)
        forced_words(sb, value);
    else
        folded_plain(sb, value, strlen(name) + 2);
    sb_puts(sb, "\r\n");
}

/* "Name" <addr>, =?UTF-8?B?...?= <addr>, or a bare addr without a name. */
static void put_address(strbuf *sb, const char *header, const char *name, const char *addr)
{
    sb_printf(sb, "%s: ", header);
    if (!name || !*name) {
        sb_printf(sb, "%s\r\n", addr);
        return;
    }
    if (!plain_ascii(name)) {
        esc_mail_header(sb, name);
    } else if (strstr(name, "=?") || strlen(name) > PLAIN_MAX) {
        forced_words(sb, name);
    } else {
        sb_putc(sb, '"');
        for (const char *p = name; *p; p++) {
            if (*p == '"' || *p == '\\')
                sb_putc(sb, '\\');
            sb_putc(sb, *p);
        }
        sb_putc(sb, '"');
    }
    sb_printf(sb, " <%s>\r\n", addr);
}

static void put_date(strbuf *sb, const struct tm *tm)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    sb_printf(sb, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm->tm_wday],
              tm->tm_mday, months[tm->tm_mon], tm->tm_year + 1900, tm->tm_hour, tm->tm_min,
              tm->tm_sec);
}

/* ---- bodies ---------------------------------------------------------------- */

/* Quoted-printable (RFC 2045 6.7).  LF and CRLF become CRLF hard breaks; a
 * lone CR is encoded.  Every output line is at most 76 characters counting
 * the '=' of a soft break.  '=', controls, non-ASCII and whitespace before a
 * line end are encoded; so are a '.' or the 'F' of "From " starting a line,
 * which some relays and mailbox formats would otherwise alter. */
static void put_qp(strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t col = 0;
    bool line_ended = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if (c == '\n' || (c == '\r' && p[1] == '\n')) {
            if (c == '\r')
                p++;
            sb_puts(sb, "\r\n");
            col = 0;
            line_ended = true;
            continue;
        }
        bool at_eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
        bool printable = (c >= 33 && c <= 126 && c != '=') ||
                         ((c == ' ' || c == '\t') && !at_eol);
        /* A token that ends the line may use column 76; others leave room for
         * the '=' of a soft break. */
        if (col + (printable ? 1 : 3) > (at_eol ? 76u : 75u)) {
            sb_puts(sb, "=\r\n");
            col = 0;
        }
        bool literal = printable && !(col == 0 && (c == '.' ||
                       (c == 'F' && strncmp((const char *)p, "From ", 5) == 0)));
        if (literal) {
            sb_putc(sb, (char)c);
            col++;
        } else {
            char e[3] = {'=', hex[c >> 4], hex[c & 15]};
            sb_append(sb, e, 3);
            col += 3;
        }
        line_ended = false;
    }
    if (!line_ended)
        sb_puts(sb, "\r\n");
}

/* Base64 in lines of 76 characters (57 input bytes). */
static void put_base64_n(strbuf *sb, const unsigned char *p, size_t n);

static void put_base64(strbuf *sb, const char *s)
{
    put_base64_n(sb, (const unsigned char *)s, strlen(s));
}

static void put_base64_n(strbuf *sb, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i += 57) {
        size_t k = n - i < 57 ? n - i : 57;
        char line[sodium_base64_ENCODED_LEN(57, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(line, sizeof line, p + i, k, sodium_base64_VARIANT_ORIGINAL);
        sb_puts(sb, line);
        sb_puts(sb, "\r\n");
    }
    if (n == 0)
        sb_puts(sb, "\r\n");
}

static void text_part(strbuf *sb, const char *subtype, const char *body)
{
    sb_printf(sb, "Content-Type: text/%s; charset=UTF-8\r\n"
                  "Content-Transfer-Encoding: quoted-printable\r\n\r\n", subtype);
    put_qp(sb, body);
}

/* "=_aula_" never occurs in quoted-printable ('=' is followed by a hex digit
 * or a line end) nor in base64 ('=' only as final padding, no '_'). */
static void make_boundary(char *b, size_t cap, const char *message_id, int n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)message_id; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    snprintf(b, cap, "=_aula_%016llx_%d", (unsigned long long)h, n);
}

/* ---- the message -------------------------------------------------------------- */

bool mail_build(strbuf *out, const struct mail_message *m)
{
    if (!out || !m || out->failed || !m->subject || !m->text || !mail_addr_ok(m->from_addr) ||
        !mail_addr_ok(m->to_addr) || !message_id_ok(m->message_id))
        return false;
    if (m->reply_to_addr && !mail_addr_ok(m->reply_to_addr))
        return false;
    if (m->calendar && (!method_ok(m->calendar_method) ||
                        !calendar_method_matches(m->calendar, m->calendar_method)))
        return false;

    struct tm tm;
    if (!gmtime_r(&m->date, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 ||
        tm.tm_mon > 11 || tm.tm_year + 1900 < 1900 || tm.tm_year + 1900 > 9999)
        return false;

    size_t start = out->len;
    put_date(out, &tm);
    put_address(out, "From", m->from_name, m->from_addr);
    put_address(out, "To", m->to_name, m->to_addr);
    if (m->reply_to_addr)
        put_address(out, "Reply-To", m->reply_to_name, m->reply_to_addr);
    put_unstructured(out, "Subject", m->subject);
    sb_printf(out, "Message-ID: %s\r\nMIME-Version: 1.0\r\n", m->message_id);

    char mixed[64], alt[64];
    make_boundary(mixed, sizeof mixed, m->message_id, 0);
    make_boundary(alt, sizeof alt, m->message_id, 1);

    if (m->attachment && !m->calendar) {
        /* The message, then the file. */
        for (const char *q = m->attachment_name ? m->attachment_name : ""; *q; q++)
            if (*q == '"' || *q == '\\' || (unsigned char)*q < 0x20 || (unsigned char)*q > 0x7e)
                return false;
        sb_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", mixed);
        sb_printf(out, "--%s\r\n", mixed);
        if (m->html) {
            sb_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
            sb_printf(out, "--%s\r\n", alt);
            text_part(out, "plain", m->text);
            sb_printf(out, "--%s\r\n", alt);
            text_part(out, "html", m->html);
            sb_printf(out, "--%s--\r\n", alt);
        } else {
            text_part(out, "plain", m->text);
        }
        sb_printf(out, "\r\n--%s\r\n", mixed);
        sb_printf(out, "Content-Type: %s; name=\"%s\"\r\n"
                       "Content-Disposition: attachment; filename=\"%s\"\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n",
                  m->attachment_type ? m->attachment_type : "application/octet-stream",
                  m->attachment_name, m->attachment_name);
        put_base64_n(out, m->attachment, m->attachment_len);
        sb_printf(out, "--%s--\r\n", mixed);
    } else if (!m->html && !m->calendar) {
        text_part(out, "plain", m->text);
    } else if (!m->calendar) {
        sb_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
        sb_printf(out, "--%s\r\n", alt);
        text_part(out, "plain", m->text);
        sb_printf(out, "--%s\r\n", alt);
        text_part(out, "html", m->html);
        sb_printf(out, "--%s--\r\n", alt);
    } else {
        sb_printf(out, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", mixed);
        sb_printf(out, "--%s\r\n", mixed);
        sb_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
        sb_printf(out, "--%s\r\n", alt);
        text_part(out, "plain", m->text);
        if (m->html) {
            sb_printf(out, "--%s\r\n", alt);
            text_part(out, "html", m->html);
        }
        sb_printf(out, "--%s\r\n", alt);
        sb_printf(out, "Content-Type: text/calendar; charset=UTF-8; method=%s\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n", m->calendar_method);
        put_base64(out, m->calendar);
        sb_printf(out, "--%s--\r\n", alt);
        sb_printf(out, "\r\n--%s\r\n", mixed);
        sb_puts(out, "Content-Type: text/calendar; charset=UTF-8; name=\"invite.ics\"\r\n"
                     "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
                     "Content-Transfer-Encoding: base64\r\n\r\n");
        put_base64(out, m->calendar);
        sb_printf(out, "--%s--\r\n", mixed);
    }

    if (out->failed) {
        if (out->p && start <= out->cap) {
            out->len = start;
            out->p[start] = '\0';
        }
        return false;
    }
    return true;
}
