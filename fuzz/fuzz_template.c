/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* libFuzzer target: tmpl_parse on the input and, when it parses,
 * tmpl_render against fixed data in both languages, with partials that
 * recurse into themselves (to reach the depth limits). */
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "fuzz_check.h"
#include "view/template.h"

static const char data_json[] =
    "{\"name\": \"Ana <b>&amp; \\\"O'Neil\\\"</b>\","
    " \"title\": {\"es\": \"T\\u00edtulo\", \"en\": \"\"},"
    " \"bio\": {\"en\": \"Only in English\"},"
    " \"items\": [{\"name\": \"one\", \"n\": 1, \"tags\": [\"a\", \"b\"]},"
    "            {\"name\": {\"es\": \"dos\", \"en\": \"two\"}, \"n\": 2.5, \"tags\": []}],"
    " \"person\": {\"name\": \"Nested\", \"slug\": \"nested\", \"deep\": {\"a\": [\"x\"]}},"
    " \"empty\": [], \"zero\": 0, \"no\": false, \"yes\": true, \"nothing\": null, \"blank\": \"\","
    " \"url\": \"a b/c?d=e&f=\\u00f1\", \"html\": \"<i>raw</i>\", \"num\": -42, \"real\": 3.25,"
    " \"nul\": \"before\\u0000after\","
    " \"deep\": {\"a\": {\"b\": {\"c\": \"deep\"}}}}";

/* The partial every {{>name}} gets: it renders itself again inside the
 * "person" object, which every level finds in an outer context, so the
 * recursion stops only at the engine's limits. */
static const char partial_src[] =
    "<p title=\"{{~name}}\">{{name}} {{t:nav.agenda}}{{#person}}{{>again}}{{/person}}</p>";

static json_t *data;
static tmpl *partial;

static const tmpl *partials(const char *name, void *ud)
{
    (void)ud;
    if (strcmp(name, "missing") == 0)
        return NULL;
    return partial;
}

static void setup(void)
{
    json_error_t jerr;
    data = json_loads(data_json, JSON_ALLOW_NUL, &jerr);
    FUZZ_CHECK(data);
    char err[200];
    partial = tmpl_parse(partial_src, strlen(partial_src), err, sizeof err);
    FUZZ_CHECK(partial);
}

/* Sections over arrays multiply the work by the array's length at every
 * level of nesting, so a template of 32 nested sections takes 2^32 passes:
 * templates come from the program, not from users, so that is not a bug,
 * but it would stall the fuzzer.  Inputs with many sections are parsed only. */
static size_t count_sections(const uint8_t *d, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i + 2 < n; i++)
        if (d[i] == '{' && d[i + 1] == '{' && d[i + 2] == '#')
            k++;
    return k;
}

static void check_no_markup(const char *s, size_t n)
{
    static const char *const allowed[] = {"<span lang=\"es\" class=\"fallback\">",
                                          "<span lang=\"en\" class=\"fallback\">", "</span>"};
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '<')
            continue;
        size_t k;
        for (k = 0; k < 3; k++)
            if (strncmp(s + i, allowed[k], strlen(allowed[k])) == 0)
                break;
        FUZZ_CHECK(k < 3);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t size)
{
    if (!data)
        setup();
    char err[256];
    err[0] = '\0';
    tmpl *t = tmpl_parse((const char *)d, size, err, sizeof err);
    if (!t) {
        FUZZ_CHECK(err[0] != '\0');
        FUZZ_CHECK(memchr(err, '\0', sizeof err) != NULL);
        return 0;
    }
    if (count_sections(d, size) <= 10) {
        arena *a = arena_new((size_t)64 << 20);
        FUZZ_CHECK(a);
        for (int lang = LANG_ES; lang < LANG_COUNT; lang++) {
            strbuf out, again;
            sb_init(&out, a);
            sb_init(&again, a);
            tmpl_render(t, data, (lang_t)lang, partials, NULL, &out);
            /* Rendering is deterministic (catches reads of stale state). */
            tmpl_render(t, data, (lang_t)lang, partials, NULL, &again);
            FUZZ_CHECK(out.failed || again.failed ||
                       (out.len == again.len && memcmp(sb_str(&out), sb_str(&again), out.len) == 0));
            /* Values are escaped: a template with no markup of its own, no
             * raw tags and no partials gives no markup but the fallback
             * marker, whatever the data holds. */
            if (!out.failed && !memchr(d, '<', size) && !memmem(d, size, "{{{", 3) &&
                !memmem(d, size, "{{&", 3) && !memmem(d, size, "{{>", 3))
                check_no_markup(sb_str(&out), out.len);
            /* A template without tags renders as itself. */
            if (!memmem(d, size, "{{", 2) && !out.failed)
                FUZZ_CHECK(out.len == size && memcmp(sb_str(&out), d, size) == 0);
        }
        arena_free(a);
    }
    tmpl_free(t);
    return 0;
}
