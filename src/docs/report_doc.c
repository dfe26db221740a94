/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "report_doc.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "../base/escape.h"

#define PAGE_W 595.28 /* A4 portrait, in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define TOP (MARGIN + 14)
#define BOTTOM (PAGE_H - MARGIN)
#define SANS "Noto Sans,DejaVu Sans"
#define ROW_H 18.0 /* one bar of a chart */

/* ---- text helpers ---- */

/* Layouts come from this thread's default pango font map, which holds
 * fontconfig's fonts for as long as it lives; a document lets it go when
 * it is written, so a worker thread keeps nothing between requests. */
static void release_fonts(void)
{
    pango_cairo_font_map_set_default(NULL);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static const char *T(lang_t lang, const char *key)
{
    return tr(lang, key);
}

/* The text of a bilingual value in lang, or the other language. */
static const char *bt(json_t *v, lang_t lang)
{
    if (json_is_string(v))
        return json_string_value(v);
    const char *s = json_string_value(json_object_get(v, lang == LANG_EN ? "en" : "es"));
    if (!s || !*s)
        s = json_string_value(json_object_get(v, lang == LANG_EN ? "es" : "en"));
    return nz(s);
}

static const char *fstr(json_t *o, const char *k)
{
    return nz(json_string_value(json_object_get(o, k)));
}

static json_int_t fint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static double freal(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* Numbers as the document's language writes them: 12,5 and 12.5. */
static void fmt_real(char *buf, size_t n, double v, lang_t lang)
{
    snprintf(buf, n, "%.1f", v);
    if (lang == LANG_ES)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

static char *cell_text(json_t *v, lang_t lang)
{
    char buf[64];
    if (json_is_integer(v))
        return g_strdup_printf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        fmt_real(buf, sizeof buf, json_real_value(v), lang);
        return g_strdup(buf);
    }
    if (json_is_true(v))
        return g_strdup("✓");
    return g_strdup(bt(v, lang));
}

static const char *const MONTHS_ES[] = {"enero", "febrero", "marzo", "abril", "mayo", "junio",
                                        "julio", "agosto", "septiembre", "octubre",
                                        "noviembre", "diciembre"};
static const char *const MONTHS_EN[] = {"January", "February", "March", "April", "May", "June",
                                        "July", "August", "September", "October", "November",
                                        "December"};

static json_t *date_text(const char *iso, lang_t lang)
{
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        return lang == LANG_EN ? json_sprintf("%d %s %d", d, MONTHS_EN[m - 1], y)
                               : json_sprintf("%d de %s de %d", d, MONTHS_ES[m - 1], y);
    return json_string(nz(iso));
}

/* ---- the blocks ---- */

static void add(json_t *b, json_t *blk)
{
    json_array_append_new(b, blk);
}

static void h1(json_t *b, lang_t lang, const char *id, const char *key)
{
    add(b, json_pack("{s:s, s:s, s:s}", "k", "h1", "id", id, "text", T(lang, key)));
}

static void h2(json_t *b, const char *text)
{
    add(b, json_pack("{s:s, s:s}", "k", "h2", "text", text));
}

static void para(json_t *b, const char *text)
{
    if (text && *text)
        add(b, json_pack("{s:s, s:s}", "k", "p", "text", text));
}

static json_t *headers(lang_t lang, const char *const *keys)
{
    json_t *h = json_array();
    for (; *keys; keys++)
        json_array_append_new(h, json_string(T(lang, *keys)));
    return h;
}

/* A table block; sheet: the XLSX sheet's name (catalog key). */
static json_t *table(json_t *b, lang_t lang, const char *id, const char *sheet,
                     const char *caption, json_t *hdr, json_t *rows)
{
    json_t *t = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "k", "table", "id", id, "sheet",
                          T(lang, sheet), "caption", caption, "headers", hdr, "rows", rows);
    add(b, t);
    return t;
}

static void chart_spec(json_t *t, const char *type, int cat, int val)
{
    json_object_set_new(t, "xlsx_chart", json_pack("{s:s, s:i, s:i}", "type", type, "cat", cat,
                                                   "val", val));
}

static void chart(json_t *b, json_t *figures, lang_t lang, const char *name);

static const char *const stage_keys[] = {"applied",   "accepted",   "waitlisted", "rejected",
                                         "withdrawn", "registered", "attended",   "met_rule",
                                         "certified", "answered",   NULL};

static const char *stage_label(lang_t lang, const char *stage)
{
    char key[64];
    snprintf(key, sizeof key, "report.stage.%s", stage);
    return T(lang, key);
}

static const char *keyed_label(lang_t lang, const char *prefix, const char *k)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", prefix, k);
    return T(lang, key);
}

static json_t *funnel_row(json_t *f, const char *label)
{
    json_t *row = json_array();
    json_array_append_new(row, json_string(label));
    for (const char *const *s = stage_keys; *s; s++) {
        json_t *v = json_object_get(f, *s);
        json_array_append_new(row, v && !json_is_null(v) ? json_incref(v) : json_string("–"));
    }
    return row;
}

static const char *country_label(json_t *c, lang_t lang, lang_t *unused)
{
    (void)unused;
    json_t *n = json_object_get(c, "name");
    return json_is_object(n) ? bt(n, lang) : T(lang, "report.not_stated");
}

/* Countries as the figures order them (by people), those with the same
 * counts alphabetically in the document's language: member states with
 * nobody then read as a list, "Not stated" last among its equals. */
static int country_order(const void *x, const void *y, void *ud)
{
    lang_t sort_lang = *(const lang_t *)ud;
    json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    static const char *const k[] = {"applied", "registered", "certified"};
    for (int i = 0; i < 3; i++)
        if (fint(a, k[i]) != fint(b, k[i]))
            return fint(a, k[i]) < fint(b, k[i]) ? 1 : -1;
    bool na = !json_is_object(json_object_get(a, "name")), nb = !json_is_object(json_object_get(b, "name"));
    if (na != nb)
        return na ? 1 : -1;
    return g_utf8_collate(bt(json_object_get(a, "name"), sort_lang),
                          bt(json_object_get(b, "name"), sort_lang));
}

static json_t *countries_in(json_t *figures, lang_t lang)
{
    json_t *all = json_object_get(figures, "countries");
    size_t n = json_array_size(all), i;
    json_t **v = calloc(n ? n : 1, sizeof *v), *out = json_array();
    if (!v)
        return out;
    for (i = 0; i < n; i++)
        v[i] = json_array_get(all, i);
    qsort_r(v, n, sizeof *v, country_order, &lang);
    for (i = 0; i < n; i++)
        json_array_append(out, v[i]);
    free(v);
    return out;
}

static void breakdown_table(json_t *b, json_t *figures, lang_t lang, const char *field,
                            const char *prefix, const char *id, const char *sheet,
                            const char *caption_key)
{
    static const char *const hk[] = {"report.col.group", "report.stage.applied",
                                     "report.stage.registered", "report.stage.certified",
                                     "report.col.certified_percent", NULL};
    json_t *rows = json_array();
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(figures, field), i, e) {
        const char *k = fstr(e, "key");
        const char *label = strcmp(field, "languages") == 0 ? keyed_label(lang, "lang", k)
                            : strcmp(k, "undisclosed") == 0 ? T(lang, "report.not_stated")
                                                            : keyed_label(lang, prefix, k);
        json_array_append_new(rows, json_pack("[s, O, O, O, O]", label,
            json_object_get(e, "applied"), json_object_get(e, "registered"),
            json_object_get(e, "certified"), json_object_get(e, "certified_percent")));
    }
    json_t *t = table(b, lang, id, sheet, T(lang, caption_key), headers(lang, hk), rows);
    chart_spec(t, "pie", 0, 2);
}

/* A question's row: answers, mean (before → after for a pair), share who
 * agree, NPS; a dash where the figure does not apply or nobody answered. */
static json_t *question_row(json_t *q, const char *label, lang_t lang)
{
    char a[32], c[32];
    const char *type = fstr(q, "type");
    json_t *mean, *agree = json_string("–"), *nps = json_string("–");
    if (strcmp(type, "before_after") == 0 && json_is_number(json_object_get(q, "mean_before"))) {
        fmt_real(a, sizeof a, freal(q, "mean_before"), lang);
        fmt_real(c, sizeof c, freal(q, "mean_after"), lang);
        mean = json_sprintf("%s → %s", a, c);
    } else if (json_is_number(json_object_get(q, "mean"))) {
        mean = json_real((double)(long)(freal(q, "mean") * 10 + 0.5) / 10.0);
    } else {
        mean = json_string("–");
    }
    if (json_is_number(json_object_get(q, "agree")) && fint(q, "n_mean") > 0) {
        json_decref(agree);
        agree = json_incref(json_object_get(q, "agree"));
    }
    if (json_is_number(json_object_get(q, "nps"))) {
        json_decref(nps);
        nps = json_incref(json_object_get(q, "nps"));
    }
    json_t *answered = json_object_get(q, "answered") ? json_object_get(q, "answered")
                                                       : json_object_get(q, "n_mean");
    return json_pack("[s, O?, o, o, o]", label, answered, mean, agree, nps);
}

static void eval_blocks(json_t *b, json_t *figures, lang_t lang)
{
    json_t *ev = json_object_get(figures, "evaluation");
    h1(b, lang, "evaluation", "report.h.evaluation");
    if (!json_is_true(json_object_get(ev, "available"))) {
        para(b, T(lang, "report.no_evaluation"));
        return;
    }
    static const char *const hk[] = {"report.col.course", "report.col.asked",
                                     "report.stage.answered", "report.col.rate", NULL};
    json_t *rows = json_array();
    size_t i, j;
    json_t *c, *q;
    json_array_foreach(json_object_get(ev, "courses"), i, c)
        json_array_append_new(rows, json_pack("[s, O, O, O]", bt(json_object_get(c, "title"), lang),
            json_object_get(c, "asked"), json_object_get(c, "answered"), json_object_get(c, "rate")));
    json_array_append_new(rows, json_pack("[s, O, O, O]", T(lang, "report.overall"),
        json_object_get(ev, "asked"), json_object_get(ev, "answered"), json_object_get(ev, "rate")));
    table(b, lang, "response-rate", "report.sheet.response", T(lang, "report.cap.response"),
          headers(lang, hk), rows);
    static const char *const qk[] = {"report.col.question", "report.col.answers",
                                     "report.col.mean", "report.col.agree",
                                     "report.col.nps", NULL};
    json_array_foreach(json_object_get(ev, "courses"), i, c) {
        json_t *qrows = json_array();
        json_array_foreach(json_object_get(json_object_get(c, "stats"), "questions"), j, q) {
            const char *type = fstr(q, "type");
            if (strcmp(type, "short") == 0 || strcmp(type, "long") == 0)
                continue;
            json_array_append_new(qrows, question_row(q, bt(json_object_get(q, "text"), lang), lang));
            /* One row per trainer (or statement of a grid) under it. */
            size_t k;
            json_t *row;
            json_array_foreach(json_object_get(q, "rows"), k, row) {
                json_t *lbl = json_object_get(row, "text") ? json_object_get(row, "text")
                                                           : json_object_get(row, "trainer");
                char lab[400];
                snprintf(lab, sizeof lab, "· %s", bt(lbl, lang));
                json_array_append_new(qrows, question_row(row, lab, lang));
            }
        }
        table(b, lang, "evaluation-questions", "report.sheet.evaluation",
              bt(json_object_get(c, "title"), lang), headers(lang, qk), qrows);
        json_t *quotes = json_object_get(c, "quotes");
        if (json_array_size(quotes)) {
            h2(b, T(lang, "report.h.quotes"));
            json_t *items = json_array(), *qt;
            json_array_foreach(quotes, j, qt) json_array_append_new(items, json_string(bt(qt, lang)));
            add(b, json_pack("{s:s, s:o}", "k", "list", "items", items));
        }
        char name[32];
        snprintf(name, sizeof name, "agreement:%zu", i);
        chart(b, figures, lang, name);
    }
    chart(b, figures, lang, "before_after");
}

json_t *report_blocks(json_t *figures, lang_t lang, bool participants)
{
    json_t *b = json_array();
    json_t *texts = json_object_get(figures, "texts");
    size_t i, j;
    json_t *e;

    /* Cover. */
    add(b, json_pack("{s:s, s:s}", "k", "org", "text", bt(json_object_get(figures, "organisation"), lang)));
    const char *ref = bt(json_object_get(texts, "reference"), lang);
    if (*ref)
        add(b, json_pack("{s:s, s:s}", "k", "p", "text", ref));
    add(b, json_pack("{s:s, s:s}", "k", "title", "text", T(lang, "report.title")));
    add(b, json_pack("{s:s, s:s}", "k", "subtitle", "text", bt(json_object_get(figures, "title"), lang)));
    json_t *info = json_object_get(figures, "general");
    json_t *from = date_text(fstr(info, "starts_on"), lang), *to = date_text(fstr(info, "ends_on"), lang);
    json_t *issued = date_text(fstr(figures, "generated_at"), lang);
    json_t *cover = json_pack("[o, o, o]",
        json_sprintf("%s: %s – %s", T(lang, "report.dates"), json_string_value(from), json_string_value(to)),
        json_sprintf("%s: %s", T(lang, "report.original_language"), T(lang, lang == LANG_EN ? "lang.en" : "lang.es")),
        json_sprintf("%s: %s", T(lang, "report.issued"), json_string_value(issued)));
    add(b, json_pack("{s:s, s:o}", "k", "list", "items", cover));
    if (json_is_true(json_object_get(figures, "preliminary"))) {
        json_t *items = json_array();
        json_array_foreach(json_object_get(figures, "missing"), i, e) {
            const char *course = fstr(e, "course");
            const char *ctitle = course;
            json_t *c;
            json_array_foreach(json_object_get(info, "courses"), j, c)
                if (strcmp(fstr(c, "slug"), course) == 0)
                    ctitle = bt(json_object_get(c, "title"), lang);
            if (strcmp(fstr(e, "what"), "attendance") == 0) {
                json_t *d = date_text(fstr(e, "date"), lang);
                json_array_append_new(items, json_sprintf("%s: %s, %s", T(lang, "report.missing_attendance"),
                                                          ctitle, json_string_value(d)));
                json_decref(d);
            } else {
                json_array_append_new(items, json_sprintf("%s: %s", T(lang, "report.missing_evaluation"), ctitle));
            }
        }
        add(b, json_pack("{s:s, s:s, s:o}", "k", "notice", "text", T(lang, "report.preliminary_cover"), "items", items));
    }
    add(b, json_pack("{s:s}", "k", "pagebreak"));

    /* Introduction, objectives and the coordinator's texts. */
    h1(b, lang, "introduction", "report.h.introduction");
    para(b, bt(json_object_get(figures, "introduction"), lang));
    h2(b, T(lang, "report.h.objectives"));
    json_t *obj = json_array();
    json_array_foreach(json_object_get(figures, "objectives"), i, e)
        json_array_append_new(obj, json_string(bt(e, lang)));
    add(b, json_pack("{s:s, s:o}", "k", "list", "items", obj));
    static const char *const tk[] = {"summary", "conclusions", "recommendations", NULL};
    for (const char *const *k = tk; *k; k++) {
        char key[64];
        snprintf(key, sizeof key, "report.h.%s", *k);
        h2(b, T(lang, key));
        const char *t = bt(json_object_get(texts, *k), lang);
        para(b, *t ? t : T(lang, "report.not_written"));
    }

    /* General information. */
    h1(b, lang, "general", "report.h.general");
    json_t *langs = json_array(), *l;
    json_array_foreach(json_object_get(info, "languages"), i, l)
        json_array_append_new(langs, json_string(keyed_label(lang, "lang", json_string_value(l))));
    char *langtxt = g_strdup("");
    json_array_foreach(langs, i, l) {
        char *n = g_strdup_printf("%s%s%s", langtxt, i ? ", " : "", json_string_value(l));
        g_free(langtxt);
        langtxt = n;
    }
    json_decref(langs);
    json_t *facts = json_array();
    json_array_append_new(facts, json_pack("[s, o]", T(lang, "report.dates"),
        json_sprintf("%s – %s", json_string_value(from), json_string_value(to))));
    json_array_append_new(facts, json_pack("[s, s]", T(lang, "report.platform"), fstr(info, "platform")));
    json_array_append_new(facts, json_pack("[s, s]", T(lang, "report.languages"), langtxt));
    json_array_append_new(facts, json_pack("[s, I]", T(lang, "report.hours"), fint(info, "hours")));
    g_free(langtxt);
    static const char *const fk[] = {"report.col.item", "report.col.value", NULL};
    table(b, lang, "facts", "report.sheet.general", T(lang, "report.h.general"), headers(lang, fk), facts);
    static const char *const ck[] = {"report.col.course", "report.hours", "report.col.sessions",
                                     "report.col.capacity", "report.col.trainers", NULL};
    json_t *crow = json_array(), *c, *p;
    json_array_foreach(json_object_get(info, "courses"), i, c) {
        char *names = g_strdup("");
        json_array_foreach(json_object_get(c, "trainers"), j, p) {
            char *n = g_strdup_printf("%s%s%s", names, j ? "; " : "", fstr(p, "name"));
            g_free(names);
            names = n;
        }
        json_array_append_new(crow, json_pack("[s, O, O, O, s]", bt(json_object_get(c, "title"), lang),
            json_object_get(c, "hours"), json_object_get(c, "sessions"), json_object_get(c, "capacity"), names));
        g_free(names);
    }
    table(b, lang, "courses", "report.sheet.courses", T(lang, "report.cap.courses"), headers(lang, ck), crow);
    static const char *const ok[] = {"report.col.name", "report.col.position", NULL};
    const char *who[] = {"officials", "moderators"};
    const char *whok[] = {"report.cap.officials", "report.cap.moderators"};
    for (int w = 0; w < 2; w++) {
        json_t *rows = json_array();
        json_array_foreach(json_object_get(info, who[w]), i, p) {
            const char *hon = bt(json_object_get(p, "honorific"), lang);
            json_array_append_new(rows, json_pack("[o, s]",
                json_sprintf("%s%s%s", hon, *hon ? " " : "", fstr(p, "name")),
                bt(json_object_get(p, "position"), lang)));
        }
        if (json_array_size(rows))
            table(b, lang, who[w], w ? "report.sheet.moderators" : "report.sheet.officials",
                  T(lang, whok[w]), headers(lang, ok), rows);
        else
            json_decref(rows);
    }

    /* Participation. */
    h1(b, lang, "participation", "report.h.participation");
    json_t *fh = json_array();
    json_array_append_new(fh, json_string(T(lang, "report.col.course")));
    for (const char *const *s = stage_keys; *s; s++)
        json_array_append_new(fh, json_string(stage_label(lang, *s)));
    json_t *frows = json_array();
    json_t *fn = json_object_get(figures, "funnel");
    json_array_foreach(json_object_get(fn, "courses"), i, c)
        json_array_append_new(frows, funnel_row(c, bt(json_object_get(c, "title"), lang)));
    json_array_append_new(frows, funnel_row(json_object_get(fn, "overall"), T(lang, "report.overall_people")));
    json_t *ft = table(b, lang, "funnel", "report.sheet.funnel", T(lang, "report.cap.funnel"), fh, frows);
    json_object_set_new(ft, "xlsx_funnel", json_true());
    chart(b, figures, lang, "funnel");

    h2(b, T(lang, "report.h.countries"));
    static const char *const kk[] = {"report.col.country", "report.col.member",
                                     "report.stage.applied", "report.stage.registered",
                                     "report.stage.certified", NULL};
    json_t *krows = json_array();
    json_t *sorted = countries_in(figures, lang);
    json_array_foreach(sorted, i, c)
        json_array_append_new(krows, json_pack("[s, s, O, O, O]", country_label(c, lang, NULL),
            json_is_true(json_object_get(c, "member")) ? T(lang, "report.yes") : T(lang, "report.no"),
            json_object_get(c, "applied"), json_object_get(c, "registered"), json_object_get(c, "certified")));
    json_decref(sorted);
    json_t *kt = table(b, lang, "countries", "report.sheet.countries", T(lang, "report.cap.countries"),
                       headers(lang, kk), krows);
    chart_spec(kt, "bar", 0, 2);
    chart(b, figures, lang, "countries");
    h2(b, T(lang, "report.h.gender"));
    breakdown_table(b, figures, lang, "gender", "gender", "gender", "report.sheet.gender", "report.cap.gender");
    chart(b, figures, lang, "gender");
    h2(b, T(lang, "report.h.institutions"));
    breakdown_table(b, figures, lang, "institution_types", "institution_type", "institutions",
                    "report.sheet.institutions", "report.cap.institutions");
    h2(b, T(lang, "report.h.languages"));
    breakdown_table(b, figures, lang, "languages", "lang", "languages", "report.sheet.languages",
                    "report.cap.languages");

    /* Attendance. */
    h1(b, lang, "attendance", "report.h.attendance");
    static const char *const ak[] = {"report.col.course", "report.col.date", "report.col.scheduled",
                                     "report.col.present", "report.col.mean_minutes",
                                     "report.col.share", NULL};
    json_t *arows = json_array(), *drows = json_array(), *s;
    json_array_foreach(json_object_get(figures, "attendance"), i, c) {
        const char *title = bt(json_object_get(c, "title"), lang);
        json_array_foreach(json_object_get(c, "sessions"), j, s) {
            json_t *d = date_text(fstr(s, "date"), lang);
            if (json_is_true(json_object_get(s, "imported")))
                json_array_append_new(arows, json_pack("[s, o, O, O, O, O]", title, d,
                    json_object_get(s, "scheduled"), json_object_get(s, "present"),
                    json_object_get(s, "mean_minutes"), json_object_get(s, "share")));
            else
                json_array_append_new(arows, json_pack("[s, o, O, s, s, s]", title, d,
                    json_object_get(s, "scheduled"), T(lang, "report.not_imported"), "–", "–"));
        }
        json_t *row = json_array();
        json_array_append_new(row, json_string(title));
        json_array_append_new(row, json_incref(json_object_get(c, "rule_percent")));
        json_t *band;
        json_array_foreach(json_object_get(c, "distribution"), j, band)
            json_array_append_new(row, json_incref(json_object_get(band, "count")));
        json_array_append_new(row, json_incref(json_object_get(c, "met")));
        json_array_append_new(row, json_incref(json_object_get(c, "not_met")));
        json_array_append_new(drows, row);
    }
    json_t *at = table(b, lang, "attendance", "report.sheet.attendance", T(lang, "report.cap.attendance"),
                       headers(lang, ak), arows);
    chart_spec(at, "column", 1, 3);
    chart(b, figures, lang, "attendance");
    static const char *const dk[] = {"report.col.course", "report.col.rule", "report.band.0",
                                     "report.band.1", "report.band.25", "report.band.50",
                                     "report.band.75", "report.band.100", "report.col.met",
                                     "report.col.not_met", NULL};
    table(b, lang, "distribution", "report.sheet.distribution", T(lang, "report.cap.distribution"),
          headers(lang, dk), drows);

    /* Certificates. */
    h1(b, lang, "certificates", "report.h.certificates");
    static const char *const xk[] = {"report.col.course", "report.col.issued", "report.col.valid",
                                     "report.col.revoked", "report.col.reissued", NULL};
    json_t *xrows = json_array();
    json_t *byc = json_object_get(figures, "certificates_by_course");
    json_array_foreach(json_object_get(info, "courses"), i, c) {
        json_t *x = json_object_get(byc, fstr(c, "slug"));
        json_array_append_new(xrows, json_pack("[s, I, I, I, I]", bt(json_object_get(c, "title"), lang),
            fint(x, "issued"), fint(x, "valid"), fint(x, "revoked"), fint(x, "reissued")));
    }
    json_t *ct = json_object_get(figures, "certificates");
    json_array_append_new(xrows, json_pack("[s, I, I, I, I]", T(lang, "report.overall"),
        fint(ct, "issued"), fint(ct, "valid"), fint(ct, "revoked"), fint(ct, "reissued")));
    table(b, lang, "certificates", "report.sheet.certificates", T(lang, "report.cap.certificates"),
          headers(lang, xk), xrows);

    eval_blocks(b, figures, lang);

    /* Annexes. */
    add(b, json_pack("{s:s}", "k", "pagebreak"));
    h1(b, lang, "programme", "report.h.programme");
    json_array_foreach(json_object_get(figures, "programme"), i, c) {
        h2(b, bt(json_object_get(c, "title"), lang));
        json_t *d;
        static const char *const pk[] = {"report.col.date", "report.col.time", "report.col.session", NULL};
        json_t *rows = json_array();
        json_array_foreach(json_object_get(c, "days"), j, d) {
            size_t k, m;
            json_t *blk, *ses;
            json_array_foreach(json_object_get(d, "blocks"), k, blk)
                json_array_foreach(json_object_get(blk, "sessions"), m, ses)
                    json_array_append_new(rows, json_pack("[o, o, s]", date_text(fstr(d, "date"), lang),
                        json_sprintf("%s–%s", fstr(blk, "start"), fstr(blk, "end")),
                        bt(json_object_get(ses, "title"), lang)));
        }
        table(b, lang, "programme", "report.sheet.programme", bt(json_object_get(c, "title"), lang),
              headers(lang, pk), rows);
    }
    if (participants) {
        h1(b, lang, "participants", "report.h.participants");
        para(b, T(lang, "report.protocol_note"));
        static const char *const nk[] = {"report.col.address", "report.col.name", "report.col.position",
                                         "report.col.institution", "report.col.country",
                                         "report.stage.certified", NULL};
        json_t *people = json_object_get(figures, "participants"), *ix;
        json_t *order = json_object_get(json_object_get(figures, "protocol_order"), lang == LANG_EN ? "en" : "es");
        json_t *rows = json_array();
        json_array_foreach(order, i, ix) {
            p = json_array_get(people, (size_t)json_integer_value(ix));
            char key[96];
            const char *g = fstr(p, "gender");
            snprintf(key, sizeof key, "address.%s.%s", fstr(p, "form_of_address"),
                     strcmp(g, "female") == 0 ? "f" : strcmp(g, "male") == 0 ? "m" : "x");
            if (!tr_has(lang, key))
                snprintf(key, sizeof key, "address.%s", fstr(p, "form_of_address"));
            const char *addr = tr_has(lang, key) ? T(lang, key) : "";
            const char *code = fstr(p, "country");
            json_t *cn = NULL, *cc;
            size_t k;
            json_array_foreach(json_object_get(figures, "countries"), k, cc)
                if (strcmp(fstr(cc, "code"), code) == 0)
                    cn = cc;
            json_array_append_new(rows, json_pack("[s, o, s, s, s, s]", addr,
                json_sprintf("%s %s", fstr(p, "given_names"), fstr(p, "family_names")),
                fstr(p, "position"), fstr(p, "institution"),
                cn ? country_label(cn, lang, NULL) : T(lang, "report.not_stated"),
                json_is_true(json_object_get(p, "certified")) ? T(lang, "report.yes") : ""));
        }
        table(b, lang, "participants", "report.sheet.participants", T(lang, "report.h.participants"),
              headers(lang, nk), rows);
    }
    h1(b, lang, "glossary", "report.h.glossary");
    static const char *const gk[] = {"report.col.term", "report.col.meaning", NULL};
    json_t *grows = json_array();
    static const char *const terms[] = {"applied", "accepted", "waitlisted", "rejected", "withdrawn",
                                        "registered", "attended", "met_rule", "certified",
                                        "answered", "country", "present", "mean_minutes",
                                        "share", "reissued", "nps", NULL};
    for (const char *const *t = terms; *t; t++) {
        char tkey[64], gkey[64];
        snprintf(tkey, sizeof tkey, "report.term.%s", *t);
        snprintf(gkey, sizeof gkey, "report.gloss.%s", *t);
        json_array_append_new(grows, json_pack("[s, s]", T(lang, tkey), T(lang, gkey)));
    }
    table(b, lang, "glossary", "report.sheet.glossary", T(lang, "report.h.glossary"), headers(lang, gk), grows);
    /* When, in words like the report's other dates, with the time in UTC
     * (not the stored "2026-12-02T08:58:02Z"). */
    const char *stamp = fstr(figures, "generated_at");
    json_t *day = date_text(stamp, lang);
    const char *when = json_string_value(day);
    char generated[96];
    if (strlen(stamp) >= 16 && stamp[10] == 'T')
        snprintf(generated, sizeof generated, "%s, %.5s UTC", when ? when : stamp, stamp + 11);
    else
        snprintf(generated, sizeof generated, "%s", stamp);
    json_decref(day);
    add(b, json_pack("{s:s, s:o}", "k", "p", "text",
                     json_sprintf("%s: %s · %s: %s", T(lang, "report.generated_at"), generated,
                                  T(lang, "report.fingerprint"), fstr(figures, "fingerprint"))));
    json_decref(from);
    json_decref(to);
    json_decref(issued);
    return b;
}

/* ---- charts: their data, drawn with cairo ---- */

#define CHART_W TEXT_W

static json_t *chart_data(json_t *figures, const char *name, lang_t lang)
{
    json_t *rows = json_array();
    const char *kind = "hbar", *title_key = NULL;
    size_t i, j, k;
    json_t *e, *c, *q;
    char buf[160], n1[96], n2[96];
    if (strcmp(name, "funnel") == 0) {
        title_key = "report.cap.funnel_chart";
        json_t *o = json_object_get(json_object_get(figures, "funnel"), "overall");
        for (const char *const *s = stage_keys; *s; s++) {
            json_t *v = json_object_get(o, *s);
            if (!json_is_integer(v))
                continue;
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            json_array_append_new(rows, json_pack("{s:s, s:f, s:s}", "label", stage_label(lang, *s),
                                                  "value", (double)json_integer_value(v), "text", buf));
        }
    } else if (strcmp(name, "countries") == 0) {
        title_key = "report.cap.countries_chart";
        json_array_foreach(json_object_get(figures, "countries"), i, e) {
            if (fint(e, "applied") <= 0)
                continue;
            snprintf(buf, sizeof buf, "%lld", (long long)fint(e, "applied"));
            json_array_append_new(rows, json_pack("{s:s, s:f, s:s}", "label", country_label(e, lang, NULL),
                                                  "value", (double)fint(e, "applied"), "text", buf));
        }
    } else if (strcmp(name, "gender") == 0) {
        kind = "stack";
        title_key = "report.cap.gender_chart";
        long total = 0;
        json_array_foreach(json_object_get(figures, "gender"), i, e) total += (long)fint(e, "registered");
        json_array_foreach(json_object_get(figures, "gender"), i, e) {
            const char *k2 = fstr(e, "key");
            long v = (long)fint(e, "registered");
            fmt_real(n1, sizeof n1, total ? (double)((v * 2000 + total) / (2 * total)) / 10.0 : 0.0, lang);
            const char *label = strcmp(k2, "undisclosed") == 0 ? T(lang, "report.not_stated")
                                                               : keyed_label(lang, "gender", k2);
            snprintf(buf, sizeof buf, "%s: %s %% (%ld)", label, n1, v);
            json_array_append_new(rows, json_pack("{s:s, s:f, s:s, s:s}", "label", label, "value",
                                                  (double)v, "text", buf, "short", n1));
        }
    } else if (strcmp(name, "attendance") == 0) {
        title_key = "report.cap.attendance_chart";
        json_array_foreach(json_object_get(figures, "attendance"), i, c) {
            json_array_foreach(json_object_get(c, "sessions"), j, e) {
                if (!json_is_true(json_object_get(e, "imported")))
                    continue;
                json_t *d = date_text(fstr(e, "date"), lang);
                fmt_real(n1, sizeof n1, freal(e, "share"), lang);
                snprintf(buf, sizeof buf, "%lld (%s %%)", (long long)fint(e, "present"), n1);
                json_array_append_new(rows, json_pack("{s:o, s:f, s:s}", "label",
                    json_sprintf("%s · %s", bt(json_object_get(c, "title"), lang), json_string_value(d)),
                    "value", (double)fint(e, "present"), "text", buf));
                json_decref(d);
            }
        }
    } else if (strncmp(name, "agreement", 9) == 0 || strcmp(name, "before_after") == 0) {
        /* "agreement:N": the questions of the evaluation's course N (one
         * chart per course, so that questions asked in each are told
         * apart); before/after: one pair of bars per course. */
        bool agree = strncmp(name, "agreement", 9) == 0;
        long only = agree && name[9] == ':' ? strtol(name + 10, NULL, 10) : -1;
        kind = agree ? "diverge" : "pairs";
        title_key = agree ? "report.cap.agreement_chart" : "report.cap.before_after_chart";
        json_t *ev = json_object_get(figures, "evaluation");
        json_array_foreach(json_object_get(ev, "courses"), i, c) {
            if (only >= 0 && (size_t)only != i)
                continue;
            json_array_foreach(json_object_get(json_object_get(c, "stats"), "questions"), j, q) {
                const char *type = fstr(q, "type");
                if (agree && strcmp(type, "agree") == 0 && fint(q, "n_mean") > 0) {
                    fmt_real(n1, sizeof n1, freal(q, "disagree"), lang);
                    fmt_real(n2, sizeof n2, freal(q, "agree"), lang);
                    json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:s, s:s}", "label",
                        bt(json_object_get(q, "text"), lang), "a", freal(q, "disagree"), "b",
                        freal(q, "agree"), "ta", n1, "tb", n2));
                } else if (agree && (strcmp(type, "grid") == 0 || strcmp(type, "trainer") == 0)) {
                    json_t *r;
                    json_array_foreach(json_object_get(q, "rows"), k, r) {
                        if (fint(r, "n_mean") <= 0)
                            continue;
                        fmt_real(n1, sizeof n1, freal(r, "disagree"), lang);
                        fmt_real(n2, sizeof n2, freal(r, "agree"), lang);
                        json_t *lbl = json_object_get(r, "text") ? json_object_get(r, "text")
                                                                 : json_object_get(r, "trainer");
                        json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:s, s:s}", "label",
                            bt(lbl, lang), "a", freal(r, "disagree"), "b", freal(r, "agree"), "ta", n1,
                            "tb", n2));
                    }
                } else if (!agree && strcmp(type, "before_after") == 0 &&
                           json_is_number(json_object_get(q, "mean_before"))) {
                    char v1[32], v2[32];
                    fmt_real(v1, sizeof v1, freal(q, "mean_before"), lang);
                    fmt_real(v2, sizeof v2, freal(q, "mean_after"), lang);
                    /* Direct labels: the bars are told apart by their words,
                     * not only by their shade. */
                    snprintf(n1, sizeof n1, "%s %s", T(lang, "report.before"), v1);
                    snprintf(n2, sizeof n2, "%s %s", T(lang, "report.after"), v2);
                    json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:s, s:s}", "label",
                        bt(json_object_get(c, "title"), lang), "a", freal(q, "mean_before"), "b",
                        freal(q, "mean_after"), "ta", n1, "tb", n2));
                }
            }
        }
    } else {
        json_decref(rows);
        return NULL;
    }
    if (strncmp(name, "agreement:", 10) == 0) {
        json_t *c = json_array_get(json_object_get(json_object_get(figures, "evaluation"), "courses"),
                                   (size_t)strtol(name + 10, NULL, 10));
        return json_pack("{s:s, s:o, s:o}", "kind", kind, "title",
                         json_sprintf("%s: %s", T(lang, title_key), bt(json_object_get(c, "title"), lang)),
                         "rows", rows);
    }
    return json_pack("{s:s, s:s, s:o}", "kind", kind, "title", T(lang, title_key), "rows", rows);
}

static double chart_height(json_t *data)
{
    size_t n = json_array_size(json_object_get(data, "rows"));
    const char *kind = fstr(data, "kind");
    if (n == 0)
        return 2 * ROW_H;
    if (strcmp(kind, "stack") == 0)
        return 34 + (double)n * ROW_H;
    if (strcmp(kind, "diverge") == 0)
        return (double)(n + 1) * ROW_H;
    if (strcmp(kind, "pairs") == 0)
        return (double)n * 2 * ROW_H + ROW_H;
    return (double)n * ROW_H;
}

/* Text in a box of width w at (x, y): one line, ellipsized, so a long
 * name never leaves its box.  Returns the height used. */
static double label(cairo_t *cr, double x, double y, double w, const char *text, double size,
                    bool bold, PangoAlignment align, double grey)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(SANS);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, nz(text), -1);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(fd);
    g_object_unref(l);
    return (double)ph / PANGO_SCALE;
}

static void box(cairo_t *cr, double x, double y, double w, double h, double grey)
{
    if (w <= 0)
        return;
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_set_line_width(cr, 0.5);
    cairo_stroke(cr);
}

static void draw_chart(cairo_t *cr, json_t *data, lang_t lang)
{
    json_t *rows = json_object_get(data, "rows");
    const char *kind = fstr(data, "kind");
    size_t n = json_array_size(rows), i;
    json_t *r;
    if (n == 0) {
        label(cr, 0, 4, CHART_W, T(lang, "report.no_data"), 9, false, PANGO_ALIGN_LEFT, 0.2);
        return;
    }
    double lw = CHART_W * 0.38, bx = lw + 6, bw = CHART_W - bx - 64;
    if (strcmp(kind, "hbar") == 0) {
        double max = 0;
        json_array_foreach(rows, i, r) if (freal(r, "value") > max) max = freal(r, "value");
        json_array_foreach(rows, i, r) {
            double y = (double)i * ROW_H;
            label(cr, 0, y + 3, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double w = max > 0 ? bw * freal(r, "value") / max : 0;
            box(cr, bx, y + 3, w, ROW_H - 6, 0.55);
            label(cr, bx + w + 4, y + 3, 60, fstr(r, "text"), 8, true, PANGO_ALIGN_LEFT, 0);
        }
    } else if (strcmp(kind, "stack") == 0) {
        static const double greys[] = {0.15, 0.45, 0.7, 0.95, 0.3, 0.85};
        double total = 0, x = 0;
        json_array_foreach(rows, i, r) total += freal(r, "value");
        if (total <= 0) {
            label(cr, 0, 4, CHART_W, T(lang, "report.no_data"), 9, false, PANGO_ALIGN_LEFT, 0.2);
            return;
        }
        json_array_foreach(rows, i, r) {
            double w = total > 0 ? CHART_W * freal(r, "value") / total : 0;
            double g = greys[i % 6];
            box(cr, x, 2, w, 24, g);
            if (w > 34)
                label(cr, x, 7, w, fstr(r, "short"), 8, true, PANGO_ALIGN_CENTER, g < 0.5 ? 1 : 0);
            x += w;
            double y = 34 + (double)i * ROW_H;
            box(cr, 0, y + 3, 12, 12, g);
            label(cr, 18, y + 3, CHART_W - 18, fstr(r, "text"), 8, false, PANGO_ALIGN_LEFT, 0);
        }
    } else if (strcmp(kind, "diverge") == 0) {
        double cx = bx + (CHART_W - bx) / 2, half = (CHART_W - bx) / 2 - 30;
        label(cr, bx, 3, cx - bx - 4, T(lang, "report.disagree"), 8, true, PANGO_ALIGN_RIGHT, 0);
        label(cr, cx + 4, 3, half, T(lang, "report.agree"), 8, true, PANGO_ALIGN_LEFT, 0);
        json_array_foreach(rows, i, r) {
            double y = (double)(i + 1) * ROW_H;
            label(cr, 0, y + 3, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double a = half * freal(r, "a") / 100, b2 = half * freal(r, "b") / 100;
            box(cr, cx - a, y + 3, a, ROW_H - 6, 0.85);
            box(cr, cx, y + 3, b2, ROW_H - 6, 0.4);
            label(cr, cx - a - 30, y + 3, 28, fstr(r, "ta"), 7, false, PANGO_ALIGN_RIGHT, 0);
            label(cr, cx + b2 + 2, y + 3, 28, fstr(r, "tb"), 7, true, PANGO_ALIGN_LEFT, 0);
        }
        cairo_move_to(cr, cx, ROW_H);
        cairo_line_to(cr, cx, (double)(n + 1) * ROW_H);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_stroke(cr);
    } else { /* pairs: before and after on the 1..5 scale */
        char legend[200];
        snprintf(legend, sizeof legend, "%s / %s (1–5)", T(lang, "report.before"), T(lang, "report.after"));
        label(cr, bx, 3, CHART_W - bx, legend, 8, true, PANGO_ALIGN_LEFT, 0);
        json_array_foreach(rows, i, r) {
            double y = ROW_H + (double)i * 2 * ROW_H;
            label(cr, 0, y + 8, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double pw = CHART_W - bx - 92; /* room for "Después 3,5" */
            double a = pw * freal(r, "a") / 5, b2 = pw * freal(r, "b") / 5;
            box(cr, bx, y + 2, a, ROW_H - 4, 0.85);
            label(cr, bx + a + 4, y + 3, 90, fstr(r, "ta"), 8, false, PANGO_ALIGN_LEFT, 0);
            box(cr, bx, y + ROW_H, b2, ROW_H - 4, 0.4);
            label(cr, bx + b2 + 4, y + ROW_H + 1, 90, fstr(r, "tb"), 8, true, PANGO_ALIGN_LEFT, 0);
        }
    }
}

static char *chart_alt(json_t *data)
{
    GString *s = g_string_new(fstr(data, "title"));
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(data, "rows"), i, r) {
        g_string_append(s, i ? "; " : ": ");
        if (json_object_get(r, "ta"))
            g_string_append_printf(s, "%s %s / %s", fstr(r, "label"), fstr(r, "ta"), fstr(r, "tb"));
        else if (json_object_get(r, "short"))
            g_string_append(s, fstr(r, "text"));
        else
            g_string_append_printf(s, "%s %s", fstr(r, "label"), fstr(r, "text"));
    }
    return g_string_free(s, FALSE);
}

static void chart(json_t *b, json_t *figures, lang_t lang, const char *name)
{
    json_t *data = chart_data(figures, name, lang);
    if (!data)
        return;
    if (json_array_size(json_object_get(data, "rows")) == 0 &&
        (strncmp(name, "agreement", 9) == 0 || strcmp(name, "before_after") == 0)) {
        json_decref(data);
        return;
    }
    char *alt = chart_alt(data);
    add(b, json_pack("{s:s, s:s, s:s, s:s, s:o}", "k", "chart", "name", name, "alt", alt, "title",
                     fstr(data, "title"), "data", data));
    g_free(alt);
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int len)
{
    sb_append(closure, (const char *)data, len);
    return CAIRO_STATUS_SUCCESS;
}

static void chart_svg(json_t *data, lang_t lang, strbuf *out)
{
    double h = chart_height(data);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_strbuf, out, CHART_W, h);
    cairo_t *cr = cairo_create(s);
    draw_chart(cr, data, lang);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

bool report_chart_svg(json_t *figures, const char *name, lang_t lang, strbuf *out)
{
    json_t *data = chart_data(figures, name, lang);
    if (!data)
        return false;
    chart_svg(data, lang, out);
    release_fonts();
    json_decref(data);
    return true;
}

/* ---- PDF: blocks flowed onto A4 pages ---- */

struct flow {
    cairo_t *cr;
    lang_t lang;
    double y;
    int page;
    bool preliminary;
    const char *fingerprint;
};

static void page_marks(struct flow *f)
{
    char foot[200];
    snprintf(foot, sizeof foot, "%s %d · %.12s", T(f->lang, "report.page"), f->page,
             nz(f->fingerprint));
    label(f->cr, MARGIN, PAGE_H - MARGIN + 14, TEXT_W, foot, 7, false, PANGO_ALIGN_RIGHT, 0.3);
    if (f->preliminary) {
        label(f->cr, MARGIN, MARGIN - 20, TEXT_W, T(f->lang, "report.preliminary"), 9, true,
              PANGO_ALIGN_CENTER, 0);
        label(f->cr, MARGIN, PAGE_H - MARGIN + 14, TEXT_W, T(f->lang, "report.preliminary"), 7,
              true, PANGO_ALIGN_LEFT, 0);
    }
}

static void new_page(struct flow *f)
{
    page_marks(f);
    cairo_show_page(f->cr);
    f->page++;
    f->y = TOP;
}

static void ensure(struct flow *f, double h)
{
    if (f->y + h > BOTTOM && f->y > TOP)
        new_page(f);
}

static PangoLayout *layout(cairo_t *cr, const char *text, double size, bool bold, double w,
                           PangoAlignment align)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(SANS);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(w * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, nz(text), -1);
    return l;
}

/* A paragraph, line by line, so that a long one continues on the next
 * page instead of running off this one. */
static void flow_text(struct flow *f, const char *text, double size, bool bold, double indent,
                      double after)
{
    PangoLayout *l = layout(f->cr, text, size, bold, TEXT_W - indent, PANGO_ALIGN_LEFT);
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double lh = (double)logical.height / PANGO_SCALE;
        double base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
        ensure(f, lh);
        cairo_set_source_rgb(f->cr, 0, 0, 0);
        cairo_move_to(f->cr, MARGIN + indent + (double)logical.x / PANGO_SCALE, f->y + base);
        pango_cairo_show_layout_line(f->cr, pango_layout_iter_get_line_readonly(it));
        f->y += lh;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
    f->y += after;
}

static void col_widths(json_t *t, double *w, size_t n)
{
    double first = n <= 2 ? 1.4 : n > 8 ? 2.4 : 2.0, sum = first + (double)(n - 1);
    if (strcmp(fstr(t, "id"), "participants") == 0) {
        static const double pw[] = {0.11, 0.19, 0.2, 0.22, 0.17, 0.11};
        for (size_t i = 0; i < n && i < 6; i++)
            w[i] = TEXT_W * pw[i];
        return;
    }
    for (size_t i = 0; i < n; i++)
        w[i] = TEXT_W * (i ? 1.0 : first) / sum;
}

/* One row of a table: every cell wraps inside its column; the row is as
 * tall as its tallest cell.  Returns that height (drawing when draw). */
static double table_row(struct flow *f, json_t *cells, const double *w, size_t n, double size,
                        bool header, bool draw)
{
    double h = 0, x = MARGIN;
    PangoLayout *ls[32];
    for (size_t i = 0; i < n && i < 32; i++) {
        json_t *v = json_array_get(cells, i);
        char *txt = cell_text(v, f->lang);
        bool num = json_is_number(v);
        ls[i] = layout(f->cr, txt, size, header, w[i] - 6,
                       num && !header ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
        g_free(txt);
        int pw, ph;
        pango_layout_get_size(ls[i], &pw, &ph);
        if ((double)ph / PANGO_SCALE + 4 > h)
            h = (double)ph / PANGO_SCALE + 4;
    }
    if (draw) {
        if (header) {
            cairo_rectangle(f->cr, MARGIN, f->y, TEXT_W, h);
            cairo_set_source_rgb(f->cr, 0.88, 0.88, 0.88);
            cairo_fill(f->cr);
        }
        for (size_t i = 0; i < n && i < 32; i++) {
            cairo_set_source_rgb(f->cr, 0, 0, 0);
            cairo_move_to(f->cr, x + 3, f->y + 2);
            pango_cairo_show_layout(f->cr, ls[i]);
            x += w[i];
        }
        cairo_set_source_rgb(f->cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(f->cr, 0.4);
        cairo_move_to(f->cr, MARGIN, f->y + h);
        cairo_line_to(f->cr, MARGIN + TEXT_W, f->y + h);
        cairo_stroke(f->cr);
    }
    for (size_t i = 0; i < n && i < 32; i++)
        g_object_unref(ls[i]);
    return h;
}

static void flow_table(struct flow *f, json_t *t)
{
    json_t *hdr = json_object_get(t, "headers");
    size_t n = json_array_size(hdr), i;
    if (n == 0 || n > 32)
        return;
    double w[32];
    col_widths(t, w, n);
    double size = n > 8 ? 6.5 : 8;
    ensure(f, 40);
    flow_text(f, fstr(t, "caption"), 9, true, 0, 3);
    double hh = table_row(f, hdr, w, n, size, true, false);
    ensure(f, hh + 14);
    f->y += table_row(f, hdr, w, n, size, true, true);
    json_t *row;
    json_array_foreach(json_object_get(t, "rows"), i, row) {
        double h = table_row(f, row, w, n, size, false, false);
        if (f->y + h > BOTTOM) {
            new_page(f);
            f->y += table_row(f, hdr, w, n, size, true, true);
        }
        f->y += table_row(f, row, w, n, size, false, true);
    }
    if (json_array_size(json_object_get(t, "rows")) == 0)
        flow_text(f, T(f->lang, "report.no_data"), 8, false, 3, 0);
    f->y += 12;
}

static void flow_chart(struct flow *f, json_t *c)
{
    json_t *data = json_object_get(c, "data");
    double h = chart_height(data);
    ensure(f, h + 16);
    flow_text(f, fstr(c, "title"), 9, true, 0, 4);
    cairo_save(f->cr);
    cairo_translate(f->cr, MARGIN, f->y);
    draw_chart(f->cr, data, f->lang);
    cairo_restore(f->cr);
    f->y += h + 14;
}

bool report_pdf(json_t *blocks, json_t *figures, lang_t lang, const char *path, char *err,
                size_t errlen)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s", cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return false;
    }
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
                                   bt(json_object_get(figures, "title"), lang));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_KEYWORDS,
                                   fstr(figures, "fingerprint"));
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "Aula");
    cairo_t *cr = cairo_create(s);
    struct flow f = {.cr = cr, .lang = lang, .y = TOP, .page = 1,
                     .preliminary = json_is_true(json_object_get(figures, "preliminary")),
                     .fingerprint = fstr(figures, "fingerprint")};
    size_t i, j;
    json_t *b, *it;
    json_array_foreach(blocks, i, b) {
        const char *k = fstr(b, "k");
        if (strcmp(k, "org") == 0) {
            f.y = TOP + 60;
            flow_text(&f, fstr(b, "text"), 13, true, 0, 20);
        } else if (strcmp(k, "title") == 0) {
            f.y += 80;
            flow_text(&f, fstr(b, "text"), 26, true, 0, 10);
        } else if (strcmp(k, "subtitle") == 0) {
            flow_text(&f, fstr(b, "text"), 15, false, 0, 30);
        } else if (strcmp(k, "notice") == 0) {
            f.y += 20;
            flow_text(&f, fstr(b, "text"), 12, true, 0, 6);
            json_array_foreach(json_object_get(b, "items"), j, it)
            {
                char *line = g_strdup_printf("• %s", nz(json_string_value(it)));
                flow_text(&f, line, 10, false, 12, 2);
                g_free(line);
            }
        } else if (strcmp(k, "pagebreak") == 0) {
            new_page(&f);
        } else if (strcmp(k, "h1") == 0) {
            ensure(&f, 80);
            f.y += 8;
            flow_text(&f, fstr(b, "text"), 16, true, 0, 8);
        } else if (strcmp(k, "h2") == 0) {
            ensure(&f, 60);
            flow_text(&f, fstr(b, "text"), 12, true, 0, 5);
        } else if (strcmp(k, "p") == 0) {
            flow_text(&f, fstr(b, "text"), 10, false, 0, 8);
        } else if (strcmp(k, "list") == 0) {
            json_array_foreach(json_object_get(b, "items"), j, it)
                flow_text(&f, json_string_value(it), 10, false, 12, 3);
            f.y += 6;
        } else if (strcmp(k, "table") == 0) {
            flow_table(&f, b);
        } else if (strcmp(k, "chart") == 0) {
            flow_chart(&f, b);
        }
    }
    page_marks(&f);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    release_fonts();
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s", cairo_status_to_string(st));
        return false;
    }
    return true;
}

/* ---- HTML preview ---- */

static void html_cell(strbuf *out, json_t *v, lang_t lang, bool header, bool first)
{
    char *txt = cell_text(v, lang);
    bool num = json_is_number(v);
    if (header)
        sb_puts(out, "<th scope=\"col\">");
    else if (first)
        sb_puts(out, "<th scope=\"row\">");
    else
        sb_puts(out, num ? "<td class=\"num\">" : "<td>");
    esc_html_text(out, txt);
    sb_puts(out, header || first ? "</th>" : "</td>");
    g_free(txt);
}

static void html_paragraphs(strbuf *out, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *e = strstr(p, "\n\n");
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *part = g_strndup(p, n);
        sb_puts(out, "<p>");
        esc_html_text(out, part);
        sb_puts(out, "</p>\n");
        g_free(part);
        p += n;
        while (*p == '\n')
            p++;
    }
}

void report_html(json_t *blocks, json_t *figures, lang_t lang, strbuf *out)
{
    size_t i, j, k;
    json_t *b, *it, *row, *v;
    bool open = false;
    if (json_is_true(json_object_get(figures, "preliminary"))) {
        sb_puts(out, "<p class=\"notice\" role=\"status\"><strong>");
        esc_html_text(out, T(lang, "report.preliminary"));
        sb_puts(out, "</strong></p>\n");
    }
    sb_puts(out, "<section class=\"report-cover\">\n");
    json_array_foreach(blocks, i, b) {
        const char *kind = fstr(b, "k");
        if (strcmp(kind, "h1") == 0) {
            sb_puts(out, open ? "</section>\n" : "</section>\n");
            sb_printf(out, "<section aria-labelledby=\"r-%s\"><h2 id=\"r-%s\">", fstr(b, "id"), fstr(b, "id"));
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</h2>\n");
            open = true;
        } else if (strcmp(kind, "title") == 0) {
            /* The page around it has the document's one h1. */
            sb_puts(out, "<p><strong>");
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</strong></p>\n");
        } else if (strcmp(kind, "h2") == 0) {
            sb_puts(out, "<h3>");
            esc_html_text(out, fstr(b, "text"));
            sb_puts(out, "</h3>\n");
        } else if (strcmp(kind, "org") == 0 || strcmp(kind, "subtitle") == 0 || strcmp(kind, "p") == 0) {
            html_paragraphs(out, fstr(b, "text"));
        } else if (strcmp(kind, "list") == 0 || strcmp(kind, "notice") == 0) {
            if (strcmp(kind, "notice") == 0) {
                sb_puts(out, "<p><strong>");
                esc_html_text(out, fstr(b, "text"));
                sb_puts(out, "</strong></p>\n");
            }
            if (json_array_size(json_object_get(b, "items")) == 0)
                continue;
            sb_puts(out, "<ul>\n");
            json_array_foreach(json_object_get(b, "items"), j, it) {
                sb_puts(out, "<li>");
                esc_html_text(out, json_string_value(it));
                sb_puts(out, "</li>\n");
            }
            sb_puts(out, "</ul>\n");
        } else if (strcmp(kind, "table") == 0) {
            sb_puts(out, "<div class=\"table-scroll\"><table class=\"data\"><caption>");
            esc_html_text(out, fstr(b, "caption"));
            sb_puts(out, "</caption>\n<thead><tr>");
            json_array_foreach(json_object_get(b, "headers"), j, v) html_cell(out, v, lang, true, false);
            sb_puts(out, "</tr></thead>\n<tbody>\n");
            json_array_foreach(json_object_get(b, "rows"), j, row) {
                sb_puts(out, "<tr>");
                json_array_foreach(row, k, v) html_cell(out, v, lang, false, k == 0);
                sb_puts(out, "</tr>\n");
            }
            sb_puts(out, "</tbody></table></div>\n");
        } else if (strcmp(kind, "chart") == 0) {
            strbuf svg;
            sb_init(&svg, NULL);
            json_t *data = json_object_get(b, "data");
            chart_svg(data, lang, &svg);
            size_t n = sodium_base64_encoded_len(svg.len, sodium_base64_VARIANT_ORIGINAL);
            char *b64 = malloc(n);
            if (b64) {
                sodium_bin2base64(b64, n, (const unsigned char *)sb_str(&svg), svg.len,
                                  sodium_base64_VARIANT_ORIGINAL);
                sb_puts(out, "<figure class=\"chart\"><img src=\"data:image/svg+xml;base64,");
                sb_puts(out, b64);
                sb_printf(out, "\" width=\"%d\" height=\"%d\" alt=\"", (int)CHART_W,
                          (int)chart_height(data));
                esc_html_attr(out, fstr(b, "alt"));
                sb_puts(out, "\"><figcaption>");
                esc_html_text(out, fstr(b, "title"));
                sb_puts(out, "</figcaption></figure>\n");
                free(b64);
            }
            sb_release(&svg);
        }
    }
    sb_puts(out, "</section>\n");
    release_fonts();
}

/* ---- XLSX ---- */

/* A sheet name Excel accepts: at most 31 characters (UTF-8 aware), none
 * of []:*?/\, unique in the workbook. */
static void sheet_name(json_t *used, const char *want, char *out, size_t n)
{
    char base[128];
    size_t o = 0;
    for (const char *p = want; *p && o < sizeof base - 1;) {
        if (strchr("[]:*?/\\'", *p)) {
            p++;
            continue;
        }
        base[o++] = *p++;
    }
    base[o] = 0;
    /* Cut at 28 characters (room for a number), on a character boundary. */
    glong chars = g_utf8_strlen(base, -1);
    if (chars > 28)
        *g_utf8_offset_to_pointer(base, 28) = 0;
    snprintf(out, n, "%s", *base ? base : "Sheet");
    for (int i = 2; json_object_get(used, out); i++)
        snprintf(out, n, "%s %d", base, i);
    json_object_set_new(used, out, json_true());
}

bool report_xlsx(json_t *blocks, lang_t lang, const char *path)
{
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return false;
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    json_t *used = json_object();
    char name[160];
    sheet_name(used, T(lang, "report.sheet.report"), name, sizeof name);
    lxw_worksheet *front = workbook_add_worksheet(wb, name);
    worksheet_set_column(front, 0, 0, 100, wrap);
    lxw_row_t fr = 0;
    size_t i, j, k;
    json_t *b, *v, *row;
    json_array_foreach(blocks, i, b) {
        const char *kind = fstr(b, "k");
        if (strcmp(kind, "table") != 0) {
            if (json_object_get(b, "text"))
                worksheet_write_string(front, fr++, 0, fstr(b, "text"),
                                       strcmp(kind, "p") == 0 ? NULL : bold);
            json_array_foreach(json_object_get(b, "items"), j, v)
                worksheet_write_string(front, fr++, 0, nz(json_string_value(v)), NULL);
            continue;
        }
        sheet_name(used, fstr(b, "sheet"), name, sizeof name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws)
            continue;
        worksheet_write_string(ws, 0, 0, fstr(b, "caption"), bold);
        json_t *hdr = json_object_get(b, "headers");
        json_array_foreach(hdr, j, v) {
            worksheet_write_string(ws, 1, (lxw_col_t)j, nz(json_string_value(v)), bold);
            worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j, j ? 14 : 40, NULL);
        }
        json_t *rows = json_object_get(b, "rows");
        json_array_foreach(rows, j, row) {
            json_array_foreach(row, k, v) {
                lxw_row_t r = (lxw_row_t)(j + 2);
                if (json_is_number(v))
                    worksheet_write_number(ws, r, (lxw_col_t)k, json_number_value(v), NULL);
                else {
                    char *t = cell_text(v, lang);
                    worksheet_write_string(ws, r, (lxw_col_t)k, t, NULL);
                    g_free(t);
                }
            }
        }
        worksheet_freeze_panes(ws, 2, 0);
        size_t nrows = json_array_size(rows);
        if (nrows == 0)
            continue;
        json_t *spec = json_object_get(b, "xlsx_chart");
        lxw_chart *ch = NULL;
        if (json_is_true(json_object_get(b, "xlsx_funnel"))) {
            /* The overall row (the last) across the stages. */
            ch = workbook_add_chart(wb, LXW_CHART_BAR);
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            chart_series_set_categories(se, name, 1, 1, 1, 9);
            chart_series_set_values(se, name, (lxw_row_t)(nrows + 1), 1, (lxw_row_t)(nrows + 1), 9);
            chart_series_set_name(se, fstr(b, "caption"));
            chart_axis_set_reverse(ch->x_axis);
        } else if (spec) {
            const char *type = fstr(spec, "type");
            ch = workbook_add_chart(wb, strcmp(type, "pie") == 0      ? LXW_CHART_PIE
                                        : strcmp(type, "column") == 0 ? LXW_CHART_COLUMN
                                                                      : LXW_CHART_BAR);
            lxw_chart_series *se = chart_add_series(ch, NULL, NULL);
            lxw_col_t cat = (lxw_col_t)fint(spec, "cat"), val = (lxw_col_t)fint(spec, "val");
            chart_series_set_categories(se, name, 2, cat, (lxw_row_t)(nrows + 1), cat);
            chart_series_set_values(se, name, 2, val, (lxw_row_t)(nrows + 1), val);
            chart_series_set_name(se, nz(json_string_value(json_array_get(hdr, val))));
            chart_series_set_labels(se);
            if (strcmp(type, "bar") == 0)
                chart_axis_set_reverse(ch->x_axis);
        }
        if (ch) {
            chart_title_set_name(ch, fstr(b, "caption"));
            chart_legend_set_position(ch, LXW_CHART_LEGEND_NONE);
            worksheet_insert_chart(ws, 1, (lxw_col_t)(json_array_size(hdr) + 1), ch);
        }
    }
    json_decref(used);
    return workbook_close(wb) == LXW_NO_ERROR;
}
