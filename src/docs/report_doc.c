/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report's content in order, as blocks built once from the
 * figures in one language (the writers are report_pdf.c, report_html.c and
 * report_xlsx.c; the charts report_chart.c). */
#include "report_doc.h"

#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_doc_parts.h"

/* Layouts come from this thread's default pango font map, which holds
 * fontconfig's fonts for as long as it lives; a document lets it go when
 * it is written, so a worker thread keeps nothing between requests. */
void report_release_fonts(void)
{
    pango_cairo_font_map_set_default(NULL);
}

/* Numbers as the document's language writes them: 12,5 and 12.5. */
void report_fmt_real(char *buf, size_t n, double v, lang_t lang)
{
    snprintf(buf, n, "%.1f", v);
    if (lang == LANG_ES)
        for (char *p = buf; *p; p++)
            if (*p == '.')
                *p = ',';
}

char *report_cell_text(json_t *v, lang_t lang)
{
    char buf[64];
    if (json_is_integer(v))
        return g_strdup_printf("%lld", (long long)json_integer_value(v));
    if (json_is_real(v)) {
        report_fmt_real(buf, sizeof buf, json_real_value(v), lang);
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

json_t *report_date_text(const char *iso, lang_t lang)
{
    int y, m, d;
    if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3 && m >= 1 && m <= 12)
        return lang == LANG_EN ? json_sprintf("%d %s %d", d, MONTHS_EN[m - 1], y)
                               : json_sprintf("%d de %s de %d", d, MONTHS_ES[m - 1], y);
    return json_string(nz(iso));
}

/* ---- the blocks ---- */

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


const char *const report_stage_keys[] = {"applied",   "accepted",   "waitlisted", "rejected",
                                         "withdrawn", "registered", "attended",   "met_rule",
                                         "certified", "answered",   NULL};

const char *report_stage_label(lang_t lang, const char *stage)
{
    char key[64];
    snprintf(key, sizeof key, "report.stage.%s", stage);
    return T(lang, key);
}

const char *report_keyed_label(lang_t lang, const char *prefix, const char *k)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", prefix, k);
    return T(lang, key);
}

static json_t *funnel_row(json_t *f, const char *label)
{
    json_t *row = json_array();
    json_array_append_new(row, json_string(label));
    for (const char *const *s = report_stage_keys; *s; s++) {
        json_t *v = json_object_get(f, *s);
        json_array_append_new(row, v && !json_is_null(v) ? json_incref(v) : json_string("–"));
    }
    return row;
}

const char *report_country_label(json_t *c, lang_t lang, lang_t *unused)
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
        const char *label = strcmp(field, "languages") == 0 ? report_keyed_label(lang, "lang", k)
                            : strcmp(k, "undisclosed") == 0 ? T(lang, "report.not_stated")
                                                            : report_keyed_label(lang, prefix, k);
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
        report_fmt_real(a, sizeof a, freal(q, "mean_before"), lang);
        report_fmt_real(c, sizeof c, freal(q, "mean_after"), lang);
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
        /* The comments the coordinator chose, as written: a table, so
         * that the workbook has them too. */
        if (json_array_size(quotes)) {
            static const char *const quk[] = {"report.col.comment", NULL};
            json_t *qrows = json_array(), *qt;
            json_array_foreach(quotes, j, qt) json_array_append_new(qrows, json_pack("[s]", bt(qt, lang)));
            char cap[400];
            snprintf(cap, sizeof cap, "%s: %s", T(lang, "report.h.quotes"),
                     bt(json_object_get(c, "title"), lang));
            table(b, lang, "evaluation-quotes", "report.sheet.quotes", cap, headers(lang, quk), qrows);
        }
        char name[32];
        snprintf(name, sizeof name, "agreement:%zu", i);
        report_chart_add(b, figures, lang, name);
    }
    report_chart_add(b, figures, lang, "before_after");
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
    json_t *from = report_date_text(fstr(info, "starts_on"), lang), *to = report_date_text(fstr(info, "ends_on"), lang);
    json_t *issued = report_date_text(fstr(figures, "generated_at"), lang);
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
                json_t *d = report_date_text(fstr(e, "date"), lang);
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
        json_array_append_new(langs, json_string(report_keyed_label(lang, "lang", json_string_value(l))));
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
    for (const char *const *s = report_stage_keys; *s; s++)
        json_array_append_new(fh, json_string(report_stage_label(lang, *s)));
    json_t *frows = json_array();
    json_t *fn = json_object_get(figures, "funnel");
    json_array_foreach(json_object_get(fn, "courses"), i, c)
        json_array_append_new(frows, funnel_row(c, bt(json_object_get(c, "title"), lang)));
    json_array_append_new(frows, funnel_row(json_object_get(fn, "overall"), T(lang, "report.overall_people")));
    json_t *ft = table(b, lang, "funnel", "report.sheet.funnel", T(lang, "report.cap.funnel"), fh, frows);
    json_object_set_new(ft, "xlsx_funnel", json_true());
    report_chart_add(b, figures, lang, "funnel");

    h2(b, T(lang, "report.h.countries"));
    static const char *const kk[] = {"report.col.country", "report.col.member",
                                     "report.stage.applied", "report.stage.registered",
                                     "report.stage.certified", NULL};
    json_t *krows = json_array();
    json_t *sorted = countries_in(figures, lang);
    json_array_foreach(sorted, i, c)
        json_array_append_new(krows, json_pack("[s, s, O, O, O]", report_country_label(c, lang, NULL),
            json_is_true(json_object_get(c, "member")) ? T(lang, "report.yes") : T(lang, "report.no"),
            json_object_get(c, "applied"), json_object_get(c, "registered"), json_object_get(c, "certified")));
    json_decref(sorted);
    json_t *kt = table(b, lang, "countries", "report.sheet.countries", T(lang, "report.cap.countries"),
                       headers(lang, kk), krows);
    chart_spec(kt, "bar", 0, 2);
    report_chart_add(b, figures, lang, "countries");
    h2(b, T(lang, "report.h.gender"));
    breakdown_table(b, figures, lang, "gender", "gender", "gender", "report.sheet.gender", "report.cap.gender");
    report_chart_add(b, figures, lang, "gender");
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
            json_t *d = report_date_text(fstr(s, "date"), lang);
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
    report_chart_add(b, figures, lang, "attendance");
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
                    json_array_append_new(rows, json_pack("[o, o, s]", report_date_text(fstr(d, "date"), lang),
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
                cn ? report_country_label(cn, lang, NULL) : T(lang, "report.not_stated"),
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
    json_t *day = report_date_text(stamp, lang);
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
