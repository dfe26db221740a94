/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "escape.h"

#include <sodium.h>
#include <string.h>

void esc_html_text(strbuf *sb, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        default: continue;
        }
        sb_append(sb, run, (size_t)(s - run));
        sb_puts(sb, rep);
        run = s + 1;
    }
    sb_append(sb, run, (size_t)(s - run));
}

void esc_html_attr(strbuf *sb, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '`': rep = "&#96;"; break;
        default: continue;
        }
        sb_append(sb, run, (size_t)(s - run));
        sb_puts(sb, rep);
        run = s + 1;
    }
    sb_append(sb, run, (size_t)(s - run));
}

static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}

void esc_url_component(strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (unreserved(*p)) {
            sb_putc(sb, (char)*p);
        } else {
            char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            sb_append(sb, enc, 3);
        }
    }
}

static int csv_trigger(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* A spreadsheet whose list separator is ';' (a Spanish locale) or one that
 * splits naively cuts a cell wherever a ';' or ',' appears, so each piece
 * is a cell of its own: every piece (and every line of a multi-line cell)
 * must not start with a formula trigger either (a line break splits too).  The apostrophe goes right
 * before the trigger, after any spaces or quotes that lead the piece, so it
 * is the first character a spreadsheet sees even if it trims them. */
static const char *csv_piece_trigger(const char *p)
{
    while (*p == ' ' || *p == '"')
        p++;
    return csv_trigger(*p) ? p : NULL;
}

void esc_csv_cell(strbuf *sb, const char *s)
{
    int quote = strpbrk(s, ",;\"\r\n") != NULL || csv_piece_trigger(s) != NULL;
    if (quote)
        sb_putc(sb, '"');
    const char *mark = csv_piece_trigger(s);
    for (; *s; s++) {
        if (s == mark)
            sb_putc(sb, '\'');
        if (*s == '"')
            sb_putc(sb, '"');
        sb_putc(sb, *s);
        if (*s == ';' || *s == ',' || *s == '\n' || *s == '\r')
            mark = csv_piece_trigger(s + 1);
    }
    if (quote)
        sb_putc(sb, '"');
}

void esc_ics_text(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '\\': sb_puts(sb, "\\\\"); break;
        case ';': sb_puts(sb, "\\;"); break;
        case ',': sb_puts(sb, "\\,"); break;
        case '\n': sb_puts(sb, "\\n"); break;
        case '\r': break;
        default: sb_putc(sb, *s);
        }
    }
}

/* An iCalendar parameter value (RFC 5545 3.1, such as the CN of an
 * ATTENDEE): always quoted; the double quote and control characters (C0,
 * DEL, C1) cannot appear in it at all, and ; : , which a careless parser
 * takes for structure even inside quotes, become spaces too. */
void esc_ics_param(strbuf *sb, const char *s)
{
    sb_putc(sb, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            sb_putc(sb, ' ');
            p++;
        } else if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == ';' || *p == ':' || *p == ',') {
            sb_putc(sb, ' ');
        } else {
            sb_putc(sb, (char)*p);
        }
    }
    sb_putc(sb, '"');
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes, so
 * malformed input still advances). */
static size_t utf8_len(unsigned char c)
{
    if (c >= 0xf0 && c < 0xf8) return 4;
    if (c >= 0xe0) return c < 0xf0 ? 3 : 1;
    if (c >= 0xc0) return 2;
    return 1;
}

void esc_mail_header(strbuf *sb, const char *s)
{
    int plain = 1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 0x7f || *p < 0x20)
            plain = 0;
    if (plain) {
        sb_puts(sb, s);
        return;
    }
    /* "=?UTF-8?B?" + "?=" is 12 characters; 45 bytes of payload become 60
     * base64 characters, keeping each encoded-word within 75. */
    const size_t max_raw = 45;
    const unsigned char *p = (const unsigned char *)s;
    int first = 1;
    while (*p) {
        unsigned char chunk[48];
        size_t n = 0;
        while (*p) {
            size_t l = utf8_len(*p);
            if (n + l > max_raw)
                break;
            for (size_t i = 0; i < l && *p; i++) {
                unsigned char c = *p++;
                chunk[n++] = (c == '\r' || c == '\n') ? ' ' : c;
            }
        }
        char b64[sodium_base64_ENCODED_LEN(48, sodium_base64_VARIANT_ORIGINAL)];
        sodium_bin2base64(b64, sizeof b64, chunk, n, sodium_base64_VARIANT_ORIGINAL);
        if (!first)
            sb_puts(sb, "\r\n ");
        sb_printf(sb, "=?UTF-8?B?%s?=", b64);
        first = 0;
    }
}
