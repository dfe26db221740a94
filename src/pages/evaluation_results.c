/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The evaluation's results: statistics with SVG charts, breakdowns by
 * group, CSV/XLSX exports, the JSON API and the console home's items. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../base/escape.h"
#include "../docs/evaluation_xlsx.h"
#include "../docs/table_export.h"
#include "../domain/countries.h"
#include "../domain/evaluation.h"
#include "../store/evaluation_store.h"
#include "../view/template.h"
#include "evaluation_pages.h"
#include "../http/download.h"
#include "../app/app.h"
#include "render.h"
#include "programme_view.h"

static json_t *trainer_slugs(json_t *q)
{
    json_t *arr = json_array();
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(q, "trainers"), i, t)
        json_array_append(arr, json_object_get(t, "slug"));
    return arr;
}

json_t *eval_stats_of(json_t *q, json_t *responses)
{
    json_t *slugs = trainer_slugs(q);
    json_t *st = evaluation_stats(json_object_get(q, "definition"), slugs, responses);
    json_decref(slugs);
    return st;
}

/* ---- charts (SVG in the page: no script needed to see them) ---- */

static void svg_open(strbuf *sb, int w, int h, const char *label)
{
    /* No style attribute: the CSP allows only the stylesheet (svg.chart). */
    sb_printf(sb, "<svg class=\"chart\" role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\""
                  " aria-label=\"", w, h);
    esc_html_attr(sb, label);
    sb_puts(sb, "\">");
}

static void svg_text(strbuf *sb, double x, double y, const char *anchor, const char *s)
{
    sb_printf(sb, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\" text-anchor=\"%s\">", x, y,
              anchor);
    esc_html_text(sb, s);
    sb_puts(sb, "</text>");
}

static double num(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}

/* One diverging bar: disagreement to the left of the centre, agreement to
 * the right, the neutral middle split across it. */
static void diverging_bar(strbuf *sb, json_t *st, double y, const char *label, lang_t lang)
{
    json_t *counts = json_object_get(st, "counts");
    double n = num(st, "n_mean");
    double cx = 330, scale = 1.5; /* 100 % = 150 px each side */
    double c[6];
    for (int v = 1; v <= 5; v++)
        c[v] = n > 0 ? 100.0 * (double)json_integer_value(json_array_get(counts, v)) / n : 0;
    static const char *const colours[] = {"", "#b2182b", "#ef8a62", "#bababa", "#67a9cf", "#2166ac"};
    double left = cx - (c[3] / 2 + c[2] + c[1]) * scale;
    double x = left;
    for (int v = 1; v <= 5; v++) {
        double w = c[v] * scale;
        if (w > 0) {
            char key[24];
            snprintf(key, sizeof key, "eval.scale.%d", v);
            sb_printf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\">"
                          "<title>", x, y, w, colours[v]);
            esc_html_text(sb, tr(lang, key));
            sb_printf(sb, ": %.0f%%</title></rect>", c[v]);
        }
        x += w;
    }
    sb_printf(sb, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#333\"/>", cx,
              y - 2, cx, y + 18);
    char buf[64];
    json_t *mean = json_object_get(st, "mean");
    if (json_is_number(mean))
        snprintf(buf, sizeof buf, "%.2f (n=%.0f)", json_number_value(mean), n);
    else
        snprintf(buf, sizeof buf, "– (n=0)");
    svg_text(sb, 490, y + 12, "start", buf);
    if (label) {
        /* Long labels are cut in the chart; the full text is beside it. */
        char cut[40];
        snprintf(cut, sizeof cut, "%.36s", label);
        svg_text(sb, 0, y + 12, "start", cut);
    }
}

static const char *chart_agree(request *req, json_t *q, json_t *rows)
{
    strbuf sb;
    sb_init(&sb, req->a);
    size_t nrows = rows ? json_array_size(rows) : 1;
    svg_open(&sb, 600, (int)(20 + 24 * nrows), tr(req->lang, "eval.chart_agree"));
    if (!rows)
        diverging_bar(&sb, q, 4, NULL, req->lang);
    else {
        size_t i;
        json_t *r;
        int fb;
        json_array_foreach(rows, i, r) {
            const char *label = json_string_value(json_object_get(r, "trainer_name"));
            if (!label)
                label = bilingual_text(json_object_get(r, "text"), req->lang, &fb);
            diverging_bar(&sb, r, 4 + 24.0 * (double)i, label, req->lang);
        }
    }
    sb_puts(&sb, "</svg>");
    return sb_str(&sb);
}

/* Horizontal bars: one per option, its percentage of respondents. */
static const char *chart_bars(request *req, json_t *labels, json_t *percent, json_t *counts)
{
    strbuf sb;
    sb_init(&sb, req->a);
    size_t n = json_array_size(percent);
    svg_open(&sb, 600, (int)(8 + 22 * n), tr(req->lang, "eval.chart_bars"));
    int fb;
    for (size_t i = 0; i < n; i++) {
        double p = json_number_value(json_array_get(percent, i));
        double y = 4 + 22.0 * (double)i;
        json_t *l = json_array_get(labels, i);
        const char *label = json_is_string(l) ? json_string_value(l) : bilingual_text(l, req->lang, &fb);
        char cut[40];
        snprintf(cut, sizeof cut, "%.36s", label ? label : "");
        svg_text(&sb, 0, y + 12, "start", cut);
        sb_printf(&sb, "<rect x=\"220\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"#2166ac\"/>",
                  y, p * 2.8);
        char buf[48];
        snprintf(buf, sizeof buf, "%.0f%% (%lld)", p,
                 (long long)json_integer_value(json_array_get(counts, i)));
        svg_text(&sb, 224 + p * 2.8, y + 12, "start", buf);
    }
    sb_puts(&sb, "</svg>");
    return sb_str(&sb);
}

static const char *chart_nps(request *req, json_t *st)
{
    strbuf sb;
    sb_init(&sb, req->a);
    svg_open(&sb, 600, 48, tr(req->lang, "eval.chart_nps"));
    double d = num(st, "detractors_percent"), pa = num(st, "passives_percent"),
           pr = num(st, "promoters_percent");
    sb_printf(&sb, "<rect x=\"0\" y=\"4\" width=\"%.1f\" height=\"18\" fill=\"#b2182b\"/>"
                   "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"18\" fill=\"#bababa\"/>"
                   "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" height=\"18\" fill=\"#2166ac\"/>",
              d * 6, d * 6, pa * 6, (d + pa) * 6, pr * 6);
    char buf[160];
    snprintf(buf, sizeof buf, "%s %.0f%% · %s %.0f%% · %s %.0f%%", tr(req->lang, "eval.detractors"),
             d, tr(req->lang, "eval.passives"), pa, tr(req->lang, "eval.promoters"), pr);
    svg_text(&sb, 0, 40, "start", buf);
    sb_puts(&sb, "</svg>");
    return sb_str(&sb);
}

static const char *chart_before_after(request *req, json_t *st)
{
    strbuf sb;
    sb_init(&sb, req->a);
    svg_open(&sb, 600, 52, tr(req->lang, "eval.chart_before_after"));
    double b = num(st, "mean_before"), a = num(st, "mean_after");
    const char *lb = tr(req->lang, "eval.before"), *la = tr(req->lang, "eval.after");
    svg_text(&sb, 0, 16, "start", lb);
    svg_text(&sb, 0, 40, "start", la);
    sb_printf(&sb, "<rect x=\"160\" y=\"4\" width=\"%.1f\" height=\"16\" fill=\"#bababa\"/>"
                   "<rect x=\"160\" y=\"28\" width=\"%.1f\" height=\"16\" fill=\"#2166ac\"/>",
              b * 70, a * 70);
    char buf[32];
    snprintf(buf, sizeof buf, "%.2f", b);
    svg_text(&sb, 164 + b * 70, 16, "start", buf);
    snprintf(buf, sizeof buf, "%.2f", a);
    svg_text(&sb, 164 + a * 70, 40, "start", buf);
    sb_puts(&sb, "</svg>");
    return sb_str(&sb);
}

static json_t *scale_labels(const char *kind, int from, int to)
{
    json_t *arr = json_array();
    for (int v = from; v <= to; v++) {
        char key[32];
        snprintf(key, sizeof key, "eval.%s.%d", kind, v);
        json_array_append_new(arr, v == 0 && strcmp(kind, "scale") == 0 ? bilingual_tr("eval.na")
                                                                      : bilingual_tr(key));
    }
    return arr;
}

/* Puts each trainer's name on the rows of the trainer questions. */
static void name_trainers(json_t *q, json_t *stats)
{
    json_t *names = json_object();
    size_t i, j;
    json_t *t, *x, *r;
    json_array_foreach(json_object_get(q, "trainers"), i, t)
        json_object_set(names, json_string_value(json_object_get(t, "slug")), json_object_get(t, "name"));
    json_array_foreach(json_object_get(stats, "questions"), i, x) {
        json_array_foreach(json_object_get(x, "rows"), j, r) {
            json_t *slug = json_object_get(r, "trainer");
            if (slug)
                json_object_set(r, "trainer_name", json_object_get(names, json_string_value(slug)));
        }
    }
    json_decref(names);
}

/* Free texts shown per question on the results page; the rest are listed
 * with ?texts=KEY. */
#define TEXTS_SHOWN 20

/* The statistics with a chart for each question, and its free texts. */
json_t *eval_results_view(request *req, json_t *q, json_t *stats, json_t *responses)
{
    name_trainers(q, stats);
    const char *all_of = req_query(req, "texts");
    json_t *qs = json_object_get(stats, "questions");
    size_t i;
    json_t *x;
    json_array_foreach(qs, i, x) {
        const char *type = json_string_value(json_object_get(x, "type"));
        const char *svg = NULL;
        if (strcmp(type, "agree") == 0)
            svg = chart_agree(req, x, NULL);
        else if (strcmp(type, "grid") == 0 || strcmp(type, "trainer") == 0)
            svg = chart_agree(req, x, json_object_get(x, "rows"));
        else if (strcmp(type, "single") == 0 || strcmp(type, "multi") == 0)
            svg = chart_bars(req, json_object_get(x, "options"), json_object_get(x, "percent"),
                             json_object_get(x, "counts"));
        else if (strcmp(type, "yesno") == 0) {
            json_t *l = json_pack("[o, o]", bilingual_tr("eval.yes"), bilingual_tr("eval.no"));
            svg = chart_bars(req, l, json_object_get(x, "percent"), json_object_get(x, "counts"));
            json_decref(l);
        } else if (strcmp(type, "nps") == 0) {
            svg = chart_nps(req, x);
            json_object_set_new(x, "is_nps", json_true());
        } else if (strcmp(type, "before_after") == 0) {
            if (json_integer_value(json_object_get(x, "pairs")) > 0)
                svg = chart_before_after(req, x);
            json_object_set_new(x, "is_before_after", json_true());
        } else if (strcmp(type, "short") == 0 || strcmp(type, "long") == 0) {
            const char *k = json_string_value(json_object_get(x, "key"));
            json_t *texts = evaluation_texts(responses, k);
            size_t n = json_array_size(texts);
            if ((!all_of || strcmp(all_of, k) != 0) && n > TEXTS_SHOWN) {
                while (json_array_size(texts) > TEXTS_SHOWN)
                    json_array_remove(texts, json_array_size(texts) - 1);
                json_object_set_new(x, "more_texts", json_integer((json_int_t)n));
            }
            json_object_set_new(x, "texts", texts);
        }
        if (strcmp(type, "agree") == 0) {
            /* The distribution as a table too, for screen readers and print. */
            json_t *dist = json_array(), *labels = scale_labels("scale", 0, 5);
            for (int v = 5; v >= 0; v--)
                json_array_append_new(dist, json_pack("{s:O, s:O, s:O}", "label",
                    json_array_get(labels, (size_t)v), "count",
                    json_array_get(json_object_get(x, "counts"), (size_t)v), "percent",
                    json_array_get(json_object_get(x, "percent"), (size_t)v)));
            json_decref(labels);
            json_object_set_new(x, "distribution", dist);
        }
        if (svg)
            json_object_set_new(x, "svg", json_string(svg));
        json_t *mean = json_object_get(x, "mean");
        if (json_is_number(mean))
            json_object_set_new(x, "mean_label", json_string(arena_printf(req->a, "%.2f",
                                json_number_value(mean))));
        json_t *nps = json_object_get(x, "nps");
        if (json_is_number(nps))
            json_object_set_new(x, "nps_label", json_string(arena_printf(req->a, "%+.0f",
                                json_number_value(nps))));
        if (json_object_get(x, "improved_percent"))
            json_object_set_new(x, "improved_label", json_string(arena_printf(req->a, "%.0f%%",
                                num(x, "improved_percent"))));
    }
    return qs;
}

/* ---- shared with the console pages (evaluation_admin.c) ---- */

json_t *eval_course_q(request *req, response *res)
{
    /* Routes without a course name the edition's own questionnaire. */
    const char *course = req_param(req, "course");
    json_t *q = course ? evaluation_get(req_param(req, "slug"), course)
                       : evaluation_get_edition_wide(req_param(req, "slug"));
    if (!q && course) {
        evaluation_create_missing();
        q = evaluation_get(req_param(req, "slug"), course);
    }
    if (!q)
        res_error(req, res, 404, "eval.err.no_questionnaire");
    return q;
}

const char *eval_admin_path(request *req, json_t *q)
{
    const char *edition = json_string_value(json_object_get(q, "edition"));
    const char *course = json_string_value(json_object_get(q, "course"));
    return course ? arena_printf(req->a, "/admin/events/%s/courses/%s/evaluation", edition, course)
                  : arena_printf(req->a, "/admin/events/%s/evaluation/edition", edition);
}

/* The name of an export: edition, course (or "edition") and the kind. */
static const char *export_name(request *req, json_t *q, const char *ext)
{
    const char *course = json_string_value(json_object_get(q, "course"));
    return arena_printf(req->a, "%s-%s-evaluation.%s", json_string_value(json_object_get(q, "edition")),
                        course ? course : "edition", ext);
}

void eval_rate(request *req, json_t *q, json_t *into)
{
    json_t *aud = evaluation_audience(json_integer_value(json_object_get(q, "id")));
    long asked = (long)json_array_size(aud), answered = 0, pending = 0;
    size_t i;
    json_t *p;
    json_array_foreach(aud, i, p) {
        bool a = json_is_true(json_object_get(p, "answered"));
        answered += a;
        pending += !a;
    }
    json_decref(aud);
    long respondents = (long)json_integer_value(json_object_get(q, "respondents"));
    json_object_set_new(into, "asked", json_integer(asked));
    json_object_set_new(into, "pending", json_integer(pending));
    json_object_set_new(into, "respondents", json_integer(respondents));
    json_object_set_new(into, "response_rate", json_string(asked ? arena_printf(req->a, "%.0f%%",
                        100.0 * (double)answered / (double)asked) : "–"));
}

/* Means of the agreement questions per group (country, gender or type of
 * institution): any dimension of a named questionnaire, the breakdown
 * dimension of an anonymous one.  Groups with fewer than min_group answers
 * are pooled as "others", shown only when they reach it too. */
json_t *eval_breakdown(request *req, json_t *q, const char *by)
{
    long min = (long)json_integer_value(json_object_get(q, "min_group"));
    json_t *rows = evaluation_grouped_responses(json_integer_value(json_object_get(q, "id")), by);
    json_t *groups = json_object(), *order = json_array();
    size_t i;
    json_t *r;
    json_t *others = json_array(), *cols = json_array();
    json_array_foreach(rows, i, r) {
        const char *g = json_string_value(json_object_get(r, "group"));
        /* An anonymous answer given before its group was big enough. */
        if (!g || !*g) {
            json_array_append(others, json_object_get(r, "answers"));
            continue;
        }
        json_t *list = json_object_get(groups, g ? g : "");
        if (!list) {
            json_object_set_new(groups, g ? g : "", list = json_array());
            json_array_append_new(order, json_string(g ? g : ""));
        }
        json_array_append(list, json_object_get(r, "answers"));
    }
    json_array_foreach(order, i, r) {
        json_t *list = json_object_get(groups, json_string_value(r));
        /* The group's label in both languages, never the stored code. */
        json_t *label;
        if (strcmp(by, "country") == 0) {
            const struct country *c = country_by_code(json_string_value(r));
            label = c ? json_pack("{s:s, s:s}", "es", c->name_es, "en", c->name_en)
                      : bilingual_tr("eval.others");
        } else
            label = bilingual_tr(arena_printf(req->a, "%s.%s", by, json_string_value(r)));
        if ((long)json_array_size(list) >= min)
            json_array_append_new(cols, json_pack("{s:o, s:O}", "group", label, "answers", list));
        else
            json_decref(label);
        if ((long)json_array_size(list) >= min)
            continue;
        json_array_extend(others, list);
    }
    if ((long)json_array_size(others) >= min && json_array_size(others) > 0)
        json_array_append_new(cols, json_pack("{s:o, s:O}", "group", bilingual_tr("eval.others"),
                                              "answers", others));
    /* One row per agreement question, one cell per group. */
    json_t *table = json_array(), *heads = json_array();
    json_t *col;
    json_array_foreach(cols, i, col) {
        json_t *st = eval_stats_of(q, json_object_get(col, "answers"));
        json_object_set_new(col, "stats", st);
        json_t *g = json_object_get(col, "group");
        json_array_append_new(heads, json_pack("{s:O, s:I}", "label", g, "n",
                                               (json_int_t)json_array_size(json_object_get(col, "answers"))));
    }
    size_t qi;
    json_t *x;
    json_array_foreach(json_object_get(json_object_get(json_array_get(cols, 0), "stats"), "questions"), qi, x) {
        if (strcmp(json_string_value(json_object_get(x, "type")), "agree") != 0)
            continue;
        json_t *cells = json_array();
        json_array_foreach(cols, i, col) {
            json_t *m = json_object_get(json_array_get(json_object_get(json_object_get(col, "stats"),
                                                                       "questions"), qi), "mean");
            json_array_append_new(cells, json_string(json_is_number(m)
                ? arena_printf(req->a, "%.2f", json_number_value(m)) : "–"));
        }
        json_array_append_new(table, json_pack("{s:O, s:o}", "text", json_object_get(x, "text"),
                                               "cells", cells));
    }
    json_decref(rows);
    json_decref(groups);
    json_decref(order);
    return json_pack("{s:s, s:o, s:o, s:I}", "by", by, "groups", heads, "rows", table,
                     "min_group", (json_int_t)min);
}

/* ---- exports ---- */

/* Raw answers as a table: one row per answer, in the order of their random
 * ids, with no id, time or person (a named questionnaire adds the name).
 * Sub-answers (grid rows, trainers, before/after) get a column each. */
static void raw_table(request *req, json_t *q, json_t *anonymous_responses, bool numbers,
                      json_t **headers_out, json_t **rows_out)
{
    json_t *headers = json_array(), *cols = json_array();
    bool named = !json_is_true(json_object_get(q, "anonymous"));
    json_t *resp = named ? evaluation_named_responses(json_integer_value(json_object_get(q, "id")))
                         : json_incref(anonymous_responses);
    if (named)
        json_array_append_new(headers, json_string(tr(req->lang, "eval.col_name")));
    size_t s, i;
    json_t *sec, *qq;
    int fb;
    json_array_foreach(json_object_get(json_object_get(q, "definition"), "sections"), s, sec) {
        json_array_foreach(json_object_get(sec, "questions"), i, qq) {
            const char *k = json_string_value(json_object_get(qq, "key"));
            const char *type = json_string_value(json_object_get(qq, "type"));
            const char *text = bilingual_text(json_object_get(qq, "text"), req->lang, &fb);
            if (strcmp(type, "grid") == 0) {
                size_t j;
                json_t *st;
                json_array_foreach(json_object_get(qq, "statements"), j, st) {
                    json_array_append_new(headers, json_string(arena_printf(req->a, "%s: %s", text,
                                          bilingual_text(st, req->lang, &fb))));
                    json_array_append_new(cols, json_pack("{s:s, s:I}", "key", k, "index", (json_int_t)j));
                }
            } else if (strcmp(type, "trainer") == 0) {
                size_t j;
                json_t *t;
                json_array_foreach(json_object_get(q, "trainers"), j, t) {
                    json_array_append_new(headers, json_string(arena_printf(req->a, "%s: %s", text,
                                          json_string_value(json_object_get(t, "name")))));
                    json_array_append_new(cols, json_pack("{s:s, s:O}", "key", k, "sub", json_object_get(t, "slug")));
                }
            } else if (strcmp(type, "before_after") == 0) {
                json_array_append_new(headers, json_string(arena_printf(req->a, "%s: %s", text, tr(req->lang, "eval.before"))));
                json_array_append_new(cols, json_pack("{s:s, s:s}", "key", k, "sub", "before"));
                json_array_append_new(headers, json_string(arena_printf(req->a, "%s: %s", text, tr(req->lang, "eval.after"))));
                json_array_append_new(cols, json_pack("{s:s, s:s}", "key", k, "sub", "after"));
            } else {
                json_array_append_new(headers, json_string(text));
                json_array_append_new(cols, json_pack("{s:s, s:O}", "key", k, "q", qq));
            }
        }
    }
    json_t *rows = json_array();
    json_t *r;
    json_array_foreach(resp, s, r) {
        json_t *answers = named ? json_object_get(r, "answers") : r;
        json_t *row = json_array();
        if (named)
            json_array_append(row, json_object_get(r, "name"));
        json_t *c;
        json_array_foreach(cols, i, c) {
            json_t *a = json_object_get(answers, json_string_value(json_object_get(c, "key")));
            if (json_object_get(c, "index"))
                a = json_array_get(a, (size_t)json_integer_value(json_object_get(c, "index")));
            else if (json_object_get(c, "sub"))
                a = json_object_get(a, json_string_value(json_object_get(c, "sub")));
            json_t *qq2 = json_object_get(c, "q");
            const char *type = qq2 ? json_string_value(json_object_get(qq2, "type")) : "agree";
            const char *cell = NULL;
            if (!a || json_is_null(a))
                cell = NULL;
            else if (json_is_string(a))
                cell = json_string_value(a);
            else if (json_is_boolean(a))
                cell = tr(req->lang, json_is_true(a) ? "eval.yes" : "eval.no");
            else if (json_is_integer(a) && strcmp(type, "single") == 0)
                cell = bilingual_text(json_array_get(json_object_get(qq2, "options"),
                                      (size_t)json_integer_value(a)), req->lang, &fb);
            else if (json_is_integer(a) && json_integer_value(a) == 0 &&
                     (strcmp(type, "agree") == 0))
                cell = tr(req->lang, "eval.na");
            else if (json_is_integer(a) && numbers) {
                /* A number cell in the workbook: cheaper, and sums work. */
                json_array_append(row, a);
                continue;
            } else if (json_is_integer(a))
                cell = arena_printf(req->a, "%lld", (long long)json_integer_value(a));
            else if (json_is_array(a)) {
                strbuf sb;
                sb_init(&sb, req->a);
                size_t j;
                json_t *v;
                json_array_foreach(a, j, v) {
                    if (j)
                        sb_puts(&sb, "; ");
                    sb_puts(&sb, bilingual_text(json_array_get(json_object_get(qq2, "options"),
                                                (size_t)json_integer_value(v)), req->lang, &fb));
                }
                cell = sb_str(&sb);
            }
            json_array_append_new(row, cell ? json_string(cell) : json_null());
        }
        json_array_append_new(rows, row);
    }
    json_decref(cols);
    json_decref(resp);
    *headers_out = headers;
    *rows_out = rows;
}

void admin_evaluation_csv(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    json_t *headers, *rows;
    json_t *responses = evaluation_responses(json_integer_value(json_object_get(q, "id")));
    raw_table(req, q, responses, false, &headers, &rows);
    json_decref(responses);
    strbuf out;
    sb_init(&out, req->a);
    table_csv(&out, headers, rows);
    res_text(res, 200, "text/csv; charset=utf-8", sb_str(&out), out.len);
    res_header(res, "Content-Disposition", content_disposition(req->a, "attachment",
                                                               export_name(req, q, "csv")));
    res->no_store = true;
}

/* Summary rows: question, answer, count, percentage of respondents, mean. */
static json_t *summary_rows(request *req, json_t *stats, json_t *chart_means)
{
    json_t *rows = json_array();
    int fb;
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(stats, "questions"), i, x) {
        const char *type = json_string_value(json_object_get(x, "type"));
        const char *text = bilingual_text(json_object_get(x, "text"), req->lang, &fb);
        json_t *mean = json_object_get(x, "mean");
        json_t *labels = NULL;
        if (strcmp(type, "agree") == 0)
            labels = scale_labels("scale", 0, 5);
        else if (strcmp(type, "single") == 0 || strcmp(type, "multi") == 0)
            labels = json_incref(json_object_get(x, "options"));
        else if (strcmp(type, "yesno") == 0)
            labels = json_pack("[o, o]", bilingual_tr("eval.yes"), bilingual_tr("eval.no"));
        else if (strcmp(type, "nps") == 0) {
            labels = json_array();
            for (int v = 0; v <= 10; v++)
                json_array_append_new(labels, json_sprintf("%d", v));
        }
        json_array_append_new(rows, json_pack("[s, s, I, n, o]", text, "n",
            json_integer_value(json_object_get(x, "answered")),
            json_is_number(mean) ? json_real(json_number_value(mean)) : json_null()));
        size_t j;
        json_t *l;
        json_array_foreach(labels, j, l) {
            const char *lt = json_is_string(l) ? json_string_value(l) : bilingual_text(l, req->lang, &fb);
            json_array_append_new(rows, json_pack("[s, s, O, O, n]", "", lt ? lt : "",
                json_array_get(json_object_get(x, "counts"), j),
                json_array_get(json_object_get(x, "percent"), j)));
        }
        json_decref(labels);
        if (strcmp(type, "nps") == 0)
            json_array_append_new(rows, json_pack("[s, s, n, o, n]", "", "NPS",
                json_incref(json_object_get(x, "nps"))));
        if (strcmp(type, "before_after") == 0) {
            json_array_append_new(rows, json_pack("[s, s, O, n, O]", "", tr(req->lang, "eval.before"),
                json_object_get(x, "pairs"), json_object_get(x, "mean_before")));
            json_array_append_new(rows, json_pack("[s, s, O, O, O]", "", tr(req->lang, "eval.after"),
                json_object_get(x, "improved"), json_object_get(x, "improved_percent"),
                json_object_get(x, "mean_after")));
        }
        json_array_foreach(json_object_get(x, "rows"), j, l) {
            const char *lt = json_string_value(json_object_get(l, "trainer_name"));
            if (!lt)
                lt = json_string_value(json_object_get(l, "trainer"));
            if (!lt)
                lt = bilingual_text(json_object_get(l, "text"), req->lang, &fb);
            json_array_append_new(rows, json_pack("[s, s, O, n, O]", "", lt ? lt : "",
                json_object_get(l, "n_mean"), json_object_get(l, "mean")));
            if (json_is_number(json_object_get(l, "mean")))
                json_array_append_new(chart_means, json_pack("{s:s, s:f}", "label",
                    arena_printf(req->a, "%s: %s", text, lt ? lt : ""), "mean", num(l, "mean")));
        }
        if (strcmp(type, "agree") == 0 && json_is_number(mean))
            json_array_append_new(chart_means, json_pack("{s:s, s:f}", "label", text, "mean",
                                                         json_number_value(mean)));
    }
    return rows;
}

void admin_evaluation_xlsx(request *req, response *res)
{
    json_t *q = eval_course_q(req, res);
    if (!q)
        return;
    json_t *headers, *rows;
    json_t *responses = evaluation_responses(json_integer_value(json_object_get(q, "id")));
    raw_table(req, q, responses, true, &headers, &rows);
    json_t *stats = eval_stats_of(q, responses);
    name_trainers(q, stats);
    json_t *means = json_array();
    json_t *summary = summary_rows(req, stats, means);
    json_t *sheader = json_pack("[s, s, s, s, s]", tr(req->lang, "eval.col_question"),
                                tr(req->lang, "eval.col_answer"), tr(req->lang, "eval.col_count"),
                                tr(req->lang, "eval.col_percent"), tr(req->lang, "eval.col_mean"));
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/tmp", app_config()->data_dir);
    mkdir(dir, 0700);
    unsigned char raw[8];
    char hex[17];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    snprintf(path, sizeof path, "%s/evaluation-%s.xlsx", dir, hex);
    struct evaluation_workbook wb = {
        .answers_sheet = tr(req->lang, "eval.sheet_answers"), .headers = headers, .rows = rows,
        .summary_sheet = tr(req->lang, "eval.sheet_summary"), .summary_headers = sheader,
        .summary = summary, .chart_title = tr(req->lang, "eval.chart_means"), .means = means,
    };
    bool ok = evaluation_xlsx(path, &wb);
    json_decref(stats);
    json_decref(responses);
    if (!ok || !res_file(res, path, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", true)) {
        unlink(path);
        res_error(req, res, 500, "error.export");
        return;
    }
    res_header(res, "Content-Disposition", content_disposition(req->a, "attachment",
                                                               export_name(req, q, "xlsx")));
    res->no_store = true;
}

/* ---- the API ---- */

json_t *eval_edition_list(request *req, response *res)
{
    evaluation_create_missing();
    json_t *list = evaluation_of_edition(req_param(req, "slug"));
    if (json_array_size(list) == 0) {
        res_error(req, res, 404, "error.no_edition");
        return NULL;
    }
    return list;
}

void api_evaluation(request *req, response *res)
{
    const char *slug = req_param(req, "slug");
    json_t *list = eval_edition_list(req, res);
    if (!list)
        return;
    json_t *courses = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(list, i, q) {
        json_t *responses = evaluation_responses(json_integer_value(json_object_get(q, "id")));
        json_t *stats = eval_stats_of(q, responses);
        json_t *c = json_pack("{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:O}", "edition_wide",
                              json_object_get(q, "edition_wide"), "course",
                              json_object_get(q, "course"), "title", json_object_get(q, "course_title"),
                              "opens_at", json_object_get(q, "opens_at"), "closes_at",
                              json_object_get(q, "closes_at"), "anonymous",
                              json_object_get(q, "anonymous"), "trainers",
                              json_object_get(q, "trainers"), "questionnaire",
                              json_object_get(q, "definition"));
        eval_rate(req, q, c);
        json_t *x;
        size_t j;
        json_array_foreach(json_object_get(stats, "questions"), j, x) {
            const char *type = json_string_value(json_object_get(x, "type"));
            if (strcmp(type, "short") == 0 || strcmp(type, "long") == 0)
                json_object_set_new(x, "texts", evaluation_texts(responses,
                                    json_string_value(json_object_get(x, "key"))));
        }
        json_object_set_new(c, "results", stats);
        json_array_append_new(courses, c);
        json_decref(responses);
    }
    res_json(req, res, 200, json_pack("{s:s, s:o}", "edition", slug, "courses", courses));
    res->no_store = true;
}

/* ---- the console's home ---- */

json_t *evaluation_low_items(request *req, const char *edition)
{
    json_t *items = json_array();
    json_t *list = evaluation_of_edition(edition);
    size_t i;
    json_t *q;
    json_array_foreach(list, i, q) {
        json_t *responses = evaluation_responses(json_integer_value(json_object_get(q, "id")));
        json_t *stats = eval_stats_of(q, responses);
        json_t *low = evaluation_low_means(stats, num(q, "low_mean"),
            (long)json_integer_value(json_object_get(q, "low_mean_min_answers")));
        size_t j;
        json_t *l;
        json_array_foreach(low, j, l) {
            json_t *text = json_object_get(l, "text");
            const char *sub = json_string_value(json_object_get(l, "sub"));
            size_t k;
            json_t *t;
            json_array_foreach(json_object_get(q, "trainers"), k, t)
                if (sub && strcmp(sub, json_string_value(json_object_get(t, "slug"))) == 0)
                    sub = json_string_value(json_object_get(t, "name"));
            int fb;
            json_t *rowt = json_object_get(l, "row_text");
            const char *es_extra = sub ? sub : rowt ? bilingual_text(rowt, LANG_ES, &fb) : NULL;
            const char *en_extra = sub ? sub : rowt ? bilingual_text(rowt, LANG_EN, &fb) : NULL;
            const char *ct_es = bilingual_text(json_object_get(q, "course_title"), LANG_ES, &fb);
            const char *ct_en = bilingual_text(json_object_get(q, "course_title"), LANG_EN, &fb);
            json_array_append_new(items, json_pack("{s:{s:s, s:s}, s:s, s:b}", "text",
                "es", arena_printf(req->a, tr(LANG_ES, "eval.step_low_mean"), ct_es ? ct_es : "",
                    bilingual_text(text, LANG_ES, &fb), es_extra ? " — " : "", es_extra ? es_extra : "",
                    num(l, "mean"), (long long)json_integer_value(json_object_get(l, "n"))),
                "en", arena_printf(req->a, tr(LANG_EN, "eval.step_low_mean"), ct_en ? ct_en : "",
                    bilingual_text(text, LANG_EN, &fb), en_extra ? " — " : "", en_extra ? en_extra : "",
                    num(l, "mean"), (long long)json_integer_value(json_object_get(l, "n"))),
                "href", eval_admin_path(req, q),
                "urgent", 0));
        }
        json_decref(low);
        json_decref(stats);
        json_decref(responses);
    }
    json_decref(list);
    return items;
}
