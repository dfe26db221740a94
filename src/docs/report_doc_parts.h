/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* What the parts of the final report's document share (private to
 * src/docs/report_*.c): the page's measures, reading the figures, numbers
 * and dates in the document's language, and the charts the writers draw. */
#ifndef AULA_REPORT_DOC_PARTS_H
#define AULA_REPORT_DOC_PARTS_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <glib.h>
#include <jansson.h>
#include <stdbool.h>

#include "../base/i18n.h"
#include "../base/strbuf.h"

#define PAGE_W 595.28 /* A4 portrait, in points */
#define PAGE_H 841.89
#define MARGIN 56.0
#define TEXT_W (PAGE_W - 2 * MARGIN)
#define TOP (MARGIN + 14)
#define BOTTOM (PAGE_H - MARGIN)
#define SANS "Noto Sans,DejaVu Sans"
#define ROW_H 18.0 /* one bar of a chart */
#define CHART_W TEXT_W

static inline const char *nz(const char *s)
{
    return s ? s : "";
}

static inline const char *T(lang_t lang, const char *key)
{
    return tr(lang, key);
}

/* The text of a bilingual value in lang, or the other language. */
static inline const char *bt(json_t *v, lang_t lang)
{
    if (json_is_string(v))
        return json_string_value(v);
    const char *s = json_string_value(json_object_get(v, lang == LANG_EN ? "en" : "es"));
    if (!s || !*s)
        s = json_string_value(json_object_get(v, lang == LANG_EN ? "es" : "en"));
    return nz(s);
}

static inline const char *fstr(json_t *o, const char *k)
{
    return nz(json_string_value(json_object_get(o, k)));
}

static inline json_int_t fint(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static inline double freal(json_t *o, const char *k)
{
    return json_number_value(json_object_get(o, k));
}


/* Layouts come from this thread's default pango font map, which holds
 * fontconfig's fonts for as long as it lives; a document lets it go when
 * it is written, so a worker thread keeps nothing between requests. */
void report_release_fonts(void);
/* Numbers as the document's language writes them: 12,5 and 12.5. */
void report_fmt_real(char *buf, size_t n, double v, lang_t lang);
/* A table cell's text (g_free it). */
char *report_cell_text(json_t *v, lang_t lang);
/* A date (YYYY-MM-DD...) written out in lang. */
json_t *report_date_text(const char *iso, lang_t lang);

/* Appends a block to the blocks b. */
static inline void add(json_t *b, json_t *blk)
{
    json_array_append_new(b, blk);
}

/* The funnel's stages in order, and the labels of stages, of values of a
 * catalog prefix ("report.gender", ...) and of countries (report_doc.c). */
extern const char *const report_stage_keys[];
const char *report_stage_label(lang_t lang, const char *stage);
const char *report_keyed_label(lang_t lang, const char *prefix, const char *k);
const char *report_country_label(json_t *c, lang_t lang, lang_t *unused);

/* A layout of text in the document's sans serif, wrapping within w
 * (report_chart.c); g_object_unref it. */
PangoLayout *report_layout(cairo_t *cr, const char *text, double size, bool bold, double w,
                           PangoAlignment align);
/* Text in a box of width w at (x, y): one line, ellipsized, so a long
 * name never leaves its box.  Returns the height used (report_chart.c). */
double report_label(cairo_t *cr, double x, double y, double w, const char *text, double size,
                    bool bold, PangoAlignment align, double grey);

/* The charts (report_chart.c): adds chart name's block (its data, title
 * and text alternative) to the blocks b, unless it has nothing to show. */
void report_chart_add(json_t *b, json_t *figures, lang_t lang, const char *name);
/* The height a chart's data needs at CHART_W wide. */
double report_chart_height(json_t *data);
/* Draws a chart's data at the origin of cr (a PDF page or an SVG). */
void report_chart_draw(cairo_t *cr, json_t *data, lang_t lang);
/* A chart's data as SVG, appended to out. */
void report_chart_svg_data(json_t *data, lang_t lang, strbuf *out);

#endif
