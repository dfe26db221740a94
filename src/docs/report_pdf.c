/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The final report as a PDF: its blocks flowed onto A4 pages with cairo
 * and pango. */
#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_doc.h"
#include "report_doc_parts.h"

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
    report_label(f->cr, MARGIN, PAGE_H - MARGIN + 14, TEXT_W, foot, 7, false, PANGO_ALIGN_RIGHT, 0.3);
    if (f->preliminary) {
        report_label(f->cr, MARGIN, MARGIN - 20, TEXT_W, T(f->lang, "report.preliminary"), 9, true,
              PANGO_ALIGN_CENTER, 0);
        report_label(f->cr, MARGIN, PAGE_H - MARGIN + 14, TEXT_W, T(f->lang, "report.preliminary"), 7,
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

/* A paragraph, line by line, so that a long one continues on the next
 * page instead of running off this one. */
static void flow_text(struct flow *f, const char *text, double size, bool bold, double indent,
                      double after)
{
    PangoLayout *l = report_layout(f->cr, text, size, bold, TEXT_W - indent, PANGO_ALIGN_LEFT);
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

/* The width of the widest word of text: a layout so narrow that every
 * word is a line of its own, none broken inside. */
static double widest_word(cairo_t *cr, const char *text, double size, bool bold)
{
    PangoLayout *l = report_layout(cr, text, size, bold, 1, PANGO_ALIGN_LEFT);
    pango_layout_set_wrap(l, PANGO_WRAP_WORD);
    PangoRectangle logical;
    pango_layout_get_extents(l, NULL, &logical);
    g_object_unref(l);
    return (double)logical.width / PANGO_SCALE;
}

/* Widens the columns whose words would otherwise be cut in two
 * ("Waitliste-d"), taking the room from columns with room to spare.  False
 * when the words do not fit at this size at all. */
static bool fit_words(struct flow *f, json_t *t, double *w, size_t n, double size)
{
    double need[32] = {0}, slack = 0, deficit = 0, total = 0;
    json_t *hdr = json_object_get(t, "headers"), *rows = json_object_get(t, "rows"), *row;
    for (size_t i = 0; i < n; i++) {
        char *txt = report_cell_text(json_array_get(hdr, i), f->lang);
        need[i] = widest_word(f->cr, txt, size, true) + 7;
        g_free(txt);
    }
    size_t r;
    json_array_foreach(rows, r, row) {
        if (r >= 200)
            break; /* enough to know the columns' words */
        for (size_t i = 0; i < n; i++) {
            json_t *v = json_array_get(row, i);
            if (json_is_number(v))
                continue;
            char *txt = report_cell_text(v, f->lang);
            double ww = widest_word(f->cr, txt, size, false) + 7;
            g_free(txt);
            if (ww > need[i])
                need[i] = ww;
        }
    }
    for (size_t i = 0; i < n; i++) {
        total += need[i];
        if (w[i] < need[i])
            deficit += need[i] - w[i];
        else
            slack += w[i] - need[i];
    }
    if (total > TEXT_W)
        return false;
    double keep = slack > 0 ? 1 - deficit / slack : 0;
    for (size_t i = 0; i < n; i++)
        w[i] = w[i] < need[i] ? need[i] : need[i] + (w[i] - need[i]) * keep;
    return true;
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
        char *txt = report_cell_text(v, f->lang);
        bool num = json_is_number(v);
        ls[i] = report_layout(f->cr, txt, size, header, w[i] - 6,
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
    /* A smaller size when the words of a wide table do not fit in a line. */
    double size = n > 8 ? 6.5 : 8;
    for (;; size -= 0.5) {
        col_widths(t, w, n);
        if (fit_words(f, t, w, n, size) || size <= 5)
            break;
    }
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
    double h = report_chart_height(data);
    ensure(f, h + 16);
    flow_text(f, fstr(c, "title"), 9, true, 0, 4);
    cairo_save(f->cr);
    cairo_translate(f->cr, MARGIN, f->y);
    report_chart_draw(f->cr, data, f->lang);
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
    report_release_fonts();
    cairo_status_t st = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS) {
        snprintf(err, errlen, "%s", cairo_status_to_string(st));
        return false;
    }
    return true;
}
