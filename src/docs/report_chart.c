/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report's charts: their data from the figures, drawn once with
 * cairo onto a PDF page or an SVG surface, with a text alternative. */
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_doc.h"
#include "report_doc_parts.h"

/* ---- charts: their data, drawn with cairo ---- */

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
        for (const char *const *s = report_stage_keys; *s; s++) {
            json_t *v = json_object_get(o, *s);
            if (!json_is_integer(v))
                continue;
            snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
            json_array_append_new(rows, json_pack("{s:s, s:f, s:s}", "label", report_stage_label(lang, *s),
                                                  "value", (double)json_integer_value(v), "text", buf));
        }
    } else if (strcmp(name, "countries") == 0) {
        title_key = "report.cap.countries_chart";
        json_array_foreach(json_object_get(figures, "countries"), i, e) {
            if (fint(e, "applied") <= 0)
                continue;
            snprintf(buf, sizeof buf, "%lld", (long long)fint(e, "applied"));
            json_array_append_new(rows, json_pack("{s:s, s:f, s:s}", "label", report_country_label(e, lang, NULL),
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
            report_fmt_real(n1, sizeof n1, total ? (double)((v * 2000 + total) / (2 * total)) / 10.0 : 0.0, lang);
            const char *label = strcmp(k2, "undisclosed") == 0 ? T(lang, "report.not_stated")
                                                               : report_keyed_label(lang, "gender", k2);
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
                json_t *d = report_date_text(fstr(e, "date"), lang);
                report_fmt_real(n1, sizeof n1, freal(e, "share"), lang);
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
                    report_fmt_real(n1, sizeof n1, freal(q, "disagree"), lang);
                    report_fmt_real(n2, sizeof n2, freal(q, "agree"), lang);
                    json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:s, s:s}", "label",
                        bt(json_object_get(q, "text"), lang), "a", freal(q, "disagree"), "b",
                        freal(q, "agree"), "ta", n1, "tb", n2));
                } else if (agree && (strcmp(type, "grid") == 0 || strcmp(type, "trainer") == 0)) {
                    json_t *r;
                    json_array_foreach(json_object_get(q, "rows"), k, r) {
                        if (fint(r, "n_mean") <= 0)
                            continue;
                        report_fmt_real(n1, sizeof n1, freal(r, "disagree"), lang);
                        report_fmt_real(n2, sizeof n2, freal(r, "agree"), lang);
                        json_t *lbl = json_object_get(r, "text") ? json_object_get(r, "text")
                                                                 : json_object_get(r, "trainer");
                        json_array_append_new(rows, json_pack("{s:s, s:f, s:f, s:s, s:s}", "label",
                            bt(lbl, lang), "a", freal(r, "disagree"), "b", freal(r, "agree"), "ta", n1,
                            "tb", n2));
                    }
                } else if (!agree && strcmp(type, "before_after") == 0 &&
                           json_is_number(json_object_get(q, "mean_before"))) {
                    char v1[32], v2[32];
                    report_fmt_real(v1, sizeof v1, freal(q, "mean_before"), lang);
                    report_fmt_real(v2, sizeof v2, freal(q, "mean_after"), lang);
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

double report_chart_height(json_t *data)
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

PangoLayout *report_layout(cairo_t *cr, const char *text, double size, bool bold, double w,
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

/* Text in a box of width w at (x, y): one line, ellipsized, so a long
 * name never leaves its box.  Returns the height used. */
double report_label(cairo_t *cr, double x, double y, double w, const char *text, double size,
                    bool bold, PangoAlignment align, double grey)
{
    PangoLayout *l = report_layout(cr, text, size, bold, w, align);
    pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
    int pw, ph;
    pango_layout_get_size(l, &pw, &ph);
    cairo_set_source_rgb(cr, grey, grey, grey);
    cairo_move_to(cr, x, y);
    pango_cairo_show_layout(cr, l);
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

void report_chart_draw(cairo_t *cr, json_t *data, lang_t lang)
{
    json_t *rows = json_object_get(data, "rows");
    const char *kind = fstr(data, "kind");
    size_t n = json_array_size(rows), i;
    json_t *r;
    if (n == 0) {
        report_label(cr, 0, 4, CHART_W, T(lang, "report.no_data"), 9, false, PANGO_ALIGN_LEFT, 0.2);
        return;
    }
    double lw = CHART_W * 0.38, bx = lw + 6, bw = CHART_W - bx - 64;
    if (strcmp(kind, "hbar") == 0) {
        double max = 0;
        json_array_foreach(rows, i, r) if (freal(r, "value") > max) max = freal(r, "value");
        json_array_foreach(rows, i, r) {
            double y = (double)i * ROW_H;
            report_label(cr, 0, y + 3, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double w = max > 0 ? bw * freal(r, "value") / max : 0;
            box(cr, bx, y + 3, w, ROW_H - 6, 0.55);
            report_label(cr, bx + w + 4, y + 3, 60, fstr(r, "text"), 8, true, PANGO_ALIGN_LEFT, 0);
        }
    } else if (strcmp(kind, "stack") == 0) {
        static const double greys[] = {0.15, 0.45, 0.7, 0.95, 0.3, 0.85};
        double total = 0, x = 0;
        json_array_foreach(rows, i, r) total += freal(r, "value");
        if (total <= 0) {
            report_label(cr, 0, 4, CHART_W, T(lang, "report.no_data"), 9, false, PANGO_ALIGN_LEFT, 0.2);
            return;
        }
        json_array_foreach(rows, i, r) {
            double w = total > 0 ? CHART_W * freal(r, "value") / total : 0;
            double g = greys[i % 6];
            box(cr, x, 2, w, 24, g);
            if (w > 34)
                report_label(cr, x, 7, w, fstr(r, "short"), 8, true, PANGO_ALIGN_CENTER, g < 0.5 ? 1 : 0);
            x += w;
            double y = 34 + (double)i * ROW_H;
            box(cr, 0, y + 3, 12, 12, g);
            report_label(cr, 18, y + 3, CHART_W - 18, fstr(r, "text"), 8, false, PANGO_ALIGN_LEFT, 0);
        }
    } else if (strcmp(kind, "diverge") == 0) {
        double cx = bx + (CHART_W - bx) / 2, half = (CHART_W - bx) / 2 - 30;
        report_label(cr, bx, 3, cx - bx - 4, T(lang, "report.disagree"), 8, true, PANGO_ALIGN_RIGHT, 0);
        report_label(cr, cx + 4, 3, half, T(lang, "report.agree"), 8, true, PANGO_ALIGN_LEFT, 0);
        json_array_foreach(rows, i, r) {
            double y = (double)(i + 1) * ROW_H;
            report_label(cr, 0, y + 3, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double a = half * freal(r, "a") / 100, b2 = half * freal(r, "b") / 100;
            box(cr, cx - a, y + 3, a, ROW_H - 6, 0.85);
            box(cr, cx, y + 3, b2, ROW_H - 6, 0.4);
            report_label(cr, cx - a - 30, y + 3, 28, fstr(r, "ta"), 7, false, PANGO_ALIGN_RIGHT, 0);
            report_label(cr, cx + b2 + 2, y + 3, 28, fstr(r, "tb"), 7, true, PANGO_ALIGN_LEFT, 0);
        }
        cairo_move_to(cr, cx, ROW_H);
        cairo_line_to(cr, cx, (double)(n + 1) * ROW_H);
        cairo_set_source_rgb(cr, 0, 0, 0);
        cairo_stroke(cr);
    } else { /* pairs: before and after on the 1..5 scale */
        char legend[200];
        snprintf(legend, sizeof legend, "%s / %s (1–5)", T(lang, "report.before"), T(lang, "report.after"));
        report_label(cr, bx, 3, CHART_W - bx, legend, 8, true, PANGO_ALIGN_LEFT, 0);
        json_array_foreach(rows, i, r) {
            double y = ROW_H + (double)i * 2 * ROW_H;
            report_label(cr, 0, y + 8, lw, fstr(r, "label"), 8, false, PANGO_ALIGN_RIGHT, 0);
            double pw = CHART_W - bx - 92; /* room for "Después 3,5" */
            double a = pw * freal(r, "a") / 5, b2 = pw * freal(r, "b") / 5;
            box(cr, bx, y + 2, a, ROW_H - 4, 0.85);
            report_label(cr, bx + a + 4, y + 3, 90, fstr(r, "ta"), 8, false, PANGO_ALIGN_LEFT, 0);
            box(cr, bx, y + ROW_H, b2, ROW_H - 4, 0.4);
            report_label(cr, bx + b2 + 4, y + ROW_H + 1, 90, fstr(r, "tb"), 8, true, PANGO_ALIGN_LEFT, 0);
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

void report_chart_add(json_t *b, json_t *figures, lang_t lang, const char *name)
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

void report_chart_svg_data(json_t *data, lang_t lang, strbuf *out)
{
    double h = report_chart_height(data);
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_strbuf, out, CHART_W, h);
    cairo_t *cr = cairo_create(s);
    report_chart_draw(cr, data, lang);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

bool report_chart_svg(json_t *figures, const char *name, lang_t lang, strbuf *out)
{
    json_t *data = chart_data(figures, name, lang);
    if (!data)
        return false;
    report_chart_svg_data(data, lang, out);
    report_release_fonts();
    json_decref(data);
    return true;
}
