/* SPDX-License-Identifier: AGPL-3.0-or-later */
#include "certificate_pdf_layout.h"
#include "certificate_pdf.h"

#include <pthread.h>
#include <qrencode.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- per-thread pango state ---- */

struct renderer {
    PangoFontMap *fontmap;
    PangoContext *ctx;
};

static pthread_key_t renderer_key;
static pthread_once_t renderer_once = PTHREAD_ONCE_INIT;

static void renderer_free(void *p)
{
    struct renderer *r = p;
    if (!r)
        return;
    if (r->ctx)
        g_object_unref(r->ctx);
    if (r->fontmap)
        g_object_unref(r->fontmap);
    free(r);
}

static void renderer_key_init(void)
{
    pthread_key_create(&renderer_key, renderer_free);
}

struct renderer *renderer_get(void)
{
    pthread_once(&renderer_once, renderer_key_init);
    struct renderer *r = pthread_getspecific(renderer_key);
    if (r)
        return r;
    r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->fontmap = pango_cairo_font_map_new();
    r->ctx = r->fontmap ? pango_font_map_create_context(r->fontmap) : NULL;
    if (!r->ctx) {
        renderer_free(r);
        return NULL;
    }
    /* Vector output: one unit is one point, no hinting, no rounding, so
     * that measuring and drawing agree exactly. */
    pango_cairo_context_set_resolution(r->ctx, 72.0);
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    pango_cairo_context_set_font_options(r->ctx, fo);
    cairo_font_options_destroy(fo);
    pango_context_set_round_glyph_positions(r->ctx, FALSE);
    pango_context_set_language(r->ctx, pango_language_from_string("es"));
    pthread_setspecific(renderer_key, r);
    return r;
}

void cert_pdf_thread_cleanup(void)
{
    pthread_once(&renderer_once, renderer_key_init);
    renderer_free(pthread_getspecific(renderer_key));
    pthread_setspecific(renderer_key, NULL);
}

/* ---- the plan: every element measured before anything is drawn ---- */

void plan_free(struct plan *p)
{
    for (int i = 0; i < p->nitems; i++)
        g_object_unref(p->items[i].l);
    p->nitems = 0;
    if (p->qr)
        QRcode_free(p->qr);
    p->qr = NULL;
}

void plan_fail(struct plan *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

static PangoFontDescription *font(const char *family, int style, double size)
{
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family_static(fd, family);
    pango_font_description_set_weight(fd, style & BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, style & ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_font_description_set_size(fd, (int)(size * PANGO_SCALE + 0.5));
    return fd;
}

static void set_size(PangoLayout *l, const char *family, int style, double size)
{
    PangoFontDescription *fd = font(family, style, size);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
}

void layout_extents(PangoLayout *l, double *x, double *y, double *w, double *h)
{
    PangoRectangle lg;
    pango_layout_get_extents(l, NULL, &lg);
    if (x)
        *x = (double)lg.x / PANGO_SCALE;
    if (y)
        *y = (double)lg.y / PANGO_SCALE;
    if (w)
        *w = (double)lg.width / PANGO_SCALE;
    if (h)
        *h = (double)lg.height / PANGO_SCALE;
}

/* Fails the plan, naming the characters, when a layout holds glyphs that no
 * installed font has (pango would draw them as boxes). */
void plan_check_glyphs(struct plan *p, PangoLayout *l, const char *what)
{
    if (p->failed || pango_layout_get_unknown_glyphs_count(l) == 0)
        return;
    char list[160] = "";
    size_t used = 0;
    int shown = 0;
    gunichar seen[8];
    PangoLayoutIter *it = pango_layout_get_iter(l);
    do {
        PangoLayoutRun *run = pango_layout_iter_get_run_readonly(it);
        if (!run)
            continue;
        for (int i = 0; i < run->glyphs->num_glyphs; i++) {
            PangoGlyph g = run->glyphs->glyphs[i].glyph;
            if (!(g & PANGO_GLYPH_UNKNOWN_FLAG) || g == PANGO_GLYPH_INVALID_INPUT)
                continue;
            gunichar c = g & ~PANGO_GLYPH_UNKNOWN_FLAG;
            bool dup = false;
            for (int k = 0; k < shown && k < 8; k++)
                dup |= seen[k] == c;
            if (dup || shown >= 8)
                continue;
            seen[shown++] = c;
            char u8[8] = "";
            /* Show the character itself only when it is printable. */
            if (g_unichar_isgraph(c) && g_unichar_type(c) != G_UNICODE_PRIVATE_USE)
                u8[g_unichar_to_utf8(c, u8)] = '\0';
            int n = snprintf(list + used, sizeof list - used, "%sU+%04X%s%s%s",
                             used ? ", " : "", (unsigned)c, *u8 ? " \"" : "", u8, *u8 ? "\"" : "");
            if (n > 0 && (size_t)n < sizeof list - used)
                used += (size_t)n;
        }
    } while (pango_layout_iter_next_run(it));
    pango_layout_iter_free(it);
    plan_fail(p, "%s cannot be printed: no installed font has %s; install a font for this script "
                 "(a fonts-noto-* package) or correct the text",
              what, *list ? list : "some of its characters");
}

/* A new layout of text in the given font, registered in the plan. */
PangoLayout *plan_layout(struct plan *p, const char *what, const char *text, const char *family,
                         int style, double size)
{
    if (p->failed)
        return NULL;
    if (p->nitems >= MAX_ITEMS) {
        plan_fail(p, "too many text elements");
        return NULL;
    }
    if (!g_utf8_validate(text, -1, NULL)) {
        plan_fail(p, "%s is not valid UTF-8", what);
        return NULL;
    }
    PangoLayout *l = pango_layout_new(p->r->ctx);
    set_size(l, family, style, size);
    /* No ligatures: a ligature glyph ("fi") has no single character code,
     * so cairo would embed a second subset of the font just for it. */
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_font_features_new("liga=0"));
    pango_layout_set_attributes(l, al);
    pango_attr_list_unref(al);
    pango_layout_set_text(l, text, -1);
    pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
    p->items[p->nitems++] = (struct item){.l = l, .color = INK};
    return l;
}

/* Sets the size at which l fits maxw on one line, from max down to min;
 * otherwise wraps it in at most maxlines balanced lines no higher than maxh,
 * from wrap_max down to wrap_min.  False when it fits in neither. */
bool layout_fit2(PangoLayout *l, const char *family, int style, double max, double min,
                 double wrap_max, double wrap_min, int maxlines, double maxw, double maxh)
{
    pango_layout_set_width(l, -1);
    set_size(l, family, style, max);
    double w, h;
    layout_extents(l, NULL, NULL, &w, &h);
    if (w <= maxw && h <= maxh)
        return true;
    /* Unhinted text scales linearly: start from the estimate, then step. */
    double s = max * maxw / w;
    s = (double)(int)(s * 4) / 4;
    while (s >= min) {
        set_size(l, family, style, s);
        layout_extents(l, NULL, NULL, &w, &h);
        if (w <= maxw && h <= maxh)
            return true;
        s -= 0.25;
    }
    if (maxlines < 2)
        return false;
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    for (s = wrap_max; s >= wrap_min; s -= 0.5) {
        set_size(l, family, style, s);
        pango_layout_set_width(l, (int)(maxw * PANGO_SCALE));
        layout_extents(l, NULL, NULL, &w, &h);
        if (pango_layout_get_line_count(l) > maxlines || h > maxh)
            continue;
        /* Balance the lines: the narrowest width that needs no more lines. */
        int lines = pango_layout_get_line_count(l);
        double lo = maxw / lines, hi = maxw;
        for (int i = 0; i < 10 && hi - lo > 2; i++) {
            double mid = (lo + hi) / 2;
            pango_layout_set_width(l, (int)(mid * PANGO_SCALE));
            if (pango_layout_get_line_count(l) > lines)
                lo = mid;
            else
                hi = mid;
        }
        pango_layout_set_width(l, (int)(hi * PANGO_SCALE));
        return true;
    }
    return false;
}

/* fit2 with the same smallest size for one line and for wrapped lines. */
bool layout_fit(PangoLayout *l, const char *family, int style, double max, double min,
                double wrap_max, int maxlines, double maxw, double maxh)
{
    return layout_fit2(l, family, style, max, min, wrap_max, min, maxlines, maxw, maxh);
}

/* Places l centred on cx with its top at y; returns the y below it. */
double plan_place(struct plan *p, PangoLayout *l, double cx, double y, const double *color)
{
    if (!l || p->failed)
        return y;
    double x0, y0, w, h;
    layout_extents(l, &x0, &y0, &w, &h);
    struct item *it = &p->items[p->nitems - 1];
    for (int i = p->nitems - 1; i >= 0; i--)
        if (p->items[i].l == l) {
            it = &p->items[i];
            break;
        }
    it->x = cx - x0 - w / 2;
    it->y = y - y0;
    it->color = color;
    return y + h;
}

void plan_add_rule(struct plan *p, double x0, double y0, double x1, double y1, double width)
{
    if (p->nrules < MAX_RULES)
        p->rules[p->nrules++] = (struct rule){x0, y0, x1, y1, width};
}

/* A single-line text shrunk to fit maxw (never below min), centred at y. */
double plan_line(struct plan *p, const char *what, const char *text, const char *family, int style,
                 double size, double min, double cx, double y, double maxw, const double *color)
{
    PangoLayout *l = plan_layout(p, what, text, family, style, size);
    if (!l)
        return y;
    if (!layout_fit(l, family, style, size, min, size, 2, maxw, size * 3))
        plan_fail(p, "%s is too long to print", what);
    plan_check_glyphs(p, l, what);
    return plan_place(p, l, cx, y, color);
}
