/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The template engine: escaping per tag kind, sections, lookups, partials,
 * UI strings, bilingual values and parse errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "view/template.h"

static arena *A;

static int setup(void **state)
{
    (void)state;
    A = arena_new(8 << 20);
    return A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    arena_free(A);
    return 0;
}

struct partial {
    const char *name;
    const tmpl *t;
};

struct partials {
    struct partial items[4];
    int n;
    int calls;
};

static const tmpl *lookup_partial(const char *name, void *ud)
{
    struct partials *p = ud;
    p->calls++;
    for (int i = 0; i < p->n; i++)
        if (strcmp(p->items[i].name, name) == 0)
            return p->items[i].t;
    return NULL;
}

static tmpl *parse_ok(const char *src)
{
    char err[256] = "";
    tmpl *t = tmpl_parse(src, strlen(src), err, sizeof err);
    if (!t)
        print_error("parse failed: %s\n", err);
    assert_non_null(t);
    return t;
}

/* Renders src over the JSON text data in lang, with optional partials. */
static const char *render_p(const char *src, const char *data, lang_t lang, struct partials *p)
{
    tmpl *t = parse_ok(src);
    json_error_t jerr;
    json_t *d = json_loads(data, 0, &jerr);
    if (!d)
        print_error("bad test JSON: %s\n", jerr.text);
    assert_non_null(d);
    strbuf sb;
    sb_init(&sb, A);
    tmpl_render(t, d, lang, p ? lookup_partial : NULL, p, &sb);
    assert_false(sb.failed);
    const char *out = arena_strdup(A, sb_str(&sb));
    json_decref(d);
    tmpl_free(t);
    return out;
}

static const char *render(const char *src, const char *data, lang_t lang)
{
    return render_p(src, data, lang, NULL);
}

/* ---- values ---- */

static void test_variables_escaped(void **state)
{
    (void)state;
    const char *data = "{\"x\": \"<script>alert('1')</script> & \\\"q\\\" `b`\"}";
    assert_string_equal(render("<p title=\"{{x}}\">{{x}}</p>", data, LANG_ES),
                        "<p title=\"&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt; &amp; "
                        "&quot;q&quot; &#96;b&#96;\">&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;"
                        " &amp; &quot;q&quot; &#96;b&#96;</p>");
    assert_string_equal(render("{{ x }}", "{\"x\": \"&amp;\"}", LANG_ES), "&amp;amp;");
    assert_string_equal(render("[{{missing}}]", "{}", LANG_ES), "[]");
    assert_string_equal(render("{{n}}/{{r}}/{{z}}", "{\"n\": 42, \"r\": 1.5, \"z\": -7}", LANG_ES),
                        "42/1.5/-7");
    /* Non-text values print nothing rather than something surprising. */
    assert_string_equal(render("[{{b}}{{o}}{{a}}{{nul}}]",
                               "{\"b\": true, \"o\": {\"k\": 1}, \"a\": [1], \"nul\": null}",
                               LANG_ES),
                        "[]");
}

static void test_raw_plain_url(void **state)
{
    (void)state;
    const char *data = "{\"h\": \"<b>bold</b> & \\\"\", \"q\": \"a b/c?d=é&f\"}";
    assert_string_equal(render("{{{h}}}", data, LANG_ES), "<b>bold</b> & \"");
    assert_string_equal(render("{{& h}}", data, LANG_ES), "<b>bold</b> & \"");
    assert_string_equal(render("{{~h}}", data, LANG_ES), "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;");
    assert_string_equal(render("/s?q={{%q}}", data, LANG_ES), "/s?q=a%20b%2Fc%3Fd%3D%C3%A9%26f");
    assert_string_equal(render("a{{! a comment with {braces} }}b", data, LANG_ES), "ab");
}

/* ---- sections ---- */

static void test_section_array(void **state)
{
    (void)state;
    const char *data = "{\"items\": [{\"name\": \"a\"}, {\"name\": \"<b>\"}, {\"name\": \"c\"}],"
                       " \"tags\": [\"x\", \"y\"], \"empty\": []}";
    assert_string_equal(render("{{#items}}[{{name}}]{{/items}}", data, LANG_ES),
                        "[a][&lt;b&gt;][c]");
    assert_string_equal(render("{{#tags}}{{.}},{{/tags}}", data, LANG_ES), "x,y,");
    assert_string_equal(render("<{{#empty}}never{{/empty}}>", data, LANG_ES), "<>");
    assert_string_equal(render("<{{#nothing}}never{{/nothing}}>", data, LANG_ES), "<>");
}

static void test_section_object_and_scalars(void **state)
{
    (void)state;
    const char *data = "{\"person\": {\"name\": \"Ana\", \"role\": \"trainer\"},"
                       " \"yes\": true, \"no\": false, \"zero\": 0, \"one\": 1,"
                       " \"blank\": \"\", \"word\": \"w\", \"nul\": null}";
    assert_string_equal(render("{{#person}}{{name}} ({{role}}){{/person}}", data, LANG_ES),
                        "Ana (trainer)");
    assert_string_equal(render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}", data, LANG_ES), "Y");
    assert_string_equal(render("{{#zero}}0{{/zero}}{{#one}}1{{/one}}", data, LANG_ES), "1");
    assert_string_equal(render("{{#blank}}B{{/blank}}{{#word}}[{{word}}]{{/word}}", data, LANG_ES),
                        "[w]");
    assert_string_equal(render("{{#nul}}X{{/nul}}", data, LANG_ES), "");
}

static void test_inverted(void **state)
{
    (void)state;
    const char *data = "{\"f\": false, \"n\": null, \"s\": \"\", \"a\": [], \"t\": true,"
                       " \"full\": [1], \"str\": \"x\", \"obj\": {}}";
    assert_string_equal(render("{{^missing}}1{{/missing}}{{^f}}2{{/f}}{{^n}}3{{/n}}"
                               "{{^s}}4{{/s}}{{^a}}5{{/a}}",
                               data, LANG_ES),
                        "12345");
    assert_string_equal(render("<{{^t}}x{{/t}}{{^full}}x{{/full}}{{^str}}x{{/str}}{{^obj}}x{{/obj}}>",
                               data, LANG_ES),
                        "<>");
    assert_string_equal(render("{{#a}}some{{/a}}{{^a}}none{{/a}}", data, LANG_ES), "none");
}

static void test_dotted_and_index(void **state)
{
    (void)state;
    const char *data = "{\"a\": {\"b\": {\"c\": \"deep\"}},"
                       " \"items\": [\"zero\", \"one\"],"
                       " \"people\": [{\"name\": \"Ana\"}, {\"name\": \"Luis\"}]}";
    assert_string_equal(render("{{a.b.c}}", data, LANG_ES), "deep");
    assert_string_equal(render("{{items.0}}|{{items.1}}|{{items.2}}", data, LANG_ES), "zero|one|");
    assert_string_equal(render("{{people.1.name}}", data, LANG_ES), "Luis");
    assert_string_equal(render("[{{a.x.c}}][{{a.b.c.d}}][{{items.x}}]", data, LANG_ES), "[][][]");
    assert_string_equal(render("{{#a.b}}{{c}}{{/a.b}}", data, LANG_ES), "deep");
}

static void test_lookup_walks_up(void **state)
{
    (void)state;
    const char *data = "{\"edition\": \"sela-2022\", \"lang\": \"root\","
                       " \"courses\": [{\"slug\": \"cyber\", \"days\": [{\"date\": \"21\"},"
                       " {\"date\": \"22\", \"lang\": \"inner\"}]}]}";
    assert_string_equal(
        render("{{#courses}}{{#days}}/{{edition}}/{{slug}}/{{date}}/{{lang}};{{/days}}{{/courses}}",
               data, LANG_ES),
        "/sela-2022/cyber/21/root;/sela-2022/cyber/22/inner;");
    /* The innermost context wins, and the outer one is back after it. */
    assert_string_equal(render("{{lang}}{{#courses}}{{#days}}{{/days}}{{/courses}}{{lang}}", data,
                               LANG_ES),
                        "rootroot");
}

static void test_many_siblings_and_nesting(void **state)
{
    (void)state;
    /* Enough siblings inside nested sections that child arrays grow while
     * sections are open. */
    char src[4096] = "";
    strcat(src, "{{#a}}{{#b}}");
    for (int i = 0; i < 20; i++)
        strcat(src, "<{{v}}>{{#c}}c{{/c}}");
    strcat(src, "{{/b}}|{{#c}}{{v}}{{/c}}{{/a}}");
    const char *out = render(src, "{\"a\": true, \"b\": [1, 2], \"c\": true, \"v\": \"x\"}",
                             LANG_ES);
    char want[4096] = "";
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 20; i++)
            strcat(want, "<x>c");
    strcat(want, "|x");
    assert_string_equal(out, want);
}

/* ---- partials ---- */

static void test_partials(void **state)
{
    (void)state;
    struct partials p = {0};
    tmpl *card = parse_ok("<li>{{name}} – {{t:nav.speakers}}</li>");
    p.items[p.n++] = (struct partial){"card", card};
    const char *data = "{\"people\": [{\"name\": \"Ana\"}, {\"name\": \"<i>\"}]}";
    assert_string_equal(render_p("<ul>{{#people}}{{> card}}{{/people}}</ul>", data, LANG_EN, &p),
                        "<ul><li>Ana – Trainers and speakers</li>"
                        "<li>&lt;i&gt; – Trainers and speakers</li></ul>");
    /* An unknown partial renders nothing, and so does a missing callback. */
    assert_string_equal(render_p("a{{>nope}}b", "{}", LANG_ES, &p), "ab");
    assert_string_equal(render("a{{>card}}b", "{\"name\": \"x\"}", LANG_ES), "ab");

    /* A partial including itself stops instead of recursing forever. */
    tmpl *self = parse_ok("x{{>self}}");
    p.items[p.n++] = (struct partial){"self", self};
    const char *out = render_p("{{>self}}", "{}", LANG_ES, &p);
    size_t n = strlen(out);
    assert_true(n >= 1 && n <= 64);
    assert_int_equal(strspn(out, "x"), n);
    tmpl_free(card);
    tmpl_free(self);
}

/* ---- languages ---- */

static void test_ui_strings(void **state)
{
    (void)state;
    assert_string_equal(render("{{t:nav.speakers}}", "{}", LANG_ES), "Docentes y participantes");
    assert_string_equal(render("{{t:nav.speakers}}", "{}", LANG_EN), "Trainers and speakers");
    assert_string_equal(render("{{t: nav.login }}", "{}", LANG_ES), "Iniciar sesión");
    assert_string_equal(render("{{t:nav.login}}", "{}", LANG_EN), "Sign in");
    assert_string_equal(render("{{t:month.3}}", "{}", LANG_ES), "marzo");
    /* An unknown key shows itself, escaped. */
    assert_string_equal(render("{{t:no.such<key>}}", "{}", LANG_EN), "no.such&lt;key&gt;");
}

static void test_bilingual(void **state)
{
    (void)state;
    const char *both = "{\"x\": {\"es\": \"Ciberdiplomacia\", \"en\": \"Cyberdiplomacy\"}}";
    assert_string_equal(render("{{x}}", both, LANG_ES), "Ciberdiplomacia");
    assert_string_equal(render("{{x}}", both, LANG_EN), "Cyberdiplomacy");

    const char *es_only = "{\"x\": {\"es\": \"Pausa <café>\"}}";
    assert_string_equal(render("{{x}}", es_only, LANG_ES), "Pausa &lt;café&gt;");
    assert_string_equal(render("{{x}}", es_only, LANG_EN),
                        "<span lang=\"es\" class=\"fallback\">Pausa &lt;café&gt;</span>");
    const char *en_only = "{\"x\": {\"en\": \"Break\"}}";
    assert_string_equal(render("{{x}}", en_only, LANG_ES),
                        "<span lang=\"en\" class=\"fallback\">Break</span>");
    assert_string_equal(render("{{x}}", en_only, LANG_EN), "Break");
    /* An empty text counts as missing. */
    assert_string_equal(render("{{x}}", "{\"x\": {\"es\": \"\", \"en\": \"Break\"}}", LANG_ES),
                        "<span lang=\"en\" class=\"fallback\">Break</span>");
    /* Plain, raw and URL output never carry the marker. */
    assert_string_equal(render("<title>{{~x}}</title>", en_only, LANG_ES), "<title>Break</title>");
    assert_string_equal(render("{{{x}}}", "{\"x\": {\"en\": \"<b>B</b>\"}}", LANG_ES), "<b>B</b>");
    assert_string_equal(render("{{%x}}", "{\"x\": {\"en\": \"a b\"}}", LANG_ES), "a%20b");
    /* Bilingual values inside sections, and an object with other keys is
     * not text. */
    assert_string_equal(render("{{#items}}{{title}};{{/items}}",
                               "{\"items\": [{\"title\": {\"es\": \"Uno\", \"en\": \"One\"}},"
                               " {\"title\": {\"es\": \"Dos\"}}]}",
                               LANG_EN),
                        "One;<span lang=\"es\" class=\"fallback\">Dos</span>;");
    assert_string_equal(render("[{{x}}]", "{\"x\": {\"es\": \"a\", \"fr\": \"b\"}}", LANG_ES), "[]");
}

static void test_bilingual_text_api(void **state)
{
    (void)state;
    int fb = -1;
    json_t *v = json_pack("{s:s, s:s}", "es", "Hola", "en", "Hello");
    assert_string_equal(bilingual_text(v, LANG_EN, &fb), "Hello");
    assert_int_equal(fb, 0);
    json_decref(v);
    v = json_pack("{s:s}", "en", "Hello");
    assert_string_equal(bilingual_text(v, LANG_ES, &fb), "Hello");
    assert_int_equal(fb, 1);
    json_decref(v);
    v = json_string("plain");
    assert_string_equal(bilingual_text(v, LANG_EN, &fb), "plain");
    assert_int_equal(fb, 0);
    json_decref(v);
    v = json_integer(3);
    assert_null(bilingual_text(v, LANG_EN, &fb));
    json_decref(v);
}

/* ---- parse errors ---- */

static void expect_error(const char *src, const char *fragment)
{
    char err[256] = "";
    tmpl *t = tmpl_parse(src, strlen(src), err, sizeof err);
    if (t || !strstr(err, fragment))
        print_error("template %s: error \"%s\", expected \"%s\"\n", src, err, fragment);
    assert_null(t);
    assert_non_null(strstr(err, fragment));
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("line one\nline {{two", "line 2");
    expect_error("line one\nline {{two", "unclosed tag");
    expect_error("{{{raw}}", "line 1");
    expect_error("{{#a}}\n\n{{/b}}", "line 3");
    expect_error("{{#a}}\n\n{{/b}}", "does not match");
    expect_error("x\n{{/a}}", "line 2");
    expect_error("{{#a}}{{#b}}{{/a}}{{/b}}", "line 1");
    /* An unclosed section names the line where it was opened. */
    expect_error("one\ntwo\n{{#items}}\nfour\nfive", "line 3");
    expect_error("one\ntwo\n{{#items}}\nfour\nfive", "items");
    expect_error("{{^inv}}", "inv");
    expect_error("a\n{{}}", "line 2");
    expect_error("{{#}}{{/}}", "line 1");
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char src[2048], data[2048];
    /* 32 levels are fine and render. */
    strcpy(src, "");
    strcpy(data, "");
    for (int i = 0; i < 32; i++) {
        char tag[32];
        snprintf(tag, sizeof tag, "{{#s%d}}", i);
        strcat(src, tag);
        snprintf(tag, sizeof tag, "{\"s%d\":", i);
        strcat(data, tag);
    }
    strcat(src, "{{leaf}}");
    strcat(data, "{\"leaf\": \"bottom\"}");
    for (int i = 31; i >= 0; i--) {
        char tag[32];
        snprintf(tag, sizeof tag, "{{/s%d}}", i);
        strcat(src, tag);
        strcat(data, "}");
    }
    assert_string_equal(render(src, data, LANG_ES), "bottom");

    /* 33 are refused at parse time, naming the line. */
    strcpy(src, "");
    for (int i = 0; i < 33; i++)
        strcat(src, "{{#s}}\n");
    for (int i = 0; i < 33; i++)
        strcat(src, "{{/s}}");
    expect_error(src, "nested too deeply");
    expect_error(src, "line 33");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_variables_escaped),
        cmocka_unit_test(test_raw_plain_url),
        cmocka_unit_test(test_section_array),
        cmocka_unit_test(test_section_object_and_scalars),
        cmocka_unit_test(test_inverted),
        cmocka_unit_test(test_dotted_and_index),
        cmocka_unit_test(test_lookup_walks_up),
        cmocka_unit_test(test_many_siblings_and_nesting),
        cmocka_unit_test(test_partials),
        cmocka_unit_test(test_ui_strings),
        cmocka_unit_test(test_bilingual),
        cmocka_unit_test(test_bilingual_text_api),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_nesting_limit),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
