/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The CSV reader under the Zoom report (src/domain/csv_reader.c) on its
 * own: quoting, every kind of line end, the line numbers messages name,
 * trimming, separators, the field limit and rereading a record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/csv_reader.h"

struct reader {
    struct csv c;
    char *buf;
};

static struct reader *open_text(const char *text, char sep)
{
    struct reader *r = calloc(1, sizeof *r);
    size_t len = strlen(text);
    r->buf = malloc(len + 2);
    assert_non_null(r);
    assert_non_null(r->buf);
    csv_init(&r->c, text, len, r->buf);
    r->c.sep = sep;
    return r;
}

static void close_text(struct reader *r)
{
    free(r->buf);
    free(r);
}

/* Reads one record and checks its fields ("|" between them) and line. */
static void expect(struct reader *r, const char *fields, int line)
{
    assert_int_equal(csv_next(&r->c), 1);
    char got[2048] = "";
    for (size_t i = 0; i < r->c.nf; i++) {
        if (i)
            strcat(got, "|");
        strcat(got, csv_field(&r->c, (int)i));
    }
    assert_string_equal(got, fields);
    assert_int_equal(r->c.rec_line, line);
}

static void plain_records_and_line_ends(void **state)
{
    (void)state;
    struct reader *r = open_text("a,b,c\nd,e\r\nf\rg,,\n\nh", ',');
    expect(r, "a|b|c", 1);
    assert_int_equal(r->c.rec_off, 0);
    expect(r, "d|e", 2);
    assert_int_equal(r->c.rec_off, 6);
    expect(r, "f", 3);               /* a lone CR ends a line */
    expect(r, "g||", 4);             /* a separator at the end: an empty last field */
    assert_int_equal(csv_nonempty(&r->c), 1);
    expect(r, "", 5);                /* an empty line is a record of one empty field */
    assert_int_equal(csv_nonempty(&r->c), 0);
    expect(r, "h", 6);               /* the last line needs no line end */
    assert_int_equal(r->c.line, 6);
    assert_int_equal(csv_next(&r->c), 0);
    assert_int_equal(csv_next(&r->c), 0);
    close_text(r);

    r = open_text("x\r\n", ',');
    expect(r, "x", 1);
    assert_int_equal(r->c.line, 2);
    assert_int_equal(csv_next(&r->c), 0);
    close_text(r);

    r = open_text("", ',');
    assert_int_equal(csv_next(&r->c), 0);
    close_text(r);
}

static void quotes(void **state)
{
    (void)state;
    struct reader *r = open_text("\"a,b\",\"say \"\"hi\"\"\",\"\"\n"
                                 "\"two\nlines\",\"cr\r\nlf\",\"lone\rcr\",z\n"
                                 "\"ab\"cd,e\"f\n"
                                 "\"\"\"\",x\r\n"
                                 "last", ',');
    expect(r, "a,b|say \"hi\"|", 1);
    expect(r, "two\nlines|cr\r\nlf|lone\rcr|z", 2);
    expect(r, "abcd|e\"f", 6);       /* after three line breaks inside quotes */
    expect(r, "\"|x", 7);
    expect(r, "last", 8);
    assert_int_equal(csv_next(&r->c), 0);
    close_text(r);

    /* A quote never closed. */
    r = open_text("a\n\"open,b\nc", ',');
    expect(r, "a", 1);
    assert_int_equal(csv_next(&r->c), -1);
    close_text(r);
    r = open_text("\"", ',');
    assert_int_equal(csv_next(&r->c), -1);
    close_text(r);
}

static void trimming_and_separators(void **state)
{
    (void)state;
    struct reader *r = open_text("  a \t, \tb\t,\" c \"  ,   \n", ',');
    expect(r, "a|b|c|", 1);          /* spaces and tabs go, also around quotes */
    close_text(r);
    r = open_text("a;b,c;\"d;e\"\n", ';');
    expect(r, "a|b,c|d;e", 1);
    close_text(r);
    r = open_text("a\tb c\t\"d\te\"\n", '\t');
    expect(r, "a|b c|d\te", 1);
    close_text(r);
}

static void fields_beyond_the_limit_are_dropped(void **state)
{
    (void)state;
    size_t n = CSV_MAX_FIELDS + 40;
    char *text = malloc(n * 6 + 16);
    assert_non_null(text);
    char *o = text;
    for (size_t i = 0; i < n; i++)
        o += sprintf(o, "%s%zu", i ? "," : "", i);
    strcpy(o, "\nnext,row");
    struct reader *r = open_text(text, ',');
    assert_int_equal(csv_next(&r->c), 1);
    assert_int_equal(r->c.nf, CSV_MAX_FIELDS);
    char want[16];
    snprintf(want, sizeof want, "%d", CSV_MAX_FIELDS - 1);
    assert_string_equal(csv_field(&r->c, CSV_MAX_FIELDS - 1), want);
    assert_string_equal(csv_field(&r->c, CSV_MAX_FIELDS), "");
    assert_string_equal(csv_field(&r->c, -1), "");
    assert_int_equal(csv_nonempty(&r->c), CSV_MAX_FIELDS);
    expect(r, "next|row", 2);
    assert_string_equal(csv_field(&r->c, 2), "");
    close_text(r);
    free(text);
}

static void byte_order_mark(void **state)
{
    (void)state;
    const char *d = "\xef\xbb\xbf" "a,b";
    size_t len = strlen(d);
    csv_skip_bom(&d, &len);
    assert_string_equal(d, "a,b");
    assert_int_equal(len, 3);
    const char *e = "\xef\xbb" "a";     /* not a whole mark: kept */
    len = strlen(e);
    csv_skip_bom(&e, &len);
    assert_int_equal(len, 3);
    assert_int_equal((unsigned char)e[0], 0xef);
    const char *f = "\xef\xbb\xbf";     /* the mark alone */
    len = 3;
    csv_skip_bom(&f, &len);
    assert_int_equal(len, 0);
    const char *g = "\xef\xbb";
    len = 2;
    csv_skip_bom(&g, &len);
    assert_int_equal(len, 2);
}

static void reread_a_record_for_a_message(void **state)
{
    (void)state;
    const char *text = "h1;h2\n\"x;1\";y\nbad;\"open";
    size_t len = strlen(text);
    struct reader *r = open_text(text, ';');
    expect(r, "h1|h2", 1);
    expect(r, "x;1|y", 2);
    size_t off = r->c.rec_off;
    assert_int_equal(off, 6);
    assert_int_equal(csv_next(&r->c), -1);
    struct csv again;
    char buf[64];
    csv_reread(text, len, off, ';', &again, buf);
    assert_int_equal(again.nf, 2);
    assert_string_equal(csv_field(&again, 0), "x;1");
    assert_string_equal(csv_field(&again, 1), "y");
    csv_reread(text, len, off, ',', &again, buf);  /* the separator given is used */
    assert_int_equal(again.nf, 1);
    assert_string_equal(csv_field(&again, 0), "x;1;y");
    csv_reread(text, len, 14, ';', &again, buf);   /* the quote never closed */
    assert_int_equal(again.nf, 0);
    csv_reread(text, len, len, ';', &again, buf);  /* nothing left */
    assert_int_equal(again.nf, 0);
    close_text(r);
}

/* The reader stops at the length it was given, whatever follows in
 * memory (a file's bytes are not ended by a NUL). */
static void only_the_bytes_given_are_read(void **state)
{
    (void)state;
    struct csv c;
    char buf[16];
    const char *text = "ab\"x,y\n";
    csv_init(&c, text, 1, buf);           /* "a" */
    assert_int_equal(csv_next(&c), 1);
    assert_int_equal(c.nf, 1);
    assert_string_equal(csv_field(&c, 0), "a");
    assert_int_equal(csv_next(&c), 0);
    text = "a,\"q\",z";
    csv_init(&c, text, 2, buf);           /* "a," then a quote beyond the end */
    assert_int_equal(csv_next(&c), 1);
    assert_int_equal(c.nf, 2);
    assert_string_equal(csv_field(&c, 1), "");
    assert_int_equal(csv_next(&c), 0);
    text = "\"ab\"\"\"";                 /* "ab" then a quote beyond the end */
    csv_init(&c, text, 4, buf);
    assert_int_equal(csv_next(&c), 1);
    assert_int_equal(c.nf, 1);
    assert_string_equal(csv_field(&c, 0), "ab");
    assert_int_equal(csv_next(&c), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_records_and_line_ends),
        cmocka_unit_test(quotes),
        cmocka_unit_test(trimming_and_separators),
        cmocka_unit_test(fields_beyond_the_limit_are_dropped),
        cmocka_unit_test(byte_order_mark),
        cmocka_unit_test(reread_a_record_for_a_message),
        cmocka_unit_test(only_the_bytes_given_are_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
