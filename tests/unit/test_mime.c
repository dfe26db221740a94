/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* Building email messages: CRLF, line lengths, headers, RFC 2047 words,
 * quoted-printable, the invitation's MIME structure, hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "mail/mime.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    if (sodium_init() < 0)
        return -1;
    A = arena_new(32 << 20);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

static const char CAL[] =
    "BEGIN:VCALENDAR\r\n"
    "VERSION:2.0\r\n"
    "PRODID:-//Aula//ES\r\n"
    "METHOD:REQUEST\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:block-1@aula.example.org\r\n"
    "DTSTAMP:20220301T120000Z\r\n"
    "DTSTART:20220321T130000Z\r\n"
    "SUMMARY:Ciberdiplomacia: sesión inaugural\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

static struct mail_message base_message(void)
{
    struct mail_message m = {
        .from_name = "Aula SELA",
        .from_addr = "aula@example.org",
        .to_name = "José Pérez Ñúñez",
        .to_addr = "jose@example.gob.ve",
        .subject = "Invitación: Ciberdiplomacia",
        .text = "Estimado José:\n\nLe invitamos a la sesión del 21 de marzo.\n",
        .message_id = "<inv-1.42@aula.example.org>",
        .date = 1647867600, /* Mon, 21 Mar 2022 13:00:00 UTC */
    };
    return m;
}

static const char *build(const struct mail_message *m)
{
    strbuf sb;
    sb_init(&sb, A);
    assert_true(mail_build(&sb, m));
    assert_false(sb.failed);
    return sb_str(&sb);
}

/* ---- helpers over the message text ---------------------------------------- */

/* Every LF preceded by CR, every CR followed by LF, no line over `max`;
 * lines of the body (after the first blank line) at most `body_max`. */
static void check_lines(const char *msg, size_t max, size_t body_max)
{
    bool in_body = false;
    const char *line = msg;
    while (*line) {
        const char *lf = strchr(line, '\n');
        assert_non_null(lf);               /* message ends with CRLF */
        assert_true(lf > line || line == msg);
        assert_int_equal(lf[-1], '\r');
        size_t n = (size_t)(lf - 1 - line);
        assert_null(memchr(line, '\r', n)); /* no bare CR */
        if (n > max || (in_body && n > body_max))
            print_error("line too long (%zu): %.*s\n", n, (int)n, line);
        assert_true(n <= max);
        if (in_body)
            assert_true(n <= body_max);
        if (n == 0)
            in_body = true;
        line = lf + 1;
    }
}

/* The header section, unfolded, as a NUL-separated list of lines. */
static char *header_value(const char *msg, const char *name)
{
    size_t nl = strlen(name);
    const char *end = strstr(msg, "\r\n\r\n");
    assert_non_null(end);
    for (const char *l = msg; l < end;) {
        const char *eol = strstr(l, "\r\n");
        if (strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            strbuf v;
            sb_init(&v, A);
            const char *p = l + nl + 1;
            while (*p == ' ')
                p++;
            for (;;) {
                eol = strstr(p, "\r\n");
                sb_append(&v, p, (size_t)(eol - p));
                if (eol[2] == ' ' || eol[2] == '\t') {
                    p = eol + 2; /* unfolding removes just the CRLF */
                    continue;
                }
                break;
            }
            return (char *)sb_str(&v);
        }
        l = eol + 2;
    }
    return NULL;
}

/* Decodes a value made only of encoded-words separated by whitespace. */
static char *decode_words(const char *v)
{
    strbuf out;
    sb_init(&out, A);
    const char *p = v;
    while (*p) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        assert_int_equal(strncmp(p, "=?UTF-8?B?", 10), 0);
        const char *q = strstr(p + 10, "?=");
        assert_non_null(q);
        assert_true((size_t)(q + 2 - p) <= 75);
        unsigned char bin[128];
        size_t binlen = 0;
        assert_int_equal(sodium_base642bin(bin, sizeof bin, p + 10, (size_t)(q - p - 10), NULL,
                                           &binlen, NULL, sodium_base64_VARIANT_ORIGINAL),
                         0);
        sb_append(&out, (const char *)bin, binlen);
        p = q + 2;
    }
    return (char *)sb_str(&out);
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
}

/* Decodes quoted-printable body text (CRLF hard breaks become LF). */
static char *decode_qp(const char *s, size_t n)
{
    strbuf out;
    sb_init(&out, A);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=' && i + 2 < n && s[i + 1] == '\r' && s[i + 2] == '\n') {
            i += 2;
        } else if (s[i] == '=') {
            assert_true(i + 2 < n);
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            assert_true(h >= 0 && l >= 0);
            sb_putc(&out, (char)(h * 16 + l));
            i += 2;
        } else if (s[i] == '\r' && i + 1 < n && s[i + 1] == '\n') {
            sb_putc(&out, '\n');
            i++;
        } else {
            sb_putc(&out, s[i]);
        }
    }
    return (char *)sb_str(&out);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* The body of the part whose headers contain `ctype`, up to the next
 * delimiter ("\r\n--"); its length in *len. */
static const char *part_body(const char *msg, const char *ctype, size_t *len)
{
    const char *h = strstr(msg, ctype);
    assert_non_null(h);
    const char *b = strstr(h, "\r\n\r\n");
    assert_non_null(b);
    b += 4;
    const char *e = strstr(b, "\r\n--");
    assert_non_null(e);
    *len = (size_t)(e - b);
    return b;
}

static char *boundary_of(const char *ctype_value)
{
    const char *b = strstr(ctype_value, "boundary=\"");
    assert_non_null(b);
    b += 10;
    const char *e = strchr(b, '"');
    assert_non_null(e);
    strbuf v;
    sb_init(&v, A);
    sb_append(&v, b, (size_t)(e - b));
    return (char *)sb_str(&v);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_text_only_headers(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    m.reply_to_name = "Secretaría";
    m.reply_to_addr = "secretaria@example.org";
    const char *msg = build(&m);
    check_lines(msg, 998, 76);

    assert_string_equal(header_value(msg, "Date"), "Mon, 21 Mar 2022 13:00:00 +0000");
    assert_string_equal(header_value(msg, "From"), "\"Aula SELA\" <aula@example.org>");
    assert_string_equal(header_value(msg, "Message-ID"), "<inv-1.42@aula.example.org>");
    assert_string_equal(header_value(msg, "MIME-Version"), "1.0");
    assert_string_equal(header_value(msg, "Content-Type"), "text/plain; charset=UTF-8");
    assert_string_equal(header_value(msg, "Content-Transfer-Encoding"), "quoted-printable");
    assert_null(header_value(msg, "Bcc"));

    /* To: =?UTF-8?B?...?= <addr> */
    char *to = header_value(msg, "To");
    char *lt = strstr(to, " <jose@example.gob.ve>");
    assert_non_null(lt);
    assert_string_equal(lt, " <jose@example.gob.ve>");
    *lt = '\0';
    assert_string_equal(decode_words(to), "José Pérez Ñúñez");

    char *rt = header_value(msg, "Reply-To");
    lt = strstr(rt, " <secretaria@example.org>");
    assert_non_null(lt);
    *lt = '\0';
    assert_string_equal(decode_words(rt), "Secretaría");

    /* The body decodes back to the text (CRLF, final break belongs to the end). */
    const char *body = strstr(msg, "\r\n\r\n") + 4;
    assert_string_equal(decode_qp(body, strlen(body)), m.text);
}

static void test_subject_rfc2047(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    const char *msg = build(&m);
    char *subj = header_value(msg, "Subject");
    assert_int_equal(strncmp(subj, "=?UTF-8?B?", 10), 0);
    assert_string_equal(decode_words(subj), "Invitación: Ciberdiplomacia");

    /* A long subject is several words, each at most 75 characters. */
    m.subject = "Invitación: Programa de formación para altos funcionarios en la era digital — "
                "Ciberdiplomacia y Tecnoplomacia, segunda edición (21–24 de marzo de 2022)";
    msg = build(&m);
    check_lines(msg, 998, 76);
    subj = header_value(msg, "Subject");
    assert_true(count(subj, "=?UTF-8?B?") >= 3);
    assert_string_equal(decode_words(subj), m.subject);
}

static void test_plain_headers(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    m.from_name = "Aula \"Dev\" \\ team";
    m.to_name = NULL;
    m.subject = "Programme for senior officials";
    const char *msg = build(&m);
    assert_string_equal(header_value(msg, "From"), "\"Aula \\\"Dev\\\" \\\\ team\" <aula@example.org>");
    assert_string_equal(header_value(msg, "To"), "jose@example.gob.ve");
    assert_string_equal(header_value(msg, "Subject"), "Programme for senior officials");

    /* Long ASCII subjects are folded at spaces, and unfold to themselves. */
    char longsub[400];
    longsub[0] = '\0';
    for (int i = 0; i < 30; i++)
        strcat(longsub, i ? " session" : "Session");
    m.subject = longsub;
    msg = build(&m);
    check_lines(msg, 78, 76);
    assert_string_equal(header_value(msg, "Subject"), longsub);

    /* A run too long to fold is written as encoded-words instead. */
    char *huge = malloc(3001);
    memset(huge, 'x', 3000);
    huge[3000] = '\0';
    m.subject = huge;
    msg = build(&m);
    check_lines(msg, 998, 76);
    assert_string_equal(decode_words(header_value(msg, "Subject")), huge);
    free(huge);

    /* Plain text that looks like an encoded-word is encoded, not trusted. */
    m.subject = "=?UTF-8?B?ZXZpbA==?=";
    msg = build(&m);
    assert_string_equal(decode_words(header_value(msg, "Subject")), "=?UTF-8?B?ZXZpbA==?=");
}

static void test_quoted_printable(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    strbuf t;
    sb_init(&t, A);
    sb_puts(&t, "a=b and ñandú   \n");           /* '=', non-ASCII, trailing spaces */
    sb_puts(&t, "tab at end\t\r\n");              /* CRLF input, trailing tab */
    sb_puts(&t, ".\n");                           /* a lone dot line */
    sb_puts(&t, "From here on\n");                /* mbox "From " */
    for (int i = 0; i < 120; i++)                 /* one long line with accents */
        sb_puts(&t, i % 3 ? "palabra " : "acción=");
    sb_puts(&t, "\n");
    for (int i = 0; i < 300; i++)                 /* one long run of '=' */
        sb_putc(&t, '=');
    sb_puts(&t, "\nlone\rcr\nend");               /* no final newline */
    m.text = sb_str(&t);
    const char *msg = build(&m);
    check_lines(msg, 998, 76);

    const char *body = strstr(msg, "\r\n\r\n") + 4;
    size_t n = strlen(body);
    assert_true(n >= 2 && body[n - 2] == '\r' && body[n - 1] == '\n');
    assert_null(strstr(body, " \r\n"));
    assert_null(strstr(body, "\t\r\n"));
    assert_null(strstr(body, "\r\n.\r\n"));
    assert_null(strstr(body, "\r\nFrom "));
    for (const unsigned char *p = (const unsigned char *)body; *p; p++)
        assert_true(*p < 0x80);

    /* Decoding gives back the text with LF line ends. */
    strbuf want;
    sb_init(&want, A);
    for (const char *p = m.text; *p; p++)
        if (!(*p == '\r' && p[1] == '\n'))
            sb_putc(&want, *p);
    sb_putc(&want, '\n');
    assert_string_equal(decode_qp(body, n), sb_str(&want));

    /* An empty body is still a well-formed message. */
    m.text = "";
    msg = build(&m);
    check_lines(msg, 998, 76);
}

static void test_alternative(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    m.html = "<p>Estimado José:</p>\n<p>Le invitamos a la <b>sesión</b>.</p>\n";
    const char *msg = build(&m);
    check_lines(msg, 998, 76);
    char *ct = header_value(msg, "Content-Type");
    assert_int_equal(strncmp(ct, "multipart/alternative; boundary=\"=_aula_", 40), 0);
    char *b = boundary_of(ct);
    char delim[128];
    snprintf(delim, sizeof delim, "\r\n--%s\r\n", b);
    assert_int_equal(count(msg, delim), 2);  /* before text and before html */
    snprintf(delim, sizeof delim, "\r\n\r\n--%s\r\nContent-Type: text/plain", b);
    assert_non_null(strstr(msg, delim));
    snprintf(delim, sizeof delim, "\r\n--%s--\r\n", b);
    assert_int_equal(count(msg, delim), 1);
    const char *plain = strstr(msg, "Content-Type: text/plain; charset=UTF-8");
    const char *html = strstr(msg, "Content-Type: text/html; charset=UTF-8");
    assert_non_null(plain);
    assert_non_null(html);
    assert_true(plain < html);
    size_t n;
    const char *hb = part_body(msg, "Content-Type: text/html", &n);
    char *decoded = decode_qp(hb, n);
    assert_string_equal(decoded, "<p>Estimado José:</p>\n<p>Le invitamos a la <b>sesión</b>.</p>");
}

static void test_calendar_structure(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    m.html = "<p>Le invitamos.</p>";
    m.calendar = CAL;
    m.calendar_method = "REQUEST";
    const char *msg = build(&m);
    check_lines(msg, 998, 76);

    char *ct = header_value(msg, "Content-Type");
    assert_int_equal(strncmp(ct, "multipart/mixed; boundary=\"", 27), 0);
    char *outer = boundary_of(ct);
    const char *alt_ct = strstr(msg, "Content-Type: multipart/alternative; boundary=\"");
    assert_non_null(alt_ct);
    char *inner = boundary_of(alt_ct);
    assert_string_not_equal(outer, inner);
    assert_int_equal(strncmp(outer, "=_aula_", 7), 0);
    assert_int_equal(strncmp(inner, "=_aula_", 7), 0);

    /* Boundaries: outer opens twice and closes once; inner opens three times
     * (text, html, calendar) and closes once; neither occurs anywhere else. */
    char d[128];
    snprintf(d, sizeof d, "--%s\r\n", outer);
    assert_int_equal(count(msg, d), 2);
    snprintf(d, sizeof d, "--%s--\r\n", outer);
    assert_int_equal(count(msg, d), 1);
    assert_int_equal(count(msg, outer), 4);
    snprintf(d, sizeof d, "--%s\r\n", inner);
    assert_int_equal(count(msg, d), 3);
    snprintf(d, sizeof d, "--%s--\r\n", inner);
    assert_int_equal(count(msg, d), 1);
    assert_int_equal(count(msg, inner), 5);

    /* Order: alternative (plain, html, calendar) closes before the attachment. */
    const char *p_plain = strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n");
    const char *p_html = strstr(msg, "Content-Type: text/html; charset=UTF-8\r\n");
    const char *p_cal = strstr(msg, "Content-Type: text/calendar; charset=UTF-8; method=REQUEST\r\n"
                                    "Content-Transfer-Encoding: base64\r\n\r\n");
    snprintf(d, sizeof d, "--%s--\r\n", inner);
    const char *p_alt_end = strstr(msg, d);
    const char *p_att = strstr(msg, "Content-Type: text/calendar; charset=UTF-8; name=\"invite.ics\"\r\n"
                                    "Content-Disposition: attachment; filename=\"invite.ics\"\r\n"
                                    "Content-Transfer-Encoding: base64\r\n\r\n");
    assert_non_null(p_plain);
    assert_non_null(p_html);
    assert_non_null(p_cal);
    assert_non_null(p_alt_end);
    assert_non_null(p_att);
    assert_true(alt_ct < p_plain && p_plain < p_html && p_html < p_cal && p_cal < p_alt_end &&
                p_alt_end < p_att);

    /* Both calendar parts decode to the calendar exactly. */
    const char *parts[] = {"method=REQUEST\r\n", "name=\"invite.ics\""};
    for (size_t i = 0; i < 2; i++) {
        size_t n;
        const char *b64 = part_body(msg, parts[i], &n);
        unsigned char bin[2048];
        size_t binlen = 0;
        assert_int_equal(sodium_base642bin(bin, sizeof bin, b64, n, "\r\n", &binlen, NULL,
                                           sodium_base64_VARIANT_ORIGINAL),
                         0);
        assert_int_equal(binlen, strlen(CAL));
        assert_memory_equal(bin, CAL, binlen);
    }

    /* Without HTML the alternative holds plain text and the calendar only. */
    m.html = NULL;
    msg = build(&m);
    check_lines(msg, 998, 76);
    assert_null(strstr(msg, "text/html"));
    inner = boundary_of(strstr(msg, "Content-Type: multipart/alternative;"));
    snprintf(d, sizeof d, "--%s\r\n", inner);
    assert_int_equal(count(msg, d), 2);

    /* The same message id gives the same boundaries: output is deterministic. */
    assert_string_equal(build(&m), msg);
}

static void test_hostile_subject(void **state)
{
    (void)state;
    struct mail_message m = base_message();
    const char *subjects[] = {"Hello\r\nBcc: evil@x", "Hello\nBcc: evil@x", "Hello\rBcc: evil@x",
                              "Año\r\nBcc: evil@x", "x\r\n\r\nbody injection"};
    for (size_t i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
        m.subject = subjects[i];
        m.to_name = "Eve\r\nBcc: evil@x";
        const char *msg = build(&m);
        check_lines(msg, 998, 76);
        assert_null(header_value(msg, "Bcc"));
        /* Every header line is a known field or a folded continuation. */
        const char *end = strstr(msg, "\r\n\r\n");
        for (const char *l = msg; l < end; l = strstr(l, "\r\n") + 2) {
            static const char *const known[] = {"Date:", "From:", "To:", "Subject:",
                                                "Message-ID:", "MIME-Version:", "Content-Type:",
                                                "Content-Transfer-Encoding:"};
            bool ok = *l == ' ';
            for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
                ok = ok || strncmp(l, known[k], strlen(known[k])) == 0;
            if (!ok)
                print_error("unexpected header line: %.40s\n", l);
            assert_true(ok);
        }
        char *subj = header_value(msg, "Subject");
        char *dec = decode_words(subj);
        assert_null(strchr(dec, '\r'));
        assert_null(strchr(dec, '\n'));
    }
}

static void test_rejected(void **state)
{
    (void)state;
    const char *bad_addrs[] = {"evil@x\r\nBcc: a@b", "evil@x\n", "a@b>", "<a@b", "a@b,c@d",
                               "a b@c", "", "nobody", "@x", "x@", "josé@example.org",
                               "a@b;c", "\"a\"@b"};
    strbuf sb;
    sb_init(&sb, A);
    sb_puts(&sb, "kept");
    for (size_t i = 0; i < sizeof bad_addrs / sizeof bad_addrs[0]; i++) {
        struct mail_message m = base_message();
        m.to_addr = bad_addrs[i];
        assert_false(mail_build(&sb, &m));
        m = base_message();
        m.from_addr = bad_addrs[i];
        assert_false(mail_build(&sb, &m));
        m = base_message();
        m.reply_to_addr = bad_addrs[i];
        assert_false(mail_build(&sb, &m));
    }
    struct mail_message m = base_message();
    m.subject = NULL;
    assert_false(mail_build(&sb, &m));
    m = base_message();
    m.text = NULL;
    assert_false(mail_build(&sb, &m));
    m = base_message();
    m.to_addr = NULL;
    assert_false(mail_build(&sb, &m));
    m = base_message();
    m.message_id = NULL;
    assert_false(mail_build(&sb, &m));
    m = base_message();
    m.message_id = "<a@b>\r\nBcc: x@y";
    assert_false(mail_build(&sb, &m));
    m = base_message();
    m.message_id = "no-brackets@host";
    assert_false(mail_build(&sb, &m));
    /* A calendar needs a method, and it must be the one inside. */
    m = base_message();
    m.calendar = CAL;
    assert_false(mail_build(&sb, &m));
    m.calendar_method = "PUBLISH";
    assert_false(mail_build(&sb, &m));
    m.calendar_method = "REQUEST\r\nX: y";
    assert_false(mail_build(&sb, &m));
    m.calendar = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n";
    m.calendar_method = "REQUEST";
    assert_false(mail_build(&sb, &m));
    /* Nothing was appended by the refusals. */
    assert_string_equal(sb_str(&sb), "kept");
    assert_false(sb.failed);

    assert_true(mail_addr_ok("aula@localhost"));
    assert_true(mail_addr_ok("first.last+tag@sub.example.org"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_only_headers), cmocka_unit_test(test_subject_rfc2047),
        cmocka_unit_test(test_plain_headers),     cmocka_unit_test(test_quoted_printable),
        cmocka_unit_test(test_alternative),       cmocka_unit_test(test_calendar_structure),
        cmocka_unit_test(test_hostile_subject),   cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
